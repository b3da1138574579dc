// Checkpoints on disk: `snnc run --checkpoint FILE` writes one (at the end,
// when stopped, and periodically), `snnc run --resume FILE` continues from
// it, bit-identical to a run that was never stopped.
//
// The file: the magic "SNNCCKPT", the format version (u32), a hash of the
// model (u64), the metadata as JSON (seed, clock, place in the schedule,
// results directories), the network's state, the schedule's named
// snapshots, the monitors' positions, and an FNV-1a checksum of all that.
// It is written to FILE.tmp-PID and renamed, so FILE is always whole.
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"
#include "kernels/build.h"
#include "snn/network.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace snnc::driver {

// 2: delays in steps as int32, no list of runs; 3: the synaptic events.
constexpr std::uint32_t kCheckpointVersion = 3;

// Where a model's schedule is: the item in progress (or next), and the step
// the run in progress ends at; the snapshots its `store`s took.
struct ScheduleCursor {
  std::size_t item = 0;
  std::int64_t end_step = -1; // -1: no run in progress
  std::map<std::string, std::shared_ptr<const snn::Snapshot>> snapshots;
};

struct CheckpointInfo {
  std::uint64_t seed = 0;
  std::int64_t step = 0;   // the clock when it was written (read back; written from the network)
  std::string results_dir; // where the results go when the run ends (absolute)
  std::string partial_dir; // where they are written meanwhile (absolute)
  ScheduleCursor cursor;
  // A network spread over processes: each writes its own part, process r of
  // P (r > 0) to FILE.process-r (checkpoint_part); resuming needs P again.
  int processes = 1, process = 0;
};

// The file process `process` of `processes` writes a checkpoint FILE to.
std::string checkpoint_part(const std::string& path, int process, int processes);

// A hash of everything that determines a run of the model: its checked IR,
// kernels and data (timed arrays, spike times, connection lists).
std::uint64_t model_hash(const ir::Model& m, const kir::Module& mod);

// Writes the checkpoint atomically; false after a reported error.
bool write_checkpoint(const std::string& path, snn::Network& net, const ir::Model& m,
                      const kir::Module& mod, const CheckpointInfo& info, Diagnostics& diag);

// A checkpoint file read and checked against the model, not yet loaded.
struct Checkpoint {
  std::string path;
  CheckpointInfo info; // without snapshots until load_checkpoint
  std::string body;    // the state, snapshots and monitors
};
std::optional<Checkpoint> read_checkpoint(const std::string& path, const ir::Model& m,
                                          const kir::Module& mod, Diagnostics& diag);

// Puts the network (freshly made, not initialised) into the checkpoint's
// state; the monitors continue the files in `previous_dir`. Fills the
// cursor's snapshots. False after a reported error.
bool load_checkpoint(const Checkpoint& c, snn::Network& net, const std::string& previous_dir,
                     ScheduleCursor& cursor, Diagnostics& diag);

} // namespace snnc::driver
