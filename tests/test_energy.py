"""Energy budgets: the numbers quoted on the "Why neuroscience?" page and on week 8's introduction."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.hardware.energy import (
    BRAIN_POWER_W,
    GPT3_TRAINING_MWH,
    H100_SXM_POWER_W,
    HOROWITZ_45NM_PJ,
    dense_layer_energy_pj,
    energy_mwh,
    event_driven_layer_energy_pj,
    gpu_flop_per_joule,
    synaptic_events_per_joule,
)
from neuro4ml.hardware.neuromorphic import synaptic_operations


def test_twenty_years_of_a_brain_and_the_ratios_on_the_page():
    brain = energy_mwh(BRAIN_POWER_W, years=20)
    assert brain == pytest.approx(20 * 20 * 8766 / 1e6)          # 3.5 MWh
    assert round(brain, 1) == 3.5
    assert H100_SXM_POWER_W / BRAIN_POWER_W == pytest.approx(35.0)
    assert 360 < GPT3_TRAINING_MWH / brain < 380                  # "about 370 times"
    assert energy_mwh(1e6, hours=1) == pytest.approx(1.0)


def test_operations_per_joule_ranges():
    brain = synaptic_events_per_joule()
    assert brain.low == pytest.approx(1e14 * 0.1 / 20) and brain.high == pytest.approx(1e15 * 1.0 / 20)
    gpu = gpu_flop_per_joule()
    assert gpu.high == pytest.approx(1e15 / 700) and gpu.low == pytest.approx(0.3 * 1e15 / 700)


def test_input_checks():
    with pytest.raises(ValueError, match="exactly one"):
        energy_mwh(20.0)
    with pytest.raises(ValueError, match="utilisation"):
        gpu_flop_per_joule(utilisation=(0.5, 1.5))
    with pytest.raises(ValueError):
        energy_mwh(-1.0, hours=1)


# --- Energy per operation and dense versus event-driven layers (week 8) -----------------

def test_horowitz_numbers_and_the_32_bit_figures_quoted_on_the_page():
    # Horowitz (2014), 45 nm at 0.9 V; 32-bit reads are half a 64-bit read (Han et al. 2015).
    assert HOROWITZ_45NM_PJ["float mult 32"] == (3.7, 3.7)
    assert HOROWITZ_45NM_PJ["int add 32"] == (0.1, 0.1)
    assert HOROWITZ_45NM_PJ["cache read 8 KB"][0] / 2 == pytest.approx(5.0)
    assert HOROWITZ_45NM_PJ["DRAM read"][0] / 2 == pytest.approx(650.0)   # Han et al. round to 640
    for low, high in HOROWITZ_45NM_PJ.values():
        assert 0 < low <= high
    # "a DRAM read costs more than a hundred times a multiplication"
    assert HOROWITZ_45NM_PJ["DRAM read"][0] / 2 / HOROWITZ_45NM_PJ["float mult 32"][0] > 100


def test_event_driven_energy_matches_counted_synaptic_operations():
    # Independent route: draw random spikes, count deliveries with the chip-counting code.
    rng = np.random.default_rng(1)
    n_in, n_out, n_steps, p = 200, 30, 400, 0.05
    spikes = (rng.random((n_steps, n_in)) < p).astype(float)
    weights = np.ones((n_in, n_out))
    per_delivery_pj, per_spike_pj = 2.0, 7.0
    counted = synaptic_operations(spikes, weights) * per_delivery_pj + spikes.sum() * per_spike_pj
    expected = event_driven_layer_energy_pj(n_in, n_out, p, add_pj=0.5, weight_read_pj=1.5,
                                            event_pj=per_spike_pj, n_steps=n_steps)
    # counted is a binomial draw with mean `expected`; its relative sd is about 1 / sqrt(4000)
    assert counted == pytest.approx(expected, rel=0.05)


def test_event_driven_state_read_modify_write_is_counted():
    # Hand count: 2 steps x half of 4 inputs = 4 spikes; each costs 10 to route and
    # 3 deliveries of (add 1 + weight read 2 + state read 3 + state write 3) = 27.
    e = event_driven_layer_energy_pj(4, 3, 0.5, add_pj=1.0, weight_read_pj=2.0, event_pj=10.0,
                                     n_steps=2, state_access_pj=3.0)
    assert e == pytest.approx(4 * (10 + 27))
    # An explicit event loop over random spikes: count every memory access it makes.
    rng = np.random.default_rng(3)
    n_in, n_out, n_steps, p = 50, 8, 300, 0.1
    spikes = rng.random((n_steps, n_in)) < p
    weights, v = rng.normal(size=(n_in, n_out)), np.zeros(n_out)
    accesses = {"weight": 0, "state": 0, "add": 0}
    for step in spikes:
        for i in np.flatnonzero(step):
            for j in range(n_out):
                w = weights[i, j]; accesses["weight"] += 1
                old = v[j]; accesses["state"] += 1
                v[j] = old + w; accesses["add"] += 1; accesses["state"] += 1
    counted = accesses["weight"] * 2.0 + accesses["state"] * 3.0 + accesses["add"] * 1.0 + spikes.sum() * 10.0
    expected = event_driven_layer_energy_pj(n_in, n_out, p, add_pj=1.0, weight_read_pj=2.0, event_pj=10.0,
                                            n_steps=n_steps, state_access_pj=3.0)
    assert counted == pytest.approx(expected, rel=0.06)   # ~1500 spikes: sd about 2.5 %
    with pytest.raises(ValueError, match="state_access_pj"):
        event_driven_layer_energy_pj(4, 3, 0.5, add_pj=1.0, weight_read_pj=2.0, state_access_pj=-1.0)


def test_dense_and_event_driven_limits():
    # All inputs active for one step, no routing cost and an add as dear as a MAC: same work.
    dense = dense_layer_energy_pj(10, 20, mac_pj=4.6, weight_read_pj=5.0)
    event = event_driven_layer_energy_pj(10, 20, 1.0, add_pj=4.6, weight_read_pj=5.0)
    assert event == pytest.approx(dense) == pytest.approx(10 * 20 * 9.6)
    # A very large batch leaves only the arithmetic.
    assert dense_layer_energy_pj(10, 20, mac_pj=4.6, weight_read_pj=5.0, batch_size=10**9) == \
        pytest.approx(10 * 20 * 4.6)
    # Silence costs nothing; energy scales with activity and with time steps.
    p = np.array([0.0, 0.1, 0.2])
    e = event_driven_layer_energy_pj(10, 20, p, add_pj=1.0, weight_read_pj=1.0, n_steps=3)
    assert e.shape == (3,) and e[0] == 0 and e[2] == pytest.approx(2 * e[1])
    assert e[1] == pytest.approx(3 * event_driven_layer_energy_pj(10, 20, 0.1, add_pj=1.0, weight_read_pj=1.0))


def test_layer_energy_input_checks():
    with pytest.raises(ValueError, match="activity"):
        event_driven_layer_energy_pj(10, 10, 1.5, add_pj=1.0, weight_read_pj=1.0)
    with pytest.raises(ValueError, match="batch_size"):
        dense_layer_energy_pj(10, 10, mac_pj=1.0, weight_read_pj=1.0, batch_size=0)
    with pytest.raises(ValueError, match="n_in"):
        dense_layer_energy_pj(2.5, 10, mac_pj=1.0, weight_read_pj=1.0)
    with pytest.raises(ValueError, match="weight_read_pj"):
        event_driven_layer_energy_pj(10, 10, 0.5, add_pj=1.0, weight_read_pj=-1.0)
