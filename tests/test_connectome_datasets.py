"""The connectome loaders return the published sizes, with labelled axes."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from neuro4ml.analysis import connectome as cg
from neuro4ml.data import connectomes

pytest.importorskip("cect")
pytest.importorskip("tvb_data")


def test_varshney_2011_published_sizes():
    # Varshney et al. (2011), PLoS Comput Biol 7:e1001066: 279 connected somatic
    # neurons, 6393 chemical synapses and 890 gap junctions.
    c = connectomes.load_celegans("varshney_2011")
    chemical = c.chemical.toarray()
    gap = c.gap_junctions.toarray()
    linked = (chemical + chemical.T + gap).sum(axis=1) - 2 * np.diag(chemical) - np.diag(gap) > 0
    assert linked.sum() == 279
    # The distributed spreadsheet counts one synapse more than the paper's text.
    assert abs(chemical.sum() - 6393) <= 1
    # Gap junctions are listed in both directions; a self-junction only once.
    assert (gap.sum() - np.trace(gap)) / 2 + np.trace(gap) == 890
    np.testing.assert_array_equal(gap, gap.T)


def test_witvliet_stages_grow_and_keep_their_labels():
    # Witvliet et al. (2021): the adult brain has several times the chemical
    # synapses of the newborn L1 larva, on a conserved set of neurons.
    first = connectomes.load_celegans("witvliet_1")
    last = connectomes.load_celegans("witvliet_8")
    assert last.chemical.sum() > 4 * first.chemical.sum()
    assert set(first.neurons) <= set(last.neurons)
    assert len(connectomes.WITVLIET_STAGES) == 8


def test_celegans_axes_classes_and_positions():
    c = connectomes.load_celegans("witvliet_8")
    n = c.n_neurons
    assert c.chemical.shape == c.gap_junctions.shape == (n, n)
    assert len(set(c.neurons)) == n and c.cell_classes.shape == (n,)
    assert set(c.cell_classes) <= {"sensory", "interneuron", "motor", "other"}
    assert c.cell_classes[c.index("AVAL")] == "interneuron"
    assert c.cell_classes[c.index("ASHL")] == "sensory"
    assert c.positions_um.shape == (n, 3) and np.isfinite(c.positions_um).all()
    # A left-right pair sits at the same place along the body (y), side by side (x).
    left, right = c.positions_um[c.index("AVAL")], c.positions_um[c.index("AVAR")]
    assert abs(left[1] - right[1]) < 5 and left[0] != right[0]
    # The whole animal: head neurons at negative y, tail neurons (PVC) near the other end.
    body = connectomes.load_celegans("varshney_2011")
    assert body.positions_um[body.index("PVCL"), 1] - body.positions_um[body.index("ASHL"), 1] > 500
    with pytest.raises(KeyError, match="no neuron"):
        c.index("NOTANEURON")
    with pytest.raises(ValueError, match="dataset must be one of"):
        connectomes.load_celegans("hemibrain")


def test_human_structural_has_66_regions():
    # Hagmann et al. (2008): 66 cortical regions, 33 per hemisphere.
    h = connectomes.load_human_structural()
    assert h.n_regions == 66 and h.weights.shape == h.tract_lengths_mm.shape == (66, 66)
    assert (h.hemisphere == "left").sum() == 33
    np.testing.assert_allclose(h.weights, h.weights.T, atol=1e-3)
    # Fibres curve: tracts are typically longer than the straight line between
    # centres, and the two grow together.
    d = cg.pairwise_distances(h.centres_mm)
    connected = h.weights > 0
    np.fill_diagonal(connected, False)
    assert np.median(h.tract_lengths_mm[connected] / d[connected]) > 1
    assert np.corrcoef(h.tract_lengths_mm[connected], d[connected])[0, 1] > 0.6


def test_human_functional_schaefer_100():
    pytest.importorskip("brainspace")
    f = connectomes.load_human_functional(100)
    assert f.correlation.shape == (100, 100)
    np.testing.assert_allclose(np.diag(f.correlation), 1.0)
    # The first 50 parcels are the left hemisphere (negative x in MNI-like space).
    assert (f.centres_mm[f.hemisphere == "left", 0] < 0).all()
    assert (f.centres_mm[f.hemisphere == "right", 0] > 0).all()
    held_out = connectomes.load_human_functional(100, group="holdout")
    assert 0.9 < np.corrcoef(f.correlation.ravel(), held_out.correlation.ravel())[0, 1] < 1


def test_missing_package_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "tvb_data", None)  # makes `import tvb_data` fail
    with pytest.raises(ImportError, match=r"neuro4ml\[connectomes\]"):
        connectomes.load_human_structural()
