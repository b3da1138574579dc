#include "driver/sweep.h"

#include "snn/distributed.h"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

namespace snnc::driver {

namespace fs = std::filesystem;

namespace {

// Splits at commas outside parentheses and brackets.
std::vector<std::string> split_values(const std::string& text) {
  std::vector<std::string> out(1);
  int depth = 0;
  for (char c : text) {
    if (c == '(' || c == '[') ++depth;
    if (c == ')' || c == ']') --depth;
    if (c == ',' && depth == 0)
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

std::string trim(std::string s) {
  while (!s.empty() && s.front() == ' ')
    s.erase(s.begin());
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
  return s;
}

// A directory name for a value: "10*ms" -> "10ms", "-0.5*mV" -> "-0.5mV".
std::string dir_part(const std::string& value) {
  std::string out;
  for (char c : value)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == '_')
      out += c;
    else if (c == '/')
      out += "_per_";
  return out;
}

bool parse_u64(const std::string& s, std::uint64_t& v) {
  if (s.empty() || s.size() > 19) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  v = std::stoull(s);
  return true;
}

} // namespace

std::string sweep_points(const std::vector<std::string>& sweeps, const std::string& seeds,
                         std::uint64_t default_seed, std::vector<SweepPoint>& points) {
  std::vector<std::pair<std::string, std::vector<std::string>>> axes;
  for (const std::string& s : sweeps) {
    auto eq = s.find('=');
    std::string name = trim(s.substr(0, eq == std::string::npos ? 0 : eq));
    if (eq == std::string::npos || name.empty())
      return fmt::format("--sweep takes NAME=VALUE,VALUE,..., got '{}'", s);
    std::vector<std::string> values = split_values(s.substr(eq + 1));
    for (std::string& v : values) {
      v = trim(v);
      if (v.empty()) return fmt::format("--sweep {}: an empty value in '{}'", name, s);
    }
    for (const auto& a : axes)
      if (a.first == name) return fmt::format("--sweep {} is given twice", name);
    axes.emplace_back(name, values);
  }
  std::vector<std::uint64_t> seed_list;
  if (seeds.empty())
    seed_list.push_back(default_seed);
  else
    for (const std::string& part : split_values(seeds)) {
      std::string p = trim(part);
      auto dash = p.find('-');
      std::uint64_t a = 0, b = 0;
      bool ok = dash == std::string::npos
                    ? parse_u64(p, a) && (b = a, true)
                    : parse_u64(p.substr(0, dash), a) && parse_u64(p.substr(dash + 1), b);
      if (!ok || b < a || b - a >= 1000000)
        return fmt::format("--seeds takes seeds and ranges such as 1-10 or 1,4,9, got '{}'", seeds);
      for (std::uint64_t k = a; k <= b; ++k)
        seed_list.push_back(k);
    }
  std::size_t combos = 1;
  for (const auto& a : axes)
    combos *= a.second.size();
  if (combos * seed_list.size() > 1000000) return "a sweep of more than 1,000,000 points";
  points.clear();
  for (std::size_t c = 0; c < combos; ++c) {
    SweepPoint base;
    std::size_t rest = c;
    std::string name;
    // The first axis varies slowest.
    std::vector<std::size_t> idx(axes.size());
    for (std::size_t a = axes.size(); a-- > 0;) {
      idx[a] = rest % axes[a].second.size();
      rest /= axes[a].second.size();
    }
    for (std::size_t a = 0; a < axes.size(); ++a) {
      const std::string& v = axes[a].second[idx[a]];
      base.constants.emplace_back(axes[a].first, v);
      name += fmt::format("{}={}_", dir_part(axes[a].first), dir_part(v));
    }
    for (std::uint64_t s : seed_list) {
      SweepPoint p = base;
      p.seed = s;
      p.dir = fmt::format("{:03}_{}seed={}", points.size(), name, s);
      points.push_back(std::move(p));
    }
  }
  return "";
}

int run_sweep(const std::vector<SweepPoint>& points, const std::string& dir,
              const std::string& model_file,
              const std::function<PointOutcome(const SweepPoint&, const std::string&)>& run) {
  snn::Communicator& comm = snn::world();
  const auto P = static_cast<std::size_t>(comm.size()),
             rank = static_cast<std::size_t>(comm.rank());
  const std::size_t n = points.size();
  // This process's block of points.
  std::size_t first = n * rank / P, last = n * (rank + 1) / P;
  std::error_code ec;
  // The sweep's directory: new, or an earlier sweep's.
  std::string refusal;
  if (rank == 0) {
    if (fs::exists(dir, ec) && !fs::exists(fs::path(dir) / "sweep.json", ec) &&
        !fs::is_empty(dir, ec))
      refusal =
          fmt::format("'{}' exists and is not an snnc sweep directory; choose another -o", dir);
    else if (!fs::create_directories(dir, ec) && ec)
      refusal = fmt::format("cannot create '{}': {}", dir, ec.message());
  }
  refusal = comm.all_gather(refusal).front();
  if (!refusal.empty()) {
    if (rank == 0) std::cerr << "snnc: error: " << refusal << '\n';
    return 1;
  }
  nlohmann::json mine = nlohmann::json::array();
  for (std::size_t k = first; k < last; ++k) {
    PointOutcome o = run(points[k], (fs::path(dir) / points[k].dir).string());
    mine.push_back({{"ok", o.ok}, {"message", o.message}, {"simulate_s", o.simulate_s}});
  }
  std::vector<std::string> all = comm.all_gather(mine.dump());
  nlohmann::json list = nlohmann::json::array();
  int failed = 0;
  double total = 0;
  std::size_t k = 0;
  for (std::size_t r = 0; r < P; ++r)
    for (const auto& o : nlohmann::json::parse(all[r])) {
      const SweepPoint& p = points[k++];
      nlohmann::json c = nlohmann::json::object();
      for (const auto& [name, value] : p.constants)
        c[name] = value;
      nlohmann::json e = {{"dir", p.dir},
                          {"constants", c},
                          {"seed", p.seed},
                          {"ok", o["ok"]},
                          {"simulate_s", o["simulate_s"]},
                          {"process", r}};
      if (!o["ok"].get<bool>()) {
        e["error"] = o["message"];
        ++failed;
      }
      total += o["simulate_s"].get<double>();
      list.push_back(e);
    }
  if (rank == 0) {
    nlohmann::json j = {
        {"model", fs::path(model_file).filename().string()}, {"points", list}, {"processes", P}};
    std::ofstream(fs::path(dir) / "sweep.json") << j.dump(1) << '\n';
    std::cout << fmt::format("{}: swept {} point{} on {} process{} ({:.3f} s of simulation); "
                             "{}results in {}, listed in {}/sweep.json\n",
                             fs::path(model_file).filename().string(), n, n == 1 ? "" : "s", P,
                             P == 1 ? "" : "es", total,
                             failed ? fmt::format("{} failed; ", failed) : std::string(), dir, dir);
  }
  return failed ? 1 : 0;
}

} // namespace snnc::driver
