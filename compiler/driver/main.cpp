// snnc: the command-line driver.
//   snnc check FILE              check a model; exit 0 with a summary, or 1 with diagnostics
//   snnc ir FILE [--json]        print the checked IR (canonical text, or JSON)
// Exit codes: 0 success, 1 errors in the model, 2 internal error (a bug in snnc).
#include "driver/pipeline.h"
#include "ir/print.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <filesystem>
#include <iostream>

namespace {

using namespace snnc;

std::string plural(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string summary(const ir::Model& m) {
  std::int64_t neurons = 0;
  for (const auto& g : m.groups) neurons += g.size;
  double t = 0;
  std::size_t runs = 0;
  for (const auto& it : m.schedule)
    if (it.kind == ir::ScheduleItem::Kind::run) {
      t += it.duration;
      ++runs;
    }
  std::string what;
  if (m.groups.empty() && m.synapses.empty())
    what = plural(m.templates.size(), "template", "templates") + ", " +
           plural(m.constants.size(), "constant", "constants") + ", " +
           plural(m.timed.size(), "timed array", "timed arrays");
  else
    what = fmt::format("{} ({} neurons), {}, {}, {} ({:g} s simulated)",
                       plural(m.groups.size(), "group", "groups"), neurons,
                       plural(m.synapses.size(), "synapses object", "synapses objects"),
                       plural(m.monitors.size(), "monitor", "monitors"),
                       plural(runs, "run", "runs"), t);
  return fmt::format("{}: ok: {}", std::filesystem::path(m.path).filename().string(), what);
}

struct Common {
  std::string file;
  std::string dump_after;
  bool time_passes = false;
};

void add_common(CLI::App* cmd, Common& c) {
  cmd->add_option("FILE", c.file, "model file (.snn)")->required();
  cmd->add_option("--dump-after", c.dump_after, "print the IR after this stage")
      ->check(CLI::IsMember(driver::stage_names()));
  cmd->add_flag("--time-passes", c.time_passes, "report the time of each stage");
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"snnc: a compiler for spiking neural network models written in a Brian2-like "
               "language"};
  app.require_subcommand(1);
  Common check_opts, ir_opts;
  bool json = false;
  CLI::App* check = app.add_subcommand("check", "check a model file and print a summary");
  add_common(check, check_opts);
  CLI::App* ir_cmd = app.add_subcommand("ir", "print the checked IR of a model file");
  add_common(ir_cmd, ir_opts);
  ir_cmd->add_flag("--json", json, "print the IR as JSON");
  CLI11_PARSE(app, argc, argv);

  const Common& c = check->parsed() ? check_opts : ir_opts;
  SourceManager sources;
  Diagnostics diag(sources);
  try {
    driver::FrontEndOptions opts;
    opts.dump_after = c.dump_after;
    opts.time_passes = c.time_passes;
    opts.log = &std::cerr;
    std::optional<ir::Model> m = driver::run_front_end(c.file, sources, diag, opts);
    diag.print(std::cerr);
    if (!m) {
      std::cerr << fmt::format("{} generated.\n", plural(diag.error_count(), "error", "errors"));
      return 1;
    }
    if (check->parsed()) std::cout << summary(*m) << '\n';
    else if (json) std::cout << ir::ir_to_json(*m).dump(2) << '\n';
    else std::cout << ir::print_ir(*m);
    return 0;
  } catch (const InternalError& e) {
    diag.print(std::cerr);
    std::cerr << "snnc: internal error: " << e.what()
              << " (this is a bug in snnc, not in your model; please report it with the model "
                 "file)\n";
  } catch (const std::exception& e) {
    diag.print(std::cerr);
    std::cerr << "snnc: internal error: unexpected exception: " << e.what()
              << " (this is a bug in snnc, not in your model; please report it with the model "
                 "file)\n";
  }
  return 2;
}
