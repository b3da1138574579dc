// Whether the network's steps are faster with its kernels split over the
// pool's threads or on one: steps alternate in blocks, one way then the
// other, and only the second half of a block is timed (the first moves the
// data between the cores' caches and wakes the threads, which a choice kept
// pays only once); the way with the lower mean step time in its better block
// is kept, if it is split only when that is at least 10 % faster. Whole
// steps are timed, since a kernel split or not changes where the next kernel
// finds its data. Blocks start at 64 steps (with blocks of 16 of CUBA-40k's
// 27 us steps, whole steps on two threads measured 30 % slower than they
// run, and one thread was kept though two are 1.35x faster); when the timed
// half of one took less than half of kTimedSeconds, the switch between the
// ways would weigh on it, so the choice is measured again at once with
// blocks whose timed half takes about kTimedSeconds. It is measured again
// after 4096 steps, then 4 times as many each time (the activity of the
// network, or the machine's load, may change). Either way gives the same
// results.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace snn {

struct Tuner {
  static constexpr int64_t kMinBlock = 64, kMaxBlock = 2048, kBlocks = 4;
  static constexpr double kTimedSeconds = 100e-6; // timed per block, about
  int64_t steps = 0, start = 0, again = 4096;     // measuring from step `start` on
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

} // namespace snn
