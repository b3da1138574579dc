#include "driver/pipeline.h"

#include "ir/print.h"
#include "lower/load.h"
#include "lower/lower.h"
#include "passes/check_units.h"
#include "passes/fold_constants.h"
#include "passes/resolve_names.h"

#include <chrono>
#include <fmt/format.h>

namespace snnc::driver {

const std::vector<std::string>& stage_names() {
  static const std::vector<std::string> n = {"parse", "lower", "fold_constants", "resolve_names",
                                             "check_units"};
  return n;
}

namespace {

class Stages {
public:
  Stages(Diagnostics& diag, const FrontEndOptions& opts) : diag_(diag), opts_(opts) {}

  // Runs one stage; false if it (or an earlier one) reported errors.
  template <class F> bool stage(const std::string& name, F&& f, const ir::Model* m = nullptr) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (opts_.time_passes && opts_.log) *opts_.log << fmt::format("time: {:<16} {:9.3f} ms\n", name, ms);
    if (diag_.has_errors()) return false;
    if (m && opts_.log && opts_.dump_after == name)
      *opts_.log << "# ---- IR after " << name << " ----\n" << ir::print_ir(*m);
    return true;
  }

private:
  Diagnostics& diag_;
  const FrontEndOptions& opts_;
};

} // namespace

std::optional<ir::Model> run_front_end(const std::string& path, SourceManager& sources,
                                       Diagnostics& diag, const FrontEndOptions& opts) {
  Stages s(diag, opts);
  std::vector<ast::File> files;
  ir::Model m;
  if (!s.stage("parse", [&] { files = lower::load_files(path, sources, diag); })) return std::nullopt;
  if (!s.stage("lower", [&] { m = lower::lower(files, diag); }, &m)) return std::nullopt;
  if (!s.stage("fold_constants", [&] { passes::fold_constants(m, diag); }, &m)) return std::nullopt;
  if (!s.stage("resolve_names", [&] { passes::resolve_names(m, diag); }, &m)) return std::nullopt;
  if (!s.stage("check_units", [&] { passes::check_units(m, diag); }, &m)) return std::nullopt;
  return m;
}

} // namespace snnc::driver
