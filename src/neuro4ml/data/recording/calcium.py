"""Calcium imaging: indicators, the forward model from spikes to fluorescence, deconvolution and spike matching."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import signal

from neuro4ml.data.recording.signals import as_traces, restore_shape
from neuro4ml.validation import (
    as_generator,
    non_negative_number,
    positive_number,
    probability,
    whole_number,
)

__all__ = [
    "CalciumDeconvolution",
    "CalciumIndicator",
    "CalciumRecording",
    "GCAMP6F",
    "GCAMP6S",
    "INDICATORS",
    "SpikeMatch",
    "calcium_fluorescence",
    "calcium_kernel",
    "deconvolve_calcium",
    "match_spikes",
]


# ---------------------------------------------------------------------------
# Calcium indicators
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CalciumIndicator:
    """Kinetics and sensitivity of a fluorescent calcium indicator.

    Attributes
    ----------
    name : str
    tau_rise_ms, tau_decay_ms : float
        Time constants of the rise and decay of one spike's calcium transient
        (``0 < tau_rise_ms < tau_decay_ms``).
    dff_per_spike : float
        Peak :math:`\\Delta F/F_0` of the transient caused by one isolated spike.
    dff_max : float
        :math:`\\Delta F/F_0` when the indicator is saturated (all of it bound).
    hill : float
        Hill coefficient of the saturation (see :func:`calcium_fluorescence`).
    """

    name: str
    tau_rise_ms: float
    tau_decay_ms: float
    dff_per_spike: float
    dff_max: float
    hill: float = 1.0

    def __post_init__(self) -> None:
        positive_number(self.tau_rise_ms, "tau_rise_ms")
        positive_number(self.tau_decay_ms, "tau_decay_ms")
        positive_number(self.dff_per_spike, "dff_per_spike")
        positive_number(self.dff_max, "dff_max")
        positive_number(self.hill, "hill")
        if self.tau_rise_ms >= self.tau_decay_ms:
            raise ValueError(
                f"tau_rise_ms ({self.tau_rise_ms}) must be smaller than tau_decay_ms ({self.tau_decay_ms})"
            )
        if self.dff_per_spike >= self.dff_max:
            raise ValueError(
                f"dff_per_spike ({self.dff_per_spike}) must be smaller than dff_max ({self.dff_max})"
            )

    @property
    def peak_time_ms(self) -> float:
        """Time from a spike to the peak of its transient.

        :math:`t_\\text{peak} = \\frac{\\tau_r\\tau_d}{\\tau_d-\\tau_r}\\ln\\frac{\\tau_d}{\\tau_r}`.
        """
        tr, td = self.tau_rise_ms, self.tau_decay_ms
        return tr * td / (td - tr) * math.log(td / tr)

    @property
    def half_saturation(self) -> float:
        """Concentration (in spike units) at which half of the indicator is bound, :math:`K`.

        Chosen so that one isolated spike (concentration 1) gives ``dff_per_spike``:
        :math:`K = (\\Delta F_\\max/\\Delta F_1 - 1)^{1/n}`.
        """
        return (self.dff_max / self.dff_per_spike - 1.0) ** (1.0 / self.hill)


#: GCaMP6f, the fast variant of Chen et al. (2013), "Ultrasensitive fluorescent proteins
#: for imaging neuronal activity", Nature 499:295-300. Round values: the rise time
#: constant puts the transient's peak 63 ms after the spike, within the 50-75 ms at which
#: Chen et al. resolved successive spikes in a burst in mouse visual cortex; the decay
#: and the single-spike amplitude are of the order of their in vivo single-spike transients
#: (hundreds of ms, a ΔF/F of order 0.1). They are illustrative, not fitted values.
GCAMP6F = CalciumIndicator("GCaMP6f", tau_rise_ms=20.0, tau_decay_ms=400.0, dff_per_spike=0.15, dff_max=3.0)
#: GCaMP6s, the slow and sensitive variant of Chen et al. (2013): peak 135 ms after the
#: spike (they resolved spikes 100-150 ms apart), a decay over more than a second and a
#: larger single-spike transient. Illustrative round values, as for :data:`GCAMP6F`.
GCAMP6S = CalciumIndicator("GCaMP6s", tau_rise_ms=35.0, tau_decay_ms=1500.0, dff_per_spike=0.25, dff_max=5.0)
#: The indicators known by name to :func:`calcium_fluorescence` and :func:`deconvolve_calcium`.
INDICATORS = {"GCaMP6f": GCAMP6F, "GCaMP6s": GCAMP6S}


def _indicator(indicator: str | CalciumIndicator) -> CalciumIndicator:
    if isinstance(indicator, CalciumIndicator):
        return indicator
    if isinstance(indicator, str) and indicator in INDICATORS:
        return INDICATORS[indicator]
    raise ValueError(
        f"indicator must be one of {sorted(INDICATORS)} or a CalciumIndicator, got {indicator!r}"
    )


# ---------------------------------------------------------------------------
# Calcium: the forward model
# ---------------------------------------------------------------------------


def calcium_kernel(t_ms: np.ndarray | float, indicator: str | CalciumIndicator = "GCaMP6f") -> np.ndarray:
    """Calcium transient of one spike at time 0, normalised to a peak of 1.

    .. math::

        h(t) = \\frac{e^{-t/\\tau_d} - e^{-t/\\tau_r}}{e^{-t_\\text{peak}/\\tau_d} - e^{-t_\\text{peak}/\\tau_r}}
        \\quad (t \\ge 0), \\qquad h(t) = 0 \\quad (t < 0).

    The difference of exponentials is the impulse response of the second-order
    autoregressive model of calcium imaging (Pnevmatikakis et al. 2016, Neuron 89:285-299;
    Friedrich, Zhou & Paninski 2017, PLoS Comput Biol 13:e1005423), which adds the
    indicator's rise to the first-order model of Vogelstein et al. (2010, J Neurophysiol
    104:3691-3704).

    Parameters
    ----------
    t_ms : float or array
        Times after the spike, in ms.
    indicator : str or CalciumIndicator
        ``"GCaMP6f"``, ``"GCaMP6s"`` or your own :class:`CalciumIndicator`.
    """
    ind = _indicator(indicator)
    t = np.asarray(t_ms, dtype=float)
    tp = ind.peak_time_ms
    peak = math.exp(-tp / ind.tau_decay_ms) - math.exp(-tp / ind.tau_rise_ms)
    positive = np.clip(t, 0.0, None)
    h = (np.exp(-positive / ind.tau_decay_ms) - np.exp(-positive / ind.tau_rise_ms)) / peak
    return np.where(t >= 0, h, 0.0)


@dataclass(frozen=True, eq=False)
class CalciumRecording:
    """Result of :func:`calcium_fluorescence`. Arrays keep the shape of the spikes.

    Attributes
    ----------
    time_ms : numpy.ndarray
        Frame times, shape ``(time,)``.
    concentration : numpy.ndarray
        Calcium concentration in units of one spike's peak transient.
    fluorescence_clean : numpy.ndarray
        :math:`\\Delta F/F_0` without noise.
    fluorescence : numpy.ndarray
        :math:`\\Delta F/F_0` with shot noise and additive noise: what the microscope sees.
    indicator : CalciumIndicator
    dt_ms : float
    """

    time_ms: np.ndarray
    concentration: np.ndarray
    fluorescence_clean: np.ndarray
    fluorescence: np.ndarray
    indicator: CalciumIndicator
    dt_ms: float


def _saturate(concentration: np.ndarray, ind: CalciumIndicator) -> np.ndarray:
    """Hill saturation, :math:`\\Delta F/F_0 = \\Delta F_\\max\\, c^n/(c^n + K^n)`."""
    cn = np.clip(concentration, 0.0, None) ** ind.hill
    return ind.dff_max * cn / (cn + ind.half_saturation**ind.hill)


def _desaturate(dff: np.ndarray, ind: CalciumIndicator) -> np.ndarray:
    """Inverse of :func:`_saturate`, extended to negative (noise) values with odd symmetry."""
    x = np.minimum(dff, 0.99 * ind.dff_max)
    ratio = x / (ind.dff_max - x)
    return ind.half_saturation * np.sign(ratio) * np.abs(ratio) ** (1.0 / ind.hill)


def calcium_fluorescence(
    spikes: np.ndarray,
    dt_ms: float,
    *,
    indicator: str | CalciumIndicator = "GCaMP6f",
    photons_per_frame: float | None = 1000.0,
    noise_sd: float = 0.0,
    rng: np.random.Generator | int | None = None,
) -> CalciumRecording:
    """Fluorescence of a calcium indicator driven by spikes, sampled at ``dt_ms`` per frame.

    Three stages. **Concentration**: each spike adds one calcium transient
    :func:`calcium_kernel`; on the frame grid this is computed exactly by the
    second-order autoregression (Pnevmatikakis et al. 2016; Friedrich, Zhou & Paninski 2017)

    .. math::

        c_k = (d + r)\\, c_{k-1} - d r\\, c_{k-2} + \\frac{d - r}{h_\\text{peak}}\\, s_{k-1},
        \\qquad d = e^{-\\Delta t/\\tau_d},\\; r = e^{-\\Delta t/\\tau_r},

    where :math:`s_{k-1}` counts the spikes of bin ``k - 1`` and :math:`h_\\text{peak}`
    is the un-normalised peak of the difference of exponentials. **Saturation**: the
    indicator binds calcium with the Hill equation, as in the model of Vogelstein et al.
    (2009, Biophys J 97:636-655),

    .. math::

        \\Delta F/F_0 = \\Delta F_\\max \\frac{c^n}{c^n + K^n},

    so the response grows linearly (for ``hill = 1``) for a few spikes and then levels
    off at ``dff_max``. **Noise**: the microscope counts photons, Poisson distributed
    with mean :math:`N_0 (1 + \\Delta F/F_0)` where :math:`N_0` is ``photons_per_frame``
    at baseline, so the noise on :math:`\\Delta F/F_0` has standard deviation
    :math:`\\sqrt{(1 + \\Delta F/F_0)/N_0}`; Gaussian noise of standard deviation
    ``noise_sd`` (background, neuropil, electronics) is added on top.

    Parameters
    ----------
    spikes : array of non-negative whole numbers
        Spike counts per frame bin, shape ``(time,)`` or ``(neurons, time)``.
    dt_ms : float
        Frame interval (33.3 ms for 30 Hz imaging).
    indicator : str or CalciumIndicator
        ``"GCaMP6f"`` (default), ``"GCaMP6s"`` or a :class:`CalciumIndicator`.
    photons_per_frame : float or None
        Mean photon count per frame at baseline; ``None`` for no shot noise.
    noise_sd : float
        Standard deviation of additive Gaussian noise on :math:`\\Delta F/F_0`.
    rng : numpy.random.Generator, int or None
        Seed or generator for the noise.

    Returns
    -------
    CalciumRecording
    """
    dt_ms = positive_number(dt_ms, "dt_ms")
    ind = _indicator(indicator)
    counts, single = as_traces(spikes, "spikes")
    if np.any(counts < 0) or np.any(counts != np.round(counts)):
        raise ValueError("spikes must hold spike counts per bin: non-negative whole numbers")
    if photons_per_frame is not None:
        photons_per_frame = positive_number(photons_per_frame, "photons_per_frame")
    noise_sd = non_negative_number(noise_sd, "noise_sd")
    generator = as_generator(rng)

    d = math.exp(-dt_ms / ind.tau_decay_ms)
    r = math.exp(-dt_ms / ind.tau_rise_ms)
    tp = ind.peak_time_ms
    h_peak = math.exp(-tp / ind.tau_decay_ms) - math.exp(-tp / ind.tau_rise_ms)
    concentration = signal.lfilter([0.0, (d - r) / h_peak], [1.0, -(d + r), d * r], counts, axis=-1)
    clean = _saturate(concentration, ind)
    noisy = clean.copy()
    if photons_per_frame is not None:
        photons = generator.poisson(photons_per_frame * (1.0 + clean))
        noisy = photons / photons_per_frame - 1.0
    if noise_sd > 0:
        noisy = noisy + generator.normal(0.0, noise_sd, size=noisy.shape)
    time_ms = np.arange(counts.shape[-1]) * dt_ms
    return CalciumRecording(
        time_ms=time_ms,
        concentration=restore_shape(concentration, single),
        fluorescence_clean=restore_shape(clean, single),
        fluorescence=restore_shape(noisy, single),
        indicator=ind,
        dt_ms=dt_ms,
    )


# ---------------------------------------------------------------------------
# Calcium: deconvolution
# ---------------------------------------------------------------------------


def _oasis_ar1(y: np.ndarray, g: float, penalty: float) -> tuple[np.ndarray, np.ndarray]:
    """Non-negative deconvolution of one trace under an AR(1) model, by pooling.

    Solves :math:`\\min_c \\tfrac12\\|y - c\\|^2 + \\lambda \\sum_t s_t` subject to
    :math:`s_t = c_t - g c_{t-1} \\ge 0` (with :math:`s_0 = c_0 \\ge 0`) by the
    pool-adjacent-violators algorithm of Friedrich, Zhou & Paninski (2017). Returns
    ``(c, s)``.
    """
    n = y.size
    # The penalty is linear in c: sum_t s_t = (1 - g) sum_{t<T} c_t + c_T.
    mu = np.full(n, 1.0 - g)
    mu[-1] = 1.0
    y = y - penalty * mu
    # Each pool: start index, length, weighted value v (the pool's first c) and weight w,
    # with w = sum_j g^(2j) and v = sum_j g^j y_(start+j) / w over the pool.
    starts, lengths, values, weights = [], [], [], []
    for t in range(n):
        starts.append(t)
        lengths.append(1)
        values.append(y[t])
        weights.append(1.0)
        while len(values) > 1 and values[-2] * g ** lengths[-2] > values[-1]:
            gl = g ** lengths[-2]
            w = weights[-2] + gl * gl * weights[-1]
            values[-2] = (weights[-2] * values[-2] + gl * weights[-1] * values[-1]) / w
            weights[-2] = w
            lengths[-2] += lengths[-1]
            del starts[-1], lengths[-1], values[-1], weights[-1]
    c = np.empty(n)
    for start, length, value in zip(starts, lengths, values):
        c[start : start + length] = max(value, 0.0) * g ** np.arange(length)
    s = c.copy()
    s[1:] -= g * c[:-1]
    return c, np.clip(s, 0.0, None)


@dataclass(frozen=True, eq=False)
class CalciumDeconvolution:
    """Result of :func:`deconvolve_calcium`. Arrays keep the shape of the fluorescence.

    Attributes
    ----------
    time_ms : numpy.ndarray
        Frame times, shape ``(time,)``.
    concentration : numpy.ndarray
        Denoised calcium concentration (spike units) fitted to the trace.
    activity : numpy.ndarray
        Non-negative estimated activity per bin, in spikes (fractional): the rise of
        calcium between frames ``k`` and ``k + 1`` is assigned to bin ``k``.
    spikes : numpy.ndarray of int
        Estimated spike counts per bin: 0 where ``activity`` is below ``threshold``,
        otherwise ``activity`` rounded to the nearest whole number, and at least 1.
    """

    time_ms: np.ndarray
    concentration: np.ndarray
    activity: np.ndarray
    spikes: np.ndarray

    def spike_times_ms(self) -> np.ndarray | list[np.ndarray]:
        """Estimated spike times (bin starts, a bin with n spikes repeated n times)."""
        dt = self.time_ms[1] - self.time_ms[0] if self.time_ms.size > 1 else 1.0
        counts = np.atleast_2d(self.spikes)
        times = [np.repeat(np.arange(row.size), row) * dt for row in counts]
        return times[0] if self.spikes.ndim == 1 else times


def deconvolve_calcium(
    fluorescence: np.ndarray,
    dt_ms: float,
    *,
    indicator: str | CalciumIndicator = "GCaMP6f",
    penalty: float = 0.0,
    threshold: float = 0.4,
) -> CalciumDeconvolution:
    """Estimate spikes from a :math:`\\Delta F/F_0` trace by non-negative deconvolution.

    First the indicator's saturation is inverted (see :func:`calcium_fluorescence`), which
    turns fluorescence back into calcium concentration :math:`y` in spike units. Then the
    concentration is fitted with a first-order autoregressive model whose innovations are
    the spikes,

    .. math::

        \\min_{c}\\; \\tfrac12 \\sum_t (y_t - c_t)^2 + \\lambda \\sum_t s_t
        \\quad\\text{subject to}\\quad s_t = c_t - g\\,c_{t-1} \\ge 0,
        \\qquad g = e^{-\\Delta t/\\tau_d},

    solved exactly in linear time by OASIS, a pool-adjacent-violators algorithm
    (Friedrich, Zhou & Paninski 2017, PLoS Comput Biol 13:e1005423; the non-negative
    deconvolution goes back to Vogelstein et al. 2010). The AR(1) model ignores the
    indicator's rise, so a spike shows as a jump one frame later; the jump at frame
    ``k + 1`` is therefore assigned to bin ``k`` (and a spike in the last bin cannot be
    seen). The indicator's rise is removed first: with :math:`r = e^{-\\Delta t/\\tau_r}`,
    :math:`z_k = y_k - r\\,y_{k-1}` obeys the first-order model with decay :math:`g`.
    This is exact only for a noiseless trace; on a noisy one the filter also correlates
    the noise of neighbouring frames (and scales its variance by :math:`1 + r^2`), which
    the first-order fit ignores.
    Spike counts are the activity rounded to whole spikes (at least one) where it
    reaches ``threshold``.

    Parameters
    ----------
    fluorescence : array
        :math:`\\Delta F/F_0`, shape ``(time,)`` or ``(neurons, time)``.
    dt_ms : float
        Frame interval in ms.
    indicator : str or CalciumIndicator
        The indicator assumed (its decay and saturation are used).
    penalty : float
        Sparsity penalty :math:`\\lambda` (in spike units); 0 for plain non-negative
        least squares.
    threshold : float
        Activity (in spikes) below which a bin counts as silent, in (0, 1].

    Returns
    -------
    CalciumDeconvolution
    """
    dt_ms = positive_number(dt_ms, "dt_ms")
    ind = _indicator(indicator)
    dff, single = as_traces(fluorescence, "fluorescence")
    penalty = non_negative_number(penalty, "penalty")
    threshold = probability(threshold, "threshold")
    if threshold == 0:
        raise ValueError("threshold must be in (0, 1], got 0")
    d = math.exp(-dt_ms / ind.tau_decay_ms)
    r = math.exp(-dt_ms / ind.tau_rise_ms)
    tp = ind.peak_time_ms
    jump = (d - r) / (math.exp(-tp / ind.tau_decay_ms) - math.exp(-tp / ind.tau_rise_ms))
    y = _desaturate(dff, ind)
    # Remove the rise: z_k = y_k - r y_(k-1) follows z_k = d z_(k-1) + jump * s_(k-1).
    z = y.copy()
    z[:, 1:] -= r * y[:, :-1]
    z[:, 0] *= 1.0 - r
    concentration = np.empty_like(y)
    activity = np.zeros_like(y)
    for i, row in enumerate(z):
        z_fit, s = _oasis_ar1(row, d, penalty * jump)
        concentration[i] = signal.lfilter([1.0], [1.0, -r], z_fit, zi=[r * z_fit[0] / (1.0 - r)])[0]
        activity[i, :-1] = s[1:] / jump
    spikes = np.where(activity >= threshold, np.maximum(1.0, np.floor(activity + 0.5)), 0.0).astype(int)
    return CalciumDeconvolution(
        time_ms=np.arange(dff.shape[-1]) * dt_ms,
        concentration=restore_shape(concentration, single),
        activity=restore_shape(activity, single),
        spikes=restore_shape(spikes, single),
    )


@dataclass(frozen=True)
class SpikeMatch:
    """Result of :func:`match_spikes`: counts and rates of a spike-detection score."""

    hits: int
    misses: int
    false_alarms: int

    @property
    def recall(self) -> float:
        """Fraction of true spikes found (1 when there are no true spikes)."""
        total = self.hits + self.misses
        return self.hits / total if total else 1.0

    @property
    def precision(self) -> float:
        """Fraction of estimated spikes that are true (1 when none were estimated)."""
        total = self.hits + self.false_alarms
        return self.hits / total if total else 1.0


def _spike_frames(counts: object, name: str) -> list[np.ndarray]:
    array, _ = as_traces(counts, name)
    if np.any(array < 0) or np.any(array != np.round(array)):
        raise ValueError(f"{name} must hold spike counts per bin: non-negative whole numbers")
    return [np.repeat(np.arange(row.size), row.astype(int)) for row in array]


def match_spikes(true_spikes: np.ndarray, estimated_spikes: np.ndarray, tolerance_frames: int = 1) -> SpikeMatch:
    """Pair true and estimated spikes that are at most ``tolerance_frames`` bins apart.

    Each spike is paired at most once. Both lists are scanned in time order and each true
    spike takes the earliest unpaired estimate within tolerance, which gives the largest
    possible number of pairs when all spikes share one tolerance.

    Parameters
    ----------
    true_spikes, estimated_spikes : arrays of spike counts per bin
        Same shape, ``(time,)`` or ``(neurons, time)``.
    tolerance_frames : int
        Largest distance, in bins, between paired spikes (0 for the same bin).
    """
    tolerance = whole_number(tolerance_frames, "tolerance_frames", minimum=0)
    true_frames = _spike_frames(true_spikes, "true_spikes")
    estimated_frames = _spike_frames(estimated_spikes, "estimated_spikes")
    if np.shape(true_spikes) != np.shape(estimated_spikes):
        raise ValueError(
            f"true_spikes and estimated_spikes must have the same shape, got "
            f"{np.shape(true_spikes)} and {np.shape(estimated_spikes)}"
        )
    hits = n_true = n_estimated = 0
    for truth, estimate in zip(true_frames, estimated_frames):
        n_true += truth.size
        n_estimated += estimate.size
        j = 0
        for frame in truth:
            while j < estimate.size and estimate[j] < frame - tolerance:
                j += 1
            if j < estimate.size and estimate[j] <= frame + tolerance:
                hits += 1
                j += 1
    return SpikeMatch(hits=hits, misses=n_true - hits, false_alarms=n_estimated - hits)
