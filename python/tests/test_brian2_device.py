"""The 'snnc' Brian2 device against Brian2's own runtime device: the same
script, run on both in one process, must give identical spike trains and
states within 1e-9 relative (where no random number is drawn during the
run; Brian2 draws the initial values and connectivity on both)."""

import numpy as np
import pytest

import brian2 as b2
from brian2 import (NeuronGroup, PoissonGroup, PopulationRateMonitor, SpikeGeneratorGroup,
                    SpikeMonitor, StateMonitor, Synapses, TimedArray, Network, Hz, amp, mV, ms,
                    nA, nS, pF, second, network_operation, run, start_scope, set_device, seed)

import snnc.brian2  # noqa: F401  (registers the device)
from snnc.brian2 import Refused


def simulate(device, build):
    set_device(device)
    b2.prefs.codegen.target = "numpy"
    start_scope()
    seed(11)
    try:
        return build()
    finally:
        set_device("runtime")


def same(build, keys_exact=(), rtol=1e-9):
    ref = simulate("runtime", build)
    got = simulate("snnc", build)
    assert set(ref) == set(got)
    for k in ref:
        a, b = np.asarray(got[k]), np.asarray(ref[k])
        assert a.shape == b.shape, k
        if k in keys_exact or a.dtype.kind in "iub":
            assert np.array_equal(a, b), k
        else:
            np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-300, err_msg=k)
    return ref, got


def cuba():
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    eqs = """dv/dt = (ge+gi-(v-El))/taum : volt (unless refractory)
             dge/dt = -ge/taue : volt
             dgi/dt = -gi/taui : volt"""
    P = NeuronGroup(800, eqs, threshold="v>Vt", reset="v = Vr", refractory=5 * ms,
                    method="exact")
    P.v = "Vr + rand() * (Vt - Vr)"
    we, wi = (60 * 0.27 / 10) * mV, (-20 * 4.5 / 10) * mV
    Ce = Synapses(P[:640], P, on_pre="ge += we")
    Ci = Synapses(P[640:], P, on_pre="gi += wi")
    Ce.connect(p=0.05)
    Ci.connect(p=0.05)
    sm = SpikeMonitor(P)
    st = StateMonitor(P, ["v", "ge"], record=[0, 5, 799])
    rm = PopulationRateMonitor(P)
    run(100 * ms)
    P.v[:50] = -52 * mV  # Python between runs
    run(100 * ms)
    return dict(t=sm.t_, i=sm.i[:], count=sm.count[:], st_t=st.t_, v=st.v_, ge=st.ge_,
                rate=rm.rate_, v_end=P.v_[:], lastspike=P.lastspike_[:], net_t=b2.magic_network.t_)


def test_cuba_identical_to_brian2():
    ref, got = same(cuba, keys_exact=("t",))
    assert ref["i"].size > 500  # the network is active


def stdp():
    # Deterministic input: a spike generator; heterogeneous delays drawn by Brian2.
    rng = np.random.RandomState(5)
    n_in, n_spikes = 50, 400
    idx = np.arange(n_spikes) % n_in  # each neuron spikes every 50 spikes
    times = np.sort(rng.uniform(0, 190, n_spikes)).round(1) * ms
    times[np.r_[False, np.diff(times) == 0]] += 0.05 * ms
    inp = SpikeGeneratorGroup(n_in, idx, times)
    out = NeuronGroup(10, """dv/dt = (ge - v)/(10*ms) : 1
                             dge/dt = -ge/(5*ms) : 1""",
                      threshold="v > 0.3", reset="v = 0", method="exact")
    taupre = taupost = 20 * ms
    S = Synapses(inp, out, """w : 1
                              dapre/dt = -apre/taupre : 1 (event-driven)
                              dapost/dt = -apost/taupost : 1 (event-driven)""",
                 on_pre="""ge += w
                           apre += 0.01
                           w = clip(w + apost, 0, 1)""",
                 on_post="""apost -= 0.0105
                            w = clip(w + apre, 0, 1)""")
    S.connect(p=0.5)
    S.w = "rand()*0.5"
    S.delay = "rand()*3*ms"
    sm = SpikeMonitor(out)
    ws = StateMonitor(S, "w", record=[0, 1, 2], dt=1 * ms)
    run(200 * ms)
    return dict(t=sm.t_, i=sm.i[:], w=S.w[:], ws=ws.w, ws_t=ws.t_, apre=S.apre[:])


def test_stdp_with_delays_identical_to_brian2():
    ref, _ = same(stdp)
    assert ref["i"].size > 10


def gap_junctions():
    # Summed variables, a timed array input, a Poisson-free drive.
    drive = TimedArray(np.linspace(0.5, 2.0, 20) * nA, dt=10 * ms)
    G = NeuronGroup(20, """dv/dt = (-(v + 70*mV)*10*nS + drive(t) * (i+1)/20 + Igap)/(200*pF) : volt
                           Igap : amp""",
                    threshold="v > -50*mV", reset="v = -70*mV", method="euler")
    G.v = "-70*mV + rand()*20*mV"
    S = Synapses(G, G, """w : siemens
                          Igap_post = w*(v_pre - v_post) : amp (summed)""")
    S.connect("i != j and abs(i - j) < 3")
    S.w = 0.5 * nS
    sm = SpikeMonitor(G)
    st = StateMonitor(G, "v", record=True)
    run(200 * ms)
    return dict(t=sm.t_, i=sm.i[:], v=st.v_, igap=G.Igap_[:])


def test_summed_variables_and_timed_arrays_identical_to_brian2():
    ref, _ = same(gap_junctions)
    assert ref["i"].size > 5


def operations_and_store():
    G = NeuronGroup(30, """dv/dt = (I - v)/(10*ms) : volt
                           I : volt""", threshold="v > 10*mV", reset="v = 0*mV",
                    method="exact")
    G.I = "11*mV + i*0.2*mV"
    S = Synapses(G, G, "w : volt", on_pre="v_post += w", delay=2 * ms)
    S.connect(j="(i + 1) % N_post")
    S.w = 0.5 * mV

    @network_operation(dt=5 * ms)
    def bump():
        G.I[:5] = G.I[:5] + 0.1 * mV

    sm = SpikeMonitor(G)
    net = Network(G, S, sm, bump)
    net.run(50 * ms)
    net.store("warm")
    net.run(30 * ms)
    first = (sm.t_[:].copy(), sm.i[:].copy(), G.v_[:].copy())
    net.restore("warm")
    net.run(30 * ms)
    return dict(t1=first[0], i1=first[1], v1=first[2], t=sm.t_, i=sm.i[:], v=G.v_[:],
                I=G.I_[:])


def test_network_operation_store_restore_identical_to_brian2():
    ref, got = same(operations_and_store)
    assert ref["i"].size > 20


def store_before_first_run():
    # Maass et al. (2002): the initial state stored, then restored before
    # each trial, on a network with delays.
    G = NeuronGroup(30, """dv/dt = (I - v)/(10*ms) : volt
                           I : volt""", threshold="v > 10*mV", reset="v = 0*mV",
                    method="exact")
    S = Synapses(G, G, "w : volt", on_pre="v_post += w", delay=3 * ms)
    S.connect(j="(i + 1) % N_post")
    S.w = 0.5 * mV
    sm = SpikeMonitor(G)
    net = Network(G, S, sm)
    net.store()
    trials = []
    for k in range(3):
        net.restore()
        G.I = "11*mV + i*0.2*mV + k*0.5*mV"
        net.run(40 * ms)
        trials.append((sm.t_[:].copy(), sm.i[:].copy()))
    return {f"{name}{k}": v for k, tr in enumerate(trials) for name, v in zip("ti", tr)}


def test_a_state_stored_before_the_first_run_restores_with_delays():
    ref, _ = same(store_before_first_run)
    assert ref["i2"].size > ref["i0"].size > 10


def multisynaptic():
    G = NeuronGroup(4, """dv/dt = (I - v)/(10*ms) : volt
                          I : volt""", threshold="v > 10*mV", reset="v = 0*mV", method="exact")
    G.I = "12*mV + i*2*mV"
    H = NeuronGroup(4, "dv/dt = -v/(10*ms) : volt", method="exact")
    S = Synapses(G, H, "w : volt", on_pre="v_post += w", multisynaptic_index="copy")
    S.connect("i != j", n=3)
    S.delay = "(1 + copy)*ms"
    S.w = "(0.5 + copy)*mV"
    st = StateMonitor(H, "v", record=True)
    run(40 * ms)
    return dict(v=st.v_, copy=S.copy[:])


def test_multisynaptic_index_identical_to_brian2():
    ref, _ = same(multisynaptic)
    assert set(ref["copy"]) == {0, 1, 2}


def monitors_between_runs():
    G = NeuronGroup(10, "dv/dt = (1.2 - v)/(10*ms) : 1", threshold="v > 1", reset="v = 0",
                    method="exact")
    G.v = "rand()"
    counts = SpikeMonitor(G, record=False)
    net = Network(G, counts)
    net.run(20 * ms)
    late = SpikeMonitor(G, variables=["v"])
    net.add(late)
    net.run(30 * ms)
    return dict(count=counts.count[:], t=late.t_[:], i=late.i[:], v=late.v[:],
                num=np.array([counts.num_spikes, late.num_spikes]))


def test_monitors_created_between_runs_and_counts_only():
    ref, got = same(monitors_between_runs)
    assert ref["t"].min() >= 0.02 and ref["num"][1] > 5


def test_poisson_group_statistics():
    def build():
        P = PoissonGroup(200, rates="20*Hz + i*0.1*Hz")
        sm = SpikeMonitor(P)
        run(2 * second)
        return dict(count=sm.count[:])

    ref = simulate("runtime", build)["count"]
    got = simulate("snnc", build)["count"]
    expected = (20 + np.arange(200) * 0.1) * 2
    # Totals within 4 standard deviations of the Poisson expectation, for both.
    for c in (ref, got):
        assert abs(c.sum() - expected.sum()) < 4 * np.sqrt(expected.sum())
    assert not np.array_equal(ref, got)  # snnc's own random streams


def refused(build, match):
    set_device("snnc")
    start_scope()
    try:
        with pytest.raises(NotImplementedError, match=match):
            build()
    finally:
        set_device("runtime")


def regular():
    # run_regularly on a group (two statements, its own dt), on a subgroup
    # (i counts from the subgroup's start) and on synapses, over two runs
    # of which the second does not start on a multiple of every dt.
    G = NeuronGroup(6, """dv/dt = (x - v)/(10*ms) : 1
                          x : 1
                          y : 1""", threshold="v > 0.5", reset="v = 0", method="exact")
    G.run_regularly("x += 0.4\ny = x*2", dt=2 * ms)
    G[2:4].run_regularly("x = i*0.5 + t/second", dt=0.5 * ms)
    S = Synapses(G, G, "w : 1", on_pre="v += 0.01*w")
    S.connect("i != j")
    # Brian2 orders 'statemonitor' before 'synapses_run_regularly' in the
    # start slot; order=-1 puts it first, where snnc runs it.
    S.run_regularly("w = w + 1", dt=3 * ms, order=-1)
    m = StateMonitor(G, ["v", "x", "y"], record=True)
    mw = StateMonitor(S, "w", record=[0, 5])
    sp = SpikeMonitor(G)
    run(10 * ms)
    G.x = 0
    run(7.3 * ms)
    return dict(v=m.v[:], x=m.x[:], y=m.y[:], w=mw.w[:], t=sp.t_[:], i=sp.i[:], x_end=G.x[:])


def test_run_regularly_identical_to_brian2():
    ref, _ = same(regular, keys_exact=("t",))
    assert ref["i"].size >= 9


def test_run_regularly_after_a_start_monitor_is_refused_by_name():
    def build():
        G = NeuronGroup(5, "v : 1")
        G.run_regularly("v += 1", name="zz_regular")
        m = StateMonitor(G, "v", record=True)  # noqa: F841  (kept for run())
        run(5 * ms)

    refused(build, r"this order of the start slot.*'statemonitor\w*' before 'zz_regular'"
                   r".*created at test_brian2_device.py:\d+: G.run_regularly")


def test_run_regularly_with_a_temporary_is_refused_by_name():
    def build():
        G = NeuronGroup(5, "v : 1")
        G.run_regularly("a = 2\nv += a")
        run(5 * ms)

    refused(build, r"a temporary \('a'\) in run_regularly code")


def custom_events():
    # Brian2's examples/advanced/custom_events.py with a deterministic input,
    # and more: an event whose condition reads not_refractory (checked after
    # the spikes), statements after the resets (the 'resets' monitor records
    # before them), a delayed pathway on an event, a postsynaptic one on the
    # target's event, event monitors with variables, on a subgroup too.
    inp = SpikeGeneratorGroup(1, np.zeros(75, dtype=int), np.arange(2, 300, 4.0) * ms)
    G = NeuronGroup(2, """dv/dt = (g - v)/(50*ms) : 1 (unless refractory)
                          dg/dt = -g/(10*ms) : 1
                          allow_gspike : boolean
                          n_end : 1""",
                    threshold="v > 1", reset="v = 0; g = 0; allow_gspike = True",
                    refractory=3 * ms, method="exact",
                    events={"gspike": "g > 1 and allow_gspike",
                            "end_gspike": "g < 1 and not allow_gspike",
                            "tail": "v > 0.8 and not_refractory"})
    G.run_on_event("gspike", "allow_gspike = False")
    G.run_on_event("end_gspike", "allow_gspike = True; n_end += 1")
    G.run_on_event("tail", "v -= 0.0001")
    G.allow_gspike = True
    Sin = Synapses(inp, G, on_pre="g += 0.5 + 0.1*j")
    Sin.connect()
    H = NeuronGroup(2, """dx/dt = -x/(10*ms) : 1
                          dy/dt = -y/(10*ms) : 1""",
                    threshold="x > 2.5", reset="x = 0", method="exact", events={"big": "y > 1.5"})
    S = Synapses(G, H, "w : 1", on_pre={"pre": "x_post += 1", "gpath": "y_post += 1"},
                 on_post={"back": "w += 1"},
                 on_event={"pre": "spike", "gpath": "gspike", "back": "big"},
                 delay={"gpath": 1 * ms})
    S.connect()
    mg = b2.EventMonitor(G, "gspike", "g")
    # (of a subgroup, Brian2 records in 'thresholds' unless told: the last
    # step's events)
    mt = b2.EventMonitor(G[1:], "tail", "v", when="after_thresholds", order=1)
    mh = b2.EventMonitor(H, "big", record=False)
    sp = SpikeMonitor(G)
    st = StateMonitor(G, ["v", "n_end"], record=True)
    sr = StateMonitor(G, "v", record=True, when="resets")
    run(150 * ms)
    G.g = 0  # Python between runs
    run(150 * ms)
    return dict(mg_t=mg.t_, mg_i=mg.i[:], mg_g=mg.g[:], mt_t=mt.t_, mt_i=mt.i[:], mt_v=mt.v[:],
                mh_count=mh.count[:], t=sp.t_, i=sp.i[:], v=st.v_, n_end=st.n_end[:], vr=sr.v_,
                w=S.w[:])


def test_custom_events_identical_to_brian2():
    ref, _ = same(custom_events, keys_exact=("t", "mg_t", "mt_t"))
    assert ref["mg_i"].size > 10 and ref["mt_i"].size > 100 and ref["i"].size > 2


def test_an_event_monitor_before_its_event_is_refused_by_name():
    def build():
        G = NeuronGroup(5, "dv/dt = 1/ms : 1", events={"burst": "v > 3"})
        m = b2.EventMonitor(G[1:], "burst", when="after_thresholds")  # noqa: F841
        run(5 * ms)

    refused(build, r"a monitor of the event 'burst' that Brian2 runs before the event's "
                   r"condition \(order 0; give it order=1\)")


def test_a_state_monitor_before_an_events_statements_is_refused_by_name():
    def build():
        G = NeuronGroup(5, "dv/dt = 1/ms : 1", events={"burst": "v > 3"}, name="thal")
        G.run_on_event("burst", "v = 0")
        m = StateMonitor(G, "v", record=True, when="after_resets")  # noqa: F841
        run(5 * ms)

    refused(build, r"a state monitor in 'after_resets' that Brian2 runs before "
                   r"'thal_burst_resetter' \(give it order=1\)")


def test_an_event_in_another_slot_is_refused_by_name():
    def build():
        G = NeuronGroup(5, "dv/dt = 1/ms : 1", events={"burst": "v > 3"})
        G.set_event_schedule("burst", when="before_resets")
        run(5 * ms)

    refused(build, r"the event 'burst' checked in the slot 'before_resets'")


def pathways():
    # Izhikevich 2003's on_pre={'up': ..., 'down': ...} with a delay per
    # pathway (one common, one per synapse set from Python), a named
    # postsynaptic pathway beside the plain one, and a second synapses
    # object whose name sorts between the pathways (Brian2 runs them by name).
    inp = SpikeGeneratorGroup(8, np.arange(40) % 8, (np.arange(40) * 2.5 + 0.3) * ms)
    G = NeuronGroup(6, """dv/dt = (I - v)/(10*ms) : 1
                          dI/dt = -I/(5*ms) : 1""",
                    threshold="v > 0.4", reset="v = 0", method="exact")
    S = Synapses(inp, G, """w : 1
                             dapre/dt = -apre/(10*ms) : 1 (event-driven)""",
                 on_pre={"up": "I += w", "down": "I -= 0.3*w", "pre": "apre += 0.1"},
                 on_post={"post": "w = clip(w + apre, 0, 2)", "tail": "w = w*0.99"},
                 delay={"up": 1 * ms}, name="S")
    S.connect(p=0.6)
    S.w = "0.5 + rand()"
    S.down.delay = "i*0.5*ms + j*0.25*ms"
    S2 = Synapses(inp, G, on_pre="I = I*0.9", name="S2")
    S2.connect(j="i % 6")
    sm = SpikeMonitor(G)
    st = StateMonitor(G, ["v", "I"], record=True)
    run(60 * ms)
    S.down.delay = "j*1*ms"  # Python between runs changes a pathway's delays
    run(40 * ms)
    return dict(t=sm.t_, i=sm.i[:], v=st.v_, I=st.I_, w=S.w[:])


def test_several_pathways_identical_to_brian2():
    ref, _ = same(pathways, keys_exact=("t",))
    assert ref["i"].size > 20


def test_a_pathway_named_after_the_other_side_is_refused_by_name():
    def build():
        G = NeuronGroup(5, "dv/dt = 1/ms : 1", threshold="v > 1", reset="v = 0")
        S = Synapses(G, G, "w : 1", on_post={"pre": "w += 1"})
        S.connect()
        run(5 * ms)

    refused(build, r"an on_post pathway named 'pre'")


def linked():
    # Brian2's linked_var: from a group of one neuron (every neuron reads its
    # value) and neuron by neuron; read in the update, the threshold (after
    # the source's update: G sorts before inp) and the reset; Python between
    # runs changes the source.
    inp = NeuronGroup(1, "dx/dt = (2 - x)/(5*ms) : 1", method="exact", name="inp")
    drive = NeuronGroup(4, "dy/dt = (i + 1 - y)/(20*ms) : 1", method="exact", name="drive")
    G = NeuronGroup(4, """dv/dt = (0.9 + 0.5*I + 0.2*J - v)/(10*ms) : 1
                          I : 1 (linked)
                          J : 1 (linked)
                          K = I + J : 1""",
                    threshold="v > 1 + 0.01*I", reset="v = 0.1*J", method="exact", name="G")
    G.I = b2.linked_var(inp, "x")
    G.J = b2.linked_var(drive, "y")
    sp = SpikeMonitor(G)
    st = StateMonitor(G, ["v", "K"], record=True)
    run(50 * ms)
    inp.x = 0
    run(50 * ms)
    return dict(t=sp.t_, i=sp.i[:], v=st.v_, K=st.K[:], I=G.I[:], x=inp.x[:])


def test_linked_variables_identical_to_brian2():
    ref, _ = same(linked, keys_exact=("t",))
    assert ref["i"].size > 20


def linked_index():
    # linked_var(..., index=...): an index array into a smaller group, and a
    # permutation; Python between runs changes the source.
    inp = NeuronGroup(3, "dx/dt = (1 + i - x)/(5*ms) : 1", method="exact", name="inp")
    drive = NeuronGroup(6, "dy/dt = (0.5*i - y)/(8*ms) : 1", method="exact", name="drive")
    G = NeuronGroup(6, """dv/dt = (I + J - v)/(10*ms) : 1
                          I : 1 (linked)
                          J : 1 (linked)""",
                    threshold="v > 1.2", reset="v = 0", method="euler", name="G")
    G.I = b2.linked_var(inp, "x", index=[0, 0, 1, 1, 2, 2])
    G.J = b2.linked_var(drive, "y", index=np.arange(6)[::-1])
    sp = SpikeMonitor(G)
    st = StateMonitor(G, "v", record=True)
    run(20 * ms)
    drive.y = 0
    run(20 * ms)
    return dict(t=sp.t_, i=sp.i[:], v=st.v_, I=G.I[:], J=G.J[:])


def test_linked_variables_with_an_index_identical_to_brian2():
    ref, _ = same(linked_index, keys_exact=("t",))
    assert ref["i"].size > 20


def test_errors_of_brian2_stay_brian2s():
    # An undefined name is Brian2's own error, raised before anything runs.
    def build():
        G = NeuronGroup(5, "dv/dt = -v/tau_undefined : 1")
        run(1 * ms)

    set_device("snnc")
    start_scope()
    try:
        with pytest.raises(KeyError, match="tau_undefined"):
            build()
    finally:
        set_device("runtime")


def test_export_writes_a_model_file_that_runs_as_brian2(tmp_path):
    import snnc

    set_device("runtime")
    b2.prefs.codegen.target = "numpy"
    start_scope()
    seed(4)
    taum = 20 * ms  # noqa: F841 (read by the equations)
    G = NeuronGroup(50, "dv/dt = (I - v)/taum : volt\nI : volt", threshold="v > 10*mV",
                    reset="v = 0*mV", method="exact", name="G")
    G.I = "11*mV + rand()*5*mV"
    S = Synapses(G, G, "w : volt", on_pre="v_post += w", name="S")
    S.connect(p=0.2)
    S.w = "rand()*0.5*mV"
    S.delay = "rand()*2*ms"
    mon = SpikeMonitor(G, name="spikes")
    path = str(tmp_path / "model.snn")
    files = snnc.brian2.export(path, duration=100 * ms)
    assert path in files and (tmp_path / "pairs_S.npy").exists()
    text = open(path).read()
    assert "const taum = 0.02*second" in text and "run 0.1*second" in text
    run(100 * ms)  # Brian2's own runtime device
    sim = snnc.compile(path).instantiate(seed=1)
    sim.run_schedule()
    assert len(mon.i) > 50
    assert np.array_equal(sim["spikes"].i, mon.i[:])
    assert np.array_equal(sim["spikes"].t, mon.t_[:])


def test_export_refuses_what_the_device_refuses(tmp_path):
    import snnc

    start_scope()
    G = NeuronGroup(5, "v : 1")
    G.run_regularly("a = 1\nv += a")
    with pytest.raises(NotImplementedError, match="a temporary"):
        snnc.brian2.export(str(tmp_path / "m.snn"))


def test_export_writes_run_regularly_as_every(tmp_path):
    import snnc

    start_scope()
    G = NeuronGroup(5, "v : 1")
    G[1:3].run_regularly("v += 1", dt=2 * ms)
    path = str(tmp_path / "m.snn")
    snnc.brian2.export(path, duration=5 * ms)
    text = open(path).read()
    assert "every 0.002*second:  # neurongroup_subgroup_run_regularly" in text
    assert "    neurongroup[1:3].v += 1" in text
    sim = snnc.compile(path).instantiate()
    sim.run_schedule()  # steps 0, 20 and 40 of 50
    assert list(sim["neurongroup"].v) == [0, 3, 3, 0, 0]
