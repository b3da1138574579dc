// What the runtime is given: a network as plain data and kernel pointers
// (abi.h). The compiler fills a NetworkSpec from its IR; exported C++
// writes one out as code. Nothing here knows of the compiler.
#pragma once

#include "snn/abi.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace snn {

// The neurons by whose parts an on_pre/on_post kernel may be split over
// threads, each thread taking the synapses onto (or from) its part.
enum class SplitBy : int8_t { none, pre, post };

struct Kernel {
  snn_kernel_fn fn = nullptr;
  uint64_t stream = 0; // random stream of this kernel
  std::string name;    // for diagnostics and exported code
  SplitBy split = SplitBy::none;
  bool reads_pre = true; // synapse kernels: whether it may read presynaptic neurons' variables
  explicit operator bool() const { return fn != nullptr; }
};

// A custom event of a group (Brian2's events={'name': 'condition'}): its
// condition, checked after the spike thresholds (Brian2's slot
// after_thresholds), and the statements run for the neurons it selects
// after the resets (Brian2's run_on_event, slot after_resets).
// Refractoriness does not hold it back.
struct GroupEventSpec {
  std::string name;
  Kernel condition;  // a threshold kernel: fills the event's list
  Kernel statements; // a reset kernel over that list (may be empty)
};

// A (linked) parameter: its slot is the variable `source_slot` of group
// `source`, read (and seen) there, not a copy (Brian2's linked_var).
// With an index (Brian2's linked_var(..., index=...)), neuron n reads
// element index_slot[n] of it, which must be a neuron of `source`.
struct LinkSpec {
  int slot = -1;
  int source = -1;
  int source_slot = -1;
  int index_slot = -1;
};

struct GroupSpec {
  std::string name;
  int64_t size = 0;
  std::vector<std::string> variables; // state arrays, by slot
  Kernel update, threshold, reset;    // each may be empty
  Kernel observe; // computes monitored subexpressions into their arrays before recording
  Kernel hold;    // computes subexpressions 'constant over dt' at the start of each step
  Kernel step;    // update, then threshold, element by element (optional; same results)
  // Variables the step does not store (slots), and the kernel that computes
  // them as they were at the end of the last step: run (with that step's t)
  // when variable() hands them out after steps.
  std::vector<int> derived_slots;
  Kernel derived;
  // Spike generators: spikes (step, index) sorted by step; repeated every
  // `period_steps` steps if that is > 0.
  std::vector<int64_t> gen_steps;
  std::vector<int32_t> gen_indices;
  int64_t gen_period_steps = 0;
  std::vector<GroupEventSpec> events; // by name
  std::vector<LinkSpec> links;
};

// A compiled set of statements applied to every element of one group, or
// to every synapse of one synapses object.
struct StatementSpec {
  int group = -1;
  Kernel kernel;
  int synapses = -1;
  int64_t first = 0, last = -1; // a group's neurons first to last-1 (last < 0: to the end)
  // Timed arrays (indices into NetworkSpec::timed) that hold one value per
  // synapse of `synapses` for this statement: their columns must match.
  std::vector<int> per_synapse_values = {};
};

// Runs its statements at first_step, then every period_steps (0: once),
// up to and including last_step (< 0: no end).
struct EventSpec {
  int64_t first_step = 0;
  int64_t period_steps = 0;
  int64_t last_step = -1;
  std::vector<StatementSpec> statements;
};

// A pathway (Brian2's SynapticPathway: on_pre, on_post, or a named one)
// runs its kernel for the synapses of its sources' spikes, after a delay.
struct PathwaySpec {
  std::string name;    // "pre", "post", or the pathway's own name
  bool pre = true;     // its sources: the presynaptic neurons (else the postsynaptic)
  Kernel kernel;       // over the selected synapses
  double delay = 0;    // seconds, for all synapses (if no delay variable)
  int delay_slot = -1; // or a synaptic variable holding each synapse's delay
  int event = -1;      // its sources' custom event (GroupSpec::events), -1: their spikes
};

// Synapses between (parts of) two groups. Connectivity is added after
// construction (Network::connect / add_synapses); indices are in Brian2's
// order of creation (by presynaptic, then postsynaptic neuron).
struct SynapseSpec {
  std::string name;
  int pre = -1, post = -1;               // group indices
  int64_t pre_start = 0, pre_stop = 0;   // the source subgroup
  int64_t post_start = 0, post_stop = 0; // the target subgroup
  // Or the target is an earlier synapses object (Brian2's Synapses onto
  // Synapses): post is -1, post_start/post_stop are 0, and each synapse's
  // `post` is a synapse of that object, whose variables are the postsynaptic
  // ones; its number of synapses when these are made is N_post. They have
  // presynaptic pathways only, no summed variables, on one thread.
  int post_synapses = -1;
  std::vector<std::string> variables; // synaptic state arrays, by slot
  Kernel update;                      // clock-driven equations, every step
  Kernel observe;                     // monitored subexpressions, before recording
  Kernel hold;                        // subexpressions 'constant over dt', each step
  Kernel summed;                      // summed variables, every step
  std::vector<int> summed_targets;    // the postsynaptic slots it sums into
  std::vector<PathwaySpec> pathways;  // in the order written
};

enum class MonitorKind { spikes, state, rate };
// Where in a step a state monitor records (Brian2's `when`): at the start
// (the default), after the state updates ('groups'), after the thresholds,
// after the synaptic pathways ('after_synapses'), after the resets
// ('resets'), or after the statements of custom events ('end').
enum class RecordAt { start, groups, thresholds, synapses, resets, end };

struct MonitorSpec {
  MonitorKind kind = MonitorKind::spikes;
  std::string name;
  int group = -1;                     // the recorded group, or
  int synapses = -1;                  // state: the recorded synapses object
  int64_t start = 0, stop = 0;        // the recorded part of the group [start, stop)
  bool counts_only = false;           // spikes
  int event = -1;                     // spikes: the group's custom event recorded instead
  std::vector<int> slots;             // state: recorded variables
  std::vector<std::string> var_names; // state: their names
  std::vector<int64_t> record;        // state: indices relative to start (all if empty)
  int64_t every_steps = 1;            // state: sampling interval
  RecordAt when = RecordAt::start;    // state: where in the step
  bool float32 = false;               // state
  int64_t bin_steps = 1;              // rate
};

struct TimedSpec {
  std::string name;
  std::vector<double> values;
  int64_t rows = 0, cols = 0;
  double dt = 0;
};

struct NetworkSpec {
  double dt = 1e-4;
  uint64_t seed = 0;
  std::vector<GroupSpec> groups;
  std::vector<TimedSpec> timed;
  std::vector<MonitorSpec> monitors;
  std::vector<EventSpec> events;
  // Brian2's PoissonInput: statements on a group's neurons [first, last),
  // run every step in the synapses slot, after every on_pre pathway and
  // before any on_post one, in this order (Brian2's: by name).
  std::vector<StatementSpec> poisson_inputs;
  std::vector<SynapseSpec> synapses;
  // Brian2 orders the objects of one schedule slot by name (core/network.py);
  // these give that order (empty: declaration order). update_order mixes
  // groups {0, g} and synapses' clock-driven updates {1, s}.
  std::vector<std::pair<int, int>> update_order;
  std::vector<int> group_order;   // thresholds and resets
  std::vector<int> synapse_order; // summed variables
  // The pathways {synapses, pathway} in the 'synapses' slot: Brian2's order
  // -1 (presynaptic sources) before +1, then by object name
  // (`<synapses>_<pathway>`). Empty: every presynaptic pathway in
  // declaration order, then every postsynaptic one.
  std::vector<std::pair<int, int>> pathway_order;
  // Bytes the synapses may take (0: no limit): connecting more throws
  // std::length_error before the memory runs out (connect conditions on
  // state are not known before the run).
  double memory_limit = 0;
};

// One file a monitor wrote, for the manifest.
struct OutputFile {
  std::string monitor;
  std::string field; // "t", "i", "count", "rate", or a variable name
  std::string file;  // relative to the results directory
  std::string dtype;
  std::vector<int64_t> shape;
};

} // namespace snn
