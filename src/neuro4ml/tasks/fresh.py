"""Fresh cases: seeds drawn from the operating system at every check, so that no case can be memorised.

Every week's task module draws its unseen cases through this module, so there is one
source of entropy (:func:`entropy`) that a test can replace to replay a check exactly.
"""

from __future__ import annotations

import secrets

import numpy as np

__all__ = ["entropy", "fresh_rng", "fresh_seed"]


def entropy() -> int:
    """64 random bits from the operating system (:func:`secrets.randbits`)."""
    return secrets.randbits(64)


def fresh_seed() -> int:
    """A seed below 1,000,000 (short enough to print in a case's description) that no learner has seen before."""
    return entropy() % 1_000_000


def fresh_rng() -> np.random.Generator:
    """A numpy generator seeded from :func:`entropy`: cases that differ at every check."""
    return np.random.default_rng(entropy())
