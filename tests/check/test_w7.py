"""Week 7 checks: correct answers pass, each typical mistake gets its own diagnosis."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neuro4ml import decision
from neuro4ml.check import w7
from neuro4ml.check.core import FAILED, NOT_IMPLEMENTED, PASSED
from neuro4ml.datasets import CONDITIONS, load_cavanagh


def _run(check, *args):
    with np.errstate(all="ignore"):
        return check(*args, quiet=True)


def _assert_verdict(result, status, message):
    assert result.status == status, result.verdict()
    assert message in "\n".join(result.messages), result.verdict()
    if status == FAILED:
        assert result.hint, result.verdict()


def not_done(*args, **kwargs):
    raise NotImplementedError


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

    _assert_verdict(_run(w7.check_ddm_simulation, library), PASSED, "mean decision time")


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
        ("none", "returned None"),
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
    _assert_verdict(_run(w7.check_condition_fits, ..., ..., train, test), NOT_IMPLEMENTED, "still `...`")
    partial = {CONDITIONS[0]: right_fits[CONDITIONS[0]]}
    _assert_verdict(_run(w7.check_condition_fits, partial, _scores(right_fits, test), train, test), FAILED, "no entry")


def test_condition_fits_unconverged(split_data, right_fits):
    train, test = split_data
    poor = {k: (v[0] + 0.3, v[1] * 1.2, v[2]) for k, v in right_fits.items()}
    _assert_verdict(_run(w7.check_condition_fits, poor, _scores(poor, test), train, test), FAILED, "not at the maximum")


def test_optimal_bound():
    # Independent reference: a fine grid of the closed-form reward rate.
    z = np.linspace(0.01, 3, 300_001)
    er = 1 / (1 + np.exp(2 * z))
    rr = (1 - er) / (z * np.tanh(z) + 1.3)
    best = float(z[np.argmax(rr)])
    _assert_verdict(_run(w7.check_optimal_bound, best), PASSED, "best bound")
    _assert_verdict(_run(w7.check_optimal_bound, best + 0.1), FAILED, "expected a bound")
    rr_twice = (1 - er) / (z * np.tanh(z) + 1.6)
    _assert_verdict(_run(w7.check_optimal_bound, float(z[np.argmax(rr_twice)])), FAILED, "twice")
    _assert_verdict(_run(w7.check_optimal_bound, ...), NOT_IMPLEMENTED, "still `...`")
    _assert_verdict(_run(w7.check_optimal_bound, float("nan")), FAILED, "nan")
