#!/usr/bin/python3
"""The cost of driving a simulation from Python: N calls of run(1*ms) on a
100-neuron network, through `import snnc` and through Brian2's runtime
device (Cython target), compilation excluded, in one process each.

For each: the time of the N calls, the time of one run of the same total
duration, and the difference per call (the overhead of a call).

    /usr/bin/python3 bench/python_overhead.py [--calls 10000]
"""
import argparse
import json
import subprocess
import sys
import textwrap

SNNC = textwrap.dedent('''
    import json, sys, time
    import snnc
    model = snnc.compile(text="""
    dt = 0.1*ms
    const tau = 10*ms
    neurons P(100):
        equations:
            dv/dt = (1.2 - v)/tau : 1
        threshold: v > 1
        reset: v = 0
        init:
            v = rand()
    synapses S(P -> P):
        on_pre: v_post += 0.01
        connect: i != j, p = 0.1
    monitor spikes sp = P
    """)
    calls = int(sys.argv[1])
    sim = model.instantiate(1)
    sim.run(0.001)  # warm
    t0 = time.perf_counter()
    for _ in range(calls):
        sim.run(0.001)
    many = time.perf_counter() - t0
    one_sim = model.instantiate(1)
    one_sim.run(0.001)
    t0 = time.perf_counter()
    one_sim.run(calls * 0.001)
    one = time.perf_counter() - t0
    assert len(sim["sp"].t) == len(one_sim["sp"].t)
    print(json.dumps({"many": many, "one": one, "spikes": len(sim["sp"].t)}))
''')

BRIAN2 = textwrap.dedent('''
    import json, sys, time
    from brian2 import *
    prefs.codegen.target = "cython"
    defaultclock.dt = 0.1*ms
    calls = int(sys.argv[1])
    def network():
        tau = 10*ms
        P = NeuronGroup(100, "dv/dt = (1.2 - v)/tau : 1", threshold="v > 1", reset="v = 0",
                        method="exact", namespace={"tau": tau})
        P.v = "rand()"
        S = Synapses(P, P, on_pre="v_post += 0.01")
        S.connect(condition="i != j", p=0.1)
        sp = SpikeMonitor(P)
        return Network(P, S, sp), sp
    net, sp = network()
    net.run(1*ms)  # compiles (excluded)
    t0 = time.perf_counter()
    for _ in range(calls):
        net.run(1*ms)
    many = time.perf_counter() - t0
    net2, sp2 = network()
    net2.run(1*ms)
    t0 = time.perf_counter()
    net2.run(calls*ms)
    one = time.perf_counter() - t0
    print(json.dumps({"many": many, "one": one, "spikes": int(sp.num_spikes)}))
''')


def measure(code, calls):
    r = subprocess.run([sys.executable, "-c", code, str(calls)], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-2000:])
    return json.loads(r.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=10000)
    args = ap.parse_args()
    rows = []
    for name, code in (("snnc (import snnc)", SNNC), ("Brian2 2.5.1 runtime (Cython)", BRIAN2)):
        m = measure(code, args.calls)
        per_call = 1e6 * m["many"] / args.calls
        overhead = 1e6 * (m["many"] - m["one"]) / args.calls
        rows.append((name, m["many"], m["one"], per_call, overhead))
        print(f"{name}: {args.calls} calls {m['many']:.3f} s, one run {m['one']:.3f} s, "
              f"{per_call:.1f} us per call, overhead {overhead:.1f} us per call", file=sys.stderr)
    print(f"{args.calls} calls of run(1*ms) on a 100-neuron network (10 steps each, about 10 "
          "synapses per neuron), against one run of the same duration; one process each.\n")
    print("| driver | N calls (s) | one run (s) | per call (us) | overhead per call (us) |")
    print("|---|---:|---:|---:|---:|")
    for name, many, one, per_call, overhead in rows:
        print(f"| {name} | {many:.3f} | {one:.3f} | {per_call:.1f} | {overhead:.1f} |")
    print(f"\nBrian2's overhead per call is {rows[1][4] / rows[0][4]:.0f}x snnc's.")


if __name__ == "__main__":
    main()
