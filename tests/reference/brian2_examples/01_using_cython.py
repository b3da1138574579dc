# Brian2 2.5.1's examples/multiprocessing/01_using_cython.py as written, on the
# numpy target; the plot is replaced by saving the ten processes' results as
# one monitor's arrays (samples x simulations).
import os
import multiprocessing

from brian2 import *
import b2ref
prefs.codegen.target = 'numpy'


def run_sim(tau):
    pid = os.getpid()
    print(f'RUNNING {pid}')
    G = NeuronGroup(1, 'dv/dt = -v/tau : 1', method='exact')
    G.v = 1
    mon = StateMonitor(G, 'v', record=0)
    run(100*ms)
    print(f'FINISHED {pid}')
    return mon.t/ms, mon.v[0]


if __name__ == "__main__":
    num_proc = 4

    tau_values = np.arange(10)*ms + 5*ms
    with multiprocessing.Pool(num_proc) as p:
        results = p.map(run_sim, tau_values)

    b2ref.save('examples/01_using_cython', 'mon', t=np.asarray(results[0][0]) * 1e-3,
               v=np.stack([np.asarray(v) for _, v in results], axis=1))
