// resolve_names: binds every name in every expression and statement.
//
// Assumes: fold_constants has run (constants and variable units are known).
// Guarantees on success: each name node has `ref`, `side` and `target`;
// each statement's target is an assignable variable of the right object
// (not a subexpression or constant); synapse pathways, monitors and
// statements name existing objects, variables and in-range slices.
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"
#include "passes/scope.h"

#include <functional>

namespace snnc::passes {

void resolve_names(ir::Model& m, Diagnostics& diag);

// What an expression is, for the checks that depend on its place.
enum class Role {
  differential_rhs,
  subexpression_rhs,
  threshold,
  reset,           // a reset, or the statements of a custom event
  event_condition, // a custom event's condition
  refractory,
  init,
  on_pre,
  on_post,
  delay,
  connect_condition,
  connect_p,
  connect_n,
  connect_index, // a connect generator's j and range arguments
  event_statement,
  schedule_statement,
  poisson_input // its statement: var += binomial(N, rate*dt)*(weight)
};

// Calls `f` on every expression of the model with its scope and role;
// statements are passed with their value expression.
struct ExprSite {
  ir::ExprPtr* expr;
  Scope scope;
  Role role;
  ir::Statement* statement = nullptr;     // for statement roles
  const ir::Variable* variable = nullptr; // for equation roles
};
void for_each_expression(ir::Model& m, const std::function<void(ExprSite&)>& f);

} // namespace snnc::passes
