"""The 'snnc' Brian2 device: Brian2's runtime device, except that a run is
snnc's.

Brian2 itself creates the objects, the synapses (`connect`) and the initial
values in its own arrays, as on its runtime device, so the network is
exactly Brian2's. At each `run()` the device writes the network's structure
as an snnc model (translate.py), compiles it (once while the structure does
not change), copies Brian2's state in, runs, and copies the state and what
the monitors recorded back into Brian2's arrays: everything a Brian2 user
reads after a run (`G.v[:]`, `S.w`, `mon.t`, `mon.i`, `mon.count`,
`rate_mon.rate`) works as in Brian2, Python between runs too.
"""

import hashlib
import os
import tempfile
import time

import numpy as np

from brian2.core.namespace import get_local_namespace
from brian2.core.network import Network
from brian2.devices.device import RuntimeDevice
from brian2.units.fundamentalunits import Quantity, fail_for_dimension_mismatch
from brian2.units.allunits import second

from .. import simulation as _simulation
from .translate import Refused, translate


def cache_dir():
    d = os.environ.get("SNNC_BRIAN2_CACHE")
    if not d:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        d = os.path.join(base, "snnc", "brian2")
    os.makedirs(d, exist_ok=True)
    return d


class _Running:
    """One network's snnc side: the compiled model, its simulation, and the
    plan that maps Brian2's objects to it."""

    def __init__(self, key, plan, folder, model, sim):
        self.key = key
        self.plan = plan
        self.folder = folder
        self.model = model
        self.sim = sim
        self.stored = set()  # snapshot names taken with this simulation
        self.any_delay = plan.any_delay


class SnncDevice(RuntimeDevice):
    """set_device('snnc'): Brian2 scripts run on snnc."""

    def __init__(self):
        super().__init__()
        self._running = {}  # network id -> _Running
        self._models = {}   # structure key -> (folder, compiled model)
        self._stored_idle = set()  # (network id, name) stored before any run
        self.threads = int(os.environ.get("SNNC_THREADS", "1") or 1)

    # -- the run -------------------------------------------------------------

    def network_run(self, net, duration, report=None, report_period=10 * second,
                    namespace=None, profile=None, level=0):
        fail_for_dimension_mismatch(duration, second, "duration must be a time")
        if namespace is None:
            namespace = get_local_namespace(level=level + 2)
        if profile:
            raise Refused("the snnc device does not support profile=True yet")

        all_objects = net.sorted_objects
        net._clocks = {obj.clock for obj in all_objects}
        t_start = net.t
        t_end = net.t + duration
        for clock in net._clocks:
            clock.set_interval(net.t, t_end)
        self._check_names(all_objects)
        net.check_dependencies()
        if not all_objects:
            return

        plan = translate(net, namespace)
        clock = min(net._clocks, key=lambda c: float(c.dt_))
        start_step = int(clock.variables["timestep"].get_value().item())
        steps = int(clock._i_end) - start_step
        run = self._prepare(net, plan, start_step)

        wall = time.time()
        if report is not None:
            callback = _report_callback(report)
            callback(0 * second, 0.0, t_start, duration)
        self._copy_in(run)
        if steps > 0:
            if report is None:
                run.sim.run_steps(steps)
            else:
                chunk = max(1, steps // 10)
                done = 0
                while done < steps:
                    n = min(chunk, steps - done)
                    run.sim.run_steps(n)
                    done += n
                    callback((time.time() - wall) * second, done / steps, t_start, duration)
        self._copy_out(run)
        self._monitors_out(run)
        # Between runs the device holds no Brian2 object (the plan names them):
        # objects the script drops are freed, and their names reused, as on
        # Brian2's runtime device.
        run.any_delay = plan.any_delay
        run.plan = None

        end = int(clock._i_end)
        for c in net._clocks:
            ratio = float(clock.dt_) / float(c.dt_)
            c.variables["timestep"].set_value(int(round(end * ratio)))
            c.variables["t"].set_value(end * float(clock.dt_))
        net.t_ = float(t_end)
        self._last_run_time = time.time() - wall
        self._last_run_completed_fraction = 1.0
        from brian2.groups.group import Group

        for obj in all_objects:
            if isinstance(obj, Group):
                obj._check_for_invalid_states()
        net._profiling_info = None

    @staticmethod
    def _check_names(objects):
        from collections import Counter

        twice = [n for n, k in Counter(o.name for o in objects).items() if k > 1]
        if twice:
            raise ValueError(f"All objects in a network need to have unique names, the "
                             f"following name(s) were used more than once: "
                             f"{', '.join(repr(n) for n in twice)}")

    def _prepare(self, net, plan, start_step):
        """The snnc simulation for `plan`: the current one while the
        structure is the same, else a new one at `start_step`."""
        key = plan.key() + "|" + ",".join(op.name for op in plan.operations)
        old = self._running.get(net.id)
        if old is not None and old.key == key:
            old.plan = plan
            return old
        if old is not None and old.any_delay:
            raise Refused(
                "the snnc device does not support changing the network's structure between "
                "runs (objects added or removed, new synapses, a changed equation or scalar "
                "delay) while synaptic delays may hold spikes in flight yet")
        folder, model = self._compile(key, plan)
        seed = _seed()
        sim = model.instantiate(seed=seed)
        sim.set_threads(self.threads)
        sim.set_step(start_step)
        self._check_synapses(plan, sim)
        run = _Running(key, plan, folder, model, sim)
        for op in plan.operations:
            self._add_operation(run, op)
        self._running[net.id] = run
        return run

    def _compile(self, key, plan):
        if key in self._models:
            return self._models[key]
        folder = os.path.join(cache_dir(), hashlib.sha256(key.encode()).hexdigest()[:16])
        os.makedirs(folder, exist_ok=True)
        for name, values in plan.files.items():
            np.save(os.path.join(folder, name), values)
        path = os.path.join(folder, "model.snn")
        with open(path, "w") as f:
            f.write(plan.text())
        try:
            model = _simulation.compile(path)
        except _simulation._snnc.ModelError as e:
            raise Refused(f"snnc could not compile the network written as {path}:\n{e}") from None
        self._models[key] = (folder, model)
        return folder, model

    @staticmethod
    def _check_synapses(plan, sim):
        for S, name, _, _ in plan.synapses:
            i = sim._native.synapse_indices(name, True)
            j = sim._native.synapse_indices(name, False)
            if not (np.array_equal(i, S.i[:]) and np.array_equal(j, S.j[:])):
                raise RuntimeError(f"internal error: the snnc device numbered the synapses "
                                   f"of '{name}' unlike Brian2")

    def _add_operation(self, run, op):
        period = float(op.clock.dt_)

        def call(sim):
            self._copy_out(run)
            step = sim.step
            for c in {op.clock} | {o.clock for o, _, _ in run.plan.groups}:
                c.variables["timestep"].set_value(int(round(step * run.plan.dt / float(c.dt_))))
                c.variables["t"].set_value(step * run.plan.dt)
            op.run()
            self._copy_in(run)

        run.sim.every(period, call)

    # -- copies between Brian2's arrays and snnc's state ---------------------

    @staticmethod
    def _copy_in(run):
        native = run.sim._native
        for G, name, variables in run.plan.groups:
            for v in variables:
                native.variable(name, v)[...] = G.variables[v].get_value()
        for S, name, variables, delays in run.plan.synapses:
            for v in variables:
                native.synapse_variable(name, v)[...] = S.variables[v].get_value()
            for pw, var in delays:
                native.synapse_variable(name, var)[...] = pw.variables["delay"].get_value()

    @staticmethod
    def _copy_out(run):
        native = run.sim._native
        # snnc keeps a shared variable's one value in every element.
        for G, name, variables in run.plan.groups:
            for v in variables:
                var = G.variables[v]
                if not var.constant:
                    values = native.variable(name, v)
                    var.get_value()[...] = values[:1] if var.scalar else values
        for S, name, variables, _ in run.plan.synapses:
            for v in variables:
                var = S.variables[v]
                if not var.constant:
                    values = native.synapse_variable(name, v)
                    var.get_value()[...] = values[:1] if var.scalar else values

    @staticmethod
    def _monitors_out(run):
        native = run.sim._native
        for M, name, kind in run.plan.monitors:
            d = native.recording(name)
            n = len(d["t"])
            if kind == "spikes":
                counts = M.variables["count"].get_value()
                counts += np.asarray(d["count"], dtype=counts.dtype)
                old = int(M.variables["N"].get_value().item())
                M.variables["N"].set_value(old + int(np.sum(d["count"])))
                if M.record and n:
                    M.resize(old + n)
                    M.variables["t"].get_value()[old:] = d["t"]
                    M.variables["i"].get_value()[old:] = d["i"]
                    for v, values in d["values"].items():
                        M.variables[v].get_value()[old:] = values
            elif kind == "state" and n:
                old = int(M.variables["N"].get_value().item())
                M.resize(old + n)
                M.variables["t"].get_value()[old:] = d["t"]
                width = len(d["record"])
                names = run.plan.renamed.get(name, {})
                for v, values in d["values"].items():
                    M.variables[names.get(v, v)].get_value()[old:, :] = np.reshape(
                        values, (n, width))
            elif kind == "rate" and n:
                old = int(M.variables["N"].get_value().item())
                M.resize(old + n)
                M.variables["N"].set_value(old + n)
                M.variables["t"].get_value()[old:] = d["t"]
                M.variables["rate"].get_value()[old:] = d["rate"]
            native.reset_monitor(name)

    # -- store and restore ---------------------------------------------------

    def network_store(self, net, name="default", filename=None):
        Network.store.original_function(net, name, filename)
        run = self._running.get(net.id)
        if run is not None and filename is None:
            run.sim.store(name)
            run.stored.add(name)
        elif run is None and filename is None:
            # Stored before the network's first run here: nothing in flight.
            self._stored_idle.add((net.id, name))

    def network_restore(self, net, name="default", filename=None, restore_random_state=False):
        Network.restore.original_function(net, name, filename, restore_random_state)
        run = self._running.get(net.id)
        if run is None:
            return
        if filename is None and name in run.stored:
            run.sim.restore(name)  # the clock and the spikes in flight
            return
        if filename is None and (net.id, name) in self._stored_idle:
            # A state from before any run (Maass et al. 2002 stores one and
            # restores it in each worker): no spike was in flight, so the
            # next run starts a new simulation (of the compiled model) there.
            del self._running[net.id]
            return
        if run.any_delay:
            raise Refused("the snnc device does not support restoring a state it did not "
                          "store itself (from a file, or stored before the network's "
                          "structure changed) while synaptic delays may hold spikes in "
                          "flight yet")
        clock = min(net._clocks, key=lambda c: float(c.dt_))
        run.sim.set_step(int(clock.variables["timestep"].get_value().item()))


def _seed():
    """A seed for snnc's random numbers that follows Brian2's seed() without
    drawing from numpy's generator (Brian2's own draws stay as they were)."""
    state = np.random.get_state()
    h = hashlib.sha256(np.asarray(state[1]).tobytes() + str(state[2]).encode()).digest()
    return int.from_bytes(h[:4], "little")


def _report_callback(report):
    import sys

    from brian2.core.network import TextReport

    if report in ("text", "stdout"):
        return TextReport(sys.stdout)
    if report == "stderr":
        return TextReport(sys.stderr)
    if isinstance(report, str):
        raise ValueError(f'Do not know how to handle report argument "{report}".')
    if callable(report):
        return report
    raise TypeError(f"Do not know how to handle report argument, it has to be one of "
                    f"'text', 'stdout', 'stderr', or a callable function/object, but it is "
                    f"of type {type(report)}")


del Quantity
