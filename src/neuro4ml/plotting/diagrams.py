"""Schematic diagrams for the lecture pages, drawn with matplotlib from a few general primitives.

The diagrams are labelled boxes, arrows, chains, timelines and layered graphs.

Conventions shared by every function here:

* Each primitive draws into a given :class:`matplotlib.axes.Axes` in *data coordinates* and
  returns what it drew (a :class:`Box`, an arrow patch, a dictionary of node positions), so
  that a page can place a further arrow or label relative to it. Nothing calls ``plt.show``.
* Call :func:`blank` on the axes first: it hides the frame and fixes the aspect ratio to 1,
  so that circles stay round and a box of width 2 is twice as wide as a box of width 1.
* Every drawn artist gets a ``gid`` naming its role (``"box:<label>"``, ``"arrow:<from>-><to>"``,
  ``"node:<layer>,<index>"``, ``"event:<label>"``) so that tests and accessibility tools can find
  it without reading pixels.
* Colours are the Okabe--Ito palette of :mod:`neuro4ml.plotting.style` (``"C0"`` ... ``"C7"``);
  meaning never rests on colour alone: excitation and inhibition differ by their arrow *heads*
  (a triangle or a flat bar, the convention of circuit diagrams, see e.g. Dayan & Abbott 2001),
  boxes carry text, and rows of a timeline or protocol are labelled.

The course-specific schematics at the end (:func:`draw_chemical_synapse`, :func:`draw_stdp_protocol`,
:func:`draw_em_pipeline`, :func:`annotate_action_potential`) are built from the same primitives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

__all__ = [
    "Box",
    "blank",
    "box",
    "arrow",
    "chain",
    "timeline",
    "layered_graph",
    "small_graph",
    "event_row",
    "triad_edges",
    "draw_triads",
    "self_loop",
    "draw_ei_circuit",
    "draw_chemical_synapse",
    "draw_stdp_protocol",
    "draw_em_pipeline",
    "annotate_action_potential",
]

#: Arrow heads by kind: excitatory (filled triangle), inhibitory (flat bar), plain (line arrow),
#: and undirected (no head, e.g. a gap junction or an undirected graph edge).
ARROW_STYLES = {"excitatory": "-|>", "inhibitory": "-[", "plain": "->", "undirected": "-"}
#: The drawn form of an inhibitory head: a flat bar across the end of the line, with no tabs. It
#: lies along the border of the box it ends on (the line is not shrunk for it) and is drawn above
#: the box (:data:`_BAR_ZORDER`), so that it shows as a dark bar on the coloured border.
_BAR = "-[, widthB=1.0, lengthB=0"
_BAR_ZORDER = 2.5


@dataclass
class Box:
    """A labelled box drawn by :func:`box`.

    It holds its centre ``(x, y)``, ``width`` and ``height`` in data units, and the matplotlib
    patch and text it drew.
    """

    x: float
    y: float
    width: float
    height: float
    label: str
    patch: FancyBboxPatch
    text: plt.Text

    def anchor(self, towards: tuple[float, float]) -> tuple[float, float]:
        """The point of the box's border on the straight line from its centre to ``towards``.

        For a box of half-sizes :math:`(a, b)` and direction :math:`(d_x, d_y)` the border point is
        :math:`c + s\\,d` with :math:`s = \\min(a/|d_x|, b/|d_y|)`.
        """
        dx, dy = towards[0] - self.x, towards[1] - self.y
        if dx == 0 and dy == 0:
            return (self.x, self.y)
        a, b = self.width / 2, self.height / 2
        s = min(a / abs(dx) if dx else np.inf, b / abs(dy) if dy else np.inf)
        return (self.x + s * dx, self.y + s * dy)

    @property
    def centre(self) -> tuple[float, float]:
        """The centre ``(x, y)`` of the box in data units."""
        return (self.x, self.y)


def blank(ax: plt.Axes, *, xlim: tuple[float, float] | None = None, ylim: tuple[float, float] | None = None) -> plt.Axes:
    """Prepare ``ax`` for a diagram: no frame or ticks, equal aspect, optional limits."""
    ax.set_axis_off()
    ax.set_aspect("equal")
    if xlim is not None:
        ax.set_xlim(*xlim)
    if ylim is not None:
        ax.set_ylim(*ylim)
    return ax


def box(ax: plt.Axes, xy: tuple[float, float], label: str, *, width: float = 2.0, height: float = 0.8,
        color: str = "C0", fill: str = "white", fontsize: float = 9, style: str = "round", lw: float = 1.4,
        hatch: str | None = None) -> Box:
    """Draw a box with its text centred at ``xy`` and return a :class:`Box`.

    ``color`` is the outline, ``fill`` the face; ``style`` is ``"round"``, ``"square"`` or
    ``"circle"``-like ``"round4"`` (any matplotlib ``boxstyle``); ``hatch`` adds a pattern so that
    two kinds of box differ without colour.
    """
    x, y = xy
    pad = min(width, height) * 0.12
    patch = FancyBboxPatch((x - width / 2 + pad, y - height / 2 + pad), width - 2 * pad, height - 2 * pad,
                           boxstyle=f"{style},pad={pad}", ec=color, fc=fill, lw=lw, hatch=hatch, zorder=2)
    patch.set_gid(f"box:{label}")
    ax.add_patch(patch)
    text = ax.text(x, y, label, ha="center", va="center", fontsize=fontsize, zorder=3,
                   bbox=dict(boxstyle="round,pad=0.15", fc=fill, ec="none") if hatch else None)
    text.set_gid(f"label:{label}")
    ax.update_datalim([(x - width / 2, y - height / 2), (x + width / 2, y + height / 2)])
    return Box(x, y, width, height, label, patch, text)


def _point(p, towards) -> tuple[float, float]:
    if isinstance(p, Box):
        other = towards.centre if isinstance(towards, Box) else towards
        return p.anchor(other)
    return (float(p[0]), float(p[1]))


def arrow(ax: plt.Axes, start: Box | tuple[float, float], end: Box | tuple[float, float], *, kind: str = "excitatory",
          label: str | None = None, color: str = "k", rad: float = 0.0, lw: float = 1.4, fontsize: float = 8.5,
          label_offset: tuple[float, float] = (0.0, 0.15), shrink: float = 2.0) -> FancyArrowPatch:
    """Draw an arrow from ``start`` to ``end`` (boxes or points) and return the patch.

    A box end is replaced by the point of its border facing the other end (:meth:`Box.anchor`).
    ``kind`` is one of :data:`ARROW_STYLES`: ``"excitatory"`` (triangle), ``"inhibitory"`` (bar),
    ``"plain"`` or ``"undirected"``; ``rad`` bends the arrow into an arc (positive: to the left
    of the direction of travel); ``label`` is written beside its middle.
    """
    if kind not in ARROW_STYLES:
        raise ValueError(f"arrow kind must be one of {sorted(ARROW_STYLES)}, got {kind!r}")
    p0, p1 = _point(start, end), _point(end, start)
    style = ARROW_STYLES[kind]
    if kind == "inhibitory":
        style = _BAR
    # an inhibitory bar is drawn on the end point itself (on the target's border), not short of it
    patch = FancyArrowPatch(p0, p1, arrowstyle=style, connectionstyle=f"arc3,rad={rad}", mutation_scale=14,
                            color=color, lw=lw, shrinkA=shrink, shrinkB=0.0 if kind == "inhibitory" else shrink,
                            zorder=_BAR_ZORDER if kind == "inhibitory" else 1)
    name0 = start.label if isinstance(start, Box) else f"{p0[0]:g},{p0[1]:g}"
    name1 = end.label if isinstance(end, Box) else f"{p1[0]:g},{p1[1]:g}"
    patch.set_gid(f"arrow:{name0}->{name1}")
    ax.add_patch(patch)
    if label:
        mx, my = (p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2
        # matplotlib's arc3 puts the control point at the chord's middle + rad * (dy, -dx); the
        # middle of the quadratic curve lies halfway between the chord's middle and that point
        nx, ny = p1[1] - p0[1], -(p1[0] - p0[0])
        mx, my = mx + rad * nx / 2, my + rad * ny / 2
        t = ax.text(mx + label_offset[0], my + label_offset[1], label, ha="center", va="bottom", fontsize=fontsize,
                    color=color, zorder=3)
        t.set_gid(f"arrow-label:{label}")
    ax.update_datalim([p0, p1])
    return patch


def chain(ax: plt.Axes, labels: Sequence[str], *, start: tuple[float, float] = (0.0, 0.0), step: float = 2.6,
          direction: str = "right", width: float = 2.0, height: float = 0.9, colors: Sequence[str] | None = None,
          arrow_labels: Sequence[str | None] | None = None, fontsize: float = 9) -> list[Box]:
    """Draw a pipeline: boxes ``labels`` in a row, each joined to the next by an arrow.

    The row goes in ``direction`` (``"right"`` or ``"down"``); the arrows are optionally labelled.
    Returns the boxes in order.
    """
    if direction not in ("right", "down"):
        raise ValueError(f"direction must be 'right' or 'down', got {direction!r}")
    dx, dy = (step, 0.0) if direction == "right" else (0.0, -step)
    boxes = [box(ax, (start[0] + i * dx, start[1] + i * dy), text, width=width, height=height,
                 color=(colors[i] if colors else "C0"), fontsize=fontsize) for i, text in enumerate(labels)]
    for i in range(len(boxes) - 1):
        lab = arrow_labels[i] if arrow_labels else None
        offset = (0.0, 0.12) if direction == "right" else (0.7, -0.1)
        arrow(ax, boxes[i], boxes[i + 1], kind="plain", label=lab, label_offset=offset)
    return boxes


def timeline(ax: plt.Axes, events: Sequence[tuple[float, str, int]], *, levels: int = 3,
             row_names: Mapping[int, str] | None = None, colors: Mapping[int, str] | None = None,
             fontsize: float = 8) -> dict[str, tuple[float, float]]:
    """Draw a horizontal timeline of ``events``.

    ``events`` are ``(time, label, row)`` with ``row`` +1 (labels above the axis) or -1 (below);
    labels of nearby events are staggered over ``levels`` heights so that they do not overlap.
    Rows are told apart by side and marker (circle above, square below) as well as by colour.
    Returns each label's text position.
    """
    colors = dict(colors or {1: "C0", -1: "C1"})
    markers = {1: "o", -1: "s"}
    ax.axhline(0, color="k", lw=1)
    positions: dict[str, tuple[float, float]] = {}
    counters = {1: 0, -1: 0}
    for time, label, row in sorted(events, key=lambda e: e[0]):
        if row not in (1, -1):
            raise ValueError(f"timeline rows are +1 (above) or -1 (below), got {row!r} for {label!r}")
        level = counters[row] % levels
        counters[row] += 1
        y = row * (0.4 + 0.55 * level)
        ax.plot([time, time], [0, y], color=colors[row], lw=0.8)
        (dot,) = ax.plot(time, 0, markers[row], color=colors[row], ms=6, zorder=3)
        dot.set_gid(f"event:{label}")
        t = ax.text(time, y, label, ha="center", va="bottom" if row > 0 else "top", fontsize=fontsize,
                    bbox=dict(boxstyle="round,pad=0.2", fc="white", ec=colors[row], lw=0.8))
        t.set_gid(f"event-label:{label}")
        positions[label] = (time, y)
    if row_names:
        x0 = min(e[0] for e in events)
        for row, name in row_names.items():
            ax.text(x0, row * (0.55 * levels + 0.5), name, ha="left", va="center", fontsize=fontsize + 2,
                    weight="bold", color=colors[row])
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_ylim(-(0.55 * levels + 0.9), 0.55 * levels + 0.9)
    return positions


def layered_graph(ax: plt.Axes, layers: Sequence[int | Sequence[str]], *, edges: Sequence[tuple] | None = None,
                  layer_names: Sequence[str] | None = None, x_step: float = 2.0, y_step: float = 0.8,
                  radius: float = 0.22, colors: Sequence[str] | None = None, edge_kind: str = "plain",
                  edge_color: str = "0.4", fontsize: float = 8) -> dict[tuple[int, int], tuple[float, float]]:
    """A layered graph (a feedforward network, or one with extra recurrent edges).

    ``layers`` gives each layer's size, or its node labels. Without ``edges`` every node is
    joined to every node of the next layer. ``edges`` lists ``((layer, i), (layer, j))`` pairs,
    optionally with a third item, the arrow kind (see :func:`arrow`); an edge within one layer
    or backwards is drawn as an arc. Layers run left to right, nodes top to bottom, each layer
    centred on ``y = 0``. Returns the position of each node ``(layer, index)``.
    """
    pos: dict[tuple[int, int], tuple[float, float]] = {}
    for li, layer in enumerate(layers):
        labels = [None] * layer if isinstance(layer, int) else list(layer)
        n = len(labels)
        for i, lab in enumerate(labels):
            xy = (li * x_step, ((n - 1) / 2 - i) * y_step)
            pos[(li, i)] = xy
            c = Circle(xy, radius, fc="white", ec=(colors[li] if colors else "C0"), lw=1.5, zorder=2)
            c.set_gid(f"node:{li},{i}")
            ax.add_patch(c)
            if lab:
                ax.text(xy[0], xy[1], lab, ha="center", va="center", fontsize=fontsize, zorder=3)
    if edges is None:
        edges = [((li, i), (li + 1, j)) for li in range(len(layers) - 1)
                 for i in range(_size(layers[li])) for j in range(_size(layers[li + 1]))]
    for edge in edges:
        a, b = edge[0], edge[1]
        kind = edge[2] if len(edge) > 2 else edge_kind
        rad = 0.0 if b[0] > a[0] else 0.6
        # a bar head stops short of the node, so that it does not merge with the node's outline
        p0, p1 = _trim(pos[a], pos[b], radius * (1.35 if kind == "inhibitory" else 1.0))
        p = FancyArrowPatch(p0, p1, arrowstyle=ARROW_STYLES[kind] if kind != "inhibitory" else _BAR,
                            connectionstyle=f"arc3,rad={rad}", mutation_scale=9, color=edge_color, lw=0.8,
                            shrinkA=0, shrinkB=0, zorder=1)
        p.set_gid(f"edge:{a[0]},{a[1]}->{b[0]},{b[1]}")
        ax.add_patch(p)
    if layer_names:
        top = max(y for _, y in pos.values())
        for li, name in enumerate(layer_names):
            t = ax.text(li * x_step, top + y_step * 0.75, name, ha="center", va="bottom", fontsize=fontsize + 1)
            t.set_gid(f"layer-name:{name}")
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    ax.update_datalim([(min(xs) - 1, min(ys) - 1), (max(xs) + 1, max(ys) + 1.2)])
    ax.autoscale_view()
    return pos


def _trim(p0, p1, radius: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """Shorten the segment from ``p0`` to ``p1`` by ``radius`` (data units) at both ends.

    An edge between two circles of that radius then starts and ends on their borders.
    """
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    d = p1 - p0
    n = np.hypot(*d)
    if n <= 2 * radius:
        return tuple(p0), tuple(p1)
    u = d / n * radius
    return tuple(p0 + u), tuple(p1 - u)


def _size(layer) -> int:
    return layer if isinstance(layer, int) else len(layer)


def small_graph(ax: plt.Axes, nodes: Mapping[str, tuple[float, float]], edges: Sequence[tuple], *,
                radius: float = 0.25, color: str = "C0", title: str | None = None, fontsize: float = 8) -> dict:
    """Draw a small directed graph.

    ``nodes`` maps a name to its position, ``edges`` are ``(from, to)`` or ``(from, to, kind)``
    (see :func:`arrow`). A pair of opposite edges is drawn
    as two arcs so that both heads show. Used for motifs and toy circuits.
    """
    for name, xy in nodes.items():
        c = Circle(xy, radius, fc="white", ec=color, lw=1.5, zorder=2)
        c.set_gid(f"node:{name}")
        ax.add_patch(c)
        ax.text(*xy, name, ha="center", va="center", fontsize=fontsize, zorder=3)
    pairs = {(e[0], e[1]) for e in edges}
    for e in edges:
        a, b = e[0], e[1]
        kind = e[2] if len(e) > 2 else "excitatory"
        rad = 0.25 if (b, a) in pairs else 0.0
        style = ARROW_STYLES[kind] if kind != "inhibitory" else _BAR
        p0, p1 = _trim(nodes[a], nodes[b], radius * (1.35 if kind == "inhibitory" else 1.0))
        p = FancyArrowPatch(p0, p1, arrowstyle=style, connectionstyle=f"arc3,rad={rad}",
                            mutation_scale=10, color="k", lw=1.0, shrinkA=0, shrinkB=0, zorder=1)
        p.set_gid(f"edge:{a}->{b}")
        ax.add_patch(p)
    xs = [x for x, _ in nodes.values()]
    ys = [y for _, y in nodes.values()]
    ax.update_datalim([(min(xs) - 2 * radius, min(ys) - 2 * radius), (max(xs) + 2 * radius, max(ys) + 2 * radius)])
    ax.autoscale_view()
    if title:
        ax.set_title(title, fontsize=fontsize + 1)
    return dict(nodes)


def event_row(ax: plt.Axes, times: Sequence[float], y: float, label: str, *, height: float = 0.6,
              color: str = "k", marker_text: str | None = None, fontsize: float = 9, label_x: float | None = None):
    """Draw one row of a protocol: a vertical tick of ``height`` at each of ``times`` on the line ``y``.

    ``label`` is written on the left (at ``label_x``, default a little before the first time).
    Returns the line collection of ticks.
    """
    lines = ax.vlines(times, y - height / 2, y + height / 2, color=color, lw=2)
    lines.set_gid(f"row:{label}")
    x0 = label_x if label_x is not None else (min(times) - 0.1 * (max(times) - min(times) + 1))
    ax.text(x0, y, label, ha="right", va="center", fontsize=fontsize)
    if marker_text:
        for t in times:
            ax.text(t, y + height / 2 + 0.05, marker_text, ha="center", va="bottom", fontsize=fontsize - 1)
    return lines


# --- Course schematics built from the primitives ------------------------------------------

#: Positions of the three nodes of a triad drawing: a triangle with node 2 at the top.
TRIAD_LAYOUT = {"0": (0.0, 0.0), "1": (1.0, 0.0), "2": (0.5, 0.85)}


def triad_edges(code: str) -> list[tuple[str, str]]:
    """Return the directed edges of one example of the triad type ``code``.

    ``code`` is in Holland & Leinhardt 1970 notation, e.g. ``"030T"``, the feed-forward loop; the
    edges are on nodes ``"0"``, ``"1"``, ``"2"``.

    The example is found, not typed in: of the 64 directed graphs on three labelled nodes, the
    first with fewest edges whose type, as networkx's ``triad_type`` computes it, is ``code``.
    With :data:`TRIAD_LAYOUT`, "D" (down) types send from the top node and "U" (up) types send to it.
    """
    import itertools

    import networkx as nx

    pairs = [("0", "1"), ("1", "0"), ("0", "2"), ("2", "0"), ("1", "2"), ("2", "1")]
    best: list[tuple[str, str]] | None = None
    for bits in itertools.product([0, 1], repeat=6):
        edges = [p for p, b in zip(pairs, bits) if b]
        g = nx.DiGraph()
        g.add_nodes_from(TRIAD_LAYOUT)
        g.add_edges_from(edges)
        if nx.triad_type(g) == code and (best is None or len(edges) < len(best)):
            best = edges
    if best is None:
        raise ValueError(f"unknown triad type {code!r}; expected one of networkx's 16 codes such as '030T'")
    return best


def draw_triads(axes: Sequence[plt.Axes], codes: Sequence[str], *, names: Mapping[str, str] | None = None) -> None:
    """Draw one example of each triad type of ``codes`` in the matching axes of ``axes``.

    Each is titled with its code (and with ``names[code]``, e.g. "feed-forward loop", where given).
    """
    if len(axes) < len(codes):
        raise ValueError(f"need one axes per triad type: {len(axes)} axes for {len(codes)} types")
    names = dict(names or {})
    for ax, code in zip(axes, codes):
        blank(ax)
        small_graph(ax, TRIAD_LAYOUT, triad_edges(code), radius=0.13, fontsize=6)
        ax.set_title(code + (f"\n{names[code]}" if code in names else ""), fontsize=9)
        ax.set_xlim(-0.3, 1.3)
        ax.set_ylim(-0.3, 1.15)
    for ax in axes[len(codes):]:
        ax.set_axis_off()


def self_loop(ax: plt.Axes, b: Box, *, kind: str = "excitatory", label: str | None = None, side: str = "top",
              color: str = "k") -> FancyArrowPatch:
    """Draw an arrow from box ``b`` back to itself, a recurrent connection within a population.

    The arrow is a loop over the box's ``side`` (``"top"`` or ``"bottom"``).

    The loop is the cubic Bezier curve from :math:`P_0 = (x - w/4, y_e)` through the control points
    :math:`P_0 + (0, h)` and :math:`P_3 + (0, h)` to :math:`P_3 = (x + w/4, y_e)`, where :math:`y_e`
    is the box's top (or bottom) border and :math:`h = \\pm 0.8`. Its end tangents,
    :math:`B'(0) = 3(P_1 - P_0)` and :math:`B'(1) = 3(P_3 - P_2)`, are vertical, so it leaves and meets
    the border at right angles and an inhibitory bar lies along the border; the top of the loop is
    :math:`B(1/2) = y_e + 3h/4`.
    """
    if side not in ("top", "bottom"):
        raise ValueError(f"side must be 'top' or 'bottom', got {side!r}")
    if kind not in ARROW_STYLES:
        raise ValueError(f"arrow kind must be one of {sorted(ARROW_STYLES)}, got {kind!r}")
    sgn = 1 if side == "top" else -1
    y, h = b.y + sgn * b.height / 2, 0.8 * sgn
    x0, x1 = b.x - b.width / 4, b.x + b.width / 4
    path = Path([(x0, y), (x0, y + h), (x1, y + h), (x1, y)], [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
    style = _BAR if kind == "inhibitory" else ARROW_STYLES[kind]
    patch = FancyArrowPatch(path=path, arrowstyle=style, mutation_scale=14, color=color, lw=1.4,
                            zorder=_BAR_ZORDER if kind == "inhibitory" else 1)
    patch.set_gid(f"arrow:{b.label}->{b.label}")
    ax.add_patch(patch)
    if label:
        top = y + 0.75 * h
        t = ax.text(b.x, top + (0.05 if side == "top" else -0.05), label, ha="center",
                    va="bottom" if side == "top" else "top", fontsize=8.5, color=color, zorder=3)
        t.set_gid(f"arrow-label:{label}")
    ax.update_datalim([(x0, y), (x1, y + 0.75 * h)])
    return patch


def draw_ei_circuit(ax: plt.Axes, *, labels: Mapping[str, str] | None = None, names: tuple[str, str] = ("E", "I"),
                    external: tuple[str, str] | None = ("$h_E$", "$h_I$"), spacing: float = 4.0) -> dict[str, Box]:
    """Draw two populations, excitatory and inhibitory, with their four connections and external inputs.

    This is the circuit of the Wilson--Cowan model (Wilson & Cowan 1972) and of balanced networks
    (van Vreeswijk & Sompolinsky 1996). ``labels`` names the connections by the keys ``"EE"``,
    ``"IE"`` (from E to I), ``"EI"`` (from I to E) and ``"II"``; excitatory connections end in
    triangles, inhibitory ones in bars. Returns the two boxes.
    """
    labels = {"EE": "$w_{EE}$", "IE": "$w_{IE}$", "EI": "$w_{EI}$", "II": "$w_{II}$", **dict(labels or {})}
    blank(ax)
    e = box(ax, (0.0, 0.0), names[0], width=1.8, height=1.0, color="C0", fontsize=10)
    i = box(ax, (spacing, 0.0), names[1], width=1.8, height=1.0, color="C1", fontsize=10, hatch="..")
    self_loop(ax, e, label=labels["EE"])
    self_loop(ax, i, kind="inhibitory", label=labels["II"])
    arrow(ax, (e.x + 0.9, 0.15), (i.x - 0.9, 0.15), kind="excitatory", label=labels["IE"], label_offset=(0, 0.05))
    arrow(ax, (i.x - 0.9, -0.15), (e.x + 0.9, -0.15), kind="inhibitory", label=labels["EI"], label_offset=(0, -0.45))
    if external:
        for b, text in zip((e, i), external):
            arrow(ax, (b.x, -1.6), b, kind="excitatory", label=text, label_offset=(0.35, -0.1))
    ax.set_xlim(-1.8, spacing + 1.8)
    ax.set_ylim(-1.9, 2.0)
    return {"E": e, "I": i}


def draw_chemical_synapse(ax: plt.Axes) -> dict[str, object]:
    """Draw a chemical synapse in cross-section.

    The drawing shows the presynaptic terminal with vesicles, the cleft, the postsynaptic membrane
    with receptors, and numbered steps of transmission (spike arrives, Ca2+ enters, vesicles fuse,
    transmitter binds, current flows).

    The sequence follows the standard account (e.g. Kandel et al., *Principles of Neural
    Science*; Südhof 2013, *Neuron* 80:675). Returns the artists by role for tests.
    """
    from matplotlib.patches import Rectangle, Wedge

    blank(ax, xlim=(-5.2, 5.2), ylim=(-3.6, 3.6))
    out: dict[str, object] = {}
    # Presynaptic bouton: a rounded half-disc above the cleft; the axon enters from the top.
    pre = Wedge((0, 0.35), 3.0, 0, 180, fc="#e8f1f8", ec="C0", lw=1.6)
    pre.set_gid("presynaptic terminal")
    ax.add_patch(pre)
    ax.add_patch(Rectangle((-0.5, 3.2), 1.0, 0.45, fc="#e8f1f8", ec="none"))
    ax.plot([-0.5, -0.5], [3.0, 3.6], color="C0", lw=1.6)
    ax.plot([0.5, 0.5], [3.0, 3.6], color="C0", lw=1.6)
    # Postsynaptic membrane: a band below the cleft (a dendritic spine head).
    post = Rectangle((-3.0, -3.2), 6.0, 2.8, fc="#fbece3", ec="C1", lw=1.6, hatch="..")
    post.set_gid("postsynaptic neuron")
    ax.add_patch(post)
    rng = np.random.default_rng(3)
    vesicles = []
    for cx, cy in [(-1.6, 1.6), (-0.8, 2.2), (0.2, 1.9), (1.1, 1.4), (-0.4, 1.2), (1.6, 2.1), (0.7, 2.6), (-1.4, 0.9)]:
        v = Circle((cx, cy), 0.28, fc="white", ec="C4", lw=1.2)
        ax.add_patch(v)
        dots = rng.uniform(-0.12, 0.12, size=(4, 2))
        ax.plot(cx + dots[:, 0], cy + dots[:, 1], ".", color="C4", ms=3)
        vesicles.append(v)
    out["vesicles"] = vesicles
    # A vesicle fusing at the active zone and transmitter crossing the cleft.
    ax.add_patch(Wedge((0.3, 0.35), 0.3, 180, 360, fc="white", ec="C4", lw=1.2))
    tx = np.array([[0.0, 0.05], [0.35, -0.05], [0.6, 0.1], [0.2, -0.2], [0.5, -0.3], [-0.1, -0.15]])
    ax.plot(tx[:, 0] + 0.1, tx[:, 1] + 0.05, ".", color="C4", ms=5)
    # Receptors: channels in the postsynaptic membrane (drawn as pairs of bars with a gap).
    receptors = []
    for rx in (-1.2, -0.2, 0.8, 1.8):
        for dx in (-0.14, 0.14):
            r = Rectangle((rx + dx - 0.08, -0.75), 0.16, 0.5, fc="C2", ec="k", lw=0.6)
            ax.add_patch(r)
            receptors.append(r)
    out["receptors"] = receptors
    # Calcium channels on the presynaptic membrane.
    for cx in (-2.2, 2.2):
        ax.add_patch(Rectangle((cx - 0.12, 0.2), 0.24, 0.45, fc="C5", ec="k", lw=0.6))
    ax.annotate("", xy=(-2.2, 0.9), xytext=(-2.9, 0.1), arrowprops=dict(arrowstyle="-|>", color="k"))
    ax.text(-3.05, -0.05, r"Ca$^{2+}$", ha="right", va="top", fontsize=9)
    # Current into the postsynaptic cell.
    ax.annotate("", xy=(0.8, -1.9), xytext=(0.8, -0.8), arrowprops=dict(arrowstyle="-|>", color="k", lw=1.4))
    steps = [
        ((0, 3.45), (1.6, 3.35), "1  spike arrives"),
        ((-2.2, 0.7), (-4.9, 1.6), "2  Ca$^{2+}$ enters"),
        ((0.35, 0.3), (3.3, 1.2), "3  vesicle fuses,\n    transmitter released"),
        ((1.8, -0.4), (3.9, -0.05), "4  transmitter binds\n    receptors, channels open"),
        ((0.8, -1.6), (3.3, -2.3), "5  current flows in\n    (Na$^{+}$: an EPSC)"),
    ]
    labels = []
    for xy, xytext, text in steps:
        t = ax.annotate(text, xy=xy, xytext=xytext, fontsize=8.5, ha="left", va="center",
                        arrowprops=dict(arrowstyle="-", color="0.4", lw=0.7))
        labels.append(t)
    out["steps"] = labels
    ax.text(-4.9, 2.9, "presynaptic\naxon terminal", fontsize=9, color="C0", ha="left", va="center", weight="bold")
    ax.text(-5.1, -2.6, "postsynaptic\ndendrite", fontsize=9, color="C1", ha="left", va="center", weight="bold")
    ax.annotate("synaptic cleft\n(~20 nm)", xy=(-2.5, 0.0), xytext=(-4.9, -1.0), fontsize=8.5, ha="left", va="center",
                arrowprops=dict(arrowstyle="-", color="0.4", lw=0.7))
    out["pre"], out["post"] = pre, post
    return out


def draw_stdp_protocol(ax: plt.Axes, *, delta_t_ms: float = 10.0, n_pairs: int = 5, period_ms: float = 1000.0,
                       show_pairs: int = 3) -> dict[str, object]:
    """Draw the pairing protocol of STDP experiments (Markram et al. 1997; Bi & Poo 1998).

    A presynaptic spike and a postsynaptic spike repeated ``n_pairs`` times at intervals of
    ``period_ms`` (1 Hz in Bi & Poo's 60 pairings), the postsynaptic spike ``delta_t_ms``
    after the presynaptic one (:math:`\\Delta t = t_{post} - t_{pre} > 0`: pre before post,
    potentiation; :math:`\\Delta t < 0`: depression). The left panel draws the first
    ``show_pairs`` pairings on a broken time axis; the right inset zooms into one pair with
    :math:`\\Delta t` marked. Returns the artists by role.
    """
    blank(ax)
    ax.set_aspect("auto")
    out: dict[str, object] = {}
    gap = 3.0  # drawing units between pairings
    pre_t = np.arange(show_pairs) * gap
    post_t = pre_t + 0.5 * np.sign(delta_t_ms)
    out["pre"] = event_row(ax, pre_t, 1.0, "presynaptic\nspikes", color="C0", label_x=-0.8)
    out["post"] = event_row(ax, post_t, 0.0, "postsynaptic\nspikes", color="C1", label_x=-0.8)
    ax.plot(post_t, np.zeros(show_pairs) - 0.45, "^", color="C1", ms=6)
    ax.plot(pre_t, np.ones(show_pairs) + 0.45, "v", color="C0", ms=6)
    for i in range(show_pairs - 1):
        mid = pre_t[i] + gap / 2
        ax.annotate("", xy=(pre_t[i + 1] - 0.2, -0.9), xytext=(pre_t[i] + 0.7, -0.9),
                    arrowprops=dict(arrowstyle="<->", color="0.3"))
        ax.text(mid + 0.25, -1.05, f"{period_ms / 1000:g} s", ha="center", va="top", fontsize=8)
    ax.text(pre_t[-1] + 1.6, 0.5, f"… {n_pairs} pairings in all", ha="left", va="center", fontsize=9)
    # zoom on the first pair
    z0, z1 = pre_t[0], post_t[0]
    lo, hi = min(z0, z1), max(z0, z1)
    ax.annotate("", xy=(hi, 1.75), xytext=(lo, 1.75), arrowprops=dict(arrowstyle="<->", color="k", lw=1.2))
    t = ax.text((lo + hi) / 2, 1.85, rf"$\Delta t = t_\mathrm{{post}} - t_\mathrm{{pre}} = {delta_t_ms:+g}$ ms",
                ha="left", va="bottom", fontsize=9)
    t.set_gid("delta-t")
    out["delta_t"] = t
    ax.set_xlim(-3.0, pre_t[-1] + 5.5)
    ax.set_ylim(-1.5, 2.4)
    return out


def draw_em_pipeline(ax: plt.Axes, *, stages: Sequence[str] | None = None, notes: Sequence[str] | None = None) -> list[Box]:
    """Draw the connectomics pipeline as a chain of boxes.

    The stages are tissue, serial electron-microscopy images, aligned volume, segmentation into
    neurons, synapse detection, proofreading and the wiring diagram (a graph), with a note under
    each stage (see Lichtman & Sanes 2008; Scheffer et al. 2020 for the steps at scale). Returns the
    boxes in order.
    """
    stages = list(stages or ["tissue block", "serial EM\nimages", "aligned\nvolume", "segment\nneurons",
                             "detect\nsynapses", "proofread", "graph:\nadjacency matrix"])
    notes = list(notes or ["fixed, stained,\nembedded", "sections ~30-40 nm\npixels ~4-8 nm", "stitch and\nregister",
                           "machine learning\n(CNNs)", "machine learning", "humans correct\nmerges and splits",
                           "neurons = nodes\nsynapses = edges"])
    if len(notes) != len(stages):
        raise ValueError(f"need one note per stage: {len(stages)} stages, {len(notes)} notes")
    blank(ax)
    colors = ["C7"] + ["C0"] * 2 + ["C2"] * 2 + ["C1"] + ["C4"]
    boxes = chain(ax, stages, step=2.4, width=2.0, height=1.1, colors=colors[: len(stages)] if len(stages) == 7 else None,
                  fontsize=8.5)
    for b, note in zip(boxes, notes):
        ax.text(b.x, b.y - 0.85, note, ha="center", va="top", fontsize=7.5, color="0.25")
    ax.set_xlim(-1.3, boxes[-1].x + 1.3)
    ax.set_ylim(-2.2, 0.9)
    return boxes


def annotate_action_potential(ax: plt.Axes, t_ms: np.ndarray, v_mv: np.ndarray, *, rest_mv: float | None = None,
                              threshold_mv: float | None = None, fontsize: float = 9) -> dict[str, tuple[float, float]]:
    """Label the phases of one action potential drawn as ``v_mv`` against ``t_ms``.

    The phases are resting potential, threshold (if given, else the point of steepest rise), rising
    phase (depolarisation), overshoot (peak above 0 mV), falling phase (repolarisation), undershoot
    (after-hyperpolarisation, the minimum after the peak) and return to rest.

    The phases are found from the trace: the peak is the maximum, the rising and falling phases
    are the points of largest and smallest slope, the undershoot is the minimum after the peak.
    Returns each phase's annotated point ``(t, v)``.
    """
    t_ms = np.asarray(t_ms, dtype=float)
    v_mv = np.asarray(v_mv, dtype=float)
    if t_ms.shape != v_mv.shape or t_ms.ndim != 1:
        raise ValueError(f"t_ms and v_mv must be 1-D of the same length, got {t_ms.shape} and {v_mv.shape}")
    dv = np.gradient(v_mv, t_ms)
    ipeak = int(np.argmax(v_mv))
    if ipeak == 0 or ipeak == len(v_mv) - 1:
        raise ValueError("the trace must contain one action potential with its peak inside the trace")
    irise = int(np.argmax(dv[:ipeak]))
    ifall = ipeak + int(np.argmin(dv[ipeak:]))
    iunder = ifall + int(np.argmin(v_mv[ifall:]))
    rest = float(v_mv[0]) if rest_mv is None else rest_mv
    points = {
        "rising phase\n(Na$^+$ flows in)": (t_ms[irise], v_mv[irise]),
        "overshoot\n(peak above 0 mV)": (t_ms[ipeak], v_mv[ipeak]),
        "falling phase\n(K$^+$ flows out)": (t_ms[ifall], v_mv[ifall]),
        "undershoot\n(after-hyperpolarisation)": (t_ms[iunder], v_mv[iunder]),
    }
    span = t_ms[-1] - t_ms[0]
    offsets = [(-0.1, 0.1), (0.1, 0.0), (0.1, 0.35), (0.2, 0.15)]  # text offsets, fractions of the ranges
    vr = v_mv.max() - v_mv.min()
    for (label, (x, y)), (ox, oy) in zip(points.items(), offsets):
        t = ax.annotate(label, xy=(x, y), xytext=(x + ox * span, y + oy * vr), fontsize=fontsize,
                        ha="left" if ox > 0 else "right", va="center",
                        arrowprops=dict(arrowstyle="-|>", color="0.3", lw=0.8))
        t.set_gid(f"phase:{label.split(chr(10))[0]}")
    ax.axhline(rest, color="0.5", lw=0.8, ls=":")
    ax.text(t_ms[0], rest + 0.02 * vr, "resting potential", fontsize=fontsize - 1, va="bottom", color="0.3")
    ax.axhline(0, color="0.5", lw=0.6, ls="--")
    if threshold_mv is not None:
        ax.axhline(threshold_mv, color="C1", lw=0.8, ls="-.")
        ax.text(t_ms[-1], threshold_mv + 0.02 * vr, "threshold (approx.)", fontsize=fontsize - 1, va="bottom",
                ha="right", color="C1")
        points["threshold"] = (t_ms[irise], threshold_mv)
    points["rest"] = (t_ms[0], rest)
    return points
