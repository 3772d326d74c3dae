r"""Population codes for a circular variable: tuning curves, Poisson counts and decoders.

A population of :math:`N` neurons with von Mises tuning curves (the circular analogue of a
Gaussian) encodes a direction :math:`s`:

.. math:: f_i(s) = r_\text{base} + r_\text{max}\, e^{\kappa(\cos(s - s_i) - 1)},

with preferred directions :math:`s_i = 2\pi i / N`. On a trial, neuron :math:`i` fires a
Poisson number of spikes :math:`n_i` with mean :math:`f_i(s)\,T` in a window of
:math:`T` seconds, independently of the others (the encoding model). The log-likelihood
is :math:`\sum_i n_i \log f_i(s) - T \sum_i f_i(s)` + const, and the Fisher information
is :math:`I_F(s) = T \sum_i f_i'(s)^2 / f_i(s)` (Seung & Sompolinsky 1993, PNAS
90:10749-10753; Dayan & Abbott 2001, *Theoretical Neuroscience*, section 3.3).

Angles are in radians; rates in Hz; windows in seconds. Stimuli are shaped
``(trials,)`` and counts ``(trials, neurons)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from neuro4ml.validation import as_generator, non_negative_number, positive_number

__all__ = ["DECODERS", "Decoding", "VonMisesPopulation", "circular_rms_error_deg"]

#: Names of the four estimators returned by :meth:`VonMisesPopulation.decode`.
DECODERS = ("population vector", "maximum likelihood", "MAP", "posterior mean")


@dataclass(frozen=True)
class Decoding:
    """Estimates of each decoder (``estimates[name]``, shape ``(trials,)``), and the
    log-likelihood and posterior on the grid (shape ``(trials, grid points)``)."""

    estimates: dict[str, np.ndarray]
    grid_rad: np.ndarray
    log_likelihood: np.ndarray
    posterior: np.ndarray


@dataclass(frozen=True)
class VonMisesPopulation:
    """Independent Poisson neurons with von Mises tuning and evenly spaced preferences."""

    n_neurons: int = 16
    r_max_hz: float = 20.0
    r_base_hz: float = 1.0
    kappa: float = 2.0
    preferred_rad: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.n_neurons, bool) or not isinstance(self.n_neurons, (int, np.integer)) or self.n_neurons < 2:
            raise ValueError(f"n_neurons must be an integer >= 2, got {self.n_neurons!r}")
        positive_number(self.r_max_hz, "r_max_hz")
        positive_number(self.r_base_hz, "r_base_hz")
        non_negative_number(self.kappa, "kappa")
        object.__setattr__(self, "preferred_rad", 2 * np.pi * np.arange(self.n_neurons) / self.n_neurons)

    def _bump(self, s_rad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        delta = np.subtract.outer(np.asarray(s_rad, dtype=float), self.preferred_rad)
        return delta, self.r_max_hz * np.exp(self.kappa * (np.cos(delta) - 1))

    def rates_hz(self, s_rad: np.ndarray) -> np.ndarray:
        """Tuning curves :math:`f_i(s)`, shape ``s.shape + (neurons,)``."""
        return self.r_base_hz + self._bump(s_rad)[1]

    def slopes_hz_per_rad(self, s_rad: np.ndarray) -> np.ndarray:
        r""":math:`f_i'(s) = -r_\text{max}\kappa \sin(s - s_i) e^{\kappa(\cos(s - s_i) - 1)}`."""
        delta, bump = self._bump(s_rad)
        return -self.kappa * np.sin(delta) * bump

    def fisher_information(self, s_rad: np.ndarray, window_s: float) -> np.ndarray:
        r""":math:`I_F(s) = T \sum_i f_i'(s)^2 / f_i(s)`, in 1/rad^2."""
        window_s = positive_number(window_s, "window_s")
        return window_s * np.sum(self.slopes_hz_per_rad(s_rad) ** 2 / self.rates_hz(s_rad), axis=-1)

    def sample_counts(self, s_rad: np.ndarray, window_s: float,
                      rng: np.random.Generator | int | None = None) -> np.ndarray:
        """Poisson spike counts, shape ``(trials, neurons)``, for stimuli ``s_rad`` ``(trials,)``."""
        window_s = positive_number(window_s, "window_s")
        return as_generator(rng).poisson(self.rates_hz(np.atleast_1d(s_rad)) * window_s)

    def decode(self, counts: np.ndarray, window_s: float, *, kappa_prior: float = 0.0,
               prior_mean_rad: float = 0.0, n_grid: int = 720) -> Decoding:
        r"""Four estimates of :math:`s` from counts ``(trials, neurons)``.

        * population vector: :math:`\arg \sum_i n_i e^{\mathrm i s_i}` (Georgopoulos et
          al. 1986);
        * maximum likelihood: the grid point maximising the log-likelihood;
        * MAP: the grid point maximising log-likelihood + log-prior, with a von Mises
          prior of concentration ``kappa_prior`` centred on ``prior_mean_rad``
          (``kappa_prior = 0``: flat, so MAP = ML);
        * posterior mean: the circular mean of the posterior.

        The grid has ``n_grid`` points on :math:`[-\pi, \pi)`; estimates are in
        :math:`[-\pi, \pi)`.
        """
        window_s = positive_number(window_s, "window_s")
        kappa_prior = non_negative_number(kappa_prior, "kappa_prior")
        counts = np.atleast_2d(np.asarray(counts, dtype=float))
        if counts.shape[-1] != self.n_neurons:
            raise ValueError(f"counts must have {self.n_neurons} columns (one per neuron), got {counts.shape}")
        grid = np.linspace(-np.pi, np.pi, n_grid + 1)[:-1]
        rates = self.rates_hz(grid)
        log_lik = counts @ np.log(rates).T - window_s * rates.sum(axis=1)[None, :]
        log_post = log_lik + kappa_prior * np.cos(grid - prior_mean_rad)[None, :]
        post = np.exp(log_post - log_post.max(axis=1, keepdims=True))
        post /= post.sum(axis=1, keepdims=True)
        estimates = {
            "population vector": np.angle(counts @ np.exp(1j * self.preferred_rad)),
            "maximum likelihood": grid[np.argmax(log_lik, axis=1)],
            "MAP": grid[np.argmax(log_post, axis=1)],
            "posterior mean": np.angle(post @ np.exp(1j * grid)),
        }
        return Decoding(estimates, grid, log_lik, post)


def circular_rms_error_deg(estimate_rad: np.ndarray, true_rad: np.ndarray) -> float:
    """Root-mean-square of the wrapped differences, in degrees."""
    wrapped = np.angle(np.exp(1j * (np.asarray(estimate_rad) - np.asarray(true_rad))))
    return float(np.degrees(np.sqrt(np.mean(wrapped**2))))
