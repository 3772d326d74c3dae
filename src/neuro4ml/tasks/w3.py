"""Week 3's tasks: the connectome as a graph.

Each task's cases, references and known mistaken variants, computed with
:mod:`neuro4ml.analysis.connectome` (``cg``) and the loaders of :mod:`neuro4ml.data.connectomes`:

* :func:`graph_cases` -- the graphs ``reciprocity`` and ``degrees`` run on: a hand-made
  one, random weighted graphs with self-loops (dense, ``csr_array``, ``csr_matrix``) and
  one drawn from a fresh seed at every check; :func:`mistaken_reciprocities` computes
  what the usual slips give on a graph (self-loops counted, unordered pairs, the
  density, weights instead of presence, a matrix product, ...).
* :func:`rewire_cases` and :func:`mixing_reference` -- the graphs ``rewire`` runs on, and
  how thoroughly the library's :func:`~neuro4ml.analysis.connectome.rewire` mixes each at
  the task's ten swaps per connection and at one (too few).
* :func:`reindex_cases` -- neuron names as the worm's are: not sorted, with missing ones.
* :func:`development_reference` -- connection counts across the Witvliet et al. (2021)
  stages, the connections present at every stage, and what the usual slips give.
* :func:`distance_case`, :func:`fit_and_score` -- the distance-model task.
* :func:`distance_correlation_cases`, :func:`mistaken_distance_correlations`.

Imports only :mod:`neuro4ml.analysis` and :mod:`neuro4ml.data`.
"""

from __future__ import annotations

import functools

import numpy as np
import scipy.sparse
import scipy.stats

from neuro4ml.analysis import connectome as cg
from neuro4ml.tasks.fresh import fresh_seed

__all__ = [
    "TASK_SWAPS_PER_CONNECTION",
    "dense",
    "development_reference",
    "distance_case",
    "distance_correlation_cases",
    "fit_and_score",
    "fresh_seed",
    "graph_cases",
    "hand_made_graph",
    "mistaken_distance_correlations",
    "mistaken_reciprocities",
    "mixing_reference",
    "neuron_names",
    "reindex_cases",
    "rewire_cases",
    "synapse_counts",
]

#: The swaps per connection the rewiring task asks for ("about ten").
TASK_SWAPS_PER_CONNECTION = 10.0



def dense(A: object) -> np.ndarray:
    """``A`` as a dense float array, whether numpy or scipy.sparse."""
    return A.toarray() if scipy.sparse.issparse(A) else np.asarray(A, dtype=float)


def synapse_counts(n: int, p: float, seed: int, *, self_loops: int = 0, reciprocal: float = 0.3) -> np.ndarray:
    """A weighted directed graph like a connectome: synapse counts 1-8, extra reciprocal pairs, a few self-loops.

    Each ordered pair is connected with probability ``p``; on top, each unordered pair
    gets both directions with probability ``reciprocal * p`` (connectomes have more
    reciprocal pairs than chance); ``self_loops`` neurons get a synapse onto themselves.
    """
    rng = np.random.default_rng(seed)
    present = rng.random((n, n)) < p
    extra = np.triu(rng.random((n, n)) < reciprocal * p, 1)
    present |= extra | extra.T
    np.fill_diagonal(present, False)
    A = present * rng.integers(1, 9, size=(n, n))
    loops = rng.choice(n, size=self_loops, replace=False)
    A[loops, loops] = rng.integers(1, 5, size=self_loops)
    return A.astype(float)


def hand_made_graph() -> np.ndarray:
    """0<->1 (3 and 1 synapses), 1->2 (2), 2->0 (4), 3->3 (a self-loop of 5)."""
    A = np.zeros((4, 4))
    A[0, 1], A[1, 0], A[1, 2], A[2, 0], A[3, 3] = 3, 1, 2, 4, 5
    return A


def graph_cases(seed: int | None = None) -> list[tuple[str, object]]:
    """``(description, A)`` for the reciprocity and degree tasks, simplest first; the last from a fresh seed."""
    seed = fresh_seed() if seed is None else seed
    rng = np.random.default_rng(seed)
    n = int(rng.integers(50, 90))
    return [
        ("a 4-neuron graph: 0<->1, 1->2, 2->0 and a self-loop 3->3 (synapse counts as weights)", hand_made_graph()),
        ("a random 40-neuron weighted graph with 3 self-loops (numpy array)", synapse_counts(40, 0.1, 1, self_loops=3)),
        (
            "a random 150-neuron weighted graph with 5 self-loops (scipy.sparse.csr_array)",
            scipy.sparse.csr_array(synapse_counts(150, 0.05, 2, self_loops=5)),
        ),
        (
            "the same kind of graph as a scipy.sparse.csr_matrix (the older matrix class)",
            scipy.sparse.csr_matrix(synapse_counts(120, 0.06, 3, self_loops=4)),
        ),
        (
            f"a random {n}-neuron weighted graph drawn with seed {seed}, 4 self-loops (numpy array)",
            synapse_counts(n, float(rng.uniform(0.05, 0.15)), seed, self_loops=4, reciprocal=float(rng.uniform(0.5, 2.0))),
        ),
    ]


def mistaken_reciprocities(A: object) -> dict[str, float]:
    """What the usual slips in ``reciprocity(A)`` give on ``A``, by name.

    With :math:`P = [A > 0]` (self-loops kept), :math:`B` the same without the diagonal,
    :math:`m = \\sum B \\odot B^T` (connections whose reverse exists) and :math:`e = \\sum B`:

    * ``self_loops``: :math:`\\sum P \\odot P^T / \\sum P`;
    * ``unordered``: reciprocal pairs over connected pairs, :math:`(m/2) / (e - m/2)`;
    * ``halved``: :math:`(m/2)/e`;
    * ``density``: :func:`~neuro4ml.analysis.connectome.density`, the Erdős–Rényi expectation;
    * ``weights``, ``weights_with_loops``, ``weighted_min``: synapse counts in place of presence;
    * ``matrix_product``, ``matrix_product_with_loops``: :math:`\\sum (X X^T) / \\sum X`;
    * ``explicit_zeros``: ``.nnz`` counted after ``setdiag(0)`` on a sparse matrix;
    * ``sparse_product_*`` (sparse inputs only): ``*`` or ``@`` as a matrix product.
    """
    D = dense(A)
    P = (D > 0).astype(float)
    B = P.copy()
    np.fill_diagonal(B, 0)
    mutual = float((B * B.T).sum())
    edges = float(B.sum())
    out: dict[str, float] = {}
    with np.errstate(all="ignore"):
        out["self_loops"] = float((P * P.T).sum() / P.sum())
        out["unordered"] = (mutual / 2) / (edges - mutual / 2)
        out["halved"] = (mutual / 2) / edges
        out["density"] = cg.density(A)
        out["weights"] = float((D * D.T).sum() - (np.diag(D) ** 2).sum()) / float(D.sum() - np.trace(D))
        out["weights_with_loops"] = float((D * D.T).sum() / (D > 0).sum())
        out["weighted_min"] = float(np.minimum(D, D.T).sum() / D.sum())
        out["matrix_product_with_loops"] = float((P @ P.T).sum() / P.sum())
        out["matrix_product"] = float((B @ B.T).sum() / B.sum())
        S = scipy.sparse.csr_array(scipy.sparse.csr_array(A) > 0).astype(int)
        S.setdiag(0)  # leaves explicit zeros stored on the diagonal
        if S.nnz:
            out["explicit_zeros"] = float(S.multiply(S.T).nnz / S.nnz)
        if scipy.sparse.issparse(A):
            product = B @ B.T
            out["sparse_product_nonzero"] = float((product > 0).sum() / edges)
            out["sparse_product_sum"] = float(product.sum() / edges)
            out["sparse_product_off_diagonal"] = float(((product > 0).sum() - np.count_nonzero(np.diag(product))) / edges)
    return out


def rewire_cases(seed: int | None = None) -> list[tuple[str, object]]:
    """``(description, A)`` for the rewiring task; the last is drawn from a fresh seed."""
    seed = fresh_seed() if seed is None else seed
    return [
        ("a random 60-neuron graph with many reciprocal pairs (numpy array)", synapse_counts(60, 0.08, 5, reciprocal=2.0)),
        ("a random 120-neuron graph (scipy.sparse.csr_array)", scipy.sparse.csr_array(synapse_counts(120, 0.04, 6))),
        (
            "a random 80-neuron graph with 6 self-loops (scipy.sparse.csr_array)",
            scipy.sparse.csr_array(synapse_counts(80, 0.06, 9, self_loops=6)),
        ),
        (f"a random 100-neuron graph drawn with seed {seed} (numpy array)", synapse_counts(100, 0.05, seed, reciprocal=1.0)),
    ]


def kept_fraction(original: object, rewired: object) -> float:
    """The fraction of ``original``'s connections (i != j) still present in ``rewired``."""
    B = cg.presence(original).toarray() > 0
    R = dense(rewired) > 0
    return float((B & R).sum() / B.sum())


def mixing_reference(A: object, *, n_seeds: int = 6) -> dict[str, float]:
    """How much of ``A`` the library's :func:`~neuro4ml.analysis.connectome.rewire` leaves in place.

    Returns the mean and standard deviation, over ``n_seeds`` seeds, of the fraction of
    connections that stay where they were (:func:`kept_fraction`) after
    :data:`TASK_SWAPS_PER_CONNECTION` attempted swaps per connection (``kept``,
    ``kept_sd``) and after one attempt per connection (``kept_one_swap``): a rewiring
    that attempts too few swaps keeps more of the graph.
    """
    task = [kept_fraction(A, cg.rewire(A, swaps_per_edge=TASK_SWAPS_PER_CONNECTION, rng=s)) for s in range(n_seeds)]
    one = [kept_fraction(A, cg.rewire(A, swaps_per_edge=1.0, rng=s)) for s in range(n_seeds)]
    return {"kept": float(np.mean(task)), "kept_sd": float(np.std(task)), "kept_one_swap": float(np.mean(one))}


#: Letters the worm's neuron names are made of (class names such as AVA, RIA, then L/R).
_NAME_PARTS = ("AV", "RI", "AI", "SM", "DD", "VD", "AS", "PV", "UR", "IL")


def neuron_names(n: int, rng: np.random.Generator) -> list[str]:
    """``n`` distinct names like the worm's (``"RIAR"``, ``"AVBL"``, ``"DD03"``), in a random order: not sorted."""
    names: set[str] = set()
    while len(names) < n:
        part = _NAME_PARTS[int(rng.integers(len(_NAME_PARTS)))]
        if rng.random() < 0.3:
            names.add(f"{part}{int(rng.integers(1, 12)):02d}")
        else:
            names.add(f"{part}{'ABCDEM'[int(rng.integers(6))]}{'LR'[int(rng.integers(2))]}")
    out = sorted(names)
    rng.shuffle(out)
    if out == sorted(out):  # vanishingly unlikely, but the point of the case is that they are not sorted
        out.reverse()
    return out


def reindex_cases(seed: int | None = None) -> list[tuple[str, object, list[str], list[str]]]:
    """``(description, matrix, names, new_names)`` for the reindex task.

    The names are never sorted (the worm's are not), so a lookup that assumes sorted
    names (``np.searchsorted``) scrambles them; the last cases come from a fresh seed.
    """
    seed = fresh_seed() if seed is None else seed
    rng = np.random.default_rng(seed)
    A = synapse_counts(8, 0.4, 8)
    names = ["N3", "N0", "N7", "N1", "N6", "N2", "N5", "N4"]
    big = synapse_counts(30, 0.2, seed)
    big_names = neuron_names(30, rng)
    missing = neuron_names(33, rng)
    missing = [m for m in missing if m not in big_names][:3]
    kept = [big_names[k] for k in rng.permutation(30)[:20]]
    new_big = kept[:10] + missing + kept[10:]
    return [
        ("the same neurons in another order", A, names, [names[k] for k in (5, 2, 7, 0, 3, 6, 1, 4)]),
        ("a subset of the neurons, reordered", A, names, ["N5", "N1", "N7", "N2"]),
        ("new names that include two missing neurons", A, names, ["N3", "X1", "N0", "N6", "X2", "N4"]),
        (
            "a scipy.sparse matrix and the names of the other case",
            scipy.sparse.csr_array(A),
            names,
            ["N6", "N2", "N0", "X1"],
        ),
        (
            f"30 neurons with worm-like names in no particular order (seed {seed}), 20 of them kept and 3 new ones",
            scipy.sparse.csr_array(big),
            big_names,
            new_big,
        ),
    ]


@functools.lru_cache(maxsize=1)
def development_reference() -> dict[str, object]:
    """Connection counts across the eight Witvliet et al. (2021) stages, and the stable connections.

    Returns a dict with ``stages`` (the 8 data-set keys), ``n_connections`` (number
    of chemical connections, i != j, of each stage), ``n_stable`` (ordered pairs of
    the adult's neurons connected at every stage, after lining the stages up by
    name) and what the known slips give: ``synapses``, ``with_self_loops``,
    ``with_gap_junctions``, ``stable_with_self_loops``, ``ever``, ``in_first_and_last``,
    and ``stable_sorted_lookup`` (the stages lined up as if the names were sorted,
    ``np.searchsorted`` on the unsorted names).
    """
    from neuro4ml.data.connectomes import WITVLIET_STAGES, load_celegans

    stages = list(WITVLIET_STAGES)
    data = [load_celegans(stage) for stage in stages]
    adult = data[-1].neurons
    chemical = [c.chemical for c in data]
    aligned = np.array([cg.reindex(c.chemical, c.neurons, adult) > 0 for c in data])
    off = ~np.eye(len(adult), dtype=bool)
    with_gap = [cg.presence(c.chemical + c.gap_junctions).nnz for c in data]
    scrambled = np.array([sorted_lookup_reindex(c.chemical, c.neurons, adult) > 0 for c in data])
    return {
        "stages": stages,
        "n_connections": np.array([cg.presence(A).nnz for A in chemical]),
        "synapses": np.array([A.sum() for A in chemical]),
        "with_self_loops": np.array([(A > 0).sum() for A in chemical]),
        "with_gap_junctions": np.array(with_gap),
        "n_stable": int((aligned.all(axis=0) & off).sum()),
        "stable_with_self_loops": int(aligned.all(axis=0).sum()),
        "ever": int((aligned.any(axis=0) & off).sum()),
        "in_first_and_last": int((aligned[0] & aligned[-1] & off).sum()),
        "stable_sorted_lookup": int((scrambled.all(axis=0) & off).sum()),
    }


def sorted_lookup_reindex(matrix: object, names, new_names) -> np.ndarray:
    """The mistaken :func:`~neuro4ml.analysis.connectome.reindex` that looks names up as if they were sorted.

    ``np.searchsorted(names, new_names)`` finds the right positions only when ``names``
    is sorted; on the worm's unsorted names it picks other neurons. Positions past the
    end are clipped, as a learner's code usually does to avoid an IndexError.
    """
    D = dense(matrix)
    names = np.asarray(list(names))
    index = np.clip(np.searchsorted(names, np.asarray(list(new_names))), 0, len(names) - 1)
    return D[np.ix_(index, index)]


def distance_case(n: int, p0: float, length_um: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A random graph whose connection probability falls off as :math:`p_0 e^{-d/\\lambda}`, with its distances.

    Neurons are placed uniformly in a 300 µm square; the diagonal holds self-loops (which
    are not connections) so that a fit that forgets to leave them out shows.
    """
    rng = np.random.default_rng(seed)
    positions = rng.uniform(0, 300, size=(n, 2))
    d = cg.pairwise_distances(positions)
    A = (rng.random((n, n)) < p0 * np.exp(-d / length_um)) * rng.integers(1, 6, size=(n, n))
    np.fill_diagonal(A, 3)  # self-loops, which are not connections
    return A.astype(float), d


def fit_and_score(A: np.ndarray, d: np.ndarray, fit_mask: np.ndarray, score_mask: np.ndarray, *, self_loops: bool = False):
    """The exponential distance model fitted on ``fit_mask``, and its log loss on ``score_mask``.

    With the right masks (the train and test masks) this is the task's reference; with
    others it is one of the known mistakes (fitted on the held-out pairs, on every entry,
    ...). ``self_loops`` labels the diagonal as connected, as a fit on ``A > 0`` does.
    """
    connected = (A > 0) if self_loops else (cg.presence(A).toarray() > 0)
    model = cg.fit_exponential_distance_model(d[fit_mask], connected[fit_mask])
    return model, cg.log_loss(model.probability(d[score_mask]), connected[score_mask])


def distance_correlation_cases(seed: int | None = None) -> list[tuple[str, object, np.ndarray]]:
    """``(description, M, distances)`` for the distance-correlation task; the regions are drawn from ``seed``.

    A symmetric "structural" matrix with many zeros (dense and ``csr_array``) and a
    "functional" correlation matrix with ones on the diagonal.
    """
    seed = fresh_seed() if seed is None else seed
    rng = np.random.default_rng(seed)
    n = int(rng.integers(30, 50))
    positions = rng.uniform(0, 100, size=(n, 3))
    d = cg.pairwise_distances(positions)
    weights = np.exp(-d / 30) * rng.lognormal(0, 0.5, size=d.shape)
    weights = np.triu(weights * (rng.random(d.shape) < 0.5), 1)
    weights += weights.T
    np.fill_diagonal(weights, 2.0)
    correlation = np.corrcoef(rng.normal(size=(n, 30)) + 0.05 * positions[:, :1])
    return [
        (f"a symmetric 'structural' matrix of {n} regions (seed {seed}) with many zeros, as a numpy array "
         "(zeros are absent connections)", weights, d),
        ("a 'functional' correlation matrix, as a numpy array (ones on the diagonal)", correlation, d),
        ("the 'structural' matrix as a scipy.sparse.csr_array", scipy.sparse.csr_array(weights), d),
    ]


def mistaken_distance_correlations(M: object, d: np.ndarray) -> dict[str, float]:
    """What the usual slips in ``distance_correlation(M, d)`` give, by name.

    ``diagonal`` (every non-zero entry, the diagonal included), ``zeros`` (every
    off-diagonal entry, absent connections included), ``everything``, ``triu_k0``
    (``np.triu_indices(n)``, which includes the diagonal) and ``pearson``.
    """
    M = dense(M)
    n = M.shape[0]
    off = ~np.eye(n, dtype=bool)
    nonzero = M != 0
    out = {
        "diagonal": float(scipy.stats.spearmanr(M[nonzero], d[nonzero]).statistic),
        "zeros": float(scipy.stats.spearmanr(M[off], d[off]).statistic),
        "everything": float(scipy.stats.spearmanr(M.ravel(), d.ravel()).statistic),
    }
    rows, cols = np.triu_indices(n, k=0)
    keep = M[rows, cols] != 0
    out["triu_k0"] = float(scipy.stats.spearmanr(M[rows, cols][keep], d[rows, cols][keep]).statistic)
    rows, cols = np.triu_indices(n, k=1)
    keep = M[rows, cols] != 0
    out["pearson"] = float(np.corrcoef(M[rows, cols][keep], d[rows, cols][keep])[0, 1])
    return out
