// Snapshots: a copy of a network's state (the clock, every state variable,
// the synapses and their spike queues with the spikes in flight, spike
// generators' positions), taken and put back in memory (Brian2's
// store/restore), and their binary format in checkpoints (format.cpp).
// Random numbers are counter-based (seed, stream, step), so the clock
// restores them too. Monitors are not part of a snapshot (monitors.h saves
// their positions).
#pragma once

#include "groups/groups.h"
#include "synapses/synapses.h"

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <vector>

namespace snn {

struct Snapshot {
  const void* owner = nullptr; // the network it was taken of
  int64_t step = 0, total_spikes = 0, synaptic_events = 0;
  std::vector<GroupState> groups;
  std::vector<SynapseState> synapses;
  bool synapses_prepared = false;
};

std::shared_ptr<const Snapshot> take_snapshot(const void* owner, int64_t step, int64_t total_spikes,
                                              int64_t synaptic_events, const Groups& groups,
                                              const Synapses& synapses);
// Copies `s` into the existing arrays (so that pointers to them stay valid).
void put_back(const Snapshot& s, Groups& groups, Synapses& synapses);

// The state now, as write_snapshot would write a snapshot of it (without
// the copy).
void write_state(std::ostream& os, int64_t step, int64_t total_spikes, int64_t synaptic_events,
                 const Groups& groups, const Synapses& synapses);
void write_snapshot(std::ostream& os, const Snapshot& s);
// Reads a snapshot written by either, checking that its shapes fit these
// groups and synapses (CheckpointError if not).
std::shared_ptr<const Snapshot> read_snapshot(std::istream& is, const void* owner,
                                              const Groups& groups, const Synapses& synapses);

} // namespace snn
