// fold_constants: evaluates everything that must be known before the run.
//
// Assumes: lowered IR. Guarantees on success: every Constant is folded (value,
// dimension, type), in declaration order (a constant sees earlier ones; an
// object's constants see the global ones); dt, seed, group sizes, slices,
// variables' units, timed-array values, spike-generator data, monitor options,
// event times and run durations are folded and have the right dimensions.
// Reports unknown names, random or time-dependent values in constants, and
// units after ':' that are not base units (Brian2's rule).
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"

namespace snnc::passes {

void fold_constants(ir::Model& m, Diagnostics& diag);

} // namespace snnc::passes
