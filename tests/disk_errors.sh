#!/usr/bin/env bash
# A disk that cannot take the results is the user's machine, not a bug:
#  - a run whose monitors would write more than the file system has free is
#    refused before it starts, with the monitor named and nothing written;
#  - a write that fails while running (here a file-size limit, ulimit -f,
#    and a results directory removed under the run) stops the run with a
#    clear error and exit code 1, never "internal error", and what was
#    written stays readable, the manifest marked interrupted.
set -euo pipefail
snnc=$(realpath "$1")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAILED: $*"; exit 1; }

# 1. 100,000 neurons recorded for 1000 s at dt = 0.1 ms: about 8 TB.
cat > "$dir/huge.snn" <<'MODEL'
neurons G(100000):
    equations:
        dv/dt = -v/(10*ms) : 1
monitor state st = G.v
run 1000*second
MODEL
code=0
"$snnc" run "$dir/huge.snn" -o "$dir/huge" > "$dir/huge.log" 2>&1 || code=$?
test "$code" -eq 1 || { cat "$dir/huge.log"; fail "the 8 TB run: exit code $code, want 1"; }
grep -qE "huge.snn:4:15: error: the run would write about 8(\.[0-9]+)? TB to '.*huge', more than the .* free on its file system; the largest part is monitor 'st' \(1e\+07 samples of 1e\+05 values of 1 variable\), about 8(\.[0-9]+)? TB: record fewer elements" "$dir/huge.log" ||
  { cat "$dir/huge.log"; fail "the 8 TB run's message"; }
grep -q "internal error" "$dir/huge.log" && fail "the 8 TB run: an internal error"
ls -d "$dir"/huge "$dir"/huge.partial-* > /dev/null 2>&1 && fail "the refused run wrote something"

# 2. A file-size limit of 100 kB: the state monitor's file reaches it.
cat > "$dir/big.snn" <<'MODEL'
neurons G(100):
    equations:
        dv/dt = (1.2 - v)/(10*ms) : 1
    threshold: v > 1
    reset: v = 0
    init:
        v = rand()
monitor spikes sp = G
monitor state st = G.v
run 1*second
MODEL
code=0
(ulimit -f 100; "$snnc" run "$dir/big.snn" -o "$dir/big" > "$dir/big.log" 2>&1) || code=$?
test "$code" -eq 1 || { cat "$dir/big.log"; fail "the limited run: exit code $code, want 1"; }
grep -q "the results could not be written at t = .* s: cannot write .*st_v.npy: File too large" \
  "$dir/big.log" || { cat "$dir/big.log"; fail "the limited run's message"; }
grep -q "internal error" "$dir/big.log" && fail "the limited run: an internal error"
grep -q '"interrupted": true' "$dir/big/manifest.json" || fail "the manifest is not marked"
grep -q '"interrupted_because": "the results could not be written' "$dir/big/manifest.json" ||
  fail "the manifest does not say why"
/usr/bin/python3 - "$dir/big" <<'PY'
import json, sys
import numpy as np
d = sys.argv[1]
man = json.load(open(f"{d}/manifest.json"))
v = np.load(f"{d}/st_v.npy")
t = np.load(f"{d}/st_t.npy")
assert v.ndim == 2 and v.shape[1] == 100 and 0 < v.shape[0] < 10000, v.shape
assert v.size * 8 <= 100 * 1024, v.size  # within the limit: whole rows only
assert len(t) >= v.shape[0]
fields = {m["name"]: m["fields"] for m in man["monitors"]}
assert fields["st"]["v"]["shape"] == list(v.shape), (fields["st"], v.shape)
assert (np.diff(t[:v.shape[0]]) > 0).all()
PY

# 2b. Spikes stream in blocks: the limit cuts a block of t before one of i. The
# monitor's files still agree with each other and with the manifest.
cat > "$dir/spiky.snn" <<'MODEL'
neurons G(2000):
    equations:
        dv/dt = (2 - v)/(1*ms) : 1
    threshold: v > 1
    reset: v = 0
    init:
        v = rand()
monitor spikes sp = G
run 2*second
MODEL
code=0
(ulimit -f 600; "$snnc" run "$dir/spiky.snn" -o "$dir/spiky" > "$dir/spiky.log" 2>&1) || code=$?
test "$code" -eq 1 || { cat "$dir/spiky.log"; fail "the spiky run: exit code $code, want 1"; }
grep -q "File too large" "$dir/spiky.log" || { cat "$dir/spiky.log"; fail "the spiky run's message"; }
/usr/bin/python3 - "$dir/spiky" <<'PY'
import json, sys
import numpy as np
d = sys.argv[1]
man = json.load(open(f"{d}/manifest.json"))
assert man["interrupted"], man
fields = {m["name"]: m["fields"] for m in man["monitors"]}["sp"]
t, i = np.load(f"{d}/sp_t.npy"), np.load(f"{d}/sp_i.npy")
assert len(t) == len(i) == fields["t"]["shape"][0] == fields["i"]["shape"][0] > 0, (len(t), len(i))
assert (np.diff(t) >= 0).all() and i.max() < 2000
PY

# 3. The results directory removed while the run writes into it.
cat > "$dir/slow.snn" <<'MODEL'
neurons G(200000):
    equations:
        dv/dt = (1.2 - v)/(10*ms) : 1
    threshold: v > 1
    reset: v = 0
monitor spikes sp = G (counts only)
monitor state st = G.v (record = [0, 1])
run 30*second
MODEL
"$snnc" run "$dir/slow.snn" -o "$dir/slow" --threads 1 > "$dir/slow.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  ls -d "$dir"/slow.partial-* > /dev/null 2>&1 && break
  sleep 0.05
done
sleep 0.5
rm -rf "$dir"/slow.partial-*
code=0
wait $pid || code=$?
test "$code" -eq 1 || { cat "$dir/slow.log"; fail "the removed run: exit code $code, want 1"; }
grep -q "was removed while the run wrote into it" "$dir/slow.log" ||
  { cat "$dir/slow.log"; fail "the removed run's message"; }
grep -q "internal error" "$dir/slow.log" && fail "the removed run: an internal error"
echo "disk errors: ok"
