#include "driver/simulate.h"

#include "driver/estimate.h"
#include "driver/spread_check.h"

#include "ir/clock.h"
#include "kernels/symbolic.h"
#include "snn/distributed.h"
#include "snn/network.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <tuple>
#include <unistd.h>

namespace snnc::driver {

namespace fs = std::filesystem;

snn::SplitBy split_by(ir::Side s) {
  return s == ir::Side::pre    ? snn::SplitBy::pre
         : s == ir::Side::post ? snn::SplitBy::post
                               : snn::SplitBy::none;
}

namespace {

// Where a state monitor in Brian2's slot `when` records: after that slot's
// work (before_X: after the slot before X).
snn::RecordAt record_at(const std::string& when) {
  if (when == "start" || when == "after_start" || when == "before_groups")
    return snn::RecordAt::start;
  if (when == "groups" || when == "after_groups" || when == "before_thresholds")
    return snn::RecordAt::groups;
  if (when == "thresholds" || when == "after_thresholds" || when == "before_synapses")
    return snn::RecordAt::thresholds;
  if (when == "after_synapses" || when == "before_resets") return snn::RecordAt::synapses;
  if (when == "resets") return snn::RecordAt::resets;
  return snn::RecordAt::end; // after_resets (after the custom events' statements), before_end,
                             // end, after_end
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// The kernel's entry point in the JIT (none without a JIT: export only
// needs the name).
snn::Kernel kernel_ref(const kir::Module& mod, codegen::Jit* jit, int index) {
  snn::Kernel k;
  if (index < 0) return k;
  const kir::Kernel& kk = mod.kernels[static_cast<std::size_t>(index)];
  if (jit) {
    k.fn = jit->lookup(kk.name);
    internal_check(k.fn != nullptr, "a compiled kernel is missing from the JIT");
  }
  k.stream = kk.stream;
  k.name = kk.name;
  k.split = split_by(kk.split);
  k.reads_pre = kir::reads_side(kk, ir::Side::pre);
  return k;
}

int group_index(const ir::Model& m, const std::string& name) {
  for (std::size_t g = 0; g < m.groups.size(); ++g)
    if (m.groups[g].name == name) return static_cast<int>(g);
  throw InternalError("unknown group " + name);
}

int synapses_index(const ir::Model& m, const std::string& name) {
  for (std::size_t s = 0; s < m.synapses.size(); ++s)
    if (m.synapses[s].name == name) return static_cast<int>(s);
  return -1;
}

// A statement kernel on a group or a synapses object.
snn::StatementSpec statement_spec(const ir::Model& m, const kir::Module& mod, codegen::Jit* jit,
                                  const ir::Statement& s, int kernel) {
  snn::StatementSpec st;
  st.kernel = kernel_ref(mod, jit, kernel);
  int y = synapses_index(m, s.object);
  if (y >= 0) {
    st.synapses = y;
    st.per_synapse_values = per_synapse_values(m, {s});
    return st;
  }
  st.group = group_index(m, s.object);
  if (s.sliced()) {
    st.first = s.start;
    st.last = s.stop;
  }
  return st;
}

// A group's custom events in Brian2's order of their objects in a slot,
// `<group>_<event>_resetter` by name (the order their statements run in):
// indices into ir::Group::events.
std::vector<std::size_t> events_in_order(const ir::Group& g) {
  std::vector<std::size_t> order(g.events.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return g.events[a].name < g.events[b].name; });
  return order;
}

// The index of the event `name` of group `g` in snn::GroupSpec::events (-1: spikes).
int event_index(const ir::Group& g, const std::string& name) {
  if (name == "spike") return -1;
  std::vector<std::size_t> order = events_in_order(g);
  for (std::size_t k = 0; k < order.size(); ++k)
    if (g.events[order[k]].name == name) return static_cast<int>(k);
  internal_check(false, "an event that its group does not have");
  return -1;
}

int slot_of(const std::vector<std::string>& names, const std::string& n) {
  auto it = std::find(names.begin(), names.end(), n);
  internal_check(it != names.end(), "a variable has no state array");
  return static_cast<int>(it - names.begin());
}

} // namespace

snn::NetworkSpec network_spec(const ir::Model& m, const kir::Module& mod, codegen::Jit* jit,
                              std::uint64_t seed) {
  snn::NetworkSpec spec;
  spec.dt = m.dt;
  spec.seed = seed;
  for (const ir::Group& g : m.groups) {
    const kir::GroupKernels& gk = mod.groups.at(g.name);
    snn::GroupSpec gs;
    gs.name = g.name;
    gs.size = g.size;
    gs.variables = gk.variables;
    gs.update = kernel_ref(mod, jit, gk.update);
    gs.threshold = kernel_ref(mod, jit, gk.threshold);
    gs.step = kernel_ref(mod, jit, gk.step);
    gs.reset = kernel_ref(mod, jit, gk.reset);
    gs.observe = kernel_ref(mod, jit, gk.observe);
    gs.hold = kernel_ref(mod, jit, gk.hold);
    gs.derived = kernel_ref(mod, jit, gk.derived);
    if (gk.derived >= 0)
      for (const kir::Assign& a : mod.kernels[static_cast<std::size_t>(gk.derived)].body)
        gs.derived_slots.push_back(slot_of(gk.variables, a.target));
    for (const ir::Link& l : g.links) {
      int src = group_index(m, l.group);
      gs.links.push_back({slot_of(gk.variables, l.var), src,
                          slot_of(mod.groups.at(l.group).variables, l.source),
                          l.index_var.empty() ? -1 : slot_of(gk.variables, l.index_var)});
    }
    for (std::size_t e : events_in_order(g)) {
      const kir::EventKernels& ek = gk.events[e];
      gs.events.push_back(
          {ek.name, kernel_ref(mod, jit, ek.condition), kernel_ref(mod, jit, ek.statements)});
    }
    if (g.kind == ir::GroupKind::spikes) {
      std::vector<std::size_t> order(g.indices.size());
      std::iota(order.begin(), order.end(), 0);
      std::vector<std::int64_t> steps;
      for (double t : g.times)
        steps.push_back(ir::steps_of(t, m.dt));
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return steps[a] != steps[b] ? steps[a] < steps[b] : g.indices[a] < g.indices[b];
      });
      for (std::size_t k : order) {
        gs.gen_steps.push_back(steps[k]);
        gs.gen_indices.push_back(static_cast<std::int32_t>(g.indices[k]));
      }
      if (g.period > 0) gs.gen_period_steps = ir::round_steps(g.period, m.dt);
    }
    spec.groups.push_back(std::move(gs));
  }
  for (const ir::TimedArray& t : m.timed)
    spec.timed.push_back({t.name, t.values, t.rows, t.cols, t.dt});
  for (const ir::Monitor& mon : m.monitors) {
    snn::MonitorSpec ms;
    ms.kind = mon.kind == ir::MonitorKind::spikes  ? snn::MonitorKind::spikes
              : mon.kind == ir::MonitorKind::state ? snn::MonitorKind::state
                                                   : snn::MonitorKind::rate;
    ms.name = mon.name;
    ms.synapses = synapses_index(m, mon.object);
    const std::vector<std::string>* varsp;
    if (ms.synapses >= 0) {
      varsp = &mod.synapses.at(mon.object).variables;
    } else {
      ms.group = group_index(m, mon.object);
      const ir::Group& g = m.groups[static_cast<std::size_t>(ms.group)];
      ms.start = mon.start_expr ? mon.start : 0;
      ms.stop = mon.start_expr ? mon.stop : g.size;
      varsp = &mod.groups.at(g.name).variables;
    }
    ms.counts_only = mon.counts_only;
    if (ms.group >= 0)
      ms.event = event_index(m.groups[static_cast<std::size_t>(ms.group)], mon.event);
    const auto& vars = *varsp;
    for (const std::string& v : mon.variables) {
      auto it = std::find(vars.begin(), vars.end(), v);
      internal_check(it != vars.end(), "a monitored variable has no state array");
      ms.slots.push_back(static_cast<int>(it - vars.begin()));
      ms.var_names.push_back(v);
    }
    if (!mon.record_all) ms.record = mon.record;
    ms.every_steps = mon.dt > 0 ? std::max<std::int64_t>(1, ir::round_steps(mon.dt, m.dt)) : 1;
    ms.float32 = mon.float32;
    ms.when = record_at(mon.when);
    ms.bin_steps = mon.bin > 0 ? std::max<std::int64_t>(1, ir::round_steps(mon.bin, m.dt)) : 1;
    spec.monitors.push_back(std::move(ms));
  }
  for (const ir::Synapses& y : m.synapses) {
    const kir::SynapseKernels& sk = mod.synapses.at(y.name);
    snn::SynapseSpec ss;
    ss.name = y.name;
    ss.pre = group_index(m, y.source.group);
    const ir::Group& pre = m.groups[static_cast<std::size_t>(ss.pre)];
    ss.pre_start = y.source.sliced() ? y.source.start : 0;
    ss.pre_stop = y.source.sliced() ? y.source.stop : pre.size;
    const ir::Group* post = nullptr;
    if (const ir::Synapses* t = m.target_synapses(y)) {
      ss.post_synapses = static_cast<int>(t - m.synapses.data());
    } else {
      ss.post = group_index(m, y.target.group);
      post = &m.groups[static_cast<std::size_t>(ss.post)];
      ss.post_start = y.target.sliced() ? y.target.start : 0;
      ss.post_stop = y.target.sliced() ? y.target.stop : post->size;
    }
    ss.variables = sk.variables;
    ss.update = kernel_ref(mod, jit, sk.update);
    ss.summed = kernel_ref(mod, jit, sk.summed);
    ss.observe = kernel_ref(mod, jit, sk.observe);
    ss.hold = kernel_ref(mod, jit, sk.hold);
    for (const std::string& t : sk.summed_targets)
      ss.summed_targets.push_back(slot_of(mod.groups.at(post->name).variables, t));
    for (const kir::PathwayKernel& pk : sk.pathways) {
      snn::PathwaySpec p;
      p.name = pk.name;
      p.pre = pk.pre;
      p.kernel = kernel_ref(mod, jit, pk.kernel);
      if (!pk.delay_variable.empty())
        p.delay_slot = slot_of(sk.variables, pk.delay_variable);
      else
        p.delay = pk.delay;
      p.event = event_index(pk.pre ? pre : *post, y.pathways[ss.pathways.size()].event);
      ss.pathways.push_back(std::move(p));
    }
    spec.synapses.push_back(std::move(ss));
  }
  // Brian2's order within a slot: by object name (`<name>_stateupdater`,
  // `<name>_thresholder`, `<name>_pre`, ...), which is not always the order
  // of the plain names.
  {
    std::vector<std::pair<std::string, std::pair<int, int>>> updates;
    std::vector<std::pair<std::string, int>> groups, syns;
    for (std::size_t g = 0; g < m.groups.size(); ++g) {
      updates.push_back({m.groups[g].name + "_stateupdater", {0, static_cast<int>(g)}});
      groups.push_back({m.groups[g].name + "_thresholder", static_cast<int>(g)});
    }
    for (std::size_t s = 0; s < m.synapses.size(); ++s) {
      updates.push_back({m.synapses[s].name + "_stateupdater", {1, static_cast<int>(s)}});
      syns.push_back({m.synapses[s].name + "_pre", static_cast<int>(s)});
    }
    std::sort(updates.begin(), updates.end());
    std::sort(groups.begin(), groups.end());
    std::sort(syns.begin(), syns.end());
    for (auto& u : updates)
      spec.update_order.push_back(u.second);
    for (auto& g : groups)
      spec.group_order.push_back(g.second);
    for (auto& s : syns)
      spec.synapse_order.push_back(s.second);
    // Pathways: order -1 (presynaptic sources) before +1, then by name.
    std::vector<std::tuple<bool, std::string, std::pair<int, int>>> pathways;
    for (std::size_t s = 0; s < m.synapses.size(); ++s)
      for (std::size_t p = 0; p < m.synapses[s].pathways.size(); ++p) {
        const ir::Pathway& w = m.synapses[s].pathways[p];
        pathways.push_back({!w.pre,
                            m.synapses[s].name + "_" + w.name,
                            {static_cast<int>(s), static_cast<int>(p)}});
      }
    std::sort(pathways.begin(), pathways.end());
    for (auto& w : pathways)
      spec.pathway_order.push_back(std::get<2>(w));
  }
  for (std::size_t e = 0; e < m.events.size(); ++e) {
    const ir::Event& ev = m.events[e];
    snn::EventSpec es;
    if (ev.kind == ir::EventKind::at) {
      es.first_step = event_step(ev.time, m.dt);
    } else {
      es.first_step = event_step(ev.from, m.dt);
      es.period_steps = std::max<std::int64_t>(1, ir::round_steps(ev.time, m.dt));
      es.last_step = ev.until >= 0 ? ir::steps_of(ev.until, m.dt) : -1;
    }
    for (std::size_t s = 0; s < ev.statements.size(); ++s) {
      int k = mod.events[e][s];
      es.statements.push_back(statement_spec(m, mod, jit, ev.statements[s], k));
    }
    spec.events.push_back(std::move(es));
  }
  {
    std::vector<std::pair<std::string, std::size_t>> by_name;
    for (std::size_t k = 0; k < m.poisson_inputs.size(); ++k)
      by_name.push_back({m.poisson_inputs[k].name, k});
    std::sort(by_name.begin(), by_name.end());
    for (const auto& [name, k] : by_name) {
      const ir::Statement& s = m.poisson_inputs[k].statement;
      snn::StatementSpec st = statement_spec(m, mod, jit, s, mod.poisson_inputs[k]);
      if (!s.sliced()) st.last = m.groups[static_cast<std::size_t>(st.group)].size;
      spec.poisson_inputs.push_back(std::move(st));
    }
  }
  return spec;
}

std::vector<int> per_synapse_values(const ir::Model& m, const std::vector<ir::Statement>& ss) {
  std::vector<int> out;
  for (const ir::Statement& s : ss)
    ir::visit(s.value, [&](const ir::ExprPtr& e) {
      if (e->kind != ir::ExprKind::call) return;
      for (std::size_t k = 0; k < m.timed.size(); ++k)
        if (m.timed[k].name == e->name && !m.timed[k].per_synapse_of.empty())
          out.push_back(static_cast<int>(k));
    });
  return out;
}

void initialise(snn::Network& net, const ir::Model& m, const kir::Module& mod, codegen::Jit& jitr) {
  codegen::Jit* jit = &jitr;
  for (const ir::Group& g : m.groups) {
    int init = mod.groups.at(g.name).init;
    if (init >= 0) net.apply({group_index(m, g.name), kernel_ref(mod, jit, init)});
  }
  // Then the synapses: connect (its conditions may read the groups' initial
  // state), then their init and delays.
  for (std::size_t s = 0; s < m.synapses.size(); ++s) {
    const ir::Synapses& y = m.synapses[s];
    const kir::SynapseKernels& sk = mod.synapses.at(y.name);
    int idx = static_cast<int>(s);
    if (sk.connect >= 0) {
      net.connect(idx, kernel_ref(mod, jit, sk.connect),
                  mod.kernels[static_cast<std::size_t>(sk.connect)].by_target);
    } else if (!y.connect.i_values.empty()) {
      std::vector<std::int32_t> pre(y.connect.i_values.begin(), y.connect.i_values.end());
      std::vector<std::int32_t> post(y.connect.j_values.begin(), y.connect.j_values.end());
      net.add_synapses(idx, pre, post);
    } else if (!y.connect.pairs_i.empty()) {
      net.add_synapses(idx, y.connect.pairs_i, y.connect.pairs_j);
    }
    if (!y.multisynaptic_index.empty()) net.number_pairs(y.name, y.multisynaptic_index);
    if (sk.init >= 0) {
      snn::StatementSpec st;
      st.kernel = kernel_ref(mod, jit, sk.init);
      st.synapses = idx;
      st.per_synapse_values = per_synapse_values(m, y.init);
      net.apply(st);
    }
  }
  net.prepare();
}

bool run_schedule(snn::Network& net, const ir::Model& m, const kir::Module& mod,
                  codegen::Jit& jit) {
  ScheduleCursor cursor;
  ScheduleControl control;
  control.chunk_steps = INT64_MAX;
  return run_schedule_from(net, m, mod, jit, cursor, control);
}

bool run_schedule_from(snn::Network& net, const ir::Model& m, const kir::Module& mod,
                       codegen::Jit& jitr, ScheduleCursor& cursor, const ScheduleControl& control) {
  codegen::Jit* jit = &jitr;
  // A monitor declared after a run records from where the schedule reaches it.
  for (const ir::Monitor& mon : m.monitors)
    net.set_monitor_active(mon.name, mon.schedule_item <= cursor.item);
  for (; cursor.item < m.schedule.size(); ++cursor.item) {
    for (const ir::Monitor& mon : m.monitors)
      if (mon.schedule_item == cursor.item) net.set_monitor_active(mon.name, true);
    const ir::ScheduleItem& it = m.schedule[cursor.item];
    switch (it.kind) {
    case ir::ScheduleItem::Kind::run:
      if (cursor.end_step < 0) cursor.end_step = run_end_step(net.step(), m.dt, it.duration);
      while (net.step() < cursor.end_step) {
        if (net.step() == control.stop_step) return false;
        std::int64_t n = std::min(cursor.end_step - net.step(), control.chunk_steps);
        if (control.stop_step > net.step()) n = std::min(n, control.stop_step - net.step());
        std::int64_t before = net.step();
        bool whole = net.run_steps(n);
        if (control.ran) control.ran(net.step() - before);
        if (!whole) return false;
        if (control.pause && !control.pause()) return false;
      }
      cursor.end_step = -1;
      break;
    case ir::ScheduleItem::Kind::statement:
      net.apply(statement_spec(m, mod, jit, it.statement, mod.schedule_kernels[cursor.item]));
      break;
    case ir::ScheduleItem::Kind::store:
      cursor.snapshots[it.snapshot] = net.store();
      break;
    case ir::ScheduleItem::Kind::restore:
      net.restore(*cursor.snapshots.at(it.snapshot));
      break;
    }
  }
  return true;
}

double remaining_seconds(const ir::Model& m, const ScheduleCursor& cursor, std::int64_t step) {
  double s = 0;
  for (std::size_t k = cursor.item; k < m.schedule.size(); ++k) {
    const ir::ScheduleItem& it = m.schedule[k];
    if (it.kind != ir::ScheduleItem::Kind::run) continue;
    if (k == cursor.item && cursor.end_step >= 0)
      s += static_cast<double>(std::max<std::int64_t>(0, cursor.end_step - step)) * m.dt;
    else
      s += it.duration;
  }
  return s;
}

std::atomic<bool> g_interrupt{false};
volatile std::sig_atomic_t g_signal = 0;

std::int64_t run_end_step(std::int64_t step, double dt, double duration) {
  double target = static_cast<double>(step) * dt + duration;
  double i = std::round(target / dt);
  if (i * dt == target || std::fabs(i * dt - target) / dt <= 1e-4) return ir::saturate_steps(i);
  return ir::saturate_steps(std::ceil(target / dt));
}

void write_manifest(snn::Network& net, const ir::Model& m, std::uint64_t seed,
                    const std::string& dir, const std::string& cpu, const RunTimings& timings) {
  std::vector<snn::OutputFile> files = net.finish();
  nlohmann::json man;
  man["format"] = "snnc-results-1";
  man["model"] = fs::absolute(m.path).string();
  man["seed"] = seed;
  man["dt"] = m.dt;
  man["steps"] = net.step();
  man["t_end"] = net.t();
  // Completing the files may fail too (a full disk): then the results are
  // what reached the disk, and the manifest says so.
  bool failed = !timings.interrupted && net.stop_report().output;
  man["complete"] = !timings.interrupted && !failed;
  man["interrupted"] = timings.interrupted || failed;
  if (timings.interrupted) man["interrupted_because"] = timings.reason;
  if (failed)
    man["interrupted_because"] = "the results could not be written: " + net.stop_report().message;
  man["total_spikes"] = net.counters().spikes;
  man["synaptic_events"] =
      timings.synaptic_events >= 0 ? timings.synaptic_events : net.counters().synaptic_events;
  nlohmann::json consts = nlohmann::json::object();
  for (const ir::Constant& c : m.constants)
    consts[c.name] = {{"value", c.value}, {"unit", c.dim.to_string()}};
  man["constants"] = consts;
  nlohmann::json mons = nlohmann::json::array();
  for (const ir::Monitor& mon : m.monitors) {
    nlohmann::json fields = nlohmann::json::object();
    for (const snn::OutputFile& f : files)
      if (f.monitor == mon.name)
        fields[f.field] = {{"file", f.file}, {"dtype", f.dtype}, {"shape", f.shape}};
    mons.push_back({{"name", mon.name},
                    {"kind", ir::to_string(mon.kind)},
                    {"group", mon.object},
                    {"fields", fields}});
  }
  man["monitors"] = mons;
  if (!timings.resumed_from.empty()) man["resumed_from"] = timings.resumed_from;
  man["timings_ms"] = {{"setup", timings.setup_ms}, {"simulate", timings.simulate_ms}};
  man["cpu"] = cpu;
  if (timings.processes > 1) {
    man["processes"] = timings.processes;
    man["timings_ms"]["exchange"] = timings.exchange_ms;
    man["exchange_every_steps"] = timings.exchange_every;
  }
  fs::path path = fs::path(dir) / "manifest.json";
  std::ofstream out(path);
  out << man.dump(2) << '\n';
  out.close();
  if (!out) {
    std::error_code ec;
    fs::remove(path, ec); // no half a manifest
    throw snn::OutputError("cannot write " + path.string() + ": " + std::strerror(errno));
  }
}

namespace {

// Replaces `dir` by `tmp`: only a previous results directory may be replaced.
bool commit_dir(const fs::path& tmp, const fs::path& dir, Diagnostics& diag) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    bool previous = fs::exists(dir / "manifest.json", ec) || fs::is_empty(dir, ec);
    if (!fs::is_directory(dir, ec) || !previous) {
      diag.error({}, fmt::format("'{}' exists and is not an snnc results directory; choose "
                                 "another output directory with -o",
                                 dir.string()));
      fs::remove_all(tmp, ec);
      return false;
    }
    fs::remove_all(dir, ec);
  }
  fs::rename(tmp, dir, ec);
  if (ec) {
    diag.error({}, fmt::format("cannot move the results to '{}': {}", dir.string(), ec.message()));
    return false;
  }
  return true;
}

} // namespace

bool simulate(const ir::Model& m, const kir::Module& mod, codegen::Jit& jit, const RunOptions& opts,
              Diagnostics& diag, RunTimings& timings) {
  // Under mpirun with several processes, one network spread over them
  // (runtime/distributed/spread.h): process 0 writes the results, the
  // others take part in the run only; all decide together whether to go on.
  std::unique_ptr<snn::Communicator> alone = opts.alone ? snn::local_communicator() : nullptr;
  snn::Communicator& comm = alone ? *alone : snn::world();
  const bool spread = comm.size() > 1;
  const bool writer = comm.rank() == 0;
  timings.processes = comm.size();
  auto all_ok = [&](bool ok) { return spread ? !comm.any(!ok) : ok; };
  if (spread && !check_spreadable(m, mod, comm.size(), diag)) return false;
  // Refuse before running what would not fit in memory, or on the disk.
  double limit = opts.memory_limit > 0 ? opts.memory_limit : available_memory() / 2;
  if (!all_ok(memory_fits(m, mod, limit, opts.memory_limit > 0, diag))) return false;

  std::optional<Checkpoint> resume;
  if (!opts.resume.empty()) {
    // Spread over P processes, each reads its own part (checkpoint_part).
    resume = read_checkpoint(checkpoint_part(opts.resume, comm.rank(), comm.size()), m, mod, diag);
    bool ok = resume.has_value();
    if (ok && (resume->info.processes != comm.size() || resume->info.process != comm.rank())) {
      diag.error({}, fmt::format("cannot resume from '{}': it was written by {} of a network "
                                 "spread over {} processes; resume it with the same number "
                                 "(mpirun -np {})",
                                 opts.resume,
                                 resume->info.processes == 1
                                     ? std::string("one process")
                                     : fmt::format("process {}", resume->info.process),
                                 resume->info.processes, resume->info.processes));
      ok = false;
    }
    if (ok && opts.seed && *opts.seed != resume->info.seed) {
      diag.error({}, fmt::format("--seed {} differs from the seed of the checkpointed run ({}); a "
                                 "resumed run keeps its seed",
                                 *opts.seed, resume->info.seed));
      ok = false;
    }
    if (!all_ok(ok)) return false;
    if (spread) {
      // The parts must be of one moment (each file is renamed on its own).
      std::vector<std::string> steps = comm.all_gather(std::to_string(resume->info.step));
      for (const std::string& st : steps)
        if (st != steps.front()) {
          diag.error({}, fmt::format("cannot resume from '{}': its parts were written at "
                                     "different steps ({} and {}); the run was stopped while "
                                     "they were written",
                                     opts.resume, steps.front(), st));
          return false;
        }
    }
  }

  // What the run will write from where it starts to where it stops, into
  // the directory it writes to.
  {
    double seconds =
        resume ? remaining_seconds(m, resume->info.cursor, resume->info.step) : schedule_seconds(m);
    if (opts.stop_at) {
      double now = resume ? static_cast<double>(resume->info.step) * m.dt : 0;
      seconds = std::min(seconds, std::max(0.0, *opts.stop_at - now));
    }
    std::string out = resume && !opts.out_dir_given ? resume->info.results_dir : opts.out_dir;
    if (!all_ok(!writer || disk_fits(m, mod, seconds, out, diag))) return false;
  }

  auto t0 = std::chrono::steady_clock::now();
  std::uint64_t seed = resume      ? resume->info.seed
                       : opts.seed ? *opts.seed
                                   : static_cast<std::uint64_t>(m.seed);
  fs::path dir =
      resume && !opts.out_dir_given ? fs::path(resume->info.results_dir) : fs::path(opts.out_dir);
  timings.out_dir = dir.string();
  fs::path tmp = dir.string() + ".partial-" + std::to_string(::getpid());
  std::error_code ec;
  bool made_dir = true;
  if (writer) {
    fs::remove_all(tmp, ec);
    if (!fs::create_directories(tmp, ec) || ec) {
      diag.error({}, fmt::format("cannot create the results directory '{}': {}", tmp.string(),
                                 ec ? ec.message() : "unknown error"));
      made_dir = false;
    }
  }
  if (!all_ok(made_dir)) return false;
  std::optional<snn::Network> made;
  bool constructed = true;
  try {
    snn::NetworkSpec spec = network_spec(m, mod, &jit, seed);
    spec.memory_limit = limit;
    made.emplace(std::move(spec), writer ? tmp.string() : std::string());
  } catch (const snn::OutputError& e) {
    diag.error({}, std::string("the results could not be written: ") + e.what());
    if (writer) fs::remove_all(tmp, ec);
    constructed = false;
  }
  if (!all_ok(constructed)) {
    if (writer) fs::remove_all(tmp, ec);
    return false;
  }
  snn::Network& net = *made;
  if (spread) net.spread_over(comm);
  snn::RunOptions run_options;
  run_options.nan_check_every = opts.nan_check_every;
  run_options.threads = opts.threads;
  run_options.always_split = opts.always_split;
  run_options.tiling = opts.tile_targets;
  // Ctrl-C: finish the step, write what was recorded, say so in the manifest.
  // SIGTERM too: it is what mpirun sends every process on Ctrl-C (after
  // SIGCONT, and a second before SIGKILL), and what batch schedulers send
  // before they kill a job.
  struct sigaction old_int {
  }, old_term{};
  auto restore_signals = [&] {
    if (!opts.handle_sigint) return;
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
  };
  if (opts.handle_sigint) {
    g_interrupt = false;
    g_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = [](int s) {
      g_signal = s;
      g_interrupt = true;
    };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    run_options.stop = &g_interrupt;
  }
  net.configure(run_options);
  auto give_up = [&] {
    restore_signals();
    if (writer) fs::remove_all(tmp, ec);
    return false;
  };

  // Checkpoints: periodically while running, and when the run ends or stops.
  ScheduleCursor cursor;
  CheckpointInfo info;
  info.seed = seed;
  info.results_dir = fs::absolute(dir).string();
  info.partial_dir = fs::absolute(tmp).string();
  bool checkpoint_failed = false;
  info.processes = comm.size();
  info.process = comm.rank();
  auto checkpoint = [&] {
    info.cursor = cursor;
    return all_ok(write_checkpoint(checkpoint_part(opts.checkpoint, comm.rank(), comm.size()), net,
                                   m, mod, info, diag));
  };
  ScheduleControl control;
  if (opts.stop_at) control.stop_step = event_step(*opts.stop_at, m.dt);
  auto last_checkpoint = std::chrono::steady_clock::now();
  if (!opts.checkpoint.empty())
    control.pause = [&] {
      bool due = std::chrono::duration<double>(std::chrono::steady_clock::now() - last_checkpoint)
                     .count() >= opts.checkpoint_every;
      if (spread) due = comm.any(due); // every process at the same step
      if (!due) return true;
      last_checkpoint = std::chrono::steady_clock::now();
      checkpoint_failed = !checkpoint();
      return !checkpoint_failed;
    };

  fs::path previous_dir;
  bool whole = true;
  try {
    if (resume) {
      // The monitors continue the files of the checkpointed run: in its
      // partial directory if it was killed, else in its results.
      previous_dir = fs::exists(resume->info.partial_dir, ec) ? resume->info.partial_dir
                                                              : resume->info.results_dir;
      if (!load_checkpoint(*resume, net, previous_dir.string(), cursor, diag)) return give_up();
      timings.resumed_from = fs::absolute(opts.resume).string();
    } else {
      initialise(net, m, mod, jit);
    }
    timings.setup_ms = ms_since(t0);
    t0 = std::chrono::steady_clock::now();
    // Simulated seconds against the wall clock, once the run lasts.
    Progress progress("run", remaining_seconds(m, cursor, net.step()), "s", opts.progress_delay,
                      writer ? opts.progress : Progress::Mode::off);
    std::int64_t steps_run = 0;
    control.ran = [&](std::int64_t steps) {
      steps_run += steps;
      progress.update(static_cast<double>(steps_run) * m.dt);
    };
    whole = run_schedule_from(net, m, mod, jit, cursor, control);
    progress.finish();
  } catch (const std::length_error& e) {
    // Limits of the runtime that the model exceeds (delays, synapse counts).
    diag.error({}, e.what());
    return give_up();
  } catch (const snn::OutputError& e) {
    // (Writes that fail while running stop the run instead: see below.)
    diag.error({}, std::string("the results could not be written: ") + e.what());
    return give_up();
  } catch (const snn::ModelError& e) {
    // Errors of the model that show only when it runs; no results are kept.
    SourceLoc at;
    for (const ir::TimedArray& t : m.timed)
      if (t.name == e.object) at = t.loc;
    for (const ir::Monitor& mon : m.monitors)
      if (mon.name == e.object) at = mon.loc;
    for (const ir::Synapses& y : m.synapses)
      if (y.name == e.object) at = y.connect.present ? y.connect.loc : y.loc;
    diag.error(at, std::string("the run stopped: ") + e.what() + "; no results were written");
    return give_up();
  } catch (...) {
    give_up();
    throw;
  }
  timings.simulate_ms = ms_since(t0);
  timings.exchange_ms = 1000.0 * net.exchange_seconds();
  timings.exchange_every = net.exchange_interval();
  timings.tiled_deliveries = net.counters().tiled_deliveries;
  timings.parallel_steps = net.counters().parallel_steps;
  restore_signals();
  const snn::StopReport& stop = net.stop_report();
  if (!whole) {
    timings.interrupted = true;
    if (stop.output) {
      timings.reason = fmt::format("the results could not be written at t = {:.6g} s: {}", net.t(),
                                   stop.message);
      diag.error({}, "the run stopped: " + timings.reason + "; what was written is in " +
                         dir.string() + " (marked interrupted)");
    } else if (stop.nan) {
      timings.reason =
          fmt::format("variable '{}' of neuron {} in group '{}' is NaN or infinite "
                      "at t = {} s (checked every {} steps)",
                      stop.variable, stop.index, stop.group, stop.t, opts.nan_check_every);
      diag.error({}, "the run stopped: " + timings.reason +
                         " (use --allow-nan to run on; the results so far are in " + dir.string() +
                         ")");
    } else if (stop.stopped) {
      // Under mpirun a process may stop for another's signal (they stop
      // together at the first exchange after it): every process names the
      // same one, SIGTERM if any had it.
      timings.signal = g_signal == 0 ? SIGINT : static_cast<int>(g_signal);
      if (spread) timings.signal = comm.any(timings.signal == SIGTERM) ? SIGTERM : SIGINT;
      timings.reason =
          fmt::format("interrupted ({}) at t = {} s",
                      timings.signal == SIGTERM
                          ? (snn::launched_by_mpirun() ? "SIGTERM: Ctrl-C to mpirun" : "SIGTERM")
                          : "Ctrl-C",
                      net.t());
    } else if (checkpoint_failed) {
      timings.reason =
          fmt::format("stopped at t = {} s: the checkpoint could not be written", net.t());
    } else {
      timings.stopped_at = true;
      timings.reason = fmt::format("stopped at t = {} s (--stop-at)", net.t());
    }
  }
  // A checkpoint of NaN state would resume nothing useful: keep the last one.
  // (Nor of monitors whose writes failed: their files hold less than they
  // recorded.)
  bool keep_last = stop.nan || stop.output || checkpoint_failed;
  if (spread && !opts.checkpoint.empty()) keep_last = comm.any(keep_last); // all or none
  if (!opts.checkpoint.empty() && !keep_last) checkpoint_failed = !checkpoint();

  timings.synaptic_events = net.counters().synaptic_events;
  if (spread) timings.synaptic_events = comm.sum(timings.synaptic_events);
  t0 = std::chrono::steady_clock::now();
  if (!writer) {
    // Process 0 writes the results; this one says only how the run ended.
    net.finish();
    return !stop.nan && !stop.output;
  }
  bool written = stop.output;
  try {
    write_manifest(net, m, seed, tmp.string(), jit.cpu(), timings);
  } catch (const snn::OutputError& e) {
    diag.error({}, std::string("the results could not be written: ") + e.what());
    if (!fs::exists(tmp, ec))
      diag.error({}, fmt::format("the results directory '{}' was removed while the run wrote "
                                 "into it",
                                 tmp.string()));
    else
      diag.note({}, fmt::format("what was written is in '{}'", tmp.string()));
    return false;
  }
  if (!written && net.stop_report().output) {
    // Completing the monitors' files failed: the manifest says so.
    diag.error({}, "the results could not be written: " + net.stop_report().message +
                       "; what was written is in " + dir.string() + " (marked interrupted)");
    commit_dir(tmp, dir, diag);
    return false;
  }
  timings.write_ms = ms_since(t0);
  if (!fs::exists(tmp, ec)) {
    diag.error({}, fmt::format("the results directory '{}' was removed while the run wrote into "
                               "it; no results were kept",
                               tmp.string()));
    return false;
  }
  if (!commit_dir(tmp, dir, diag)) return false;
  if (stop.output) return false;
  // A killed run's partial results were continued: they are not needed now.
  if (resume && previous_dir == fs::path(resume->info.partial_dir) &&
      fs::absolute(previous_dir) != fs::absolute(dir))
    fs::remove_all(previous_dir, ec);
  return !stop.nan && !checkpoint_failed;
}

} // namespace snnc::driver
