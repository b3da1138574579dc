#include "snapshot/snapshot.h"

#include <algorithm>

namespace snn {

std::shared_ptr<const Snapshot> take_snapshot(const void* owner, int64_t step, int64_t total_spikes,
                                              int64_t synaptic_events, const Groups& groups,
                                              const Synapses& synapses) {
  auto s = std::make_shared<Snapshot>();
  s->owner = owner;
  s->step = step;
  s->total_spikes = total_spikes;
  s->synaptic_events = synaptic_events;
  for (std::size_t g = 0; g < groups.size(); ++g)
    s->groups.push_back(groups[g]);
  for (std::size_t y = 0; y < synapses.size(); ++y)
    s->synapses.push_back(synapses[y]);
  s->synapses_prepared = synapses.prepared();
  return s;
}

void put_back(const Snapshot& s, Groups& groups, Synapses& synapses) {
  for (std::size_t i = 0; i < groups.size(); ++i) {
    GroupState& g = groups[i];
    const GroupState& from = s.groups[i];
    for (std::size_t v = 0; v < g.vars.size(); ++v)
      std::copy(from.vars[v].begin(), from.vars[v].end(), g.vars[v].begin());
    g.spikes = from.spikes;
    g.nspikes = from.nspikes;
    g.derived_at = -1;
    g.gen_next = from.gen_next;
    g.gen_offset = from.gen_offset;
  }
  for (std::size_t i = 0; i < synapses.size(); ++i) {
    SynapseState& y = synapses[i];
    const SynapseState& from = s.synapses[i];
    // In place when the sizes fit (so that views of the arrays stay valid).
    for (std::size_t v = 0; v < y.vars.size(); ++v) {
      if (y.vars[v].size() == from.vars[v].size())
        std::copy(from.vars[v].begin(), from.vars[v].end(), y.vars[v].begin());
      else
        y.vars[v] = from.vars[v];
      y.var_ptrs[v] = y.vars[v].data();
    }
    if (y.pre.size() == from.pre.size()) {
      std::copy(from.pre.begin(), from.pre.end(), y.pre.begin());
      std::copy(from.post.begin(), from.post.end(), y.post.begin());
    } else {
      y.pre = from.pre;
      y.post = from.post;
    }
    y.queues = from.queues;
  }
  synapses.set_prepared(s.synapses_prepared);
}

} // namespace snn
