# Brian2 2.5.1's examples/advanced/exprel_function.py as written; the plot is
# replaced by saving what it plots (the group's values, as a one-sample state
# monitor at t = 0 would hold them). alpha_simple is not compared: near
# v = -50 mV it is rounding noise (the example's point), which depends on how
# the exponent is computed (Brian2's loop-invariant code multiplies by
# 1/(4*mV), snnc divides by 4*mV; the two differ in the last bit, and exp(x) - 1
# for x near 1e-12 turns that into 1e-4). alpha_improved is compared.
from brian2 import *
import b2ref
prefs.codegen.target = 'numpy'

# Dummy group to evaluate the rate equation at various points
eqs = '''v : volt
         # opening rate from the HH model
         alpha_simple = 0.32*(mV**-1)*(-50*mV-v)/
                        (exp((-50*mV-v)/(4*mV))-1.)/ms : Hz
         alpha_improved = 0.32*(mV**-1)*4*mV/exprel((-50*mV-v)/(4*mV))/ms : Hz'''
neuron = NeuronGroup(1000, eqs)

# Use voltage values around the problematic point
neuron.v = np.linspace(-50 - .5e-6, -50 + .5e-6, len(neuron))*mV

b2ref.save('examples/exprel_function', 'rates', t=np.zeros(1),
           v=np.asarray(neuron.v_, dtype=np.float64)[None, :],
           alpha_improved=np.asarray(neuron.alpha_improved_, dtype=np.float64)[None, :])
