"""The answer checks' tests replay their "fresh" cases.

A check draws unseen cases from the operating system at every run
(:mod:`neuro4ml.tasks.fresh`), so no learner can memorise them; a test that passed or
failed on a random draw could not be replayed. Here every test draws from a generator
seeded by its own name: the same cases in every run and on every xdist worker, and
different cases in different tests. How often a check misjudges a random draw is a
property of the check, measured over many draws where a test needs it (see
``tests/check/test_w6.py``), not left to chance in CI.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from neuro4ml.tasks import fresh


@pytest.fixture(autouse=True)
def replayable_cases(request, monkeypatch):
    rng = np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))
    monkeypatch.setattr(fresh, "entropy", lambda: int(rng.integers(2**63)))
