"""Real connectomes that ship inside installed packages, as plain labelled arrays.

Install them with ``pip install "neuro4ml[connectomes]"``. Every loader returns numpy
and ``scipy.sparse`` arrays whose axes are labelled by a tuple of names, with the
convention of :mod:`neuro4ml.analysis.connectome`: ``matrix[i, j]`` is the connection from
``names[i]`` to ``names[j]``.

*C. elegans* (package ``cect``, with soma positions from ``c302``):

===================  =========================================================
``dataset``          what
===================  =========================================================
``"white_1986"``     the whole-animal hermaphrodite reconstruction of White,
                     Southgate, Thomson & Brenner (1986)
``"varshney_2011"``  the revised, self-consistent version of Varshney, Chen,
                     Paniagua, Hall & Chklovskii (2011): 279 connected somatic
                     neurons, 6393 chemical synapses, 890 gap junctions
``"cook_2019"``      the hermaphrodite of Cook et al. (2019), re-annotated from
                     the original micrographs, with synapse counts
``"witvliet_1"``     the brain (nerve ring and ventral ganglion) of eight
  ...                isogenic animals from the L1 larva to the adult,
``"witvliet_8"``     Witvliet et al. (2021); :data:`WITVLIET_STAGES` gives the
                     stage of each
===================  =========================================================

Human (structural from ``tvb-data``, functional from ``brainspace``):

* :func:`load_human_structural`: diffusion-MRI tractography between 66 cortical
  regions of the Desikan–Killiany atlas (33 per hemisphere, the parcellation of
  Hagmann et al. 2008), with tract lengths in mm and region centres in mm.
* :func:`load_human_functional`: the group-average resting-state functional
  connectivity (correlation of fMRI time series) of the Human Connectome Project
  between the 100 to 400 cortical parcels of Schaefer et al. (2018), as packaged by
  BrainSpace (Vos de Wael et al. 2020), with each parcel's centre on the Conte69
  mid-thickness surface, in mm.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.resources
import importlib.util
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse

__all__ = [
    "CELEGANS_DATASETS",
    "WITVLIET_STAGES",
    "CElegansConnectome",
    "FunctionalConnectivity",
    "HumanConnectome",
    "load_celegans",
    "load_human_functional",
    "load_human_structural",
]

_INSTALL = 'install the connectome data with: pip install "neuro4ml[connectomes]"'

#: The ``cect`` reader module of each *C. elegans* data set.
CELEGANS_DATASETS = {
    "white_1986": "White_whole",
    "varshney_2011": "VarshneyDataReader",
    "cook_2019": "Cook2019HermReader",
    **{f"witvliet_{k}": f"WitvlietDataReader{k}" for k in range(1, 9)},
}

#: Developmental stage of each Witvliet et al. (2021) data set, in the authors' order
#: (from birth to adulthood): four L1 larvae, one L2, one L3 and two adults.
WITVLIET_STAGES = {
    "witvliet_1": "L1",
    "witvliet_2": "L1",
    "witvliet_3": "L1",
    "witvliet_4": "L1",
    "witvliet_5": "L2",
    "witvliet_6": "L3",
    "witvliet_7": "adult",
    "witvliet_8": "adult",
}

_CLASS_NAMES = {"Sensory": "sensory", "Interneuron": "interneuron", "Motorneuron": "motor"}


def _require(module: str, what: str):
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(f"{what} needs the optional package '{module.split('.')[0]}'; {_INSTALL}") from error


@dataclass(frozen=True, eq=False)
class CElegansConnectome:
    """One *C. elegans* wiring diagram, restricted to neurons.

    Attributes
    ----------
    dataset : str
        Its key in :data:`CELEGANS_DATASETS`.
    neurons : tuple of str, length n
        Neuron names (e.g. ``"AVAL"``), labelling both axes of the matrices.
    chemical : scipy.sparse.csr_array, shape (n, n)
        Chemical synapses: ``chemical[i, j]`` is the number of synapses (or, for the
        data sets that give one, the synapse weight) from ``neurons[i]`` onto
        ``neurons[j]``. Directed.
    gap_junctions : scipy.sparse.csr_array, shape (n, n)
        Gap junctions (electrical synapses), symmetric: ``gap_junctions[i, j]`` is the
        number between ``i`` and ``j``.
    cell_classes : numpy.ndarray of str, shape (n,)
        ``"sensory"``, ``"interneuron"``, ``"motor"`` or ``"other"`` (the primary
        class in the grouping of Cook et al. 2019, as packaged by ``cect``).
    positions_um : numpy.ndarray, shape (n, 3)
        Soma position in µm in the OpenWorm body model of ``c302`` (Gleeson et al.
        2018): ``x`` left-right, ``y`` along the body (head at negative ``y``), ``z``
        dorsal-ventral. NaN for a neuron the model lacks.
    """

    dataset: str
    neurons: tuple[str, ...]
    chemical: scipy.sparse.csr_array
    gap_junctions: scipy.sparse.csr_array
    cell_classes: np.ndarray
    positions_um: np.ndarray

    @property
    def n_neurons(self) -> int:
        return len(self.neurons)

    def index(self, name: str) -> int:
        """Row/column of the neuron called ``name``."""
        try:
            return self.neurons.index(name)
        except ValueError:
            raise KeyError(f"no neuron called {name!r} in {self.dataset}") from None


def load_celegans(dataset: str = "witvliet_8") -> CElegansConnectome:
    """Load a *C. elegans* connectome (neurons only) from the ``cect`` package.

    Parameters
    ----------
    dataset : str
        One of :data:`CELEGANS_DATASETS` (``"white_1986"``, ``"varshney_2011"``,
        ``"cook_2019"``, ``"witvliet_1"`` ... ``"witvliet_8"``).

    Returns
    -------
    CElegansConnectome
        Neurons in the order of the source, muscles and other cells removed.

    Raises
    ------
    ImportError
        If ``cect`` or ``c302`` is missing (install ``neuro4ml[connectomes]``).
    """
    if dataset not in CELEGANS_DATASETS:
        raise ValueError(f"dataset must be one of {sorted(CELEGANS_DATASETS)}, got {dataset!r}")
    neurons, chemical, gap, classes = _read_cect(dataset)
    positions = _soma_positions_um()
    xyz = np.array([positions.get(name, (np.nan,) * 3) for name in neurons], dtype=float).reshape(-1, 3)
    xyz.setflags(write=False)
    return CElegansConnectome(dataset, neurons, chemical.copy(), gap.copy(), classes.copy(), xyz)


@functools.lru_cache(maxsize=None)
def _read_cect(dataset: str):
    reader = _require(f"cect.readers.{CELEGANS_DATASETS[dataset]}", "load_celegans")
    cells = _require("cect.Cells", "load_celegans")
    # The readers print progress to stdout; the course's notebooks stay quiet.
    with contextlib.redirect_stdout(io.StringIO()):
        source = reader.get_instance(from_cache=True)
    nodes = list(source.nodes)
    keep = np.array([cells.is_any_neuron(name) for name in nodes], dtype=bool)
    neurons = tuple(name for name, k in zip(nodes, keep) if k)
    matrices = {}
    for kind, matrix in source.connections.items():
        matrices[kind] = np.asarray(matrix, dtype=float)[np.ix_(keep, keep)]
    n = len(neurons)
    chemical = scipy.sparse.csr_array(matrices.get("Generic_CS", np.zeros((n, n))))
    gap = scipy.sparse.csr_array(matrices.get("Generic_GJ", np.zeros((n, n))))
    classes = np.array([_CLASS_NAMES.get(cells.get_SIM_class(name), "other") for name in neurons])
    return neurons, chemical, gap, classes


@functools.lru_cache(maxsize=1)
def _soma_positions_um() -> dict[str, tuple[float, float, float]]:
    """Soma centre of each of the 302 neurons in c302's NeuroML cell files (first segment)."""
    # Only c302's data files are needed: find the package without importing it.
    spec = importlib.util.find_spec("c302")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the neuron positions of load_celegans need the optional package 'c302'; {_INSTALL}")
    folder = Path(next(iter(spec.submodule_search_locations))) / "NeuroML2"
    pattern = re.compile(r'<proximal x="([^"]+)" y="([^"]+)" z="([^"]+)"')
    positions = {}
    for entry in folder.iterdir():
        if not entry.name.endswith(".cell.nml"):
            continue
        match = pattern.search(entry.read_text())
        if match:
            positions[entry.name[: -len(".cell.nml")]] = tuple(float(v) for v in match.groups())
    return positions


class _Regions:
    """The shared ``n_regions`` of the region-level data sets."""

    regions: tuple[str, ...]

    @property
    def n_regions(self) -> int:
        return len(self.regions)


@dataclass(frozen=True, eq=False)
class HumanConnectome(_Regions):
    """A human structural connectome between brain regions.

    Attributes
    ----------
    regions : tuple of str, length n
        Region labels, ``"r"`` or ``"l"`` for the hemisphere then the region's
        abbreviation (e.g. ``"rPREC"``, right precentral gyrus).
    weights : numpy.ndarray, shape (n, n)
        Connection strength (arbitrary units, from the density of reconstructed
        fibres), symmetric: tractography cannot tell directions apart.
    tract_lengths_mm : numpy.ndarray, shape (n, n)
        Mean length of the reconstructed fibres between two regions, in mm.
    centres_mm : numpy.ndarray, shape (n, 3)
        Region centres in mm.
    hemisphere : numpy.ndarray of str, shape (n,)
        ``"right"`` or ``"left"``.
    """

    regions: tuple[str, ...]
    weights: np.ndarray
    tract_lengths_mm: np.ndarray
    centres_mm: np.ndarray
    hemisphere: np.ndarray


def load_human_structural() -> HumanConnectome:
    """The 66-region human structural connectome shipped with ``tvb-data``.

    Regions of the Desikan–Killiany cortical atlas, 33 per hemisphere, as used by
    Hagmann et al. (2008). Raises ``ImportError`` naming the extra to install when
    ``tvb-data`` is missing.
    """
    _require("tvb_data", "load_human_structural")
    archive = importlib.resources.files("tvb_data") / "connectivity" / "connectivity_66.zip"
    with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as zipped:
        weights = np.loadtxt(zipped.open("weights.txt"))
        lengths = np.loadtxt(zipped.open("tract_lengths.txt"))
        centre_lines = zipped.read("centres.txt").decode().split("\n")
    rows = [line.split() for line in centre_lines if line.strip()]
    regions = tuple(row[0] for row in rows)
    centres = np.array([[float(v) for v in row[1:4]] for row in rows])
    hemisphere = np.array(["right" if name.startswith("r") else "left" for name in regions])
    for array in (weights, lengths, centres):
        array.setflags(write=False)
    return HumanConnectome(regions, weights, lengths, centres, hemisphere)


@dataclass(frozen=True, eq=False)
class FunctionalConnectivity(_Regions):
    """Group-average resting-state functional connectivity between cortical parcels.

    Attributes
    ----------
    regions : tuple of str, length n
        Parcel labels, ``"schaefer100_1"`` ... (the atlas's numbering; the left
        hemisphere comes first).
    correlation : numpy.ndarray, shape (n, n)
        Mean correlation of the parcels' fMRI time series (symmetric, ones on the
        diagonal).
    centres_mm : numpy.ndarray, shape (n, 3)
        Mean position of each parcel's vertices on the Conte69 mid-thickness
        surface, in mm.
    hemisphere : numpy.ndarray of str, shape (n,)
        ``"left"`` or ``"right"``.
    """

    regions: tuple[str, ...]
    correlation: np.ndarray
    centres_mm: np.ndarray
    hemisphere: np.ndarray


def load_human_functional(n_regions: int = 100, *, group: str = "main") -> FunctionalConnectivity:
    """Group-average functional connectivity in the Schaefer parcellation, from ``brainspace``.

    Parameters
    ----------
    n_regions : {100, 200, 300, 400}
        Number of cortical parcels.
    group : {"main", "holdout"}
        BrainSpace ships two disjoint groups of participants, so that a result
        found on one can be checked on the other.
    """
    if n_regions not in (100, 200, 300, 400):
        raise ValueError(f"n_regions must be 100, 200, 300 or 400, got {n_regions!r}")
    if group not in ("main", "holdout"):
        raise ValueError(f"group must be 'main' or 'holdout', got {group!r}")
    brainspace = _require("brainspace", "load_human_functional")
    nibabel = _require("nibabel", "load_human_functional")
    root = Path(brainspace.__file__).parent / "datasets"
    matrix_file = root / "matrices" / f"{group}_group" / f"schaefer_{n_regions}_mean_connectivity_matrix.csv"
    correlation = np.loadtxt(matrix_file, delimiter=",")
    labels = np.loadtxt(root / "parcellations" / f"schaefer_{n_regions}_conte69.csv", dtype=np.int64)
    vertices = np.concatenate(
        [nibabel.load(root / "surfaces" / f"conte69_32k_{h}h.gii").darrays[0].data for h in "lr"]
    ).astype(float)
    sums = np.zeros((n_regions + 1, 3))
    np.add.at(sums, labels, vertices)
    counts = np.bincount(labels, minlength=n_regions + 1)
    centres = sums[1:] / counts[1:, None]
    hemisphere = np.where(np.arange(n_regions) < n_regions // 2, "left", "right")
    for array in (correlation, centres):
        array.setflags(write=False)
    regions = tuple(f"schaefer{n_regions}_{k}" for k in range(1, n_regions + 1))
    return FunctionalConnectivity(regions, correlation, centres, hemisphere)
