#include "network/timed.h"

#include "snn/errors.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace snn {

namespace {

int64_t timed_k(double timed_dt, double clock_dt) {
  // Brian2's _find_K: an upsampling factor that avoids rounding issues.
  double k = std::pow(2.0, std::ceil(std::log2(8.0 / clock_dt * timed_dt)));
  if (!(k < 0x1p62)) return int64_t{1} << 62; // a timed dt of 1e17 steps or more
  return std::max<int64_t>(static_cast<int64_t>(k), 1);
}

} // namespace

TimedArrays::TimedArrays(const std::vector<TimedSpec>& specs, double clock_dt) : specs_(specs) {
  bad_col_.assign(specs.size(), INT64_MIN);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const TimedSpec& t = specs[i];
    arrays_.push_back(
        {t.values.data(), t.rows, t.cols, t.dt, timed_k(t.dt, clock_dt), &bad_col_[i]});
  }
}

void TimedArrays::check(double t) const {
  for (std::size_t i = 0; i < bad_col_.size(); ++i)
    if (bad_col_[i] != INT64_MIN) {
      const TimedSpec& ts = specs_[i];
      std::ostringstream os;
      os << "timed array '" << ts.name << "' was called with index " << bad_col_[i]
         << " at t = " << t << " s, but it has " << ts.cols << " columns (0 to " << ts.cols - 1
         << ")";
      throw ModelError(os.str(), ts.name);
    }
}

} // namespace snn
