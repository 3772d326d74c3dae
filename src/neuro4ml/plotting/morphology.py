"""Drawing neuron morphologies (skeletons read by :mod:`neuro4ml.data.morphology`) with matplotlib."""

from __future__ import annotations

from typing import Any

import numpy as np

from neuro4ml.data.morphology import node_table, parent_rows, soma_rows

__all__ = ["plot_morphology_2d"]


def plot_morphology_2d(
    neuron: Any,
    ax=None,
    *,
    projection: str = "xy",
    color: Any = "k",
    linewidth: float = 0.6,
    scale: float = 1.0,
    offset: tuple[float, float] = (0.0, 0.0),
    soma: bool = True,
    soma_size: float = 30.0,
    **line_kwargs: Any,
):
    """Draw a 2-D projection of a skeleton as line segments from each node to its parent.

    Parameters
    ----------
    neuron:
        A node table or an object with a ``.nodes`` table (e.g. ``navis.TreeNeuron``).
    ax:
        Matplotlib axes; the current axes if ``None``.
    projection:
        Two of ``"x"``, ``"y"``, ``"z"`` naming the horizontal and vertical axes.
    color, linewidth, line_kwargs:
        Passed to :class:`matplotlib.collections.LineCollection`.
    scale, offset:
        Plotted coordinates are ``scale * coordinate + offset``.
    soma:
        Mark the soma with a dot: the node given by ``neuron.soma`` if there is
        one, otherwise a node labelled with SWC type 1, if any.
    soma_size:
        Marker area of the soma dot, in points squared.

    Returns
    -------
    matplotlib.collections.LineCollection
        The drawn segments. The axes get an equal aspect ratio.
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    if len(projection) != 2 or any(c not in "xyz" for c in projection) or projection[0] == projection[1]:
        raise ValueError(f"projection must be two different letters of 'xyz', got {projection!r}")
    if ax is None:
        ax = plt.gca()
    table = node_table(neuron)
    parent = parent_rows(table)
    h = np.asarray(table[projection[0]], dtype=float) * scale + offset[0]
    v = np.asarray(table[projection[1]], dtype=float) * scale + offset[1]
    child = np.flatnonzero(parent >= 0)
    segments = np.stack(
        [np.column_stack([h[child], v[child]]), np.column_stack([h[parent[child]], v[parent[child]]])],
        axis=1,
    )
    lines = LineCollection(segments, colors=color, linewidths=linewidth, **line_kwargs)
    ax.add_collection(lines)
    if soma:
        somata = soma_rows(neuron, table)
        if somata.size:
            ax.scatter(h[somata], v[somata], s=soma_size, color=color, zorder=3)
    if len(h):
        ax.update_datalim(np.column_stack([h, v]))
        ax.autoscale_view()
    ax.set_aspect("equal")
    return lines
