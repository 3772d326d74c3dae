"""Tests for neuro4ml.models.spikes: generators, conversions and spike-train distances."""

import itertools

import numpy as np
import pytest

from neuro4ml.models.spikes import (
    delivery_steps,
    events_to_trains,
    delayed_pair_trains,
    firing_rate_hz,
    mean_van_rossum_distance,
    poisson_spike_train,
    raster_to_spike_times,
    spike_counts,
    spike_times_to_raster,
    van_rossum_distance,
    victor_purpura_distance,
)

# ---------------------------------------------------------------------------
# Poisson trains
# ---------------------------------------------------------------------------


def test_poisson_single_train_is_sorted_and_inside_window():
    train = poisson_spike_train(40.0, 2000.0, rng=1)
    assert train.ndim == 1
    assert np.all(np.diff(train) >= 0)
    assert train.min() >= 0 and train.max() < 2000.0


def test_poisson_same_seed_same_trains_and_different_seed_differs():
    a = poisson_spike_train(30.0, 1000.0, rng=7, n_trains=5)
    b = poisson_spike_train(30.0, 1000.0, rng=7, n_trains=5)
    c = poisson_spike_train(30.0, 1000.0, rng=8, n_trains=5)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not all(x.size == y.size and np.array_equal(x, y) for x, y in zip(a, c))


def test_poisson_count_mean_and_fano_factor():
    rate_hz, duration_ms, n_trains = 20.0, 500.0, 4000
    trains = poisson_spike_train(rate_hz, duration_ms, rng=2026, n_trains=n_trains)
    counts = spike_counts(trains, duration_ms)
    expected = rate_hz * duration_ms / 1000.0  # 10 spikes
    # Standard error of the mean count is sqrt(10 / 4000) = 0.05: allow 5 of them.
    assert counts.mean() == pytest.approx(expected, abs=0.25)
    # The Fano factor estimate has standard deviation about sqrt(2 / n) = 0.022.
    fano = counts.var(ddof=1) / counts.mean()
    assert fano == pytest.approx(1.0, abs=0.1)


def test_poisson_intervals_are_exponential():
    rate_hz = 50.0
    train = poisson_spike_train(rate_hz, 200_000.0, rng=3)
    intervals_ms = np.diff(train)
    # Mean 1/r = 20 ms and coefficient of variation 1 for exponential intervals.
    assert intervals_ms.mean() == pytest.approx(1000.0 / rate_hz, rel=0.05)
    assert intervals_ms.std() / intervals_ms.mean() == pytest.approx(1.0, abs=0.05)


def test_poisson_array_of_rates_gives_one_train_per_rate():
    trains = poisson_spike_train(np.array([0.0, 10.0, 200.0]), 1000.0, rng=0)
    assert isinstance(trains, list) and len(trains) == 3
    assert trains[0].size == 0
    assert trains[2].size > trains[1].size


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (dict(rate_hz=-1.0, duration_ms=100.0), ValueError),
        (dict(rate_hz=10.0, duration_ms=0.0), ValueError),
        (dict(rate_hz=10.0, duration_ms=100.0, rng="seed"), TypeError),
        (dict(rate_hz=[1.0, 2.0], duration_ms=100.0, n_trains=3), ValueError),
        (dict(rate_hz=np.ones((2, 2)), duration_ms=100.0), ValueError),
    ],
)
def test_poisson_rejects_bad_input(kwargs, error):
    with pytest.raises(error):
        poisson_spike_train(**kwargs)


# ---------------------------------------------------------------------------
# Delayed pairs
# ---------------------------------------------------------------------------


def test_delayed_pair_without_noise_is_a_shifted_copy():
    first, second = delayed_pair_trains(30.0, 1000.0, 4.5, rng=5)
    shifted = first + 4.5
    np.testing.assert_allclose(second, shifted[shifted < 1000.0])


def test_delayed_pair_negative_delay_drops_spikes_before_zero():
    first, second = delayed_pair_trains(100.0, 1000.0, -20.0, rng=6)
    shifted = first - 20.0
    np.testing.assert_allclose(second, shifted[shifted >= 0.0])


def test_delayed_pair_jitter_deletion_and_noise_statistics():
    rate_hz, duration_ms = 20.0, 100_000.0
    # Jitter only: the differences are Gaussian with the requested spread.
    first, second = delayed_pair_trains(rate_hz, duration_ms, 10.0, jitter_ms=0.5, rng=9)
    inside = first + 10.0 < duration_ms - 5.0
    differences = second[: inside.sum()] - first[inside]
    assert differences.mean() == pytest.approx(10.0, abs=0.05)
    assert differences.std() == pytest.approx(0.5, rel=0.05)
    # Deletion and noise: the expected count is r T (1 - p) + r_noise T.
    first, second = delayed_pair_trains(
        rate_hz, duration_ms, 0.0, p_delete=0.25, noise_rate_hz=5.0, rng=10
    )
    expected = first.size * 0.75 + 5.0 * duration_ms / 1000.0
    assert second.size == pytest.approx(expected, rel=0.05)


def test_delayed_pair_is_reproducible_and_checks_input():
    a = delayed_pair_trains(30.0, 500.0, 2.0, jitter_ms=1.0, p_delete=0.1, rng=4)
    b = delayed_pair_trains(30.0, 500.0, 2.0, jitter_ms=1.0, p_delete=0.1, rng=4)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    with pytest.raises(ValueError, match="p_delete"):
        delayed_pair_trains(30.0, 500.0, 2.0, p_delete=1.5)
    with pytest.raises(ValueError, match="jitter_ms"):
        delayed_pair_trains(30.0, 500.0, 2.0, jitter_ms=-1.0)


# ---------------------------------------------------------------------------
# Conversions
# ---------------------------------------------------------------------------


def test_raster_round_trip_from_raster():
    rng = np.random.default_rng(0)
    raster = rng.random((4, 500)) < 0.05
    times = raster_to_spike_times(raster, 0.1)
    assert len(times) == 4
    np.testing.assert_array_equal(spike_times_to_raster(times, 50.0, 0.1), raster)


def test_raster_round_trip_from_times_on_the_grid():
    times = np.array([0.0, 0.3, 1.7, 49.9])
    raster = spike_times_to_raster(times, 50.0, 0.1)
    assert raster.shape == (500,) and raster.dtype == bool
    np.testing.assert_allclose(raster_to_spike_times(raster, 0.1), times)


def test_raster_bins_are_left_closed():
    raster = spike_times_to_raster([[0.99, 1.0], [2.5]], 3.0, 1.0)
    np.testing.assert_array_equal(raster, [[True, True, False], [False, False, True]])


def test_raster_rejects_spikes_outside_window_or_sharing_a_bin():
    with pytest.raises(ValueError, match="outside"):
        spike_times_to_raster([5.0], 5.0, 1.0)
    with pytest.raises(ValueError, match="same bin|one bin"):
        spike_times_to_raster([1.1, 1.2], 5.0, 1.0)
    with pytest.raises(ValueError, match="multiple"):
        spike_times_to_raster([1.0], 5.05, 1.0)
    with pytest.raises(ValueError, match="0 and 1"):
        raster_to_spike_times(np.array([0, 2, 1]), 1.0)


def test_spike_counts_total_and_binned():
    trains = [np.array([0.5, 1.5, 1.6, 9.9, 10.0, -1.0]), np.array([])]
    np.testing.assert_array_equal(spike_counts(trains, 10.0), [4, 0])
    binned = spike_counts(trains, 10.0, bin_ms=5.0)
    np.testing.assert_array_equal(binned, [[3, 1], [0, 0]])
    assert spike_counts(trains[0], 10.0) == 4


def test_firing_rate_hz():
    assert firing_rate_hz(np.arange(0.0, 1000.0, 25.0), 1000.0) == pytest.approx(40.0)
    np.testing.assert_allclose(firing_rate_hz([[1.0, 2.0], [3.0]], 500.0), [4.0, 2.0])


def test_bad_spike_times_are_rejected():
    with pytest.raises(ValueError, match="NaN"):
        spike_counts(np.array([1.0, np.nan]), 10.0)
    with pytest.raises(TypeError):
        spike_counts("spikes", 10.0)


# ---------------------------------------------------------------------------
# Van Rossum distance
# ---------------------------------------------------------------------------


def _filtered_train(spikes_ms, t_ms, tau_ms):
    """Causal exponential filter of a train, evaluated on a time grid."""
    lag = t_ms[:, None] - np.asarray(spikes_ms)[None, :]
    return np.where(lag >= 0, np.exp(-np.clip(lag, 0, None) / tau_ms), 0.0).sum(axis=1)


def _van_rossum_by_integration(a, b, tau_ms, t_end_ms, dt_ms=0.0005):
    """Van Rossum distance from its definition, integrating on a fine grid."""
    t_ms = np.arange(0.0, t_end_ms, dt_ms)
    difference = _filtered_train(a, t_ms, tau_ms) - _filtered_train(b, t_ms, tau_ms)
    return np.sqrt(np.sum(difference**2) * dt_ms / tau_ms)


def test_van_rossum_identical_trains_is_zero():
    train = poisson_spike_train(50.0, 1000.0, rng=11)
    assert van_rossum_distance(train, train.copy(), 10.0) == pytest.approx(0.0, abs=1e-6)


def test_van_rossum_is_symmetric():
    a = poisson_spike_train(30.0, 1000.0, rng=12)
    b = poisson_spike_train(30.0, 1000.0, rng=13)
    assert van_rossum_distance(a, b, 5.0) == pytest.approx(van_rossum_distance(b, a, 5.0))


@pytest.mark.parametrize("shift_ms", [0.5, 3.0, 10.0, -7.0])
def test_van_rossum_two_single_spikes_analytic(shift_ms):
    tau_ms = 4.0
    expected = np.sqrt(1.0 - np.exp(-abs(shift_ms) / tau_ms))
    assert van_rossum_distance([20.0], [20.0 + shift_ms], tau_ms) == pytest.approx(expected)


def test_van_rossum_matches_numerical_integration():
    tau_ms = 5.0
    a = poisson_spike_train(60.0, 200.0, rng=14)
    b = poisson_spike_train(60.0, 200.0, rng=15)
    numerical = _van_rossum_by_integration(a, b, tau_ms, t_end_ms=200.0 + 30 * tau_ms)
    assert van_rossum_distance(a, b, tau_ms) == pytest.approx(numerical, rel=1e-3)


def test_van_rossum_distance_to_empty_train():
    far_apart = np.arange(7) * 1000.0  # spikes much further apart than tau
    assert van_rossum_distance(far_apart, [], 2.0) == pytest.approx(np.sqrt(7 / 2))
    assert van_rossum_distance([], far_apart, 2.0) == pytest.approx(np.sqrt(7 / 2))
    assert van_rossum_distance([], [], 2.0) == 0.0


def test_van_rossum_long_trains_use_blocks_and_agree_with_small_blocks(monkeypatch):
    import neuro4ml.models.spikes as spikes

    a = poisson_spike_train(40.0, 5000.0, rng=16)
    b = poisson_spike_train(40.0, 5000.0, rng=17)
    full = van_rossum_distance(a, b, 8.0)
    monkeypatch.setattr(spikes, "_MAX_PAIRS_PER_BLOCK", 50)
    assert van_rossum_distance(a, b, 8.0) == pytest.approx(full, rel=1e-12)


def test_van_rossum_limits_of_tau():
    a, b = [10.0, 50.0], [12.0, 51.0, 90.0]
    # Very long tau: filtered traces are step functions, D^2 -> (n - m)^2 / 2.
    assert van_rossum_distance(a, b, 1e7) == pytest.approx(np.sqrt(0.5), rel=1e-4)
    # Very short tau: no overlap, D^2 -> (n + m) / 2.
    assert van_rossum_distance(a, b, 1e-3) == pytest.approx(np.sqrt(2.5))


def test_mean_van_rossum_distance():
    trains1 = [np.array([1.0]), np.array([5.0, 9.0])]
    trains2 = [np.array([2.0]), np.array([5.0, 9.0])]
    expected = 0.5 * (np.sqrt(1 - np.exp(-1 / 3.0)) + 0.0)
    assert mean_van_rossum_distance(trains1, trains2, 3.0) == pytest.approx(expected)
    with pytest.raises(ValueError, match="same number"):
        mean_van_rossum_distance(trains1, trains2[:1], 3.0)
    with pytest.raises(TypeError):
        mean_van_rossum_distance(np.array([1.0]), np.array([2.0]), 3.0)


def test_van_rossum_rejects_bad_tau():
    with pytest.raises(ValueError, match="tau_ms"):
        van_rossum_distance([1.0], [2.0], 0.0)


# ---------------------------------------------------------------------------
# Victor-Purpura distance
# ---------------------------------------------------------------------------


def test_victor_purpura_q_zero_is_count_difference():
    assert victor_purpura_distance([1.0, 5.0, 9.0], [100.0], 0.0) == 2.0


def test_victor_purpura_large_q_is_total_count_for_distinct_spikes():
    assert victor_purpura_distance([1.0, 5.0, 9.0], [2.0, 7.0], 1e6) == 5.0
    assert victor_purpura_distance([1.0, 5.0], [1.0, 7.0], np.inf) == 2.0


def test_victor_purpura_single_shift():
    assert victor_purpura_distance([10.0], [13.0], 0.5) == pytest.approx(1.5)
    # Shifting would cost 3 > 2, so delete and insert instead.
    assert victor_purpura_distance([10.0], [13.0], 1.0) == pytest.approx(2.0)


def test_victor_purpura_small_case_by_hand():
    # Match 1->1.2 (0.2) and 5->5.5 (0.5), insert 20 (1): total 1.7.
    assert victor_purpura_distance([5.0, 1.0], [1.2, 20.0, 5.5], 1.0) == pytest.approx(1.7)
    assert victor_purpura_distance([], [1.0, 2.0], 1.0) == 2.0
    assert victor_purpura_distance([], [], 1.0) == 0.0


def _victor_purpura_loops(a, b, q):
    """Plain double-loop dynamic programme, to check the vectorised one."""
    a, b = np.sort(a), np.sort(b)
    g = np.zeros((a.size + 1, b.size + 1))
    g[:, 0] = np.arange(a.size + 1)
    g[0, :] = np.arange(b.size + 1)
    for i in range(1, a.size + 1):
        for j in range(1, b.size + 1):
            g[i, j] = min(
                g[i - 1, j] + 1, g[i, j - 1] + 1, g[i - 1, j - 1] + q * abs(a[i - 1] - b[j - 1])
            )
    return g[-1, -1]


def test_victor_purpura_matches_plain_dynamic_programme_symmetric_and_triangle():
    trains = poisson_spike_train(40.0, 300.0, rng=18, n_trains=5)
    for q in (0.05, 0.5, 3.0):
        d = {}
        for i, j in itertools.product(range(5), repeat=2):
            d[i, j] = victor_purpura_distance(trains[i], trains[j], q)
        for i, j in itertools.product(range(5), repeat=2):
            assert d[i, j] == pytest.approx(d[j, i])
        assert d[0, 1] == pytest.approx(_victor_purpura_loops(trains[0], trains[1], q))
        for i, j, k in itertools.product(range(5), repeat=3):
            assert d[i, k] <= d[i, j] + d[j, k] + 1e-9
        assert all(d[i, i] == 0.0 for i in range(5))


def test_victor_purpura_rejects_negative_q():
    with pytest.raises(ValueError, match="q_per_ms"):
        victor_purpura_distance([1.0], [2.0], -1.0)


# ---------------------------------------------------------------------------
# Variability: inter-spike intervals, CV and Fano factor
# ---------------------------------------------------------------------------

from neuro4ml.models.spikes import coefficient_of_variation, fano_factor, interspike_intervals_ms  # noqa: E402


def test_interspike_intervals_of_one_and_several_trains():
    assert np.allclose(interspike_intervals_ms([5.0, 1.0, 3.5]), [2.5, 1.5])
    several = interspike_intervals_ms([np.array([0.0, 10.0, 30.0]), np.array([7.0])])
    assert np.allclose(several[0], [10.0, 20.0]) and several[1].size == 0


def test_poisson_cv_is_one():
    """Exponential intervals: sd = mean, so CV = 1 (Dayan & Abbott 2001, section 1.4)."""
    train = poisson_spike_train(50.0, 200_000.0, rng=3)  # about 10,000 intervals
    # The CV estimate from n exponential intervals has sd about 1/sqrt(n).
    assert abs(coefficient_of_variation(train) - 1.0) < 4 / np.sqrt(train.size)


def test_gamma_process_cv_and_regular_train():
    """A gamma process of order k has CV = 1/sqrt(k); a regular train has CV = 0."""
    rng = np.random.default_rng(4)
    for k in (2, 4, 9):
        train = np.cumsum(rng.gamma(k, 1.0, size=20_000))
        assert abs(coefficient_of_variation(train) - 1 / np.sqrt(k)) < 0.02
    assert coefficient_of_variation(np.arange(0.0, 100.0, 5.0)) == pytest.approx(0.0, abs=1e-12)


def test_cv_pools_intervals_within_trials_only():
    # Two regular trials with different offsets: pooled CV stays 0 (no cross-trial gaps).
    trials = [np.arange(0.0, 50.0, 10.0), np.arange(3.0, 53.0, 10.0)]
    assert coefficient_of_variation(trials) == pytest.approx(0.0, abs=1e-12)


def test_poisson_fano_factor_is_one_over_windows_and_over_trials():
    train = poisson_spike_train(20.0, 400_000.0, rng=5)
    n_windows = 4000
    # The sample variance/mean of n Poisson counts has sd about sqrt(2/n) (mean 2 here).
    assert abs(fano_factor(train, 400_000.0, window_ms=100.0) - 1.0) < 4 * np.sqrt(2 / n_windows)
    trials = poisson_spike_train(20.0, 1000.0, rng=6, n_trains=3000)
    per_window = fano_factor(trials, 1000.0, window_ms=250.0)
    assert per_window.shape == (4,)
    assert np.all(np.abs(per_window - 1.0) < 4 * np.sqrt(2 / 3000))


def test_fano_factor_of_regular_and_bursty_counts():
    # A clock spikes exactly once per window: zero variance.
    assert fano_factor(np.arange(0.5, 100.0, 1.0), 100.0, window_ms=1.0) == 0.0
    # Identical trials: zero variance across trials in every window.
    same = [np.array([1.0, 2.0, 7.0])] * 5
    assert np.allclose(fano_factor(same, 10.0, window_ms=5.0), 0.0)
    # Empty windows give NaN, not an error.
    assert np.isnan(fano_factor([np.array([1.0]), np.array([2.0])], 10.0, window_ms=5.0)[1])


def test_variability_errors_say_what_is_needed():
    with pytest.raises(ValueError, match="at least two inter-spike intervals"):
        coefficient_of_variation([1.0, 2.0])
    with pytest.raises(ValueError, match="at least two windows"):
        fano_factor([1.0, 2.0], 10.0, window_ms=10.0)
    with pytest.raises(ValueError, match="at least two trials"):
        fano_factor([np.array([1.0, 2.0])], 10.0, window_ms=5.0)
    with pytest.raises(ValueError, match="whole multiple"):
        fano_factor([1.0, 2.0], 10.0, window_ms=3.0)


# The time grid
# ---------------------------------------------------------------------------


def test_delivery_steps_is_the_first_grid_time_at_or_after_each_spike():
    assert delivery_steps([0.0, 0.05, 0.1, 0.3, 0.31], 0.1).tolist() == [0, 1, 1, 3, 4]
    assert delivery_steps(2.5, 1.0).tolist() == 3  # no rounding half to even
    rng = np.random.default_rng(0)
    times = rng.uniform(0.0, 100.0, 1000)
    for dt in (0.1, 0.25, 1.0 / 3.0):
        steps = delivery_steps(times, dt)
        assert np.all(steps * dt >= times - 1e-9 * dt) and np.all((steps - 1) * dt < times)


def test_delivery_steps_put_times_computed_on_the_grid_on_their_step():
    k = np.arange(10_000)
    assert np.array_equal(delivery_steps(k * 0.1, 0.1), k)
    assert np.array_equal(delivery_steps(k * 0.1 + 1e-13, 0.1), k)


def test_binning_and_delivery_differ_by_one_step_for_off_grid_spikes():
    # binning counts [k dt, (k + 1) dt); delivery acts at the end of that bin
    times = [0.05, 0.25, 0.3]
    assert np.flatnonzero(spike_counts(times, 1.0, bin_ms=0.1)).tolist() == [0, 2, 3]
    assert delivery_steps(times, 0.1).tolist() == [1, 3, 3]


def test_events_to_trains_groups_events_by_neuron_in_time_order():
    rng = np.random.default_rng(2)
    times = np.sort(rng.uniform(0.0, 100.0, 500))
    neurons = rng.integers(0, 7, times.size)
    trains = events_to_trains(neurons, times, 8)
    assert len(trains) == 8 and trains[7].size == 0
    for i, train in enumerate(trains):  # a plain filter is the reference
        assert np.array_equal(train, times[neurons == i])
    with pytest.raises(ValueError, match="in \\[0, 8\\)"):
        events_to_trains([8], [1.0], 8)
