// Delivery: the synapses due in a step through their pathway's kernel.
// Runs go as ranges, lists as lists; on one thread, many sources' synapses
// onto a large target group go tile by tile of targets (so that the targets'
// state stays in cache); in a step that is split, the synapses are split by
// the neurons the kernel writes (kir::split_side), each thread taking those
// of its part in the order one thread would. Each target receives its
// events in the same order however they are cut: the same bits.
#pragma once

#include "parallel/threads.h"
#include "snn/abi.h"
#include "snn/spec.h"
#include "synapses/spike_queue.h"

#include <cstdint>
#include <vector>

namespace snn {

class Delivery {
public:
  explicit Delivery(Threads& threads) : threads_(threads) {}
  // Tile by tile of targets on one thread (on by default; the same bits).
  void set_tiling(bool on) { tiling_ = on; }
  // Deliveries made tile by tile so far (for tests).
  int64_t tiled() const { return tiled_; }
  // Synaptic events delivered so far: synapses whose pathway code ran for a
  // spike.
  int64_t events() const { return events_; }

  // The synapses due in `q` (a pathway of synapses `y`, from the `pre`
  // side or the post side, whose synapses join neurons pre[k] -> post[k])
  // through `kernel`, whose other arguments are `base`. The postsynaptic
  // neurons are all in [post_lo, post_hi) (a process's block, when the
  // network is spread over processes): threads and tiles share those.
  void deliver(const Kernel& kernel, const snn_kernel_args& base, const SynapseSpec& y,
               const std::vector<int32_t>& pre, const std::vector<int32_t>& post, SpikeQueue& q,
               bool pre_side, int64_t post_lo = 0, int64_t post_hi = INT64_MAX);

private:
  // How many tiles of targets one thread delivers the due runs (`synapses`
  // in all) in (1: as they come).
  int target_tiles(const Kernel& kernel, int64_t targets, int64_t synapses, const SpikeQueue& q,
                   bool pre_side) const;

  Threads& threads_;
  bool tiling_ = true;
  int64_t tiled_ = 0;
  int64_t events_ = 0;
};

// Asks the memory system for the start of index[first, first + count) (a
// source's synapses, before the kernel reads them), up to 16 cache lines.
void prefetch_synapses(const int32_t* index, int32_t first, int32_t count);

// Fills `split` (a queue's split or tiles) for `parts` parts of
// target[start, start + n) if every source's synapses are in target order;
// whether they are. Kept until asked for another number of parts.
bool split_runs(RunSplit& split, const SpikeQueue& q, const std::vector<int32_t>& target,
                int64_t start, int64_t n, int parts);

} // namespace snn
