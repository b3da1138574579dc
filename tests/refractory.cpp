// Refractoriness without a stored not_refractory (kernels/refractory.h): the
// test without a division (snn_timestep_bound), which groups recompute
// not_refractory instead of storing it, and the values read through the API
// against Brian2's, whether recomputed or stored.
#include "api/snnc.h"
#include "driver/pipeline.h"
#include "kernels/kernel.h"
#include "snn/abi.h"
#include "support/kernels.h"
#include "support/npy.h"
#include "support/temp.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

namespace fs = std::filesystem;
using namespace snnc;

namespace {

using snnc::test::kernels_of;

const fs::path kTests = fs::path(SNNC_TEST_DATA_DIR);

bool assigns(const std::vector<kir::Assign>& list, const std::string& target) {
  for (const kir::Assign& a : list)
    if (a.target == target && !a.temporary) return true;
  return false;
}

// Whether the kernel stores not_refractory every step (in its update).
bool stores_not_refractory(const std::map<std::string, kir::Kernel>& ks, const std::string& g) {
  REQUIRE(ks.count(g + "_update"));
  return assigns(ks.at(g + "_update").body, "not_refractory");
}

const char* kGroup = R"(neurons G(50):
    equations:
        dv/dt = (1.5 - v)/(10*ms) : 1 (unless refractory)
    threshold: v > 1
    reset: v = 0
    refractory: 2*ms
    init:
        v = 0.02*i
synapses S(G -> G):
    on_pre: v += 0.1
    connect: i != j, p = 0.1
)";

} // namespace

TEST_CASE("x + 1e-3*dt >= snn_timestep_bound(n, dt) exactly when timestep(x, dt) >= n",
          "[refractory]") {
  std::mt19937_64 gen(7);
  int checked = 0;
  for (double dt : {1e-4, 0.1 * 0.001, 1e-5, 0.5e-3, 3e-4, 1.0 / 3.0 * 1e-3, 0.0625e-3}) {
    for (double n : {-3.0, -1.0, 0.0, 1.0, 2.0, 3.0, 7.0, 10.0, 20.0, 30.0, 50.0, 1000.0, 1e6}) {
      double bound = snn_timestep_bound(n, dt);
      REQUIRE(std::isfinite(bound));
      auto same = [&](double x) {
        bool exact = static_cast<double>(snn_timestep(x, dt)) >= n;
        bool fast = x + 1e-3 * dt >= bound;
        if (exact != fast) FAIL("dt " << dt << ", n " << n << ", x " << x);
        ++checked;
      };
      // Around every step edge near n, ulp by ulp, and times as t - lastspike
      // produces them.
      for (double k = n - 3; k <= n + 3; ++k) {
        double x = k * dt - 1e-3 * dt;
        for (int u = 0; u < 40; ++u)
          x = std::nextafter(x, -INFINITY);
        for (int u = 0; u < 80; ++u, x = std::nextafter(x, INFINITY))
          same(x);
        for (double s : {0.0, 1.0, 17.0, 1000.0})
          same((s + k) * dt - s * dt);
      }
      std::uniform_real_distribution<double> any((n - 5) * dt, (n + 5) * dt);
      for (int r = 0; r < 2000; ++r)
        same(any(gen));
    }
  }
  CHECK(checked > 100000);
}

TEST_CASE("not_refractory is recomputed where it is read, not stored every step", "[refractory]") {
  auto ks = kernels_of(std::string(kGroup) + "run 1*ms\n");
  CHECK_FALSE(stores_not_refractory(ks, "G"));
  CHECK_FALSE(assigns(ks.at("G_step").body, "not_refractory"));
  CHECK_FALSE(assigns(ks.at("G_threshold").on_spike, "not_refractory"));
  CHECK(assigns(ks.at("G_threshold").on_spike, "lastspike"));
  CHECK(assigns(ks.at("G_init").body, "not_refractory"));
  // The kernel that fills the array for reads from outside.
  REQUIRE(ks.count("G_not_refractory"));
  CHECK(assigns(ks.at("G_not_refractory").body, "not_refractory"));
  // No kernel that runs in the step reads the array.
  for (const char* k : {"G_update", "G_step", "G_threshold", "G_reset", "S_pre"}) {
    INFO(k);
    std::string text = kir::to_string(ks.at(k));
    CHECK(text.find("not_refractory") == std::string::npos);
    bool tests_refractoriness = text.find("timestep_at_least") != std::string::npos;
    CHECK((tests_refractoriness || std::string(k) == "G_reset"));
  }
}

TEST_CASE("not_refractory is stored when something else reads or writes it", "[refractory]") {
  const std::string g = kGroup;
  std::map<std::string, std::string> variants = {
      {"a state monitor records it", g + "monitor state m = G.not_refractory\nrun 1*ms\n"},
      {"a spike monitor records it", g + "monitor spikes m = G (variables = [not_refractory])\n"
                                         "run 1*ms\n"},
      {"an event reads it", g + "at 0.5*ms:\n    G.v = v + not_refractory\nrun 1*ms\n"},
      {"a statement between runs reads it", g + "run 1*ms\nG.v = v*not_refractory\nrun 1*ms\n"},
      {"the period is shorter than a step",
       [&] {
         std::string s = g;
         s.replace(s.find("2*ms"), 4, "0.01*ms");
         return s + "run 1*ms\n";
       }()},
      {"the period is a condition",
       [&] {
         std::string s = g;
         s.replace(s.find("refractory: 2*ms"), 16, "refractory: v > 0.5");
         return s + "run 1*ms\n";
       }()},
  };
  for (const auto& [why, model] : variants) {
    INFO(why << ":\n" << model);
    auto ks = kernels_of(model);
    CHECK(stores_not_refractory(ks, "G"));
    CHECK(ks.count("G_not_refractory") == 0);
  }
}

TEST_CASE("not_refractory and lastspike read through the API are Brian2's, recomputed or stored",
          "[refractory][differential]") {
  // The model as it is (recomputed), and with a monitor of not_refractory
  // (stored), next to a copy of its connectivity data.
  fs::path dir = test::scratch("refractory_api");
  fs::create_directories(dir / "data");
  for (const char* f : {"cuba_e.npy", "cuba_i.npy"})
    fs::copy_file(kTests / "differential" / "data" / f, dir / "data" / f,
                  fs::copy_options::overwrite_existing);
  std::ifstream in(kTests / "differential" / "cuba_final.snn");
  std::stringstream text;
  text << in.rdbuf();
  std::ofstream(dir / "recomputed.snn") << text.str();
  std::ofstream(dir / "stored.snn")
      << text.str() << "monitor state nr = P.not_refractory (record = [0])\n";
  const fs::path ref = kTests / "reference" / "brian2" / "cuba_final";
  for (const char* variant : {"recomputed", "stored"}) {
    INFO(variant);
    auto model = snnc::Model::compile((dir / (std::string(variant) + ".snn")).string());
    auto sim = model->instantiate(model->seed());
    // Store, run on and restore first: a restored state reads as stored.
    sim->run(0.1503);
    sim->store();
    snn::Values at_store = sim->variable("P", "not_refractory");
    sim->run(0.0123);
    CHECK(sim->variable("P", "not_refractory") != at_store);
    sim->restore();
    CHECK(sim->variable("P", "not_refractory") == at_store);
    sim = model->instantiate(model->seed());
    for (int k = 1; k <= 2; ++k) {
      INFO("after run " << k);
      sim->run(0.1503);
      for (const char* var : {"not_refractory", "lastspike"}) {
        INFO(var);
        auto expected =
            test::read_npy((ref / ("run" + std::to_string(k) + "_" + var + ".npy")).string()).data;
        CHECK(snn::Values(expected.begin(), expected.end()) == sim->variable("P", var));
      }
      // Some neurons are refractory at the end of each run.
      const auto& nr = sim->variable("P", "not_refractory");
      CHECK(std::count(nr.begin(), nr.end(), 0.0) > 20);
    }
    auto spikes = test::read_npy((ref / "sm_i.npy").string()).data;
    CHECK(sim->spike_indices("sm") == std::vector<int32_t>(spikes.begin(), spikes.end()));
    // A value written through the API stays until the next step.
    sim->variable("P", "not_refractory")[0] = 0.5;
    CHECK(sim->variable("P", "not_refractory")[0] == 0.5);
  }
  fs::remove_all(dir);
}
