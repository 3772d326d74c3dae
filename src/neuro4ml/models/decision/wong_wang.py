"""The reduced two-variable attractor model of a perceptual decision (Wong & Wang 2006).

Two excitatory populations, one per choice, excite themselves and inhibit each
other through a shared inhibitory pool. Wong & Wang reduced a spiking network
(Wang 2002) to one slow variable per population, the fraction :math:`S_i` of open
NMDA receptors, driven by the population's firing rate :math:`r_i = H(x_i)`:

.. math::

    \\frac{dS_i}{dt} = -\\frac{S_i}{\\tau_S} + (1 - S_i)\\,\\gamma\\, H(x_i), \\qquad
    H(x) = \\frac{a x - b}{1 - e^{-d(a x - b)}},

    x_1 = J_{11} S_1 - J_{12} S_2 + I_0 + I_1 + I_{\\text{noise},1}, \\qquad
    x_2 = J_{22} S_2 - J_{21} S_1 + I_0 + I_2 + I_{\\text{noise},2},

with the motion stimulus of coherence :math:`c'` (in percent) entering as
:math:`I_{1,2} = J_{A,\\text{ext}}\\,\\mu_0\\,(1 \\pm c'/100)` and each noise current an
Ornstein-Uhlenbeck process, :math:`\\tau_{\\text{AMPA}}\\, dI_{\\text{noise}}/dt =
-I_{\\text{noise}} + \\eta(t)\\sqrt{\\tau_{\\text{AMPA}}\\,\\sigma_{\\text{noise}}^2}` with
white noise :math:`\\eta`. With the published parameters (:data:`WONG_WANG_2006`) the
system has two stable "decision" attractors; noise and the stimulus bias decide which
one the network falls into, and the time it takes is the decision time.

Units: time in ms (``dt_ms``), currents in nA, rates in Hz. Integration: forward Euler
for :math:`S` and Euler-Maruyama for the noise, with ``dt_ms = 0.5`` by default (well
below :math:`\\tau_{\\text{AMPA}} = 2` ms). Vectorised over trials.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np

from neuro4ml.validation import as_generator, finite_number, positive_number

__all__ = ["WONG_WANG_2006", "WongWangParams", "WongWangRun", "wong_wang"]


@dataclass(frozen=True)
class WongWangParams:
    """Parameters of the reduced model (defaults: Wong & Wang 2006, their two-variable model)."""

    a_hz_per_nA: float = 270.0
    b_hz: float = 108.0
    d_s: float = 0.154
    gamma: float = 0.641
    tau_s_ms: float = 100.0
    j_self_nA: float = 0.2609
    j_cross_nA: float = 0.0497
    i0_nA: float = 0.3255
    j_ext_nA_per_hz: float = 5.2e-4
    mu0_hz: float = 30.0
    tau_ampa_ms: float = 2.0
    sigma_noise_nA: float = 0.02
    threshold_hz: float = 15.0


#: The published parameter set.
WONG_WANG_2006 = WongWangParams()


@dataclass(frozen=True, eq=False)
class WongWangRun:
    """What :func:`wong_wang` returns.

    Attributes
    ----------
    t_ms : numpy.ndarray, shape (time,)
        Sample times, ``k * dt_ms``.
    rates_hz : numpy.ndarray, shape (trials, 2, time)
        Firing rates :math:`r_1, r_2` at each sample.
    s : numpy.ndarray, shape (trials, 2, time)
        The NMDA gating variables :math:`S_1, S_2`.
    choices : numpy.ndarray of int, shape (trials,)
        1 if population 1 (favoured by positive coherence) reached ``threshold_hz`` first,
        0 if population 2 did, -1 if neither did.
    decision_times_ms : numpy.ndarray, shape (trials,)
        Time of the first threshold crossing (NaN if none).
    """

    t_ms: np.ndarray
    rates_hz: np.ndarray
    s: np.ndarray
    choices: np.ndarray
    decision_times_ms: np.ndarray = field(repr=False)


def _rate_hz(x_nA: np.ndarray, p: WongWangParams) -> np.ndarray:
    """:math:`H(x) = (ax - b)/(1 - e^{-d(ax - b)})`, with its limit :math:`1/d` at :math:`ax = b`."""
    y = p.a_hz_per_nA * x_nA - p.b_hz
    dy = p.d_s * y
    small = np.abs(dy) < 1e-9
    safe = np.where(small, 1.0, dy)
    return np.where(small, 1.0 / p.d_s, y / -np.expm1(-safe))


def wong_wang(
    coherence: float,
    *,
    n_trials: int = 100,
    duration_ms: float = 2000.0,
    dt_ms: float = 0.5,
    params: WongWangParams = WONG_WANG_2006,
    rng: np.random.Generator | int | None = None,
) -> WongWangRun:
    """Simulate the Wong & Wang (2006) reduced decision model for one coherence.

    The stimulus is on for the whole run; both populations start at :math:`S = 0.1`
    and the noise currents at 0. See the module docstring for the equations.

    Parameters
    ----------
    coherence : float
        Motion coherence :math:`c'` in percent (0 to 100; negative favours population 2).
    n_trials : int
        Independent trials (the loop runs over time; trials are vectorised).
    duration_ms, dt_ms : float
        Length of the run and time step, in ms.
    params : WongWangParams
    rng : numpy.random.Generator, int or None
    """
    coherence = finite_number(coherence, "coherence")
    if abs(coherence) > 100:
        raise ValueError(f"coherence is a percentage between -100 and 100, got {coherence}")
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    if isinstance(n_trials, bool) or not isinstance(n_trials, Integral) or n_trials < 1:
        raise ValueError(f"n_trials must be a positive integer, got {n_trials!r}")
    rng = as_generator(rng)
    p = params
    n_steps = int(round(duration_ms / dt_ms))
    stimulus = p.j_ext_nA_per_hz * p.mu0_hz * np.array([1 + coherence / 100, 1 - coherence / 100])
    coupling = np.array([[p.j_self_nA, -p.j_cross_nA], [-p.j_cross_nA, p.j_self_nA]])

    s = np.full((n_trials, 2), 0.1)
    noise = np.zeros((n_trials, 2))
    s_rec = np.empty((n_trials, 2, n_steps))
    r_rec = np.empty((n_trials, 2, n_steps))
    noise_scale = p.sigma_noise_nA * math.sqrt(dt_ms / p.tau_ampa_ms)
    for k in range(n_steps):
        x = s @ coupling.T + p.i0_nA + stimulus + noise
        r = _rate_hz(x, p)
        s_rec[:, :, k] = s
        r_rec[:, :, k] = r
        s = s + dt_ms * (-s / p.tau_s_ms + (1 - s) * p.gamma * r / 1000.0)
        noise = noise - dt_ms / p.tau_ampa_ms * noise + noise_scale * rng.standard_normal((n_trials, 2))

    t_ms = np.arange(n_steps) * dt_ms
    above = r_rec >= p.threshold_hz
    first = np.where(above.any(axis=2), np.argmax(above, axis=2), n_steps)
    decided = first.min(axis=1) < n_steps
    choices = np.where(decided, (first[:, 0] <= first[:, 1]).astype(int), -1)
    times = np.where(decided, first.min(axis=1) * dt_ms, np.nan)
    return WongWangRun(t_ms=t_ms, rates_hz=r_rec, s=s_rec, choices=choices, decision_times_ms=times)
