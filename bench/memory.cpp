// What this machine's memory system gives, as floors for bench/run.py's
// figures per neuron-step and per synaptic event; no snnc code.
//
//   - stream: reading a 1 GiB array of doubles in order (a sum), on one
//     thread and on two, in GB/s: the rate at which a step can stream state
//     and synapses that do not fit in the caches.
//   - latency: one load that depends on the one before (a pointer chase
//     through a random cycle over 1 GiB), in ns: a cache miss to DRAM that
//     nothing hides.
//   - scatter: CUBA's delivery without snnc: for each spike, 80 synapses
//     whose targets (int32, sorted, as snnc keeps a source's synapses) are
//     read in order and whose target's double is incremented, for target
//     groups of 4k, 40k and 400k neurons and synapse tables of 80 per
//     neuron, sources drawn at random; in ns per synaptic event. It is the
//     least a synaptic event of CUBA costs here, with the targets' state
//     in the cache level it fits in and the synapse table streamed.
//
//   memory [GiB]   (default 1)
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The best of `reps` timings of f(): the machine's figure, not a busy moment's.
template <class F> double best_of(int reps, F f) {
  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    auto t0 = Clock::now();
    f();
    best = std::min(best, seconds_since(t0));
  }
  return best;
}

volatile double g_sink = 0; // keeps the sums from being optimised away

double sum(const double* x, std::size_t n) {
  double a = 0, b = 0, c = 0, d = 0;
  for (std::size_t k = 0; k + 4 <= n; k += 4) {
    a += x[k];
    b += x[k + 1];
    c += x[k + 2];
    d += x[k + 3];
  }
  return a + b + c + d;
}

double stream_gbs(const std::vector<double>& x, int threads) {
  std::size_t part = x.size() / static_cast<std::size_t>(threads);
  double s = best_of(5, [&] {
    std::vector<std::thread> pool;
    std::vector<double> sums(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        sums[static_cast<std::size_t>(t)] =
            sum(x.data() + static_cast<std::size_t>(t) * part, part);
      });
    for (auto& th : pool)
      th.join();
    g_sink = g_sink + std::accumulate(sums.begin(), sums.end(), 0.0);
  });
  return static_cast<double>(part * static_cast<std::size_t>(threads) * sizeof(double)) / s / 1e9;
}

double latency_ns(std::size_t bytes) {
  // Sattolo's shuffle: one cycle through every slot, in random order.
  std::size_t n = bytes / sizeof(std::uint32_t);
  std::vector<std::uint32_t> next(n);
  std::iota(next.begin(), next.end(), 0u);
  std::mt19937_64 rng(1);
  for (std::size_t k = n - 1; k > 0; --k)
    std::swap(next[k], next[std::uniform_int_distribution<std::size_t>(0, k - 1)(rng)]);
  const std::size_t loads = 20'000'000;
  std::uint32_t at = 0;
  double s = best_of(3, [&] {
    for (std::size_t k = 0; k < loads; ++k)
      at = next[at];
  });
  g_sink = g_sink + at;
  return s / static_cast<double>(loads) * 1e9;
}

double scatter_ns(int targets) {
  const int per_source = 80;
  const int sources = targets; // 80 synapses per neuron, as CUBA has
  std::vector<std::int32_t> post(static_cast<std::size_t>(sources) * per_source);
  std::mt19937_64 rng(2);
  std::uniform_int_distribution<std::int32_t> target(0, targets - 1);
  for (int s = 0; s < sources; ++s) {
    auto row = post.begin() + static_cast<std::ptrdiff_t>(s) * per_source;
    for (auto it = row; it != row + per_source; ++it)
      *it = target(rng);
    std::sort(row, row + per_source);
  }
  std::vector<double> ge(static_cast<std::size_t>(targets), 0.0);
  const int spikes = 2'000'000 / per_source * 10; // 2 * 10^7 events
  std::vector<std::int32_t> order(static_cast<std::size_t>(spikes));
  std::uniform_int_distribution<std::int32_t> source(0, sources - 1);
  for (auto& o : order)
    o = source(rng);
  double s = best_of(3, [&] {
    for (std::int32_t src : order) {
      const std::int32_t* row = post.data() + static_cast<std::size_t>(src) * per_source;
      for (int k = 0; k < per_source; ++k)
        ge[static_cast<std::size_t>(row[k])] += 1.62e-3;
    }
  });
  g_sink = g_sink + ge[0];
  return s / (static_cast<double>(spikes) * per_source) * 1e9;
}

} // namespace

int main(int argc, char** argv) {
  double gib = argc > 1 ? std::atof(argv[1]) : 1.0;
  auto bytes = static_cast<std::size_t>(gib * 1024 * 1024 * 1024);
  std::vector<double> x(bytes / sizeof(double), 1.0);
  std::printf("| memory (bench/memory.cpp) | figure |\n|---|---:|\n");
  std::printf("| stream read, 1 thread | %.1f GB/s |\n", stream_gbs(x, 1));
  std::printf("| stream read, 2 threads | %.1f GB/s |\n", stream_gbs(x, 2));
  x = {};
  std::printf("| dependent random load, %.0f MiB | %.0f ns |\n", gib * 1024, latency_ns(bytes));
  for (int n : {4000, 40000, 400000})
    std::printf("| CUBA-like scatter, %d targets, 80 synapses per source | %.2f ns/event |\n", n,
                scatter_ns(n));
  return 0;
}
