"""Responses of a population, one per trial: the input convention shared by :mod:`neuro4ml.analysis`.

Activity is ``(trials, time, units)`` (spikes or rates per time bin) or ``(trials, units)`` (one
response per trial, e.g. a rate); :func:`responses` reduces a 3-d array to one response per trial
(the mean over time), and :func:`trial_labels` checks a label or condition per trial.
"""

from __future__ import annotations

import numpy as np

__all__ = ["responses", "trial_labels"]


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
        raise TypeError(
            f"{name} must be an array shaped (trials, units) or (trials, time, units), got {type(activity).__name__}"
        ) from error
    if array.ndim == 3:
        array = array.mean(axis=1)
    if array.ndim != 2 or array.shape[0] < 1 or array.shape[1] < 1:
        raise ValueError(f"{name} must be shaped (trials, units) or (trials, time, units), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def trial_labels(labels: object, n_trials: int, name: str = "labels") -> np.ndarray:
    """``labels`` as an array holding one value per trial, shape ``(n_trials,)``; ``name`` names it in errors."""
    array = np.asarray(labels)
    if array.shape != (n_trials,):
        raise ValueError(f"{name} must hold one value per trial, shape ({n_trials},), got shape {array.shape}")
    return array
