// One network spread over the processes of an mpirun (docs/distributed.md).
// Every process builds the whole network as one process would (the same
// synapses in the same order, the same initial state: random numbers are
// counter-based by global index), then keeps its part: a block of
// consecutive neurons of every group (process r of P owns
// [n r / P, n (r + 1) / P)), and the synapses onto them. Each step, every
// process updates, thresholds and resets its own neurons; the spikes are
// exchanged (one all-gather per step), so that every process sees every
// spike, in index order, and delivers it through its own synapses. State
// monitors' values are gathered to process 0, which writes the results;
// spike and rate monitors record there from the exchanged spikes. The
// results are the bits of one process for any number of processes.
#pragma once

#include "groups/groups.h"
#include "monitors/monitors.h"
#include "snn/distributed.h"
#include "snn/spec.h"
#include "synapses/synapses.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snn {

class Spread {
public:
  // Takes this process's part of `groups` and `synapses` (whose setup is
  // complete) and silences the monitors of every process but the first.
  Spread(Communicator& comm, const NetworkSpec& spec, Groups& groups, Synapses& synapses,
         Monitors& monitors);

  // After the thresholds of `step`: keeps this process's spikes of every
  // group (a spike generator's, the same everywhere, as they are).
  void collect(int64_t step);
  std::size_t collected() const { return used_; }
  // Every process's spikes of the steps collected (one all-gather), and
  // flags (bits: 1 stop, 2 a write failed) or-ed over the processes.
  // Returns the number of spikes of the other processes, which the
  // network's count adds. Then exchanged() holds the steps, each with every
  // group's spikes of all processes, in index order, until the next collect.
  int64_t exchange(int local_flags, int& flags);
  struct Step {
    int64_t step = 0;
    std::vector<std::vector<int32_t>> spikes; // by group
  };
  const std::vector<Step>& exchanged() const { return steps_; }
  // The least of every process's `mine`.
  int64_t least(int64_t mine);

  // The state monitors that record at `when`, on process 0, with the
  // values gathered from every process (groups' monitored subexpressions
  // computed first by the caller).
  void record_state(RecordAt when, int64_t step);

  // The first NaN or infinite state variable over all processes (in the
  // order one process finds it).
  bool find_non_finite(std::size_t& group, std::size_t& slot, int64_t& index);

  int rank() const { return comm_.rank(); }
  int size() const { return comm_.size(); }
  double exchange_seconds() const { return exchange_s_; }

private:
  struct Plan {                                     // one state monitor's part on this process
    std::size_t monitor;                            // index in Monitors
    std::vector<int32_t> positions;                 // of the recorded elements this process owns
    std::vector<int64_t> local;                     // their indices in this process's arrays
    std::vector<std::vector<int32_t>> positions_of; // process 0: every process's
    std::size_t width = 0;                          // elements recorded
    int64_t size = 0;                               // elements of the recorded object
    std::vector<std::vector<double>> values;        // process 0: a sample
  };
  Communicator& comm_;
  const NetworkSpec& spec_;
  Groups& groups_;
  Synapses& synapses_;
  Monitors& monitors_;
  std::vector<Plan> plans_;
  std::vector<int32_t> send_, all_;
  std::vector<int64_t> counts_;
  std::vector<double> dsend_, dall_;
  std::vector<int64_t> dcounts_;
  std::vector<Step> steps_; // the first used_ are collected (or exchanged)
  std::size_t used_ = 0;
  bool exchanged_ = false;
  double exchange_s_ = 0;
};

} // namespace snn
