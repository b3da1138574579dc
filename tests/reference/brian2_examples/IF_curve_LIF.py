# Brian2 2.5.1's examples/IF_curve_LIF.py as written; the plot is replaced by
# saving the monitor.
from brian2 import *
import b2ref
prefs.codegen.target = 'numpy'

n = 1000
duration = 1*second
tau = 10*ms
eqs = '''
dv/dt = (v0 - v) / tau : volt (unless refractory)
v0 : volt
'''
group = NeuronGroup(n, eqs, threshold='v > 10*mV', reset='v = 0*mV',
                    refractory=5*ms, method='exact')
group.v = 0*mV
group.v0 = '20*mV * i / (n-1)'

monitor = SpikeMonitor(group)

run(duration)

b2ref.spikes('examples/IF_curve_LIF', 'monitor', monitor)
