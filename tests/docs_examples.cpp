// Every ```snn block of docs/language.md is a complete model that must pass
// `snnc check` and run, so the reference cannot drift from the implementation.
#include "driver/pipeline.h"
#include "support/run_model.h"

#include "support/temp.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace snnc;

namespace {

struct Block {
  int line;
  std::string text;
};

std::vector<Block> snn_blocks(const fs::path& md) {
  std::ifstream in(md);
  std::vector<Block> out;
  std::string line;
  int n = 0;
  bool inside = false;
  Block cur;
  while (std::getline(in, line)) {
    ++n;
    if (!inside && line == "```snn") {
      inside = true;
      cur = {n + 1, ""};
    } else if (inside && line == "```") {
      inside = false;
      out.push_back(cur);
    } else if (inside) {
      cur.text += line + "\n";
    }
  }
  return out;
}

} // namespace

TEST_CASE("every snn example in docs/language.md checks", "[docs]") {
  fs::path md = fs::path(SNNC_TEST_DATA_DIR).parent_path() / "docs" / "language.md";
  auto blocks = snn_blocks(md);
  REQUIRE(blocks.size() >= 10);
  fs::path dir = snnc::test::scratch("docs_examples");
  for (const Block& b : blocks) {
    INFO("docs/language.md block starting at line " << b.line);
    fs::path f = dir / ("block_" + std::to_string(b.line) + ".snn");
    std::ofstream(f) << b.text;
    SourceManager sources;
    Diagnostics diag(sources);
    auto m = driver::check_model(f.string(), sources, diag, {});
    std::ostringstream msgs;
    diag.print(msgs);
    INFO(msgs.str());
    CHECK(m.has_value());
    if (m)
      CHECK(snnc::test::run_model(f.string(), (dir / ("out_" + std::to_string(b.line))).string()) ==
            "");
  }
}
