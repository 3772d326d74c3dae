"""neuro4ml: the library behind the course *Neuroscience for machine learners*.

Modules are named for what they hold: :mod:`neuro4ml.neurons` (single-neuron
models), :mod:`neuro4ml.spikes` (spike trains and their distances),
:mod:`neuro4ml.synapses`, :mod:`neuro4ml.networks`, :mod:`neuro4ml.population`
(population codes and their decoders), :mod:`neuro4ml.reinforcement` (temporal-difference
learning), :mod:`neuro4ml.adversarial` (adversarial examples for linear classifiers),
:mod:`neuro4ml.energy` (energy budgets of brains and hardware),
:mod:`neuro4ml.neuromorphic` (neuromorphic chips, mapping, event counts, event cameras), :mod:`neuro4ml.perceptron`
(threshold units and the perceptron), :mod:`neuro4ml.vision` (toy simple and complex cells), :mod:`neuro4ml.circuits`
(balanced network, half-centre oscillator), :mod:`neuro4ml.expansion`
(random expansion and linear readout), :mod:`neuro4ml.encoding` (encoding models of neurons and
their noise ceiling),
:mod:`neuro4ml.figures` (plotting helpers for the lecture pages), :mod:`neuro4ml.datasets`
(generators and loaders), :mod:`neuro4ml.check` (answer checks for the weekly
exercises) and :mod:`neuro4ml.course` (the outline, notebook generation, the
website build and the command line).
"""

__version__ = "0.1.0"
