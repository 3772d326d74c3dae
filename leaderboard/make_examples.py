"""Write the example submissions of the leaderboards (files named ``example-*``), from the library.

Run from the repository root: ``python leaderboard/make_examples.py``. Teams never run
this; it shows what a submission looks like and gives each leaderboard a baseline.

* ``w1/example-starting-guess.toml``: the week 1 exercise's starting guess.
* ``w1/example-grid-search.toml``: the best point of a coarse grid over (tau_ms, a, b),
  chosen on the training repeats only (as in the exercise; the score uses the held-out ones).
* ``w8/example-part2.npz``: the week 8 exercise's Part 2 network (64 hidden neurons,
  weights rounded to 4 bits after training).
* ``w8/example-quantisation-aware.npz``: the exercise's Part 3 solution (the same network
  trained with 4-bit weights in the forward pass and a small spike penalty).

Both week 8 networks are trained exactly as in the exercise's solution, on the same 800
samples (about a minute each on 2 CPU cores).
"""

from __future__ import annotations

import itertools
from pathlib import Path

from neuro4ml.competition import write_w1_submission
from neuro4ml.tasks import w1

HERE = Path(__file__).resolve().parent


def week1() -> None:
    write_w1_submission(HERE / "w1" / "example-starting-guess.toml", "Example: starting guess", *w1.STARTING_GUESS)
    grid = list(itertools.product([5.0, 7.5, 10.0, 15.0, 20.0], [0.6, 0.8, 1.0, 1.2, 1.4], [-0.4, -0.2, 0.0, 0.2, 0.4]))
    best = min(grid, key=lambda point: w1.score(*point, repeats=w1.TRAIN_REPEATS))
    write_w1_submission(HERE / "w1" / "example-grid-search.toml", "Example: coarse grid search", *best)


def week8() -> None:
    from neuro4ml.competition import write_w8_submission
    from neuro4ml.data import randman
    from neuro4ml.hardware.neuromorphic import training
    from neuro4ml.learning import snn
    from neuro4ml.tasks.w5 import RANDMAN_TASK

    train_set, _ = randman(1000, **RANDMAN_TASK).split(800)
    for name, team, aware, lr, penalty in [
        ("example-part2.npz", "Example: Part 2 network, rounded after training", False, 5e-3, 0.0),
        ("example-quantisation-aware.npz", "Example: quantisation-aware training", True, 1e-2, 1e-3),
    ]:
        model = snn.SNN(20, 64, 10, weight_gain=3.0)
        if aware:
            training.quantisation_aware(model, 4)
        snn.train(model, train_set.x, train_set.y, epochs=15, lr=lr, spike_penalty=penalty, seed=0, progress=False)
        training.quantisation_aware(model, 4)
        training.quantisation_aware(model, None)
        write_w8_submission(HERE / "w8" / name, team, model)


if __name__ == "__main__":
    week1()
    week8()
