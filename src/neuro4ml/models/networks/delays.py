r"""Turning spike timing into delays and back: the week 2 exercise's reference code.

* :func:`delay_population`: LIF neurons that all receive one input spike, each through
  a synapse with its own time constants, so that they fire at different delays (a
  bank of delay lines made of synapses).
* :func:`delay_trials` and :func:`score_delay_estimator`: the delay-estimation task,
  pairs of spike trains with a known delay between them, and the mean absolute error
  of an estimator on held-out pairs (:func:`neuro4ml.models.networks.jeffress_estimate_delay_ms`
  is one estimator).

The answer checks of :mod:`neuro4ml.check.w2` compare the learner's answers with these.
All times are in ms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from neuro4ml.models import neurons
from neuro4ml.models.spikes import delayed_pair_trains
from neuro4ml.models.synapses import Biexponential, synaptic_trace

__all__ = [
    "HELD_OUT_TRIALS",
    "POPULATION_DURATION_MS",
    "POPULATION_TAU_MS",
    "DelayTrial",
    "delay_population",
    "delay_trials",
    "held_out_delay_trials",
    "score_delay_estimator",
]

# ---------------------------------------------------------------------------
# A population that turns one spike into spikes at several delays
# ---------------------------------------------------------------------------

#: Membrane time constant of the neurons of :func:`delay_population`, ms.
POPULATION_TAU_MS = 10.0
#: Length of a :func:`delay_population` run, ms (one input spike at t = 0).
POPULATION_DURATION_MS = 200.0
_POPULATION_DT_MS = 0.1


def delay_population(
    tau_rise_ms: Sequence[float],
    tau_decay_ms: Sequence[float],
    weights: Sequence[float],
    *,
    record_v: bool = True,
) -> neurons.NeuronRun:
    r"""LIF neurons driven by one input spike through synapses with different time constants.

    Neuron :math:`i` receives a spike at :math:`t = 0` through a current-based
    biexponential synapse normalised to peak at its weight :math:`w_i`
    (:class:`~neuro4ml.models.synapses.Biexponential` with ``normalise=True``):

    .. math::
        \tau_m \frac{dV_i}{dt} = -V_i + w_i\, N_i\, k_i(t), \qquad
        k_i(t) = \frac{\tau_{r,i}}{\tau_{d,i} - \tau_{r,i}}
                 \left(e^{-t/\tau_{d,i}} - e^{-t/\tau_{r,i}}\right),

    with :math:`N_i` = :func:`~neuro4ml.models.synapses.biexponential_normalisation`, the
    membrane time constant :math:`\tau_m` = :data:`POPULATION_TAU_MS`, threshold 1 and
    reset 0 (:func:`neuro4ml.models.neurons.lif`, time step 0.1 ms, for
    :data:`POPULATION_DURATION_MS`). Slower synapses make a neuron reach its threshold
    later, so the population turns one spike into spikes at several delays.

    Parameters
    ----------
    tau_rise_ms, tau_decay_ms : sequences of float
        The synaptic time constants of each neuron, ``0 < tau_rise <= tau_decay``.
    weights : sequence of float
        The peak synaptic current of each neuron (in units of the threshold).
    record_v : bool
        Record the membrane potentials.

    Returns
    -------
    neuro4ml.models.neurons.NeuronRun
        ``v`` of shape ``(neurons, time)`` and one array of spike times per neuron.
    """
    currents = np.stack([
        synaptic_trace(
            [0.0], Biexponential(rise, decay, normalise=True), duration_ms=POPULATION_DURATION_MS,
            dt_ms=_POPULATION_DT_MS, weight=weight,
        )
        for rise, decay, weight in zip(tau_rise_ms, tau_decay_ms, weights)
    ])
    return neurons.lif(currents, tau_ms=POPULATION_TAU_MS, dt_ms=_POPULATION_DT_MS, record_v=record_v)


# ---------------------------------------------------------------------------
# The delay-estimation task
# ---------------------------------------------------------------------------


class DelayTrial(NamedTuple):
    """One test of a delay estimator: two spike trains and the delay between them."""

    #: The two trains, (input 0, input 1), spike times in ms.
    input_spike_times_ms: tuple[np.ndarray, np.ndarray]
    #: Length of the trains' window, ms.
    duration_ms: float
    #: The true delay of input 1 relative to input 0, ms (positive: input 0 leads).
    delay_ms: float


#: Length of every trial, ms.
_TRIAL_DURATION_MS = 500.0
#: Seed of the held-out trials of :func:`score_delay_estimator`; :func:`delay_trials`
#: defaults to another seed, so the practice trials are never the test trials.
_HELD_OUT_SEED = 20_240_202
#: Number of held-out trials of :func:`score_delay_estimator`.
HELD_OUT_TRIALS = 30


def delay_trials(n_trials: int = 20, *, seed: int = 0) -> list[DelayTrial]:
    """Random test pairs for a delay estimator, as :func:`score_delay_estimator` uses.

    Each trial draws, independently and uniformly, a delay in [-9, 9] ms, a rate of
    input 0 in [20, 150] Hz (so 10 to 75 spikes in 500 ms), a probability in
    [0, 0.4] that a spike of input 0 is missing from input 1, and a rate of extra
    noise spikes in input 1 in [0, 60] Hz; the copied spikes are jittered by 0.25 ms
    (:func:`neuro4ml.models.spikes.delayed_pair_trains`). An estimator that does well on
    these is robust to the spike count, to deleted spikes and to added noise.

    Parameters
    ----------
    n_trials : int
        Number of trials.
    seed : int
        Random seed; the same seed gives the same trials.

    Returns
    -------
    list of DelayTrial
    """
    rng = np.random.default_rng(seed)
    trials = []
    for _ in range(n_trials):
        delay_ms = float(rng.uniform(-9.0, 9.0))
        pair = delayed_pair_trains(
            float(rng.uniform(20.0, 150.0)), _TRIAL_DURATION_MS, delay_ms, jitter_ms=0.25,
            p_delete=float(rng.uniform(0.0, 0.4)), noise_rate_hz=float(rng.uniform(0.0, 60.0)), rng=rng,
        )
        trials.append(DelayTrial(pair, _TRIAL_DURATION_MS, delay_ms))
    return trials


def held_out_delay_trials() -> list[DelayTrial]:
    """The :data:`HELD_OUT_TRIALS` trials :func:`score_delay_estimator` scores on.

    Drawn as in :func:`delay_trials` but with a seed of their own, so they are never
    the practice trials of ``delay_trials(n)``; the same at every call.
    """
    return delay_trials(HELD_OUT_TRIALS, seed=_HELD_OUT_SEED)


def _estimates(estimate_delay: Callable, trials: list[DelayTrial]) -> np.ndarray:
    """The estimator's answer on each trial, as floats."""
    return np.array([float(estimate_delay(t.input_spike_times_ms, t.duration_ms)) for t in trials])


def score_delay_estimator(estimate_delay: Callable) -> float:
    """Mean absolute error of a delay estimator on held-out trials, in ms (lower is better).

    .. math:: \\text{MAE} = \\frac{1}{K} \\sum_{k=1}^{K} |\\hat\\delta_k - \\delta_k|

    over :data:`HELD_OUT_TRIALS` trials drawn as in :func:`delay_trials`, but with a
    seed of their own. ``estimate_delay(input_spike_times_ms, duration_ms)`` gets the
    pair of trains and the window length and returns the delay of input 1 relative to
    input 0 in ms. The trials are the same at every call, so the score of a
    deterministic estimator is deterministic.
    """
    trials = held_out_delay_trials()
    truth = np.array([t.delay_ms for t in trials])
    return float(np.mean(np.abs(_estimates(estimate_delay, trials) - truth)))
