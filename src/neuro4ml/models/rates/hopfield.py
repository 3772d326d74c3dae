r"""Hopfield memory: binary units with symmetric Hebbian weights that store patterns as fixed points.

:math:`N` binary units :math:`s_i = \pm 1` with symmetric Hebbian
weights store patterns as fixed points of the dynamics (Hopfield 1982, PNAS
79:2554-2558); see :func:`hopfield_weights` and :func:`hopfield_recall`.
"""

from __future__ import annotations

import numpy as np

from neuro4ml.validation import (
    as_generator,
    probability,
    whole_number,
)

__all__ = [
    "corrupt_pattern",
    "hopfield_recall",
    "hopfield_recall_overlaps",
    "hopfield_weights",
    "pattern_overlaps",
    "random_patterns",
]


# ---------------------------------------------------------------------------
# Hopfield networks
# ---------------------------------------------------------------------------


def _as_patterns(patterns: object) -> np.ndarray:
    array = np.asarray(patterns)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] < 2:
        raise ValueError(f"patterns must be shaped (patterns, neurons), got shape {array.shape}")
    if not np.all((array == 1) | (array == -1)):
        raise ValueError("patterns must hold only +1 and -1")
    return array.astype(float)


def random_patterns(n_patterns: int, n_neurons: int, *, rng: np.random.Generator | int | None = None) -> np.ndarray:
    """Independent random patterns of +1 and -1 (each with probability 1/2), shape ``(n_patterns, n_neurons)``."""
    size = (whole_number(n_patterns, "n_patterns", minimum=1), whole_number(n_neurons, "n_neurons", minimum=1))
    return as_generator(rng).choice(np.array([-1.0, 1.0]), size=size)


def corrupt_pattern(pattern: np.ndarray, fraction: float, *, rng: np.random.Generator | int | None = None) -> np.ndarray:
    """A copy of ``pattern`` (shape ``(neurons,)``) with a ``fraction`` of its units, chosen at random, flipped."""
    pattern = _as_patterns(pattern)[0]
    fraction = probability(fraction, "fraction")
    flipped = as_generator(rng).choice(pattern.size, size=int(round(fraction * pattern.size)), replace=False)
    result = pattern.copy()
    result[flipped] *= -1
    return result


def hopfield_weights(patterns: np.ndarray) -> np.ndarray:
    r"""Hebbian weights that store the patterns (Hopfield 1982).

    .. math:: W_{ij} = \frac{1}{N} \sum_{\mu=1}^{P} \xi^\mu_i \xi^\mu_j, \qquad W_{ii} = 0,

    for patterns :math:`\xi^\mu \in \{-1, +1\}^N`. The matrix is symmetric, which is
    what guarantees that asynchronous dynamics settle in a fixed point.

    Parameters
    ----------
    patterns : numpy.ndarray, shape (patterns, neurons) (or (neurons,) for one)

    Returns
    -------
    numpy.ndarray, shape (neurons, neurons)
    """
    xi = _as_patterns(patterns)
    weights = xi.T @ xi / xi.shape[1]
    np.fill_diagonal(weights, 0.0)
    return weights


def hopfield_recall(
    weights: np.ndarray,
    state: np.ndarray,
    *,
    max_sweeps: int = 100,
    rng: np.random.Generator | int | None = None,
) -> tuple[np.ndarray, int]:
    r"""Run asynchronous Hopfield dynamics from ``state`` until nothing changes.

    Units are visited one at a time in a random order (a new order each sweep) and set
    to :math:`s_i \leftarrow \operatorname{sign}(\sum_j W_{ij} s_j)` (a unit whose field
    is exactly 0 keeps its state). With symmetric weights and zero diagonal each flip
    lowers the energy :math:`E = -\tfrac12 \sum_{ij} W_{ij} s_i s_j`, so the dynamics
    stop in a local minimum (Hopfield 1982). The local fields are updated
    incrementally after each flip, so a sweep costs :math:`O(N \times \text{flips})`.

    Parameters
    ----------
    weights : numpy.ndarray, shape (neurons, neurons)
    state : numpy.ndarray, shape (neurons,)
        Initial state of +1 and -1 (e.g. a corrupted pattern).
    max_sweeps : int
        Give up after this many sweeps through all units.
    rng : numpy.random.Generator, int or None
        Random generator or seed for the visiting order.

    Returns
    -------
    (numpy.ndarray, int)
        The final state, shape ``(neurons,)``, and the number of sweeps run (the last
        one changed nothing unless ``max_sweeps`` was reached).
    """
    weights = np.asarray(weights, dtype=float)
    state = _as_patterns(state)[0].copy()
    n = state.size
    if weights.shape != (n, n):
        raise ValueError(f"weights must be shaped ({n}, {n}) for a state of {n} units, got {weights.shape}")
    max_sweeps = whole_number(max_sweeps, "max_sweeps", minimum=1)
    generator = as_generator(rng)
    field = weights @ state
    for sweep in range(1, int(max_sweeps) + 1):
        changed = False
        for unit in generator.permutation(n):
            h = field[unit]
            if h * state[unit] < 0:
                state[unit] = -state[unit]
                field += 2.0 * state[unit] * weights[:, unit]
                changed = True
        if not changed:
            return state, sweep
    return state, int(max_sweeps)


def pattern_overlaps(state: np.ndarray, patterns: np.ndarray) -> np.ndarray:
    r"""Overlap of a state with each pattern, :math:`m^\mu = \frac1N \sum_i \xi^\mu_i s_i`.

    1 means the state is the pattern, -1 its mirror image, about 0 an unrelated state.

    Returns
    -------
    numpy.ndarray, shape (patterns,)
    """
    xi = _as_patterns(patterns)
    state = _as_patterns(state)[0]
    if state.size != xi.shape[1]:
        raise ValueError(f"state has {state.size} units but the patterns have {xi.shape[1]}")
    return xi @ state / state.size


def hopfield_recall_overlaps(
    n_neurons: int,
    loads: np.ndarray,
    *,
    n_repeats: int = 5,
    start_noise: float = 0.0,
    rng: np.random.Generator | int | None = None,
) -> np.ndarray:
    r"""Measure how well a Hopfield network recalls its patterns as it is loaded.

    For each load :math:`\alpha = P/N`, store :math:`P = \operatorname{round}(\alpha N)`
    random patterns, start from one of them (with a ``start_noise`` fraction of its
    units flipped), run :func:`hopfield_recall`, and record the overlap of the final
    state with that pattern; repeat with fresh patterns. In the limit of large
    :math:`N`, recall states with overlap near 1 exist up to
    :math:`\alpha_c \approx 0.138` and vanish abruptly above it (Amit, Gutfreund &
    Sompolinsky 1985, Phys Rev Lett 55:1530-1533); finite networks blur the edge.

    Parameters
    ----------
    n_neurons : int
    loads : array of float
        Values of :math:`\alpha`, each > 0.
    n_repeats : int
        Networks per load.
    start_noise : float
        Fraction of units flipped in the starting state.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    numpy.ndarray, shape (loads, n_repeats)
        Final overlaps.
    """
    n_neurons = whole_number(n_neurons, "n_neurons", minimum=2)
    n_repeats = whole_number(n_repeats, "n_repeats", minimum=1)
    loads = np.atleast_1d(np.asarray(loads, dtype=float))
    if loads.ndim != 1 or not np.all(np.isfinite(loads)) or np.any(loads <= 0):
        raise ValueError("loads must be a 1-D array of numbers > 0")
    generator = as_generator(rng)
    overlaps = np.empty((loads.size, int(n_repeats)))
    for a, load in enumerate(loads):
        n_patterns = max(1, int(round(load * n_neurons)))
        for r in range(int(n_repeats)):
            patterns = random_patterns(n_patterns, int(n_neurons), rng=generator)
            start = corrupt_pattern(patterns[0], start_noise, rng=generator)
            final, _ = hopfield_recall(hopfield_weights(patterns), start, rng=generator)
            overlaps[a, r] = pattern_overlaps(final, patterns[:1])[0]
    return overlaps
