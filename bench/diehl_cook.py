#!/usr/bin/python3
"""Time per 500 ms image of the Diehl & Cook (2015) network in training,
snnc against Brian2 2.5.1 (runtime device, Cython), on the same machine in
one run: examples/diehl_cook/brian2_diehl_cook.py and the snnc protocol
(examples/diehl_cook/diehl_cook.py) train on the first images of the same
MNIST split, one thread each; the first image (compilation) is not timed.

    /usr/bin/python3 bench/diehl_cook.py [--images 200] [--neurons 400]
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EX = os.path.join(ROOT, "examples", "diehl_cook")

SNNC = """
import json, sys, time
sys.path.insert(0, {ex!r})
import snnc, diehl_cook as dc
x, _, _, _ = dc.load_mnist(1)
model = snnc.compile(dc.MODEL, constants={{"Ne": "{neurons}"}})
net = dc.Network(model, 1)
net.normalise(); net.present(x[0])
t0 = time.perf_counter()
for k in range(1, {images} + 1):
    net.normalise()
    net.present(x[k])
dt = time.perf_counter() - t0
print(json.dumps({{"ms_per_image": 1000 * dt / {images}, "presentations": net.presentations - 1}}))
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=200)
    ap.add_argument("--neurons", type=int, default=400)
    args = ap.parse_args()
    r = subprocess.run([sys.executable, "-c",
                        SNNC.format(ex=EX, neurons=args.neurons, images=args.images)],
                       capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(r.stderr)
    snnc_r = json.loads(r.stdout.strip().splitlines()[-1])
    r = subprocess.run([sys.executable, os.path.join(EX, "brian2_diehl_cook.py"),
                        "--images", str(args.images), "--neurons", str(args.neurons)],
                       capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(r.stderr[-3000:])
    b2 = json.loads(r.stdout.strip().splitlines()[-1])
    print(f"Diehl & Cook training, {args.neurons} excitatory neurons, the first {args.images} "
          "images of the MNIST split, one thread, dt = 0.5 ms, 500 ms per image.\n")
    print("| | ms per image | presentations | snnc speed-up |")
    print("|---|---:|---:|---:|")
    print(f"| Brian2 2.5.1 runtime (Cython) | {b2['ms_per_image']:.1f} | {b2['presentations']} "
          "| |")
    print(f"| snnc (Python protocol) | {snnc_r['ms_per_image']:.1f} | "
          f"{snnc_r['presentations']} | {b2['ms_per_image'] / snnc_r['ms_per_image']:.1f}x |")


if __name__ == "__main__":
    main()
