# Brian2 2.5.1's examples/frompapers/Hindmarsh_Rose_1984.py as written; the
# plots are replaced by saving the monitor, which
# samples every 10th step.
from brian2 import *
import b2ref
prefs.codegen.target = 'numpy'

# In the original model, time is measured in arbitrary time units
time_unit = 1*ms
defaultclock.dt = time_unit/10

x_1 = -1.6  # leftmost equilibrium point of the model without adaptation
a = 1; b = 3; c = 1; d = 5
r = 0.001; s = 4
eqs = '''
dx/dt = (y - a*x**3 + b*x**2 + I - z)/time_unit : 1
dy/dt = (c - d*x**2 - y)/time_unit : 1
dz/dt = r*(s*(x - x_1) - z)/time_unit : 1
I : 1 (constant)
'''

# We run the model with three different currents
neuron = NeuronGroup(3, eqs, method='rk4')

# Set all variables to their equilibrium point
neuron.x = x_1
neuron.y = 'c - d*x**2'
neuron.z = 'r*(s*(x - x_1))'

# Set the constant current input
neuron.I = [0.4, 2, 4]

# Record the "membrane potential"
mon = StateMonitor(neuron, 'x', record=True, dt=time_unit)  # every 10th step: small arrays

run(2100*time_unit)

b2ref.state('examples/Hindmarsh_Rose_1984', 'mon', mon, 'x')
