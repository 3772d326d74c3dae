"""fMRI: the canonical haemodynamic response, the BOLD signal of an activity, and event-related responses."""

from __future__ import annotations

import math

import numpy as np
from scipy import signal, special

from neuro4ml.data.recording.signals import as_traces, restore_shape
from neuro4ml.validation import (
    positive_number,
    whole_number,
)

__all__ = ["bold_signal", "canonical_hrf", "event_related_response"]


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
    values, single = as_traces(activity, "activity")
    kernel = canonical_hrf(np.arange(0.0, hrf_duration_s + dt_s / 2, dt_s)) * dt_s
    out = signal.lfilter(kernel, [1.0], values, axis=-1)
    return restore_shape(out, single)


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
    y, single = as_traces(signal_values, "signal_values")
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
