"""Traces shaped ``(time,)`` or ``(neurons, time)``: the input check shared by the recording models."""

from __future__ import annotations

import numpy as np

__all__ = ["as_traces", "restore_shape"]


def as_traces(values: object, name: str) -> tuple[np.ndarray, bool]:
    """A finite float64 array shaped (neurons, time), and whether the input was 1-D."""
    array = np.asarray(values)
    if array.dtype == bool:
        array = array.astype(float)
    if not np.issubdtype(array.dtype, np.number) or np.iscomplexobj(array):
        raise TypeError(f"{name} must be a real numeric array, got dtype {array.dtype}")
    if array.ndim not in (1, 2) or array.shape[-1] < 1:
        raise ValueError(f"{name} must be shaped (time,) or (neurons, time), got shape {array.shape}")
    array = np.asarray(array, dtype=float)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers (no NaN or inf)")
    single = array.ndim == 1
    return np.atleast_2d(array), single


def restore_shape(array: np.ndarray, single: bool) -> np.ndarray:
    """``array`` ``(neurons, time)`` back in the input's shape: ``(time,)`` when the input was one trace."""
    return array[0] if single else array
