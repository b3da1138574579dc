#!/usr/bin/env bash
# Builds the front-end fuzz target with clang's libFuzzer, AddressSanitizer
# and UndefinedBehaviorSanitizer, and runs it for a bounded time on a corpus
# seeded with the project's models and error cases. Exits non-zero on any
# crash, sanitizer report or internal error; the crashing input is kept in
# build-fuzz/ (turn it into a tests/errors case).
#   tests/fuzz/run_fuzz.sh [SECONDS]      (default 60)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
out=$root/build-fuzz
mkdir -p "$out/obj" "$out/corpus"
cxx=clang++-14
flags="-std=c++17 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -I$root/compiler -I$root/runtime/include"
srcs=$(cd "$root/compiler" && ls diag/*.cpp units/*.cpp ir/*.cpp parse/*.cpp lower/*.cpp passes/*.cpp kernels/*.cpp driver/pipeline.cpp)
objs=()
for s in $srcs; do
  o=$out/obj/$(echo "$s" | tr / _).o
  if [ ! -f "$o" ] || [ "$root/compiler/$s" -nt "$o" ]; then
    $cxx $flags -c "$root/compiler/$s" -o "$o"
  fi
  objs+=("$o")
done
$cxx $flags -fsanitize=fuzzer "$root/tests/fuzz/fuzz_front_end.cpp" "${objs[@]}" -lfmt -o "$out/fuzz_front_end"
cp "$root"/examples/models/*.snn "$root"/models/*.snn "$root"/tests/errors/*.snn \
   "$root"/tests/differential/*.snn "$root"/examples/xo/xo.snn "$out/corpus/" 2>/dev/null || true
cd "$out"
./fuzz_front_end -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 corpus 2>&1 | tail -25
