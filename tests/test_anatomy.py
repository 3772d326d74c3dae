"""Tests of the anatomical pictures: the surface data, the geometry (projection, sections, sulcal
depth) against independent computations, and the labels each picture carries."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

pytest.importorskip("tvb_data")
from neuro4ml.plotting import anatomy as an


@pytest.fixture(scope="module")
def cortex():
    return an.load_cortex()


def test_every_region_has_a_lobe_and_the_hemispheres_are_on_their_sides(cortex):
    assert cortex.vertices.shape == (16384, 3) and len(cortex.region_names) == 76
    assert {n[1:] for n in cortex.region_names} <= set(an.LOBE_OF_AREA)
    hemi = cortex.hemisphere
    # the left hemisphere lies at y > 0 in this data set, the right at y < 0
    assert np.median(cortex.vertices[hemi == "left", 1]) > 20
    assert np.median(cortex.vertices[hemi == "right", 1]) < -20
    # occipital at the back (x < 0), frontal at the front: the lobe map agrees with the coordinates
    lobe = cortex.lobe
    assert np.median(cortex.vertices[lobe == "occipital", 0]) < -50
    assert np.median(cortex.vertices[lobe == "frontal", 0]) > 10
    assert np.median(cortex.vertices[lobe == "temporal", 2]) < np.median(cortex.vertices[lobe == "parietal", 2])


def test_sulcal_depth_is_zero_on_the_hull_and_positive_inside(cortex):
    from scipy.spatial import ConvexHull

    d = an.sulcal_depth(cortex)
    left = np.flatnonzero(cortex.hemisphere == "left")
    hull = ConvexHull(cortex.vertices[left])
    assert np.allclose(d[left[hull.vertices]], 0.0, atol=1e-6)
    assert d.max() > 10  # sulci are centimetres deep in places
    # brute-force distance to the hull facets for a few vertices
    eq = hull.equations
    for i in left[::997]:
        assert d[i] == pytest.approx(max(0.0, -np.max(eq[:, :3] @ cortex.vertices[i] + eq[:, 3])))


def test_projection_of_the_left_lateral_view(cortex):
    xy, depth = an.project(np.array([[10.0, 20.0, 30.0]]), "left lateral")
    assert xy.tolist() == [[-10.0, 30.0]] and depth.tolist() == [20.0]  # front on the left, viewer at +y
    xy, depth = an.project(np.array([[10.0, 20.0, 30.0]]), "top")
    assert xy.tolist() == [[-20.0, 10.0]] and depth.tolist() == [30.0]
    with pytest.raises(ValueError, match="view must be one of"):
        an.project(np.zeros((1, 3)), "oblique")


def test_section_segments_lie_in_the_plane_and_on_their_triangles(cortex):
    seg, tri = an.section_segments(cortex, 2, 20.0)
    assert len(seg) > 500
    assert np.allclose(seg[:, :, 2], 20.0)
    # each end point lies inside the bounding box of its triangle
    corners = cortex.vertices[cortex.triangles[tri]]
    lo, hi = corners.min(axis=1), corners.max(axis=1)
    for k in (0, 1):
        assert np.all(seg[:, k] >= lo - 1e-9) and np.all(seg[:, k] <= hi + 1e-9)
    # a plane above the brain cuts nothing
    assert len(an.section_segments(cortex, 2, 500.0)[0]) == 0
    with pytest.raises(ValueError, match="axis"):
        an.section_segments(cortex, 3, 0.0)


def test_lobe_picture_is_labelled_in_the_right_places(cortex):
    fig, ax = plt.subplots()
    pos = an.plot_lobes(ax, cortex, "left lateral")
    texts = {t.get_text() for t in ax.texts}
    assert {"frontal", "parietal", "temporal", "occipital"} <= texts
    assert "central sulcus" in pos and "lateral sulcus" in pos
    # front on the left in a left lateral view: frontal label left of occipital, temporal below parietal
    assert pos["frontal"][0] < pos["parietal"][0] < pos["occipital"][0]
    assert pos["temporal"][1] < pos["parietal"][1]
    plt.close(fig)
    fig, ax = plt.subplots()
    pos = an.plot_lobes(ax, cortex, "left medial")
    assert "corpus callosum" in pos and "insula" not in pos
    plt.close(fig)


def test_sections_carry_their_lobes(cortex):
    fig, ax = plt.subplots()
    lc = an.plot_section(ax, "coronal", -10.0, cortex)
    assert lc.get_gid() == "section:coronal" and len(lc.get_segments()) > 300
    assert {"temporal", "parietal"} <= {t.get_text() for t in ax.texts}
    plt.close(fig)


def test_neuron_compartments_differ_by_more_than_colour():
    navis = pytest.importorskip("navis")
    from neuro4ml.data.morphology import load_example_neurons

    neuron = an.split_neuron(load_example_neurons()[0])
    comp = neuron.nodes["compartment"]
    assert {"axon", "dendrite"} <= set(comp)
    conn = neuron.connectors.drop(columns="compartment", errors="ignore").merge(
        neuron.nodes[["node_id", "compartment"]], on="node_id")
    # outputs (presynaptic sites) sit mostly on the axon, inputs mostly on the dendrite (projection
    # neurons also make some outputs in their dendrites, so the split is not absolute)
    pre_on_axon = (conn[conn.type == "pre"].compartment == "axon").mean()
    post_on_axon = (conn[conn.type == "post"].compartment == "axon").mean()
    assert pre_on_axon > 0.5 and pre_on_axon > post_on_axon + 0.3
    assert (conn[conn.type == "post"].compartment == "dendrite").mean() > 0.5
    fig, ax = plt.subplots()
    out = an.plot_neuron_compartments(ax, neuron)
    # told apart by more than colour: line width (axon against dendrite) and style (linker)
    assert out["axon"].get_linewidth()[0] > 2 * out["dendrite"].get_linewidth()[0]
    assert out["linker"].get_linestyle() != out["dendrite"].get_linestyle()
    plt.close(fig)
