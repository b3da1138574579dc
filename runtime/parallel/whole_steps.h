// Whole steps on the pool's threads, one barrier per step, for networks
// whose step is only: one group's step kernel (update and threshold), the
// delivery of its spikes through on_pre pathways without delay onto the
// whole group (each thread onto its own part of the neurons, reading
// nothing of the sources), and its reset. Nothing else in the step may need
// the whole group at one time: state monitors, variables recorded at
// spikes, events, callbacks, held or observed subexpressions, synaptic
// updates, timed arrays, poisson inputs. CUBA and COBAHH are such networks.
#pragma once

#include "groups/groups.h"
#include "monitors/monitors.h"
#include "network/kernel_args.h"
#include "network/schedule.h"
#include "parallel/threads.h"
#include "synapses/synapses.h"

#include <cstdint>
#include <memory>

namespace snn {

class WholeSteps {
public:
  WholeSteps(const KernelEnv& env, Threads& threads, Groups& groups, Synapses& synapses,
             Monitors& monitors, const Schedule& schedule, bool timed_arrays)
      : env_(env), threads_(threads), groups_(groups), synapses_(synapses), monitors_(monitors),
        schedule_(schedule), timed_arrays_(timed_arrays) {}
  // Whether the network can run so now (building the spike queues and the
  // threads' parts of them if needed).
  bool possible();
  // `count` steps from `step` on, their spikes added to `total_spikes`. The
  // group's spikes are those of the last step afterwards.
  void run(int64_t step, int64_t count, int64_t& total_spikes);
  // How many steps ran so (for tests).
  int64_t steps_run() const { return steps_run_; }
  // Synaptic events delivered in those steps.
  int64_t events() const { return events_; }

private:
  // Each step's spikes, by part, in one of two buffers (steps alternate
  // between them, so that a thread may write a step's spikes while another
  // still reads the previous step's), the spikes of the last step packed in
  // order.
  struct Buffers;
  const KernelEnv& env_;
  Threads& threads_;
  Groups& groups_;
  Synapses& synapses_;
  Monitors& monitors_;
  const Schedule& schedule_;
  bool timed_arrays_;
  std::shared_ptr<Buffers> buffers_;
  int64_t steps_run_ = 0;
  int64_t events_ = 0;
};

} // namespace snn
