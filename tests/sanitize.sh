#!/usr/bin/env bash
# Builds snnc and its tests with AddressSanitizer and UndefinedBehaviorSanitizer
# (gcc, -O1, assertions on) in build-asan/ and runs the test suite there.
# JIT-compiled kernels are not instrumented; the compiler, the runtime and the
# exported C++ that the tests build are. The Python module is not built here
# (an instrumented extension cannot load into an uninstrumented interpreter);
# the C++ API beneath it is tested. CI runs it (build and tests ~6 min).
#   bash tests/sanitize.sh [CTEST-ARGS...]     e.g. -R differential
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSNNC_ASSERTIONS=ON -DSNNC_PYTHON=OFF -DCMAKE_CXX_FLAGS="$san" -DCMAKE_C_FLAGS="$san" \
  -DCMAKE_EXE_LINKER_FLAGS="$san" -DCMAKE_SHARED_LINKER_FLAGS="$san" > /dev/null
cmake --build "$root/build-asan" -j2
cd "$root/build-asan"
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest -j2 --output-on-failure "$@"
