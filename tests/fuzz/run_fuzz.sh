#!/usr/bin/env bash
# Builds the fuzz targets with clang's libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs each on its corpus: fuzz_front_end
# (model files through the front end, kernels and C++ generator; seeded with
# the project's models and error cases) and fuzz_tables (the .npy/.csv
# readers; seeded with tests/fuzz/table_seeds). Exits non-zero on any crash,
# sanitizer report or internal error; the crashing input is kept in
# build-fuzz/ (turn it into a test).
#   tests/fuzz/run_fuzz.sh [SECONDS]          explore: a random seed, for a time
#                                             per target (default 60)
#   tests/fuzz/run_fuzz.sh --runs N --seed S  reproducible (CI): N inputs per
#                                             target from seed S
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
limit=(-max_total_time=60)
if [ "${1:-}" = --runs ]; then
  [ $# -eq 4 ] && [ "$3" = --seed ] || { echo "usage: $0 [SECONDS] | --runs N --seed S" >&2; exit 2; }
  limit=(-runs="$2" -seed="$4")
elif [ -n "${1:-}" ]; then
  limit=(-max_total_time="$1")
fi
out=$root/build-fuzz
mkdir -p "$out/obj"
cxx=clang++-14
flags="-std=c++17 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
  -Wno-overloaded-shift-op-parentheses -I$root/compiler -I$root/runtime/include"
srcs=$(cd "$root/compiler" && ls diag/*.cpp units/*.cpp ir/*.cpp parse/*.cpp lower/*.cpp passes/*.cpp kernels/*.cpp \
  codegen/cpp/*.cpp driver/pipeline.cpp)
# An object is rebuilt when its source or any header is newer (headers are
# shared widely; a stale object would break the one-definition rule).
newest_header=$(find "$root/compiler" "$root/runtime/include" -name '*.h' -printf '%T@ %p\n' |
  sort -n | tail -1 | cut -d' ' -f2)
objs=()
for s in $srcs; do
  o=$out/obj/$(echo "$s" | tr / _).o
  if [ ! -f "$o" ] || [ "$root/compiler/$s" -nt "$o" ] || [ "$newest_header" -nt "$o" ]; then
    $cxx $flags -c "$root/compiler/$s" -o "$o"
  fi
  objs+=("$o")
done
for target in fuzz_front_end fuzz_tables; do
  $cxx $flags -fsanitize=fuzzer "$root/tests/fuzz/$target.cpp" "${objs[@]}" -lfmt -o "$out/$target"
done

# Fresh corpora each time, so that a run with a seed is reproducible, and no
# crash files of earlier runs.
shopt -s nullglob
rm -rf "$out/corpus" "$out/corpus_tables" "$out"/crash-* "$out"/timeout-* "$out"/oom-*
mkdir -p "$out/corpus" "$out/corpus_tables"
for f in "$root"/examples/models/*.snn "$root"/models/*.snn "$root"/tests/errors/*.snn \
  "$root"/tests/differential/*.snn "$root"/examples/xo/xo.snn; do
  rel=${f#"$root"/}
  cp "$f" "$out/corpus/${rel//\//_}"
done
cp "$root"/tests/fuzz/table_seeds/* "$out/corpus_tables/"

cd "$out"
fuzz() { # target corpus
  local rc=0
  echo "== $1"
  "./$1" "${limit[@]}" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "$2" > "$1.log" 2>&1 || rc=$?
  if [ $rc -ne 0 ]; then
    # The report, from its first line (the whole log is build-fuzz/$1.log).
    grep -m1 -A60 -e 'ERROR: ' -e 'runtime error' -e 'internal error' -e 'deadly signal' \
      -e '^a ' "$1.log" || tail -60 "$1.log"
    for f in crash-* timeout-* oom-*; do echo "kept: build-fuzz/$f"; done
  else
    tail -8 "$1.log"
  fi
  return $rc
}
rc=0
fuzz fuzz_front_end corpus || rc=1
fuzz fuzz_tables corpus_tables || rc=1
exit $rc
