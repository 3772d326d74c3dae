"""The data shipped with the library hold exactly what the original packages give.

Each test reads the original package with the readers of ``scripts/make_shipped_data.py`` (the
script that writes the shipped files) and compares every array with what the library's loader
returns. A test is skipped only when its original package is not installed; ``make``'s
environment (the ``connectomes`` extra of ``dev``) has them. The HDDM source distribution is
fetched from PyPI (and checked against its SHA-256), so that test needs the network.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

from neuro4ml.data import connectomes, load_cavanagh

ROOT = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("make_shipped_data", ROOT / "scripts" / "make_shipped_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make = _script()


def _installed(*names: str) -> None:
    for name in names:
        pytest.importorskip(name, reason=f"the original package {name} is not installed")


@pytest.mark.parametrize("dataset", sorted(connectomes.CELEGANS_DATASETS))
def test_celegans_equals_cect(dataset):
    _installed("cect", "c302")
    original = make.celegans_from_cect(dataset)
    shipped = connectomes.load_celegans(dataset)
    assert shipped.neurons == tuple(original["neurons"])
    np.testing.assert_array_equal(shipped.chemical.toarray(), original["chemical"])
    np.testing.assert_array_equal(shipped.gap_junctions.toarray(), original["gap_junctions"])
    np.testing.assert_array_equal(shipped.cell_classes, original["cell_classes"])
    positions = make.soma_positions_from_c302()
    expected = np.array([positions.get(name, (np.nan,) * 3) for name in original["neurons"]])
    np.testing.assert_array_equal(shipped.positions_um, expected)


def test_human_structural_equals_tvb_data():
    _installed("tvb_data")
    original = make.human_structural_from_tvb()
    shipped = connectomes.load_human_structural()
    assert shipped.regions == tuple(original["regions"])
    for name in ("weights", "tract_lengths_mm", "centres_mm"):
        np.testing.assert_array_equal(getattr(shipped, name), original[name], err_msg=name)


@pytest.mark.parametrize("n_regions", connectomes.SCHAEFER_SIZES)
@pytest.mark.parametrize("group", ["main", "holdout"])
def test_human_functional_equals_brainspace(n_regions, group):
    _installed("brainspace", "nibabel")
    original = make.human_functional_from_brainspace(n_regions, group)
    shipped = connectomes.load_human_functional(n_regions, group=group)
    np.testing.assert_array_equal(shipped.correlation, original["correlation"])
    np.testing.assert_array_equal(shipped.centres_mm, original["centres_mm"])


def _same_trials(original: dict[str, np.ndarray], atol: float = 0.0) -> None:
    shipped = load_cavanagh()
    for name, values in original.items():
        if values.dtype.kind == "f":
            np.testing.assert_allclose(getattr(shipped, name), values, rtol=0, atol=atol, err_msg=name)
        else:
            np.testing.assert_array_equal(getattr(shipped, name), values, err_msg=name)


@pytest.mark.network
def test_cavanagh_equals_hddm(tmp_path):
    cache = Path(os.environ.get("NEURO4ML_CACHE", Path.home() / ".cache" / "neuro4ml"))
    _same_trials(make.cavanagh_from_hddm(cache))


def test_cavanagh_equals_hssm():
    try:
        importlib.metadata.distribution("hssm")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("the original package hssm is not installed")
    # hssm's copy is a re-export of the same table (0.4189999999999999 for HDDM's 0.419,
    # 0.656275122261 for 0.65627512226100004): its numbers differ by at most 1.1e-16.
    _same_trials(make.cavanagh_from_hssm(), atol=2e-16)
