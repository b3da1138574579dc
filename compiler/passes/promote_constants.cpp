#include "passes/promote_constants.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace snnc::passes {

namespace {

using ir::ExprKind;
using ir::ExprPtr;

bool reads(const ExprPtr& e, const std::string& name) {
  bool found = false;
  ir::visit(e, [&](const ExprPtr& x) {
    if (x->kind == ExprKind::name && x->name == name) found = true;
  });
  return found;
}

bool reads(const std::vector<ir::Statement>& ss, const std::string& name) {
  return std::any_of(ss.begin(), ss.end(),
                     [&](const ir::Statement& s) { return reads(s.value, name); });
}

bool reads(const std::vector<ir::Variable>& vs, const std::string& name) {
  return std::any_of(vs.begin(), vs.end(),
                     [&](const ir::Variable& v) { return reads(v.rhs, name); });
}

class Promoter {
public:
  Promoter(ir::Model& m, Diagnostics& diag) : m_(m), diag_(diag) {}

  void run() {
    for (const ir::ScheduleItem& it : m_.schedule)
      if (changes_constant(it)) changed_.insert(it.statement.var);
    if (changed_.empty()) return;
    check_late_declarations();
    // Until nothing changes: a statement that now lands on an object may
    // read another changed constant.
    for (bool more = true; more;) {
      more = false;
      for (const std::string& c : changed_) {
        for (const ir::Group& g : m_.groups)
          if (!promoted(g.name, c) && !shadowed(g, c) && reads_running(g, c))
            more = promote(g.name, c);
        for (const ir::Synapses& s : m_.synapses)
          if (!promoted(s.name, c) && !shadowed(s, c) && reads_running(s, c))
            more = promote(s.name, c);
      }
    }
    add_parameters();
    rewrite_schedule();
  }

private:
  static bool changes_constant(const ir::ScheduleItem& it) {
    return it.kind == ir::ScheduleItem::Kind::statement && it.statement.object.empty();
  }

  bool promoted(const std::string& object, const std::string& c) const {
    return promoted_.count({object, c}) > 0;
  }
  bool promote(const std::string& object, const std::string& c) {
    promoted_.insert({object, c});
    return true;
  }

  // The object has a name of its own that hides the file's constant.
  static bool shadowed(const ir::Group& g, const std::string& c) {
    return g.find_variable(c) || g.find_constant(c);
  }
  bool shadowed(const ir::Synapses& s, const std::string& c) const {
    if (s.find_variable(c) || s.find_constant(c)) return true;
    if (const ir::Synapses* t = m_.target_synapses(s)) return t->find_variable(c) != nullptr;
    const ir::Group* post = m_.find_group(s.target.group);
    return post && post->find_variable(c) && !promoted(post->name, c);
  }

  // Statements on `object` run between runs or by events, as they will be
  // once the changes to the constants promoted into it land on it.
  bool statements_read(const std::string& object, const std::string& c) const {
    for (const ir::Event& e : m_.events)
      for (const ir::Statement& s : e.statements)
        if (s.object == object && reads(s.value, c)) return true;
    // A poisson_input's weight, not its N and rate (fixed when it is made).
    for (const ir::PoissonInput& pi : m_.poisson_inputs)
      if (pi.statement.object == object && reads(pi.weight_expr, c)) return true;
    for (const ir::ScheduleItem& it : m_.schedule) {
      if (it.kind != ir::ScheduleItem::Kind::statement) continue;
      const ir::Statement& s = it.statement;
      if (s.object == object && reads(s.value, c)) return true;
      if (changes_constant(it) && promoted(object, s.var) && reads(hidden_expr(s), c)) return true;
    }
    return false;
  }

  // What a change's hidden constant was computed from (fold_constants).
  const ExprPtr& hidden_expr(const ir::Statement& s) const {
    for (const ir::Constant& k : m_.constants)
      if (s.value && s.value->kind == ExprKind::name && k.name == s.value->name) return k.expr;
    return s.value;
  }

  bool reads_running(const ir::Group& g, const std::string& c) const {
    return reads(g.variables, c) || reads(g.threshold, c) || reads(g.reset, c) ||
           reads(g.refractory, c) || events_read(g, c) || statements_read(g.name, c);
  }
  static bool events_read(const ir::Group& g, const std::string& c) {
    return std::any_of(g.events.begin(), g.events.end(), [&](const ir::GroupEvent& e) {
      return reads(e.condition, c) || reads(e.statements, c);
    });
  }
  bool reads_running(const ir::Synapses& s, const std::string& c) const {
    return reads(s.variables, c) ||
           std::any_of(s.pathways.begin(), s.pathways.end(),
                       [&](const ir::Pathway& p) { return reads(p.statements, c); }) ||
           statements_read(s.name, c);
  }

  // Run durations after a change see the new value (fold_constants). What
  // is declared after a change, and values from data, are folded with the
  // declared value, which Brian2 would not do: they are refused by name.
  void check_late_declarations() {
    std::map<std::string, std::size_t> first; // items up to and with the first change
    for (std::size_t k = 0; k < m_.schedule.size(); ++k)
      if (changes_constant(m_.schedule[k])) first.emplace(m_.schedule[k].statement.var, k + 1);
    auto late = [&](std::size_t item, const std::string& c) { return item >= first.at(c); };
    auto refuse = [&](SourceLoc loc, const std::string& what, const std::string& c) {
      diag_.error(loc, fmt::format("{} is declared after a change to constant '{}' and reads it; "
                                   "snnc would read the declared value there: declare it before "
                                   "the change, or write the value itself",
                                   what, c));
    };
    for (const std::string& c : changed_) {
      for (const ir::Monitor& mon : m_.monitors)
        if (late(mon.schedule_item, c) &&
            (reads(mon.dt_expr, c) || reads(mon.bin_expr, c) || reads(mon.record_expr, c) ||
             reads(mon.start_expr, c) || reads(mon.stop_expr, c)))
          refuse(mon.loc, fmt::format("monitor '{}'", mon.name), c);
      for (const ir::Group& g : m_.groups)
        if (late(g.schedule_item, c) && !shadowed(g, c) && group_reads(g, c))
          refuse(g.loc, fmt::format("group '{}'", g.name), c);
      for (const ir::Synapses& s : m_.synapses)
        if (late(s.schedule_item, c) && !shadowed(s, c) && synapses_read(s, c))
          refuse(s.loc, fmt::format("synapses '{}'", s.name), c);
      for (const ir::Constant& k : m_.constants)
        if (k.name[0] != '_' && late(k.schedule_item, c) && reads(k.expr, c))
          refuse(k.loc, fmt::format("constant '{}'", k.name), c);
      for (const ir::TimedArray& t : m_.timed)
        if (t.statement_values && reads(t.values_expr, c))
          diag_.error(t.loc, fmt::format("these values from data read constant '{}', which a "
                                         "statement changes between runs; snnc folds them with "
                                         "its declared value: write the values themselves",
                                         c));
    }
  }

  static bool group_reads(const ir::Group& g, const std::string& c) {
    return reads(g.size_expr, c) || reads(g.variables, c) || reads(g.threshold, c) ||
           reads(g.reset, c) || reads(g.refractory, c) || reads(g.init, c) || events_read(g, c) ||
           reads(g.indices_expr, c) || reads(g.times_expr, c) || reads(g.period_expr, c) ||
           std::any_of(g.constants.begin(), g.constants.end(),
                       [&](const ir::Constant& k) { return reads(k.expr, c); });
  }
  static bool synapses_read(const ir::Synapses& s, const std::string& c) {
    const ir::Connect& k = s.connect;
    return reads(s.variables, c) ||
           std::any_of(
               s.pathways.begin(), s.pathways.end(),
               [&](const ir::Pathway& p) { return reads(p.statements, c) || reads(p.delay, c); }) ||
           reads(s.init, c) || reads(k.condition, c) || reads(k.p, c) || reads(k.n, c) ||
           reads(k.gen_j, c) || reads(k.gen_size, c) ||
           std::any_of(k.gen_range.begin(), k.gen_range.end(),
                       [&](const ExprPtr& e) { return reads(e, c); }) ||
           std::any_of(s.constants.begin(), s.constants.end(),
                       [&](const ir::Constant& x) { return reads(x.expr, c); });
  }

  // Each promoted object gets a parameter named as the constant, set to the
  // declared value at init (through a hidden alias, since the name is the
  // parameter's there).
  void add_parameters() {
    std::map<std::string, std::string> alias;
    for (const std::string& c : changed_) {
      const ir::Constant* k = constant(c);
      ir::Constant a = *k;
      a.name = fmt::format("_{}_declared", c);
      alias[c] = a.name;
      m_.constants.push_back(std::move(a));
    }
    auto add = [&](std::vector<ir::Variable>& vars, std::vector<ir::Statement>& init,
                   const std::string& c) {
      const ir::Constant* k = constant(c);
      ir::Variable v;
      v.kind = ir::VarKind::parameter;
      v.name = c;
      v.loc = k->loc;
      v.dim = k->dim;
      // A Python int divided becomes a float: so may the constant here.
      v.type = k->type == ir::ValueType::boolean ? k->type : ir::ValueType::float_;
      vars.push_back(std::move(v));
      ir::Statement s;
      s.loc = s.var_loc = k->loc;
      s.var = c;
      s.value = ir::make_name(alias[c], k->loc);
      init.insert(init.begin(), std::move(s));
    };
    for (ir::Group& g : m_.groups)
      for (const std::string& c : changed_)
        if (promoted(g.name, c)) add(g.variables, g.init, c);
    for (ir::Synapses& s : m_.synapses)
      for (const std::string& c : changed_)
        if (promoted(s.name, c)) {
          add(s.variables, s.init, c);
          // Delays are set when the synapses are made, before their init:
          // with the declared value, as Brian2 sets them.
          for (ir::Pathway& p : s.pathways)
            p.delay = declared(p.delay, c, alias[c]);
        }
  }

  static ExprPtr declared(const ExprPtr& e, const std::string& c, const std::string& alias) {
    return ir::rewrite(e, [&](const ExprPtr& x) {
      return x->kind == ExprKind::name && x->name == c ? ir::make_name(alias, x->loc) : nullptr;
    });
  }

  const ir::Constant* constant(const std::string& c) const {
    for (const ir::Constant& k : m_.constants)
      if (k.name == c) return &k;
    internal_check(false, "a changed constant is not a constant");
    return nullptr;
  }

  // A change becomes a statement on each object it reaches; after a
  // `restore`, the changed constants' current values are set again (a
  // snapshot holds the objects' state, not the script's variables).
  void rewrite_schedule() {
    std::vector<ir::ScheduleItem> out;
    std::map<std::string, ir::Statement> current; // the last change to each constant
    auto land = [&](const ir::Statement& change, const SourceLoc& loc) {
      std::vector<std::string> objects;
      for (const ir::Group& g : m_.groups)
        if (promoted(g.name, change.var)) objects.push_back(g.name);
      for (const ir::Synapses& s : m_.synapses)
        if (promoted(s.name, change.var)) objects.push_back(s.name);
      for (const std::string& o : objects) {
        ir::ScheduleItem it;
        it.kind = ir::ScheduleItem::Kind::statement;
        it.loc = loc;
        it.statement = change;
        it.statement.object = o;
        it.statement.object_loc = change.var_loc;
        out.push_back(std::move(it));
      }
    };
    std::vector<std::size_t> after; // items in `out` after each old item
    for (ir::ScheduleItem& it : m_.schedule) {
      if (changes_constant(it)) {
        current[it.statement.var] = it.statement;
        land(it.statement, it.loc);
      } else {
        SourceLoc loc = it.loc;
        bool restore = it.kind == ir::ScheduleItem::Kind::restore;
        out.push_back(std::move(it));
        if (restore)
          for (const auto& [c, change] : current)
            land(change, loc);
      }
      after.push_back(out.size());
    }
    m_.schedule = std::move(out);
    // A monitor declared after k items of the schedule: after as many of
    // the new schedule's.
    for (ir::Monitor& mon : m_.monitors)
      if (mon.schedule_item > 0) mon.schedule_item = after[mon.schedule_item - 1];
  }

  ir::Model& m_;
  Diagnostics& diag_;
  std::set<std::string> changed_;
  std::set<std::pair<std::string, std::string>> promoted_;
};

} // namespace

void promote_constants(ir::Model& m, Diagnostics& diag) {
  Promoter(m, diag).run();
}

} // namespace snnc::passes
