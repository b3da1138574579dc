// The snnc binary as a user meets it: exit codes, where output goes, and the
// shape of a diagnostic (location, quoted line, caret).
#include "support/files.h"
#include "support/npy.h"
#include "support/temp.h"

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace {

using snnc::test::slurp;

struct Result {
  int code;
  std::string out, err;
};

Result run(const std::string& args) {
  fs::path dir = snnc::test::scratch("cli");
  std::string cmd = std::string(SNNC_BINARY) + " " + args + " >" + (dir / "out").string() + " 2>" +
                    (dir / "err").string();
  int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "out"), slurp(dir / "err")};
}

const std::string kErrors = std::string(SNNC_TEST_DATA_DIR) + "/errors/";
const std::string kModels = std::string(SNNC_TEST_DATA_DIR) + "/../examples/models/";

} // namespace

TEST_CASE("check of a wrong model: exit 1, diagnostics with caret on stderr, nothing on stdout",
          "[cli]") {
  Result r = run("check " + kErrors + "dim_mismatch_diff.snn");
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("dim_mismatch_diff.snn:4:17: error: dimension mismatch in 'dv/dt'") !=
        std::string::npos);
  // The line, indented by four spaces, and a caret under column 17.
  CHECK(r.err.find("\n            dv/dt = -v : volt\n" + std::string(4 + 16, ' ') + "^\n") !=
        std::string::npos);
  CHECK(r.err.find("1 error generated.") != std::string::npos);
}

TEST_CASE("ir of a wrong model writes nothing to stdout", "[cli]") {
  Result r = run("ir --json " + kErrors + "multiple_errors.snn");
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("2 errors generated.") != std::string::npos);
}

TEST_CASE("check of a good model: exit 0 and a one-line summary", "[cli]") {
  Result r = run("check " + kModels + "cuba.snn");
  CHECK(r.code == 0);
  CHECK(r.out == "cuba.snn: ok: 1 group (4000 neurons), 2 synapses objects, 2 monitors, 1 run "
                 "(1 s simulated)\n");
  CHECK(r.err.empty());
}

TEST_CASE("a missing file is a user error, not a crash", "[cli]") {
  Result r = run("check " + kErrors + "does_not_exist.snn");
  CHECK(r.code == 1);
  CHECK(r.err.find("error: cannot open") != std::string::npos);
}

TEST_CASE("usage errors are reported by the argument parser", "[cli]") {
  Result r = run("frobnicate");
  CHECK(r.code != 0);
  CHECK(r.code != 2);
}

TEST_CASE("ir options that cannot be combined are refused, not ignored", "[cli]") {
  Result r = run("ir --json --kernels " + kModels + "cuba.snn");
  CHECK(r.code != 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("--json excludes --kernels") != std::string::npos);
}

TEST_CASE("expressions deeper than the compiler takes are errors, not stack overflows", "[cli]") {
  fs::path dir = snnc::test::scratch("cli_deep");
  auto model = [&](const std::string& name, const std::string& equations,
                   const std::string& method = "euler") {
    fs::path p = dir / name;
    std::ofstream(p) << "neurons G(4):\n    equations:\n"
                     << equations
                     << "    threshold: v > 0.5\n    reset: v = 0\n    method: " << method
                     << "\nmonitor spikes sp = G\nrun 10*ms\n";
    return p.string();
  };
  auto repeat = [](const std::string& s, int n) {
    std::string out;
    for (int k = 0; k < n; ++k)
      out += s;
    return out;
  };
  const std::string open = repeat("(", 100000), close = repeat(")", 100000);
  // Far beyond every limit: each is refused where it goes too deep.
  Result r = run("check " + model("brackets.snn",
                                  "        dv/dt = " + open + "1 - v" + close + "/(10*ms) : 1\n"));
  CHECK(r.code == 1);
  CHECK(r.err.find("brackets.snn:3:218: error: this expression is nested more than 200 levels "
                   "deep") != std::string::npos);
  r = run("check " +
          model("signs.snn", "        dv/dt = " + repeat("-", 100000) + "v/(10*ms) : 1\n"));
  CHECK(r.code == 1);
  CHECK(r.err.find("signs.snn:3:218: error: this expression is nested more than 200 levels "
                   "deep") != std::string::npos);
  r = run("check " + model("chain.snn", "        dv/dt = (1 - v" + repeat(" + v*0", 100000) +
                                            ")/(10*ms) : 1\n"));
  CHECK(r.code == 1);
  CHECK(r.err.find("chain.snn:3:") != std::string::npos);
  CHECK(r.err.find("error: this expression is more than 1000 operations deep") !=
        std::string::npos);
  // Subexpressions that inline to a tree too deep: 12 of 101 levels each.
  std::string subs;
  for (int k = 0; k < 12; ++k)
    subs += "        s" + std::to_string(k) + " = " + (k ? "s" + std::to_string(k - 1) : "v") +
            repeat(" + v*0", 100) + " : 1\n";
  r = run("check " + model("subexpressions.snn", subs + "        dv/dt = (1 - s11)/(10*ms) : 1\n"));
  CHECK(r.code == 1);
  CHECK(r.err.find("subexpressions.snn:12:14: error: with the subexpressions it uses "
                   "inlined, this expression is 1002 operations deep") != std::string::npos);
  // s1 = s0 + s0, ... up to s`last`: each twice the size of the one before.
  auto doubling = [](int last) {
    std::string out = "        s0 = v : 1\n";
    for (int k = 1; k <= last; ++k)
      out += "        s" + std::to_string(k) + " = s" + std::to_string(k - 1) + " + s" +
             std::to_string(k - 1) + " : 1\n";
    return out;
  };
  // Refused before they take the memory (2^30 nodes).
  r = run("check " +
          model("doubling.snn", doubling(30) + "        dv/dt = (1 - s30)/(10*ms) : 1\n"));
  CHECK(r.code == 1);
  CHECK(r.err.find("doubling.snn:20:15: error: with the subexpressions it uses inlined, "
                   "this expression has 262143 operations") != std::string::npos);
  // Many references to one large subexpression: shared, and refused by
  // their total (65 million nodes), never built.
  r = run("check " + model("references.snn", doubling(16) + "        dv/dt = (1" +
                                                 repeat(" - s16", 500) + ")/(10*ms) : 1\n"));
  CHECK(r.code == 1);
  CHECK(r.err.find("references.snn:20:18: error: with the subexpressions it uses inlined, this "
                   "expression has 65536005 operations") != std::string::npos);
  // Exactly at the nesting limit: 200 brackets, 200 signs.
  r = run("check " + model("brackets200.snn", "        dv/dt = " + repeat("(", 200) + "1 - v" +
                                                  repeat(")", 200) + "/(10*ms) : 1\n"));
  INFO(r.err);
  CHECK(r.code == 0);
  r = run("check " +
          model("signs200.snn", "        dv/dt = (1 " + repeat("-", 200) + "v)/(10*ms) : 1\n"));
  INFO(r.err);
  CHECK(r.code == 0);
  r = run("check " +
          model("signs201.snn", "        dv/dt = (1 " + repeat("-", 201) + "v)/(10*ms) : 1\n"));
  CHECK(r.code == 1);
  // Connect conditions joined with 'and', many of them.
  {
    fs::path p = dir / "conditions.snn";
    std::ofstream(p) << "neurons G(4):\n    equations:\n        v : 1\nsynapses S(G -> G):\n"
                        "    model:\n        w : 1\n    connect: "
                     << repeat("i != j, ", 5000) << "i != j\n";
    r = run("check " + p.string());
    CHECK(r.code == 1);
    CHECK(r.err.find("error: the connect conditions are more than 1000 operations deep together") !=
          std::string::npos);
  }
  // Just within the limits, through every stage: integration (rk4), the
  // JIT, the run, and the exported C++.
  std::string deep = model("deep.snn",
                           "        dv/dt = " + repeat("(", 190) + "1 - v" + repeat(" + v*0", 980) +
                               repeat(")", 190) + "/(10*ms) : 1\n",
                           "rk4");
  r = run("run " + deep + " -o " + (dir / "out").string());
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(fs::exists(dir / "out" / "manifest.json"));
  r = run("export " + deep + " -o " + (dir / "exported").string());
  CHECK(r.code == 0);
  CHECK(fs::exists(dir / "exported" / "kernels.cpp"));
}

TEST_CASE("connect's n beyond every buffer is an error, not a crash or a silent 0", "[cli]") {
  fs::path p = snnc::test::scratch("cli_n") / "n.snn";
  std::ofstream(p) << "neurons G(4):\n    equations:\n        k : 1\n    init:\n        k = 1e300\n"
                      "synapses S(G -> G):\n    model:\n        w : 1\n    on_pre: k_post += w\n"
                      "    connect: n = int(k_pre)\nrun 1*ms\n";
  Result r = run("run " + p.string() + " -o " + (p.parent_path() / "out").string());
  CHECK(r.code == 1);
  CHECK(r.err.find("error: synapses 'S': more than 268435456 synapses from neuron 0") !=
        std::string::npos);
}

TEST_CASE("values for synapses that do not match the synapses' count stop the run, located",
          "[cli]") {
  fs::path p = snnc::test::scratch("cli_syn_values") / "w.snn";
  std::ofstream(p) << "neurons P(3):\n    equations:\n        dv/dt = -v/(10*ms) : volt\n"
                      "synapses S(P -> P):\n    model: w : 1\n    on_pre: v += w*mV\n"
                      "    connect: i != j\n    init: w = [1, 2, 3, 4, 5]\n"
                      "monitor state m = S.w\nrun 1*ms\n";
  fs::path out = p.parent_path() / "out";
  Result r = run("run " + p.string() + " -o " + out.string());
  CHECK(r.code == 1);
  CHECK(r.err.find("w.snn:8:15: error: the run stopped: 5 values for the 6 synapses of 'S': one "
                   "value per synapse is needed, in the order Brian2 creates them (by "
                   "presynaptic, then postsynaptic neuron); no results were written") !=
        std::string::npos);
  CHECK(r.err.find("^") != std::string::npos);
  CHECK_FALSE(fs::exists(out / "m_w.npy"));
}

TEST_CASE("synapses onto synapses given a j that is not a target synapse stop the run, located",
          "[cli]") {
  fs::path p = snnc::test::scratch("cli_onto_synapses") / "r.snn";
  std::ofstream(p) << "neurons P(3):\n    equations:\n        dv/dt = -v/(10*ms) : volt\n"
                      "    threshold: v > 1*mV\n"
                      "synapses T(P -> P):\n    model: w : volt\n    on_pre: v_post += w\n"
                      "    connect: i != j\n"
                      "synapses R(P -> T):\n    on_pre: w_post += 1*mV\n"
                      "    connect:\n        i = [0, 1]\n        j = [5, 6]\n"
                      "monitor state m = T.w\nrun 1*ms\n";
  fs::path out = p.parent_path() / "out";
  Result r = run("run " + p.string() + " -o " + out.string());
  CHECK(r.code == 1);
  CHECK(r.err.find("r.snn:11:5: error: the run stopped: synapses 'R': j = 6 is not a synapse of "
                   "'T', which has 6; no results were written") != std::string::npos);
  CHECK_FALSE(fs::exists(out / "m_w.npy"));
}

TEST_CASE("a monitor of a summed variable named without _post records its target", "[cli]") {
  // I_syn = w (summed) sums into B's I_syn; S.I_syn is that sum, seen from
  // each synapse (it crashed, or recorded another variable, before).
  fs::path p = snnc::test::scratch("cli_summed") / "s.snn";
  std::ofstream(p) << "neurons A(2):\n    equations:\n        dv/dt = -v/(10*ms) : volt\n"
                      "neurons B(2):\n    equations:\n"
                      "        dv/dt = (-v + 100*Mohm*I_syn)/(10*ms) : volt\n"
                      "        I_syn : amp\n"
                      "synapses S(A -> B):\n    model:\n        w : amp\n"
                      "        I_syn = w : amp (summed)\n    connect: all\n"
                      "    init: w = 0.1*nA\n"
                      "monitor state m = S.I_syn (when = end)\nrun 0.1*ms\n";
  fs::path out = p.parent_path() / "out";
  Result r = run("run " + p.string() + " -o " + out.string());
  INFO(r.err);
  REQUIRE(r.code == 0);
  snnc::test::NpyArray a = snnc::test::read_npy((out / "m_I_syn.npy").string());
  REQUIRE(a.data.size() == 4); // one sample, four synapses
  for (double x : a.data)
    CHECK(x == Approx(2e-10)); // two synapses onto each neuron of B
}

// Progress: on a terminal a line rewritten in place, in a log (stderr here
// is a file) one line per 10 %; a run shorter than 2 s shows none (auto).
TEST_CASE("snnc run's progress: a line per 10 % in a log, none for a short run or with off",
          "[cli]") {
  fs::path out = snnc::test::scratch("cli") / "progress";
  Result on = run("run " + kModels + "cuba.snn -o " + out.string() + " --progress on");
  REQUIRE(on.code == 0);
  int lines = 0, last = -1;
  for (std::size_t at = 0; (at = on.err.find("run ", at)) != std::string::npos; ++at) {
    std::size_t pct = on.err.find(" %)", at), open = on.err.rfind('(', pct);
    REQUIRE(pct != std::string::npos);
    int p = std::stoi(on.err.substr(open + 1, pct - open - 1));
    CHECK(p > last); // each line further on
    last = p;
    ++lines;
  }
  CHECK(lines >= 2);
  CHECK(lines <= 11);
  CHECK(last == 100);
  CHECK(on.err.find("\r") == std::string::npos);
  CHECK(on.err.find("s/s") != std::string::npos); // simulated seconds per second
  Result quiet = run("run " + kModels + "cuba.snn -o " + out.string());
  CHECK(quiet.err.find(" %)") == std::string::npos);
  Result off = run("run " + kModels + "cuba.snn -o " + out.string() + " --progress off");
  CHECK(off.err.find(" %)") == std::string::npos);
}

TEST_CASE("snnc run's progress on a terminal: one line rewritten in place, with a bar", "[cli]") {
  // script(1) (util-linux) gives the run a terminal.
  if (std::system("command -v script > /dev/null") != 0) FAIL("script(1) is needed");
  fs::path dir = snnc::test::scratch("cli");
  std::string cmd = "script -qec '" + std::string(SNNC_BINARY) + " run " + kModels +
                    "cuba.snn -o " + (dir / "tty").string() + " --progress on' /dev/null > " +
                    (dir / "tty.log").string();
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::string log = slurp(dir / "tty.log");
  CHECK(log.find("\rrun [") != std::string::npos);
  CHECK(log.find("####################] 1/1 s (100 %)") != std::string::npos);
  CHECK(log.find("\033[K") != std::string::npos); // the rest of the old line cleared
}

// The memory check reads a connection probability written as an expression
// (it used to refuse this network as 4e8 synapses, "about 12.8 GB").
TEST_CASE("a probability written as an expression is estimated, and a network that fits runs",
          "[cli]") {
  fs::path dir = snnc::test::scratch("cli");
  std::ofstream(dir / "p_expr.snn") << "const N = 20000\n"
                                       "const Ne = 16000\n"
                                       "neurons P(N):\n"
                                       "    equations:\n"
                                       "        dv/dt = -v/(20*ms) : volt\n"
                                       "    threshold: v > 10*mV\n"
                                       "    reset: v = 0*mV\n"
                                       "synapses Ce(P -> P):\n"
                                       "    on_pre: v_post += 0.1*mV\n"
                                       "    connect: i < Ne, p = 80.0/N\n"
                                       "run 1*ms\n";
  Result r = run("run " + (dir / "p_expr.snn").string() + " -o " + (dir / "p_expr").string());
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.err.find("would need") == std::string::npos);
}

TEST_CASE("code compiled for another CPU (--cpu) gives the bits of the native code", "[cli][cpu]") {
  // Exact arithmetic (no fast-math, no contraction) on every instruction
  // set: SSE2 only (x86-64), AVX2 (haswell), and whatever this machine has.
  fs::path dir = snnc::test::scratch("cli");
  std::ofstream(dir / "cpu.snn")
      << "neurons G(37):\n"
         "    equations:\n"
         "        dv/dt = (-(v + 65*mV) + 3*mV*exp((v + 50*mV)/(3*mV)) + I)/(10*ms) "
         "+ 2*mV*xi/sqrt(10*ms) : volt\n"
         "        I = 20*mV*(1 + sin(2*pi*t/(37*ms) + i)) : volt\n"
         "    threshold: v > -40*mV\n"
         "    reset: v = -65*mV\n"
         "    init:\n"
         "        v = -65*mV + 10*mV*rand()\n"
         "synapses S(G -> G):\n"
         "    model: w : volt\n"
         "    on_pre: v_post += w\n"
         "    connect: p = 0.2\n"
         "    init:\n"
         "        w = 0.5*mV*rand()\n"
         "monitor spikes sp = G\n"
         "monitor state st = G.v\n"
         "run 200*ms\n";
  const std::string model = (dir / "cpu.snn").string();
  Result native = run("run " + model + " -o " + (dir / "native").string() + " --threads 1");
  REQUIRE(native.code == 0);
  CHECK(slurp(dir / "native" / "manifest.json").find("(native)") != std::string::npos);
  for (const char* cpu : {"x86-64", "haswell"}) {
    INFO(cpu);
    fs::path out = dir / cpu;
    Result r = run("run " + model + " -o " + out.string() + " --threads 1 --cpu " + cpu);
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(slurp(out / "manifest.json").find(std::string("\"cpu\": \"") + cpu + "\"") !=
          std::string::npos);
    for (const char* f : {"sp_i.npy", "sp_t.npy", "st_v.npy", "st_t.npy"})
      CHECK(slurp(out / f) == slurp(dir / "native" / f));
  }
  REQUIRE(slurp(dir / "native" / "sp_i.npy").size() > 1000); // it spikes
}

TEST_CASE("an unknown CPU, or one this machine cannot run, is refused (--cpu, SNNC_CPU)",
          "[cli][cpu]") {
  fs::path dir = snnc::test::scratch("cli");
  const std::string model = kModels + "cuba.snn";
  Result r = run("run " + model + " -o " + (dir / "bad_cpu").string() + " --cpu pentium9");
  CHECK(r.code == 1);
  CHECK(r.err.find("snnc: error: unknown CPU 'pentium9' (--cpu): use 'native' or an LLVM CPU "
                   "name") != std::string::npos);
  CHECK(!fs::exists(dir / "bad_cpu"));
  setenv("SNNC_CPU", "pentium9", 1);
  r = run("run " + model + " -o " + (dir / "bad_env").string());
  unsetenv("SNNC_CPU");
  CHECK(r.code == 1);
  CHECK(r.err.find("unknown CPU 'pentium9' (SNNC_CPU)") != std::string::npos);
  CHECK(!fs::exists(dir / "bad_env"));
  // bdver4 (AMD, 2015) has XOP, FMA4 and TBM, which later CPUs dropped: refused
  // here unless this machine has them.
  const bool has_xop = slurp("/proc/cpuinfo").find(" xop") != std::string::npos;
  r = run("run " + model + " -o " + (dir / "old_cpu").string() + " --cpu bdver4");
  if (has_xop) {
    CHECK(r.code == 0);
  } else {
    CHECK(r.code == 1);
    CHECK(r.err.find("snnc: error: CPU 'bdver4' (--cpu) has features this machine's CPU") !=
          std::string::npos);
    CHECK(r.err.find("xop") != std::string::npos);
    CHECK(r.err.find("illegal instruction") != std::string::npos);
    CHECK(!fs::exists(dir / "old_cpu"));
  }
}

TEST_CASE("the manifest counts the synaptic events: each synapse's pathway code run for a spike",
          "[cli]") {
  // 4 input spikes onto 5 neurons (20 events); each of those spikes once at
  // 3 ms, running T's on_pre onto the 4 others (20) and its on_post from
  // them (20).
  fs::path dir = snnc::test::scratch("cli");
  std::ofstream(dir / "events.snn") << "spikes inp(3, indices = [0, 1, 2, 0], times = [1, 2, 3, "
                                       "4]*ms)\n"
                                       "neurons G(5):\n"
                                       "    equations:\n"
                                       "        v : 1\n"
                                       "    threshold: v > 2.5\n"
                                       "    reset: v = 0\n"
                                       "synapses S(inp -> G):\n"
                                       "    on_pre: v_post += 1\n"
                                       "    connect: True\n"
                                       "synapses T(G -> G):\n"
                                       "    model: w : 1\n"
                                       "    on_pre: w += 1\n"
                                       "    on_post: w += 2\n"
                                       "    connect: i != j\n"
                                       "run 10*ms\n";
  for (const char* threads : {"1", "2"}) {
    INFO(threads << " threads");
    Result r = run("run " + (dir / "events.snn").string() + " -o " + (dir / "events").string() +
                   " --threads " + threads);
    INFO(r.err);
    REQUIRE(r.code == 0);
    std::string manifest = slurp(dir / "events" / "manifest.json");
    auto number = [&](const std::string& key) {
      std::size_t at = manifest.find("\"" + key + "\": ");
      return at == std::string::npos ? -1 : std::stoll(manifest.substr(at + key.size() + 4));
    };
    CHECK(number("total_spikes") == 9);
    CHECK(number("synaptic_events") == 60);
  }
}
