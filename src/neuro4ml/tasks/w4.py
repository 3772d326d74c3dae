"""Week 4's tasks: pair-based STDP with traces, latencies, the bimodal distribution and correlated groups.

* :func:`stdp_cases` -- the spike trains and parameters a learner's STDP function runs on
  (simplest first, spikes given out of order, empty trains, and Poisson trains drawn
  from a fresh seed), with the reference :meth:`STDPCase.all_pairs`
  (:func:`neuro4ml.models.plasticity.pair_stdp_weight_change`) and
  :func:`mistaken_weight_changes`, what the usual slips give, computed with the library.
* :func:`latency_cases` -- spike trains and onsets for the first-spike latencies, unsorted
  ones and a fresh random one included; :func:`mistaken_latencies`.
* :func:`group_cases` -- weights for the mean weight per group.

Imports only :mod:`neuro4ml.models`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuro4ml.models import plasticity
from neuro4ml.models.spikes import poisson_spike_train
from neuro4ml.tasks.fresh import fresh_seed

__all__ = [
    "STDPCase",
    "fresh_seed",
    "group_cases",
    "latency_cases",
    "mistaken_latencies",
    "mistaken_weight_changes",
    "stdp_cases",
]



@dataclass(frozen=True)
class STDPCase:
    """One pair of spike trains and one parameter set."""

    description: str
    pre: np.ndarray
    post: np.ndarray
    A_plus: float = 0.01
    A_minus: float = 0.012
    tau_plus_ms: float = 20.0
    tau_minus_ms: float = 30.0

    @property
    def params(self) -> tuple[float, float, float, float]:
        """The rule's parameters ``(A_plus, A_minus, tau_plus_ms, tau_minus_ms)``."""
        return self.A_plus, self.A_minus, self.tau_plus_ms, self.tau_minus_ms

    def all_pairs(self, pre=None, post=None, A_plus=None, A_minus=None, tau_plus_ms=None, tau_minus_ms=None) -> float:
        """The library's all-pairs sum with some inputs changed (for the mistaken variants)."""
        return plasticity.pair_stdp_weight_change(
            self.pre if pre is None else pre,
            self.post if post is None else post,
            self.A_plus if A_plus is None else A_plus,
            self.A_minus if A_minus is None else A_minus,
            self.tau_plus_ms if tau_plus_ms is None else tau_plus_ms,
            self.tau_minus_ms if tau_minus_ms is None else tau_minus_ms,
        )


def stdp_cases(seed: int | None = None) -> list[STDPCase]:
    """The cases of the STDP task, simplest first, so that a mistake shows on the simplest case that reveals it.

    The last is a pair of Poisson trains drawn from a fresh seed (``seed`` when given),
    with spike times that are not whole ms, given in a shuffled order.
    """
    seed = fresh_seed() if seed is None else seed
    fresh = np.random.default_rng(seed)
    fresh_pre = fresh.permutation(poisson_spike_train(30.0, 500.0, rng=fresh))
    fresh_post = fresh.permutation(poisson_spike_train(25.0, 500.0, rng=fresh))
    rng = np.random.default_rng(2024)
    pre_poisson = poisson_spike_train(20.0, 1000.0, rng=rng)
    post_poisson = poisson_spike_train(15.0, 1000.0, rng=rng)
    return [
        STDPCase("one pre spike at 10 ms, one post spike at 15 ms", np.array([10.0]), np.array([15.0])),
        STDPCase("one post spike at 10 ms, one pre spike at 25 ms", np.array([25.0]), np.array([10.0])),
        STDPCase(
            "pre spikes at 10, 30, 45 ms and post spikes at 20, 40, 50 ms",
            np.array([10.0, 30.0, 45.0]), np.array([20.0, 40.0, 50.0]),
        ),
        STDPCase(
            "pre spikes at 5, 12, 18 ms, then post spikes at 25, 31 ms (several pairs each)",
            np.array([5.0, 12.0, 18.0]), np.array([25.0, 31.0]),
        ),
        STDPCase(
            "pre at 10 and 25 ms, post at 25 and 40 ms (one pair at the same time)",
            np.array([10.0, 25.0]), np.array([25.0, 40.0]),
        ),
        STDPCase(
            "one post spike at 5 ms, then a pre and a post spike together at 25 ms",
            np.array([25.0]), np.array([5.0, 25.0]),
        ),
        STDPCase(
            "pre spikes at 30, 10, 20 ms and post spikes at 25, 5 ms, given out of order",
            np.array([30.0, 10.0, 20.0]), np.array([25.0, 5.0]),
        ),
        STDPCase(
            "Poisson trains over 1 s with A_plus=0.005, A_minus=0.00525, tau_plus=16.8 ms, tau_minus=33.7 ms",
            pre_poisson, post_poisson, 0.005, 0.00525, 16.8, 33.7,
        ),
        STDPCase("no post spikes at all", np.array([5.0, 50.0]), np.array([])),
        STDPCase("no pre spikes at all", np.array([]), np.array([5.0, 50.0])),
        STDPCase(
            f"Poisson trains over 0.5 s drawn with seed {seed}, shuffled, A_plus=0.008, A_minus=0.009, "
            "tau_plus=12 ms, tau_minus=25 ms",
            fresh_pre, fresh_post, 0.008, 0.009, 12.0, 25.0,
        ),
    ]




def mistaken_weight_changes(case: STDPCase) -> dict[str, float]:
    """What the usual slips in the STDP task give on ``case``, by name, computed with the library.

    Each is the all-pairs sum :meth:`STDPCase.all_pairs` with some input changed
    (``never_decay``: time constants so long nothing decays; ``mirrored``: pre and post
    exchanged; ``swapped_amplitudes``, ``swapped_taus``; ``seconds_times``,
    ``seconds_taus``: a factor 1000 in the time constants; ``depression_tau_plus``,
    ``potentiation_tau_minus``; ``only_potentiation``, ``only_depression``), or a
    combination of such sums (``negated``, ``depression_added``, ``zero_as_potentiation``,
    ``zero_as_depression``: a pair at Δt = 0 counted), or another library rule
    (``nearest``: :func:`~neuro4ml.models.plasticity.nearest_pairs_weight_change`;
    ``clipped``: the bounded rule of :func:`~neuro4ml.models.plasticity.stdp_synapse`
    started at 0).
    """
    A_plus, A_minus, tau_plus, tau_minus = case.params
    same_time = float(np.sum(case.post[:, None] == case.pre[None, :]))
    never = 1e15  # a time constant so long that nothing decays
    clipped = plasticity.stdp_synapse(
        case.pre, case.post,
        plasticity.STDPRule(A_plus, A_minus, tau_plus, tau_minus, w_max=1e300, bounded=True), w0=0.0,
    ).w_final if (case.pre.size + case.post.size) else 0.0
    return {
        "never_decay": case.all_pairs(tau_plus_ms=never, tau_minus_ms=never),
        "mirrored": case.all_pairs(pre=case.post, post=case.pre),
        "negated": -case.all_pairs(),
        "swapped_amplitudes": case.all_pairs(A_plus=A_minus, A_minus=A_plus),
        "swapped_taus": case.all_pairs(tau_plus_ms=tau_minus, tau_minus_ms=tau_plus),
        "nearest": plasticity.nearest_pairs_weight_change(case.pre, case.post, *case.params),
        "seconds_times": case.all_pairs(tau_plus_ms=1000 * tau_plus, tau_minus_ms=1000 * tau_minus),
        "seconds_taus": case.all_pairs(tau_plus_ms=tau_plus / 1000, tau_minus_ms=tau_minus / 1000),
        "clipped": clipped,
        "zero_as_potentiation": case.all_pairs() + A_plus * same_time,
        "zero_as_depression": case.all_pairs() - A_minus * same_time,
        "depression_tau_plus": case.all_pairs(tau_minus_ms=tau_plus),
        "potentiation_tau_minus": case.all_pairs(tau_plus_ms=tau_minus),
        "depression_added": 2 * case.all_pairs(A_minus=0.0) - case.all_pairs(),
        "only_potentiation": case.all_pairs(A_minus=0.0),
        "only_depression": case.all_pairs(A_plus=0.0),
    }


def latency_cases(seed: int | None = None) -> list[tuple[str, np.ndarray, np.ndarray, float]]:
    """``(description, spike_times_ms, onsets_ms, window_ms)`` for the latency task.

    Simplest first; spike times given out of order (twice: once with the nearest spike
    before the onset listed first), and a random train with random onsets from a fresh
    seed. The case whose spike sits exactly ``window_ms`` after an onset comes last,
    so that any other mistake is named first.
    """
    seed = fresh_seed() if seed is None else seed
    rng = np.random.default_rng(seed)
    random_spikes = rng.permutation(np.round(rng.uniform(0.0, 1000.0, 40), 2))
    random_onsets = np.sort(np.round(rng.uniform(0.0, 950.0, 12), 2))
    return [
        ("spikes at 5, 15, 260 ms; onsets 0, 10, 100, 250 ms; window 20 ms",
         np.array([5.0, 15.0, 260.0]), np.array([0.0, 10.0, 100.0, 250.0]), 20.0),
        ("a spike exactly at an onset", np.array([100.0, 210.0]), np.array([100.0, 200.0]), 30.0),
        ("spikes at 95 and 130 ms, onset 100 ms, window 20 ms (the nearest spike comes before the onset)",
         np.array([95.0, 130.0]), np.array([100.0]), 20.0),
        ("spikes at 12.5 and 47.75 ms, onsets 10.25 and 40 ms, window 10 ms (times that are not whole ms)",
         np.array([12.5, 47.75]), np.array([10.25, 40.0]), 10.0),
        ("spikes given out of order, 260, 15, 5, 108 ms; onsets 0, 100, 250 ms; window 20 ms",
         np.array([260.0, 15.0, 5.0, 108.0]), np.array([0.0, 100.0, 250.0]), 20.0),
        ("no spikes", np.array([]), np.array([0.0, 50.0]), 10.0),
        (f"40 spikes at random times in 1 s (seed {seed}), in no particular order; 12 random onsets; window 25 ms",
         random_spikes, random_onsets, 25.0),
        ("a spike exactly at the edge of the window (230 ms, onset 200 ms, window 30 ms)",
         np.array([100.0, 230.0]), np.array([100.0, 200.0]), 30.0),
    ]


def mistaken_latencies(spikes: np.ndarray, onsets: np.ndarray, window: float) -> dict[str, np.ndarray]:
    """What the usual slips in the latency task give, by name.

    ``inclusive`` (a closed window), ``nearest`` (the nearest spike on either side),
    ``unsorted`` (the spike times used in the order given, as ``np.searchsorted`` on an
    unsorted array does), ``minus_one`` (−1 instead of NaN where no spike),
    ``seconds``, ``no_window`` (no window at all) and ``truncated`` (spike times made
    whole ms by ``astype(int)``).
    """
    reference = plasticity.first_spike_latencies_ms(spikes, onsets, window)
    out = {
        "inclusive": plasticity.first_spike_latencies_ms(spikes, onsets, np.nextafter(window, np.inf)),
        "minus_one": np.where(np.isnan(reference), -1.0, reference),
        "seconds": reference * 1e-3,
        "no_window": plasticity.first_spike_latencies_ms(spikes, onsets, 1e300),
        "truncated": plasticity.first_spike_latencies_ms(np.trunc(spikes), onsets, window),
    }
    distance = np.abs(spikes[None, :] - onsets[:, None])
    nearest = distance.min(axis=1, initial=np.inf)
    out["nearest"] = np.where(nearest < window, nearest, np.nan)
    if spikes.size:
        following = np.searchsorted(spikes, onsets)  # wrong on an unsorted array
        found = following < spikes.size
        latencies = np.full(onsets.shape, np.nan)
        latencies[found] = spikes[following[found]] - onsets[found]
        latencies[(latencies >= window) | (latencies < 0)] = np.nan
        out["unsorted"] = latencies
    return out


def group_cases(seed: int | None = None) -> list[tuple[str, np.ndarray, int]]:
    """``(description, w, group_size)`` for the mean weight per group; the weights are drawn from a fresh seed."""
    seed = fresh_seed() if seed is None else seed
    rng = np.random.default_rng(seed)
    return [
        (f"{n_groups} groups of {size}", rng.uniform(0, 1, n_groups * size), size)
        for n_groups, size in ((2, 3), (4, 250), (5, 1), (3, 7))
    ]
