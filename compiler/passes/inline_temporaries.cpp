#include "passes/inline_temporaries.h"

#include "passes/scope.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <set>

namespace snnc::passes {

namespace {

using ir::ExprKind;
using ir::ExprPtr;

struct Temporary {
  ExprPtr value;                       // with earlier temporaries substituted, or a kept one's name
  std::set<const ir::Variable*> reads; // the variables its value reads
  bool changed = false;                // a variable it reads was changed since
};

bool kept_reference(const ExprPtr& n) {
  return n->kind == ExprKind::name && n->ref == ir::NameRef::temporary;
}

class Inliner {
public:
  void block(std::vector<ir::Statement>& statements, const Scope& sc) {
    // Substitute everything; where that would change a result, keep those
    // temporaries and do it again (keeping one can need keeping another).
    std::set<std::string> keep;
    for (;;) {
      std::vector<ir::Statement> copy = statements;
      std::set<std::string> needed = pass(copy, sc, keep);
      bool grew = false;
      for (const std::string& n : needed)
        grew |= keep.insert(n).second;
      if (!grew) {
        statements = std::move(copy);
        return;
      }
    }
  }

private:
  // One pass over the block; returns the temporaries used after a change
  // of what they read (those not kept already).
  std::set<std::string> pass(std::vector<ir::Statement>& statements, const Scope& sc,
                             const std::set<std::string>& keep) {
    std::map<std::string, Temporary> temps;
    std::map<std::string, int> kept_count;
    std::set<std::string> needed;
    std::vector<ir::Statement> out;
    for (ir::Statement& s : statements) {
      s.value = substitute(s.value, temps, needed);
      if (!s.object.empty() || s.sliced()) {
        out.push_back(std::move(s));
        continue;
      }
      auto t = temps.find(s.var);
      if (t != temps.end() || !lookup(sc, s.var)) {
        ExprPtr v = s.value;
        if (s.op != ir::AssignOp::set) {
          if (t == temps.end()) { // `x += 1` on an unknown name: resolve_names reports it
            out.push_back(std::move(s));
            continue;
          }
          v = ir::make_binary(binop(s.op), t->second.value, v, s.loc);
        }
        // A value that draws random numbers is drawn once, where it is
        // assigned, as in Brian2 (substituted, each use would draw anew).
        if (keep.count(s.var) || draws(v)) {
          std::string name = fmt::format("_tmp_{}_{}", s.var, ++kept_count[s.var]);
          // Named as written (for messages); its kernel name is the target.
          ExprPtr ref = ir::make_kept_temporary(s.var, name, v, s.var_loc);
          // Once computed, a kept value no longer depends on what it read.
          temps[s.var] = Temporary{ref, {}, false};
          s.target = name;
          s.op = ir::AssignOp::set;
          s.value = v;
          s.temporary = true;
          out.push_back(std::move(s));
          continue;
        }
        temps[s.var] = Temporary{v, reads(v, sc), false};
        continue;
      }
      // A variable changes: temporaries reading it no longer hold its value.
      if (auto b = lookup(sc, s.var); b && b->variable)
        for (auto& [name, tmp] : temps)
          if (tmp.reads.count(b->variable)) tmp.changed = true;
      out.push_back(std::move(s));
    }
    statements = std::move(out);
    return needed;
  }

  static ir::BinOp binop(ir::AssignOp op) {
    switch (op) {
    case ir::AssignOp::add:
      return ir::BinOp::add;
    case ir::AssignOp::sub:
      return ir::BinOp::sub;
    case ir::AssignOp::mul:
      return ir::BinOp::mul;
    default:
      return ir::BinOp::div;
    }
  }

  static bool draws(const ExprPtr& e) {
    if (kept_reference(e)) return false; // drawn where it was assigned
    if (ir::is_random_call(*e)) return true;
    for (const ExprPtr& a : e->args)
      if (draws(a)) return true;
    return false;
  }

  // The variables `e` reads now (not those a kept temporary read when it
  // was computed).
  static std::set<const ir::Variable*> reads(const ExprPtr& e, const Scope& sc) {
    std::set<const ir::Variable*> out;
    std::function<void(const ExprPtr&)> walk = [&](const ExprPtr& n) {
      if (kept_reference(n)) return;
      if (n->kind == ExprKind::name)
        if (auto b = lookup(sc, n->name); b && b->variable) out.insert(b->variable);
      for (const ExprPtr& a : n->args)
        walk(a);
    };
    walk(e);
    return out;
  }

  static ExprPtr substitute(const ExprPtr& e, const std::map<std::string, Temporary>& temps,
                            std::set<std::string>& needed) {
    if (temps.empty()) return e;
    return ir::rewrite(e, [&](const ExprPtr& n) -> ExprPtr {
      if (kept_reference(n)) return n; // computed already: its value is not substituted again
      if (n->kind != ExprKind::name) return nullptr;
      auto t = temps.find(n->name);
      if (t == temps.end()) return nullptr;
      if (t->second.changed) needed.insert(n->name);
      return t->second.value;
    });
  }
};

} // namespace

void inline_temporaries(ir::Model& m, Diagnostics&) {
  Inliner in;
  for (ir::Group& g : m.groups) {
    Scope sc = group_scope(m, g);
    in.block(g.reset, sc);
    in.block(g.init, sc);
    for (ir::GroupEvent& e : g.events)
      in.block(e.statements, sc);
  }
  for (ir::Synapses& y : m.synapses) {
    Scope sc = synapse_scope(m, y);
    if (!sc.sides()) continue; // resolve_names reports the missing group
    for (ir::Pathway& p : y.pathways)
      in.block(p.statements, sc);
    in.block(y.init, sc);
  }
}

} // namespace snnc::passes
