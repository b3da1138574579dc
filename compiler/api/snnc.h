// The snnc C++ API: compile a model file once, then run as many independent
// instances of it as you like, with control over time, variables, monitors
// and callbacks. Everything the model file can say, plus control flow.
//
//   auto model = snnc::Model::compile("net.snn", {{"taum", "15*ms"}});
//   auto sim = model->instantiate(/*seed=*/1);
//   sim->set("P", "I", 2e-9);                   // SI units: amp
//   sim->run(0.5);                              // seconds
//   auto counts = sim->spike_counts("spikes");
//   sim->reset_monitor("spikes");
//
// Values are in SI base units (volt, second, amp, ...). A user error in the
// model throws snnc::ModelError with the diagnostics as snnc prints them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "snn/errors.h"
#include "snn/recording.h"
#include "snn/values.h"

namespace snnc {

class ModelError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The results directory could not be written (a full disk, a quota, a
// file-size limit, no permission, the directory removed), or a run would
// write more than its file system has free. What was written stays readable.
using OutputError = snn::OutputError;

struct CompileOptions {
  // Constant overrides, as `--set`: "name" or "object.name" -> a value in the
  // model language ("15*ms").
  std::map<std::string, std::string> constants;
  bool fast_math = false;
  // The CPU to compile for (as `snnc run --cpu`): "" ($SNNC_CPU, else
  // "native") or an LLVM CPU name such as "haswell"; std::invalid_argument
  // if it is unknown or has features this machine lacks.
  std::string cpu;
};

class Simulation;

// What a model holds, for tools that drive it (the Python module).
struct ObjectInfo {
  std::string name;
  std::string kind;      // groups: "neurons", "poisson", "spikes"; "synapses"; monitors:
                         // "spikes", "state", "rate"
  std::int64_t size = 0; // groups: neurons
  std::vector<std::string> variables; // state arrays (monitors: recorded variables)
  std::vector<std::string> units;     // their units, as Brian2 prints them ("volt")
  std::string source, target;         // synapses: the groups; monitors: the object
};

class Model {
public:
  // Parses, checks and JIT-compiles a model file. Instances share the code.
  static std::shared_ptr<const Model> compile(const std::string& path,
                                              const CompileOptions& options = {});
  // The same for a model written as text; `name` is the file name its
  // diagnostics give, and imports and data files are found relative to its
  // directory ("<string>": the working directory).
  static std::shared_ptr<const Model> compile_text(const std::string& text,
                                                   const CompileOptions& options = {},
                                                   const std::string& name = "<string>");
  ~Model();

  // A fresh network at t = 0 with its init blocks applied. With a results
  // directory, monitors write there and Simulation::write_results()
  // completes it; without one, every monitor records in memory
  // (Simulation::recording). The synapses are created and their spike
  // queues built here: a delay that is negative, NaN or longer than the
  // queues hold throws std::length_error.
  std::unique_ptr<Simulation> instantiate(std::uint64_t seed) const;
  std::unique_ptr<Simulation> instantiate(std::uint64_t seed, const std::string& results_dir) const;

  double dt() const;              // seconds
  const std::string& cpu() const; // compiled for: "haswell", "znver3 (native)"
  std::uint64_t seed() const;     // the model file's seed
  // The value of a folded constant (SI), e.g. constant("taum") or
  // constant("hidden.d").
  double constant(const std::string& name) const;
  // A constant expression in the model language ("50*ms", "taum/2"), with
  // the model's global constants, units, pi and e; its value in SI. With
  // `unit` (an expression: "second", "volt/second", "1") its dimension must
  // be that unit's. ModelError (located at `what`:1:col) otherwise.
  double quantity(const std::string& expr, const std::string& unit = "",
                  const std::string& what = "<value>") const;

  std::vector<ObjectInfo> groups() const;
  std::vector<ObjectInfo> synapses() const;
  std::vector<ObjectInfo> monitors() const;

  struct Impl;

private:
  explicit Model(std::shared_ptr<Impl> impl);
  static std::shared_ptr<const Model>
  compile_file(const std::string& path, const CompileOptions& options, const std::string* text);
  std::shared_ptr<Impl> impl_;
};

class Simulation {
public:
  ~Simulation();

  // Threads for the state updates and thresholds of large groups and for
  // synaptic propagation (default 1: run independent trials in parallel
  // instead, see snnc::run_batch). The results are the same bits whatever
  // the count.
  void set_threads(int threads);

  // Advances by `seconds` (rounded to whole steps, as Brian2 does). Throws
  // std::invalid_argument if `seconds` is negative, NaN or beyond the
  // clock's 4e18 steps; OutputError before the run if its monitors would
  // write more than the results directory's file system has free, or when
  // a write fails (the step in progress is completed, the run stops).
  void run(double seconds);
  // The same in two halves, for callers that run in chunks: the steps a run
  // of `seconds` from now takes (std::invalid_argument as run), and running
  // a number of steps. run(s) is run_steps(steps_for(s)).
  std::int64_t steps_for(double seconds) const;
  // OutputError if a run of `steps` would write more than the results
  // directory's file system has free, or an earlier write failed (which
  // every later run reports); run() checks this, run_steps() does not.
  void check_output(std::int64_t steps) const;
  void run_steps(std::int64_t steps);
  std::int64_t step() const;
  // Moves the clock to `step` (>= 0; std::invalid_argument otherwise)
  // without running: a fresh simulation that continues one run elsewhere,
  // as the Brian2 device's when a network's structure changed between runs.
  void set_step(std::int64_t step);
  // Runs the model file's own schedule: its runs and the statements between.
  void run_schedule();
  double t() const;

  // A group's state variable (one value per neuron, SI units); writable.
  snn::Values& variable(const std::string& group, const std::string& var);
  void set(const std::string& group, const std::string& var, double value);

  // A synapses object's variable (one value per synapse) and its size.
  // Delays ("delay", "delay_post") changed through it, between runs or in a
  // callback, apply to the spikes sent from then on (the spike queues are
  // built again when the delays differ from theirs).
  snn::Values& synapse_variable(const std::string& synapses, const std::string& var);
  std::int64_t synapse_count(const std::string& synapses) const;
  // Each synapse's presynaptic (pre) or postsynaptic neuron, relative to the
  // source or target (sub)group: Brian2's S.i and S.j.
  std::vector<std::int32_t> synapse_indices(const std::string& synapses, bool pre) const;

  const std::vector<double>& spike_times(const std::string& monitor) const;
  const std::vector<std::int32_t>& spike_indices(const std::string& monitor) const;
  std::vector<std::int64_t> spike_counts(const std::string& monitor) const;
  // Everything a monitor holds in memory (snn/recording.h): without a
  // results directory, all it recorded (spikes, state samples, rates).
  const snn::Recording& recording(const std::string& monitor);
  // Forgets what a monitor has recorded in memory (e.g. between trials).
  void reset_monitor(const std::string& monitor);

  // Calls `fn` at the start of the step at time `t` (or every `period`
  // from `from`), after the model's own `at`/`every` events. Times must be
  // >= 0 and the period > 0, within the clock's 4e18 steps
  // (std::invalid_argument otherwise).
  void at(double t, std::function<void(Simulation&)> fn);
  void every(double period, std::function<void(Simulation&)> fn, double from = 0);

  // Named snapshots in memory (as Brian2's store/restore): the clock, all
  // state variables, synapses and spikes in flight, and so the random
  // numbers that follow. Monitors keep what they recorded; callbacks stay.
  void store(const std::string& name = "default");
  void restore(const std::string& name = "default"); // std::out_of_range if unknown

  // Completes the results directory given to instantiate(); once: the
  // simulation runs no more after it (std::logic_error).
  void write_results();

  struct Impl;

private:
  friend class Model;
  explicit Simulation(std::unique_ptr<Impl> impl);
  void throw_if_output_failed() const;
  std::unique_ptr<Impl> impl_;
};

// Runs trial(0), ..., trial(n - 1) on `threads` threads (0: all cores), as
// many at a time as there are threads: each trial usually instantiates its
// own Simulation of one compiled Model (instances are independent; the Model
// is shared). Which thread runs a trial does not change its results.
// `progress(done, n)`, if given, is called after each trial, one call at a
// time. The first exception a trial throws is rethrown once all threads
// have stopped (no further trials start).
void run_batch(int n, int threads, const std::function<void(int trial)>& trial,
               const std::function<void(int done, int n)>& progress = {});

// Trials over the processes of an `mpirun` as well as their threads: trial k
// runs on process k % P (P processes; without mpirun P = 1), each process
// running its share as run_batch does on `threads` threads. `trial` returns
// its result as bytes (serialised by the caller, e.g. as JSON); every
// process gets every trial's result back, in trial order. As a trial's
// results do not depend on where it ran, they are the same for any P and
// thread count. `progress` is called on process 0 only, with an estimate of
// the trials done everywhere. If a trial throws, no further trials start,
// and every process throws once all have stopped: the process that ran the
// first failed trial rethrows its exception, the others throw
// BatchError naming the trial, the process and the message.
class BatchError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};
std::vector<std::string>
run_batch_gathered(int n, int threads, const std::function<std::string(int trial)>& trial,
                   const std::function<void(int done, int n)>& progress = {});

// The processes this one runs with: those of an mpirun, or one.
int process_rank();
int process_count();
// Threads for each process by default: the machine's cores, shared by the
// processes of an mpirun that run on it.
int default_threads();

} // namespace snnc
