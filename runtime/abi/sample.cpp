// Brian2's sample(..., size=n) for connect generators (snn_sample of
// snn/abi.h): n distinct values of [0, total) in increasing order, as
// Brian2's synapses_create_generator takes them (selection sampling where n
// is a large part of total, a set of draws sorted otherwise). The draws are
// snn_rand's, keyed by the candidate, so the sample depends only on (seed,
// stream, step): the same whatever the thread.
#include "snn/abi.h"

#include <algorithm>
#include <unordered_set>
#include <vector>

namespace {
// Keeps the sample's draws apart from the kernel's rand() calls, which use
// the same stream and step.
constexpr uint64_t kSampleStream = 0xA5C1E57A3D1F0B29ull;
} // namespace

extern "C" const int64_t* snn_sample(uint64_t seed, uint64_t stream, int64_t step, int64_t total,
                                     int64_t n) {
  static thread_local std::vector<int64_t> out;
  out.clear();
  if (n <= 0 || total <= 0) return out.data();
  n = std::min(n, total);
  out.reserve(static_cast<std::size_t>(n));
  stream ^= kSampleStream;
  if (n * 16 > total) {
    // Knuth's selection sampling (TAOCP vol. 2, 3.4.2, algorithm S): each
    // candidate t is taken with probability (needed)/(left); exactly n are.
    for (int64_t t = 0; t < total && static_cast<int64_t>(out.size()) < n; ++t) {
      double u = snn_rand(seed, stream, step, t, 0);
      if (static_cast<double>(total - t) * u <
          static_cast<double>(n - static_cast<int64_t>(out.size())))
        out.push_back(t);
    }
    return out.data();
  }
  // Floyd's algorithm: n draws, each a uniform subset's next element.
  std::unordered_set<int64_t> taken;
  taken.reserve(static_cast<std::size_t>(2 * n));
  for (int64_t top = total - n; top < total; ++top) {
    auto t =
        static_cast<int64_t>(snn_rand(seed, stream, step, top, 0) * static_cast<double>(top + 1));
    t = std::min(t, top);
    if (!taken.insert(t).second) {
      t = top;
      taken.insert(t);
    }
    out.push_back(t);
  }
  std::sort(out.begin(), out.end());
  return out.data();
}
