"""snnc.plot draws from a Simulation or a results directory, and
`python3 -m snnc.plot DIR` writes a PNG of every monitor."""
import subprocess
import sys

import matplotlib
import numpy as np

import snnc
from conftest import ROOT, snnc_run

matplotlib.use("Agg")


def test_every_monitor_of_a_results_directory_as_png(tmp_path):
    for name in ("izhikevich_net", "cuba", "stdp"):
        out = tmp_path / name
        snnc_run(ROOT / "examples" / "models" / f"{name}.snn", out)
        r = subprocess.run([sys.executable, "-m", "snnc.plot", str(out)], capture_output=True,
                           text=True)
        assert r.returncode == 0, r.stderr
        paths = r.stdout.split()
        monitors = snnc.load_results(out).monitors
        assert sorted(paths) == sorted(str(out / f"{m}.png") for m in monitors)
        for p in paths:
            with open(p, "rb") as f:
                assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    r = subprocess.run([sys.executable, "-m", "snnc.plot", str(tmp_path / "none")],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "not an snnc results directory" in r.stderr


def test_figures_from_a_simulation():
    model = snnc.compile(ROOT / "examples" / "models" / "cuba.snn")
    sim = model.instantiate(1)
    sim.run(0.1)
    ax = snnc.plot.raster(sim, windows=[(0.02, 0.04, "window")])
    assert len(ax.lines) == 1 and len(ax.lines[0].get_xdata()) == len(sim["sm"].t)
    assert len(ax.patches) == 1  # the shaded window
    ax = snnc.plot.rate(sim, "pop_rate", smooth=0.005)
    assert len(ax.lines[0].get_ydata()) == len(sim["pop_rate"].rate)
    izh = snnc.compile(ROOT / "examples" / "models" / "izhikevich_net.snn").instantiate(1)
    izh.run(0.2)
    ax = snnc.plot.traces(izh, "rs_v")
    assert len(ax.lines) == 2  # record = [0, 9]
    assert np.array_equal(ax.lines[1].get_ydata(), izh["rs_v"].v[:, 1])


def test_weight_matrices_and_images():
    stdp = snnc.compile(ROOT / "examples" / "models" / "stdp.snn").instantiate(1)
    ax = snnc.plot.weights(stdp, "S")
    s = stdp["S"]
    image = ax.images[0].get_array()
    assert image.shape == (s.i.max() + 1, s.j.max() + 1)
    assert image[s.i[0], s.j[0]] == s.w[0]
    fig = snnc.plot.weights(np.arange(2 * 25, dtype=float).reshape(25, 2), shape=(5, 5))
    mosaic = fig.axes[0].images[0].get_array()
    assert mosaic.shape == (5, 10)
    assert mosaic[0, 5] == 1.0  # neuron 1's first weight
