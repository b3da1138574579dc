// The monitors: spike monitors (times, indices, variables at the spikes,
// counts), state monitors (variables sampled at the start of a step) and
// population rate monitors, each a small class in monitors.cpp. With a
// results directory they stream to it (memory does not grow with the run);
// without one (the C++ and Python APIs) they record in memory
// (snn/recording.h). Monitors read the groups' and synapses' state; they write only
// their own data and files.
#pragma once

#include "groups/groups.h"
#include "snn/recording.h"
#include "snn/spec.h"
#include "synapses/synapses.h"

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace snn {

class Monitor;

class Monitors {
public:
  Monitors(const std::vector<MonitorSpec>& specs, const std::string& dir, double dt);
  ~Monitors();

  // State monitors: the values at the start of `step`.
  // The state monitors that record at `when`.
  void record_state(int64_t step, const Groups& groups, const Synapses& synapses,
                    RecordAt when = RecordAt::start);
  // Whether some state monitor records at `when`.
  bool records_at(RecordAt when) const;
  // Spike and rate monitors: the spikes of `step` (each group's own).
  void record_spikes(int64_t step, const Groups& groups);
  // ... or the spikes `spikes` (by group) of an earlier step (a network
  // spread over processes records them once exchanged).
  void record_spikes(int64_t step, const std::vector<SpikeList>& spikes, const Groups& groups);
  // ... or, when the network has one group, its spikes `index` (n of them),
  // with the group's state arrays `vars`.
  void record_spikes(int64_t step, const int32_t* index, int64_t n,
                     const std::vector<double*>& vars);
  // A monitor that is not active records nothing (all are at first).
  void set_active(const std::string& monitor, bool active);
  bool enabled(std::size_t k) const { return active_[k]; } // set_active's, not failures
  // Spread over processes, the monitors of every process but the first
  // record nothing (silent); the first records the spikes of all (which
  // every process has), and the state its monitors' values gathered from
  // the processes that own them (record_gathered).
  void set_silent(bool silent) { silent_ = silent; }
  std::size_t size() const { return monitors_.size(); }
  const MonitorSpec& spec(std::size_t k) const;
  void record_gathered(std::size_t k, int64_t step, int64_t size,
                       const std::vector<std::vector<double>>& values);
  // Whether a monitor needs a whole group's state at one time in a step:
  // a state monitor, or a spike monitor of variables.
  bool read_state() const;

  // What a monitor holds in memory (std::out_of_range: no such monitor).
  const Recording& recording(const std::string& monitor);
  // Forgets what a spike or rate monitor recorded so far.
  void reset(const std::string& monitor);

  // Completes every monitor's files; returns what was written (a file that
  // could not be written is left out, and error() says why).
  std::vector<OutputFile> finish();
  // The first write that failed (OutputError: a full disk, ...), if any. A
  // monitor whose write failed records nothing more; what it wrote stays
  // readable.
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

  // Checkpoints: each monitor's position (how much it has written to its
  // files, which are flushed first, and what it keeps in memory), and
  // continuing from one: each streamed file is copied from `previous_dir`
  // up to its position (CheckpointError if it is too short).
  void save(std::ostream& os);
  void load(std::istream& is, const std::string& previous_dir);

private:
  Monitor& find(const std::string& name) const;
  // Calls `fn` on monitor k unless its writes failed; an OutputError marks it.
  template <class F> void guarded(std::size_t k, F&& fn);
  std::vector<std::unique_ptr<Monitor>> monitors_;
  std::vector<bool> broken_;
  std::vector<bool> active_;
  bool silent_ = false;
  std::string error_;
  std::string dir_;
  double dt_;
};

} // namespace snn
