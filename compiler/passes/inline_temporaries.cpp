#include "passes/inline_temporaries.h"

#include "passes/scope.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace snnc::passes {

namespace {

using ir::ExprKind;
using ir::ExprPtr;

struct Temporary {
  ExprPtr value;                       // with earlier temporaries substituted
  std::set<const ir::Variable*> reads; // the variables its value reads
  std::string changed;                 // a variable it reads, changed since ("" if none)
};

class Inliner {
public:
  Inliner(Diagnostics& diag) : diag_(diag) {}

  void block(std::vector<ir::Statement>& statements, const Scope& sc) {
    std::map<std::string, Temporary> temps;
    std::vector<ir::Statement> kept;
    for (ir::Statement& s : statements) {
      s.value = substitute(s.value, temps);
      if (!s.object.empty() || s.sliced()) {
        kept.push_back(std::move(s));
        continue;
      }
      auto t = temps.find(s.var);
      if (t != temps.end() || !lookup(sc, s.var)) {
        ExprPtr v = s.value;
        if (s.op != ir::AssignOp::set) {
          if (t == temps.end()) { // `x += 1` on an unknown name: resolve_names reports it
            kept.push_back(std::move(s));
            continue;
          }
          v = ir::make_binary(binop(s.op), t->second.value, v, s.loc);
        }
        Temporary tmp{v, reads(v, sc), ""};
        temps[s.var] = std::move(tmp);
        continue;
      }
      // A variable changes: temporaries reading it no longer hold its value.
      if (auto b = lookup(sc, s.var); b && b->variable)
        for (auto& [name, tmp] : temps)
          if (tmp.changed.empty() && tmp.reads.count(b->variable)) tmp.changed = s.var;
      kept.push_back(std::move(s));
    }
    statements = std::move(kept);
  }

private:
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

  static std::set<const ir::Variable*> reads(const ExprPtr& e, const Scope& sc) {
    std::set<const ir::Variable*> out;
    ir::visit(e, [&](const ExprPtr& n) {
      if (n->kind != ExprKind::name) return;
      if (auto b = lookup(sc, n->name); b && b->variable) out.insert(b->variable);
    });
    return out;
  }

  ExprPtr substitute(const ExprPtr& e, const std::map<std::string, Temporary>& temps) {
    if (temps.empty()) return e;
    return ir::rewrite(e, [&](const ExprPtr& n) -> ExprPtr {
      if (n->kind != ExprKind::name) return nullptr;
      auto t = temps.find(n->name);
      if (t == temps.end()) return nullptr;
      if (!t->second.changed.empty()) {
        diag_.error(n->loc,
                    fmt::format("the temporary '{}' is used after '{}', which its value reads, "
                                "was changed: snnc substitutes a temporary into the statements "
                                "that use it, so compute it after changing '{}' (or keep it in "
                                "a variable of the object)",
                                n->name, t->second.changed, t->second.changed));
        return nullptr;
      }
      return t->second.value;
    });
  }

  Diagnostics& diag_;
};

} // namespace

void inline_temporaries(ir::Model& m, Diagnostics& diag) {
  Inliner in(diag);
  for (ir::Group& g : m.groups) {
    Scope sc = group_scope(m, g);
    in.block(g.reset, sc);
    in.block(g.init, sc);
    for (ir::GroupEvent& e : g.events)
      in.block(e.statements, sc);
  }
  for (ir::Synapses& y : m.synapses) {
    Scope sc = synapse_scope(m, y);
    if (!sc.pre || !sc.post) continue; // resolve_names reports the missing group
    for (ir::Pathway& p : y.pathways)
      in.block(p.statements, sc);
    in.block(y.init, sc);
  }
}

} // namespace snnc::passes
