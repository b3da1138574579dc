// Runs continue exactly where they stopped: a run split into 1000 chunks
// writes bit-identical results to one run, random numbers (noise, rand() in
// events) included, because they are keyed by (seed, stream, step, index),
// and spikes in flight in the synaptic queues carry over between runs.
#include "support/run_model.h"

#include "support/files.h"
#include "support/temp.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace fs = std::filesystem;

namespace {

using snnc::test::slurp;

const char* kModel = R"(seed = 7
const tau = 10*ms
const sigma = 3*mV
timed drive = [0, 12, 18, 6, 0](dt = 100*ms)
neurons G(20):
    equations:
        dv/dt = (drive(t)*mV*(1 + 0.05*i) - v)/tau + sigma*xi*tau**-0.5 : volt (unless refractory)
        w : 1
    threshold: v > 10*mV
    reset: v = 0*mV; w += 1
    refractory: 2*ms
    method: euler
    init:
        v = rand()*5*mV
synapses S(G -> G):
    model:
        w : 1
        dpre/dt = -pre/(10*ms) : 1 (event-driven)
    on_pre:
        v_post += w*mV
        pre += 1
    on_post: w = clip(w + 0.01*pre, 0, 2)
    connect: i != j, p = 0.3
    delay: rand()*3*ms
    init:
        w = rand()
every 13*ms:
    G.v += rand()*mV
monitor spikes sp = G
monitor state st = G.v, G.w (record = [0, 7, 19])
monitor rate r = G (bin = 5*ms)
monitor state sw = S.w (record = [0, 5, 10], dt = 1*ms)
)";

} // namespace

TEST_CASE("a run in 1000 chunks is bit-identical to one run", "[runtime]") {
  fs::path dir = snnc::test::scratch("chunks");
  {
    std::ofstream(dir / "one.snn") << kModel << "run 500*ms\n";
    std::ofstream chunked(dir / "chunked.snn");
    chunked << kModel;
    for (int k = 0; k < 1000; ++k)
      chunked << "run 0.5*ms\n";
  }
  REQUIRE(snnc::test::run_model((dir / "one.snn").string(), (dir / "one").string()).empty());
  REQUIRE(
      snnc::test::run_model((dir / "chunked.snn").string(), (dir / "chunked").string()).empty());
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir / "one")) {
    if (e.path().extension() != ".npy") continue;
    INFO(e.path().filename().string());
    std::string a = slurp(e.path());
    std::string b = slurp(dir / "chunked" / e.path().filename());
    CHECK(a.size() > 128);
    CHECK(a == b);
    ++files;
  }
  CHECK(files == 9);
  // The model did something worth comparing: spikes happened.
  CHECK(fs::file_size(dir / "one" / "sp_i.npy") > 128 + 4 * 50);
}
