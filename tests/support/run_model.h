// Runs a model file through the whole pipeline in-process (front end,
// kernels, LLVM JIT, runtime) into a results directory, as `snnc run` does.
#pragma once

#include "codegen/llvm/jit.h"
#include "driver/pipeline.h"
#include "driver/simulate.h"
#include "kernels/build.h"

#include <sstream>
#include <string>

namespace snnc::test {

// Empty string on success, else the diagnostics.
// `threads` > 1: large groups split over that many threads, always.
// `step_kernels` false: groups update and threshold in two kernels, never in
// their step kernel.
// `tiling` false: one thread delivers synapses source by source, never tile
// by tile of targets; `tiled` (if given) receives how many deliveries were.
// `parallel` (if given) receives how many steps ran whole on the threads.
// `tuned`: the threads are used where timing says they are faster, as by
// `snnc run`, rather than always.
inline std::string run_model(const std::string& model, const std::string& out_dir, int threads = 1,
                             bool step_kernels = true, bool tiling = true,
                             std::int64_t* tiled = nullptr, std::int64_t* parallel = nullptr,
                             bool tuned = false) {
  SourceManager sources;
  Diagnostics diag(sources);
  auto checked = driver::check_model(model, sources, diag, {});
  std::ostringstream msgs;
  if (!checked) {
    diag.print(msgs);
    return "check: " + msgs.str();
  }
  const ir::Model* m = &checked->model;
  kir::Module& mod = checked->kernels;
  if (!step_kernels)
    for (auto& [name, gk] : mod.groups)
      gk.step = -1;
  std::string error;
  auto jit = codegen::Jit::create({}, error);
  if (!jit || !jit->compile(mod.kernels, {}, error)) return "jit: " + error;
  driver::RunOptions ro;
  ro.out_dir = out_dir;
  ro.nan_check_every = 0; // Brian2's NaNs are part of some references
  ro.handle_sigint = false;
  ro.threads = threads;
  ro.always_split = threads > 1 && !tuned;
  ro.tile_targets = tiling;
  driver::RunTimings rt;
  if (!driver::simulate(*m, mod, *jit, ro, diag, rt)) {
    diag.print(msgs);
    return "simulate: " + msgs.str();
  }
  if (tiled) *tiled = rt.tiled_deliveries;
  if (parallel) *parallel = rt.parallel_steps;
  return "";
}

} // namespace snnc::test
