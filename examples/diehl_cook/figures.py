"""The figures of a Diehl & Cook run (diehl_cook.py): the learned weights of
every excitatory neuron as a 28x28 mosaic, the accuracy against training
images seen, the confusion matrix, and a raster of one presentation."""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import snnc  # noqa: E402
import snnc.plot  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def draw(run_dir, report, weights, theta, args, image):
    title = f"{report['dataset']}, {report['excitatory_neurons']} excitatory neurons"
    fig = snnc.plot.weights(weights, shape=(28, 28), cmap="hot_r")
    fig.axes[0].set_title(f"learned weights, input -> excitatory ({title})")
    fig.savefig(os.path.join(run_dir, "weights.png"), dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 4))
    curve = report["accuracy_during_training"]
    if curve:
        ax.plot([c["images"] for c in curve], [100 * c["accuracy"] for c in curve], "o-")
    ax.axhline(100 * report["accuracy"], color="C1", linestyle="--",
               label=f"test: {100 * report['accuracy']:.1f} %")
    ax.set_xlabel("training images seen")
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 100)
    ax.set_title(f"accuracy during training ({title})")
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(run_dir, "accuracy.png"), dpi=110)
    plt.close(fig)

    counts = np.array(report["confusion"]["counts"], dtype=float)
    rows = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    im = ax.imshow(100 * rows, cmap="Blues", vmin=0, vmax=100)
    names = report["classes"]
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xticklabels(names, rotation=60, ha="right", fontsize="small")
    ax.set_yticklabels(names, fontsize="small")
    for a in range(10):
        for b in range(10):
            if counts[a, b]:
                ax.text(b, a, f"{100 * rows[a, b]:.0f}", ha="center", va="center",
                        fontsize=6, color="white" if rows[a, b] > 0.5 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(f"test confusion (%), accuracy {100 * report['accuracy']:.1f} %")
    fig.colorbar(im, ax=ax)
    fig.tight_layout()
    fig.savefig(os.path.join(run_dir, "confusion.png"), dpi=110)
    plt.close(fig)

    # One presentation of a training image to the trained network, with
    # every spike recorded (the study's own model has counts only).
    with open(os.path.join(HERE, "diehl_cook.snn")) as f:
        text = f.read()
    text += ("monitor spikes input_spikes = input\nmonitor spikes exc_spikes = exc\n"
             "monitor spikes inh_spikes = inh\n")
    model = snnc.compile(text=text, constants={"Ne": str(report["excitatory_neurons"])},
                         name="diehl_cook.snn")
    sim = model.instantiate(args.seed)
    sim["input_exc"].w = weights.reshape(-1)
    sim["exc"].theta = theta
    sim["exc"].learning = 0.0
    sim["input"].rates = image * 63.75  # the first intensity
    sim.run(0.35)
    sim["input"].rates = 0.0
    sim.run(0.15)
    fig, axes = plt.subplots(3, 1, sharex=True, figsize=(8, 6),
                             gridspec_kw={"height_ratios": [3, 1.5, 1.5]})
    for ax, (name, label) in zip(axes, [("input_spikes", "input"), ("exc_spikes", "excitatory"),
                                         ("inh_spikes", "inhibitory")]):
        snnc.plot.raster(sim, name, windows=[(0, 0.35, "image")], ax=ax, markersize=1.5)
        ax.set_title("")
        ax.set_ylabel(label)
        ax.set_xlabel("")
    axes[0].set_title("one presentation: 350 ms image, 150 ms rest")
    axes[-1].set_xlabel("time (s)")
    fig.tight_layout()
    fig.savefig(os.path.join(run_dir, "raster.png"), dpi=110)
    plt.close(fig)
