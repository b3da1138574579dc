#include "api/snnc.h"

#include "codegen/llvm/jit.h"
#include "driver/estimate.h"
#include "driver/large_stack.h"
#include "driver/pipeline.h"
#include "driver/quantity.h"
#include "driver/simulate.h"
#include "ir/clock.h"
#include "kernels/build.h"
#include "passes/analyze.h"
#include "snn/distributed.h"
#include "snn/network.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstring>
#include <exception>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace snnc {

struct Model::Impl {
  SourceManager sources;
  std::unique_ptr<Diagnostics> diag;
  ir::Model ir;
  kir::Module kernels;
  std::unique_ptr<codegen::Jit> jit;
};

struct Simulation::Impl {
  std::shared_ptr<const Model::Impl> model;
  std::unique_ptr<snn::Network> net;
  std::uint64_t seed = 0;
  std::string dir;
  std::map<std::string, std::shared_ptr<const snn::Snapshot>> snapshots;
  bool finished = false; // write_results was called
};

namespace {

[[noreturn]] void fail(const Diagnostics& d) {
  std::ostringstream os;
  d.print(os);
  throw ModelError(os.str());
}

} // namespace

Model::Model(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::~Model() = default;

std::shared_ptr<const Model> Model::compile(const std::string& path,
                                            const CompileOptions& options) {
  return compile_file(path, options, nullptr);
}

std::shared_ptr<const Model> Model::compile_text(const std::string& text,
                                                 const CompileOptions& options,
                                                 const std::string& name) {
  return compile_file(name, options, &text);
}

std::shared_ptr<const Model> Model::compile_file(const std::string& path,
                                                 const CompileOptions& options,
                                                 const std::string* text) {
  // The passes recurse over expressions: see driver/large_stack.h.
  return driver::with_large_stack([&]() -> std::shared_ptr<const Model> {
    auto impl = std::make_shared<Impl>();
    impl->diag = std::make_unique<Diagnostics>(impl->sources);
    driver::FrontEndOptions fo;
    if (text) fo.text = *text;
    for (const auto& [k, v] : options.constants)
      fo.overrides.emplace_back(k, v);
    auto checked = driver::check_model(path, impl->sources, *impl->diag, fo);
    if (!checked) fail(*impl->diag);
    impl->ir = std::move(checked->model);
    impl->kernels = std::move(checked->kernels);
    const codegen::CpuChoice cpu = codegen::choose_cpu(options.cpu, "cpu");
    if (std::string bad = codegen::cpu_problem(cpu); !bad.empty()) throw std::invalid_argument(bad);
    std::string error;
    impl->jit = codegen::Jit::create(cpu, error);
    if (!impl->jit) throw InternalError("cannot create the LLVM JIT: " + error);
    codegen::JitOptions jo;
    jo.fast_math = options.fast_math;
    if (!impl->jit->compile(impl->kernels.kernels, jo, error))
      throw InternalError("LLVM: " + error);
    return std::shared_ptr<const Model>(new Model(std::move(impl)));
  });
}

std::unique_ptr<Simulation> Model::instantiate(std::uint64_t seed) const {
  return instantiate(seed, "");
}

std::unique_ptr<Simulation> Model::instantiate(std::uint64_t seed,
                                               const std::string& results_dir) const {
  auto s = std::make_unique<Simulation::Impl>();
  s->model = impl_;
  s->seed = seed;
  s->dir = results_dir;
  // The JIT is only read after compilation: lookups of compiled symbols.
  codegen::Jit& jit = *impl_->jit;
  if (!results_dir.empty()) {
    // A file-size limit (ulimit -f) then fails a write (OutputError) rather
    // than killing the process, unless the program handles SIGXFSZ itself.
    struct sigaction old {};
    if (sigaction(SIGXFSZ, nullptr, &old) == 0 && old.sa_handler == SIG_DFL)
      std::signal(SIGXFSZ, SIG_IGN);
  }
  snn::NetworkSpec spec = driver::network_spec(impl_->ir, impl_->kernels, &jit, seed);
  spec.memory_limit = driver::available_memory() / 2;
  s->net = std::make_unique<snn::Network>(std::move(spec), results_dir);
  driver::initialise(*s->net, impl_->ir, impl_->kernels, jit);
  return std::unique_ptr<Simulation>(new Simulation(std::move(s)));
}

const std::string& Model::cpu() const {
  return impl_->jit->cpu();
}

double Model::dt() const {
  return impl_->ir.dt;
}
std::uint64_t Model::seed() const {
  return static_cast<std::uint64_t>(impl_->ir.seed);
}

double Model::constant(const std::string& name) const {
  const std::vector<ir::Constant>* list = &impl_->ir.constants;
  std::string cname = name;
  if (auto dot = name.find('.'); dot != std::string::npos) {
    const ir::Group* g = impl_->ir.find_group(name.substr(0, dot));
    if (!g) throw std::out_of_range("no group '" + name.substr(0, dot) + "'");
    list = &g->constants;
    cname = name.substr(dot + 1);
  }
  for (const ir::Constant& c : *list)
    if (c.name == cname) return c.value;
  throw std::out_of_range("no constant '" + name + "'");
}

double Model::quantity(const std::string& expr, const std::string& unit,
                       const std::string& what) const {
  SourceManager sources;
  Diagnostics diag(sources);
  auto r = driver::evaluate_quantity(impl_->ir, expr, what, unit, sources, diag);
  if (!r) fail(diag);
  return r->value;
}

namespace {

// The unit of a state array `name` of an object with `variables`.
std::string unit_of(const std::vector<ir::Variable>& variables, const std::string& name) {
  for (const ir::Variable& v : variables)
    if (v.name == name) return passes::unit_name(v.dim);
  if (name == "lastspike" || name == "lastupdate" || name == "delay" ||
      name.rfind("delay_", 0) == 0)
    return "second";
  if (name == "rates") return "hertz";
  return "1"; // not_refractory and other flags
}

} // namespace

std::vector<ObjectInfo> Model::groups() const {
  std::vector<ObjectInfo> out;
  for (const ir::Group& g : impl_->ir.groups) {
    ObjectInfo o;
    o.name = g.name;
    o.kind = ir::to_string(g.kind);
    o.size = g.size;
    o.variables = impl_->kernels.groups.at(g.name).variables;
    for (const std::string& v : o.variables)
      o.units.push_back(unit_of(g.variables, v));
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<ObjectInfo> Model::synapses() const {
  std::vector<ObjectInfo> out;
  for (const ir::Synapses& y : impl_->ir.synapses) {
    ObjectInfo o;
    o.name = y.name;
    o.kind = "synapses";
    o.variables = impl_->kernels.synapses.at(y.name).variables;
    for (const std::string& v : o.variables)
      o.units.push_back(unit_of(y.variables, v));
    o.source = y.source.group;
    o.target = y.target.group;
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<ObjectInfo> Model::monitors() const {
  std::vector<ObjectInfo> out;
  for (const ir::Monitor& m : impl_->ir.monitors) {
    ObjectInfo o;
    o.name = m.name;
    o.kind = ir::to_string(m.kind);
    o.variables = m.variables;
    o.source = m.object;
    o.size = m.stop - m.start;
    const ir::Group* g = impl_->ir.find_group(m.object);
    for (const std::string& v : m.variables) {
      if (g) {
        o.units.push_back(unit_of(g->variables, v));
        continue;
      }
      std::string u = "1";
      for (const ir::Synapses& y : impl_->ir.synapses)
        if (y.name == m.object) u = unit_of(y.variables, v);
      o.units.push_back(u);
    }
    out.push_back(std::move(o));
  }
  return out;
}

Simulation::Simulation(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Simulation::~Simulation() = default;

// Throws std::invalid_argument unless `t` is a time the clock counts to
// (>= 0, or > 0 with `positive`, at most kMaxSteps steps).
static void check_time(double t, double dt, const char* what, bool positive = false) {
  if (!(positive ? t > 0 : t >= 0) || !(t / dt <= ir::kMaxSteps))
    throw std::invalid_argument(
        std::string(what) + " must be " + (positive ? "positive" : "at least 0") +
        " and at most 4e18 steps of dt, but is " + std::to_string(t) + " s");
}

void Simulation::run(double seconds) {
  std::int64_t steps = steps_for(seconds);
  check_output(steps);
  run_steps(steps);
}

void Simulation::check_output(std::int64_t steps) const {
  if (impl_->finished)
    throw std::logic_error("the results of this simulation were written (write_results): it "
                           "runs no more; instantiate another");
  const snn::StopReport& stop = impl_->net->stop_report();
  if (stop.output)
    throw OutputError("the results could not be written earlier (" + stop.message +
                      "): this simulation can record no more");
  if (impl_->dir.empty()) return;
  const Model::Impl& m = *impl_->model;
  Diagnostics diag(m.sources); // the monitor's place in the model's files
  if (!driver::disk_fits(m.ir, m.kernels, static_cast<double>(steps) * m.ir.dt, impl_->dir, diag) ||
      diag.error_count() > 0) {
    std::ostringstream os;
    diag.print(os);
    throw OutputError(os.str());
  }
}

void Simulation::throw_if_output_failed() const {
  const snn::StopReport& stop = impl_->net->stop_report();
  if (stop.output)
    throw OutputError(fmt::format("the run stopped: the results could not be written at t = "
                                  "{:.6g} s: {}",
                                  impl_->net->t(), stop.message));
}

std::int64_t Simulation::steps_for(double seconds) const {
  check_time(seconds, impl_->model->ir.dt, "Simulation::run: the duration");
  std::int64_t now = impl_->net->step();
  return driver::run_end_step(now, impl_->model->ir.dt, seconds) - now;
}

void Simulation::run_steps(std::int64_t steps) {
  if (steps < 0) throw std::invalid_argument("Simulation::run_steps: a negative step count");
  if (impl_->finished || impl_->net->stop_report().output) check_output(0); // throws
  try {
    impl_->net->run_steps(steps);
  } catch (const snn::ModelError& e) { // found while running (a timed array's column, ...)
    throw ModelError(std::string("the run stopped: ") + e.what());
  }
  throw_if_output_failed();
}

std::int64_t Simulation::step() const {
  return impl_->net->step();
}

void Simulation::set_step(std::int64_t step) {
  if (step < 0) throw std::invalid_argument("Simulation::set_step: a negative step");
  impl_->net->set_step(step);
}

void Simulation::run_schedule() {
  check_output(driver::event_step(driver::schedule_seconds(impl_->model->ir), impl_->model->ir.dt));
  try {
    driver::run_schedule(*impl_->net, impl_->model->ir, impl_->model->kernels, *impl_->model->jit);
  } catch (const snn::ModelError& e) {
    throw ModelError(std::string("the run stopped: ") + e.what());
  }
  throw_if_output_failed();
}

double Simulation::t() const {
  return impl_->net->t();
}

snn::Values& Simulation::variable(const std::string& group, const std::string& var) {
  if (!impl_->model->ir.find_group(group))
    throw std::out_of_range("no group named '" + group + "'");
  return impl_->net->variable(group, var);
}

void Simulation::set(const std::string& group, const std::string& var, double value) {
  auto& v = variable(group, var);
  std::fill(v.begin(), v.end(), value);
}

static int synapses_of(const ir::Model& m, const std::string& name) {
  for (std::size_t k = 0; k < m.synapses.size(); ++k)
    if (m.synapses[k].name == name) return static_cast<int>(k);
  throw std::out_of_range("no synapses '" + name + "'");
}

snn::Values& Simulation::synapse_variable(const std::string& syn, const std::string& var) {
  synapses_of(impl_->model->ir, syn); // (a group of that name is not synapses)
  return impl_->net->variable(syn, var);
}

std::int64_t Simulation::synapse_count(const std::string& syn) const {
  synapses_of(impl_->model->ir, syn);
  return static_cast<std::int64_t>(impl_->net->synapse_neurons(syn, true).size());
}

std::vector<std::int32_t> Simulation::synapse_indices(const std::string& syn, bool pre) const {
  int s = synapses_of(impl_->model->ir, syn);
  const ir::Synapses& y = impl_->model->ir.synapses[static_cast<std::size_t>(s)];
  std::vector<std::int32_t> out = impl_->net->synapse_neurons(syn, pre);
  auto offset = static_cast<std::int32_t>(pre ? y.source.start : y.target.start);
  for (std::int32_t& k : out)
    k -= offset;
  return out;
}

// A spike monitor's recording, in memory.
static const snn::Recording& spikes_of(snn::Network& net, const std::string& m, bool events) {
  const snn::Recording& r = net.recording(m);
  if (r.kind != snn::MonitorKind::spikes)
    throw std::invalid_argument("monitor '" + m + "' is not a spike monitor");
  if (events && r.streamed)
    throw std::logic_error("spike monitor '" + m +
                           "' streams to its results directory: read its .npy files");
  return r;
}

const std::vector<double>& Simulation::spike_times(const std::string& m) const {
  return spikes_of(*impl_->net, m, true).t;
}
const std::vector<std::int32_t>& Simulation::spike_indices(const std::string& m) const {
  return spikes_of(*impl_->net, m, true).i;
}
std::vector<std::int64_t> Simulation::spike_counts(const std::string& m) const {
  return spikes_of(*impl_->net, m, false).count;
}
const snn::Recording& Simulation::recording(const std::string& m) {
  return impl_->net->recording(m);
}
void Simulation::reset_monitor(const std::string& m) {
  impl_->net->reset_monitor(m);
}

void run_batch(int n, int threads, const std::function<void(int)>& trial,
               const std::function<void(int, int)>& progress) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::max(1, std::min(threads, n));
  std::atomic<int> next{0}, done{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex mutex;
  auto worker = [&] {
    for (int k; !failed && (k = next++) < n;) {
      try {
        trial(k);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
        failed = true;
        return;
      }
      // Counted under the lock, so that progress sees 1, 2, ..., n in order.
      std::lock_guard<std::mutex> lock(mutex);
      int d = ++done;
      if (progress) progress(d, n);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t)
    pool.emplace_back(worker);
  worker();
  for (auto& th : pool)
    th.join();
  if (error) std::rethrow_exception(error);
}

int process_rank() {
  return snn::world().rank();
}
int process_count() {
  return snn::world().size();
}
int default_threads() {
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(1, cores / snn::processes_on_this_machine());
}

std::vector<std::string> run_batch_gathered(int n, int threads,
                                            const std::function<std::string(int)>& trial,
                                            const std::function<void(int, int)>& progress) {
  snn::Communicator& comm = snn::world();
  const int P = comm.size(), rank = comm.rank();
  n = std::max(n, 0);
  if (threads <= 0) threads = default_threads();
  // This process's trials: rank, rank + P, ...
  std::vector<int> mine;
  for (int k = rank; k < n; k += P)
    mine.push_back(k);
  std::vector<std::string> results(mine.size());
  std::exception_ptr error;
  int failed_trial = -1;
  std::string failed_message;
  try {
    run_batch(
        static_cast<int>(mine.size()), threads,
        [&](int j) {
          try {
            results[static_cast<std::size_t>(j)] = trial(mine[static_cast<std::size_t>(j)]);
          } catch (const std::exception& e) {
            // run_batch rethrows the first; remember which trial it was.
            static std::mutex m;
            std::lock_guard<std::mutex> lock(m);
            if (failed_trial < 0 || mine[static_cast<std::size_t>(j)] < failed_trial) {
              failed_trial = mine[static_cast<std::size_t>(j)];
              failed_message = e.what();
            }
            throw;
          }
        },
        [&](int done, int) {
          if (progress && rank == 0) progress(std::min(n, done * P), n);
        });
  } catch (...) {
    error = std::current_exception();
    if (failed_trial < 0) {
      failed_trial = mine.empty() ? 0 : mine.front();
      failed_message = "an exception that is not a std::exception";
    }
  }
  // Every process reaches the exchange, failed or not: no process waits for
  // one that gave up.
  std::string failure;
  if (error) failure = std::to_string(failed_trial) + ' ' + failed_message;
  std::vector<std::string> failures = comm.all_gather(failure);
  int first_rank = -1, first_trial = n;
  std::string first_message;
  for (int r = 0; r < P; ++r) {
    const std::string& f = failures[static_cast<std::size_t>(r)];
    if (f.empty()) continue;
    std::size_t space = f.find(' ');
    int k = std::stoi(f.substr(0, space));
    if (first_rank < 0 || k < first_trial) {
      first_rank = r;
      first_trial = k;
      first_message = f.substr(space + 1);
    }
  }
  if (first_rank >= 0) {
    if (first_rank == rank) std::rethrow_exception(error);
    throw BatchError(
        fmt::format("trial {} failed on process {}: {}", first_trial, first_rank, first_message));
  }
  // Each process's results, length-prefixed, then put back in trial order.
  std::string packed;
  for (const std::string& r : results) {
    std::uint64_t len = r.size();
    packed.append(reinterpret_cast<const char*>(&len), sizeof len);
    packed += r;
  }
  std::vector<std::string> all = comm.all_gather(packed);
  std::vector<std::string> out(static_cast<std::size_t>(n));
  for (int r = 0; r < P; ++r) {
    const std::string& buf = all[static_cast<std::size_t>(r)];
    std::size_t pos = 0;
    for (int k = r; k < n; k += P) {
      std::uint64_t len = 0;
      std::memcpy(&len, buf.data() + pos, sizeof len);
      pos += sizeof len;
      out[static_cast<std::size_t>(k)] = buf.substr(pos, len);
      pos += len;
    }
  }
  if (progress && rank == 0 && P > 1) progress(n, n);
  return out;
}

void Simulation::set_threads(int threads) {
  snn::RunOptions o = impl_->net->options();
  o.threads = threads;
  impl_->net->configure(o);
}

void Simulation::store(const std::string& name) {
  impl_->snapshots[name] = impl_->net->store();
}

void Simulation::restore(const std::string& name) {
  auto it = impl_->snapshots.find(name);
  if (it == impl_->snapshots.end()) throw std::out_of_range("no stored snapshot '" + name + "'");
  impl_->net->restore(*it->second);
}

void Simulation::at(double t, std::function<void(Simulation&)> fn) {
  check_time(t, impl_->model->ir.dt, "Simulation::at: the time");
  impl_->net->add_callback(driver::event_step(t, impl_->model->ir.dt), 0,
                           [this, fn = std::move(fn)] { fn(*this); });
}

void Simulation::every(double period, std::function<void(Simulation&)> fn, double from) {
  double dt = impl_->model->ir.dt;
  check_time(period, dt, "Simulation::every: the period", true);
  check_time(from, dt, "Simulation::every: 'from'");
  impl_->net->add_callback(driver::event_step(from, dt),
                           std::max<std::int64_t>(1, ir::round_steps(period, dt)),
                           [this, fn = std::move(fn)] { fn(*this); });
}

void Simulation::write_results() {
  if (impl_->dir.empty()) throw std::logic_error("this simulation has no results directory");
  if (impl_->finished) throw std::logic_error("the results of this simulation were written");
  impl_->finished = true;
  bool failed_before = impl_->net->stop_report().output;
  driver::write_manifest(*impl_->net, impl_->model->ir, impl_->seed, impl_->dir,
                         impl_->model->jit->cpu(), {});
  const snn::StopReport& stop = impl_->net->stop_report();
  if (stop.output && !failed_before)
    throw OutputError("the results could not be written: " + stop.message +
                      " (the manifest says so)");
}

} // namespace snnc
