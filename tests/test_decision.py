"""Tests of neuro4ml.models.decision against theory.

Monte Carlo tolerances are stated in standard errors (SE): a proportion p from n
trials has SE sqrt(p(1-p)/n), a mean has SE = sample sd / sqrt(n). Tests allow 4 SE
(a false failure about once in 16,000 runs; the seeds are fixed anyway). Euler-
Maruyama simulations check the bound only every dt, which acts like a bound larger
by 0.5826 * noise * sqrt(dt) (Siegmund's correction); tests either compare with the
closed forms at that corrected bound or add the size of that bias to the tolerance.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from neuro4ml.models import decision
from neuro4ml.models.decision.ddm import SIEGMUND_OVERSHOOT

Z = 4.0  # tolerance in standard errors


def _corrected(bound, noise, dt_s):
    return bound + SIEGMUND_OVERSHOOT * noise * math.sqrt(dt_s)


@pytest.mark.parametrize(
    "drift, bound, noise, start",
    [(1.0, 1.0, 1.0, 0.0), (-0.6, 0.8, 0.7, 0.0), (0.0, 0.5, 1.2, 0.0), (0.7, 1.0, 1.0, 0.4)],
)
def test_simulation_matches_closed_forms(drift, bound, noise, start):
    dt_s, n = 1e-3, 20_000
    trials = decision.simulate_ddm(drift, bound, noise, dt_s=dt_s, n_trials=n, start=start, rng=11)
    assert np.all(trials.decided)
    zc = _corrected(bound, noise, dt_s)
    p = decision.ddm_choice_probability(drift, zc, noise, start)
    assert abs(trials.p_upper - p) <= Z * math.sqrt(p * (1 - p) / n)
    mean_dt = decision.ddm_mean_decision_time_s(drift, zc, noise, start)
    se = np.std(trials.decision_times_s) / math.sqrt(n)
    assert abs(trials.mean_decision_time_s - mean_dt) <= Z * se


def test_simulation_converges_to_uncorrected_closed_forms():
    """At a small step the plain Bogacz et al. (2006) formulas hold within MC error plus the (small) discretisation bias."""
    drift, bound, noise, dt_s, n = 1.2, 0.8, 1.0, 1e-4, 8000
    trials = decision.simulate_ddm(drift, bound, noise, dt_s=dt_s, n_trials=n, rng=5)
    zc = _corrected(bound, noise, dt_s)
    accuracy = decision.ddm_accuracy(drift, bound, noise)
    bias_p = decision.ddm_accuracy(drift, zc, noise) - accuracy
    assert abs(trials.p_upper - accuracy) <= Z * math.sqrt(accuracy * (1 - accuracy) / n) + bias_p
    mean_dt = decision.ddm_mean_decision_time_s(drift, bound, noise)
    bias_t = decision.ddm_mean_decision_time_s(drift, zc, noise) - mean_dt
    assert abs(trials.mean_decision_time_s - mean_dt) <= Z * np.std(trials.decision_times_s) / math.sqrt(n) + bias_t
    # Bogacz et al. (2006) with A = z = c = 1: ER = 1/(1 + e^2), DT = tanh(1).
    assert decision.ddm_accuracy(1, 1, 1) == pytest.approx(1 - 1 / (1 + math.e**2))
    assert decision.ddm_mean_decision_time_s(1, 1, 1) == pytest.approx(math.tanh(1.0))


@pytest.mark.parametrize("drift, bound, noise, start", [(0.8, 1.1, 0.9, 0.0), (-1.5, 0.6, 1.0, 0.2), (0.0, 1.0, 1.0, -0.5)])
def test_density_integrates_to_choice_probability_and_mean_time(drift, bound, noise, start):
    p_total, t_total = 0.0, 0.0
    for choice in (0, 1):
        f = lambda t, c=choice: decision.first_passage_density(t, c, drift, bound, noise, start)  # noqa: E731
        p = integrate.quad(f, 0, np.inf, limit=400)[0]
        p_total += p
        t_total += integrate.quad(lambda t: t * f(t), 0, np.inf, limit=400)[0]
        expected = decision.ddm_choice_probability(drift, bound, noise, start)
        assert p == pytest.approx(expected if choice == 1 else 1 - expected, abs=1e-7)
    assert p_total == pytest.approx(1.0, abs=1e-7)
    assert t_total == pytest.approx(decision.ddm_mean_decision_time_s(drift, bound, noise, start), rel=1e-6)


def test_small_and_large_time_series_agree():
    """The two Navarro & Fuss (2009) expansions are different series for the same function."""
    from neuro4ml.models.decision.ddm import _standard_density

    u = np.linspace(0.05, 3.0, 60)
    for w in (0.2, 0.5, 0.9):
        k = np.arange(1, 400)[:, None]
        large = np.pi * np.sum(k * np.exp(-(k**2) * np.pi**2 * u / 2) * np.sin(k * np.pi * w), axis=0)
        k = np.arange(-60, 61)[:, None]
        small = np.sum((w + 2 * k) * np.exp(-((w + 2 * k) ** 2) / (2 * u)), axis=0) / np.sqrt(2 * np.pi * u**3)
        np.testing.assert_allclose(large, small, atol=1e-10)
        np.testing.assert_allclose(_standard_density(u, w, 1e-10), large, atol=1e-9)


def test_density_matches_fine_simulation_histogram():
    drift, bound, noise, dt_s, n = 1.5, 0.6, 1.0, 2e-4, 20_000
    trials = decision.simulate_ddm(drift, bound, noise, dt_s=dt_s, n_trials=n, rng=7)
    zc = _corrected(bound, noise, dt_s)
    edges = np.linspace(0.0, 1.2, 25)
    for choice in (0, 1):
        counts, _ = np.histogram(trials.decision_times_s[trials.choices == choice], edges)
        expected = np.array(
            [
                n * integrate.quad(lambda t: decision.first_passage_density(t, choice, drift, zc, noise), lo, hi)[0]
                for lo, hi in zip(edges[:-1], edges[1:])
            ]
        )
        # Poisson-like counts: 4 SE per bin, plus one count.
        assert np.all(np.abs(counts - expected) <= Z * np.sqrt(expected) + 1), (choice, counts, expected.round(1))


def test_log_likelihood_counts_both_choices_and_non_decision_time():
    choices = np.array([1, 0, 1])
    rt = np.array([0.6, 0.9, 0.25])
    per_trial = decision.ddm_log_likelihood(choices, rt, 0.5, 0.8, 0.3, per_trial=True)
    assert per_trial[2] == -np.inf  # faster than the non-decision time
    assert per_trial[1] == pytest.approx(math.log(decision.first_passage_density(0.6, 0, 0.5, 0.8)))
    assert per_trial[0] == pytest.approx(math.log(decision.first_passage_density(0.3, 1, 0.5, 0.8)))
    with pytest.raises(ValueError, match="choices must be 1"):
        decision.ddm_log_likelihood([1, -1], [0.5, 0.6], 0.5, 0.8, 0.3)


def test_fit_recovers_known_parameters():
    """2,000 trials: drift within 0.1, bound within 5 %, non-decision time within 20 ms; the fit beats the truth."""
    drift, bound, t0 = 0.8, 0.9, 0.3
    trials = decision.simulate_ddm(drift, bound, 1.0, dt_s=1e-4, n_trials=2000, rng=3)
    rt = trials.decision_times_s + t0
    fit = decision.fit_ddm(trials.choices, rt)
    assert abs(fit.drift - drift) < 0.1
    assert abs(fit.bound - bound) < 0.05 * bound
    assert abs(fit.non_decision_s - t0) < 0.02
    assert fit.log_likelihood >= decision.ddm_log_likelihood(trials.choices, rt, drift, bound, t0)


def test_reward_rate_has_an_interior_maximum():
    bounds = np.linspace(0.05, 3, 200)
    rr = [decision.ddm_reward_rate(1.0, z, 1.0, non_decision_s=0.3, inter_trial_s=1.0) for z in bounds]
    best = int(np.argmax(rr))
    assert 0 < best < len(bounds) - 1
    # Bogacz et al. (2006): RR = (1 - ER) / (DT + D_total); check one value by hand.
    er = 1 / (1 + math.exp(2 * 1.0 * 0.5))
    assert decision.ddm_reward_rate(1.0, 0.5, 1.0, non_decision_s=0.3, inter_trial_s=1.0) == pytest.approx(
        (1 - er) / (0.5 * math.tanh(0.5) + 1.3)
    )


def test_sprt_error_rate_matches_the_diffusion_limit_and_wald_bound():
    """Weak Gaussian evidence: the LLR is a random walk with drift m and variance 2m per sample, whose
    diffusion limit ends at the wrong threshold of a symmetric test (+-a) with probability 1/(1 + e^a)."""
    rng = np.random.default_rng(0)
    mu, sigma, n_trials, n_samples = 0.05, 1.0, 4000, 6000
    x = mu + sigma * rng.standard_normal((n_trials, n_samples))  # H1 (mean +mu) is true
    llr = 2 * mu * x / sigma**2  # log N(x; mu) - log N(x; -mu)
    alpha = beta = 0.05
    upper, lower = decision.wald_thresholds(alpha, beta)
    assert upper == pytest.approx(math.log(19)) and lower == pytest.approx(-math.log(19))
    result = decision.sprt(llr, upper, lower)
    assert np.all(result.choices >= 0)
    error = np.mean(result.choices == 0)
    expected = 1 / (1 + math.exp(upper))
    assert abs(error - expected) <= Z * math.sqrt(expected * (1 - expected) / n_trials)
    assert error <= beta / (1 - alpha)
    # Mean sample count against the diffusion limit of the DDM: drift m, noise sqrt(2m), bound a.
    m = 2 * mu**2 / sigma**2
    expected_n = decision.ddm_mean_decision_time_s(m, upper, math.sqrt(2 * m))
    assert np.mean(result.n_samples) == pytest.approx(expected_n, rel=0.05)


def test_wong_wang_accuracy_grows_with_coherence():
    coherences = [0.0, 3.2, 12.8, 51.2]
    n = 300
    accuracy, mean_rt = [], []
    for i, c in enumerate(coherences):
        run = decision.wong_wang(c, n_trials=n, duration_ms=1500.0, rng=i)
        assert np.mean(run.choices >= 0) > 0.95
        accuracy.append(np.mean(run.choices[run.choices >= 0] == 1))
        mean_rt.append(np.nanmean(run.decision_times_ms))
    assert abs(accuracy[0] - 0.5) <= Z * math.sqrt(0.25 / n)
    assert all(a < b for a, b in zip(accuracy, accuracy[1:]))
    assert accuracy[-1] > 0.98
    assert mean_rt[0] > mean_rt[2] > mean_rt[3]  # faster decisions at higher coherence
    # Symmetry: negative coherence favours population 2 as much.
    mirror = decision.wong_wang(-12.8, n_trials=n, duration_ms=1500.0, rng=2)
    assert abs(np.mean(mirror.choices == 0) - accuracy[2]) <= Z * math.sqrt(0.5 / n)


def test_wong_wang_has_two_decision_attractors():
    run = decision.wong_wang(0.0, n_trials=50, duration_ms=2000.0, rng=9)
    final = run.rates_hz[:, :, -1]
    winner = final.max(axis=1)
    loser = final.min(axis=1)
    assert np.all(winner > 20) and np.all(loser < 5)  # one population high, the other suppressed


def test_cue_combination_variance_and_weights():
    sigmas = np.array([1.0, 2.0])
    sim = decision.simulate_cue_combination([10.0, 12.0], sigmas, n_trials=40_000, rng=1)
    np.testing.assert_allclose(sim.weights, [0.8, 0.2])
    assert sim.sigma == pytest.approx(1 / math.sqrt(1 + 0.25))
    # Sample sd of n Gaussian values has relative SE about 1/sqrt(2n).
    assert np.std(sim.combined) == pytest.approx(sim.sigma, rel=Z / math.sqrt(2 * 40_000))
    assert np.mean(sim.combined) == pytest.approx(0.8 * 10 + 0.2 * 12, abs=Z * sim.sigma / 200)
    assert decision.discrimination_probability(math.sqrt(2) * 0.7, 0.7) == pytest.approx(stats.norm.cdf(1.0))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: decision.simulate_ddm(1.0, -1.0), "bound must be"),
        (lambda: decision.simulate_ddm(1.0, 1.0, start=1.0), "start must lie"),
        (lambda: decision.simulate_ddm(1.0, 1.0, n_trials=0), "n_trials"),
        (lambda: decision.first_passage_density(0.5, 2, 1.0, 1.0), "choice must be"),
        (lambda: decision.sprt(np.zeros((2, 3)), -1.0, 1.0), "lower < 0 < upper"),
        (lambda: decision.wong_wang(150.0), "percentage"),
        (lambda: decision.combine_cues([1.0, 2.0], [1.0, -1.0]), "positive"),
    ],
)
def test_bad_input_is_explained(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_rt_quantiles_match_simulation():
    drift, bound, t0, dt_s, n = 0.9, 0.8, 0.25, 2e-4, 20_000
    trials = decision.simulate_ddm(drift, bound, 1.0, dt_s=dt_s, n_trials=n, rng=4)
    q = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
    model = decision.ddm_rt_quantiles_s(q, 1, drift, _corrected(bound, 1.0, dt_s), t0)
    data = t0 + np.quantile(trials.decision_times_s[trials.choices == 1], q)
    # Quantile SE ~ sqrt(q(1-q)/n)/f(x); 15 ms covers 4 SE here at every q.
    np.testing.assert_allclose(model, data, atol=0.015)
