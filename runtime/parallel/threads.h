// The threads of one network: its pool (pool.h), the choice for each step
// of whether its kernels go to the pool (tuner.h, or always for tests), and
// how an object of n elements is cut in parts, one per thread. The parts
// that split work (groups, delivery, whole steps) ask it; none of them owns
// a thread.
#pragma once

#include "parallel/pool.h"
#include "parallel/tuner.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

namespace snn {

class Threads {
public:
  // Groups are split in parts of at least kMinChunk elements, one per thread.
  static constexpr int64_t kMinChunk = 1024;

  // `threads` > 1: a pool of that many (the caller is one of them), whose use
  // the tuner decides step by step, or `always`.
  void set(int threads, bool always) {
    always_ = always;
    pool_.reset();
    tuner_.reset();
    if (threads > 1) pool_ = std::make_unique<Pool>(threads);
    if (threads > 1 && !always) tuner_ = std::make_unique<Tuner>();
  }
  bool pooled() const { return pool_ != nullptr; }

  // A step (or a block of whole steps) begins: whether its kernels go to the
  // pool is decided here and holds until end_steps.
  void begin_step() {
    timing_ = tuner_ && tuner_->measuring();
    split_ = pool_ && (always_ || tuner_->split());
    if (pool_ && !split_) pool_->park();
    if (timing_) t0_ = std::chrono::steady_clock::now();
  }
  // `steps` steps ran since begin_step (the tuner counts each, at their mean time).
  void end_steps(int64_t steps) {
    if (!tuner_) return;
    double each =
        timing_ ? std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count() /
                      static_cast<double>(steps)
                : 0;
    for (int64_t k = 0; k < steps; ++k)
      tuner_->end_step(each);
  }
  // The run is over: kernels called between runs are not split.
  void end_run() { split_ = false; }
  bool split() const { return split_; }
  // How many steps from now on the tuner treats alike (one block of whole steps).
  int64_t alike() const { return tuner_ ? tuner_->alike() : INT64_MAX; }

  // Parts of an object of n elements when split: one per thread, each of at
  // least kMinChunk elements (needs a pool).
  int parts_of(int64_t n) const {
    return static_cast<int>(
        std::max<int64_t>(1, std::min<int64_t>(pool_->threads(), n / kMinChunk)));
  }
  // The parts of this step: parts_of(n) in a step that is split, else 1.
  int chunks(int64_t n) const { return split_ ? parts_of(n) : 1; }
  // Part c of `parts` of n elements: cut at multiples of 8 (whole cache lines
  // of doubles), [first, last).
  static std::pair<int64_t, int64_t> chunk(int64_t n, int parts, int c) {
    auto edge = [&](int k) { return k == parts ? n : n * k / parts / 8 * 8; };
    return {edge(c), edge(c + 1)};
  }

  void run(int tasks, const std::function<void(int)>& fn) { pool_->run(tasks, fn); }
  void barrier(int tasks, int task) { pool_->barrier(tasks, task); }

private:
  std::unique_ptr<Pool> pool_;
  std::unique_ptr<Tuner> tuner_; // a pool, not `always`
  bool always_ = false;
  bool split_ = false; // this step's kernels go to the pool
  bool timing_ = false;
  std::chrono::steady_clock::time_point t0_;
};

} // namespace snn
