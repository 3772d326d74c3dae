"""Grasshopper auditory receptor recordings shipped with the ``nitime`` package.

The recordings are intracellular spike times from one auditory receptor neuron of
the grasshopper *Locusta migratoria*, stimulated with a pure tone at the cell's
preferred carrier frequency whose amplitude is modulated by band-limited Gaussian
noise (Rokem, Watzl, Gollisch, Stemmler, Herz & Samengo 2006, "Spike-timing
precision underlies the coding efficiency of auditory receptor neurons",
J Neurophysiol 95:2541-2552). ``nitime`` ships two of them:

=========  =======================  =======================  ============
``which``  modulation cut-off (Hz)  header intensity (dB)    spikes
=========  =======================  =======================  ============
1          200                      76.4286                  929
2          800                      71.2                     868
=========  =======================  =======================  ============

What the files hold (checked on the files themselves):

* ``grasshopper_stimulus{which}.txt``: two columns, time in microseconds on a
  regular 50 µs grid (20 kHz sampling) and the *amplitude envelope* of the sound
  (the modulation, not the 2.5 kHz carrier) relative to its maximum, so values lie
  in (0, 1]. In decibels, :math:`20\\log_{10} a`, it is Gaussian with mean -18 dB
  and standard deviation 6 dB (the header's "standard deviation (dB): 6"), clipped
  to [-36, 0] dB. There are 200 000 samples: 10 s.
* ``grasshopper_spike_times{which}.txt``: a header of ``# key: value`` lines, then
  one spike time per line in microseconds (multiples of 100 µs). It is **one
  continuous trial** covering the same 10 s as the stimulus; the header's
  "stimulus length (msec): 1000" does not describe the length of this excerpt.

Only the file format and the 20 kHz sampling were taken from nitime's
documentation example; the loader is written from the files.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral
from pathlib import Path
from types import MappingProxyType

import numpy as np
from scipy import signal

from neuro4ml.validation import positive_number, read_only

__all__ = [
    "GrasshopperData",
    "hilbert_envelope",
    "load_grasshopper",
    "lowpass_filter",
]

_MISSING_NITIME = (
    "The grasshopper recordings ship inside the 'nitime' package, which is not "
    'installed. Install the exercise extras with: pip install "neuro4ml[exercises]"'
)

#: Reference sound pressure for dB SPL, in pascals.
_REFERENCE_PRESSURE_PA = 2e-5


@dataclass(frozen=True, eq=False)
class GrasshopperData:
    """One grasshopper auditory receptor recording and its stimulus.

    Attributes
    ----------
    stimulus : numpy.ndarray, shape (samples,)
        Amplitude envelope of the sound, relative to its maximum (dimensionless,
        values in (0, 1]), sampled every ``stimulus_dt_ms``. Read-only.
    stimulus_dt_ms : float
        Sampling interval of the stimulus in ms (0.05 ms, i.e. 20 kHz).
    spike_times_ms : numpy.ndarray, shape (spikes,)
        Sorted spike times in ms of the single trial, all in ``[0, duration_ms)``.
        Read-only.
    which : int
        Which recording (1: 200 Hz modulation cut-off, 2: 800 Hz).
    metadata : Mapping[str, str]
        The ``# key: value`` header of the spike file, as strings.
    """

    stimulus: np.ndarray
    stimulus_dt_ms: float
    spike_times_ms: np.ndarray
    which: int
    metadata: Mapping[str, str]

    @property
    def t_ms(self) -> np.ndarray:
        """Time of each stimulus sample in ms, shape ``(samples,)``."""
        return np.arange(self.stimulus.size) * self.stimulus_dt_ms

    @property
    def duration_ms(self) -> float:
        """Length of the recording in ms (samples times the sampling interval)."""
        return self.stimulus.size * self.stimulus_dt_ms

    @property
    def carrier_hz(self) -> float:
        """Frequency of the pure-tone carrier in Hz, from the header."""
        return 1000.0 * float(self.metadata["carrier freq (kHz)"])

    @property
    def cutoff_hz(self) -> float:
        """Cut-off frequency of the amplitude modulation in Hz, from the header."""
        return float(self.metadata["cut-off frequency (Hz)"])

    @property
    def intensity_db(self) -> float:
        """The header's "intensity (dB)" field."""
        return float(self.metadata["intensity (dB)"])

    def stimulus_db(self) -> np.ndarray:
        """The envelope in decibels relative to its loudest sample.

        .. math:: L(t) = 20 \\log_{10} \\frac{a(t)}{\\max_t a(t)} \\quad (\\le 0 \\text{ dB})

        Returns
        -------
        numpy.ndarray, shape (samples,)
        """
        return 20.0 * np.log10(self.stimulus / self.stimulus.max())

    def stimulus_db_spl(self) -> np.ndarray:
        """The envelope in dB SPL, reading the header intensity as the peak level.

        .. math:: L_{\\mathrm{SPL}}(t) = I + 20 \\log_{10} \\frac{a(t)}{\\max_t a(t)}

        with :math:`I` = :attr:`intensity_db`. Reading the header intensity as the
        level of the loudest sample is the convention of nitime's grasshopper
        example; the files do not say more.

        Returns
        -------
        numpy.ndarray, shape (samples,)
        """
        return self.intensity_db + self.stimulus_db()

    def sound_waveform(self) -> np.ndarray:
        """The sound itself: the envelope times the pure-tone carrier.

        .. math:: s(t) = a(t) \\sin(2\\pi f_c t), \\qquad f_c = \\text{carrier\\_hz}

        (Rokem et al. 2006, J Neurophysiol 95:2541-2552: a tone at the cell's
        preferred frequency, amplitude-modulated by the noise envelope). The result
        is relative amplitude, not pascals. :func:`hilbert_envelope` recovers
        :attr:`stimulus` from it.

        Returns
        -------
        numpy.ndarray, shape (samples,)
        """
        phase = 2.0 * np.pi * self.carrier_hz * self.t_ms / 1000.0
        return self.stimulus * np.sin(phase)

    def envelope(self, cutoff_hz: float | None = None) -> np.ndarray:
        """The stimulus envelope, optionally smoothed by a low-pass filter.

        Parameters
        ----------
        cutoff_hz : float, optional
            Cut-off of the zero-phase low-pass filter (see :func:`lowpass_filter`).
            Without it the envelope is returned as recorded (a copy).

        Returns
        -------
        numpy.ndarray, shape (samples,)
        """
        if cutoff_hz is None:
            return self.stimulus.copy()
        return lowpass_filter(self.stimulus, self.stimulus_dt_ms, cutoff_hz)


def lowpass_filter(
    x: np.ndarray, dt_ms: float, cutoff_hz: float, *, order: int = 4
) -> np.ndarray:
    """Zero-phase Butterworth low-pass filter.

    A Butterworth filter of order :math:`n` has gain
    :math:`|H(f)| = 1 / \\sqrt{1 + (f / f_c)^{2n}}` (Butterworth 1930, "On the theory
    of filter amplifiers", Wireless Engineer 7:536-541). The signal is filtered
    forwards and then backwards (``scipy.signal.sosfiltfilt``), which doubles the
    attenuation, squaring the gain, and leaves no phase delay, so features do not
    shift in time.

    Parameters
    ----------
    x : numpy.ndarray, shape (samples,)
        Signal sampled every ``dt_ms``.
    dt_ms : float
        Sampling interval in ms.
    cutoff_hz : float
        Cut-off frequency in Hz, below the Nyquist frequency ``500 / dt_ms``.
    order : int
        Filter order (default 4).

    Returns
    -------
    numpy.ndarray, shape (samples,)
    """
    x = _as_signal(x)
    sampling_hz = 1000.0 / positive_number(dt_ms, "dt_ms")
    cutoff_hz = positive_number(cutoff_hz, "cutoff_hz")
    if cutoff_hz >= sampling_hz / 2:
        raise ValueError(
            f"cutoff_hz={cutoff_hz} must be below the Nyquist frequency {sampling_hz / 2} Hz"
        )
    if isinstance(order, bool) or not isinstance(order, Integral) or order < 1:
        raise ValueError(f"order must be a whole number >= 1, got {order!r}")
    sections = signal.butter(int(order), cutoff_hz, btype="low", fs=sampling_hz, output="sos")
    return signal.sosfiltfilt(sections, x)


def hilbert_envelope(
    x: np.ndarray, dt_ms: float, cutoff_hz: float | None = None
) -> np.ndarray:
    """Amplitude envelope of an oscillating signal, from its analytic signal.

    The analytic signal is :math:`z(t) = x(t) + i\\,\\mathcal{H}[x](t)`, with
    :math:`\\mathcal{H}` the Hilbert transform, and the envelope is :math:`|z(t)|`
    (Gabor 1946, "Theory of communication", J IEE 93:429-457). For a carrier
    modulated by a slower envelope, :math:`x = a(t)\\sin(2\\pi f_c t)` with the
    spectrum of :math:`a` below :math:`f_c`, this returns :math:`a(t)` (Bedrosian
    1963, "A product theorem for Hilbert transforms", Proc IEEE 51:868-869), apart
    from edge effects near the ends.

    Parameters
    ----------
    x : numpy.ndarray, shape (samples,)
        The signal, e.g. :meth:`GrasshopperData.sound_waveform`.
    dt_ms : float
        Sampling interval in ms.
    cutoff_hz : float, optional
        If given, the envelope is then smoothed with :func:`lowpass_filter`.
        Smoothing can produce small negative values near sharp dips; they are
        clipped to zero, since an envelope is non-negative.

    Returns
    -------
    numpy.ndarray, shape (samples,)
        The envelope, >= 0.
    """
    x = _as_signal(x)
    positive_number(dt_ms, "dt_ms")
    envelope = np.abs(signal.hilbert(x))
    if cutoff_hz is None:
        return envelope
    return np.clip(lowpass_filter(envelope, dt_ms, cutoff_hz), 0.0, None)


def load_grasshopper(which: int = 1) -> GrasshopperData:
    """Load one of the two grasshopper receptor recordings shipped with nitime.

    Data: Rokem, Watzl, Gollisch, Stemmler, Herz & Samengo 2006, "Spike-timing
    precision underlies the coding efficiency of auditory receptor neurons",
    J Neurophysiol 95:2541-2552. See the module docstring for what the files hold.

    Parameters
    ----------
    which : {1, 2}
        Recording 1 (envelope cut-off 200 Hz) or 2 (cut-off 800 Hz).

    Returns
    -------
    GrasshopperData
        ``stimulus`` shape ``(200000,)`` sampled at ``stimulus_dt_ms = 0.05``
        (10 s), ``spike_times_ms`` shape ``(spikes,)`` (one trial).

    Raises
    ------
    ImportError
        If nitime is not installed (install ``neuro4ml[exercises]``).
    """
    if isinstance(which, bool) or not isinstance(which, Integral) or which not in (1, 2):
        raise ValueError(f"which must be 1 or 2, got {which!r}")
    stimulus, dt_ms, spike_times_ms, metadata = _read_recording(int(which))
    return GrasshopperData(
        stimulus=stimulus,
        stimulus_dt_ms=dt_ms,
        spike_times_ms=spike_times_ms,
        which=int(which),
        metadata=metadata,
    )


# ---------------------------------------------------------------------------
# Reading the files
# ---------------------------------------------------------------------------


def _nitime_data_folder() -> Path:
    """Folder of nitime's data files, found without importing nitime."""
    spec = importlib.util.find_spec("nitime")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(_MISSING_NITIME)
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _read_header(path: Path) -> dict[str, str]:
    """The ``# key: value`` lines at the top of a spike-time file."""
    header = {}
    with path.open() as lines:
        for line in lines:
            if not line.startswith("#"):
                break
            key, _, value = line[1:].partition(":")
            header[key.strip()] = value.strip()
    return header


def _read_stimulus(path: Path) -> tuple[np.ndarray, float]:
    """Envelope samples and their sampling interval in ms, checking the time grid."""
    table = np.loadtxt(path)
    time_us, amplitude = table[:, 0], table[:, 1]
    steps_us = np.diff(time_us)
    if time_us[0] != 0 or not np.all(steps_us == steps_us[0]):
        raise ValueError(f"{path} does not hold samples on a regular grid starting at 0")
    return amplitude, float(steps_us[0]) / 1000.0


def _read_spike_times_ms(path: Path) -> np.ndarray:
    """Spike times in ms from a file of times in microseconds (``#`` lines skipped)."""
    return np.sort(np.loadtxt(path, comments="#", ndmin=1)) / 1000.0


@functools.lru_cache(maxsize=2)
def _read_recording(which: int) -> tuple[np.ndarray, float, np.ndarray, Mapping[str, str]]:
    """Read (and cache) one recording; the arrays are read-only so sharing them is safe."""
    folder = _nitime_data_folder()
    spike_path = folder / f"grasshopper_spike_times{which}.txt"
    stimulus_path = folder / f"grasshopper_stimulus{which}.txt"
    for path in (spike_path, stimulus_path):
        if not path.is_file():
            raise FileNotFoundError(
                f"{path} is missing: this nitime installation does not ship the grasshopper data"
            )
    stimulus, dt_ms = _read_stimulus(stimulus_path)
    spike_times_ms = _read_spike_times_ms(spike_path)
    metadata = MappingProxyType(_read_header(spike_path))
    return read_only(stimulus), dt_ms, read_only(spike_times_ms), metadata


# ---------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------


def _as_signal(x: object) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"the signal must be a 1-D array of samples, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("the signal contains NaN or infinite values")
    return x
