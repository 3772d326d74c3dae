"""Graph statistics of a connectome: presence, density, degrees, reciprocity, clustering, rich club, paths, triads."""

from __future__ import annotations

import numpy as np
import scipy.optimize
import scipy.sparse
import scipy.spatial.distance
import scipy.stats

__all__ = [
    "TRIAD_TYPES",
    "characteristic_path_length",
    "clustering",
    "density",
    "in_degrees",
    "out_degrees",
    "presence",
    "reciprocity",
    "rich_club_coefficient",
    "shortest_path_lengths",
    "triad_census",
    "undirected",
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

    :math:`n` counts every node of the matrix, those without any connection included (the
    definition of ``networkx.density``; e.g. VC6 in the distributed Varshney et al. 2011 data).
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


def undirected(A: object) -> scipy.sparse.csr_array:
    """The symmetrised graph :math:`S = \\min(1, B + B^\\top)` of :func:`presence`, 0/1 and without self-loops.

    ``i`` and ``j`` are neighbours when ``i -> j`` or ``j -> i``.
    """
    B = presence(A)
    S = ((B + B.T) > 0).astype(np.int64)
    return scipy.sparse.csr_array(S)


def rich_club_coefficient(A: object) -> tuple[np.ndarray, np.ndarray]:
    r"""Rich-club coefficient of the undirected graph, for every degree threshold.

    With :math:`N_{>k}` the number of nodes of degree greater than :math:`k` in the symmetrised
    graph (:func:`undirected`) and :math:`E_{>k}` the number of edges among them,

    .. math:: \phi(k) = \frac{2 E_{>k}}{N_{>k} (N_{>k} - 1)},

    the density of the subgraph of nodes with degree above :math:`k` (Zhou & Mondragón 2004;
    Colizza et al. 2006, who compare it with the same coefficient of degree-preserving
    rewired graphs, :func:`rewire`). Unnormalised, as ``networkx.rich_club_coefficient(G,
    normalized=False)``.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The thresholds :math:`k = 0, 1, \dots` for which at least two nodes have a higher
        degree, and :math:`\phi(k)` for each.
    """
    S = undirected(A)
    degree = np.asarray(S.sum(axis=1)).ravel()
    rows, cols = scipy.sparse.triu(S, k=1).nonzero()
    weakest = np.minimum(degree[rows], degree[cols])  # an edge is in the club of k while both ends exceed k
    if degree.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    thresholds = np.arange(int(degree.max()) + 1)
    n_above = (degree[None, :] > thresholds[:, None]).sum(axis=1)
    keep = n_above > 1
    thresholds, n_above = thresholds[keep], n_above[keep]
    edges_above = (weakest[None, :] > thresholds[:, None]).sum(axis=1)
    return thresholds, 2.0 * edges_above / (n_above * (n_above - 1.0))


def shortest_path_lengths(A: object, *, directed: bool = False) -> np.ndarray:
    """Number of steps on a shortest path from every node to every other, shape ``(n, n)``.

    Breadth-first search on :func:`presence` (``directed=True``, paths follow ``i -> j``) or on
    the symmetrised graph (:func:`undirected`, the default), by
    ``scipy.sparse.csgraph.shortest_path(unweighted=True)``. The diagonal is 0; a node that
    cannot be reached is at ``inf``.
    """
    from scipy.sparse.csgraph import shortest_path

    graph = presence(A) if directed else undirected(A)
    return shortest_path(graph, directed=directed, unweighted=True)


def characteristic_path_length(A: object, *, directed: bool = False) -> float:
    r"""The characteristic path length: the mean number of steps on a shortest path.

    .. math:: L = \frac{1}{|P|} \sum_{(i, j) \in P} d_{ij},

    over the set :math:`P` of ordered pairs :math:`i \ne j` with a path from :math:`i` to
    :math:`j` (:func:`shortest_path_lengths`; Watts & Strogatz 1998). For a connected graph
    :math:`P` holds every pair and :math:`L` is ``networkx.average_shortest_path_length``;
    pairs without a path are left out rather than counted as infinitely far. NaN when no pair
    is connected.
    """
    d = shortest_path_lengths(A, directed=directed)
    pairs = np.isfinite(d) & ~np.eye(d.shape[0], dtype=bool)
    return float(d[pairs].mean()) if pairs.any() else float("nan")


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
