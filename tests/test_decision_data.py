"""The Cavanagh et al. (2011) reaction-time loader (the table shipped with the library)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from neuro4ml.data.reaction_times import load_cavanagh


def test_loader_returns_the_published_size():
    """3,988 trials from 14 participants (the table as HDDM and HSSM ship it; Cavanagh et al. 2011)."""
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
    data = load_cavanagh()
    # A CSV in HDDM's layout (response 1 or 0) reads back the same trials.
    copy = tmp_path / "table.csv"
    lines = ["subj_idx,stim,rt,response,theta,dbs,conf"]
    lines += [
        f"{p},{s},{float(rt)!r},{float(c)},{float(th)!r},{d},{cf}"
        for p, s, rt, c, th, d, cf in zip(data.participant, data.stim, data.rt_s, data.choices, data.theta, data.dbs, data.conflict)
    ]
    copy.write_text("\n".join(lines) + "\n")
    again = load_cavanagh(copy)
    for name in data.__dataclass_fields__:
        np.testing.assert_array_equal(getattr(again, name), getattr(data, name))
    on = data.select(data.dbs == 1)
    assert len(on) == int(np.sum(data.dbs == 1)) and np.all(on.dbs == 1)
    with pytest.raises(ValueError, match="mask must have shape"):
        data.select(np.ones(3, bool))
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not the Cavanagh table"):
        load_cavanagh(bad)


def test_loading_imports_no_heavy_package():
    code = (
        "import sys; from neuro4ml.data import load_cavanagh; load_cavanagh(); "
        "print(sorted(m for m in ('hssm', 'pandas', 'pymc') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
