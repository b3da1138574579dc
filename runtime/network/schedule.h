// What runs when within a step, and at which steps: the order of the
// objects in each of Brian2's schedule slots (core/network.py orders the
// objects of a slot by name; the compiler gives that order), which groups
// may threshold in their update's loop, and the events (at/every) and
// callbacks due at the start of a step.
#pragma once

#include "snn/spec.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <utility>
#include <vector>

namespace snn {

class Schedule {
public:
  explicit Schedule(const NetworkSpec& spec);

  // The 'groups' slot: state updates of groups {0, g} and clock-driven
  // equations of synapses {1, s}, in order.
  const std::vector<std::pair<int, int>>& updates() const { return updates_; }
  // The 'thresholds' and 'resets' slots: groups, in order.
  const std::vector<int>& groups() const { return groups_; }
  // Summed variables: synapses objects, in order.
  const std::vector<int>& synapses() const { return synapses_; }
  // The 'synapses' slot: the pathways {synapses, pathway} with presynaptic
  // sources, the poisson inputs, then those with postsynaptic sources.
  const std::vector<std::pair<int, int>>& pre_pathways() const { return pre_pathways_; }
  const std::vector<std::pair<int, int>>& post_pathways() const { return post_pathways_; }
  // The 'synapses' slot's statements between the presynaptic and the
  // postsynaptic pathways (poisson inputs), in order.
  const std::vector<StatementSpec>& poisson_inputs() const { return poisson_inputs_; }
  // Whether each group thresholds in its update's loop: it has both, and
  // nothing updated after it in the slot reads what its threshold writes
  // (a synapses' update may read a group's lastspike or not_refractory).
  const std::vector<bool>& fused() const { return fused_; }

  // Calls `fn` at the start of step `first_step`, then every `period_steps`
  // steps (0: once), after the model's own events.
  void add_callback(int64_t first_step, int64_t period_steps, std::function<void()> fn);
  // Whether anything runs at the start of some steps (events, callbacks).
  bool has_events() const { return !events_.empty() || !callbacks_.empty(); }
  // The 'start' of step `step`: the statements of the events due, through
  // `apply`, then the callbacks due; whether a callback ran.
  bool start_of_step(int64_t step, const std::function<void(const StatementSpec&)>& apply) const;

private:
  struct Callback {
    int64_t first_step, period_steps;
    std::function<void()> fn;
  };
  std::vector<std::pair<int, int>> updates_;
  std::vector<int> groups_, synapses_;
  std::vector<std::pair<int, int>> pre_pathways_, post_pathways_;
  std::vector<bool> fused_;
  const std::vector<EventSpec>& events_;
  const std::vector<StatementSpec>& poisson_inputs_;
  std::deque<Callback> callbacks_;
};

} // namespace snn
