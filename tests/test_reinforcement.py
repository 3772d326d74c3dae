"""TD(0) on the cue-reward task, against the analytic fixed point and the three signatures of Schultz, Dayan & Montague (1997)."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.learning.reinforcement import td_cue_reward, temporal_difference_learning


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


@pytest.mark.parametrize("gamma", [1.0, 0.9])
def test_td_values_converge_to_the_discounted_future_reward_and_the_error_moves_to_the_cue(gamma):
    # A reward at step 15 arrives with the move from step 14: rewards[14] (the timing convention).
    rewards = np.zeros(25)
    rewards[14] = 1.0
    run = temporal_difference_learning(rewards, n_trials=400, cue_step=5, alpha=0.2, gamma=gamma)
    # V(t) = sum over k >= t of gamma^(k - t) r_(k+1): gamma^(14 - t) from the cue to step 14, 0 elsewhere
    expected = np.array([gamma ** (14 - t) if 5 <= t <= 14 else 0.0 for t in range(26)])
    np.testing.assert_allclose(run.values[-1], expected, atol=1e-6)
    # first trial: the error is the reward itself, on the transition into the reward's step
    np.testing.assert_allclose(run.errors[0], rewards)
    # last trial: the error is the discounted value of the cue, on the transition into the cue; zero at the reward
    last = run.errors[-1]
    assert last[4] == pytest.approx(gamma * gamma**9, abs=1e-6)
    assert np.max(np.abs(np.delete(last, 4))) < 1e-6
    assert run.errors.shape == (400, 25) and run.values.shape == (401, 26)


def test_the_cue_reward_task_and_a_reward_sequence_share_one_timing():
    # Events at the same step show their errors at the same index in both: the reward at step 15
    # at index 14 before learning, the cue at step 5 at index 4 after it.
    task = td_cue_reward(300, cue_step=5, reward_step=15, alpha=0.2)
    assert np.argmax(task.delta[0]) == 14 and np.argmax(task.delta[-1]) == 4
    rewards = np.zeros(25)
    rewards[14] = 1.0
    general = temporal_difference_learning(rewards, n_trials=300, cue_step=5, alpha=0.2)
    assert np.argmax(general.errors[0]) == 14 and np.argmax(general.errors[-1]) == 4


def test_td_rejects_bad_input():
    with pytest.raises(ValueError, match="cue_step"):
        temporal_difference_learning(np.zeros(5), n_trials=2, cue_step=5, alpha=0.1)
    with pytest.raises(ValueError, match="rewards"):
        temporal_difference_learning(np.zeros((2, 2)), n_trials=2, cue_step=0, alpha=0.1)
    with pytest.raises(ValueError, match="alpha"):
        temporal_difference_learning(np.zeros(5), n_trials=2, cue_step=0, alpha=1.5)
