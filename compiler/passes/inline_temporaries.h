// inline_temporaries: Brian2's temporaries in statement blocks. In a reset,
// init, on_pre, on_post or on_event block, `x = expr` whose `x` is no name of
// the object's scope defines a temporary (Brian2's abstract code does the
// same). Its value is substituted into the statements after it and the
// statement removed, unless it is used after a statement changed a variable
// its value reads (`r = u*x; x -= r; g += w*r`): then the substituted value
// would differ from Brian2's, and the temporary is kept as a value of the
// kernel (ir::Statement::temporary; its target, the kernel's name for it,
// is `_tmp_<x>_<n>`, one per assignment), read by names with
// NameRef::temporary (their target that name, their one argument the value).
//
// Assumes: fold_constants has run. Runs before resolve_names.
// Guarantees on success: a statement of those blocks that assigns a
// temporary is flagged `temporary`; every other use is substituted.
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"

namespace snnc::passes {

void inline_temporaries(ir::Model& m, Diagnostics& diag);

} // namespace snnc::passes
