#!/usr/bin/python3
"""The network and training protocol of diehl_cook.snn / diehl_cook.py in
Brian2 2.5.1 (runtime device, Cython), on a few hundred images, to measure
Brian2's time per image on this machine beside snnc's. Only the time is the
point: it trains on the first images of the same MNIST split and reports
ms per image (compilation excluded: the first image is not timed).

    /usr/bin/python3 examples/diehl_cook/brian2_diehl_cook.py [--images 200] [--neurons 400]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
from brian2 import (Hz, Network, NeuronGroup, PoissonGroup, SpikeMonitor, Synapses, defaultclock,
                    mV, ms, prefs, seed)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from diehl_cook import (INTENSITY, MAX_REPEATS, MIN_SPIKES, PRESENT, RATE_STEP, REST,  # noqa: E402
                        WEIGHT_SUM, load_mnist)  # noqa: E402


def build(n_e):
    ns = dict(tau_e=100 * ms, v_rest_e=-65 * mV, v_reset_e=-65 * mV, v_thresh_e=-52 * mV,
              E_inh_e=-100 * mV, theta_offset=20 * mV, theta_plus=0.05 * mV,
              tau_theta=1e7 * ms, tau_i=10 * ms, v_rest_i=-60 * mV, v_reset_i=-45 * mV,
              v_thresh_i=-40 * mV, E_inh_i=-85 * mV, tau_ge=1 * ms, tau_gi=2 * ms, w_ei=10.4,
              w_ie=17.0, taupre=20 * ms, taupost1=20 * ms, taupost2=40 * ms, eta_dep=0.0001,
              eta_pot=0.01, wmax=1.0)
    inp = PoissonGroup(784, 0 * Hz, name="input")
    exc = NeuronGroup(n_e, """
        dv/dt = ((v_rest_e - v) + ge*(-v) + gi*(E_inh_e - v))/tau_e : volt (unless refractory)
        dge/dt = -ge/tau_ge : 1
        dgi/dt = -gi/tau_gi : 1
        dtheta/dt = -learning*theta/tau_theta : volt
        dtimer/dt = 0.1 : second
        learning : 1
        """, threshold="v > theta - theta_offset + v_thresh_e and timer > 5*ms",
        reset="v = v_reset_e; theta += learning*theta_plus; timer = 0*ms",
        refractory=5 * ms, method="euler", namespace=ns, name="exc")
    exc.v = -105 * mV
    exc.theta = 20 * mV
    exc.learning = 1
    inh = NeuronGroup(n_e, """
        dv/dt = ((v_rest_i - v) + ge*(-v) + gi*(E_inh_i - v))/tau_i : volt (unless refractory)
        dge/dt = -ge/tau_ge : 1
        dgi/dt = -gi/tau_gi : 1
        """, threshold="v > v_thresh_i", reset="v = v_reset_i", refractory=2 * ms,
        method="euler", namespace=ns, name="inh")
    inh.v = -100 * mV
    s = Synapses(inp, exc, """
        w : 1
        dpre/dt = -pre/taupre : 1 (event-driven)
        dpost1/dt = -post1/taupost1 : 1 (event-driven)
        dpost2/dt = -post2/taupost2 : 1 (event-driven)
        """, on_pre="""ge_post += w
        pre = 1
        w = clip(w - learning_post*eta_dep*post1, 0, wmax)""",
        on_post="""w = clip(w + learning_post*eta_pot*pre*post2, 0, wmax)
        post1 = 1
        post2 = 1""", namespace=ns, name="input_exc")
    s.connect()
    s.delay = "rand()*10*ms"
    s.w = "(rand() + 0.01)*0.3"
    ei = Synapses(exc, inh, on_pre="ge_post += w_ei", namespace=ns)
    ei.connect(j="i")
    ie = Synapses(inh, exc, on_pre="gi_post += w_ie", namespace=ns)
    ie.connect(condition="i != j")
    counts = SpikeMonitor(exc, record=False, name="counts")
    return Network(inp, exc, inh, s, ei, ie, counts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=200)
    ap.add_argument("--neurons", type=int, default=400)
    ap.add_argument("--out", default=None, help="write the figures here as JSON")
    args = ap.parse_args()
    prefs.codegen.target = "cython"
    defaultclock.dt = 0.5 * ms
    seed(1)
    x, _, _, _ = load_mnist(1)
    net = build(args.neurons)
    inp, syn, counts = net["input"], net["input_exc"], net["counts"]
    times, presentations = [], 0
    for k in range(args.images + 1):
        t0 = time.perf_counter()
        w = np.asarray(syn.w[:]).reshape(784, -1)
        syn.w[:] = (w * (WEIGHT_SUM / w.sum(axis=0))).reshape(-1)
        intensity = INTENSITY
        while True:
            before = np.asarray(counts.count[:]).copy()
            inp.rates = x[k] * RATE_STEP * intensity * Hz
            net.run(PRESENT * 1000 * ms)
            spikes = np.asarray(counts.count[:]) - before
            inp.rates = 0 * Hz
            net.run(REST * 1000 * ms)
            presentations += k > 0
            if spikes.sum() >= MIN_SPIKES or intensity >= INTENSITY + MAX_REPEATS:
                break
            intensity += 1
        if k > 0:  # the first image compiles everything
            times.append(time.perf_counter() - t0)
    result = {"images": args.images, "neurons": args.neurons,
              "ms_per_image": 1000 * sum(times) / len(times),
              "presentations": presentations}
    print(json.dumps(result))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f)


if __name__ == "__main__":
    main()
