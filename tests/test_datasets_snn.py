"""The spiking data sets of week 5: randman, sound localisation and the SHD loader."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.data import SpikeDataset, ipd_bin_centres_rad, load_shd, randman, sound_localisation


def test_randman_one_spike_per_unit_balanced_and_seeded():
    d = randman(103, n_classes=5, n_units=12, n_steps=40, seed=3)
    assert d.x.shape == (103, 40, 12) and d.x.dtype == np.float32
    assert np.all(d.x.sum(axis=1) == 1)
    assert np.bincount(d.y).tolist() == [21, 21, 21, 20, 20]
    again = randman(103, n_classes=5, n_units=12, n_steps=40, seed=3)
    np.testing.assert_array_equal(d.x, again.x)
    assert not np.array_equal(d.x, randman(103, n_classes=5, n_units=12, n_steps=40, seed=4).x)


def test_randman_spike_times_are_a_smooth_function_of_the_latent_position():
    """Nearby points on one manifold fire at nearby times; points of different classes do not."""
    d = randman(2000, n_classes=2, n_units=10, n_steps=100, seed=0)
    times = d.x.argmax(axis=1)  # (samples, units)
    z = d.info["z"][:, 0]
    for c in range(2):
        order = np.argsort(z[d.y == c])
        t = times[d.y == c][order]
        assert np.abs(np.diff(t, axis=0)).mean() < 2.0
    # The times span the whole window for every unit (rescaled to [0, 1]).
    assert times.min() == 0 and times.max() == 99


def test_randman_is_learnable_by_a_nearest_neighbour_classifier():
    d = randman(600, n_classes=4, n_units=20, n_steps=50, seed=1)
    times = d.x.argmax(axis=1).astype(float)
    train, test = slice(0, 500), slice(500, None)
    dist = ((times[test, None] - times[None, train]) ** 2).sum(-1)
    accuracy = np.mean(d.y[train][dist.argmin(1)] == d.y[test])
    assert accuracy > 0.9


def test_sound_localisation_rates_phase_locking_and_labels():
    d = sound_localisation(400, n_bins=8, n_per_ear=20, tone_hz=50.0, max_rate_hz=400.0, duration_ms=200.0, dt_ms=1.0, seed=0)
    assert d.x.shape == (400, 200, 40)
    # Mean rate = max_rate / 2 (the sine averages to zero): 0.2 spikes per 1 ms step.
    assert abs(d.x.mean() - 0.2) < 0.005
    ipd = d.info["ipd_rad"]
    assert np.all(np.abs(ipd) <= np.pi / 2)
    np.testing.assert_array_equal(d.y, np.floor((ipd + np.pi / 2) / (np.pi / 8)).astype(int))
    # Phase locking: the vector strength of left-ear neuron 0, measured against the
    # tone's phase, is 1/2 for a rate proportional to 1 + sin (Goldberg & Brown 1969's measure).
    d1 = sound_localisation(1, n_per_ear=2, tone_hz=50.0, max_rate_hz=1000.0, duration_ms=20000.0, dt_ms=1.0, seed=1)
    t = np.flatnonzero(d1.x[0, :, 0]) * 1e-3
    strength = np.abs(np.mean(np.exp(2j * np.pi * 50.0 * t)))
    assert abs(strength - 0.5) < 0.03


def test_sound_localisation_right_ear_is_shifted_by_the_ipd():
    """The cross-correlation of the two ears peaks at the IPD."""
    d = sound_localisation(1, n_per_ear=2, tone_hz=50.0, max_rate_hz=1000.0, duration_ms=20000.0, seed=2)
    ipd = d.info["ipd_rad"][0]
    left, right = d.x[0, :, 0], d.x[0, :, 2]
    phase_left = np.angle(np.sum(left * np.exp(2j * np.pi * 50.0 * np.arange(left.size) * 1e-3)))
    phase_right = np.angle(np.sum(right * np.exp(2j * np.pi * 50.0 * np.arange(right.size) * 1e-3)))
    measured = np.angle(np.exp(1j * (phase_left - phase_right)))
    assert abs(measured - ipd) < 0.1


def test_ipd_bins_and_errors():
    np.testing.assert_allclose(ipd_bin_centres_rad(2), [-np.pi / 4, np.pi / 4])
    with pytest.raises(ValueError, match="one spike per step"):
        sound_localisation(2, max_rate_hz=2000.0, dt_ms=1.0)
    with pytest.raises(ValueError):
        randman(0)


def _write_shd_file(path, times_s, units, labels):
    """A small file in the SHD format of Cramer et al. (2020)."""
    h5py = pytest.importorskip("h5py")
    with h5py.File(path, "w") as f:
        spikes = f.create_group("spikes")
        spikes.create_dataset("times", data=np.array([np.asarray(t, dtype=np.float16) for t in times_s], dtype=object),
                              dtype=h5py.vlen_dtype(np.float16))
        spikes.create_dataset("units", data=np.array([np.asarray(u, dtype=np.uint16) for u in units], dtype=object),
                              dtype=h5py.vlen_dtype(np.uint16))
        f.create_dataset("labels", data=np.asarray(labels, dtype=np.uint8))


def test_load_shd_reads_the_file_format(tmp_path):
    path = tmp_path / "shd_small.h5"
    _write_shd_file(path, [[0.0, 0.0105, 0.5, 1.2], [0.25, 0.0]], [[0, 699, 3, 5], [10, 10]], [7, 19])
    d = load_shd(path, n_steps=100, max_time_ms=1000.0)
    assert isinstance(d, SpikeDataset)
    assert d.x.shape == (2, 100, 700) and d.dt_ms == 10.0 and d.n_classes == 20
    assert d.y.tolist() == [7, 19]
    assert d.x[0, 0, 0] == 1 and d.x[0, 1, 699] == 1 and d.x[0, 50, 3] == 1
    assert d.x[0].sum() == 3  # the spike at 1.2 s is past max_time_ms
    assert d.x[1, 25, 10] == 1 and d.x[1, 0, 10] == 1
    assert load_shd(path, n_samples=1).x.shape[0] == 1


def test_load_shd_says_where_to_get_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="zenkelab.org"):
        load_shd(tmp_path / "missing.h5")
    h5py = pytest.importorskip("h5py")
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f.create_dataset("labels", data=np.zeros(2))
    with pytest.raises(ValueError, match="not an SHD file"):
        load_shd(tmp_path / "other.h5")
