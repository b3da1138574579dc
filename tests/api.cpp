// The C++ API: one compilation, many independent instances; variables,
// callbacks, monitors and their reset, constant overrides, user errors.
#include "api/snnc.h"
#include "snn/abi.h"

#include "support/temp.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

namespace fs = std::filesystem;

namespace {

std::string write_model(const std::string& name, const std::string& text) {
  fs::path dir = snnc::test::scratch("api");
  std::ofstream(dir / name) << text;
  return (dir / name).string();
}

const char* kLif = "const tau = 10*ms\n"
                   "neurons P(10):\n"
                   "    equations:\n"
                   "        dv/dt = (I - v)/tau + 0.5*mV*xi*tau**-0.5 : volt\n"
                   "        I : volt\n"
                   "    threshold: v > 10*mV\n"
                   "    reset: v = 0*mV\n"
                   "    method: euler\n"
                   "    init:\n"
                   "        I = 12*mV\n"
                   "monitor spikes sp = P\n"
                   "monitor spikes counts = P (counts only)\n";

std::int64_t total(const std::vector<std::int64_t>& c) {
  return std::accumulate(c.begin(), c.end(), std::int64_t{0});
}

} // namespace

TEST_CASE("instances of one compiled model are independent and reproducible", "[api]") {
  auto model = snnc::Model::compile(write_model("lif.snn", kLif));
  auto a = model->instantiate(3), b = model->instantiate(3), c = model->instantiate(4);
  a->run(0.1);
  b->run(0.05);
  b->run(0.05);
  c->run(0.1);
  CHECK(a->t() == Approx(0.1));
  CHECK(a->spike_times("sp") == b->spike_times("sp"));
  CHECK(a->spike_indices("sp") == b->spike_indices("sp"));
  CHECK(a->spike_times("sp") != c->spike_times("sp")); // another seed, other noise
  CHECK(total(a->spike_counts("counts")) == static_cast<std::int64_t>(a->spike_times("sp").size()));
  CHECK(total(a->spike_counts("sp")) == total(a->spike_counts("counts")));
  CHECK(a->spike_times("sp").size() > 10);
}

TEST_CASE("variables, callbacks and monitor resets", "[api]") {
  auto model = snnc::Model::compile(write_model("lif.snn", kLif));
  auto sim = model->instantiate(1);
  REQUIRE(sim->variable("P", "I").size() == 10);
  CHECK(sim->variable("P", "I")[3] == Approx(12e-3));
  sim->set("P", "I", 0.0);
  sim->run(0.05);
  CHECK(total(sim->spike_counts("counts")) == 0); // no drive, no spikes
  double called_at = -1;
  sim->at(0.08, [&](snnc::Simulation& s) {
    called_at = s.t();
    s.set("P", "I", 20e-3);
  });
  int ticks = 0;
  sim->every(
      0.01, [&](snnc::Simulation&) { ++ticks; }, 0.05);
  sim->run(0.05);
  CHECK(called_at == Approx(0.08));
  CHECK(ticks == 5);
  CHECK(total(sim->spike_counts("counts")) > 0);
  for (double t : sim->spike_times("sp"))
    CHECK(t >= 0.08);
  sim->reset_monitor("counts");
  sim->reset_monitor("sp");
  CHECK(total(sim->spike_counts("counts")) == 0);
  CHECK(sim->spike_times("sp").empty());
}

TEST_CASE("event times round to steps as Brian2's clock rounds a run's end", "[api]") {
  auto model = snnc::Model::compile(write_model("lif.snn", kLif));
  auto sim = model->instantiate(1);
  std::vector<double> seen;
  sim->at(0.00823, [&](snnc::Simulation& s) { seen.push_back(s.t()); });      // 82.3 steps: up
  sim->at(0.0090000001, [&](snnc::Simulation& s) { seen.push_back(s.t()); }); // within 0.01 %
  sim->run(0.01);
  REQUIRE(seen.size() == 2);
  CHECK(seen[0] == Approx(0.0083).margin(1e-12));
  CHECK(seen[1] == Approx(0.0090).margin(1e-12));
}

TEST_CASE("constant overrides at compile time", "[api]") {
  auto slow = snnc::Model::compile(write_model("lif.snn", kLif), {{{"tau", "40*ms"}}});
  CHECK(slow->constant("tau") == Approx(0.04));
  CHECK(slow->dt() == Approx(1e-4));
}

TEST_CASE("a wrong model throws ModelError with the diagnostics", "[api]") {
  std::string path = write_model("bad.snn", "const x = 1*mV + 1*ms\n");
  try {
    snnc::Model::compile(path);
    FAIL("no error");
  } catch (const snnc::ModelError& e) {
    std::string what = e.what();
    CHECK(what.find("bad.snn:1:16: error: dimension mismatch") != std::string::npos);
  }
  CHECK_THROWS_AS(snnc::Model::compile(write_model("lif.snn", kLif), {{{"tua", "1*ms"}}}),
                  snnc::ModelError);
}

TEST_CASE("run_batch runs every trial once, on any number of threads, with the same results",
          "[api]") {
  auto model = snnc::Model::compile(write_model("lif.snn", kLif));
  auto batch = [&](int threads) {
    std::vector<std::vector<double>> spikes(24);
    std::vector<int> progress;
    snnc::run_batch(
        24, threads,
        [&](int k) {
          auto sim = model->instantiate(static_cast<std::uint64_t>(k));
          sim->run(0.05);
          spikes[static_cast<std::size_t>(k)] = sim->spike_times("sp");
        },
        [&](int done, int n) {
          CHECK(n == 24);
          progress.push_back(done);
        });
    std::vector<int> want(24);
    std::iota(want.begin(), want.end(), 1);
    CHECK(progress == want); // called once per trial, in order of completion
    return spikes;
  };
  auto one = batch(1);
  CHECK(batch(2) == one);
  CHECK(batch(5) == one);
  CHECK(one[0] != one[1]); // trials have their own seeds
  CHECK_THROWS_WITH(snnc::run_batch(10, 2,
                                    [](int k) {
                                      if (k == 3) throw std::runtime_error("trial 3 failed");
                                    }),
                    "trial 3 failed");
}

// In spikes every 10 ms, at 9.9, 19.9, ... ms; synapse k is delayed (1 + k) ms.
const char* const kDelays = "neurons In(2):\n"
                            "    equations:\n"
                            "        dv/dt = 1/(10*ms) : 1\n"
                            "    threshold: v > 1\n"
                            "    reset: v = 0\n"
                            "neurons Out(2):\n"
                            "    equations:\n"
                            "        x : 1\n"
                            "        arrived : second\n"
                            "synapses A(In -> Out):\n"
                            "    on_pre:\n"
                            "        x_post += 1\n"
                            "        arrived_post = t\n"
                            "    connect: i == j\n"
                            "    delay: (1 + i)*ms\n";

// The spike queues are built in setup; delays set through the API before a
// run, or between runs, still apply to the spikes sent after that.
TEST_CASE("delays set through the API apply from the next spike on", "[api]") {
  auto model = snnc::Model::compile(write_model("delays.snn", kDelays));
  auto sim = model->instantiate(1);
  // In spikes every 10 ms, at 9.9, 19.9, ... ms (v reaches 1 at the 99th step).
  sim->synapse_variable("A", "delay")[1] = 4e-3;
  sim->run(0.015);
  CHECK(sim->variable("Out", "x")[0] == 1);
  CHECK(sim->variable("Out", "arrived")[0] == Approx(0.0109).margin(1e-12));
  CHECK(sim->variable("Out", "arrived")[1] == Approx(0.0139).margin(1e-12));
  sim->synapse_variable("A", "delay")[0] = 3e-3;
  sim->run(0.01);
  CHECK(sim->variable("Out", "x")[0] == 2);
  CHECK(sim->variable("Out", "arrived")[0] == Approx(0.0229).margin(1e-12));
  CHECK(sim->variable("Out", "arrived")[1] == Approx(0.0239).margin(1e-12));
}

TEST_CASE("refractory periods beyond the clock's range last for ever, in the JIT as in the runtime",
          "[api]") {
  // The period's step count, timestep(ref, dt), saturates as snn_timestep
  // does: int64's ends for values beyond them, 0 for NaN.
  CHECK(snn_timestep(1e300, 1e-4) == INT64_MAX);
  CHECK(snn_timestep(-1e300, 1e-4) == INT64_MIN);
  CHECK(snn_timestep(NAN, 1e-4) == 0);
  CHECK(snn_timestep(0x1p62 * 1e-4, 1e-4) == (std::int64_t{1} << 62));
  CHECK(snn_timestep(0.00123, 1e-4) == 12);
  auto model = snnc::Model::compile(write_model("refractory.snn", "neurons G(5):\n"
                                                                  "    equations:\n"
                                                                  "        dv/dt = 1/ms : 1\n"
                                                                  "        ref : second\n"
                                                                  "    threshold: v > 1\n"
                                                                  "    reset: v = 0\n"
                                                                  "    refractory: ref\n"
                                                                  "monitor spikes n = G (counts "
                                                                  "only)\n"));
  auto sim = model->instantiate(1);
  const std::vector<double> refs = {1e300, 1e20, 3e-3, -1e300, NAN};
  std::copy(refs.begin(), refs.end(), sim->variable("G", "ref").begin());
  sim->run(0.02);
  const std::vector<std::int64_t> n = sim->spike_counts("n");
  // lastspike starts at -1e4 s (as in Brian2), so these are refractory from
  // the start. (A step count wrapped to int64's low end would make them
  // never refractory.)
  CHECK(n[0] == 0);
  CHECK(n[1] == 0);
  CHECK(n[2] == 7);  // at 1.1 ms, then every 3 ms (v has passed 1 by then)
  CHECK(n[3] == 18); // never refractory: every 1.1 ms
  CHECK(n[4] == 18);
}

TEST_CASE("run, at and every refuse times the clock cannot count to", "[api]") {
  auto model = snnc::Model::compile(write_model("lif.snn", kLif));
  auto sim = model->instantiate(1);
  auto nothing = [](snnc::Simulation&) {};
  for (double bad : {-1e-3, double(NAN), 1e300, double(INFINITY)}) {
    INFO(bad);
    CHECK_THROWS_AS(sim->run(bad), std::invalid_argument);
    CHECK_THROWS_AS(sim->at(bad, nothing), std::invalid_argument);
    CHECK_THROWS_AS(sim->every(bad, nothing), std::invalid_argument);
    CHECK_THROWS_AS(sim->every(1e-3, nothing, bad), std::invalid_argument);
  }
  CHECK_THROWS_AS(sim->every(0, nothing), std::invalid_argument);
  CHECK(sim->t() == 0);
  sim->run(0); // nothing to do, and allowed
  sim->run(1e-3);
  CHECK(sim->t() == Approx(1e-3));
}

TEST_CASE("a delay changed through an array held from before a run applies", "[api]") {
  auto model = snnc::Model::compile(write_model("held_delays.snn", kDelays));
  auto sim = model->instantiate(1);
  snn::Values& delay = sim->synapse_variable("A", "delay"); // held across runs
  sim->run(0.015);
  CHECK(sim->variable("Out", "arrived")[1] == Approx(0.0119).margin(1e-12));
  delay[1] = 4e-3; // not asked for again
  sim->run(0.01);
  CHECK(sim->variable("Out", "arrived")[0] == Approx(0.0209).margin(1e-12));
  CHECK(sim->variable("Out", "arrived")[1] == Approx(0.0239).margin(1e-12));
  // ... and in a callback, mid-run.
  sim->at(0.025, [&](snnc::Simulation&) { delay[0] = 5e-3; });
  sim->run(0.01);
  CHECK(sim->variable("Out", "arrived")[0] == Approx(0.0349).margin(1e-12));
}

TEST_CASE("a model from text, quantities in the model language, introspection", "[api]") {
  auto model = snnc::Model::compile_text("const tau = 10*ms\n"
                                         "neurons P(3):\n"
                                         "    equations:\n"
                                         "        dv/dt = (1.1 - v)/tau : 1\n"
                                         "        I : amp\n"
                                         "    threshold: v > 1\n"
                                         "    reset: v = 0\n"
                                         "monitor state st = P.v (record = [0, 2])\n"
                                         "monitor rate r = P (bin = 5*ms)\n");
  CHECK(model->quantity("50*ms", "second") == Approx(0.05));
  CHECK(model->quantity("tau/2", "second") == Approx(0.005));
  CHECK(model->quantity("3") == 3);
  try {
    model->quantity("5*mV", "second", "<duration>");
    FAIL("no error");
  } catch (const snnc::ModelError& e) {
    CHECK(std::string(e.what()).find("<duration>:1:1: error: '5*mV' has unit volt, but second "
                                     "is needed here") != std::string::npos);
  }
  try {
    model->quantity("taum", "second");
    FAIL("no error");
  } catch (const snnc::ModelError& e) {
    CHECK(std::string(e.what()).find("unknown identifier 'taum'") != std::string::npos);
    CHECK(std::string(e.what()).find("did you mean 'tau'") != std::string::npos);
  }
  auto groups = model->groups();
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].name == "P");
  CHECK(groups[0].size == 3);
  auto v = std::find(groups[0].variables.begin(), groups[0].variables.end(), "I");
  REQUIRE(v != groups[0].variables.end());
  CHECK(groups[0].units[static_cast<std::size_t>(v - groups[0].variables.begin())] == "amp");
  REQUIRE(model->monitors().size() == 2);
  CHECK(model->monitors()[0].kind == "state");
  // Without a results directory, state and rate monitors record in memory.
  auto sim = model->instantiate(1);
  sim->run(0.02);
  const snn::Recording& st = sim->recording("st");
  CHECK(st.t.size() == 200);
  REQUIRE(st.values.size() == 1);
  CHECK(st.values[0].size() == 400); // 200 samples x 2 neurons
  CHECK(st.record == std::vector<std::int64_t>{0, 2});
  // Row k holds neurons 0 and 2 at sample k: alike (no noise), 0 at t = 0,
  // then (1.1 - v)/tau integrated exactly: 1.1*(1 - exp(-t/tau)) before a spike.
  CHECK(st.values[0][0] == 0);
  CHECK(st.values[0][2 * 50] == st.values[0][2 * 50 + 1]);
  CHECK(st.values[0][2 * 50] == Approx(1.1 * (1 - std::exp(-0.005 / 0.01))).epsilon(1e-9));
  const snn::Recording& r = sim->recording("r");
  CHECK(r.rate.size() == 4);
  CHECK(r.t[1] == Approx(0.005));
}

TEST_CASE("a temporary that draws a random number draws it once, as Brian2's", "[api]") {
  auto model = snnc::Model::compile(write_model("random_temporary.snn", R"(neurons P(50):
    equations:
        a : 1
        b : 1
        c : 1
    init:
        r = rand()
        a = r
        b = r
        r = r + rand()
        c = r - a
)"));
  auto sim = model->instantiate(2);
  sim->run(0.001);
  auto a = sim->variable("P", "a"), b = sim->variable("P", "b"), c = sim->variable("P", "c");
  int differ = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    CHECK(a[k] == b[k]);
    CHECK(c[k] >= 0);
    CHECK(c[k] < 1);
    differ += a[k] != a[0];
  }
  CHECK(differ > 40); // one draw per neuron, not one for all
}

TEST_CASE("a shared variable drawn at random has one value for the group, on any thread count",
          "[api]") {
  auto path = write_model("shared_random.snn", R"(neurons P(2000):
    equations:
        pick : integer (shared)
        rate : Hz
        level : 1 (shared)
    init:
        level = rand()
every 10*ms:
    P.pick = int(floor(rand()*N))
    P.rate = 50*Hz*int(pick == i)
)");
  auto model = snnc::Model::compile(path);
  std::vector<double> picks;
  for (int threads : {1, 2, 3}) {
    auto sim = model->instantiate(5);
    sim->set_threads(threads);
    sim->run(0.0305);
    auto pick = sim->variable("P", "pick"), rate = sim->variable("P", "rate"),
         level = sim->variable("P", "level");
    int active = 0;
    for (std::size_t k = 0; k < pick.size(); ++k) {
      CHECK(pick[k] == pick[0]);
      CHECK(level[k] == level[0]);
      active += rate[k] > 0;
    }
    CHECK(active == 1);
    CHECK(rate[static_cast<std::size_t>(pick[0])] == Approx(50));
    picks.push_back(pick[0]);
  }
  CHECK(picks[1] == picks[0]);
  CHECK(picks[2] == picks[0]);
}

TEST_CASE("a connect generator over sample(..., p=P) takes each k with probability P, as Brian2's",
          "[api]") {
  auto model = snnc::Model::compile(write_model("sample.snn", R"(neurons A(200):
    equations:
        v : 1
neurons B(300):
    equations:
        v : 1
synapses S(A -> B):
    on_pre: v_post += 1
    connect: j = k for k in sample(N_post, p=0.25)
synapses T(A -> B):
    on_pre: v_post += 1
    connect: j = k for k in sample(i, i + 80, 2, p=0.5) if k % 4 == 0, skip_if_invalid
)"));
  auto sim = model->instantiate(7);
  sim->run(0.0001);
  // 200*300 candidates at 0.25: 15000 expected, sd 106.
  std::int64_t n = sim->synapse_count("S");
  CHECK(n > 14500);
  CHECK(n < 15500);
  auto pre = sim->synapse_indices("T", true), post = sim->synapse_indices("T", false);
  REQUIRE(pre.size() == post.size());
  std::int64_t candidates = 0;
  for (int i = 0; i < 200; ++i)
    for (int k = i; k < i + 80; k += 2)
      candidates += k % 4 == 0 && k < 300;
  for (std::size_t s = 0; s < pre.size(); ++s) {
    CHECK(post[s] % 4 == 0);
    CHECK(post[s] >= pre[s]);
    CHECK(post[s] < pre[s] + 80);
    if (s > 0) CHECK(pre[s] >= pre[s - 1]); // made source by source, k in order
  }
  CHECK(std::abs(static_cast<double>(pre.size()) - 0.5 * candidates) <
        4 * std::sqrt(0.25 * candidates));
}

TEST_CASE("a link's index may be an integer variable of the group, read when used; an index "
          "outside the source stops the run",
          "[api]") {
  auto model = snnc::Model::compile(write_model("link_index.snn", R"(neurons src(4):
    equations:
        y : 1
    init: y = 10*i
neurons G(3):
    equations:
        J : 1 (linked)
        k : integer
        got = J : 1
    link: J = src.y[k]
    init: k = 3 - i
monitor state m = G.got
)"));
  auto sim = model->instantiate(1);
  sim->run(0.001);
  auto got = [&] {
    auto& g = sim->variable("G", "got");
    return std::vector<double>(g.begin(), g.end());
  };
  CHECK(got() == std::vector<double>{30, 20, 10});
  auto& k = sim->variable("G", "k");
  k[0] = 0;
  k[1] = 1;
  k[2] = 0;
  sim->run(0.001);
  CHECK(got() == std::vector<double>{0, 10, 0});
  k[1] = 4;
  CHECK_THROWS_WITH(sim->run(0.001),
                    Catch::Contains("group 'G': neuron 1 of the link of 'J' reads neuron 4 of "
                                    "'src', which has 4 (its index is out of range)"));
}

TEST_CASE("sample(..., size=n) takes n distinct k of the range, in its order, each equally likely",
          "[api]") {
  auto model = snnc::Model::compile(write_model("sample_size.snn", R"(neurons A(200):
    equations:
        v : 1
neurons B(300):
    equations:
        v : 1
synapses S(A -> B):
    on_pre: v_post += 1
    connect: j = k for k in sample(N_post, size = i // 2)
synapses T(A -> B):
    on_pre: v_post += 1
    connect: j = k for k in sample(10, 300, 3, size = 40) if k % 2 == 0
synapses U(A -> B):
    on_pre: v_post += 1
    connect: i = k for k in sample(j - 5, j + 95, 2, size = 6), skip_if_invalid
)"));
  auto sim = model->instantiate(11);
  sim->run(0.0001);
  // S: i // 2 distinct targets per source, increasing; each target about as
  // often as the others (9900 synapses over 300 targets: 33 each, sd < 6).
  auto pre = sim->synapse_indices("S", true), post = sim->synapse_indices("S", false);
  REQUIRE(pre.size() == 9900);
  std::vector<int> per_source(200), per_target(300);
  for (std::size_t s = 0; s < pre.size(); ++s) {
    ++per_source[static_cast<std::size_t>(pre[s])];
    ++per_target[static_cast<std::size_t>(post[s])];
    if (s > 0 && pre[s] == pre[s - 1]) CHECK(post[s] > post[s - 1]);
  }
  for (int i = 0; i < 200; ++i)
    CHECK(per_source[static_cast<std::size_t>(i)] == i / 2);
  for (int c : per_target) {
    CHECK(c > 10);
    CHECK(c < 60);
  }
  // T: 40 of range(10, 300, 3), then the condition: the even ones (about half).
  pre = sim->synapse_indices("T", true);
  post = sim->synapse_indices("T", false);
  for (std::size_t s = 0; s < post.size(); ++s) {
    CHECK(post[s] % 6 == 4);
    CHECK(post[s] >= 10);
  }
  CHECK(std::abs(static_cast<double>(post.size()) - 200 * 20.0) < 4 * std::sqrt(200 * 10.0));
  // U: over i, a range that uses j (which Brian2 2.5.1 refuses), invalid i
  // skipped: 6 of j - 5, j - 3, ..., j + 93 in that order, those within A.
  pre = sim->synapse_indices("U", true);
  post = sim->synapse_indices("U", false);
  std::vector<int> per_j(300);
  for (std::size_t s = 0; s < pre.size(); ++s) {
    ++per_j[static_cast<std::size_t>(post[s])];
    CHECK((pre[s] - post[s] + 5) % 2 == 0);
    CHECK(pre[s] >= post[s] - 5);
    CHECK(pre[s] < post[s] + 95);
    if (s > 0) {
      CHECK(post[s] >= post[s - 1]); // made target by target
      if (post[s] == post[s - 1]) CHECK(pre[s] > pre[s - 1]);
    }
  }
  for (int j = 5; j < 100; ++j) // the whole range within A: 6 each
    CHECK(per_j[static_cast<std::size_t>(j)] == 6);
  for (int j = 295; j < 300; ++j) // beyond A: none
    CHECK(per_j[static_cast<std::size_t>(j)] == 0);
}
