"""Real connectomes, shipped with the library as small compressed arrays.

Every loader reads a file of ``neuro4ml/data/files/`` with numpy alone (no package to
install, nothing downloaded) and returns numpy and ``scipy.sparse`` arrays whose axes are
labelled by a tuple of names, with the convention of :mod:`neuro4ml.analysis.connectome`:
``matrix[i, j]`` is the connection from ``names[i]`` to ``names[j]``. The files are written
by ``scripts/make_shipped_data.py`` from the original packages, and
``tests/test_shipped_data.py`` checks that they hold exactly what those packages give
(``pip install "neuro4ml[connectomes]"`` installs the originals).

*C. elegans* (``celegans_connectomes.npz``, 85 kB), from the ``cect`` package 0.3.5
(OpenWorm's ConnectomeToolbox, MIT licence), which packages the published data sets:

===================  =========================================================
``dataset``          what
===================  =========================================================
``"white_1986"``     the whole-animal hermaphrodite reconstruction of White,
                     Southgate, Thomson & Brenner (1986), Phil. Trans. R. Soc.
                     Lond. B 314:1-340
``"varshney_2011"``  the revised, self-consistent version of Varshney, Chen,
                     Paniagua, Hall & Chklovskii (2011), PLoS Comput. Biol. 7:e1001066. The paper reports 279
                     connected somatic neurons, 6393 chemical synapses and 890
                     gap junctions; the distributed file (as ``cect`` reads it),
                     and so this loader, holds 280 neurons (VC6 has no
                     connection), 6394 chemical synapses (one more than the
                     text) and the same 890 gap junctions. The course uses the
                     file as it is: graph measures count every listed neuron,
                     so :func:`~neuro4ml.analysis.connectome.density` divides
                     by 280 x 279 ordered pairs, as ``networkx.density`` does
``"cook_2019"``      the hermaphrodite of Cook et al. (2019), Nature 571:63-71, re-annotated from
                     the original micrographs, with synapse counts
``"witvliet_1"``     the brain (nerve ring and ventral ganglion) of eight
  ...                isogenic animals from the L1 larva to the adult,
``"witvliet_8"``     Witvliet et al. (2021), Nature 596:257-261;
                     :data:`WITVLIET_STAGES` gives the stage of each
===================  =========================================================

Soma positions come from the NeuroML cells of ``c302`` 0.12.1 (OpenWorm, MIT licence;
Gleeson et al. 2018, Phil. Trans. R. Soc. B 373:20170379), cell classes from ``cect``.

Human (``human_connectomes.npz``, 447 kB):

* :func:`load_human_structural`: diffusion-MRI tractography between 66 cortical
  regions of the Desikan–Killiany atlas (33 per hemisphere, the parcellation of
  Hagmann et al. 2008, PLoS Biol. 6:e159), with tract lengths and region centres in mm,
  from ``connectivity_66.zip`` of ``tvb-data`` 3.0.0, the data of The Virtual Brain
  (Sanz Leon et al. 2013, Front. Neuroinform. 7:10), licensed under the GNU GPL, version 3 or later:
  these arrays are redistributed under that licence, apart from the library's MIT code.
* :func:`load_human_functional`: the group-average resting-state functional
  connectivity (correlation of fMRI time series) of the Human Connectome Project
  between the 100 or 200 cortical parcels of Schaefer et al. (2018, Cereb. Cortex
  28:3095-3114), as packaged by BrainSpace 0.3.0 (Vos de Wael et al. 2020, Commun. Biol.
  3:103; BSD 3-clause licence), with each parcel's centre on the Conte69 mid-thickness
  surface, in mm. The data are WU-Minn HCP open-access data, redistributed under the
  HCP Open Access Data Use Terms, which also bind their users (acknowledge the HCP, do
  not try to identify participants).
"""

from __future__ import annotations

import functools
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
    "SCHAEFER_SIZES",
    "load_celegans",
    "load_human_functional",
    "load_human_structural",
]

#: The folder of the shipped files (written by ``scripts/make_shipped_data.py``).
DATA_DIR = Path(__file__).resolve().parent / "files"

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

#: The functional-connectivity parcellations shipped with the library.
SCHAEFER_SIZES = (100, 200)


@functools.lru_cache(maxsize=None)
def _shipped(name: str) -> dict[str, np.ndarray]:
    """Every array of the shipped file ``name``, read once (numpy only, no pickles)."""
    with np.load(DATA_DIR / name, allow_pickle=False) as stored:
        arrays = {key: stored[key] for key in stored.files}
    for array in arrays.values():
        array.setflags(write=False)
    return arrays


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
        """Number of neurons (rows of the matrices)."""
        return len(self.neurons)

    def index(self, name: str) -> int:
        """Row/column of the neuron called ``name``."""
        try:
            return self.neurons.index(name)
        except ValueError:
            raise KeyError(f"no neuron called {name!r} in {self.dataset}") from None


def load_celegans(dataset: str = "witvliet_8") -> CElegansConnectome:
    """Load a *C. elegans* connectome (neurons only), shipped with the library.

    Parameters
    ----------
    dataset : str
        One of :data:`CELEGANS_DATASETS` (``"white_1986"``, ``"varshney_2011"``,
        ``"cook_2019"``, ``"witvliet_1"`` ... ``"witvliet_8"``).

    Returns
    -------
    CElegansConnectome
        Neurons in the order of the source (``cect``'s reader), muscles and other
        cells removed; a fresh copy of the matrices on every call.
    """
    if dataset not in CELEGANS_DATASETS:
        raise ValueError(f"dataset must be one of {sorted(CELEGANS_DATASETS)}, got {dataset!r}")
    stored = _shipped("celegans_connectomes.npz")
    neurons = tuple(str(name) for name in stored[f"{dataset}/neurons"])
    n = len(neurons)

    def matrix(kind: str) -> scipy.sparse.csr_array:
        rows, cols, values = (stored[f"{dataset}/{kind}/{part}"] for part in ("rows", "cols", "values"))
        coo = scipy.sparse.coo_array((values.astype(float), (rows.astype(np.intp), cols.astype(np.intp))), shape=(n, n))
        return scipy.sparse.csr_array(coo)

    positions = dict(zip((str(name) for name in stored["positions/neurons"]), stored["positions/um"]))
    xyz = np.array([positions.get(name, (np.nan,) * 3) for name in neurons], dtype=float).reshape(-1, 3)
    xyz.setflags(write=False)
    classes = stored[f"{dataset}/cell_classes"].copy()
    return CElegansConnectome(dataset, neurons, matrix("chemical"), matrix("gap_junctions"), classes, xyz)


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
    """The 66-region human structural connectome of ``tvb-data``, shipped with the library.

    Regions of the Desikan–Killiany cortical atlas, 33 per hemisphere, as used by
    Hagmann et al. (2008); the right hemisphere comes first. Arrays are read-only.
    """
    stored = _shipped("human_connectomes.npz")
    regions = tuple(str(name) for name in stored["structural/regions"])
    hemisphere = np.array(["right" if name.startswith("r") else "left" for name in regions])
    return HumanConnectome(
        regions,
        stored["structural/weights"],
        stored["structural/tract_lengths_mm"],
        stored["structural/centres_mm"],
        hemisphere,
    )


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
    """Group-average functional connectivity in the Schaefer parcellation (BrainSpace's), shipped with the library.

    Parameters
    ----------
    n_regions : {100, 200}
        Number of cortical parcels (:data:`SCHAEFER_SIZES`).
    group : {"main", "holdout"}
        BrainSpace ships two disjoint groups of participants, so that a result
        found on one can be checked on the other.
    """
    if n_regions not in SCHAEFER_SIZES:
        raise ValueError(f"n_regions must be one of {SCHAEFER_SIZES}, got {n_regions!r}")
    if group not in ("main", "holdout"):
        raise ValueError(f"group must be 'main' or 'holdout', got {group!r}")
    stored = _shipped("human_connectomes.npz")
    hemisphere = np.where(np.arange(n_regions) < n_regions // 2, "left", "right")
    regions = tuple(f"schaefer{n_regions}_{k}" for k in range(1, n_regions + 1))
    return FunctionalConnectivity(
        regions,
        stored[f"functional/{n_regions}/{group}/correlation"],
        stored[f"functional/{n_regions}/centres_mm"],
        hemisphere,
    )
