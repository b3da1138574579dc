"""Brian2's own feature tests (brian2/tests/features: the FeatureTest classes
Brian2 runs against its devices) on the 'snnc' device, compared with Brian2's
runtime device as Brian2 compares its devices (check, else compare within
1e-5; within 5 % is "poor").

    /usr/bin/python3 tests/brian2_device/feature_tests.py [--json out.json]

Brian2 2.5.1's runner (run_feature_tests) cannot run under Python 3 (its
child process's code has Python 2 syntax), so this file runs the same steps:
each feature test in its own process, once per configuration, then Brian2's
check_or_compare. It prints one line per test and the totals.
"""

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile

CHILD = r"""
import pickle, sys, traceback, warnings
warnings.simplefilter('ignore')
import brian2
import importlib
module, name, config = sys.argv[1], sys.argv[2], sys.argv[3]
feature = getattr(importlib.import_module(module), name)()
try:
    brian2.prefs.reset_to_defaults()
    brian2.prefs.codegen.target = 'numpy'
    if config == 'snnc':
        import snnc.brian2
        brian2.set_device('snnc')
    else:
        brian2.set_device('runtime')
    feature.run()
    out = (None, feature.results())
except Exception as ex:
    out = (traceback.format_exc(), ex)
with open(sys.argv[4], 'wb') as f:
    pickle.dump(out, f, -1)
"""


def _compare_arrays(self, maxrelerr, v_base, v_test):
    # Runs with brian2.tests.features.base's globals (numpy, InaccuracyError).
    if isinstance(v_base, dict):
        for k in v_base:
            self.compare_arrays(maxrelerr, v_base[k], v_test[k])
        return
    v_base, v_test = numpy.asarray(v_base), numpy.asarray(v_test)
    nonzero = v_base != 0
    err = numpy.amax(numpy.abs(v_base[nonzero] - v_test[nonzero]) / v_base[nonzero],
                     initial=0.0)
    if err > maxrelerr:
        raise InaccuracyError(err)
    if (v_test[~nonzero] != 0).any():
        raise InaccuracyError(numpy.inf)


def run_one(ft, config):
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as tmp:
        path = tmp.name
    try:
        r = subprocess.run([sys.executable, "-c", CHILD, ft.__module__, ft.__name__, config,
                            path], capture_output=True, text=True, timeout=900)
        if not os.path.getsize(path):
            return (r.stderr[-2000:], RuntimeError("the child process failed"))
        with open(path, "rb") as f:
            return pickle.load(f)
    finally:
        os.unlink(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json")
    ap.add_argument("-k", default="", help="only tests whose name contains this")
    args = ap.parse_args()

    import brian2.tests.features.input  # noqa: F401
    import brian2.tests.features.monitors  # noqa: F401
    import brian2.tests.features.neurongroup  # noqa: F401
    import brian2.tests.features.synapses  # noqa: F401
    from brian2.tests.features.base import FeatureTest, InaccuracyError, check_or_compare

    # Brian2 2.5.1's compare_arrays negates a boolean array with `-`, which
    # today's numpy refuses: the same comparison with `~` (its code replaced,
    # as subclasses hold the function itself).
    FeatureTest.compare_arrays.__code__ = _compare_arrays.__code__
    tests = sorted(FeatureTest.__subclasses__(), key=lambda t: t.fullname())
    tests = [t for t in tests if args.k in t.fullname()]
    rows = []
    for ft in tests:
        tb0, base = run_one(ft, "runtime")
        tb, res = run_one(ft, "snnc")
        if tb0 is not None:
            status, why = "baseline error", tb0.strip().splitlines()[-1]
        elif tb is not None:
            status = "not implemented" if isinstance(res, NotImplementedError) else "error"
            why = tb.strip().splitlines()[-1]
        else:
            try:
                check_or_compare(ft, res, base, 1e-5)
                status, why = "ok", ""
            except InaccuracyError as e:
                try:
                    check_or_compare(ft, res, base, 0.05)
                    status, why = "poor", f"error {100 * e.error:.2f} %"
                except InaccuracyError as e2:
                    status, why = "fail", f"error {100 * e2.error:.2f} %"
        rows.append({"test": ft.fullname(), "status": status, "why": why})
        print(f"{ft.fullname():60s} {status:16s} {why[:150]}", flush=True)
    counts = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    print(f"\n{len(rows)} feature tests: " +
          ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "counts": counts}, f, indent=1)


if __name__ == "__main__":
    main()
