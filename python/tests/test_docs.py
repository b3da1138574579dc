"""Every python block of docs/python.md runs, in order, in one namespace,
from the repository's top folder."""
import os
import re

from conftest import ROOT


def test_the_examples_of_docs_python_md_run(monkeypatch):
    text = (ROOT / "docs" / "python.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 8
    monkeypatch.chdir(ROOT)
    os.makedirs("out/python-docs", exist_ok=True)
    namespace = {}
    for k, code in enumerate(blocks):
        exec(compile(code, f"docs/python.md block {k + 1}", "exec"), namespace)
