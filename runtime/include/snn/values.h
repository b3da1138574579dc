// snn::Values: the values of one state variable, one per neuron or synapse,
// in memory aligned to a cache line (64 bytes). Vector loops then load whole
// lines (an unaligned 64-byte load touches two), and the threads' parts of a
// group, cut at multiples of 8 elements, share no line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace snn {

template <class T> struct CacheLineAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlign{64};
  CacheLineAllocator() = default;
  template <class U> CacheLineAllocator(const CacheLineAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlign)); }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, kAlign); }
  template <class U> bool operator==(const CacheLineAllocator<U>&) const noexcept { return true; }
  template <class U> bool operator!=(const CacheLineAllocator<U>&) const noexcept { return false; }
};

using Values = std::vector<double, CacheLineAllocator<double>>;
using Indices = std::vector<int32_t, CacheLineAllocator<int32_t>>;

} // namespace snn
