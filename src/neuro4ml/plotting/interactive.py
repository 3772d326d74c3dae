"""Interactive figures for the lecture pages: sliders that work offline, with no kernel.

Each function here returns an :class:`InteractiveFigure`, which a page's code cell
displays: its ``_repr_html_`` is a small block of plain HTML (native
``<input type="range">`` sliders, which are keyboard operable, and empty SVG panels)
holding the figure's description as JSON. The drawing code and the closed-form models
are one small script, ``content/_static/neuro4ml-interactive.js`` (about 10 kB),
served once from the site's ``_static`` and shared by every page, so no CDN, server
or kernel is needed and each page gains only its figures' JSON.

Two kinds of figure:

* **closed-form models** (LIF trace and f-I curve, synaptic kernels, the
  Tsodyks-Markram recursion, the STDP window) are computed in the browser, by the
  function of the script named in ``model``, from the slider values. Their formulas
  are those of the library functions named in each docstring; the browser tests
  evaluate the script at several slider positions and compare with the library.
* **precomputed models** (Hodgkin-Huxley step responses, the weight distribution left
  by STDP) are run by the library on the grid of slider values when the page is
  built; the figure embeds the results (``grid``), one entry per slider position.

Why not Bokeh or Plotly: their JavaScript alone (Bokeh about 1 MB with its widgets,
``plotly.min.js`` 4.4 MB) exceeds the 1 MB a page may gain, and line plots with sliders
need neither. Every slider is a grid of values (``values``); the slider moves an index
along it, so the arrow keys step from one grid value to the next.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

import numpy as np

from neuro4ml.models import neurons, plasticity, synapses
from neuro4ml.validation import positive_number, whole_number

__all__ = [
    "InteractiveFigure",
    "Panel",
    "Slider",
    "hodgkin_huxley_figure",
    "lif_figure",
    "stdp_weights_figure",
    "stdp_window_figure",
    "synaptic_kernels_figure",
    "tsodyks_markram_figure",
]


@dataclass(frozen=True)
class Slider:
    """One slider: a parameter ``name`` stepping along ``values`` (starting at ``start``)."""

    name: str
    label: str
    values: tuple[float, ...]
    start: int = 0
    unit: str = ""

    def __post_init__(self):
        if len(self.values) < 2:
            raise ValueError(f"slider {self.name!r} needs at least two values, got {len(self.values)}")
        if not 0 <= self.start < len(self.values):
            raise ValueError(f"slider {self.name!r}: start must index values (0..{len(self.values) - 1}), got {self.start}")


@dataclass(frozen=True)
class Panel:
    """One plot: axis labels, fixed axis limits and the names of its series (in order)."""

    title: str
    x_label: str
    y_label: str
    x_range: tuple[float, float] | None  # None: fitted to the data at each slider position
    y_range: tuple[float, float] | None
    series: tuple[str, ...]
    styles: tuple[str, ...] = ()  # per series: "line" (default), "dashed", "dots" or "bars"


@dataclass(frozen=True, repr=False)
class InteractiveFigure:
    """An interactive figure as data; displayed in a notebook or page as HTML.

    ``model`` names the browser function that computes every panel's series from the
    slider values (closed-form models), or is ``"grid"``: then ``grid[i]`` holds, for
    position ``i`` of the single slider, one list per panel of ``[x, y]`` series; an
    ``x`` given as a string names an axis stored once in ``constants``.
    ``alt`` is the text alternative (what the figure shows and how to use it),
    ``caption`` the short caption under it.
    """

    figure_id: str
    caption: str
    alt: str
    sliders: tuple[Slider, ...]
    panels: tuple[Panel, ...]
    model: str
    constants: dict = field(default_factory=dict)
    grid: list | None = None

    def spec(self) -> dict:
        """The JSON-ready description the browser script draws from."""
        return {
            "id": self.figure_id,
            "model": self.model,
            "constants": self.constants,
            "sliders": [
                {"name": s.name, "label": s.label, "values": list(s.values), "start": s.start, "unit": s.unit}
                for s in self.sliders
            ],
            "panels": [
                {"title": p.title, "x_label": p.x_label, "y_label": p.y_label,
                 "x_range": None if p.x_range is None else list(p.x_range),
                 "y_range": None if p.y_range is None else list(p.y_range), "series": list(p.series),
                 "styles": [p.styles[i] if i < len(p.styles) else "line" for i in range(len(p.series))]}
                for p in self.panels
            ],
            "grid": self.grid,
        }

    def __repr__(self) -> str:
        # Short: a notebook stores this as the plain-text output beside the HTML.
        return f"<InteractiveFigure {self.figure_id!r}: {', '.join(s.name for s in self.sliders)}>"

    def _repr_html_(self) -> str:
        fid = html.escape(self.figure_id)
        payload = json.dumps(self.spec(), separators=(",", ":")).replace("</", "<\\/")
        return (
            f'<figure class="n4ml-interactive" id="{fid}" role="group" '
            f'aria-labelledby="{fid}-caption" aria-describedby="{fid}-alt">'
            f'<div class="n4ml-controls"></div><div class="n4ml-panels"></div>'
            f'<p class="n4ml-alt" id="{fid}-alt">{html.escape(self.alt)}</p>'
            f'<figcaption id="{fid}-caption">{html.escape(self.caption)}</figcaption>'
            f'<script type="application/json" class="n4ml-spec">{payload}</script>'
            f'<noscript>This interactive figure needs JavaScript; the static figure above shows '
            f'the same model.</noscript></figure>'
        )


def _grid(start: float, stop: float, step: float) -> tuple[float, ...]:
    """Values from ``start`` to ``stop`` inclusive in steps of ``step``, rounded for display."""
    n = int(round((stop - start) / step))
    return tuple(round(start + i * step, 6) for i in range(n + 1))


def _rounded(a: np.ndarray, decimals: int) -> list[float]:
    return [float(v) for v in np.round(np.asarray(a, dtype=float), decimals)]


def lif_figure(*, duration_ms: float = 100.0, dt_ms: float = 0.1) -> InteractiveFigure:
    """LIF neuron: input and :math:`\\tau` sliders; membrane trace and f-I curve.

    Computed in the browser with the exact update of :func:`neuro4ml.models.neurons.lif`
    (threshold 1, reset 0, from :math:`V = 0`) and the rate formula of
    :func:`neuro4ml.models.neurons.lif_firing_rate_hz`.
    """
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    return InteractiveFigure(
        figure_id="interactive-lif",
        caption="Interactive: the leaky integrate-and-fire neuron. Move the sliders to change the "
                "constant input I and the membrane time constant τ.",
        alt="Two plots driven by two sliders, input I (0.5 to 3, in units of the threshold) and "
            "membrane time constant τ (2 to 40 ms). Left: the membrane variable V over 100 ms for a "
            "constant input, rising towards I and reset to 0 whenever it crosses the threshold 1. "
            "Right: the firing rate in Hz against the input (the f–I curve) for the chosen τ, zero "
            "below I = 1, with a dot at the chosen input. Raising I shortens the interval between "
            "spikes; raising τ slows the rise and lowers the whole f–I curve.",
        sliders=(
            Slider("I", "input I", _grid(0.5, 3.0, 0.1), start=10),
            Slider("tau_ms", "τ", _grid(2.0, 40.0, 1.0), start=8, unit="ms"),
        ),
        panels=(
            Panel("membrane trace", "time (ms)", "V", (0.0, duration_ms), (0.0, 3.0), ("V", "threshold"), ("line", "dashed")),
            Panel("f–I curve", "input I", "rate (Hz)", (0.0, 3.0), (0.0, 400.0), ("rate", "chosen input"), ("line", "dots")),
        ),
        model="lif",
        constants={"duration_ms": duration_ms, "dt_ms": dt_ms, "threshold": 1.0, "reset": 0.0,
                   "fi_step": 0.01},
    )


def synaptic_kernels_figure(*, duration_ms: float = 60.0, dt_ms: float = 0.1) -> InteractiveFigure:
    """Exponential, alpha and biexponential kernels with the biexponential's analytic peak.

    The browser evaluates the formulas of :func:`neuro4ml.models.synapses.exponential_kernel`,
    :func:`~neuro4ml.models.synapses.alpha_kernel` and
    :func:`~neuro4ml.models.synapses.biexponential_kernel` (not normalised), and marks the peak
    at :func:`~neuro4ml.models.synapses.biexponential_peak_time_ms`,
    :func:`~neuro4ml.models.synapses.biexponential_peak_value`.
    """
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    return InteractiveFigure(
        figure_id="interactive-kernels",
        caption="Interactive: synaptic kernels. The dot is the biexponential's peak from the "
                "closed-form formula.",
        alt="One plot of three synaptic kernels against time since a presynaptic spike (0 to 60 ms), "
            "driven by two sliders, rise time τ_r (0.2 to 4 ms) and decay time τ_d (5 to 30 ms). "
            "The exponential kernel jumps to 1 and decays with τ_d; the alpha kernel with time "
            "constant τ_d rises to 1/e at t = τ_d; the biexponential kernel rises with τ_r and decays "
            "with τ_d, and a dot marks its analytic peak time and value. A slower rise moves the peak "
            "later and lowers it; a slower decay stretches every kernel.",
        sliders=(
            Slider("tau_rise_ms", "rise τ_r", (0.2, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0), start=2, unit="ms"),
            Slider("tau_decay_ms", "decay τ_d", _grid(5.0, 30.0, 1.0), start=5, unit="ms"),
        ),
        panels=(
            Panel("kernels", "time since spike (ms)", "kernel", (0.0, duration_ms), (0.0, 1.05),
                  ("exponential", "alpha", "biexponential", "peak"), ("line", "line", "line", "dots")),
        ),
        model="kernels",
        constants={"duration_ms": duration_ms, "dt_ms": dt_ms},
    )


def tsodyks_markram_figure(*, n_spikes: int = 10, psp_tau_ms: float = 20.0, dt_ms: float = 0.5) -> InteractiveFigure:
    """Tsodyks-Markram synapse driven by a regular train: efficacies and the PSP train.

    The browser runs the exact recursion of :func:`neuro4ml.models.synapses.tsodyks_markram`
    for ``n_spikes`` regular spikes (the first at 0 ms) and sums one exponential PSP
    (:func:`neuro4ml.models.synapses.exponential_kernel`, time constant ``psp_tau_ms``) per
    spike, scaled by its efficacy :math:`u_n x_n`.
    """
    n_spikes = whole_number(n_spikes, "n_spikes", minimum=2)
    psp_tau_ms = positive_number(psp_tau_ms, "psp_tau_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    return InteractiveFigure(
        figure_id="interactive-tsodyks-markram",
        caption="Interactive: short-term depression and facilitation in the Tsodyks–Markram model, "
                f"for a regular train of {n_spikes} presynaptic spikes.",
        alt=f"Two plots driven by four sliders: baseline utilisation U (0.05 to 0.9), recovery time "
            f"τ_rec (20 to 1000 ms), facilitation time τ_facil (0 to 1000 ms, 0 meaning none) and the "
            f"input rate (5 to 100 Hz). Left: the postsynaptic potential, a sum of one exponential "
            f"response ({psp_tau_ms:g} ms) per presynaptic spike scaled by that spike's efficacy, "
            f"against time. Right: the efficacy u·x of each of the {n_spikes} spikes and its two "
            f"factors, u and x, against spike number. A large U with slow recovery gives depression "
            f"(falling responses); a small U with long facilitation gives rising responses; higher "
            f"rates make both effects stronger.",
        sliders=(
            Slider("U", "U", (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9), start=6),
            Slider("tau_rec_ms", "τ_rec", (20.0, 50.0, 100.0, 200.0, 300.0, 500.0, 800.0, 1000.0),
                   start=5, unit="ms"),
            Slider("tau_facil_ms", "τ_facil", (0.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0), start=0, unit="ms"),
            Slider("rate_hz", "rate", (5.0, 10.0, 20.0, 30.0, 40.0, 50.0, 75.0, 100.0), start=2, unit="Hz"),
        ),
        panels=(
            Panel("postsynaptic potential", "time (ms)", "PSP (units of the maximal weight)",
                  None, None, ("PSP",)),
            Panel("per spike", "spike number", "value", (0.5, n_spikes + 0.5), (0.0, 1.0),
                  ("efficacy u·x", "u", "x"), ("dots", "dashed", "dashed")),
        ),
        model="tsodyks_markram",
        constants={"n_spikes": n_spikes, "psp_tau_ms": psp_tau_ms, "dt_ms": dt_ms},
    )


def stdp_window_figure(*, half_width_ms: float = 100.0, dt_ms: float = 0.5) -> InteractiveFigure:
    """The pair-based STDP window of :func:`neuro4ml.models.plasticity.stdp_window` with sliders.

    :math:`A_+` is fixed at 1 (the window is drawn in units of :math:`A_+`); the sliders
    set :math:`A_-/A_+`, :math:`\\tau_+` and :math:`\\tau_-`.
    """
    half_width_ms = positive_number(half_width_ms, "half_width_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    return InteractiveFigure(
        figure_id="interactive-stdp-window",
        caption="Interactive: the pair-based STDP window. The readout gives the ratio of the "
                "depression area to the potentiation area, A₋τ₋ / A₊τ₊.",
        alt="One plot of the weight change W against the spike-time difference Δt = t_post − t_pre "
            "from −100 to 100 ms, in units of A₊, driven by three sliders: the depression size A₋/A₊ "
            "(0.5 to 1.5), the potentiation width τ₊ and the depression width τ₋ (5 to 60 ms each). "
            "Positive Δt (pre before post) gives potentiation decaying with τ₊; negative Δt gives "
            "depression decaying with τ₋. The text under the sliders gives the area ratio "
            "A₋τ₋/A₊τ₊: above 1, uncorrelated spikes depress on average.",
        sliders=(
            Slider("A_minus", "A₋/A₊", _grid(0.5, 1.5, 0.05), start=11),
            Slider("tau_plus_ms", "τ₊", _grid(5.0, 60.0, 1.0), start=15, unit="ms"),
            Slider("tau_minus_ms", "τ₋", _grid(5.0, 60.0, 1.0), start=15, unit="ms"),
        ),
        panels=(
            Panel("STDP window", "Δt = t_post − t_pre (ms)", "W / A₊", (-half_width_ms, half_width_ms),
                  (-1.6, 1.1), ("W",)),
        ),
        model="stdp_window",
        constants={"half_width_ms": half_width_ms, "dt_ms": dt_ms, "A_plus": 1.0},
    )


HH_STEP_ON_MS = 10.0
HH_STEP_OFF_MS = 70.0


def hodgkin_huxley_steps(amplitudes_uA_per_cm2, *, duration_ms: float = 80.0, dt_ms: float = 0.01,
                         sample_ms: float = 0.1) -> dict[str, np.ndarray]:
    """Hodgkin-Huxley responses to current steps, sampled every ``sample_ms``.

    One neuron per amplitude (uA/cm^2), each given a step from 10 to 70 ms, simulated
    together by :func:`neuro4ml.models.neurons.hodgkin_huxley`. Returns ``t_ms`` of shape
    ``(samples,)`` and ``v`` (mV), ``m``, ``h``, ``n`` of shape ``(amplitudes, samples)``.
    """
    amplitudes = np.atleast_1d(np.asarray(amplitudes_uA_per_cm2, dtype=float))
    steps = int(round(duration_ms / dt_ms))
    every = int(round(sample_ms / dt_ms))
    t_ms = np.arange(steps) * dt_ms
    on = ((t_ms >= HH_STEP_ON_MS) & (t_ms < HH_STEP_OFF_MS)).astype(float)
    run = neurons.hodgkin_huxley(amplitudes[:, None] * on[None, :], dt_ms=dt_ms)
    return {"t_ms": t_ms[::every], "v": run.v[:, ::every], **{g: run.state[g][:, ::every] for g in ("m", "h", "n")}}


def hodgkin_huxley_figure(*, amplitudes_uA_per_cm2: tuple[float, ...] = _grid(0.0, 20.0, 1.0),
                          start: int = 10) -> InteractiveFigure:
    """Hodgkin-Huxley step responses, precomputed for each step amplitude.

    Each slider position holds :func:`hodgkin_huxley_steps` for that amplitude: the
    membrane potential (mV, 1 decimal) and the gates ``m``, ``h``, ``n`` (3 decimals),
    sampled every 0.1 ms over 80 ms.
    """
    r = hodgkin_huxley_steps(amplitudes_uA_per_cm2)
    t = "t_ms"  # the shared time axis, stored once in constants
    grid = [[[[t, _rounded(r["v"][i], 1)]], [[t, _rounded(r[g][i], 3)] for g in ("m", "h", "n")]]
            for i in range(len(amplitudes_uA_per_cm2))]
    return InteractiveFigure(
        figure_id="interactive-hodgkin-huxley",
        caption="Interactive: the Hodgkin–Huxley model's response to a current step from 10 to 70 ms, "
                "precomputed by the library for each step amplitude.",
        alt="Two plots driven by one slider, the step amplitude (0 to 20 µA/cm²). Top: the membrane "
            "potential in mV over 80 ms; the current is on from 10 to 70 ms. Bottom: the three gating "
            "variables m (sodium activation), h (sodium inactivation) and n (potassium activation) "
            "over the same time. Small steps give a small depolarisation, a step of about 3 µA/cm² "
            "gives one spike, and larger steps give repetitive firing at a rate that grows with the "
            "amplitude; during each spike m jumps up first, then n rises and h falls, ending it.",
        sliders=(Slider("amplitude", "step amplitude", tuple(float(a) for a in amplitudes_uA_per_cm2),
                        start=start, unit="µA/cm²"),),
        panels=(
            Panel("membrane potential", "time (ms)", "V (mV)", (0.0, 80.0), (-85.0, 55.0), ("V",)),
            Panel("gating variables", "time (ms)", "gate", (0.0, 80.0), (0.0, 1.0), ("m", "h", "n")),
        ),
        model="grid",
        constants={"t_ms": _rounded(r["t_ms"], 2)},
        grid=grid,
    )


STDP_AREA_RATIOS = (0.9, 1.0, 1.05, 1.1, 1.2)


def stdp_weights_run(area_ratio: float, *, duration_ms: float = 50_000.0, seed: int = 1) -> plasticity.STDPNeuronRun:
    """The Song, Miller & Abbott (2000) neuron of :data:`neuro4ml.models.plasticity.SONG_2000_BRIAN`
    with the depression amplitude set so that :math:`A_-\\tau_- = \\text{area\\_ratio}\\,A_+\\tau_+`.

    1000 Poisson inputs at 15 Hz, initial weights uniform on :math:`[0, w_\\max]`,
    ``duration_ms`` of learning, rates recorded every second. Seeded (``seed``).
    """
    area_ratio = positive_number(area_ratio, "area_ratio")
    from dataclasses import replace

    from ..models.spikes import poisson_spike_train

    song = plasticity.SONG_2000_BRIAN
    base = song["rule"]
    rule = replace(base, A_minus=area_ratio * base.A_plus * base.tau_plus_ms / base.tau_minus_ms)
    rng = np.random.default_rng(seed)
    inputs = poisson_spike_train(song["rate_hz"], duration_ms, rng=rng, n_trains=song["n_inputs"])
    return plasticity.stdp_neuron(inputs, duration_ms, w0=rng.uniform(0, base.w_max, song["n_inputs"]),
                                  rule=rule, neuron=song["neuron"], record_every_ms=1000.0)


def stdp_weights_summary(run: plasticity.STDPNeuronRun, w_max: float, duration_ms: float,
                         bins: int = 20) -> dict[str, np.ndarray]:
    """Histogram of final ``w / w_max`` (``bins`` bins on [0, 1]) and output rate per second."""
    counts, edges = np.histogram(run.w / w_max, bins=bins, range=(0.0, 1.0))
    seconds = int(round(duration_ms / 1000.0))
    rate, _ = np.histogram(run.post_spike_times_ms, bins=seconds, range=(0.0, seconds * 1000.0))
    return {"centres": (edges[:-1] + edges[1:]) / 2, "counts": counts, "t_s": np.arange(seconds) + 0.5,
            "rate_hz": rate}


def stdp_weights_figure(*, area_ratios: tuple[float, ...] = STDP_AREA_RATIOS, duration_ms: float = 50_000.0,
                        start: int = 2) -> InteractiveFigure:
    """The weight distribution produced by additive STDP, for several depression/potentiation ratios.

    Each slider position holds :func:`stdp_weights_summary` of :func:`stdp_weights_run`.
    """
    w_max = plasticity.SONG_2000_BRIAN["rule"].w_max
    grid = []
    for ratio in area_ratios:
        s = stdp_weights_summary(stdp_weights_run(ratio, duration_ms=duration_ms), w_max, duration_ms)
        grid.append([
            [[_rounded(s["centres"], 3), [int(c) for c in s["counts"]]]],
            [[_rounded(s["t_s"], 1), [int(r) for r in s["rate_hz"]]]],
        ])
    seconds = duration_ms / 1000.0
    return InteractiveFigure(
        figure_id="interactive-stdp-weights",
        caption=f"Interactive: the weights left by {seconds:g} s of additive STDP in the neuron of "
                "Song, Miller & Abbott, precomputed by the library for each ratio A₋τ₋/A₊τ₊.",
        alt=f"Two plots driven by one slider, the ratio of the depression area to the potentiation "
            f"area, A₋τ₋/A₊τ₊ (0.9 to 1.2). Left: a histogram of the 1000 final weights as a fraction "
            f"of w_max. Right: the output firing rate in 1-second bins over the {seconds:g} s of "
            f"learning. Near a ratio of 1.05 the weights split into a group near 0 and a group near "
            f"w_max and the rate settles; with more depression most weights fall to 0 and the rate "
            f"drops, with less depression most weights climb to w_max and the rate stays high.",
        sliders=(Slider("area_ratio", "A₋τ₋ / A₊τ₊", tuple(float(r) for r in area_ratios), start=start),),
        panels=(
            Panel("final weights", "w / w_max", "synapses", (0.0, 1.0), (0.0, 1000.0), ("synapses",), ("bars",)),
            Panel("output rate", "time (s)", "rate (Hz)", (0.0, seconds), (0.0, 80.0), ("rate",)),
        ),
        model="grid",
        grid=grid,
    )
