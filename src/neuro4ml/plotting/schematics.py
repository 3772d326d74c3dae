"""Schematics for weeks 5 to 9, built on the primitives of :mod:`neuro4ml.plotting.diagrams`.

The schematics are the unrolled spiking network with the surrogate gradient, a neuromorphic core and
its routing, address-event representation, a drift-diffusion trajectory, and spike codes (rate, rank
order, coincidence).

Each ``draw_*`` function draws into the axes it is given and returns the artists or numbers it
drew by role, so that a test can check what is drawn without reading pixels. The small
numerical helpers (:func:`aer_wires`, :func:`aer_serialise`, :func:`smoothed_rate`,
:func:`rank_order`) are what the pictures compute, exposed so that they can be tested against
their definitions. Colours are the Okabe--Ito cycle (``"C0"`` ...), and every distinction drawn
in colour is also drawn by line style, hatch or text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from neuro4ml.plotting.diagrams import arrow, blank, box, event_row

__all__ = [
    "draw_unrolled_snn",
    "draw_neuromorphic_core",
    "aer_wires",
    "aer_serialise",
    "draw_aer",
    "draw_ddm_trajectory",
    "smoothed_rate",
    "rank_order",
    "draw_spike_codes",
]


def draw_unrolled_snn(ax: plt.Axes, *, n_steps: int = 4, detach_reset: bool = True) -> dict[str, object]:
    """Draw a layer of leaky integrate-and-fire neurons unrolled through ``n_steps`` time steps.

    The layer is drawn as backpropagation through time sees it (Neftci, Mostafa & Zenke 2019):

    .. math:: v_{t} = \\alpha v_{t-1} (1 - s_{t-1}) + W x_{t},\\qquad s_t = \\Theta(v_t - \\vartheta),

    (the convention of :mod:`neuro4ml.learning.snn`: leak :math:`\\alpha`, reset to zero after a spike),

    with the loss computed from the spikes of every step. Each spike node is marked with the two
    functions it uses: the step :math:`\\Theta` in the forward pass and a surrogate derivative
    :math:`\\sigma'(v_t-\\vartheta)` in place of :math:`\\Theta' = \\delta` in the backward pass.
    The reset path :math:`s_t \\to v_{t+1}` is drawn dashed and labelled "detached" when
    ``detach_reset`` (no gradient flows through it, as in Zenke & Vogels 2021), solid otherwise.
    Returns the boxes by name (``"x0"``, ``"v0"``, ``"s0"``, ..., ``"loss"``) and the reset arrows.
    """
    if n_steps < 2:
        raise ValueError(f"n_steps must be at least 2 to show the recurrence, got {n_steps}")
    blank(ax)
    out: dict[str, object] = {}
    step = 3.6
    resets = []
    for t in range(n_steps):
        x = t * step
        out[f"x{t}"] = box(ax, (x, 2.4), f"input $x_{t}$", width=1.8, height=0.8, color="C7")
        out[f"v{t}"] = box(ax, (x, 0.0), f"membrane $v_{t}$", width=2.3, height=0.8, color="C0")
        out[f"s{t}"] = box(ax, (x, -2.4), f"spikes $s_{t}$", width=1.8, height=0.8, color="C1", hatch="//")
        arrow(ax, out[f"x{t}"], out[f"v{t}"], label="$W$", label_offset=(0.25, -0.1))
        arrow(ax, out[f"v{t}"], out[f"s{t}"], color="C1", lw=2.0)
        ax.text(x + 0.12, -1.2, "fwd: $\\Theta$\nbwd: $\\sigma'$", fontsize=8, color="C1", ha="left", va="center")
        if t > 0:
            prev = t - 1
            arrow(ax, out[f"v{prev}"], out[f"v{t}"], label="leak $\\alpha$", label_offset=(0.0, 0.1))
            r = arrow(ax, out[f"s{prev}"], out[f"v{t}"], kind="inhibitory", color="0.45" if detach_reset else "k")
            if detach_reset:
                r.set_linestyle((0, (4, 3)))
            r.set_gid(f"reset:{prev}->{t}")
            resets.append(r)
    loss = box(ax, ((n_steps - 1) * step / 2, -4.6), "loss $L(s_0, \\ldots, s_{%d})$" % (n_steps - 1), width=3.4,
               height=0.8, color="C4")
    out["loss"] = loss
    for t in range(n_steps):
        arrow(ax, out[f"s{t}"], loss, kind="plain", color="0.3", lw=1.0)
    ax.text((n_steps - 1) * step / 2, 3.5, "time $\\rightarrow$ (one column per time step)", ha="center",
            fontsize=9)
    reset_text = ("grey dashed bar: reset $s_t \\to v_{t+1}$, detached (no gradient)" if detach_reset
                  else "black bar: reset $s_t \\to v_{t+1}$ (gradient flows through it)")
    ax.text(-1.3, -5.6, reset_text + "\nvermillion: spike function, step $\\Theta$ forward, surrogate $\\sigma'$ backward",
            ha="left", va="top", fontsize=8.5)
    out["resets"] = resets
    ax.set_xlim(-1.4, (n_steps - 1) * step + 1.6)
    ax.set_ylim(-6.5, 3.9)
    return out


def draw_neuromorphic_core(ax: plt.Axes, *, neurons_per_core: int = 256, fan_in: int = 256, grid: int = 2,
                           packet: str = "from core (0,0) | neuron 17") -> dict[str, object]:
    """Draw a mesh of ``grid`` x ``grid`` neuromorphic cores, one of them in detail.

    Each core has its neurons, its synapse memory and a router. In the detailed core, spikes arrive
    as address-event packets through the router, are looked up in the synapse memory (at most
    ``fan_in`` inputs per neuron) and integrated by at most ``neurons_per_core`` neurons; an output
    spike leaves as a packet whose address the router forwards to its target cores (fan-out). The
    defaults are TrueNorth's core (256 axons by 256 neurons, Merolla et al. 2014). Returns the drawn
    boxes by role and the limits.
    """
    if grid < 2:
        raise ValueError(f"grid must be at least 2 (a mesh), got {grid}")
    blank(ax)
    out: dict[str, object] = {"neurons_per_core": neurons_per_core, "fan_in": fan_in}
    # Detailed core on the left.
    out["router"] = router = box(ax, (0.0, 3.0), "router\n(address table)", width=2.6, height=1.0, color="C2")
    out["synapses"] = syn = box(ax, (0.0, 1.2), f"synapse memory\n(≤ {fan_in} inputs per neuron)", width=3.6,
                                height=1.0, color="C0", hatch="..")
    out["neurons"] = neu = box(ax, (0.0, -0.6), f"neurons\n(≤ {neurons_per_core} per core)", width=3.6, height=1.0,
                               color="C1")
    arrow(ax, router, syn, label="incoming packet", label_offset=(-1.0, -0.2))
    arrow(ax, syn, neu, label="weighted input", label_offset=(-0.95, -0.2))
    arrow(ax, (1.8, -0.6), (1.3, 3.0), rad=0.45, color="C1")
    ax.text(2.65, 1.2, "output spike\n= new packet", color="C1", fontsize=8, ha="left", va="center")
    ax.add_patch(plt.Rectangle((-2.3, -1.4), 6.2, 5.2, fill=False, ec="k", lw=1.0, ls=":"))
    ax.text(-2.2, 3.9, "one core", fontsize=9, weight="bold", va="bottom")
    # Mesh of cores on the right.
    x0, pitch = 5.6, 2.2
    cores = {}
    for i in range(grid):
        for j in range(grid):
            cores[(i, j)] = box(ax, (x0 + i * pitch, 2.4 - j * pitch), f"core ({i},{j})", width=1.5, height=0.9,
                                color="C7", fontsize=8)
    for (i, j), b in cores.items():
        if i + 1 < grid:
            arrow(ax, b, cores[(i + 1, j)], kind="undirected", color="0.4", lw=1.0)
        if j + 1 < grid:
            arrow(ax, b, cores[(i, j + 1)], kind="undirected", color="0.4", lw=1.0)
    out["cores"] = cores
    arrow(ax, router, cores[(0, 0)], kind="plain", color="C2", rad=0.0, label="mesh links", label_offset=(0, 0.05))
    # A packet in flight, on the top link.
    px = x0 + pitch / 2
    out["packet"] = box(ax, (px, 3.3), packet, width=2.9, height=0.45, color="C4", fontsize=7.5, style="square")
    arrow(ax, (px - 0.4, 2.85), (px + 0.4, 2.85), kind="plain", color="C4", lw=1.0)
    ax.text(x0 + (grid - 1) * pitch / 2, 2.4 - (grid - 1) * pitch - 0.9,
            "a packet carries only the sender's address: its time\nis when it arrives, or the time step it belongs to;\n"
            "a routing table sets each neuron's fan-out (target cores)", ha="center", va="top",
            fontsize=8)
    ax.set_xlim(-2.6, x0 + (grid - 1) * pitch + 1.2)
    ax.set_ylim(-2.6 - max(0, grid - 2) * pitch, 4.2)
    return out


def aer_wires(n_neurons: int) -> int:
    """Return the number of wires needed to send the address of one of ``n_neurons`` neurons on a bus.

    Sent in parallel, an address needs :math:`\\lceil \\log_2 N \\rceil` (at least 1), against
    :math:`N` for one wire per neuron (Mahowald 1992; Boahen 2000).
    """
    if n_neurons < 1:
        raise ValueError(f"n_neurons must be at least 1, got {n_neurons}")
    return max(1, math.ceil(math.log2(n_neurons)))


def aer_serialise(times: Sequence[float], addresses: Sequence[int], slot: float) -> tuple[np.ndarray, np.ndarray]:
    """Send spikes ``(times[i], addresses[i])`` over one shared address-event bus.

    The bus carries one event per ``slot``: events go in order of time (ties by address, as a
    fixed-priority arbiter would), each at the later of its own time and the end of the previous
    transmission:

    .. math:: \\tau_k = \\max(t_k, \\tau_{k-1} + \\Delta),

    so that events closer than :math:`\\Delta` collide and wait (Boahen 2000). Returns the
    addresses in the order sent and their send times.
    """
    times = np.asarray(times, dtype=float)
    addresses = np.asarray(addresses, dtype=int)
    if times.shape != addresses.shape or times.ndim != 1:
        raise ValueError(f"times and addresses must be 1-D of one length, got {times.shape} and {addresses.shape}")
    if slot <= 0:
        raise ValueError(f"slot must be positive, got {slot}")
    order = np.lexsort((addresses, times))
    sent = np.empty(len(order))
    last = -np.inf
    for k, i in enumerate(order):
        sent[k] = max(times[i], last + slot)
        last = sent[k]
    return addresses[order], sent


def draw_aer(ax: plt.Axes, times: Sequence[float], addresses: Sequence[int], *, n_neurons: int = 8,
             slot: float = 0.4) -> dict[str, object]:
    """Draw the address-event representation of spikes sent over a shared bus.

    The spikes (``times``, ``addresses``) of ``n_neurons`` senders are encoded as addresses on a
    shared bus of :func:`aer_wires` wires,
    serialised one per ``slot`` by :func:`aer_serialise` (collisions wait, drawn with an arrow to
    their delayed send time), and decoded at the receiver. Left: the spike raster of the
    senders; middle: the bus with its wire count against ``n_neurons`` dedicated wires; right:
    the addresses in the order and at the time they are sent. Returns the send times and the
    indices of the delayed events.
    """
    times = np.asarray(times, float)
    addresses = np.asarray(addresses, int)
    if addresses.size and (addresses.min() < 0 or addresses.max() >= n_neurons):
        raise ValueError(f"addresses must lie in 0..{n_neurons - 1}")
    blank(ax)
    ax.set_aspect("auto")
    t_end = float(times.max()) + 2 * slot if times.size else 1.0
    scale = 4.0 / t_end  # drawing units per unit time
    # Senders' raster.
    for n in range(n_neurons):
        y = n_neurons - 1 - n
        ax.plot([0, 4], [y, y], color="0.85", lw=0.6)
        ax.text(-0.15, y, f"{n}", ha="right", va="center", fontsize=8)
        sel = addresses == n
        if sel.any():
            ax.vlines(times[sel] * scale, y - 0.35, y + 0.35, color="C0", lw=2)
    ax.text(2.0, n_neurons - 0.1, "senders' spikes", ha="center", va="bottom", fontsize=9)
    ax.text(-0.6, (n_neurons - 1) / 2, "neuron address", rotation=90, ha="right", va="center", fontsize=8)
    # Encoder, bus, decoder.
    mid = (n_neurons - 1) / 2
    enc = box(ax, (5.4, mid), "encoder\n+ arbiter", width=1.6, height=1.6, color="C2")
    dec = box(ax, (9.0, mid), "decoder", width=1.4, height=1.6, color="C2")
    wires = aer_wires(n_neurons)
    for k in range(wires):
        y = mid + 0.25 * (k - (wires - 1) / 2)
        ax.plot([6.2, 8.3], [y, y], color="k", lw=1.2)
    ax.text(7.25, mid + 0.25 * wires / 2 + 0.3, f"bus: {wires} wires\n(not {n_neurons})", ha="center", va="bottom",
            fontsize=8.5)
    arrow(ax, (4.2, mid), enc, kind="plain")
    # Sent events on a time line below the bus.
    sent_addr, sent_t = aer_serialise(times, addresses, slot)
    order = np.lexsort((addresses, times))
    delayed = [k for k in range(len(order)) if sent_t[k] > times[order[k]] + 1e-12]
    y0 = -1.6
    ax.plot([0, 4], [y0, y0], color="k", lw=1)
    for k, (a, t) in enumerate(zip(sent_addr, sent_t)):
        ax.text(t * scale, y0 + 0.1, str(a), ha="center", va="bottom", fontsize=8,
                bbox=dict(boxstyle="square,pad=0.15", fc="white", ec="C4" if k in delayed else "C2",
                          ls="--" if k in delayed else "-"))
        if k in delayed:
            t0 = times[order[k]] * scale
            ax.annotate("", xy=(t * scale, y0 - 0.15), xytext=(t0, y0 - 0.15),
                        arrowprops=dict(arrowstyle="-|>", color="C4", lw=1.0))
    ax.text(4.2, y0, "addresses on the bus, in time;\ndashed: collided and waited", ha="left", va="center",
            fontsize=8)
    ax.set_xlim(-1.0, 10.2)
    ax.set_ylim(y0 - 0.9, n_neurons + 0.6)
    return {"sent_addresses": sent_addr, "sent_times": sent_t, "delayed": delayed, "wires": wires,
            "encoder": enc, "decoder": dec}


def draw_ddm_trajectory(ax: plt.Axes, *, drift: float = 1.0, bound: float = 1.0, noise: float = 1.0,
                        t_nondecision_s: float = 0.3, dt_s: float = 1e-3, seed: int = 3,
                        n_background: int = 6, nondecision_symbol: str = "T_{nd}") -> dict[str, float]:
    """Draw one drift-diffusion trial with what it is made of (Ratcliff 1978; Bogacz et al. 2006).

    The trial follows

    .. math:: dx = A\\,dt + c\\,dW,\\qquad x(0) = 0,\\qquad \\text{stop when } |x| \\ge z,

    drawn from the end of the non-decision time :math:`T_{nd}` (encoding and motor time), with the
    bounds :math:`\\pm z`, the mean path :math:`x = A t` (the drift) and a few other trials in
    grey. The reaction time is :math:`T_{nd}` plus the decision time (``nondecision_symbol`` names
    :math:`T_{nd}` on the figure, e.g. ``"t_0"``). Returns the decision time,
    the reaction time and the choice (1: upper bound) of the highlighted trial.
    """
    if bound <= 0 or noise <= 0 or t_nondecision_s < 0:
        raise ValueError("bound and noise must be positive and the non-decision time non-negative")
    rng = np.random.default_rng(seed)

    def path():
        xs = [0.0]
        while abs(xs[-1]) < bound and len(xs) < 100_000:
            xs.append(xs[-1] + drift * dt_s + noise * math.sqrt(dt_s) * rng.standard_normal())
        return np.array(xs)

    main = path()
    others = [path() for _ in range(n_background)]
    t0 = t_nondecision_s
    for p in others:
        ax.plot(t0 + np.arange(len(p)) * dt_s, np.clip(p, -bound, bound), color="0.75", lw=0.7)
    tmain = t0 + np.arange(len(main)) * dt_s
    ax.plot(tmain, np.clip(main, -bound, bound), color="C0", lw=1.6, label="one trial")
    decision = (len(main) - 1) * dt_s
    tmax = max(t0 + decision, max(t0 + (len(p) - 1) * dt_s for p in others) if others else 0) + 0.2
    ax.axhline(bound, color="k", lw=1.5)
    ax.axhline(-bound, color="k", lw=1.5)
    ax.axhline(0.0, color="0.4", lw=0.9, ls=":", label="starting point $x_0 = 0$")
    ax.text(tmax, bound, " upper bound $+z$\n (choice A)", va="center", ha="left", fontsize=8.5)
    ax.text(tmax, -bound, " lower bound $-z$\n (choice B)", va="center", ha="left", fontsize=8.5)
    tt = np.linspace(t0, tmax, 50)
    ax.plot(tt, np.clip(drift * (tt - t0), -bound, bound), color="C1", ls="--", lw=1.4,
            label="drift: mean path $x = A t$")
    ax.axvspan(0, t0, color="C7", alpha=0.12, hatch="//")
    ax.text(t0 / 2, -0.55 * bound, f"non-decision\ntime ${nondecision_symbol}$\n(encoding + motor,\ndrawn together)",
            ha="center", va="center", fontsize=8)
    choice = 1 if main[-1] >= bound else 0
    yend = bound if choice else -bound
    ax.plot(t0 + decision, yend, "o", color="C0", ms=7)
    ax.annotate("", xy=(t0 + decision, -1.35 * bound), xytext=(0, -1.35 * bound),
                arrowprops=dict(arrowstyle="<->", color="k"))
    ax.text((t0 + decision) / 2, -1.42 * bound, f"reaction time = ${nondecision_symbol}$ + decision time", ha="center", va="top",
            fontsize=8.5)
    ax.plot([0, t0], [0, 0], color="0.4", lw=1, ls=":")
    ax.set_xlim(0, tmax + 0.45)
    ax.set_ylim(-1.75 * bound, 1.6 * bound)
    ax.set_xlabel("time from stimulus onset (s)")
    ax.set_ylabel("accumulated evidence $x$")
    ax.legend(loc="upper center", ncol=2, fontsize=8)
    return {"decision_time_s": decision, "reaction_time_s": t0 + decision, "choice": choice}


def smoothed_rate(spike_times: Sequence[float], t: np.ndarray, sigma: float) -> np.ndarray:
    """Compute the firing rate as a smoothed spike train.

    The rate is the sum of a Gaussian kernel of width ``sigma`` centred on each spike,

    .. math:: r(t) = \\sum_k \\frac{1}{\\sqrt{2\\pi}\\sigma} e^{-(t - t_k)^2 / 2\\sigma^2},

    whose integral over all time is the spike count (Dayan & Abbott 2001, section 1.2).
    """
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    s = np.asarray(spike_times, float)[:, None]
    t = np.asarray(t, float)
    return np.exp(-0.5 * ((t[None, :] - s) / sigma) ** 2).sum(axis=0) / (math.sqrt(2 * math.pi) * sigma)


def rank_order(first_spike_times: Sequence[float]) -> np.ndarray:
    """Rank each neuron by the time of its first spike.

    The rank is 0 for the first; a neuron that does not fire (``nan``) gets rank ``-1``. This is
    the code of Thorpe & Gautrais (1998), in which only the
    order of the first spikes carries information.
    """
    t = np.asarray(first_spike_times, float)
    ranks = np.full(t.shape, -1, dtype=int)
    fired = np.flatnonzero(~np.isnan(t))
    ranks[fired[np.argsort(t[fired], kind="stable")]] = np.arange(len(fired))
    return ranks


def draw_spike_codes(axes: Sequence[plt.Axes], *, seed: int = 1) -> dict[str, object]:
    """Draw three ways spikes can carry a value, one per axes of ``axes``.

    The codes are (1) a rate code, the rate
    read out as the spike train smoothed by :func:`smoothed_rate` (a Poisson train whose rate
    steps up halfway); (2) a rank-order code, where the order of the first spikes after stimulus
    onset encodes the stimulus (:func:`rank_order`); (3) a coincidence code, where a neuron that
    needs two near-simultaneous inputs fires only when the two input trains' spikes coincide
    (within 2 ms here; three of the seven input-1 spikes do). Returns the rate trace, the ranks and the coincidence times.
    """
    if len(axes) != 3:
        raise ValueError(f"draw_spike_codes needs 3 axes, got {len(axes)}")
    rng = np.random.default_rng(seed)
    out: dict[str, object] = {}
    # 1. Rate code.
    ax = axes[0]
    T, dt = 1.0, 1e-3
    tt = np.arange(0, T, dt)
    true_rate = np.where(tt < 0.5, 10.0, 40.0)
    spikes = tt[rng.random(len(tt)) < true_rate * dt]
    r = smoothed_rate(spikes, tt, 0.05)
    ax.vlines(spikes, 64, 72, color="k", lw=1)
    ax.plot(tt, r, color="C0", lw=1.6, label="smoothed spikes ($\\sigma$ = 50 ms)")
    ax.plot(tt, true_rate, color="C1", ls="--", lw=1.2, label="true rate")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("rate (Hz)")
    ax.set_ylim(0, 75)
    ax.legend(loc="center left", fontsize=7.5)
    ax.set_title("rate code: count spikes over time", fontsize=9)
    out["rate"] = r
    # 2. Rank-order code.
    ax = axes[1]
    latencies = np.array([12.0, 31.0, 5.0, 22.0, np.nan, 17.0])
    ranks = rank_order(latencies)
    for n, (lat, rk) in enumerate(zip(latencies, ranks)):
        y = len(latencies) - 1 - n
        if not np.isnan(lat):
            ax.vlines(lat, y - 0.35, y + 0.35, color="C0", lw=2)
            ax.text(lat + 1.0, y, f"rank {rk + 1}", va="center", fontsize=8)
        else:
            ax.text(1.0, y, "silent", va="center", fontsize=8, color="0.4")
    ax.axvline(0, color="C1", ls="--", lw=1.2)
    ax.text(0.5, len(latencies) - 0.4, "stimulus onset", color="C1", fontsize=8)
    ax.set_yticks(range(len(latencies)), [f"neuron {len(latencies) - i}" for i in range(len(latencies))], fontsize=8)
    ax.set_xlim(-2, 45)
    ax.set_xlabel("time after onset (ms)")
    ax.set_title("rank-order code: who fires first", fontsize=9)
    out["ranks"] = ranks
    # 3. Coincidence code.
    ax = axes[2]
    a = np.array([8.0, 21.0, 35.0, 47.0, 60.0, 74.0, 88.0])
    b = np.array([14.0, 21.8, 40.0, 52.0, 59.4, 67.0, 80.0, 88.9, 95.0])
    window = 2.0
    coinc = np.array([t for t in a if np.any(np.abs(b - t) <= window)])
    event_row(ax, a, 2.0, "input 1", color="C0", label_x=-3)
    event_row(ax, b, 1.0, "input 2", color="C2", label_x=-3)
    if coinc.size:
        event_row(ax, coinc + 1.0, 0.0, "output", color="C1", label_x=-3)
        for t in coinc:
            ax.axvspan(t - window, t + window, color="C7", alpha=0.15)
    ax.set_ylim(-0.6, 2.6)
    ax.set_xlim(-20, 102)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("time (ms)")
    ax.set_title("coincidence code: fire when inputs align", fontsize=9)
    out["coincidences"] = coinc
    return out
