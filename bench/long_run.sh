#!/usr/bin/env bash
# A long run must not grow in memory: 1000 s of simulated time with a state
# monitor recording 100 neurons every 1 ms (800 MB of data). Reports peak RSS
# and wall time, then reads the data back and checks every 1000th sample.
#   bash bench/long_run.sh [OUTDIR]   (needs ~0.9 GB free in OUTDIR)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$(mktemp -d)}/long_run
/usr/bin/time -v "$root/build/snnc" run "$root/bench/models/long_run.snn" -o "$out" \
  2> "$out.time" | tail -1
grep -E "Maximum resident|Elapsed" "$out.time"
du -sh "$out"
/usr/bin/python3 - "$out" <<'PY'
import sys, numpy as np
d = sys.argv[1]
c = np.load(d + '/st_c.npy', mmap_mode='r')
t = np.load(d + '/st_t.npy')
assert c.shape == (1000000, 100), c.shape
rows = np.arange(0, len(t), 1000)
want = t[rows, None] + np.arange(100)[None, :]
err = np.max(np.abs(c[rows] - want))
print(f'read back {c.shape} float64; max |c - (t + i)| over every 1000th sample: {err:.2e}')
assert err < 1e-6
PY
rm -rf "$out" "$out.time"
