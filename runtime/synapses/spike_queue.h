// A spike queue (Brian2's cspikequeue): a ring of buckets of synapse
// indices, one per step of delay. Pushing a source neuron's spike appends
// each of its synapses to the bucket of its delay, in synapse order; each
// step the bucket due is delivered (delivery.h) and the ring turns.
//
// With one delay for all synapses and the synapses of each source numbered
// consecutively (`runs`, the usual case: Brian2 numbers synapses by source),
// a bucket holds runs instead, as pairs (first synapse, count), adjacent runs
// merged: a spike costs one pair, and the kernel gets ranges.
#pragma once

#include "snn/spec.h"
#include "snn/values.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snn {

// Runs split by target into `parts` parts: per source neuron b,
// at[b * (parts + 1) + c] is the first of its synapses onto part c (its
// synapses are in target order); empty if they are not.
struct RunSplit {
  int parts = 0;
  std::vector<int32_t> at;
};

struct SpikeQueue {
  std::vector<std::vector<int32_t>> buckets;
  bool runs = false;
  std::size_t offset = 0;
  std::vector<int32_t> delay;     // per synapse, in steps (if heterogeneous; at most 1e7)
  int64_t common_delay = 0;       // otherwise
  std::vector<int64_t> by_source; // CSR offsets over source neurons
  std::vector<int32_t> synapses;  // synapse indices, grouped by source neuron (empty with runs)
  RunSplit split, tiles;          // for the threads' parts, and for one thread's cache tiles
  // Runs: how many sources' synapses each bucket holds (-1: not known, as
  // after a rebuild with spikes in flight or a checkpoint), for delivery's
  // choice of tiles.
  std::vector<int64_t> sources;

  // Builds the queue of the synapses whose sources are `source` (neurons
  // [start, stop) of their group), with pathway `p`'s delays (`delays`: the
  // synapses' delay variable if it has one), keeping spikes in flight.
  // Brian2 rounds delay/dt half up. std::length_error for a delay that is
  // negative, NaN or longer than the ring may be (`name` for the message).
  void build(const std::vector<int32_t>& source, int64_t start, int64_t stop, const PathwaySpec& p,
             const Values* delays, double dt, const std::string& name);
  // Queues the synapses of the spiking neurons `spikes` (indices in the
  // source group; those outside [start, stop) are not sources), spikes of
  // `age` steps ago (a network spread over processes exchanges them once
  // per minimum delay): each synapse is due when it would have been had it
  // been queued then. Every delay must be at least `age`.
  void push(const int32_t* spikes, int64_t n, int64_t start, int64_t stop, int64_t age = 0);
  // The least delay, in steps (INT64_MAX with no synapses).
  int64_t min_delay() const;
  // The synapses due in this step (runs or indices).
  const std::vector<int32_t>& due() const { return buckets[offset]; }
  int64_t due_sources() const { return offset < sources.size() ? sources[offset] : -1; }
  // Empties the bucket due and turns the ring by one step.
  void advance();
  // A delay in steps as the queue holds it (Brian2 rounds delay/dt half up);
  // std::length_error for a delay that is negative, NaN or too long.
  static int64_t steps_of(double delay, double dt, const std::string& name);
  // Whether `delays` (seconds) are the delays the queue was built with.
  bool same_delays(const Values& delays, double dt, const std::string& name) const;
};

} // namespace snn
