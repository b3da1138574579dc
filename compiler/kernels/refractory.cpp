#include "kernels/refractory.h"

#include "ir/clock.h"
#include "kernels/symbolic.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>

namespace snnc::kir {

namespace {

const char* const kNotRefractory = "not_refractory";

// Where a kernel runs, for the rule of what may read not_refractory.
enum class Role {
  in_step, // after the group's update and before the end of the step
  init,    // the group's init, before any step
  other,   // events, statements, held or observed subexpressions, synaptic
           // updates and summed variables (before the update, or between runs)
};

// The group a name or assignment refers to: the kernel's object for own
// names in a group kernel, the pre- or postsynaptic group in a synapse
// kernel, "" for a synapse's own variables.
struct Object {
  std::string own, pre, post;
  const std::string& group(ir::Side side) const {
    return side == ir::Side::pre ? pre : side == ir::Side::post ? post : own;
  }
};

// The refractory period of a group's update kernel, if its not_refractory is
// not_refractory_value(<numbers>).
std::optional<double> refractory_period(const Kernel& update) {
  for (const Assign& a : update.body) {
    if (a.temporary || a.target != kNotRefractory || a.condition) continue;
    const ExprPtr& v = a.value;
    if (v->kind != ir::ExprKind::call || v->name != "timestep_at_least") return std::nullopt;
    const ExprPtr& n = v->args[2];
    if (n->kind != ir::ExprKind::call || n->name != "timestep") return std::nullopt;
    return value_of(n->args[0]);
  }
  return std::nullopt;
}

} // namespace

ExprPtr not_refractory_value(const ExprPtr& ref, ir::Side side) {
  ExprPtr lastspike = var("lastspike");
  lastspike->side = side;
  if (side == ir::Side::pre) lastspike->name = "lastspike_pre";
  if (side == ir::Side::post) lastspike->name = "lastspike_post";
  return call("timestep_at_least", {sub(builtin("t"), lastspike), builtin("dt"),
                                    call("timestep", {ref, builtin("dt")})});
}

void recompute_not_refractory(const ir::Model& m, Module& mod) {
  // Candidates: a refractory period of a number of at least one step.
  std::map<std::string, double> period;
  for (const auto& [name, gk] : mod.groups) {
    if (gk.update < 0) continue;
    auto ref = refractory_period(mod.kernels[static_cast<std::size_t>(gk.update)]);
    if (ref && ir::steps_of(*ref, m.dt) >= 1) period[name] = *ref;
  }
  if (period.empty()) return;

  // The role and objects of every kernel.
  std::vector<Role> role(mod.kernels.size(), Role::other);
  std::vector<Object> object(mod.kernels.size());
  for (std::size_t k = 0; k < mod.kernels.size(); ++k)
    object[k].own = mod.kernels[k].object;
  for (const auto& [name, gk] : mod.groups) {
    for (int k : {gk.update, gk.threshold, gk.step, gk.reset})
      if (k >= 0) role[static_cast<std::size_t>(k)] = Role::in_step;
    if (gk.init >= 0) role[static_cast<std::size_t>(gk.init)] = Role::init;
  }
  for (int k : mod.poisson_inputs) // in the synapses slot
    if (k >= 0) role[static_cast<std::size_t>(k)] = Role::in_step;
  for (const auto& [name, sk] : mod.synapses) {
    const ir::Synapses* y = m.find_synapses(name);
    for (std::size_t k = 0; k < mod.kernels.size(); ++k)
      if (y && mod.kernels[k].object == name) object[k] = {"", y->source.group, y->target.group};
    for (const PathwayKernel& p : sk.pathways)
      if (p.kernel >= 0) role[static_cast<std::size_t>(p.kernel)] = Role::in_step;
  }

  // Disqualify the groups whose not_refractory or lastspike is used otherwise.
  std::set<std::string> out;
  for (std::size_t k = 0; k < mod.kernels.size(); ++k) {
    const Kernel& kernel = mod.kernels[k];
    const Object& o = object[k];
    bool group_kernel = !o.own.empty();
    if (role[k] == Role::other)
      each_expression(kernel, [&](const ExprPtr& e) {
        ir::visit(e, [&](const ExprPtr& n) {
          if (n->kind == ir::ExprKind::name && n->ref == ir::NameRef::variable &&
              n->target == kNotRefractory)
            out.insert(o.group(n->side));
        });
      });
    auto writes = [&](const std::vector<Assign>& list, bool spike) {
      for (const Assign& a : list) {
        if (a.temporary) continue;
        const std::string& g = o.group(a.side);
        bool own = group_kernel && a.side == ir::Side::own;
        if (a.target == kNotRefractory) {
          // The update's definition (the body of an update or step kernel),
          // the threshold's not_refractory = False, init.
          bool definition = own && !spike &&
                            (kernel.kind == KernelKind::update || kernel.kind == KernelKind::step);
          if (!(definition || (own && spike) || (own && role[k] == Role::init))) out.insert(g);
        }
        if (a.target == "lastspike" && !(own && (spike || role[k] == Role::init))) out.insert(g);
      }
    };
    writes(kernel.body, false);
    writes(kernel.on_spike, true);
  }
  for (const ir::Monitor& mon : m.monitors) {
    for (const std::string& v : mon.variables) {
      if (v.rfind(kNotRefractory, 0) != 0) continue;
      out.insert(mon.object);
      if (const ir::Synapses* y = m.find_synapses(mon.object)) {
        out.insert(y->source.group);
        out.insert(y->target.group);
      }
    }
  }
  for (const std::string& g : out)
    period.erase(g);
  if (period.empty()) return;

  // Rewrite: reads become the expression, stores after init go.
  for (std::size_t k = 0; k < mod.kernels.size(); ++k) {
    if (role[k] != Role::in_step) continue;
    Kernel& kernel = mod.kernels[k];
    const Object& o = object[k];
    std::map<std::string, ExprPtr> subs;
    for (ir::Side side : {ir::Side::own, ir::Side::pre, ir::Side::post}) {
      auto it = period.find(o.group(side));
      if (it == period.end() || (side == ir::Side::own) == o.own.empty()) continue;
      std::string name = kNotRefractory;
      if (side == ir::Side::pre) name += "_pre";
      if (side == ir::Side::post) name += "_post";
      subs[name] = not_refractory_value(num(it->second), side);
    }
    if (subs.empty()) continue;
    auto rewrite = [&](ExprPtr& e) {
      if (e) e = substitute(e, subs);
    };
    for (auto* list : {&kernel.body, &kernel.on_spike}) {
      std::vector<Assign> kept;
      for (Assign& a : *list) {
        if (!a.temporary && a.target == kNotRefractory && a.side == ir::Side::own && !o.own.empty())
          continue;
        rewrite(a.value);
        rewrite(a.condition);
        kept.push_back(std::move(a));
      }
      *list = std::move(kept);
    }
    rewrite(kernel.condition);
  }
  // The kernel that fills the array when it is read from outside.
  for (const auto& [name, ref] : period) {
    GroupKernels& gk = mod.groups[name];
    Kernel d;
    d.name = name + "_not_refractory";
    d.kind = KernelKind::statements;
    d.object = name;
    d.variables = gk.variables;
    d.timed = mod.timed;
    d.stream = static_cast<std::uint64_t>(mod.kernels.size()) + 1;
    d.body.push_back({kNotRefractory, false, not_refractory_value(num(ref)), nullptr});
    d.source = {"not_refractory at the end of the last step (the step does not store it)"};
    mod.kernels.push_back(std::move(d));
    gk.derived = static_cast<int>(mod.kernels.size()) - 1;
  }
}

} // namespace snnc::kir
