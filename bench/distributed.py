#!/usr/bin/python3
"""snnc spread over processes: CUBA at 4k, 40k and 400k neurons (80 synapses
per neuron, Brian2's speed-suite model) for 1 s, on one process with one
thread, on one process with two threads, and on `mpirun -np 2` (one thread
each), in one run on this machine. For each: the simulated time's wall
time, split into compute and spike exchange, time per step, set-up (connect
and prepare) and peak memory per process; all runs give the same spikes
(checked).

    /usr/bin/python3 bench/distributed.py [--reps 3] [--sizes 4000,40000,400000]
                                          [--out bench/results/DATE-distributed.md]

Needs OpenMPI's mpirun (scripts/setup.sh installs it) and build/snnc. As
root, the OMPI_ALLOW_RUN_AS_ROOT variables are set here.
"""
import argparse
import datetime
import filecmp
import json
import os
import re
import statistics
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SNNC = os.path.join(ROOT, "build", "snnc")
MODEL = os.path.join(ROOT, "bench", "models", "cuba.snn")
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")

CONFIGS = [
    ("1 process, 1 thread", [], ["--threads", "1"]),
    ("1 process, 2 threads", [], ["--threads", "2"]),
    ("mpirun -np 2, 1 thread each", ["mpirun", "-np", "2", "--bind-to", "core"],
     ["--threads", "1"]),
]


def once(n, launcher, extra, out):
    sets = ["--set", f"N={n}", "--set", f"Ne={n * 4 // 5}"]
    cmd = launcher + ["/usr/bin/time", "-f", "peak_rss_kb %M", SNNC, "run", MODEL, "-o", out,
                      "--progress", "off", *sets, *extra]
    p = subprocess.run(cmd, env=ENV, capture_output=True, text=True, check=True)
    m = json.load(open(os.path.join(out, "manifest.json")))
    rss = [int(x) / 1024 for x in re.findall(r"peak_rss_kb (\d+)", p.stderr)]
    t = m["timings_ms"]
    return {
        "simulate": t["simulate"] / 1000,
        "exchange": t.get("exchange", 0.0) / 1000,
        "setup": t["setup"] / 1000,
        "steps": m["steps"],
        "spikes": m["total_spikes"],
        "rss": max(rss),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--sizes", default="4000,40000,400000")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for n in sizes:
            reps = args.reps if n < 400000 else max(1, min(args.reps, 2))
            results = {}
            for r in range(reps):
                for name, launcher, extra in CONFIGS:  # alternating, so drift hits all
                    out = os.path.join(work, f"{n}-{len(results.get(name, []))}-{name[:5]}")
                    results.setdefault(name, []).append(once(n, launcher, extra, out))
            # The same spikes whatever the configuration.
            dirs = sorted(d for d in os.listdir(work) if d.startswith(f"{n}-0-"))
            first = os.path.join(work, dirs[0])
            for d in dirs[1:]:
                for f in ("s_mon_i.npy", "s_mon_t.npy"):
                    assert filecmp.cmp(os.path.join(first, f), os.path.join(work, d, f),
                                       shallow=False), (n, d, f)
            base = statistics.median(x["simulate"] for x in results[CONFIGS[0][0]])
            for name, _, _ in CONFIGS:
                xs = results[name]
                sim = statistics.median(x["simulate"] for x in xs)
                exch = statistics.median(x["exchange"] for x in xs)
                steps = xs[0]["steps"]
                rows.append(
                    f"| {n} | {name} | {sim:.3f} | {sim - exch:.3f} | {exch:.3f} | "
                    f"{1e6 * sim / steps:.1f} | {1e6 * exch / steps:.1f} | "
                    f"{statistics.median(x['setup'] for x in xs):.2f} | "
                    f"{max(x['rss'] for x in xs):.0f} | {base / sim:.2f} |")
                print(rows[-1], flush=True)
    head = [
        f"# snnc spread over processes: CUBA, 1 s ({datetime.date.today()})",
        "",
        f"Machine: {os.cpu_count()} cores; `bench/distributed.py --reps {args.reps}`; medians.",
        "Exchange: time in the spike all-gather (it includes waiting for the slower process).",
        "Memory: peak RSS of the largest process. Speed-up: one process, one thread / this.",
        "",
        "| neurons | configuration | simulate s | compute s | exchange s | us/step | "
        "exchange us/step | setup s | peak RSS MB | speed-up |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    text = "\n".join(head + rows) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
