r"""Counting the events a spiking network causes on a chip, and what they cost.

A digital neuromorphic chip spends energy on three kinds of event:

* a **synaptic operation**: one spike arriving at one synapse, whose weight is read
  from memory and added to the postsynaptic neuron's input;
* a **neuron update**: one neuron's state advanced by one time step;
* a **spike sent**: one packet from the core of the neuron that fired to one core that
  holds at least one of its targets (multicast: a core receives one packet per spike,
  however many of its neurons the spike reaches).

The energy estimate is the sum of the counts times the per-event costs of a chip,

.. math:: E = N_\text{syn}\, e_\text{syn} + N_\text{upd}\, e_\text{upd} + N_\text{spk}\, e_\text{spk},

the accounting used for Loihi by Davies et al. (2018). Spikes are arrays shaped
``(time, n)`` or ``(batch, time, n)`` holding spike counts per time bin (usually 0 or 1);
weights are ``(n_pre, n_post)`` and a zero weight is no synapse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from neuro4ml.hardware.neuromorphic.chip import Chip, Placement, as_weight_array

__all__ = [
    "EnergyEstimate",
    "EventCounts",
    "as_spike_array",
    "count_events",
    "estimate_energy",
    "fan_out",
    "synaptic_operations",
]


def as_spike_array(spikes: object, name: str = "spikes") -> np.ndarray:
    """``spikes`` as a float numpy array ``(batch, time, n)``; a ``(time, n)`` array gets a batch of one.

    Torch tensors are detached; values must be finite and >= 0 (spike counts).
    """
    if hasattr(spikes, "detach"):
        spikes = spikes.detach().cpu().numpy()
    try:
        array = np.asarray(spikes, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of spike counts shaped (time, n) or (batch, time, n), "
                        f"got {type(spikes).__name__}") from error
    if array.ndim == 2:
        array = array[None]
    if array.ndim != 3:
        raise ValueError(f"{name} must be shaped (time, n) or (batch, time, n), got shape {array.shape}")
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"{name} must hold finite spike counts >= 0")
    return array


def fan_out(weights: object) -> np.ndarray:
    """Number of non-zero outgoing weights of each presynaptic neuron, ``(n_pre,)`` integers."""
    return np.count_nonzero(as_weight_array(weights), axis=1)


def synaptic_operations(spikes: object, weights: object) -> int:
    r"""Number of synaptic operations caused by ``spikes`` through ``weights``.

    Every presynaptic spike is delivered to each of its non-zero outgoing synapses:

    .. math:: N_\text{syn} = \sum_{b,t,i} s_{b,t,i}\, \#\{j : w_{ij} \ne 0\}.

    Parameters
    ----------
    spikes : array, shape (time, n_pre) or (batch, time, n_pre)
        Spike counts (0/1 for one spike per bin at most).
    weights : array, shape (n_pre, n_post)
        Zero means no synapse.

    Returns
    -------
    int
        The total over batch and time.
    """
    s = as_spike_array(spikes)
    w = as_weight_array(weights)
    if s.shape[2] != w.shape[0]:
        raise ValueError(f"spikes have {s.shape[2]} presynaptic neurons but weights have {w.shape[0]} rows")
    return int(round(float(s.sum(axis=(0, 1)) @ fan_out(w))))


@dataclass(frozen=True, eq=False)
class EventCounts:
    """Events counted by :func:`count_events` over a whole run (all samples of the batch).

    Attributes
    ----------
    synaptic_ops, neuron_updates, spikes_sent : int
        Totals of each kind of event.
    core_synaptic_ops : np.ndarray, shape (batch, time, cores)
        Synaptic operations done by each used core at each time step.
    n_samples, n_steps : int
        Batch size and number of time steps.
    """

    synaptic_ops: int
    neuron_updates: int
    spikes_sent: int
    core_synaptic_ops: np.ndarray
    n_samples: int
    n_steps: int


def count_events(placement: Placement, spikes: Mapping[str, object]) -> EventCounts:
    """Count synaptic operations, neuron updates and spike packets of a run on a :class:`Placement`.

    Parameters
    ----------
    placement : Placement
        From :func:`~neuro4ml.hardware.neuromorphic.chip.map_network`.
    spikes : dict of str to array
        For every population that is the source of a projection (the input and the
        spiking layers), its spikes ``(time, n)`` or ``(batch, time, n)``; all with the
        same batch and time. A population that only receives (a readout) needs none.

    Every on-chip neuron is updated once per time step and sample (a time-stepped
    chip updates every neuron, spiking or not). A spike of neuron ``i`` is sent once to
    every core holding a non-zero target of ``i`` (input spikes too: they enter the
    chip as packets).
    """
    if not isinstance(placement, Placement):
        raise TypeError(f"placement must be a Placement from map_network, got {type(placement).__name__}")
    arrays = {name: as_spike_array(value, f"spikes[{name!r}]") for name, value in spikes.items()}
    sources = list(dict.fromkeys(p.source for p in placement.projections))
    missing = [s for s in sources if s not in arrays]
    if missing:
        raise ValueError(f"spikes are missing for the source populations {missing}")
    shapes = {a.shape[:2] for a in arrays.values()}
    if len(shapes) != 1:
        raise ValueError(f"all spike arrays must share (batch, time), got {sorted(shapes)}")
    n_samples, n_steps = shapes.pop()
    for name, a in arrays.items():
        if name in placement.sizes and a.shape[2] != placement.sizes[name]:
            raise ValueError(f"spikes[{name!r}] have {a.shape[2]} neurons, the population has {placement.sizes[name]}")
    n_cores = placement.n_cores_used
    core_ops = np.zeros((n_samples, n_steps, n_cores))
    spikes_sent = 0.0
    for source in sources:
        s = arrays[source]
        # destination cores of each presynaptic neuron, over all its projections
        reaches = np.zeros((placement.sizes[source], n_cores), dtype=bool)
        for p in placement.projections:
            if p.source != source:
                continue
            mask = p.weights != 0
            cores = placement.core_of[p.target]
            per_core = np.zeros((mask.shape[0], n_cores))
            np.add.at(per_core.T, cores, mask.T.astype(float))
            core_ops += s @ per_core
            reaches |= per_core > 0
        spikes_sent += float(s.sum(axis=(0, 1)) @ reaches.sum(axis=1))
    on_chip = sum(placement.sizes[t] for t in placement.core_of)
    return EventCounts(
        synaptic_ops=int(round(core_ops.sum())),
        neuron_updates=on_chip * n_samples * n_steps,
        spikes_sent=int(round(spikes_sent)),
        core_synaptic_ops=core_ops,
        n_samples=n_samples,
        n_steps=n_steps,
    )


@dataclass(frozen=True)
class EnergyEstimate:
    r"""Energy (and time) of a run, from :func:`estimate_energy`.

    Attributes
    ----------
    energy_j : dict of str to float
        Joules per kind of event: ``"synaptic_ops"``, ``"neuron_updates"``,
        ``"spikes_sent"``; a kind whose cost the chip does not publish is left out.
    not_counted : tuple of str
        The kinds left out.
    latency_s : float or None
        Time per sample if each core works through its synaptic operations one after
        the other and cores work in parallel: :math:`\sum_t \max_c N_{t,c}\, t_\text{syn}`,
        averaged over the batch (a lower bound: neuron updates and routing are not
        counted). None when the chip's time per operation is not published.
    """

    energy_j: dict
    not_counted: tuple
    latency_s: float | None

    @property
    def total_j(self) -> float:
        """Total energy in joules."""
        return float(sum(self.energy_j.values()))


def estimate_energy(counts: EventCounts, chip: Chip) -> EnergyEstimate:
    """Energy of ``counts`` with the per-event costs of ``chip`` (see the module docstring)."""
    if not isinstance(counts, EventCounts):
        raise TypeError(f"counts must be EventCounts from count_events, got {type(counts).__name__}")
    costs = chip.costs
    energy, missing = {}, []
    for kind, cost in (("synaptic_ops", costs.synaptic_op_pj), ("neuron_updates", costs.neuron_update_pj),
                       ("spikes_sent", costs.spike_pj)):
        if cost is None:
            missing.append(kind)
        else:
            energy[kind] = getattr(counts, kind) * cost * 1e-12
    latency = None
    if costs.synaptic_op_ns is not None and counts.n_samples > 0:
        busiest = counts.core_synaptic_ops.max(axis=2, initial=0.0)  # (batch, time)
        latency = float(busiest.sum(axis=1).mean()) * costs.synaptic_op_ns * 1e-9
    return EnergyEstimate(energy, tuple(missing), latency)
