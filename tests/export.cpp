// `snnc export`: the exported C++ project of a model builds with g++ alone
// and writes results bit-identical to the JIT's (strict mode: no fast-math,
// -ffp-contract=off, the same libm, the same counter-based random numbers).
#include "support/files.h"
#include "support/run_model.h"
#include "support/temp.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace fs = std::filesystem;

namespace {

using snnc::test::slurp;

const fs::path kRoot = fs::path(SNNC_TEST_DATA_DIR).parent_path();

void exported_equals_jit(const std::string& rel) {
  INFO("model " << rel);
  fs::path model = kRoot / rel;
  fs::path dir = snnc::test::scratch("export") / fs::path(rel).stem();
  fs::remove_all(dir);
  std::string cmd = std::string(SNNC_BINARY) + " export " + model.string() + " -o " +
                    (dir / "project").string() + " > " + (dir.string() + ".log") + " 2>&1";
  fs::create_directories(dir);
  REQUIRE(std::system(cmd.c_str()) == 0);
  cmd =
      "cd " + (dir / "project").string() +
      " && g++ -std=c++17 -O2 -ffp-contract=off -pthread -Iruntime/include -Iruntime/src main.cpp "
      "model.cpp kernels.cpp runtime/src/*.cpp -o model >> " +
      dir.string() + ".log 2>&1 && ./model -o " + (dir / "exported").string() + " >> " +
      dir.string() + ".log 2>&1";
  INFO(cmd);
  REQUIRE(std::system(cmd.c_str()) == 0);
  REQUIRE(snnc::test::run_model(model.string(), (dir / "jit").string()).empty());
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir / "jit")) {
    if (e.path().extension() != ".npy") continue;
    INFO("array " << e.path().filename().string());
    CHECK(slurp(e.path()) == slurp(dir / "exported" / e.path().filename()));
    ++files;
  }
  CHECK(files > 0);
}

} // namespace

TEST_CASE("exported contract-style examples equal the JIT", "[export]") {
  for (const char* m :
       {"examples/models/cuba.snn", "examples/models/coba_hh.snn", "examples/models/stdp.snn",
        "examples/models/izhikevich_net.snn", "examples/models/trials_store.snn"})
    exported_equals_jit(m);
}

// Every model of the differential tests against Brian2, in four groups so
// that ctest runs them in parallel.
TEST_CASE("exported differential models equal the JIT (neurons)", "[export]") {
  for (const char* m :
       {"linear", "euler", "lif", "lif_refractory", "izhikevich_net", "izhikevich_rk4", "rk2_heun"})
    exported_equals_jit(std::string("tests/differential/") + m + ".snn");
}

TEST_CASE("exported differential models equal the JIT (conductances, inputs)", "[export]") {
  for (const char* m : {"hh", "hh_speed", "adex", "cuba_neuron", "timed_input", "loaded_data",
                        "input_feature", "constant_over_dt"})
    exported_equals_jit(std::string("tests/differential/") + m + ".snn");
}

TEST_CASE("exported differential models equal the JIT (synapses)", "[export]") {
  for (const char* m : {"synapses_pre", "synapses_post", "stdp_feature", "stdp_contract"})
    exported_equals_jit(std::string("tests/differential/") + m + ".snn");
}

TEST_CASE("exported differential models equal the JIT (networks)", "[export]") {
  for (const char* m : {"cuba_net", "synapse_features", "clock_driven"})
    exported_equals_jit(std::string("tests/differential/") + m + ".snn");
}

TEST_CASE("exported edge values equal the JIT (connect's n below 1, refractory for ever)",
          "[export]") {
  exported_equals_jit("tests/export/edge_values.snn");
}
