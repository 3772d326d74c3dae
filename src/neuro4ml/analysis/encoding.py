r"""Encoding models: how well a model's features predict each neuron, against the noise ceiling (week 6).

Comparing a model with a brain area often means fitting, for each recorded neuron, a
regularised linear regression from the model's features to the neuron's mean responses,
and scoring it on held-out stimuli (Yamins et al. 2014, PNAS 111:8619-8624). Two
functions do the two halves of that comparison:

* :func:`encoding_r2` -- the cross-validated :math:`R^2` of a ridge regression from
  features to responses, with its penalty chosen inside each training fold;
* :func:`noise_ceiling` -- the highest :math:`R^2` any model could expect on trial-averaged
  responses, given how much they vary from one repeat to the next (split-half
  reliability with the Spearman-Brown correction).

Conventions: features are ``(stimuli, features)``; mean responses are ``(stimuli, units)``;
single-trial responses for the noise ceiling are ``(repeats, stimuli, units)``.
Everything random (the fold split) takes a ``seed``. :func:`encoding_r2` needs
scikit-learn (``pip install "neuro4ml[stats]"``).
"""

from __future__ import annotations

import numpy as np

from neuro4ml.validation import finite_array, whole_number

__all__ = ["encoding_r2", "noise_ceiling"]

#: Ridge penalties tried in each training fold.
DEFAULT_ALPHAS = np.logspace(-3, 6, 19)


def encoding_r2(
    features: object,
    responses: object,
    *,
    alphas: object = DEFAULT_ALPHAS,
    n_folds: int = 5,
    seed: int = 0,
) -> np.ndarray:
    r"""Cross-validated :math:`R^2` of a ridge regression from features to each unit's responses.

    The stimuli are split into ``n_folds`` folds (``KFold(shuffle=True, random_state=seed)``).
    For each fold, a ridge regression with an intercept,
    :math:`\hat{\mathbf w} = \arg\min_{\mathbf w} \|\mathbf y - X\mathbf w\|^2 + \alpha \|\mathbf w\|^2`,
    is fitted to the other folds, with :math:`\alpha` chosen for each unit among ``alphas``
    by efficient leave-one-out cross-validation on those training stimuli (scikit-learn's
    ``RidgeCV``), and predicts the held-out fold. Pooling the held-out predictions
    :math:`\hat y` of all folds,

    .. math:: R^2 = 1 - \frac{\sum_s (y_s - \hat y_s)^2}{\sum_s (y_s - \bar y)^2}.

    It is 0 for a model no better than the mean and can be negative for a worse one.

    Parameters
    ----------
    features : array, shape (stimuli, features)
        The model's features for each stimulus.
    responses : array, shape (stimuli, units)
        Each unit's (trial-averaged) response to each stimulus.
    alphas : array of float
        Candidate penalties, all > 0.
    n_folds : int
        Number of folds, >= 2.
    seed : int
        Seed of the fold split.

    Returns
    -------
    numpy.ndarray, shape (units,)
    """
    try:
        from sklearn.linear_model import RidgeCV
        from sklearn.model_selection import KFold
    except ImportError as error:  # pragma: no cover - exercised only without scikit-learn
        raise ImportError('encoding_r2 needs scikit-learn: pip install "neuro4ml[stats]"') from error
    X = finite_array(features, "features", 2, "(stimuli, features)")
    Y = finite_array(responses, "responses", 2, "(stimuli, units)")
    if X.shape[0] != Y.shape[0]:
        raise ValueError(f"features and responses must have the same stimuli, got {X.shape[0]} and {Y.shape[0]} rows")
    alphas = np.asarray(alphas, dtype=float).ravel()
    if alphas.size == 0 or not np.all(np.isfinite(alphas)) or np.any(alphas <= 0):
        raise ValueError("alphas must be finite penalties > 0")
    n_folds = whole_number(n_folds, "n_folds", minimum=2)
    if n_folds > X.shape[0]:
        raise ValueError(f"n_folds ({n_folds}) cannot exceed the number of stimuli ({X.shape[0]})")
    predicted = np.empty_like(Y)
    for train, test in KFold(n_folds, shuffle=True, random_state=int(seed)).split(X):
        model = RidgeCV(alphas=alphas, alpha_per_target=True).fit(X[train], Y[train])
        predicted[test] = model.predict(X[test]).reshape(len(test), -1)
    total = np.sum((Y - Y.mean(axis=0)) ** 2, axis=0)
    if np.any(total == 0):
        raise ValueError("every unit's responses must vary across stimuli for R^2 to be defined")
    return 1.0 - np.sum((Y - predicted) ** 2, axis=0) / total


def noise_ceiling(trials: object) -> np.ndarray:
    r"""The expected :math:`R^2` of a perfect model on the trial-averaged responses of each unit.

    If the response on repeat :math:`m` is :math:`y_{ms} = \mu_s + \varepsilon_{ms}`, with
    signal variance :math:`\sigma_\mu^2` across stimuli and independent noise of variance
    :math:`\sigma_\varepsilon^2`, then the mean over :math:`n` repeats has reliability
    :math:`\rho_n = \sigma_\mu^2 / (\sigma_\mu^2 + \sigma_\varepsilon^2 / n)`, the fraction of
    its variance that a model predicting :math:`\mu_s` exactly would explain. It is estimated
    by the correlation :math:`r` across stimuli between the means of the even- and
    odd-numbered repeats, each of :math:`n/2` repeats, stepped up to :math:`n` repeats by the
    Spearman-Brown formula :math:`\rho_n = 2r / (1 + r)` (Spearman 1910; Brown 1910; this
    split-half estimate of the ceiling on a model's performance follows Hsu, Borst &
    Theunissen 2004, Network 15:91-109). Negative
    estimates, from units with no reliable signal, are returned as they are.

    Parameters
    ----------
    trials : array, shape (repeats, stimuli, units)
        Single-trial responses; an even number of repeats, at least 2.

    Returns
    -------
    numpy.ndarray, shape (units,)
    """
    y = finite_array(trials, "trials", 3, "(repeats, stimuli, units)")
    if y.shape[0] < 2 or y.shape[0] % 2:
        raise ValueError(f"the split-half noise ceiling needs an even number of repeats >= 2, got {y.shape[0]}")
    if y.shape[1] < 3:
        raise ValueError(f"a correlation across stimuli needs at least 3 stimuli, got {y.shape[1]}")
    a = y[0::2].mean(axis=0) - y[0::2].mean(axis=(0, 1))
    b = y[1::2].mean(axis=0) - y[1::2].mean(axis=(0, 1))
    spread = np.sqrt(np.sum(a**2, axis=0) * np.sum(b**2, axis=0))
    if np.any(spread == 0):
        raise ValueError("every unit's half-means must vary across stimuli for the correlation to be defined")
    r = np.sum(a * b, axis=0) / spread
    return 2 * r / (1 + r)
