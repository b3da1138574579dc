#!/usr/bin/python3
"""Brian2 scripts through the 'snnc' device, against Brian2's runtime device
(Cython), on this machine:

1. the cost of one run() call: N calls of run(1*ms) on a 100-neuron network
   with synapses and a spike monitor, against one run of the same total
   duration, per device (compilation excluded: both are warmed first);
2. whole example scripts (tests/brian2_device/cases.py): the wall time of
   each script on snnc (measured here) against Brian2's runtime device
   (measured by gen_references.py into the references, same machine).

    /usr/bin/python3 bench/brian2_device.py [--calls 1000] [--examples]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CALLS = textwrap.dedent('''
    import json, sys, time
    from brian2 import *
    device_name = sys.argv[2]
    if device_name == "snnc":
        import snnc.brian2
    prefs.codegen.target = "cython"
    set_device(device_name)
    calls = int(sys.argv[1])
    def network():
        start_scope()
        seed(1)
        tau = 10*ms
        P = NeuronGroup(100, "dv/dt = (1.2 - v)/tau : 1", threshold="v > 1", reset="v = 0",
                        method="exact", namespace={"tau": tau})
        P.v = "rand()"
        S = Synapses(P, P, on_pre="v_post += 0.01")
        S.connect("i != j", p=0.1)
        sp = SpikeMonitor(P)
        net = Network(P, S, sp)
        net.run(1*ms)  # compiles
        return net, sp
    net, sp = network()
    t0 = time.perf_counter()
    for _ in range(calls):
        net.run(1*ms)
    many = time.perf_counter() - t0
    net1, sp1 = network()
    t0 = time.perf_counter()
    net1.run(calls*ms)
    one = time.perf_counter() - t0
    print(json.dumps({"many": many, "one": one, "spikes": int(sp.num_spikes)}))
''')


def calls(n):
    out = {}
    for dev in ("runtime", "snnc"):
        r = subprocess.run([sys.executable, "-c", CALLS, str(n), dev], capture_output=True,
                           text=True, check=True)
        out[dev] = json.loads(r.stdout.strip().splitlines()[-1])
    print(f"## One run() call ({n} calls of run(1*ms), 100 neurons)\n")
    print("| device | N calls (s) | one run (s) | per call (us) | spikes |")
    print("|---|---|---|---|---|")
    for dev, d in out.items():
        per = (d["many"] - d["one"]) / n * 1e6
        print(f"| {dev} | {d['many']:.3f} | {d['one']:.3f} | {per:.0f} | {d['spikes']} |")
    print()


def examples():
    sys.path.insert(0, os.path.join(ROOT, "tests", "brian2_device"))
    from cases import CASES, name

    print("## Example scripts, whole script wall time\n")
    print("| script | kind | Brian2 runtime (s) | snnc device (s) | snnc/Brian2 |")
    print("|---|---|---|---|---|")
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for path, kind, _ in CASES:
            ref = np.load(os.path.join(ROOT, "tests", "reference", "brian2_device",
                                       name(path) + ".npz"))
            out = os.path.join(tmp, "o.npz")
            subprocess.run([sys.executable, os.path.join(ROOT, "tests", "brian2_device",
                                                          "harness.py"),
                            os.path.join(ROOT, "tests", "brian2_device", "examples", path),
                            "--device", "snnc", "--out", out], check=True,
                           capture_output=True)
            got = np.load(out)
            a, b = float(ref["wall"]), float(got["wall"])
            ratios.append(b / a)
            print(f"| {name(path)} | {kind} | {a:.2f} | {b:.2f} | {b / a:.2f} |", flush=True)
    print(f"\nmedian snnc/Brian2: {np.median(ratios):.2f} over {len(ratios)} scripts")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--examples", action="store_true")
    args = ap.parse_args()
    calls(args.calls)
    if args.examples:
        examples()


if __name__ == "__main__":
    main()
