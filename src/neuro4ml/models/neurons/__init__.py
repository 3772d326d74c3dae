"""Single-neuron models, from the leaky integrate-and-fire neuron to Hodgkin-Huxley.

Every model here takes an input current sampled on a regular time grid and returns a
:class:`NeuronRun`. The conventions are shared by all of them:

* **Input shape.** The current is either one trace shaped ``(time,)`` (one neuron) or
  a stack shaped ``(neurons, time)`` (one independent neuron per row). The models are
  vectorised over neurons: the Python loop runs over time steps only.
* **Time grid.** Sample ``k`` is at ``t_ms[k] = k * dt_ms``. The input ``I[..., k]`` is
  held constant over the step from ``t_ms[k]`` to ``t_ms[k] + dt_ms``.
* **Recorded values.** ``v[..., k]`` is the membrane variable at ``t_ms[k]``, that is
  *before* the update of step ``k`` (so ``v[..., 0]`` is the initial value). After a
  spike, the sample holds the reset value, so integrate-and-fire traces never show the
  spike itself: plot the spike times on top of the trace.
* **Spike times.** A spike detected at the end of step ``k`` is stamped
  ``(k + 1) * dt_ms``: the first sample time at which the model has already spiked
  (and, for the integrate-and-fire models, been reset).
* **Precision.** State variables are float64. Inputs in float32 or float64 are read
  without a full copy, one block of time steps at a time (see :func:`engine.input_columns`);
  other numeric inputs are converted to float64.

Which integration scheme each model uses, and why, is stated in its docstring: exact
integration where the equation is linear between spikes (the LIF family), exponential
midpoint steps for Hodgkin-Huxley, backward Euler for the passive cable, and forward
Euler where the equation has no closed form (the exponential and quadratic models).

The package, each module re-exported here (``from neuro4ml.models.neurons import lif``):

* :mod:`~neuro4ml.models.neurons.engine` -- the shared time-loop engine: the result type
  :class:`NeuronRun`, input checks, blocked reading of the input, :class:`SpikeRecorder`;
* :mod:`~neuro4ml.models.neurons.integrate_and_fire` -- leaky, perfect and adaptive integrate-and-fire
  neurons and the LIF firing-rate formula;
* :mod:`~neuro4ml.models.neurons.noise` -- :class:`ZigguratNormal`, the fast normal generator of the noisy LIF;
* :mod:`~neuro4ml.models.neurons.adex` -- the adaptive exponential integrate-and-fire neuron;
* :mod:`~neuro4ml.models.neurons.izhikevich` -- Izhikevich's (2003) model and its firing patterns;
* :mod:`~neuro4ml.models.neurons.hodgkin_huxley` -- the Hodgkin-Huxley model;
* :mod:`~neuro4ml.models.neurons.thresholds` -- the search for the Hodgkin-Huxley model's threshold currents;
* :mod:`~neuro4ml.models.neurons.cable` -- the passive cable.
"""

from neuro4ml.models.neurons.adex import ADEX_NAUD_2008, AdExParams, adex
from neuro4ml.models.neurons.cable import cable, cable_space_constant_um
from neuro4ml.models.neurons.engine import NeuronRun, SpikeRecorder
from neuro4ml.models.neurons.hodgkin_huxley import HHParams, hodgkin_huxley
from neuro4ml.models.neurons.integrate_and_fire import adaptive_lif, integrate_and_fire, lif, lif_firing_rate_hz
from neuro4ml.models.neurons.izhikevich import IZHIKEVICH_PATTERNS, izhikevich
from neuro4ml.models.neurons.noise import ZigguratNormal
from neuro4ml.models.neurons.thresholds import HHStepThresholds, hodgkin_huxley_step_thresholds

__all__ = [
    "ZigguratNormal",
    "ADEX_NAUD_2008",
    "IZHIKEVICH_PATTERNS",
    "AdExParams",
    "HHParams",
    "NeuronRun",
    "SpikeRecorder",
    "adaptive_lif",
    "adex",
    "cable",
    "cable_space_constant_um",
    "HHStepThresholds",
    "hodgkin_huxley",
    "hodgkin_huxley_step_thresholds",
    "integrate_and_fire",
    "izhikevich",
    "lif",
    "lif_firing_rate_hz",
]
