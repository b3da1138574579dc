// A fork-join pool for one network's kernels: run(tasks, fn) calls fn(0),
// ..., fn(tasks - 1) and returns when all are done. Task t always runs on
// thread t % threads() (the caller is thread 0), so a part of a group stays in
// the cache of the core that updates it step after step. A step's kernels
// follow each other within microseconds, so idle workers spin for a while
// before they sleep.
//
// The protocol: the caller publishes fn_, then the job word (generation and
// task count, read by workers at once); each worker with a task runs its
// tasks and then bumps done_. The caller returns once every such worker has
// reported, so none can still be inside a job when the next one is published;
// a worker without a task in a job does not touch it. Waiting threads spin,
// then yield (more threads than cores), then workers sleep.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace snn {

class Pool {
public:
  explicit Pool(int threads) : threads_(threads < 1 ? 1 : threads) {
    for (int w = 1; w < threads_; ++w)
      workers_.emplace_back([this, w] { work(w); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_.store(true);
      job_.fetch_add(kGeneration);
    }
    cv_.notify_all();
    for (auto& w : workers_)
      w.join();
  }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  int threads() const { return threads_; }

  // Idle workers sleep from now until the next job instead of spinning: for
  // stretches of work on one thread (on a core shared with a spinning worker,
  // say hyperthreads of one core, the spinning would slow it).
  void park() {
    if (!parked_.load(std::memory_order_relaxed)) parked_.store(true);
  }

  // Within a job whose tasks each run on a thread of their own (tasks <=
  // threads()), called by task `task`: returns once each of the `tasks`
  // has called it as often in this job. Each task announces its arrival on a
  // cache line of its own, which the others read: one transfer between
  // cores, not a shared counter's several.
  void barrier(int tasks, int task) {
    uint64_t mine = arrived_[task].n.load(std::memory_order_relaxed) + 1;
    arrived_[task].n.store(mine, std::memory_order_release);
    for (int t = 0; t < tasks; ++t)
      for (int spins = 0; arrived_[t].n.load(std::memory_order_acquire) < mine; ++spins)
        spins < kSpins ? pause() : std::this_thread::yield();
  }

  void run(int tasks, const std::function<void(int)>& fn) {
    if (parked_.load(std::memory_order_relaxed)) parked_.store(false);
    fn_ = &fn;
    for (int t = 0; t < threads_; ++t) // no worker is in a job
      arrived_[t].n.store(0, std::memory_order_relaxed);
    auto count = static_cast<uint64_t>(tasks < 0 ? 0 : tasks < kMaxTasks ? tasks : kMaxTasks);
    uint64_t generation = job_.load() / kGeneration + 1;
    job_.store(generation * kGeneration + count); // publishes fn_
    if (sleeping_.load() > 0) {
      std::lock_guard<std::mutex> lock(mutex_);
      cv_.notify_all();
    }
    for (int t = 0; t < static_cast<int>(count); t += threads_)
      fn(t);
    expected_ += std::min<uint64_t>(count, static_cast<uint64_t>(threads_)) - (count > 0 ? 1 : 0);
    for (int spins = 0; done_.load(std::memory_order_acquire) != expected_; ++spins)
      spins < kSpins ? pause() : std::this_thread::yield();
  }

private:
  static constexpr uint64_t kGeneration = 1u << 16; // job_: generation * kGeneration + tasks
  static constexpr int kMaxTasks = (1 << 16) - 1;
  static constexpr int kSpins = 4096; // about 0.1 ms of pause(), then yield (a thread waited for
                                      // may share this core)
  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    std::this_thread::yield();
#endif
  }
  void work(int w) {
    uint64_t seen = 0;
    for (;;) {
      uint64_t job;
      for (int spins = 0; (job = job_.load()) / kGeneration == seen; ++spins) {
        bool parked = parked_.load(std::memory_order_relaxed);
        if (spins < kSpins && !parked) {
          pause();
        } else if (spins < (1 << 16) && !parked) {
          std::this_thread::yield();
        } else {
          std::unique_lock<std::mutex> lock(mutex_);
          ++sleeping_;
          cv_.wait(lock, [&] { return job_.load() / kGeneration != seen; });
          --sleeping_;
        }
      }
      if (stop_.load()) return;
      seen = job / kGeneration;
      auto tasks = static_cast<int>(job % kGeneration);
      if (w >= tasks) continue;
      for (int t = w; t < tasks; t += threads_)
        (*fn_)(t);
      done_.fetch_add(1, std::memory_order_release);
    }
  }

  const int threads_;
  std::vector<std::thread> workers_;
  const std::function<void(int)>* fn_ = nullptr; // written before job_
  uint64_t expected_ = 0;                        // done_ once the last job is over
  alignas(64) std::atomic<uint64_t> job_{0};
  alignas(64) std::atomic<uint64_t> done_{0};
  alignas(64) std::atomic<int> sleeping_{0};
  struct alignas(64) Arrived {
    std::atomic<uint64_t> n{0}; // barriers a task has reached in this job
  };
  std::unique_ptr<Arrived[]> arrived_ =
      std::make_unique<Arrived[]>(static_cast<std::size_t>(threads_));
  std::atomic<bool> parked_{false};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
};

} // namespace snn
