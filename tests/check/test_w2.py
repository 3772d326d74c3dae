"""Week 2 checks: each typical mistake gets its own message, correct answers pass, the delay score is sound."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import trapezoid
from verdicts import assert_verdict as _assert_verdict
from verdicts import not_done
from verdicts import run_quietly as _run

from neuro4ml.check import w2
from neuro4ml.check.core import FAILED, NOT_IMPLEMENTED, PASSED
from neuro4ml.models.networks import Network, jeffress_estimate_delay_ms
from neuro4ml.models.spikes import delayed_pair_trains
from neuro4ml.models.synapses import (
    Instantaneous,
    biexponential_euler,
    biexponential_peak_time_ms,
    biexponential_trace,
    synaptic_trace,
)

SOURCE = Path(__file__).resolve().parents[2] / "content" / "exercises" / "w2-synapses-networks.md"


# ---------------------------------------------------------------------------
# Part 1a: Euler
# ---------------------------------------------------------------------------


def make_euler(
    *,
    semi_implicit=False,
    rise_rate=lambda tau_r, tau_d, dt: dt / tau_r,
    decay_rate=lambda tau_r, tau_d, dt: dt / tau_d,
    decay_sign=1.0,
    jump_into="x",
    late=False,
    first_jump=True,
):
    """The exercise's ``euler_biexponential`` with one deliberate mistake switched on (none: the correct answer).

    ``rise_rate`` and ``decay_rate`` give the factors a = dt/tau_r and b = dt/tau_d as
    the learner (mis)computed them.
    """

    def euler(spike_times_ms, tau_rise_ms, tau_decay_ms, duration_ms, dt_ms, weight=1.0):
        jumps = synaptic_trace(spike_times_ms, Instantaneous(), duration_ms=duration_ms, dt_ms=dt_ms, weight=weight)
        a = rise_rate(tau_rise_ms, tau_decay_ms, dt_ms)
        b = decay_rate(tau_rise_ms, tau_decay_ms, dt_ms)
        x = np.zeros(len(jumps))
        I = np.zeros(len(jumps))
        x[0] = jumps[0] if first_jump and jump_into in ("x", "both") else 0.0
        I[0] = jumps[0] if first_jump and jump_into in ("I", "both") else 0.0
        for k in range(len(jumps) - 1):
            jump = jumps[k] if late else jumps[k + 1]
            x[k + 1] = x[k] - a * x[k] + (jump if jump_into in ("x", "both") else 0.0)
            x_used = x[k + 1] if semi_implicit else x[k]
            I[k + 1] = I[k] + decay_sign * b * (x_used - I[k]) + (jump if jump_into in ("I", "both") else 0.0)
        return x, I

    return euler


def exact_instead(spike_times_ms, tau_rise_ms, tau_decay_ms, duration_ms, dt_ms, weight=1.0):
    return biexponential_trace(
        spike_times_ms, tau_rise_ms=tau_rise_ms, tau_decay_ms=tau_decay_ms, duration_ms=duration_ms,
        dt_ms=dt_ms, weight=weight,
    )


def library_euler(spike_times_ms, tau_rise_ms, tau_decay_ms, duration_ms, dt_ms, weight=1.0):
    """A correct answer written differently: the library's own integrator, returned as a list."""
    x, I = biexponential_euler(
        spike_times_ms, tau_rise_ms=tau_rise_ms, tau_decay_ms=tau_decay_ms, duration_ms=duration_ms,
        dt_ms=dt_ms, weight=weight,
    )
    return [list(x), list(I)]


def euler_with_nan(*args, **kwargs):
    x, I = make_euler()(*args, **kwargs)
    I[7:] = np.nan
    return x, I


EULER_CASES = {
    "correct": (make_euler(), PASSED, "equal time constants, 3 ms, one spike at 5 ms, dt = 0.05 ms: x and I match"),
    "correct, as lists": (library_euler, PASSED, "x and I match"),
    "semi-implicit": (make_euler(semi_implicit=True), FAILED, "you updated I with the new x (x[k + 1], a semi-implicit step)"),
    "missing 1/tau": (
        make_euler(rise_rate=lambda r, d, dt: dt, decay_rate=lambda r, d, dt: dt),
        FAILED,
        "the equations are missing their 1/tau factors",
    ),
    "missing 1/tau_rise": (make_euler(rise_rate=lambda r, d, dt: dt), FAILED, "missing its 1/tau_rise_ms factor"),
    "missing 1/tau_decay": (make_euler(decay_rate=lambda r, d, dt: dt), FAILED, "missing its 1/tau_decay_ms factor"),
    "dt in seconds": (
        make_euler(rise_rate=lambda r, d, dt: dt / 1000 / r, decay_rate=lambda r, d, dt: dt / 1000 / d),
        FAILED,
        "the time step was converted to seconds",
    ),
    "times tau": (
        make_euler(rise_rate=lambda r, d, dt: dt * r, decay_rate=lambda r, d, dt: dt * d),
        FAILED,
        "multiplied by the time constants instead of divided",
    ),
    "swapped time constants": (
        make_euler(rise_rate=lambda r, d, dt: dt / d, decay_rate=lambda r, d, dt: dt / r),
        FAILED,
        "tau_rise_ms and tau_decay_ms are swapped",
    ),
    "sign of dI/dt": (make_euler(decay_sign=-1.0), FAILED, "the sign of dI/dt is reversed"),
    "jump into I": (make_euler(jump_into="I"), FAILED, "the spike jump was added to I instead of x"),
    "jump into both": (make_euler(jump_into="both"), FAILED, "the spike jump was added to both x and I"),
    "no jumps": (make_euler(jump_into=None), FAILED, "x and I stay 0 all the time: the spikes never enter"),
    "jump one step late": (make_euler(late=True), FAILED, "each spike's jump arrives one step late"),
    "first spike lost": (make_euler(first_jump=False), FAILED, "the spike at t = 0 is missing"),
    "exact solution": (exact_instead, FAILED, "this is the exact solution, not forward Euler"),
    "swapped return": (lambda *a, **k: make_euler()(*a, **k)[::-1], FAILED, "x and I are swapped in what you return"),
    "returns I only": (lambda *a, **k: make_euler()(*a, **k)[1], FAILED, "returned an array of shape (400,); it should return two arrays"),
    "returns three": (lambda *a, **k: (*make_euler()(*a, **k), 0), FAILED, "returned 3 values"),
    "returns None": (lambda *a, **k: None, FAILED, "your euler_biexponential returned nothing (None)"),
    "one step short": (
        lambda *a, **k: tuple(v[:-1] for v in make_euler()(*a, **k)),
        FAILED,
        "expected x to have one value per time step (400), got 399",
    ),
    "NaN": (euler_with_nan, FAILED, "I contains NaN (first at index (7,))"),
    "raises inside": (lambda *a, **k: 1 / 0, FAILED, "your euler_biexponential raised ZeroDivisionError"),
    "not implemented": (not_done, NOT_IMPLEMENTED, "euler_biexponential is not implemented yet"),
    "placeholder": (..., NOT_IMPLEMENTED, "euler_biexponential is not written yet"),
}


@pytest.mark.parametrize("case", EULER_CASES)
def test_each_euler_mistake_gets_its_own_message(case):
    euler, status, message = EULER_CASES[case]
    _assert_verdict(_run(w2.check_euler, euler), status, message)


def test_the_checks_euler_reproduces_the_library():
    """The check's generic Euler helper, given the library's matrix, is the library's integrator."""
    for case in w2._euler_cases():
        got = w2._forward_euler(case.matrix(), case.kicks(), case.dt_ms)
        expected = biexponential_euler(list(case.spike_times_ms), **case.kwargs)
        assert np.allclose(got, expected, rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------------------
# Part 1b: the right-hand side
# ---------------------------------------------------------------------------


def derivatives(t_ms, state, tau_rise_ms, tau_decay_ms):
    x, I = state
    return np.array([-x / tau_rise_ms, (x - I) / tau_decay_ms])


DERIVATIVE_CASES = {
    "correct": (derivatives, PASSED, "(dx/dt, dI/dt) = (-0.2, -0.15)"),
    "a tuple": (lambda t, s, r, d: (-s[0] / r, (s[0] - s[1]) / d), PASSED, "(dx/dt, dI/dt) = (-0.5, 0.1)"),
    "reversed": (lambda t, s, r, d: derivatives(t, s, r, d)[::-1], FAILED, "the two derivatives are in the wrong order"),
    "missing 1/tau": (lambda t, s, r, d: np.array([-s[0], s[0] - s[1]]), FAILED, "missing their 1/tau factors"),
    "swapped": (lambda t, s, r, d: derivatives(t, s, d, r), FAILED, "tau_rise_ms and tau_decay_ms are swapped"),
    "sign of dx/dt": (lambda t, s, r, d: np.array([s[0] / r, (s[0] - s[1]) / d]), FAILED, "the sign of dx/dt is reversed"),
    "three values": (lambda t, s, r, d: np.zeros(3), FAILED, "expected two numbers (dx/dt, dI/dt), got 3"),
    "wrong values": (lambda t, s, r, d: np.ones(2), FAILED, "expected (dx/dt, dI/dt) = (-0.5, 0.1), got (1, 1)"),
    "NaN": (lambda t, s, r, d: np.array([np.nan, 0.0]), FAILED, "contains NaN"),
    "not implemented": (not_done, NOT_IMPLEMENTED, "biexponential_derivatives is not implemented yet"),
}


@pytest.mark.parametrize("case", DERIVATIVE_CASES)
def test_each_derivative_mistake_gets_its_own_message(case):
    function, status, message = DERIVATIVE_CASES[case]
    _assert_verdict(_run(w2.check_derivatives, function), status, message)


# ---------------------------------------------------------------------------
# Part 1c: peak delays
# ---------------------------------------------------------------------------

FORMULA = np.array([[biexponential_peak_time_ms(r, d) for d in w2.TAU_DECAY_VALUES_MS] for r in w2.TAU_RISE_VALUES_MS])


@functools.lru_cache(maxsize=1)
def measured_peaks(dt_ms=0.05):
    """Peak times measured from the library's Euler integrator, as the exercise asks."""
    return np.array([
        [
            np.argmax(biexponential_euler([0.0], tau_rise_ms=r, tau_decay_ms=d, duration_ms=40.0, dt_ms=dt_ms)[1]) * dt_ms
            for d in w2.TAU_DECAY_VALUES_MS
        ]
        for r in w2.TAU_RISE_VALUES_MS
    ])


def exact_samples_peaks(dt_ms=0.05):
    return np.array([
        [
            np.argmax(biexponential_trace([0.0], tau_rise_ms=r, tau_decay_ms=d, duration_ms=40.0, dt_ms=dt_ms)[1]) * dt_ms
            for d in w2.TAU_DECAY_VALUES_MS
        ]
        for r in w2.TAU_RISE_VALUES_MS
    ])


def test_the_euler_measurement_is_the_formula_put_early_by_at_most_a_few_steps():
    """Independent reference: forward Euler peaks before t*, by less than 0.11 ms plus a sample at dt = 0.05 ms."""
    early = FORMULA - measured_peaks()
    assert np.all(early >= -0.025) and np.all(early <= 0.11 + 0.05)


PEAK_CASES = {
    "measured with Euler": (measured_peaks, PASSED, "they range from 2.50 ms to 23.75 ms"),
    "the formula": (lambda: FORMULA, FAILED, "these are the values of the formula t*, not measurements"),
    "rounded formula": (lambda: np.round(FORMULA, 2), FAILED, "differ from the Euler measurement"),
    "exact samples": (exact_samples_peaks, FAILED, "these are the peaks of the exact solution's samples"),
    "coarser step": (lambda: measured_peaks(0.1), FAILED, "these are Euler measurements with dt = 0.1 ms"),
    "transposed": (lambda: FORMULA.T, FAILED, "the transpose of the expected (9, 10)"),
    "wrong shape": (lambda: FORMULA[:, :5], FAILED, "expected peak_delays_ms to have shape (9, 10)"),
    "in steps": (
        lambda: np.round(measured_peaks() / 0.05),
        FAILED,
        "numbers of time steps of 0.05 ms, not ms: for tau_rise = 1 ms and tau_decay = 10 ms you give 50, which is 2.50 ms",
    ),
    "in steps of 0.1 ms": (lambda: np.round(measured_peaks(0.1) / 0.1), FAILED, "numbers of time steps of 0.1 ms"),
    "in seconds": (lambda: measured_peaks() / 1000, FAILED, "the peak times are in seconds, not ms"),
    "peak of x": (lambda: np.zeros((9, 10)), FAILED, "every peak delay is 0"),
    "too early": (lambda: measured_peaks() - 0.4, FAILED, "90 of 90 peak delays differ from the Euler measurement"),
    "one wrong": (
        lambda: np.where(FORMULA == FORMULA.max(), 30.0, measured_peaks()),
        FAILED,
        "1 of 90 peak delays differ from the Euler measurement with dt = 0.05 ms; the worst, for tau_rise = 9 ms and tau_decay = 100 ms",
    ),
    "placeholder": (lambda: ..., NOT_IMPLEMENTED, "peak_delays_ms is not answered yet"),
}


@pytest.mark.parametrize("case", PEAK_CASES)
def test_check_peak_delays(case):
    make, status, message = PEAK_CASES[case]
    _assert_verdict(_run(w2.check_peak_delays, make()), status, message)


# ---------------------------------------------------------------------------
# Part 1d: the delay population
# ---------------------------------------------------------------------------

RISE = np.array([0.5, 1.0, 2.0, 4.0, 8.0])
DECAY = 5.0 * RISE
WEIGHTS = 1.05 / w2.delay_population(RISE, DECAY, np.ones(5)).v.max(axis=1)

POPULATION_CASES = {
    "designed": ((RISE, DECAY, WEIGHTS), PASSED, "5 neurons fire once each, at 3.9 to 22.5 ms"),
    "as lists": ((list(RISE), list(DECAY), list(WEIGHTS)), PASSED, "neuron 4 (tau_rise = 8 ms, tau_decay = 40 ms"),
    "too weak": (
        (RISE, DECAY, np.where(RISE == 2.0, 1.5, WEIGHTS)), FAILED,
        "neuron 2 (tau_rise = 2 ms, tau_decay = 10 ms, weight 1.5) never fires: its V peaks at 0.805",
    ),
    "too strong": (
        (RISE, DECAY, np.where(RISE == 8.0, 4.0, WEIGHTS)), FAILED,
        "neuron 4 (tau_rise = 8 ms, tau_decay = 40 ms, weight 4) fires 15 times",
    ),
    "two alike": ((np.r_[RISE, 2.0], np.r_[DECAY, 10.0], np.r_[WEIGHTS, WEIGHTS[2]]), FAILED, "neurons 2 and 5 fire only 0.00 ms apart"),
    "too few": ((RISE[:3], DECAY[:3], WEIGHTS[:3]), FAILED, "the population has 3 neurons; use at least 5"),
    "lengths differ": ((RISE, DECAY[:4], WEIGHTS), FAILED, "population_tau_decay_ms 4"),
    "rise above decay": ((DECAY, RISE, WEIGHTS), FAILED, "neuron 0: tau_rise = 2.5 ms is longer than tau_decay = 0.5 ms"),
    "negative weight": ((RISE, DECAY, -WEIGHTS), FAILED, "population_weights[0] = -"),
    "huge weights": ((RISE, DECAY, np.full(5, 1e308)), FAILED, "the simulation cannot run with these time constants and weights"),

    "placeholder": ((..., ..., ...), NOT_IMPLEMENTED, "population_tau_rise_ms is not answered yet"),
}


def test_a_negative_time_constant_gets_a_hint_about_time_constants():
    result = _run(w2.check_delay_population, -RISE, DECAY, WEIGHTS)
    _assert_verdict(result, FAILED, "population_tau_rise_ms[0] = -0.5")
    assert "a duration in ms, > 0" in result.hint and "weight" not in result.hint


@pytest.mark.parametrize("case", POPULATION_CASES)
def test_check_delay_population(case):
    params, status, message = POPULATION_CASES[case]
    _assert_verdict(_run(w2.check_delay_population, *params), status, message)


def test_the_suggested_weight_makes_a_silent_neuron_fire_once():
    """The hint's weight (V is linear in the weight below threshold) is just enough."""
    result = _run(w2.check_delay_population, RISE, DECAY, np.where(RISE == 2.0, 1.5, WEIGHTS))
    suggested = float(result.hint.split("a weight above ")[1].split(" ")[0])
    weights = np.where(RISE == 2.0, 1.01 * suggested, WEIGHTS)
    assert [t.size for t in w2.delay_population(RISE, DECAY, weights).spike_times_ms] == [1] * 5


# ---------------------------------------------------------------------------
# Part 2a: the order-sensitive network
# ---------------------------------------------------------------------------


def make_order_network(
    excitation=lambda w: w * np.eye(2),
    lateral=lambda h: -h * (1 - np.eye(2)),
    *,
    fixed=None,
    use_synapse=True,
    slow_excitation=False,
    returns=True,
):
    """The exercise's ``order_network`` with its weight matrices (mis)written; ``fixed`` ignores arguments."""
    fixed = fixed or {}

    def order_network(input_spike_times_ms, weight=1.5, inhibition=3.0, tau_ms=10.0, inhibitory_synapse=Instantaneous()):
        weight, inhibition, tau_ms = (fixed.get(n, v) for n, v in (("weight", weight), ("inhibition", inhibition), ("tau_ms", tau_ms)))
        net = Network()
        net.add_input("input", input_spike_times_ms)
        net.add_group("output", 2, tau_ms=tau_ms)
        excitatory_synapse = inhibitory_synapse if slow_excitation else Instantaneous()
        net.connect("input", "output", excitation(weight), synapse=excitatory_synapse, name="excitation")
        synapse = inhibitory_synapse if use_synapse else Instantaneous()
        net.connect("output", "output", lateral(inhibition), synapse=synapse, name="inhibition")
        return net if returns else None

    return order_network


ORDER_CASES = {
    "correct": (make_order_network(), PASSED, "the inhibition of output 1 builds up gradually"),
    "crossed excitation": (
        make_order_network(excitation=lambda w: w * (1 - np.eye(2))),
        FAILED,
        "input 0 made output 1 fire instead of output 0: the excitatory connections are crossed",
    ),
    "excites both": (make_order_network(excitation=lambda w: w * np.ones((2, 2))), FAILED, "input 0 made both outputs fire"),
    "excitation too weak": (
        make_order_network(excitation=lambda w: 0.5 * w * np.eye(2)),
        FAILED,
        "input 0 did not make output 0 fire at once: its V only jumped to 0.75",
    ),
    "one input unconnected": (
        make_order_network(excitation=lambda w: np.diag([w, 0.0])),
        FAILED,
        "input 1 did not make output 1 fire at once: no excitatory connection reaches it",
    ),
    "self-inhibition": (make_order_network(lateral=lambda h: -h * np.eye(2)), FAILED, "output 0 inhibits itself"),
    "all-to-all inhibition": (make_order_network(lateral=lambda h: -h * np.ones((2, 2))), FAILED, "output 0 inhibits itself"),
    "no inhibition": (
        make_order_network(lateral=lambda h: np.zeros((2, 2))),
        FAILED,
        "output 1 receives no inhibition when output 0 fires: its V stays at 0 (expected -3)",
    ),
    "excitatory lateral weights": (
        make_order_network(lateral=lambda h: h * (1 - np.eye(2))),
        FAILED,
        "output 1 fired one step after output 0: the lateral connection excites instead of inhibiting",
    ),
    "weak lateral weights": (
        make_order_network(lateral=lambda h: -0.1 * h * (1 - np.eye(2))),
        FAILED,
        "output 0's spike moved output 1's V to -0.3, expected -3",
    ),
    "one-way inhibition": (
        make_order_network(lateral=lambda h: np.array([[0.0, -h], [0.0, 0.0]])),
        FAILED,
        "output 0 receives no inhibition when output 1 fires",
    ),
    "ignores weight": (make_order_network(fixed={"weight": 1.5}), FAILED, "ignores its weight argument: with weight=2.5"),
    "ignores inhibition": (make_order_network(fixed={"inhibition": 3.0}), FAILED, "expected -1.2 (an inhibition of 1.2)"),
    "ignores tau_ms": (make_order_network(fixed={"tau_ms": 10.0}), FAILED, "ignores its tau_ms argument"),
    "ignores the synapse": (make_order_network(use_synapse=False), FAILED, "the inhibitory_synapse argument is ignored"),
    "slow excitation too": (make_order_network(slow_excitation=True), FAILED, "the excitatory connection got the slow synapse too"),
    "returns None": (make_order_network(returns=False), FAILED, "your order_network returned nothing (None)"),
    "not implemented": (not_done, NOT_IMPLEMENTED, "order_network is not implemented yet"),
}


@pytest.mark.parametrize("case", ORDER_CASES)
def test_each_order_network_mistake_gets_its_own_message(case):
    order_network, status, message = ORDER_CASES[case]
    _assert_verdict(_run(w2.check_order_network, order_network), status, message)


# ---------------------------------------------------------------------------
# Part 2b: counts against delay
# ---------------------------------------------------------------------------


def make_counts(*, shared_rng=False, fixed=None, network=None, transform=lambda counts, duration_ms: counts):
    """The exercise's ``counts_vs_delay``, with one deliberate mistake switched on (none: correct)."""
    fixed = fixed or {}

    def counts_vs_delay(make_network, delays_ms, rate_hz=100.0, duration_ms=500.0, dt_ms=0.1, seed=0):
        rate_hz, duration_ms, dt_ms, seed = (
            fixed.get(n, v) for n, v in (("rate_hz", rate_hz), ("duration_ms", duration_ms), ("dt_ms", dt_ms), ("seed", seed))
        )
        rng = np.random.default_rng(seed) if shared_rng else seed
        make = network or make_network
        rows = []
        for delay in delays_ms:
            pair = delayed_pair_trains(rate_hz, duration_ms, delay, rng=rng)
            rows.append(make(pair).run(duration_ms, dt_ms=dt_ms).spike_counts("output"))
        return transform(np.array(rows), duration_ms)

    return counts_vs_delay


COUNT_CASES = {
    "correct": (make_counts(), PASSED, "delays -2 and 2 ms, default arguments: counts [[7, 46], [53, 0]]"),
    "transposed": (make_counts(transform=lambda c, T: c.T), FAILED, "the counts have shape (2, 6); expected (6, 2)"),
    "one output": (make_counts(transform=lambda c, T: c[:, 0]), FAILED, "expected counts of shape (6, 2) (delays, outputs), got (6,)"),
    "swapped columns": (make_counts(transform=lambda c, T: c[:, ::-1]), FAILED, "the two columns are swapped"),
    "rates": (make_counts(transform=lambda c, T: c * 1000.0 / T), FAILED, "these are firing rates in Hz"),
    "shared generator": (make_counts(shared_rng=True), FAILED, "one random generator was shared by all the delays"),
    "ignores make_network": (make_counts(network=make_order_network()), FAILED, "the counts are those of the default network"),
    "ignores seed": (make_counts(fixed={"seed": 0}), FAILED, "ignores its seed argument"),
    "ignores duration": (make_counts(fixed={"duration_ms": 500.0}), FAILED, "ignores its duration_ms argument"),
    "ignores rate": (make_counts(fixed={"rate_hz": 100.0}), FAILED, "ignores its rate_hz argument"),
    "ignores dt": (make_counts(fixed={"dt_ms": 0.1}), FAILED, "ignores its dt_ms argument"),
    "not implemented": (not_done, NOT_IMPLEMENTED, "counts_vs_delay is not implemented yet"),
}


@pytest.mark.parametrize("case", COUNT_CASES)
def test_each_counts_mistake_gets_its_own_message(case):
    counts_vs_delay, status, message = COUNT_CASES[case]
    _assert_verdict(_run(w2.check_counts_vs_delay, counts_vs_delay), status, message)


# ---------------------------------------------------------------------------
# Part 3: ambiguity width and the sweep
# ---------------------------------------------------------------------------


def preference(counts):
    total = counts[:, 0] + counts[:, 1]
    return np.divide(counts[:, 0] - counts[:, 1], total, out=np.zeros(len(total)), where=total > 0)


def width(delays_ms, counts):
    return (delays_ms[1] - delays_ms[0]) * np.sum(1 - np.abs(preference(counts)))


WIDTH_CASES = {
    "correct": (width, PASSED, "silent at -2 ms: W = 10.38 ms"),
    "trapezoid rule": (lambda d, c: trapezoid(1 - np.abs(preference(c)), d), PASSED, "W = 9.962 ms"),
    "in delays": (lambda d, c: np.sum(1 - np.abs(preference(c))), FAILED, "the width is in numbers of delays, not ms"),
    "mean": (lambda d, c: np.mean(1 - np.abs(preference(c))), FAILED, "this is the mean of 1 - |P|"),
    "no absolute value": (lambda d, c: (d[1] - d[0]) * np.sum(1 - preference(c)), FAILED, "the absolute value of P is missing"),
    "certainty": (lambda d, c: (d[1] - d[0]) * np.sum(np.abs(preference(c))), FAILED, "this sums |P|, the certainty"),
    "spacing taken as the whole range": (
        lambda d, c: (d[-1] - d[0]) * np.sum(1 - np.abs(preference(c))),
        FAILED,
        "the spacing was taken as the whole range of the delays",
    ),
    "rows": (lambda d, c: width(np.array([0.0, d[1] - d[0]]), c[:2].T), FAILED, "you read the rows counts[0] and counts[1]"),
    "0/0": (
        lambda d, c: (d[1] - d[0]) * np.sum(1 - np.abs((c[:, 0] - c[:, 1]) / (c[:, 0] + c[:, 1]))), FAILED, "the returned width is nan",
    ),
    "array": (lambda d, c: 1 - np.abs(preference(c)), FAILED, "expected the returned width to be one number, got an array of shape (9,)"),
    "not implemented": (not_done, NOT_IMPLEMENTED, "ambiguity_width_ms is not implemented yet"),
}


@pytest.mark.parametrize("case", WIDTH_CASES)
def test_each_width_mistake_gets_its_own_message(case):
    function, status, message = WIDTH_CASES[case]
    _assert_verdict(_run(w2.check_ambiguity_width, function), status, message)


def synthetic_curves(widths_ms, delays_ms, spikes=150):
    """Tuning curves whose preference is a linear ramp of the given half-widths."""
    curves = []
    for half_width in widths_ms:
        p = np.clip(delays_ms / half_width, -1.0, 1.0)
        n0 = np.round(spikes * (1 + p) / 2)
        curves.append(np.stack([n0, spikes - n0], axis=1))
    return np.array(curves)


DELAYS = np.arange(-10.0, 10.5, 1.0)
TAUS = [1.0, 3.0, 10.0, 30.0]

#: Tuning curves of the exercise's sweep, computed once with the exercise's solution (Network, the
#: slow inhibitory synapse, counts summed over seeds 0-2; about 2 minutes): the sum, each seed
#: alone, and the sum with a peak-normalised inhibitory synapse.
SWEEP = np.load(Path(__file__).parent / "data" / "inhibition_sweep.npz")


def test_the_stored_sweep_is_the_sum_of_its_seeds():
    assert np.array_equal(SWEEP["summed"], SWEEP["seed0"] + SWEEP["seed1"] + SWEEP["seed2"])


SWEEP_CASES = {
    "the exercise's sweep": ((TAUS, DELAYS, SWEEP["summed"]), PASSED, "widens the ambiguous zone from 1.9 ms to 15.9 ms"),
    "time constants in another order": (
        (TAUS[::-1], DELAYS, SWEEP["summed"][::-1]), PASSED, "widens the ambiguous zone from 1.9 ms to 15.9 ms",
    ),
    "as a list of lists": ((TAUS, list(DELAYS), SWEEP["summed"].tolist()), PASSED, "widens"),
    "peak-normalised synapse": (
        (TAUS, DELAYS, SWEEP["normalised"]), FAILED, "these are the widths with a peak-normalised inhibitory synapse",
    ),
    **{
        f"seed {seed} only": ((TAUS, DELAYS, SWEEP[f"seed{seed}"]), FAILED, "they look like one seed rather than the sum over three")
        for seed in range(3)
    },
    "last time constant everywhere": (
        (TAUS, DELAYS, np.array([SWEEP["summed"][-1]] * 4)), FAILED, "every curve is that of the slowest inhibition",
    ),
    "widening, but not the network's": (
        (TAUS, DELAYS, synthetic_curves([0.5, 2.0, 5.0, 9.0], DELAYS)), FAILED, "your ambiguity widths are",
    ),
    "flat": ((TAUS, DELAYS, synthetic_curves([3.0, 3.0, 3.2, 3.1], DELAYS)), FAILED, "the width does not change"),
    "wrong shape": (
        (TAUS, DELAYS, SWEEP["summed"][:3]), FAILED, "expected tuning_curves of shape (time constants, delays, outputs) = (4, 21, 2)",
    ),
    "two taus": (
        (TAUS[:2], DELAYS, SWEEP["summed"][:2]), FAILED,
        "the check compares with reference values for the exercise's time constants, 1, 3, 10, 30 ms",
    ),
    "no taus": (([], DELAYS, np.zeros((0, 21, 2))), FAILED, "inhibition_taus_ms is none"),
    "narrow delays": ((TAUS, DELAYS[8:13], SWEEP["summed"][:, 8:13]), FAILED, "-10 to 10 ms in steps of 1 ms"),
    "rates": ((TAUS, DELAYS, SWEEP["summed"] / 1.5), FAILED, "whole numbers"),
    "NaN": ((TAUS, DELAYS, SWEEP["summed"] * np.nan), FAILED, "tuning_curves contains NaN"),
    "placeholder": ((TAUS, DELAYS, ...), NOT_IMPLEMENTED, "tuning_curves is not answered yet"),
}


@pytest.mark.parametrize("case", SWEEP_CASES)
def test_check_inhibition_sweep(case):
    params, status, message = SWEEP_CASES[case]
    _assert_verdict(_run(w2.check_inhibition_sweep, *params), status, message)


# ---------------------------------------------------------------------------
# Part 4: the delay estimator and its score
# ---------------------------------------------------------------------------


def jeffress(input_spike_times_ms, duration_ms):
    return jeffress_estimate_delay_ms(input_spike_times_ms, duration_ms=duration_ms)


def test_score_is_deterministic_and_prefers_a_good_estimator():
    good = w2.score_delay_estimator(jeffress)
    assert good == w2.score_delay_estimator(jeffress)
    assert good < 0.5 < w2.DELAY_PASS_MAE_MS
    assert w2.score_delay_estimator(lambda pair, duration_ms: 0.0) > 4 * w2.DELAY_PASS_MAE_MS


ESTIMATOR_CASES = {
    "Jeffress": (jeffress, PASSED, "held-out mean absolute error 0.42 ms over 30 trials (target 1 ms): well done"),
    "always zero": (lambda pair, duration_ms: 0.0, FAILED, "held-out mean absolute error 4.07 ms"),
    "wrong sign": (lambda pair, duration_ms: -jeffress(pair, duration_ms), FAILED, "the estimates have the wrong sign"),
    "in steps": (lambda pair, duration_ms: 10 * jeffress(pair, duration_ms), FAILED, "the estimates look like steps of 0.1 ms, not ms"),
    "an array": (lambda pair, duration_ms: np.zeros(3), FAILED, "expected the estimated delay to be one number"),
    "NaN": (lambda pair, duration_ms: np.nan, FAILED, "the estimated delay is nan"),
    "raises inside": (lambda pair, duration_ms: pair[2], FAILED, "your estimate_delay raised IndexError"),
    "not implemented": (not_done, NOT_IMPLEMENTED, "estimate_delay is not implemented yet"),
}


@pytest.mark.parametrize("case", ESTIMATOR_CASES)
def test_check_delay_estimator(case):
    estimator, status, message = ESTIMATOR_CASES[case]
    _assert_verdict(_run(w2.check_delay_estimator, estimator), status, message)


def test_an_estimator_failing_on_a_held_out_trial_gets_a_message():
    """The practice trials all have 7 or more spikes in input 0; one held-out trial has 2."""

    def fragile(pair, duration_ms):
        if len(pair[0]) < 5:
            raise ValueError("too few spikes")
        return jeffress(pair, duration_ms)

    _assert_verdict(_run(w2.check_delay_estimator, fragile), FAILED, "your estimate_delay raised ValueError: too few spikes")


def _good_on_practice(answer):
    """Right on the trials with 5 or more spikes in input 0 (every practice trial), ``answer`` on the others."""

    def estimator(pair, duration_ms):
        return jeffress(pair, duration_ms) if len(pair[0]) >= 5 else answer

    return estimator


@pytest.mark.parametrize(
    "answer, message",
    [
        (np.nan, "the estimated delay on a held-out trial is nan"),
        (None, "your estimate_delay returned nothing (None)"),
        (np.inf, "the estimated delay on a held-out trial is inf"),
        ("3.0", "expected the estimated delay on a held-out trial to be one number, got text (str '3.0')"),
    ],
)
def test_every_held_out_answer_is_validated(answer, message):
    """A NaN on a held-out trial used to pass (NaN > 1.0 is false), a None to be a "check error"."""
    _assert_verdict(_run(w2.check_delay_estimator, _good_on_practice(answer)), FAILED, message)


# ---------------------------------------------------------------------------
# The exercise source: its solutions pass, its templates are "not implemented"
# ---------------------------------------------------------------------------


def _exercise_namespace(transform):
    """Run the exercise's import cell and its function cells, transformed (solution or student)."""
    jupytext = pytest.importorskip("jupytext")
    from neuro4ml.course import notebooks

    notebook = jupytext.read(SOURCE, fmt="md:myst")
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    namespace = {}
    exec(code[0], namespace)
    for source in code[1:]:
        if source.startswith("def "):
            exec(getattr(notebooks, transform)(source), namespace)
    return namespace


FUNCTION_CHECKS = {
    "euler_biexponential": w2.check_euler,
    "biexponential_derivatives": w2.check_derivatives,
    "order_network": w2.check_order_network,
    "counts_vs_delay": w2.check_counts_vs_delay,
    "ambiguity_width_ms": w2.check_ambiguity_width,
}


def test_the_exercise_solutions_pass_and_the_templates_are_not_implemented():
    solution = _exercise_namespace("solution_code")
    student = _exercise_namespace("student_code")
    for name, check in FUNCTION_CHECKS.items():
        assert _run(check, solution[name]).passed, name
        assert _run(check, student[name]).status == NOT_IMPLEMENTED, name
    assert _run(w2.check_delay_estimator, student["estimate_delay"]).status == NOT_IMPLEMENTED



def test_the_sweep_reference_is_computed_by_the_library_and_matches_the_measured_widths():
    """The widths that were hard-coded in the check (measured when the exercise was written) now come from
    tasks.w2.sweep_reference, which runs the network; it must reproduce them.
    """
    from neuro4ml.tasks.w2 import sweep_reference

    widths, spikes = sweep_reference()
    assert np.allclose(widths, (1.866, 3.322, 9.004, 15.899), atol=1e-3) and spikes == 12333
