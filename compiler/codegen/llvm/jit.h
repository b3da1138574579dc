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

// The CPU the kernels are compiled for: "native" (the default: this
// machine's CPU and every feature it has) or an LLVM CPU name ("haswell" for
// AVX2 without AVX-512, "skylake-avx512", "znver3", "x86-64-v3", ...), with
// exactly that CPU's features. `requested` (--cpu) if not empty, else the
// environment's SNNC_CPU, else "native"; `from` says which, for messages.
struct CpuChoice {
  std::string name;
  std::string from; // "--cpu", "SNNC_CPU" or "" (the default)
};
CpuChoice choose_cpu(const std::string& requested, const std::string& option = "--cpu");

// Empty if `cpu` can be compiled for and run here; else why not (a user
// error): a name LLVM does not know, or a CPU with features this machine
// lacks (its code would stop with an illegal instruction).
std::string cpu_problem(const CpuChoice& cpu);

class Jit {
public:
  // nullptr and `error` set if the JIT cannot be created (an internal error;
  // check the CPU with cpu_problem first).
  static std::unique_ptr<Jit> create(const CpuChoice& cpu, std::string& error);
  virtual ~Jit() = default;
  // The CPU compiled for: "haswell", or the host's name and "(native)".
  virtual const std::string& cpu() const = 0;

  // Compiles `kernels`; afterwards lookup() finds each by name. False and
  // `error` set on failure (an internal error: kernels are checked).
  virtual bool compile(const std::vector<kir::Kernel>& kernels, const JitOptions& opts,
                       std::string& error) = 0;
  virtual snn_kernel_fn lookup(const std::string& name) = 0;
  virtual const std::string& optimized_ir() const = 0;
  virtual const JitTimings& timings() const = 0;
};

} // namespace snnc::codegen
