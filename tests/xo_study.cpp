// The X/O study in short (20 trials): learning must reach accuracy well
// above chance, and the same study with learning disabled must stay near
// chance (the control that shows STDP learned). The full study is the main job.
#include "support/temp.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/wait.h>

TEST_CASE("X/O study, 20 trials: learning works, the control does not", "[xo]") {
  auto dir = snnc::test::scratch("xo");
  std::string cmd = std::string(SNNC_XO_BINARY) + " --trials 20 --control-trials 20 --out " +
                    dir.string() + " > " + (dir / "log").string() + " 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream in(dir / "report.json");
  auto r = nlohmann::json::parse(in);
  double learned = r["accuracy"]["mean"], control = r["control_no_learning"]["mean"];
  INFO("learned " << learned << ", control " << control);
  CHECK(learned >= 0.9);
  CHECK(control >= 0.3);
  CHECK(control <= 0.7);
  CHECK(r["per_trial_accuracy"].size() == 20);
  CHECK(r["noise_curve"].size() == 6);
  CHECK(r["weights_in_hidden_trial0"].size() == 125);
  CHECK(r["raster_trial0"]["windows"].size() > 100);
}

TEST_CASE("X/O study without a control, and a wrong trial count", "[xo]") {
  auto dir = snnc::test::scratch("xo_options");
  std::string log = (dir / "log").string();
  std::string cmd = std::string(SNNC_XO_BINARY) + " --trials 2 --control-trials 0 --out " +
                    dir.string() + " > " + log + " 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream in(dir / "report.json");
  auto r = nlohmann::json::parse(in);
  CHECK(r["control_no_learning"]["trials"] == 0);
  CHECK_FALSE(r["control_no_learning"].contains("mean"));
  std::ifstream text(log);
  std::string all((std::istreambuf_iterator<char>(text)), std::istreambuf_iterator<char>());
  CHECK(all.find("control without learning: not run") != std::string::npos);
  CHECK(all.find("nan") == std::string::npos);
  // No trials is a usage error, not a crash.
  cmd = std::string(SNNC_XO_BINARY) + " --trials 0 --out " + dir.string() + " > " + log + " 2>&1";
  CHECK(WEXITSTATUS(std::system(cmd.c_str())) != 0);
  std::ifstream err(log);
  std::string msg((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
  CHECK(msg.find("--trials") != std::string::npos);
}
