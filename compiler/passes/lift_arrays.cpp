#include "passes/lift_arrays.h"

#include "lower/load.h"

#include <fmt/format.h>

namespace snnc::passes {

namespace {

using ir::ExprKind;
using ir::ExprPtr;

class Lifter {
public:
  Lifter(ir::Model& m, const SourceManager& sources, Diagnostics& diag)
      : m_(m), sources_(sources), diag_(diag) {}

  void run() {
    for (ir::Group& g : m_.groups) {
      lift_all(g.init, g.name);
      lift_all(g.reset, g.name);
      for (ir::GroupEvent& e : g.events)
        lift_all(e.statements, g.name);
    }
    for (ir::Synapses& s : m_.synapses) {
      lift_all(s.init, s.name);
      // delay: load("d.npy")*ms gives one delay per synapse, in Brian2's order.
      for (ir::Pathway& p : s.pathways)
        if (p.delay) {
          synapses_ = s.name;
          n_expr_ = nullptr;
          p.delay = replace(p.delay);
          synapses_.clear();
        }
      for (ir::Pathway& p : s.pathways)
        for (ir::Statement& st : p.statements)
          refuse(st.value);
    }
    for (ir::Event& e : m_.events)
      lift_all(e.statements, "");
    for (ir::PoissonInput& pi : m_.poisson_inputs)
      refuse(pi.statement.value, "in a poisson_input (as in Brian2, its weight may be an "
                                 "expression of the group's variables)");
    for (ir::ScheduleItem& item : m_.schedule)
      if (item.kind == ir::ScheduleItem::Kind::statement) lift(item.statement, "");
  }

private:
  static bool is_array(const ir::Model& m, const ExprPtr& e) {
    if (e->kind == ExprKind::list) return true;
    if (e->kind != ExprKind::call || m.find_timed(e->name)) return false;
    return (e->name == "load" && !e->path.empty()) || e->name == "linspace" || e->name == "arange";
  }

  void lift_all(std::vector<ir::Statement>& block, const std::string& object) {
    for (ir::Statement& s : block)
      lift(s, object);
  }

  // `object` is the statement's group, or empty when the statement names it.
  void lift(ir::Statement& s, const std::string& object) {
    const std::string& on = object.empty() ? s.object : object;
    if (const ir::Synapses* y = m_.find_synapses(on)) {
      // One value per synapse, in Brian2's order of creation: read at the
      // synapse's index; how many synapses there are shows at run time.
      synapses_ = y->name;
      n_expr_ = nullptr;
      s.value = replace(s.value);
      synapses_.clear();
      return;
    }
    if (!m_.find_group(on)) return; // resolve_names reports it
    // N in the values is the number of neurons the statement reaches, as in a
    // Brian2 (sub)group: linspace(a, b, N).
    const ir::Group* g = m_.find_group(on);
    if (!constant_named_n(*g))
      n_expr_ = s.sliced() ? ir::make_binary(ir::BinOp::sub, s.stop_expr, s.start_expr, s.loc)
                           : g->size_expr;
    else
      n_expr_ = nullptr;
    s.value = replace(s.value);
  }

  bool constant_named_n(const ir::Group& g) const {
    for (const ir::Constant& c : g.constants)
      if (c.name == "N") return true;
    for (const ir::Constant& c : m_.constants)
      if (c.name == "N") return true;
    return false;
  }

  // The values' expression with N replaced by the statement's neuron count.
  ExprPtr with_n(const ExprPtr& e) {
    if (!n_expr_) return e;
    return ir::rewrite(e, [&](const ExprPtr& x) {
      return x->kind == ExprKind::name && x->name == "N" ? n_expr_ : nullptr;
    });
  }

  ExprPtr replace(const ExprPtr& e) {
    return ir::rewrite(e, [&](const ExprPtr& x) { return is_array(m_, x) ? lifted(x) : nullptr; });
  }

  // A timed array of one row for the values; the statement reads its column i.
  ExprPtr lifted(const ExprPtr& e) {
    SourceLoc loc = ir::start_of(e);
    ir::TimedArray t;
    t.name = fresh_name();
    t.loc = loc;
    t.statement_values = true;
    t.per_synapse_of = synapses_;
    t.dt_expr = ir::make_name("second", loc);
    if (e->kind == ExprKind::call && e->name == "load") {
      t.load_path = lower::resolve_relative(sources_.path(loc.file), e->path);
      t.load_loc = loc;
    } else {
      t.values_expr = with_n(e);
    }
    std::string name = t.name;
    m_.timed.push_back(std::move(t));
    return ir::make_call(
        name, {ir::make_name("t", loc), ir::make_name(synapses_.empty() ? "i" : "_syn", loc)}, loc);
  }

  std::string fresh_name() {
    for (;;) {
      std::string n = fmt::format("_values{}", ++count_);
      if (!m_.find_timed(n) && !m_.find_group(n) && !m_.find_synapses(n)) return n;
    }
  }

  void refuse(const ExprPtr& e, const char* where = "in on_pre or on_post; set them in the "
                                                    "synapses' init or between runs") {
    if (!e) return;
    if (is_array(m_, e)) {
      diag_.error(ir::start_of(e),
                  fmt::format("values from data (a list, load(...), linspace or arange) are not "
                              "supported {}",
                              where));
      return;
    }
    for (const ExprPtr& a : e->args)
      refuse(a, where);
  }

  ir::Model& m_;
  const SourceManager& sources_;
  Diagnostics& diag_;
  int count_ = 0;
  ExprPtr n_expr_;       // what N means in the statement being lifted
  std::string synapses_; // the synapses object of that statement, if any
};

// How many neurons a statement on `object` reaches.
std::int64_t reach(const ir::Model& m, const ir::Statement& s, const std::string& object) {
  const ir::Group* g = m.find_group(object);
  if (!g) return -1;
  return s.sliced() ? s.stop - s.start : g->size;
}

void check(const ir::Model& m, const ir::Statement& s, const std::string& object,
           Diagnostics& diag) {
  std::int64_t n = reach(m, s, object.empty() ? s.object : object);
  if (n < 0) return;
  ir::visit(s.value, [&](const ExprPtr& e) {
    if (e->kind != ExprKind::call) return;
    const ir::TimedArray* t = m.find_timed(e->name);
    if (!t || !t->statement_values || t->cols == 0 || t->cols == n) return;
    // Values that read a constant changed between runs: promote_constants
    // refuses them, with the reason.
    for (const ir::ScheduleItem& it : m.schedule)
      if (it.kind == ir::ScheduleItem::Kind::statement && it.statement.object.empty()) {
        bool reads = false;
        ir::visit(t->values_expr, [&](const ExprPtr& x) {
          reads = reads || (x->kind == ExprKind::name && x->name == it.statement.var);
        });
        if (reads) return;
      }
    std::string where = s.sliced() ? fmt::format("{}[{}:{}]", s.object, s.start, s.stop)
                                   : (object.empty() ? s.object : object);
    diag.error(t->loc, fmt::format("{} values for {}.{}, which has {} neuron{}: one value per "
                                   "neuron is needed",
                                   t->cols, where, s.var, n, n == 1 ? "" : "s"));
  });
}

} // namespace

void lift_arrays(ir::Model& m, const SourceManager& sources, Diagnostics& diag) {
  Lifter(m, sources, diag).run();
}

void check_array_lengths(const ir::Model& m, Diagnostics& diag) {
  for (const ir::Group& g : m.groups) {
    for (const ir::Statement& s : g.init)
      check(m, s, g.name, diag);
    for (const ir::Statement& s : g.reset)
      check(m, s, g.name, diag);
    for (const ir::GroupEvent& e : g.events)
      for (const ir::Statement& s : e.statements)
        check(m, s, g.name, diag);
  }
  for (const ir::Event& e : m.events)
    for (const ir::Statement& s : e.statements)
      check(m, s, "", diag);
  for (const ir::ScheduleItem& item : m.schedule)
    if (item.kind == ir::ScheduleItem::Kind::statement) check(m, item.statement, "", diag);
}

} // namespace snnc::passes
