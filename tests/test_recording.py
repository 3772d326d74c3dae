"""Tests of neuro4ml.data.recording against analytic results, scipy solvers and the real fMRI file."""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from neuro4ml.data import recording
from neuro4ml.data.recording import (
    GCAMP6F,
    GCAMP6S,
    CalciumIndicator,
    bold_signal,
    calcium_fluorescence,
    calcium_kernel,
    canonical_hrf,
    deconvolve_calcium,
    event_related_response,
    fmri_example,
    match_spikes,
)

FRAME_MS = 1000.0 / 30.0  # 30 Hz two-photon imaging
needs_nitime = pytest.mark.skipif(importlib.util.find_spec("nitime") is None, reason="nitime is not installed")


def poisson_spikes(rate_hz: float, n_neurons: int, n_frames: int, dt_ms: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.poisson(rate_hz * dt_ms / 1000.0, size=(n_neurons, n_frames))


# ---------------------------------------------------------------------------
# Forward model
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("indicator", [GCAMP6F, GCAMP6S])
def test_single_spike_transient_peaks_where_the_derivative_vanishes(indicator):
    dt = 0.05
    spikes = np.zeros(int(3000 / dt))
    spikes[0] = 1
    rec = calcium_fluorescence(spikes, dt, indicator=indicator, photons_per_frame=None)
    # Independent reference: the root of d/dt (exp(-t/td) - exp(-t/tr)).
    td, tr = indicator.tau_decay_ms, indicator.tau_rise_ms
    t_peak = optimize.brentq(lambda t: -math.exp(-t / td) / td + math.exp(-t / tr) / tr, 1e-3, 5 * td)
    assert rec.time_ms[np.argmax(rec.concentration)] == pytest.approx(t_peak, abs=dt)
    assert indicator.peak_time_ms == pytest.approx(t_peak, rel=1e-9)
    assert rec.concentration.max() == pytest.approx(1.0, abs=1e-6)
    # One spike gives the stated peak dF/F.
    assert rec.fluorescence_clean.max() == pytest.approx(indicator.dff_per_spike, rel=1e-6)
    # Long after the peak the transient decays with the decay time constant.
    late = rec.time_ms > 10 * tr + t_peak
    slope = np.polyfit(rec.time_ms[late], np.log(rec.concentration[late]), 1)[0]
    assert slope == pytest.approx(-1.0 / td, rel=1e-3)


def test_concentration_is_the_sum_of_analytic_transients():
    spikes = poisson_spikes(3.0, 3, 400, FRAME_MS, seed=4)
    rec = calcium_fluorescence(spikes, FRAME_MS, photons_per_frame=None)
    td, tr = GCAMP6F.tau_decay_ms, GCAMP6F.tau_rise_ms
    t = rec.time_ms
    grid = np.linspace(0, 1000, 200_001)
    peak = np.max(np.exp(-grid / td) - np.exp(-grid / tr))
    expected = np.zeros(spikes.shape)
    for i, k in zip(*np.nonzero(spikes)):
        lag = t - t[k]
        expected[i] += spikes[i, k] * np.where(lag >= 0, np.exp(-lag / td) - np.exp(-lag / tr), 0.0) / peak
    np.testing.assert_allclose(rec.concentration, expected, atol=1e-9)
    lag = t - t[5]
    analytic = np.where(lag >= 0, (np.exp(-lag / td) - np.exp(-lag / tr)) / peak, 0.0)
    np.testing.assert_allclose(calcium_kernel(lag), analytic, atol=1e-9)


def test_fluorescence_saturates_and_grows_less_than_linearly():
    spikes = np.zeros((4, 100), dtype=int)
    spikes[:, 10] = [1, 5, 50, 100_000]
    rec = calcium_fluorescence(spikes, FRAME_MS, photons_per_frame=None)
    peaks = rec.fluorescence_clean.max(axis=1)
    assert peaks[3] == pytest.approx(GCAMP6F.dff_max, rel=1e-3)
    assert np.all(peaks < GCAMP6F.dff_max)
    # Hill equation with n = 1: dF/F = dff_max c / (c + K), checked at the peak concentration.
    c = rec.concentration.max(axis=1)
    k = GCAMP6F.dff_max / GCAMP6F.dff_per_spike - 1.0
    np.testing.assert_allclose(peaks, GCAMP6F.dff_max * c / (c + k), rtol=1e-12)
    assert peaks[1] < 5 * peaks[0] and peaks[2] < 10 * peaks[1]


def test_hill_coefficient_keeps_the_single_spike_amplitude():
    steep = CalciumIndicator("steep", 20.0, 400.0, dff_per_spike=0.1, dff_max=2.0, hill=2.5)
    spikes = np.zeros(200)
    spikes[5] = 1
    rec = calcium_fluorescence(spikes, 1.0, indicator=steep, photons_per_frame=None)
    assert rec.fluorescence_clean.max() == pytest.approx(0.1, rel=1e-4)


def test_shot_noise_has_poisson_variance_and_is_seeded():
    silent = np.zeros((50, 2000), dtype=int)
    rec = calcium_fluorescence(silent, FRAME_MS, photons_per_frame=400.0, rng=3)
    assert rec.fluorescence.std() == pytest.approx(1 / math.sqrt(400.0), rel=0.02)
    assert abs(rec.fluorescence.mean()) < 1e-3
    again = calcium_fluorescence(silent, FRAME_MS, photons_per_frame=400.0, rng=3)
    np.testing.assert_array_equal(rec.fluorescence, again.fluorescence)
    other = calcium_fluorescence(silent, FRAME_MS, photons_per_frame=400.0, rng=4)
    assert not np.array_equal(rec.fluorescence, other.fluorescence)
    gauss = calcium_fluorescence(silent, FRAME_MS, photons_per_frame=None, noise_sd=0.05, rng=0)
    assert gauss.fluorescence.std() == pytest.approx(0.05, rel=0.02)


def test_shapes_follow_the_input():
    rec = calcium_fluorescence(np.zeros(30, dtype=int), 10.0, rng=0)
    assert rec.fluorescence.shape == rec.concentration.shape == rec.time_ms.shape == (30,)
    rec2 = calcium_fluorescence(np.zeros((2, 30), dtype=int), 10.0, rng=0)
    assert rec2.fluorescence.shape == (2, 30)
    np.testing.assert_allclose(rec2.time_ms[:3], [0, 10, 20])


# ---------------------------------------------------------------------------
# Deconvolution
# ---------------------------------------------------------------------------


def test_pooling_solves_the_nonnegative_least_squares_problem():
    rng = np.random.default_rng(0)
    g, n = 0.9, 120
    spikes = (rng.random(n) < 0.1).astype(float)
    y = np.zeros(n)
    for t in range(n):
        y[t] = (g * y[t - 1] if t else 0.0) + spikes[t]
    y += rng.normal(0, 0.3, n)
    # Reference: nnls on the convolution matrix K[t, j] = g^(t - j), j <= t.
    lags = np.subtract.outer(np.arange(n), np.arange(n))
    kernel = np.where(lags >= 0, g ** np.clip(lags, 0, None), 0.0)
    s_ref, _ = optimize.nnls(kernel, y, maxiter=50 * n)
    c, s = recording._oasis_ar1(y, g, 0.0)
    np.testing.assert_allclose(s, s_ref, atol=1e-7)
    np.testing.assert_allclose(c, kernel @ s_ref, atol=1e-7)


def test_pooling_with_a_sparsity_penalty_matches_a_bounded_optimiser():
    rng = np.random.default_rng(1)
    g, n, lam = 0.8, 60, 0.4
    y = rng.normal(0.3, 0.5, n)
    lags = np.subtract.outer(np.arange(n), np.arange(n))
    kernel = np.where(lags >= 0, g ** np.clip(lags, 0, None), 0.0)

    def cost(s):
        r = y - kernel @ s
        return 0.5 * r @ r + lam * s.sum(), -kernel.T @ r + lam

    ref = optimize.minimize(
        cost, np.zeros(n), jac=True, bounds=[(0, None)] * n, method="L-BFGS-B",
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000},
    )
    _, s = recording._oasis_ar1(y, g, lam)
    assert cost(s)[0] <= ref.fun + 1e-8
    np.testing.assert_allclose(s, ref.x, atol=1e-4)


@pytest.mark.parametrize("indicator", ["GCaMP6f", "GCaMP6s"])
def test_noiseless_trace_gives_back_every_spike(indicator):
    spikes = poisson_spikes(2.0, 5, 600, FRAME_MS, seed=2)
    spikes[:, -1] = 0  # a spike in the last bin never shows in the trace
    rec = calcium_fluorescence(spikes, FRAME_MS, indicator=indicator, photons_per_frame=None)
    result = deconvolve_calcium(rec.fluorescence, FRAME_MS, indicator=indicator)
    np.testing.assert_array_equal(result.spikes, spikes)
    np.testing.assert_allclose(result.concentration, rec.concentration, atol=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_deconvolution_finds_90_percent_of_spikes_within_one_frame(seed):
    # GCaMP6f at 30 Hz, 1 Hz Poisson firing, 1000 photons per frame at baseline: the
    # single-spike transient is 0.15 / sqrt(1/1000) = 4.7 noise standard deviations.
    spikes = poisson_spikes(1.0, 20, 1800, FRAME_MS, seed=seed)
    rec = calcium_fluorescence(spikes, FRAME_MS, photons_per_frame=1000.0, rng=seed + 100)
    result = deconvolve_calcium(rec.fluorescence, FRAME_MS)
    score = match_spikes(spikes, result.spikes, tolerance_frames=1)
    assert score.recall >= 0.9
    assert score.precision >= 0.9
    # Without tolerance fewer are exact, but most still are.
    assert match_spikes(spikes, result.spikes, tolerance_frames=0).recall >= 0.75


def test_more_noise_finds_fewer_spikes():
    spikes = poisson_spikes(1.0, 20, 1800, FRAME_MS, seed=5)
    recalls = []
    for photons in (3000.0, 300.0, 50.0):
        rec = calcium_fluorescence(spikes, FRAME_MS, photons_per_frame=photons, rng=6)
        recalls.append(match_spikes(spikes, deconvolve_calcium(rec.fluorescence, FRAME_MS).spikes).recall)
    assert recalls[0] > recalls[1] > recalls[2]


def test_spike_times_are_bin_starts():
    spikes = np.zeros(50, dtype=int)
    spikes[[3, 20]] = [1, 2]
    rec = calcium_fluorescence(spikes, 10.0, photons_per_frame=None)
    times = deconvolve_calcium(rec.fluorescence, 10.0).spike_times_ms()
    np.testing.assert_allclose(times, [30.0, 200.0, 200.0])


def test_match_spikes_is_a_maximum_matching():
    rng = np.random.default_rng(7)
    for _ in range(30):
        truth = rng.poisson(0.2, 40)
        estimate = rng.poisson(0.2, 40)
        tol = int(rng.integers(0, 3))
        score = match_spikes(truth, estimate, tol)
        # Reference: maximum bipartite matching by linear assignment.
        a = np.repeat(np.arange(40), truth)
        b = np.repeat(np.arange(40), estimate)
        if a.size and b.size:
            allowed = np.abs(np.subtract.outer(a, b)) <= tol
            rows, cols = optimize.linear_sum_assignment(-allowed.astype(float))
            best = int(allowed[rows, cols].sum())
        else:
            best = 0
        assert score.hits == best
        assert score.misses == truth.sum() - best
        assert score.false_alarms == estimate.sum() - best


# ---------------------------------------------------------------------------
# BOLD
# ---------------------------------------------------------------------------


def test_canonical_hrf_is_a_difference_of_gamma_densities():
    t = np.linspace(0, 32, 3201)
    expected = stats.gamma.pdf(t, 6.0) - stats.gamma.pdf(t, 16.0) / 6.0
    np.testing.assert_allclose(canonical_hrf(t), expected, atol=1e-12)


def test_canonical_hrf_peaks_near_5_s_and_undershoots():
    t = np.linspace(0, 40, 40_001)
    h = canonical_hrf(t)
    assert t[np.argmax(h)] == pytest.approx(5.0, abs=0.05)
    assert 14.0 < t[np.argmin(h)] < 17.0
    assert h.min() < 0
    area, _ = integrate.quad(lambda s: float(canonical_hrf(s)), 0, 60, limit=200)
    assert area == pytest.approx(1 - 1 / 6, abs=1e-6)
    assert canonical_hrf(-1.0) == 0.0 and canonical_hrf(0.0) == 0.0


def test_bold_signal_is_a_convolution():
    dt = 0.5
    rng = np.random.default_rng(0)
    activity = rng.random((2, 300))
    kernel = canonical_hrf(np.arange(0, 32 + dt / 2, dt)) * dt
    expected = np.array([np.convolve(row, kernel)[:300] for row in activity])
    np.testing.assert_allclose(bold_signal(activity, dt), expected, atol=1e-12)
    impulse = np.zeros(100)
    impulse[0] = 1 / dt
    np.testing.assert_allclose(bold_signal(impulse, dt)[:60], canonical_hrf(np.arange(60) * dt), atol=1e-12)


@needs_nitime
def test_fmri_example_holds_the_documented_recording():
    data = fmri_example()
    assert data.bold.shape == data.events.shape == (3360,)
    assert data.tr_s == 2.0
    kinds, counts = np.unique(data.events[data.events > 0], return_counts=True)
    np.testing.assert_array_equal(kinds, np.arange(1, 7))
    np.testing.assert_array_equal(counts, 96)
    assert not data.bold.flags.writeable
    assert data.time_s[-1] == pytest.approx(3359 * 2.0)


@needs_nitime
def test_real_bold_response_peaks_a_few_seconds_after_the_stimulus():
    data = fmri_example()
    response = event_related_response(data.bold, data.events, 15)
    assert response.shape == (6, 15)
    lag_s = np.argmax(response.mean(axis=0)) * data.tr_s
    assert 4.0 <= lag_s <= 8.0
    assert response.mean(axis=0)[6:12].max() < 0  # the undershoot


def test_fmri_example_without_nitime_names_the_extra(monkeypatch):
    real_find_spec = importlib.util.find_spec

    def find_spec_without_nitime(name, *args, **kwargs):
        return None if name == "nitime" else real_find_spec(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec_without_nitime)
    with pytest.raises(ImportError, match=r"fMRI.*neuro4ml\[exercises\]"):
        fmri_example()


def test_event_related_response_recovers_overlapping_responses():
    rng = np.random.default_rng(3)
    n, lags = 500, 8
    events = np.zeros(n, dtype=int)
    onsets = rng.choice(n - lags, 80, replace=False)
    events[onsets] = rng.integers(1, 3, 80)
    truth = np.array([np.sin(np.linspace(0, np.pi, lags)), -0.5 * np.ones(lags)])
    y = np.full(n, 2.0)
    for t in np.flatnonzero(events):
        end = min(n, t + lags)
        y[t:end] += truth[events[t] - 1, : end - t]
    np.testing.assert_allclose(event_related_response(y, events, lags), truth, atol=1e-9)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def test_bad_input_errors_name_what_was_expected():
    with pytest.raises(ValueError, match="non-negative whole numbers"):
        calcium_fluorescence(np.array([0, -1, 2]), 10.0)
    with pytest.raises(ValueError, match="non-negative whole numbers"):
        calcium_fluorescence(np.array([0, 0.5]), 10.0)
    with pytest.raises(ValueError, match="dt_ms"):
        calcium_fluorescence(np.zeros(5), 0.0)
    with pytest.raises(ValueError, match="indicator must be one of"):
        calcium_fluorescence(np.zeros(5), 10.0, indicator="GCaMP99")
    with pytest.raises(ValueError, match="shaped"):
        calcium_fluorescence(np.zeros((2, 3, 4)), 10.0)
    with pytest.raises(ValueError, match="finite"):
        deconvolve_calcium(np.array([0.0, np.nan]), 10.0)
    with pytest.raises(ValueError, match="threshold"):
        deconvolve_calcium(np.zeros(5), 10.0, threshold=0.0)
    with pytest.raises(TypeError, match="real numeric"):
        deconvolve_calcium(np.array(["a", "b"]), 10.0)
    with pytest.raises(ValueError, match="tau_rise_ms"):
        CalciumIndicator("bad", tau_rise_ms=500.0, tau_decay_ms=400.0, dff_per_spike=0.1, dff_max=1.0)
    with pytest.raises(ValueError, match="dff_per_spike"):
        CalciumIndicator("bad", tau_rise_ms=5.0, tau_decay_ms=400.0, dff_per_spike=2.0, dff_max=1.0)
    with pytest.raises(ValueError, match="same shape"):
        match_spikes(np.zeros(5), np.zeros(6))
    with pytest.raises(ValueError, match="dt_s"):
        bold_signal(np.zeros(5), -1.0)
    with pytest.raises(ValueError, match="no event"):
        event_related_response(np.zeros(10), np.zeros(10), 3)
    with pytest.raises(ValueError, match="events must have shape"):
        event_related_response(np.zeros(10), np.zeros(9), 3)


def test_recording_methods_are_consistent_and_cited(project):
    bib = (project.content_dir / "refs.bib").read_text(encoding="utf-8")
    assert len(recording.RECORDING_METHODS) >= 6
    for method in recording.RECORDING_METHODS:
        assert 0 < method.space_m[0] < method.space_m[1] < 1
        assert 0 < method.time_s[0] < method.time_s[1] < 100
        assert "@" in bib and ("{" + method.reference + ",") in bib
    by_name = {m.name: m for m in recording.RECORDING_METHODS}
    # fMRI is the slowest method here and calcium imaging the finest in space.
    assert max(recording.RECORDING_METHODS, key=lambda m: m.time_s[0]).name == "fMRI"
    assert by_name["two-photon calcium imaging"].space_m[0] <= min(m.space_m[0] for m in recording.RECORDING_METHODS)
