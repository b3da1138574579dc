"""Runs one Brian2 script on a device and saves what its monitors recorded.

    /usr/bin/python3 tests/brian2_device/harness.py SCRIPT --device snnc --out result.npz

The script runs as written, as if `set_device(DEVICE)` were its first line
(and `seed(SEED)`, so that both devices build the same network from Brian2's
random numbers). Plots are not shown (matplotlib's Agg backend). Afterwards
every monitor among the script's global names is saved: spike monitors' t
and i, state monitors' t and variables, rate monitors' t and rate, under
"<monitor>.<field>", plus the wall time of the whole script.
"""

import argparse
import os
import runpy
import sys
import time

import numpy as np


def collect(namespace):
    from brian2 import PopulationRateMonitor, SpikeMonitor, StateMonitor

    out = {}
    seen = set()
    for value in list(namespace.values()):
        if isinstance(value, (list, tuple)):
            candidates = list(value)
        else:
            candidates = [value]
        for m in candidates:
            if id(m) in seen:
                continue
            if isinstance(m, SpikeMonitor):
                seen.add(id(m))
                out[f"{m.name}.count"] = np.asarray(m.count[:])
                if m.record:
                    out[f"{m.name}.t"] = np.asarray(m.t_[:])
                    out[f"{m.name}.i"] = np.asarray(m.i[:])
            elif isinstance(m, StateMonitor):
                seen.add(id(m))
                out[f"{m.name}.t"] = np.asarray(m.t_[:])
                for v in m.record_variables:
                    out[f"{m.name}.{v}"] = np.asarray(m.variables[v].get_value())
            elif isinstance(m, PopulationRateMonitor):
                seen.add(id(m))
                out[f"{m.name}.t"] = np.asarray(m.t_[:])
                out[f"{m.name}.rate"] = np.asarray(m.rate_[:])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("script")
    ap.add_argument("--device", default="snnc", choices=["snnc", "runtime"])
    ap.add_argument("--target", default="cython", help="Brian2's code target on runtime")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    os.environ.setdefault("MPLBACKEND", "Agg")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.show = lambda *a, **k: None
    import brian2

    if args.device == "snnc":
        import snnc.brian2  # noqa: F401
    brian2.prefs.codegen.target = args.target
    brian2.set_device(args.device)
    brian2.seed(args.seed)

    script = os.path.abspath(args.script)
    sys.path.insert(0, os.path.dirname(script))
    os.chdir(os.path.dirname(script))
    wall = time.time()
    namespace = runpy.run_path(script, run_name="__main__")
    wall = time.time() - wall
    plt.close("all")
    data = collect(namespace)
    data["wall"] = np.array(wall)
    np.savez(args.out, **data)


if __name__ == "__main__":
    main()
