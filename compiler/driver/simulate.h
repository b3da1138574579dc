// simulate: a checked model and its compiled kernels -> a runtime network,
// run through the model's schedule, results written atomically.
//
// The results directory gets manifest.json and one .npy per monitor field
// (runtime/README of the format in docs/language.md §17). Everything is
// written into DIR.partial-PID first and renamed to DIR when complete, so a
// directory with a manifest is always whole.
#pragma once

#include "api/progress.h"
#include "codegen/llvm/jit.h"
#include "diag/diagnostics.h"
#include "driver/checkpoint.h"
#include "ir/ir.h"
#include "kernels/build.h"
#include "snn/network.h"

#include <atomic>

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace snnc::driver {

struct RunOptions {
  std::string out_dir = "results";
  std::optional<std::uint64_t> seed; // overrides the model's seed
  bool time_passes = false;
  std::int64_t nan_check_every = 1000; // steps between NaN/infinity checks (0: none)
  bool handle_sigint = true;           // Ctrl-C (SIGINT, SIGTERM) stops at the end of the step
  // Under mpirun with several processes, the network is spread over them,
  // unless `alone` (each process runs its own: the points of a sweep).
  bool alone = false;
  int threads = 1;           // threads for the kernels of large groups
  bool always_split = false; // use them even where one thread is faster (tests)
  bool tile_targets = true;  // RunOptions::tiling (tests turn it off)
  double memory_limit = 0;   // bytes the run may need; 0: half the free memory
  // --checkpoint FILE: written when the run ends or stops, and every
  // `checkpoint_every` seconds of wall-clock time while it runs.
  std::string checkpoint;
  double checkpoint_every = 600;
  std::string resume;            // --resume FILE: continue a checkpointed run
  bool out_dir_given = false;    // else a resumed run writes where the first one did
  std::optional<double> stop_at; // --stop-at T: stop when simulated time reaches T seconds
  // A progress line on standard error once the run has lasted `progress_delay` s.
  Progress::Mode progress = Progress::Mode::automatic;
  double progress_delay = 2;
};

struct RunTimings {
  int processes = 1;               // spread over this many processes (mpirun)
  double exchange_ms = 0;          // of simulate_ms: exchanging spikes between them
  std::int64_t exchange_every = 0; // steps between exchanges (the least on_pre delay)
  double setup_ms = 0;
  double simulate_ms = 0;
  double write_ms = 0;
  bool interrupted = false; // by Ctrl-C, a NaN or --stop-at; the results say so
  int signal = 0;           // SIGINT or SIGTERM, if one stopped the run
  bool stopped_at = false;  // by --stop-at
  std::string reason;
  std::string out_dir;               // where the results went
  std::string resumed_from;          // the checkpoint a resumed run started from
  std::int64_t tiled_deliveries = 0; // Network::tiled_deliveries (for tests)
  std::int64_t parallel_steps = 0;   // Counters::parallel_steps (for tests)
  // Every process's Counters::synaptic_events, summed (-1: the network's own).
  std::int64_t synaptic_events = -1;
};

// The step a run of `duration` seconds from `step` ends at, as Brian2's
// Clock computes it: the absolute end time rounded to a step if it is within
// 0.01 % of one, else rounded up.
std::int64_t run_end_step(std::int64_t step, double dt, double duration);
// The step an event at time `t` acts before: where a run from 0 to `t` ends.
inline std::int64_t event_step(double t, double dt) {
  return run_end_step(0, dt, t);
}

// How the runtime may split an on_pre/on_post kernel over threads.
snn::SplitBy split_by(ir::Side s);

// The timed arrays (indices into m.timed) holding one value per synapse that
// these statements read: the runtime checks their length against the synapses.
std::vector<int> per_synapse_values(const ir::Model& m, const std::vector<ir::Statement>& ss);

// The pieces simulate() is made of, for the C++ API.
// Without a JIT (export), kernels have their names but no entry points.
snn::NetworkSpec network_spec(const ir::Model& m, const kir::Module& mod, codegen::Jit* jit,
                              std::uint64_t seed);
// Runs every group's init kernel (Brian2's defaults, then `init:`), creates the
// synapses (connect, init, delays) and builds their spike queues.
void initialise(snn::Network& net, const ir::Model& m, const kir::Module& mod, codegen::Jit& jit);
// Runs the model file's schedule: its runs and the statements between them.
// False if the network stopped early (see snn::Network::run_steps).
bool run_schedule(snn::Network& net, const ir::Model& m, const kir::Module& mod, codegen::Jit& jit);

// Runs the schedule from `cursor` on, which it keeps up to date. Runs go in
// chunks of at most `chunk_steps` steps; after each chunk `ran` (if set) is
// told its steps, then `pause` (if set) is called, and the run stops when it
// returns false, or when the clock reaches `stop_step` (>= 0) in a run.
// False if stopped early.
struct ScheduleControl {
  std::int64_t stop_step = -1;
  std::int64_t chunk_steps = 1000;
  std::function<void(std::int64_t steps)> ran;
  std::function<bool()> pause;
};
// The simulated seconds the schedule still runs from `cursor` on, with the
// clock at `step`.
double remaining_seconds(const ir::Model& m, const ScheduleCursor& cursor, std::int64_t step);
bool run_schedule_from(snn::Network& net, const ir::Model& m, const kir::Module& mod,
                       codegen::Jit& jit, ScheduleCursor& cursor, const ScheduleControl& control);
// Completes the monitors' files in the network's results directory and
// writes manifest.json there; `cpu` is what the kernels were compiled for
// (Jit::cpu).
void write_manifest(snn::Network& net, const ir::Model& m, std::uint64_t seed,
                    const std::string& dir, const std::string& cpu, const RunTimings& timings);

// The flag Ctrl-C raises during `simulate` (SIGINT handler).
extern std::atomic<bool> g_interrupt;

// Runs the model; false after a reported user error (e.g. an unreadable
// results directory). Internal errors throw InternalError.
bool simulate(const ir::Model& m, const kir::Module& mod, codegen::Jit& jit, const RunOptions& opts,
              Diagnostics& diag, RunTimings& timings);

} // namespace snnc::driver
