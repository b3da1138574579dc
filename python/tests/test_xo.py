"""examples/xo/xo.py, the X/O protocol written again in Python, gives the
C++ study's report: the same trials, the same numbers."""
import json
import pathlib
import subprocess
import sys

from conftest import ROOT, SNNC


def test_the_python_study_reports_what_the_cpp_study_reports(tmp_path):
    xo = pathlib.Path(SNNC).parent / "examples" / "xo" / "xo"
    args = ["--trials", "12", "--control-trials", "4", "--threads", "2"]
    subprocess.run([str(xo), *args, "--out", str(tmp_path / "cpp")], check=True,
                   capture_output=True)
    r = subprocess.run([sys.executable, str(ROOT / "examples" / "xo" / "xo.py"), *args,
                        "--out", str(tmp_path / "py")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "X/O study (Python): 12 trials" in r.stdout
    cpp = json.loads((tmp_path / "cpp" / "report.json").read_text())
    py = json.loads((tmp_path / "py" / "report.json").read_text())
    assert set(cpp) == set(py)
    for key in cpp:
        if key != "timing":
            assert py[key] == cpp[key], key
    assert cpp["accuracy"]["mean"] > 0.8  # it learned
