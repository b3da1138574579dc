// Golden files of the C++ backend: the exported kernels of a few small
// models are compared with tests/golden/cpp_<model>.cpp, so that a change in
// the generated code is visible in review. UPDATE_GOLDEN=1 rewrites them.
#include "codegen/cpp/emit_cpp.h"
#include "driver/pipeline.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace snnc;

TEST_CASE("exported kernels of small models match the golden files", "[golden][export]") {
  const fs::path root = fs::path(SNNC_TEST_DATA_DIR).parent_path();
  bool update = std::getenv("UPDATE_GOLDEN") != nullptr;
  for (const char* name : {"lif_refractory", "synapses_post", "clock_driven", "rk2_heun"}) {
    INFO("model " << name);
    SourceManager sources;
    Diagnostics diag(sources);
    auto m = driver::check_model(
        (root / "tests" / "differential" / (std::string(name) + ".snn")).string(), sources, diag,
        {});
    REQUIRE(m.has_value());
    std::string text = codegen::kernels_to_cpp(m->kernels.kernels);
    fs::path golden = root / "tests" / "golden" / ("cpp_" + std::string(name) + ".cpp");
    if (update) {
      std::ofstream(golden) << text;
      continue;
    }
    std::ifstream in(golden);
    REQUIRE(in.good());
    CHECK(text == std::string(std::istreambuf_iterator<char>(in), {}));
  }
}
