"""Week 6's tasks: decoding a trained network's hidden layer, its chance level and its dimensionality.

The exercise's simulated experiment (:data:`EXPERIMENT_SEED`, :data:`N_TRIALS`,
:data:`N_TRAIN`), the chance-level procedure (:data:`CHANCE_SEED`,
:data:`CHANCE_SHUFFLES`), the synthetic populations the learner's decoder is run on
(drawn afresh at each check, :func:`decoding_cases`), the decoding task's answer
(:func:`reference_accuracy`), and the cross-validated scores of
the known mistaken decoders (:func:`fold_scores`, computed with scikit-learn's
``cross_validate``, as :func:`neuro4ml.analysis.fold_accuracies` is with its folds).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuro4ml.tasks.fresh import fresh_rng

__all__ = [
    "CHANCE_SEED",
    "CHANCE_SHUFFLES",
    "EXPERIMENT_SEED",
    "N_FOLDS",
    "N_TRAIN",
    "N_TRIALS",
    "DecodingShape",
    "decoding_cases",
    "decoding_data",
    "fold_scores",
    "fresh_rng",
    "one_trial",
    "population",
    "reference_accuracy",
]

#: The exercise's simulated experiment: trials of the sound-localisation task shown to the
#: trained network (seed of :func:`neuro4ml.data.sound_localisation`), the first
#: :data:`N_TRAIN` of them the training trials.
EXPERIMENT_SEED = 2024
N_TRIALS = 1000
N_TRAIN = 600
#: Task 2b's procedure: the labels permuted by ``np.random.default_rng(CHANCE_SEED)``, one
#: ``rng.permutation`` per shuffle, and each shuffle decoded with ``seed=CHANCE_SEED``.
CHANCE_SEED = 0
CHANCE_SHUFFLES = 10
#: Folds of the decoding task.
N_FOLDS = 5

@dataclass(frozen=True)
class DecodingShape:
    """The design of one synthetic decoding case; each case exposes some mistakes.

    ``classes`` is a number of equally frequent classes or the number of trials of each
    class. ``separation`` is the spread of the class means, ``scale`` the size of the
    features and ``unit_spread`` how much it varies between units (log-normal), so that
    standardising the features changes the decoder. ``at_rest``: class 0's mean is the
    origin, so that the boundary between the classes lies away from it and a decoder fitted
    without an intercept loses trials (when all class means share an offset, the weights
    stand in for the intercept and it loses about none).
    """

    n_trials: int
    n_units: int
    classes: int | tuple[int, ...]
    separation: float
    scale: float = 1.0
    unit_spread: float = 0.0
    at_rest: bool = False


#: The decoding cases: the first has a class at rest; one has as many trials as units, so
#: that swapped axes run silently; the last is imbalanced and its trials do not divide into
#: 5 equal folds, so that a balanced accuracy differs from the accuracy, and its features
#: are small, like rates per time step; two have units of very different scales.
_SHAPES = (
    DecodingShape(100, 8, 2, 0.5, at_rest=True),
    DecodingShape(120, 12, 4, 0.4, unit_spread=1.0),
    DecodingShape(150, 20, 6, 0.35),
    DecodingShape(60, 60, 3, 0.25),
    DecodingShape(97, 10, (52, 28, 17), 0.45, scale=0.2, unit_spread=1.0),
)


def decoding_data(shape: DecodingShape, data_seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A population whose mean rate depends on the class: ``(X (trials, units), y (trials,))``.

    Each class's mean is ``0.5 + separation * z`` with ``z`` standard normal per unit (0 for
    a class at rest), each trial adds unit-variance noise, and unit ``i``'s responses are
    multiplied by ``scale * exp(unit_spread * z_i)``.
    """
    rng = np.random.default_rng(data_seed)
    classes = shape.classes
    if isinstance(classes, tuple):
        n_classes = len(classes)
        y = rng.permutation(np.repeat(np.arange(n_classes), classes))
    else:
        n_classes = classes
        y = rng.permutation(np.arange(shape.n_trials) % n_classes)
    centres = 0.5 + shape.separation * rng.standard_normal((n_classes, shape.n_units))
    if shape.at_rest:
        centres[0] = 0.0
    X = centres[y] + rng.standard_normal((shape.n_trials, shape.n_units))
    return X * shape.scale * np.exp(shape.unit_spread * rng.standard_normal(shape.n_units)), y


def decoding_cases(rng: np.random.Generator | None = None) -> list[tuple[str, np.ndarray, np.ndarray, int]]:
    """(description, X, y, seed) of each decoding case, with data and fold seeds drawn from ``rng``.

    The fold seeds are never 0, 1 or 42, so that folds shuffled with a fixed seed show.
    """
    rng = fresh_rng() if rng is None else rng
    cases = []
    for shape in _SHAPES:
        X, y = decoding_data(shape, int(rng.integers(2**32)))
        n_trials, n_units, classes = shape.n_trials, shape.n_units, shape.classes
        seed = int(rng.integers(100, 1_000_000))
        shares = (f"{len(classes)} classes of {', '.join(map(str, classes))} trials" if isinstance(classes, tuple)
                  else f"{classes} classes")
        cases.append((f"X of shape ({n_trials}, {n_units}), {shares}, seed={seed}", X, y, seed))
    return cases


def reference_accuracy(X, y, seed: int, *, converged: bool = True) -> float:
    """The decoding task's answer on one case: scikit-learn's logistic regression, cross-validated.

    The mean held-out accuracy over 5 stratified folds shuffled with ``seed`` of the model
    scikit-learn's ``LogisticRegression()`` fits (L2 penalty, ``C = 1``, an intercept).
    ``converged``: solved to a tight tolerance (lbfgs, ``tol = 1e-10``), so that the
    reference is the model rather than where one solver stopped; the default settings
    (lbfgs, ``tol = 1e-4``, at most 100 iterations) and the other exact solvers stop near
    this optimum, within :func:`one_trial` of it. ``converged=False``: the default
    settings, exactly as a learner writes them.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    decoder = LogisticRegression(tol=1e-10, max_iter=100_000) if converged else LogisticRegression()
    folds = StratifiedKFold(N_FOLDS, shuffle=True, random_state=int(seed))
    return float(np.mean(cross_val_score(decoder, X, y, cv=folds)))


def one_trial(n_trials: int) -> float:
    """How far one held-out trial of one fold moves the mean accuracy over the folds.

    An equivalent decoder (centred X, another exact solver, a tighter tolerance) can land
    a trial that lies almost on a decision boundary on the other side: one trial in a fold
    of ``n_trials // 5`` trials moves that fold's accuracy by ``1 / (n_trials // 5)`` and
    the mean over the 5 folds by a fifth of that.
    """
    return 1 / (N_FOLDS * (n_trials // N_FOLDS))


def fold_scores(X, y, splitter, *, scaled=False, balanced=False, on_training=False) -> float:
    """Mean cross-validated accuracy of scikit-learn's default logistic regression over ``splitter``'s folds.

    Computed with ``sklearn.model_selection.cross_validate``. The switches make the known
    mistakes: ``scaled`` standardises inside each fold, ``balanced`` scores the balanced
    accuracy (the mean of the per-class recalls), ``on_training`` scores each decoder on
    its own training folds.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_validate
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    decoder = LogisticRegression(max_iter=1000)
    if scaled:
        decoder = make_pipeline(StandardScaler(), decoder)
    scores = cross_validate(decoder, X, y, cv=splitter, scoring="balanced_accuracy" if balanced else "accuracy",
                            return_train_score=on_training)
    return float(np.mean(scores["train_score" if on_training else "test_score"]))


def population(rng: np.random.Generator, n_trials: int = 300, n_units: int = 24) -> np.ndarray:
    """Rates ``(trials, units)`` with a few shared latent dimensions and some silent units, for the dimensionality task."""
    latent = rng.standard_normal((n_trials, 3)) * np.array([3.0, 1.5, 0.7])
    rates = np.abs(latent @ rng.standard_normal((3, n_units)) + 0.5 * rng.standard_normal((n_trials, n_units)) + 2.0)
    rates[:, rng.choice(n_units, 2, replace=False)] = 0.0  # silent units, as in a trained layer
    return rates / 100.0  # spikes per 1 ms step, like the exercise's rates
