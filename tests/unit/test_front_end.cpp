// Front-end behaviour on small models: name lookup (units and shadowing,
// _pre/_post, bare postsynaptic names), template inheritance and overrides,
// constant folding and dimensions, warnings.
#include "driver/pipeline.h"
#include "lower/load.h"

#include "support/temp.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace snnc;

namespace {

struct Checked {
  SourceManager sources;
  Diagnostics diag{sources};
  std::optional<ir::Model> model;
  explicit Checked(const std::string& text, const std::string& name = "model.snn") {
    fs::path dir = snnc::test::scratch("front_end");
    fs::path p = dir / name;
    std::ofstream(p) << text;
    model = driver::run_front_end(p.string(), sources, diag, {});
  }
  std::string messages() const {
    std::string s;
    for (const auto& d : diag.all())
      s += diag.format(d);
    return s;
  }
};

const ir::Constant& constant(const ir::Model& m, const std::string& n) {
  const ir::Constant* c = m.find_constant(n);
  REQUIRE(c);
  return *c;
}

} // namespace

TEST_CASE("constants fold with their units and see earlier constants", "[front]") {
  Checked c("const tau = 20*ms\n"
            "const rate = 1/tau\n"
            "const area = 20000*umetre**2\n"
            "const Cm = (1*ufarad*cm**-2)*area\n"
            "const half = sqrt(4*metre**2)/2\n"
            "const k = 7 // 2 + 7 % 4\n");
  INFO(c.messages());
  REQUIRE(c.model);
  CHECK(constant(*c.model, "tau").value == Approx(0.02));
  CHECK(constant(*c.model, "rate").dim.to_string() == "hertz");
  CHECK(constant(*c.model, "rate").value == Approx(50));
  CHECK(constant(*c.model, "Cm").value == Approx(2e-10));
  CHECK(constant(*c.model, "Cm").dim.to_string() == "farad");
  CHECK(constant(*c.model, "half").dim.to_string() == "metre");
  CHECK(constant(*c.model, "half").value == Approx(1));
  CHECK(constant(*c.model, "k").value == 6);
  CHECK(constant(*c.model, "k").type == ir::ValueType::integer);
}

TEST_CASE("a constant that shadows a unit wins, with a warning", "[front]") {
  Checked c("const ms = 5\nconst x = 2*ms\n");
  REQUIRE(c.model);
  CHECK(c.diag.warning_count() == 1);
  CHECK(c.messages().find("warning: constant 'ms' shadows the unit 'ms'") != std::string::npos);
  CHECK(constant(*c.model, "x").value == 10);
  CHECK(constant(*c.model, "x").dim.is_dimensionless());
}

TEST_CASE("a variable that shadows a unit is a warning", "[front]") {
  Checked c("neurons G(1):\n    equations:\n        mV : 1\n");
  REQUIRE(c.model);
  CHECK(c.messages().find("warning: variable 'mV' shadows the unit 'mV'") != std::string::npos);
}

TEST_CASE("template inheritance: blocks replace, constants and equations merge", "[front]") {
  Checked c("neuron Base:\n"
            "    equations:\n"
            "        dv/dt = (I - v)/tau : volt\n"
            "        I : volt\n"
            "    const tau = 10*ms\n"
            "    const Vt = 10*mV\n"
            "    threshold: v > Vt\n"
            "    reset: v = 0*mV\n"
            "neuron Noisy(Base):\n"
            "    equations:\n"
            "        dv/dt = (I - v)/tau + sigma*xi/sqrt(tau) : volt\n"
            "    const sigma = 1*mV\n"
            "    reset: v = -5*mV\n"
            "neurons A = Noisy(3, tau = 5*ms)\n"
            "neurons B = Base(2):\n"
            "    threshold: v > 2*Vt\n");
  INFO(c.messages());
  REQUIRE(c.model);
  const ir::Group* a = c.model->find_group("A");
  REQUIRE(a);
  CHECK(a->size == 3);
  REQUIRE(a->variables.size() == 2);
  CHECK(ir::to_string(a->variables[0].rhs) == "(I - v)/tau + sigma*xi/sqrt(tau)");
  CHECK(a->find_constant("tau")->value == Approx(0.005));
  CHECK(a->find_constant("tau")->overridden);
  CHECK(a->find_constant("sigma"));
  CHECK(ir::to_string(a->reset[0]) == "v = -5*mV");
  CHECK(ir::to_string(a->threshold) == "v > Vt");
  const ir::Group* b = c.model->find_group("B");
  CHECK(ir::to_string(b->threshold) == "v > 2*Vt");
  CHECK(b->find_constant("tau")->value == Approx(0.01));
  CHECK_FALSE(b->find_constant("tau")->overridden);
}

TEST_CASE("synapses: _pre, _post and bare postsynaptic names", "[front]") {
  Checked c("neurons P(5):\n"
            "    equations:\n"
            "        dv/dt = -v/(10*ms) : volt\n"
            "        x : 1\n"
            "    threshold: v > 1*mV\n"
            "neurons Q(5):\n"
            "    equations:\n"
            "        dv/dt = -v/(10*ms) : volt\n"
            "        I : amp\n"
            "synapses S(P -> Q):\n"
            "    model:\n"
            "        w : volt\n"
            "        I_post = w/(1*ohm) : amp (summed)\n"
            "    on_pre:\n"
            "        v += w*x_pre\n"
            "        v_post += 0*mV\n"
            "    connect: i != j, p = 0.5\n"
            "    delay: (i + j)*ms\n");
  INFO(c.messages());
  REQUIRE(c.model);
  const ir::Synapses& s = c.model->synapses[0];
  REQUIRE(s.pathways.size() == 1);
  const ir::Pathway& pre = s.pathways[0];
  CHECK(pre.name == "pre");
  CHECK(pre.pre);
  const ir::Statement& st = pre.statements[0];
  CHECK(st.side == ir::Side::post);
  CHECK(st.target == "v");
  const ir::Expr& mul = *st.value;
  CHECK(mul.args[0]->ref == ir::NameRef::variable);
  CHECK(mul.args[0]->side == ir::Side::own);
  CHECK(mul.args[1]->side == ir::Side::pre);
  CHECK(mul.args[1]->target == "x");
  CHECK(pre.statements[1].side == ir::Side::post);
  CHECK(pre.delay->dim.to_string() == "second");
}

TEST_CASE("noise has dimension second**-0.5", "[front]") {
  Checked c("neurons G(1):\n"
            "    equations:\n"
            "        dv/dt = -v/tau + sigma*xi*tau**-0.5 : volt\n"
            "    const tau = 10*ms\n"
            "    const sigma = 2*mV\n");
  INFO(c.messages());
  REQUIRE(c.model);
  const ir::Expr& rhs = *c.model->groups[0].variables[0].rhs;
  CHECK(rhs.dim.to_string() == "volt / second");
  CHECK(rhs.args[1]->args[0]->args[1]->dim.to_string() == "second ** -0.5");
}

TEST_CASE("imports are relative to the importing file and read once", "[front]") {
  fs::path dir = snnc::test::scratch("front_end") / "lib";
  fs::create_directories(dir);
  std::ofstream(dir / "base.snn") << "const tau = 10*ms\n";
  std::ofstream(dir / "mid.snn") << "import \"base.snn\"\nneuron T:\n    equations:\n"
                                    "        dv/dt = -v/tau : volt\n";
  Checked c("import \"lib/mid.snn\"\nimport \"lib/base.snn\"\nneurons G = T(4)\n", "main.snn");
  INFO(c.messages());
  REQUIRE(c.model);
  CHECK(c.model->imports.size() == 2);
  CHECK(c.model->find_group("G")->size == 4);
}

TEST_CASE("several errors are reported in one run", "[front]") {
  Checked c("neurons G(1):\n"
            "    equations:\n"
            "        dv/dt = -v : volt\n"
            "        du/dt = -u/(1*ms) : amp\n"
            "    threshold: u > 1*mV\n");
  CHECK_FALSE(c.model);
  CHECK(c.diag.error_count() == 2);
}

TEST_CASE("internal errors are a separate kind", "[front]") {
  CHECK_THROWS_AS(internal_check(false, "broken invariant"), InternalError);
  CHECK_NOTHROW(internal_check(true, "fine"));
}

TEST_CASE("a monitor declared after the last run is a warning: it records nothing", "[front]") {
  Checked c("neurons G(10):\n"
            "    equations:\n"
            "        dv/dt = -v/(10*ms) : volt\n"
            "run 10*ms\n"
            "monitor spikes late = G\n");
  CHECK(c.diag.warning_count() == 1);
  CHECK(c.messages().find("5:16: warning: monitor 'late' is declared after the last run: it "
                          "records nothing") != std::string::npos);
}

TEST_CASE("a line that ends in an operator goes on on the next, as in Brian2's equations",
          "[front]") {
  Checked c("neurons G(10):\n"
            "    equations:\n"
            "        dv/dt = -v/(10*ms) +\n"
            "                I/(10*ms) : volt\n"
            "        I : volt\n"
            "    threshold: v >\n"
            "        10*mV\n");
  INFO(c.messages());
  REQUIRE(c.model);
  CHECK(ir::to_string(c.model->groups[0].variables[0].rhs) == "-v/(10*ms) + I/(10*ms)");
  CHECK(ir::to_string(c.model->groups[0].threshold) == "v > 10*mV");
  // The next line must be indented deeper: else it is a line of its own.
  Checked bad("neurons G(10):\n"
              "    equations:\n"
              "        dv/dt = -v/(10*ms) +\n"
              "    threshold: v > 1*mV\n");
  CHECK_FALSE(bad.model);
  CHECK(bad.messages().find("3:29: error: expected") != std::string::npos);
}

TEST_CASE("a bare 0 has every unit in a statement, as Brian2's G.w = 0", "[front]") {
  Checked c("neurons G(10):\n"
            "    equations:\n"
            "        dv/dt = -v/(10*ms) : volt\n"
            "    threshold: v > 10*mV\n"
            "    reset: v = 0\n"
            "    init:\n"
            "        v = 0\n"
            "G.v = 0\n"
            "run 1*ms\n");
  INFO(c.messages());
  CHECK(c.model);
  Checked bad("neurons G(10):\n"
              "    equations:\n"
              "        dv/dt = -v/(10*ms) : volt\n"
              "G.v = 1\n");
  CHECK_FALSE(bad.model); // only 0
}

TEST_CASE("a mistake in a template's line is reported once, however many instances", "[front]") {
  Checked c("neuron Cell:\n"
            "    equations:\n"
            "        dv/dt = -v/taux : volt\n"
            "neurons A = Cell(2)\n"
            "neurons B = Cell(2)\n"
            "neurons C = Cell(2)\n");
  CHECK_FALSE(c.model);
  CHECK(c.diag.error_count() == 1);
  CHECK(c.messages().find("3:20: error: unknown identifier 'taux'") != std::string::npos);
}

TEST_CASE("durations and times may count steps of dt", "[front]") {
  Checked c("dt = 0.5*ms\n"
            "neurons G(2):\n"
            "    equations:\n"
            "        dv/dt = -v/(10*ms) : 1\n"
            "monitor state st = G.v (dt = 4*dt)\n"
            "at 3*dt: G.v = 1\n"
            "run 10*dt\n"
            "run dt\n");
  INFO(c.messages());
  REQUIRE(c.model);
  CHECK(c.model->schedule[0].duration == Approx(0.005));
  CHECK(c.model->schedule[1].duration == Approx(0.0005));
  CHECK(c.model->monitors[0].dt == Approx(0.002));
  CHECK(c.model->events[0].time == Approx(0.0015));
}
