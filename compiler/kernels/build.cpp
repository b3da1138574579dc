#include "kernels/build.h"

#include "kernels/integrate.h"
#include "kernels/symbolic.h"
#include "passes/scope.h"

#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>

namespace snnc::kir {

namespace {

// A user error the kernel builder finds (the checker accepts the model): a
// construct the runtime cannot run yet, or subexpressions that inline to a
// tree deeper than the compiler takes.
struct UnsupportedError {
  SourceLoc loc;
  std::string what;
};

// An expression `e` in kernel form, the subexpressions it uses inlined, as
// `k`; refused when that is deeper or larger than the compiler takes (each
// subexpression is checked too, where it is defined).
ExprPtr whole(ExprPtr k, const ExprPtr& e) {
  const char* advice = "; mark some subexpressions 'constant over dt', or write them as variables";
  if (k->depth > ir::kMaxExprDepth)
    throw UnsupportedError{ir::start_of(*e),
                           fmt::format("with the subexpressions it uses inlined, this expression "
                                       "is {} operations deep, more than the {} snnc takes{}",
                                       k->depth, ir::kMaxExprDepth, advice)};
  if (k->size > ir::kMaxInlinedSize)
    throw UnsupportedError{ir::start_of(*e),
                           fmt::format("with the subexpressions it uses inlined, this expression "
                                       "has {} operations, more than the {} snnc takes{}",
                                       k->size, ir::kMaxInlinedSize, advice)};
  return k;
}

// A state variable of the pre- or postsynaptic neuron: printed as x_pre /
// x_post, found by its target name and side.
ExprPtr side_var(const std::string& name, ir::Side side) {
  ExprPtr e = var(name);
  e->side = side;
  if (side == ir::Side::pre) e->name = name + "_pre";
  if (side == ir::Side::post) e->name = name + "_post";
  return e;
}

// The postsynaptic variable a summed variable writes: `I_post` writes I, a
// name without the suffix the variable of that name.
std::string summed_target(const std::string& n) {
  bool suffixed = n.size() > 5 && n.compare(n.size() - 5, 5, "_post") == 0;
  return suffixed ? n.substr(0, n.size() - 5) : n;
}

// A neuron group's kernel-form expression seen from a synapse: its variables
// become the pre- or postsynaptic side, its i the synapse's i or j.
ExprPtr to_side(const ExprPtr& e, ir::Side side) {
  if (e->kind == ir::ExprKind::name) {
    if (e->ref == ir::NameRef::variable) return side_var(e->target, side);
    if (e->ref == ir::NameRef::builtin && e->name == "i")
      return builtin(side == ir::Side::pre ? "i" : "j");
    if (e->ref == ir::NameRef::builtin && e->name == "N")
      return builtin(side == ir::Side::pre ? "N_pre" : "N_post");
    return e;
  }
  if (e->args.empty()) return e;
  auto copy = std::make_shared<ir::Expr>(*e);
  for (ExprPtr& a : copy->args)
    a = to_side(a, side);
  ir::update_shape(*copy);
  return copy;
}

// A copy of `e` with every name replaced by `name(that name)`.
template <class F> ExprPtr rewrite_names(const ExprPtr& e, const F& name) {
  if (e->kind == ir::ExprKind::name) return name(e);
  if (e->args.empty()) return e;
  auto copy = std::make_shared<ir::Expr>(*e);
  for (ExprPtr& a : copy->args)
    a = rewrite_names(a, name);
  ir::update_shape(*copy);
  return copy;
}

// A synapse's kernel-form expression with its sides swapped: i and j, N_pre
// and N_post, pre- and postsynaptic variables (see Kernel::by_target).
ExprPtr turned(const ExprPtr& e) {
  return rewrite_names(e, [](const ExprPtr& n) {
    if (n->ref == ir::NameRef::variable && n->side != ir::Side::own)
      return side_var(n->target, n->side == ir::Side::pre ? ir::Side::post : ir::Side::pre);
    if (n->ref == ir::NameRef::builtin)
      for (auto [a, b] : {std::pair{"i", "j"}, {"N_pre", "N_post"}}) {
        if (n->name == a) return builtin(b);
        if (n->name == b) return builtin(a);
      }
    return n;
  });
}

// A whole number, integer-typed.
ExprPtr whole_number(std::int64_t v) {
  ExprPtr n = num(static_cast<double>(v));
  n->integer_literal = true;
  return n;
}

// A constant or unit as a number literal (integer-typed if it is one).
// A constant or unit `name` as a number that remembers its name.
ExprPtr constant_number(const passes::Binding& b, const std::string& name) {
  ExprPtr n = num(b.type.value);
  n->integer_literal = b.type.type == ir::ValueType::integer;
  n->origin = name;
  if (b.constant && b.constant->expr) n->origin_text = ir::to_string(b.constant->expr);
  return n;
}

// IR expression (checked, in a group's scope) -> kernel form: constants and
// units become numbers, subexpressions are inlined, built-in state
// (lastspike, not_refractory) becomes variables.
class Kernelizer {
public:
  Kernelizer(const ir::Model& m, const ir::Group& g) : scope_(passes::group_scope(m, g)), g_(g) {
    scope_.noise = true; // noise names only reach here from differential equations
  }

  ExprPtr operator()(const ExprPtr& e) {
    return whole(rewrite_names(e, [this](const ExprPtr& n) { return name(n); }), e);
  }

private:
  ExprPtr name(const ExprPtr& e) {
    if (e->ref == ir::NameRef::temporary) return temp(e->target);
    auto b = passes::lookup(scope_, e->name);
    internal_check(b.has_value(), "kernelize: a name of a checked expression has no binding");
    switch (b->ref) {
    case ir::NameRef::constant:
    case ir::NameRef::unit:
      return constant_number(*b, e->name);
    case ir::NameRef::subexpr: {
      const ir::Variable* v = g_.find_variable(e->name);
      internal_check(v && v->rhs, "kernelize: subexpression without definition");
      // 'constant over dt': held in an array, computed once at the start of each step.
      if (v->has(ir::Flag::constant_over_dt)) return var(e->name);
      // Parenthesised by construction: the result is a subtree, built once
      // and shared by every reference (trees are not changed in place).
      auto done = inlined_.find(e->name);
      if (done != inlined_.end()) return done->second;
      return inlined_[e->name] = (*this)(v->rhs);
    }
    case ir::NameRef::variable:
      return var(e->name);
    case ir::NameRef::builtin:
      if (e->name == "lastspike" || e->name == "not_refractory") return var(e->name);
      return builtin(e->name);
    case ir::NameRef::noise: {
      ExprPtr n = ir::make_name(e->name, e->loc);
      n->ref = ir::NameRef::noise;
      return n;
    }
    default:
      internal_check(false, "kernelize: unexpected name reference");
      return e;
    }
  }

  passes::Scope scope_;
  const ir::Group& g_;
  std::map<std::string, ExprPtr> inlined_; // subexpressions in kernel form
};

// The same for synapse expressions (synapse scope, or a connect condition's).
class SynKernelizer {
public:
  SynKernelizer(const ir::Model& m, const ir::Synapses& s, bool connect)
      : m_(m), scope_(passes::synapse_scope(m, s)), s_(s) {
    scope_.synaptic_variables = !connect;
    if (connect) scope_.generator_var = s.connect.gen_var;
    scope_.noise = true;
  }

  ExprPtr operator()(const ExprPtr& e) {
    return whole(rewrite_names(e, [this](const ExprPtr& n) { return name(n); }), e);
  }

private:
  ExprPtr name(const ExprPtr& e) {
    if (e->ref == ir::NameRef::temporary) return temp(e->target);
    auto b = passes::lookup(scope_, e->name);
    internal_check(b.has_value(), "kernelize: a synapse name has no binding");
    switch (b->ref) {
    case ir::NameRef::constant:
    case ir::NameRef::unit:
      return constant_number(*b, e->name);
    case ir::NameRef::subexpr: {
      // Built once and shared by every reference, as in Kernelizer.
      auto done = inlined_.find(e->name);
      if (done != inlined_.end()) return done->second;
      return inlined_[e->name] = subexpression(*b);
    }
    case ir::NameRef::variable:
      return side_var(b->target, b->side);
    case ir::NameRef::builtin:
      if (b->side != ir::Side::own) {
        if (b->target == "N") return builtin(b->side == ir::Side::pre ? "N_pre" : "N_post");
        return side_var(b->target, b->side); // lastspike, not_refractory
      }
      if (e->name == "lastupdate") return var("lastupdate");
      if (e->name == "N_incoming" || e->name == "N_outgoing")
        throw UnsupportedError{e->loc, "'" + e->name + "' is not supported by the runtime yet"};
      return builtin(e->name);
    case ir::NameRef::noise: {
      ExprPtr n = ir::make_name(e->name, e->loc);
      n->ref = ir::NameRef::noise;
      return n;
    }
    default:
      internal_check(false, "kernelize: unexpected name reference");
      return e;
    }
  }

  // The subexpression bound as `b`, in kernel form.
  ExprPtr subexpression(const passes::Binding& b) {
    if (b.side == ir::Side::own) {
      const ir::Variable* v = s_.find_variable(b.target);
      internal_check(v && v->rhs, "kernelize: synaptic subexpression without definition");
      if (v->has(ir::Flag::constant_over_dt)) return side_var(b.target, b.side);
      return (*this)(v->rhs);
    }
    const ir::Group* g = b.side == ir::Side::pre ? scope_.pre : scope_.post;
    internal_check(g, "kernelize: a subexpression of target synapses (refused by resolve_names)");
    const ir::Variable* v = g->find_variable(b.target);
    internal_check(v && v->rhs, "kernelize: neuron subexpression without definition");
    if (v->has(ir::Flag::constant_over_dt)) return side_var(b.target, b.side);
    Kernelizer kz(m_, *g);
    return to_side(kz(v->rhs), b.side);
  }

  const ir::Model& m_;
  passes::Scope scope_;
  const ir::Synapses& s_;
  std::map<std::string, ExprPtr> inlined_; // subexpressions in kernel form
};

template <class K> std::vector<Assign> statements(const std::vector<ir::Statement>& ss, K& k) {
  std::vector<Assign> out;
  for (const ir::Statement& s : ss) {
    std::string name = s.target.empty() ? s.var : s.target;
    if (s.temporary) { // kept by inline_temporaries: a value of the kernel
      out.push_back({name, true, k(s.value), nullptr, ir::Side::own});
      continue;
    }
    ExprPtr target = side_var(name, s.side);
    ExprPtr value = k(s.value);
    switch (s.op) {
    case ir::AssignOp::set:
      break;
    case ir::AssignOp::add:
      value = ir::make_binary(ir::BinOp::add, target, value, {});
      break;
    case ir::AssignOp::sub:
      value = ir::make_binary(ir::BinOp::sub, target, value, {});
      break;
    case ir::AssignOp::mul:
      value = ir::make_binary(ir::BinOp::mul, target, value, {});
      break;
    case ir::AssignOp::div:
      value = ir::make_binary(ir::BinOp::div, target, value, {});
      break;
    }
    out.push_back({name, false, value, nullptr, s.side});
  }
  return out;
}

// Brian2's C++ and Cython code for a synapse keeps one local copy per name
// a block uses, loaded before the block and stored after it, so a
// postsynaptic variable named both `x` and `x_post` is two copies: a read
// under one name does not see a write under the other (`x += 1` then
// `y = x_post` reads the value before the block). The same here: such
// reads read the value from before the block, held in a temporary.
std::vector<ir::Statement> postsynaptic_names(const std::vector<ir::Statement>& block) {
  std::map<std::string, std::string> written; // target -> the name it was written under
  std::set<std::string> held;
  std::vector<ir::Statement> out;
  auto held_name = [](const std::string& target) { return "_before_post_" + target; };
  for (const ir::Statement& s0 : block) {
    ir::Statement s = s0;
    s.value = ir::rewrite(s.value, [&](const ExprPtr& n) -> ExprPtr {
      if (n->kind != ir::ExprKind::name) return nullptr;
      if (n->ref == ir::NameRef::temporary) return n; // computed where it was assigned
      if (n->ref != ir::NameRef::variable || n->side != ir::Side::post) return nullptr;
      auto w = written.find(n->target);
      if (w == written.end() || w->second == n->name) return nullptr;
      held.insert(n->target);
      return ir::make_kept_temporary(n->name, held_name(n->target), n, n->loc);
    });
    if (!s.temporary && s.side == ir::Side::post) {
      auto [w, fresh] = written.emplace(s.target, s.var);
      if (!fresh && w->second != s.var)
        throw UnsupportedError{s.var_loc,
                               fmt::format("'{}' and '{}' name one postsynaptic variable, and "
                                           "this block writes it under both: Brian2 keeps a "
                                           "copy per name and stores only one of them; write "
                                           "it under one name",
                                           w->second, s.var)};
    }
    out.push_back(std::move(s));
  }
  std::vector<ir::Statement> before;
  for (const std::string& t : held) {
    ir::Statement h;
    h.var = t + "_post";
    h.target = held_name(t);
    h.temporary = true;
    ExprPtr v = ir::make_name(t + "_post", {});
    v->ref = ir::NameRef::variable;
    v->side = ir::Side::post;
    v->target = t;
    h.value = v;
    before.push_back(std::move(h));
  }
  out.insert(out.begin(), before.begin(), before.end());
  return out;
}

class Builder {
public:
  Builder(ir::Model& m, Diagnostics& d) : m_(m), diag_(d) {}

  Module run() {
    for (const ir::TimedArray& t : m_.timed)
      mod_.timed.push_back(t.name);
    auto reporting = [&](auto&& build) {
      try {
        build();
      } catch (const UnsupportedError& e) {
        diag_.error(e.loc, e.what);
      }
    };
    for (ir::Group& g : m_.groups)
      reporting([&] { group(g); });
    for (ir::Synapses& y : m_.synapses)
      reporting([&] { synapses(y); });
    for (const ir::Event& e : m_.events) {
      std::vector<int> ks;
      for (const ir::Statement& s : e.statements)
        reporting([&] { ks.push_back(statement_kernel(s, "event")); });
      mod_.events.push_back(ks);
    }
    for (const ir::ScheduleItem& it : m_.schedule)
      reporting([&] {
        mod_.schedule_kernels.push_back(it.kind == ir::ScheduleItem::Kind::statement
                                            ? statement_kernel(it.statement, "set")
                                            : -1);
      });
    for (const ir::PoissonInput& pi : m_.poisson_inputs)
      reporting([&] { mod_.poisson_inputs.push_back(poisson_input_kernel(pi)); });
    linked_reads_of_synapses();
    if (diag_.has_errors()) return std::move(mod_);
    // Last, so that no other kernel's random stream moves.
    for (auto& [name, gk] : mod_.groups)
      if (gk.update >= 0 && gk.threshold >= 0) gk.step = step_kernel(gk);
    // In the kernels a group runs every step, N is the group's size, a
    // number: they may run over a part of the group (a thread's, or a
    // process's when the network is spread), where the kernel's element
    // count is the part's end.
    for (const ir::Group& g : m_.groups) {
      auto it = mod_.groups.find(g.name);
      if (it == mod_.groups.end()) continue;
      const GroupKernels& gk = it->second;
      std::map<std::string, ExprPtr> n = {
          {"N", ir::make_number(static_cast<double>(g.size), true, g.loc)}};
      auto fix = [&](const ExprPtr& e) { return e ? substitute(e, n, true) : e; };
      std::vector<int> ks = {gk.update, gk.threshold, gk.reset,  gk.observe,
                             gk.hold,   gk.step,      gk.derived};
      for (const EventKernels& ek : gk.events)
        ks.insert(ks.end(), {ek.condition, ek.statements});
      for (int k : ks) {
        if (k < 0) continue;
        Kernel& kk = mod_.kernels[static_cast<std::size_t>(k)];
        for (auto* list : {&kk.body, &kk.on_spike})
          for (Assign& a : *list) {
            a.value = fix(a.value);
            a.condition = fix(a.condition);
          }
        kk.condition = fix(kk.condition);
      }
    }
    return std::move(mod_);
  }

private:
  // Synapses do not read a linked parameter of their groups yet (a direct
  // read is refused by resolve_names; this finds those through inlined
  // subexpressions).
  void linked_reads_of_synapses() {
    for (const Kernel& k : mod_.kernels) {
      const ir::Synapses* y = m_.find_synapses(k.object);
      if (!y) continue;
      std::set<std::string> found;
      each_expression(k, [&](const ExprPtr& e) {
        ir::visit(e, [&](const ExprPtr& n) {
          if (n->kind != ir::ExprKind::name || n->ref != ir::NameRef::variable ||
              n->side == ir::Side::own)
            return;
          const ir::Group* g =
              m_.find_group(n->side == ir::Side::pre ? y->source.group : y->target.group);
          if (g && g->find_link(n->target) && found.insert(g->name + "." + n->target).second)
            diag_.error(y->loc, fmt::format("synapses '{}' read '{}', a linked parameter of "
                                            "group '{}' (through a subexpression): synapses do "
                                            "not read linked parameters yet",
                                            y->name, n->target, g->name));
        });
      });
    }
  }

  // The variable a kernel assigns, on its side of the object.
  const ir::Variable* target_variable(const Kernel& k, const Assign& a) const {
    std::string object = k.object;
    if (const ir::Synapses* y = m_.find_synapses(k.object)) {
      if (a.side == ir::Side::own) return y->find_variable(a.target);
      if (const ir::Synapses* t = m_.target_synapses(*y); t && a.side == ir::Side::post)
        return t->find_variable(a.target);
      object = a.side == ir::Side::pre ? y->source.group : y->target.group;
    }
    const ir::Group* g = m_.find_group(object);
    return g ? g->find_variable(a.target) : nullptr;
  }

  int add(Kernel k) {
    // As Brian2's C++ targets: a value stored into an integer variable is
    // truncated toward zero.
    for (auto* list : {&k.body, &k.on_spike})
      for (Assign& a : *list) {
        if (a.temporary) continue;
        const ir::Variable* v = target_variable(k, a);
        if (v && v->type == ir::ValueType::integer) a.value = call("int", {a.value});
        if (v && v->has(ir::Flag::shared)) a.scalar = true;
      }
    k.timed = mod_.timed;
    // Names are the module's symbols: `S_update` is both a synapses' update
    // and the kernel of its pathway 'update'; the later one is renamed.
    const std::string base = k.name;
    for (int n = 2; !names_.insert(k.name).second; ++n)
      k.name = fmt::format("{}_{}", base, n);
    k.stream = static_cast<std::uint64_t>(mod_.kernels.size()) + 1;
    mod_.kernels.push_back(std::move(k));
    return static_cast<int>(mod_.kernels.size()) - 1;
  }

  // A group's update and threshold in one loop, for the runtime to use when
  // nothing scheduled between them reads what the threshold writes: the same
  // operations, and the same random numbers (each part keeps its stream).
  int step_kernel(const GroupKernels& gk) {
    const Kernel& update = mod_.kernels[static_cast<std::size_t>(gk.update)];
    const Kernel& threshold = mod_.kernels[static_cast<std::size_t>(gk.threshold)];
    Kernel k = update;
    k.name = update.object + "_step";
    k.kind = KernelKind::step;
    k.condition = threshold.condition;
    k.on_spike = threshold.on_spike;
    k.condition_stream = threshold.stream;
    k.source = {"the update and the threshold of " + update.object + " in one loop"};
    mod_.kernels.push_back(std::move(k));
    return static_cast<int>(mod_.kernels.size()) - 1;
  }

  Kernel kernel(const std::string& name, KernelKind kind, const ir::Group& g) {
    Kernel k;
    k.name = name;
    k.kind = kind;
    k.object = g.name;
    k.variables = mod_.groups[g.name].variables;
    for (const ir::Link& l : g.links)
      if (!l.index_var.empty())
        k.gathered.emplace_back(l.var, l.index_var);
      else if (const ir::Group* src = m_.find_group(l.group); src && src->size == 1 && g.size != 1)
        k.broadcast.push_back(l.var);
    return k;
  }

  void group(ir::Group& g) {
    GroupKernels& gk = mod_.groups[g.name];
    for (const ir::Variable& v : g.variables)
      if (v.kind != ir::VarKind::subexpression) gk.variables.push_back(v.name);
    if (g.refractory) {
      gk.variables.push_back("lastspike");
      gk.variables.push_back("not_refractory");
    }
    if (g.kind == ir::GroupKind::spikes) return; // driven by the runtime
    Kernelizer kz(m_, g);
    // Subexpressions 'constant over dt' are held in arrays (as Brian2 makes
    // them parameters), computed at the start of each step.
    std::vector<const ir::Variable*> held = held_subexpressions(g.variables);
    for (const ir::Variable* v : held)
      gk.variables.push_back(v->name);
    // Other monitored subexpressions get arrays of their own, filled before recording.
    std::vector<const ir::Variable*> observed = monitored_subexpressions(g.name, g.variables);
    for (const ir::Variable* v : observed)
      gk.variables.push_back(v->name);

    // init: Brian2's defaults, then the model's init statements.
    Kernel init = kernel(g.name + "_init", KernelKind::statements, g);
    if (g.refractory) {
      init.body.push_back({"lastspike", false, num(-1e4), nullptr});
      init.body.push_back({"not_refractory", false, num(1), nullptr});
    }
    for (Assign& a : statements(g.init, kz))
      init.body.push_back(std::move(a));
    for (const ir::Statement& st : g.init)
      init.source.push_back("init: " + ir::to_string(st));
    gk.init = add(std::move(init));

    Kernel update = kernel(g.name + "_update", KernelKind::update, g);
    for (const ir::Variable& v : g.variables)
      if (v.kind == ir::VarKind::differential)
        update.source.push_back(fmt::format("d{}/dt = {}", v.name, ir::to_string(v.rhs)));
    if (g.refractory) update.source.push_back("refractory: " + ir::to_string(g.refractory));
    if (!integrate(g, kz_fn(kz), update.body, m_.dt, stepwise(), diag_)) return;
    if (!update.source.empty())
      update.source.push_back(fmt::format("method: {}{}", ir::to_string(g.method),
                                          g.method_chosen ? " (chosen as Brian2 would)" : ""));
    if (!update.body.empty()) gk.update = add(std::move(update));

    if (g.threshold) {
      Kernel th = kernel(g.name + "_threshold", KernelKind::threshold, g);
      th.condition = kz(g.threshold);
      th.source.push_back("threshold: " + ir::to_string(g.threshold));
      if (g.refractory) {
        th.condition = ir::make_binary(ir::BinOp::and_, th.condition, var("not_refractory"), {});
        th.on_spike.push_back({"lastspike", false, builtin("t"), nullptr});
        th.on_spike.push_back({"not_refractory", false, num(0), nullptr});
      }
      gk.threshold = add(std::move(th));
    }
    if (!held.empty()) {
      Kernel hk = kernel(g.name + "_hold", KernelKind::statements, g);
      compute_subexpressions(hk, held, kz, "constant over dt");
      gk.hold = add(std::move(hk));
    }
    if (!observed.empty()) {
      Kernel ob = kernel(g.name + "_observe", KernelKind::statements, g);
      compute_subexpressions(ob, observed, kz, "recorded by a monitor");
      gk.observe = add(std::move(ob));
    }
    if (!g.reset.empty()) {
      Kernel rs = kernel(g.name + "_reset", KernelKind::reset, g);
      rs.body = statements(g.reset, kz);
      for (const ir::Statement& st : g.reset)
        rs.source.push_back("reset: " + ir::to_string(st));
      gk.reset = add(std::move(rs));
    }
    // Custom events: a condition not held back by refractoriness (Brian2's
    // thresholder of an event), statements over the event's neurons.
    for (const ir::GroupEvent& e : g.events) {
      EventKernels ek;
      ek.name = e.name;
      Kernel th = kernel(g.name + "_" + e.name + "_thresholder", KernelKind::threshold, g);
      th.condition = kz(e.condition);
      th.source.push_back(fmt::format("events: {}: {}", e.name, ir::to_string(e.condition)));
      ek.condition = add(std::move(th));
      if (!e.statements.empty()) {
        Kernel rs = kernel(g.name + "_" + e.name + "_resetter", KernelKind::reset, g);
        rs.body = statements(e.statements, kz);
        for (const ir::Statement& st : e.statements)
          rs.source.push_back(fmt::format("on_event {}: {}", e.name, ir::to_string(st)));
        ek.statements = add(std::move(rs));
      }
      gk.events.push_back(ek);
    }
  }

  // Timed arrays whose dt is a whole number of steps.
  std::set<std::string> stepwise() const {
    std::set<std::string> out;
    for (const ir::TimedArray& t : m_.timed) {
      double r = t.dt / m_.dt;
      if (std::fabs(r - std::round(r)) < 1e-9 * r) out.insert(t.name);
    }
    return out;
  }

  // Assignments computing subexpressions into their arrays, in order.
  template <class Kz>
  static void compute_subexpressions(Kernel& k, const std::vector<const ir::Variable*>& vars,
                                     Kz& kz, const char* why) {
    for (const ir::Variable* v : vars) {
      k.body.push_back({v->name, false, kz(v->rhs), nullptr});
      k.source.push_back(fmt::format("{} = {} ({})", v->name, ir::to_string(v->rhs), why));
    }
  }

  // The subexpressions marked 'constant over dt', each after those it reads,
  // directly or through other subexpressions (check_units rejects cycles).
  static std::vector<const ir::Variable*>
  held_subexpressions(const std::vector<ir::Variable>& vars) {
    std::vector<const ir::Variable*> out;
    std::set<std::string> done;
    std::function<void(const ir::Variable&)> visit = [&](const ir::Variable& v) {
      if (done.count(v.name)) return;
      done.insert(v.name);
      std::function<void(const ir::ExprPtr&)> walk = [&](const ir::ExprPtr& e) {
        if (!e) return;
        if (e->kind == ir::ExprKind::name)
          for (const ir::Variable& w : vars)
            if (w.name == e->name && w.kind == ir::VarKind::subexpression) {
              if (w.has(ir::Flag::constant_over_dt))
                visit(w);
              else
                walk(w.rhs); // inlined, so what it reads counts
            }
        for (const ir::ExprPtr& a : e->args)
          walk(a);
      };
      walk(v.rhs);
      out.push_back(&v);
    };
    for (const ir::Variable& v : vars)
      if (v.kind == ir::VarKind::subexpression && v.has(ir::Flag::constant_over_dt)) visit(v);
    return out;
  }

  // The subexpressions of an object that some monitor records (and that are
  // not held in arrays anyway).
  std::vector<const ir::Variable*> monitored_subexpressions(const std::string& object,
                                                            const std::vector<ir::Variable>& vars) {
    std::vector<const ir::Variable*> out;
    for (const ir::Variable& v : vars) {
      if (v.kind != ir::VarKind::subexpression || v.has(ir::Flag::constant_over_dt)) continue;
      for (const ir::Monitor& mon : m_.monitors)
        if (mon.object == object &&
            std::find(mon.variables.begin(), mon.variables.end(), v.name) != mon.variables.end()) {
          out.push_back(&v);
          break;
        }
    }
    return out;
  }

  static std::function<ExprPtr(const ExprPtr&)> kz_fn(Kernelizer& kz) {
    return [&kz](const ExprPtr& e) { return kz(e); };
  }

  int statement_kernel(const ir::Statement& s, const char* what) {
    const ir::Group* g = m_.find_group(s.object);
    if (!g) {
      const ir::Synapses* y = m_.find_synapses(s.object);
      internal_check(y != nullptr, "a statement on an unknown object");
      SynKernelizer kz(m_, *y, false);
      Kernel k = syn_kernel(fmt::format("{}_{}_{}", y->name, what, mod_.kernels.size()),
                            KernelKind::syn_all, *y);
      k.body = statements(std::vector<ir::Statement>{s}, kz);
      return add(std::move(k));
    }
    Kernelizer kz(m_, *g);
    Kernel k = kernel(fmt::format("{}_{}_{}", g->name, what, mod_.kernels.size()),
                      KernelKind::statements, *g);
    if (!s.sliced()) {
      k.body = statements({s}, kz);
      return add(std::move(k));
    }
    // On P[a:b] the kernel runs over neurons a to b-1 (the runtime's range),
    // and the subgroup's i and N are Brian2's: i - a and b - a.
    auto part = [&](const ExprPtr& e) {
      return rewrite_names(kz(e), [&](const ExprPtr& n) {
        if (n->ref != ir::NameRef::builtin) return n;
        if (n->name == "i") return kir::sub(n, whole_number(s.start));
        if (n->name == "N") return whole_number(s.stop - s.start);
        return n;
      });
    };
    k.body = statements({s}, part);
    return add(std::move(k));
  }

  // A poisson_input's statement, run every step over its neurons (on parts
  // of them on threads or processes: i and N are the group's, or the
  // subgroup's, as numbers), as a Brian2 code object: the write to an
  // `(unless refractory)` variable waits while the neuron is refractory.
  int poisson_input_kernel(const ir::PoissonInput& pi) {
    const ir::Statement& s = pi.statement;
    const ir::Group* g = m_.find_group(s.object);
    internal_check(g != nullptr, "a poisson_input on an unknown group");
    Kernelizer kz(m_, *g);
    Kernel k =
        kernel(fmt::format("{}_poisson_input_{}", g->name, pi.name), KernelKind::statements, *g);
    std::int64_t first = s.sliced() ? s.start : 0, size = s.sliced() ? s.stop - s.start : g->size;
    auto part = [&](const ExprPtr& e) {
      return rewrite_names(kz(e), [&](const ExprPtr& n) {
        if (n->ref != ir::NameRef::builtin) return n;
        if (n->name == "i" && first != 0) return kir::sub(n, whole_number(first));
        if (n->name == "N") return whole_number(size);
        return n;
      });
    };
    k.body = statements({s}, part);
    const ir::Variable* v = g->find_variable(s.var);
    if (g->refractory && v && v->has(ir::Flag::unless_refractory))
      for (Assign& a : k.body)
        if (!a.temporary && a.target == s.target)
          a.condition = side_var("not_refractory", ir::Side::own);
    return add(std::move(k));
  }

  // Brian2's `j = e for k in range(...) if c` in the connect kernel `c`:
  // k becomes the built-in `_k`; the range and j may use i and the
  // presynaptic neuron, not j. Over i (`i = e for ...`), the same in the
  // kernel, with i and j swapped by `ck`, and in the messages.
  template <class K, class U>
  void generator(const ir::Synapses& y, K& ck, Kernel& c, const U& uses_j) {
    const ir::Connect& g = y.connect;
    const char *outer = g.gen_i ? "j" : "i", *made = g.gen_i ? "i" : "j";
    const char *outer_side = g.gen_i ? "postsynaptic" : "presynaptic",
               *made_side = g.gen_i ? "presynaptic" : "postsynaptic";
    auto with_k = [&](const ExprPtr& e) {
      return rewrite_names(ck(e), [&](const ExprPtr& n) {
        if (n->ref == ir::NameRef::builtin && !g.gen_var.empty() && n->name == g.gen_var)
          return builtin("_k");
        return n;
      });
    };
    auto index = [&](const ExprPtr& e, std::int64_t otherwise, const std::string& what) {
      if (!e) return whole_number(otherwise);
      ExprPtr k = ck(e);
      if (uses_j(k))
        throw UnsupportedError{ir::start_of(e),
                               fmt::format("the {} may use {} and {} variables, not {}, {} "
                                           "variables or rand()",
                                           what, outer, outer_side, made, made_side)};
      return k;
    };
    const char* in = g.gen_size ? "sample" : "range";
    auto of = [&](const char* what) {
      return fmt::format("{} of a connect generator's {}", what, in);
    };
    c.gen_low = index(g.gen_range.empty() ? nullptr : g.gen_range[0], 0, of("start"));
    c.gen_high = index(g.gen_range.empty() ? nullptr : g.gen_range[1], 1, of("stop"));
    c.gen_step = index(g.gen_range.empty() ? nullptr : g.gen_range[2], 1, of("step"));
    if (g.gen_size) c.gen_size = index(g.gen_size, 0, of("size"));
    if (auto s = kir::value_of(c.gen_step); s && *s == 0)
      throw UnsupportedError{ir::start_of(g.gen_range[2]), "range's step must not be 0"};
    c.gen_j = with_k(g.gen_j);
    if (uses_j(c.gen_j))
      throw UnsupportedError{ir::start_of(g.gen_j),
                             fmt::format("a connect generator's {} may use {}, its variable and "
                                         "{} variables, not {}, {} variables or rand()",
                                         made, outer, outer_side, made, made_side)};
    if (g.condition) c.condition = with_k(g.condition);
    // As Brian2: a condition on j (or the target's variables) is checked only
    // where j is valid; otherwise an invalid j that the condition takes is
    // the error.
    c.condition_uses_j = false;
    if (c.condition)
      ir::visit(c.condition, [&](const ExprPtr& n) {
        if (n->kind == ir::ExprKind::name &&
            ((n->ref == ir::NameRef::builtin && n->name == "j") ||
             (n->ref == ir::NameRef::variable && n->side == ir::Side::post)))
          c.condition_uses_j = true;
      });
    c.skip_invalid = g.skip_if_invalid;
    c.by_target = g.gen_i;
    if (c.by_target) std::swap(c.pre_variables, c.post_variables);
  }

  Kernel syn_kernel(const std::string& name, KernelKind kind, const ir::Synapses& y) {
    Kernel k;
    k.name = name;
    k.kind = kind;
    k.object = y.name;
    k.variables = mod_.synapses[y.name].variables;
    k.pre_variables = mod_.groups[y.source.group].variables;
    // Onto synapses: the target's variables (built before, as it is declared before).
    const ir::Synapses* t = m_.target_synapses(y);
    k.post_variables =
        t ? mod_.synapses.at(t->name).variables : mod_.groups[y.target.group].variables;
    return k;
  }

  void synapses(ir::Synapses& y) {
    SynapseKernels& sk = mod_.synapses[y.name];
    bool event_driven = false;
    for (const ir::Variable& v : y.variables) {
      if (v.kind == ir::VarKind::subexpression) continue;
      sk.variables.push_back(v.name);
      event_driven =
          event_driven || (v.kind == ir::VarKind::differential && v.has(ir::Flag::event_driven));
    }
    if (event_driven) sk.variables.push_back("lastupdate");
    SynKernelizer kz(m_, y, false);
    std::vector<const ir::Variable*> held = held_subexpressions(y.variables);
    for (const ir::Variable* v : held)
      sk.variables.push_back(v->name);
    std::vector<const ir::Variable*> observed = monitored_subexpressions(y.name, y.variables);
    for (const ir::Variable* v : observed)
      sk.variables.push_back(v->name);

    // Delays: one value, or a variable computed per synapse at creation.
    for (const ir::Pathway& p : y.pathways) {
      PathwayKernel pk;
      pk.name = p.name;
      pk.pre = p.pre;
      if (p.delay) {
        if (auto v = value_of(kz(p.delay))) {
          pk.delay = *v;
        } else {
          pk.delay_variable = p.delay_variable();
          sk.variables.push_back(pk.delay_variable);
        }
      }
      sk.pathways.push_back(std::move(pk));
    }

    if (y.connect.present && y.connect.i_values.empty() && y.connect.load_path.empty()) {
      SynKernelizer kernelized(m_, y, true);
      auto ck = [&](const ExprPtr& e) {
        return y.connect.gen_i ? turned(kernelized(e)) : kernelized(e);
      };
      Kernel c = syn_kernel(y.name + "_connect", KernelKind::syn_connect, y);
      ExprPtr cond = y.connect.condition ? ck(y.connect.condition) : ir::make_bool(true, {});
      if (y.connect.one_to_one)
        cond = ir::make_binary(ir::BinOp::and_, cond,
                               ir::make_binary(ir::BinOp::eq, builtin("i"), builtin("j"), {}), {});
      c.condition = cond;
      if (y.connect.p) c.connect_p = ck(y.connect.p);
      if (y.connect.n) c.connect_n = ck(y.connect.n);
      auto uses_j = [](const ExprPtr& e) {
        bool found = false;
        if (e)
          ir::visit(e, [&](const ExprPtr& n) {
            if (n->kind == ir::ExprKind::name &&
                ((n->ref == ir::NameRef::builtin && n->name == "j") ||
                 (n->ref == ir::NameRef::variable && n->side == ir::Side::post)))
              found = true;
            if (ir::is_random_call(*n)) found = true;
          });
        return found;
      };
      c.skip_ahead = c.connect_p && !uses_j(c.condition) && !uses_j(c.connect_p) &&
                     !uses_j(c.connect_n) && !y.connect.gen_j;
      if (y.connect.gen_j) generator(y, ck, c, uses_j);
      sk.connect = add(std::move(c));
    }

    Kernel init = syn_kernel(y.name + "_init", KernelKind::syn_all, y);
    for (std::size_t k = 0; k < y.pathways.size(); ++k)
      if (!sk.pathways[k].delay_variable.empty())
        init.body.push_back(
            {sk.pathways[k].delay_variable, false, kz(y.pathways[k].delay), nullptr});
    for (Assign& a : statements(y.init, kz))
      init.body.push_back(std::move(a));
    if (!init.body.empty()) sk.init = add(std::move(init));

    // Event-driven variables: their exact solution over (t - lastupdate).
    std::vector<Assign> catch_up;
    if (event_driven) {
      ir::Group pseudo;
      pseudo.name = y.name;
      pseudo.method = ir::Method::exact;
      for (const ir::Variable& v : y.variables)
        if (v.kind == ir::VarKind::differential && v.has(ir::Flag::event_driven))
          pseudo.variables.push_back(v);
      pseudo.method_loc = pseudo.variables.front().loc;
      // As Brian2: the `exact` update with dt replaced by (t - lastupdate).
      if (!integrate(pseudo, kz_syn(kz), catch_up, m_.dt, stepwise(), diag_)) return;
      std::map<std::string, ExprPtr> subs = {{"dt", sub(builtin("t"), var("lastupdate"))}};
      for (Assign& a : catch_up)
        a.value = substitute(a.value, subs);
    }
    auto pathway = [&](const ir::Pathway& p) {
      Kernel k = syn_kernel(y.name + "_" + p.name, KernelKind::syn_selected, y);
      for (const ir::Variable& v : y.variables)
        if (v.has(ir::Flag::event_driven))
          k.source.push_back(
              fmt::format("d{}/dt = {} (event-driven)", v.name, ir::to_string(v.rhs)));
      for (const ir::Statement& st : p.statements)
        k.source.push_back(fmt::format("{}: {}", p.block(), ir::to_string(st)));
      k.body = catch_up;
      for (Assign& a : statements(postsynaptic_names(p.statements), kz)) {
        refractory_write(a, y);
        k.body.push_back(std::move(a));
      }
      if (event_driven) k.body.push_back({"lastupdate", false, builtin("t"), nullptr});
      // Onto synapses, on one thread (the target synapses are not parted).
      k.split =
          m_.target_synapses(y) ? ir::Side::own : split_side(k, y.source.group == y.target.group);
      return add(std::move(k));
    };
    for (std::size_t k = 0; k < y.pathways.size(); ++k)
      sk.pathways[k].kernel = pathway(y.pathways[k]);

    // Clock-driven equations.
    ir::Group clock;
    clock.name = y.name;
    clock.method = y.method;
    clock.method_loc = y.method_loc;
    for (const ir::Variable& v : y.variables)
      if (v.kind == ir::VarKind::differential && !v.has(ir::Flag::event_driven))
        clock.variables.push_back(v);
    if (!clock.variables.empty()) {
      Kernel u = syn_kernel(y.name + "_update", KernelKind::syn_all, y);
      if (!integrate(clock, kz_syn(kz), u.body, m_.dt, stepwise(), diag_)) return;
      y.method = clock.method;
      sk.update = add(std::move(u));
    }

    // Summed variables: target_post += expression, after the runtime zeroed it.
    Kernel sum = syn_kernel(y.name + "_summed", KernelKind::syn_all, y);
    for (const ir::Variable& v : y.variables) {
      if (!v.has(ir::Flag::summed)) continue;
      std::string target = summed_target(v.name);
      sum.body.push_back(
          {target, false,
           ir::make_binary(ir::BinOp::add, side_var(target, ir::Side::post), kz(v.rhs), {}),
           nullptr, ir::Side::post});
      sk.summed_targets.push_back(target);
    }
    if (!sum.body.empty()) sk.summed = add(std::move(sum));
    if (!held.empty()) {
      Kernel hk = syn_kernel(y.name + "_hold", KernelKind::syn_all, y);
      compute_subexpressions(hk, held, kz, "constant over dt");
      sk.hold = add(std::move(hk));
    }
    if (!observed.empty()) {
      Kernel ob = syn_kernel(y.name + "_observe", KernelKind::syn_all, y);
      // A monitor of a summed variable's name records what Brian2 records
      // under that name: the postsynaptic target, seen from each synapse.
      for (const ir::Variable* v : observed)
        if (v->has(ir::Flag::summed)) {
          std::string target = summed_target(v->name);
          ob.body.push_back({v->name, false, side_var(target, ir::Side::post), nullptr});
          ob.source.push_back(fmt::format("{} = {} (recorded by a monitor: the postsynaptic {})",
                                          v->name, v->name, target));
        }
      std::vector<const ir::Variable*> rest;
      for (const ir::Variable* v : observed)
        if (!v->has(ir::Flag::summed)) rest.push_back(v);
      compute_subexpressions(ob, rest, kz, "recorded by a monitor");
      sk.observe = add(std::move(ob));
    }
  }

  // As Brian2's conditional writes: a synaptic update of a neuron's
  // `(unless refractory)` variable only happens while it is not refractory.
  void refractory_write(Assign& a, const ir::Synapses& y) {
    if (a.side == ir::Side::own) return;
    const ir::Group* g = m_.find_group(a.side == ir::Side::pre ? y.source.group : y.target.group);
    const ir::Variable* v = g ? g->find_variable(a.target) : nullptr;
    if (g && g->refractory && v && v->has(ir::Flag::unless_refractory))
      a.condition = side_var("not_refractory", a.side);
  }

  static Kernelize kz_syn(SynKernelizer& kz) {
    return [&kz](const ExprPtr& e) { return kz(e); };
  }

  ir::Model& m_;
  Diagnostics& diag_;
  Module mod_;
  std::set<std::string> names_; // of the kernels so far
};

} // namespace

Module build_kernels(ir::Model& m, Diagnostics& diag) {
  Builder b(m, diag);
  return b.run();
}

} // namespace snnc::kir
