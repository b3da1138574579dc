"""The Diehl & Cook study (examples/diehl_cook) learns: 100 excitatory
neurons trained on a few hundred MNIST digits classify held-out digits far
better than the same network untrained, so a regression in plasticity,
normalisation or the protocol shows."""
import json
import subprocess
import sys

from conftest import ROOT


def run(tmp_path, name, train):
    out = tmp_path / name
    r = subprocess.run([sys.executable, str(ROOT / "examples" / "diehl_cook" / "diehl_cook.py"),
                        "--neurons", "100", "--train", str(train), "--label", "400",
                        "--test", "300", "--out", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads((out / "mnist_100" / "report.json").read_text()), out


def test_training_on_a_few_hundred_digits_learns(tmp_path):
    trained, out = run(tmp_path, "trained", 400)
    untrained, _ = run(tmp_path, "untrained", 1)
    assert trained["accuracy"] >= 0.6, trained["accuracy"]  # chance: 0.1
    assert untrained["accuracy"] < trained["accuracy"] - 0.2, (untrained["accuracy"],
                                                               trained["accuracy"])
    assert sum(map(sum, trained["confusion"]["counts"])) == 300
    assert trained["presentations"]["train"] >= 400  # every image, some shown again
    for f in ("weights.png", "accuracy.png", "confusion.png", "raster.png"):
        assert (out / "mnist_100" / f).read_bytes()[:4] == b"\x89PNG"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["mnist_100"]["accuracy"] == trained["accuracy"]
