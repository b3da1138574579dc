#!/usr/bin/env bash
# The main job. Sets up and builds snnc (scripts/setup.sh), then runs it.
# Until the X/O study exists, the main job checks every model of the library
# and the examples, runs the example networks into out/, and runs the
# C++ API example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
for f in models/*.snn examples/models/*.snn; do
  build/snnc check "$f"
done
mkdir -p out
for m in izhikevich_net cuba stdp; do
  build/snnc run examples/models/$m.snn -o out/$m
done
build/examples/api/trials
