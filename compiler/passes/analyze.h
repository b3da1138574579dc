// Expression analysis shared by the passes: the dimension and value type of
// an expression by Brian2's rules (brian2/parsing/expressions.py), and its
// value when every leaf is a compile-time constant.
//
// Leaves (names) are looked up through a callback, so the same rules serve
// constant folding (leaves: constants and units) and unit checking (leaves:
// resolved variables, built-ins, constants, units).
#pragma once

#include "diag/diagnostics.h"
#include "ir/expr.h"

#include <functional>
#include <optional>
#include <string>

namespace snnc::passes {

struct Typed {
  ir::Dimension dim;
  ir::ValueType type = ir::ValueType::float_;
  bool constant = false; // value is known at compile time
  double value = 0;
};

// Returns the leaf's type, or reports an error and returns nullopt.
using LeafFn = std::function<std::optional<Typed>(ir::Expr&)>;
// Timed array calls: the unit of `name`'s values and whether it is 2-D
// (called as name(t, i)), or nullopt if `name` is not a timed array.
struct TimedInfo {
  ir::Dimension dim;
  bool two_d = false;
  bool shape_known = true; // false for arrays loaded from files at run time
};
using TimedFn = std::function<std::optional<TimedInfo>(const std::string&)>;

struct AnalyzeOptions {
  LeafFn leaf;
  TimedFn timed;
  bool allow_random = true;             // rand(), randn(), poisson()
  const char* random_context = nullptr; // why random is not allowed, for the message
};

// Analyzes `e` and records dim/type on every node. Reports errors; returns
// nullopt if any.
std::optional<Typed> analyze(const ir::ExprPtr& e, const AnalyzeOptions& opts, Diagnostics& diag);

// Names of the functions known to expressions (for "did you mean").
const std::vector<std::string>& function_names();
bool is_function(const std::string& name);

// Built-in numeric constants: pi, e, inf (as in Brian2).
std::optional<double> builtin_constant(const std::string& name);

// "volt / second" or "1" for dimensionless, as Brian2 prints units.
std::string unit_name(const ir::Dimension& d);

} // namespace snnc::passes
