r"""Analysing a population of units the way neuroscientists analyse recordings (week 6).

The same tools serve a recorded population and a trained network's hidden layer:

* :func:`tuning_curves` -- each unit's mean response per condition, with a t-based or a
  bootstrap confidence interval; :func:`class_selectivity` -- Morcos et al. (2018)'s
  selectivity index computed from them;
* :func:`spike_triggered_average` -- the mean input before each unit's spikes;
* :func:`decoding_accuracy`, :func:`shuffled_accuracies` and :func:`decode` -- how well a
  cross-validated logistic-regression decoder reads the condition out of the population,
  and the chance level measured by shuffling the labels (a permutation test);
* :func:`pca` and :func:`participation_ratio` -- how many dimensions the activity spans;
* :func:`condition_means`, :func:`rdm` and :func:`compare_rdms` -- representational
  similarity analysis (Kriegeskorte, Mur & Bandettini 2008);
* :func:`hidden_activity`, :func:`ablated`, :func:`silenced`, :func:`ablation_accuracy` and
  :func:`single_unit_ablations` -- record and lesion the hidden units of a
  :class:`neuro4ml.learning.snn.SNN` (these need PyTorch; nothing else here does).

Conventions shared by everything here:

* **Shapes.** Activity is ``(trials, time, units)`` (spikes or rates per time bin) or
  ``(trials, units)`` (one response per trial, e.g. a rate). A function that needs one
  response per trial reduces a 3-d array with :func:`responses`: the mean over time, i.e.
  the rate in spikes per time bin when it holds spikes. Labels or conditions are
  ``(trials,)``.
* **Seeds.** Everything random (bootstrap resamples, cross-validation folds, shuffles) takes
  a ``seed``: the same call gives the same numbers.
* **Decoding.** scikit-learn's ``LogisticRegression`` (L2 penalty, ``C = 1``, multinomial
  for more than two classes) scored on the held-out fold of
  ``StratifiedKFold(n_folds, shuffle=True, random_state=seed)``; accuracies are fractions.
  The decoding functions need scikit-learn (``pip install "neuro4ml[stats]"``). They
  minimise the same objective as scikit-learn's default solver (lbfgs) with its
  ``newton-cg`` solver, on one BLAS thread: the objective is strictly convex, so both
  reach the same decoder up to the solvers' tolerance (a near-tied held-out trial can
  flip; ``solver="lbfgs"`` reproduces a plain ``LogisticRegression()``), but on these
  small problems the Newton steps are 10 to 80 times faster. The penalty is not scale-free: pass rates per time bin (a 3-d array is
  averaged over time for you, values below 1) rather than raw counts of tens of spikes,
  on which any solver needs many more iterations and the fixed ``C`` penalises less.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from neuro4ml.validation import as_generator, whole_number

__all__ = [
    "Decoding",
    "PCA",
    "TuningCurves",
    "ablated",
    "ablation_accuracy",
    "class_selectivity",
    "compare_rdms",
    "condition_means",
    "decode",
    "decoding_accuracy",
    "fold_accuracies",
    "hidden_activity",
    "participation_ratio",
    "pca",
    "rdm",
    "responses",
    "shuffled_accuracies",
    "silenced",
    "single_unit_ablations",
    "spike_triggered_average",
    "tuning_curves",
]


# ---------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------


def responses(activity: object, name: str = "activity") -> np.ndarray:
    """One response per trial and unit, ``(trials, units)`` float64.

    A ``(trials, units)`` array is returned as floats; a ``(trials, time, units)`` array is
    averaged over time: when it holds spikes, each trial's rate in spikes per time bin
    (multiply by ``1000 / dt_ms`` for Hz, or by the number of bins for the spike count).
    Rates, not counts, because the decoders' fixed L2 penalty and their solver are made
    for features of order 1 or less; a count of tens of spikes makes decoding slow.
    """
    try:
        array = np.asarray(activity, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array shaped (trials, units) or (trials, time, units), got {type(activity).__name__}") from error
    if array.ndim == 3:
        array = array.mean(axis=1)
    if array.ndim != 2 or array.shape[0] < 1 or array.shape[1] < 1:
        raise ValueError(f"{name} must be shaped (trials, units) or (trials, time, units), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def _labels(labels: object, n_trials: int, name: str = "labels") -> np.ndarray:
    array = np.asarray(labels)
    if array.shape != (n_trials,):
        raise ValueError(f"{name} must hold one value per trial, shape ({n_trials},), got shape {array.shape}")
    return array


def _class_labels(labels: object, n_trials: int, n_folds: int) -> np.ndarray:
    array = _labels(labels, n_trials)
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
        from sklearn.model_selection import StratifiedKFold
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - exercised only without scikit-learn
        raise ImportError('decoding needs scikit-learn: pip install "neuro4ml[stats]" (or pip install scikit-learn)') from None
    return LogisticRegression, StratifiedKFold, threadpool_limits


# ---------------------------------------------------------------------------
# Tuning curves
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TuningCurves:
    """Mean response of each unit in each condition, with a confidence interval.

    Attributes
    ----------
    conditions : numpy.ndarray, shape (conditions,)
        The distinct condition values, sorted.
    mean, low, high : numpy.ndarray, shape (conditions, units)
        Mean response and the bounds of its ``confidence`` interval (NaN for a condition
        with one trial under the t method).
    n_trials : numpy.ndarray of int, shape (conditions,)
        Trials per condition.
    confidence : float
        Coverage of the interval, e.g. 0.95.
    method : str
        ``"t"`` or ``"bootstrap"``.
    """

    conditions: np.ndarray
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n_trials: np.ndarray
    confidence: float
    method: str


def tuning_curves(
    activity: object,
    conditions: object,
    *,
    confidence: float = 0.95,
    method: str = "t",
    n_bootstrap: int = 1000,
    seed: int = 0,
) -> TuningCurves:
    r"""Each unit's mean response per condition, with a confidence interval on the mean.

    For condition :math:`c` with :math:`n_c` trials, the curve is the sample mean
    :math:`\bar r_c`. With ``method="t"`` the interval is
    :math:`\bar r_c \pm t_{n_c - 1,\,(1 + \gamma)/2}\; s_c / \sqrt{n_c}` (:math:`s_c` the
    sample standard deviation, :math:`\gamma` the ``confidence``), exact for Gaussian
    responses. With ``method="bootstrap"`` it is the percentile interval of the means of
    ``n_bootstrap`` resamples of the condition's trials with replacement (Efron &
    Tibshirani 1993), which assumes nothing about the distribution of responses.

    Parameters
    ----------
    activity : array, shape (trials, units) or (trials, time, units)
        Responses (a 3-d array is averaged over time: rates per time bin).
    conditions : array, shape (trials,)
        The condition of each trial (a class, a stimulus value).
    confidence : float
        Coverage of the interval, in (0, 1).
    method : {"t", "bootstrap"}
    n_bootstrap : int
        Resamples for the bootstrap.
    seed : int
        Seed of the bootstrap resamples.
    """
    r = responses(activity)
    labels = _labels(conditions, r.shape[0], "conditions")
    if not 0 < float(confidence) < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    if method not in ("t", "bootstrap"):
        raise ValueError(f"method must be 't' or 'bootstrap', got {method!r}")
    n_bootstrap = whole_number(n_bootstrap, "n_bootstrap")
    values, inverse = np.unique(labels, return_inverse=True)
    rng = as_generator(seed)
    mean, low, high = (np.empty((values.size, r.shape[1])) for _ in range(3))
    counts = np.bincount(inverse, minlength=values.size)
    tail = (1 - float(confidence)) / 2
    for c in range(values.size):
        group = r[inverse == c]
        mean[c] = group.mean(axis=0)
        if method == "t":
            if group.shape[0] < 2:
                low[c] = high[c] = np.nan
                continue
            from scipy import stats

            half = stats.t.ppf(1 - tail, group.shape[0] - 1) * group.std(axis=0, ddof=1) / np.sqrt(group.shape[0])
            low[c], high[c] = mean[c] - half, mean[c] + half
        else:
            resampled = group[rng.integers(0, group.shape[0], (n_bootstrap, group.shape[0]))].mean(axis=1)
            low[c], high[c] = np.quantile(resampled, [tail, 1 - tail], axis=0)
    return TuningCurves(values, mean, low, high, counts, float(confidence), method)


def class_selectivity(tuning: object) -> np.ndarray:
    r"""Class selectivity index of each unit (Morcos et al. 2018).

    .. math:: \mathrm{SI} = \frac{\mu_\text{max} - \mu_{-\text{max}}}{\mu_\text{max} + \mu_{-\text{max}}},

    with :math:`\mu_\text{max}` the largest class-conditional mean response and
    :math:`\mu_{-\text{max}}` the mean of the other classes' means. 0 means the same
    response to every class, 1 a response to one class only. Responses must be
    non-negative (spike counts, rates); a unit silent in every class gets 0.

    Parameters
    ----------
    tuning : array, shape (conditions, units), or a :class:`TuningCurves`
        Mean responses (``tuning_curves(...).mean``).

    Returns
    -------
    numpy.ndarray, shape (units,)
    """
    means = np.asarray(tuning.mean if isinstance(tuning, TuningCurves) else tuning, dtype=float)
    if means.ndim != 2 or means.shape[0] < 2:
        raise ValueError(f"tuning must be shaped (conditions, units) with at least 2 conditions, got shape {means.shape}")
    if np.any(means < 0) or not np.all(np.isfinite(means)):
        raise ValueError("the selectivity index needs finite, non-negative mean responses")
    best = means.max(axis=0)
    others = (means.sum(axis=0) - best) / (means.shape[0] - 1)
    total = best + others
    return np.divide(best - others, total, out=np.zeros_like(total), where=total > 0)


# ---------------------------------------------------------------------------
# Spike-triggered average
# ---------------------------------------------------------------------------


def spike_triggered_average(stimulus: object, spikes: object, n_lags: int) -> np.ndarray:
    r"""The mean stimulus before each unit's spikes, at each lag, pooled over trials.

    .. math:: \mathrm{STA}_{u}[k, c] = \frac{\sum_{m, t} n_{m,t,u}\, s_{m,t-k,c}}{\sum_{m,t} n_{m,t,u}},
              \qquad k = 0, \dots, L - 1,

    with trials :math:`m`, time bins :math:`t`, stimulus channels :math:`c` and stimulus
    samples before a trial's start taken as 0 (Chichilnisky 2001). A unit that never spikes
    gets NaN. :func:`neuro4ml.analysis.glm.spike_triggered_average` is the one-trial, one-channel
    case of this function.

    Parameters
    ----------
    stimulus : array, shape (trials, time, channels)
        The input (for a network, its input spikes).
    spikes : array, shape (trials, time, units)
        Spike counts of the units, on the same time bins.
    n_lags : int
        Number of lags :math:`L` (bins), >= 1.

    Returns
    -------
    numpy.ndarray, shape (units, n_lags, channels)
        Entry ``[u, k, c]`` is the mean of channel ``c``, ``k`` bins before a spike of unit ``u``.
    """
    s = np.asarray(stimulus, dtype=float)
    n = np.asarray(spikes, dtype=float)
    if s.ndim != 3 or n.ndim != 3 or s.shape[:2] != n.shape[:2]:
        raise ValueError(
            f"stimulus and spikes must be shaped (trials, time, channels) and (trials, time, units) with the same "
            f"trials and time, got {s.shape} and {n.shape}"
        )
    n_lags = whole_number(n_lags, "n_lags", minimum=1)
    n_time = s.shape[1]
    sta = np.empty((n.shape[2], n_lags, s.shape[2]))
    for k in range(n_lags):
        # spikes at t >= k see the stimulus at t - k
        sta[:, k] = np.einsum("mtu,mtc->uc", n[:, k:], s[:, : n_time - k]) if k < n_time else 0.0
    total = n.sum(axis=(0, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return sta / total[:, None, None]


# ---------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------


def fold_accuracies(activity: object, labels: object, *, seed: int = 0, n_folds: int = 5, C: float = 1.0, max_iter: int = 1000, solver: str = "newton-cg") -> np.ndarray:
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
    _, _, threadpool_limits = _sklearn()
    X = responses(activity)
    n_folds = whole_number(n_folds, "n_folds", minimum=2)
    y = _class_labels(labels, X.shape[0], n_folds)
    with threadpool_limits(1):  # small problems: more BLAS threads only add overhead
        return _fold_scores(X, y, seed, n_folds, C, max_iter, solver)


def _fold_scores(X, y, seed, n_folds, C, max_iter, solver):
    """:func:`fold_accuracies` on checked ``X`` ``(trials, units)`` and labels ``y``."""
    LogisticRegression, StratifiedKFold, _ = _sklearn()
    folds = StratifiedKFold(n_folds, shuffle=True, random_state=int(seed))
    scores = []
    for train, test in folds.split(X, y):
        decoder = LogisticRegression(C=C, solver=solver, max_iter=max_iter).fit(X[train], y[train])
        scores.append(np.mean(decoder.predict(X[test]) == y[test]))
    return np.array(scores)


def decoding_accuracy(activity: object, labels: object, *, seed: int = 0, n_folds: int = 5, C: float = 1.0, max_iter: int = 1000, solver: str = "newton-cg") -> float:
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
    _, _, threadpool_limits = _sklearn()
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


def decode(activity: object, labels: object, *, seed: int = 0, n_shuffles: int = 20, n_folds: int = 5, C: float = 1.0, max_iter: int = 1000, solver: str = "newton-cg") -> Decoding:
    """Cross-validated decoding accuracy with its chance level and permutation p-value."""
    folds = fold_accuracies(activity, labels, seed=seed, n_folds=n_folds, C=C, max_iter=max_iter, solver=solver)
    shuffled = shuffled_accuracies(activity, labels, n_shuffles=n_shuffles, seed=seed, n_folds=n_folds, C=C, max_iter=max_iter, solver=solver)
    accuracy = float(folds.mean())
    p_value = (1 + int(np.sum(shuffled >= accuracy))) / (1 + shuffled.size)
    return Decoding(accuracy, folds, float(shuffled.mean()), shuffled, float(p_value))


# ---------------------------------------------------------------------------
# Dimensionality
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PCA:
    """Principal components of a population's responses.

    Attributes
    ----------
    components : numpy.ndarray, shape (k, units)
        Orthonormal directions, by decreasing variance (``k = min(trials, units)``).
    explained_variance : numpy.ndarray, shape (k,)
        Variance along each component: the eigenvalues of the covariance matrix
        (normalised by ``trials - 1``).
    explained_variance_ratio : numpy.ndarray, shape (k,)
        The same as fractions of the total variance.
    mean : numpy.ndarray, shape (units,)
        The mean response that was subtracted.
    """

    components: np.ndarray
    explained_variance: np.ndarray
    explained_variance_ratio: np.ndarray
    mean: np.ndarray

    def project(self, activity: object, n_components: int | None = None) -> np.ndarray:
        """Coordinates ``(trials, n_components)`` of ``activity`` on the first components."""
        r = responses(activity)
        k = self.components.shape[0] if n_components is None else whole_number(n_components, "n_components")
        return (r - self.mean) @ self.components[:k].T


def pca(activity: object) -> PCA:
    r"""Principal component analysis of responses ``(trials, units)`` (3-d arrays are averaged over time).

    With the centred data :math:`X - \bar x = U S V^\top` (singular value decomposition),
    the components are the rows of :math:`V^\top` and the variances
    :math:`\lambda_i = s_i^2 / (n - 1)`, the eigenvalues of the sample covariance matrix.
    """
    r = responses(activity)
    if r.shape[0] < 2:
        raise ValueError("PCA needs at least two trials")
    mean = r.mean(axis=0)
    _, s, vt = np.linalg.svd(r - mean, full_matrices=False)
    variance = s**2 / (r.shape[0] - 1)
    total = variance.sum()
    ratio = variance / total if total > 0 else np.zeros_like(variance)
    return PCA(vt, variance, ratio, mean)


def participation_ratio(activity: object) -> float:
    r"""The participation ratio, a dimensionality of a population's activity.

    .. math:: \mathrm{PR} = \frac{\left(\sum_i \lambda_i\right)^2}{\sum_i \lambda_i^2},

    with :math:`\lambda_i` the eigenvalues of the covariance matrix of the responses
    (Gao et al. 2017; Recanatesi et al. 2019). It is 1 when all the variance lies along one
    direction and :math:`N` when :math:`N` directions share it equally; in between it
    counts the directions that carry most of the variance.

    Parameters
    ----------
    activity : array, shape (trials, units) or (trials, time, units)
        Responses (a 3-d array is averaged over time: rates per time bin).
    """
    variance = pca(activity).explained_variance
    total = variance.sum()
    if total <= 0:
        raise ValueError("the participation ratio needs responses that vary across trials")
    return float(total**2 / np.sum(variance**2))


# ---------------------------------------------------------------------------
# Representational similarity analysis
# ---------------------------------------------------------------------------


def condition_means(activity: object, conditions: object) -> tuple[np.ndarray, np.ndarray]:
    """The distinct conditions (sorted) and the mean response to each, ``(conditions, units)``."""
    r = responses(activity)
    labels = _labels(conditions, r.shape[0], "conditions")
    values, inverse = np.unique(labels, return_inverse=True)
    sums = np.zeros((values.size, r.shape[1]))
    np.add.at(sums, inverse, r)
    return values, sums / np.bincount(inverse, minlength=values.size)[:, None]


def rdm(activity: object, conditions: object) -> np.ndarray:
    r"""Representational dissimilarity matrix: correlation distance between condition means.

    .. math:: D_{ab} = 1 - \operatorname{corr}(\bar r_a, \bar r_b),

    the Pearson correlation across units of the mean response patterns to conditions
    :math:`a` and :math:`b` (Kriegeskorte, Mur & Bandettini 2008). Conditions in sorted
    order; 0 on the diagonal; 2 for opposite patterns.

    Returns
    -------
    numpy.ndarray, shape (conditions, conditions)
    """
    _, means = condition_means(activity, conditions)
    if means.shape[1] < 2:
        raise ValueError("a correlation distance needs at least two units")
    spread = means.std(axis=1)
    if np.any(spread == 0):
        raise ValueError("a condition's mean pattern is the same in every unit, so its correlation is undefined")
    return 1.0 - np.corrcoef(means)


def compare_rdms(a: object, b: object) -> float:
    """Spearman rank correlation of the upper triangles (diagonal excluded) of two RDMs.

    Ranks, not values, because two representations may relate monotonically but not
    linearly (Kriegeskorte, Mur & Bandettini 2008; Nili et al. 2014).
    """
    from scipy import stats

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape != b.shape or a.shape[0] < 3:
        raise ValueError(f"the RDMs must be square, of the same shape and at least 3x3, got {a.shape} and {b.shape}")
    upper = np.triu_indices(a.shape[0], k=1)
    return float(stats.spearmanr(a[upper], b[upper]).statistic)


# ---------------------------------------------------------------------------
# Recording and lesioning a spiking network (PyTorch)
# ---------------------------------------------------------------------------


def _check_network(model):
    from neuro4ml.learning import snn

    if not isinstance(model, snn.SNN):
        raise TypeError(f"model must be a neuro4ml.learning.snn.SNN, got {type(model).__name__}")
    return snn


def hidden_activity(model, x: object, *, batch_size: int = 256) -> np.ndarray:
    """The hidden layer's spikes ``(trials, time, units)`` of an :class:`neuro4ml.learning.snn.SNN` for inputs ``x`` ``(trials, time, inputs)``."""
    snn = _check_network(model)
    import torch

    device = next(model.parameters()).device
    x_t, _ = snn.to_tensors(x, device=device)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        out = [model.hidden(x_t[i : i + batch_size]).cpu().numpy() for i in range(0, len(x_t), batch_size)]
    model.train(was_training)
    return np.concatenate(out)


def _units(model, units: object) -> np.ndarray:
    n_hidden = model.hidden.n_out
    index = np.asarray(units if units is not None else [], dtype=np.int64).ravel()
    if index.size and (index.min() < 0 or index.max() >= n_hidden):
        raise ValueError(f"hidden units must be between 0 and {n_hidden - 1}, got {index.tolist()}")
    return index


def _silence(model, index: np.ndarray) -> None:
    import torch

    with torch.no_grad():
        model.readout.weight[:, index] = 0.0
        if model.hidden.recurrent_weight is not None:
            model.hidden.recurrent_weight[:, index] = 0.0


def ablated(model, units: Sequence[int] | np.ndarray):
    """A copy of an :class:`neuro4ml.learning.snn.SNN` whose hidden ``units`` are silenced; ``model`` is unchanged.

    Silencing a unit removes its spikes from everything downstream: its column of the
    readout weights (and of the recurrent weights, for a recurrent layer) is set to 0, so
    the network behaves exactly as if the unit never fired (a lesion, or an optogenetic
    silencing that is complete and instantaneous).
    """
    _check_network(model)
    index = _units(model, units)
    copy_ = copy.deepcopy(model)
    _silence(copy_, index)
    return copy_


@contextlib.contextmanager
def silenced(model, units: Sequence[int] | np.ndarray) -> Iterator:
    """Silence hidden ``units`` of ``model`` inside a ``with`` block, then restore the weights.

    The same lesion as :func:`ablated`, in place (no copy)::

        with silenced(model, [3, 7]):
            accuracy = snn.evaluate(model, x, y)
    """
    _check_network(model)
    index = _units(model, units)
    saved = {name: p.detach().clone() for name, p in model.named_parameters()}
    try:
        _silence(model, index)
        yield model
    finally:
        import torch

        with torch.no_grad():
            for name, p in model.named_parameters():
                p.copy_(saved[name])


def ablation_accuracy(model, x: object, y: object, units: Sequence[int] | np.ndarray, *, batch_size: int = 256) -> float:
    """Accuracy (:func:`neuro4ml.learning.snn.evaluate`) on ``(x, y)`` with the hidden ``units`` silenced."""
    snn = _check_network(model)
    with silenced(model, units):
        return snn.evaluate(model, x, y, batch_size=batch_size)


def single_unit_ablations(model, x: object, y: object, *, batch_size: int = 256) -> np.ndarray:
    """Accuracy on ``(x, y)`` with each hidden unit silenced alone: shape ``(hidden units,)``.

    The drop caused by unit ``i`` is ``snn.evaluate(model, x, y) - result[i]``. For a
    feed-forward hidden layer the hidden spikes and their leaky traces are computed once:
    the readout is linear in the spikes, so silencing unit ``i`` subtracts that unit's
    contribution from the readout potentials (the same lesion as :func:`ablation_accuracy`,
    equal to float rounding, and many times faster).
    """
    _check_network(model)
    n_hidden = model.hidden.n_out
    labels = np.asarray(y)
    if model.hidden.recurrent_weight is not None:
        return np.array([ablation_accuracy(model, x, labels, [i], batch_size=batch_size) for i in range(n_hidden)])
    import torch

    spikes = torch.as_tensor(hidden_activity(model, x, batch_size=batch_size))
    if labels.shape != (spikes.shape[0],):
        raise ValueError(f"y must hold one label per sample, shape ({spikes.shape[0]},), got {labels.shape}")
    readout = model.readout
    accuracies = np.zeros(n_hidden)
    with torch.no_grad():
        weight = readout.weight.detach().cpu().to(spikes.dtype)  # (outputs, hidden)
        kernel = readout._kernel(spikes.shape[1], spikes.device, spikes.dtype)  # (time, time) leaky filter
        for start in range(0, len(spikes), batch_size):
            traces = torch.matmul(kernel, spikes[start : start + batch_size])  # (batch, time, hidden)
            potentials = traces @ weight.T  # (batch, time, outputs): the intact readout
            for i in range(n_hidden):
                lesioned = potentials - traces[:, :, i : i + 1] * weight[:, i]
                scores = lesioned.amax(dim=1) if readout.readout == "max" else lesioned.mean(dim=1)
                accuracies[i] += int((scores.argmax(dim=1).numpy() == labels[start : start + batch_size]).sum())
    return accuracies / len(labels)
