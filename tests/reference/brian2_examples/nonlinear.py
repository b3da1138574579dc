# Brian2 2.5.1's examples/synapses/nonlinear.py as written; the plots are
# replaced by saving the monitors.
from brian2 import *
import b2ref
prefs.codegen.target = 'numpy'

a = 1 / (10*ms)
b = 1 / (10*ms)
c = 1 / (10*ms)

neuron_input = NeuronGroup(2, 'dv/dt = 1/(10*ms) : 1', threshold='v>1', reset='v = 0',
                    method='euler')
neurons = NeuronGroup(1, """dv/dt = (g-v)/(10*ms) : 1
                            g : 1""", method='exact')
S = Synapses(neuron_input, neurons, '''
                dg_syn/dt = -a*g_syn+b*x*(1-g_syn) : 1 (clock-driven)
                g_post = g_syn : 1 (summed)
                dx/dt=-c*x : 1 (clock-driven)
                w : 1 # synaptic weight
             ''', on_pre='x += w') # NMDA synapses
S.connect()
S.w = [1., 10.]
neuron_input.v = [0., 0.5]
M = StateMonitor(S, 'g',
                 # If not using standalone mode, this could also simply be
                 # record=True
                 record=np.arange(len(neuron_input)*len(neurons)))
Mn = StateMonitor(neurons, 'g', record=0)

run(1000*ms)

# snnc's port records g as g_post, the same variable.
b2ref.save('examples/nonlinear', 'M', t=np.asarray(M.t / second, dtype=np.float64),
           g_post=np.asarray(M.g, dtype=np.float64).T)
b2ref.state('examples/nonlinear', 'Mn', Mn, 'g')
