"""Networks of spiking neurons: the simulator and the course's network models.

* :mod:`neuro4ml.models.networks.simulator`: :class:`Network`, a clock-driven simulator of
  LIF neuron groups, spike inputs and synaptic connections, and its result
  :class:`NetworkRun`. Its docstring states the equations, the integration scheme,
  the time grid and the order of operations in a step.
* :mod:`neuro4ml.models.networks.compiled_loop`: the same time loop compiled with numba
  (``Network.run(..., backend="numba")``, the optional extra ``neuro4ml[fast]``); imported
  only when used.
* :mod:`neuro4ml.models.networks.order_sensitive`: two outputs that tell which of two inputs
  fires first (:func:`order_sensitive_network`, :func:`order_sensitive_counts`).
* :mod:`neuro4ml.models.networks.jeffress`: Jeffress's delay lines and coincidence detectors
  (:func:`jeffress_network` and its read-out).
* :mod:`neuro4ml.models.networks.ring_attractor`: a ring of neurons that holds a bump of
  activity, a model of head-direction cells (:func:`ring_attractor`).
* :mod:`neuro4ml.models.networks.delays`: a population of synaptic delay lines
  (:func:`delay_population`) and the delay-estimation task (:func:`delay_trials`,
  :func:`held_out_delay_trials`, :func:`score_delay_estimator`).

Every public name is importable from :mod:`neuro4ml.models.networks` itself.
"""

from neuro4ml.models.networks.delays import (
    HELD_OUT_TRIALS,
    POPULATION_DURATION_MS,
    POPULATION_TAU_MS,
    DelayTrial,
    delay_population,
    delay_trials,
    held_out_delay_trials,
    score_delay_estimator,
)
from neuro4ml.models.networks.jeffress import (
    jeffress_best_delays_ms,
    jeffress_decode_delay_ms,
    jeffress_estimate_delay_ms,
    jeffress_network,
)
from neuro4ml.models.networks.order_sensitive import order_sensitive_counts, order_sensitive_network
from neuro4ml.models.networks.ring_attractor import ring_angles_rad, ring_attractor, ring_bump_angle_rad
from neuro4ml.models.networks.simulator import Network, NetworkRun

__all__ = [
    "HELD_OUT_TRIALS",
    "POPULATION_DURATION_MS",
    "POPULATION_TAU_MS",
    "DelayTrial",
    "Network",
    "NetworkRun",
    "delay_population",
    "delay_trials",
    "held_out_delay_trials",
    "jeffress_best_delays_ms",
    "jeffress_decode_delay_ms",
    "jeffress_estimate_delay_ms",
    "jeffress_network",
    "order_sensitive_counts",
    "order_sensitive_network",
    "ring_angles_rad",
    "ring_attractor",
    "ring_bump_angle_rad",
    "score_delay_estimator",
]
