r"""Adversarial examples for a linear classifier, after Goodfellow, Shlens & Szegedy (2015).

For a linear score :math:`s(\mathbf x) = \mathbf w \cdot \mathbf x + b`, the perturbation
with :math:`\|\boldsymbol\eta\|_\infty \le \varepsilon` that changes the score most is
:math:`\boldsymbol\eta = \varepsilon\,\mathrm{sign}(\mathbf w)`, which changes it by
:math:`\varepsilon \|\mathbf w\|_1` ("Explaining and harnessing adversarial examples",
ICLR 2015). So the smallest per-pixel change that flips a decision is
:math:`|s(\mathbf x)| / \|\mathbf w\|_1`, which shrinks as the dimension grows.

The module holds the pieces of the figure on the challenges page: logistic regression
by gradient descent, a synthetic image task (a blurry blob on the left or right), the
flip size, and a task of fixed difficulty in :math:`d` dimensions. Inputs are shaped
``(samples, features)``; labels are 0 or 1.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from neuro4ml.validation import as_generator, non_negative_number, positive_number

__all__ = [
    "LinearClassifier",
    "blob_images",
    "fixed_difficulty_flip_sizes",
    "flip_size",
    "train_logistic_regression",
]


class LinearClassifier(NamedTuple):
    """Weights ``w`` (shape ``(features,)``) and bias ``b`` of a linear score."""

    w: np.ndarray
    b: float

    def score(self, X: np.ndarray) -> np.ndarray:
        """:math:`\\mathbf w \\cdot \\mathbf x + b` for each row of ``X``."""
        return np.asarray(X, dtype=float) @ self.w + self.b


def train_logistic_regression(
    X: np.ndarray, y: np.ndarray, *, lr: float = 0.5, steps: int = 400, l2: float = 1e-3
) -> LinearClassifier:
    r"""Logistic regression by full-batch gradient descent from zero weights.

    Minimises the mean cross-entropy plus :math:`\tfrac{\lambda}{2}\|\mathbf w\|^2` with
    :math:`p = \sigma(\mathbf w \cdot \mathbf x + b)`: the gradient steps are
    :math:`\mathbf w \leftarrow \mathbf w - \eta\,(X^\top(\mathbf p - \mathbf y)/n + \lambda \mathbf w)`
    and :math:`b \leftarrow b - \eta\,\overline{(\mathbf p - \mathbf y)}`.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (samples, features) and y (samples,), got {X.shape} and {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels y must be 0 or 1")
    lr = positive_number(lr, "lr")
    l2 = non_negative_number(l2, "l2")
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(int(steps)):
        p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
        w = w - lr * (X.T @ (p - y) / len(y) + l2 * w)
        b = b - lr * float(np.mean(p - y))
    return LinearClassifier(w, b)


def flip_size(classifier: LinearClassifier, X: np.ndarray) -> np.ndarray:
    r"""Smallest :math:`\varepsilon` (max change per feature) that flips each decision:
    :math:`|s(\mathbf x)| / \|\mathbf w\|_1`."""
    return np.abs(classifier.score(X)) / np.abs(classifier.w).sum()


def blob_images(
    n: int, *, side: int = 56, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Images of a Gaussian blob on the left (label 0) or the right (label 1), with noise.

    The blob (width 0.15 of the image, brightness 0.7 over a background of 0.1) is
    centred at x = 0.35 or 0.65 of the width, jittered by 0.08, with pixel noise of
    standard deviation 0.1, clipped to [0, 1]. Returns images flattened to shape
    ``(n, side * side)`` and labels shaped ``(n,)``.
    """
    rng = as_generator(rng)
    gy, gx = np.mgrid[0:side, 0:side] / (side - 1)
    labels = rng.integers(0, 2, n)
    cx = np.where(labels == 0, 0.35, 0.65) + rng.normal(0, 0.08, n)
    cy = 0.5 + rng.normal(0, 0.08, n)
    blobs = np.exp(-((gx - cx[:, None, None]) ** 2 + (gy - cy[:, None, None]) ** 2) / (2 * 0.15**2))
    images = np.clip(0.1 + 0.7 * blobs + rng.normal(0, 0.1, blobs.shape), 0, 1)
    return images.reshape(n, -1), labels


def fixed_difficulty_flip_sizes(
    dims: np.ndarray, *, separation: float = 2.0, n_samples: int = 4000,
    rng: np.random.Generator | int | None = None,
) -> np.ndarray:
    r"""Median flip size of logistic regression on a task of fixed difficulty in each dimension.

    In :math:`d` dimensions, :math:`\mathbf x = (2y - 1)\,(c/\sqrt d)\,\mathbf 1 +
    \boldsymbol\xi` with unit Gaussian noise :math:`\boldsymbol\xi`: the distance between
    the class means is :math:`2c` whatever :math:`d`, so the task is equally hard, but
    the per-feature shift needed to flip a decision shrinks roughly as :math:`1/\sqrt d`.
    Three quarters of the samples train, the rest are tested (correct ones only).
    """
    rng = as_generator(rng)
    n_train = 3 * n_samples // 4
    medians = []
    for d in np.asarray(dims, dtype=int):
        y = rng.integers(0, 2, n_samples)
        X = (2 * y[:, None] - 1) * (separation / np.sqrt(d)) + rng.normal(0, 1, (n_samples, d))
        clf = train_logistic_regression(X[:n_train], y[:n_train], steps=200, l2=1e-2)
        correct = (clf.score(X[n_train:]) > 0) == y[n_train:]
        medians.append(np.median(flip_size(clf, X[n_train:][correct])))
    return np.array(medians)
