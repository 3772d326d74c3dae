"""Null models of a connectome: Erdős–Rényi graphs, degree-preserving rewiring, null distributions and z-scores."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.optimize
import scipy.sparse
import scipy.spatial.distance
import scipy.stats

from neuro4ml.analysis.connectome.graph import presence
from neuro4ml.validation import as_generator, whole_number

__all__ = ["erdos_renyi", "null_distribution", "rewire", "z_score"]


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
    n = whole_number(n, "n", minimum=0)
    n_pairs = n * (n - 1)
    n_edges = whole_number(n_edges, "n_edges", minimum=0)
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
    n_samples = whole_number(n_samples, "n_samples", minimum=0)
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


# Helpers
# ---------------------------------------------------------------------------


def _count(value: object, name: str) -> int:
    return whole_number(value, name, minimum=0)


def _from_edges(rows: np.ndarray, cols: np.ndarray, n: int) -> scipy.sparse.csr_array:
    out = scipy.sparse.csr_array((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(n, n))
    out.sort_indices()
    return out
