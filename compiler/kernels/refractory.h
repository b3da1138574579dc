// recompute_not_refractory: a group's not_refractory, recomputed where it is
// read instead of stored every step.
//
// Brian2's state update writes not_refractory = timestep(t - lastspike, dt)
// >= timestep(refractory, dt) for every neuron, every step, and the
// threshold, the reset and on_pre/on_post (conditional writes to
// `(unless refractory)` variables) read it later in the same step. Between
// the update and the end of the step it always equals that expression
// evaluated again: lastspike changes only at a spike (to t, so the
// expression is false, as the threshold's not_refractory = False) if the
// refractory period is at least one step. The stored array is then one more
// array streamed in and out every step for nothing (a fifth of the memory
// traffic of a CUBA neuron).
//
// Applies to a group whose refractory period is a number of at least one
// step, and whose not_refractory is read only by kernels of that part of
// the step (its update, threshold, step, reset, and on_pre/on_post of
// synapses), written only by its update, threshold and init, whose
// lastspike is written only by its threshold and init, and which no monitor
// records. Guarantees: such a group's kernels neither store nor load
// not_refractory after init; GroupKernels::derived computes it as it was at
// the end of the last step, for the runtime to fill the array when it is
// read from outside (results are the same bits as with the stored array).
#pragma once

#include "ir/ir.h"
#include "kernels/build.h"

namespace snnc::kir {

// Brian2's not_refractory for a refractory period `ref` (a kernel
// expression): timestep(t - lastspike, dt) >= timestep(ref, dt), written with
// the kernel function timestep_at_least (which needs no division per
// element), lastspike of the neuron on `side`.
ir::ExprPtr not_refractory_value(const ir::ExprPtr& ref, ir::Side side = ir::Side::own);

void recompute_not_refractory(const ir::Model& m, Module& mod);

} // namespace snnc::kir
