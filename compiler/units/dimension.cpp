// Rational exponents and seven-exponent dimensions; printing as Brian2 2.5.1.
//
// Assumes: exponents stay tiny (|num|, |den| far below 2^62); arithmetic that
// would overflow int64 is treated as a programmer error (std::overflow_error),
// as is a zero denominator (std::invalid_argument).
//
// Guarantees:
//  * Rational is always in lowest terms with den > 0, so == is exact.
//  * Dimension::base_string() equals Brian2's str(dim), e.g.
//    "m^2 kg s^-4 A^-1", "s^-0.5", "1".
//  * Dimension::to_string() equals Brian2's repr(get_unit(dim)) in the session
//    state fixed by tests/reference/gen_units.py (see unit_table.cpp): a name
//    from Brian2's unit registers if one has this dimension ("volt",
//    "metre2", "amp / (metre ** 2)"), otherwise repr(dim), the product of
//    base units "metre ** 2 * kilogram * second ** -4 * amp ** -1"; and "1"
//    for dimensionless (as Brian2's get_unit_for_display).
//  * Non-integer exponents print as Python prints the float ("-0.5",
//    "0.3333333333333333"); integers print without ".0". Brian2 itself can
//    print "m^2.0" when a dimension was first created from float arithmetic;
//    that history-dependent form is deliberately not reproduced.
#include "units/dimension.h"

#include "units/unit_table_detail.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <stdexcept>

namespace snnc::units {

namespace {

std::int64_t checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r)) throw std::overflow_error("Rational overflow");
  return r;
}

std::int64_t checked_mul(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) throw std::overflow_error("Rational overflow");
  return r;
}

// Python's repr() of a finite double: the shortest digit string that reads
// back as x, in fixed notation for 1e-4 <= |x| < 1e16 ("0.5", "2.0"),
// otherwise scientific ("1e-05", "1.5e+16").
std::string python_float_repr(double x) {
  if (x == 0) return std::signbit(x) ? "-0.0" : "0.0";
  char buf[40];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec - 1, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  // buf is "[-]d[.ddd]e[+-]XX": split into sign, digits and exponent.
  std::string s(buf);
  std::string sign;
  if (s[0] == '-') {
    sign = "-";
    s.erase(0, 1);
  }
  const auto epos = s.find('e');
  const int exp10 = std::atoi(s.c_str() + epos + 1);
  std::string digits;
  for (std::size_t i = 0; i < epos; ++i)
    if (s[i] != '.') digits += s[i];
  while (digits.size() > 1 && digits.back() == '0')
    digits.pop_back();

  if (exp10 >= -4 && exp10 < 16) {
    const int point = exp10 + 1; // digits before the decimal point
    std::string out;
    if (point <= 0) {
      out = "0." + std::string(-point, '0') + digits;
    } else if (point >= int(digits.size())) {
      out = digits + std::string(point - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, point) + "." + digits.substr(point);
    }
    return sign + out;
  }
  std::string mant = digits.substr(0, 1);
  if (digits.size() > 1) mant += "." + digits.substr(1);
  char ebuf[16];
  std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
  return sign + mant + ebuf;
}

// An exponent as Brian2 prints it: integers plainly, others as Python floats.
std::string exponent_string(Rational r) {
  return r.is_integer() ? std::to_string(r.num()) : python_float_repr(r.to_double());
}

constexpr const char* kShortLabel[kNumBase] = {"m", "kg", "s", "A", "K", "mol", "cd"};
constexpr const char* kLongLabel[kNumBase] = {"metre",  "kilogram", "second", "amp",
                                              "kelvin", "mole",     "candle"};

} // namespace

// ---------------------------------------------------------------- Rational

Rational::Rational(std::int64_t num, std::int64_t den) {
  if (den == 0) throw std::invalid_argument("Rational with zero denominator");
  if (num == INT64_MIN || den == INT64_MIN) throw std::overflow_error("Rational overflow");
  if (den < 0) {
    num = checked_mul(num, -1);
    den = checked_mul(den, -1);
  }
  const std::int64_t g = std::gcd(num, den); // > 0 since den != 0
  num_ = num / g;
  den_ = den / g;
}

std::optional<Rational> Rational::from_double(double x) {
  if (!std::isfinite(x) || std::fabs(x) > 1e15) return std::nullopt;
  for (std::int64_t den = 1; den <= 1000; ++den) {
    const double num = std::round(x * double(den));
    if (std::fabs(num / double(den) - x) <= 1e-9) return Rational(std::int64_t(num), den);
  }
  return std::nullopt;
}

Rational operator+(Rational a, Rational b) {
  // a/b + c/d with g = gcd(b, d): (a*(d/g) + c*(b/g)) / (b/g*d).
  const std::int64_t g = std::gcd(a.den_, b.den_);
  const std::int64_t num =
      checked_add(checked_mul(a.num_, b.den_ / g), checked_mul(b.num_, a.den_ / g));
  return Rational(num, checked_mul(a.den_ / g, b.den_));
}

Rational operator-(Rational a, Rational b) {
  return a + (-b);
}

Rational operator*(Rational a, Rational b) {
  // Cross-reduce first so intermediate products stay small.
  // Both gcds are >= 1 because denominators are.
  const std::int64_t g1 = std::gcd(a.num_, b.den_);
  const std::int64_t g2 = std::gcd(b.num_, a.den_);
  return Rational(checked_mul(a.num_ / g1, b.num_ / g2), checked_mul(a.den_ / g2, b.den_ / g1));
}

Rational operator/(Rational a, Rational b) {
  if (b.num_ == 0) throw std::invalid_argument("Rational division by zero");
  return a * Rational(b.den_, b.num_);
}

std::string Rational::to_string() const {
  if (is_integer()) return std::to_string(num_);
  std::int64_t d = den_;
  while (d % 2 == 0)
    d /= 2;
  while (d % 5 == 0)
    d /= 5;
  if (d == 1) return python_float_repr(to_double()); // finite decimal expansion
  return std::to_string(num_) + "/" + std::to_string(den_);
}

// --------------------------------------------------------------- Dimension

Dimension Dimension::base(Base b, Rational power) {
  Dimension d;
  d.exp_[static_cast<int>(b)] = power;
  return d;
}

bool Dimension::is_dimensionless() const {
  for (const Rational& e : exp_)
    if (!e.is_zero()) return false;
  return true;
}

Dimension operator*(const Dimension& a, const Dimension& b) {
  Dimension r;
  for (int i = 0; i < kNumBase; ++i)
    r.exp_[i] = a.exp_[i] + b.exp_[i];
  return r;
}

Dimension operator/(const Dimension& a, const Dimension& b) {
  Dimension r;
  for (int i = 0; i < kNumBase; ++i)
    r.exp_[i] = a.exp_[i] - b.exp_[i];
  return r;
}

Dimension Dimension::pow(Rational p) const {
  Dimension r;
  for (int i = 0; i < kNumBase; ++i)
    r.exp_[i] = exp_[i] * p;
  return r;
}

std::string Dimension::to_string() const {
  if (is_dimensionless()) return "1";
  if (const char* name = detail::registered_unit_name(*this)) return name;
  // Brian2's repr(dim) (Dimension._str_representation(python_code=True)).
  std::string s;
  for (int i = 0; i < kNumBase; ++i) {
    if (exp_[i].is_zero()) continue;
    if (!s.empty()) s += " * ";
    s += kLongLabel[i];
    if (exp_[i] != Rational(1)) s += " ** " + exponent_string(exp_[i]);
  }
  return s;
}

std::string Dimension::base_string() const {
  std::string s;
  for (int i = 0; i < kNumBase; ++i) {
    if (exp_[i].is_zero()) continue;
    if (!s.empty()) s += " ";
    s += kShortLabel[i];
    if (exp_[i] != Rational(1)) s += "^" + exponent_string(exp_[i]);
  }
  return s.empty() ? "1" : s;
}

} // namespace snnc::units
