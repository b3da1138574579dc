"""A Brian2 network as an snnc model: the objects Brian2 built (groups, synapses
with the connectivity Brian2 made, monitors, inputs), written in the model
language, with the data files the text loads, and what to copy between
Brian2's arrays and snnc's state.

Only the network's structure goes into the text; every state value (neuron
and synapse variables, delays that vary per synapse) is copied in from
Brian2's arrays before each run, so the text stays the same while the
structure does (and the compiled model is reused).

What snnc cannot run is refused here, by name, with NotImplementedError:
never a silently different simulation.
"""

import hashlib
import textwrap

import numpy as np

# snnc's functions: Brian2's DEFAULT_FUNCTIONS less `timestep`.
_FUNCTIONS = {
    "abs", "arccos", "arcsin", "arctan", "ceil", "clip", "cos", "cosh", "exp", "expm1",
    "exprel", "floor", "int", "log", "log10", "log1p", "poisson", "rand", "randn", "sign",
    "sin", "sinh", "sqrt", "tan", "tanh",
}
# Names snnc knows in code, which are not Brian2 state to copy.
_BUILTINS = {"t", "dt", "i", "j", "N", "N_pre", "N_post", "N_incoming", "N_outgoing",
             "lastupdate", "xi", "pi", "e", "inf", "True", "False", "lastspike", "not_refractory"}
# Brian2 variables that are bookkeeping, never copied.
_SKIP_VARIABLES = {"i", "j", "N", "t", "dt", "t_in_timesteps", "N_incoming", "N_outgoing",
                   "N_pre", "N_post"}
# The slots a state monitor may record in (docs/language.md, section 12).
_WHEN = {"start", "after_start", "before_groups", "groups", "after_groups", "before_thresholds",
         "thresholds", "after_thresholds", "before_synapses", "after_synapses", "before_resets",
         "resets", "after_resets", "before_end", "end", "after_end"}


class Refused(NotImplementedError):
    """A Brian2 feature the snnc device cannot run yet (named in the message)."""


def created_at(obj):
    """Where the script made `obj` ("script.py:12: G = NeuronGroup(...)"),
    from Brian2's record of its creation, or None."""
    import os
    import re

    found = re.findall(r"File '([^']*)', line (\d+), in [^\n]*\n\s*([^\n]*)",
                       getattr(obj, "_creation_stack", "") or "")
    if not found:
        return None
    file, line, code = found[-1]
    return f"{os.path.basename(file)}:{line}: {code.strip()}"


def refuse(obj, feature):
    name = getattr(obj, "name", None)
    where = []
    if name:
        where.append(f"in '{name}'")
    line = created_at(obj)
    if line:
        where.append(f"created at {line}")
    where = f" ({', '.join(where)})" if where else ""
    raise Refused(f"the snnc device does not support {feature} yet{where}; "
                  f"run this script with Brian2's own device")


def _num(x):
    if isinstance(x, (bool, np.bool_)):
        return "True" if x else "False"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    return repr(float(x))


def _unit(dim):
    """Brian2's dimension as an unscaled unit of the model language."""
    from brian2.units.fundamentalunits import DIMENSIONLESS, Quantity

    if dim is DIMENSIONLESS or dim == DIMENSIONLESS:
        return ""
    text = repr(Quantity(1.0, dim=dim))
    return text[len("1. * "):]


def _quantity(value, dim):
    unit = _unit(dim)
    return f"{_num(value)}*{unit}" if unit else _num(value)


def _code_lines(code):
    if not code:
        return []
    lines = []
    for line in textwrap.dedent(code).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def _identifiers(code):
    from brian2.utils.stringtools import get_identifiers

    return get_identifiers("\n".join(_code_lines(code))) if code else set()


def _delay_names(pw):
    """The delay block of a Brian2 pathway and the synaptic variable that
    holds its per-synapse delays in snnc (S.delay, S.delay_post, S.delay_NAME)."""
    if pw.objname == "pre":
        return "delay", "delay"
    if pw.objname == "post":
        return "delay_post", "delay_post"
    return f"delay {pw.objname}", f"delay_{pw.objname}"


def _is_run_regularly(obj):
    # Brian2's Group.run_regularly makes a plain CodeRunner (its own parts,
    # thresholders, state updaters and PoissonInput, are subclasses).
    return type(obj).__name__ == "CodeRunner" and obj.template == "stateupdate"


class Plan:
    """The model text, its data files, and the copy plan."""

    def __init__(self):
        self.lines = []        # the model text
        self.files = {}        # data file name -> array
        self.constants = {}    # name -> text of its value (global)
        self.timed = {}        # name -> line
        self.groups = []       # (Brian2 group, snnc name, [variables])
        self.synapses = []     # (Brian2 synapses, snnc name, [variables], [(pathway, delay variable)])
        self.monitors = []     # (Brian2 monitor, snnc name, kind)
        self.operations = []   # Brian2 NetworkOperation objects
        self.renamed = {}      # monitor -> {snnc variable: Brian2 variable}
        self.dt = None
        self.any_delay = False  # some pathway has a delay (spikes may be in flight)

    def text(self):
        head = [f"dt = {_num(self.dt)}*second"]
        head += [f"const {n} = {v}" for n, v in sorted(self.constants.items())]
        head += [self.timed[n] for n in sorted(self.timed)]
        return "\n".join(head + [""] + self.lines) + "\n"

    def key(self):
        h = hashlib.sha256(self.text().encode())
        for name in sorted(self.files):
            a = np.ascontiguousarray(self.files[name])
            h.update(name.encode())
            h.update(str(a.dtype).encode() + str(a.shape).encode())
            h.update(a.tobytes())
        return h.hexdigest()


class Translator:
    def __init__(self, net, run_namespace):
        self.net = net
        self.ns = run_namespace
        self.plan = Plan()

    # -- names and constants ------------------------------------------------

    def ref(self, group):
        """A (sub)group as the model language names it."""
        from brian2.groups.subgroup import Subgroup

        if isinstance(group, Subgroup):
            return f"{group.source.name}[{group.start}:{group.stop}]"
        return group.name

    def resolve(self, obj, codes, local):
        """Resolves the external names of `codes` (strings) for `obj`:
        constants become `const` lines, timed arrays `timed` lines; anything
        else snnc cannot say is refused."""
        from brian2.core.functions import DEFAULT_FUNCTIONS, Function
        from brian2.core.namespace import DEFAULT_UNITS
        from brian2.core.variables import Constant
        from brian2.input.timedarray import TimedArray

        import re

        names = set()
        for c in codes:
            names |= _identifiers(c)
            # Temporaries (`dw = ...` with no variable dw) are the code's own.
            for line in _code_lines(c):
                m = re.match(r"([A-Za-z_]\w*)\s*=(?!=)", line)
                if m and m.group(1) not in local:
                    names.discard(m.group(1))
                    local = local | {m.group(1)}
        names -= local
        names -= _BUILTINS
        if not names:
            return
        resolved = obj.resolve_all(sorted(names), self.ns)
        for name, thing in resolved.items():
            if isinstance(thing, TimedArray):
                self.timed_array(obj, name, thing)
            elif isinstance(thing, Function):
                if name not in _FUNCTIONS or DEFAULT_FUNCTIONS.get(name) is not thing:
                    refuse(obj, f"the function '{name}'")
            elif isinstance(thing, Constant):
                unit = DEFAULT_UNITS.get(name)
                if (unit is not None and float(unit) == float(thing.value)
                        and unit.dim == thing.dim):
                    continue  # a unit: snnc knows every Brian2 unit name
                value = thing.value
                if np.ndim(value) != 0:
                    refuse(obj, f"the array constant '{name}'")
                if not np.isfinite(value):
                    refuse(obj, f"the non-finite constant '{name}'")
                text = _quantity(value, thing.dim)
                old = self.plan.constants.get(name)
                if old is not None and old != text:
                    refuse(obj, f"two values for the external constant '{name}' "
                                f"in different objects")
                self.plan.constants[name] = text
            elif name in ("pi", "e", "inf"):
                continue
            elif getattr(thing, "owner", None) is not None and thing.owner is not obj:
                refuse(obj, f"the variable '{name}' of another object "
                            f"'{thing.owner.name}' (linked or referred variables)")
            else:
                refuse(obj, f"the name '{name}' ({type(thing).__name__})")

    def timed_array(self, obj, name, ta):
        vals = np.asarray(ta.values, dtype=float)
        if vals.ndim not in (1, 2):
            refuse(obj, f"the timed array '{name}' of {vals.ndim} dimensions")
        file = f"timed_{name}.npy"
        self.plan.files[file] = vals
        unit = _unit(ta.dim)
        line = f'timed {name} = load("{file}", dt = {_num(float(ta.dt))}*second)'
        if unit:
            line += f"*{unit}"
        old = self.plan.timed.get(name)
        if old is not None and old != line:
            refuse(obj, f"two timed arrays named '{name}'")
        self.plan.timed[name] = line

    # -- equations ----------------------------------------------------------

    def equations(self, obj, eqs, skip=()):
        """Equation lines of Brian2's Equations, in the model language."""
        from brian2.equations.equations import (DIFFERENTIAL_EQUATION, PARAMETER,
                                                SUBEXPRESSION)

        out = []
        for eq in eqs.values():
            if eq.varname in skip:
                continue
            if eq.var_type == "boolean":
                unit = "boolean"
            elif eq.var_type == "integer":
                unit = "integer"
            else:
                unit = _unit(eq.dim) or "1"
            flags = list(eq.flags)
            tail = f" : {unit}" + (f" ({', '.join(flags)})" if flags else "")
            if eq.type == DIFFERENTIAL_EQUATION:
                out.append(f"d{eq.varname}/dt = {eq.expr.code}{tail}")
            elif eq.type == SUBEXPRESSION:
                out.append(f"{eq.varname} = {eq.expr.code}{tail}")
            elif eq.type == PARAMETER:
                out.append(f"{eq.varname}{tail}")
        return out

    # -- objects ------------------------------------------------------------

    def run(self):
        from brian2.core.operations import NetworkOperation
        from brian2.groups.neurongroup import NeuronGroup
        from brian2.groups.subgroup import Subgroup
        from brian2.input.poissongroup import PoissonGroup
        from brian2.input.poissoninput import PoissonInput
        from brian2.input.spikegeneratorgroup import SpikeGeneratorGroup
        from brian2.monitors.ratemonitor import PopulationRateMonitor
        from brian2.monitors.spikemonitor import EventMonitor
        from brian2.monitors.statemonitor import StateMonitor
        from brian2.synapses.synapses import Synapses

        objects = self.net.sorted_objects
        self.aliases = {}
        for M in objects:
            if isinstance(M, StateMonitor) and isinstance(M.source, Synapses):
                for v in M.record_variables:
                    owner = getattr(M.source.variables[v], "owner", None)
                    if owner is not None and owner.name != M.source.name:
                        taken = set(M.source.variables.keys())
                        alias = f"{v}_recorded"
                        while alias in taken:
                            alias += "_"
                        self.aliases.setdefault(M.source.name, {})[v] = alias
        dts = set()
        for obj in objects:
            if not obj.active:
                refuse(obj, "inactive objects (active = False)")
        # One clock for the simulation; monitors and operations may sample
        # more slowly (their dt a multiple of the network's).
        for obj in objects:
            if not isinstance(obj, (StateMonitor, NetworkOperation, Subgroup)) and not (
                    _is_run_regularly(obj)):
                dts.add(float(obj.clock.dt_))
        if not dts:
            dts = {float(obj.clock.dt_) for obj in objects}
        if len(dts) > 1:
            refuse(self.net, "several clocks (objects with different dt)")
        self.plan.dt = dts.pop()

        known = {"StateUpdater", "Thresholder", "Resetter", "SynapticPathway",
                 "SummedVariableUpdater", "SubexpressionUpdater"}
        # Synapses onto synapses are declared after their target (snnc makes
        # them in that order, as a Brian2 script connects them).
        slots = [k for k, o in enumerate(objects) if isinstance(o, Synapses)]
        syns = [objects[k] for k in slots]
        syns = ([o for o in syns if not isinstance(o.target, Synapses)] +
                [o for o in syns if isinstance(o.target, Synapses)])
        objects = list(objects)
        for k, o in zip(slots, syns):
            objects[k] = o
        for obj in objects:
            if isinstance(obj, Subgroup):
                continue
            if type(obj).__name__ == "SpatialNeuron":
                refuse(obj, "SpatialNeuron (multicompartment models)")
            if isinstance(obj, PoissonGroup):
                self.poisson(obj)
            elif isinstance(obj, SpikeGeneratorGroup):
                self.spike_generator(obj)
            elif isinstance(obj, NeuronGroup):
                self.neurons(obj)
            elif isinstance(obj, Synapses):
                self.synapses(obj)
            elif isinstance(obj, EventMonitor):  # a SpikeMonitor too
                self.spike_monitor(obj)
            elif isinstance(obj, StateMonitor):
                self.state_monitor(obj)
            elif isinstance(obj, PopulationRateMonitor):
                self.rate_monitor(obj)
            elif isinstance(obj, NetworkOperation):
                self.operation(obj)
            elif isinstance(obj, PoissonInput):
                self.poisson_input(obj)
            elif type(obj).__name__ == "SpatialStateUpdater":
                refuse(obj, "SpatialNeuron (multicompartment models)")
            elif type(obj).__name__ in known:
                continue  # a part of the objects above
            elif _is_run_regularly(obj):
                self.run_regularly(obj)
            else:
                refuse(obj, f"{type(obj).__name__} objects")
        self.check_start_slot(objects)
        return self.plan

    def run_regularly(self, R):
        # Brian2's run_regularly is snnc's `every` event: at the start of the
        # steps at multiples of its dt, before the objects update, its
        # statements for every neuron (or synapse) of its group.
        from brian2.groups.subgroup import Subgroup
        from brian2.synapses.synapses import Synapses

        import re

        if R.when != "start":
            refuse(R, f"run_regularly in the slot '{R.when}' (only when='start')")
        group = R.group
        if isinstance(group, Subgroup) and isinstance(group.source, Synapses):
            refuse(R, "run_regularly on part of a synapses object")
        period = float(R.clock.dt_)
        steps = period / self.plan.dt
        if abs(steps - round(steps)) > 1e-9 * max(1.0, steps) or round(steps) < 1:
            refuse(R, "a run_regularly operation whose dt is not a multiple of the network's")
        code = R.abstract_code
        variables = set(group.variables.keys())
        statements = []
        for line in _code_lines(code):
            m = re.match(r"([A-Za-z_]\w*)\s*(\+=|-=|\*=|/=|=)(?!=)\s*(.*)$", line)
            if not m:
                refuse(R, f"the run_regularly statement '{line}'")
            if m.group(1) not in variables:
                refuse(R, f"a temporary ('{m.group(1)}') in run_regularly code")
            statements.append((m.group(1), m.group(2), m.group(3)))
        self.resolve(group, [code], variables)
        if not statements:
            return
        self.plan.lines.append(f"every {_num(period)}*second:  # {R.name}")
        ref = self.ref(group)
        self.plan.lines += [f"    {ref}.{v} {op} {e}" for v, op, e in statements]
        self.plan.lines.append("")

    def check_start_slot(self, objects):
        # snnc's start of a step: every events, then network_operation
        # callbacks, then state monitors recording at 'start'. Brian2 orders
        # the start slot by order, then name (`objects` is in its order):
        # refused where a run_regularly operation comes after one of the
        # others (for the callbacks and the monitors, docs/brian2.md says
        # what differs).
        from brian2.core.operations import NetworkOperation
        from brian2.monitors.statemonitor import StateMonitor

        first = None  # the first network_operation or state monitor of the slot
        for obj in objects:
            if obj.when != "start":
                continue
            if isinstance(obj, (NetworkOperation, StateMonitor)):
                first = first or obj
            elif first is not None and _is_run_regularly(obj):
                refuse(obj, f"this order of the start slot (Brian2 runs '{first.name}' "
                            f"before '{obj.name}'; snnc runs run_regularly operations "
                            f"first, then network_operations, then state monitors: give "
                            f"the run_regularly operation order=-1)")

    def links(self, G):
        """The `link:` block of a group's linked variables (Brian2's
        linked_var): neuron by neuron, from a group of one neuron, or with
        an index array (`I = inp.x[load("G_I_index.npy")]`)."""
        from brian2.core.variables import Subexpression
        from brian2.groups.subgroup import Subgroup

        body = []
        for name in sorted(G._linked_variables):
            if name not in G.variables:
                continue  # Brian2 itself refuses an unset link at run()
            var = G.variables[name]
            index = G.variables.indices[name]
            source = var.owner
            if isinstance(var, Subexpression):
                refuse(G, f"a linked variable of a subexpression ('{name}')")
            by_index = ""
            if index == f"_{name}_indices" and not isinstance(source, Subgroup):
                file = f"{G.name}_{name}_index.npy"
                self.plan.files[file] = np.asarray(G.variables[index].get_value(), dtype=float)
                by_index = f'[load("{file}")]'
            elif isinstance(source, Subgroup) or index not in ("_idx", "0"):
                refuse(G, f"a linked variable with an index into an indexed variable or a "
                          f"subgroup ('{name}')")
            if index == "0" and len(source) != 1:
                refuse(G, f"a linked variable of a shared variable ('{name}')")
            if getattr(source, "_linked_variables", None) and var.name in source._linked_variables:
                refuse(G, f"a link to a linked variable ('{name}')")
            kind = source.__class__.__name__  # (source is a weak proxy)
            if kind != "NeuronGroup":
                refuse(G, f"a linked variable of a {kind} ('{name}')")
            if source.name not in {o.name for o in self.net.sorted_objects}:
                refuse(G, f"a linked variable of a group outside the network ('{name}' of "
                          f"'{source.name}')")
            kinds = {"float": "f", "integer": "iu", "boolean": "b"}
            if np.dtype(var.dtype).kind not in kinds[G.equations[name].var_type]:
                refuse(G, f"a linked variable of another value type ('{name}' is "
                          f"{G.equations[name].var_type}, '{source.name}.{var.name}' "
                          f"{np.dtype(var.dtype)})")
            body.append(f"        {name} = {source.name}.{var.name}{by_index}")
        return ["    link:"] + body if body else []

    def events(self, G):
        """The `events:` and `on_event` blocks of a group's custom events, and
        the code they read."""
        names = sorted(set(G.events) - {"spike"})
        if not names:
            return [], []
        body, codes = ["    events:"], []
        for name in names:
            th = G.thresholder[name]
            if th.when != "after_thresholds" or th.order != G.order:
                refuse(G, f"the event '{name}' checked in the slot '{th.when}' (order "
                          f"{th.order}; snnc checks custom events in 'after_thresholds')")
            condition = " ".join(G.events[name].split())
            body.append(f"        {name}: {condition}")
            codes.append(condition)
        for name in names:
            code = G.event_codes.get(name)
            lines = _code_lines(code)
            if not lines:
                continue
            rs = G.resetter[name]
            if rs.when != "after_resets" or rs.order != G.order:
                refuse(G, f"run_on_event('{name}') in the slot '{rs.when}' (order {rs.order}; "
                          f"snnc runs it in 'after_resets')")
            body.append(f"    on_event {name}:")
            body += [f"        {x}" for x in lines]
            codes.append(code)
        return body, codes

    def copied(self, obj, skip=()):
        from brian2.core.variables import ArrayVariable

        out = []
        for name, var in obj.variables.items():
            if (isinstance(var, ArrayVariable) and var.owner is not None
                    and var.owner.name == obj.name and not name.startswith("_")
                    and name not in _SKIP_VARIABLES and name not in skip):
                out.append(name)
        return sorted(out)

    def neurons(self, G):
        threshold = G.events.get("spike")
        reset = G.event_codes.get("spike")
        refractory = G._refractory
        method = getattr(G.state_updater, "method_choice", None)
        eqs = self.equations(G, G.user_equations)
        codes = [eq.expr.code for eq in G.user_equations.values() if eq.expr is not None]
        codes += [threshold or "", reset or ""]
        if isinstance(refractory, str):
            codes.append(refractory)
        if "spike" in G.resetter and (G.resetter["spike"].when != "resets"
                                      or G.resetter["spike"].order != G.order):
            refuse(G, f"a reset in the slot '{G.resetter['spike'].when}'")
        events, event_codes = self.events(G)
        codes += event_codes
        local = set(G.variables.keys())
        self.resolve(G, codes, local)
        body = (["    equations:"] + [f"        {e}" for e in eqs]) if eqs else []
        if threshold:
            body.append(f"    threshold: {threshold.strip()}")
        lines = _code_lines(reset)
        if lines:
            body.append("    reset:")
            body += [f"        {s}" for s in lines]
        if refractory is not False and refractory is not None:
            if isinstance(refractory, str):
                body.append(f"    refractory: {refractory.strip()}")
            else:
                if np.ndim(refractory) != 0:
                    refuse(G, "a refractory period given as an array")
                body.append(f"    refractory: {_num(float(refractory))}*second")
        body += self.links(G) + events
        if isinstance(method, str):
            body.append(f"    method: {method}")
        elif method is not None and not isinstance(method, (tuple, list)):
            refuse(G, f"the integration method {method!r}")
        elif isinstance(method, (tuple, list)) and tuple(method) != ("exact", "euler", "heun"):
            refuse(G, f"a list of integration methods {tuple(method)!r}")
        self.plan.lines += [f"neurons {G.name}({G.N}):"] + body + [""]
        self.plan.groups.append((G, G.name, self.copied(G)))

    def poisson(self, G):
        # Brian2's PoissonGroup is a group with `rand() < rates*dt` as its
        # threshold: written so, its rates are a subexpression or a parameter.
        from brian2.core.variables import Subexpression

        rates = G.variables["rates"]
        if isinstance(rates, Subexpression):
            self.resolve(G, [rates.expr], set(G.variables.keys()))
            eq = f"rates = {rates.expr} : Hz"
        else:
            eq = "rates : Hz"
        self.plan.lines += [f"neurons {G.name}({G.N}):", "    equations:",
                            f"        {eq}", "    threshold: rand() < rates*dt", ""]
        self.plan.groups.append((G, G.name, self.copied(G)))

    def poisson_input(self, P):
        # Brian2's PoissonInput: `var += binomial(N, rate*dt)*(weight)` on its
        # target every step, in the synapses slot; snnc says it as it is.
        from brian2.synapses.synapses import Synapses
        from brian2.units.fundamentalunits import get_dimensions

        if P.when != "synapses" or P.order != 0:
            refuse(P, f"a PoissonInput in the slot '{P.when}' with order {P.order} "
                      f"(only when='synapses', order=0)")
        target = P._group
        if isinstance(target, Synapses) or isinstance(getattr(target, "source", None), Synapses):
            refuse(P, "a PoissonInput onto synapses")
        n = P.N
        if float(n) != int(n):
            refuse(P, f"a PoissonInput with N = {n!r} (not a whole number)")
        weight = P.weight
        if isinstance(weight, str):
            self.resolve(target, [weight], set(target.variables.keys()))
            w = f"({weight.strip()})"
        else:
            if np.ndim(weight) != 0:
                refuse(P, "a PoissonInput whose weight is an array")
            w = _quantity(float(weight), get_dimensions(weight))
        rate = _quantity(float(P.rate), get_dimensions(P.rate))
        self.plan.lines += [f"poisson_input {P.name} = {self.ref(target)}.{P.target_var} "
                            f"(N = {int(n)}, rate = {rate}, weight = {w})", ""]

    def spike_generator(self, G):
        idx = np.asarray(G.variables["neuron_index"].get_value(), dtype=float)
        times = np.asarray(G.variables["spike_time"].get_value(), dtype=float)
        period = float(G.variables["period"].get_value().item())
        file = f"spikes_{G.name}.npy"
        self.plan.files[file] = np.stack([idx, times], axis=1) if idx.size else np.zeros((0, 2))
        extra = f", period = {_num(period)}*second" if period > 0 else ""
        self.plan.lines += [f'spikes {G.name}({G.N}, load("{file}"){extra})', ""]

    def synapses(self, S):
        pathways = []  # Brian2's pathways in their order of creation
        for pw in S._pathways:
            if pw.objname in ("pre", "post") and pw.prepost != pw.objname:
                refuse(S, f"an on_{pw.prepost} pathway named '{pw.objname}'")
            pathways.append(pw)
        from brian2.synapses.synapses import Synapses

        if isinstance(S.source, Synapses):
            refuse(S, "synapses whose source is a synapses object")
        if isinstance(S.target, Synapses) and isinstance(S.target.target, Synapses):
            refuse(S, "a chain of synapses onto synapses onto synapses")
        model = self.synapse_model(S)
        eqs = self.equations(S, model)
        codes = [eq.expr.code for eq in model.values() if eq.expr is not None]
        codes += [pw.code for pw in pathways]
        self.resolve(S, codes, set(S.variables.keys()))
        body = []
        if eqs:
            body += ["    model:"] + [f"        {e}" for e in eqs]
        written = []  # the pathways with statements: snnc has no empty ones
        for pw in pathways:
            lines = _code_lines(pw.code)
            if lines:
                named = "" if pw.objname == pw.prepost else f" {pw.objname}"
                if pw.event != "spike":
                    named += f" on {pw.event}"
                body.append(f"    on_{pw.prepost}{named}:")
                body += [f"        {s}" for s in lines]
                written.append(pw)
        # The connectivity Brian2 made, in its order.
        i = np.asarray(S.i[:], dtype=np.int64)
        j = np.asarray(S.j[:], dtype=np.int64)
        if i.size:
            file = f"pairs_{S.name}.npy"
            self.plan.files[file] = np.stack([i, j], axis=1)
            body.append(f'    connect: load("{file}")')
        delays = []
        for pw in written:
            block, var = _delay_names(pw)
            d = np.asarray(pw.variables["delay"].get_value(), dtype=float)
            if d.size and np.all(d == d.flat[0]):  # one delay for all
                if d.flat[0] != 0.0:
                    body.append(f"    {block}: {_num(d.flat[0])}*second")
                    self.plan.any_delay = True
            elif i.size:
                # One delay per synapse: its values are copied in each run.
                file = f"{var}_{S.name}.npy"
                self.plan.files[file] = np.zeros(i.size)
                body.append(f'    {block}: load("{file}")*second')
                delays.append((pw, var))
                self.plan.any_delay = True
        updater = getattr(S, "state_updater", None)
        method = getattr(updater, "method_choice", None) if updater is not None else None
        if isinstance(method, str):
            body.append(f"    method: {method}")
        header = f"synapses {S.name}({self.ref(S.source)} -> {self.ref(S.target)}):"
        # Pre- and postsynaptic variables a state monitor records, as
        # subexpressions of the synapses (Brian2's StateMonitor(S, 'v_post')).
        aliases = self.aliases.get(S.name, {})
        if aliases:
            if not eqs:
                body.insert(0, "    model:")
                at = 1
            else:
                at = 1 + len(eqs)
            extra = []
            for var, alias in sorted(aliases.items()):
                v = S.variables[var]
                kind = np.dtype(v.dtype).kind
                unit = "boolean" if kind == "b" else "integer" if kind in "iu" else (
                    _unit(v.dim) or "1")
                extra.append(f"        {alias} = {var} : {unit}")
            body[at:at] = extra
        self.plan.lines += [header] + (body or ["    model:"]) + [""]
        skip = {"delay", "_synaptic_pre", "_synaptic_post"}
        skip |= set(S.summed_updaters)
        self.plan.synapses.append((S, S.name, self.copied(S, skip), delays))

    def synapse_model(self, S):
        """The synapses' equations as the user wrote them (Brian2 keeps them
        split: continuous, event-driven, summed)."""
        from brian2.equations.equations import (DIFFERENTIAL_EQUATION, SUBEXPRESSION,
                                                Equations, SingleEquation)

        if getattr(S, "subexpression_updater", None) is not None:
            refuse(S, "'constant over dt' subexpressions of synapses")
        eqs = list(S.equations.values())
        if S.event_driven is not None:
            eqs += [e for e in S.event_driven.values() if e.type == DIFFERENTIAL_EQUATION]
        for name, u in S.summed_updaters.items():
            eqs.append(SingleEquation(SUBEXPRESSION, name, u.target_var.dim,
                                      var_type="float" if np.dtype(u.target_var.dtype).kind == "f"
                                      else "integer", expr=u.expression, flags=["summed"]))
        return Equations(eqs)

    def spike_monitor(self, M):
        """A SpikeMonitor, or an EventMonitor of a custom event."""
        extra = sorted(set(M.record_variables) - {"i", "t"})
        opts = []
        if not M.record:
            opts.append("counts only")
        if extra:
            opts.append(f"variables = [{', '.join(extra)}]")
        slot = "thresholds" if M.event == "spike" else "after_thresholds"
        if M.when != slot:
            refuse(M, f"a monitor of the event '{M.event}' in the slot '{M.when}'")
        if M.event != "spike":
            # Brian2 runs it after the event's condition only if it sorts after
            # it ((order, name)); else it reads the last step's events.
            group = getattr(M.source, "source", M.source)
            th = group.thresholder[M.event]
            if (M.order, M.name) < (th.order, th.name):
                refuse(M, f"a monitor of the event '{M.event}' that Brian2 runs before the "
                          f"event's condition (order {M.order}; give it order={th.order + 1})")
        self.check_clock(M)
        tail = f" ({', '.join(opts)})" if opts else ""
        if M.event == "spike":
            line = f"monitor spikes {M.name} = {self.ref(M.source)}{tail}"
        else:
            line = f"monitor events {M.name} = {self.ref(M.source)}.{M.event}{tail}"
        self.plan.lines += [line, ""]
        self.plan.monitors.append((M, M.name, "spikes"))

    def state_monitor(self, M):
        src = self.ref(M.source)
        aliases = self.aliases.get(M.source.name, {})
        names = {aliases.get(v, v): v for v in M.record_variables}
        variables = ", ".join(f"{src}.{v}" for v in names)
        opts = ["record = all"] if M.record_all else [
            f"record = [{', '.join(str(int(k)) for k in M.record)}]"]
        mdt = float(M.clock.dt_)
        if mdt != self.plan.dt:
            steps = mdt / self.plan.dt
            if abs(steps - round(steps)) > 1e-9 or round(steps) < 1:
                refuse(M, "a state monitor whose dt is not a multiple of the network's")
            opts.append(f"dt = {_num(mdt)}*second")
        if M.when not in _WHEN:
            refuse(M, f"a state monitor in the slot '{M.when}'")
        from brian2.synapses.synapses import Synapses

        if M.when == "groups" and isinstance(M.source, Synapses):
            refuse(M, "a state monitor of synapses in the slot 'groups'")
        if M.when != "start":
            opts.append(f"when = {M.when}")
        if M.when == "after_resets":
            # snnc records after every run_on_event; Brian2 by (order, name).
            for obj in self.net.sorted_objects:
                if (type(obj).__name__ == "Resetter" and obj.event != "spike"
                        and obj.when == "after_resets" and (M.order, M.name) < (obj.order, obj.name)):
                    refuse(M, f"a state monitor in 'after_resets' that Brian2 runs before "
                              f"'{obj.name}' (give it order={obj.order + 1})")
        if not M.record_all and len(M.record) == 0:
            refuse(M, "a state monitor that records no index")
        self.plan.lines += [f"monitor state {M.name} = {variables} ({', '.join(opts)})", ""]
        self.plan.monitors.append((M, M.name, "state"))
        self.plan.renamed[M.name] = names

    def rate_monitor(self, M):
        self.check_clock(M)
        self.plan.lines += [
            f"monitor rate {M.name} = {self.ref(M.source)} (bin = {_num(self.plan.dt)}*second)", ""]
        self.plan.monitors.append((M, M.name, "rate"))

    def operation(self, op):
        if op.when != "start":
            refuse(op, f"a network_operation in the slot '{op.when}'")
        odt = float(op.clock.dt_)
        steps = odt / self.plan.dt
        if abs(steps - round(steps)) > 1e-9 or round(steps) < 1:
            refuse(op, "a network_operation whose dt is not a multiple of the network's")
        self.plan.operations.append(op)

    def check_clock(self, obj):
        if float(obj.clock.dt_) != self.plan.dt:
            refuse(obj, "several clocks (objects with different dt)")


def translate(net, run_namespace):
    return Translator(net, run_namespace).run()


def _values_statement(plan, obj, var, values, file):
    """`obj.var = value` (one value for all) or `= load(file)*unit`."""
    v = obj.variables[var]
    values = np.asarray(values)
    kind = values.dtype.kind
    unit = "" if kind in "biu" else _unit(v.dim)
    if values.size and np.all(values == values.flat[0]):
        x = values.flat[0]
        text = _num(bool(x)) if kind == "b" else _quantity(x, v.dim) if unit else _num(x)
        return f"{obj.name}.{var} = {text}"
    plan.files[file] = values.astype(float)
    return f'{obj.name}.{var} = load("{file}")' + (f"*{unit}" if unit else "")


def export(net, run_namespace, path, duration=None):
    """Writes the network as a model file at `path` (with its data files
    beside it): the structure as the device runs it, the current values of
    every variable as statements before the first run, and `run duration`
    (seconds) if given. Returns the list of files written."""
    import os

    plan = translate(net, run_namespace)
    lines = ["", "# The state Brian2 built (initial values, weights, delays)."]
    for G, name, variables in plan.groups:
        for var in variables:
            if var in ("lastspike", "not_refractory"):
                continue  # built-ins: a fresh run starts them as Brian2 does
            lines.append(_values_statement(plan, G, var, G.variables[var].get_value(),
                                           f"values_{name}_{var}.npy"))
    for S, name, variables, delays in plan.synapses:
        for var in variables:
            lines.append(_values_statement(plan, S, var, S.variables[var].get_value(),
                                           f"values_{name}_{var}.npy"))
        for pw, var in delays:
            plan.files[f"{var}_{name}.npy"] = np.asarray(pw.variables["delay"].get_value(),
                                                         dtype=float)
    if duration is not None:
        lines.append(f"run {_num(float(duration))}*second")
    text = plan.text() + "\n".join(lines) + "\n"
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    written = [path]
    for name, values in plan.files.items():
        np.save(os.path.join(folder, name), values)
        written.append(os.path.join(folder, name))
    with open(path, "w") as f:
        f.write(text)
    return written
