"""Rich club and shortest paths of neuro4ml.analysis.connectome against networkx; the cross-correlogram
of neuro4ml.analysis.spike_statistics against a direct count over every pair of spikes.
"""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.analysis import connectome as cg
from neuro4ml.analysis.spike_statistics import cross_correlogram

nx = pytest.importorskip("networkx")


def _graphs():
    rng = np.random.default_rng(5)
    sparse = (rng.random((60, 60)) < 0.05).astype(int)  # several components and isolated nodes
    dense = (rng.random((40, 40)) < 0.2) * rng.integers(1, 5, (40, 40))  # counts, one component
    hubs = np.zeros((30, 30), dtype=int)
    hubs[:5, :] = 1  # five hubs connected to everything: a rich club
    hubs[np.arange(29), np.arange(1, 30)] = 1
    return {"sparse": sparse, "dense": dense, "hubs": hubs}


def _networkx_undirected(A):
    graph = nx.from_numpy_array(((A + A.T) > 0).astype(int))
    graph.remove_edges_from(nx.selfloop_edges(graph))
    return graph


@pytest.mark.parametrize("name", ["sparse", "dense", "hubs"])
def test_rich_club_coefficient_matches_networkx(name):
    A = _graphs()[name]
    expected = nx.rich_club_coefficient(_networkx_undirected(A), normalized=False)
    thresholds, phi = cg.rich_club_coefficient(A)
    assert thresholds.tolist() == sorted(expected)
    np.testing.assert_allclose(phi, [expected[k] for k in thresholds], rtol=1e-12)


def test_rich_club_of_a_complete_graph_is_one():
    thresholds, phi = cg.rich_club_coefficient(np.ones((6, 6)))
    assert thresholds.tolist() == [0, 1, 2, 3, 4] and np.all(phi == 1.0)


@pytest.mark.parametrize("name", ["sparse", "dense", "hubs"])
@pytest.mark.parametrize("directed", [False, True])
def test_shortest_paths_match_networkx(name, directed):
    A = _graphs()[name]
    if directed:
        graph = nx.from_numpy_array((A > 0).astype(int), create_using=nx.DiGraph)
        graph.remove_edges_from(nx.selfloop_edges(graph))
    else:
        graph = _networkx_undirected(A)
    expected = np.full(A.shape, np.inf)
    for i, lengths in nx.all_pairs_shortest_path_length(graph):
        for j, d in lengths.items():
            expected[i, j] = d
    np.testing.assert_array_equal(cg.shortest_path_lengths(A, directed=directed), expected)
    # networkx's average over a connected graph, or the mean over the reachable ordered pairs
    if (directed and nx.is_strongly_connected(graph)) or (not directed and nx.is_connected(graph)):
        reference = nx.average_shortest_path_length(graph)
    else:
        reachable = np.isfinite(expected) & ~np.eye(len(A), dtype=bool)
        reference = expected[reachable].mean()
    assert cg.characteristic_path_length(A, directed=directed) == pytest.approx(reference, rel=1e-12)


def test_path_length_of_a_ring():
    # A ring of n = 2m + 1 nodes: the distances 1..m occur twice from each node, mean (m + 1) / 2.
    n = 9
    ring = np.roll(np.eye(n, dtype=int), 1, axis=1)
    assert cg.characteristic_path_length(ring) == pytest.approx(2.5)
    assert cg.characteristic_path_length(ring, directed=True) == pytest.approx(np.mean(np.arange(1, n)))
    assert np.isnan(cg.characteristic_path_length(np.zeros((3, 3))))


def _direct_correlogram(reference, target, bin_ms, max_lag_ms):
    edges = np.arange(-max_lag_ms, max_lag_ms + bin_ms / 2, bin_ms)
    counts = np.zeros(edges.size - 1, dtype=int)
    for t in reference:
        for u in target:
            for b in range(counts.size):
                if edges[b] <= u - t < edges[b + 1]:
                    counts[b] += 1
    return (edges[:-1] + edges[1:]) / 2, counts


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cross_correlogram_counts_every_pair(seed):
    rng = np.random.default_rng(seed)
    reference = np.sort(rng.uniform(0, 500, 40))
    target = np.concatenate([reference + 3.3 + rng.normal(0, 0.5, 40), rng.uniform(0, 500, 25)])
    lags, counts = cross_correlogram(reference, target, bin_ms=2.0, max_lag_ms=20.0)
    expected_lags, expected = _direct_correlogram(reference, target, 2.0, 20.0)
    np.testing.assert_allclose(lags, expected_lags)
    np.testing.assert_array_equal(counts, expected)
    assert lags[np.argmax(counts)] == pytest.approx(3.0)  # the target follows by about 3.3 ms


def test_autocorrelogram_counts_each_spike_with_itself_at_zero_lag():
    # Lags between distinct spikes: +-3, +-4.5, +-1.5 (20 ms is out of reach); each spike with itself: 0.
    train = np.array([1.0, 4.0, 5.5, 20.0])
    lags, counts = cross_correlogram(train, train, bin_ms=1.0, max_lag_ms=5.0)
    np.testing.assert_allclose(lags, np.arange(-4.5, 5.0, 1.0))
    expected = dict.fromkeys(lags.tolist(), 0) | {0.5: 4, 1.5: 1, 3.5: 1, 4.5: 1, -1.5: 1, -2.5: 1, -4.5: 1}
    assert counts.tolist() == [expected[lag] for lag in lags.tolist()]
    with pytest.raises(ValueError, match="whole number of bins"):
        cross_correlogram(train, train, bin_ms=1.5, max_lag_ms=5.0)
