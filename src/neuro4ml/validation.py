"""Checks of user input shared by the library's modules.

Each function returns the value in the form the library computes with, or
raises a ``TypeError`` / ``ValueError`` that names the argument and says what
was expected. :func:`read_only` is the one helper here that checks nothing: it
marks arrays the library hands out (cached data sets) as read-only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral, Real

import numpy as np


def as_generator(rng: np.random.Generator | int | None) -> np.random.Generator:
    """Return a numpy Generator from a Generator, an integer seed or None."""
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be a numpy.random.Generator, an integer seed or None, got {type(rng).__name__}"
    )


def finite_number(value: object, name: str) -> float:
    """Check that ``value`` is a finite real number (of any sign) and return it as float."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return value


def positive_number(value: object, name: str) -> float:
    """Check that ``value`` is a finite real number greater than zero."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return value


def non_negative_number(value: object, name: str, *, allow_inf: bool = False) -> float:
    """Check that ``value`` is a real number >= 0 (finite unless ``allow_inf``)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if np.isnan(value) or value < 0 or (np.isinf(value) and not allow_inf):
        limit = "a number >= 0" if allow_inf else "a finite number >= 0"
        raise ValueError(f"{name} must be {limit}, got {value}")
    return value


def whole_number(value: object, name: str, *, minimum: int = 1) -> int:
    """Check that ``value`` is a whole number (not a bool) >= ``minimum`` and return it as int."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def probability(value: object, name: str) -> float:
    """Check that ``value`` is a real number in [0, 1]."""
    value = non_negative_number(value, name)
    if value > 1:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value}")
    return value


def number_of_steps(duration_ms: float, step_ms: float, step_name: str) -> int:
    """Number of bins of width ``step_ms`` in ``duration_ms``; they must divide exactly."""
    n_steps = int(round(duration_ms / step_ms))
    if n_steps < 1 or not np.isclose(n_steps * step_ms, duration_ms, rtol=1e-9, atol=0.0):
        raise ValueError(
            f"duration_ms={duration_ms} must be a whole multiple of {step_name}={step_ms}"
        )
    return n_steps


def threshold_above_reset(threshold: object, reset: object) -> tuple[float, float]:
    """Check the threshold and reset of an integrate-and-fire model."""
    threshold = finite_number(threshold, "threshold")
    reset = finite_number(reset, "reset")
    if threshold <= reset:
        raise ValueError(
            f"threshold ({threshold}) must be greater than reset ({reset}), "
            "otherwise the neuron would spike at every step"
        )
    return threshold, reset


def finite_array(value: object, name: str, ndim: int, shape_name: str) -> np.ndarray:
    """Check that ``value`` is a non-empty array of finite numbers with ``ndim`` axes; return it as float64.

    ``shape_name`` says what the axes are, e.g. ``"(stimuli, features)"``, for the error message.
    """
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of numbers shaped {shape_name}, got {type(value).__name__}") from error
    if array.ndim != ndim or array.size == 0:
        raise ValueError(f"{name} must be shaped {shape_name} and not empty, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite (no NaN or infinity)")
    return array


def per_neuron_values(value: object, n_neurons: int, name: str) -> np.ndarray:
    """A fresh float64 array ``(neurons,)`` from a number or a per-neuron array."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number or an array of numbers, got a bool")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a number or an array of numbers, got {value!r}") from error
    if array.ndim > 1 or (array.ndim == 1 and array.shape[0] != n_neurons):
        raise ValueError(f"{name} must be a number or an array of shape ({n_neurons},), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return np.array(np.broadcast_to(array, (n_neurons,)), dtype=np.float64)


def spike_train(spike_times_ms: object, name: str = "spike_times_ms") -> np.ndarray:
    """One spike train as a 1-D float array, checking that it holds finite numbers."""
    try:
        train = np.asarray(spike_times_ms, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} must be a 1-D array of spike times in ms, got {type(spike_times_ms).__name__}"
        ) from error
    if train.ndim == 0:
        raise ValueError(f"{name} must be a 1-D array of spike times in ms, got a single number")
    if train.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of spike times in ms, got an array of shape {train.shape}"
        )
    if not np.all(np.isfinite(train)):
        raise ValueError(f"{name} contains NaN or infinite spike times")
    return train


def _is_single_train(spike_times_ms: object) -> bool:
    """True when ``spike_times_ms`` is one train rather than a collection of trains."""
    if isinstance(spike_times_ms, np.ndarray):
        return spike_times_ms.ndim <= 1
    if isinstance(spike_times_ms, Sequence) and not isinstance(spike_times_ms, (str, bytes)):
        return all(isinstance(item, Real) for item in spike_times_ms)
    raise TypeError(
        "spike times must be a 1-D array (one train) or a list of 1-D arrays (several trains), "
        f"got {type(spike_times_ms).__name__}"
    )


def spike_trains(spike_times_ms: object) -> tuple[list[np.ndarray], bool]:
    """``(trains, single)``: a list of 1-D float arrays, and whether the input was one train.

    One train is a 1-D array or a flat list of numbers; several trains are a list of
    1-D arrays or a 2-D array with one train per row.
    """
    if _is_single_train(spike_times_ms):
        return [spike_train(spike_times_ms)], True
    trains = [spike_train(train, f"spike_times_ms[{i}]") for i, train in enumerate(spike_times_ms)]
    return trains, False


def spike_train_pair(spike_times_ms: object, name: str = "input_spike_times_ms") -> list[np.ndarray]:
    """Exactly two spike trains (input 0, input 1), as a list of two 1-D float arrays."""
    trains, single = spike_trains(spike_times_ms)
    if single or len(trains) != 2:
        raise ValueError(f"{name} must hold exactly two spike trains (input 0, input 1)")
    return trains


def read_only(array: np.ndarray) -> np.ndarray:
    """A read-only copy of ``array``, so that data the library caches cannot be changed by accident."""
    array = np.array(array, copy=True)
    array.flags.writeable = False
    return array
