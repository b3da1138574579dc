// Expressions and statements of the IR (Brian2's expression language).
//
// The parser builds these trees; later passes fill in what a name refers to
// (`ref`, `side`, `target`) and the dimension and value type of every node.
// One tagged struct rather than a class hierarchy: passes switch on `kind`.
#pragma once

#include "diag/source.h"
#include "units/dimension.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace snnc::ir {

using units::Dimension;

enum class ExprKind { number, boolean, name, unary, binary, call, list };

enum class UnOp { neg, plus, not_ };
enum class BinOp { add, sub, mul, div, floordiv, mod, pow, lt, le, gt, ge, eq, ne, and_, or_ };

// What a name refers to, once resolved.
enum class NameRef {
  unresolved,
  constant,  // a `const` (global or of the object): folded to its value
  variable,  // a state variable or parameter of a group / synapse object
  subexpr,   // a subexpression, evaluated where used
  builtin,   // t, dt, i, j, N, N_incoming, N_outgoing, lastspike, not_refractory, lastupdate
  unit,      // a physical unit name
  noise,     // xi, xi_*: white noise, dimension second**-0.5
  temporary, // a kernel's temporary (after integration)
};

// For names in synapses: which object the name belongs to.
enum class Side { own, pre, post };

// The value type of an expression, as Brian2 distinguishes them.
enum class ValueType { float_, integer, boolean };

struct Expr;
using ExprPtr = std::shared_ptr<Expr>;

struct Expr {
  ExprKind kind = ExprKind::number;
  SourceLoc loc;

  double number = 0; // number, boolean (0/1)
  bool integer_literal = false;
  // A number that was a named constant, a unit, pi or e in the model (set
  // when kernels are built): that name, and a constant's definition as
  // written, so that exported code can name it. The value is `number`.
  std::string origin, origin_text;
  std::string name; // name, call (function name)
  std::string path; // the file of a load("...") call (lift_arrays reads it)
  UnOp unop = UnOp::neg;
  BinOp binop = BinOp::add;
  std::vector<ExprPtr> args; // operands, call arguments, list elements
  // Levels of this tree (1 for a leaf) and its nodes (shared subtrees
  // counted each time they occur): set by the make_* functions, and by
  // update_shape after args change. Recursive passes rely on their bounds.
  int depth = 1;
  std::int64_t size = 1;

  // Filled in by resolve_names.
  NameRef ref = NameRef::unresolved;
  Side side = Side::own;
  std::string target; // the referenced variable/constant without _pre/_post

  // Filled in by check_units.
  Dimension dim;
  ValueType type = ValueType::float_;
  bool checked = false;
};

// The deepest expression the compiler takes: the parser refuses deeper
// ones, and so does the inlining of subexpressions, so that the recursive
// passes (and the trees' destructors) stay well within the stack.
inline constexpr int kMaxExprDepth = 1000;
// The most nodes an expression may have once its subexpressions are inlined
// (`s2 = s1 + s1`, `s3 = s2 + s2`, ... doubles at each step).
inline constexpr std::int64_t kMaxInlinedSize = 200000;

// Sets e.depth and e.size from its arguments'.
void update_shape(Expr& e);

ExprPtr make_number(double v, bool integer, SourceLoc loc);
ExprPtr make_bool(bool v, SourceLoc loc);
ExprPtr make_name(std::string name, SourceLoc loc);
ExprPtr make_unary(UnOp op, ExprPtr a, SourceLoc loc);
ExprPtr make_binary(BinOp op, ExprPtr a, ExprPtr b, SourceLoc loc);
ExprPtr make_call(std::string fn, std::vector<ExprPtr> args, SourceLoc loc);
ExprPtr make_list(std::vector<ExprPtr> elems, SourceLoc loc);
// A use of a temporary computed once as a value of the kernel (written
// `name`, `target` in the kernel): NameRef::temporary, its one argument the
// value (so that passes can type it; kernels read the temporary instead).
ExprPtr make_kept_temporary(std::string name, std::string target, ExprPtr value, SourceLoc loc);
// Whether `e` is a call that draws random numbers: rand(), randn(),
// poisson(...), binomial(...).
bool is_random_call(const Expr& e);

const char* to_string(UnOp op);
const char* to_string(BinOp op);
int precedence(BinOp op);
// Canonical text, with the minimal parentheses (Brian2/Python precedence).
std::string to_string(const Expr& e);
std::string to_string(const ExprPtr& e);
// The same, with numbers that were named constants or units written as
// their names (Expr::origin).
std::string to_named_string(const Expr& e);

// Where the expression's text starts (a binary node's own loc is its operator).
SourceLoc start_of(const Expr& e);
inline SourceLoc start_of(const ExprPtr& e) {
  return start_of(*e);
}

// Calls `f` on every node of the tree, parents before children.
template <class F> void visit(const ExprPtr& e, F&& f) {
  if (!e) return;
  f(e);
  for (const ExprPtr& a : e->args)
    visit(a, f);
}

// `e` with each node for which `f` gives an expression replaced by it (that
// node's arguments are not visited); unchanged parts are shared, not copied.
template <class F> ExprPtr rewrite(const ExprPtr& e, const F& f) {
  if (!e) return e;
  if (ExprPtr r = f(e)) return r;
  ExprPtr copy;
  for (std::size_t k = 0; k < e->args.size(); ++k) {
    ExprPtr a = rewrite(e->args[k], f);
    if (a == e->args[k]) continue;
    if (!copy) copy = std::make_shared<Expr>(*e);
    copy->args[k] = a;
  }
  if (!copy) return e;
  update_shape(*copy);
  return copy;
}

enum class AssignOp { set, add, sub, mul, div };
const char* to_string(AssignOp op);

// `x = e`, `x += e`, ...; `object` is set for `group.var = e` outside a group.
struct Statement {
  SourceLoc loc;
  std::string object;
  SourceLoc object_loc;
  std::string var;
  SourceLoc var_loc;
  AssignOp op = AssignOp::set;
  ExprPtr value;
  // `P[a:b].x = ...` (at top level and in events): neurons a to b-1 only,
  // where i counts from a and N is b - a, as in a Brian2 subgroup.
  ExprPtr start_expr, stop_expr;    // null unless sliced
  std::int64_t start = 0, stop = 0; // filled by fold_constants
  bool sliced() const { return start_expr != nullptr; }

  // Filled in by resolve_names: the variable assigned and its side.
  Side side = Side::own;
  std::string target;

  // A temporary kept as a value of the kernel (inline_temporaries: one used
  // after a variable its value reads was changed). `var` is its name,
  // `target` its name in the kernel; uses of it are names with NameRef::temporary
  // and that target, whose one argument is this value (for the passes that
  // type them).
  bool temporary = false;
};

std::string to_string(const Statement& s);

} // namespace snnc::ir
