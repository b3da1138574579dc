// The synapses objects: connectivity (pre[k] -> post[k], in Brian2's order
// of creation), the synapses' state arrays, their spike queues, and their
// kernels: connect, statements over every synapse, clock-driven equations,
// held and observed subexpressions, summed variables, and the pathways
// (on_pre, on_post, named ones) through the queues (spike_queue.h) and delivery
// (delivery.h). Synapse kernels read and write the groups they join.
#pragma once

#include "groups/groups.h"
#include "network/kernel_args.h"
#include "parallel/threads.h"
#include "snn/spec.h"
#include "snn/values.h"
#include "synapses/delivery.h"
#include "synapses/spike_queue.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace snn {

struct SynapseState {
  const SynapseSpec* spec = nullptr;
  std::vector<Values> vars; // by slot, one value per synapse
  std::vector<double*> var_ptrs;
  std::vector<int32_t> pre, post; // absolute neuron indices in the groups
  std::vector<SpikeQueue> queues; // one per pathway (spec->pathways)
  // Spread over processes (keep_local): each kept synapse's index among
  // all of them (ascending), and how many there are in all; empty and -1
  // in one process.
  std::vector<uint32_t> global;
  int64_t total = -1;
  int64_t post_lo = 0, post_hi = INT64_MAX; // the postsynaptic neurons kept
};

class Synapses {
public:
  Synapses(const std::vector<SynapseSpec>& specs, const KernelEnv& env, Threads& threads,
           Groups& groups, double memory_limit = 0);
  std::size_t size() const { return synapses_.size(); }
  SynapseState& operator[](std::size_t s) { return *synapses_[s]; }
  const SynapseState& operator[](std::size_t s) const { return *synapses_[s]; }
  // -1 if there is no such synapses object.
  int find(const std::string& name) const;

  // Creating synapses: for each presynaptic neuron of the source subgroup,
  // kernel `k` lists postsynaptic indices (relative to the target subgroup);
  // by_target, for each postsynaptic neuron presynaptic ones (the kernel sees
  // the synapses turned around); `step`: the clock's.
  void connect(int syn, const Kernel& k, int64_t step, bool by_target);
  // From explicit (pre, post) pairs, relative to the subgroups.
  void add(int syn, const std::vector<int32_t>& pre, const std::vector<int32_t>& post);
  // A kernel over every synapse of `syn` (statements, init, delays).
  void apply(int syn, const Kernel& k, int64_t step);
  // A synaptic variable; handing out a per-synapse delay marks the spike
  // queues for building again (before the next step), with the delays as
  // they are then.
  Values& variable(int syn, const std::string& var);

  // Spread over processes: marks every synapses object as a process's part
  // (before any synapse exists, so that each is kept or not as it is made).
  void start_parts();
  // Spread over processes: from now on, only the synapses onto the neurons
  // this process owns (each group's [lo, hi)) are kept, in their order,
  // with their global indices (their numbers among all, which key their
  // random numbers and values from data); those made before are filtered
  // now. The spike queues are built again.
  void keep_local();

  // Builds every pathway's spike queue (each source's synapses, delays in
  // steps) unless they are up to date with connectivity and delays.
  void prepare();
  // Once a delay variable has been handed out, its values may change at any
  // time the caller runs (between runs, in callbacks): the queues are built
  // again, before the next step, if the delays differ from theirs.
  void check_delays();
  bool prepared() const { return prepared_; }
  void set_prepared(bool p) { prepared_ = p; } // restoring a snapshot

  // The slots of a step: subexpressions 'constant over dt', monitored
  // subexpressions, summed variables (zeroed, then summed, in `order`),
  // clock-driven equations of `syn`,
  void hold(int64_t step);
  void observe(int64_t step);
  void sum(const std::vector<int>& order, int64_t step);
  void update(int syn, int64_t step);
  // and the propagation of pathway `p` of `s`: its sources' spikes (or
  // custom event) of this step, `source`, into its queue, then the synapses
  // due through its kernel.
  void propagate(SynapseState& s, int p, const SpikeList& source, int64_t step);
  // ... in two halves, for a network spread over processes that queues
  // spikes `age` steps after they happened: queueing a source's spikes,
  // and delivering the synapses due (then turning the queue's ring).
  void queue(SynapseState& s, int p, const SpikeList& source, int64_t age);
  void deliver_due(SynapseState& s, int p, int64_t step);
  // The least delay of any synapse here in a pathway with presynaptic
  // sources, in steps (INT64_MAX: none).
  int64_t min_pre_delay() const;

  // The arguments every kernel of `s` gets at `step`.
  snn_kernel_args args(const Kernel& k, const SynapseState& s, int64_t step) const;
  Delivery& delivery() { return delivery_; }

private:
  // Source i's new synapses into out[0, count) (resized if too small): count.
  // by_target: target i's, out their sources.
  int64_t generate(const Kernel& k, const SynapseState& s, int64_t step, int64_t i, bool by_target,
                   std::vector<int32_t>& out) const;
  // Connect on the threads: at most this many sources per thread in a block,
  // and about this many synapses.
  static constexpr int64_t kConnectSourcesPerPart = 2048, kConnectPartSynapses = 1 << 22;
  void sized(SynapseState& s);                           // the variables sized to the synapses
  void keep(SynapseState& s, int32_t pre, int32_t post); // a new synapse, if this process's
  static void refuse_spread(const SynapseState& s);      // synapses onto synapses: ModelError
  static uint32_t global_number(const SynapseState& s, int64_t number); // or std::length_error
  void call(const Kernel& k, SynapseState& s, int64_t step);            // over every synapse
  std::vector<std::unique_ptr<SynapseState>> synapses_;
  const KernelEnv& env_;
  Groups& groups_;
  Threads& threads_;
  Delivery delivery_;
  bool prepared_ = false;
  bool delays_handed_out_ = false;
  double memory_limit_;
  // Bytes of one synapse of `s`: its state, its two indices, its places in the queues.
  static double bytes_per_synapse(const SynapseState& s);
  void check_memory(const SynapseState& creating, std::size_t more) const;
};

} // namespace snn
