"""Random expansion and linear readout: coding level, wiring and Cover's counting."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.learning.expansion import random_expansion, readout_fit_accuracy


def test_each_cell_has_k_inputs_and_the_requested_coding_level():
    rng = np.random.default_rng(0)
    X = rng.random((400, 50))
    layer = random_expansion(X, 300, k_inputs=4, coding_level=0.1, rng=1)
    np.testing.assert_array_equal((layer.weights > 0).sum(axis=0), 4)
    active = (layer.activity > 0).mean(axis=0)
    np.testing.assert_allclose(active, 0.1, atol=1 / 400 + 1e-12)


def test_a_readout_of_at_least_as_many_generic_features_as_patterns_fits_any_labelling():
    rng = np.random.default_rng(2)
    for n_patterns, n_features in [(50, 49), (100, 150)]:     # bias makes 49 + 1 = 50 columns
        F = rng.normal(size=(n_patterns, n_features))
        labels = rng.choice([-1.0, 1.0], size=n_patterns)
        assert readout_fit_accuracy(F, labels) == 1.0


def test_expansion_makes_random_labels_separable_where_the_inputs_do_not():
    """Cover (1965): random labels of 400 patterns in 50 dimensions are almost surely not
    linearly separable (capacity about 2N = 100), but after expansion to 800 sparse cells they are."""
    rng = np.random.default_rng(0)
    X = rng.random((400, 50))
    labels = rng.choice([-1.0, 1.0], size=400)
    assert readout_fit_accuracy(X, labels) < 0.8
    assert readout_fit_accuracy(random_expansion(X, 800, rng=3).activity, labels) == 1.0


def test_input_checks():
    with pytest.raises(ValueError, match="k_inputs"):
        random_expansion(np.zeros((3, 2)), 5, k_inputs=3)
    with pytest.raises(ValueError, match="coding_level"):
        random_expansion(np.zeros((3, 2)), 5, k_inputs=1, coding_level=1.0)
    with pytest.raises(ValueError, match="labels"):
        readout_fit_accuracy(np.zeros((3, 2)), np.ones(2))
