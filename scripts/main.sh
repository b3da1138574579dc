#!/usr/bin/env bash
# The main job. Sets up and builds snnc (scripts/setup.sh), then runs it.
# Until the X/O study exists, the main job checks every model of the library
# and the examples, runs the neuron-only examples into out/, and runs the
# C++ API example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
for f in models/*.snn examples/models/*.snn; do
  build/snnc check "$f"
done
mkdir -p out
build/snnc run examples/models/izhikevich_net.snn -o out/izhikevich_net
build/examples/api/trials
