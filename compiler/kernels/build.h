// build_kernels: the checked IR -> kernels (kernel.h) for every group:
// state update (integration, refractoriness), threshold, reset, init, and
// the statements of events and of the schedule.
//
// Assumes: check_units has run without errors. Guarantees: every kernel
// expression is in kernel form (see kernel.h); the chosen integration method
// of each group is recorded in the IR (Group::method); methods that cannot
// integrate a group's equations are reported as user errors naming the
// variable and the reason.
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"
#include "kernels/kernel.h"

#include <map>
#include <string>
#include <vector>

namespace snnc::kir {

// A custom event's kernels: its condition (KernelKind::threshold) and its
// statements (KernelKind::reset over the event's neurons, -1 if none).
struct EventKernels {
  std::string name;
  int condition = -1, statements = -1;
};

// Kernels of one group, by role (names index into Module::kernels).
struct GroupKernels {
  std::vector<std::string> variables; // state arrays, by slot
  int update = -1, threshold = -1, reset = -1, init = -1;
  int observe = -1; // monitored subexpressions
  int hold = -1;    // subexpressions 'constant over dt', at the start of each step
  int step = -1;    // update and threshold in one loop (KernelKind::step)
  // Computes the variables the step kernels do not store (see
  // refractory.h) as they were at the end of the last step, for reads from
  // outside the step.
  int derived = -1;
  std::vector<EventKernels> events; // in ir::Group::events' order
};

// One pathway's kernel and delay, in the order of ir::Synapses::pathways.
struct PathwayKernel {
  std::string name;
  bool pre = true;
  int kernel = -1;            // its statements, with the event-driven catch-up
  std::string delay_variable; // a heterogeneous delay: this synaptic variable, or
  double delay = 0;           // one delay (seconds)
};

// Kernels of one synapses object.
struct SynapseKernels {
  std::vector<std::string> variables; // synaptic state arrays, by slot
  int connect = -1, init = -1, update = -1, summed = -1;
  int observe = -1;
  int hold = -1; // subexpressions 'constant over dt', at the start of each step
  std::vector<std::string> summed_targets; // postsynaptic variables written by `summed`
  std::vector<PathwayKernel> pathways;
};

struct Module {
  std::vector<Kernel> kernels;
  std::map<std::string, GroupKernels> groups;
  std::map<std::string, SynapseKernels> synapses;
  std::vector<int> event_kernels; // per event, per statement, in order
  std::vector<std::vector<int>> events;
  std::vector<int> schedule_kernels; // per schedule statement (-1 for runs)
  std::vector<int> poisson_inputs;   // per poisson_input, in the model's order
  std::vector<std::string> timed;    // timed arrays by slot
};

Module build_kernels(ir::Model& m, Diagnostics& diag);

} // namespace snnc::kir
