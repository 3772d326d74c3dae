"""Zenke & Vogels' random-manifold (randman) classification task, generated from a seed.

Zenke & Vogels (2021) built a family of spike-timing tasks whose difficulty can be
tuned: each class is a smooth random manifold of intrinsic dimension ``D`` embedded in
the ``units``-dimensional space of input firing times, and each sample is a random
point on one of them. Every input unit fires exactly once, at a time given by that
point's coordinate, so the information is purely in spike timing.

The generator here follows that published idea with its own construction. For class
``c`` and input unit ``i`` the coordinate is a random smooth function of the latent
position :math:`\\mathbf{z} \\in [0, 1]^D`,

.. math:: f_{ci}(\\mathbf z) = \\sum_{d=1}^{D} \\sum_{m=1}^{M}
          \\frac{a_{cidm}}{m^{\\alpha}} \\sin(2\\pi m z_d + \\phi_{cidm}),

with Gaussian amplitudes :math:`a` and uniform phases :math:`\\phi` (a Fourier series
whose high frequencies are damped by the smoothness exponent :math:`\\alpha`). Each
:math:`f_{ci}` is rescaled to ``[0, 1]`` using its range on 1,000 reference points,
and the unit fires at step ``round(f * (n_steps - 1))``. Larger ``D`` or ``M``, a
smaller ``alpha``, or more classes make the task harder.
"""

from __future__ import annotations

import numpy as np

from neuro4ml.validation import as_generator, positive_number
from neuro4ml.data.spike_data import SpikeDataset, bin_spikes, positive_integers

__all__ = ["randman"]

_N_REFERENCE_POINTS = 1000


def _manifold_values(z: np.ndarray, amplitude: np.ndarray, phase: np.ndarray, alpha: float) -> np.ndarray:
    """``f_ci(z)`` for points ``z`` ``(points, D)`` of one class: shape ``(points, units)``."""
    m = np.arange(1, amplitude.shape[2] + 1)
    # angle[p, i, d, m] = 2 pi m z[p, d] + phase[i, d, m]
    angle = 2 * np.pi * z[:, None, :, None] * m + phase[None]
    return np.einsum("pidm,idm->pi", np.sin(angle), amplitude / m**alpha)


def randman(
    n_samples: int = 1000,
    *,
    n_classes: int = 10,
    n_units: int = 20,
    manifold_dim: int = 1,
    n_harmonics: int = 3,
    alpha: float = 2.0,
    n_steps: int = 50,
    dt_ms: float = 1.0,
    seed: int = 0,
    sample_seed: int | None = None,
) -> SpikeDataset:
    """Samples of the random-manifold task (Zenke & Vogels 2021), balanced over classes.

    Parameters
    ----------
    n_samples : int
        Number of samples (shuffled; each class gets ``n_samples // n_classes`` or one more).
    n_classes, n_units : int
        Classes (manifolds) and input units (embedding dimension).
    manifold_dim : int
        Intrinsic dimension ``D`` of each manifold.
    n_harmonics : int
        Number ``M`` of sine harmonics per latent dimension.
    alpha : float
        Smoothness: the ``m``-th harmonic's amplitude is divided by ``m ** alpha``.
    n_steps, dt_ms : int, float
        Length of a sample in time steps, and the step in ms.
    seed : int
        The manifolds are drawn from this seed (so two calls with the same seed share
        manifolds), and so are the samples unless ``sample_seed`` is given.
    sample_seed : int, optional
        A separate seed for the samples: new points on the same manifolds (held-out data).

    Returns
    -------
    SpikeDataset
        ``x`` ``(n_samples, n_steps, n_units)`` with exactly one spike per unit and
        sample; ``info["z"]`` holds the latent positions ``(n_samples, manifold_dim)``.
    """
    positive_integers(n_samples=n_samples, n_classes=n_classes, n_units=n_units, manifold_dim=manifold_dim,
                      n_harmonics=n_harmonics, n_steps=n_steps)
    alpha = positive_number(alpha, "alpha")
    rng = as_generator(seed)
    shape = (n_classes, n_units, manifold_dim, n_harmonics)
    amplitude = rng.standard_normal(shape)
    phase = rng.uniform(0, 2 * np.pi, shape)
    reference = rng.uniform(0, 1, (_N_REFERENCE_POINTS, manifold_dim))
    if sample_seed is not None:
        rng = as_generator(sample_seed)
    y = rng.permutation(np.arange(n_samples) % n_classes)
    z = rng.uniform(0, 1, (n_samples, manifold_dim))
    values = np.empty((n_samples, n_units))
    for c in range(n_classes):
        ref = _manifold_values(reference, amplitude[c], phase[c], alpha)
        low, high = ref.min(axis=0), ref.max(axis=0)
        mine = y == c
        values[mine] = (_manifold_values(z[mine], amplitude[c], phase[c], alpha) - low) / (high - low)
    step = np.rint(np.clip(values, 0, 1) * (n_steps - 1)).astype(np.int64)
    sample, unit = np.meshgrid(np.arange(n_samples), np.arange(n_units), indexing="ij")
    x = bin_spikes(sample.ravel(), (step.ravel() + 0.5) * dt_ms, unit.ravel(),
                   n_samples=n_samples, n_steps=n_steps, n_units=n_units, dt_ms=dt_ms)
    return SpikeDataset(x, y.astype(np.int64), float(dt_ms), int(n_classes), {"z": z})
