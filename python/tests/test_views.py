"""Variables are numpy views of the simulation's memory: reading them sees
the state, writing them changes it, for groups and synapses."""
import numpy as np
import pytest

import snnc

MODEL = """
const tau = 10*ms
neurons P(20):
    equations:
        dv/dt = (I - v)/tau : volt
        I : volt
    threshold: v > 10*mV
    reset: v = 0*mV
synapses S(P -> P):
    model:
        w : volt
    on_pre: v_post += w
    connect: j == (i + 1) % 20
    init:
        w = 0.1*mV*i
monitor spikes sp = P
"""


@pytest.fixture
def sim():
    return snnc.compile(text=MODEL).instantiate(1)


def test_a_view_writes_through_and_sees_the_run(sim):
    v = sim["P"].v
    assert v.shape == (20,) and v.dtype == np.float64
    v[:10] = 0.005
    assert sim["P"].v[:10].tolist() == [0.005] * 10  # a second view sees the write
    sim["P"].I = "12*mV"  # whole group, in the model language
    assert (sim["P"].I == 0.012).all()
    sim.run(0.001)
    # The view taken before the run follows it: v moved towards I.
    assert (v[:10] > 0.005).all() and (v[10:] > 0).all()
    assert np.shares_memory(v, sim["P"].v)


def test_a_write_through_a_view_changes_the_dynamics(sim):
    other = snnc.compile(text=MODEL).instantiate(1)
    for s in (sim, other):
        s.set("P", "I", 0.012)
    sim["P"].v[3] = 0.0099  # neuron 3 spikes first
    sim.run("20*ms")
    other.run("20*ms")
    assert sim["sp"].i[0] == 3
    assert sim["sp"].t[0] < other["sp"].t[0]


def test_synapse_variables_and_indices(sim):
    s = sim["S"]
    assert s.N == 20 and len(s) == 20
    assert s.i.tolist() == list(range(20))
    assert s.j.tolist() == [(k + 1) % 20 for k in range(20)]
    assert s.w[5] == pytest.approx(0.5e-3)
    s.w[:] = 0.02  # enough for one spike to make the next neuron spike
    sim["P"].v[0] = 0.011
    sim.run("3*ms")
    assert sim["sp"].i[:4].tolist() == [0, 1, 2, 3]


def test_values_in_many_forms(sim):
    sim.set("P", "I", [0.001 * k for k in range(20)])
    assert sim["P"].I[19] == pytest.approx(0.019)
    sim["P"].I = np.full(20, 0.002)
    assert (sim["P"].I == 0.002).all()
    sim["P"].I = "tau*1*volt/second"  # constants of the model
    assert sim["P"].I[0] == pytest.approx(0.01)


def test_brian2_quantities_convert_with_their_units(sim):
    b2 = pytest.importorskip("brian2")
    sim["P"].I = 7 * b2.mV
    assert sim["P"].I[0] == pytest.approx(0.007)
    sim["P"].I = np.arange(20) * b2.mV
    assert sim["P"].I[19] == pytest.approx(0.019)
    with pytest.raises(snnc.ModelError, match="has unit amp, but volt is needed"):
        sim["P"].I = 3 * b2.nA
    sim.run(5 * b2.ms)
    assert sim.t == pytest.approx(0.005)


def test_monitors_read_as_arrays(sim):
    sim.set("P", "I", 0.02)
    sim.run(0.02)
    sp = sim["sp"]
    assert len(sp.t) == len(sp.i) == sp.count.sum() > 0
    assert sp.t.dtype == np.float64 and sp.i.dtype == np.int32
    sim.reset_monitor("sp")
    assert len(sim["sp"].t) == 0 and sim["sp"].count.sum() == 0


def test_store_and_restore_keep_views_valid(sim):
    v, w = sim["P"].v, sim["S"].w
    sim.set("P", "I", 0.02)
    sim.store()
    sim.run(0.01)
    after = v.copy()
    sim.restore()
    assert (v == 0).all()  # the same memory, put back
    w[:] = w  # still writable
    sim.run(0.01)
    assert (v == after).all()
