// `snnc export`: the exported C++ project of a model builds with g++ alone
// and writes results bit-identical to the JIT's (strict mode: no fast-math,
// -ffp-contract=off, the same libm, the same counter-based random numbers).
#include "support/files.h"
#include "support/run_model.h"
#include "support/temp.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

using snnc::test::slurp;

const fs::path kRoot = fs::path(SNNC_TEST_DATA_DIR).parent_path();

const std::string kFlags = "-std=c++17 -O2 -ffp-contract=off -pthread -Iruntime/include -Iruntime";

// The runtime of an exported project (`project`/runtime/), built as its
// README says (g++ with kFlags), into an archive. Every export holds the same
// runtime, so it is built once for all the test processes that see the same
// sources (keyed by their contents), not once per model.
fs::path runtime_archive(const fs::path& project, const std::string& log) {
  std::string all;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(project / "runtime"))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files)
    all += f.lexically_relative(project).string() + "\n" + slurp(f);
  fs::path cache = fs::temp_directory_path() /
                   ("snnc_export_runtime_" + std::to_string(std::hash<std::string>{}(all)));
  fs::path archive = cache / "libruntime.a";
  if (fs::exists(archive)) return archive;
  // Built beside the cache, then renamed into place: another process may be
  // building it too, and the first to finish wins.
  fs::path tmp = cache.string() + ".tmp-" + std::to_string(::getpid());
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  std::string cmd =
      "cd " + project.string() + " && for f in runtime/*/*.cpp; do g++ " + kFlags + " -c $f -o " +
      tmp.string() + "/$(echo $f | tr / _).o || exit 1; done && ar rcs " +
      (tmp / "libruntime.a").string() + " " + tmp.string() + "/*.o >> " + log + " 2>&1";
  INFO(cmd);
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::error_code ec;
  fs::rename(tmp, cache, ec);
  if (ec) fs::remove_all(tmp, ec);
  REQUIRE(fs::exists(archive));
  return archive;
}

void exported_equals_jit(const std::string& rel) {
  INFO("model " << rel);
  fs::path model = kRoot / rel;
  fs::path dir = snnc::test::scratch("export") / fs::path(rel).stem();
  fs::remove_all(dir);
  std::string cmd = std::string(SNNC_BINARY) + " export " + model.string() + " -o " +
                    (dir / "project").string() + " > " + (dir.string() + ".log") + " 2>&1";
  fs::create_directories(dir);
  REQUIRE(std::system(cmd.c_str()) == 0);
  fs::path runtime = runtime_archive(dir / "project", dir.string() + ".log");
  cmd = "cd " + (dir / "project").string() + " && g++ " + kFlags +
        " main.cpp model.cpp kernels.cpp " + runtime.string() + " -o model >> " + dir.string() +
        ".log 2>&1 && ./model -o " + (dir / "exported").string() + " >> " + dir.string() +
        ".log 2>&1";
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
  for (const char* m :
       {"synapses_pre", "synapses_post", "stdp_feature", "stdp_contract", "summed_name",
        "monitor_when", "values_from_data", "synapse_values", "constants_between_runs"})
    exported_equals_jit(std::string("tests/differential/") + m + ".snn");
}

TEST_CASE("exported differential models equal the JIT (networks)", "[export]") {
  for (const char* m : {"cuba_net", "synapse_features", "clock_driven", "monitor_after_run",
                        "subgroup_statements", "connect_generators", "connect_generators_over_i",
                        "connect_sample_size", "poisson_input_shared", "pathways", "custom_events",
                        "linked_variables", "linked_index", "temporaries_kept", "shared_variables",
                        "multisynaptic_index", "synapse_matrix", "synapses_onto_synapses"})
    exported_equals_jit(std::string("tests/differential/") + m + ".snn");
}

TEST_CASE("exported edge values equal the JIT (connect's n below 1, refractory for ever)",
          "[export]") {
  exported_equals_jit("tests/export/edge_values.snn");
}

TEST_CASE("exported random draws equal the JIT's (shared variables, a random temporary)",
          "[export]") {
  exported_equals_jit("tests/export/shared_random.snn");
}

// Random numbers in on_pre with delays (the due synapses as a list or a
// range), keyed by each synapse's number; synapse statements in events.
TEST_CASE("exported synapse code with random numbers equals the JIT", "[export]") {
  exported_equals_jit("tests/distributed/synapse_code.snn");
}

TEST_CASE("exported constants named as the code's own names or C++ keywords compile and equal "
          "the JIT",
          "[export]") {
  exported_equals_jit("tests/export/cpp_names.snn");
}
