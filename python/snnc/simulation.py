"""Models, simulations, their variables and monitors: the Python face of
snnc's C++ API (compiler/api/snnc.h), with Brian2's names where it has them.

Values are in SI base units (volt, second, amp, ...), as numbers, numpy
arrays, strings in the model language ("15*ms", "taum/2"), or Brian2
quantities (anything with a unit and a float value).
"""

import numbers
import pickle
import os
import weakref

import numpy as np

from . import _snnc


class UnknownName(KeyError, AttributeError):
    """A name the model does not have: a group, synapses object, monitor,
    variable or constant. Both a KeyError (sim["X"]) and an AttributeError
    (sim["P"].x), with a message that lists what there is."""

    def __str__(self):
        return str(self.args[0]) if self.args else ""


def _unknown(message, known):
    names = ", ".join(sorted(known)) or "none"
    return UnknownName(f"{message} (there are: {names})")


def _check_name(name, what):
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a str, not {type(name).__name__}")
    return name


def _brian2(q):
    """A Brian2 quantity as (its values in SI, its unit as model-language
    text such as "volt" or "metre ** 2 * kilogram"), or None for anything
    else."""
    if not (hasattr(q, "dim") and hasattr(q, "dimensions")):
        return None
    from brian2.units.fundamentalunits import Quantity

    unit = repr(Quantity(1.0, dim=q.dim))
    unit = unit[len("1. * "):] if unit.startswith("1. * ") else "1"
    return np.asarray(q, dtype=float), unit


def _brian2_text(q):
    """A scalar Brian2 quantity as exact model-language text, else None."""
    b = _brian2(q)
    if b is None or b[0].ndim != 0:
        return None
    return f"{float(b[0])!r} * ({b[1]})"


def _constant_text(name, value):
    if isinstance(value, str):
        return value
    text = _brian2_text(value)
    if text is not None:
        return text
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.generic)):
        raise TypeError(f"constant '{name}': a value must be a str in the model language, a "
                        f"number or a Brian2 quantity, not {type(value).__name__}")
    return repr(float(value))


def compile(path=None, *, text=None, constants=None, fast_math=False, cpu=None,
            name="<string>"):
    """Parses, checks and JIT-compiles a model file, or a model written as
    `text` (imports and data files then relative to the working folder;
    `name` is its name in error messages). `constants` overrides constants
    as `snnc run --set` does: {"taum": "15*ms", "hidden.d": 8e-3}. Raises
    snnc.ModelError with snnc's diagnostics (file:line:col, the line, a
    caret) if the model is wrong. `cpu` is the CPU to compile for, as
    `snnc run --cpu`: None ($SNNC_CPU, else "native") or an LLVM CPU name such
    as "haswell" (ValueError if it is unknown or needs features this machine
    lacks)."""
    if (path is None) == (text is None):
        raise TypeError("snnc.compile takes a path or text=..., not both or neither")
    if constants is None:
        constants = {}
    if not isinstance(constants, dict):
        raise TypeError(f"constants must be a dict, not {type(constants).__name__}")
    sets = {_check_name(k, "a constant's name"): _constant_text(k, v) for k, v in constants.items()}
    if not isinstance(fast_math, bool):
        raise TypeError("fast_math must be True or False")
    if cpu is None:
        cpu = ""
    elif not isinstance(cpu, str) or not cpu:
        raise TypeError(f"cpu must be a CPU's name such as 'haswell', not {cpu!r}")
    if path is not None:
        native = _snnc.Model.compile(os.fspath(path), sets, fast_math, cpu)
    else:
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        native = _snnc.Model.compile_text(text, sets, fast_math, cpu, _check_name(name, "name"))
    return Model(native)


class Model:
    """A compiled model: instantiate it as many times as you like."""

    def __init__(self, native):
        self._native = native
        self._groups = {g["name"]: g for g in native.groups()}
        self._synapses = {s["name"]: s for s in native.synapses()}
        self._monitors = {m["name"]: m for m in native.monitors()}

    def instantiate(self, seed=None, results_dir=None):
        """A fresh network at t = 0 with its init blocks applied. With
        `results_dir` (created if needed) monitors stream there and
        write_results() completes it, as `snnc run -o` does; without one
        they record in memory."""
        if seed is None:
            seed = self.seed()
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
            raise TypeError(f"seed must be an int, not {type(seed).__name__}")
        if seed < 0:
            raise ValueError("seed must not be negative")
        directory = ""
        if results_dir is not None:
            directory = os.fspath(results_dir)
            os.makedirs(directory, exist_ok=True)
        return Simulation(self, self._native.instantiate(int(seed), directory), directory)

    def seed(self):
        """The model file's seed."""
        return self._native.seed()

    def dt(self):
        """The time step, in seconds."""
        return self._native.dt()

    @property
    def cpu(self):
        """The CPU the model was compiled for: "haswell", or the host's name
        and "(native)"."""
        return self._native.cpu()

    def constant(self, name):
        """A folded constant's value (SI): "taum", or "hidden.d" for an
        object's own."""
        return self._native.constant(_check_name(name, "a constant's name"))

    def quantity(self, expr, unit="", what="<value>"):
        """`expr` in the model language, evaluated with the model's global
        constants and units, in SI; with `unit` ("second", "volt/second")
        it must have that unit's dimension."""
        return self._native.quantity(_check_name(expr, "an expression"), unit, what)

    @property
    def groups(self):
        return dict(self._groups)

    @property
    def synapses(self):
        return dict(self._synapses)

    @property
    def monitors(self):
        return dict(self._monitors)

    def __repr__(self):
        return (f"<snnc.Model: {len(self._groups)} groups, {len(self._synapses)} synapses "
                f"objects, {len(self._monitors)} monitors, dt = {self.dt()} s>")


def _seconds(model, duration, what):
    """A duration in seconds: a number, model-language text or a Brian2
    quantity of time."""
    if isinstance(duration, str):
        return model.quantity(duration, "second", f"<{what}>")
    if isinstance(duration, bool):
        raise TypeError(f"{what} must be a time, not a bool")
    text = _brian2_text(duration)
    if text is not None:
        return model.quantity(text, "second", f"<{what}>")
    try:
        return float(duration)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a number of seconds, a str such as '50*ms' or a "
                        f"Brian2 quantity, not {type(duration).__name__}") from None


def _values(model, value, unit, what):
    """`value` for a variable of `unit`: a number, an array, text in the
    model language, or a Brian2 quantity (checked against the unit)."""
    if isinstance(value, str):
        return model.quantity(value, unit, f"<{what}>")
    b = _brian2(value)
    if b is not None:
        model.quantity(b[1], unit, f"<{what}>")  # its unit must be the variable's
        return b[0]
    if isinstance(value, bool):
        return float(value)
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{what}: expected numbers, not {type(value).__name__}") from None


class _Variables:
    """The state variables of a group or synapses object as attributes:
    numpy views of the simulation's memory, readable and writable."""

    def __init__(self, sim, info, get):
        object.__setattr__(self, "_sim", sim)
        object.__setattr__(self, "_info", info)
        object.__setattr__(self, "_get", get)

    @property
    def name(self):
        return self._info["name"]

    @property
    def variables(self):
        return list(self._info["variables"])

    @property
    def units(self):
        return dict(zip(self._info["variables"], self._info["units"]))

    def _unit(self, var):
        if var not in self._info["variables"]:
            raise _unknown(f"'{self.name}' has no variable '{var}'", self._info["variables"])
        return self.units[var]

    def __getattr__(self, var):
        if var.startswith("__"):
            raise AttributeError(var)
        self._unit(var)
        return self._get(self.name, var)

    def __setattr__(self, var, value):
        unit = self._unit(var)
        view = self._get(self.name, var)
        view[...] = _values(self._sim._model, value, unit, f"{self.name}.{var}")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._info["variables"]))


class Group(_Variables):
    """A neuron group of a simulation: sim["P"].v, sim["P"].v[:10] = -0.06."""

    def __init__(self, sim, info):
        super().__init__(sim, info, sim._native.variable)

    @property
    def N(self):
        return self._info["size"]

    def __len__(self):
        return self._info["size"]

    @property
    def i(self):
        return np.arange(self._info["size"])

    def __repr__(self):
        return f"<snnc group '{self.name}': {self.N} neurons, variables {self.variables}>"


class Synapses(_Variables):
    """A synapses object of a simulation: sim["S"].w (one value per
    synapse), sim["S"].i and .j (each synapse's pre- and postsynaptic
    neuron, within the source and target)."""

    def __init__(self, sim, info):
        super().__init__(sim, info, sim._native.synapse_variable)

    @property
    def N(self):
        return self._sim._native.synapse_count(self.name)

    def __len__(self):
        return self.N

    @property
    def i(self):
        return self._sim._native.synapse_indices(self.name, True)

    @property
    def j(self):
        return self._sim._native.synapse_indices(self.name, False)

    def __repr__(self):
        return (f"<snnc synapses '{self.name}' ({self._info['source']} -> "
                f"{self._info['target']}): {self.N} synapses, variables {self.variables}>")


class Monitor:
    """What a monitor recorded, as numpy arrays (copies, taken when read).
    Spike monitors: t, i (within the recorded part), count, and recorded
    variables at each spike; state monitors: t and each variable as a 2-D
    array (time x recorded index), record (the indices); rate monitors: t
    and rate (Hz)."""

    def __init__(self, sim, info):
        self._sim = sim
        self._info = info

    @property
    def name(self):
        return self._info["name"]

    @property
    def kind(self):
        return self._info["kind"]

    def _data(self):
        d = self._sim._native.recording(self.name)
        return d

    def _streamed(self, field):
        raise ValueError(f"monitor '{self.name}' streams its {field} to the results directory "
                         f"{self._sim.results_dir!r}: read it with "
                         f"snnc.load_results(...) after write_results()")

    @property
    def t(self):
        d = self._data()
        if d["streamed"]:
            self._streamed("times")
        return d["t"]

    @property
    def i(self):
        if self.kind != "spikes":
            raise AttributeError(f"'{self.name}' is a {self.kind} monitor: it has no i")
        d = self._data()
        if d["streamed"]:
            self._streamed("spikes")
        return d["i"]

    @property
    def count(self):
        if self.kind != "spikes":
            raise AttributeError(f"'{self.name}' is a {self.kind} monitor: it has no count")
        return self._data()["count"]

    @property
    def rate(self):
        if self.kind != "rate":
            raise AttributeError(f"'{self.name}' is a {self.kind} monitor: it has no rate")
        return self._data()["rate"]

    @property
    def record(self):
        if self.kind != "state":
            raise AttributeError(f"'{self.name}' is a {self.kind} monitor: it has no record")
        return self._data()["record"]

    @property
    def variables(self):
        return list(self._info["variables"])

    def __getattr__(self, var):
        if var.startswith("_"):
            raise AttributeError(var)
        if var in ("i", "count", "rate", "record"):  # (a property of another kind)
            raise AttributeError(f"'{self.name}' is a {self.kind} monitor: it has no {var}")
        if var not in self._info["variables"]:
            raise _unknown(f"monitor '{self.name}' records no variable '{var}'",
                           self._info["variables"])
        d = self._data()
        if d["streamed"]:
            self._streamed(var)
        values = d["values"][var]
        if self.kind == "state":
            width = len(d["record"])
            return values.reshape(len(d["t"]), width)
        return values

    def reset(self):
        """Forgets what was recorded so far (e.g. between trials)."""
        self._sim._native.reset_monitor(self.name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._info["variables"]))

    def __repr__(self):
        return f"<snnc {self.kind} monitor '{self.name}' of '{self._info['source']}'>"


class Simulation:
    """One instance of a model: its clock, state, monitors and callbacks."""

    def __init__(self, model, native, results_dir):
        self._model = model
        self._native = native
        self._results_dir = results_dir or None
        self._callbacks = []  # held here, where the garbage collector sees them

    @property
    def model(self):
        return self._model

    @property
    def results_dir(self):
        return self._results_dir

    @property
    def t(self):
        """The simulated time, in seconds."""
        return self._native.t()

    @property
    def step(self):
        """The clock as a step count (t = step*dt)."""
        return self._native.step()

    def set_step(self, step):
        """Moves the clock to `step` without running: a fresh simulation
        that continues a run made elsewhere (spikes in flight are not
        carried over)."""
        self._native.set_step(int(step))

    def run(self, duration):
        """Advances by `duration` (rounded to whole steps, as Brian2 does):
        seconds, "50*ms", or a Brian2 quantity. The GIL is released while
        it runs; Ctrl-C stops it (KeyboardInterrupt) between chunks of
        steps."""
        seconds = _seconds(self._model, duration, "duration")
        self._native.run_steps(self._native.steps_for(seconds))

    def run_steps(self, steps):
        """Advances by a whole number of steps (as run, in steps)."""
        self._native.run_steps(int(steps))

    def run_schedule(self):
        """Runs the model file's own schedule (its runs and the statements
        between them), as `snnc run` does."""
        self._native.run_schedule()

    def __getitem__(self, name):
        _check_name(name, "a name")
        m = self._model
        if name in m._groups:
            return Group(self, m._groups[name])
        if name in m._synapses:
            return Synapses(self, m._synapses[name])
        if name in m._monitors:
            return Monitor(self, m._monitors[name])
        raise _unknown(f"no group, synapses or monitor named '{name}' in this model",
                       list(m._groups) + list(m._synapses) + list(m._monitors))

    def set(self, obj, var, value):
        """Assigns `value` to variable `var` of every neuron (or synapse) of
        `obj`: sim.set("P", "I", 0.7e-9), sim.set("P", "I", "0.7*nA")."""
        target = self[obj]
        if isinstance(target, Monitor):
            raise TypeError(f"'{obj}' is a monitor: it has no variables to set")
        setattr(target, var, value)

    def reset_monitor(self, name):
        m = self[name]
        if not isinstance(m, Monitor):
            raise TypeError(f"'{name}' is not a monitor")
        m.reset()

    def _callback(self, fn):
        if not callable(fn):
            raise TypeError(f"a callback must be callable, not {type(fn).__name__}")
        # The C++ side holds only this trampoline, which holds the simulation
        # weakly: a callback that refers to the simulation (a cycle the
        # collector could not see through C++) is held here instead.
        self._callbacks.append(fn)
        me, k = weakref.ref(self), len(self._callbacks) - 1

        def call():
            sim = me()
            if sim is not None:
                sim._callbacks[k](sim)

        return call

    def at(self, t, fn):
        """Calls fn(sim) at the start of the step at time `t`, after the
        model's own events (Brian2's "once at t")."""
        self._native.at(_seconds(self._model, t, "time"), self._callback(fn))

    def every(self, period, fn, start=0):
        """Calls fn(sim) at the start of a step every `period` from `start`
        (Brian2's network_operation(dt=period))."""
        self._native.every(_seconds(self._model, period, "period"), self._callback(fn),
                           _seconds(self._model, start, "start"))

    def store(self, name="default"):
        """A snapshot of the whole state (Brian2's store): the clock, state
        variables, synapses and spikes in flight. Monitors keep recording."""
        self._native.store(_check_name(name, "a snapshot's name"))

    def restore(self, name="default"):
        self._native.restore(_check_name(name, "a snapshot's name"))

    def write_results(self):
        """Completes the results directory given to instantiate()
        (manifest.json and the monitors' .npy files, as `snnc run`)."""
        if self._results_dir is None:
            raise ValueError("this simulation has no results directory: "
                             "instantiate(seed, results_dir=...)")
        self._native.write_results()

    def set_threads(self, threads):
        """Threads for the state updates of large groups and synaptic
        propagation (default 1); the results are the same bits."""
        if isinstance(threads, bool) or not isinstance(threads, numbers.Integral) or threads < 1:
            raise ValueError("threads must be a positive int")
        self._native.set_threads(int(threads))

    def __repr__(self):
        return f"<snnc.Simulation at t = {self.t} s>"


def run_batch(n, trial, threads=0, progress=True):
    """Runs trial(0), ..., trial(n - 1) on `threads` threads (0: all cores)
    and returns their results in trial order. Each trial usually
    instantiates its own Simulation of one compiled Model; the GIL is
    released while they simulate, so trials really run in parallel. The
    first exception a trial raises stops the batch (no further trials
    start) and is raised here. `progress`: a progress line on standard
    error (updated in place on a terminal, one line per 10 % in a log).

    Under mpirun (`mpirun -np 4 python3 script.py`), trial k runs on
    process k % 4 and each process's trials on its threads (0: its share of
    the cores); results are pickled and every process gets all of them, in
    trial order, the same as from one process. A failed trial stops the
    batch everywhere: the process that ran it raises its exception, the
    others snnc.BatchError."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError("n must be a non-negative int")
    if not callable(trial):
        raise TypeError("trial must be callable")
    if isinstance(threads, bool) or not isinstance(threads, numbers.Integral) or threads < 0:
        raise ValueError("threads must be a non-negative int (0: all cores)")
    if n == 0:
        return []
    if _snnc.process_count() > 1:
        results = _snnc.run_batch_gathered(
            int(n), lambda k: pickle.dumps(trial(k)), int(threads), bool(progress)
        )
        return [pickle.loads(r) for r in results]
    return _snnc.run_batch(int(n), trial, int(threads), bool(progress))
