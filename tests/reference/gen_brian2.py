#!/usr/bin/python3
"""Generates the Brian2 reference arrays for the differential tests.

Each case mirrors one model in tests/differential/<case>.snn, written with
Brian2 2.5.1's own API, and saves what snnc's monitors record there, under
the same names: tests/reference/brian2/<case>/<monitor>_<field>.npy.

Run with Debian's python3-brian (not a virtualenv):
    /usr/bin/python3 tests/reference/gen_brian2.py [case ...]
The arrays are small and committed, so the tests run without Brian2.
"""
import os
import sys

import numpy as np
from brian2 import *  # noqa: F401,F403 (Brian2's own idiom)

prefs.codegen.target = 'numpy'  # the reference semantics, without a C++ build
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from b2ref import HERE, save, spikes, state  # noqa: E402,F401


def case_linear():
    start_scope()
    tau = 1 * second
    G = NeuronGroup(10, 'dv/dt=-v/tau:1')
    G.v = '0.1 + 0.1*i'
    st = StateMonitor(G, 'v', record=True, dt=1 * ms)
    run(100 * ms)
    state('linear', 'st', st, 'v')


def case_euler():
    start_scope()
    tau = 1 * second
    G = NeuronGroup(10, 'dv/dt=-v**1.1/tau:1')
    G.v = '0.1 + 0.1*i'
    st = StateMonitor(G, 'v', record=True, dt=1 * ms)
    run(100 * ms)
    state('euler', 'st', st, 'v')


def case_lif():
    start_scope()
    tau = 10 * ms
    G = NeuronGroup(1, 'dv/dt=(1.2-v)/tau:1', threshold='v>1', reset='v=0')
    sp = SpikeMonitor(G)
    run(1000 * ms)
    spikes('lif', 'sp', sp)


def case_lif_refractory():
    start_scope()
    tau = 10 * ms
    G = NeuronGroup(1, 'dv/dt=(1.2-v)/tau:1 (unless refractory)',
                    threshold='v>1', reset='v=0', refractory=1 * ms)
    sp = SpikeMonitor(G)
    st = StateMonitor(G, 'v', record=True, dt=0.5 * ms)
    run(1000 * ms)
    spikes('lif_refractory', 'sp', sp)
    state('lif_refractory', 'st', st, 'v')


IZH = '''
dv/dt = (0.04/ms/mV*v**2 + 5/ms*v + 140*mV/ms - u + I) : volt
du/dt = a*(b*v - u) : volt/second
I : volt/second
a : 1/second (constant)
b : 1/second (constant)
c : volt (constant)
d : volt/second (constant)
'''


def izhikevich(n, a, b, c, d, method='euler'):
    G = NeuronGroup(n, IZH, threshold='v >= 30*mV', reset='v = c; u += d',
                    method=method)
    G.a, G.b, G.c, G.d = a, b, c, d
    G.v = c
    G.u = 'b*c'
    return G


def case_izhikevich_net():
    start_scope()
    defaultclock.dt = 0.5 * ms
    drive = TimedArray([0, 10, 10, 0], dt=250 * ms)
    rs = izhikevich(10, 0.02 / ms, 0.2 / ms, -65 * mV, 8 * mV / ms)
    fs = izhikevich(10, 0.1 / ms, 0.2 / ms, -65 * mV, 3 * mV / ms)
    ch = izhikevich(10, 0.02 / ms, 0.2 / ms, -50 * mV, 2 * mV / ms)
    for g in (rs, fs, ch):
        # snnc's `every 1*ms:` runs at the start of the step, before monitors.
        g.run_regularly('I = drive(t)*mV/ms*(1 + 0.1*i)', dt=1 * ms,
                        when='start', order=-1)
    # Named variables: Brian2's run() collects objects from the local names.
    rs_spikes, fs_spikes, ch_spikes = SpikeMonitor(rs), SpikeMonitor(fs), SpikeMonitor(ch)
    st = StateMonitor(rs, 'v', record=[0, 9], dt=1 * ms)
    run(1 * second)
    spikes('izhikevich_net', 'rs_spikes', rs_spikes)
    spikes('izhikevich_net', 'fs_spikes', fs_spikes)
    spikes('izhikevich_net', 'ch_spikes', ch_spikes)
    state('izhikevich_net', 'rs_v', st, 'v')


def case_izhikevich_rk4():
    start_scope()
    defaultclock.dt = 0.1 * ms
    a, b = 0.02 / ms, 0.2 / ms
    G = NeuronGroup(5, '''
        dv/dt = (0.04/ms/mV*v**2 + 5/ms*v + 140*mV/ms - u + I) : volt
        du/dt = a*(b*v - u) : volt/second
        I : volt/second''', threshold='v >= 30*mV',
                    reset='v = -65*mV; u += 8*mV/ms', method='rk4')
    G.v = -65 * mV
    G.u = 'b*v'
    G.I = '(4 + 2*i)*mV/ms'
    sp = SpikeMonitor(G, variables=['u', 'I'])
    st = StateMonitor(G, ['v', 'u'], record=[0, 4], dt=1 * ms)
    run(100 * ms)
    G.I = 12 * mV / ms
    run(150 * ms)
    run(50 * ms)
    spikes('izhikevich_rk4', 'sp', sp, 'u', 'I')
    state('izhikevich_rk4', 'st', st, 'v', 'u')


def case_rk2_heun():
    start_scope()
    tau = 20 * ms
    eqs = '''dv/dt = (v0 - v + 0.1*v**2/(1*mV))/tau : volt
             v0 : volt'''
    A = NeuronGroup(4, eqs, threshold='v > 20*mV', reset='v = 0*mV', method='rk2')
    B = NeuronGroup(4, eqs, threshold='v > 20*mV', reset='v = 0*mV', method='heun')
    A.v0 = '(5 + 2*i)*mV'
    B.v0 = '(5 + 2*i)*mV'
    a_sp, b_sp = SpikeMonitor(A), SpikeMonitor(B)
    a_st = StateMonitor(A, 'v', record=True, dt=1 * ms)
    run(300 * ms)
    spikes('rk2_heun', 'a_sp', a_sp)
    spikes('rk2_heun', 'b_sp', b_sp)
    state('rk2_heun', 'a_st', a_st, 'v')


def case_hh():
    start_scope()
    area = 20000 * umetre ** 2
    Cm = (1 * ufarad * cm ** -2) * area
    gl = (5e-5 * siemens * cm ** -2) * area
    El, EK, ENa = -60 * mV, -90 * mV, 50 * mV
    g_na = (100 * msiemens * cm ** -2) * area
    g_kd = (30 * msiemens * cm ** -2) * area
    VT, Ee, Ei = -63 * mV, 0 * mV, -80 * mV
    eqs = '''
    dv/dt = (gl*(El-v) + ge*(Ee-v) + gi*(Ei-v) - g_na*(m*m*m)*h*(v-ENa) - g_kd*(n*n*n*n)*(v-EK))/Cm : volt
    dm/dt = alpha_m*(1-m) - beta_m*m : 1
    dn/dt = alpha_n*(1-n) - beta_n*n : 1
    dh/dt = alpha_h*(1-h) - beta_h*h : 1
    ge : siemens
    gi : siemens
    alpha_m = 0.32*(mV**-1)*(13*mV-v+VT)/(exp((13*mV-v+VT)/(4*mV))-1.)/ms : Hz
    beta_m = 0.28*(mV**-1)*(v-VT-40*mV)/(exp((v-VT-40*mV)/(5*mV))-1)/ms : Hz
    alpha_h = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
    beta_h = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
    alpha_n = 0.032*(mV**-1)*(15*mV-v+VT)/(exp((15*mV-v+VT)/(5*mV))-1.)/ms : Hz
    beta_n = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
    '''
    P = NeuronGroup(4, eqs, threshold='v > -20*mV', refractory=3 * ms,
                    method='exponential_euler')
    P.v = 'El + (2*i - 5)*mV'
    P.ge = '(10 + 5*i)*nS'
    P.gi = 20 * nS
    sp = SpikeMonitor(P)
    st = StateMonitor(P, ['v', 'm'], record=[0, 3], dt=0.5 * ms)
    sa = StateMonitor(P, 'alpha_m', record=[0, 3], dt=0.5 * ms)
    run(200 * ms)
    spikes('hh', 'sp', sp)
    state('hh', 'st', st, 'v', 'm')
    state('hh', 'sa', sa, 'alpha_m')


def case_cuba_neuron():
    start_scope()
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    eqs = '''
    dv/dt = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt (unless refractory)
    dgi/dt = -gi/taui : volt (unless refractory)
    '''
    P = NeuronGroup(8, eqs, threshold='v > Vt', reset='v = Vr',
                    refractory=5 * ms, method='exact')
    P.v = 'Vr + (Vt - Vr)*i/8'
    # snnc's events: `every 7*ms (from 3*ms)`, `every 11*ms (from 5*ms,
    # until 150*ms)`, `at 100*ms`, all at the start of the step.
    @network_operation(when='start', order=-1)
    def events(t):
        step = int(round(t / defaultclock.dt))
        if step >= 30 and (step - 30) % 70 == 0:
            P.ge += (1 + 0.2 * np.arange(8)) * mV
        if 50 <= step <= 1500 and (step - 50) % 110 == 0:
            P.gi -= 1.5 * mV
        if step == 1000:
            P.v = Vr
    sp = SpikeMonitor(P)
    st = StateMonitor(P, ['v', 'ge', 'gi'], record=[0, 7], dt=1 * ms)
    r = PopulationRateMonitor(P)
    run(200 * ms)
    spikes('cuba_neuron', 'sp', sp)
    state('cuba_neuron', 'st', st, 'v', 'ge', 'gi')
    bins = 100  # 10 ms of 0.1 ms steps
    rate = np.asarray(r.rate / Hz).reshape(-1, bins).mean(axis=1)
    save('cuba_neuron', 'r', t=np.arange(len(rate)) * 0.01, rate=rate)


def case_timed_input():
    start_scope()
    tau = 10 * ms
    stim = TimedArray([[0, 1, 2], [3, 0, 1], [2, 2, 0], [0, 3, 3]], dt=25 * ms)
    gate = TimedArray([1, 0, 1, 1], dt=25 * ms)
    G = NeuronGroup(3, 'dv/dt = (stim(t, i)*gate(t)*1.5 - v)/tau : 1',
                    threshold='v > 1', reset='v = 0', method='euler')
    sp = SpikeMonitor(G)
    st = StateMonitor(G, 'v', record=True, dt=1 * ms)
    run(100 * ms)
    spikes('timed_input', 'sp', sp)
    state('timed_input', 'st', st, 'v')


def case_loaded_data():
    start_scope()
    data = os.path.join(os.path.dirname(HERE), 'differential', 'data')
    tau = 5 * ms
    stim = TimedArray(np.load(os.path.join(data, 'stim.npy')), dt=10 * ms)
    gate = TimedArray(np.loadtxt(os.path.join(data, 'gate.csv')), dt=10 * ms)
    G = NeuronGroup(4, 'dv/dt = (stim(t, i)*gate(t)*0.8 - v)/tau : 1',
                    threshold='v > 1', reset='v = 0', method='exact')
    pairs = np.loadtxt(os.path.join(data, 'spikes.csv'), delimiter=',')
    recorded = SpikeGeneratorGroup(3, pairs[:, 0].astype(int), pairs[:, 1] * second)
    periodic = SpikeGeneratorGroup(2, [0, 1, 1], [1, 2.5, 4] * ms, period=10 * ms)
    sp, rec, per = SpikeMonitor(G), SpikeMonitor(recorded), SpikeMonitor(periodic)
    st = StateMonitor(G, 'v', record=True, dt=1 * ms)
    run(80 * ms)
    spikes('loaded_data', 'sp', sp)
    spikes('loaded_data', 'rec', rec)
    spikes('loaded_data', 'per', per)
    state('loaded_data', 'st', st, 'v')


def case_adex():
    start_scope()
    C, gL, EL, VT, DeltaT = 281 * pF, 30 * nS, -70.6 * mV, -50.4 * mV, 2 * mV
    Vcut = VT + 5 * DeltaT
    tauw, a, b, Vr = 144 * ms, 4 * nS, 0.0805 * nA, -70.6 * mV
    eqs = """
    dvm/dt = (gL*(EL - vm) + gL*DeltaT*exp((vm - VT)/DeltaT) + I - w)/C : volt
    dw/dt = (a*(vm - EL) - w)/tauw : amp
    I : amp
    """
    neuron = NeuronGroup(3, eqs, threshold='vm > Vcut', reset='vm = Vr; w += b',
                         method='euler')
    neuron.vm = EL
    sp = SpikeMonitor(neuron)
    st = StateMonitor(neuron, ['vm', 'w'], record=True, dt=0.5 * ms)
    run(20 * ms)
    neuron.I = '(0.6 + 0.4*i)*nA'
    run(100 * ms)
    neuron.I = 0 * nA
    run(20 * ms)
    spikes('adex', 'sp', sp)
    state('adex', 'st', st, 'vm', 'w')


def case_hh_speed():
    start_scope()
    num_neurons = 50
    area = 20000 * umetre ** 2
    Cm = 1 * ufarad * cm ** -2 * area
    gl = 5e-5 * siemens * cm ** -2 * area
    El, EK, ENa = -65 * mV, -90 * mV, 50 * mV
    g_na = 100 * msiemens * cm ** -2 * area
    g_kd = 30 * msiemens * cm ** -2 * area
    VT = -63 * mV
    eqs = Equations("""
    dv/dt = (gl*(El-v) - g_na*(m*m*m)*h*(v-ENa) - g_kd*(n*n*n*n)*(v-EK) + I)/Cm : volt
    dm/dt = 0.32*(mV**-1)*(13.*mV-v+VT)/(exp((13.*mV-v+VT)/(4.*mV))-1.)/ms*(1-m)-0.28*(mV**-1)*(v-VT-40.*mV)/(exp((v-VT-40.*mV)/(5.*mV))-1.)/ms*m : 1
    dn/dt = 0.032*(mV**-1)*(15.*mV-v+VT)/(exp((15.*mV-v+VT)/(5.*mV))-1.)/ms*(1.-n)-.5*exp((10.*mV-v+VT)/(40.*mV))/ms*n : 1
    dh/dt = 0.128*exp((17.*mV-v+VT)/(18.*mV))/ms*(1.-h)-4./(1+exp((40.*mV-v+VT)/(5.*mV)))/ms*h : 1
    I : amp
    """)
    group = NeuronGroup(num_neurons, eqs, threshold='v > -40*mV', refractory='v > -40*mV')
    group.v = El
    group.I = '0.7*nA * i / num_neurons'
    sp = SpikeMonitor(group)
    st = StateMonitor(group, 'v', record=[10, 49], dt=1 * ms)
    run(100 * ms)
    spikes('hh_speed', 'sp', sp)
    state('hh_speed', 'st', st, 'v')


def case_synapses_pre():
    start_scope()
    tau = 5 * ms
    G = NeuronGroup(10, 'dV/dt = k/tau : 1\nk : 1', threshold='V>1', reset='V=0')
    G.k = '1 + 4*i/9'
    H = NeuronGroup(10, 'V:1')
    S = Synapses(G, H, on_pre='V += 1')
    S.connect(j='i')
    st = StateMonitor(H, 'V', record=True, dt=1 * ms)
    run(101 * ms)
    state('synapses_pre', 'st', st, 'V')


def case_synapses_post():
    start_scope()
    tau = 5 * ms
    G = NeuronGroup(10, 'dV/dt = k/tau : 1\nk : 1', threshold='V>1', reset='V=0')
    G.k = '1 + 4*i/9'
    H = NeuronGroup(10, 'V:1')
    S = Synapses(H, G, on_post='V_pre += 1')
    S.connect(j='i')
    st = StateMonitor(H, 'V', record=True, dt=1 * ms)
    run(101 * ms)
    state('synapses_post', 'st', st, 'V')


def cuba_net_network():
    """The neurons and synapses of tests/differential/cuba_net.snn, with its
    fixed connectivity; constants in an explicit namespace, so that the
    caller's frame (where run() looks) needs only the objects."""
    ns = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, Vt=-50 * mV, Vr=-60 * mV, El=-49 * mV,
              we=(60 * 0.27 / 10) * mV * 4, wi=(-20 * 4.5 / 10) * mV * 4)
    eqs = """
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt (unless refractory)
    dgi/dt = -gi/taui : volt (unless refractory)
    """
    P = NeuronGroup(1000, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms,
                    method='exact', namespace=ns)
    P.v = 'Vr + (Vt - Vr)*((i*7919) % 1000)/1000'
    Ce = Synapses(P, P, on_pre='ge += we', namespace=ns)
    Ci = Synapses(P, P, on_pre='gi += wi', namespace=ns)
    data = os.path.join(os.path.dirname(HERE), 'differential', 'data')
    pe = np.load(os.path.join(data, 'cuba_e.npy')).astype(int)
    pi = np.load(os.path.join(data, 'cuba_i.npy')).astype(int)
    Ce.connect(i=pe[:, 0], j=pe[:, 1])
    Ci.connect(i=pi[:, 0], j=pi[:, 1])
    return P, Ce, Ci


def case_cuba_net():
    start_scope()
    # Brian2's numpy target sums repeated synaptic updates in another order
    # than its C++ targets (and snnc); in a chaotic network that shows.
    prefs.codegen.target = 'cython'
    P, Ce, Ci = cuba_net_network()
    sm = SpikeMonitor(P)
    st = StateMonitor(P, 'v', record=[0, 500, 999], dt=1 * ms)
    run(1 * second)
    spikes('cuba_net', 'sm', sm)
    state('cuba_net', 'st', st, 'v')
    prefs.codegen.target = 'numpy'


def case_synapse_features():
    start_scope()
    In = NeuronGroup(4, 'dv/dt = k/(10*ms) : 1\nk : 1', threshold='v > 1', reset='v = 0')
    In.k = '1 + 0.5*i'
    Out = NeuronGroup(3, """dv/dt = (-v + I/(1*nA))/(5*ms) : 1
                            I : amp
                            x : 1""", threshold='v > 0.5', reset='v = 0')
    A = Synapses(In, Out, """w : 1
                            dtr/dt = -tr/(20*ms) : 1 (event-driven)
                            I_post = w*0.3*nA : amp (summed)""",
                 on_pre='x_post += w\ntr += 1', on_post='tr -= 0.5')
    A.connect('(i + j) % 2 == 0', n=2)
    A.delay = '(1 + i + 2*j)*ms'
    A.w = '0.1*(i + 1) + 0.01*j'
    pairs = np.loadtxt(os.path.join(os.path.dirname(HERE), 'differential', 'data', 'pairs.csv'),
                       delimiter=',', dtype=int)
    B = Synapses(In, Out, on_pre='x_post += 100', delay=2.5 * ms)
    B.connect(i=pairs[:, 0], j=pairs[:, 1])
    so = SpikeMonitor(Out)
    st = StateMonitor(Out, ['v', 'x', 'I'], record=True, dt=1 * ms)
    sw = StateMonitor(A, 'tr', record=[0, 3, 5], dt=1 * ms)
    run(150 * ms)
    spikes('synapse_features', 'so', so)
    state('synapse_features', 'st', st, 'v', 'x', 'I')
    state('synapse_features', 'sw', sw, 'tr')


def case_stdp_feature():
    start_scope()
    data = os.path.join(os.path.dirname(HERE), 'differential', 'data')
    n_cells, n_recorded = 100, 10
    taum, taus = 20 * ms, 5 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    fac = (60 * 0.27 / 10)
    gmax = 20 * fac
    dApre = .01
    taupre = 20 * ms
    taupost = taupre
    dApost = -dApre * taupre / taupost * 1.05
    dApost *= 0.1 * gmax
    dApre *= 0.1 * gmax
    connectivity = np.load(os.path.join(data, 'stdp_w.npy'))
    v_init = np.load(os.path.join(data, 'stdp_v.npy')) * volt
    st = np.loadtxt(os.path.join(data, 'stdp_spikes.csv'), delimiter=',')
    sources, times = st[:, 0].astype(int), st[:, 1] * second
    eqs = Equations("""
    dv/dt = (g-(v-El))/taum : volt
    dg/dt = -g/taus         : volt
    """)
    P = NeuronGroup(n_cells, model=eqs, threshold='v>Vt', reset='v=Vr', refractory=5 * ms)
    Q = SpikeGeneratorGroup(n_cells, sources, times)
    P.v = v_init
    P.g = 0 * mV
    S = Synapses(P, P,
                 model="""dApre/dt=-Apre/taupre    : 1 (event-driven)
                          dApost/dt=-Apost/taupost : 1 (event-driven)
                          w                        : 1""",
                 on_pre="""g     += w*mV
                           Apre  += dApre
                           w      = w + Apost""",
                 on_post="""Apost += dApost
                            w      = w + Apre""")
    S.connect()
    S.w = fac * connectivity.flatten()
    T = Synapses(Q, P, model="w : 1", on_pre="g += w*mV")
    T.connect(j='i')
    T.w = 10 * fac
    spike_mon = SpikeMonitor(P)
    state_mon = StateMonitor(S, 'w', record=np.arange(n_recorded))
    v_mon = StateMonitor(P, 'v', record=np.arange(n_recorded))
    run(0.2 * second)
    spikes('stdp_feature', 'spike_mon', spike_mon)
    state('stdp_feature', 'state_mon', state_mon, 'w')
    state('stdp_feature', 'v_mon', v_mon, 'v')


def case_input_feature():
    start_scope()
    pairs = np.loadtxt(os.path.join(os.path.dirname(HERE), 'differential', 'data',
                                    'input_spikes.csv'), delimiter=',')
    G = SpikeGeneratorGroup(10, pairs[:, 0].astype(int), pairs[:, 1] * second)
    M = SpikeMonitor(G)
    run(100 * ms)
    spikes('input_feature', 'M', M)


def case_stdp_contract():
    start_scope()
    N = 1000
    taum, taupre, taupost = 10 * ms, 20 * ms, 20 * ms
    Ee, vt, vr, El, taue = 0 * mV, -54 * mV, -60 * mV, -74 * mV, 5 * ms
    gmax = 0.01
    dApre = 0.01 * gmax
    dApost = -0.01 * taupre / taupost * 1.05 * gmax
    pairs = np.loadtxt(os.path.join(os.path.dirname(HERE), 'differential', 'data',
                                    'stdp_input.csv'), delimiter=',')
    inp = SpikeGeneratorGroup(N, pairs[:, 0].astype(int), pairs[:, 1] * second)
    neuron = NeuronGroup(1, """dv/dt = (ge*(Ee-vr) + El - v)/taum : volt
                               dge/dt = -ge/taue : 1""",
                         threshold='v > vt', reset='v = vr', method='exact')
    neuron.v = vr
    S = Synapses(inp, neuron, """w : 1
                                dApre/dt = -Apre/taupre : 1 (event-driven)
                                dApost/dt = -Apost/taupost : 1 (event-driven)""",
                 on_pre="""ge += w
                           Apre += dApre
                           w = clip(w + Apost, 0, gmax)""",
                 on_post="""Apost += dApost
                            w = clip(w + Apre, 0, gmax)""")
    S.connect()
    S.w = 'gmax*((i*37) % 100)/100'
    out = SpikeMonitor(neuron)
    weights = StateMonitor(S, 'w', record=True, dt=100 * ms)
    run(1 * second)
    spikes('stdp_contract', 'out', out)
    state('stdp_contract', 'weights', weights, 'w')


def case_clock_driven():
    start_scope()
    In = NeuronGroup(3, 'dv/dt = k/(10*ms) : 1\nk : 1', threshold='v > 1', reset='v = 0')
    In.k = '1.2 + 0.6*i'
    Out = NeuronGroup(2, """dv/dt = (-v + I/(1*nA))/(4*ms) : 1
                            I : amp""", threshold='v > 0.6', reset='v = 0')
    S = Synapses(In, Out, """w : 1
                            dg/dt = -g/(8*ms) : 1 (clock-driven)
                            I_post = w*g*nA : amp (summed)""",
                 on_pre='g += 1', on_post='w = clip(w - 0.05, 0, 1)', method='euler')
    S.connect()
    S.post.delay = '(0.5 + i)*ms'
    S.w = '0.5 + 0.1*i - 0.2*j'
    so = SpikeMonitor(Out)
    sg = StateMonitor(S, ['g', 'w'], record=True, dt=1 * ms)
    so_v = StateMonitor(Out, 'v', record=True, dt=1 * ms)
    run(120 * ms)
    spikes('clock_driven', 'so', so)
    state('clock_driven', 'sg', sg, 'g', 'w')
    state('clock_driven', 'so_v', so_v, 'v')


def case_constant_over_dt():
    start_scope()
    drive = TimedArray([0, 2, 1, 3], dt=5 * ms)
    G = NeuronGroup(3, """dv/dt = (I - v)/(10*ms) : 1
                          I = drive(t)*(1 + 0.5*i) + 0.1*v : 1 (constant over dt)
                          J = 2*I : 1""", threshold='v > 1.5', reset='v = 0')
    H = NeuronGroup(2, 'dv/dt = -v/(5*ms) : 1')
    S = Synapses(G, H, """w : 1
                          wI = w*I_pre : 1 (constant over dt)""", on_pre='v_post += 0.1*wI')
    S.connect()
    S.w = '0.5 + 0.25*j'
    st = StateMonitor(G, ['v', 'I', 'J'], record=True)
    sp = SpikeMonitor(G)
    sh = StateMonitor(H, 'v', record=True)
    sw = StateMonitor(S, 'wI', record=True, dt=1 * ms)
    run(20 * ms)
    state('constant_over_dt', 'st', st, 'v', 'I', 'J')
    spikes('constant_over_dt', 'sp', sp)
    state('constant_over_dt', 'sh', sh, 'v')
    state('constant_over_dt', 'sw', sw, 'wI')


def case_cuba_final():
    # cuba_net (tests/differential/cuba_final.snn) read through snnc's API:
    # the neurons' not_refractory and lastspike after each of two runs, and
    # the spikes (tests/refractory.cpp).
    start_scope()
    prefs.codegen.target = 'cython'
    P, Ce, Ci = cuba_net_network()
    sm = SpikeMonitor(P)
    for k in (1, 2):
        run(150.3 * ms)
        save('cuba_final', f'run{k}', not_refractory=np.asarray(P.not_refractory_, np.float64),
             lastspike=np.asarray(P.lastspike_, np.float64))
    spikes('cuba_final', 'sm', sm)
    prefs.codegen.target = 'numpy'


def case_monitor_after_run():
    start_scope()
    tau = 10 * ms
    G = NeuronGroup(3, 'dv/dt = (1.2 + 0.1*i - v)/tau : 1', threshold='v > 1', reset='v = 0',
                    method='exact')
    early = SpikeMonitor(G)
    net = Network(G, early)
    net.run(30 * ms)
    late = SpikeMonitor(G)
    st = StateMonitor(G, 'v', record=[0, 2], dt=1 * ms)
    r = PopulationRateMonitor(G)
    net.add(late, st, r)
    net.run(40 * ms)
    spikes('monitor_after_run', 'early', early)
    spikes('monitor_after_run', 'late', late)
    state('monitor_after_run', 'st', st, 'v')



def case_subgroup_statements():
    start_scope()
    Ne = 6
    P = NeuronGroup(10, '''dv/dt = (I - v)/(10*ms) : volt
                           I : volt''', threshold='v > 10*mV', reset='v = 0*mV',
                    method='exact')
    P.I = 5 * mV
    S = Synapses(P[0:Ne], P[Ne:10], on_pre='v += 2*mV')
    S.connect()
    P[2:4].run_regularly('v += (1 + i)*mV', dt=5 * ms)
    sp = SpikeMonitor(P)
    st = StateMonitor(P, 'v', record=[0, 2, 3, 6, 9])
    run(10 * ms)
    P[5:10].I = '12*mV + i*mV'
    P[3:8].v = 'N*0.1*mV + i*0.01*mV'
    run(20 * ms)
    P[Ne:10].I = 0 * mV
    run(10 * ms)
    spikes('subgroup_statements', 'sp', sp)
    state('subgroup_statements', 'st', st, 'v')



def case_connect_generators():
    start_scope()
    P = NeuronGroup(10, '''dv/dt = (1.5 - v)/(10*ms) : 1
                           label : integer''', threshold='v > 1', reset='v = 0',
                    method='exact')
    P.v = '0.1*i'
    P.label = 'i % 3'
    A = Synapses(P, P, 'w : 1', on_pre='v += 0.1')
    A.connect(j='k for k in range(i - 2, i + 3) if k != i', skip_if_invalid=True)
    B = Synapses(P, P, 'w : 1', on_pre='v += 0.05')
    B.connect(j='i + 1 if i < 5')
    C = Synapses(P, P, 'w : 1', on_pre='v += 0.01')
    C.connect(j='k for k in range(N_post - 1, -1, -3)', n=2)
    D = Synapses(P[0:4], P[4:10], 'w : 1', on_pre='v += 0.02')
    D.connect(j='label_pre*2')
    for S in (A, B, C, D):
        S.w = 'i*100 + j'
    wa, wb, wc, wd = (StateMonitor(S, 'w', record=True, dt=10 * ms) for S in (A, B, C, D))
    sp = SpikeMonitor(P)
    net = Network(P, A, B, C, D, wa, wb, wc, wd, sp)  # explicit: the monitors are not named
    net.run(30 * ms)
    spikes('connect_generators', 'sp', sp)
    for name, mon in (('wa', wa), ('wb', wb), ('wc', wc), ('wd', wd)):
        state('connect_generators', name, mon, 'w')


def case_connect_generators_over_i():
    start_scope()
    P = NeuronGroup(10, '''dv/dt = (1.5 - v)/(10*ms) : 1
                           label : integer''', threshold='v > 1', reset='v = 0',
                    method='exact')
    P.v = '0.1*i'
    P.label = 'i % 3'
    Q = NeuronGroup(4, 'dv/dt = -v/(10*ms) : 1', method='exact')
    Q.v = '0.2*i'
    A = Synapses(P, P, 'w : 1', on_pre='v += 0.1')
    A.connect(i='j + k - 2 for k in range(5) if k != 2', skip_if_invalid=True)
    B = Synapses(P, P, 'w : 1', on_pre='v += 0.05')
    B.connect(i='j + 1 if j < 5')
    C = Synapses(P, P, 'w : 1', on_pre='v += 0.01')
    C.connect(i='k for k in range(N_pre - 1, -1, -3) if label_pre != label_post', n=2)
    D = Synapses(P[0:4], P[4:10], 'w : 1', on_pre='v += 0.02')
    D.connect(i='label_post')
    E = Synapses(P[3:10], Q, 'w : 1', on_pre='v += 0.1')
    E.connect(i='j + 2*k for k in range(N_pre) if v_post < 0.5 and rand() < 2',
              skip_if_invalid=True)
    for S in (A, B, C, D, E):
        S.w = 'i*100 + j'
    mons = [StateMonitor(S, 'w', record=True, dt=10 * ms) for S in (A, B, C, D, E)]
    sp = SpikeMonitor(P)
    vq = StateMonitor(Q, 'v', record=True, dt=1 * ms)
    net = Network(P, Q, A, B, C, D, E, sp, vq, *mons)
    net.run(30 * ms)
    spikes('connect_generators_over_i', 'sp', sp)
    state('connect_generators_over_i', 'vq', vq, 'v')
    for name, mon in zip(('wa', 'wb', 'wc', 'wd', 'we'), mons):
        state('connect_generators_over_i', name, mon, 'w')


def case_connect_sample_size():
    start_scope()
    P = NeuronGroup(20, '''dv/dt = (1.5 - v)/(10*ms) : 1
                           c : 1''', threshold='v > 1', reset='v = 0', method='exact')
    P.v = '0.05*i'
    Q = NeuronGroup(30, 'd : 1')
    S = Synapses(P, Q, on_pre='c_pre += 1')
    S.connect(j='k for k in sample(N_post, size=i // 2)')
    R = Synapses(P, Q, on_pre='c_pre += 100')
    R.connect(j='k for k in sample(2, N_post, 3, size=3)')
    W = Synapses(P, Q, on_pre='d_post += 1')
    W.connect(i='k for k in sample(N_pre, size=N_pre + 5)', skip_if_invalid=True)
    X = Synapses(P, Q, on_pre='d_post += 1000')
    X.connect(i='k for k in sample(N_pre, size=-1)', skip_if_invalid=True)
    sp = SpikeMonitor(P)
    cs = StateMonitor(P, 'c', record=True, dt=5 * ms)
    ds = StateMonitor(Q, 'd', record=True, dt=5 * ms)
    run(30 * ms)
    spikes('connect_sample_size', 'sp', sp)
    state('connect_sample_size', 'cs', cs, 'c')
    state('connect_sample_size', 'ds', ds, 'd')


def case_conditionally_linear():
    start_scope()
    defaultclock.dt = 0.01 * ms
    g_L, g_Ca, g_K = 2 * mS, 4 * mS, 8 * mS
    V_L, V_Ca, V_K = -50 * mV, 100 * mV, -70 * mV
    lambda_n__max = 1.0 / (15 * ms)
    V_1, V_2, V_3, V_4 = 10 * mV, 15 * mV, -1 * mV, 14.5 * mV
    C = 20 * uF
    eqs = '''
    dV/dt = (-g_L*(V - V_L) - g_Ca*m_inf*(V - V_Ca) - g_K*n*(V - V_K) + I)/C : volt
    dn/dt = lambda_n*(n_inf - n) : 1
    m_inf = 0.5*(1 + tanh((V - V_1)/V_2)) : 1
    n_inf = 0.5*(1 + tanh((V - V_3)/V_4)) : 1
    lambda_n = lambda_n__max*cosh((V - V_3)/(2*V_4)) : Hz
    I : amp
    '''
    ml = NeuronGroup(5, eqs, threshold='V > 0*mV', refractory='V > 0*mV',
                     method='exponential_euler')
    ml.I = '(i*75 + 100)*uA'
    ml.V = V_L
    ml.n = 'n_inf'
    sat = NeuronGroup(3, '''dv/dt = (E - v)/(10*ms*(1 + (v/(20*mV))**2)) : volt
                           dx/dt = (-x + 0.5*sin(3*x) + 1)/(5*ms) : 1
                           E : volt''', method='exponential_euler')
    sat.E = '(10 + 15*i)*mV'
    sat.x = '0.2*i'
    sp = SpikeMonitor(ml)
    st = StateMonitor(ml, ['V', 'n'], record=True, dt=0.1 * ms)
    ss = StateMonitor(sat, ['v', 'x'], record=True, dt=0.1 * ms)
    run(100 * ms)
    spikes('conditionally_linear', 'sp', sp)
    state('conditionally_linear', 'st', st, 'V', 'n')
    state('conditionally_linear', 'ss', ss, 'v', 'x')
    defaultclock.dt = 0.1 * ms


def case_values_from_data():
    start_scope()
    data = os.path.join(os.path.dirname(HERE), 'differential', 'data')
    tau = 10 * ms
    drive = TimedArray(np.load(os.path.join(data, 'drive_fortran.npy')), dt=20 * ms)
    P = NeuronGroup(6, '''dv/dt = (El - v + R*I + drive(t, i)*mV)/tau : volt
                           El : volt
                           I : amp
                           R : ohm
                           gain : 1''', threshold='v > -50*mV', reset='v = El + gain*mV',
                    method='exact')
    P.v = np.load(os.path.join(data, 'v0.npy')) * mV
    P.El = np.linspace(-62, -57, 6) * mV
    P.I = [0.1, 0.2, 0.25, 0.3, 0.35, 0.4] * nA
    P.R = (np.arange(6) * 5 + 20) * Mohm
    P.gain = np.arange(0.5, 3.5, 0.5)

    @network_operation(when='start', order=-1)  # snnc's `at`: before the monitors
    def at_15ms(t):
        if int(round(t / defaultclock.dt)) == 150:
            P.gain = [3, 2, 1, 0, -1, -2]

    sp = SpikeMonitor(P)
    st = StateMonitor(P, 'v', record=True, dt=0.5 * ms)
    run(20 * ms)
    P[2:5].I = [0.5, 0.45, 0.42] * nA
    run(20 * ms)
    spikes('values_from_data', 'sp', sp)
    state('values_from_data', 'st', st, 'v')


def case_summed_name():
    # A summed variable's name is the postsynaptic variable: read in on_pre, and
    # recorded through the synapses.
    start_scope()
    A = NeuronGroup(3, 'dv/dt = (1.2 - v)/(10*ms) : 1', threshold='v > 1', reset='v = 0',
                    method='exact')
    A.v = [0.0, 0.3, 0.6]
    B = NeuronGroup(2, """dv/dt = (g - v)/(5*ms) : 1
                          g : 1""", method='exact')
    S = Synapses(A, B, """ds/dt = -s/(8*ms) : 1 (clock-driven)
                          w : 1
                          g_post = w*s : 1 (summed)""",
                 on_pre='s += 1 + 0.5*g_post', method='exact')
    S.connect()
    S.w = '0.1 + 0.05*i + 0.02*j'
    st = StateMonitor(S, 'g_post', record=True)
    sg = StateMonitor(S, 's', record=True)
    run(60 * ms)
    state('summed_name', 'st', st, 'g_post')
    state('summed_name', 'sg', sg, 's')


def case_monitor_when():
    # State monitors at each slot they may record at: Brian2's `when`.
    start_scope()
    G = NeuronGroup(3, """dv/dt = (I - v)/(10*ms) : 1 (unless refractory)
                          I : 1
                          x = 2*v : 1""", threshold='v > 1', reset='v = -0.2',
                    refractory=2*ms, method='exact')
    G.I = [1.5, 2.0, 3.0]
    S = Synapses(G, G, on_pre='v_post += 0.05')
    S.connect('i != j')
    m_start = StateMonitor(G, ['v', 'x'], record=True)
    m_groups = StateMonitor(G, ['v', 'x'], record=True, when='groups')
    m_thr = StateMonitor(G, ['v', 'not_refractory'], record=True, when='thresholds')
    m_resets = StateMonitor(G, 'v', record=True, when='resets')
    m_end = StateMonitor(G, ['v', 'lastspike'], record=True, when='end')
    run(30 * ms)
    state('monitor_when', 'm_start', m_start, 'v', 'x')
    state('monitor_when', 'm_groups', m_groups, 'v', 'x')
    state('monitor_when', 'm_thr', m_thr, 'v', 'not_refractory')
    state('monitor_when', 'm_resets', m_resets, 'v')
    state('monitor_when', 'm_end', m_end, 'v', 'lastspike')


def case_monitor_slots():
    # State monitors in Brian2's before_... and after_... slots: each records
    # after the slot before it (after_synapses: after the pathways, before
    # the resets), for a group and for synapses.
    start_scope()
    G = NeuronGroup(3, """dv/dt = (I - v)/(10*ms) : 1 (unless refractory)
                          I : 1""", threshold='v > 1', reset='v = -0.2',
                    refractory=2*ms, method='exact')
    G.I = [1.5, 2.0, 3.0]
    S = Synapses(G, G, 'w : 1', on_pre='v_post += 0.05; w += 1')
    S.connect('i != j')
    slots = ['after_start', 'before_groups', 'after_groups', 'before_thresholds',
             'after_thresholds', 'before_synapses', 'after_synapses', 'before_resets',
             'after_resets', 'before_end', 'after_end']
    mons = [StateMonitor(G, 'v', record=True, when=w) for w in slots]
    sw = [StateMonitor(S, 'w', record=True, when=w)
          for w in ('after_groups', 'after_thresholds', 'after_synapses', 'after_end')]
    Network(G, S, *mons, *sw).run(20 * ms)  # (run() does not look into lists)
    for w, m in zip(slots, mons):
        state('monitor_slots', 'm_' + w, m, 'v')
    for w, m in zip(('after_groups', 'after_thresholds', 'after_synapses', 'after_end'), sw):
        state('monitor_slots', 's_' + w, m, 'w')


def case_synapse_delays():
    start_scope()
    data = os.path.join(os.path.dirname(HERE), 'differential', 'data')
    P = NeuronGroup(3, """dv/dt = (I - v)/(10*ms) : volt
                          I : volt""", threshold='v > 10*mV', reset='v = 0*mV', method='exact')
    P.I = [12, 15, 20] * mV
    S = Synapses(P, P, """w : volt
                          post_hits : 1""", on_pre='v_post += w', on_post='post_hits += 1')
    S.connect('i != j')
    S.delay = [0.5, 1.5, 2.0, 0.3, 1.0, 3.0] * ms
    S.post.delay = np.load(os.path.join(data, 'delay_post.npy')) * second
    S.w = 2 * mV
    sp = SpikeMonitor(P)
    sh = StateMonitor(S, 'post_hits', record=True)
    run(60 * ms)
    spikes('synapse_delays', 'sp', sp)
    state('synapse_delays', 'sh', sh, 'post_hits')


def case_temporaries():
    start_scope()
    P = NeuronGroup(4, """dv/dt = (I - v)/(10*ms) : volt
                          I : volt
                          a : 1""", threshold='v > 10*mV',
                    reset="""excess = (v - 10*mV)/mV
                             a += excess
                             v = -excess*0.1*mV""", method='exact')
    P.I = [11, 13, 15, 20] * mV
    S = Synapses(P, P, 'w : 1', on_pre="""dw = 0.01*(1 - w)
                                          dw *= 2
                                          w = clip(w + dw, 0, 1)
                                          v_post += w*mV""")
    S.connect('i != j')
    S.w = 0.5
    sp = SpikeMonitor(P)
    st = StateMonitor(P, ['v', 'a'], record=True)
    sw = StateMonitor(S, 'w', record=[0, 5, 11])
    run(80 * ms)
    spikes('temporaries', 'sp', sp)
    state('temporaries', 'st', st, 'v', 'a')
    state('temporaries', 'sw', sw, 'w')


def case_temporaries_kept():
    start_scope()
    tau_f = 20 * ms
    tau_d = 40 * ms
    U_0 = 0.4
    P = NeuronGroup(4, """dv/dt = (I - v)/(10*ms) + g/(5*ms) : volt
                          dg/dt = -g/(5*ms) : volt
                          I : volt
                          w : 1
                          k : integer""", threshold='v > 10*mV',
                    reset="""old = v
                             v = 0*mV
                             w = old/mV
                             n = k + 1
                             k = 2*n
                             n = n + k
                             w += n/100.0""", method='exact')
    P.I = [11, 13, 15, 20] * mV
    # init: x = I/mV; I = I + 0.5*mV; k = int(x)
    x = P.I[:] / mV
    P.I = P.I[:] + 0.5 * mV
    P.k = np.asarray(x, dtype=int)
    S = Synapses(P, P, """du_S/dt = (U_0 - u_S)/tau_f : 1 (event-driven)
                          dx_S/dt = (1 - x_S)/tau_d : 1 (event-driven)
                          c : 1""",
                 on_pre="""u_S += U_0*(1 - u_S)
                           r_S = u_S*x_S
                           x_S -= r_S
                           twice = 2*r_S
                           r_S = r_S*x_S
                           c += twice + r_S
                           g_post += 2*mV*r_S""")
    S.connect('i != j')
    S.x_S = 1
    S.u_S = 0
    sp = SpikeMonitor(P)
    st = StateMonitor(P, ['v', 'w', 'k'], record=True)
    sx = StateMonitor(S, ['x_S', 'u_S', 'c'], record=[0, 5, 11])
    run(80 * ms)
    spikes('temporaries_kept', 'sp', sp)
    state('temporaries_kept', 'st', st, 'v', 'w', 'k')
    state('temporaries_kept', 'sx', sx, 'x_S', 'u_S', 'c')


def case_shared_variables():
    start_scope()
    P = NeuronGroup(5, """drive = I*(1 + 0.5*phase) : volt (shared)
                          dv/dt = (drive*(1 + 0.1*i) - v)/(10*ms) : volt
                          I : volt (shared)
                          phase : 1 (shared)
                          count : integer (shared)""",
                    threshold='v > 10*mV', reset='v = 0*mV', method='exact')
    P.I = 9 * mV
    P.phase = 'I/(9*mV) - 1'
    P.run_regularly("""count = count + 1
                       phase = sin(count*0.7)""", dt=20 * ms, when='start')
    sp = SpikeMonitor(P)
    st = StateMonitor(P, ['v', 'phase', 'count', 'drive'], record=[0, 4])
    run(100 * ms)
    P.I = 'I + 2*mV'
    run(100 * ms)
    spikes('shared_variables', 'sp', sp)
    state('shared_variables', 'st', st, 'v', 'phase', 'count', 'drive')


def case_exact_parameters():
    start_scope()
    P = NeuronGroup(4, """dI_stim/dt = -I_stim/tau_stim : volt
                          dv/dt = (-v + I_stim + I_syn)/tau_mem : volt (unless refractory)
                          tau_mem : second
                          tau_stim : second
                          I_syn : volt""",
                    threshold='v > 15*mV', reset='v = 13.5*mV', refractory=2 * ms,
                    method='exact')
    P.tau_mem = [20, 30, 25, 40] * ms
    P.tau_stim = [5, 10, 7, 30] * ms
    P.I_stim = [40, 60, 80, 50] * mV
    P.run_regularly('I_stim += 30*mV', dt=50 * ms, when='start')
    S = Synapses(P, P, """A : volt
                          U : 1
                          tau_I : second
                          tau_rec : second
                          dx/dt = z/tau_rec : 1 (clock-driven)
                          dy/dt = -y/tau_I : 1 (clock-driven)
                          z = 1 - x - y : 1
                          I_syn_post = A*y : volt (summed)""",
                 on_pre="""y += U*x
                           x += -U*x""", method='exact')
    S.connect('i != j')
    S.A = '(1 + i + 0.5*j)*mV'
    S.U = '0.3 + 0.05*i'
    S.tau_I = '(3 + j)*ms'
    S.tau_rec = '(400 + 100*i)*ms'
    S.x = 1
    sp = SpikeMonitor(P)
    st = StateMonitor(P, ['v', 'I_stim'], record=True)
    sx = StateMonitor(S, ['x', 'y'], record=[0, 5, 11])
    run(300 * ms)
    spikes('exact_parameters', 'sp', sp)
    state('exact_parameters', 'st', st, 'v', 'I_stim')
    state('exact_parameters', 'sx', sx, 'x', 'y')


def case_postsynaptic_names():
    start_scope()
    # Brian2's C++/Cython semantics (a copy per name); its numpy target differs here.
    prefs.codegen.target = 'cython'
    G = NeuronGroup(3, """dx/dt = -x/(20*ms) : 1
                          y : 1
                          z : 1""",
                    threshold='(i == 0 and t < 0.25*ms) or (i == 2 and t > 1*ms and t < 1.35*ms)'
                              ' or (i == 1 and t > 2*ms and t < 2.25*ms)')
    G.x = '1 + i'
    S = Synapses(G, G, 'w : 1', on_pre="""x += 10
                                         y_post = x_post + y
                                         z_post = x*0.5""",
                 on_post="""x_pre += 1
                            w += x_post""")
    S.connect(i=[0, 2], j=[1, 1])
    st = StateMonitor(G, ['x', 'y', 'z'], record=True)
    sw = StateMonitor(S, 'w', record=True)
    run(3 * ms)
    prefs.codegen.target = 'numpy'
    state('postsynaptic_names', 'st', st, 'x', 'y', 'z')
    state('postsynaptic_names', 'sw', sw, 'w')


def case_multisynaptic_index():
    start_scope()
    P = NeuronGroup(4, """dv/dt = (I - v)/(10*ms) : volt
                          I : volt""", threshold='v > 10*mV', reset='v = 0*mV', method='exact')
    P.I = [12, 14, 16, 18] * mV
    Q = NeuronGroup(4, 'dv/dt = -v/(10*ms) : volt', method='exact')
    S = Synapses(P, Q, 'w : volt', on_pre='v_post += w', multisynaptic_index='copy')
    S.connect('i != j', n=3)
    S.delay = '(1 + copy)*ms'
    S.w = '(0.5 + copy)*mV'
    G = Synapses(P, Q, on_pre='v_post += (1 + number)*0.1*mV', multisynaptic_index='number')
    G.connect(j='k//2 for k in range(2*i, 2*i + 4) if k//2 < N_post')
    sp = SpikeMonitor(P)
    st = StateMonitor(Q, 'v', record=True)
    sc = StateMonitor(S, ['copy', 'w'], record=[0, 1, 2, 5])
    gc = StateMonitor(G, 'number', record=True)
    run(60 * ms)
    spikes('multisynaptic_index', 'sp', sp)
    state('multisynaptic_index', 'st', st, 'v')
    state('multisynaptic_index', 'sc', sc, 'copy', 'w')
    state('multisynaptic_index', 'gc', gc, 'number')


def case_synapse_matrix():
    start_scope()
    data = os.path.join(os.path.dirname(HERE), 'differential', 'data')
    P = NeuronGroup(5, """dv/dt = (I - v)/(10*ms) : volt
                          I : volt""", threshold='v > 10*mV', reset='v = 0*mV', method='exact')
    P.I = [12, 14, 16, 18, 20] * mV
    Q = NeuronGroup(4, 'dv/dt = -v/(10*ms) : volt', method='exact')
    S = Synapses(P[1:4], Q, 'w : volt', on_pre='v_post += w')
    S.connect('i != j')
    W = np.load(os.path.join(data, 'w_matrix.npy'))
    S.w = W[S.i[:], S.j[:]] * mV
    D = np.load(os.path.join(data, 'd_matrix.npy'))
    S.delay = D[S.i[:], S.j[:]] * ms
    sp = SpikeMonitor(P)
    st = StateMonitor(Q, 'v', record=True)
    sw = StateMonitor(S, 'w', record=True)
    run(30 * ms)
    W = np.load(os.path.join(data, 'w_matrix_f.npy'))
    S.w = W[S.i[:], S.j[:]] * mV + 0.1 * mV
    run(30 * ms)
    spikes('synapse_matrix', 'sp', sp)
    state('synapse_matrix', 'st', st, 'v')
    state('synapse_matrix', 'sw', sw, 'w')


def case_synapse_values():
    start_scope()
    data = os.path.join(os.path.dirname(HERE), 'differential', 'data')
    P = NeuronGroup(3, """dv/dt = (I - v)/(10*ms) : volt
                          I : volt""", threshold='v > 10*mV', reset='v = 0*mV', method='exact')
    P.I = [12, 15, 20] * mV
    S = Synapses(P, P, """w : volt
                          c : 1""", on_pre='v_post += w*c')
    S.connect('i != j')
    S.w = [0.5, 1.5, 2.0, 0.25, 1.0, 3.0] * mV
    S.c = 1
    sp = SpikeMonitor(P)
    sw = StateMonitor(S, ['w', 'c'], record=True)
    run(30 * ms)
    S.w = np.load(os.path.join(data, 'w_syn.npy')) * mV
    S.c = np.arange(6) * 0.2 + 0.5
    run(30 * ms)
    spikes('synapse_values', 'sp', sp)
    state('synapse_values', 'sw', sw, 'w', 'c')


def case_constants_between_runs():
    start_scope()
    taum = 10 * ms
    Vt = 15 * mV
    we = 2 * mV
    T = 20 * ms
    P = NeuronGroup(4, """dv/dt = (I - v)/taum : volt
                          I : volt""", threshold='v > Vt', reset='v = 0*mV', method='exact')
    P.I = [16, 18, 22, 30] * mV
    S = Synapses(P, P, on_pre='v_post += we')
    S.connect('i != j')
    S.delay = 'taum/5'
    sp = SpikeMonitor(P)
    st = StateMonitor(P, 'v', record=True)
    run(T)
    taum = 20 * ms
    we *= 2
    run(T)
    Vt = 12 * mV
    T = 10 * ms
    run(T)
    taum /= 4
    run(2 * T)
    spikes('constants_between_runs', 'sp', sp)
    state('constants_between_runs', 'st', st, 'v')


def case_constants_integer():
    start_scope()
    k = 2
    P = NeuronGroup(2, """x = k*1.0 + i : 1
                          dv/dt = (x - v)/(10*ms) : 1""", method='exact')
    m = StateMonitor(P, ['x', 'v'], record=True, when='end')
    run(1 * ms)
    k /= 4
    run(1 * ms)
    k = 2.5
    run(1 * ms)
    state('constants_integer', 'm', m, 'x', 'v')


def case_linked_index():
    # linked_var(..., index=...): index arrays (Brian2 2.5.1 takes int64
    # arrays only, not the name of a variable), into a smaller group and a
    # permutation.
    start_scope()
    inp = NeuronGroup(3, 'dx/dt = (1 + i - x)/(5*ms) : 1', method='exact')
    src = NeuronGroup(6, 'dy/dt = (0.5*i - y)/(8*ms) : 1', method='exact')
    G = NeuronGroup(6, '''dv/dt = (I + J - v)/(10*ms) : 1
                           I : 1 (linked)
                           J : 1 (linked)''', threshold='v > 1.2', reset='v = 0',
                    method='euler')
    G.I = linked_var(inp, 'x', index=np.arange(6) // 2)
    G.J = linked_var(src, 'y', index=np.array([5, 4, 3, 2, 1, 0]))
    sp = SpikeMonitor(G)
    st = StateMonitor(G, 'v', record=True)
    run(20 * ms)
    G.v = 0
    run(20 * ms)
    spikes('linked_index', 'sp', sp)
    state('linked_index', 'st', st, 'v')


def case_poisson_input_shared():
    # PoissonInput onto shared variables: one (certain) draw a step for the
    # group, read by its neurons.
    start_scope()
    G = NeuronGroup(3, '''dv/dt = (c - v)/(10*ms) + 0.1*i/ms : 1
                           c : 1 (shared)
                           z : volt (shared)''', threshold='v > 2', reset='v = 0',
                    method='euler')
    drive = PoissonInput(G, 'c', 5, 1/defaultclock.dt, weight=0.01)
    level = PoissonInput(G, 'z', 30, 1/defaultclock.dt, weight=0.5*mV)
    G.run_regularly('c = 0', dt=5*ms)
    sp = SpikeMonitor(G)
    st = StateMonitor(G, ['v', 'c', 'z'], record=True, when='end')
    run(12*ms)
    spikes('poisson_input_shared', 'sp', sp)
    state('poisson_input_shared', 'st', st, 'v', 'c', 'z')


def case_poisson_input():
    # PoissonInput where its draws are certain (rate 0 and 1/dt): the counts
    # are exact, and so is where it acts in the step: after the on_pre
    # pathways, before the on_post ones, and not while a neuron is
    # refractory (its write to an `unless refractory` variable waits).
    start_scope()
    G = NeuronGroup(3, 'dv/dt = 0/second : 1 (unless refractory)',
                    threshold='v > 4.5', reset='v = 0', refractory=5*defaultclock.dt)
    H = NeuronGroup(4, """x : volt
                          y : volt
                          y2 : volt""")
    K = NeuronGroup(2, 'u : 1', threshold='True')
    p_g = PoissonInput(G, 'v', 1, 1/defaultclock.dt, weight=1.0)
    p_never = PoissonInput(H, 'x', 100, 0*Hz, weight=1*volt)
    p_always = PoissonInput(H, 'y', 50, 1/defaultclock.dt, weight=2*volt)
    p_part = PoissonInput(H[1:3], 'y2', 50, 1/defaultclock.dt, weight='(i + 1)*volt')
    S = Synapses(G, K, 'w : 1', on_pre='u_post += v_pre', on_post='w = v_pre')
    S.connect()
    sp = SpikeMonitor(G)
    mg = StateMonitor(G, 'v', record=True)
    mh = StateMonitor(H, ['x', 'y', 'y2'], record=True, when='end')
    mk = StateMonitor(K, 'u', record=True, when='end')
    mw = StateMonitor(S, 'w', record=True, when='end')
    run(20*defaultclock.dt)
    spikes('poisson_input', 'sp', sp)
    state('poisson_input', 'mg', mg, 'v')
    state('poisson_input', 'mh', mh, 'x', 'y', 'y2')
    state('poisson_input', 'mk', mk, 'u')
    state('poisson_input', 'mw', mw, 'w')


def case_inf_constant():
    # Brian2's constant inf (Platkiewicz & Brette 2011: clip(v - Vi, 0*mV, inf*mV)).
    start_scope()
    Vi = -63*mV
    G = NeuronGroup(3, """dv/dt = (-70*mV - v + 20*mV*i)/(5*ms) : volt
                          dth/dt = (-55*mV + 0.8*clip(v - Vi, 0*mV, inf*mV) - th)/(5*ms) : volt
                          lim = clip(v, -inf*mV, -60*mV) : volt""",
                    threshold='v > th', reset='v = -70*mV', method='euler')
    G.v = -70*mV
    G.th = -55*mV
    sp = SpikeMonitor(G)
    m = StateMonitor(G, ['v', 'th', 'lim'], record=True)
    run(50*ms)
    spikes('inf_constant', 'sp', sp)
    state('inf_constant', 'm', m, 'v', 'th', 'lim')


def case_pathways():
    start_scope()
    G = NeuronGroup(3, """dv/dt = (I - v)/(10*ms) : volt
                          I : volt""", threshold='v > 10*mV', reset='v = 0*mV', method='exact')
    G.I = [12, 15, 20] * mV
    H = NeuronGroup(4, """dv/dt = (I - v)/(20*ms) : volt
                          I : volt""", threshold='v > 10*mV', reset='v = 0*mV', method='exact')
    H.I = [9, 11, 13, 15] * mV
    S = Synapses(G, H, """w : volt
                          dapre/dt = -apre/(5*ms) : 1 (event-driven)
                          hits : 1""",
                 on_pre={'pre': 'v_post += w\napre += 1',
                         'up': 'v_post = v_post*0.9',
                         'down': 'v_post -= 0.5*w*apre'},
                 on_post={'back': 'w = w + 0.1*mV*apre\nhits += 1'},
                 delay={'up': 1*ms}, name='S')
    S.connect()
    S.down.delay = '(i + j)*0.5*ms'
    S.w = 3 * mV
    S2 = Synapses(G, H, on_pre='v_post = v_post*0.8 + 1*mV', name='S2')
    S2.connect(j='i')
    g_sp = SpikeMonitor(G)
    h_sp = SpikeMonitor(H)
    hv = StateMonitor(H, 'v', record=True)
    sw = StateMonitor(S, ['w', 'hits'], record=True)
    net = Network(G, H, S, S2, g_sp, h_sp, hv, sw)
    net.run(80 * ms)
    spikes('pathways', 'g_sp', g_sp)
    spikes('pathways', 'h_sp', h_sp)
    state('pathways', 'hv', hv, 'v')
    state('pathways', 'sw', sw, 'w', 'hits')



def case_custom_events():
    # After Brian2's examples/advanced/custom_events.py, with a deterministic input.
    start_scope()
    times = np.arange(2, 300, 4.0) * ms
    inp = SpikeGeneratorGroup(1, np.zeros(len(times), dtype=int), times, name='inp')
    G = NeuronGroup(2, """dv/dt = (g - v)/(50*ms) : 1 (unless refractory)
                          dg/dt = -g/(10*ms) : 1
                          allow_gspike : boolean
                          n_end : 1""",
                    threshold='v > 1', reset='v = 0; g = 0; allow_gspike = True',
                    refractory=3 * ms, method='exact', name='G',
                    events={'gspike': 'g > 1 and allow_gspike',
                            'end_gspike': 'g < 1 and not allow_gspike',
                            'burst': 'v > 0.9',
                            'tail': 'v > 0.8 and not_refractory'})
    G.run_on_event('gspike', 'allow_gspike = False')
    G.run_on_event('end_gspike', 'allow_gspike = True; n_end += 1')
    G.run_on_event('tail', 'v -= 0.0001')
    G.allow_gspike = True
    Sin = Synapses(inp, G, on_pre='g += 0.5 + 0.1*j', name='Sin')
    Sin.connect()
    H = NeuronGroup(2, """dx/dt = -x/(10*ms) : 1
                          dy/dt = -y/(10*ms) : 1
                          dz/dt = -z/(10*ms) : 1""",
                    threshold='x > 2.5', reset='x = 0', method='exact', name='H',
                    events={'big': 'y > 1.5'})
    S = Synapses(G, H, 'w : 1',
                 on_pre={'pre': 'x_post += 1', 'gpath': 'y_post += 1', 'bpath': 'z_post += 0.5'},
                 on_post={'back': 'w += 1'},
                 on_event={'pre': 'spike', 'gpath': 'gspike', 'bpath': 'burst', 'back': 'big'},
                 delay={'gpath': 1 * ms}, name='S')
    S.connect()
    Mg = EventMonitor(G, 'gspike', 'g', name='Mg')
    Mt = EventMonitor(G, 'tail', 'v', name='Mt')
    Mb = EventMonitor(G, 'burst', name='Mb')
    Mh = EventMonitor(H, 'big', name='Mh')
    sp = SpikeMonitor(G, name='sp')
    st = StateMonitor(G, ['v', 'g', 'n_end'], record=True, name='st')
    st_resets = StateMonitor(G, 'v', record=True, when='resets', name='st_resets')
    hs = StateMonitor(H, ['x', 'y', 'z'], record=True, name='hs')
    sw = StateMonitor(S, 'w', record=True, name='sw')
    net = Network(inp, G, Sin, H, S, Mg, Mt, Mb, Mh, sp, st, st_resets, hs, sw)
    net.run(300 * ms)
    spikes('custom_events', 'Mg', Mg, 'g')
    spikes('custom_events', 'Mt', Mt, 'v')
    spikes('custom_events', 'Mb', Mb)
    spikes('custom_events', 'Mh', Mh)
    spikes('custom_events', 'sp', sp)
    state('custom_events', 'st', st, 'v', 'g', 'n_end')
    state('custom_events', 'st_resets', st_resets, 'v')
    state('custom_events', 'hs', hs, 'x', 'y', 'z')
    state('custom_events', 'sw', sw, 'w')



def case_linked_variables():
    start_scope()
    inp = NeuronGroup(1, 'dx/dt = (2 - x)/(5*ms) : 1', method='exact', name='inp')
    drive = NeuronGroup(4, 'dy/dt = (i + 1 - y)/(20*ms) : 1', method='exact', name='drive')
    G = NeuronGroup(4, """dv/dt = (0.9 + 0.5*I + 0.2*J - v)/(10*ms) : 1
                          I : 1 (linked)
                          J : 1 (linked)
                          K = I + J : 1""",
                    threshold='v > 1 + 0.01*I', reset='v = 0.1*J', method='exact', name='G')
    G.I = linked_var(inp, 'x')
    G.J = linked_var(drive, 'y')
    sp = SpikeMonitor(G, name='sp')
    st = StateMonitor(G, ['v', 'K'], record=True, name='st')
    ix = StateMonitor(inp, 'x', record=True, name='ix')
    net = Network(inp, drive, G, sp, st, ix)
    net.run(50 * ms)
    inp.x = 0
    net.run(50 * ms)
    spikes('linked_variables', 'sp', sp)
    state('linked_variables', 'st', st, 'v', 'K')
    state('linked_variables', 'ix', ix, 'x')


def case_synapses_onto_synapses():
    # Izhikevich (2007)'s dopamine-modulated STDP (Brian2's example,
    # shortened): a reward synapse writes d_post of the STDP synapse; then
    # synapses onto every other synapse of a network, chosen by conditions on
    # j, N_post and the target's variables, and by a generator over j.
    start_scope()
    taum, Ee, vt, vr, El, taue = 10 * ms, 0 * mV, -54 * mV, -60 * mV, -74 * mV, 5 * ms
    taupre = taupost = 20 * ms
    gmax = .01
    dApre = .01 * gmax
    dApost = -dApre * taupre / taupost * 1.05
    tauc, taud, taus, epsilon_dopa = 1000 * ms, 200 * ms, 1 * ms, 5e-3
    inp = SpikeGeneratorGroup(2, [0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0],
                              [50, 55, 100, 101, 150, 151, 350, 355, 400, 401, 450, 451] * ms,
                              name='inp')
    neurons = NeuronGroup(2, """dv/dt = (ge * (Ee-vr) + El - v) / taum : volt
                                dge/dt = -ge / taue : 1""",
                          threshold='v>vt', reset='v = vr', method='exact', name='neurons')
    neurons.v = vr
    drive = Synapses(inp, neurons, 's: volt', on_pre='v += s', name='drive')
    drive.connect(i=[0, 1], j=[0, 1])
    drive.s = 100. * mV
    stdp = Synapses(neurons, neurons,
                    model="""mode: 1
                             dc/dt = -c / tauc : 1 (clock-driven)
                             dd/dt = -d / taud : 1 (clock-driven)
                             ds/dt = mode * c * d / taus : 1 (clock-driven)
                             dApre/dt = -Apre / taupre : 1 (event-driven)
                             dApost/dt = -Apost / taupost : 1 (event-driven)""",
                    on_pre="""ge += s
                              Apre += dApre
                              c = clip(c + mode * Apost, -gmax, gmax)
                              s = clip(s + (1-mode) * Apost, -gmax, gmax)""",
                    on_post="""Apost += dApost
                               c = clip(c + mode * Apre, -gmax, gmax)
                               s = clip(s + (1-mode) * Apre, -gmax, gmax)""",
                    method='euler', name='stdp')
    stdp.connect(i=0, j=1)
    stdp.mode = 0
    stdp.s = 1e-10
    stdp.c = 1e-10
    stdp.d = 0
    dopamine = SpikeGeneratorGroup(1, [0, 0, 0], [352, 402, 452] * ms, name='dopamine')
    reward = Synapses(dopamine, stdp, on_pre='d_post += epsilon_dopa', method='exact',
                      name='reward')
    reward.connect()
    # A network whose synapses are modulated.
    P = NeuronGroup(4, """dv/dt = (I - v)/(10*ms) : volt
                          I : volt""", threshold='v > 10*mV', reset='v = 0*mV', method='exact',
                    name='P')
    P.I = [12, 14, 16, 18] * mV
    Q = NeuronGroup(3, 'dv/dt = -v/(10*ms) : volt', threshold='v > 4*mV', reset='v = 0*mV',
                    method='exact', name='Q')
    T = Synapses(P, Q, """w : volt
                          dx/dt = -x/(20*ms) : 1 (clock-driven)""",
                 on_pre='v_post += w*(1 + x)', method='exact', name='T')
    T.connect('i != j')
    T.w = '(1 + i + 2*j)*0.25*mV'
    M = NeuronGroup(3, """dv/dt = (I - v)/(10*ms) : volt
                          I : volt
                          gain : 1""", threshold='v > 10*mV', reset='v = 0*mV', method='exact',
                    name='M')
    M.I = [11, 13, 17] * mV
    M.gain = [1, 2, 3]
    R = Synapses(M, T, 'c : 1', on_pre="""w_post += c*gain_pre*0.05*mV
                                          x_post += 0.5""", delay=2 * ms, name='R')
    R.connect('j % 3 == i and w_post > 0.5*mV and j < N_post - 1')
    R.c = '1 + j*0.1'
    R2 = Synapses(M[1:3], T, on_pre='w_post -= 0.02*mV*(i + 1)', name='R2')
    R2.connect(j='k for k in range(i, N_post, 4)')
    sp = SpikeMonitor(neurons, name='sp')
    st = StateMonitor(stdp, ['s', 'c', 'd'], record=[0], dt=1 * ms, name='st')
    qp = SpikeMonitor(Q, name='qp')
    tw = StateMonitor(T, ['w', 'x'], record=True, dt=1 * ms, name='tw')
    qv = StateMonitor(Q, 'v', record=True, dt=1 * ms, name='qv')
    rc = StateMonitor(R, 'c', record=True, dt=1 * ms, name='rc')
    net = Network(collect())
    net.run(300 * ms)
    stdp.mode = 1
    net.run(300 * ms)
    spikes('synapses_onto_synapses', 'sp', sp)
    state('synapses_onto_synapses', 'st', st, 's', 'c', 'd')
    spikes('synapses_onto_synapses', 'qp', qp)
    state('synapses_onto_synapses', 'tw', tw, 'w', 'x')
    state('synapses_onto_synapses', 'qv', qv, 'v')
    state('synapses_onto_synapses', 'rc', rc, 'c')


CASES = {name[5:]: f for name, f in globals().items() if name.startswith('case_')}

if __name__ == '__main__':
    for name in sys.argv[1:] or sorted(CASES):
        CASES[name]()
        print('wrote', name)
