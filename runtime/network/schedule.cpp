#include "network/schedule.h"

namespace snn {

Schedule::Schedule(const NetworkSpec& spec)
    : events_(spec.events), poisson_inputs_(spec.poisson_inputs) {
  // The orders of the slots: declaration order unless given.
  for (std::size_t g = 0; g < spec.groups.size(); ++g) {
    if (spec.group_order.empty()) groups_.push_back(static_cast<int>(g));
    if (spec.update_order.empty()) updates_.push_back({0, static_cast<int>(g)});
  }
  for (std::size_t s = 0; s < spec.synapses.size(); ++s) {
    if (spec.synapse_order.empty()) synapses_.push_back(static_cast<int>(s));
    if (spec.update_order.empty()) updates_.push_back({1, static_cast<int>(s)});
  }
  if (!spec.group_order.empty()) groups_ = spec.group_order;
  if (!spec.synapse_order.empty()) synapses_ = spec.synapse_order;
  if (!spec.update_order.empty()) updates_ = spec.update_order;
  std::vector<std::pair<int, int>> pathways = spec.pathway_order;
  if (pathways.empty())
    for (bool pre : {true, false})
      for (std::size_t s = 0; s < spec.synapses.size(); ++s)
        for (std::size_t p = 0; p < spec.synapses[s].pathways.size(); ++p)
          if (spec.synapses[s].pathways[p].pre == pre)
            pathways.push_back({static_cast<int>(s), static_cast<int>(p)});
  for (const auto& [s, p] : pathways)
    (spec.synapses[static_cast<std::size_t>(s)].pathways[static_cast<std::size_t>(p)].pre
         ? pre_pathways_
         : post_pathways_)
        .push_back({s, p});
  // Only groups updated after every synapses' update fuse, and none when a
  // state monitor records between the updates and the thresholds.
  fused_.assign(spec.groups.size(), false);
  for (const MonitorSpec& m : spec.monitors)
    if (m.kind == MonitorKind::state && m.when == RecordAt::groups) return;
  bool synapse_update_follows = false;
  for (auto it = updates_.rbegin(); it != updates_.rend(); ++it) {
    if (it->first == 1) {
      synapse_update_follows =
          synapse_update_follows || spec.synapses[static_cast<std::size_t>(it->second)].update;
      continue;
    }
    const GroupSpec& g = spec.groups[static_cast<std::size_t>(it->second)];
    // (A linked parameter's source may update after the group, before its
    // threshold.)
    fused_[static_cast<std::size_t>(it->second)] =
        g.update && g.threshold && !synapse_update_follows && g.links.empty();
  }
}

void Schedule::add_callback(int64_t first_step, int64_t period_steps, std::function<void()> fn) {
  callbacks_.push_back({first_step, period_steps, std::move(fn)});
}

bool Schedule::start_of_step(int64_t step,
                             const std::function<void(const StatementSpec&)>& apply) const {
  for (const EventSpec& e : events_) {
    if (step < e.first_step || (e.last_step >= 0 && step > e.last_step)) continue;
    bool due =
        e.period_steps > 0 ? (step - e.first_step) % e.period_steps == 0 : step == e.first_step;
    if (!due) continue;
    for (const StatementSpec& s : e.statements)
      apply(s);
  }
  bool called = false;
  // By index: a callback may add callbacks (they run from the next step on).
  for (std::size_t k = 0, n = callbacks_.size(); k < n; ++k) {
    const Callback& c = callbacks_[k];
    if (step < c.first_step) continue;
    if (c.period_steps > 0 ? (step - c.first_step) % c.period_steps == 0 : step == c.first_step) {
      c.fn(); // (a deque: callbacks added meanwhile leave `c` in place)
      called = true;
    }
  }
  return called;
}

} // namespace snn
