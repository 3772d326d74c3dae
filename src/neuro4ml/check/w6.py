"""Answer checks for the week 6 exercise: understanding a trained spiking network.

The experiment, the chance procedure, the synthetic populations (drawn afresh at each run)
and the mistaken decoders' scores are defined in :mod:`neuro4ml.tasks.w6`. The library's
decoder and participation ratio are unavailable while the learner's functions run, and
failure messages give the direction and size of an error, not the expected value.

Every reference value comes from :mod:`neuro4ml.analysis` or :mod:`neuro4ml.tasks.w6`;
these checks only compare and explain.

* :func:`check_decoding_accuracy` runs the learner's ``decoding_accuracy(X, y, seed)`` on
  synthetic populations of several shapes, class counts and seeds (one with as many
  trials as units, so that swapped axes run silently, and one where a decoder without
  an intercept loses trials) and compares it with :func:`neuro4ml.tasks.w6.reference_accuracy`,
  the accuracy of scikit-learn's ``LogisticRegression()`` model solved to a tight
  tolerance (the default settings, a larger ``max_iter`` and the other exact solvers stop
  near it). It recognises the training accuracy (no
  cross-validation), folds that are not shuffled, not stratified, or shuffled without
  the seed, features standardised first (inside the folds, or on all the trials before
  splitting), the balanced accuracy, scores on the training folds, the trials and units
  axes swapped, the per-fold accuracies instead of their mean, a percentage, and NaN or
  a non-number. An answer that on every case is within one held-out trial of one fold
  of the reference (an equivalent decoder, e.g. on centred X) or exactly what
  ``LogisticRegression()``'s default settings give passes.
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
  hidden unit with :func:`neuro4ml.learning.lesions.single_unit_ablations` of the same network on
  the same data. It recognises the accuracies themselves, the opposite sign, relative
  drops, percentages, and lesions that were not undone (each unit silenced on top of
  the ones before).
"""

from __future__ import annotations

import numpy as np

from neuro4ml import analysis
from neuro4ml.check.core import (
    Feedback,
    Mistake,
    Tolerance,
    as_array,
    as_number,
    call,
    check,
    close,
    describe,
    diagnose,
    first_difference,
    in_case,
    off_by,
    reference,
    require,
    size_of,
    unanswered,
)
from neuro4ml.tasks import w6 as task
from neuro4ml.tasks.w6 import CHANCE_SEED, CHANCE_SHUFFLES, EXPERIMENT_SEED, N_TRAIN, N_TRIALS

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

_N_FOLDS = task.N_FOLDS


def _sklearn():
    try:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import KFold, StratifiedKFold
    except ImportError:  # pragma: no cover
        raise Feedback('these checks need scikit-learn: pip install scikit-learn') from None
    return LogisticRegression, KFold, StratifiedKFold


# ---------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------


def _decoding_mistakes():
    """(candidate, message, hint) of each mistake the decoding check recognises.

    ``candidate(X, y, seed)`` is the accuracy the mistake gives on a case, or None where the
    mistake cannot show (the folds of seed 0 on a case whose seed is 0; swapped axes on a
    case that is not square, where they raise an error instead).
    """
    LogisticRegression, KFold, StratifiedKFold = _sklearn()

    def shuffled_with(seed):
        return StratifiedKFold(_N_FOLDS, shuffle=True, random_state=seed)

    yield (
        lambda X, y, seed: float(np.mean(LogisticRegression(max_iter=1000).fit(X, y).predict(X) == y)),
        "this is the accuracy on the trials the decoder was trained on (no cross-validation)",
        "a decoder scored on its own training trials overestimates how much the population tells: fit on four "
        "folds and score on the fifth, five times.",
    )
    yield (
        lambda X, y, seed: task.fold_scores(X, y, StratifiedKFold(_N_FOLDS)),
        "the folds are not shuffled: they are consecutive blocks of trials",
        "trials recorded in order can drift; shuffle the trials before splitting them, with the seed you are given.",
    )
    yield (
        lambda X, y, seed: task.fold_scores(X, y, KFold(_N_FOLDS, shuffle=True, random_state=seed)),
        "the folds are shuffled but not stratified: the classes are not spread evenly over the folds",
        "a stratified splitter keeps each class's share of the trials the same in every fold.",
    )
    for other in (0, 1, 42):
        yield (
            lambda X, y, seed, other=other: None if seed == other else task.fold_scores(X, y, shuffled_with(other)),
            f"these are the folds of seed {other}, not of the seed passed in",
            "the shuffling of the folds must use the function's seed argument, not a fixed number.",
        )
    yield (
        lambda X, y, seed: float(np.max(analysis.fold_accuracies(X, y, seed=seed, solver="lbfgs"))),
        "this is the accuracy of the best fold, not the mean over the folds",
        "cross-validation gives one score per fold; the decoding accuracy is their average, not the best of them.",
    )
    yield (
        lambda X, y, seed: task.fold_scores(X, y, shuffled_with(seed), scaled=True),
        "the features were standardised before decoding",
        "the decoder asked for is a logistic regression on X as given, with scikit-learn's default settings.",
    )
    yield (
        lambda X, y, seed: task.fold_scores((X - X.mean(axis=0)) / np.where(X.std(axis=0) > 0, X.std(axis=0), 1), y,
                                   shuffled_with(seed)),
        "the features were standardised using all the trials before the folds were split: the held-out trials "
        "leak into the training",
        "anything fitted to the data, a scaler included, must see only the training folds; here the task asks for "
        "no rescaling at all: a logistic regression on X as given.",
    )
    yield (
        lambda X, y, seed: task.fold_scores(X, y, shuffled_with(seed), balanced=True),
        "this is the balanced accuracy (the mean recall of the classes), not the accuracy",
        "the accuracy is the fraction of held-out trials whose label is predicted correctly; the classes of this "
        "case are not equally frequent, so the two differ.",
    )
    yield (
        lambda X, y, seed: task.fold_scores(X, y, shuffled_with(seed), on_training=True),
        "each fold's decoder was scored on the trials it was trained on, not on its held-out fold",
        "cross-validation fits on four folds and scores on the fifth, which the decoder never saw.",
    )
    yield (
        lambda X, y, seed: task.fold_scores(X.T, y, shuffled_with(seed)) if X.shape[0] == X.shape[1] else None,
        "the decoder was trained on X transposed: its rows were units, not trials",
        "X is shaped (trials, units): one row per trial, one label per row. This case has as many trials as "
        "units, so the swapped axes raise no error.",
    )


@check("decoding accuracy (cross-validated logistic regression)")
def check_decoding_accuracy(decoding_accuracy):
    """Compare the learner's ``decoding_accuracy(X, y, seed)`` with :func:`neuro4ml.tasks.w6.reference_accuracy`.

    Each case's answer is accepted when it is exactly what ``LogisticRegression()``'s
    default settings give, or within one held-out trial of one fold of the converged model
    (another exact solver, centred X). A known mistake is named when it explains exactly
    every case that differs from the default settings; when those cases are all within the
    tolerance, only if there are at least two of them, so that a coincidence on one small
    case (accuracies move in steps of one trial) cannot refuse a right answer.
    """
    _sklearn()
    import warnings

    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    forbid = [analysis.decoding_accuracy, analysis.fold_accuracies, analysis.shuffled_accuracies,
              task.reference_accuracy, task.fold_scores]
    results = []
    with warnings.catch_warnings(), threadpool_limits(1):  # small fits: more BLAS threads only add overhead
        warnings.simplefilter("ignore")
        for case, X, y, seed in task.decoding_cases():
            expected = task.reference_accuracy(X, y, seed)
            try:
                got = call(decoding_accuracy, "decoding_accuracy", X.copy(), y.copy(), seed, forbid=forbid)
                again = call(decoding_accuracy, "decoding_accuracy", X.copy(), y.copy(), seed, forbid=forbid)
            except Feedback as feedback:
                _shorten(feedback)
                if "inconsistent numbers of samples" in feedback.message:
                    feedback.hint = (
                        "X is shaped (trials, units) and y has one label per trial: scikit-learn wants the trials "
                        "along the first axis, so do not transpose X."
                    )
                raise in_case(case, feedback) from None
            if _is_number(got) and _is_number(again) and _as_float(got) != _as_float(again):
                raise in_case(case, Feedback(
                    "the same seed gave two different results",
                    hint="the fold split must be reproducible: pass the seed to the splitter that shuffles the trials.",
                ))
            value = _accuracy(got, expected, X, y, seed, case)
            default = task.reference_accuracy(X, y, seed, converged=False)
            results.append((case, X, y, seed, expected, value, default))
        not_default = [r for r in results if abs(r[5] - r[6]) > 1e-9]
        # Accepted: every case the default settings' value, or within one held-out trial of one
        # fold of the converged model (the solvers' tolerance, see tasks.w6.one_trial); each
        # mistake below is further away on at least one case (tests/check/test_w6.py checks that).
        off = [r for r in not_default if abs(r[5] - r[4]) > task.one_trial(r[1].shape[0]) + 1e-9]
        if not_default and (off or len(not_default) >= 2):
            for candidate, message, hint in _decoding_mistakes():
                if all(_made(candidate, r) for r in not_default):
                    raise in_case(not_default[0][0], Feedback(message, hint=hint))
        if not off:
            for case, *_, expected, value, default in results:
                near = "" if min(abs(value - expected), abs(value - default)) <= 1e-9 else (
                    " (another solver's optimum: one held-out trial lands differently from the default settings')")
                yield f"{case}: mean accuracy over {_N_FOLDS} folds {value:.4f}{near}"
            return
    case, X, *_, expected, value, _ = max(off, key=lambda r: abs(r[5] - r[4]))
    raise in_case(case, Feedback(
        f"your mean cross-validated accuracy is {off_by(value, expected, near=0.02)} (more than one held-out "
        "trial of one fold away)",
        hint="a logistic regression with scikit-learn's default settings, fitted and scored on the 5 stratified "
        "folds shuffled with the given seed, then the mean of the 5 held-out accuracies.",
    ))


def _made(candidate, result) -> bool:
    """Whether the mistaken decoder ``candidate`` gives the learner's value on this case."""
    _, X, y, seed, _, value, _ = result
    made = candidate(X, y, seed)
    return made is not None and abs(made - value) <= 1e-9


def _shorten(feedback: Feedback, limit: int = 300) -> None:
    """Keep a long exception message (scikit-learn's "All the 5 fits failed" carries whole tracebacks) to its gist."""
    message = feedback.message
    if len(message) <= limit and message.count("\n") <= 2:
        return
    if "fits failed" in message:
        reasons = [line.strip() for line in message.splitlines() if line.strip().startswith(("ValueError", "TypeError"))]
        reason = f" The first error was: {reasons[0][:160]}" if reasons else ""
        feedback.message = (message.split(":", 1)[0] + ": every fit of the cross-validation failed, so scikit-learn "
                            f"had no score to return.{reason}")
        feedback.hint = "call your function on one case in a cell: the full traceback shows which argument the decoder refused."
    else:
        feedback.message = message.splitlines()[0][:limit] + " ..."


def _as_float(value) -> float:
    """The one number :func:`_is_number` accepted, converted the same way."""
    return float(np.asarray(value, dtype=float).ravel()[0])


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
        if values is not None and close(np.sort(values), np.sort(folds), Tolerance(rtol=0.0, atol=1e-9)):
            raise in_case(case, Feedback(
                f"you returned the {_N_FOLDS} accuracies of the folds; the check wants one number, their mean",
                hint="cross-validation gives one score per fold; the decoding accuracy is their average.",
            ))
    try:
        value = as_number(got, "the returned accuracy", allow_one_element=False,
                          hint="return one number: the mean accuracy over the folds, a fraction (call .mean() on the fold scores).")
    except Feedback as feedback:
        raise in_case(case, feedback) from None
    if abs(value / 100 - expected) <= 1e-9 and abs(value - expected) > 1e-9:
        raise in_case(case, Feedback(
            f"the accuracy is a percentage ({value:g}); the check wants a fraction",
            hint="report accuracies as fractions between 0 and 1.",
        ))
    return value


# ---------------------------------------------------------------------------
# Tuning curves
# ---------------------------------------------------------------------------


def _assigned(value, name, what):
    """``value``, unless it is not answered yet (core's one policy: ``...``, ``None``, ``NotImplemented``)."""
    return require(value, name)


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

    def agrees(candidate):
        return close(got, candidate, Tolerance(rtol=1e-6, atol=1e-9))

    if agrees(expected):
        if not isinstance(tuning, np.ndarray):
            # The cells after the task index and reduce tuning as an array.
            raise Feedback(
                f"the values are right, but tuning is a {type(tuning).__name__}, not a numpy array: "
                f"make it a numpy array of shape ({n_bins}, {n_units})",
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
        if agrees(candidate()):
            raise Feedback(message, hint=hint)
    raise Feedback(
        f"tuning differs from the mean rates per IPD bin of the training trials: {first_difference(got, expected)}",
        hint="row c is the mean, over the training trials whose label is c, of each unit's rate.",
    )


# ---------------------------------------------------------------------------
# Chance level
# ---------------------------------------------------------------------------

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

    def near(candidate):
        return close(value, candidate, Tolerance(rtol=0.0, atol=tolerance))

    plan = (f"the chance level asked for is the mean of {CHANCE_SHUFFLES} measured accuracies: one generator "
            f"np.random.default_rng({CHANCE_SEED}) made before the loop, one permutation of the labels per shuffle, "
            f"each decoded with seed={CHANCE_SEED}.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        unshuffled = reference(analysis.decoding_accuracy, r, y, seed=CHANCE_SEED, solver="lbfgs", about="these rates and labels")
    if unshuffled <= shuffled.max() + 2 / n_trials:
        raise Feedback(
            "the labels passed to the check carry no information about the rates: decoded with them, the rates "
            "score no better than with shuffled labels, so they are shuffled themselves",
            hint="rng.shuffle(ipd_bin) shuffles ipd_bin in place and leaves it shuffled for every later cell: "
            "run the notebook again from the cell that makes ipd_bin, and draw each shuffle with "
            "rng.permutation, which returns a shuffled copy and leaves the labels as they were.",
        )
    # A new generator for each shuffle repeats the first shuffle ten times: its mean is the first
    # shuffle's accuracy, which may lie within the tolerance of the right mean; it is named first.
    if near(shuffled[0]) and abs(value - shuffled[0]) < abs(value - centre):
        raise Feedback(
            f"chance is the accuracy of a single shuffle (the first of the {CHANCE_SHUFFLES}), not the mean over "
            f"{CHANCE_SHUFFLES} different shuffles: a new generator made for each shuffle draws the same permutation "
            "every time",
            hint="one shuffle's accuracy varies by about a trial per class from shuffle to shuffle; " + plan,
        )
    if near(centre):
        yield (f"chance level {value:.4f}, the mean over {CHANCE_SHUFFLES} shuffles ({n_classes} classes, "
               f"1/{n_classes} = {1 / n_classes:.3f})")
        return
    if abs(value - 1 / n_classes) <= 1e-6:  # typed as a fraction, not a measured accuracy that comes close
        raise Feedback(
            f"chance is 1/{n_classes}, the guessing rate for {n_classes} equally frequent classes, not a measured "
            "chance level",
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
            "chance is the share of the most common class, not a measured chance level",
            hint="always guessing the most common class is one baseline, but the task measures what the decoder "
            "scores on shuffled labels; " + plan,
        )
    if near(float(np.median(shuffled))) and not near(centre):
        raise Feedback(
            f"chance is the median of the {CHANCE_SHUFFLES} shuffled accuracies, not their mean",
            hint="the chance level is the mean of the null distribution: np.mean of the shuffled accuracies.",
        )
    if near(shuffled.max()):
        raise Feedback(
            f"chance is the largest of the {CHANCE_SHUFFLES} shuffled accuracies, not their mean",
            hint="the largest shuffled accuracy (or a high percentile) is a significance threshold; the chance level is "
            "the mean of the null distribution.",
        )
    for q in (90, 95, 97.5, 99):
        if near(float(np.percentile(shuffled, q))):
            raise Feedback(
                f"chance is the {q}th percentile of the shuffled accuracies, not their mean",
                hint="a high percentile of the null distribution is a significance threshold; the chance level is "
                "its mean.",
            )
    if near(shuffled[0]):
        raise Feedback(
            f"chance is the accuracy of a single shuffle (the first of the {CHANCE_SHUFFLES}), not the mean over "
            f"the {CHANCE_SHUFFLES} shuffles",
            hint="one shuffle's accuracy varies by about a trial per class from shuffle to shuffle; " + plan,
        )
    if near(1 - centre):
        raise Feedback(
            "chance is the error rate of the shuffled decoders (1 minus their mean accuracy)",
            hint="report the accuracy, the fraction of held-out trials predicted correctly.",
        )
    if close(value / 100, centre, Tolerance(rtol=0.0, atol=tolerance)):
        raise Feedback(f"chance {value:g} looks like a percentage", hint="report accuracies as fractions between 0 and 1.")
    if abs(value - unshuffled) <= 0.01:
        raise Feedback(
            "chance is the decoding accuracy with the true labels: the labels were not shuffled",
            hint="shuffle the labels (a random permutation) before decoding, so that no rate goes with its true label.",
        )
    if n_trials > N_TRAIN:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            on_training = reference(analysis.shuffled_accuracies, r[:N_TRAIN], y[:N_TRAIN], n_shuffles=CHANCE_SHUFFLES,
                                    seed=CHANCE_SEED, solver="lbfgs", about="these rates and labels")
        if close(value, float(np.mean(on_training)), Tolerance(rtol=0.0, atol=0.5 / N_TRAIN)):
            raise Feedback(
                f"chance was measured on the {N_TRAIN} training trials only, not on all {n_trials}",
                hint="decode the rates of all the trials (rates and ipd_bin as they are), with the labels shuffled; " + plan,
            )
    raise Feedback(
        f"your chance level is {off_by(value, centre, near=0.02)} (the mean over {CHANCE_SHUFFLES} seeded shuffles of "
        f"these {n_trials} trials is accepted within half a trial)",
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
    """The learner's ``participation_ratio(rates)`` on the exercise's ``rates`` and on fresh populations.

    :func:`neuro4ml.analysis.participation_ratio` is unavailable while the learner's function runs.
    """
    if unanswered(participation_ratio) or callable(participation_ratio):
        pass
    else:
        raise Feedback(
            f"expected participation_ratio to be a function of the rates, got {describe(participation_ratio)}",
            hint="write `def participation_ratio(rates):` returning the number; the check runs it on other rates too.",
        )
    r = as_array(rates, "rates", ndim=2, returned=False, hint="pass the (trials, units) rates of the exercise.")
    if r.shape[0] < 2 or not np.any(r.std(axis=0) > 0):
        raise Feedback(
            f"the rates passed to the check (shape {r.shape}) do not vary across trials, so they have no dimensionality",
            hint="pass the (trials, units) rates of the hidden units.",
        )
    rng = task.fresh_rng()
    cases = [("the exercise's rates", r)] + [(f"a population of its own ({p.shape[0]} trials, {p.shape[1]} units)", p)
                                             for p in (task.population(rng), task.population(rng, 150, 40))]
    for description, x in cases:
        expected = reference(analysis.participation_ratio, x, about="these rates")
        out = call(participation_ratio, "participation_ratio", x.copy(), forbid=[analysis.participation_ratio])
        try:
            if isinstance(out, (list, tuple, np.ndarray)) and (size_of(out) or 0) > 1:
                raise Feedback(
                    f"expected one number, got {describe(out)}",
                    hint="the eigenvalues are the ingredients: combine them into the one number of the formula.",
                )
            value = as_number(out, "the returned participation ratio")
        except Feedback as feedback:
            raise in_case(description, feedback) from None
        # Rates stored as float32 (as in the exercise) keep about 7 significant digits, and
        # eigenvalues computed in float32 (scikit-learn's PCA keeps the input's dtype) move the
        # ratio by up to a few 1e-5 relative: accept 1e-4 relative, far below any mistake.
        tolerance = Tolerance(rtol=1e-4, atol=0.0)
        if close(value, expected, tolerance):
            yield f"{description}: participation ratio {value:.3f} of {x.shape[1]} units"
            continue
        mistake = diagnose(value, expected, _dimensionality_mistakes(x, expected), tolerance)
        if mistake:
            raise in_case(description, Feedback(mistake.message, hint=mistake.hint))
        centred = x - x.mean(axis=0)
        singular = np.linalg.svd(centred, compute_uv=False)
        explained = np.cumsum(singular**2) / np.sum(singular**2)
        if value == int(value) and any(value == 1 + int(np.searchsorted(explained, level)) for level in (0.8, 0.9, 0.95, 0.99)):
            raise in_case(description, Feedback(
                f"{value:g} is a number of principal components needed for a share of the variance",
                hint="the participation ratio is a formula of all the eigenvalues, not a count, and need not be a whole number.",
            ))
        raise in_case(description, Feedback(
            f"your participation ratio is {off_by(value, expected, near=0.01)}",
            hint="take the eigenvalues of the units' covariance matrix and combine them as in the formula above the task.",
        ))


def _dimensionality_mistakes(r: np.ndarray, expected: float) -> list[Mistake]:
    """The participation ratios that known mistakes give on ``r``, computed from its singular values."""
    centred = r - r.mean(axis=0)
    singular = np.linalg.svd(centred, compute_uv=False)
    active = r.std(axis=0) > 0
    z = centred[:, active] / r[:, active].std(axis=0)
    return [
        Mistake(1 / expected, "this is the inverse of the participation ratio", "the sum of the eigenvalues, squared, goes on top."),
        Mistake(_ratio(singular), "the singular values were used as the variances",
                "the variance along a principal direction is the square of its singular value (divided by trials - 1)."),
        Mistake(_ratio(np.linalg.svd(r, compute_uv=False) ** 2), "the data were not centred",
                "covariance is about variation around the mean: subtract each unit's mean first."),
        Mistake(_ratio(np.linalg.svd(z, compute_uv=False) ** 2), "these are the eigenvalues of the correlation matrix",
                "the exercise asks for the covariance matrix: standardising gives rarely active units as much weight as busy ones."),
        Mistake(_ratio(np.linalg.svd(r - r.mean(axis=1, keepdims=True), compute_uv=False) ** 2),
                "this is the covariance between trials, not between units",
                "rows are trials and columns units: the covariance matrix is units x units."),
    ]


# ---------------------------------------------------------------------------
# Ablations
# ---------------------------------------------------------------------------


@check("accuracy drops of single-unit ablations")
def check_ablation_drops(drops, model, x, y):
    """``drops[i]``: the network's accuracy on ``(x, y)`` minus its accuracy with hidden unit ``i`` silenced."""
    _assigned(drops, "drops", "array")
    try:
        from neuro4ml.learning import lesions, snn
    except ImportError:  # pragma: no cover
        raise Feedback('this check needs PyTorch: pip install "neuro4ml[snn]"') from None
    if not isinstance(model, snn.SNN):
        raise Feedback(
            f"expected the network to be a neuro4ml.learning.snn.SNN, got {describe(model)}", hint="pass model, the trained network."
        )
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
    ablated = reference(lesions.single_unit_ablations, model, inputs, labels, about="these inputs")
    expected = baseline - ablated
    tolerance = 1.01 / len(labels)  # a rounding tie may flip one trial

    def agrees(candidate):
        return close(got, candidate, Tolerance(rtol=0.0, atol=tolerance))

    if agrees(expected):
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
        if agrees(candidate):
            raise Feedback(message, hint=hint)
    # Silencing units one after the other without restoring them: unit i's "drop" is then
    # that of units 0..i silenced together.
    cumulative = np.array([baseline - lesions.ablation_accuracy(model, inputs, labels, np.arange(i + 1))
                           for i in range(n_hidden)])
    if agrees(cumulative):
        raise Feedback(
            "each unit was silenced on top of the ones before it: the silenced units were not restored",
            hint="every lesion starts from the intact network, so that each drop measures one unit alone.",
        )
    raise Feedback(
        f"drops differ from the library's single-unit lesions: {first_difference(got, expected)}",
        hint="for each hidden unit, silence it alone (all the others intact), measure the accuracy on these trials, "
        "and subtract it from the intact network's accuracy on the same trials.",
    )
