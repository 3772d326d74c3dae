"""Helpers shared by the answer-check tests: run a check quietly and assert its verdict."""

from __future__ import annotations

import numpy as np

from neuro4ml.check.core import FAILED


def run_quietly(check, *args):
    """The check's result, printing nothing and with numpy's warnings silenced (learners' NaNs are expected)."""
    with np.errstate(all="ignore"):
        return check(*args, quiet=True)


def assert_verdict(result, status, message=""):
    """The check ended with ``status``, said ``message``, and gave a hint when it failed."""
    assert result.status == status, result.verdict()
    assert message in "\n".join(result.messages), result.verdict()
    if status == FAILED:
        assert result.hint, result.verdict()


def not_done(*args, **kwargs):
    """A learner's function as the template leaves it."""
    raise NotImplementedError("complete it")
