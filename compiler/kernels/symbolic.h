// Small symbolic algebra on IR expressions for the integration methods:
// building with light simplification, substitution, dependence, evaluation of
// number-only trees, and decomposition of an expression as linear in a set
// of variables (coefficients that do not depend on them, plus a rest).
#pragma once

#include "ir/expr.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace snnc::kir {

using ir::ExprPtr;

ExprPtr num(double v);
ExprPtr var(const std::string& name);     // a state variable of the kernel's object
ExprPtr temp(const std::string& name);    // a kernel temporary
ExprPtr builtin(const std::string& name); // t, dt, i, N
ExprPtr add(ExprPtr a, ExprPtr b);
ExprPtr sub(ExprPtr a, ExprPtr b);
ExprPtr mul(ExprPtr a, ExprPtr b);
ExprPtr div(ExprPtr a, ExprPtr b);
ExprPtr neg(ExprPtr a);
ExprPtr call(const std::string& fn, std::vector<ExprPtr> args);

bool is_number(const ExprPtr& e, double v);
// The value of a tree of numbers, arithmetic, comparisons, logic and the
// functions exp, log, sqrt, abs, floor, ceil, int and clip; names have the
// values `name` gives them (none without it). nullopt for anything else.
using NameValue = std::function<std::optional<double>(const ir::Expr& name)>;
std::optional<double> value_of(const ExprPtr& e, const NameValue& name = {});

// A copy of `e` with names (variables or temporaries) replaced: `subs`
// maps a name to its replacement (copied at each use). `builtins_only`:
// only built-ins (NameRef::builtin: t, dt, i, N, ...).
ExprPtr substitute(const ExprPtr& e, const std::map<std::string, ExprPtr>& subs,
                   bool builtins_only = false);
// Whether `e` reads any of `names` (variables or temporaries) or t.
bool depends_on(const ExprPtr& e, const std::set<std::string>& names);
// Whether `e` reads t, other than as the argument of a call to one of
// `stepwise` (timed arrays that are constant within a time step).
bool depends_on_time(const ExprPtr& e, const std::set<std::string>& stepwise = {});
bool uses_random(const ExprPtr& e);

// e = sum_k coef[k] * vars[k] + rest, with coef and rest free of `vars`;
// nullopt if e is not linear in them.
struct Linear {
  std::map<std::string, ExprPtr> coef; // missing: zero
  ExprPtr rest;
};
std::optional<Linear> linear_in(const ExprPtr& e, const std::set<std::string>& vars);

// e as a polynomial in x, as Brian2 sees it (sympy's expand, then collect in
// x): the coefficient of each power of x, where a coefficient may still read
// x inside a function or a factor that is not a power of x (m_inf(x),
// 1/(x + c)). Powers may be fractional (sqrt(x), x**0.5) or negative (1/x).
// A power of x whose exponent is not a number gives nullopt.
using Polynomial = std::map<double, ExprPtr>;
std::optional<Polynomial> polynomial_in(const ExprPtr& e, const std::string& x);

} // namespace snnc::kir
