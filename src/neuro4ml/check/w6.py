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
  the seed, features standardised first (inside the folds, or on all the trials before
  splitting), the balanced accuracy, scores on the training folds, the trials and units
  axes swapped, the per-fold accuracies instead of their mean, a percentage, and NaN or
  a non-number. An answer within one held-out trial of one fold of the reference on
  every case (an equivalent decoder, e.g. on centred X) passes.
* :func:`check_tuning_curves` compares the learner's mean responses per IPD bin with
  :func:`neuro4ml.analysis.condition_means` of the *training* trials. It recognises curves
  measured on the held-out trials or on all the trials, transposed curves, sums instead of
  means, rates in Hz or spike counts, and an average over the wrong axis; right values
  in a list or a tensor are refused, because the cells that follow index a numpy array.
* :func:`check_chance_level` compares the learner's shuffled-label chance level with the
  mean of :func:`neuro4ml.analysis.shuffled_accuracies` over the exercise's seeded
  shuffles, within half a trial. It recognises 1/classes (guessing, not measured),
  1/units, the share of the most common class, a single shuffle, the largest shuffle or
  a high percentile, the unshuffled accuracy and a percentage.
* :func:`check_dimensionality` compares the learner's participation ratio with
  :func:`neuro4ml.analysis.participation_ratio`, within 1e-4 relative (float32 rates).
  It recognises singular values used as variances, uncentred data, the correlation instead of the covariance matrix, the
  covariance between trials instead of units, the inverse ratio, the eigenvalues
  themselves, and a count of components.
* :func:`check_ablation_drops` compares the learner's accuracy drop for each silenced
  hidden unit with :func:`neuro4ml.analysis.single_unit_ablations` of the same network on
  the same data. It recognises the accuracies themselves, the opposite sign, relative
  drops, percentages, and lesions that were not undone (each unit silenced on top of
  the ones before).
"""

from __future__ import annotations

import numpy as np

from neuro4ml import analysis
from neuro4ml.check.core import (
    Feedback, as_array, as_number, call, check, describe, first_difference, in_case, reference, require, size_of,
)

__all__ = [
    "CHANCE_SEED",
    "CHANCE_SHUFFLES",
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
#: trained network (seed of :func:`neuro4ml.data.sound_localisation`), the first
#: :data:`N_TRAIN` of them the training trials.
EXPERIMENT_SEED = 2024
N_TRIALS = 1000
N_TRAIN = 600

#: Synthetic decoding cases: (trials, units, classes, seed, separation of the class means,
#: scale of the features). ``classes`` is a number of equally frequent classes or the
#: number of trials of each class: the last case is imbalanced and its trials do not
#: divide into 5 equal folds, so that a balanced accuracy differs from the accuracy, and
#: its features are small, like rates per time step, so that standardising them changes
#: the decoder (the penalty weighs them differently).
_DECODING_CASES = (
    (100, 8, 2, 0, 0.5, 1.0),
    (120, 12, 4, 3, 0.4, 1.0),
    (150, 20, 6, 11, 0.35, 1.0),
    (60, 60, 3, 5, 0.25, 1.0),
    (97, 10, (52, 28, 17), 7, 0.45, 0.2),
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


def _decoding_data(n_trials, n_units, classes, seed, separation, scale=1.0):
    """A population whose mean rate depends on the class: ``(X (trials, units), y (trials,))``.

    ``classes``: a number of equally frequent classes, or the number of trials of each class.
    """
    rng = np.random.default_rng(1000 + seed)
    if isinstance(classes, tuple):
        n_classes = len(classes)
        y = rng.permutation(np.repeat(np.arange(n_classes), classes))
    else:
        n_classes = classes
        y = rng.permutation(np.arange(n_trials) % n_classes)
    centres = 0.5 + separation * rng.standard_normal((n_classes, n_units))
    X = scale * (centres[y] + rng.standard_normal((n_trials, n_units)))
    return X, y


def _scores(X, y, splitter, *, scaled=False, balanced=False, on_training=False):
    """Mean held-out accuracy over the folds of ``splitter`` (a scikit-learn splitter).

    The switches make the mistakes: ``scaled`` standardises inside each fold, ``balanced``
    scores the balanced accuracy (the mean of the per-class recalls), ``on_training``
    scores each decoder on its own training folds.
    """
    LogisticRegression, _, _, make_pipeline, StandardScaler = _sklearn()
    scores = []
    for train, test in splitter.split(X, y):
        decoder = LogisticRegression(max_iter=1000)
        if scaled:
            decoder = make_pipeline(StandardScaler(), decoder)
        decoder.fit(X[train], y[train])
        scored = train if on_training else test
        predicted, true = decoder.predict(X[scored]), y[scored]
        if balanced:
            scores.append(np.mean([np.mean(predicted[true == c] == c) for c in np.unique(true)]))
        else:
            scores.append(np.mean(predicted == true))
    return float(np.mean(scores))


def _one_trial(n_trials) -> float:
    """How far one held-out trial of one fold moves the mean accuracy over the folds.

    An equivalent decoder (centred X, another exact solver, a tighter tolerance) can land
    a trial that lies almost on a decision boundary on the other side: one trial in a fold
    of ``n_trials // 5`` trials moves that fold's accuracy by ``1 / (n_trials // 5)`` and
    the mean over the 5 folds by a fifth of that.
    """
    return 1 / (_N_FOLDS * (n_trials // _N_FOLDS))


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
        lambda X, y, seed: _scores((X - X.mean(axis=0)) / np.where(X.std(axis=0) > 0, X.std(axis=0), 1), y,
                                   shuffled_with(seed)),
        "the features were standardised using all the trials before the folds were split: the held-out trials "
        "leak into the training",
        "anything fitted to the data, a scaler included, must see only the training folds; here the task asks for "
        "no rescaling at all: a logistic regression on X as given.",
    )
    yield (
        lambda X, y, seed: _scores(X, y, shuffled_with(seed), balanced=True),
        "this is the balanced accuracy (the mean recall of the classes), not the accuracy",
        "the accuracy is the fraction of held-out trials whose label is predicted correctly; the classes of this "
        "case are not equally frequent, so the two differ.",
    )
    yield (
        lambda X, y, seed: _scores(X, y, shuffled_with(seed), on_training=True),
        "each fold's decoder was scored on the trials it was trained on, not on its held-out fold",
        "cross-validation fits on four folds and scores on the fifth, which the decoder never saw.",
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
        for n_trials, n_units, classes, seed, separation, scale in _DECODING_CASES:
            X, y = _decoding_data(n_trials, n_units, classes, seed, separation, scale)
            shares = f"{len(classes)} classes of {', '.join(map(str, classes))} trials" if isinstance(classes, tuple) \
                else f"{classes} classes"
            case = f"X of shape ({n_trials}, {n_units}), {shares}, seed={seed}"
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
        # Accepted: every case within one held-out trial of one fold of the reference (the
        # solvers' tolerance, see _one_trial); each mistake below is further away on at least
        # one case (tests/check/test_w6.py checks that).
        if all(abs(value - expected) <= _one_trial(X.shape[0]) + 1e-9 for _, X, _, _, expected, value in results):
            for case, *_, expected, value in results:
                near = "" if abs(value - expected) <= 1e-9 else f" (yours {value:.4f}: one held-out trial lands differently)"
                yield f"{case}: mean accuracy over {_N_FOLDS} folds {expected:.4f}{near}"
            return
        wrong = [r for r in results if abs(r[5] - r[4]) > 1e-9]
        if wrong:
            for candidate, message, hint in _decoding_mistakes():
                values = [candidate(X, y, seed) for _, X, y, seed, _, _ in wrong]
                if all(v is not None and abs(v - r[5]) <= 1e-9 for v, r in zip(values, wrong)):
                    case, *_, expected, value = wrong[0]
                    raise in_case(case, Feedback(f"{message} (got {value:.4f}, expected {expected:.4f})", hint=hint))
    case, X, *_, expected, value = max(wrong, key=lambda r: abs(r[5] - r[4]))
    raise in_case(case, Feedback(
        f"expected a mean cross-validated accuracy of {expected:.4f}, got {value:.4f} (more than one held-out "
        f"trial of one fold, {_one_trial(X.shape[0]):.4f}, away)",
        hint="a logistic regression with scikit-learn's default settings, fitted and scored on the 5 stratified "
        "folds shuffled with the given seed, then the mean of the 5 held-out accuracies.",
    ))


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


def _assigned(value, name, what):
    """``value``, unless it is the ``...`` placeholder or still None (a value, not a function's result)."""
    require(value, name)
    if value is None:
        raise Feedback(f"{name} is still None: assign the computed {what} to it.",
                       hint=f"{name} is a value computed in the cell above, not a function to return from.")
    return value


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
    _assigned(tuning, "tuning", "array")
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
        if not isinstance(tuning, np.ndarray):
            # The cells after the task index and reduce tuning as an array.
            raise Feedback(
                f"the values are right, but tuning is a {type(tuning).__name__}, not a numpy array: make it a numpy array of shape ({n_bins}, {n_units})",
                hint="the plots below use numpy's methods and indexing on tuning; convert it with numpy.",
            )
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
        (
            lambda: 1000 * expected,
            "these are the mean rates in Hz (1000 times the rates given)",
            "the task asks for the mean of rates as given, in spikes per 1 ms time step, without a change of unit.",
        ),
        (
            lambda: 100 * expected,
            "these are mean spike counts per 100-step trial (100 times the rates given)",
            "the task asks for the mean of rates as given, in spikes per 1 ms time step, not of counts.",
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

#: Task 2b's procedure: the labels permuted by ``np.random.default_rng(CHANCE_SEED)``, one
#: ``rng.permutation`` per shuffle, and each shuffle decoded with ``seed=CHANCE_SEED``.
CHANCE_SEED = 0
CHANCE_SHUFFLES = 10


@check("chance level (shuffled labels)")
def check_chance_level(chance, rates, labels):
    """The learner's chance level: the mean decoding accuracy of ``rates`` over Task 2b's shuffles of ``labels``.

    The procedure is seeded, so the reference is exact: the mean of
    :func:`neuro4ml.analysis.shuffled_accuracies` with scikit-learn's default solver.
    """
    import warnings

    value = as_number(_assigned(chance, "chance", "number"), "chance",
                      hint="one number: the mean accuracy over the shuffles.")
    r, y = _rates_and_labels(rates, labels, "all")
    n_trials, n_units = r.shape
    classes, counts = np.unique(y, return_counts=True)
    n_classes = classes.size
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shuffled = reference(analysis.shuffled_accuracies, r, y, n_shuffles=CHANCE_SHUFFLES, seed=CHANCE_SEED,
                             solver="lbfgs", about="these rates and labels")
    centre = float(np.mean(shuffled))
    # One held-out trial predicted differently moves one shuffle's accuracy by 1/n_trials and
    # the mean over the shuffles by a tenth of that: half a trial allows 5 such flips in all
    # (another exact solver, e.g. newton-cg, flips about 3 here), and rejects any other number.
    tolerance = 0.5 / n_trials
    if abs(value - centre) <= tolerance:
        yield (f"chance level {value:.4f}, the mean over {CHANCE_SHUFFLES} shuffles (they range from "
               f"{shuffled.min():.3f} to {shuffled.max():.3f}; {n_classes} classes, 1/{n_classes} = {1 / n_classes:.3f})")
        return

    def near(candidate):
        return abs(value - candidate) <= tolerance

    plan = (f"the chance level asked for is the mean of {CHANCE_SHUFFLES} measured accuracies: one generator "
            f"np.random.default_rng({CHANCE_SEED}) made before the loop, one permutation of the labels per shuffle, "
            f"each decoded with seed={CHANCE_SEED}.")
    if abs(value - 1 / n_classes) <= 1e-6:  # typed as a fraction, not a measured accuracy that comes close
        raise Feedback(
            f"chance {value:.4f} is 1/{n_classes}, the guessing rate for {n_classes} equally frequent classes, not "
            f"a measured chance level ({centre:.4f})",
            hint="the task asks you to measure chance by decoding shuffled labels, because a decoder trained on noise "
            "does not score exactly 1/classes; " + plan,
        )
    if n_units != n_classes and near(1 / n_units):
        raise Feedback(
            f"chance is 1/{n_units}, one over the number of units",
            hint="chance depends on the labels a decoder has to guess, not on how many units it reads.",
        )
    if near(counts.max() / n_trials) and not near(shuffled[0]):
        raise Feedback(
            f"chance {value:.4f} is the share of the most common class, not a measured chance level ({centre:.4f})",
            hint="always guessing the most common class is one baseline, but the task measures what the decoder "
            "scores on shuffled labels; " + plan,
        )
    if near(shuffled.max()) and not near(centre):
        raise Feedback(
            f"chance {value:.4f} is the largest of the {CHANCE_SHUFFLES} shuffled accuracies, not their mean ({centre:.4f})",
            hint="the largest shuffled accuracy (or a high percentile) is a significance threshold; the chance level is "
            "the mean of the null distribution.",
        )
    for q in (90, 95, 97.5, 99):
        if near(float(np.percentile(shuffled, q))):
            raise Feedback(
                f"chance {value:.4f} is the {q}th percentile of the shuffled accuracies, not their mean ({centre:.4f})",
                hint="a high percentile of the null distribution is a significance threshold; the chance level is "
                "its mean.",
            )
    # Only the first shuffle is what a single shuffle gives: any other match is a coincidence
    # (shuffled accuracies move in steps of about 1/n_trials).
    if near(shuffled[0]):
        also = " (it is also the share of the most common class)" if near(counts.max() / n_trials) else ""
        raise Feedback(
            f"chance {value:.4f} is the accuracy of a single shuffle (the first of the {CHANCE_SHUFFLES}){also}, "
            f"not the mean over the {CHANCE_SHUFFLES} shuffles ({centre:.4f})",
            hint="one shuffle's accuracy varies by about a trial per class from shuffle to shuffle; " + plan,
        )
    if near(1 - centre):
        raise Feedback(
            f"chance {value:.4f} is the error rate of the shuffled decoders (1 minus their mean accuracy, {centre:.4f})",
            hint="report the accuracy, the fraction of held-out trials predicted correctly.",
        )
    if abs(value / 100 - centre) <= tolerance:
        raise Feedback(f"chance {value:g} looks like a percentage", hint="report accuracies as fractions between 0 and 1.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        unshuffled = reference(analysis.decoding_accuracy, r, y, seed=CHANCE_SEED, about="these rates and labels")
    if abs(value - unshuffled) <= 0.01:
        raise Feedback(
            f"chance {value:.3f} is the decoding accuracy with the true labels ({unshuffled:.3f}): the labels were not shuffled",
            hint="shuffle the labels (a random permutation) before decoding, so that no rate goes with its true label.",
        )
    raise Feedback(
        f"expected a chance level of {centre:.4f} (the mean over {CHANCE_SHUFFLES} seeded shuffles of these "
        f"{n_trials} trials, accepted within {tolerance:.4f}), got {value:.4f}",
        hint="decode with your function the rates of all the trials, with the labels shuffled; " + plan,
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
    value = as_number(_assigned(participation_ratio, "participation_ratio", "number"), "participation_ratio")
    # Rates stored as float32 (as in the exercise) keep about 7 significant digits, and
    # eigenvalues computed in float32 (scikit-learn's PCA keeps the input's dtype) move the
    # ratio by up to a few 1e-5 relative: accept 1e-4 relative, far below any mistake.
    if abs(value - expected) <= 1e-4 * expected:
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
        if np.isfinite(candidate) and abs(value - candidate) <= 1e-4 * abs(candidate):
            raise Feedback(f"{message} (got {value:.6g}, expected {expected:.6g})", hint=hint)
    if value == int(value) and any(value == 1 + int(np.searchsorted(explained, level)) for level in (0.8, 0.9, 0.95, 0.99)):
        raise Feedback(
            f"{value:g} is a number of principal components needed for a share of the variance",
            hint="the participation ratio is a formula of all the eigenvalues, not a count, and need not be a whole number.",
        )
    raise Feedback(
        f"expected a participation ratio of {expected:.6g}, got {value:.6g} (relative difference "
        f"{abs(value - expected) / expected:.1e}; up to 1e-4 is accepted)",
        hint="take the eigenvalues of the units' covariance matrix and combine them as in the formula above the task.",
    )


# ---------------------------------------------------------------------------
# Ablations
# ---------------------------------------------------------------------------


@check("accuracy drops of single-unit ablations")
def check_ablation_drops(drops, model, x, y):
    """``drops[i]``: the network's accuracy on ``(x, y)`` minus its accuracy with hidden unit ``i`` silenced."""
    _assigned(drops, "drops", "array")
    try:
        from neuro4ml.learning import snn
    except ImportError:  # pragma: no cover
        raise Feedback('this check needs PyTorch: pip install "neuro4ml[snn]"') from None
    if not isinstance(model, snn.SNN):
        raise Feedback(f"expected the network to be a neuro4ml.learning.snn.SNN, got {describe(model)}", hint="pass model, the trained network.")
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
    # Silencing units one after the other without restoring them: unit i's "drop" is then
    # that of units 0..i silenced together.
    cumulative = np.array([baseline - analysis.ablation_accuracy(model, inputs, labels, np.arange(i + 1))
                           for i in range(n_hidden)])
    if close(cumulative):
        raise Feedback(
            "each unit was silenced on top of the ones before it: the silenced units were not restored",
            hint="every lesion starts from the intact network, so that each drop measures one unit alone.",
        )
    raise Feedback(
        f"drops differ from the library's single-unit lesions: {first_difference(got, expected)}",
        hint="for each hidden unit, silence it alone (all the others intact), measure the accuracy on these trials, "
        "and subtract it from the intact network's accuracy on the same trials.",
    )
