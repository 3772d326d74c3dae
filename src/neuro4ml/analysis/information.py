r"""Information carried by spikes: plug-in entropies with a bias correction (week 9).

Conventions: samples are 1-d arrays of non-negative integer symbols (a spike
count, a spike pattern coded as an integer, a stimulus class), one per
observation; all quantities are in bits.

The *plug-in* (maximum-likelihood) estimator replaces probabilities by observed
frequencies, :math:`\hat H = -\sum_i \hat p_i \log_2 \hat p_i`. With :math:`N`
samples it is biased downwards, and to first order in :math:`1/N` the bias is

.. math:: E[\hat H] - H \approx -\frac{m - 1}{2 N \ln 2},

with :math:`m` the number of symbols of non-zero probability (Miller 1955).
The Miller–Madow estimator adds that term back, with :math:`m` estimated by
the number of symbols seen. Mutual information is a difference of entropies,
:math:`I(S;R) = H(S) + H(R) - H(S,R)`, so the plug-in estimate of :math:`I` is
biased *upwards* by about :math:`(m_S - 1)(m_R - 1) / (2 N \ln 2)` for
independent variables (Panzeri & Treves 1996): limited data make noise look
like information. :func:`mutual_information_bits` corrects each entropy.
"""

from __future__ import annotations

import numpy as np

from neuro4ml.validation import as_generator

__all__ = ["binary_words", "entropy_bits", "mutual_information_bits", "shuffled_information_bits"]

CORRECTIONS = ("none", "miller-madow")


def _symbols(values: object, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-d array of symbols, got shape {array.shape}")
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integer symbols (counts, coded patterns, classes), got {array.dtype}")
    return array.astype(np.int64)


def _correction(correction: str) -> str:
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {CORRECTIONS}, got {correction!r}")
    return correction


def entropy_bits(symbols: object, *, correction: str = "miller-madow") -> float:
    r"""Entropy of the distribution the ``symbols`` were drawn from, in bits.

    Plug-in estimate :math:`-\sum \hat p_i \log_2 \hat p_i`, plus the Miller (1955)
    correction :math:`(\hat m - 1) / (2 N \ln 2)` unless ``correction="none"``.
    """
    symbols, correction = _symbols(symbols, "symbols"), _correction(correction)
    _, counts = np.unique(symbols, return_counts=True)
    p = counts / symbols.size
    h = float(-(p * np.log2(p)).sum())
    if correction == "miller-madow":
        h += (counts.size - 1) / (2 * symbols.size * np.log(2))
    return h


def _joint(s: np.ndarray, r: np.ndarray) -> np.ndarray:
    _, s_code = np.unique(s, return_inverse=True)
    _, r_code = np.unique(r, return_inverse=True)
    return s_code * (r_code.max() + 1) + r_code


def mutual_information_bits(stimulus: object, response: object, *, correction: str = "miller-madow") -> float:
    r"""Mutual information :math:`I(S;R) = H(S) + H(R) - H(S,R)` between paired symbols, in bits.

    Each entropy is estimated by :func:`entropy_bits` with the same ``correction``.
    """
    s, r = _symbols(stimulus, "stimulus"), _symbols(response, "response")
    if s.shape != r.shape:
        raise ValueError(f"stimulus and response must be paired, one of each per observation: got shapes {s.shape} and {r.shape}")
    return entropy_bits(s, correction=correction) + entropy_bits(r, correction=correction) - entropy_bits(_joint(s, r), correction=correction)


def shuffled_information_bits(stimulus: object, response: object, *, n_shuffles: int = 20, correction: str = "miller-madow", seed: int = 0) -> np.ndarray:
    """:func:`mutual_information_bits` after shuffling the pairing, ``n_shuffles`` times.

    The true information of shuffled pairs is zero, so these values show the
    bias left in the estimator for data of this size (returned: shape ``(n_shuffles,)``).
    """
    s, r = _symbols(stimulus, "stimulus"), _symbols(response, "response")
    rng = as_generator(seed)
    return np.array([mutual_information_bits(s, rng.permutation(r), correction=correction) for _ in range(int(n_shuffles))])


def binary_words(spike_times_ms: object, *, duration_ms: float, bin_ms: float, word_bins: int) -> np.ndarray:
    """Code a spike train as consecutive words of ``word_bins`` bins (spike or no spike in each).

    The train is cut into non-overlapping windows of ``word_bins * bin_ms``; in each
    window, bit ``j`` of the word is 1 when bin ``j`` holds at least one spike.
    Returns the words as integers, shape ``(windows,)``; their number of set bits is
    the window's count of occupied bins.
    """
    times = np.asarray(spike_times_ms, dtype=float)
    if times.ndim != 1 or not np.all(np.isfinite(times)):
        raise ValueError("spike_times_ms must be a 1-d array of finite times")
    if not (bin_ms > 0 and duration_ms > 0) or int(word_bins) != word_bins or not 1 <= word_bins <= 30:
        raise ValueError(f"need bin_ms > 0, duration_ms > 0 and word_bins an integer from 1 to 30; got {bin_ms}, {duration_ms}, {word_bins}")
    n_bins = int(duration_ms // bin_ms)
    n_words = n_bins // int(word_bins)
    occupied = np.zeros(n_words * int(word_bins), dtype=np.int64)
    index = np.floor(times / bin_ms).astype(np.int64)
    occupied[index[(index >= 0) & (index < occupied.size)]] = 1
    return occupied.reshape(n_words, int(word_bins)) @ (2 ** np.arange(int(word_bins)))
