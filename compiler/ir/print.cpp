#include "ir/print.h"

#include <filesystem>
#include <fmt/format.h>
#include <sstream>

namespace snnc::ir {

namespace {

// Shortest text that reads back as the same double.
std::string num(double v) {
  return fmt::format("{}", v);
}

std::string quantity(double v, const Dimension& d) {
  if (d.is_dimensionless()) return num(v);
  return num(v) + " * " + d.to_string();
}

// `j = k for k in range(a, b, c) if cond` (or `i = ...`), as written.
std::string generator(const Connect& c) {
  std::string out = (c.gen_i ? "i = " : "j = ") + to_string(c.gen_j);
  if (!c.gen_var.empty()) {
    std::string args;
    for (const ExprPtr& e : c.gen_range)
      if (e) args += (args.empty() ? "" : ", ") + to_string(e);
    if (c.gen_size)
      out += " for " + c.gen_var + " in sample(" + args + ", size = " + to_string(c.gen_size) + ")";
    else
      out += " for " + c.gen_var + " in range(" + args + ")";
  }
  if (c.condition) out += " if " + to_string(c.condition);
  return out;
}

std::string type_name(ValueType t) {
  switch (t) {
  case ValueType::boolean:
    return "boolean";
  case ValueType::integer:
    return "integer";
  case ValueType::float_:
    return "float";
  }
  return "?";
}

std::string unit_of(const Variable& v) {
  if (v.type == ValueType::boolean) return "boolean";
  if (v.type == ValueType::integer) return "integer";
  return v.dim.to_string();
}

std::string flags_of(const Variable& v) {
  if (v.flags.empty()) return "";
  std::string s = " (";
  for (std::size_t k = 0; k < v.flags.size(); ++k)
    s += (k ? ", " : "") + std::string(to_string(v.flags[k]));
  return s + ")";
}

bool has_differential(const std::vector<Variable>& vs) {
  for (const Variable& v : vs)
    if (v.kind == VarKind::differential) return true;
  return false;
}

std::string file_name(const std::string& p) {
  return std::filesystem::path(p).filename().string();
}

class Printer {
public:
  std::string run(const Model& m) {
    line(0, fmt::format("# snnc IR of {}", file_name(m.path)));
    line(0, fmt::format("dt = {} * second", num(m.dt)));
    line(0, fmt::format("seed = {}", m.seed));
    for (const auto& imp : m.imports)
      line(0, fmt::format("# imported: {}", file_name(imp)));
    for (const Constant& c : m.constants)
      constant(0, c);
    for (const Template& t : m.templates)
      line(0, fmt::format("# template {} {}{}", t.kind, t.name,
                          t.base.empty() ? "" : " extends " + t.base));
    for (const TimedArray& t : m.timed)
      timed(t);
    for (const Group& g : m.groups)
      group(g);
    for (const Synapses& s : m.synapses)
      synapses(s);
    for (const Monitor& mon : m.monitors)
      monitor(mon);
    for (const Event& e : m.events)
      event(e);
    for (const PoissonInput& pi : m.poisson_inputs)
      line(0, fmt::format("poisson_input {} (N = {}, rate = {} * hertz): {}", pi.name, pi.n,
                          num(pi.rate), to_string(pi.statement)));
    for (const ScheduleItem& it : m.schedule) {
      if (it.kind == ScheduleItem::Kind::run)
        line(0, fmt::format("run {} * second", num(it.duration)));
      else if (it.kind == ScheduleItem::Kind::store)
        line(0, "store " + it.snapshot);
      else if (it.kind == ScheduleItem::Kind::restore)
        line(0, "restore " + it.snapshot);
      else
        line(0, to_string(it.statement));
    }
    return os_.str();
  }

private:
  void line(int indent, const std::string& s) { os_ << std::string(indent * 4, ' ') << s << '\n'; }

  void constant(int indent, const Constant& c) {
    line(indent, fmt::format("const {} = {}{}  # {}", c.name, quantity(c.value, c.dim),
                             c.type == ValueType::integer ? " (integer)" : "", to_string(c.expr)));
  }

  void variables(int indent, const std::vector<Variable>& vs) {
    for (const Variable& v : vs) {
      std::string lhs = v.kind == VarKind::differential ? "d" + v.name + "/dt = " : v.name + " = ";
      if (v.kind == VarKind::parameter)
        line(indent, fmt::format("{} : {}{}", v.name, unit_of(v), flags_of(v)));
      else
        line(indent, fmt::format("{}{} : {}{}", lhs, to_string(v.rhs), unit_of(v), flags_of(v)));
    }
  }

  void statements(int indent, const std::string& key, const std::vector<Statement>& ss) {
    if (ss.empty()) return;
    line(indent, key + ":");
    for (const Statement& s : ss)
      line(indent + 1, to_string(s));
  }

  std::string slice(const GroupSlice& s) {
    return s.sliced() ? fmt::format("{}[{}:{}]", s.group, s.start, s.stop) : s.group;
  }

  void timed(const TimedArray& t) {
    std::string shape = t.cols ? fmt::format("{}x{}", t.rows, t.cols) : fmt::format("{}", t.rows);
    std::string src = t.load_path.empty() ? fmt::format("{} values", shape)
                                          : fmt::format("load(\"{}\")", file_name(t.load_path));
    line(0, fmt::format("timed {} = {} of unit {} (dt = {} * second)", t.name, src,
                        t.dim.to_string(), num(t.dt)));
  }

  void group(const Group& g) {
    std::string from = g.template_name.empty() ? "" : " from template " + g.template_name;
    line(0, fmt::format("{} {}({}){}:", to_string(g.kind), g.name, g.size, from));
    for (const Constant& c : g.constants)
      constant(1, c);
    if (!g.variables.empty()) {
      line(1, "equations:");
      variables(2, g.variables);
    }
    if (g.threshold) line(1, "threshold: " + to_string(g.threshold));
    statements(1, "reset", g.reset);
    if (g.refractory) line(1, "refractory: " + to_string(g.refractory));
    if (!g.links.empty()) {
      line(1, "link:");
      for (const Link& l : g.links)
        line(2, fmt::format("{} = {}.{}", l.var, l.group, l.source));
    }
    if (!g.events.empty()) {
      line(1, "events:");
      for (const GroupEvent& e : g.events)
        line(2, e.name + ": " + to_string(e.condition));
      for (const GroupEvent& e : g.events)
        statements(1, "on_event " + e.name, e.statements);
    }
    if (has_differential(g.variables))
      line(1, fmt::format("method: {}{}", to_string(g.method),
                          g.method_chosen ? "  # chosen as Brian2 would" : ""));
    statements(1, "init", g.init);
    if (g.kind == GroupKind::spikes) {
      if (!g.load_path.empty())
        line(1, fmt::format("load: \"{}\"", file_name(g.load_path)));
      else
        line(1, fmt::format("spikes: {} (indices and times)", g.indices.size()));
      if (g.period > 0) line(1, fmt::format("period: {} * second", num(g.period)));
    }
  }

  void synapses(const Synapses& s) {
    std::string from = s.template_name.empty() ? "" : " from template " + s.template_name;
    line(0,
         fmt::format("synapses {}({} -> {}){}:", s.name, slice(s.source), slice(s.target), from));
    for (const Constant& c : s.constants)
      constant(1, c);
    if (!s.variables.empty()) {
      line(1, "model:");
      variables(2, s.variables);
    }
    // 'pre' and 'post' first, then the named pathways as written.
    for (const char* n : {"pre", "post"})
      if (const Pathway* p = s.find_pathway(n)) statements(1, p->block(), p->statements);
    for (const Pathway& p : s.pathways)
      if (p.name != "pre" && p.name != "post") statements(1, p.block(), p.statements);
    const Connect& c = s.connect;
    if (c.present) {
      std::vector<std::string> parts;
      if (c.all) parts.push_back("all");
      if (c.one_to_one) parts.push_back("one_to_one");
      if (c.gen_j) {
        parts.push_back(generator(c));
        if (c.skip_if_invalid) parts.push_back("skip_if_invalid");
      } else if (c.condition) {
        parts.push_back(to_string(c.condition));
      }
      if (c.p) parts.push_back("p = " + to_string(c.p));
      if (c.n) parts.push_back("n = " + to_string(c.n));
      if (c.i) parts.push_back("i = " + to_string(c.i));
      if (c.j) parts.push_back("j = " + to_string(c.j));
      if (!c.load_path.empty())
        parts.push_back(fmt::format("load(\"{}\")", file_name(c.load_path)));
      std::string joined;
      for (auto& p : parts)
        joined += (joined.empty() ? "" : ", ") + p;
      line(1, "connect: " + joined);
    }
    for (const char* n : {"pre", "post"})
      if (const Pathway* p = s.find_pathway(n); p && p->delay)
        line(1,
             fmt::format("{}: {}", p->name == "pre" ? "delay" : "delay_post", to_string(p->delay)));
    for (const Pathway& p : s.pathways)
      if (p.name != "pre" && p.name != "post" && p.delay)
        line(1, fmt::format("delay {}: {}", p.name, to_string(p.delay)));
    if (has_differential(s.variables)) line(1, fmt::format("method: {}", to_string(s.method)));
    if (!s.multisynaptic_index.empty())
      line(1, fmt::format("multisynaptic_index: {}", s.multisynaptic_index));
    statements(1, "init", s.init);
  }

  void monitor(const Monitor& m) {
    std::string target = m.object;
    if (m.start_expr) target += fmt::format("[{}:{}]", m.start, m.stop);
    std::string vars;
    for (auto& v : m.variables)
      vars += (vars.empty() ? "" : ", ") + target + "." + v;
    std::vector<std::string> opts;
    if (m.kind == MonitorKind::state) {
      if (m.record_all)
        opts.push_back("record = all");
      else {
        std::string r;
        for (auto i : m.record)
          r += (r.empty() ? "" : ", ") + std::to_string(i);
        opts.push_back("record = [" + r + "]");
      }
      if (m.dt > 0) opts.push_back(fmt::format("dt = {} * second", num(m.dt)));
      if (m.float32) opts.push_back("float32");
      if (m.when != "start") opts.push_back("when = " + m.when);
    }
    if (m.kind == MonitorKind::spikes && !m.variables.empty()) {
      std::string vs;
      for (auto& v : m.variables)
        vs += (vs.empty() ? "" : ", ") + v;
      opts.push_back("variables = [" + vs + "]");
      vars.clear();
    }
    if (m.counts_only) opts.push_back("counts only");
    if (m.kind == MonitorKind::rate) opts.push_back(fmt::format("bin = {} * second", num(m.bin)));
    if (m.schedule_item > 0) opts.push_back(fmt::format("from schedule item {}", m.schedule_item));
    std::string o;
    for (auto& x : opts)
      o += (o.empty() ? "" : ", ") + x;
    bool events = m.kind == MonitorKind::spikes && m.event != "spike";
    if (events) target += "." + m.event;
    line(0, fmt::format("monitor {} {} = {}{}", events ? "events" : to_string(m.kind), m.name,
                        vars.empty() ? target : vars, o.empty() ? "" : " (" + o + ")"));
  }

  void event(const Event& e) {
    if (e.kind == EventKind::at)
      line(0, fmt::format("at {} * second:", num(e.time)));
    else {
      std::string opt = fmt::format("from = {} * second", num(e.from));
      if (e.until >= 0) opt += fmt::format(", until = {} * second", num(e.until));
      line(0, fmt::format("every {} * second ({}):", num(e.time), opt));
    }
    for (const Statement& s : e.statements)
      line(1, to_string(s));
  }

  std::ostringstream os_;
};

using nlohmann::json;

json loc_json(const SourceLoc& l) {
  return json{{"line", l.line}, {"col", l.col}};
}

json constant_json(const Constant& c) {
  return json{{"name", c.name},
              {"value", c.value},
              {"unit", c.dim.to_string()},
              {"expr", to_string(c.expr)},
              {"type", type_name(c.type)},
              {"overridden", c.overridden},
              {"loc", loc_json(c.loc)}};
}

json variables_json(const std::vector<Variable>& vs) {
  json out = json::array();
  for (const Variable& v : vs) {
    json f = json::array();
    for (Flag x : v.flags)
      f.push_back(to_string(x));
    json j{{"name", v.name},
           {"kind", to_string(v.kind)},
           {"unit", unit_of(v)},
           {"dimensions", v.dim.base_string()},
           {"type", type_name(v.type)},
           {"flags", f},
           {"loc", loc_json(v.loc)}};
    if (v.rhs) j["expr"] = to_string(v.rhs);
    out.push_back(j);
  }
  return out;
}

const std::vector<Statement>& pathway_statements(const Synapses& s, const std::string& name) {
  static const std::vector<Statement> none;
  const Pathway* p = s.find_pathway(name);
  return p ? p->statements : none;
}

json statements_json(const std::vector<Statement>& ss) {
  json out = json::array();
  for (const Statement& s : ss)
    out.push_back(to_string(s));
  return out;
}

json constants_json(const std::vector<Constant>& cs) {
  json out = json::array();
  for (const Constant& c : cs)
    out.push_back(constant_json(c));
  return out;
}

json slice_json(const GroupSlice& s) {
  json j{{"group", s.group}};
  if (s.sliced()) {
    j["start"] = s.start;
    j["stop"] = s.stop;
  }
  return j;
}

} // namespace

std::string print_ir(const Model& m) {
  Printer p;
  return p.run(m);
}

json ir_to_json(const Model& m) {
  json j;
  j["file"] = m.path;
  j["imports"] = m.imports;
  j["dt"] = m.dt;
  j["seed"] = m.seed;
  j["constants"] = constants_json(m.constants);
  j["templates"] = json::array();
  for (const Template& t : m.templates)
    j["templates"].push_back({{"name", t.name}, {"kind", t.kind}, {"base", t.base}});
  j["timed_arrays"] = json::array();
  for (const TimedArray& t : m.timed) {
    json x{{"name", t.name}, {"unit", t.dim.to_string()}, {"dt", t.dt}, {"rows", t.rows},
           {"cols", t.cols}, {"loc", loc_json(t.loc)}};
    if (!t.load_path.empty())
      x["load"] = t.load_path;
    else
      x["values"] = t.values;
    j["timed_arrays"].push_back(x);
  }
  j["groups"] = json::array();
  for (const Group& g : m.groups) {
    json x{{"name", g.name},
           {"kind", to_string(g.kind)},
           {"size", g.size},
           {"template", g.template_name},
           {"constants", constants_json(g.constants)},
           {"variables", variables_json(g.variables)},
           {"reset", statements_json(g.reset)},
           {"init", statements_json(g.init)},
           {"method", to_string(g.method)},
           {"method_chosen", g.method_chosen},
           {"loc", loc_json(g.loc)}};
    x["threshold"] = g.threshold ? json(to_string(g.threshold)) : json();
    if (!g.links.empty()) {
      x["links"] = json::array();
      for (const Link& l : g.links)
        x["links"].push_back(
            {{"var", l.var}, {"group", l.group}, {"source", l.source}, {"loc", loc_json(l.loc)}});
    }
    if (!g.events.empty()) {
      x["events"] = json::array();
      for (const GroupEvent& e : g.events)
        x["events"].push_back({{"name", e.name},
                               {"condition", to_string(e.condition)},
                               {"statements", statements_json(e.statements)},
                               {"loc", loc_json(e.loc)}});
    }
    x["refractory"] = g.refractory ? json(to_string(g.refractory)) : json();
    if (g.kind == GroupKind::spikes) {
      x["indices"] = g.indices;
      x["times"] = g.times;
      x["period"] = g.period;
      if (!g.load_path.empty()) x["load"] = g.load_path;
    }
    j["groups"].push_back(x);
  }
  j["synapses"] = json::array();
  for (const Synapses& s : m.synapses) {
    json c{{"all", s.connect.all}, {"one_to_one", s.connect.one_to_one}};
    if (s.connect.condition) c["condition"] = to_string(s.connect.condition);
    if (s.connect.gen_j) {
      c["generator"] = generator(s.connect);
      c["skip_if_invalid"] = s.connect.skip_if_invalid;
    }
    if (s.connect.p) c["p"] = to_string(s.connect.p);
    if (s.connect.n) c["n"] = to_string(s.connect.n);
    if (s.connect.i) c["i"] = to_string(s.connect.i);
    if (s.connect.j) c["j"] = to_string(s.connect.j);
    if (!s.connect.load_path.empty()) c["load"] = s.connect.load_path;
    json x{{"name", s.name},
           {"template", s.template_name},
           {"source", slice_json(s.source)},
           {"target", slice_json(s.target)},
           {"constants", constants_json(s.constants)},
           {"variables", variables_json(s.variables)},
           {"on_pre", statements_json(pathway_statements(s, "pre"))},
           {"on_post", statements_json(pathway_statements(s, "post"))},
           {"init", statements_json(s.init)},
           {"connect", s.connect.present ? c : json()},
           {"method", to_string(s.method)},
           {"multisynaptic_index",
            s.multisynaptic_index.empty() ? json() : json(s.multisynaptic_index)},
           {"loc", loc_json(s.loc)}};
    auto delay_of = [&](const std::string& n) {
      const Pathway* p = s.find_pathway(n);
      return p && p->delay ? json(to_string(p->delay)) : json();
    };
    x["delay"] = delay_of("pre");
    x["delay_post"] = delay_of("post");
    // Every pathway, 'pre' and 'post' included (Brian2's SynapticPathway).
    x["pathways"] = json::array();
    for (const Pathway& p : s.pathways)
      x["pathways"].push_back({{"name", p.name},
                               {"on", p.pre ? "pre" : "post"},
                               {"statements", statements_json(p.statements)},
                               {"delay", p.delay ? json(to_string(p.delay)) : json()},
                               {"loc", loc_json(p.loc)}});
    for (std::size_t k = 0; k < s.pathways.size(); ++k)
      if (s.pathways[k].event != "spike") x["pathways"][k]["event"] = s.pathways[k].event;
    j["synapses"].push_back(x);
  }
  j["monitors"] = json::array();
  for (const Monitor& mon : m.monitors) {
    json x{{"name", mon.name},
           {"kind", to_string(mon.kind)},
           {"object", mon.object},
           {"variables", mon.variables},
           {"loc", loc_json(mon.loc)}};
    if (mon.start_expr) x["slice"] = {mon.start, mon.stop};
    if (mon.kind == MonitorKind::state) {
      x["record"] = mon.record_all ? json("all") : json(mon.record);
      x["dt"] = mon.dt;
      x["dtype"] = mon.float32 ? "float32" : "float64";
      if (mon.when != "start") x["when"] = mon.when;
    }
    if (mon.kind == MonitorKind::spikes) {
      x["counts_only"] = mon.counts_only;
      if (mon.event != "spike") x["event"] = mon.event;
    }
    if (mon.kind == MonitorKind::rate) x["bin"] = mon.bin;
    x["schedule_item"] = mon.schedule_item;
    j["monitors"].push_back(x);
  }
  j["events"] = json::array();
  for (const Event& e : m.events) {
    json x{{"kind", e.kind == EventKind::at ? "at" : "every"},
           {"time", e.time},
           {"statements", statements_json(e.statements)},
           {"loc", loc_json(e.loc)}};
    if (e.kind == EventKind::every) {
      x["from"] = e.from;
      x["until"] = e.until >= 0 ? json(e.until) : json();
    }
    j["events"].push_back(x);
  }
  j["poisson_inputs"] = json::array();
  for (const PoissonInput& pi : m.poisson_inputs)
    j["poisson_inputs"].push_back({{"name", pi.name},
                                   {"N", pi.n},
                                   {"rate", pi.rate},
                                   {"statement", to_string(pi.statement)},
                                   {"loc", loc_json(pi.loc)}});
  j["schedule"] = json::array();
  for (const ScheduleItem& it : m.schedule) {
    if (it.kind == ScheduleItem::Kind::run)
      j["schedule"].push_back({{"run", it.duration}});
    else if (it.kind == ScheduleItem::Kind::store)
      j["schedule"].push_back({{"store", it.snapshot}});
    else if (it.kind == ScheduleItem::Kind::restore)
      j["schedule"].push_back({{"restore", it.snapshot}});
    else
      j["schedule"].push_back({{"statement", to_string(it.statement)}});
  }
  return j;
}

} // namespace snnc::ir
