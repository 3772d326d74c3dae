"""Rate-based Hebbian rules on one linear neuron: Hebb, Oja, the covariance rule and BCM."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuro4ml.validation import (
    finite_number,
    non_negative_number,
    positive_number,
)

__all__ = ["RateRuleRun", "bcm", "covariance_rule", "hebb", "oja"]


# ---------------------------------------------------------------------------
# Rate-based rules
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RateRuleRun:
    """What a rate rule returns.

    Attributes
    ----------
    w : numpy.ndarray, shape (samples + 1, inputs)
        ``w[n]`` is the weight vector before sample ``n``; ``w[-1]`` after the last one.
    y : numpy.ndarray, shape (samples,)
        The output :math:`y_n = \\mathbf w_n \\cdot \\mathbf x_n` for each sample.
    theta : numpy.ndarray, shape (samples + 1,) or None
        The BCM sliding threshold before each sample (``None`` for the other rules).
    """

    w: np.ndarray
    y: np.ndarray
    theta: np.ndarray | None = None


def _rate_inputs(x: object, w0: object) -> tuple[np.ndarray, np.ndarray]:
    """Check the inputs ``(samples, inputs)`` and the initial weights ``(inputs,)``."""
    try:
        x = np.asarray(x, dtype=float)
        w0 = np.asarray(w0, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError("x and w0 must be arrays of numbers") from error
    if x.ndim != 2:
        raise ValueError(f"x must be shaped (samples, inputs), got shape {x.shape}")
    if w0.shape != (x.shape[1],):
        raise ValueError(f"w0 must be shaped ({x.shape[1]},) to match x's inputs, got shape {w0.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(w0))):
        raise ValueError("x and w0 must be finite (no NaN or inf)")
    return x, w0


def _run_rate_rule(x, w0, eta, delta) -> RateRuleRun:
    """Iterate ``w <- w + eta * delta(x_n, y_n, w)`` over the samples, vectorised over inputs."""
    x, w0 = _rate_inputs(x, w0)
    eta = positive_number(eta, "eta")
    w = np.empty((x.shape[0] + 1, x.shape[1]))
    y = np.empty(x.shape[0])
    w[0] = w0
    for n, xn in enumerate(x):
        y[n] = w[n] @ xn
        w[n + 1] = w[n] + eta * delta(xn, y[n], w[n])
    return RateRuleRun(w=w, y=y)


def hebb(x: np.ndarray, w0: np.ndarray, *, eta: float) -> RateRuleRun:
    """Plain Hebbian learning: :math:`\\Delta \\mathbf w = \\eta\\, y\\, \\mathbf x`, :math:`y = \\mathbf w\\cdot\\mathbf x`.

    "Cells that fire together wire together" (Hebb 1949, *The Organization of
    Behavior*). Averaged over zero-mean inputs with covariance :math:`C`, the rule is
    :math:`\\dot{\\mathbf w} = \\eta C \\mathbf w`, so the weights grow without bound
    along the leading eigenvector of :math:`C` (Dayan & Abbott 2001, section 8.2).

    Parameters
    ----------
    x : array, shape (samples, inputs)
        Input vectors, one per learning step.
    w0 : array, shape (inputs,)
        Initial weights.
    eta : float
        Learning rate (> 0).
    """
    return _run_rate_rule(x, w0, eta, lambda xn, yn, wn: yn * xn)


def oja(x: np.ndarray, w0: np.ndarray, *, eta: float) -> RateRuleRun:
    """Oja's rule: :math:`\\Delta \\mathbf w = \\eta\\, y\\,(\\mathbf x - y\\,\\mathbf w)`.

    The Hebbian term plus a decay proportional to :math:`y^2` keeps the norm bounded.
    For zero-mean inputs with covariance :math:`C` and a small learning rate, the
    weights converge to the unit-norm leading eigenvector of :math:`C`, so the neuron
    extracts the first principal component (Oja 1982, "A simplified neuron model as a
    principal component analyzer", J Math Biol 15:267-273).

    Parameters are those of :func:`hebb`.
    """
    return _run_rate_rule(x, w0, eta, lambda xn, yn, wn: yn * (xn - yn * wn))


def covariance_rule(
    x: np.ndarray,
    w0: np.ndarray,
    *,
    eta: float,
    x_mean: np.ndarray | None = None,
    y_mean: float | None = None,
) -> RateRuleRun:
    """Covariance rule: :math:`\\Delta \\mathbf w = \\eta\\,(y - \\bar y)(\\mathbf x - \\bar{\\mathbf x})`.

    Weights grow when pre- and postsynaptic activity are above their means together and
    shrink when one is above and the other below, so (unlike plain Hebb with positive
    rates) the rule can depress (Sejnowski 1977, "Storing covariance with nonlinearly
    interacting neurons", J Math Biol 4:303-321). Averaged over inputs it gives
    :math:`\\dot{\\mathbf w} = \\eta\\, C \\mathbf w` with the *covariance* :math:`C`, not
    the correlation matrix.

    Parameters
    ----------
    x, w0, eta
        As in :func:`hebb`.
    x_mean : array, shape (inputs,), optional
        The mean input :math:`\\bar{\\mathbf x}`; by default the mean of ``x``.
    y_mean : float, optional
        The mean output :math:`\\bar y`; by default :math:`\\mathbf w\\cdot\\bar{\\mathbf x}`,
        the mean output for the current weights.
    """
    x_arr, _ = _rate_inputs(x, w0)
    x_bar = x_arr.mean(axis=0) if x_mean is None else np.asarray(x_mean, dtype=float)
    if x_bar.shape != (x_arr.shape[1],):
        raise ValueError(f"x_mean must be shaped ({x_arr.shape[1]},), got {x_bar.shape}")
    fixed_y = None if y_mean is None else finite_number(y_mean, "y_mean")

    def delta(xn, yn, wn):
        y_bar = wn @ x_bar if fixed_y is None else fixed_y
        return (yn - y_bar) * (xn - x_bar)

    return _run_rate_rule(x_arr, w0, eta, delta)


def bcm(
    x: np.ndarray,
    w0: np.ndarray,
    *,
    eta: float,
    tau_theta: float,
    theta0: float = 0.0,
    rectify: bool = True,
) -> RateRuleRun:
    """BCM rule with a sliding threshold (Bienenstock, Cooper & Munro 1982).

    .. math::
        \\Delta \\mathbf w = \\eta\\, y\\,(y - \\theta)\\,\\mathbf x, \\qquad
        \\theta \\leftarrow \\theta + \\frac{1}{\\tau_\\theta}(y^2 - \\theta),

    so :math:`\\theta` tracks the running mean of :math:`y^2` over about
    :math:`\\tau_\\theta` samples. Activity above :math:`\\theta` potentiates the active
    inputs and activity below depresses them; because :math:`\\theta` grows faster than
    :math:`y` (quadratically), the stable states respond strongly to one input pattern
    and weakly to the others: the neuron becomes *selective* ("Theory for the development
    of neuron selectivity", J Neurosci 2:32-48; the form with :math:`\\theta =
    \\langle y^2\\rangle` is that of Intrator & Cooper 1992, see Dayan & Abbott 2001,
    section 8.2). ``theta`` here is updated with the output of the current sample,
    after the weights.

    Parameters
    ----------
    x, w0, eta
        As in :func:`hebb`.
    tau_theta : float
        Time constant of the threshold, in samples (>= 1). It must be short compared
        with the time scale of the weights, :math:`1/\\eta`, for the rule to be stable.
    theta0 : float
        Initial threshold (>= 0).
    rectify : bool
        Use :math:`y = \\max(\\mathbf w\\cdot\\mathbf x, 0)` (a firing rate cannot be
        negative). The default.
    """
    x, w = _rate_inputs(x, w0)
    eta = positive_number(eta, "eta")
    tau_theta = positive_number(tau_theta, "tau_theta")
    if tau_theta < 1:
        raise ValueError(f"tau_theta is in samples and must be >= 1, got {tau_theta}")
    theta = non_negative_number(theta0, "theta0")
    ws = np.empty((x.shape[0] + 1, x.shape[1]))
    thetas = np.empty(x.shape[0] + 1)
    y = np.empty(x.shape[0])
    ws[0], thetas[0] = w, theta
    for n, xn in enumerate(x):
        yn = ws[n] @ xn
        if rectify:
            yn = max(yn, 0.0)
        y[n] = yn
        ws[n + 1] = ws[n] + eta * yn * (yn - thetas[n]) * xn
        thetas[n + 1] = thetas[n] + (yn * yn - thetas[n]) / tau_theta
    return RateRuleRun(w=ws, y=y, theta=thetas)
