"""The dynamic vision sensor model against analytic event counts and times."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.hardware.neuromorphic.event_camera import dvs_events, moving_scene


def _ramp(slope_per_ms, n_frames=101, dt_ms=1.0, shape=(2, 3)):
    t = np.arange(n_frames) * dt_ms
    return np.exp(slope_per_ms * t)[:, None, None] * np.ones((1,) + shape)


def test_static_scene_emits_no_events():
    frames = np.broadcast_to(moving_scene(1, 8, 8, start_px=4.0), (50, 8, 8))
    assert len(dvs_events(frames, 1.0)) == 0


@pytest.mark.parametrize(("slope", "polarity"), [(0.05, 1), (-0.05, -1)])
def test_brightening_gives_on_darkening_gives_off(slope, polarity):
    events = dvs_events(_ramp(slope), 1.0, threshold=0.2)
    assert len(events) > 0 and np.all(events.polarity == polarity)


@pytest.mark.parametrize("dt_ms", [0.5, 1.0, 7.0])
def test_log_ramp_event_count_and_times_are_analytic(dt_ms):
    # L = a t over T = 100 ms: events where a t = m C, i.e. t_m = m C / a, m = 1 .. floor(a T / C)
    a, c, duration = 0.047, 0.15, 98.0
    n_frames = int(duration / dt_ms) + 1
    events = dvs_events(_ramp(a, n_frames, dt_ms, shape=(1, 1)), dt_ms, threshold=c)
    t_end = (n_frames - 1) * dt_ms
    expected = np.arange(1, int(np.floor(a * t_end / c)) + 1) * c / a
    np.testing.assert_allclose(events.t_ms, expected, rtol=1e-9)


def test_refractory_period_spaces_the_events():
    # after each event the pixel is blind for r, then needs C/a more: period r + C/a
    a, c, r = 0.05, 0.2, 3.3
    events = dvs_events(_ramp(a, shape=(1, 1)), 1.0, threshold=c, refractory_ms=r)
    period = r + c / a
    expected_count = 1 + int(np.floor((100.0 - c / a) / period))
    assert len(events) == expected_count
    np.testing.assert_allclose(np.diff(events.t_ms), period)


def test_moving_bar_edges_and_histogram():
    frames = moving_scene(60, 8, 20, speed_px_per_ms=0.25, size_px=4.0, start_px=3.0)
    events = dvs_events(frames, 1.0, threshold=0.2)
    # leading edge (right of the bar) brightens, trailing edge (left) darkens
    on, off = events.x[events.polarity > 0], events.x[events.polarity < 0]
    t_on, t_off = events.t_ms[events.polarity > 0], events.t_ms[events.polarity < 0]
    assert np.mean(on - (3.0 + 0.25 * t_on)) > 0 > np.mean(off - (3.0 + 0.25 * t_off))
    # every row sees the same vertical bar
    assert np.all(np.bincount(events.y) == np.bincount(events.y)[0])
    hist = events.histogram(10.0)
    assert hist.shape == (6, 2, 8, 20) and hist.sum() == len(events)
    assert hist[:, 0].sum() == (events.polarity > 0).sum()


def test_bad_frames():
    with pytest.raises(ValueError, match="log_eps"):
        dvs_events(np.zeros((3, 2, 2)), 1.0)
    with pytest.raises(ValueError, match="shaped"):
        dvs_events(np.ones((3, 2)), 1.0)
    assert len(dvs_events(np.zeros((3, 2, 2)), 1.0, log_eps=1e-3)) == 0
