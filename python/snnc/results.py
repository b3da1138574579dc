"""A results directory (written by `snnc run -o DIR` or
Simulation.write_results()) read back: its manifest and its monitors'
arrays, with the attribute names of a live simulation's monitors.

    res = snnc.load_results("out/cuba")
    res["sm"].t, res["sm"].i          # numpy arrays (memory-mapped .npy)
    res.manifest["t_end"]
"""

import json
import os

import numpy as np


class MonitorResults:
    """One monitor's files: .t, .i, .count, .rate and recorded variables
    (state: 2-D, time x recorded index), as the monitor of a Simulation."""

    def __init__(self, directory, entry):
        self._dir = directory
        self._entry = entry

    @property
    def name(self):
        return self._entry["name"]

    @property
    def kind(self):
        return self._entry["kind"]

    @property
    def source(self):
        return self._entry.get("group", "")

    @property
    def fields(self):
        return sorted(self._entry["fields"])

    @property
    def variables(self):
        return [f for f in self.fields if f not in ("t", "i", "count", "rate")]

    def __getattr__(self, field):
        if field.startswith("_"):
            raise AttributeError(field)
        fields = self._entry["fields"]
        if field not in fields:
            from .simulation import UnknownName

            raise UnknownName(f"monitor '{self.name}' wrote no field '{field}' (it wrote: "
                              f"{', '.join(sorted(fields))})")
        return np.load(os.path.join(self._dir, fields[field]["file"]), mmap_mode="r")

    def __repr__(self):
        return f"<snnc results of {self.kind} monitor '{self.name}': {', '.join(self.fields)}>"


class Results:
    """A results directory: res.manifest (manifest.json as a dict),
    res["monitor"] (its arrays), res.monitors (name -> MonitorResults)."""

    def __init__(self, directory):
        self.directory = os.fspath(directory)
        path = os.path.join(self.directory, "manifest.json")
        try:
            with open(path) as f:
                self.manifest = json.load(f)
        except FileNotFoundError:
            raise FileNotFoundError(f"{self.directory!r} is not an snnc results directory "
                                    f"(no manifest.json)") from None
        self.monitors = {m["name"]: MonitorResults(self.directory, m)
                         for m in self.manifest.get("monitors", [])}

    @property
    def t_end(self):
        return self.manifest.get("t_end")

    @property
    def complete(self):
        return bool(self.manifest.get("complete"))

    def __getitem__(self, name):
        if name not in self.monitors:
            from .simulation import UnknownName

            raise UnknownName(f"no monitor '{name}' in {self.directory!r} (it has: "
                              f"{', '.join(sorted(self.monitors)) or 'none'})")
        return self.monitors[name]

    def __repr__(self):
        return f"<snnc results {self.directory!r}: monitors {sorted(self.monitors)}>"


def load_results(directory):
    """The results directory `directory`, read lazily."""
    return Results(directory)
