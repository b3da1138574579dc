# Brian2 2.5.1's examples/advanced/COBAHH_approximated.py as written; the
# plots are replaced by saving what they plot.
from functools import reduce
import operator

import numpy as np

from brian2 import run, prefs, second
import b2ref
prefs.codegen.target = 'numpy'
from brian2 import mS, cmeter, ms, mV, uA, uF
from brian2 import Equations, NeuronGroup, StateMonitor, TimedArray, defaultclock


def construct_gating_variable_inf_equation(gating_variable):
    """Construct the voltage-dependent steady-state gating variable equation.

    Approximated by Boltzmann function.

    gating_variable -- gating variable, typically one of "m", "n" and "h"
    """

    return Equations('xinf = 1/(1+exp((v_half-v)/k)) : 1',
                     xinf=f'{gating_variable}_inf',
                     v_half=f'v_{gating_variable}_half',
                     k=f'k_{gating_variable}')


def construct_gating_variable_tau_equation(gating_variable):
    """Construct the voltage-dependent gating variable time constant equation.

    Approximated by Gaussian function.

    gating_variable -- gating variable, typically one of "m", "n" and "h"
    """

    return Equations('tau = c_base + c_amp*exp(-(v_max - v)**2/sigma**2) : second',
                     tau=f'tau_{gating_variable}',
                     c_base=f'c_{gating_variable}_base',
                     c_amp=f'c_{gating_variable}_amp',
                     v_max=f'v_{gating_variable}_max',
                     sigma=f'sigma_{gating_variable}')


def construct_gating_variable_ode(gating_variable):
    """Construct the ordinary differential equation of the gating variable.

    gating_variable -- gating variable, typically one of "m", "n" and "h"
    """

    return Equations('dx/dt = (xinf - x)/tau : 1',
                     x=gating_variable,
                     xinf=f'{gating_variable}_inf',
                     tau=f'tau_{gating_variable}')


def construct_neuron_ode():
    """Construct the ordinary differential equation of the membrane."""

    # conductances
    g_K_eq = Equations('g_K = g_K_bar*n**4 : siemens/meter**2')
    g_Na_eq = Equations('g_Na = g_Na_bar*m**3*h : siemens/meter**2')

    # currents
    I_K_eq = Equations('I_K = g_K*(v - e_K) : ampere/meter**2')
    I_Na_eq = Equations('I_Na = g_Na*(v - e_Na) : ampere/meter**2')
    I_L_eq = Equations('I_L = g_L*(v - e_L) : ampere/meter**2')

    # external drive
    I_ext_eq = Equations('I_ext = I_stim(t) : ampere/meter**2')

    # membrane
    membrane_eq = Equations('dv/dt = (I_ext - I_K - I_Na - I_L)/C_mem : volt')

    return [g_K_eq, g_Na_eq, I_K_eq, I_Na_eq, I_L_eq, I_ext_eq, membrane_eq]


def tau_inf_groups(parameters):
    """plot_tau's and plot_inf's groups (the plots replaced by saving what
    they plot)."""
    tau_group = NeuronGroup(100,
                            Equations('v : volt') +
                            reduce(operator.add, [construct_gating_variable_tau_equation(
                                gv) for gv in ['m', 'n', 'h']]),
                            method='euler', namespace=parameters)
    min_v = -100
    max_v = 100
    tau_group.v = np.linspace(min_v, max_v, len(tau_group))*mV
    b2ref.save('examples/COBAHH_approximated', 'taus', t=np.zeros(1),
               **{n: np.asarray(getattr(tau_group, n + '_'))[None, :]
                  for n in ['v', 'tau_m', 'tau_n', 'tau_h']})

    inf_group = NeuronGroup(100,
                            Equations('v : volt') +
                            reduce(operator.add, [construct_gating_variable_inf_equation(
                                gv) for gv in ['m', 'n', 'h']]),
                            method='euler', namespace=parameters)
    inf_group.v = np.linspace(-100, 100, len(inf_group))*mV
    b2ref.save('examples/COBAHH_approximated', 'infs', t=np.zeros(1),
               **{n: np.asarray(getattr(inf_group, n + '_'))[None, :]
                  for n in ['v', 'm_inf', 'n_inf', 'h_inf']})


def run_simulation(parameters):
    """Run the simulation.

    parameters -- dictionary with parameters
    """

    equations = []
    for gating_variable in ["m", "n", "h"]:
        equations.append(
            construct_gating_variable_inf_equation(gating_variable))
        equations.append(
            construct_gating_variable_tau_equation(gating_variable))
        equations.append(construct_gating_variable_ode(gating_variable))
    equations += construct_neuron_ode()

    eqs_HH = reduce(operator.add, equations)
    group = NeuronGroup(1, eqs_HH, method='euler', namespace=parameters)

    group.v = parameters["v_initial"]

    group.m = parameters["m_initial"]
    group.n = parameters["n_initial"]
    group.h = parameters["h_initial"]

    statemon = StateMonitor(group, ['v',
                                    'I_ext',
                                    'm', 'n', 'h',
                                    'g_K', 'g_Na',
                                    'I_K', 'I_Na', 'I_L',
                                    'tau_m', 'tau_n', 'tau_h'],
                            record=True)

    defaultclock.dt = parameters["defaultclock_dt"]
    run(parameters["duration"])

    return statemon


parameters = {

    # Boltzmann function parameters
    'v_n_half': 12*mV,
    'v_m_half': 25*mV,
    'v_h_half': 3*mV,

    'k_n': 15*mV,
    'k_m': 9*mV,
    'k_h': -7*mV,

    # Gaussian function parameters
    'v_n_max': -14*mV,
    'v_m_max': 27*mV,
    'v_h_max': -2*mV,

    'sigma_n': 50*mV,
    'sigma_m': 30*mV,
    'sigma_h': 20*mV,

    'c_n_amp': 4.7*ms,
    'c_m_amp': 0.46*ms,
    'c_h_amp': 7.4*ms,

    'c_n_base': 1.1*ms,
    'c_m_base': 0.04*ms,
    'c_h_base': 1.2*ms,

    # conductances
    'g_K_bar': 36*mS / (cmeter**2),
    'g_Na_bar': 120*mS / (cmeter**2),
    'g_L': 0.3*mS / (cmeter**2),

    # reversal potentials
    'e_K': -12*mV,
    'e_Na': 120*mV,
    'e_L': 10.6*mV,

    # membrane capacitance
    'C_mem': 1*uF / cmeter**2,

    # initial membrane voltage
    'v_initial': 0*mV,

    # initial gating variable activations
    'm_initial': 0.05,
    'n_initial': 0.32,
    'h_initial': 0.60,

    # external stimulus at 2 ms with 4 uA/cm^2 and at 10 ms with 15 uA/cm^2
    # for 0.5 ms each
    'I_stim': TimedArray(values=([0]*4+[4]+[0]*15+[15]+[0])*uA/(cmeter**2),
                         dt=0.5*ms),

    # simulation time step
    'defaultclock_dt': 0.01*ms,

    # simulation duration
    'duration': 20*ms
}

statemon = run_simulation(parameters)
b2ref.state('examples/COBAHH_approximated', 'statemon', statemon, 'v', 'I_ext', 'm', 'n', 'h',
            'g_K', 'g_Na', 'I_K', 'I_Na', 'I_L', 'tau_m', 'tau_n', 'tau_h')
tau_inf_groups(parameters)
