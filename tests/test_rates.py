"""Tests for neuro4ml.models.rates: Wilson-Cowan phase plane against scipy, ISN and Hopf theory, Hopfield capacity."""

from dataclasses import replace

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import fsolve

from neuro4ml.models.rates import (
    WilsonCowanParams,
    classify_fixed_point,
    corrupt_pattern,
    hopf_tau_i_ms,
    hopfield_recall,
    hopfield_recall_overlaps,
    hopfield_weights,
    is_inhibition_stabilised,
    paradoxical_response,
    pattern_overlaps,
    random_patterns,
    wilson_cowan,
    wilson_cowan_fixed_points,
    wilson_cowan_jacobian,
    wilson_cowan_nullclines,
    wilson_cowan_rhs,
)

# A bistable network (three fixed points) and the default (one, inhibition-stabilised).
BISTABLE = WilsonCowanParams(w_ee=16.0, w_ei=6.0, w_ie=10.0, w_ii=1.0, h_e=0.0, h_i=-2.0)
CASES = [WilsonCowanParams(), BISTABLE, WilsonCowanParams(h_e=1.0, h_i=-2.0), WilsonCowanParams(h_e=0.0)]


def _numerical_jacobian(e, i, params, step=1e-6):
    columns = []
    for de, di in ((step, 0.0), (0.0, step)):
        plus = np.array(wilson_cowan_rhs(e + de, i + di, params))
        minus = np.array(wilson_cowan_rhs(e - de, i - di, params))
        columns.append((plus - minus) / (2 * step))
    return np.stack(columns, axis=1)


@pytest.mark.parametrize("params", CASES)
def test_fixed_points_match_a_root_finder_from_many_starts(params):
    points = wilson_cowan_fixed_points(params)
    assert len(points) >= 1
    for e, i in points:
        assert np.allclose(wilson_cowan_rhs(e, i, params), 0.0, atol=1e-12)
    # Every root fsolve finds from a grid of starts is one of ours, and vice versa.
    found = []
    for e0 in np.linspace(0.02, 0.98, 9):
        for i0 in np.linspace(0.02, 0.98, 9):
            root, info, ok, _ = fsolve(lambda x: wilson_cowan_rhs(x[0], x[1], params), [e0, i0], full_output=True, xtol=1e-13)
            if ok == 1 and np.allclose(wilson_cowan_rhs(*root, params), 0.0, atol=1e-10):
                found.append(root)
    found = np.array(found)
    for root in found:
        assert np.min(np.linalg.norm(points - root, axis=1)) < 1e-6
    for point in points:
        assert np.min(np.linalg.norm(found - point, axis=1)) < 1e-6


def test_bistable_network_has_three_fixed_points_and_a_saddle():
    kinds = [classify_fixed_point(wilson_cowan_jacobian(e, i, BISTABLE)) for e, i in wilson_cowan_fixed_points(BISTABLE)]
    assert len(kinds) == 3 and kinds[1] == "saddle"
    assert kinds[0].startswith("stable") and kinds[2].startswith("stable")


@pytest.mark.parametrize("params", CASES)
def test_jacobian_and_stability_against_numerical_eigenvalues(params):
    for e, i in wilson_cowan_fixed_points(params):
        numerical = _numerical_jacobian(e, i, params)
        assert np.allclose(wilson_cowan_jacobian(e, i, params), numerical, atol=1e-7)
        stable = np.all(np.linalg.eigvals(numerical).real < 0)
        assert classify_fixed_point(wilson_cowan_jacobian(e, i, params)).startswith("stable") == stable


def test_fixed_points_lie_on_both_nullclines():
    (e, i_e), (e_i, i) = wilson_cowan_nullclines(WilsonCowanParams())
    assert np.allclose(wilson_cowan_rhs(e, i_e, WilsonCowanParams())[0], 0.0, atol=1e-12)
    assert np.allclose(wilson_cowan_rhs(e_i, i, WilsonCowanParams())[1], 0.0, atol=1e-12)


def test_rk4_simulation_matches_solve_ivp():
    params = WilsonCowanParams(tau_i_ms=12.0)
    run = wilson_cowan(params, duration_ms=200.0, dt_ms=0.05, e0=0.1, i0=0.5)
    reference = solve_ivp(lambda t, x: wilson_cowan_rhs(x[0], x[1], params), (0, 200), [0.1, 0.5],
                          t_eval=run.t_ms, rtol=1e-10, atol=1e-12)
    assert np.allclose(run.e, reference.y[0], atol=1e-7) and np.allclose(run.i, reference.y[1], atol=1e-7)


def test_paradoxical_effect_exactly_when_inhibition_stabilised():
    """Extra drive to I lowers I's rate iff w_EE g_E > 1 (Tsodyks et al. 1997)."""
    for params in (WilsonCowanParams(), WilsonCowanParams(h_e=0.0), WilsonCowanParams(h_e=1.0, h_i=-2.0)):
        before, after = paradoxical_response(params, 0.05)
        isn = is_inhibition_stabilised(*before, params)
        assert (after[1] < before[1]) == isn
    assert is_inhibition_stabilised(*paradoxical_response(WilsonCowanParams(), 0.05)[0], WilsonCowanParams())
    assert not is_inhibition_stabilised(*paradoxical_response(WilsonCowanParams(h_e=0.0), 0.05)[0], WilsonCowanParams(h_e=0.0))


def test_hopf_point_where_trace_crosses_zero_and_an_oscillation_appears():
    params = WilsonCowanParams()
    (e, i), = wilson_cowan_fixed_points(params)
    tau_star = hopf_tau_i_ms(e, i, params)
    assert 5.0 < tau_star < 20.0
    below, above = replace(params, tau_i_ms=0.9 * tau_star), replace(params, tau_i_ms=1.1 * tau_star)
    assert np.all(np.linalg.eigvals(wilson_cowan_jacobian(e, i, below)).real < 0)
    eig = np.linalg.eigvals(wilson_cowan_jacobian(e, i, above))
    assert np.all(eig.real > 0) and np.all(np.abs(eig.imag) > 0)
    swing = []
    for p in (below, above):
        run = wilson_cowan(p, duration_ms=2000.0, dt_ms=0.1, e0=e + 0.01, i0=i)
        swing.append(np.ptp(run.e[-5000:]))
    assert swing[0] < 1e-4 and swing[1] > 0.05
    assert hopf_tau_i_ms(*wilson_cowan_fixed_points(WilsonCowanParams(h_e=0.0))[0], WilsonCowanParams(h_e=0.0)) == np.inf


def test_hopfield_stores_and_cleans_up_a_few_patterns():
    patterns = random_patterns(5, 200, rng=0)
    weights = hopfield_weights(patterns)
    assert np.allclose(weights, weights.T) and np.all(np.diag(weights) == 0)
    for mu in range(5):
        start = corrupt_pattern(patterns[mu], 0.2, rng=mu)
        assert pattern_overlaps(start, patterns)[mu] == pytest.approx(0.6)
        final, sweeps = hopfield_recall(weights, start, rng=mu)
        assert pattern_overlaps(final, patterns)[mu] == 1.0 and sweeps < 10


def test_hopfield_recall_falls_off_near_0_14_n():
    """Amit, Gutfreund & Sompolinsky 1985: retrieval up to alpha_c = 0.138 (N -> infinity).

    Measured here with N = 800 from the stored pattern itself: recall (overlap > 0.9)
    is perfect at alpha <= 0.10 and fails in most networks by alpha = 0.20.
    """
    loads = np.array([0.06, 0.10, 0.14, 0.20])
    overlaps = hopfield_recall_overlaps(800, loads, n_repeats=8, rng=1)
    recalled = (overlaps > 0.9).mean(axis=1)
    assert recalled[0] == 1.0 and recalled[1] == 1.0
    assert recalled[3] <= 0.25
    assert overlaps[3].mean() < 0.7


def test_bad_inputs():
    with pytest.raises(ValueError, match="w_ei"):
        WilsonCowanParams(w_ei=0.0)
    with pytest.raises(ValueError, match="only \\+1 and -1"):
        hopfield_weights(np.array([[1, 0, -1]]))
    with pytest.raises(ValueError, match="exactly one stable"):
        paradoxical_response(BISTABLE, 0.1)
    with pytest.raises(ValueError, match="2 x 2"):
        classify_fixed_point(np.eye(3))


def test_rate_equation_step_response_is_exponential():
    from neuro4ml.models.rates import rate_equation

    target = np.r_[np.zeros(10), np.full(500, 40.0)]
    rate = rate_equation(target, tau_ms=20.0, dt_ms=0.5)
    t_after = (np.arange(rate.size) - 10) * 0.5
    expected = np.where(t_after > 0, 40.0 * (1 - np.exp(-t_after / 20.0)), 0.0)
    assert np.allclose(rate, expected, atol=1e-10)
