r"""A ring attractor of LIF neurons that holds a bump of activity (head-direction cells).

Built with the simulator of :mod:`neuro4ml.models.networks.simulator`:
:func:`ring_attractor` builds the network, :func:`ring_angles_rad` gives the neurons'
preferred angles and :func:`ring_bump_angle_rad` decodes the bump's angle.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from neuro4ml.validation import (
    as_generator,
    finite_number,
    non_negative_number,
    positive_number,
    spike_trains,
    whole_number,
)
from neuro4ml.models.networks.simulator import Network
from neuro4ml.models.spikes import poisson_spike_train
from neuro4ml.models.synapses import Exponential

__all__ = ["ring_angles_rad", "ring_attractor", "ring_bump_angle_rad"]


def ring_angles_rad(n_neurons: int) -> np.ndarray:
    """Preferred angles of the neurons on the ring: ``2 pi i / n``, shape ``(n_neurons,)``."""
    n_neurons = whole_number(n_neurons, "n_neurons")
    return 2.0 * np.pi * np.arange(n_neurons) / n_neurons


def _ring_weights(angles_rad: np.ndarray, excitation: float, inhibition: float) -> np.ndarray:
    r""":math:`W_{ij} = (J_1 \cos(\theta_i - \theta_j) - J_0) / N`, without self-connections."""
    n = angles_rad.size
    weights = (excitation * np.cos(angles_rad[:, None] - angles_rad[None, :]) - inhibition) / n
    np.fill_diagonal(weights, 0.0)
    return weights


def ring_attractor(
    n_neurons: int = 128,
    *,
    cue_angle_rad: float = 0.0,
    cue_ms: float = 100.0,
    cue_rate_hz: float = 200.0,
    cue_width_rad: float = 0.5,
    cue_weight: float = 0.5,
    excitation: float = 10.0,
    inhibition: float = 6.0,
    i_ext: float = 0.9,
    tau_ms: float = 10.0,
    synapse_tau_ms: float = 20.0,
    refractory_ms: float = 5.0,
    rng: np.random.Generator | int | None = None,
) -> Network:
    r"""A ring of LIF neurons that holds a bump of activity: a head-direction network.

    Neuron :math:`i` of group ``"ring"`` prefers the angle
    :math:`\theta_i = 2\pi i / N` (:func:`ring_angles_rad`). The recurrent weights
    depend only on the difference of preferred angles,

    .. math:: W_{ij} = \frac{J_1 \cos(\theta_i - \theta_j) - J_0}{N},

    excitatory between neurons with similar angles and inhibitory between distant ones,
    the connectivity of the ring model of Ben-Yishai, Bar-Or & Sompolinsky (1995,
    "Theory of orientation tuning in visual cortex", PNAS 92:3844-3848). Such a
    network has a continuum of stable states, one localised bump of activity for each
    angle, and was proposed as the mechanism of head-direction cells, which keep
    signalling the animal's heading without any visual cue (Skaggs, Knierim,
    Kudrimoti & McNaughton 1995, "A model of the neural basis of the rat's sense of
    direction", NIPS 7; Zhang 1996, "Representation of spatial orientation by the
    intrinsic dynamics of the head-direction cell ensemble: a theory", J. Neurosci.
    16:2112-2126).

    The neurons get a constant input ``i_ext`` below the threshold, so the ring is
    silent until a **cue**: input ``"cue"`` has one Poisson neuron per ring neuron,
    firing for the first ``cue_ms`` at
    :math:`r_i = r_\text{cue}\, e^{(\cos(\theta_i - \theta_\text{cue}) - 1)/\sigma^2}`
    (:math:`\sigma` = ``cue_width_rad``). After the cue, the recurrent excitation keeps
    the cued neurons firing and the inhibition keeps the others silent: the bump
    persists at the cued angle (:func:`ring_bump_angle_rad` decodes it). All synapses
    are current-based and exponential (``synapse_tau_ms``; slow synapses make the
    bump smooth and stable).

    Parameters
    ----------
    n_neurons : int
        Number of neurons :math:`N` on the ring.
    cue_angle_rad : float
        Angle of the cue :math:`\theta_\text{cue}` in radians.
    cue_ms, cue_rate_hz, cue_width_rad, cue_weight : float
        Duration (ms), peak rate (Hz), angular width (rad) and synaptic weight of the
        cue input.
    excitation, inhibition : float
        :math:`J_1` and :math:`J_0` of the recurrent weights.
    i_ext : float
        Constant input to every ring neuron (below the threshold 1).
    tau_ms, synapse_tau_ms, refractory_ms : float
        Membrane and synaptic time constants and refractory period, in ms.
    rng : numpy.random.Generator, int or None
        Seed of the cue's Poisson spikes.

    Returns
    -------
    Network
        Input ``"cue"`` and group ``"ring"`` (``n_neurons`` each), connections
        ``"cue"`` and ``"recurrent"``.
    """
    angles = ring_angles_rad(n_neurons)
    cue_angle_rad = finite_number(cue_angle_rad, "cue_angle_rad")
    cue_width_rad = positive_number(cue_width_rad, "cue_width_rad")
    cue_rate_hz = non_negative_number(cue_rate_hz, "cue_rate_hz")
    rates_hz = cue_rate_hz * np.exp((np.cos(angles - cue_angle_rad) - 1.0) / cue_width_rad**2)
    cue_trains = poisson_spike_train(rates_hz, positive_number(cue_ms, "cue_ms"), rng=as_generator(rng))
    synapse = Exponential(synapse_tau_ms)
    net = Network()
    net.add_input("cue", cue_trains)
    net.add_group("ring", n_neurons, tau_ms=tau_ms, i_ext=i_ext, refractory_ms=refractory_ms)
    net.connect("cue", "ring", cue_weight * np.eye(n_neurons), synapse=synapse, name="cue")
    net.connect(
        "ring", "ring",
        _ring_weights(angles, finite_number(excitation, "excitation"), finite_number(inhibition, "inhibition")),
        synapse=synapse, name="recurrent",
    )
    return net


def ring_bump_angle_rad(
    spike_times_ms: Sequence[np.ndarray],
    *,
    start_ms: float,
    stop_ms: float,
) -> float:
    r"""Angle of the activity bump on a ring, decoded by the population vector.

    Each neuron :math:`i` votes for its preferred angle :math:`\theta_i = 2\pi i/N`
    with its spike count :math:`n_i` in ``[start_ms, stop_ms)``:

    .. math:: \hat\theta = \arg \sum_i n_i\, e^{\mathrm{i}\theta_i}

    (the population vector of Georgopoulos, Schwartz & Kettner 1986, "Neuronal
    population coding of movement direction", Science 233:1416-1419).

    Parameters
    ----------
    spike_times_ms : list of 1-D arrays
        One spike train per ring neuron, in ring order (e.g.
        ``run.spike_times_ms["ring"]``).
    start_ms, stop_ms : float
        The counting window in ms.

    Returns
    -------
    float
        The angle in radians, in :math:`(-\pi, \pi]`; NaN when no neuron fired.
    """
    trains, single = spike_trains(spike_times_ms)
    if single:
        raise ValueError("spike_times_ms must hold one spike train per ring neuron")
    start_ms = finite_number(start_ms, "start_ms")
    stop_ms = finite_number(stop_ms, "stop_ms")
    if stop_ms <= start_ms:
        raise ValueError(f"stop_ms ({stop_ms}) must be after start_ms ({start_ms})")
    counts = np.array([np.count_nonzero((t >= start_ms) & (t < stop_ms)) for t in trains])
    if counts.sum() == 0:
        return math.nan
    vector = np.sum(counts * np.exp(1j * ring_angles_rad(len(trains))))
    return float(np.angle(vector))
