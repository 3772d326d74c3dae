"""Population coding: tuning curves, Fisher information and decoders, against theory."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.analysis.population import VonMisesPopulation, circular_rms_error_deg


def test_tuning_peaks_at_the_preferred_direction_and_slopes_are_derivatives():
    pop = VonMisesPopulation()
    rates = pop.rates_hz(pop.preferred_rad)            # (neurons, neurons)
    np.testing.assert_allclose(np.diag(rates), pop.r_base_hz + pop.r_max_hz)
    s = np.linspace(-3, 3, 13)
    h = 1e-6
    numeric = (pop.rates_hz(s + h) - pop.rates_hz(s - h)) / (2 * h)
    np.testing.assert_allclose(pop.slopes_hz_per_rad(s), numeric, rtol=1e-6, atol=1e-6)


def test_fisher_information_of_a_dense_population_is_the_same_everywhere():
    pop = VonMisesPopulation(n_neurons=64)
    info = pop.fisher_information(np.linspace(-np.pi, np.pi, 50), window_s=0.5)
    assert np.ptp(info) / info.mean() < 1e-6
    assert pop.fisher_information(np.array([0.3]), 1.0)[0] == pytest.approx(2 * pop.fisher_information(np.array([0.3]), 0.5)[0])


def test_maximum_likelihood_reaches_the_cramer_rao_bound_for_long_windows():
    pop = VonMisesPopulation()
    window_s = 2.0
    s = np.full(4000, 0.4)
    counts = pop.sample_counts(s, window_s, rng=0)
    decoding = pop.decode(counts, window_s, n_grid=3600)
    ml = decoding.estimates["maximum likelihood"]
    bound_deg = np.degrees(np.sqrt(1 / pop.fisher_information(np.array([0.4]), window_s)[0]))
    assert abs(np.degrees(np.angle(np.exp(1j * (ml.mean() - 0.4))))) < 0.5      # unbiased
    assert circular_rms_error_deg(ml, s) == pytest.approx(bound_deg, rel=0.1)


def test_decoders_on_noiseless_counts_and_the_posterior():
    pop = VonMisesPopulation()
    s = pop.preferred_rad[[3, 10]]
    counts = pop.rates_hz(s) * 1.0                       # expected counts in 1 s
    decoding = pop.decode(counts, 1.0)
    for name in ("population vector", "maximum likelihood", "MAP", "posterior mean"):
        wrapped = np.angle(np.exp(1j * (decoding.estimates[name] - s)))
        np.testing.assert_allclose(wrapped, 0.0, atol=np.radians(1.0))
    np.testing.assert_allclose(decoding.posterior.sum(axis=1), 1.0)


def test_a_prior_pulls_map_towards_its_centre_when_spikes_are_few():
    pop = VonMisesPopulation()
    s = np.full(3000, np.radians(60.0))
    counts = pop.sample_counts(s, 0.02, rng=1)
    decoding = pop.decode(counts, 0.02, kappa_prior=2.0)
    assert np.mean(np.abs(decoding.estimates["MAP"])) < np.mean(np.abs(decoding.estimates["maximum likelihood"]))


def test_input_checks():
    with pytest.raises(ValueError, match="n_neurons"):
        VonMisesPopulation(n_neurons=1)
    with pytest.raises(ValueError, match="columns"):
        VonMisesPopulation().decode(np.zeros((2, 5)), 1.0)
