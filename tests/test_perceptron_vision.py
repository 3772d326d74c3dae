"""Threshold units, the perceptron convergence theorem, and the toy simple/complex cells."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.learning.perceptron import separable_points, threshold_unit, train_perceptron
from neuro4ml.models.vision import bar_image, complex_cell_response, gabor_filter, simple_cell_response

INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


def test_threshold_units_compute_and_or_not():
    np.testing.assert_array_equal(threshold_unit(INPUTS, [1, 1], 2), [0, 0, 0, 1])
    np.testing.assert_array_equal(threshold_unit(INPUTS, [1, 1], 1), [0, 1, 1, 1])
    np.testing.assert_array_equal(threshold_unit(np.array([[0], [1]]), [-1], 0), [1, 0])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_perceptron_converges_within_novikoffs_bound(seed):
    w_true, b_true = np.array([1.0, -0.7]), 0.1
    X, y = separable_points(100, w_true, b_true, gap=0.04, rng=seed)
    run = train_perceptron(X, y, max_epochs=1000, rng=seed)
    assert run.mistakes[-1] == 0
    np.testing.assert_array_equal((X @ run.w + run.b >= 0), y == 1)
    augmented = np.column_stack([X, np.ones(len(X))])
    unit = np.r_[w_true, b_true] / np.linalg.norm(np.r_[w_true, b_true])
    gamma = np.min(np.abs(augmented @ unit))
    radius = np.max(np.linalg.norm(augmented, axis=1))
    assert sum(run.mistakes) <= (radius / gamma) ** 2


def test_perceptron_never_solves_xor():
    run = train_perceptron(INPUTS, np.array([0, 1, 1, 0]), max_epochs=100)
    assert len(run.mistakes) == 100 and min(run.mistakes) > 0


def test_simple_cells_are_tuned_and_complex_cells_tolerate_shifts():
    assert abs(gabor_filter(30.0, 0.0).mean()) < 1e-12
    angles = np.arange(-90, 91, 15)
    tuning = [simple_cell_response(bar_image(a, 0), 0) for a in angles]
    assert angles[int(np.argmax(tuning))] == 0
    centred = simple_cell_response(bar_image(0, 0), 0)
    assert simple_cell_response(bar_image(0, 4), 0) < 0.1 * centred
    centres = np.arange(-6, 7)
    # a shifted bar meets a pooled simple cell centred on it: same response (translation)
    for offset in [-4, -2, 2, 4]:
        assert complex_cell_response(bar_image(0, offset), centres) == pytest.approx(centred, rel=0.05)
    assert complex_cell_response(bar_image(90, 0), centres) < 0.5 * centred
