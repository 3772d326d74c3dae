"""Spike-timing-dependent plasticity: the window, its sums over pairs of spikes, and one synapse with traces."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from neuro4ml.validation import (
    finite_number,
    non_negative_number,
    positive_number,
    spike_train,
)

__all__ = ["STDPRule", "STDPSynapseRun", "nearest_pairs_weight_change", "pair_stdp_weight_change", "stdp_synapse", "stdp_window"]


# ---------------------------------------------------------------------------
# STDP: the window and its sums over pairs
# ---------------------------------------------------------------------------


def _stdp_params(A_plus, A_minus, tau_plus_ms, tau_minus_ms) -> tuple[float, float, float, float]:
    return (
        non_negative_number(A_plus, "A_plus"),
        non_negative_number(A_minus, "A_minus"),
        positive_number(tau_plus_ms, "tau_plus_ms"),
        positive_number(tau_minus_ms, "tau_minus_ms"),
    )


def stdp_window(
    delta_t_ms: float | np.ndarray,
    A_plus: float,
    A_minus: float,
    tau_plus_ms: float,
    tau_minus_ms: float,
) -> float | np.ndarray:
    """The pair-based STDP window :math:`W(\\Delta t)`, :math:`\\Delta t = t_\\text{post} - t_\\text{pre}`.

    .. math::
        W(\\Delta t) = \\begin{cases}
        A_+ e^{-\\Delta t/\\tau_+} & \\Delta t > 0 \\text{ (pre before post: potentiation)}\\\\
        -A_- e^{\\Delta t/\\tau_-} & \\Delta t < 0 \\text{ (post before pre: depression)}\\\\
        0 & \\Delta t = 0
        \\end{cases}

    The exponential fit to the measurements of Bi & Poo (1998) used by Song, Miller &
    Abbott (2000), "Competitive Hebbian learning through spike-timing-dependent
    synaptic plasticity", Nat Neurosci 3:919-926.

    Parameters
    ----------
    delta_t_ms : float or array
        :math:`t_\\text{post} - t_\\text{pre}` in ms.
    A_plus, A_minus : float
        Sizes of potentiation and depression (>= 0; ``A_minus`` is a magnitude).
    tau_plus_ms, tau_minus_ms : float
        Widths of the two sides, in ms (> 0).

    Returns
    -------
    float or numpy.ndarray
        The weight change for each :math:`\\Delta t` (same shape as ``delta_t_ms``).
    """
    A_plus, A_minus, tau_plus_ms, tau_minus_ms = _stdp_params(A_plus, A_minus, tau_plus_ms, tau_minus_ms)
    dt = np.asarray(delta_t_ms, dtype=float)
    if not np.all(np.isfinite(dt)):
        raise ValueError("delta_t_ms must be finite")
    with np.errstate(over="ignore"):
        w = np.where(
            dt > 0,
            A_plus * np.exp(-np.abs(dt) / tau_plus_ms),
            np.where(dt < 0, -A_minus * np.exp(-np.abs(dt) / tau_minus_ms), 0.0),
        )
    return float(w) if w.ndim == 0 else w


def _train(times: object, name: str) -> np.ndarray:
    """A spike train checked by :func:`neuro4ml.validation.spike_train`, sorted in time."""
    return np.sort(spike_train(times, name))


def pair_stdp_weight_change(
    pre_times_ms: np.ndarray,
    post_times_ms: np.ndarray,
    A_plus: float,
    A_minus: float,
    tau_plus_ms: float,
    tau_minus_ms: float,
) -> float:
    """Total weight change of all-to-all pair-based additive STDP (no bounds).

    .. math:: \\Delta w = \\sum_{i}\\sum_{j} W(t^\\text{post}_j - t^\\text{pre}_i)

    with :math:`W` from :func:`stdp_window`: every pre-post pair counts, and a pair at
    the same time counts nothing (Gerstner, Kempter, van Hemmen & Wagner 1996; Song,
    Miller & Abbott 2000). Computed directly over all pairs, in blocks.

    Parameters
    ----------
    pre_times_ms, post_times_ms : array, shape (spikes,)
        Spike times in ms (any order).
    A_plus, A_minus, tau_plus_ms, tau_minus_ms : float
        As in :func:`stdp_window`.
    """
    pre = _train(pre_times_ms, "pre_times_ms")
    post = _train(post_times_ms, "post_times_ms")
    total = 0.0
    for start in range(0, pre.size, 2048):
        block = post[None, :] - pre[start : start + 2048, None]
        total += float(np.sum(stdp_window(block, A_plus, A_minus, tau_plus_ms, tau_minus_ms)))
    return total


def nearest_pairs_weight_change(
    pre_times_ms: np.ndarray,
    post_times_ms: np.ndarray,
    A_plus: float,
    A_minus: float,
    tau_plus_ms: float,
    tau_minus_ms: float,
) -> float:
    """Total weight change of *nearest-spike* pair-based additive STDP (no bounds).

    Each postsynaptic spike is paired with the latest presynaptic spike strictly before
    it (potentiation), and each presynaptic spike with the latest postsynaptic spike
    strictly before it (depression): the "symmetric nearest-spike" interaction of
    Morrison, Diesmann & Gerstner (2008), "Phenomenological models of synaptic
    plasticity based on spike timing", Biol Cybern 98:459-478. It is what traces that
    are *reset* to :math:`A_\\pm` at each spike, instead of incremented, compute.
    """
    A_plus, A_minus, tau_plus_ms, tau_minus_ms = _stdp_params(A_plus, A_minus, tau_plus_ms, tau_minus_ms)
    pre = _train(pre_times_ms, "pre_times_ms")
    post = _train(post_times_ms, "post_times_ms")
    total = 0.0
    if pre.size and post.size:
        before_post = np.searchsorted(pre, post, side="left") - 1
        ok = before_post >= 0
        total += float(np.sum(A_plus * np.exp(-(post[ok] - pre[before_post[ok]]) / tau_plus_ms)))
        before_pre = np.searchsorted(post, pre, side="left") - 1
        ok = before_pre >= 0
        total -= float(np.sum(A_minus * np.exp(-(pre[ok] - post[before_pre[ok]]) / tau_minus_ms)))
    return total


# ---------------------------------------------------------------------------
# STDP rule and one synapse with traces
# ---------------------------------------------------------------------------

_PAIRINGS = ("all", "nearest")
_UPDATES = ("additive", "multiplicative")


@dataclass(frozen=True)
class STDPRule:
    """Parameters of pair-based STDP with traces.

    Attributes
    ----------
    A_plus, A_minus : float
        Jump of the presynaptic trace (the size of potentiation) and of the
        postsynaptic trace (the size of depression), in units of the weight; >= 0.
    tau_plus_ms, tau_minus_ms : float
        Time constants of the presynaptic and postsynaptic traces (ms).
    w_max : float
        Upper bound of the weight; the lower bound is 0.
    pairing : {"all", "nearest"}
        ``"all"``: a trace *adds* its jump at each spike, so every pair counts.
        ``"nearest"``: a trace is *reset* to its jump, so only the latest spike counts.
    update : {"additive", "multiplicative"}
        ``"additive"``: :math:`\\Delta w = +a_\\text{pre}` at a post spike and
        :math:`-a_\\text{post}` at a pre spike, then clipped to :math:`[0, w_\\max]`
        (hard bounds; Song et al. 2000). ``"multiplicative"``: the same changes scaled
        by :math:`(w_\\max - w)/w_\\max` and :math:`w/w_\\max` (soft bounds; van Rossum,
        Bi & Turrigiano 2000), which keep :math:`w` in :math:`[0, w_\\max]` by themselves
        as long as the traces stay below :math:`w_\\max`.
    bounded : bool
        Also clip to the hard bounds :math:`[0, w_\\max]` (with ``False`` and the
        additive update the weight is unbounded, as in the pair sums).
    """

    A_plus: float
    A_minus: float
    tau_plus_ms: float = 20.0
    tau_minus_ms: float = 20.0
    w_max: float = 1.0
    pairing: str = "all"
    update: str = "additive"
    bounded: bool = True

    def __post_init__(self) -> None:
        _stdp_params(self.A_plus, self.A_minus, self.tau_plus_ms, self.tau_minus_ms)
        positive_number(self.w_max, "w_max")
        if self.pairing not in _PAIRINGS:
            raise ValueError(f"pairing must be one of {_PAIRINGS}, got {self.pairing!r}")
        if self.update not in _UPDATES:
            raise ValueError(f"update must be one of {_UPDATES}, got {self.update!r}")


@dataclass(frozen=True, eq=False)
class STDPSynapseRun:
    """What :func:`stdp_synapse` returns.

    Attributes
    ----------
    t_ms : numpy.ndarray, shape (events,)
        Times of all spikes, pre and post, in order (a pre and a post spike at the same
        time: post first, then pre; neither sees the other's jump).
    w : numpy.ndarray, shape (events,)
        The weight just after each of those spikes.
    is_pre : numpy.ndarray of bool, shape (events,)
        Whether each spike was presynaptic.
    a_pre, a_post : numpy.ndarray, shape (events,)
        The two traces just after each spike.
    """

    t_ms: np.ndarray
    w: np.ndarray
    is_pre: np.ndarray
    a_pre: np.ndarray
    a_post: np.ndarray

    @property
    def w_final(self) -> float:
        """The weight after the last spike."""
        return float(self.w[-1]) if self.w.size else math.nan


def potentiate(w, a_pre, rule: STDPRule):
    """Weights ``w`` after a postsynaptic spike that reads the presynaptic trace ``a_pre``.

    Additive: :math:`w + a_\\text{pre}`; multiplicative: :math:`w + a_\\text{pre}(w_\\max - w)/w_\\max`;
    clipped at :math:`w_\\max` for a bounded rule.
    """
    if rule.update == "multiplicative":
        w = w + a_pre * (rule.w_max - w) / rule.w_max
    else:
        w = w + a_pre
    return np.minimum(w, rule.w_max) if rule.bounded else w


def depress(w, a_post, rule: STDPRule):
    """Weights ``w`` after a presynaptic spike that reads the postsynaptic trace ``a_post``.

    Additive: :math:`w - a_\\text{post}`; multiplicative: :math:`w - a_\\text{post}\\, w/w_\\max`;
    clipped at 0 for a bounded rule.
    """
    if rule.update == "multiplicative":
        w = w - a_post * w / rule.w_max
    else:
        w = w - a_post
    return np.maximum(w, 0.0) if rule.bounded else w


def _jumped(trace: float, jump: float, rule: STDPRule) -> float:
    """A trace after the jump of a spike (none when ``jump`` is 0): added, or reset for nearest pairing."""
    if jump == 0.0:
        return trace
    return trace + jump if rule.pairing == "all" else jump


def stdp_synapse(
    pre_times_ms: np.ndarray,
    post_times_ms: np.ndarray,
    rule: STDPRule,
    *,
    w0: float,
) -> STDPSynapseRun:
    """Pair-based STDP with traces on one synapse, event by event.

    Two traces decay between spikes and jump at their own neuron's spikes
    (Morrison, Diesmann & Gerstner 2008):

    .. math::
        \\tau_+ \\dot a_\\text{pre} = -a_\\text{pre}, \\qquad
        \\tau_- \\dot a_\\text{post} = -a_\\text{post},

    with :math:`a_\\text{pre} \\to a_\\text{pre} + A_+` (all-to-all) or
    :math:`a_\\text{pre} \\to A_+` (nearest) at each presynaptic spike, and likewise
    :math:`a_\\text{post}` with :math:`A_-` at each postsynaptic spike. At a
    postsynaptic spike the weight is potentiated by :math:`a_\\text{pre}`, at a
    presynaptic spike depressed by :math:`a_\\text{post}` (see :class:`STDPRule` for
    the additive and multiplicative forms and the bounds), *before* the spike's own
    trace jumps. The jumps of spikes at exactly the same time are applied only after
    all of that time's updates, so a pre and a post spike at the same time do not
    interact (:math:`W(0) = 0`). The traces are decayed exactly from spike to spike, so there is no
    time step. Unbounded additive all-to-all traces give exactly
    :func:`pair_stdp_weight_change`; unbounded nearest traces give
    :func:`nearest_pairs_weight_change`.

    Parameters
    ----------
    pre_times_ms, post_times_ms : array, shape (spikes,)
        Spike times in ms.
    rule : STDPRule
        The rule.
    w0 : float
        Initial weight.
    """
    if not isinstance(rule, STDPRule):
        raise TypeError(f"rule must be an STDPRule, got {type(rule).__name__}")
    pre = _train(pre_times_ms, "pre_times_ms")
    post = _train(post_times_ms, "post_times_ms")
    w = finite_number(w0, "w0")
    times = np.concatenate([post, pre])
    is_pre = np.concatenate([np.zeros(post.size, bool), np.ones(pre.size, bool)])
    order = np.lexsort((is_pre, times))  # by time; at equal times post before pre
    times, is_pre = times[order], is_pre[order]
    n = times.size
    w_out, a_pre_out, a_post_out = np.empty(n), np.empty(n), np.empty(n)
    a_pre = a_post = 0.0  # the traces just before the current time, without its jumps
    jump_pre = jump_post = 0.0  # jumps of the spikes at the current time, applied when time moves on
    last = -math.inf
    for k in range(n):
        t = times[k]
        if t != last:
            if last > -math.inf:
                a_pre = _jumped(a_pre, jump_pre, rule) * math.exp(-(t - last) / rule.tau_plus_ms)
                a_post = _jumped(a_post, jump_post, rule) * math.exp(-(t - last) / rule.tau_minus_ms)
            jump_pre = jump_post = 0.0
            last = t
        if is_pre[k]:
            w = float(depress(w, a_post, rule))
            jump_pre = rule.A_plus
        else:
            w = float(potentiate(w, a_pre, rule))
            jump_post = rule.A_minus
        w_out[k] = w
        a_pre_out[k] = _jumped(a_pre, jump_pre, rule)
        a_post_out[k] = _jumped(a_post, jump_post, rule)
    return STDPSynapseRun(t_ms=times, w=w_out, is_pre=is_pre, a_pre=a_pre_out, a_post=a_post_out)
