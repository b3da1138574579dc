// The kernels snnc builds for a model text (front end and kernel passes, as
// `snnc run` before code generation), by name.
#pragma once

#include "driver/pipeline.h"
#include "kernels/kernel.h"
#include "support/temp.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <string>

namespace snnc::test {

inline std::map<std::string, kir::Kernel> kernels_of(const std::string& model) {
  SourceManager sources;
  Diagnostics diag{sources};
  std::filesystem::path p = scratch("kernels_of") / "model.snn";
  std::ofstream(p) << model;
  auto checked = driver::check_model(p.string(), sources, diag, {});
  REQUIRE(checked);
  std::map<std::string, kir::Kernel> out;
  for (const kir::Kernel& k : checked->kernels.kernels)
    out[k.name] = k;
  return out;
}

} // namespace snnc::test
