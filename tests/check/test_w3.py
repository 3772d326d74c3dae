"""Week 3 checks: right answers pass, each typical mistake gets its own diagnosis, nothing raises."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
import scipy.stats

from neuro4ml import connectome as cg
from neuro4ml.check import w3
from neuro4ml.check.core import FAILED, NOT_IMPLEMENTED, PASSED


def _run(check, *args):
    with np.errstate(all="ignore"):
        return check(*args, quiet=True)


def _assert_verdict(result, status, message=""):
    assert result.status == status, result.verdict()
    assert message in "\n".join(result.messages), result.verdict()
    if status == FAILED:
        assert result.hint, result.verdict()


def not_done(*args, **kwargs):
    raise NotImplementedError


def dense(A):
    return A.toarray() if scipy.sparse.issparse(A) else np.asarray(A, dtype=float)


# --- reciprocity ---------------------------------------------------------------


def reciprocity_right(A):
    B = dense(A) > 0
    np.fill_diagonal(B, False)
    return (B & B.T).sum() / B.sum()


def reciprocity_sparse_native(A):
    B = scipy.sparse.csr_array(A)
    B = (B > 0).astype(int)
    B.setdiag(0)
    B.eliminate_zeros()
    return B.multiply(B.T).sum() / B.sum()


def reciprocity_self_loops(A):
    B = dense(A) > 0
    return (B & B.T).sum() / B.sum()


def reciprocity_unordered(A):
    B = dense(A) > 0
    np.fill_diagonal(B, False)
    mutual = np.triu(B & B.T).sum()
    pairs = np.triu(B | B.T).sum()
    return mutual / pairs


def reciprocity_half(A):
    B = dense(A) > 0
    np.fill_diagonal(B, False)
    return np.triu(B & B.T).sum() / B.sum()


def reciprocity_weights(A):
    D = dense(A)
    return (D * D.T).sum() / (D > 0).sum()


def reciprocity_dense_only(A):
    B = np.asarray(A) > 0  # a sparse matrix becomes a 0-d object array
    np.fill_diagonal(B, False)
    return (B & B.T).sum() / B.sum()


def reciprocity_old_matrix_star(A):
    if scipy.sparse.issparse(A):
        B = scipy.sparse.csr_matrix((A > 0).astype(float))
        B.setdiag(0)
        B.eliminate_zeros()
        return (B * B.T > 0).sum() / B.sum() if isinstance(A, scipy.sparse.spmatrix) else reciprocity_right(A)
    return reciprocity_right(A)


@pytest.mark.parametrize("answer", [reciprocity_right, reciprocity_sparse_native, cg.reciprocity])
def test_reciprocity_right_answers_pass(answer):
    _assert_verdict(_run(w3.check_reciprocity, answer), PASSED)


@pytest.mark.parametrize(
    "answer, message",
    [
        (reciprocity_self_loops, "counts self-loops"),
        (reciprocity_unordered, "unordered pairs"),
        (reciprocity_half, "half the expected"),
        (reciprocity_weights, "synapse counts"),
        (lambda A: float(reciprocity_right(A) * dense(A).sum()), "between 0 and 1"),
        (lambda A: np.nan, "nan"),
        (lambda A: None, "None"),
        (lambda A: [0.1, 0.2], "one number"),
    ],
)
def test_reciprocity_mistakes_are_diagnosed(answer, message):
    _assert_verdict(_run(w3.check_reciprocity, answer), FAILED, message)


def test_reciprocity_failing_on_sparse_input_says_so():
    result = _run(w3.check_reciprocity, reciprocity_dense_only)
    _assert_verdict(result, FAILED, "sparse")
    assert "scipy.sparse" in result.hint


def test_reciprocity_matrix_product_on_old_sparse_class_is_diagnosed():
    _assert_verdict(_run(w3.check_reciprocity, reciprocity_old_matrix_star), FAILED, "matrix product")


def test_reciprocity_not_done():
    _assert_verdict(_run(w3.check_reciprocity, not_done), NOT_IMPLEMENTED)
    _assert_verdict(_run(w3.check_reciprocity, ...), NOT_IMPLEMENTED)


# --- degrees -------------------------------------------------------------------


def degrees_right(A):
    B = dense(A) > 0
    np.fill_diagonal(B, False)
    return B.sum(axis=0), B.sum(axis=1)


@pytest.mark.parametrize(
    "answer, message",
    [
        (lambda A: degrees_right(A)[::-1], "swapped"),
        (lambda A: ((dense(A) > 0).sum(axis=0), (dense(A) > 0).sum(axis=1)), "self-loops"),
        (lambda A: (dense(A).sum(axis=0), dense(A).sum(axis=1)), "synapse counts"),
        (lambda A: (np.asarray(scipy.sparse.csr_matrix(A > 0).sum(axis=0)), degrees_right(A)[1]), "flat array"),
        (lambda A: degrees_right(A)[0], "two arrays"),
    ],
)
def test_degree_mistakes_are_diagnosed(answer, message):
    _assert_verdict(_run(w3.check_degrees, answer), FAILED, message)


def test_degrees_right_answer_passes():
    _assert_verdict(_run(w3.check_degrees, degrees_right), PASSED)
    _assert_verdict(_run(w3.check_degrees, lambda A: (cg.in_degrees(A), cg.out_degrees(A))), PASSED)


# --- rewiring ------------------------------------------------------------------


def rewire_right(A, rng):
    return cg.rewire(A, rng=rng)


def rewire_rows(A, rng):
    B = dense(A) > 0
    np.fill_diagonal(B, False)
    out = np.zeros_like(B)
    n = B.shape[0]
    for i in range(n):
        others = np.delete(np.arange(n), i)
        out[i, rng.choice(others, size=B[i].sum(), replace=False)] = True
    return out


def rewire_erdos_renyi(A, rng):
    return cg.erdos_renyi(A.shape[0], cg.presence(A).nnz, rng=rng)


def rewire_allowing_self_loops(A, rng):
    B = cg.rewire(A, rng=rng).toarray()
    i, j = np.argwhere(B)[0]
    B[i, j] = 0
    B[i, i] = 1
    return B


def rewire_few_swaps(A, rng):
    return cg.rewire(A, swaps_per_edge=0.05, rng=rng)


def rewire_global_seed(A, rng):
    return cg.rewire(A, rng=np.random.default_rng())


def rewire_multi_edges(A, rng):
    B = cg.rewire(A, rng=rng).toarray()
    i, j = np.argwhere(B)[0]
    B[i, j] = 0  # two connections merged onto one pair: one fewer connection
    return B


def test_rewire_right_answer_passes():
    _assert_verdict(_run(w3.check_rewire, rewire_right), PASSED)


@pytest.mark.parametrize(
    "answer, message",
    [
        (rewire_rows, "out-degrees are kept but not the in-degrees"),
        (rewire_erdos_renyi, "Erdős–Rényi"),
        (rewire_allowing_self_loops, "self-loop"),
        (rewire_few_swaps, "barely mixed"),
        (rewire_global_seed, "same seed"),
        (rewire_multi_edges, "connections instead of"),
        (lambda A, rng: A, "unchanged"),
        (lambda A, rng: dense(A)[:5], "shape"),
    ],
)
def test_rewire_mistakes_are_diagnosed(answer, message):
    _assert_verdict(_run(w3.check_rewire, answer), FAILED, message)


def test_rewire_modifying_its_input_is_diagnosed():
    def in_place(A, rng):
        if isinstance(A, np.ndarray):
            A[:] = cg.rewire(A, rng=rng).toarray()
            return A
        return cg.rewire(A, rng=rng)

    _assert_verdict(_run(w3.check_rewire, in_place), FAILED, "changed the matrix")


# --- reindex -------------------------------------------------------------------


def reindex_right(matrix, names, new_names):
    D = dense(matrix)
    where = {name: k for k, name in enumerate(names)}
    out = np.zeros((len(new_names), len(new_names)))
    for a, x in enumerate(new_names):
        for b, y in enumerate(new_names):
            if x in where and y in where:
                out[a, b] = D[where[x], where[y]]
    return out


@pytest.mark.parametrize(
    "answer, status, message",
    [
        (reindex_right, PASSED, ""),
        (cg.reindex, PASSED, ""),
        (lambda m, n, new: reindex_right(m, n, new).T, FAILED, "transposed"),
        (lambda m, n, new: dense(m)[: len(new), : len(new)], FAILED, "ignores the names"),
        (lambda m, n, new: reindex_right(m, n, new) + 1, FAILED, "expected rows"),
    ],
)
def test_reindex(answer, status, message):
    _assert_verdict(_run(w3.check_reindex, answer), status, message)


# --- development ---------------------------------------------------------------


@pytest.fixture(scope="module")
def development():
    pytest.importorskip("cect")
    return w3.development_reference()


def test_development_right_answer_passes(development):
    _assert_verdict(_run(w3.check_development, list(development["n_connections"]), development["n_stable"]), PASSED)


@pytest.mark.parametrize(
    "counts_key, stable_key, message",
    [
        ("synapses", "n_stable", "synapse counts"),
        ("with_self_loops", "n_stable", "self-loops"),
        ("with_gap_junctions", "n_stable", "gap junctions"),
        ("n_connections", "ever", "ANY stage"),
        ("n_connections", "in_first_and_last", "birth and in the adult"),
    ],
)
def test_development_mistakes_are_diagnosed(development, counts_key, stable_key, message):
    _assert_verdict(_run(w3.check_development, development[counts_key], development[stable_key]), FAILED, message)


def test_development_not_done_and_reversed(development):
    _assert_verdict(_run(w3.check_development, ..., ...), NOT_IMPLEMENTED)
    _assert_verdict(_run(w3.check_development, development["n_connections"][::-1], 0), FAILED, "reverse")


# --- distance model ------------------------------------------------------------


def fit_right(A, distances, train, test):
    connected = dense(A) > 0
    model = cg.fit_exponential_distance_model(distances[train], connected[train])
    return model, cg.log_loss(model.probability(distances[test]), connected[test])


def fit_leaky(A, distances, train, test):
    connected = dense(A) > 0
    both = train | test
    model = cg.fit_exponential_distance_model(distances[both], connected[both])
    return model, cg.log_loss(model.probability(distances[test]), connected[test])


def fit_on_test(A, distances, train, test):
    connected = dense(A) > 0
    model = cg.fit_exponential_distance_model(distances[test], connected[test])
    return model, cg.log_loss(model.probability(distances[test]), connected[test])


def fit_with_diagonal(A, distances, train, test):
    connected = dense(A) > 0
    model = cg.fit_exponential_distance_model(distances[~test], connected[~test])
    return model, cg.log_loss(model.probability(distances[test]), connected[test])


def score_on_train(A, distances, train, test):
    connected = dense(A) > 0
    model = cg.fit_exponential_distance_model(distances[train], connected[train])
    return model, cg.log_loss(model.probability(distances[train]), connected[train])


@pytest.mark.parametrize(
    "answer, status, message",
    [
        (fit_right, PASSED, ""),
        (fit_leaky, FAILED, "leaks"),
        (fit_on_test, FAILED, "fitted on the held-out pairs"),
        (fit_with_diagonal, FAILED, "diagonal"),
        (score_on_train, FAILED, "training loss"),
        (lambda *a: (fit_right(*a)[0], -fit_right(*a)[1]), FAILED, "wrong sign"),
        (lambda *a: ((1.0, 2.0), 0.3), FAILED, "DistanceModel"),
        (lambda *a: fit_right(*a)[0], FAILED, "(model, test_log_loss)"),
    ],
)
def test_distance_model(answer, status, message):
    _assert_verdict(_run(w3.check_distance_model, answer), status, message)


# --- correlation with distance ---------------------------------------------------


def correlation_right(M, distances):
    rows, cols = np.triu_indices(len(M), k=1)
    keep = M[rows, cols] != 0
    return scipy.stats.spearmanr(M[rows, cols][keep], distances[rows, cols][keep]).statistic


@pytest.mark.parametrize(
    "answer, status, message",
    [
        (correlation_right, PASSED, ""),
        (lambda M, d: scipy.stats.spearmanr(M[M != 0], d[M != 0]).statistic, FAILED, "diagonal is included"),
        (lambda M, d: scipy.stats.spearmanr(M.ravel(), d.ravel()).statistic, FAILED, "all entries"),
        (
            lambda M, d: np.corrcoef(M[np.triu_indices(len(M), 1)][M[np.triu_indices(len(M), 1)] != 0],
                                     d[np.triu_indices(len(M), 1)][M[np.triu_indices(len(M), 1)] != 0])[0, 1],
            FAILED,
            "Pearson",
        ),
        (lambda M, d: float("inf"), FAILED, "inf"),
    ],
)
def test_distance_correlation(answer, status, message):
    _assert_verdict(_run(w3.check_distance_correlation, answer), status, message)
