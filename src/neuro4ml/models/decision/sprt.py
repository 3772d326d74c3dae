"""Wald's sequential probability ratio test (SPRT).

An observer sees samples :math:`e_1, e_2, \\dots` drawn from one of two distributions,
:math:`H_1` or :math:`H_0`, and after each sample updates the log-likelihood ratio

.. math:: S_n = \\sum_{i=1}^n \\log \\frac{p(e_i \\mid H_1)}{p(e_i \\mid H_0)}.

The SPRT stops as soon as :math:`S_n \\ge a` (choose :math:`H_1`) or :math:`S_n \\le b`
(choose :math:`H_0`) (Wald 1945). Among all tests with the same error rates it needs the
fewest samples on average (Wald & Wolfowitz 1948). When each sample carries little
evidence, :math:`S_n` is a random walk that the drift-diffusion model approximates
(Bogacz et al. 2006), which is why the DDM is called the optimal decision procedure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from neuro4ml.validation import finite_number, probability

__all__ = ["SPRTResult", "sprt", "wald_thresholds"]


@dataclass(frozen=True, eq=False)
class SPRTResult:
    """The outcome of the SPRT on each trial.

    Attributes
    ----------
    choices : numpy.ndarray of int, shape (trials,)
        1 for :math:`H_1` (upper threshold), 0 for :math:`H_0`, -1 if no threshold was
        reached within the samples given.
    n_samples : numpy.ndarray of int, shape (trials,)
        Number of samples used (the samples available for undecided trials).
    log_ratio : numpy.ndarray, shape (trials, samples)
        The running log-likelihood ratio :math:`S_n` (``log_ratio[:, n - 1]`` is :math:`S_n`).
    """

    choices: np.ndarray
    n_samples: np.ndarray
    log_ratio: np.ndarray


def wald_thresholds(alpha: float, beta: float) -> tuple[float, float]:
    """Wald's thresholds :math:`(a, b)` for target error rates.

    .. math:: a = \\log\\frac{1 - \\beta}{\\alpha}, \\qquad b = \\log\\frac{\\beta}{1 - \\alpha},

    where :math:`\\alpha` is the probability of choosing :math:`H_1` when :math:`H_0` is
    true and :math:`\\beta` the reverse (Wald 1945). Ignoring the overshoot of the
    thresholds, the test then has error rates :math:`\\alpha' \\le \\alpha/(1-\\beta)`
    and :math:`\\beta' \\le \\beta/(1-\\alpha)`.
    """
    alpha = probability(alpha, "alpha")
    beta = probability(beta, "beta")
    if not (0 < alpha < 1 and 0 < beta < 1 and alpha + beta < 1):
        raise ValueError(f"alpha and beta must lie in (0, 1) with alpha + beta < 1, got {alpha}, {beta}")
    return math.log((1 - beta) / alpha), math.log(beta / (1 - alpha))


def sprt(log_likelihood_ratios: object, upper: float, lower: float) -> SPRTResult:
    """Run the SPRT on per-sample log-likelihood ratios.

    Parameters
    ----------
    log_likelihood_ratios : array_like, shape (trials, samples) or (samples,)
        :math:`\\log p(e_i|H_1) - \\log p(e_i|H_0)` for each sample of each trial.
    upper, lower : float
        The thresholds :math:`a > 0 > b` (see :func:`wald_thresholds`).

    Returns
    -------
    SPRTResult
        The choice and the number of samples of the first crossing of each trial.
    """
    upper = finite_number(upper, "upper")
    lower = finite_number(lower, "lower")
    if not lower < 0 < upper:
        raise ValueError(f"the thresholds must satisfy lower < 0 < upper, got lower={lower}, upper={upper}")
    llr = np.asarray(log_likelihood_ratios, dtype=float)
    if llr.ndim == 1:
        llr = llr[None, :]
    if llr.ndim != 2 or llr.shape[1] == 0:
        raise ValueError(f"log_likelihood_ratios must have shape (trials, samples), got {llr.shape}")
    if not np.all(np.isfinite(llr)):
        raise ValueError("log_likelihood_ratios must be finite")
    total = np.cumsum(llr, axis=1)
    crossed = (total >= upper) | (total <= lower)
    decided = crossed.any(axis=1)
    first = np.where(decided, np.argmax(crossed, axis=1), llr.shape[1] - 1)
    final = total[np.arange(len(total)), first]
    choices = np.where(decided, (final >= upper).astype(int), -1)
    return SPRTResult(choices=choices, n_samples=first + 1, log_ratio=total)
