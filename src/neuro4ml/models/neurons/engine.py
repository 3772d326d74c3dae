"""The time-loop engine shared by the neuron models: result type, input checks, blocked input, spike recording."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from neuro4ml.models.spikes import events_to_trains

__all__ = ["NeuronRun", "SpikeRecorder"]


#: Number of time steps read from the input per block (see :func:`input_columns`).
BLOCK_STEPS = 40
#: Number of neurons per tile when a block of input is transposed to time-major order.
#: 500 x 40 tiles were the fastest of the sizes tried for 10,000 x 10,000 inputs on a
#: 2-core machine (benchmarks/README.md); any size gives the same numbers.
NEURON_TILE = 500


# ---------------------------------------------------------------------------
# The result type
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class NeuronRun:
    """What a neuron model returns.

    Attributes
    ----------
    t_ms : np.ndarray
        Sample times, shape ``(time,)``, with ``t_ms[k] = k * dt_ms``.
    v : np.ndarray
        The membrane variable, with the same shape as the input current: ``(time,)``
        or ``(neurons, time)`` (``(compartments, time)`` for :func:`cable`).
        ``v[..., k]`` is the value at ``t_ms[k]``, recorded before the update of step
        ``k``. For large runs this may be a transposed view of a time-major buffer
        (Fortran order); ``np.ascontiguousarray`` gives a C-ordered copy if needed.
        Empty along time (shape ``(..., 0)``) when a model was run with
        ``record_v=False``.
    spike_times_ms : np.ndarray or list of np.ndarray
        Spike times in ms, sorted. A 1-D array for a 1-D input; a list with one
        array per neuron for a 2-D input.
    state : dict of str to np.ndarray
        Other recorded variables, shaped like ``v`` (for example ``"w"`` for the
        adaptive LIF, ``"m"``, ``"h"``, ``"n"`` for Hodgkin-Huxley), or other
        per-run arrays documented by the model (``"x_um"`` for :func:`cable`).
    """

    t_ms: np.ndarray
    v: np.ndarray
    spike_times_ms: np.ndarray | list[np.ndarray]
    state: dict[str, np.ndarray] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# Shared checks
# ---------------------------------------------------------------------------


def _without_repeats(a: np.ndarray) -> np.ndarray:
    """A view of ``a`` with every broadcast (stride-0) axis reduced to length 1.

    ``np.broadcast_to(x[:, None], (n, T))`` holds only ``n`` distinct numbers; checking
    this view instead of all ``n * T`` entries gives the same answer much faster.
    """
    index = tuple(
        slice(0, 1) if stride == 0 and size > 1 else slice(None)
        for stride, size in zip(a.strides, a.shape)
    )
    return a[index]


def _all_finite(a: np.ndarray) -> bool:
    """True when ``a`` holds no NaN or infinity.

    The sum of an array is finite only if every entry is finite, and summing needs no
    temporary array, so it is tried first; only a non-finite sum (which may also come
    from overflow) triggers the entry-by-entry check.
    """
    a = _without_repeats(a)
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.sum(a)):
            return True
    return bool(np.isfinite(a).all())


def as_current(current: object, name: str) -> tuple[np.ndarray, bool]:
    """Check an input current and return it as ``(neurons, time)``.

    Parameters
    ----------
    current : array_like
        Real numbers shaped ``(time,)`` or ``(neurons, time)``.
    name : str
        The argument's name, for error messages.

    Returns
    -------
    current_2d : np.ndarray
        The input as a 2-D array ``(neurons, time)``: a view when the input is a
        float32 or float64 array (no copy), otherwise a float64 copy.
    was_1d : bool
        Whether the input was a single trace ``(time,)``.

    Raises
    ------
    TypeError
        If the input is not made of real numbers.
    ValueError
        If it has the wrong number of dimensions, no time steps or no neurons, or
        contains NaN or infinite values.
    """
    array = np.asarray(current)
    if array.dtype not in (np.float32, np.float64):
        if array.dtype == bool or not np.issubdtype(array.dtype, np.number) or np.iscomplexobj(array):
            raise TypeError(
                f"{name} must be an array of real numbers shaped (time,) or (neurons, time), "
                f"got dtype {array.dtype}"
            )
        array = array.astype(np.float64)
    if array.ndim not in (1, 2):
        raise ValueError(
            f"{name} must be shaped (time,) or (neurons, time), got an array of shape {array.shape}"
        )
    was_1d = array.ndim == 1
    current_2d = array[np.newaxis, :] if was_1d else array
    if current_2d.shape[1] == 0:
        raise ValueError(f"{name} has no time steps (shape {array.shape})")
    if current_2d.shape[0] == 0:
        raise ValueError(f"{name} has no neurons (shape {array.shape})")
    if not _all_finite(current_2d):
        raise ValueError(f"{name} contains NaN or infinite values")
    return current_2d, was_1d


# ---------------------------------------------------------------------------
# Shared machinery of the time loop
# ---------------------------------------------------------------------------


def input_columns(current_2d: np.ndarray, scale: float = 1.0) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(k, scale * current_2d[:, k])`` for every time step ``k``.

    Each column is a contiguous float64 array ``(neurons,)``. A column of a
    ``(neurons, time)`` array is scattered through memory (one number per row), so
    reading it directly at every step is slow for many neurons. Instead, blocks of
    ``BLOCK_STEPS`` steps are copied to a time-major buffer in small tiles that fit
    in the processor cache, and the columns are handed out from that buffer. An input
    that is constant in time (stride 0 along time, as ``np.broadcast_to`` makes) gives
    the same column at every step, converted once. The yielded array is reused and
    must not be modified: copy it if you need to keep it.
    """
    n_neurons, n_steps = current_2d.shape
    if current_2d.strides[1] == 0:  # constant in time (a broadcast view): one column serves every step
        column = current_2d[:, 0].astype(np.float64)
        if scale != 1.0:
            column *= scale
        for k in range(n_steps):
            yield k, column
        return
    buffer = np.empty((BLOCK_STEPS, n_neurons))
    for start in range(0, n_steps, BLOCK_STEPS):
        stop = min(start + BLOCK_STEPS, n_steps)
        block = buffer[: stop - start]
        for first in range(0, n_neurons, NEURON_TILE):
            last = first + NEURON_TILE
            block[:, first:last] = current_2d[first:last, start:stop].T
        if scale != 1.0:
            block *= scale
        for j in range(stop - start):
            yield start + j, block[j]


def time_major_traces(names: tuple[str, ...], n_steps: int, n_neurons: int) -> dict[str, np.ndarray]:
    """Empty recording buffers ``(time, neurons)``, one per variable name.

    Writing one row per step is contiguous (fast); :func:`finish` hands them back
    transposed to ``(neurons, time)`` without copying.
    """
    return {name: np.empty((n_steps, n_neurons)) for name in names}


class SpikeRecorder:
    """Collect spikes step by step and return them as sorted spike trains.

    Each step adds the indices of the neurons that spiked and the spike time; the
    conversion to one array of times per neuron happens once, at the end.
    """

    def __init__(self, n_neurons: int) -> None:
        self.n_neurons = n_neurons
        self._times_ms: list[float] = []
        self._neurons: list[np.ndarray] = []
        self._crossed = np.empty(n_neurons, dtype=bool)

    def add(self, time_ms: float, neurons: np.ndarray) -> None:
        """Record that ``neurons`` (an index array) spiked at ``time_ms``."""
        if neurons.size:
            self._times_ms.append(time_ms)
            self._neurons.append(neurons)

    def threshold(
        self,
        v: np.ndarray,
        threshold: float,
        time_ms: float,
        compare: Callable[..., np.ndarray] = np.greater,
    ) -> np.ndarray:
        """Record and return the indices of neurons with ``compare(v, threshold)``."""
        compare(v, threshold, out=self._crossed)
        fired = self._crossed.nonzero()[0]
        self.add(time_ms, fired)
        return fired

    def trains(self) -> list[np.ndarray]:
        """One sorted array of spike times (ms) per neuron."""
        if not self._neurons:
            return [np.empty(0) for _ in range(self.n_neurons)]
        neurons = np.concatenate(self._neurons)
        counts_per_step = [len(indices) for indices in self._neurons]
        times = np.repeat(np.asarray(self._times_ms), counts_per_step)
        return events_to_trains(neurons, times, self.n_neurons)


def finish(
    dt_ms: float,
    n_steps: int,
    was_1d: bool,
    traces: dict[str, np.ndarray],
    spikes: SpikeRecorder,
    extra_state: dict[str, np.ndarray] | None = None,
) -> NeuronRun:
    """Assemble a :class:`NeuronRun`, giving every trace the shape of the input.

    ``traces`` holds time-major buffers ``(time, neurons)``; the one called ``"v"``
    becomes ``NeuronRun.v`` and the others go to ``NeuronRun.state``, with
    ``extra_state`` added as it is. A missing ``"v"`` (not recorded) gives an empty
    ``v`` of shape ``(..., 0)``.
    """

    def shaped(buffer: np.ndarray) -> np.ndarray:
        return buffer[:, 0] if was_1d else buffer.T

    n_neurons = spikes.n_neurons
    v = shaped(traces["v"]) if "v" in traces else shaped(np.empty((0, n_neurons)))
    state = {name: shaped(buffer) for name, buffer in traces.items() if name != "v"}
    state.update(extra_state or {})
    trains = spikes.trains()
    return NeuronRun(
        t_ms=np.arange(n_steps) * dt_ms,
        v=v,
        spike_times_ms=trains[0] if was_1d else trains,
        state=state,
    )


def spike_time_ms(step: int, dt_ms: float) -> float:
    """Time stamp of a spike detected during step ``step``: the end of that step."""
    return (step + 1) * dt_ms
