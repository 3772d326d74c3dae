"""Conductance-based synapses: reversal potentials, the conductance current and step, and NMDA receptors."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from neuro4ml.models.synapses.traces import biexponential_trace
from neuro4ml.validation import (
    finite_number,
    non_negative_number,
    positive_number,
)

__all__ = ["E_EXCITATORY", "E_INHIBITORY", "conductance_current", "conductance_step", "mg_block", "nmda_current"]


# ---------------------------------------------------------------------------
# Reversal potentials
# ---------------------------------------------------------------------------

#: Excitatory reversal potential in the dimensionless units of the course (rest 0,
#: threshold 1): :math:`(E_\text{ex} - E_\text{rest}) / (V_\text{th} - E_\text{rest})`
#: with the values of Vogels & Abbott (2005), "Signal propagation and logic gating in
#: networks of integrate-and-fire neurons", J. Neurosci. 25:10786-10795 (also the COBA
#: benchmark of Brette et al. 2007): E_ex = 0 mV, E_rest = -60 mV, V_th = -50 mV.
E_EXCITATORY = (0.0 - -60.0) / (-50.0 - -60.0)  # = 6.0
#: Inhibitory reversal potential in the same units, with E_inh = -80 mV (same source).
E_INHIBITORY = (-80.0 - -60.0) / (-50.0 - -60.0)  # = -2.0


def conductance_current(g: np.ndarray | float, v: np.ndarray | float, e_rev: float) -> np.ndarray:
    r"""Current through a conductance-based synapse: :math:`I_\text{syn} = g\,(E_\text{rev} - V)`.

    Positive (depolarising) while :math:`V < E_\text{rev}`, zero at the reversal
    potential and negative above it, so the synapse always pulls :math:`V` towards
    :math:`E_\text{rev}`. With :data:`E_EXCITATORY` the synapse excites a neuron
    anywhere below threshold; with :data:`E_INHIBITORY` (below rest) it inhibits.

    Parameters
    ----------
    g : float or array
        Conductance, >= 0, in units of the leak conductance.
    v : float or array
        Membrane potential (dimensionless units: rest 0, threshold 1).
    e_rev : float
        Reversal potential in the same units.

    Returns
    -------
    numpy.ndarray
        The current, broadcast from ``g`` and ``v``.
    """
    e_rev = finite_number(e_rev, "e_rev")
    return np.asarray(g, dtype=float) * (e_rev - np.asarray(v, dtype=float))


def conductance_step(
    v: np.ndarray,
    *,
    dt_ms: float,
    tau_ms: float,
    drive: np.ndarray | float,
    conductances: Sequence[np.ndarray | float],
    reversals: Sequence[float],
) -> np.ndarray:
    r"""Advance a membrane with conductance-based synapses by one time step.

    The membrane equation (dimensionless units, leak reversal 0)

    .. math:: \tau \frac{dV}{dt} = (D - V) + \sum_j g_j\,(E_j - V)

    is linear in :math:`V` when the drive :math:`D` (external and current-based
    input) and the conductances :math:`g_j` are held constant over the step. Then
    :math:`V` relaxes exponentially towards the weighted mean
    :math:`V_\infty = (D + \sum_j g_j E_j) / (1 + \sum_j g_j)` with the shortened time
    constant :math:`\tau / (1 + \sum_j g_j)`, and the step

    .. math:: V \leftarrow V_\infty + (V - V_\infty)\, e^{-\Delta t (1 + \sum_j g_j)/\tau}

    is exact for constant :math:`g_j` (an *exponential Euler* step; for conductances
    that vary within the step, pass their average over the step). Because
    :math:`V_\infty` is a weighted mean, :math:`V` never overshoots it: with a single
    synapse and no drive, :math:`V` approaches :math:`E_\text{rev}` and never passes it.

    Parameters
    ----------
    v : numpy.ndarray
        Membrane potentials, shape ``(neurons,)``.
    dt_ms, tau_ms : float
        Time step and membrane time constant in ms.
    drive : float or array of shape (neurons,)
        The input current :math:`D` (in units of :math:`V`).
    conductances : sequence of float or arrays of shape (neurons,)
        One conductance per synapse type, >= 0, in units of the leak conductance.
    reversals : sequence of float
        The reversal potential of each synapse type.

    Returns
    -------
    numpy.ndarray
        The potentials after the step (a new array).
    """
    dt_ms = positive_number(dt_ms, "dt_ms")
    tau_ms = positive_number(tau_ms, "tau_ms")
    if len(conductances) != len(reversals):
        raise ValueError(
            f"got {len(conductances)} conductances but {len(reversals)} reversal potentials"
        )
    total = np.ones_like(np.asarray(v, dtype=float))
    target = total * drive
    for g, e_rev in zip(conductances, reversals):
        total += g
        target += np.multiply(g, e_rev)
    v_inf = target / total
    return v_inf + (v - v_inf) * np.exp(-dt_ms / tau_ms * total)


def mg_block(v_mV: np.ndarray | float, mg_mM: float = 1.0) -> np.ndarray:
    r"""Fraction of the NMDA conductance not blocked by magnesium (Jahr & Stevens 1990).

    .. math:: B(V) = \frac{1}{1 + \dfrac{[\mathrm{Mg}^{2+}]_o}{3.57\ \text{mM}}\, e^{-0.062\, V/\text{mV}}}

    (Jahr & Stevens 1990, "Voltage dependence of NMDA-activated macroscopic
    conductances predicted by single-channel kinetics", J Neurosci 10:3178-3182).
    Half the conductance is blocked at :math:`V_{1/2} = \ln([\mathrm{Mg}^{2+}]_o / 3.57\,
    \text{mM}) / 0.062` mV (about -20.5 mV at 1 mM); depolarisation relieves the block.
    Unlike the rest of this module, voltages here are in mV.

    Parameters
    ----------
    v_mV : float or array
        Membrane potential in mV.
    mg_mM : float
        Extracellular magnesium concentration in mM, >= 0 (about 1 mM in the brain;
        0 removes the block).

    Returns
    -------
    numpy.ndarray
        :math:`B(V)` in (0, 1], shaped like ``v_mV``.
    """
    mg_mM = non_negative_number(mg_mM, "mg_mM")
    v = np.asarray(v_mV, dtype=float)
    return 1.0 / (1.0 + mg_mM / 3.57 * np.exp(-0.062 * v))


def nmda_current(
    spike_times_ms: np.ndarray | Sequence[float],
    v_mV: np.ndarray | float,
    *,
    duration_ms: float,
    dt_ms: float,
    weight: float = 1.0,
    tau_rise_ms: float = 2.0,
    tau_decay_ms: float = 100.0,
    mg_mM: float = 1.0,
    e_rev_mV: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Conductance and current of an NMDA synapse: kernel times Mg block times driving force.

    .. math::
        g(t) = w \sum_{t_s \le t} k(t - t_s), \qquad
        I(t) = g(t)\, B\big(V(t)\big)\, \big(E_\text{NMDA} - V(t)\big),

    with :math:`k` the biexponential kernel normalised to a peak of 1 (computed exactly
    by :func:`biexponential_trace`), :math:`B` the magnesium block of :func:`mg_block`
    and :math:`E_\text{NMDA} = 0` mV. The default time constants, 2 ms rise and 100 ms
    decay, are those of Brunel & Wang 2001 (J Comput Neurosci 11:63-85), who use the
    same block. The conductance does not depend on :math:`V`; the current does, so
    :math:`V` is an input here (clamped, or recorded from a neuron).

    Parameters
    ----------
    spike_times_ms : 1-D array
        Presynaptic spike times in ms, >= 0.
    v_mV : float or numpy.ndarray of shape (time,)
        Postsynaptic membrane potential in mV: one value (a voltage clamp) or one
        value per sample.
    duration_ms, dt_ms : float
        Grid length and step in ms; ``time = duration_ms / dt_ms``.
    weight : float
        Peak conductance of one spike's response (e.g. in nS), >= 0.
    tau_rise_ms, tau_decay_ms : float
        Kernel time constants in ms, ``0 < tau_rise_ms <= tau_decay_ms``.
    mg_mM : float
        Extracellular magnesium in mM.
    e_rev_mV : float
        Reversal potential in mV.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        :math:`g` and :math:`I` at ``t_ms = arange(time) * dt_ms``, each shape
        ``(time,)``. With ``weight`` in nS and voltages in mV, :math:`I` is in pA
        (positive = depolarising, flowing into the cell).
    """
    weight = non_negative_number(weight, "weight")
    e_rev_mV = finite_number(e_rev_mV, "e_rev_mV")
    _, g = biexponential_trace(
        spike_times_ms,
        tau_rise_ms=tau_rise_ms,
        tau_decay_ms=tau_decay_ms,
        duration_ms=duration_ms,
        dt_ms=dt_ms,
        weight=weight,
        normalise=True,
    )
    v = np.asarray(v_mV, dtype=float)
    if v.ndim > 1 or (v.ndim == 1 and v.shape != g.shape):
        raise ValueError(f"v_mV must be a number or an array of shape {g.shape}, got shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError("v_mV contains NaN or infinite values")
    return g, g * mg_block(v, mg_mM) * (e_rev_mV - v)
