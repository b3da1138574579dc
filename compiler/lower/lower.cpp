#include "lower/lower.h"

#include "lower/load.h"
#include "units/dimension.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <set>

namespace snnc::lower {

namespace {

// Names that models may not define: built-ins of groups and synapses.
// `N` is not reserved: a constant N (as in Brian2 scripts' `N = 4000`) takes
// precedence over the built-in group size in expressions.
const std::set<std::string> kReserved = {
    "t",          "dt",         "i",          "j",    "xi",    "lastspike", "not_refractory",
    "lastupdate", "N_incoming", "N_outgoing", "True", "False", "and",       "or",
    "not"};

// A template or inline body, merged over its bases.
struct Merged {
  std::vector<ir::Constant> consts;
  std::vector<ir::Variable> vars;
  ir::ExprPtr threshold, refractory;
  std::optional<std::vector<ir::Statement>> reset, init;
  std::vector<ast::PathwayBlock> pathways;  // by name: a body's replaces its base's
  std::vector<ast::DelayBlock> delays;      // by pathway
  std::vector<ast::EventCondition> events;  // by name
  std::vector<ast::OnEventBlock> on_events; // by event
  std::vector<ast::LinkLine> links;         // by variable
  std::optional<ast::Ident> method;
  std::optional<ast::Ident> multisynaptic_index;
  std::optional<std::vector<ast::ConnectItem>> connect;
  SourceLoc connect_loc;
};

ir::Constant constant_of(const ast::Const& c) {
  ir::Constant k;
  k.name = c.name.name;
  k.loc = c.name.loc;
  k.expr = c.value;
  return k;
}

struct TemplateEntry {
  const ast::Template* decl;
  std::string file;
};

class Lowering {
public:
  explicit Lowering(Diagnostics& diag) : diag_(diag) {}

  ir::Model run(std::vector<ast::File>& files) {
    ir::Model m;
    if (files.empty()) return m;
    m.path = files.back().path;
    for (std::size_t f = 0; f < files.size(); ++f) {
      bool is_main = f + 1 == files.size();
      file_ = files[f].path;
      if (!is_main) m.imports.push_back(files[f].path);
      for (ast::Item& item : files[f].items) {
        if (!is_main && !allowed_in_import(item)) continue;
        lower_item(item, files[f].path, m);
      }
    }
    for (const ir::Monitor& mon : m.monitors)
      if (mon.schedule_item > 0 && mon.schedule_item == m.schedule.size())
        diag_.warning(mon.loc, fmt::format("monitor '{}' is declared after the last run: it "
                                           "records nothing (a monitor records from where it "
                                           "is declared, as a Brian2 monitor created between "
                                           "runs does)",
                                           mon.name));
    return m;
  }

private:
  bool allowed_in_import(const ast::Item& item) {
    using K = ast::Item::Kind;
    if (item.kind == K::constant || item.kind == K::import || item.kind == K::template_)
      return true;
    SourceLoc loc;
    switch (item.kind) {
    case K::setting:
      loc = item.setting.loc;
      break;
    case K::neurons:
      loc = item.neurons.loc;
      break;
    case K::synapses:
      loc = item.synapses.loc;
      break;
    case K::poisson:
      loc = item.poisson.loc;
      break;
    case K::spikes:
      loc = item.spikes.loc;
      break;
    case K::timed:
      loc = item.timed.loc;
      break;
    case K::monitor:
      loc = item.monitor.loc;
      break;
    case K::poisson_input:
      loc = item.poisson_input.loc;
      break;
    case K::event:
      loc = item.event.loc;
      break;
    case K::run:
      loc = item.run.loc;
      break;
    case K::statement:
      loc = item.statement.loc;
      break;
    default:
      break;
    }
    diag_.error(loc, "an imported file may only declare templates and constants");
    return false;
  }

  // ---- names -------------------------------------------------------------

  // Registers a top-level name; reports a clash with anything declared before.
  bool declare(const std::string& name, SourceLoc loc, const std::string& what) {
    if (kReserved.count(name)) {
      diag_.error(loc, fmt::format("'{}' is a reserved name and cannot name a {}", name, what));
      return false;
    }
    auto it = names_.find(name);
    if (it != names_.end()) {
      diag_.error(loc, fmt::format("duplicate name '{}': a {} of that name is already declared at "
                                   "line {}",
                                   name, it->second.second, it->second.first.line));
      return false;
    }
    names_[name] = {loc, what};
    if (units::find_unit(name))
      diag_.warning(loc, fmt::format("{} '{}' shadows the unit '{}'", what, name, name));
    return true;
  }

  // ---- items -------------------------------------------------------------

  void lower_item(ast::Item& item, const std::string& file, ir::Model& m) {
    using K = ast::Item::Kind;
    switch (item.kind) {
    case K::setting:
      setting(item.setting, m);
      break;
    case K::constant: {
      ast::Const& c = item.constant;
      if (declare(c.name.name, c.name.loc, "constant")) {
        m.constants.push_back(constant_of(c));
        m.constants.back().schedule_item = m.schedule.size();
      }
      break;
    }
    case K::import:
      break;
    case K::template_: {
      ast::Template& t = item.template_;
      std::string kind = t.kind == ast::Template::Kind::neuron ? "neuron" : "synapse";
      if (!declare(t.name.name, t.name.loc, kind + " template")) break;
      templates_[t.name.name] = {&t, file};
      check_constants(t.body);
      check_variables(t.body.equations);
      m.templates.push_back({t.name.name, kind, t.base ? t.base->name : "", t.name.loc});
      if (t.base) merged(t.name.name, t.name.loc); // reports base problems once, here
      break;
    }
    case K::neurons:
      neurons(item.neurons, m);
      break;
    case K::synapses:
      synapses(item.synapses, m);
      break;
    case K::poisson:
      poisson(item.poisson, m);
      break;
    case K::spikes:
      spikes(item.spikes, file, m);
      break;
    case K::timed:
      timed(item.timed, file, m);
      break;
    case K::monitor:
      monitor(item.monitor, m);
      break;
    case K::poisson_input:
      poisson_input(item.poisson_input, m);
      break;
    case K::event:
      event(item.event, m);
      break;
    case K::run: {
      ir::ScheduleItem s;
      s.kind = ir::ScheduleItem::Kind::run;
      s.loc = item.run.loc;
      s.duration_expr = item.run.duration;
      m.schedule.push_back(std::move(s));
      runs_seen_ = true;
      break;
    }
    case K::snapshot: {
      const std::string& name = item.snapshot.name.name;
      if (item.snapshot.restore && !stored_.count(name)) {
        diag_.error(item.snapshot.name.loc,
                    fmt::format("'restore{0}' needs a 'store{0}' before it",
                                name == "default" ? std::string() : " " + name));
        break;
      }
      stored_.insert(name);
      ir::ScheduleItem s;
      s.kind =
          item.snapshot.restore ? ir::ScheduleItem::Kind::restore : ir::ScheduleItem::Kind::store;
      s.loc = item.snapshot.loc;
      s.snapshot = name;
      m.schedule.push_back(std::move(s));
      break;
    }
    case K::statement: {
      ir::ScheduleItem s;
      s.kind = ir::ScheduleItem::Kind::statement;
      s.loc = item.statement.loc;
      // `taum = 20*ms`: a constant of the file changed between runs, as a
      // Brian2 script changes a namespace variable (promote_constants).
      bool constant =
          item.statement.object.empty() && !item.statement.sliced() &&
          std::any_of(m.constants.begin(), m.constants.end(),
                      [&](const ir::Constant& c) { return c.name == item.statement.var; });
      if (item.statement.object.empty() && !constant) {
        diag_.error(item.statement.var_loc,
                    fmt::format("a statement outside a group must name its object: write "
                                "'group.{} {} ...'",
                                item.statement.var, ir::to_string(item.statement.op)));
        break;
      }
      s.statement = std::move(item.statement);
      m.schedule.push_back(std::move(s));
      break;
    }
    }
  }

  void setting(ast::Setting& s, ir::Model& m) {
    if (s.name.name == "dt") {
      if (m.dt_expr) {
        diag_.error(s.loc, fmt::format("dt is set twice (first at line {})", m.dt_loc.line));
        return;
      }
      if (runs_seen_) {
        diag_.error(s.loc, "dt must be set before the first run");
        return;
      }
      m.dt_expr = s.value;
      m.dt_loc = s.loc;
    } else {
      if (m.seed_expr) {
        diag_.error(s.loc, "seed is set twice");
        return;
      }
      m.seed_expr = s.value;
      m.seed_set = true;
    }
  }

  // ---- templates ---------------------------------------------------------

  // The merged body of template `name`, following its base chain.
  std::optional<Merged> merged(const std::string& name, SourceLoc use) {
    std::vector<const ast::Template*> chain;
    std::string cur = name;
    SourceLoc at = use;
    while (true) {
      auto it = templates_.find(cur);
      if (it == templates_.end()) {
        std::vector<std::string> names;
        for (auto& [n, e] : templates_)
          names.push_back(n);
        diag_.error(at, fmt::format("unknown template '{}'{}", cur, did_you_mean(cur, names)));
        return std::nullopt;
      }
      const ast::Template* t = it->second.decl;
      if (std::find(chain.begin(), chain.end(), t) != chain.end()) {
        diag_.error(t->name.loc, fmt::format("template '{}' extends itself", t->name.name));
        return std::nullopt;
      }
      if (!chain.empty() && t->kind != chain.back()->kind) {
        diag_.error(chain.back()->base->loc,
                    fmt::format("template '{}' cannot extend '{}': one is a neuron template, the "
                                "other a synapse template",
                                chain.back()->name.name, t->name.name));
        return std::nullopt;
      }
      chain.push_back(t);
      if (!t->base) break;
      cur = t->base->name;
      at = t->base->loc;
    }
    Merged out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
      apply((*it)->body, out);
    return out;
  }

  // Applies a body over `m`: blocks replace, constants and equations merge by name.
  void apply(const ast::Body& b, Merged& m) {
    for (const ast::Const& c : b.consts) {
      auto it = std::find_if(m.consts.begin(), m.consts.end(),
                             [&](auto& x) { return x.name == c.name.name; });
      ir::Constant k = constant_of(c);
      if (it != m.consts.end())
        *it = k;
      else
        m.consts.push_back(k);
    }
    for (const ast::Equation& e : b.equations) {
      ir::Variable v = variable(e);
      auto it =
          std::find_if(m.vars.begin(), m.vars.end(), [&](auto& x) { return x.name == v.name; });
      if (it != m.vars.end())
        *it = std::move(v);
      else
        m.vars.push_back(std::move(v));
    }
    if (b.threshold) m.threshold = *b.threshold;
    if (b.refractory) m.refractory = *b.refractory;
    if (b.reset) m.reset = b.reset;
    if (b.init) m.init = b.init;
    // A body's pathway (or delay) replaces its base's of the same name.
    auto merge = [](auto& into, const auto& from, auto key) {
      for (const auto& x : from) {
        auto it = std::find_if(into.begin(), into.end(), [&](auto& y) { return key(y) == key(x); });
        if (it != into.end())
          *it = x;
        else
          into.push_back(x);
      }
    };
    merge(m.pathways, b.pathways, [](const ast::PathwayBlock& x) { return x.name.name; });
    merge(m.delays, b.delays, [](const ast::DelayBlock& x) { return x.pathway.name; });
    merge(m.events, b.events, [](const ast::EventCondition& x) { return x.name.name; });
    merge(m.on_events, b.on_events, [](const ast::OnEventBlock& x) { return x.event.name; });
    merge(m.links, b.links, [](const ast::LinkLine& x) { return x.var.name; });
    if (b.method) m.method = b.method;
    if (b.multisynaptic_index) m.multisynaptic_index = b.multisynaptic_index;
    if (b.connect) {
      m.connect = b.connect;
      m.connect_loc = b.connect_loc;
    }
  }

  ir::Variable variable(const ast::Equation& e) {
    ir::Variable v;
    v.kind = e.kind == ast::Equation::Kind::differential    ? ir::VarKind::differential
             : e.kind == ast::Equation::Kind::subexpression ? ir::VarKind::subexpression
                                                            : ir::VarKind::parameter;
    v.name = e.var.name;
    v.loc = e.var.loc;
    v.rhs = e.rhs;
    v.unit_expr = e.unit;
    for (const ast::Ident& f : e.flags) {
      auto flag = ir::flag_from_string(f.name);
      if (!flag) {
        diag_.error(f.loc, fmt::format("unknown flag '{}'{}", f.name,
                                       did_you_mean(f.name, ir::flag_names())));
        continue;
      }
      if (v.has(*flag)) {
        diag_.error(f.loc, fmt::format("flag '{}' is given twice", f.name));
        continue;
      }
      v.flags.push_back(*flag);
      v.flag_locs.push_back(f.loc);
    }
    return v;
  }

  // Checks the variables of one object: reserved and duplicate names.
  void check_variables(const std::vector<ast::Equation>& eqs) {
    std::map<std::string, SourceLoc> seen;
    for (const ast::Equation& e : eqs) {
      const std::string& n = e.var.name;
      if (kReserved.count(n) && n != "lastupdate") {
        diag_.error(e.var.loc, fmt::format("'{}' is a built-in name and cannot be a variable", n));
      } else if (n.rfind("xi_", 0) == 0) {
        diag_.error(e.var.loc,
                    fmt::format("'{}' is a noise name (xi_*) and cannot be a variable", n));
      }
      auto [it, fresh] = seen.emplace(n, e.var.loc);
      if (!fresh)
        diag_.error(e.var.loc, fmt::format("variable '{}' is defined twice (first at line {})", n,
                                           it->second.line));
      else if (units::find_unit(n))
        diag_.warning(e.var.loc, fmt::format("variable '{}' shadows the unit '{}'", n, n));
    }
  }

  void check_constants(const ast::Body& b) {
    std::map<std::string, SourceLoc> seen;
    for (const ast::Const& c : b.consts) {
      if (kReserved.count(c.name.name)) {
        diag_.error(c.name.loc,
                    fmt::format("'{}' is a reserved name and cannot name a constant", c.name.name));
        continue;
      }
      auto [it, fresh] = seen.emplace(c.name.name, c.name.loc);
      if (!fresh)
        diag_.error(c.name.loc, fmt::format("constant '{}' is defined twice in this body (first at "
                                            "line {})",
                                            c.name.name, it->second.line));
      else if (units::find_unit(c.name.name))
        diag_.warning(c.name.loc,
                      fmt::format("constant '{}' shadows the unit '{}'", c.name.name, c.name.name));
    }
  }

  // Applies `name = value` overrides to template constants.
  void overrides(const std::vector<ast::KeywordArg>& kws, std::vector<ir::Constant>& consts,
                 const std::string& tname) {
    std::set<std::string> done;
    for (const ast::KeywordArg& k : kws) {
      auto it =
          std::find_if(consts.begin(), consts.end(), [&](auto& c) { return c.name == k.key.name; });
      if (it == consts.end()) {
        std::vector<std::string> names;
        for (auto& c : consts)
          names.push_back(c.name);
        diag_.error(k.key.loc, fmt::format("'{}' is not a constant of template '{}'{}", k.key.name,
                                           tname, did_you_mean(k.key.name, names)));
        continue;
      }
      if (!done.insert(k.key.name).second) {
        diag_.error(k.key.loc, fmt::format("constant '{}' is overridden twice", k.key.name));
        continue;
      }
      it->expr = k.value;
      it->loc = k.key.loc;
      it->overridden = true;
    }
  }

  const ast::Template* find_template(const ast::Ident& name, ast::Template::Kind kind) {
    auto it = templates_.find(name.name);
    if (it == templates_.end()) {
      std::vector<std::string> names;
      for (auto& [n, e] : templates_)
        if (e.decl->kind == kind) names.push_back(n);
      diag_.error(name.loc, fmt::format("unknown {} template '{}'{}",
                                        kind == ast::Template::Kind::neuron ? "neuron" : "synapse",
                                        name.name, did_you_mean(name.name, names)));
      return nullptr;
    }
    if (it->second.decl->kind != kind) {
      diag_.error(name.loc,
                  fmt::format("'{}' is a {} template; {} need a {} template", name.name,
                              kind == ast::Template::Kind::neuron ? "synapse" : "neuron",
                              kind == ast::Template::Kind::neuron ? "neurons" : "synapses",
                              kind == ast::Template::Kind::neuron ? "neuron" : "synapse"));
      return nullptr;
    }
    return it->second.decl;
  }

  // The merged body of an instance's template (empty for an inline object);
  // nullopt after an error. Sets `name` to the template's name.
  std::optional<Merged> template_body(const std::optional<ast::Ident>& tname,
                                      ast::Template::Kind kind, std::string& name) {
    if (!tname) return Merged{};
    const ast::Template* t = find_template(*tname, kind);
    if (!t) return std::nullopt;
    name = t->name.name;
    return merged(name, tname->loc);
  }

  void method(const std::optional<ast::Ident>& m, ir::Method& out, SourceLoc& loc) {
    if (!m) return;
    auto meth = ir::method_from_string(m->name);
    if (!meth) {
      diag_.error(m->loc, fmt::format("unknown integration method '{}'{}; known methods: exact, "
                                      "euler, rk2, rk4, heun, milstein, exponential_euler",
                                      m->name, did_you_mean(m->name, ir::method_names())));
      return;
    }
    out = *meth;
    loc = m->loc;
  }

  // ---- network objects ----------------------------------------------------

  void neurons(ast::Neurons& n, ir::Model& m) {
    if (!declare(n.name.name, n.name.loc, "group")) return;
    ir::Group g;
    g.kind = ir::GroupKind::neurons;
    g.name = n.name.name;
    g.loc = n.name.loc;
    auto base = template_body(n.template_name, ast::Template::Kind::neuron, g.template_name);
    if (!base) return;
    Merged body = std::move(*base);
    if (n.template_name) {
      if (n.args.positional.size() != 1) {
        SourceLoc loc =
            n.args.positional.size() > 1 ? n.args.positional[1]->loc : n.template_name->loc;
        diag_.error(loc, fmt::format("'{}(...)' takes the group size as its only positional "
                                     "argument, then constant overrides such as 'a = 0.1/ms'",
                                     g.template_name));
        return;
      }
      if (n.args.load) {
        diag_.error(n.args.load->loc, "load(...) is not an argument of a neuron group");
        return;
      }
      g.size_expr = n.args.positional[0];
    } else {
      g.size_expr = n.size;
    }
    check_constants(n.body);
    check_variables(n.body.equations);
    apply(n.body, body);
    if (n.template_name) overrides(n.args.keywords, body.consts, g.template_name);
    if (!body.pathways.empty() || body.connect || !body.delays.empty()) {
      diag_.error(n.name.loc, "a neuron group cannot have on_pre, on_post, connect or delay");
    }
    g.constants = std::move(body.consts);
    g.variables = std::move(body.vars);
    g.threshold = body.threshold;
    g.refractory = body.refractory;
    if (body.reset) g.reset = *body.reset;
    if (body.init) g.init = *body.init;
    events(body, g);
    links(body, g);
    method(body.method, g.method, g.method_loc);
    if (g.reset.size() && !g.threshold)
      diag_.error(g.reset.front().loc, "a reset needs a threshold");
    if (g.refractory && !g.threshold)
      diag_.error(g.refractory->loc, "refractoriness needs a threshold");
    g.schedule_item = m.schedule.size();
    m.groups.push_back(std::move(g));
  }

  ir::GroupSlice slice(const ast::GroupRef& r) {
    ir::GroupSlice s;
    s.group = r.group.name;
    s.loc = r.group.loc;
    s.start_expr = r.start;
    s.stop_expr = r.stop;
    return s;
  }

  // The links of a group's (linked) parameters; resolve_names checks what
  // they link to.
  void links(const Merged& body, ir::Group& g) {
    for (const ast::LinkLine& l : body.links) {
      const ir::Variable* v = g.find_variable(l.var.name);
      if (!v || !v->has(ir::Flag::linked)) {
        diag_.error(l.var.loc, fmt::format("'{}' is not a linked parameter of this group: "
                                           "declare it as '{} : unit (linked)'",
                                           l.var.name, l.var.name));
        continue;
      }
      ir::Link link{l.var.name,  l.var.loc,    l.group.name, l.source.name,
                    l.group.loc, l.source.loc, l.index,      ""};
      if (l.index) index_of_link(link, g);
      g.links.push_back(std::move(link));
    }
    for (const ir::Variable& v : g.variables)
      if (v.has(ir::Flag::linked) && !g.find_link(v.name))
        diag_.error(v.loc, fmt::format("the linked parameter '{}' is not linked: add 'link: {} "
                                       "= GROUP.VARIABLE' to the group",
                                       v.name, v.name));
  }

  // Brian2's linked_var(..., index=...): `[name]` of an integer parameter of
  // the group reads it where it is (index='name'); any other index is kept
  // in a hidden integer parameter set first at init (an index array: an
  // expression of i, a list or load(...)).
  void index_of_link(ir::Link& l, ir::Group& g) {
    const ir::ExprPtr& e = l.index;
    if (e->kind == ir::ExprKind::name) {
      const ir::Variable* v = g.find_variable(e->name);
      if (v && v->kind == ir::VarKind::parameter && !v->has(ir::Flag::linked)) {
        l.index_var = e->name; // checked to be an integer by check_units
        return;
      }
    }
    l.index_var = "_" + l.var + "_index";
    if (g.find_variable(l.index_var)) {
      diag_.error(l.loc, fmt::format("the index of the link of '{}' needs the name '{}', which "
                                     "the group already has",
                                     l.var, l.index_var));
      return;
    }
    ir::Variable v;
    v.name = l.index_var;
    v.loc = e->loc;
    v.unit_expr = ir::make_name("integer", e->loc);
    g.variables.push_back(std::move(v));
    ir::Statement s;
    s.loc = s.var_loc = s.object_loc = e->loc;
    s.var = l.index_var;
    s.value = e;
    g.init.insert(g.init.begin(), std::move(s));
  }

  // A group's custom events and their statements.
  void events(const Merged& body, ir::Group& g) {
    for (const ast::EventCondition& e : body.events) {
      const std::string& n = e.name.name;
      if (n == "spike") {
        diag_.error(e.name.loc, "'spike' is the event of the threshold ('threshold:'); name "
                                "this event otherwise");
        continue;
      }
      if (kReserved.count(n) || n == "on") {
        diag_.error(e.name.loc, fmt::format("'{}' is a built-in name, not an event name", n));
        continue;
      }
      if (g.find_event(n)) {
        diag_.error(e.name.loc, fmt::format("duplicate event '{}'", n));
        continue;
      }
      g.events.push_back({n, e.name.loc, e.condition, {}});
    }
    for (const ast::OnEventBlock& b : body.on_events) {
      auto it = std::find_if(g.events.begin(), g.events.end(),
                             [&](auto& e) { return e.name == b.event.name; });
      if (it != g.events.end()) {
        it->statements = b.statements;
        continue;
      }
      std::vector<std::string> names;
      for (const ir::GroupEvent& e : g.events)
        names.push_back(e.name);
      diag_.error(b.event.loc,
                  b.event.name == "spike"
                      ? std::string("statements on a spike are the reset ('reset:')")
                      : fmt::format("statements for the event '{}', which this group does not "
                                    "have (no line '{}: condition' in its 'events:'){}",
                                    b.event.name, b.event.name, did_you_mean(b.event.name, names)));
    }
  }

  // The pathways and their delays (Brian2's SynapticPathway objects).
  void pathways(const Merged& body, ir::Synapses& s) {
    for (const ast::PathwayBlock& b : body.pathways) {
      const std::string& n = b.name.name;
      if ((n == "pre" && !b.pre) || (n == "post" && b.pre)) {
        diag_.error(b.name.loc, fmt::format("the pathway '{0}' is the on_{0} one ('on_{0}:'); "
                                            "give this {1} pathway another name",
                                            n, b.pre ? "on_pre" : "on_post"));
        continue;
      }
      if (kReserved.count(n)) {
        diag_.error(b.name.loc, fmt::format("'{}' is a built-in name, not a pathway name", n));
        continue;
      }
      ir::Pathway p;
      p.name = n;
      p.pre = b.pre;
      p.loc = b.name.loc;
      p.statements = b.statements;
      if (!b.event.name.empty()) {
        p.event = b.event.name;
        p.event_loc = b.event.loc;
      }
      s.pathways.push_back(std::move(p));
    }
    for (const ast::DelayBlock& d : body.delays) {
      auto it = std::find_if(s.pathways.begin(), s.pathways.end(),
                             [&](auto& p) { return p.name == d.pathway.name; });
      if (it == s.pathways.end()) {
        std::string block = d.pathway.name == "pre"    ? "on_pre:"
                            : d.pathway.name == "post" ? "on_post:"
                                                       : "on_pre " + d.pathway.name + ":";
        diag_.error(d.pathway.loc,
                    fmt::format("a delay for the pathway '{}', which these synapses do not have "
                                "(no '{}' block)",
                                d.pathway.name, block));
        continue;
      }
      it->delay = d.value;
    }
    for (const ir::Pathway& p : s.pathways)
      if (p.delay)
        for (const ir::Variable& v : s.variables)
          if (v.name == p.delay_variable())
            diag_.error(v.loc, fmt::format("'{}' is the delay of the pathway '{}'; name this "
                                           "variable otherwise",
                                           v.name, p.name));
  }

  // Brian2's multisynaptic_index: an integer variable, each synapse's number
  // among the synapses of its (pre, post) pair, set when they are made.
  void multisynaptic_index(const ast::Ident& name, ir::Synapses& s) {
    if (s.find_variable(name.name)) {
      diag_.error(name.loc, fmt::format("'{}' is a variable of the synapses already; "
                                        "multisynaptic_index names a new one",
                                        name.name));
      return;
    }
    ir::Variable v;
    v.kind = ir::VarKind::parameter;
    v.name = name.name;
    v.loc = name.loc;
    v.unit_expr = ir::make_name("integer", name.loc);
    v.flags = {ir::Flag::constant};
    v.flag_locs = {name.loc};
    s.variables.push_back(std::move(v));
    s.multisynaptic_index = name.name;
  }

  void synapses(ast::Synapses& sd, ir::Model& m) {
    if (!declare(sd.name.name, sd.name.loc, "synapses object")) return;
    ir::Synapses s;
    s.name = sd.name.name;
    s.loc = sd.name.loc;
    s.source = slice(sd.source);
    s.target = slice(sd.target);
    auto base = template_body(sd.template_name, ast::Template::Kind::synapse, s.template_name);
    if (!base) return;
    Merged body = std::move(*base);
    check_constants(sd.body);
    check_variables(sd.body.equations);
    apply(sd.body, body);
    if (sd.template_name) overrides(sd.overrides, body.consts, s.template_name);
    if (body.threshold || body.reset || body.refractory)
      diag_.error(sd.name.loc, "synapses cannot have a threshold, reset or refractory period");
    s.constants = std::move(body.consts);
    s.variables = std::move(body.vars);
    if (body.multisynaptic_index) multisynaptic_index(*body.multisynaptic_index, s);
    pathways(body, s);
    if (body.init) s.init = *body.init;
    method(body.method, s.method, s.method_loc);
    if (body.connect)
      connect(*body.connect, body.connect_loc, s.connect);
    else
      diag_.warning(sd.name.loc, fmt::format("synapses '{}' have no 'connect:' rule, so they "
                                             "create no synapses",
                                             s.name));
    s.schedule_item = m.schedule.size();
    m.synapses.push_back(std::move(s));
  }

  void connect(const std::vector<ast::ConnectItem>& items, SourceLoc loc, ir::Connect& c) {
    c.present = true;
    c.loc = loc;
    bool too_deep = false;
    auto and_ = [&](ir::ExprPtr e) {
      if (too_deep) return;
      if (c.condition && std::max(c.condition->depth, e->depth) >= ir::kMaxExprDepth) {
        diag_.error(e->loc, fmt::format("the connect conditions are more than {} operations deep "
                                        "together; join fewer",
                                        ir::kMaxExprDepth));
        too_deep = true;
        return;
      }
      c.condition = c.condition ? ir::make_binary(ir::BinOp::and_, c.condition, e, e->loc) : e;
    };
    ir::ExprPtr gen_if; // a generator's `if`
    for (const ast::ConnectItem& it : items) {
      switch (it.kind) {
      case ast::ConnectItem::Kind::all:
        c.all = true;
        break;
      case ast::ConnectItem::Kind::one_to_one:
        c.one_to_one = true;
        break;
      case ast::ConnectItem::Kind::skip_if_invalid:
        c.skip_if_invalid = true;
        break;
      case ast::ConnectItem::Kind::condition:
        and_(it.value);
        break;
      case ast::ConnectItem::Kind::load:
        c.load_path = resolve_relative(file_, it.load.path);
        c.load_loc = it.load.loc;
        if (!it.load.options.empty())
          diag_.error(it.load.options.front().key.loc, "load(...) in connect takes no options");
        break;
      case ast::ConnectItem::Kind::keyword: {
        ir::ExprPtr* slot = it.key.name == "p"   ? &c.p
                            : it.key.name == "n" ? &c.n
                            : it.key.name == "i" ? &c.i
                            : it.key.name == "j" ? &c.j
                                                 : nullptr;
        if (!slot) {
          diag_.error(it.key.loc,
                      fmt::format("unknown connect argument '{}'{}; connect takes all, "
                                  "one_to_one, a condition, p = ..., n = ..., i = "
                                  "[...], j = [...] or load(...)",
                                  it.key.name, did_you_mean(it.key.name, {"p", "n", "i", "j"})));
          break;
        }
        bool index = it.key.name == "j" || it.key.name == "i";
        bool generates =
            index && (it.gen_if || !it.gen_args.empty() || it.value->kind != ir::ExprKind::list);
        if (*slot || (c.gen_j && it.key.name == (c.gen_i ? "i" : "j"))) {
          diag_.error(it.key.loc, fmt::format("connect argument '{}' is given twice", it.key.name));
        } else if (generates && c.gen_j) {
          diag_.error(it.key.loc, "connect takes one generator (i = ... or j = ...), not two");
        } else if (generates) {
          c.gen_i = it.key.name == "i";
          gen_if = generator(it, c);
        } else {
          *slot = it.value;
        }
        break;
      }
      }
    }
    if (c.gen_j) {
      const char* x = c.gen_i ? "i" : "j";
      if (c.gen_i ? c.j : c.i)
        diag_.error(loc, fmt::format("a generator for {} ({} = ... for k in range(...)) cannot "
                                     "be combined with {} = [...]",
                                     x, x, c.gen_i ? "j" : "i"));
      if (c.condition || c.p || c.all || c.one_to_one || !c.load_path.empty())
        diag_.error(loc, fmt::format("a generator for {} ({} = ... for k in range(...) if ...) "
                                     "cannot be combined with another condition, p, all, "
                                     "one_to_one or load(...); write the condition after 'if' "
                                     "(and rand() < p there)",
                                     x, x));
      c.condition = gen_if;
    } else if (c.skip_if_invalid) {
      diag_.error(loc, "skip_if_invalid goes with a generator (j = ... for k in range(...), or "
                       "i = ...)");
    }
    bool explicit_ij = c.i || c.j;
    if (explicit_ij && !(c.i && c.j) && !c.gen_j) // with a generator: reported above
      diag_.error(loc, "connect needs both i = [...] and j = [...]");
    if ((explicit_ij || !c.load_path.empty()) && (c.condition || c.p || c.all || c.one_to_one))
      diag_.error(loc, "explicit i/j lists and load(...) cannot be combined with a condition, "
                       "p, all or one_to_one");
    if (explicit_ij && !c.load_path.empty())
      diag_.error(loc, "connect cannot take both i/j lists and load(...)");
    if (c.all && c.one_to_one) diag_.error(loc, "connect cannot be both 'all' and 'one_to_one'");
  }

  // `j = e for k in range(...) if c`: Brian2's generator syntax. Returns c.
  ir::ExprPtr generator(const ast::ConnectItem& it, ir::Connect& c) {
    c.gen_j = it.value;
    c.gen_loc = it.gen_loc.line ? it.gen_loc : it.loc;
    if (!it.gen_var.name.empty()) {
      c.gen_var = it.gen_var.name;
      bool sample = it.gen_fn.name == "sample";
      ir::ExprPtr sample_p;
      if (sample) {
        // Brian2's sample(..., p=P): each k of the range is taken with
        // probability P, drawn before the condition is checked.
        // sample(..., size=n): n distinct k of the range, in its order.
        auto kw = keywords(it.gen_keywords, {"p", "size"}, "sample(...)");
        if (kw.count("size") && kw.count("p"))
          diag_.error(kw["size"]->key.loc, "sample(...) takes either p= or size=, not both");
        else if (kw.count("size"))
          c.gen_size = kw["size"]->value;
        else if (!kw.count("p"))
          diag_.error(it.gen_fn.loc, "sample(...) needs its probability or its size: "
                                     "sample(N, p=0.1) or sample(N, size=10)");
        else
          sample_p = kw["p"]->value;
      }
      if (sample) {
        if (it.gen_args.empty() || it.gen_args.size() > 3)
          diag_.error(it.gen_fn.loc, fmt::format("sample takes 1 to 3 positional arguments "
                                                 "(stop; start, stop; or start, stop, step), "
                                                 "not {}",
                                                 it.gen_args.size()));
        else if (sample_p || c.gen_size) {
          c.gen_range = {it.gen_args.size() == 1 ? nullptr : it.gen_args[0],
                         it.gen_args.size() == 1 ? it.gen_args[0] : it.gen_args[1],
                         it.gen_args.size() == 3 ? it.gen_args[2] : nullptr};
          if (c.gen_size) return it.gen_if;
          ir::ExprPtr drawn = ir::make_binary(
              ir::BinOp::lt, ir::make_call("rand", {}, it.gen_fn.loc), sample_p, sample_p->loc);
          return it.gen_if ? ir::make_binary(ir::BinOp::and_, drawn, it.gen_if, it.gen_if->loc)
                           : drawn;
        }
      } else if (it.gen_fn.name != "range")
        diag_.error(
            it.gen_fn.loc,
            fmt::format("a connect generator iterates over range(...), not '{}'", it.gen_fn.name));
      else if (!it.gen_keywords.empty())
        diag_.error(it.gen_keywords.front().key.loc, "range takes no keyword arguments");
      else if (it.gen_args.empty() || it.gen_args.size() > 3)
        diag_.error(it.gen_fn.loc, fmt::format("range takes 1 to 3 arguments (stop; start, stop; "
                                               "or start, stop, step), not {}",
                                               it.gen_args.size()));
      else if (it.gen_args.size() == 1)
        c.gen_range = {nullptr, it.gen_args[0], nullptr};
      else
        c.gen_range = {it.gen_args[0], it.gen_args[1],
                       it.gen_args.size() == 3 ? it.gen_args[2] : nullptr};
    }
    return it.gen_if;
  }

  // Splits keyword arguments by name; reports unknown ones (with every
  // option there is: the keywords, and the `flags` written alone).
  std::map<std::string, const ast::KeywordArg*>
  keywords(const std::vector<ast::KeywordArg>& kws, const std::vector<std::string>& allowed,
           const std::string& what, const std::vector<std::string>& flags = {}) {
    std::map<std::string, const ast::KeywordArg*> out;
    for (const ast::KeywordArg& k : kws) {
      if (std::find(allowed.begin(), allowed.end(), k.key.name) == allowed.end()) {
        std::string list;
        for (auto& a : allowed)
          list += (list.empty() ? "" : ", ") + a;
        for (auto& f : flags)
          list += (list.empty() ? "'" : ", '") + f + "'";
        diag_.error(k.key.loc, fmt::format("unknown argument '{}' of {}{}; it takes {}", k.key.name,
                                           what, did_you_mean(k.key.name, allowed), list));
      } else if (!out.emplace(k.key.name, &k).second) {
        diag_.error(k.key.loc, fmt::format("argument '{}' is given twice", k.key.name));
      }
    }
    return out;
  }

  bool size_arg(const ast::Args& a, SourceLoc loc, const std::string& what, ir::ExprPtr& out) {
    if (a.positional.size() != 1) {
      diag_.error(a.positional.size() > 1 ? a.positional[1]->loc : loc,
                  fmt::format("{} takes the group size as its only positional argument", what));
      return false;
    }
    out = a.positional[0];
    return true;
  }

  void poisson(ast::Poisson& p, ir::Model& m) {
    if (!declare(p.name.name, p.name.loc, "group")) return;
    ir::Group g;
    g.kind = ir::GroupKind::poisson;
    g.name = p.name.name;
    g.loc = p.name.loc;
    if (!size_arg(p.args, p.name.loc, "poisson", g.size_expr)) return;
    if (p.args.load) diag_.error(p.args.load->loc, "poisson takes no load(...)");
    auto kw = keywords(p.args.keywords, {"rates"}, "poisson");
    if (!kw.count("rates")) {
      diag_.error(p.name.loc, "poisson needs its rates: 'poisson name(N, rates = 10*Hz)'");
      return;
    }
    // As Brian2's PoissonGroup: rates is a subexpression in Hz, and a neuron
    // spikes when rand() < rates*dt.
    const ast::KeywordArg* r = kw["rates"];
    ir::Variable rates;
    rates.kind = ir::VarKind::subexpression;
    rates.name = "rates";
    rates.loc = r->key.loc;
    rates.rhs = r->value;
    rates.unit_expr = ir::make_name("Hz", r->key.loc);
    g.variables.push_back(std::move(rates));
    SourceLoc l = r->key.loc;
    g.threshold = ir::make_binary(
        ir::BinOp::lt, ir::make_call("rand", {}, l),
        ir::make_binary(ir::BinOp::mul, ir::make_name("rates", l), ir::make_name("dt", l), l), l);
    g.schedule_item = m.schedule.size();
    m.groups.push_back(std::move(g));
  }

  void spikes(ast::Spikes& sp, const std::string& file, ir::Model& m) {
    if (!declare(sp.name.name, sp.name.loc, "group")) return;
    ir::Group g;
    g.kind = ir::GroupKind::spikes;
    g.name = sp.name.name;
    g.loc = sp.name.loc;
    if (!size_arg(sp.args, sp.name.loc, "spikes", g.size_expr)) return;
    auto kw = keywords(sp.args.keywords, {"indices", "times", "period"}, "spikes");
    if (sp.args.load) {
      g.load_path = resolve_relative(file, sp.args.load->path);
      g.load_loc = sp.args.load->loc;
      if (kw.count("indices") || kw.count("times"))
        diag_.error(sp.args.load->loc, "spikes take either load(...) or indices and times");
    } else if (!kw.count("indices") || !kw.count("times")) {
      diag_.error(sp.name.loc, "spikes need indices = [...] and times = [...], or load(\"file\")");
      return;
    } else {
      g.indices_expr = kw["indices"]->value;
      g.times_expr = kw["times"]->value;
    }
    if (kw.count("period")) g.period_expr = kw["period"]->value;
    g.schedule_item = m.schedule.size();
    m.groups.push_back(std::move(g));
  }

  void timed(ast::Timed& t, const std::string& file, ir::Model& m) {
    if (!declare(t.name.name, t.name.loc, "timed array")) return;
    ir::TimedArray ta;
    ta.name = t.name.name;
    ta.loc = t.name.loc;
    std::vector<ast::KeywordArg> opts = t.args.keywords;
    if (t.load) {
      ta.load_path = resolve_relative(file, t.load->path);
      ta.load_loc = t.load->loc;
      ta.load_unit = t.load_unit;
      opts.insert(opts.end(), t.load->options.begin(), t.load->options.end());
    } else {
      ta.values_expr = t.values;
      if (!t.args.positional.empty())
        diag_.error(t.args.positional[0]->loc, "a timed array takes only 'dt = ...' here");
    }
    auto kw = keywords(opts, {"dt"}, "a timed array");
    if (!kw.count("dt")) {
      diag_.error(t.name.loc, "a timed array needs its time step: '(dt = 1*ms)'");
      return;
    }
    ta.dt_expr = kw["dt"]->value;
    m.timed.push_back(std::move(ta));
  }

  void monitor(ast::Monitor& md, ir::Model& m) {
    if (!declare(md.name.name, md.name.loc, "monitor")) return;
    ir::Monitor mon;
    // An event monitor is a spike monitor of a custom event.
    const bool events = md.kind == ast::Monitor::Kind::events;
    mon.kind = md.kind == ast::Monitor::Kind::spikes || events ? ir::MonitorKind::spikes
               : md.kind == ast::Monitor::Kind::state          ? ir::MonitorKind::state
                                                               : ir::MonitorKind::rate;
    mon.name = md.name.name;
    mon.loc = md.name.loc;
    const ast::MonitorTarget& first = md.targets.front();
    mon.object = first.object.name;
    mon.object_loc = first.object.loc;
    mon.start_expr = first.start;
    mon.stop_expr = first.stop;
    if (events) {
      if (md.targets.size() != 1 || !first.var) {
        diag_.error(md.targets.size() != 1 ? md.targets[1].loc : first.loc,
                    fmt::format("an event monitor records one event of a group: write '{}.NAME' "
                                "(an event of its 'events:')",
                                first.object.name));
        return;
      }
      mon.event = first.var->name;
      mon.event_loc = first.var->loc;
    }
    for (const ast::MonitorTarget& t : md.targets) {
      if (events) break;
      if (t.object.name != mon.object) {
        diag_.error(t.object.loc, fmt::format("a monitor records one object; '{}' is not '{}' "
                                              "(declare a second monitor)",
                                              t.object.name, mon.object));
        return;
      }
      if (t.var) {
        if (mon.kind != ir::MonitorKind::state) {
          diag_.error(t.var->loc, fmt::format("a {} monitor records a group, not a variable: "
                                              "write '{}'",
                                              ir::to_string(mon.kind), t.object.name));
          return;
        }
        mon.variables.push_back(t.var->name);
        mon.variable_locs.push_back(t.var->loc);
      } else if (mon.kind == ir::MonitorKind::state) {
        diag_.error(t.loc,
                    fmt::format("a state monitor records variables: write '{}.v'", t.object.name));
        return;
      }
    }
    std::vector<std::string> allowed;
    std::vector<std::string> flags;
    switch (mon.kind) {
    case ir::MonitorKind::spikes:
      allowed = {"variables"};
      flags = {"counts only"};
      break;
    case ir::MonitorKind::state:
      allowed = {"record", "dt", "when"};
      flags = {"float32"};
      break;
    case ir::MonitorKind::rate:
      allowed = {"bin"};
      break;
    }
    auto kw =
        keywords(md.options, allowed, fmt::format("a {} monitor", ir::to_string(mon.kind)), flags);
    if (kw.count("record")) mon.record_expr = kw["record"]->value;
    if (kw.count("variables")) {
      // `variables = [v, w]`: values recorded with each spike.
      const ir::ExprPtr& l = kw["variables"]->value;
      if (l->kind != ir::ExprKind::list) {
        diag_.error(ir::start_of(l), "variables = [...] takes a list of variable names");
        return;
      }
      for (const ir::ExprPtr& e : l->args) {
        if (e->kind != ir::ExprKind::name) {
          diag_.error(ir::start_of(e), "variables = [...] takes variable names");
          return;
        }
        mon.variables.push_back(e->name);
        mon.variable_locs.push_back(e->loc);
      }
    }
    if (kw.count("dt")) mon.dt_expr = kw["dt"]->value;
    if (kw.count("when")) {
      // Brian2's schedule slots; the monitor records after the slot's work.
      const ir::ExprPtr& w = kw["when"]->value;
      static const std::vector<std::string> slots = {
          "start",           "after_start",       "before_groups", "groups",
          "after_groups",    "before_thresholds", "thresholds",    "after_thresholds",
          "before_synapses", "after_synapses",    "before_resets", "resets",
          "after_resets",    "before_end",        "end",           "after_end"};
      if (w->kind != ir::ExprKind::name) {
        diag_.error(ir::start_of(w), "when = ... takes a slot of the step: start, groups, "
                                     "thresholds, resets or end (or Brian2's before_... and "
                                     "after_... of them)");
        return;
      }
      // Brian2 orders a slot's objects by name: a monitor in 'synapses'
      // records between pathways named before and after 'statemonitor', and
      // one 'before_start' before the start slot's events.
      if (w->name == "synapses" || w->name == "before_start") {
        diag_.error(w->loc, fmt::format("when = {} is not supported yet: a state monitor records "
                                        "at start, groups, thresholds, after_synapses, resets or "
                                        "end (or Brian2's other before_... and after_... slots)",
                                        w->name));
        return;
      }
      if (std::find(slots.begin(), slots.end(), w->name) == slots.end()) {
        diag_.error(w->loc, fmt::format("unknown slot '{}': a state monitor records at start, "
                                        "groups, thresholds, after_synapses, resets or end (or "
                                        "Brian2's other before_... and after_... slots){}",
                                        w->name, did_you_mean(w->name, slots)));
        return;
      }
      mon.when = w->name;
    }
    if (kw.count("bin")) mon.bin_expr = kw["bin"]->value;
    for (const ast::Ident& f : md.flags) {
      if (std::find(flags.begin(), flags.end(), f.name) == flags.end()) {
        diag_.error(f.loc, fmt::format("unknown option '{}' of a {} monitor{}", f.name,
                                       ir::to_string(mon.kind), did_you_mean(f.name, flags)));
        continue;
      }
      if (f.name == "counts only") mon.counts_only = true;
      if (f.name == "float32") mon.float32 = true;
    }
    if (mon.kind == ir::MonitorKind::rate && !mon.bin_expr) {
      diag_.error(md.name.loc, "a rate monitor needs its bin width: '(bin = 1*ms)'");
      return;
    }
    // After a run: it records from where the schedule reaches it.
    if (runs_seen_) mon.schedule_item = m.schedule.size();
    m.monitors.push_back(std::move(mon));
  }

  // Brian2's PoissonInput(target, var, N, rate, weight): the statement
  // `target.var += binomial(N, rate*dt)*(weight)`, every step in the synapses
  // slot; fold_constants checks N and rate, check_units the weight's unit.
  void poisson_input(ast::PoissonInput& pd, ir::Model& m) {
    if (!declare(pd.name.name, pd.name.loc, "poisson_input")) return;
    const ast::MonitorTarget& t = pd.target;
    if (!t.var) {
      diag_.error(t.loc, fmt::format("a poisson_input adds to a variable: write '{}.v' (the "
                                     "variable it adds to)",
                                     t.object.name));
      return;
    }
    if (runs_seen_) {
      diag_.error(pd.loc, fmt::format("poisson_input '{}' is declared after a run, which is not "
                                      "supported yet: declare it before the first run",
                                      pd.name.name));
      return;
    }
    auto kw = keywords(pd.options, {"N", "rate", "weight", "when", "order"}, "a poisson_input");
    for (const char* need : {"N", "rate", "weight"})
      if (!kw.count(need)) {
        diag_.error(pd.name.loc, fmt::format("poisson_input '{}' needs '{} = ...' (it takes N, "
                                             "rate and weight)",
                                             pd.name.name, need));
        return;
      }
    if (kw.count("when")) {
      const ir::ExprPtr& w = kw["when"]->value;
      if (w->kind != ir::ExprKind::name || w->name != "synapses") {
        diag_.error(ir::start_of(w),
                    fmt::format("when = {} is not supported yet: a poisson_input acts in the "
                                "synapses slot (Brian2's default)",
                                ir::to_string(w)));
        return;
      }
    }
    if (kw.count("order")) {
      const ir::ExprPtr& o = kw["order"]->value;
      if (o->kind != ir::ExprKind::number || o->number != 0) {
        diag_.error(ir::start_of(o),
                    fmt::format("order = {} is not supported yet: a poisson_input acts after the "
                                "on_pre pathways and before the on_post ones (Brian2's order 0)",
                                ir::to_string(o)));
        return;
      }
    }
    ir::PoissonInput pi;
    pi.name = pd.name.name;
    pi.loc = pd.loc;
    pi.n_expr = kw["N"]->value;
    pi.rate_expr = kw["rate"]->value;
    pi.weight_expr = kw["weight"]->value;
    ir::Statement& s = pi.statement;
    s.loc = t.loc;
    s.object = t.object.name;
    s.object_loc = t.object.loc;
    s.var = t.var->name;
    s.var_loc = t.var->loc;
    s.op = ir::AssignOp::add;
    s.start_expr = t.start;
    s.stop_expr = t.stop;
    SourceLoc at = pi.weight_expr->loc;
    ir::ExprPtr p = ir::make_binary(ir::BinOp::mul, pi.rate_expr,
                                    ir::make_name("dt", pi.rate_expr->loc), pi.rate_expr->loc);
    s.value = ir::make_binary(ir::BinOp::mul, ir::make_call("binomial", {pi.n_expr, p}, at),
                              pi.weight_expr, at);
    m.poisson_inputs.push_back(std::move(pi));
  }

  void event(ast::Event& e, ir::Model& m) {
    ir::Event ev;
    ev.kind = e.kind == ast::Event::Kind::at ? ir::EventKind::at : ir::EventKind::every;
    ev.loc = e.loc;
    ev.time_expr = e.time;
    std::vector<std::string> allowed;
    if (ev.kind == ir::EventKind::every) allowed = {"from", "until"};
    auto kw = keywords(e.options, allowed, ev.kind == ir::EventKind::at ? "'at'" : "'every'");
    if (kw.count("from")) ev.from_expr = kw["from"]->value;
    if (kw.count("until")) ev.until_expr = kw["until"]->value;
    for (ir::Statement& s : e.statements) {
      if (s.object.empty()) {
        diag_.error(s.var_loc, fmt::format("a statement in an event must name its object: write "
                                           "'group.{} {} ...'",
                                           s.var, ir::to_string(s.op)));
        return;
      }
    }
    ev.statements = std::move(e.statements);
    m.events.push_back(std::move(ev));
  }

  Diagnostics& diag_;
  std::map<std::string, std::pair<SourceLoc, std::string>> names_;
  std::map<std::string, TemplateEntry> templates_;
  bool runs_seen_ = false;
  std::set<std::string> stored_; // snapshot names stored so far
  std::string file_;             // the file being lowered
};

} // namespace

ir::Model lower(std::vector<ast::File>& files, Diagnostics& diag) {
  Lowering l(diag);
  return l.run(files);
}

} // namespace snnc::lower
