#include "synapses/spike_queue.h"

#include <algorithm>
#include <stdexcept>

namespace snn {

namespace {

constexpr double kMaxDelaySteps = 1e7;

// k mod size for k < 2 * size (a ring position plus a delay that fits in
// it), without a division every step.
std::size_t ring(std::size_t k, std::size_t size) {
  return k >= size ? k - size : k;
}

} // namespace

void SpikeQueue::build(const std::vector<int32_t>& src, int64_t start, int64_t stop,
                       const PathwaySpec& p, const Values* delays, double dt,
                       const std::string& name) {
  by_source.assign(static_cast<std::size_t>(stop - start + 1), 0);
  for (int32_t n : src)
    ++by_source[static_cast<std::size_t>(n - start + 1)];
  for (std::size_t k = 1; k < by_source.size(); ++k)
    by_source[k] += by_source[k - 1];
  // Each source's synapses are consecutive when the synapses are in source
  // order (as Brian2 makes them): with one delay, the queue holds runs and
  // needs no list of them (4 bytes a synapse saved).
  const bool consecutive = std::is_sorted(src.begin(), src.end());
  int64_t max_delay = 0;
  auto steps = [&](double d) { return steps_of(d, dt, name); };
  bool was_runs = runs;
  runs = consecutive && !delays;
  if (runs) {
    synapses.clear();
    synapses.shrink_to_fit();
  } else {
    synapses.assign(src.size(), 0);
    std::vector<int64_t> fill(by_source.begin(), by_source.end() - 1);
    for (std::size_t syn = 0; syn < src.size(); ++syn)
      synapses[static_cast<std::size_t>(fill[static_cast<std::size_t>(src[syn] - start)]++)] =
          static_cast<int32_t>(syn);
  }
  split = tiles = {}; // the runs' split points are for the old synapses
  bool in_flight = false;
  for (const auto& b : buckets)
    in_flight = in_flight || !b.empty();
  if (in_flight && runs != was_runs)
    throw std::logic_error("synapses '" + name +
                           "': the spike queue changed its form with spikes in flight");
  if (delays) {
    delay.resize(delays->size());
    for (std::size_t k = 0; k < delays->size(); ++k) {
      delay[k] = static_cast<int32_t>(std::max<int64_t>(0, steps((*delays)[k])));
      max_delay = std::max<int64_t>(max_delay, delay[k]);
    }
  } else {
    delay.clear();
    common_delay = std::max<int64_t>(0, steps(p.delay));
    max_delay = common_delay;
  }
  // Keep spikes in flight when the ring grows.
  std::size_t size = static_cast<std::size_t>(max_delay + 1);
  if (buckets.size() < size) {
    std::vector<std::vector<int32_t>> grown(size);
    for (std::size_t k = 0; k < buckets.size(); ++k)
      grown[k] = std::move(buckets[(offset + k) % buckets.size()]);
    buckets = std::move(grown);
    offset = 0;
  }
  sources.assign(buckets.size(), in_flight ? -1 : 0);
}

int64_t SpikeQueue::steps_of(double d, double dt, const std::string& name) {
  if (!(d >= 0))
    throw std::length_error("synapses '" + name + "': a delay is negative or NaN (" +
                            std::to_string(d) + " s)");
  if (d / dt > kMaxDelaySteps)
    throw std::length_error("synapses '" + name + "': a delay of " + std::to_string(d) +
                            " s is more than " + std::to_string(kMaxDelaySteps) +
                            " steps; snnc's spike queues hold at most that");
  return static_cast<int64_t>(d / dt + 0.5);
}

bool SpikeQueue::same_delays(const Values& delays, double dt, const std::string& name) const {
  if (delays.size() != delay.size()) return false;
  for (std::size_t k = 0; k < delays.size(); ++k)
    if (std::max<int64_t>(0, steps_of(delays[k], dt, name)) != delay[k]) return false;
  return true;
}

int64_t SpikeQueue::min_delay() const {
  if (by_source.empty() || by_source.back() == 0) return INT64_MAX;
  if (delay.empty()) return common_delay;
  return *std::min_element(delay.begin(), delay.end());
}

void SpikeQueue::push(const int32_t* spikes, int64_t nspikes, int64_t start, int64_t stop,
                      int64_t age) {
  std::size_t size = buckets.size();
  // With one delay, every spike goes to the same bucket.
  const std::size_t common_at =
      ring(offset + static_cast<std::size_t>(std::max<int64_t>(common_delay - age, 0)), size);
  std::vector<int32_t>& common = buckets[common_at];
  // The spiking neurons of the source (sub)group, relative to its start.
  auto each_source = [&](auto fn) {
    for (int64_t k = 0; k < nspikes; ++k) {
      int32_t n = spikes[k];
      if (n >= start && n < stop) fn(static_cast<std::size_t>(n - start));
    }
  };
  if (runs) {
    // A spike's synapses are one run, merged with the previous when adjacent.
    each_source([&](std::size_t b) {
      auto first = static_cast<int32_t>(by_source[b]);
      auto count = static_cast<int32_t>(by_source[b + 1] - by_source[b]);
      if (count == 0) return;
      if (common_at < sources.size() && sources[common_at] >= 0) ++sources[common_at];
      if (!common.empty() && common[common.size() - 2] + common.back() == first) {
        common.back() += count;
      } else {
        common.push_back(first);
        common.push_back(count);
      }
    });
    return;
  }
  each_source([&](std::size_t b) {
    const int32_t* first = synapses.data() + by_source[b];
    const int32_t* last = synapses.data() + by_source[b + 1];
    if (delay.empty()) {
      common.insert(common.end(), first, last);
      return;
    }
    for (const int32_t* e = first; e != last; ++e) {
      std::size_t at = offset + static_cast<std::size_t>(delay[static_cast<std::size_t>(*e)] - age);
      buckets[at >= size ? at - size : at].push_back(*e);
    }
  });
}

void SpikeQueue::advance() {
  buckets[offset].clear();
  if (offset < sources.size()) sources[offset] = 0;
  offset = ring(offset + 1, buckets.size());
}

} // namespace snn
