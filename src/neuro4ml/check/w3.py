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

from collections.abc import Callable, Iterator

import numpy as np
import scipy.sparse
import scipy.stats

from neuro4ml.analysis import connectome as cg
from neuro4ml.check.core import (
    NOT_IMPLEMENTED,
    Feedback,
    Mistake,
    Tolerance,
    as_array,
    as_number,
    call,
    check,
    close,
    diagnose,
    diagnose_cases,
    in_case,
    off_by,
    require,
)
from neuro4ml.tasks.w3 import (
    dense as _dense,
)
from neuro4ml.tasks.w3 import (
    development_reference,
    distance_correlation_cases,
    kept_fraction,
    mistaken_distance_correlations,
    mistaken_reciprocities,
    mixing_reference,
    reindex_cases,
    rewire_cases,
    sorted_lookup_reindex,
)
from neuro4ml.tasks.w3 import (
    distance_case as _distance_case,
)
from neuro4ml.tasks.w3 import (
    fit_and_score as _fit_and_score,
)
from neuro4ml.tasks.w3 import (
    graph_cases as _graph_cases,
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

#: A reciprocity, correlation or loss agrees with the reference to rounding; a mistake
#: is named at the same tolerance (six significant digits: the library's sparse and
#: dense sums differ in the last few bits).
_TOLERANCE = Tolerance(rtol=1e-6, atol=1e-9)


# ---------------------------------------------------------------------------
# Reciprocity
# ---------------------------------------------------------------------------


def _mistake(key: str, message: str, hint: str) -> Mistake:
    """A reciprocity mistake whose answer on a graph is ``mistaken_reciprocities(A)[key]``."""
    return Mistake(lambda A: mistaken_reciprocities(A).get(key), message, hint)


_PRODUCT = (
    "on this sparse matrix `*` or `@` computed a matrix product, not an elementwise product",
    "for scipy.sparse use A.multiply(B) for the elementwise product (for the old csr_matrix class, "
    "`A * B` is matrix multiplication), or convert with .toarray() first.",
)

#: Known reciprocity mistakes, the most specific first.
RECIPROCITY_MISTAKES = (
    _mistake(
        "explicit_zeros",
        "your count includes explicit zeros: after setdiag(0) a scipy.sparse matrix still stores the "
        "diagonal entries as zeros, and .nnz counts stored entries, not non-zero ones",
        "remove stored zeros (eliminate_zeros) before counting with .nnz, or count with .sum() on presence.",
    ),
    _mistake(
        "density",
        "your value is the density of the graph (connections over all ordered pairs i != j), not the fraction of "
        "connections whose reverse exists",
        "the denominator is the number of connections, not the number of possible pairs; the numerator counts the "
        "connections (i, j) whose reverse (j, i) exists.",
    ),
    _mistake(
        "self_loops",
        "your value counts self-loops: a neuron connected to itself is its own reverse pair",
        "leave out the diagonal (i == j) from both the numerator and the denominator.",
    ),
    _mistake(
        "unordered",
        "your value counts unordered pairs: reciprocal pairs / connected pairs",
        "count ordered pairs (i, j): each reciprocal pair gives two connections whose reverse exists.",
    ),
    _mistake(
        "halved",
        "your value is half the expected one: each reciprocal pair was counted once, but it holds two connections",
        "the numerator is the number of connections (i, j) whose reverse (j, i) exists: both directions count.",
    ),
    _mistake(
        "weights",
        "your value uses the synapse counts (weights) instead of whether a connection exists",
        "turn the matrix into presence first: A > 0.",
    ),
    _mistake(
        "weights_with_loops",
        "your value multiplies synapse counts (weights) instead of testing whether a connection exists",
        "turn the matrix into presence first: A > 0, and leave out the diagonal.",
    ),
    _mistake("weighted_min", "your value weighs pairs by their synapse counts", "the question is about presence only: A > 0."),
    *(
        _mistake(
            key,
            "`@` is a matrix product (and so is `*` on the old scipy.sparse matrix class): it sums over a "
            "third neuron instead of pairing A[i, j] with A[j, i]",
            "an elementwise product of the presence matrix with its transpose is wanted, not a matrix product.",
        )
        for key in ("matrix_product_with_loops", "matrix_product")
    ),
    *(_mistake(key, *_PRODUCT) for key in ("sparse_product_nonzero", "sparse_product_sum", "sparse_product_off_diagonal")),
)


def _one_reciprocity(out: object) -> float:
    if isinstance(out, (list, tuple)) or (isinstance(out, np.ndarray) and out.ndim != 0) or scipy.sparse.issparse(out):
        raise Feedback(
            f"reciprocity returned a {type(out).__name__}; expected one number (a float)",
            hint="return a plain number, not a list or an array: the notebook formats it with f\"{r:.3f}\".",
        )
    return as_number(out, "the returned reciprocity", allow_one_element=False,
                     hint="return one number: a fraction between 0 and 1.")


@check("reciprocity")
def check_reciprocity(reciprocity: Callable) -> Iterator[str]:
    """Check ``reciprocity(A)``: the fraction of connected ordered pairs (i != j) whose reverse pair is connected.

    Runs on every graph of :func:`neuro4ml.tasks.w3.graph_cases` (one from a fresh seed)
    with the library's :func:`~neuro4ml.analysis.connectome.reciprocity` unavailable,
    then names the mistake of :data:`RECIPROCITY_MISTAKES` that explains every answer.
    """
    cases = _graph_cases()
    answers = []
    for description, A in cases:
        expected = cg.reciprocity(A)
        try:
            out = call(reciprocity, "reciprocity", A.copy(), forbid=[cg.reciprocity])
            got = _one_reciprocity(out)
        except Feedback as feedback:
            if feedback.status == NOT_IMPLEMENTED:
                raise
            if scipy.sparse.issparse(A) and "raised" in feedback.message:
                feedback.hint = (
                    "it worked on numpy arrays but not on a scipy.sparse matrix: use operations both "
                    "support (A > 0, .multiply, .sum()) or convert with .toarray() at the start."
                )
            raise in_case(description, feedback) from None
        answers.append((got, expected, (A,)))
    for k, ((description, A), (got, expected, _)) in enumerate(zip(cases, answers)):
        if close(got, expected, _TOLERANCE):
            yield f"{description}: {got:.4f}"
            continue
        mistake = diagnose_cases(answers, RECIPROCITY_MISTAKES, _TOLERANCE, failing=k)
        if mistake:
            raise Feedback(f"{description}: {mistake.message}", hint=mistake.hint)
        if abs(got - expected) <= 0.0005 + 1e-12 and any(close(got, round(expected, d)) for d in range(1, 5)):
            raise Feedback(
                f"{description}: your value is rounded",
                hint="return the value at full precision; round only when you print it.",
            )
        if not 0 <= got <= 1:
            raise Feedback(
                f"{description}: {got:.6g} is not a fraction between 0 and 1",
                hint="divide the number of reciprocated connections by the number of connections.",
            )
        raise Feedback(
            f"{description}: your reciprocity is {off_by(got, expected)}",
            hint="count the pairs i != j with A[i, j] > 0 (connections), and among them those with A[j, i] > 0 too.",
        )


# ---------------------------------------------------------------------------
# Degrees
# ---------------------------------------------------------------------------


def _degree_array(value: object, name: str, n: int) -> np.ndarray:
    require(value, name)
    if not isinstance(value, np.ndarray) and not scipy.sparse.issparse(value):
        raise Feedback(
            f"{name} is a {type(value).__name__}; expected a numpy array of shape ({n},)",
            hint="return numpy arrays (np.asarray converts a list): the notebook calls array methods such as .max() on them.",
        )
    if isinstance(value, np.matrix) or scipy.sparse.issparse(value) or (np.ndim(value) == 2 and 1 in np.shape(value)):
        raise Feedback(
            f"{name} has shape {np.shape(value)}; expected a flat array of shape ({n},)",
            hint="a sum over a scipy.sparse matrix is 2-D; flatten it with np.asarray(...).ravel().",
        )
    array = as_array(value, name, shape=(n,), hint=f"one number per neuron: shape ({n},).")
    if value.dtype.kind not in "iu":
        raise Feedback(
            f"{name} holds {value.dtype} numbers; a degree counts partners, so the task asks for integers",
            hint="count with integers: sum a boolean presence matrix (its sum is an int), or convert with "
            ".astype(int) once you are sure the values are whole.",
        )
    return array


@check("in- and out-degrees")
def check_degrees(degrees: Callable) -> Iterator[str]:
    """Check ``degrees(A) -> (in_degree, out_degree)``, the number of partners of each neuron, as integer arrays.

    The library's :func:`~neuro4ml.analysis.connectome.in_degrees` and ``out_degrees`` are
    unavailable while the learner's function runs.
    """
    for description, A in _graph_cases():
        n = A.shape[0]
        out = call(degrees, "degrees", A.copy(), forbid=[cg.in_degrees, cg.out_degrees])
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
                f"{description}: your degrees add up synapse counts (weights): they are larger than the numbers of partners",
                hint="the degree counts partners, not synapses: count the entries with A > 0.",
            )
        wrong_in = int(np.sum(got_in != exp_in))
        wrong_out = int(np.sum(got_out != exp_out))
        raise Feedback(
            f"{description}: {wrong_in} of the {n} in-degrees and {wrong_out} of the {n} out-degrees are wrong "
            f"(in total, your in-degrees are {off_by(float(got_in.sum()), float(exp_in.sum()))})",
            hint="out_degree[i] is the number of j != i with A[i, j] > 0; in_degree[j] the number of i != j.",
        )


# ---------------------------------------------------------------------------
# Degree-preserving rewiring
# ---------------------------------------------------------------------------


def _rewired(out: object, n: int, name: str = "the rewired matrix") -> np.ndarray:
    if not isinstance(out, np.ndarray) and not scipy.sparse.issparse(out):
        raise Feedback(
            f"{name} is a {type(out).__name__}; expected a numpy array or a scipy.sparse matrix",
            hint="build the result as an array (np.zeros((n, n), dtype=int)) and set its connections to 1.",
        )
    D = as_array(_dense(out) if scipy.sparse.issparse(out) else out, name, shape=(n, n), hint="return an (n, n) matrix like A.")
    return D


@check("degree-preserving rewiring")
def check_rewire(rewire: Callable) -> Iterator[str]:
    """Check ``rewire(A, rng)``: a random graph with exactly A's in- and out-degrees, thoroughly mixed.

    "Thoroughly" is measured against the library's
    :func:`~neuro4ml.analysis.connectome.rewire` (unavailable while the learner's code
    runs) on the same graph: the fraction of connections left in place must be closer to
    what ten swaps per connection leave than to what one swap per connection leaves.
    """
    for description, A in rewire_cases():
        n = A.shape[0]
        original = _dense(A).copy()
        B = cg.presence(A).toarray()
        results = []
        given = A.copy()
        for seed in (0, 0, 1):
            out = call(rewire, "rewire", given, np.random.default_rng(seed), forbid=[cg.rewire, cg.null_distribution])
            try:
                results.append(_rewired(out, n))
            except Feedback as feedback:
                raise in_case(description, feedback) from None
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
            transposed = np.array_equal(P.sum(axis=1), B.sum(axis=0)) and np.array_equal(P.sum(axis=0), B.sum(axis=1))
            if transposed:
                raise Feedback(
                    f"{description}: each neuron's in- and out-degrees are swapped: the rewired graph is transposed",
                    hint="keep A[i, j] as the connection from i to j: the sources are the row indices, the targets "
                    "the column indices, and the result is indexed [source, target] too.",
                )
            if np.array_equal(np.sort(P.sum(axis=1)), np.sort(B.sum(axis=1))) and np.array_equal(
                np.sort(P.sum(axis=0)), np.sort(B.sum(axis=0))
            ):
                raise Feedback(
                    f"{description}: the degrees are the right numbers but belong to other neurons: the neurons were "
                    "relabelled (rows and columns shuffled) instead of connections being swapped",
                    hint="a relabelled graph is the same graph: keep every neuron where it is and swap the targets of "
                    "pairs of connections, a->b and c->d become a->d and c->b.",
                )
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
        kept = kept_fraction(A, R)
        if kept == 1.0:
            raise Feedback(f"{description}: the graph came back unchanged", hint="no swap was made; check the loop.")
        values = np.unique(R)
        if not np.isin(values, [0, 1]).all():
            raise Feedback(
                f"{description}: the rewired matrix holds values other than 0 and 1",
                hint="the task asks for a 0/1 matrix: 1 where a connection exists, 0 elsewhere.",
            )
        mixing = mixing_reference(A)
        too_many_kept = mixing["kept"] + 0.5 * (mixing["kept_one_swap"] - mixing["kept"])
        if kept > too_many_kept:
            raise Feedback(
                f"{description}: {kept:.0%} of the connections are still where they were; the graph is not mixed "
                "enough: that is what far fewer swaps than the task asks for leave",
                hint="attempt about ten swaps per connection (rejected swaps count as attempts), so that every "
                "connection has many chances to move.",
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
    """Check ``reindex(matrix, names, new_names)`` against :func:`neuro4ml.analysis.connectome.reindex`.

    The names are never sorted (:func:`neuro4ml.tasks.w3.reindex_cases`), and the
    library's ``reindex`` is unavailable while the learner's code runs.
    """
    for description, matrix, old, new in reindex_cases():
        expected = cg.reindex(matrix, old, new)
        try:
            out = call(reindex, "reindex", matrix.copy(), list(old), list(new), forbid=[cg.reindex])
            if scipy.sparse.issparse(out):
                raise Feedback(
                    f"the returned matrix is a scipy.sparse {type(out).__name__}; expected a numpy array",
                    hint="return a dense numpy array (.toarray()): the notebook stacks the eight stages with np.array.",
                )
            missing = [name for name in new if name not in old]
            with np.errstate(all="ignore"):
                has_nan = np.isnan(np.asarray(out, dtype=float)).any() if _numeric(out) and not isinstance(out, str) else False
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
        if np.allclose(got, sorted_lookup_reindex(matrix, old, new)) or np.allclose(
            got[np.ix_(*[np.isin(new, old)] * 2)],
            sorted_lookup_reindex(matrix, old, [x for x in new if x in old]),
        ):
            raise Feedback(
                f"{description}: your lookup finds the right neurons only when the names are sorted, and these are "
                "not (np.searchsorted and bisection assume a sorted list)",
                hint="look each name up where it actually is: a dict from name to position, built from names.",
            )
        m = len(new)
        if m <= matrix.shape[0] and np.allclose(got, _dense(matrix)[:m, :m]):
            raise Feedback(
                f"{description}: your matrix ignores the names and keeps the first rows and columns",
                hint="find where each of new_names sits in names (e.g. a dict name -> index) and take those rows and columns.",
            )
        wrong_rows = int(np.sum(np.any(~np.isclose(got, expected), axis=1)))
        raise Feedback(
            f"{description}: {wrong_rows} of the {m} rows are wrong",
            hint="out[a, b] should be matrix[index of new_names[a], index of new_names[b]], and 0 for a missing name.",
        )


# ---------------------------------------------------------------------------
# Development across the Witvliet stages
# ---------------------------------------------------------------------------


def _not_none(value: object, name: str, what: str) -> None:
    """A value left as None is not answered yet (the one message of :func:`~neuro4ml.check.core.require`)."""
    require(value, name)


@check("connections across development")
def check_development(n_connections: object, n_stable: object) -> Iterator[str]:
    """Check the number of chemical connections of each Witvliet stage and the number present at every stage.

    The messages say which stage is off and in which direction, coarsely and without a
    direction once within 10 %, never the expected counts: pasting them, or a few
    guesses in the right direction, would pass the check without doing the task.
    """
    ref = development_reference()
    expected = ref["n_connections"]
    require(n_connections, "n_connections")
    got = as_array(n_connections, "n_connections", shape=expected.shape, returned=False,
                   hint="one count per stage, in the order of WITVLIET_STAGES.")
    if not np.array_equal(got, expected):
        for key, what, hint in [
            ("synapses", "these are synapse counts, not connection counts", "count the pairs with at least one synapse: A > 0."),
            ("with_self_loops", "the self-loops are counted", "leave out the diagonal."),
            ("with_gap_junctions", "gap junctions are counted too", "use the chemical synapses only."),
        ]:
            if np.array_equal(got, ref[key]):
                raise Feedback(f"n_connections: {what}", hint=hint)
        if np.array_equal(got, expected[::-1]):
            raise Feedback("n_connections is in reverse order", hint="keep the order of WITVLIET_STAGES, birth first.")
        wrong = [f"{stage} {off_by(g, e)}" for stage, g, e in zip(ref["stages"], got, expected) if g != e]
        raise Feedback(
            f"n_connections: {len(wrong)} of the 8 stages differ: {'; '.join(wrong)}",
            hint="a connection is an ordered pair i != j with at least one chemical synapse; "
            "a stored entry of a sparse matrix is not necessarily a connection.",
        )
    yield "connections per stage: all eight right"
    require(n_stable, "n_stable")
    value = as_number(n_stable, "n_stable", minimum=0,
                      hint="one whole number: how many ordered pairs are connected at every stage.")
    if not float(value).is_integer():
        raise Feedback(
            "n_stable is not a whole number: it counts ordered pairs",
            hint="count with a sum over a boolean array; a mean or a division gives a fraction.",
        )
    if value == ref["n_stable"]:
        yield f"{ref['n_stable']} connections are present at all eight stages"
        return
    for key, what, hint in [
        ("stable_sorted_lookup",
         "the stages were lined up by a lookup that assumes the neuron names are sorted (np.searchsorted); the "
         "worm's are not, so each stage was scrambled",
         "run w3.check_reindex on your reindex again, and look each name up where it is (a dict name -> position)."),
        ("stable_with_self_loops", "the self-loops are counted", "leave out the diagonal."),
        ("ever", "this counts connections present at ANY stage",
         "a stable connection is present at every stage: combine with `&` (or .all), not `|`."),
        (
            "in_first_and_last",
            "this counts connections present at birth and in the adult only",
            "a connection must be present at each of the eight stages.",
        ),
    ]:
        if value == ref[key]:
            raise Feedback(f"n_stable: {what}", hint=hint)
    raise Feedback(
        f"n_stable: your count is {off_by(value, ref['n_stable'])}",
        hint="line every stage up on the adult's neurons by name, then count the pairs i != j "
        "connected at all eight stages.",
    )


# ---------------------------------------------------------------------------
# Predicting connections from distance
# ---------------------------------------------------------------------------


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
        (_fit_and_score(A, d, test, test)[0], "the model was fitted on the held-out pairs",
         "the fit belongs on the training pairs (the train mask)."),
        (_fit_and_score(A, d, ~test, test, self_loops=True)[0],
         "the fit includes the diagonal (each neuron paired with itself, at distance 0)",
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
            out = call(fit_and_score, "fit_and_score", given, d.copy(), train.copy(), test.copy(),
                       forbid=[_fit_and_score])
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
            if isinstance(loss, cg.DistanceModel) and not isinstance(model, cg.DistanceModel):
                raise Feedback(
                    "the model and the loss are swapped: fit_and_score should return (model, test_log_loss)",
                    hint="return the fitted model first, then its held-out log loss.",
                )
            if not isinstance(model, cg.DistanceModel):
                raise Feedback(
                    f"the model should be the DistanceModel that fit_exponential_distance_model returns, "
                    f"got {type(model).__name__}",
                    hint="return the fitted model object itself, not its parameters or its predictions.",
                )
            loss = as_number(loss, "test_log_loss", hint="one number: the mean negative log-likelihood over the test pairs.")
            params = as_array([model.p0, model.length_scale], "the model's p0 and length_scale", finite=False)
            if not np.all(np.isfinite(params)) or model.length_scale <= 0:
                raise Feedback(
                    f"the model's length scale is {model.length_scale:g}: a model whose probability does not fall off "
                    "with distance (a constant density) is the baseline the task compares with, not the fit",
                    hint="fit the exponential model with cg.fit_exponential_distance_model on the training pairs' "
                    "distances and connections.",
                )
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
                f"{description}: your p0 is {off_by(model.p0, expected_model.p0)} and your length_scale "
                f"{off_by(model.length_scale, expected_model.length_scale)}",
                hint="the fit should see exactly the pairs the train mask selects, each labelled by whether "
                "a connection exists (presence, not the number of synapses).",
            )
        if close(loss, expected_loss, Tolerance(rtol=1e-4)):
            yield f"{description}: held-out log loss {loss:.4f} nats per pair"
            continue
        connected = cg.presence(A).toarray() > 0
        train_loss = cg.log_loss(expected_model.probability(d[train]), connected[train])
        if close(loss, train_loss, Tolerance(rtol=1e-4)):
            raise Feedback(
                f"{description}: your loss is the training loss, not the held-out loss",
                hint="score on the test pairs: the point is how well the model does on pairs it has not seen.",
            )
        if close(loss, -expected_loss, Tolerance(rtol=1e-4)):
            raise Feedback(f"{description}: your loss has the wrong sign", hint="the log loss is the NEGATIVE mean log-likelihood.")
        raise Feedback(
            f"{description}: your held-out log loss is {off_by(loss, expected_loss)}",
            hint="the log loss averages, over the test pairs only, minus the log of the probability the model "
            "gave to what happened (p for a connected pair, 1 - p for an unconnected one).",
        )


# ---------------------------------------------------------------------------
# Structure, function and distance in the human brain
# ---------------------------------------------------------------------------


#: Known distance-correlation mistakes: what each gives is computed by
#: :func:`neuro4ml.tasks.w3.mistaken_distance_correlations`.
DISTANCE_CORRELATION_MISTAKES = tuple(
    Mistake(lambda M, d, key=key: mistaken_distance_correlations(M, d)[key], message, hint)
    for key, message, hint in (
        ("triu_k0", "the diagonal is included: np.triu_indices(n) starts at k=0, each region paired with itself at distance 0",
         "take the pairs strictly above the diagonal (an offset of one)."),
        ("diagonal", "the diagonal is included (each region with itself, at distance 0)",
         "use only the distinct pairs i < j (above the diagonal)."),
        ("zeros", "the absent connections (zeros) are included", "keep only the pairs with a non-zero entry."),
        ("everything", "all entries are used, the diagonal and the zeros included", "use the pairs i < j with a non-zero entry."),
        ("pearson", "this is Pearson's correlation, not Spearman's rank correlation",
         "use scipy.stats.spearmanr: connection weights are skewed, so ranks are fairer."),
    )
)


@check("correlation with distance")
def check_distance_correlation(distance_correlation: Callable) -> Iterator[str]:
    """Check ``distance_correlation(M, distances)``: Spearman correlation over distinct pairs with a non-zero entry.

    The regions are drawn from a fresh seed (:func:`neuro4ml.tasks.w3.distance_correlation_cases`)
    and the library's :func:`~neuro4ml.analysis.connectome.distance_correlation` is
    unavailable while the learner's code runs.
    """
    for description, given, dist in distance_correlation_cases():
        M = _dense(given)
        expected = cg.distance_correlation(M, dist)
        try:
            out = call(distance_correlation, "distance_correlation", given.copy(), dist.copy(),
                       forbid=[cg.distance_correlation])
            got = as_number(out, "the returned correlation", minimum=-1 - 1e-9, maximum=1 + 1e-9,
                            hint="a rank correlation is one number between -1 and 1.")
        except Feedback as feedback:
            if feedback.status == NOT_IMPLEMENTED:
                raise
            if scipy.sparse.issparse(given) and "raised" in feedback.message:
                feedback.hint = "it worked on numpy arrays but not on a scipy.sparse matrix: convert with .toarray() first."
            raise in_case(description, feedback) from None
        if close(got, expected, _TOLERANCE):
            yield f"{description}: {got:.3f}"
            continue
        mistake = diagnose(got, expected, DISTANCE_CORRELATION_MISTAKES, _TOLERANCE, context=(M, dist))
        if mistake:
            raise Feedback(f"{description}: {mistake.message}", hint=mistake.hint)
        raise Feedback(
            f"{description}: your correlation is {off_by(got, expected)}",
            hint="Spearman's correlation between M[i, j] and distances[i, j] over the pairs i < j with M[i, j] != 0.",
        )
