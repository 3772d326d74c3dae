"""Tests of the schematics of weeks 5-9 (neuro4ml.plotting.schematics): the numbers they compute,
checked against their definitions, and what they draw, found by role (no pixel hashes).
"""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.integrate import trapezoid  # numpy.trapezoid is numpy 2 only; the lower bound is numpy 1.24

from neuro4ml.plotting import schematics as sc


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


@pytest.mark.parametrize("n, wires", [(1, 1), (2, 1), (3, 2), (8, 3), (9, 4), (256, 8), (1_000_000, 20)])
def test_aer_wires_is_the_number_of_bits_of_an_address(n, wires):
    assert sc.aer_wires(n) == wires
    assert 2 ** sc.aer_wires(n) >= n  # enough codes for every neuron


def test_aer_serialise_keeps_separate_events_and_delays_collisions():
    addr, sent = sc.aer_serialise([0.0, 1.0, 2.0], [4, 2, 7], slot=0.5)
    assert addr.tolist() == [4, 2, 7] and sent.tolist() == [0.0, 1.0, 2.0]
    # three simultaneous spikes: sent in address order, one slot apart
    addr, sent = sc.aer_serialise([1.0, 1.0, 1.0], [5, 0, 3], slot=0.25)
    assert addr.tolist() == [0, 3, 5] and sent == pytest.approx([1.0, 1.25, 1.5])
    # a queue drains: the fourth event, late enough, is not delayed
    addr, sent = sc.aer_serialise([0.0, 0.1, 0.2, 5.0], [1, 2, 3, 4], slot=1.0)
    assert sent == pytest.approx([0.0, 1.0, 2.0, 5.0])
    with pytest.raises(ValueError, match="slot"):
        sc.aer_serialise([0.0], [0], slot=0)


def test_smoothed_rate_integrates_to_the_spike_count():
    t = np.linspace(-1, 3, 40_001)
    r = sc.smoothed_rate([0.5, 0.7, 1.9], t, sigma=0.05)
    assert trapezoid(r, t) == pytest.approx(3.0, rel=1e-6)
    # peak of an isolated spike is the kernel's height
    assert r[np.argmin(abs(t - 1.9))] == pytest.approx(1 / (math.sqrt(2 * math.pi) * 0.05), rel=1e-3)


def test_rank_order_ranks_first_spikes_and_marks_silent_neurons():
    assert sc.rank_order([12.0, 31.0, 5.0, np.nan, 17.0]).tolist() == [1, 3, 0, -1, 2]


def test_unrolled_snn_has_one_column_per_step_and_detached_resets(ax):
    out = sc.draw_unrolled_snn(ax, n_steps=3)
    assert {f"{k}{t}" for k in "xvs" for t in range(3)} <= set(out)
    assert [r.get_gid() for r in out["resets"]] == ["reset:0->1", "reset:1->2"]
    assert all(r.get_linestyle() not in ("-", "solid") for r in out["resets"])  # dashed: detached
    solid = sc.draw_unrolled_snn(plt.figure().add_subplot(), n_steps=2, detach_reset=False)
    assert solid["resets"][0].get_linestyle() in ("-", "solid")
    with pytest.raises(ValueError, match="n_steps"):
        sc.draw_unrolled_snn(ax, n_steps=1)


def test_neuromorphic_core_labels_its_limits(ax):
    out = sc.draw_neuromorphic_core(ax, neurons_per_core=1024, fan_in=4096, grid=3)
    assert "1024" in out["neurons"].label and "4096" in out["synapses"].label
    assert len(out["cores"]) == 9


def test_draw_aer_reports_the_collided_events(ax):
    out = sc.draw_aer(ax, [0.0, 0.0, 1.0], [2, 6, 1], n_neurons=8, slot=0.1)
    assert out["wires"] == 3 and out["delayed"] == [1]
    assert out["sent_times"] == pytest.approx([0.0, 0.1, 1.0])


def test_ddm_trajectory_ends_on_a_bound_and_adds_the_nondecision_time(ax):
    out = sc.draw_ddm_trajectory(ax, drift=0.5, bound=0.8, t_nondecision_s=0.25, seed=0)
    assert out["reaction_time_s"] == pytest.approx(out["decision_time_s"] + 0.25)
    assert out["choice"] in (0, 1) and out["decision_time_s"] > 0


def test_spike_codes_draws_three_codes():
    fig, axes = plt.subplots(1, 3)
    out = sc.draw_spike_codes(axes)
    assert out["ranks"].tolist() == [1, 4, 0, 3, -1, 2]
    assert out["coincidences"].tolist() == [21.0, 60.0, 88.0]  # input-1 spikes with an input-2 spike within 2 ms
    plt.close(fig)
