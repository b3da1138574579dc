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

ExprPtr substitute(const ExprPtr& e, const std::map<std::string, ExprPtr>& subs,
                   bool builtins_only) {
  if (e->kind == ExprKind::name) {
    if (builtins_only && e->ref != ir::NameRef::builtin) return e;
    auto it = subs.find(e->name);
    if (it != subs.end()) return it->second;
    return e;
  }
  if (e->args.empty()) return e;
  auto copy = std::make_shared<ir::Expr>(*e);
  for (ExprPtr& a : copy->args)
    a = substitute(a, subs, builtins_only);
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
    if (ir::is_random_call(*n)) found = true;
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

namespace {

// Polynomials with expression coefficients: sums, products, quotients and
// whole powers, each term kept apart as sympy's expand keeps it.
Polynomial constant_poly(const ExprPtr& e) {
  return {{0.0, e}};
}

void add_into(Polynomial& p, double k, const ExprPtr& c) {
  auto it = p.find(k);
  if (it == p.end())
    p.emplace(k, c);
  else
    it->second = add(it->second, c);
}

Polynomial times(const Polynomial& a, const Polynomial& b) {
  Polynomial r;
  for (const auto& [ka, ca] : a)
    for (const auto& [kb, cb] : b)
      add_into(r, ka + kb, mul(ca, cb));
  return r;
}

// An exponent that is a literal number (after folding), if it is one.
std::optional<double> literal(const ExprPtr& e) {
  if (e->kind == ExprKind::number) return e->number;
  if (e->kind == ExprKind::unary && e->unop == ir::UnOp::neg &&
      e->args[0]->kind == ExprKind::number)
    return -e->args[0]->number;
  return std::nullopt;
}

// base**p for a number p: a single term c*x**k gives c**p * x**(k*p); a sum
// is multiplied out for a whole p from 2 to 8 (sympy's multinomial
// expansion) and otherwise stays one factor that reads x, as in sympy.
Polynomial power(const Polynomial& base, double p, const ExprPtr& e) {
  if (base.size() == 1) {
    const auto& [k, c] = *base.begin();
    ExprPtr cp = p == 1     ? c
                 : p == 0.5 ? call("sqrt", {c})
                            : ir::make_binary(BinOp::pow, c, num(p), {});
    return {{k * p, is_number(c, 1) ? c : cp}};
  }
  if (p == std::floor(p) && p >= 2 && p <= 8) {
    Polynomial r = base;
    for (int n = 1; n < static_cast<int>(p); ++n)
      r = times(r, base);
    return r;
  }
  return constant_poly(e);
}

} // namespace

std::optional<Polynomial> polynomial_in(const ExprPtr& e, const std::string& x) {
  if (!depends_on(e, {x})) return constant_poly(e);
  auto rec = [&](const ExprPtr& a) { return polynomial_in(a, x); };
  switch (e->kind) {
  case ExprKind::name:
    return Polynomial{{1.0, num(1)}};
  case ExprKind::unary: {
    if (e->unop == ir::UnOp::not_) return constant_poly(e);
    auto a = rec(e->args[0]);
    if (!a || e->unop == ir::UnOp::plus) return a;
    for (auto& [k, c] : *a)
      c = neg(c);
    return a;
  }
  case ExprKind::binary: {
    const ExprPtr& l = e->args[0];
    const ExprPtr& r = e->args[1];
    switch (e->binop) {
    case BinOp::add:
    case BinOp::sub: {
      auto a = rec(l), b = rec(r);
      if (!a || !b) return std::nullopt;
      for (const auto& [k, c] : *b)
        add_into(*a, k, e->binop == BinOp::sub ? neg(c) : c);
      return a;
    }
    case BinOp::mul: {
      auto a = rec(l), b = rec(r);
      if (!a || !b) return std::nullopt;
      return times(*a, *b);
    }
    case BinOp::div: {
      auto a = rec(l), b = rec(r);
      if (!a || !b) return std::nullopt;
      if (b->size() == 1) { // c*x**k: the powers of x go down by k
        const auto& [kb, cb] = *b->begin();
        Polynomial q;
        for (const auto& [k, c] : *a)
          q.emplace(k - kb, div(c, cb));
        return q;
      }
      // A denominator that is a sum reading x is one factor, as in sympy.
      ExprPtr inv = div(num(1), r);
      for (auto& [k, c] : *a)
        c = mul(c, inv);
      return a;
    }
    case BinOp::pow: {
      if (depends_on(r, {x})) return constant_poly(e); // x**x, 2**x: a function of x
      auto p = literal(r);
      auto a = rec(l);
      if (!a) return std::nullopt;
      if (!p) {
        if (a->size() == 1 && a->begin()->first != 0) return std::nullopt; // x**a
        return constant_poly(e);
      }
      return power(*a, *p, e);
    }
    default:
      return constant_poly(e); // comparisons, floor division, modulo
    }
  }
  case ExprKind::call:
    if (e->name == "sqrt" && e->args.size() == 1) {
      auto a = rec(e->args[0]);
      if (!a) return std::nullopt;
      return power(*a, 0.5, e);
    }
    return constant_poly(e); // a function of x: a factor that reads x
  default:
    return constant_poly(e);
  }
}

} // namespace snnc::kir
