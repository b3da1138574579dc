#include "distributed/spread.h"

#include "snn/errors.h"

#include <algorithm>
#include <chrono>
#include <sstream>

namespace snn {

Spread::Spread(Communicator& comm, const NetworkSpec& spec, Groups& groups, Synapses& synapses,
               Monitors& monitors)
    : comm_(comm), spec_(spec), groups_(groups), synapses_(synapses), monitors_(monitors) {
  // Network::spread_over has set each group's block (GroupState::lo, hi).
  const int r = comm.rank();
  synapses.keep_local(); // any made before spread_over
  monitors.set_silent(r != 0);
  // Each state monitor: which of its elements this process owns.
  for (std::size_t k = 0; k < monitors.size(); ++k) {
    const MonitorSpec& m = monitors.spec(k);
    if (m.kind != MonitorKind::state) continue;
    Plan p;
    p.monitor = k;
    const SynapseState* y =
        m.synapses >= 0 ? &synapses[static_cast<std::size_t>(m.synapses)] : nullptr;
    const GroupState* g = m.group >= 0 ? &groups[static_cast<std::size_t>(m.group)] : nullptr;
    p.size = y ? y->total : g->spec->size;
    int64_t n = y ? y->total : m.stop - m.start;
    std::vector<int64_t> record = m.record;
    if (record.empty())
      for (int64_t e = 0; e < n; ++e)
        record.push_back(e);
    for (int64_t e : record)
      if (e >= n) // as the monitor says it, but on every process
        throw ModelError("monitor '" + m.name + "' records index " + std::to_string(e) +
                             ", beyond the " + std::to_string(p.size) + " elements recorded",
                         m.name);
    p.width = record.size();
    for (std::size_t pos = 0; pos < record.size(); ++pos) {
      int64_t e = record[pos];
      if (g) {
        int64_t neuron = m.start + e;
        if (neuron < g->lo || neuron >= g->hi) continue;
        p.local.push_back(neuron);
      } else {
        auto it = std::lower_bound(y->global.begin(), y->global.end(), e);
        if (it == y->global.end() || *it != e) continue;
        p.local.push_back(it - y->global.begin());
      }
      p.positions.push_back(static_cast<int32_t>(pos));
    }
    std::vector<int32_t> all;
    std::vector<int64_t> counts;
    comm.all_gather(p.positions.data(), static_cast<int64_t>(p.positions.size()), all, counts);
    if (r == 0) {
      std::size_t at = 0;
      for (int64_t c : counts) {
        p.positions_of.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(at),
                                    all.begin() + static_cast<std::ptrdiff_t>(at + c));
        at += static_cast<std::size_t>(c);
      }
      p.values.assign(m.slots.size(), std::vector<double>(p.width));
    }
    plans_.push_back(std::move(p));
  }
}

void Spread::collect(int64_t step) {
  if (exchanged_) used_ = 0, exchanged_ = false;
  if (used_ == steps_.size()) steps_.emplace_back();
  Step& st = steps_[used_++];
  st.step = step;
  st.spikes.resize(groups_.size());
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const GroupState& gs = groups_[g];
    st.spikes[g].assign(gs.spikes.begin(), gs.spikes.begin() + gs.nspikes);
  }
}

int64_t Spread::least(int64_t mine) {
  int64_t d = mine;
  for (const std::string& s : comm_.all_gather(std::to_string(mine)))
    d = std::min<int64_t>(d, std::stoll(s));
  return d;
}

int64_t Spread::exchange(int local_flags, int& flags) {
  auto t0 = std::chrono::steady_clock::now();
  steps_.resize(used_);
  exchanged_ = true;
  auto sent = [&](std::size_t g) { return groups_[g].spec->gen_steps.empty(); };
  // [flags, then per step, per group sent: count, indices]
  send_.clear();
  send_.push_back(local_flags);
  int64_t local = 0;
  for (const Step& st : steps_)
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      if (!sent(g)) continue; // a spike generator's: the same everywhere
      send_.push_back(static_cast<int32_t>(st.spikes[g].size()));
      send_.insert(send_.end(), st.spikes[g].begin(), st.spikes[g].end());
      local += static_cast<int64_t>(st.spikes[g].size());
    }
  comm_.all_gather(send_.data(), static_cast<int64_t>(send_.size()), all_, counts_);
  for (Step& st : steps_)
    for (std::size_t g = 0; g < groups_.size(); ++g)
      if (sent(g)) st.spikes[g].clear();
  flags = 0;
  std::size_t at = 0;
  int64_t total = 0;
  for (int r = 0; r < comm_.size(); ++r) {
    std::size_t end = at + static_cast<std::size_t>(counts_[static_cast<std::size_t>(r)]);
    flags |= all_[at++];
    for (Step& st : steps_)
      for (std::size_t g = 0; g < groups_.size(); ++g) {
        if (!sent(g)) continue;
        auto c = static_cast<std::size_t>(all_[at++]);
        st.spikes[g].insert(st.spikes[g].end(), all_.begin() + static_cast<std::ptrdiff_t>(at),
                            all_.begin() + static_cast<std::ptrdiff_t>(at + c));
        at += c;
        total += static_cast<int64_t>(c);
      }
    if (at != end) throw std::logic_error("spike exchange: a message of the wrong length");
  }
  exchange_s_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return total - local;
}

void Spread::record_state(RecordAt when, int64_t step) {
  for (Plan& p : plans_) {
    const MonitorSpec& m = monitors_.spec(p.monitor);
    if (m.when != when || step % m.every_steps != 0) continue;
    // Whether it records is decided the same way on every process (the
    // driver activates monitors on all); a failed write is known only on
    // process 0, whose monitor then ignores what it is sent.
    if (!monitors_.enabled(p.monitor)) continue;
    dsend_.clear();
    for (int slot : m.slots) {
      const double* src =
          m.synapses >= 0
              ? synapses_[static_cast<std::size_t>(m.synapses)]
                    .var_ptrs[static_cast<std::size_t>(slot)]
              : groups_[static_cast<std::size_t>(m.group)].var_ptrs[static_cast<std::size_t>(slot)];
      for (int64_t e : p.local)
        dsend_.push_back(src[e]);
    }
    comm_.gather(dsend_.data(), static_cast<int64_t>(dsend_.size()), dall_, dcounts_);
    if (comm_.rank() != 0) continue;
    std::size_t at = 0;
    for (std::size_t r = 0; r < p.positions_of.size(); ++r) {
      const auto& pos = p.positions_of[r];
      for (std::size_t v = 0; v < m.slots.size(); ++v)
        for (int32_t k : pos)
          p.values[v][static_cast<std::size_t>(k)] = dall_[at++];
    }
    monitors_.record_gathered(p.monitor, step, p.size, p.values);
  }
}

bool Spread::find_non_finite(std::size_t& group, std::size_t& slot, int64_t& index) {
  std::string mine;
  if (groups_.find_non_finite(group, slot, index))
    mine = std::to_string(group) + ' ' + std::to_string(slot) + ' ' + std::to_string(index);
  bool found = false;
  for (const std::string& s : comm_.all_gather(mine)) {
    if (s.empty()) continue;
    std::istringstream in(s);
    std::size_t g = 0, v = 0;
    int64_t i = 0;
    in >> g >> v >> i;
    if (!found || std::tie(g, v, i) < std::tie(group, slot, index)) {
      group = g, slot = v, index = i;
      found = true;
    }
  }
  return found;
}

} // namespace snn
