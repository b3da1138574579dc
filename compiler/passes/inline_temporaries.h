// inline_temporaries: Brian2's temporaries in statement blocks. In a reset,
// init, on_pre or on_post block, `x = expr` whose `x` is no name of the
// object's scope defines a temporary (Brian2's abstract code does the same):
// its value is substituted into the statements after it, and the statement
// is removed. A temporary used after a statement changed a variable it reads
// is an error (its substituted value would differ from Brian2's).
//
// Assumes: fold_constants has run. Runs before resolve_names.
// Guarantees on success: no statement of those blocks assigns a temporary.
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"

namespace snnc::passes {

void inline_temporaries(ir::Model& m, Diagnostics& diag);

} // namespace snnc::passes
