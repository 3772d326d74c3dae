"""The threshold currents of the Hodgkin-Huxley model for a long current step, found by bisection."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from neuro4ml.models.neurons.hodgkin_huxley import HHParams, hodgkin_huxley
from neuro4ml.validation import (
    finite_number,
    positive_number,
    whole_number,
)

__all__ = ["HHStepThresholds", "hodgkin_huxley_step_thresholds"]


class HHStepThresholds(NamedTuple):
    """The two threshold currents of a long current step (uA/cm^2), see :func:`hodgkin_huxley_step_thresholds`."""

    #: Smallest step amplitude that evokes at least one action potential.
    rheobase_uA_per_cm2: float
    #: Smallest step amplitude that evokes firing sustained to the end of the step.
    repetitive_uA_per_cm2: float


def hodgkin_huxley_step_thresholds(
    *,
    low_uA_per_cm2: float = 0.0,
    high_uA_per_cm2: float = 12.0,
    duration_ms: float = 300.0,
    final_window_ms: float = 50.0,
    dt_ms: float = 0.01,
    rounds: int = 2,
    points: int = 32,
    params: HHParams = HHParams(),
) -> HHStepThresholds:
    r"""Rheobase and threshold for repetitive firing of the Hodgkin-Huxley model.

    A step of current :math:`I` is applied from rest for ``duration_ms``.

    * The **rheobase** is the smallest :math:`I` that evokes at least one action
      potential during the step (the classical definition of rheobase: the least
      current of long duration that excites at all).
    * The **threshold for repetitive firing** is the smallest :math:`I` that keeps
      the neuron firing to the end of the step: at least two spikes in the last
      ``final_window_ms``. Between the two, a step evokes one spike (or a short
      train that dies out) followed by damped oscillations. In the squid model the
      repetitive threshold sits just above the saddle-node of periodic orbits at
      :math:`I \approx 6.26\ \mu\text{A/cm}^2` (Rinzel & Miller 1980, Math. Biosci.
      49:27-59), and the rheobase is about 2.2 :math:`\mu\text{A/cm}^2`.

    Both are found by multisection: each round simulates a grid of ``points``
    currents inside each bracket at once (one neuron per current, with
    :func:`hodgkin_huxley`) and narrows the bracket to one grid cell, so after
    ``rounds`` rounds the bracket is :math:`(b - a)/(points - 1)^{rounds}` wide. The
    upper end of each final bracket is returned.

    Parameters
    ----------
    low_uA_per_cm2, high_uA_per_cm2 : float
        Initial bracket; ``low`` must be below both thresholds, ``high`` above both.
    duration_ms, final_window_ms : float
        Step duration and the final window in which sustained firing is checked.
    dt_ms : float
        Time step of the simulations.
    rounds, points : int
        Number of refinement rounds (>= 1) and grid points per bracket (>= 3).
    params : HHParams
        Model parameters.

    Returns
    -------
    HHStepThresholds
        ``rheobase_uA_per_cm2`` and ``repetitive_uA_per_cm2``.
    """
    low = finite_number(low_uA_per_cm2, "low_uA_per_cm2")
    high = finite_number(high_uA_per_cm2, "high_uA_per_cm2")
    if not high > low:
        raise ValueError(f"high_uA_per_cm2 must exceed low_uA_per_cm2, got [{low}, {high}]")
    duration_ms = positive_number(duration_ms, "duration_ms")
    final_window_ms = positive_number(final_window_ms, "final_window_ms")
    if final_window_ms >= duration_ms:
        raise ValueError(f"final_window_ms must be shorter than duration_ms, got {final_window_ms}")
    dt_ms = positive_number(dt_ms, "dt_ms")
    rounds = whole_number(rounds, "rounds")
    points = whole_number(points, "points", minimum=3)
    n_steps = max(1, round(duration_ms / dt_ms))
    tests: dict[str, Callable[[np.ndarray], bool]] = {
        "rheobase": lambda train: train.size >= 1,
        "repetitive": lambda train: int(np.sum(train > duration_ms - final_window_ms)) >= 2,
    }
    brackets = {name: (low, high) for name in tests}
    for _ in range(rounds):
        grids = {name: np.linspace(a, b, points) for name, (a, b) in brackets.items()}
        currents = np.concatenate(list(grids.values()))
        run = hodgkin_huxley(np.repeat(currents[:, None], n_steps, axis=1), dt_ms=dt_ms, params=params)
        for j, (name, grid) in enumerate(grids.items()):
            trains = run.spike_times_ms[j * points:(j + 1) * points]
            fires = np.array([tests[name](np.asarray(train)) for train in trains])
            if fires[0] or not fires[-1]:
                raise ValueError(
                    f"the {name} threshold is not inside [{grid[0]:g}, {grid[-1]:g}] uA/cm^2: "
                    "widen low_uA_per_cm2/high_uA_per_cm2"
                )
            first = int(np.argmax(fires))
            brackets[name] = (float(grid[first - 1]), float(grid[first]))
    return HHStepThresholds(brackets["rheobase"][1], brackets["repetitive"][1])
