// Which on_pre/on_post kernels the runtime may split over threads, and by
// which side's neurons (kir::split_side): a thread takes the synapses of its
// part of the neurons the kernel writes, which gives one thread's bits only if
// no other thread reads what it writes.
#include "driver/pipeline.h"
#include "support/temp.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace snnc;

namespace {

// The split side of synapses S's on_pre (or on_post) kernel in `model`.
ir::Side split_of(const std::string& model, const std::string& kernel = "S_pre") {
  SourceManager sources;
  Diagnostics diag{sources};
  fs::path p = snnc::test::scratch("split") / "model.snn";
  std::ofstream(p) << model;
  auto checked = driver::check_model(p.string(), sources, diag, {});
  REQUIRE(checked);
  for (const kir::Kernel& k : checked->kernels.kernels)
    if (k.name == kernel) return k.split;
  FAIL("no kernel " << kernel);
  return ir::Side::own;
}

std::string model(const std::string& target, const std::string& synapses) {
  return "neurons A(10):\n    equations:\n        v : 1\n        u : 1\n    threshold: v > 1\n"
         "neurons B(10):\n    equations:\n        v : 1\n        u : 1\n    threshold: v > 1\n"
         "synapses S(A -> " +
         target + "):\n" + synapses + "    connect: p = 0.5\nrun 1*ms\n";
}

} // namespace

TEST_CASE("a kernel that writes the targets is split by target", "[split]") {
  CHECK(split_of(model("B", "    on_pre: v_post += 1\n")) == ir::Side::post);
  // Reading the source is fine when it is another group, or another variable.
  CHECK(split_of(model("B", "    on_pre: v_post += v_pre\n")) == ir::Side::post);
  CHECK(split_of(model("A", "    on_pre: v_post += u_pre\n")) == ir::Side::post);
}

TEST_CASE("a kernel that writes only the synapses is split (by target)", "[split]") {
  CHECK(split_of(model("B", "    model:\n        w : 1\n    on_pre: w += v_pre + v_post\n")) ==
        ir::Side::post);
  CHECK(split_of(model("B", "    model:\n        w : 1\n    on_pre: w += 1\n"
                            "    on_post: w -= 1\n"),
                 "S_post") == ir::Side::post);
}

TEST_CASE("a kernel that writes the sources is split by source", "[split]") {
  CHECK(split_of(model("B", "    on_pre: u_pre += 1\n")) == ir::Side::pre);
  CHECK(split_of(model("A", "    on_pre: u_pre += v_post\n")) == ir::Side::pre);
}

TEST_CASE("a kernel that writes both sides, or reads within one group what it writes, is not "
          "split",
          "[split]") {
  CHECK(split_of(model("B", "    on_pre:\n        v_post += 1\n        u_pre += 1\n")) ==
        ir::Side::own);
  // One group: a thread would read a source's v while another writes it.
  CHECK(split_of(model("A", "    on_pre: v_post += v_pre\n")) == ir::Side::own);
  CHECK(split_of(model("A", "    on_pre: u_pre += u_post\n")) == ir::Side::own);
}
