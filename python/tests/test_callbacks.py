"""Python callbacks run at the start of the step, exactly where the model
file's own `at`/`every` events run, and their errors stop the run."""
import numpy as np
import pytest

import snnc

BASE = """
const tau = 10*ms
neurons P(5):
    equations:
        dv/dt = (I - v)/tau + 2*mV*xi*tau**-0.5 : volt
        I : volt
    threshold: v > 10*mV
    reset: v = 0*mV
monitor spikes sp = P
monitor state st = P.v (record = [0, 4])
"""


def spikes(sim):
    return sim["sp"].t.tolist(), sim["sp"].i.tolist()


def test_at_fires_at_the_step_of_the_model_files_at():
    in_file = snnc.compile(text=BASE + "at 10.05*ms: P.I = 15*mV\nrun 60*ms\n").instantiate(1)
    in_file.run_schedule()
    py = snnc.compile(text=BASE).instantiate(1)
    seen = []

    def switch(sim):
        seen.append(sim.t)
        sim.set("P", "I", 0.015)

    py.at("10.05*ms", switch)
    py.run(0.06)
    assert len(seen) == 1 and seen[0] == pytest.approx(0.0101)  # the step at or after 10.05 ms
    assert spikes(py) == spikes(in_file) and len(spikes(py)[0]) > 0
    assert (py["st"].v == in_file["st"].v).all()


def test_every_fires_where_the_model_files_every_does():
    in_file = snnc.compile(
        text=BASE + "every 5*ms (from 2*ms): P.v = 0*mV\nat 0*ms: P.I = 15*mV\nrun 50*ms\n"
    ).instantiate(3)
    in_file.run_schedule()
    py = snnc.compile(text=BASE).instantiate(3)
    py.at(0, lambda s: s.set("P", "I", "15*mV"))
    times = []

    def clear(sim):
        times.append(round(sim.t / 1e-4))
        sim["P"].v = 0

    py.every("5*ms", clear, start="2*ms")
    py.run("50*ms")
    assert times == list(range(20, 500, 50))
    assert spikes(py) == spikes(in_file)
    assert np.array_equal(py["st"].v, in_file["st"].v)


def test_a_callback_that_raises_stops_the_run_with_its_exception():
    sim = snnc.compile(text=BASE).instantiate(1)

    def fail(s):
        raise RuntimeError(f"stop at {s.t:.4f}")

    sim.at(0.002, fail)
    with pytest.raises(RuntimeError, match="stop at 0.0020"):
        sim.run(0.01)
    assert sim.t == pytest.approx(0.002)  # the step of the callback did not run


def test_callbacks_do_not_keep_a_simulation_alive():
    import gc
    import weakref

    sim = snnc.compile(text=BASE).instantiate(1)
    sim.every(0.001, lambda s: None)
    sim.run(0.002)
    ref = weakref.ref(sim)
    del sim
    gc.collect()
    assert ref() is None


def test_a_callback_that_refers_to_its_simulation_does_not_leak_it():
    import gc
    import weakref

    sim = snnc.compile(text=BASE).instantiate(1)
    group = sim["P"]
    sim.every(0.001, lambda s: group.v.sum() + sim.t)  # refers to sim and to a view of it
    sim.run(0.002)
    ref = weakref.ref(sim)
    del sim, group
    gc.collect()
    assert ref() is None
