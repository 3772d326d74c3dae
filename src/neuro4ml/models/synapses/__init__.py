r"""Synapses: the time course of a synaptic current or conductance, and short-term plasticity.

When a presynaptic spike arrives, a synapse does not change the postsynaptic neuron
for an instant only: transmitter is released, receptors open and close, and the
synaptic current (or conductance) follows a time course lasting a few milliseconds.
This module holds four standard models of that time course, all linear:

* :class:`Instantaneous`: a spike of weight :math:`w` makes the membrane potential
  jump, :math:`V \leftarrow V + w` (its time course is a delta function);
* :class:`Exponential`: :math:`\tau \dot s = -s`, and :math:`s \leftarrow s + w` at a
  spike; one spike gives :math:`w\, e^{-t/\tau}`;
* :class:`Alpha`: :math:`\tau \dot x = -x`, :math:`\tau \dot s = x - s`, and
  :math:`x \leftarrow x + w`; one spike gives :math:`w\, \frac{t}{\tau} e^{-t/\tau}`;
* :class:`Biexponential`: :math:`\tau_r \dot x = -x`, :math:`\tau_d \dot s = x - s`,
  and :math:`x \leftarrow x + w`; one spike gives
  :math:`w\, \frac{\tau_r}{\tau_d - \tau_r}\left(e^{-t/\tau_d} - e^{-t/\tau_r}\right)`,
  a difference of exponentials rising with :math:`\tau_r` and decaying with :math:`\tau_d`.

Here :math:`s` is the synaptic variable seen by the neuron: a current :math:`I_\text{syn}
= s` for a *current-based* synapse, or a conductance :math:`g = s` for a
*conductance-based* synapse, whose current :math:`I_\text{syn} = g\,(E_\text{rev} - V)`
depends on the membrane potential (Dayan & Abbott 2001, *Theoretical Neuroscience*,
section 5.8; Gerstner, Kistler, Naud & Paninski 2014, *Neuronal Dynamics*, section 3.1).

**Normalisation.** By default every model is the ODE system exactly as written above:
the spike adds :math:`w` to the first variable. The alpha and biexponential responses
then peak below :math:`w` (at :math:`w/e` and at :math:`w` times
:func:`biexponential_peak_value`). With ``normalise=True`` the jump is scaled so that
the response peaks at exactly :math:`w`. The exponential response always peaks at
:math:`w`.

**Exact integration.** The models are linear, :math:`\dot{\mathbf s} = A \mathbf s`
between spikes, so they are advanced on a time grid by the matrix exponential
:math:`\mathbf s(t + \Delta t) = e^{A \Delta t} \mathbf s(t)`, which is exact for any
time step (Rotter & Diesmann 1999, "Exact digital simulation of time-invariant linear
systems with applications to neuronal modeling", Biol. Cybern. 81:381-402). A spike
between two grid points is propagated exactly from its own time to the next grid
point, so :func:`synaptic_trace` equals the sum of the kernels of its spikes. The
forward-Euler integrator :func:`biexponential_euler` is here for comparison: it is
what the week 2 exercise has the learner write (it moves to the week 2 task definitions,
``neuro4ml.tasks``, when they exist).

**Quantal release.** :func:`binomial_release` draws the number of vesicles released by
each presynaptic spike in the binomial model of del Castillo & Katz (1954).

**Short-term plasticity.** :func:`tsodyks_markram` gives the efficacy of each spike of
a train at a depressing or facilitating synapse (Tsodyks & Markram 1997; Markram,
Wang & Tsodyks 1998), and :func:`tsodyks_markram_steady_state` the closed-form
steady state for a regular train.

Time is in ms throughout; variables and weights are dimensionless (in the units of the
membrane potential of :func:`neuro4ml.models.neurons.lif`, where rest is 0 and the threshold 1).

The package's modules, each re-exported here:

* :mod:`~neuro4ml.models.synapses.kernels` -- closed-form kernels and the biexponential peak;
* :mod:`~neuro4ml.models.synapses.linear` -- the linear synapse models used by the network simulator;
* :mod:`~neuro4ml.models.synapses.traces` -- traces of spike trains on a time grid (exact, and Euler);
* :mod:`~neuro4ml.models.synapses.conductance` -- reversal potentials, conductance-based and NMDA synapses;
* :mod:`~neuro4ml.models.synapses.short_term` -- Tsodyks-Markram short-term plasticity;
* :mod:`~neuro4ml.models.synapses.release` -- quantal (binomial) release.
"""

from neuro4ml.models.synapses.conductance import E_EXCITATORY, E_INHIBITORY, conductance_current, conductance_step, mg_block, nmda_current
from neuro4ml.models.synapses.kernels import (
    alpha_kernel,
    biexponential_kernel,
    biexponential_normalisation,
    biexponential_peak_time_ms,
    biexponential_peak_value,
    exponential_kernel,
)
from neuro4ml.models.synapses.linear import Alpha, Biexponential, Exponential, Instantaneous, Synapse
from neuro4ml.models.synapses.release import QuantalRelease, binomial_release
from neuro4ml.models.synapses.short_term import ShortTermPlasticity, SteadyState, tsodyks_markram, tsodyks_markram_steady_state
from neuro4ml.models.synapses.traces import biexponential_euler, biexponential_trace, synaptic_trace

__all__ = [
    "E_EXCITATORY",
    "E_INHIBITORY",
    "Alpha",
    "Biexponential",
    "Exponential",
    "Instantaneous",
    "ShortTermPlasticity",
    "SteadyState",
    "Synapse",
    "QuantalRelease",
    "alpha_kernel",
    "binomial_release",
    "biexponential_euler",
    "biexponential_kernel",
    "biexponential_normalisation",
    "biexponential_peak_time_ms",
    "biexponential_peak_value",
    "biexponential_trace",
    "conductance_current",
    "conductance_step",
    "exponential_kernel",
    "mg_block",
    "nmda_current",
    "synaptic_trace",
    "tsodyks_markram",
    "tsodyks_markram_steady_state",
]
