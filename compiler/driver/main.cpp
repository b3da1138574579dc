// snnc: the command-line driver.
//   snnc check FILE                        check a model: a summary, or diagnostics and exit 1
//   snnc ir FILE [--json|--kernels|--llvm] print the checked IR, its kernels, or the LLVM IR
//   snnc run FILE [-o DIR] [--seed N]      compile with LLVM and run; results in DIR
// Exit codes: 0 success, 1 errors in the model, 2 internal error (a bug in snnc).
#include "codegen/cpp/emit_cpp.h"
#include "codegen/llvm/jit.h"
#include "driver/export.h"
#include "driver/large_stack.h"
#include "driver/pipeline.h"
#include "driver/simulate.h"
#include "driver/sweep.h"
#include "ir/print.h"
#include "kernels/build.h"
#include "snn/distributed.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>
#include <tuple>

namespace {

using namespace snnc;

std::string plural(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string summary(const ir::Model& m) {
  std::int64_t neurons = 0;
  for (const auto& g : m.groups)
    neurons += g.size;
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
  std::vector<std::string> sets;
  std::string dump_after;
  bool time_passes = false;
};

void add_common(CLI::App* cmd, Common& c) {
  cmd->add_option("FILE", c.file, "model file (.snn)")->required();
  std::vector<std::string> dumpable(driver::stage_names().begin() + 1, driver::stage_names().end());
  cmd->add_option("--dump-after", c.dump_after, "print the IR after this stage")
      ->check(CLI::IsMember(dumpable));
  cmd->add_flag("--time-passes", c.time_passes, "report the time of each stage");
  cmd->add_option("--set", c.sets,
                  "override a constant: NAME=VALUE or OBJECT.NAME=VALUE "
                  "(VALUE in the model language, e.g. 'taum=15*ms')");
}

// A duration on the command line: a number with an optional unit (s, ms,
// us, min, h; seconds without one). nullopt if malformed.
std::optional<double> parse_seconds(const std::string& text) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string unit = text.substr(used);
  while (!unit.empty() && unit.front() == ' ')
    unit.erase(unit.begin());
  static const std::pair<const char*, double> units[] = {{"", 1},      {"s", 1},    {"ms", 1e-3},
                                                         {"us", 1e-6}, {"min", 60}, {"h", 3600}};
  for (const auto& [name, factor] : units)
    if (unit == name && std::isfinite(v) && v >= 0) return v * factor;
  return std::nullopt;
}

// How to start snnc again with as many processes as now ("" for one).
std::string relaunch() {
  int n = snn::world().size();
  return n > 1 ? fmt::format("mpirun -np {} ", n) : std::string();
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

static int cli_main(int argc, char** argv) {
  CLI::App app{"snnc: a compiler for spiking neural network models written in a Brian2-like "
               "language"};
  app.require_subcommand(1);
  Common check_opts, ir_opts, run_opts;
  bool json = false, kernels = false, llvm_ir = false, fast = false, cpp = false;
  bool kernels_only = false;
  std::string out_dir = "results";
  std::optional<std::int64_t> seed;
  CLI::App* check = app.add_subcommand("check", "check a model file and print a summary");
  add_common(check, check_opts);
  CLI::App* ir_cmd = app.add_subcommand("ir", "print the checked IR of a model file");
  add_common(ir_cmd, ir_opts);
  auto* json_opt = ir_cmd->add_flag("--json", json, "print the IR as JSON");
  auto* kernels_opt = ir_cmd->add_flag("--kernels", kernels, "print the kernels after integration")
                          ->excludes(json_opt);
  ir_cmd->add_flag("--llvm", llvm_ir, "print the optimized LLVM IR of the kernels")
      ->excludes(json_opt)
      ->excludes(kernels_opt);
  ir_cmd->add_flag("--cpp", cpp, "print the kernels as C++ (what snnc export writes)")
      ->excludes(json_opt)
      ->excludes(kernels_opt);
  Common export_opts;
  std::string export_dir;
  CLI::App* exp = app.add_subcommand("export", "write the model as a standalone C++ project");
  add_common(exp, export_opts);
  exp->add_option("-o,--output", export_dir, "the project's directory")->required();
  exp->add_flag("--kernels-only", kernels_only, "write only the kernels (and the ABI header)");
  CLI::App* run = app.add_subcommand("run", "compile a model with LLVM and run it");
  add_common(run, run_opts);
  run->add_option("-o,--output", out_dir, "results directory (default: results)");
  run->add_option("--seed", seed, "random seed (default: the model's seed)");
  bool allow_nan = false;
  run->add_flag("--allow-nan", allow_nan,
                "run on when a state variable becomes NaN or infinite (default: stop and say "
                "where)");
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  run->add_option("--threads", threads,
                  "threads for the state updates and thresholds of large groups (default: all "
                  "cores); the results are the same whatever the count")
      ->check(CLI::Range(1, 1024));
  std::string checkpoint, resume, stop_at, checkpoint_every = "600";
  run->add_option("--checkpoint", checkpoint,
                  "write the run's whole state to this file when it ends or stops, and "
                  "periodically while it runs (see --checkpoint-every)");
  run->add_option("--checkpoint-every", checkpoint_every,
                  "wall-clock time between checkpoints, e.g. 10min (default: 600 s)");
  run->add_option("--resume", resume,
                  "continue the run a checkpoint was written from; the results are written "
                  "where that run wrote them unless -o is given");
  run->add_option("--stop-at", stop_at,
                  "stop when the simulated time reaches this, e.g. 2.5s or 300ms (with "
                  "--checkpoint, resume later)");
  std::vector<std::string> sweeps;
  std::string seeds;
  run->add_option("--sweep", sweeps,
                  "run once per value of a constant: NAME=V1,V2,... (repeat for a product of "
                  "several); each point's results in a subdirectory of -o, listed in "
                  "sweep.json; under mpirun the points are shared out over the processes");
  run->add_option("--seeds", seeds, "run once per seed: 1-10 or 1,4,9 (with or without --sweep)");
  std::string progress = "auto";
  run->add_option("--progress", progress,
                  "a progress line on standard error: auto (once a run lasts 2 s: updated in "
                  "place on a terminal, else a line per 10 %), on (from the start), off")
      ->check(CLI::IsMember({"auto", "on", "off"}));
  std::string cpu_name;
  for (CLI::App* cmd : {ir_cmd, run}) {
    cmd->add_flag("--fast-math", fast, "allow fast-math");
    cmd->add_option("--cpu", cpu_name,
                    "the CPU to compile for: native (the default, or $SNNC_CPU), or an LLVM CPU "
                    "name such as haswell (AVX2 without AVX-512), skylake-avx512, znver3");
  }
  CLI11_PARSE(app, argc, argv);
  const codegen::CpuChoice cpu = codegen::choose_cpu(cpu_name);
  if (run->parsed() || (ir_cmd->parsed() && llvm_ir)) {
    if (std::string bad = codegen::cpu_problem(cpu); !bad.empty()) {
      std::cerr << "snnc: error: " << bad << '\n';
      return 1;
    }
  }

  const Common& c = check->parsed()    ? check_opts
                    : ir_cmd->parsed() ? ir_opts
                    : exp->parsed()    ? export_opts
                                       : run_opts;
  SourceManager sources;
  Diagnostics diag(sources);
  auto fail = [&] {
    diag.print(std::cerr);
    std::cerr << fmt::format("{} generated.\n", plural(diag.error_count(), "error", "errors"));
    return 1;
  };
  auto timing = [&](const char* what, double ms) {
    if (c.time_passes) std::cerr << fmt::format("time: {:<16} {:9.3f} ms\n", what, ms);
  };
  try {
    driver::FrontEndOptions opts;
    opts.dump_after = c.dump_after;
    opts.time_passes = c.time_passes;
    opts.log = &std::cerr;
    for (const std::string& kv : c.sets) {
      auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::cerr << "snnc: error: --set takes NAME=VALUE, got '" << kv << "'\n";
        return 1;
      }
      opts.overrides.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
    std::optional<driver::Checked> checked = driver::check_model(c.file, sources, diag, opts);
    if (!checked) return fail();
    const ir::Model* m = &checked->model;
    kir::Module& mod = checked->kernels;
    if (check->parsed()) {
      diag.print(std::cerr);
      std::cout << summary(*m) << '\n';
      return 0;
    }
    if (exp->parsed()) {
      if (!driver::export_project(*m, mod, export_dir, kernels_only, diag)) return fail();
      diag.print(std::cerr);
      std::cout << fmt::format("{}: exported to {}\n",
                               std::filesystem::path(m->path).filename().string(), export_dir);
      return 0;
    }
    if (cpp) {
      diag.print(std::cerr);
      std::cout << codegen::kernels_to_cpp(mod.kernels);
      return 0;
    }
    if (ir_cmd->parsed() && !kernels && !llvm_ir) {
      diag.print(std::cerr);
      if (json)
        std::cout << ir::ir_to_json(*m).dump(2) << '\n';
      else
        std::cout << ir::print_ir(*m);
      return 0;
    }
    if (kernels) {
      diag.print(std::cerr);
      for (const kir::Kernel& k : mod.kernels)
        std::cout << kir::to_string(k);
      return 0;
    }
    if (!sweeps.empty() || !seeds.empty()) {
      if (!checkpoint.empty() || !resume.empty() || !stop_at.empty()) {
        std::cerr << "snnc: error: --sweep and --seeds run many simulations; --checkpoint, "
                     "--resume and --stop-at apply to one\n";
        return 1;
      }
      if (seed && !seeds.empty()) {
        std::cerr << "snnc: error: give --seed or --seeds, not both\n";
        return 1;
      }
      diag.print(std::cerr);
      std::vector<driver::SweepPoint> points;
      std::string bad = driver::sweep_points(
          sweeps, seeds,
          seed ? static_cast<std::uint64_t>(*seed) : static_cast<std::uint64_t>(m->seed), points);
      if (!bad.empty()) {
        std::cerr << "snnc: error: " << bad << '\n';
        return 1;
      }
      // Each point compiles the model with its constants (kept while they
      // do not change: the seeds of one combination share the code).
      struct Compiled {
        std::vector<std::pair<std::string, std::string>> constants;
        std::unique_ptr<SourceManager> sources;
        std::unique_ptr<Diagnostics> diag;
        std::optional<driver::Checked> checked;
        std::unique_ptr<codegen::Jit> jit;
      } cache;
      auto run_point = [&](const driver::SweepPoint& p, const std::string& dir) {
        driver::PointOutcome o;
        auto failed = [&](Diagnostics& d) {
          std::ostringstream text;
          d.print(text);
          std::cerr << fmt::format("snnc: point {}:\n{}", p.dir, text.str());
          std::string first = text.str().substr(0, text.str().find('\n'));
          o.message = first.empty() ? "failed" : first;
          return o;
        };
        if (!cache.checked || cache.constants != p.constants) {
          cache = Compiled{};
          cache.constants = p.constants;
          cache.sources = std::make_unique<SourceManager>();
          cache.diag = std::make_unique<Diagnostics>(*cache.sources);
          driver::FrontEndOptions po = opts;
          po.dump_after.clear();
          po.time_passes = false;
          for (const auto& kv : p.constants)
            po.overrides.push_back(kv);
          cache.checked = driver::check_model(c.file, *cache.sources, *cache.diag, po);
          if (!cache.checked) return failed(*cache.diag);
          std::string error;
          cache.jit = codegen::Jit::create(cpu, error);
          if (!cache.jit) throw InternalError("cannot create the LLVM JIT: " + error);
          codegen::JitOptions jo;
          jo.fast_math = fast;
          if (!cache.jit->compile(cache.checked->kernels.kernels, jo, error))
            throw InternalError("LLVM: " + error);
        }
        driver::RunOptions ro;
        ro.out_dir = dir;
        ro.out_dir_given = true;
        ro.alone = true; // each process its own points
        ro.seed = p.seed;
        if (allow_nan) ro.nan_check_every = 0;
        ro.threads = threads;
        ro.progress = Progress::Mode::off;
        Diagnostics run_diag(*cache.sources);
        driver::RunTimings rt;
        if (!driver::simulate(cache.checked->model, cache.checked->kernels, *cache.jit, ro,
                              run_diag, rt))
          return failed(run_diag);
        o.ok = !rt.interrupted;
        if (rt.interrupted) o.message = rt.reason;
        o.simulate_s = rt.simulate_ms / 1000.0;
        return o;
      };
      return driver::run_sweep(points, out_dir, c.file, run_point);
    }
    // Under mpirun with several processes: one network spread over them
    // (driver/simulate.cpp); process 0 speaks for all.
    static std::ofstream quiet;
    if (run->parsed() && snn::world().size() > 1 && snn::world().rank() != 0) {
      quiet.open("/dev/null");
      std::cout.rdbuf(quiet.rdbuf());
      std::cerr.rdbuf(quiet.rdbuf());
    }
    std::string error;
    auto t0 = std::chrono::steady_clock::now();
    auto jit = codegen::Jit::create(cpu, error);
    if (!jit) throw InternalError("cannot create the LLVM JIT: " + error);
    timing("jit setup", ms_since(t0));
    codegen::JitOptions jo;
    jo.fast_math = fast;
    jo.keep_ir = llvm_ir;
    if (!jit->compile(mod.kernels, jo, error)) throw InternalError("LLVM: " + error);
    timing("llvm codegen", jit->timings().codegen_ms);
    timing("llvm optimize", jit->timings().optimize_ms);
    timing("llvm jit", jit->timings().jit_ms);
    if (llvm_ir) {
      diag.print(std::cerr);
      std::cout << jit->optimized_ir();
      return 0;
    }
    driver::RunOptions ro;
    ro.out_dir = out_dir;
    if (seed && *seed < 0) {
      std::cerr << "snnc: error: --seed must not be negative\n";
      return 1;
    }
    if (seed) ro.seed = static_cast<std::uint64_t>(*seed);
    if (allow_nan) ro.nan_check_every = 0;
    ro.out_dir_given = run->count("--output") > 0;
    ro.threads = threads;
    if (progress == "off") ro.progress = Progress::Mode::off;
    if (progress == "on") ro.progress_delay = 0;
    ro.checkpoint = checkpoint;
    ro.resume = resume;
    if (auto every = parse_seconds(checkpoint_every))
      ro.checkpoint_every = *every;
    else {
      std::cerr << fmt::format("snnc: error: --checkpoint-every takes a duration such as 600, 90s "
                               "or 10min, got '{}'\n",
                               checkpoint_every);
      return 1;
    }
    if (!stop_at.empty()) {
      ro.stop_at = parse_seconds(stop_at);
      if (!ro.stop_at) {
        std::cerr << fmt::format(
            "snnc: error: --stop-at takes a simulated time such as 2.5s or 300ms, got '{}'\n",
            stop_at);
        return 1;
      }
    }
    driver::RunTimings rt;
    if (!driver::simulate(*m, mod, *jit, ro, diag, rt)) return fail();
    if (rt.stopped_at) {
      diag.print(std::cerr);
      std::cerr << fmt::format(
          "snnc: {}; the results so far are in {} (marked interrupted){}\n", rt.reason, rt.out_dir,
          checkpoint.empty() ? ""
                             : fmt::format("; continue with: {}snnc run {} --resume {}", relaunch(),
                                           c.file, checkpoint));
      return 0;
    }
    if (rt.interrupted) {
      diag.print(std::cerr);
      std::cerr << fmt::format("snnc: {}; the results recorded so far are in {} (marked "
                               "interrupted){}\n",
                               rt.reason, rt.out_dir,
                               checkpoint.empty()
                                   ? ""
                                   : fmt::format("; continue with: {}snnc run {} --resume {}",
                                                 relaunch(), c.file, checkpoint));
      return 128 + (rt.signal ? rt.signal : SIGINT); // 130 for Ctrl-C, 143 for SIGTERM
    }
    timing("setup", rt.setup_ms);
    timing("simulate", rt.simulate_ms);
    timing("write", rt.write_ms);
    diag.print(std::cerr);
    if (rt.processes > 1)
      std::cerr << fmt::format("snnc: spread over {}; spikes exchanged every {} {}, in {:.3f} s\n",
                               snn::world().describe(), rt.exchange_every,
                               rt.exchange_every == 1 ? "step" : "steps", rt.exchange_ms / 1000.0);
    std::cout << fmt::format(
        "{}: ran {:g} s of simulated time in {:.3f} s; results in {}\n",
        std::filesystem::path(m->path).filename().string(),
        [&] {
          double t = 0;
          for (const auto& it : m->schedule)
            if (it.kind == ir::ScheduleItem::Kind::run) t += it.duration;
          return t;
        }(),
        rt.simulate_ms / 1000.0, rt.out_dir);
    return 0;
  } catch (const snn::OutputError& e) {
    // A write the run could not make: the machine's, not snnc's.
    diag.print(std::cerr);
    std::cerr << "snnc: error: the results could not be written: " << e.what() << "\n";
    return 1;
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

int main(int argc, char** argv) {
  // A file-size limit (ulimit -f) makes writes fail with EFBIG, reported as
  // such, rather than killing the process.
  std::signal(SIGXFSZ, SIG_IGN);
  // The passes recurse over expressions: see driver/large_stack.h.
  return snnc::driver::with_large_stack([&] { return cli_main(argc, argv); });
}
