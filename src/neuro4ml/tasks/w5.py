"""Week 5's tasks: the random-manifold and sound-localisation data sets, their held-out sets and pass marks.

The exercise trains spiking networks with surrogate gradients (Zenke & Ganguli 2018;
Neftci, Mostafa & Zenke 2019) on Zenke & Vogels' (2021) random manifolds
(:func:`neuro4ml.data.randman`) and on a sound-localisation task
(:func:`neuro4ml.data.sound_localisation`). A trained network is judged on samples drawn
from :data:`HELD_OUT_SEED`, which the notebook never draws. Week 8's competition
(:mod:`neuro4ml.tasks.w8`) uses the same manifolds.
"""

from __future__ import annotations

from neuro4ml.tasks import fresh

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


def mistaken_lif_loop(spike_fn, drive, alpha: float, mistake: str):
    """The exercise's LIF time loop written with one known mistake, for diagnosis.

    The right loop is :func:`neuro4ml.learning.snn.lif_loop`.

    .. math:: V_k = \\alpha V_{k-1} + I_k,\\quad S_k = \\text{spike\\_fn}(V_k - 1),\\quad V_k \\leftarrow V_k (1 - S_k)

    ``mistake`` is one of ``"late reset"`` (the reset applied after the next input),
    ``"reset before record"`` (V reset, then the recorded spike computed again),
    ``"no reset"``, ``"reset not detached"`` (the gradient flows through the reset),
    ``"detached v"`` (V detached at each step), ``"no carry"`` (V not carried over:
    each step starts from the input alone), ``"leak after input"`` (V = alpha (V + I)) and
    ``"subtractive reset"`` (the threshold subtracted instead of a reset to 0). ``drive`` is ``(batch, time, units)``.
    """
    import torch

    v = torch.zeros(drive.shape[0], drive.shape[2], dtype=drive.dtype)
    s = torch.zeros_like(v)
    spikes = []
    for k in range(drive.shape[1]):
        if mistake == "late reset":
            v = (alpha * v + drive[:, k]) * (1 - s.detach())
        elif mistake == "leak after input":
            v = alpha * (v + drive[:, k])
        elif mistake == "no carry":
            v = drive[:, k]
        else:
            v = alpha * v + drive[:, k]
        s = spike_fn(v - 1.0)
        if mistake == "reset before record":
            v = v * (1 - s.detach())
            s = spike_fn(v - 1.0)
        spikes.append(s)
        if mistake in ("no reset", "late reset", "reset before record"):
            continue
        if mistake == "subtractive reset":
            v = v - s.detach()
            continue
        v = v * (1 - s) if mistake == "reset not detached" else v * (1 - s.detach())
        if mistake == "detached v":
            v = v.detach()
    return torch.stack(spikes, dim=1)


def loop_cases():
    """(description, drive, alpha) of the time-loop check: non-square and square (batch == time) inputs, two decays.

    The drives are drawn afresh at each check, in [0, 0.7) so that a neuron needs to
    integrate over several steps to spike.
    """
    import torch

    generator = torch.Generator().manual_seed(fresh.entropy() >> 2)  # 62 bits: a non-negative int64
    cases = []
    for description, shape, alpha in [
        ("batch 3, 40 steps, 6 neurons, alpha = 0.9", (3, 40, 6), 0.9),
        ("batch 2, 25 steps, 4 neurons, alpha = 0.6", (2, 25, 4), 0.6),
        ("batch 12, 12 steps, 5 neurons (batch = time), alpha = 0.8", (12, 12, 5), 0.8),
    ]:
        drive = (torch.rand(shape, generator=generator, dtype=torch.float64) * 0.7).requires_grad_()
        cases.append((description, drive, alpha))
    return cases
