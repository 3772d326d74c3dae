"""Connectomes as graphs: statistics, null models and distance-dependent wiring.

The conventions are shared by every function here:

* **Adjacency matrices.** A connectome of ``n`` cells (or brain regions) is a square
  matrix ``A`` shaped ``(n, n)``, a numpy array or any ``scipy.sparse`` matrix or array.
  ``A[i, j]`` is the connection *from* ``i`` (presynaptic, the row) *to* ``j``
  (postsynaptic, the column): a synapse count, a weight, or 1/0. This is the
  convention of the data loaders in :mod:`neuro4ml.data.connectomes`.
* **Presence.** The graph statistics look only at which connections exist:
  ``A[i, j] > 0``. Self-loops (``A[i, i]``) are ignored by every statistic, since a
  cell "connected to itself" says nothing about wiring between cells. Negative
  entries are treated as absent, so a signed matrix should be passed as ``abs(A)``.
* **Ordered pairs.** A directed graph on ``n`` nodes has ``n (n - 1)`` ordered pairs
  ``(i, j)``, ``i != j``; each is one possible connection. Undirected statistics
  (clustering, the gap-junction network) use the symmetrised graph, in which ``i``
  and ``j`` are neighbours when ``i -> j`` or ``j -> i``.
* **Computation.** Statistics are vectorised with ``scipy.sparse`` (a product of
  adjacency matrices counts paths); the triad census uses ``networkx``, the
  well-kept implementation of Batagelj & Mrvar's algorithm.
* **Randomness.** Every null model takes ``rng``: a ``numpy.random.Generator``, an
  integer seed, or ``None``. The same seed gives the same graph.

Statistics: :func:`presence`, :func:`density`, :func:`in_degrees`, :func:`out_degrees`,
:func:`reciprocity`, :func:`clustering`, :func:`triad_census`, :func:`undirected`,
:func:`rich_club_coefficient`, :func:`shortest_path_lengths`, :func:`characteristic_path_length`. Null models:
:func:`erdos_renyi`, :func:`rewire`, :func:`null_distribution`, :func:`z_score`.
Geometry: :func:`pairwise_distances`, :func:`connection_probability_by_distance`,
:func:`fit_exponential_distance_model`, :func:`exponential_distance_model`,
:func:`split_pairs`, :func:`log_loss`, :func:`roc_auc`, :func:`distance_correlation`. Labels: :func:`reindex`,
:func:`class_order`.

The package's modules, each re-exported here: :mod:`~neuro4ml.analysis.connectome.graph` (statistics),
:mod:`~neuro4ml.analysis.connectome.null_models`, :mod:`~neuro4ml.analysis.connectome.geometry`
(distance-dependent wiring) and :mod:`~neuro4ml.analysis.connectome.labels` (reordering by names and classes).
"""

from neuro4ml.analysis.connectome.geometry import (
    DistanceModel,
    connection_probability_by_distance,
    distance_correlation,
    exponential_distance_model,
    fit_exponential_distance_model,
    log_loss,
    pairwise_distances,
    roc_auc,
    split_pairs,
)
from neuro4ml.analysis.connectome.graph import (
    TRIAD_TYPES,
    characteristic_path_length,
    clustering,
    density,
    in_degrees,
    out_degrees,
    presence,
    reciprocity,
    rich_club_coefficient,
    shortest_path_lengths,
    triad_census,
    undirected,
)
from neuro4ml.analysis.connectome.labels import class_order, reindex
from neuro4ml.analysis.connectome.null_models import erdos_renyi, null_distribution, rewire, z_score

__all__ = [
    "TRIAD_TYPES",
    "DistanceModel",
    "characteristic_path_length",
    "class_order",
    "clustering",
    "connection_probability_by_distance",
    "density",
    "distance_correlation",
    "erdos_renyi",
    "exponential_distance_model",
    "fit_exponential_distance_model",
    "in_degrees",
    "log_loss",
    "null_distribution",
    "out_degrees",
    "pairwise_distances",
    "presence",
    "reciprocity",
    "reindex",
    "rewire",
    "rich_club_coefficient",
    "roc_auc",
    "shortest_path_lengths",
    "split_pairs",
    "triad_census",
    "undirected",
    "z_score",
]
