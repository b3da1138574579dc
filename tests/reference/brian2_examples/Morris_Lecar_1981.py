# Brian2 2.5.1's examples/frompapers/Morris_Lecar_1981.py as written, on the
# numpy target rather than cpp_standalone (the same numerics); the plots are
# replaced by saving the monitor, which records
# what the figure plots (four neurons) every 10th step.
from brian2 import *
import b2ref
prefs.codegen.target = 'numpy'
defaultclock.dt = 0.01*ms

g_L = 2*mS
g_Ca = 4*mS
g_K = 8*mS
V_L = -50*mV
V_Ca = 100*mV
V_K = -70*mV
lambda_n__max = 1.0/(15*ms)
V_1 = 10*mV
V_2 = 15*mV  # Note that Figure caption says -15 which seems to be a typo
V_3 = -1*mV
V_4 = 14.5*mV
C = 20*uF


# V,N-reduced system (Eq. 9 in article), note that the variables M and N (and lambda_N, etc.)
# have been renamed to m and n to better match the Hodgkin-Huxley convention, and because N has
# a reserved meaning in Brian (number of neurons)
eqs = '''
dV/dt = (-g_L*(V - V_L) - g_Ca*m_inf*(V - V_Ca) - g_K*n*(V - V_K) + I)/C : volt
dn/dt = lambda_n*(n_inf - n) : 1
m_inf = 0.5*(1 + tanh((V - V_1)/V_2)) : 1
n_inf = 0.5*(1 + tanh((V - V_3)/V_4)) : 1
lambda_n = lambda_n__max*cosh((V - V_3)/(2*V_4)) : Hz
I : amp
'''

neuron = NeuronGroup(17, eqs, method='exponential_euler')
neuron.I = (np.arange(17)*25+100)*uA
neuron.V = V_L
neuron.n = 'n_inf'
# The four traces the figure plots, every 10th step (small reference arrays).
mon = StateMonitor(neuron, ['V', 'n'], record=[0, 4, 12, 15], dt=0.1*ms)

run_time = 220*ms
run(run_time)

b2ref.state('examples/Morris_Lecar_1981', 'mon', mon, 'V', 'n')
