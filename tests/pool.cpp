// The runtime's fork-join pool: every task of every job runs exactly once,
// on its own thread (task t on thread t % threads), and run() returns only
// when all have finished. Jobs follow each other with no pause and with
// changing task counts, which is where a worker still finishing one job could
// take a task of the next.
#include "parallel/pool.h"

#include <catch2/catch.hpp>

#include <thread>
#include <vector>

TEST_CASE("the pool runs each task of each job once, on its own thread", "[pool]") {
  int threads = GENERATE(2, 3, 4);
  snn::Pool pool(threads);
  REQUIRE(pool.threads() == threads);
  // Written by the tasks, read here after run() returns (Catch2's
  // assertions are for the test's own thread).
  std::vector<int> ran(8);
  std::vector<std::thread::id> ran_on(8), thread_of(static_cast<std::size_t>(threads));
  std::function<void(int)> task = [&](int t) {
    ++ran[static_cast<std::size_t>(t)];
    ran_on[static_cast<std::size_t>(t)] = std::this_thread::get_id();
  };
  thread_of[0] = std::this_thread::get_id();
  for (int j = 0; j < 20000; ++j) {
    int tasks = 1 + j % 8;
    std::fill(ran.begin(), ran.end(), 0);
    pool.run(tasks, task);
    for (int t = 0; t < 8; ++t) {
      if (ran[static_cast<std::size_t>(t)] != (t < tasks ? 1 : 0))
        FAIL("job " << j << " ran task " << t << " " << ran[static_cast<std::size_t>(t)]
                    << " times");
      if (t >= tasks) continue;
      std::thread::id& expected = thread_of[static_cast<std::size_t>(t % threads)];
      if (expected == std::thread::id()) expected = ran_on[static_cast<std::size_t>(t)];
      if (ran_on[static_cast<std::size_t>(t)] != expected)
        FAIL("job " << j << " ran task " << t << " on another thread than before");
    }
  }
  for (int w = 1; w < threads; ++w)
    CHECK(thread_of[static_cast<std::size_t>(w)] != std::this_thread::get_id());
}

TEST_CASE("a pool whose workers have gone to sleep, or were parked, wakes them for the next job",
          "[pool]") {
  snn::Pool pool(2);
  std::vector<int> ran(2, 0);
  std::function<void(int)> task = [&](int t) { ++ran[static_cast<std::size_t>(t)]; };
  pool.run(2, task);
  std::this_thread::sleep_for(std::chrono::milliseconds(50)); // past the spinning
  pool.run(2, task);
  CHECK(ran == std::vector<int>{2, 2});
  pool.park(); // sleep at once, not after spinning
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  pool.run(2, task);
  pool.run(2, task); // and spin again after a job
  CHECK(ran == std::vector<int>{4, 4});
}
