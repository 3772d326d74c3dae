"""Synaptic traces of spike trains on a time grid: exact (matrix exponential) and forward Euler."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.signal import lfilter

from neuro4ml.models.spikes import delivery_steps
from neuro4ml.models.synapses.linear import Biexponential, Instantaneous, Synapse
from neuro4ml.validation import (
    finite_number,
    number_of_steps,
    positive_number,
)
from neuro4ml.validation import spike_train as _as_train
from neuro4ml.validation import spike_trains as _as_train_list

__all__ = ["biexponential_euler", "biexponential_trace", "synaptic_trace"]


def _trains_and_weights(
    spike_times_ms: object, weight: object
) -> tuple[list[np.ndarray], list[np.ndarray], bool]:
    """Check the trains and weights of a trace; one weight array per train."""
    trains, single = _as_train_list(spike_times_ms)
    for i, train in enumerate(trains):
        if np.any(train < 0):
            raise ValueError(f"spike times must be >= 0 ms; train {i} has a negative time")
    weights = np.asarray(weight, dtype=float)
    if not np.all(np.isfinite(weights)):
        raise ValueError("weight contains NaN or infinite values")
    if weights.ndim == 0:
        return trains, [np.full(train.size, float(weights)) for train in trains], single
    if not single or weights.shape != trains[0].shape:
        raise ValueError(
            "weight must be a number, or (for one train) an array with one weight per spike; "
            f"got shape {weights.shape} for {len(trains)} train(s)"
        )
    return trains, [weights], single


def _state_traces(
    trains: list[np.ndarray],
    weights: list[np.ndarray],
    synapse: Synapse,
    n_steps: int,
    dt_ms: float,
) -> np.ndarray:
    r"""Exact state of ``synapse`` driven by each train, on the grid; ``(d, trains, time)``.

    At each step :math:`\mathbf s_{k} = P \mathbf s_{k-1} + \sum w\, e^{A (t_k - t_s)}
    \mathbf j`, the sum running over the spikes :math:`t_s \in (t_{k-1}, t_k]`.
    """
    n_variables, n_trains = len(synapse.variables), len(trains)
    propagator = synapse.propagator(dt_ms)
    if np.any(np.triu(propagator, 1)):
        raise ValueError(f"{synapse!r}: the synapse matrix must be lower triangular")
    kicks = np.zeros((n_variables, n_trains, n_steps))
    for i, (train, weight) in enumerate(zip(trains, weights)):
        sample = delivery_steps(train, dt_ms)
        inside = sample < n_steps
        offset_ms = np.maximum(sample[inside] * dt_ms - train[inside], 0.0)
        responses = synapse.responses(offset_ms) * weight[inside, np.newaxis]
        for v in range(n_variables):
            np.add.at(kicks[v, i], sample[inside], responses[:, v])
    # P is lower triangular, so variable v only feels the variables before it:
    # s_v[k] = P_vv s_v[k-1] + (kicks_v[k] + sum_{j<v} P_vj s_j[k-1]), a first-order
    # recursive filter per variable, run by scipy.signal.lfilter in compiled code.
    states = np.empty((n_variables, n_trains, n_steps))
    for v in range(n_variables):
        drive = kicks[v]
        for j in range(v):
            if propagator[v, j] != 0.0:
                drive[:, 1:] += propagator[v, j] * states[j, :, :-1]
        states[v] = lfilter([1.0], [1.0, -propagator[v, v]], drive, axis=-1)
    return states


def _instantaneous_trace(
    trains: list[np.ndarray], weights: list[np.ndarray], n_steps: int, dt_ms: float
) -> np.ndarray:
    """Sum of the weights of the spikes arriving at each sample; ``(trains, time)``."""
    jumps = np.zeros((len(trains), n_steps))
    for i, (train, weight) in enumerate(zip(trains, weights)):
        sample = delivery_steps(train, dt_ms)
        inside = sample < n_steps
        np.add.at(jumps[i], sample[inside], weight[inside])
    return jumps


def synaptic_trace(
    spike_times_ms: np.ndarray | Sequence[np.ndarray],
    synapse: Synapse,
    *,
    duration_ms: float,
    dt_ms: float,
    weight: float | np.ndarray = 1.0,
) -> np.ndarray:
    r"""Synaptic current or conductance driven by spike trains, integrated exactly.

    The result at the grid time :math:`t_k = k\,\Delta t` is the superposition

    .. math:: s(t_k) = \sum_{t_s \le t_k} w_s\, k(t_k - t_s),

    with :math:`k` the model's kernel (``synapse.kernel``). It is computed with the
    exact propagator :math:`P = e^{A \Delta t}` (Rotter & Diesmann 1999),
    :math:`\mathbf s_k = P \mathbf s_{k-1} + \mathbf u_k`, each spike entering
    :math:`\mathbf u` at the first grid time at or after it
    (:func:`neuro4ml.models.spikes.delivery_steps`) with the state it has reached by then, so
    the sum holds for spikes between grid points too. Since :math:`P` is lower
    triangular, the recursion is one first-order filter per variable, run by
    ``scipy.signal.lfilter`` (no Python loop over time steps).

    For :class:`Instantaneous`, sample ``k`` holds the total weight of the spikes in
    :math:`(t_{k-1}, t_k]`: the jumps applied to :math:`V` at that time.

    Parameters
    ----------
    spike_times_ms : 1-D array or list of 1-D arrays
        One presynaptic train, or several (one output row each); times >= 0 in ms,
        any order. Spikes after the last grid time have no effect.
    synapse : Synapse
        The model, e.g. ``Exponential(tau_ms=5)`` or ``Biexponential(1, 5)``.
    duration_ms : float
        Length of the grid in ms, a whole multiple of ``dt_ms``.
    dt_ms : float
        Time step in ms.
    weight : float or 1-D array
        One weight for every spike, or (for one train) one weight per spike, e.g. the
        efficacies from :func:`tsodyks_markram`.

    Returns
    -------
    numpy.ndarray
        Shape ``(time,)`` for one train, ``(trains, time)`` for several, with
        ``time = duration_ms / dt_ms`` samples at ``t_ms = arange(time) * dt_ms``.
    """
    if not isinstance(synapse, Synapse):
        raise TypeError(f"synapse must be a Synapse model such as Exponential(5.0), got {synapse!r}")
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    n_steps = number_of_steps(duration_ms, dt_ms, "dt_ms")
    trains, weights, single = _trains_and_weights(spike_times_ms, weight)
    if isinstance(synapse, Instantaneous):
        traces = _instantaneous_trace(trains, weights, n_steps, dt_ms)
    else:
        traces = _state_traces(trains, weights, synapse, n_steps, dt_ms)[-1]
    return traces[0] if single else traces


def biexponential_trace(
    spike_times_ms: np.ndarray | Sequence[float],
    *,
    tau_rise_ms: float,
    tau_decay_ms: float,
    duration_ms: float,
    dt_ms: float,
    weight: float = 1.0,
    normalise: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Exact solution of the biexponential system on a time grid: both variables.

    .. math::
        \tau_r \frac{dx}{dt} = -x, \qquad \tau_d \frac{dI}{dt} = x - I,
        \qquad x \leftarrow x + w \text{ at each spike},

    starting from :math:`x = I = 0`, integrated exactly as in :func:`synaptic_trace`.
    Takes the same arguments as :func:`biexponential_euler`, so the two can be
    compared sample by sample.

    Parameters
    ----------
    spike_times_ms : 1-D array
        Presynaptic spike times in ms, >= 0.
    tau_rise_ms, tau_decay_ms : float
        Rise and decay time constants in ms, ``0 < tau_rise_ms <= tau_decay_ms``.
    duration_ms, dt_ms : float
        Grid length and time step in ms.
    weight : float
        Jump of :math:`x` at each spike.
    normalise : bool
        Multiply the jump by :func:`biexponential_normalisation` (a spike's :math:`I`
        then peaks at ``weight``).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        :math:`x` and :math:`I` at ``t_ms = arange(time) * dt_ms``, each of shape
        ``(time,)``.
    """
    synapse = Biexponential(tau_rise_ms, tau_decay_ms, normalise=normalise)
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    n_steps = number_of_steps(duration_ms, dt_ms, "dt_ms")
    train = _as_train(spike_times_ms)
    trains, weights, _ = _trains_and_weights(train, finite_number(weight, "weight"))
    x, current = _state_traces(trains, weights, synapse, n_steps, dt_ms)[:, 0]
    return x, current


def biexponential_euler(
    spike_times_ms: np.ndarray | Sequence[float],
    *,
    tau_rise_ms: float,
    tau_decay_ms: float,
    duration_ms: float,
    dt_ms: float,
    weight: float = 1.0,
    normalise: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Forward-Euler integration of the biexponential system (the reference for the exercise).

    The system of :func:`biexponential_trace`,
    :math:`\tau_r \dot x = -x`, :math:`\tau_d \dot I = x - I`, :math:`x \leftarrow x + w`
    at each spike, is advanced with the **forward Euler** method (first order: the
    error at a fixed time halves when :math:`\Delta t` halves):

    .. math::
        x_{k+1} &= x_k - \Delta t\, \frac{x_k}{\tau_r} + w\, n_{k+1}, \\
        I_{k+1} &= I_k + \Delta t\, \frac{x_k - I_k}{\tau_d},

    with :math:`x_0 = w\, n_0`, :math:`I_0 = 0`, and :math:`n_k` the number of spikes
    in :math:`(t_{k-1}, t_k]` (for spike times on the grid: the spikes at exactly
    :math:`t_k`). So sample :math:`k` holds the state at :math:`t_k = k \Delta t`
    *after* the jumps of the spikes at that time, as in :func:`biexponential_trace`.

    Parameters
    ----------
    spike_times_ms : 1-D array
        Presynaptic spike times in ms, >= 0.
    tau_rise_ms, tau_decay_ms : float
        Rise and decay time constants in ms, ``0 < tau_rise_ms <= tau_decay_ms``.
    duration_ms : float
        Length of the simulation in ms, a whole multiple of ``dt_ms``.
    dt_ms : float
        Time step in ms. Euler is stable only for ``dt_ms < 2 * tau_rise_ms``.
    weight : float
        Jump of :math:`x` at each spike.
    normalise : bool
        Multiply the jump by :func:`biexponential_normalisation`.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        :math:`x` and :math:`I` at ``t_ms = arange(time) * dt_ms``, each of shape
        ``(time,)`` with ``time = duration_ms / dt_ms``.

    Examples
    --------
    >>> from neuro4ml.models.synapses import biexponential_euler, biexponential_peak_value
    >>> x, I = biexponential_euler([10.0], tau_rise_ms=1.0, tau_decay_ms=5.0,
    ...                            duration_ms=50.0, dt_ms=0.01)
    >>> round(float(I.max()), 3), round(biexponential_peak_value(1.0, 5.0), 3)
    (0.134, 0.134)
    """
    synapse = Biexponential(tau_rise_ms, tau_decay_ms, normalise=normalise)
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    n_steps = number_of_steps(duration_ms, dt_ms, "dt_ms")
    jump = finite_number(weight, "weight") * synapse.jump()[0]
    train = _as_train(spike_times_ms)
    trains, weights, _ = _trains_and_weights(train, jump)
    kicks = _instantaneous_trace(trains, weights, n_steps, dt_ms)[0]  # w * n_k

    tau_r, tau_d = synapse.tau_rise_ms, synapse.tau_decay_ms
    x = np.zeros(n_steps)
    current = np.zeros(n_steps)
    x[0] = kicks[0]
    for k in range(n_steps - 1):
        x[k + 1] = x[k] - dt_ms * x[k] / tau_r + kicks[k + 1]
        current[k + 1] = current[k] + dt_ms * (x[k] - current[k]) / tau_d
    return x, current
