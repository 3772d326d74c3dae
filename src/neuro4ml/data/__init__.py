"""Data sets for the course: generators, loaders of real recordings, forward models of recordings.

Generators make a data set on the fly from a seed; loaders read real recordings, either shipped
with the library as small compressed arrays (read with numpy alone) or from an installed package.

* :func:`load_fitting_data` -- week 1: an adaptive exponential neuron driven by
  random currents, to fit simpler models to (:mod:`neuro4ml.data.fitting`).
* :func:`load_grasshopper` -- grasshopper auditory receptor spikes and their sound
  envelope, from the ``nitime`` package (:mod:`neuro4ml.data.grasshopper`).
* :func:`load_cavanagh` -- week 7: choices and reaction times of Cavanagh et al.
  (2011), shipped with the library (:mod:`neuro4ml.data.reaction_times`).
* :mod:`neuro4ml.data.connectomes` -- week 3: *C. elegans* and human connectomes,
  shipped with the library.
* :mod:`neuro4ml.data.recording` -- what calcium imaging and fMRI see of neural activity;
  :mod:`neuro4ml.data.morphology` -- neuron morphologies.
* :func:`randman`, :func:`sound_localisation` -- week 5: spiking classification tasks
  generated from a seed; :func:`load_shd` -- a loader for the Spiking Heidelberg
  Digits files. All three return a :class:`SpikeDataset` shaped ``(samples, time, units)``.

Layer rule (enforced by import-linter): data sits just above :mod:`neuro4ml.models` and may import
it and :mod:`neuro4ml.validation`, never analysis, learning, hardware, plotting or the course
machinery. A generator may simulate a model to make ground truth (week 1's recordings are an
adaptive exponential neuron, :mod:`neuro4ml.data.fitting`), while a model never needs a data set.
"""

from neuro4ml.data.fitting import FittingData, load_fitting_data, ou_current_nA
from neuro4ml.data.grasshopper import (
    GrasshopperData,
    hilbert_envelope,
    load_grasshopper,
    lowpass_filter,
)
from neuro4ml.data.randman import randman
from neuro4ml.data.reaction_times import CONDITIONS, ReactionTimeData, load_cavanagh
from neuro4ml.data.shd import load_shd
from neuro4ml.data.sound_localisation import ipd_bin_centres_rad, sound_localisation
from neuro4ml.data.spike_data import SpikeDataset, bin_spikes

__all__ = [
    "SpikeDataset",
    "bin_spikes",
    "ipd_bin_centres_rad",
    "load_shd",
    "randman",
    "sound_localisation",
    "FittingData",
    "CONDITIONS",
    "GrasshopperData",
    "ReactionTimeData",
    "hilbert_envelope",
    "load_cavanagh",
    "load_fitting_data",
    "load_grasshopper",
    "lowpass_filter",
    "ou_current_nA",
]
