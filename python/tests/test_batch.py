"""run_batch: trials in parallel with the GIL released, results in trial
order, the first exception stopping the batch."""
import threading

import pytest

import snnc

MODEL = """
const tau = 10*ms
neurons P(50):
    equations:
        dv/dt = (12*mV - v)/tau + 3*mV*xi*tau**-0.5 : volt
    threshold: v > 10*mV
    reset: v = 0*mV
monitor spikes sp = P (counts only)
"""


@pytest.fixture(scope="module")
def model():
    return snnc.compile(text=MODEL)


def trial(model, k):
    sim = model.instantiate(k + 1)
    sim.run("200*ms")
    return int(sim["sp"].count.sum())


def test_results_come_back_in_trial_order_whatever_the_threads(model):
    serial = [trial(model, k) for k in range(8)]
    assert len(set(serial)) > 1  # the seeds differ
    for threads in (1, 2, 3):
        assert snnc.run_batch(8, lambda k: trial(model, k), threads=threads,
                              progress=False) == serial


def test_trials_run_at_the_same_time(model):
    # Two trials that each wait for the other: only possible if both run at
    # once (a batch that held the GIL while simulating could still interleave
    # Python code, but the barrier checks that two trials are inside at once).
    barrier = threading.Barrier(2, timeout=20)

    def both(k):
        sim = model.instantiate(k + 1)
        sim.run("50*ms")
        barrier.wait()
        return k

    assert snnc.run_batch(2, both, threads=2, progress=False) == [0, 1]


def test_a_trial_that_raises_stops_the_batch_with_its_exception(model):
    started = []

    def failing(k):
        started.append(k)
        if k == 3:
            raise ValueError("trial 3 went wrong")
        return trial(model, k)

    with pytest.raises(ValueError, match="trial 3 went wrong"):
        snnc.run_batch(100, failing, threads=2, progress=False)
    assert len(started) < 100  # no further trials start


def test_model_errors_inside_trials_pass_through(model):
    def bad(k):
        model.instantiate(1).run("3*mV")

    with pytest.raises(snnc.ModelError, match="has unit volt"):
        snnc.run_batch(4, bad, threads=2, progress=False)


def test_progress_goes_to_standard_error(model, capfd):
    snnc.run_batch(4, lambda k: trial(model, k), threads=2, progress=True)
    err = capfd.readouterr().err
    assert "batch 4/4 trials (100 %)" in err


def test_bad_arguments():
    with pytest.raises(ValueError):
        snnc.run_batch(-1, lambda k: k)
    with pytest.raises(TypeError):
        snnc.run_batch(2, 5)
    assert snnc.run_batch(0, lambda k: k) == []
