"""Data sets for the course: generators (made on the fly from a seed) and loaders of real
recordings, either shipped with the library as small compressed arrays (read with numpy
alone) or read from an installed package; and forward models of recordings.

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

Layer rule (enforced by import-linter): data imports only :mod:`neuro4ml.validation`
(and, where a generator runs a model, :mod:`neuro4ml.models`).
"""

from neuro4ml.data.fitting import FittingData, load_fitting_data, ou_current_nA
from neuro4ml.data.grasshopper import (
    GrasshopperData,
    hilbert_envelope,
    load_grasshopper,
    lowpass_filter,
)
from neuro4ml.data.reaction_times import CONDITIONS, ReactionTimeData, load_cavanagh
from neuro4ml.data.randman import randman
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
