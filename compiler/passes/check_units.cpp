#include "passes/check_units.h"

#include "passes/analyze.h"
#include "passes/resolve_names.h"

#include <algorithm>
#include <fmt/format.h>
#include <functional>
#include <map>

namespace snnc::passes {

namespace {

using ir::Dimension;
using ir::Flag;
using ir::ValueType;

class Checker {
public:
  Checker(ir::Model& m, Diagnostics& d) : m_(m), diag_(d) {}

  void run() {
    for (const ir::Group& g : m_.groups)
      cycles(g.variables);
    for (const ir::Synapses& s : m_.synapses)
      cycles(s.variables);
    for (const ir::Group& g : m_.groups)
      random_subexpressions(g.variables);
    for (const ir::Synapses& s : m_.synapses)
      random_subexpressions(s.variables);
    if (diag_.has_errors()) return; // a cycle would make the checks below recurse forever
    for_each_expression(m_, [&](ExprSite& site) { check(site); });
    for (const ir::Group& g : m_.groups)
      flags(g.variables, &g, nullptr);
    for (const ir::Synapses& s : m_.synapses)
      flags(s.variables, nullptr, &s);
    summed_overlaps();
    for (const ir::Group& g : m_.groups)
      for (const ir::Link& l : g.links)
        link(g, l);
  }

private:
  static const char* type_name(ir::ValueType t) {
    return t == ir::ValueType::boolean   ? "boolean"
           : t == ir::ValueType::integer ? "integer"
                                         : "float";
  }

  // A link names a stored variable of another neuron group, of the linked
  // parameter's unit and type, in a group of the same size or of one neuron.
  void link(const ir::Group& g, const ir::Link& l) {
    const ir::Group* src = m_.find_group(l.group);
    if (!src || src->kind != ir::GroupKind::neurons || src == &g) {
      std::vector<std::string> names;
      for (const ir::Group& x : m_.groups)
        if (x.kind == ir::GroupKind::neurons && &x != &g) names.push_back(x.name);
      diag_.error(l.group_loc,
                  src == &g ? std::string("a link names another group, not the group itself")
                  : src
                      ? fmt::format("'{}' is not a neuron group: a link names a variable "
                                    "of a neuron group",
                                    l.group)
                      : fmt::format("unknown group '{}'{}", l.group, did_you_mean(l.group, names)));
      return;
    }
    const ir::Variable* v = g.find_variable(l.var);
    const ir::Variable* s = src->find_variable(l.source);
    if (!s || s->kind == ir::VarKind::subexpression || s->has(ir::Flag::linked)) {
      std::vector<std::string> names;
      for (const ir::Variable& x : src->variables)
        if (x.kind != ir::VarKind::subexpression && !x.has(ir::Flag::linked))
          names.push_back(x.name);
      diag_.error(l.source_loc,
                  !s ? fmt::format("'{}' is not a variable of group '{}'{}", l.source, l.group,
                                   did_you_mean(l.source, names))
                     : fmt::format("'{}' of group '{}' is a {}: a link names a differential "
                                   "variable or a parameter (not yet a subexpression or another "
                                   "link)",
                                   l.source, l.group,
                                   s->kind == ir::VarKind::subexpression ? "subexpression"
                                                                         : "linked parameter"));
      return;
    }
    if (v && s->dim != v->dim)
      diag_.error(l.source_loc,
                  fmt::format("'{}.{}' has unit {}, but '{}' is declared with {}", l.group,
                              l.source, unit_name(s->dim), l.var, unit_name(v->dim)));
    else if (v && s->type != v->type)
      diag_.error(l.source_loc,
                  fmt::format("'{}.{}' is {}, but '{}' is declared {}: declare it "
                              "as its source is",
                              l.group, l.source, type_name(s->type), l.var, type_name(v->type)));
    if (l.index) { // Brian2's index=: an integer per neuron
      const ir::Variable* x = g.find_variable(l.index_var);
      if (x && x->type != ir::ValueType::integer)
        diag_.error(l.index->loc, fmt::format("the index of a link is an integer per neuron, but "
                                              "'{}' is {}: declare it '{} : integer'",
                                              l.index_var, type_name(x->type), l.index_var));
    } else if (src->size != g.size && src->size != 1) {
      diag_.error(l.group_loc,
                  fmt::format("group '{}' has {} neurons and '{}' {}: a link is neuron by "
                              "neuron between groups of one size, or to a group of one neuron; "
                              "between others, give the neuron each one reads: "
                              "'{} = {}.{}[INDEX]' (Brian2's index=)",
                              l.group, src->size, g.name, g.size, l.var, l.group, l.source));
    }
  }

  std::optional<Typed> type_of(const ir::ExprPtr& e, const Scope& sc) {
    AnalyzeOptions o;
    o.leaf = [&](ir::Expr& n) -> std::optional<Typed> {
      if (n.ref == ir::NameRef::unresolved) return std::nullopt; // reported by resolve_names
      // A kept temporary (inline_temporaries): the type of its value (its
      // argument), checked with the statement that computes it, before.
      if (n.ref == ir::NameRef::temporary) {
        const ir::Expr& v = *n.args.at(0);
        if (!v.checked) return std::nullopt; // its error is reported there
        return Typed{v.dim, v.type};
      }
      auto b = lookup(sc, n.name);
      if (!b) return std::nullopt;
      return b->type;
    };
    o.timed = [&](const std::string& name) -> std::optional<TimedInfo> {
      const ir::TimedArray* t = m_.find_timed(name);
      if (!t) return std::nullopt;
      // A loaded array's shape is known only when it is read: both forms pass here.
      return TimedInfo{t->dim, t->cols > 0, true};
    };
    bool errors_before = diag_.error_count();
    auto r = analyze(e, o, diag_);
    if (!r && diag_.error_count() == errors_before) return std::nullopt;
    return r;
  }

  void check(ExprSite& site) {
    const ir::ExprPtr& e = *site.expr;
    auto t = type_of(e, site.scope);
    if (!t) return;
    std::string text = ir::to_string(e);
    switch (site.role) {
    case Role::differential_rhs: {
      const ir::Variable& v = *site.variable;
      Dimension need = v.dim / units::time_dim();
      if (t->dim != need)
        diag_.error(ir::start_of(e),
                    fmt::format("dimension mismatch in 'd{}/dt': the right side has unit "
                                "{}, the left side needs {}",
                                v.name, unit_name(t->dim), unit_name(need)));
      break;
    }
    case Role::subexpression_rhs: {
      const ir::Variable& v = *site.variable;
      if (t->dim != v.dim)
        diag_.error(ir::start_of(e),
                    fmt::format("dimension mismatch in '{}': the right side has unit {}, "
                                "the declared unit is {}",
                                v.name, unit_name(t->dim), unit_name(v.dim)));
      break;
    }
    case Role::threshold:
    case Role::event_condition:
    case Role::connect_condition:
      if (t->type != ValueType::boolean)
        diag_.error(ir::start_of(e),
                    fmt::format("{} must be a condition such as '{}', but '{}' is a value "
                                "with unit {}",
                                site.role == Role::threshold         ? "a threshold"
                                : site.role == Role::event_condition ? "an event's condition"
                                                                     : "a connect condition",
                                site.role == Role::connect_condition ? "i != j" : "v > Vt", text,
                                unit_name(t->dim)));
      break;
    case Role::refractory:
      if (t->type != ValueType::boolean && t->dim != units::time_dim())
        diag_.error(ir::start_of(e),
                    fmt::format("a refractory period must be a time (such as 5*ms) or a "
                                "condition, but '{}' has unit {}",
                                text, unit_name(t->dim)));
      break;
    case Role::delay:
      if (t->dim != units::time_dim())
        diag_.error(ir::start_of(e), fmt::format("a delay must be a time, but '{}' has unit {}",
                                                 text, unit_name(t->dim)));
      break;
    case Role::connect_p:
      if (!t->dim.is_dimensionless() || t->type == ValueType::boolean)
        diag_.error(ir::start_of(e),
                    fmt::format("a connection probability p must be a dimensionless "
                                "number, but '{}' has unit {}",
                                text, unit_name(t->dim)));
      else if (t->constant && (t->value < 0 || t->value > 1))
        diag_.error(ir::start_of(e),
                    fmt::format("a connection probability must be between 0 and 1, but "
                                "'{}' is {}",
                                text, t->value));
      break;
    case Role::connect_index:
      if (!t->dim.is_dimensionless() || t->type != ValueType::integer)
        diag_.error(ir::start_of(e),
                    fmt::format("a connect generator's index (j, or i) and range must be whole "
                                "numbers (of the other index, k and its group's variables), but "
                                "'{}' is not",
                                text));
      break;
    case Role::connect_n:
      if (!t->dim.is_dimensionless() || t->type != ValueType::integer)
        diag_.error(ir::start_of(e),
                    fmt::format("n (synapses per pair) must be a whole number, but '{}' "
                                "is not",
                                text));
      break;
    case Role::poisson_input:
      poisson_weight(*site.statement, site.scope, *t);
      break;
    default:
      statement(*site.statement, site.scope, *t);
    }
  }

  // binomial(N, p)*(weight): the weight must have the variable's unit.
  void poisson_weight(const ir::Statement& s, const Scope& sc, const Typed& t) {
    if (s.target.empty()) return; // reported already
    auto b = lookup(sc, s.var);
    if (!b) return;
    const ir::PoissonInput* pi = nullptr;
    for (const ir::PoissonInput& p : m_.poisson_inputs)
      if (&p.statement == &s) pi = &p;
    internal_check(pi != nullptr, "a poisson_input statement without its poisson_input");
    bool zero = pi->weight_expr->kind == ir::ExprKind::number && pi->weight_expr->number == 0;
    if (t.dim != b->type.dim && !zero)
      diag_.error(ir::start_of(pi->weight_expr),
                  fmt::format("the weight of poisson_input '{}' must have the unit of '{}.{}' "
                              "({}), but '{}' has unit {}",
                              pi->name, s.object, s.var, unit_name(b->type.dim),
                              ir::to_string(pi->weight_expr), unit_name(t.dim)));
    else if (b->type.type == ValueType::boolean)
      diag_.error(s.var_loc, fmt::format("poisson_input '{}' adds to '{}', a boolean variable",
                                         pi->name, s.var));
  }

  void statement(const ir::Statement& s, const Scope& sc, const Typed& t) {
    if (s.target.empty()) return; // target not resolved: reported already
    if (s.temporary) return;      // any value may be held
    auto b = lookup(sc, s.var);
    if (!b) return;
    const Dimension& vd = b->type.dim;
    std::string text = ir::to_string(s.value);
    if (s.op == ir::AssignOp::mul || s.op == ir::AssignOp::div) {
      if (!t.dim.is_dimensionless())
        diag_.error(ir::start_of(s.value), fmt::format("dimension mismatch in '{}': '{}' must be "
                                                       "dimensionless, but has unit {}",
                                                       ir::to_string(s), text, unit_name(t.dim)));
      return;
    }
    // A bare 0 has every unit, as Brian2 lets `G.w = 0` through.
    bool zero = s.value->kind == ir::ExprKind::number && s.value->number == 0;
    if (t.dim != vd && !zero) {
      diag_.error(ir::start_of(s.value),
                  fmt::format("dimension mismatch in '{}': '{}' has unit {}, but "
                              "'{}' has unit {}",
                              ir::to_string(s), s.var, unit_name(vd), text, unit_name(t.dim)));
      return;
    }
    if (b->type.type == ValueType::boolean && t.type != ValueType::boolean &&
        s.op == ir::AssignOp::set)
      diag_.error(ir::start_of(s.value),
                  fmt::format("'{}' is a boolean variable; assign a condition, not "
                              "'{}'",
                              s.var, text));
  }

  // A subexpression is evaluated wherever it is used, so a random one would
  // draw a different number at each use; as Brian2, require it to be held.
  void random_subexpressions(const std::vector<ir::Variable>& vars) {
    for (const ir::Variable& v : vars) {
      if (v.kind != ir::VarKind::subexpression || v.has(ir::Flag::constant_over_dt)) continue;
      bool reported = false;
      ir::visit(v.rhs, [&](const ir::ExprPtr& n) {
        if (reported || !ir::is_random_call(*n)) return;
        diag_.error(n->loc, fmt::format("subexpression '{}' uses '{}()', which would draw anew "
                                        "at every use; mark it '(constant over dt)' to draw "
                                        "once per step (Brian2 requires this too)",
                                        v.name, n->name));
        reported = true;
      });
    }
  }

  // Subexpressions are inlined where used, so one may not depend on itself.
  void cycles(const std::vector<ir::Variable>& vars) {
    std::map<std::string, const ir::Variable*> subs;
    for (const ir::Variable& v : vars)
      if (v.kind == ir::VarKind::subexpression) subs[v.name] = &v;
    std::map<std::string, int> state; // 0 new, 1 on the path, 2 done
    std::vector<std::string> path;
    std::function<bool(const ir::Variable&)> visit = [&](const ir::Variable& v) {
      state[v.name] = 1;
      path.push_back(v.name);
      bool found = false;
      ir::visit(v.rhs, [&](const ir::ExprPtr& n) {
        if (found || n->kind != ir::ExprKind::name || n->side != ir::Side::own) return;
        auto it = subs.find(n->name);
        if (it == subs.end()) return;
        if (state[n->name] == 1) {
          std::string chain;
          auto start = std::find(path.begin(), path.end(), n->name);
          for (auto p = start; p != path.end(); ++p)
            chain += *p + " -> ";
          diag_.error(n->loc, fmt::format("subexpression '{}' depends on itself ({}{})", n->name,
                                          chain, n->name));
          found = true;
        } else if (state[n->name] == 0) {
          found = visit(*it->second);
        }
      });
      path.pop_back();
      state[v.name] = 2;
      return found;
    };
    for (auto& [name, v] : subs)
      if (state[name] == 0 && visit(*v)) return;
  }

  void flag_error(const ir::Variable& v, std::size_t k, const std::string& why) {
    diag_.error(v.flag_locs[k], fmt::format("flag '{}' {}", ir::to_string(v.flags[k]), why));
  }

  void flags(const std::vector<ir::Variable>& vars, const ir::Group* g, const ir::Synapses* s) {
    for (const ir::Variable& v : vars) {
      for (std::size_t k = 0; k < v.flags.size(); ++k) {
        Flag f = v.flags[k];
        bool diff = v.kind == ir::VarKind::differential;
        bool sub = v.kind == ir::VarKind::subexpression;
        bool par = v.kind == ir::VarKind::parameter;
        switch (f) {
        case Flag::unless_refractory:
          if (!g || !diff)
            flag_error(v, k, "applies only to differential equations of neurons");
          else if (!g->refractory)
            flag_error(v, k, fmt::format("needs a 'refractory:' period in group '{}'", g->name));
          break;
        case Flag::event_driven:
        case Flag::clock_driven:
          if (!s || !diff)
            flag_error(v, k, "applies only to differential equations of synapses");
          else if (v.has(Flag::event_driven) && v.has(Flag::clock_driven) &&
                   f == Flag::clock_driven)
            flag_error(v, k, "cannot be combined with 'event-driven'");
          break;
        case Flag::constant:
          if (!par) flag_error(v, k, "applies only to parameters ('x : unit (constant)')");
          break;
        case Flag::constant_over_dt:
          if (!sub) flag_error(v, k, "applies only to subexpressions");
          break;
        case Flag::shared:
          if (diff) flag_error(v, k, "applies only to parameters and subexpressions");
          break;
        case Flag::summed:
          summed(v, k, s);
          break;
        case Flag::linked:
          if (!par || s || v.flags.size() != 1)
            flag_error(v, k, "applies only to parameters of neuron groups, alone");
          break;
        }
      }
    }
  }

  // As Brian2: two synapses objects may not sum into the same variable of
  // overlapping parts of a group (each would overwrite the other's sum).
  void summed_overlaps() {
    struct Range {
      const ir::Synapses* s;
      const ir::Variable* v;
      std::int64_t a, b;
    };
    std::map<std::pair<std::string, std::string>, std::vector<Range>> targets;
    for (const ir::Synapses& s : m_.synapses) {
      const ir::Group* g = m_.find_group(s.target.group);
      if (!g) continue;
      for (const ir::Variable& v : s.variables) {
        if (!v.has(Flag::summed)) continue;
        std::string name = v.name.size() > 5 && v.name.compare(v.name.size() - 5, 5, "_post") == 0
                               ? v.name.substr(0, v.name.size() - 5)
                               : v.name;
        std::int64_t a = s.target.sliced() ? s.target.start : 0;
        std::int64_t b = s.target.sliced() ? s.target.stop : g->size;
        for (const Range& r : targets[{g->name, name}])
          if (a < r.b && r.a < b) {
            diag_.error(v.loc, fmt::format("summed variables of '{}' and '{}' both write '{}' of "
                                           "overlapping parts of group '{}' (Brian2 does not "
                                           "allow this either: sum into separate variables)",
                                           r.s->name, s.name, name, g->name));
            return;
          }
        targets[{g->name, name}].push_back({&s, &v, a, b});
      }
    }
  }

  // `I_post = w*s : amp (summed)`: the target is a postsynaptic parameter.
  void summed(const ir::Variable& v, std::size_t k, const ir::Synapses* s) {
    if (!s || v.kind != ir::VarKind::subexpression) {
      flag_error(v, k,
                 "applies only to subexpressions of synapses, e.g. 'I_post = w : amp "
                 "(summed)'");
      return;
    }
    const std::string suffix = "_post";
    std::string name = v.name;
    const ir::Group* target = m_.find_group(s->target.group);
    if (name.size() > suffix.size() && name.compare(name.size() - 5, 5, suffix) == 0)
      name = name.substr(0, name.size() - 5);
    if (!target) return;
    // As Brian2: a summed variable is updated every step, so it cannot read
    // a variable that is only brought up to date at events.
    bool done = false;
    ir::visit(v.rhs, [&](const ir::ExprPtr& n) {
      if (done || n->kind != ir::ExprKind::name || n->side != ir::Side::own) return;
      const ir::Variable* dep = s->find_variable(n->name);
      if (dep && dep->has(Flag::event_driven)) {
        diag_.error(n->loc, fmt::format("summed variable '{}' cannot depend on the event-driven "
                                        "variable '{}' (make it clock-driven)",
                                        v.name, n->name));
        done = true;
      }
    });
    if (done) return;
    const ir::Variable* tv = target->find_variable(name);
    if (!tv) {
      diag_.error(v.loc, fmt::format("summed variable '{}' needs a variable '{}' in group '{}'",
                                     v.name, name, target->name));
      return;
    }
    if (tv->has(ir::Flag::linked))
      diag_.error(v.loc, fmt::format("the target of summed variable '{}' is '{}', a linked "
                                     "parameter: sum into a parameter of group '{}' itself",
                                     v.name, name, target->name));
    else if (tv->kind != ir::VarKind::parameter)
      diag_.error(v.loc, fmt::format("the target of summed variable '{}' must be a parameter "
                                     "('{} : {}'), but it is a {}",
                                     v.name, name, unit_name(tv->dim), ir::to_string(tv->kind)));
    else if (tv->dim != v.dim)
      diag_.error(v.loc, fmt::format("summed variable '{}' has unit {}, but its target '{}' has "
                                     "unit {}",
                                     v.name, unit_name(v.dim), name, unit_name(tv->dim)));
  }

  ir::Model& m_;
  Diagnostics& diag_;
};

} // namespace

void check_units(ir::Model& m, Diagnostics& diag) {
  Checker c(m, diag);
  c.run();
}

} // namespace snnc::passes
