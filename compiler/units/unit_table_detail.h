// Private to compiler/units: the link between Dimension printing
// (dimension.cpp) and the generated Brian2 tables (unit_table.cpp).
#pragma once

#include "units/dimension.h"

namespace snnc::units::detail {

// Name of the unscaled unit Brian2's get_unit() finds in its unit registers
// for `dim` (e.g. "volt", "metre2", "amp / (metre ** 2)"), or nullptr when
// Brian2 would fall back to a product of base units. Only called for
// non-dimensionless dimensions; non-integer exponents never match.
const char* registered_unit_name(const Dimension& dim);

} // namespace snnc::units::detail
