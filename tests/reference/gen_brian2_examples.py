#!/usr/bin/python3
"""Runs Brian2 2.5.1 on the originals of the ported examples (examples/brian2/).

Each tests/reference/brian2_examples/<Name>.py is Brian2's own example script
<Name>.py, its model code as the script writes it, with its plots replaced by
saving the monitors (b2ref) under tests/reference/brian2/examples/<Name>/.
Each runs in a process of its own (Brian2's defaultclock and magic network
are global). Run with Debian's python3-brian:
    /usr/bin/python3 tests/reference/gen_brian2_examples.py [Name ...]
"""
import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(HERE, 'brian2_examples')

names = sys.argv[1:] or sorted(os.path.basename(p)[:-3]
                               for p in glob.glob(os.path.join(SCRIPTS, '*.py')))
env = dict(os.environ, PYTHONPATH=HERE)
for name in names:
    subprocess.run([sys.executable, os.path.join(SCRIPTS, name + '.py')], cwd=SCRIPTS, env=env,
                   check=True)
    print('wrote', name)
