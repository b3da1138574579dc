"""Wrong input gets the right Python exception with a message that says
what was wrong, and never crashes the interpreter."""
import subprocess
import sys

import numpy as np
import pytest

import snnc
from conftest import ROOT

GOOD = """
neurons P(4):
    equations:
        dv/dt = -v/(10*ms) : volt
monitor spikes sp = P
monitor state st = P.v
"""


def test_a_model_error_is_located_with_its_caret(tmp_path):
    bad = tmp_path / "bad.snn"
    bad.write_text("neurons P(4):\n    equations:\n        dv/dt = -v : volt\n")
    with pytest.raises(snnc.ModelError) as e:
        snnc.compile(bad)
    text = str(e.value)
    assert f"{bad}:3:17: error: dimension mismatch in 'dv/dt'" in text
    # The line as in the file (indented by four more), the caret under column 17.
    assert "\n" + " " * 4 + "        dv/dt = -v : volt\n" + " " * (4 + 16) + "^\n" in text
    with pytest.raises(snnc.ModelError, match=r"model\.snn:1:1: error"):
        snnc.compile(text="nonsense here\n", name="model.snn")
    with pytest.raises(snnc.ModelError, match="cannot open"):
        snnc.compile(tmp_path / "missing.snn")
    assert issubclass(snnc.ModelError, Exception)


def test_wrong_names_raise_key_errors_naming_them():
    sim = snnc.compile(text=GOOD).instantiate(1)
    with pytest.raises(KeyError, match="no group, synapses or monitor named 'Q'.*P, sp, st"):
        sim["Q"]
    with pytest.raises(KeyError, match="'P' has no variable 'u'.*v"):
        sim["P"].u
    with pytest.raises(AttributeError):  # the same error, for getattr and hasattr
        sim["P"].u
    assert not hasattr(sim["P"], "u")
    with pytest.raises(KeyError, match="'P' has no variable 'u'"):
        sim.set("P", "u", 1.0)
    with pytest.raises(KeyError, match="monitor 'st' records no variable 'w'"):
        sim["st"].w
    with pytest.raises(KeyError, match="no stored snapshot 'nope'"):
        sim.restore("nope")
    with pytest.raises(KeyError, match="no constant 'tau'"):
        sim.model.constant("tau")


def test_wrong_shapes_and_types():
    sim = snnc.compile(text=GOOD).instantiate(1)
    with pytest.raises(ValueError):
        sim["P"].v = np.zeros(3)  # four neurons
    with pytest.raises(TypeError, match="number of seconds"):
        sim.run(object())
    with pytest.raises(TypeError, match="a time, not a bool"):
        sim.run(True)
    with pytest.raises(TypeError, match="expected numbers"):
        sim["P"].v = {"a": 1}
    with pytest.raises(TypeError):
        sim[3]
    with pytest.raises(TypeError, match="callable"):
        sim.at(0.01, 5)
    with pytest.raises(TypeError, match="constant 'x'"):
        snnc.compile(text=GOOD, constants={"x": [1, 2]})
    with pytest.raises(TypeError, match="a path or text"):
        snnc.compile()
    with pytest.raises(ValueError, match="seed must not be negative"):
        sim.model.instantiate(-1)


def test_bad_durations():
    sim = snnc.compile(text=GOOD).instantiate(1)
    with pytest.raises(ValueError, match="must be at least 0"):
        sim.run(-1)
    with pytest.raises(ValueError, match="must be at least 0"):
        sim.run(float("nan"))
    with pytest.raises(snnc.ModelError, match=r"<duration>:1:1: error: '5\*mV' has unit volt"):
        sim.run("5*mV")
    with pytest.raises(snnc.ModelError, match="unknown identifier 'tau'"):
        sim.run("tau")
    with pytest.raises(snnc.ModelError, match=r"<duration>:1:\d+: error"):
        sim.run("5*")
    with pytest.raises(ValueError, match="must be positive"):
        sim.every(0, lambda s: None)


def test_monitor_fields_that_a_monitor_has_not():
    sim = snnc.compile(text=GOOD).instantiate(1)
    with pytest.raises(AttributeError, match="state monitor: it has no i"):
        sim["st"].i
    with pytest.raises(AttributeError, match="spikes monitor: it has no rate"):
        sim["sp"].rate


def test_streaming_monitors_say_where_their_data_is(tmp_path):
    sim = snnc.compile(text=GOOD).instantiate(1, results_dir=tmp_path / "r")
    sim.run(0.001)
    with pytest.raises(ValueError, match="streams its spikes to the results directory"):
        sim["sp"].i
    assert sim["sp"].count.tolist() == [0, 0, 0, 0]  # counts stay in memory
    sim.write_results()
    assert len(snnc.load_results(tmp_path / "r")["st"].t) == 10
    with pytest.raises(ValueError, match="no results directory"):
        snnc.compile(text=GOOD).instantiate(1).write_results()


def test_nothing_crashes_the_interpreter(tmp_path):
    # Misuse in a fresh interpreter: it must end with exceptions, not a signal.
    code = """
import snnc, numpy as np
sim = snnc.compile(text='''
neurons P(4):
    equations:
        dv/dt = -v/(10*ms) : volt
''').instantiate(1)
v = sim["P"].v
del sim
v[:] = 1.0                       # the view keeps the simulation alive
print(v.sum())
for bad in [lambda: snnc.compile(text="\\x00"), lambda: snnc.compile(text="neurons P(-1):\\n")]:
    try:
        bad()
    except snnc.ModelError:
        print("ModelError")
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["4.0", "ModelError", "ModelError"]


def test_a_disk_that_fills_up_raises_output_error(tmp_path):
    # A file-size limit of 100 kB (RLIMIT_FSIZE) in a fresh interpreter; the
    # state monitor's file reaches it.
    code = """
import resource, sys
import numpy as np
import snnc
resource.setrlimit(resource.RLIMIT_FSIZE, (100 * 1024, 100 * 1024))
sim = snnc.compile(text='''
neurons P(100):
    equations:
        dv/dt = -v/(10*ms) : volt
monitor state st = P.v
''').instantiate(1, results_dir=sys.argv[1])
try:
    sim.run(1.0)
except snnc.OutputError as e:
    print("OutputError", isinstance(e, OSError), "|", e)
print("t", sim.t < 1.0)
"""
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "r")], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    assert "OutputError True | the run stopped: the results could not be written at t = " \
        in r.stdout
    assert "st_v.npy: File too large" in r.stdout
    assert "t True" in r.stdout


def test_a_simulation_whose_results_were_written_runs_no_more(tmp_path):
    sim = snnc.compile(text=GOOD).instantiate(1, results_dir=tmp_path / "r")
    sim.run(0.001)
    sim.write_results()
    with pytest.raises(RuntimeError, match="were written"):
        sim.write_results()
    with pytest.raises(RuntimeError, match="runs no more"):
        sim.run(0.001)


def test_after_a_failed_write_every_run_says_so(tmp_path):
    code = """
import resource, sys
import snnc
resource.setrlimit(resource.RLIMIT_FSIZE, (50 * 1024, 50 * 1024))
sim = snnc.compile(text='''
neurons P(100):
    equations:
        dv/dt = -v/(10*ms) : volt
monitor state st = P.v
''').instantiate(1, results_dir=sys.argv[1])
for k in range(2):
    try:
        sim.run(0.2)
        print("ran")
    except snnc.OutputError as e:
        print("OutputError", "earlier" in str(e))
try:
    sim.write_results()
    print("written")
except snnc.OutputError as e:
    print("OutputError")
"""
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "r")], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:3] == ["OutputError False", "OutputError True", "written"]
    import json
    man = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert man["interrupted"] is True and man["complete"] is False
    assert man["interrupted_because"].startswith("the results could not be written")
    v = np.load(tmp_path / "r" / "st_v.npy")
    t = np.load(tmp_path / "r" / "st_t.npy")
    assert v.shape[0] == len(t) > 0  # the monitor's files agree


def test_a_cpu_is_chosen_by_name_and_a_wrong_one_refused(monkeypatch):
    model = snnc.compile(text=GOOD, cpu="haswell")
    assert model.cpu == "haswell"
    assert snnc.compile(text=GOOD).cpu.endswith("(native)")
    monkeypatch.setenv("SNNC_CPU", "x86-64")
    assert snnc.compile(text=GOOD).cpu == "x86-64"
    monkeypatch.setenv("SNNC_CPU", "pentium9")
    with pytest.raises(ValueError, match=r"unknown CPU 'pentium9' \(SNNC_CPU\)"):
        snnc.compile(text=GOOD)
    monkeypatch.delenv("SNNC_CPU")
    with pytest.raises(ValueError, match=r"unknown CPU 'pentium9' \(cpu\): use 'native'"):
        snnc.compile(text=GOOD, cpu="pentium9")
    with pytest.raises(TypeError, match="cpu must be a CPU's name"):
        snnc.compile(text=GOOD, cpu=3)
