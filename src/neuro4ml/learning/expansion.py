r"""Random expansion followed by a trained linear readout, as in the cerebellum.

Marr (1969) and Albus (1971) proposed that the cerebellar granular layer recodes its
mossy-fibre input into a much larger, sparse population of granule cells, each
combining a few inputs, and that Purkinje cells learn a linear readout of it. The same
architecture (a fixed random projection into a larger layer, then a learned linear
readout) is that of the insect mushroom body and of random-feature models. Mapping
inputs into more dimensions makes more labellings linearly separable (Cover 1965):
in particular a least-squares readout of :math:`M \ge P` features in general position
fits any labelling of :math:`P` patterns.

Patterns are rows: inputs shaped ``(patterns, inputs)``, expanded activity
``(patterns, cells)``, labels ``(patterns,)`` of :math:`\pm 1`.
"""

from __future__ import annotations

from numbers import Integral
from typing import NamedTuple

import numpy as np

from neuro4ml.validation import as_generator, non_negative_number

__all__ = ["Expansion", "random_expansion", "readout_fit_accuracy"]


class Expansion(NamedTuple):
    """Activity ``(patterns, cells)``, weights ``(inputs, cells)`` and per-cell thresholds."""

    activity: np.ndarray
    weights: np.ndarray
    thresholds: np.ndarray


def random_expansion(
    X: np.ndarray, n_cells: int, *, k_inputs: int = 4, coding_level: float = 0.1,
    rng: np.random.Generator | int | None = None,
) -> Expansion:
    r"""A layer of ``n_cells`` rectified units, each summing ``k_inputs`` random inputs.

    Cell :math:`j` sums :math:`k` distinct inputs chosen at random, with weights uniform
    in [0, 1), and outputs :math:`\max(0, h_j - \theta_j)`, where the threshold
    :math:`\theta_j` is the :math:`1 - f` quantile of :math:`h_j` over the patterns, so
    that each cell is active for a fraction ``coding_level`` :math:`f` of them (about
    4 inputs per granule cell and sparse activity: Marr 1969; Litwin-Kumar et al. 2017,
    "Optimal degrees of synaptic connectivity", Neuron 93:1153-1164).
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must be (patterns, inputs), got shape {X.shape}")
    if not isinstance(n_cells, Integral) or n_cells < 1:
        raise ValueError(f"n_cells must be an integer >= 1, got {n_cells!r}")
    if not isinstance(k_inputs, Integral) or not 1 <= k_inputs <= X.shape[1]:
        raise ValueError(f"k_inputs must be an integer in [1, {X.shape[1]}], got {k_inputs!r}")
    coding_level = non_negative_number(coding_level, "coding_level")
    if not 0 < coding_level < 1:
        raise ValueError(f"coding_level must be in (0, 1), got {coding_level}")
    rng = as_generator(rng)
    inputs = np.argsort(rng.random((n_cells, X.shape[1])), axis=1)[:, :k_inputs]
    W = np.zeros((X.shape[1], n_cells))
    W[inputs, np.arange(n_cells)[:, None]] = rng.random((n_cells, k_inputs))
    h = X @ W
    theta = np.quantile(h, 1 - coding_level, axis=0)
    return Expansion(np.maximum(h - theta, 0.0), W, theta)


def readout_fit_accuracy(features: np.ndarray, labels: np.ndarray, *, ridge: float = 1e-8) -> float:
    r"""Fraction of the ``labels`` (:math:`\pm 1`) reproduced by the sign of a least-squares
    linear readout with a bias, fitted to those same patterns.

    Columns are scaled to unit norm; the readout is
    :math:`\mathbf w = F^\top (F F^\top + \lambda I)^{-1} \mathbf y` when there are at
    least as many features as patterns (the minimum-norm interpolant as
    :math:`\lambda \to 0`) and :math:`(F^\top F + \lambda I)^{-1} F^\top \mathbf y`
    otherwise.
    """
    F = np.column_stack([np.asarray(features, dtype=float), np.ones(len(features))])
    y = np.asarray(labels, dtype=float)
    if y.shape != (F.shape[0],):
        raise ValueError(f"labels must have one entry per pattern ({F.shape[0]}), got shape {y.shape}")
    F = F / np.linalg.norm(F, axis=0).clip(1e-12)
    if F.shape[1] >= F.shape[0]:
        w = F.T @ np.linalg.solve(F @ F.T + ridge * np.eye(F.shape[0]), y)
    else:
        w = np.linalg.solve(F.T @ F + ridge * np.eye(F.shape[1]), F.T @ y)
    return float(np.mean(np.sign(F @ w) == y))
