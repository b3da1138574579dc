#!/usr/bin/python3
"""Figures of the X/O study from its report.json (written by xo):

  weights.png   the learned input -> hidden weights of trial 0, as 5x5 images
  raster.png    spikes of trial 0: the start of training and the start of
                testing, with stimulus windows shaded (teacher windows darker)
  accuracy.png  the histogram of per-trial test accuracy
  noise.png     accuracy against the number of flipped pixels

    /usr/bin/python3 examples/xo/plot.py out/xo
"""
import json
import os
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

CLASS = ['X', 'O']
COLOR = ['tab:blue', 'tab:orange']


def weights(report, out):
    w = np.asarray(report['weights_in_hidden_trial0']).reshape(25, 5)  # [input, hidden]
    fig, axes = plt.subplots(1, 5, figsize=(10, 2.4))
    for h, ax in enumerate(axes):
        im = ax.imshow(w[:, h].reshape(5, 5), cmap='viridis', vmin=0, vmax=1)
        ax.set_title(f'hidden {h}')
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(im, ax=axes, shrink=0.8, label='weight')
    fig.suptitle('Learned input -> hidden weights (trial 0)')
    fig.savefig(os.path.join(out, 'weights.png'), dpi=120, bbox_inches='tight')
    plt.close(fig)


def raster(report, out):
    r = report['raster_trial0']
    spans = [(0.0, 1.0, 'training (first second)'), (15.4, 18.6, 'testing (first three images)')]
    fig, axes = plt.subplots(1, 2, figsize=(12, 5), sharey=True,
                             gridspec_kw={'width_ratios': [1, 1.6]})
    for ax, (t0, t1, title) in zip(axes, spans):
        for win in r['windows']:
            on = win['onset']
            if on + r['stimulus'] < t0 or on > t1:
                continue
            ax.axvspan(on, on + r['stimulus'], color=COLOR[win['label']], alpha=0.15, lw=0)
            if win['teacher']:
                ts = on + r['teacher_delay']
                ax.axvspan(ts, ts + r['teacher'], color=COLOR[win['label']], alpha=0.35, lw=0)
            ax.text(on, 33.3, CLASS[win['label']], color=COLOR[win['label']], fontsize=8)
        offset = 0
        for name, n, label in (('input_spikes', 25, 'input'), ('hidden_spikes', 5, 'hidden'),
                               ('output_spikes', 2, 'output')):
            t = np.asarray(r[name]['t'])
            i = np.asarray(r[name]['i'])
            sel = (t >= t0) & (t <= t1)
            ax.plot(t[sel], i[sel] + offset, '|', color='k', ms=7, mew=1.5)
            offset += n + 1
        ax.set_xlim(t0, t1)
        ax.set_title(title)
        ax.set_xlabel('time (s)')
    axes[0].set_yticks([12, 28, 32])
    axes[0].set_yticklabels(['input 0-24', 'hidden 0-4', 'output X, O'])
    fig.suptitle('Trial 0: stimulus windows shaded (light), teacher windows darker; '
                 'blue = X, orange = O')
    fig.savefig(os.path.join(out, 'raster.png'), dpi=120, bbox_inches='tight')
    plt.close(fig)


def accuracy(report, out):
    acc = 100 * np.asarray(report['per_trial_accuracy'])
    a = report['accuracy']
    fig, ax = plt.subplots(figsize=(6, 4))
    bins = np.arange(-5, 106, 10)
    control = report['control_no_learning']
    if control['trials'] > 0:
        ax.hist(100 * np.asarray(report['control_per_trial_accuracy']), bins=bins, color='gray',
                alpha=0.6, edgecolor='k', label='learning disabled')
    ax.hist(acc, bins=bins, color='tab:green', alpha=0.8, edgecolor='k', label='after learning')
    ax.legend(loc='upper left')
    ax.set_xlabel('test accuracy of a trial (%)')
    ax.set_ylabel('trials')
    title = (f"{report['trials']} trials: mean {100 * a['mean']:.1f} %, "
             f"perfect {100 * a['perfect_trials']:.1f} %")
    if control['trials'] > 0:
        title += f"; no learning: {100 * control['mean']:.1f} %"
    ax.set_title(title)
    fig.savefig(os.path.join(out, 'accuracy.png'), dpi=120, bbox_inches='tight')
    plt.close(fig)


def noise(report, out):
    k = [x['flipped'] for x in report['noise_curve']]
    acc = [100 * x['accuracy'] for x in report['noise_curve']]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(k, acc, 'o-', color='tab:purple', label='after learning')
    if report['control_no_learning']['trials'] > 0:
        ax.axhline(100 * report['control_no_learning']['mean'], color='gray', ls='--',
                   label='no learning (2 flipped pixels)')
    ax.set_xlabel('flipped pixels in the test image')
    ax.set_ylabel('accuracy (%)')
    ax.set_ylim(0, 105)
    ax.legend(loc='lower left')
    ax.set_title('Accuracy against image noise')
    fig.savefig(os.path.join(out, 'noise.png'), dpi=120, bbox_inches='tight')
    plt.close(fig)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else 'out/xo'
    with open(os.path.join(out, 'report.json')) as f:
        report = json.load(f)
    for fig in (weights, raster, accuracy, noise):
        fig(report, out)
    print('figures:', ', '.join(os.path.join(out, n) for n in
                                ('weights.png', 'raster.png', 'accuracy.png', 'noise.png')))


if __name__ == '__main__':
    main()
