#include "codegen/cpp/emit_cpp.h"

#include "snn/abi.h"

#include "diag/diagnostics.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>
#include <sstream>

namespace snnc::codegen {

namespace {

using kir::Assign;
using kir::Kernel;
using kir::KernelKind;

struct Val {
  std::string code;
  bool boolean = false;
};

// A double literal that reads back exactly (parenthesised if negative,
// unless `bare`).
std::string literal(double v, bool bare = false) {
  if (std::isinf(v)) return v > 0 ? "INFINITY" : bare ? "-INFINITY" : "(-INFINITY)";
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".eni") == std::string::npos) s += ".0";
  return v < 0 && !bare ? "(" + s + ")" : s;
}

// A model's name as a C++ identifier of the kernel's: as it is, unless the
// kernel's code or C++ uses it.
std::string identifier(const std::string& name) {
  static const std::set<std::string> taken = {
      // the kernels' own names
      "a", "n", "t", "dt", "index", "iv", "count", "i", "j", "ipre", "ipost", "copies", "r",
      "number", "certain", "up", "span", "by", "gen_n", "k_gen", "valid", "sample", "sample_n",
      "log_q", "go", "prev", "position", "ratio", "jn", "INFINITY", "NAN",
      // functions they call
      "exp", "log", "log10", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "asin", "acos",
      "atan", "fabs", "floor", "ceil", "trunc", "fmin", "pow", "expm1", "log1p", "std",
      // C++ keywords and types that are not Python keywords
      "alignas", "alignof", "asm", "auto", "bool", "case", "catch", "char", "char16_t", "char32_t",
      "class", "const", "constexpr", "const_cast", "decltype", "default", "delete", "do", "double",
      "dynamic_cast", "enum", "explicit", "export", "extern", "float", "friend", "goto", "inline",
      "int", "long", "mutable", "namespace", "new", "noexcept", "nullptr", "operator", "private",
      "protected", "public", "register", "reinterpret_cast", "short", "signed", "sizeof", "static",
      "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
      "throw", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void",
      "volatile", "wchar_t", "int64_t", "int32_t", "uint64_t", "main", "and_eq", "bitand", "bitor",
      "compl", "not_eq", "or_eq", "xor", "xor_eq", "true", "false"};
  bool clash = taken.count(name) || name.empty() || name[0] == '_' || name.rfind("snn_", 0) == 0 ||
               name.rfind("var_", 0) == 0 || name.rfind("pre_", 0) == 0 ||
               name.rfind("post_", 0) == 0 || name.rfind("tmp", 0) == 0 ||
               (name.size() > 1 && name[0] == 'x' &&
                name.find_first_not_of("0123456789", 1) == std::string::npos);
  return clash ? "c_" + name : name;
}

class Writer {
public:
  std::string kernel(const Kernel& k) {
    k_ = &k;
    draw_ = 0;
    stream_ = "a->stream";
    temps_.clear();
    os_.str("");
    std::string ir = kir::to_string(k);
    os_ << "// " << kir::to_string(k.kind) << " kernel of " << k.object << ".\n";
    if (!k.source.empty()) {
      os_ << "// From the model:\n";
      for (const std::string& s : k.source)
        os_ << "//   " << s << '\n';
      os_ << "// As integrated and lowered by snnc:\n";
    }
    std::istringstream lines(ir);
    for (std::string l; std::getline(lines, l);)
      os_ << "//   " << l << '\n';
    os_ << "extern \"C\" void " << k.name << "(snn_kernel_args* a) {\n";
    line(1, "const int64_t n = a->n;");
    line(1, "const double t = a->t;");
    line(1, "const double dt = a->dt;");
    line(1, "(void)n; (void)t; (void)dt;");
    // The constants the kernel uses are declared here, once the body has
    // named them.
    std::string head = os_.str();
    os_.str("");
    named_.clear();
    declared_.clear();
    declarations_.clear();
    collect_used(k);
    number_.clear();
    arrays("vars", k.variables, "var_", ir::Side::own);
    arrays("pre_vars", k.pre_variables, "pre_", ir::Side::pre);
    arrays("post_vars", k.post_variables, "post_", ir::Side::post);
    if (k.kind == KernelKind::syn_connect && k.skip_ahead)
      skip_ahead(k);
    else
      loop(k);
    os_ << "}\n";
    std::string consts;
    for (const std::string& d : declarations_)
      consts += "  " + d + "\n";
    return head + consts + os_.str();
  }

private:
  void line(int indent, const std::string& s) { os_ << std::string(indent * 2, ' ') << s << '\n'; }

  // The state arrays the kernel reads or writes, by side.
  void collect_used(const Kernel& k) {
    used_.clear();
    auto expr = [&](const ir::ExprPtr& e) {
      if (!e) return;
      ir::visit(e, [&](const ir::ExprPtr& n) {
        if (n->kind == ir::ExprKind::name && n->ref == ir::NameRef::variable)
          used_.insert({n->target, n->side});
      });
    };
    auto assigns = [&](const std::vector<Assign>& as) {
      for (const Assign& a : as) {
        if (!a.temporary) used_.insert({a.target, a.side});
        expr(a.value);
        expr(a.condition);
      }
    };
    assigns(k.body);
    assigns(k.on_spike);
    kir::each_expression(k, expr);              // conditions, connect's p, n and generator
    for (const auto& [var, index] : k.gathered) // a linked variable's index
      if (used_.count({var, ir::Side::own})) used_.insert({index, ir::Side::own});
  }

  void arrays(const char* field, const std::vector<std::string>& names, const char* prefix,
              ir::Side side) {
    for (std::size_t s = 0; s < names.size(); ++s)
      if (used_.count({names[s], side}))
        line(1, fmt::format("double* const {}{} = a->{}[{}];", prefix, names[s], field, s));
  }

  std::string fresh() { return fmt::format("x{}", next_++); }

  // The name of a number that was a named constant or unit in the model,
  // declared once per kernel (`constexpr double VT = -0.0504; // -50.4*mV`):
  // the same value, so the same bits as the literal the JIT uses.
  std::string constant(const ir::Expr& e) {
    auto key = std::make_pair(e.origin, literal(e.number, true));
    if (auto it = named_.find(key); it != named_.end()) return it->second;
    std::string base = identifier(e.origin), name = base;
    for (int k = 2; declared_.count(name); ++k) // one name, two values (two objects' constants)
      name = fmt::format("{}_{}", base, k);
    declared_.insert(name);
    named_[key] = name;
    // The definition as a comment, unless it is a plain number.
    bool plain = e.origin_text.find_first_not_of("0123456789.e+-") == std::string::npos;
    declarations_.push_back(fmt::format("constexpr double {} = {};{}", name, key.second,
                                        plain ? "" : " // " + e.origin_text));
    return name;
  }

  // Binds `code` to a new local, so that operations happen in the order
  // they are written (as the LLVM backend's instructions do).
  std::string bind(int indent, const std::string& type, const std::string& code) {
    std::string name = fresh();
    line(indent, fmt::format("const {} {} = {};", type, name, code));
    return name;
  }

  std::string to_double(const Val& v) { return v.boolean ? "(double)(" + v.code + ")" : v.code; }
  std::string to_bool(const Val& v) { return v.boolean ? v.code : "(" + v.code + " != 0.0)"; }

  void loop(const Kernel& k) {
    std::string trip = k.kind == KernelKind::reset          ? "a->nspikes"
                       : k.kind == KernelKind::syn_selected ? "a->nselected"
                       : k.kind == KernelKind::syn_connect  ? "a->n_post"
                                                            : "n";
    bool spikes = k.kind == KernelKind::threshold || k.kind == KernelKind::step;
    bool counts = spikes || k.kind == KernelKind::syn_connect;
    if (counts) line(1, "int64_t count = 0;");
    gen_k_ = "";
    if (k.kind == KernelKind::syn_connect && k.gen_j) { // as the LLVM backend's generator
      presynaptic_neuron();
      auto index = [&](const ir::ExprPtr& e) {
        return bind(1, "int64_t", fmt::format("snn_int64_sat({})", to_double(expr(1, *e))));
      };
      std::string low = index(k.gen_low), high = index(k.gen_high), step = index(k.gen_step);
      line(1, fmt::format("const bool up = {} > 0;", step));
      line(1, fmt::format("const int64_t span = up ? {1} - {0} : {0} - {1};", low, high));
      line(1, fmt::format("const int64_t by = up ? {0} : -{0};", step));
      line(1, "const int64_t gen_n = span > 0 ? (span + by - 1) / by : 0;");
      trip = "gen_n";
      if (k.gen_size) { // sample(..., size = n): n offsets of the range, as the JIT
        std::string size = index(k.gen_size);
        if (k.skip_invalid) {
          line(1, fmt::format("const int64_t sample_n = {0} > gen_n ? gen_n : {0} < 0 ? 0 : {0};",
                              size));
        } else {
          line(1, fmt::format("if ({0} > gen_n || {0} < 0) {{", size));
          line(2, fmt::format("a->out[0] = (int32_t)({0} > INT32_MAX ? INT32_MAX : {0} < INT32_MIN "
                              "? INT32_MIN : {0});",
                              size));
          line(2, "a->out[1] = (int32_t)(gen_n > INT32_MAX ? INT32_MAX : gen_n);");
          line(2, "a->nout = -3;");
          line(2, "return;");
          line(1, "}");
          line(1, fmt::format("const int64_t sample_n = {};", size));
        }
        line(1, "const int64_t* sample = snn_sample(a->seed, a->stream, a->nselected, gen_n, "
                "sample_n);");
        trip = "sample_n";
      }
      gen_low_ = low;
      gen_step_ = step;
    }
    // Kernels over all elements start at a->first (one thread's part).
    line(1, fmt::format("for (int64_t iv = {}; iv < {}; ++iv) {{", trip == "n" ? "a->first" : "0",
                        trip));
    switch (k.kind) {
    case KernelKind::reset:
      line(2, "const int64_t index = a->spikes[iv];");
      break;
    case KernelKind::syn_selected:
      line(2, "const int64_t index = a->selected ? a->selected[iv] : a->selected_first + iv;");
      line(2, "if (a->part_index && (a->part_index[index] < a->part_lo || "
              "a->part_index[index] >= a->part_hi)) continue;");
      break;
    default:
      line(2, "const int64_t index = iv;");
      break;
    }
    line(2, "(void)index;");
    pre_ = post_ = i_ = j_ = number_ = "";
    if (k.kind == KernelKind::syn_all || k.kind == KernelKind::syn_selected) {
      line(2, "const int64_t ipre = a->pre_index[index];");
      line(2, "const int64_t ipost = a->post_index[index];");
      line(2, "const int64_t i = ipre - a->pre_offset;");
      line(2, "const int64_t j = ipost - a->post_offset;");
      line(2, "(void)ipre; (void)ipost; (void)i; (void)j;");
      // The synapse's number (random numbers, values from data): its index,
      // or its global index when the synapses are a process's part.
      line(2, "const int64_t number = a->global_index ? int64_t{a->global_index[index]} : index;");
      line(2, "(void)number;");
      pre_ = "ipre";
      post_ = "ipost";
      i_ = "i";
      j_ = "j";
      number_ = "number";
    } else if (k.kind == KernelKind::syn_connect && k.gen_j) {
      line(2, fmt::format("const int64_t k_gen = {} + {} * {};", gen_low_,
                          k.gen_size ? "sample[iv]" : "iv", gen_step_));
      gen_k_ = "k_gen";
      pre_ = "ipre";
      i_ = "i";
      std::string j =
          bind(2, "int64_t", fmt::format("snn_int64_sat({})", to_double(expr(2, *k.gen_j))));
      line(2, fmt::format("const bool valid = {0} >= 0 && {0} < a->n_post;", j));
      line(2, fmt::format("const int64_t j = valid ? {} : 0;", j));
      line(2, "const int64_t ipost = a->post_offset + j;");
      line(2, "(void)ipost;");
      post_ = "ipost";
      j_ = "j";
    } else if (k.kind == KernelKind::syn_connect) {
      line(2, "const int64_t i = a->nselected;");
      line(2, "const int64_t j = iv;");
      line(2, "const int64_t ipre = a->pre_offset + i;");
      line(2, "const int64_t ipost = a->post_offset + j;");
      line(2, "(void)ipre; (void)ipost; (void)i;");
      pre_ = "ipre";
      post_ = "ipost";
      i_ = "i";
      j_ = "j";
    } else {
      i_ = "index";
    }
    index_ = "index";
    for (const Assign& a : k.body)
      assign(2, a);
    if (spikes) {
      if (k.kind == KernelKind::step) { // the threshold's random numbers
        stream_ = fmt::format("{}u", k.condition_stream);
        draw_ = 0;
      }
      std::string cond = bind(2, "bool", to_bool(expr(2, *k.condition)));
      line(2, fmt::format("if ({}) {{", cond));
      line(3, "a->spikes[a->first + count++] = (int32_t)index;");
      for (const Assign& a : k.on_spike)
        assign(3, a);
      line(2, "}");
    } else if (k.kind == KernelKind::syn_connect) {
      connect(k);
    }
    line(1, "}");
    if (spikes) line(1, "a->nspikes = count;");
    if (k.kind == KernelKind::syn_connect) line(1, "a->nout = count;");
  }

  // As the LLVM backend: n synapses for the pair if the condition holds and,
  // with p < 1, rand() < p; the count becomes -1 (and stays) if `out` fills.
  void connect(const Kernel& k) {
    std::string take = bind(2, "bool", to_bool(expr(2, *k.condition)));
    std::string invalid;
    if (k.gen_j) {
      if (!k.skip_invalid)
        invalid = bind(2, "bool", k.condition_uses_j ? "!valid" : "!valid && " + take);
      take = bind(2, "bool", take + " && valid");
    }
    if (k.connect_p) {
      std::string p = bind(2, "double", to_double(expr(2, *k.connect_p)));
      std::string u = bind(2, "double", random("snn_rand"));
      take = bind(2, "bool", fmt::format("{} && ({} >= 1.0 || {} < {})", take, p, u, p));
    }
    std::string nn =
        k.connect_n
            ? bind(2, "int64_t", fmt::format("snn_int64_sat({})", to_double(expr(2, *k.connect_n))))
            : std::string("1");
    if (k.connect_n) // n < 1: no synapses, as in the JIT
      line(2, fmt::format("const int64_t copies = {} && {} > 0 ? {} : 0;", take, nn, nn));
    else
      line(2, fmt::format("const int64_t copies = {} ? 1 : 0;", take));
    line(2, "if (count < 0 || copies > a->nout - count) {");
    line(3, k.gen_j ? "if (count >= 0) count = -1; // -2 (an invalid j) stays" : "count = -1;");
    line(2, "} else {");
    line(3, "for (int64_t r = 0; r < copies; ++r) a->out[count + r] = (int32_t)j;");
    line(3, "count += copies;");
    line(2, "}");
    if (!invalid.empty()) line(2, fmt::format("if ({}) count = -2;", invalid));
  }

  // A connect kernel's i, before any j: the presynaptic neuron it connects.
  void presynaptic_neuron() {
    line(1, "const int64_t i = a->nselected;");
    line(1, "const int64_t ipre = a->pre_offset + i;");
    line(1, "(void)ipre;");
    pre_ = "ipre";
    post_ = j_ = "";
    i_ = "i";
    index_ = "0";
  }

  // As the LLVM backend's skip-ahead sampling.
  void skip_ahead(const Kernel& k) {
    presynaptic_neuron();
    std::string take = bind(1, "bool", to_bool(expr(1, *k.condition)));
    std::string p = bind(1, "double", to_double(expr(1, *k.connect_p)));
    std::string nn =
        k.connect_n
            ? bind(1, "int64_t", fmt::format("snn_int64_sat({})", to_double(expr(1, *k.connect_n))))
            : std::string("1");
    line(1, fmt::format("const bool certain = {} >= 1.0;", p));
    line(1, fmt::format("const double log_q = log(1.0 - {});", p));
    // A p so small that log(1 - p) is 0 makes no synapses, as in the JIT.
    line(1, fmt::format("const bool go = {} && {} > 0.0 && {} > 0 && (certain || log_q < 0.0) && "
                        "a->n_post > 0;",
                        take, p, nn));
    line(1, "int64_t count = 0;");
    line(1, "if (go) {");
    line(2, "for (int64_t prev = -1;;) {");
    line(3, "const int64_t position = prev + 1;");
    index_ = "position";
    std::string u = bind(3, "double", random("snn_rand"));
    line(3, fmt::format("const double ratio = log(1.0 - {}) / log_q;", u));
    line(3, "const int64_t jn = position + (certain ? 0 : (int64_t)floor(fmin(ratio, 4e18)));");
    line(3, "if (jn >= a->n_post) break;");
    line(3, fmt::format("if ({} > a->nout - count) {{ a->nout = -1; return; }}", nn));
    line(3, fmt::format("for (int64_t r = 0; r < {}; ++r) a->out[count + r] = (int32_t)jn;", nn));
    line(3, fmt::format("count += {};", nn));
    line(3, "prev = jn;");
    line(2, "}");
    line(1, "}");
    line(1, "a->nout = count;");
  }

  std::string element(const std::string& name, ir::Side side) {
    switch (side) {
    case ir::Side::pre:
      internal_check(!pre_.empty(), "C++ export: a presynaptic variable without a synapse");
      return fmt::format("pre_{}[{}]", name, pre_);
    case ir::Side::post:
      internal_check(!post_.empty(), "C++ export: a postsynaptic variable without a synapse");
      return fmt::format("post_{}[{}]", name, post_);
    case ir::Side::own:
      break;
    }
    const auto& one = k_->broadcast; // linked to a group of one neuron
    if (std::find(one.begin(), one.end(), name) != one.end()) return fmt::format("var_{}[0]", name);
    for (const auto& [var, index] : k_->gathered) // linked with an index
      if (var == name) return fmt::format("var_{}[(int64_t)var_{}[{}]]", name, index, index_);
    return fmt::format("var_{}[{}]", name, index_);
  }

  void assign(int indent, const Assign& a) {
    line(indent, fmt::format("// {}{} = {}",
                             a.condition ? "if " + ir::to_named_string(*a.condition) + ": " : "",
                             a.target, ir::to_named_string(*a.value)));
    scalar_ = a.scalar;
    Val v = expr(indent, *a.value);
    scalar_ = false;
    if (a.temporary) {
      std::string name = "tmp" + a.target;
      line(indent, fmt::format("const {} {} = {};", v.boolean ? "bool" : "double", name, v.code));
      temps_[a.target] = {name, v.boolean};
      return;
    }
    std::string target = element(a.target, a.side);
    std::string value = to_double(v);
    if (a.condition) {
      std::string val = bind(indent, "double", value);
      std::string old = bind(indent, "double", target);
      std::string cond = to_bool(expr(indent, *a.condition));
      line(indent, fmt::format("{} = {} ? {} : {};", target, cond, val, old));
    } else {
      line(indent, fmt::format("{} = {};", target, value));
    }
  }

  std::string random(const char* fn, const std::string& extra = "") {
    // A shared variable's value: drawn at one fixed element (as the JIT).
    return fmt::format("{}(a->seed, {}, a->step, {}, {}u{})", fn, stream_,
                       scalar_           ? "0"
                       : number_.empty() ? index_
                                         : number_,
                       draw_++, extra.empty() ? "" : ", " + extra);
  }

  // Each operand is bound to a local first, so evaluation (and random draw)
  // order is explicit and the same as the LLVM backend's.
  Val expr(int indent, const ir::Expr& e) {
    using ir::BinOp;
    using ir::ExprKind;
    switch (e.kind) {
    case ExprKind::number:
      return {e.origin.empty() ? literal(e.number) : constant(e), false};
    case ExprKind::boolean:
      return {e.number != 0 ? "true" : "false", true};
    case ExprKind::name:
      return name(e);
    case ExprKind::list:
      internal_check(false, "a list reached C++ export");
      break;
    case ExprKind::unary: {
      Val a = expr(indent, *e.args[0]);
      switch (e.unop) {
      case ir::UnOp::neg:
        return {"(-" + to_double(a) + ")", false};
      case ir::UnOp::plus:
        return a;
      case ir::UnOp::not_:
        return {"(!" + to_bool(a) + ")", true};
      }
      break;
    }
    case ExprKind::binary: {
      Val l = expr(indent, *e.args[0]);
      Val r = expr(indent, *e.args[1]);
      if (e.binop == BinOp::and_) return {"(" + to_bool(l) + " & " + to_bool(r) + ")", true};
      if (e.binop == BinOp::or_) return {"(" + to_bool(l) + " | " + to_bool(r) + ")", true};
      std::string x = to_double(l), y = to_double(r);
      switch (e.binop) {
      case BinOp::add:
        return {"(" + x + " + " + y + ")", false};
      case BinOp::sub:
        return {"(" + x + " - " + y + ")", false};
      case BinOp::mul:
        return {"(" + x + " * " + y + ")", false};
      case BinOp::div:
        return {"(" + x + " / " + y + ")", false};
      case BinOp::floordiv:
        return {"floor(" + x + " / " + y + ")", false};
      case BinOp::mod:
        return {"(" + x + " - floor(" + x + " / " + y + ") * " + y + ")", false};
      case BinOp::pow:
        return {"pow(" + x + ", " + y + ")", false};
      case BinOp::lt:
        return {"(" + x + " < " + y + ")", true};
      case BinOp::le:
        return {"(" + x + " <= " + y + ")", true};
      case BinOp::gt:
        return {"(" + x + " > " + y + ")", true};
      case BinOp::ge:
        return {"(" + x + " >= " + y + ")", true};
      case BinOp::eq:
        return {"(" + x + " == " + y + ")", true};
      case BinOp::ne:
        return {"(" + x + " != " + y + ")", true};
      default:
        break;
      }
      break;
    }
    case ExprKind::call:
      return call(indent, e);
    }
    internal_check(false, "unknown expression in C++ export");
    return {};
  }

  Val name(const ir::Expr& e) {
    switch (e.ref) {
    case ir::NameRef::variable:
      return {element(e.target, e.side), false};
    case ir::NameRef::temporary: {
      auto it = temps_.find(e.name);
      internal_check(it != temps_.end(), "C++ export: a temporary used before it is set");
      return it->second;
    }
    case ir::NameRef::builtin:
      if (e.name == "t") return {"t", false};
      if (e.name == "dt") return {"dt", false};
      if (e.name == "i") return {"(double)" + i_, false};
      if (e.name == "_syn") return {"(double)" + (number_.empty() ? index_ : number_), false};
      if (e.name == "j" && !j_.empty()) return {"(double)" + j_, false};
      if (e.name == "_k" && !gen_k_.empty()) return {"(double)" + gen_k_, false};
      if (e.name == "N") return {"(double)n", false};
      if (e.name == "N_pre") return {"(double)a->n_pre", false};
      if (e.name == "N_post") return {"(double)a->n_post", false};
      break;
    default:
      break;
    }
    internal_check(false, "C++ export: an unresolved name");
    return {};
  }

  Val call(int indent, const ir::Expr& e) {
    const std::string& fn = e.name;
    if (fn == "rand") return {random("snn_rand"), false};
    if (fn == "randn") return {random("snn_randn"), false};
    std::vector<std::string> a;
    for (const auto& arg : e.args)
      a.push_back(bind(indent, "double", to_double(expr(indent, *arg))));
    if (fn == "poisson") return {random("snn_poisson", a[0]), false};
    if (fn == "binomial") return {random("snn_binomial", a[0] + ", " + a[1]), false};
    static const std::map<std::string, std::string> direct = {
        {"exp", "snn_exp"}, {"log", "log"},     {"log10", "log10"}, {"sqrt", "sqrt"},
        {"sin", "sin"},     {"cos", "cos"},     {"abs", "fabs"},    {"floor", "floor"},
        {"ceil", "ceil"},   {"int", "trunc"},   {"tan", "tan"},     {"sinh", "sinh"},
        {"cosh", "cosh"},   {"tanh", "tanh"},   {"arcsin", "asin"}, {"arccos", "acos"},
        {"arctan", "atan"}, {"expm1", "expm1"}, {"log1p", "log1p"}};
    if (auto it = direct.find(fn); it != direct.end())
      return {it->second + "(" + a[0] + ")", false};
    if (fn == "exprel")
      return {fmt::format("({} == 0.0 ? 1.0 : expm1({}) / {})", a[0], a[0], a[0]), false};
    if (fn == "sign")
      return {fmt::format("((double)({} > 0.0) - (double)({} < 0.0))", a[0], a[0]), false};
    if (fn == "clip") {
      std::string lo =
          bind(indent, "double", fmt::format("{} < {} ? {} : {}", a[0], a[1], a[1], a[0]));
      return {fmt::format("({} > {} ? {} : {})", lo, a[2], a[2], lo), false};
    }
    if (fn == "timestep") return {fmt::format("(double)snn_timestep({}, {})", a[0], a[1]), false};
    if (fn == "timestep_at_least")
      return {fmt::format("({} + 1e-3 * {} >= snn_timestep_bound({}, {}))", a[0], a[1], a[2], a[1]),
              true};
    for (std::size_t s = 0; s < k_->timed.size(); ++s) {
      if (k_->timed[s] != fn) continue;
      if (a.size() == 1) return {fmt::format("snn_timed_1d(&a->timed[{}], {})", s, a[0]), false};
      return {fmt::format("snn_timed_2d(&a->timed[{}], {}, snn_column({}))", s, a[0], a[1]), false};
    }
    internal_check(false, "C++ export: an unknown function");
    return {};
  }

  const Kernel* k_ = nullptr;
  std::ostringstream os_;
  std::map<std::string, Val> temps_;
  std::set<std::pair<std::string, ir::Side>> used_;
  std::map<std::pair<std::string, std::string>, std::string> named_; // (origin, value) -> name
  std::set<std::string> declared_;
  std::vector<std::string> declarations_;
  std::string index_, pre_, post_, i_, j_, gen_k_, gen_low_, gen_step_, number_;
  bool scalar_ = false; // the value of a shared variable (Assign::scalar)
  unsigned draw_ = 0;
  std::string stream_ = "a->stream"; // the random stream of what is being emitted
  int next_ = 0;
};

} // namespace

std::string kernels_to_cpp(const std::vector<kir::Kernel>& kernels) {
  std::ostringstream os;
  os << "// Kernels generated by snnc from the model's equations and statements.\n"
        "// Build without fast-math and with -ffp-contract=off to get snnc run's results.\n"
        "#include \"snn/abi.h\"\n#include \"snn/vmath.h\"\n\n#include <cmath>\n#include "
        "<cstdint>\n\n"
        "using std::exp; using std::log; using std::floor; using std::fmin; using std::pow;\n\n"
     << "static_assert(SNN_ABI_VERSION == " << SNN_ABI_VERSION
     << ", \"these kernels were generated for another version of snnc's runtime ABI\");\n\n";
  Writer w;
  // As the JIT: structurally identical kernels share the first one's code.
  const std::vector<std::size_t> code = kir::shared_code(kernels);
  for (std::size_t i = 0; i < kernels.size(); ++i) {
    const kir::Kernel& k = kernels[i];
    if (code[i] == i) {
      os << w.kernel(k) << '\n';
      continue;
    }
    const std::string& first = kernels[code[i]].name;
    os << fmt::format("// kernel {} ({} of {}): the same code as {}\n", k.name,
                      kir::to_string(k.kind), k.object, first)
       << fmt::format("extern \"C\" void {}(snn_kernel_args* a) {{ {}(a); }}\n\n", k.name, first);
  }
  return os.str();
}

} // namespace snnc::codegen
