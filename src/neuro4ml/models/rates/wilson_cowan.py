r"""The Wilson-Cowan model of excitatory and inhibitory populations, and the rate equation of one population.

One excitatory (E) and one inhibitory (I) population,

.. math::
    \tau_E \frac{dE}{dt} &= -E + f_E(w_{EE} E - w_{EI} I + h_E), \\
    \tau_I \frac{dI}{dt} &= -I + f_I(w_{IE} E - w_{II} I + h_I),

with all weights :math:`\ge 0` (the signs are written out) and a logistic
nonlinearity :math:`f(u) = 1 / (1 + e^{-a (u - \theta)})` (Wilson & Cowan 1972,
Biophys J 12:1-24; this is their equation without the refractory factor
:math:`(1 - rE)`, the form used by Dayan & Abbott 2001, *Theoretical Neuroscience*,
section 7.5). Its phase plane is analysed exactly: nullclines in closed form
(:func:`wilson_cowan_nullclines`), fixed points by bracketing and Brent's method
along the E-nullcline (:func:`wilson_cowan_fixed_points`), stability from the
analytic Jacobian (:func:`wilson_cowan_jacobian`). Simulations
(:func:`wilson_cowan`) use the classical fourth-order Runge-Kutta method, since the
equations have no closed-form solution. Time is in ms.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import brentq

from neuro4ml.validation import (
    finite_number,
    non_negative_number,
    number_of_steps,
    positive_number,
    whole_number,
)

__all__ = [
    "RateRun",
    "WilsonCowanParams",
    "classify_fixed_point",
    "hopf_tau_i_ms",
    "is_inhibition_stabilised",
    "logistic",
    "paradoxical_response",
    "rate_equation",
    "wilson_cowan",
    "wilson_cowan_fixed_points",
    "wilson_cowan_jacobian",
    "wilson_cowan_nullclines",
    "wilson_cowan_rhs",
]


# ---------------------------------------------------------------------------
# The rate equation of one population
# ---------------------------------------------------------------------------


def rate_equation(target: np.ndarray, *, tau_ms: float, dt_ms: float, r0: float = 0.0) -> np.ndarray:
    r"""Solve :math:`\tau \frac{dr}{dt} = -r + F(t)` for a target :math:`F` given on a time grid.

    This is the rate model of a population whose steady-state rate for the present
    input is :math:`F(t)` (for example :math:`F = \phi(I(t))` with :math:`\phi` a
    single neuron's f-I curve): the rate relaxes towards :math:`F` with time constant
    :math:`\tau` (Dayan & Abbott 2001, section 7.2). With :math:`F` held constant over
    each step the update :math:`r_{k+1} = F_k + (r_k - F_k)\, e^{-\Delta t/\tau}` is exact.

    Parameters
    ----------
    target : numpy.ndarray, shape (time,)
        :math:`F` at each step, in any unit (the result has the same unit).
    tau_ms, dt_ms : float
        Time constant and step in ms.
    r0 : float
        Initial rate.

    Returns
    -------
    numpy.ndarray, shape (time,)
        :math:`r` at the start of each step (``r[0] = r0``).
    """
    target = np.asarray(target, dtype=float)
    if target.ndim != 1 or not np.all(np.isfinite(target)):
        raise ValueError(f"target must be a finite 1-D array, got shape {target.shape}")
    decay = np.exp(-positive_number(dt_ms, "dt_ms") / positive_number(tau_ms, "tau_ms"))
    rate = np.empty(target.size)
    r = finite_number(r0, "r0")
    for k, f in enumerate(target):
        rate[k] = r
        r = f + (r - f) * decay
    return rate


# ---------------------------------------------------------------------------
# Wilson-Cowan: parameters and equations
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WilsonCowanParams:
    """Parameters of the Wilson-Cowan model (weights >= 0; signs are in the equations).

    The defaults give one fixed point, stable for ``tau_i_ms`` below about 7.8 ms and
    inhibition-stabilised (:func:`is_inhibition_stabilised`); it loses stability in a
    Hopf bifurcation as ``tau_i_ms`` grows (:func:`hopf_tau_i_ms`). They were chosen
    for this course to show those effects, not fitted to data.
    """

    w_ee: float = 12.0
    w_ei: float = 10.0
    w_ie: float = 10.0
    w_ii: float = 2.0
    h_e: float = 2.0
    h_i: float = 0.0
    tau_e_ms: float = 10.0
    tau_i_ms: float = 5.0
    gain_e: float = 1.0
    threshold_e: float = 4.0
    gain_i: float = 1.0
    threshold_i: float = 4.0

    def __post_init__(self) -> None:
        for name in ("w_ee", "w_ei", "w_ie", "w_ii"):
            non_negative_number(getattr(self, name), name)
        for name in ("w_ei", "w_ie"):
            positive_number(getattr(self, name), name)
        for name in ("h_e", "h_i", "threshold_e", "threshold_i"):
            finite_number(getattr(self, name), name)
        for name in ("tau_e_ms", "tau_i_ms", "gain_e", "gain_i"):
            positive_number(getattr(self, name), name)


@dataclass(frozen=True, eq=False)
class RateRun:
    """A simulated rate model: ``t_ms`` shape ``(time,)``, ``e`` and ``i`` shape ``(time,)``."""

    t_ms: np.ndarray
    e: np.ndarray
    i: np.ndarray


def logistic(u: np.ndarray | float, gain: float, threshold: float) -> np.ndarray:
    r"""The logistic nonlinearity :math:`f(u) = 1 / (1 + e^{-a (u - \theta)})`, values in (0, 1)."""
    return 1.0 / (1.0 + np.exp(-gain * (np.asarray(u, dtype=float) - threshold)))


def _logistic_inverse(y: np.ndarray, gain: float, threshold: float) -> np.ndarray:
    """:math:`f^{-1}(y) = \\theta + \\log(y / (1 - y)) / a` for y in (0, 1)."""
    return threshold + np.log(y / (1.0 - y)) / gain


def _inputs(e, i, p: WilsonCowanParams, h_e=None, h_i=None):
    u_e = p.w_ee * e - p.w_ei * i + (p.h_e if h_e is None else h_e)
    u_i = p.w_ie * e - p.w_ii * i + (p.h_i if h_i is None else h_i)
    return u_e, u_i


def _derivatives(e, i, p: WilsonCowanParams, h_i):
    """(dE/dt, dI/dt) for floats or arrays, with the inhibitory input ``h_i`` given."""
    u_e, u_i = _inputs(e, i, p, h_i=h_i)
    de = (-e + 1.0 / (1.0 + np.exp(-p.gain_e * (u_e - p.threshold_e)))) / p.tau_e_ms
    di = (-i + 1.0 / (1.0 + np.exp(-p.gain_i * (u_i - p.threshold_i)))) / p.tau_i_ms
    return de, di


def _slopes(e: float, i: float, p: WilsonCowanParams) -> tuple[float, float]:
    """Slopes g_E = f_E'(u_E), g_I = f_I'(u_I) of the logistic at (e, i): f' = a f (1 - f)."""
    u_e, u_i = _inputs(float(e), float(i), p)
    f_e = logistic(u_e, p.gain_e, p.threshold_e)
    f_i = logistic(u_i, p.gain_i, p.threshold_i)
    return float(p.gain_e * f_e * (1 - f_e)), float(p.gain_i * f_i * (1 - f_i))


def wilson_cowan_rhs(
    e: np.ndarray | float, i: np.ndarray | float, params: WilsonCowanParams
) -> tuple[np.ndarray, np.ndarray]:
    r"""The right-hand side :math:`(dE/dt, dI/dt)` in 1/ms, broadcast over ``e`` and ``i``.

    Use it on a grid to draw the flow of the phase plane.
    """
    return _derivatives(np.asarray(e, dtype=float), np.asarray(i, dtype=float), params, params.h_i)


def wilson_cowan(
    params: WilsonCowanParams,
    *,
    duration_ms: float,
    dt_ms: float,
    e0: float = 0.0,
    i0: float = 0.0,
    extra_h_i: np.ndarray | None = None,
) -> RateRun:
    r"""Simulate the Wilson-Cowan equations with fourth-order Runge-Kutta steps.

    Parameters
    ----------
    params : WilsonCowanParams
    duration_ms, dt_ms : float
        Length and time step in ms (``duration_ms`` a whole multiple of ``dt_ms``). The
        RK4 error shrinks as :math:`\Delta t^4`; ``dt_ms`` well below the time
        constants (e.g. 0.1 ms) is accurate to many digits.
    e0, i0 : float
        Initial activities.
    extra_h_i : numpy.ndarray, shape (time,), optional
        Input added to :math:`h_I` in each step (held constant over the step): for
        example a step, to show the paradoxical response.

    Returns
    -------
    RateRun
        ``e[k]``, ``i[k]`` at ``t_ms[k] = k * dt_ms``, with ``time = duration_ms / dt_ms + 1``
        samples (the initial state and the state after each step).
    """
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    n_steps = number_of_steps(duration_ms, dt_ms, "dt_ms")
    if extra_h_i is None:
        extra = np.zeros(n_steps)
    else:
        extra = np.asarray(extra_h_i, dtype=float)
        if extra.shape != (n_steps,) or not np.all(np.isfinite(extra)):
            raise ValueError(f"extra_h_i must be a finite array of shape ({n_steps},), got {extra.shape}")
    p = params
    e = np.empty(n_steps + 1)
    i = np.empty(n_steps + 1)
    e[0], i[0] = finite_number(e0, "e0"), finite_number(i0, "i0")

    def rhs(x: float, y: float, h_i: float) -> tuple[float, float]:
        return _derivatives(x, y, p, h_i)

    for k in range(n_steps):
        h = p.h_i + extra[k]
        x, y = e[k], i[k]
        k1 = rhs(x, y, h)
        k2 = rhs(x + 0.5 * dt_ms * k1[0], y + 0.5 * dt_ms * k1[1], h)
        k3 = rhs(x + 0.5 * dt_ms * k2[0], y + 0.5 * dt_ms * k2[1], h)
        k4 = rhs(x + dt_ms * k3[0], y + dt_ms * k3[1], h)
        e[k + 1] = x + dt_ms / 6.0 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        i[k + 1] = y + dt_ms / 6.0 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
    return RateRun(t_ms=np.arange(n_steps + 1) * dt_ms, e=e, i=i)


# ---------------------------------------------------------------------------
# Wilson-Cowan: phase-plane analysis
# ---------------------------------------------------------------------------


def wilson_cowan_nullclines(
    params: WilsonCowanParams, n_points: int = 2001
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    r"""Both nullclines, in closed form.

    The E-nullcline :math:`dE/dt = 0` means :math:`E = f_E(u_E)`, i.e.
    :math:`I = (w_{EE} E + h_E - f_E^{-1}(E)) / w_{EI}`; the I-nullcline
    :math:`dI/dt = 0` means :math:`E = (f_I^{-1}(I) + w_{II} I - h_I) / w_{IE}`. Both
    are explicit, so no root finding is needed.

    Returns
    -------
    ((e, i_on_e_nullcline), (e_on_i_nullcline, i))
        Each array has shape ``(n_points,)``; ``e`` and ``i`` are grids on (0, 1).
    """
    n_points = whole_number(n_points, "n_points", minimum=3)
    p = params
    grid = np.linspace(0.0, 1.0, n_points + 2)[1:-1]
    i_on_e = (p.w_ee * grid + p.h_e - _logistic_inverse(grid, p.gain_e, p.threshold_e)) / p.w_ei
    e_on_i = (_logistic_inverse(grid, p.gain_i, p.threshold_i) + p.w_ii * grid - p.h_i) / p.w_ie
    return (grid, i_on_e), (e_on_i, grid)


def _fixed_point_mismatch(e: np.ndarray | float, p: WilsonCowanParams) -> np.ndarray:
    """Along the E-nullcline, I(E) minus f_I(w_IE E - w_II I(E) + h_I): zero at a fixed point."""
    i = (p.w_ee * e + p.h_e - _logistic_inverse(e, p.gain_e, p.threshold_e)) / p.w_ei
    return i - logistic(p.w_ie * e - p.w_ii * i + p.h_i, p.gain_i, p.threshold_i)


def wilson_cowan_fixed_points(params: WilsonCowanParams, n_grid: int = 20001) -> np.ndarray:
    r"""All fixed points, where the two nullclines cross.

    On the E-nullcline :math:`I` is a function of :math:`E`, so a fixed point is a
    root of the one-variable function :math:`g(E) = I(E) - f_I(w_{IE}E - w_{II}I(E) + h_I)`.
    Sign changes of :math:`g` on a grid of ``n_grid`` points in (0, 1) bracket the
    roots, which Brent's method then refines to machine precision. Two fixed points
    closer than the grid spacing could be missed; a finer grid finds them.

    Returns
    -------
    numpy.ndarray, shape (fixed_points, 2)
        Rows ``(E*, I*)`` in increasing order of ``E*``.
    """
    grid = np.linspace(0.0, 1.0, n_grid + 2)[1:-1]
    values = _fixed_point_mismatch(grid, params)
    points = []
    for k in np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) <= 0):
        if values[k] == 0.0:
            e_star = grid[k]
        else:
            e_star = brentq(_fixed_point_mismatch, grid[k], grid[k + 1], args=(params,), xtol=1e-14)
        i_star = (params.w_ee * e_star + params.h_e - _logistic_inverse(e_star, params.gain_e, params.threshold_e)) / params.w_ei
        if not points or abs(e_star - points[-1][0]) > 1e-10:
            points.append((e_star, i_star))
    return np.array(points, dtype=float).reshape(-1, 2)


def wilson_cowan_jacobian(e: float, i: float, params: WilsonCowanParams) -> np.ndarray:
    r"""The Jacobian of :func:`wilson_cowan_rhs` at ``(e, i)``, in 1/ms.

    With :math:`g_E = f_E'(u_E)` and :math:`g_I = f_I'(u_I)` (for the logistic,
    :math:`f' = a f (1 - f)`),

    .. math::
        J = \begin{pmatrix}
            (-1 + w_{EE} g_E)/\tau_E & -w_{EI} g_E/\tau_E \\
            w_{IE} g_I/\tau_I & (-1 - w_{II} g_I)/\tau_I
        \end{pmatrix}.

    A fixed point is stable when both eigenvalues have negative real parts, i.e.
    :math:`\operatorname{tr} J < 0` and :math:`\det J > 0`.

    Returns
    -------
    numpy.ndarray, shape (2, 2)
    """
    p = params
    g_e, g_i = _slopes(e, i, p)
    return np.array(
        [
            [(-1 + p.w_ee * g_e) / p.tau_e_ms, -p.w_ei * g_e / p.tau_e_ms],
            [p.w_ie * g_i / p.tau_i_ms, (-1 - p.w_ii * g_i) / p.tau_i_ms],
        ]
    )


def classify_fixed_point(jacobian: np.ndarray) -> str:
    """Name the type of a fixed point of a planar system from its Jacobian.

    Returns one of ``"stable node"``, ``"stable focus"`` (spiralling in),
    ``"unstable node"``, ``"unstable focus"``, ``"saddle"`` or ``"centre"`` (the
    linearisation alone cannot decide), from the trace :math:`\\tau`, determinant
    :math:`\\Delta` and discriminant :math:`\\tau^2 - 4\\Delta` (Strogatz 2015,
    *Nonlinear Dynamics and Chaos*, section 5.2).
    """
    jacobian = np.asarray(jacobian, dtype=float)
    if jacobian.shape != (2, 2) or not np.all(np.isfinite(jacobian)):
        raise ValueError(f"jacobian must be a finite 2 x 2 array, got shape {jacobian.shape}")
    trace, det = np.trace(jacobian), np.linalg.det(jacobian)
    scale = max(np.abs(jacobian).max(), 1e-300)
    if det < 0:
        return "saddle"
    if abs(trace) <= 1e-12 * scale:
        return "centre"
    kind = "focus" if trace**2 < 4 * det else "node"
    return f"{'stable' if trace < 0 else 'unstable'} {kind}"


def is_inhibition_stabilised(e: float, i: float, params: WilsonCowanParams) -> bool:
    r"""Whether the excitatory population alone would be unstable at this operating point.

    With inhibition frozen, :math:`dE/dt` has slope :math:`(-1 + w_{EE} g_E)/\tau_E`
    in :math:`E`; when :math:`w_{EE} g_E > 1` excitation alone runs away, and only the
    feedback through I keeps the fixed point stable: an *inhibition-stabilised
    network* (Tsodyks, Skaggs, Sejnowski & McNaughton 1997, J Neurosci 17:4382-4388;
    Ozeki, Finn, Schaffer, Miller & Ferster 2009, Neuron 62:578-592).
    """
    return bool(wilson_cowan_jacobian(e, i, params)[0, 0] > 0)


def _stable_fixed_point(params: WilsonCowanParams) -> np.ndarray:
    points = wilson_cowan_fixed_points(params)
    stable = [pt for pt in points if classify_fixed_point(wilson_cowan_jacobian(*pt, params)).startswith("stable")]
    if len(stable) != 1:
        raise ValueError(
            f"expected exactly one stable fixed point, found {len(stable)} among {len(points)}; "
            "choose parameters with a single stable state"
        )
    return stable[0]


def paradoxical_response(params: WilsonCowanParams, delta_h_i: float) -> tuple[np.ndarray, np.ndarray]:
    r"""The stable fixed point before and after adding ``delta_h_i`` to the input of I.

    Linearising at a stable fixed point, a small extra input :math:`\delta h_I` moves
    the inhibitory rate by

    .. math:: \frac{\delta I}{\delta h_I} = \frac{g_I\,(1 - w_{EE} g_E)}{(1 - w_{EE} g_E)(1 + w_{II} g_I) + w_{EI} w_{IE} g_E g_I},

    whose denominator is :math:`\tau_E\tau_I \det J > 0`. So exciting the inhibitory
    cells *lowers* their rate exactly when :math:`w_{EE} g_E > 1`: the paradoxical
    effect is the signature of an inhibition-stabilised network (Tsodyks et al. 1997).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``(E*, I*)`` before and after, each of shape ``(2,)``.

    Raises
    ------
    ValueError
        If either network does not have exactly one stable fixed point.
    """
    delta_h_i = finite_number(delta_h_i, "delta_h_i")
    before = _stable_fixed_point(params)
    after = _stable_fixed_point(replace(params, h_i=params.h_i + delta_h_i))
    return before, after


def hopf_tau_i_ms(e: float, i: float, params: WilsonCowanParams) -> float:
    r"""The inhibitory time constant at which the fixed point ``(e, i)`` loses stability.

    The fixed points do not depend on the time constants, and with
    :math:`\det J > 0` stability is lost when :math:`\operatorname{tr} J` crosses 0:

    .. math:: \tau_I^* = \tau_E \frac{1 + w_{II} g_I}{w_{EE} g_E - 1}.

    Past it the eigenvalues are a complex pair with positive real part and a
    small-amplitude oscillation of angular frequency :math:`\sqrt{\det J}` is born: a
    Hopf bifurcation (Strogatz 2015, section 8.2). Only an inhibition-stabilised
    fixed point (:math:`w_{EE} g_E > 1`) has one; otherwise the result is ``inf``.
    """
    p = params
    g_e, g_i = _slopes(e, i, p)
    excess = p.w_ee * g_e - 1.0
    if excess <= 0:
        return float("inf")
    return float(p.tau_e_ms * (1 + p.w_ii * g_i) / excess)
