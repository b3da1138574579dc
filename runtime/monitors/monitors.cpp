#include "monitors/monitors.h"

#include "io/binio.h"
#include "io/npy.h"

#include <algorithm>
#include <istream>
#include <ostream>
#include <stdexcept>

namespace snn {

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
  // continues the streamed files of `previous_dir` (see Monitors::load).
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

Monitors::Monitors(const std::vector<MonitorSpec>& specs, const std::string& dir, double dt)
    : dir_(dir), dt_(dt) {
  for (const MonitorSpec& m : specs) {
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

Monitors::~Monitors() = default;

void Monitors::record_state(int64_t step, const Groups& groups, const Synapses& synapses) {
  for (auto& m : monitors_) {
    if (m->spec().kind != MonitorKind::state) continue;
    if (m->spec().synapses >= 0) {
      const SynapseState& y = synapses[static_cast<std::size_t>(m->spec().synapses)];
      m->start_of_step(step, dt_, y.var_ptrs, static_cast<int64_t>(y.pre.size()));
    } else {
      const GroupState& g = groups[static_cast<std::size_t>(m->spec().group)];
      m->start_of_step(step, dt_, g.var_ptrs, g.spec->size);
    }
  }
}

void Monitors::record_spikes(int64_t step, const Groups& groups) {
  for (auto& m : monitors_) {
    if (m->spec().kind == MonitorKind::state) continue;
    const GroupState& g = groups[static_cast<std::size_t>(m->spec().group)];
    m->spikes(step, dt_, g.spikes.data(), g.nspikes, g.var_ptrs);
  }
}

void Monitors::record_spikes(int64_t step, const int32_t* index, int64_t n,
                             const std::vector<double*>& vars) {
  for (auto& m : monitors_)
    m->spikes(step, dt_, index, n, vars);
}

bool Monitors::read_state() const {
  for (const auto& m : monitors_)
    if (m->spec().kind == MonitorKind::state || !m->spec().slots.empty()) return true;
  return false;
}

Monitor& Monitors::find(const std::string& name) const {
  for (const auto& m : monitors_)
    if (m->spec().name == name) return *m;
  throw std::out_of_range("no monitor named '" + name + "'");
}

SpikeMonitor& Monitors::spike_monitor(const std::string& name) const {
  Monitor& m = find(name);
  auto* s = dynamic_cast<SpikeMonitor*>(&m);
  if (!s) throw std::invalid_argument("monitor '" + m.spec().name + "' is not a spike monitor");
  return *s;
}

const std::vector<double>& Monitors::spike_times(const std::string& name) const {
  return spike_monitor(name).times();
}
const std::vector<int32_t>& Monitors::spike_indices(const std::string& name) const {
  return spike_monitor(name).indices();
}
std::vector<int64_t> Monitors::spike_counts(const std::string& name) const {
  return spike_monitor(name).counts();
}
void Monitors::reset(const std::string& name) {
  find(name).reset();
}

std::vector<OutputFile> Monitors::finish() {
  std::vector<OutputFile> out;
  for (auto& m : monitors_) {
    auto files = m->finish(dir_);
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

void Monitors::save(std::ostream& os) {
  BinWriter w(os);
  w.u64(monitors_.size());
  for (auto& m : monitors_) {
    w.str(m->spec().name);
    m->save(w);
  }
}

void Monitors::load(std::istream& is, const std::string& previous_dir) {
  BinReader r(is);
  r.expect(r.u64(), monitors_.size(), "the number of monitors");
  for (auto& m : monitors_) {
    if (r.str() != m->spec().name)
      throw CheckpointError("the checkpoint does not fit this network: its monitors differ");
    m->load(r, previous_dir);
  }
}

} // namespace snn
