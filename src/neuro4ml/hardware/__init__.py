"""Hardware for neural computation: neuromorphic chips and energy budgets.

* :mod:`~neuro4ml.hardware.neuromorphic` -- chips as cores with limits, mapping networks onto them,
  event counts, energy, hardware-aware training and event cameras;
* :mod:`~neuro4ml.hardware.energy` -- energy budgets of brains and of machine-learning hardware.

Layer rule (enforced by import-linter): hardware may import :mod:`neuro4ml.learning`,
:mod:`neuro4ml.models`, :mod:`neuro4ml.data` and :mod:`neuro4ml.validation`.
"""
