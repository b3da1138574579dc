#!/usr/bin/env bash
# Issue 8's long run: CUBA-4000 for 1 hour of simulated time with a full
# spike monitor (~80 million spikes, streamed to disk) and a state monitor of
# 10 neurons. Reports wall time and peak RSS, then checks the files.
#   bash bench/cuba_hour.sh [OUTDIR] [SECONDS]   (needs ~1.5 GB free in OUTDIR)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-$(mktemp -d)}
mkdir -p "$base"
secs=${2:-3600}
model=$base/cuba_hour.snn
out=$base/cuba_hour
sed -e "s/^run 1\*second$/monitor state st = P.v (record = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])\nrun ${secs}*second/" \
  "$root/bench/models/cuba.snn" > "$model"
grep -q "^run ${secs}\*second" "$model"
/usr/bin/time -v "$root/build/snnc" run "$model" -o "$out" 2> "$out.time" | tail -1
grep -E "Maximum resident|Elapsed" "$out.time"
du -sh "$out"
/usr/bin/python3 - "$out" "$secs" <<'PY'
import sys, numpy as np
d, secs = sys.argv[1], float(sys.argv[2])
t = np.load(d + '/s_mon_t.npy', mmap_mode='r')
i = np.load(d + '/s_mon_i.npy', mmap_mode='r')
v = np.load(d + '/st_v.npy', mmap_mode='r')
assert len(t) == len(i) and v.shape[1] == 10
assert np.all(np.diff(t[::100000]) >= 0) and t[-1] <= secs
print(f'{len(t):,} spikes ({len(t)/secs/4000:.1f} Hz per neuron), state {v.shape}')
PY
rm -rf "$out" "$out.time" "$model"
