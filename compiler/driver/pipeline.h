// The front-end pipeline, top to bottom: load (parse + imports) -> lower ->
// fold_constants -> resolve_names -> check_units. Each stage stops the
// pipeline when it reports errors. `dump_after` prints the IR after a stage;
// `time_passes` reports each stage's time.
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"
#include "kernels/build.h"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace snnc::driver {

struct FrontEndOptions {
  // `--set NAME=VALUE`: replaces the value of a constant (`name` for a global
  // one, `object.name` for a group's or synapses' own), before folding.
  std::vector<std::pair<std::string, std::string>> overrides;
  std::string dump_after; // a stage name, or "" for none
  bool time_passes = false;
  std::ostream* log = nullptr; // where dumps and timings go
  // The main file's text, when it is not read from `path` (a model written
  // inline: `path` is its name, imports are relative to its directory).
  std::optional<std::string> text;
};

// The names of the stages, in order (for --dump-after).
const std::vector<std::string>& stage_names();

// Runs the front end on `path`. Returns the checked IR, or nullopt if errors
// were reported to `diag`.
std::optional<ir::Model> run_front_end(const std::string& path, SourceManager& sources,
                                       Diagnostics& diag, const FrontEndOptions& opts);

// A model checked completely: the IR and its kernels (integration included,
// so a method that cannot integrate the equations is reported here).
struct Checked {
  ir::Model model;
  kir::Module kernels;
};

// run_front_end, then build_kernels (stage "kernels"); nullopt after errors.
std::optional<Checked> check_model(const std::string& path, SourceManager& sources,
                                   Diagnostics& diag, const FrontEndOptions& opts);

} // namespace snnc::driver
