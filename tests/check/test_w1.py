"""Week 1 checks: each typical mistake in a LIF neuron gets its own message; the fit score is sound."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import trapezoid

from neuro4ml.analysis.spike_statistics import mean_van_rossum_distance, van_rossum_distance
from neuro4ml.check import w1
from neuro4ml.check.core import FAILED, NOT_IMPLEMENTED, PASSED
from neuro4ml.models import neurons

SOURCE = Path(__file__).resolve().parents[2] / "content" / "exercises" / "w1-neurons.md"


def make_lif(
    *,
    euler=False,
    no_reset=False,
    record_after=False,
    short=False,
    spike_time=lambda k, dt_ms: (k + 1) * dt_ms,
    fixed=None,
    raster=False,
    decay=lambda dt_ms, tau_ms: np.exp(-dt_ms / tau_ms),
    swapped_weights=False,
):
    """The exercise's ``lif`` with one deliberate mistake switched on (none: the correct answer).

    ``fixed`` maps an argument name to the number used in its place (an ignored argument).
    """
    fixed = fixed or {}

    def lif(I, tau_ms=10.0, dt_ms=0.1, threshold=1.0, reset=0.0):
        tau_ms = fixed.get("tau_ms", tau_ms)
        reset = fixed.get("reset", reset)
        n = len(I) - 1 if short else len(I)
        V = 0.0
        V_rec = np.zeros(n)
        spikes = np.zeros(n)
        spike_times_ms = []
        for k in range(n):
            if not record_after:
                V_rec[k] = V
            if euler:
                V = V + dt_ms / tau_ms * (I[k] - V)
            elif swapped_weights:
                V = (1 - decay(dt_ms, tau_ms)) * V + decay(dt_ms, tau_ms) * I[k]
            else:
                V = I[k] + (V - I[k]) * decay(dt_ms, tau_ms)
            if V > threshold and not no_reset:
                spike_times_ms.append(spike_time(k, dt_ms))
                spikes[k] = 1
                V = reset
            if record_after:
                V_rec[k] = V
        return V_rec, (spikes if raster else np.array(spike_times_ms))

    return lif


def library_form(I, tau_ms=10.0, dt_ms=0.1, threshold=1.0, reset=0.0):
    """A correct answer written differently: the update as a weighted average, V = a V + (1 - a) I."""
    decay = np.exp(-dt_ms / tau_ms)
    V, V_rec, times = 0.0, [], []
    for k, current in enumerate(I):
        V_rec.append(V)
        V = decay * V + (1 - decay) * current
        if V > threshold:
            times.append((k + 1) * dt_ms)
            V = reset
    return np.array(V_rec), times


def not_done(I, tau_ms=10.0, dt_ms=0.1, threshold=1.0, reset=0.0):
    raise NotImplementedError("complete lif()")


def raises_inside(I, tau_ms=10.0, dt_ms=0.1, threshold=1.0, reset=0.0):
    steps_per_ms = 1 / (dt_ms - dt_ms)
    return np.zeros(len(I)), steps_per_ms


def nan_output(I, tau_ms=10.0, dt_ms=0.1, threshold=1.0, reset=0.0):
    V_rec, spike_times_ms = make_lif()(I, tau_ms, dt_ms, threshold, reset)
    V_rec[5:] = np.nan
    return V_rec, spike_times_ms


LIF_CASES = {
    "correct": (make_lif(), PASSED, "V_rec and the 10 spike time(s) match"),
    "correct, written as a weighted average": (
        library_form,
        PASSED,
        "threshold = 2, reset = 0.5, tau = 5 ms, dt = 0.25 ms: V_rec and the 14 spike time(s) match",
    ),
    "no reset": (
        make_lif(no_reset=True),
        FAILED,
        "V goes above the threshold and is never reset: V_rec reaches 1.5",
    ),
    "Euler step": (
        make_lif(euler=True),
        FAILED,
        "Euler step instead of the exact solution: error 1.5e-03 at dt=0.1 ms",
    ),
    "wrong sign of the exponent": (
        make_lif(decay=lambda dt_ms, tau_ms: np.exp(dt_ms / tau_ms)),
        FAILED,
        "V runs away from the input instead of settling at it: with the constant input 0.8, V_rec ends at -116.7",
    ),
    "weights swapped": (
        make_lif(swapped_weights=True),
        FAILED,
        "the two weights of the update are swapped",
    ),
    "tau in seconds": (
        make_lif(decay=lambda dt_ms, tau_ms: np.exp(-dt_ms / (tau_ms / 1000))),
        FAILED,
        "V moves 1000 times too fast: tau_ms was converted to seconds (0.01)",
    ),
    "dt in seconds": (
        make_lif(decay=lambda dt_ms, tau_ms: np.exp(-dt_ms / 1000 / tau_ms)),
        FAILED,
        "V moves 1000 times too slowly: dt_ms was converted to seconds (0.0001)",
    ),
    "one step short": (
        make_lif(short=True),
        FAILED,
        "V_rec is one step short: it has 499 values for 500 time steps",
    ),
    "recorded after the update": (
        make_lif(record_after=True),
        FAILED,
        "V_rec is recorded after the update instead of before",
    ),
    "spike times in steps": (
        make_lif(spike_time=lambda k, dt_ms: k + 1),
        FAILED,
        "spike times in steps, not ms",
    ),
    "spike times one step early": (
        make_lif(spike_time=lambda k, dt_ms: k * dt_ms),
        FAILED,
        "spike times are one step early",
    ),
    "spike times in seconds": (
        make_lif(spike_time=lambda k, dt_ms: (k + 1) * dt_ms / 1000),
        FAILED,
        "spike times in seconds, not ms",
    ),
    "spike raster": (make_lif(raster=True), FAILED, "spike_times_ms looks like a 0/1 raster"),
    "ignores tau_ms": (
        make_lif(fixed={"tau_ms": 10.0}),
        FAILED,
        "your lif ignores its tau_ms argument: with tau_ms=20 it gives the result for tau_ms=10",
    ),
    "ignores reset": (make_lif(fixed={"reset": 0.0}), FAILED, "your lif ignores its reset argument"),
    "NaN output": (nan_output, FAILED, "V_rec contains NaN (first at index (5,))"),
    "raises inside": (
        raises_inside,
        FAILED,
        "your lif raised ZeroDivisionError: float division by zero (line",
    ),
    "not implemented": (not_done, NOT_IMPLEMENTED, "lif is not implemented yet"),
    "placeholder": (..., NOT_IMPLEMENTED, "lif is not written yet"),
    "returns None": (lambda I, **kwargs: None, FAILED, "your lif returned nothing (None): did you forget the `return`?"),
    "returns V_rec only": (
        lambda I, **kwargs: make_lif()(I, **kwargs)[0],
        FAILED,
        "lif returned an array of shape (500,); it should return two things",
    ),
    "returns three values": (
        lambda I, **kwargs: (*make_lif()(I, **kwargs), 0),
        FAILED,
        "lif returned 3 values",
    ),
    "swapped": (
        lambda I, **kwargs: make_lif()(I, **kwargs)[::-1],
        FAILED,
        "the two returned values look swapped",
    ),
    "returns the library's NeuronRun": (
        lambda I, **kwargs: neurons.lif(I, **kwargs),
        FAILED,
        "lif returned a NeuronRun (fields t_ms, v, spike_times_ms, state); it should return two things",
    ),
    "V_rec a list holding 1-element arrays": (
        lambda I, **kwargs: ([np.array([0.0])] + [0.0] * (len(I) - 1), []),
        FAILED,
        "expected V_rec to be an array of numbers, got a list of 500 items mixing numbers and arrays (item 0 is an array of shape (1,))",
    ),
    "V_rec a list of one 1-element array": (
        lambda I, **kwargs: ([np.array([0.0])], []),
        FAILED,
        "expected V_rec to have 1 dimension(s), got shape (1, 1)",
    ),
    "wrong shape": (
        lambda I, **kwargs: (np.zeros((1, len(I))), []),
        FAILED,
        "expected V_rec to have 1 dimension(s), got shape (1, 500)",
    ),
}


@pytest.mark.parametrize("case", LIF_CASES)
def test_each_lif_mistake_gets_its_own_message(case, capsys):
    lif, status, message = LIF_CASES[case]
    with np.errstate(all="ignore"):
        result = w1.check_lif(lif)
    assert result.status == status, result.verdict()
    assert message in "\n".join(result.messages)
    assert message in capsys.readouterr().out
    if status == FAILED:
        assert result.hint


def test_the_euler_error_is_the_measured_one():
    """The reported error is the largest difference between the Euler and the exact trace."""
    I = np.full(500, 0.8)
    euler_v, _ = make_lif(euler=True)(I)
    exact = neurons.lif(I, tau_ms=10.0, dt_ms=0.1)
    assert f"{np.max(np.abs(euler_v - exact.v)):.1e}" == "1.5e-03"


def test_euler_is_the_exact_update_with_the_equivalent_time_constant():
    tau_ms, dt_ms = 10.0, 0.5
    equivalent = w1.euler_equivalent_tau_ms(tau_ms, dt_ms)
    assert np.exp(-dt_ms / equivalent) == pytest.approx(1 - dt_ms / tau_ms, rel=1e-14)
    assert equivalent < tau_ms


def _exercise_function(name, transform, **namespace):
    """The function ``name`` defined by the exercise source's cell, as solution or student code.

    ``namespace`` holds the notebook's globals that the function uses.
    """
    jupytext = pytest.importorskip("jupytext")
    from neuro4ml.course import notebooks

    notebook = jupytext.read(SOURCE, fmt="md:myst")
    cell = next(c for c in notebook.cells if c.cell_type == "code" and c.source.startswith(f"def {name}("))
    namespace = {"np": np, "neurons": neurons, "w1": w1, **namespace}
    exec(getattr(notebooks, transform)(cell.source), namespace)
    return namespace[name]


def test_the_exercise_solution_passes_and_its_template_is_not_implemented():
    assert w1.check_lif(_exercise_function("lif", "solution_code"), quiet=True).passed
    assert w1.check_lif(_exercise_function("lif", "student_code"), quiet=True).status == NOT_IMPLEMENTED


def test_the_exercise_loss_passes_its_check():
    train, _ = w1.fitting_data().split()
    globals_ = {"train": train, "mean_van_rossum_distance": mean_van_rossum_distance}
    assert w1.check_loss(_exercise_function("loss", "solution_code", **globals_), quiet=True).passed
    assert (
        w1.check_loss(_exercise_function("loss", "student_code", **globals_), quiet=True).status
        == NOT_IMPLEMENTED
    )


# ---------------------------------------------------------------------------
# Fitting: loss, score and fit checks
# ---------------------------------------------------------------------------

#: Parameters found by the exercise solution (coarse grid then CMA-ES).
FITTED = (9.29, 1.007, 0.034)


def test_score_prefers_good_parameters_and_is_deterministic():
    good = w1.score(*FITTED)
    assert good == w1.score(*FITTED)
    assert good < w1.PASS_SCORE < w1.score(*w1.STARTING_GUESS)
    assert good < w1.score(30.0, 0.5, 0.0) and good < w1.score(5.0, 2.0, 0.5)


def _filtered(spike_times_ms, t_ms, tau_ms):
    """sum_i H(t - t_i) exp(-(t - t_i) / tau) on the grid ``t_ms``, evaluated spike by spike."""
    trace = np.zeros_like(t_ms)
    for spike in spike_times_ms:
        after = t_ms >= spike
        trace[after] += np.exp(-(t_ms[after] - spike) / tau_ms)
    return trace


def _van_rossum_by_quadrature(train_1, train_2, tau_ms, end_ms):
    """Van Rossum (2001): D^2 = (1/tau) * integral of the squared difference of the filtered trains,
    by the trapezoid rule on a 0.005 ms grid up to 30 tau after ``end_ms`` (an independent reference
    for the library's closed form).
    """
    t_ms = np.arange(0.0, end_ms + 30 * tau_ms, 0.005)
    difference = _filtered(train_1, t_ms, tau_ms) - _filtered(train_2, t_ms, tau_ms)
    return float(np.sqrt(trapezoid(difference**2, t_ms) / tau_ms))


def test_score_is_the_mean_van_rossum_distance_on_the_held_out_repeats():
    """The score against the definition: the model's spikes, the recorded spikes, the integral by quadrature."""
    part = w1.fitting_data().subset(w1.TEST_REPEATS)
    model = neurons.lif(part.I_nA, tau_ms=10.0, dt_ms=part.dt_ms, record_v=False)
    distances = [
        _van_rossum_by_quadrature(spikes, recorded, w1.VAN_ROSSUM_TAU_MS, part.duration_ms)
        for spikes, recorded in zip(model.spike_times_ms, part.spike_times_ms)
    ]
    assert w1.score(10.0, 1.0, 0.0) == pytest.approx(np.mean(distances), rel=2e-3)


def test_a_silent_model_scores_the_recorded_trains_size():
    """A model that never fires is at D = sqrt(sum_ij exp(-|t_i - t_j| / tau) / 2) from each recorded train."""
    part = w1.fitting_data().subset(w1.TEST_REPEATS)
    expected = np.mean([
        np.sqrt(0.5 * np.exp(-np.abs(np.subtract.outer(t, t)) / w1.VAN_ROSSUM_TAU_MS).sum()) for t in part.spike_times_ms
    ])
    assert w1.score(10.0, 0.0, -1.0) == pytest.approx(expected, rel=1e-12)


def learner_loss(repeats=w1.TRAIN_REPEATS, reduce=np.mean):
    """A loss written as a learner might: one repeat at a time, the per-repeat distances averaged (or not)."""
    data = w1.fitting_data()

    def loss(tau_ms, a, b):
        distances = []
        for r in repeats:
            run = neurons.lif(a * data.I_nA[r] + b, tau_ms=tau_ms, dt_ms=data.dt_ms, record_v=False)
            distances.append(van_rossum_distance(run.spike_times_ms, data.spike_times_ms[r], w1.VAN_ROSSUM_TAU_MS))
        return reduce(distances)

    return loss


LOSS_CASES = {
    "correct": (learner_loss(), PASSED, "loss(20, 1, 0) = 3.2277"),
    "all repeats": (learner_loss(range(10)), FAILED, "uses all ten repeats"),
    "test repeats": (learner_loss(w1.TEST_REPEATS), FAILED, "uses the held-out repeats 7-9"),
    "sum": (learner_loss(reduce=np.sum), FAILED, "the sum of the distances, not their mean"),
    "returns the NeuronRun": (
        lambda t, a, b: neurons.lif(np.ones(10), tau_ms=t),
        FAILED,
        "expected the loss to be one number, got a NeuronRun (fields t_ms, v, spike_times_ms, state)",
    ),
    "one per repeat": (lambda t, a, b: np.ones(7), FAILED, "loss returned an array of shape (7,); it should return one number"),
    "wrong value": (lambda t, a, b: 1.0, FAILED, "loss(20, 1, 0): your loss is too low by about 70 %"),
    "not implemented": (not_done, NOT_IMPLEMENTED, "loss is not implemented yet"),
}


@pytest.mark.parametrize("case", LOSS_CASES)
def test_each_loss_mistake_gets_its_own_message(case):
    loss, status, message = LOSS_CASES[case]
    result = w1.check_loss(loss, quiet=True)
    assert result.status == status, result.verdict()
    assert message in "\n".join(result.messages)


FIT_CASES = {
    "fitted": (FITTED, PASSED, "held-out score 2.27"),
    "one-element arrays": ((np.array([9.29]), np.float32(1.007), 0.034), PASSED, "well done"),
    "placeholder": ((..., ..., ...), NOT_IMPLEMENTED, "tau_ms is not answered yet"),
    "starting guess": (w1.STARTING_GUESS, NOT_IMPLEMENTED, "still the starting guess"),
    "NaN": ((9.29, np.nan, 0.0), FAILED, "a is nan"),
    "negative tau": ((-5.0, 1.0, 0.0), FAILED, "tau_ms must be positive, got -5"),
    "huge gain": ((9.29, 1e308, 0.0), FAILED, "the simulation cannot run with tau_ms = 9.29, a = 1e+308, b = 0"),
    "too large for a float": ((10**400, 1.0, 0.0), FAILED, "tau_ms is a number too large for a float"),
    "not a number": ((9.29, 1.0, "0"), FAILED, "expected b to be one number, got text (str '0')"),
    "several numbers": ((np.array([9.0, 1.0, 0.0]), 1.0, 0.0), FAILED, "expected tau_ms to be one number"),
    "worse than the start": ((50.0, 0.5, 0.0), FAILED, "no better than the starting guess"),
    "wrong order": (
        (FITTED[1], FITTED[2], FITTED[0]),
        FAILED,
        "your numbers look like (a, b, tau_ms), in the wrong order: read as tau_ms = 9.29, a = 1.007, b = 0.034 they score 2.27",
    ),
    "b and a swapped": ((FITTED[0], FITTED[2], FITTED[1]), FAILED, "your numbers look like (tau_ms, b, a), in the wrong order"),
    "tau in seconds": ((FITTED[0] / 1000, FITTED[1], FITTED[2]), FAILED, "tau_ms = 0.00929 looks like a time in seconds"),
    "not good enough": (
        (10.0, 1.0, 0.0),
        FAILED,
        "held-out score 2.558 (starting guess 3.133, target 2.4): better than the start, but above the target",
    ),
}


@pytest.mark.parametrize("case", FIT_CASES)
def test_check_fit(case):
    params, status, message = FIT_CASES[case]
    result = w1.check_fit(*params, quiet=True)
    assert result.status == status, result.verdict()
    assert message in "\n".join(result.messages)


ADAPTIVE = {"tau_ms": 11.25, "a": 1.569, "b": -0.0933, "tau_w_ms": 216.9, "adaptation": 0.1055}

ADAPTIVE_CASES = {
    "fitted": (ADAPTIVE, PASSED, "adaptation helps"),
    "placeholder": (..., NOT_IMPLEMENTED, "adaptive_params is not answered yet"),
    "not a dict": ((11.25, 1.569), FAILED, "expected adaptive_params to be a dict, got tuple"),
    "missing key": ({k: v for k, v in ADAPTIVE.items() if k != "tau_w_ms"}, FAILED, "missing tau_w_ms"),
    "negative adaptation": ({**ADAPTIVE, "adaptation": -0.1}, FAILED, "adaptation must be >= 0"),
    "plain LIF": (
        {**ADAPTIVE, "tau_ms": FITTED[0], "a": FITTED[1], "b": FITTED[2], "adaptation": 0.0},
        FAILED,
        "above the target",
    ),
}


@pytest.mark.parametrize("case", ADAPTIVE_CASES)
def test_check_adaptive_fit(case):
    params, status, message = ADAPTIVE_CASES[case]
    result = w1.check_adaptive_fit(params, quiet=True)
    assert result.status == status, result.verdict()
    assert message in "\n".join(result.messages)


def test_adaptive_score_without_adaptation_is_the_lif_score():
    assert w1.score_adaptive(*FITTED, tau_w_ms=100.0, adaptation=0.0) == pytest.approx(
        w1.score(*FITTED), abs=1e-9
    )


# ---------------------------------------------------------------------------
# Issue 22: the policy, fresh cases, no pasted values
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, "10.0", None, [1.0, 2.0]])
def test_fit_parameters_follow_the_one_number_policy(value):
    result = w1.check_fit(value, 1.0, 0.0, quiet=True)
    assert result.status in (FAILED, NOT_IMPLEMENTED) and "check error" not in result.verdict()
    assert (result.status == NOT_IMPLEMENTED) == (value is None)


def test_the_lif_check_runs_a_fresh_random_input_a_recorded_trace_cannot_pass():
    """Replaying the reference traces of the fixed inputs (keyed by the input) fails on the fresh one."""
    from neuro4ml.tasks.w1 import lif_cases

    table = {case.I.tobytes(): case.reference() for case in lif_cases(seed=0)[:-1]}

    def replay(I, **kwargs):
        run = table.get(np.asarray(I).tobytes())
        return (run.v, run.spike_times_ms) if run else (np.zeros(len(I)), np.array([]))

    result = w1.check_lif(replay, quiet=True)
    assert result.status == FAILED and "noisy_input(seed=" in result.messages[-1], result.verdict()


def test_the_loss_failure_gives_direction_not_the_value():
    result = w1.check_loss(lambda t, a, b: 1.0, quiet=True)
    assert "too low" in result.messages[-1] and "3.2277" not in result.verdict()


def test_a_loss_that_returns_a_tuple_is_told_to_return_one_number():
    """(loss, run) was read as an array with a NaN: "the loss contains NaN" (found trying week 1 again)."""
    result = w1.check_loss(lambda t, a, b: (w1.score(t, a, b, repeats=w1.TRAIN_REPEATS), None), quiet=True)
    assert result.status == FAILED and "it should return one number" in result.messages[-1], result.verdict()
    assert "NaN" not in result.verdict()
