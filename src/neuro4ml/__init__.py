"""neuro4ml: the library behind the course *Neuroscience for machine learners*.

The packages are layers, listed top to bottom; each imports only the layers below it, and packages on
one row do not import each other (``lint-imports`` checks the contracts in pyproject.toml):

=============================  ===================================================================
:mod:`~neuro4ml.course`        the outline, notebook generation, the website build, the command line
:mod:`~neuro4ml.check`,        answer checks for the weekly exercises (``from neuro4ml.check import w1``);
:mod:`~neuro4ml.competition`   the competitions' submission files and their scoring
``neuro4ml.tasks``             each week's cases, seeds, references and scorers (when it exists)
:mod:`~neuro4ml.plotting`      the figure style, plotting helpers, diagrams, interactive figures
:mod:`~neuro4ml.hardware`      neuromorphic chips (which run trained spiking networks) and energy budgets
:mod:`~neuro4ml.learning`      spiking networks trained with surrogate gradients and their lesions, the
                               perceptron, reinforcement learning
:mod:`~neuro4ml.analysis`      what neuroscientists compute from recordings: spike statistics, GLMs,
                               information, decoding, encoding models, connectome graphs
:mod:`~neuro4ml.data`          data sets: generators (which may simulate models) and loaders of real
                               recordings, forward models of recordings, morphologies
:mod:`~neuro4ml.models`        neurons, synapses, plasticity, rate models, networks, decision making
:mod:`~neuro4ml.validation`    checks of user input shared by every layer
=============================  ===================================================================

Only plotting, check and course import matplotlib; validation, models, data and analysis never import
PyTorch; and no module imports another module's private (``_underscored``) name (tests/test_layers.py).
"""

__version__ = "0.1.0"
