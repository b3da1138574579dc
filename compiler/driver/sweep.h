// Parameter sweeps: `snnc run model.snn --sweep taum=10*ms,20*ms --seeds 1-10`
// runs one simulation per point of the product of the swept constants'
// values and the seeds, each into its own results directory under -o, with
// sweep.json listing them. Under mpirun the points are shared out over the
// processes (a block of consecutive points each, so that a process compiles
// each combination of constants once); the results are the same files with
// or without mpirun.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace snnc::driver {

struct SweepPoint {
  std::vector<std::pair<std::string, std::string>> constants; // name -> value text
  std::uint64_t seed = 0;
  std::string dir; // relative to the sweep's directory
};

// What one point's run gave.
struct PointOutcome {
  bool ok = false;
  std::string message; // the first line of its errors, if it failed
  double simulate_s = 0;
};

// Parses `--sweep NAME=V1,V2,...` (commas inside parentheses belong to a
// value) and `--seeds` ("1-10", "1,4,9", "3"). Returns an error message, or
// empty and the points (seeds innermost) in `points`.
std::string sweep_points(const std::vector<std::string>& sweeps, const std::string& seeds,
                         std::uint64_t default_seed, std::vector<SweepPoint>& points);

// Runs the points this process owns with `run` (given the point and its
// results directory), then gathers every point's outcome; process 0 writes
// `dir`/sweep.json and prints a summary. Returns the exit code (1 if any
// point failed), the same on every process.
int run_sweep(const std::vector<SweepPoint>& points, const std::string& dir,
              const std::string& model_file,
              const std::function<PointOutcome(const SweepPoint&, const std::string&)>& run);

} // namespace snnc::driver
