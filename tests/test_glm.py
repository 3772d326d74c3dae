"""Tests for neuro4ml.analysis.glm: the basis, the design matrix, the likelihood, and recovery of known filters."""

import numpy as np
import pytest
from scipy import stats

from neuro4ml.analysis.glm import (
    PoissonGLM,
    bits_per_spike,
    fit_poisson_glm,
    glm_design_matrix,
    lagged_features,
    poisson_log_likelihood,
    raised_cosine_basis,
    simulate_poisson_glm,
    spike_triggered_average,
)


def test_raised_cosines_peak_where_asked_and_sum_to_a_constant_inside():
    basis, lags = raised_cosine_basis(6, first_peak_ms=0.0, last_peak_ms=40.0, dt_ms=0.01, offset_ms=2.0)
    assert lags[0] == 0.0 and basis.shape == (6, lags.size)
    assert lags[np.argmax(basis[0])] == pytest.approx(0.0, abs=0.01)
    assert lags[np.argmax(basis[-1])] == pytest.approx(40.0, abs=0.01)
    peaks = lags[np.argmax(basis, axis=1)]
    # Peaks are evenly spaced in log(t + offset).
    assert np.allclose(np.diff(np.log(peaks + 2.0)), np.log(42.0 / 2.0) / 5, atol=1e-3)
    # Quarter-period spacing: cos terms cancel in groups of four, leaving 4 * 1/2 = 2.
    inside = (lags >= peaks[1]) & (lags <= peaks[-2])
    assert np.allclose(basis[:, inside].sum(axis=0), 2.0)
    assert np.all(basis >= 0) and basis[:, -1].max() < 1e-3


def test_lagged_features_against_an_explicit_sum():
    rng = np.random.default_rng(0)
    x, basis = rng.normal(size=50), rng.normal(size=(3, 7))
    for shift in (0, 1, 4):
        expected = np.zeros((50, 3))
        for t in range(50):
            for j in range(3):
                expected[t, j] = sum(basis[j, k] * x[t - k - shift] for k in range(7) if t - k - shift >= 0)
        assert np.allclose(lagged_features(x, basis, shift_bins=shift), expected)


def test_history_features_never_see_the_present_spike():
    counts = np.zeros(20)
    counts[5] = 1
    design = glm_design_matrix(np.zeros(20), counts, stimulus_basis=np.ones((1, 3)), history_basis=np.ones((1, 4)))
    assert design.shape == (20, 2)
    assert np.array_equal(np.flatnonzero(design[:, 1]), [6, 7, 8, 9])


def test_poisson_log_likelihood_matches_scipy():
    rng = np.random.default_rng(1)
    lam = rng.uniform(0.01, 3.0, size=200)
    counts = rng.poisson(lam)
    assert poisson_log_likelihood(counts, lam) == pytest.approx(stats.poisson.logpmf(counts, lam).sum())
    assert bits_per_spike(counts, np.full(200, 0.7), 0.7) == pytest.approx(0.0)


def test_sta_of_an_lnp_model_is_proportional_to_its_filter():
    """Gaussian white noise into an LNP model: the STA is proportional to the filter (Chichilnisky 2001)."""
    rng = np.random.default_rng(2)
    lags = np.arange(20)
    true_filter = 0.4 * np.exp(-lags / 4.0) * np.sin(lags / 3.0)
    stimulus = rng.normal(size=200_000)
    counts = simulate_poisson_glm(stimulus, bias=-3.0, stimulus_filter=true_filter, rng=3)
    sta = spike_triggered_average(stimulus, counts, 20)
    assert np.corrcoef(sta, true_filter)[0, 1] > 0.98


def test_fitted_glm_recovers_the_filters_it_was_simulated_with():
    """Simulate a GLM with known stimulus and history filters, fit it, and compare."""
    dt_ms = 1.0
    stim_basis, _ = raised_cosine_basis(5, first_peak_ms=0.0, last_peak_ms=15.0, dt_ms=dt_ms, offset_ms=2.0)
    hist_basis, _ = raised_cosine_basis(4, first_peak_ms=0.0, last_peak_ms=20.0, dt_ms=dt_ms, offset_ms=1.0)
    true_stim_w = np.array([0.1, 0.5, 0.3, -0.2, -0.1])
    true_hist_w = np.array([-5.0, -1.5, 0.2, -0.05])
    bias = -3.0
    stimulus = np.random.default_rng(4).normal(size=150_000)
    counts = simulate_poisson_glm(
        stimulus, bias=bias, stimulus_filter=true_stim_w @ stim_basis,
        history_filter=true_hist_w @ hist_basis, rng=5,
    )
    design = glm_design_matrix(stimulus, counts, stimulus_basis=stim_basis, history_basis=hist_basis)
    model = fit_poisson_glm(design, counts)
    stim_filter, hist_filter = model.filter(stim_basis), model.filter(hist_basis, start=5)
    true_stim, true_hist = true_stim_w @ stim_basis, true_hist_w @ hist_basis
    assert np.linalg.norm(stim_filter - true_stim) < 0.1 * np.linalg.norm(true_stim)
    assert np.linalg.norm(hist_filter - true_hist) < 0.1 * np.linalg.norm(true_hist)
    assert model.bias == pytest.approx(bias, abs=0.15)
    # The true model explains held-out-like data about as well as the fit.
    truth = PoissonGLM(bias, np.concatenate([true_stim_w, true_hist_w]))
    gain = poisson_log_likelihood(counts, model.expected_counts(design)) - poisson_log_likelihood(
        counts, truth.expected_counts(design))
    assert 0 <= gain < 20  # ML fit beats the truth on its own data, by about (features + 1) / 2 nats


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="n_basis"):
        raised_cosine_basis(1, first_peak_ms=0.0, last_peak_ms=5.0, dt_ms=1.0)
    with pytest.raises(ValueError, match="greater than first_peak_ms"):
        raised_cosine_basis(3, first_peak_ms=5.0, last_peak_ms=5.0, dt_ms=1.0)
    with pytest.raises(ValueError, match="needs the spike counts"):
        glm_design_matrix(np.zeros(5), stimulus_basis=np.ones((1, 2)), history_basis=np.ones((1, 2)))
    with pytest.raises(ValueError, match="whole numbers"):
        fit_poisson_glm(np.zeros((3, 1)), [0.5, 1, 0])
    with pytest.raises(ValueError, match="no spikes"):
        fit_poisson_glm(np.zeros((3, 1)), [0, 0, 0])
    with pytest.raises(ValueError, match="shaped"):
        PoissonGLM(0.0, np.ones(2)).expected_counts(np.ones((4, 3)))
