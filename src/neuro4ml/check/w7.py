"""Answer checks for the week 7 exercise: decision making.

The cases, reference statistics and mistaken variants are defined in
:mod:`neuro4ml.tasks.w7`; this module compares and explains. Every check runs the
learner's function with the library function that *is* the task made unavailable
(``call(..., forbid=...)``), and cases a learner could memorise are drawn afresh at
each run; failure messages give the direction and size of an error, not a value that
could be pasted back.

* :func:`check_ddm_simulation` runs the learner's ``simulate_ddm(drift, bound, noise,
  dt, n_trials, seed)`` on several parameter sets and compares the fraction of upper
  choices, the mean decision time (closed forms, within Monte Carlo error) and the whole
  distribution of decision times (a two-sample Kolmogorov-Smirnov distance to a library
  run), so that choices drawn from the closed form with made-up times fail. It recognises
  noise without :math:`\\sqrt{dt}` or times :math:`dt`, choices coded :math:`\\pm1` or
  swapped, times in steps, trials that do not stop at the bound, one noise draw shared by
  every trial, trials cut off before they reach the bound, a start away from 0, times one
  step early, wrong lengths and NaNs; a simulation still running after
  :data:`_TIME_LIMIT_S` seconds is stopped.
* :func:`check_reward_rate` compares the learner's reward rate with
  :func:`~neuro4ml.models.decision.ddm_reward_rate` on the task's setting and fresh ones.
* :func:`check_optimal_bound` runs the learner's ``optimal_bound(drift, noise,
  non_decision_s, inter_trial_s)`` on the task's setting and fresh ones, against
  :func:`~neuro4ml.models.decision.ddm_optimal_bound`.
* :func:`check_log_likelihood` compares the learner's DDM log-likelihood with
  :func:`~neuro4ml.models.decision.ddm_log_likelihood` on freshly simulated data.
* :func:`check_condition_fits` checks the per-condition fits and the held-out scores of
  the real-data task.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from neuro4ml.check.core import (
    Feedback,
    Mistake,
    Tolerance,
    as_array,
    as_number,
    call,
    check,
    close,
    diagnose,
    in_case,
    off_by,
    require,
)
from neuro4ml.data.reaction_times import CONDITIONS, ReactionTimeData
from neuro4ml.models import decision
from neuro4ml.tasks import w7 as task
from neuro4ml.tasks.w7 import DDM_CASES, OPTIMAL_BOUND_SETTING

__all__ = [
    "DDM_CASES",
    "OPTIMAL_BOUND_SETTING",
    "Z_TOLERANCE",
    "check_condition_fits",
    "check_ddm_simulation",
    "check_log_likelihood",
    "check_optimal_bound",
    "check_reward_rate",
]

#: Standard errors allowed between a simulation and the closed forms. With 4 cases and
#: 3 statistics each, a correct simulation fails by chance about once in 2,000 runs.
Z_TOLERANCE = 4.5
#: Seconds the learner's simulation may run on one case before the check stops it.
_TIME_LIMIT_S = 60.0
_TIME_LIMIT_HINT = (
    "a loop that never ends: does every trial stop once |x| >= bound, and does the loop end "
    "when no trial is still running?"
)
#: Kolmogorov-Smirnov coefficient c(alpha) for alpha = 1e-4: D > c sqrt((n+m)/(n m)) rejects.
_KS_COEFFICIENT = math.sqrt(-math.log(1e-4 / 2) / 2)
#: Agreement of the closed-form answers (reward rate, likelihood): a float32 result passes.
_RELATIVE = Tolerance(rtol=1e-6, atol=1e-12)


def _close(got: task.DDMStats, expected: task.DDMStats, n: int, *, n_expected: int | None = None) -> tuple[bool, bool]:
    """Whether the fraction of upper choices and the mean time agree with ``expected`` within Monte Carlo error."""
    p = min(max(expected.p_upper, 1.0 / n), 1 - 1.0 / n)
    se_p = math.sqrt(p * (1 - p) / n)
    se_t = expected.sd_time / math.sqrt(n)
    if n_expected is not None:  # the expectation is itself a simulation
        se_p = math.hypot(se_p, math.sqrt(p * (1 - p) / n_expected))
        se_t = math.hypot(se_t, expected.sd_time / math.sqrt(n_expected))
    p_ok = close(got.p_upper, expected.p_upper, Tolerance(rtol=0.0, atol=Z_TOLERANCE * se_p + 1e-12))
    t_ok = close(got.mean_time, expected.mean_time, Tolerance(rtol=0.0, atol=Z_TOLERANCE * se_t + 1e-12))
    return p_ok, t_ok


def _ks_distance(a: np.ndarray, b: np.ndarray) -> float:
    """The two-sample Kolmogorov-Smirnov distance: the largest gap between the two empirical distributions."""
    a, b = np.sort(a), np.sort(b)
    grid = np.concatenate([a, b])
    return float(np.max(np.abs(np.searchsorted(a, grid, side="right") / a.size
                               - np.searchsorted(b, grid, side="right") / b.size)))


def _same_distribution(times: np.ndarray, reference: np.ndarray) -> bool:
    n, m = times.size, reference.size
    return _ks_distance(times, reference) <= _KS_COEFFICIENT * math.sqrt((n + m) / (n * m))


def _unpack_ddm(out: Any, n_trials: int) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(out, np.ndarray) or not isinstance(out, (tuple, list)) or len(out) != 2:
        what = f"{len(out)} values" if isinstance(out, (tuple, list)) else f"a single {type(out).__name__}"
        raise Feedback(
            f"simulate_ddm returned {what}; it should return two arrays: the choices, then the decision times",
            hint="return a tuple: the choices (1 upper, 0 lower) and the decision times in seconds.",
        )
    choices = as_array(out[0], "choices", hint="choices holds one 0 or 1 per trial.")
    times = as_array(
        out[1],
        "decision_times",
        hint="a NaN time usually means a trial never reached the bound: let every trial run until |x| >= bound.",
    )
    for name, array in (("choices", choices), ("decision_times", times)):
        if array.ndim != 1 or array.size != n_trials:
            raise Feedback(
                f"expected {name} to be a 1-D array with one value per trial ({n_trials}), got shape {array.shape}",
                hint="one entry per trial: simulate all n_trials trials and keep each one's choice and time.",
            )
    values = set(np.unique(choices).tolist())
    if values <= {-1.0, 1.0} and -1.0 in values:
        raise Feedback(
            "choices are coded as -1 and +1; the exercise codes them 1 (upper bound) and 0 (lower bound)",
            hint="the sign of x at the bound is ±1; convert it to 1/0, e.g. with a comparison that gives a boolean.",
        )
    if not values <= {0.0, 1.0}:
        raise Feedback(
            f"choices should be 0 or 1, got the values {sorted(values)[:6]}",
            hint="choice 1 means x reached +bound, choice 0 means it reached -bound.",
        )
    if np.any(times < 0):
        raise Feedback(
            f"decision times should be positive, got a minimum of {times.min():g}",
            hint="a trial starts at t = 0 and its time only grows.",
        )
    unfinished = int(np.sum(times == 0))
    if unfinished == n_trials:
        raise Feedback(
            "every decision time is 0: no trial's time was recorded",
            hint="a trial that stops after its k-th update took k·dt seconds; record that time when |x| first reaches the bound.",
        )
    if unfinished:
        raise Feedback(
            f"{unfinished} of the {n_trials} trials have decision time 0: they never reached the bound before the "
            f"simulation stopped (the longest recorded time is {times.max():.3g} s)",
            hint="do not stop the simulation after a fixed time: keep updating the trials that are still running "
            "until every one of them has reached a bound.",
        )
    return choices, times


@check("DDM simulation")
def check_ddm_simulation(simulate_ddm):
    """Check ``simulate_ddm(drift, bound, noise, dt, n_trials, seed) -> (choices, decision_times)``."""
    for index, case in enumerate(DDM_CASES):
        try:
            out = call(simulate_ddm, "simulate_ddm", *case.args(), forbid=[decision.simulate_ddm],
                       time_limit_s=_TIME_LIMIT_S, time_limit_hint=_TIME_LIMIT_HINT)
            choices, times = _unpack_ddm(out, case.n_trials)
            expected = task.expected_stats(case)
            got = task.DDMStats(float(np.mean(choices)), float(np.mean(times)), float(np.std(times)))
            n_expected = task.REFERENCE_TRIALS if case.simulated_reference else None
            p_ok, t_ok = _close(got, expected, case.n_trials, n_expected=n_expected)
            if not (p_ok and t_ok):
                raise _diagnose_ddm(case, got, expected, choices, times, n_expected)
            if not _same_distribution(times, task.reference_times(case)):
                raise _diagnose_shape(case, times)
            if index == 0:
                again = _unpack_ddm(call(simulate_ddm, "simulate_ddm", *case.args(), forbid=[decision.simulate_ddm],
                                         time_limit_s=_TIME_LIMIT_S, time_limit_hint=_TIME_LIMIT_HINT), case.n_trials)
                if not (np.array_equal(again[0], choices) and np.array_equal(again[1], times)):
                    raise Feedback(
                        "two runs with the same seed gave different results",
                        hint="make one generator from the seed, np.random.default_rng(seed), and draw all the noise from it.",
                    )
        except Feedback as feedback:
            raise in_case(case.description, feedback) from None
        yield (
            f"{case.description}: P(upper) = {got.p_upper:.3f} (theory {expected.p_upper:.3f}), "
            f"mean decision time {got.mean_time:.3f} s (theory {expected.mean_time:.3f} s), distribution of times as simulated"
        )


def _diagnose_shape(case: task.DDMCase, times: np.ndarray) -> Feedback:
    """The choices and mean time agree but the times are not distributed as first-passage times."""
    reference = task.reference_times(case)
    if np.ptp(times) == 0:
        shape = "every trial has the same decision time"
    elif np.std(times) < 0.5 * np.std(reference):
        shape = "the decision times are much less spread than first-passage times"
    elif np.std(times) > 1.5 * np.std(reference):
        shape = "the decision times are much more spread than first-passage times"
    else:
        shape = "the decision times have the right mean but not the shape of first-passage times"
    return Feedback(
        f"the fraction of upper choices and the mean time agree with theory, but {shape} (their distribution is "
        "far from that of a simulated diffusion)",
        hint="each trial's time must come from its own simulated path: the step at which that path first "
        "reaches |x| >= bound, times dt. Neither the choices nor the times can be drawn from a formula.",
    )


def _diagnose_ddm(case: task.DDMCase, got: task.DDMStats, expected: task.DDMStats, choices: np.ndarray,
                  times: np.ndarray, n_expected: int | None = None) -> Feedback:
    n = case.n_trials
    summary = (
        f"P(upper) = {got.p_upper:.3f} and mean decision time {got.mean_time:.4g} s, "
        f"expected {expected.p_upper:.3f} and {expected.mean_time:.3f} s"
    )
    if np.ptp(times) == 0 and np.ptp(choices) == 0:
        return Feedback(
            "every trial has the same choice and the same decision time: the trials all follow one path",
            hint="draw a separate noise value for each trial at each step (an array of random numbers, one per "
            "running trial), not one number shared by all the trials.",
        )
    if np.ptp(times) == 0:
        return Feedback(
            f"every trial has the same decision time, {times[0]:g} s: the trials do not stop at the bound",
            hint="a trial is over the first time |x| >= bound: record its time and choice then, and stop updating it.",
        )
    # Times in steps: the same mean once divided by dt.
    in_seconds = task.DDMStats(got.p_upper, got.mean_time * case.dt, got.sd_time * case.dt)
    if all(_close(in_seconds, expected, n, n_expected=n_expected)):
        return Feedback(
            f"the decision times look like numbers of steps: mean {got.mean_time:.4g}, expected {expected.mean_time:.3f} s",
            hint="a trial that stops after k steps took k·dt seconds.",
        )
    if all(_close(task.DDMStats(got.p_upper, got.mean_time / 1000, got.sd_time / 1000), expected, n, n_expected=n_expected)):
        return Feedback(
            "the decision times look like milliseconds: they are 1000 times the expected seconds",
            hint="dt is in seconds, so k steps take k·dt seconds.",
        )
    one_step_early = task.DDMStats(got.p_upper, got.mean_time + case.dt, got.sd_time)
    if all(_close(one_step_early, expected, n, n_expected=n_expected)):
        return Feedback(
            f"{summary}: the times are one step (dt = {case.dt:g} s) too short",
            hint="count the steps a trial has taken: after its first update it has run for dt, not 0, "
            "so the time of a trial that stops on its k-th update is k·dt with k starting at 1.",
        )
    one_step_late = task.DDMStats(got.p_upper, got.mean_time - case.dt, got.sd_time)
    if all(_close(one_step_late, expected, n, n_expected=n_expected)):
        return Feedback(
            f"{summary}: the times are one step (dt = {case.dt:g} s) too long",
            hint="a trial that stops on its k-th update has run for k·dt, counting its first update as k = 1.",
        )
    swapped = task.DDMStats(1 - got.p_upper, got.mean_time, got.sd_time)
    if all(_close(swapped, expected, n)) and abs(expected.p_upper - 0.5) > 0.1:
        return Feedback(
            f"the choices are swapped: P(upper) = {got.p_upper:.3f}, expected {expected.p_upper:.3f}",
            hint="choice 1 is the upper bound (+bound), choice 0 the lower (-bound).",
        )
    variants = [
        (dict(noise=case.noise / math.sqrt(case.dt)), "the noise per step is far too large, as if it were noise·ξ without √dt",
         "the noise of a diffusion grows like √t, so one step of length dt adds noise·√dt·ξ. "
         "Without √dt the walk is much noisier and hits a bound within a few steps."),
        (dict(noise=case.noise * math.sqrt(case.dt)), "the noise per step is far too small, as if it were noise·dt·ξ",
         "the variance of Brownian motion grows in proportion to time, so its standard deviation "
         "over one step is √dt, not dt; with dt the walk is almost deterministic."),
    ]
    variants.append((dict(drift=case.drift / case.dt), "the drift per step is far too large, as if it were drift without ·dt",
                     "the drift moves x by drift·dt in one step of length dt, and the noise by noise·√dt·ξ."))
    for fraction in (0.5, -0.5):
        variants.append((
            dict(start=fraction * case.bound),
            f"the trials start at {'+' if fraction > 0 else '−'}bound/2, not at 0",
            "an unbiased decision starts halfway between the bounds: x = 0 at t = 0.",
        ))
    for changes, message, hint in variants:
        if all(_close(got, task.variant_stats(case, **changes), n, n_expected=4000)):
            return Feedback(f"{summary}: {message}", hint=hint)
    p_ok, t_ok = _close(got, expected, n, n_expected=n_expected)
    if t_ok and not p_ok:
        return Feedback(
            f"{summary}: the times agree with theory but the choices do not",
            hint="take each trial's choice from the bound it reached first, at the time it reached it, "
            "not from x at the end of the simulation.",
        )
    return Feedback(
        f"{summary}; a correct simulation agrees within {Z_TOLERANCE:g} standard errors",
        hint="start every trial at x = 0, add drift·dt + noise·√dt·ξ per step, and stop each trial "
        "the first time |x| >= bound.",
    )


# ---------------------------------------------------------------------------
# Reward rate and the optimal bound
# ---------------------------------------------------------------------------


def _describe(params: dict[str, float]) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in params.items())


def _reward_rate_mistakes(params: dict[str, float]) -> list[Mistake]:
    def rr(**changes):
        return decision.ddm_reward_rate(**{**params, **changes})

    accuracy = decision.ddm_accuracy(params["drift"], params["bound"], params["noise"])
    return [
        Mistake(lambda: rr(non_decision_s=2 * params["non_decision_s"]), "the non-decision time is counted twice",
                "a trial lasts DT + t0 + D: the non-decision time t0 once."),
        Mistake(lambda: rr(non_decision_s=0.0), "the non-decision time is missing",
                "each trial also takes t0 for perception and movement."),
        Mistake(lambda: rr(inter_trial_s=0.0), "the inter-trial interval is missing",
                "the time between a response and the next stimulus also counts."),
        Mistake(lambda: rr() * (1 - accuracy) / accuracy, "the numerator is the error rate",
                "only correct decisions are rewarded: the numerator is 1 − ER."),
        Mistake(lambda: accuracy / (decision.ddm_mean_decision_time_s(params["drift"], params["bound"], params["noise"])
                                    + 1000 * (params["non_decision_s"] + params["inter_trial_s"])),
                "the non-decision time and the interval are in milliseconds, the decision time in seconds",
                "non_decision_s and inter_trial_s are in seconds, like the closed-form decision time."),
    ]


@check("reward rate")
def check_reward_rate(reward_rate):
    """Check ``reward_rate(drift, bound, noise, non_decision_s, inter_trial_s)`` on the task's setting and fresh ones."""
    for params in task.reward_rate_cases(task.fresh_rng()):
        got = as_number(
            call(reward_rate, "reward_rate", forbid=[decision.ddm_reward_rate], **params),
            "reward_rate's result",
            hint="return one number: correct decisions per second, from the closed-form accuracy and decision time.",
        )
        expected = decision.ddm_reward_rate(**params)
        if not close(got, expected, _RELATIVE):
            mistake = diagnose(got, expected, _reward_rate_mistakes(params), _RELATIVE)
            message = f"your reward rate is {off_by(got, expected, near=0.01)}"
            if mistake:
                raise in_case(_describe(params), Feedback(f"{message}: {mistake.message}", hint=mistake.hint))
            raise in_case(_describe(params), Feedback(
                message, hint="RR = (1 − ER) / (DT + t0 + D), with ER and DT from the closed forms for a start at 0."))
        yield f"{_describe(params)}: {got:.4f} correct decisions per second"


@check("optimal bound")
def check_optimal_bound(optimal_bound):
    """Check ``optimal_bound(drift, noise, non_decision_s, inter_trial_s)``, the bound that maximises the reward rate.

    Run on :data:`OPTIMAL_BOUND_SETTING` and on fresh settings, with
    :func:`~neuro4ml.models.decision.ddm_optimal_bound` unavailable; within 1e-3 of it.
    """
    for setting in task.optimal_bound_settings(task.fresh_rng()):
        description = _describe(setting)
        out = call(optimal_bound, "optimal_bound", setting["drift"], setting["noise"], setting["non_decision_s"],
                   setting["inter_trial_s"], forbid=[decision.ddm_optimal_bound])
        try:
            got = as_number(out, "the returned bound", minimum=0.0, include_minimum=False, allow_one_element=False,
                            hint="return the bound itself, a positive float; an optimiser's result .x is an array "
                            "(one entry per parameter), so take the number out of it.")
        except Feedback as feedback:
            raise in_case(description, feedback) from None
        expected = decision.ddm_optimal_bound(**setting)
        rest = {k: v for k, v in setting.items() if k != "drift"}
        best = decision.ddm_reward_rate(setting["drift"], expected, **rest)
        if not close(got, expected, Tolerance(rtol=0.0, atol=1e-3)):
            rate = decision.ddm_reward_rate(setting["drift"], got, **rest)
            doubled = decision.ddm_optimal_bound(setting["drift"], setting["noise"],
                                                 non_decision_s=2 * setting["non_decision_s"], inter_trial_s=setting["inter_trial_s"])
            if close(got, doubled, Tolerance(rtol=0.0, atol=1e-3)):
                raise in_case(description, Feedback("that optimum counts the non-decision time twice",
                                                    hint="a trial lasts DT + t0 + D."))
            raise in_case(description, Feedback(
                f"the bound is {off_by(got, expected, near=0.01)}; its reward rate is {100 * (1 - rate / best):.2g} % "
                "below the best",
                hint="maximise your reward_rate over the bound for the setting passed in, e.g. with "
                "scipy.optimize.minimize_scalar on its negative; a grid must be fine (steps of 1e-4) to be this precise.",
            ))
        yield f"{description}: best bound {got:.4f}, {best:.4f} correct decisions per second"


# ---------------------------------------------------------------------------
# Log-likelihood
# ---------------------------------------------------------------------------


@check("DDM log-likelihood")
def check_log_likelihood(log_likelihood):
    """Check ``log_likelihood(params, choices, rt_s)`` with ``params = (drift, bound, non_decision_s)`` on fresh data."""
    cases = task.log_likelihood_cases(task.fresh_rng())
    for description, params, choices, rt in cases:
        value = call(log_likelihood, "log_likelihood", params, choices.copy(), rt.copy(), forbid=[decision.ddm_log_likelihood])
        expected = decision.ddm_log_likelihood(choices, rt, *params)
        got = _log_l_value(value)
        if got == -np.inf:
            raise in_case(description, _diagnose_minus_inf(expected, params, choices, rt))
        if not close(got, expected, Tolerance(rtol=1e-5, atol=1e-8)):
            raise in_case(description, _diagnose_ll(got, expected, params, choices, rt))
        yield f"{description}: log L = {got:.3f}"
    # A reaction time faster than the non-decision time is impossible: log L = -inf.
    description, params, choices, rt = cases[0]
    too_slow = (params[0], params[1], float(rt.min()) + 0.01)
    value = call(log_likelihood, "log_likelihood", too_slow, choices.copy(), rt.copy(), forbid=[decision.ddm_log_likelihood])
    number = as_number(value, "log_likelihood's result", finite=False)
    if not number == -np.inf:
        raise Feedback(
            "with non_decision_s longer than the fastest reaction time, expected -inf, got a finite log L",
            hint="a trial whose reaction time is shorter than t0 has density 0: its log is -inf (the density function "
            "returns 0 for decision times <= 0; np.log(0) is -inf). A small number added inside the log hides that.",
        )
    yield "a reaction time shorter than the non-decision time makes log L = -inf"


def _log_l_value(value: Any) -> float:
    """The learner's log L as one float; -inf is allowed (a density of 0), NaN and +inf are not."""
    hint = "return the sum of the log densities over trials (one number)."
    number = as_number(value, "log_likelihood's result", finite=False, hint=hint)
    if np.isnan(number) or number == np.inf:
        raise Feedback(f"log_likelihood's result is {number}", hint=hint)
    return number


def _diagnose_minus_inf(expected: float, params, choices, rt) -> Feedback:
    drift, bound, t0 = params
    message = "expected a finite log L, got -inf (some trial was given density 0)"
    with np.errstate(all="ignore"):
        densities = decision.first_passage_density(rt - t0, 1, drift, bound)
        densities = np.where(choices == 1, densities, decision.first_passage_density(rt - t0, 0, drift, bound))
        product = float(np.prod(densities))
    if np.all(densities > 0) and product == 0.0:
        return Feedback(
            f"expected a finite log L, got -inf: every density here is positive, but their product over "
            f"{len(rt)} trials underflows to 0 (the smallest float is about e^-745), and log(0) = -inf",
            hint="a product of many densities is too small for a float: use log(a·b) = log a + log b and add "
            "the logs of the densities instead.",
        )
    return Feedback(
        f"{message}: every reaction time here is longer than t0, so every decision time RT − t0 is positive, but "
        "one of yours came out zero or negative (as subtracting the non-decision time twice, or t0 in milliseconds, "
        "would make it)",
        hint="subtract t0 from the reaction times once, in the same unit (seconds): t0 subtracted twice, or t0 in "
        "milliseconds, makes some decision times negative.",
    )


def _diagnose_ll(got, expected, params, choices, rt) -> Feedback:
    drift, bound, t0 = params
    upper = choices == 1
    ll = decision.ddm_log_likelihood
    mistakes = [
        Mistake(lambda: ll(choices[upper], rt[upper], drift, bound, t0), "only the upper-bound (choice 1) trials are counted",
                "error responses carry information too: each trial contributes the density of the bound it chose."),
        Mistake(lambda: ll(np.ones_like(choices), rt, drift, bound, t0), "every trial uses the upper bound's density",
                "a choice-0 trial ended at the lower bound: use that bound's density for it."),
        Mistake(lambda: ll(1 - choices, rt, drift, bound, t0),
                "the choices are swapped, each trial is given the density of the other bound",
                "choice 1 ended at the upper bound and choice 0 at the lower: pass each trial's own choice to the density."),
        Mistake(lambda: ll(choices, rt, drift, bound, 2 * t0) if 2 * t0 < rt.min() else None,
                "that is the non-decision time twice, subtracted from RT and again",
                "the decision time is RT − t0; subtract t0 once (check whether the times were already shifted)."),
        Mistake(lambda: ll(choices, rt, drift, bound, 0.0), "the non-decision time is not subtracted",
                "the density is of the decision time, RT − t0, not of the reaction time."),
        Mistake(expected / len(rt), "that is the mean over trials", "the log-likelihood is the sum over trials."),
        Mistake(-expected, "that is the negative log-likelihood", "return log L itself; minimise its negative when fitting."),
    ]
    message = f"your log L is {off_by(got, expected, near=0.01)}"
    mistake = diagnose(got, expected, mistakes, Tolerance(rtol=1e-5, atol=1e-8))
    if mistake:
        return Feedback(f"{message}: {mistake.message}", hint=mistake.hint)
    return Feedback(message, hint="log L = Σ log f(RT − t0 | choice) with the first-passage density of each trial's bound.")


# ---------------------------------------------------------------------------
# Fits per condition and held-out scores
# ---------------------------------------------------------------------------

#: Tolerance on a reported mean log-likelihood per trial (about -1 per trial here).
_SCORE = Tolerance(rtol=1e-4, atol=1e-4)
#: A fit is accepted when its training log-likelihood is within this many nats of the library's fit.
_FIT_TOLERANCE_NATS = 1.0


def _mean_ll(data: ReactionTimeData, params: tuple[float, float, float]) -> float:
    return decision.ddm_log_likelihood(data.choices, data.rt_s, *params) / len(data)


@check("fits per condition and held-out scores")
def check_condition_fits(fits, held_out_scores, train: ReactionTimeData, test: ReactionTimeData):
    """Check the per-condition fits and their held-out scores.

    ``fits[(conflict, dbs)] = (drift, bound, non_decision_s)`` fitted on ``train`` and
    ``held_out_scores[(conflict, dbs)]``, the mean log-likelihood per trial on ``test``.
    """
    fits = require(fits, "fits")
    held_out_scores = require(held_out_scores, "held_out_scores")
    for name, value in (("fits", fits), ("held_out_scores", held_out_scores)):
        if not isinstance(value, dict):
            raise Feedback(f"expected {name} to be a dict keyed by condition, got {type(value).__name__}")
        missing = [c for c in CONDITIONS if c not in value]
        if missing:
            raise Feedback(f"{name} has no entry for the condition(s) {missing}", hint="use the keys of CONDITIONS, e.g. ('LC', 0).")
    every = ReactionTimeData(
        **{name: np.concatenate([getattr(train, name), getattr(test, name)]) for name in train.__dataclass_fields__}
    )
    for conflict, dbs in CONDITIONS:
        key = (conflict, dbs)
        label = f"condition {key}"
        params = as_array(fits[key], f"fits[{key}]", shape=(3,), hint="(drift, bound, non_decision_s)")
        drift, bound, t0 = (float(v) for v in params)
        tr, te, al = train.condition(conflict, dbs), test.condition(conflict, dbs), every.condition(conflict, dbs)
        if not (bound > 0 and 0 <= t0 < tr.rt_s.min()):
            raise Feedback(
                f"{label}: bound {bound:g} and non_decision_s {t0:g} are impossible",
                hint="the bound is positive and the non-decision time lies between 0 and the fastest training reaction time.",
            )
        score = as_number(held_out_scores[key], f"held_out_scores[{key}]", hint="the mean log-likelihood per test trial.")
        expected = _mean_ll(te, (drift, bound, t0))
        if not close(score, expected, _SCORE):
            same = lambda value: close(score, value, _SCORE)  # noqa: E731
            if same(_mean_ll(tr, (drift, bound, t0))):
                raise Feedback(
                    f"{label}: the reported held-out score {score:.5f} is the score on the training trials",
                    hint="score the fitted parameters on the test trials, which the fit never saw.",
                )
            if same(_mean_ll(al, (drift, bound, t0))):
                raise Feedback(
                    f"{label}: the reported held-out score {score:.5f} is the score on all trials, test and training together",
                    hint="a held-out score uses only the test trials.",
                )
            if same(expected * len(te)):
                raise Feedback(f"{label}: the held-out score is a sum over trials", hint="report the mean log-likelihood per trial.")
            if same(-expected):
                raise Feedback(
                    f"{label}: the held-out score {score:.5f} has the wrong sign: it is the negative log-likelihood",
                    hint="the score is the log-likelihood itself (higher is better); the loss the optimiser "
                    "minimises is its negative.",
                )
            if bound > 0 and same(_mean_ll(te, (bound, drift, t0))):
                raise Feedback(
                    f"{label}: your score fits the parameters (drift, bound) = ({bound:g}, {drift:g}): the fit is "
                    "stored in another order than (drift, bound, non_decision_s)",
                    hint="store each fit as (drift, bound, non_decision_s), the order log_likelihood unpacks.",
                )
            raise Feedback(
                f"{label}: expected a held-out score of {expected:.5f} for your parameters, got {score:.5f}",
                hint="the score is log_likelihood(fits[key], test choices, test rt_s) divided by the number of test trials.",
            )
        on_train = decision.fit_ddm(tr.choices, tr.rt_s)
        on_all = decision.fit_ddm(al.choices, al.rt_s)
        # How far (in nats) the learner's parameters are from each maximum: a fit of the training
        # trials is at the first; a fit of all the trials at the second.
        gap_train = on_train.log_likelihood - _mean_ll(tr, (drift, bound, t0)) * len(tr)
        gap_all = on_all.log_likelihood - _mean_ll(al, (drift, bound, t0)) * len(al)
        if gap_train > 0.05:
            on_test = decision.fit_ddm(te.choices, te.rt_s)
            gap_test = on_test.log_likelihood - _mean_ll(te, (drift, bound, t0)) * len(te)
            if gap_test <= 0.5 and gap_test < min(gap_train, gap_all):
                raise Feedback(
                    f"{label}: these parameters maximise the likelihood of the TEST trials: they were fitted on "
                    "the test trials, so the score on those trials is not a held-out score",
                    hint="fit on the training trials only, then score on the test trials.",
                )
        if gap_train > 0.05 and gap_all < gap_train:
            raise Feedback(
                f"{label}: these parameters maximise the likelihood of ALL the trials (test included), "
                "so the score on the test trials is not a held-out score",
                hint="fit on the training trials only, then score on the test trials.",
            )
        if not (gap_train <= _FIT_TOLERANCE_NATS):
            pooled = decision.fit_ddm(train.choices, train.rt_s)
            if close((drift, bound, t0), (pooled.drift, pooled.bound, pooled.non_decision_s), Tolerance(rtol=0.02, atol=0.005)):
                raise Feedback(
                    f"{label}: these are the parameters of one fit to the training trials of ALL conditions pooled",
                    hint="fit each condition separately, on train.condition(conflict, dbs), to see how they differ.",
                )
            raise Feedback(
                f"{label}: the fit is not at the maximum of the training likelihood: log L is "
                f"{gap_train:.2f} below the best, {on_train.log_likelihood:.2f}",
                hint="try another starting point, or check the optimiser's result.success and message.",
            )
        yield f"{label}: fitted on {len(tr)} trials, held-out log-likelihood {score:.4f} per trial on {len(te)}"
