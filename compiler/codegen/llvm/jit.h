// The LLVM backend behind one small interface: kernels (kernel IR) in,
// native functions with the C ABI of runtime/include/snn/abi.h out.
// No LLVM type appears here; LLVM is confined to this folder.
//
// Each compile() builds one LLVM module from a set of kernels, optimizes it
// with the new pass manager at O3 (loop and SLP vectorization on, tuned for
// the host CPU, state pointers noalias) and adds it to an ORC LLJIT. Strict
// mode (the default) uses no fast-math, for results identical to Brian2's
// C++; fast mode allows fast-math.
#pragma once

#include "kernels/kernel.h"
#include "snn/abi.h"

#include <memory>
#include <string>
#include <vector>

namespace snnc::codegen {

struct JitOptions {
  bool fast_math = false;
  bool keep_ir = false; // keep the optimized LLVM IR text (snnc ir --llvm)
};

struct JitTimings {
  double codegen_ms = 0;  // kernel IR -> LLVM IR
  double optimize_ms = 0; // the O3 pipeline
  double jit_ms = 0;      // machine code and symbol lookup
  std::size_t shared = 0; // kernels served by a structurally identical one's function
};

class Jit {
public:
  // nullptr and `error` set if the JIT cannot be created (an internal error).
  static std::unique_ptr<Jit> create(std::string& error);
  virtual ~Jit() = default;

  // Compiles `kernels`; afterwards lookup() finds each by name. False and
  // `error` set on failure (an internal error: kernels are checked).
  virtual bool compile(const std::vector<kir::Kernel>& kernels, const JitOptions& opts,
                       std::string& error) = 0;
  virtual snn_kernel_fn lookup(const std::string& name) = 0;
  virtual const std::string& optimized_ir() const = 0;
  virtual const JitTimings& timings() const = 0;
};

} // namespace snnc::codegen
