"""The spike-triggered average: the mean stimulus before a unit's spikes (weeks 1 and 6)."""

from __future__ import annotations

import numpy as np

from neuro4ml.validation import whole_number

__all__ = ["spike_triggered_average"]


def spike_triggered_average(stimulus: object, spikes: object, n_lags: int) -> np.ndarray:
    r"""The mean stimulus before each unit's spikes, at each lag, pooled over trials.

    .. math:: \mathrm{STA}_{u}[k, c] = \frac{\sum_{m, t} n_{m,t,u}\, s_{m,t-k,c}}{\sum_{m,t} n_{m,t,u}},
              \qquad k = 0, \dots, L - 1,

    with trials :math:`m`, time bins :math:`t`, stimulus channels :math:`c` and stimulus
    samples before a trial's start taken as 0. A unit that never spikes gets NaN. For a
    linear-nonlinear-Poisson neuron driven by Gaussian white noise of mean 0, the STA is
    proportional to the linear filter (Chichilnisky 2001, Network 12:199-213), so it is the
    classic first estimate of a receptive field. The library's one spike-triggered average:
    one spike train and its stimulus, both shaped ``(time,)``, give the ``(n_lags,)`` average.

    Parameters
    ----------
    stimulus : array, shape (trials, time, channels) or (time,)
        The input (for a network, its input spikes); ``(time,)`` is one trial of one channel.
    spikes : array, shape (trials, time, units) or (time,)
        Spike counts of the units, on the same time bins; ``(time,)`` is one trial of one unit.
    n_lags : int
        Number of lags :math:`L` (bins), >= 1.

    Returns
    -------
    numpy.ndarray, shape (units, n_lags, channels), or (n_lags,) for 1-D inputs
        Entry ``[u, k, c]`` is the mean of channel ``c``, ``k`` bins before a spike of unit ``u``.
    """
    s = np.asarray(stimulus, dtype=float)
    n = np.asarray(spikes, dtype=float)
    if s.ndim == 1 and n.ndim == 1:  # one trial, one channel, one unit
        return spike_triggered_average(s[None, :, None], n[None, :, None], n_lags)[0, :, 0]
    if s.ndim != 3 or n.ndim != 3 or s.shape[:2] != n.shape[:2]:
        raise ValueError(
            f"stimulus and spikes must be shaped (trials, time, channels) and (trials, time, units) with the same "
            f"trials and time, got {s.shape} and {n.shape}"
        )
    n_lags = whole_number(n_lags, "n_lags", minimum=1)
    n_time = s.shape[1]
    sta = np.empty((n.shape[2], n_lags, s.shape[2]))
    for k in range(n_lags):
        # spikes at t >= k see the stimulus at t - k
        sta[:, k] = np.einsum("mtu,mtc->uc", n[:, k:], s[:, : n_time - k]) if k < n_time else 0.0
    total = n.sum(axis=(0, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return sta / total[:, None, None]
