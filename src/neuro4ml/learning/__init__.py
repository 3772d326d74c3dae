"""Learning machines: trained spiking networks, the perceptron, TD learning, expansion, adversarial examples.

* :mod:`~neuro4ml.learning.snn` -- spiking neural networks in PyTorch, trained with surrogate gradients;
* :mod:`~neuro4ml.learning.trained` -- trained networks shipped with the library;
* :mod:`~neuro4ml.learning.lesions` -- recording and silencing the hidden units of a trained network;
* :mod:`~neuro4ml.learning.perceptron`, :mod:`~neuro4ml.learning.reinforcement`,
  :mod:`~neuro4ml.learning.expansion`, :mod:`~neuro4ml.learning.adversarial`.

Layer rule (enforced by import-linter): learning may import :mod:`neuro4ml.models`,
:mod:`neuro4ml.data` and :mod:`neuro4ml.validation`; nothing below imports it.
"""
