"""Brian2 2.5.1's own example scripts on the 'snnc' device, run as written
with only the device set (tests/brian2_device/harness.py), against what
Brian2's runtime device gave for them (tests/reference/brian2_device, made
by tests/brian2_device/gen_references.py)."""

import os
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.environ.get("SNNC_ROOT") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "tests", "brian2_device")
sys.path.insert(0, HERE)
from cases import CASES, LOOSE, RUN_MONITORS, name  # noqa: E402

REF = os.path.join(ROOT, "tests", "reference", "brian2_device")


def snnc_run(path, tmp_path):
    # Brian2 builds the network with its Cython target, as for the
    # references (its numpy target draws connectivity differently).
    out = str(tmp_path / "snnc.npz")
    env = dict(os.environ, MPLBACKEND="Agg", SNNC_BRIAN2_CACHE=str(tmp_path / "cache"))
    r = subprocess.run([sys.executable, os.path.join(HERE, "harness.py"),
                        os.path.join(HERE, "examples", path), "--device", "snnc",
                        "--seed", "2024", "--out", out]
                       + (["--run-monitors"] if name(path) in RUN_MONITORS else []), env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    return dict(np.load(out))


def check_exact(got, ref, case=""):
    assert set(got) == set(ref)
    loose = [(p, s, rtol) for n, p, s, rtol, _ in LOOSE if n == case]
    for k in ref:
        if k == "wall":
            continue
        if loose and k.startswith(loose[0][0]):  # see cases.LOOSE for why
            if k.endswith(loose[0][1]):
                np.testing.assert_allclose(got[k], ref[k], rtol=loose[0][2], err_msg=k)
            continue
        a, b = got[k], ref[k]
        assert a.shape == b.shape, k
        if a.dtype.kind in "iub":  # indices, counts, totals, hashes
            assert np.array_equal(a, b), k
        else:
            scale = np.max(np.abs(b)) if b.size else 0.0
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12 * scale, err_msg=k)


def check_stats(got, ref):
    summaries = [k[: -len(".seeds")] for k in ref if k.endswith(".seeds")]
    assert summaries, "a stats reference without seeds"
    for k in summaries:
        seeds = ref[k + ".seeds"]
        mean, sd = seeds.mean(), seeds.std(ddof=1)
        if k.endswith(".total"):
            sd = max(sd, np.sqrt(max(mean, 1.0)))  # at least Poisson's spread
        else:
            sd = max(sd, 1e-3 * abs(mean), 1e-12)
        value = float(got[k])
        assert abs(value - mean) <= 4 * sd, (
            f"{k}: snnc gives {value}, Brian2's seeds {list(seeds)} (mean {mean}, sd {sd})")


@pytest.mark.parametrize("path,kind", [(p, k) for p, k, ci in CASES if ci],
                         ids=[name(p) for p, _, ci in CASES if ci])
def test_brian2_example(path, kind, tmp_path):
    ref = dict(np.load(os.path.join(REF, name(path) + ".npz")))
    got = snnc_run(path, tmp_path)
    if kind == "runs":  # nothing recorded on either device (see cases.py)
        assert set(got) == set(ref) == {"wall"}
    elif kind == "exact":
        check_exact(got, ref, name(path))
    else:
        check_stats(got, ref)
