"""Data sets for the course: generators (made on the fly from a seed) and loaders
(real recordings shipped inside installed packages).

* :func:`load_fitting_data` -- week 1: an adaptive exponential neuron driven by
  random currents, to fit simpler models to (:mod:`neuro4ml.data.fitting`).
* :func:`load_grasshopper` -- grasshopper auditory receptor spikes and their sound
  envelope, from the ``nitime`` package (:mod:`neuro4ml.data.grasshopper`).
* :func:`load_cavanagh` -- week 7: choices and reaction times of Cavanagh et al.
  (2011), from the ``hssm`` package (:mod:`neuro4ml.data.reaction_times`).
* :func:`randman`, :func:`sound_localisation` -- week 5: spiking classification tasks
  generated from a seed; :func:`load_shd` -- a loader for the Spiking Heidelberg
  Digits files. All three return a :class:`SpikeDataset` shaped ``(samples, time, units)``.
* :func:`load_sound_network` -- week 6: the trained week 5 sound-localisation network,
  shipped with the library (:mod:`neuro4ml.learning.trained`; loading needs PyTorch).
"""

from neuro4ml.data.fitting import FittingData, load_fitting_data, ou_current_nA
from neuro4ml.data.grasshopper import (
    GrasshopperData,
    hilbert_envelope,
    load_grasshopper,
    lowpass_filter,
)
from neuro4ml.data.reaction_times import CONDITIONS, ReactionTimeData, cavanagh_path, load_cavanagh
from neuro4ml.data.randman import randman
from neuro4ml.data.shd import load_shd
from neuro4ml.data.sound_localisation import ipd_bin_centres_rad, sound_localisation
from neuro4ml.data.spike_data import SpikeDataset, bin_spikes
from neuro4ml.learning.trained import TrainedNetwork, load_sound_network

__all__ = [
    "SpikeDataset",
    "bin_spikes",
    "ipd_bin_centres_rad",
    "load_shd",
    "load_sound_network",
    "TrainedNetwork",
    "randman",
    "sound_localisation",
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
