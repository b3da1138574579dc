// Statistical checks of random numbers in kernels, where identity with
// Brian2 is impossible: an Ornstein-Uhlenbeck process has the stationary
// standard deviation sigma, and rand() in init is uniform on [0, 1).
#include "support/npy.h"
#include "support/run_model.h"

#include "support/temp.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

TEST_CASE("white noise: an OU process has its stationary variance", "[runtime][stats]") {
  fs::path dir = snnc::test::scratch("noise");
  std::ofstream(dir / "ou.snn") << "seed = 11\n"
                                   "const tau = 10*ms\n"
                                   "const sigma = 2*mV\n"
                                   "neurons G(2000):\n"
                                   "    equations:\n"
                                   "        dv/dt = -v/tau + sigma*sqrt(2/tau)*xi : volt\n"
                                   "        u : 1\n"
                                   "    init:\n"
                                   "        u = rand()\n"
                                   "monitor state st = G.v, G.u (dt = 100*ms)\n"
                                   "run 300*ms\n";
  REQUIRE(snnc::test::run_model((dir / "ou.snn").string(), (dir / "out").string()).empty());
  auto v = snnc::test::read_npy((dir / "out" / "st_v.npy").string());
  auto u = snnc::test::read_npy((dir / "out" / "st_u.npy").string());
  REQUIRE(v.shape == std::vector<std::int64_t>{3, 2000});
  // The last sample, after 20 time constants: mean 0, std sigma (2000
  // samples: the std's relative error is about 1.6 %; allow 8 %).
  double mean = 0, sq = 0;
  for (int k = 0; k < 2000; ++k)
    mean += v.data[2 * 2000 + k];
  mean /= 2000;
  for (int k = 0; k < 2000; ++k)
    sq += std::pow(v.data[2 * 2000 + k] - mean, 2);
  double sd = std::sqrt(sq / 1999);
  CHECK(std::fabs(mean) < 4 * 2e-3 / std::sqrt(2000.0));
  CHECK(sd == Approx(2e-3).epsilon(0.08));
  // rand(): uniform, mean 1/2 and variance 1/12.
  double um = 0, uv = 0;
  for (int k = 0; k < 2000; ++k)
    um += u.data[k];
  um /= 2000;
  for (int k = 0; k < 2000; ++k)
    uv += std::pow(u.data[k] - um, 2);
  uv /= 1999;
  CHECK(um == Approx(0.5).margin(4 * std::sqrt(1.0 / 12 / 2000)));
  CHECK(uv == Approx(1.0 / 12).epsilon(0.08));
  bool in_range = true;
  for (double x : u.data)
    in_range = in_range && x >= 0 && x < 1;
  CHECK(in_range);
}

TEST_CASE(
    "multiplicative noise with heun and milstein (Brian2's schemes): geometric Brownian motion",
    "[runtime][stats]") {
  // dx = mu*x dt + s*x dW. Both of Brian2's schemes give the Stratonovich
  // mean, E[x] = exp((mu + s^2/2) t) (Brian2's milstein adds g*g'*dW**2/2).
  // 4000 paths, t = 1 s.
  fs::path dir = snnc::test::scratch("gbm");
  std::ofstream(dir / "gbm.snn") << "seed = 5\n"
                                    "dt = 1*ms\n"
                                    "const mu = 0.5/second\n"
                                    "const s = 0.4/sqrt(second)\n"
                                    "neurons H(4000):\n"
                                    "    equations:\n"
                                    "        dx/dt = mu*x + s*x*xi : 1\n"
                                    "    method: heun\n"
                                    "    init:\n"
                                    "        x = 1\n"
                                    "neurons M(4000):\n"
                                    "    equations:\n"
                                    "        dx/dt = mu*x + s*x*xi : 1\n"
                                    "    method: milstein\n"
                                    "    init:\n"
                                    "        x = 1\n"
                                    "monitor state h = H.x (dt = 1*second)\n"
                                    "monitor state m = M.x (dt = 1*second)\n"
                                    "run 1001*ms\n";
  REQUIRE(snnc::test::run_model((dir / "gbm.snn").string(), (dir / "out").string()).empty());
  auto mean_at_1s = [&](const char* file) {
    auto a = snnc::test::read_npy((dir / "out" / file).string());
    REQUIRE(a.shape == std::vector<std::int64_t>{2, 4000});
    double m = 0;
    for (int k = 0; k < 4000; ++k)
      m += a.data[4000 + k];
    return m / 4000;
  };
  // Standard error of the mean: about sqrt(exp(s^2) - 1)*E[x]/sqrt(4000) ~ 1 %.
  CHECK(mean_at_1s("h_x.npy") == Approx(std::exp(0.5 + 0.08)).epsilon(0.04));
  CHECK(mean_at_1s("m_x.npy") == Approx(std::exp(0.5 + 0.08)).epsilon(0.04));
}

TEST_CASE("poisson_input draws Brian2's binomial: inversion on both sides of p = 1/2, and the "
          "normal approximation where n p > 5 and n (1 - p) > 5",
          "[runtime][stats]") {
  fs::path dir = snnc::test::scratch("noise");
  // Each step's count alone: zeroed at the start of the step, recorded at its end.
  std::ofstream(dir / "binomial.snn")
      << "seed = 5\n"
         "neurons G(1000):\n"
         "    equations:\n"
         "        a : 1\n"
         "        b : 1\n"
         "        c : 1\n"
         "poisson_input pa = G.a (N = 100, rate = 20*Hz, weight = 1)\n"
         "poisson_input pb = G.b (N = 10, rate = 6000*Hz, weight = 1)\n"
         "poisson_input pc = G.c (N = 10000, rate = 50*Hz, weight = 1)\n"
         "every dt:\n"
         "    G.a = 0\n"
         "    G.b = 0\n"
         "    G.c = 0\n"
         "monitor state st = G.a, G.b, G.c (when = end)\n"
         "run 20*ms\n";
  REQUIRE(snnc::test::run_model((dir / "binomial.snn").string(), (dir / "out").string()).empty());
  auto a = snnc::test::read_npy((dir / "out" / "st_a.npy").string());
  auto b = snnc::test::read_npy((dir / "out" / "st_b.npy").string());
  auto c = snnc::test::read_npy((dir / "out" / "st_c.npy").string());
  REQUIRE(a.shape == std::vector<std::int64_t>{200, 1000});
  const double samples = 200.0 * 1000;
  // Counts k of Binomial(n, p): each frequency within 5 standard errors of its probability.
  auto check_pmf = [&](const std::vector<double>& xs, int n, double p) {
    std::vector<double> freq(static_cast<std::size_t>(n + 1), 0.0);
    bool whole = true;
    for (double x : xs) {
      whole = whole && x == std::floor(x) && x >= 0 && x <= n;
      if (whole) freq[static_cast<std::size_t>(x)] += 1 / samples;
    }
    REQUIRE(whole);
    for (int k = 0; k <= n && k <= 12; ++k) {
      double pk = std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) +
                           k * std::log(p) + (n - k) * std::log1p(-p));
      INFO("n = " << n << ", p = " << p << ", k = " << k);
      CHECK(std::fabs(freq[static_cast<std::size_t>(k)] - pk) <=
            5 * std::sqrt(pk * (1 - pk) / samples) + 1e-12);
    }
  };
  check_pmf(a.data, 100, 20 * 1e-4);
  check_pmf(b.data, 10, 6000 * 1e-4);
  // The normal approximation: mean n p, variance n p (1 - p), not rounded.
  double mean = 0, var = 0;
  bool fractional = false;
  for (double x : c.data) {
    mean += x / samples;
    fractional = fractional || x != std::floor(x);
  }
  for (double x : c.data)
    var += (x - mean) * (x - mean) / (samples - 1);
  double np = 10000 * 0.005, npq = np * (1 - 0.005);
  CHECK(fractional);
  CHECK(std::fabs(mean - np) < 5 * std::sqrt(npq / samples));
  CHECK(var == Approx(npq).epsilon(0.02));
}
