#!/usr/bin/env bash
# The main job. Sets up and builds snnc (scripts/setup.sh), then runs it.
# Until the simulation runtime and the X/O study exist, the main job checks
# every model of the library and the examples and prints their summaries.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
for f in models/*.snn examples/models/*.snn; do
  build/snnc check "$f"
done
