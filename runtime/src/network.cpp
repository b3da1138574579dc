// The network's time step, in Brian2's schedule order:
//   events (at/every) -> state monitors (values at the start of the step)
//   -> state updates -> thresholds (spike and rate monitors record)
//   -> synaptic propagation (to come) -> resets.
#include "snn/network.h"

#include "binio.h"
#include "npy.h"
#include "pool.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace snn {

// Whether the network's steps are faster with its kernels split over the
// pool's threads or on one: steps alternate in blocks, one way then the
// other, and only the second half of a block is timed (the first moves the
// data between the cores' caches and wakes the threads, which a choice kept
// pays only once); the way with the lower mean step time in its better block
// is kept, if it is split only when that is at least 10 % faster. Whole
// steps are timed, since a kernel split or not changes where the next kernel
// finds its data. Blocks start at 16 steps; when the timed half of one took
// less than half of kTimedSeconds, the switch between the ways would weigh
// on it, so the choice is measured again at once with blocks whose timed
// half takes about kTimedSeconds. It is measured again
// after 4096 steps, then 4 times as many each time (the activity of the
// network, or the machine's load, may change). Either way gives the same
// results.
struct Network::Tune {
  static constexpr int64_t kMinBlock = 16, kMaxBlock = 2048, kBlocks = 4;
  static constexpr double kTimedSeconds = 100e-6; // timed per block, about
  int64_t steps = 0, start = 0, again = 4096; // measuring from step `start` on
  int64_t block = kMinBlock;
  bool choice = false;          // split (once measured)
  double timed = 0;             // seconds of the timed steps of the current block
  std::vector<double> means[2]; // each timed block's mean step time, by way
  bool measuring() const { return steps >= start && steps - start < block * kBlocks; }
  int64_t warm() const { return block / 2; }
  // How many steps from now on are alike: until measuring starts again, or
  // while measuring, to the end of the block's untimed steps or of the block
  // (for whole steps in one job, timed together).
  int64_t alike() const {
    if (!measuring()) return start - steps;
    int64_t at = (steps - start) % block;
    return at < warm() ? warm() - at : block - at;
  }
  bool split() const { return measuring() ? (steps - start) / block % 2 == 1 : choice; }
  // Ends a step, which took `s` seconds if measuring().
  void end_step(double s) {
    int64_t at = (steps - start) % block;
    if (measuring() && at >= warm()) {
      timed += s;
      if (at == block - 1) {
        means[split()].push_back(timed / static_cast<double>(block - warm()));
        timed = 0;
      }
    }
    if (++steps - start != block * kBlocks) return;
    double one = *std::min_element(means[0].begin(), means[0].end());
    double two = *std::min_element(means[1].begin(), means[1].end());
    choice = two < 0.9 * one;
    means[0].clear();
    means[1].clear();
    double faster = std::min(one, two);
    auto enough =
        faster > 0 ? static_cast<int64_t>(std::ceil(kTimedSeconds / faster)) * 2 : kMaxBlock;
    if (enough > 2 * block && block < kMaxBlock) {
      block = std::min(enough, kMaxBlock);
      start = steps;
      return;
    }
    start = steps + again;
    again *= 4;
  }
};

// Groups are split in parts of at least kMinChunk elements, one per thread.
constexpr int64_t kMinChunk = 1024;
// Whole steps on the pool's threads go in jobs of at most this many steps.
constexpr int64_t kParallelBlock = 64;

struct Network::GroupState {
  const GroupSpec* spec;
  std::vector<Values> vars;
  std::vector<double*> var_ptrs;
  Indices spikes; // this step's spikes
  int64_t nspikes = 0;
  std::size_t gen_next = 0; // next generator spike
  int64_t gen_offset = 0;   // steps added by periodic repetition
  // The threshold runs right after the update, each thread on its own part:
  // nothing scheduled between them reads what the threshold writes.
  bool fused = false;
  int64_t derived_at = -1; // the step_ at which the derived variables were last computed
};

// Runs split by target into `parts` parts: per source neuron b,
// at[b * (parts + 1) + c] is the first of its synapses onto part c (its
// synapses are in target order); empty if they are not.
struct Network::RunSplit {
  int parts = 0;
  std::vector<int32_t> at;
};

// Whole steps split over the pool's threads (Network::parallel_steps): each
// step's spikes, by part, in one of two buffers (steps alternate between
// them, so that a thread may write a step's spikes while another still
// reads the previous step's), the spikes of the last step packed in order.
struct Network::Parallel {
  int parts = 0;
  Indices spikes[2];
  std::vector<int64_t, CacheLineAllocator<int64_t>> counts[2];
  Indices packed;
};
// Parts' spike counts are kPad apart: each on a cache line of its own.
constexpr int kPad = 8;

// A spike queue (Brian2's cspikequeue): a ring of buckets of synapse
// indices, one per step of delay. Pushing a source neuron's spike appends
// each of its synapses to the bucket of its delay, in synapse order.
//
// With one delay for all synapses and the synapses of each source numbered
// consecutively (`runs`, the usual case: Brian2 numbers synapses by source),
// a bucket holds runs instead, as pairs (first synapse, count), adjacent runs
// merged: a spike costs one pair, and the kernel gets ranges.
struct Network::Queue {
  std::vector<std::vector<int32_t>> buckets;
  bool runs = false;
  std::size_t offset = 0;
  std::vector<int64_t> delay;     // per synapse, in steps (if heterogeneous)
  int64_t common_delay = 0;       // otherwise
  std::vector<int64_t> by_source; // CSR offsets over source neurons
  std::vector<int32_t> synapses;  // synapse indices, grouped by source neuron
  RunSplit split, tiles;          // for the threads' parts, and for one thread's cache tiles
};

struct Network::SynapseState {
  const SynapseSpec* spec;
  std::vector<Values> vars;
  std::vector<double*> var_ptrs;
  std::vector<int32_t> pre, post; // absolute neuron indices in the groups
  Queue q_pre, q_post;
};

// ---- monitors ----------------------------------------------------------------

class Monitor {
public:
  explicit Monitor(const MonitorSpec& s) : spec_(s) {}
  virtual ~Monitor() = default;
  // `size`: the number of elements of the recorded object now.
  virtual void start_of_step(int64_t, double, const std::vector<double*>&, int64_t) {}
  // `vars`: the recorded group's state arrays, as they are at the spikes.
  virtual void spikes(int64_t, double, const int32_t*, int64_t, const std::vector<double*>&) {}
  virtual std::vector<OutputFile> finish(const std::string& dir) = 0;
  virtual void reset() {}
  // Checkpoints: the monitor's position and what it holds in memory; load
  // continues the streamed files of `previous_dir` (see Network::read_monitors).
  virtual void save(BinWriter& w) = 0;
  virtual void load(BinReader& r, const std::string& previous_dir) = 0;
  const MonitorSpec& spec() const { return spec_; }

protected:
  OutputFile file(const std::string& field, const std::string& dtype,
                  std::vector<int64_t> shape) const {
    return {spec_.name, field, file_name(field), dtype, std::move(shape)};
  }
  // `<monitor>_<field>.npy`, in `dir`.
  std::string file_name(const std::string& field) const {
    return spec_.name + "_" + field + ".npy";
  }
  std::string path(const std::string& dir, const std::string& field) const {
    return dir + "/" + file_name(field);
  }
  MonitorSpec spec_;
};

namespace {

// Spikes as (t, i) and the recorded variables' values. With a results
// directory they stream to disk in blocks, so memory does not grow with the
// number of spikes; without one (the C++ API) they stay in memory. Counts
// per neuron are always kept.
class SpikeMonitor : public Monitor {
public:
  SpikeMonitor(const MonitorSpec& s, std::string dir) : Monitor(s), dir_(std::move(dir)) {
    counts_.assign(static_cast<std::size_t>(spec_.stop - spec_.start), 0);
    values_.resize(spec_.slots.size());
  }
  const std::vector<double>& times() const {
    in_memory();
    return t_;
  }
  const std::vector<int32_t>& indices() const {
    in_memory();
    return i_;
  }
  std::vector<int64_t> counts() const { return counts_; }
  void reset() override {
    t_.clear();
    i_.clear();
    std::fill(counts_.begin(), counts_.end(), 0);
    for (auto& v : values_)
      v.clear();
  }
  void save(BinWriter& w) override {
    if (!dir_.empty() && !spec_.counts_only) {
      flush();
      t_stream_->flush();
      i_stream_->flush();
      for (auto& v : v_streams_)
        v->flush();
    }
    w.vec(counts_);
    w.vec(t_);
    w.vec(i_);
    w.u64(values_.size());
    for (const auto& v : values_)
      w.vec(v);
    w.i64(t_stream_ ? t_stream_->rows() : -1);
  }
  void load(BinReader& r, const std::string& previous_dir) override {
    counts_ = r.vec<int64_t>();
    r.expect(counts_.size(), static_cast<uint64_t>(spec_.stop - spec_.start),
             "the number of neurons spike monitor '" + spec_.name + "' records");
    t_ = r.vec<double>();
    i_ = r.vec<int32_t>();
    r.expect(r.u64(), values_.size(), "the number of variables of monitor '" + spec_.name + "'");
    for (auto& v : values_)
      v = r.vec<double>();
    int64_t rows = r.i64();
    if (rows >= 0 && !dir_.empty()) open_streams(&previous_dir, rows);
  }
  void spikes(int64_t step, double dt, const int32_t* idx, int64_t n,
              const std::vector<double*>& vars) override {
    for (int64_t k = 0; k < n; ++k) {
      int32_t i = idx[k];
      if (i < spec_.start || i >= spec_.stop) continue;
      ++counts_[static_cast<std::size_t>(i - spec_.start)];
      if (spec_.counts_only) continue;
      for (std::size_t v = 0; v < spec_.slots.size(); ++v)
        values_[v].push_back(vars[static_cast<std::size_t>(spec_.slots[v])][i]);
      t_.push_back(static_cast<double>(step) * dt);
      i_.push_back(static_cast<int32_t>(i - spec_.start));
    }
    if (!dir_.empty() && t_.size() >= kBlock) flush();
  }
  std::vector<OutputFile> finish(const std::string& dir) override {
    std::vector<OutputFile> out;
    if (spec_.counts_only) {
      out.push_back(file("count", "int64", {static_cast<int64_t>(counts_.size())}));
      write_npy(dir + "/" + out.back().file, "<i8", out.back().shape, counts_.data(),
                counts_.size() * sizeof(int64_t));
      return out;
    }
    flush();
    out.push_back(file("t", "float64", t_stream_->close()));
    out.push_back(file("i", "int32", i_stream_->close()));
    for (std::size_t v = 0; v < values_.size(); ++v)
      out.push_back(file(spec_.var_names[v], "float64", v_streams_[v]->close()));
    return out;
  }

private:
  static constexpr std::size_t kBlock = 1 << 16; // spikes buffered before a write

  void in_memory() const {
    if (!dir_.empty())
      throw std::logic_error("spike monitor '" + spec_.name +
                             "' streams to its results directory: read its .npy files");
  }
  // Opens the streamed files, continuing those of `previous_dir` if given.
  void open_streams(const std::string* previous_dir, int64_t rows) {
    std::string dir = dir_.empty() ? std::string(".") : dir_;
    auto stream = [&](const std::string& field, const char* descr) {
      if (!previous_dir)
        return std::make_unique<NpyStream>(path(dir, field), descr, std::vector<int64_t>{});
      return std::make_unique<NpyStream>(path(dir, field), descr, std::vector<int64_t>{},
                                         path(*previous_dir, field), rows);
    };
    t_stream_ = stream("t", "<f8");
    i_stream_ = stream("i", "<i4");
    v_streams_.clear();
    for (const std::string& v : spec_.var_names)
      v_streams_.push_back(stream(v, "<f8"));
  }
  void flush() {
    if (!t_stream_) open_streams(nullptr, 0);
    auto n = static_cast<int64_t>(t_.size());
    t_stream_->append(t_.data(), t_.size() * sizeof(double), n);
    i_stream_->append(i_.data(), i_.size() * sizeof(int32_t), n);
    for (std::size_t v = 0; v < values_.size(); ++v) {
      v_streams_[v]->append(values_[v].data(), values_[v].size() * sizeof(double), n);
      values_[v].clear();
    }
    t_.clear();
    i_.clear();
  }

  std::string dir_;
  std::vector<double> t_;
  std::vector<int32_t> i_;
  std::vector<int64_t> counts_;
  std::vector<std::vector<double>> values_; // per recorded variable, per spike
  std::unique_ptr<NpyStream> t_stream_, i_stream_;
  std::vector<std::unique_ptr<NpyStream>> v_streams_;
};

// Streams (samples, neurons) arrays to disk: memory does not grow with time.
class StateMonitor : public Monitor {
public:
  StateMonitor(const MonitorSpec& s, const std::string& dir) : Monitor(s), dir_(dir) {
    t_ = std::make_unique<NpyStream>(path(dir, "t"), "<f8", std::vector<int64_t>{});
  }
  // The streams open at the first sample: a synapses object's size is known
  // only once it is connected.
  void save(BinWriter& w) override {
    t_->flush();
    for (auto& st : streams_)
      st->flush();
    w.u64(opened_);
    w.vec(spec_.record);
    w.i64(t_->rows());
  }
  void load(BinReader& r, const std::string& previous_dir) override {
    bool opened = r.u64() != 0;
    auto record = r.vec<int64_t>();
    int64_t rows = r.i64();
    t_ = std::make_unique<NpyStream>(path(dir_, "t"), "<f8", std::vector<int64_t>{},
                                     path(previous_dir, "t"), rows);
    if (!opened) return;
    spec_.record = std::move(record);
    open(0, &previous_dir, rows);
  }
  // `previous_dir`: continue its files (the record list is the checkpoint's).
  void open(int64_t size, const std::string* previous_dir = nullptr, int64_t rows = 0) {
    int64_t n = spec_.group >= 0 ? spec_.stop - spec_.start : size;
    if (spec_.record.empty() && !previous_dir)
      for (int64_t k = 0; k < n; ++k)
        spec_.record.push_back(k);
    for (int64_t r : spec_.record)
      if (!previous_dir && r >= n)
        throw std::out_of_range("monitor '" + spec_.name + "' records index " + std::to_string(r) +
                                ", beyond the " + std::to_string(size) + " elements recorded");
    auto width = static_cast<int64_t>(spec_.record.size());
    streams_.clear();
    const char* descr = spec_.float32 ? "<f4" : "<f8";
    for (const std::string& v : spec_.var_names)
      streams_.push_back(
          previous_dir
              ? std::make_unique<NpyStream>(path(dir_, v), descr, std::vector<int64_t>{width},
                                            path(*previous_dir, v), rows)
              : std::make_unique<NpyStream>(path(dir_, v), descr, std::vector<int64_t>{width}));
    row64_.resize(spec_.record.size());
    row32_.resize(spec_.record.size());
    opened_ = true;
  }
  void start_of_step(int64_t step, double dt, const std::vector<double*>& vars,
                     int64_t size) override {
    if (step % spec_.every_steps != 0) return;
    if (!opened_) open(size);
    double t = static_cast<double>(step) * dt;
    t_->append(&t, sizeof t, 1);
    for (std::size_t v = 0; v < streams_.size(); ++v) {
      const double* src = vars[static_cast<std::size_t>(spec_.slots[v])] + spec_.start;
      if (spec_.float32) {
        for (std::size_t k = 0; k < spec_.record.size(); ++k)
          row32_[k] = static_cast<float>(src[spec_.record[k]]);
        streams_[v]->append(row32_.data(), row32_.size() * sizeof(float), 1);
      } else {
        for (std::size_t k = 0; k < spec_.record.size(); ++k)
          row64_[k] = src[spec_.record[k]];
        streams_[v]->append(row64_.data(), row64_.size() * sizeof(double), 1);
      }
    }
  }
  std::vector<OutputFile> finish(const std::string&) override {
    if (!opened_) open(0);
    std::vector<OutputFile> out;
    out.push_back(file("t", "float64", t_->close()));
    for (std::size_t v = 0; v < streams_.size(); ++v)
      out.push_back(
          file(spec_.var_names[v], spec_.float32 ? "float32" : "float64", streams_[v]->close()));
    return out;
  }

private:
  std::string dir_;
  bool opened_ = false;
  std::unique_ptr<NpyStream> t_;
  std::vector<std::unique_ptr<NpyStream>> streams_;
  std::vector<double> row64_;
  std::vector<float> row32_;
};

// The population rate in Hz, averaged over bins of `bin_steps` steps.
class RateMonitor : public Monitor {
public:
  using Monitor::Monitor;
  void reset() override { bins_.clear(); }
  void save(BinWriter& w) override {
    w.vec(bins_);
    w.i64(first_bin_);
    w.f64(dt_);
  }
  void load(BinReader& r, const std::string&) override {
    bins_ = r.vec<double>();
    first_bin_ = r.i64();
    dt_ = r.f64();
  }
  void spikes(int64_t step, double dt, const int32_t* idx, int64_t n,
              const std::vector<double*>&) override {
    int64_t bin = step / spec_.bin_steps;
    if (bins_.empty()) first_bin_ = bin;
    while (first_bin_ + static_cast<int64_t>(bins_.size()) <= bin)
      bins_.push_back(0);
    int64_t count = 0;
    for (int64_t k = 0; k < n; ++k)
      count += idx[k] >= spec_.start && idx[k] < spec_.stop;
    bins_[static_cast<std::size_t>(bin - first_bin_)] += static_cast<double>(count);
    dt_ = dt;
  }
  std::vector<OutputFile> finish(const std::string& dir) override {
    std::vector<double> t(bins_.size()), rate(bins_.size());
    double width = static_cast<double>(spec_.bin_steps) * dt_;
    double n = static_cast<double>(spec_.stop - spec_.start);
    for (std::size_t b = 0; b < bins_.size(); ++b) {
      t[b] = static_cast<double>(first_bin_ + static_cast<int64_t>(b)) * width;
      rate[b] = bins_[b] / (n * width);
    }
    auto len = static_cast<int64_t>(bins_.size());
    std::vector<OutputFile> out{file("t", "float64", {len}), file("rate", "float64", {len})};
    write_npy(dir + "/" + out[0].file, "<f8", {len}, t.data(), t.size() * sizeof(double));
    write_npy(dir + "/" + out[1].file, "<f8", {len}, rate.data(), rate.size() * sizeof(double));
    return out;
  }

private:
  std::vector<double> bins_;
  int64_t first_bin_ = 0;
  double dt_ = 0;
};

int64_t timed_k(double timed_dt, double clock_dt) {
  // Brian2's _find_K: an upsampling factor that avoids rounding issues.
  double k = std::pow(2.0, std::ceil(std::log2(8.0 / clock_dt * timed_dt)));
  if (!(k < 0x1p62)) return int64_t{1} << 62; // a timed dt of 1e17 steps or more
  return std::max<int64_t>(static_cast<int64_t>(k), 1);
}

} // namespace

// ---- network ------------------------------------------------------------------

Network::Network(NetworkSpec spec, std::string results_dir)
    : spec_(std::move(spec)), dir_(std::move(results_dir)) {
  for (const GroupSpec& g : spec_.groups) {
    auto st = std::make_unique<GroupState>();
    st->spec = &g;
    st->vars.assign(g.variables.size(), Values(static_cast<std::size_t>(g.size), 0.0));
    for (auto& v : st->vars)
      st->var_ptrs.push_back(v.data());
    st->spikes.resize(static_cast<std::size_t>(g.size));
    groups_.push_back(std::move(st));
  }
  timed_bad_col_.assign(spec_.timed.size(), INT64_MIN);
  for (std::size_t i = 0; i < spec_.timed.size(); ++i) {
    const TimedSpec& t = spec_.timed[i];
    timed_.push_back(
        {t.values.data(), t.rows, t.cols, t.dt, timed_k(t.dt, spec_.dt), &timed_bad_col_[i]});
  }
  // The orders of the schedule's slots (declaration order unless given).
  for (std::size_t g = 0; g < spec_.groups.size(); ++g) {
    if (spec_.group_order.empty()) group_order_.push_back(static_cast<int>(g));
    if (spec_.update_order.empty()) update_order_.push_back({0, static_cast<int>(g)});
  }
  for (std::size_t s = 0; s < spec_.synapses.size(); ++s) {
    if (spec_.synapse_order.empty()) synapse_order_.push_back(static_cast<int>(s));
    if (spec_.update_order.empty()) update_order_.push_back({1, static_cast<int>(s)});
  }
  if (!spec_.group_order.empty()) group_order_ = spec_.group_order;
  if (!spec_.synapse_order.empty()) synapse_order_ = spec_.synapse_order;
  if (!spec_.update_order.empty()) update_order_ = spec_.update_order;
  // A synapses' update may read a group's lastspike or not_refractory, which
  // its threshold writes: only groups updated after every such kernel fuse.
  bool synapse_update_follows = false;
  for (auto it = update_order_.rbegin(); it != update_order_.rend(); ++it) {
    if (it->first == 1) {
      synapse_update_follows =
          synapse_update_follows || spec_.synapses[static_cast<std::size_t>(it->second)].update;
      continue;
    }
    GroupState& g = *groups_[static_cast<std::size_t>(it->second)];
    g.fused = g.spec->update && g.spec->threshold && !synapse_update_follows;
  }
  for (const SynapseSpec& y : spec_.synapses) {
    auto st = std::make_unique<SynapseState>();
    st->spec = &y;
    st->vars.assign(y.variables.size(), {});
    st->var_ptrs.assign(y.variables.size(), nullptr);
    synapses_.push_back(std::move(st));
  }
  for (const MonitorSpec& m : spec_.monitors) {
    switch (m.kind) {
    case MonitorKind::spikes:
      monitors_.push_back(std::make_unique<SpikeMonitor>(m, dir_));
      break;
    case MonitorKind::state:
      // Without a results directory there is nowhere to stream to: the
      // monitor records nothing (the C++ API reads variables directly).
      if (!dir_.empty()) monitors_.push_back(std::make_unique<StateMonitor>(m, dir_));
      break;
    case MonitorKind::rate:
      monitors_.push_back(std::make_unique<RateMonitor>(m));
      break;
    }
  }
}

Network::~Network() = default;

// ---- synapses -------------------------------------------------------------------

namespace {

// Kernel arguments with every field set, one by one: zero-initialising the
// struct (`snn_kernel_args a{}`) compiles to `rep stos`, whose stores the
// kernel's loads of the same fields wait for, tripling the cost of calling
// a small kernel.
snn_kernel_args blank_args() {
  static_assert(sizeof(snn_kernel_args) == 27 * 8, "blank_args must set every field");
  snn_kernel_args a;
  a.n = a.step = 0;
  a.t = a.dt = 0;
  a.seed = a.stream = 0;
  a.vars = a.pre_vars = a.post_vars = nullptr;
  a.timed = nullptr;
  a.spikes = a.out = nullptr;
  a.nspikes = a.nout = 0;
  a.pre_index = a.post_index = a.selected = a.part_index = nullptr;
  a.pre_offset = a.post_offset = a.n_pre = a.n_post = 0;
  a.nselected = a.selected_first = a.first = a.part_lo = a.part_hi = 0;
  return a;
}

} // namespace

// The arguments every synapse kernel of `s` gets.
snn_kernel_args Network::synapse_args(const Kernel& k, SynapseState& s) {
  const SynapseSpec& y = *s.spec;
  snn_kernel_args a = blank_args();
  a.n = static_cast<int64_t>(s.pre.size());
  a.step = step_;
  a.t = t();
  a.dt = spec_.dt;
  a.seed = spec_.seed;
  a.stream = k.stream;
  a.vars = s.var_ptrs.data();
  a.timed = timed_.data();
  a.pre_vars = groups_[static_cast<std::size_t>(y.pre)]->var_ptrs.data();
  a.post_vars = groups_[static_cast<std::size_t>(y.post)]->var_ptrs.data();
  a.pre_index = s.pre.data();
  a.post_index = s.post.data();
  a.pre_offset = y.pre_start;
  a.post_offset = y.post_start;
  a.n_pre = y.pre_stop - y.pre_start;
  a.n_post = y.post_stop - y.post_start;
  return a;
}

int64_t Network::call_synapses(const Kernel& k, SynapseState& s, const int32_t* selected,
                               int64_t nselected, int64_t selected_first, const KernelPart& part) {
  snn_kernel_args a = synapse_args(k, s);
  a.selected = selected;
  a.nselected = nselected;
  a.selected_first = selected_first;
  a.part_index = part.index;
  a.part_lo = part.lo;
  a.part_hi = part.hi;
  k.fn(&a);
  return a.nout;
}

void Network::connect(int syn, const Kernel& k) {
  SynapseState& s = *synapses_.at(static_cast<std::size_t>(syn));
  const SynapseSpec& y = *s.spec;
  std::vector<int32_t> out;
  for (int64_t i = 0; i < y.pre_stop - y.pre_start; ++i) {
    snn_kernel_args a = synapse_args(k, s);
    a.vars = nullptr; // no synapses exist while they are being made
    a.pre_index = a.post_index = nullptr;
    a.n = 0;
    a.nselected = i;
    a.step = i; // random numbers of the pair (i, j): keyed by (i, j)
    // The kernel lists the new synapses; with many per pair (n) the buffer
    // may be too small: it says so (-1) and runs again with a larger one.
    if (out.empty()) out.resize(static_cast<std::size_t>(std::max<int64_t>(a.n_post, 1)) * 4);
    for (;;) {
      a.out = out.data();
      a.nout = static_cast<int64_t>(out.size()); // capacity in, count out
      k.fn(&a);
      if (a.nout >= 0) break;
      // At most 2^28 synapses from one neuron (1 GB of indices), or the
      // initial 4 per target neuron.
      const std::size_t most = std::max<std::size_t>(
          std::size_t{1} << 28, 4 * static_cast<std::size_t>(std::max<int64_t>(a.n_post, 1)));
      if (out.size() >= most)
        throw std::length_error("synapses '" + y.name + "': more than " +
                                std::to_string(out.size()) + " synapses from neuron " +
                                std::to_string(i) + " (connect's n too large?)");
      out.resize(std::min(out.size() * 4, most));
    }
    if (s.pre.size() + static_cast<std::size_t>(a.nout) > 2147483647u)
      throw std::length_error("synapses '" + y.name + "': more than 2^31 synapses");
    for (int64_t c = 0; c < a.nout; ++c) {
      s.pre.push_back(static_cast<int32_t>(y.pre_start + i));
      s.post.push_back(static_cast<int32_t>(y.post_start + out[static_cast<std::size_t>(c)]));
    }
  }
  for (auto& v : s.vars)
    v.resize(s.pre.size(), 0.0);
  for (std::size_t v = 0; v < s.vars.size(); ++v)
    s.var_ptrs[v] = s.vars[v].data();
  synapses_prepared_ = false;
}

void Network::add_synapses(int syn, const std::vector<int32_t>& pre,
                           const std::vector<int32_t>& post) {
  SynapseState& s = *synapses_.at(static_cast<std::size_t>(syn));
  const SynapseSpec& y = *s.spec;
  for (std::size_t k = 0; k < pre.size(); ++k) {
    s.pre.push_back(static_cast<int32_t>(y.pre_start + pre[k]));
    s.post.push_back(static_cast<int32_t>(y.post_start + post[k]));
  }
  for (auto& v : s.vars)
    v.resize(s.pre.size(), 0.0);
  for (std::size_t v = 0; v < s.vars.size(); ++v)
    s.var_ptrs[v] = s.vars[v].data();
  synapses_prepared_ = false;
}

void Network::apply_synapses(int syn, const Kernel& k) {
  call_synapses(k, *synapses_.at(static_cast<std::size_t>(syn)), nullptr, 0);
}

int64_t Network::synapse_count(int syn) const {
  return static_cast<int64_t>(synapses_.at(static_cast<std::size_t>(syn))->pre.size());
}

Values& Network::synapse_variable(int syn, const std::string& var) {
  SynapseState& s = *synapses_.at(static_cast<std::size_t>(syn));
  const auto& names = s.spec->variables;
  auto it = std::find(names.begin(), names.end(), var);
  if (it == names.end())
    throw std::out_of_range("synapses '" + s.spec->name + "' have no variable '" + var + "'");
  auto slot = static_cast<int>(it - names.begin());
  if (slot == s.spec->on_pre.delay_slot || slot == s.spec->on_post.delay_slot)
    synapses_prepared_ = false; // the caller may change delays
  return s.vars[static_cast<std::size_t>(slot)];
}

const std::vector<int32_t>& Network::synapse_pre(int syn) const {
  return synapses_.at(static_cast<std::size_t>(syn))->pre;
}
const std::vector<int32_t>& Network::synapse_post(int syn) const {
  return synapses_.at(static_cast<std::size_t>(syn))->post;
}

constexpr double kMaxDelaySteps = 1e7;

void Network::prepare() {
  if (!synapses_prepared_) prepare_synapses();
  if (pool_) parallel_steps_possible();
}

// Builds the queues' source indices and delays (Brian2 rounds delay/dt
// half up). Called by prepare() and before a step whenever connectivity or
// delays may have changed since.
void Network::prepare_synapses() {
  for (auto& sp : synapses_) {
    SynapseState& s = *sp;
    const SynapseSpec& y = *s.spec;
    for (int side = 0; side < 2; ++side) {
      bool pre = side == 0;
      Queue& q = pre ? s.q_pre : s.q_post;
      const PathwaySpec& p = pre ? y.on_pre : y.on_post;
      const std::vector<int32_t>& src = pre ? s.pre : s.post;
      int64_t start = pre ? y.pre_start : y.post_start, stop = pre ? y.pre_stop : y.post_stop;
      q.by_source.assign(static_cast<std::size_t>(stop - start + 1), 0);
      for (int32_t n : src)
        ++q.by_source[static_cast<std::size_t>(n - start + 1)];
      for (std::size_t k = 1; k < q.by_source.size(); ++k)
        q.by_source[k] += q.by_source[k - 1];
      q.synapses.assign(src.size(), 0);
      std::vector<int64_t> fill(q.by_source.begin(), q.by_source.end() - 1);
      for (std::size_t syn = 0; syn < src.size(); ++syn)
        q.synapses[static_cast<std::size_t>(fill[static_cast<std::size_t>(src[syn] - start)]++)] =
            static_cast<int32_t>(syn);
      bool consecutive = true;
      for (std::size_t e = 0; e < q.synapses.size() && consecutive; ++e)
        consecutive = q.synapses[e] == static_cast<int32_t>(e);
      int64_t max_delay = 0;
      auto steps = [&](double d) {
        if (!(d >= 0))
          throw std::length_error("synapses '" + y.name + "': a delay is negative or NaN (" +
                                  std::to_string(d) + " s)");
        if (d / spec_.dt > kMaxDelaySteps)
          throw std::length_error("synapses '" + y.name + "': a delay of " + std::to_string(d) +
                                  " s is more than " + std::to_string(kMaxDelaySteps) +
                                  " steps; snnc's spike queues hold at most that");
        return static_cast<int64_t>(d / spec_.dt + 0.5);
      };
      bool was_runs = q.runs;
      q.runs = consecutive && p.delay_slot < 0;
      q.split = q.tiles = {}; // the runs' split points are for the old synapses
      bool in_flight = false;
      for (const auto& b : q.buckets)
        in_flight = in_flight || !b.empty();
      if (in_flight && q.runs != was_runs)
        throw std::logic_error("synapses '" + y.name +
                               "': the spike queue changed its form with spikes in flight");
      if (p.delay_slot >= 0) {
        const auto& d = s.vars[static_cast<std::size_t>(p.delay_slot)];
        q.delay.resize(d.size());
        for (std::size_t k = 0; k < d.size(); ++k) {
          q.delay[k] = std::max<int64_t>(0, steps(d[k]));
          max_delay = std::max(max_delay, q.delay[k]);
        }
      } else {
        q.delay.clear();
        q.common_delay = std::max<int64_t>(0, steps(p.delay));
        max_delay = q.common_delay;
      }
      // Keep spikes in flight when the ring grows.
      std::size_t size = static_cast<std::size_t>(max_delay + 1);
      if (q.buckets.size() < size) {
        std::vector<std::vector<int32_t>> grown(size);
        for (std::size_t k = 0; k < q.buckets.size(); ++k)
          grown[k] = std::move(q.buckets[(q.offset + k) % q.buckets.size()]);
        q.buckets = std::move(grown);
        q.offset = 0;
      }
    }
  }
  synapses_prepared_ = true;
}

namespace {
// k mod size for k < 2 * size (a ring position plus a delay that fits in
// it), without a division every step.
std::size_t ring(std::size_t k, std::size_t size) {
  return k >= size ? k - size : k;
}
} // namespace

void Network::propagate(SynapseState& s, bool pre) {
  const SynapseSpec& y = *s.spec;
  Queue& q = pre ? s.q_pre : s.q_post;
  const GroupState& src = *groups_[static_cast<std::size_t>(pre ? y.pre : y.post)];
  int64_t start = pre ? y.pre_start : y.post_start, stop = pre ? y.pre_stop : y.post_stop;
  std::size_t size = q.buckets.size();
  const Kernel& kernel = (pre ? y.on_pre : y.on_post).kernel;
  std::vector<int32_t>& due = q.buckets[q.offset];
  // With one delay, every spike goes to the same bucket.
  std::vector<int32_t>& common =
      q.buckets[ring(q.offset + static_cast<std::size_t>(q.common_delay), size)];
  // The spiking neurons of the source (sub)group, relative to its start.
  auto each_source = [&](auto fn) {
    for (int64_t k = 0; k < src.nspikes; ++k) {
      int32_t n = src.spikes[static_cast<std::size_t>(k)];
      if (n >= start && n < stop) fn(static_cast<std::size_t>(n - start));
    }
  };
  if (q.runs) {
    // A spike's synapses are one run, merged with the previous when adjacent.
    each_source([&](std::size_t b) {
      auto first = static_cast<int32_t>(q.by_source[b]);
      auto count = static_cast<int32_t>(q.by_source[b + 1] - q.by_source[b]);
      if (count == 0) return;
      if (!common.empty() && common[common.size() - 2] + common.back() == first) {
        common.back() += count;
      } else {
        common.push_back(first);
        common.push_back(count);
      }
    });
  } else {
    each_source([&](std::size_t b) {
      const int32_t* first = q.synapses.data() + q.by_source[b];
      const int32_t* last = q.synapses.data() + q.by_source[b + 1];
      if (q.delay.empty()) {
        common.insert(common.end(), first, last);
        return;
      }
      for (const int32_t* e = first; e != last; ++e) {
        std::size_t at = q.offset + static_cast<std::size_t>(q.delay[static_cast<std::size_t>(*e)]);
        q.buckets[at >= size ? at - size : at].push_back(*e);
      }
    });
  }
  if (!due.empty()) deliver(kernel, s, due, q, pre);
  due.clear();
  q.offset = ring(q.offset + 1, size);
}

void Network::deliver(const Kernel& kernel, SynapseState& s, const std::vector<int32_t>& due,
                      Queue& q, bool pre) {
  auto serial_part = [&](const KernelPart& part) {
    if (q.runs) {
      for (std::size_t r = 0; r < due.size(); r += 2)
        call_synapses(kernel, s, nullptr, due[r + 1], due[r], part);
      return;
    }
    // Consecutive synapses go as a range (contiguous loads in the kernel).
    std::size_t k = 1;
    while (k < due.size() && due[k] == due[0] + static_cast<int32_t>(k))
      ++k;
    auto count = static_cast<int64_t>(due.size());
    if (k == due.size())
      call_synapses(kernel, s, nullptr, count, due[0], part);
    else
      call_synapses(kernel, s, due.data(), count, 0, part);
  };
  // Split by the neurons the kernel writes: each thread takes the synapses
  // of its part of them, in the order one thread would.
  const SynapseSpec& y = *s.spec;
  bool by_pre = kernel.split == SplitBy::pre;
  int64_t start = by_pre ? y.pre_start : y.post_start;
  int64_t n = (by_pre ? y.pre_stop : y.post_stop) - start;
  int parts = kernel.split == SplitBy::none ? 1 : chunks(n);
  const std::vector<int32_t>& split_index = by_pre ? s.pre : s.post;
  const std::vector<int32_t>& source = pre ? s.pre : s.post;
  int64_t source_start = pre ? y.pre_start : y.post_start;
  // Each source's synapses onto part c of the targets, as ranges.
  auto onto = [&](const RunSplit& split, int c) {
    const auto stride = static_cast<std::size_t>(split.parts + 1);
    for (std::size_t r = 0; r < due.size(); r += 2) {
      for (int32_t e = due[r], end = due[r] + due[r + 1]; e < end;) {
        auto b = static_cast<std::size_t>(source[static_cast<std::size_t>(e)] - source_start);
        const int32_t* at = split.at.data() + b * stride;
        if (at[c + 1] > at[c]) call_synapses(kernel, s, nullptr, at[c + 1] - at[c], at[c]);
        e = static_cast<int32_t>(q.by_source[b + 1]);
      }
    }
  };
  if (parts == 1) {
    // On one thread, many sources' synapses onto a large target group go
    // tile by tile of targets, so that the targets' state stays in the L1
    // cache from one source to the next. Each target still receives its
    // events in the same order.
    int tiles = tiling_ ? target_tiles(kernel, y, due, q, pre) : 1;
    if (tiles > 1 && split_runs(q.tiles, q, split_index, start, n, tiles)) {
      for (int c = 0; c < tiles; ++c)
        onto(q.tiles, c);
      ++tiled_deliveries_;
      return;
    }
    return serial_part({});
  }
  // (Everything the parts use lives until pool_->run returns.)
  std::function<void(int)> part;
  if (q.runs && by_pre == pre) {
    // Split by source: a run's sources ascend, so a part's are a sub-run.
    part = [&](int c) {
      auto [first, last] = chunk(n, parts, c);
      for (std::size_t r = 0; r < due.size(); r += 2) {
        auto begin = split_index.begin() + due[r], end = begin + due[r + 1];
        auto from = std::lower_bound(begin, end, static_cast<int32_t>(start + first));
        auto to = std::lower_bound(from, end, static_cast<int32_t>(start + last));
        if (to > from) call_synapses(kernel, s, nullptr, to - from, from - split_index.begin());
      }
    };
  } else if (q.runs && split_runs(q.split, q, split_index, start, n, parts)) {
    // Split by target: each source's synapses onto the part, a range.
    part = [&](int c) { onto(q.split, c); };
  } else {
    // The kernel skips the synapses outside the part.
    part = [&](int c) {
      auto [first, last] = chunk(n, parts, c);
      serial_part({split_index.data(), start + first, start + last});
    };
  }
  pool_->run(parts, part);
}

// Whole steps go to the pool's threads with one barrier per step when a
// step is only: one group's step kernel (update and threshold), the delivery
// of its spikes through on_pre pathways without delay onto the whole group
// (each thread onto its own part of the neurons, reading nothing of the
// sources), and its reset. Nothing else in the step may need the whole group
// at one time: state monitors, variables recorded at spikes, events,
// callbacks, held or observed subexpressions, synaptic updates, timed arrays.
bool Network::parallel_steps_possible() {
  if (!pool_ || groups_.size() != 1 || !spec_.events.empty() || !callbacks_.empty() ||
      !spec_.timed.empty())
    return false;
  GroupState& g = *groups_[0];
  const GroupSpec& gs = *g.spec;
  if (!g.fused || !gs.step || gs.hold || gs.observe || !gs.gen_steps.empty()) return false;
  int parts = parts_of(gs.size);
  if (parts < 2) return false;
  for (const auto& m : monitors_)
    if (m->spec().kind == MonitorKind::state || !m->spec().slots.empty()) return false;
  if (!synapses_prepared_) prepare_synapses();
  for (const auto& sp : synapses_) {
    SynapseState& s = *sp;
    const SynapseSpec& y = *s.spec;
    Queue& q = s.q_pre;
    if (y.update || y.hold || y.observe || y.summed || y.has_post || !y.has_pre) return false;
    if (y.post_start != 0 || y.post_stop != gs.size) return false;
    const Kernel& k = y.on_pre.kernel;
    if (k.split != SplitBy::post || k.reads_pre) return false;
    if (!q.runs || q.common_delay != 0 || !q.delay.empty() || q.buckets.size() != 1 ||
        !q.buckets[0].empty())
      return false;
    if (!split_runs(q.split, q, s.post, 0, gs.size, parts)) return false;
  }
  if (!parallel_ || parallel_->parts != parts) {
    parallel_ = std::make_unique<Parallel>();
    parallel_->parts = parts;
    for (int b = 0; b < 2; ++b) {
      parallel_->spikes[b].assign(static_cast<std::size_t>(gs.size), 0);
      parallel_->counts[b].assign(static_cast<std::size_t>(parts * kPad), 0);
    }
    parallel_->packed.assign(static_cast<std::size_t>(gs.size), 0);
  }
  return true;
}

// `count` steps from step_ on, each thread through its part of the group:
//   update and threshold of its part -> barrier -> delivery of every
//   part's spikes onto its part of the targets (sources in index order, as
//   one thread delivers them) -> reset of its part's spikes.
// A thread reads another part's state only through its spikes, which stay in
// their buffer until two steps later, so one barrier per step suffices;
// thread 0 also packs the spikes and hands them to the monitors. The bits
// are those of one thread.
void Network::parallel_steps(int64_t count) {
  GroupState& g = *groups_[0];
  const GroupSpec& gs = *g.spec;
  Parallel& par = *parallel_;
  const int parts = par.parts;
  const auto stride = static_cast<std::size_t>(parts + 1);
  const int64_t step0 = step_;
  // What the threads read, gathered before the job (nothing that one writes
  // during it shares a cache line with what another reads, but the spikes).
  struct Pathway {
    const Kernel* kernel;
    snn_kernel_args args;
    int64_t pre_start, pre_stop;
    const int32_t* at;
  };
  std::vector<Pathway> pathways;
  for (int si : synapse_order_) {
    SynapseState& s = *synapses_[static_cast<std::size_t>(si)];
    const SynapseSpec& y = *s.spec;
    pathways.push_back({&y.on_pre.kernel, synapse_args(y.on_pre.kernel, s), y.pre_start, y.pre_stop,
                        s.q_pre.split.at.data()});
  }
  std::vector<int64_t> firsts;
  for (int p = 0; p <= parts; ++p)
    firsts.push_back(p == parts ? gs.size : chunk(gs.size, parts, p).first);
  int64_t spikes_total = 0, last_count = 0;
  std::exception_ptr failed; // a monitor's (thread 0)
  pool_->run(parts, [&](int c) {
    std::vector<Pathway> mine = pathways;
    for (int64_t k = 0; k < count; ++k) {
      int64_t step = step0 + k;
      int32_t* spikes = par.spikes[step & 1].data();
      int64_t* counts = par.counts[step & 1].data(); // part p at counts[p * kPad]
      counts[c * kPad] = call_at(step, gs.step, g, spikes, 0, firsts[c], firsts[c + 1]);
      pool_->barrier(parts, c);
      for (Pathway& w : mine) {
        w.args.step = step;
        w.args.t = static_cast<double>(step) * spec_.dt;
        for (int p = 0; p < parts; ++p) {
          const int32_t* from = spikes + firsts[p];
          for (const int32_t* n = from; n != from + counts[p * kPad]; ++n) {
            if (*n < w.pre_start || *n >= w.pre_stop) continue;
            const int32_t* at = w.at + static_cast<std::size_t>(*n - w.pre_start) * stride;
            if (at[c + 1] == at[c]) continue;
            w.args.selected_first = at[c];
            w.args.nselected = at[c + 1] - at[c];
            w.kernel->fn(&w.args);
          }
        }
      }
      if (gs.reset && counts[c * kPad] > 0)
        call_at(step, gs.reset, g, spikes + firsts[c], counts[c * kPad], 0, -1);
      if (c != 0) continue;
      // Thread 0: the step's spikes in order, to the monitors.
      int64_t n = 0;
      for (int p = 0; p < parts; ++p) {
        const int32_t* from = spikes + firsts[p];
        std::copy(from, from + counts[p * kPad], par.packed.begin() + n);
        n += counts[p * kPad];
      }
      spikes_total += n;
      last_count = n;
      if (failed) continue;
      try {
        for (auto& m : monitors_)
          m->spikes(step, spec_.dt, par.packed.data(), n, g.var_ptrs);
      } catch (...) {
        failed = std::current_exception();
      }
    }
  });
  step_ += count - 1;
  parallel_steps_run_ += count;
  total_spikes_ += spikes_total;
  std::copy(par.packed.begin(), par.packed.begin() + last_count, g.spikes.begin());
  g.nspikes = last_count;
  if (failed) std::rethrow_exception(failed);
}

int Network::target_tiles(const Kernel& kernel, const SynapseSpec& y,
                          const std::vector<int32_t>& due, const Queue& q, bool pre) const {
  // Tiles of about kTileBytes of one state variable of the targets.
  constexpr int64_t kTileBytes = 32 * 1024;
  constexpr int64_t kMinPerCall = 256; // synapses per call and tile, on average
  if (!q.runs || kernel.split != (pre ? SplitBy::post : SplitBy::pre)) return 1;
  int64_t targets = pre ? y.post_stop - y.post_start : y.pre_stop - y.pre_start;
  auto tiles = static_cast<int>(std::min<int64_t>(64, targets * 8 / kTileBytes));
  if (tiles < 2) return 1;
  // The due runs hold every synapse of their sources: count both.
  int64_t synapses = 0, sources = 0;
  for (std::size_t r = 0; r < due.size(); r += 2) {
    synapses += due[r + 1];
    auto first = std::upper_bound(q.by_source.begin(), q.by_source.end(), due[r]);
    auto last = std::lower_bound(first, q.by_source.end(), due[r] + due[r + 1]);
    sources += last - first + 1;
  }
  // Worth it with several sources, each reaching a sparse part of the
  // targets (a source that reaches most of them streams through their state
  // in order, which the hardware prefetches well), and long enough runs to
  // pay for the extra calls.
  bool sparse = 2 * synapses <= sources * targets;
  return sources >= 2 && sparse && synapses >= sources * tiles * kMinPerCall ? tiles : 1;
}

bool Network::split_runs(RunSplit& split, const Queue& q, const std::vector<int32_t>& target,
                         int64_t start, int64_t n, int parts) {
  if (split.parts == parts) return !split.at.empty();
  split.parts = parts;
  split.at.clear();
  std::size_t sources = q.by_source.size() - 1;
  for (std::size_t b = 0; b < sources; ++b)
    if (!std::is_sorted(target.begin() + q.by_source[b], target.begin() + q.by_source[b + 1]))
      return false;
  split.at.resize(sources * static_cast<std::size_t>(parts + 1));
  for (std::size_t b = 0; b < sources; ++b) {
    auto begin = target.begin() + q.by_source[b], end = target.begin() + q.by_source[b + 1];
    for (int c = 0; c <= parts; ++c) {
      int64_t edge = c == parts ? INT64_MAX : start + chunk(n, parts, c).first;
      auto at = std::lower_bound(begin, end, edge, [](int32_t x, int64_t e) { return x < e; });
      split.at[b * static_cast<std::size_t>(parts + 1) + static_cast<std::size_t>(c)] =
          static_cast<int32_t>(at - target.begin());
    }
  }
  return true;
}

int Network::group_index(const std::string& name) const {
  for (std::size_t g = 0; g < spec_.groups.size(); ++g)
    if (spec_.groups[g].name == name) return static_cast<int>(g);
  throw std::out_of_range("no group named '" + name + "'");
}

Values& Network::variable(int group, const std::string& var) {
  GroupState& g = *groups_.at(static_cast<std::size_t>(group));
  const auto& names = g.spec->variables;
  auto it = std::find(names.begin(), names.end(), var);
  if (it == names.end())
    throw std::out_of_range("group '" + g.spec->name + "' has no variable '" + var + "'");
  auto slot = static_cast<int>(it - names.begin());
  // A variable the step does not store: computed as at the end of the last step.
  const auto& derived = g.spec->derived_slots;
  if (step_ > 0 && g.derived_at != step_ &&
      std::find(derived.begin(), derived.end(), slot) != derived.end()) {
    call_at(step_ - 1, g.spec->derived, g, nullptr, 0, 0, -1);
    g.derived_at = step_;
  }
  return g.vars[static_cast<std::size_t>(slot)];
}

int64_t Network::call(const Kernel& k, GroupState& g, int32_t* spikes, int64_t nspikes,
                      int64_t first, int64_t last) {
  return call_at(step_, k, g, spikes, nspikes, first, last);
}

int64_t Network::call_at(int64_t step, const Kernel& k, GroupState& g, int32_t* spikes,
                         int64_t nspikes, int64_t first, int64_t last) {
  snn_kernel_args a = blank_args();
  a.n = last < 0 ? g.spec->size : last;
  a.first = first;
  a.step = step;
  a.t = static_cast<double>(step) * spec_.dt;
  a.dt = spec_.dt;
  a.seed = spec_.seed;
  a.stream = k.stream;
  a.vars = g.var_ptrs.data();
  a.timed = timed_.data();
  a.spikes = spikes;
  a.nspikes = nspikes;
  k.fn(&a);
  return a.nspikes;
}

void Network::set_threads(int threads, bool always) {
  always_split_ = always;
  pool_.reset();
  tune_.reset();
  if (threads > 1) pool_ = std::make_unique<Pool>(threads);
  if (threads > 1 && !always) tune_ = std::make_unique<Tune>();
}

int Network::chunks(int64_t n) const {
  return split_ ? parts_of(n) : 1;
}

int Network::parts_of(int64_t n) const {
  return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(pool_->threads(), n / kMinChunk)));
}

std::pair<int64_t, int64_t> Network::chunk(int64_t n, int chunks, int c) const {
  auto edge = [&](int k) { return k == chunks ? n : n * k / chunks / 8 * 8; };
  return {edge(c), edge(c + 1)};
}

void Network::call_all(const Kernel& k, GroupState& g) {
  int parts = chunks(g.spec->size);
  if (parts == 1) {
    call(k, g, nullptr, 0);
    return;
  }
  pool_->run(parts, [&](int c) {
    auto [first, last] = chunk(g.spec->size, parts, c);
    call(k, g, nullptr, 0, first, last);
  });
}

int64_t Network::threshold(GroupState& g) {
  int parts = chunks(g.spec->size);
  if (parts == 1) return call(g.spec->threshold, g, g.spikes.data(), 0);
  return parallel_threshold(g, parts, false);
}

int64_t Network::update_and_threshold(GroupState& g) {
  int parts = chunks(g.spec->size);
  if (parts > 1) return parallel_threshold(g, parts, true);
  return update_and_threshold(g, 0, -1);
}

int64_t Network::update_and_threshold(GroupState& g, int64_t first, int64_t last) {
  if (g.spec->step) return call(g.spec->step, g, g.spikes.data(), 0, first, last);
  call(g.spec->update, g, nullptr, 0, first, last);
  return call(g.spec->threshold, g, g.spikes.data(), 0, first, last);
}

int64_t Network::parallel_threshold(GroupState& g, int parts, bool update_first) {
  chunk_counts_.assign(static_cast<std::size_t>(parts), 0);
  pool_->run(parts, [&](int c) {
    auto [first, last] = chunk(g.spec->size, parts, c);
    chunk_counts_[static_cast<std::size_t>(c)] =
        update_first ? update_and_threshold(g, first, last)
                     : call(g.spec->threshold, g, g.spikes.data(), 0, first, last);
  });
  // Each part wrote its spikes from its first element on: pack them, in order.
  int64_t n = chunk_counts_[0];
  for (int c = 1; c < parts; ++c) {
    int64_t first = chunk(g.spec->size, parts, c).first;
    int64_t count = chunk_counts_[static_cast<std::size_t>(c)];
    std::copy(g.spikes.begin() + first, g.spikes.begin() + first + count, g.spikes.begin() + n);
    n += count;
  }
  return n;
}

void Network::apply(const StatementSpec& s) {
  if (s.synapses >= 0) {
    apply_synapses(s.synapses, s.kernel);
    check_timed_columns();
    return;
  }
  GroupState& g = *groups_.at(static_cast<std::size_t>(s.group));
  call(s.kernel, g, nullptr, 0);
  check_timed_columns();
}

struct Network::Snapshot {
  const Network* owner;
  int64_t step, total_spikes;
  std::vector<GroupState> groups;
  std::vector<SynapseState> synapses;
  bool synapses_prepared;
};

std::shared_ptr<const Network::Snapshot> Network::store() const {
  auto s = std::make_shared<Snapshot>();
  s->owner = this;
  s->step = step_;
  s->total_spikes = total_spikes_;
  for (const auto& g : groups_)
    s->groups.push_back(*g);
  for (const auto& y : synapses_)
    s->synapses.push_back(*y);
  s->synapses_prepared = synapses_prepared_;
  return s;
}

void Network::restore(const Snapshot& s) {
  if (s.owner != this)
    throw std::invalid_argument("restore: the snapshot was stored from another network");
  step_ = s.step;
  total_spikes_ = s.total_spikes;
  // Copy into the existing arrays, so that pointers to them stay valid.
  for (std::size_t i = 0; i < groups_.size(); ++i) {
    GroupState& g = *groups_[i];
    const GroupState& from = s.groups[i];
    for (std::size_t v = 0; v < g.vars.size(); ++v)
      std::copy(from.vars[v].begin(), from.vars[v].end(), g.vars[v].begin());
    g.spikes = from.spikes;
    g.nspikes = from.nspikes;
    g.derived_at = -1;
    g.gen_next = from.gen_next;
    g.gen_offset = from.gen_offset;
  }
  for (std::size_t i = 0; i < synapses_.size(); ++i) {
    SynapseState& y = *synapses_[i];
    const SynapseState& from = s.synapses[i];
    y.vars = from.vars;
    y.var_ptrs.clear();
    for (auto& v : y.vars)
      y.var_ptrs.push_back(v.data());
    y.pre = from.pre;
    y.post = from.post;
    y.q_pre = from.q_pre;
    y.q_post = from.q_post;
  }
  synapses_prepared_ = s.synapses_prepared;
}

// ---- checkpoints ----------------------------------------------------------------

void Network::write_snapshot(std::ostream& os, const Snapshot& s) const {
  BinWriter w(os);
  w.i64(s.step);
  w.i64(s.total_spikes);
  w.u64(s.synapses_prepared);
  w.u64(s.groups.size());
  for (const GroupState& g : s.groups) {
    w.u64(g.vars.size());
    for (const auto& v : g.vars)
      w.vec(v);
    w.vec(g.spikes);
    w.i64(g.nspikes);
    w.u64(g.gen_next);
    w.i64(g.gen_offset);
  }
  w.u64(s.synapses.size());
  for (const SynapseState& y : s.synapses) {
    w.u64(y.vars.size());
    for (const auto& v : y.vars)
      w.vec(v);
    w.vec(y.pre);
    w.vec(y.post);
    for (const Queue* q : {&y.q_pre, &y.q_post}) {
      w.u64(q->runs);
      w.u64(q->buckets.size());
      for (const auto& b : q->buckets)
        w.vec(b);
      w.u64(q->offset);
      w.vec(q->delay);
      w.i64(q->common_delay);
      w.vec(q->by_source);
      w.vec(q->synapses);
    }
  }
}

std::shared_ptr<const Network::Snapshot> Network::read_snapshot(std::istream& is) const {
  BinReader r(is);
  auto s = std::make_shared<Snapshot>();
  s->owner = this;
  s->step = r.i64();
  s->total_spikes = r.i64();
  s->synapses_prepared = r.u64() != 0;
  r.expect(r.u64(), groups_.size(), "the number of groups");
  for (const auto& gp : groups_) {
    const GroupSpec& spec = *gp->spec;
    GroupState g;
    g.spec = &spec;
    r.expect(r.u64(), spec.variables.size(),
             "the number of variables of group '" + spec.name + "'");
    for (std::size_t v = 0; v < spec.variables.size(); ++v) {
      g.vars.push_back(r.vec<double, Values::allocator_type>());
      r.expect(g.vars.back().size(), static_cast<uint64_t>(spec.size),
               "the size of group '" + spec.name + "'");
    }
    g.spikes = r.vec<int32_t, Indices::allocator_type>();
    r.expect(g.spikes.size(), static_cast<uint64_t>(spec.size),
             "the size of group '" + spec.name + "'");
    g.nspikes = r.i64();
    g.gen_next = static_cast<std::size_t>(r.u64());
    g.gen_offset = r.i64();
    if (g.nspikes < 0 || g.nspikes > spec.size || g.gen_next > spec.gen_steps.size())
      throw CheckpointError("the checkpoint is damaged (group '" + spec.name + "')");
    s->groups.push_back(std::move(g));
  }
  r.expect(r.u64(), synapses_.size(), "the number of synapses objects");
  for (const auto& yp : synapses_) {
    const SynapseSpec& spec = *yp->spec;
    SynapseState y;
    y.spec = &spec;
    r.expect(r.u64(), spec.variables.size(),
             "the number of variables of synapses '" + spec.name + "'");
    for (std::size_t v = 0; v < spec.variables.size(); ++v)
      y.vars.push_back(r.vec<double, Values::allocator_type>());
    y.pre = r.vec<int32_t>();
    y.post = r.vec<int32_t>();
    for (const auto& v : y.vars)
      r.expect(v.size(), y.pre.size(), "the number of synapses of '" + spec.name + "'");
    r.expect(y.post.size(), y.pre.size(), "the number of synapses of '" + spec.name + "'");
    const GroupSpec& pre = spec_.groups[static_cast<std::size_t>(spec.pre)];
    const GroupSpec& post = spec_.groups[static_cast<std::size_t>(spec.post)];
    for (std::size_t k = 0; k < y.pre.size(); ++k)
      if (y.pre[k] < 0 || y.pre[k] >= pre.size || y.post[k] < 0 || y.post[k] >= post.size)
        throw CheckpointError("the checkpoint is damaged (synapses '" + spec.name + "')");
    for (Queue* q : {&y.q_pre, &y.q_post}) {
      q->runs = r.u64() != 0;
      q->buckets.resize(static_cast<std::size_t>(r.u64()));
      auto nsyn = static_cast<int64_t>(y.pre.size());
      for (auto& b : q->buckets) {
        b = r.vec<int32_t>();
        // Runs: (first, count) pairs within the synapses; else synapse indices.
        bool ok = !q->runs || b.size() % 2 == 0;
        for (std::size_t k = 0; k < b.size() && ok; k += q->runs ? 2 : 1)
          ok = q->runs ? b[k] >= 0 && b[k + 1] > 0 && int64_t{b[k]} + b[k + 1] <= nsyn
                       : b[k] >= 0 && b[k] < nsyn;
        if (!ok) throw CheckpointError("the checkpoint is damaged (synapses '" + spec.name + "')");
      }
      q->offset = static_cast<std::size_t>(r.u64());
      q->delay = r.vec<int64_t>();
      q->common_delay = r.i64();
      q->by_source = r.vec<int64_t>();
      q->synapses = r.vec<int32_t>();
      // Delays index the ring from its offset: each is less than its size.
      auto in_ring = [&](int64_t d) {
        return d >= 0 && static_cast<uint64_t>(d) < std::max<uint64_t>(q->buckets.size(), 1);
      };
      bool delays_ok = in_ring(q->common_delay);
      for (int64_t d : q->delay)
        delays_ok = delays_ok && in_ring(d);
      if ((!q->buckets.empty() && q->offset >= q->buckets.size()) ||
          (q->buckets.empty() && s->synapses_prepared) || !delays_ok)
        throw CheckpointError("the checkpoint is damaged (synapses '" + spec.name + "')");
    }
    s->synapses.push_back(std::move(y));
  }
  return s;
}

void Network::write_monitors(std::ostream& os) {
  BinWriter w(os);
  w.u64(monitors_.size());
  for (auto& m : monitors_) {
    w.str(m->spec().name);
    m->save(w);
  }
}

void Network::read_monitors(std::istream& is, const std::string& previous_dir) {
  BinReader r(is);
  r.expect(r.u64(), monitors_.size(), "the number of monitors");
  for (auto& m : monitors_) {
    if (r.str() != m->spec().name)
      throw CheckpointError("the checkpoint does not fit this network: its monitors differ");
    m->load(r, previous_dir);
  }
}

void Network::check_timed_columns() const {
  for (std::size_t i = 0; i < timed_bad_col_.size(); ++i)
    if (timed_bad_col_[i] != INT64_MIN) {
      const TimedSpec& ts = spec_.timed[i];
      std::ostringstream os;
      os << "timed array '" << ts.name << "' was called with index " << timed_bad_col_[i]
         << " at t = " << t() << " s, but it has " << ts.cols << " columns (0 to " << ts.cols - 1
         << ")";
      throw ModelError(os.str(), ts.name);
    }
}

void Network::run_events() {
  for (const EventSpec& e : spec_.events) {
    if (step_ < e.first_step || (e.last_step >= 0 && step_ > e.last_step)) continue;
    bool due =
        e.period_steps > 0 ? (step_ - e.first_step) % e.period_steps == 0 : step_ == e.first_step;
    if (!due) continue;
    for (const StatementSpec& s : e.statements)
      apply(s);
  }
}

void Network::emit_generated_spikes(GroupState& g) {
  const GroupSpec& s = *g.spec;
  g.nspikes = 0;
  while (true) {
    if (g.gen_next >= s.gen_steps.size()) {
      if (s.gen_period_steps <= 0 || s.gen_steps.empty()) return;
      g.gen_next = 0;
      g.gen_offset += s.gen_period_steps;
    }
    int64_t due = s.gen_steps[g.gen_next] + g.gen_offset;
    if (due > step_) return;
    if (due == step_ && g.nspikes < static_cast<int64_t>(g.spikes.size()))
      g.spikes[static_cast<std::size_t>(g.nspikes++)] = s.gen_indices[g.gen_next];
    ++g.gen_next;
  }
}

Monitor& Network::monitor(const std::string& name) const {
  for (const auto& m : monitors_)
    if (m->spec().name == name) return *m;
  throw std::out_of_range("no monitor named '" + name + "'");
}

static SpikeMonitor& spike_monitor(Monitor& m) {
  auto* s = dynamic_cast<SpikeMonitor*>(&m);
  if (!s) throw std::invalid_argument("monitor '" + m.spec().name + "' is not a spike monitor");
  return *s;
}

const std::vector<double>& Network::spike_times(const std::string& name) const {
  return spike_monitor(monitor(name)).times();
}
const std::vector<int32_t>& Network::spike_indices(const std::string& name) const {
  return spike_monitor(monitor(name)).indices();
}
std::vector<int64_t> Network::spike_counts(const std::string& name) const {
  return spike_monitor(monitor(name)).counts();
}
void Network::reset_monitor(const std::string& name) {
  monitor(name).reset();
}

void Network::add_callback(int64_t first_step, int64_t period_steps, std::function<void()> fn) {
  callbacks_.push_back({first_step, period_steps, std::move(fn)});
}

bool Network::check_finite() {
  for (auto& g : groups_)
    for (std::size_t v = 0; v < g->vars.size(); ++v)
      for (std::size_t k = 0; k < g->vars[v].size(); ++k)
        if (!std::isfinite(g->vars[v][k])) {
          nan_ = {true, g->spec->name, g->spec->variables[v], static_cast<int64_t>(k), t()};
          return false;
        }
  return true;
}

bool Network::run_steps(int64_t steps) {
  const bool parallel = parallel_steps_possible();
  for (int64_t n = 0; n < steps; ++n, ++step_) {
    if (stop_ && stop_->load(std::memory_order_relaxed)) {
      interrupted_ = true;
      return false;
    }
    if (nan_every_ > 0 && step_ % nan_every_ == 0 && !check_finite()) {
      interrupted_ = true;
      return false;
    }
    bool timing = tune_ && tune_->measuring();
    split_ = pool_ && (always_split_ || tune_->split());
    if (pool_ && !split_) pool_->park();
    auto t0 = timing ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    if (split_ && parallel) {
      int64_t block = std::min(steps - n, kParallelBlock);
      if (tune_) block = std::min(block, tune_->alike());
      if (nan_every_ > 0) block = std::min(block, nan_every_ - step_ % nan_every_);
      parallel_steps(block);
      n += block - 1;
      double each =
          timing ? std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() /
                       static_cast<double>(block)
                 : 0;
      for (int64_t k = 0; tune_ && k < block; ++k)
        tune_->end_step(each);
      continue;
    }
    run_events();
    for (const Callback& c : callbacks_) {
      if (step_ < c.first_step) continue;
      if (c.period_steps > 0 ? (step_ - c.first_step) % c.period_steps == 0 : step_ == c.first_step)
        c.fn();
    }
    if (!synapses_prepared_) prepare_synapses();
    // Brian2's 'before_start' slot: subexpressions 'constant over dt'.
    for (auto& g : groups_)
      if (g->spec->hold) call_all(g->spec->hold, *g);
    for (auto& sp : synapses_)
      if (sp->spec->hold) call_synapses(sp->spec->hold, *sp, nullptr, 0);
    for (auto& g : groups_)
      if (g->spec->observe) call_all(g->spec->observe, *g);
    for (auto& sp : synapses_)
      if (sp->spec->observe) call_synapses(sp->spec->observe, *sp, nullptr, 0);
    for (auto& m : monitors_) {
      if (m->spec().kind != MonitorKind::state) continue;
      if (m->spec().synapses >= 0) {
        const SynapseState& y = *synapses_[static_cast<std::size_t>(m->spec().synapses)];
        m->start_of_step(step_, spec_.dt, y.var_ptrs, static_cast<int64_t>(y.pre.size()));
      } else {
        const GroupState& g = *groups_[static_cast<std::size_t>(m->spec().group)];
        m->start_of_step(step_, spec_.dt, g.var_ptrs, g.spec->size);
      }
    }
    // Summed variables are written before the groups that read them update.
    for (int si : synapse_order_) {
      auto& sp = synapses_[static_cast<std::size_t>(si)];
      const SynapseSpec& y = *sp->spec;
      if (!y.summed) continue;
      GroupState& tgt = *groups_[static_cast<std::size_t>(y.post)];
      for (int slot : y.summed_targets)
        std::fill(tgt.vars[static_cast<std::size_t>(slot)].begin() + y.post_start,
                  tgt.vars[static_cast<std::size_t>(slot)].begin() + y.post_stop, 0.0);
      call_synapses(y.summed, *sp, nullptr, 0);
    }
    for (const auto& [kind, idx] : update_order_) {
      if (kind == 0) {
        auto& g = groups_[static_cast<std::size_t>(idx)];
        if (g->fused)
          g->nspikes = update_and_threshold(*g);
        else if (g->spec->update)
          call_all(g->spec->update, *g);
      } else {
        auto& sp = synapses_[static_cast<std::size_t>(idx)];
        if (sp->spec->update) call_synapses(sp->spec->update, *sp, nullptr, 0);
      }
    }
    for (int gi : group_order_) {
      auto& g = groups_[static_cast<std::size_t>(gi)];
      if (!g->fused) { // a fused group was thresholded with its update
        g->nspikes = 0;
        if (g->spec->threshold)
          g->nspikes = threshold(*g);
        else if (!g->spec->gen_steps.empty())
          emit_generated_spikes(*g);
      }
      total_spikes_ += g->nspikes;
    }
    for (auto& g : groups_) // spike monitors may record subexpressions too
      if (g->spec->observe && g->nspikes > 0) call(g->spec->observe, *g, nullptr, 0);
    for (auto& m : monitors_) {
      if (m->spec().kind == MonitorKind::state) continue;
      GroupState& g = *groups_[static_cast<std::size_t>(m->spec().group)];
      m->spikes(step_, spec_.dt, g.spikes.data(), g.nspikes, g.var_ptrs);
    }
    // Synaptic propagation: every on_pre pathway, then every on_post one.
    for (int si : synapse_order_)
      if (synapses_[static_cast<std::size_t>(si)]->spec->has_pre)
        propagate(*synapses_[static_cast<std::size_t>(si)], true);
    for (int si : synapse_order_)
      if (synapses_[static_cast<std::size_t>(si)]->spec->has_post)
        propagate(*synapses_[static_cast<std::size_t>(si)], false);
    for (int gi : group_order_) {
      auto& g = groups_[static_cast<std::size_t>(gi)];
      if (g->spec->reset && g->nspikes > 0) call(g->spec->reset, *g, g->spikes.data(), g->nspikes);
    }
    check_timed_columns();
    if (tune_)
      tune_->end_step(
          timing ? std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
                 : 0);
  }
  split_ = false;
  if (nan_every_ > 0 && !check_finite()) {
    interrupted_ = true;
    return false;
  }
  return true;
}

std::vector<OutputFile> Network::finish() {
  std::vector<OutputFile> out;
  for (auto& m : monitors_) {
    auto files = m->finish(dir_);
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

} // namespace snn
