"""Runs one Brian2 script on a device and saves what its monitors recorded.

    /usr/bin/python3 tests/brian2_device/harness.py SCRIPT --device snnc --out result.npz

The script runs as written, as if `set_device(DEVICE)` were its first line
(a set_device call of its own is given DEVICE instead) (and `seed(SEED)`, so that both devices build the same network from Brian2's
random numbers). Plots are not shown (matplotlib's Agg backend). Afterwards
every monitor among the script's global names is saved, reduced so that
references stay small: spike monitors' counts, total, the first spikes (t, i)
and a hash of all of them; state monitors' t and variables at up to 500
evenly spaced samples of up to 10 indices, and each variable's mean; rate
monitors' t and rate (sampled) and mean rate; under "<monitor>.<field>", plus
the wall time of the whole script. A script without monitors gives its groups'
and synapses' final state variables (and their means) instead.
"""

import argparse
import hashlib
import os
import runpy
import sys
import time

import numpy as np


SPIKES_KEPT = 5000  # spikes kept in full; the rest is checked through a hash
ROWS_KEPT = 500     # state samples kept (evenly spaced)
COLUMNS_KEPT = 10   # recorded indices kept
COUNTS_KEPT = 5000


def reduced_spikes(out, name, t, i):
    t = np.asarray(t, dtype=np.float64)
    i = np.asarray(i, dtype=np.int32)
    out[f"{name}.n"] = np.array(len(t))
    out[f"{name}.hash"] = np.frombuffer(
        hashlib.sha256(t.tobytes() + i.tobytes()).digest(), dtype=np.uint8)
    out[f"{name}.t"] = t[:SPIKES_KEPT]
    out[f"{name}.i"] = i[:SPIKES_KEPT]


def every(n):
    return max(1, -(-n // ROWS_KEPT))


def collect(namespace, prefix=False):
    """prefix: monitors gathered from the runs, named <k>.<name> (a function
    called again makes monitors of the same names)."""
    from brian2 import PopulationRateMonitor, SpikeMonitor, StateMonitor

    out = {}
    seen = set()
    for key, value in list(namespace.items()):
        if isinstance(value, (list, tuple)):
            candidates = list(value)
        else:
            candidates = [value]
        for m in candidates:
            if id(m) in seen:
                continue
            if not isinstance(m, (SpikeMonitor, StateMonitor, PopulationRateMonitor)):
                continue
            label = f"{key[1:]}.{m.name}" if prefix else m.name
            if isinstance(m, SpikeMonitor):
                seen.add(id(m))
                count = np.asarray(m.count[:])
                out[f"{label}.total"] = np.array(int(count.sum()))
                out[f"{label}.count"] = count[:COUNTS_KEPT]
                if m.record:
                    reduced_spikes(out, label, m.t_[:], m.i[:])
            elif isinstance(m, StateMonitor):
                seen.add(id(m))
                t = np.asarray(m.t_[:])
                k = every(len(t))
                out[f"{label}.t"] = t[::k]
                for v in m.record_variables:
                    values = np.asarray(m.variables[v].get_value())
                    out[f"{label}.{v}"] = values[::k, :COLUMNS_KEPT]
                    out[f"{label}.{v}.mean"] = np.array(float(np.mean(values))
                                                         if values.size else 0.0)
            elif isinstance(m, PopulationRateMonitor):
                seen.add(id(m))
                t = np.asarray(m.t_[:])
                rate = np.asarray(m.rate_[:])
                k = every(len(t))
                out[f"{label}.t"] = t[::k]
                out[f"{label}.rate"] = rate[::k]
                out[f"{label}.rate.mean"] = np.array(float(rate.mean()) if rate.size else 0.0)
    if not out:
        out = final_state(namespace)
    return out


def final_state(namespace):
    """A script without monitors (its results are its objects' final values,
    as Kremer et al. 2011's learned weights): each group's and synapses
    object's state variables, up to COUNTS_KEPT values, and their means."""
    from brian2 import NeuronGroup, Synapses
    from brian2.core.variables import ArrayVariable

    out = {}
    for obj in sorted((v for v in namespace.values() if isinstance(v, (NeuronGroup, Synapses))),
                      key=lambda o: o.name):
        for var_name, var in sorted(obj.variables.items()):
            if (not isinstance(var, ArrayVariable) or var.constant or var.read_only
                    or var_name.startswith("_") or var.owner.name != obj.name
                    or var_name in ("lastspike", "not_refractory", "lastupdate", "delay")):
                continue
            values = np.asarray(var.get_value(), dtype=np.float64)
            out[f"{obj.name}.{var_name}"] = values[:COUNTS_KEPT]
            out[f"{obj.name}.{var_name}.mean"] = np.array(float(values.mean())
                                                          if values.size else 0.0)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("script")
    ap.add_argument("--device", default="snnc", choices=["snnc", "runtime"])
    ap.add_argument("--target", default="cython", help="Brian2's code target on runtime")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--out", required=True)
    ap.add_argument("--run-monitors", action="store_true",
                    help="save the monitors of every run (for scripts that keep theirs in "
                         "functions) when no global name holds one")
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
    # A script that picks its own device (set_device('cpp_standalone')) gets
    # the one asked for here instead: that line is the one a user changes.
    chosen = brian2.set_device

    def set_device(device, *a, **k):
        chosen(args.device)

    brian2.set_device = set_device
    brian2.devices.device.set_device = set_device
    brian2.seed(args.seed)
    # Monitors of every run, for scripts that keep theirs inside functions
    # (Naud et al. 2008's sim()): saved when no global name holds one.
    ran = []
    if args.run_monitors:
        network_run = brian2.Network.run

        def run(self, *a, **k):
            k["level"] = k.get("level", 0) + 1  # Brian2 finds the namespace by frame
            # Before the run: Brian2's magic network lets go of its objects after it.
            for obj in sorted(self.objects, key=lambda o: o.name):  # a set: in name order
                if isinstance(obj, (brian2.SpikeMonitor, brian2.StateMonitor,
                                    brian2.PopulationRateMonitor)) and obj not in ran:
                    ran.append(obj)
            return network_run(self, *a, **k)

        brian2.Network.run = run

    script = os.path.abspath(args.script)
    sys.path.insert(0, os.path.dirname(script))
    os.chdir(os.path.dirname(script))
    wall = time.time()
    namespace = runpy.run_path(script, run_name="__main__")
    wall = time.time() - wall
    plt.close("all")
    data = collect(namespace)
    if not any(isinstance(v, (brian2.SpikeMonitor, brian2.StateMonitor,
                              brian2.PopulationRateMonitor)) for v in namespace.values()) and ran:
        data = collect({f"_{k}": m for k, m in enumerate(ran)}, prefix=True)
    data["wall"] = np.array(wall)
    np.savez_compressed(args.out, **data)


if __name__ == "__main__":
    main()
