"""The ripple-carry adder and the three methods, against arithmetic done independently."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.analysis.logic_circuits import (
    all_operand_pairs,
    decoding_r2,
    gate_names,
    lesion_error_rates,
    simulate_adder,
    tuning_curves,
)


@pytest.mark.parametrize("n_bits", [1, 3, 4])
def test_the_adder_adds(n_bits):
    a, b = all_operand_pairs(n_bits)
    assert len(a) == 4**n_bits and len(set(zip(a, b))) == 4**n_bits
    run = simulate_adder(a, b, n_bits)
    np.testing.assert_array_equal(run.total, a + b)  # Python's integer addition is the reference
    assert run.gates.shape == (4**n_bits, 5 * n_bits)


def test_gate_names():
    assert gate_names(2) == ["x0", "s0", "g0", "p0", "c1", "x1", "s1", "g1", "p1", "c2"]


def test_lesion_error_rates_match_counting():
    n = 4
    rates = lesion_error_rates(n)
    a, b = all_operand_pairs(n)
    true_sum = a + b
    # Silencing sum bit k is wrong exactly when bit k of a + b is 1.
    for k in range(n):
        assert rates[f"s{k}"] == pytest.approx(np.mean((true_sum >> k) & 1))
    # Silencing the top carry is wrong exactly when a + b >= 2**n: (1 - 2**-n) / 2 of all pairs.
    assert rates[f"c{n}"] == pytest.approx((1 - 2.0**-n) / 2)
    # The lowest bit has no carry in, so p0 = x0 AND 0 is always off: its lesion does nothing.
    assert rates["p0"] == 0.0
    # Silencing g0 (a0 AND b0) loses a carry of 2 exactly when both low bits are 1: a quarter of pairs.
    assert rates["g0"] == pytest.approx(0.25)


def test_tuning_curves_average_gate_activity():
    a, b = all_operand_pairs(3)
    run = simulate_adder(a, b, 3)
    values, curves = tuning_curves(run, "a")
    np.testing.assert_array_equal(values, np.arange(8))
    # g0 = a0 AND b0: on for half the b values when a is odd, never when a is even.
    np.testing.assert_allclose(curves[:, gate_names(3).index("g0")], np.where(values % 2 == 1, 0.5, 0.0))
    with pytest.raises(ValueError, match="stimulus"):
        tuning_curves(run, "c")


def test_decoding():
    a, b = all_operand_pairs(4)
    run = simulate_adder(a, b, 4)
    # The sum is a linear function of the sum bits and the top carry: perfect decoding.
    assert decoding_r2(run, a + b, ["s0", "s1", "s2", "s3", "c4"]) == pytest.approx(1.0)
    # Decoding a + b from the XOR gates alone: R^2 well below 1 (they carry a XOR b, not carries).
    assert decoding_r2(run, a + b, ["x0", "x1", "x2", "x3"]) < 0.9


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="n_bits"):
        simulate_adder([1], [1], 0)
    with pytest.raises(ValueError, match=r"\[0, 8\)"):
        simulate_adder(np.array([8]), np.array([1]), 3)
    with pytest.raises(ValueError, match="no gate named"):
        simulate_adder(np.array([1]), np.array([1]), 3, lesioned=("q0",))
    with pytest.raises(ValueError, match="integers"):
        simulate_adder(np.array([1.5]), np.array([1]), 3)
