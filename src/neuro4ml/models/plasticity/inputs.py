"""Input spike trains for the classic STDP experiments, and measures of what the weights learned."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from neuro4ml.models.spikes import poisson_spike_train
from neuro4ml.validation import (
    as_generator,
    non_negative_number,
    positive_number,
    probability,
    spike_train,
    whole_number,
)

__all__ = [
    "correlated_group_inputs",
    "first_spike_latencies_ms",
    "group_mean_weights",
    "hidden_pattern_inputs",
    "sequence_inputs",
    "weight_statistics",
]


def correlated_group_inputs(
    rate_hz: float,
    duration_ms: float,
    correlations: Sequence[float],
    group_size: int,
    *,
    rng: np.random.Generator | int | None = None,
) -> list[np.ndarray]:
    """Poisson trains in groups whose members are correlated with each other.

    Each group with correlation :math:`c > 0` has a hidden "mother" Poisson train at
    rate :math:`r/c`, and each member keeps every mother spike independently with
    probability :math:`c`. Every member is then a Poisson train at rate :math:`r`, two
    members share on average :math:`c^2 r/c = c\\,r` spikes per unit time, so their spike
    counts in any window have correlation coefficient :math:`c`; trains in different
    groups, and all trains of a group with :math:`c = 0`, are independent. This is the
    multiple interaction process of Kuhn, Aertsen & Rotter (2003), "Higher-order
    statistics of input ensembles and the response of simple model neurons", Neural
    Comput 15:67-101; it gives an STDP neuron inputs with the same rate and different
    correlations, as in the correlated-input experiments of Song, Miller & Abbott (2000).

    Parameters
    ----------
    rate_hz : float
        Rate of every train (Hz).
    duration_ms : float
        Window ``[0, duration_ms)``.
    correlations : sequence of float
        One correlation :math:`c \\in [0, 1]` per group.
    group_size : int
        Number of trains per group.
    rng : Generator, int or None
        Random generator or seed.

    Returns
    -------
    list of numpy.ndarray
        ``len(correlations) * group_size`` sorted trains, group by group.
    """
    generator = as_generator(rng)
    rate_hz = non_negative_number(rate_hz, "rate_hz")
    duration_ms = positive_number(duration_ms, "duration_ms")
    whole_number(group_size, "group_size")
    trains = []
    for c in correlations:
        c = probability(c, "correlations")
        if c == 0.0:
            trains += poisson_spike_train(rate_hz, duration_ms, rng=generator, n_trains=group_size)
            continue
        mother = poisson_spike_train(rate_hz / c, duration_ms, rng=generator)
        for _ in range(group_size):
            trains.append(mother[generator.random(mother.size) < c])
    return trains


def hidden_pattern_inputs(
    n_inputs: int,
    duration_ms: float,
    *,
    rate_hz: float,
    pattern_ms: float = 50.0,
    p_pattern: float = 0.25,
    fraction_in_pattern: float = 0.5,
    noise_rate_hz: float = 0.0,
    rng: np.random.Generator | int | None = None,
) -> tuple[list[np.ndarray], np.ndarray]:
    """Poisson inputs with one frozen spike pattern repeated at random times.

    Time is cut into slots of ``pattern_ms``. A slot holds the pattern with probability
    ``p_pattern`` (never two slots in a row, so that every occurrence is preceded by
    noise); otherwise every input fires as a fresh Poisson train at ``rate_hz``. The
    pattern is one Poisson snippet at ``rate_hz`` drawn once for the first
    ``fraction_in_pattern * n_inputs`` inputs; during a pattern slot those inputs
    replay it exactly and the others keep firing at random. So every input has the
    same rate at all times, and the pattern can be found only from the repeated
    *timing*, as in Masquelier, Guyonneau & Thorpe (2008), "Spike timing dependent
    plasticity finds the start of repeating patterns in continuous spike trains", PLoS
    ONE 3:e1377. ``noise_rate_hz`` adds independent Poisson spikes to every input at
    all times (their 10 Hz "spontaneous activity"), which blurs the pattern.

    Returns
    -------
    (list of numpy.ndarray, numpy.ndarray)
        The ``n_inputs`` sorted trains (ms), and the onset times of the pattern (ms).
    """
    generator = as_generator(rng)
    whole_number(n_inputs, "n_inputs")
    duration_ms = positive_number(duration_ms, "duration_ms")
    rate_hz = non_negative_number(rate_hz, "rate_hz")
    pattern_ms = positive_number(pattern_ms, "pattern_ms")
    p_pattern = probability(p_pattern, "p_pattern")
    fraction_in_pattern = probability(fraction_in_pattern, "fraction_in_pattern")
    noise_rate_hz = non_negative_number(noise_rate_hz, "noise_rate_hz")
    n_slots = int(duration_ms // pattern_ms)
    is_pattern = np.zeros(n_slots, bool)
    draws = generator.random(n_slots)
    for k in range(1, n_slots):  # slot 0 is always noise
        is_pattern[k] = draws[k] < p_pattern and not is_pattern[k - 1]
    onsets_ms = np.flatnonzero(is_pattern) * pattern_ms
    n_pattern = int(round(fraction_in_pattern * n_inputs))
    pattern = poisson_spike_train(rate_hz, pattern_ms, rng=generator, n_trains=n_pattern)
    background = poisson_spike_train(rate_hz, duration_ms, rng=generator, n_trains=n_inputs)
    noise = poisson_spike_train(noise_rate_hz, duration_ms, rng=generator, n_trains=n_inputs)
    slot_of = lambda t: np.minimum((t // pattern_ms).astype(np.int64), n_slots - 1)  # noqa: E731
    trains = []
    for i in range(n_inputs):
        train = background[i]
        if i < n_pattern:
            train = train[~is_pattern[slot_of(train)]] if n_slots else train
            train = np.concatenate([train, (onsets_ms[:, None] + pattern[i][None, :]).ravel()])
        trains.append(np.sort(np.concatenate([train, noise[i]])))
    return trains, onsets_ms


def sequence_inputs(
    n_inputs: int,
    n_presentations: int,
    *,
    period_ms: float,
    span_ms: float,
    jitter_ms: float = 0.0,
    onset_ms: float = 10.0,
    rng: np.random.Generator | int | None = None,
) -> tuple[list[np.ndarray], np.ndarray]:
    """A fixed sequence, repeated: input ``i`` fires once per presentation, ``i`` in order.

    In presentation ``p`` (onset :math:`t_p = t_0 + p\\,T`), input ``i`` fires at
    :math:`t_p + i\\,S/n + \\epsilon`, with :math:`S` = ``span_ms`` and Gaussian jitter
    :math:`\\epsilon` of s.d. ``jitter_ms``, and is silent otherwise. This is the input
    with which STDP makes a neuron fire earlier and earlier in the sequence (latency
    reduction; Song, Miller & Abbott 2000; Gerstner et al. 1996).

    Returns
    -------
    (list of numpy.ndarray, numpy.ndarray)
        One sorted train per input, and the onsets :math:`t_p` (ms).
    """
    generator = as_generator(rng)
    whole_number(n_inputs, "n_inputs")
    whole_number(n_presentations, "n_presentations")
    period_ms = positive_number(period_ms, "period_ms")
    span_ms = positive_number(span_ms, "span_ms")
    jitter_ms = non_negative_number(jitter_ms, "jitter_ms")
    onset_ms = non_negative_number(onset_ms, "onset_ms")
    onsets = onset_ms + np.arange(n_presentations) * period_ms
    offsets = np.arange(n_inputs) * span_ms / n_inputs
    times = onsets[None, :] + offsets[:, None] + jitter_ms * generator.standard_normal((n_inputs, n_presentations))
    return [np.sort(np.maximum(row, 0.0)) for row in times], onsets


def first_spike_latencies_ms(
    spike_times_ms: np.ndarray, onsets_ms: np.ndarray, window_ms: float
) -> np.ndarray:
    """Latency of the first spike after each onset, within ``[onset, onset + window_ms)``.

    Returns
    -------
    numpy.ndarray, shape (onsets,)
        ``t_first - onset`` in ms, or NaN where no spike falls in the window.
    """
    spikes = np.sort(spike_train(spike_times_ms, "spike_times_ms"))
    onsets = np.asarray(onsets_ms, dtype=float)
    window_ms = positive_number(window_ms, "window_ms")
    following = np.searchsorted(spikes, onsets, side="left")
    latency = np.full(onsets.shape, np.nan)
    has = following < spikes.size
    latency[has] = spikes[following[has]] - onsets[has]
    latency[latency >= window_ms] = np.nan
    return latency


def group_mean_weights(w: np.ndarray, group_size: int) -> np.ndarray:
    """Mean weight of each consecutive group of ``group_size`` synapses, shape ``(groups,)``."""
    w = np.asarray(w, dtype=float)
    if w.ndim != 1 or w.size % group_size:
        raise ValueError(f"w must be 1-D with a multiple of group_size={group_size} entries, got shape {w.shape}")
    return w.reshape(-1, group_size).mean(axis=1)


def weight_statistics(w: np.ndarray, w_max: float) -> dict[str, float]:
    """Fractions of weights near the bounds, as reported for the Song et al. (2000) network.

    Returns ``{"below_10pct": fraction with w < 0.1 w_max, "above_90pct": fraction with
    w > 0.9 w_max, "mean_over_wmax": mean of w / w_max}``.
    """
    w = np.asarray(w, dtype=float)
    w_max = positive_number(w_max, "w_max")
    return {
        "below_10pct": float(np.mean(w < 0.1 * w_max)),
        "above_90pct": float(np.mean(w > 0.9 * w_max)),
        "mean_over_wmax": float(np.mean(w) / w_max),
    }
