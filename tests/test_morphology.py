"""Tests for neuro4ml.data.morphology: SWC reading, skeleton statistics, plotting, example data."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from neuro4ml.data.morphology import (
    MorphologyStats,
    load_example_neurons,
    morphology_stats,
    node_table,
    plot_morphology_2d,
    read_swc,
)

# A small hand-made tree, drawn so that every length is known exactly:
#
#   soma (1) at the origin
#   1 -> 2: 3-4-5 triangle, length 5
#   2 -> 3: +10 along x, length 10   (2 is a branch point: children 3 and 4)
#   2 -> 4: +2 along z, length 2     (4 is a branch point: children 5 and 6)
#   4 -> 5: (1, 1, 0), length sqrt(2)
#   4 -> 6: (0, 0, 7), length 7
#   1 -> 7: -1 along y, length 1     (1 is also a branch point: children 2 and 7)
# Tips: 3, 5, 6, 7.  Branch points: 1, 2, 4.
SWC_TEXT = """\
# a hand-made test skeleton
# id type x y z radius parent
1 1 0 0 0 2.0 -1
2 3 3 4 0 0.5 1
3 3 13 4 0 0.5 2

4 3 3 4 2 0.5 2
5 3 4 5 2 0.5 4
6 3 3 4 9 0.5 4
7 2 0 -1 0 0.3 1
"""
EXPECTED_LENGTH = 5 + 10 + 2 + math.sqrt(2) + 7 + 1


@pytest.fixture
def swc_file(tmp_path):
    path = tmp_path / "tiny.swc"
    path.write_text(SWC_TEXT, encoding="utf-8")
    return path


def test_read_swc_columns_and_types(swc_file):
    table = read_swc(swc_file)
    assert list(table) == ["node_id", "type", "x", "y", "z", "radius", "parent_id"]
    assert table["node_id"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert table["parent_id"].tolist() == [-1, 1, 2, 2, 4, 4, 1]
    assert table["type"].dtype.kind == "i"
    assert table["x"].dtype.kind == "f"
    np.testing.assert_allclose(table["radius"][0], 2.0)


def test_read_swc_rejects_short_lines(tmp_path):
    path = tmp_path / "bad.swc"
    path.write_text("1 1 0 0 0 -1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="7 columns"):
        read_swc(path)


def test_stats_on_known_tree(swc_file):
    stats = morphology_stats(read_swc(swc_file))
    assert isinstance(stats, MorphologyStats)
    assert stats.n_nodes == 7
    assert stats.cable_length == pytest.approx(EXPECTED_LENGTH, rel=1e-12)
    assert stats.n_branch_points == 3
    assert stats.n_tips == 4
    assert stats.n_roots == 1


def test_stats_scale_and_node_order(swc_file):
    table = read_swc(swc_file)
    # Shuffle the rows: the result must not depend on the order of the nodes.
    perm = np.random.default_rng(0).permutation(len(table["node_id"]))
    shuffled = {k: v[perm] for k, v in table.items()}
    stats = morphology_stats(shuffled, scale=0.5)
    assert stats.cable_length == pytest.approx(0.5 * EXPECTED_LENGTH)
    assert stats.n_branch_points == 3
    assert stats.n_tips == 4


def test_unbranched_cable():
    # A straight line of 11 nodes 1 µm apart: length 10, no branch points, one tip.
    n = 11
    table = {
        "node_id": np.arange(1, n + 1),
        "x": np.arange(n, dtype=float),
        "y": np.zeros(n),
        "z": np.zeros(n),
        "parent_id": np.r_[-1, np.arange(1, n)],
    }
    stats = morphology_stats(table)
    assert stats.cable_length == pytest.approx(10.0)
    assert stats.n_branch_points == 0
    assert stats.n_tips == 1


def test_missing_parent_and_missing_column():
    table = {
        "node_id": np.array([1, 2]),
        "x": np.zeros(2),
        "y": np.zeros(2),
        "z": np.zeros(2),
        "parent_id": np.array([-1, 99]),
    }
    with pytest.raises(ValueError, match="99"):
        morphology_stats(table)
    del table["z"]
    with pytest.raises(ValueError, match="z"):
        node_table(table)
    with pytest.raises(TypeError):
        node_table(42)


def test_plot_draws_one_segment_per_non_root_node(swc_file):
    table = read_swc(swc_file)
    fig, ax = plt.subplots()
    lines = plot_morphology_2d(table, ax, projection="xz")
    segments = lines.get_segments()
    assert len(segments) == 6
    # The segment of node 6 goes from (x, z) = (3, 9) to its parent at (3, 2).
    np.testing.assert_allclose(segments[4], [[3, 9], [3, 2]])
    # The soma (SWC type 1) is marked with one dot at the origin.
    (dots,) = ax.collections[1:]
    np.testing.assert_allclose(dots.get_offsets(), [[0, 0]])
    with pytest.raises(ValueError):
        plot_morphology_2d(table, ax, projection="xx")
    plt.close(fig)


def test_example_neurons_load_offline():
    pytest.importorskip("navis")
    neurons = load_example_neurons()
    assert len(neurons) == 5
    for neuron in neurons:
        stats = morphology_stats(neuron)
        # One skeleton is in two pieces (two roots); navis agrees.
        assert stats.n_roots == len(neuron.root)
        # The node table is consistent with navis's own measurements (µm).
        assert stats.cable_length == pytest.approx(float(neuron.cable_length), rel=1e-4)
        assert stats.n_branch_points == int(neuron.n_branches)
        assert stats.n_tips == int(neuron.n_leafs)
        # DA1 projection neurons have a few millimetres of cable at most.
        assert 500 < stats.cable_length < 5000
    fig, ax = plt.subplots()
    lines = plot_morphology_2d(neurons[0], ax, projection="xy")
    assert len(lines.get_segments()) == len(neurons[0].nodes) - 1
    plt.close(fig)


def test_missing_navis_names_the_extra(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "navis" or name.startswith("navis."):
            raise ImportError("No module named 'navis'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match=r"neuro4ml\[data\]"):
        load_example_neurons()


def test_read_swc_on_a_real_file_matches_navis():
    navis = pytest.importorskip("navis")
    from pathlib import Path

    swc_dir = Path(navis.__file__).parent / "data" / "swc"
    path = sorted(swc_dir.glob("*.swc"))[0]
    ours = morphology_stats(read_swc(path), scale=0.008)  # 8 nm voxels -> µm
    theirs = navis.read_swc(str(path), units="8 nm")
    assert ours.n_nodes == len(theirs.nodes)
    assert ours.n_branch_points == int(theirs.n_branches)
    assert ours.cable_length == pytest.approx(float(theirs.cable_length) * 0.008, rel=1e-4)
