"""A sound-localisation task: spikes phase-locked to a tone, classified by interaural phase difference.

A pure tone reaches the two ears with a phase difference (the IPD) that depends on
where the sound comes from; mammals use it to locate low-frequency sounds (Jeffress
1948; McAlpine, Jiang & Palmer 2001). Auditory nerve fibres fire phase-locked to the
tone: their firing probability rises and falls once per cycle.

The generator draws an IPD uniformly in :math:`[-\\pi/2, \\pi/2]` for each sample and
makes ``n_per_ear`` Poisson neurons per ear. Neuron ``j`` of ear ``e`` fires with rate

.. math:: r_{ej}(t) = r_{\\max}\\, \\frac{1 + \\sin(2\\pi f t + \\theta_0 + \\psi_j + \\delta_e)}{2},

where :math:`\\theta_0` is a random starting phase (so only the phase *difference*
between the ears carries information), :math:`\\psi_j = \\frac{j}{n - 1}\\frac{\\pi}{2}`
spreads the neurons' preferred phases over a quarter cycle, and :math:`\\delta_e` is 0
for the left ear and the IPD for the right one. In each time step a neuron spikes with
probability :math:`r\\,\\Delta t`. The target is the IPD's bin among ``n_bins`` equal bins.
"""

from __future__ import annotations

import numpy as np

from neuro4ml.validation import as_generator, positive_number
from neuro4ml.data.spike_data import SpikeDataset, positive_integers

__all__ = ["IPD_RANGE_RAD", "ipd_bin_centres_rad", "sound_localisation"]

#: The range of interaural phase differences, in radians.
IPD_RANGE_RAD = (-np.pi / 2, np.pi / 2)


def ipd_bin_centres_rad(n_bins: int) -> np.ndarray:
    """Centres of the ``n_bins`` equal IPD bins over :data:`IPD_RANGE_RAD`, in radians."""
    low, high = IPD_RANGE_RAD
    edges = np.linspace(low, high, n_bins + 1)
    return (edges[:-1] + edges[1:]) / 2


def sound_localisation(
    n_samples: int = 1000,
    *,
    n_bins: int = 12,
    n_per_ear: int = 50,
    tone_hz: float = 50.0,
    max_rate_hz: float = 400.0,
    duration_ms: float = 100.0,
    dt_ms: float = 1.0,
    seed: int = 0,
) -> SpikeDataset:
    """Phase-locked spike trains of both ears for random IPDs (see the module docstring).

    Parameters
    ----------
    n_samples : int
        Number of samples.
    n_bins : int
        Number of IPD classes (equal bins over ``[-pi/2, pi/2]``).
    n_per_ear : int
        Neurons per ear; units ``0 .. n_per_ear - 1`` are the left ear, the rest the right.
    tone_hz, max_rate_hz : float
        Tone frequency and peak firing rate (Hz); ``max_rate_hz * dt_ms / 1000`` must be <= 1.
    duration_ms, dt_ms : float
        Length of a sample and time step, in ms.
    seed : int
        Seed of the IPDs, starting phases and spikes.

    Returns
    -------
    SpikeDataset
        ``x`` ``(n_samples, time, 2 * n_per_ear)`` of 0/1 spikes, ``y`` the IPD bin;
        ``info["ipd_rad"]`` holds each sample's IPD.
    """
    tone_hz = positive_number(tone_hz, "tone_hz")
    dt_ms = positive_number(dt_ms, "dt_ms")
    duration_ms = positive_number(duration_ms, "duration_ms")
    probability = positive_number(max_rate_hz, "max_rate_hz") * dt_ms / 1000.0
    if probability > 1:
        raise ValueError(f"max_rate_hz * dt_ms / 1000 must be at most 1 (one spike per step), got {probability:g}")
    positive_integers(n_samples=n_samples, n_bins=n_bins, n_per_ear=n_per_ear)
    rng = as_generator(seed)
    n_steps = round(duration_ms / dt_ms)
    low, high = IPD_RANGE_RAD
    ipd = rng.uniform(low, high, n_samples)
    y = np.minimum(((ipd - low) / (high - low) * n_bins).astype(np.int64), n_bins - 1)
    start_phase = rng.uniform(0, 2 * np.pi, n_samples)
    t_s = np.arange(n_steps) * dt_ms / 1000.0
    preferred = np.linspace(0, np.pi / 2, n_per_ear) if n_per_ear > 1 else np.zeros(1)
    ear_shift = np.stack([np.zeros(n_samples), ipd], axis=1)  # (samples, 2)
    # phase[s, k, e, j] = 2 pi f t_k + theta0_s + psi_j + delta_{s,e}
    phase = (2 * np.pi * tone_hz * t_s)[None, :, None, None] + start_phase[:, None, None, None] \
        + preferred[None, None, None, :] + ear_shift[:, None, :, None]
    p = probability * (1 + np.sin(phase)) / 2
    x = (rng.random(p.shape) < p).astype(np.float32).reshape(n_samples, n_steps, 2 * n_per_ear)
    return SpikeDataset(x, y, float(dt_ms), int(n_bins), {"ipd_rad": ipd})
