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
bounds. The sign convention throughout is :math:`\\Delta t = t_\\text{post} -
t_\\text{pre}`: positive (pre before post) potentiates, negative depresses, and a pair
at exactly the same time changes nothing.

:func:`stdp_neuron` simulates many Poisson (or any) inputs onto one conductance-based
leaky integrate-and-fire neuron with STDP at every input synapse, as in Song, Miller &
Abbott (2000). It is *event driven* where the model allows: the weights and traces
change only at spikes, so they are updated per spike and never per time step, and the
membrane is advanced a block of time steps at a time with closed-form linear
recurrences (see :func:`stdp_neuron` for the details and why this is exact on the grid).

:func:`temporal_difference_learning` is the reward-prediction-error rule of
reinforcement learning, for the comparison with dopamine on the types-of-learning page.

**Inputs for the classic experiments** are made from :func:`neuro4ml.models.spikes.poisson_spike_train`:
:func:`correlated_group_inputs` (groups of equally correlated trains),
:func:`hidden_pattern_inputs` (a frozen pattern repeated at random times) and
:func:`sequence_inputs` (one sequence, repeated); :func:`first_spike_latencies_ms`,
:func:`group_mean_weights` and :func:`weight_statistics` measure the results.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral

import numpy as np
from scipy.signal import lfilter

from neuro4ml.validation import (
    as_generator,
    finite_number,
    non_negative_number,
    number_of_steps,
    positive_number,
    probability,
    spike_train,
)
from neuro4ml.models.spikes import poisson_spike_train

__all__ = [
    "SONG_2000_BRIAN",
    "ConductanceLIF",
    "RateRuleRun",
    "STDPNeuronRun",
    "STDPRule",
    "STDPSynapseRun",
    "TDRun",
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
    "temporal_difference_learning",
    "weight_statistics",
]


# ---------------------------------------------------------------------------
# Rate-based rules
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RateRuleRun:
    """What a rate rule returns.

    Attributes
    ----------
    w : numpy.ndarray, shape (samples + 1, inputs)
        ``w[n]`` is the weight vector before sample ``n``; ``w[-1]`` after the last one.
    y : numpy.ndarray, shape (samples,)
        The output :math:`y_n = \\mathbf w_n \\cdot \\mathbf x_n` for each sample.
    theta : numpy.ndarray, shape (samples + 1,) or None
        The BCM sliding threshold before each sample (``None`` for the other rules).
    """

    w: np.ndarray
    y: np.ndarray
    theta: np.ndarray | None = None


def _rate_inputs(x: object, w0: object) -> tuple[np.ndarray, np.ndarray]:
    """Check the inputs ``(samples, inputs)`` and the initial weights ``(inputs,)``."""
    try:
        x = np.asarray(x, dtype=float)
        w0 = np.asarray(w0, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError("x and w0 must be arrays of numbers") from error
    if x.ndim != 2:
        raise ValueError(f"x must be shaped (samples, inputs), got shape {x.shape}")
    if w0.shape != (x.shape[1],):
        raise ValueError(f"w0 must be shaped ({x.shape[1]},) to match x's inputs, got shape {w0.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(w0))):
        raise ValueError("x and w0 must be finite (no NaN or inf)")
    return x, w0


def _run_rate_rule(x, w0, eta, delta) -> RateRuleRun:
    """Iterate ``w <- w + eta * delta(x_n, y_n, w)`` over the samples, vectorised over inputs."""
    x, w0 = _rate_inputs(x, w0)
    eta = positive_number(eta, "eta")
    w = np.empty((x.shape[0] + 1, x.shape[1]))
    y = np.empty(x.shape[0])
    w[0] = w0
    for n, xn in enumerate(x):
        y[n] = w[n] @ xn
        w[n + 1] = w[n] + eta * delta(xn, y[n], w[n])
    return RateRuleRun(w=w, y=y)


def hebb(x: np.ndarray, w0: np.ndarray, *, eta: float) -> RateRuleRun:
    """Plain Hebbian learning: :math:`\\Delta \\mathbf w = \\eta\\, y\\, \\mathbf x`, :math:`y = \\mathbf w\\cdot\\mathbf x`.

    "Cells that fire together wire together" (Hebb 1949, *The Organization of
    Behavior*). Averaged over zero-mean inputs with covariance :math:`C`, the rule is
    :math:`\\dot{\\mathbf w} = \\eta C \\mathbf w`, so the weights grow without bound
    along the leading eigenvector of :math:`C` (Dayan & Abbott 2001, section 8.2).

    Parameters
    ----------
    x : array, shape (samples, inputs)
        Input vectors, one per learning step.
    w0 : array, shape (inputs,)
        Initial weights.
    eta : float
        Learning rate (> 0).
    """
    return _run_rate_rule(x, w0, eta, lambda xn, yn, wn: yn * xn)


def oja(x: np.ndarray, w0: np.ndarray, *, eta: float) -> RateRuleRun:
    """Oja's rule: :math:`\\Delta \\mathbf w = \\eta\\, y\\,(\\mathbf x - y\\,\\mathbf w)`.

    The Hebbian term plus a decay proportional to :math:`y^2` keeps the norm bounded.
    For zero-mean inputs with covariance :math:`C` and a small learning rate, the
    weights converge to the unit-norm leading eigenvector of :math:`C`, so the neuron
    extracts the first principal component (Oja 1982, "A simplified neuron model as a
    principal component analyzer", J Math Biol 15:267-273).

    Parameters are those of :func:`hebb`.
    """
    return _run_rate_rule(x, w0, eta, lambda xn, yn, wn: yn * (xn - yn * wn))


def covariance_rule(
    x: np.ndarray,
    w0: np.ndarray,
    *,
    eta: float,
    x_mean: np.ndarray | None = None,
    y_mean: float | None = None,
) -> RateRuleRun:
    """Covariance rule: :math:`\\Delta \\mathbf w = \\eta\\,(y - \\bar y)(\\mathbf x - \\bar{\\mathbf x})`.

    Weights grow when pre- and postsynaptic activity are above their means together and
    shrink when one is above and the other below, so (unlike plain Hebb with positive
    rates) the rule can depress (Sejnowski 1977, "Storing covariance with nonlinearly
    interacting neurons", J Math Biol 4:303-321). Averaged over inputs it gives
    :math:`\\dot{\\mathbf w} = \\eta\\, C \\mathbf w` with the *covariance* :math:`C`, not
    the correlation matrix.

    Parameters
    ----------
    x, w0, eta
        As in :func:`hebb`.
    x_mean : array, shape (inputs,), optional
        The mean input :math:`\\bar{\\mathbf x}`; by default the mean of ``x``.
    y_mean : float, optional
        The mean output :math:`\\bar y`; by default :math:`\\mathbf w\\cdot\\bar{\\mathbf x}`,
        the mean output for the current weights.
    """
    x_arr, _ = _rate_inputs(x, w0)
    x_bar = x_arr.mean(axis=0) if x_mean is None else np.asarray(x_mean, dtype=float)
    if x_bar.shape != (x_arr.shape[1],):
        raise ValueError(f"x_mean must be shaped ({x_arr.shape[1]},), got {x_bar.shape}")
    fixed_y = None if y_mean is None else finite_number(y_mean, "y_mean")

    def delta(xn, yn, wn):
        y_bar = wn @ x_bar if fixed_y is None else fixed_y
        return (yn - y_bar) * (xn - x_bar)

    return _run_rate_rule(x_arr, w0, eta, delta)


def bcm(
    x: np.ndarray,
    w0: np.ndarray,
    *,
    eta: float,
    tau_theta: float,
    theta0: float = 0.0,
    rectify: bool = True,
) -> RateRuleRun:
    """BCM rule with a sliding threshold (Bienenstock, Cooper & Munro 1982).

    .. math::
        \\Delta \\mathbf w = \\eta\\, y\\,(y - \\theta)\\,\\mathbf x, \\qquad
        \\theta \\leftarrow \\theta + \\frac{1}{\\tau_\\theta}(y^2 - \\theta),

    so :math:`\\theta` tracks the running mean of :math:`y^2` over about
    :math:`\\tau_\\theta` samples. Activity above :math:`\\theta` potentiates the active
    inputs and activity below depresses them; because :math:`\\theta` grows faster than
    :math:`y` (quadratically), the stable states respond strongly to one input pattern
    and weakly to the others: the neuron becomes *selective* ("Theory for the development
    of neuron selectivity", J Neurosci 2:32-48; the form with :math:`\\theta =
    \\langle y^2\\rangle` is that of Intrator & Cooper 1992, see Dayan & Abbott 2001,
    section 8.2). ``theta`` here is updated with the output of the current sample,
    after the weights.

    Parameters
    ----------
    x, w0, eta
        As in :func:`hebb`.
    tau_theta : float
        Time constant of the threshold, in samples (>= 1). It must be short compared
        with the time scale of the weights, :math:`1/\\eta`, for the rule to be stable.
    theta0 : float
        Initial threshold (>= 0).
    rectify : bool
        Use :math:`y = \\max(\\mathbf w\\cdot\\mathbf x, 0)` (a firing rate cannot be
        negative). The default.
    """
    x, w = _rate_inputs(x, w0)
    eta = positive_number(eta, "eta")
    tau_theta = positive_number(tau_theta, "tau_theta")
    if tau_theta < 1:
        raise ValueError(f"tau_theta is in samples and must be >= 1, got {tau_theta}")
    theta = non_negative_number(theta0, "theta0")
    ws = np.empty((x.shape[0] + 1, x.shape[1]))
    thetas = np.empty(x.shape[0] + 1)
    y = np.empty(x.shape[0])
    ws[0], thetas[0] = w, theta
    for n, xn in enumerate(x):
        yn = ws[n] @ xn
        if rectify:
            yn = max(yn, 0.0)
        y[n] = yn
        ws[n + 1] = ws[n] + eta * yn * (yn - thetas[n]) * xn
        thetas[n + 1] = thetas[n] + (yn * yn - thetas[n]) / tau_theta
    return RateRuleRun(w=ws, y=y, theta=thetas)


@dataclass(frozen=True, eq=False)
class TDRun:
    """What :func:`temporal_difference_learning` returns.

    Attributes
    ----------
    errors : numpy.ndarray, shape (trials, steps)
        The prediction error :math:`\\delta_t` at each step of each trial.
    values : numpy.ndarray, shape (trials + 1, steps + 1)
        The value of each step before each trial (``values[-1]``: after the last one).
    """

    errors: np.ndarray
    values: np.ndarray


def temporal_difference_learning(
    rewards: np.ndarray, *, n_trials: int, cue_step: int, alpha: float, gamma: float = 1.0
) -> TDRun:
    """TD(0) learning of the value of each time step of a repeated trial.

    Each trial has ``len(rewards)`` steps with reward ``rewards[t]`` at step ``t``. A cue
    at ``cue_step`` starts the predictable part of the trial: before it the animal cannot
    know that a trial has begun, so those steps have value 0 and are not learned. At each
    step the prediction error and update are

    .. math:: \\delta_t = r_t + \\gamma V(t + 1) - V(t), \\qquad V(t) \\leftarrow V(t) + \\alpha\\,\\delta_t
              \\quad (t \\ge \\text{cue}),

    with :math:`V = 0` after the last step (Sutton 1988; Sutton & Barto 2018, chapter 6).
    The values converge to the discounted reward still to come,
    :math:`V(t) = \\sum_{k \\ge t} \\gamma^{k-t} r_k` for :math:`t \\ge` cue, so the error
    moves from the reward to the cue, as in the dopamine recordings of Schultz, Dayan &
    Montague (1997). Since :math:`V = 0` before the cue, the learned error sits at
    ``errors[:, cue_step - 1]``, the transition into the cue (for ``cue_step >= 1``).
    """
    rewards = np.asarray(rewards, dtype=float)
    if rewards.ndim != 1 or rewards.size == 0 or not np.all(np.isfinite(rewards)):
        raise ValueError("rewards must be a non-empty 1-D array of finite numbers, one per step")
    n_trials = _whole_number(n_trials, "n_trials")
    if isinstance(cue_step, bool) or not isinstance(cue_step, Integral) or not 0 <= cue_step < rewards.size:
        raise ValueError(f"cue_step must be a step index in [0, {rewards.size}), got {cue_step!r}")
    alpha = positive_number(alpha, "alpha")
    gamma = non_negative_number(gamma, "gamma")
    n_steps = rewards.size
    value = np.zeros(n_steps + 1)
    values = np.empty((n_trials + 1, n_steps + 1))
    errors = np.empty((n_trials, n_steps))
    learned = np.arange(n_steps + 1) >= cue_step
    for trial in range(n_trials):
        values[trial] = value
        for t in range(n_steps):
            delta = rewards[t] + gamma * value[t + 1] * learned[t + 1] - value[t] * learned[t]
            errors[trial, t] = delta
            if learned[t]:
                value[t] += alpha * delta
    values[-1] = value
    return TDRun(errors=errors, values=values)


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


def _potentiate(w, a_pre, rule: STDPRule):
    if rule.update == "multiplicative":
        w = w + a_pre * (rule.w_max - w) / rule.w_max
    else:
        w = w + a_pre
    return np.minimum(w, rule.w_max) if rule.bounded else w


def _depress(w, a_post, rule: STDPRule):
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
            w = float(_depress(w, a_post, rule))
            jump_pre = rule.A_plus
        else:
            w = float(_potentiate(w, a_pre, rule))
            jump_post = rule.A_minus
        w_out[k] = w
        a_pre_out[k] = _jumped(a_pre, jump_pre, rule)
        a_post_out[k] = _jumped(a_post, jump_post, rule)
    return STDPSynapseRun(t_ms=times, w=w_out, is_pre=is_pre, a_pre=a_pre_out, a_post=a_post_out)


# ---------------------------------------------------------------------------
# Many inputs onto one LIF neuron with STDP, event driven
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConductanceLIF:
    """A leaky integrate-and-fire neuron with excitatory conductance synapses (mV, ms).

    .. math::
        \\tau_m \\frac{dV}{dt} = (E_L - V) + g\\,(E_e - V), \\qquad
        \\tau_e \\frac{dg}{dt} = -g, \\qquad g \\to g + w_i \\text{ at a spike of input } i,

    with :math:`g` in units of the leak conductance; a spike when :math:`V >
    V_\\text{th}`, then :math:`V \\to V_\\text{reset}`.
    """

    tau_m_ms: float = 10.0
    E_leak_mV: float = -74.0
    E_exc_mV: float = 0.0
    v_threshold_mV: float = -54.0
    v_reset_mV: float = -60.0
    tau_e_ms: float = 5.0

    def __post_init__(self) -> None:
        positive_number(self.tau_m_ms, "tau_m_ms")
        positive_number(self.tau_e_ms, "tau_e_ms")
        for name in ("E_leak_mV", "E_exc_mV", "v_threshold_mV", "v_reset_mV"):
            finite_number(getattr(self, name), name)
        if self.v_threshold_mV <= self.v_reset_mV:
            raise ValueError("v_threshold_mV must be above v_reset_mV")


#: The network of Brian2's example "Song, Miller & Abbott 2000" (brian2 docs,
#: examples/synapses/STDP.py; Stimberg, Brette & Goodman 2019): 1000 Poisson inputs at
#: 15 Hz, g_max = 0.01, A_+ = 0.01 g_max, A_- tau_- = 1.05 A_+ tau_+, tau_+- = 20 ms.
#: Song et al. (2000) themselves used tau_m = 20 ms, -70 mV rest and g_max = 0.015;
#: the example's simpler numbers are used so the results can be compared with it.
SONG_2000_BRIAN = {
    "n_inputs": 1000,
    "rate_hz": 15.0,
    "neuron": ConductanceLIF(),
    "rule": STDPRule(A_plus=0.01 * 0.01, A_minus=0.01 * 0.01 * 1.05, tau_plus_ms=20.0,
                     tau_minus_ms=20.0, w_max=0.01),
}


@dataclass(frozen=True, eq=False)
class STDPNeuronRun:
    """What :func:`stdp_neuron` returns.

    Attributes
    ----------
    post_spike_times_ms : numpy.ndarray, shape (spikes,)
        The output neuron's spike times (ms).
    w : numpy.ndarray, shape (inputs,)
        The weights at the end.
    record_t_ms : numpy.ndarray, shape (records,)
        Times at which the weights were recorded (multiples of ``record_every_ms``).
    record_w : numpy.ndarray, shape (records, inputs)
        The weights at those times.
    duration_ms : float
        Length of the simulation.
    """

    post_spike_times_ms: np.ndarray
    w: np.ndarray
    record_t_ms: np.ndarray
    record_w: np.ndarray
    duration_ms: float

    def rate_hz(self, start_ms: float = 0.0, stop_ms: float | None = None) -> float:
        """The output firing rate in ``[start_ms, stop_ms)`` (default: the whole run), in Hz."""
        stop_ms = self.duration_ms if stop_ms is None else stop_ms
        t = self.post_spike_times_ms
        return float(np.sum((t >= start_ms) & (t < stop_ms))) * 1000.0 / (stop_ms - start_ms)


def _input_events(inputs: object, duration_ms: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Spike trains (a list, one per input) as time-sorted ``(times_ms, input_index)``."""
    if isinstance(inputs, np.ndarray) and inputs.ndim == 1:
        raise ValueError("inputs must be a list of spike trains (one array per input), not one train")
    try:
        trains = [np.asarray(train, dtype=float).ravel() for train in inputs]
    except (TypeError, ValueError) as error:
        raise TypeError("inputs must be a list of 1-D arrays of spike times in ms") from error
    if not trains:
        raise ValueError("inputs must hold at least one spike train")
    times = np.concatenate(trains) if trains else np.empty(0)
    index = np.repeat(np.arange(len(trains)), [t.size for t in trains])
    if not np.all(np.isfinite(times)):
        raise ValueError("inputs contain NaN or infinite spike times")
    keep = (times >= 0) & (times < duration_ms)
    times, index = times[keep], index[keep]
    order = np.argsort(times, kind="stable")
    return times[order], index[order], len(trains)


def _grouped_cumsum(values: np.ndarray, groups_sorted: np.ndarray) -> np.ndarray:
    """Inclusive cumulative sum of ``values`` within runs of equal ``groups_sorted``."""
    total = np.cumsum(values)
    starts = np.flatnonzero(np.r_[True, groups_sorted[1:] != groups_sorted[:-1]])
    offset = np.repeat(total[starts] - values[starts], np.diff(np.r_[starts, values.size]))
    return total - offset


def stdp_neuron(
    inputs: Sequence[np.ndarray],
    duration_ms: float,
    *,
    w0: float | np.ndarray,
    rule: STDPRule,
    neuron: ConductanceLIF = ConductanceLIF(),
    dt_ms: float = 0.1,
    v0_mV: float | None = None,
    record_every_ms: float | None = None,
    block_ms: float = 20.0,
) -> STDPNeuronRun:
    """Many inputs onto one conductance-based LIF neuron with STDP at every synapse.

    The model is that of Song, Miller & Abbott (2000) as written in Brian2's example
    (see :data:`SONG_2000_BRIAN` and :class:`ConductanceLIF`): input spike ``i`` adds
    :math:`w_i` to :math:`g`, each synapse follows :class:`STDPRule`, depressed at
    its input's spikes and potentiated at the output's spikes.

    **Time grid and order.** Step :math:`k` runs from :math:`k\\,\\Delta t` to
    :math:`(k+1)\\Delta t`. The membrane is advanced with :math:`g` held at its value at
    the start of the step by the exact (exponential Euler) step of
    :func:`neuro4ml.models.synapses.conductance_step`, and :math:`g` decays exactly. An
    input spike at time :math:`t` in step :math:`k` adds to :math:`g` at the end of
    the step; the output spikes when :math:`V > V_\\text{th}` at the end of a step and
    is stamped :math:`(k+1)\\Delta t`, like the library's other neurons. The STDP
    traces use the exact input spike times, so an input spike in the step of an output
    spike counts as "pre before post".

    **Event driven.** Between two output spikes the postsynaptic trace is known in
    closed form, so every input spike's depression, and hence the weight it transmits,
    can be computed for a whole block of input spikes at once (a cumulative sum per
    synapse, clipped at 0, or a cumulative product for the multiplicative rule). The
    conductance is then a linear filter of those weights, and the membrane a linear
    recurrence :math:`V_{k+1} = a_k V_k + b_k`, solved for the block with cumulative
    sums. The first threshold crossing in the block ends it: the output spike
    potentiates all synapses by their presynaptic traces (evaluated in closed form at
    the spike), and the next block starts just after it. So the weights are touched
    only at spikes, never per time step, and the result is the same as a step-by-step
    simulation with the same order of updates (tested).

    Parameters
    ----------
    inputs : list of arrays
        One spike train (times in ms) per input, e.g. from
        :func:`neuro4ml.models.spikes.poisson_spike_train`.
    duration_ms : float
        Length of the simulation (ms); a multiple of ``dt_ms``.
    w0 : float or array, shape (inputs,)
        Initial weights (units of the leak conductance).
    rule : STDPRule
        The plasticity rule; ``A_plus = A_minus = 0`` gives fixed weights.
    neuron : ConductanceLIF
        The output neuron.
    dt_ms : float
        Time step of the membrane (ms).
    v0_mV : float, optional
        Initial membrane potential (default: the leak reversal).
    record_every_ms : float, optional
        Record all weights every this many ms (a multiple of ``dt_ms``); by default
        only the final weights.
    block_ms : float
        Length of the blocks the membrane is solved in. Any value gives the same result
        (within rounding); 20 ms was fastest for the Song network.

    Returns
    -------
    STDPNeuronRun
    """
    if not isinstance(rule, STDPRule):
        raise TypeError(f"rule must be an STDPRule, got {type(rule).__name__}")
    if not isinstance(neuron, ConductanceLIF):
        raise TypeError(f"neuron must be a ConductanceLIF, got {type(neuron).__name__}")
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    n_steps = number_of_steps(duration_ms, dt_ms, "dt_ms")
    times, index, n_inputs = _input_events(inputs, duration_ms)
    w = np.array(np.broadcast_to(np.asarray(w0, dtype=float), (n_inputs,)))
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("w0 must be finite and >= 0")
    block = max(1, int(round(positive_number(block_ms, "block_ms") / dt_ms)))
    record_step = None
    if record_every_ms is not None:
        record_step = number_of_steps(positive_number(record_every_ms, "record_every_ms"), dt_ms, "dt_ms")

    steps_of_events = np.floor(np.round(times / dt_ms, 9)).astype(np.int64)
    event_start = np.searchsorted(steps_of_events, np.arange(n_steps + 1), side="left")
    g_decay = math.exp(-dt_ms / neuron.tau_e_ms)
    k_m = dt_ms / neuron.tau_m_ms
    E_L, E_e, v_th, v_r = neuron.E_leak_mV, neuron.E_exc_mV, neuron.v_threshold_mV, neuron.v_reset_mV
    all_pairs = rule.pairing == "all"
    multiplicative = rule.update == "multiplicative"
    clip = rule.bounded

    # State. Traces are stored in closed form: a_pre_i(t) = pre_ref_i exp(-(t - pre_t_i)/tau+).
    v = E_L if v0_mV is None else finite_number(v0_mV, "v0_mV")
    g = 0.0
    pre_ref = np.zeros(n_inputs)
    pre_t = np.zeros(n_inputs)
    post_ref, post_t = 0.0, 0.0
    posts: list[float] = []
    rec_t: list[float] = []
    rec_w: list[np.ndarray] = []
    if record_step is not None:
        rec_t.append(0.0)
        rec_w.append(w.copy())
    s = 0
    while s < n_steps:
        stop = min(s + block, n_steps)
        if record_step is not None:
            stop = min(stop, (s // record_step + 1) * record_step)
        m_steps = stop - s
        e0, e1 = event_start[s], event_start[stop]
        ev_t, ev_i, ev_k = times[e0:e1], index[e0:e1], steps_of_events[e0:e1] - s

        # Weights carried by each input spike (before its own depression), and after it.
        if e1 > e0:
            depression = post_ref * np.exp(-(ev_t - post_t) / rule.tau_minus_ms)
            order = np.argsort(ev_i, kind="stable")
            ids = ev_i[order]
            if multiplicative:
                with np.errstate(divide="ignore"):
                    log_factor = np.log(np.clip(1.0 - depression[order] / rule.w_max, 0.0, None))
                after_sorted = w[ids] * np.exp(_grouped_cumsum(log_factor, ids))
                first = np.r_[True, ids[1:] != ids[:-1]]
                before_sorted = np.where(first, w[ids], np.roll(after_sorted, 1))
            else:
                total = _grouped_cumsum(depression[order], ids)
                after_sorted = w[ids] - total
                before_sorted = after_sorted + depression[order]
                if clip:
                    after_sorted = np.maximum(after_sorted, 0.0)
                    before_sorted = np.maximum(before_sorted, 0.0)
            carried = np.empty_like(before_sorted)
            carried[order] = before_sorted
            after = np.empty_like(after_sorted)
            after[order] = after_sorted
            drive = np.bincount(ev_k, weights=carried, minlength=m_steps)
        else:
            drive = np.zeros(m_steps)

        # g at the start of each step of the block, then V by the linear recurrence.
        filtered = lfilter([1.0], [1.0, -g_decay], drive)  # sum_j<=m decay^(m-j) drive_j
        powers = g_decay ** np.arange(m_steps + 1)
        g_start = np.empty(m_steps + 1)
        g_start[0] = g
        g_start[1:] = powers[1:] * g + filtered
        gk = g_start[:-1]
        log_a = -k_m * (1.0 + gk)
        a = np.exp(log_a)
        b = (1.0 - a) * (E_L + gk * E_e) / (1.0 + gk)
        cum = np.cumsum(log_a)
        # V_{m+1} = exp(cum_m) (V_0 + sum_{j<=m} b_j exp(-cum_j))
        v_end = np.exp(cum) * (v + np.cumsum(b * np.exp(-cum)))
        crossed = np.flatnonzero(v_end > v_th)

        if crossed.size == 0:
            n_done = m_steps
        else:
            n_done = int(crossed[0]) + 1
        # Accept the input spikes of the steps done.
        accepted = ev_k < n_done if e1 > e0 else np.zeros(0, bool)
        if e1 > e0 and accepted.any():
            acc_i, acc_t = ev_i[accepted], ev_t[accepted]
            w[acc_i] = after[accepted]  # in time order, so the last spike of each input wins
            t_ref = (s + n_done) * dt_ms
            if all_pairs:
                pre_ref = pre_ref * np.exp(-(t_ref - pre_t) / rule.tau_plus_ms)
                pre_ref += np.bincount(acc_i, weights=rule.A_plus * np.exp(-(t_ref - acc_t) / rule.tau_plus_ms),
                                       minlength=n_inputs)
                pre_t[:] = t_ref
            else:
                pre_ref[acc_i] = rule.A_plus
                pre_t[acc_i] = acc_t
        g = float(g_start[n_done])
        s += n_done
        if crossed.size == 0:
            v = float(v_end[-1])
        else:
            t_post = s * dt_ms
            posts.append(t_post)
            v = v_r
            a_pre = pre_ref * np.exp(-(t_post - pre_t) / rule.tau_plus_ms)
            w = _potentiate(w, a_pre, rule)
            decayed = post_ref * math.exp(-(t_post - post_t) / rule.tau_minus_ms)
            post_ref = decayed + rule.A_minus if all_pairs else rule.A_minus
            post_t = t_post
        if record_step is not None and s % record_step == 0:
            rec_t.append(s * dt_ms)
            rec_w.append(w.copy())
    return STDPNeuronRun(
        post_spike_times_ms=np.asarray(posts),
        w=w,
        record_t_ms=np.asarray(rec_t),
        record_w=np.asarray(rec_w).reshape(len(rec_w), n_inputs),
        duration_ms=duration_ms,
    )


# ---------------------------------------------------------------------------
# Inputs for the classic STDP experiments
# ---------------------------------------------------------------------------


def _whole_number(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    return int(value)


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
    _whole_number(group_size, "group_size")
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
    _whole_number(n_inputs, "n_inputs")
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
    _whole_number(n_inputs, "n_inputs")
    _whole_number(n_presentations, "n_presentations")
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
    spikes = _train(spike_times_ms, "spike_times_ms")
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
