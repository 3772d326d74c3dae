"""Regenerate the small real data sets that ship with the library, from their original packages.

Run from the repository root, in an environment with the original packages (``make``'s
``.venv`` has them: ``cect``, ``c302``, ``tvb-data``, ``brainspace`` and ``nibabel`` come with
the ``connectomes`` extra)::

    PYTHONPATH=src python scripts/make_shipped_data.py

It writes three compressed files into ``src/neuro4ml/data/files/``:

* ``celegans_connectomes.npz``: the eleven *C. elegans* wiring diagrams of
  :data:`neuro4ml.data.connectomes.CELEGANS_DATASETS`, read with ``cect``'s readers,
  neurons only; soma positions from ``c302``'s NeuroML cells; cell classes from ``cect``.
* ``human_connectomes.npz``: the 66-region structural connectome of ``tvb-data`` and the
  Schaefer 100- and 200-parcel group functional connectivity of ``brainspace`` (main and
  held-out groups), with parcel centres on the Conte69 surface.
* ``cavanagh2011.npz``: the Cavanagh et al. (2011) reaction-time table, from the file
  ``hddm/examples/cavanagh_theta_nn.csv`` of the HDDM 1.0.1 source distribution (BSD
  licence), fetched from PyPI and checked against the SHA-256 below. (``hssm`` ships the same
  trials, but under a licence that excludes commercial products, and installing it pulls in a
  large probabilistic-programming stack.)

Every array is checked to come back exactly (``==``) from the stored form before the file is
written; ``tests/test_shipped_data.py`` checks the shipped files against the original packages
with the same readers (:func:`celegans_from_cect`, :func:`human_structural_from_tvb`,
:func:`human_functional_from_brainspace`, :func:`cavanagh_from_hddm`, :func:`cavanagh_from_hssm`).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import importlib
import importlib.metadata
import importlib.resources
import importlib.util
import io
import json
import re
import tarfile
import urllib.request
import zipfile
from pathlib import Path

import numpy as np

from neuro4ml.data.connectomes import CELEGANS_DATASETS, SCHAEFER_SIZES

OUT = Path(__file__).resolve().parents[1] / "src" / "neuro4ml" / "data" / "files"

CECT_CLASSES = {"Sensory": "sensory", "Interneuron": "interneuron", "Motorneuron": "motor"}

HDDM_SDIST = "HDDM-1.0.1.tar.gz"
HDDM_SHA256 = "c5088a8e75f8730a8ff09f91bb68a7a8e1c98f6cdbd230e1e57c9c7f73728776"
HDDM_MEMBER = "HDDM-1.0.1/hddm/examples/cavanagh_theta_nn.csv"
HSSM_FILE = "hssm/datasets/cavanagh_theta_nn.csv"


# --- C. elegans: cect and c302 -------------------------------------------------------


def celegans_from_cect(dataset: str) -> dict[str, np.ndarray]:
    """One data set, neurons only: names, dense chemical and gap-junction matrices, classes."""
    reader = importlib.import_module(f"cect.readers.{CELEGANS_DATASETS[dataset]}")
    cells = importlib.import_module("cect.Cells")
    with contextlib.redirect_stdout(io.StringIO()):  # the readers print progress
        source = reader.get_instance(from_cache=True)
    nodes = list(source.nodes)
    keep = np.array([cells.is_any_neuron(name) for name in nodes], dtype=bool)
    neurons = [name for name, k in zip(nodes, keep) if k]
    n = len(neurons)
    matrices = {kind: np.asarray(m, dtype=float)[np.ix_(keep, keep)] for kind, m in source.connections.items()}
    return {
        "neurons": np.array(neurons),
        "chemical": matrices.get("Generic_CS", np.zeros((n, n))),
        "gap_junctions": matrices.get("Generic_GJ", np.zeros((n, n))),
        "cell_classes": np.array([CECT_CLASSES.get(cells.get_SIM_class(name), "other") for name in neurons]),
    }


def soma_positions_from_c302() -> dict[str, tuple[float, float, float]]:
    """Soma centre (the first segment's proximal point, µm) of each neuron in c302's NeuroML cells."""
    spec = importlib.util.find_spec("c302")
    folder = Path(next(iter(spec.submodule_search_locations))) / "NeuroML2"
    pattern = re.compile(r'<proximal x="([^"]+)" y="([^"]+)" z="([^"]+)"')
    positions = {}
    for entry in sorted(folder.iterdir()):
        if entry.name.endswith(".cell.nml"):
            match = pattern.search(entry.read_text())
            if match:
                positions[entry.name[: -len(".cell.nml")]] = tuple(float(v) for v in match.groups())
    return positions


def _sparse_parts(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows, cols = np.nonzero(matrix)
    return rows.astype(np.int16), cols.astype(np.int16), matrix[rows, cols]


def celegans_arrays() -> dict[str, np.ndarray]:
    arrays = {}
    positions = soma_positions_from_c302()
    for dataset in CELEGANS_DATASETS:
        data = celegans_from_cect(dataset)
        arrays[f"{dataset}/neurons"] = data["neurons"]
        arrays[f"{dataset}/cell_classes"] = data["cell_classes"]
        for kind in ("chemical", "gap_junctions"):
            rows, cols, values = _sparse_parts(data[kind])
            arrays[f"{dataset}/{kind}/rows"] = rows
            arrays[f"{dataset}/{kind}/cols"] = cols
            # Synapse counts are whole numbers; a data set that gives weights keeps its floats.
            whole = np.array_equal(values, np.round(values)) and np.abs(values).max(initial=0) < 2**15
            arrays[f"{dataset}/{kind}/values"] = values.astype(np.int16) if whole else values
    names = sorted(positions)
    arrays["positions/neurons"] = np.array(names)
    arrays["positions/um"] = np.array([positions[name] for name in names])
    return arrays


# --- human: tvb-data and brainspace --------------------------------------------------


def human_structural_from_tvb() -> dict[str, np.ndarray]:
    """The 66-region connectome of tvb-data: region names, weights, tract lengths (mm), centres (mm)."""
    archive = importlib.resources.files("tvb_data") / "connectivity" / "connectivity_66.zip"
    with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as zipped:
        weights = np.loadtxt(zipped.open("weights.txt"))
        lengths = np.loadtxt(zipped.open("tract_lengths.txt"))
        lines = zipped.read("centres.txt").decode().split("\n")
    rows = [line.split() for line in lines if line.strip()]
    return {
        "regions": np.array([row[0] for row in rows]),
        "weights": weights,
        "tract_lengths_mm": lengths,
        "centres_mm": np.array([[float(v) for v in row[1:4]] for row in rows]),
    }


def human_functional_from_brainspace(n_regions: int, group: str) -> dict[str, np.ndarray]:
    """Brainspace's group-mean Schaefer connectivity and each parcel's mean Conte69 vertex (mm)."""
    brainspace = importlib.import_module("brainspace")
    nibabel = importlib.import_module("nibabel")
    root = Path(brainspace.__file__).parent / "datasets"
    matrix = root / "matrices" / f"{group}_group" / f"schaefer_{n_regions}_mean_connectivity_matrix.csv"
    correlation = np.loadtxt(matrix, delimiter=",")
    labels = np.loadtxt(root / "parcellations" / f"schaefer_{n_regions}_conte69.csv", dtype=np.int64)
    vertices = np.concatenate(
        [nibabel.load(root / "surfaces" / f"conte69_32k_{h}h.gii").darrays[0].data for h in "lr"]
    ).astype(float)
    sums = np.zeros((n_regions + 1, 3))
    np.add.at(sums, labels, vertices)
    counts = np.bincount(labels, minlength=n_regions + 1)
    return {"correlation": correlation, "centres_mm": sums[1:] / counts[1:, None]}


def human_arrays() -> dict[str, np.ndarray]:
    arrays = {f"structural/{k}": v for k, v in human_structural_from_tvb().items()}
    for n in SCHAEFER_SIZES:
        for group in ("main", "holdout"):
            data = human_functional_from_brainspace(n, group)
            arrays[f"functional/{n}/{group}/correlation"] = data["correlation"]
        # The centres depend only on the parcellation, not on the group.
        arrays[f"functional/{n}/centres_mm"] = data["centres_mm"]
    return arrays


# --- Cavanagh et al. (2011): HDDM's copy (BSD), and hssm's ----------------------------


def _cavanagh_columns(rows: list[dict[str, str]], participant: str) -> dict[str, np.ndarray]:
    return {
        "participant": np.array([int(r[participant]) for r in rows], dtype=np.int16),
        "stim": np.array([r["stim"] for r in rows]),
        "conflict": np.array([r["conf"] for r in rows]),
        "dbs": np.array([int(r["dbs"]) for r in rows], dtype=np.int8),
        "rt_s": np.array([float(r["rt"]) for r in rows]),
        "choices": np.array([float(r["response"]) > 0 for r in rows], dtype=np.int8),
        "theta": np.array([float(r["theta"]) for r in rows]),
    }


def fetch_hddm_sdist(cache: Path) -> Path:
    """HDDM's source distribution from PyPI (or ``cache``), refused unless its SHA-256 is :data:`HDDM_SHA256`."""
    path = cache / HDDM_SDIST
    if not path.is_file():
        request = urllib.request.Request(
            "https://pypi.org/simple/hddm/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            files = json.load(response)["files"]
        url = next(f["url"] for f in files if f["filename"] == HDDM_SDIST)
        cache.mkdir(parents=True, exist_ok=True)
        with urllib.request.urlopen(url, timeout=120) as response:
            path.write_bytes(response.read())
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != HDDM_SHA256:
        raise ValueError(f"{path}: SHA-256 {digest}, expected {HDDM_SHA256}")
    return path


def cavanagh_from_hddm(cache: Path) -> dict[str, np.ndarray]:
    """The table of HDDM's examples (``subj_idx``; response 1 for the better symbol, 0 otherwise)."""
    with tarfile.open(fetch_hddm_sdist(cache)) as archive:
        text = archive.extractfile(HDDM_MEMBER).read().decode()
    return _cavanagh_columns(list(csv.DictReader(io.StringIO(text))), "subj_idx")


def cavanagh_from_hssm() -> dict[str, np.ndarray]:
    """The same trials as ``hssm`` ships them (``participant_id``; response 1 or -1), if installed."""
    for file in importlib.metadata.files("hssm") or []:
        if file.as_posix() == HSSM_FILE:
            with open(file.locate(), newline="") as handle:
                return _cavanagh_columns(list(csv.DictReader(handle)), "participant_id")
    raise FileNotFoundError(f"hssm is installed without {HSSM_FILE}")


# --- writing -------------------------------------------------------------------------


def write(name: str, arrays: dict[str, np.ndarray]) -> Path:
    path = OUT / name
    np.savez_compressed(path, **arrays)
    with np.load(path, allow_pickle=False) as stored:
        for key, value in arrays.items():
            if not np.array_equal(stored[key], value):
                raise ValueError(f"{name}: {key} does not come back exactly")
    print(f"{path.relative_to(OUT.parents[3])}: {path.stat().st_size / 1e3:.0f} kB, {len(arrays)} arrays")
    return path


def main() -> None:
    write("celegans_connectomes.npz", celegans_arrays())
    write("human_connectomes.npz", human_arrays())
    cache = Path.home() / ".cache" / "neuro4ml"
    write("cavanagh2011.npz", cavanagh_from_hddm(cache))


if __name__ == "__main__":
    main()
