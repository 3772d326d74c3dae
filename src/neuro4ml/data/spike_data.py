"""The container shared by the spiking data sets of week 5, and binning of spike times.

Every spiking data set (:mod:`~neuro4ml.data.randman`,
:mod:`~neuro4ml.data.sound_localisation`, :mod:`~neuro4ml.data.shd`) returns a
:class:`SpikeDataset`: dense spike counts ``x`` shaped ``(samples, time, units)``, as
the networks of :mod:`neuro4ml.learning.snn` take them, and integer labels ``y``. Nothing here
needs PyTorch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from neuro4ml.validation import positive_number

__all__ = ["SpikeDataset", "bin_spikes", "positive_integers"]


@dataclass(frozen=True, eq=False)
class SpikeDataset:
    """Spiking inputs and their classes.

    Attributes
    ----------
    x : np.ndarray, float32, shape (samples, time, units)
        Spike counts per time bin (0 or 1 for the generators).
    y : np.ndarray, int64, shape (samples,)
        Class of each sample, ``0 .. n_classes - 1``.
    dt_ms : float
        Width of a time bin in ms.
    n_classes : int
        Number of classes.
    info : dict
        Other per-sample arrays documented by the generator (e.g. ``"ipd_rad"``).
    """

    x: np.ndarray
    y: np.ndarray
    dt_ms: float
    n_classes: int
    info: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.y)

    def split(self, n_first: int) -> tuple[SpikeDataset, SpikeDataset]:
        """The first ``n_first`` samples and the rest, as two data sets (e.g. train and test)."""
        if not 0 < n_first < len(self):
            raise ValueError(f"n_first must be between 1 and {len(self) - 1}, got {n_first}")
        parts = []
        for part in (slice(None, n_first), slice(n_first, None)):
            info = {k: v[part] for k, v in self.info.items()}
            parts.append(SpikeDataset(self.x[part], self.y[part], self.dt_ms, self.n_classes, info))
        return parts[0], parts[1]


def positive_integers(**values: object) -> None:
    """Raise a ValueError naming the first argument that is not a positive integer."""
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")


def bin_spikes(
    sample: np.ndarray, times_ms: np.ndarray, units: np.ndarray, *,
    n_samples: int, n_steps: int, n_units: int, dt_ms: float,
) -> np.ndarray:
    """Count spikes in bins: ``x[s, k, u]`` = spikes of unit ``u`` in sample ``s`` with ``k dt <= t < (k + 1) dt``.

    Spikes at or after ``n_steps * dt_ms`` are dropped. ``sample``, ``times_ms`` and
    ``units`` are flat arrays of equal length, one entry per spike.

    Returns
    -------
    np.ndarray, float32, shape (n_samples, n_steps, n_units)
    """
    dt_ms = positive_number(dt_ms, "dt_ms")
    step = np.floor(np.asarray(times_ms, dtype=float) / dt_ms).astype(np.int64)
    sample = np.asarray(sample, dtype=np.int64)
    units = np.asarray(units, dtype=np.int64)
    keep = (step >= 0) & (step < n_steps)
    if units.size and (units.min() < 0 or units.max() >= n_units):
        raise ValueError(f"unit indices must lie in 0..{n_units - 1}, got {units.min()}..{units.max()}")
    x = np.zeros((n_samples, n_steps, n_units), dtype=np.float32)
    np.add.at(x, (sample[keep], step[keep], units[keep]), 1.0)
    return x
