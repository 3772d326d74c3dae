r"""Statistics of spike trains: rates, inter-spike intervals, their variability, and distances between trains.

Spike trains follow the conventions of :mod:`neuro4ml.models.spikes`: a train is a 1-D array of
spike times in ms; functions accept one train (a result without the ``neurons`` axis) or several
(a list of 1-D arrays, or a 2-D array with one train per row).

Three statistics describe the variability of spike trains (Dayan & Abbott 2001,
*Theoretical Neuroscience*, section 1.4): the inter-spike intervals
(:func:`interspike_intervals_ms`), their coefficient of variation
(:func:`coefficient_of_variation`) and the Fano factor of spike counts
(:func:`fano_factor`). For a homogeneous Poisson process the CV and the Fano
factor are both 1.

The two spike-train distances, van Rossum (2001) and Victor & Purpura (1996), are the
ones used in the course to compare a model's spikes with recorded spikes.
:func:`cross_correlogram` counts the lags between the spikes of two trains.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from neuro4ml.models.spikes import spike_counts
from neuro4ml.validation import (
    non_negative_number,
    positive_number,
)
from neuro4ml.validation import spike_train as _as_train
from neuro4ml.validation import spike_trains as _as_train_list

__all__ = [
    "coefficient_of_variation",
    "cross_correlogram",
    "fano_factor",
    "firing_rate_hz",
    "interspike_intervals_ms",
    "mean_van_rossum_distance",
    "van_rossum_distance",
    "victor_purpura_distance",
]

#: Largest number of pairwise terms evaluated at once by the van Rossum distance;
#: longer trains are processed in blocks so memory stays bounded (about 32 MB).
_MAX_PAIRS_PER_BLOCK = 4_000_000


def firing_rate_hz(
    spike_times_ms: np.ndarray | Sequence[np.ndarray],
    duration_ms: float,
) -> float | np.ndarray:
    """Mean firing rate over the window ``[0, duration_ms)``.

    .. math:: r = \\frac{N}{T}, \\qquad T \\text{ in seconds} = \\text{duration\\_ms} / 1000,

    where :math:`N` is the number of spikes in the window (Dayan & Abbott 2001,
    *Theoretical Neuroscience*, section 1.2, the spike-count rate).

    Parameters
    ----------
    spike_times_ms : 1-D array or list of 1-D arrays
        One train or several trains, in ms.
    duration_ms : float
        Window length in ms.

    Returns
    -------
    float or numpy.ndarray
        Rate in Hz: a float for one train, shape ``(neurons,)`` for several.
    """
    counts = spike_counts(spike_times_ms, duration_ms)
    rate = np.asarray(counts, dtype=float) * 1000.0 / float(duration_ms)
    return float(rate) if rate.ndim == 0 else rate


def interspike_intervals_ms(
    spike_times_ms: np.ndarray | Sequence[np.ndarray],
) -> np.ndarray | list[np.ndarray]:
    r"""Inter-spike intervals: the gaps between consecutive spikes of each train.

    .. math:: \Delta_i = t_{i+1} - t_i, \qquad i = 1, \dots, n - 1,

    for the sorted spike times :math:`t_1 \le \dots \le t_n` of one train. The
    intervals of different trains are never mixed: the gap between the last spike of
    one trial and the first spike of the next is not an interval.

    Parameters
    ----------
    spike_times_ms : 1-D array or list of 1-D arrays
        One train, or several trains (neurons or trials), in ms, in any order.

    Returns
    -------
    numpy.ndarray or list of numpy.ndarray
        Intervals in ms: shape ``(spikes - 1,)`` for one train (empty with fewer than
        two spikes), or a list with one such array per train.
    """
    trains, single = _as_train_list(spike_times_ms)
    intervals = [np.diff(np.sort(train)) for train in trains]
    return intervals[0] if single else intervals


def coefficient_of_variation(spike_times_ms: np.ndarray | Sequence[np.ndarray]) -> float:
    r"""Coefficient of variation (CV) of the inter-spike intervals.

    .. math:: C_V = \frac{\sigma_\Delta}{\langle \Delta \rangle}

    with :math:`\sigma_\Delta` the standard deviation (``ddof=0``) and
    :math:`\langle \Delta \rangle` the mean of the intervals (Dayan & Abbott 2001,
    section 1.4). A perfectly regular train has :math:`C_V = 0`; intervals of a
    homogeneous Poisson process are exponential, whose standard deviation equals its
    mean, so :math:`C_V = 1`; a gamma process of order :math:`k` has
    :math:`C_V = 1/\sqrt{k}` (Softky & Koch 1993, J Neurosci 13:334-350, used these
    values to argue that cortical neurons fire irregularly).

    Parameters
    ----------
    spike_times_ms : 1-D array or list of 1-D arrays
        One train, or several trains whose intervals are pooled (intervals are taken
        within each train, see :func:`interspike_intervals_ms`; use this for trials of
        the same neuron).

    Returns
    -------
    float
        The CV (dimensionless, >= 0).

    Raises
    ------
    ValueError
        If there are fewer than two intervals in all, or their mean is 0.
    """
    intervals = interspike_intervals_ms(spike_times_ms)
    pooled = np.concatenate(intervals) if isinstance(intervals, list) else intervals
    if pooled.size < 2:
        raise ValueError(
            f"the CV needs at least two inter-spike intervals, got {pooled.size} "
            "(a train needs three spikes or more)"
        )
    mean = pooled.mean()
    if mean <= 0:
        raise ValueError("the CV is undefined when every spike of a train falls at the same time")
    return float(pooled.std() / mean)


def fano_factor(
    spike_times_ms: np.ndarray | Sequence[np.ndarray],
    duration_ms: float,
    *,
    window_ms: float,
) -> float | np.ndarray:
    r"""Fano factor of spike counts: their variance divided by their mean.

    .. math:: F = \frac{\operatorname{Var}[N]}{\operatorname{E}[N]}

    (Dayan & Abbott 2001, section 1.4). Counts :math:`N` are taken in consecutive
    windows ``[k * window_ms, (k + 1) * window_ms)`` covering ``[0, duration_ms)``, and
    the variance is the unbiased sample variance (``ddof=1``), so that counts from a
    Poisson process, whose variance equals its mean, give :math:`F = 1` on average.

    * **One train**: the mean and variance are taken over the windows of that train
      (this assumes the rate does not change from window to window), giving one number.
    * **Several trains** (trials of the same stimulus): the mean and variance are taken
      across trials, separately in each window, giving one Fano factor per window.
      Set ``window_ms = duration_ms`` for the Fano factor of whole-trial counts.

    Parameters
    ----------
    spike_times_ms : 1-D array or list of 1-D arrays
        One train, or several trials (at least two), in ms.
    duration_ms : float
        Length of the analysed window ``[0, duration_ms)`` in ms; spikes outside are
        ignored.
    window_ms : float
        Counting window in ms; ``duration_ms`` must be a whole multiple of it.

    Returns
    -------
    float or numpy.ndarray
        One train: a float. Several trials: shape ``(windows,)``, with
        ``windows = duration_ms / window_ms``. A window with no spikes at all has a
        Fano factor of NaN (0/0).

    Raises
    ------
    ValueError
        If there are fewer than two windows (one train) or two trials (several).
    """
    counts = np.asarray(spike_counts(spike_times_ms, duration_ms, bin_ms=window_ms), dtype=float)
    # One train: samples are its windows (axis 0 of (windows,)); several: its trials
    # (axis 0 of (trials, windows)).
    if counts.shape[0] < 2:
        what = "windows (make window_ms smaller)" if counts.ndim == 1 else "trials"
        raise ValueError(f"the Fano factor needs at least two {what}, got {counts.shape[0]}")
    mean = counts.mean(axis=0)
    variance = counts.var(axis=0, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(mean > 0, variance / np.where(mean > 0, mean, 1.0), np.nan)
    return float(ratio) if counts.ndim == 1 else ratio


# ---------------------------------------------------------------------------
# Spike-train distances
# ---------------------------------------------------------------------------


def _exponential_kernel_sum(a_ms: np.ndarray, b_ms: np.ndarray, tau_ms: float) -> float:
    """:math:`\\sum_{i,j} e^{-|a_i - b_j| / \\tau}`, in blocks of rows to bound memory."""
    if a_ms.size == 0 or b_ms.size == 0:
        return 0.0
    rows_per_block = max(1, _MAX_PAIRS_PER_BLOCK // b_ms.size)
    total = 0.0
    for start in range(0, a_ms.size, rows_per_block):
        block = a_ms[start : start + rows_per_block, None]
        total += float(np.exp(-np.abs(block - b_ms[None, :]) / tau_ms).sum())
    return total


def van_rossum_distance(t1_ms: np.ndarray, t2_ms: np.ndarray, tau_ms: float) -> float:
    """Van Rossum distance between two spike trains, computed exactly.

    Each train is filtered with a causal exponential,
    :math:`f(t) = \\sum_i H(t - t_i)\\, e^{-(t - t_i)/\\tau}` (H the Heaviside step),
    and the distance is (van Rossum 2001, "A novel spike distance", Neural
    Computation 13:751-763)

    .. math:: D^2 = \\frac{1}{\\tau} \\int_0^\\infty \\big(f(t) - g(t)\\big)^2 \\, dt .

    This is the normalisation used here. Since
    :math:`\\frac{1}{\\tau}\\int H(t-a)H(t-b) e^{-(2t-a-b)/\\tau}\\,dt = \\tfrac12 e^{-|a-b|/\\tau}`,
    the integral has the closed form, computed here without any time step,

    .. math::
        D^2 = \\tfrac12 \\sum_{i,j} e^{-|t^1_i - t^1_j|/\\tau}
            + \\tfrac12 \\sum_{i,j} e^{-|t^2_i - t^2_j|/\\tau}
            - \\sum_{i,j} e^{-|t^1_i - t^2_j|/\\tau} .

    With this normalisation two single spikes :math:`\\Delta` apart are at distance
    :math:`\\sqrt{1 - e^{-|\\Delta|/\\tau}}`, and a train of :math:`n` spikes far
    apart compared with :math:`\\tau` is at distance :math:`\\sqrt{n/2}` from the
    empty train. The sums are evaluated by numpy broadcasting in blocks
    (:math:`O(nm)` time, bounded memory).

    Parameters
    ----------
    t1_ms, t2_ms : array_like, 1-D
        Spike times of the two trains in ms (any order; may be empty).
    tau_ms : float
        Time constant of the exponential filter in ms, > 0. Small ``tau_ms``
        compares precise timing; large ``tau_ms`` compares spike counts.

    Returns
    -------
    float
        The distance :math:`D \\ge 0` (dimensionless).
    """
    tau_ms = positive_number(tau_ms, "tau_ms")
    a = _as_train(t1_ms, "t1_ms")
    b = _as_train(t2_ms, "t2_ms")
    squared = (
        0.5 * _exponential_kernel_sum(a, a, tau_ms)
        + 0.5 * _exponential_kernel_sum(b, b, tau_ms)
        - _exponential_kernel_sum(a, b, tau_ms)
    )
    # Rounding can leave a tiny negative number when the trains are (almost) equal.
    return float(np.sqrt(max(squared, 0.0)))


def mean_van_rossum_distance(
    trains1: Sequence[np.ndarray],
    trains2: Sequence[np.ndarray],
    tau_ms: float,
) -> float:
    """Mean van Rossum distance between paired spike trains.

    .. math:: \\bar D = \\frac{1}{K} \\sum_{k=1}^{K} D\\big(\\text{trains1}[k], \\text{trains2}[k]\\big),

    with :math:`D` from :func:`van_rossum_distance` (van Rossum 2001, Neural
    Computation 13:751-763). Use it, for example, to compare a model's response to
    each repeat of a stimulus with the recorded response to the same repeat.

    Parameters
    ----------
    trains1, trains2 : list of 1-D arrays
        The same number :math:`K \\ge 1` of trains each, spike times in ms; train
        ``k`` of one list is compared with train ``k`` of the other.
    tau_ms : float
        Filter time constant in ms.

    Returns
    -------
    float
        The mean distance.
    """
    first, single1 = _as_train_list(trains1)
    second, single2 = _as_train_list(trains2)
    if single1 or single2:
        raise TypeError(
            "mean_van_rossum_distance compares lists of trains; for two single trains "
            "use van_rossum_distance"
        )
    if len(first) != len(second):
        raise ValueError(
            f"trains1 has {len(first)} trains but trains2 has {len(second)}; they are "
            "compared pair by pair, so they must have the same number"
        )
    if not first:
        raise ValueError("trains1 and trains2 must hold at least one train each")
    return float(np.mean([van_rossum_distance(a, b, tau_ms) for a, b in zip(first, second)]))


def _shift_cost(shift_ms: np.ndarray, q_per_ms: float) -> np.ndarray:
    """Cost :math:`q|\\Delta t|` of moving spikes, with a zero shift free even when q is infinite."""
    if np.isinf(q_per_ms):
        return np.where(shift_ms == 0.0, 0.0, np.inf)
    return q_per_ms * shift_ms


def victor_purpura_distance(t1_ms: np.ndarray, t2_ms: np.ndarray, q_per_ms: float) -> float:
    """Victor-Purpura spike-time distance.

    The distance is the cheapest way to turn one train into the other using three
    operations: delete a spike (cost 1), insert a spike (cost 1), or move a spike by
    :math:`\\Delta t` (cost :math:`q|\\Delta t|`) (Victor & Purpura 1996, "Nature and
    precision of temporal coding in visual cortex: a metric-space analysis",
    J Neurophysiol 76:1310-1326). Moving a spike is only worth it when
    :math:`q|\\Delta t| < 2`, so :math:`2/q` is the timing precision the metric
    cares about. With :math:`q = 0` the distance is the difference in spike counts.

    It is computed by dynamic programming over the sorted spike times (Victor &
    Purpura 1997, "Metric-space analysis of spike trains: theory, algorithms and
    application", Network 8:127-164): with :math:`G_{0,j} = j`, :math:`G_{i,0} = i`,

    .. math::
        G_{i,j} = \\min\\big(G_{i-1,j} + 1,\\; G_{i,j-1} + 1,\\;
                   G_{i-1,j-1} + q\\,|t^1_i - t^2_j|\\big),

    and :math:`D = G_{n,m}`. Each row of :math:`G` is computed with numpy: the
    insertion term is a running minimum, :math:`G_{i,j} = j + \\min_{k \\le j}
    (H_{i,k} - k)` where :math:`H` holds the other two terms.

    Parameters
    ----------
    t1_ms, t2_ms : array_like, 1-D
        Spike times of the two trains in ms (any order; may be empty).
    q_per_ms : float
        Cost per ms of moving a spike, >= 0 (``numpy.inf`` allowed: spikes can then
        only be matched if they coincide exactly).

    Returns
    -------
    float
        The distance, between :math:`|n - m|` and :math:`n + m`.
    """
    q_per_ms = non_negative_number(q_per_ms, "q_per_ms", allow_inf=True)
    a = np.sort(_as_train(t1_ms, "t1_ms"))
    b = np.sort(_as_train(t2_ms, "t2_ms"))
    column = np.arange(b.size + 1, dtype=float)
    previous = column.copy()  # row i = 0: insert the first j spikes of b
    for i, spike in enumerate(a, start=1):
        shift_cost = _shift_cost(np.abs(spike - b), q_per_ms)
        candidates = np.empty(b.size + 1)
        candidates[0] = i  # delete the first i spikes of a
        candidates[1:] = np.minimum(previous[1:] + 1.0, previous[:-1] + shift_cost)
        previous = np.minimum.accumulate(candidates - column) + column
    return float(previous[-1])


def cross_correlogram(
    reference_ms: np.ndarray, target_ms: np.ndarray, *, bin_ms: float, max_lag_ms: float
) -> tuple[np.ndarray, np.ndarray]:
    r"""Histogram of the time from each spike of one train to each spike of another.

    .. math:: C[b] = \#\{(i, j) : e_b \le t^\text{target}_j - t^\text{reference}_i < e_{b+1}\},

    with bin edges :math:`e_b = -L + b\,\Delta` from :math:`-L` to :math:`L` (``max_lag_ms``,
    a whole number of bins ``bin_ms``), half-open like :func:`spike_counts`. A peak at a
    positive lag means that the target tends to fire after the reference (Perkel, Gerstein &
    Moore 1967; Dayan & Abbott 2001, section 1.4). With the same train twice it is the
    autocorrelogram, whose zero-lag bin counts each spike with itself. Raw counts: divide by the
    number of reference spikes and ``bin_ms`` for a rate.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The centre of each bin in ms, shape ``(2 L / bin_ms,)``, and the counts (int64).
    """
    reference = np.sort(_as_train(reference_ms, "reference_ms"))
    target = np.sort(_as_train(target_ms, "target_ms"))
    bin_ms = positive_number(bin_ms, "bin_ms")
    max_lag_ms = positive_number(max_lag_ms, "max_lag_ms")
    n_half = int(round(max_lag_ms / bin_ms))
    if not np.isclose(n_half * bin_ms, max_lag_ms, rtol=1e-9, atol=0.0):
        raise ValueError(f"max_lag_ms={max_lag_ms} must be a whole number of bins of bin_ms={bin_ms}")
    edges = (np.arange(2 * n_half + 1) - n_half) * bin_ms
    counts = np.zeros(2 * n_half, dtype=np.int64)
    # each reference spike sees the target spikes in [t - L, t + L): binary search, then one histogram
    first = np.searchsorted(target, reference - max_lag_ms, side="left")
    last = np.searchsorted(target, reference + max_lag_ms, side="left")
    for t, a, b in zip(reference, first, last):
        lags = target[a:b] - t
        index = np.searchsorted(edges, lags, side="right") - 1
        counts += np.bincount(index[(index >= 0) & (index < counts.size)], minlength=counts.size)
    return (edges[:-1] + edges[1:]) / 2, counts
