"""Optimal combination of noisy cues (maximum-likelihood integration).

Two senses (say vision and touch) each give an unbiased, Gaussian estimate
:math:`\\hat s_i` of the same property :math:`s`, with standard deviation
:math:`\\sigma_i`. The maximum-likelihood (and, with a flat prior, the posterior-mean)
estimate is the reliability-weighted average

.. math:: \\hat s = \\sum_i w_i \\hat s_i, \\qquad w_i = \\frac{1/\\sigma_i^2}{\\sum_j 1/\\sigma_j^2},
          \\qquad \\sigma^2 = \\Big(\\sum_j 1/\\sigma_j^2\\Big)^{-1},

whose variance is never larger than that of the best single cue. Ernst & Banks (2002)
showed that people combine visual and haptic estimates of an object's height in
this way, re-weighting the cues when the visual noise changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from neuro4ml.validation import as_generator, finite_number

__all__ = ["CueCombination", "combine_cues", "discrimination_probability", "simulate_cue_combination"]


def _sigmas(sigmas: object) -> np.ndarray:
    sigmas = np.asarray(sigmas, dtype=float)
    if sigmas.ndim != 1 or sigmas.size < 1 or not np.all(np.isfinite(sigmas)) or np.any(sigmas <= 0):
        raise ValueError(f"sigmas must be a 1-D array of positive finite standard deviations, got {sigmas!r}")
    return sigmas


def combine_cues(estimates: object, sigmas: object) -> tuple[np.ndarray, np.ndarray, float]:
    """The maximum-likelihood combination of cues.

    Parameters
    ----------
    estimates : array_like, shape (..., cues)
        Single-cue estimates (any leading shape, e.g. trials).
    sigmas : array_like, shape (cues,)
        Their standard deviations.

    Returns
    -------
    combined : numpy.ndarray, shape (...)
        :math:`\\sum_i w_i \\hat s_i`.
    weights : numpy.ndarray, shape (cues,)
        :math:`w_i \\propto 1/\\sigma_i^2`, summing to 1.
    sigma : float
        :math:`(\\sum_i 1/\\sigma_i^2)^{-1/2}`, the standard deviation of the combined estimate.
    """
    sigmas = _sigmas(sigmas)
    estimates = np.asarray(estimates, dtype=float)
    if estimates.shape[-1:] != sigmas.shape:
        raise ValueError(f"estimates must have a last axis of {sigmas.size} cues, got shape {estimates.shape}")
    reliability = 1.0 / sigmas**2
    weights = reliability / reliability.sum()
    return estimates @ weights, weights, float(1.0 / np.sqrt(reliability.sum()))


@dataclass(frozen=True, eq=False)
class CueCombination:
    """Simulated single-cue and combined estimates.

    Attributes
    ----------
    cue_estimates : numpy.ndarray, shape (trials, cues)
        Each cue's estimate: its true value plus Gaussian noise.
    combined : numpy.ndarray, shape (trials,)
        The reliability-weighted average of the cues.
    weights : numpy.ndarray, shape (cues,)
    sigma : float
        The predicted standard deviation of ``combined``.
    """

    cue_estimates: np.ndarray
    combined: np.ndarray
    weights: np.ndarray
    sigma: float


def simulate_cue_combination(
    true_values: object, sigmas: object, *, n_trials: int = 1000, rng: np.random.Generator | int | None = None
) -> CueCombination:
    """Draw noisy single-cue estimates and combine them optimally.

    ``true_values`` (shape ``(cues,)``) lets the cues disagree, as in the conflict
    trials of Ernst & Banks (2002): the combined estimate then lies between the cues,
    nearer the more reliable one.
    """
    sigmas = _sigmas(sigmas)
    true_values = np.broadcast_to(np.asarray(true_values, dtype=float), sigmas.shape)
    rng = as_generator(rng)
    cue_estimates = true_values + sigmas * rng.standard_normal((int(n_trials), sigmas.size))
    combined, weights, sigma = combine_cues(cue_estimates, sigmas)
    return CueCombination(cue_estimates, combined, weights, sigma)


def discrimination_probability(difference: object, sigma: float, bias: float = 0.0) -> np.ndarray:
    """Psychometric function of a two-interval comparison with Gaussian estimates.

    Each interval's estimate has standard deviation :math:`\\sigma`, so their difference
    has :math:`\\sqrt2\\,\\sigma`, and the probability of judging the comparison larger
    than the standard is :math:`\\Phi\\big((\\Delta - \\text{bias})/(\\sqrt2\\,\\sigma)\\big)`.
    The 84% point lies :math:`\\sqrt2\\,\\sigma` above the point of subjective equality,
    which is how Ernst & Banks (2002) read each cue's :math:`\\sigma` off a psychometric
    curve.
    """
    sigma = finite_number(sigma, "sigma")
    if sigma <= 0:
        raise ValueError(f"sigma must be > 0, got {sigma}")
    bias = finite_number(bias, "bias")
    return stats.norm.cdf((np.asarray(difference, dtype=float) - bias) / (np.sqrt(2.0) * sigma))
