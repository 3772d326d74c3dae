"""Week 5's tasks: the random-manifold and sound-localisation data sets, their held-out sets and pass marks.

The exercise trains spiking networks with surrogate gradients (Zenke & Ganguli 2018;
Neftci, Mostafa & Zenke 2019) on Zenke & Vogels' (2021) random manifolds
(:func:`neuro4ml.data.randman`) and on a sound-localisation task
(:func:`neuro4ml.data.sound_localisation`). A trained network is judged on samples drawn
from :data:`HELD_OUT_SEED`, which the notebook never draws. Week 8's competition
(:mod:`neuro4ml.tasks.w8`) uses the same manifolds.
"""

from __future__ import annotations

__all__ = [
    "HELD_OUT_SEED",
    "N_HELD_OUT",
    "RANDMAN_PASS_ACCURACY",
    "RANDMAN_TASK",
    "SOUND_PASS_ACCURACY",
    "SOUND_TASK",
    "randman_held_out",
    "sound_held_out",
]

#: The randman task of the exercise (keyword arguments of :func:`neuro4ml.data.randman`).
RANDMAN_TASK = {"n_classes": 10, "n_units": 20, "n_steps": 50, "dt_ms": 1.0, "seed": 0}
#: The sound-localisation task of the exercise (keyword arguments of :func:`neuro4ml.data.sound_localisation`).
SOUND_TASK = {"n_bins": 12, "n_per_ear": 50, "duration_ms": 100.0, "dt_ms": 1.0}
#: Held-out accuracies a trained network must reach (fractions). Chance is 1/10 and 1/12.
RANDMAN_PASS_ACCURACY = 0.6
SOUND_PASS_ACCURACY = 0.4
#: Seed of the held-out samples the exercise's networks are judged on.
HELD_OUT_SEED = 12345
#: Number of held-out samples.
N_HELD_OUT = 500


def randman_held_out():
    """The held-out randman samples (:data:`N_HELD_OUT` new samples of the task's manifolds), a SpikeDataset."""
    from neuro4ml.data import randman

    return randman(N_HELD_OUT, **RANDMAN_TASK, sample_seed=HELD_OUT_SEED)


def sound_held_out():
    """The held-out sound-localisation samples (:data:`N_HELD_OUT` of them, seed :data:`HELD_OUT_SEED`)."""
    from neuro4ml.data import sound_localisation

    return sound_localisation(N_HELD_OUT, **SOUND_TASK, seed=HELD_OUT_SEED)
