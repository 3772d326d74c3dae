r"""Spike trains: generating them and converting between formats.

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

What is measured from spike trains (rates, interval statistics, the Fano factor and the
spike-train distances) is in :mod:`neuro4ml.analysis.spike_statistics`.

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
from numbers import Real

import numpy as np

from neuro4ml.validation import (
    as_generator,
    non_negative_number,
    number_of_steps,
    positive_number,
    probability,
    whole_number,
)
from neuro4ml.validation import spike_trains as _as_train_list

__all__ = [
    "delayed_pair_trains",
    "delivery_steps",
    "events_to_trains",
    "poisson_spike_train",
    "raster_to_spike_times",
    "spike_counts",
    "spike_times_to_raster",
]


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
        n_trains = whole_number(n_trains, "n_trains", minimum=0)
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
