// Counter-based random numbers (Philox4x32-10, Salmon et al. 2011) for the
// ABI functions snn_rand/snn_randn/snn_poisson/snn_binomial: the value depends only on
// (seed, stream, step, index, draw), never on call order, thread or chunking.
#include "snn/abi.h"

#include <algorithm>
#include <cmath>

namespace {

struct Block {
  uint32_t v[4];
};

inline uint32_t mulhilo(uint32_t a, uint32_t b, uint32_t* hi) {
  uint64_t p = static_cast<uint64_t>(a) * b;
  *hi = static_cast<uint32_t>(p >> 32);
  return static_cast<uint32_t>(p);
}

Block philox4x32_10(Block ctr, uint32_t k0, uint32_t k1) {
  for (int round = 0; round < 10; ++round) {
    uint32_t hi0, hi1;
    uint32_t lo0 = mulhilo(0xD2511F53u, ctr.v[0], &hi0);
    uint32_t lo1 = mulhilo(0xCD9E8D57u, ctr.v[2], &hi1);
    ctr = Block{{hi1 ^ ctr.v[1] ^ k0, lo1, hi0 ^ ctr.v[3] ^ k1, lo0}};
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  return ctr;
}

inline uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

Block draw_block(uint64_t seed, uint64_t stream, int64_t step, int64_t index, uint32_t draw) {
  uint64_t key = splitmix64(seed ^ splitmix64(stream + 0x632BE59BD9B4E019ull));
  uint64_t s = static_cast<uint64_t>(step), i = static_cast<uint64_t>(index);
  Block ctr{{static_cast<uint32_t>(i), static_cast<uint32_t>(i >> 32) ^ (draw << 16),
             static_cast<uint32_t>(s), static_cast<uint32_t>(s >> 32)}};
  return philox4x32_10(ctr, static_cast<uint32_t>(key), static_cast<uint32_t>(key >> 32));
}

// 53 random bits -> [0, 1).
inline double unit(uint32_t a, uint32_t b) {
  uint64_t bits = (static_cast<uint64_t>(a) << 21) ^ (b >> 11);
  return static_cast<double>(bits & ((1ull << 53) - 1)) * 0x1.0p-53;
}

} // namespace

extern "C" double snn_rand(uint64_t seed, uint64_t stream, int64_t step, int64_t index,
                           uint32_t draw) {
  Block b = draw_block(seed, stream, step, index, draw);
  return unit(b.v[0], b.v[1]);
}

extern "C" double snn_randn(uint64_t seed, uint64_t stream, int64_t step, int64_t index,
                            uint32_t draw) {
  Block b = draw_block(seed, stream, step, index, draw);
  // Box-Muller; u1 in (0, 1] so the log is finite.
  double u1 = 1.0 - unit(b.v[0], b.v[1]);
  double u2 = unit(b.v[2], b.v[3]);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

extern "C" double snn_poisson(uint64_t seed, uint64_t stream, int64_t step, int64_t index,
                              uint32_t draw, double lambda) {
  if (!(lambda > 0)) return 0;
  // Knuth's method for small lambda, normal approximation (rounded) above.
  if (lambda > 60) {
    double x =
        std::floor(lambda + std::sqrt(lambda) * snn_randn(seed, stream, step, index, draw) + 0.5);
    return x < 0 ? 0 : x;
  }
  double limit = std::exp(-lambda), p = 1.0;
  uint32_t k = 0;
  do {
    p *= snn_rand(seed, stream, step, index, draw + 0x100u * (k + 1));
    ++k;
  } while (p > limit && k < 1000);
  return k - 1;
}

namespace {

// The constants of Brian2's sampling for one (n, p), kept per thread: a
// kernel calls with the same n and p for every neuron.
struct BinomialConstants {
  double n = -1, p = -1;
  bool normal = false, reverse = false;
  double loc = 0, scale = 0;              // the normal approximation
  double P = 0, q = 0, qn = 0, bound = 0; // inversion
};

const BinomialConstants& binomial_constants(double n, double p) {
  thread_local BinomialConstants c;
  if (c.n == n && c.p == p) return c;
  c.n = n;
  c.p = p;
  c.normal = n * p > 5 && n * (1 - p) > 5;
  c.loc = n * p;
  c.scale = std::sqrt(n * p * (1 - p));
  c.reverse = p > 0.5;
  c.P = c.reverse ? 1.0 - p : p;
  c.q = 1.0 - c.P;
  c.qn = std::exp(n * std::log(c.q));
  c.bound = std::min(n, n * c.P + 10.0 * std::sqrt(n * c.P * c.q + 1));
  return c;
}

} // namespace

extern "C" double snn_binomial(uint64_t seed, uint64_t stream, int64_t step, int64_t index,
                               uint32_t draw, double n, double p) {
  if (!(n >= 0) || !(p >= 0 && p <= 1) || n != std::floor(n) || n > 2147483647.0) return NAN;
  // Brian2's BinomialFunction (input/binomial.py), as its C++ target: the
  // normal approximation, in single precision and not rounded, where
  // n p > 5 and n (1 - p) > 5; otherwise numpy's inversion, restarted when
  // the count passes mean + 10 sd (each restart draws anew).
  const BinomialConstants& c = binomial_constants(n, p);
  if (c.normal)
    return static_cast<float>(snn_randn(seed, stream, step, index, draw) * c.scale + c.loc);
  int64_t x = 0;
  double px = c.qn;
  uint32_t restart = 0;
  double u = snn_rand(seed, stream, step, index, draw);
  while (u > px) {
    ++x;
    if (static_cast<double>(x) > c.bound) {
      x = 0;
      px = c.qn;
      u = snn_rand(seed, stream, step, index, draw + 0x100u * ++restart);
    } else {
      u -= px;
      px = ((n - static_cast<double>(x) + 1) * c.P * px) / (static_cast<double>(x) * c.q);
    }
  }
  return c.reverse ? n - static_cast<double>(x) : static_cast<double>(x);
}
