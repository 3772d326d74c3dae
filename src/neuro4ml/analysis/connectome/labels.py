"""Reordering a connectome's matrices by neuron names and cell classes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.optimize
import scipy.sparse
import scipy.spatial.distance
import scipy.stats

__all__ = ["class_order", "reindex"]


def reindex(matrix: object, names: Sequence[str], new_names: Sequence[str]) -> np.ndarray:
    """``matrix`` (labelled by ``names`` on both axes) re-labelled by ``new_names``.

    ``out[a, b] = matrix[names.index(new_names[a]), names.index(new_names[b])]``, and 0
    where either name is missing from ``names``. This lines up connectomes whose
    neurons come in different orders or sets, e.g. the developmental stages of
    Witvliet et al. (2021), before they are compared entry by entry.

    Returns
    -------
    numpy.ndarray, shape (len(new_names), len(new_names))
    """
    dense = matrix.toarray() if scipy.sparse.issparse(matrix) else np.asarray(matrix, dtype=float)
    names = list(names)
    if dense.shape != (len(names), len(names)):
        raise ValueError(f"matrix must be shaped ({len(names)}, {len(names)}) to match names, got {dense.shape}")
    position = {name: k for k, name in enumerate(names)}
    source = np.array([position.get(name, -1) for name in new_names], dtype=np.int64)
    found = source >= 0
    out = np.zeros((len(new_names), len(new_names)), dtype=float)
    out[np.ix_(found, found)] = dense[np.ix_(source[found], source[found])]
    return out


def class_order(classes: Sequence[str], order: Sequence[str] | None = None) -> np.ndarray:
    """A permutation that groups nodes by class (stable within a class).

    ``A[np.ix_(p, p)]`` with ``p = class_order(classes, ["sensory", "interneuron", "motor"])``
    shows the adjacency matrix in blocks of classes. Classes missing from ``order``
    go last, in alphabetical order.
    """
    classes = np.asarray(classes, dtype=str)
    order = list(order) if order is not None else []
    extra = sorted(set(classes.tolist()) - set(order))
    rank = {c: k for k, c in enumerate(order + extra)}
    return np.argsort([rank[c] for c in classes], kind="stable")


# ---------------------------------------------------------------------------
