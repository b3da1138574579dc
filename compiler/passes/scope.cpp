#include "passes/scope.h"

#include "diag/diagnostics.h"

#include <fmt/format.h>

namespace snnc::passes {

using ir::NameRef;
using ir::Side;
using ir::ValueType;

namespace {

Typed of(const ir::Dimension& d, ValueType t) {
  return Typed{d, t, false, 0};
}

std::optional<Binding> variable_of(const ir::Group& g, const std::string& name, Side side) {
  if (const ir::Variable* v = g.find_variable(name)) {
    Binding b;
    b.ref = v->kind == ir::VarKind::subexpression ? NameRef::subexpr : NameRef::variable;
    b.side = side;
    b.target = name;
    b.type = of(v->dim, v->type);
    b.variable = v;
    return b;
  }
  // Built-ins of a neuron group reachable as x_pre / x_post.
  Binding b;
  b.ref = NameRef::builtin;
  b.side = side;
  b.target = name;
  if (g.refractory && name == "lastspike")
    return b.type = of(units::time_dim(), ValueType::float_), b;
  if (g.refractory && name == "not_refractory") return b.type = of({}, ValueType::boolean), b;
  if (name == "N") return b.type = of({}, ValueType::integer), b;
  return std::nullopt;
}

// A variable of target synapses reachable as x_post (or a bare x): their
// own variables but summed ones (which name a target's variable), and N_post.
std::optional<Binding> variable_of(const ir::Synapses& y, const std::string& name) {
  Binding b;
  b.side = Side::post;
  b.target = name;
  if (const ir::Variable* v = y.find_variable(name); v && !v->has(ir::Flag::summed)) {
    b.ref = v->kind == ir::VarKind::subexpression ? NameRef::subexpr : NameRef::variable;
    b.type = of(v->dim, v->type);
    b.variable = v;
    return b;
  }
  b.ref = NameRef::builtin;
  if (name == "N") return b.type = of({}, ValueType::integer), b;
  return std::nullopt;
}

std::optional<Binding> constant_in(const std::vector<ir::Constant>& cs, const std::string& name) {
  for (const ir::Constant& c : cs) {
    if (c.name != name) continue;
    Binding b;
    b.ref = NameRef::constant;
    b.target = name;
    b.constant = &c;
    b.type = Typed{c.dim, c.type, c.folded, c.value};
    if (!c.folded) b.type.constant = false;
    return b;
  }
  return std::nullopt;
}

bool ends_with(const std::string& s, const std::string& suf, std::string& stem) {
  if (s.size() <= suf.size() || s.compare(s.size() - suf.size(), suf.size(), suf) != 0)
    return false;
  stem = s.substr(0, s.size() - suf.size());
  return true;
}

} // namespace

std::optional<Binding> lookup(const Scope& s, const std::string& name) {
  Binding b;
  b.ref = NameRef::builtin;
  b.target = name;
  if (!s.generator_var.empty() && name == s.generator_var)
    return b.type = of({}, ValueType::integer), b;
  // The object's own variables.
  if (s.group) {
    if (auto v = variable_of(*s.group, name, Side::own); v && v->ref != NameRef::builtin) return v;
  }
  // A summed variable's name (`g_post = ... : 1 (summed)`) is not a synaptic
  // variable: as in Brian2, `g_post` still reads the postsynaptic g.
  if (s.syn && s.synaptic_variables) {
    if (const ir::Variable* v = s.syn->find_variable(name); v && !v->has(ir::Flag::summed)) {
      b.ref = v->kind == ir::VarKind::subexpression ? NameRef::subexpr : NameRef::variable;
      b.type = of(v->dim, v->type);
      b.variable = v;
      return b;
    }
  }
  // A constant named N shadows the built-in N (see lower.cpp).
  if (name == "N") {
    if (s.group)
      if (auto c = constant_in(s.group->constants, name)) return c;
    if (s.syn)
      if (auto c = constant_in(s.syn->constants, name)) return c;
    if (auto c = constant_in(s.model->constants, name)) return c;
  }
  // Built-ins.
  if (name == "t" || name == "dt") return b.type = of(units::time_dim(), ValueType::float_), b;
  if (name == "i") return b.type = of({}, ValueType::integer), b;
  // A synapse's own index (values from data in a synapses statement).
  if (name == "_syn" && s.syn && s.synaptic_variables)
    return b.type = of({}, ValueType::integer), b;
  // In connect conditions the synapses do not exist yet: N is undefined there.
  if (name == "N" && (!s.syn || s.synaptic_variables))
    return b.type = of({}, ValueType::integer), b;
  if (s.group && s.group->refractory) {
    if (name == "lastspike") return b.type = of(units::time_dim(), ValueType::float_), b;
    if (name == "not_refractory") return b.type = of({}, ValueType::boolean), b;
  }
  if (s.syn) {
    if (name == "j" || name == "N_incoming" || name == "N_outgoing")
      return b.type = of({}, ValueType::integer), b;
    if (name == "lastupdate" && s.synaptic_variables)
      return b.type = of(units::time_dim(), ValueType::float_), b;
  }
  if (s.noise && (name == "xi" || name.rfind("xi_", 0) == 0)) {
    b.ref = NameRef::noise;
    b.type = of(units::time_dim().pow(units::Rational(-1, 2)), ValueType::float_);
    return b;
  }
  // x_pre / x_post in synapses.
  std::string stem;
  // (Where the group has no such variable, the name may still be a
  // constant, as in Brian2: `c += C_post` with a constant C_post.)
  if (s.syn && s.pre && ends_with(name, "_pre", stem))
    if (auto v = variable_of(*s.pre, stem, Side::pre)) return v;
  // The postsynaptic group's (or target synapses') variables.
  auto post_variable = [&](const std::string& n) {
    return s.post ? variable_of(*s.post, n, Side::post) : variable_of(*s.post_syn, n);
  };
  if (s.syn && (s.post || s.post_syn) && ends_with(name, "_post", stem))
    if (auto v = post_variable(stem)) return v;
  // A bare name of the postsynaptic group.
  if (s.syn && (s.post || s.post_syn)) {
    if (auto v = post_variable(name); v && v->ref != NameRef::builtin) return v;
  }
  // Constants: the object's, then global ones.
  if (s.group)
    if (auto c = constant_in(s.group->constants, name)) return c;
  if (s.syn)
    if (auto c = constant_in(s.syn->constants, name)) return c;
  if (auto c = constant_in(s.model->constants, name)) return c;
  if (auto v = builtin_constant(name)) {
    b.ref = NameRef::constant;
    b.type = Typed{{}, ValueType::float_, true, *v};
    return b;
  }
  if (const units::Unit* u = units::find_unit(name)) {
    b.ref = NameRef::unit;
    b.type = Typed{u->dim, ValueType::float_, true, u->scale};
    return b;
  }
  return std::nullopt;
}

std::string unknown_message(const Scope& s, const std::string& name) {
  std::string stem;
  if (s.syn && s.pre && ends_with(name, "_pre", stem)) {
    std::vector<std::string> c;
    for (auto& v : s.pre->variables)
      c.push_back(v.name);
    return fmt::format("'{}' is not a variable of group '{}'{}", name, s.pre->name,
                       did_you_mean(stem, c).empty()
                           ? ""
                           : " (did you mean '" + closest_name(stem, c) + "_pre'?)");
  }
  if (s.syn && (s.post || s.post_syn) && ends_with(name, "_post", stem)) {
    std::vector<std::string> c;
    for (auto& v : s.post_variables())
      c.push_back(v.name);
    return fmt::format(
        "'{}' is not a variable of {} '{}'{}", name, s.post ? "group" : "synapses", s.post_name(),
        did_you_mean(stem, c).empty() ? ""
                                      : " (did you mean '" + closest_name(stem, c) + "_post'?)");
  }
  if (name == "xi" || name.rfind("xi_", 0) == 0)
    return fmt::format("noise '{}' may only appear in differential equations", name);
  if (name == "lastspike" || name == "not_refractory")
    return fmt::format("'{}' exists only in groups with a 'refractory:' period", name);
  std::vector<std::string> c = {"t", "dt", "i", "N"};
  if (s.group)
    for (auto& v : s.group->variables)
      c.push_back(v.name);
  if (s.syn) {
    for (auto& v : s.syn->variables)
      c.push_back(v.name);
    for (auto& k : s.syn->constants)
      c.push_back(k.name);
    c.push_back("j");
  }
  if (s.post || s.post_syn)
    for (auto& v : s.post_variables()) {
      c.push_back(v.name);
      c.push_back(v.name + "_post");
    }
  if (s.pre)
    for (auto& v : s.pre->variables)
      c.push_back(v.name + "_pre");
  if (s.group)
    for (auto& k : s.group->constants)
      c.push_back(k.name);
  for (auto& k : s.model->constants)
    c.push_back(k.name);
  std::string hint = did_you_mean(name, c);
  if (hint.empty()) {
    std::vector<std::string> us;
    for (const auto& u : units::all_units())
      us.push_back(u.name);
    hint = did_you_mean(name, us);
  }
  return fmt::format("unknown identifier '{}'{}", name, hint);
}

Scope group_scope(const ir::Model& m, const ir::Group& g) {
  Scope s;
  s.model = &m;
  s.group = &g;
  return s;
}

Scope synapse_scope(const ir::Model& m, const ir::Synapses& syn) {
  Scope s;
  s.model = &m;
  s.syn = &syn;
  s.pre = m.find_group(syn.source.group);
  s.post = m.find_group(syn.target.group);
  s.post_syn = m.target_synapses(syn);
  return s;
}

} // namespace snnc::passes
