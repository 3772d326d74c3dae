"""The Cavanagh et al. (2011) reaction-time loader (data from the installed hssm package)."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys

import numpy as np
import pytest

from neuro4ml.data import reaction_times
from neuro4ml.data.reaction_times import cavanagh_path, load_cavanagh


def test_loader_returns_the_published_size():
    """3,988 trials from 14 participants (the table as HSSM ships it; Cavanagh et al. 2011)."""
    data = load_cavanagh()
    assert len(data) == 3988
    assert np.unique(data.participant).size == 14
    assert set(np.unique(data.stim)) == {"WL", "WW", "LL"}
    # Low conflict is exactly the win-lose pairs.
    np.testing.assert_array_equal(data.conflict == "LC", data.stim == "WL")
    assert set(np.unique(data.dbs)) == {0, 1}
    assert set(np.unique(data.choices)) == {0, 1}
    assert 0.3 < data.rt_s.min() and data.rt_s.max() < 6.0  # seconds, not ms
    assert not data.rt_s.flags.writeable
    # The better symbol is chosen more often when the pair has one (win-lose).
    assert data.choices[data.stim == "WL"].mean() > 0.6


def test_select_and_path_argument(tmp_path):
    copy = tmp_path / "table.csv"
    shutil.copy(cavanagh_path(), copy)
    data = load_cavanagh(copy)
    on = data.select(data.dbs == 1)
    assert len(on) == int(np.sum(data.dbs == 1)) and np.all(on.dbs == 1)
    with pytest.raises(ValueError, match="mask must have shape"):
        data.select(np.ones(3, bool))
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not the Cavanagh table"):
        load_cavanagh(bad)


def test_hssm_is_never_imported():
    code = "import sys; from neuro4ml.data import load_cavanagh; load_cavanagh(); print('hssm' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_missing_package_names_the_install_command(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(reaction_times.importlib.metadata, "files", missing)
    with pytest.raises(ModuleNotFoundError, match="pip install --no-deps hssm"):
        load_cavanagh()
