"""Saving Brian2 2.5.1 monitors as the arrays snnc writes, for the
differential tests: <out>/<case>/<monitor>_<field>.npy, states as
(samples, neurons) as snnc's state monitors write them."""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'brian2')


def save(case, name, **fields):
    d = os.path.join(OUT, case)
    os.makedirs(d, exist_ok=True)
    for field, arr in fields.items():
        np.save(os.path.join(d, f'{name}_{field}.npy'), np.asarray(arr))


def spikes(case, name, mon, *variables):
    from brian2 import second
    fields = {v: np.asarray(getattr(mon, v + '_'), dtype=np.float64) for v in variables}
    save(case, name, t=np.asarray(mon.t / second, dtype=np.float64),
         i=np.asarray(mon.i, dtype=np.int32), **fields)


def state(case, name, mon, *variables):
    from brian2 import second
    fields = {'t': np.asarray(mon.t / second, dtype=np.float64)}
    for v in variables:
        # Brian2 stores (neurons, samples); snnc writes (samples, neurons).
        fields[v] = np.asarray(getattr(mon, v + '_'), dtype=np.float64).T
    save(case, name, **fields)
