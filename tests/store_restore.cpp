// store/restore: 100 trials that each restore a snapshot taken mid-run (with
// spikes in flight in delayed, plastic synapses and noise after it) equal
// 100 trials that each build a fresh network and run it to the same point.
#include "api/snnc.h"

#include "support/temp.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

const char* kModel = R"(const taupre = 10*ms
const taupost = 10*ms
neurons inp(20):
    equations:
        rate : Hz
    threshold: rand() < rate*dt
    init:
        rate = 40*Hz
neurons out(4):
    equations:
        dv/dt = -v/(10*ms) + 0.3*xi*(10*ms)**-0.5 : 1
    threshold: v > 1
    reset: v = 0
    method: euler
synapses S(inp -> out):
    model:
        w : 1
        dapre/dt = -apre/taupre : 1 (event-driven)
        dapost/dt = -apost/taupost : 1 (event-driven)
    on_pre:
        v_post += w
        apre += 0.01
        w = clip(w + apost, 0, 0.5)
    on_post:
        apost -= 0.012
        w = clip(w + apre, 0, 0.5)
    connect: all
    delay: (1 + 0.5*i)*ms
    init:
        w = 0.3
monitor spikes counts = out (counts only)
)";

struct Trial {
  std::vector<std::int64_t> counts;
  snn::Values w, v;
  bool operator==(const Trial& o) const { return counts == o.counts && w == o.w && v == o.v; }
};

Trial finish_trial(snnc::Simulation& sim, int k) {
  sim.reset_monitor("counts");
  for (double& r : sim.variable("inp", "rate"))
    r = 10.0 + 2.0 * k;
  sim.run(0.05);
  return {sim.spike_counts("counts"), sim.synapse_variable("S", "w"), sim.variable("out", "v")};
}

} // namespace

TEST_CASE("100 trials from a stored snapshot equal 100 fresh networks", "[store]") {
  fs::path dir = snnc::test::scratch("store");
  std::ofstream(dir / "m.snn") << kModel;
  auto model = snnc::Model::compile((dir / "m.snn").string());

  auto sim = model->instantiate(11);
  sim->run(0.0303); // stop while delayed spikes are still in the queues
  sim->store("warm");
  std::vector<Trial> restored;
  for (int k = 0; k < 100; ++k) {
    sim->restore("warm");
    restored.push_back(finish_trial(*sim, k));
  }

  std::int64_t spikes = 0;
  for (int k = 0; k < 100; ++k) {
    auto fresh = model->instantiate(11);
    fresh->run(0.0303);
    Trial t = finish_trial(*fresh, k);
    for (auto c : t.counts)
      spikes += c;
    CHECK(t == restored[static_cast<std::size_t>(k)]);
  }
  CHECK(spikes > 100);                   // the trials do something...
  CHECK(!(restored[0] == restored[99])); // ...and differ with their input
  CHECK_THROWS_AS(sim->restore("cold"), std::out_of_range);
}

TEST_CASE("restore puts back the clock and what happens after it", "[store]") {
  fs::path dir = snnc::test::scratch("store");
  std::ofstream(dir / "m.snn") << kModel;
  auto model = snnc::Model::compile((dir / "m.snn").string());
  auto sim = model->instantiate(3);
  sim->run(0.01);
  sim->store();
  sim->run(0.02);
  snn::Values w1 = sim->synapse_variable("S", "w");
  double t1 = sim->t();
  sim->restore();
  CHECK(sim->t() == Approx(0.01));
  sim->run(0.02);
  CHECK(sim->t() == t1);
  CHECK(sim->synapse_variable("S", "w") == w1);
}

TEST_CASE("store and restore in the model language", "[store]") {
  fs::path dir = snnc::test::scratch("store");
  // The same model, run for 30 ms, restored twice to the snapshot at 10 ms
  // with another input each time: each rerun repeats the first exactly when
  // its input is the same, and monitors keep recording across restores.
  std::ofstream(dir / "lang.snn") << std::string(kModel) + "monitor spikes sp = out\n"
                                                           "run 10*ms\n"
                                                           "store warm\n"
                                                           "run 20*ms\n"
                                                           "restore warm\n"
                                                           "run 20*ms\n"
                                                           "restore warm\n"
                                                           "inp.rate = 90*Hz\n"
                                                           "run 20*ms\n";
  auto model = snnc::Model::compile((dir / "lang.snn").string());
  auto sim = model->instantiate(5);
  sim->run_schedule();
  CHECK(sim->t() == Approx(0.03));
  std::vector<double> first, second, third;
  const auto& t = sim->spike_times("sp");
  // Times go up within each segment; a restore makes them jump back.
  std::size_t k = 0;
  for (; k < t.size() && t[k] < 0.01; ++k) {
  }
  for (; k < t.size() && (k == 0 || t[k] >= t[k - 1]); ++k)
    first.push_back(t[k]);
  for (; k < t.size() && (second.empty() || t[k] >= second.back()); ++k)
    second.push_back(t[k]);
  for (; k < t.size(); ++k)
    third.push_back(t[k]);
  REQUIRE(!first.empty());
  CHECK(first == second);
  CHECK(third != second);
  CHECK(third.front() >= 0.01);
}

TEST_CASE("a constant changed between runs keeps its value across a restore", "[store]") {
  // As in Brian2, where a restore puts back the network, not the script's
  // variables: the run after the restore sees taum = 20 ms, as the one
  // before it did, so the two give the same spikes; a run from the same
  // state with the declared taum does not.
  fs::path dir = snnc::test::scratch("store_constants");
  const std::string model = "const taum = 10*ms\n"
                            "neurons P(4):\n"
                            "    equations:\n"
                            "        dv/dt = (I - v)/taum : volt\n"
                            "        I : volt\n"
                            "    threshold: v > 15*mV\n"
                            "    reset: v = 0*mV\n"
                            "    init: I = [16, 18, 22, 30]*mV\n"
                            "monitor spikes sp = P\n"
                            "run 10*ms\n"
                            "store warm\n";
  std::ofstream(dir / "changed.snn")
      << model + "taum = 20*ms\nrun 30*ms\nrestore warm\nrun 30*ms\n";
  std::ofstream(dir / "declared.snn") << model + "run 30*ms\n";
  auto spikes_after = [](const std::string& path) {
    auto sim = snnc::Model::compile(path)->instantiate(1);
    sim->run_schedule();
    std::vector<double> t;
    for (double x : sim->spike_times("sp"))
      if (x >= 0.01) t.push_back(x);
    return t;
  };
  std::vector<double> changed = spikes_after((dir / "changed.snn").string());
  std::vector<double> declared = spikes_after((dir / "declared.snn").string());
  REQUIRE(changed.size() % 2 == 0);
  std::vector<double> before(changed.begin(), changed.begin() + changed.size() / 2);
  std::vector<double> after(changed.begin() + changed.size() / 2, changed.end());
  REQUIRE(!before.empty());
  CHECK(before == after);
  CHECK(before != declared);
}

TEST_CASE("restore without a store before it is an error", "[store]") {
  fs::path dir = snnc::test::scratch("store");
  std::ofstream(dir / "bad.snn") << std::string(kModel) + "run 1*ms\nrestore warm\nstore warm\n";
  CHECK_THROWS_WITH(snnc::Model::compile((dir / "bad.snn").string()),
                    Catch::Contains("'restore warm' needs a 'store warm' before it"));
}
