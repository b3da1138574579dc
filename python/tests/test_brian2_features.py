"""Brian2's own feature tests (brian2/tests/features) on the 'snnc' device,
compared with Brian2's runtime device (tests/brian2_device/feature_tests.py)."""

import json
import os
import subprocess
import sys

ROOT = os.environ.get("SNNC_ROOT") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_every_brian2_feature_test_passes_on_snnc(tmp_path):
    out = tmp_path / "features.json"
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "brian2_device",
                                                      "feature_tests.py"), "--json", str(out)],
                       capture_output=True, text=True, timeout=1800,
                       env=dict(os.environ, SNNC_BRIAN2_CACHE=str(tmp_path / "cache")))
    assert r.returncode == 0, r.stderr[-3000:]
    rows = json.load(open(out))["rows"]
    assert len(rows) == 10  # Brian2 2.5.1 has ten
    bad = [f"{x['test']}: {x['status']} {x['why']}" for x in rows if x["status"] != "ok"]
    assert not bad, "\n".join(bad)
