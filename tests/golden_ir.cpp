// Golden files: the canonical IR text of every model in models/ and
// examples/models/ is compared with tests/golden/<path with _ for />.ir, so any
// change to what the front end produces shows up in review.
// UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.
#include "driver/pipeline.h"
#include "ir/print.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace snnc;

namespace {

const fs::path kRoot = fs::path(SNNC_TEST_DATA_DIR).parent_path();

std::vector<fs::path> models() {
  std::vector<fs::path> out;
  for (const char* dir : {"models", "examples/models"})
    for (const auto& e : fs::directory_iterator(kRoot / dir))
      if (e.path().extension() == ".snn") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

fs::path golden_for(const fs::path& model) {
  std::string rel = fs::relative(model, kRoot).replace_extension(".ir").generic_string();
  std::replace(rel.begin(), rel.end(), '/', '_');
  return kRoot / "tests" / "golden" / rel;
}

} // namespace

TEST_CASE("IR of the shipped models matches the golden files", "[golden]") {
  bool update = std::getenv("UPDATE_GOLDEN") != nullptr;
  auto files = models();
  REQUIRE(files.size() >= 5);
  for (const fs::path& f : files) {
    INFO("model " << f.string());
    SourceManager sources;
    Diagnostics diag(sources);
    auto m = driver::check_model(f.string(), sources, diag, {});
    REQUIRE(m.has_value());
    CHECK(diag.warning_count() == 0);
    std::string text = ir::print_ir(m->model);
    fs::path g = golden_for(f);
    if (update) {
      std::ofstream(g) << text;
      continue;
    }
    std::ifstream in(g);
    REQUIRE(in.good());
    std::string want((std::istreambuf_iterator<char>(in)), {});
    CHECK(text == want);
  }
}
