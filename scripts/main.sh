#!/usr/bin/env bash
# The main job: sets up and builds snnc (scripts/setup.sh), then runs the
# X/O pattern-recognition study (1000 trials, learning and control) and draws
# its figures into out/xo, again in Python, and a short Diehl & Cook study
# (out/diehl_cook). It also checks every model and runs the examples.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
for f in models/*.snn examples/models/*.snn; do
  build/snnc check "$f"
done
mkdir -p out
for m in izhikevich_net cuba stdp trials_store; do
  build/snnc run examples/models/$m.snn -o out/$m
done
build/examples/api/trials
# The study: report.json and figures in out/xo.
build/examples/xo/xo --trials 1000 --out out/xo
/usr/bin/python3 examples/xo/plot.py out/xo
# The same study through `import snnc` (examples/xo/xo.py): the same report numbers.
/usr/bin/python3 examples/xo/xo.py --trials 1000 --out out/xo-python
# Diehl & Cook (2015), short: 100 excitatory neurons trained on 3,000 MNIST digits
# (examples/diehl_cook/README.md says how to run the full studies).
/usr/bin/python3 examples/diehl_cook/diehl_cook.py --dataset mnist --neurons 100 --train 3000 \
  --label 3000 --out out/diehl_cook
