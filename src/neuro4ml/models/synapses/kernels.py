"""Closed-form synaptic kernels (exponential, alpha, biexponential) and the biexponential peak."""

from __future__ import annotations

import math

import numpy as np

from neuro4ml.validation import (
    positive_number,
)

__all__ = [
    "alpha_kernel",
    "biexponential_kernel",
    "biexponential_normalisation",
    "biexponential_peak_time_ms",
    "biexponential_peak_value",
    "exponential_kernel",
]


def _as_times(t_ms: object) -> np.ndarray:
    """Times as a float array (any shape), checking they are finite."""
    try:
        t = np.asarray(t_ms, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"t_ms must be a number or an array of numbers, got {t_ms!r}") from error
    if not np.all(np.isfinite(t)):
        raise ValueError("t_ms contains NaN or infinite values")
    return t


def rise_and_decay_ms(tau_rise_ms: object, tau_decay_ms: object) -> tuple[float, float]:
    """Check the two time constants of the biexponential: positive, rise <= decay."""
    tau_rise_ms = positive_number(tau_rise_ms, "tau_rise_ms")
    tau_decay_ms = positive_number(tau_decay_ms, "tau_decay_ms")
    if tau_rise_ms > tau_decay_ms:
        raise ValueError(
            f"tau_rise_ms ({tau_rise_ms}) must not exceed tau_decay_ms ({tau_decay_ms}): "
            "the rise is the faster of the two time constants"
        )
    return tau_rise_ms, tau_decay_ms


def exponential_kernel(t_ms: np.ndarray | float, tau_ms: float) -> np.ndarray:
    r"""Exponential synaptic kernel :math:`k(t) = e^{-t/\tau}\, H(t)`.

    The response of :math:`\tau \dot s = -s` to a unit jump of :math:`s` at
    :math:`t = 0` (:math:`H` is the Heaviside step, with :math:`H(0) = 1`). It peaks at
    1 at :math:`t = 0`.

    Parameters
    ----------
    t_ms : float or array_like
        Time(s) since the spike, in ms (any shape; negative times give 0).
    tau_ms : float
        Decay time constant in ms, > 0.

    Returns
    -------
    numpy.ndarray
        The kernel, shaped like ``t_ms``.
    """
    tau_ms = positive_number(tau_ms, "tau_ms")
    t = _as_times(t_ms)
    return np.where(t >= 0, np.exp(-np.maximum(t, 0.0) / tau_ms), 0.0)


def alpha_kernel(t_ms: np.ndarray | float, tau_ms: float, *, normalise: bool = False) -> np.ndarray:
    r"""Alpha-function kernel :math:`k(t) = \frac{t}{\tau} e^{-t/\tau}\, H(t)`.

    The response of :math:`s` in the system :math:`\tau \dot x = -x`,
    :math:`\tau \dot s = x - s` to a unit jump of :math:`x` at :math:`t = 0`
    (Dayan & Abbott 2001, section 5.8). It peaks at :math:`t = \tau` with value
    :math:`1/e`; with ``normalise=True`` it is multiplied by :math:`e`, giving
    :math:`\frac{t}{\tau} e^{1 - t/\tau}`, which peaks at 1. It is the limit of
    :func:`biexponential_kernel` when the rise and decay times become equal.

    Parameters
    ----------
    t_ms : float or array_like
        Time(s) since the spike, in ms.
    tau_ms : float
        Time constant in ms, > 0: the time of the peak.
    normalise : bool
        Scale the kernel to a peak of 1.

    Returns
    -------
    numpy.ndarray
        The kernel, shaped like ``t_ms``.
    """
    tau_ms = positive_number(tau_ms, "tau_ms")
    t = np.maximum(_as_times(t_ms), 0.0)  # the formula is already 0 at t = 0
    kernel = t / tau_ms * np.exp(-t / tau_ms)
    return kernel * math.e if normalise else kernel


def biexponential_peak_time_ms(tau_rise_ms: float, tau_decay_ms: float) -> float:
    r"""Time of the peak of the biexponential kernel after a spike, in ms.

    Setting the derivative of :math:`e^{-t/\tau_d} - e^{-t/\tau_r}` to zero gives

    .. math:: t^* = \frac{\tau_r \tau_d}{\tau_d - \tau_r} \ln\frac{\tau_d}{\tau_r},

    and :math:`t^* = \tau` in the alpha limit :math:`\tau_r = \tau_d = \tau`. The peak
    time does not depend on the weight or the normalisation.

    Parameters
    ----------
    tau_rise_ms, tau_decay_ms : float
        Rise and decay time constants in ms, ``0 < tau_rise_ms <= tau_decay_ms``.

    Returns
    -------
    float
        :math:`t^*` in ms.
    """
    tau_r, tau_d = rise_and_decay_ms(tau_rise_ms, tau_decay_ms)
    if tau_r == tau_d:
        return tau_d
    # log1p keeps the formula accurate when tau_r is close to tau_d.
    return tau_r * tau_d / (tau_d - tau_r) * math.log1p((tau_d - tau_r) / tau_r)


def biexponential_peak_value(tau_rise_ms: float, tau_decay_ms: float) -> float:
    r"""Peak of the biexponential response to a unit jump of :math:`x`.

    With :math:`\tau_r \dot x = -x`, :math:`\tau_d \dot s = x - s` and :math:`x(0) = 1`,
    :math:`s(0) = 0`, the response is
    :math:`s(t) = \frac{\tau_r}{\tau_d - \tau_r}\left(e^{-t/\tau_d} - e^{-t/\tau_r}\right)`.
    At :math:`t^*` (:func:`biexponential_peak_time_ms`) it equals

    .. math:: s(t^*) = \left(\frac{\tau_r}{\tau_d}\right)^{\tau_d / (\tau_d - \tau_r)},

    which tends to :math:`1/e` (the alpha function's peak) as :math:`\tau_r \to \tau_d`.

    Parameters
    ----------
    tau_rise_ms, tau_decay_ms : float
        Rise and decay time constants in ms, ``0 < tau_rise_ms <= tau_decay_ms``.

    Returns
    -------
    float
        The peak value, between 0 and :math:`1/e`.
    """
    tau_r, tau_d = rise_and_decay_ms(tau_rise_ms, tau_decay_ms)
    if tau_r == tau_d:
        return math.exp(-1.0)
    return math.exp(-tau_d / (tau_d - tau_r) * math.log1p((tau_d - tau_r) / tau_r))


def biexponential_normalisation(tau_rise_ms: float, tau_decay_ms: float) -> float:
    r"""Factor that makes the biexponential response peak at 1.

    .. math:: N = 1 / s(t^*) = \left(\frac{\tau_d}{\tau_r}\right)^{\tau_d / (\tau_d - \tau_r)},

    the inverse of :func:`biexponential_peak_value`. A spike that adds :math:`N w`
    to :math:`x` gives a response peaking at :math:`w`.
    """
    return 1.0 / biexponential_peak_value(tau_rise_ms, tau_decay_ms)


def biexponential_kernel(
    t_ms: np.ndarray | float,
    tau_rise_ms: float,
    tau_decay_ms: float,
    *,
    normalise: bool = False,
) -> np.ndarray:
    r"""Biexponential (difference-of-exponentials) kernel.

    The response of :math:`s` in :math:`\tau_r \dot x = -x`, :math:`\tau_d \dot s = x - s`
    to a unit jump of :math:`x` at :math:`t = 0`:

    .. math::
        k(t) = \frac{\tau_r}{\tau_d - \tau_r}\left(e^{-t/\tau_d} - e^{-t/\tau_r}\right) H(t),

    which rises with time constant :math:`\tau_r` and decays with :math:`\tau_d`
    (Dayan & Abbott 2001, section 5.8). It is computed as
    :math:`\frac{\tau_r}{\tau_d - \tau_r} e^{-t/\tau_d}\,(-\mathrm{expm1}(-t(1/\tau_r - 1/\tau_d)))`
    to stay accurate when :math:`\tau_r` is close to :math:`\tau_d`, and equals
    :func:`alpha_kernel` when they are equal.

    Parameters
    ----------
    t_ms : float or array_like
        Time(s) since the spike, in ms.
    tau_rise_ms, tau_decay_ms : float
        Rise and decay time constants in ms, ``0 < tau_rise_ms <= tau_decay_ms``.
    normalise : bool
        Multiply by :func:`biexponential_normalisation`, so the peak is 1.

    Returns
    -------
    numpy.ndarray
        The kernel, shaped like ``t_ms``.
    """
    tau_r, tau_d = rise_and_decay_ms(tau_rise_ms, tau_decay_ms)
    if tau_r == tau_d:
        kernel = alpha_kernel(t_ms, tau_d)
    else:
        t = np.maximum(_as_times(t_ms), 0.0)
        rate_difference = 1.0 / tau_r - 1.0 / tau_d
        kernel = tau_r / (tau_d - tau_r) * np.exp(-t / tau_d) * -np.expm1(-t * rate_difference)
    return kernel * biexponential_normalisation(tau_r, tau_d) if normalise else kernel
