r"""Spike trains: generating them, converting between formats, and measuring distances.

A *spike train* here is a 1-D numpy array of spike times in milliseconds. Several
trains (one per neuron, or one per repeat of an experiment) are held in a list of
such arrays, because different trains have different numbers of spikes.

Two other formats appear in the course:

* a *raster*: a boolean array shaped ``(neurons, time)`` whose entry ``[i, k]`` is
  true when neuron ``i`` spiked in the time bin ``[k * dt_ms, (k + 1) * dt_ms)``;
* *spike counts*: an integer array shaped ``(neurons, bins)`` with the number of
  spikes in each bin.

Functions that take spike times accept either one train (a 1-D array or a flat list
of numbers) or several trains (a list of 1-D arrays, or a 2-D array with one train per
row). One train gives a result without the ``neurons`` axis; several trains give a
result whose first axis is ``neurons``.

Three statistics describe the variability of spike trains (Dayan & Abbott 2001,
*Theoretical Neuroscience*, section 1.4): the inter-spike intervals
(:func:`interspike_intervals_ms`), their coefficient of variation
(:func:`coefficient_of_variation`) and the Fano factor of spike counts
(:func:`fano_factor`). For a homogeneous Poisson process the CV and the Fano
factor are both 1.

The two spike-train distances, van Rossum (2001) and Victor & Purpura (1996), are the
ones used in the course to compare a model's spikes with recorded spikes.

**Spike times on a time grid.** Spike times are real numbers, but simulations run on a
grid :math:`t_k = k\,\Delta t`. The library puts a spike on the grid by one rule,
:func:`delivery_steps`: a spike at time :math:`t` is delivered at the first grid time
at or after it, step :math:`k = \lceil t/\Delta t \rceil`, so it never acts before
it happens (a spike at 0.05 ms with a 0.1 ms step acts at 0.1 ms). Synaptic traces
(:func:`neuro4ml.models.synapses.synaptic_trace`) and the input spikes and transmission
delays of :class:`neuro4ml.models.networks.Network` all use it. *Binning* is a different
operation: :func:`spike_counts` and :func:`spike_times_to_raster` count the spikes in
the half-open windows :math:`[k\,\Delta t, (k+1)\,\Delta t)`, the usual histogram
convention, so that the counts of all bins add up to the count in
:math:`[0, T)`. Both rules treat a time within :math:`10^{-9}` steps of a grid point
as on it, so spike times computed as ``k * dt_ms`` land on step ``k`` despite
floating-point error.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real

import numpy as np

from neuro4ml.validation import (
    as_generator,
    non_negative_number,
    number_of_steps,
    positive_number,
    probability,
)
from neuro4ml.validation import spike_train as _as_train
from neuro4ml.validation import spike_trains as _as_train_list

__all__ = [
    "coefficient_of_variation",
    "delayed_pair_trains",
    "fano_factor",
    "delivery_steps",
    "events_to_trains",
    "firing_rate_hz",
    "interspike_intervals_ms",
    "mean_van_rossum_distance",
    "poisson_spike_train",
    "raster_to_spike_times",
    "spike_counts",
    "spike_times_to_raster",
    "van_rossum_distance",
    "victor_purpura_distance",
]

#: Largest number of pairwise terms evaluated at once by the van Rossum distance;
#: longer trains are processed in blocks so memory stays bounded (about 32 MB).
_MAX_PAIRS_PER_BLOCK = 4_000_000


# ---------------------------------------------------------------------------
# Spike times on a time grid
# ---------------------------------------------------------------------------


def _in_steps(times_ms: np.ndarray, step_ms: float) -> np.ndarray:
    """``times_ms / step_ms`` rounded to 9 decimals, so that ``k * step_ms`` gives ``k`` exactly."""
    return np.round(np.asarray(times_ms, dtype=float) / step_ms, 9)


def _bin_index(train: np.ndarray, step_ms: float) -> np.ndarray:
    """Index of the bin ``[k * step_ms, (k + 1) * step_ms)`` holding each spike (binning, not delivery)."""
    return np.floor(_in_steps(train, step_ms)).astype(np.int64)


def delivery_steps(spike_times_ms: np.ndarray | float, dt_ms: float) -> np.ndarray:
    r"""The grid step at which each spike is delivered: the first grid time at or after it.

    A spike at time :math:`t` acts on a simulation with time step :math:`\Delta t` at
    step :math:`k = \lceil t / \Delta t \rceil`, the first grid time
    :math:`k\,\Delta t \ge t`: never before it happens, and at once when it falls on
    the grid. A time within :math:`10^{-9}` steps of a grid point counts as on it. The
    library's one rule for putting spikes (and delayed arrivals) on a time grid; see
    the module docstring.

    Parameters
    ----------
    spike_times_ms : float or array_like
        Times in ms (spike times, or delays: a delay of :math:`d` becomes
        :math:`\lceil d / \Delta t \rceil` steps).
    dt_ms : float
        Time step in ms, > 0.

    Returns
    -------
    numpy.ndarray of int64
        The step indices, shaped like ``spike_times_ms``.

    Examples
    --------
    >>> delivery_steps([0.0, 0.05, 0.1, 0.3], 0.1).tolist()
    [0, 1, 1, 3]
    """
    dt_ms = positive_number(dt_ms, "dt_ms")
    return np.ceil(_in_steps(spike_times_ms, dt_ms)).astype(np.int64)


# ---------------------------------------------------------------------------
# Generating spike trains
# ---------------------------------------------------------------------------


def _one_poisson_train(rate_hz: float, duration_ms: float, rng: np.random.Generator) -> np.ndarray:
    """Sorted spike times of one homogeneous Poisson process on ``[0, duration_ms)``."""
    expected_count = rate_hz * duration_ms / 1000.0
    n_spikes = rng.poisson(expected_count)
    return np.sort(rng.uniform(0.0, duration_ms, size=n_spikes))


def poisson_spike_train(
    rate_hz: float | np.ndarray,
    duration_ms: float,
    *,
    rng: np.random.Generator | int | None = None,
    n_trains: int | None = None,
) -> np.ndarray | list[np.ndarray]:
    """Homogeneous Poisson spike trains.

    A homogeneous Poisson process with rate :math:`r` produces, in a window of
    length :math:`T`, a number of spikes :math:`N \\sim \\mathrm{Poisson}(rT)`, and
    given :math:`N` the spike times are independent and uniform on :math:`[0, T)`
    (Dayan & Abbott 2001, *Theoretical Neuroscience*, section 1.4). This function
    samples in exactly that way, so the result is exact (no time step). The count
    therefore has mean and variance :math:`rT` (Fano factor 1) and the inter-spike
    intervals are exponential with mean :math:`1/r`.

    Parameters
    ----------
    rate_hz : float or array of float
        Firing rate in Hz (spikes per second), >= 0. A 1-D array gives one train per
        entry.
    duration_ms : float
        Length of the window ``[0, duration_ms)`` in milliseconds, > 0.
    rng : numpy.random.Generator, int or None
        Random generator or seed. The same seed gives the same trains.
    n_trains : int, optional
        Number of independent trains. With a scalar ``rate_hz`` every train has that
        rate; with an array it must equal ``len(rate_hz)``.

    Returns
    -------
    numpy.ndarray or list of numpy.ndarray
        With a scalar rate and no ``n_trains``: one sorted 1-D array of spike times in
        ms. Otherwise a list of such arrays, one per train.

    Examples
    --------
    >>> train = poisson_spike_train(20.0, 1000.0, rng=0)
    >>> trains = poisson_spike_train([5.0, 50.0], 1000.0, rng=0)
    """
    duration_ms = positive_number(duration_ms, "duration_ms")
    generator = as_generator(rng)
    rates = np.asarray(rate_hz, dtype=float)
    if rates.ndim > 1:
        raise ValueError(f"rate_hz must be a number or a 1-D array, got shape {rates.shape}")
    if not np.all(np.isfinite(rates)) or np.any(rates < 0):
        raise ValueError(f"rate_hz must be finite and >= 0 Hz, got {rate_hz}")
    if n_trains is not None:
        if isinstance(n_trains, bool) or not isinstance(n_trains, Integral) or n_trains < 0:
            raise ValueError(f"n_trains must be a whole number >= 0, got {n_trains!r}")
        if rates.ndim == 1 and len(rates) != n_trains:
            raise ValueError(
                f"n_trains={n_trains} does not match the {len(rates)} rates given in rate_hz"
            )
    if rates.ndim == 0 and n_trains is None:
        return _one_poisson_train(float(rates), duration_ms, generator)
    if rates.ndim == 0:
        rates = np.full(n_trains, float(rates))
    return [_one_poisson_train(float(rate), duration_ms, generator) for rate in rates]


def delayed_pair_trains(
    rate_hz: float,
    duration_ms: float,
    delay_ms: float,
    *,
    jitter_ms: float = 0.0,
    p_delete: float = 0.0,
    noise_rate_hz: float = 0.0,
    rng: np.random.Generator | int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Two spike trains, the second a delayed and corrupted copy of the first.

    The first train is a homogeneous Poisson train (see :func:`poisson_spike_train`).
    The second is built from it in four steps:

    1. each spike is kept with probability ``1 - p_delete``;
    2. each kept spike :math:`t_i` moves to :math:`t_i + \\delta + \\epsilon_i` with
       :math:`\\delta` = ``delay_ms`` and :math:`\\epsilon_i \\sim \\mathcal{N}(0,
       \\sigma^2)`, :math:`\\sigma` = ``jitter_ms``;
    3. independent Poisson "noise" spikes at ``noise_rate_hz`` are added;
    4. spikes outside ``[0, duration_ms)`` are dropped and the result is sorted.

    With no jitter, deletion or noise, the cross-correlogram of the pair is a single
    peak at lag ``delay_ms``: this is the input a coincidence detector needs to find
    a relative delay, as in the Jeffress (1948) place theory of sound localisation
    ("A place theory of sound localization", J Comp Physiol Psychol 41:35-39).

    Parameters
    ----------
    rate_hz : float
        Rate of the first train in Hz, >= 0.
    duration_ms : float
        Window length in ms, > 0.
    delay_ms : float
        Delay of the second train relative to the first, in ms (may be negative).
    jitter_ms : float
        Standard deviation of the Gaussian timing jitter in ms, >= 0.
    p_delete : float
        Probability that a spike of the first train is missing from the second.
    noise_rate_hz : float
        Rate of extra, independent Poisson spikes in the second train, in Hz, >= 0.
    rng : numpy.random.Generator, int or None
        Random generator or seed.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The two trains as sorted 1-D arrays of spike times in ms.
    """
    duration_ms = positive_number(duration_ms, "duration_ms")
    rate_hz = non_negative_number(rate_hz, "rate_hz")
    if isinstance(delay_ms, bool) or not isinstance(delay_ms, Real) or not np.isfinite(delay_ms):
        raise ValueError(f"delay_ms must be a finite number of ms, got {delay_ms!r}")
    jitter_ms = non_negative_number(jitter_ms, "jitter_ms")
    p_delete = probability(p_delete, "p_delete")
    noise_rate_hz = non_negative_number(noise_rate_hz, "noise_rate_hz")
    generator = as_generator(rng)

    first = _one_poisson_train(rate_hz, duration_ms, generator)
    kept = first[generator.random(first.size) >= p_delete]
    moved = kept + float(delay_ms) + jitter_ms * generator.standard_normal(kept.size)
    noise = _one_poisson_train(noise_rate_hz, duration_ms, generator)
    second = np.concatenate([moved, noise])
    second = np.sort(second[(second >= 0.0) & (second < duration_ms)])
    return first, second


# ---------------------------------------------------------------------------
# Converting between formats
# ---------------------------------------------------------------------------


def spike_times_to_raster(
    spike_times_ms: np.ndarray | Sequence[np.ndarray],
    duration_ms: float,
    dt_ms: float,
) -> np.ndarray:
    """Convert spike times to a boolean raster.

    Entry ``[i, k]`` of the raster is true when train ``i`` has a spike in the bin
    :math:`[k\\,\\Delta t, (k+1)\\,\\Delta t)`, i.e. when
    :math:`\\lfloor t / \\Delta t \\rfloor = k` for one of its spike times ``t``.

    Parameters
    ----------
    spike_times_ms : 1-D array or list of 1-D arrays
        One train, or several trains (one per neuron), in ms.
    duration_ms : float
        Length of the raster in ms; must be a whole multiple of ``dt_ms``.
    dt_ms : float
        Bin width (time step) in ms.

    Returns
    -------
    numpy.ndarray of bool
        Shape ``(time,)`` for one train or ``(neurons, time)`` for several, with
        ``time = duration_ms / dt_ms``.

    Raises
    ------
    ValueError
        If a spike lies outside ``[0, duration_ms)``, or if two spikes of one train
        fall into the same bin (a boolean raster cannot hold both; use a smaller
        ``dt_ms`` or :func:`spike_counts`).
    """
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    n_steps = number_of_steps(duration_ms, dt_ms, "dt_ms")
    trains, single = _as_train_list(spike_times_ms)
    raster = np.zeros((len(trains), n_steps), dtype=bool)
    for neuron, train in enumerate(trains):
        index = _bin_index(train, dt_ms)
        if np.any(index < 0) or np.any(index >= n_steps):
            raise ValueError(
                f"train {neuron} has spike times outside [0, {duration_ms}) ms"
            )
        if np.unique(index).size != index.size:
            raise ValueError(
                f"train {neuron} has two spikes in one bin of width dt_ms={dt_ms}; "
                "use a smaller dt_ms, or spike_counts() to count spikes per bin"
            )
        raster[neuron, index] = True
    return raster[0] if single else raster


def events_to_trains(neurons: np.ndarray, times_ms: np.ndarray, n_neurons: int) -> list[np.ndarray]:
    """Group spike events ``(neuron, time)`` into one spike train per neuron.

    Parameters
    ----------
    neurons : 1-D array of int
        The neuron of each event, in ``[0, n_neurons)``.
    times_ms : 1-D array
        The time of each event in ms, in increasing order (ties allowed).
    n_neurons : int
        Number of neurons; a neuron without events gets an empty train.

    Returns
    -------
    list of numpy.ndarray
        ``n_neurons`` sorted arrays of spike times (a stable sort by neuron keeps each
        neuron's times in their order).
    """
    neurons = np.asarray(neurons, dtype=np.int64)
    times_ms = np.asarray(times_ms, dtype=float)
    if neurons.shape != times_ms.shape or neurons.ndim != 1:
        raise ValueError(f"neurons and times_ms must be 1-D of one length, got {neurons.shape} and {times_ms.shape}")
    if neurons.size and (neurons.min() < 0 or neurons.max() >= n_neurons):
        raise ValueError(f"neuron indices must be in [0, {n_neurons})")
    order = np.argsort(neurons, kind="stable")
    counts = np.bincount(neurons, minlength=n_neurons)
    return np.split(times_ms[order], np.cumsum(counts)[:-1])


def raster_to_spike_times(raster: np.ndarray, dt_ms: float) -> np.ndarray | list[np.ndarray]:
    """Convert a boolean raster back to spike times.

    A spike in bin ``k`` becomes the spike time :math:`k\\,\\Delta t` (the start of
    the bin), so ``spike_times_to_raster(raster_to_spike_times(r, dt), T, dt)``
    returns ``r``.

    Parameters
    ----------
    raster : numpy.ndarray of bool (or of 0 and 1)
        Shape ``(time,)`` for one neuron or ``(neurons, time)``.
    dt_ms : float
        Bin width in ms.

    Returns
    -------
    numpy.ndarray or list of numpy.ndarray
        Sorted spike times in ms: one array for a 1-D raster, a list with one array
        per neuron for a 2-D raster.
    """
    dt_ms = positive_number(dt_ms, "dt_ms")
    raster = np.asarray(raster)
    if raster.ndim not in (1, 2):
        raise ValueError(f"raster must be shaped (time,) or (neurons, time), got {raster.shape}")
    if raster.dtype != bool:
        if not np.issubdtype(raster.dtype, np.number) or not np.all((raster == 0) | (raster == 1)):
            raise ValueError("raster must hold booleans or only the values 0 and 1")
        raster = raster.astype(bool)
    if raster.ndim == 1:
        return np.flatnonzero(raster) * dt_ms
    return [np.flatnonzero(row) * dt_ms for row in raster]


def spike_counts(
    spike_times_ms: np.ndarray | Sequence[np.ndarray],
    duration_ms: float,
    *,
    bin_ms: float | None = None,
) -> int | np.ndarray:
    """Count spikes in the window ``[0, duration_ms)``, in total or per bin.

    Spikes outside the window are not counted.

    Parameters
    ----------
    spike_times_ms : 1-D array or list of 1-D arrays
        One train or several trains, in ms.
    duration_ms : float
        Window length in ms.
    bin_ms : float, optional
        Bin width in ms; ``duration_ms`` must be a whole multiple of it. Without it,
        each train's total count is returned.

    Returns
    -------
    int or numpy.ndarray of int
        Without ``bin_ms``: an int for one train, shape ``(neurons,)`` for several.
        With ``bin_ms``: shape ``(bins,)`` for one train, ``(neurons, bins)`` for
        several, with ``bins = duration_ms / bin_ms``.
    """
    duration_ms = positive_number(duration_ms, "duration_ms")
    trains, single = _as_train_list(spike_times_ms)
    if bin_ms is None:
        totals = np.array(
            [np.count_nonzero((train >= 0) & (train < duration_ms)) for train in trains],
            dtype=np.int64,
        )
        return int(totals[0]) if single else totals
    bin_ms = positive_number(bin_ms, "bin_ms")
    n_bins = number_of_steps(duration_ms, bin_ms, "bin_ms")
    counts = np.zeros((len(trains), n_bins), dtype=np.int64)
    for neuron, train in enumerate(trains):
        index = _bin_index(train, bin_ms)
        index = index[(index >= 0) & (index < n_bins)]
        counts[neuron] = np.bincount(index, minlength=n_bins)
    return counts[0] if single else counts


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
