"""Week 7 checks: correct answers pass, each typical mistake gets its own diagnosis."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from verdicts import assert_verdict as _assert_verdict
from verdicts import not_done
from verdicts import run_quietly as _run

from neuro4ml.check import w7
from neuro4ml.check.core import FAILED, NOT_IMPLEMENTED, PASSED
from neuro4ml.data import CONDITIONS, load_cavanagh
from neuro4ml.models import decision

# ---------------------------------------------------------------------------
# The DDM simulation: a learner-style loop with one switch per mistake
# ---------------------------------------------------------------------------


def learner_ddm(drift, bound, noise, dt, n_trials, seed, *, mistake=None):
    """A plain vectorised Euler-Maruyama DDM written the way a learner would, with optional mistakes."""
    rng = np.random.default_rng(None if mistake == "seed ignored" else seed)
    step_noise = {"no sqrt": noise, "dt not sqrt": noise * dt}.get(mistake, noise * math.sqrt(dt))
    x = np.zeros(n_trials)
    choices = np.zeros(n_trials)
    times = np.zeros(n_trials)
    running = np.ones(n_trials, dtype=bool)
    k = 0
    while running.any():
        k += 1
        if mistake == "choice from final x":
            x = x + drift * dt + step_noise * rng.standard_normal(n_trials)
        else:
            x[running] += drift * dt + step_noise * rng.standard_normal(running.sum())
        hit = running & (np.abs(x) >= bound)
        choices[hit] = x[hit] >= bound
        times[hit] = k * dt
        running &= ~hit
    if mistake == "choice from final x":
        choices = (x > 0).astype(float)
    if mistake == "not stopping":
        times[:] = k * dt
    if mistake == "plus minus":
        choices = 2 * choices - 1
    if mistake == "swapped":
        choices = 1 - choices
    if mistake == "steps":
        times = times / dt
    if mistake == "short":
        return choices[:-1], times[:-1]
    if mistake == "nan":
        times[3] = np.nan
    if mistake == "none":
        return None
    return choices, times


def with_mistake(mistake):
    return lambda *args: learner_ddm(*args, mistake=mistake)


def test_correct_simulations_pass():
    _assert_verdict(_run(w7.check_ddm_simulation, learner_ddm), PASSED, "P(upper)")

    def library(drift, bound, noise, dt, n_trials, seed):
        run = decision.simulate_ddm(drift, bound, noise, dt_s=dt, n_trials=n_trials, rng=seed)
        return run.choices, run.decision_times_s

    # the library's own simulation is the task: it is refused (issue 22)
    _assert_verdict(_run(w7.check_ddm_simulation, library), FAILED, "the task is to write it yourself")


@pytest.mark.parametrize(
    "mistake, message",
    [
        ("no sqrt", "without √dt"),
        ("dt not sqrt", "noise·dt·ξ"),
        ("not stopping", "do not stop at the bound"),
        ("plus minus", "coded as -1 and +1"),
        ("swapped", "choices are swapped"),
        ("steps", "numbers of steps"),
        ("short", "one value per trial"),
        ("nan", "contains NaN"),
        ("none", "returned nothing"),
        ("seed ignored", "same seed gave different results"),
        ("choice from final x", "the times agree with theory but the choices do not"),
    ],
)
def test_ddm_mistakes_are_diagnosed(mistake, message):
    _assert_verdict(_run(w7.check_ddm_simulation, with_mistake(mistake)), FAILED, message)


def test_ddm_not_done_and_exceptions():
    _assert_verdict(_run(w7.check_ddm_simulation, not_done), NOT_IMPLEMENTED, "not implemented yet")
    _assert_verdict(_run(w7.check_ddm_simulation, ...), NOT_IMPLEMENTED, "not written yet")

    def broken(*args):
        return 1 / 0

    _assert_verdict(_run(w7.check_ddm_simulation, broken), FAILED, "ZeroDivisionError")


# ---------------------------------------------------------------------------
# Reward rate
# ---------------------------------------------------------------------------


def learner_reward_rate(drift, bound, noise, non_decision_s, inter_trial_s, mistake=None):
    error_rate = 1 / (1 + math.exp(2 * drift * bound / noise**2))
    mean_dt = bound / drift * math.tanh(drift * bound / noise**2)
    t0 = {"t0 twice": 2 * non_decision_s, "no t0": 0.0}.get(mistake, non_decision_s)
    iti = 0.0 if mistake == "no iti" else inter_trial_s
    numerator = error_rate if mistake == "errors" else 1 - error_rate
    return numerator / (mean_dt + t0 + iti)


def test_reward_rate():
    _assert_verdict(_run(w7.check_reward_rate, learner_reward_rate), PASSED, "correct decisions per second")
    for mistake, message in [
        ("t0 twice", "counted twice"),
        ("no t0", "non-decision time is missing"),
        ("no iti", "inter-trial interval is missing"),
        ("errors", "error rate"),
    ]:
        result = _run(w7.check_reward_rate, lambda *a, m=mistake, **k: learner_reward_rate(*a, **k, mistake=m))
        _assert_verdict(result, FAILED, message)
    _assert_verdict(_run(w7.check_reward_rate, lambda **k: float("nan")), FAILED, "is nan")


# ---------------------------------------------------------------------------
# Log-likelihood
# ---------------------------------------------------------------------------


def learner_ll(params, choices, rt_s, mistake=None):
    drift, bound, t0 = params
    if mistake == "t0 twice":
        rt_s = rt_s - t0
    if mistake == "no t0":
        t0 = 0.0
    total = 0.0
    for c in (0, 1):
        if mistake == "ignore errors" and c == 0:
            continue
        mask = choices == c
        density = decision.first_passage_density(rt_s[mask] - t0, 1 if mistake == "upper only" else c, drift, bound)
        with np.errstate(divide="ignore"):
            total += np.sum(np.log(density))
    if mistake == "mean":
        return total / len(rt_s)
    if mistake == "negated":
        return -total
    return total


def test_log_likelihood():
    _assert_verdict(_run(w7.check_log_likelihood, learner_ll), PASSED, "-inf")
    for mistake, message in [
        ("ignore errors", "only the upper-bound"),
        ("upper only", "upper bound's density"),
        ("t0 twice", "non-decision time twice"),
        ("no t0", "not subtracted"),
        ("mean", "mean over trials"),
        ("negated", "negative log-likelihood"),
    ]:
        result = _run(w7.check_log_likelihood, lambda p, c, r, m=mistake: learner_ll(p, c, r, mistake=m))
        _assert_verdict(result, FAILED, message)

    def nan_for_impossible(params, choices, rt_s):
        value = learner_ll(params, choices, rt_s)
        return np.nan if np.isinf(value) else value

    _assert_verdict(_run(w7.check_log_likelihood, nan_for_impossible), FAILED, "expected -inf")


# ---------------------------------------------------------------------------
# Fits per condition and held-out scores
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def split_data():
    return load_cavanagh().split(test_fraction=0.3, seed=0)


@pytest.fixture(scope="module")
def right_fits(split_data):
    train, _ = split_data
    fits = {}
    for conflict, dbs in CONDITIONS:
        data = train.condition(conflict, dbs)
        fit = decision.fit_ddm(data.choices, data.rt_s)
        fits[(conflict, dbs)] = (fit.drift, fit.bound, fit.non_decision_s)
    return fits


def _scores(fits, data):
    return {
        key: decision.ddm_log_likelihood(d.choices, d.rt_s, *fits[key]) / len(d)
        for key in CONDITIONS
        for d in [data.condition(*key)]
    }


def test_condition_fits(split_data, right_fits):
    train, test = split_data
    _assert_verdict(_run(w7.check_condition_fits, right_fits, _scores(right_fits, test), train, test), PASSED, "held-out")
    # The training score reported as held-out.
    _assert_verdict(
        _run(w7.check_condition_fits, right_fits, _scores(right_fits, train), train, test), FAILED, "training trials"
    )
    # A sum instead of a mean.
    sums = {k: v * len(test.condition(*k)) for k, v in _scores(right_fits, test).items()}
    _assert_verdict(_run(w7.check_condition_fits, right_fits, sums, train, test), FAILED, "sum over trials")
    # Fitted on all the trials, and scored on all of them.
    every = load_cavanagh()
    all_fits = {}
    for key in CONDITIONS:
        d = every.condition(*key)
        f = decision.fit_ddm(d.choices, d.rt_s)
        all_fits[key] = (f.drift, f.bound, f.non_decision_s)
    _assert_verdict(_run(w7.check_condition_fits, all_fits, _scores(all_fits, every), train, test), FAILED, "all trials")
    # Fitted on all trials, scored honestly on the test trials: the fit is of the wrong data.
    result = _run(w7.check_condition_fits, all_fits, _scores(all_fits, test), train, test)
    assert result.status == FAILED and "ALL the trials" in "\n".join(result.messages), result.verdict()
    # Placeholders and missing keys.
    _assert_verdict(_run(w7.check_condition_fits, ..., ..., train, test), NOT_IMPLEMENTED, "not answered yet")
    partial = {CONDITIONS[0]: right_fits[CONDITIONS[0]]}
    _assert_verdict(_run(w7.check_condition_fits, partial, _scores(right_fits, test), train, test), FAILED, "no entry")


def test_condition_fits_unconverged(split_data, right_fits):
    train, test = split_data
    poor = {k: (v[0] + 0.3, v[1] * 1.2, v[2]) for k, v in right_fits.items()}
    _assert_verdict(_run(w7.check_condition_fits, poor, _scores(poor, test), train, test), FAILED, "not at the maximum")


def learner_optimal_bound(drift, noise, non_decision_s, inter_trial_s, *, mistake=None):
    """The bound of largest reward rate on a fine grid of the closed forms (independent of the library's optimiser)."""
    z = np.linspace(0.005, 4, 400_001)
    t0 = 2 * non_decision_s if mistake == "t0 twice" else non_decision_s
    er = 1 / (1 + np.exp(2 * drift * z / noise**2))
    rr = (1 - er) / (z / drift * np.tanh(drift * z / noise**2) + t0 + inter_trial_s)
    return float(z[np.argmax(rr)])


def test_optimal_bound():
    _assert_verdict(_run(w7.check_optimal_bound, learner_optimal_bound), PASSED, "best bound")
    _assert_verdict(_run(w7.check_optimal_bound, lambda *a: learner_optimal_bound(*a) + 0.1), FAILED, "too high")
    _assert_verdict(_run(w7.check_optimal_bound, lambda *a: learner_optimal_bound(*a, mistake="t0 twice")), FAILED, "twice")
    _assert_verdict(_run(w7.check_optimal_bound, ...), NOT_IMPLEMENTED, "not written yet")
    _assert_verdict(_run(w7.check_optimal_bound, lambda *a: float("nan")), FAILED, "nan")


def test_optimal_bound_cannot_be_pasted_typed_as_text_or_taken_from_the_library():
    """Issue 22: the string "0.4839" passed, the printed value pasted back passed, ddm_optimal_bound passed."""
    best = decision.ddm_optimal_bound(**w7.OPTIMAL_BOUND_SETTING)
    result = _run(w7.check_optimal_bound, lambda *a: f"{best:.4f}")
    _assert_verdict(result, FAILED, "text")
    result = _run(w7.check_optimal_bound, lambda *a: best)  # the right value for the task's setting only
    _assert_verdict(result, FAILED, "")
    assert str(round(best, 3)) not in result.verdict()

    def shortcut(drift, noise, non_decision_s, inter_trial_s):
        return decision.ddm_optimal_bound(drift, noise, non_decision_s=non_decision_s, inter_trial_s=inter_trial_s)

    _assert_verdict(_run(w7.check_optimal_bound, shortcut), FAILED, "the task is to write it yourself")


def test_library_shortcuts_are_refused():
    """Issue 22: answers that only call the library's implementation passed."""

    def rr(drift, bound, noise, non_decision_s, inter_trial_s):
        return decision.ddm_reward_rate(drift, bound, noise, non_decision_s=non_decision_s, inter_trial_s=inter_trial_s)

    _assert_verdict(_run(w7.check_reward_rate, rr), FAILED, "ddm_reward_rate: the task is to write it yourself")

    def ll(params, choices, rt_s):
        return decision.ddm_log_likelihood(choices, rt_s, *params)

    _assert_verdict(_run(w7.check_log_likelihood, ll), FAILED, "ddm_log_likelihood: the task is to write it yourself")


def test_choices_from_the_closed_form_with_made_up_times_fail():
    """Issue 22: choices drawn from the closed form with constant or exponential times passed with no simulation."""

    def closed_form(kind):
        def simulate(drift, bound, noise, dt, n_trials, seed):
            rng = np.random.default_rng(seed)
            z = bound + 0.5826 * noise * math.sqrt(dt)
            p = decision.ddm_choice_probability(drift, z, noise)
            mean = decision.ddm_mean_decision_time_s(drift, z, noise)
            choices = (rng.random(n_trials) < p).astype(float)
            times = np.full(n_trials, mean) if kind == "constant" else rng.exponential(mean, n_trials)
            return choices, times
        return simulate

    for kind in ("constant", "exponential"):
        result = _run(w7.check_ddm_simulation, closed_form(kind))
        _assert_verdict(result, FAILED, "the times must come from" if False else "")
        assert "path" in result.hint or "bound" in result.hint, result.verdict()


def _variant(mistake):
    def simulate(drift, bound, noise, dt, n_trials, seed):
        rng = np.random.default_rng(seed)
        x = np.full(n_trials, -bound / 2 if mistake == "start" else 0.0)
        choices, times = np.zeros(n_trials), np.zeros(n_trials)
        running = np.ones(n_trials, dtype=bool)
        k = 0
        while running.any():
            k += 1
            if mistake == "cut off" and k * dt > 1.0:
                break
            xi = rng.standard_normal() if mistake == "shared noise" else rng.standard_normal(running.sum())
            x[running] += drift * dt + noise * math.sqrt(dt) * xi
            hit = running & (np.abs(x) >= bound)
            choices[hit] = x[hit] >= bound
            times[hit] = k * dt
            running &= ~hit
        return choices, times
    return simulate


@pytest.mark.parametrize("mistake, message", [
    ("cut off", "never reached the bound before the simulation stopped"),
    ("shared noise", "all follow one path"),
    ("start", "start at −bound/2"),
])
def test_misleading_ddm_diagnoses_are_fixed(mistake, message):
    """Issue 22: cut off at 1 s -> 'needs at least one step'; one shared draw -> 'do not stop'; -z/2 -> wrong."""
    _assert_verdict(_run(w7.check_ddm_simulation, _variant(mistake)), FAILED, message)


def test_non_decision_time_in_ms_is_not_called_counted_twice():
    """Issue 22: times in ms -> 'counting the non-decision time twice'."""

    def ll(params, choices, rt_s):
        drift, bound, t0 = params
        density = np.where(choices == 1, decision.first_passage_density(rt_s - 1000 * t0, 1, drift, bound),
                           decision.first_passage_density(rt_s - 1000 * t0, 0, drift, bound))
        with np.errstate(divide="ignore"):
            return float(np.sum(np.log(density)))

    result = _run(w7.check_log_likelihood, ll)
    _assert_verdict(result, FAILED, "zero or negative")
    assert "milliseconds" in result.hint and "counted twice" not in result.verdict()


# ---------------------------------------------------------------------------
# Reproductions from a learner's test of the exercise (each failed before its fix)
# ---------------------------------------------------------------------------


def _exercise_cell_after(marker: str) -> str:
    """The code of the exercise source's code cell that follows the cell containing ``marker``
    (read as a notebook, so cell metadata such as alt texts is not part of the code).
    """
    from pathlib import Path

    from neuro4ml.course.notebooks import read_source

    source = read_source(Path(__file__).resolve().parents[2] / "content" / "exercises" / "w7-decision-making.md")
    codes = [cell.source for cell in source.cells if cell.cell_type == "code"]
    index = next(i for i, code in enumerate(codes) if marker in code)
    return codes[index + 1]


def test_one_element_array_bound_is_refused():
    """D2: optimize.minimize(...).x is a 1-element array; it used to pass and crash the plot cell."""
    from scipy import optimize

    def optimal_bound(drift, noise, non_decision_s, inter_trial_s):
        return optimize.minimize(
            lambda z: -learner_reward_rate(drift, z[0], noise, non_decision_s, inter_trial_s), x0=[1.0],
            method="Nelder-Mead", options={"xatol": 1e-6},
        ).x

    result = _run(w7.check_optimal_bound, optimal_bound)
    _assert_verdict(result, FAILED, "one number")
    assert "array" in result.hint and "take the number out" in result.hint
    _assert_verdict(_run(w7.check_optimal_bound, lambda *a: [learner_optimal_bound(*a)]), FAILED, "one number")


def test_scalar_like_bound_message_asks_for_a_number():
    """D7: a non-number said 'expected ... to be an array of numbers' although one number is wanted."""
    result = _run(w7.check_optimal_bound, lambda *a: object())
    _assert_verdict(result, FAILED, "to be one number")
    assert "array of numbers" not in result.verdict()
    _assert_verdict(_run(w7.check_optimal_bound, lambda *a: True), FAILED, "one number")


def test_every_accepted_bound_runs_the_next_cell():
    """Each kind of answer check_optimal_bound accepts runs the trade-off cell of the notebook."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    code = _exercise_cell_after("best_bound = optimal_bound(")  # the cell after the check keeps its result
    assert "best_bound" in code and "ddm_optimal_bound" not in code
    from scipy import optimize

    def scalar_result(drift, noise, non_decision_s, inter_trial_s):
        return optimize.minimize_scalar(
            lambda z: -learner_reward_rate(drift, z, noise, non_decision_s, inter_trial_s), bounds=(1e-3, 5.0),
            method="bounded", options={"xatol": 1e-8},
        ).x

    for answer in (learner_optimal_bound, lambda *a: np.float32(learner_optimal_bound(*a)), scalar_result):
        assert _run(w7.check_optimal_bound, answer).passed
        namespace = dict(
            np=np, plt=plt, decision=decision, best_bound=answer(*w7.OPTIMAL_BOUND_SETTING.values()), optimal_bound=answer,
            rr_check=_run(w7.check_reward_rate, learner_reward_rate), reward_rate=learner_reward_rate,
        )
        exec(code, namespace)
        plt.close("all")


def test_log_of_a_product_underflows_on_a_large_case():
    """D3: log(prod(densities)) passed on 200 trials but is -inf on a real condition's ~700."""

    def ll(params, choices, rt_s):
        drift, bound, t0 = params
        t = np.asarray(rt_s) - t0
        return np.log(
            np.prod(
                np.where(
                    np.asarray(choices) == 1,
                    decision.first_passage_density(t, 1, drift, bound),
                    decision.first_passage_density(t, 0, drift, bound),
                )
            )
        )

    result = _run(w7.check_log_likelihood, ll)
    _assert_verdict(result, FAILED, "underflows to 0")
    assert "1000 trials" in "\n".join(result.messages)
    assert "log a + log b" in result.hint


def test_swapped_choices_in_the_log_likelihood():
    """D6: 1 - choices got no diagnosis."""
    result = _run(w7.check_log_likelihood, lambda p, c, r: learner_ll(p, 1 - c, r))
    _assert_verdict(result, FAILED, "choices are swapped")


def test_fit_on_the_test_trials(split_data, right_fits):
    """D4: fitted AND scored on the test trials was called a fit on all the trials."""
    train, test = split_data
    fits = {}
    for key in CONDITIONS:
        d = test.condition(*key)
        f = decision.fit_ddm(d.choices, d.rt_s)
        fits[key] = (f.drift, f.bound, f.non_decision_s)
    result = _run(w7.check_condition_fits, fits, _scores(fits, test), train, test)
    _assert_verdict(result, FAILED, "TEST trials")
    assert "fitted on the test trials" in result.messages[-1]
    assert "ALL the trials" not in result.messages[-1]


def test_negated_scores(split_data, right_fits):
    """D6: a flipped-sign score had no diagnosis and no hint."""
    train, test = split_data
    negated = {k: -v for k, v in _scores(right_fits, test).items()}
    _assert_verdict(_run(w7.check_condition_fits, right_fits, negated, train, test), FAILED, "wrong sign")


def test_parameters_stored_in_another_order(split_data, right_fits):
    """D6: fits stored as (bound, drift, t0) had no hint."""
    train, test = split_data
    reordered = {k: (v[1], v[0], v[2]) for k, v in right_fits.items()}
    result = _run(w7.check_condition_fits, reordered, _scores(right_fits, test), train, test)
    _assert_verdict(result, FAILED, "another order")


def test_one_fit_pooled_over_conditions(split_data):
    """D6: one fit of all conditions' training trials, given to every condition."""
    train, test = split_data
    pooled = decision.fit_ddm(train.choices, train.rt_s)
    fits = {k: (pooled.drift, pooled.bound, pooled.non_decision_s) for k in CONDITIONS}
    result = _run(w7.check_condition_fits, fits, _scores(fits, test), train, test)
    _assert_verdict(result, FAILED, "pooled")


def test_times_one_step_early():
    """D6: the time of a trial recorded as (k - 1)·dt passed Task 1; the dt = 0.02 s case catches it."""

    def early(drift, bound, noise, dt, n_trials, seed):
        choices, times = learner_ddm(drift, bound, noise, dt, n_trials, seed)
        return choices, times - dt

    result = _run(w7.check_ddm_simulation, early)
    _assert_verdict(result, FAILED, "one step")
    assert "dt=0.02 s" in result.messages[-1]


def test_times_are_printed_with_units():
    """D7: Task 1 messages printed times without 's'."""
    result = _run(w7.check_ddm_simulation, with_mistake("not stopping"))
    assert re.search(r"decision time, [0-9.e+-]+ s", result.messages[-1]), result.verdict()
    result = _run(w7.check_ddm_simulation, with_mistake("no sqrt"))
    assert re.search(r"mean decision time [0-9.e+-]+ s", result.messages[-1]), result.verdict()


def test_a_loop_that_never_ends_is_stopped(monkeypatch):
    """D7: a simulation whose loop never stops hung the check; it now stops it with a diagnosis."""
    monkeypatch.setattr(w7, "_TIME_LIMIT_S", 0.5)

    def forever(drift, bound, noise, dt, n_trials, seed):
        x = np.zeros(n_trials)
        running = np.ones(n_trials, dtype=bool)
        while running.any():  # `running` is never updated
            x[running] += drift * dt
        return x, x

    result = _run(w7.check_ddm_simulation, forever)
    _assert_verdict(result, FAILED, "still running")
    assert "loop" in result.hint


def test_renamed_parameters_are_named():
    """D5: def reward_rate(A, z, c, t0, D) gave 'unexpected keyword argument' and 'call it on its own'."""

    def reward_rate(A, z, c, t0, D):
        return learner_reward_rate(A, z, c, t0, D)

    result = _run(w7.check_reward_rate, reward_rate)
    _assert_verdict(result, FAILED, "cannot be called the way the check calls it")
    assert "parameter names" in result.hint and "on its own" not in result.hint


# ---------------------------------------------------------------------------
# Wrong answers tried as a new learner (not from the issue)
# ---------------------------------------------------------------------------


def _ddm_kind(drift, bound, noise, dt, n_trials, seed, kind):
    rng = np.random.default_rng(seed)
    x, choices, times = np.zeros(n_trials), np.zeros(n_trials), np.zeros(n_trials)
    running = np.ones(n_trials, dtype=bool)
    k = 0
    while running.any():
        k += 1
        step = drift if kind == "drift without dt" else drift * dt
        x[running] += step + noise * math.sqrt(dt) * rng.standard_normal(running.sum())
        hit = running & (np.abs(x) >= bound)
        choices[hit] = x[hit] >= bound
        times[hit] = (k + 1) * dt if kind == "one step late" else k * dt
        running &= ~hit
    return choices, times


@pytest.mark.parametrize("kind, message", [
    ("drift without dt", "drift without ·dt"),
    ("one step late", "one step (dt = 0.02 s) too long"),
])
def test_new_learner_ddm_mistakes_are_named(kind, message):
    _assert_verdict(_run(w7.check_ddm_simulation, lambda *a: _ddm_kind(*a, kind)), FAILED, message)


def test_an_epsilon_inside_the_log_is_named_in_the_hint():
    def ll(params, choices, rt_s):
        drift, bound, t0 = params
        d = np.where(choices == 1, decision.first_passage_density(rt_s - t0, 1, drift, bound),
                     decision.first_passage_density(rt_s - t0, 0, drift, bound))
        return float(np.log(d + 1e-10).sum())

    result = _run(w7.check_log_likelihood, ll)
    _assert_verdict(result, FAILED, "expected -inf")
    assert "small number added inside the log" in result.hint
