// Tests for compiler/units: Rational, Dimension, the Brian2 unit table, and
// Dimension printing against reference output generated from Brian2 2.5.1 by
// tests/reference/gen_units.py (tests/reference/units_reference.json).
//
// Needs the compile definition SNNC_TEST_DATA_DIR = absolute path of tests/.
#include "units/dimension.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

using namespace snnc::units;

namespace {

Dimension dim_of(Base b, Rational p = Rational(1)) {
  return Dimension::base(b, p);
}

const Dimension kMetre = dim_of(Base::metre);
const Dimension kSecond = dim_of(Base::second);
const Dimension kAmp = dim_of(Base::amp);

nlohmann::json load_reference() {
  std::ifstream in(SNNC_TEST_DATA_DIR "/reference/units_reference.json");
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

} // namespace

TEST_CASE("Rational normalizes to lowest terms with positive denominator", "[units]") {
  CHECK(Rational(2, 4) == Rational(1, 2));
  CHECK(Rational(-1, -2) == Rational(1, 2));
  CHECK(Rational(3, -6).num() == -1);
  CHECK(Rational(3, -6).den() == 2);
  CHECK(Rational(0, -5) == Rational(0));
  CHECK(Rational(0, 7).den() == 1);
  CHECK(Rational().is_zero());
  CHECK(Rational(6, 3).is_integer());
  CHECK_FALSE(Rational(1, 3).is_integer());
  CHECK(Rational(-3, 4).to_double() == -0.75);
  CHECK_THROWS(Rational(1, 0));
}

TEST_CASE("Rational arithmetic", "[units]") {
  const Rational half(1, 2), third(1, 3);
  CHECK(half + third == Rational(5, 6));
  CHECK(half - third == Rational(1, 6));
  CHECK(third - half == Rational(-1, 6));
  CHECK(half * third == Rational(1, 6));
  CHECK(half / third == Rational(3, 2));
  CHECK(-half == Rational(-1, 2));
  CHECK(Rational(2, 3) * Rational(3, 2) == Rational(1));
  CHECK(Rational(-4) * Rational(1, 2) == Rational(-2));
  CHECK(Rational(0) * Rational(5, 7) == Rational(0));
  CHECK(Rational(1, 6) + Rational(1, 3) == Rational(1, 2));
  CHECK(Rational(1, 2) != Rational(1, 3));
  CHECK_THROWS(half / Rational(0));
}

TEST_CASE("Rational::to_string prints like Python floats when exact", "[units]") {
  CHECK(Rational(2).to_string() == "2");
  CHECK(Rational(-1).to_string() == "-1");
  CHECK(Rational(0).to_string() == "0");
  CHECK(Rational(1, 2).to_string() == "0.5");
  CHECK(Rational(-1, 2).to_string() == "-0.5");
  CHECK(Rational(-3, 2).to_string() == "-1.5");
  CHECK(Rational(1, 8).to_string() == "0.125");
  CHECK(Rational(1, 1000).to_string() == "0.001");
  CHECK(Rational(1, 3).to_string() == "1/3");
  CHECK(Rational(-2, 3).to_string() == "-2/3");
}

TEST_CASE("Rational::from_double", "[units]") {
  CHECK(Rational::from_double(0.5) == Rational(1, 2));
  CHECK(Rational::from_double(-1.5) == Rational(-3, 2));
  CHECK(Rational::from_double(2.0) == Rational(2));
  CHECK(Rational::from_double(1.0 / 3.0) == Rational(1, 3));
  CHECK(Rational::from_double(0.333333333) == Rational(1, 3));
  CHECK(Rational::from_double(0.001) == Rational(1, 1000));
  CHECK_FALSE(Rational::from_double(3.14159265358979).has_value());
  CHECK_FALSE(Rational::from_double(std::nan("")).has_value());
  CHECK_FALSE(Rational::from_double(HUGE_VAL).has_value());
}

TEST_CASE("Dimension arithmetic", "[units]") {
  CHECK(Dimension().is_dimensionless());
  CHECK(dimensionless().is_dimensionless());
  CHECK_FALSE(kMetre.is_dimensionless());
  CHECK(kMetre.exponent(Base::metre) == Rational(1));
  CHECK(kMetre.exponent(Base::second) == Rational(0));

  const Dimension area = kMetre * kMetre;
  CHECK(area == kMetre.pow(Rational(2)));
  CHECK(area.exponent(Base::metre) == Rational(2));
  CHECK(area / kMetre == kMetre);
  CHECK((kMetre / kMetre).is_dimensionless());
  CHECK(kMetre != kSecond);

  // sqrt = pow(1/2), fractional exponents.
  CHECK(area.pow(Rational(1, 2)) == kMetre);
  const Dimension rate = dimensionless() / kSecond;
  const Dimension noise = rate.pow(Rational(1, 2));
  CHECK(noise.exponent(Base::second) == Rational(-1, 2));
  CHECK(noise * noise == rate);
  CHECK(noise.to_string() == "second ** -0.5");
  CHECK(noise.base_string() == "s^-0.5");
  CHECK(kSecond.pow(Rational(0)).is_dimensionless());

  CHECK(voltage_dim() / time_dim() == voltage_dim() * rate);
  CHECK(voltage_dim().base_string() == "m^2 kg s^-3 A^-1");
}

TEST_CASE("Dimension printing", "[units]") {
  CHECK(dimensionless().to_string() == "1");
  CHECK(dimensionless().base_string() == "1");
  CHECK(time_dim().to_string() == "second");
  CHECK(voltage_dim().to_string() == "volt");
  CHECK((voltage_dim() / time_dim()).to_string() == "volt / second");
  CHECK((voltage_dim() * time_dim()).to_string() == "weber");
  CHECK((kAmp / kMetre.pow(2)).to_string() == "amp / (metre ** 2)");
  CHECK(kMetre.pow(-2).to_string() == "metre ** -2");
  CHECK(kMetre.pow(2).to_string() == "metre2");
  CHECK(kMetre.pow(4).to_string() == "metre ** 4");
  CHECK((kMetre / kSecond.pow(2)).to_string() == "metre * second ** -2");
  CHECK((kMetre / kSecond.pow(2)).base_string() == "m s^-2");
  CHECK(kSecond.pow(Rational(1, 3)).to_string() == "second ** 0.3333333333333333");
  CHECK(kSecond.pow(Rational(1, 3)).base_string() == "s^0.3333333333333333");
  CHECK((dim_of(Base::kelvin) * kAmp).to_string() == "amp * kelvin");
  CHECK((dim_of(Base::mole) * dim_of(Base::candela)).base_string() == "mol cd");
}

TEST_CASE("Unit table: prefixed and short names", "[units]") {
  struct Case {
    const char* name;
    double scale;
    Dimension dim;
  };
  const Dimension siemens = voltage_dim().pow(-1) * kAmp;
  const Dimension farad = kAmp * kSecond / voltage_dim();
  const Dimension ohm = voltage_dim() / kAmp;
  const Dimension hertz = kSecond.pow(-1);
  const Dimension kg = dim_of(Base::kilogram);
  const Dimension conc = dim_of(Base::mole) / kMetre.pow(3);
  const Case cases[] = {
      {"mV", 1e-3, voltage_dim()},
      {"mvolt", 1e-3, voltage_dim()},
      {"volt", 1.0, voltage_dim()},
      {"msiemens", 1e-3, siemens},
      {"mS", 1e-3, siemens},
      {"nS", 1e-9, siemens},
      {"umetre", 1e-6, kMetre},
      {"umeter", 1e-6, kMetre},
      {"um", 1e-6, kMetre},
      {"cm", 1e-2, kMetre},
      {"cmetre", 1e-2, kMetre},
      {"metre", 1.0, kMetre},
      {"meter", 1.0, kMetre},
      {"Mohm", 1e6, ohm},
      {"pA", 1e-12, kAmp},
      {"amp", 1.0, kAmp},
      {"uF", 1e-6, farad},
      {"pF", 1e-12, farad},
      {"kHz", 1e3, hertz},
      {"Hz", 1.0, hertz},
      {"hertz", 1.0, hertz},
      {"ms", 1e-3, kSecond},
      {"second", 1.0, kSecond},
      {"gram", 1e-3, kg},
      {"kilogram", 1.0, kg},
      {"kgram", 1.0, kg},
      {"molar", 1e3, conc},
      {"mM", 1.0, conc},
      {"mmolar", 1.0, conc},
      {"litre", 1e-3, kMetre.pow(3)},
      {"liter", 1e-3, kMetre.pow(3)},
      {"metre2", 1.0, kMetre.pow(2)},
      {"um2", 1e-12, kMetre.pow(2)},
      {"cm2", 1e-4, kMetre.pow(2)},
      {"cmetre3", 1e-6, kMetre.pow(3)},
      {"radian", 1.0, dimensionless()},
  };
  for (const Case& c : cases) {
    INFO("unit " << c.name);
    const Unit* u = find_unit(c.name);
    REQUIRE(u != nullptr);
    CHECK(u->name == c.name);
    CHECK(u->scale == Approx(c.scale).epsilon(1e-12));
    CHECK(u->dim == c.dim);
  }
  CHECK(find_unit("mV")->scale == 1e-3);
}

TEST_CASE("Unit table: unknown names and table invariants", "[units]") {
  for (const char* name : {"", "mvolts", "Volt", "MV2", "msec", "x", "metre4"}) {
    INFO("unit " << name);
    CHECK(find_unit(name) == nullptr);
  }
  const auto& units = all_units();
  CHECK(units.size() > 2000);
  CHECK(std::is_sorted(units.begin(), units.end(),
                       [](const Unit& a, const Unit& b) { return a.name < b.name; }));
  std::set<std::string> names;
  for (const Unit& u : units)
    names.insert(u.name);
  CHECK(names.size() == units.size());
  for (const Unit& u : units) {
    INFO("unit " << u.name);
    CHECK(find_unit(u.name) == &u);
    CHECK(u.scale > 0);
  }
}

TEST_CASE("Dimension printing matches Brian2 reference", "[units][reference]") {
  const nlohmann::json ref = load_reference();
  const auto& dims = ref.at("dimensions");
  REQUIRE(dims.size() >= 80);
  for (const auto& entry : dims) {
    const std::string expr = entry.at("expr");
    INFO("Brian2 expression " << expr);
    Dimension d;
    const auto& exps = entry.at("exponents");
    REQUIRE(exps.size() == std::size_t(kNumBase));
    for (int i = 0; i < kNumBase; ++i) {
      const Rational p(exps[i][0].get<std::int64_t>(), exps[i][1].get<std::int64_t>());
      d = d * Dimension::base(static_cast<Base>(i), p);
    }
    CHECK(d.to_string() == entry.at("repr").get<std::string>());
    CHECK(d.base_string() == entry.at("str").get<std::string>());
  }
}

TEST_CASE("Unit table matches Brian2 reference", "[units][reference]") {
  const nlohmann::json ref = load_reference();
  for (const auto& entry : ref.at("units")) {
    const std::string name = entry.at("name");
    INFO("unit " << name);
    const Unit* u = find_unit(name);
    REQUIRE(u != nullptr);
    CHECK(u->scale == entry.at("scale").get<double>());
    for (int i = 0; i < kNumBase; ++i)
      CHECK(u->dim.exponent(static_cast<Base>(i)) == Rational(entry.at("exponents")[i].get<int>()));
  }
  for (const auto& name : ref.at("unknown_units")) {
    INFO("unit " << name.get<std::string>());
    CHECK(find_unit(name.get<std::string>()) == nullptr);
  }
}
