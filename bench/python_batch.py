#!/usr/bin/python3
"""snnc.run_batch from Python: 8 trials on 1 and on 2 threads, the GIL
released while they simulate. Two kinds of trial: a simulation-heavy one
(CUBA, 4000 neurons, 0.5 s of simulated time per trial) and the X/O study's
protocol (examples/xo/xo.py: hundreds of short runs and Python between
them). Median of --reps; the speed-up of 2 threads over 1.

    /usr/bin/python3 bench/python_batch.py [--reps 3] [--trials 8]
"""
import argparse
import os
import statistics
import sys
import time

import snnc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "examples", "xo"))
import xo  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--trials", type=int, default=8)
    args = ap.parse_args()
    cuba = snnc.compile(os.path.join(ROOT, "examples", "models", "cuba.snn"))
    xo_model = snnc.compile(os.path.join(ROOT, "examples", "xo", "xo.snn"))
    protocol = xo.Protocol()

    def cuba_trial(k):
        sim = cuba.instantiate(k + 1)
        sim.run(0.5)
        return len(sim["sm"].t)

    def xo_trial(k):
        return xo.trial(xo_model, k, True, False, protocol)["correct"]

    print(f"snnc.run_batch of {args.trials} trials, median of {args.reps} runs; "
          f"{os.cpu_count()} cores.\n")
    print("| trial | 1 thread (s) | 2 threads (s) | speed-up |")
    print("|---|---:|---:|---:|")
    for name, trial in (("CUBA-4000, 0.5 s each", cuba_trial),
                        ("X/O protocol (xo.py), 24.9 s simulated each", xo_trial)):
        times = {1: [], 2: []}
        results = {}
        for _ in range(args.reps):
            for threads in (1, 2):
                t0 = time.perf_counter()
                results[threads] = snnc.run_batch(args.trials, trial, threads=threads,
                                                  progress=False)
                times[threads].append(time.perf_counter() - t0)
        assert results[1] == results[2]  # the same trials either way
        one, two = statistics.median(times[1]), statistics.median(times[2])
        print(f"| {name} | {one:.3f} | {two:.3f} | {one / two:.2f}x |")


if __name__ == "__main__":
    main()
