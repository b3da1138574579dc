#include "groups/groups.h"

#include "snn/errors.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace snn {

Groups::Groups(const std::vector<GroupSpec>& specs, const std::vector<bool>& fused,
               const KernelEnv& env, Threads& threads)
    : env_(env), threads_(threads) {
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const GroupSpec& g = specs[i];
    auto st = std::make_unique<GroupState>();
    st->spec = &g;
    st->vars.assign(g.variables.size(), Values(static_cast<std::size_t>(g.size), 0.0));
    for (auto& v : st->vars)
      st->var_ptrs.push_back(v.data());
    st->spikes.resize(static_cast<std::size_t>(g.size));
    st->events.assign(g.events.size(), Indices(static_cast<std::size_t>(g.size)));
    st->nevents.assign(g.events.size(), 0);
    st->fused = fused[i];
    st->hi = g.size;
    groups_.push_back(std::move(st));
  }
  // A linked parameter's kernels read the source's array itself.
  for (auto& g : groups_)
    for (const LinkSpec& l : g->spec->links)
      g->var_ptrs[static_cast<std::size_t>(l.slot)] =
          groups_.at(static_cast<std::size_t>(l.source))
              ->vars.at(static_cast<std::size_t>(l.source_slot))
              .data();
}

void Groups::check_links() const {
  for (const auto& g : groups_)
    for (const LinkSpec& l : g->spec->links) {
      if (l.index_slot < 0) continue;
      const GroupState& src = *groups_[static_cast<std::size_t>(l.source)];
      const Values& index = g->vars[static_cast<std::size_t>(l.index_slot)];
      for (std::size_t n = 0; n < index.size(); ++n)
        if (!(index[n] >= 0 && index[n] < static_cast<double>(src.spec->size))) {
          const std::string& var = g->spec->variables[static_cast<std::size_t>(l.slot)];
          throw ModelError("group '" + g->spec->name + "': neuron " + std::to_string(n) +
                               " of the link of '" + var + "' reads neuron " +
                               std::to_string(static_cast<long long>(index[n])) + " of '" +
                               src.spec->name + "', which has " + std::to_string(src.spec->size) +
                               " (its index is out of range)",
                           g->spec->name);
        }
    }
}

int Groups::find(const std::string& name) const {
  for (std::size_t g = 0; g < groups_.size(); ++g)
    if (groups_[g]->spec->name == name) return static_cast<int>(g);
  return -1;
}

Values& Groups::variable(int group, const std::string& var, int64_t step) {
  GroupState& g = *groups_.at(static_cast<std::size_t>(group));
  const auto& names = g.spec->variables;
  auto it = std::find(names.begin(), names.end(), var);
  if (it == names.end())
    throw std::out_of_range("group '" + g.spec->name + "' has no variable '" + var + "'");
  auto slot = static_cast<int>(it - names.begin());
  for (const LinkSpec& l : g.spec->links) // a linked parameter: the variable it is
    if (l.slot == slot)
      return variable(l.source,
                      groups_[static_cast<std::size_t>(l.source)]
                          ->spec->variables[static_cast<std::size_t>(l.source_slot)],
                      step);
  // A variable the step does not store: computed as at the end of the last step.
  const auto& derived = g.spec->derived_slots;
  if (step > 0 && g.derived_at != step &&
      std::find(derived.begin(), derived.end(), slot) != derived.end()) {
    call(step - 1, g.spec->derived, g, nullptr, 0);
    g.derived_at = step;
  }
  return g.vars[static_cast<std::size_t>(slot)];
}

int64_t Groups::call(int64_t step, const Kernel& k, GroupState& g, int32_t* spikes, int64_t nspikes,
                     int64_t first, int64_t last) const {
  snn_kernel_args a = kernel_args(env_, k, step);
  a.n = last < 0 ? g.spec->size : last;
  a.first = first;
  a.vars = g.var_ptrs.data();
  a.spikes = spikes;
  a.nspikes = nspikes;
  k.fn(&a);
  return a.nspikes;
}

namespace {

// Part c of `parts` of the neurons g owns.
std::pair<int64_t, int64_t> owned_part(const GroupState& g, int parts, int c) {
  auto [first, last] = Threads::chunk(g.hi - g.lo, parts, c);
  return {g.lo + first, g.lo + last};
}

} // namespace

void Groups::call_all(const Kernel& k, GroupState& g, int64_t step) {
  int parts = threads_.chunks(g.hi - g.lo);
  if (parts == 1) {
    call(step, k, g, nullptr, 0, g.lo, g.hi);
    return;
  }
  threads_.run(parts, [&](int c) {
    auto [first, last] = owned_part(g, parts, c);
    call(step, k, g, nullptr, 0, first, last);
  });
}

void Groups::call_owned(const Kernel& k, GroupState& g, int64_t first, int64_t last, int64_t step) {
  int64_t lo = std::max(first, g.lo), hi = std::min(last, g.hi);
  if (hi <= lo) return;
  int parts = threads_.chunks(hi - lo);
  if (parts == 1) {
    call(step, k, g, nullptr, 0, lo, hi);
    return;
  }
  threads_.run(parts, [&](int c) {
    auto [a, b] = Threads::chunk(hi - lo, parts, c);
    call(step, k, g, nullptr, 0, lo + a, lo + b);
  });
}

void Groups::hold(int64_t step) {
  for (auto& g : groups_)
    if (g->spec->hold) call_all(g->spec->hold, *g, step);
}

void Groups::observe(int64_t step) {
  for (auto& g : groups_)
    if (g->spec->observe) call_all(g->spec->observe, *g, step);
}

void Groups::observe_spiking(int64_t step) {
  for (auto& g : groups_) {
    if (!g->spec->observe) continue;
    bool any = g->nspikes > 0;
    for (int64_t n : g->nevents)
      any = any || n > 0;
    if (any) call(step, g->spec->observe, *g, nullptr, 0);
  }
}

void Groups::update(GroupState& g, int64_t step) {
  if (g.fused) {
    int parts = threads_.chunks(g.hi - g.lo);
    g.nspikes = parts > 1 ? parallel_select(g, g.spec->threshold, g.spikes, step, parts, true)
                          : pack_from(g.spikes, g.lo, update_and_threshold(g, step, g.lo, g.hi));
  } else if (g.spec->update) {
    call_all(g.spec->update, g, step);
  }
}

int64_t Groups::threshold(GroupState& g, int64_t step) {
  if (!g.fused) { // (else thresholded with its update)
    g.nspikes = 0;
    if (g.spec->threshold)
      g.nspikes = select(g, g.spec->threshold, g.spikes, step);
    else if (!g.spec->gen_steps.empty())
      emit_generated_spikes(g, step);
  }
  check_events(g, step);
  return g.nspikes;
}

void Groups::check_events(GroupState& g, int64_t step) {
  for (std::size_t e = 0; e < g.spec->events.size(); ++e)
    g.nevents[e] = select(g, g.spec->events[e].condition, g.events[e], step);
}

int64_t Groups::select(GroupState& g, const Kernel& k, Indices& out, int64_t step) {
  int parts = threads_.chunks(g.hi - g.lo);
  return parts == 1 ? pack_from(out, g.lo, call(step, k, g, out.data(), 0, g.lo, g.hi))
                    : parallel_select(g, k, out, step, parts, false);
}

void Groups::reset(GroupState& g, int64_t step) {
  if (g.spec->reset && g.nspikes > 0) call(step, g.spec->reset, g, g.spikes.data(), g.nspikes);
}

void Groups::run_on_events(GroupState& g, int64_t step) {
  for (std::size_t e = 0; e < g.spec->events.size(); ++e) {
    const Kernel& k = g.spec->events[e].statements;
    if (k && g.nevents[e] > 0) call(step, k, g, g.events[e].data(), g.nevents[e]);
  }
}

int64_t Groups::pack_from(Indices& out, int64_t first, int64_t count) {
  // A threshold over [first, ...) writes its spikes from out[first].
  if (first > 0) std::copy(out.begin() + first, out.begin() + first + count, out.begin());
  return count;
}

int64_t Groups::update_and_threshold(GroupState& g, int64_t step, int64_t first,
                                     int64_t last) const {
  if (g.spec->step) return call(step, g.spec->step, g, g.spikes.data(), 0, first, last);
  call(step, g.spec->update, g, nullptr, 0, first, last);
  return call(step, g.spec->threshold, g, g.spikes.data(), 0, first, last);
}

int64_t Groups::parallel_select(GroupState& g, const Kernel& k, Indices& out, int64_t step,
                                int parts, bool update_first) {
  chunk_counts_.assign(static_cast<std::size_t>(parts), 0);
  threads_.run(parts, [&](int c) {
    auto [first, last] = owned_part(g, parts, c);
    chunk_counts_[static_cast<std::size_t>(c)] = update_first
                                                     ? update_and_threshold(g, step, first, last)
                                                     : call(step, k, g, out.data(), 0, first, last);
  });
  // Each part wrote its selection from its first element on: pack them, in order.
  int64_t n = pack_from(out, g.lo, chunk_counts_[0]);
  for (int c = 1; c < parts; ++c) {
    int64_t first = owned_part(g, parts, c).first;
    int64_t count = chunk_counts_[static_cast<std::size_t>(c)];
    std::copy(out.begin() + first, out.begin() + first + count, out.begin() + n);
    n += count;
  }
  return n;
}

void Groups::emit_generated_spikes(GroupState& g, int64_t step) const {
  const GroupSpec& s = *g.spec;
  g.nspikes = 0;
  while (true) {
    if (g.gen_next >= s.gen_steps.size()) {
      if (s.gen_period_steps <= 0 || s.gen_steps.empty()) return;
      g.gen_next = 0;
      g.gen_offset += s.gen_period_steps;
    }
    int64_t due = s.gen_steps[g.gen_next] + g.gen_offset;
    if (due > step) return;
    if (due == step && g.nspikes < static_cast<int64_t>(g.spikes.size()))
      g.spikes[static_cast<std::size_t>(g.nspikes++)] = s.gen_indices[g.gen_next];
    ++g.gen_next;
  }
}

bool Groups::find_non_finite(std::size_t& group, std::size_t& slot, int64_t& index) const {
  for (std::size_t g = 0; g < groups_.size(); ++g)
    for (std::size_t v = 0; v < groups_[g]->vars.size(); ++v) {
      const Values& x = groups_[g]->vars[v];
      for (auto k = static_cast<std::size_t>(groups_[g]->lo);
           k < static_cast<std::size_t>(groups_[g]->hi); ++k)
        if (!std::isfinite(x[k])) {
          group = g;
          slot = v;
          index = static_cast<int64_t>(k);
          return true;
        }
    }
  return false;
}

} // namespace snn
