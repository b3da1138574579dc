#!/usr/bin/python3
"""snnc against Brian2 2.5.1 cpp_standalone, side by side, in one run.

For each benchmark of Brian2's speed suite (brian2/tests/features/speed.py)
that snnc can run so far, this runs Brian2 cpp_standalone (one thread) and
`snnc run` on the same model, several times each, and prints the medians of
the simulated-time-only figures and their ratio, plus the cold
time-to-first-result (Brian2: script + build + run in a fresh process and
build directory; snnc: parse + compile + run in a fresh process).

    /usr/bin/python3 bench/run.py [--reps 5] [--only NAME] [--out bench/RESULTS.md]

Needs Debian's python3-brian and g++; the snnc binary at build/snnc.
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SNNC = os.path.join(ROOT, 'build', 'snnc')
MODELS = os.path.join(ROOT, 'bench', 'models')

# name -> (snnc model, Brian2 script body, description)
BENCHMARKS = {
    'linear_1d': ('linear_1d.snn', '''
tau = 1*second
G = NeuronGroup(100000, 'dv/dt=-v/tau:1')
G.v = 'linspace_init'
G.v = linspace(0.1, 1, 100000)
run(10*second)
''', 'Linear 1-D, 1e5 neurons, 10 s'),
    'hh_10k': ('hh.snn', '''
num_neurons = 10000
area = 20000 * umetre**2
Cm = 1 * ufarad * cm**-2 * area
gl = 5e-5 * siemens * cm**-2 * area
El = -65 * mV
EK = -90 * mV
ENa = 50 * mV
g_na = 100 * msiemens * cm**-2 * area
g_kd = 30 * msiemens * cm**-2 * area
VT = -63 * mV
eqs = Equations("""
dv/dt = (gl*(El-v) - g_na*(m*m*m)*h*(v-ENa) - g_kd*(n*n*n*n)*(v-EK) + I)/Cm : volt
dm/dt = 0.32*(mV**-1)*(13.*mV-v+VT)/(exp((13.*mV-v+VT)/(4.*mV))-1.)/ms*(1-m)-0.28*(mV**-1)*(v-VT-40.*mV)/(exp((v-VT-40.*mV)/(5.*mV))-1.)/ms*m : 1
dn/dt = 0.032*(mV**-1)*(15.*mV-v+VT)/(exp((15.*mV-v+VT)/(5.*mV))-1.)/ms*(1.-n)-.5*exp((10.*mV-v+VT)/(40.*mV))/ms*n : 1
dh/dt = 0.128*exp((17.*mV-v+VT)/(18.*mV))/ms*(1.-h)-4./(1+exp((40.*mV-v+VT)/(5.*mV)))/ms*h : 1
I : amp
""")
group = NeuronGroup(num_neurons, eqs, threshold='v > -40*mV', refractory='v > -40*mV')
group.v = El
group.I = '0.7*nA * i / num_neurons'
counts = SpikeMonitor(group, record=False)
run(1*second)
''', 'Hodgkin-Huxley, 1e4 neurons, 1 s'),
}

BRIAN2_PRELUDE = '''
import sys, time, json
t_start = time.time()
from brian2 import *
set_device('cpp_standalone', directory=sys.argv[1], build_on_run=False)
prefs.devices.cpp_standalone.openmp_threads = 0
'''

BRIAN2_EPILOGUE = '''
device.build(directory=sys.argv[1], compile=True, run=True, debug=False)
print(json.dumps({'run_time': device._last_run_time, 'wall': time.time() - t_start}))
'''


def brian2_script(body):
    body = body.replace("G.v = 'linspace_init'\n", '')
    return BRIAN2_PRELUDE + textwrap.dedent(body) + BRIAN2_EPILOGUE


def run_brian2(name, body, reps, work):
    """Cold run (fresh build) once, then re-runs of the built binary."""
    script = os.path.join(work, f'{name}.py')
    with open(script, 'w') as f:
        f.write(brian2_script(body))
    build = os.path.join(work, f'{name}_standalone')
    shutil.rmtree(build, ignore_errors=True)
    t0 = time.time()
    out = subprocess.run(['/usr/bin/python3', script, build], capture_output=True, text=True)
    cold = time.time() - t0
    if out.returncode != 0:
        raise RuntimeError(f'Brian2 failed on {name}:\n{out.stderr[-2000:]}')
    times = []
    for _ in range(reps):
        t0 = time.time()
        r = subprocess.run(['./main'], cwd=build, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f'Brian2 binary failed on {name}: {r.stderr[-500:]}')
        with open(os.path.join(build, 'results', 'last_run_info.txt')) as f:
            times.append(float(f.read().split()[0]))
    return statistics.median(times), cold


def run_snnc(model, reps, work):
    times = []
    cold = None
    for k in range(reps + 1):
        t0 = time.time()
        r = subprocess.run([SNNC, 'run', os.path.join(MODELS, model), '-o',
                            os.path.join(work, 'snnc_out'), '--time-passes'],
                           capture_output=True, text=True)
        wall = time.time() - t0
        if r.returncode != 0:
            raise RuntimeError(f'snnc failed on {model}:\n{r.stderr}')
        m = re.search(r'time: simulate\s+([0-9.]+) ms', r.stderr)
        if k == 0:
            cold = wall  # the first process: nothing cached
        else:
            times.append(float(m.group(1)) / 1000)
    return statistics.median(times), cold


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--only', action='append')
    ap.add_argument('--out', default=None, help='also write the table to this file')
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix='snnc_bench_')
    rows = []
    for name, (model, body, desc) in BENCHMARKS.items():
        if args.only and name not in args.only:
            continue
        b_sim, b_cold = run_brian2(name, body, args.reps, work)
        s_sim, s_cold = run_snnc(model, args.reps, work)
        rows.append((desc, b_sim, s_sim, s_sim / b_sim, b_cold, s_cold, b_cold / s_cold))
        print(f'{desc}: Brian2 {b_sim:.3f} s, snnc {s_sim:.3f} s, ratio {s_sim / b_sim:.2f}; '
              f'cold {b_cold:.1f} s vs {s_cold:.2f} s', file=sys.stderr)
    cpu = ''
    try:
        with open('/proc/cpuinfo') as f:
            cpu = re.search(r'model name\s*:\s*(.*)', f.read()).group(1)
    except (OSError, AttributeError):
        pass
    lines = [
        f'Measured {datetime.date.today()} on {platform.node()} ({cpu}, {os.cpu_count()} cores); '
        f'median of {args.reps} runs; simulated time only; one thread.',
        '',
        '| benchmark | Brian2 cpp_standalone (s) | snnc (s) | snnc/Brian2 | cold: Brian2 (s) '
        '| cold: snnc (s) | cold speed-up |',
        '|---|---:|---:|---:|---:|---:|---:|',
    ]
    for desc, b, s, r, bc, sc, cr in rows:
        lines.append(f'| {desc} | {b:.3f} | {s:.3f} | {r:.2f} | {bc:.1f} | {sc:.2f} | {cr:.0f}x |')
    table = '\n'.join(lines)
    print(table)
    if args.out:
        with open(args.out, 'w') as f:
            f.write('# Benchmark results\n\n' + table + '\n')
    shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
