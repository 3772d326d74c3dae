r"""Energy budgets of brains and of machine-learning hardware, for back-of-envelope comparisons.

Published numbers are module constants with their sources; the functions turn powers
into energies and event rates into operations per joule. Powers are in watts, energies
in megawatt-hours (MWh), rates in Hz. The comparisons are deliberately rough: a
synaptic event and a floating-point operation are not the same operation.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from neuro4ml._validation import positive_number

__all__ = [
    "BRAIN_POWER_W",
    "GPT3_TRAINING_MWH",
    "H100_SXM_POWER_W",
    "HOURS_PER_YEAR",
    "OperationsPerJoule",
    "energy_mwh",
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
