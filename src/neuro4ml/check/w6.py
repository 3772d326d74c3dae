"""Answer checks for the week 6 exercise: understanding a trained spiking network.

Every reference value comes from :mod:`neuro4ml.analysis`; these checks only compare and
explain.

* :func:`check_decoding_accuracy` runs the learner's ``decoding_accuracy(X, y, seed)`` on
  synthetic populations of several shapes, class counts and seeds (one with as many
  trials as units, so that swapped axes run silently) and compares it with
  :func:`neuro4ml.analysis.decoding_accuracy` with ``solver="lbfgs"``, the default of
  scikit-learn's ``LogisticRegression`` (the cases are well scaled, so the default
  ``max_iter`` or a larger one, or the ``newton-cg`` solver, give the same accuracies). It recognises the training accuracy (no
  cross-validation), folds that are not shuffled, not stratified, or shuffled without
  the seed, features standardised first, the trials and units axes swapped, the
  per-fold accuracies instead of their mean, a percentage, and NaN or a non-number.
* :func:`check_tuning_curves` compares the learner's mean responses per IPD bin with
  :func:`neuro4ml.analysis.condition_means` of the *training* trials. It recognises curves
  measured on the held-out trials or on all the trials, transposed curves, sums instead of
  means, and an average over the wrong axis.
* :func:`check_chance_level` compares the learner's shuffled-label chance level with
  :func:`neuro4ml.analysis.shuffled_accuracies`, within the spread of one shuffle. It
  recognises 1/units, the unshuffled accuracy and a percentage.
* :func:`check_dimensionality` compares the learner's participation ratio with
  :func:`neuro4ml.analysis.participation_ratio`. It recognises singular values used as
  variances, uncentred data, the correlation instead of the covariance matrix, the
  covariance between trials instead of units, the inverse ratio, the eigenvalues
  themselves, and a count of components.
* :func:`check_ablation_drops` compares the learner's accuracy drop for each silenced
  hidden unit with :func:`neuro4ml.analysis.single_unit_ablations` of the same network on
  the same data. It recognises the accuracies themselves, the opposite sign, relative
  drops and percentages.
"""

from __future__ import annotations

import numpy as np

from neuro4ml import analysis
from neuro4ml.check.core import (
    Feedback, as_array, as_number, call, check, describe, first_difference, in_case, reference, require, size_of,
)

__all__ = [
    "EXPERIMENT_SEED",
    "N_TRAIN",
    "N_TRIALS",
    "check_ablation_drops",
    "check_chance_level",
    "check_decoding_accuracy",
    "check_dimensionality",
    "check_tuning_curves",
]

#: The exercise's simulated experiment: trials of the sound-localisation task shown to the
#: trained network (seed of :func:`neuro4ml.datasets.sound_localisation`), the first
#: :data:`N_TRAIN` of them the training trials.
EXPERIMENT_SEED = 2024
N_TRIALS = 1000
N_TRAIN = 600

#: Synthetic decoding cases: (trials, units, classes, seed, separation of the class means).
_DECODING_CASES = (
    (100, 8, 2, 0, 0.5),
    (120, 12, 4, 3, 0.4),
    (150, 20, 6, 11, 0.35),
    (60, 60, 3, 5, 0.25),
)
_N_FOLDS = 5


def _sklearn():
    try:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import KFold, StratifiedKFold
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
    except ImportError:  # pragma: no cover
        raise Feedback('these checks need scikit-learn: pip install scikit-learn') from None
    return LogisticRegression, KFold, StratifiedKFold, make_pipeline, StandardScaler


# ---------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------


def _decoding_data(n_trials, n_units, n_classes, seed, separation):
    """A population whose mean rate depends on the class: ``(X (trials, units), y (trials,))``."""
    rng = np.random.default_rng(1000 + seed)
    y = rng.permutation(np.arange(n_trials) % n_classes)
    centres = 0.5 + separation * rng.standard_normal((n_classes, n_units))
    X = centres[y] + rng.standard_normal((n_trials, n_units))
    return X, y


def _scores(X, y, splitter, *, scaled=False):
    """Mean held-out accuracy over the folds of ``splitter`` (a scikit-learn splitter)."""
    LogisticRegression, _, _, make_pipeline, StandardScaler = _sklearn()
    scores = []
    for train, test in splitter.split(X, y):
        decoder = LogisticRegression(max_iter=1000)
        if scaled:
            decoder = make_pipeline(StandardScaler(), decoder)
        decoder.fit(X[train], y[train])
        scores.append(np.mean(decoder.predict(X[test]) == y[test]))
    return float(np.mean(scores))


def _decoding_mistakes():
    """(candidate, message, hint) of each mistake the decoding check recognises.

    ``candidate(X, y, seed)`` is the accuracy the mistake gives on a case, or None where the
    mistake cannot show (the folds of seed 0 on a case whose seed is 0; swapped axes on a
    case that is not square, where they raise an error instead).
    """
    LogisticRegression, KFold, StratifiedKFold, _, _ = _sklearn()

    def shuffled_with(seed):
        return StratifiedKFold(_N_FOLDS, shuffle=True, random_state=seed)

    yield (
        lambda X, y, seed: float(np.mean(LogisticRegression(max_iter=1000).fit(X, y).predict(X) == y)),
        "this is the accuracy on the trials the decoder was trained on (no cross-validation)",
        "a decoder scored on its own training trials overestimates how much the population tells: fit on four "
        "folds and score on the fifth, five times.",
    )
    yield (
        lambda X, y, seed: _scores(X, y, StratifiedKFold(_N_FOLDS)),
        "the folds are not shuffled: they are consecutive blocks of trials",
        "trials recorded in order can drift; shuffle the trials before splitting them, with the seed you are given.",
    )
    yield (
        lambda X, y, seed: _scores(X, y, KFold(_N_FOLDS, shuffle=True, random_state=seed)),
        "the folds are shuffled but not stratified: the classes are not spread evenly over the folds",
        "a stratified splitter keeps each class's share of the trials the same in every fold.",
    )
    for other in (0, 1, 42):
        yield (
            lambda X, y, seed, other=other: None if seed == other else _scores(X, y, shuffled_with(other)),
            f"these are the folds of seed {other}, not of the seed passed in",
            "the shuffling of the folds must use the function's seed argument, not a fixed number.",
        )
    yield (
        lambda X, y, seed: _scores(X, y, shuffled_with(seed), scaled=True),
        "the features were standardised before decoding",
        "the decoder asked for is a logistic regression on X as given, with scikit-learn's default settings.",
    )
    yield (
        lambda X, y, seed: _scores(X.T, y, shuffled_with(seed)) if X.shape[0] == X.shape[1] else None,
        "the decoder was trained on X transposed: its rows were units, not trials",
        "X is shaped (trials, units): one row per trial, one label per row. This case has as many trials as "
        "units, so the swapped axes raise no error.",
    )


@check("decoding accuracy (cross-validated logistic regression)")
def check_decoding_accuracy(decoding_accuracy):
    """Compare the learner's ``decoding_accuracy(X, y, seed)`` with :func:`neuro4ml.analysis.decoding_accuracy`.

    A mistake is named only when it explains every case that differs, so that a
    coincidence on one small case (accuracies move in steps of one trial) names nothing.
    """
    if decoding_accuracy is Ellipsis or decoding_accuracy is None:
        raise Feedback("decoding_accuracy is not written yet.", status="not implemented yet")
    _sklearn()
    import warnings

    results = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n_trials, n_units, n_classes, seed, separation in _DECODING_CASES:
            X, y = _decoding_data(n_trials, n_units, n_classes, seed, separation)
            case = f"X of shape ({n_trials}, {n_units}), {n_classes} classes, seed={seed}"
            expected = analysis.decoding_accuracy(X, y, seed=seed, solver="lbfgs")  # scikit-learn's default solver
            try:
                got = call(decoding_accuracy, "decoding_accuracy", X.copy(), y.copy(), seed)
                again = call(decoding_accuracy, "decoding_accuracy", X.copy(), y.copy(), seed)
            except Feedback as feedback:
                if "inconsistent numbers of samples" in feedback.message:
                    feedback.hint = (
                        "X is shaped (trials, units) and y has one label per trial: scikit-learn wants the trials "
                        "along the first axis, so do not transpose X."
                    )
                raise in_case(case, feedback) from None
            if _is_number(got) and _is_number(again) and float(np.ravel(got)[0]) != float(np.ravel(again)[0]):
                raise in_case(case, Feedback(
                    f"the same seed gave two different results ({float(np.ravel(got)[0]):.4f}, then "
                    f"{float(np.ravel(again)[0]):.4f})",
                    hint="the fold split must be reproducible: pass the seed to the splitter that shuffles the trials.",
                ))
            value = _accuracy(got, expected, X, y, seed, case)
            results.append((case, X, y, seed, expected, value))
        wrong = [r for r in results if abs(r[5] - r[4]) > 1e-9]
        if wrong:
            for candidate, message, hint in _decoding_mistakes():
                values = [candidate(X, y, seed) for _, X, y, seed, _, _ in wrong]
                if all(v is not None and abs(v - r[5]) <= 1e-9 for v, r in zip(values, wrong)):
                    case, *_, expected, value = wrong[0]
                    raise in_case(case, Feedback(f"{message} (got {value:.4f}, expected {expected:.4f})", hint=hint))
    if wrong:
        case, *_, expected, value = wrong[0]
        raise in_case(case, Feedback(
            f"expected a mean cross-validated accuracy of {expected:.4f}, got {value:.4f}",
            hint="a logistic regression with scikit-learn's default settings, fitted and scored on the 5 stratified "
            "folds shuffled with the given seed, then the mean of the 5 held-out accuracies.",
        ))
    for case, *_, expected, _ in results:
        yield f"{case}: mean accuracy over {_N_FOLDS} folds {expected:.4f}"


def _is_number(value) -> bool:
    """One finite number (a Python or numpy scalar, or an array of one)."""
    try:
        array = np.asarray(value, dtype=float)
    except Exception:
        return False
    return not isinstance(value, (str, bytes)) and array.size == 1 and bool(np.isfinite(array).all())


def _accuracy(got, expected, X, y, seed, case) -> float:
    """The learner's result as one number, or Feedback for per-fold values, a percentage or a non-number."""
    if isinstance(got, (list, tuple, np.ndarray)) and size_of(got) == _N_FOLDS:
        folds = analysis.fold_accuracies(X, y, seed=seed, solver="lbfgs")
        try:
            values = np.asarray(got, dtype=float).ravel()
        except (TypeError, ValueError):
            values = None
        if values is not None and np.allclose(np.sort(values), np.sort(folds), atol=1e-9):
            raise in_case(case, Feedback(
                f"you returned the {_N_FOLDS} accuracies of the folds; the check wants one number, their mean",
                hint="cross-validation gives one score per fold; the decoding accuracy is their average.",
            ))
    try:
        value = as_number(got, "the returned accuracy", hint="return one number: the mean accuracy over the folds, a fraction.")
    except Feedback as feedback:
        raise in_case(case, feedback) from None
    if abs(value / 100 - expected) <= 1e-9 and abs(value - expected) > 1e-9:
        raise in_case(case, Feedback(
            f"the accuracy is a percentage ({value:g}); the check wants a fraction ({expected:.4f})",
            hint="report accuracies as fractions between 0 and 1.",
        ))
    return value


# ---------------------------------------------------------------------------
# Tuning curves
# ---------------------------------------------------------------------------


def _rates_and_labels(rates, labels, which):
    """The responses ``(trials, units)`` and integer labels of one set of trials, or Feedback."""
    r = as_array(rates, f"rates_{which}", ndim=2, hint="pass the (trials, units) rates of the exercise.")
    try:
        y = np.asarray(labels)
        ok = y.shape == (r.shape[0],) and y.size > 0 and np.issubdtype(y.dtype, np.integer)
    except Exception:
        ok = False
    if not ok:
        raise Feedback(
            f"expected labels_{which} to be integer labels, one per trial of rates_{which} ({r.shape[0]}), got {describe(labels)}",
            hint="pass the IPD bins of the same trials as the rates.",
        )
    return r, y.astype(np.int64)


@check("tuning curves (training trials)")
def check_tuning_curves(tuning, rates_train, labels_train, rates_test, labels_test):
    """``tuning[c, u]``: the mean rate of unit ``u`` over the training trials of IPD bin ``c``."""
    require(tuning, "tuning")
    r_train, y_train = _rates_and_labels(rates_train, labels_train, "train")
    r_test, y_test = _rates_and_labels(rates_test, labels_test, "test")
    if r_train.shape[1] != r_test.shape[1]:
        raise Feedback(
            f"rates_train and rates_test hold different numbers of units ({r_train.shape[1]}, {r_test.shape[1]})",
            hint="pass the rates of the same hidden units for the training and the held-out trials.",
        )
    bins, expected = reference(analysis.condition_means, r_train, y_train, about="these rates and labels")
    n_bins, n_units = expected.shape
    got = as_array(tuning, "tuning", hint=f"one row per IPD bin ({n_bins}) and one column per unit ({n_units}).")
    if got.shape != expected.shape:
        if got.shape == expected.T.shape:
            raise Feedback(
                f"tuning has shape {got.shape}: it is transposed (units first)",
                hint=f"put the IPD bins on the first axis ({n_bins} rows) and the units on the second ({n_units} columns).",
            )
        if got.shape in ((n_bins,), (n_units,), (r_train.shape[0],)):
            raise Feedback(
                f"tuning has shape {got.shape}: one of the two axes was averaged away",
                hint="for each IPD bin, average over that bin's trials only, keeping one value per unit.",
            )
        raise Feedback(
            f"expected tuning to have shape ({n_bins}, {n_units}) (IPD bins, units), got {got.shape}",
            hint="one row per IPD bin and one column per hidden unit.",
        )

    def close(candidate):
        return bool(np.allclose(got, candidate, rtol=1e-6, atol=1e-9))

    if close(expected):
        yield f"{n_bins} IPD bins x {n_units} units, from the {r_train.shape[0]} training trials"
        return
    every = np.concatenate([r_train, r_test]), np.concatenate([y_train, y_test])
    candidates = []
    if set(np.unique(y_test)) == set(bins.tolist()):
        candidates.append((
            lambda: analysis.condition_means(r_test, y_test)[1],
            "these are the tuning curves of the held-out trials",
            "measure the curves on the training trials; the held-out trials are kept to test what you conclude from them.",
        ))
    candidates += [
        (
            lambda: analysis.condition_means(*every)[1],
            "these are the tuning curves of all the trials, held-out ones included",
            "use only the training trials, so that the held-out trials stay independent of what you select with the curves.",
        ),
        (
            lambda: expected * np.bincount(np.searchsorted(bins, y_train), minlength=n_bins)[:, None],
            "these are sums over the trials of each bin, not means",
            "bins hold different numbers of trials: divide each bin's total by its number of trials.",
        ),
    ]
    for candidate, message, hint in candidates:
        if close(candidate()):
            raise Feedback(message, hint=hint)
    raise Feedback(
        f"tuning differs from the mean rates per IPD bin of the training trials: {first_difference(got, expected)}",
        hint="row c is the mean, over the training trials whose label is c, of each unit's rate.",
    )


# ---------------------------------------------------------------------------
# Chance level
# ---------------------------------------------------------------------------

_CHANCE_SEED = 7
_CHANCE_SHUFFLES = 3


@check("chance level (shuffled labels)")
def check_chance_level(chance, rates, labels):
    """The learner's chance level: the mean decoding accuracy of ``rates`` with shuffled ``labels``."""
    import warnings

    value = as_number(require(chance, "chance"), "chance", hint="one number: the mean accuracy over the shuffles.")
    r, y = _rates_and_labels(rates, labels, "all")
    n_trials, n_units = r.shape
    n_classes = int(np.unique(y).size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shuffled = reference(analysis.shuffled_accuracies, r, y, n_shuffles=_CHANCE_SHUFFLES, seed=_CHANCE_SEED,
                             about="these rates and labels")
    centre = float(np.mean(shuffled))
    # One shuffle's accuracy varies like a binomial proportion over the trials.
    tolerance = 3.5 * np.sqrt(max(centre * (1 - centre), 1e-3) / n_trials) + 0.005
    if n_units != n_classes and abs(value - 1 / n_units) < 1e-6:
        raise Feedback(
            f"chance is 1/{n_units}, one over the number of units",
            hint="chance depends on the labels a decoder has to guess, not on how many units it reads.",
        )
    if abs(value - centre) <= tolerance:
        yield f"chance level {value:.3f}: within {tolerance:.3f} of the library's {centre:.3f} ({n_classes} classes)"
        return
    if abs(value / 100 - centre) <= tolerance:
        raise Feedback(f"chance {value:g} looks like a percentage", hint="report accuracies as fractions between 0 and 1.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        unshuffled = reference(analysis.decoding_accuracy, r, y, about="these rates and labels")
    if abs(value - unshuffled) <= tolerance:
        raise Feedback(
            f"chance {value:.3f} is the decoding accuracy with the true labels ({unshuffled:.3f}): the labels were not shuffled",
            hint="shuffle the labels (a random permutation) before decoding, so that no rate goes with its true label.",
        )
    raise Feedback(
        f"expected a chance level near {centre:.3f} (within {tolerance:.3f}), got {value:.4f}",
        hint="decode with your function after a random permutation of the labels, several times, and average.",
    )


# ---------------------------------------------------------------------------
# Dimensionality
# ---------------------------------------------------------------------------


def _ratio(values):
    values = np.asarray(values, dtype=float)
    return float(values.sum() ** 2 / np.sum(values**2)) if np.sum(values**2) > 0 else np.nan


@check("participation ratio")
def check_dimensionality(participation_ratio, rates):
    """The learner's participation ratio of ``rates`` ``(trials, units)``."""
    require(participation_ratio, "participation_ratio")
    r = as_array(rates, "rates", ndim=2, hint="pass the (trials, units) rates of the exercise.")
    if r.shape[0] < 2 or not np.any(r.std(axis=0) > 0):
        raise Feedback(
            f"the rates passed to the check (shape {r.shape}) do not vary across trials, so they have no dimensionality",
            hint="pass the (trials, units) rates of the hidden units that your participation ratio was computed from.",
        )
    expected = reference(analysis.participation_ratio, r, about="these rates")
    if isinstance(participation_ratio, (list, tuple, np.ndarray)) and (size_of(participation_ratio) or 0) > 1:
        raise Feedback(
            f"expected one number, got {describe(participation_ratio)}",
            hint="the eigenvalues are the ingredients: combine them into the one number of the formula.",
        )
    value = as_number(participation_ratio, "participation_ratio")
    if abs(value - expected) <= 1e-6 * expected:
        yield f"participation ratio {value:.3f} of {r.shape[1]} units"
        return
    centred = r - r.mean(axis=0)
    singular = np.linalg.svd(centred, compute_uv=False)
    active = r.std(axis=0) > 0
    z = centred[:, active] / r[:, active].std(axis=0)
    explained = np.cumsum(singular**2) / np.sum(singular**2)
    mistakes = [
        (1 / expected, "this is the inverse of the participation ratio",
         "the sum of the eigenvalues, squared, goes on top."),
        (_ratio(singular), "the singular values were used as the variances",
         "the variance along a principal direction is the square of its singular value (divided by trials - 1)."),
        (_ratio(np.linalg.svd(r, compute_uv=False) ** 2), "the data were not centred",
         "covariance is about variation around the mean: subtract each unit's mean first."),
        (_ratio(np.linalg.svd(z, compute_uv=False) ** 2), "these are the eigenvalues of the correlation matrix",
         "the exercise asks for the covariance matrix: standardising gives rarely active units as much weight as busy ones."),
        (_ratio(np.linalg.svd(r - r.mean(axis=1, keepdims=True), compute_uv=False) ** 2),
         "this is the covariance between trials, not between units",
         "rows are trials and columns units: the covariance matrix is units x units."),
    ]
    for candidate, message, hint in mistakes:
        if np.isfinite(candidate) and abs(value - candidate) <= 1e-6 * abs(candidate):
            raise Feedback(f"{message} (got {value:.4f}, expected {expected:.4f})", hint=hint)
    if value == int(value) and any(value == 1 + int(np.searchsorted(explained, level)) for level in (0.8, 0.9, 0.95, 0.99)):
        raise Feedback(
            f"{value:g} is a number of principal components needed for a share of the variance",
            hint="the participation ratio is a formula of all the eigenvalues, not a count, and need not be a whole number.",
        )
    raise Feedback(
        f"expected a participation ratio of {expected:.4f}, got {value:.4f}",
        hint="take the eigenvalues of the units' covariance matrix and combine them as in the formula above the task.",
    )


# ---------------------------------------------------------------------------
# Ablations
# ---------------------------------------------------------------------------


@check("accuracy drops of single-unit ablations")
def check_ablation_drops(drops, model, x, y):
    """``drops[i]``: the network's accuracy on ``(x, y)`` minus its accuracy with hidden unit ``i`` silenced."""
    require(drops, "drops")
    try:
        from neuro4ml import snn
    except ImportError:  # pragma: no cover
        raise Feedback('this check needs PyTorch: pip install "neuro4ml[snn]"') from None
    if not isinstance(model, snn.SNN):
        raise Feedback(f"expected the network to be a neuro4ml.snn.SNN, got {describe(model)}", hint="pass model, the trained network.")
    try:
        inputs = np.asarray(x, dtype=np.float32)
        labels = np.asarray(y)
        ok = inputs.ndim == 3 and inputs.shape[2] == model.hidden.n_in and labels.shape == (inputs.shape[0],) \
            and inputs.shape[0] > 0 and np.issubdtype(labels.dtype, np.integer)
    except Exception:
        ok = False
    if not ok:
        raise Feedback(
            f"expected inputs shaped (trials, time, {model.hidden.n_in}) and one integer label per trial",
            hint="pass the held-out inputs and labels the drops were measured on.",
        )
    n_hidden = model.hidden.n_out
    got = as_array(drops, "drops", hint=f"one accuracy drop per hidden unit, shape ({n_hidden},).")
    if got.shape != (n_hidden,):
        raise Feedback(
            f"expected drops to have shape ({n_hidden},), one per hidden unit, got {got.shape}",
            hint="silence each hidden unit in turn and record one drop per unit.",
        )
    baseline = float(reference(snn.evaluate, model, inputs, labels, about="these inputs"))
    ablated = reference(analysis.single_unit_ablations, model, inputs, labels, about="these inputs")
    expected = baseline - ablated
    tolerance = 1.01 / len(labels)  # a rounding tie may flip one trial

    def close(candidate):
        return bool(np.all(np.abs(got - candidate) <= tolerance))

    if close(expected):
        yield f"{n_hidden} units: the largest drop is {expected.max():.3f} (unit {int(expected.argmax())}), baseline {baseline:.3f}"
        return
    mistakes = [
        (ablated, "these are the accuracies with each unit silenced, not the drops",
         "the drop is how much accuracy is lost: the intact network's accuracy minus the lesioned one's."),
        (-expected, "the drops have the wrong sign",
         "a unit whose silencing hurts the network should have a positive drop."),
        (100 * expected, "the drops are percentages", "report accuracies and their differences as fractions."),
        (expected / baseline if baseline > 0 else expected, "these are drops relative to the intact accuracy",
         "report the absolute difference of the two accuracies."),
    ]
    for candidate, message, hint in mistakes:
        if close(candidate):
            raise Feedback(message, hint=hint)
    raise Feedback(
        f"drops differ from the library's single-unit lesions: {first_difference(got, expected)}",
        hint="for each hidden unit, silence it alone (all the others intact), measure the accuracy on these trials, "
        "and subtract it from the intact network's accuracy on the same trials.",
    )
