#!/usr/bin/env bash
# Sets up and builds snnc (scripts/setup.sh), then runs the project's main job.
# Until the simulation runtime and the X/O study exist, the main job checks
# every example model and prints its IR summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
for f in examples/models/*.snn; do
  build/snnc check "$f"
done
