// Physical dimensions and named units, following Brian2's unit system.
//
// A Dimension is a vector of seven rational exponents over Brian2's base
// dimensions (metre, kilogram, second, amp, kelvin, mole, candela). The unit
// table knows every unit name Brian2 exports (base, derived and SI-prefixed,
// e.g. `mV`, `msiemens`, `umetre`, `cm`, `Mohm`, `Hz`), each with its scale in
// SI and its dimension. Printing follows Brian2's `repr(get_unit(dim))`.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace snnc::units {

// An exact fraction num/den in lowest terms, den > 0.
class Rational {
public:
  constexpr Rational() = default;
  Rational(std::int64_t num, std::int64_t den = 1);
  // The rational closest to x with a small denominator (<= 1000), if x is
  // such a fraction to within 1e-9; used for exponents given as decimals.
  static std::optional<Rational> from_double(double x);

  std::int64_t num() const { return num_; }
  std::int64_t den() const { return den_; }
  double to_double() const { return double(num_) / double(den_); }
  bool is_zero() const { return num_ == 0; }
  bool is_integer() const { return den_ == 1; }

  friend Rational operator+(Rational a, Rational b);
  friend Rational operator-(Rational a, Rational b);
  friend Rational operator*(Rational a, Rational b);
  friend Rational operator/(Rational a, Rational b);
  Rational operator-() const { return Rational(-num_, den_); }
  friend bool operator==(Rational a, Rational b) { return a.num_ == b.num_ && a.den_ == b.den_; }
  friend bool operator!=(Rational a, Rational b) { return !(a == b); }

  // "2", "-1", "0.5", "-0.5", "1/3": integers plainly, fractions with a
  // finite decimal expansion as Python prints the float, others as p/q.
  std::string to_string() const;

private:
  std::int64_t num_ = 0;
  std::int64_t den_ = 1;
};

enum class Base { metre = 0, kilogram, second, amp, kelvin, mole, candela };
constexpr int kNumBase = 7;

class Dimension {
public:
  Dimension() = default; // dimensionless
  static Dimension base(Base b, Rational power = Rational(1));

  Rational exponent(Base b) const { return exp_[static_cast<int>(b)]; }
  bool is_dimensionless() const;

  friend Dimension operator*(const Dimension& a, const Dimension& b);
  friend Dimension operator/(const Dimension& a, const Dimension& b);
  Dimension pow(Rational p) const;
  friend bool operator==(const Dimension& a, const Dimension& b) { return a.exp_ == b.exp_; }
  friend bool operator!=(const Dimension& a, const Dimension& b) { return !(a == b); }

  // As Brian2's repr(get_unit(dim)): "volt / second", "siemens",
  // "metre ** -2", "amp / (metre ** 2)", "1" for dimensionless.
  std::string to_string() const;
  // As Brian2's str(dim): "m^2 kg s^-4 A^-1", "1" for dimensionless.
  std::string base_string() const;

private:
  std::array<Rational, kNumBase> exp_{};
};

// Common dimensions.
Dimension dimensionless();
Dimension time_dim();    // second
Dimension voltage_dim(); // volt

struct Unit {
  std::string name; // as written: "mV"
  double scale;     // value in SI base units: mV -> 1e-3
  Dimension dim;
};

// Every unit name Brian2 exports at top level (`from brian2 import *`).
const Unit* find_unit(std::string_view name);
const std::vector<Unit>& all_units();

} // namespace snnc::units
