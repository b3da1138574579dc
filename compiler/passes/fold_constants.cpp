#include "passes/fold_constants.h"

#include "ir/clock.h"
#include "passes/analyze.h"
#include "passes/load_data.h"

#include <algorithm>

#include <cmath>
#include <fmt/format.h>

namespace snnc::passes {

namespace {

constexpr std::int64_t kMaxGroupSize = 2147483647; // neuron indices are int32

using ir::Dimension;
using ir::ExprPtr;

const std::vector<std::string>& unit_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& u : units::all_units())
      v.push_back(u.name);
    return v;
  }();
  return names;
}

class Folder {
public:
  Folder(ir::Model& m, Diagnostics& d) : m_(m), diag_(d) {}

  void run() {
    fold_list(m_.constants, {}, false);
    if (m_.dt_expr) {
      if (auto v = quantity(m_.dt_expr, units::time_dim(), "dt", {})) {
        if (*v <= 0)
          diag_.error(ir::start_of(m_.dt_expr), "dt must be positive");
        else
          m_.dt = *v;
      }
    }
    if (m_.seed_expr) {
      if (auto v = integer(m_.seed_expr, "seed", {})) {
        if (*v < 0)
          diag_.error(ir::start_of(m_.seed_expr), "seed must not be negative");
        else
          m_.seed = *v;
      }
    }
    for (ir::Group& g : m_.groups)
      group(g);
    for (ir::Synapses& s : m_.synapses)
      synapses(s);
    for (ir::TimedArray& t : m_.timed)
      timed(t);
    for (ir::Monitor& mon : m_.monitors)
      monitor(mon);
    for (ir::Event& e : m_.events)
      event(e);
    for (ir::PoissonInput& pi : m_.poisson_inputs)
      poisson_input(pi);
    // The schedule in order: a statement that changes a constant changes what
    // later statements and run durations see, as Brian2's Python would.
    std::vector<std::pair<std::size_t, double>> originals;
    for (ir::ScheduleItem& s : m_.schedule) {
      if (s.kind == ir::ScheduleItem::Kind::statement && s.statement.object.empty()) {
        changed_constant(s.statement, originals);
        continue;
      }
      if (s.kind == ir::ScheduleItem::Kind::statement) statement_slice(s.statement);
      if (s.kind != ir::ScheduleItem::Kind::run) continue;
      if (auto v = clock_time(s.duration_expr, "a run duration")) {
        if (*v < 0)
          diag_.error(ir::start_of(s.duration_expr), "a run duration must not be negative");
        else
          s.duration = *v;
      }
    }
    // Everything else (the objects' code, init) sees the declared values.
    for (auto& [k, v] : originals)
      m_.constants[k].value = v;
  }

private:
  using Scope = std::vector<const std::vector<ir::Constant>*>;

  // `taum = 20*ms` between runs: the new value, from the values in effect
  // there, becomes a hidden constant that the statement now assigns.
  void changed_constant(ir::Statement& st, std::vector<std::pair<std::size_t, double>>& originals) {
    std::size_t k = 0;
    while (k < m_.constants.size() && m_.constants[k].name != st.var)
      ++k;
    internal_check(k < m_.constants.size(), "a changed constant that lower did not find");
    if (!m_.constants[k].folded) return; // its own error was reported
    if (st.var == "N") {
      // In a group's code N is the group's size, whatever a constant N says.
      diag_.error(st.var_loc, "a constant named N cannot change between runs: in a group, N is "
                              "the group's size; give the constant another name");
      return;
    }
    std::string what = fmt::format("the new value of constant '{}'", st.var);
    auto t = constant(st.value, what, {});
    if (!t) return;
    const ir::Constant& c = m_.constants[k];
    double value = t->value;
    bool scale = st.op == ir::AssignOp::mul || st.op == ir::AssignOp::div;
    ir::Dimension want = scale ? ir::Dimension{} : c.dim;
    if (t->dim != want) {
      diag_.error(ir::start_of(st.value), fmt::format("{} must have unit {}, but it has unit {}",
                                                      what, unit_name(want), unit_name(t->dim)));
      return;
    }
    switch (st.op) {
    case ir::AssignOp::set:
      break;
    case ir::AssignOp::add:
      value = c.value + value;
      break;
    case ir::AssignOp::sub:
      value = c.value - value;
      break;
    case ir::AssignOp::mul:
      value = c.value * value;
      break;
    case ir::AssignOp::div:
      value = c.value / value;
      break;
    }
    bool seen = false;
    for (auto& o : originals)
      seen = seen || o.first == k;
    if (!seen) originals.emplace_back(k, c.value);
    ir::Constant hidden = c;
    if (hidden.type == ir::ValueType::integer &&
        (t->type != ir::ValueType::integer || st.op == ir::AssignOp::div ||
         value != std::floor(value)))
      hidden.type = ir::ValueType::float_;
    hidden.name = fmt::format("_{}_{}", c.name, ++changes_);
    hidden.loc = st.loc;
    hidden.expr = st.value;
    hidden.value = value;
    m_.constants[k].value = value;
    st.value = ir::make_name(hidden.name, ir::start_of(st.value));
    st.op = ir::AssignOp::set;
    m_.constants.push_back(std::move(hidden));
  }
  int changes_ = 0;
  // Whole numbers up to this are exact in a double and fit std::int64_t.
  static constexpr double kMaxWhole = 9.0e15;

  // Folds constants in order; each sees the earlier ones and `outer`.
  void fold_list(std::vector<ir::Constant>& cs, Scope outer, bool globals = true) {
    for (std::size_t k = 0; k < cs.size(); ++k) {
      ir::Constant& c = cs[k];
      std::vector<ir::Constant> earlier(cs.begin(), cs.begin() + static_cast<long>(k));
      Scope scope{&earlier};
      scope.insert(scope.end(), outer.begin(), outer.end());
      std::string what = fmt::format("constant '{}'", c.name);
      if (auto t = constant(c.expr, what, scope, globals)) {
        c.folded = true;
        c.value = t->value;
        c.dim = t->dim;
        c.type = t->type;
      }
    }
  }

  // Evaluates a constant expression in `scope` (then the global constants, units, pi, e).
  std::optional<Typed> constant(const ExprPtr& e, const std::string& what, Scope scope,
                                bool globals = true) {
    if (globals) scope.push_back(&m_.constants);
    AnalyzeOptions o;
    std::string ctx = what + " (it must be known before the run)";
    o.allow_random = false;
    o.random_context = ctx.c_str();
    bool failed = false;
    o.leaf = [&](ir::Expr& n) -> std::optional<Typed> {
      for (const auto* list : scope) {
        for (const ir::Constant& c : *list) {
          if (c.name != n.name) continue;
          if (!c.folded) return failed = true, std::nullopt; // reported where it was defined
          n.ref = ir::NameRef::constant;
          n.target = c.name;
          return Typed{c.dim, c.type, true, c.value};
        }
      }
      if (const units::Unit* u = units::find_unit(n.name)) {
        n.ref = ir::NameRef::unit;
        return Typed{u->dim, ir::ValueType::float_, true, u->scale};
      }
      if (auto v = builtin_constant(n.name)) {
        n.ref = ir::NameRef::constant;
        return Typed{{}, ir::ValueType::float_, true, *v};
      }
      if (time_ && n.name == "dt") {
        n.ref = ir::NameRef::constant;
        return Typed{units::time_dim(), ir::ValueType::float_, true, m_.dt};
      }
      static const std::vector<std::string> runtime = {
          "t", "i", "j", "N", "lastspike", "not_refractory", "lastupdate", "xi"};
      if (std::find(runtime.begin(), runtime.end(), n.name) != runtime.end()) {
        diag_.error(n.loc, fmt::format("'{}' changes during the run and cannot be used in {}",
                                       n.name, ctx));
        return std::nullopt;
      }
      std::vector<std::string> cands;
      for (const auto* list : scope)
        for (const ir::Constant& c : *list)
          cands.push_back(c.name);
      std::string hint = did_you_mean(n.name, cands);
      if (hint.empty()) hint = did_you_mean(n.name, unit_names());
      diag_.error(n.loc, fmt::format("unknown identifier '{}' in {}{}", n.name, what, hint));
      return std::nullopt;
    };
    o.timed = [&](const std::string& name) -> std::optional<TimedInfo> {
      if (m_.find_timed(name)) {
        diag_.error(ir::start_of(e),
                    fmt::format("timed array '{}' changes during the run and cannot be "
                                "used in {}",
                                name, ctx));
        failed = true;
      }
      return std::nullopt;
    };
    auto r = analyze(e, o, diag_);
    if (failed || !r) return std::nullopt;
    if (!r->constant) {
      diag_.error(ir::start_of(e), fmt::format("{} must be a constant value", what));
      return std::nullopt;
    }
    return r;
  }

  std::optional<double> quantity(const ExprPtr& e, const Dimension& dim, const std::string& what,
                                 Scope scope) {
    auto t = constant(e, what, scope);
    if (!t) return std::nullopt;
    if (t->dim != dim) {
      diag_.error(ir::start_of(e),
                  fmt::format("{} must have unit {}, but '{}' has unit {}", what, unit_name(dim),
                              ir::to_string(e), unit_name(t->dim)));
      return std::nullopt;
    }
    if (!std::isfinite(t->value)) {
      diag_.error(ir::start_of(e), fmt::format("{} is not a finite number", what));
      return std::nullopt;
    }
    return t->value;
  }

  std::optional<std::int64_t> integer(const ExprPtr& e, const std::string& what, Scope scope) {
    auto v = quantity(e, Dimension(), what, scope);
    if (!v) return std::nullopt;
    if (*v != std::floor(*v) || std::fabs(*v) > kMaxWhole) {
      diag_.error(ir::start_of(e), fmt::format("{} must be a whole number, but is {}", what, *v));
      return std::nullopt;
    }
    return static_cast<std::int64_t>(*v);
  }

  // A time the clock counts to: at most kMaxSteps steps of dt.
  std::optional<double> clock_time(const ExprPtr& e, const std::string& what, Scope scope = {}) {
    // Times may count in steps: `run 100*dt`, `dt = 2*dt` (a monitor's).
    time_ = true;
    auto v = quantity(e, units::time_dim(), what, scope);
    time_ = false;
    if (v && std::fabs(*v) / m_.dt > ir::kMaxSteps) {
      diag_.error(ir::start_of(e), fmt::format("{} ({} s) is beyond the clock's range (at most "
                                               "4e18 steps of dt = {} s)",
                                               what, *v, m_.dt));
      return std::nullopt;
    }
    return v;
  }

  // A list of constants (`[1, 2, 3]`, possibly `[...]*ms`) as values of unit `dim`.
  std::optional<std::vector<double>> list(const ExprPtr& e, const Dimension& dim,
                                          const std::string& what, Scope scope) {
    // [..] * unit or [..] / unit: scale each element.
    if (e->kind == ir::ExprKind::binary &&
        (e->binop == ir::BinOp::mul || e->binop == ir::BinOp::div) &&
        e->args[0]->kind == ir::ExprKind::list) {
      auto f = constant(e->args[1], what, scope);
      if (!f) return std::nullopt;
      Dimension inner = e->binop == ir::BinOp::mul ? dim / f->dim : dim * f->dim;
      auto vs = list(e->args[0], inner, what, scope);
      if (!vs) return std::nullopt;
      for (double& v : *vs)
        v = e->binop == ir::BinOp::mul ? v * f->value : v / f->value;
      return vs;
    }
    if (e->kind != ir::ExprKind::list) {
      diag_.error(ir::start_of(e), fmt::format("{} must be a list such as [1, 2, 3]", what));
      return std::nullopt;
    }
    std::vector<double> out;
    for (const ExprPtr& x : e->args) {
      auto v = quantity(x, dim, what, scope);
      if (!v) return std::nullopt;
      out.push_back(*v);
    }
    return out;
  }

  // `: volt/second`, `: 1`, `: boolean`: base units only, as Brian2 requires.
  void variable_unit(ir::Variable& v) {
    const ExprPtr& u = v.unit_expr;
    if (u->kind == ir::ExprKind::name && (u->name == "boolean" || u->name == "integer")) {
      v.type = u->name == "boolean" ? ir::ValueType::boolean : ir::ValueType::integer;
      return;
    }
    bool ok = true;
    ir::visit(u, [&](const ExprPtr& n) {
      if (n->kind == ir::ExprKind::name) {
        const units::Unit* unit = units::find_unit(n->name);
        if (n->name == "bool") {
          diag_.error(n->loc, "use 'boolean', not 'bool', as the unit of a boolean variable");
          ok = false;
        } else if (!unit) {
          diag_.error(n->loc, fmt::format("unknown unit '{}' for variable '{}'{}", n->name, v.name,
                                          did_you_mean(n->name, unit_names())));
          ok = false;
        } else if (unit->scale != 1.0) {
          diag_.error(n->loc, fmt::format("the unit after ':' must be a base unit: use '{}', not "
                                          "'{}'",
                                          unit->dim.to_string(), n->name));
          ok = false;
        }
      }
    });
    if (!ok) return;
    // Units only: a constant named like a unit does not change what ':' means.
    auto t = constant(u, fmt::format("the unit of '{}'", v.name), {}, false);
    if (!t) return;
    if (std::fabs(t->value - 1.0) > 1e-12) {
      diag_.error(ir::start_of(u),
                  fmt::format("the unit of '{}' must be a unit such as 'volt' or '1', not a "
                              "scaled value",
                              v.name));
      return;
    }
    v.dim = t->dim;
  }

  // The bounds of `P[a:b]`, if it is sliced.
  void bounds(const ExprPtr& a_expr, const ExprPtr& b_expr, std::int64_t& start,
              std::int64_t& stop) {
    if (!a_expr) return;
    auto a = integer(a_expr, "a subgroup start", {});
    auto b = integer(b_expr, "a subgroup end", {});
    if (a && b) {
      start = *a;
      stop = *b;
    }
  }
  void statement_slice(ir::Statement& s) { bounds(s.start_expr, s.stop_expr, s.start, s.stop); }
  void slice(ir::GroupSlice& s) { bounds(s.start_expr, s.stop_expr, s.start, s.stop); }

  void group(ir::Group& g) {
    fold_list(g.constants, {});
    Scope scope{&g.constants};
    if (auto n = integer(g.size_expr, fmt::format("the size of group '{}'", g.name), scope)) {
      if (*n <= 0)
        diag_.error(ir::start_of(g.size_expr),
                    fmt::format("group '{}' must have at least one neuron", g.name));
      else if (*n > kMaxGroupSize)
        diag_.error(ir::start_of(g.size_expr),
                    fmt::format("group '{}' has {} neurons; snnc's limit is {} per group", g.name,
                                *n, kMaxGroupSize));
      else
        g.size = *n;
    }
    for (ir::Variable& v : g.variables)
      variable_unit(v);
    if (g.kind == ir::GroupKind::spikes) {
      if (g.indices_expr) {
        if (auto is = list(g.indices_expr, Dimension(), "spike indices", scope)) {
          for (std::size_t k = 0; k < is->size(); ++k) {
            double x = (*is)[k];
            if (x != std::floor(x) || x < 0 || x > kMaxWhole ||
                (g.size > 0 && x >= static_cast<double>(g.size))) {
              bool listed = g.indices_expr->kind == ir::ExprKind::list;
              diag_.error(ir::start_of(listed ? g.indices_expr->args[k] : g.indices_expr),
                          fmt::format("spike index {} is not a neuron of '{}' (0 to {})", x, g.name,
                                      g.size - 1));
              break;
            }
            g.indices.push_back(static_cast<std::int64_t>(x));
          }
        }
      }
      if (g.times_expr) {
        if (auto ts = list(g.times_expr, units::time_dim(), "spike times", scope)) g.times = *ts;
        if (g.indices_expr && g.times.size() != g.indices.size() && !diag_.has_errors())
          diag_.error(ir::start_of(g.times_expr),
                      fmt::format("spikes '{}' have {} indices but {} times", g.name,
                                  g.indices.size(), g.times.size()));
      }
      if (g.period_expr) {
        if (auto p = clock_time(g.period_expr, "a spike period", scope)) {
          if (*p < 0)
            diag_.error(ir::start_of(g.period_expr), "a spike period must not be negative");
          g.period = *p;
        }
      }
      check_spikes(g, g.times_expr ? ir::start_of(g.times_expr) : g.loc);
    }
  }

public:
  // As Brian2's SpikeGeneratorGroup: no negative times, at most one spike
  // per neuron and time step, and a period longer than every spike time.
  static void check_spikes(const ir::Group& g, SourceLoc loc, double dt, Diagnostics& diag) {
    std::vector<std::pair<std::int64_t, std::int64_t>> seen;
    double latest = 0;
    for (std::size_t k = 0; k < g.times.size() && k < g.indices.size(); ++k) {
      double t = g.times[k];
      if (!(t >= 0)) {
        if (t < 0)
          diag.error(loc,
                     fmt::format("spikes '{}': spike times cannot be negative ({} s)", g.name, t));
        else
          diag.error(loc, fmt::format("spikes '{}': a spike time is not a number", g.name));
        return;
      }
      if (!(t / dt <= ir::kMaxSteps)) {
        diag.error(loc, fmt::format("spikes '{}': the spike time {} s is beyond the clock's range "
                                    "(at most 4e18 steps of dt = {} s)",
                                    g.name, t, dt));
        return;
      }
      latest = std::max(latest, t);
      seen.push_back({ir::steps_of(t, dt), g.indices[k]});
    }
    std::sort(seen.begin(), seen.end());
    for (std::size_t k = 1; k < seen.size(); ++k)
      if (seen[k] == seen[k - 1]) {
        diag.error(loc, fmt::format("spikes '{}': neuron {} spikes more than once in the time step "
                                    "at t = {} s (dt = {} s)",
                                    g.name, seen[k].second, static_cast<double>(seen[k].first) * dt,
                                    dt));
        return;
      }
    if (g.period > 0 && (g.period < dt || g.period <= latest))
      diag.error(loc, fmt::format("spikes '{}': the period ({} s) must be at least dt and longer "
                                  "than the latest spike time ({} s)",
                                  g.name, g.period, latest));
  }

private:
  void check_spikes(const ir::Group& g, SourceLoc loc) { check_spikes(g, loc, m_.dt, diag_); }

  void synapses(ir::Synapses& s) {
    fold_list(s.constants, {});
    for (ir::Variable& v : s.variables)
      variable_unit(v);
    slice(s.source);
    slice(s.target);
    if (s.connect.i && s.connect.j) {
      auto is = indices(s.connect.i, "presynaptic indices i", s.source);
      auto js = indices(s.connect.j, "postsynaptic indices j", s.target);
      if (is && js && is->size() != js->size())
        diag_.error(ir::start_of(s.connect.j),
                    fmt::format("connect has {} presynaptic indices i but {} postsynaptic "
                                "indices j",
                                is->size(), js->size()));
      else if (is && js) {
        s.connect.i_values = *is;
        s.connect.j_values = *js;
      }
    }
  }

  // A list of neuron indices of (a slice of) a group.
  std::optional<std::vector<std::int64_t>> indices(const ExprPtr& e, const std::string& what,
                                                   const ir::GroupSlice& of) {
    auto vs = list(e, Dimension(), what, {});
    if (!vs) return std::nullopt;
    std::int64_t size = -1;
    if (const ir::Group* g = m_.find_group(of.group))
      size = of.sliced() ? of.stop - of.start : g->size;
    std::vector<std::int64_t> out;
    for (std::size_t k = 0; k < vs->size(); ++k) {
      double x = (*vs)[k];
      const ExprPtr& at = e->kind == ir::ExprKind::list ? e->args[k] : e;
      if (x != std::floor(x) || x < 0 || x > kMaxWhole ||
          (size >= 0 && x >= static_cast<double>(size))) {
        diag_.error(ir::start_of(at), fmt::format("{}: {} is not a neuron of '{}' (0 to {})", what,
                                                  x, of.group, size - 1));
        return std::nullopt;
      }
      out.push_back(static_cast<std::int64_t>(x));
    }
    return out;
  }

  void timed(ir::TimedArray& t) {
    if (auto dt = clock_time(t.dt_expr, "the dt of a timed array")) {
      if (*dt <= 0)
        diag_.error(ir::start_of(t.dt_expr), "the dt of a timed array must be positive");
      t.dt = *dt;
    }
    if (t.load_unit) { // load(...)*unit: values scaled when loaded
      if (auto f = constant(t.load_unit, "the unit of a timed array", {})) {
        t.dim = f->dim;
        t.load_scale = f->value;
      }
    }
    if (!t.values_expr) return; // loaded at run time
    if (t.statement_values) return statement_values(t);
    // The unit: [..] * unit, or plain numbers.
    ExprPtr e = t.values_expr;
    double scale = 1;
    while (e->kind == ir::ExprKind::binary && e->args[0]->kind != ir::ExprKind::number &&
           (e->binop == ir::BinOp::mul || e->binop == ir::BinOp::div)) {
      auto f = constant(e->args[1], "the unit of a timed array", {});
      if (!f) return;
      t.dim = e->binop == ir::BinOp::mul ? t.dim * f->dim : t.dim / f->dim;
      scale = e->binop == ir::BinOp::mul ? scale * f->value : scale / f->value;
      e = e->args[0];
    }
    if (e->kind != ir::ExprKind::list || e->args.empty()) {
      diag_.error(ir::start_of(e), "timed array values must be a non-empty list such as [1, 2, 3]");
      return;
    }
    bool two_d = e->args.front()->kind == ir::ExprKind::list;
    for (const ExprPtr& row : e->args) {
      if ((row->kind == ir::ExprKind::list) != two_d) {
        diag_.error(ir::start_of(row), "timed array rows must all be lists or all be numbers");
        return;
      }
      const std::vector<ExprPtr> single{row};
      const auto& cells = two_d ? row->args : single;
      if (two_d && t.cols == 0) t.cols = static_cast<std::int64_t>(cells.size());
      if (two_d && static_cast<std::int64_t>(cells.size()) != t.cols) {
        diag_.error(ir::start_of(row),
                    fmt::format("timed array rows must have equal length ({} here, {} in "
                                "the first row)",
                                cells.size(), t.cols));
        return;
      }
      for (const ExprPtr& c : cells) {
        auto v = quantity(c, Dimension(), "a timed array value", {});
        if (!v) return;
        t.values.push_back(*v * scale);
      }
      ++t.rows;
    }
  }

  // Values from data in a statement (lift_arrays): a flat list of constants
  // in one unit, linspace(start, stop, num) or arange([start,] stop[, step]),
  // each value as numpy computes it; one row, a column per value.
  void statement_values(ir::TimedArray& t) {
    const ExprPtr& e = t.values_expr;
    std::vector<double> v;
    auto same_unit = [&](const std::vector<ExprPtr>& args, const char* what) {
      std::vector<double> out;
      for (const ExprPtr& a : args) {
        auto q = constant(a, what, {});
        if (!q) return false;
        if (out.empty()) t.dim = q->dim;
        if (q->dim != t.dim) {
          diag_.error(ir::start_of(a),
                      fmt::format("{} must all have one unit: this one has unit {}, "
                                  "the first has unit {}",
                                  what, unit_name(q->dim), unit_name(t.dim)));
          return false;
        }
        out.push_back(q->value);
      }
      v = std::move(out);
      return true;
    };
    if (e->kind == ir::ExprKind::list) {
      for (const ExprPtr& a : e->args)
        if (a->kind == ir::ExprKind::list) {
          diag_.error(ir::start_of(a), "a list of values in a statement must be flat (one value "
                                       "per neuron), not a list of lists");
          return;
        }
      if (!same_unit(e->args, "the values of a list")) return;
    } else if (e->name == "linspace") {
      if (e->args.size() != 3) {
        diag_.error(ir::start_of(e), "linspace(start, stop, num) takes 3 arguments");
        return;
      }
      std::vector<ExprPtr> ends(e->args.begin(), e->args.begin() + 2);
      auto num = integer(e->args[2], "linspace's number of values", {});
      if (!num || !same_unit(ends, "linspace's start and stop")) return;
      if (*num < 1 || *num > kMaxWhole) {
        diag_.error(ir::start_of(e->args[2]), "linspace needs at least one value");
        return;
      }
      // numpy.linspace: start + k*step, the last value stop itself.
      double start = v[0], stop = v[1];
      double step = *num > 1 ? (stop - start) / static_cast<double>(*num - 1) : 0;
      v.clear();
      for (std::int64_t k = 0; k < *num; ++k)
        v.push_back(static_cast<double>(k) * step + start);
      if (*num > 1) v.back() = stop;
    } else { // arange
      if (e->args.empty() || e->args.size() > 3) {
        diag_.error(ir::start_of(e),
                    "arange takes 1 to 3 arguments: arange([start,] stop[, step])");
        return;
      }
      if (!same_unit(e->args, "arange's arguments")) return;
      double start = e->args.size() > 1 ? v[0] : 0.0;
      double stop = e->args.size() > 1 ? v[1] : v[0];
      double step = e->args.size() > 2 ? v[2] : 1.0;
      if (step == 0 || !std::isfinite(start) || !std::isfinite(stop) || !std::isfinite(step)) {
        diag_.error(ir::start_of(e), "arange needs finite arguments and a step that is not 0");
        return;
      }
      double count = std::ceil((stop - start) / step);
      if (!(count >= 1)) {
        diag_.error(ir::start_of(e),
                    fmt::format("arange({}, {}, {}) has no values", start, stop, step));
        return;
      }
      if (count > kMaxWhole) {
        diag_.error(ir::start_of(e), "arange has too many values");
        return;
      }
      // numpy's fill: the first two values, then start + k*delta with delta
      // as the first two differ.
      double delta = (start + step) - start;
      v.clear();
      for (std::int64_t k = 0; k < static_cast<std::int64_t>(count); ++k)
        v.push_back(k == 0   ? start
                    : k == 1 ? start + step
                             : start + static_cast<double>(k) * delta);
    }
    if (v.empty()) {
      diag_.error(ir::start_of(e), "a list of values in a statement must not be empty");
      return;
    }
    t.values = std::move(v);
    t.rows = 1;
    t.cols = static_cast<std::int64_t>(t.values.size());
  }

  void monitor(ir::Monitor& mon) {
    bounds(mon.start_expr, mon.stop_expr, mon.start, mon.stop);
    if (mon.record_expr) {
      const ExprPtr& r = mon.record_expr;
      if ((r->kind == ir::ExprKind::name && r->name == "all") ||
          (r->kind == ir::ExprKind::boolean && r->number != 0)) {
        mon.record_all = true;
      } else if (auto is = list(r, Dimension(), "recorded indices", {})) {
        mon.record_all = false;
        for (double x : *is) {
          if (x != std::floor(x) || x < 0) {
            diag_.error(ir::start_of(r),
                        fmt::format("recorded index {} is not a whole number >= 0", x));
            return;
          }
          if (x > kMaxWhole) { // beyond every group
            diag_.error(ir::start_of(r), fmt::format("recorded index {} is out of range", x));
            return;
          }
          mon.record.push_back(static_cast<std::int64_t>(x));
        }
      }
    }
    if (mon.dt_expr) {
      if (auto dt = clock_time(mon.dt_expr, "a monitor's dt")) {
        if (*dt <= 0) diag_.error(ir::start_of(mon.dt_expr), "a monitor's dt must be positive");
        mon.dt = *dt;
      }
    }
    if (mon.bin_expr) {
      if (auto b = clock_time(mon.bin_expr, "a rate monitor's bin")) {
        if (*b <= 0)
          diag_.error(ir::start_of(mon.bin_expr), "a rate monitor's bin must be positive");
        mon.bin = *b;
      }
    }
  }

  void event(ir::Event& e) {
    const char* what = e.kind == ir::EventKind::at ? "the time of 'at'" : "the period of 'every'";
    if (auto v = clock_time(e.time_expr, what)) {
      if (*v < 0 || (e.kind == ir::EventKind::every && *v == 0))
        diag_.error(ir::start_of(e.time_expr), fmt::format("{} must be positive", what));
      e.time = *v;
    }
    if (e.from_expr)
      if (auto v = clock_time(e.from_expr, "'from'")) e.from = *v;
    if (e.until_expr)
      if (auto v = clock_time(e.until_expr, "'until'")) e.until = *v;
    for (ir::Statement& s : e.statements)
      statement_slice(s);
  }

  // N and rate are fixed when the input is made, as Brian2's (its
  // BinomialFunction holds numbers): the statement's binomial(N, rate*dt)
  // gets them as numbers.
  void poisson_input(ir::PoissonInput& pi) {
    statement_slice(pi.statement);
    Scope scope;
    if (const ir::Group* g = m_.find_group(pi.statement.object)) scope.push_back(&g->constants);
    std::string what = fmt::format("N of poisson_input '{}'", pi.name);
    auto n = integer(pi.n_expr, what, scope);
    if (n && *n < 0) {
      diag_.error(ir::start_of(pi.n_expr), fmt::format("{} must not be negative", what));
      n.reset();
    }
    if (n && *n > 2147483647) {
      diag_.error(ir::start_of(pi.n_expr),
                  fmt::format("{} is {}: at most 2^31 - 1 inputs", what, *n));
      n.reset();
    }
    what = fmt::format("the rate of poisson_input '{}'", pi.name);
    time_ = true; // `rate = 1/dt`
    auto rate = quantity(pi.rate_expr, units::time_dim().pow(units::Rational(-1)), what, scope);
    time_ = false;
    if (rate && (*rate < 0 || *rate * m_.dt > 1)) {
      diag_.error(ir::start_of(pi.rate_expr),
                  fmt::format("{} is {} Hz: it must lie between 0 and 1/dt ({} Hz), as the "
                              "probability of an input's spike in a step (rate*dt) is at most 1",
                              what, *rate, 1 / m_.dt));
      rate.reset();
    }
    if (!n || !rate) return;
    pi.n = *n;
    pi.rate = *rate;
    ir::Expr& call = *pi.statement.value->args[0];
    internal_check(call.kind == ir::ExprKind::call && call.name == "binomial",
                   "a poisson_input's statement is not binomial(...)*(weight)");
    call.args = {ir::make_number(static_cast<double>(pi.n), true, pi.n_expr->loc),
                 ir::make_number(pi.rate * m_.dt, false, pi.rate_expr->loc)};
  }

  ir::Model& m_;
  Diagnostics& diag_;
  bool time_ = false; // folding a time: `dt` is the model's
};

} // namespace

void check_loaded_spikes(const ir::Group& g, double dt, Diagnostics& diag) {
  Folder::check_spikes(g, g.load_loc, dt, diag);
}

void fold_constants(ir::Model& m, Diagnostics& diag) {
  Folder f(m, diag);
  f.run();
}

} // namespace snnc::passes
