"""Answer checks for the week 7 exercise: decision making.

* :func:`check_ddm_simulation` runs the learner's ``simulate_ddm(drift, bound, noise,
  dt, n_trials, seed)`` on several parameter sets and compares the fraction of upper
  choices and the mean decision time with the closed forms of
  :mod:`neuro4ml.models.decision.ddm`, within Monte Carlo error. When they differ it recomputes
  the likely mistakes with the library (noise without :math:`\\sqrt{dt}`, noise times
  :math:`dt`) and recognises choices coded :math:`\\pm1` or swapped, times in steps,
  trials that do not stop at the bound, times one step early (a case at dt = 0.02 s compared
  with a long library run), wrong lengths and NaNs; a simulation still running after
  :data:`_TIME_LIMIT_S` seconds is stopped.
* :func:`check_reward_rate` compares the learner's reward rate with
  :func:`~neuro4ml.models.decision.ddm_reward_rate` (non-decision time counted twice or
  forgotten, the inter-trial interval forgotten, errors rewarded).
* :func:`check_log_likelihood` compares the learner's DDM log-likelihood with
  :func:`~neuro4ml.models.decision.ddm_log_likelihood` (error responses ignored or given the
  correct bound's density, non-decision time subtracted twice or not at all, a mean
  instead of a sum, a negated value, swapped choices, and the log of a product of densities,
  which underflows on the 1000-trial case).
* :func:`check_condition_fits` checks the per-condition fits and the held-out scores of
  the real-data task (a score on the training trials, or on all trials, reported as
  held-out; a fit on all trials or on the test trials; one fit pooled over the conditions;
  parameters stored in another order; a sum instead of a mean; a negated score).
* :func:`check_optimal_bound` wants one number (an optimiser's ``.x`` array is refused, so
  that the plot cell after it can use the answer).

**Monte Carlo tolerance.** A correct simulation differs from the closed forms by
chance and, because the bound is only checked every ``dt``, by a small overshoot
(Siegmund's correction, see :mod:`neuro4ml.models.decision.ddm`). The checks compare with the
closed forms at the corrected bound and allow :data:`Z_TOLERANCE` standard errors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from neuro4ml.models import decision
from neuro4ml.check.core import Feedback, as_array, as_number, call, check, describe, in_case, require
from neuro4ml.data.reaction_times import CONDITIONS, ReactionTimeData
from neuro4ml.models.decision.ddm import SIEGMUND_OVERSHOOT

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

#: Standard errors allowed between a simulation and the closed forms. With 3 cases and
#: 2 statistics each, a correct simulation fails by chance about once in 3,000 runs.
Z_TOLERANCE = 4.5


@dataclass(frozen=True)
class _DDMCase:
    drift: float
    bound: float
    noise: float
    dt: float
    n_trials: int
    seed: int
    #: Compare with a long library run at the same dt instead of the closed forms: at a large dt
    #: the first-order overshoot correction is not precise enough to see a one-step error.
    simulated_reference: bool = False

    @property
    def description(self) -> str:
        return (
            f"drift={self.drift:g}, bound={self.bound:g}, noise={self.noise:g}, dt={self.dt:g} s, "
            f"n_trials={self.n_trials}, seed={self.seed}"
        )

    def args(self) -> tuple:
        return (self.drift, self.bound, self.noise, self.dt, self.n_trials, self.seed)


#: The parameter sets of :func:`check_ddm_simulation`: the template's defaults first, then
#: others (a weak drift, and a negative drift with more noise and a smaller step).
DDM_CASES = (
    _DDMCase(1.0, 1.0, 1.0, 1e-3, 2000, 0),
    _DDMCase(0.5, 0.8, 0.7, 2e-3, 2000, 1),
    _DDMCase(-1.5, 1.2, 1.5, 5e-4, 1500, 2),
    # A coarse step with short, tightly spread decision times: a time recorded one step early
    # (0.02 s out of about 0.27 s) is more than 8 standard errors off.
    _DDMCase(2.0, 0.5, 0.5, 0.02, 4000, 3, simulated_reference=True),
)

#: Trials of the library run a ``simulated_reference`` case is compared with.
_REFERENCE_TRIALS = 20000
#: Seconds the learner's simulation may run on one case before the check stops it.
_TIME_LIMIT_S = 60.0
#: What to look for when the learner's simulation runs past :data:`_TIME_LIMIT_S`.
_TIME_LIMIT_HINT = (
    "a loop that never ends: does every trial stop once |x| >= bound, and does the loop end "
    "when no trial is still running?"
)


@dataclass(frozen=True)
class _Stats:
    p_upper: float
    mean_time: float
    sd_time: float


def _expected(case: _DDMCase) -> _Stats:
    """Closed forms at the overshoot-corrected bound; the spread of the times from a library run."""
    if case.simulated_reference:
        run = decision.simulate_ddm(
            case.drift, case.bound, case.noise, dt_s=case.dt, n_trials=_REFERENCE_TRIALS, rng=12345
        )
        return _Stats(run.p_upper, run.mean_decision_time_s, float(np.nanstd(run.decision_times_s)))
    bound = case.bound + SIEGMUND_OVERSHOOT * case.noise * math.sqrt(case.dt)
    run = decision.simulate_ddm(case.drift, case.bound, case.noise, dt_s=case.dt, n_trials=4000, rng=12345)
    return _Stats(
        decision.ddm_choice_probability(case.drift, bound, case.noise),
        decision.ddm_mean_decision_time_s(case.drift, bound, case.noise),
        float(np.nanstd(run.decision_times_s)),
    )


def _simulated(case: _DDMCase, noise: float) -> _Stats:
    """A library simulation of a mistaken variant (same drift, bound and dt, another noise per step)."""
    run = decision.simulate_ddm(case.drift, case.bound, noise, dt_s=case.dt, n_trials=4000, rng=999, max_time_s=60.0)
    return _Stats(run.p_upper, run.mean_decision_time_s, float(np.nanstd(run.decision_times_s)))


def _close(got: _Stats, expected: _Stats, n: int, *, n_expected: int | None = None) -> tuple[bool, bool]:
    """Whether the learner's fraction of upper choices and mean time agree with ``expected`` within MC error."""
    p = min(max(expected.p_upper, 1.0 / n), 1 - 1.0 / n)
    se_p = math.sqrt(p * (1 - p) / n)
    se_t = expected.sd_time / math.sqrt(n)
    if n_expected is not None:  # the expectation is itself a simulation
        se_p = math.hypot(se_p, math.sqrt(p * (1 - p) / n_expected))
        se_t = math.hypot(se_t, expected.sd_time / math.sqrt(n_expected))
    # Written as `error <= tolerance`, so a NaN fails (the values were checked finite already).
    p_ok = abs(got.p_upper - expected.p_upper) <= Z_TOLERANCE * se_p + 1e-12
    t_ok = abs(got.mean_time - expected.mean_time) <= Z_TOLERANCE * se_t + 1e-12
    return p_ok, t_ok


def _unpack_ddm(out: Any, n_trials: int) -> tuple[np.ndarray, np.ndarray]:
    if out is None:
        raise Feedback(
            "simulate_ddm returned None: did you forget the `return`?",
            hint="return the two arrays, choices first and decision times second.",
        )
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
    if np.any(times <= 0):
        raise Feedback(
            f"decision times should be positive, got a minimum of {times.min():g}",
            hint="a trial starts at t = 0 and needs at least one step to reach the bound.",
        )
    return choices, times


@check("DDM simulation")
def check_ddm_simulation(simulate_ddm):
    """Check ``simulate_ddm(drift, bound, noise, dt, n_trials, seed) -> (choices, decision_times)``."""
    for index, case in enumerate(DDM_CASES):
        try:
            out = call(simulate_ddm, "simulate_ddm", *case.args(), time_limit_s=_TIME_LIMIT_S, time_limit_hint=_TIME_LIMIT_HINT)
            choices, times = _unpack_ddm(out, case.n_trials)
            expected = _expected(case)
            got = _Stats(float(np.mean(choices)), float(np.mean(times)), float(np.std(times)))
            n_expected = _REFERENCE_TRIALS if case.simulated_reference else None
            p_ok, t_ok = _close(got, expected, case.n_trials, n_expected=n_expected)
            if not (p_ok and t_ok):
                raise _diagnose_ddm(case, got, expected, times, n_expected)
            if index == 0:
                again = _unpack_ddm(call(simulate_ddm, "simulate_ddm", *case.args()), case.n_trials)
                if not (np.array_equal(again[0], choices) and np.array_equal(again[1], times)):
                    raise Feedback(
                        "two runs with the same seed gave different results",
                        hint="make one generator from the seed, np.random.default_rng(seed), and draw all the noise from it.",
                    )
        except Feedback as feedback:
            raise in_case(case.description, feedback) from None
        yield (
            f"{case.description}: P(upper) = {got.p_upper:.3f} (theory {expected.p_upper:.3f}), "
            f"mean decision time {got.mean_time:.3f} s (theory {expected.mean_time:.3f} s)"
        )


def _diagnose_ddm(case: _DDMCase, got: _Stats, expected: _Stats, times: np.ndarray, n_expected: int | None = None) -> Feedback:
    n = case.n_trials
    summary = (
        f"P(upper) = {got.p_upper:.3f} and mean decision time {got.mean_time:.4g} s, "
        f"expected {expected.p_upper:.3f} and {expected.mean_time:.3f} s"
    )
    if np.ptp(times) == 0:
        return Feedback(
            f"every trial has the same decision time, {times[0]:g} s: the trials do not stop at the bound",
            hint="a trial is over the first time |x| >= bound: record its time and choice then, and stop updating it.",
        )
    # Times in steps: the same mean once divided by dt.
    in_seconds = _Stats(got.p_upper, got.mean_time * case.dt, got.sd_time * case.dt)
    if all(_close(in_seconds, expected, n, n_expected=n_expected)):
        return Feedback(
            f"the decision times look like numbers of steps: mean {got.mean_time:.4g}, expected {expected.mean_time:.3f} s",
            hint="a trial that stops after k steps took k·dt seconds.",
        )
    one_step_early = _Stats(got.p_upper, got.mean_time + case.dt, got.sd_time)
    if all(_close(one_step_early, expected, n, n_expected=n_expected)) and not all(_close(got, expected, n, n_expected=n_expected)):
        return Feedback(
            f"{summary}: the times are one step (dt = {case.dt:g} s) too short",
            hint="count the steps a trial has taken: after its first update it has run for dt, not 0, "
            "so the time of a trial that stops on its k-th update is k·dt with k starting at 1.",
        )
    swapped = _Stats(1 - got.p_upper, got.mean_time, got.sd_time)
    if all(_close(swapped, expected, n)) and abs(expected.p_upper - 0.5) > 0.1:
        return Feedback(
            f"the choices are swapped: P(upper) = {got.p_upper:.3f}, expected {expected.p_upper:.3f}",
            hint="choice 1 is the upper bound (+bound), choice 0 the lower (-bound).",
        )
    no_sqrt = _simulated(case, case.noise / math.sqrt(case.dt))
    if all(_close(got, no_sqrt, n, n_expected=4000)):
        return Feedback(
            f"{summary}: the noise per step is far too large, as if it were noise·ξ without √dt",
            hint="the noise of a diffusion grows like √t, so one step of length dt adds noise·√dt·ξ. "
            "Without √dt the walk is much noisier and hits a bound within a few steps.",
        )
    dt_not_sqrt = _simulated(case, case.noise * math.sqrt(case.dt))
    if all(_close(got, dt_not_sqrt, n, n_expected=4000)):
        return Feedback(
            f"{summary}: the noise per step is far too small, as if it were noise·dt·ξ",
            hint="the variance of Brownian motion grows in proportion to time, so its standard deviation "
            "over one step is √dt, not dt; with dt the walk is almost deterministic.",
        )
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
# Reward rate
# ---------------------------------------------------------------------------

_RR_CASES = (
    dict(drift=1.0, bound=1.0, noise=1.0, non_decision_s=0.3, inter_trial_s=1.0),
    dict(drift=0.6, bound=0.4, noise=0.8, non_decision_s=0.45, inter_trial_s=2.0),
    dict(drift=2.0, bound=1.5, noise=1.2, non_decision_s=0.2, inter_trial_s=0.5),
)


def _describe(params: dict[str, float]) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in params.items())


@check("reward rate")
def check_reward_rate(reward_rate):
    """Check ``reward_rate(drift, bound, noise, non_decision_s, inter_trial_s)``."""
    for params in _RR_CASES:
        got = as_number(
            call(reward_rate, "reward_rate", **params),
            "reward_rate's result",
            hint="return one number: correct decisions per second, from the closed-form accuracy and decision time.",
        )
        expected = decision.ddm_reward_rate(**params)
        if not (abs(got - expected) <= 1e-6 * abs(expected)):
            raise in_case(_describe(params), _diagnose_reward_rate(got, expected, params))
        yield f"{_describe(params)}: {got:.4f} correct decisions per second"


def _diagnose_reward_rate(got: float, expected: float, params: dict[str, float]) -> Feedback:
    def rr(**changes):
        return decision.ddm_reward_rate(**{**params, **changes})

    accuracy = decision.ddm_accuracy(params["drift"], params["bound"], params["noise"])
    denominator = accuracy / expected
    same = lambda value: abs(got - value) <= 1e-6 * abs(value)  # noqa: E731
    message = f"expected {expected:.6g}, got {got:.6g}"
    if same(rr(non_decision_s=2 * params["non_decision_s"])):
        return Feedback(f"{message}: the non-decision time is counted twice", hint="a trial lasts DT + t0 + D: the non-decision time t0 once.")
    if same(rr(non_decision_s=0.0)):
        return Feedback(f"{message}: the non-decision time is missing", hint="each trial also takes t0 for perception and movement.")
    if same(rr(inter_trial_s=0.0)):
        return Feedback(f"{message}: the inter-trial interval is missing", hint="the time between a response and the next stimulus also counts.")
    if same((1 - accuracy) / denominator):
        return Feedback(f"{message}: the numerator is the error rate", hint="only correct decisions are rewarded: the numerator is 1 − ER.")
    return Feedback(message, hint="RR = (1 − ER) / (DT + t0 + D), with ER and DT from the closed forms for a start at 0.")


#: The setting of the optimal-bound task: drift, noise, non-decision time and inter-trial interval.
OPTIMAL_BOUND_SETTING = dict(drift=1.0, noise=1.0, non_decision_s=0.3, inter_trial_s=1.0)


def _one_number(value: Any, name: str, *, hint: str) -> float:
    """``value`` as a float, accepting only what the next cells can use as a number (not a 1-element array)."""
    require(value, name)
    if isinstance(value, (bool, np.bool_)):
        raise Feedback(f"expected {name} to be one number, got {type(value).__name__} {value!r}", hint=hint)
    if isinstance(value, (np.ndarray, list, tuple)):
        raise Feedback(
            f"expected {name} to be one number, got {describe(value)}",
            hint="an optimiser's result .x is an array (one entry per parameter): take the number out of it, "
            "so that it can be formatted and passed on as a float.",
        )
    try:
        number = float(value)
    except Exception:
        raise Feedback(f"expected {name} to be one number, got {describe(value)}", hint=hint) from None
    if not np.isfinite(number):
        raise Feedback(f"{name} is {number}", hint=hint)
    return number


@check("optimal bound")
def check_optimal_bound(best_bound):
    """Check ``best_bound``, the bound that maximises the reward rate in :data:`OPTIMAL_BOUND_SETTING`."""
    got = _one_number(best_bound, "best_bound", hint="the bound (a positive number) where your reward rate is largest.")
    expected = decision.ddm_optimal_bound(**OPTIMAL_BOUND_SETTING)
    setting = {k: v for k, v in OPTIMAL_BOUND_SETTING.items() if k != "drift"}
    rate = lambda z: decision.ddm_reward_rate(OPTIMAL_BOUND_SETTING["drift"], z, **setting) if z > 0 else 0.0  # noqa: E731
    if not (abs(got - expected) <= 1e-3):
        message = f"expected a bound of {expected:.4f}, got {got:.4g} (reward rate {rate(got):.4f}/s, the best is {rate(expected):.4f}/s)"
        short = {k: v for k, v in setting.items()}
        doubled = decision.ddm_optimal_bound(OPTIMAL_BOUND_SETTING["drift"], short["noise"], non_decision_s=2 * short["non_decision_s"], inter_trial_s=short["inter_trial_s"])
        if abs(got - doubled) <= 1e-3:
            raise Feedback(message + ": that optimum counts the non-decision time twice", hint="a trial lasts DT + t0 + D.")
        raise Feedback(
            message,
            hint="maximise your reward_rate over the bound with the task's setting, e.g. with "
            "scipy.optimize.minimize_scalar on its negative; a grid must be fine (steps of 1e-4) to be this precise.",
        )
    yield f"best bound {got:.4f}: {rate(got):.4f} correct decisions per second"


# ---------------------------------------------------------------------------
# Log-likelihood
# ---------------------------------------------------------------------------


def _ll_cases() -> list[tuple[str, tuple[float, float, float], np.ndarray, np.ndarray]]:
    """(description, (drift, bound, non_decision_s), choices, rt_s): data simulated by the library."""
    cases = []
    for drift, bound, t0, seed, params in (
        (1.0, 0.8, 0.3, 0, (1.0, 0.8, 0.3)),
        (0.5, 1.0, 0.4, 1, (0.7, 0.9, 0.15)),
        (-0.8, 0.6, 0.35, 2, (-0.5, 0.7, 0.1)),
        # As many trials as a condition of the real data: the likelihood itself is about e^-1600,
        # far below the smallest float, so only a sum of logs can represent it.
        (0.6, 1.2, 0.3, 3, (0.6, 1.2, 0.3)),
    ):
        n_trials = 1000 if seed == 3 else 200
        run = decision.simulate_ddm(drift, bound, dt_s=1e-3, n_trials=n_trials, rng=seed, max_time_s=60.0)
        cases.append(
            (
                f"{n_trials} trials, parameters (drift, bound, non_decision_s) = {params}",
                params,
                run.choices,
                run.decision_times_s + t0,
            )
        )
    return cases


@check("DDM log-likelihood")
def check_log_likelihood(log_likelihood):
    """Check ``log_likelihood(params, choices, rt_s)`` with ``params = (drift, bound, non_decision_s)``."""
    cases = _ll_cases()
    for description, params, choices, rt in cases:
        value = call(log_likelihood, "log_likelihood", params, choices.copy(), rt.copy())
        expected = decision.ddm_log_likelihood(choices, rt, *params)
        got = _log_l_value(value)
        if got == -np.inf:
            raise in_case(description, _diagnose_minus_inf(expected, params, choices, rt))
        if not (abs(got - expected) <= 1e-5 * abs(expected) + 1e-8):
            raise in_case(description, _diagnose_ll(got, expected, params, choices, rt))
        yield f"{description}: log L = {got:.3f}"
    # A reaction time faster than the non-decision time is impossible: log L = -inf.
    description, params, choices, rt = cases[0]
    too_slow = (params[0], params[1], float(rt.min()) + 0.01)
    value = call(log_likelihood, "log_likelihood", too_slow, choices.copy(), rt.copy())
    got = as_array(require(value, "log_likelihood's result"), "log_likelihood's result", finite=False)
    if not (got.size == 1 and float(got.reshape(())) == -np.inf):
        raise Feedback(
            f"with non_decision_s longer than the fastest reaction time, expected -inf, got {got.ravel()[:1]}",
            hint="a trial whose reaction time is shorter than t0 has density 0: its log is -inf (the density function "
            "returns 0 for decision times <= 0; np.log(0) is -inf).",
        )
    yield "a reaction time shorter than the non-decision time makes log L = -inf"


def _log_l_value(value: Any) -> float:
    """The learner's log L as one float; -inf is allowed (a density of 0), NaN and +inf are not."""
    hint = "return the sum of the log densities over trials (one number)."
    array = as_array(require(value, "log_likelihood's result"), "log_likelihood's result", finite=False, hint=hint)
    if array.size != 1:
        raise Feedback(f"expected log_likelihood to return one number, got an array of shape {array.shape}", hint=hint)
    number = float(array.reshape(()))
    if np.isnan(number) or number == np.inf:
        raise Feedback(f"log_likelihood's result is {number}", hint=hint)
    return number


def _diagnose_minus_inf(expected: float, params, choices, rt) -> Feedback:
    drift, bound, t0 = params
    message = f"expected log L = {expected:.6g}, got -inf (some trial was given density 0)"
    with np.errstate(all="ignore"):
        densities = decision.first_passage_density(rt - t0, 1, drift, bound)
        densities = np.where(choices == 1, densities, decision.first_passage_density(rt - t0, 0, drift, bound))
        product = float(np.prod(densities))
    if np.all(densities > 0) and product == 0.0:
        return Feedback(
            f"expected log L = {expected:.6g}, got -inf: every density here is positive, but their product over "
            f"{len(rt)} trials underflows to 0 (the smallest float is about e^-745), and log(0) = -inf",
            hint="a product of many densities is too small for a float: use log(a·b) = log a + log b and add "
            "the logs of the densities instead.",
        )
    if 2 * t0 >= rt.min():
        return Feedback(
            f"{message}: counting the non-decision time twice would do that here",
            hint="the decision time is RT − t0; subtract t0 once (check whether the times were already shifted).",
        )
    return Feedback(message, hint="every reaction time here is longer than t0, so every decision time RT − t0 is positive.")


def _diagnose_ll(got, expected, params, choices, rt) -> Feedback:
    drift, bound, t0 = params
    same = lambda value: abs(got - value) <= 1e-5 * abs(value) + 1e-8  # noqa: E731
    message = f"expected log L = {expected:.6g}, got {got:.6g}"
    upper = choices == 1
    if same(decision.ddm_log_likelihood(choices[upper], rt[upper], drift, bound, t0)):
        return Feedback(
            f"{message}: only the upper-bound (choice 1) trials are counted",
            hint="error responses carry information too: each trial contributes the density of the bound it chose.",
        )
    if same(decision.ddm_log_likelihood(np.ones_like(choices), rt, drift, bound, t0)):
        return Feedback(
            f"{message}: every trial uses the upper bound's density",
            hint="a choice-0 trial ended at the lower bound: use that bound's density for it.",
        )
    if same(decision.ddm_log_likelihood(1 - choices, rt, drift, bound, t0)):
        return Feedback(
            f"{message}: the choices are swapped, each trial is given the density of the other bound",
            hint="choice 1 ended at the upper bound and choice 0 at the lower: pass each trial's own choice "
            "to the density.",
        )
    if 2 * t0 < rt.min() and same(decision.ddm_log_likelihood(choices, rt, drift, bound, 2 * t0)):
        return Feedback(
            f"{message}: that is the non-decision time twice, subtracted from RT and again",
            hint="the decision time is RT − t0; subtract t0 once (check whether the times were already shifted).",
        )
    if same(decision.ddm_log_likelihood(choices, rt, drift, bound, 0.0)):
        return Feedback(
            f"{message}: the non-decision time is not subtracted",
            hint="the density is of the decision time, RT − t0, not of the reaction time.",
        )
    if same(expected / len(rt)):
        return Feedback(f"{message}: that is the mean over trials", hint="the log-likelihood is the sum over trials.")
    if same(-expected):
        return Feedback(f"{message}: that is the negative log-likelihood", hint="return log L itself; minimise its negative when fitting.")
    return Feedback(message, hint="log L = Σ log f(RT − t0 | choice) with the first-passage density of each trial's bound.")


# ---------------------------------------------------------------------------
# Fits per condition and held-out scores
# ---------------------------------------------------------------------------

#: Tolerance on a reported mean log-likelihood per trial.
_SCORE_TOLERANCE = 1e-4
#: A fit is accepted when its training log-likelihood is within this many nats of the library's fit.
_FIT_TOLERANCE_NATS = 1.0


def _mean_ll(data: ReactionTimeData, params: tuple[float, float, float]) -> float:
    return decision.ddm_log_likelihood(data.choices, data.rt_s, *params) / len(data)


@check("fits per condition and held-out scores")
def check_condition_fits(fits, held_out_scores, train: ReactionTimeData, test: ReactionTimeData):
    """Check ``fits[(conflict, dbs)] = (drift, bound, non_decision_s)`` fitted on ``train`` and
    ``held_out_scores[(conflict, dbs)]``, the mean log-likelihood per trial on ``test``."""
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
        if not (abs(score - expected) <= _SCORE_TOLERANCE * max(1.0, abs(expected))):
            same = lambda value: abs(score - value) <= _SCORE_TOLERANCE * max(1.0, abs(value))  # noqa: E731
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
            if np.allclose((drift, bound, t0), (pooled.drift, pooled.bound, pooled.non_decision_s), rtol=0.02, atol=0.005):
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
