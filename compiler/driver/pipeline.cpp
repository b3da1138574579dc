#include "driver/pipeline.h"

#include "ir/print.h"
#include "kernels/refractory.h"
#include "lower/load.h"
#include "lower/lower.h"
#include "passes/check_units.h"
#include "passes/fold_constants.h"
#include "passes/inline_temporaries.h"
#include "passes/lift_arrays.h"
#include "passes/load_data.h"
#include "passes/promote_constants.h"
#include "passes/resolve_names.h"

#include "parse/grammar.h"
#include "parse/layout.h"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>

namespace snnc::driver {

const std::vector<std::string>& stage_names() {
  static const std::vector<std::string> n = {
      "parse",         "lower",       "fold_constants", "load_data", "promote_constants",
      "resolve_names", "check_units", "kernels"};
  return n;
}

namespace {

class Stages {
public:
  Stages(Diagnostics& diag, const FrontEndOptions& opts) : diag_(diag), opts_(opts) {}

  // Runs one stage; false if it (or an earlier one) reported errors.
  template <class F> bool stage(const std::string& name, F&& f, const ir::Model* m = nullptr) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (opts_.time_passes && opts_.log)
      *opts_.log << fmt::format("time: {:<16} {:9.3f} ms\n", name, ms);
    if (diag_.has_errors()) return false;
    if (m && opts_.log && opts_.dump_after == name)
      *opts_.log << "# ---- IR after " << name << " ----\n" << ir::print_ir(*m);
    return true;
  }

private:
  Diagnostics& diag_;
  const FrontEndOptions& opts_;
};

// Applies `--set` overrides: each value is parsed as an expression of its own
// pseudo-file "--set NAME", so errors in it are reported like any other.
void apply_overrides(ir::Model& m, const FrontEndOptions& opts, SourceManager& sources,
                     Diagnostics& diag) {
  for (const auto& [name, value] : opts.overrides) {
    int file = sources.add("--set " + name, value);
    std::vector<parse::Line> lines = parse::layout(file, value, diag);
    if (lines.size() != 1 || !lines[0].children.empty()) {
      if (!diag.has_errors()) diag.error({file, 1, 1}, "expected a single expression");
      continue;
    }
    ir::ExprPtr e;
    if (!parse::parse_expression(lines[0], 0, e, diag)) continue;
    std::vector<ir::Constant>* list = &m.constants;
    std::string cname = name;
    if (auto dot = name.find('.'); dot != std::string::npos) {
      std::string object = name.substr(0, dot);
      cname = name.substr(dot + 1);
      list = nullptr;
      for (auto& g : m.groups)
        if (g.name == object) list = &g.constants;
      for (auto& y : m.synapses)
        if (y.name == object) list = &y.constants;
      if (!list) {
        diag.error({file, 1, 1},
                   fmt::format("--set {}: there is no group or synapses '{}'", name, object));
        continue;
      }
    }
    auto it = std::find_if(list->begin(), list->end(), [&](auto& c) { return c.name == cname; });
    if (it == list->end()) {
      std::vector<std::string> names;
      for (auto& c : *list)
        names.push_back(c.name);
      diag.error({file, 1, 1}, fmt::format("--set {}: there is no constant '{}'{}", name, cname,
                                           did_you_mean(cname, names)));
      continue;
    }
    it->expr = e;
    it->overridden = true;
  }
}

} // namespace

std::optional<ir::Model> run_front_end(const std::string& path, SourceManager& sources,
                                       Diagnostics& diag, const FrontEndOptions& opts) {
  Stages s(diag, opts);
  std::vector<ast::File> files;
  ir::Model m;
  if (!s.stage("parse", [&] {
        files = lower::load_files(path, sources, diag, opts.text ? &*opts.text : nullptr);
      }))
    return std::nullopt;
  if (!s.stage(
          "lower",
          [&] {
            m = lower::lower(files, diag);
            if (!diag.has_errors()) apply_overrides(m, opts, sources, diag);
          },
          &m))
    return std::nullopt;
  if (!s.stage(
          "lift_arrays", [&] { passes::lift_arrays(m, sources, diag); }, &m))
    return std::nullopt;
  if (!s.stage(
          "fold_constants", [&] { passes::fold_constants(m, diag); }, &m))
    return std::nullopt;
  if (!s.stage(
          "load_data",
          [&] {
            passes::load_data(m, diag);
            if (!diag.has_errors()) passes::check_array_lengths(m, diag);
          },
          &m))
    return std::nullopt;
  if (!s.stage(
          "promote_constants", [&] { passes::promote_constants(m, diag); }, &m))
    return std::nullopt;
  if (!s.stage(
          "resolve_names",
          [&] {
            passes::inline_temporaries(m, diag);
            if (!diag.has_errors()) passes::resolve_names(m, diag);
          },
          &m))
    return std::nullopt;
  if (!s.stage(
          "check_units", [&] { passes::check_units(m, diag); }, &m))
    return std::nullopt;
  return m;
}

std::optional<Checked> check_model(const std::string& path, SourceManager& sources,
                                   Diagnostics& diag, const FrontEndOptions& opts) {
  std::optional<ir::Model> m = run_front_end(path, sources, diag, opts);
  if (!m) return std::nullopt;
  Checked c;
  c.model = std::move(*m);
  Stages s(diag, opts);
  if (!s.stage(
          "kernels",
          [&] {
            c.kernels = kir::build_kernels(c.model, diag);
            if (!diag.has_errors()) kir::recompute_not_refractory(c.model, c.kernels);
          },
          &c.model))
    return std::nullopt;
  return c;
}

} // namespace snnc::driver
