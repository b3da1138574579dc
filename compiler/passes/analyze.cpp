#include "passes/analyze.h"

#include <cmath>
#include <fmt/format.h>
#include <map>

namespace snnc::passes {

using ir::BinOp;
using ir::Dimension;
using ir::Expr;
using ir::ExprKind;
using ir::ValueType;

namespace {

enum class Fn {
  dimensionless, // f(x) with x dimensionless, result dimensionless
  sqrt,
  same, // abs, floor, ceil: result has x's unit
  sign,
  clip,
  int_,
  rand,
  poisson,
  binomial, // binomial(n, p): Brian2's BinomialFunction
};

struct FnInfo {
  Fn kind;
  int arity;
  double (*eval)(double);
};

double exprel(double x) {
  return x == 0 ? 1.0 : std::expm1(x) / x;
}
double sign(double x) {
  return (x > 0) - (x < 0);
}
double int_(double x) {
  return std::trunc(x);
}

const std::map<std::string, FnInfo>& functions() {
  static const std::map<std::string, FnInfo> f = {
      {"exp", {Fn::dimensionless, 1, [](double x) { return std::exp(x); }}},
      {"log", {Fn::dimensionless, 1, [](double x) { return std::log(x); }}},
      {"log10", {Fn::dimensionless, 1, [](double x) { return std::log10(x); }}},
      {"expm1", {Fn::dimensionless, 1, [](double x) { return std::expm1(x); }}},
      {"log1p", {Fn::dimensionless, 1, [](double x) { return std::log1p(x); }}},
      {"exprel", {Fn::dimensionless, 1, exprel}},
      {"sin", {Fn::dimensionless, 1, [](double x) { return std::sin(x); }}},
      {"cos", {Fn::dimensionless, 1, [](double x) { return std::cos(x); }}},
      {"tan", {Fn::dimensionless, 1, [](double x) { return std::tan(x); }}},
      {"sinh", {Fn::dimensionless, 1, [](double x) { return std::sinh(x); }}},
      {"cosh", {Fn::dimensionless, 1, [](double x) { return std::cosh(x); }}},
      {"tanh", {Fn::dimensionless, 1, [](double x) { return std::tanh(x); }}},
      {"arcsin", {Fn::dimensionless, 1, [](double x) { return std::asin(x); }}},
      {"arccos", {Fn::dimensionless, 1, [](double x) { return std::acos(x); }}},
      {"arctan", {Fn::dimensionless, 1, [](double x) { return std::atan(x); }}},
      {"sqrt", {Fn::sqrt, 1, [](double x) { return std::sqrt(x); }}},
      {"abs", {Fn::same, 1, [](double x) { return std::fabs(x); }}},
      {"floor", {Fn::same, 1, [](double x) { return std::floor(x); }}},
      {"ceil", {Fn::same, 1, [](double x) { return std::ceil(x); }}},
      {"sign", {Fn::sign, 1, sign}},
      {"clip", {Fn::clip, 3, nullptr}},
      {"int", {Fn::int_, 1, int_}},
      {"rand", {Fn::rand, 0, nullptr}},
      {"randn", {Fn::rand, 0, nullptr}},
      {"poisson", {Fn::poisson, 1, nullptr}},
      {"binomial", {Fn::binomial, 2, nullptr}},
  };
  return f;
}

ValueType arith_type(ValueType a, ValueType b) {
  if (a == ValueType::float_ || b == ValueType::float_) return ValueType::float_;
  return ValueType::integer;
}

class Analyzer {
public:
  Analyzer(const AnalyzeOptions& o, Diagnostics& d) : opts_(o), diag_(d) {}

  std::optional<Typed> run(const ir::ExprPtr& ep) {
    Expr& e = *ep;
    std::optional<Typed> r = node(e);
    if (r) {
      e.dim = r->dim;
      e.type = r->type;
      e.checked = true;
    }
    return r;
  }

private:
  std::optional<Typed> node(Expr& e) {
    switch (e.kind) {
    case ExprKind::number:
      return Typed{{}, e.integer_literal ? ValueType::integer : ValueType::float_, true, e.number};
    case ExprKind::boolean:
      return Typed{{}, ValueType::boolean, true, e.number};
    case ExprKind::name:
      return opts_.leaf(e);
    case ExprKind::list:
      diag_.error(e.loc, "a list [...] is not allowed in this expression (values from data "
                         "go in a neuron group's statements: init, reset, events, between runs)");
      return std::nullopt;
    case ExprKind::unary:
      return unary(e);
    case ExprKind::binary:
      return binary(e);
    case ExprKind::call:
      return call(e);
    }
    return std::nullopt;
  }

  std::optional<Typed> unary(Expr& e) {
    auto a = run(e.args[0]);
    if (!a) return std::nullopt;
    Typed r = *a;
    switch (e.unop) {
    case ir::UnOp::neg:
      r.value = -a->value;
      if (r.type == ValueType::boolean) r.type = ValueType::integer;
      break;
    case ir::UnOp::plus:
      break;
    case ir::UnOp::not_:
      if (!boolean(*e.args[0], *a, "'not'")) return std::nullopt;
      r.value = a->value == 0;
      r.type = ValueType::boolean;
      break;
    }
    return r;
  }

  bool boolean(const Expr& e, const Typed& t, const char* op) {
    if (t.type == ValueType::boolean) return true;
    diag_.error(e.loc, fmt::format("{} needs a condition (true or false), but '{}' is a number", op,
                                   ir::to_string(e)));
    return false;
  }

  std::optional<Typed> binary(Expr& e) {
    auto a = run(e.args[0]);
    auto b = run(e.args[1]);
    if (!a || !b) return std::nullopt;
    const Expr& l = *e.args[0];
    const Expr& rr = *e.args[1];
    Typed r;
    r.constant = a->constant && b->constant;
    double x = a->value, y = b->value;
    auto mismatch = [&](const char* what) {
      diag_.error(e.loc, fmt::format("dimension mismatch in {} '{}': '{}' has unit {}, '{}' has "
                                     "unit {}",
                                     what, ir::to_string(e), ir::to_string(l), unit_name(a->dim),
                                     ir::to_string(rr), unit_name(b->dim)));
    };
    switch (e.binop) {
    case BinOp::add:
    case BinOp::sub:
    case BinOp::mod:
      if (a->dim != b->dim) {
        mismatch("expression");
        return std::nullopt;
      }
      r.dim = a->dim;
      r.type = arith_type(a->type, b->type);
      r.value = e.binop == BinOp::add   ? x + y
                : e.binop == BinOp::sub ? x - y
                                        : x - std::floor(x / y) * y; // Python's %
      if (e.binop == BinOp::mod && r.constant && y == 0) {
        diag_.error(ir::start_of(rr), fmt::format("modulo by zero in '{}'", ir::to_string(e)));
        return std::nullopt;
      }
      break;
    case BinOp::mul:
      r.dim = a->dim * b->dim;
      r.type = arith_type(a->type, b->type);
      r.value = x * y;
      break;
    case BinOp::div:
      r.dim = a->dim / b->dim;
      r.type = ValueType::float_; // true division, as in Brian2
      r.value = x / y;
      if (r.constant && y == 0) {
        diag_.error(ir::start_of(rr), fmt::format("division by zero in '{}'", ir::to_string(e)));
        return std::nullopt;
      }
      break;
    case BinOp::floordiv:
      if (!a->dim.is_dimensionless() || !b->dim.is_dimensionless()) {
        diag_.error(e.loc, fmt::format("floor division '//' needs dimensionless values; '{}' has "
                                       "unit {}",
                                       ir::to_string(a->dim.is_dimensionless() ? rr : l),
                                       unit_name(a->dim.is_dimensionless() ? b->dim : a->dim)));
        return std::nullopt;
      }
      r.type = arith_type(a->type, b->type);
      r.value = std::floor(x / y);
      if (r.constant && y == 0) {
        diag_.error(ir::start_of(rr), fmt::format("division by zero in '{}'", ir::to_string(e)));
        return std::nullopt;
      }
      break;
    case BinOp::pow: {
      r.type = ValueType::float_;
      if (!b->dim.is_dimensionless()) {
        diag_.error(ir::start_of(rr),
                    fmt::format("the exponent '{}' must be dimensionless, but has unit {}",
                                ir::to_string(rr), unit_name(b->dim)));
        return std::nullopt;
      }
      r.value = std::pow(x, y);
      if (a->dim.is_dimensionless()) break;
      if (!b->constant) {
        diag_.error(ir::start_of(rr),
                    fmt::format("the exponent in '{}' must be a constant number, because "
                                "'{}' has unit {}",
                                ir::to_string(e), ir::to_string(l), unit_name(a->dim)));
        return std::nullopt;
      }
      auto q = units::Rational::from_double(y);
      if (!q) {
        diag_.error(ir::start_of(rr),
                    fmt::format("the exponent {} is not a simple fraction, so '{}' has no "
                                "unit",
                                y, ir::to_string(e)));
        return std::nullopt;
      }
      r.dim = a->dim.pow(*q);
      break;
    }
    case BinOp::lt:
    case BinOp::le:
    case BinOp::gt:
    case BinOp::ge:
    case BinOp::eq:
    case BinOp::ne:
      if (a->dim != b->dim) {
        mismatch("comparison");
        return std::nullopt;
      }
      r.type = ValueType::boolean;
      r.value = e.binop == BinOp::lt   ? x < y
                : e.binop == BinOp::le ? x <= y
                : e.binop == BinOp::gt ? x > y
                : e.binop == BinOp::ge ? x >= y
                : e.binop == BinOp::eq ? x == y
                                       : x != y;
      break;
    case BinOp::and_:
    case BinOp::or_: {
      const char* op = e.binop == BinOp::and_ ? "'and'" : "'or'";
      if (!boolean(l, *a, op) || !boolean(rr, *b, op)) return std::nullopt;
      r.type = ValueType::boolean;
      r.value = e.binop == BinOp::and_ ? (x != 0 && y != 0) : (x != 0 || y != 0);
      break;
    }
    }
    return r;
  }

  std::optional<Typed> call(Expr& e) {
    const auto& fs = functions();
    auto it = fs.find(e.name);
    if (it == fs.end()) {
      if (opts_.timed) {
        if (auto td = opts_.timed(e.name)) return timed(e, *td);
      }
      if (e.name == "load" || e.name == "linspace" || e.name == "arange") {
        diag_.error(e.loc, fmt::format("{}(...) gives values from data, which only statements "
                                       "(init, reset, events, between runs) and synapses' delays "
                                       "may use",
                                       e.name));
        return std::nullopt;
      }
      diag_.error(e.loc, fmt::format("unknown function '{}'{}", e.name,
                                     did_you_mean(e.name, function_names())));
      return std::nullopt;
    }
    const FnInfo& f = it->second;
    if (static_cast<int>(e.args.size()) != f.arity) {
      diag_.error(e.loc, fmt::format("function '{}' takes {} argument{}, but {} {} given", e.name,
                                     f.arity, f.arity == 1 ? "" : "s", e.args.size(),
                                     e.args.size() == 1 ? "is" : "are"));
      return std::nullopt;
    }
    std::vector<Typed> as;
    bool ok = true;
    for (auto& a : e.args) {
      auto t = run(a);
      if (!t)
        ok = false;
      else
        as.push_back(*t);
    }
    if (!ok) return std::nullopt;
    auto need_dimensionless = [&](std::size_t k) {
      if (as[k].dim.is_dimensionless()) return true;
      diag_.error(ir::start_of(*e.args[k]),
                  fmt::format("the argument of '{}' must be dimensionless, but "
                              "'{}' has unit {}",
                              e.name, ir::to_string(e.args[k]), unit_name(as[k].dim)));
      return false;
    };
    Typed r;
    switch (f.kind) {
    case Fn::dimensionless:
      if (!need_dimensionless(0)) return std::nullopt;
      r = {Dimension(), ValueType::float_, as[0].constant, f.eval(as[0].value)};
      break;
    case Fn::sqrt:
      r = {as[0].dim.pow(units::Rational(1, 2)), ValueType::float_, as[0].constant,
           f.eval(as[0].value)};
      break;
    case Fn::same:
      r = {as[0].dim, e.name == "abs" ? as[0].type : ValueType::float_, as[0].constant,
           f.eval(as[0].value)};
      break;
    case Fn::sign:
      r = {Dimension(), as[0].type, as[0].constant, f.eval(as[0].value)};
      break;
    case Fn::clip:
      for (std::size_t k = 1; k < 3; ++k) {
        if (as[k].dim != as[0].dim) {
          diag_.error(ir::start_of(*e.args[k]),
                      fmt::format("argument {} of 'clip' must have the unit of the first ({}), "
                                  "but '{}' has unit {}",
                                  k + 1, unit_name(as[0].dim), ir::to_string(e.args[k]),
                                  unit_name(as[k].dim)));
          return std::nullopt;
        }
      }
      r = {as[0].dim, as[0].type, as[0].constant && as[1].constant && as[2].constant,
           std::min(std::max(as[0].value, as[1].value), as[2].value)};
      break;
    case Fn::int_:
      if (!need_dimensionless(0)) return std::nullopt;
      r = {Dimension(), ValueType::integer, as[0].constant, f.eval(as[0].value)};
      break;
    case Fn::rand:
    case Fn::poisson:
    case Fn::binomial:
      if (!opts_.allow_random) {
        diag_.error(e.loc, fmt::format("'{}()' is random and cannot be used in {}", e.name,
                                       opts_.random_context ? opts_.random_context : "here"));
        return std::nullopt;
      }
      if (f.kind == Fn::poisson && !need_dimensionless(0)) return std::nullopt;
      if (f.kind == Fn::binomial && (!need_dimensionless(0) || !need_dimensionless(1)))
        return std::nullopt;
      r = {Dimension(), f.kind == Fn::poisson ? ValueType::integer : ValueType::float_, false, 0};
      break;
    }
    return r;
  }

  std::optional<Typed> timed(Expr& e, const TimedInfo& info) {
    const Dimension& d = info.dim;
    std::size_t want = info.two_d ? 2 : 1;
    if (!info.shape_known) want = e.args.size() == 2 ? 2 : 1;
    if (e.args.size() != want) {
      diag_.error(e.loc, info.two_d ? fmt::format("timed array '{}' has two dimensions (time, "
                                                  "index): call it as {}(t, i)",
                                                  e.name, e.name)
                                    : fmt::format("timed array '{}' has one dimension (time): "
                                                  "call it as {}(t)",
                                                  e.name, e.name));
      return std::nullopt;
    }
    auto t = run(e.args[0]);
    if (!t) return std::nullopt;
    if (t->dim != units::time_dim()) {
      diag_.error(ir::start_of(*e.args[0]),
                  fmt::format("the first argument of timed array '{}' is a time, "
                              "but '{}' has unit {}",
                              e.name, ir::to_string(e.args[0]), unit_name(t->dim)));
      return std::nullopt;
    }
    if (e.args.size() == 2) {
      auto i = run(e.args[1]);
      if (!i) return std::nullopt;
      if (!i->dim.is_dimensionless() || i->type == ValueType::float_) {
        diag_.error(ir::start_of(*e.args[1]),
                    fmt::format("the second argument of timed array '{}' is an "
                                "index (an integer), but '{}' is not",
                                e.name, ir::to_string(e.args[1])));
        return std::nullopt;
      }
    }
    return Typed{d, ValueType::float_, false, 0};
  }

  const AnalyzeOptions& opts_;
  Diagnostics& diag_;
};

} // namespace

std::optional<Typed> analyze(const ir::ExprPtr& e, const AnalyzeOptions& opts, Diagnostics& diag) {
  Analyzer a(opts, diag);
  return a.run(e);
}

const std::vector<std::string>& function_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (auto& [n, f] : functions())
      v.push_back(n);
    return v;
  }();
  return names;
}

bool is_function(const std::string& name) {
  return functions().count(name) > 0;
}

std::optional<double> builtin_constant(const std::string& name) {
  if (name == "pi") return M_PI;
  if (name == "e") return M_E;
  if (name == "inf") return HUGE_VAL; // Brian2's DEFAULT_CONSTANTS: pi, e, inf
  return std::nullopt;
}

std::string unit_name(const ir::Dimension& d) {
  return d.to_string();
}

} // namespace snnc::passes
