r"""Statistical neuron models: the linear-nonlinear-Poisson model and the Poisson GLM.

Both models describe a neuron by the probability of its spikes rather than by its
membrane potential. Time is cut into bins of width ``dt_ms``; ``counts[t]`` is the
number of spikes in bin ``t`` and ``stimulus[t]`` the stimulus in that bin. The
expected count in bin ``t`` is

.. math::
    \lambda_t = \exp\Big(b + \sum_{k \ge 0} k_k\, s_{t-k} + \sum_{j \ge 1} h_j\, n_{t-j}\Big),
    \qquad n_t \sim \mathrm{Poisson}(\lambda_t),

with a *stimulus filter* :math:`k` (lags ``0, 1, ...`` bins, so the present bin of
the stimulus counts), a *spike-history filter* :math:`h` (lags ``1, 2, ...``: only
past spikes count) and a bias :math:`b`. Without the history term this is the
linear-nonlinear-Poisson (LNP) model (Chichilnisky 2001, Network 12:199-213;
Simoncelli, Paninski, Pillow & Schwartz 2004, in *The Cognitive Neurosciences*);
with it, the generalised linear model of Truccolo, Eden, Fellows, Donoghue & Brown
2005 (J Neurophysiol 93:1074-1089) and Pillow et al. 2008 (Nature 454:995-999).
For machine learners: it is Poisson regression, a GLM with the log link, whose
features are lagged copies of the stimulus and of the neuron's own output.

The filters are written as weighted sums of a few smooth *basis functions*
(:func:`raised_cosine_basis`), so the design matrix (:func:`glm_design_matrix`) has
one column per basis function, not one per lag. The fit itself is done by
scikit-learn's :class:`~sklearn.linear_model.PoissonRegressor` (maximum likelihood,
optionally with an L2 penalty), in :func:`fit_poisson_glm`.

Shapes: ``stimulus`` and ``counts`` are ``(time,)``; a basis is ``(n_basis, lags)``;
a design matrix is ``(time, features)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln

from neuro4ml.validation import (
    as_generator,
    finite_array,
    finite_number,
    non_negative_number,
    positive_number,
    whole_number,
)

__all__ = [
    "PoissonGLM",
    "bits_per_spike",
    "fit_poisson_glm",
    "glm_design_matrix",
    "lagged_features",
    "poisson_log_likelihood",
    "raised_cosine_basis",
    "simulate_poisson_glm",
    "spike_triggered_average",
]

_MISSING_SKLEARN = (
    "Fitting a Poisson GLM uses scikit-learn, which is not installed. Install it with: "
    'pip install "neuro4ml[stats]"'
)


# ---------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------


def _as_series(x: object, name: str) -> np.ndarray:
    """A finite 1-D float array (one value per time bin)."""
    return finite_array(x, name, 1, "(time,), one value per bin")


def _as_counts(counts: object, name: str = "counts") -> np.ndarray:
    """Spike counts per bin: a 1-D array of whole numbers >= 0."""
    array = _as_series(counts, name)
    if np.any(array < 0) or np.any(array != np.round(array)):
        raise ValueError(f"{name} must hold whole numbers of spikes >= 0")
    return array


def _as_basis(basis: object, name: str) -> np.ndarray:
    """A basis shaped (n_basis, lags)."""
    array = np.asarray(basis, dtype=float)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] == 0:
        raise ValueError(f"{name} must be shaped (n_basis, lags), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


# ---------------------------------------------------------------------------
# Basis functions and the design matrix
# ---------------------------------------------------------------------------


def raised_cosine_basis(
    n_basis: int,
    *,
    first_peak_ms: float,
    last_peak_ms: float,
    dt_ms: float,
    offset_ms: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Raised cosine bumps, evenly spaced in log time (Pillow et al. 2008).

    With :math:`x(t) = \log(t + c)` (``c = offset_ms``) and peaks :math:`x_j` evenly
    spaced by :math:`\delta` between :math:`x(\text{first\_peak})` and
    :math:`x(\text{last\_peak})`,

    .. math::
        b_j(t) = \tfrac12\Big(1 + \cos\big(\operatorname{clip}\big(\tfrac{\pi}{2\delta}
        (x(t) - x_j), -\pi, \pi\big)\big)\Big)

    (Pillow, Shlens, Paninski, Sher, Litke, Chichilnisky & Simoncelli 2008, "Spatio-
    temporal correlations and visual signalling in a complete neuronal population",
    Nature 454:995-999, Methods). Neighbouring bumps are a quarter period apart, so
    between the second and the second-to-last peak the bumps sum to exactly 2: the
    basis can represent a constant, and it is fine near lag 0 and coarse at long lags,
    where filters are smooth. A larger ``offset_ms`` makes the spacing closer to linear.

    Parameters
    ----------
    n_basis : int
        Number of bumps, >= 2.
    first_peak_ms, last_peak_ms : float
        Lags of the first and last peaks in ms, ``0 <= first < last``.
    dt_ms : float
        Bin width in ms; the basis is sampled at lags ``k * dt_ms``.
    offset_ms : float
        The constant :math:`c` in ms, > 0.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The basis, shape ``(n_basis, lags)``, and the lags in ms, shape ``(lags,)``,
        starting at 0 and ending where the last bump returns to zero.
    """
    n_basis = whole_number(n_basis, "n_basis", minimum=2)
    first_peak_ms = non_negative_number(first_peak_ms, "first_peak_ms")
    last_peak_ms = positive_number(last_peak_ms, "last_peak_ms")
    if last_peak_ms <= first_peak_ms:
        raise ValueError(
            f"last_peak_ms ({last_peak_ms}) must be greater than first_peak_ms ({first_peak_ms})"
        )
    dt_ms = positive_number(dt_ms, "dt_ms")
    offset_ms = positive_number(offset_ms, "offset_ms")
    peaks = np.linspace(np.log(first_peak_ms + offset_ms), np.log(last_peak_ms + offset_ms), n_basis)
    spacing = peaks[1] - peaks[0]
    end_ms = np.exp(peaks[-1] + 2 * spacing) - offset_ms
    lags_ms = np.arange(int(np.ceil(end_ms / dt_ms)) + 1) * dt_ms
    phase = (np.log(lags_ms + offset_ms)[None, :] - peaks[:, None]) * np.pi / (2 * spacing)
    basis = 0.5 * (1.0 + np.cos(np.clip(phase, -np.pi, np.pi)))
    return basis, lags_ms


def lagged_features(signal: np.ndarray, basis: np.ndarray, *, shift_bins: int = 0) -> np.ndarray:
    r"""Causal filtering of a signal by each basis function: the columns of a design matrix.

    .. math:: X_{t j} = \sum_{k=0}^{L-1} B_{j k}\, x_{t - k - d}, \qquad x_{t} = 0 \text{ for } t < 0,

    with :math:`d` = ``shift_bins``. Use ``shift_bins=0`` for a stimulus (the present
    bin counts) and ``shift_bins=1`` for the neuron's own spikes (only the past may
    predict the present; with 0, the model would see the spike it has to predict).

    Parameters
    ----------
    signal : numpy.ndarray, shape (time,)
    basis : numpy.ndarray, shape (n_basis, lags) (or (lags,) for one filter)
    shift_bins : int
        Extra delay :math:`d` in bins, >= 0.

    Returns
    -------
    numpy.ndarray, shape (time, n_basis)
    """
    signal = _as_series(signal, "signal")
    basis = _as_basis(basis, "basis")
    shift_bins = whole_number(shift_bins, "shift_bins", minimum=0)
    n_time = signal.size
    delayed = np.concatenate([np.zeros(min(shift_bins, n_time)), signal[: n_time - shift_bins]])
    return np.stack([np.convolve(delayed, row)[:n_time] for row in basis], axis=1)


def glm_design_matrix(
    stimulus: np.ndarray,
    counts: np.ndarray | None = None,
    *,
    stimulus_basis: np.ndarray,
    history_basis: np.ndarray | None = None,
) -> np.ndarray:
    """Design matrix of a Poisson GLM: stimulus features, then spike-history features.

    Columns ``0 .. n_s - 1`` are :func:`lagged_features` of the stimulus with
    ``stimulus_basis`` (no shift); with a ``history_basis``, the next ``n_h`` columns
    are :func:`lagged_features` of the spike counts shifted by one bin. Without a
    history basis this is the design matrix of the LNP model.

    Parameters
    ----------
    stimulus : numpy.ndarray, shape (time,)
    counts : numpy.ndarray, shape (time,), optional
        Spike counts per bin (needed with ``history_basis``).
    stimulus_basis : numpy.ndarray, shape (n_s, lags_s)
    history_basis : numpy.ndarray, shape (n_h, lags_h), optional

    Returns
    -------
    numpy.ndarray, shape (time, n_s + n_h)
    """
    stimulus = _as_series(stimulus, "stimulus")
    columns = [lagged_features(stimulus, stimulus_basis)]
    if history_basis is not None:
        if counts is None:
            raise ValueError("a history_basis needs the spike counts, to build the history features")
        counts = _as_counts(counts)
        if counts.size != stimulus.size:
            raise ValueError(
                f"counts has {counts.size} bins but stimulus has {stimulus.size}; they must match"
            )
        columns.append(lagged_features(counts, history_basis, shift_bins=1))
    return np.concatenate(columns, axis=1)


# ---------------------------------------------------------------------------
# Likelihood
# ---------------------------------------------------------------------------


def poisson_log_likelihood(counts: np.ndarray, expected: np.ndarray) -> float:
    r"""Log-likelihood of spike counts under independent Poisson counts per bin.

    .. math:: \log L = \sum_t \big(n_t \log \lambda_t - \lambda_t - \log n_t!\big)

    Parameters
    ----------
    counts : numpy.ndarray, shape (time,)
        Observed counts :math:`n_t`.
    expected : numpy.ndarray, shape (time,)
        Expected counts :math:`\lambda_t > 0` (rate times bin width).

    Returns
    -------
    float
        The log-likelihood in nats.
    """
    counts = _as_counts(counts)
    expected = _as_series(expected, "expected")
    if expected.shape != counts.shape:
        raise ValueError(f"expected has shape {expected.shape} but counts has {counts.shape}")
    if np.any(expected <= 0):
        raise ValueError("expected counts must be > 0 in every bin")
    return float(np.sum(counts * np.log(expected) - expected - gammaln(counts + 1)))


def bits_per_spike(counts: np.ndarray, expected: np.ndarray, baseline_per_bin: float) -> float:
    r"""Log-likelihood gain over a constant rate, in bits per spike.

    .. math:: \frac{\log L(\lambda) - \log L(\bar\lambda)}{N \ln 2}

    where :math:`\bar\lambda` is a constant expected count per bin (usually the mean
    count of the *training* data) and :math:`N` the number of spikes (Pillow et al.
    2008, Nature 454:995-999, report held-out performance this way). Zero means "no
    better than knowing the mean rate"; it is comparable across recordings of
    different lengths and rates.

    Parameters
    ----------
    counts, expected : numpy.ndarray, shape (time,)
        Observed and predicted counts per bin.
    baseline_per_bin : float
        The constant expected count :math:`\bar\lambda > 0`.

    Returns
    -------
    float
    """
    counts = _as_counts(counts)
    baseline_per_bin = positive_number(baseline_per_bin, "baseline_per_bin")
    n_spikes = counts.sum()
    if n_spikes == 0:
        raise ValueError("bits per spike is undefined for data without spikes")
    gain = poisson_log_likelihood(counts, expected) - poisson_log_likelihood(
        counts, np.full(counts.shape, baseline_per_bin)
    )
    return float(gain / (n_spikes * np.log(2.0)))


# ---------------------------------------------------------------------------
# The fitted model
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PoissonGLM:
    """A fitted (or known) Poisson GLM in basis coordinates.

    Attributes
    ----------
    bias : float
        The constant :math:`b` (log expected count per bin when all features are 0).
    weights : numpy.ndarray, shape (features,)
        One weight per column of the design matrix.
    """

    bias: float
    weights: np.ndarray

    def expected_counts(self, design: np.ndarray) -> np.ndarray:
        """Expected count per bin, :math:`\\exp(b + X w)`, shape ``(time,)``."""
        design = np.asarray(design, dtype=float)
        if design.ndim != 2 or design.shape[1] != self.weights.size:
            raise ValueError(
                f"design must be shaped (time, {self.weights.size}), got shape {design.shape}"
            )
        return np.exp(self.bias + design @ self.weights)

    def filter(self, basis: np.ndarray, start: int = 0) -> np.ndarray:
        """The filter :math:`\\sum_j w_j b_j` over lags, using weights ``start .. start + n_basis``.

        ``model.filter(stimulus_basis)`` is the stimulus filter;
        ``model.filter(history_basis, start=n_stimulus_basis)`` the history filter
        (whose lag ``k`` in the basis is lag ``k + 1`` bins in time).
        """
        basis = _as_basis(basis, "basis")
        stop = start + basis.shape[0]
        if start < 0 or stop > self.weights.size:
            raise ValueError(f"weights {start}..{stop} do not exist; the model has {self.weights.size}")
        return self.weights[start:stop] @ basis


def fit_poisson_glm(design: np.ndarray, counts: np.ndarray, *, l2_penalty: float = 0.0) -> PoissonGLM:
    r"""Maximum-likelihood fit of a Poisson GLM with the log link.

    Maximises :math:`\sum_t \big(n_t (b + x_t^\top w) - e^{b + x_t^\top w}\big)
    - \tfrac{\alpha T}{2} \lVert w \rVert^2` (the Poisson log-likelihood up to a
    constant; :math:`\alpha` = ``l2_penalty``, the bias is not penalised). The
    objective is concave (Paninski 2004, Network 15:243-262), so the optimum is
    unique; scikit-learn's :class:`~sklearn.linear_model.PoissonRegressor` finds it
    with L-BFGS.

    Parameters
    ----------
    design : numpy.ndarray, shape (time, features)
        From :func:`glm_design_matrix`.
    counts : numpy.ndarray, shape (time,)
        Spike counts per bin.
    l2_penalty : float
        :math:`\alpha \ge 0` (scikit-learn's ``alpha``). 0 is plain maximum likelihood.

    Returns
    -------
    PoissonGLM
    """
    try:
        from sklearn.linear_model import PoissonRegressor
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ImportError(_MISSING_SKLEARN) from error
    design = np.asarray(design, dtype=float)
    counts = _as_counts(counts)
    if design.ndim != 2 or design.shape[0] != counts.size:
        raise ValueError(
            f"design must be shaped (time, features) with time = {counts.size}, got {design.shape}"
        )
    if not np.all(np.isfinite(design)):
        raise ValueError("design contains NaN or infinite values")
    if counts.sum() == 0:
        raise ValueError("counts holds no spikes: there is nothing to fit")
    l2_penalty = non_negative_number(l2_penalty, "l2_penalty")
    regressor = PoissonRegressor(alpha=l2_penalty, max_iter=5000, tol=1e-7)
    regressor.fit(design, counts)
    return PoissonGLM(bias=float(regressor.intercept_), weights=np.array(regressor.coef_, dtype=float))


# ---------------------------------------------------------------------------
# Simulation and the spike-triggered average
# ---------------------------------------------------------------------------


def simulate_poisson_glm(
    stimulus: np.ndarray,
    *,
    bias: float,
    stimulus_filter: np.ndarray,
    history_filter: np.ndarray | None = None,
    rng: np.random.Generator | int | None = None,
) -> np.ndarray:
    r"""Spike counts from a Poisson GLM (or, without history, an LNP model).

    Bin by bin, :math:`\lambda_t = \exp(b + (k * s)_t + \sum_{j \ge 1} h_j n_{t-j})` and
    :math:`n_t \sim \mathrm{Poisson}(\lambda_t)`. The history term makes the
    simulation sequential: each spike adds its filter to the drive of the following
    bins. A positive (self-exciting) history filter can make the rate diverge
    (Gerhard, Deger & Truccolo 2017, PLoS Comput Biol 13:e1005390); the expected
    count per bin is capped at 1e6 to keep the numbers finite.

    Parameters
    ----------
    stimulus : numpy.ndarray, shape (time,)
    bias : float
    stimulus_filter : numpy.ndarray, shape (lags_s,)
        Weight of the stimulus at lags 0, 1, ... bins.
    history_filter : numpy.ndarray, shape (lags_h,), optional
        Weight of a spike at lags 1, 2, ... bins (entry 0 is lag 1).
    rng : numpy.random.Generator, int or None

    Returns
    -------
    numpy.ndarray of int, shape (time,)
    """
    stimulus = _as_series(stimulus, "stimulus")
    bias = finite_number(bias, "bias")
    stimulus_filter = _as_series(stimulus_filter, "stimulus_filter")
    generator = as_generator(rng)
    drive = bias + np.convolve(stimulus, stimulus_filter)[: stimulus.size]
    if history_filter is None:
        return generator.poisson(np.exp(np.minimum(drive, np.log(1e6))))
    history_filter = _as_series(history_filter, "history_filter")
    n_time, n_lags = stimulus.size, history_filter.size
    future = np.zeros(n_time + n_lags + 1)
    counts = np.zeros(n_time, dtype=np.int64)
    cap = np.log(1e6)
    for t in range(n_time):
        count = generator.poisson(np.exp(min(drive[t] + future[t], cap)))
        if count:
            counts[t] = count
            future[t + 1 : t + 1 + n_lags] += count * history_filter
    return counts


def spike_triggered_average(stimulus: np.ndarray, counts: np.ndarray, n_lags: int) -> np.ndarray:
    r"""Spike-triggered average: the mean stimulus before a spike, at each lag.

    .. math:: \mathrm{STA}_k = \frac{\sum_t n_t\, s_{t-k}}{\sum_t n_t}, \qquad k = 0, \dots, L-1

    (stimulus samples before the start are taken as 0). For an LNP model driven by
    Gaussian white noise of mean 0, the STA is proportional to the linear filter
    (Chichilnisky 2001, Network 12:199-213), so it is the classic first estimate of
    a neuron's receptive field.

    Parameters
    ----------
    stimulus, counts : numpy.ndarray, shape (time,)
    n_lags : int
        Number of lags :math:`L`, >= 1.

    Returns
    -------
    numpy.ndarray, shape (n_lags,)
        Entry ``k`` is the mean stimulus ``k`` bins before the spike.

    This is :func:`neuro4ml.analysis.spike_triggered_average` for one trial, one stimulus
    channel and one neuron, with checks for a single spike train.
    """
    stimulus = _as_series(stimulus, "stimulus")
    counts = _as_counts(counts)
    if counts.size != stimulus.size:
        raise ValueError(f"counts has {counts.size} bins but stimulus has {stimulus.size}")
    n_lags = whole_number(n_lags, "n_lags", minimum=1)
    if counts.sum() == 0:
        raise ValueError("the spike-triggered average needs at least one spike")
    from neuro4ml.analysis import spike_triggered_average as general  # one trial, one channel, one unit

    return general(stimulus[None, :, None], counts[None, :, None], n_lags)[0, :, 0]
