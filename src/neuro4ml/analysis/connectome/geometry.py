"""Distance-dependent wiring: distances, connection probability by distance, an exponential model, its scores."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.optimize
import scipy.sparse
import scipy.spatial.distance
import scipy.stats

from neuro4ml.analysis.connectome.graph import presence
from neuro4ml.validation import as_generator, probability, whole_number

__all__ = [
    "DistanceModel",
    "connection_probability_by_distance",
    "distance_correlation",
    "exponential_distance_model",
    "fit_exponential_distance_model",
    "log_loss",
    "pairwise_distances",
    "roc_auc",
    "split_pairs",
]


# Geometry
# ---------------------------------------------------------------------------


def pairwise_distances(positions: object) -> np.ndarray:
    """Euclidean distance between every pair of points, shape ``(n, n)``.

    ``positions`` is shaped ``(n, d)`` (in µm for cells, mm for brain regions); the
    result is in the same unit. Rows with NaN give NaN distances.
    """
    positions = np.asarray(positions, dtype=float)
    if positions.ndim != 2:
        raise ValueError(f"positions must be shaped (n, d), got shape {positions.shape}")
    return scipy.spatial.distance.cdist(positions, positions)


def connection_probability_by_distance(
    A: object, distances: object, bins: object, *, mask: object = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fraction of ordered pairs that are connected, in bins of distance.

    Parameters
    ----------
    A : array_like or scipy.sparse, shape (n, n)
        Adjacency matrix (presence is used).
    distances : array_like, shape (n, n)
        Distance between every pair; pairs with NaN distance are left out.
    bins : array_like, shape (bins + 1,)
        Bin edges, as for ``numpy.histogram``.
    mask : array_like of bool, shape (n, n), optional
        Only these pairs are counted (e.g. the training pairs of :func:`split_pairs`).
        The diagonal is always left out.

    Returns
    -------
    centres, probability, n_pairs : numpy.ndarray, each shape (bins,)
        Bin centres, the fraction of the bin's pairs that are connected (NaN for an
        empty bin), and how many pairs fell in the bin.
    """
    B = presence(A).toarray().astype(bool)
    distances = np.asarray(distances, dtype=float)
    if distances.shape != B.shape:
        raise ValueError(f"distances must have the shape of A, {B.shape}, got {distances.shape}")
    use = ~np.eye(B.shape[0], dtype=bool) & np.isfinite(distances)
    if mask is not None:
        use &= np.asarray(mask, dtype=bool)
    bins = np.asarray(bins, dtype=float)
    total, _ = np.histogram(distances[use], bins=bins)
    connected, _ = np.histogram(distances[use & B], bins=bins)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(total > 0, connected / np.maximum(total, 1), np.nan)
    return 0.5 * (bins[1:] + bins[:-1]), p, total


@dataclass(frozen=True)
class DistanceModel:
    r"""The exponential distance rule :math:`p(d) = p_0 e^{-d/\lambda}` (see :func:`fit_exponential_distance_model`).

    Attributes
    ----------
    p0 : float
        Connection probability at zero distance, in (0, 1].
    length_scale : float
        :math:`\lambda`, in the unit of the distances it was fitted to.
    """

    p0: float
    length_scale: float

    def probability(self, distances: object) -> np.ndarray:
        """Predicted connection probability at ``distances`` (any shape)."""
        return exponential_distance_model(distances, self.p0, self.length_scale)


def exponential_distance_model(distances: object, p0: float, length_scale: float) -> np.ndarray:
    r"""Connection probability :math:`p(d) = p_0\, e^{-d/\lambda}`, same shape as ``distances``.

    An exponential fall-off of connection probability with distance describes
    cortical wiring from local circuits (e.g. Perin, Berger & Markram 2011) to the
    inter-areal "exponential distance rule" of Ercsey-Ravasz et al. (2013).
    """
    return probability(p0, "p0") * np.exp(-np.asarray(distances, dtype=float) / length_scale)


def fit_exponential_distance_model(distances: object, connected: object) -> DistanceModel:
    r"""Maximum-likelihood fit of :math:`p(d) = p_0 e^{-d/\lambda}` to connected / unconnected pairs.

    Each pair is a Bernoulli trial with success probability :math:`p(d)`; the fit
    maximises

    .. math:: \sum_k c_k \log p(d_k) + (1 - c_k) \log (1 - p(d_k))

    over :math:`p_0 \in (0, 1)` and :math:`\lambda > 0` (optimised as a logit and a
    log, with L-BFGS-B).

    Parameters
    ----------
    distances : array_like, shape (pairs,)
        Distance of each pair (finite, >= 0).
    connected : array_like of bool, shape (pairs,)
        Whether the pair is connected.

    Returns
    -------
    DistanceModel
    """
    d = np.asarray(distances, dtype=float).ravel()
    c = np.asarray(connected, dtype=bool).ravel()
    if d.shape != c.shape:
        raise ValueError(f"distances and connected must have the same number of pairs, got {d.size} and {c.size}")
    if d.size == 0 or not np.all(np.isfinite(d)) or (d < 0).any():
        raise ValueError("distances must be a non-empty array of finite numbers >= 0")
    if not c.any():
        raise ValueError("no connected pair: the distance model cannot be fitted")
    scale = float(np.mean(d)) or 1.0

    def negative_log_likelihood(theta: np.ndarray) -> float:
        log_p0 = -np.logaddexp(0.0, -theta[0])  # log sigmoid
        log_p = log_p0 - d / (scale * np.exp(theta[1]))
        log_q = np.log(-np.expm1(np.minimum(log_p, -1e-12)))
        return -float(np.sum(np.where(c, log_p, log_q)))

    p_start = min(max(c.mean() * 2, 1e-6), 0.99)
    start = np.array([np.log(p_start / (1 - p_start)), 0.0])
    result = scipy.optimize.minimize(negative_log_likelihood, start, method="L-BFGS-B")
    p0 = float(1.0 / (1.0 + np.exp(-result.x[0])))
    return DistanceModel(p0=p0, length_scale=float(scale * np.exp(result.x[1])))


def split_pairs(
    n: int, *, test_fraction: float = 0.2, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Split the pairs of ``n`` nodes into training and held-out (test) pairs.

    The split is by *unordered* pair: ``(i, j)`` and ``(j, i)`` always fall on the
    same side, because they share their distance and, through reciprocity, much of
    their connectivity; splitting them apart would let the fit see half of each test
    pair. The diagonal is in neither set.

    Returns
    -------
    train, test : numpy.ndarray of bool, each shape (n, n)
        Symmetric masks; every off-diagonal entry is in exactly one of them.
    """
    n = whole_number(n, "n", minimum=0)
    test_fraction = probability(test_fraction, "test_fraction")
    rng = as_generator(rng)
    rows, cols = np.triu_indices(n, k=1)
    in_test = rng.random(rows.size) < test_fraction
    test = np.zeros((n, n), dtype=bool)
    test[rows[in_test], cols[in_test]] = True
    test |= test.T
    train = ~test
    np.fill_diagonal(train, False)
    return train, test


def roc_auc(scores: object, labels: object) -> float:
    """Area under the ROC curve: the probability that a random positive outscores a random negative.

    Computed from ranks (the Mann–Whitney U statistic divided by
    :math:`n_+ n_-`), with ties counting one half. 0.5 is chance, 1 is a perfect
    ranking. NaN when either class is empty.
    """
    scores = np.asarray(scores, dtype=float).ravel()
    labels = np.asarray(labels, dtype=bool).ravel()
    if scores.shape != labels.shape:
        raise ValueError(f"scores and labels must have the same size, got {scores.size} and {labels.size}")
    n_pos = int(labels.sum())
    n_neg = labels.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = scipy.stats.rankdata(scores)
    u = ranks[labels].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


def log_loss(probabilities: object, connected: object) -> float:
    r"""Mean negative log-likelihood of connected / unconnected pairs under predicted probabilities.

    .. math:: L = -\frac{1}{N} \sum_k \big[c_k \log p_k + (1 - c_k) \log (1 - p_k)\big]

    in nats per pair (the binary cross-entropy of machine learning). Lower is better;
    a model that predicts the overall density :math:`\rho` for every pair scores
    the entropy :math:`-\rho \log \rho - (1-\rho) \log(1-\rho)`. Probabilities
    are clipped to :math:`[10^{-12}, 1 - 10^{-12}]` so that a confident mistake
    costs a large but finite amount.
    """
    p = np.clip(np.asarray(probabilities, dtype=float).ravel(), 1e-12, 1 - 1e-12)
    c = np.asarray(connected, dtype=bool).ravel()
    if p.shape != c.shape:
        raise ValueError(f"probabilities and connected must have the same size, got {p.size} and {c.size}")
    return float(-np.mean(np.where(c, np.log(p), np.log1p(-p))))


def distance_correlation(M: object, distances: object) -> float:
    r"""Spearman rank correlation between ``M[i, j]`` and ``distances[i, j]`` over distinct pairs.

    Uses the pairs :math:`i < j` with :math:`M_{ij} \ne 0`, so it suits symmetric
    matrices: a structural connectome, where a zero means that no connection was
    found (not a weak one), or a functional connectivity matrix, where the diagonal
    (a region with itself, at distance 0) would otherwise dominate. A rank
    correlation is used because connection weights are heavily skewed.
    """
    M = M.toarray() if scipy.sparse.issparse(M) else np.asarray(M, dtype=float)
    distances = np.asarray(distances, dtype=float)
    if M.ndim != 2 or M.shape[0] != M.shape[1] or distances.shape != M.shape:
        raise ValueError(f"M and distances must be square matrices of the same shape, got {M.shape} and {distances.shape}")
    rows, cols = np.triu_indices(M.shape[0], k=1)
    keep = M[rows, cols] != 0
    return float(scipy.stats.spearmanr(M[rows, cols][keep], distances[rows, cols][keep]).statistic)
