#!/usr/bin/python3
"""Generate snnc's unit table and unit-printing reference data from Brian2.

Run with the system Python that has Brian2 2.5.1 installed:

    /usr/bin/python3 tests/reference/gen_units.py

Writes (paths relative to the repository root):

  compiler/units/unit_table_data.inc
      kUnitRows:    every unit name Brian2 offers (name, SI scale, 7 integer
                    exponents), sorted by name in byte order.
      kDisplayRows: dimension -> repr(get_unit(dim)) for every dimension for
                    which Brian2's unit registers hold an unscaled unit, i.e.
                    the part of get_unit() that is not the base-unit fallback.

  tests/reference/units_reference.json
      For ~90 representative dimensions: exponents, repr(get_unit(dim)) and
      str(dim); plus a sample of unit name -> scale/exponents.

Which names are in the table: the union of
  * every Unit bound by `from brian2 import *`               (tag "star"),
  * brian2.core.namespace.DEFAULT_UNITS, the namespace Brian2 uses to resolve
    identifiers and unit strings in model equations          (tag "eqn"),
  * brian2.units.allunits.__all__ and stdunits.__all__       (tag "all").
The c/d/h/da-prefixed units (cmetre3, dvolt, ...) are only in the last set;
Brian2 itself does not accept them in equation strings.

How names are printed (Dimension::to_string) follows get_unit(): search the
standard, then the user, then the additional unit register for a unit with
value exactly 1.0 and this dimension; otherwise fall back to repr(dim), e.g.
"metre ** 2 * kilogram * second ** -4 * amp ** -1".  Brian2's *user* register
is session state: every Unit expression a script evaluates (`volt/second`,
`amp/metre**2`) registers itself there.  To make printing a pure function of
the dimension, we fix that state with SESSION_UNITS below: these expressions
are evaluated (and thereby registered) in a fresh Brian2 session before
anything is recorded, exactly as if a model script had written them.  Edit the
list and re-run to change how such dimensions print.

Exponents: Brian2 stores exponents as whatever Python numbers produced them,
so the same dimension may print as "m^2" or "m^2.0" depending on history.  We
build every reference dimension directly with get_or_create_dimension from
exact fractions (ints for integral exponents, floats otherwise), which is the
canonical printing snnc reproduces.
"""

import json
import os
import sys
import textwrap
import warnings
from fractions import Fraction

import numpy as np

warnings.filterwarnings("ignore")

import brian2  # noqa: E402
from brian2.units import fundamentalunits as fu  # noqa: E402
from brian2.units.fundamentalunits import Unit, get_or_create_dimension, get_unit  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INC_PATH = os.path.join(ROOT, "compiler", "units", "unit_table_data.inc")
JSON_PATH = os.path.join(ROOT, "tests", "reference", "units_reference.json")

# Compound units a typical model script writes; registered in Brian2's user
# register (in this order; the last one registered for a dimension wins).
SESSION_UNITS = [
    "volt/second",
    "amp/second",
    "siemens/second",
    "metre/second",
    "amp/metre**2",
    "siemens/metre**2",
    "farad/metre**2",
    "ohm*metre",
]

# Representative dimensions for the reference file, written as expressions
# over unit names.  Evaluated with exact fractions (class Dim), not Brian2.
REFERENCE_EXPRS = [
    # dimensionless and base units
    "1", "radian", "metre", "kilogram", "gram", "second", "amp", "kelvin", "mole",
    "candle",
    # integer powers of base units
    "metre**2", "metre**3", "metre**-1", "metre**-2", "metre**-3", "metre**4",
    "second**2", "second**-2", "second**3", "amp**2", "kilogram**2", "kelvin**-1",
    "mole**-1", "kilogram**-1",
    # fractional powers
    "second**-0.5", "second**0.5", "second**-1.5", "metre**0.5", "hertz**0.5",
    "volt/second**0.5", "volt*second**-0.5", "amp*second**0.5", "second**(1/3)",
    "metre**(2/3)", "volt**0.5", "siemens**-0.25", "mV/ms**0.5", "kelvin**1.5",
    # named derived units
    "hertz", "newton", "pascal", "joule", "watt", "coulomb", "volt", "farad", "ohm",
    "siemens", "weber", "tesla", "henry", "lumen", "lux", "becquerel", "gray",
    "sievert", "katal", "molar", "litre",
    # products and quotients
    "mV*ms", "volt/second", "mV/ms", "amp/metre**2", "siemens/metre**2",
    "farad/metre**2", "mole/metre**3", "mM", "ohm*metre", "ohm*cm", "volt/amp",
    "amp/volt", "volt*amp", "volt**2", "volt/metre", "amp/second", "siemens/second",
    "metre/second", "metre/second**2", "metre**2/second", "hertz/second",
    "1/(volt*second)", "amp/(metre**2*volt)", "uF/cm**2", "nS/um**2", "siemens*volt",
    "siemens/farad", "kelvin/second", "candle/metre**2", "mole/kilogram",
    "amp*second", "kilogram*metre**2", "volt/second**2", "volt*amp*second",
    "volt/kelvin", "mV**2/ms", "mole/second", "mole/metre**2",
    "mole/(metre**3*second)", "amp/farad", "farad/second", "ohm*farad",
    "henry/ohm", "siemens*ohm", "1/ohm",
    # units of Brian2's additional register (pascal*second, watt/metre**2, ...)
    "pascal*second", "newton*metre", "watt/metre**2", "joule/kelvin",
    "joule/(kilogram*kelvin)", "joule/kilogram", "watt/(metre*kelvin)",
    "joule/metre**3", "volt/metre**3", "coulomb/metre**3", "coulomb/metre**2",
    "farad/metre", "henry/metre", "joule/mole", "joule/(mole*kelvin)",
    "coulomb/kilogram", "gray/second", "katal/metre**3",
    # no registered unit at all
    "metre**2*kilogram*second**-4*amp**-1*kelvin", "mole*candle", "kelvin*amp",
]

UNIT_SAMPLES = [
    "metre", "meter", "mV", "ms", "msecond", "msiemens", "umetre", "um", "um2", "cm",
    "cm2", "cm3", "cmetre3", "metre2", "Mohm", "nS", "pA", "uF", "kHz", "Hz", "mM",
    "molar", "mmolar", "gram", "kilogram", "kgram", "litre", "liter", "mlitre",
    "radian", "ohm", "siemens", "farad", "pF", "mS", "nA",
]


class Dim:
    """Exact 7-exponent dimension used only inside this script."""

    def __init__(self, exps=None):
        self.exps = tuple(Fraction(e) for e in (exps or (0,) * 7))

    def _other(self, o):
        if isinstance(o, Dim):
            return o
        if isinstance(o, (int, float)):
            return Dim()  # plain numbers are dimensionless
        raise TypeError(o)

    def __mul__(self, o):
        o = self._other(o)
        return Dim([a + b for a, b in zip(self.exps, o.exps)])

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = self._other(o)
        return Dim([a - b for a, b in zip(self.exps, o.exps)])

    def __rtruediv__(self, o):
        return self._other(o) / self

    def __pow__(self, p):
        p = Fraction(p).limit_denominator(1000)
        return Dim([a * p for a in self.exps])


def py_number(f):
    """An exact Fraction as the Python number Brian2 would store."""
    return int(f) if f.denominator == 1 else float(f)


def brian_dim(exps):
    d = get_or_create_dimension([py_number(Fraction(e)) for e in exps])
    # Dimensions are interned by value; make sure no float-typed integral
    # exponent ("m^2.0") was interned earlier by some other computation.
    for e in d._dims:
        assert not float(e).is_integer() or isinstance(e, (int, np.integer)), d._dims
    return d


def collect_units():
    star = {}
    exec("from brian2 import *", star)
    star = {k: v for k, v in star.items() if isinstance(v, Unit)}
    from brian2.core.namespace import DEFAULT_UNITS
    from brian2.units import allunits, stdunits

    everything = {}
    for k in allunits.__all__:
        if isinstance(getattr(allunits, k), Unit):
            everything[k] = getattr(allunits, k)
    for k in stdunits.__all__:
        everything[k] = getattr(stdunits, k)
    sources = [("star", star), ("eqn", dict(DEFAULT_UNITS)), ("all", everything)]

    rows = {}
    for tag, table in sources:
        for name, u in table.items():
            scale = float(u)
            exps = tuple(u.dim._dims)
            assert all(float(e).is_integer() for e in exps), (name, exps)
            exps = tuple(int(e) for e in exps)
            if name in rows:
                assert rows[name]["scale"] == scale and rows[name]["exps"] == exps, name
                rows[name]["tags"].append(tag)
            else:
                rows[name] = {"scale": scale, "exps": exps, "tags": [tag]}
    return rows, {tag: len(t) for tag, t in sources}


def register_session_units(namespace):
    assert Unit.automatically_register_units
    for expr in SESSION_UNITS:
        u = eval(expr, {}, namespace)
        assert isinstance(u, Unit) and float(u) == 1.0, expr


def display_rows():
    """dimension -> repr(get_unit(dim)) wherever that is not the fallback."""
    dims = set()
    for reg in (fu.standard_unit_register, fu.user_unit_register, fu.additional_unit_register):
        for d, by_value in reg.units_for_dimensions.items():
            if 1.0 in by_value and not d.is_dimensionless:
                dims.add(tuple(int(e) for e in d._dims))
    rows = []
    for exps in sorted(dims):
        d = brian_dim(exps)
        u = get_unit(d)
        assert float(u) == 1.0
        rows.append((exps, repr(u)))
    return rows


def frac_pair(f):
    return [f.numerator, f.denominator]


def main():
    units, counts = collect_units()
    namespace = {}
    exec("from brian2 import *", namespace)
    register_session_units(namespace)
    rows = display_rows()

    dim_ns = {name: Dim(r["exps"]) for name, r in units.items()}
    reference = []
    for expr in REFERENCE_EXPRS:
        d = eval(expr, {}, dim_ns)
        if not isinstance(d, Dim):
            d = Dim()
        bd = brian_dim(d.exps)
        entry = {
            "expr": expr,
            "exponents": [frac_pair(e) for e in d.exps],
            "repr": repr(get_unit(bd)),
            "str": str(bd),
        }
        if bd.is_dimensionless:
            # get_unit(DIMENSIONLESS) finds radian/steradian; Brian2 displays
            # dimensionless quantities as "1" (get_unit_for_display), and so
            # does snnc.
            entry["brian2_get_unit_repr"] = entry["repr"]
            entry["repr"] = "1"
        reference.append(entry)

    samples = []
    for name in UNIT_SAMPLES:
        r = units[name]
        samples.append({"name": name, "scale": r["scale"], "exponents": list(r["exps"])})

    data = {
        "generator": "tests/reference/gen_units.py",
        "brian2_version": brian2.__version__,
        "session_units": SESSION_UNITS,
        "dimensions": reference,
        "units": samples,
        "unknown_units": ["mvolts", "Volt", "msec", "cmetre4", "kilokilogram", "", "mV2"],
    }
    with open(JSON_PATH, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")

    out = []
    out.append("// Generated by tests/reference/gen_units.py from Brian2 %s. Do not edit." %
               brian2.__version__)
    out.append("// Included by unit_table.cpp, which defines UnitRow and DisplayRow.")
    out.append("// Name sources: %s." % ", ".join("%s=%d" % kv for kv in counts.items()))
    out.append("// star: `from brian2 import *`; eqn: DEFAULT_UNITS (equation namespace);")
    out.append("// all: brian2.units.allunits/stdunits __all__.")
    out.append("// Session units registered before computing kDisplayRows:")
    out.extend(textwrap.wrap(", ".join(SESSION_UNITS), 96, initial_indent="//   ",
                             subsequent_indent="//   "))
    out.append("")
    out.append("// {name, scale in SI, {m, kg, s, A, K, mol, cd}}, sorted by name.")
    out.append("constexpr UnitRow kUnitRows[] = {")
    for name in sorted(units):
        r = units[name]
        out.append('    {"%s", %r, {%s}}, // %s' %
                   (name, r["scale"], ", ".join(map(str, r["exps"])), " ".join(r["tags"])))
    out.append("};")
    out.append("")
    out.append("// {{m, kg, s, A, K, mol, cd}, repr(get_unit(dim))}, sorted by exponents.")
    out.append("constexpr DisplayRow kDisplayRows[] = {")
    for exps, name in rows:
        out.append('    {{%s}, "%s"},' % (", ".join(map(str, exps)), name))
    out.append("};")
    with open(INC_PATH, "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote %s (%d units, %d display rows)" % (INC_PATH, len(units), len(rows)))
    print("wrote %s (%d dimensions)" % (JSON_PATH, len(reference)))


if __name__ == "__main__":
    sys.exit(main())
