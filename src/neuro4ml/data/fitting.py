"""Week 1 fitting data: a neuron more complex than the models the learner fits.

Ten repeats, each one second long, of an adaptive exponential integrate-and-fire
(AdEx) neuron (Brette & Gerstner 2005, "Adaptive exponential integrate-and-fire
model as an effective description of neuronal activity", J Neurophysiol
94:3637-3642) with membrane noise, each driven by its own random input current.
The data are generated on the fly from a seed, so there are no files: the same seed
always gives the same numbers.

The learner fits simpler models (e.g. leaky integrate-and-fire) to some repeats and
scores them, e.g. with :func:`neuro4ml.models.spikes.mean_van_rossum_distance`, on the
held-out repeats (see :meth:`FittingData.split`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from scipy import signal

from neuro4ml.validation import (
    as_generator,
    non_negative_number,
    number_of_steps,
    positive_number,
    read_only,
)

__all__ = ["FittingData", "load_fitting_data", "ou_current_nA"]

#: Settings of the generated data set (documented in :func:`load_fitting_data`).
#: The current statistics were chosen (by trying a range of values) so that the
#: neuron fires at about 15-30 Hz and its spike times follow the input fluctuations.
N_REPEATS = 10
DURATION_MS = 1000.0
DT_MS = 0.1
CURRENT_MEAN_NA = 0.7
CURRENT_STD_NA = 0.5
CURRENT_TAU_MS = 5.0
NOISE_SIGMA_MV = 0.5


def ou_current_nA(
    duration_ms: float,
    dt_ms: float,
    *,
    mean_nA: float,
    std_nA: float,
    tau_ms: float,
    n_repeats: int = 1,
    rng: np.random.Generator | int | None = None,
) -> np.ndarray:
    """Random input currents: Ornstein-Uhlenbeck processes (low-pass filtered noise).

    Each current obeys :math:`\\tau\\, dI = (\\mu - I)\\, dt + \\sigma\\sqrt{2\\tau}\\, dW`,
    a Gaussian process with mean :math:`\\mu`, standard deviation :math:`\\sigma` and
    autocorrelation :math:`\\sigma^2 e^{-|s|/\\tau}`. It is sampled exactly
    (Gillespie 1996, "Exact numerical simulation of the Ornstein-Uhlenbeck process
    and its integral", Phys Rev E 54:2084-2091):

    .. math::
        I_{k+1} = \\mu + (I_k - \\mu)\\, e^{-\\Delta t/\\tau}
                  + \\sigma \\sqrt{1 - e^{-2\\Delta t/\\tau}}\\; \\xi_k,
        \\qquad \\xi_k \\sim \\mathcal{N}(0, 1),

    starting from the stationary distribution :math:`I_0 \\sim \\mathcal{N}(\\mu,
    \\sigma^2)`, so the statistics do not drift over time.

    Parameters
    ----------
    duration_ms : float
        Length in ms; must be a whole multiple of ``dt_ms``.
    dt_ms : float
        Time step in ms.
    mean_nA, std_nA : float
        Stationary mean and standard deviation of the current in nA (``std_nA >= 0``).
    tau_ms : float
        Correlation time in ms.
    n_repeats : int
        Number of independent currents.
    rng : numpy.random.Generator, int or None
        Random generator or seed.

    Returns
    -------
    numpy.ndarray, shape (n_repeats, time)
        Currents in nA, ``time = duration_ms / dt_ms``.
    """
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    tau_ms = positive_number(tau_ms, "tau_ms")
    std_nA = non_negative_number(std_nA, "std_nA")
    if isinstance(mean_nA, bool) or not isinstance(mean_nA, Real):
        raise TypeError(f"mean_nA must be a real number, got {type(mean_nA).__name__}")
    mean_nA = float(mean_nA)
    if not np.isfinite(mean_nA):
        raise ValueError(f"mean_nA must be a finite number, got {mean_nA}")
    if isinstance(n_repeats, bool) or not isinstance(n_repeats, Integral) or n_repeats < 1:
        raise ValueError(f"n_repeats must be a whole number >= 1, got {n_repeats!r}")
    n_steps = number_of_steps(duration_ms, dt_ms, "dt_ms")
    generator = as_generator(rng)

    decay = np.exp(-dt_ms / tau_ms)
    kick = std_nA * np.sqrt(1.0 - decay**2)
    start = std_nA * generator.standard_normal((n_repeats, 1))
    kicks = kick * generator.standard_normal((n_repeats, n_steps - 1))
    # The recursion y[k] = decay * y[k-1] + kicks[k] is a first-order linear filter.
    rest, _ = signal.lfilter([1.0], [1.0, -decay], kicks, axis=1, zi=decay * start)
    return mean_nA + np.concatenate([start, rest], axis=1)


@dataclass(frozen=True, eq=False)
class FittingData:
    """Repeated recordings of one model neuron, each with its own input current.

    Attributes
    ----------
    I_nA : numpy.ndarray, shape (repeats, time)
        Input current in nA.
    v_mV : numpy.ndarray, shape (repeats, time)
        Membrane potential in mV.
    spike_times_ms : list of numpy.ndarray
        One sorted 1-D array of spike times in ms per repeat.
    t_ms : numpy.ndarray, shape (time,)
        Time of each sample in ms (``k * dt_ms``).
    dt_ms : float
        Time step in ms.
    repeats : tuple of int
        Index of each repeat in the full data set (so a subset remembers where it
        came from).
    seed : int
        Seed the data were generated from.
    """

    I_nA: np.ndarray
    v_mV: np.ndarray
    spike_times_ms: list[np.ndarray]
    t_ms: np.ndarray
    dt_ms: float
    repeats: tuple[int, ...]
    seed: int

    @property
    def duration_ms(self) -> float:
        """Length of each repeat in ms."""
        return self.t_ms.size * self.dt_ms

    @property
    def n_repeats(self) -> int:
        """Number of repeats held."""
        return len(self.repeats)

    def subset(self, repeats: Iterable[int]) -> FittingData:
        """The data of some repeats only.

        Parameters
        ----------
        repeats : iterable of int
            Positions (0 to ``n_repeats - 1``) of the repeats to keep, in order.

        Returns
        -------
        FittingData
        """
        positions = _positions(repeats, self.n_repeats)
        return FittingData(
            I_nA=read_only(self.I_nA[positions]),
            v_mV=read_only(self.v_mV[positions]),
            spike_times_ms=[self.spike_times_ms[p] for p in positions],
            t_ms=self.t_ms,
            dt_ms=self.dt_ms,
            repeats=tuple(self.repeats[p] for p in positions),
            seed=self.seed,
        )

    def split(
        self,
        train_repeats: Iterable[int] = range(7),
        test_repeats: Iterable[int] = range(7, 10),
    ) -> tuple[FittingData, FittingData]:
        """Split into a training set and a held-out test set of repeats.

        Parameters
        ----------
        train_repeats, test_repeats : iterable of int
            Positions of the repeats in each part; they must not overlap. By default
            repeats 0-6 train and 7-9 test.

        Returns
        -------
        (FittingData, FittingData)
            The training part and the test part.
        """
        train = _positions(train_repeats, self.n_repeats)
        test = _positions(test_repeats, self.n_repeats)
        shared = sorted(set(train) & set(test))
        if shared:
            raise ValueError(
                f"repeats {shared} are in both the training and the test set; "
                "held-out repeats must not be used for fitting"
            )
        return self.subset(train), self.subset(test)


def load_fitting_data(seed: int = 2026) -> FittingData:
    """Generate the week 1 fitting data set.

    Ten repeats of 1000 ms at ``dt_ms = 0.1`` (10 000 samples each). Repeat ``k``
    is driven by its own Ornstein-Uhlenbeck current (:func:`ou_current_nA`, mean
    0.7 nA, standard deviation 0.5 nA, correlation time 5 ms) and the response is
    that of an adaptive exponential integrate-and-fire neuron
    (:func:`neuro4ml.models.neurons.adex` with its default parameters, those of Brette &
    Gerstner 2005, J Neurophysiol 94:3637-3642) with membrane noise of 0.5 mV. It
    fires at roughly 15-30 Hz.

    As in an intracellular recording, spikes are visible in the voltage trace: the
    sample during which V crossed the spike cut-off ``v_peak_mV`` (0 mV) is drawn at
    the cut-off, and the next sample is the reset value (-70.6 mV). Each spike time
    is the time of its peak sample, ``t_ms[k]`` (:func:`neuro4ml.models.neurons.adex` stamps
    the end of that time step, ``dt_ms`` later), so all spike times lie in
    ``[0, duration_ms)`` and ``v_mV[r, round(t / dt_ms)]`` is a peak.

    Everything is drawn from ``numpy.random.default_rng(seed)``, so the same seed
    gives identical data and a different seed different data. It takes a fraction of
    a second and reads no files.

    Parameters
    ----------
    seed : int
        Seed of the random generator.

    Returns
    -------
    FittingData
        ``I_nA`` and ``v_mV`` shaped ``(10, 10000)``, ``spike_times_ms`` a list of
        10 sorted arrays, ``t_ms`` shaped ``(10000,)``, ``dt_ms = 0.1``,
        ``duration_ms = 1000``. Arrays are read-only.
    """
    from neuro4ml.models.neurons import AdExParams, adex

    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")
    rng = np.random.default_rng(int(seed))
    current_nA = ou_current_nA(
        DURATION_MS,
        DT_MS,
        mean_nA=CURRENT_MEAN_NA,
        std_nA=CURRENT_STD_NA,
        tau_ms=CURRENT_TAU_MS,
        n_repeats=N_REPEATS,
        rng=rng,
    )
    params = AdExParams()
    run = adex(current_nA, dt_ms=DT_MS, params=params, rng=rng, noise_sigma_mV=NOISE_SIGMA_MV)
    peak_steps = [_step_before(times_ms, DT_MS) for times_ms in run.spike_times_ms]
    v_mV = _draw_spike_peaks(run.v, peak_steps, params.v_peak_mV)
    return FittingData(
        I_nA=read_only(current_nA),
        v_mV=read_only(v_mV),
        spike_times_ms=[read_only(steps * DT_MS) for steps in peak_steps],
        t_ms=read_only(np.arange(current_nA.shape[1]) * DT_MS),
        dt_ms=DT_MS,
        repeats=tuple(range(N_REPEATS)),
        seed=int(seed),
    )


def _step_before(spike_times_ms: np.ndarray, dt_ms: float) -> np.ndarray:
    """Index of the time step during which each spike happened.

    :func:`neuro4ml.models.neurons.adex` stamps a spike detected during step ``k`` with the
    end of that step, ``(k + 1) * dt_ms``; this returns ``k``.
    """
    return np.round(np.asarray(spike_times_ms) / dt_ms).astype(np.int64) - 1


def _draw_spike_peaks(v_mV: np.ndarray, peak_steps: list[np.ndarray], peak_mV: float) -> np.ndarray:
    """Copy of ``v_mV`` (repeats, time) with each spike's sample set to ``peak_mV``."""
    v_mV = np.array(v_mV, dtype=float, order="C")
    for repeat, steps in enumerate(peak_steps):
        v_mV[repeat, steps] = peak_mV
    return v_mV


def _positions(repeats: Iterable[int], n_repeats: int) -> list[int]:
    """Check a selection of repeat positions and return it as a list."""
    try:
        positions = list(repeats)
    except TypeError as error:
        raise TypeError(f"repeats must be an iterable of integers, got {repeats!r}") from error
    for position in positions:
        if isinstance(position, bool) or not isinstance(position, Integral):
            raise TypeError(f"repeat positions must be integers, got {position!r}")
        if not 0 <= position < n_repeats:
            raise ValueError(f"repeat position {position} is outside 0..{n_repeats - 1}")
    if not positions:
        raise ValueError("select at least one repeat")
    if len(set(positions)) != len(positions):
        raise ValueError(f"repeat positions must not repeat, got {positions}")
    return [int(p) for p in positions]

