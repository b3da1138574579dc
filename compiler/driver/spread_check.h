// What one network spread over several processes cannot do yet
// (runtime/distributed/spread.h), refused before the run with an error at
// the model's text that names the feature: never a different result.
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"
#include "kernels/build.h"

namespace snnc::driver {

bool check_spreadable(const ir::Model& m, const kir::Module& mod, int processes, Diagnostics& diag);

} // namespace snnc::driver
