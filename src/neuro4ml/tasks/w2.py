"""Week 2's tasks: synapses and networks.

* Part 1: :func:`euler_cases`, the spike trains a learner's Euler integrator runs on, and
  :func:`forward_euler`, the forward-Euler scheme for any matrix and jump, with which the
  known mistakes in the equations (a missing :math:`1/\\tau`, the new ``x`` used in the
  update of ``I``, the spike added to the wrong variable, ...) are computed exactly; the
  peak-delay grid (:func:`peak_delay_grid`, :func:`measured_peak_grid`).
* Part 3: :func:`ambiguity_width_ms`, the summary of a tuning curve, its cases
  (:func:`width_cases`) and :func:`sweep_reference`, the widths of the exercise's sweep
  over inhibitory time constants, computed with the library's network.

The delay-population and delay-estimator parts (1d and 4) live in
:mod:`neuro4ml.models.networks.delays`. Imports only :mod:`neuro4ml.models`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from neuro4ml.models.networks import Network
from neuro4ml.models.spikes import delayed_pair_trains
from neuro4ml.models.synapses import (
    Biexponential,
    Instantaneous,
    biexponential_euler,
    biexponential_peak_time_ms,
    biexponential_trace,
    synaptic_trace,
)

__all__ = [
    "EulerCase",
    "PEAK_DT_MS",
    "PEAK_DURATION_MS",
    "SWEEP_DELAYS_MS",
    "SWEEP_SEEDS",
    "SWEEP_TAUS_MS",
    "SWEEP_TOLERANCE_MS",
    "TAU_DECAY_VALUES_MS",
    "TAU_RISE_VALUES_MS",
    "ambiguity_width_ms",
    "euler_cases",
    "forward_euler",
    "measured_peak_grid",
    "peak_delay_grid",
    "slow_inhibition_network",
    "sweep_curve",
    "sweep_reference",
    "width_cases",
]

# ---------------------------------------------------------------------------
# Part 1: the biexponential synapse
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EulerCase:
    """One spike train on which the learner's Euler integrator is compared with the library's."""

    description: str
    spike_times_ms: tuple[float, ...]
    tau_rise_ms: float
    tau_decay_ms: float
    duration_ms: float
    dt_ms: float
    weight: float = 1.0

    @property
    def kwargs(self) -> dict[str, float]:
        """The case's time constants, duration, time step and weight, as keyword arguments."""
        return {
            "tau_rise_ms": self.tau_rise_ms,
            "tau_decay_ms": self.tau_decay_ms,
            "duration_ms": self.duration_ms,
            "dt_ms": self.dt_ms,
            "weight": self.weight,
        }

    @property
    def n_steps(self) -> int:
        """The number of samples, ``duration_ms / dt_ms`` rounded."""
        return int(round(self.duration_ms / self.dt_ms))

    def kicks(self) -> np.ndarray:
        """:math:`w\\, n_k`, the weight of the spikes arriving at each sample (the template's ``jumps``)."""
        return synaptic_trace(
            list(self.spike_times_ms), Instantaneous(), duration_ms=self.duration_ms, dt_ms=self.dt_ms,
            weight=self.weight,
        )

    def matrix(self) -> np.ndarray:
        """:math:`A` of :math:`\\dot{\\mathbf s} = A \\mathbf s` for :math:`\\mathbf s = (x, I)`, per ms."""
        return Biexponential(self.tau_rise_ms, self.tau_decay_ms).matrix()


def euler_cases() -> list[EulerCase]:
    """The spike trains of the Euler check, simplest first."""
    return [
        EulerCase("spikes at 0 and 20 ms, tau_rise = 2 ms, tau_decay = 10 ms, dt = 0.1 ms", (0.0, 20.0), 2.0, 10.0, 40.0, 0.1),
        EulerCase(
            "spikes at 2, 10 and 11 ms of weight 0.5, tau_rise = 1.5 ms, tau_decay = 8 ms, dt = 0.25 ms",
            (2.0, 10.0, 11.0), 1.5, 8.0, 40.0, 0.25, 0.5,
        ),
        EulerCase("equal time constants, 3 ms, one spike at 5 ms, dt = 0.05 ms", (5.0,), 3.0, 3.0, 30.0, 0.05),
    ]


def forward_euler(
    matrix: np.ndarray,
    kicks: np.ndarray,
    dt_ms: float,
    *,
    jump: Sequence[float] = (1.0, 0.0),
    semi_implicit: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Forward Euler for :math:`\dot{\mathbf s} = A\mathbf s` with jumps, :math:`\mathbf s = (x, I)`.

    .. math::
        \mathbf s_0 = \mathbf j\, n_0, \qquad
        \mathbf s_{k+1} = (1 + \Delta t\, A)\, \mathbf s_k + \mathbf j\, n_{k+1},

    with :math:`n_k` = ``kicks[k]``. With the library's :math:`A` and
    :math:`\mathbf j = (1, 0)` this is :func:`~neuro4ml.models.synapses.biexponential_euler`;
    the check feeds it other matrices and jumps to reproduce a learner's slip exactly.
    With ``semi_implicit`` the step is split: :math:`x` is advanced first and the
    update of :math:`I` uses the *new* :math:`x_{k+1}`,
    :math:`I_{k+1} = I_k + \Delta t\, (A_{10} x_{k+1} + A_{11} I_k)`.

    Returns ``(x, I)``, each of shape ``(len(kicks),)``.
    """
    step = np.eye(2) + dt_ms * matrix
    jump = np.asarray(jump, dtype=float)
    states = np.zeros((kicks.size, 2))
    states[0] = jump * kicks[0]
    with np.errstate(all="ignore"):  # a slip may make the scheme blow up, as the learner's did
        for k in range(kicks.size - 1):
            new = step @ states[k] + jump * kicks[k + 1]
            if semi_implicit:
                new[1] = states[k, 1] + dt_ms * (matrix[1, 0] * new[0] + matrix[1, 1] * states[k, 1])
            states[k + 1] = new
    return states[:, 0], states[:, 1]


#: Rise time constants of the peak-delay grid (rows), ms: 1, 2, ..., 9.
TAU_RISE_VALUES_MS = np.arange(1.0, 10.0)
#: Decay time constants of the peak-delay grid (columns), ms: 10, 20, ..., 100.
TAU_DECAY_VALUES_MS = np.arange(10.0, 101.0, 10.0)
#: The time step and the length of the runs with which the task measures the peak, ms.
PEAK_DT_MS = 0.05
PEAK_DURATION_MS = 40.0

def peak_delay_grid() -> np.ndarray:
    """:math:`t^*` from :func:`~neuro4ml.models.synapses.biexponential_peak_time_ms` on the grid, shape (rise, decay)."""
    return np.array([[biexponential_peak_time_ms(r, d) for d in TAU_DECAY_VALUES_MS] for r in TAU_RISE_VALUES_MS])


@functools.lru_cache(maxsize=16)
def measured_peak_grid(dt_ms: float, exact: bool = False) -> np.ndarray:
    """The time of the largest sample of :math:`I` after one spike, on the grid, shape (rise, decay).

    Measured on :func:`~neuro4ml.models.synapses.biexponential_euler` (the task) or, with
    ``exact``, on the exact samples of :func:`~neuro4ml.models.synapses.biexponential_trace`,
    over :data:`PEAK_DURATION_MS` with step ``dt_ms``.
    """
    simulate = biexponential_trace if exact else biexponential_euler
    grid = np.array([
        [
            np.argmax(simulate([0.0], tau_rise_ms=r, tau_decay_ms=d, duration_ms=PEAK_DURATION_MS, dt_ms=dt_ms)[1])
            for d in TAU_DECAY_VALUES_MS
        ]
        for r in TAU_RISE_VALUES_MS
    ]) * dt_ms
    grid.setflags(write=False)
    return grid



# ---------------------------------------------------------------------------
# Part 3: slow inhibition and the width of the ambiguous zone
# ---------------------------------------------------------------------------


def ambiguity_width_ms(delays_ms: np.ndarray, counts: np.ndarray) -> float:
    r"""The width of the range of delays over which the network cannot tell the order.

    With :math:`n_0, n_1` the outputs' counts at delay :math:`\delta_j` (spaced
    :math:`\Delta\delta` apart), the preference
    :math:`P_j = (n_0 - n_1) / (n_0 + n_1)` (0 when both are 0) is :math:`\pm 1`
    where the network picks one order and near 0 where it cannot decide, and

    .. math:: W = \Delta\delta \sum_j \left(1 - |P_j|\right).

    A perfect order detector has :math:`W = \Delta\delta` (only :math:`\delta = 0`
    is ambiguous); a network that cannot tell the order at all has :math:`W` equal to
    the whole range of delays plus one spacing.
    """
    total = counts[:, 0] + counts[:, 1]
    preference = np.divide(counts[:, 0] - counts[:, 1], total, out=np.zeros(total.shape), where=total > 0)
    return float((delays_ms[1] - delays_ms[0]) * np.sum(1.0 - np.abs(preference)))


def width_cases() -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Tuning curves on which the learner's ``ambiguity_width_ms`` is compared with the reference."""
    sharp = np.arange(-4.0, 5.0)
    graded = np.arange(-10.0, 11.0, 2.0)
    return [
        (
            "a perfect order detector, delays -4 to 4 ms",
            sharp,
            np.array([[0, 50]] * 4 + [[25, 25]] + [[50, 0]] * 4),
        ),
        (
            "a graded curve, delays -10 to 10 ms in steps of 2 ms, silent at -2 ms",
            graded,
            np.array([[5, 40], [3, 42], [8, 40], [20, 30], [0, 0], [24, 24], [30, 18], [36, 10], [45, 6], [44, 2], [47, 5]]),
        ),
    ]


#: The inhibitory time constants of the exercise's sweep, ms.
SWEEP_TAUS_MS = (1.0, 3.0, 10.0, 30.0)
#: The delays of the exercise's sweep, ms: -10 to 10 in steps of 1.
SWEEP_DELAYS_MS = tuple(np.arange(-10.0, 10.5, 1.0))
#: Seeds whose counts are summed in each tuning curve.
SWEEP_SEEDS = (0, 1, 2)
#: The excitatory weight, membrane time constant and inhibition of Part 2's network.
_WEIGHT, _TAU_M_MS, _INHIBITION = 1.5, 10.0, 3.0


def slow_inhibition_network(input_spike_times_ms, tau_ms: float, *, normalise: bool = False) -> Network:
    """Part 2's order-sensitive network with a biexponential inhibitory synapse of time constant ``tau_ms``.

    The inhibitory synapse is ``Biexponential(tau_ms / 2, tau_ms)``; its strength is
    :math:`h\\,\\tau_m / (\\tau/2)` with :math:`h = 3`, :math:`\\tau_m` = 10 ms, so that it
    delivers the same charge as the instantaneous inhibition of weight :math:`h` (with the
    default normalisation, where the weight is the jump of :math:`x`); ``normalise=True``
    gives the peak-normalised synapse instead, a known mistake.
    """
    net = Network()
    net.add_input("input", input_spike_times_ms)
    net.add_group("output", 2, tau_ms=_TAU_M_MS)
    net.connect("input", "output", _WEIGHT * np.eye(2), name="excitation")
    synapse = Biexponential(tau_rise_ms=tau_ms / 2, tau_decay_ms=tau_ms, normalise=normalise)
    strength = _INHIBITION * _TAU_M_MS / (tau_ms / 2)
    net.connect("output", "output", -strength * (1 - np.eye(2)), synapse=synapse, name="inhibition")
    return net


def sweep_curve(tau_ms: float, *, seeds: Sequence[int] = (0, 1, 2), normalise: bool = False,
                rate_hz: float = 100.0, duration_ms: float = 500.0, dt_ms: float = 0.1) -> np.ndarray:
    """The tuning curve of :func:`slow_inhibition_network` over :data:`SWEEP_DELAYS_MS`, counts summed over ``seeds``.

    Returns an int array of shape (delays, 2): the two outputs' spike counts at each delay.
    """
    counts = np.zeros((len(SWEEP_DELAYS_MS), 2), dtype=np.int64)
    for seed in seeds:
        for j, delay in enumerate(SWEEP_DELAYS_MS):
            pair = delayed_pair_trains(rate_hz, duration_ms, delay, rng=seed)
            run = slow_inhibition_network(pair, tau_ms, normalise=normalise).run(duration_ms, dt_ms=dt_ms)
            counts[j] += run.spike_counts("output")
    return counts


@functools.lru_cache(maxsize=2)
def sweep_reference(normalise: bool = False) -> tuple[np.ndarray, int]:
    """The ambiguity widths (ms) of the exercise's sweep, one per :data:`SWEEP_TAUS_MS`, and its total spike count.

    Each width is :func:`ambiguity_width_ms` of :func:`sweep_curve` (seeds
    :data:`SWEEP_SEEDS` summed, 100 Hz for 500 ms, dt = 0.1 ms). About 250 network runs:
    20-60 s on one core, computed once per session. When measured for this module the
    widths were 1.866, 3.322, 9.004 and 15.899 ms (12333 spikes), and 4.785, 6.689, 7.391
    and 10.257 ms with the peak-normalised synapse.
    """
    delays = np.array(SWEEP_DELAYS_MS)
    curves = [sweep_curve(tau, seeds=SWEEP_SEEDS, normalise=normalise) for tau in SWEEP_TAUS_MS]
    widths = np.array([ambiguity_width_ms(delays, c) for c in curves])
    widths.setflags(write=False)
    return widths, int(sum(int(c.sum()) for c in curves))


#: A width passes within this of the reference, ms. The curves are deterministic (fixed
#: seeds), so a right answer matches to rounding; each single seed's widths differ from
#: the sum's by 0.87 ms or more somewhere, the normalised synapse's by 2 ms or more.
SWEEP_TOLERANCE_MS = 0.5


