#include "parallel/whole_steps.h"

#include <algorithm>
#include <exception>

namespace snn {

// Parts' spike counts are kPad apart: each on a cache line of its own.
constexpr int kPad = 8;
// Spikes ahead of the one delivered whose synapses are fetched.
constexpr std::ptrdiff_t kAhead = 4;

struct WholeSteps::Buffers {
  int parts = 0;
  Indices spikes[2];
  std::vector<int64_t, CacheLineAllocator<int64_t>> counts[2];
  Indices packed;
};

bool WholeSteps::possible() {
  if (!threads_.pooled() || groups_.size() != 1 || schedule_.has_events() || timed_arrays_ ||
      !schedule_.poisson_inputs().empty())
    return false;
  GroupState& g = groups_[0];
  const GroupSpec& gs = *g.spec;
  if (!g.fused || !gs.step || gs.hold || gs.observe || !gs.gen_steps.empty() || !gs.events.empty())
    return false;
  int parts = threads_.parts_of(gs.size);
  if (parts < 2) return false;
  if (monitors_.read_state()) return false;
  synapses_.prepare();
  for (std::size_t si = 0; si < synapses_.size(); ++si) {
    SynapseState& s = synapses_[si];
    const SynapseSpec& y = *s.spec;
    if (y.update || y.hold || y.observe || y.summed || y.pathways.size() != 1 || !y.pathways[0].pre)
      return false;
    SpikeQueue& q = s.queues[0];
    if (y.post_start != 0 || y.post_stop != gs.size) return false;
    const Kernel& k = y.pathways[0].kernel;
    if (k.split != SplitBy::post || k.reads_pre) return false;
    if (!q.runs || q.common_delay != 0 || !q.delay.empty() || q.buckets.size() != 1 ||
        !q.buckets[0].empty())
      return false;
    if (!split_runs(q.split, q, s.post, 0, gs.size, parts)) return false;
  }
  if (!buffers_ || buffers_->parts != parts) {
    buffers_ = std::make_shared<Buffers>();
    buffers_->parts = parts;
    for (int b = 0; b < 2; ++b) {
      buffers_->spikes[b].assign(static_cast<std::size_t>(gs.size), 0);
      buffers_->counts[b].assign(static_cast<std::size_t>(parts * kPad), 0);
    }
    buffers_->packed.assign(static_cast<std::size_t>(gs.size), 0);
  }
  return true;
}

// Each thread through its part of the group, step by step:
//   update and threshold of its part -> barrier -> delivery of every
//   part's spikes onto its part of the targets (sources in index order, as
//   one thread delivers them) -> reset of its part's spikes.
// A thread reads another part's state only through its spikes, which stay in
// their buffer until two steps later, so one barrier per step suffices;
// thread 0 also packs the spikes and hands them to the monitors. The bits
// are those of one thread.
void WholeSteps::run(int64_t step0, int64_t count, int64_t& total_spikes) {
  GroupState& g = groups_[0];
  const GroupSpec& gs = *g.spec;
  Buffers& par = *buffers_;
  const int parts = par.parts;
  const auto stride = static_cast<std::size_t>(parts + 1);
  // What the threads read, gathered before the job (nothing that one writes
  // during it shares a cache line with what another reads, but the spikes).
  struct Pathway {
    const Kernel* kernel;
    snn_kernel_args args;
    int64_t pre_start, pre_stop;
    const int32_t* at;
  };
  std::vector<Pathway> pathways;
  for (const auto& [si, pi] : schedule_.pre_pathways()) { // each synapses' one pathway
    SynapseState& s = synapses_[static_cast<std::size_t>(si)];
    const SynapseSpec& y = *s.spec;
    const Kernel& k = y.pathways[0].kernel;
    pathways.push_back(
        {&k, synapses_.args(k, s, step0), y.pre_start, y.pre_stop, s.queues[0].split.at.data()});
  }
  // Prefetches, ahead of the delivery (the rows of the split table and of
  // the synapse table that a spiking source's synapses are in: at large
  // sizes, in DRAM).
  auto prefetch_row = [stride](const Pathway& w, int32_t n) {
    if (n >= w.pre_start && n < w.pre_stop)
      __builtin_prefetch(w.at + static_cast<std::size_t>(n - w.pre_start) * stride);
  };
  auto prefetch_targets = [stride](const Pathway& w, int32_t n, int c) {
    if (n < w.pre_start || n >= w.pre_stop) return;
    const int32_t* at = w.at + static_cast<std::size_t>(n - w.pre_start) * stride;
    prefetch_synapses(w.args.post_index, at[c], at[c + 1] - at[c]);
  };
  std::vector<int64_t> firsts;
  for (int p = 0; p <= parts; ++p)
    firsts.push_back(p == parts ? gs.size : Threads::chunk(gs.size, parts, p).first);
  int64_t spikes_total = 0, last_count = 0;
  std::exception_ptr failed;                                       // a monitor's (thread 0)
  std::vector<int64_t> events(static_cast<std::size_t>(parts), 0); // each thread's, at its end
  threads_.run(parts, [&](int c) {
    std::vector<Pathway> mine = pathways;
    int64_t delivered = 0;
    for (int64_t k = 0; k < count; ++k) {
      int64_t step = step0 + k;
      int32_t* spikes = par.spikes[step & 1].data();
      int64_t* counts = par.counts[step & 1].data(); // part p at counts[p * kPad]
      counts[c * kPad] = groups_.call(step, gs.step, g, spikes, 0, firsts[c], firsts[c + 1]);
      threads_.barrier(parts, c);
      for (Pathway& w : mine) {
        w.args.step = step;
        w.args.t = static_cast<double>(step) * env_.dt;
        // The first spikes of every part, which the loop below does not
        // fetch ahead: their rows at once, then their targets.
        for (int pass = 0; pass < 2; ++pass)
          for (int p = 0; p < parts; ++p) {
            const int32_t* from = spikes + firsts[p];
            const int32_t* to = from + std::min<int64_t>(counts[p * kPad], (2 - pass) * kAhead);
            for (const int32_t* n = from; n != to; ++n)
              pass == 0 ? prefetch_row(w, *n) : prefetch_targets(w, *n, c);
          }
        for (int p = 0; p < parts; ++p) {
          const int32_t* from = spikes + firsts[p];
          const int32_t* to = from + counts[p * kPad];
          for (const int32_t* n = from; n != to; ++n) {
            // Ahead of the delivery: the split table's row of a later spike,
            // then (its row in by now) the targets of a nearer one.
            if (to - n > 2 * kAhead) prefetch_row(w, n[2 * kAhead]);
            if (to - n > kAhead) prefetch_targets(w, n[kAhead], c);
            if (*n < w.pre_start || *n >= w.pre_stop) continue;
            const int32_t* at = w.at + static_cast<std::size_t>(*n - w.pre_start) * stride;
            if (at[c + 1] == at[c]) continue;
            w.args.selected_first = at[c];
            w.args.nselected = at[c + 1] - at[c];
            delivered += w.args.nselected;
            w.kernel->fn(&w.args);
          }
        }
      }
      if (gs.reset && counts[c * kPad] > 0)
        groups_.call(step, gs.reset, g, spikes + firsts[c], counts[c * kPad]);
      if (c != 0) continue;
      // Thread 0: the step's spikes in order, to the monitors.
      int64_t n = 0;
      for (int p = 0; p < parts; ++p) {
        const int32_t* from = spikes + firsts[p];
        std::copy(from, from + counts[p * kPad], par.packed.begin() + n);
        n += counts[p * kPad];
      }
      spikes_total += n;
      last_count = n;
      if (failed) continue;
      try {
        monitors_.record_spikes(step, par.packed.data(), n, g.var_ptrs);
      } catch (...) {
        failed = std::current_exception();
      }
    }
    events[static_cast<std::size_t>(c)] = delivered;
  });
  steps_run_ += count;
  for (int64_t e : events)
    events_ += e;
  total_spikes += spikes_total;
  std::copy(par.packed.begin(), par.packed.begin() + last_count, g.spikes.begin());
  g.nspikes = last_count;
  if (failed) std::rethrow_exception(failed);
}

} // namespace snn
