r"""Energy budgets of brains and of machine-learning hardware, for back-of-envelope comparisons.

Published numbers are module constants with their sources; the functions turn powers
into energies and event rates into operations per joule. Powers are in watts, energies
in megawatt-hours (MWh), rates in Hz. The comparisons are deliberately rough: a
synaptic event and a floating-point operation are not the same operation.

The energy of one layer of a network, computed densely or driven by spikes, is in
picojoules (pJ) per operation and per layer pass; :data:`HOROWITZ_45NM_PJ` gives
published per-operation costs to use with :func:`dense_layer_energy_pj` and
:func:`event_driven_layer_energy_pj`. Per-chip event costs and event counts of a real
network are in :mod:`neuro4ml.hardware.neuromorphic`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from neuro4ml.validation import non_negative_number, positive_number, whole_number

__all__ = [
    "BRAIN_POWER_W",
    "GPT3_TRAINING_MWH",
    "H100_SXM_POWER_W",
    "HOROWITZ_45NM_PJ",
    "HOURS_PER_YEAR",
    "OperationsPerJoule",
    "dense_layer_energy_pj",
    "energy_mwh",
    "event_driven_layer_energy_pj",
    "gpu_flop_per_joule",
    "synaptic_events_per_joule",
]

#: Hours in a Julian year (365.25 days).
HOURS_PER_YEAR = 365.25 * 24
#: Power of the adult human brain at rest, about 20 % of the body's ~100 W (Raichle &
#: Gusnard 2002, "Appraising the brain's energy budget", PNAS 99:10237-10239).
BRAIN_POWER_W = 20.0
#: Maximal rated power of one NVIDIA H100 GPU in its SXM form factor (NVIDIA 2022,
#: H100 Tensor Core GPU datasheet).
H100_SXM_POWER_W = 700.0
#: Electricity used to train GPT-3, 1,287 MWh (Patterson et al. 2021, "Carbon emissions
#: and large neural network training", arXiv:2104.10350).
GPT3_TRAINING_MWH = 1287.0
#: Energy per operation in pJ in a 45 nm process at 0.9 V, as (low, high) estimates
#: (equal where one value is published), from Horowitz 2014, "Computing's energy
#: problem (and what we can do about it)", ISSCC Digest of Technical Papers, 10-14.
#: Arithmetic is on operands of the stated number of bits; memory reads are of one
#: 64-bit word (half of it for a 32-bit word, as tabulated by Han et al. 2015).
HOROWITZ_45NM_PJ: dict[str, tuple[float, float]] = {
    "int add 8": (0.03, 0.03),
    "int add 32": (0.1, 0.1),
    "int mult 8": (0.2, 0.2),
    "int mult 32": (3.1, 3.1),
    "float add 16": (0.4, 0.4),
    "float add 32": (0.9, 0.9),
    "float mult 16": (1.1, 1.1),
    "float mult 32": (3.7, 3.7),
    "cache read 8 KB": (10.0, 10.0),
    "cache read 32 KB": (20.0, 20.0),
    "cache read 1 MB": (100.0, 100.0),
    "DRAM read": (1300.0, 2600.0),
}


def energy_mwh(power_w: float, *, hours: float | None = None, years: float | None = None) -> float:
    r"""Energy in MWh used at a constant ``power_w`` over ``hours`` or ``years`` (give one).

    .. math:: E = P\,t, \qquad 1\ \text{MWh} = 10^6\ \text{W h}.
    """
    power_w = positive_number(power_w, "power_w")
    if (hours is None) == (years is None):
        raise ValueError("give exactly one of hours= or years=")
    duration_h = positive_number(hours, "hours") if hours is not None else (
        positive_number(years, "years") * HOURS_PER_YEAR)
    return power_w * duration_h / 1e6


class OperationsPerJoule(NamedTuple):
    """A range of operations per joule (low and high estimates)."""

    low: float
    high: float


def synaptic_events_per_joule(
    n_synapses: tuple[float, float] = (1e14, 1e15),
    mean_rate_hz: tuple[float, float] = (0.1, 1.0),
    power_w: float = BRAIN_POWER_W,
) -> OperationsPerJoule:
    r"""Synaptic events per joule for ranges of synapse counts and mean firing rates.

    .. math:: \frac{N_\text{syn}\, \bar r}{P}

    Each spike arriving at a synapse counts as one event. The defaults are
    order-of-magnitude ranges for the human brain: :math:`10^{14}` to :math:`10^{15}`
    synapses and mean rates of 0.1 to 1 Hz (low mean rates: Lennie 2003, "The cost of
    cortical computation", Curr. Biol. 13:493-497).
    """
    lo = [positive_number(x, "n_synapses") for x in n_synapses]
    rates = [positive_number(x, "mean_rate_hz") for x in mean_rate_hz]
    power_w = positive_number(power_w, "power_w")
    return OperationsPerJoule(lo[0] * rates[0] / power_w, lo[1] * rates[1] / power_w)


def gpu_flop_per_joule(
    peak_flops: float = 1e15,
    power_w: float = H100_SXM_POWER_W,
    utilisation: tuple[float, float] = (0.3, 1.0),
) -> OperationsPerJoule:
    r"""Floating-point operations per joule of a GPU at a range of utilisations.

    .. math:: \frac{u\, F_\text{peak}}{P}

    The default peak is the order of magnitude of dense 16-bit throughput of a current
    data-centre GPU; utilisation from 30 % to 100 % of peak.
    """
    peak_flops = positive_number(peak_flops, "peak_flops")
    power_w = positive_number(power_w, "power_w")
    u = [positive_number(x, "utilisation") for x in utilisation]
    if np.any(np.array(u) > 1):
        raise ValueError(f"utilisation must be in (0, 1], got {utilisation}")
    return OperationsPerJoule(u[0] * peak_flops / power_w, u[1] * peak_flops / power_w)


def dense_layer_energy_pj(n_in: int, n_out: int, *, mac_pj: float, weight_read_pj: float,
                          batch_size: int = 1) -> float:
    r"""Energy in pJ per input of one dense pass through an ``n_in`` by ``n_out`` layer.

    Every weight is used in one multiply-accumulate (MAC) per input, and each weight
    read from memory is shared by the ``batch_size`` inputs of a batch:

    .. math:: E_\text{dense} = N_\text{in} N_\text{out} \left(e_\text{MAC} + \frac{e_\text{read}}{B}\right).

    The cost of reading inputs and writing outputs, and static power, are left out
    (they are small next to the weights when both layers are large). Typical costs are in
    :data:`HOROWITZ_45NM_PJ`; the model follows Horowitz (2014) and Sze et al. (2017).
    """
    n_in = whole_number(n_in, "n_in")
    n_out = whole_number(n_out, "n_out")
    mac_pj = non_negative_number(mac_pj, "mac_pj")
    weight_read_pj = non_negative_number(weight_read_pj, "weight_read_pj")
    batch_size = whole_number(batch_size, "batch_size")
    return n_in * n_out * (mac_pj + weight_read_pj / batch_size)


def event_driven_layer_energy_pj(n_in: int, n_out: int, activity: float | np.ndarray, *,
                                 add_pj: float, weight_read_pj: float, event_pj: float = 0.0,
                                 n_steps: int = 1, state_access_pj: float = 0.0) -> float | np.ndarray:
    r"""Expected energy in pJ of an event-driven ``n_in`` by ``n_out`` layer over ``n_steps`` steps.

    Inputs are binary spikes and a fraction ``activity`` of them spikes in each time
    step. Each spike costs ``event_pj`` to receive and route, and is then delivered to all
    ``n_out`` targets. Each delivery reads one weight and adds it (no multiply, since the
    input is 0 or 1) to the target's state, which is held in memory and must be read
    and written back, at ``state_access_pj`` per access (a read-modify-write):

    .. math:: E_\text{event} = T\, p\, N_\text{in} \bigl(e_\text{event}
              + N_\text{out} (e_\text{add} + e_\text{read} + 2\, e_\text{state})\bigr).

    A dense layer (:func:`dense_layer_energy_pj`) instead accumulates each output in a
    register over all its inputs, so it has no such term. ``state_access_pj`` defaults to
    0 (the state in registers too), which is optimistic for a scattered, event-driven
    update. Neuron updates at every step and static power are left out; per-chip costs
    that include them are in :mod:`neuro4ml.hardware.neuromorphic`. ``activity`` may be an array
    (one energy per value).
    """
    n_in = whole_number(n_in, "n_in")
    n_out = whole_number(n_out, "n_out")
    p = np.asarray(activity, dtype=float)
    if not np.all(np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise ValueError(f"activity must be a fraction in [0, 1], got {activity!r}")
    add_pj = non_negative_number(add_pj, "add_pj")
    weight_read_pj = non_negative_number(weight_read_pj, "weight_read_pj")
    event_pj = non_negative_number(event_pj, "event_pj")
    n_steps = whole_number(n_steps, "n_steps")
    state_access_pj = non_negative_number(state_access_pj, "state_access_pj")
    energy = n_steps * p * n_in * (event_pj + n_out * (add_pj + weight_read_pj + 2 * state_access_pj))
    return float(energy) if energy.ndim == 0 else energy
