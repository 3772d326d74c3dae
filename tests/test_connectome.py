"""Graph statistics, null models and the distance model of neuro4ml.analysis.connectome.

References: hand-counted answers on small graphs, networkx (reciprocity, clustering,
triad census) and scipy (Mann-Whitney U) as independent implementations.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
import scipy.sparse
import scipy.stats

from neuro4ml.analysis import connectome as cg


def random_digraph(n=40, p=0.1, seed=0, reciprocal_boost=0.3):
    rng = np.random.default_rng(seed)
    A = (rng.random((n, n)) < p).astype(float)
    # Add extra reciprocal pairs so the graph is not Erdos-Renyi.
    B = np.triu(rng.random((n, n)) < reciprocal_boost * p, 1)
    A = np.maximum(A, B + B.T)
    np.fill_diagonal(A, 0)
    return A


def to_nx(A) -> nx.DiGraph:
    B = cg.presence(A).toarray()
    return nx.from_numpy_array(B, create_using=nx.DiGraph)


# --- hand-made graphs with known answers --------------------------------------


def test_reciprocity_hand_made():
    # 0<->1 reciprocal, 1->2, 2->0: 4 connections, 2 of them reciprocated.
    A = np.zeros((3, 3))
    A[0, 1] = A[1, 0] = A[1, 2] = A[2, 0] = 1
    assert cg.reciprocity(A) == pytest.approx(0.5)


def test_reciprocity_ignores_self_loops_weights_and_accepts_sparse():
    A = np.zeros((3, 3))
    A[0, 1] = 5.0
    A[1, 0] = 0.2
    A[1, 2] = 3.0
    A[2, 2] = 7.0  # self-loop: not a connection
    assert cg.reciprocity(A) == pytest.approx(2 / 3)
    assert cg.reciprocity(scipy.sparse.csr_matrix(A)) == pytest.approx(2 / 3)
    assert cg.reciprocity(scipy.sparse.coo_array(A)) == pytest.approx(2 / 3)


def test_reciprocity_empty_graph_is_nan():
    assert math.isnan(cg.reciprocity(np.zeros((4, 4))))


def test_degrees_and_density_hand_made():
    A = np.array([[0, 1, 1], [0, 0, 1], [0, 0, 3]])  # A[2, 2] is a self-loop
    np.testing.assert_array_equal(cg.out_degrees(A), [2, 1, 0])
    np.testing.assert_array_equal(cg.in_degrees(A), [0, 1, 2])
    assert cg.density(A) == pytest.approx(3 / 6)


def test_clustering_triangle_and_star():
    triangle = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    np.testing.assert_allclose(cg.clustering(triangle), [1, 1, 1])
    star = np.zeros((4, 4))
    star[0, 1:] = 1
    np.testing.assert_allclose(cg.clustering(star), [0, 0, 0, 0])


def test_triad_census_hand_made():
    # A directed 3-cycle is one 030C triad; a feed-forward loop is one 030T.
    cycle = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    assert cg.triad_census(cycle)["030C"] == 1
    ffl = np.array([[0, 1, 1], [0, 0, 1], [0, 0, 0]])
    census = cg.triad_census(ffl)
    assert census["030T"] == 1 and sum(census.values()) == 1
    assert list(census) == list(cg.TRIAD_TYPES)


# --- against networkx ---------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reciprocity_matches_networkx(seed):
    A = random_digraph(seed=seed)
    assert cg.reciprocity(A) == pytest.approx(nx.overall_reciprocity(to_nx(A)))


@pytest.mark.parametrize("directed", [False, True])
def test_clustering_matches_networkx(directed):
    A = random_digraph(n=50, p=0.15, seed=3)
    graph = to_nx(A) if directed else to_nx(A).to_undirected()
    expected = nx.clustering(graph)
    np.testing.assert_allclose(cg.clustering(A, directed=directed), [expected[i] for i in range(50)], atol=1e-12)


def test_triad_census_sums_to_all_triples():
    A = random_digraph(n=30, seed=4)
    census = cg.triad_census(A)
    assert sum(census.values()) == math.comb(30, 3)


# --- null models --------------------------------------------------------------


def test_erdos_renyi_has_exact_edge_count_no_self_loops_and_is_seeded():
    G = cg.erdos_renyi(50, 300, rng=1)
    assert G.nnz == 300 and G.diagonal().sum() == 0
    assert (cg.erdos_renyi(50, 300, rng=1) != G).nnz == 0
    assert (cg.erdos_renyi(50, 300, rng=2) != G).nnz > 0
    with pytest.raises(ValueError, match="ordered pairs"):
        cg.erdos_renyi(3, 7)


def test_erdos_renyi_reciprocity_is_the_density():
    # In G(n, M) the chance that the reverse of a connection exists is about the density.
    values = [cg.reciprocity(cg.erdos_renyi(200, 4000, rng=s)) for s in range(5)]
    assert np.mean(values) == pytest.approx(4000 / (200 * 199), abs=0.01)


def test_rewire_preserves_every_in_and_out_degree():
    A = random_digraph(n=60, p=0.08, seed=5)
    R = cg.rewire(A, rng=0)
    np.testing.assert_array_equal(cg.out_degrees(R), cg.out_degrees(A))
    np.testing.assert_array_equal(cg.in_degrees(R), cg.in_degrees(A))
    assert R.diagonal().sum() == 0 and R.max() == 1
    assert (R != cg.presence(A)).nnz > 0.5 * cg.presence(A).nnz  # well mixed


def test_rewire_destroys_excess_reciprocity():
    A = random_digraph(n=80, p=0.05, seed=6, reciprocal_boost=3.0)
    null = cg.null_distribution(cg.reciprocity, A, n_samples=20, rng=1)
    assert cg.reciprocity(A) > null.max()
    assert cg.z_score(cg.reciprocity(A), null) > 5


def test_null_distribution_is_reproducible_and_checks_the_model():
    A = random_digraph(seed=7)
    a = cg.null_distribution(cg.density, A, model="erdos_renyi", n_samples=3, rng=4)
    np.testing.assert_allclose(a, cg.density(A))
    b = cg.null_distribution(cg.reciprocity, A, n_samples=3, rng=4)
    np.testing.assert_array_equal(b, cg.null_distribution(cg.reciprocity, A, n_samples=3, rng=4))
    with pytest.raises(ValueError, match="model"):
        cg.null_distribution(cg.density, A, model="shuffle")


# --- geometry -----------------------------------------------------------------


def test_distance_model_recovers_its_parameters():
    rng = np.random.default_rng(0)
    d = rng.uniform(0, 500, 40000)
    connected = rng.random(d.size) < 0.4 * np.exp(-d / 120.0)
    model = cg.fit_exponential_distance_model(d, connected)
    assert model.p0 == pytest.approx(0.4, rel=0.05)
    assert model.length_scale == pytest.approx(120.0, rel=0.05)
    np.testing.assert_allclose(model.probability([0.0, model.length_scale]), model.p0 * np.exp([0, -1]))


def test_connection_probability_by_distance_counts_ordered_pairs():
    positions = np.array([[0.0], [1.0], [3.0]])
    A = np.zeros((3, 3))
    A[0, 1] = 1  # distance 1
    A[2, 0] = 1  # distance 3
    centres, p, n_pairs = cg.connection_probability_by_distance(A, cg.pairwise_distances(positions), [0, 1.5, 2.5, 3.5])
    np.testing.assert_array_equal(n_pairs, [2, 2, 2])
    np.testing.assert_allclose(p, [0.5, 0.0, 0.5])
    np.testing.assert_allclose(centres, [0.75, 2.0, 3.0])


def test_split_pairs_keeps_both_directions_together():
    train, test = cg.split_pairs(30, test_fraction=0.25, rng=0)
    assert (train == train.T).all() and (test == test.T).all()
    assert not (train & test).any() and not np.diag(train | test).any()
    assert ((train | test) | np.eye(30, dtype=bool)).all()
    assert test.sum() / (30 * 29) == pytest.approx(0.25, abs=0.05)


def test_roc_auc_matches_mann_whitney():
    rng = np.random.default_rng(1)
    labels = rng.random(300) < 0.3
    scores = rng.normal(size=300) + labels + np.round(rng.random(300), 1)
    u = scipy.stats.mannwhitneyu(scores[labels], scores[~labels]).statistic
    assert cg.roc_auc(scores, labels) == pytest.approx(u / (labels.sum() * (~labels).sum()))
    assert cg.roc_auc([1, 2, 3], [0, 1, 1]) == 1.0


def test_class_order_groups_classes_stably():
    order = cg.class_order(["motor", "sensory", "inter", "sensory", "other"], ["sensory", "inter", "motor"])
    np.testing.assert_array_equal(order, [1, 3, 2, 0, 4])


def test_presence_rejects_bad_input():
    with pytest.raises(ValueError, match="square"):
        cg.presence(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="NaN"):
        cg.presence(np.full((2, 2), np.nan))


def test_distance_correlation_uses_distinct_nonzero_pairs():
    # Weights fall exactly with distance on the pairs that exist: a rank correlation of -1,
    # whatever the diagonal and the zeros (absent connections) hold.
    positions = np.array([[0.0], [1.0], [3.0], [7.0]])
    d = cg.pairwise_distances(positions)
    M = np.where(d > 0, 10.0 - d, 5.0)
    M[0, 3] = M[3, 0] = 0.0
    assert cg.distance_correlation(M, d) == pytest.approx(-1.0)
    expected = scipy.stats.spearmanr([9, 7, 8, 6, 4], [1, 3, 2, 4, 6]).statistic
    assert cg.distance_correlation(M, d) == pytest.approx(expected)
