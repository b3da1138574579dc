#include "kernels/integrate.h"

#include "kernels/refractory.h"
#include "kernels/symbolic.h"

#include <cmath>
#include <fmt/format.h>
#include <set>

namespace snnc::kir {

namespace {

using ir::Method;

struct DiffEq {
  std::string name;
  ExprPtr f;                        // deterministic part, kernel form
  std::map<std::string, ExprPtr> g; // noise coefficient per xi name
  bool unless_refractory = false;
  SourceLoc loc;
};

// Why a method does not apply (empty: it applies).
struct Plan {
  std::string why;
  std::vector<Assign> code;
};

std::string t_name(const std::string& v) {
  return "_" + v;
}

// f with every state variable x replaced by x + scale*k_x, and t by t + dt_frac*dt.
ExprPtr shifted(const ExprPtr& f, const std::vector<DiffEq>& eqs, const std::string& k_prefix,
                double scale, double dt_frac) {
  std::map<std::string, ExprPtr> subs;
  for (const DiffEq& e : eqs)
    subs[e.name] = add(var(e.name), mul(num(scale), temp(k_prefix + e.name)));
  if (dt_frac != 0) subs["t"] = add(builtin("t"), mul(num(dt_frac), builtin("dt")));
  return substitute(f, subs);
}

std::set<std::string> names_of(const std::vector<DiffEq>& eqs) {
  std::set<std::string> s;
  for (const DiffEq& e : eqs)
    s.insert(e.name);
  return s;
}

bool has_noise(const std::vector<DiffEq>& eqs) {
  for (const DiffEq& e : eqs)
    if (!e.g.empty()) return true;
  return false;
}

bool multiplicative(const std::vector<DiffEq>& eqs) {
  auto vars = names_of(eqs);
  for (const DiffEq& e : eqs)
    for (const auto& [xi, g] : e.g)
      if (depends_on(g, vars) || depends_on_time(g)) return true;
  return false;
}

// dW for each noise name: sqrt(dt)*randn(), one draw per element and step.
void noise_draws(const std::vector<DiffEq>& eqs, std::vector<Assign>& code) {
  std::set<std::string> xis;
  for (const DiffEq& e : eqs)
    for (const auto& [xi, g] : e.g)
      xis.insert(xi);
  for (const std::string& xi : xis)
    code.push_back(
        {"_dW_" + xi, true, mul(call("sqrt", {builtin("dt")}), call("randn", {})), nullptr});
}

ExprPtr noise_term(const DiffEq& e) {
  ExprPtr sum = num(0);
  for (const auto& [xi, g] : e.g)
    sum = add(sum, mul(g, temp("_dW_" + xi)));
  return sum;
}

Plan euler(const std::vector<DiffEq>& eqs) {
  Plan p;
  if (multiplicative(eqs)) {
    p.why = "its noise is multiplicative (use heun or milstein)";
    return p;
  }
  noise_draws(eqs, p.code);
  for (const DiffEq& e : eqs)
    p.code.push_back({t_name(e.name), true,
                      add(add(var(e.name), mul(builtin("dt"), e.f)), noise_term(e)), nullptr});
  return p;
}

Plan rk(const std::vector<DiffEq>& eqs, bool four) {
  Plan p;
  if (has_noise(eqs)) {
    p.why = "it is stochastic (use euler, heun or milstein)";
    return p;
  }
  auto k = [&](const std::string& prefix, const std::string& from, double scale, double frac) {
    for (const DiffEq& e : eqs) {
      ExprPtr f = from.empty() ? e.f : shifted(e.f, eqs, from, scale, frac);
      p.code.push_back({prefix + e.name, true, mul(builtin("dt"), f), nullptr});
    }
  };
  if (!four) {
    k("_k_", "", 0, 0);
    for (const DiffEq& e : eqs)
      p.code.push_back({t_name(e.name), true,
                        add(var(e.name), mul(builtin("dt"), shifted(e.f, eqs, "_k_", 0.5, 0.5))),
                        nullptr});
    return p;
  }
  k("_k1_", "", 0, 0);
  k("_k2_", "_k1_", 0.5, 0.5);
  k("_k3_", "_k2_", 0.5, 0.5);
  k("_k4_", "_k3_", 1.0, 1.0);
  for (const DiffEq& e : eqs) {
    ExprPtr sum = add(add(add(temp("_k1_" + e.name), mul(num(2), temp("_k2_" + e.name))),
                          mul(num(2), temp("_k3_" + e.name))),
                      temp("_k4_" + e.name));
    p.code.push_back({t_name(e.name), true, add(var(e.name), div(sum, num(6))), nullptr});
  }
  return p;
}

// Brian2's heun: x_support = x + g*dW; g_support = g(x_support, t + dt);
// x_new = x + dt*f + 0.5*dW*(g + g_support).
Plan heun(const std::vector<DiffEq>& eqs) {
  Plan p;
  noise_draws(eqs, p.code);
  for (const DiffEq& e : eqs)
    p.code.push_back({"_xs_" + e.name, true, add(var(e.name), noise_term(e)), nullptr});
  for (const DiffEq& e : eqs) {
    ExprPtr upd = add(var(e.name), mul(builtin("dt"), e.f));
    for (const auto& [xi, g] : e.g) {
      std::map<std::string, ExprPtr> subs;
      for (const DiffEq& o : eqs)
        subs[o.name] = temp("_xs_" + o.name);
      subs["t"] = add(builtin("t"), builtin("dt"));
      ExprPtr gs = substitute(g, subs);
      upd = add(upd, mul(mul(num(0.5), temp("_dW_" + xi)), add(g, gs)));
    }
    p.code.push_back({t_name(e.name), true, upd, nullptr});
  }
  return p;
}

// Brian2's derivative-free milstein (stateupdaters/explicit.py), one noise
// source per equation; its k term uses dW**2, so its mean drift is that of
// the Stratonovich interpretation.
Plan milstein(const std::vector<DiffEq>& eqs) {
  Plan p;
  for (const DiffEq& e : eqs)
    if (e.g.size() > 1) {
      p.why =
          fmt::format("'{}' has more than one noise term (milstein needs diagonal noise)", e.name);
      return p;
    }
  noise_draws(eqs, p.code);
  ExprPtr sdt = call("sqrt", {builtin("dt")});
  for (const DiffEq& e : eqs)
    p.code.push_back({"_xs_" + e.name, true,
                      add(add(var(e.name), mul(builtin("dt"), e.f)),
                          mul(sdt, e.g.empty() ? num(0) : e.g.begin()->second)),
                      nullptr});
  for (const DiffEq& e : eqs) {
    ExprPtr upd = add(add(var(e.name), mul(builtin("dt"), e.f)), noise_term(e));
    if (!e.g.empty()) {
      const auto& [xi, g] = *e.g.begin();
      std::map<std::string, ExprPtr> subs;
      for (const DiffEq& o : eqs)
        subs[o.name] = temp("_xs_" + o.name);
      ExprPtr gs = substitute(g, subs);
      ExprPtr dw = temp("_dW_" + xi);
      // Brian2 2.5.1's formula: (dW**2), not (dW**2 - dt).
      ExprPtr k = mul(div(sub(gs, g), mul(num(2), sdt)), mul(dw, dw));
      upd = add(upd, k);
    }
    p.code.push_back({t_name(e.name), true, upd, nullptr});
  }
  return p;
}

// dx/dt = A*x + B, where A and B may read x only inside functions and
// factors that are not powers of x (Brian2's get_conditionally_linear_system:
// sympy's expand, then collect in x). False, with the reason, for a term in
// another power of x, or when x appears only inside functions. Brian2 2.5.1
// drops such a term silently when x also appears linearly; snnc refuses it.
bool conditionally_linear(const DiffEq& e, ExprPtr& a, ExprPtr& b, std::string& why) {
  if (auto lin = linear_in(e.f, {e.name})) { // the common case: A and B free of x
    a = lin->coef.count(e.name) ? lin->coef[e.name] : num(0);
    b = lin->rest;
    return true;
  }
  auto poly = polynomial_in(e.f, e.name);
  auto refuse = [&](const std::string& what) {
    why = fmt::format("{1}, so d{0}/dt is not conditionally linear (A*{0} + B, where A and B read "
                      "{0} only through functions such as m_inf({0})); use rk4 or heun",
                      e.name, what);
    return false;
  };
  if (!poly)
    return refuse(fmt::format("d{0}/dt raises {0} to a power that is not a number", e.name));
  for (const auto& [k, c] : *poly)
    if (k != 0 && k != 1) return refuse(fmt::format("d{0}/dt has a term in {0}**{1}", e.name, k));
  if (!poly->count(1))
    return refuse(fmt::format("{0} appears in d{0}/dt only inside functions", e.name));
  a = poly->at(1);
  b = poly->count(0) ? poly->at(0) : num(0);
  return true;
}

Plan exponential_euler(const std::vector<DiffEq>& eqs) {
  Plan p;
  if (has_noise(eqs)) {
    p.why = "it is stochastic";
    return p;
  }
  for (const DiffEq& e : eqs) {
    ExprPtr a, b;
    if (!conditionally_linear(e, a, b, p.why)) return p;
    ExprPtr x = var(e.name);
    ExprPtr upd;
    if (is_number(a, 0)) {
      upd = add(x, mul(builtin("dt"), b));
    } else if (is_number(b, 0)) {
      upd = mul(x, call("exp", {mul(a, builtin("dt"))}));
    } else {
      std::string ba = "_BA_" + e.name;
      p.code.push_back({ba, true, div(b, a), nullptr});
      upd = sub(mul(add(x, temp(ba)), call("exp", {mul(a, builtin("dt"))})), temp(ba));
    }
    p.code.push_back({t_name(e.name), true, upd, nullptr});
  }
  return p;
}

// Solves A x = b for a dense matrix by Gaussian elimination with partial
// pivoting; false if A is singular.
bool solve(std::vector<double> a, std::vector<double>& b, int n, int nrhs) {
  for (int c = 0; c < n; ++c) {
    int piv = c;
    for (int r = c + 1; r < n; ++r)
      if (std::fabs(a[r * n + c]) > std::fabs(a[piv * n + c])) piv = r;
    double scale = 0;
    for (double x : a)
      scale = std::max(scale, std::fabs(x));
    if (std::fabs(a[piv * n + c]) <= 1e-14 * scale) return false;
    if (piv != c) {
      for (int k = 0; k < n; ++k)
        std::swap(a[c * n + k], a[piv * n + k]);
      for (int k = 0; k < nrhs; ++k)
        std::swap(b[c * nrhs + k], b[piv * nrhs + k]);
    }
    for (int r = 0; r < n; ++r) {
      if (r == c) continue;
      double f = a[r * n + c] / a[c * n + c];
      if (f == 0) continue;
      for (int k = 0; k < n; ++k)
        a[r * n + k] -= f * a[c * n + k];
      for (int k = 0; k < nrhs; ++k)
        b[r * nrhs + k] -= f * b[c * nrhs + k];
    }
  }
  for (int r = 0; r < n; ++r)
    for (int k = 0; k < nrhs; ++k)
      b[r * nrhs + k] /= a[r * n + r];
  return true;
}

// The coefficient of eqs[c] in row r of a linear system (0 where absent).
ExprPtr coefficient(const std::vector<DiffEq>& eqs, const std::vector<Linear>& rows, int r, int c) {
  auto it = rows[r].coef.find(eqs[c].name);
  return it == rows[r].coef.end() ? num(0) : it->second;
}

// Coupled linear equations whose coefficients are expressions (parameters,
// as sympy solves them for Brian2), where each equation depends on itself
// and on variables that depend only on themselves (Tsodyks-Markram's
// dy/dt = -y/tau_I, dx/dt = (1 - x - y)/tau_rec). Over one step, a driving
// variable is y(s) = (y + B) e^(l s) - B with l its coefficient and B its
// rest over l; a driven one, x' = a x + b + sum_y c_y y(s), is
//   x(dt) = (x - P) e^(a dt) + P + sum_y Q_y (e^(l_y dt) - e^(a dt))
// with P = -(b - sum_y c_y B_y)/a and Q_y = c_y (y + B_y)/(l_y - a) (as
// sympy's solution, infinite where l_y = a).
Plan exact_triangular(const std::vector<DiffEq>& eqs, const std::vector<Linear>& rows) {
  Plan p;
  int n = static_cast<int>(eqs.size());
  auto coef = [&](int r, int c) { return coefficient(eqs, rows, r, c); };
  std::vector<bool> driving(static_cast<std::size_t>(n), true);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c)
      if (r != c && !is_number(coef(r, c), 0)) driving[r] = false;
  for (int r = 0; r < n; ++r) {
    if (is_number(coef(r, r), 0)) {
      p.why = fmt::format("d{}/dt does not depend on {} while its system couples variables "
                          "with coefficients that are not constant",
                          eqs[r].name, eqs[r].name);
      return p;
    }
    for (int c = 0; c < n; ++c)
      if (r != c && !is_number(coef(r, c), 0) && !driving[c]) {
        p.why = fmt::format("it couples its variables with coefficients that are not constant "
                            "(the coefficient of {} in d{}/dt) through more than one level "
                            "(d{}/dt depends on other variables too); snnc solves such systems "
                            "exactly where each variable depends on itself and on variables "
                            "that depend only on themselves",
                            eqs[c].name, eqs[r].name, eqs[c].name);
        return p;
      }
  }
  auto exp_dt = [](const ExprPtr& a) { return call("exp", {mul(a, builtin("dt"))}); };
  for (int r = 0; r < n; ++r) {
    if (!driving[r]) continue;
    const std::string& y = eqs[r].name;
    p.code.push_back({"_l_" + y, true, coef(r, r), nullptr});
    p.code.push_back({"_B_" + y, true, div(rows[r].rest, temp("_l_" + y)), nullptr});
    p.code.push_back({"_E_" + y, true, exp_dt(temp("_l_" + y)), nullptr});
    p.code.push_back({t_name(y), true,
                      sub(mul(add(var(y), temp("_B_" + y)), temp("_E_" + y)), temp("_B_" + y)),
                      nullptr});
  }
  for (int r = 0; r < n; ++r) {
    if (driving[r]) continue;
    const std::string& x = eqs[r].name;
    ExprPtr a = temp("_a_" + x);
    p.code.push_back({"_a_" + x, true, coef(r, r), nullptr});
    ExprPtr b = rows[r].rest;
    for (int c = 0; c < n; ++c)
      if (c != r && !is_number(coef(r, c), 0))
        b = sub(b, mul(coef(r, c), temp("_B_" + eqs[c].name)));
    p.code.push_back({"_P_" + x, true, neg(div(b, a)), nullptr});
    p.code.push_back({"_E_" + x, true, exp_dt(a), nullptr});
    ExprPtr upd = add(mul(sub(var(x), temp("_P_" + x)), temp("_E_" + x)), temp("_P_" + x));
    for (int c = 0; c < n; ++c) {
      if (c == r || is_number(coef(r, c), 0)) continue;
      const std::string& y = eqs[c].name;
      ExprPtr q = div(mul(coef(r, c), add(var(y), temp("_B_" + y))), sub(temp("_l_" + y), a));
      upd = add(upd, mul(q, sub(temp("_E_" + y), temp("_E_" + x))));
    }
    p.code.push_back({t_name(x), true, upd, nullptr});
  }
  return p;
}

// Brian2's "exact" (linear) updater: dX/dt = M X + c with M and c constant
// over a step. X_new = A X + (A - I) M^-1 c with A = exp(M dt).
Plan exact(const std::vector<DiffEq>& eqs, double dt, const std::set<std::string>& stepwise) {
  Plan p;
  if (has_noise(eqs)) {
    p.why = "it is stochastic";
    return p;
  }
  auto vars = names_of(eqs);
  int n = static_cast<int>(eqs.size());
  std::vector<Linear> rows;
  for (const DiffEq& e : eqs) {
    auto lin = linear_in(e.f, vars);
    if (!lin) {
      p.why = fmt::format("it is not linear in {}", e.name);
      for (const std::string& v : vars)
        if (!linear_in(e.f, {v})) p.why = fmt::format("it is not linear in {}", v);
      return p;
    }
    for (const auto& [v, c] : lin->coef)
      if (depends_on_time(c, stepwise) || uses_random(c)) {
        p.why =
            fmt::format("the coefficient of {} in d{}/dt changes within a time step", v, e.name);
        return p;
      }
    if (depends_on_time(lin->rest, stepwise) || uses_random(lin->rest)) {
      p.why = fmt::format("d{}/dt depends on t or on random numbers", e.name);
      return p;
    }
    rows.push_back(std::move(*lin));
  }
  auto coef = [&](int r, int c) { return coefficient(eqs, rows, r, c); };
  bool diagonal = true;
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c)
      if (r != c && !is_number(coef(r, c), 0)) diagonal = false;
  if (diagonal) {
    for (int r = 0; r < n; ++r) {
      ExprPtr m = coef(r, r);
      if (is_number(m, 0)) {
        p.why = fmt::format("d{}/dt does not depend on {}, so its linear system is singular",
                            eqs[r].name, eqs[r].name);
        return p;
      }
      ExprPtr x = var(eqs[r].name);
      ExprPtr e = call("exp", {mul(m, builtin("dt"))});
      ExprPtr upd;
      if (is_number(rows[r].rest, 0)) {
        upd = mul(x, e);
      } else {
        std::string b = "_b_" + eqs[r].name;
        p.code.push_back({b, true, div(rows[r].rest, m), nullptr});
        upd = sub(mul(add(x, temp(b)), e), temp(b));
      }
      p.code.push_back({t_name(eqs[r].name), true, upd, nullptr});
    }
    return p;
  }
  // Coupled with a coefficient that is not a number (a parameter): solved
  // symbolically where the coupling is one level deep.
  bool numbers = true;
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c)
      if (!value_of(coef(r, c))) numbers = false;
  if (!numbers) return exact_triangular(eqs, rows);
  // Coupled: needs numbers in M.
  std::vector<double> mat(static_cast<std::size_t>(n * n));
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      auto v = value_of(coef(r, c));
      if (!v) {
        p.why = fmt::format("it couples its variables with coefficients that are not constant "
                            "(the coefficient of {} in d{}/dt); snnc solves coupled systems "
                            "exactly only with constant coefficients",
                            eqs[c].name, eqs[r].name);
        return p;
      }
      if (!std::isfinite(*v)) {
        p.why = fmt::format("the coefficient of {} in d{}/dt is not a finite number ({})",
                            eqs[c].name, eqs[r].name, *v);
        return p;
      }
      mat[r * n + c] = *v;
    }
  std::vector<double> a = matrix_exp(mat, n, dt);
  for (double x : a)
    if (!std::isfinite(x)) {
      p.why = fmt::format("its solution over one step (dt = {} s) overflows", dt);
      return p;
    }
  // K = (A - I) M^-1, i.e. K M = A - I: solve M^T K^T = (A - I)^T.
  std::vector<double> mt(mat.size()), rhs(mat.size());
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      mt[r * n + c] = mat[c * n + r];
      rhs[r * n + c] = a[c * n + r] - (r == c ? 1.0 : 0.0);
    }
  if (!solve(mt, rhs, n, n)) {
    p.why = "its linear system is singular";
    return p;
  }
  for (int r = 0; r < n; ++r) {
    ExprPtr upd = num(0);
    for (int c = 0; c < n; ++c)
      if (a[r * n + c] != 0) upd = add(upd, mul(num(a[r * n + c]), var(eqs[c].name)));
    for (int c = 0; c < n; ++c) {
      double k = rhs[c * n + r]; // K[r][c] = (K^T)[c][r]
      if (k != 0 && !is_number(rows[c].rest, 0)) upd = add(upd, mul(num(k), rows[c].rest));
    }
    p.code.push_back({t_name(eqs[r].name), true, upd, nullptr});
  }
  return p;
}

Plan plan(Method m, const std::vector<DiffEq>& eqs, double dt,
          const std::set<std::string>& stepwise) {
  switch (m) {
  case Method::euler:
    return euler(eqs);
  case Method::rk2:
    return rk(eqs, false);
  case Method::rk4:
    return rk(eqs, true);
  case Method::heun:
    return heun(eqs);
  case Method::milstein:
    return milstein(eqs);
  case Method::exponential_euler:
    return exponential_euler(eqs);
  case Method::exact:
    return exact(eqs, dt, stepwise);
  case Method::automatic:
    break;
  }
  return {"no method", {}};
}

} // namespace

std::vector<double> matrix_exp(const std::vector<double>& m, int n, double dt) {
  std::vector<double> b(m.size());
  double norm = 0;
  for (int r = 0; r < n; ++r) {
    double row = 0;
    for (int c = 0; c < n; ++c)
      row += std::fabs(m[r * n + c] * dt);
    norm = std::max(norm, row);
  }
  if (!(norm <= 1e300)) // inf or NaN: no finite answer
    return std::vector<double>(m.size(), std::nan(""));
  int squarings = norm > 0.5 ? static_cast<int>(std::ceil(std::log2(norm / 0.5))) : 0;
  double scale = dt / std::ldexp(1.0, squarings);
  for (std::size_t k = 0; k < m.size(); ++k)
    b[k] = m[k] * scale;
  auto matmul = [n](const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<double> z(x.size(), 0.0);
    for (int r = 0; r < n; ++r)
      for (int k = 0; k < n; ++k)
        for (int c = 0; c < n; ++c)
          z[r * n + c] += x[r * n + k] * y[k * n + c];
    return z;
  };
  std::vector<double> result(m.size(), 0.0), term(m.size(), 0.0);
  for (int r = 0; r < n; ++r)
    result[r * n + r] = term[r * n + r] = 1.0;
  for (int k = 1; k <= 30; ++k) {
    term = matmul(term, b);
    for (double& x : term)
      x /= k;
    for (std::size_t q = 0; q < term.size(); ++q)
      result[q] += term[q];
  }
  for (int s = 0; s < squarings; ++s)
    result = matmul(result, result);
  return result;
}

bool integrate(ir::Group& g, const Kernelize& kernelize, std::vector<Assign>& out, double dt,
               const std::set<std::string>& stepwise, Diagnostics& diag) {
  // Refractoriness first (Brian2's StateUpdater abstract code).
  if (g.refractory) {
    ExprPtr ref = kernelize(g.refractory);
    ExprPtr nr;
    if (g.refractory->type == ir::ValueType::boolean) {
      nr = ir::make_binary(ir::BinOp::or_, var("not_refractory"),
                           ir::make_unary(ir::UnOp::not_, ref, {}), {});
    } else {
      nr = not_refractory_value(ref);
    }
    out.push_back({"not_refractory", false, nr, nullptr});
  }

  std::vector<DiffEq> eqs;
  std::set<std::string> xis;
  for (const ir::Variable& v : g.variables) {
    if (v.kind != ir::VarKind::differential) continue;
    DiffEq e;
    e.name = v.name;
    e.loc = v.loc;
    e.unless_refractory = v.has(ir::Flag::unless_refractory);
    ExprPtr f = kernelize(v.rhs);
    std::set<std::string> noise;
    ir::visit(f, [&](const ExprPtr& n) {
      if (n->kind == ir::ExprKind::name && n->ref == ir::NameRef::noise) noise.insert(n->name);
    });
    if (!noise.empty()) {
      auto lin = linear_in(f, noise);
      if (!lin) {
        diag.error(v.loc, fmt::format("the noise in d{}/dt must enter linearly (as g*xi)", v.name));
        return false;
      }
      f = lin->rest;
      e.g = lin->coef;
    }
    e.f = f;
    eqs.push_back(std::move(e));
  }
  if (eqs.empty()) return true;

  Plan p;
  if (g.method == Method::automatic) {
    p = plan(Method::exact, eqs, dt, stepwise);
    Method chosen = Method::exact;
    if (!p.why.empty() && p.why.find("not constant") != std::string::npos) {
      // Brian2 would integrate this exactly; a silent switch to euler would
      // not give Brian2's results.
      diag.error(eqs.front().loc,
                 fmt::format("no method given for group '{}', and Brian2 would choose 'exact', "
                             "but {}; give a method explicitly (e.g. 'method: rk4')",
                             g.name, p.why));
      return false;
    }
    if (!p.why.empty()) {
      chosen = multiplicative(eqs) ? Method::heun : Method::euler;
      p = plan(chosen, eqs, dt, stepwise);
    }
    g.method = chosen;
    g.method_chosen = true;
  } else {
    p = plan(g.method, eqs, dt, stepwise);
  }
  if (!p.why.empty()) {
    SourceLoc loc = g.method_loc.valid() ? g.method_loc : eqs.front().loc;
    diag.error(loc, fmt::format("method '{}' cannot integrate this system: {}",
                                ir::to_string(g.method), p.why));
    return false;
  }
  for (Assign& a : p.code)
    out.push_back(std::move(a));
  for (const DiffEq& e : eqs)
    out.push_back({e.name, false, temp(t_name(e.name)),
                   e.unless_refractory && g.refractory ? var("not_refractory") : nullptr});
  return true;
}

} // namespace snnc::kir
