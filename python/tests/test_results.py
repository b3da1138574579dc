"""What Python runs is what `snnc run` runs: the same model gives the same
results, bit for bit, through the results directory and in memory."""
import json
import pathlib

import numpy as np
import pytest

import snnc
from conftest import ROOT, snnc_run

MODELS = ["cuba", "izhikevich_net", "stdp", "trials_store", "coba_hh"]


@pytest.mark.parametrize("name", MODELS)
def test_run_schedule_writes_what_snnc_run_writes(tmp_path, name):
    path = ROOT / "examples" / "models" / f"{name}.snn"
    snnc_run(path, tmp_path / "cli")
    model = snnc.compile(path)
    sim = model.instantiate(model.seed(), results_dir=tmp_path / "py")
    sim.run_schedule()
    sim.write_results()
    cli = sorted(p.name for p in (tmp_path / "cli").glob("*.npy"))
    py = sorted(p.name for p in (tmp_path / "py").glob("*.npy"))
    assert cli == py and cli
    for f in cli:
        assert (tmp_path / "cli" / f).read_bytes() == (tmp_path / "py" / f).read_bytes(), f
    a = json.loads((tmp_path / "cli" / "manifest.json").read_text())
    b = json.loads((tmp_path / "py" / "manifest.json").read_text())
    assert a["monitors"] == b["monitors"] and a["total_spikes"] == b["total_spikes"]
    assert a["synaptic_events"] == b["synaptic_events"]
    assert a["synaptic_events"] > 0 or name not in ("cuba", "stdp", "coba_hh")
    assert a["cpu"] == b["cpu"] == model.cpu and model.cpu.endswith("(native)")


@pytest.mark.parametrize("name", ["cuba", "izhikevich_net", "stdp"])
def test_sim_run_in_memory_equals_snnc_run(tmp_path, name):
    path = ROOT / "examples" / "models" / f"{name}.snn"
    snnc_run(path, tmp_path / "cli")
    res = snnc.load_results(tmp_path / "cli")
    model = snnc.compile(path)
    sim = model.instantiate(model.seed())
    # The model's single run, as several runs from Python (the same steps).
    total = res.t_end
    for part in (0.25, 0.25, 0.5):
        sim.run(total * part)
    assert sim.t == pytest.approx(total)
    for mname, mres in res.monitors.items():
        live = sim[mname]
        for field in mres.fields:
            expected = np.asarray(getattr(mres, field))
            got = getattr(live, field)
            assert got.dtype == expected.dtype, (mname, field)
            assert np.array_equal(got, expected), (mname, field)


def test_compile_from_text_resolves_imports_against_the_working_folder(tmp_path, monkeypatch):
    (tmp_path / "lib.snn").write_text("const tau = 10*ms\n")
    monkeypatch.chdir(tmp_path)
    model = snnc.compile(text="import \"lib.snn\"\n"
                              "neurons P(1):\n"
                              "    equations:\n"
                              "        dv/dt = -v/tau : 1\n")
    assert model.constant("tau") == pytest.approx(0.01)


def test_constants_override_as_snnc_run_set(tmp_path):
    path = ROOT / "examples" / "models" / "cuba.snn"
    snnc_run(path, tmp_path / "cli", "--set", "taum=15*ms")
    model = snnc.compile(path, constants={"taum": "15*ms"})
    assert model.constant("taum") == pytest.approx(0.015)
    sim = model.instantiate(model.seed())
    sim.run_schedule()
    res = snnc.load_results(tmp_path / "cli")
    assert np.array_equal(sim["sm"].t, res["sm"].t)
    assert np.array_equal(sim["sm"].i, res["sm"].i)
