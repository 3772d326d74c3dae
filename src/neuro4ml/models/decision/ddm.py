"""The drift-diffusion model (DDM) of two-alternative decisions.

A decision variable :math:`x` starts at ``start`` (0 by default) and integrates noisy
evidence,

.. math:: dx = A\\,dt + c\\,dW, \\qquad x(0) = x_0,

until it reaches one of two absorbing bounds, :math:`+z` (choice 1, "upper") or
:math:`-z` (choice 0, "lower"). :math:`A` is the drift (the mean rate of evidence),
:math:`c` the noise amplitude and :math:`z` the bound (Ratcliff 1978; Bogacz, Brown,
Moehlis, Holmes & Cohen 2006, who use the same symbols). The reaction time is the
decision time plus a non-decision time :math:`t_0` (sensory encoding and motor
output). Only the ratios :math:`A/c` and :math:`z/c` are identifiable from choices and
reaction times, so fits fix :math:`c = 1`.

Conventions shared by every function here:

* **Units.** Times are in seconds (``dt_s``, ``rt_s``, ``non_decision_s``), the unit
  of reaction-time data; drift is in units of :math:`x` per second and noise in units
  of :math:`x` per square-root second.
* **Choices** are integers: 1 for the upper bound, 0 for the lower, and -1 for a
  simulated trial that had not decided by ``max_time_s``.
* **Simulation** (:func:`simulate_ddm`) uses the Euler-Maruyama scheme,
  :math:`x_{k+1} = x_k + A\\,\\Delta t + c\\sqrt{\\Delta t}\\,\\xi_k` with
  :math:`\\xi_k \\sim \\mathcal N(0, 1)`, vectorised over trials (the Python loop
  runs over time steps). A trial stops at the first step ``k`` after which
  :math:`|x| \\ge z`, and its decision time is stamped :math:`(k + 1)\\Delta t`.
  Because the bound is only checked on the time grid, the simulated walk overshoots
  it: to first order this acts like a bound larger by :math:`0.5826\\,c\\sqrt{\\Delta t}`
  (Siegmund 1979's correction), so simulated decision times are slightly longer than
  the continuous-time formulas. The tests size ``dt_s`` so that this bias is below
  the Monte Carlo error.
* **Closed forms** (:func:`ddm_choice_probability`, :func:`ddm_accuracy`,
  :func:`ddm_mean_decision_time_s`) and the **density** (:func:`first_passage_density`)
  are exact for the continuous-time process.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral

import numpy as np
from scipy import optimize

from neuro4ml.validation import as_generator, finite_number, non_negative_number, positive_number

__all__ = [
    "DDMFit",
    "DDMTrials",
    "ddm_accuracy",
    "ddm_choice_probability",
    "ddm_log_likelihood",
    "ddm_mean_decision_time_s",
    "ddm_optimal_bound",
    "ddm_reward_rate",
    "ddm_rt_quantiles_s",
    "fit_ddm",
    "first_passage_density",
    "simulate_ddm",
]

#: Siegmund's constant: checking the bound only every dt overshoots it by about
#: this many standard deviations of one step, ``0.5826 * noise * sqrt(dt_s)``.
SIEGMUND_OVERSHOOT = 0.5826


def _start_inside(start: object, bound: float) -> float:
    start = finite_number(start, "start")
    if not -bound < start < bound:
        raise ValueError(f"start must lie strictly between the bounds -{bound:g} and {bound:g}, got {start:g}")
    return start


# ---------------------------------------------------------------------------
# Simulation
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DDMTrials:
    """Simulated trials of the drift-diffusion model.

    Attributes
    ----------
    choices : numpy.ndarray of int, shape (trials,)
        1 for the upper bound, 0 for the lower, -1 if undecided by ``max_time_s``.
    decision_times_s : numpy.ndarray of float, shape (trials,)
        Decision times in seconds (NaN for undecided trials). Add a non-decision
        time to obtain reaction times.
    dt_s : float
        The time step of the simulation.
    """

    choices: np.ndarray
    decision_times_s: np.ndarray
    dt_s: float

    @property
    def decided(self) -> np.ndarray:
        """Boolean mask of the trials that reached a bound."""
        return self.choices >= 0

    @property
    def p_upper(self) -> float:
        """Fraction of the decided trials that ended at the upper bound."""
        return float(np.mean(self.choices[self.decided] == 1))

    @property
    def mean_decision_time_s(self) -> float:
        """Mean decision time of the decided trials, in seconds."""
        return float(np.mean(self.decision_times_s[self.decided]))


def simulate_ddm(
    drift: float,
    bound: float,
    noise: float = 1.0,
    *,
    dt_s: float = 1e-3,
    n_trials: int = 1000,
    start: float = 0.0,
    max_time_s: float = 10.0,
    rng: np.random.Generator | int | None = None,
) -> DDMTrials:
    """Simulate trials of the drift-diffusion model with the Euler-Maruyama scheme.

    .. math:: x_{k+1} = x_k + A\\,\\Delta t + c\\sqrt{\\Delta t}\\,\\xi_k, \\quad x_0 = \\text{start},

    stopping each trial at the first step after which :math:`|x_{k+1}| \\ge z`
    (decision time :math:`(k+1)\\Delta t`, choice 1 if :math:`x_{k+1} \\ge z`). The
    loop runs over time steps; each step draws noise only for the trials still
    running. Reference: Bogacz et al. (2006), section 2.

    Parameters
    ----------
    drift : float
        :math:`A`, the mean rate of evidence (per second); positive favours choice 1.
    bound : float
        :math:`z > 0`; the bounds are at :math:`\\pm z`.
    noise : float
        :math:`c > 0`, the standard deviation of :math:`x` after one second without bounds.
    dt_s : float
        The time step in seconds.
    n_trials : int
        Number of independent trials.
    start : float
        :math:`x_0`, strictly between the bounds.
    max_time_s : float
        Trials still running at this time are returned undecided (choice -1, time NaN).
    rng : numpy.random.Generator, int or None
        The random generator or its seed.

    Returns
    -------
    DDMTrials
    """
    drift = finite_number(drift, "drift")
    bound = positive_number(bound, "bound")
    noise = positive_number(noise, "noise")
    dt_s = positive_number(dt_s, "dt_s")
    max_time_s = positive_number(max_time_s, "max_time_s")
    start = _start_inside(start, bound)
    if isinstance(n_trials, bool) or not isinstance(n_trials, Integral) or n_trials < 1:
        raise ValueError(f"n_trials must be a positive integer, got {n_trials!r}")
    rng = as_generator(rng)

    choices = np.full(n_trials, -1, dtype=np.int64)
    times = np.full(n_trials, np.nan)
    x = np.full(n_trials, start)
    running = np.arange(n_trials)
    step_mean = drift * dt_s
    step_sd = noise * math.sqrt(dt_s)
    n_steps = int(math.ceil(max_time_s / dt_s - 1e-9))
    for k in range(n_steps):
        x += step_mean + step_sd * rng.standard_normal(x.size)
        done = np.abs(x) >= bound
        if done.any():
            finished = running[done]
            choices[finished] = (x[done] >= bound).astype(np.int64)
            times[finished] = (k + 1) * dt_s
            keep = ~done
            running, x = running[keep], x[keep]
            if running.size == 0:
                break
    return DDMTrials(choices=choices, decision_times_s=times, dt_s=dt_s)


# ---------------------------------------------------------------------------
# Closed forms
# ---------------------------------------------------------------------------


def ddm_choice_probability(drift: float, bound: float, noise: float = 1.0, start: float = 0.0) -> float:
    """Probability that the DDM ends at the upper bound (choice 1).

    For drift :math:`A \\ne 0`, bounds :math:`\\pm z`, noise :math:`c` and start :math:`x_0`
    (the gambler's-ruin result for Brownian motion; Bogacz et al. 2006, appendix),

    .. math:: P(\\text{upper}) = \\frac{1 - e^{-2A(x_0 + z)/c^2}}{1 - e^{-4Az/c^2}},

    and :math:`(x_0 + z)/(2z)` for :math:`A = 0`. With :math:`x_0 = 0` this is
    :math:`1/(1 + e^{-2Az/c^2})`.
    """
    drift = finite_number(drift, "drift")
    bound = positive_number(bound, "bound")
    noise = positive_number(noise, "noise")
    start = _start_inside(start, bound)
    k = 2.0 * drift / noise**2
    if abs(k * bound) < 1e-12:
        return (start + bound) / (2.0 * bound)
    # expm1 keeps the ratio accurate for small drifts; with k > 0 both exponents are negative, so nothing overflows.
    if k > 0:
        return float(-np.expm1(-k * (start + bound)) / -np.expm1(-2.0 * k * bound))
    # For negative drift, use the mirror image: P(upper | A, x0) = 1 - P(upper | -A, -x0).
    return 1.0 - ddm_choice_probability(-drift, bound, noise, -start)


def ddm_accuracy(drift: float, bound: float, noise: float = 1.0) -> float:
    """Probability of the correct choice (the bound the drift points to), starting at 0.

    Bogacz et al. (2006), their equation for the error rate of the pure DDM:

    .. math:: \\text{ER} = \\frac{1}{1 + e^{2|A|z/c^2}}, \\qquad \\text{accuracy} = 1 - \\text{ER}.
    """
    drift = finite_number(drift, "drift")
    bound = positive_number(bound, "bound")
    noise = positive_number(noise, "noise")
    return float(1.0 / (1.0 + math.exp(-2.0 * abs(drift) * bound / noise**2)))


def ddm_mean_decision_time_s(drift: float, bound: float, noise: float = 1.0, start: float = 0.0) -> float:
    """Mean decision time of the DDM in seconds (both bounds together).

    Bogacz et al. (2006): for :math:`x_0 = 0`,

    .. math:: \\text{DT} = \\frac{z}{A}\\tanh\\!\\Big(\\frac{Az}{c^2}\\Big),

    and :math:`z^2/c^2` for :math:`A = 0`. For a general start the mean exit time of
    Brownian motion with drift from :math:`(-z, z)` is
    :math:`\\big(2z\\,P(\\text{upper}) - (x_0 + z)\\big)/A`, and
    :math:`(z^2 - x_0^2)/c^2` for :math:`A = 0`.
    """
    drift = finite_number(drift, "drift")
    bound = positive_number(bound, "bound")
    noise = positive_number(noise, "noise")
    start = _start_inside(start, bound)
    if abs(drift * bound / noise**2) < 1e-8:
        return (bound**2 - start**2) / noise**2
    if start == 0.0:
        return bound / drift * math.tanh(drift * bound / noise**2)
    p_upper = ddm_choice_probability(drift, bound, noise, start)
    return (2.0 * bound * p_upper - (start + bound)) / drift


def ddm_reward_rate(
    drift: float, bound: float, noise: float = 1.0, *, non_decision_s: float = 0.3, inter_trial_s: float = 1.0
) -> float:
    """Correct decisions per second when trials follow each other (Bogacz et al. 2006).

    .. math:: \\text{RR} = \\frac{1 - \\text{ER}}{\\text{DT} + t_0 + D},

    with the closed-form error rate ER and mean decision time DT at start 0, the
    non-decision time :math:`t_0` and the interval :math:`D` from a response to the
    next stimulus. A higher bound buys accuracy with time; the reward rate has a
    maximum at an intermediate bound.
    """
    non_decision_s = non_negative_number(non_decision_s, "non_decision_s")
    inter_trial_s = non_negative_number(inter_trial_s, "inter_trial_s")
    accuracy = ddm_accuracy(drift, bound, noise)
    return accuracy / (ddm_mean_decision_time_s(drift, bound, noise) + non_decision_s + inter_trial_s)


def ddm_optimal_bound(
    drift: float, noise: float = 1.0, *, non_decision_s: float = 0.3, inter_trial_s: float = 1.0
) -> float:
    """The bound that maximises :func:`ddm_reward_rate` (Bogacz et al. 2006).

    Found numerically with ``scipy.optimize.minimize_scalar`` (bounded, on
    :math:`0 < z \\le 20c^2/|A|`), which is independent of Bogacz et al.'s implicit
    equation for the optimum. Requires a nonzero drift: with no evidence the best bound
    is 0 (guess at once).
    """
    drift = finite_number(drift, "drift")
    noise = positive_number(noise, "noise")
    if drift == 0:
        raise ValueError("with drift 0 every bound gives chance accuracy; the reward rate is maximal at bound 0")
    upper = 20 * noise**2 / abs(drift)
    result = optimize.minimize_scalar(
        lambda z: -ddm_reward_rate(drift, z, noise, non_decision_s=non_decision_s, inter_trial_s=inter_trial_s),
        bounds=(1e-6, upper),
        method="bounded",
        options={"xatol": 1e-9},
    )
    return float(result.x)


# ---------------------------------------------------------------------------
# First-passage-time density and likelihood
# ---------------------------------------------------------------------------

_MAX_TERMS = 200


def _standard_density(u: np.ndarray, w: float, epsilon: float) -> np.ndarray:
    """Lower-bound density of driftless, unit-noise diffusion between 0 and 1, at time ``u > 0``.

    Navarro & Fuss (2009): the large-time series

    .. math:: f(u|0,1,w) = \\pi \\sum_{k=1}^\\infty k\\, e^{-k^2\\pi^2 u/2} \\sin(k\\pi w)

    and the small-time series

    .. math:: f(u|0,1,w) = (2\\pi u^3)^{-1/2} \\sum_{k=-\\infty}^{\\infty} (w + 2k)\\, e^{-(w+2k)^2/(2u)},

    each truncated at the number of terms that their bounds give for an absolute error
    ``epsilon``; each time uses the series that needs fewer terms.
    """
    out = np.zeros_like(u)
    # Number of terms for the large-time series (their eq. 13).
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.where(
            np.pi * u * epsilon < 1,
            np.sqrt(np.maximum(-2.0 * np.log(np.pi * u * epsilon) / (np.pi**2 * u), 0.0)),
            0.0,
        )
        kl = np.maximum(kl, 1.0 / (np.pi * np.sqrt(u)))
        # Number of terms for the small-time series (their eq. 16).
        arg = 2.0 * np.sqrt(2.0 * np.pi * u) * epsilon
        ks = np.where(arg < 1, 2.0 + np.sqrt(np.maximum(-2.0 * u * np.log(arg), 0.0)), 2.0)
        ks = np.maximum(ks, np.sqrt(u) + 1.0)
    small = ks < kl
    if small.any():
        us = u[small]
        n = int(min(math.ceil(float(ks[small].max())), _MAX_TERMS))
        k = np.arange(-((n - 1) // 2), (n - 1) // 2 + 2)  # symmetric range covering the bound
        wk = w + 2.0 * k[:, None]
        out[small] = np.sum(wk * np.exp(-(wk**2) / (2.0 * us)), axis=0) / np.sqrt(2.0 * np.pi * us**3)
    if (~small).any():
        ul = u[~small]
        n = int(min(math.ceil(float(kl[~small].max())), _MAX_TERMS))
        k = np.arange(1, n + 1)[:, None]
        out[~small] = np.pi * np.sum(k * np.exp(-(k**2) * np.pi**2 * ul / 2.0) * np.sin(k * np.pi * w), axis=0)
    return np.maximum(out, 0.0)


def first_passage_density(
    t_s: object,
    choice: int,
    drift: float,
    bound: float,
    noise: float = 1.0,
    start: float = 0.0,
    *,
    epsilon: float = 1e-10,
) -> np.ndarray:
    """Density of the decision time at which the DDM ends at one bound (a defective density).

    Integrated over time it gives the probability of that choice,
    :func:`ddm_choice_probability`. Navarro & Fuss (2009) give the density at the
    lower of two bounds 0 and :math:`a` for unit noise, drift :math:`v` and start
    :math:`wa`:

    .. math:: f(t \\mid v, a, w) = \\frac{1}{a^2}\\, e^{-vaw - v^2 t/2}\\, f\\!\\Big(\\frac{t}{a^2} \\,\\Big|\\, 0, 1, w\\Big),

    with the standard density :math:`f(u|0,1,w)` computed from whichever of their
    small- and large-time series needs fewer terms. Our model maps onto theirs with
    :math:`a = 2z/c`, :math:`v = A/c`, :math:`w = (x_0 + z)/(2z)`; the upper bound is the
    lower bound of the mirrored process (:math:`v \\to -v`, :math:`w \\to 1 - w`).

    Parameters
    ----------
    t_s : array_like
        Decision times in seconds (any shape); the density is 0 for ``t_s <= 0``.
    choice : int
        1 for the upper bound, 0 for the lower.
    drift, bound, noise, start : float
        As in :func:`simulate_ddm`.
    epsilon : float
        Absolute truncation error of the standard density's series.

    Returns
    -------
    numpy.ndarray
        The density in 1/s, same shape as ``t_s``.
    """
    drift = finite_number(drift, "drift")
    bound = positive_number(bound, "bound")
    noise = positive_number(noise, "noise")
    start = _start_inside(start, bound)
    if choice not in (0, 1):
        raise ValueError(f"choice must be 1 (upper bound) or 0 (lower bound), got {choice!r}")
    t = np.asarray(t_s, dtype=float)
    a = 2.0 * bound / noise
    v = drift / noise
    w = (start + bound) / (2.0 * bound)
    if choice == 1:
        v, w = -v, 1.0 - w
    out = np.zeros(t.shape)
    positive = t > 0
    if positive.any():
        tp = t[positive]
        out[positive] = (
            np.exp(-v * a * w - v**2 * tp / 2.0) / a**2 * _standard_density(tp / a**2, w, epsilon)
        )
    return out


def _as_choice_rt(choices: object, rt_s: object) -> tuple[np.ndarray, np.ndarray]:
    choices = np.asarray(choices)
    rt = np.asarray(rt_s, dtype=float)
    if choices.ndim != 1 or rt.shape != choices.shape:
        raise ValueError(f"choices and rt_s must be 1-D arrays of the same length, got shapes {choices.shape} and {rt.shape}")
    if not np.all(np.isin(choices, (0, 1))):
        raise ValueError("choices must be 1 (upper bound) or 0 (lower bound)")
    if not np.all(np.isfinite(rt)):
        raise ValueError("rt_s must be finite")
    return choices.astype(int), rt


def ddm_log_likelihood(
    choices: object,
    rt_s: object,
    drift: float,
    bound: float,
    non_decision_s: float,
    noise: float = 1.0,
    start: float = 0.0,
    *,
    per_trial: bool = False,
) -> float | np.ndarray:
    """Log-likelihood of (choice, reaction time) data under the DDM.

    .. math:: \\log L = \\sum_i \\log f\\big(\\text{RT}_i - t_0 \\mid \\text{choice}_i\\big),

    with :math:`f` from :func:`first_passage_density` at the bound of each trial's
    choice: correct and error responses both count, each with the density of its own
    bound. A reaction time shorter than the non-decision time :math:`t_0` has density
    0, so its log-likelihood is :math:`-\\infty`.

    Parameters
    ----------
    choices : array_like of int, shape (trials,)
        1 for the upper bound, 0 for the lower.
    rt_s : array_like, shape (trials,)
        Reaction times in seconds.
    drift, bound, noise, start : float
        As in :func:`simulate_ddm`.
    non_decision_s : float
        :math:`t_0` in seconds.
    per_trial : bool
        Return the per-trial log-likelihoods instead of their sum.
    """
    choices, rt = _as_choice_rt(choices, rt_s)
    non_decision_s = non_negative_number(non_decision_s, "non_decision_s")
    decision = rt - non_decision_s
    density = np.zeros(rt.shape)
    for c in (0, 1):
        mask = choices == c
        if mask.any():
            density[mask] = first_passage_density(decision[mask], c, drift, bound, noise, start)
    with np.errstate(divide="ignore"):
        logs = np.log(density)
    return logs if per_trial else float(np.sum(logs))


def ddm_rt_quantiles_s(
    quantiles: object,
    choice: int,
    drift: float,
    bound: float,
    non_decision_s: float,
    noise: float = 1.0,
    *,
    max_time_s: float | None = None,
    n_grid: int = 4000,
) -> np.ndarray:
    """Quantiles of the reaction time of one choice, :math:`t_0 +` quantiles of its decision time.

    The conditional distribution function of the decision time given the choice is the
    integral of :func:`first_passage_density` divided by the choice's probability; it is
    integrated with the trapezoid rule on ``n_grid`` points up to ``max_time_s``
    (default: 8 mean decision times plus :math:`4 z^2/c^2`, where the density is
    negligible) and inverted by linear interpolation. Used for quantile-probability
    plots (Ratcliff & McKoon 2008).
    """
    q = np.asarray(quantiles, dtype=float)
    if np.any((q <= 0) | (q >= 1)):
        raise ValueError("quantiles must lie strictly between 0 and 1")
    non_decision_s = non_negative_number(non_decision_s, "non_decision_s")
    if max_time_s is None:
        max_time_s = 8 * ddm_mean_decision_time_s(drift, bound, noise) + 4 * bound**2 / noise**2
    t = np.linspace(0.0, max_time_s, n_grid)
    f = first_passage_density(t, choice, drift, bound, noise)
    cdf = np.concatenate([[0.0], np.cumsum((f[1:] + f[:-1]) / 2 * np.diff(t))])
    cdf /= cdf[-1]
    return non_decision_s + np.interp(q, cdf, t)


# ---------------------------------------------------------------------------
# Fitting
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DDMFit:
    """A maximum-likelihood fit of the DDM (noise fixed to 1, start at 0).

    Attributes
    ----------
    drift, bound, non_decision_s : float
        The fitted parameters.
    log_likelihood : float
        The maximised log-likelihood (natural log, summed over trials).
    n_trials : int
        Number of trials fitted.
    """

    drift: float
    bound: float
    non_decision_s: float
    log_likelihood: float
    n_trials: int

    @property
    def params(self) -> dict[str, float]:
        """The parameters as keyword arguments of :func:`ddm_log_likelihood`."""
        return {"drift": self.drift, "bound": self.bound, "non_decision_s": self.non_decision_s}


def fit_ddm(choices: object, rt_s: object, *, noise: float = 1.0) -> DDMFit:
    """Fit drift, bound and non-decision time by maximum likelihood.

    Minimises :math:`-\\log L` of :func:`ddm_log_likelihood` with the Nelder-Mead
    simplex of ``scipy.optimize.minimize``, in unconstrained coordinates
    :math:`(A, \\log z, \\operatorname{logit}(t_0/\\min \\text{RT}))` so that the bound is
    positive and the non-decision time lies between 0 and the shortest reaction time.
    The start is the bound :math:`z = 0.7` with the drift that makes the closed-form
    accuracy equal the observed fraction of choice 1, and :math:`t_0` half the shortest
    reaction time; a second start from the best point guards against an early stop.
    """
    choices, rt = _as_choice_rt(choices, rt_s)
    noise = positive_number(noise, "noise")
    if rt.size < 3 or np.any(rt <= 0):
        raise ValueError("fit_ddm needs at least 3 trials with positive reaction times")
    min_rt = float(rt.min())

    def unpack(theta: np.ndarray) -> tuple[float, float, float]:
        return float(theta[0]), float(math.exp(theta[1])), min_rt / (1.0 + math.exp(-theta[2]))

    def loss(theta: np.ndarray) -> float:
        if not np.all(np.abs(theta[1:]) < 30):
            return np.inf
        drift, bound, t0 = unpack(theta)
        value = -ddm_log_likelihood(choices, rt, drift, bound, t0, noise)
        return value if np.isfinite(value) else 1e300

    p1 = float(np.clip(np.mean(choices == 1), 0.02, 0.98))
    bound0 = 0.7 * noise
    drift0 = math.log(p1 / (1 - p1)) * noise**2 / (2 * bound0)
    theta = np.array([drift0, math.log(bound0), 0.0])
    options = {"xatol": 1e-5, "fatol": 1e-6, "maxiter": 4000}
    for _ in range(2):
        result = optimize.minimize(loss, theta, method="Nelder-Mead", options=options)
        theta = result.x
    drift, bound, t0 = unpack(theta)
    return DDMFit(drift, bound, t0, -float(result.fun), int(rt.size))
