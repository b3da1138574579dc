// The runtime: a network of groups whose behaviour is given by compiled
// kernels (abi.h), stepped on an integer clock in Brian2's schedule order,
// with monitors that write numpy arrays. It knows nothing of the compiler:
// a NetworkSpec (plain data and kernel pointers) is all it is given.
#pragma once

#include "snn/abi.h"
#include "snn/values.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace snn {

// An error of the model found while it runs (e.g. a timed array indexed
// outside its columns); the results of the run are not valid.
struct ModelError : std::runtime_error {
  ModelError(const std::string& what, std::string object_name)
      : std::runtime_error(what), object(std::move(object_name)) {}
  std::string object; // the model object at fault (e.g. the timed array)
};

// A checkpoint that cannot be read into this network (damaged, truncated,
// or of another network).
struct CheckpointError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The neurons by whose parts an on_pre/on_post kernel may be split over
// threads, each thread taking the synapses onto (or from) its part.
enum class SplitBy : int8_t { none, pre, post };

// One thread's part of an on_pre/on_post kernel (snn_kernel_args::part_*).
struct KernelPart {
  const int32_t* index = nullptr;
  int64_t lo = 0, hi = 0;
};

struct Kernel {
  snn_kernel_fn fn = nullptr;
  uint64_t stream = 0; // random stream of this kernel
  std::string name;    // for diagnostics and exported code
  SplitBy split = SplitBy::none;
  bool reads_pre = true; // synapse kernels: whether it may read presynaptic neurons' variables
  explicit operator bool() const { return fn != nullptr; }
};

struct GroupSpec {
  std::string name;
  int64_t size = 0;
  std::vector<std::string> variables; // state arrays, by slot
  Kernel update, threshold, reset;    // each may be empty
  Kernel observe; // computes monitored subexpressions into their arrays before recording
  Kernel hold;    // computes subexpressions 'constant over dt' at the start of each step
  Kernel step;    // update, then threshold, element by element (optional; same results)
  // Variables the step does not store (slots), and the kernel that computes
  // them as they were at the end of the last step: run (with that step's t)
  // when variable() hands them out after steps.
  std::vector<int> derived_slots;
  Kernel derived;
  // Spike generators: spikes (step, index) sorted by step; repeated every
  // `period_steps` steps if that is > 0.
  std::vector<int64_t> gen_steps;
  std::vector<int32_t> gen_indices;
  int64_t gen_period_steps = 0;
};

// A compiled set of statements applied to every element of one group, or
// to every synapse of one synapses object.
struct StatementSpec {
  int group = -1;
  Kernel kernel;
  int synapses = -1;
};

// Runs its statements at first_step, then every period_steps (0: once),
// up to and including last_step (< 0: no end).
struct EventSpec {
  int64_t first_step = 0;
  int64_t period_steps = 0;
  int64_t last_step = -1;
  std::vector<StatementSpec> statements;
};

// Synapses between (parts of) two groups. Connectivity is added after
// construction (Network::connect / add_synapses); indices are in Brian2's
// order of creation (by presynaptic, then postsynaptic neuron).
struct PathwaySpec {
  Kernel kernel;       // on_pre or on_post, over the selected synapses
  double delay = 0;    // seconds, for all synapses (if no delay variable)
  int delay_slot = -1; // or a synaptic variable holding each synapse's delay
};

struct SynapseSpec {
  std::string name;
  int pre = -1, post = -1;               // group indices
  int64_t pre_start = 0, pre_stop = 0;   // the source subgroup
  int64_t post_start = 0, post_stop = 0; // the target subgroup
  std::vector<std::string> variables;    // synaptic state arrays, by slot
  Kernel update;                         // clock-driven equations, every step
  Kernel observe;                        // monitored subexpressions, before recording
  Kernel hold;                           // subexpressions 'constant over dt', each step
  Kernel summed;                         // summed variables, every step
  std::vector<int> summed_targets;       // the postsynaptic slots it sums into
  bool has_pre = false, has_post = false;
  PathwaySpec on_pre, on_post;
};

enum class MonitorKind { spikes, state, rate };

struct MonitorSpec {
  MonitorKind kind = MonitorKind::spikes;
  std::string name;
  int group = -1;                     // the recorded group, or
  int synapses = -1;                  // state: the recorded synapses object
  int64_t start = 0, stop = 0;        // the recorded part of the group [start, stop)
  bool counts_only = false;           // spikes
  std::vector<int> slots;             // state: recorded variables
  std::vector<std::string> var_names; // state: their names
  std::vector<int64_t> record;        // state: indices relative to start (all if empty)
  int64_t every_steps = 1;            // state: sampling interval
  bool float32 = false;               // state
  int64_t bin_steps = 1;              // rate
};

struct TimedSpec {
  std::string name;
  std::vector<double> values;
  int64_t rows = 0, cols = 0;
  double dt = 0;
};

struct NetworkSpec {
  double dt = 1e-4;
  uint64_t seed = 0;
  std::vector<GroupSpec> groups;
  std::vector<TimedSpec> timed;
  std::vector<MonitorSpec> monitors;
  std::vector<EventSpec> events;
  std::vector<SynapseSpec> synapses;
  // Brian2 orders the objects of one schedule slot by name (core/network.py);
  // these give that order (empty: declaration order). update_order mixes
  // groups {0, g} and synapses' clock-driven updates {1, s}.
  std::vector<std::pair<int, int>> update_order;
  std::vector<int> group_order;   // thresholds and resets
  std::vector<int> synapse_order; // summed variables and pathways
};

// One file a monitor wrote, for the manifest.
struct OutputFile {
  std::string monitor;
  std::string field; // "t", "i", "count", "rate", or a variable name
  std::string file;  // relative to the results directory
  std::string dtype;
  std::vector<int64_t> shape;
};

class Monitor;
class Pool;

class Network {
public:
  // Monitors stream their data into `results_dir`, which must exist; with an
  // empty `results_dir` nothing is written and state monitors record nothing.
  Network(NetworkSpec spec, std::string results_dir);
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  int64_t step() const { return step_; }
  double t() const { return static_cast<double>(step_) * spec_.dt; }
  double dt() const { return spec_.dt; }

  // Advances the clock by `steps` steps; continues exactly where it stopped.
  // Returns false if it stopped early: the stop flag was raised (the step in
  // progress is completed) or a state variable became NaN or infinite.
  bool run_steps(int64_t steps);

  // Threads for the kernels of large groups (state updates, thresholds,
  // subexpressions), each thread taking a contiguous part of the group, and
  // for synaptic propagation, split by the neurons it writes; 1 (the
  // default): the calling thread only. Used where whole steps measure faster
  // (see Tune). The results are the same bits whatever the count.
  // `always`: split whether or not that is faster (for tests).
  void set_threads(int threads, bool always = false);
  // On one thread, deliver many sources' synapses onto a large target group
  // tile by tile of targets (on by default; the results are the same bits).
  void set_tiling(bool on) { tiling_ = on; }
  // Deliveries made tile by tile so far (for tests).
  int64_t tiled_deliveries() const { return tiled_deliveries_; }
  // How many steps ran whole on the pool's threads (parallel_steps).
  int64_t parallel_steps_run() const { return parallel_steps_run_; }

  // Checked once per step; raise it (e.g. from a SIGINT handler) to stop.
  void set_stop_flag(const std::atomic<bool>* flag) { stop_ = flag; }
  // Every `every` steps (0: never), every state variable is checked for NaN
  // and infinity; the first found stops the run and is reported here.
  void set_nan_check(int64_t every) { nan_every_ = every; }
  struct NanReport {
    bool found = false;
    std::string group, variable;
    int64_t index = 0;
    double t = 0;
  };
  const NanReport& nan_report() const { return nan_; }
  bool interrupted() const { return interrupted_; }
  // Applies a statement kernel now (statements between runs).
  void apply(const StatementSpec& s);

  int group_index(const std::string& name) const;
  Values& variable(int group, const std::string& var);
  Values& variable(const std::string& group, const std::string& var) {
    return variable(group_index(group), var);
  }
  int64_t total_spikes() const { return total_spikes_; }

  // Recorded spikes of a spike monitor (times in seconds, indices relative
  // to the recorded part of the group), or its per-neuron counts.
  const std::vector<double>& spike_times(const std::string& monitor) const;
  const std::vector<int32_t>& spike_indices(const std::string& monitor) const;
  std::vector<int64_t> spike_counts(const std::string& monitor) const;
  // Forgets what a spike or rate monitor recorded so far (e.g. between trials).
  void reset_monitor(const std::string& monitor);

  // Calls `fn` at the start of step `first_step`, then every `period_steps`
  // steps (0: once), after the model's own events.
  void add_callback(int64_t first_step, int64_t period_steps, std::function<void()> fn);

  // Creates synapses: for each presynaptic neuron of the source subgroup,
  // `connect` lists postsynaptic indices (relative to the target subgroup).
  void connect(int synapses, const Kernel& connect);
  // Creates synapses from explicit (pre, post) pairs, relative to the subgroups.
  void add_synapses(int synapses, const std::vector<int32_t>& pre,
                    const std::vector<int32_t>& post);
  // Applies a kernel to every synapse (init, delays); call after connecting.
  // A kernel that writes delays goes before prepare() (or the first step).
  void apply_synapses(int synapses, const Kernel& k);
  int64_t synapse_count(int synapses) const;
  // A synaptic variable; handing out a per-synapse delay marks the spike
  // queues for building again (before the next step), with the delays as
  // they are then.
  Values& synapse_variable(int synapses, const std::string& var);
  const std::vector<int32_t>& synapse_pre(int synapses) const;
  const std::vector<int32_t>& synapse_post(int synapses) const;

  // Builds the synapses' spike queues (each source's synapses, delays in
  // steps) and the threads' parts of them, which the first step does
  // otherwise. Setup calls it once the synapses exist, as Brian2 prepares
  // its queues before a run, outside the run's timing. Steps build the
  // queues again if connectivity or delays change later.
  void prepare();

  // Completes every monitor's files; returns what was written.
  std::vector<OutputFile> finish();

  // A copy of the simulation's state: the clock, every state variable, the
  // synapses and their spike queues (spikes in flight), spike generators'
  // positions. Random numbers are counter-based (seed, stream, step), so the
  // clock restores them too. Monitors are not part of it: they keep what
  // they recorded (reset them with reset_monitor).
  struct Snapshot;
  std::shared_ptr<const Snapshot> store() const;
  // Puts the network back to a snapshot of this network.
  void restore(const Snapshot& s);

  // Checkpoints on disk are made of these. A snapshot in a binary stream;
  // reading it back checks that its shapes fit this network.
  void write_snapshot(std::ostream& os, const Snapshot& s) const;
  std::shared_ptr<const Snapshot> read_snapshot(std::istream& is) const;
  // The monitors' positions: how much each has written to its files (they
  // are flushed first, so the files hold it) and what it keeps in memory
  // (spike counts, rate bins, unstreamed records).
  void write_monitors(std::ostream& os);
  // Continues the monitors from positions written by write_monitors: each
  // streamed file is copied from `previous_dir` up to its position, and
  // further records are appended. CheckpointError if a file is too short.
  void read_monitors(std::istream& is, const std::string& previous_dir);

private:
  struct GroupState;
  struct SynapseState;
  struct Queue;
  void prepare_synapses();
  void propagate(SynapseState& s, bool pre);
  // The due synapses of a pathway through its kernel, on the pool's threads
  // if it can be split and that is faster.
  void deliver(const Kernel& kernel, SynapseState& s, const std::vector<int32_t>& due, Queue& q,
               bool pre);
  struct RunSplit;
  // Fills `split` (q.split or q.tiles) for `parts` parts of
  // target[start, start + n) if every source's synapses are in target order;
  // whether they are.
  bool split_runs(RunSplit& split, const Queue& q, const std::vector<int32_t>& target,
                  int64_t start, int64_t n, int parts);
  // How many tiles of targets one thread delivers the due runs in (1: as
  // they come).
  int target_tiles(const Kernel& kernel, const SynapseSpec& y, const std::vector<int32_t>& due,
                   const Queue& q, bool pre) const;
  // `selected` null: the synapses selected_first, selected_first + 1, ...
  int64_t call_synapses(const Kernel& k, SynapseState& s, const int32_t* selected,
                        int64_t nselected, int64_t selected_first = 0, const KernelPart& part = {});
  snn_kernel_args synapse_args(const Kernel& k, SynapseState& s);
  // Runs a kernel over group `g` (its elements [first, last); last < 0: all);
  // returns the kernel's spike count.
  int64_t call(const Kernel& k, GroupState& g, int32_t* spikes, int64_t nspikes, int64_t first = 0,
               int64_t last = -1);
  int64_t call_at(int64_t step, const Kernel& k, GroupState& g, int32_t* spikes, int64_t nspikes,
                  int64_t first, int64_t last);
  // A kernel over every element of `g`, split over the pool's threads in a
  // step that is (see Tune).
  void call_all(const Kernel& k, GroupState& g);
  // The group's threshold: its spikes, in index order, in g.spikes; their count.
  int64_t threshold(GroupState& g);
  // The group's update, then its threshold (a fused group); over elements
  // [first, last): its step kernel, or the two kernels.
  int64_t update_and_threshold(GroupState& g);
  int64_t update_and_threshold(GroupState& g, int64_t first, int64_t last);
  // The threshold over `parts` parts on the pool, each part updated first if
  // `update_first`; packs the spikes in order.
  int64_t parallel_threshold(GroupState& g, int parts, bool update_first);
  // Whole steps on the pool's threads, one barrier per step (see
  // parallel_steps in network.cpp): whether this network can run so, and
  // running `count` steps from step_ on (step_ is left at the last of them).
  bool parallel_steps_possible();
  void parallel_steps(int64_t count);
  struct Parallel;
  std::unique_ptr<Parallel> parallel_;
  // Parts of a group of n elements when split (one per thread, each of at
  // least kMinChunk elements); chunks: that in a step that is split, else 1.
  int parts_of(int64_t n) const;
  int chunks(int64_t n) const;
  std::pair<int64_t, int64_t> chunk(int64_t n, int chunks, int c) const;
  std::unique_ptr<Pool> pool_;
  struct Tune;
  std::unique_ptr<Tune> tune_; // whether steps are faster split (a pool, not `always`)
  bool always_split_ = false;
  bool split_ = false; // this step's kernels go to the pool
  bool tiling_ = true;
  int64_t tiled_deliveries_ = 0;
  int64_t parallel_steps_run_ = 0;
  std::vector<int64_t> chunk_counts_;
  void run_events();
  void emit_generated_spikes(GroupState& g);

  NetworkSpec spec_;
  std::string dir_;
  int64_t step_ = 0;
  int64_t total_spikes_ = 0;
  std::vector<std::unique_ptr<GroupState>> groups_;
  std::vector<snn_timed_array> timed_;
  std::vector<std::unique_ptr<Monitor>> monitors_;
  std::vector<std::unique_ptr<SynapseState>> synapses_;
  std::vector<std::pair<int, int>> update_order_;
  std::vector<int> group_order_, synapse_order_;
  bool synapses_prepared_ = false;
  struct Callback {
    int64_t first_step, period_steps;
    std::function<void()> fn;
  };
  std::vector<Callback> callbacks_;
  const std::atomic<bool>* stop_ = nullptr;
  int64_t nan_every_ = 0;
  NanReport nan_;
  bool interrupted_ = false;
  bool check_finite();
  std::vector<int64_t> timed_bad_col_; // one per timed array; INT64_MIN: none
  void check_timed_columns() const;    // throws ModelError
  Monitor& monitor(const std::string& name) const;
};

} // namespace snn
