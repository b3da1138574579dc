"""The figures people draw of a spiking network, with matplotlib: spike
rasters (with shaded windows), state traces, population rates, weight
matrices and per-neuron weight images. Every function takes a Simulation, a
Results object or the path of a results directory, and an optional
matplotlib Axes; it returns the Axes (or the Figure for mosaics).

    snnc.plot.raster(sim, windows=[(0.1, 0.15, "stimulus")])
    snnc.plot.traces("out/izh", "rs_v")

`python3 -m snnc.plot RESULTS_DIR` writes a PNG of every monitor of a
results directory into it and prints their paths.
"""

import os
import sys

import matplotlib

if "MPLBACKEND" not in os.environ and not os.environ.get("DISPLAY"):
    matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .results import Results  # noqa: E402


def _source(source):
    if isinstance(source, (str, os.PathLike)):
        return Results(source)
    return source


def _monitors(source, kind):
    """The names of the source's monitors of `kind`."""
    if isinstance(source, Results):
        return [n for n, m in source.monitors.items() if m.kind == kind]
    return [n for n, m in source.model.monitors.items() if m["kind"] == kind]


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    return ax


def raster(source, monitors=None, windows=None, ax=None, markersize=2):
    """Spikes as dots, time against neuron; several spike monitors are
    stacked, each in its own band, labelled. `windows`: (start, stop) or
    (start, stop, label) spans in seconds, shaded."""
    src = _source(source)
    names = _monitors(src, "spikes") if monitors is None else (
        [monitors] if isinstance(monitors, str) else list(monitors))
    ax = _axes(ax)
    offset, ticks, labels = 0, [], []
    for name in names:
        m = src[name]
        t, i = np.asarray(m.t), np.asarray(m.i)
        n = int(i.max()) + 1 if len(i) else 1
        if not isinstance(src, Results):
            n = max(n, len(m.count))  # the recorded part, spikes or not
        ax.plot(t, i + offset, ".", markersize=markersize, label=name)
        ticks.append(offset + n / 2)
        labels.append(name)
        offset += n
        if name != names[-1]:
            ax.axhline(offset - 0.5, color="0.8", linewidth=0.5)
    for w in windows or []:
        start, stop = w[0], w[1]
        label = w[2] if len(w) > 2 else None
        ax.axvspan(start, stop, color="C1", alpha=0.15, linewidth=0, label=label)
    if len(names) > 1:
        ax.set_yticks(ticks)
        ax.set_yticklabels(labels)
    else:
        ax.set_ylabel("neuron")
    ax.set_xlabel("time (s)")
    ax.set_title("spikes" if len(names) != 1 else f"spikes of {names[0]}")
    return ax


def traces(source, monitor, variable=None, indices=None, ax=None):
    """A state monitor's recorded variable (the first if not given) against
    time, one line per recorded element (`indices`: the columns to draw)."""
    src = _source(source)
    m = src[monitor]
    variable = variable or m.variables[0]
    values = np.asarray(getattr(m, variable))
    t = np.asarray(m.t)
    ax = _axes(ax)
    columns = range(values.shape[1]) if indices is None else indices
    for c in columns:
        ax.plot(t, values[:, c], linewidth=0.8, label=f"{variable}[{c}]")
    ax.set_xlabel("time (s)")
    ax.set_ylabel(variable)
    ax.set_title(f"{monitor}: {variable}")
    if len(list(columns)) <= 10:
        ax.legend(fontsize="small")
    return ax


def rate(source, monitor, smooth=None, ax=None):
    """A rate monitor's population rate (Hz) against time; `smooth`: the
    width in seconds of a moving average."""
    src = _source(source)
    m = src[monitor]
    t, r = np.asarray(m.t), np.asarray(m.rate, dtype=float)
    if smooth and len(t) > 1:
        width = max(1, int(round(smooth / (t[1] - t[0]))))
        r = np.convolve(r, np.ones(width) / width, mode="same")
    ax = _axes(ax)
    ax.plot(t, r, linewidth=0.8)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("rate (Hz)")
    ax.set_title(f"population rate: {monitor}")
    return ax


def weights(source, synapses=None, variable="w", shape=None, columns=None, ax=None,
            cmap="viridis"):
    """Synaptic weights. From a Simulation and a synapses object: the
    matrix pre x post (blank where there is no synapse); from an array: that
    matrix. With `shape` (e.g. (28, 28)): one image per postsynaptic neuron
    of its incoming weights, in a mosaic of `columns` columns (a Figure)."""
    if synapses is None:
        matrix = np.asarray(source, dtype=float)
        title = "weights"
    else:
        s = _source(source)[synapses]
        i, j, w = np.asarray(s.i), np.asarray(s.j), np.asarray(getattr(s, variable))
        n_pre = int(i.max()) + 1 if len(i) else 0
        n_post = int(j.max()) + 1 if len(j) else 0
        matrix = np.full((n_pre, n_post), np.nan)
        matrix[i, j] = w
        title = f"{synapses}.{variable}"
    if shape is None:
        ax = _axes(ax)
        im = ax.imshow(matrix, aspect="auto", interpolation="nearest", cmap=cmap)
        ax.set_xlabel("postsynaptic neuron")
        ax.set_ylabel("presynaptic neuron")
        ax.set_title(title)
        plt.colorbar(im, ax=ax)
        return ax
    rows_per, cols_per = shape
    n = matrix.shape[1]
    columns = columns or int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / columns))
    mosaic = np.full((rows * rows_per, columns * cols_per), np.nan)
    for k in range(n):
        r, c = divmod(k, columns)
        mosaic[r * rows_per:(r + 1) * rows_per, c * cols_per:(c + 1) * cols_per] = \
            matrix[:rows_per * cols_per, k].reshape(rows_per, cols_per)
    fig, ax = plt.subplots(figsize=(columns * 0.6 + 1, rows * 0.6 + 0.5))
    im = ax.imshow(mosaic, interpolation="nearest", cmap=cmap)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"{title}: incoming weights of each neuron")
    fig.colorbar(im, ax=ax)
    return fig


def plot_all(directory):
    """A PNG of every monitor of a results directory, written into it; their
    paths."""
    res = Results(directory)
    paths = []
    for name, m in res.monitors.items():
        fig, ax = plt.subplots(figsize=(8, 4))
        if m.kind == "spikes" and "t" in m.fields:
            raster(res, name, ax=ax)
        elif m.kind == "spikes":  # counts only
            count = np.asarray(m.count)
            ax.bar(np.arange(len(count)), count, width=1.0)
            ax.set_xlabel("neuron")
            ax.set_ylabel("spikes")
            ax.set_title(f"spike counts of {name}")
        elif m.kind == "state":
            if len(m.variables) > 1:
                plt.close(fig)
                fig, axes = plt.subplots(len(m.variables), 1, sharex=True,
                                         figsize=(8, 2.5 * len(m.variables)))
                for a, v in zip(axes, m.variables):
                    traces(res, name, v, ax=a)
            else:
                traces(res, name, ax=ax)
        elif m.kind == "rate":
            rate(res, name, ax=ax)
        fig.tight_layout()
        path = os.path.join(res.directory, f"{name}.png")
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths.append(path)
    return paths


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print("usage: python3 -m snnc.plot RESULTS_DIR\n"
              "writes a PNG of every monitor of RESULTS_DIR into it and prints their paths",
              file=sys.stderr)
        return 2
    try:
        paths = plot_all(argv[0])
    except FileNotFoundError as e:
        print(f"snnc.plot: error: {e}", file=sys.stderr)
        return 1
    for p in paths:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
