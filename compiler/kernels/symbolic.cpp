#include "kernels/symbolic.h"

#include <algorithm>

#include <cmath>

namespace snnc::kir {

using ir::BinOp;
using ir::ExprKind;

ExprPtr num(double v) {
  return ir::make_number(v, false, {});
}

static ExprPtr named(const std::string& n, ir::NameRef ref) {
  ExprPtr e = ir::make_name(n, {});
  e->ref = ref;
  e->target = n;
  return e;
}
ExprPtr var(const std::string& n) {
  return named(n, ir::NameRef::variable);
}
ExprPtr temp(const std::string& n) {
  return named(n, ir::NameRef::temporary);
}
ExprPtr builtin(const std::string& n) {
  return named(n, ir::NameRef::builtin);
}

bool is_number(const ExprPtr& e, double v) {
  return e->kind == ExprKind::number && e->number == v;
}

ExprPtr add(ExprPtr a, ExprPtr b) {
  if (is_number(a, 0)) return b;
  if (is_number(b, 0)) return a;
  return ir::make_binary(BinOp::add, std::move(a), std::move(b), {});
}
ExprPtr sub(ExprPtr a, ExprPtr b) {
  if (is_number(b, 0)) return a;
  if (is_number(a, 0)) return neg(std::move(b));
  return ir::make_binary(BinOp::sub, std::move(a), std::move(b), {});
}
ExprPtr mul(ExprPtr a, ExprPtr b) {
  if (is_number(a, 0) || is_number(b, 0)) return num(0);
  if (is_number(a, 1)) return b;
  if (is_number(b, 1)) return a;
  return ir::make_binary(BinOp::mul, std::move(a), std::move(b), {});
}
ExprPtr div(ExprPtr a, ExprPtr b) {
  if (is_number(a, 0)) return num(0);
  if (is_number(b, 1)) return a;
  return ir::make_binary(BinOp::div, std::move(a), std::move(b), {});
}
ExprPtr neg(ExprPtr a) {
  if (a->kind == ExprKind::number) return num(-a->number);
  if (a->kind == ExprKind::unary && a->unop == ir::UnOp::neg) return a->args[0];
  return ir::make_unary(ir::UnOp::neg, std::move(a), {});
}
ExprPtr call(const std::string& fn, std::vector<ExprPtr> args) {
  return ir::make_call(fn, std::move(args), {});
}

std::optional<double> value_of(const ExprPtr& e, const NameValue& name) {
  auto rec = [&](const ExprPtr& a) { return value_of(a, name); };
  switch (e->kind) {
  case ExprKind::number:
  case ExprKind::boolean:
    return e->number;
  case ExprKind::name:
    return name ? name(*e) : std::nullopt;
  case ExprKind::unary: {
    auto a = rec(e->args[0]);
    if (!a) return std::nullopt;
    if (e->unop == ir::UnOp::neg) return -*a;
    if (e->unop == ir::UnOp::plus) return *a;
    return *a == 0 ? 1.0 : 0.0;
  }
  case ExprKind::binary: {
    auto a = rec(e->args[0]), b = rec(e->args[1]);
    if (!a || !b) return std::nullopt;
    switch (e->binop) {
    case BinOp::add:
      return *a + *b;
    case BinOp::sub:
      return *a - *b;
    case BinOp::mul:
      return *a * *b;
    case BinOp::div:
      return *a / *b;
    case BinOp::pow:
      return std::pow(*a, *b);
    case BinOp::floordiv:
      return std::floor(*a / *b);
    case BinOp::mod:
      return *a - std::floor(*a / *b) * *b;
    case BinOp::lt:
      return double(*a < *b);
    case BinOp::le:
      return double(*a <= *b);
    case BinOp::gt:
      return double(*a > *b);
    case BinOp::ge:
      return double(*a >= *b);
    case BinOp::eq:
      return double(*a == *b);
    case BinOp::ne:
      return double(*a != *b);
    case BinOp::and_:
      return double(*a != 0 && *b != 0);
    case BinOp::or_:
      return double(*a != 0 || *b != 0);
    }
    return std::nullopt;
  }
  case ExprKind::call: {
    std::vector<double> v;
    for (const ExprPtr& a : e->args) {
      auto x = rec(a);
      if (!x) return std::nullopt;
      v.push_back(*x);
    }
    const std::string& f = e->name;
    if (f == "clip" && v.size() == 3) return std::min(std::max(v[0], v[1]), v[2]);
    if (v.size() != 1) return std::nullopt;
    if (f == "exp") return std::exp(v[0]);
    if (f == "sqrt") return std::sqrt(v[0]);
    if (f == "log") return std::log(v[0]);
    if (f == "abs") return std::fabs(v[0]);
    if (f == "floor") return std::floor(v[0]);
    if (f == "ceil") return std::ceil(v[0]);
    if (f == "int") return std::trunc(v[0]);
    return std::nullopt;
  }
  default:
    return std::nullopt;
  }
}

ExprPtr substitute(const ExprPtr& e, const std::map<std::string, ExprPtr>& subs) {
  if (e->kind == ExprKind::name) {
    auto it = subs.find(e->name);
    if (it != subs.end()) return it->second;
    return e;
  }
  if (e->args.empty()) return e;
  auto copy = std::make_shared<ir::Expr>(*e);
  for (ExprPtr& a : copy->args)
    a = substitute(a, subs);
  ir::update_shape(*copy);
  return copy;
}

bool depends_on(const ExprPtr& e, const std::set<std::string>& names) {
  bool found = false;
  ir::visit(e, [&](const ExprPtr& n) {
    if (n->kind == ExprKind::name && names.count(n->name)) found = true;
  });
  return found;
}

bool depends_on_time(const ExprPtr& e, const std::set<std::string>& stepwise) {
  if (e->kind == ExprKind::call && stepwise.count(e->name)) {
    // Only the index argument may still depend on t.
    for (std::size_t k = 1; k < e->args.size(); ++k)
      if (depends_on_time(e->args[k], stepwise)) return true;
    return false;
  }
  if (e->kind == ExprKind::name) return e->name == "t" && e->ref == ir::NameRef::builtin;
  for (const ExprPtr& a : e->args)
    if (depends_on_time(a, stepwise)) return true;
  return false;
}

bool uses_random(const ExprPtr& e) {
  bool found = false;
  ir::visit(e, [&](const ExprPtr& n) {
    if (n->kind == ExprKind::call &&
        (n->name == "rand" || n->name == "randn" || n->name == "poisson"))
      found = true;
  });
  return found;
}

std::optional<Linear> linear_in(const ExprPtr& e, const std::set<std::string>& vars) {
  if (!depends_on(e, vars)) return Linear{{}, e};
  switch (e->kind) {
  case ExprKind::name:
    return Linear{{{e->name, num(1)}}, num(0)};
  case ExprKind::unary: {
    if (e->unop == ir::UnOp::not_) return std::nullopt;
    auto a = linear_in(e->args[0], vars);
    if (!a || e->unop == ir::UnOp::plus) return a;
    for (auto& [k, c] : a->coef)
      c = neg(c);
    a->rest = neg(a->rest);
    return a;
  }
  case ExprKind::binary: {
    const ExprPtr& l = e->args[0];
    const ExprPtr& r = e->args[1];
    switch (e->binop) {
    case BinOp::add:
    case BinOp::sub: {
      auto a = linear_in(l, vars), b = linear_in(r, vars);
      if (!a || !b) return std::nullopt;
      bool minus = e->binop == BinOp::sub;
      for (auto& [k, c] : b->coef) {
        ExprPtr& slot = a->coef[k];
        ExprPtr base = slot ? slot : num(0);
        slot = minus ? sub(base, c) : add(base, c);
      }
      a->rest = minus ? sub(a->rest, b->rest) : add(a->rest, b->rest);
      return a;
    }
    case BinOp::mul: {
      bool dl = depends_on(l, vars), dr = depends_on(r, vars);
      if (dl && dr) return std::nullopt;
      const ExprPtr& factor = dl ? r : l;
      auto a = linear_in(dl ? l : r, vars);
      if (!a) return std::nullopt;
      for (auto& [k, c] : a->coef)
        c = dl ? mul(c, factor) : mul(factor, c);
      a->rest = dl ? mul(a->rest, factor) : mul(factor, a->rest);
      return a;
    }
    case BinOp::div: {
      if (depends_on(r, vars)) return std::nullopt;
      auto a = linear_in(l, vars);
      if (!a) return std::nullopt;
      for (auto& [k, c] : a->coef)
        c = div(c, r);
      a->rest = div(a->rest, r);
      return a;
    }
    default:
      return std::nullopt;
    }
  }
  default:
    return std::nullopt;
  }
}

} // namespace snnc::kir
