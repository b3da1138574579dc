// snnc's exp (runtime/include/snn/vmath.h): within 1 ulp of the correctly
// rounded exp everywhere, with IEEE special values; and the JIT's inline
// version gives the same bits as the C++ one (which exported code calls).
#include "snn/vmath.h"
#include "support/npy.h"
#include "support/run_model.h"
#include "support/temp.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

namespace {

int64_t ulps(double a, double b) {
  int64_t ia, ib;
  std::memcpy(&ia, &a, 8);
  std::memcpy(&ib, &b, 8);
  return ia > ib ? ia - ib : ib - ia;
}

} // namespace

TEST_CASE("snn_exp is within 1 ulp of exp", "[vmath]") {
  std::mt19937_64 gen(1);
  std::uniform_real_distribution<double> wide(-745.0, 709.7), narrow(-30.0, 30.0),
      tiny(-1e-6, 1e-6);
  int64_t worst = 0, exact = 0;
  const int n = 1000000;
  for (int k = 0; k < n; ++k) {
    double x = k % 3 == 0 ? wide(gen) : k % 3 == 1 ? narrow(gen) : tiny(gen);
    int64_t d = ulps(snn_exp(x), std::exp(x));
    worst = std::max(worst, d);
    exact += d == 0;
  }
  CHECK(worst <= 1);
  CHECK(exact > n * 8 / 10); // most results are the correctly rounded ones
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(snn_exp(0.0) == 1.0);
  CHECK(snn_exp(-0.0) == 1.0);
  CHECK(snn_exp(709.79) == inf);
  CHECK(snn_exp(1e300) == inf);
  CHECK(snn_exp(inf) == inf);
  CHECK(snn_exp(-inf) == 0.0);
  CHECK(snn_exp(-746.0) == 0.0);
  CHECK(snn_exp(-1e300) == 0.0);
  CHECK(std::isnan(snn_exp(std::nan(""))));
  // Subnormal results.
  for (double x : {-708.5, -720.0, -740.0, -744.0, -745.1})
    CHECK(ulps(snn_exp(x), std::exp(x)) <= 1);
}

TEST_CASE("the JIT's exp gives the bits of the C++ snn_exp", "[vmath]") {
  namespace fs = std::filesystem;
  fs::path dir = snnc::test::scratch("vmath");
  fs::path model = dir / "exp.snn";
  std::ofstream(model) << R"(neurons G(40001):
    equations:
        x : 1
        y : 1
    init:
        x = -800 + 0.04*i + 1e-7*(i % 7)
        y = exp(x)
neurons H(20001):
    equations:
        x : 1
        y : 1
    init:
        x = -1 + 0.0001*i
        y = exp(x)
monitor state g = G.x, G.y
monitor state h = H.x, H.y
run 0.1*ms
)";
  REQUIRE(snnc::test::run_model(model.string(), (dir / "out").string()).empty());
  std::size_t checked = 0;
  for (const char* mon : {"g", "h"}) {
    auto x = snnc::test::read_npy((dir / "out" / (std::string(mon) + "_x.npy")).string());
    auto y = snnc::test::read_npy((dir / "out" / (std::string(mon) + "_y.npy")).string());
    REQUIRE(x.data.size() == y.data.size());
    for (std::size_t k = 0; k < x.data.size(); ++k) {
      double want = snn_exp(x.data[k]);
      if (std::memcmp(&want, &y.data[k], 8) != 0) {
        INFO("x = " << x.data[k]);
        CHECK(y.data[k] == want);
      }
      ++checked;
    }
  }
  CHECK(checked == 60002);
  fs::remove_all(dir);
}
