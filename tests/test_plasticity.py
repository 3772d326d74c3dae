"""Learning rules against theory: Oja's fixed point, BCM selectivity, the STDP window and its pair sums,
and the event-driven STDP neuron against a plain step-by-step simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neuro4ml.models import plasticity as pl
from neuro4ml.models.spikes import poisson_spike_train

# ---------------------------------------------------------------------------
# Rate rules
# ---------------------------------------------------------------------------


def gaussian_inputs(seed, n_samples, eigenvalues=(4.0, 1.5, 1.0, 0.5, 0.3, 0.1)):
    """Zero-mean Gaussian inputs with a known covariance Q diag(eigenvalues) Q^T."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(len(eigenvalues), len(eigenvalues))))
    cov = q @ np.diag(eigenvalues) @ q.T
    return rng.multivariate_normal(np.zeros(len(eigenvalues)), cov, size=n_samples), q[:, 0], rng


def angle_deg(w, e):
    return math.degrees(math.acos(min(1.0, abs(w @ e) / np.linalg.norm(w) / np.linalg.norm(e))))


@pytest.mark.parametrize("seed", [0, 1])
def test_oja_converges_to_the_leading_eigenvector_with_unit_norm(seed):
    x, leading, rng = gaussian_inputs(seed, 60_000)
    run = pl.oja(x, rng.normal(size=x.shape[1]) * 0.1, eta=0.0002)
    w = run.w[-1]
    assert angle_deg(w, leading) < 2.0
    assert abs(np.linalg.norm(w) - 1.0) < 0.01
    assert run.w.shape == (x.shape[0] + 1, x.shape[1]) and run.y.shape == (x.shape[0],)


def test_plain_hebb_grows_without_bound_along_the_leading_eigenvector():
    x, leading, rng = gaussian_inputs(3, 3000)
    run = pl.hebb(x, rng.normal(size=x.shape[1]) * 0.1, eta=0.002)
    norms = np.linalg.norm(run.w, axis=1)
    # Averaged, dw/dt = eta C w: the norm grows like exp(eta * lambda_1 * n) = exp(24) here.
    assert norms[-1] > 1e6 * norms[0]
    assert angle_deg(run.w[-1], leading) < 10.0


def test_covariance_rule_follows_the_covariance_not_the_mean():
    """With a large common mean, plain Hebb aligns with the mean; the covariance rule with its eigenvector."""
    x, leading, rng = gaussian_inputs(4, 4000)
    x = x + 5.0  # the same mean on every input
    w0 = rng.normal(size=x.shape[1]) * 0.01
    mean_direction = np.ones(x.shape[1])
    assert angle_deg(pl.hebb(x, w0, eta=1e-4).w[-1], mean_direction) < 5.0
    w = pl.covariance_rule(x, w0, eta=0.002).w[-1]
    assert angle_deg(w, leading) < 10.0 < 45.0 < angle_deg(mean_direction, leading)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bcm_becomes_selective_to_one_of_several_patterns(seed):
    """Four equally likely patterns: the stable state answers one with y = 4 and the others with y <= 0.

    With theta = <y^2> and one pattern answered with y*, theta = y*^2 / 4; the fixed point of
    dw ~ y (y - theta) x for that pattern is y* = theta, so y* = 4 (Bienenstock et al. 1982;
    Dayan & Abbott 2001, section 8.2).
    """
    patterns = np.eye(4) + 0.2
    rng = np.random.default_rng(seed)
    x = patterns[rng.integers(0, 4, size=30_000)]
    run = pl.bcm(x, rng.uniform(0.2, 0.4, 4), eta=0.002, tau_theta=10)
    responses = np.sort(patterns @ run.w[-1])
    assert abs(responses[-1] - 4.0) < 0.4
    assert np.all(responses[:-1] < 0.05 * responses[-1])
    assert run.theta is not None and run.theta.shape == (x.shape[0] + 1,)


def test_rate_rules_reject_bad_shapes():
    with pytest.raises(ValueError, match="samples, inputs"):
        pl.oja(np.ones(5), np.ones(5), eta=0.1)
    with pytest.raises(ValueError, match="w0 must be shaped"):
        pl.hebb(np.ones((5, 3)), np.ones(2), eta=0.1)
    with pytest.raises(ValueError, match="> 0"):
        pl.hebb(np.ones((5, 3)), np.ones(3), eta=0.0)
    with pytest.raises(ValueError, match="tau_theta"):
        pl.bcm(np.ones((5, 3)), np.ones(3), eta=0.1, tau_theta=0.5)


# ---------------------------------------------------------------------------
# STDP window and pair sums
# ---------------------------------------------------------------------------

SONG = dict(A_plus=0.005, A_minus=0.005 * 1.05, tau_plus_ms=20.0, tau_minus_ms=20.0)


def test_stdp_window_values_and_sign_convention():
    w = pl.stdp_window(np.array([-20.0, 0.0, 10.0]), 1.0, 0.5, 10.0, 20.0)
    assert w == pytest.approx([-0.5 * math.exp(-1), 0.0, math.exp(-1)])
    assert pl.stdp_window(5.0, 1.0, 1.0, 5.0, 5.0) == pytest.approx(math.exp(-1))
    with pytest.raises(ValueError):
        pl.stdp_window(1.0, 1.0, 1.0, 0.0, 1.0)


def test_pair_sum_of_two_spikes_and_balance_of_the_window():
    assert pl.pair_stdp_weight_change([0.0], [10.0], **SONG) == pytest.approx(0.005 * math.exp(-0.5))
    assert pl.pair_stdp_weight_change([10.0], [0.0], **SONG) == pytest.approx(-0.00525 * math.exp(-0.5))
    assert pl.pair_stdp_weight_change([3.0], [3.0], **SONG) == 0.0
    # Independent Poisson trains: E[dw] = r_pre r_post T (A+ tau+ - A- tau-) (Kempter et al. 1999).
    unbalanced = dict(SONG, A_minus=0.01)
    rng = np.random.default_rng(0)
    total = np.mean([
        pl.pair_stdp_weight_change(poisson_spike_train(20.0, 20_000.0, rng=rng),
                                   poisson_spike_train(20.0, 20_000.0, rng=rng), **unbalanced)
        for _ in range(40)
    ])
    expected = 20.0 * 20.0 * 20.0 * (0.005 * 0.020 - 0.01 * 0.020)  # Hz * Hz * s * s
    assert total == pytest.approx(expected, rel=0.1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_traces_all_to_all_equal_the_sum_over_all_pairs(seed):
    rng = np.random.default_rng(seed)
    pre, post = poisson_spike_train(30.0, 2000.0, rng=rng), poisson_spike_train(25.0, 2000.0, rng=rng)
    rule = pl.STDPRule(**SONG, pairing="all", bounded=False)
    run = pl.stdp_synapse(pre, post, rule, w0=0.0)
    assert run.w_final == pytest.approx(pl.pair_stdp_weight_change(pre, post, **SONG), rel=1e-10, abs=1e-14)


def test_traces_nearest_equal_nearest_pairs_and_differ_from_all_pairs():
    rng = np.random.default_rng(5)
    pre, post = poisson_spike_train(40.0, 3000.0, rng=rng), poisson_spike_train(40.0, 3000.0, rng=rng)
    rule = pl.STDPRule(**SONG, pairing="nearest", bounded=False)
    nearest = pl.stdp_synapse(pre, post, rule, w0=0.0).w_final
    assert nearest == pytest.approx(pl.nearest_pairs_weight_change(pre, post, **SONG), rel=1e-10)
    assert abs(nearest - pl.pair_stdp_weight_change(pre, post, **SONG)) > 1e-3
    # hand example: pre 0, 5; post 10 -> nearest pairs only (5, 10)
    assert pl.nearest_pairs_weight_change([0.0, 5.0], [10.0], 1.0, 1.0, 10.0, 10.0) == pytest.approx(math.exp(-0.5))


def test_bounds_and_soft_bounds_keep_the_weight_in_range():
    rng = np.random.default_rng(7)
    pre = poisson_spike_train(50.0, 2000.0, rng=rng)
    big = dict(A_plus=0.3, A_minus=0.3, tau_plus_ms=20.0, tau_minus_ms=20.0, w_max=1.0)
    for post in (pre + 2.0, pre - 2.0):
        hard = pl.stdp_synapse(pre, post, pl.STDPRule(**big), w0=0.5)
        assert hard.w.min() >= 0.0 and hard.w.max() <= 1.0
        assert hard.w_final in (0.0, 1.0)  # driven to one bound
        # soft bounds alone keep w strictly inside while a trace stays below w_max (nearest pairing)
        soft = pl.stdp_synapse(pre, post, pl.STDPRule(**big, update="multiplicative", pairing="nearest"), w0=0.5)
        assert 0.0 < soft.w.min() and soft.w.max() < 1.0
    # multiplicative: one potentiation moves w a fraction A+ of the way to w_max
    one = pl.stdp_synapse([0.0], [1e-9], pl.STDPRule(**big, update="multiplicative"), w0=0.5)
    assert one.w_final == pytest.approx(0.5 + 0.3 * 0.5, rel=1e-6)


def test_stdp_rule_rejects_unknown_options():
    with pytest.raises(ValueError, match="pairing"):
        pl.STDPRule(A_plus=1, A_minus=1, pairing="closest")
    with pytest.raises(ValueError, match="update"):
        pl.STDPRule(A_plus=1, A_minus=1, update="mult")


# ---------------------------------------------------------------------------
# The event-driven neuron against a step-by-step simulation
# ---------------------------------------------------------------------------


def step_by_step(inputs, duration_ms, w0, rule, neuron, dt_ms):
    """A plain loop over time steps and, within a step, over input spikes in time order."""
    events = sorted((t, i) for i, train in enumerate(inputs) for t in train if t < duration_ms)
    w = np.array(w0, dtype=float)
    a_pre = np.zeros(len(inputs))
    a_post = 0.0
    v, g, posts, e = neuron.E_leak_mV, 0.0, [], 0
    last_t = 0.0
    for k in range(int(round(duration_ms / dt_ms))):
        total_g = 1.0 + g
        v_inf = (neuron.E_leak_mV + g * neuron.E_exc_mV) / total_g
        v = v_inf + (v - v_inf) * math.exp(-dt_ms * total_g / neuron.tau_m_ms)
        g *= math.exp(-dt_ms / neuron.tau_e_ms)
        while e < len(events) and events[e][0] < (k + 1) * dt_ms:
            t, i = events[e]
            a_pre *= math.exp(-(t - last_t) / rule.tau_plus_ms)
            a_post *= math.exp(-(t - last_t) / rule.tau_minus_ms)
            last_t = t
            g += w[i]
            w[i] = w[i] - a_post * (w[i] / rule.w_max if rule.update == "multiplicative" else 1.0)
            if rule.update == "additive":
                w[i] = max(w[i], 0.0)
            a_pre[i] = a_pre[i] + rule.A_plus if rule.pairing == "all" else rule.A_plus
            e += 1
        if v > neuron.v_threshold_mV:
            t = (k + 1) * dt_ms
            a_pre *= math.exp(-(t - last_t) / rule.tau_plus_ms)
            a_post *= math.exp(-(t - last_t) / rule.tau_minus_ms)
            last_t = t
            posts.append(t)
            v = neuron.v_reset_mV
            if rule.update == "multiplicative":
                w = w + a_pre * (rule.w_max - w) / rule.w_max
            else:
                w = np.minimum(w + a_pre, rule.w_max)
            a_post = a_post + rule.A_minus if rule.pairing == "all" else rule.A_minus
    return np.array(posts), w


@pytest.mark.parametrize("pairing", ["all", "nearest"])
@pytest.mark.parametrize("update", ["additive", "multiplicative"])
def test_event_driven_neuron_matches_a_step_by_step_simulation(pairing, update):
    rng = np.random.default_rng(11)
    n, duration_ms = 60, 1500.0
    inputs = poisson_spike_train(40.0, duration_ms, rng=rng, n_trains=n)
    w0 = rng.uniform(0.0, 0.1, n)
    rule = pl.STDPRule(A_plus=0.004, A_minus=0.0045, w_max=0.1, pairing=pairing, update=update)
    neuron = pl.ConductanceLIF()
    posts, w = step_by_step(inputs, duration_ms, w0, rule, neuron, 0.1)
    run = pl.stdp_neuron(inputs, duration_ms, w0=w0, rule=rule, neuron=neuron, dt_ms=0.1, block_ms=7.3)
    assert posts.size > 20
    np.testing.assert_allclose(run.post_spike_times_ms, posts)
    np.testing.assert_allclose(run.w, w, rtol=1e-8, atol=1e-12)


def test_neuron_records_weights_on_a_regular_grid():
    rng = np.random.default_rng(2)
    inputs = poisson_spike_train(15.0, 1000.0, rng=rng, n_trains=100)
    rule = pl.STDPRule(A_plus=1e-4, A_minus=1.05e-4, w_max=0.01)
    run = pl.stdp_neuron(inputs, 1000.0, w0=0.005, rule=rule, record_every_ms=250.0)
    np.testing.assert_allclose(run.record_t_ms, [0, 250, 500, 750, 1000])
    assert run.record_w.shape == (5, 100)
    np.testing.assert_array_equal(run.record_w[-1], run.w)
    assert np.all(run.record_w[0] == 0.005)


def test_neuron_rejects_bad_input():
    rule = pl.STDPRule(A_plus=1e-4, A_minus=1e-4)
    with pytest.raises(ValueError, match="list of spike trains"):
        pl.stdp_neuron(np.array([1.0, 2.0]), 10.0, w0=0.1, rule=rule)
    with pytest.raises(ValueError, match="multiple"):
        pl.stdp_neuron([np.array([1.0])], 10.05, w0=0.1, rule=rule, dt_ms=0.1)
    with pytest.raises(ValueError, match="w0"):
        pl.stdp_neuron([np.array([1.0])], 10.0, w0=-1.0, rule=rule)


# ---------------------------------------------------------------------------
# Temporal-difference learning
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("gamma", [1.0, 0.9])
def test_td_values_converge_to_the_discounted_future_reward_and_the_error_moves_to_the_cue(gamma):
    rewards = np.zeros(25)
    rewards[15] = 1.0
    run = pl.temporal_difference_learning(rewards, n_trials=400, cue_step=5, alpha=0.2, gamma=gamma)
    expected = np.array([gamma ** (15 - t) if 5 <= t <= 15 else 0.0 for t in range(26)])
    np.testing.assert_allclose(run.values[-1], expected, atol=1e-6)
    # first trial: the error is the reward itself, at the reward
    np.testing.assert_allclose(run.errors[0], rewards)
    # last trial: the error is the discounted value of the cue, on the step before it; zero at the reward
    last = run.errors[-1]
    assert last[4] == pytest.approx(gamma * gamma ** 10, abs=1e-6)
    assert np.max(np.abs(np.delete(last, 4))) < 1e-6
    assert run.errors.shape == (400, 25) and run.values.shape == (401, 26)


def test_td_rejects_bad_input():
    with pytest.raises(ValueError, match="cue_step"):
        pl.temporal_difference_learning(np.zeros(5), n_trials=2, cue_step=5, alpha=0.1)
    with pytest.raises(ValueError, match="rewards"):
        pl.temporal_difference_learning(np.zeros((2, 2)), n_trials=2, cue_step=0, alpha=0.1)
