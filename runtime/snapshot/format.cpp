// The binary form of a snapshot in a checkpoint (io/binio.h), field by
// field; reading checks every size and index against the network it is read
// into, so that a damaged checkpoint is a CheckpointError, never a crash.
#include "snapshot/snapshot.h"

#include "io/binio.h"

#include <algorithm>

namespace snn {

namespace {

void write_group(BinWriter& w, const GroupState& g) {
  w.u64(g.vars.size());
  for (const auto& v : g.vars)
    w.vec(v);
  w.vec(g.spikes);
  w.i64(g.nspikes);
  w.u64(g.gen_next);
  w.i64(g.gen_offset);
}

void write_synapses(BinWriter& w, const SynapseState& y) {
  w.u64(y.vars.size());
  for (const auto& v : y.vars)
    w.vec(v);
  w.vec(y.pre);
  w.vec(y.post);
  w.u64(y.queues.size()); // one per pathway
  for (const SpikeQueue& qr : y.queues) {
    const SpikeQueue* q = &qr;
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

GroupState read_group(BinReader& r, const GroupSpec& spec) {
  GroupState g;
  g.spec = &spec;
  r.expect(r.u64(), spec.variables.size(), "the number of variables of group '" + spec.name + "'");
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
  return g;
}

void read_queue(BinReader& r, SpikeQueue& q, int64_t nsyn, bool prepared, const std::string& name) {
  auto damaged = [&] {
    return CheckpointError("the checkpoint is damaged (synapses '" + name + "')");
  };
  q.runs = r.u64() != 0;
  q.buckets.resize(static_cast<std::size_t>(r.u64()));
  q.sources.assign(q.buckets.size(), -1);
  for (auto& b : q.buckets) {
    b = r.vec<int32_t>();
    // Runs: (first, count) pairs within the synapses; else synapse indices.
    bool ok = !q.runs || b.size() % 2 == 0;
    for (std::size_t k = 0; k < b.size() && ok; k += q.runs ? 2 : 1)
      ok = q.runs ? b[k] >= 0 && b[k + 1] > 0 && int64_t{b[k]} + b[k + 1] <= nsyn
                  : b[k] >= 0 && b[k] < nsyn;
    if (!ok) throw damaged();
  }
  q.offset = static_cast<std::size_t>(r.u64());
  q.delay = r.vec<int32_t>();
  q.common_delay = r.i64();
  q.by_source = r.vec<int64_t>();
  q.synapses = r.vec<int32_t>();
  // Delays index the ring from its offset: each is less than its size.
  auto in_ring = [&](int64_t d) {
    return d >= 0 && static_cast<uint64_t>(d) < std::max<uint64_t>(q.buckets.size(), 1);
  };
  bool delays_ok = in_ring(q.common_delay);
  for (int32_t d : q.delay)
    delays_ok = delays_ok && in_ring(d);
  if ((!q.buckets.empty() && q.offset >= q.buckets.size()) || (q.buckets.empty() && prepared) ||
      !delays_ok)
    throw damaged();
}

// `post_size`: the targets' number (a group's, or the synapses' read before).
SynapseState read_synapses(BinReader& r, const SynapseSpec& spec, const Groups& groups,
                           int64_t post_size, bool prepared) {
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
  int64_t pre_size = groups[static_cast<std::size_t>(spec.pre)].spec->size;
  for (std::size_t k = 0; k < y.pre.size(); ++k)
    if (y.pre[k] < 0 || y.pre[k] >= pre_size || y.post[k] < 0 || y.post[k] >= post_size)
      throw CheckpointError("the checkpoint is damaged (synapses '" + spec.name + "')");
  r.expect(r.u64(), spec.pathways.size(), "the number of pathways of '" + spec.name + "'");
  y.queues.resize(spec.pathways.size());
  for (SpikeQueue& q : y.queues)
    read_queue(r, q, static_cast<int64_t>(y.pre.size()), prepared, spec.name);
  return y;
}

} // namespace

void write_state(std::ostream& os, int64_t step, int64_t total_spikes, int64_t synaptic_events,
                 const Groups& groups, const Synapses& synapses) {
  BinWriter w(os);
  w.i64(step);
  w.i64(total_spikes);
  w.i64(synaptic_events);
  w.u64(synapses.prepared());
  w.u64(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g)
    write_group(w, groups[g]);
  w.u64(synapses.size());
  for (std::size_t y = 0; y < synapses.size(); ++y)
    write_synapses(w, synapses[y]);
}

void write_snapshot(std::ostream& os, const Snapshot& s) {
  BinWriter w(os);
  w.i64(s.step);
  w.i64(s.total_spikes);
  w.i64(s.synaptic_events);
  w.u64(s.synapses_prepared);
  w.u64(s.groups.size());
  for (const GroupState& g : s.groups)
    write_group(w, g);
  w.u64(s.synapses.size());
  for (const SynapseState& y : s.synapses)
    write_synapses(w, y);
}

std::shared_ptr<const Snapshot> read_snapshot(std::istream& is, const void* owner,
                                              const Groups& groups, const Synapses& synapses) {
  BinReader r(is);
  auto s = std::make_shared<Snapshot>();
  s->owner = owner;
  s->step = r.i64();
  s->total_spikes = r.i64();
  s->synaptic_events = r.i64();
  s->synapses_prepared = r.u64() != 0;
  r.expect(r.u64(), groups.size(), "the number of groups");
  for (std::size_t g = 0; g < groups.size(); ++g)
    s->groups.push_back(read_group(r, *groups[g].spec));
  r.expect(r.u64(), synapses.size(), "the number of synapses objects");
  for (std::size_t y = 0; y < synapses.size(); ++y) {
    const SynapseSpec& spec = *synapses[y].spec;
    int64_t post_size =
        spec.post_synapses >= 0
            ? static_cast<int64_t>(
                  s->synapses[static_cast<std::size_t>(spec.post_synapses)].pre.size())
            : groups[static_cast<std::size_t>(spec.post)].spec->size;
    s->synapses.push_back(read_synapses(r, spec, groups, post_size, s->synapses_prepared));
  }
  return s;
}

} // namespace snn
