"""Real reaction-time data: the Cavanagh et al. (2011) probabilistic-selection task.

A table of 3,988 choices and reaction times from 14 people with Parkinson's disease treated
with deep-brain stimulation of the subthalamic nucleus, recorded with EEG (Cavanagh,
Wiecki, Cohen, Figueroa, Samanta, Sherman & Frank 2011, "Subthalamic nucleus
stimulation reverses mediofrontal influence over decision threshold", Nature
Neuroscience 14:1462-1467). On each trial two symbols appeared, each previously
learned to win with some probability, and the participant chose one:

* ``stim``: the pair type: ``WL`` (a usually-winning and a usually-losing symbol: low
  conflict), ``WW`` (two winning) or ``LL`` (two losing): high conflict.
* ``conf``: ``LC`` (low conflict, the ``WL`` pairs) or ``HC`` (high conflict).
* ``dbs``: 1 with the stimulator on, 0 with it off.
* ``rt``: the reaction time in seconds.
* ``response``: 1 when the symbol with the higher reward probability was chosen,
  -1 otherwise (the coding of HDDM and HSSM, whose tutorials fit the upper bound of a
  DDM to response 1). :attr:`ReactionTimeData.choices` maps it to 1 and 0.
* ``theta``: single-trial mediofrontal theta power (z-scored).

The table ships with the library (``neuro4ml/data/files/cavanagh2011.npz``, 43 kB), read
with numpy alone. Its source is the file ``hddm/examples/cavanagh_theta_nn.csv`` of HDDM 1.0.1
(Wiecki, Sofer & Frank 2013, "HDDM: hierarchical Bayesian estimation of the drift-diffusion
model in Python", Front. Neuroinform. 7:14), distributed under HDDM's BSD 2-clause licence:
Copyright (c) 2021, Thomas V. Wiecki, Imri Sofer, Mads Lund Pederson, Alexander Fengler,
Lakshmi Govindarajan, Krishn Bera, Michael J. Frank, Brown University. All rights reserved.
Redistribution and use in source and binary forms, with or without modification, are
permitted provided that the conditions of that licence are met (the copyright notice above,
this list of conditions and its disclaimer: the data are provided "as is", without any
warranty). ``scripts/make_shipped_data.py`` writes the file from HDDM's source distribution
(checked against its SHA-256); ``hssm`` ships the same trials (columns ``participant_id``,
responses coded 1 and -1) under a licence that excludes commercial products, and
``tests/test_shipped_data.py`` checks the shipped arrays against both.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neuro4ml.validation import read_only

__all__ = ["CAVANAGH_PATH", "CONDITIONS", "ReactionTimeData", "load_cavanagh"]

#: The shipped table (written by ``scripts/make_shipped_data.py``).
CAVANAGH_PATH = Path(__file__).resolve().parent / "files" / "cavanagh2011.npz"
_FIELDS = ("participant", "stim", "conflict", "dbs", "rt_s", "choices", "theta")


@dataclass(frozen=True, eq=False)
class ReactionTimeData:
    """One row per trial; every array has shape ``(trials,)`` and is read-only.

    Attributes
    ----------
    participant : numpy.ndarray of int
    stim : numpy.ndarray of str
        ``"WL"``, ``"WW"`` or ``"LL"``.
    conflict : numpy.ndarray of str
        ``"LC"`` or ``"HC"``.
    dbs : numpy.ndarray of int
        1 stimulator on, 0 off.
    rt_s : numpy.ndarray of float
        Reaction times in seconds.
    choices : numpy.ndarray of int
        1 for the better symbol (the DDM's upper bound), 0 for the other.
    theta : numpy.ndarray of float
        Mediofrontal theta power on the trial.
    """

    participant: np.ndarray
    stim: np.ndarray
    conflict: np.ndarray
    dbs: np.ndarray
    rt_s: np.ndarray
    choices: np.ndarray
    theta: np.ndarray

    def __len__(self) -> int:
        return int(self.rt_s.size)

    def select(self, mask: np.ndarray) -> ReactionTimeData:
        """The trials where the boolean ``mask`` (shape ``(trials,)``) is true."""
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != self.rt_s.shape:
            raise ValueError(f"mask must have shape {self.rt_s.shape}, got {mask.shape}")
        return ReactionTimeData(**{name: read_only(getattr(self, name)[mask]) for name in self.__dataclass_fields__})


    def condition(self, conflict: str, dbs: int) -> ReactionTimeData:
        """The trials of one condition: ``conflict`` ``"LC"`` or ``"HC"``, stimulator ``dbs`` 1 (on) or 0 (off)."""
        if conflict not in ("LC", "HC") or dbs not in (0, 1):
            raise ValueError(f"expected conflict 'LC' or 'HC' and dbs 0 or 1, got {conflict!r}, {dbs!r}")
        return self.select((self.conflict == conflict) & (self.dbs == dbs))

    def split(self, test_fraction: float = 0.3, seed: int = 0) -> tuple[ReactionTimeData, ReactionTimeData]:
        """A random ``(train, test)`` split of the trials, ``test_fraction`` of them held out.

        The same ``seed`` gives the same split, so a fit on ``train`` can be scored on
        trials it has never seen.
        """
        if not 0 < test_fraction < 1:
            raise ValueError(f"test_fraction must lie in (0, 1), got {test_fraction}")
        order = np.random.default_rng(seed).permutation(len(self))
        test = np.zeros(len(self), dtype=bool)
        test[order[: int(round(test_fraction * len(self)))]] = True
        return self.select(~test), self.select(test)


#: The four conditions of the exercise: (conflict, dbs).
CONDITIONS = (("LC", 0), ("HC", 0), ("LC", 1), ("HC", 1))


@functools.lru_cache(maxsize=1)
def _shipped() -> ReactionTimeData:
    with np.load(CAVANAGH_PATH, allow_pickle=False) as stored:
        columns = {name: stored[name] for name in _FIELDS}
    return ReactionTimeData(
        participant=read_only(columns["participant"].astype(int)),
        stim=read_only(columns["stim"].astype(str)),
        conflict=read_only(columns["conflict"].astype(str)),
        dbs=read_only(columns["dbs"].astype(int)),
        rt_s=read_only(columns["rt_s"].astype(float)),
        choices=read_only(columns["choices"].astype(int)),
        theta=read_only(columns["theta"].astype(float)),
    )


def load_cavanagh(path: str | Path | None = None) -> ReactionTimeData:
    """Load the Cavanagh et al. (2011) reaction-time table (3,988 trials, 14 participants).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A CSV file in the layout of ``cavanagh_theta_nn.csv`` (HDDM's columns
        ``subj_idx``, ``stim``, ``rt``, ``response``, ``theta``, ``dbs``, ``conf``, or
        HSSM's, with ``participant_id``; the response is 1 for the better symbol and 0 or
        -1 otherwise). By default the table shipped with the library (read-only arrays).
    """
    if path is None:
        return _shipped()
    path = Path(path)
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = set(rows[0]) if rows else set()
    participant = "participant_id" if "participant_id" in header else "subj_idx"
    expected = {participant, "stim", "rt", "response", "theta", "dbs", "conf"}
    if not rows or not expected <= header:
        raise ValueError(f"{path} is not the Cavanagh table: expected the columns {sorted(expected)}")
    column = lambda name, kind: read_only(np.array([kind(r[name]) for r in rows]))  # noqa: E731
    response = np.array([float(r["response"]) for r in rows])
    if not (np.all(np.isin(response, (-1.0, 1.0))) or np.all(np.isin(response, (0.0, 1.0)))):
        raise ValueError(f"{path}: the response column should hold 1 and -1 (or 1 and 0)")
    return ReactionTimeData(
        participant=column(participant, int),
        stim=column("stim", str),
        conflict=column("conf", str),
        dbs=column("dbs", int),
        rt_s=column("rt", float),
        choices=read_only((response > 0).astype(int)),
        theta=column("theta", float),
    )
