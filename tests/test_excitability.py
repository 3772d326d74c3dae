"""Tests for neuro4ml.models.excitability: Morris-Lecar class 1 and class 2 excitability from bifurcation theory."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import fsolve

from neuro4ml.models.excitability import (
    MORRIS_LECAR_HOPF,
    MORRIS_LECAR_SNLC,
    morris_lecar,
    morris_lecar_fixed_points,
    morris_lecar_jacobian,
    morris_lecar_nullclines,
    morris_lecar_rate_hz,
    morris_lecar_steady_current,
)
from neuro4ml.models.excitability import _rhs


@pytest.mark.parametrize("params", [MORRIS_LECAR_HOPF, MORRIS_LECAR_SNLC])
def test_fixed_points_and_jacobian_against_scipy_and_finite_differences(params):
    for current in (0.0, 30.0, 60.0):
        for v, w in morris_lecar_fixed_points(current, params):
            root = fsolve(lambda x: _rhs(x[0], x[1], current, params), [v + 0.5, w], xtol=1e-12)
            assert root[0] == pytest.approx(v, abs=1e-6)
            w_v, w_w = morris_lecar_nullclines(current, np.array([v]), params)
            assert w_v[0] == pytest.approx(w, abs=1e-9) and w_w[0] == pytest.approx(w, abs=1e-12)
            numerical = np.empty((2, 2))
            for col, (dv, dw) in enumerate(((1e-5, 0.0), (0.0, 1e-7))):
                numerical[:, col] = (np.array(_rhs(v + dv, w + dw, current, params))
                                     - np.array(_rhs(v - dv, w - dw, current, params))) / (2 * (dv + dw))
            assert np.allclose(morris_lecar_jacobian(v, w, current, params), numerical, rtol=1e-5, atol=1e-9)


def test_rk4_matches_solve_ivp():
    run = morris_lecar(np.full(4000, 100.0), dt_ms=0.05, params=MORRIS_LECAR_HOPF)
    ref = solve_ivp(lambda t, x: _rhs(x[0], x[1], 100.0, MORRIS_LECAR_HOPF), (0, run.t_ms[-1]),
                    [-60.0, run.state["w"][0]], t_eval=run.t_ms, rtol=1e-10, atol=1e-10)
    assert np.allclose(run.v, ref.y[0], atol=1e-4)


def test_class_1_rest_vanishes_in_a_saddle_node_and_rates_start_near_zero():
    """SNLC: rate ~ sqrt(I - I_SN) near onset (Rinzel & Ermentrout 1989)."""
    v = np.arange(-60.0, 0.0, 0.001)
    i_v = morris_lecar_steady_current(v, MORRIS_LECAR_SNLC)
    i_sn = i_v[np.argmax(np.where(v < -20, i_v, -np.inf))]  # local maximum of the I-V curve
    assert len(morris_lecar_fixed_points(i_sn - 0.5, MORRIS_LECAR_SNLC)) == 3
    assert len(morris_lecar_fixed_points(i_sn + 0.5, MORRIS_LECAR_SNLC)) == 1
    currents = i_sn + np.array([0.25, 0.5, 1.0])
    rates = morris_lecar_rate_hz(currents, params=MORRIS_LECAR_SNLC, duration_ms=2500.0, dt_ms=0.1, settle_ms=500.0)
    assert rates[0] < 5.0 and np.all(np.diff(rates) > 0)
    # f^2 is linear in I near onset and extrapolates to zero at the saddle-node.
    slope, intercept = np.polyfit(currents, rates**2, 1)
    assert -intercept / slope == pytest.approx(i_sn, abs=0.3)


def test_class_2_rest_loses_stability_in_a_hopf_and_firing_starts_at_a_finite_rate():
    v = np.arange(-80.0, 60.0, 0.01)
    assert np.all(np.diff(morris_lecar_steady_current(v, MORRIS_LECAR_HOPF)) > 0)  # no saddle-node
    real_parts = []
    currents = np.arange(80.0, 110.0, 0.5)
    for current in currents:
        (fp,) = morris_lecar_fixed_points(current, MORRIS_LECAR_HOPF)
        eig = np.linalg.eigvals(morris_lecar_jacobian(*fp, current, MORRIS_LECAR_HOPF))
        assert np.all(eig.imag != 0)  # a focus throughout: complex pair
        real_parts.append(eig.real[0])
    i_hopf = currents[np.argmax(np.array(real_parts) > 0)]
    assert 90.0 < i_hopf < 100.0
    (fp,) = morris_lecar_fixed_points(i_hopf, MORRIS_LECAR_HOPF)
    hopf_hz = abs(np.linalg.eigvals(morris_lecar_jacobian(*fp, i_hopf, MORRIS_LECAR_HOPF)).imag[0]) * 1000 / (2 * np.pi)
    rates = morris_lecar_rate_hz([80.0, i_hopf + 1.0], params=MORRIS_LECAR_HOPF, duration_ms=1000.0, dt_ms=0.1, settle_ms=300.0)
    assert rates[0] == 0.0
    assert rates[1] > 5.0 and rates[1] == pytest.approx(hopf_hz, rel=0.35)


def test_class_2_hopf_is_subcritical_rest_and_firing_coexist_below_it():
    """Rinzel & Ermentrout (1989): in the class 2 Morris-Lecar model the Hopf is subcritical.

    At I = 92, below the Hopf point (about 93.9), the rest state is a stable focus and a
    small kick from it decays, yet started from V = -60 mV the model fires at about 10 Hz:
    a stable limit cycle born at a fold of limit cycles (near 88) coexists with rest.
    """
    params = MORRIS_LECAR_HOPF
    (fp,) = morris_lecar_fixed_points(92.0, params)
    eig = np.linalg.eigvals(morris_lecar_jacobian(*fp, 92.0, params))
    assert np.all(eig.real < 0) and np.all(eig.imag != 0)
    kicked = morris_lecar(np.full(20_000, 92.0), dt_ms=0.05, params=params, v0_mv=fp[0] + 1.0, w0=fp[1])
    assert kicked.spike_times_ms.size == 0 and abs(kicked.v[-1] - fp[0]) < 0.01
    rates = morris_lecar_rate_hz([86.0, 90.0, 92.0], params=params, duration_ms=1500.0, dt_ms=0.1, settle_ms=500.0)
    assert rates[0] == 0.0
    assert np.all(rates[1:] > 8.0)  # finite rate already below the Hopf point
    # the rest state at 90 is stable too: firing there is not caused by an unstable rest
    (fp90,) = morris_lecar_fixed_points(90.0, params)
    assert np.all(np.linalg.eigvals(morris_lecar_jacobian(*fp90, 90.0, params)).real < 0)
