// The neuron groups: each group's state (structure of arrays), its spikes
// of this step, and its kernels run over it: state updates, thresholds
// (alone or in the update's loop), resets, subexpressions held over a step
// or observed for monitors, derived variables, and spike generators. Large
// groups are cut in parts over the threads in a step that is split
// (parallel/threads.h); spikes are packed in index order, so the results are
// the same bits whatever the thread count.
#pragma once

#include "network/kernel_args.h"
#include "parallel/threads.h"
#include "snn/spec.h"
#include "snn/values.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace snn {

struct GroupState {
  const GroupSpec* spec = nullptr;
  std::vector<Values> vars; // by slot
  std::vector<double*> var_ptrs;
  Indices spikes; // this step's spikes, in index order
  int64_t nspikes = 0;
  std::vector<Indices> events;  // this step's custom events, by GroupSpec::events, in index order
  std::vector<int64_t> nevents; // ... and their counts
  std::size_t gen_next = 0;     // next generator spike
  int64_t gen_offset = 0;       // steps added by periodic repetition
  // The threshold runs right after the update, each thread on its own part:
  // nothing scheduled between them reads what the threshold writes.
  bool fused = false;
  int64_t derived_at = -1; // the step at which the derived variables were last computed
  // The neurons this process updates, thresholds and resets: all of them,
  // or its block when the network is spread over processes (distributed/).
  int64_t lo = 0, hi = 0;
};

// A step's spikes of one group: indices in the group, in index order.
struct SpikeList {
  const int32_t* index = nullptr;
  int64_t n = 0;
};

class Groups {
public:
  // `fused[g]`: whether group g thresholds in its update's loop (Schedule).
  Groups(const std::vector<GroupSpec>& specs, const std::vector<bool>& fused, const KernelEnv& env,
         Threads& threads);
  std::size_t size() const { return groups_.size(); }
  GroupState& operator[](std::size_t g) { return *groups_[g]; }
  const GroupState& operator[](std::size_t g) const { return *groups_[g]; }
  // -1 if there is no such group.
  int find(const std::string& name) const;
  // Every index of a link with an index (Brian2's linked_var(...,
  // index=...)) names a neuron of its source: a ModelError otherwise. Called
  // before each run and after statements, which may change the indices.
  void check_links() const;
  // A state variable of group g; one the step does not store is computed as
  // it was at the end of the last step (`step` is the clock's).
  Values& variable(int g, const std::string& var, int64_t step);

  // Kernel `k` over elements [first, last) of `g` (last < 0: all) at `step`,
  // on the calling thread; returns the kernel's spike count.
  int64_t call(int64_t step, const Kernel& k, GroupState& g, int32_t* spikes, int64_t nspikes,
               int64_t first = 0, int64_t last = -1) const;

  // The slots of a step, each over the threads if the step is split:
  // subexpressions 'constant over dt' of every group,
  void hold(int64_t step);
  // monitored subexpressions of every group,
  void observe(int64_t step);
  // the state update of `g` (and its threshold, if fused),
  void update(GroupState& g, int64_t step);
  // the threshold of `g` (unless fused) or its generator's spikes: sets
  // g.nspikes and returns it; then the conditions of its custom events
  // (g.events, g.nevents),
  int64_t threshold(GroupState& g, int64_t step);
  // the monitored subexpressions of every group that spiked, as they are at
  // the spikes (spike monitors may record them), on this thread,
  void observe_spiking(int64_t step);
  // the reset of `g`'s spikes,
  void reset(GroupState& g, int64_t step);
  // and the statements of `g`'s custom events for the neurons of each.
  void run_on_events(GroupState& g, int64_t step);
  // Kernel `k` over the neurons of [first, last) that g owns, over the
  // threads (a statement run every step: a poisson_input's).
  void call_owned(const Kernel& k, GroupState& g, int64_t first, int64_t last, int64_t step);

  // The first state variable that is NaN or infinite (group, slot, index),
  // if any, among the neurons this process owns.
  bool find_non_finite(std::size_t& group, std::size_t& slot, int64_t& index) const;

private:
  // `k` over the neurons of `g` this process owns, over the step's parts.
  void call_all(const Kernel& k, GroupState& g, int64_t step);
  // The update then the threshold over [first, last): the step kernel, or both.
  int64_t update_and_threshold(GroupState& g, int64_t step, int64_t first, int64_t last) const;
  // The threshold `k` over `parts` parts, each updated first if
  // `update_first`; packs the parts' selected neurons into `out` in order.
  int64_t parallel_select(GroupState& g, const Kernel& k, Indices& out, int64_t step, int parts,
                          bool update_first);
  // The threshold kernel `k` over the neurons g owns, over the threads:
  // the neurons it selects, packed into `out`, and their count.
  int64_t select(GroupState& g, const Kernel& k, Indices& out, int64_t step);
  // The conditions of g's custom events.
  void check_events(GroupState& g, int64_t step);
  void emit_generated_spikes(GroupState& g, int64_t step) const;
  // Moves `count` indices written from out[first] to the front.
  static int64_t pack_from(Indices& out, int64_t first, int64_t count);

  std::vector<std::unique_ptr<GroupState>> groups_;
  const KernelEnv& env_;
  Threads& threads_;
  std::vector<int64_t> chunk_counts_;
};

} // namespace snn
