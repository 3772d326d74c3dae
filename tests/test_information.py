"""Entropy and information estimators against exact values and the analytic first-order bias."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.analysis.information import binary_words, entropy_bits, mutual_information_bits, shuffled_information_bits


def test_entropy_of_a_known_sample():
    # Frequencies 1/2, 1/4, 1/4: exactly 1.5 bits by hand; Miller-Madow adds (3 - 1) / (2 * 8 * ln 2).
    symbols = np.array([0, 0, 0, 0, 1, 1, 2, 2])
    assert entropy_bits(symbols, correction="none") == pytest.approx(1.5)
    assert entropy_bits(symbols) == pytest.approx(1.5 + 2 / (16 * np.log(2)))


def test_plug_in_bias_matches_miller_and_the_correction_removes_it():
    # Uniform over m = 4 symbols (H = 2 bits), N = 40 samples, averaged over many data sets.
    rng = np.random.default_rng(0)
    m, n = 4, 40
    samples = rng.integers(0, m, size=(4000, n))
    plug_in = np.mean([entropy_bits(s, correction="none") for s in samples])
    corrected = np.mean([entropy_bits(s) for s in samples])
    assert plug_in - 2.0 == pytest.approx(-(m - 1) / (2 * n * np.log(2)), rel=0.15)  # Miller (1955)
    assert abs(corrected - 2.0) < 0.01


def test_information_of_independent_and_identical_variables():
    rng = np.random.default_rng(1)
    ms, mr, n = 4, 6, 200
    plug_in = np.mean([mutual_information_bits(rng.integers(0, ms, n), rng.integers(0, mr, n), correction="none") for _ in range(2000)])
    # The upward bias for independent variables (Panzeri & Treves 1996).
    assert plug_in == pytest.approx((ms - 1) * (mr - 1) / (2 * n * np.log(2)), rel=0.15)
    corrected = np.mean([mutual_information_bits(rng.integers(0, ms, n), rng.integers(0, mr, n)) for _ in range(2000)])
    assert abs(corrected) < 0.1 * plug_in
    x = rng.integers(0, 8, 5000)
    assert mutual_information_bits(x, x, correction="none") == pytest.approx(entropy_bits(x, correction="none"))
    assert shuffled_information_bits(x, x, n_shuffles=5).shape == (5,)


def test_binary_words():
    # 4 bins of 1 ms per word, 8 ms: spikes at 0.5 (bin 0), 2.2 (bin 2), 2.7 (bin 2 again), 7.9 (bin 7).
    words = binary_words(np.array([0.5, 2.2, 2.7, 7.9]), duration_ms=8.0, bin_ms=1.0, word_bins=4)
    np.testing.assert_array_equal(words, [0b0101, 0b1000])


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="integer symbols"):
        entropy_bits(np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="paired"):
        mutual_information_bits(np.array([0, 1]), np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="correction"):
        entropy_bits(np.array([0, 1]), correction="jackknife")
