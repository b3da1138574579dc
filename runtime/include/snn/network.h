// The runtime: a network of neuron groups and synapses whose behaviour is
// given by compiled kernels (abi.h), stepped on an integer clock in Brian2's
// schedule order, with monitors that write numpy arrays. It knows nothing of
// the compiler: a NetworkSpec (spec.h) is all it is given.
//
// Network is the clock and the step loop (network/network.cpp); the work is
// done by its parts, each in a folder of runtime/ (docs/architecture.md):
// groups, synapses (spike queues, delivery), monitors, parallel (threads,
// whole steps), snapshot (store/restore, checkpoints), and network/ (the
// schedule's orders and events, timed arrays).
#pragma once

#include "snn/errors.h"
#include "snn/recording.h"
#include "snn/spec.h"
#include "snn/values.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace snn {

// How a network runs. None of it changes the results: the same bits.
struct RunOptions {
  // Threads for the kernels of large groups (state updates, thresholds,
  // subexpressions; each thread a contiguous part of the group) and for
  // synaptic propagation (split by the neurons it writes); 1: the calling
  // thread only. Used where whole steps measure faster (parallel/tuner.h).
  int threads = 1;
  bool always_split = false; // split whether or not that is faster (for tests)
  // On one thread, deliver many sources' synapses onto a large target group
  // tile by tile of targets.
  bool tiling = true;
  // Every `nan_check_every` steps (0: never), every state variable is
  // checked for NaN and infinity; the first found stops the run.
  int64_t nan_check_every = 0;
  // Checked once per step; raise it (e.g. from a SIGINT handler) to stop.
  const std::atomic<bool>* stop = nullptr;
};

// Why run_steps returned false: the stop flag was raised (the step in
// progress was completed), a state variable was NaN or infinite, or a
// monitor could not write its results (the step in progress was completed;
// with whole steps on threads, the block of at most 64 steps).
struct StopReport {
  bool stopped = false;
  bool nan = false; // the variable `variable` of neuron `index` of `group`, at time t
  std::string group, variable;
  int64_t index = 0;
  double t = 0;
  bool output = false; // a write failed: `message` says which and why
  std::string message;
};

struct Counters {
  int64_t spikes = 0;           // every group's, since t = 0 (restored with the state)
  int64_t tiled_deliveries = 0; // deliveries made tile by tile (for tests)
  int64_t parallel_steps = 0;   // steps that ran whole on the threads (for tests)
  // Synaptic events: synapses whose on_pre/on_post code ran for a spike,
  // since t = 0 (restored with the state, as `spikes`); a spread network's:
  // this process's.
  int64_t synaptic_events = 0;
};

// A copy of a network's state (Network::store); opaque.
struct Snapshot;
class Communicator;

class Network {
public:
  // Monitors stream their data into `results_dir`, which must exist; with an
  // empty `results_dir` nothing is written and state monitors record nothing.
  Network(NetworkSpec spec, std::string results_dir);
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // The clock.
  int64_t step() const { return step_; }
  double t() const { return static_cast<double>(step_) * spec_.dt; }
  double dt() const { return spec_.dt; }
  // Moves the clock to `step` without running, for a network that continues
  // a simulation run elsewhere (the Brian2 device, when the network's
  // structure changed between runs). Spikes in flight are not carried over.
  void set_step(int64_t step) { step_ = step; }

  void configure(const RunOptions& options);
  const RunOptions& options() const { return options_; }
  // Advances the clock by `steps` steps; continues exactly where it stopped.
  // Returns false if it stopped early (see stop_report()).
  bool run_steps(int64_t steps);
  const StopReport& stop_report() const { return stop_; }
  Counters counters() const;

  // Applies a statement kernel now (init, statements between runs).
  void apply(const StatementSpec& s);
  // Calls `fn` at the start of step `first_step`, then every `period_steps`
  // steps (0: once), after the model's own events.
  void add_callback(int64_t first_step, int64_t period_steps, std::function<void()> fn);

  // Creates synapses: for each presynaptic neuron of the source subgroup,
  // `connect` lists postsynaptic indices (relative to the target subgroup);
  // by_target: for each postsynaptic neuron in turn, it lists presynaptic
  // ones (Brian2's connect(i='...'), the kernel seeing the synapses turned
  // around: its pre is the target, its post the source).
  void connect(int synapses, const Kernel& connect, bool by_target = false);
  // Creates synapses from explicit (pre, post) pairs, relative to the subgroups.
  void add_synapses(int synapses, const std::vector<int32_t>& pre,
                    const std::vector<int32_t>& post);
  // Brian2's multisynaptic_index: sets the synapse variable `var` of each
  // synapse to its number among the synapses of its (pre, post) pair, in
  // the order they were made (0 for the first). Call after connecting.
  void number_pairs(const std::string& synapses, const std::string& var);
  // Builds the synapses' spike queues (each source's synapses, delays in
  // steps) and the threads' parts of them, which the first step does
  // otherwise. Setup calls it once the synapses exist, as Brian2 prepares
  // its queues before a run, outside the run's timing. Steps build the
  // queues again if connectivity or delays change later.
  void prepare();

  // A state variable of a group (one value per neuron) or of a synapses
  // object (one per synapse), by the object's name; std::out_of_range if
  // there is none. A group's variable the step does not store is computed
  // as it was at the end of the last step. Handing out a per-synapse delay
  // marks the spike queues for building again (before the next step), with
  // the delays as they are then.
  Values& variable(const std::string& object, const std::string& var);
  // The presynaptic (`pre`) or postsynaptic neuron of each synapse of a
  // synapses object, as an index in its group.
  const std::vector<int32_t>& synapse_neurons(const std::string& synapses, bool pre) const;

  // What a monitor holds in memory (std::out_of_range if there is none):
  // everything it recorded without a results directory; with one, what it
  // does not stream (a spike monitor's counts, a rate monitor's bins).
  const Recording& recording(const std::string& monitor);
  // Forgets what a monitor holds in memory so far (e.g. between trials).
  void reset_monitor(const std::string& monitor);
  // A monitor that is not active records nothing; every monitor is active
  // at first (the driver starts a monitor declared after a run when the
  // schedule reaches it).
  void set_monitor_active(const std::string& monitor, bool active);
  // Spreads the network over the processes of `comm` (distributed/spread.h):
  // each process updates its block of every group and keeps only the
  // synapses onto it (call before connecting: each is kept or not as it is
  // made, with its number among all). Every process must make the same
  // calls, in the same order; the results are those of one process. Only
  // process 0 should be given a results directory.
  void spread_over(Communicator& comm);
  bool spread() const;
  // Seconds spent exchanging spikes (spread over processes), and the steps
  // between exchanges in the last run (its least on_pre delay; 0: not spread).
  double exchange_seconds() const;
  int64_t exchange_interval() const;

  // Completes every monitor's files; returns what was written. A write that
  // failed (OutputError) is in stop_report() then.
  std::vector<OutputFile> finish();

  // A copy of the state (snapshot/snapshot.h): the clock, every state
  // variable, the synapses and their spikes in flight, spike generators'
  // positions, and so the random numbers that follow. Monitors keep what
  // they recorded (reset them with reset_monitor).
  std::shared_ptr<const Snapshot> store();
  // Puts the network back to a snapshot of this network.
  void restore(const Snapshot& s);
  // Checkpoints: the state now and the `stored` snapshots, then the
  // monitors' positions (their streamed files are flushed first).
  void write_checkpoint(std::ostream& os, const std::vector<const Snapshot*>& stored);
  // Restores what write_checkpoint wrote into a network of the same spec,
  // returns its `stored` snapshots, and continues the monitors: each
  // streamed file is copied from `previous_dir` up to its position, and
  // further records are appended. CheckpointError if it does not fit.
  std::vector<std::shared_ptr<const Snapshot>> read_checkpoint(std::istream& is, std::size_t stored,
                                                               const std::string& previous_dir);

private:
  void one_step();
  void record_state_at(RecordAt when, int64_t now);
  bool check_finite();
  bool output_failed(); // reports the monitors' failed write; false
  // Spread: whether the last exchange's flags stop the run (a failed write;
  // with `stop_requests`, a stop), filling stop_.
  bool agreed_stop(bool stop_requests);
  void ensure_spread(); // takes this process's part, once spread_over was called
  Communicator* comm_ = nullptr;
  int64_t nan_every_ = 0; // this run's NaN check interval
  struct Parts;
  NetworkSpec spec_;
  std::string dir_;
  RunOptions options_;
  int64_t step_ = 0;
  int64_t spikes_ = 0;
  int64_t events_before_ = 0; // synaptic events: Counters's, less delivered()
  int64_t delivered() const;  // synaptic events delivered by this network's parts
  StopReport stop_;
  std::unique_ptr<Parts> parts_;
};

} // namespace snn
