#!/usr/bin/python3
"""Firing rates of the contract models (CUBA, COBAHH, STDP with Poisson
input) in Brian2 2.5.1, averaged over seeds, for the statistical tests of
snnc's random models (tests/rates.cpp). Writes tests/reference/brian2/rates.json.

    /usr/bin/python3 tests/reference/gen_brian2_rates.py
"""
import json
import os

import numpy as np
from brian2 import *  # noqa: F401,F403

prefs.codegen.target = 'cython'
HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = [1, 2, 3]


def cuba(seed):
    start_scope()
    seed_fn(seed)
    N, Ne = 4000, 3200
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    we, wi = (60 * 0.27 / 10) * mV, (-20 * 4.5 / 10) * mV
    eqs = '''dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
             dge/dt = -ge/taue : volt (unless refractory)
             dgi/dt = -gi/taui : volt (unless refractory)'''
    P = NeuronGroup(N, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms, method='exact')
    P.v = 'Vr + rand() * (Vt - Vr)'
    P.ge = 0 * mV
    P.gi = 0 * mV
    Ce = Synapses(P, P, on_pre='ge += we')
    Ci = Synapses(P, P, on_pre='gi += wi')
    Ce.connect('i<Ne', p=80. / N)
    Ci.connect('i>=Ne', p=80. / N)
    s_mon = SpikeMonitor(P)
    run(1 * second)
    return s_mon.num_spikes / N / 1.0, (len(Ce) + len(Ci)) / N


def coba_hh(seed):
    start_scope()
    seed_fn(seed)
    N = 4000
    area = 20000 * umetre ** 2
    Cm = (1 * ufarad * cm ** -2) * area
    gl = (5e-5 * siemens * cm ** -2) * area
    El, EK, ENa = -60 * mV, -90 * mV, 50 * mV
    g_na = (100 * msiemens * cm ** -2) * area
    g_kd = (30 * msiemens * cm ** -2) * area
    VT = -63 * mV
    taue, taui = 5 * ms, 10 * ms
    Ee, Ei = 0 * mV, -80 * mV
    we, wi = 6 * nS, 67 * nS
    eqs = Equations('''
    dv/dt = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v)-g_na*(m*m*m)*h*(v-ENa)-g_kd*(n*n*n*n)*(v-EK))/Cm : volt
    dm/dt = alpha_m*(1-m)-beta_m*m : 1
    dn/dt = alpha_n*(1-n)-beta_n*n : 1
    dh/dt = alpha_h*(1-h)-beta_h*h : 1
    dge/dt = -ge*(1./taue) : siemens
    dgi/dt = -gi*(1./taui) : siemens
    alpha_m = 0.32*(mV**-1)*(13*mV-v+VT)/(exp((13*mV-v+VT)/(4*mV))-1.)/ms : Hz
    beta_m = 0.28*(mV**-1)*(v-VT-40*mV)/(exp((v-VT-40*mV)/(5*mV))-1)/ms : Hz
    alpha_h = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
    beta_h = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
    alpha_n = 0.032*(mV**-1)*(15*mV-v+VT)/(exp((15*mV-v+VT)/(5*mV))-1.)/ms : Hz
    beta_n = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
    ''')
    P = NeuronGroup(N, model=eqs, threshold='v>-20*mV', refractory=3 * ms,
                    method='exponential_euler')
    Pe, Pi = P[:3200], P[3200:]
    Ce = Synapses(Pe, P, on_pre='ge+=we')
    Ci = Synapses(Pi, P, on_pre='gi+=wi')
    Ce.connect(p=80.0 / N)
    Ci.connect(p=80.0 / N)
    P.v = 'El + (randn() * 5 - 5)*mV'
    P.ge = '(randn() * 1.5 + 4) * 10.*nS'
    P.gi = '(randn() * 12 + 20) * 10.*nS'
    s_mon = SpikeMonitor(P)
    run(1 * second)
    return s_mon.num_spikes / N / 1.0, (len(Ce) + len(Ci)) / N


def stdp(seed):
    start_scope()
    seed_fn(seed)
    N = 1000
    taum, taupre, taupost = 10 * ms, 20 * ms, 20 * ms
    Ee, vt, vr, El, taue = 0 * mV, -54 * mV, -60 * mV, -74 * mV, 5 * ms
    F, gmax = 15 * Hz, .01
    dApre = .01
    dApost = -dApre * taupre / taupost * 1.05
    dApost *= gmax
    dApre *= gmax
    eqs_neurons = '''dv/dt = (ge * (Ee-vr) + El - v) / taum : volt
                     dge/dt = -ge / taue : 1'''
    poisson_input = PoissonGroup(N, rates=F)
    neurons = NeuronGroup(1, eqs_neurons, threshold='v>vt', reset='v = vr', method='exact')
    neurons.v = vr
    S = Synapses(poisson_input, neurons,
                 '''w : 1
                    dApre/dt = -Apre / taupre : 1 (event-driven)
                    dApost/dt = -Apost / taupost : 1 (event-driven)''',
                 on_pre='''ge += w
                    Apre += dApre
                    w = clip(w + Apost, 0, gmax)''',
                 on_post='''Apost += dApost
                    w = clip(w + Apre, 0, gmax)''')
    S.connect()
    S.w = 'rand() * gmax'
    in_mon = SpikeMonitor(poisson_input, record=False)
    out_mon = SpikeMonitor(neurons, record=False)
    run(1 * second)
    return in_mon.num_spikes / N / 1.0, out_mon.num_spikes / 1.0, float(np.mean(S.w[:]))


def seed_fn(s):
    seed(s)


if __name__ == '__main__':
    out = {}
    for name, f in (('cuba', cuba), ('coba_hh', coba_hh), ('stdp', stdp)):
        res = [f(s) for s in SEEDS]
        out[name] = {'seeds': SEEDS, 'results': res}
        print(name, res, flush=True)
    with open(os.path.join(HERE, 'brian2', 'rates.json'), 'w') as fh:
        json.dump(out, fh, indent=1)
