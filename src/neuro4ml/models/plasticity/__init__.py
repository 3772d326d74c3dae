"""Learning rules: rate-based Hebbian rules and spike-timing-dependent plasticity (STDP).

Two families of rules live here, with shared conventions.

**Rate rules** (:func:`hebb`, :func:`oja`, :func:`covariance_rule`, :func:`bcm`) act on
one linear neuron :math:`y = \\mathbf w \\cdot \\mathbf x` that sees a sequence of input
vectors. The inputs are an array shaped ``(samples, inputs)``; each rule takes one
discrete step :math:`\\mathbf w \\leftarrow \\mathbf w + \\eta\\, \\Delta \\mathbf w` per
sample (the Euler step of :math:`d\\mathbf w/dt = \\Delta\\mathbf w` with the learning
rate :math:`\\eta` as time step). The loop runs over samples; every update is vectorised
over inputs. Each returns a :class:`RateRuleRun` with the weights *before* every sample
and after the last one (shape ``(samples + 1, inputs)``) and the outputs.

**STDP** acts on spike times in milliseconds. :func:`stdp_window` is the weight change
caused by one pair of spikes; :func:`pair_stdp_weight_change` sums it over pairs of
two spike trains (the reference used by the answer checks); :func:`stdp_synapse` runs
the same rule online, with one decaying trace per side, on one synapse, with
all-to-all or nearest-neighbour pairing, additive or multiplicative updates and hard
bounds. The sign convention throughout is :math:`\\Delta t = t_\text{post} -
t_\text{pre}`: positive (pre before post) potentiates, negative depresses, and a pair
at exactly the same time changes nothing.

:func:`stdp_neuron` simulates many Poisson (or any) inputs onto one conductance-based
leaky integrate-and-fire neuron with STDP at every input synapse, as in Song, Miller &
Abbott (2000). It is *event driven* where the model allows: the weights and traces
change only at spikes, so they are updated per spike and never per time step, and the
membrane is advanced a block of time steps at a time with closed-form linear
recurrences (see :func:`stdp_neuron` for the details and why this is exact on the grid).

:func:`neuro4ml.learning.reinforcement.temporal_difference_learning`, the reward-prediction-error
rule of reinforcement learning, lives with the rest of reinforcement learning.

**Inputs for the classic experiments** are made from :func:`neuro4ml.models.spikes.poisson_spike_train`:
:func:`correlated_group_inputs` (groups of equally correlated trains),
:func:`hidden_pattern_inputs` (a frozen pattern repeated at random times) and
:func:`sequence_inputs` (one sequence, repeated); :func:`first_spike_latencies_ms`,
:func:`group_mean_weights` and :func:`weight_statistics` measure the results.

The package's modules, each re-exported here:

* :mod:`~neuro4ml.models.plasticity.rate_rules` -- Hebb, Oja, the covariance rule and BCM;
* :mod:`~neuro4ml.models.plasticity.stdp` -- the STDP window, its sums over pairs, and one synapse with traces;
* :mod:`~neuro4ml.models.plasticity.stdp_neuron` -- many inputs onto one conductance-based LIF neuron with
  STDP, simulated event by event (Song, Miller & Abbott 2000);
* :mod:`~neuro4ml.models.plasticity.inputs` -- input spike trains for the classic experiments, and measures
  of their results.
"""

from neuro4ml.models.plasticity.inputs import (
    correlated_group_inputs,
    first_spike_latencies_ms,
    group_mean_weights,
    hidden_pattern_inputs,
    sequence_inputs,
    weight_statistics,
)
from neuro4ml.models.plasticity.rate_rules import RateRuleRun, bcm, covariance_rule, hebb, oja
from neuro4ml.models.plasticity.stdp import (
    STDPRule,
    STDPSynapseRun,
    nearest_pairs_weight_change,
    pair_stdp_weight_change,
    stdp_synapse,
    stdp_window,
)
from neuro4ml.models.plasticity.stdp_neuron import SONG_2000_BRIAN, ConductanceLIF, STDPNeuronRun, stdp_neuron

__all__ = [
    "SONG_2000_BRIAN",
    "ConductanceLIF",
    "RateRuleRun",
    "STDPNeuronRun",
    "STDPRule",
    "STDPSynapseRun",
    "bcm",
    "correlated_group_inputs",
    "covariance_rule",
    "first_spike_latencies_ms",
    "group_mean_weights",
    "hebb",
    "hidden_pattern_inputs",
    "nearest_pairs_weight_change",
    "oja",
    "pair_stdp_weight_change",
    "sequence_inputs",
    "stdp_neuron",
    "stdp_synapse",
    "stdp_window",
    "weight_statistics",
]
