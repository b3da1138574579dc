"""Distributed runs with MPI (OpenMPI's mpirun on loopback): one network
spread over 1, 2 and 3 processes gives the files of one process, bit for bit;
trials and sweeps spread over processes give the results of one; what cannot
be spread is refused on every process, with a located error, without a hang.

Run by ctest (tests/CMakeLists.txt) with SNNC_BINARY, SNNC_XO and SNNC_ROOT.
"""

import filecmp
import json
import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

SNNC = os.environ["SNNC_BINARY"]
XO = os.environ.get("SNNC_XO", "")
ROOT = pathlib.Path(os.environ["SNNC_ROOT"])
# A hang is a failure: no case takes a tenth of this.
TIMEOUT = 120

ENV = dict(os.environ)
ENV.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1")


def mpirun(np, *args):
    return ["mpirun", "-np", str(np), "--oversubscribe", *args]


def run(cmd, cwd=None, check=True):
    p = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True,
                       timeout=TIMEOUT)
    if check and p.returncode != 0:
        raise AssertionError(f"{cmd} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
    return p


def manifest(d):
    m = json.loads((d / "manifest.json").read_text())
    m.pop("timings_ms")
    m.pop("processes", None)
    m.pop("exchange_every_steps", None)
    m.pop("resumed_from", None)
    return m


def same_results(a, b):
    """Every file of results directory a is in b with the same bytes; the
    manifests agree but for timings."""
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    npy = [f for f in files if f.endswith(".npy")]
    _, mismatch, errors = filecmp.cmpfiles(a, b, npy, shallow=False)
    assert not mismatch and not errors, f"files differ: {mismatch + errors}"
    assert manifest(a) == manifest(b)


MODELS = {
    "cuba": "bench/models/cuba.snn",  # CUBA, 4000 neurons
    "coba_hh": "bench/models/coba_hh.snn",  # conductances, Hodgkin-Huxley
    "stdp_poisson": "bench/models/stdp.snn",  # STDP with Poisson input
    "delays": "tests/differential/synapse_delays.snn",  # heterogeneous delays
    "summed": "tests/differential/summed_name.snn",  # summed variables
    "monitor_when": "tests/differential/monitor_when.snn",  # state monitors' slots
    "izhikevich_net": "tests/differential/izhikevich_net.snn",
    # spike generator, Poisson group, STDP, delays from rand(), summed,
    # every monitor kind, store/restore, runs in chunks
    "everything": "tests/distributed/everything.snn",
    "trials_store": "examples/models/trials_store.snn",  # store/restore per trial
    # rand() in on_pre and in synapse equations, statements on synapses
    # between runs and in events, values from data: by synapse number
    "synapse_code": "tests/distributed/synapse_code.snn",
    "constants_between_runs": "tests/differential/constants_between_runs.snn",
    "synapse_values": "tests/differential/synapse_values.snn",
    # every delay at least 1.5 ms: spikes exchanged once per 15 steps
    "delayed": "tests/distributed/delayed.snn",
}

_references = {}


def reference(name, tmp_path_factory, extra=()):
    key = (name, tuple(extra))
    if key not in _references:
        out = tmp_path_factory.mktemp(f"{name}-one")
        run([SNNC, "run", str(ROOT / MODELS[name]), "-o", str(out / "r"), "--threads", "1",
             *extra])
        _references[key] = out / "r"
    return _references[key]


@pytest.mark.parametrize("np", [1, 2, 3])
@pytest.mark.parametrize("name", list(MODELS))
def test_spread_network_gives_the_bits_of_one_process(name, np, tmp_path, tmp_path_factory):
    ref = reference(name, tmp_path_factory)
    p = run(mpirun(np, SNNC, "run", str(ROOT / MODELS[name]), "-o", str(tmp_path / "r"),
                   "--threads", "1"), cwd=tmp_path)
    same_results(ref, tmp_path / "r")
    if np > 1:
        assert f"{np} processes" in p.stderr
        assert json.loads((tmp_path / "r" / "manifest.json").read_text())["processes"] == np
    # One results directory, written by process 0 alone (the others, started
    # in the same folder, write nothing there).
    assert [q.name for q in tmp_path.iterdir()] == ["r"]


def test_threads_in_each_process(tmp_path, tmp_path_factory):
    ref = reference("everything", tmp_path_factory)
    run(mpirun(2, SNNC, "run", str(ROOT / MODELS["everything"]), "-o", str(tmp_path / "r"),
               "--threads", "2"))
    same_results(ref, tmp_path / "r")


def test_stop_at_stops_every_process_at_the_same_step(tmp_path, tmp_path_factory):
    ref = reference("everything", tmp_path_factory, ("--stop-at", "40ms"))
    run(mpirun(3, SNNC, "run", str(ROOT / MODELS["everything"]), "-o", str(tmp_path / "r"),
               "--threads", "1", "--stop-at", "40ms"))
    same_results(ref, tmp_path / "r")
    m = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert m["interrupted"] and m["steps"] == 400


def test_nan_check_names_the_same_neuron(tmp_path):
    model = str(ROOT / "tests/differential/hh_speed.snn")
    one = run([SNNC, "run", model, "-o", str(tmp_path / "a"), "--threads", "1"], check=False)
    three = run(mpirun(3, SNNC, "run", model, "-o", str(tmp_path / "b"), "--threads", "1"),
                check=False)
    assert one.returncode == 1 and three.returncode != 0
    msg = "variable 'v' of neuron 2 in group 'group' is NaN or infinite at t = 0.1 s"
    assert msg in one.stderr and msg in three.stderr
    same_results(tmp_path / "a", tmp_path / "b")


def test_what_cannot_be_spread_is_refused_on_every_process(tmp_path):
    # on_post writes the presynaptic neuron's V: refused before the run,
    # located, with a non-zero exit and no hang, and no results.
    p = run(mpirun(2, SNNC, "run", str(ROOT / "tests/differential/synapses_post.snn"), "-o",
                   str(tmp_path / "r")), check=False)
    assert p.returncode != 0
    assert "synapses_post.snn:15:14: error: synapses 'S': its on_post use the presynaptic " \
           "neurons' variable V_pre (written)" in p.stderr
    assert "spread over 2 processes" in p.stderr
    assert not (tmp_path / "r").exists()


LONG = textwrap.dedent("""\
    neurons G(400):
        equations:
            dv/dt = (1.2 - v)/(10*ms) : 1
        threshold: v > 1
        reset: v = 0
        init:
            v = rand()
    synapses S(G -> G):
        on_pre: v_post += 0.01
        connect: p = 0.05
        delay: 0.5*ms
    monitor spikes sp = G
    monitor state st = G.v (record = [0, 1, 399], dt = 1*ms)
    run 100000*second
    """)


def test_ctrl_c_to_mpirun_stops_every_process_cleanly(tmp_path):
    # Ctrl-C to mpirun: it sends each process SIGCONT, then SIGTERM a second
    # later, then SIGKILL a second after that. The processes stop together at
    # the end of a step, process 0 writes what was recorded and marks it
    # interrupted: the files of one process stopped at the same step.
    import signal
    import time
    model = tmp_path / "long.snn"
    model.write_text(LONG)
    out = tmp_path / "r"
    p = subprocess.Popen(mpirun(2, SNNC, "run", str(model), "-o", str(out), "--threads", "1"),
                         env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("r.partial-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=TIMEOUT)
    assert p.returncode != 0
    m = json.loads((out / "manifest.json").read_text())
    assert m["interrupted"] and not m["complete"], err
    assert m["interrupted_because"].startswith("interrupted (SIGTERM: Ctrl-C to mpirun) at t = ")
    assert m["steps"] > 0 and m["processes"] == 2
    assert not list(tmp_path.glob("r.partial-*"))
    ref = tmp_path / "one"
    run([SNNC, "run", str(model), "-o", str(ref), "--threads", "1", "--stop-at",
         f"{m['steps'] / 10}ms"])  # dt = 0.1 ms
    assert json.loads((ref / "manifest.json").read_text())["steps"] == m["steps"]
    npy = sorted(q.name for q in out.glob("*.npy"))
    assert npy == sorted(q.name for q in ref.glob("*.npy")) and len(npy) == 4
    _, mismatch, errors = filecmp.cmpfiles(out, ref, npy, shallow=False)
    assert not mismatch and not errors


def test_exchange_once_per_least_delay(tmp_path, tmp_path_factory):
    # 15 steps between exchanges; stopped (with a checkpoint) and resumed
    # at steps that are not multiples of 15: the bits of one process.
    model = str(ROOT / MODELS["delayed"])
    p = run(mpirun(3, SNNC, "run", model, "-o", str(tmp_path / "r"), "--threads", "1"))
    assert "spikes exchanged every 15 steps" in p.stderr
    assert json.loads((tmp_path / "r" / "manifest.json").read_text())[
        "exchange_every_steps"] == 15
    ck = tmp_path / "ck"
    run(mpirun(2, SNNC, "run", model, "-o", str(tmp_path / "s"), "--checkpoint", str(ck),
               "--stop-at", "20.37ms"))
    run(mpirun(2, SNNC, "run", model, "--resume", str(ck)))
    same_results(reference("delayed", tmp_path_factory), tmp_path / "s")


def test_checkpoint_and_resume_spread(tmp_path, tmp_path_factory):
    # Stopped at 40 ms with a checkpoint (a file per process), resumed on as
    # many processes: the files of one process that was never stopped.
    ref = reference("everything", tmp_path_factory)
    model = str(ROOT / MODELS["everything"])
    ck = tmp_path / "ck"
    p = run(mpirun(2, SNNC, "run", model, "-o", str(tmp_path / "r"), "--checkpoint", str(ck),
                   "--stop-at", "40ms"))
    assert f"continue with: mpirun -np 2 snnc run {model} --resume {ck}" in p.stderr
    assert ck.exists() and (tmp_path / "ck.process-1").exists()
    run(mpirun(2, SNNC, "run", model, "--resume", str(ck)))
    same_results(ref, tmp_path / "r")
    # Another number of processes is refused, by name, on every process.
    for cmd in (mpirun(3, SNNC, "run", model, "--resume", str(ck), "-o", str(tmp_path / "x")),
                [SNNC, "run", model, "--resume", str(ck), "-o", str(tmp_path / "x")]):
        p = run(cmd, check=False)
        assert p.returncode != 0
        assert "it was written by process 0 of a network spread over 2 processes; resume it " \
               "with the same number (mpirun -np 2)" in p.stderr


def test_spread_refusals_are_located(tmp_path):
    model = tmp_path / "m.snn"
    model.write_text(textwrap.dedent("""\
        neurons A(10):
            equations: dv/dt = (2 - v)/(10*ms) : 1
            threshold: v > 1
            reset: v = 0
            method: exact
        synapses S(A -> A):
            model: w : 1
            on_pre: v_post += w*rand()
            connect: p = 0.5
            init: w = 1.0*i/N
        monitor spikes sp = A (variables = [v])
        run 10*ms
        S.w = 0.5/N
        run 10*ms
        """))
    p = run(mpirun(2, SNNC, "run", str(model), "-o", str(tmp_path / "r")), check=False)
    assert p.returncode == 1, p.stderr
    assert "m.snn:10:11: error: synapses 'S': its init read N, the number of synapses" in p.stderr
    assert "m.snn:13:1: error: a statement on synapses 'S' reads N, the number of synapses" \
        in p.stderr
    assert "m.snn:11:37: error: spike monitor 'sp': recording variables at the spikes" \
        in p.stderr
    assert not (tmp_path / "r").exists()
    # The same model runs in one process.
    run([SNNC, "run", str(model), "-o", str(tmp_path / "one")])


def test_synapses_onto_synapses_are_refused_when_spread(tmp_path):
    model = tmp_path / "m.snn"
    model.write_text(textwrap.dedent("""\
        neurons A(4):
            equations: dv/dt = (2 - v)/(10*ms) : 1
            threshold: v > 1
            reset: v = 0
            method: exact
        synapses S(A -> A):
            model: w : 1
            on_pre: v_post += w
            connect: i != j
        synapses R(A -> S):
            on_pre: w_post += 0.1
            connect: all
        run 10*ms
        """))
    p = run(mpirun(2, SNNC, "run", str(model), "-o", str(tmp_path / "r")), check=False)
    assert p.returncode == 1, p.stderr
    assert "m.snn:10:17: error: synapses 'R' target the synapses 'S', which is not supported in " \
        "a network spread over 2 processes yet; run in one process" in p.stderr
    assert not (tmp_path / "r").exists()


def test_sweep_over_processes_gives_the_files_of_one(tmp_path):
    args = ["run", str(ROOT / MODELS["cuba"]), "--sweep", "taum=10*ms,20*ms", "--sweep",
            "we=1.5*mV,(60*0.27/10)*mV", "--seeds", "1-2", "--threads", "1"]
    run([SNNC, *args, "-o", str(tmp_path / "one")])
    p = run(mpirun(3, SNNC, *args, "-o", str(tmp_path / "three")))
    assert "swept 8 points on 3 processes" in p.stdout
    one = json.loads((tmp_path / "one" / "sweep.json").read_text())
    three = json.loads((tmp_path / "three" / "sweep.json").read_text())
    assert len(one["points"]) == 8
    assert {q["process"] for q in three["points"]} == {0, 1, 2}
    for a, b in zip(one["points"], three["points"]):
        for k in ("dir", "constants", "seed", "ok"):
            assert a[k] == b[k]
        same_results(tmp_path / "one" / a["dir"], tmp_path / "three" / b["dir"])
    assert one["points"][5]["constants"] == {"taum": "20*ms", "we": "1.5*mV"}
    # Seeds differ, so do the runs.
    assert not filecmp.cmp(tmp_path / "one" / one["points"][0]["dir"] / "s_mon_i.npy",
                           tmp_path / "one" / one["points"][1]["dir"] / "s_mon_i.npy",
                           shallow=False)


def test_sweep_errors(tmp_path):
    p = run([SNNC, "run", str(ROOT / MODELS["cuba"]), "--sweep", "taum", "-o",
             str(tmp_path / "r")], check=False)
    assert p.returncode == 1 and "--sweep takes NAME=VALUE,VALUE,..., got 'taum'" in p.stderr
    p = run([SNNC, "run", str(ROOT / MODELS["cuba"]), "--seeds", "5-2", "-o",
             str(tmp_path / "r")], check=False)
    assert p.returncode == 1 and "--seeds takes seeds and ranges" in p.stderr
    # A value of the wrong unit fails its point, located, and the sweep exits 1.
    p = run(mpirun(2, SNNC, "run", str(ROOT / MODELS["cuba"]), "--sweep", "taum=10*mV,20*ms",
                   "-o", str(tmp_path / "s")), check=False)
    assert p.returncode == 1
    assert "cuba.snn:" in p.stderr and "error: dimension mismatch" in p.stderr
    s = json.loads((tmp_path / "s" / "sweep.json").read_text())
    assert [q["ok"] for q in s["points"]] == [False, True]


@pytest.mark.skipif(not XO, reason="the X/O study is built with the examples")
def test_xo_study_over_two_processes_gives_the_same_report(tmp_path):
    def report(cmd, out):
        run(cmd + ["--trials", "12", "--control-trials", "3", "--out", str(out)])
        r = json.loads((out / "report.json").read_text())
        for k in ("timing", "threads", "processes"):
            r.pop(k)
        return r

    one = report([XO, "--threads", "1"], tmp_path / "one")
    two = report(mpirun(2, XO, "--threads", "1"), tmp_path / "two")
    assert one == two
    assert len(two["per_trial_accuracy"]) == 12


PY_BATCH = textwrap.dedent("""\
    import json, sys, snnc
    model = snnc.compile(sys.argv[1])
    def trial(k):
        if k == int(sys.argv[3]):
            raise ValueError(f"trial {k} fails")
        sim = model.instantiate(seed=k + 1)
        sim.run(0.05)
        return {"k": k, "spikes": int(sim["s_mon"].count.sum()),
                "rank": snnc.process_rank()}
    try:
        out = snnc.run_batch(7, trial, threads=1, progress=False)
    except Exception as e:
        # What each process raised, in a file of its own: mpirun aborts the
        # job when the first process exits non-zero, and can drop the others'
        # last output, so the messages are checked here, not on stderr.
        with open(f"{sys.argv[2]}.process-{snnc.process_rank()}", "w") as f:
            kind = "snnc.BatchError" if type(e) is snnc.BatchError else type(e).__name__
            f.write(f"{kind}: {e}")
        if len(sys.argv) > 4:
            raise
        sys.exit(0)
    if snnc.process_rank() == 0:
        json.dump({"results": [(r["k"], r["spikes"]) for r in out],
                   "ranks": sorted({r["rank"] for r in out}),
                   "processes": snnc.process_count()}, open(sys.argv[2], "w"))
    """)


def test_python_run_batch_over_processes(tmp_path):
    script = tmp_path / "batch.py"
    script.write_text(PY_BATCH)
    model = str(ROOT / MODELS["cuba"])
    run([sys.executable, str(script), model, str(tmp_path / "one.json"), "-1"])
    run(mpirun(2, sys.executable, str(script), model, str(tmp_path / "two.json"), "-1"))
    one = json.loads((tmp_path / "one.json").read_text())
    two = json.loads((tmp_path / "two.json").read_text())
    assert one["results"] == two["results"] and len(one["results"]) == 7
    assert one["processes"] == 1 and two["processes"] == 2 and two["ranks"] == [0, 1]
    # Trial 3 (on process 1) fails: every process stops with an error, no hang;
    # process 1 raises the trial's exception, process 0 a BatchError naming it.
    run(mpirun(2, sys.executable, str(script), model, str(tmp_path / "x.json"), "3"))
    assert (tmp_path / "x.json.process-1").read_text() == "ValueError: trial 3 fails"
    raised = (tmp_path / "x.json.process-0").read_text()
    assert raised.startswith("snnc.BatchError: trial 3 failed on process 1: "
                             "ValueError: trial 3 fails")
    assert not (tmp_path / "x.json").exists()
    # Left uncaught, the exceptions end the job with a non-zero exit.
    p = run(mpirun(2, sys.executable, str(script), model, str(tmp_path / "y.json"), "3",
                   "raise"), check=False)
    assert p.returncode != 0 and not (tmp_path / "y.json").exists()
