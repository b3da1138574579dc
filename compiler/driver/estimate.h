// What a run will need before it starts: memory (groups, synapses, rate
// monitors) and disk (what the monitors write), against what the machine
// has, so that a run that cannot fit is refused with a located error naming
// the largest part and how to shrink it, and a run that fits is never
// refused. Estimates that cannot be known before the run (a connect
// condition on state variables, the number of spikes) are left out; the
// runtime stops cleanly when it meets the limit (snn::NetworkSpec::memory_limit,
// OutputError).
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"
#include "kernels/build.h"

#include <string>

namespace snnc::driver {

// Output larger than this gets a note before the run.
inline constexpr double kLargeOutput = 2e9;

// Bytes of memory the system can give a process now (MemAvailable).
double available_memory();
// Free bytes on the file system `dir` (or its nearest existing parent) is on.
double free_disk(const std::string& dir);
// The simulated seconds of the model's schedule (every run).
double schedule_seconds(const ir::Model& m);
// "3.2 GB".
std::string bytes_text(double b);

// Whether the run fits in `limit` bytes of memory (`given`: the limit came
// from the user, for the message); a located error if not.
bool memory_fits(const ir::Model& m, const kir::Module& mod, double limit, bool given,
                 Diagnostics& diag);
// Whether what the monitors would write in `seconds` of simulated time fits
// the free space of `out_dir`'s file system (`free_bytes` >= 0: that much
// instead, for tests); a located error naming the largest monitor if not,
// and a note when it is more than kLargeOutput.
bool disk_fits(const ir::Model& m, const kir::Module& mod, double seconds,
               const std::string& out_dir, Diagnostics& diag, double free_bytes = -1);

// The synapses a connect rule makes, as far as it can be known before the
// run: exact for conditions and probabilities that are constants, else from
// a sample of pairs when they depend only on i and j; `lower` is what it
// makes at least (with high confidence), the basis of any refusal; `known`
// false when it depends on state or random numbers.
struct SynapseCount {
  double expected = 0, lower = 0;
  bool known = false;
};
SynapseCount synapse_count(const ir::Model& m, const kir::Module& mod, const ir::Synapses& y);

} // namespace snnc::driver
