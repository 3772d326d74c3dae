"""Neuron morphologies: reading, measuring and drawing skeletons.

A *skeleton* describes a neuron's shape as a tree of points. Each point (node) has
an id, a position ``(x, y, z)``, a radius and the id of its parent node; the root
(usually the soma) has parent ``-1``. This is the layout of the SWC format
(Cannon et al. 1998, *J. Neurosci. Methods* 84:49-54), one node per line::

    node_id  type  x  y  z  radius  parent_id

Functions here work on a *node table*: any mapping from column name to a 1-D array
with at least the columns ``node_id``, ``x``, ``y``, ``z`` and ``parent_id``
(``radius`` and ``type`` are optional). A :class:`pandas.DataFrame` such as
``navis.TreeNeuron.nodes`` is a node table, and so is the ``dict`` returned by
:func:`read_swc`.

Real morphologies come from the optional ``navis`` package (``pip install
"neuro4ml[data]"``), which ships five fruit-fly projection neurons reconstructed
from the hemibrain electron-microscopy volume (Scheffer et al. 2020, *eLife*
9:e57443).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "SWC_COLUMNS",
    "MorphologyStats",
    "read_swc",
    "node_table",
    "morphology_stats",
    "load_example_neurons",
    "plot_morphology_2d",
]

#: Column names of an SWC file, in file order.
SWC_COLUMNS = ("node_id", "type", "x", "y", "z", "radius", "parent_id")

_REQUIRED = ("node_id", "x", "y", "z", "parent_id")


@dataclass(frozen=True)
class MorphologyStats:
    """Simple shape statistics of one skeleton.

    Attributes
    ----------
    n_nodes:
        Number of nodes in the tree.
    cable_length:
        Total length of all segments, :math:`\\sum_i \\lVert p_i - p_{\\mathrm{parent}(i)} \\rVert`,
        in the units of the coordinates.
    n_branch_points:
        Number of nodes with two or more children.
    n_tips:
        Number of nodes with no children (terminal points), not counting a
        root that has children.
    n_roots:
        Number of nodes without a parent (1 for a connected skeleton).
    """

    n_nodes: int
    cable_length: float
    n_branch_points: int
    n_tips: int
    n_roots: int


def read_swc(path: str | Path) -> dict[str, np.ndarray]:
    """Read an SWC file into a node table (a ``dict`` of 1-D arrays).

    Lines starting with ``#`` and blank lines are skipped. Columns beyond the
    seventh are ignored. Ids and types are returned as integers, coordinates and
    radii as floats.
    """
    rows: list[list[float]] = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split()
            if len(fields) < 7:
                raise ValueError(
                    f"{path}:{lineno}: an SWC line needs 7 columns "
                    f"({' '.join(SWC_COLUMNS)}), found {len(fields)}"
                )
            rows.append([float(v) for v in fields[:7]])
    data = np.asarray(rows, dtype=float).reshape(-1, 7)
    table: dict[str, np.ndarray] = {}
    for j, name in enumerate(SWC_COLUMNS):
        col = data[:, j]
        table[name] = col.astype(int) if name in ("node_id", "type", "parent_id") else col
    return table


def node_table(neuron: Any) -> dict[str, np.ndarray]:
    """Return the node table of ``neuron`` as a ``dict`` of numpy arrays.

    ``neuron`` may be a node table already (a mapping or a
    :class:`pandas.DataFrame`) or an object with a ``.nodes`` table, such as a
    ``navis.TreeNeuron``.
    """
    nodes = getattr(neuron, "nodes", neuron)
    if not isinstance(nodes, Mapping) and not hasattr(nodes, "columns"):
        raise TypeError(
            "expected a node table (a mapping or DataFrame with columns "
            f"{', '.join(_REQUIRED)}) or an object with a .nodes table, "
            f"got {type(neuron).__name__}"
        )
    keys = list(nodes.columns) if hasattr(nodes, "columns") else list(nodes.keys())
    missing = [c for c in _REQUIRED if c not in keys]
    if missing:
        raise ValueError(f"node table is missing column(s): {', '.join(missing)}")
    table = {}
    for key in keys:
        if key in SWC_COLUMNS:
            table[key] = np.asarray(nodes[key])
    return table


def _parent_index(table: Mapping[str, np.ndarray]) -> np.ndarray:
    """Row index of each node's parent, or -1 for a root."""
    ids = np.asarray(table["node_id"])
    parents = np.asarray(table["parent_id"])
    if len(ids) == 0:
        return np.zeros(0, dtype=int)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    if np.any(sorted_ids[1:] == sorted_ids[:-1]):
        raise ValueError("node ids must be unique")
    pos = np.clip(np.searchsorted(sorted_ids, parents), 0, len(ids) - 1)
    found = sorted_ids[pos] == parents
    is_root = parents < 0
    if np.any(~found & ~is_root):
        bad = parents[~found & ~is_root][:5]
        raise ValueError(f"parent id(s) not present in the table: {bad.tolist()}")
    return np.where(found & ~is_root, order[pos], -1)


def morphology_stats(neuron: Any, *, scale: float = 1.0) -> MorphologyStats:
    """Cable length, branch points and tips of a skeleton.

    Parameters
    ----------
    neuron:
        A node table or an object with a ``.nodes`` table (see :func:`node_table`).
    scale:
        Factor applied to lengths (e.g. ``0.008`` to turn 8 nm voxels into µm).

    The cable length is the sum over non-root nodes of the Euclidean distance to
    the parent node. A branch point is a node with at least two children; a tip is
    a node with none.
    """
    table = node_table(neuron)
    parent = _parent_index(table)
    xyz = np.column_stack([np.asarray(table[c], dtype=float) for c in ("x", "y", "z")])
    has_parent = parent >= 0
    seg = xyz[has_parent] - xyz[parent[has_parent]]
    length = float(np.sqrt((seg**2).sum(axis=1)).sum()) * scale
    n = len(parent)
    n_children = np.bincount(parent[has_parent], minlength=n)
    n_roots = int(np.sum(~has_parent))
    tips = (n_children == 0) & has_parent
    # A lone root with no children is a tip of a one-node tree.
    if n == 1:
        tips = np.array([True])
    return MorphologyStats(
        n_nodes=int(n),
        cable_length=length,
        n_branch_points=int(np.sum(n_children >= 2)),
        n_tips=int(np.sum(tips)),
        n_roots=n_roots,
    )


def load_example_neurons(*, units: str | None = "um"):
    """The five example fruit-fly neurons shipped with ``navis``, as skeletons.

    They are uniglomerular projection neurons of the right DA1 glomerulus
    (``DA1_lPN_R``), which carry olfactory information from the antennal lobe to
    the mushroom body and lateral horn, reconstructed from the hemibrain
    electron-microscopy data set (Scheffer et al. 2020). Nothing is downloaded:
    the data are inside the ``navis`` package.

    Parameters
    ----------
    units:
        Convert coordinates to these units (default micrometres). ``None`` keeps
        the original 8 nm voxel units.

    Returns
    -------
    navis.NeuronList
        Five ``navis.TreeNeuron`` objects; ``neuron.nodes`` is the node table.

    Raises
    ------
    ImportError
        If ``navis`` is not installed; install it with ``pip install "neuro4ml[data]"``.
    """
    try:
        with warnings.catch_warnings():
            # navis imports tqdm.auto, which warns in notebooks without ipywidgets.
            warnings.filterwarnings("ignore", message="IProgress not found")
            import navis
    except ImportError as err:
        raise ImportError(
            "load_example_neurons needs the optional package 'navis'; "
            'install it with: pip install "neuro4ml[data]"'
        ) from err
    neurons = navis.example_neurons(kind="skeleton")
    if units is not None:
        neurons = navis.NeuronList(
            [n.convert_units(units, inplace=False) for n in neurons]
        )
    return neurons


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
    parent = _parent_index(table)
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
        soma_rows = _soma_rows(neuron, table)
        if soma_rows.size:
            ax.scatter(h[soma_rows], v[soma_rows], s=soma_size, color=color, zorder=3)
    if len(h):
        ax.update_datalim(np.column_stack([h, v]))
        ax.autoscale_view()
    ax.set_aspect("equal")
    return lines


def _soma_rows(neuron: Any, table: Mapping[str, np.ndarray]) -> np.ndarray:
    ids = np.asarray(table["node_id"])
    soma_id = getattr(neuron, "soma", None)
    if soma_id is not None and not isinstance(soma_id, Mapping):
        wanted = np.atleast_1d(np.asarray(soma_id))
        if wanted.dtype.kind in "iu":
            return np.flatnonzero(np.isin(ids, wanted))
    if "type" in table:
        kinds = np.asarray(table["type"])
        if kinds.dtype.kind in "iu":
            return np.flatnonzero(kinds == 1)
    return np.zeros(0, dtype=int)
