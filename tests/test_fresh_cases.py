"""Fresh cases: unseen at every check, and replayable when the source of entropy is fixed."""

from __future__ import annotations

import numpy as np

from neuro4ml.tasks import fresh, w1, w6


def test_every_check_draws_unseen_cases():
    assert len({fresh.fresh_seed() for _ in range(20)}) > 15
    first, second = (w6.decoding_cases() for _ in range(2))
    assert all(not np.array_equal(a[1], b[1]) for a, b in zip(first, second))


def test_fixing_the_entropy_replays_a_check_exactly(monkeypatch):
    monkeypatch.setattr(fresh, "entropy", lambda: 12345)
    first, second = (w6.decoding_cases() for _ in range(2))
    assert [case[0] for case in first] == [case[0] for case in second]
    assert all(np.array_equal(a[1], b[1]) and np.array_equal(a[2], b[2]) for a, b in zip(first, second))
    assert w1.fresh_seed() == 12345 % 1_000_000
