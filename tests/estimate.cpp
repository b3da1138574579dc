// Estimates before a run (driver/estimate.h): synapse counts from connect
// rules (constants folded, conditions on i and j sampled, state unknown),
// and the memory and disk checks built on them: a run that cannot fit is
// refused, one that fits never is.
#include "driver/estimate.h"
#include "driver/pipeline.h"

#include "support/temp.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace snnc;

namespace {

struct Checked {
  SourceManager sources;
  Diagnostics diag{sources};
  std::optional<driver::Checked> model;
};

std::unique_ptr<Checked> check(const std::string& text) {
  auto c = std::make_unique<Checked>();
  fs::path p = test::scratch("estimate") / "model.snn";
  std::ofstream(p) << text;
  c->model = driver::check_model(p.string(), c->sources, c->diag, {});
  std::ostringstream os;
  c->diag.print(os);
  INFO(os.str());
  REQUIRE(c->model);
  return c;
}

driver::SynapseCount count(const Checked& c, const std::string& name) {
  for (const ir::Synapses& y : c.model->model.synapses)
    if (y.name == name) return driver::synapse_count(c.model->model, c.model->kernels, y);
  FAIL("no synapses " << name);
  return {};
}

std::string printed(const Diagnostics& d) {
  std::ostringstream os;
  d.print(os);
  return os.str();
}

} // namespace

TEST_CASE("synapse counts of connect rules, from constants, i and j, or unknown", "[estimate]") {
  auto c = check("const N = 20000\n"
                 "const Ne = 16000\n"
                 "neurons P(N):\n"
                 "    equations:\n"
                 "        x : 1\n"
                 "synapses E(P -> P):\n"
                 "    on_pre: x_post += 1\n"
                 "    connect: i < Ne, p = 80.0/N\n"
                 "synapses F(P -> P):\n"
                 "    on_pre: x_post += 1\n"
                 "    connect: p = 80.0/N, n = 2\n"
                 "synapses D(P -> P):\n"
                 "    on_pre: x_post += 1\n"
                 "    connect: i == j\n"
                 "synapses S(P -> P):\n"
                 "    on_pre: x_post += 1\n"
                 "    connect: x_pre > 0.5\n"
                 "synapses R(P[0:10] -> P[0:20]):\n"
                 "    on_pre: x_post += 1\n"
                 "    connect: abs(i - j) <= 2\n");
  // The case of the issue: an expression for p (before, p was ignored and the
  // run refused as 4e8 synapses).
  auto e = count(*c, "E");
  CHECK(e.known);
  CHECK(e.expected == Approx(16000.0 * 20000 * 0.004).epsilon(0.05));
  CHECK(e.lower > 0.9 * 16000.0 * 20000 * 0.004);
  CHECK(e.lower <= e.expected);
  auto f = count(*c, "F");
  CHECK(f.known);
  CHECK(f.expected == Approx(20000.0 * 20000 * 0.004 * 2)); // exact: no i or j
  CHECK(f.lower == f.expected);
  // One pair in 20,000: the sample finds none, and nothing is refused on it.
  auto d = count(*c, "D");
  CHECK(d.known);
  CHECK(d.lower == 0);
  CHECK_FALSE(count(*c, "S").known); // depends on state
  // Few pairs: counted exactly (rows 0..9 of 20 columns, |i - j| <= 2).
  auto r = count(*c, "R");
  CHECK(r.known);
  CHECK(r.expected == 3 + 4 + 8 * 5);
}

TEST_CASE("the memory check refuses what cannot fit and only that", "[estimate]") {
  auto c = check("const N = 20000\n"
                 "neurons P(N):\n"
                 "    equations:\n"
                 "        x : 1\n"
                 "synapses E(P -> P):\n"
                 "    model:\n"
                 "        w : 1\n"
                 "    on_pre: x_post += w\n"
                 "    connect: i < 16000, p = 80.0/N\n");
  const auto& m = c->model->model;
  // 1.28 M synapses of 40 bytes or so: 51 MB fits in 1 GB ...
  CHECK(driver::memory_fits(m, c->model->kernels, 1e9, false, c->diag));
  CHECK(c->diag.error_count() == 0);
  // ... and not in 10 MB.
  CHECK_FALSE(driver::memory_fits(m, c->model->kernels, 1e7, true, c->diag));
  CHECK_THAT(printed(c->diag), Catch::Contains("model.snn:5:10: error: the run would need about") &&
                                   Catch::Contains("more than 10 MB (the limit given)") &&
                                   Catch::Contains("synapses 'E' (about 1.2"));
}

TEST_CASE("the disk check refuses what the disk cannot hold and notes large output", "[estimate]") {
  auto c = check("neurons G(1000):\n"
                 "    equations:\n"
                 "        dv/dt = -v/(10*ms) : 1\n"
                 "monitor state st = G.v\n"
                 "monitor state few = G.v (record = [0, 1], dt = 1*ms, float32)\n"
                 "monitor spikes n = G (counts only)\n"
                 "run 100*second\n");
  const auto& m = c->model->model;
  const auto& mod = c->model->kernels;
  double seconds = driver::schedule_seconds(m);
  CHECK(seconds == 100);
  // st: 1e6 samples of 1000 doubles and a time: about 8 GB.
  CHECK(driver::disk_fits(m, mod, seconds, "out", c->diag, 20e9));
  std::string note = printed(c->diag);
  CHECK_THAT(note, Catch::Contains("model.snn:4:15: note: the run will write about 8.01 GB to "
                                   "'out' (20 GB free); the largest part is monitor 'st'"));
  CHECK(c->diag.error_count() == 0);
  CHECK_FALSE(driver::disk_fits(m, mod, seconds, "out", c->diag, 1e9));
  CHECK_THAT(printed(c->diag),
             Catch::Contains("model.snn:4:15: error: the run would write about 8.01 GB to 'out', "
                             "more than the 1 GB free on its file system; the largest part is "
                             "monitor 'st' (1e+06 samples of 1e+03 values of 1 variable), about "
                             "8.01 GB: record fewer elements (record = [...])"));
  // A short run of the same model writes little, and gets no note.
  auto d = check("neurons G(10):\n"
                 "    equations:\n"
                 "        dv/dt = -v/(10*ms) : 1\n"
                 "monitor state st = G.v\n"
                 "run 1*second\n");
  CHECK(driver::disk_fits(d->model->model, d->model->kernels, 1, "out", d->diag, 1e9));
  CHECK(printed(d->diag).empty());
}
