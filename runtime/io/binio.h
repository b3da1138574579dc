// A minimal binary format for checkpoints: little-endian fixed-width
// integers, doubles, strings and vectors of trivially copyable elements,
// each vector preceded by its length. Reading past the end, or a length
// that cannot be right, throws CheckpointError.
#pragma once

#include "snn/errors.h"

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

namespace snn {

class BinWriter {
public:
  explicit BinWriter(std::ostream& os) : os_(os) {}
  void u64(uint64_t v) { raw(&v, sizeof v); }
  void i64(int64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  void str(const std::string& s) {
    u64(s.size());
    raw(s.data(), s.size());
  }
  template <class T, class A> void vec(const std::vector<T, A>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    u64(v.size());
    raw(v.data(), v.size() * sizeof(T));
  }

private:
  void raw(const void* p, std::size_t n) {
    os_.write(static_cast<const char*>(p), static_cast<std::streamsize>(n));
  }
  std::ostream& os_;
};

class BinReader {
public:
  explicit BinReader(std::istream& is) : is_(is) {}
  uint64_t u64() {
    uint64_t v;
    raw(&v, sizeof v);
    return v;
  }
  int64_t i64() {
    int64_t v;
    raw(&v, sizeof v);
    return v;
  }
  double f64() {
    double v;
    raw(&v, sizeof v);
    return v;
  }
  std::string str() {
    std::string s(length(1), '\0');
    raw(s.data(), s.size());
    return s;
  }
  template <class T, class A = std::allocator<T>> std::vector<T, A> vec() {
    static_assert(std::is_trivially_copyable_v<T>);
    std::vector<T, A> v(length(sizeof(T)));
    raw(v.data(), v.size() * sizeof(T));
    return v;
  }
  // Checks that a value read equals what this network has.
  void expect(uint64_t got, uint64_t want, const std::string& what) {
    if (got != want)
      throw CheckpointError("the checkpoint does not fit this network: " + what + " is " +
                            std::to_string(got) + " in the checkpoint and " + std::to_string(want) +
                            " here");
  }

private:
  std::size_t length(std::size_t elem) {
    uint64_t n = u64();
    if (n > (uint64_t{1} << 40) / elem) throw CheckpointError("the checkpoint is damaged");
    return static_cast<std::size_t>(n);
  }
  void raw(void* p, std::size_t n) {
    is_.read(static_cast<char*>(p), static_cast<std::streamsize>(n));
    if (static_cast<std::size_t>(is_.gcount()) != n)
      throw CheckpointError("the checkpoint is truncated");
  }
  std::istream& is_;
};

} // namespace snn
