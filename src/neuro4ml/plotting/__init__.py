"""Presentation: the course's figure style, plotting helpers, diagrams and interactive figures.

* :mod:`~neuro4ml.plotting.style` -- colours that colour-blind readers can tell apart, line styles;
* :mod:`~neuro4ml.plotting.figures` -- plotting helpers for the lecture pages;
* :mod:`~neuro4ml.plotting.interactive` -- offline sliders for the lecture pages;
* :mod:`~neuro4ml.plotting.morphology` -- neuron skeletons drawn as line segments.

Layer rule (enforced by import-linter): plotting may import every computational layer (models, data,
analysis, learning, hardware); none of them imports plotting.
"""
