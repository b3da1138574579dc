#include "synapses/delivery.h"

#include <algorithm>
#include <functional>

namespace snn {

namespace {

// One thread's part of an on_pre/on_post kernel (snn_kernel_args::part_*).
struct KernelPart {
  const int32_t* index = nullptr;
  int64_t lo = 0, hi = 0;
};

// Due runs are fetched this many ahead of the one delivered: while the
// kernel works through one source's synapses, the memory system brings in
// the next sources' (their rows of the synapse table are in DRAM at large
// sizes, and nothing else would ask for them before the kernel stalls).
constexpr std::size_t kPrefetchRuns = 4;

} // namespace

void prefetch_synapses(const int32_t* index, int32_t first, int32_t count) {
  constexpr int32_t kLine = 64 / sizeof(int32_t);
  constexpr int32_t kMostLines = 16; // the start of long runs: the hardware follows on
  const int32_t lines = std::min((count + kLine - 1) / kLine, kMostLines);
  for (int32_t l = 0; l < lines; ++l)
    __builtin_prefetch(index + first + l * kLine);
}

void Delivery::deliver(const Kernel& kernel, const snn_kernel_args& base, const SynapseSpec& y,
                       const std::vector<int32_t>& pre_index,
                       const std::vector<int32_t>& post_index, SpikeQueue& q, bool pre,
                       int64_t post_lo, int64_t post_hi) {
  const std::vector<int32_t>& due = q.due();
  int64_t synapses = 0; // due: the step's synaptic events
  if (q.runs)
    for (std::size_t r = 0; r < due.size(); r += 2)
      synapses += due[r + 1];
  else
    synapses = static_cast<int64_t>(due.size());
  events_ += synapses;
  auto call = [&](const int32_t* selected, int64_t nselected, int64_t selected_first,
                  const KernelPart& part = {}) {
    snn_kernel_args a = base;
    a.selected = selected;
    a.nselected = nselected;
    a.selected_first = selected_first;
    a.part_index = part.index;
    a.part_lo = part.lo;
    a.part_hi = part.hi;
    kernel.fn(&a);
  };
  // The kernel reads each synapse's other neuron: for sources that spiked at
  // random, rows of the table that are rarely in the cache.
  const int32_t* other = (pre ? post_index : pre_index).data();
  auto serial_part = [&](const KernelPart& part) {
    if (q.runs) {
      // The first runs, which the loop does not fetch ahead.
      for (std::size_t r = 0; r < std::min(due.size(), kPrefetchRuns * 2); r += 2)
        prefetch_synapses(other, due[r], due[r + 1]);
      for (std::size_t r = 0; r < due.size(); r += 2) {
        if (r + kPrefetchRuns * 2 < due.size())
          prefetch_synapses(other, due[r + kPrefetchRuns * 2], due[r + kPrefetchRuns * 2 + 1]);
        call(nullptr, due[r + 1], due[r], part);
      }
      return;
    }
    // Consecutive synapses go as a range (contiguous loads in the kernel).
    std::size_t k = 1;
    while (k < due.size() && due[k] == due[0] + static_cast<int32_t>(k))
      ++k;
    auto count = static_cast<int64_t>(due.size());
    if (k == due.size())
      call(nullptr, count, due[0], part);
    else
      call(due.data(), count, 0, part);
  };
  // Split by the neurons the kernel writes: each thread takes the synapses
  // of its part of them, in the order one thread would.
  bool by_pre = kernel.split == SplitBy::pre;
  int64_t start = by_pre ? y.pre_start : y.post_start;
  int64_t n = (by_pre ? y.pre_stop : y.post_stop) - start;
  if (!by_pre) { // only the owned postsynaptic neurons receive
    int64_t stop = std::min(start + n, post_hi);
    start = std::max(start, post_lo);
    n = std::max<int64_t>(stop - start, 0);
  }
  int parts = kernel.split == SplitBy::none ? 1 : threads_.chunks(n);
  const std::vector<int32_t>& split_index = by_pre ? pre_index : post_index;
  const std::vector<int32_t>& source = pre ? pre_index : post_index;
  int64_t source_start = pre ? y.pre_start : y.post_start;
  // Each source's synapses onto part c of the targets, as ranges.
  auto onto = [&](const RunSplit& split, int c) {
    const auto stride = static_cast<std::size_t>(split.parts + 1);
    for (std::size_t r = 0; r < due.size(); r += 2) {
      for (int32_t e = due[r], end = due[r] + due[r + 1]; e < end;) {
        auto b = static_cast<std::size_t>(source[static_cast<std::size_t>(e)] - source_start);
        const int32_t* at = split.at.data() + b * stride;
        if (at[c + 1] > at[c]) call(nullptr, at[c + 1] - at[c], at[c]);
        e = static_cast<int32_t>(q.by_source[b + 1]);
      }
    }
  };
  if (parts == 1) {
    // On one thread, many sources' synapses onto a large target group go
    // tile by tile of targets, so that the targets' state stays in the L1
    // cache from one source to the next. Each target still receives its
    // events in the same order.
    int64_t targets = pre ? (by_pre ? y.post_stop - y.post_start : n) : y.pre_stop - y.pre_start;
    int tiles = tiling_ ? target_tiles(kernel, targets, synapses, q, pre) : 1;
    if (tiles > 1 && split_runs(q.tiles, q, split_index, start, n, tiles)) {
      for (int c = 0; c < tiles; ++c)
        onto(q.tiles, c);
      ++tiled_;
      return;
    }
    return serial_part({});
  }
  // (Everything the parts use lives until the pool's run returns.)
  std::function<void(int)> part;
  if (q.runs && by_pre == pre) {
    // Split by source: a run's sources ascend, so a part's are a sub-run.
    part = [&](int c) {
      auto [first, last] = Threads::chunk(n, parts, c);
      for (std::size_t r = 0; r < due.size(); r += 2) {
        auto begin = split_index.begin() + due[r], end = begin + due[r + 1];
        auto from = std::lower_bound(begin, end, static_cast<int32_t>(start + first));
        auto to = std::lower_bound(from, end, static_cast<int32_t>(start + last));
        if (to > from) call(nullptr, to - from, from - split_index.begin());
      }
    };
  } else if (q.runs && split_runs(q.split, q, split_index, start, n, parts)) {
    // Split by target: each source's synapses onto the part, a range.
    part = [&](int c) { onto(q.split, c); };
  } else {
    // The kernel skips the synapses outside the part.
    part = [&](int c) {
      auto [first, last] = Threads::chunk(n, parts, c);
      serial_part({split_index.data(), start + first, start + last});
    };
  }
  threads_.run(parts, part);
}

int Delivery::target_tiles(const Kernel& kernel, int64_t targets, int64_t synapses,
                           const SpikeQueue& q, bool pre) const {
  // Tiles of about kTileBytes of one state variable of the targets.
  constexpr int64_t kTileBytes = 32 * 1024;
  constexpr int64_t kMinPerCall = 256; // synapses per call and tile, on average
  if (!q.runs || kernel.split != (pre ? SplitBy::post : SplitBy::pre)) return 1;
  auto tiles = static_cast<int>(std::min<int64_t>(64, targets * 8 / kTileBytes));
  if (tiles < 2) return 1;
  // The due runs hold every synapse of their sources: count the sources.
  const std::vector<int32_t>& due = q.due();
  int64_t sources = q.due_sources();
  if (sources < 0) { // not counted when queued: from the runs
    sources = 0;
    for (std::size_t r = 0; r < due.size(); r += 2) {
      auto first = std::upper_bound(q.by_source.begin(), q.by_source.end(), due[r]);
      auto last = std::lower_bound(first, q.by_source.end(), due[r] + due[r + 1]);
      sources += last - first + 1;
    }
  }
  // Worth it with several sources, each reaching a sparse part of the
  // targets (a source that reaches most of them streams through their state
  // in order, which the hardware prefetches well), and long enough runs to
  // pay for the extra calls.
  bool sparse = 2 * synapses <= sources * targets;
  return sources >= 2 && sparse && synapses >= sources * tiles * kMinPerCall ? tiles : 1;
}

bool split_runs(RunSplit& split, const SpikeQueue& q, const std::vector<int32_t>& target,
                int64_t start, int64_t n, int parts) {
  if (split.parts == parts) return !split.at.empty();
  split.parts = parts;
  split.at.clear();
  std::size_t sources = q.by_source.size() - 1;
  for (std::size_t b = 0; b < sources; ++b)
    if (!std::is_sorted(target.begin() + q.by_source[b], target.begin() + q.by_source[b + 1]))
      return false;
  split.at.resize(sources * static_cast<std::size_t>(parts + 1));
  for (std::size_t b = 0; b < sources; ++b) {
    auto begin = target.begin() + q.by_source[b], end = target.begin() + q.by_source[b + 1];
    for (int c = 0; c <= parts; ++c) {
      int64_t edge = c == parts ? INT64_MAX : start + Threads::chunk(n, parts, c).first;
      auto at = std::lower_bound(begin, end, edge, [](int32_t x, int64_t e) { return x < e; });
      split.at[b * static_cast<std::size_t>(parts + 1) + static_cast<std::size_t>(c)] =
          static_cast<int32_t>(at - target.begin());
    }
  }
  return true;
}

} // namespace snn
