// Checkpoints on disk (snnc run --checkpoint / --stop-at / --resume): a run
// stopped and resumed, even twice, writes exactly the files of a run that was
// never stopped; a checkpoint of another model, a damaged one, or one whose
// results are gone is refused with a clear error.
#include "support/files.h"
#include "support/temp.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace {

using snnc::test::slurp;

struct Result {
  int code;
  std::string err;
};

Result run_snnc(const std::string& args, const fs::path& dir) {
  std::string cmd = fmt::format("{} {} >{} 2>{}", SNNC_BINARY, args, (dir / "out.log").string(),
                                (dir / "err.log").string());
  int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "err.log")};
}

// Every array byte for byte, and the manifest but for timings and provenance.
void require_same_results(const fs::path& a, const fs::path& b) {
  nlohmann::json ma = nlohmann::json::parse(slurp(a / "manifest.json"));
  nlohmann::json mb = nlohmann::json::parse(slurp(b / "manifest.json"));
  for (auto* m : {&ma, &mb}) {
    m->erase("timings_ms");
    m->erase("resumed_from");
  }
  CHECK(ma == mb);
  std::size_t arrays = 0;
  for (const auto& e : fs::directory_iterator(a)) {
    if (e.path().extension() != ".npy") continue;
    INFO(e.path().filename().string());
    REQUIRE(fs::exists(b / e.path().filename()));
    CHECK(slurp(e.path()) == slurp(b / e.path().filename()));
    ++arrays;
  }
  for (const auto& e : fs::directory_iterator(b))
    CHECK(fs::exists(a / e.path().filename()));
  CHECK(arrays > 0);
}

const std::string kTests = SNNC_TEST_DATA_DIR;

} // namespace

TEST_CASE("a run stopped twice and resumed equals an uninterrupted run, bit for bit",
          "[checkpoint]") {
  // Networks with every kind of state: spike queues with heterogeneous
  // delays (synapse_features, trials_store), event-driven STDP, noise,
  // summed variables, clock-driven synapses, held subexpressions, timed
  // arrays, at/every events, rate monitors, store/restore in the schedule.
  auto model = GENERATE(
      as<std::string>{}, "differential/synapse_features", "differential/clock_driven",
      "differential/constant_over_dt", "differential/cuba_neuron", "differential/timed_input",
      "differential/loaded_data", "differential/stdp_feature", "differential/izhikevich_net",
      "differential/synapses_post", "differential/synapses_onto_synapses",
      "../examples/models/trials_store", "../examples/models/cuba", "../examples/models/stdp",
      "../examples/models/izhikevich_net");
  INFO(model);
  fs::path dir = snnc::test::scratch("checkpoint");
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string file = kTests + "/" + model + ".snn";
  REQUIRE(run_snnc(fmt::format("run {} -o {}", file, (dir / "whole").string()), dir).code == 0);
  double t_end = nlohmann::json::parse(slurp(dir / "whole" / "manifest.json"))["t_end"];
  fs::path ckpt = dir / "run.ckpt", parts = dir / "parts";
  // Stop at about a third, resume and stop at about two thirds, resume to the end.
  Result r = run_snnc(fmt::format("run {} -o {} --checkpoint {} --stop-at {}", file, parts.string(),
                                  ckpt.string(), 0.37 * t_end),
                      dir);
  REQUIRE(r.code == 0);
  CHECK(r.err.find("--resume") != std::string::npos);
  nlohmann::json m1 = nlohmann::json::parse(slurp(parts / "manifest.json"));
  CHECK(m1["interrupted"] == true);
  CHECK(m1["t_end"].get<double>() < t_end);
  r = run_snnc(fmt::format("run {} --resume {} --checkpoint {} --stop-at {}", file, ckpt.string(),
                           ckpt.string(), 0.71 * t_end),
               dir);
  REQUIRE(r.code == 0);
  r = run_snnc(fmt::format("run {} --resume {}", file, ckpt.string()), dir);
  INFO(r.err);
  REQUIRE(r.code == 0);
  require_same_results(dir / "whole", parts);
  // Nothing is left behind but the results and the checkpoint.
  for (const auto& e : fs::directory_iterator(dir))
    CHECK(e.path().filename().string().find("partial") == std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a checkpoint that cannot be resumed is refused with a reason", "[checkpoint]") {
  fs::path dir = snnc::test::scratch("checkpoint_errors");
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string cuba = kTests + "/../examples/models/cuba.snn";
  std::string stdp = kTests + "/../examples/models/stdp.snn";
  fs::path ckpt = dir / "cuba.ckpt";
  REQUIRE(run_snnc(fmt::format("run {} -o {} --checkpoint {} --stop-at 0.2s", cuba,
                               (dir / "res").string(), ckpt.string()),
                   dir)
              .code == 0);
  auto refused = [&](const std::string& args, const std::string& why) {
    Result r = run_snnc(args, dir);
    INFO(args << "\n" << r.err);
    CHECK(r.code == 1);
    CHECK(r.err.find("error: cannot resume from") != std::string::npos);
    CHECK(r.err.find(why) != std::string::npos);
  };
  SECTION("another model") {
    refused(fmt::format("run {} --resume {}", stdp, ckpt.string()), "written by another model");
  }
  SECTION("the same model with other constants") {
    refused(fmt::format("run {} --resume {} --set we=7*mV", cuba, ckpt.string()),
            "written by another model");
  }
  SECTION("a truncated checkpoint") {
    std::string bytes = slurp(ckpt);
    std::ofstream(dir / "cut.ckpt", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    refused(fmt::format("run {} --resume {}", cuba, (dir / "cut.ckpt").string()),
            "damaged or truncated");
  }
  SECTION("a damaged checkpoint") {
    std::string bytes = slurp(ckpt);
    bytes[bytes.size() / 2] ^= 0x10;
    std::ofstream(dir / "bad.ckpt", std::ios::binary) << bytes;
    refused(fmt::format("run {} --resume {}", cuba, (dir / "bad.ckpt").string()),
            "damaged or truncated");
  }
  SECTION("a file that is not a checkpoint") {
    refused(fmt::format("run {} --resume {}", cuba, cuba), "not an snnc checkpoint");
  }
  SECTION("a checkpoint of a newer format") {
    std::string bytes = slurp(ckpt);
    bytes[8] = 9;
    std::ofstream(dir / "new.ckpt", std::ios::binary) << bytes;
    refused(fmt::format("run {} --resume {}", cuba, (dir / "new.ckpt").string()),
            "format version 9");
  }
  SECTION("results of the stopped run are gone") {
    fs::remove_all(dir / "res");
    refused(fmt::format("run {} --resume {} -o {}", cuba, ckpt.string(), (dir / "r2").string()),
            "cannot read");
    CHECK(!fs::exists(dir / "r2"));
  }
  SECTION("another seed") {
    Result r = run_snnc(fmt::format("run {} --resume {} --seed 99", cuba, ckpt.string()), dir);
    CHECK(r.code == 1);
    CHECK(r.err.find("a resumed run keeps its seed") != std::string::npos);
  }
  fs::remove_all(dir);
}
