r"""Reinforcement learning: temporal-difference prediction of reward.

The model here is TD(0) value learning (Sutton 1988, "Learning to predict by the
methods of temporal differences", Mach. Learn. 3:9-44) on the cue-reward task used to
compare the TD error with the firing of dopamine neurons (Montague, Dayan & Sejnowski
1996, J. Neurosci. 16:1936-1947; Schultz, Dayan & Montague 1997, Science
275:1593-1599). After moving from state :math:`s` to :math:`s'` and receiving reward
:math:`r`, the TD error and the value update are

.. math::
    \delta = r + \gamma V(s') - V(s), \qquad V(s) \leftarrow V(s) + \alpha\,\delta .

Time is in discrete steps; arrays are shaped ``(trials, time steps)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Integral
from typing import NamedTuple

import numpy as np

from neuro4ml.validation import positive_number, probability

__all__ = ["CueRewardRun", "td_cue_reward"]


class CueRewardRun(NamedTuple):
    """Result of :func:`td_cue_reward`."""

    #: TD error on each trial at each time step, shape ``(trials, time steps)``;
    #: ``delta[n, t]`` is the error of the transition from step ``t`` to ``t + 1``.
    delta: np.ndarray
    #: Value of each post-cue state after the last trial, shape ``(time steps + 1 - cue_step,)``;
    #: ``value[k]`` is the value ``k`` steps after the cue.
    value: np.ndarray


def _whole(value: object, name: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < least:
        raise ValueError(f"{name} must be an integer >= {least}, got {value!r}")
    return int(value)


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
    r"""TD(0) learning of a reward that follows a cue, one state per time step since the cue.

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
    n_trials = _whole(n_trials, "n_trials", 1)
    n_steps = _whole(n_steps, "n_steps", 2)
    cue_step = _whole(cue_step, "cue_step", 1)
    reward_step = _whole(reward_step, "reward_step", 1)
    if not cue_step < reward_step <= n_steps:
        raise ValueError(
            f"need 0 < cue_step < reward_step <= n_steps, got cue_step={cue_step}, "
            f"reward_step={reward_step}, n_steps={n_steps}"
        )
    alpha = probability(alpha, "alpha")
    if alpha == 0:
        raise ValueError("alpha must be in (0, 1], got 0")
    gamma = probability(gamma, "gamma")
    reward = positive_number(reward, "reward")
    omitted = {_whole(trial, "omit_on entries", 0) for trial in omit_on}

    value = np.zeros(n_steps + 1 - cue_step)  # value[k]: k steps after the cue
    delta = np.zeros((n_trials, n_steps))
    for trial in range(n_trials):
        for t in range(n_steps):
            k, k_next = t - cue_step, t + 1 - cue_step
            v_now = value[k] if k >= 0 else 0.0
            v_next = value[k_next] if k_next >= 0 else 0.0
            r = reward if (t + 1 == reward_step and trial not in omitted) else 0.0
            error = r + gamma * v_next - v_now
            if k >= 0:
                value[k] += alpha * error
            delta[trial, t] = error
    return CueRewardRun(delta=delta, value=value)
