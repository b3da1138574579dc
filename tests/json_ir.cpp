// `snnc ir --json`: valid JSON that names every group, synapses object,
// monitor, variable (with its unit and flags) of the model. The expected
// names and units below are read off the model files by hand.
#include "driver/pipeline.h"
#include "ir/print.h"

#include <catch2/catch.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using namespace snnc;
using nlohmann::json;

namespace {

json ir_json(const std::string& rel) {
  fs::path p = fs::path(SNNC_TEST_DATA_DIR).parent_path() / rel;
  SourceManager sources;
  Diagnostics diag(sources);
  auto m = driver::check_model(p.string(), sources, diag, {});
  REQUIRE(m.has_value());
  // Through text, to check that what we print parses as JSON.
  return json::parse(ir::ir_to_json(m->model).dump());
}

std::vector<std::string> names(const json& arr) {
  std::vector<std::string> out;
  for (const auto& x : arr)
    out.push_back(x.at("name"));
  return out;
}

const json& find(const json& arr, const std::string& name) {
  for (const auto& x : arr)
    if (x.at("name") == name) return x;
  FAIL("no entry named " << name);
  return arr;
}

} // namespace

TEST_CASE("JSON IR of CUBA", "[json]") {
  json j = ir_json("examples/models/cuba.snn");
  CHECK(names(j["groups"]) == std::vector<std::string>{"P"});
  CHECK(names(j["synapses"]) == std::vector<std::string>{"Ce", "Ci"});
  CHECK(names(j["monitors"]) == std::vector<std::string>{"sm", "pop_rate"});
  const json& p = find(j["groups"], "P");
  CHECK(p["size"] == 4000);
  CHECK(names(p["variables"]) == std::vector<std::string>{"v", "ge", "gi"});
  for (const auto& v : p["variables"]) {
    CHECK(v["unit"] == "volt");
    CHECK(v["flags"] == json::array({"unless refractory"}));
  }
  CHECK(p["method"] == "exact");
  CHECK(p["threshold"] == "v > Vt");
  CHECK(find(j["synapses"], "Ce")["connect"]["condition"] == "i < Ne");
  CHECK(find(j["synapses"], "Ce")["connect"]["p"] == "80.0/N");
  CHECK(find(j["monitors"], "pop_rate")["bin"] == Approx(1e-3));
  CHECK(find(j["constants"], "we")["unit"] == "volt");
  CHECK(find(j["constants"], "we")["value"] == Approx(60 * 0.27 / 10 * 1e-3));
}

TEST_CASE("JSON IR of COBAHH", "[json]") {
  json j = ir_json("examples/models/coba_hh.snn");
  const json& p = find(j["groups"], "P");
  CHECK(names(p["variables"]) == std::vector<std::string>{"v", "m", "n", "h", "ge", "gi", "alpha_m",
                                                          "beta_m", "alpha_h", "beta_h", "alpha_n",
                                                          "beta_n"});
  CHECK(find(p["variables"], "ge")["unit"] == "siemens");
  CHECK(find(p["variables"], "m")["unit"] == "1");
  CHECK(find(p["variables"], "alpha_m")["unit"] == "hertz");
  CHECK(find(p["variables"], "alpha_m")["kind"] == "subexpression");
  CHECK(p["method"] == "exponential_euler");
  CHECK(find(j["constants"], "Cm")["unit"] == "farad");
  CHECK(find(j["constants"], "Cm")["value"] == Approx(2e-10));
  const json& ce = find(j["synapses"], "Ce");
  CHECK(ce["source"]["start"] == 0);
  CHECK(ce["source"]["stop"] == 3200);
  CHECK(find(j["synapses"], "Ci")["source"]["start"] == 3200);
}

TEST_CASE("JSON IR of STDP", "[json]") {
  json j = ir_json("examples/models/stdp.snn");
  CHECK(names(j["groups"]) == std::vector<std::string>{"input", "neuron"});
  CHECK(find(j["groups"], "input")["kind"] == "poisson");
  const json& s = find(j["synapses"], "S");
  CHECK(names(s["variables"]) == std::vector<std::string>{"w", "Apre", "Apost"});
  CHECK(find(s["variables"], "Apre")["flags"] == json::array({"event-driven"}));
  CHECK(s["on_post"] == json::array({"Apost += dApost", "w = clip(w + Apre, 0, gmax)"}));
  CHECK(s["connect"]["all"] == true);
  const json& w = find(j["monitors"], "weights");
  CHECK(w["record"] == json::array({0, 1, 2, 3}));
  CHECK(w["dt"] == Approx(0.1));
  CHECK(find(j["monitors"], "input_spikes")["counts_only"] == true);
}

TEST_CASE("JSON IR of the Izhikevich network with imports and events", "[json]") {
  json j = ir_json("examples/models/izhikevich_net.snn");
  CHECK(j["imports"].size() == 1);
  CHECK(names(j["groups"]) == std::vector<std::string>{"rs", "fs", "ch"});
  const json& fs_ = find(j["groups"], "fs");
  CHECK(fs_["template"] == "FastSpiking");
  CHECK(find(fs_["constants"], "d")["overridden"] == true);
  CHECK(find(fs_["constants"], "d")["value"] == Approx(3.0));
  CHECK(find(fs_["constants"], "a")["value"] == Approx(100.0));
  CHECK(find(fs_["variables"], "u")["unit"] == "volt / second");
  CHECK(j["dt"] == Approx(0.5e-3));
  CHECK(j["events"].size() == 1);
  CHECK(j["events"][0]["kind"] == "every");
  CHECK(j["events"][0]["statements"].size() == 3);
  CHECK(find(j["timed_arrays"], "drive")["values"] == json::array({0.0, 10.0, 10.0, 0.0}));
  CHECK(find(j["monitors"], "rs_v")["record"] == json::array({0, 9}));
}
