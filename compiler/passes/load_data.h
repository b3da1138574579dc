// load_data: reads the data files a model names with load(...): timed
// arrays (.npy of shape (time,) or (time, index), or .csv with one row per
// time step) and spike generators ((index, time) pairs: .npy of shape (n, 2)
// or .csv with two columns; times in seconds).
//
// Assumes: fold_constants has run. Guarantees on success: every loaded timed
// array has its values, rows and cols; every loaded spike generator has its
// indices and times, checked against its size. Reports unreadable or
// malformed files at their load(...).
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"

#include <string>
#include <vector>

namespace snnc::passes {

void load_data(ir::Model& m, Diagnostics& diag);

// A 1-D or 2-D table of numbers from .npy or .csv; false with `error` set.
struct Table {
  std::vector<double> values;      // row-major
  std::int64_t rows = 0, cols = 0; // cols == 0: 1-D
};
bool read_table(const std::string& path, Table& out, std::string& error);

// Brian2's checks of spike generator data (fold_constants.cpp).
void check_loaded_spikes(const ir::Group& g, double dt, Diagnostics& diag);

} // namespace snnc::passes
