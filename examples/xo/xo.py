#!/usr/bin/python3
"""The X/O study in Python: the protocol of xo.cpp, line for line, through
`import snnc`, on the same model (xo.snn) and seeds. Its random numbers come
from snnc.Random, the C++ study's std::mt19937_64 with the standard
library's shuffle and uniform distribution, so each trial is the C++ trial
and report.json holds the same numbers (timings aside).

    /usr/bin/python3 examples/xo/xo.py [--trials N] [--control-trials N] [--threads T] [--out DIR]
"""
import argparse
import json
import math
import os
import resource
import sys
import time

import snnc

HERE = os.path.dirname(os.path.abspath(__file__))


class Protocol:
    """Times in seconds, currents in volt/second (mV/ms * 1e3), as in xo.cpp."""
    stimulus = 0.050        # an image is shown for 50 ms
    teacher_delay = 0.010   # the teacher starts 10 ms after the image
    teacher = 0.030         # and lasts 30 ms
    gap = 0.050             # silence between presentations
    train_end = 15.0        # training: 0 to 15 s
    test_start = 15.5       # testing: 15.5 s to 24.5 s, one image a second
    tests = 10              # 5 X and 5 O, in random order
    test_flips = 2          # pixels flipped in every test image
    train_flips_max = 1     # training images: clean or with 1 flipped pixel
    input_current = 30.0    # mV/ms on the input neurons of lit pixels
    teacher_current = 25.0  # mV/ms on the output neuron of the right class
    noise_levels = 6        # noise curve: 0..5 flipped pixels, after the test


def x_image():
    im = [0] * 25
    for r in range(5):
        im[r * 5 + r] = 1
        im[r * 5 + (4 - r)] = 1
    return tuple(im)


def o_image():
    return tuple(1 if r in (0, 4) or c in (0, 4) else 0 for r in range(5) for c in range(5))


def flip(im, k, rng):
    idx = list(range(25))
    rng.shuffle(idx)
    im = list(im)
    for n in range(k):
        im[idx[n]] ^= 1
    return tuple(im)


class Network:
    """One trial's simulation and the arrays the protocol writes."""

    def __init__(self, model, seed):
        self.sim = model.instantiate(seed)
        self.input = self.sim["input"].I  # numpy views, taken once
        self.output = self.sim["output"].I


def present(net, image, label, p, rng, windows=None, shown=-1):
    """Shows `image` (and the teacher for `label`, if >= 0) for one
    presentation; each lit pixel's current varies by +-40 %."""
    sim = net.sim
    if windows is not None:
        windows.append({"onset": sim.t, "label": label if label >= 0 else shown,
                        "teacher": label >= 0})
    for k in range(25):
        net.input[k] = p.input_current * rng.uniform(0.6, 1.4) if image[k] else 0.0
    sim.run(p.teacher_delay)
    if label >= 0:
        net.output[label] = p.teacher_current
    sim.run(p.teacher)
    net.output[:] = 0.0
    sim.run(p.stimulus - p.teacher_delay - p.teacher)
    net.input[:] = 0.0
    sim.run(p.gap)


def classify(net, image, label, p, rng, windows):
    """The class whose output neuron fired most; a tie at random."""
    net.sim.reset_monitor("output_counts")
    present(net, image, -1, p, rng, windows, label)
    c = net.sim["output_counts"].count
    if c[0] != c[1]:
        return 0 if c[0] > c[1] else 1
    return rng() & 1


def set_learning(sim, on):
    for s in ("in_hidden", "hidden_out"):
        sim[s].learning = on


def trial(model, index, learning, keep, p):
    r = {"windows": [], "correct": 0, "tests": 0, "confusion": [[0, 0], [0, 0]]}
    rng = snnc.Random(index * 7919 + (1 if learning else 2))
    net = Network(model, index + 1)
    sim = net.sim
    set_learning(sim, 1.0 if learning else 0.0)
    prototypes = (x_image(), o_image())
    windows = r["windows"] if keep else None

    period = p.stimulus + p.gap
    presentations = int(p.train_end / period + 1e-9)
    labels = [k % 2 for k in range(presentations)]
    rng.shuffle(labels)
    seen = set()
    for label in labels:
        im = flip(prototypes[label], rng() % (p.train_flips_max + 1), rng)
        seen.add(im)
        present(net, im, label, p, rng, windows)
    set_learning(sim, 0.0)
    if keep:
        r["weights_in_hidden"] = sim["in_hidden"].w.tolist()

    sim.run(p.test_start - sim.t)
    test_labels = [k % 2 for k in range(p.tests)]
    rng.shuffle(test_labels)
    for label in test_labels:
        onset = sim.t
        im = flip(prototypes[label], p.test_flips, rng)
        while im in seen:
            im = flip(prototypes[label], p.test_flips, rng)
        predicted = classify(net, im, label, p, rng, windows)
        r["correct"] += predicted == label
        r["tests"] += 1
        r["confusion"][label][predicted] += 1
        sim.run(onset + 1.0 - sim.t)

    r["noise_correct"] = [0] * p.noise_levels
    r["noise_tests"] = [0] * p.noise_levels
    for k in range(p.noise_levels):
        for label in range(2):
            im = flip(prototypes[label], k, rng)
            r["noise_correct"][k] += classify(net, im, label, p, rng, None) == label
            r["noise_tests"][k] += 1
    if keep:
        raster = {m: {"t": sim[m].t.tolist(), "i": sim[m].i.tolist()}
                  for m in ("input_spikes", "hidden_spikes", "output_spikes")}
        raster["windows"] = r["windows"]
        raster["stimulus"] = p.stimulus
        raster["teacher_delay"] = p.teacher_delay
        raster["teacher"] = p.teacher
        r["raster"] = raster
    return r


def summarize(acc):
    n = len(acc)
    mean = sum(acc) / n
    ss = sum((a - mean) ** 2 for a in acc)
    sd = math.sqrt(ss / (n - 1)) if n > 1 else 0.0
    half = 1.96 * sd / math.sqrt(n)
    return {"mean": mean, "sd": sd, "ci95": [mean - half, mean + half],
            "perfect_trials": sum(1 for a in acc if a == 1.0) / n}


def main(argv=None):
    ap = argparse.ArgumentParser(description="The X/O pattern-recognition study (Python)")
    ap.add_argument("--trials", type=int, default=1000, help="independent trials (seeds 1..N)")
    ap.add_argument("--control-trials", type=int, default=1000,
                    help="trials with learning disabled (0: none)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                    help="threads (default: all cores)")
    ap.add_argument("--out", default="out/xo-python", help="results directory")
    ap.add_argument("--model", default=os.path.join(HERE, "xo.snn"), help="the network model")
    args = ap.parse_args(argv)
    if args.trials < 1 or args.control_trials < 0 or args.threads < 1:
        ap.error("--trials must be at least 1, --control-trials at least 0, --threads at least 1")

    p = Protocol()
    t0 = time.monotonic()
    try:
        model = snnc.compile(args.model)
    except snnc.ModelError as e:
        print(e, file=sys.stderr, end="")
        return 1
    compile_s = time.monotonic() - t0

    t0 = time.monotonic()
    learned = snnc.run_batch(args.trials, lambda k: trial(model, k, True, k == 0, p),
                             threads=args.threads)
    study_s = time.monotonic() - t0
    control = snnc.run_batch(args.control_trials, lambda k: trial(model, k, False, False, p),
                             threads=args.threads)

    acc = [r["correct"] / r["tests"] for r in learned]
    acc_control = [r["correct"] / r["tests"] for r in control]
    confusion = [[sum(r["confusion"][a][b] for r in learned) for b in range(2)] for a in range(2)]
    nc = [sum(r["noise_correct"][k] for r in learned) for k in range(p.noise_levels)]
    nt = [sum(r["noise_tests"][k] for r in learned) for k in range(p.noise_levels)]
    s = summarize(acc)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    if snnc.process_rank() != 0:  # under mpirun, process 0 reports
        return 0
    report = {
        "trials": args.trials,
        "threads": args.threads,
        "processes": snnc.process_count(),
        "test_flipped_pixels": p.test_flips,
        "accuracy": s,
        "confusion": {"rows": "true X, true O", "columns": "predicted X, predicted O",
                      "counts": confusion},
        "control_no_learning": {"trials": args.control_trials},
        "noise_curve": [{"flipped": k, "accuracy": nc[k] / nt[k], "tests": nt[k]}
                        for k in range(p.noise_levels)],
        "per_trial_accuracy": acc,
        "control_per_trial_accuracy": acc_control,
        "weights_in_hidden_trial0": learned[0]["weights_in_hidden"],
        "raster_trial0": learned[0]["raster"],
        "timing": {"compile_s": compile_s, "study_wall_s": study_s,
                   "per_trial_ms": 1000.0 * study_s * args.threads * snnc.process_count()
                   / args.trials,
                   "simulated_s_per_trial": p.test_start + p.tests + 0.2 * p.noise_levels * 2,
                   "peak_rss_mb": peak},
    }
    if args.control_trials > 0:
        sc = summarize(acc_control)
        report["control_no_learning"].update(mean=sc["mean"], sd=sc["sd"], ci95=sc["ci95"])
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")

    print(f"X/O study (Python): {args.trials} trials, test images with {p.test_flips} flipped "
          "pixels")
    print(f"  accuracy {100 * s['mean']:.1f} % (sd {100 * s['sd']:.1f}, 95% CI "
          f"{100 * s['ci95'][0]:.1f}-{100 * s['ci95'][1]:.1f}), perfect trials "
          f"{100 * s['perfect_trials']:.1f} %")
    if args.control_trials > 0:
        print(f"  control without learning: {100 * report['control_no_learning']['mean']:.1f} % "
              f"({args.control_trials} trials)")
    else:
        print("  control without learning: not run (--control-trials 0)")
    print("  noise curve: " + " ".join(f"{k}:{100 * nc[k] / nt[k]:.0f}%"
                                       for k in range(p.noise_levels)))
    print(f"  study wall time {study_s:.1f} s on {args.threads} threads "
          f"({1000 * study_s * args.threads / args.trials:.1f} ms per trial), compile "
          f"{1000 * compile_s:.0f} ms, peak RSS {peak:.0f} MB")
    print(f"  report: {args.out}/report.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
