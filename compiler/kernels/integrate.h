// integrate: a group's differential equations -> the assignments of its
// state-update kernel, by Brian2's integration methods (stateupdaters/):
// euler, rk2, rk4, heun, milstein (explicit schemes, with noise),
// exponential_euler (conditionally linear equations) and exact (linear
// systems: closed form when uncoupled, matrix exponential when coupled with
// constant coefficients). Refractoriness comes first, as in Brian2:
// not_refractory is recomputed, and `(unless refractory)` variables are
// written only where it holds.
//
// With no method given, chooses as Brian2 does: exact if it applies, else
// euler, else heun; records the choice in Group::method. Reports a method
// that cannot integrate the equations with the variable and the reason.
#pragma once

#include "diag/diagnostics.h"
#include "ir/ir.h"
#include "kernels/kernel.h"

#include <functional>
#include <set>
#include <vector>

namespace snnc::kir {

using Kernelize = std::function<ir::ExprPtr(const ir::ExprPtr&)>;

// Appends the update assignments to `out`; false after a reported error.
// `stepwise`: timed arrays whose dt is a multiple of the clock's, so they are
// constant within a step (Brian2 then still allows `exact`).
bool integrate(ir::Group& g, const Kernelize& kernelize, std::vector<Assign>& out, double dt,
               const std::set<std::string>& stepwise, Diagnostics& diag);

// exp(M*dt) of a small dense matrix (row-major, n x n), by scaling and
// squaring of a Taylor series; accurate to a few ulps for the matrices of
// neuron models.
std::vector<double> matrix_exp(const std::vector<double>& m, int n, double dt);

} // namespace snnc::kir
