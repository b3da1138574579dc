#include "kernels/build.h"

#include "kernels/integrate.h"
#include "kernels/symbolic.h"
#include "passes/scope.h"

#include <cmath>
#include <fmt/format.h>

namespace snnc::kir {

namespace {

// IR expression (checked, in a group's scope) -> kernel form: constants and
// units become numbers, subexpressions are inlined, built-in state
// (lastspike, not_refractory) becomes variables.
class Kernelizer {
public:
  Kernelizer(const ir::Model& m, const ir::Group& g) : scope_(passes::group_scope(m, g)), g_(g) {
    scope_.noise = true; // noise names only reach here from differential equations
  }

  ExprPtr operator()(const ExprPtr& e) {
    if (e->kind == ir::ExprKind::name) return name(e);
    if (e->args.empty()) return e;
    auto copy = std::make_shared<ir::Expr>(*e);
    for (ExprPtr& a : copy->args) a = (*this)(a);
    return copy;
  }

private:
  ExprPtr name(const ExprPtr& e) {
    auto b = passes::lookup(scope_, e->name);
    internal_check(b.has_value(), "kernelize: a name of a checked expression has no binding");
    switch (b->ref) {
    case ir::NameRef::constant:
    case ir::NameRef::unit: {
      ExprPtr n = num(b->type.value);
      n->integer_literal = b->type.type == ir::ValueType::integer;
      return n;
    }
    case ir::NameRef::subexpr: {
      const ir::Variable* v = g_.find_variable(e->name);
      internal_check(v && v->rhs, "kernelize: subexpression without definition");
      // Parenthesised by construction: the result is a subtree.
      return (*this)(v->rhs);
    }
    case ir::NameRef::variable: return var(e->name);
    case ir::NameRef::builtin:
      if (e->name == "lastspike" || e->name == "not_refractory") return var(e->name);
      return builtin(e->name);
    case ir::NameRef::noise: {
      ExprPtr n = ir::make_name(e->name, e->loc);
      n->ref = ir::NameRef::noise;
      return n;
    }
    default: internal_check(false, "kernelize: unexpected name reference"); return e;
    }
  }

  passes::Scope scope_;
  const ir::Group& g_;
};

std::vector<Assign> statements(const std::vector<ir::Statement>& ss, Kernelizer& k) {
  std::vector<Assign> out;
  for (const ir::Statement& s : ss) {
    ExprPtr target = var(s.var);
    ExprPtr value = k(s.value);
    switch (s.op) {
    case ir::AssignOp::set: break;
    case ir::AssignOp::add: value = ir::make_binary(ir::BinOp::add, target, value, {}); break;
    case ir::AssignOp::sub: value = ir::make_binary(ir::BinOp::sub, target, value, {}); break;
    case ir::AssignOp::mul: value = ir::make_binary(ir::BinOp::mul, target, value, {}); break;
    case ir::AssignOp::div: value = ir::make_binary(ir::BinOp::div, target, value, {}); break;
    }
    out.push_back({s.var, false, value, nullptr});
  }
  return out;
}

class Builder {
public:
  Builder(ir::Model& m, Diagnostics& d) : m_(m), diag_(d) {}

  Module run() {
    for (const ir::TimedArray& t : m_.timed) mod_.timed.push_back(t.name);
    for (ir::Group& g : m_.groups) group(g);
    for (const ir::Event& e : m_.events) {
      std::vector<int> ks;
      for (const ir::Statement& s : e.statements) ks.push_back(statement_kernel(s, "event"));
      mod_.events.push_back(ks);
    }
    for (const ir::ScheduleItem& it : m_.schedule)
      mod_.schedule_kernels.push_back(it.kind == ir::ScheduleItem::Kind::statement
                                          ? statement_kernel(it.statement, "set")
                                          : -1);
    return std::move(mod_);
  }

private:
  int add(Kernel k) {
    k.timed = mod_.timed;
    k.stream = static_cast<std::uint64_t>(mod_.kernels.size()) + 1;
    mod_.kernels.push_back(std::move(k));
    return static_cast<int>(mod_.kernels.size()) - 1;
  }

  Kernel kernel(const std::string& name, KernelKind kind, const ir::Group& g) {
    Kernel k;
    k.name = name;
    k.kind = kind;
    k.object = g.name;
    k.variables = mod_.groups[g.name].variables;
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

    // init: Brian2's defaults, then the model's init statements.
    Kernel init = kernel(g.name + "_init", KernelKind::statements, g);
    if (g.refractory) {
      init.body.push_back({"lastspike", false, num(-1e4), nullptr});
      init.body.push_back({"not_refractory", false, num(1), nullptr});
    }
    for (Assign& a : statements(g.init, kz)) init.body.push_back(std::move(a));
    gk.init = add(std::move(init));

    Kernel update = kernel(g.name + "_update", KernelKind::update, g);
    if (!integrate(g, kz_fn(kz), update.body, m_.dt, stepwise(), diag_)) return;
    if (!update.body.empty()) gk.update = add(std::move(update));

    if (g.threshold) {
      Kernel th = kernel(g.name + "_threshold", KernelKind::threshold, g);
      th.condition = kz(g.threshold);
      if (g.refractory) {
        th.condition = ir::make_binary(ir::BinOp::and_, th.condition, var("not_refractory"), {});
        th.on_spike.push_back({"lastspike", false, builtin("t"), nullptr});
        th.on_spike.push_back({"not_refractory", false, num(0), nullptr});
      }
      gk.threshold = add(std::move(th));
    }
    if (!g.reset.empty()) {
      Kernel rs = kernel(g.name + "_reset", KernelKind::reset, g);
      rs.body = statements(g.reset, kz);
      gk.reset = add(std::move(rs));
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

  static std::function<ExprPtr(const ExprPtr&)> kz_fn(Kernelizer& kz) {
    return [&kz](const ExprPtr& e) { return kz(e); };
  }

  int statement_kernel(const ir::Statement& s, const char* what) {
    const ir::Group* g = m_.find_group(s.object);
    if (!g) return -1; // synapses: no kernels yet (snnc run refuses synapses)
    Kernelizer kz(m_, *g);
    Kernel k = kernel(fmt::format("{}_{}_{}", g->name, what, mod_.kernels.size()),
                      KernelKind::statements, *g);
    k.body = statements({s}, kz);
    return add(std::move(k));
  }

  ir::Model& m_;
  Diagnostics& diag_;
  Module mod_;
};

} // namespace

Module build_kernels(ir::Model& m, Diagnostics& diag) {
  Builder b(m, diag);
  return b.run();
}

} // namespace snnc::kir
