#include "monitors/monitors.h"

#include "io/binio.h"
#include "io/npy.h"

#include <algorithm>
#include <cstdio>
#include <istream>
#include <ostream>
#include <stdexcept>

namespace snn {

class Monitor {
public:
  explicit Monitor(const MonitorSpec& s, MonitorKind kind) : spec_(s) {
    rec_.kind = kind;
    rec_.variables = spec_.var_names;
    rec_.values.resize(spec_.var_names.size());
  }
  virtual ~Monitor() = default;
  // `size`: the number of elements of the recorded object now.
  virtual void start_of_step(int64_t, double, const std::vector<double*>&, int64_t) {}
  // State monitors spread over processes: the recorded values (values[v][k]:
  // variable v of recorded element k) gathered from the processes that own them.
  virtual void gathered(int64_t, double, int64_t, const std::vector<std::vector<double>>&) {}
  // `vars`: the recorded group's state arrays, as they are at the spikes.
  virtual void spikes(int64_t, double, const int32_t*, int64_t, const std::vector<double*>&) {}
  // Completes the files; what could not be written is left out and `error`
  // says why (the first such failure).
  virtual std::vector<OutputFile> finish(const std::string& dir, std::string& error) = 0;
  virtual void reset() {}
  // Checkpoints: the monitor's position and what it holds in memory; load
  // continues the streamed files of `previous_dir` (see Monitors::load).
  virtual void save(BinWriter& w) = 0;
  virtual void load(BinReader& r, const std::string& previous_dir) = 0;
  // What it holds in memory.
  virtual const Recording& recording() { return rec_; }
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
  // A stream of the monitor and its field, for close_all.
  struct Field {
    std::string name, dtype;
    NpyStream* stream;
  };
  // Closes the monitor's streams; after a failed write, every one at the
  // rows all of them hold (so that t, i and the values stay in step).
  std::vector<OutputFile> close_all(const std::vector<Field>& fields, std::string& error) {
    int64_t common = -1;
    if (failed_)
      for (const Field& f : fields)
        if (f.stream) {
          int64_t r = f.stream->rows_on_disk();
          common = common < 0 ? r : std::min(common, r);
        }
    std::vector<OutputFile> out;
    for (const Field& f : fields) {
      if (!f.stream) continue;
      try {
        out.push_back(file(f.name, f.dtype, f.stream->close(common)));
      } catch (const OutputError& e) {
        if (error.empty()) error = e.what();
      }
    }
    return out;
  }
  // Runs `fn`; a failed write marks the monitor (it writes nothing more).
  template <class F> void writing(F&& fn) {
    if (failed_) return;
    try {
      fn();
    } catch (const OutputError&) {
      failed_ = true;
      throw;
    }
  }
  MonitorSpec spec_;
  Recording rec_;
  bool failed_ = false;
};

// Spikes as (t, i) and the recorded variables' values. With a results
// directory they stream to disk in blocks, so memory does not grow with the
// number of spikes; without one (the C++ API) they stay in memory. Counts
// per neuron are always kept.
class SpikeMonitor : public Monitor {
public:
  SpikeMonitor(const MonitorSpec& s, std::string dir)
      : Monitor(s, MonitorKind::spikes), dir_(std::move(dir)) {
    rec_.count.assign(static_cast<std::size_t>(spec_.stop - spec_.start), 0);
    rec_.streamed = !dir_.empty() && !spec_.counts_only;
  }
  void reset() override {
    rec_.t.clear();
    rec_.i.clear();
    std::fill(rec_.count.begin(), rec_.count.end(), 0);
    for (auto& v : rec_.values)
      v.clear();
  }
  void save(BinWriter& w) override {
    if (failed_) throw OutputError("monitor '" + spec_.name + "' could not write its results");
    if (!dir_.empty() && !spec_.counts_only) {
      flush();
      writing([&] {
        t_stream_->flush();
        i_stream_->flush();
        for (auto& v : v_streams_)
          v->flush();
      });
    }
    w.vec(rec_.count);
    w.vec(rec_.t);
    w.vec(rec_.i);
    w.u64(rec_.values.size());
    for (const auto& v : rec_.values)
      w.vec(v);
    w.i64(t_stream_ ? t_stream_->rows() : -1);
  }
  void load(BinReader& r, const std::string& previous_dir) override {
    rec_.count = r.vec<int64_t>();
    r.expect(rec_.count.size(), static_cast<uint64_t>(spec_.stop - spec_.start),
             "the number of neurons spike monitor '" + spec_.name + "' records");
    rec_.t = r.vec<double>();
    rec_.i = r.vec<int32_t>();
    r.expect(r.u64(), rec_.values.size(),
             "the number of variables of monitor '" + spec_.name + "'");
    for (auto& v : rec_.values)
      v = r.vec<double>();
    int64_t rows = r.i64();
    if (rows >= 0 && !dir_.empty()) open_streams(&previous_dir, rows);
  }
  void spikes(int64_t step, double dt, const int32_t* idx, int64_t n,
              const std::vector<double*>& vars) override {
    for (int64_t k = 0; k < n; ++k) {
      int32_t i = idx[k];
      if (i < spec_.start || i >= spec_.stop) continue;
      ++rec_.count[static_cast<std::size_t>(i - spec_.start)];
      if (spec_.counts_only) continue;
      for (std::size_t v = 0; v < spec_.slots.size(); ++v)
        rec_.values[v].push_back(vars[static_cast<std::size_t>(spec_.slots[v])][i]);
      rec_.t.push_back(static_cast<double>(step) * dt);
      rec_.i.push_back(static_cast<int32_t>(i - spec_.start));
    }
    if (!dir_.empty() && rec_.t.size() >= kBlock) flush();
  }
  std::vector<OutputFile> finish(const std::string& dir, std::string& error) override {
    if (spec_.counts_only) {
      OutputFile f = file("count", "int64", {static_cast<int64_t>(rec_.count.size())});
      try {
        write_npy(dir + "/" + f.file, "<i8", f.shape, rec_.count.data(),
                  rec_.count.size() * sizeof(int64_t));
      } catch (const OutputError& e) {
        if (error.empty()) error = e.what();
        return {};
      }
      return {f};
    }
    try {
      flush();
    } catch (const OutputError& e) {
      if (error.empty()) error = e.what();
    }
    std::vector<Field> fields{{"t", "float64", t_stream_.get()}, {"i", "int32", i_stream_.get()}};
    for (std::size_t v = 0; v < v_streams_.size(); ++v)
      fields.push_back({spec_.var_names[v], "float64", v_streams_[v].get()});
    return close_all(fields, error);
  }

private:
  static constexpr std::size_t kBlock = 1 << 16; // spikes buffered before a write

  // Opens the streamed files, continuing those of `previous_dir` if given.
  void open_streams(const std::string* previous_dir, int64_t rows) {
    std::string dir = dir_.empty() ? std::string(".") : dir_;
    auto stream = [&](const std::string& field, const char* descr) {
      if (!previous_dir)
        return std::make_unique<NpyStream>(path(dir, field), descr, std::vector<int64_t>{});
      return std::make_unique<NpyStream>(path(dir, field), descr, std::vector<int64_t>{},
                                         path(*previous_dir, field), rows);
    };
    // All or none: a monitor never holds some of its files open.
    auto t = stream("t", "<f8");
    auto i = stream("i", "<i4");
    std::vector<std::unique_ptr<NpyStream>> vs;
    for (const std::string& v : spec_.var_names)
      vs.push_back(stream(v, "<f8"));
    t_stream_ = std::move(t);
    i_stream_ = std::move(i);
    v_streams_ = std::move(vs);
  }
  void flush() {
    writing([&] {
      if (!t_stream_) open_streams(nullptr, 0);
      auto n = static_cast<int64_t>(rec_.t.size());
      t_stream_->append(rec_.t.data(), rec_.t.size() * sizeof(double), n);
      i_stream_->append(rec_.i.data(), rec_.i.size() * sizeof(int32_t), n);
      for (std::size_t v = 0; v < rec_.values.size(); ++v)
        v_streams_[v]->append(rec_.values[v].data(), rec_.values[v].size() * sizeof(double), n);
    });
    // (After a failure too: the block is gone, not written again.)
    for (auto& v : rec_.values)
      v.clear();
    rec_.t.clear();
    rec_.i.clear();
  }

  std::string dir_;
  std::unique_ptr<NpyStream> t_stream_, i_stream_;
  std::vector<std::unique_ptr<NpyStream>> v_streams_;
};

// Samples of variables at the start of steps, (samples, recorded elements)
// per variable: streamed to disk with a results directory (memory does not
// grow with time), else kept in memory.
class StateMonitor : public Monitor {
public:
  StateMonitor(const MonitorSpec& s, const std::string& dir)
      : Monitor(s, MonitorKind::state), dir_(dir) {
    rec_.streamed = !dir_.empty();
    if (rec_.streamed)
      t_ = std::make_unique<NpyStream>(path(dir, "t"), "<f8", std::vector<int64_t>{});
  }
  // The streams open at the first sample: a synapses object's size is known
  // only once it is connected.
  void save(BinWriter& w) override {
    if (failed_) throw OutputError("monitor '" + spec_.name + "' could not write its results");
    writing([&] {
      if (t_) t_->flush();
      for (auto& st : streams_)
        st->flush();
    });
    w.u64(opened_);
    w.vec(spec_.record);
    w.i64(t_ ? t_->rows() : -1);
    if (t_) return;
    w.vec(rec_.t); // in memory
    for (const auto& v : rec_.values)
      w.vec(v);
  }
  void load(BinReader& r, const std::string& previous_dir) override {
    bool opened = r.u64() != 0;
    auto record = r.vec<int64_t>();
    int64_t rows = r.i64();
    if ((rows >= 0) != rec_.streamed)
      throw CheckpointError("the checkpoint does not fit this network: monitor '" + spec_.name +
                            "' streamed to a results directory in one and not the other");
    if (!rec_.streamed) {
      rec_.t = r.vec<double>();
      for (auto& v : rec_.values)
        v = r.vec<double>();
    } else {
      t_ = std::make_unique<NpyStream>(path(dir_, "t"), "<f8", std::vector<int64_t>{},
                                       path(previous_dir, "t"), rows);
    }
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
        throw ModelError("monitor '" + spec_.name + "' records index " + std::to_string(r) +
                             ", beyond the " + std::to_string(size) + " elements recorded",
                         spec_.name);
    auto width = static_cast<int64_t>(spec_.record.size());
    std::vector<std::unique_ptr<NpyStream>> streams; // all or none
    const char* descr = spec_.float32 ? "<f4" : "<f8";
    if (rec_.streamed)
      for (const std::string& v : spec_.var_names)
        streams.push_back(
            previous_dir
                ? std::make_unique<NpyStream>(path(dir_, v), descr, std::vector<int64_t>{width},
                                              path(*previous_dir, v), rows)
                : std::make_unique<NpyStream>(path(dir_, v), descr, std::vector<int64_t>{width}));
    streams_ = std::move(streams);
    row64_.resize(spec_.record.size());
    row32_.resize(spec_.record.size());
    rec_.record = spec_.record;
    opened_ = true;
  }
  void start_of_step(int64_t step, double dt, const std::vector<double*>& vars,
                     int64_t size) override {
    sample(step, dt, size, [&](std::size_t v, std::size_t k) {
      return vars[static_cast<std::size_t>(spec_.slots[v])][spec_.start + spec_.record[k]];
    });
  }
  void gathered(int64_t step, double dt, int64_t size,
                const std::vector<std::vector<double>>& values) override {
    sample(step, dt, size, [&](std::size_t v, std::size_t k) { return values[v][k]; });
  }
  // A sample at `step`: value(v, k) is variable v of recorded element k.
  template <class Value> void sample(int64_t step, double dt, int64_t size, const Value& value) {
    if (step % spec_.every_steps != 0 || failed_) return;
    if (!opened_) writing([&] { open(size); });
    double t = static_cast<double>(step) * dt;
    if (t_)
      writing([&] { t_->append(&t, sizeof t, 1); });
    else
      rec_.t.push_back(t);
    const std::size_t width = spec_.record.size();
    for (std::size_t v = 0; v < spec_.slots.size(); ++v) {
      if (!rec_.streamed) {
        for (std::size_t k = 0; k < width; ++k)
          rec_.values[v].push_back(
              spec_.float32 ? static_cast<double>(static_cast<float>(value(v, k))) : value(v, k));
      } else if (spec_.float32) {
        for (std::size_t k = 0; k < width; ++k)
          row32_[k] = static_cast<float>(value(v, k));
        writing([&] { streams_[v]->append(row32_.data(), row32_.size() * sizeof(float), 1); });
      } else {
        for (std::size_t k = 0; k < width; ++k)
          row64_[k] = value(v, k);
        writing([&] { streams_[v]->append(row64_.data(), row64_.size() * sizeof(double), 1); });
      }
    }
  }
  void reset() override {
    if (rec_.streamed) return; // what went to the files stays there
    rec_.t.clear();
    for (auto& v : rec_.values)
      v.clear();
  }
  std::vector<OutputFile> finish(const std::string&, std::string& error) override {
    if (!rec_.streamed) return {};
    if (!opened_ && !failed_) {
      try {
        open(0);
      } catch (const OutputError& e) {
        failed_ = true;
        if (error.empty()) error = e.what();
      }
    }
    std::vector<Field> fields{{"t", "float64", t_.get()}};
    for (std::size_t v = 0; v < streams_.size(); ++v)
      fields.push_back(
          {spec_.var_names[v], spec_.float32 ? "float32" : "float64", streams_[v].get()});
    return close_all(fields, error);
  }

private:
  std::string dir_;
  bool opened_ = false;
  std::unique_ptr<NpyStream> t_; // streamed only
  std::vector<std::unique_ptr<NpyStream>> streams_;
  std::vector<double> row64_;
  std::vector<float> row32_;
};

// The population rate in Hz, averaged over bins of `bin_steps` steps.
class RateMonitor : public Monitor {
public:
  explicit RateMonitor(const MonitorSpec& s) : Monitor(s, MonitorKind::rate) {}
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
  const Recording& recording() override {
    double width = static_cast<double>(spec_.bin_steps) * dt_;
    double n = static_cast<double>(spec_.stop - spec_.start);
    rec_.t.resize(bins_.size());
    rec_.rate.resize(bins_.size());
    for (std::size_t b = 0; b < bins_.size(); ++b) {
      rec_.t[b] = static_cast<double>(first_bin_ + static_cast<int64_t>(b)) * width;
      rec_.rate[b] = bins_[b] / (n * width);
    }
    return rec_;
  }
  std::vector<OutputFile> finish(const std::string& dir, std::string& error) override {
    const Recording& r = recording();
    auto len = static_cast<int64_t>(bins_.size());
    std::vector<OutputFile> out{file("t", "float64", {len}), file("rate", "float64", {len})};
    try {
      write_npy(dir + "/" + out[0].file, "<f8", {len}, r.t.data(), r.t.size() * sizeof(double));
      write_npy(dir + "/" + out[1].file, "<f8", {len}, r.rate.data(),
                r.rate.size() * sizeof(double));
    } catch (const OutputError& e) {
      if (error.empty()) error = e.what();
      std::remove((dir + "/" + out[0].file).c_str()); // both or neither
      return {};
    }
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
      monitors_.push_back(std::make_unique<StateMonitor>(m, dir_));
      break;
    case MonitorKind::rate:
      monitors_.push_back(std::make_unique<RateMonitor>(m));
      break;
    }
  }
  broken_.assign(monitors_.size(), false);
  active_.assign(monitors_.size(), true);
}

void Monitors::set_active(const std::string& name, bool active) {
  for (std::size_t k = 0; k < monitors_.size(); ++k)
    if (monitors_[k]->spec().name == name) {
      active_[k] = active;
      return;
    }
  throw std::out_of_range("no monitor named '" + name + "'");
}

Monitors::~Monitors() = default;

template <class F> void Monitors::guarded(std::size_t k, F&& fn) {
  if (broken_[k] || !active_[k] || silent_) return;
  try {
    fn(*monitors_[k]);
  } catch (const OutputError& e) {
    broken_[k] = true;
    if (error_.empty()) error_ = e.what();
  }
}

void Monitors::record_state(int64_t step, const Groups& groups, const Synapses& synapses,
                            RecordAt when) {
  for (std::size_t k = 0; k < monitors_.size(); ++k) {
    if (monitors_[k]->spec().kind != MonitorKind::state || monitors_[k]->spec().when != when)
      continue;
    guarded(k, [&](Monitor& m) {
      if (m.spec().synapses >= 0) {
        const SynapseState& y = synapses[static_cast<std::size_t>(m.spec().synapses)];
        m.start_of_step(step, dt_, y.var_ptrs, static_cast<int64_t>(y.pre.size()));
      } else {
        const GroupState& g = groups[static_cast<std::size_t>(m.spec().group)];
        m.start_of_step(step, dt_, g.var_ptrs, g.spec->size);
      }
    });
  }
}

void Monitors::record_gathered(std::size_t k, int64_t step, int64_t size,
                               const std::vector<std::vector<double>>& values) {
  guarded(k, [&](Monitor& m) { m.gathered(step, dt_, size, values); });
}

void Monitors::record_spikes(int64_t step, const Groups& groups) {
  for (std::size_t k = 0; k < monitors_.size(); ++k) {
    if (monitors_[k]->spec().kind == MonitorKind::state) continue;
    guarded(k, [&](Monitor& m) {
      const GroupState& g = groups[static_cast<std::size_t>(m.spec().group)];
      if (m.spec().event >= 0) {
        const auto e = static_cast<std::size_t>(m.spec().event);
        m.spikes(step, dt_, g.events[e].data(), g.nevents[e], g.var_ptrs);
      } else {
        m.spikes(step, dt_, g.spikes.data(), g.nspikes, g.var_ptrs);
      }
    });
  }
}

void Monitors::record_spikes(int64_t step, const std::vector<SpikeList>& spikes,
                             const Groups& groups) {
  for (std::size_t k = 0; k < monitors_.size(); ++k) {
    if (monitors_[k]->spec().kind == MonitorKind::state) continue;
    guarded(k, [&](Monitor& m) {
      const auto g = static_cast<std::size_t>(m.spec().group);
      m.spikes(step, dt_, spikes[g].index, spikes[g].n, groups[g].var_ptrs);
    });
  }
}

void Monitors::record_spikes(int64_t step, const int32_t* index, int64_t n,
                             const std::vector<double*>& vars) {
  for (std::size_t k = 0; k < monitors_.size(); ++k)
    guarded(k, [&](Monitor& m) { m.spikes(step, dt_, index, n, vars); });
}

bool Monitors::records_at(RecordAt when) const {
  for (const auto& m : monitors_)
    if (m->spec().kind == MonitorKind::state && m->spec().when == when) return true;
  return false;
}

bool Monitors::read_state() const {
  for (const auto& m : monitors_)
    if (m->spec().kind == MonitorKind::state || !m->spec().slots.empty()) return true;
  return false;
}

const MonitorSpec& Monitors::spec(std::size_t k) const {
  return monitors_[k]->spec();
}

Monitor& Monitors::find(const std::string& name) const {
  for (const auto& m : monitors_)
    if (m->spec().name == name) return *m;
  throw std::out_of_range("no monitor named '" + name + "'");
}

const Recording& Monitors::recording(const std::string& name) {
  return find(name).recording();
}
void Monitors::reset(const std::string& name) {
  find(name).reset();
}

std::vector<OutputFile> Monitors::finish() {
  std::vector<OutputFile> out;
  if (dir_.empty()) return out; // nothing is written (a spread network's other processes)
  for (auto& m : monitors_) {
    auto files = m->finish(dir_, error_);
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
