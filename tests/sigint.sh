#!/usr/bin/env bash
# Ctrl-C during `snnc run` stops at the end of the step, writes what was
# recorded, marks the manifest as interrupted and exits non-zero (130); and
# a NaN stops a run with its place.
set -euo pipefail
snnc=$(realpath "$1")
# fails_with MODEL OUT MESSAGE: `snnc run MODEL -o OUT` exits 1 and says MESSAGE.
fails_with() {
  local code=0
  "$snnc" run "$1" -o "$2" > "$2.log" 2>&1 || code=$?
  test "$code" -eq 1 || { echo "$1: exit code $code, want 1"; cat "$2.log"; exit 1; }
  grep -qF "$3" "$2.log" || { echo "$1: no '$3' in:"; cat "$2.log"; exit 1; }
}
dir=$(mktemp -d)
cat > "$dir/long.snn" <<'MODEL'
neurons G(100):
    equations:
        dv/dt = (1.2 - v)/(10*ms) : 1
    threshold: v > 1
    reset: v = 0
    init:
        v = rand()
monitor spikes sp = G
monitor state st = G.v (record = [0, 1], dt = 1*ms)
run 100000*second
MODEL
# stopped_by SIGNAL OUT CODE: `snnc run long.snn -o OUT`, sent SIGNAL a second
# in, exits with CODE (its log in $dir/log).
stopped_by() {
  "$snnc" run "$dir/long.snn" -o "$2" > "$dir/log" 2>&1 &
  local pid=$! code=0
  sleep 1
  kill -"$1" $pid
  wait $pid || code=$?
  test "$code" -eq "$3" || { echo "$1: exit code $code, want $3"; cat "$dir/log"; exit 1; }
}
stopped_by INT "$dir/out" 130
grep -q '"interrupted": true' "$dir/out/manifest.json"
grep -q '"complete": false' "$dir/out/manifest.json"
ls "$dir"/out.partial-* > /dev/null 2>&1 && { echo "a partial directory was left"; exit 1; }
/usr/bin/python3 -c "
import json, numpy as np
m = json.load(open('$dir/out/manifest.json'))
t = np.load('$dir/out/sp_t.npy'); v = np.load('$dir/out/st_v.npy')
assert len(t) > 0 and v.shape[1] == 2 and m['steps'] > 0
print('interrupted at step', m['steps'], 'with', len(t), 'spikes and', v.shape[0], 'samples recorded')
"
# SIGTERM (what mpirun and batch schedulers send) stops it the same way, with
# exit code 143.
stopped_by TERM "$dir/term" 143
grep -q '"interrupted_because": "interrupted (SIGTERM) at t = ' "$dir/term/manifest.json"
grep -qF "snnc: interrupted (SIGTERM) at t = " "$dir/log"
grep -q '"interrupted_because": "interrupted (Ctrl-C) at t = ' "$dir/out/manifest.json"
# A NaN stops the run and says where.
cat > "$dir/nan.snn" <<'MODEL'
neurons G(3):
    equations:
        dv/dt = v**2/(1*ms) : 1
    init:
        v = 0.1*i
run 1*second
MODEL
fails_with "$dir/nan.snn" "$dir/nan_out" "variable 'v' of neuron 1 in group 'G' is NaN or infinite"
grep -q '"interrupted": true' "$dir/nan_out/manifest.json"
rm -rf "$dir"
# A run that would not fit in memory is refused before it starts, naming why.
dir=$(mktemp -d)
printf 'neurons G(10):\n    equations:\n        dv/dt = -v/(10*ms) : 1\n    threshold: v > 1\nmonitor rate r = G (bin = 0.1*ms)\nrun 10000000*second\n' > "$dir/big.snn"
fails_with "$dir/big.snn" "$dir/out" "big.snn:5:14: error: the run would need about 800 GB of memory"
grep -q "rate monitor 'r'" "$dir/out.log"
test ! -e "$dir/out"
rm -rf "$dir"
# A timed array read outside its columns stops the run with an error and
# leaves no results (Brian2's numpy target raises IndexError; its C++ target
# reads past the array).
dir=$(mktemp -d)
cat > "$dir/cols.snn" <<'MODEL'
timed drive = [[1, 2, 3], [4, 5, 6]](dt = 1*ms)
neurons G(5):
    equations:
        dv/dt = (drive(t, i) - v)/(10*ms) : 1
run 10*ms
MODEL
fails_with "$dir/cols.snn" "$dir/out" "cols.snn:1:7: error: the run stopped: timed array 'drive' was called with index 3 at t = 0 s, but it has 3 columns (0 to 2); no results were written"
test ! -e "$dir/out"
ls "$dir"/out.partial-* > /dev/null 2>&1 && { echo "a partial directory was left"; exit 1; }
rm -rf "$dir"
# A connect generator whose j leaves the target group is an error (Brian2's
# IndexError), unless the rule says skip_if_invalid.
dir=$(mktemp -d)
cat > "$dir/gen.snn" <<'MODEL'
neurons G(5):
    equations:
        dv/dt = -v/(10*ms) : 1
synapses S(G -> G):
    on_pre: v += 1
    connect: j = i + 1
run 1*ms
MODEL
fails_with "$dir/gen.snn" "$dir/out" "gen.snn:6:5: error: the run stopped: synapses 'S': for presynaptic neuron 4, the connect generator gives a j outside the target group (0 to 4); add skip_if_invalid to the connect rule to skip such j; no results were written"
test ! -e "$dir/out"
sed -i 's/j = i + 1$/j = i + 1, skip_if_invalid/' "$dir/gen.snn"
"$snnc" run "$dir/gen.snn" -o "$dir/out" > "$dir/out.log" 2>&1 || { cat "$dir/out.log"; exit 1; }
rm -rf "$dir/out"
# A sample larger than its range is Brian2's IndexError too.
sed -i 's/j = i + 1, skip_if_invalid$/j = k for k in sample(N_post, size = i + 2)/' "$dir/gen.snn"
fails_with "$dir/gen.snn" "$dir/out" "gen.snn:6:5: error: the run stopped: synapses 'S': for presynaptic neuron 4, the connect generator asks for a sample of 6 values of a range of 5; add skip_if_invalid to the connect rule to take the whole range (and none for a negative size); no results were written"
test ! -e "$dir/out"
sed -i 's/j = k for k in sample(N_post, size = i + 2)$/j = i + 1, skip_if_invalid/' "$dir/gen.snn"
# The same over i (Brian2's connect(i='...')), target by target.
sed -i 's/j = i + 1, skip_if_invalid$/i = j + 2/' "$dir/gen.snn"
fails_with "$dir/gen.snn" "$dir/out" "gen.snn:6:5: error: the run stopped: synapses 'S': for postsynaptic neuron 3, the connect generator gives an i outside the source group (0 to 4); add skip_if_invalid to the connect rule to skip such i; no results were written"
test ! -e "$dir/out"
rm -rf "$dir"
# A run killed outright (SIGKILL: no chance to clean up) resumes from its
# last periodic checkpoint, continuing the files it left in its partial
# directory, and ends with exactly the results of a run never killed.
dir=$(mktemp -d)
cat > "$dir/net.snn" <<'MODEL'
neurons G(100):
    equations:
        dv/dt = (1.2 - v)/(10*ms) + 0.1*xi*(10*ms)**-0.5 : 1
    threshold: v > 1
    reset: v = 0
    init:
        v = rand()
synapses S(G -> G):
    model:
        w : 1
    on_pre: v_post += w
    connect: p = 0.1
    delay: 2*ms*rand()
    init:
        w = 0.01
monitor spikes sp = G
monitor state st = G.v (record = [0, 1], dt = 1*ms)
monitor rate r = G (bin = 10*ms)
run 100*second
MODEL
"$snnc" run "$dir/net.snn" -o "$dir/whole" > /dev/null
(cd "$dir" && exec "$snnc" run net.snn -o killed --checkpoint net.ckpt --checkpoint-every 0.2s > log 2>&1) &
pid=$!
sleep 1.5
kill -KILL $pid
wait $pid || true
test -e "$dir/net.ckpt" || { echo "no checkpoint after 1.5 s"; exit 1; }
ls -d "$dir"/killed.partial-* > /dev/null || { echo "no partial directory after SIGKILL"; exit 1; }
test ! -e "$dir/killed" || { echo "the killed run looks complete"; exit 1; }
(cd "$dir" && "$snnc" run net.snn --resume net.ckpt > log 2>&1) || { cat "$dir/log"; exit 1; }
ls -d "$dir"/killed.partial-* > /dev/null 2>&1 && { echo "the partial directory was left"; exit 1; }
/usr/bin/python3 - "$dir" <<'PY'
import json, pathlib, sys
d = pathlib.Path(sys.argv[1])
whole, resumed = json.load(open(d/'whole/manifest.json')), json.load(open(d/'killed/manifest.json'))
assert 'resumed_from' in resumed, resumed
for m in (whole, resumed):
    m.pop('timings_ms'); m.pop('resumed_from', None)
assert whole == resumed, (whole, resumed)
files = sorted(p.name for p in (d/'whole').glob('*.npy'))
assert files == sorted(p.name for p in (d/'killed').glob('*.npy')) and len(files) == 6, files
for f in files:
    assert (d/'whole'/f).read_bytes() == (d/'killed'/f).read_bytes(), f
print('killed at t < 100 s and resumed: %d spikes, all %d arrays identical' % (whole['total_spikes'], len(files)))
PY
rm -rf "$dir"
echo "sigint, NaN, memory, timed-array and kill-and-resume checks passed"
