"""Connectomes as graphs: statistics, null models and distance-dependent wiring.

The conventions are shared by every function here:

* **Adjacency matrices.** A connectome of ``n`` cells (or brain regions) is a square
  matrix ``A`` shaped ``(n, n)``, a numpy array or any ``scipy.sparse`` matrix or array.
  ``A[i, j]`` is the connection *from* ``i`` (presynaptic, the row) *to* ``j``
  (postsynaptic, the column): a synapse count, a weight, or 1/0. This is the
  convention of the data loaders in :mod:`neuro4ml.data.connectomes`.
* **Presence.** The graph statistics look only at which connections exist:
  ``A[i, j] > 0``. Self-loops (``A[i, i]``) are ignored by every statistic, since a
  cell "connected to itself" says nothing about wiring between cells. Negative
  entries are treated as absent, so a signed matrix should be passed as ``abs(A)``.
* **Ordered pairs.** A directed graph on ``n`` nodes has ``n (n - 1)`` ordered pairs
  ``(i, j)``, ``i != j``; each is one possible connection. Undirected statistics
  (clustering, the gap-junction network) use the symmetrised graph, in which ``i``
  and ``j`` are neighbours when ``i -> j`` or ``j -> i``.
* **Computation.** Statistics are vectorised with ``scipy.sparse`` (a product of
  adjacency matrices counts paths); the triad census uses ``networkx``, the
  well-kept implementation of Batagelj & Mrvar's algorithm.
* **Randomness.** Every null model takes ``rng``: a ``numpy.random.Generator``, an
  integer seed, or ``None``. The same seed gives the same graph.

Statistics: :func:`presence`, :func:`density`, :func:`in_degrees`, :func:`out_degrees`,
:func:`reciprocity`, :func:`clustering`, :func:`triad_census`. Null models:
:func:`erdos_renyi`, :func:`rewire`, :func:`null_distribution`, :func:`z_score`.
Geometry: :func:`pairwise_distances`, :func:`connection_probability_by_distance`,
:func:`fit_exponential_distance_model`, :func:`exponential_distance_model`,
:func:`split_pairs`, :func:`log_loss`, :func:`roc_auc`, :func:`distance_correlation`. Labels: :func:`reindex`,
:func:`class_order`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import scipy.optimize
import scipy.sparse
import scipy.spatial.distance
import scipy.stats

from neuro4ml.validation import as_generator, probability

__all__ = [
    "TRIAD_TYPES",
    "DistanceModel",
    "class_order",
    "clustering",
    "connection_probability_by_distance",
    "density",
    "distance_correlation",
    "erdos_renyi",
    "exponential_distance_model",
    "fit_exponential_distance_model",
    "in_degrees",
    "log_loss",
    "null_distribution",
    "out_degrees",
    "pairwise_distances",
    "presence",
    "reciprocity",
    "reindex",
    "rewire",
    "roc_auc",
    "split_pairs",
    "triad_census",
    "z_score",
]

#: The 16 isomorphism classes of directed three-node graphs, in the MAN notation of
#: Holland & Leinhardt (1970): the digits count Mutual, Asymmetric and Null dyads, and
#: the letter (Down, Up, Cyclic, Transitive) tells apart the classes with the same
#: counts. ``"003"`` is three unconnected nodes; ``"300"`` is all six connections.
TRIAD_TYPES = (
    "003", "012", "102", "021D", "021U", "021C", "111D", "111U",
    "030T", "030C", "201", "120D", "120U", "120C", "210", "300",
)


def presence(A: object, *, name: str = "A") -> scipy.sparse.csr_array:
    """Which connections exist: ``B[i, j] = 1`` where ``A[i, j] > 0`` and ``i != j``.

    Parameters
    ----------
    A : array_like or scipy.sparse, shape (n, n)
        Adjacency matrix, ``A[i, j]`` from ``i`` to ``j``.
    name : str
        The argument's name, for error messages.

    Returns
    -------
    scipy.sparse.csr_array of int64, shape (n, n)
        0/1 matrix with an empty diagonal and sorted indices.
    """
    if scipy.sparse.issparse(A):
        matrix = scipy.sparse.csr_array(A)
    else:
        try:
            dense = np.asarray(A, dtype=float)
        except (TypeError, ValueError) as error:
            raise TypeError(f"{name} must be a numeric matrix, got {type(A).__name__}") from error
        matrix = scipy.sparse.csr_array(dense)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"{name} must be a square (n, n) adjacency matrix, got shape {matrix.shape}")
    data = np.asarray(matrix.data, dtype=float)
    if np.isnan(data).any():
        raise ValueError(f"{name} contains NaN; use 0 for an absent connection")
    coo = matrix.tocoo()
    keep = (coo.data > 0) & (coo.row != coo.col)
    n = matrix.shape[0]
    out = scipy.sparse.csr_array(
        (np.ones(int(keep.sum()), dtype=np.int64), (coo.row[keep], coo.col[keep])), shape=(n, n)
    )
    out.sum_duplicates()
    out.data[:] = 1
    out.sort_indices()
    return out


def density(A: object) -> float:
    r"""Fraction of the ``n (n - 1)`` ordered pairs ``i != j`` that are connected.

    .. math:: \rho = \frac{\#\{(i, j) : i \ne j,\ A_{ij} > 0\}}{n (n - 1)}
    """
    B = presence(A)
    n = B.shape[0]
    return float(B.nnz / (n * (n - 1))) if n > 1 else 0.0


def out_degrees(A: object) -> np.ndarray:
    """Number of cells each cell connects to (row sums of :func:`presence`), shape ``(n,)``."""
    return np.asarray(presence(A).sum(axis=1)).ravel().astype(np.int64)


def in_degrees(A: object) -> np.ndarray:
    """Number of cells connecting to each cell (column sums of :func:`presence`), shape ``(n,)``."""
    return np.asarray(presence(A).sum(axis=0)).ravel().astype(np.int64)


def reciprocity(A: object) -> float:
    r"""Fraction of connections whose reverse connection also exists.

    With :math:`B` the presence matrix (no self-loops),

    .. math:: r = \frac{\sum_{i \ne j} B_{ij} B_{ji}}{\sum_{i \ne j} B_{ij}},

    the fraction of connected ordered pairs :math:`(i, j)` for which :math:`(j, i)` is
    connected too. Each reciprocal pair counts twice in the numerator, once per
    direction, as its two connections do in the denominator. In an Erdős–Rényi graph
    of density :math:`\rho` the expected value is :math:`\rho`, which is the baseline
    that Song et al. (2005) compare cortical reciprocity with. Returns NaN for a graph
    with no connections.
    """
    B = presence(A)
    if B.nnz == 0:
        return float("nan")
    return float(B.multiply(B.T).sum() / B.nnz)


def clustering(A: object, *, directed: bool = False) -> np.ndarray:
    r"""Local clustering coefficient of every node, shape ``(n,)``.

    Undirected (``directed=False``): the graph is symmetrised,
    :math:`S = \min(1, B + B^\top)`, and

    .. math:: C_i = \frac{(S^3)_{ii}}{k_i (k_i - 1)},

    the fraction of pairs of ``i``'s neighbours that are neighbours themselves
    (:math:`(S^3)_{ii}` counts each triangle through ``i`` twice, once per direction
    round it; :math:`k_i` is the number of neighbours).

    Directed (``directed=True``), the generalisation of Fagiolo (2007), which counts
    every directed triangle through ``i`` whatever the directions of its edges:

    .. math:: C_i = \frac{((B + B^\top)^3)_{ii}}
                           {2\,[k^{tot}_i (k^{tot}_i - 1) - 2 k^{\leftrightarrow}_i]},

    with :math:`k^{tot}_i` the in- plus out-degree and :math:`k^{\leftrightarrow}_i`
    the number of reciprocal neighbours. Nodes with fewer than two neighbours get 0
    (the convention of ``networkx.clustering``).
    """
    B = presence(A).astype(float)
    if directed:
        T = B + B.T
        closed = (T @ T).multiply(T).sum(axis=1)
        k_total = np.asarray(B.sum(axis=0)).ravel() + np.asarray(B.sum(axis=1)).ravel()
        k_mutual = np.asarray(B.multiply(B.T).sum(axis=1)).ravel()
        possible = 2.0 * (k_total * (k_total - 1) - 2.0 * k_mutual)
    else:
        S = ((B + B.T) > 0).astype(float)
        closed = (S @ S).multiply(S).sum(axis=1)
        k = np.asarray(S.sum(axis=1)).ravel()
        possible = k * (k - 1)
    closed = np.asarray(closed, dtype=float).ravel()
    out = np.zeros(B.shape[0])
    np.divide(closed, possible, out=out, where=possible > 0)
    return out


def triad_census(A: object) -> dict[str, int]:
    r"""How many node triples form each of the 16 directed three-node patterns.

    Every unordered triple of distinct nodes is one of the :data:`TRIAD_TYPES`; the
    counts add up to :math:`\binom{n}{3}`. Over-represented triads ("motifs")
    against a null model are what Song et al. (2005) report for cortex and Varshney
    et al. (2011) for *C. elegans*. Computed with ``networkx.triad_census``
    (``networkx.triadic_census`` in newer
    versions; Batagelj & Mrvar 2001), on the presence matrix.

    Returns
    -------
    dict
        Count per triad type, in the order of :data:`TRIAD_TYPES`.
    """
    import networkx as nx

    B = presence(A)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(B.shape[0]))
    coo = B.tocoo()
    graph.add_edges_from(zip(coo.row.tolist(), coo.col.tolist()))
    # networkx 3.5 renamed triad_census to triadic_census.
    census_of = getattr(nx, "triadic_census", None) or nx.triad_census
    census = census_of(graph)
    return {triad: int(census[triad]) for triad in TRIAD_TYPES}


# ---------------------------------------------------------------------------
# Null models
# ---------------------------------------------------------------------------


def erdos_renyi(n: int, n_edges: int, *, rng: np.random.Generator | int | None = None) -> scipy.sparse.csr_array:
    """A random directed graph with exactly ``n_edges`` connections among ``n`` nodes.

    The :math:`G(n, M)` model of Erdős & Rényi (1959): ``n_edges`` ordered pairs
    ``i != j`` drawn uniformly without replacement. With ``n_edges`` set to a
    connectome's number of connections it keeps the density and nothing else, so
    reciprocity, clustering and motif counts are those of chance at that density.

    Returns
    -------
    scipy.sparse.csr_array of int64, shape (n, n)
        0/1 presence matrix with an empty diagonal.
    """
    n = _count(n, "n")
    n_pairs = n * (n - 1)
    n_edges = _count(n_edges, "n_edges")
    if n_edges > n_pairs:
        raise ValueError(f"n_edges={n_edges} is more than the {n_pairs} ordered pairs of {n} nodes")
    rng = as_generator(rng)
    # Index the n (n - 1) off-diagonal pairs: row i, and column j skipping i.
    chosen = rng.choice(n_pairs, size=n_edges, replace=False)
    rows, offsets = np.divmod(chosen, n - 1) if n > 1 else (chosen, chosen)
    cols = offsets + (offsets >= rows)
    return _from_edges(rows, cols, n)


def rewire(
    A: object,
    *,
    swaps_per_edge: float = 10.0,
    rng: np.random.Generator | int | None = None,
) -> scipy.sparse.csr_array:
    r"""Randomise a directed graph while keeping every node's in- and out-degree.

    Repeated edge swaps (Maslov & Sneppen 2002): pick two connections
    :math:`a \to b` and :math:`c \to d` at random and replace them by
    :math:`a \to d` and :math:`c \to b`, unless that would create a self-loop or a
    connection that already exists. Each swap leaves every out-degree (``a``, ``c``)
    and in-degree (``b``, ``d``) unchanged, so the result is a random graph with the
    connectome's exact degree sequences: the right null model for asking whether
    reciprocity or motifs are more common than the degrees alone imply.

    Parameters
    ----------
    A : array_like or scipy.sparse, shape (n, n)
        The graph to randomise (only presence is used; self-loops are dropped).
    swaps_per_edge : float
        Number of attempted swaps per connection; 10 mixes the graph thoroughly.
    rng : Generator, int or None
        Random number generator or seed.

    Returns
    -------
    scipy.sparse.csr_array of int64, shape (n, n)
        The rewired 0/1 presence matrix.
    """
    B = presence(A)
    n = B.shape[0]
    rng = as_generator(rng)
    if swaps_per_edge < 0 or not np.isfinite(swaps_per_edge):
        raise ValueError(f"swaps_per_edge must be a finite number >= 0, got {swaps_per_edge}")
    coo = B.tocoo()
    sources = coo.row.astype(np.int64).copy()
    targets = coo.col.astype(np.int64).copy()
    n_edges = sources.size
    if n_edges < 2:
        return B
    existing = set((sources * n + targets).tolist())
    n_attempts = int(round(swaps_per_edge * n_edges))
    # Draw the random choices in one go; the swaps themselves must be sequential,
    # since each depends on the graph the previous ones left.
    first = rng.integers(n_edges, size=n_attempts).tolist()
    second = rng.integers(n_edges, size=n_attempts).tolist()
    src = sources.tolist()
    tgt = targets.tolist()
    for e, f in zip(first, second):
        a, b, c, d = src[e], tgt[e], src[f], tgt[f]
        if a == c or b == d or a == d or c == b:
            continue
        new_1, new_2 = a * n + d, c * n + b
        if new_1 in existing or new_2 in existing:
            continue
        existing.discard(a * n + b)
        existing.discard(c * n + d)
        existing.add(new_1)
        existing.add(new_2)
        tgt[e], tgt[f] = d, b
    return _from_edges(np.array(src), np.array(tgt), n)


def null_distribution(
    statistic: Callable[[scipy.sparse.csr_array], float],
    A: object,
    *,
    model: str = "rewire",
    n_samples: int = 100,
    rng: np.random.Generator | int | None = None,
    swaps_per_edge: float = 10.0,
) -> np.ndarray:
    """``statistic`` on ``n_samples`` random graphs from a null model of ``A``.

    Parameters
    ----------
    statistic : callable
        Takes a presence matrix (``scipy.sparse.csr_array``) and returns a number
        (or an array of numbers, e.g. a triad census as an array).
    A : array_like or scipy.sparse, shape (n, n)
        The observed graph.
    model : {"rewire", "erdos_renyi"}
        Degree-preserving rewiring (:func:`rewire`) or a random graph with the same
        number of connections (:func:`erdos_renyi`).
    n_samples : int
        Number of random graphs.
    rng : Generator, int or None
        Random number generator or seed; the whole distribution is reproducible.
    swaps_per_edge : float
        Passed to :func:`rewire`.

    Returns
    -------
    numpy.ndarray, shape (n_samples,) or (n_samples, ...)
        The statistic of each random graph.
    """
    B = presence(A)
    rng = as_generator(rng)
    n_samples = _count(n_samples, "n_samples")
    if model == "rewire":
        draw = lambda: rewire(B, swaps_per_edge=swaps_per_edge, rng=rng)  # noqa: E731
    elif model == "erdos_renyi":
        draw = lambda: erdos_renyi(B.shape[0], B.nnz, rng=rng)  # noqa: E731
    else:
        raise ValueError(f"model must be 'rewire' or 'erdos_renyi', got {model!r}")
    return np.array([np.asarray(statistic(draw()), dtype=float) for _ in range(n_samples)])


def z_score(observed: float | np.ndarray, null: np.ndarray) -> float | np.ndarray:
    r"""How many null standard deviations ``observed`` lies above the null mean.

    .. math:: z = \frac{x - \overline{x}_{null}}{\mathrm{sd}(x_{null})}

    ``null`` is shaped ``(samples,)`` or ``(samples, ...)``; the result has the shape
    of one sample. A null standard deviation of 0 gives ``inf`` (or NaN if the
    observation equals the null mean), which says that the null never varies.
    """
    null = np.asarray(null, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (np.asarray(observed, dtype=float) - null.mean(axis=0)) / null.std(axis=0, ddof=1)
    return float(z) if np.ndim(z) == 0 else z


# ---------------------------------------------------------------------------
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
    n = _count(n, "n")
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


def reindex(matrix: object, names: Sequence[str], new_names: Sequence[str]) -> np.ndarray:
    """``matrix`` (labelled by ``names`` on both axes) re-labelled by ``new_names``.

    ``out[a, b] = matrix[names.index(new_names[a]), names.index(new_names[b])]``, and 0
    where either name is missing from ``names``. This lines up connectomes whose
    neurons come in different orders or sets, e.g. the developmental stages of
    Witvliet et al. (2021), before they are compared entry by entry.

    Returns
    -------
    numpy.ndarray, shape (len(new_names), len(new_names))
    """
    dense = matrix.toarray() if scipy.sparse.issparse(matrix) else np.asarray(matrix, dtype=float)
    names = list(names)
    if dense.shape != (len(names), len(names)):
        raise ValueError(f"matrix must be shaped ({len(names)}, {len(names)}) to match names, got {dense.shape}")
    position = {name: k for k, name in enumerate(names)}
    source = np.array([position.get(name, -1) for name in new_names], dtype=np.int64)
    found = source >= 0
    out = np.zeros((len(new_names), len(new_names)), dtype=float)
    out[np.ix_(found, found)] = dense[np.ix_(source[found], source[found])]
    return out


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


def class_order(classes: Sequence[str], order: Sequence[str] | None = None) -> np.ndarray:
    """A permutation that groups nodes by class (stable within a class).

    ``A[np.ix_(p, p)]`` with ``p = class_order(classes, ["sensory", "interneuron", "motor"])``
    shows the adjacency matrix in blocks of classes. Classes missing from ``order``
    go last, in alphabetical order.
    """
    classes = np.asarray(classes, dtype=str)
    order = list(order) if order is not None else []
    extra = sorted(set(classes.tolist()) - set(order))
    rank = {c: k for k, c in enumerate(order + extra)}
    return np.argsort([rank[c] for c in classes], kind="stable")


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
        raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
    return int(value)


def _from_edges(rows: np.ndarray, cols: np.ndarray, n: int) -> scipy.sparse.csr_array:
    out = scipy.sparse.csr_array((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(n, n))
    out.sort_indices()
    return out
