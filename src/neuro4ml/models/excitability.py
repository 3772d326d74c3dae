r"""Two-dimensional neuron models and the phase-plane analysis of excitability.

Hodgkin (1948) sorted axons by how they start to fire: *class 1* neurons can fire at
arbitrarily low rates just above threshold, *class 2* neurons jump to a finite rate.
A neuron model with two variables, a voltage and a slow recovery variable, shows
why: the two classes lose their resting state in different bifurcations (Rinzel &
Ermentrout 1989, "Analysis of neural excitability and oscillations", in Koch & Segev
(eds.), *Methods in Neuronal Modeling*, MIT Press). This module holds the
Morris-Lecar model (Morris & Lecar 1981, Biophys J 35:193-213), which shows both
with two parameter sets, and its phase plane: nullclines, fixed points, Jacobian.

.. math::
    C \frac{dV}{dt} &= I - g_L (V - E_L) - g_\mathrm{Ca}\, m_\infty(V) (V - E_\mathrm{Ca})
        - g_K\, w\, (V - E_K), \\
    \frac{dw}{dt} &= \phi\, \frac{w_\infty(V) - w}{\tau_w(V)},

with :math:`m_\infty(V) = \tfrac12(1 + \tanh\frac{V - V_1}{V_2})`,
:math:`w_\infty(V) = \tfrac12(1 + \tanh\frac{V - V_3}{V_4})` and
:math:`\tau_w(V) = 1 / \cosh\frac{V - V_3}{2 V_4}`. Units: mV, ms, µF/cm², mS/cm²,
µA/cm². The presets :data:`MORRIS_LECAR_HOPF` (class 2) and :data:`MORRIS_LECAR_SNLC`
(class 1) are the parameter sets of Ermentrout & Terman 2010, *Mathematical
Foundations of Neuroscience*, Table 3.1.

Simulations follow the conventions of :mod:`neuro4ml.models.neurons` (input ``(time,)`` or
``(neurons, time)``, samples before each update, a spike stamped ``(k + 1) * dt_ms``
when :math:`V` crosses ``spike_threshold_mv`` upwards during step ``k``) and use
fourth-order Runge-Kutta steps, as the equations have no closed-form solution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from neuro4ml.validation import finite_number, number_of_steps, positive_number
from neuro4ml.models.neurons import NeuronRun

__all__ = [
    "MORRIS_LECAR_HOPF",
    "MORRIS_LECAR_SNLC",
    "MorrisLecarParams",
    "morris_lecar",
    "morris_lecar_fixed_points",
    "morris_lecar_jacobian",
    "morris_lecar_nullclines",
    "morris_lecar_rate_hz",
    "morris_lecar_steady_current",
]


@dataclass(frozen=True)
class MorrisLecarParams:
    """Parameters of the Morris-Lecar model (mV, ms, µF/cm², mS/cm²)."""

    c: float = 20.0
    g_l: float = 2.0
    e_l: float = -60.0
    g_ca: float = 4.4
    e_ca: float = 120.0
    g_k: float = 8.0
    e_k: float = -84.0
    v1: float = -1.2
    v2: float = 18.0
    v3: float = 2.0
    v4: float = 30.0
    phi: float = 0.04

    def __post_init__(self) -> None:
        for name in ("c", "g_l", "g_ca", "g_k", "v2", "v4", "phi"):
            positive_number(getattr(self, name), name)
        for name in ("e_l", "e_ca", "e_k", "v1", "v3"):
            finite_number(getattr(self, name), name)


#: Class 2 excitability: the rest state loses stability in a Hopf bifurcation
#: (Ermentrout & Terman 2010, Table 3.1, "Hopf"), at I of about 93.9. The Hopf is
#: subcritical: a stable limit cycle, born at a fold of limit cycles near I = 88,
#: coexists with the stable rest state below it (Rinzel & Ermentrout 1989).
MORRIS_LECAR_HOPF = MorrisLecarParams()
#: Class 1 excitability: a saddle-node on the limit cycle (SNLC / SNIC) bifurcation
#: (Ermentrout & Terman 2010, Table 3.1, "SNLC").
MORRIS_LECAR_SNLC = MorrisLecarParams(g_ca=4.0, v3=12.0, v4=17.4, phi=1.0 / 15.0)


def _m_inf(v, p):
    return 0.5 * (1.0 + np.tanh((v - p.v1) / p.v2))


def _w_inf(v, p):
    return 0.5 * (1.0 + np.tanh((v - p.v3) / p.v4))


def _rhs(v, w, current, p):
    dv = (current - p.g_l * (v - p.e_l) - p.g_ca * _m_inf(v, p) * (v - p.e_ca) - p.g_k * w * (v - p.e_k)) / p.c
    dw = p.phi * (_w_inf(v, p) - w) * np.cosh((v - p.v3) / (2.0 * p.v4))
    return dv, dw


def morris_lecar(
    current: np.ndarray,
    *,
    dt_ms: float,
    params: MorrisLecarParams = MORRIS_LECAR_HOPF,
    v0_mv: float = -60.0,
    w0: float | None = None,
    spike_threshold_mv: float = 0.0,
) -> NeuronRun:
    """Simulate the Morris-Lecar model (fourth-order Runge-Kutta).

    Parameters
    ----------
    current : numpy.ndarray
        Input current in µA/cm², shape ``(time,)`` or ``(neurons, time)``, held
        constant over each step.
    dt_ms : float
        Time step in ms (0.05 ms is accurate for the presets).
    params : MorrisLecarParams
    v0_mv : float
        Initial voltage.
    w0 : float, optional
        Initial recovery variable; by default :math:`w_\\infty(V_0)`.
    spike_threshold_mv : float
        A spike is an upward crossing of this voltage.

    Returns
    -------
    NeuronRun
        ``v`` in mV shaped like ``current``; ``state["w"]`` the recovery variable.
    """
    dt_ms = positive_number(dt_ms, "dt_ms")
    p = params
    drive = np.asarray(current, dtype=float)
    single = drive.ndim == 1
    if drive.ndim not in (1, 2) or drive.shape[-1] == 0:
        raise ValueError(f"current must be shaped (time,) or (neurons, time), got {drive.shape}")
    if not np.all(np.isfinite(drive)):
        raise ValueError("current contains NaN or infinite values")
    drive = np.atleast_2d(drive)
    n_neurons, n_steps = drive.shape
    v = np.full(n_neurons, finite_number(v0_mv, "v0_mv"))
    w = np.full(n_neurons, _w_inf(v[0], p) if w0 is None else finite_number(w0, "w0"))
    threshold = finite_number(spike_threshold_mv, "spike_threshold_mv")
    vs, ws = np.empty((n_neurons, n_steps)), np.empty((n_neurons, n_steps))
    spikes: list[list[float]] = [[] for _ in range(n_neurons)]
    for k in range(n_steps):
        vs[:, k], ws[:, k] = v, w
        i = drive[:, k]
        a = _rhs(v, w, i, p)
        b = _rhs(v + 0.5 * dt_ms * a[0], w + 0.5 * dt_ms * a[1], i, p)
        c = _rhs(v + 0.5 * dt_ms * b[0], w + 0.5 * dt_ms * b[1], i, p)
        d = _rhs(v + dt_ms * c[0], w + dt_ms * c[1], i, p)
        v_new = v + dt_ms / 6.0 * (a[0] + 2 * b[0] + 2 * c[0] + d[0])
        w = w + dt_ms / 6.0 * (a[1] + 2 * b[1] + 2 * c[1] + d[1])
        for n in np.flatnonzero((v < threshold) & (v_new >= threshold)):
            spikes[n].append((k + 1) * dt_ms)
        v = v_new
    trains = [np.array(s) for s in spikes]
    t_ms = np.arange(n_steps) * dt_ms
    if single:
        return NeuronRun(t_ms=t_ms, v=vs[0], spike_times_ms=trains[0], state={"w": ws[0]})
    return NeuronRun(t_ms=t_ms, v=vs, spike_times_ms=trains, state={"w": ws})


def morris_lecar_rate_hz(
    currents: np.ndarray,
    *,
    params: MorrisLecarParams = MORRIS_LECAR_HOPF,
    duration_ms: float = 2000.0,
    dt_ms: float = 0.05,
    settle_ms: float = 500.0,
) -> np.ndarray:
    """Steady firing rate for each constant current (an f-I curve), from rest.

    Each current is applied from :math:`V = -60` mV (on :math:`w_\\infty`) for
    ``duration_ms``; the rate is the inverse of the mean inter-spike interval of the
    spikes after ``settle_ms`` (0 with fewer than two such spikes), which resolves
    low rates better than a spike count. Where rest and firing coexist (class 2, below
    its subcritical Hopf) the rate is that of the state the start at -60 mV leads to.

    Returns
    -------
    numpy.ndarray, shape (currents,)
        Rates in Hz.
    """
    currents = np.atleast_1d(np.asarray(currents, dtype=float))
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    if not 0 <= settle_ms < duration_ms:
        raise ValueError(f"settle_ms must be in [0, duration_ms), got {settle_ms}")
    n_steps = number_of_steps(duration_ms, dt_ms, "dt_ms")
    run = morris_lecar(np.repeat(currents[:, None], n_steps, axis=1), dt_ms=dt_ms, params=params)
    rates = []
    for train in run.spike_times_ms:
        late = train[train >= settle_ms]
        rates.append(1000.0 / np.diff(late).mean() if late.size >= 2 else 0.0)
    return np.array(rates)


def morris_lecar_steady_current(v_mv: np.ndarray | float, params: MorrisLecarParams = MORRIS_LECAR_HOPF) -> np.ndarray:
    r"""The steady-state I-V curve: the current that holds the model at rest at ``v_mv``.

    At a fixed point :math:`w = w_\infty(V)` and :math:`dV/dt = 0`, so

    .. math:: I_\infty(V) = g_L (V - E_L) + g_\mathrm{Ca} m_\infty(V)(V - E_\mathrm{Ca}) + g_K w_\infty(V)(V - E_K).

    The fixed points for a current :math:`I` are the solutions of :math:`I_\infty(V) = I`.
    Where :math:`I_\infty` is not monotonic, fixed points appear and disappear in
    pairs (saddle-node bifurcations) at its local extrema.
    """
    v = np.asarray(v_mv, dtype=float)
    p = params
    return p.g_l * (v - p.e_l) + p.g_ca * _m_inf(v, p) * (v - p.e_ca) + p.g_k * _w_inf(v, p) * (v - p.e_k)


def morris_lecar_nullclines(
    current: float, v_mv: np.ndarray, params: MorrisLecarParams = MORRIS_LECAR_HOPF
) -> tuple[np.ndarray, np.ndarray]:
    """Both nullclines as functions of ``v_mv``: ``(w on the V-nullcline, w on the w-nullcline)``.

    The V-nullcline solves :math:`dV/dt = 0` for :math:`w`; the w-nullcline is
    :math:`w = w_\\infty(V)`.
    """
    v = np.asarray(v_mv, dtype=float)
    p = params
    current = finite_number(current, "current")
    w_v = (current - p.g_l * (v - p.e_l) - p.g_ca * _m_inf(v, p) * (v - p.e_ca)) / (p.g_k * (v - p.e_k))
    return w_v, _w_inf(v, p)


def morris_lecar_fixed_points(
    current: float, params: MorrisLecarParams = MORRIS_LECAR_HOPF, *, v_range_mv: tuple[float, float] = (-80.0, 60.0)
) -> np.ndarray:
    """Fixed points ``(V*, w*)`` for a constant current, in increasing ``V*``.

    Roots of :math:`I_\\infty(V) - I` (:func:`morris_lecar_steady_current`), bracketed
    on a 0.01 mV grid and refined with Brent's method.

    Returns
    -------
    numpy.ndarray, shape (fixed_points, 2)
    """
    current = finite_number(current, "current")
    grid = np.arange(v_range_mv[0], v_range_mv[1], 0.01)
    values = morris_lecar_steady_current(grid, params) - current
    roots = []
    for k in np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) <= 0):
        if values[k] == 0:
            root = grid[k]
        else:
            root = brentq(lambda x: float(morris_lecar_steady_current(x, params)) - current, grid[k], grid[k + 1], xtol=1e-12)
        if not roots or abs(root - roots[-1]) > 1e-8:
            roots.append(root)
    v = np.array(roots)
    return np.stack([v, _w_inf(v, params)], axis=1).reshape(-1, 2)


def morris_lecar_jacobian(v_mv: float, w: float, current: float, params: MorrisLecarParams = MORRIS_LECAR_HOPF) -> np.ndarray:
    r"""Jacobian of the Morris-Lecar equations at ``(v_mv, w)``, in 1/ms.

    Computed from the analytic derivatives of :math:`m_\infty`, :math:`w_\infty` and
    :math:`1/\tau_w`; at a fixed point the :math:`\partial/\partial V` of
    :math:`1/\tau_w` term vanishes because :math:`w = w_\infty(V)`, but it is kept so
    the function is right everywhere.

    Returns
    -------
    numpy.ndarray, shape (2, 2)
    """
    p = params
    v, w, current = float(v_mv), float(w), finite_number(current, "current")
    sech2_m = 1.0 / np.cosh((v - p.v1) / p.v2) ** 2
    dm = 0.5 * sech2_m / p.v2
    dw_inf = 0.5 / np.cosh((v - p.v3) / p.v4) ** 2 / p.v4
    rate = np.cosh((v - p.v3) / (2 * p.v4))
    drate = np.sinh((v - p.v3) / (2 * p.v4)) / (2 * p.v4)
    dvdv = (-p.g_l - p.g_ca * (dm * (v - p.e_ca) + _m_inf(v, p)) - p.g_k * w) / p.c
    dvdw = -p.g_k * (v - p.e_k) / p.c
    dwdv = p.phi * (dw_inf * rate + (_w_inf(v, p) - w) * drate)
    dwdw = -p.phi * rate
    return np.array([[dvdv, dvdw], [dwdv, dwdw]])
