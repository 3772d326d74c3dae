"""neuro4ml: the library behind the course *Neuroscience for machine learners*.

The packages are layers; each imports only the layers below it (import-linter enforces it):

=====================  ===================================================================
:mod:`~neuro4ml.course`      the outline, notebook generation, the website build, the command line
:mod:`~neuro4ml.check`       answer checks for the weekly exercises (``from neuro4ml.check import w1``)
:mod:`~neuro4ml.competition` the competitions' submission files and their scoring
:mod:`~neuro4ml.plotting`    the figure style, plotting helpers, diagrams, interactive figures
:mod:`~neuro4ml.analysis`    what neuroscientists compute from recordings: spike statistics, GLMs,
                             information, decoding, encoding models, connectome graphs
:mod:`~neuro4ml.hardware`    neuromorphic chips and energy budgets
:mod:`~neuro4ml.learning`    spiking networks trained with surrogate gradients, the perceptron,
                             reinforcement learning
:mod:`~neuro4ml.data`        data sets: generators and loaders of real recordings, forward models
                             of recordings, morphologies
:mod:`~neuro4ml.models`      neurons, synapses, plasticity, rate models, networks, decision making
:mod:`~neuro4ml.validation`  checks of user input shared by every layer
=====================  ===================================================================
"""

__version__ = "0.1.0"
