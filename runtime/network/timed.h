// The timed arrays of a network (Brian2's TimedArray): their values as the
// kernels see them (abi.h's snn_timed_array, one per array, by slot), and
// the check after a step or a statement that no kernel indexed one outside
// its columns.
#pragma once

#include "snn/abi.h"
#include "snn/spec.h"

#include <cstdint>
#include <vector>

namespace snn {

class TimedArrays {
public:
  // `specs` must outlive this (the kernels read their values in place).
  TimedArrays(const std::vector<TimedSpec>& specs, double clock_dt);
  TimedArrays(const TimedArrays&) = delete;
  TimedArrays& operator=(const TimedArrays&) = delete;
  bool empty() const { return arrays_.empty(); }
  const snn_timed_array* data() const { return arrays_.data(); }
  // Throws ModelError if a kernel called an array with a column it does not
  // have since the last check (at time `t`, for the message).
  void check(double t) const;

private:
  const std::vector<TimedSpec>& specs_;
  std::vector<int64_t> bad_col_; // one per array; INT64_MIN: none
  std::vector<snn_timed_array> arrays_;
};

} // namespace snn
