// Times as numbers of clock steps. The clock counts in 64-bit integers, up
// to kMaxSteps; the front end rejects constant times beyond that, and the
// conversions here saturate instead of overflowing (converting an
// out-of-range double to an integer is undefined behaviour in C++), so a
// time too far away, given through the API or a loaded file, never comes.
#pragma once

#include <cmath>
#include <cstdint>

namespace snnc::ir {

inline constexpr double kMaxSteps = 4e18;

// A number of steps `x`, truncated toward zero as C++ does, saturated at
// +-kMaxSteps; NaN counts as never (+kMaxSteps).
inline std::int64_t saturate_steps(double x) {
  if (!(x < kMaxSteps)) return static_cast<std::int64_t>(kMaxSteps);
  if (x < -kMaxSteps) return -static_cast<std::int64_t>(kMaxSteps);
  return static_cast<std::int64_t>(x);
}

// Brian2's timestep(t, dt): int((t + 1e-3*dt)/dt).
inline std::int64_t steps_of(double t, double dt) {
  return saturate_steps((t + 1e-3 * dt) / dt);
}

// `t / dt` rounded to the nearest whole number of steps (half away from zero).
inline std::int64_t round_steps(double t, double dt) {
  return saturate_steps(std::round(t / dt));
}

} // namespace snnc::ir
