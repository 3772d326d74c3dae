"""Plotting helpers for the figures of the lecture pages.

The models and numbers behind each figure live in the modules named for them
(:mod:`neuro4ml.hardware.energy`, :mod:`neuro4ml.learning.reinforcement`, :mod:`neuro4ml.learning.adversarial`,
:mod:`neuro4ml.analysis.population`); these functions only draw what a page has computed, so that
a page's code cell shows the computation that teaches and one call that draws it. Each
function returns the matplotlib figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

__all__ = [
    "plot_adversarial",
    "plot_course_parts",
    "plot_signed_circuit",
    "plot_simple_and_complex_cells",
    "plot_xor_and_perceptron",
    "plot_energy_comparison",
    "plot_population_decoding",
    "plot_td_errors",
    "plot_timeline",
]


def _sci(x: float) -> str:
    """``m x 10^e`` in matplotlib mathtext."""
    e = int(np.floor(np.log10(x)))
    return rf"${x / 10**e:.0f}\times10^{{{e}}}$"


def plot_energy_comparison(
    power_w: Mapping[str, float],
    energy_mwh: Mapping[str, float],
    operations_per_joule: Mapping[str, tuple[float, float]],
    *,
    brain_labels: Sequence[str] = (),
):
    """Three log-scale panels: power, energy, and ranges of operations per joule.

    Bars whose label is in ``brain_labels`` are purple, the others orange; the ranges
    are drawn in the same colours, in order (brain first).
    """
    def colour(label: str) -> str:
        return "tab:purple" if label in brain_labels else "tab:orange"

    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
    for ax, values, unit, title, xlim in [
        (axes[0], power_w, "W", "Power while running", (1, 2e5)),
        (axes[1], energy_mwh, "MWh", "Energy over a lifetime vs one training run", (0.05, 3e4)),
    ]:
        ax.barh(list(values), list(values.values()), color=[colour(k) for k in values])
        ax.set_xscale("log")
        ax.set_xlabel(f"{'power' if unit == 'W' else 'energy'} ({unit}, log scale)")
        ax.set_title(title)
        for i, v in enumerate(values.values()):
            text = f"{v:,.0f} {unit}" if (unit == "W" or v >= 100) else f"{v:,.1f} {unit}"
            ax.text(v * 1.15, i, text, va="center", fontsize=9)
        ax.set_xlim(*xlim)
        ax.invert_yaxis()
    ax = axes[2]
    for i, (label, (lo, hi)) in enumerate(operations_per_joule.items()):
        ax.plot([lo, hi], [i, i], lw=10, color=colour(label), solid_capstyle="butt")
        ax.text(hi * 1.5, i, f"{_sci(lo)} to {_sci(hi)}", va="center", fontsize=9)
    ax.set_yticks(range(len(operations_per_joule)))
    ax.set_yticklabels(list(operations_per_joule))
    ax.set_xscale("log")
    ax.set_xlim(1e11, 1e16)
    ax.set_ylim(-0.8, len(operations_per_joule) - 0.2)
    ax.invert_yaxis()
    ax.set_xlabel("operations per joule (log scale)")
    ax.set_title("Not the same operation: compare with care")
    fig.tight_layout()
    return fig


def plot_td_errors(delta: np.ndarray, *, cue_step: int, reward_step: int, trained_trial: int,
                   omitted_trial: int, heat_map_trials: int = 60):
    """TD errors on the first trial, a trained trial and an omission trial, and a heat map.

    ``delta`` is shaped ``(trials, time steps)`` as returned by
    :func:`neuro4ml.learning.reinforcement.td_cue_reward`; time steps are drawn from 1.
    """
    time = np.arange(delta.shape[1]) + 1
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.2))
    for ax, trial, title in [(axes[0], 0, "first trial:\nresponse to reward"),
                             (axes[1], trained_trial, f"after {trained_trial + 1} trials:\nresponse moves to cue"),
                             (axes[2], omitted_trial, "reward omitted:\ndip at expected time")]:
        ax.bar(time, delta[trial], color=np.where(delta[trial] >= 0, "tab:green", "tab:red"))
        ax.axvline(cue_step, color="0.5", ls=":", lw=1)
        ax.axvline(reward_step, color="0.5", ls="--", lw=1)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("time step")
        ax.set_ylim(-1.1, 1.1)
    axes[0].set_ylabel(r"TD error $\delta$")
    axes[0].text(cue_step + 0.3, 0.85, "cue", fontsize=8, color="0.3")
    axes[0].text(reward_step + 0.3, 0.85, "reward", fontsize=8, color="0.3")
    im = axes[3].imshow(delta[:heat_map_trials].T, aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1,
                        origin="lower", extent=[0.5, heat_map_trials + 0.5, 0.5, delta.shape[1] + 0.5])
    axes[3].set_xlabel("trial")
    axes[3].set_ylabel("time step")
    axes[3].set_title(f"first {heat_map_trials} trials:\nthe error travels back to the cue", fontsize=10)
    plt.colorbar(im, ax=axes[3], label=r"$\delta$")
    fig.tight_layout()
    return fig


def plot_adversarial(x: np.ndarray, eta: np.ndarray, x_adv: np.ndarray, p_before: float, p_after: float,
                     eps_grid: np.ndarray, aligned: np.ndarray, random_scores: np.ndarray,
                     dims: np.ndarray, median_eps: np.ndarray, *, side: int):
    """Adversarial examples of a linear classifier, in two rows.

    Top: image, perturbation, perturbed image. Bottom: score against perturbation size (aligned line, 95 %
    range of random-sign perturbations) and flip size against dimension.
    """
    fig = plt.figure(figsize=(12, 7.5))
    grid = fig.add_gridspec(2, 6)
    eps = np.max(np.abs(eta))
    panels = [(x, "test image (class 0)", "gray", 0, 1),
              (eta, rf"perturbation $\varepsilon\,\mathrm{{sign}}(\mathbf{{w}})$, $\varepsilon$={eps:.3f}",
               "RdBu_r", -0.15, 0.15),
              (x_adv, "perturbed image", "gray", 0, 1)]
    image_axes = []
    for k, (img, title, cmap, lo, hi) in enumerate(panels):
        ax = fig.add_subplot(grid[0, 2 * k:2 * k + 2])
        im = ax.imshow(np.reshape(img, (side, side)), cmap=cmap, vmin=lo, vmax=hi)
        ax.set_title(title, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
        plt.colorbar(im, ax=ax, fraction=0.046, label="pixel value" if k != 1 else "change")
        image_axes.append(ax)
    image_axes[0].set_xlabel(f"P(class 1) = {p_before:.2f}")
    image_axes[2].set_xlabel(f"P(class 1) = {p_after:.2f}")

    ax = fig.add_subplot(grid[1, :3])
    ax.plot(eps_grid, aligned, color="tab:red", lw=2, label=r"aligned: $\varepsilon\,\mathrm{sign}(\mathbf{w})$")
    lo, hi = np.percentile(random_scores, [2.5, 97.5], axis=1)
    ax.fill_between(eps_grid, lo, hi, color="0.7", label="random signs (95% range)")
    ax.axhline(0, color="k", lw=1, ls="--")
    ax.text(eps_grid[1], 0.3, "decision boundary", fontsize=9)
    ax.set_xlabel(r"per-pixel perturbation size $\varepsilon$ (pixel units)")
    ax.set_ylabel(r"score $\mathbf{w}\cdot\mathbf{x} + b$")
    ax.set_title("Aligned changes add up; random ones cancel", fontsize=10)
    ax.legend(fontsize=9, loc="upper left")

    ax = fig.add_subplot(grid[1, 3:])
    ax.loglog(dims, median_eps, "o-", color="k", label="trained logistic regression")
    ax.loglog(dims, median_eps[0] * np.sqrt(dims[0] / dims), "--", color="tab:blue", label=r"$\propto 1/\sqrt{d}$")
    ax.axhline(1.0, color="0.5", ls=":")
    ax.text(dims[0], 0.75, "noise s.d. per dimension", fontsize=9, color="0.4")
    ax.set_xlabel("input dimension $d$")
    ax.set_ylabel(r"median $\varepsilon$ needed to flip")
    ax.set_title("Higher dimension, smaller perturbation needed", fontsize=10)
    ax.legend(fontsize=9, loc="lower left")
    fig.tight_layout()
    return fig


def plot_population_decoding(population, s_true_rad: float, example_counts: np.ndarray, window_s: float,
                             decoding, prior: np.ndarray, windows_ms: np.ndarray,
                             errors_deg: Mapping[str, Sequence[float]], cramer_rao_deg: Sequence[float],
                             guess_error_deg: float):
    """Decoding a direction from a population, in three panels.

    Tuning curves and one trial; that trial's prior, likelihood and posterior; RMS error of each decoder
    against the counting window, with the Cramér–Rao bound.
    """
    grid = decoding.grid_rad
    fig, axes = plt.subplots(1, 3, figsize=(14, 4))
    ax = axes[0]
    ax.plot(np.degrees(grid), population.rates_hz(grid), color="0.6", lw=0.8)
    ax.bar(np.degrees(np.angle(np.exp(1j * population.preferred_rad))), example_counts / window_s, width=10,
           color="tab:blue", alpha=0.7, label="one trial: counts / $T$")
    ax.axvline(np.degrees(s_true_rad), color="k", ls=":", lw=1)
    ax.set_xlabel("direction $s$ (degrees)")
    ax.set_ylabel("rate (Hz)")
    ax.set_title(f"{population.n_neurons} tuning curves; one {1000 * window_s:.0f} ms trial "
                 f"at $s$ = {np.degrees(s_true_rad):.0f}°")
    ax.legend(fontsize=8)

    ax = axes[1]
    lik = np.exp(decoding.log_likelihood[0] - decoding.log_likelihood[0].max())
    step_deg = np.degrees(grid[1] - grid[0])
    for curve, label, colour in [(prior, "prior", "0.6"), (lik, "likelihood", "tab:blue"),
                                 (decoding.posterior[0], "posterior", "tab:red")]:
        ax.plot(np.degrees(grid), curve / (curve.sum() * step_deg), color=colour, label=label)
    ax.axvline(np.degrees(s_true_rad), color="k", ls=":", lw=1)
    ax.set_xlabel("direction $s$ (degrees)")
    ax.set_ylabel("density (1/degree)")
    ax.set_title("decoding that trial")
    ax.legend(fontsize=8)

    ax = axes[2]
    # MAP and posterior mean nearly coincide: large open markers under small filled ones, and a
    # different line style for each, keep both visible
    styles = [dict(marker="o", ls="-", ms=4), dict(marker="^", ls="--", ms=5),
              dict(marker="s", ls="-.", ms=9, mfc="none", mew=1.4, lw=1.6), dict(marker="o", ls=":", ms=4, lw=1.8)]
    for k, (name, errs) in enumerate(errors_deg.items()):
        ax.loglog(windows_ms, errs, label=name, zorder=2 + k, **styles[k % len(styles)])
    ax.loglog(windows_ms, cramer_rao_deg, "k--", lw=1, label="Cramér–Rao bound")
    ax.axhline(guess_error_deg, color="0.6", lw=0.8)
    ax.text(windows_ms[0] * 1.1, guess_error_deg * 1.05, "guessing the prior's centre", color="0.4", fontsize=8)
    ax.set_xlabel("counting window $T$ (ms)")
    ax.set_ylabel("RMS error (degrees)")
    ax.set_title("estimators compared")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


def plot_timeline(events: Sequence[tuple[int, str, int, int]], links: Sequence[tuple[int, int]], *,
                  title: str, xlim: tuple[int, int] = (1925, 2021)):
    """A two-sided timeline of neuroscience and machine learning.

    Events are ``(year, label, row, level)`` with row +1 (neuroscience, above),
    -1 (machine learning, below) or 0 (both, above in green); level staggers the labels.
    ``links`` are (from year, to year) arrows of influence.
    """
    fig, ax = plt.subplots(figsize=(11, 5.2))
    ax.axhline(0, color="k", lw=1)
    colours = {1: "tab:purple", -1: "tab:orange", 0: "tab:green"}
    for year, label, row, level in events:
        ytext = (row if row != 0 else 1) * (0.35 + 0.55 * level)
        c = colours[row]
        ax.plot([year, year], [0, ytext], color=c, lw=0.8, alpha=0.6)
        ax.plot(year, 0, "o", color=c, ms=7, zorder=3)
        ax.text(year, ytext, label, ha="center", va="bottom" if ytext > 0 else "top", fontsize=8.5,
                bbox=dict(boxstyle="round,pad=0.25", fc="white", ec=c, lw=1))
    for a, b in links:
        ax.annotate("", xy=(b, 0.05), xytext=(a, 0.05),
                    arrowprops=dict(arrowstyle="->", color="0.4", lw=1.2, connectionstyle="arc3,rad=-0.35"))
    ax.text(xlim[0] + 1, 0.5, "neuroscience", color="tab:purple", fontsize=11, weight="bold")
    ax.text(xlim[0] + 1, -0.6, "machine\nlearning", color="tab:orange", fontsize=11, weight="bold")
    ax.text(xlim[0] + 1, 1.4, "green: both", color="tab:green", fontsize=9)
    ax.set_xlim(*xlim)
    ax.set_ylim(-2.7, 2.7)
    ax.set_yticks([])
    ax.set_xlabel("Year")
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_xor_and_perceptron(X: np.ndarray, labels: np.ndarray, run):
    """The perceptron in three panels.

    XOR with candidate lines; a separable data set with the perceptron's boundary; the mistakes per epoch
    (``run`` from :func:`neuro4ml.learning.perceptron.train_perceptron`).
    """
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.3))
    ax = axes[0]
    xor_x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    xor_y = np.array([0, 1, 1, 0])
    for cls, marker, colour in [(0, "o", "tab:blue"), (1, "s", "tab:red")]:
        pts = xor_x[xor_y == cls]
        ax.scatter(pts[:, 0], pts[:, 1], marker=marker, s=180, c=colour, edgecolor="k", zorder=3,
                   label=f"XOR = {cls}")
    for slope, icept in [(-1, 0.5), (-1, 1.5), (1, 0.0), (0, 0.5)]:   # each misplaces a point
        xs = np.linspace(-0.3, 1.3, 2)
        ax.plot(xs, slope * xs + icept, "--", color="0.6", lw=1)
    ax.set_xlim(-0.3, 1.3)
    ax.set_ylim(-0.3, 1.3)
    ax.set_xlabel("input $x_1$")
    ax.set_ylabel("input $x_2$")
    ax.set_title("XOR: no single line separates the classes", fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, fontsize=9)  # outside: inside, markers look like data
    ax.set_aspect("equal")

    ax = axes[1]
    for cls, marker, colour in [(0, "o", "tab:blue"), (1, "s", "tab:red")]:
        pts = X[labels == cls]
        ax.scatter(pts[:, 0], pts[:, 1], marker=marker, c=colour, edgecolor="k", s=35, label=f"class {cls}")
    xs = np.linspace(-1, 1, 2)
    ax.plot(xs, -(run.w[0] * xs + run.b) / run.w[1], "k-", lw=2, label="learned boundary")
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1, 1)
    ax.set_xlabel("input $x_1$")
    ax.set_ylabel("input $x_2$")
    ax.set_title("A separable problem: the learned boundary", fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3, fontsize=9)
    ax.set_aspect("equal")

    ax = axes[2]
    ax.plot(np.arange(1, len(run.mistakes) + 1), run.mistakes, "o-", color="k")
    ax.set_xlabel("epoch (one pass through the data)")
    ax.set_ylabel("mistakes (weight updates) in epoch")
    ax.set_title(f"Mistakes fall to zero after {len(run.mistakes)} epochs", fontsize=10)
    fig.tight_layout()
    return fig


def plot_simple_and_complex_cells(filter_image: np.ndarray, shifted_bar: np.ndarray, angles_deg: np.ndarray,
                                  simple_vs_angle, complex_vs_angle, offsets: np.ndarray, simple_vs_position,
                                  complex_vs_position, n_pooled: int):
    """A simple-cell filter with a shifted bar's outline, orientation tuning, and position tuning.

    Each response is normalised to its largest value.
    """
    size = filter_image.shape[0]
    coords = np.arange(size) - size // 2
    xx, yy = np.meshgrid(coords, coords)
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    axes[0].imshow(filter_image, cmap="RdBu_r", origin="lower", extent=[coords[0], coords[-1], coords[0], coords[-1]])
    axes[0].contour(xx, yy, shifted_bar, levels=[0.5], colors="k", linewidths=1)
    axes[0].set_title("simple-cell filter (red +, blue −)\nand a shifted bar", fontsize=10)
    axes[0].set_xlabel("position (pixels)")
    axes[0].set_ylabel("position (pixels)")
    norm_s, norm_c = max(simple_vs_angle), max(complex_vs_angle)
    axes[1].plot(angles_deg, np.array(simple_vs_angle) / norm_s, label="simple cell")
    axes[1].plot(angles_deg, np.array(complex_vs_angle) / norm_c, "--", label="complex cell")
    axes[1].set_xlabel("bar orientation (degrees)")
    axes[1].set_ylabel("response (normalised)")
    axes[1].set_title("both are orientation tuned", fontsize=10)
    axes[1].legend(fontsize=9)
    axes[2].plot(offsets, np.array(simple_vs_position) / norm_s, label="simple cell")
    axes[2].plot(offsets, np.array(complex_vs_position) / norm_c, "--", label=f"complex cell (max over {n_pooled})")
    axes[2].set_xlabel("bar position (pixels)")
    axes[2].set_ylabel("response (normalised)")
    axes[2].set_title("only the complex cell tolerates shifts", fontsize=10)
    axes[2].legend(fontsize=9)
    fig.tight_layout()
    return fig


def plot_course_parts(parts: Sequence[tuple[str, str, Sequence[tuple[int, str]]]], intro: str, *, title: str):
    """The course map: columns of week boxes, one column per part.

    Parts are ``(title, colour, [(week, name), ...])``; the columns are joined by arrows, above a bar for the introductory week.
    """
    from matplotlib.patches import FancyBboxPatch

    fig, ax = plt.subplots(figsize=(12, 4.6))
    width, gap = 2.7, 0.35
    total = len(parts) * width + (len(parts) - 1) * gap
    ax.add_patch(FancyBboxPatch((0, -0.9), total, 0.6, boxstyle="round,pad=0.05", fc="0.92", ec="0.5"))
    ax.text(total / 2, -0.6, intro, ha="center", va="center", fontsize=10)
    for k, (part, colour, weeks) in enumerate(parts):
        x0 = k * (width + gap)
        ax.add_patch(FancyBboxPatch((x0, 0), width, 3.6, boxstyle="round,pad=0.05",
                                    fc=colour, alpha=0.15, ec=colour, lw=2))
        ax.text(x0 + width / 2, 3.25, part, ha="center", va="center", fontsize=11, weight="bold", color=colour)
        for j, (number, name) in enumerate(weeks):
            y = 2.35 - j * 0.85
            ax.add_patch(FancyBboxPatch((x0 + 0.15, y - 0.3), width - 0.3, 0.6,
                                        boxstyle="round,pad=0.03", fc="white", ec=colour))
            ax.text(x0 + width / 2, y, f"Week {number}: {name}", ha="center", va="center", fontsize=9)
        if k < len(parts) - 1:
            ax.annotate("", xy=(x0 + width + gap - 0.02, 1.8), xytext=(x0 + width + 0.07, 1.8),
                        arrowprops=dict(arrowstyle="->", lw=2, color="0.3"))
    ax.set_xlim(-0.2, total + 0.2)
    ax.set_ylim(-1.1, 3.8)
    ax.axis("off")
    ax.set_title(title, fontsize=12)
    fig.tight_layout()
    return fig


def plot_signed_circuit(nodes: Mapping[str, tuple[float, float]], edges: Sequence[tuple[str, str, str]], *,
                        shaded: Sequence[str] = (), title: str = "", region: tuple[str, float, float] | None = None):
    """A circuit diagram: named boxes and signed arrows between them.

    Boxes sit at ``nodes`` positions; arrows are ``(from, to, sign)`` with sign "+" (blue, excitation) or "−"
    (red, inhibition). Boxes named in ``shaded``
    are grey (receptors, muscles); ``region`` = (label, x_start, x_end) shades an
    anatomical region behind the boxes.
    """
    from matplotlib.patches import FancyArrowPatch

    fig, ax = plt.subplots(figsize=(8, 3.2))
    for name, (x, y) in nodes.items():
        ax.text(x, y, name, ha="center", va="center", fontsize=9,
                bbox=dict(boxstyle="round,pad=0.4", fc="0.85" if name in shaded else "white", ec="k"))
    for a, b, sign in edges:
        (x0, y0), (x1, y1) = nodes[a], nodes[b]
        colour = "tab:blue" if sign == "+" else "tab:red"
        ax.add_patch(FancyArrowPatch((x0 + 0.55, y0), (x1 - 0.6, y1), arrowstyle="-|>",
                                     mutation_scale=14, color=colour, lw=1.5))
        ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.12, sign, color=colour, ha="center", fontsize=13)
    xs = [x for x, _ in nodes.values()]
    ys = [y for _, y in nodes.values()]
    if region is not None:
        label, start, end = region
        ax.axvspan(start, end, ymin=0.05, ymax=0.9, color="tab:green", alpha=0.08)
        ax.text((start + end) / 2, max(ys) + 0.45, label, ha="center", fontsize=9, style="italic")
    ax.set_xlim(min(xs) - 0.7, max(xs) + 0.7)
    ax.set_ylim(min(ys) - 0.5, max(ys) + 0.6)
    ax.axis("off")
    ax.set_title(title)
    return fig
