// Structurally identical kernels (kir::structure_key) compile once: groups
// and pathways with the same equations share one function, and each still
// gives the bits it gives alone.
#include "codegen/llvm/jit.h"
#include "driver/pipeline.h"
#include "support/files.h"
#include "support/kernels.h"
#include "support/run_model.h"
#include "support/temp.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;
using namespace snnc;

namespace {

using snnc::test::kernels_of;

const char* kGroups = R"(neurons A(20):
    equations:
        dv/dt = (2 - v)/(10*ms) : 1
    threshold: v > 1
    reset: v = 0
    init:
        v = 0.05*i
neurons B(30):
    equations:
        dv/dt = (2 - v)/(10*ms) : 1
    threshold: v > 1
    reset: v = 0
    init:
        v = 0.02*i
neurons C(20):
    equations:
        dv/dt = (3 - v)/(10*ms) : 1
    threshold: v > 1
    reset: v = 0
neurons D(20):
    equations:
        dv/dt = (2 - v)/(10*ms) : 1
    threshold: v > 1 or rand() < 0.01
    reset: v = 0
neurons E(20):
    equations:
        dv/dt = (2 - v)/(10*ms) : 1
    threshold: v > 1 or rand() < 0.01
    reset: v = 0
)";

} // namespace

TEST_CASE("groups with the same equations have kernels of the same structure", "[structure]") {
  auto ks = kernels_of(std::string(kGroups) + "run 1*ms\n");
  auto key = [&](const std::string& name) {
    REQUIRE(ks.count(name));
    return kir::structure_key(ks.at(name));
  };
  for (const char* kind : {"_update", "_threshold", "_reset", "_step"})
    CHECK(key(std::string("A") + kind) == key(std::string("B") + kind));
  CHECK(key("A_init") != key("B_init"));     // different init statements
  CHECK(key("A_update") != key("C_update")); // a different constant
  CHECK(key("A_update") != key("A_threshold"));
  // A threshold that draws random numbers has its own stream: not shared.
  CHECK(key("D_step") != key("E_step"));
  CHECK(key("D_threshold") == key("E_threshold")); // its stream is an argument
}

TEST_CASE("the JIT compiles structurally identical kernels once", "[structure]") {
  auto ks = kernels_of(std::string(kGroups) + "run 1*ms\n");
  std::vector<kir::Kernel> list;
  for (auto& [name, k] : ks)
    list.push_back(k);
  std::string error;
  auto jit = codegen::Jit::create({}, error);
  REQUIRE(jit);
  REQUIRE(jit->compile(list, {}, error));
  CHECK(jit->lookup("A_update") == jit->lookup("B_update"));
  CHECK(jit->lookup("A_step") == jit->lookup("B_step"));
  CHECK(jit->lookup("A_update") != jit->lookup("C_update"));
  CHECK(jit->lookup("D_step") != jit->lookup("E_step"));
  CHECK(jit->lookup("C_update") != nullptr);
  CHECK(jit->timings().shared >= 8);
}

TEST_CASE("a group that shares its kernels gives the bits it gives alone", "[structure]") {
  fs::path dir = snnc::test::scratch("structure_run");
  const std::string monitors = "monitor state vb = B.v\nmonitor spikes sb = B\nrun 20*ms\n";
  std::ofstream(dir / "all.snn") << kGroups << monitors;
  // B alone, with its own kernels.
  std::string alone = kGroups;
  alone = alone.substr(alone.find("neurons B"));
  alone = alone.substr(0, alone.find("neurons C"));
  std::ofstream(dir / "alone.snn") << alone << monitors;
  REQUIRE(snnc::test::run_model((dir / "all.snn").string(), (dir / "all").string()).empty());
  REQUIRE(snnc::test::run_model((dir / "alone.snn").string(), (dir / "alone").string()).empty());
  for (const char* f : {"vb_v.npy", "sb_i.npy", "sb_t.npy"}) {
    INFO(f);
    CHECK(snnc::test::slurp(dir / "all" / f) == snnc::test::slurp(dir / "alone" / f));
  }
  CHECK(snnc::test::slurp(dir / "all" / "sb_i.npy").size() > 200); // B spikes
  fs::remove_all(dir);
}
