"""Models of neural systems: the lowest layer of the library.

* :mod:`~neuro4ml.models.spikes` -- spike trains: generating them and converting between formats;
* :mod:`~neuro4ml.models.neurons`, :mod:`~neuro4ml.models.excitability` -- single neurons, from the
  leaky integrate-and-fire neuron to Hodgkin-Huxley, and their phase planes;
* :mod:`~neuro4ml.models.synapses` -- synaptic kernels, conductances, NMDA and short-term plasticity;
* :mod:`~neuro4ml.models.plasticity` -- learning rules: rate-based Hebbian rules and STDP;
* :mod:`~neuro4ml.models.rates` -- rate models (Wilson-Cowan, Hopfield);
* :mod:`~neuro4ml.models.networks` -- the spiking-network simulator and the course's network models;
* :mod:`~neuro4ml.models.circuits`, :mod:`~neuro4ml.models.vision` -- small circuits built on them;
* :mod:`~neuro4ml.models.decision` -- decision making: drift diffusion, SPRT, Wong-Wang, cue combination.

Layer rule (enforced by import-linter): a model imports only :mod:`neuro4ml.validation` and other
models, never data, analysis, learning, hardware, plotting or the course machinery above it.
"""
