"""Write the example submissions of the leaderboards (files named ``example-*``), from the library.

Run from the repository root: ``python leaderboard/make_examples.py``. Teams never run
this; it shows what a submission looks like and gives each leaderboard a baseline.

* ``w1/example-starting-guess.toml``: the week 1 exercise's starting guess.
* ``w1/example-grid-search.toml``: the best point of a coarse grid over (tau_ms, a, b),
  chosen on the training repeats only (as in the exercise; the score uses the held-out ones).
"""

from __future__ import annotations

import itertools
from pathlib import Path

from neuro4ml.check import w1
from neuro4ml.competition import write_w1_submission

HERE = Path(__file__).resolve().parent


def week1() -> None:
    write_w1_submission(HERE / "w1" / "example-starting-guess.toml", "Example: starting guess", *w1.STARTING_GUESS)
    grid = list(itertools.product([5.0, 7.5, 10.0, 15.0, 20.0], [0.6, 0.8, 1.0, 1.2, 1.4], [-0.4, -0.2, 0.0, 0.2, 0.4]))
    best = min(grid, key=lambda point: w1.score(*point, repeats=w1.TRAIN_REPEATS))
    write_w1_submission(HERE / "w1" / "example-grid-search.toml", "Example: coarse grid search", *best)


if __name__ == "__main__":
    week1()
