"""The plotting helpers draw the panels the pages describe from small inputs."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from neuro4ml.plotting import figures
from neuro4ml.hardware.energy import gpu_flop_per_joule, synaptic_events_per_joule
from neuro4ml.analysis.population import DECODERS, VonMisesPopulation
from neuro4ml.learning.reinforcement import td_cue_reward


def teardown_function():
    plt.close("all")


def test_energy_and_timeline_figures():
    fig = figures.plot_energy_comparison({"brain": 20.0, "gpu": 700.0}, {"brain": 3.5, "gpt": 1287.0},
                                         {"b": synaptic_events_per_joule(), "g": gpu_flop_per_joule()},
                                         brain_labels=["brain", "b"])
    assert len(fig.axes) == 3
    fig = figures.plot_timeline([(1943, "a", 0, 1), (1958, "b", -1, 2)], [(1943, 1958)], title="t")
    assert len(fig.axes) == 1


def test_td_figure_has_three_trials_and_a_heat_map():
    run = td_cue_reward(11, omit_on={10})
    fig = figures.plot_td_errors(run.delta, cue_step=5, reward_step=15, trained_trial=9, omitted_trial=10,
                                 heat_map_trials=10)
    assert len(fig.axes) == 5            # three bar charts, the heat map and its colour bar


def test_adversarial_and_decoding_figures():
    side = 4
    x = np.full(side * side, 0.5)
    eps_grid = np.linspace(0, 1, 5)
    fig = figures.plot_adversarial(x, 0.1 * np.sign(x - 0.4), x, 0.2, 0.8, eps_grid, eps_grid - 0.5,
                                   np.random.default_rng(0).normal(size=(5, 20)), np.array([16, 64]),
                                   np.array([0.2, 0.1]), side=side)
    assert len(fig.axes) == 8            # three images with colour bars, two line plots
    pop = VonMisesPopulation()
    counts = pop.sample_counts(np.array([0.5]), 0.1, rng=0)
    decoding = pop.decode(counts, 0.1, kappa_prior=1.0)
    fig = figures.plot_population_decoding(pop, 0.5, counts[0], 0.1, decoding, np.ones(decoding.grid_rad.size),
                                           np.array([10, 100]), {name: [10.0, 5.0] for name in DECODERS},
                                           [8.0, 3.0], 60.0)
    assert len(fig.axes) == 3


def test_perceptron_and_visual_cell_figures():
    from neuro4ml.learning.perceptron import separable_points, train_perceptron
    from neuro4ml.models.vision import bar_image, gabor_filter

    X, y = separable_points(20, [1.0, -0.7], 0.1, rng=0)
    fig = figures.plot_xor_and_perceptron(X, y, train_perceptron(X, y))
    assert len(fig.axes) == 3
    fig = figures.plot_simple_and_complex_cells(gabor_filter(0, 0), bar_image(0, 4), np.array([0, 10]), [1, 0.5],
                                                [1, 0.6], np.array([0, 1]), [1, 0.2], [1, 1], n_pooled=3)
    assert len(fig.axes) == 3


def test_diagrams():
    fig = figures.plot_course_parts([("I", "tab:blue", [(1, "a"), (2, "b")]), ("II", "tab:green", [(3, "c")])],
                                    "Week 0", title="t")
    assert len(fig.axes) == 1 and len(fig.axes[0].patches) == 6     # intro, two parts, three weeks
    fig = figures.plot_signed_circuit({"a": (0, 0), "b": (1.5, 0), "c": (3, 1)}, [("a", "b", "+"), ("b", "c", "−")],
                                      shaded=["a"], region=("cord", 1, 2))
    from matplotlib.patches import FancyArrowPatch

    assert sum(isinstance(p, FancyArrowPatch) for p in fig.axes[0].patches) == 2   # the two arrows
