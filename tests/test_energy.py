"""Energy budgets: the numbers quoted on the "Why neuroscience?" page."""

from __future__ import annotations

import pytest

from neuro4ml.energy import (
    BRAIN_POWER_W,
    GPT3_TRAINING_MWH,
    H100_SXM_POWER_W,
    energy_mwh,
    gpu_flop_per_joule,
    synaptic_events_per_joule,
)


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
