r"""Threshold units and Rosenblatt's perceptron.

A threshold unit (McCulloch & Pitts 1943) outputs :math:`H(\mathbf w \cdot \mathbf x - \theta)`
with :math:`H(u) = 1` for :math:`u \ge 0`. The perceptron (Rosenblatt 1958) predicts
:math:`\hat y = H(\mathbf w \cdot \mathbf x + b)` and, after each example with target
:math:`y \in \{0, 1\}`, updates

.. math::
    \mathbf w \leftarrow \mathbf w + \eta\,(y - \hat y)\,\mathbf x, \qquad
    b \leftarrow b + \eta\,(y - \hat y).

If some :math:`(\mathbf w^*, b^*)` with :math:`\|(\mathbf w^*, b^*)\| = 1` classifies every
example with margin :math:`\gamma` and every augmented input :math:`(\mathbf x, 1)` has
norm at most :math:`R`, the rule makes at most :math:`(R/\gamma)^2` mistakes (Novikoff
1962). Inputs are shaped ``(examples, features)``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from neuro4ml.validation import as_generator, positive_number

__all__ = ["PerceptronRun", "separable_points", "threshold_unit", "train_perceptron"]


def threshold_unit(x: np.ndarray, w: np.ndarray, theta: float) -> np.ndarray:
    r"""McCulloch-Pitts style unit: :math:`H(\mathbf w \cdot \mathbf x - \theta)` for each row of ``x``."""
    return (np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) >= theta).astype(int)


class PerceptronRun(NamedTuple):
    """Learned weights ``w`` and bias ``b``, and the number of mistakes in each epoch."""

    w: np.ndarray
    b: float
    mistakes: list[int]


def train_perceptron(
    X: np.ndarray, y: np.ndarray, *, lr: float = 1.0, max_epochs: int = 50,
    rng: np.random.Generator | int | None = 0,
) -> PerceptronRun:
    """Rosenblatt's rule from zero weights, examples in a new random order each epoch;
    stops after the first epoch without a mistake (or ``max_epochs``)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (examples, features) and y (examples,), got {X.shape} and {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("targets y must be 0 or 1")
    lr = positive_number(lr, "lr")
    rng = as_generator(rng)
    w, b = np.zeros(X.shape[1]), 0.0
    mistakes: list[int] = []
    for _ in range(int(max_epochs)):
        wrong = 0
        for i in rng.permutation(len(X)):
            error = y[i] - float(X[i] @ w + b >= 0)
            if error:
                w += lr * error * X[i]
                b += lr * error
                wrong += 1
        mistakes.append(wrong)
        if wrong == 0:
            break
    return PerceptronRun(w, b, mistakes)


def separable_points(
    n: int, w_true: np.ndarray, b_true: float, *, gap: float = 0.04,
    rng: np.random.Generator | int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points uniform in the square [-1, 1]^d, labelled by the side of
    ``w_true . x + b_true = 0``, keeping only points with ``|w_true . x + b_true| > gap``."""
    rng = as_generator(rng)
    w_true = np.asarray(w_true, dtype=float)
    points, labels = [], []
    while sum(len(p) for p in points) < n:
        X = rng.uniform(-1, 1, size=(4 * n, w_true.size))
        score = X @ w_true + b_true
        keep = np.abs(score) > gap
        points.append(X[keep])
        labels.append((score[keep] > 0).astype(float))
    return np.concatenate(points)[:n], np.concatenate(labels)[:n]
