"""Decoding a condition from a population with cross-validated logistic regression, and its chance level."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuro4ml.analysis.responses import responses, trial_labels
from neuro4ml.validation import as_generator, whole_number

__all__ = ["Decoding", "decode", "decoding_accuracy", "fold_accuracies", "shuffled_accuracies"]


def _class_labels(labels: object, n_trials: int, n_folds: int) -> np.ndarray:
    array = trial_labels(labels, n_trials)
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.bool_)):
        if not (np.issubdtype(array.dtype, np.floating) and np.all(array == np.round(array))):
            raise ValueError(f"labels must be integer classes, got dtype {array.dtype}")
    array = array.astype(np.int64)
    classes, counts = np.unique(array, return_counts=True)
    if classes.size < 2:
        raise ValueError("decoding needs at least two classes among the labels")
    if counts.min() < n_folds:
        raise ValueError(
            f"every class needs at least n_folds={n_folds} trials for stratified folds; "
            f"class {classes[counts.argmin()]} has {counts.min()}"
        )
    return array


def _sklearn():
    try:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_score
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - exercised only without scikit-learn
        raise ImportError('decoding needs scikit-learn: pip install "neuro4ml[stats]" (or pip install scikit-learn)') from None
    return LogisticRegression, StratifiedKFold, cross_val_score, threadpool_limits


def fold_accuracies(
    activity: object, labels: object, *, seed: int = 0, n_folds: int = 5, C: float = 1.0, max_iter: int = 1000,
    solver: str = "newton-cg",
) -> np.ndarray:
    """Held-out accuracy of a logistic-regression decoder on each of ``n_folds`` stratified folds.

    The trials are split by ``StratifiedKFold(n_folds, shuffle=True, random_state=seed)``
    (each fold keeps the classes' proportions); for each fold,
    ``LogisticRegression(C=C, solver=solver)`` is fitted on the other folds and scored on
    it. The solver changes the speed, not the objective: ``"newton-cg"`` (the default here)
    and scikit-learn's default ``"lbfgs"`` minimise the same strictly convex loss, and their
    decoders agree up to the solvers' tolerance, which can flip a held-out trial whose
    prediction is a near tie. Pass ``solver="lbfgs"`` to reproduce a plain
    ``LogisticRegression()`` exactly.

    Parameters
    ----------
    activity : array, shape (trials, units) or (trials, time, units)
        Responses (a 3-d array is averaged over time: rates per time bin).
    labels : array of int, shape (trials,)
        Classes; each needs at least ``n_folds`` trials.
    seed : int
        Seed of the fold split.
    n_folds : int
        Number of folds (>= 2).
    C, max_iter : float, int
        Inverse L2 penalty and iteration limit of the solver.
    solver : str
        scikit-learn's solver: ``"newton-cg"`` (fast on these small problems) or ``"lbfgs"``.

    Returns
    -------
    numpy.ndarray, shape (n_folds,)
        Fractions of correctly classified held-out trials.
    """
    *_, threadpool_limits = _sklearn()
    X = responses(activity)
    n_folds = whole_number(n_folds, "n_folds", minimum=2)
    y = _class_labels(labels, X.shape[0], n_folds)
    with threadpool_limits(1):  # small problems: more BLAS threads only add overhead
        return _fold_scores(X, y, seed, n_folds, C, max_iter, solver)


def _fold_scores(X, y, seed, n_folds, C, max_iter, solver):
    """:func:`fold_accuracies` on checked ``X`` ``(trials, units)`` and labels ``y``: scikit-learn's cross-validation."""
    LogisticRegression, StratifiedKFold, cross_val_score, _ = _sklearn()
    decoder = LogisticRegression(C=C, solver=solver, max_iter=max_iter)
    folds = StratifiedKFold(n_folds, shuffle=True, random_state=int(seed))
    return cross_val_score(decoder, X, y, cv=folds, scoring="accuracy")


def decoding_accuracy(
    activity: object, labels: object, *, seed: int = 0, n_folds: int = 5, C: float = 1.0, max_iter: int = 1000,
    solver: str = "newton-cg",
) -> float:
    """Mean cross-validated accuracy of a logistic-regression decoder: the mean of :func:`fold_accuracies`."""
    return float(np.mean(fold_accuracies(activity, labels, seed=seed, n_folds=n_folds, C=C, max_iter=max_iter, solver=solver)))


def shuffled_accuracies(
    activity: object, labels: object, *, n_shuffles: int = 20, seed: int = 0, n_folds: int = 5, C: float = 1.0, max_iter: int = 1000,
    solver: str = "newton-cg",
) -> np.ndarray:
    """:func:`decoding_accuracy` after randomly permuting the labels, ``n_shuffles`` times.

    Shuffling breaks the link between activity and label and keeps everything else (the
    number of trials per class, the activity itself), so these accuracies are what the
    decoder scores by chance: their distribution is the null distribution of a
    permutation test, and their mean the chance level (about 1/classes for balanced
    classes). The permutations are drawn from ``seed``; the folds use ``seed`` too.

    Returns
    -------
    numpy.ndarray, shape (n_shuffles,)
    """
    *_, threadpool_limits = _sklearn()
    X = responses(activity)
    n_shuffles = whole_number(n_shuffles, "n_shuffles")
    n_folds = whole_number(n_folds, "n_folds", minimum=2)
    y = _class_labels(labels, X.shape[0], n_folds)
    rng = as_generator(seed)
    with threadpool_limits(1):
        return np.array([
            _fold_scores(X, rng.permutation(y), seed, n_folds, C, max_iter, solver).mean() for _ in range(n_shuffles)
        ])


@dataclass(frozen=True)
class Decoding:
    """The result of :func:`decode`.

    Attributes
    ----------
    accuracy : float
        Mean cross-validated accuracy (a fraction).
    fold_accuracies : numpy.ndarray, shape (n_folds,)
    chance : float
        Mean accuracy with shuffled labels.
    shuffled : numpy.ndarray, shape (n_shuffles,)
        The accuracy of each shuffle.
    p_value : float
        :math:`(1 + \\#\\{\\text{shuffled} \\ge \\text{accuracy}\\}) / (1 + n_\\text{shuffles})`,
        the permutation test's p-value (Phipson & Smyth 2010).
    """

    accuracy: float
    fold_accuracies: np.ndarray
    chance: float
    shuffled: np.ndarray
    p_value: float


def decode(
    activity: object, labels: object, *, seed: int = 0, n_shuffles: int = 20, n_folds: int = 5, C: float = 1.0,
    max_iter: int = 1000, solver: str = "newton-cg",
) -> Decoding:
    """Cross-validated decoding accuracy with its chance level and permutation p-value."""
    folds = fold_accuracies(activity, labels, seed=seed, n_folds=n_folds, C=C, max_iter=max_iter, solver=solver)
    shuffled = shuffled_accuracies(
        activity, labels, n_shuffles=n_shuffles, seed=seed, n_folds=n_folds, C=C, max_iter=max_iter, solver=solver
    )
    accuracy = float(folds.mean())
    p_value = (1 + int(np.sum(shuffled >= accuracy))) / (1 + shuffled.size)
    return Decoding(accuracy, folds, float(shuffled.mean()), shuffled, float(p_value))
