// lift_arrays: values from data in statements, as a Brian2 script assigns an
// array (`G.I = (np.arange(17)*25 + 100)*uA`, `G.v = np.load("v0.npy")*mV`).
// A list `[...]`, `load("file.npy")`, `linspace(start, stop, num)` or
// `arange([start,] stop[, step])` in a neuron group's statement (init, reset,
// events, between runs, on the group or part of it) becomes a timed array of
// one row with a column per neuron, read at the neuron's index
// (`_values1(t, i)`), so that units, arithmetic, both backends and
// checkpoints treat it as they treat timed arrays.
//
// lift_arrays runs before fold_constants (which computes the values) and
// load_data (which reads the files); check_array_lengths runs after both:
// an array has exactly one value per neuron the statement reaches. In a
// synapses object's init and statements, the array is read at the synapse's
// index (`_values1(t, _syn)`), one value per synapse in Brian2's order of
// creation; the count is checked when the network is built. In on_pre and
// on_post, values from data are refused by name.
#pragma once

#include "diag/diagnostics.h"
#include "diag/source.h"
#include "ir/ir.h"

namespace snnc::passes {

void lift_arrays(ir::Model& m, const SourceManager& sources, Diagnostics& diag);
void check_array_lengths(const ir::Model& m, Diagnostics& diag);

} // namespace snnc::passes
