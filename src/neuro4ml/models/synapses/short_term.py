"""Short-term plasticity: the Tsodyks-Markram model of depressing and facilitating synapses."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from neuro4ml.validation import (
    non_negative_number,
    positive_number,
    probability,
)
from neuro4ml.validation import spike_train as _as_train

__all__ = ["ShortTermPlasticity", "SteadyState", "tsodyks_markram", "tsodyks_markram_steady_state"]


class ShortTermPlasticity(NamedTuple):
    """Per-spike values of the Tsodyks-Markram model; arrays of shape ``(spikes,)``."""

    #: Fraction of the maximal response produced by each spike, :math:`u_n x_n`.
    efficacy: np.ndarray
    #: Utilisation (release probability) used by each spike, after its increment.
    u: np.ndarray
    #: Available resources just before each spike.
    x: np.ndarray


class SteadyState(NamedTuple):
    """Steady state of the Tsodyks-Markram model for a regular train (floats)."""

    u: float
    x: float
    efficacy: float


def _utilisation(U: object) -> float:
    U = probability(U, "U")
    if U == 0:
        raise ValueError("U must be in (0, 1]: with U = 0 the synapse never releases")
    return U


def _facilitation_decay(interval_ms: np.ndarray | float, tau_facil_ms: float) -> np.ndarray | float:
    """:math:`e^{-\\Delta/\\tau_F}`, and 0 (no facilitation) when ``tau_facil_ms == 0``."""
    if tau_facil_ms == 0:
        return np.zeros_like(interval_ms) if isinstance(interval_ms, np.ndarray) else 0.0
    return np.exp(-np.asarray(interval_ms) / tau_facil_ms)


def tsodyks_markram(
    spike_times_ms: np.ndarray | Sequence[float],
    U: float,
    tau_rec_ms: float,
    tau_facil_ms: float = 0.0,
) -> ShortTermPlasticity:
    r"""Efficacy of each spike of a train at a depressing and facilitating synapse.

    The Tsodyks-Markram model (Tsodyks & Markram 1997, "The neural code between
    neocortical pyramidal neurons depends on neurotransmitter release probability",
    PNAS 94:719-723; Tsodyks, Pawelzik & Markram 1998, "Neural networks with dynamic
    synapses", Neural Comput. 10:821-835) has a fraction :math:`x` of available
    resources and a utilisation :math:`u`. Between spikes

    .. math:: \frac{dx}{dt} = \frac{1 - x}{\tau_\text{rec}}, \qquad
              \frac{du}{dt} = -\frac{u}{\tau_\text{facil}},

    and at each spike first :math:`u \leftarrow u + U(1 - u)`, then the spike uses
    :math:`u x` of the resources (its efficacy) and :math:`x \leftarrow x - u x`.
    Integrating between spikes :math:`\Delta_n = t_{n+1} - t_n` apart gives the
    exact recursion (Markram, Wang & Tsodyks 1998, "Differential signaling via the
    same axon of neocortical pyramidal neurons", PNAS 95:5323-5328)

    .. math::
        u_{n+1} = U + u_n (1 - U)\, e^{-\Delta_n/\tau_\text{facil}}, \qquad
        x_{n+1} = 1 + (x_n - u_n x_n - 1)\, e^{-\Delta_n/\tau_\text{rec}},

    from :math:`u_1 = U`, :math:`x_1 = 1` (a rested synapse). ``tau_facil_ms = 0``
    removes facilitation (:math:`u = U` at every spike): the depression-only model of
    Tsodyks & Markram (1997).

    Parameters
    ----------
    spike_times_ms : 1-D array
        Presynaptic spike times in ms, sorted (non-decreasing).
    U : float
        Utilisation increment (baseline release probability), in (0, 1].
    tau_rec_ms : float
        Recovery time constant of the resources in ms, > 0 (depression).
    tau_facil_ms : float
        Decay time constant of the utilisation in ms, >= 0 (facilitation; 0: none).

    Returns
    -------
    ShortTermPlasticity
        ``efficacy`` (:math:`u_n x_n`), ``u`` (:math:`u_n`) and ``x`` (:math:`x_n`),
        each of shape ``(spikes,)``. Multiply the efficacies by a maximal weight to
        get the size of each postsynaptic response (for example with the ``weight``
        argument of :func:`synaptic_trace`).
    """
    U = _utilisation(U)
    tau_rec_ms = positive_number(tau_rec_ms, "tau_rec_ms")
    tau_facil_ms = non_negative_number(tau_facil_ms, "tau_facil_ms")
    train = _as_train(spike_times_ms)
    intervals_ms = np.diff(train)
    if np.any(intervals_ms < 0):
        raise ValueError("spike_times_ms must be sorted in increasing order")
    facil_decay = _facilitation_decay(intervals_ms, tau_facil_ms)
    rec_decay = np.exp(-intervals_ms / tau_rec_ms)

    u = np.empty(train.size)
    x = np.empty(train.size)
    if train.size:
        u[0], x[0] = U, 1.0
    for n in range(train.size - 1):
        u[n + 1] = U + u[n] * (1.0 - U) * facil_decay[n]
        x[n + 1] = 1.0 + (x[n] - u[n] * x[n] - 1.0) * rec_decay[n]
    return ShortTermPlasticity(efficacy=u * x, u=u, x=x)


def tsodyks_markram_steady_state(
    rate_hz: float,
    U: float,
    tau_rec_ms: float,
    tau_facil_ms: float = 0.0,
) -> SteadyState:
    r"""Steady state of the Tsodyks-Markram model for a regular train at ``rate_hz``.

    For spikes :math:`\Delta = 1000/f` ms apart, the fixed points of the recursion of
    :func:`tsodyks_markram` are

    .. math::
        u_\infty = \frac{U}{1 - (1 - U)\, e^{-\Delta/\tau_\text{facil}}}, \qquad
        x_\infty = \frac{1 - e^{-\Delta/\tau_\text{rec}}}
                        {1 - (1 - u_\infty)\, e^{-\Delta/\tau_\text{rec}}},

    and the steady-state efficacy is :math:`u_\infty x_\infty` (Tsodyks, Pawelzik &
    Markram 1998). Without facilitation (:math:`\tau_\text{facil} = 0`),
    :math:`u_\infty = U` and at high rates :math:`u_\infty x_\infty \approx
    \Delta/\tau_\text{rec}`: the response per spike falls as :math:`1/f`, so the
    transmitted rate :math:`f u_\infty x_\infty` saturates (Tsodyks & Markram 1997).

    Parameters
    ----------
    rate_hz : float
        Rate of the regular train in Hz, > 0.
    U, tau_rec_ms, tau_facil_ms : float
        As in :func:`tsodyks_markram`.

    Returns
    -------
    SteadyState
        ``u``, ``x`` and ``efficacy`` at each spike once the train has reached its
        steady state.
    """
    rate_hz = positive_number(rate_hz, "rate_hz")
    U = _utilisation(U)
    tau_rec_ms = positive_number(tau_rec_ms, "tau_rec_ms")
    tau_facil_ms = non_negative_number(tau_facil_ms, "tau_facil_ms")
    interval_ms = 1000.0 / rate_hz
    u_inf = U / (1.0 - (1.0 - U) * _facilitation_decay(interval_ms, tau_facil_ms))
    rec_decay = math.exp(-interval_ms / tau_rec_ms)
    x_inf = (1.0 - rec_decay) / (1.0 - (1.0 - u_inf) * rec_decay)
    return SteadyState(u=float(u_inf), x=float(x_inf), efficacy=float(u_inf * x_inf))
