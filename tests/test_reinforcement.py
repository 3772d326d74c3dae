"""TD(0) on the cue-reward task, against the analytic fixed point and the three
signatures of Schultz, Dayan & Montague (1997)."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.learning.reinforcement import td_cue_reward


def test_first_trial_error_is_the_reward_at_the_reward_time_only():
    run = td_cue_reward(1, cue_step=5, reward_step=15)
    expected = np.zeros(25)
    expected[14] = 1.0            # transition from step 14 into the reward step 15
    np.testing.assert_allclose(run.delta[0], expected)


def test_values_converge_to_the_discounted_reward():
    """Fixed point of V_k = r_{k+1} + gamma V_{k+1}: gamma^(steps left until the reward - 1)."""
    gamma = 0.9
    run = td_cue_reward(3000, cue_step=5, reward_step=15, gamma=gamma, alpha=0.3)
    steps_to_reward = 15 - (5 + np.arange(10))          # from state k = 0..9
    np.testing.assert_allclose(run.value[:10], gamma ** (steps_to_reward - 1), atol=1e-6)
    np.testing.assert_allclose(run.value[10:], 0.0, atol=1e-12)


def test_after_learning_the_error_moves_to_the_cue_and_omission_gives_a_dip():
    run = td_cue_reward(301, omit_on={300}, reward=2.0)
    trained, omitted = run.delta[299], run.delta[300]
    assert trained[4] == pytest.approx(2.0, abs=1e-6)    # into the cue state
    assert np.max(np.abs(np.delete(trained, 4))) < 1e-6  # nothing else, not even at the reward
    assert omitted[14] == pytest.approx(-2.0, abs=1e-6)  # reward due but withheld
    assert omitted[4] == pytest.approx(2.0, abs=1e-6)


def test_the_error_travels_back_one_step_per_trial_at_first():
    """With alpha = 1 and gamma = 1, trial n has its positive error n steps before the reward."""
    run = td_cue_reward(6, alpha=1.0)
    for n in range(6):
        assert np.argmax(run.delta[n]) == 14 - n


def test_input_checks():
    with pytest.raises(ValueError, match="cue_step"):
        td_cue_reward(2, cue_step=15, reward_step=10)
    with pytest.raises(ValueError, match="alpha"):
        td_cue_reward(2, alpha=0.0)
    with pytest.raises(ValueError, match="n_trials"):
        td_cue_reward(0)
    with pytest.raises(ValueError, match="omit_on"):
        td_cue_reward(2, omit_on=[-1])
