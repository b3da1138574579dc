#include "driver/quantity.h"

#include "parse/grammar.h"
#include "parse/layout.h"
#include "units/dimension.h"

#include <fmt/format.h>

namespace snnc::driver {

namespace {

std::optional<passes::Typed> evaluate(const ir::Model& m, const std::string& text,
                                      const std::string& what, SourceManager& sources,
                                      Diagnostics& diag) {
  int file = sources.add(what, text);
  std::vector<parse::Line> lines = parse::layout(file, text, diag);
  if (diag.has_errors()) return std::nullopt;
  if (lines.size() != 1 || !lines[0].children.empty()) {
    diag.error({file, 1, 1}, "expected a single expression");
    return std::nullopt;
  }
  ir::ExprPtr e;
  if (!parse::parse_expression(lines[0], 0, e, diag)) return std::nullopt;
  passes::AnalyzeOptions o;
  o.allow_random = false;
  o.random_context = "a value given to the API (it must be a constant)";
  o.leaf = [&](ir::Expr& n) -> std::optional<passes::Typed> {
    for (const ir::Constant& c : m.constants)
      if (c.name == n.name && c.folded) {
        n.ref = ir::NameRef::constant;
        return passes::Typed{c.dim, c.type, true, c.value};
      }
    if (const units::Unit* u = units::find_unit(n.name)) {
      n.ref = ir::NameRef::unit;
      return passes::Typed{u->dim, ir::ValueType::float_, true, u->scale};
    }
    if (auto v = passes::builtin_constant(n.name)) {
      n.ref = ir::NameRef::constant;
      return passes::Typed{{}, ir::ValueType::float_, true, *v};
    }
    std::vector<std::string> names;
    for (const ir::Constant& c : m.constants)
      names.push_back(c.name);
    diag.error(n.loc, fmt::format("unknown identifier '{}' (a value given to the API may use the "
                                  "model's global constants and units){}",
                                  n.name, did_you_mean(n.name, names)));
    return std::nullopt;
  };
  o.timed = [&](const std::string&) -> std::optional<passes::TimedInfo> { return std::nullopt; };
  auto r = passes::analyze(e, o, diag);
  if (!r || diag.has_errors()) return std::nullopt;
  if (!r->constant) {
    diag.error(ir::start_of(e), "expected a constant value");
    return std::nullopt;
  }
  return r;
}

} // namespace

std::optional<passes::Typed> evaluate_quantity(const ir::Model& m, const std::string& text,
                                               const std::string& what, const std::string& unit,
                                               SourceManager& sources, Diagnostics& diag) {
  auto r = evaluate(m, text, what, sources, diag);
  if (!r || unit.empty()) return r;
  auto u = evaluate(m, unit, "<unit>", sources, diag);
  if (!u) return std::nullopt;
  if (r->dim != u->dim) {
    diag.error({sources.size() - 2, 1, 1},
               fmt::format("'{}' has unit {}, but {} is needed here", text,
                           passes::unit_name(r->dim), passes::unit_name(u->dim)));
    return std::nullopt;
  }
  return r;
}

} // namespace snnc::driver
