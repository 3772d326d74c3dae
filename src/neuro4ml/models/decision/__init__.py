"""Models of decision making: the drift-diffusion model, the sequential probability
ratio test, the reduced attractor model of Wong & Wang (2006) and optimal cue
combination.

* :mod:`neuro4ml.models.decision.ddm` -- the drift-diffusion model: simulation, closed-form
  accuracy and mean decision time, the first-passage-time density, the likelihood of
  (choice, reaction time) data and maximum-likelihood fitting.
* :mod:`neuro4ml.models.decision.sprt` -- Wald's sequential probability ratio test.
* :mod:`neuro4ml.models.decision.wong_wang` -- the two-variable attractor model of a
  perceptual decision.
* :mod:`neuro4ml.models.decision.cues` -- maximum-likelihood combination of noisy cues.

Units: the drift-diffusion model and the SPRT work in **seconds** (``dt_s``,
``rt_s``, ``non_decision_s``), the unit in which reaction times are reported and
fitted; the Wong-Wang model is a neural model and works in milliseconds (``dt_ms``),
like :mod:`neuro4ml.models.neurons`.
"""

from neuro4ml.models.decision.cues import CueCombination, combine_cues, discrimination_probability, simulate_cue_combination
from neuro4ml.models.decision.ddm import (
    DDMFit,
    DDMTrials,
    ddm_accuracy,
    ddm_choice_probability,
    ddm_log_likelihood,
    ddm_mean_decision_time_s,
    ddm_optimal_bound,
    ddm_reward_rate,
    ddm_rt_quantiles_s,
    fit_ddm,
    first_passage_density,
    simulate_ddm,
)
from neuro4ml.models.decision.sprt import SPRTResult, sprt, wald_thresholds
from neuro4ml.models.decision.wong_wang import WONG_WANG_2006, WongWangParams, WongWangRun, wong_wang

__all__ = [
    "WONG_WANG_2006",
    "CueCombination",
    "DDMFit",
    "DDMTrials",
    "SPRTResult",
    "WongWangParams",
    "WongWangRun",
    "combine_cues",
    "ddm_accuracy",
    "discrimination_probability",
    "ddm_choice_probability",
    "ddm_log_likelihood",
    "ddm_mean_decision_time_s",
    "ddm_optimal_bound",
    "ddm_reward_rate",
    "ddm_rt_quantiles_s",
    "fit_ddm",
    "first_passage_density",
    "simulate_ddm",
    "simulate_cue_combination",
    "sprt",
    "wald_thresholds",
    "wong_wang",
]
