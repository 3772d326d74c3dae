"""neuro4ml: the library behind the course *Neuroscience for machine learners*.

Modules are named for what they hold: :mod:`neuro4ml.models.neurons` (single-neuron
models), :mod:`neuro4ml.models.spikes` (spike trains and their distances),
:mod:`neuro4ml.models.synapses`, :mod:`neuro4ml.models.networks`, :mod:`neuro4ml.analysis.population`
(population codes and their decoders), :mod:`neuro4ml.learning.reinforcement` (temporal-difference
learning), :mod:`neuro4ml.learning.adversarial` (adversarial examples for linear classifiers),
:mod:`neuro4ml.hardware.energy` (energy budgets of brains and hardware),
:mod:`neuro4ml.hardware.neuromorphic` (neuromorphic chips, mapping, event counts, event cameras), :mod:`neuro4ml.learning.perceptron`
(threshold units and the perceptron), :mod:`neuro4ml.models.vision` (toy simple and complex cells), :mod:`neuro4ml.models.circuits`
(balanced network, half-centre oscillator), :mod:`neuro4ml.learning.expansion`
(random expansion and linear readout), :mod:`neuro4ml.analysis.encoding` (encoding models of neurons and
their noise ceiling),
:mod:`neuro4ml.plotting.figures` (plotting helpers for the lecture pages), :mod:`neuro4ml.data`
(generators and loaders), :mod:`neuro4ml.check` (answer checks for the weekly
exercises) and :mod:`neuro4ml.course` (the outline, notebook generation, the
website build and the command line).
"""

__version__ = "0.1.0"
