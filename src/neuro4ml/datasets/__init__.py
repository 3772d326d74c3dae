"""Data sets for the course: generators (made on the fly from a seed) and loaders
(real recordings shipped inside installed packages).

* :func:`load_fitting_data` -- week 1: an adaptive exponential neuron driven by
  random currents, to fit simpler models to (:mod:`neuro4ml.datasets.fitting`).
* :func:`load_grasshopper` -- grasshopper auditory receptor spikes and their sound
  envelope, from the ``nitime`` package (:mod:`neuro4ml.datasets.grasshopper`).
* :func:`load_cavanagh` -- week 7: choices and reaction times of Cavanagh et al.
  (2011), from the ``hssm`` package (:mod:`neuro4ml.datasets.reaction_times`).
"""

from neuro4ml.datasets.fitting import FittingData, load_fitting_data, ou_current_nA
from neuro4ml.datasets.grasshopper import (
    GrasshopperData,
    hilbert_envelope,
    load_grasshopper,
    lowpass_filter,
)
from neuro4ml.datasets.reaction_times import CONDITIONS, ReactionTimeData, cavanagh_path, load_cavanagh

__all__ = [
    "FittingData",
    "CONDITIONS",
    "GrasshopperData",
    "ReactionTimeData",
    "cavanagh_path",
    "hilbert_envelope",
    "load_cavanagh",
    "load_fitting_data",
    "load_grasshopper",
    "lowpass_filter",
    "ou_current_nA",
]
