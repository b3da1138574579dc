#!/usr/bin/env bash
# `snnc run` on the Izhikevich example writes results that numpy reads with a
# one-liner: the manifest names every file, and each loads with its shape.
set -euo pipefail
snnc=$1
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)/results
"$snnc" run "$root/examples/models/izhikevich_net.snn" -o "$out" >/dev/null
/usr/bin/python3 -c "import numpy as np, json; m = json.load(open('$out/manifest.json')); \
a = {f['file']: np.load('$out/' + f['file']) for mon in m['monitors'] for f in mon['fields'].values()}; \
assert all(list(x.shape) == f['shape'] for mon in m['monitors'] for f in mon['fields'].values() for x in [a[f['file']]]); \
assert a['rs_v_v.npy'].shape == (1000, 2) and a['rs_v_v.npy'].dtype == np.float64; \
assert a['rs_spikes_i.npy'].dtype == np.int32 and len(a['rs_spikes_t.npy']) > 0; \
print('numpy read', len(a), 'arrays;', sum(len(a[k]) for k in a if k.endswith('_t.npy')), 'times')"
