"""Anatomical pictures from real data that ship with Python packages.

The pictures are the human cortical surface with its lobes, landmarks and standard sections,
and neuron morphologies with their compartments labelled.

Data
----
* **Cortical surface.** ``tvb-data`` (The Virtual Brain's data package; Sanz Leon et al. 2013,
  *Front. Neuroinform.* 7:10) ships a triangulated surface of the whole human cortex
  (16,384 vertices, coordinates in mm) and a map from each vertex to one of 76 regions of
  the "regional map" of Kötter & Wanke (2005, *Phil. Trans. R. Soc. B*), whose names
  (``rV1``, ``lPFCDL``, ...) say the hemisphere and the area. :data:`LOBE_OF_AREA` groups the
  areas into lobes from those names. Coordinates: ``x`` from back to front, ``y`` from right to
  left (the left hemisphere has ``y > 0``), ``z`` from bottom to top.
* **Neurons.** The ``navis`` example neurons (fruit-fly projection neurons from the hemibrain,
  Scheffer et al. 2020, with their synapses), split into axon and dendrite by synapse flow
  centrality (Schneider-Mizell et al. 2016, *eLife* 5:e12059).

Drawing
-------
Surfaces are drawn as flat-shaded triangles, projected orthographically and painted from
back to front (the painter's algorithm), which is fast and needs no 3-D axes. Each triangle is
lit by a light from the viewer (Lambert's cosine law, brightness :math:`0.45 + 0.55\\,|n\\cdot e|`
for unit normal :math:`n` and viewing direction :math:`e`) and darkened with *sulcal depth*,
the distance of a vertex from the convex hull of its hemisphere, so that gyri (crowns, near
the hull) look light and sulci (grooves) dark. Lobes are told apart by colour *and* by text
labels and outlines, never colour alone.
"""

from __future__ import annotations

import importlib.resources
import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgb

__all__ = [
    "LOBE_OF_AREA",
    "LOBE_COLOURS",
    "VIEWS",
    "CortexSurface",
    "load_cortex",
    "sulcal_depth",
    "project",
    "plot_surface",
    "plot_lobes",
    "section_segments",
    "plot_section",
    "split_neuron",
    "plot_neuron_compartments",
]

#: Lobe of each area of the Kötter & Wanke regional map (names without the hemisphere letter).
#: "medial wall" is the strip of the surface along the midline where the cortex is interrupted
#: by the corpus callosum and the structures below it.
LOBE_OF_AREA = {
    **{a: "frontal" for a in ["PFCCL", "PFCDL", "PFCDM", "PFCM", "PFCORB", "PFCPOL", "PFCVL",
                              "PMCDL", "PMCM", "PMCVL", "M1", "FEF"]},
    **{a: "parietal" for a in ["S1", "S2", "PCI", "PCIP", "PCM", "PCS"]},
    **{a: "temporal" for a in ["A1", "A2", "TCC", "TCI", "TCPOL", "TCS", "TCV"]},
    **{a: "occipital" for a in ["V1", "V2"]},
    **{a: "insula" for a in ["IA", "IP", "G"]},
    **{a: "limbic" for a in ["CCA", "CCP", "CCR", "CCS", "HC", "PHC", "AMYG"]},
    "CC": "medial wall",
}

#: Okabe–Ito colours of the lobes (see :mod:`neuro4ml.plotting.style`).
LOBE_COLOURS = {
    "frontal": "#0072B2",
    "parietal": "#E69F00",
    "temporal": "#009E73",
    "occipital": "#CC79A7",
    "insula": "#D55E00",
    "limbic": "#56B4E9",
    "medial wall": "#BBBBBB",
}

#: Views: (screen x = sign * coordinate, screen y = sign * coordinate, depth towards viewer, hemisphere).
#: Each entry is ((axis, sign), (axis, sign), (axis, sign), hemisphere or None).
VIEWS = {
    "left lateral": ((0, -1), (2, 1), (1, 1), "left"),
    "left medial": ((0, 1), (2, 1), (1, -1), "left"),
    "right lateral": ((0, 1), (2, 1), (1, -1), "right"),
    "top": ((1, -1), (0, 1), (2, 1), None),
}


@dataclass(frozen=True)
class CortexSurface:
    """A triangulated cortical surface with a region per vertex.

    Attributes
    ----------
    vertices : (n_vertices, 3) array of mm (x back to front, y right to left, z bottom to top)
    triangles : (n_triangles, 3) integer array of vertex indices
    region : (n_vertices,) integer array, index into ``region_names``
    region_names : tuple of region names such as ``"lM1"`` (hemisphere letter, then the area)
    """

    vertices: np.ndarray
    triangles: np.ndarray
    region: np.ndarray
    region_names: tuple[str, ...]

    @property
    def hemisphere(self) -> np.ndarray:
        """``"left"`` or ``"right"`` for each vertex, from its region's name."""
        first = np.array([n[0] for n in self.region_names])[self.region]
        return np.where(first == "l", "left", "right")

    @property
    def lobe(self) -> np.ndarray:
        """The lobe of each vertex (see :data:`LOBE_OF_AREA`)."""
        lobes = np.array([LOBE_OF_AREA[n[1:]] for n in self.region_names])
        return lobes[self.region]

    @property
    def area(self) -> np.ndarray:
        """The area name (without the hemisphere letter) of each vertex."""
        return np.array([n[1:] for n in self.region_names])[self.region]


@lru_cache(maxsize=1)
def load_cortex() -> CortexSurface:
    """The 16,384-vertex cortical surface of ``tvb-data`` with its 76-region map.

    Raises
    ------
    ModuleNotFoundError
        If ``tvb-data`` is not installed (``pip install "neuro4ml[connectomes]"``).
    """
    try:
        root = importlib.resources.files("tvb_data")
    except ModuleNotFoundError as error:  # pragma: no cover - depends on the environment
        raise ModuleNotFoundError("load_cortex needs the optional package 'tvb-data'; "
                                  'install it with pip install "neuro4ml[connectomes]"') from error
    with zipfile.ZipFile(io.BytesIO((root / "surfaceData" / "cortex_16384.zip").read_bytes())) as z:
        vertices = np.loadtxt(io.BytesIO(z.read("vertices.txt")))
        triangles = np.loadtxt(io.BytesIO(z.read("triangles.txt")), dtype=int)
    with zipfile.ZipFile(io.BytesIO((root / "connectivity" / "connectivity_76.zip").read_bytes())) as z:
        names = tuple(line.split()[0] for line in z.read("centres.txt").decode().splitlines() if line.strip())
    region = np.loadtxt(io.BytesIO((root / "regionMapping" / "regionMapping_16k_76.txt").read_bytes()), dtype=int)
    if region.shape != (len(vertices),) or region.max() >= len(names):
        raise ValueError(f"tvb-data's region map does not fit its surface: {region.shape} regions for "
                         f"{len(vertices)} vertices, {len(names)} names")
    return CortexSurface(vertices, triangles, region, names)


def sulcal_depth(surface: CortexSurface) -> np.ndarray:
    """Distance (mm) of each vertex from the convex hull of its hemisphere.

    For a hull with outward facets :math:`a_k \\cdot p + b_k \\le 0`, the depth of a point
    :math:`p` inside it is :math:`-\\max_k (a_k \\cdot p + b_k)` (the distance to the nearest facet
    plane); 0 on the crowns of gyri, large at the bottom of sulci. This is the simple
    "distance to the hull" form of sulcal depth (see e.g. Van Essen 2005, *NeuroImage* 28:635).
    """
    from scipy.spatial import ConvexHull

    depth = np.zeros(len(surface.vertices))
    hemi = surface.hemisphere
    for side in ("left", "right"):
        idx = np.flatnonzero(hemi == side)
        hull = ConvexHull(surface.vertices[idx])
        eq = hull.equations  # rows (a, b) with |a| = 1
        depth[idx] = -np.max(surface.vertices[idx] @ eq[:, :3].T + eq[:, 3], axis=1)
    return np.clip(depth, 0.0, None)


def project(vertices: np.ndarray, view: str) -> tuple[np.ndarray, np.ndarray]:
    """Project ``vertices`` orthographically for a :data:`VIEWS` entry.

    Returns screen coordinates ``(n, 2)`` and depth ``(n,)`` (larger is nearer the viewer).
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {sorted(VIEWS)}, got {view!r}")
    (ax0, s0), (ax1, s1), (ad, sd), _ = VIEWS[view]
    v = np.asarray(vertices, dtype=float)
    return np.stack([s0 * v[..., ax0], s1 * v[..., ax1]], axis=-1), sd * v[..., ad]


def _visible_triangles(surface: CortexSurface, view: str) -> np.ndarray:
    hemisphere = VIEWS[view][3]
    tri = surface.triangles
    if hemisphere is None:
        return np.arange(len(tri))
    return np.flatnonzero((surface.hemisphere[tri] == hemisphere).all(axis=1))


def plot_surface(ax: plt.Axes, surface: CortexSurface, view: str, face_rgb: np.ndarray, *,
                 depth_shading: np.ndarray | None = None) -> PolyCollection:
    """Draw ``surface`` seen from ``view`` with triangle colours ``face_rgb``.

    ``face_rgb`` is (n_triangles, 3); the surface is lit from the viewer and, if ``depth_shading``
    (per vertex, 0 to 1) is given, darkened by it. Returns the collection (triangles sorted back
    to front).
    """
    keep = _visible_triangles(surface, view)
    tri = surface.vertices[surface.triangles[keep]]
    xy, depth = project(tri, view)
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    normals /= np.linalg.norm(normals, axis=1, keepdims=True) + 1e-12
    eye = np.zeros(3)
    eye[VIEWS[view][2][0]] = VIEWS[view][2][1]
    light = 0.45 + 0.55 * np.abs(normals @ eye)
    rgb = np.asarray(face_rgb, dtype=float)[keep] * light[:, None]
    if depth_shading is not None:
        shade = np.asarray(depth_shading, dtype=float)[surface.triangles[keep]].mean(axis=1)
        rgb = rgb * (1.0 - 0.55 * np.clip(shade, 0, 1))[:, None]
    order = np.argsort(depth.mean(axis=1))
    pc = PolyCollection(xy[order], facecolors=np.clip(rgb[order], 0, 1), edgecolors="none")
    pc.set_gid(f"surface:{view}")
    ax.add_collection(pc)
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()
    return pc


def _boundary_edges(surface: CortexSurface, keep: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Find the edges of triangles in ``keep`` whose two end vertices have different ``labels``.

    The edges are returned as pairs of vertex indices.
    """
    tri = surface.triangles[keep]
    edges = np.concatenate([tri[:, [0, 1]], tri[:, [1, 2]], tri[:, [2, 0]]])
    differ = labels[edges[:, 0]] != labels[edges[:, 1]]
    return np.unique(np.sort(edges[differ], axis=1), axis=0)


def plot_lobes(ax: plt.Axes, surface: CortexSurface | None = None, view: str = "left lateral", *,
               labels: bool = True, landmarks: bool = True, fontsize: float = 9,
               label_clearance_mm: float = 8.0) -> dict[str, tuple[float, float]]:
    """Draw the cortex seen from ``view``, coloured by lobe and shaded by sulcal depth.

    The drawing has lobe outlines and names and, in lateral views, the central and lateral sulci
    marked.

    The central sulcus is drawn as the border between the primary motor (M1) and primary
    somatosensory (S1) areas, the lateral (Sylvian) fissure as the upper border of the
    temporal lobe; in the medial view the corpus callosum is labelled on the medial wall.
    Each lobe's name is placed by :func:`label_spot` on a visible point of that lobe at least
    ``label_clearance_mm`` from any other lobe or the outline; a lobe with no such point (only a
    sliver of it faces the viewer) is left unnamed. Returns the screen position of each label
    (lobe and landmark names).
    """
    surface = surface if surface is not None else load_cortex()
    lobe = surface.lobe
    colours = np.array([to_rgb(LOBE_COLOURS[name]) for name in lobe])
    face = colours[surface.triangles].mean(axis=1)
    depth = sulcal_depth(surface)
    plot_surface(ax, surface, view, face, depth_shading=np.clip(depth / 20.0, 0, 1))
    keep = _visible_triangles(surface, view)
    positions: dict[str, tuple[float, float]] = {}
    xy_all, depth_all = project(surface.vertices, view)
    in_view = np.zeros(len(lobe), bool)
    in_view[np.unique(surface.triangles[keep])] = True
    near = _visible_vertices(xy_all, depth_all, in_view)
    # outlines between lobes, on the near half of the surface only
    edges = _boundary_edges(surface, keep, lobe)
    edges = edges[near[edges].all(axis=1)]
    lc = LineCollection(xy_all[edges], colors="k", linewidths=0.6)
    lc.set_gid("lobe-outlines")
    ax.add_collection(lc)
    hemisphere = VIEWS[view][3]
    if labels:
        for name in LOBE_COLOURS:
            if (name == "medial wall" and landmarks) or name in _HIDDEN_LOBES.get(view, ()):
                continue  # the medial wall is labelled as the corpus callosum below
            m = in_view & near & (lobe == name)
            if m.sum() < 40:
                continue
            spot = label_spot(xy_all, near, lobe == name, min_clearance_mm=label_clearance_mm)
            if spot is None:
                continue  # only a sliver of this lobe faces the viewer: no room for its name
            x, y = spot
            t = ax.text(x, y, name, ha="center", va="center", fontsize=fontsize, weight="bold",
                        bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.8))
            t.set_gid(f"lobe:{name}")
            positions[name] = (x, y)
    if landmarks and hemisphere is not None:
        area = surface.area
        hemi_mask = surface.hemisphere == hemisphere
        # landmarks lie in sulci, hidden at the bottom of a groove: keep the half facing the viewer
        outer = in_view & (depth_all >= np.median(depth_all[in_view]))
        if view.endswith("lateral"):
            specs = [("central sulcus", "M1", "S1"), ("lateral sulcus", "temporal", None)]
            for name, a, b in specs:
                if b is not None:
                    lab = np.where(np.isin(area, [a, b]), area, "other")
                    e = _boundary_edges(surface, keep, lab)
                    e = e[(lab[e[:, 0]] != "other") & (lab[e[:, 1]] != "other") & outer[e].all(axis=1)]
                else:
                    lab = np.where(lobe == "temporal", "temporal", np.where(np.isin(lobe, ["frontal", "parietal"]), "fp", "other"))
                    e = _boundary_edges(surface, keep, lab)
                    e = e[(lab[e] != "other").all(axis=1) & outer[e].all(axis=1)]
                if len(e) == 0:
                    continue
                seg = xy_all[e]
                ax.add_collection(LineCollection(seg, colors="k", linewidths=2.4, gid=f"landmark:{name}"))
                ends = seg.reshape(-1, 2)
                if name == "central sulcus":
                    point = ends[np.argmax(ends[:, 1])]
                    xytext = (point[0] + 30, point[1] + 18)
                else:
                    point = np.median(ends, axis=0)
                    xytext = (point[0], xy_all[in_view, 1].min() - 12)
                t = ax.annotate(name, xy=point, xytext=xytext, fontsize=fontsize, ha="center", va="center",
                                arrowprops=dict(arrowstyle="-|>", color="k", lw=1.0))
                t.set_gid(f"landmark-label:{name}")
                positions[name] = tuple(xytext)
        else:
            m = hemi_mask & (lobe == "medial wall")
            x, y = np.median(xy_all[m], axis=0)
            xytext = (x, xy_all[in_view, 1].min() - 14)
            t = ax.annotate("corpus callosum (cut) and medial wall", xy=(x, y), xytext=xytext, fontsize=fontsize,
                            ha="center", arrowprops=dict(arrowstyle="-|>", color="k", lw=1.0))
            t.set_gid("landmark-label:corpus callosum")
            positions["corpus callosum"] = xytext
    ax.autoscale_view()
    return positions


def label_spot(xy: np.ndarray, visible: np.ndarray, member: np.ndarray, *, min_clearance_mm: float = 8.0,
               cell_mm: float = 3.0) -> tuple[float, float] | None:
    """Find where to write a region's name.

    The spot is the visible vertex of the region farthest from everything that is not the region,
    or ``None`` if that distance is below ``min_clearance_mm``.

    With :math:`R` the region's visible vertices and :math:`O` the other visible vertices plus
    the centres of the empty ``cell_mm`` screen cells (outside the silhouette), the spot is
    :math:`\\arg\\max_{r \\in R} \\min_{o \\in O} \\lVert r - o \\rVert`, a discrete pole of
    inaccessibility of the region as seen (the centre of its largest inscribed circle; Garcia-Castellanos
    and Lombardo 2007, *Scottish Geographical Journal* 123, 227-233). Unlike the median of the
    region's points it always lies on the region, even when the region seen is a thin crescent.
    """
    from scipy.spatial import cKDTree

    region = xy[visible & member]
    if len(region) == 0:
        return None
    others = [xy[visible & ~member]]
    cells = np.floor(xy[visible] / cell_mm).astype(int)
    lo, hi = cells.min(axis=0) - 2, cells.max(axis=0) + 3
    gx, gy = np.meshgrid(np.arange(lo[0], hi[0]), np.arange(lo[1], hi[1]), indexing="ij")
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    occupied = np.zeros(tuple(hi - lo), bool)
    occupied[cells[:, 0] - lo[0], cells[:, 1] - lo[1]] = True
    empty = grid[~occupied[grid[:, 0] - lo[0], grid[:, 1] - lo[1]]]
    others.append((empty + 0.5) * cell_mm)
    clearance, _ = cKDTree(np.concatenate(others)).query(region)
    best = int(np.argmax(clearance))
    if clearance[best] < min_clearance_mm:
        return None
    return (float(region[best, 0]), float(region[best, 1]))


def _visible_vertices(xy: np.ndarray, depth: np.ndarray, in_view: np.ndarray, *, cell_mm: float = 3.0,
                      tolerance_mm: float = 4.0) -> np.ndarray:
    """Find the vertices not hidden behind others.

    A vertex is kept if it lies within ``tolerance_mm`` of the nearest depth found in its
    ``cell_mm`` screen cell (a coarse z-buffer).
    """
    keys = np.floor(xy / cell_mm).astype(int)
    keys = keys[:, 0] * 100003 + keys[:, 1]
    best: dict[int, float] = {}
    for k, d in zip(keys[in_view], depth[in_view]):
        if d > best.get(k, -np.inf):
            best[k] = d
    front = np.array([best.get(k, np.inf) for k in keys])
    return in_view & (depth >= front - tolerance_mm)


def section_segments(surface: CortexSurface, axis: int, value: float) -> tuple[np.ndarray, np.ndarray]:
    """Cut ``surface`` with the plane ``coordinate[axis] = value``.

    Returns the line segments where the plane crosses the triangles, shape ``(n, 2, 3)``, and the
    index of the triangle of each.

    A triangle whose vertices lie on both sides of the plane is cut along the segment between
    the two points where its crossing edges meet the plane, found by linear interpolation
    :math:`p = p_i + (p_j - p_i)\\,(c - p_{i,a}) / (p_{j,a} - p_{i,a})`.
    """
    if axis not in (0, 1, 2):
        raise ValueError(f"axis must be 0 (x), 1 (y) or 2 (z), got {axis!r}")
    v = surface.vertices
    tri = surface.triangles
    s = v[:, axis][tri] - value  # signed distances (n_triangles, 3)
    s = np.where(s == 0, 1e-9, s)
    crossing = np.flatnonzero((s.min(axis=1) < 0) & (s.max(axis=1) > 0))
    segments = np.empty((len(crossing), 2, 3))
    for k, t in enumerate(crossing):
        pts = []
        for i, j in ((0, 1), (1, 2), (2, 0)):
            si, sj = s[t, i], s[t, j]
            if (si < 0) != (sj < 0):
                pi, pj = v[tri[t, i]], v[tri[t, j]]
                pts.append(pi + (pj - pi) * (si / (si - sj)))
        segments[k] = pts[:2]
    return segments, crossing


#: Lobes that a view shows only in slivers (through gaps of the mesh), and so does not label.
_HIDDEN_LOBES = {"left medial": ("insula",), "top": ("limbic", "insula", "medial wall")}

_SECTION_AXES = {"sagittal": (1, (0, 2), ("back ← x (mm) → front", "bottom ← z (mm) → top")),
                 "coronal": (0, (1, 2), ("left ← (mm) → right, seen from behind", "bottom ← z (mm) → top")),
                 "horizontal": (2, (0, 1), ("back ← x (mm) → front", "right ← y (mm) → left, seen from above"))}


def plot_section(ax: plt.Axes, plane: str, value: float, surface: CortexSurface | None = None, *,
                 fontsize: float = 9) -> LineCollection:
    """Draw one standard section of the cortical surface.

    ``plane`` is ``"sagittal"`` (a cut at ``y = value``, dividing left from right), ``"coronal"``
    (``x = value``, front from back) or ``"horizontal"`` (axial, ``z = value``, top from bottom).
    Each cut segment is coloured by its lobe; the outline shows how the folded sheet dips into
    sulci. Returns the collection.
    """
    if plane not in _SECTION_AXES:
        raise ValueError(f"plane must be one of {sorted(_SECTION_AXES)}, got {plane!r}")
    surface = surface if surface is not None else load_cortex()
    axis, (a, b), (xlabel, ylabel) = _SECTION_AXES[plane]
    seg, tri = section_segments(surface, axis, value)
    lobe = surface.lobe[surface.triangles[tri, 0]]
    # coronal: seen from behind, so the left hemisphere (y > 0) is on the left; horizontal: seen
    # from above with the front to the right, so the left hemisphere is at the top
    sign = -1 if plane == "coronal" else 1
    pts = seg[:, :, [a, b]] * np.array([sign, 1]) if plane == "coronal" else seg[:, :, [a, b]]
    lc = LineCollection(pts, colors=[LOBE_COLOURS[name] for name in lobe], linewidths=1.6)
    lc.set_gid(f"section:{plane}")
    ax.add_collection(lc)
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_xlabel(xlabel, fontsize=fontsize)
    ax.set_ylabel(ylabel, fontsize=fontsize)
    for name in np.unique(lobe):
        m = lobe == name
        if m.sum() < 15:
            continue
        x, y = np.median(pts[m].reshape(-1, 2), axis=0)
        ax.text(x, y, name, fontsize=fontsize - 1, ha="center", va="center",
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
    return lc


def split_neuron(neuron):
    """Label each node of a ``navis.TreeNeuron`` with its compartment.

    Each node is labelled ``"axon"``, ``"dendrite"``, ``"linker"`` (the primary neurite joining
    them) or ``"soma"`` side, with navis's synapse-flow-centrality split
    (Schneider-Mizell et al. 2016): the axon is the side of the neuron's main flow of signal
    *out of* it, where its presynaptic sites (outputs) are. Needs ``navis`` and a neuron with
    connectors. Returns the neuron with a ``compartment`` column in ``nodes``.
    """
    import navis

    return navis.split_axon_dendrite(neuron, metric="synapse_flow_centrality", label_only=True)


def plot_neuron_compartments(ax: plt.Axes, neuron, *, projection: tuple[int, int] = (0, 1), fontsize: float = 9,
                             synapses: bool = True) -> dict[str, LineCollection]:
    """Draw a neuron split by :func:`split_neuron`, one line style and colour per compartment.

    The compartments are dendrite thin blue, axon thick vermillion and linker dotted black; the
    drawing shows the soma, the neuron's
    input (postsynaptic, open circles) and output (presynaptic, small triangles) sites, and a
    legend. ``projection`` picks the two of ``(x, y, z)`` to draw. Returns the collections
    by compartment.
    """
    nodes = neuron.nodes
    cols = ["x", "y", "z"]
    cx, cy = cols[projection[0]], cols[projection[1]]
    index = {nid: i for i, nid in enumerate(nodes.node_id.to_numpy())}
    xy = nodes[[cx, cy]].to_numpy(float)
    parent = np.array([index.get(p, -1) for p in nodes.parent_id.to_numpy()])
    comp = nodes["compartment"].to_numpy() if "compartment" in nodes else np.full(len(nodes), "dendrite")
    # thin, thick and dotted: the compartments differ in line width and style as well as colour (dashes
    # would not show, since a skeleton is drawn as many short segments)
    styles = {"dendrite": ("C0", "-", 0.9), "axon": ("C1", "-", 2.4), "linker": ("k", ":", 1.6)}
    out = {}
    for name, (colour, ls, lw) in styles.items():
        m = (comp == name) & (parent >= 0)
        if not m.any():
            continue
        segs = np.stack([xy[m], xy[parent[m]]], axis=1)
        lc = LineCollection(segs, colors=colour, linestyles=[ls], linewidths=lw, label=name, zorder=3)
        lc.set_gid(f"compartment:{name}")
        ax.add_collection(lc)
        out[name] = lc
    soma = getattr(neuron, "soma", None)
    if soma is not None:
        ids = np.atleast_1d(soma)
        rows = [index[s] for s in ids if s in index]
        if rows:
            ax.plot(xy[rows, 0], xy[rows, 1], "o", ms=9, mfc="0.3", mec="k", ls="none", label="soma", zorder=4)
    conn = getattr(neuron, "connectors", None)
    if synapses and conn is not None and len(conn):
        for kind, marker, colour, label in [("post", "o", "C0", "input synapses (postsynaptic)"),
                                            ("pre", "^", "C1", "output synapses (presynaptic)")]:
            c = conn[conn["type"] == kind]
            ax.plot(c[cx], c[cy], marker, ms=3, mfc="none" if kind == "post" else colour, mec=colour,
                    mew=0.6, alpha=0.45, ls="none", label=label, zorder=2)
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.legend(loc="best", fontsize=fontsize - 1, markerscale=1.5)
    return out
