// What two cores of this machine give Brian2's CUBA benchmark, without any
// snnc code: a hand-written CUBA network (N neurons, 80 synapses per source,
// the first 80 % excitatory; 10000 steps of 0.1 ms) on one thread, then on
// two threads organised as snnc's whole steps are: each thread updates its
// half of the neurons and finds their spikes (AVX-512, eight neurons at a
// time, as snnc's JIT emits the step kernel on this CPU), the threads meet
// at a barrier, each delivers every spike onto its own half of the targets
// (sources in index order; no effect on refractory targets) and resets its
// own spikes. It also times a cache line's round trip between the two cores.
//
// It shows what two threads can do for this network here, in the simplest
// form the work can take: the two-thread step time is a floor for snnc's
// (which also keeps spike queues and monitors), and the speed-up shows how
// much a step this small gains at all. The one-thread time, and with it the
// speed-up, depends on the compiler and on where the arrays fall in memory;
// the two-thread time much less. bench/run.py builds it (target two_cores,
// -march=native) and prints its table.
//
//   two_cores [N ...]   (default: 2000 4000 8000)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <random>
#include <thread>
#include <vector>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void pause() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

struct alignas(64) Arrived {
  std::atomic<long> n{0};
};

// One state array, on a cache line boundary (as snn::Values).
struct Array {
  double* p;
  explicit Array(long n)
      : p(static_cast<double*>(
            ::operator new (static_cast<std::size_t>(n) * sizeof(double), std::align_val_t{64}))) {}
  ~Array() { ::operator delete (p, std::align_val_t{64}); }
  Array(const Array&) = delete;
  Array& operator=(const Array&) = delete;
};

constexpr double kDt = 1e-4;
constexpr double kRefractoryBound = 0.0049999999999999; // 5 ms in steps' terms
constexpr double kVt = -0.05, kVr = -0.06;

struct Cuba {
  long n, excitatory, parts_at; // the second thread's neurons start at parts_at
  Array v, ge, gi, lastspike;
  std::vector<int32_t> spikes;    // by part: from 0 and from parts_at
  std::vector<int64_t> by_source; // CSR over sources
  std::vector<int32_t> post;      // targets, ascending per source
  std::vector<int64_t> split;     // per source: first synapse onto part 1
  explicit Cuba(long size)
      : n(size), excitatory(size * 4 / 5), parts_at(size / 2 / 8 * 8), v(size), ge(size), gi(size),
        lastspike(size), spikes(static_cast<std::size_t>(size)) {
    std::mt19937_64 rng(1);
    std::uniform_int_distribution<int32_t> target(0, static_cast<int32_t>(size - 1));
    by_source.push_back(0);
    for (long i = 0; i < size; ++i) {
      std::vector<int32_t> to(80);
      for (auto& j : to)
        j = target(rng);
      std::sort(to.begin(), to.end());
      post.insert(post.end(), to.begin(), to.end());
      by_source.push_back(static_cast<int64_t>(post.size()));
      split.push_back(std::lower_bound(post.begin() + by_source[i], post.end(), parts_at) -
                      post.begin());
    }
  }
  void init() {
    for (long i = 0; i < n; ++i) {
      v.p[i] = kVr + (kVt - kVr) * static_cast<double>((i * 7919) % 1000) / 1000;
      ge.p[i] = gi.p[i] = 0;
      lastspike.p[i] = -1e4;
    }
  }

  // Update and threshold of neurons first ... last - 1 (multiples of 8);
  // their spikes go to spikes[first ...]. Returns their count.
  long update(long first, long last, double t) {
    double* __restrict vv = v.p;
    double* __restrict ee = ge.p;
    double* __restrict ii = gi.p;
    double* __restrict ls = lastspike.p;
    int32_t* __restrict out = spikes.data() + first;
    long count = 0;
#if defined(__AVX512F__)
    const __m512d keep_v = _mm512_set1_pd(0.9950124791926822);
    const __m512d from_e = _mm512_set1_pd(0.004937935295309004);
    const __m512d from_i = _mm512_set1_pd(0.004962645443514259);
    const __m512d rest = _mm512_set1_pd(9.975041614635583e-05 * (-0.049 / 0.02));
    const __m512d keep_e = _mm512_set1_pd(0.9801986733067554);
    const __m512d keep_i = _mm512_set1_pd(0.9900498337491681);
    const __m512d now = _mm512_set1_pd(t + 1e-3 * kDt), edge = _mm512_set1_pd(kRefractoryBound);
    const __m512d vt = _mm512_set1_pd(kVt);
    for (long b = first; b < last; b += 8) {
      __m512d v0 = _mm512_load_pd(vv + b), e0 = _mm512_load_pd(ee + b);
      __m512d i0 = _mm512_load_pd(ii + b);
      __mmask8 active =
          _mm512_cmp_pd_mask(_mm512_sub_pd(now, _mm512_load_pd(ls + b)), edge, _CMP_GE_OQ);
      __m512d nv = _mm512_add_pd(
          _mm512_add_pd(_mm512_add_pd(_mm512_mul_pd(keep_v, v0), _mm512_mul_pd(from_e, e0)),
                        _mm512_mul_pd(from_i, i0)),
          rest);
      nv = _mm512_mask_blend_pd(active, v0, nv);
      _mm512_store_pd(vv + b, nv);
      _mm512_store_pd(ee + b, _mm512_mask_mul_pd(e0, active, keep_e, e0));
      _mm512_store_pd(ii + b, _mm512_mask_mul_pd(i0, active, keep_i, i0));
      unsigned fired = _mm512_mask_cmp_pd_mask(active, nv, vt, _CMP_GT_OQ);
      for (; fired != 0; fired &= fired - 1) {
        long k = b + __builtin_ctz(fired);
        out[count++] = static_cast<int32_t>(k);
        ls[k] = t;
      }
    }
#else
    for (long k = first; k < last; ++k) {
      bool active = t - ls[k] + 1e-3 * kDt >= kRefractoryBound;
      double nv = 0.9950124791926822 * vv[k] + 0.004937935295309004 * ee[k] +
                  0.004962645443514259 * ii[k] + 9.975041614635583e-05 * (-0.049 / 0.02);
      if (active) {
        vv[k] = nv;
        ee[k] *= 0.9801986733067554;
        ii[k] *= 0.9900498337491681;
        if (nv > kVt) {
          out[count++] = static_cast<int32_t>(k);
          ls[k] = t;
        }
      }
    }
#endif
    return count;
  }

  // Synapses [from, to) of a spiking source: ge or gi of each target that is
  // not refractory.
  void deliver(int32_t source, int64_t from, int64_t to, double t) {
    double* target = source < excitatory ? ge.p : gi.p;
    double w = source < excitatory ? 1.62e-3 : -9e-3;
    for (int64_t s = from; s < to; ++s) {
      int32_t j = post[static_cast<std::size_t>(s)];
      if (t - lastspike.p[j] + 1e-3 * kDt >= kRefractoryBound) target[j] += w;
    }
  }
  void reset(const int32_t* fired, long count) {
    for (long s = 0; s < count; ++s)
      v.p[fired[s]] = kVr;
  }
};

// Seconds per step and spikes per step, best of `reps`, on one thread and two.
void measure(long n, long steps, int reps, double& one, double& two, double& rate) {
  Cuba net(n);
  one = two = 1e30;
  long fired_total = 0;
  for (int r = 0; r < reps; ++r) {
    net.init();
    fired_total = 0;
    auto t0 = Clock::now();
    for (long step = 0; step < steps; ++step) {
      double t = static_cast<double>(step) * kDt;
      long count = net.update(0, n, t);
      for (long k = 0; k < count; ++k) {
        int32_t i = net.spikes[static_cast<std::size_t>(k)];
        net.deliver(i, net.by_source[static_cast<std::size_t>(i)],
                    net.by_source[static_cast<std::size_t>(i) + 1], t);
      }
      net.reset(net.spikes.data(), count);
      fired_total += count;
    }
    one = std::min(one, seconds_since(t0) / static_cast<double>(steps));

    net.init();
    Arrived arrived[2];
    alignas(64) long counts[2][2][8] = {}; // [buffer][part], a cache line each
    std::vector<int32_t> buffers[2] = {std::vector<int32_t>(static_cast<std::size_t>(n)),
                                       std::vector<int32_t>(static_cast<std::size_t>(n))};
    auto task = [&](int c) {
      long first = c == 0 ? 0 : net.parts_at, last = c == 0 ? net.parts_at : n;
      for (long step = 0; step < steps; ++step) {
        double t = static_cast<double>(step) * kDt;
        std::vector<int32_t>& buffer = buffers[step & 1];
        long count = net.update(first, last, t);
        std::copy(net.spikes.begin() + first, net.spikes.begin() + first + count,
                  buffer.begin() + first);
        counts[step & 1][c][0] = count;
        arrived[c].n.store(step + 1, std::memory_order_release);
        while (arrived[1 - c].n.load(std::memory_order_acquire) < step + 1)
          pause();
        for (int p = 0; p < 2; ++p) {
          long from = p == 0 ? 0 : net.parts_at;
          for (long k = 0; k < counts[step & 1][p][0]; ++k) {
            int32_t i = buffer[static_cast<std::size_t>(from + k)];
            auto b = static_cast<std::size_t>(i);
            int64_t lo = c == 0 ? net.by_source[b] : net.split[b];
            int64_t hi = c == 0 ? net.split[b] : net.by_source[b + 1];
            net.deliver(i, lo, hi, t);
          }
        }
        net.reset(buffer.data() + first, count);
      }
    };
    std::atomic<bool> go{false};
    std::thread other([&] {
      while (!go.load())
        pause();
      task(1);
    });
    t0 = Clock::now();
    go.store(true);
    task(0);
    other.join();
    two = std::min(two, seconds_since(t0) / static_cast<double>(steps));
  }
  rate = static_cast<double>(fired_total) / static_cast<double>(steps);
}

// A cache line's round trip between two threads, in seconds.
double round_trip() {
  constexpr long kTrips = 200000;
  Arrived ping, pong;
  std::thread other([&] {
    for (long k = 1; k <= kTrips; ++k) {
      while (ping.n.load(std::memory_order_acquire) != k)
        pause();
      pong.n.store(k, std::memory_order_release);
    }
  });
  auto t0 = Clock::now();
  for (long k = 1; k <= kTrips; ++k) {
    ping.n.store(k, std::memory_order_release);
    while (pong.n.load(std::memory_order_acquire) != k)
      pause();
  }
  double s = seconds_since(t0) / kTrips;
  other.join();
  return s;
}

} // namespace

int main(int argc, char** argv) {
  std::vector<long> sizes;
  for (int a = 1; a < argc; ++a)
    sizes.push_back(std::atol(argv[a]));
  if (sizes.empty()) sizes = {2000, 4000, 8000};
  std::printf("cache line round trip between two threads: %.0f ns\n\n", round_trip() * 1e9);
  std::printf("| CUBA, neurons | spikes/step | one thread (us/step) | two threads (us/step) "
              "| speed-up |\n");
  std::printf("|---:|---:|---:|---:|---:|\n");
  for (long n : sizes) {
    if (n < 16 || n % 16 != 0) {
      std::fprintf(stderr, "two_cores: N must be a multiple of 16 (got %ld)\n", n);
      return 2;
    }
    double one, two, rate;
    measure(n, 10000, 5, one, two, rate);
    std::printf("| %ld | %.1f | %.3f | %.3f | %.2fx |\n", n, rate, one * 1e6, two * 1e6, one / two);
  }
}
