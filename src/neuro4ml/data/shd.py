"""A loader for the Spiking Heidelberg Digits (SHD) data set (Cramer et al. 2020).

SHD holds spoken digits (0-9 in English and German, 20 classes) converted to spikes
by a model of the inner ear with 700 input channels. The data are not shipped with
the course (nothing on PyPI carries them): download ``shd_train.h5.gz`` and
``shd_test.h5.gz`` from https://zenkelab.org/datasets/ (the Zenke lab's page of
the data set), unzip them, and pass the path to :func:`load_shd`.

The file format (HDF5, read with ``h5py``, from ``neuro4ml[snn]``):

* ``spikes/times`` -- one variable-length float array per sample, spike times in seconds;
* ``spikes/units`` -- one variable-length integer array per sample, the channel (0-699)
  of each spike;
* ``labels`` -- one integer class per sample.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuro4ml.validation import positive_number
from neuro4ml.data.spike_data import SpikeDataset, bin_spikes, positive_integers

__all__ = ["SHD_CHANNELS", "SHD_CLASSES", "SHD_URL", "load_shd"]

#: Where the real files are published.
SHD_URL = "https://zenkelab.org/datasets/"
#: Number of input channels (cochlear model outputs) and of classes.
SHD_CHANNELS = 700
SHD_CLASSES = 20


def load_shd(
    path: str | Path,
    *,
    n_steps: int = 100,
    max_time_ms: float = 1000.0,
    n_samples: int | None = None,
) -> SpikeDataset:
    """Read an SHD file and bin its spikes into ``(samples, n_steps, 700)`` counts.

    Parameters
    ----------
    path : str or Path
        An unzipped SHD file (``shd_train.h5`` or ``shd_test.h5``).
    n_steps : int
        Number of time bins; the bin width is ``max_time_ms / n_steps``.
    max_time_ms : float
        Spikes at or after this time are dropped (the digits last up to about 1.4 s).
    n_samples : int, optional
        Read only the first ``n_samples`` samples.

    Returns
    -------
    SpikeDataset
        Spike counts per bin ``(samples, n_steps, 700)`` and the labels (0-19).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist, with where to download the real file.
    ImportError
        If ``h5py`` is missing.
    ValueError
        If the file lacks the SHD datasets.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"no SHD file at {path}. The Spiking Heidelberg Digits are not shipped with the course: "
            f"download shd_train.h5.gz and shd_test.h5.gz from {SHD_URL}, unzip them "
            "(gunzip shd_train.h5.gz) and pass the path of the .h5 file."
        )
    try:
        import h5py
    except ImportError as error:  # pragma: no cover
        raise ImportError('reading SHD files needs h5py: pip install "neuro4ml[snn]"') from error
    max_time_ms = positive_number(max_time_ms, "max_time_ms")
    positive_integers(n_steps=n_steps)
    with h5py.File(path, "r") as f:
        missing = [name for name in ("spikes/times", "spikes/units", "labels") if name not in f]
        if missing:
            raise ValueError(f"{path} is not an SHD file: it has no {', '.join(missing)}")
        count = len(f["labels"]) if n_samples is None else min(int(n_samples), len(f["labels"]))
        times = [np.asarray(t, dtype=float) * 1000.0 for t in f["spikes/times"][:count]]
        units = [np.asarray(u, dtype=np.int64) for u in f["spikes/units"][:count]]
        labels = np.asarray(f["labels"][:count], dtype=np.int64)
    sample = np.repeat(np.arange(count), [len(t) for t in times])
    flat_times = np.concatenate(times) if times else np.zeros(0)
    flat_units = np.concatenate(units) if units else np.zeros(0, dtype=np.int64)
    dt_ms = max_time_ms / n_steps
    x = bin_spikes(sample, flat_times, flat_units, n_samples=count, n_steps=n_steps, n_units=SHD_CHANNELS, dt_ms=dt_ms)
    return SpikeDataset(x, labels, dt_ms, SHD_CLASSES)
