// The C++ backend: the same kernels as the LLVM backend, written as
// readable C++ with the ABI of runtime/include/snn/abi.h. Every operation is
// emitted in the order the LLVM backend performs it (and random draws are
// numbered the same way), so that an exported model built with
// `-ffp-contract=off` and without fast-math gives the JIT's results.
#pragma once

#include "kernels/kernel.h"

#include <string>
#include <vector>

namespace snnc::codegen {

// One C++ function `extern "C" void NAME(snn_kernel_args* a)` per kernel,
// each preceded by a comment with the kernel's role and source.
std::string kernels_to_cpp(const std::vector<kir::Kernel>& kernels);

} // namespace snnc::codegen
