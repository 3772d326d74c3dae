"""Answer checks for the week 3 exercise: the connectome as a graph.

* :func:`check_reciprocity` -- the learner's ``reciprocity(A)`` on dense and sparse
  matrices, compared with :func:`neuro4ml.analysis.connectome.reciprocity`; diagnoses counted
  self-loops, unordered pairs, weights instead of presence and sparse-matrix slips.
* :func:`check_degrees` -- ``degrees(A) -> (in_degree, out_degree)``: swapped
  (transposed) directions, synapse counts instead of partners, self-loops.
* :func:`check_rewire` -- a degree-preserving randomisation: every in- and
  out-degree kept, no self-loops or doubled connections, actually random.
* :func:`check_reindex` -- lining up two connectomes by neuron name.
* :func:`check_development` -- connection counts across the Witvliet et al. (2021)
  stages and the number of connections present at every stage.
* :func:`check_distance_model` -- an exponential distance model fitted on training
  pairs and scored on held-out pairs; diagnoses a fit that saw the held-out pairs.
* :func:`check_distance_correlation` -- the rank correlation between a connectivity
  matrix and distance, over distinct region pairs.

The reference values come from :mod:`neuro4ml.analysis.connectome` and the loaders of
:mod:`neuro4ml.data.connectomes`; this module only compares and explains.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

import numpy as np
import scipy.sparse
import scipy.stats

from neuro4ml.analysis import connectome as cg
from neuro4ml.check.core import (
    NOT_IMPLEMENTED,
    Feedback,
    as_array,
    as_number,
    call,
    check,
    first_values,
    in_case,
    require,
)

__all__ = [
    "check_degrees",
    "check_development",
    "check_distance_correlation",
    "check_distance_model",
    "check_reciprocity",
    "check_reindex",
    "check_rewire",
    "development_reference",
]

def _close(got: float, expected: float, rtol: float = 1e-9, atol: float = 1e-12) -> bool:
    """True when ``got`` equals ``expected`` to the tolerance; NaN is never close."""
    return bool(abs(got - expected) <= atol + rtol * abs(expected))


# ---------------------------------------------------------------------------
# Test graphs
# ---------------------------------------------------------------------------


def _synapse_counts(n: int, p: float, seed: int, *, self_loops: int = 0, reciprocal: float = 0.3) -> np.ndarray:
    """A weighted directed graph like a connectome: synapse counts 1-8, extra reciprocal pairs, a few self-loops."""
    rng = np.random.default_rng(seed)
    present = rng.random((n, n)) < p
    extra = np.triu(rng.random((n, n)) < reciprocal * p, 1)
    present |= extra | extra.T
    np.fill_diagonal(present, False)
    A = present * rng.integers(1, 9, size=(n, n))
    loops = rng.choice(n, size=self_loops, replace=False)
    A[loops, loops] = rng.integers(1, 5, size=self_loops)
    return A.astype(float)


def _hand_made() -> np.ndarray:
    """0<->1 (3 and 1 synapses), 1->2 (2), 2->0 (4), 3->3 (a self-loop of 5)."""
    A = np.zeros((4, 4))
    A[0, 1], A[1, 0], A[1, 2], A[2, 0], A[3, 3] = 3, 1, 2, 4, 5
    return A


def _graph_cases() -> list[tuple[str, object]]:
    return [
        ("a 4-neuron graph: 0<->1, 1->2, 2->0 and a self-loop 3->3 (synapse counts as weights)", _hand_made()),
        ("a random 40-neuron weighted graph with 3 self-loops (numpy array)", _synapse_counts(40, 0.1, 1, self_loops=3)),
        (
            "a random 150-neuron weighted graph with 5 self-loops (scipy.sparse.csr_array)",
            scipy.sparse.csr_array(_synapse_counts(150, 0.05, 2, self_loops=5)),
        ),
        (
            "the same kind of graph as a scipy.sparse.csr_matrix (the older matrix class)",
            scipy.sparse.csr_matrix(_synapse_counts(120, 0.06, 3, self_loops=4)),
        ),
    ]


def _dense(A: object) -> np.ndarray:
    return A.toarray() if scipy.sparse.issparse(A) else np.asarray(A, dtype=float)


# ---------------------------------------------------------------------------
# Reciprocity
# ---------------------------------------------------------------------------


def _reciprocity_variants(A: object) -> list[tuple[float, str, str]]:
    """The values that common slips give on ``A``, with what went wrong and a hint."""
    D = _dense(A)
    P = (D > 0).astype(float)
    B = P.copy()
    np.fill_diagonal(B, 0)
    mutual = float((B * B.T).sum())
    edges = float(B.sum())
    variants = [
        (
            float((P * P.T).sum() / P.sum()),
            "your value counts self-loops: a neuron connected to itself is its own reverse pair",
            "leave out the diagonal (i == j) from both the numerator and the denominator.",
        ),
        (
            (mutual / 2) / (edges - mutual / 2),
            "your value counts unordered pairs: reciprocal pairs / connected pairs",
            "count ordered pairs (i, j): each reciprocal pair gives two connections whose reverse exists.",
        ),
        (
            (mutual / 2) / edges,
            "your value is half the expected one: each reciprocal pair was counted once, but it holds two connections",
            "the numerator is the number of connections (i, j) whose reverse (j, i) exists: both directions count.",
        ),
        (
            float((D * D.T).sum() - (np.diag(D) ** 2).sum()) / float(D.sum() - np.trace(D)),
            "your value uses the synapse counts (weights) instead of whether a connection exists",
            "turn the matrix into presence first: A > 0.",
        ),
        (
            float((D * D.T).sum() / (D > 0).sum()),
            "your value multiplies synapse counts (weights) instead of testing whether a connection exists",
            "turn the matrix into presence first: A > 0, and leave out the diagonal.",
        ),
        (
            float(np.minimum(D, D.T).sum() / D.sum()),
            "your value weighs pairs by their synapse counts",
            "the question is about presence only: A > 0.",
        ),
    ]
    for X in (P, B):
        variants.append(
            (
                float((X @ X.T).sum() / X.sum()),
                "`@` is a matrix product (and so is `*` on the old scipy.sparse matrix class): it sums over a "
                "third neuron instead of pairing A[i, j] with A[j, i]",
                "an elementwise product of the presence matrix with its transpose is wanted, not a matrix product.",
            )
        )
    with np.errstate(all="ignore"):
        S = scipy.sparse.csr_array(scipy.sparse.csr_array(A) > 0).astype(int)
        S.setdiag(0)  # leaves explicit zeros stored on the diagonal
        if S.nnz:
            variants.insert(
                0,
                (
                    float(S.multiply(S.T).nnz / S.nnz),
                    "your count includes explicit zeros: after setdiag(0) a scipy.sparse matrix still stores the "
                    "diagonal entries as zeros, and .nnz counts stored entries, not non-zero ones",
                    "remove stored zeros (eliminate_zeros) before counting with .nnz, or count with .sum() on presence.",
                ),
            )
    if scipy.sparse.issparse(A):
        product = B @ B.T
        for value in ((product > 0).sum() / edges, product.sum() / edges, ((product > 0).sum() - np.count_nonzero(np.diag(product))) / edges):
            variants.append(
                (
                    float(value),
                    "on this sparse matrix `*` or `@` computed a matrix product, not an elementwise product",
                    "for scipy.sparse use A.multiply(B) for the elementwise product (for the old csr_matrix class, "
                    "`A * B` is matrix multiplication), or convert with .toarray() first.",
                )
            )
    return variants


def _consistent(reciprocity: Callable, matches: list[tuple[str, str]], failed: str) -> list[tuple[str, str]]:
    """The diagnoses among ``matches`` that also explain the learner's value on the other graph cases."""
    keep = list(matches)
    for description, A in _graph_cases():
        if description == failed:
            continue
        try:
            with np.errstate(all="ignore"):
                got = float(reciprocity(A.copy()))
        except Exception:
            continue
        here = {what for value, what, _ in _reciprocity_variants(A) if _close(got, value, rtol=1e-6)}
        if not _close(got, cg.reciprocity(A)):
            keep = [m for m in keep if m[0] in here]
    return keep


@check("reciprocity")
def check_reciprocity(reciprocity: Callable) -> Iterator[str]:
    """Check ``reciprocity(A)``: the fraction of connected ordered pairs (i != j) whose reverse pair is connected."""
    for description, A in _graph_cases():
        expected = cg.reciprocity(A)
        try:
            out = call(reciprocity, "reciprocity", A.copy())
        except Feedback as feedback:
            if feedback.status == NOT_IMPLEMENTED:
                raise
            if scipy.sparse.issparse(A):
                feedback.hint = (
                    "it worked on numpy arrays but not on a scipy.sparse matrix: use operations both "
                    "support (A > 0, .multiply, .sum()) or convert with .toarray() at the start."
                )
            raise in_case(description, feedback) from None
        if isinstance(out, (list, tuple)) or (isinstance(out, np.ndarray) and out.ndim != 0) or scipy.sparse.issparse(out):
            raise Feedback(
                f"{description}: reciprocity returned a {type(out).__name__}; expected one number (a float)",
                hint="return a plain number, not a list or an array: the notebook formats it with f\"{r:.3f}\".",
            )
        got = as_number(out, "the returned reciprocity", hint="return one number: a fraction between 0 and 1.")
        if _close(got, expected):
            yield f"{description}: {got:.4f}"
            continue
        matches = [(what, hint) for value, what, hint in _reciprocity_variants(A) if _close(got, value, rtol=1e-6)]
        if len(matches) > 1:
            matches = _consistent(reciprocity, matches, description) or matches
        if matches:
            what, hint = matches[0]
            raise Feedback(f"{description}: expected {expected:.4f}, got {got:.4f}; {what}", hint=hint)
        if abs(got - expected) <= 0.0005 + 1e-12 and any(_close(got, round(expected, k)) for k in range(1, 5)):
            raise Feedback(
                f"{description}: expected {expected:.6f}, got {got:.6g}; your value is rounded",
                hint="return the value at full precision; round only when you print it.",
            )
        if got > 1:
            raise Feedback(
                f"{description}: expected a fraction between 0 and 1 ({expected:.4f}), got {got:.6g}",
                hint="divide the number of reciprocated connections by the number of connections.",
            )
        raise Feedback(
            f"{description}: expected {expected:.4f}, got {got:.4f}",
            hint="count the pairs i != j with A[i, j] > 0 (connections), and among them those with A[j, i] > 0 too.",
        )


# ---------------------------------------------------------------------------
# Degrees
# ---------------------------------------------------------------------------


def _degree_array(value: object, name: str, n: int) -> np.ndarray:
    require(value, name)
    if value is not None and not isinstance(value, np.ndarray) and not scipy.sparse.issparse(value):
        raise Feedback(
            f"{name} is a {type(value).__name__}; expected a numpy array of shape ({n},)",
            hint="return numpy arrays (np.asarray converts a list): the notebook calls array methods such as .max() on them.",
        )
    if isinstance(value, np.matrix) or (np.ndim(value) == 2 and 1 in np.shape(value)):
        raise Feedback(
            f"{name} has shape {np.shape(value)}; expected a flat array of shape ({n},)",
            hint="a sum over a scipy.sparse matrix is 2-D; flatten it with np.asarray(...).ravel().",
        )
    return as_array(value, name, shape=(n,), hint=f"one number per neuron: shape ({n},).")


@check("in- and out-degrees")
def check_degrees(degrees: Callable) -> Iterator[str]:
    """Check ``degrees(A) -> (in_degree, out_degree)``, the number of partners of each neuron."""
    for description, A in _graph_cases():
        n = A.shape[0]
        out = call(degrees, "degrees", A.copy())
        require(out, "the returned degrees")
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise Feedback(
                f"{description}: degrees should return two arrays, (in_degree, out_degree); got {type(out).__name__}",
                hint="return a pair of arrays: the in-degrees first, then the out-degrees.",
            )
        try:
            got_in = _degree_array(out[0], "in_degree", n)
            got_out = _degree_array(out[1], "out_degree", n)
        except Feedback as feedback:
            raise in_case(description, feedback) from None
        exp_in, exp_out = cg.in_degrees(A), cg.out_degrees(A)
        if np.array_equal(got_in, exp_in) and np.array_equal(got_out, exp_out):
            yield f"{description}: in- and out-degrees right"
            continue
        D = _dense(A)
        P = (D > 0).astype(float)
        if np.array_equal(got_in, exp_out) and np.array_equal(got_out, exp_in):
            raise Feedback(
                f"{description}: in_degree and out_degree are swapped",
                hint="A[i, j] is a connection from i to j: row i lists i's targets (out), column j lists j's inputs (in).",
            )
        if np.array_equal(got_in, P.sum(axis=0)) and np.array_equal(got_out, P.sum(axis=1)):
            raise Feedback(
                f"{description}: the self-loops are counted (e.g. neuron {int(np.flatnonzero(np.diag(P))[0])} "
                "is its own partner)",
                hint="leave out the diagonal: a neuron is not its own partner.",
            )
        if np.allclose(got_in, D.sum(axis=0)) or np.allclose(got_out, D.sum(axis=1)) or np.allclose(
            got_in, D.sum(axis=0) - np.diag(D)
        ):
            raise Feedback(
                f"{description}: your degrees add up synapse counts (weights), e.g. in_degree starts "
                f"{first_values(got_in)} instead of {first_values(exp_in)}",
                hint="the degree counts partners, not synapses: count the entries with A > 0.",
            )
        raise Feedback(
            f"{description}: expected in_degree {first_values(exp_in)} and out_degree {first_values(exp_out)}, "
            f"got {first_values(got_in)} and {first_values(got_out)}",
            hint="out_degree[i] is the number of j != i with A[i, j] > 0; in_degree[j] the number of i != j.",
        )


# ---------------------------------------------------------------------------
# Degree-preserving rewiring
# ---------------------------------------------------------------------------


def _rewired(out: object, n: int, name: str = "the rewired matrix") -> np.ndarray:
    require(out, name)
    if out is None:
        raise Feedback(f"{name} is None: did you forget a `return`?", hint="return the new adjacency matrix.")
    if not isinstance(out, np.ndarray) and not scipy.sparse.issparse(out):
        raise Feedback(
            f"{name} is a {type(out).__name__}; expected a numpy array or a scipy.sparse matrix",
            hint="build the result as an array (np.zeros((n, n), dtype=int)) and set its connections to 1.",
        )
    D = as_array(_dense(out) if scipy.sparse.issparse(out) else out, name, shape=(n, n), hint="return an (n, n) matrix like A.")
    return D


@check("degree-preserving rewiring")
def check_rewire(rewire: Callable) -> Iterator[str]:
    """Check ``rewire(A, rng)``: a random graph with exactly A's in- and out-degrees."""
    cases = [
        ("a random 60-neuron graph with many reciprocal pairs (numpy array)", _synapse_counts(60, 0.08, 5, reciprocal=2.0)),
        ("a random 120-neuron graph (scipy.sparse.csr_array)", scipy.sparse.csr_array(_synapse_counts(120, 0.04, 6))),
        (
            "a random 80-neuron graph with 6 self-loops (scipy.sparse.csr_array)",
            scipy.sparse.csr_array(_synapse_counts(80, 0.06, 9, self_loops=6)),
        ),
    ]
    for description, A in cases:
        n = A.shape[0]
        original = _dense(A).copy()
        B = cg.presence(A).toarray()
        results = []
        given = A.copy()
        for seed in (0, 0, 1):
            out = call(rewire, "rewire", given, np.random.default_rng(seed))
            results.append(_rewired(out, n))
            if not np.array_equal(_dense(given), original):
                break
        if not np.array_equal(_dense(given), original):
            raise Feedback(f"{description}: rewire changed the matrix it was given", hint="work on a copy of A.")
        R = results[0]
        P = R > 0
        if np.diag(P).any():
            raise Feedback(
                f"{description}: the rewired graph has {int(np.diag(P).sum())} self-loop(s)",
                hint="reject a swap that would connect a neuron to itself.",
            )
        with_loops = original > 0
        if np.diag(with_loops).any() and P.sum() == with_loops.sum() and np.array_equal(
            P.sum(axis=1), with_loops.sum(axis=1)
        ):
            raise Feedback(
                f"{description}: the rewired graph has {int(P.sum())} connections instead of {int(B.sum())}: "
                f"the {int(np.diag(with_loops).sum())} self-loop(s) of A were kept as connections and swapped around",
                hint="a self-loop is not a connection: leave A's diagonal out before collecting the connections to swap.",
            )
        if P.sum() != B.sum():
            raise Feedback(
                f"{description}: the rewired graph has {int(P.sum())} connections instead of {int(B.sum())}",
                hint="reject a swap that would create a connection that already exists; "
                "otherwise two connections land on the same pair and merge.",
            )
        out_ok = np.array_equal(P.sum(axis=1), B.sum(axis=1))
        in_ok = np.array_equal(P.sum(axis=0), B.sum(axis=0))
        if not (out_ok and in_ok):
            if out_ok:
                what = "the out-degrees are kept but not the in-degrees (targets shuffled within each row?)"
            elif in_ok:
                what = "the in-degrees are kept but not the out-degrees (sources shuffled within each column?)"
            else:
                what = "neither the in- nor the out-degrees are kept: this is an Erdős–Rényi-like graph"
            raise Feedback(
                f"{description}: {what}",
                hint="swap the targets of two connections, a->b and c->d become a->d and c->b: each neuron "
                "keeps its number of targets and of sources.",
            )
        kept = float((P & (B > 0)).sum() / B.sum())
        if kept == 1.0:
            raise Feedback(f"{description}: the graph came back unchanged", hint="no swap was made; check the loop.")
        values = np.unique(R)
        if not np.isin(values, [0, 1]).all():
            raise Feedback(
                f"{description}: the rewired matrix holds values other than 0 and 1 "
                f"(e.g. {first_values(values[~np.isin(values, [0, 1])])})",
                hint="the task asks for a 0/1 matrix: 1 where a connection exists, 0 elsewhere.",
            )
        if kept > 0.5:
            raise Feedback(
                f"{description}: {kept:.0%} of the connections are still where they were; the graph is barely mixed",
                hint="attempt many swaps, about ten per connection, so that most connections move.",
            )
        if not np.array_equal(results[0] > 0, results[1] > 0):
            raise Feedback(
                f"{description}: two calls with the same seed gave different graphs",
                hint="draw every random number from the rng argument, not from np.random or random.",
            )
        if np.array_equal(results[0] > 0, results[2] > 0):
            raise Feedback(
                f"{description}: two different seeds gave the same graph",
                hint="use the rng argument for every random choice.",
            )
        yield f"{description}: degrees kept, {1 - kept:.0%} of connections moved, seeded"


# ---------------------------------------------------------------------------
# Lining connectomes up by name
# ---------------------------------------------------------------------------


def _numeric(value: object) -> bool:
    """True when ``value`` converts to a float array."""
    try:
        np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return True


@check("lining up connectomes by name")
def check_reindex(reindex: Callable) -> Iterator[str]:
    """Check ``reindex(matrix, names, new_names)`` against :func:`neuro4ml.analysis.connectome.reindex`."""
    rng = np.random.default_rng(7)
    A = _synapse_counts(8, 0.4, 8)
    names = [f"N{k}" for k in range(8)]
    cases = [
        ("the same neurons in another order", A, names, [names[k] for k in rng.permutation(8)]),
        ("a subset of the neurons, reordered", A, names, ["N5", "N1", "N7", "N2"]),
        ("new names that include two missing neurons", A, names, ["N3", "X1", "N0", "N6", "X2", "N4"]),
        (
            "a scipy.sparse matrix and the names of the other case",
            scipy.sparse.csr_array(A),
            names,
            ["N6", "N2", "N0", "X1"],
        ),
    ]
    for description, matrix, old, new in cases:
        expected = cg.reindex(matrix, old, new)
        try:
            out = call(reindex, "reindex", matrix.copy(), list(old), list(new))
            require(out, "the returned matrix")
            if scipy.sparse.issparse(out):
                raise Feedback(
                    f"the returned matrix is a scipy.sparse {type(out).__name__}; expected a numpy array",
                    hint="return a dense numpy array (.toarray()): the notebook stacks the eight stages with np.array.",
                )
            missing = [name for name in new if name not in old]
            with np.errstate(all="ignore"):
                has_nan = out is not None and np.isnan(np.asarray(out, dtype=float)).any() if _numeric(out) else False
            if has_nan and missing:
                raise Feedback(
                    f"the returned matrix holds NaN; the names {', '.join(missing)} are not in names",
                    hint="a neuron missing from names has no connections: its row and column should be 0, not NaN.",
                )
            got = as_array(out, "the returned matrix", shape=expected.shape, hint="one row and one column per name in new_names.")
        except Feedback as feedback:
            if feedback.status == NOT_IMPLEMENTED:
                raise
            raise in_case(description, feedback) from None
        if np.allclose(got, expected):
            yield f"{description}: right"
            continue
        if np.allclose(got, expected.T):
            raise Feedback(
                f"{description}: your matrix is transposed",
                hint="keep rows as sources and columns as targets: index rows and columns with the same positions.",
            )
        m = len(new)
        if m <= matrix.shape[0] and np.allclose(got, _dense(matrix)[:m, :m]):
            raise Feedback(
                f"{description}: your matrix ignores the names and keeps the first rows and columns",
                hint="find where each of new_names sits in names (e.g. a dict name -> index) and take those rows and columns.",
            )
        raise Feedback(
            f"{description}: expected rows starting {first_values(expected[0])}, got {first_values(got[0])}",
            hint="out[a, b] should be matrix[index of new_names[a], index of new_names[b]], and 0 for a missing name.",
        )


# ---------------------------------------------------------------------------
# Development across the Witvliet stages
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def development_reference() -> dict[str, object]:
    """Connection counts across the eight Witvliet et al. (2021) stages, and the stable connections.

    Returns a dict with ``stages`` (the 8 data-set keys), ``n_connections`` (number
    of chemical connections, i != j, of each stage), ``n_stable`` (ordered pairs of
    the adult's neurons connected at every stage, after lining the stages up by
    name) and the slip variants the check recognises.
    """
    from neuro4ml.data.connectomes import WITVLIET_STAGES, load_celegans

    stages = list(WITVLIET_STAGES)
    data = [load_celegans(stage) for stage in stages]
    adult = data[-1].neurons
    chemical = [c.chemical for c in data]
    aligned = np.array([cg.reindex(c.chemical, c.neurons, adult) > 0 for c in data])
    off = ~np.eye(len(adult), dtype=bool)
    with_gap = [cg.presence(c.chemical + c.gap_junctions).nnz for c in data]
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
    }


def _off_by(got: float, expected: float) -> str:
    """How far ``got`` is from ``expected``, in words, without giving ``expected`` away."""
    relative = abs(got - expected) / abs(expected)
    size = "less than 1%" if relative < 0.01 else "less than 10%" if relative < 0.1 else "more than 10%"
    return f"{'too high' if got > expected else 'too low'} (by {size})"


def _not_none(value: object, name: str, what: str) -> None:
    """A value left as None gets a message about the value, not about a function's `return`."""
    if value is None:
        raise Feedback(f"{name} is None; expected {what}", hint=f"assign {name} the result of your computation.")


@check("connections across development")
def check_development(n_connections: object, n_stable: object) -> Iterator[str]:
    """Check the number of chemical connections of each Witvliet stage and the number present at every stage.

    The messages say which stage is off and in which direction, never the expected counts:
    pasting them would pass the check without doing the task.
    """
    ref = development_reference()
    expected = ref["n_connections"]
    require(n_connections, "n_connections")
    _not_none(n_connections, "n_connections", "a list of eight counts, one per stage")
    got = as_array(n_connections, "n_connections", shape=expected.shape, hint="one count per stage, in the order of WITVLIET_STAGES.")
    if not np.array_equal(got, expected):
        for key, what, hint in [
            ("synapses", "these are synapse counts, not connection counts", "count the pairs with at least one synapse: A > 0."),
            ("with_self_loops", "the self-loops are counted", "leave out the diagonal."),
            ("with_gap_junctions", "gap junctions are counted too", "use the chemical synapses only."),
        ]:
            if np.array_equal(got, ref[key]):
                raise Feedback(f"n_connections: {what} ({first_values(got, 8)})", hint=hint)
        if np.array_equal(got, expected[::-1]):
            raise Feedback("n_connections is in reverse order", hint="keep the order of WITVLIET_STAGES, birth first.")
        wrong = [f"{stage} {_off_by(g, e)}" for stage, g, e in zip(ref["stages"], got, expected) if g != e]
        raise Feedback(
            f"n_connections: {len(wrong)} of the 8 stages differ: {'; '.join(wrong)}",
            hint="a connection is an ordered pair i != j with at least one chemical synapse; "
            "a stored entry of a sparse matrix is not necessarily a connection.",
        )
    yield f"connections per stage: {', '.join(str(int(v)) for v in expected)}"
    require(n_stable, "n_stable")
    _not_none(n_stable, "n_stable", "one whole number")
    value = as_number(n_stable, "n_stable", hint="one whole number: how many ordered pairs are connected at every stage.")
    if value == ref["n_stable"]:
        yield f"{ref['n_stable']} connections are present at all eight stages"
        return
    for key, what, hint in [
        ("stable_with_self_loops", "the self-loops are counted", "leave out the diagonal."),
        ("ever", "this counts connections present at ANY stage", "a stable connection is present at every stage: combine with `&` (or .all), not `|`."),
        (
            "in_first_and_last",
            "this counts connections present at birth and in the adult only",
            "a connection must be present at each of the eight stages.",
        ),
    ]:
        if value == ref[key]:
            raise Feedback(f"n_stable: your {value:g} is {_off_by(value, ref['n_stable'])}; {what}", hint=hint)
    raise Feedback(
        f"n_stable: your {value:g} is {_off_by(value, ref['n_stable'])}",
        hint="line every stage up on the adult's neurons by name, then count the pairs i != j "
        "connected at all eight stages.",
    )


# ---------------------------------------------------------------------------
# Predicting connections from distance
# ---------------------------------------------------------------------------


def _distance_case(n: int, p0: float, length_um: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    positions = rng.uniform(0, 300, size=(n, 2))
    d = cg.pairwise_distances(positions)
    A = (rng.random((n, n)) < p0 * np.exp(-d / length_um)) * rng.integers(1, 6, size=(n, n))
    np.fill_diagonal(A, 3)  # self-loops, which are not connections
    return A.astype(float), d


def _fit_and_score(A: np.ndarray, d: np.ndarray, fit_mask: np.ndarray, score_mask: np.ndarray, *, self_loops: bool = False):
    connected = (A > 0) if self_loops else (cg.presence(A).toarray() > 0)
    model = cg.fit_exponential_distance_model(d[fit_mask], connected[fit_mask])
    return model, cg.log_loss(model.probability(d[score_mask]), connected[score_mask])


def _pair_set_slips(A: np.ndarray, d: np.ndarray, train: np.ndarray, test: np.ndarray, fraction: float, seed: int):
    """The models that a fit on the wrong set of pairs gives, with what went wrong and a hint."""
    n = A.shape[0]
    off = ~np.eye(n, dtype=bool)
    every = np.ones((n, n), dtype=bool)
    slips = [
        (_fit_and_score(A, d, off, test)[0], "the model was fitted on all pairs, held-out ones included: the test score leaks",
         "the held-out pairs must stay unseen until scoring: select the training pairs with the train mask."),
        (_fit_and_score(A, d, every, test, self_loops=True)[0],
         "the model was fitted on every entry of the matrix: the diagonal and the held-out pairs included",
         "select the training pairs with the train mask rather than flattening the whole matrix."),
        (_fit_and_score(A, d, test, test)[0], "the model was fitted on the held-out pairs", "the fit belongs on the training pairs (the train mask)."),
        (_fit_and_score(A, d, ~test, test, self_loops=True)[0], "the fit includes the diagonal (each neuron paired with itself, at distance 0)",
         "use the train mask as given: it leaves out i == j."),
        (_fit_and_score(A, d, np.triu(train, 1), test)[0],
         "the model was fitted on the training pairs above the diagonal only (i < j): half the training pairs are missing",
         "use every training pair the mask selects, (i, j) and (j, i) alike: both are directed pairs with their own label."),
    ]
    for other in range(6):
        if other != seed:
            mine, _ = cg.split_pairs(n, test_fraction=fraction, rng=other)
            slips.append(
                (_fit_and_score(A, d, mine, test)[0], "the model was fitted on a split of your own, not on the train mask given: "
                 "some of its training pairs are the held-out pairs", "use the train and test masks passed to the function."),
            )
    return slips


@check("distance model scored on held-out pairs")
def check_distance_model(fit_and_score: Callable) -> Iterator[str]:
    """Check ``fit_and_score(A, distances, train, test) -> (model, test_log_loss)``.

    The second case gives ``A`` as a ``scipy.sparse.csr_array``, as the notebook does with ``body.chemical``.
    """
    cases = [
        ("120 neurons, p(d) = 0.5 exp(-d / 60 µm), 20% of pairs held out (numpy array)", 120, 0.5, 60.0, 0.2, 11, False),
        ("150 neurons, p(d) = 0.3 exp(-d / 100 µm), 30% of pairs held out (scipy.sparse.csr_array)", 150, 0.3, 100.0, 0.3, 12, True),
    ]
    for description, n, p0, length, fraction, seed, sparse in cases:
        A, d = _distance_case(n, p0, length, seed)
        train, test = cg.split_pairs(n, test_fraction=fraction, rng=seed)
        given = scipy.sparse.csr_array(A) if sparse else A.copy()
        try:
            out = call(fit_and_score, "fit_and_score", given, d.copy(), train.copy(), test.copy())
        except Feedback as feedback:
            if feedback.status == NOT_IMPLEMENTED:
                raise
            if sparse:
                feedback.hint = (
                    "it worked on a numpy array but not on a scipy.sparse matrix (the notebook passes one): "
                    "np.asarray does not convert a sparse matrix; use .toarray() or operations both support."
                )
            raise in_case(description, feedback) from None
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise Feedback(
                f"{description}: fit_and_score should return (model, test_log_loss), got {type(out).__name__}",
                hint="return a pair: the fitted model first, then its held-out log loss.",
            )
        model, loss = out
        try:
            require(model, "the model")
            if not isinstance(model, cg.DistanceModel):
                raise Feedback(
                    f"the model should be the DistanceModel that fit_exponential_distance_model returns, "
                    f"got {type(model).__name__}",
                    hint="return the fitted model object itself, not its parameters or its predictions.",
                )
            loss = as_number(loss, "test_log_loss", hint="one number: the mean negative log-likelihood over the test pairs.")
            params = as_array([model.p0, model.length_scale], "the model's p0 and length_scale")
        except Feedback as feedback:
            if feedback.status == NOT_IMPLEMENTED:
                raise
            raise in_case(description, feedback) from None
        expected_model, expected_loss = _fit_and_score(A, d, train, test)

        def same_params(reference: cg.DistanceModel) -> bool:
            return bool(np.allclose(params, [reference.p0, reference.length_scale], rtol=2e-3))

        if not same_params(expected_model):
            # Which slip gives these parameters: the one closest to them.
            candidates = _pair_set_slips(A, d, train, test, fraction, seed)
            errors = [np.max(np.abs(params / [m.p0, m.length_scale] - 1)) for m, _, _ in candidates]
            best = int(np.argmin(errors))
            own = np.max(np.abs(params / [expected_model.p0, expected_model.length_scale] - 1))
            if errors[best] < own and errors[best] < 2e-3:
                _, what, hint = candidates[best]
                raise Feedback(f"{description}: {what}", hint=hint)
            raise Feedback(
                f"{description}: expected p0 = {expected_model.p0:.4f} and length_scale = "
                f"{expected_model.length_scale:.2f}, got {model.p0:.4f} and {model.length_scale:.2f}",
                hint="the fit should see exactly the pairs the train mask selects, each labelled by whether "
                "a connection exists (presence, not the number of synapses).",
            )
        if _close(loss, expected_loss, rtol=1e-4):
            yield f"{description}: held-out log loss {loss:.4f} nats per pair"
            continue
        connected = cg.presence(A).toarray() > 0
        train_loss = cg.log_loss(expected_model.probability(d[train]), connected[train])
        if _close(loss, train_loss, rtol=1e-4):
            raise Feedback(
                f"{description}: your loss {loss:.4f} is the training loss; expected the held-out loss {expected_loss:.4f}",
                hint="score on the test pairs: the point is how well the model does on pairs it has not seen.",
            )
        if _close(loss, -expected_loss, rtol=1e-4):
            raise Feedback(f"{description}: your loss has the wrong sign", hint="the log loss is the NEGATIVE mean log-likelihood.")
        raise Feedback(
            f"{description}: expected a held-out log loss of {expected_loss:.4f}, got {loss:.4f}",
            hint="the log loss averages, over the test pairs only, minus the log of the probability the model "
            "gave to what happened (p for a connected pair, 1 - p for an unconnected one).",
        )


# ---------------------------------------------------------------------------
# Structure, function and distance in the human brain
# ---------------------------------------------------------------------------


@check("correlation with distance")
def check_distance_correlation(distance_correlation: Callable) -> Iterator[str]:
    """Check ``distance_correlation(M, distances)``: Spearman correlation over distinct pairs with a non-zero entry."""
    rng = np.random.default_rng(21)
    positions = rng.uniform(0, 100, size=(40, 3))
    d = cg.pairwise_distances(positions)
    weights = np.exp(-d / 30) * rng.lognormal(0, 0.5, size=d.shape)
    weights = np.triu(weights * (rng.random(d.shape) < 0.5), 1)
    weights += weights.T
    np.fill_diagonal(weights, 2.0)
    correlation = np.corrcoef(rng.normal(size=(40, 30)) + 0.05 * positions[:, :1])
    cases = [
        ("a symmetric 'structural' matrix with many zeros, as a numpy array (zeros are absent connections)", weights, d),
        ("a 'functional' correlation matrix, as a numpy array (ones on the diagonal)", correlation, d),
        ("the 'structural' matrix as a scipy.sparse.csr_array", scipy.sparse.csr_array(weights), d),
    ]
    for description, given, dist in cases:
        M = _dense(given)
        expected = cg.distance_correlation(M, dist)
        try:
            out = call(distance_correlation, "distance_correlation", given.copy(), dist.copy())
        except Feedback as feedback:
            if feedback.status == NOT_IMPLEMENTED:
                raise
            if scipy.sparse.issparse(given):
                feedback.hint = "it worked on numpy arrays but not on a scipy.sparse matrix: convert with .toarray() first."
            raise in_case(description, feedback) from None
        got = as_number(out, "the returned correlation", hint="a rank correlation is one number between -1 and 1.")
        if _close(got, expected, rtol=1e-6, atol=1e-9):
            yield f"{description}: {got:.3f}"
            continue
        n = M.shape[0]
        off = ~np.eye(n, dtype=bool)
        nonzero = M != 0
        variants = [
            (float(scipy.stats.spearmanr(M[nonzero], dist[nonzero]).statistic), "the diagonal is included (each region with itself, at distance 0)", "use only the distinct pairs i < j (above the diagonal)."),
            (float(scipy.stats.spearmanr(M[off], dist[off]).statistic), "the absent connections (zeros) are included", "keep only the pairs with a non-zero entry."),
            (float(scipy.stats.spearmanr(M.ravel(), dist.ravel()).statistic), "all entries are used, the diagonal and the zeros included", "use the pairs i < j with a non-zero entry."),
        ]
        rows, cols = np.triu_indices(n, k=0)
        keep = M[rows, cols] != 0
        variants.append(
            (float(scipy.stats.spearmanr(M[rows, cols][keep], dist[rows, cols][keep]).statistic),
             "the diagonal is included: np.triu_indices(n) starts at k=0, each region paired with itself at distance 0",
             "take the pairs strictly above the diagonal (an offset of one).")
        )
        rows, cols = np.triu_indices(n, k=1)
        keep = M[rows, cols] != 0
        variants.append(
            (float(np.corrcoef(M[rows, cols][keep], dist[rows, cols][keep])[0, 1]), "this is Pearson's correlation, not Spearman's rank correlation", "use scipy.stats.spearmanr: connection weights are skewed, so ranks are fairer.")
        )
        for value, what, hint in variants:
            if _close(got, value, rtol=1e-6, atol=1e-9):
                raise Feedback(f"{description}: expected {expected:.4f}, got {got:.4f}; {what}", hint=hint)
        raise Feedback(
            f"{description}: expected {expected:.4f}, got {got:.4f}",
            hint="Spearman's correlation between M[i, j] and distances[i, j] over the pairs i < j with M[i, j] != 0.",
        )
