// The network: its clock, and its step in Brian2's schedule order
// (core/network.py), each slot calling the part that owns the work:
//   start         events (at/every statements) and callbacks
//   before_start  subexpressions 'constant over dt'; monitored ones;
//                 state monitors (values at the start of the step)
//   groups        summed variables, then state updates (groups and
//                 clock-driven synapses, in name order)
//   thresholds    spikes, then (after_thresholds) custom events; spike,
//                 event and rate monitors record them
//   synapses      propagation: every on_pre pathway, the poisson inputs,
//                 then every on_post pathway
//   resets        resets of the spiking neurons
//   after_resets  the statements of custom events (Brian2's run_on_event)
// State monitors with another `when` record after the updates ('groups'),
// the thresholds, the pathways, the resets or the custom events' statements
// ('end'), their subexpressions computed again.
#include "snn/network.h"

#include "distributed/spread.h"
#include "groups/groups.h"
#include "io/binio.h"
#include "monitors/monitors.h"
#include "network/kernel_args.h"
#include "network/schedule.h"
#include "network/timed.h"
#include "parallel/threads.h"
#include "parallel/whole_steps.h"
#include "snapshot/snapshot.h"
#include "synapses/synapses.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace snn {

// Whole steps on the threads go in jobs of at most this many steps.
constexpr int64_t kWholeStepsBlock = 64;

struct Network::Parts {
  Parts(const NetworkSpec& spec, const std::string& dir)
      : timed(spec.timed, spec.dt), env{spec.dt, spec.seed, timed.data()}, schedule(spec),
        groups(spec.groups, schedule.fused(), env, threads),
        synapses(spec.synapses, env, threads, groups, spec.memory_limit),
        monitors(spec.monitors, dir, spec.dt),
        whole_steps(env, threads, groups, synapses, monitors, schedule, !timed.empty()) {
    for (RecordAt w : {RecordAt::groups, RecordAt::thresholds, RecordAt::synapses, RecordAt::resets,
                       RecordAt::end})
      records_at[static_cast<int>(w)] = monitors.records_at(w);
  }
  TimedArrays timed;
  KernelEnv env;
  Schedule schedule;
  Threads threads;
  Groups groups;
  Synapses synapses;
  Monitors monitors;
  WholeSteps whole_steps;
  bool records_at[6] = {};          // some state monitor records at this RecordAt
  std::unique_ptr<Spread> spread;   // spread over processes (distributed/)
  int agreed_flags = 0;             // spread: the flags of the last exchange (Spread::exchange)
  int64_t exchange_every = 1;       // spread: steps between exchanges (the least on_pre delay)
  int64_t flush_step = -1;          // spread: this run's last step, which exchanges
  std::vector<SpikeList> exchanged; // spread: a step's spikes of every process, by group
};

Network::Network(NetworkSpec spec, std::string results_dir)
    : spec_(std::move(spec)), dir_(std::move(results_dir)),
      parts_(std::make_unique<Parts>(spec_, dir_)) {}

Network::~Network() = default;

void Network::configure(const RunOptions& o) {
  if (o.threads != options_.threads || o.always_split != options_.always_split)
    parts_->threads.set(o.threads, o.always_split);
  parts_->synapses.delivery().set_tiling(o.tiling);
  options_ = o;
}

void Network::spread_over(Communicator& comm) {
  if (comm.size() <= 1) return;
  comm_ = &comm;
  // Each process's block of every group; the synapses onto it are kept as
  // they are made.
  for (std::size_t g = 0; g < parts_->groups.size(); ++g) {
    GroupState& st = parts_->groups[g];
    st.lo = st.spec->size * comm.rank() / comm.size();
    st.hi = st.spec->size * (comm.rank() + 1) / comm.size();
  }
  parts_->synapses.start_parts();
}

bool Network::spread() const {
  return parts_->spread != nullptr;
}

double Network::exchange_seconds() const {
  return parts_->spread ? parts_->spread->exchange_seconds() : 0.0;
}

int64_t Network::exchange_interval() const {
  return parts_->spread ? parts_->exchange_every : 0;
}

void Network::ensure_spread() {
  Parts& p = *parts_;
  if (!comm_ || p.spread) return;
  // Only spikes are exchanged between processes.
  for (const SynapseSpec& y : spec_.synapses)
    for (const PathwaySpec& w : y.pathways)
      if (w.event >= 0)
        throw ModelError("synapses triggered by a custom event ('" + y.name + "', pathway '" +
                             w.name + "') do not run on several processes yet",
                         y.name);
  for (const MonitorSpec& m : spec_.monitors)
    if (m.event >= 0)
      throw ModelError("a monitor of a custom event ('" + m.name +
                           "') does not run on several processes yet",
                       m.name);
  p.synapses.prepare();
  p.spread = std::make_unique<Spread>(*comm_, spec_, p.groups, p.synapses, p.monitors);
}

bool Network::run_steps(int64_t steps) {
  Parts& p = *parts_;
  const int64_t nan_every = options_.nan_check_every;
  nan_every_ = nan_every;
  ensure_spread();
  p.synapses.check_delays(); // the caller may have changed delays since the last run
  p.groups.check_links();    // and the indices of links
  const bool whole = !p.spread && p.whole_steps.possible();
  if (p.spread) {
    // Spikes are exchanged once per least on_pre delay of the network (every
    // step when one is zero or events may change delays), at most 64 steps,
    // at the run's last step and before each NaN check.
    p.synapses.prepare();
    int64_t d = p.spread->least(p.synapses.min_pre_delay());
    if (!spec_.events.empty()) d = 1;
    p.exchange_every = std::clamp<int64_t>(d, 1, 64);
    p.flush_step = step_ + steps - 1;
  }
  for (int64_t n = 0; n < steps; ++n, ++step_) {
    if (p.spread) {
      if (agreed_stop(true)) return false; // all processes stop together
    } else if (options_.stop && options_.stop->load(std::memory_order_relaxed)) {
      stop_.stopped = true;
      return false;
    }
    if (!p.spread && p.monitors.failed()) return output_failed();
    if (nan_every > 0 && step_ % nan_every == 0 && !check_finite()) return false;
    p.threads.begin_step();
    if (whole && p.threads.split()) {
      int64_t block = std::min({steps - n, kWholeStepsBlock, p.threads.alike()});
      if (nan_every > 0) block = std::min(block, nan_every - step_ % nan_every);
      int64_t first = step_;
      step_ += block - 1;
      n += block - 1;
      p.whole_steps.run(first, block, spikes_);
      p.threads.end_steps(block);
      continue;
    }
    one_step();
    p.threads.end_steps(1);
  }
  p.threads.end_run();
  if (p.spread) {
    if (agreed_stop(false)) return false; // as agreed at this run's last step
  } else if (p.monitors.failed()) {
    return output_failed();
  }
  return nan_every <= 0 || check_finite();
}

bool Network::agreed_stop(bool stop_requests) {
  // The flags of the last exchange (Spread::exchange): 2 a write failed on
  // process 0, 1 a stop was requested on some process.
  const int flags = parts_->agreed_flags;
  if (flags & 2) {
    if (parts_->monitors.failed()) return !output_failed();
    stop_.stopped = stop_.output = true;
    stop_.message = "process 0 could not write the results";
    return true;
  }
  if (stop_requests && (flags & 1)) return stop_.stopped = true;
  return false;
}

bool Network::output_failed() {
  stop_.stopped = stop_.output = true;
  stop_.message = parts_->monitors.error();
  return false;
}

void Network::one_step() {
  Parts& p = *parts_;
  const int64_t now = step_;
  // start: the model's at/every statements, then the callbacks.
  // A callback may have changed delays (through the arrays it was handed).
  if (p.schedule.start_of_step(now, [this](const StatementSpec& s) { apply(s); })) {
    p.synapses.check_delays();
    p.groups.check_links();
  }
  p.synapses.prepare(); // if connectivity or delays changed since the last step
  // before_start: subexpressions 'constant over dt', then the monitored
  // ones, which state monitors record with the state at the step's start.
  p.groups.hold(now);
  p.synapses.hold(now);
  p.groups.observe(now);
  p.synapses.observe(now);
  if (p.spread)
    p.spread->record_state(RecordAt::start, now);
  else
    p.monitors.record_state(now, p.groups, p.synapses);
  // groups: summed variables are written before the groups that read them
  // update; a group that thresholds in its update's loop spikes here.
  p.synapses.sum(p.schedule.synapses(), now);
  for (const auto& [kind, index] : p.schedule.updates()) {
    if (kind == 0)
      p.groups.update(p.groups[static_cast<std::size_t>(index)], now);
    else
      p.synapses.update(index, now);
  }
  record_state_at(RecordAt::groups, now);
  // thresholds: each group's spikes and custom events, in index order; spike
  // and event monitors may record subexpressions at them.
  for (int g : p.schedule.groups())
    spikes_ += p.groups.threshold(p.groups[static_cast<std::size_t>(g)], now);
  bool exchanged = false;
  if (p.spread) {
    // This step's spikes are kept; once per least delay every process's
    // are exchanged, with whether any is to stop.
    p.spread->collect(now);
    if (static_cast<int64_t>(p.spread->collected()) >= p.exchange_every || now == p.flush_step ||
        (nan_every_ > 0 && (now + 1) % nan_every_ == 0)) {
      int flags = (options_.stop && options_.stop->load(std::memory_order_relaxed) ? 1 : 0) |
                  (p.monitors.failed() ? 2 : 0);
      spikes_ += p.spread->exchange(flags, p.agreed_flags);
      exchanged = true;
    }
  }
  p.groups.observe_spiking(now);
  if (!p.spread) {
    p.monitors.record_spikes(now, p.groups);
  } else if (exchanged) {
    p.exchanged.resize(p.groups.size());
    for (const Spread::Step& st : p.spread->exchanged()) {
      for (std::size_t g = 0; g < p.groups.size(); ++g)
        p.exchanged[g] = {st.spikes[g].data(), static_cast<int64_t>(st.spikes[g].size())};
      p.monitors.record_spikes(st.step, p.exchanged, p.groups);
    }
  }
  record_state_at(RecordAt::thresholds, now);
  // synapses: every pathway with presynaptic sources, the poisson inputs
  // (Brian2's order 0 between the pathways' -1 and +1), then every pathway
  // with postsynaptic sources.
  for (bool pre : {true, false}) {
    if (!pre)
      for (const StatementSpec& s : p.schedule.poisson_inputs())
        p.groups.call_owned(s.kernel, p.groups[static_cast<std::size_t>(s.group)], s.first, s.last,
                            now);
    for (const auto& [s, k] : pre ? p.schedule.pre_pathways() : p.schedule.post_pathways()) {
      SynapseState& y = p.synapses[static_cast<std::size_t>(s)];
      const PathwaySpec& pathway = y.spec->pathways[static_cast<std::size_t>(k)];
      const auto g = static_cast<std::size_t>(pre ? y.spec->pre : y.spec->post);
      if (pathway.event >= 0) {
        // A custom event's neurons (spread networks refuse these: ensure_spread).
        const auto e = static_cast<std::size_t>(pathway.event);
        p.synapses.propagate(y, k, {p.groups[g].events[e].data(), p.groups[g].nevents[e]}, now);
      } else if (p.spread && pre) {
        // Every process's spikes, queued as late as they were exchanged; a
        // postsynaptic neuron's spikes (on_post) are this process's own.
        if (exchanged)
          for (const Spread::Step& st : p.spread->exchanged()) {
            const auto& src = st.spikes[static_cast<std::size_t>(y.spec->pre)];
            p.synapses.queue(y, k, {src.data(), static_cast<int64_t>(src.size())}, now - st.step);
          }
        p.synapses.deliver_due(y, k, now);
      } else {
        p.synapses.propagate(y, k, {p.groups[g].spikes.data(), p.groups[g].nspikes}, now);
      }
    }
  }
  record_state_at(RecordAt::synapses, now);
  // resets.
  for (int g : p.schedule.groups())
    p.groups.reset(p.groups[static_cast<std::size_t>(g)], now);
  record_state_at(RecordAt::resets, now);
  // after_resets: the custom events' statements.
  for (int g : p.schedule.groups())
    p.groups.run_on_events(p.groups[static_cast<std::size_t>(g)], now);
  record_state_at(RecordAt::end, now);
  p.timed.check(t());
}

void Network::record_state_at(RecordAt when, int64_t now) {
  Parts& p = *parts_;
  if (!p.records_at[static_cast<int>(when)]) return;
  p.groups.observe(now);
  p.synapses.observe(now);
  if (p.spread)
    p.spread->record_state(when, now);
  else
    p.monitors.record_state(now, p.groups, p.synapses, when);
}

bool Network::check_finite() {
  std::size_t g = 0, slot = 0;
  int64_t index = 0;
  if (parts_->spread ? !parts_->spread->find_non_finite(g, slot, index)
                     : !parts_->groups.find_non_finite(g, slot, index))
    return true;
  const GroupSpec& spec = spec_.groups[g];
  stop_.stopped = stop_.nan = true;
  stop_.group = spec.name;
  stop_.variable = spec.variables[slot];
  stop_.index = index;
  stop_.t = t();
  return false;
}

int64_t Network::delivered() const {
  return parts_->synapses.delivery().events() + parts_->whole_steps.events();
}

Counters Network::counters() const {
  return {spikes_, parts_->synapses.delivery().tiled(), parts_->whole_steps.steps_run(),
          events_before_ + delivered()};
}

void Network::apply(const StatementSpec& s) {
  Parts& p = *parts_;
  for (int k : s.per_synapse_values) {
    const TimedSpec& ts = spec_.timed[static_cast<std::size_t>(k)];
    const SynapseState& y = p.synapses[static_cast<std::size_t>(s.synapses)];
    const auto n = y.total >= 0 ? y.total : static_cast<int64_t>(y.pre.size());
    if (ts.cols != n)
      throw ModelError(std::to_string(ts.cols) + " values for the " + std::to_string(n) +
                           " synapses of '" + y.spec->name +
                           "': one value per synapse is needed, in the order Brian2 creates them "
                           "(by presynaptic, then postsynaptic neuron)",
                       ts.name);
  }
  if (s.synapses >= 0)
    p.synapses.apply(s.synapses, s.kernel, step_);
  else
    p.groups.call(step_, s.kernel, p.groups[static_cast<std::size_t>(s.group)], nullptr, 0, s.first,
                  s.last);
  p.groups.check_links();
  p.timed.check(t());
}

void Network::add_callback(int64_t first_step, int64_t period_steps, std::function<void()> fn) {
  parts_->schedule.add_callback(first_step, period_steps, std::move(fn));
}

void Network::connect(int synapses, const Kernel& k, bool by_target) {
  parts_->synapses.connect(synapses, k, step_, by_target);
}

void Network::add_synapses(int synapses, const std::vector<int32_t>& pre,
                           const std::vector<int32_t>& post) {
  parts_->synapses.add(synapses, pre, post);
}

void Network::number_pairs(const std::string& synapses, const std::string& var) {
  const std::vector<int32_t>& pre = synapse_neurons(synapses, true);
  const std::vector<int32_t>& post = synapse_neurons(synapses, false);
  Values& out = variable(synapses, var);
  // A process keeps every synapse onto its neurons: all of a pair's.
  std::unordered_map<uint64_t, double> made;
  made.reserve(pre.size());
  for (std::size_t s = 0; s < pre.size(); ++s) {
    uint64_t key = (static_cast<uint64_t>(static_cast<uint32_t>(pre[s])) << 32) |
                   static_cast<uint32_t>(post[s]);
    out[s] = made[key]++;
  }
}

void Network::prepare() {
  parts_->synapses.prepare();
  if (parts_->threads.pooled()) parts_->whole_steps.possible();
}

Values& Network::variable(const std::string& object, const std::string& var) {
  Parts& p = *parts_;
  if (int g = p.groups.find(object); g >= 0) return p.groups.variable(g, var, step_);
  if (int s = p.synapses.find(object); s >= 0) return p.synapses.variable(s, var);
  throw std::out_of_range("no group or synapses named '" + object + "'");
}

const std::vector<int32_t>& Network::synapse_neurons(const std::string& synapses, bool pre) const {
  int s = parts_->synapses.find(synapses);
  if (s < 0) throw std::out_of_range("no synapses named '" + synapses + "'");
  const SynapseState& y = parts_->synapses[static_cast<std::size_t>(s)];
  return pre ? y.pre : y.post;
}

const Recording& Network::recording(const std::string& monitor) {
  return parts_->monitors.recording(monitor);
}
void Network::reset_monitor(const std::string& monitor) {
  parts_->monitors.reset(monitor);
}
void Network::set_monitor_active(const std::string& monitor, bool active) {
  parts_->monitors.set_active(monitor, active);
}
std::vector<OutputFile> Network::finish() {
  std::vector<OutputFile> files = parts_->monitors.finish();
  if (parts_->monitors.failed() && !stop_.output) output_failed();
  return files;
}

std::shared_ptr<const Snapshot> Network::store() {
  ensure_spread(); // a snapshot of this process's part
  return take_snapshot(this, step_, spikes_, counters().synaptic_events, parts_->groups,
                       parts_->synapses);
}

void Network::restore(const Snapshot& s) {
  if (s.owner != this)
    throw std::invalid_argument("restore: the snapshot was stored from another network");
  step_ = s.step;
  spikes_ = s.total_spikes;
  events_before_ = s.synaptic_events - delivered();
  put_back(s, parts_->groups, parts_->synapses);
}

void Network::write_checkpoint(std::ostream& os, const std::vector<const Snapshot*>& stored) {
  write_state(os, step_, spikes_, counters().synaptic_events, parts_->groups, parts_->synapses);
  for (const Snapshot* s : stored)
    write_snapshot(os, *s);
  parts_->monitors.save(os);
  if (!comm_) return;
  // A process's part of a spread network: its synapses' numbers among all.
  BinWriter w(os);
  for (std::size_t k = 0; k < parts_->synapses.size(); ++k) {
    const SynapseState& y = parts_->synapses[k];
    w.i64(y.total);
    w.vec(y.global);
  }
}

std::vector<std::shared_ptr<const Snapshot>>
Network::read_checkpoint(std::istream& is, std::size_t stored, const std::string& previous_dir) {
  Parts& p = *parts_;
  restore(*read_snapshot(is, this, p.groups, p.synapses));
  std::vector<std::shared_ptr<const Snapshot>> out;
  for (std::size_t k = 0; k < stored; ++k)
    out.push_back(read_snapshot(is, this, p.groups, p.synapses));
  p.monitors.load(is, previous_dir);
  if (comm_) {
    BinReader r(is);
    for (std::size_t k = 0; k < p.synapses.size(); ++k) {
      SynapseState& y = p.synapses[k];
      y.total = r.i64();
      y.global = r.vec<uint32_t>();
      if (y.global.size() != y.pre.size() || y.total < static_cast<int64_t>(y.global.size()))
        throw CheckpointError("the checkpoint is damaged (synapses '" + y.spec->name + "')");
      for (std::size_t e = 0; e < y.global.size(); ++e)
        if (y.global[e] >= y.total || (e > 0 && y.global[e] <= y.global[e - 1]))
          throw CheckpointError("the checkpoint is damaged (synapses '" + y.spec->name + "')");
    }
  }
  return out;
}

} // namespace snn
