#include "ir/expr.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <sstream>

namespace snnc::ir {

static ExprPtr node(ExprKind k, SourceLoc loc) {
  auto e = std::make_shared<Expr>();
  e->kind = k;
  e->loc = loc;
  return e;
}

void update_shape(Expr& e) {
  int d = 0;
  std::int64_t n = 1;
  for (const ExprPtr& a : e.args) {
    d = std::max(d, a->depth);
    n = a->size > INT64_MAX - n ? INT64_MAX : n + a->size;
  }
  e.depth = d + 1;
  e.size = n;
}

ExprPtr make_number(double v, bool integer, SourceLoc loc) {
  auto e = node(ExprKind::number, loc);
  e->number = v;
  e->integer_literal = integer;
  e->type = integer ? ValueType::integer : ValueType::float_;
  return e;
}
ExprPtr make_bool(bool v, SourceLoc loc) {
  auto e = node(ExprKind::boolean, loc);
  e->number = v ? 1 : 0;
  e->type = ValueType::boolean;
  return e;
}
ExprPtr make_name(std::string name, SourceLoc loc) {
  auto e = node(ExprKind::name, loc);
  e->name = std::move(name);
  return e;
}
ExprPtr make_kept_temporary(std::string name, std::string target, ExprPtr value, SourceLoc loc) {
  auto e = make_name(std::move(name), loc);
  e->ref = NameRef::temporary;
  e->target = std::move(target);
  e->args = {std::move(value)};
  update_shape(*e);
  return e;
}
bool is_random_call(const Expr& e) {
  return e.kind == ExprKind::call &&
         (e.name == "rand" || e.name == "randn" || e.name == "poisson" || e.name == "binomial");
}
ExprPtr make_unary(UnOp op, ExprPtr a, SourceLoc loc) {
  auto e = node(ExprKind::unary, loc);
  e->unop = op;
  e->args.push_back(std::move(a));
  update_shape(*e);
  return e;
}
ExprPtr make_binary(BinOp op, ExprPtr a, ExprPtr b, SourceLoc loc) {
  auto e = node(ExprKind::binary, loc);
  e->binop = op;
  e->args.push_back(std::move(a));
  e->args.push_back(std::move(b));
  update_shape(*e);
  return e;
}
ExprPtr make_call(std::string fn, std::vector<ExprPtr> args, SourceLoc loc) {
  auto e = node(ExprKind::call, loc);
  e->name = std::move(fn);
  e->args = std::move(args);
  update_shape(*e);
  return e;
}
ExprPtr make_list(std::vector<ExprPtr> elems, SourceLoc loc) {
  auto e = node(ExprKind::list, loc);
  e->args = std::move(elems);
  update_shape(*e);
  return e;
}

SourceLoc start_of(const Expr& e) {
  if (e.kind == ExprKind::binary) return start_of(*e.args[0]);
  return e.loc;
}

const char* to_string(UnOp op) {
  switch (op) {
  case UnOp::neg:
    return "-";
  case UnOp::plus:
    return "+";
  case UnOp::not_:
    return "not ";
  }
  return "?";
}

const char* to_string(BinOp op) {
  switch (op) {
  case BinOp::add:
    return "+";
  case BinOp::sub:
    return "-";
  case BinOp::mul:
    return "*";
  case BinOp::div:
    return "/";
  case BinOp::floordiv:
    return "//";
  case BinOp::mod:
    return "%";
  case BinOp::pow:
    return "**";
  case BinOp::lt:
    return "<";
  case BinOp::le:
    return "<=";
  case BinOp::gt:
    return ">";
  case BinOp::ge:
    return ">=";
  case BinOp::eq:
    return "==";
  case BinOp::ne:
    return "!=";
  case BinOp::and_:
    return "and";
  case BinOp::or_:
    return "or";
  }
  return "?";
}

// Python's precedence levels; unary minus/plus is 7, `not` is 3.
int precedence(BinOp op) {
  switch (op) {
  case BinOp::or_:
    return 1;
  case BinOp::and_:
    return 2;
  case BinOp::lt:
  case BinOp::le:
  case BinOp::gt:
  case BinOp::ge:
  case BinOp::eq:
  case BinOp::ne:
    return 4;
  case BinOp::add:
  case BinOp::sub:
    return 5;
  case BinOp::mul:
  case BinOp::div:
  case BinOp::floordiv:
  case BinOp::mod:
    return 6;
  case BinOp::pow:
    return 8;
  }
  return 0;
}

static int precedence(const Expr& e) {
  switch (e.kind) {
  case ExprKind::binary:
    return precedence(e.binop);
  case ExprKind::unary:
    return e.unop == UnOp::not_ ? 3 : 7;
  default:
    return 10;
  }
}

// Integers as written; other numbers as the shortest text that reads back
// as the same double, always with a '.' or exponent so they stay floats.
static std::string format_number(double v, bool integer) {
  if (integer && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".eni") == std::string::npos) s += ".0";
  return s;
}

static void print(std::ostream& os, const Expr& e, bool named = false);

static void print_child(std::ostream& os, const Expr& child, int parent_prec, bool right,
                        bool right_assoc, bool named) {
  int p = precedence(child);
  bool paren = p < parent_prec || (p == parent_prec && (right != right_assoc));
  if (paren) os << '(';
  print(os, child, named);
  if (paren) os << ')';
}

static void print(std::ostream& os, const Expr& e, bool named) {
  switch (e.kind) {
  case ExprKind::number:
    if (named && !e.origin.empty())
      os << e.origin;
    else
      os << format_number(e.number, e.integer_literal);
    break;
  case ExprKind::boolean:
    os << (e.number != 0 ? "True" : "False");
    break;
  case ExprKind::name:
    os << e.name;
    break;
  case ExprKind::unary:
    os << to_string(e.unop);
    // `-x**2` needs no parentheses, `-(a+b)` does.
    print_child(os, *e.args[0], precedence(e), true, true, named);
    break;
  case ExprKind::binary: {
    int p = precedence(e.binop);
    bool right_assoc = e.binop == BinOp::pow;
    // In `a ** -b` the exponent is a unary: Python accepts it bare.
    print_child(os, *e.args[0], p, false, right_assoc, named);
    if (e.binop == BinOp::pow || e.binop == BinOp::mul || e.binop == BinOp::div ||
        e.binop == BinOp::floordiv || e.binop == BinOp::mod)
      os << to_string(e.binop);
    else
      os << ' ' << to_string(e.binop) << ' ';
    const Expr& rhs = *e.args[1];
    bool negative = (rhs.kind == ExprKind::number && std::signbit(rhs.number) &&
                     !(named && !rhs.origin.empty())) ||
                    (rhs.kind == ExprKind::unary && rhs.unop == UnOp::neg);
    if (e.binop == BinOp::pow && rhs.kind == ExprKind::unary && rhs.unop != UnOp::not_) {
      print(os, rhs, named);
    } else if (negative && (e.binop == BinOp::add || e.binop == BinOp::sub)) {
      // `v - (-0.063)`, not `v - -0.063`.
      os << '(';
      print(os, rhs, named);
      os << ')';
    } else
      print_child(os, rhs, p, true, right_assoc, named);
    break;
  }
  case ExprKind::call:
  case ExprKind::list: {
    if (e.kind == ExprKind::call)
      os << e.name << '(' << (e.path.empty() ? "" : "\"" + e.path + "\"");
    else
      os << '[';
    for (std::size_t k = 0; k < e.args.size(); ++k) {
      if (k) os << ", ";
      print(os, *e.args[k], named);
    }
    os << (e.kind == ExprKind::call ? ')' : ']');
    break;
  }
  }
}

std::string to_string(const Expr& e) {
  std::ostringstream os;
  print(os, e);
  return os.str();
}

std::string to_string(const ExprPtr& e) {
  return e ? to_string(*e) : std::string("<null>");
}

std::string to_named_string(const Expr& e) {
  std::ostringstream os;
  print(os, e, true);
  return os.str();
}

const char* to_string(AssignOp op) {
  switch (op) {
  case AssignOp::set:
    return "=";
  case AssignOp::add:
    return "+=";
  case AssignOp::sub:
    return "-=";
  case AssignOp::mul:
    return "*=";
  case AssignOp::div:
    return "/=";
  }
  return "?";
}

std::string to_string(const Statement& s) {
  std::string out;
  if (!s.object.empty()) {
    out = s.object;
    if (s.sliced()) out += "[" + to_string(s.start_expr) + ":" + to_string(s.stop_expr) + "]";
    out += ".";
  }
  out += s.var;
  out += ' ';
  out += to_string(s.op);
  out += ' ';
  out += to_string(s.value);
  return out;
}

} // namespace snnc::ir
