"""Forward models of recordings: what calcium imaging and fMRI see of neural activity.

A recording method never hands over spikes. It hands over a signal that the spikes
caused through a chain of physics and biology, blurred in time and corrupted by noise.
This module models two such chains, and one way back:

* **Calcium imaging.** Spikes raise the intracellular calcium concentration, which
  binds a fluorescent indicator such as GCaMP6; the fluorescence rises over about
  50 ms (GCaMP6f) to 150 ms (GCaMP6s) and decays over hundreds of milliseconds or more
  (:func:`calcium_fluorescence`).
  :func:`deconvolve_calcium` estimates the spikes back from the fluorescence, and
  :func:`match_spikes` scores the estimate against the truth.
* **fMRI.** The blood-oxygen-level-dependent (BOLD) signal is, to a first
  approximation, neural activity convolved with a slow haemodynamic response function
  (:func:`canonical_hrf`, :func:`bold_signal`). :func:`fmri_example` loads a real
  event-related fMRI recording shipped with ``nitime``, and :func:`event_related_response`
  estimates the response to each kind of event from it.

Conventions shared by the calcium functions:

* **Shapes.** Spikes and fluorescence are one trace shaped ``(time,)`` or a stack shaped
  ``(neurons, time)``; results keep the shape of the input.
* **Time grid.** Sample ``k`` (an imaging frame) is taken at ``t_ms[k] = k * dt_ms``.
  ``spikes[..., k]`` counts the spikes in the bin ``[k dt, (k+1) dt)``, as
  :func:`neuro4ml.models.spikes.spike_times_to_raster` does, and the model places them at the
  start of the bin, ``k * dt_ms``. Because the indicator takes time to rise, a spike in
  bin ``k`` first shows in frame ``k + 1``.
* **Units.** The calcium concentration is in units of the peak of one isolated spike's
  transient (one spike alone raises it to exactly 1); fluorescence is
  :math:`\\Delta F/F_0`, the change relative to the baseline fluorescence.
* **Integration.** The concentration is computed exactly on the grid (the sampled
  difference of exponentials obeys a second-order autoregression), not by Euler steps.

The fMRI functions work in seconds (``t_s``, ``dt_s``, ``tr_s``), the natural unit of
a response that lasts about 30 s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import signal, special

from neuro4ml.validation import (
    as_generator,
    non_negative_number,
    positive_number,
    probability,
    read_only,
    whole_number,
)

__all__ = [
    "GCAMP6F",
    "GCAMP6S",
    "INDICATORS",
    "RECORDING_METHODS",
    "CalciumDeconvolution",
    "CalciumIndicator",
    "CalciumRecording",
    "FMRIExample",
    "RecordingMethod",
    "SpikeMatch",
    "bold_signal",
    "calcium_fluorescence",
    "calcium_kernel",
    "canonical_hrf",
    "deconvolve_calcium",
    "event_related_response",
    "fmri_example",
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
        """Time from a spike to the peak of its transient,
        :math:`t_\\text{peak} = \\frac{\\tau_r\\tau_d}{\\tau_d-\\tau_r}\\ln\\frac{\\tau_d}{\\tau_r}`."""
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


def _traces(values: object, name: str) -> tuple[np.ndarray, bool]:
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


def _shaped(array: np.ndarray, single: bool) -> np.ndarray:
    return array[0] if single else array


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
    counts, single = _traces(spikes, "spikes")
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
        concentration=_shaped(concentration, single),
        fluorescence_clean=_shaped(clean, single),
        fluorescence=_shaped(noisy, single),
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
    dff, single = _traces(fluorescence, "fluorescence")
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
        concentration=_shaped(concentration, single),
        activity=_shaped(activity, single),
        spikes=_shaped(spikes, single),
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
    array, _ = _traces(counts, name)
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


# ---------------------------------------------------------------------------
# fMRI: the haemodynamic response
# ---------------------------------------------------------------------------


def canonical_hrf(
    t_s: np.ndarray | float,
    *,
    peak_delay_s: float = 6.0,
    undershoot_delay_s: float = 16.0,
    dispersion_s: float = 1.0,
    undershoot_ratio: float = 6.0,
) -> np.ndarray:
    """The canonical double-gamma haemodynamic response function, in units of 1/s.

    .. math::

        h(t) = \\frac{t^{a_1 - 1} e^{-t/b}}{b^{a_1}\\Gamma(a_1)}
             - \\frac{1}{\\rho} \\frac{t^{a_2 - 1} e^{-t/b}}{b^{a_2}\\Gamma(a_2)},
        \\qquad t \\ge 0,

    with :math:`a_1 = ` ``peak_delay_s / dispersion_s``, :math:`a_2 =`
    ``undershoot_delay_s / dispersion_s``, :math:`b =` ``dispersion_s`` and
    :math:`\\rho =` ``undershoot_ratio``: a gamma density for the response minus a smaller,
    later one for the undershoot. The defaults are those of SPM's canonical HRF (Friston
    et al. 1998, NeuroImage 7:30-40), similar in form to, but not the same function as,
    the response fitted to measured data by Glover (1999, NeuroImage 9:416-429). With the
    defaults the response peaks at 5.0 s, crosses zero at 12.1 s, is lowest at 15.7-15.8 s
    (about 9% of the peak below baseline) and is within 1% of its peak from about 25 s;
    its integral is :math:`1 - 1/\\rho`.
    """
    a1 = positive_number(peak_delay_s, "peak_delay_s")
    a2 = positive_number(undershoot_delay_s, "undershoot_delay_s")
    b = positive_number(dispersion_s, "dispersion_s")
    rho = positive_number(undershoot_ratio, "undershoot_ratio")
    t = np.asarray(t_s, dtype=float)
    positive = np.clip(t, 0.0, None)

    def gamma_pdf(shape: float) -> np.ndarray:
        with np.errstate(divide="ignore"):
            log_pdf = (shape - 1) * np.log(positive) - positive / b - shape * math.log(b) - special.gammaln(shape)
        return np.exp(log_pdf)

    h = gamma_pdf(a1 / b) - gamma_pdf(a2 / b) / rho
    return np.where(t > 0, h, 0.0)


def bold_signal(activity: np.ndarray, dt_s: float, *, hrf_duration_s: float = 32.0) -> np.ndarray:
    """BOLD signal of the linear model: neural activity convolved with the canonical HRF.

    .. math:: y(t) = \\int_0^{T} h(\\tau)\\, a(t - \\tau)\\, d\\tau
              \\approx \\Delta t \\sum_{j} h(j\\Delta t)\\, a_{k-j},

    the linear time-invariant model of Boynton et al. (1996, J Neurosci 16:4207-4221)
    with the HRF of :func:`canonical_hrf` truncated at ``hrf_duration_s``. Activity before
    the first sample is taken as 0.

    Parameters
    ----------
    activity : array
        Neural activity (any unit) sampled every ``dt_s`` seconds, shape ``(time,)`` or
        ``(regions, time)``.
    dt_s : float
        Sampling interval in seconds.

    Returns
    -------
    numpy.ndarray
        Same shape as ``activity``; in the unit of ``activity`` (the HRF integrates to 5/6).
    """
    dt_s = positive_number(dt_s, "dt_s")
    hrf_duration_s = positive_number(hrf_duration_s, "hrf_duration_s")
    values, single = _traces(activity, "activity")
    kernel = canonical_hrf(np.arange(0.0, hrf_duration_s + dt_s / 2, dt_s)) * dt_s
    out = signal.lfilter(kernel, [1.0], values, axis=-1)
    return _shaped(out, single)


# ---------------------------------------------------------------------------
# fMRI: real data from nitime
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class FMRIExample:
    """The event-related fMRI recording shipped with ``nitime``.

    Attributes
    ----------
    bold : numpy.ndarray
        BOLD signal in % signal change, shape ``(time,)``.
    events : numpy.ndarray of int
        Trial type starting at each sample (0 for none, 1 to 6 for the six kinds of
        motion stimulus), shape ``(time,)``.
    tr_s : float
        Sampling interval (repetition time), 2 s.
    """

    bold: np.ndarray
    events: np.ndarray
    tr_s: float

    @property
    def time_s(self) -> np.ndarray:
        """Sample times in seconds."""
        return np.arange(self.bold.size) * self.tr_s


def fmri_example() -> FMRIExample:
    """Load the event-related fMRI recording shipped with ``nitime``.

    nitime's documentation ("Event-related fMRI" example) describes it: the BOLD signal
    averaged over motion-sensitive voxels near area MT of one participant viewing
    moving stimuli, six kinds of trial (directions and locations of motion), sampled with
    TR = 2 s. The file has 3360 samples (112 min, presumably several runs concatenated)
    and 96 trials of each kind.

    Raises
    ------
    ImportError
        If nitime is not installed (install ``neuro4ml[exercises]`` or ``neuro4ml[site]``).
    """
    from neuro4ml.data.grasshopper import _nitime_data_folder

    try:
        path = _nitime_data_folder() / "event_related_fmri.csv"
    except ImportError:
        raise ImportError(
            "The event-related fMRI recording ships inside the 'nitime' package, which is not "
            'installed. Install the exercise extras with: pip install "neuro4ml[exercises]"'
        ) from None
    table = np.genfromtxt(path, delimiter=",", names=True)
    events = table["events"]
    if np.any(events != np.round(events)):
        raise ValueError(f"{path} holds non-integer event codes")
    return FMRIExample(
        bold=read_only(np.asarray(table["bold"], dtype=float)),
        events=read_only(events.astype(int)),
        tr_s=2.0,
    )


def event_related_response(signal_values: np.ndarray, events: np.ndarray, n_lags: int) -> np.ndarray:
    """Response to each kind of event, by least squares on a finite-impulse-response model.

    The signal is modelled as a sum of one unknown response per event kind, started at
    each of its events, plus a constant:

    .. math:: y_t = \\beta_0 + \\sum_{e} \\sum_{j=0}^{L-1} \\beta_{e,j}\\, x_{e,t-j},

    where :math:`x_{e,t} = 1` when an event of kind :math:`e` starts at sample :math:`t`.
    Unlike a plain event-triggered average, this separates the responses of events that
    follow each other closer than the response lasts (Burock & Dale 2000, Hum Brain Mapp
    11:249-260).

    Parameters
    ----------
    signal_values : array, shape ``(time,)``
    events : array of int, shape ``(time,)``
        0 where nothing starts, ``e >= 1`` where an event of kind ``e`` starts.
    n_lags : int
        Length :math:`L` of each response, in samples.

    Returns
    -------
    numpy.ndarray
        Shape ``(kinds, n_lags)``: row ``e - 1`` is the response to kind ``e``.
    """
    y, single = _traces(signal_values, "signal_values")
    if not single:
        raise ValueError(f"signal_values must be shaped (time,), got {np.shape(signal_values)}")
    codes = np.asarray(events)
    if codes.shape != (y.shape[1],):
        raise ValueError(f"events must have shape {(y.shape[1],)}, got {codes.shape}")
    if not np.issubdtype(codes.dtype, np.number) or np.any(codes < 0) or np.any(codes != np.round(codes)):
        raise ValueError("events must hold whole numbers >= 0 (0 for no event)")
    n_lags = whole_number(n_lags, "n_lags")
    codes = codes.astype(int)
    kinds = int(codes.max())
    if kinds == 0:
        raise ValueError("events holds no event (all zeros)")
    n = y.shape[1]
    design = np.zeros((n, kinds * n_lags + 1))
    design[:, -1] = 1.0
    for kind in range(1, kinds + 1):
        onsets = np.flatnonzero(codes == kind)
        for lag in range(n_lags):
            rows = onsets + lag
            rows = rows[rows < n]
            design[rows, (kind - 1) * n_lags + lag] = 1.0
    beta, *_ = np.linalg.lstsq(design, y[0], rcond=None)
    return beta[:-1].reshape(kinds, n_lags)


# ---------------------------------------------------------------------------
# What each method resolves
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordingMethod:
    """Orders of magnitude of what one recording method resolves.

    Attributes
    ----------
    name : str
    space_m : tuple of float
        Range of spatial resolution, in metres (the smallest distinguishable source).
    time_s : tuple of float
        Range of temporal resolution, in seconds.
    coverage : str
        How much of the brain one recording covers, in words.
    invasive : bool
        Whether the method needs surgery (an implant or a cranial window).
    reference : str
        Key in the course bibliography.
    """

    name: str
    space_m: tuple[float, float]
    time_s: tuple[float, float]
    coverage: str
    invasive: bool
    reference: str


#: Spatial and temporal resolution of the main recording methods, as ranges of order of
#: magnitude in the manner of the plots of Churchland & Sejnowski (1988, Science
#: 242:741-745) and Sejnowski, Churchland & Movshon (2014, Nat Neurosci 17:1440-1441).
#: The numbers are from the paper cited in each entry: the Neuropixels probe records
#: spikes of single neurons (sites 20 µm apart, sampled at 30 kHz; Jun et al. 2017); the
#: local field potential sums currents over hundreds of µm (Buzsáki, Anastassiou & Koch
#: 2012); two-photon calcium imaging resolves single cells at frame rates near 30 Hz,
#: blurred further by indicator decays of 0.1-1 s (Chen et al. 2013; Stringer et al.
#: 2019 imaged about 10,000 neurons at once); voltage imaging resolves single cells and
#: single spikes at frame rates of hundreds of Hz (Abdelfattah et al. 2019); EEG and MEG
#: follow millisecond changes but localise sources to millimetres (MEG) or centimetres
#: (EEG) at best (Hämäläinen et al. 1993); fMRI voxels are 1-5 mm across and the
#: haemodynamic response lasts seconds (Logothetis 2008).
RECORDING_METHODS = (
    RecordingMethod("Neuropixels (spikes)", (1e-5, 1e-4), (3e-5, 1e-3), "hundreds of neurons per probe", True, "jun2017fully"),
    RecordingMethod("local field potential", (1e-4, 1e-3), (1e-3, 1e-2), "summed activity near each site", True, "buzsaki2012origin"),
    RecordingMethod("two-photon calcium imaging", (1e-6, 1e-5), (3e-2, 1.0), "up to about 10,000 neurons", True, "stringer2019spontaneous"),
    RecordingMethod("voltage imaging", (1e-6, 1e-5), (1e-3, 1e-2), "tens of neurons", True, "abdelfattah2019bright"),
    RecordingMethod("MEG", (3e-3, 3e-2), (1e-3, 1e-1), "whole head", False, "hamalainen1993magnetoencephalography"),
    RecordingMethod("EEG", (1e-2, 1e-1), (1e-3, 1e-1), "whole head", False, "hamalainen1993magnetoencephalography"),
    RecordingMethod("fMRI", (1e-3, 5e-3), (1.0, 10.0), "whole brain", False, "logothetis2008what"),
)
