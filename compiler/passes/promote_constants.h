// promote_constants: a constant changed between runs, as a Brian2 script
// changes a namespace variable from Python (`taum = 20*ms; run(...)`).
//
// A top-level statement `taum = 20*ms` (or `taum *= 2`) names a constant of
// the file. Each neuron group and synapses object whose code reads that
// constant while running (equations, threshold, reset, refractoriness,
// on_pre/on_post, and the statements of events and between runs on it) gets
// a parameter of the same name, set to the constant's value at init, and the
// statement becomes one statement on each of them: the change takes effect
// from the next step, for every object that reads the constant, as in
// Brian2. What is evaluated once when it is declared (sizes, connect rules,
// delays, times, init) keeps the value the constant had there, as in Brian2,
// where those are evaluated when the script reaches them.
//
// Runs after fold_constants and load_data (the constants' values and units
// are known), before resolve_names (the new parameters are found by name).
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"

namespace snnc::passes {

void promote_constants(ir::Model& m, Diagnostics& diag);

} // namespace snnc::passes
