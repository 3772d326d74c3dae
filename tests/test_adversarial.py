"""Adversarial perturbations of a linear classifier, against their closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize

from neuro4ml.learning.adversarial import (
    LinearClassifier,
    blob_images,
    fixed_difficulty_flip_sizes,
    flip_size,
    train_logistic_regression,
)


def test_a_perturbation_of_the_flip_size_along_the_weight_signs_lands_on_the_boundary():
    rng = np.random.default_rng(0)
    clf = LinearClassifier(rng.normal(size=50), 0.3)
    X = rng.normal(size=(20, 50))
    eps = flip_size(clf, X)
    towards = -np.sign(clf.score(X))[:, None] * np.sign(clf.w)[None, :]
    np.testing.assert_allclose(clf.score(X + eps[:, None] * towards), 0.0, atol=1e-10)
    # no perturbation of the same max size moves the score further (Hoelder: |eta.w| <= eps ||w||_1)
    random = rng.uniform(-1, 1, size=(20, 50)) * eps[:, None]
    assert np.all(np.abs(random @ clf.w) <= eps * np.abs(clf.w).sum() + 1e-12)


def test_logistic_regression_reaches_the_minimum_of_its_loss():
    X, y = blob_images(300, side=8, rng=1)
    l2 = 1e-2
    clf = train_logistic_regression(X, y, steps=5000, lr=1.0, l2=l2)

    def loss(theta):
        s = X @ theta[:-1] + theta[-1]
        return np.mean(np.logaddexp(0, s) - y * s) + 0.5 * l2 * theta[:-1] @ theta[:-1]

    reference = minimize(loss, np.zeros(X.shape[1] + 1), method="BFGS", options=dict(gtol=1e-8))
    assert loss(np.r_[clf.w, clf.b]) == pytest.approx(reference.fun, abs=1e-5)


def test_blob_images_are_learnable_and_seeded():
    X, y = blob_images(400, rng=2)
    assert X.shape == (400, 56 * 56) and set(np.unique(y)) == {0, 1}
    assert np.all((X >= 0) & (X <= 1))
    np.testing.assert_array_equal(X, blob_images(400, rng=2)[0])
    clf = train_logistic_regression(X[:300], y[:300])
    assert np.mean((clf.score(X[300:]) > 0) == y[300:]) > 0.95


def test_flip_size_shrinks_roughly_as_one_over_root_d():
    dims = np.array([16, 64, 256, 1024])
    medians = fixed_difficulty_flip_sizes(dims, n_samples=2000, rng=3)
    slope = np.polyfit(np.log(dims), np.log(medians), 1)[0]
    assert -0.65 < slope < -0.35


def test_input_checks():
    with pytest.raises(ValueError, match="0 or 1"):
        train_logistic_regression(np.zeros((3, 2)), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="samples"):
        train_logistic_regression(np.zeros((3, 2)), np.array([0, 1]))
