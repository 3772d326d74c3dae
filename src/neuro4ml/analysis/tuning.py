"""Tuning curves with confidence intervals, and the class selectivity index computed from them (week 6)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuro4ml.analysis.responses import responses, trial_labels
from neuro4ml.validation import as_generator, whole_number

__all__ = ["TuningCurves", "class_selectivity", "tuning_curves"]


@dataclass(frozen=True)
class TuningCurves:
    """Mean response of each unit in each condition, with a confidence interval.

    Attributes
    ----------
    conditions : numpy.ndarray, shape (conditions,)
        The distinct condition values, sorted.
    mean, low, high : numpy.ndarray, shape (conditions, units)
        Mean response and the bounds of its ``confidence`` interval (NaN for a condition
        with one trial under the t method).
    n_trials : numpy.ndarray of int, shape (conditions,)
        Trials per condition.
    confidence : float
        Coverage of the interval, e.g. 0.95.
    method : str
        ``"t"`` or ``"bootstrap"``.
    """

    conditions: np.ndarray
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n_trials: np.ndarray
    confidence: float
    method: str


def tuning_curves(
    activity: object,
    conditions: object,
    *,
    confidence: float = 0.95,
    method: str = "t",
    n_bootstrap: int = 1000,
    seed: int = 0,
) -> TuningCurves:
    r"""Each unit's mean response per condition, with a confidence interval on the mean.

    For condition :math:`c` with :math:`n_c` trials, the curve is the sample mean
    :math:`\bar r_c`. With ``method="t"`` the interval is
    :math:`\bar r_c \pm t_{n_c - 1,\,(1 + \gamma)/2}\; s_c / \sqrt{n_c}` (:math:`s_c` the
    sample standard deviation, :math:`\gamma` the ``confidence``), exact for Gaussian
    responses. With ``method="bootstrap"`` it is the percentile interval of the means of
    ``n_bootstrap`` resamples of the condition's trials with replacement (Efron &
    Tibshirani 1993), which assumes nothing about the distribution of responses.

    Parameters
    ----------
    activity : array, shape (trials, units) or (trials, time, units)
        Responses (a 3-d array is averaged over time: rates per time bin).
    conditions : array, shape (trials,)
        The condition of each trial (a class, a stimulus value).
    confidence : float
        Coverage of the interval, in (0, 1).
    method : {"t", "bootstrap"}
    n_bootstrap : int
        Resamples for the bootstrap.
    seed : int
        Seed of the bootstrap resamples.
    """
    r = responses(activity)
    labels = trial_labels(conditions, r.shape[0], "conditions")
    if not 0 < float(confidence) < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    if method not in ("t", "bootstrap"):
        raise ValueError(f"method must be 't' or 'bootstrap', got {method!r}")
    n_bootstrap = whole_number(n_bootstrap, "n_bootstrap")
    values, inverse = np.unique(labels, return_inverse=True)
    rng = as_generator(seed)
    mean, low, high = (np.empty((values.size, r.shape[1])) for _ in range(3))
    counts = np.bincount(inverse, minlength=values.size)
    tail = (1 - float(confidence)) / 2
    for c in range(values.size):
        group = r[inverse == c]
        mean[c] = group.mean(axis=0)
        if method == "t":
            if group.shape[0] < 2:
                low[c] = high[c] = np.nan
                continue
            from scipy import stats

            half = stats.t.ppf(1 - tail, group.shape[0] - 1) * group.std(axis=0, ddof=1) / np.sqrt(group.shape[0])
            low[c], high[c] = mean[c] - half, mean[c] + half
        else:
            resampled = group[rng.integers(0, group.shape[0], (n_bootstrap, group.shape[0]))].mean(axis=1)
            low[c], high[c] = np.quantile(resampled, [tail, 1 - tail], axis=0)
    return TuningCurves(values, mean, low, high, counts, float(confidence), method)


def class_selectivity(tuning: object) -> np.ndarray:
    r"""Class selectivity index of each unit (Morcos et al. 2018).

    .. math:: \mathrm{SI} = \frac{\mu_\text{max} - \mu_{-\text{max}}}{\mu_\text{max} + \mu_{-\text{max}}},

    with :math:`\mu_\text{max}` the largest class-conditional mean response and
    :math:`\mu_{-\text{max}}` the mean of the other classes' means. 0 means the same
    response to every class, 1 a response to one class only. Responses must be
    non-negative (spike counts, rates); a unit silent in every class gets 0.

    Parameters
    ----------
    tuning : array, shape (conditions, units), or a :class:`TuningCurves`
        Mean responses (``tuning_curves(...).mean``).

    Returns
    -------
    numpy.ndarray, shape (units,)
    """
    means = np.asarray(tuning.mean if isinstance(tuning, TuningCurves) else tuning, dtype=float)
    if means.ndim != 2 or means.shape[0] < 2:
        raise ValueError(f"tuning must be shaped (conditions, units) with at least 2 conditions, got shape {means.shape}")
    if np.any(means < 0) or not np.all(np.isfinite(means)):
        raise ValueError("the selectivity index needs finite, non-negative mean responses")
    best = means.max(axis=0)
    others = (means.sum(axis=0) - best) / (means.shape[0] - 1)
    total = best + others
    return np.divide(best - others, total, out=np.zeros_like(total), where=total > 0)
