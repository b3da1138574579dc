"""Shared by the Python tests: where the project and the snnc binary are
(set by ctest; from a source checkout they default to build/)."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(os.environ.get("SNNC_ROOT", pathlib.Path(__file__).resolve().parents[2]))
SNNC = os.environ.get("SNNC_BINARY", str(ROOT / "build" / "snnc"))


@pytest.fixture
def root():
    return ROOT


def snnc_run(model, out, *args):
    """`snnc run MODEL -o OUT ARGS...`; its completed process."""
    r = subprocess.run([SNNC, "run", str(model), "-o", str(out), *args], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    return r
