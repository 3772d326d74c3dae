r"""Reinforcement learning: temporal-difference prediction of reward, the course's one TD(0).

The model here is TD(0) value learning (Sutton 1988, "Learning to predict by the
methods of temporal differences", Mach. Learn. 3:9-44) on the cue-reward task used to
compare the TD error with the firing of dopamine neurons (Montague, Dayan & Sejnowski
1996, J. Neurosci. 16:1936-1947; Schultz, Dayan & Montague 1997, Science
275:1593-1599). After moving from state :math:`s` to :math:`s'` and receiving reward
:math:`r`, the TD error and the value update are

.. math::
    \delta = r + \gamma V(s') - V(s), \qquad V(s) \leftarrow V(s) + \alpha\,\delta .

**Timing convention** (Sutton & Barto 2018, section 3.1, used by weeks 0 and 4 alike): time is
in discrete steps, one state per step, and a reward *at step* :math:`s` arrives with the move
into step :math:`s` (Sutton & Barto's :math:`R_{t+1}`, which comes with :math:`S_{t+1}`). The
error of the move from step :math:`t` to :math:`t + 1` is

.. math:: \delta_t = r_{t+1} + \gamma V(t + 1) - V(t),

stored at index ``t``: an event at step :math:`s`, the reward as well as the cue, shows its
error at index :math:`s - 1`, the transition into it. Arrays are shaped ``(trials, time steps)``.
:func:`temporal_difference_learning` takes any reward sequence;
:func:`td_cue_reward` is the cue-then-reward task built on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from neuro4ml.validation import positive_number, probability, whole_number

__all__ = ["CueRewardRun", "TDRun", "td_cue_reward", "temporal_difference_learning"]


@dataclass(frozen=True, eq=False)
class TDRun:
    """What :func:`temporal_difference_learning` returns.

    Attributes
    ----------
    errors : numpy.ndarray, shape (trials, steps)
        ``errors[n, t]``: the prediction error :math:`\\delta_t` of the move from step ``t`` to
        ``t + 1`` on trial ``n``.
    values : numpy.ndarray, shape (trials + 1, steps + 1)
        The value of each step before each trial (``values[-1]``: after the last one); the
        steps before the cue and the end of the trial (step ``steps``) keep the value 0.
    """

    errors: np.ndarray
    values: np.ndarray


def temporal_difference_learning(
    rewards: object, *, n_trials: int, cue_step: int, alpha: float, gamma: float = 1.0, omit_on: Iterable[int] = ()
) -> TDRun:
    r"""TD(0) learning of the value of each time step of a repeated trial.

    A trial is ``len(rewards)`` moves, from step 0 to the end of the trial at step
    ``len(rewards)``; ``rewards[t]`` is the reward that arrives with the move from step
    ``t`` into step ``t + 1``, so a reward *at step* :math:`s` is ``rewards[s - 1]`` (the
    module's timing convention). A cue at ``cue_step`` starts the predictable part of the
    trial: before it the animal cannot know that a trial has begun, so those steps have
    value 0 and are not learned (one state per step since the cue: a "complete serial
    compound"). On every move

    .. math:: \delta_t = r_{t+1} + \gamma V(t + 1) - V(t), \qquad V(t) \leftarrow V(t) + \alpha\,\delta_t
              \quad (t \ge \text{cue}),

    with :math:`V = 0` at the end of the trial (Sutton 1988; Sutton & Barto 2018, chapter 6).
    The values converge to the discounted reward still to come,
    :math:`V(t) = \sum_{k \ge t} \gamma^{k-t} r_{k+1}` for :math:`t \ge` cue, so the error
    moves from the reward to the cue, as in the dopamine recordings of Schultz, Dayan &
    Montague (1997): on the first trial :math:`\delta_{s-1} = r` for a reward at step
    :math:`s`, and after learning the error sits at ``errors[:, cue_step - 1]``, the
    transition into the cue (for ``cue_step >= 1``).

    Parameters
    ----------
    rewards : array, shape (steps,)
        ``rewards[t]``: the reward that arrives with the move into step ``t + 1``.
    n_trials : int
        Number of trials (>= 1).
    cue_step : int
        The first learned step, in ``[0, steps)``.
    alpha : float
        Learning rate, in (0, 1].
    gamma : float
        Discount factor, in [0, 1].
    omit_on : iterable of int
        Trials (0-based) on which every reward is withheld.

    Returns
    -------
    TDRun
    """
    rewards = np.asarray(rewards, dtype=float)
    if rewards.ndim != 1 or rewards.size == 0 or not np.all(np.isfinite(rewards)):
        raise ValueError("rewards must be a non-empty 1-D array of finite numbers, one per step")
    n_trials = whole_number(n_trials, "n_trials", minimum=1)
    cue_step = whole_number(cue_step, "cue_step", minimum=0)
    if not cue_step < rewards.size:
        raise ValueError(f"cue_step must be a step index in [0, {rewards.size}), got {cue_step!r}")
    alpha = probability(alpha, "alpha")
    if alpha == 0:
        raise ValueError("alpha must be in (0, 1], got 0")
    gamma = probability(gamma, "gamma")
    omitted = {whole_number(trial, "omit_on entries", minimum=0) for trial in omit_on}
    n_steps = rewards.size
    value = np.zeros(n_steps + 1)
    values = np.empty((n_trials + 1, n_steps + 1))
    errors = np.empty((n_trials, n_steps))
    learned = np.arange(n_steps + 1) >= cue_step
    learned[-1] = False  # the end of the trial: V = 0
    for trial in range(n_trials):
        values[trial] = value
        delivered = 0.0 if trial in omitted else 1.0
        for t in range(n_steps):
            delta = delivered * rewards[t] + gamma * value[t + 1] - value[t]
            errors[trial, t] = delta
            if learned[t]:
                value[t] += alpha * delta
    values[-1] = value
    return TDRun(errors=errors, values=values)


class CueRewardRun(NamedTuple):
    """Result of :func:`td_cue_reward`."""

    #: TD error on each trial at each time step, shape ``(trials, time steps)``;
    #: ``delta[n, t]`` is the error of the transition from step ``t`` to ``t + 1``.
    delta: np.ndarray
    #: Value of each post-cue state after the last trial, shape ``(time steps + 1 - cue_step,)``;
    #: ``value[k]`` is the value ``k`` steps after the cue.
    value: np.ndarray


def td_cue_reward(
    n_trials: int,
    *,
    n_steps: int = 25,
    cue_step: int = 5,
    reward_step: int = 15,
    alpha: float = 0.2,
    gamma: float = 1.0,
    reward: float = 1.0,
    omit_on: Iterable[int] = (),
) -> CueRewardRun:
    r"""TD(0) learning of a reward that follows a cue: :func:`temporal_difference_learning` on one task.

    Each trial lasts ``n_steps`` steps. A cue appears at step ``cue_step`` and a reward
    of size ``reward`` arrives on the transition into step ``reward_step``. The state
    ``k`` steps after the cue has its own value :math:`V_k` (a "complete serial
    compound" representation of elapsed time); before the cue the agent is in a
    background state of value 0, which is not learned, because the cue comes at
    unpredictable times. On every transition

    .. math:: \delta_t = r_{t+1} + \gamma V(s_{t+1}) - V(s_t), \qquad
              V(s_t) \leftarrow V(s_t) + \alpha \delta_t \ \text{(post-cue states only)}.

    With :math:`\gamma = 1` the values converge to the reward for every state from the
    cue to the reward, so the error moves from the reward to the cue: on the first
    trial :math:`\delta = r` at the reward, after learning :math:`\delta = r` at the
    cue (the transition into the cue state) and 0 at the reward, and when the reward
    is omitted :math:`\delta = -r` at the time it was due (Schultz, Dayan & Montague
    1997).

    Parameters
    ----------
    n_trials : int
        Number of trials (>= 1).
    n_steps, cue_step, reward_step : int
        Trial length and the steps of the cue and of the reward, with
        ``0 < cue_step < reward_step <= n_steps``.
    alpha : float
        Learning rate, in (0, 1].
    gamma : float
        Discount factor, in [0, 1].
    reward : float
        Size of the reward (> 0).
    omit_on : iterable of int
        Trials (0-based) on which the reward is withheld.

    Returns
    -------
    CueRewardRun
        ``delta`` shaped ``(n_trials, n_steps)`` and the learned ``value`` of each
        post-cue state.
    """
    n_trials = whole_number(n_trials, "n_trials", minimum=1)
    n_steps = whole_number(n_steps, "n_steps", minimum=2)
    cue_step = whole_number(cue_step, "cue_step", minimum=1)
    reward_step = whole_number(reward_step, "reward_step", minimum=1)
    if not cue_step < reward_step <= n_steps:
        raise ValueError(
            f"need 0 < cue_step < reward_step <= n_steps, got cue_step={cue_step}, "
            f"reward_step={reward_step}, n_steps={n_steps}"
        )
    rewards = np.zeros(n_steps)
    rewards[reward_step - 1] = positive_number(reward, "reward")  # it arrives with the move into reward_step
    run = temporal_difference_learning(rewards, n_trials=n_trials, cue_step=cue_step, alpha=alpha, gamma=gamma, omit_on=omit_on)
    return CueRewardRun(delta=run.errors, value=run.values[-1, cue_step:])
