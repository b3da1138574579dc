// The Spirit X3 grammar of the model language (the only translation unit that
// includes Spirit). Rules build syntax-tree nodes directly through semantic
// actions; every node gets the SourceLoc of its first character through the
// logical line's location map. Errors: expectation failures and errors thrown
// by actions become `file:line:col: error: expected ...` diagnostics.
//
// Expression precedence is Python's (Brian2's): or < and < not < comparison
// < + - < * / // % < unary - + < ** (right associative).
#include "parse/grammar.h"

#include <boost/spirit/home/x3.hpp>
#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

namespace snnc::parse {

namespace x3 = boost::spirit::x3;
namespace fusion = boost::fusion;
using Iter = std::string::const_iterator;
using ir::ExprPtr;

namespace {

// What the actions need to turn iterators into source locations.
struct LineContext {
  const Line* line;
  Iter begin;
};
struct line_tag;

// An error raised inside an action, at an offset of the line.
struct ActionError {
  Iter where;
  std::string message;
  std::optional<SourceLoc> loc = std::nullopt; // overrides `where` when set
};

template <class Ctx> SourceLoc loc_of(const Ctx& ctx, Iter it) {
  const LineContext* lc = x3::get<line_tag>(ctx);
  const std::string& text = lc->line->text;
  std::size_t off = static_cast<std::size_t>(it - lc->begin);
  while (off < text.size() && text[off] == ' ')
    ++off;
  return lc->line->loc_at(off);
}

// X3's _where() is the rest of the input, not the match: parsers that need
// their own position capture it with `pos` (the next token's start) or
// x3::raw[...], and actions read it from their attribute.
using Range = boost::iterator_range<Iter>;

// ---- small generic actions ----------------------------------------------

template <class M> auto set(M member) {
  return [member](auto& ctx) { x3::_val(ctx).*member = std::move(x3::_attr(ctx)); };
}
template <class M> auto push(M member) {
  return [member](auto& ctx) { (x3::_val(ctx).*member).push_back(std::move(x3::_attr(ctx))); };
}
template <class M> auto set_loc(M member) {
  return [member](auto& ctx) { x3::_val(ctx).*member = loc_of(ctx, x3::_attr(ctx).begin()); };
}
const auto assign = [](auto& ctx) { x3::_val(ctx) = std::move(x3::_attr(ctx)); };

// `as<T>(name, p)`: p with its attribute forced to T (alternatives of one
// type would otherwise give a variant).
template <class T, class P> auto as(const char* name, P p) {
  return x3::rule<struct as_id, T>{name} = x3::as_parser(p);
}

auto kw(const char* word) {
  return x3::lexeme[x3::lit(word) >> !(x3::alnum | '_')];
}
// `p` with its matched text (its position) as attribute.
template <class P> auto located(const char* name, P p) {
  return as<Range>(name, x3::raw[p]);
}
// A keyword whose attribute is its position in the text.
auto kwpos(const char* word) {
  return located(word, kw(word));
}
// The position of the next token.
auto const pos = located("position", x3::eps);

// `nested[p]`: p one level deeper in the parser's recursion. Brackets, calls
// and lists inside each other, and chains of unary operators, 'not' and
// '**', each nest a level; deeper input is an error, not a stack overflow
// (Python's parser has such a limit too).
constexpr int kMaxNesting = 200;
thread_local int g_nesting = 0;

template <class Subject>
struct nesting_parser : x3::unary_parser<Subject, nesting_parser<Subject>> {
  using base_type = x3::unary_parser<Subject, nesting_parser<Subject>>;
  static bool const is_pass_through_unary = true;
  constexpr nesting_parser(const Subject& subject) : base_type(subject) {}
  template <class It, class Ctx, class RCtx, class Attr>
  bool parse(It& first, const It& last, const Ctx& ctx, RCtx& rctx, Attr& attr) const {
    // Entered eagerly (an alternative tries its first token here): a level
    // beyond the limit is an error only once inside it.
    if (g_nesting > kMaxNesting) {
      Iter at = first;
      while (at != last && *at == ' ')
        ++at;
      throw ActionError{at, fmt::format("this expression is nested more than {} levels deep "
                                        "(brackets, calls, lists, signs, 'not' or '**'); split "
                                        "it with subexpressions",
                                        kMaxNesting)};
    }
    ++g_nesting;
    struct Leave {
      ~Leave() { --g_nesting; }
    } leave;
    return this->subject.parse(first, last, ctx, rctx, attr);
  }
};
struct nesting_gen {
  template <class Subject>
  constexpr nesting_parser<typename x3::extension::as_parser<Subject>::value_type>
  operator[](const Subject& subject) const {
    return {x3::as_parser(subject)};
  }
};
constexpr nesting_gen nested{};

// ---- rules ----------------------------------------------------------------

x3::rule<class ident_raw_id, std::string> const ident_raw = "identifier";
x3::rule<class ident_id, ast::Ident> const ident = "identifier";
x3::rule<class string_id, std::string> const string_lit = "string";
x3::rule<class number_id, ExprPtr> const number = "number";
x3::rule<class expr_id, ExprPtr> const expr = "expression";
x3::rule<class or_id, ExprPtr> const or_expr = "expression";
x3::rule<class and_id, ExprPtr> const and_expr = "expression";
x3::rule<class not_id, ExprPtr> const not_expr = "expression";
x3::rule<class cmp_id, ExprPtr> const comparison = "expression";
x3::rule<class arith_id, ExprPtr> const arith = "expression";
x3::rule<class term_id, ExprPtr> const term = "expression";
x3::rule<class factor_id, ExprPtr> const factor = "expression";
x3::rule<class power_id, ExprPtr> const power = "expression";
x3::rule<class primary_id, ExprPtr> const primary = "expression";
x3::rule<class call_id, ExprPtr> const call = "function call";
x3::rule<class list_id, ExprPtr> const list = "list";
x3::rule<class unit_id, ExprPtr> const unit_expr = "unit";
x3::rule<class unit_term_id, ExprPtr> const unit_term = "unit";
x3::rule<class signed_number_id, ExprPtr> const signed_number = "number";
x3::rule<class kwarg_id, ast::KeywordArg> const kwarg = "keyword argument";
x3::rule<class load_id, ast::Load> const load_call = "load(...)";
x3::rule<class load_value_id, ExprPtr> const load_value = "load(...)";
x3::rule<class args_id, ast::Args> const args = "arguments";
x3::rule<class statement_id, ir::Statement> const statement = "statement";
x3::rule<class statements_id, std::vector<ir::Statement>> const statements = "statements";
x3::rule<class flag_id, ast::Ident> const flag = "flag";
x3::rule<class equation_id, ast::Equation> const equation = "equation";
x3::rule<class group_ref_id, ast::GroupRef> const group_ref = "group";
x3::rule<class connect_item_id, ast::ConnectItem> const connect_item = "connect rule";
x3::rule<class connect_id, std::vector<ast::ConnectItem>> const connect = "connect rules";
x3::rule<class const_id, ast::Const> const const_decl = "const declaration";
x3::rule<class import_id, ast::Import> const import_decl = "import";
x3::rule<class setting_id, ast::Setting> const setting = "setting";
x3::rule<class template_id, ast::Template> const template_header = "template header";
x3::rule<class neurons_id, ast::Neurons> const neurons_header = "neurons declaration";
x3::rule<class synapses_id, ast::Synapses> const synapses_header = "synapses declaration";
x3::rule<class poisson_id, ast::Poisson> const poisson_decl = "poisson declaration";
x3::rule<class poisson_input_id, ast::PoissonInput> const poisson_input_decl =
    "poisson_input declaration";
x3::rule<class spikes_id, ast::Spikes> const spikes_decl = "spikes declaration";
x3::rule<class timed_id, ast::Timed> const timed_decl = "timed declaration";
x3::rule<class mon_target_id, ast::MonitorTarget> const monitor_target = "monitor target";
x3::rule<class monitor_id, ast::Monitor> const monitor_decl = "monitor declaration";
x3::rule<class event_id, ast::Event> const event_header = "event header";
x3::rule<class run_id, ast::Run> const run_stmt = "run";
x3::rule<class block_key_id, ast::Ident> const block_key = "block name";

// ---- lexical ----------------------------------------------------------------

auto const reserved = kw("and") | kw("or") | kw("not") | kw("True") | kw("False");

auto const ident_raw_def =
    !reserved >> x3::raw[x3::lexeme[(x3::alpha | '_') >> *(x3::alnum | '_')]];

auto const make_ident = [](auto& ctx) {
  auto& r = x3::_attr(ctx);
  x3::_val(ctx) = ast::Ident{std::string(r.begin(), r.end()), loc_of(ctx, r.begin())};
};
auto const ident_def =
    (!reserved >> x3::raw[x3::lexeme[(x3::alpha | '_') >> *(x3::alnum | '_')]])[make_ident];

auto const string_lit_def = x3::lexeme['"' > *(x3::char_ - '"') > '"'];

auto const make_number = [](auto& ctx) {
  auto& r = x3::_attr(ctx);
  std::string s(r.begin(), r.end());
  bool integer = s.find_first_of(".eE") == std::string::npos;
  x3::_val(ctx) = ir::make_number(std::strtod(s.c_str(), nullptr), integer, loc_of(ctx, r.begin()));
};
auto const digits = +x3::digit;
auto const number_def =
    x3::raw[x3::lexeme[(digits >> -('.' >> *x3::digit) | '.' >> digits) >>
                       -(x3::char_("eE") >> -x3::char_("+-") >> digits) >> !(x3::alnum | '_')]]
           [make_number];

// A number glued to a name (`2mV`): Brian2 needs an explicit `*`.
auto const glued_unit = [](auto& ctx) {
  auto& r = x3::_attr(ctx);
  std::string s(r.begin(), r.end());
  std::size_t k = s.find_first_not_of("0123456789.");
  throw ActionError{r.begin(), fmt::format("a number and a name must be joined by '*': write "
                                           "'{}*{}'",
                                           s.substr(0, k), s.substr(k))};
};
auto const glued = x3::raw[x3::lexeme[(digits >> -('.' >> *x3::digit) | '.' >> digits) >>
                                      (x3::alpha | '_') >> *(x3::alnum | '_')]][glued_unit];

// ---- expressions ------------------------------------------------------------

struct cmp_ops_ : x3::symbols<ir::BinOp> {
  cmp_ops_() {
    add("<", ir::BinOp::lt)("<=", ir::BinOp::le)(">", ir::BinOp::gt)(">=", ir::BinOp::ge)(
        "==", ir::BinOp::eq)("!=", ir::BinOp::ne);
  }
} const cmp_ops;

auto const add_op = as<ir::BinOp>("operator", ('+' >> x3::attr(ir::BinOp::add)) |
                                                  ('-' >> x3::attr(ir::BinOp::sub)));
auto const mul_op =
    as<ir::BinOp>("operator", (x3::lit("//") >> x3::attr(ir::BinOp::floordiv)) |
                                  ('/' >> x3::attr(ir::BinOp::div)) |
                                  (x3::lit('*') >> !x3::lit('*') >> x3::attr(ir::BinOp::mul)) |
                                  ('%' >> x3::attr(ir::BinOp::mod)));

// A node an action built, refused if its tree is now deeper than the
// compiler takes (a chain of a thousand operators, say).
ExprPtr within_depth(ExprPtr e) {
  if (e->depth > ir::kMaxExprDepth)
    throw ActionError{{},
                      fmt::format("this expression is more than {} operations deep; split it "
                                  "with subexpressions",
                                  ir::kMaxExprDepth),
                      e->loc};
  return e;
}

// _val = _val op rhs, located at the operator: attribute (position, op, rhs).
auto const fold = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  x3::_val(ctx) = within_depth(ir::make_binary(fusion::at_c<1>(a), std::move(x3::_val(ctx)),
                                               std::move(fusion::at_c<2>(a)),
                                               loc_of(ctx, fusion::at_c<0>(a).begin())));
};
// The same for a fixed operator: attribute (operator text, rhs).
template <ir::BinOp Op> auto fold_op() {
  return [](auto& ctx) {
    auto& a = x3::_attr(ctx);
    x3::_val(ctx) =
        within_depth(ir::make_binary(Op, std::move(x3::_val(ctx)), std::move(fusion::at_c<1>(a)),
                                     loc_of(ctx, fusion::at_c<0>(a).begin())));
  };
}
// Attribute (operator text, operand).
template <ir::UnOp Op> auto unary() {
  return [](auto& ctx) {
    auto& a = x3::_attr(ctx);
    x3::_val(ctx) = within_depth(
        ir::make_unary(Op, std::move(fusion::at_c<1>(a)), loc_of(ctx, fusion::at_c<0>(a).begin())));
  };
}

auto const expr_def = or_expr[assign];
auto const or_expr_def = and_expr[assign] >> *((kwpos("or") > and_expr)[fold_op<ir::BinOp::or_>()]);
auto const and_expr_def = not_expr[assign] >>
                          *((kwpos("and") > not_expr)[fold_op<ir::BinOp::and_>()]);
auto const not_expr_def =
    nested[(kwpos("not") > not_expr)[unary<ir::UnOp::not_>()]] | comparison[assign];
auto const comparison_def = arith[assign] >> -((pos >> cmp_ops > arith)[fold]);
auto const arith_def = term[assign] >> *((pos >> add_op > term)[fold]);
auto const term_def = factor[assign] >> *((pos >> mul_op > factor)[fold]);
auto const factor_def = nested[(located("'-'", x3::lit('-')) > factor)[unary<ir::UnOp::neg>()]] |
                        nested[(located("'+'", x3::lit('+')) > factor)[unary<ir::UnOp::plus>()]] |
                        power[assign];
auto const power_def =
    primary[assign] >>
    -nested[(located("'**'", x3::lit("**")) > factor)[fold_op<ir::BinOp::pow>()]];

auto const make_true = [](auto& ctx) {
  x3::_val(ctx) = ir::make_bool(true, loc_of(ctx, x3::_attr(ctx).begin()));
};
auto const make_false = [](auto& ctx) {
  x3::_val(ctx) = ir::make_bool(false, loc_of(ctx, x3::_attr(ctx).begin()));
};
auto const make_name = [](auto& ctx) {
  auto& id = x3::_attr(ctx);
  x3::_val(ctx) = ir::make_name(id.name, id.loc);
};
auto const primary_def =
    number[assign] | glued | kwpos("True")[make_true] | kwpos("False")[make_false] | list[assign] |
    nested[('(' > expr > ')')[assign]] | load_value[assign] | call[assign] | ident[make_name];

// A call needs its '(' right after the name: `f(x)`, not `f (x)`.
auto const make_call = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  ast::Ident& id = fusion::at_c<0>(a);
  auto& maybe_args = fusion::at_c<1>(a);
  std::vector<ExprPtr> as;
  if (maybe_args) as = std::move(*maybe_args);
  x3::_val(ctx) = within_depth(ir::make_call(id.name, std::move(as), id.loc));
};
auto const call_def = nested[(x3::lexeme[ident >> '('] > -(expr % ',') > ')')[make_call]];

auto const make_list = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  auto& maybe = fusion::at_c<1>(a);
  std::vector<ExprPtr> elems;
  if (maybe) elems = std::move(*maybe);
  x3::_val(ctx) =
      within_depth(ir::make_list(std::move(elems), loc_of(ctx, fusion::at_c<0>(a).begin())));
};
auto const list_def =
    nested[(located("'['", x3::lit('[')) > -(expr % ',') > -x3::lit(',') > ']')[make_list]];

// ---- units after ':' in equations: products and powers of unit names ---------

auto const signed_number_def = (located("'-'", x3::lit('-')) > number)[unary<ir::UnOp::neg>()] |
                               number[assign] | nested[('(' > signed_number > ')')[assign]];
auto const
    unit_term_def = (ident[make_name] | number[assign] | nested[('(' > unit_expr > ')')[assign]]) >>
                    -((located("'**'", x3::lit("**")) > signed_number)[fold_op<ir::BinOp::pow>()]);
auto const unit_op =
    as<ir::BinOp>("'*' or '/'", ('/' >> x3::attr(ir::BinOp::div)) |
                                    (x3::lit('*') >> !x3::lit('*') >> x3::attr(ir::BinOp::mul)));
auto const unit_expr_def = unit_term[assign] >> *((pos >> unit_op > unit_term)[fold]);

// ---- arguments ------------------------------------------------------------

auto const make_kwarg = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  x3::_val(ctx) = ast::KeywordArg{std::move(fusion::at_c<0>(a)), std::move(fusion::at_c<1>(a))};
};
auto const kwarg_def = ((ident >> '=' >> !x3::lit('=')) > expr)[make_kwarg];

auto const load_call_def = (kwpos("load")[set_loc(&ast::Load::loc)] >> '(') >
                           string_lit[set(&ast::Load::path)] >
                           *((',' > kwarg)[push(&ast::Load::options)]) > ')';

// load("file.npy") as a value in a statement (values from data: lift_arrays).
auto const make_load_value = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  ExprPtr e = ir::make_call("load", {}, loc_of(ctx, fusion::at_c<0>(a).begin()));
  e->path = std::move(fusion::at_c<1>(a));
  x3::_val(ctx) = e;
};
auto const load_value_def = ((kwpos("load") >> '(') > string_lit > ')')[make_load_value];

auto const set_load = [](auto& ctx) {
  if (x3::_val(ctx).load)
    throw ActionError{{}, "only one load(...) is allowed here", x3::_attr(ctx).loc};
  x3::_val(ctx).load = std::move(x3::_attr(ctx));
};
auto const args_def = -(
    (kwarg[push(&ast::Args::keywords)] | load_call[set_load] | expr[push(&ast::Args::positional)]) %
    ',');

// ---- statements and equations ---------------------------------------------

struct assign_ops_ : x3::symbols<ir::AssignOp> {
  assign_ops_() {
    add("+=", ir::AssignOp::add)("-=", ir::AssignOp::sub)("*=", ir::AssignOp::mul)(
        "/=", ir::AssignOp::div);
  }
} const assign_ops;
auto const assign_op =
    as<ir::AssignOp>("'=', '+=', '-=', '*=' or '/='",
                     assign_ops | (x3::lit('=') >> !x3::lit('=') >> x3::attr(ir::AssignOp::set)));

auto const stmt_first = [](auto& ctx) {
  ir::Statement& s = x3::_val(ctx);
  ast::Ident& id = x3::_attr(ctx);
  s.loc = id.loc;
  s.var = id.name;
  s.var_loc = id.loc;
};
auto const stmt_member = [](auto& ctx) {
  ir::Statement& s = x3::_val(ctx);
  ast::Ident& id = x3::_attr(ctx);
  s.object = s.var;
  s.object_loc = s.var_loc;
  s.var = id.name;
  s.var_loc = id.loc;
};
// `x = e`, `P.x = e`, or `P[a:b].x = e` on part of a group.
auto const stmt_slice =
    '[' > expr[set(&ir::Statement::start_expr)] > ':' > expr[set(&ir::Statement::stop_expr)] > ']';
auto const statement_def = ident[stmt_first] >> -(-stmt_slice >> '.' > ident[stmt_member]) >
                           assign_op[set(&ir::Statement::op)] > expr[set(&ir::Statement::value)];
auto const statements_def = statement % ';' >> -x3::lit(';');

auto const normalise_flag = [](auto& ctx) {
  auto& r = x3::_attr(ctx);
  std::string out;
  bool space = false;
  for (char c : r) {
    if (c == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  x3::_val(ctx) = ast::Ident{out, loc_of(ctx, r.begin())};
};
auto const flag_word = +(x3::alnum | x3::char_("_-"));
auto const flag_def =
    x3::raw[x3::lexeme[flag_word >> *(+x3::lit(' ') >> flag_word)]][normalise_flag];

auto const diff_lhs = [](auto& ctx) {
  ast::Equation& eq = x3::_val(ctx);
  auto& r = x3::_attr(ctx);
  eq.kind = ast::Equation::Kind::differential;
  eq.loc = loc_of(ctx, r.begin());
  eq.var = ast::Ident{std::string(r.begin() + 1, r.end()), loc_of(ctx, r.begin() + 1)};
};
template <ast::Equation::Kind K> auto eq_lhs() {
  return [](auto& ctx) {
    ast::Equation& eq = x3::_val(ctx);
    eq.kind = K;
    eq.var = std::move(x3::_attr(ctx));
    eq.loc = eq.var.loc;
  };
}
auto const equation_def = ((x3::raw[x3::lexeme['d' >> (x3::alpha | '_') >> *(x3::alnum | '_')]] >>
                            '/' >> kw("dt") >> '=')[diff_lhs] > expr[set(&ast::Equation::rhs)] |
                           (ident >> '=' >>
                            !x3::lit('='))[eq_lhs<ast::Equation::Kind::subexpression>()] >
                               expr[set(&ast::Equation::rhs)] |
                           ident[eq_lhs<ast::Equation::Kind::parameter>()]) > ':' >
                          unit_expr[set(&ast::Equation::unit)] >
                          -('(' > (flag[push(&ast::Equation::flags)] % ',') > ')');

// ---- connect ----------------------------------------------------------------

template <ast::ConnectItem::Kind K> auto connect_word() {
  return [](auto& ctx) {
    x3::_val(ctx).kind = K;
    x3::_val(ctx).loc = loc_of(ctx, x3::_attr(ctx).begin());
  };
}
auto const connect_kw = [](auto& ctx) {
  ast::ConnectItem& c = x3::_val(ctx);
  ast::KeywordArg& k = x3::_attr(ctx);
  c.kind = ast::ConnectItem::Kind::keyword;
  c.loc = k.key.loc;
  c.key = std::move(k.key);
  c.value = std::move(k.value);
};
auto const connect_load = [](auto& ctx) {
  ast::ConnectItem& c = x3::_val(ctx);
  c.kind = ast::ConnectItem::Kind::load;
  c.load = std::move(x3::_attr(ctx));
  c.loc = c.load.loc;
};
auto const connect_cond = [](auto& ctx) {
  ast::ConnectItem& c = x3::_val(ctx);
  c.kind = ast::ConnectItem::Kind::condition;
  c.value = std::move(x3::_attr(ctx));
  c.loc = c.value->loc;
};
// Brian2's generator syntax: `j = k for k in range(i - 3, i + 4) if k != i`,
// `j = i`, `j = i if i < 5`; over i the same (`i = k for k in range(j + 1)`).
template <char Index> auto connect_index() {
  return [](auto& ctx) {
    ast::ConnectItem& c = x3::_val(ctx);
    c.kind = ast::ConnectItem::Kind::keyword;
    c.loc = loc_of(ctx, x3::_attr(ctx).begin());
    c.key = ast::Ident{std::string(1, Index), c.loc};
  };
}
auto const connect_gen_loc = set_loc(&ast::ConnectItem::gen_loc);
auto const connect_for = kwpos("for")[connect_gen_loc] > ident[set(&ast::ConnectItem::gen_var)] >
                         kw("in") > ident[set(&ast::ConnectItem::gen_fn)] > '(' >
                         ((kwarg[push(&ast::ConnectItem::gen_keywords)] |
                           expr[push(&ast::ConnectItem::gen_args)]) %
                          ',') > ')';
auto const connect_if = kwpos("if")[connect_gen_loc] > expr[set(&ast::ConnectItem::gen_if)];
auto const connect_generator = ((kwpos("j") >> '=' >> !x3::lit('='))[connect_index<'j'>()] |
                                (kwpos("i") >> '=' >> !x3::lit('='))[connect_index<'i'>()]) >>
                               expr[set(&ast::ConnectItem::value)] >> -connect_for >> -connect_if;
auto const connect_item_def =
    kwpos("all")[connect_word<ast::ConnectItem::Kind::all>()] |
    kwpos("one_to_one")[connect_word<ast::ConnectItem::Kind::one_to_one>()] |
    kwpos("skip_if_invalid")[connect_word<ast::ConnectItem::Kind::skip_if_invalid>()] |
    load_call[connect_load] | connect_generator | kwarg[connect_kw] | expr[connect_cond];
auto const connect_def = connect_item % ',';

// ---- top-level declarations -------------------------------------------------

auto const const_decl_def = kwpos("const")[set_loc(&ast::Const::loc)] >
                            ident[set(&ast::Const::name)] > '=' > expr[set(&ast::Const::value)];

auto const import_decl_def =
    kwpos("import")[set_loc(&ast::Import::loc)] > string_lit[set(&ast::Import::path)];

auto const setting_def = located("setting", kw("dt") | kw("seed"))[set_loc(&ast::Setting::loc)] >>
                         '=' >> !x3::lit('=') > expr[set(&ast::Setting::value)];

// Attribute (position, kind).
auto const kind_and_loc = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  x3::_val(ctx).kind = fusion::at_c<1>(a);
  x3::_val(ctx).loc = loc_of(ctx, fusion::at_c<0>(a).begin());
};
auto const template_word = as<ast::Template::Kind>(
    "'neuron' or 'synapse'", (kw("neuron") >> x3::attr(ast::Template::Kind::neuron)) |
                                 (kw("synapse") >> x3::attr(ast::Template::Kind::synapse)));
auto const template_header_def = (pos >> template_word)[kind_and_loc] >
                                 ident[set(&ast::Template::name)] >
                                 -('(' > ident[set(&ast::Template::base)] > ')') > ':';

auto const set_size = [](auto& ctx) { x3::_val(ctx).size = std::move(x3::_attr(ctx)); };
auto const neurons_header_def = kwpos("neurons")[set_loc(&ast::Neurons::loc)] >
                                ident[set(&ast::Neurons::name)] >
                                (('=' > ident[set(&ast::Neurons::template_name)] > '(' >
                                  args[set(&ast::Neurons::args)] > ')' > -x3::lit(':')) |
                                 ('(' > expr[set_size] > ')' > ':'));

auto const group_ref_def = ident[set(&ast::GroupRef::group)] >>
                           -('[' > expr[set(&ast::GroupRef::start)] > ':' >
                             expr[set(&ast::GroupRef::stop)] > ']');
auto const set_ref_loc = [](auto& ctx) {
  x3::_val(ctx) = std::move(x3::_attr(ctx));
  x3::_val(ctx).loc = x3::_val(ctx).group.loc;
};
x3::rule<class located_ref_id, ast::GroupRef> const located_ref = "group";
auto const located_ref_def = group_ref[set_ref_loc];
auto const pathway =
    located_ref[set(&ast::Synapses::source)] > "->" > located_ref[set(&ast::Synapses::target)];
auto const synapses_header_def = kwpos("synapses")[set_loc(&ast::Synapses::loc)] >
                                 ident[set(&ast::Synapses::name)] >
                                 (('=' > ident[set(&ast::Synapses::template_name)] > '(' > pathway >
                                   *((',' > kwarg)[push(&ast::Synapses::overrides)]) > ')' >
                                   -x3::lit(':')) |
                                  ('(' > pathway > ')' > ':'));

auto const poisson_decl_def = kwpos("poisson")[set_loc(&ast::Poisson::loc)] >
                              ident[set(&ast::Poisson::name)] > '(' >
                              args[set(&ast::Poisson::args)] > ')';
auto const spikes_decl_def = kwpos("spikes")[set_loc(&ast::Spikes::loc)] >
                             ident[set(&ast::Spikes::name)] > '(' > args[set(&ast::Spikes::args)] >
                             ')';

// `[..]`, `[..]*mV`, then `(dt = ...)`, optionally followed by `*mV`.
auto const scale_values = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  ast::Timed& t = x3::_val(ctx);
  t.values = ir::make_binary(fusion::at_c<1>(a), std::move(t.values), std::move(fusion::at_c<2>(a)),
                             loc_of(ctx, fusion::at_c<0>(a).begin()));
};
// `load(...)*mV`: the unit, kept as 1*mV.
auto const scale_load = [](auto& ctx) {
  auto& a = x3::_attr(ctx);
  SourceLoc loc = loc_of(ctx, fusion::at_c<0>(a).begin());
  x3::_val(ctx).load_unit = ir::make_binary(fusion::at_c<1>(a), ir::make_number(1, false, loc),
                                            std::move(fusion::at_c<2>(a)), loc);
};
auto const timed_inline = list[set(&ast::Timed::values)] >>
                          -((pos >> unit_op > unit_expr)[scale_values]) >
                          '(' > args[set(&ast::Timed::args)] > ')' >
                          -((pos >> unit_op > unit_expr)[scale_values]);
auto const timed_decl_def = kwpos("timed")[set_loc(&ast::Timed::loc)] >
                            ident[set(&ast::Timed::name)] > '=' >
                            ((load_call[set(&ast::Timed::load)] >>
                              -((pos >> unit_op > unit_expr)[scale_load])) |
                             timed_inline);

auto const monitor_kind =
    as<ast::Monitor::Kind>("'spikes', 'state', 'rate' or 'events'",
                           (kw("spikes") >> x3::attr(ast::Monitor::Kind::spikes)) |
                               (kw("state") >> x3::attr(ast::Monitor::Kind::state)) |
                               (kw("rate") >> x3::attr(ast::Monitor::Kind::rate)) |
                               (kw("events") >> x3::attr(ast::Monitor::Kind::events)));
auto const set_target_loc = [](auto& ctx) {
  ast::MonitorTarget& t = x3::_val(ctx);
  t.object = std::move(x3::_attr(ctx));
  t.loc = t.object.loc;
};
auto const monitor_target_def = ident[set_target_loc] >>
                                -('[' > expr[set(&ast::MonitorTarget::start)] > ':' >
                                  expr[set(&ast::MonitorTarget::stop)] > ']') >>
                                -('.' > ident[set(&ast::MonitorTarget::var)]);
auto const monitor_option = kwarg[push(&ast::Monitor::options)] | flag[push(&ast::Monitor::flags)];
auto const monitor_decl_def = kwpos("monitor")[set_loc(&ast::Monitor::loc)] >
                              monitor_kind[set(&ast::Monitor::kind)] >
                              ident[set(&ast::Monitor::name)] > '=' >
                              (monitor_target[push(&ast::Monitor::targets)] % ',') >
                              -('(' > (monitor_option % ',') > ')');

auto const poisson_input_decl_def = kwpos("poisson_input")[set_loc(&ast::PoissonInput::loc)] >
                                    ident[set(&ast::PoissonInput::name)] > '=' >
                                    monitor_target[set(&ast::PoissonInput::target)] > '(' >
                                    (kwarg[push(&ast::PoissonInput::options)] % ',') > ')';

// `at T:` / `every P (from T0, until T1):`; options also as `from = T0`.
auto const event_word =
    as<ast::Event::Kind>("'at' or 'every'", (kw("at") >> x3::attr(ast::Event::Kind::at)) |
                                                (kw("every") >> x3::attr(ast::Event::Kind::every)));
auto const event_option =
    kwarg[push(&ast::Event::options)] | ((ident >> !x3::lit('=')) > expr)[([](auto& ctx) {
      auto& a = x3::_attr(ctx);
      x3::_val(ctx).options.push_back(
          ast::KeywordArg{std::move(fusion::at_c<0>(a)), std::move(fusion::at_c<1>(a))});
    })];
auto const event_header_def = (pos >> event_word)[kind_and_loc] > expr[set(&ast::Event::time)] >
                              -('(' > (event_option % ',') > ')') > ':';

auto const run_stmt_def = kwpos("run")[set_loc(&ast::Run::loc)] > expr[set(&ast::Run::duration)];

auto const block_key_def = ident[assign] >> ':';

BOOST_SPIRIT_DEFINE(ident_raw, ident, string_lit, number, expr, or_expr, and_expr, not_expr,
                    comparison, arith, term, factor, power, primary, call, list, unit_expr,
                    unit_term, signed_number, kwarg, load_call, load_value, args, statement,
                    statements, flag, equation, group_ref, located_ref, connect_item, connect,
                    const_decl, import_decl, setting, template_header, neurons_header,
                    synapses_header, poisson_decl, spikes_decl, timed_decl, monitor_target,
                    monitor_decl, poisson_input_decl, event_header, run_stmt, block_key)

// ---- driving a parse ------------------------------------------------------------

// Describes the token at `off` for an error message.
std::string token_at(const std::string& text, std::size_t off) {
  if (off >= text.size()) return "end of line";
  char c = text[off];
  std::size_t end = off + 1;
  if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
      ++end;
  } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '.'))
      ++end;
  } else {
    static const char* two[] = {"**", "//", "<=", ">=", "==", "!=", "->", "+=", "-=", "*=", "/="};
    for (const char* t : two)
      if (text.compare(off, 2, t) == 0) end = off + 2;
  }
  return "'" + text.substr(off, end - off) + "'";
}

std::size_t skip_spaces(const std::string& text, std::size_t off) {
  while (off < text.size() && text[off] == ' ')
    ++off;
  return off;
}

// Strips the quotes X3 puts around single characters and strings. A parser
// with an action has no name of its own (X3 gives its mangled type): name it
// after the rule it wraps.
std::string expected_what(const std::string& which) {
  if (which.size() >= 2 && (which.front() == '\'' || which.front() == '"'))
    return "'" + which.substr(1, which.size() - 2) + "'";
  if (which.find("spirit") == std::string::npos) return which;
  static const std::pair<const char*, const char*> names[] = {{"signed_number_id", "number"},
                                                              {"number_id", "number"},
                                                              {"string_id", "string"},
                                                              {"unit_id", "unit"},
                                                              {"kwarg_id", "keyword argument"},
                                                              {"args_id", "arguments"},
                                                              {"load_id", "load(...)"},
                                                              {"flag_id", "flag"},
                                                              {"mon_target_id", "monitor target"},
                                                              {"located_ref_id", "group"},
                                                              {"ident_id", "identifier"},
                                                              {"expr_id", "expression"}};
  std::size_t first = std::string::npos;
  const char* best = "more input";
  for (const auto& [id, name] : names) {
    std::size_t p = which.find(id);
    if (p != std::string::npos && p < first) {
      first = p;
      best = name;
    }
  }
  return best;
}

enum class Extent { whole_line, header };

// Runs `rule` on the line from `offset`. With Extent::whole_line the line must
// be consumed entirely; with Extent::header the rest after the rule is
// returned to the caller.
template <class Rule, class Attr>
Offset run(const Rule& rule, const Line& line, std::size_t offset, Attr& attr, Diagnostics& diag,
           Extent extent) {
  const std::string& text = line.text;
  LineContext lc{&line, text.begin()};
  Iter first = text.begin() + static_cast<std::ptrdiff_t>(offset);
  Iter last = text.end();
  auto report = [&](std::size_t off, const std::string& msg) {
    diag.error(line.loc_at(skip_spaces(text, off)), msg);
  };
  g_nesting = 0;
  try {
    bool ok = x3::phrase_parse(first, last, x3::with<line_tag>(&lc)[rule], x3::space, attr);
    std::size_t stop = static_cast<std::size_t>(first - text.begin());
    if (!ok) {
      report(offset, fmt::format("syntax error: expected {}, found {}", rule.name,
                                 token_at(text, skip_spaces(text, offset))));
      return std::nullopt;
    }
    stop = skip_spaces(text, stop);
    if (extent == Extent::whole_line && stop != text.size()) {
      report(stop, fmt::format("unexpected {} after the {}", token_at(text, stop), rule.name));
      return std::nullopt;
    }
    return stop;
  } catch (const x3::expectation_failure<Iter>& e) {
    std::size_t off = skip_spaces(text, static_cast<std::size_t>(e.where() - text.begin()));
    report(off,
           fmt::format("expected {}, found {}", expected_what(e.which()), token_at(text, off)));
  } catch (const ActionError& e) {
    if (e.loc)
      diag.error(*e.loc, e.message);
    else
      report(static_cast<std::size_t>(e.where - text.begin()), e.message);
  }
  return std::nullopt;
}

template <class Rule, class Attr>
bool whole(const Rule& rule, const Line& line, std::size_t offset, Attr& attr, Diagnostics& diag) {
  return run(rule, line, offset, attr, diag, Extent::whole_line).has_value();
}

} // namespace

bool parse_expression(const Line& line, std::size_t offset, ExprPtr& out, Diagnostics& diag) {
  return whole(expr, line, offset, out, diag);
}
bool parse_statements(const Line& line, std::size_t offset, std::vector<ir::Statement>& out,
                      Diagnostics& diag) {
  return whole(statements, line, offset, out, diag);
}
bool parse_equation(const Line& line, std::size_t offset, ast::Equation& out, Diagnostics& diag) {
  return whole(equation, line, offset, out, diag);
}
bool parse_connect(const Line& line, std::size_t offset, std::vector<ast::ConnectItem>& out,
                   Diagnostics& diag) {
  return whole(connect, line, offset, out, diag);
}
bool parse_const(const Line& line, std::size_t offset, ast::Const& out, Diagnostics& diag) {
  return whole(const_decl, line, offset, out, diag);
}
bool parse_import(const Line& line, ast::Import& out, Diagnostics& diag) {
  return whole(import_decl, line, 0, out, diag);
}
bool parse_setting(const Line& line, ast::Setting& out, Diagnostics& diag) {
  if (!whole(setting, line, 0, out, diag)) return false;
  std::size_t k = skip_spaces(line.text, 0), e = k;
  while (e < line.text.size() && std::isalpha(static_cast<unsigned char>(line.text[e])))
    ++e;
  out.name = ast::Ident{line.text.substr(k, e - k), line.loc_at(k)};
  return true;
}
bool parse_poisson(const Line& line, ast::Poisson& out, Diagnostics& diag) {
  return whole(poisson_decl, line, 0, out, diag);
}
bool parse_spikes(const Line& line, ast::Spikes& out, Diagnostics& diag) {
  return whole(spikes_decl, line, 0, out, diag);
}
bool parse_timed(const Line& line, ast::Timed& out, Diagnostics& diag) {
  return whole(timed_decl, line, 0, out, diag);
}
bool parse_poisson_input(const Line& line, ast::PoissonInput& out, Diagnostics& diag) {
  return whole(poisson_input_decl, line, 0, out, diag);
}
bool parse_monitor(const Line& line, ast::Monitor& out, Diagnostics& diag) {
  return whole(monitor_decl, line, 0, out, diag);
}
bool parse_run(const Line& line, ast::Run& out, Diagnostics& diag) {
  return whole(run_stmt, line, 0, out, diag);
}
bool parse_identifier(const Line& line, std::size_t offset, ast::Ident& out, Diagnostics& diag) {
  return whole(ident, line, offset, out, diag);
}
Offset parse_template_header(const Line& line, ast::Template& out, Diagnostics& diag) {
  return run(template_header, line, 0, out, diag, Extent::header);
}
Offset parse_neurons_header(const Line& line, ast::Neurons& out, Diagnostics& diag) {
  return run(neurons_header, line, 0, out, diag, Extent::header);
}
Offset parse_synapses_header(const Line& line, ast::Synapses& out, Diagnostics& diag) {
  return run(synapses_header, line, 0, out, diag, Extent::header);
}
Offset parse_event_header(const Line& line, ast::Event& out, Diagnostics& diag) {
  return run(event_header, line, 0, out, diag, Extent::header);
}
Offset parse_block_key(const Line& line, ast::Ident& key, Diagnostics& diag) {
  return run(block_key, line, 0, key, diag, Extent::header);
}

} // namespace snnc::parse
