"""Records what Brian2's runtime device (Cython) gives for the example
scripts of cases.py, into tests/reference/brian2_device/<name>.npz, and how
long each took (the device's speed report compares against it).

    /usr/bin/python3 tests/brian2_device/gen_references.py [NAME ...]

Exact cases run once (seed 2024, as the test runs snnc). Stats cases run
with seeds 2024 and 1..SEEDS-1 more: the reference holds the first run and,
for each total and mean, the values over all seeds (<key>.seeds).
"""

import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cases import CASES, RUN_MONITORS, name  # noqa: E402

OUT = os.path.join(os.path.dirname(HERE), "reference", "brian2_device")
SEEDS = int(os.environ.get("SNNC_REF_SEEDS", "5"))  # Brian2 runs per stats case


def run(path, seed, out):
    subprocess.run([sys.executable, os.path.join(HERE, "harness.py"),
                    os.path.join(HERE, "examples", path), "--device", "runtime",
                    "--seed", str(seed), "--out", out]
                   + (["--run-monitors"] if name(path) in RUN_MONITORS else []), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return dict(np.load(out))


def main():
    wanted = set(sys.argv[1:])
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for path, kind, _ in CASES:
            n = name(path)
            if wanted and n not in wanted:
                continue
            ref = run(path, 2024, os.path.join(tmp, "r.npz"))
            if kind == "stats":
                summaries = [k for k in ref if k.endswith((".total", ".mean"))]
                seeds = {k: [float(ref[k])] for k in summaries}
                for s in range(1, SEEDS):
                    other = run(path, s, os.path.join(tmp, "r.npz"))
                    for k in summaries:
                        seeds[k].append(float(other[k]))
                for k, v in seeds.items():
                    ref[k + ".seeds"] = np.array(v)
            np.savez_compressed(os.path.join(OUT, n + ".npz"), **ref)
            print(f"wrote {n} ({kind}, {float(ref['wall']):.1f} s)", flush=True)


if __name__ == "__main__":
    main()
