#!/usr/bin/python3
"""snnc against Brian2 2.5.1 cpp_standalone, side by side, in one run.

For each benchmark of Brian2's speed suite (brian2/tests/features/speed.py)
that snnc can run so far, this runs Brian2 cpp_standalone (one thread) and
`snnc run` on the same model, several times each, and prints the medians of
the simulated-time-only figures and their ratio, plus the cold
time-to-first-result (Brian2: script + build + run in a fresh process and
build directory; snnc: parse + compile + run in a fresh process).

    /usr/bin/python3 bench/run.py [--reps 5] [--only NAME] [--small] [--out bench/RESULTS.md]
                                  [--snnc PATH] [--baseline PATH] [--cpu haswell]

--small leaves out the rows at 40k and 400k neurons (CUBA, COBAHH), which
take most of a full run's time (Brian2 builds and connects 32 M synapses).

Needs Debian's python3-brian and g++; the snnc binary at build/snnc (or --snnc).
--baseline PATH also times another snnc binary (for example a build of the
previous commit) on one thread, alternating with this one, and adds its
figures and the ratio to the table: before/after in the same run.
--cpu NAME (for example haswell: AVX2 without AVX-512) adds columns for that
CPU on both sides: Brian2 built with -march=NAME instead of -march=native,
and snnc run --cpu NAME (one thread, exact arithmetic), so that what users of
such CPUs get is measurable on a newer machine.
"""
import argparse
import datetime
import json
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
BASELINE = None
MODELS = os.path.join(ROOT, 'bench', 'models')

CUBA = '''
N = 4000
Ne = int(.8 * N)
taum = 20 * ms
taue = 5 * ms
taui = 10 * ms
Vt = -50 * mV
Vr = -60 * mV
El = -49 * mV
eqs = """
dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt (unless refractory)
dgi/dt = -gi/taui : volt (unless refractory)
"""
P = NeuronGroup(N, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms)
P.v = 'Vr + rand() * (Vt - Vr)'
P.ge = 0 * mV
P.gi = 0 * mV
we = (60 * 0.27 / 10) * mV
wi = (-20 * 4.5 / 10) * mV
Ce = Synapses(P, P, on_pre='ge += we')
Ci = Synapses(P, P, on_pre='gi += wi')
Ce.connect('i<Ne', p=80. / N)
Ci.connect('i>=Ne', p=80. / N)
s_mon = SpikeMonitor(P)
run(1 * second)
'''

COBAHH = '''
N = 4000
area = 20000 * umetre**2
Cm = (1 * ufarad * cm**-2) * area
gl = (5e-5 * siemens * cm**-2) * area
El = -60 * mV
EK = -90 * mV
ENa = 50 * mV
g_na = (100 * msiemens * cm**-2) * area
g_kd = (30 * msiemens * cm**-2) * area
VT = -63 * mV
taue = 5 * ms
taui = 10 * ms
Ee = 0 * mV
Ei = -80 * mV
we = 6 * nS
wi = 67 * nS
eqs = Equations("""
dv/dt = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v)-g_na*(m*m*m)*h*(v-ENa)-g_kd*(n*n*n*n)*(v-EK))/Cm : volt
dm/dt = alpha_m*(1-m)-beta_m*m : 1
dn/dt = alpha_n*(1-n)-beta_n*n : 1
dh/dt = alpha_h*(1-h)-beta_h*h : 1
dge/dt = -ge*(1./taue) : siemens
dgi/dt = -gi*(1./taui) : siemens
alpha_m = 0.32*(mV**-1)*(13*mV-v+VT)/(exp((13*mV-v+VT)/(4*mV))-1.)/ms : Hz
beta_m = 0.28*(mV**-1)*(v-VT-40*mV)/(exp((v-VT-40*mV)/(5*mV))-1)/ms : Hz
alpha_h = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
beta_h = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
alpha_n = 0.032*(mV**-1)*(15*mV-v+VT)/(exp((15*mV-v+VT)/(5*mV))-1.)/ms : Hz
beta_n = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
""")
P = NeuronGroup(N, model=eqs, threshold='v>-20*mV', refractory=3 * ms, method='exponential_euler')
Pe = P[:3200]
Pi = P[3200:]
Ce = Synapses(Pe, P, on_pre='ge+=we')
Ci = Synapses(Pi, P, on_pre='gi+=wi')
Ce.connect(p=80.0 / N)
Ci.connect(p=80.0 / N)
P.v = 'El + (randn() * 5 - 5)*mV'
P.ge = '(randn() * 1.5 + 4) * 10.*nS'
P.gi = '(randn() * 12 + 20) * 10.*nS'
s_mon = SpikeMonitor(P)
run(1 * second)
'''

STDP = '''
N = NUM
taum = 10 * ms
taupre = 20 * ms
taupost = taupre
Ee = 0 * mV
vt = -54 * mV
vr = -60 * mV
El = -74 * mV
taue = 5 * ms
F = 15 * Hz
gmax = .01
dApre = .01
dApost = -dApre * taupre / taupost * 1.05
dApost *= gmax
dApre *= gmax
eqs_neurons = """
dv/dt = (ge * (Ee-vr) + El - v) / taum : volt
dge/dt = -ge / taue : 1
"""
poisson_input = PoissonGroup(N, rates=F)
neurons = NeuronGroup(1, eqs_neurons, threshold='v>vt', reset='v = vr', method='exact')
S = Synapses(poisson_input, neurons,
             """w : 1
                dApre/dt = -Apre / taupre : 1 (event-driven)
                dApost/dt = -Apost / taupost : 1 (event-driven)""",
             on_pre="""ge += w
                    Apre += dApre
                    w = clip(w + Apost, 0, gmax)""",
             on_post="""Apost += dApost
                     w = clip(w + Apre, 0, gmax)""")
S.connect()
S.w = 'rand() * gmax'
s_mon = SpikeMonitor(poisson_input)
run(1 * second)
'''

# name -> (snnc model and --set arguments, Brian2 script body, description)
BENCHMARKS = {
    'linear_1d': ('linear_1d.snn', '''
tau = 1*second
G = NeuronGroup(100000, 'dv/dt=-v/tau:1')
G.v = 'linspace_init'
G.v = linspace(0.1, 1, 100000)
run(10*second)
''', 'Linear 1-D, 1e5 neurons, 10 s'),
    'hh_10k': ('hh.snn --allow-nan', '''
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
    'cuba_4000': ('cuba.snn', CUBA, 'CUBA, 4000 neurons, 1 s'),
    'cobahh_4000': ('coba_hh.snn', COBAHH, 'COBAHH, 4000 neurons, 1 s'),
    'cuba_40k': ('cuba.snn --set N=40000 --set Ne=32000', CUBA.replace('N = 4000\n', 'N = 40000\n'),
                 'CUBA, 40000 neurons, 1 s'),
    'cuba_400k': ('cuba.snn --set N=400000 --set Ne=320000',
                  CUBA.replace('N = 4000\n', 'N = 400000\n'), 'CUBA, 400000 neurons, 1 s'),
    'cobahh_40k': ('coba_hh.snn --set N=40000 --set Ne=32000',
                   COBAHH.replace('N = 4000\n', 'N = 40000\n').replace('3200', '32000'),
                   'COBAHH, 40000 neurons, 1 s'),
    'cobahh_400k': ('coba_hh.snn --set N=400000 --set Ne=320000 --set T=0.1*second',
                    COBAHH.replace('N = 4000\n', 'N = 400000\n').replace('3200', '320000')
                    .replace('run(1 * second)', 'run(0.1 * second)'),
                    'COBAHH, 400000 neurons, 0.1 s'),
    'stdp_1000': ('stdp.snn', STDP.replace('NUM', '1000'), 'STDP with Poisson input, N = 1000, 1 s'),
    'stdp_10000': ('stdp.snn --set N=10000', STDP.replace('NUM', '10000'),
                   'STDP with Poisson input, N = 10000, 1 s'),
}

# Brian2's examples/frompapers/Brunel_Hakim_1999.py (the copy the Brian2
# device's tests run) as it is but for N and the duration, without its plots:
# a sparse inhibitory network with a synaptic delay (C = 1000 connections per
# neuron: 10^7 synapses at N = 10^4, 10^8 at 10^5).
with open(os.path.join(ROOT, 'tests', 'brian2_device', 'examples', 'frompapers',
                       'Brunel_Hakim_1999.py')) as f:
    _script = f.read()
BRUNEL_HAKIM = (_script[_script.index('from brian2 import *') + len('from brian2 import *'):
                        _script.index('run(duration)') + len('run(duration)')]
                .replace('N = 5000\n', 'N = NUM\n').replace('duration = .1*second', 'duration = DURATION'))
BENCHMARKS['brunel_hakim_10k'] = (
    'brunel_hakim.snn --set N=10000 --set T=1*second',
    BRUNEL_HAKIM.replace('NUM', '10000').replace('DURATION', '1*second'),
    'Brunel-Hakim 1999 (sparse, delays), 10000 neurons, 10^7 synapses, 1 s')
BENCHMARKS['brunel_hakim_100k'] = (
    'brunel_hakim.snn --set N=100000 --set T=0.1*second',
    BRUNEL_HAKIM.replace('NUM', '100000').replace('DURATION', '0.1*second'),
    'Brunel-Hakim 1999 (sparse, delays), 100000 neurons, 10^8 synapses, 0.1 s')

# The rows at 10^5-10^6 neurons (issue 21's sizes); --small leaves them out.
LARGE = {'cuba_40k', 'cuba_400k', 'cobahh_40k', 'cobahh_400k', 'brunel_hakim_100k'}

# Brian2's SynapsesOnly sets: M = rate*N*dt sources spiking every step onto N
# targets with probability p.
SYNAPSES_ONLY = '''
N = NUM
M = max(int(RATE * N * defaultclock.dt), 1)
G = NeuronGroup(M, 'v:1', threshold='True')
H = NeuronGroup(N, 'w:1')
S = Synapses(G, H, on_pre='w += 1.0')
S.connect(True, p=PROB)
run(DURATION)
'''
for name, rate, prob, n, duration, desc in [
        ('syn_sparse_medium', 10, 0.2, 10000, 1, 'Synapses only: sparse, medium rate'),
        ('syn_dense_medium', 10, 1.0, 10000, 1, 'Synapses only: dense, medium rate'),
        ('syn_very_sparse_medium', 10, 0.02, 10000, 10, 'Synapses only: very sparse, medium rate'),
        ('syn_sparse_low', 1, 0.2, 10000, 10, 'Synapses only: sparse, low rate'),
        ('syn_sparse_high', 100, 0.2, 10000, 1, 'Synapses only: sparse, high rate')]:
    m = max(int(rate * n * 1e-4), 1)
    BENCHMARKS[name] = (
        f'synapses_only.snn --set N={n} --set M={m} --set p={prob} --set T={duration}*second',
        SYNAPSES_ONLY.replace('NUM', str(n)).replace('RATE', f'{rate}*Hz')
        .replace('PROB', str(prob)).replace('DURATION', f'{duration}*second'),
        f'{desc}, N = {n}, {duration} s')

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


def brian2_script(body, march=None):
    body = body.replace("G.v = 'linspace_init'\n", '')
    prelude = BRIAN2_PRELUDE
    if march:  # Brian2's default flags with another -march
        prelude += ("prefs.codegen.cpp.extra_compile_args_gcc = ['-w', '-O3', '-ffast-math', "
                    f"'-fno-finite-math-only', '-march={march}', '-std=c++11']\n")
    return prelude + textwrap.dedent(body) + BRIAN2_EPILOGUE


def run_brian2(name, body, reps, work, march=None):
    """Cold run (fresh build) once, then re-runs of the built binary: the
    medians of the simulated time and of the set-up (the binary's wall time
    but its run: loading, creating the synapses, preparing the queues), and
    the cold wall time."""
    if march:
        name = f'{name}_{march}'
    script = os.path.join(work, f'{name}.py')
    with open(script, 'w') as f:
        f.write(brian2_script(body, march))
    build = os.path.join(work, f'{name}_standalone')
    shutil.rmtree(build, ignore_errors=True)
    t0 = time.time()
    out = subprocess.run(['/usr/bin/python3', script, build], capture_output=True, text=True)
    cold = time.time() - t0
    if out.returncode != 0:
        raise RuntimeError(f'Brian2 failed on {name}:\n{out.stderr[-2000:]}')
    times, setups = [], []
    for _ in range(reps):
        t0 = time.time()
        r = subprocess.run(['./main'], cwd=build, capture_output=True, text=True)
        wall = time.time() - t0
        if r.returncode != 0:
            raise RuntimeError(f'Brian2 binary failed on {name}: {r.stderr[-500:]}')
        with open(os.path.join(build, 'results', 'last_run_info.txt')) as f:
            times.append(float(f.read().split()[0]))
        setups.append(wall - times[-1])
    return statistics.median(times), statistics.median(setups), cold


def run_snnc(model, reps, work, configs):
    """Each configuration (extra arguments) `reps` times, alternating between
    them, after one cold run of the first: medians of the simulated time, in
    the order of `configs`, the median set-ups (creating the network and its
    synapses, preparing the queues: the manifest's timings_ms.setup), and
    the cold wall time. Alternating keeps a slow
    spell of a shared machine from falling on one configuration only."""
    def once(extra):
        t0 = time.time()
        file, *sets = model.split()
        binary = SNNC
        if extra and extra[0] == '@baseline':
            binary, extra = BASELINE, extra[1:]
        r = subprocess.run([binary, 'run', os.path.join(MODELS, file), '-o',
                            os.path.join(work, 'snnc_out'), '--time-passes'] + sets + list(extra),
                           capture_output=True, text=True)
        wall = time.time() - t0
        if r.returncode != 0:
            raise RuntimeError(f'snnc failed on {model}:\n{r.stderr}')
        m = re.search(r'time: simulate\s+([0-9.]+) ms', r.stderr)
        setup = re.search(r'time: setup\s+([0-9.]+) ms', r.stderr)
        with open(os.path.join(work, 'snnc_out', 'manifest.json')) as f:
            man = json.load(f)
        return (float(m.group(1)) / 1000, float(setup.group(1)) / 1000, wall,
                (man['steps'], man.get('synaptic_events')))

    _, _, cold, work_done = once(configs[0])  # the first process: nothing cached
    times = [[] for _ in configs]
    setups = [[] for _ in configs]
    for _ in range(reps):
        for k, extra in enumerate(configs):
            sim, setup, _, _ = once(extra)
            times[k].append(sim)
            setups[k].append(setup)
    return ([statistics.median(t) for t in times], [statistics.median(t) for t in setups], cold,
            work_done)


def neurons(model):
    """How many neurons the model has (every group's, as `snnc check` counts
    them)."""
    file, *args = model.split()
    sets = [a for k, a in enumerate(args) if a == '--set' or (k and args[k - 1] == '--set')]
    r = subprocess.run([SNNC, 'check', os.path.join(MODELS, file)] + sets,
                       capture_output=True, text=True, check=True)
    return int(re.search(r'\((\d+) neurons?\)', r.stdout).group(1))


def built_table(target, *args):
    """The table bench/<target> prints (a program without snnc code, built
    here), or None if it cannot be built or fails."""
    build = os.path.join(ROOT, 'build')
    r = subprocess.run(['cmake', '--build', build, '--target', target],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(f'{target}: not built:\n{r.stdout[-1000:]}{r.stderr[-1000:]}', file=sys.stderr)
        return None
    r = subprocess.run([os.path.join(build, 'bench', target), *args], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--only', action='append')
    ap.add_argument('--small', action='store_true',
                    help='leave out the rows at 10^5-10^6 neurons (40k and 400k)')
    ap.add_argument('--out', default=None, help='also write the table to this file')
    ap.add_argument('--snnc', default=None, help='the snnc binary (default: build/snnc)')
    ap.add_argument('--baseline', default=None,
                    help='another snnc binary to time on one thread beside this one')
    ap.add_argument('--cpu', default=None,
                    help='also time both for this CPU (Brian2 -march=CPU, snnc --cpu CPU)')
    args = ap.parse_args()
    global SNNC, BASELINE
    if args.snnc:
        SNNC = os.path.abspath(args.snnc)
    BASELINE = os.path.abspath(args.baseline) if args.baseline else None
    work = tempfile.mkdtemp(prefix='snnc_bench_')
    rows = []
    for name, (model, body, desc) in BENCHMARKS.items():
        if args.only and name not in args.only:
            continue
        if args.small and not args.only and name in LARGE:
            continue
        b_sim, b_setup, b_cold = run_brian2(name, body, args.reps, work)
        configs = [('--threads', '1'), ('--threads', '1', '--fast-math'), ('--threads', '2')]
        if BASELINE:
            configs.append(('@baseline', '--threads', '1'))
        if args.cpu:
            configs.append(('--threads', '1', '--cpu', args.cpu))
        sims, s_setups, s_cold, (steps, events) = run_snnc(model, args.reps, work, configs)
        s_sim, f_sim, t_sim = sims[:3]
        s_setup, t_setup = s_setups[0], s_setups[2]
        row = dict(desc=desc, b=b_sim, s=s_sim, fast=f_sim, two=t_sim, b_setup=b_setup,
                   s_setup=s_setup, t_setup=t_setup, b_cold=b_cold, s_cold=s_cold,
                   base=sims[3] if BASELINE else None, cpu=None,
                   per_step=s_sim / (neurons(model) * steps) * 1e9,
                   per_event=s_sim / events * 1e9 if events else None)
        if args.cpu:
            b_cpu, _, _ = run_brian2(name, body, args.reps, work, args.cpu)
            row['cpu'] = (b_cpu, sims[-1])
            print(f'{desc}, {args.cpu}: Brian2 {b_cpu:.3f} s, snnc {sims[-1]:.3f} s, ratio '
                  f'{sims[-1] / b_cpu:.2f}', file=sys.stderr)
        rows.append(row)
        print(f'{desc}: Brian2 {b_sim:.3f} s, snnc {s_sim:.3f} s, ratio {s_sim / b_sim:.2f}, '
              f'fast-math {f_sim / b_sim:.2f}, 2 threads x{s_sim / t_sim:.2f}; '
              f'set-up {b_setup:.2f} s vs {s_setup:.2f} s (2 threads {t_setup:.2f} s); '
              f'cold {b_cold:.1f} s vs {s_cold:.2f} s', file=sys.stderr)
    cpu = ''
    try:
        with open('/proc/cpuinfo') as f:
            cpu = re.search(r'model name\s*:\s*(.*)', f.read()).group(1)
    except (OSError, AttributeError):
        pass
    lines = [
        f'Measured {datetime.date.today()} on {platform.node()} ({cpu}, {os.cpu_count()} cores); '
        f'median of {args.reps} runs; simulated time only (the run loop, timed as Brian2 times '
        'its run: creating the network and its synapses and preparing the spike queues come '
        'before it, for both). Brian2 2.5.1 cpp_standalone: one '
        'thread, its default flags (-O3 -ffast-math -march=native). snnc: one thread '
        '(--threads 1), exact IEEE arithmetic (the default), and with --fast-math; "2 threads" '
        'is snnc\'s speed-up with --threads 2 over one thread (runs of the three snnc settings '
        'alternate). ns per neuron-step and per event: snnc\'s simulated time (one thread) '
        'divided by the neurons times the steps, and by the synaptic events (the manifest\'s '
        'synaptic_events: synapses whose on_pre/on_post code ran), each the whole step\'s time '
        '(compare with the memory table below). Set-up: creating the network, its synapses and '
        'spike queues (Brian2: the built binary\'s wall time but its run; snnc: the manifest\'s '
        'timings_ms.setup, after compilation; on one thread, and on two: synapses are made on '
        'the threads). Cold: a fresh process from the '
        'model file to the results (Brian2: script, code generation, g++ build and run).',
        '',
        '| benchmark | Brian2 (s) | snnc (s) | snnc/Brian2 | snnc --fast-math/Brian2 '
        '| 2 threads | snnc ns per neuron-step | snnc ns per event | set-up: Brian2 (s) '
        '| set-up: snnc (s) | set-up snnc/Brian2 | set-up snnc 2 threads/Brian2 | cold: Brian2 (s) '
        '| cold: snnc (s) | cold speed-up |',
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ]
    if BASELINE:
        lines[2] += ' baseline snnc (s) | snnc/baseline |'
        lines[3] += '---:|---:|'
        lines[0] += (f' "baseline": {BASELINE}, one thread, alternating with the runs of this '
                     'snnc.')
    if args.cpu:
        lines[2] += f' Brian2 {args.cpu} (s) | snnc {args.cpu} (s) | snnc/Brian2 {args.cpu} |'
        lines[3] += '---:|---:|---:|'
        lines[0] += (f' The {args.cpu} columns: both built for that CPU (Brian2 with '
                     f'-march={args.cpu}, snnc run --cpu {args.cpu}), one thread, snnc in exact '
                     'arithmetic, its runs alternating with the others.')
    for r in rows:
        per_event = f'{r["per_event"]:.2f}' if r['per_event'] is not None else '-'
        line = (f'| {r["desc"]} | {r["b"]:.3f} | {r["s"]:.3f} | {r["s"] / r["b"]:.2f} '
                f'| {r["fast"] / r["b"]:.2f} | {r["s"] / r["two"]:.2f}x | {r["per_step"]:.3f} '
                f'| {per_event} | {r["b_setup"]:.2f} | {r["s_setup"]:.2f} '
                f'| {r["s_setup"] / r["b_setup"]:.2f} | {r["t_setup"] / r["b_setup"]:.2f} '
                f'| {r["b_cold"]:.1f} | {r["s_cold"]:.2f} '
                f'| {r["b_cold"] / r["s_cold"]:.0f}x |')
        if r['base'] is not None:
            line += f' {r["base"]:.3f} | {r["s"] / r["base"]:.2f} |'
        if r['cpu'] is not None:
            b_cpu, s_cpu = r['cpu']
            line += f' {b_cpu:.3f} | {s_cpu:.3f} | {s_cpu / b_cpu:.2f} |'
        lines.append(line)
    mem = built_table('memory')  # bandwidth, latency, a CUBA-like scatter
    if mem:
        lines += ['', 'This machine\'s memory system (`bench/memory.cpp`, best of several runs): '
                  'what streaming, a cache miss to DRAM and CUBA\'s delivery written by hand '
                  '(80 sorted targets per spiking source, a double incremented per event) cost '
                  'here, without snnc.', '', mem]
    tc = built_table('two_cores', '2000', '4000', '8000')  # CUBA by hand, 1 and 2 threads
    if tc:
        lines += ['', 'A hand-written CUBA network without snnc (`bench/two_cores.cpp`, built with '
                  '-march=native): the same neurons and synapses, on one thread and on two that '
                  'meet at a barrier each step.', '', tc]
    table = '\n'.join(lines)
    print(table)
    if args.out:
        with open(args.out, 'w') as f:
            f.write('# Benchmark results\n\n' + table + '\n')
    shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
