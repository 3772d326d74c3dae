"""The geometry of a population's responses: dimensionality and representational similarity.

PCA and the participation ratio measure how many dimensions the responses span; representational
similarity analysis compares the patterns evoked by conditions (Kriegeskorte, Mur & Bandettini 2008).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuro4ml.analysis.responses import responses, trial_labels
from neuro4ml.validation import whole_number

__all__ = ["PCA", "compare_rdms", "condition_means", "participation_ratio", "pca", "rdm"]


@dataclass(frozen=True)
class PCA:
    """Principal components of a population's responses.

    Attributes
    ----------
    components : numpy.ndarray, shape (k, units)
        Orthonormal directions, by decreasing variance (``k = min(trials, units)``).
    explained_variance : numpy.ndarray, shape (k,)
        Variance along each component: the eigenvalues of the covariance matrix
        (normalised by ``trials - 1``).
    explained_variance_ratio : numpy.ndarray, shape (k,)
        The same as fractions of the total variance.
    mean : numpy.ndarray, shape (units,)
        The mean response that was subtracted.
    """

    components: np.ndarray
    explained_variance: np.ndarray
    explained_variance_ratio: np.ndarray
    mean: np.ndarray

    def project(self, activity: object, n_components: int | None = None) -> np.ndarray:
        """Coordinates ``(trials, n_components)`` of ``activity`` on the first components."""
        r = responses(activity)
        k = self.components.shape[0] if n_components is None else whole_number(n_components, "n_components")
        return (r - self.mean) @ self.components[:k].T


def pca(activity: object) -> PCA:
    r"""Principal component analysis of responses ``(trials, units)`` (3-d arrays are averaged over time).

    With the centred data :math:`X - \bar x = U S V^\top` (singular value decomposition),
    the components are the rows of :math:`V^\top` and the variances
    :math:`\lambda_i = s_i^2 / (n - 1)`, the eigenvalues of the sample covariance matrix.
    """
    r = responses(activity)
    if r.shape[0] < 2:
        raise ValueError("PCA needs at least two trials")
    mean = r.mean(axis=0)
    _, s, vt = np.linalg.svd(r - mean, full_matrices=False)
    variance = s**2 / (r.shape[0] - 1)
    total = variance.sum()
    ratio = variance / total if total > 0 else np.zeros_like(variance)
    return PCA(vt, variance, ratio, mean)


def participation_ratio(activity: object) -> float:
    r"""The participation ratio, a dimensionality of a population's activity.

    .. math:: \mathrm{PR} = \frac{\left(\sum_i \lambda_i\right)^2}{\sum_i \lambda_i^2},

    with :math:`\lambda_i` the eigenvalues of the covariance matrix of the responses
    (Gao et al. 2017; Recanatesi et al. 2019). It is 1 when all the variance lies along one
    direction and :math:`N` when :math:`N` directions share it equally; in between it
    counts the directions that carry most of the variance.

    Parameters
    ----------
    activity : array, shape (trials, units) or (trials, time, units)
        Responses (a 3-d array is averaged over time: rates per time bin).
    """
    variance = pca(activity).explained_variance
    total = variance.sum()
    if total <= 0:
        raise ValueError("the participation ratio needs responses that vary across trials")
    return float(total**2 / np.sum(variance**2))


def condition_means(activity: object, conditions: object) -> tuple[np.ndarray, np.ndarray]:
    """The distinct conditions (sorted) and the mean response to each, ``(conditions, units)``."""
    r = responses(activity)
    labels = trial_labels(conditions, r.shape[0], "conditions")
    values, inverse = np.unique(labels, return_inverse=True)
    sums = np.zeros((values.size, r.shape[1]))
    np.add.at(sums, inverse, r)
    return values, sums / np.bincount(inverse, minlength=values.size)[:, None]


def rdm(activity: object, conditions: object) -> np.ndarray:
    r"""Representational dissimilarity matrix: correlation distance between condition means.

    .. math:: D_{ab} = 1 - \operatorname{corr}(\bar r_a, \bar r_b),

    the Pearson correlation across units of the mean response patterns to conditions
    :math:`a` and :math:`b` (Kriegeskorte, Mur & Bandettini 2008). Conditions in sorted
    order; 0 on the diagonal; 2 for opposite patterns.

    Returns
    -------
    numpy.ndarray, shape (conditions, conditions)
    """
    _, means = condition_means(activity, conditions)
    if means.shape[1] < 2:
        raise ValueError("a correlation distance needs at least two units")
    spread = means.std(axis=1)
    if np.any(spread == 0):
        raise ValueError("a condition's mean pattern is the same in every unit, so its correlation is undefined")
    return 1.0 - np.corrcoef(means)


def compare_rdms(a: object, b: object) -> float:
    """Spearman rank correlation of the upper triangles (diagonal excluded) of two RDMs.

    Ranks, not values, because two representations may relate monotonically but not
    linearly (Kriegeskorte, Mur & Bandettini 2008; Nili et al. 2014).
    """
    from scipy import stats

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape != b.shape or a.shape[0] < 3:
        raise ValueError(f"the RDMs must be square, of the same shape and at least 3x3, got {a.shape} and {b.shape}")
    upper = np.triu_indices(a.shape[0], k=1)
    return float(stats.spearmanr(a[upper], b[upper]).statistic)
