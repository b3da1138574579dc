// with_large_stack(fn): runs fn() on a thread with a large stack and returns
// its result (an exception it throws is rethrown to the caller).
//
// The compiler's passes recurse over expression trees. The front end bounds
// their depth (ir::kMaxExprDepth), but integration nests copies of the
// equations (rk4: four), and a sanitizer build's frames are several times
// larger, so a model at the limits can need more than the 8 MB of a default
// thread. The stack is reserved address space: only as many pages are used
// as the recursion reaches.
#pragma once

#include <cstddef>
#include <exception>
#include <optional>
#include <pthread.h>
#include <type_traits>
#include <utility>

namespace snnc::driver {

inline constexpr std::size_t kLargeStack = std::size_t{512} << 20;

template <class F> std::invoke_result_t<F&> with_large_stack(F&& fn) {
  using R = std::invoke_result_t<F&>;
  struct Job {
    F* fn;
    std::conditional_t<std::is_void_v<R>, bool, std::optional<R>> result{};
    std::exception_ptr error;
  } job{&fn, {}, nullptr};
  void* (*body)(void*) = [](void* p) -> void* {
    auto* j = static_cast<Job*>(p);
    try {
      if constexpr (std::is_void_v<R>)
        (*j->fn)();
      else
        j->result.emplace((*j->fn)());
    } catch (...) {
      j->error = std::current_exception();
    }
    return nullptr;
  };
  pthread_attr_t attr;
  pthread_t thread;
  bool started = pthread_attr_init(&attr) == 0;
  started = started && pthread_attr_setstacksize(&attr, kLargeStack) == 0 &&
            pthread_create(&thread, &attr, body, &job) == 0;
  pthread_attr_destroy(&attr);
  if (!started) return fn(); // no such thread here: this one's stack
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
  if constexpr (!std::is_void_v<R>) return std::move(*job.result);
}

} // namespace snnc::driver
