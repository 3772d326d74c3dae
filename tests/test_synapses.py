"""Tests for neuro4ml.models.synapses: kernels, exact traces, Euler, conductances, Tsodyks-Markram."""

import math
from decimal import Decimal, getcontext

import numpy as np
import pytest
import scipy.linalg
from scipy.integrate import solve_ivp

from neuro4ml.models.synapses import (
    E_EXCITATORY,
    E_INHIBITORY,
    Alpha,
    Biexponential,
    Exponential,
    Instantaneous,
    alpha_kernel,
    binomial_release,
    biexponential_euler,
    biexponential_kernel,
    biexponential_normalisation,
    biexponential_peak_time_ms,
    biexponential_peak_value,
    biexponential_trace,
    conductance_current,
    conductance_step,
    exponential_kernel,
    synaptic_trace,
    tsodyks_markram,
    tsodyks_markram_steady_state,
)

# ---------------------------------------------------------------------------
# Kernels and the biexponential peak
# ---------------------------------------------------------------------------


def test_exponential_kernel_values():
    t = np.array([-1.0, 0.0, 5.0, 10.0])
    assert np.allclose(exponential_kernel(t, 5.0), [0.0, 1.0, math.exp(-1), math.exp(-2)])


def test_alpha_kernel_peaks_at_tau_with_value_one_over_e():
    t = np.linspace(0, 50, 50_001)
    k = alpha_kernel(t, 4.0)
    assert t[np.argmax(k)] == pytest.approx(4.0, abs=1e-3)
    assert k.max() == pytest.approx(math.exp(-1), rel=1e-9)
    assert alpha_kernel(t, 4.0, normalise=True).max() == pytest.approx(1.0, rel=1e-9)
    assert alpha_kernel(-1.0, 4.0) == 0.0


@pytest.mark.parametrize("tau_r, tau_d", [(1.0, 5.0), (0.5, 20.0), (3.0, 3.5)])
def test_biexponential_kernel_peak_matches_analytic_formulas(tau_r, tau_d):
    t = np.linspace(0, 10 * tau_d, 200_001)
    k = biexponential_kernel(t, tau_r, tau_d)
    t_star = tau_r * tau_d / (tau_d - tau_r) * math.log(tau_d / tau_r)
    assert biexponential_peak_time_ms(tau_r, tau_d) == pytest.approx(t_star, rel=1e-12)
    assert t[np.argmax(k)] == pytest.approx(t_star, abs=t[1])
    assert k.max() == pytest.approx(biexponential_peak_value(tau_r, tau_d), rel=1e-8)
    # the closed form of the peak value: the kernel evaluated at t*
    expected = tau_r / (tau_d - tau_r) * (math.exp(-t_star / tau_d) - math.exp(-t_star / tau_r))
    assert biexponential_peak_value(tau_r, tau_d) == pytest.approx(expected, rel=1e-12)
    assert biexponential_kernel(t, tau_r, tau_d, normalise=True).max() == pytest.approx(1.0, rel=1e-8)
    assert biexponential_normalisation(tau_r, tau_d) * expected == pytest.approx(1.0)


def test_alpha_is_the_limit_of_the_biexponential():
    t = np.linspace(0, 40, 401)
    tau = 4.0
    for gap in (1e-2, 1e-4, 1e-7):
        biexp = biexponential_kernel(t, tau * (1 - gap), tau)
        assert np.max(np.abs(biexp - alpha_kernel(t, tau))) < 2 * gap
    assert biexponential_peak_time_ms(tau * (1 - 1e-9), tau) == pytest.approx(tau, rel=1e-8)
    assert biexponential_peak_value(tau * (1 - 1e-9), tau) == pytest.approx(math.exp(-1), rel=1e-8)
    # equal time constants are the alpha function exactly
    assert np.array_equal(biexponential_kernel(t, tau, tau), alpha_kernel(t, tau))
    assert biexponential_peak_time_ms(tau, tau) == tau


def test_kernel_input_checks():
    with pytest.raises(ValueError, match="tau_rise_ms"):
        biexponential_kernel(1.0, 5.0, 1.0)
    with pytest.raises(ValueError, match="tau_ms"):
        exponential_kernel(1.0, 0.0)
    with pytest.raises(TypeError):
        exponential_kernel(1.0, "5")
    with pytest.raises(ValueError, match="NaN"):
        alpha_kernel([np.nan], 1.0)


# ---------------------------------------------------------------------------
# Synapse models and exact traces
# ---------------------------------------------------------------------------


SYNAPSES = [Exponential(5.0), Alpha(3.0), Alpha(3.0, normalise=True), Biexponential(1.0, 8.0),
            Biexponential(0.5, 5.0, normalise=True)]


@pytest.mark.parametrize("synapse", SYNAPSES, ids=repr)
def test_matrix_exponential_response_matches_closed_form_kernel(synapse):
    t = np.linspace(0, 60, 121)
    assert np.allclose(synapse.responses(t)[:, -1], synapse.kernel(t), rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("synapse", SYNAPSES, ids=repr)
def test_exact_trace_equals_superposition_of_kernels(synapse):
    spikes = np.array([0.0, 3.33, 3.34, 10.0, 17.123, 40.0])  # on and off the grid, a close pair
    weights = np.array([1.0, 0.5, -0.2, 2.0, 1.0, 0.7])
    dt = 0.1
    trace = synaptic_trace(spikes, synapse, duration_ms=60.0, dt_ms=dt, weight=weights)
    t = np.arange(600) * dt
    expected = sum(w * synapse.kernel(t - s) for s, w in zip(spikes, weights))
    assert trace.shape == (600,)
    assert np.max(np.abs(trace - expected)) < 1e-12


@pytest.mark.parametrize("tau_decay_ms", [5.0, 2.0 + 1e-6, 2.0 + 1e-9, 2.0])
def test_responses_stay_exact_when_the_two_time_constants_nearly_meet(tau_decay_ms):
    # I(t) for x(0) = 1: (1/td) (e^{-t/td} - e^{-t/tr}) / (1/tr - 1/td), or (t/td) e^{-t/td}
    # when tr = td, evaluated with 50 significant digits by the decimal module.
    getcontext().prec = 50
    tau_rise_ms = 2.0
    synapse = Biexponential(tau_rise_ms, tau_decay_ms)
    t = np.array([0.001, 0.05, 0.5, 3.0, 20.0])
    a, b = 1 / Decimal(tau_rise_ms), 1 / Decimal(tau_decay_ms)

    def exact(t_ms):
        time = Decimal(float(t_ms))
        if a == b:
            return float(time * b * (-b * time).exp())
        return float(b * ((-b * time).exp() - (-a * time).exp()) / (a - b))

    expected = np.array([exact(value) for value in t])
    assert np.allclose(synapse.responses(t)[:, 1], expected, rtol=1e-13, atol=0.0)


@pytest.mark.parametrize("synapse", SYNAPSES, ids=repr)
def test_trace_equals_a_plain_step_by_step_recursion(synapse):
    # An independent implementation of s_k = P s_{k-1} + u_k: spikes on the grid (so each
    # enters u at its own sample with the jump J), P from scipy's expm, one step at a time.
    rng = np.random.default_rng(11)
    dt, n_steps = 0.1, 4000
    steps = np.sort(rng.choice(n_steps, size=300, replace=True))
    weights = rng.normal(0.5, 1.0, steps.size)
    trace = synaptic_trace(steps * dt, synapse, duration_ms=n_steps * dt, dt_ms=dt, weight=weights)
    propagator = scipy.linalg.expm(synapse.matrix() * dt)
    inputs = np.zeros((n_steps, len(synapse.variables)))
    np.add.at(inputs, steps, weights[:, None] * synapse.jump()[None, :])
    state = np.zeros(len(synapse.variables))
    expected = np.empty(n_steps)
    for k in range(n_steps):
        state = propagator @ state + inputs[k]
        expected[k] = state[-1]
    assert np.allclose(trace, expected, rtol=1e-12, atol=1e-12 * np.abs(expected).max())


def test_trace_of_several_trains_has_one_row_per_train():
    synapse = Exponential(5.0)
    trains = [np.array([1.0]), np.array([]), np.array([2.0, 3.0])]
    traces = synaptic_trace(trains, synapse, duration_ms=10.0, dt_ms=0.5)
    assert traces.shape == (3, 20)
    assert np.array_equal(traces[1], np.zeros(20))
    assert np.allclose(traces[0], synaptic_trace(trains[0], synapse, duration_ms=10.0, dt_ms=0.5))


def test_instantaneous_trace_holds_the_jumps():
    jumps = synaptic_trace([1.0, 1.0, 2.05], Instantaneous(), duration_ms=5.0, dt_ms=0.1, weight=0.5)
    assert jumps[10] == 1.0 and jumps[21] == 0.5 and jumps.sum() == 1.5
    with pytest.raises(ValueError, match="no kernel"):
        Instantaneous().kernel(1.0)


def test_simulated_biexponential_peak_matches_analytic_peak_within_a_step():
    tau_r, tau_d, dt, spike = 1.0, 5.0, 0.05, 10.0
    x, current = biexponential_trace([spike], tau_rise_ms=tau_r, tau_decay_ms=tau_d, duration_ms=60.0, dt_ms=dt)
    t_peak = np.argmax(current) * dt - spike
    assert abs(t_peak - biexponential_peak_time_ms(tau_r, tau_d)) <= dt
    assert current.max() <= biexponential_peak_value(tau_r, tau_d)
    assert current.max() == pytest.approx(biexponential_peak_value(tau_r, tau_d), rel=1e-3)
    assert np.allclose(x[int(spike / dt):], np.exp(-np.arange(1000) * dt / tau_r))
    _, normalised = biexponential_trace([spike], tau_rise_ms=tau_r, tau_decay_ms=tau_d, duration_ms=60.0,
                                        dt_ms=dt, normalise=True)
    assert normalised.max() == pytest.approx(1.0, rel=1e-3)


def test_trace_input_checks():
    with pytest.raises(ValueError, match=">= 0"):
        synaptic_trace([-1.0], Exponential(), duration_ms=10.0, dt_ms=0.1)
    with pytest.raises(TypeError, match="Synapse"):
        synaptic_trace([1.0], "exponential", duration_ms=10.0, dt_ms=0.1)
    with pytest.raises(ValueError, match="multiple"):
        synaptic_trace([1.0], Exponential(), duration_ms=10.05, dt_ms=0.1)
    with pytest.raises(ValueError, match="one weight per spike"):
        synaptic_trace([1.0, 2.0], Exponential(), duration_ms=10.0, dt_ms=0.1, weight=[1.0])
    with pytest.raises(ValueError, match="tau_ms"):
        Exponential(-1.0)
    with pytest.raises(ValueError, match="tau_rise_ms"):
        Biexponential(5.0, 1.0)


# ---------------------------------------------------------------------------
# Euler
# ---------------------------------------------------------------------------


def test_euler_converges_at_first_order():
    options = {"tau_rise_ms": 1.0, "tau_decay_ms": 5.0, "duration_ms": 40.0}
    spikes = [0.0, 8.0, 9.0]
    errors = []
    for dt in (0.1, 0.05, 0.025, 0.0125):
        _, euler = biexponential_euler(spikes, dt_ms=dt, **options)
        _, exact = biexponential_trace(spikes, dt_ms=dt, **options)
        step = round(0.1 / dt)  # compare on the common grid of the coarsest step
        errors.append(np.max(np.abs(euler[::step] - exact[::step])))
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    assert np.all((ratios > 1.8) & (ratios < 2.2)), ratios


def test_euler_first_steps_follow_the_update_rule():
    x, current = biexponential_euler([0.0, 0.2], tau_rise_ms=2.0, tau_decay_ms=4.0, duration_ms=1.0,
                                     dt_ms=0.1, weight=3.0)
    assert x[0] == 3.0 and current[0] == 0.0
    assert x[1] == pytest.approx(3.0 * 0.95)
    assert current[1] == pytest.approx(0.1 * 3.0 / 4.0)
    assert x[2] == pytest.approx(3.0 * 0.95**2 + 3.0)


def test_euler_and_exact_agree_for_small_steps_and_normalise_scales():
    options = {"tau_rise_ms": 2.0, "tau_decay_ms": 6.0, "duration_ms": 30.0, "dt_ms": 0.001}
    _, euler = biexponential_euler([5.0], normalise=True, **options)
    _, exact = biexponential_trace([5.0], normalise=True, **options)
    assert np.max(np.abs(euler - exact)) < 1e-3
    assert exact.max() == pytest.approx(1.0, abs=1e-6)


# ---------------------------------------------------------------------------
# Conductance-based synapses
# ---------------------------------------------------------------------------


def test_conductance_current_sign():
    assert conductance_current(2.0, 0.0, E_EXCITATORY) == pytest.approx(2.0 * E_EXCITATORY)
    assert conductance_current(2.0, 0.5, E_INHIBITORY) < 0
    assert conductance_current(1.0, E_INHIBITORY, E_INHIBITORY) == 0.0
    assert E_EXCITATORY == 6.0 and E_INHIBITORY == -2.0


def test_conductance_step_is_exact_for_constant_conductance():
    # tau dV/dt = -V + g (E - V): V(t) = V_inf (1 - exp(-(1 + g) t / tau))
    g, e_rev, tau = 3.0, E_EXCITATORY, 10.0
    v = np.zeros(1)
    for _ in range(100):
        v = conductance_step(v, dt_ms=0.1, tau_ms=tau, drive=0.0, conductances=[g], reversals=[e_rev])
    v_inf = g * e_rev / (1 + g)
    assert v[0] == pytest.approx(v_inf * (1 - math.exp(-(1 + g) * 10.0 / tau)), rel=1e-12)


@pytest.mark.parametrize("e_rev", [E_EXCITATORY, E_INHIBITORY])
def test_conductance_synapse_drives_v_towards_e_rev_and_never_past_it(e_rev):
    dt = 0.1
    synapse = Exponential(5.0)
    spikes = np.arange(0.0, 200.0, 2.0)  # a strong, fast train: g builds up to ~ 40
    g = synaptic_trace(spikes, synapse, duration_ms=300.0, dt_ms=dt, weight=20.0)
    v = np.full(1, 0.5)
    trace = []
    for g_k in g:
        trace.append(v[0])
        v = conductance_step(v, dt_ms=dt, tau_ms=10.0, drive=0.0, conductances=[g_k], reversals=[e_rev])
    trace = np.array(trace)
    sign = np.sign(e_rev - 0.5)
    assert np.all(sign * (e_rev - trace) >= 0)  # never past the reversal potential
    assert abs(trace[1900] - e_rev) < 0.05 * abs(e_rev - 0.5)  # close to it while g is large
    assert abs(trace[-1]) < 0.01 * abs(e_rev)  # back near rest (0) once the spikes stop


# ---------------------------------------------------------------------------
# Tsodyks-Markram short-term plasticity
# ---------------------------------------------------------------------------


def _tsodyks_markram_ode(spike_times_ms, U, tau_rec_ms, tau_facil_ms):
    """u, x just before each spike, from the model's ODEs integrated by solve_ivp between spikes.

    The ODE form: dx/dt = (1 - x) / tau_rec, du/dt = -u / tau_facil between spikes
    (u held at U without facilitation); at a spike u += U (1 - u) (with facilitation),
    then the efficacy u x is used and x -= u x.
    """
    u, x = (0.0 if tau_facil_ms else U), 1.0
    us, xs = [], []
    previous = spike_times_ms[0]
    for t in spike_times_ms:
        if t > previous:
            def rhs(_, y):
                return [-y[0] / tau_facil_ms if tau_facil_ms else 0.0, (1.0 - y[1]) / tau_rec_ms]

            solution = solve_ivp(rhs, (previous, t), [u, x], method="DOP853", rtol=1e-12, atol=1e-14)
            u, x = solution.y[:, -1]
        if tau_facil_ms:
            u = u + U * (1.0 - u)
        us.append(u)
        xs.append(x)
        x = x - u * x
        previous = t
    return np.array(us), np.array(xs)


@pytest.mark.parametrize(
    "U, tau_rec_ms, tau_facil_ms",
    [(0.4, 100.0, 50.0), (0.5, 800.0, 0.0), (0.05, 50.0, 1000.0)],
    ids=["mixed", "depressing", "facilitating"],
)
def test_tsodyks_markram_matches_its_ode_integrated_by_solve_ivp(U, tau_rec_ms, tau_facil_ms):
    # Tolerance: the reference is integrated to rtol 1e-12; 1e-9 leaves room for it.
    spikes = np.sort(np.random.default_rng(4).uniform(0.0, 1000.0, 40))
    result = tsodyks_markram(spikes, U, tau_rec_ms, tau_facil_ms)
    u, x = _tsodyks_markram_ode(spikes, U, tau_rec_ms, tau_facil_ms)
    assert np.allclose(result.u, u, rtol=1e-9, atol=1e-12)
    assert np.allclose(result.x, x, rtol=1e-9, atol=1e-12)
    assert np.allclose(result.efficacy, u * x, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    "rate_hz, U, tau_rec_ms, tau_facil_ms",
    [(20.0, 0.5, 800.0, 0.0), (50.0, 0.7, 400.0, 0.0), (20.0, 0.1, 100.0, 1000.0), (40.0, 0.05, 50.0, 500.0)],
)
def test_tsodyks_markram_regular_train_reaches_analytic_steady_state(rate_hz, U, tau_rec_ms, tau_facil_ms):
    spikes = np.arange(0.0, 20_000.0, 1000.0 / rate_hz)
    result = tsodyks_markram(spikes, U, tau_rec_ms, tau_facil_ms)
    steady = tsodyks_markram_steady_state(rate_hz, U, tau_rec_ms, tau_facil_ms)
    assert result.u[-1] == pytest.approx(steady.u, rel=1e-9)
    assert result.x[-1] == pytest.approx(steady.x, rel=1e-9)
    assert result.efficacy[-1] == pytest.approx(steady.efficacy, rel=1e-9)


def test_depression_and_facilitation_change_efficacy_in_opposite_directions():
    spikes = np.arange(0.0, 200.0, 20.0)
    depressing = tsodyks_markram(spikes, 0.5, 800.0).efficacy
    facilitating = tsodyks_markram(spikes, 0.05, 50.0, 1000.0).efficacy
    assert np.all(np.diff(depressing) < 0)
    assert facilitating[-1] > 2 * facilitating[0]


def test_depression_steady_state_high_rate_limit():
    # without facilitation the efficacy falls as 1/f: u x -> (1/f) / tau_rec
    steady = tsodyks_markram_steady_state(1000.0, 0.5, 800.0)
    assert steady.u == 0.5
    assert steady.efficacy == pytest.approx(1.0 / 800.0, rel=2e-3)


def test_tsodyks_markram_input_checks():
    with pytest.raises(ValueError, match="sorted"):
        tsodyks_markram([10.0, 5.0], 0.5, 100.0)
    with pytest.raises(ValueError, match="U"):
        tsodyks_markram([1.0], 0.0, 100.0)
    with pytest.raises(ValueError, match="tau_facil_ms"):
        tsodyks_markram([1.0], 0.5, 100.0, -1.0)
    with pytest.raises(ValueError, match="rate_hz"):
        tsodyks_markram_steady_state(0.0, 0.5, 100.0)
    assert tsodyks_markram([], 0.5, 100.0).efficacy.shape == (0,)


def test_exponential_propagator():
    assert Exponential(5.0).propagator(0.1)[0, 0] == pytest.approx(math.exp(-0.1 / 5.0))
    p = Biexponential(1.0, 5.0).propagator(0.1)
    assert p[0, 1] == 0.0 and p[1, 0] == pytest.approx(biexponential_kernel(0.1, 1.0, 5.0), rel=1e-12)


# ---------------------------------------------------------------------------
# Quantal (binomial) release
# ---------------------------------------------------------------------------


def test_failures_are_the_most_likely_outcome_exactly_when_n_plus_one_times_p_is_below_one():
    """The statement on the Synapses 1 page, checked on the binomial pmf of scipy.

    "Np < 1" is not enough: N = 1, p = 0.7 has Np < 1 but succeeds 70 % of the time.
    """
    from scipy.stats import binom

    for n in range(1, 21):
        for p in np.linspace(0.01, 0.99, 99):
            pmf = binom.pmf(np.arange(n + 1), n, p)
            failure_is_mode = bool(np.all(pmf[0] > pmf[1:]))
            if abs((n + 1) * p - 1) > 1e-9:
                assert failure_is_mode == ((n + 1) * p < 1), (n, p)
    assert binom.pmf(0, 1, 0.7) == pytest.approx(0.3)


def test_binomial_release_matches_the_binomial_distribution():
    from scipy.stats import binom

    n_trials = 40_000
    for n, p, q in [(1, 0.7, 0.2), (5, 0.3, 0.2), (5, 0.9, 0.5), (3, 0.2, 1.0)]:
        run = binomial_release(n, p, n_trials, quantal_size=q, rng=1)
        assert run.quanta.shape == run.amplitude.shape == (n_trials,)
        np.testing.assert_allclose(run.amplitude, run.quanta * q)
        frequencies = np.bincount(run.quanta, minlength=n + 1) / n_trials
        pmf = binom.pmf(np.arange(n + 1), n, p)
        # three standard errors of a frequency estimated from n_trials draws
        assert np.all(np.abs(frequencies - pmf) <= 3 * np.sqrt(pmf * (1 - pmf) / n_trials) + 1e-12)
        assert (np.argmax(frequencies) == 0) == ((n + 1) * p < 1)
        assert run.amplitude.mean() == pytest.approx(n * p * q, rel=0.03)
        assert run.amplitude.var() == pytest.approx(n * p * (1 - p) * q**2, rel=0.05)


def test_binomial_release_is_seeded_and_checks_its_input():
    np.testing.assert_array_equal(binomial_release(4, 0.5, 100, rng=3).quanta,
                                  binomial_release(4, 0.5, 100, rng=3).quanta)
    with pytest.raises(ValueError, match="n_sites"):
        binomial_release(0, 0.5, 10)
    with pytest.raises(ValueError, match="n_trials"):
        binomial_release(2, 0.5, 2.5)
    with pytest.raises(ValueError, match="release_probability"):
        binomial_release(2, 1.5, 10)


# ---------------------------------------------------------------------------
# NMDA: Mg2+ block (Jahr & Stevens 1990) x biexponential kernel x driving force
# ---------------------------------------------------------------------------

from neuro4ml.models.synapses import mg_block, nmda_current  # noqa: E402


def test_mg_block_published_constants():
    """Jahr & Stevens 1990: K(0 mV) = 3.57 mM and an e-fold change per 1/0.062 = 16.1 mV."""
    assert mg_block(0.0, 3.57) == pytest.approx(0.5)
    assert mg_block(0.0, 1.0) == pytest.approx(1 / (1 + 1 / 3.57))
    v_half = np.log(1.0 / 3.57) / 0.062  # -20.5 mV at 1 mM
    assert v_half == pytest.approx(-20.5, abs=0.05)
    assert mg_block(v_half, 1.0) == pytest.approx(0.5)
    # Blocked/unblocked odds change e-fold per 16.13 mV.
    odds = lambda v: (1 - mg_block(v, 1.0)) / mg_block(v, 1.0)  # noqa: E731
    assert odds(-60.0) / odds(-60.0 + 1 / 0.062) == pytest.approx(np.e)
    assert np.all(mg_block(np.linspace(-100, 50, 7), 0.0) == 1.0)
    assert mg_block(-65.0, 1.0) < 0.06 and mg_block(-65.0, 2.0) < mg_block(-65.0, 1.0)


def test_nmda_current_is_kernel_times_block_times_driving_force():
    t = np.arange(4000) * 0.1
    tr, td = 2.0, 100.0
    peak = tr * td / (td - tr) * np.log(td / tr)
    kernel = lambda s: np.where(s >= 0, np.exp(-s / td) - np.exp(-s / tr), 0.0) / (np.exp(-peak / td) - np.exp(-peak / tr))  # noqa: E731
    for v in (-70.0, -30.0, 20.0):
        g, current = nmda_current([10.0, 50.0], v, duration_ms=400.0, dt_ms=0.1, weight=2.0)
        expected_g = 2.0 * (kernel(t - 10.0) + kernel(t - 50.0))
        assert np.allclose(g, expected_g, atol=1e-9)
        block = 1 / (1 + np.exp(-0.062 * v) / 3.57)
        assert np.allclose(current, expected_g * block * (0.0 - v), atol=1e-9)


def test_nmda_peak_current_voltage_curve_has_a_negative_slope_region():
    """With Mg2+ the I-V curve is non-monotonic: inward current grows as V rises from -80 to about -25 mV."""
    v = np.arange(-90.0, 40.0, 1.0)
    peak_current = np.array([nmda_current([0.0], vv, duration_ms=50.0, dt_ms=0.5)[1].max() for vv in v])
    v_max = v[np.argmax(peak_current)]
    assert -35.0 < v_max < -15.0
    assert np.all(np.diff(peak_current[v < v_max]) > 0)  # negative slope conductance
    _, no_mg = nmda_current([0.0], -60.0, duration_ms=50.0, dt_ms=0.5, mg_mM=0.0)
    assert no_mg.max() > 10 * peak_current[v == -60.0][0]
    with pytest.raises(ValueError, match="shape"):
        nmda_current([0.0], np.zeros(3), duration_ms=50.0, dt_ms=0.5)
