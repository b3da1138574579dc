"""snnc: compile, drive and read spiking networks from Python.

    import snnc
    model = snnc.compile("examples/models/cuba.snn", constants={"taum": "15*ms"})
    sim = model.instantiate(seed=1)
    sim.run("100*ms")                 # or 0.1 (seconds), or 100*ms with Brian2
    sim["P"].v[:10] = -0.06           # state variables are numpy views
    sm = sim["sm"]                    # monitors: sm.t, sm.i, sm.count
    snnc.plot.raster(sim, "sm")

The JIT, the runtime and the batch API are snnc's C++ (compiler/api/snnc.h);
this package only steers them. Simulation runs with the GIL released, so
snnc.run_batch runs Python trials on several cores. See docs/python.md.
"""

from ._snnc import BatchError, ModelError, OutputError, Progress, Random, process_count, process_rank
from .simulation import (
    Model,
    Simulation,
    UnknownName,
    compile,
    run_batch,
)
from .results import Results, load_results


def __getattr__(name):
    # snnc.plot imports matplotlib: only when it is used.
    if name == "plot":
        import importlib

        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module 'snnc' has no attribute '{name}'")

__all__ = [
    "BatchError",
    "ModelError",
    "OutputError",
    "Progress",
    "Random",
    "Model",
    "Simulation",
    "UnknownName",
    "compile",
    "run_batch",
    "process_rank",
    "process_count",
    "Results",
    "load_results",
    "plot",
]
