#!/usr/bin/env bash
# Sets up and builds snnc (scripts/setup.sh), then runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cd build
ctest --output-on-failure -j "${SNNC_JOBS:-2}"
