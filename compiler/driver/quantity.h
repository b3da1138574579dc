// A constant expression of the model language evaluated outside a model
// file ("50*ms", "taum/2", "0.7*nA"): the C++ and Python APIs take durations
// and values so. Names are the model's global constants, units, pi and e.
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"
#include "passes/analyze.h"

#include <optional>
#include <string>

namespace snnc::driver {

// `text` parsed and evaluated as the pseudo-file `what` (so that errors read
// `what:1:col: error: ...` with a caret); nullopt after errors in `diag`.
// With `unit` (an expression such as "second" or "volt/second"), its
// dimension must be the unit's.
std::optional<passes::Typed> evaluate_quantity(const ir::Model& m, const std::string& text,
                                               const std::string& what, const std::string& unit,
                                               SourceManager& sources, Diagnostics& diag);

} // namespace snnc::driver
