// Timed-array lookup and Brian2's timestep() for kernels.
#include "snn/abi.h"

#include <cmath>
#include <cstdint>
#include <limits>

extern "C" int64_t snn_timestep(double t, double dt) {
  return snn_int64_sat((t + 1e-3 * dt) / dt);
}

extern "C" double snn_timestep_bound(double n, double dt) {
  // Each kernel call asks, with the same arguments step after step.
  thread_local double last_n = NAN, last_dt = NAN, last = NAN;
  if (n == last_n && dt == last_dt) return last;
  last_n = n;
  last_dt = dt;
  // y -> trunc(y/dt) is monotone (division rounds correctly): start near
  // the edge and walk to it ulp by ulp (a few steps).
  auto holds = [&](double y) { return std::trunc(y / dt) >= n; };
  double y = (n >= 1 ? n : n - 1) * dt;
  if (!std::isfinite(y) || !(dt > 0)) return last = std::nan("");
  if (holds(y)) {
    for (double down = std::nextafter(y, -INFINITY); holds(down);
         down = std::nextafter(y, -INFINITY))
      y = down;
  } else {
    while (!holds(y))
      y = std::nextafter(y, INFINITY);
  }
  return last = y;
}

static int64_t row_of(const snn_timed_array* a, double t) {
  const double eps = a->dt / static_cast<double>(a->k);
  // Clamped as a double, before the conversion (NaN gives the first row).
  const double x = (t / eps + 0.5) / static_cast<double>(a->k);
  if (!(x >= 0)) return 0;
  if (x >= static_cast<double>(a->rows)) return a->rows - 1;
  return static_cast<int64_t>(x);
}

extern "C" double snn_timed_1d(const snn_timed_array* a, double t) {
  int64_t r = row_of(a, t);
  return a->cols == 0 ? a->values[r] : a->values[r * a->cols];
}

extern "C" double snn_timed_2d(const snn_timed_array* a, double t, int64_t i) {
  int64_t r = row_of(a, t);
  if (a->cols == 0) return a->values[r];
  if (i < 0 || i >= a->cols) {
    // The first bad column is kept; kernels may run on several threads.
    int64_t none = INT64_MIN;
    __atomic_compare_exchange_n(a->bad_col, &none, i, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
    return std::numeric_limits<double>::quiet_NaN();
  }
  return a->values[r * a->cols + i];
}
