#include "driver/spread_check.h"

#include <fmt/format.h>
#include <set>

namespace snnc::driver {

namespace {

// The first presynaptic neuron variable a synapse kernel reads or writes.
std::string presynaptic_use(const kir::Kernel& k) {
  for (const auto* list : {&k.body, &k.on_spike})
    for (const kir::Assign& a : *list)
      if (!a.temporary && a.side == ir::Side::pre) return a.target + "_pre (written)";
  std::string found;
  kir::each_expression(k, [&](const ir::ExprPtr& e) {
    ir::visit(e, [&](const ir::ExprPtr& n) {
      if (found.empty() && n->kind == ir::ExprKind::name && n->ref == ir::NameRef::variable &&
          n->side == ir::Side::pre)
        found = (n->target.empty() ? n->name : n->target) + "_pre";
    });
  });
  return found;
}

// The first random function a kernel calls.
std::string random_call(const kir::Kernel& k) {
  std::string found;
  kir::each_expression(k, [&](const ir::ExprPtr& e) {
    ir::visit(e, [&](const ir::ExprPtr& n) {
      if (found.empty() && n->kind == ir::ExprKind::call &&
          (n->name == "rand" || n->name == "randn" || n->name == "poisson"))
        found = n->name + "()";
    });
  });
  return found;
}

} // namespace

bool check_spreadable(const ir::Model& m, const kir::Module& mod, int processes,
                      Diagnostics& diag) {
  const auto before = diag.error_count();
  const std::string spread = fmt::format("in a network spread over {} processes", processes);
  std::set<std::string> synapses;
  for (const ir::Synapses& y : m.synapses) {
    synapses.insert(y.name);
    auto it = mod.synapses.find(y.name);
    if (it == mod.synapses.end()) continue;
    const kir::SynapseKernels& sk = it->second;
    // Kernels that run during the run (init and connect run before the
    // network is spread, on every process, as in one process).
    const std::pair<int, const char*> running[] = {
        {sk.on_pre, "on_pre"}, {sk.on_post, "on_post"}, {sk.update, "clock-driven equations"},
        {sk.summed, "summed variables"}, {sk.hold, "subexpressions"},
        {sk.observe, "monitored subexpressions"}};
    for (const auto& [index, what] : running) {
      if (index < 0) continue;
      const kir::Kernel& k = mod.kernels[static_cast<std::size_t>(index)];
      SourceLoc at = y.loc;
      if (std::string(what) == "on_pre" && !y.on_pre.empty()) at = y.on_pre.front().loc;
      if (std::string(what) == "on_post" && !y.on_post.empty()) at = y.on_post.front().loc;
      if (std::string v = presynaptic_use(k); !v.empty())
        diag.error(at, fmt::format("synapses '{}': its {} use the presynaptic neurons' variable "
                                   "{}, which is not supported {} (each neuron's state is on "
                                   "the process that owns it, with the synapses onto it); keep "
                                   "the value in a synaptic variable, or run in one process",
                                   y.name, what, v, spread));
      if (std::string r = random_call(k); !r.empty())
        diag.error(at, fmt::format("synapses '{}': its {} draw random numbers ({}), which is not "
                                   "supported {} yet (the draws are keyed by the synapse's "
                                   "index in one process); run in one process",
                                   y.name, what, r, spread));
    }
  }
  for (const ir::Monitor& mon : m.monitors)
    if (mon.kind == ir::MonitorKind::spikes && !mon.variables.empty())
      diag.error(mon.variable_locs.empty() ? mon.loc : mon.variable_locs.front(),
                 fmt::format("spike monitor '{}': recording variables at the spikes is not "
                             "supported {} yet; record the spikes alone, or run in one process",
                             mon.name, spread));
  for (const ir::Event& e : m.events)
    for (const ir::Statement& s : e.statements)
      if (synapses.count(s.object))
        diag.error(s.loc, fmt::format("a statement on synapses '{}' in an event is not "
                                      "supported {} (each process holds a part of them); run "
                                      "in one process",
                                      s.object, spread));
  bool running = false;
  for (const ir::ScheduleItem& it : m.schedule) {
    if (it.kind == ir::ScheduleItem::Kind::run || it.kind == ir::ScheduleItem::Kind::store)
      running = true;
    if (it.kind == ir::ScheduleItem::Kind::statement && running &&
        synapses.count(it.statement.object))
      diag.error(it.statement.loc,
                 fmt::format("a statement on synapses '{}' after the first run or store is not "
                             "supported {} (from there each process holds a part of them); set "
                             "it before the first run, or run in one process",
                             it.statement.object, spread));
  }
  return diag.error_count() == before;
}

} // namespace snnc::driver
