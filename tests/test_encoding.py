"""Encoding models and noise ceilings, against the variances that generated the data."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.analysis.encoding import encoding_r2, noise_ceiling


def gaussian_trials(n_repeats, n_stimuli, signal_sd, noise_sd, n_units=3, seed=0):
    rng = np.random.default_rng(seed)
    mean = signal_sd * rng.standard_normal((n_stimuli, n_units))
    return mean, mean + noise_sd * rng.standard_normal((n_repeats, n_stimuli, n_units))


@pytest.mark.parametrize("n_repeats, noise_sd", [(2, 1.0), (4, 2.0), (10, 3.0)])
def test_noise_ceiling_is_the_reliability_of_the_trial_mean(n_repeats, noise_sd):
    # rho_n = s^2 / (s^2 + e^2 / n) for signal variance s^2 and noise variance e^2.
    _, trials = gaussian_trials(n_repeats, 20_000, 1.0, noise_sd)
    expected = 1.0 / (1.0 + noise_sd**2 / n_repeats)
    np.testing.assert_allclose(noise_ceiling(trials), expected, atol=0.02)


def test_a_perfect_model_reaches_the_noise_ceiling():
    mean, trials = gaussian_trials(4, 20_000, 1.0, 2.0, seed=1)
    average = trials.mean(axis=0)
    r2_of_truth = 1 - np.sum((average - mean) ** 2, axis=0) / np.sum((average - average.mean(axis=0)) ** 2, axis=0)
    np.testing.assert_allclose(noise_ceiling(trials), r2_of_truth, atol=0.02)


def test_noise_ceiling_of_pure_noise_is_near_zero():
    _, trials = gaussian_trials(6, 20_000, 0.0, 1.0, seed=2)
    assert np.all(np.abs(noise_ceiling(trials)) < 0.05)


def test_encoding_r2_of_a_linear_neuron_is_its_signal_fraction():
    # y = X w + noise with Var(Xw) = 4 and noise variance 1: a linear model explains 4/5.
    rng = np.random.default_rng(3)
    X = rng.standard_normal((3000, 10))
    w = rng.standard_normal((10, 2))
    w *= 2.0 / np.linalg.norm(w, axis=0)
    y = X @ w + rng.standard_normal((3000, 2))
    np.testing.assert_allclose(encoding_r2(X, y, seed=1), 0.8, atol=0.02)


def test_encoding_r2_of_unrelated_features_is_not_above_zero():
    rng = np.random.default_rng(4)
    r2 = encoding_r2(rng.standard_normal((400, 50)), rng.standard_normal((400, 3)))
    assert np.all(r2 < 0.02)


def test_encoding_r2_depends_only_on_its_seed():
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((100, 5)), rng.standard_normal((100, 2))
    np.testing.assert_array_equal(encoding_r2(X, y, seed=7), encoding_r2(X, y, seed=7))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: encoding_r2(np.zeros((10, 2)), np.ones((9, 1))), "same stimuli"),
        (lambda: encoding_r2(np.zeros(10), np.ones((10, 1))), "features must be shaped"),
        (lambda: encoding_r2(np.full((10, 2), np.nan), np.ones((10, 1))), "finite"),
        (lambda: encoding_r2(np.zeros((10, 2)), np.ones((10, 1)), alphas=[-1.0]), "alphas"),
        (lambda: encoding_r2(np.zeros((10, 2)), np.ones((10, 1)), n_folds=20), "n_folds"),
        (lambda: noise_ceiling(np.zeros((3, 10, 2))), "even number of repeats"),
        (lambda: noise_ceiling(np.zeros((10, 2))), "repeats, stimuli, units"),
    ],
)
def test_bad_input_is_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()
