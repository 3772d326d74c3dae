"""Tests for neuro4ml.data: the week 1 fitting data and the grasshopper loader."""

import importlib.util

import numpy as np
import pytest
from scipy.signal import welch

from neuro4ml.data import (
    hilbert_envelope,
    load_fitting_data,
    load_grasshopper,
    lowpass_filter,
    ou_current_nA,
)
from neuro4ml.data import fitting
from neuro4ml.data import grasshopper as grasshopper_module
from neuro4ml.models.neurons import adex
from neuro4ml.models.spikes import firing_rate_hz, van_rossum_distance

# ---------------------------------------------------------------------------
# Ornstein-Uhlenbeck currents
# ---------------------------------------------------------------------------


def test_ou_current_has_requested_mean_std_and_autocorrelation():
    mean_nA, std_nA, tau_ms, dt_ms = 0.5, 0.2, 5.0, 0.1
    current = ou_current_nA(
        1000.0, dt_ms, mean_nA=mean_nA, std_nA=std_nA, tau_ms=tau_ms, n_repeats=200, rng=1
    )
    assert current.shape == (200, 10_000)
    assert current.mean() == pytest.approx(mean_nA, abs=0.01)
    assert current.std() == pytest.approx(std_nA, rel=0.02)
    # Stationary from the first sample: the spread at t = 0 is already std_nA.
    assert current[:, 0].std() == pytest.approx(std_nA, rel=0.15)
    # Autocorrelation sigma^2 exp(-s / tau) at lag s = tau.
    lag = int(tau_ms / dt_ms)
    centred = current - mean_nA
    correlation = np.mean(centred[:, :-lag] * centred[:, lag:]) / std_nA**2
    assert correlation == pytest.approx(np.exp(-1.0), abs=0.03)


def test_ou_current_is_reproducible_and_checks_input():
    kwargs = dict(mean_nA=0.0, std_nA=1.0, tau_ms=2.0, n_repeats=3)
    a = ou_current_nA(10.0, 0.1, rng=5, **kwargs)
    np.testing.assert_array_equal(a, ou_current_nA(10.0, 0.1, rng=5, **kwargs))
    assert not np.array_equal(a, ou_current_nA(10.0, 0.1, rng=6, **kwargs))
    with pytest.raises(ValueError, match="std_nA"):
        ou_current_nA(10.0, 0.1, mean_nA=0.0, std_nA=-1.0, tau_ms=2.0)
    with pytest.raises(ValueError, match="multiple"):
        ou_current_nA(10.05, 0.1, mean_nA=0.0, std_nA=1.0, tau_ms=2.0)


# ---------------------------------------------------------------------------
# Grasshopper recordings (nitime)
# ---------------------------------------------------------------------------

needs_nitime = pytest.mark.skipif(
    importlib.util.find_spec("nitime") is None, reason="nitime is not installed"
)


@needs_nitime
@pytest.mark.parametrize("which, cutoff_hz", [(1, 200.0), (2, 800.0)])
def test_grasshopper_loads_with_consistent_shapes(which, cutoff_hz):
    data = load_grasshopper(which)
    assert data.which == which
    assert data.stimulus.shape == (200_000,)
    assert data.stimulus_dt_ms == pytest.approx(0.05)
    assert data.t_ms.shape == data.stimulus.shape
    assert data.duration_ms == pytest.approx(10_000.0)
    assert data.cutoff_hz == cutoff_hz
    assert data.carrier_hz == 2500.0
    spikes = data.spike_times_ms
    assert spikes.ndim == 1 and spikes.size > 800
    assert np.all(np.diff(spikes) > 0)
    assert spikes.min() >= 0.0 and spikes.max() < data.duration_ms
    # The header asks for about 100 Hz.
    assert 70.0 < firing_rate_hz(spikes, data.duration_ms) < 110.0


@needs_nitime
def test_grasshopper_envelope_is_the_documented_gaussian_in_db():
    data = load_grasshopper(1)
    assert np.all(data.stimulus > 0) and data.stimulus.max() == pytest.approx(1.0)
    level_db = data.stimulus_db()
    assert level_db.max() == pytest.approx(0.0)
    assert level_db.std() == pytest.approx(float(data.metadata["standard deviation (dB)"]), rel=0.02)
    assert data.stimulus_db_spl().max() == pytest.approx(data.intensity_db)


@needs_nitime
def test_grasshopper_data_are_read_only_and_cached():
    data = load_grasshopper(1)
    with pytest.raises(ValueError):
        data.stimulus[0] = 0.0
    assert load_grasshopper(1).spike_times_ms is data.spike_times_ms


def _power_below(x, dt_ms, frequency_hz):
    """Fraction of the (mean-removed) signal power below a frequency, by Welch's method."""
    frequency, power = welch(x - x.mean(), fs=1000.0 / dt_ms, nperseg=8192)
    return power[frequency < frequency_hz].sum() / power.sum()


@needs_nitime
@pytest.mark.parametrize("which", [1, 2])
def test_grasshopper_envelope_is_band_limited_at_the_header_cutoff(which):
    data = load_grasshopper(which)
    dt_ms, cutoff_hz = data.stimulus_dt_ms, data.cutoff_hz
    # Power is spread up to the cut-off: about half below cutoff / 2, most below it.
    assert 0.4 < _power_below(data.stimulus, dt_ms, cutoff_hz / 2) < 0.6
    assert _power_below(data.stimulus, dt_ms, 1.1 * cutoff_hz) > 0.9
    # Smoothing at cutoff / 4 removes nearly all power above cutoff / 2.
    smooth = data.envelope(cutoff_hz=cutoff_hz / 4)
    assert _power_below(smooth, dt_ms, cutoff_hz / 2) > 0.999


@needs_nitime
def test_hilbert_envelope_recovers_the_stimulus_from_the_sound():
    data = load_grasshopper(2)
    sound = data.sound_waveform()
    assert sound.min() < 0 < sound.max()
    envelope = hilbert_envelope(sound, data.stimulus_dt_ms)
    assert np.all(envelope >= 0)
    error = np.abs(envelope - data.stimulus)[2000:-2000]  # skip 100 ms at each end
    assert np.median(error) < 1e-4
    assert np.quantile(error, 0.99) < 0.01 * data.stimulus.max()
    smoothed = hilbert_envelope(sound, data.stimulus_dt_ms, cutoff_hz=300.0)
    assert np.all(smoothed >= 0)
    np.testing.assert_allclose(
        smoothed[2000:-2000], data.envelope(300.0)[2000:-2000], atol=0.02
    )


def test_hilbert_envelope_of_a_modulated_tone():
    dt_ms = 0.05
    t_ms = np.arange(0.0, 500.0, dt_ms)
    modulation = 1.0 + 0.5 * np.sin(2 * np.pi * 10.0 * t_ms / 1000.0)
    tone = modulation * np.sin(2 * np.pi * 2000.0 * t_ms / 1000.0)
    envelope = hilbert_envelope(tone, dt_ms)
    np.testing.assert_allclose(envelope[1000:-1000], modulation[1000:-1000], atol=1e-3)


def test_lowpass_filter_gain():
    dt_ms = 0.05
    t_s = np.arange(0.0, 2.0, dt_ms / 1000.0)
    slow = np.sin(2 * np.pi * 5.0 * t_s)
    fast = np.sin(2 * np.pi * 2000.0 * t_s)
    filtered = lowpass_filter(slow + fast, dt_ms, 100.0)
    middle = slice(4000, -4000)
    # Forwards-backwards order 4: gain 1 / (1 + (f/fc)^8) -- 1 at 5 Hz, ~0 at 2 kHz.
    np.testing.assert_allclose(filtered[middle], slow[middle], atol=1e-3)
    at_cutoff = lowpass_filter(np.sin(2 * np.pi * 100.0 * t_s), dt_ms, 100.0)
    assert np.std(at_cutoff[middle]) / np.std(slow[middle]) == pytest.approx(0.5, abs=0.01)
    with pytest.raises(ValueError, match="Nyquist"):
        lowpass_filter(slow, dt_ms, 20_000.0)


def test_grasshopper_rejects_bad_choice():
    with pytest.raises(ValueError, match="1 or 2"):
        load_grasshopper(3)


def test_grasshopper_without_nitime_names_the_extra(monkeypatch):
    real_find_spec = importlib.util.find_spec

    def find_spec_without_nitime(name, *args, **kwargs):
        return None if name == "nitime" else real_find_spec(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec_without_nitime)
    grasshopper_module._read_recording.cache_clear()
    try:
        with pytest.raises(ImportError, match=r"neuro4ml\[exercises\]"):
            load_grasshopper(1)
    finally:
        grasshopper_module._read_recording.cache_clear()


# ---------------------------------------------------------------------------
# Week 1 fitting data (AdEx neuron driven by random currents)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fitting_data():
    return load_fitting_data()


def test_fitting_data_shapes_and_units(fitting_data):
    data = fitting_data
    assert data.dt_ms == 0.1 and data.duration_ms == pytest.approx(1000.0)
    assert data.I_nA.shape == data.v_mV.shape == (10, 10_000)
    assert data.t_ms.shape == (10_000,)
    np.testing.assert_allclose(data.t_ms, np.arange(10_000) * 0.1)
    assert len(data.spike_times_ms) == 10 and data.n_repeats == 10
    for train in data.spike_times_ms:
        assert train.ndim == 1 and np.all(np.diff(train) > 0)
        assert train.min() >= 0.0 and train.max() < data.duration_ms
    # Currents follow the documented Ornstein-Uhlenbeck statistics (mean 0.7, std 0.5 nA).
    assert data.I_nA.mean() == pytest.approx(0.7, abs=0.1)
    assert data.I_nA.std() == pytest.approx(0.5, rel=0.1)
    # Each repeat has its own current.
    assert not np.allclose(data.I_nA[0], data.I_nA[1])


def test_fitting_data_is_deterministic_and_seed_dependent(fitting_data):
    again = load_fitting_data(2026)
    np.testing.assert_array_equal(again.I_nA, fitting_data.I_nA)
    np.testing.assert_array_equal(again.v_mV, fitting_data.v_mV)
    for a, b in zip(again.spike_times_ms, fitting_data.spike_times_ms):
        np.testing.assert_array_equal(a, b)
    other = load_fitting_data(1)
    assert not np.allclose(other.I_nA, fitting_data.I_nA)
    assert not np.array_equal(other.v_mV, fitting_data.v_mV)


@pytest.mark.parametrize("seed", [2026, 0, 1])
def test_fitting_data_fires_in_the_intended_range(seed):
    rates_hz = firing_rate_hz(load_fitting_data(seed).spike_times_ms, 1000.0)
    assert np.all((rates_hz >= 10.0) & (rates_hz <= 35.0))
    assert 15.0 <= rates_hz.mean() <= 30.0


def test_fitting_data_spikes_are_the_voltage_peaks(fitting_data):
    data = fitting_data
    for repeat, train in enumerate(data.spike_times_ms):
        v = data.v_mV[repeat]
        steps = np.round(train / data.dt_ms).astype(int)
        # Peaks drawn at the AdEx cut-off (0 mV) exactly at the spike samples, and
        # nowhere else; the following sample is the reset (-70.6 mV).
        np.testing.assert_array_equal(np.flatnonzero(v >= 0.0), steps)
        after = steps[steps + 1 < v.size] + 1
        np.testing.assert_allclose(v[after], -70.6)
        # Before the peak, V was on its upswing above the threshold V_T = -50.4 mV.
        before = steps[steps > 0] - 1
        assert np.all(v[before] > -50.4)


def test_fitting_data_split_holds_out_repeats(fitting_data):
    train, test = fitting_data.split()
    assert train.repeats == tuple(range(7)) and test.repeats == (7, 8, 9)
    assert train.I_nA.shape == (7, 10_000) and test.v_mV.shape == (3, 10_000)
    np.testing.assert_array_equal(test.I_nA[0], fitting_data.I_nA[7])
    assert test.spike_times_ms[2] is fitting_data.spike_times_ms[9]
    custom_train, custom_test = fitting_data.split([1, 3], [0])
    assert custom_train.repeats == (1, 3) and custom_test.repeats == (0,)
    with pytest.raises(ValueError, match="both"):
        fitting_data.split([0, 1], [1, 2])
    with pytest.raises(ValueError, match="outside"):
        fitting_data.subset([10])
    with pytest.raises(TypeError):
        fitting_data.subset([1.5])


def test_fitting_data_is_read_only(fitting_data):
    with pytest.raises(ValueError):
        fitting_data.v_mV[0, 0] = 1.0


def test_fitting_data_repeats_are_similar_but_not_identical_to_a_rerun():
    # Same current with fresh membrane noise: spike trains are close (van Rossum
    # distance well below that between unrelated trains) but not identical.
    data = load_fitting_data()
    rerun = adex(data.I_nA[:3], dt_ms=data.dt_ms, rng=99, noise_sigma_mV=fitting.NOISE_SIGMA_MV)
    for original, new in zip(data.spike_times_ms[:3], rerun.spike_times_ms):
        unrelated = np.sqrt((original.size + new.size) / 2)
        distance = van_rossum_distance(original, new - data.dt_ms, 5.0)
        assert 0.0 < distance < 0.8 * unrelated
