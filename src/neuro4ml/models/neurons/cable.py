"""The passive cable: a chain of compartments, integrated by backward Euler."""

from __future__ import annotations

import math

import numpy as np

# The engine's helpers keep their old private names here, so that the model bodies read (and merge) as
# they did in the single module; the engine exports them publicly.
from neuro4ml.models.neurons.engine import NeuronRun, SpikeRecorder
from neuro4ml.models.neurons.engine import as_current as _as_current
from neuro4ml.models.neurons.engine import finish as _finish
from neuro4ml.models.neurons.engine import input_columns as _input_columns
from neuro4ml.models.neurons.engine import time_major_traces as _time_major_traces
from neuro4ml.validation import (
    finite_number,
    positive_number,
    whole_number,
)

__all__ = ["cable", "cable_space_constant_um"]


# ---------------------------------------------------------------------------
# Passive cable
# ---------------------------------------------------------------------------

#: Default passive membrane of :func:`cable`, the typical values of Dayan & Abbott
#: (2001), *Theoretical Neuroscience*, section 6.3: specific membrane resistance
#: 1 MOhm mm^2, intracellular resistivity 1 kOhm mm, capacitance 10 nF/mm^2.
_R_M_OHM_CM2 = 1.0e4
_R_A_OHM_CM = 100.0
_C_M_UF_PER_CM2 = 1.0


def cable_space_constant_um(
    diameter_um: float,
    *,
    r_m_ohm_cm2: float = _R_M_OHM_CM2,
    r_a_ohm_cm: float = _R_A_OHM_CM,
) -> float:
    r"""Space constant of a passive cylindrical cable, in um.

    .. math:: \lambda = \sqrt{\frac{d\, R_m}{4 R_a}}

    for diameter :math:`d`, specific membrane resistance :math:`R_m` and axial
    resistivity :math:`R_a` (Dayan & Abbott 2001, section 6.3, with :math:`d = 2a`).
    With the defaults, a 4 um diameter gives 1 mm.
    """
    diameter_um = positive_number(diameter_um, "diameter_um")
    r_m_ohm_cm2 = positive_number(r_m_ohm_cm2, "r_m_ohm_cm2")
    r_a_ohm_cm = positive_number(r_a_ohm_cm, "r_a_ohm_cm")
    diameter_cm = diameter_um * 1e-4
    return math.sqrt(diameter_cm * r_m_ohm_cm2 / (4.0 * r_a_ohm_cm)) * 1e4


def cable(
    I_nA: np.ndarray,
    *,
    n_compartments: int,
    length_um: float,
    diameter_um: float,
    dt_ms: float,
    inject_at: int = 0,
    r_m_ohm_cm2: float = _R_M_OHM_CM2,
    r_a_ohm_cm: float = _R_A_OHM_CM,
    c_m_uF_per_cm2: float = _C_M_UF_PER_CM2,
    e_rest_mV: float = -65.0,
) -> NeuronRun:
    r"""Simulate a passive cylindrical cable split into equal compartments.

    Compartment :math:`i` (length :math:`\Delta x = L/N`, area
    :math:`A = \pi d \Delta x`) obeys

    .. math::
        C_i \frac{dV_i}{dt} = -g_L (V_i - E) + g_a (V_{i-1} - 2 V_i + V_{i+1}) + I_i,

    with :math:`C_i = c_m A`, :math:`g_L = A / R_m` and axial conductance
    :math:`g_a = \pi d^2 / (4 R_a \Delta x)`; the ends are sealed (no axial current
    leaves the cable). This is the discretised cable equation; for a long cable the
    steady-state potential decays as :math:`e^{-x/\lambda}` with
    :math:`\lambda = \sqrt{d R_m / (4 R_a)}` (:func:`cable_space_constant_um`; Dayan &
    Abbott 2001, section 6.3).

    Integration is **backward (implicit) Euler**,
    :math:`(C/\Delta t + G) V^{n+1} = (C/\Delta t) V^n + g_L E + I^n`, solved with a
    sparse LU factorisation made once. It is stable for any step, and its fixed point
    is the exact steady state of the compartmental equations.

    Parameters
    ----------
    I_nA : array_like, shape (time,) or (n_compartments, time)
        Injected current in nA: one trace injected into compartment ``inject_at``, or
        one row per compartment.
    n_compartments : int
        Number of compartments (>= 1).
    length_um, diameter_um : float
        Cable length and diameter in um.
    dt_ms : float
        Time step in ms (> 0).
    inject_at : int
        Compartment receiving a 1-D input (0 is the end at x = 0); must stay 0 for a
        2-D input.
    r_m_ohm_cm2, r_a_ohm_cm, c_m_uF_per_cm2 : float
        Specific membrane resistance, axial resistivity and specific capacitance.
    e_rest_mV : float
        Resting (leak reversal) potential, also the initial potential.

    Returns
    -------
    NeuronRun
        ``v`` in mV shaped ``(n_compartments, time)``; no spikes (one empty array per
        compartment); ``state["x_um"]`` the compartment centres.
    """
    from scipy.sparse import diags  # imported here: only this model needs scipy
    from scipy.sparse.linalg import splu

    n_compartments = whole_number(n_compartments, "n_compartments")
    inject_at = whole_number(inject_at, "inject_at", minimum=None)
    length_um = positive_number(length_um, "length_um")
    diameter_um = positive_number(diameter_um, "diameter_um")
    dt_ms = positive_number(dt_ms, "dt_ms")
    r_m_ohm_cm2 = positive_number(r_m_ohm_cm2, "r_m_ohm_cm2")
    r_a_ohm_cm = positive_number(r_a_ohm_cm, "r_a_ohm_cm")
    c_m_uF_per_cm2 = positive_number(c_m_uF_per_cm2, "c_m_uF_per_cm2")
    e_rest_mV = finite_number(e_rest_mV, "e_rest_mV")
    current_2d, was_1d = _as_current(I_nA, "I_nA")
    n_steps = current_2d.shape[1]
    if was_1d:
        if not 0 <= inject_at < n_compartments:
            raise ValueError(f"inject_at must be in [0, {n_compartments - 1}], got {inject_at}")
    else:
        if current_2d.shape[0] != n_compartments:
            raise ValueError(
                f"a 2-D I_nA must have one row per compartment ({n_compartments}), "
                f"got shape {current_2d.shape}"
            )
        if inject_at != 0:
            raise ValueError("inject_at applies to a 1-D I_nA only; a 2-D I_nA gives every compartment its own row")

    # Units: um -> cm, then uS (conductance), nF (capacitance), nA, mV, ms: nA = uS * mV
    # and nF * mV/ms = nA.
    dx_cm = length_um * 1e-4 / n_compartments
    diameter_cm = diameter_um * 1e-4
    area_cm2 = math.pi * diameter_cm * dx_cm
    g_leak_uS = area_cm2 / r_m_ohm_cm2 * 1e6
    capacitance_nF = c_m_uF_per_cm2 * area_cm2 * 1e3
    g_axial_uS = math.pi * diameter_cm**2 / (4.0 * r_a_ohm_cm * dx_cm) * 1e6

    neighbours = np.full(n_compartments, 2.0)
    neighbours[[0, -1]] = 1.0
    if n_compartments == 1:
        neighbours[:] = 0.0
    off_diagonal = np.full(n_compartments - 1, -g_axial_uS)
    system = diags(
        [off_diagonal, capacitance_nF / dt_ms + g_leak_uS + g_axial_uS * neighbours, off_diagonal],
        [-1, 0, 1],
        format="csc",
    )
    solve = splu(system).solve

    v = np.full(n_compartments, e_rest_mV)
    traces = _time_major_traces(("v",), n_steps, n_compartments)
    for k, i_k in _input_columns(current_2d):
        traces["v"][k] = v
        rhs = capacitance_nF / dt_ms * v + g_leak_uS * e_rest_mV
        if was_1d:
            rhs[inject_at] += i_k[0]
        else:
            rhs += i_k
        v = solve(rhs)
    x_um = (np.arange(n_compartments) + 0.5) * (length_um / n_compartments)
    # A cable is one neuron whose compartments play the role of rows: v is always 2-D.
    return _finish(
        dt_ms, n_steps, False, traces, SpikeRecorder(n_compartments), extra_state={"x_um": x_um}
    )
