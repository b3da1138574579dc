// Filling the kernels' arguments (abi.h): what every call is given (the
// clock's step and dt, the run's seed and the kernel's random stream, the
// timed arrays) apart from the object's own state, which the part that owns
// the object adds.
#pragma once

#include "snn/abi.h"
#include "snn/spec.h"

namespace snn {

// What kernels read besides their object's state; the same for every call
// of a network's kernels.
struct KernelEnv {
  double dt = 0;
  uint64_t seed = 0;
  const snn_timed_array* timed = nullptr;
};

// Kernel arguments with every field set, one by one: zero-initialising the
// struct (`snn_kernel_args a{}`) compiles to `rep stos`, whose stores the
// kernel's loads of the same fields wait for, tripling the cost of calling
// a small kernel.
inline snn_kernel_args blank_args() {
  static_assert(sizeof(snn_kernel_args) == 28 * 8, "blank_args must set every field");
  snn_kernel_args a;
  a.n = a.step = 0;
  a.t = a.dt = 0;
  a.seed = a.stream = 0;
  a.vars = a.pre_vars = a.post_vars = nullptr;
  a.timed = nullptr;
  a.spikes = a.out = nullptr;
  a.nspikes = a.nout = 0;
  a.pre_index = a.post_index = a.selected = a.part_index = nullptr;
  a.pre_offset = a.post_offset = a.n_pre = a.n_post = 0;
  a.nselected = a.selected_first = a.first = a.part_lo = a.part_hi = 0;
  a.global_index = nullptr;
  return a;
}

// The arguments of kernel `k` at `step`, without an object.
inline snn_kernel_args kernel_args(const KernelEnv& env, const Kernel& k, int64_t step) {
  snn_kernel_args a = blank_args();
  a.step = step;
  a.t = static_cast<double>(step) * env.dt;
  a.dt = env.dt;
  a.seed = env.seed;
  a.stream = k.stream;
  a.timed = env.timed;
  return a;
}

} // namespace snn
