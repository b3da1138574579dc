#include "passes/resolve_names.h"

#include <fmt/format.h>

#include <functional>

namespace snnc::passes {

void for_each_expression(ir::Model& m, const std::function<void(ExprSite&)>& f) {
  auto stmts = [&](std::vector<ir::Statement>& ss, const Scope& sc, Role r) {
    for (ir::Statement& s : ss) {
      ExprSite site{&s.value, sc, r, &s};
      f(site);
    }
  };
  auto equations = [&](std::vector<ir::Variable>& vs, const Scope& sc) {
    for (ir::Variable& v : vs) {
      if (!v.rhs) continue;
      Scope s = sc;
      s.noise = v.kind == ir::VarKind::differential;
      ExprSite site{&v.rhs, s,
                    v.kind == ir::VarKind::differential ? Role::differential_rhs
                                                        : Role::subexpression_rhs,
                    nullptr, &v};
      f(site);
    }
  };
  auto one = [&](ir::ExprPtr& e, const Scope& sc, Role r) {
    if (!e) return;
    ExprSite site{&e, sc, r};
    f(site);
  };
  for (ir::Group& g : m.groups) {
    Scope sc = group_scope(m, g);
    equations(g.variables, sc);
    one(g.threshold, sc, Role::threshold);
    stmts(g.reset, sc, Role::reset);
    one(g.refractory, sc, Role::refractory);
    stmts(g.init, sc, Role::init);
    for (ir::GroupEvent& e : g.events) {
      one(e.condition, sc, Role::event_condition);
      stmts(e.statements, sc, Role::reset);
    }
  }
  for (ir::Synapses& s : m.synapses) {
    Scope sc = synapse_scope(m, s);
    if (!sc.sides()) continue; // reported by resolve_names
    equations(s.variables, sc);
    for (ir::Pathway& p : s.pathways) {
      stmts(p.statements, sc, p.pre ? Role::on_pre : Role::on_post);
      one(p.delay, sc, Role::delay);
    }
    stmts(s.init, sc, Role::init);
    Scope cc = sc;
    cc.synaptic_variables = false;
    for (ir::ExprPtr& e : s.connect.gen_range)
      one(e, cc, Role::connect_index);
    one(s.connect.gen_size, cc, Role::connect_index);
    cc.generator_var = s.connect.gen_var;
    one(s.connect.gen_j, cc, Role::connect_index);
    one(s.connect.condition, cc, Role::connect_condition);
    one(s.connect.p, cc, Role::connect_p);
    one(s.connect.n, cc, Role::connect_n);
  }
  auto object_scope = [&](const std::string& object) -> std::optional<Scope> {
    if (const ir::Group* g = m.find_group(object)) return group_scope(m, *g);
    if (const ir::Synapses* s = m.find_synapses(object)) {
      Scope sc = synapse_scope(m, *s);
      if (sc.sides()) return sc;
    }
    return std::nullopt;
  };
  for (ir::Event& e : m.events)
    for (ir::Statement& s : e.statements)
      if (auto sc = object_scope(s.object)) {
        ExprSite site{&s.value, *sc, Role::event_statement, &s};
        f(site);
      }
  for (ir::PoissonInput& pi : m.poisson_inputs)
    if (const ir::Group* g = m.find_group(pi.statement.object);
        g && g->kind == ir::GroupKind::neurons) {
      ExprSite site{&pi.statement.value, group_scope(m, *g), Role::poisson_input, &pi.statement};
      f(site);
    }
  for (ir::ScheduleItem& it : m.schedule)
    if (it.kind == ir::ScheduleItem::Kind::statement)
      if (auto sc = object_scope(it.statement.object)) {
        ExprSite site{&it.statement.value, *sc, Role::schedule_statement, &it.statement};
        f(site);
      }
}

namespace {

class Resolver {
public:
  Resolver(ir::Model& m, Diagnostics& d) : m_(m), diag_(d) {}

  void run() {
    for (ir::Synapses& s : m_.synapses) {
      pathway(s.source, "source");
      if (const ir::Synapses* t = m_.target_synapses(s))
        synapses_target(s, *t);
      else
        pathway(s.target, "target");
      generator_var(s);
      for (const ir::Pathway& p : s.pathways)
        if (p.event != "spike")
          event(p.pre ? s.source.group : s.target.group, p.event, p.event_loc);
    }
    for (ir::Event& e : m_.events)
      for (ir::Statement& s : e.statements)
        object(s);
    for (ir::ScheduleItem& it : m_.schedule)
      if (it.kind == ir::ScheduleItem::Kind::statement) object(it.statement);
    for (ir::PoissonInput& pi : m_.poisson_inputs)
      poisson_input(pi);
    for (ir::Monitor& mon : m_.monitors)
      monitor(mon);
    for_each_expression(m_, [&](ExprSite& site) {
      expression(*site.expr, site.scope);
      if (site.statement) target(*site.statement, site.scope, site.role);
    });
  }

private:
  void expression(const ir::ExprPtr& e, const Scope& sc) {
    ir::visit(e, [&](const ir::ExprPtr& n) {
      // A temporary inline_temporaries kept: resolved already (its value, its argument, is not).
      if (n->kind != ir::ExprKind::name || n->ref == ir::NameRef::temporary) return;
      if (auto b = lookup(sc, n->name)) {
        if (b->variable && b->variable->has(ir::Flag::linked) && b->side != ir::Side::own)
          diag_.error(n->loc,
                      fmt::format("'{}' is a linked parameter of group '{}': synapses "
                                  "do not read it yet; read the variable it links to",
                                  b->variable->name,
                                  b->side == ir::Side::pre ? sc.pre->name : sc.post_name()));
        if (sc.post_syn && b->side == ir::Side::post && b->ref == ir::NameRef::subexpr)
          diag_.error(n->loc, fmt::format("'{}' is a subexpression of synapses '{}': synapses "
                                          "onto synapses do not read the target's "
                                          "subexpressions yet; read the variables it is made of",
                                          b->target, sc.post_syn->name));
        n->ref = b->ref;
        n->side = b->side;
        n->target = b->target;
        return;
      }
      if (m_.find_timed(n->name)) {
        diag_.error(n->loc, fmt::format("'{}' is a timed array: call it as {}(t) or {}(t, i)",
                                        n->name, n->name, n->name));
        return;
      }
      if (is_function(n->name)) {
        diag_.error(n->loc,
                    fmt::format("'{}' is a function: call it as {}(...)", n->name, n->name));
        return;
      }
      diag_.error(n->loc, unknown_message(sc, n->name));
    });
  }

  void target(ir::Statement& s, const Scope& sc, Role role) {
    if (s.temporary) return; // a temporary's kernel name, set by inline_temporaries
    std::string name = s.var;
    bool named = role == Role::event_statement || role == Role::schedule_statement ||
                 role == Role::poisson_input;
    if (!s.object.empty() && !named) {
      // reset, init, on_pre, on_post: about their own object, never another.
      diag_.error(s.object_loc,
                  fmt::format("a statement here is about {} itself: write '{} {} "
                              "...' without '{}{}.'",
                              sc.syn ? "the synapses" : "the group", s.var, ir::to_string(s.op),
                              s.object, s.sliced() ? "[...]" : ""));
      return;
    }
    // In statements about a named object, the scope's own object is meant.
    auto b = lookup(sc, name);
    std::string where = sc.syn ? fmt::format("synapses '{}'", sc.syn->name)
                               : fmt::format("group '{}'", sc.group->name);
    if (!b) {
      diag_.error(s.var_loc, unknown_message(sc, name));
      return;
    }
    if (b->ref == ir::NameRef::constant && (sc.group ? sc.group->find_constant(name) != nullptr
                                                     : sc.syn->find_constant(name) != nullptr)) {
      diag_.error(s.var_loc,
                  fmt::format("'{}' is a constant of {} and is fixed when the model is compiled; "
                              "to change it during the run, declare it as a parameter, e.g. "
                              "'{} : 1 (shared)'",
                              name, where, name));
      return;
    }
    if (b->ref == ir::NameRef::subexpr) {
      diag_.error(s.var_loc, fmt::format("cannot assign to '{}': it is a subexpression, computed "
                                         "from its equation",
                                         name));
      return;
    }
    if (b->ref != ir::NameRef::variable) {
      diag_.error(s.var_loc,
                  fmt::format("cannot assign to '{}': it is not a variable of {}", name, where));
      return;
    }
    bool own = b->side == ir::Side::own;
    if (!own && (role == Role::init || named)) {
      diag_.error(s.var_loc, fmt::format("'{}' is not a variable of {}", name, where));
      return;
    }
    if (b->variable && b->variable->has(ir::Flag::linked)) {
      diag_.error(s.var_loc, fmt::format("cannot assign to '{}': it is linked to another "
                                         "group's variable ('link:'); assign that variable",
                                         name));
      return;
    }
    if (b->variable && b->variable->has(ir::Flag::constant) &&
        (role == Role::reset || role == Role::on_pre || role == Role::on_post ||
         role == Role::poisson_input)) {
      diag_.error(s.var_loc, fmt::format("cannot change '{}' during the run: it is flagged "
                                         "(constant)",
                                         name));
      return;
    }
    s.side = b->side;
    s.target = b->target;
    if (b->variable && b->variable->has(ir::Flag::shared)) shared_write(s, sc, role);
  }

  // A shared variable has one value for the object: Brian2 computes it once,
  // in its scalar code, from scalar values only.
  // (A poisson_input onto it adds one draw a step for the group, as
  // Brian2's PoissonInput onto a shared variable.)
  void shared_write(const ir::Statement& s, const Scope& sc, Role role) {
    if (role != Role::init && role != Role::event_statement && role != Role::schedule_statement &&
        role != Role::poisson_input) {
      // Brian2 refuses these too: "Writing to scalar variable ... not
      // allowed in this context" (its resetters and synaptic pathways).
      const char* where = role == Role::reset     ? "a reset or on_event block"
                          : role == Role::on_pre  ? "on_pre"
                          : role == Role::on_post ? "on_post"
                                                  : "this block";
      diag_.error(s.var_loc, fmt::format("the shared variable '{}' cannot be assigned in {} (one "
                                         "value for the object, and this runs per neuron or "
                                         "synapse; Brian2 refuses it too): assign it in 'init:', "
                                         "at top level or in an 'at'/'every' event",
                                         s.var, where));
      return;
    }
    std::string vector;
    std::function<void(const ir::ExprPtr&)> walk = [&](const ir::ExprPtr& n) {
      if (!vector.empty()) return;
      if (n->kind == ir::ExprKind::name) {
        if (n->ref == ir::NameRef::temporary) { // kept: drawn or computed per element
          bool draws = false;
          ir::visit(n->args.at(0), [&](const ir::ExprPtr& e) { draws |= ir::is_random_call(*e); });
          if (draws) {
            vector =
                fmt::format("the temporary '{}', which draws a random number per element", n->name);
            return;
          }
        } else if (n->ref == ir::NameRef::variable || n->ref == ir::NameRef::subexpr) {
          auto b = lookup(sc, n->name); // a subexpression's binding carries it too
          const ir::Variable* v = b ? b->variable : nullptr;
          if (n->side != ir::Side::own || !v || !v->has(ir::Flag::shared)) {
            vector = fmt::format("'{}', which has one value per element", n->name);
            return;
          }
        } else if (n->ref == ir::NameRef::builtin &&
                   (n->name == "i" || n->name == "j" || n->name == "lastspike" ||
                    n->name == "not_refractory" || n->name == "lastupdate")) {
          vector = fmt::format("'{}', which has one value per element", n->name);
          return;
        }
      }
      for (const ir::ExprPtr& a : n->args)
        walk(a);
    };
    walk(s.value);
    if (!vector.empty())
      diag_.error(ir::start_of(s.value),
                  fmt::format("cannot assign the shared variable '{}' from {}: a shared "
                              "variable has one value for the whole {} (Brian2: \"Cannot write "
                              "to scalar variable with an expression referring to vector "
                              "variable\")",
                              s.var, vector, sc.syn ? "synapses object" : "group"));
  }

  // A poisson_input adds to a variable of a neuron group.
  void poisson_input(ir::PoissonInput& pi) {
    ir::Statement& s = pi.statement;
    const ir::Group* g = m_.find_group(s.object);
    if (g && g->kind == ir::GroupKind::neurons) {
      object(s);
      return;
    }
    if (g || m_.find_synapses(s.object)) {
      diag_.error(s.object_loc,
                  fmt::format("poisson_input '{}' adds to a variable of a neuron group; '{}' is "
                              "{}",
                              pi.name, s.object,
                              !g                                  ? "a synapses object"
                              : g->kind == ir::GroupKind::poisson ? "a poisson group"
                                                                  : "a spike generator"));
      return;
    }
    object(s); // reports the unknown name
  }

  // `g.v = ...` outside a group: the object must exist.
  void object(ir::Statement& s) {
    if (const ir::Group* g = m_.find_group(s.object)) {
      if (s.sliced()) range(s.start, s.stop, *g, ir::start_of(s.start_expr));
      return;
    }
    if (m_.find_synapses(s.object)) {
      if (s.sliced())
        diag_.error(ir::start_of(s.start_expr),
                    fmt::format("'{}' is a synapses object: a statement may name part of a group "
                                "(P[a:b].x = ...), not part of synapses",
                                s.object));
      return;
    }
    std::vector<std::string> c;
    for (auto& g : m_.groups)
      c.push_back(g.name);
    for (auto& y : m_.synapses)
      c.push_back(y.name);
    diag_.error(s.object_loc, fmt::format("unknown group or synapses '{}'{}", s.object,
                                          did_you_mean(s.object, c)));
  }

  const ir::Group* group(const std::string& name, SourceLoc loc) {
    if (const ir::Group* g = m_.find_group(name)) return g;
    std::vector<std::string> c;
    for (auto& g : m_.groups)
      c.push_back(g.name);
    std::string extra = m_.find_synapses(name) ? fmt::format(" ('{}' is a synapses object)", name)
                                               : did_you_mean(name, c);
    diag_.error(loc, fmt::format("unknown group '{}'{}", name, extra));
    return nullptr;
  }

  void range(std::int64_t start, std::int64_t stop, const ir::Group& g, SourceLoc loc) {
    if (start < 0 || stop > g.size || start >= stop)
      diag_.error(loc, fmt::format("subgroup [{}:{}] is not within group '{}' of size {}", start,
                                   stop, g.name, g.size));
  }

  // A connect generator's `k` must not hide a name of the connect scope.
  void generator_var(const ir::Synapses& s) {
    const std::string& k = s.connect.gen_var;
    if (k.empty()) return;
    Scope sc = synapse_scope(m_, s);
    if (!sc.sides()) return;
    sc.synaptic_variables = false;
    if (lookup(sc, k) || k == "j")
      diag_.error(s.connect.gen_loc,
                  fmt::format("the generator's variable '{}' would hide the name '{}' of the "
                              "connect rule; call it k, for instance",
                              k, k));
  }

  // A custom event of the group `group` (reported elsewhere if there is no
  // such group).
  void event(const std::string& group, const std::string& name, SourceLoc loc) {
    const ir::Group* g = m_.find_group(group);
    if (!g || g->find_event(name)) return;
    std::vector<std::string> names;
    for (const ir::GroupEvent& e : g->events)
      names.push_back(e.name);
    diag_.error(loc, fmt::format("group '{}' has no event '{}'{}", group, name,
                                 names.empty() ? std::string(" (it has no 'events:')")
                                               : did_you_mean(name, names)));
  }

  void pathway(ir::GroupSlice& s, const char*) {
    const ir::Group* g = group(s.group, s.loc);
    if (g && s.sliced()) range(s.start, s.stop, *g, ir::start_of(s.start_expr));
  }

  // Synapses whose target is a synapses object `t` (Brian2's Synapses(G, S)):
  // each synapse of `s` reaches one synapse of `t`, j numbering them in their
  // order of creation. They are made after `t`'s, which must exist by then.
  void synapses_target(const ir::Synapses& s, const ir::Synapses& t) {
    auto refuse = [&](SourceLoc loc, const std::string& what) {
      diag_.error(loc,
                  fmt::format("synapses '{}' target the synapses '{}': {}", s.name, t.name, what));
    };
    if (&t == &s) return refuse(s.target.loc, "synapses cannot target themselves");
    if (&t > &s)
      return refuse(s.target.loc,
                    fmt::format("declare '{}' before '{}' (its synapses must exist when these "
                                "are made, as in Brian2, where '{}.connect' comes first)",
                                t.name, s.name, t.name));
    if (s.target.sliced())
      return refuse(ir::start_of(s.target.start_expr),
                    "a part of synapses cannot be a target; select the synapses in the "
                    "connect rule (a condition on j)");
    if (m_.target_synapses(t))
      return refuse(s.target.loc, fmt::format("'{}' target synapses themselves (a chain of "
                                              "synapses onto synapses is not supported)",
                                              t.name));
    for (const ir::Pathway& p : s.pathways)
      if (!p.pre)
        refuse(p.loc, fmt::format("synapses do not spike, so '{}' cannot have postsynaptic "
                                  "pathways ({})",
                                  s.name, p.block()));
    for (const ir::Variable& v : s.variables)
      if (v.has(ir::Flag::summed))
        refuse(v.loc,
               fmt::format("summed variables onto synapses ('{}') are not supported", v.name));
  }

  void monitor(ir::Monitor& mon) {
    const ir::Group* g = m_.find_group(mon.object);
    const ir::Synapses* syn = m_.find_synapses(mon.object);
    if (!g && !(syn && mon.kind == ir::MonitorKind::state)) {
      group(mon.object, mon.object_loc);
      return;
    }
    if (g && mon.start_expr) range(mon.start, mon.stop, *g, ir::start_of(mon.start_expr));
    if (mon.event != "spike") event(mon.object, mon.event, mon.event_loc);
    // Brian2 orders a slot's objects by name: its 'statemonitor' records
    // between the groups' updates and the synapses' ones; snnc after both.
    if (syn && !g && mon.when == "groups")
      diag_.error(mon.loc, fmt::format("when = groups is not supported yet for a monitor of "
                                       "synapses ('{}'): record at start, thresholds, resets or "
                                       "end",
                                       mon.object));
    for (std::size_t k = 0; k < mon.variables.size(); ++k) {
      const std::string& v = mon.variables[k];
      const ir::Variable* var = g ? g->find_variable(v) : syn->find_variable(v);
      bool builtin = g && g->refractory && (v == "lastspike" || v == "not_refractory");
      if (var && var->has(ir::Flag::linked)) {
        const ir::Link* l = g ? g->find_link(v) : nullptr;
        diag_.error(mon.variable_locs[k],
                    fmt::format("'{}' is linked to {}: record that variable instead (monitors "
                                "of linked parameters are not supported yet)",
                                v, l ? l->group + "." + l->source : std::string("another group")));
        continue;
      }
      if (!var && !builtin) {
        std::vector<std::string> c;
        for (auto& x : g ? g->variables : syn->variables)
          c.push_back(x.name);
        diag_.error(mon.variable_locs[k],
                    fmt::format("'{}' is not a variable of {} '{}'{}", v, g ? "group" : "synapses",
                                mon.object, did_you_mean(v, c)));
      }
    }
    if (g && !mon.record_all) {
      std::int64_t n = mon.start_expr ? mon.stop - mon.start : g->size;
      for (std::int64_t r : mon.record)
        if (r >= n) {
          diag_.error(ir::start_of(mon.record_expr),
                      fmt::format("recorded index {} is out of range: '{}' has {} neurons", r,
                                  mon.object, n));
          break;
        }
    }
    if (g && g->kind == ir::GroupKind::spikes && mon.kind == ir::MonitorKind::state)
      diag_.error(mon.object_loc,
                  fmt::format("spikes '{}' have no variables to record", mon.object));
  }

  ir::Model& m_;
  Diagnostics& diag_;
};

} // namespace

void resolve_names(ir::Model& m, Diagnostics& diag) {
  Resolver r(m, diag);
  r.run();
}

} // namespace snnc::passes
