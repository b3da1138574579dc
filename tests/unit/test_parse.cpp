// Parser unit tests: expression precedence (printed back with minimal
// parentheses), numbers, statements, equations, layout (continuations,
// comments, inline blocks) and source locations.
#include "parse/parser.h"

#include <catch2/catch.hpp>

using namespace snnc;

namespace {

struct Parsed {
  SourceManager sources;
  Diagnostics diag{sources};
  ast::File file;
  explicit Parsed(const std::string& text) {
    int id = sources.add("test.snn", text);
    file = parse::parse_file(id, sources, diag);
  }
  std::string errors() const {
    std::string s;
    for (const auto& d : diag.all())
      s += diag.format(d);
    return s;
  }
};

// Parses `const x = <text>` and prints the expression back.
std::string roundtrip(const std::string& text) {
  Parsed p("const x = " + text + "\n");
  INFO(p.errors());
  REQUIRE_FALSE(p.diag.has_errors());
  REQUIRE(p.file.items.size() == 1);
  return ir::to_string(p.file.items[0].constant.value);
}

} // namespace

TEST_CASE("expressions print back with Python's precedence", "[parse]") {
  const std::pair<const char*, const char*> cases[] = {
      {"1 + 2*3", "1 + 2*3"},
      {"(1 + 2)*3", "(1 + 2)*3"},
      {"a - (b - c)", "a - (b - c)"},
      {"(a - b) - c", "a - b - c"},
      {"a/(b*c)", "a/(b*c)"},
      {"-x**2", "-x**2"},
      {"(-x)**2", "(-x)**2"},
      {"2**-1", "2**-1"},
      {"a**b**c", "a**b**c"},
      {"(a**b)**c", "(a**b)**c"},
      {"a // b % c", "a//b%c"},
      {"not a and b or c", "not a and b or c"},
      {"not (a and b)", "not (a and b)"},
      {"a or b and c", "a or b and c"},
      {"(a or b) and c", "(a or b) and c"},
      {"v > -50*mV", "v > -50*mV"},
      {"x <= 3 and y != 2", "x <= 3 and y != 2"},
      {"clip(w + apost, 0, wmax)", "clip(w + apost, 0, wmax)"},
      {"rand()", "rand()"},
      {"exp(-(t - t0)/tau)", "exp(-(t - t0)/tau)"},
      {"True and not False", "True and not False"},
      {"[1, 2, 3]*ms", "[1, 2, 3]*ms"},
      {"1*ufarad*cm**-2", "1*ufarad*cm**-2"},
  };
  for (auto& [in, out] : cases) {
    INFO(in);
    CHECK(roundtrip(in) == out);
  }
}

TEST_CASE("numbers: integers, decimals, exponents; no nan or inf", "[parse]") {
  CHECK(roundtrip("3") == "3");
  CHECK(roundtrip("3.0") == "3.0");
  CHECK(roundtrip(".5") == "0.5");
  CHECK(roundtrip("1e-3") == "0.001");
  CHECK(roundtrip("2.5E+2") == "250.0");
  // `nano` and `inf` are names, not numbers.
  CHECK(roundtrip("nano") == "nano");
  CHECK(roundtrip("inf") == "inf");
  Parsed p("const x = 1e-3\n");
  const ir::Expr& e = *p.file.items[0].constant.value;
  CHECK(e.kind == ir::ExprKind::number);
  CHECK(e.number == 1e-3);
  CHECK_FALSE(e.integer_literal);
}

TEST_CASE("locations point at the first character of each node", "[parse]") {
  Parsed p("const x = a + b*c\n");
  const ir::Expr& add = *p.file.items[0].constant.value;
  CHECK(add.loc.line == 1);
  CHECK(add.loc.col == 13); // the operator
  CHECK(add.args[0]->loc.col == 11);
  CHECK(add.args[1]->loc.col == 16);
  CHECK(add.args[1]->args[1]->loc.col == 17);
}

TEST_CASE("equations: three forms, units and flags", "[parse]") {
  Parsed p("neurons G(1):\n"
           "    equations:\n"
           "        dv/dt = (I - v)/tau : volt (unless refractory)\n"
           "        I = 2*nA*R : volt\n"
           "        R : ohm (constant, shared)\n"
           "    refractory: 2*ms\n"
           "    threshold: v > 1*mV\n");
  INFO(p.errors());
  REQUIRE_FALSE(p.diag.has_errors());
  const auto& eqs = p.file.items[0].neurons.body.equations;
  REQUIRE(eqs.size() == 3);
  CHECK(eqs[0].kind == ast::Equation::Kind::differential);
  CHECK(eqs[0].var.name == "v");
  CHECK(eqs[0].var.loc.col == 10);
  CHECK(ir::to_string(eqs[0].unit) == "volt");
  REQUIRE(eqs[0].flags.size() == 1);
  CHECK(eqs[0].flags[0].name == "unless refractory");
  CHECK(eqs[1].kind == ast::Equation::Kind::subexpression);
  CHECK(eqs[2].kind == ast::Equation::Kind::parameter);
  CHECK(eqs[2].flags.size() == 2);
  CHECK(eqs[2].flags[1].name == "shared");
}

TEST_CASE("statements: inline, ';'-separated and in blocks", "[parse]") {
  Parsed p("neurons G(1):\n"
           "    equations:\n"
           "        dv/dt = -v/tau : volt\n"
           "        u : volt\n"
           "    threshold: v > 1*mV\n"
           "    reset: v = 0*mV; u += 1*mV\n"
           "    init:\n"
           "        v = 0*mV\n"
           "        u *= 2; u /= 3\n");
  INFO(p.errors());
  REQUIRE_FALSE(p.diag.has_errors());
  const auto& b = p.file.items[0].neurons.body;
  REQUIRE(b.reset);
  REQUIRE(b.reset->size() == 2);
  CHECK(ir::to_string((*b.reset)[1]) == "u += 1*mV");
  REQUIRE(b.init->size() == 3);
  CHECK((*b.init)[1].op == ir::AssignOp::mul);
  CHECK((*b.init)[2].op == ir::AssignOp::div);
}

TEST_CASE("layout: comments, blank lines and bracket continuation", "[parse]") {
  Parsed p("# a comment\n"
           "\n"
           "const x = (1 +   # the first term\n"
           "           2)\n"
           "const y = clip(x,\n"
           "               0,\n"
           "               1)  # trailing comment\n");
  INFO(p.errors());
  REQUIRE_FALSE(p.diag.has_errors());
  REQUIRE(p.file.items.size() == 2);
  CHECK(ir::to_string(p.file.items[0].constant.value) == "1 + 2");
  const ir::Expr& clip = *p.file.items[1].constant.value;
  CHECK(clip.args[2]->loc.line == 7);
  CHECK(clip.args[2]->loc.col == 16);
}

TEST_CASE("network declarations parse into their parts", "[parse]") {
  Parsed p("synapses S = STDP(P[0:10] -> Q, taupre = 10*ms):\n"
           "    connect: i != j, p = 0.1\n"
           "poisson noise(100, rates = 15*Hz)\n"
           "spikes gen(3, indices = [0, 1, 2], times = [1, 2, 3]*ms, period = 100*ms)\n"
           "timed gate = [1, 0](dt = 500*ms)\n"
           "timed stim = load(\"images.npy\", dt = 100*ms)\n"
           "monitor state trace = Q.v, Q.u (record = [0, 1], dt = 1*ms)\n"
           "every 500*ms (from 15.5*second): Q.I = 0*mV/ms\n"
           "run 15*second\n"
           "Q.v = -65*mV\n");
  INFO(p.errors());
  REQUIRE_FALSE(p.diag.has_errors());
  REQUIRE(p.file.items.size() == 9);
  const ast::Synapses& s = p.file.items[0].synapses;
  CHECK(s.template_name->name == "STDP");
  CHECK(s.source.group.name == "P");
  CHECK(ir::to_string(s.source.stop) == "10");
  CHECK(s.target.group.name == "Q");
  CHECK(s.overrides.size() == 1);
  REQUIRE(s.body.connect);
  CHECK(s.body.connect->size() == 2);
  CHECK(p.file.items[2].spikes.args.keywords.size() == 3);
  CHECK(p.file.items[4].timed.load->path == "images.npy");
  CHECK(p.file.items[5].monitor.targets.size() == 2);
  CHECK(p.file.items[6].event.options[0].key.name == "from");
  CHECK(p.file.items[8].statement.object == "Q");
}

TEST_CASE("syntax errors have exact columns", "[parse]") {
  Parsed p("const x = 1 +* 2\n");
  REQUIRE(p.diag.error_count() == 1);
  CHECK(p.diag.all()[0].loc.col == 14);
  CHECK(p.diag.all()[0].message == "expected expression, found '*'");
}
