"""Presentation: the course's figure style, plotting helpers, diagrams and interactive figures.

* :mod:`~neuro4ml.plotting.style` -- colours that colour-blind readers can tell apart, line styles;
* :mod:`~neuro4ml.plotting.figures` -- plotting helpers for the lecture pages;
* :mod:`~neuro4ml.plotting.diagrams` -- schematics from general primitives (labelled boxes, arrows with
  excitatory or inhibitory heads, chains, timelines, layered and small graphs) and the course's schematics;
* :mod:`~neuro4ml.plotting.schematics` -- schematics of weeks 5 to 9 (unrolled spiking network, neuromorphic core,
  address events, drift diffusion, spike codes);
* :mod:`~neuro4ml.plotting.anatomy` -- pictures from real anatomical data (the cortical surface with its lobes
  and sections, neurons split into axon and dendrite);
* :mod:`~neuro4ml.plotting.interactive` -- offline sliders for the lecture pages;
* :mod:`~neuro4ml.plotting.morphology` -- neuron skeletons drawn as line segments.

Layer rule (enforced by import-linter): plotting may import every computational layer (models, data,
analysis, learning, hardware); none of them imports plotting.
"""
