// Threads within one network: large groups' state updates, thresholds and
// subexpressions are split over threads, and the results are the same bits
// as on one thread (each element is computed by the same operations, random
// numbers are keyed by element, and spikes are packed in index order).
#include "support/files.h"
#include "support/run_model.h"
#include "support/temp.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace fs = std::filesystem;

namespace {

using snnc::test::slurp;

// Every kind of group kernel on groups large enough to be split (N in a
// part is the group's size): noise,
// rand() in a threshold, refractoriness, a timed array, a subexpression
// constant over dt (hold) and one recorded by a monitor (observe). And every
// way of splitting synaptic propagation: S (delays: lists, the kernel skips
// other threads' targets; rand() draws the same whichever way the due
// synapses come), R (STDP within one group; on_pre: runs split by
// target; on_post: a list, split by target too), B (writes the source: runs
// split by source; a pathway on G's custom event, whose condition is split
// over the threads as a threshold). T is made by a generator over i, on the
// threads by parts of its targets; V by sample(..., size = n). Poisson inputs (binomial draws) onto
// all of G and a part.
const char* kModel = R"(seed = 3
timed drive = [0, 20, 5, 30, 10](dt = 20*ms)
poisson inp(3000, rates = 40*Hz)
neurons G(5000):
    equations:
        I = drive(t)*mV*(1 + 0.5*i/N) : volt (constant over dt)
        dv/dt = (I - v)/(10*ms) + 2*mV*xi*(10*ms)**-0.5 : volt (unless refractory)
        drive_now = v/mV + 1 : 1
        c : 1
    threshold: v > 10*mV or rand() < 0.0002
    reset: v = 0*mV
    refractory: 2*ms
    method: euler
    events:
        high: v > 8*mV and not_refractory
    on_event high: c += 0.5
    init:
        v = rand()*10*mV
synapses S(inp -> G):
    model:
        w : volt
        dx/dt = (1 - x)/(40*ms) : 1 (event-driven)
    on_pre:
        r = 0.4*x
        x -= r
        v_post += w*(0.5 + rand())*r/0.4
    connect: p = 0.002
    delay: rand()*2*ms
    init:
        w = rand()*2*mV
        x = 1
synapses R(G -> G):
    model:
        w : volt
        dapre/dt = -apre/(5*ms) : volt (event-driven)
        dapost/dt = -apost/(5*ms) : volt (event-driven)
    on_pre:
        v_post += w
        apre += 0.01*mV
        w = clip(w + apost, 0*mV, 1*mV)
    on_post:
        apost -= 0.012*mV
        w = clip(w + apre, 0*mV, 1*mV)
    connect: i != j, p = 0.002
    init:
        w = rand()*0.5*mV
synapses B(G -> G):
    on_pre: c_pre += 1
    on_pre up on high: c_post += 0.25
    connect: j < 3
synapses T(G -> G):
    on_pre: c_post += 0.1
    connect: i = (j*7 + k*13) % N_pre for k in range(3) if rand() < 0.5
synapses V(G -> G):
    on_pre: c_post += 0.2
    connect: j = k for k in sample(N_post, size = 2 + i % 3)
poisson_input ext = G.v (N = 100, rate = 10*Hz, weight = 0.05*mV)
poisson_input part = G[1000:4500].c (N = 200, rate = 30*Hz, weight = 1 + i/N)
monitor state rw = R.w (record = [0, 100, 1000])
monitor spikes sp = G
monitor events hi = G.high (variables = [v])
monitor spikes ip = inp
monitor state st = G.v, G.drive_now, G.c (record = [0, 2500, 4999])
monitor rate r = G (bin = 1*ms)
run 200*ms
)";

void require_same(const fs::path& a, const fs::path& b) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(a)) {
    if (e.path().extension() != ".npy") continue;
    INFO(e.path().filename().string());
    CHECK(slurp(e.path()) == slurp(b / e.path().filename()));
    ++n;
  }
  CHECK(n > 0);
}

// The manifest's synaptic_events.
long long events(const fs::path& dir) {
  std::string m = slurp(dir / "manifest.json");
  std::size_t at = m.find("\"synaptic_events\": ");
  return at == std::string::npos ? -1 : std::stoll(m.substr(at + 19));
}

} // namespace

TEST_CASE("a network on two or three threads gives the bits of one thread", "[threads]") {
  fs::path dir = snnc::test::scratch("threads");
  std::string model = GENERATE(as<std::string>{}, "inline", "../examples/models/cuba",
                               "../examples/models/coba_hh", "differential/synapses_onto_synapses");
  std::string file = std::string(SNNC_TEST_DATA_DIR) + "/" + model + ".snn";
  if (model == "inline") {
    file = (dir / "model.snn").string();
    std::ofstream(file) << kModel;
  }
  INFO(file);
  REQUIRE(snnc::test::run_model(file, (dir / "one").string(), 1).empty());
  int threads = GENERATE(2, 3);
  REQUIRE(snnc::test::run_model(file, (dir / "many").string(), threads).empty());
  require_same(dir / "one", dir / "many");
  fs::remove_all(dir);
}

// A group's step kernel (its update and threshold in one loop, used when
// nothing in between reads what the threshold writes) gives the bits of the
// two kernels, random numbers (noise, rand() in the threshold) included.
TEST_CASE("a group's step kernel gives the bits of its update and threshold kernels", "[threads]") {
  fs::path dir = snnc::test::scratch("step_kernel");
  std::string model = GENERATE(as<std::string>{}, "inline", "../examples/models/cuba");
  std::string file = std::string(SNNC_TEST_DATA_DIR) + "/" + model + ".snn";
  if (model == "inline") {
    file = (dir / "model.snn").string();
    std::ofstream(file) << kModel;
  }
  INFO(file);
  REQUIRE(snnc::test::run_model(file, (dir / "two").string(), 1, false).empty());
  REQUIRE(snnc::test::run_model(file, (dir / "one").string(), 1, true).empty());
  require_same(dir / "two", dir / "one");
  fs::remove_all(dir);
}

// One thread delivers many sources' synapses onto a large group tile by tile
// of targets (so that their state stays in cache); each target receives its
// events in the same order, so an update that depends on the order gives
// the bits of source-by-source delivery.
TEST_CASE("synapses delivered tile by tile of targets give the bits of source by source",
          "[threads]") {
  fs::path dir = snnc::test::scratch("tiles");
  fs::path file = dir / "model.snn";
  std::ofstream(file) << R"(seed = 5
neurons G(12):
    equations:
        v : 1
    threshold: True
neurons H(10000):
    equations:
        x : 1
synapses S(G -> H):
    model:
        w : 1
    on_pre: x_post = 0.5*x_post + w + i
    connect: p = 0.2
    init:
        w = rand()
monitor state h = H.x
run 1*ms
)";
  std::int64_t tiled = -1, untiled = -1;
  REQUIRE(snnc::test::run_model(file.string(), (dir / "sources").string(), 1, true, false, &untiled)
              .empty());
  REQUIRE(snnc::test::run_model(file.string(), (dir / "tiles").string(), 1, true, true, &tiled)
              .empty());
  CHECK(untiled == 0);
  CHECK(tiled == 10); // every step: all 12 sources spike
  require_same(dir / "sources", dir / "tiles");
  fs::remove_all(dir);
}

// A network whose step is one group's update and threshold, delivery without
// delay and reset runs whole steps on the threads, one barrier per step
// (Network::parallel_steps); sources are subgroups, targets the whole group,
// and conditional writes read the targets' refractoriness. A state monitor
// needs the whole group at once: then the steps run kernel by kernel.
const char* kWholeSteps = R"(seed = 5
neurons P(5000):
    equations:
        dv/dt  = (ge + gi - (v + 49*mV))/(20*ms) : volt (unless refractory)
        dge/dt = -ge/(5*ms) : volt (unless refractory)
        dgi/dt = -gi/(10*ms) : volt (unless refractory)
    threshold: v > -50*mV
    reset: v = -60*mV
    refractory: 5*ms
    init:
        v = -60*mV + rand()*10*mV
synapses Ce(P[0:4000] -> P):
    on_pre: ge += 1.62*mV
    connect: p = 0.02
synapses Ci(P[4000:5000] -> P):
    on_pre: gi += -9*mV
    connect: p = 0.02
monitor spikes sp = P
monitor spikes counts = P[100:200] (counts only)
monitor rate r = P (bin = 1*ms)
run 150*ms
)";

TEST_CASE("whole steps on two or three threads give the bits of one thread", "[threads]") {
  const std::string model = kWholeSteps;
  fs::path dir = snnc::test::scratch("whole_steps");
  std::ofstream(dir / "model.snn") << model;
  std::ofstream(dir / "monitored.snn") << model << "monitor state st = P.v (record = [0, 4999])\n";
  for (const char* name : {"model", "monitored"}) {
    INFO(name);
    std::string file = (dir / (std::string(name) + ".snn")).string();
    std::int64_t whole = -1;
    REQUIRE(snnc::test::run_model(file, (dir / "one").string(), 1, true, true, nullptr, &whole)
                .empty());
    CHECK(whole == 0);
    for (int threads : {2, 3}) {
      INFO(threads << " threads");
      REQUIRE(
          snnc::test::run_model(file, (dir / "many").string(), threads, true, true, nullptr, &whole)
              .empty());
      CHECK(whole == (std::string(name) == "model" ? 1500 : 0));
      require_same(dir / "one", dir / "many");
      CHECK(events(dir / "many") == events(dir / "one")); // counted on the threads too
      CHECK(events(dir / "one") > 100000);
      CHECK(slurp(dir / "one" / "sp_i.npy").size() > 5000); // the network is active
    }
  }
  fs::remove_all(dir);
}

// As `snnc run` does by default: the run times blocks of steps each way
// (whole steps on the threads, then on one), so it switches between them
// mid-run, in both directions, and keeps one; the bits stay those of one thread.
TEST_CASE("switching between whole steps on threads and on one keeps the bits", "[threads]") {
  fs::path dir = snnc::test::scratch("tuned_steps");
  std::ofstream(dir / "model.snn") << kWholeSteps;
  std::string file = (dir / "model.snn").string();
  std::int64_t whole = -1;
  REQUIRE(snnc::test::run_model(file, (dir / "one").string(), 1).empty());
  REQUIRE(
      snnc::test::run_model(file, (dir / "tuned").string(), 2, true, true, nullptr, &whole, true)
          .empty());
  INFO(whole << " of 1500 steps whole on the threads");
  CHECK(whole >= 16);        // the timed blocks on the threads, at least
  CHECK(whole <= 1500 - 16); // and on one
  require_same(dir / "one", dir / "tuned");
  fs::remove_all(dir);
}

// Synapses are made on the threads (blocks of sources cut in parts, kept in
// order): the same synapses, and for a connect rule that fails at several
// sources, the error of the first one (here 2500, in the first part; the
// second part fails from its first source on).
TEST_CASE("synapses made on the threads: the same synapses, the same first error", "[threads]") {
  fs::path dir = snnc::test::scratch("connect_threads");
  std::ofstream(dir / "model.snn") << R"(seed = 9
neurons G(6000):
    equations:
        v : 1
    threshold: v > 1
neurons H(N_H):
    equations:
        x : 1
synapses S(G -> H):
    model:
        w : 1
    on_pre: x_post += w
    connect: CONNECT
    init:
        w = rand()
monitor state s = S.w (record = [0, 1, 1000, 200000])
run 0.1*ms
)";
  std::string text = slurp(dir / "model.snn");
  auto with = [&](const std::string& n, const std::string& rule) {
    std::string m = text;
    m.replace(m.find("N_H"), 3, n);
    m.replace(m.find("CONNECT"), 7, rule);
    std::string file = (dir / ("m" + n + ".snn")).string();
    std::ofstream(file) << m;
    return file;
  };
  std::string good = with("7000", "j != i, p = 0.01");
  REQUIRE(snnc::test::run_model(good, (dir / "one").string(), 1).empty());
  for (int threads : {2, 3}) {
    INFO(threads << " threads");
    REQUIRE(snnc::test::run_model(good, (dir / "many").string(), threads).empty());
    require_same(dir / "one", dir / "many");
  }
  std::string bad = with("2500", "j = i for k in range(1)");
  std::string one = snnc::test::run_model(bad, (dir / "bad").string(), 1);
  CHECK(one.find("for presynaptic neuron 2500, the connect generator gives a j outside") !=
        std::string::npos);
  for (int threads : {2, 3})
    CHECK(snnc::test::run_model(bad, (dir / "bad").string(), threads) == one);
  fs::remove_all(dir);
}
