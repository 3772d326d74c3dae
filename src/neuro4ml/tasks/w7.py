"""Week 7's tasks: simulating the drift-diffusion model, its reward rate, optimal bound and likelihood.

The cases the exercise's functions are run on, the reference statistics they are compared
with (closed forms of :mod:`neuro4ml.models.decision.ddm`, Bogacz et al. 2006, at the bound
corrected for the overshoot of a discrete step, Siegmund 1979), and library runs of the
known mistaken variants (noise without √dt, noise times dt, a start away from 0). Cases
that a learner could memorise are drawn afresh at each check (:func:`fresh_rng`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from neuro4ml.models import decision
from neuro4ml.models.decision.ddm import SIEGMUND_OVERSHOOT
from neuro4ml.tasks.fresh import fresh_rng

__all__ = [
    "DDM_CASES",
    "OPTIMAL_BOUND_SETTING",
    "REFERENCE_TRIALS",
    "DDMCase",
    "DDMStats",
    "expected_stats",
    "fresh_rng",
    "log_likelihood_cases",
    "optimal_bound_settings",
    "reference_times",
    "reward_rate_cases",
    "variant_stats",
]



@dataclass(frozen=True)
class DDMCase:
    """One parameter set of ``simulate_ddm(drift, bound, noise, dt, n_trials, seed)``."""

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
        """The case's parameters, as one line of text."""
        return (
            f"drift={self.drift:g}, bound={self.bound:g}, noise={self.noise:g}, dt={self.dt:g} s, "
            f"n_trials={self.n_trials}, seed={self.seed}"
        )

    def args(self) -> tuple:
        """Return the parameters in the order of the simulation's arguments."""
        return (self.drift, self.bound, self.noise, self.dt, self.n_trials, self.seed)


#: The parameter sets of the simulation check: the template's defaults first, then others
#: (a weak drift, and a negative drift with more noise and a smaller step).
DDM_CASES = (
    DDMCase(1.0, 1.0, 1.0, 1e-3, 2000, 0),
    DDMCase(0.5, 0.8, 0.7, 2e-3, 2000, 1),
    DDMCase(-1.5, 1.2, 1.5, 5e-4, 1500, 2),
    # A coarse step with short, tightly spread decision times: a time recorded one step early
    # (0.02 s out of about 0.27 s) is more than 8 standard errors off.
    DDMCase(2.0, 0.5, 0.5, 0.02, 4000, 3, simulated_reference=True),
)
#: Trials of the library run a ``simulated_reference`` case is compared with.
REFERENCE_TRIALS = 20000


@dataclass(frozen=True)
class DDMStats:
    """What a simulation is compared on: the fraction of upper choices and the decision times' mean and spread."""

    p_upper: float
    mean_time: float
    sd_time: float


def reference_times(case: DDMCase, n_trials: int = 4000, **changes) -> np.ndarray:
    """Decision times of a library run of ``case`` (with ``changes`` to the simulation, e.g. another ``start``)."""
    noise = changes.pop("noise", case.noise)
    run = decision.simulate_ddm(case.drift, case.bound, noise, dt_s=case.dt, n_trials=n_trials, rng=12345,
                                max_time_s=60.0, **changes)
    return run.decision_times_s


def expected_stats(case: DDMCase) -> DDMStats:
    """Closed forms at the overshoot-corrected bound; the spread of the times from a library run."""
    if case.simulated_reference:
        run = decision.simulate_ddm(case.drift, case.bound, case.noise, dt_s=case.dt, n_trials=REFERENCE_TRIALS, rng=12345)
        return DDMStats(run.p_upper, run.mean_decision_time_s, float(np.nanstd(run.decision_times_s)))
    bound = case.bound + SIEGMUND_OVERSHOOT * case.noise * math.sqrt(case.dt)
    return DDMStats(
        decision.ddm_choice_probability(case.drift, bound, case.noise),
        decision.ddm_mean_decision_time_s(case.drift, bound, case.noise),
        float(np.nanstd(reference_times(case))),
    )


def variant_stats(case: DDMCase, **changes) -> DDMStats:
    """A library simulation of a mistaken variant of ``case`` (another noise per step, another start, ...)."""
    noise = changes.pop("noise", case.noise)
    drift = changes.pop("drift", case.drift)
    run = decision.simulate_ddm(drift, case.bound, noise, dt_s=case.dt, n_trials=4000, rng=999, max_time_s=60.0,
                                **changes)
    return DDMStats(run.p_upper, run.mean_decision_time_s, float(np.nanstd(run.decision_times_s)))


def reward_rate_cases(rng: np.random.Generator) -> list[dict[str, float]]:
    """Parameter sets of ``reward_rate``: the task's setting and three drawn from ``rng``."""
    cases = [dict(drift=1.0, bound=1.0, noise=1.0, non_decision_s=0.3, inter_trial_s=1.0)]
    for _ in range(3):
        cases.append(dict(
            drift=round(float(rng.uniform(0.3, 2.5)), 3), bound=round(float(rng.uniform(0.3, 1.6)), 3),
            noise=round(float(rng.uniform(0.6, 1.4)), 3), non_decision_s=round(float(rng.uniform(0.15, 0.5)), 3),
            inter_trial_s=round(float(rng.uniform(0.5, 3.0)), 3),
        ))
    return cases


#: The setting of the optimal-bound task: drift, noise, non-decision time and inter-trial interval.
OPTIMAL_BOUND_SETTING = dict(drift=1.0, noise=1.0, non_decision_s=0.3, inter_trial_s=1.0)


def optimal_bound_settings(rng: np.random.Generator) -> list[dict[str, float]]:
    """The task's setting, then two drawn from ``rng`` (so that no value can be memorised)."""
    settings = [dict(OPTIMAL_BOUND_SETTING)]
    for _ in range(2):
        settings.append(dict(
            drift=round(float(rng.uniform(0.5, 2.0)), 3), noise=round(float(rng.uniform(0.7, 1.3)), 3),
            non_decision_s=round(float(rng.uniform(0.2, 0.5)), 3), inter_trial_s=round(float(rng.uniform(0.5, 4.0)), 3),
        ))
    return settings


def log_likelihood_cases(rng: np.random.Generator) -> list[tuple[str, tuple[float, float, float], np.ndarray, np.ndarray]]:
    """(description, (drift, bound, non_decision_s), choices, rt_s): data simulated by the library.

    The data's seeds are drawn from ``rng``. The last case has as many trials as a condition
    of the real data: its likelihood is about e^-1600, far below the smallest float, so only
    a sum of logs can represent it.
    """
    cases = []
    for drift, bound, t0, params, n_trials in (
        (1.0, 0.8, 0.3, (1.0, 0.8, 0.3), 200),
        (0.5, 1.0, 0.4, (0.7, 0.9, 0.15), 200),
        (-0.8, 0.6, 0.35, (-0.5, 0.7, 0.1), 200),
        (0.6, 1.2, 0.3, (0.6, 1.2, 0.3), 1000),
    ):
        seed = int(rng.integers(2**31))
        run = decision.simulate_ddm(drift, bound, dt_s=1e-3, n_trials=n_trials, rng=seed, max_time_s=60.0)
        cases.append((
            f"{n_trials} trials, parameters (drift, bound, non_decision_s) = {params}",
            params, run.choices, run.decision_times_s + t0,
        ))
    return cases
