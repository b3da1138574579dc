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
