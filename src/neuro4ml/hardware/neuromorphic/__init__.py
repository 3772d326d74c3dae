"""Neuromorphic hardware: chips as cores with limits, mapping networks onto them, event counts and energy.

* :mod:`~neuro4ml.hardware.neuromorphic.chip` -- :class:`Chip`, :class:`CoreLimits`, the presets
  :data:`LOIHI` and :data:`TRUENORTH` with their published numbers, and
  :func:`map_network`, which places a network on a chip or raises :class:`MappingError`;
* :mod:`~neuro4ml.hardware.neuromorphic.counting` -- :func:`synaptic_operations`,
  :func:`count_events` and :func:`estimate_energy`;
* :mod:`~neuro4ml.hardware.neuromorphic.training` (needs PyTorch) -- weight quantisation with a
  straight-through estimator, activity and synapse regularisers, magnitude pruning;
* :mod:`~neuro4ml.hardware.neuromorphic.event_camera` -- a model of a dynamic vision sensor.
"""

from neuro4ml.hardware.neuromorphic.chip import (
    LOIHI,
    TEACHING_CHIP,
    TRUENORTH,
    Chip,
    CoreLimits,
    CoreUse,
    EventCosts,
    MappingError,
    Placement,
    Projection,
    feedforward,
    from_snn,
    map_network,
    precision_fits,
)
from neuro4ml.hardware.neuromorphic.counting import (
    EnergyEstimate,
    EventCounts,
    count_events,
    estimate_energy,
    fan_out,
    synaptic_operations,
)

__all__ = [
    "LOIHI",
    "TEACHING_CHIP",
    "TRUENORTH",
    "Chip",
    "CoreLimits",
    "CoreUse",
    "EnergyEstimate",
    "EventCosts",
    "EventCounts",
    "MappingError",
    "Placement",
    "Projection",
    "count_events",
    "estimate_energy",
    "fan_out",
    "feedforward",
    "from_snn",
    "map_network",
    "precision_fits",
    "synaptic_operations",
]
