"""neuro4ml.validation.whole_number: the library's one whole-number check."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.validation import whole_number


@pytest.mark.parametrize("value", [0, 1, 7, np.int64(3), np.uint8(2)])
def test_integers_in_range_come_back_as_int(value):
    result = whole_number(value, "n", minimum=0)
    assert result == value and type(result) is int


@pytest.mark.parametrize("value", [True, 2.0, 2.5, "3", None, np.float64(1.0)])
def test_anything_but_an_integer_is_refused(value):
    with pytest.raises(ValueError, match=r"n_trials must be a whole number >= 1, got"):
        whole_number(value, "n_trials")


def test_bounds_are_inclusive_and_named():
    assert whole_number(16, "n_bits", maximum=16) == 16
    with pytest.raises(ValueError, match=r"n_bits must be a whole number from 1 to 16, got 17"):
        whole_number(17, "n_bits", maximum=16)
    with pytest.raises(ValueError, match=r"seed must be a whole number >= 0, got -1"):
        whole_number(-1, "seed", minimum=0)
    assert whole_number(-5, "offset", minimum=None) == -5
    with pytest.raises(ValueError, match=r"offset must be a whole number <= 3, got 4"):
        whole_number(4, "offset", minimum=None, maximum=3)
