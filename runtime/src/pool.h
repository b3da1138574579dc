// A fork-join pool for one network's kernels: run(tasks, fn) calls fn(0),
// ..., fn(tasks - 1) on the pool's threads and the caller, and returns when
// all are done. A step's kernels follow each other within microseconds, so
// idle workers spin for a while before they sleep.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace snn {

class Pool {
public:
  explicit Pool(int threads) {
    for (int t = 1; t < threads; ++t)
      workers_.emplace_back([this] { work(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_.store(true);
    }
    cv_.notify_all();
    for (auto& w : workers_)
      w.join();
  }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  void run(int tasks, const std::function<void(int)>& fn) {
    // The job is published before the counter a late worker may still
    // increment (all seq_cst), so it never runs a task of a finished job.
    fn_.store(&fn);
    tasks_.store(tasks);
    next_.store(0);
    remaining_.store(tasks);
    generation_.fetch_add(1);
    if (sleeping_.load() > 0) {
      std::lock_guard<std::mutex> lock(mutex_);
      cv_.notify_all();
    }
    take_tasks();
    while (remaining_.load(std::memory_order_acquire) > 0)
      pause();
  }

private:
  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    std::this_thread::yield();
#endif
  }
  void take_tasks() {
    for (int t; (t = next_.fetch_add(1)) < tasks_.load();) {
      (*fn_.load())(t);
      remaining_.fetch_sub(1, std::memory_order_release);
    }
  }
  void work() {
    uint64_t seen = 0;
    for (;;) {
      for (int spins = 0; generation_.load() == seen; ++spins) {
        if (spins < (1 << 16)) {
          pause();
          continue;
        }
        std::unique_lock<std::mutex> lock(mutex_);
        ++sleeping_;
        cv_.wait(lock, [&] { return generation_.load() != seen || stop_; });
        --sleeping_;
        if (stop_) return;
      }
      if (stop_) return;
      seen = generation_.load();
      take_tasks();
    }
  }

  std::vector<std::thread> workers_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> next_{0}, remaining_{0}, sleeping_{0};
  std::atomic<const std::function<void(int)>*> fn_{nullptr};
  std::atomic<int> tasks_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
};

} // namespace snn
