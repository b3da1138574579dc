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

// Whether a synapse kernel reads N, the number of synapses.
bool reads_synapse_count(const kir::Kernel& k) {
  bool found = false;
  kir::each_expression(k, [&](const ir::ExprPtr& e) {
    ir::visit(e, [&](const ir::ExprPtr& n) {
      found = found ||
              (n->kind == ir::ExprKind::name && n->ref == ir::NameRef::builtin && n->name == "N");
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
    if (m.target_synapses(y))
      diag.error(y.target.loc, fmt::format("synapses '{}' target the synapses '{}', which is not "
                                           "supported {} yet; run in one process",
                                           y.name, y.target.group, spread));
    // Kernels that run during the run, and its init (N is read anywhere).
    struct Running {
      int index;
      std::string what;
      SourceLoc at;
    };
    std::vector<Running> running;
    for (std::size_t p = 0; p < y.pathways.size(); ++p) {
      const ir::Pathway& w = y.pathways[p];
      if (w.event != "spike")
        diag.error(w.event_loc, fmt::format("synapses '{}': its pathway '{}' runs on the custom "
                                            "event '{}', which is not supported {} yet (the "
                                            "processes exchange spikes only); run in one process",
                                            y.name, w.name, w.event, spread));
      running.push_back({sk.pathways[p].kernel, w.block(),
                         w.statements.empty() ? w.loc : w.statements.front().loc});
    }
    running.push_back({sk.update, "clock-driven equations", y.loc});
    running.push_back({sk.summed, "summed variables", y.loc});
    running.push_back({sk.hold, "subexpressions", y.loc});
    running.push_back({sk.observe, "monitored subexpressions", y.loc});
    running.push_back({sk.init, "init", y.init.empty() ? y.loc : y.init.front().loc});
    for (const auto& [index, what, at] : running) {
      if (index < 0) continue;
      const kir::Kernel& k = mod.kernels[static_cast<std::size_t>(index)];
      if (std::string v = presynaptic_use(k); !v.empty() && what != "init")
        diag.error(at, fmt::format("synapses '{}': its {} use the presynaptic neurons' variable "
                                   "{}, which is not supported {} (each neuron's state is on "
                                   "the process that owns it, with the synapses onto it); keep "
                                   "the value in a synaptic variable, or run in one process",
                                   y.name, what, v, spread));
      if (reads_synapse_count(k))
        diag.error(at, fmt::format("synapses '{}': its {} read N, the number of synapses, which "
                                   "is not supported {} yet (each process holds a part of "
                                   "them); run in one process",
                                   y.name, what, spread));
    }
  }
  for (const ir::Group& g : m.groups)
    for (const ir::Link& l : g.links)
      diag.error(l.loc, fmt::format("group '{}': its linked parameter '{}' is not supported {} "
                                    "yet (each process holds a part of '{}'); run in one process",
                                    g.name, l.var, spread, l.group));
  for (const ir::Monitor& mon : m.monitors)
    if (mon.event != "spike")
      diag.error(mon.event_loc, fmt::format("event monitor '{}': monitors of custom events are "
                                            "not supported {} yet; run in one process",
                                            mon.name, spread));
    else if (mon.kind == ir::MonitorKind::spikes && !mon.variables.empty())
      diag.error(mon.variable_locs.empty() ? mon.loc : mon.variable_locs.front(),
                 fmt::format("spike monitor '{}': recording variables at the spikes is not "
                             "supported {} yet; record the spikes alone, or run in one process",
                             mon.name, spread));
  // Statements on synapses (in init, events, between runs) act on each
  // process's part, keyed by each synapse's number among all: as in one
  // process. Those that read N are refused above (init) or here.
  for (std::size_t k = 0; k < mod.schedule_kernels.size() && k < m.schedule.size(); ++k) {
    int index = mod.schedule_kernels[k];
    const ir::ScheduleItem& it = m.schedule[k];
    if (index >= 0 && it.kind == ir::ScheduleItem::Kind::statement &&
        synapses.count(it.statement.object) &&
        reads_synapse_count(mod.kernels[static_cast<std::size_t>(index)]))
      diag.error(it.statement.loc,
                 fmt::format("a statement on synapses '{}' reads N, the number of synapses, "
                             "which is not supported {} yet; run in one process",
                             it.statement.object, spread));
  }
  for (std::size_t e = 0; e < m.events.size() && e < mod.events.size(); ++e)
    for (std::size_t k = 0; k < m.events[e].statements.size() && k < mod.events[e].size(); ++k) {
      const ir::Statement& st = m.events[e].statements[k];
      int index = mod.events[e][k];
      if (index >= 0 && synapses.count(st.object) &&
          reads_synapse_count(mod.kernels[static_cast<std::size_t>(index)]))
        diag.error(st.loc, fmt::format("a statement on synapses '{}' reads N, the number of "
                                       "synapses, which is not supported {} yet; run in one "
                                       "process",
                                       st.object, spread));
    }
  return diag.error_count() == before;
}

} // namespace snnc::driver
