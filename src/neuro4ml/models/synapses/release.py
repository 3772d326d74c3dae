"""Quantal release: the binomial model of del Castillo & Katz (1954)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from neuro4ml.validation import (
    as_generator,
    finite_number,
    probability,
    whole_number,
)

__all__ = ["QuantalRelease", "binomial_release"]


class QuantalRelease(NamedTuple):
    """Per-trial results of :func:`binomial_release`; arrays of shape ``(trials,)``."""

    #: Number of quanta (vesicles) released on each trial, :math:`k`.
    quanta: np.ndarray
    #: Response amplitude on each trial, :math:`k q`.
    amplitude: np.ndarray


def binomial_release(
    n_sites: int,
    release_probability: float,
    n_trials: int,
    *,
    quantal_size: float = 1.0,
    rng: np.random.Generator | int | None = None,
) -> QuantalRelease:
    r"""Responses of a synapse with ``n_sites`` independent release sites, one per trial.

    The quantal model of del Castillo & Katz (1954, "Quantal components of the
    end-plate potential", J. Physiol. 124:560-573): each of :math:`N` sites releases one
    quantum with probability :math:`p`, independently, and each quantum gives a
    response of size :math:`q`. The number of quanta :math:`k` is binomial,

    .. math::
        P(k) = \binom{N}{k} p^k (1 - p)^{N - k}, \qquad
        \mathbb{E}[kq] = Npq, \qquad \operatorname{Var}[kq] = Np(1 - p)q^2 .

    A failure (:math:`k = 0`) is the single most likely outcome exactly when
    :math:`(N + 1)p < 1`, since :math:`P(1)/P(0) = Np/(1 - p)`; the mode of the
    binomial is :math:`\lfloor (N + 1)p \rfloor`.

    Parameters
    ----------
    n_sites : int
        Number of release sites :math:`N` (>= 1).
    release_probability : float
        Release probability per site :math:`p`, in [0, 1].
    n_trials : int
        Number of presynaptic spikes (trials) to simulate (>= 1).
    quantal_size : float
        Response to one quantum :math:`q` (any finite number, e.g. in mV).
    rng : numpy Generator, int or None
        Random generator or seed.

    Returns
    -------
    QuantalRelease
        ``quanta`` (integers) and ``amplitude`` (``quanta * quantal_size``), each of
        shape ``(trials,)``.
    """
    n_sites = whole_number(n_sites, "n_sites")
    n_trials = whole_number(n_trials, "n_trials")
    p = probability(release_probability, "release_probability")
    q = finite_number(quantal_size, "quantal_size")
    quanta = as_generator(rng).binomial(int(n_sites), p, size=int(n_trials))
    return QuantalRelease(quanta=quanta, amplitude=quanta * q)
