// export_project: a checked model as a standalone C++ project that builds
// with g++ alone (no LLVM) and writes the same results directory as
// `snnc run`. The kernels come from the C++ backend (codegen/cpp); the
// network's construction and schedule are written out as code; the runtime's
// sources are copied in.
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"
#include "kernels/build.h"

#include <string>

namespace snnc::driver {

// Writes DIR/{kernels.cpp, model.cpp, main.cpp, runtime/..., CMakeLists.txt,
// README.md}; with `kernels_only`, just DIR/kernels.cpp and DIR/snn/abi.h.
// False after a reported error (e.g. a directory that cannot be written).
bool export_project(const ir::Model& m, const kir::Module& mod, const std::string& dir,
                    bool kernels_only, Diagnostics& diag);

} // namespace snnc::driver
