// check_units: dimensions and types of every expression, by Brian2's rules.
//
// Assumes: resolve_names has run. Guarantees on success: every expression
// node has its dimension and value type; differential equations have
// right sides of unit var/second, subexpressions their declared unit;
// thresholds and connect conditions are conditions; refractory periods are
// times or conditions; delays are times; statements assign values of the
// variable's unit (`*=`, `/=` take dimensionless values); flags fit their
// equations; summed variables target a postsynaptic parameter of their unit.
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"

namespace snnc::passes {

void check_units(ir::Model& m, Diagnostics& diag);

} // namespace snnc::passes
