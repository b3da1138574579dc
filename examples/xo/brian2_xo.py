#!/usr/bin/python3
"""The X/O study's network and protocol in Brian2 2.5.1 (runtime mode,
Cython), for the time comparison with snnc: one trial, as a Brian2 user
would write it efficiently (inputs and teacher as TimedArrays, one run per
phase rather than one per presentation).

    /usr/bin/python3 examples/xo/brian2_xo.py [--target cython|numpy] [--trials 2]

Prints the accuracy of each trial and its wall time; the first trial also
pays for Cython's compilation (cached on disk afterwards), so the time to
compare is that of the later trials.
"""
import argparse
import time

import numpy as np
from brian2 import *  # noqa: F401,F403

STIM, TDELAY, TEACH, GAP = 0.050, 0.010, 0.030, 0.050
IN_CURRENT, TEACH_CURRENT = 30.0, 25.0  # mV/ms


def images():
    x = np.zeros(25, int)
    o = np.zeros(25, int)
    for r in range(5):
        x[r * 5 + r] = x[r * 5 + 4 - r] = 1
        for c in range(5):
            o[r * 5 + c] = int(r in (0, 4) or c in (0, 4))
    return x, o


def flip(im, k, rng):
    im = im.copy()
    idx = rng.permutation(25)[:k]
    im[idx] ^= 1
    return im


def trial(index):
    start_scope()
    rng = np.random.RandomState(index)
    seed(index)
    defaultclock.dt = 0.5 * ms
    protos = images()
    period = STIM + GAP
    n_train = int(15.0 / period + 1e-9)
    labels = rng.permutation([k % 2 for k in range(n_train)])
    # Inputs and teacher as 10 ms-step tables over the whole trial (25 s).
    steps = int(25.0 / 0.010)
    inp = np.zeros((steps, 25))
    teach = np.zeros((steps, 2))
    seen = set()
    for n, label in enumerate(labels):
        im = flip(protos[label], rng.randint(2), rng)
        seen.add(tuple(im))
        k0 = int(round(n * period / 0.010))
        inp[k0:k0 + 5] = im * IN_CURRENT * rng.uniform(0.6, 1.4, 25)
        teach[k0 + 1:k0 + 4, label] = TEACH_CURRENT
    tests = rng.permutation([k % 2 for k in range(10)])
    for n, label in enumerate(tests):
        while True:
            im = flip(protos[label], 2, rng)
            if tuple(im) not in seen:
                break
        k0 = int(round((15.5 + n) / 0.010))
        inp[k0:k0 + 5] = im * IN_CURRENT * rng.uniform(0.6, 1.4, 25)
    stim = TimedArray(inp * mV / ms, dt=10 * ms)
    teacher = TimedArray(teach * mV / ms, dt=10 * ms)

    a, b, c, d = 0.02 / ms, 0.2 / ms, -65 * mV, 8 * mV / ms
    eqs = '''dv/dt = (0.04/ms/mV*v**2 + 5/ms*v + 140*mV/ms - u + I) : volt
             du/dt = a*(b*v - u) : volt/second
             I : volt/second'''
    groups = []
    for n, drive in ((25, 'stim(t, i)'), (5, '0*mV/ms'), (2, 'teacher(t, i)')):
        g = NeuronGroup(n, eqs.replace('I : volt/second', f'I = {drive} : volt/second'),
                        threshold='v >= 30*mV', reset='v = c; u += d', method='euler')
        g.v = c
        g.u = 'b*v'
        groups.append(g)
    inp_g, hid, out = groups
    wmax, w_in, w_out = 1.0, 5 * mV, 17 * mV
    taupre = taupost = 15 * ms
    Apre, Apost = 0.06, -0.045
    model = '''w : 1
               learning : 1
               dapre/dt = -apre/taupre : 1 (event-driven)
               dapost/dt = -apost/taupost : 1 (event-driven)'''
    post = 'apost += Apost\nw = clip(w + learning*(apre - beta), 0, wmax)'
    beta = 0.03
    ih = Synapses(inp_g, hid, model, on_pre='v_post += w*w_in\napre += Apre\n'
                  'w = clip(w + learning*apost, 0, wmax)', on_post=post)
    ih.connect()
    ih.w = '0.3 + 0.4*rand()'
    ih.learning = 1
    ho = Synapses(hid, out, model, on_pre='v_post += w*w_out\napre += Apre\n'
                  'w = clip(w + learning*apost, 0, wmax)',
                  on_post=post.replace('beta', 'beta_out'))
    beta_out = 0.008
    ho.connect()
    ho.w = '0.2 + 0.2*rand()'
    ho.learning = 1
    inh = Synapses(hid, hid, on_pre='v_post = clip(v_post - 15*mV, -80*mV, 30*mV)')
    inh.connect('i != j')
    inh_out = Synapses(out, out, on_pre='v_post = clip(v_post - 40*mV, -80*mV, 30*mV)')
    inh_out.connect('i != j')
    spikes = SpikeMonitor(out)
    run(15 * second)
    ih.learning = 0
    ho.learning = 0
    run(10 * second)
    correct = 0
    t = np.asarray(spikes.t / second)
    i = np.asarray(spikes.i)
    for n, label in enumerate(tests):
        t0 = 15.5 + n
        sel = (t >= t0) & (t < t0 + 0.1)
        counts = np.bincount(i[sel], minlength=2)
        pred = int(np.argmax(counts)) if counts[0] != counts[1] else rng.randint(2)
        correct += pred == label
    return correct / 10


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--target', default='cython')
    ap.add_argument('--trials', type=int, default=2)
    args = ap.parse_args()
    prefs.codegen.target = args.target
    for k in range(args.trials):
        t0 = time.time()
        acc = trial(k + 1)
        print(f'trial {k + 1}: accuracy {100 * acc:.0f} %, wall {time.time() - t0:.2f} s',
              flush=True)


if __name__ == '__main__':
    main()
