// Error cases: every tests/errors/*.snn is a model with user errors. Its
// leading `# expect:` lines (or NAME.expect beside it) pin every error the
// front end must report, in order: `[file:]line:col: error: message`, the file
// given only when the error is in another file (an import). No case may
// crash, hang, or raise an internal error.
#include "driver/pipeline.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace snnc;

namespace {

const fs::path kDir = fs::path(SNNC_TEST_DATA_DIR) / "errors";

std::vector<std::string> expected_errors(const fs::path& file) {
  std::vector<std::string> out;
  fs::path side = file;
  side.replace_extension(".expect");
  std::ifstream in(fs::exists(side) ? side : file, std::ios::binary);
  std::string line;
  bool sidecar = fs::exists(side);
  while (std::getline(in, line)) {
    if (sidecar) {
      if (!line.empty()) out.push_back(line);
      continue;
    }
    const std::string tag = "# expect: ";
    if (line.rfind(tag, 0) != 0) break;
    out.push_back(line.substr(tag.size()));
  }
  return out;
}

std::vector<std::string> actual_errors(const fs::path& file) {
  SourceManager sources;
  Diagnostics diag(sources);
  driver::FrontEndOptions opts;
  auto model = driver::check_model(file.string(), sources, diag, opts);
  CHECK_FALSE(model.has_value());
  std::vector<std::string> out;
  for (const Diagnostic& d : diag.all()) {
    if (d.severity != Severity::error) continue;
    std::string where;
    if (d.loc.valid()) {
      fs::path p = sources.path(d.loc.file);
      if (p.filename() != file.filename()) where = fs::relative(p, kDir).generic_string() + ":";
      where += std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) + ": ";
    }
    out.push_back(where + "error: " + d.message);
  }
  return out;
}

std::vector<fs::path> cases() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kDir))
    if (e.path().extension() == ".snn") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

TEST_CASE("error cases report exactly their pinned errors", "[errors]") {
  auto files = cases();
  REQUIRE(files.size() >= 40);
  for (const fs::path& f : files) {
    INFO("case " << f.filename().string());
    std::vector<std::string> want = expected_errors(f);
    REQUIRE_FALSE(want.empty());
    std::vector<std::string> got;
    REQUIRE_NOTHROW(got = actual_errors(f));
    CHECK(got == want);
  }
}

TEST_CASE("every error carries a location in a file", "[errors]") {
  for (const fs::path& f : cases()) {
    INFO("case " << f.filename().string());
    for (const std::string& e : expected_errors(f))
      CHECK(e.find("error: ") != 0);
  }
}
