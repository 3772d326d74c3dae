"""Real reaction-time data: the Cavanagh et al. (2011) probabilistic-selection task.

The ``hssm`` package (hierarchical sequential sampling models) ships a table of
3,988 choices and reaction times from 14 people with Parkinson's disease treated
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

The file is read from the installed package's files without importing ``hssm``
(importing it would load its heavy probabilistic-programming stack). Install it with
``pip install --no-deps hssm``; ``load_cavanagh`` never downloads anything.
"""

from __future__ import annotations

import csv
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neuro4ml.validation import read_only

__all__ = ["CAVANAGH_FILE", "CONDITIONS", "ReactionTimeData", "cavanagh_path", "load_cavanagh"]

#: Where the table lies inside the ``hssm`` distribution.
CAVANAGH_FILE = "hssm/datasets/cavanagh_theta_nn.csv"

_MISSING_HSSM = (
    "The Cavanagh et al. (2011) reaction times ship inside the 'hssm' package, which is not "
    "installed. Install it without its heavy dependencies (only its data file is read): "
    "pip install --no-deps hssm  (`make` does this for the course's environment; no extra of "
    "neuro4ml lists hssm, because an extra cannot say --no-deps). "
    "Or pass path= to a copy of cavanagh_theta_nn.csv."
)


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


def cavanagh_path() -> Path:
    """The path of ``cavanagh_theta_nn.csv`` in the installed ``hssm`` distribution.

    Found through the distribution's file list (``importlib.metadata``), so ``hssm``
    itself is never imported. Raises ``ModuleNotFoundError`` naming the install command
    when it is missing.
    """
    try:
        files = importlib.metadata.files("hssm") or []
    except importlib.metadata.PackageNotFoundError:
        raise ModuleNotFoundError(_MISSING_HSSM) from None
    for file in files:
        if file.as_posix() == CAVANAGH_FILE:
            path = Path(file.locate())
            if path.is_file():
                return path
    raise ModuleNotFoundError(_MISSING_HSSM + f" (hssm is installed but has no {CAVANAGH_FILE})")


def load_cavanagh(path: str | Path | None = None) -> ReactionTimeData:
    """Load the Cavanagh et al. (2011) reaction-time table (3,988 trials, 14 participants).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A copy of ``cavanagh_theta_nn.csv``; by default the file inside the installed
        ``hssm`` package (see :func:`cavanagh_path`).
    """
    path = Path(path) if path is not None else cavanagh_path()
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = {"participant_id", "stim", "rt", "response", "theta", "dbs", "conf"}
    if not rows or not expected <= set(rows[0]):
        raise ValueError(f"{path} is not the Cavanagh table: expected the columns {sorted(expected)}")
    column = lambda name, kind: read_only(np.array([kind(r[name]) for r in rows]))  # noqa: E731
    response = np.array([float(r["response"]) for r in rows])
    if not np.all(np.isin(response, (-1.0, 1.0))):
        raise ValueError(f"{path}: the response column should hold 1 and -1")
    return ReactionTimeData(
        participant=column("participant_id", int),
        stim=column("stim", str),
        conflict=column("conf", str),
        dbs=column("dbs", int),
        rt_s=column("rt", float),
        choices=read_only((response > 0).astype(int)),
        theta=column("theta", float),
    )
