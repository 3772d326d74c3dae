"""The course's competitions: check a submission file and score it on held-out data.

Two weeks end in a competition whose score is recomputed from a file, never typed in:

* **week 1** (``w1``): fit a leaky integrate-and-fire neuron to recorded spikes. A
  submission is a TOML file with the fitted parameters and a team name::

      team = "The Leaky Ones"
      tau_ms = 11.5   # membrane time constant, ms
      a = 1.9         # gain, per nA
      b = -0.3        # offset (dimensionless)

  Its score is :func:`neuro4ml.check.w1.score` (the mean van Rossum distance to the
  recorded spikes of the held-out repeats 7-9); **lower is better**.
* **week 8** (``w8``): classify Zenke & Vogels' random manifolds with a spiking network
  that maps onto the course's neuromorphic chip, spending as little energy as possible.
  A submission is a ``.npz`` file (see :data:`W8_KEYS`); its score is
  :func:`w8_score` on a held-out test set the learners never train on; **higher is
  better**.

:func:`score_file` loads one file, checks it (keys, types, shapes, finite values, limits,
and for week 8 that the network maps onto the chip) and returns a :class:`Result`; a
malformed or over-limit file raises :class:`SubmissionError` whose message names what
was expected. :func:`leaderboard` scores every file of a folder (one per team) and
returns the rows sorted best first, with rejected files last and their reasons. The
command line (``neuro4ml score w8 FILE``) and the site's ``{leaderboard}`` directive
both call these.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

__all__ = [
    "COMPETITIONS",
    "Competition",
    "Entry",
    "Result",
    "SubmissionError",
    "W1_LIMITS",
    "leaderboard",
    "score_file",
    "score_w1",
    "write_w1_submission",
]

#: The longest team name accepted (characters).
MAX_TEAM_LENGTH = 60


class SubmissionError(ValueError):
    """A submission file that cannot be scored; the message says what was expected."""


@dataclass(frozen=True)
class Result:
    """A scored submission: its team, its score and the numbers behind it (``details``)."""

    competition: str
    team: str
    score: float
    details: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Competition:
    """One competition: what a submission looks like and how it is scored."""

    name: str
    title: str
    suffixes: tuple[str, ...]
    higher_is_better: bool
    score: Callable[[Path], Result]
    #: Columns of the leaderboard besides the score: (key of ``Result.details``, heading, format).
    columns: tuple[tuple[str, str, str], ...] = ()


def _team(value, path: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SubmissionError(f"{path.name}: expected 'team' to be a non-empty string (your team's name), got {value!r:.60}")
    team = " ".join(value.split())
    if len(team) > MAX_TEAM_LENGTH:
        raise SubmissionError(f"{path.name}: the team name has {len(team)} characters; at most {MAX_TEAM_LENGTH} are allowed")
    return team


def _check_keys(found, expected: set[str], path: Path, what: str) -> None:
    missing = sorted(expected - set(found))
    unknown = sorted(set(found) - expected)
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown {', '.join(unknown)}")
        raise SubmissionError(f"{path.name}: {'; '.join(parts)} (expected exactly the {what} {', '.join(sorted(expected))})")


# ---------------------------------------------------------------------------
# Week 1: fitting a LIF neuron
# ---------------------------------------------------------------------------

#: Accepted range of each week 1 parameter, (low, high) inclusive. The score simulates
#: the neuron at the data's 0.1 ms step, so the time constant is kept above it.
W1_LIMITS = {"tau_ms": (0.1, 1000.0), "a": (-1000.0, 1000.0), "b": (-1000.0, 1000.0)}


def _w1_number(data: dict, key: str, path: Path) -> float:
    value = data[key]
    low, high = W1_LIMITS[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SubmissionError(f"{path.name}: expected {key} to be a number between {low:g} and {high:g}, got {value!r:.60}")
    value = float(value)
    if not math.isfinite(value):
        raise SubmissionError(f"{path.name}: {key} is {value}; expected a finite number between {low:g} and {high:g}")
    if not low <= value <= high:
        raise SubmissionError(f"{path.name}: {key} = {value:g} is outside the allowed range [{low:g}, {high:g}]")
    return value


def score_w1(path: Path) -> Result:
    """Check and score a week 1 submission (a TOML file with ``team``, ``tau_ms``, ``a``, ``b``).

    The score is :func:`neuro4ml.check.w1.score` on the held-out repeats (lower is better).
    """
    from neuro4ml.check import w1

    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SubmissionError(f"{path.name}: not a text file; expected TOML with team, tau_ms, a and b") from None
    except tomllib.TOMLDecodeError as exc:
        raise SubmissionError(f"{path.name}: not valid TOML ({exc}); expected lines such as `tau_ms = 12.0`") from None
    _check_keys(data, {"team", *W1_LIMITS}, path, "keys")
    team = _team(data["team"], path)
    tau_ms, a, b = (_w1_number(data, key, path) for key in W1_LIMITS)
    value = w1.score(tau_ms, a, b)
    if not math.isfinite(value):
        raise SubmissionError(f"{path.name}: the score came out as {value}; these parameters cannot be scored")
    return Result("w1", team, float(value), {"tau_ms": tau_ms, "a": a, "b": b})


def write_w1_submission(path: str | Path, team: str, tau_ms: float, a: float, b: float) -> Path:
    """Write a week 1 submission file (TOML) and return its path; it is checked by scoring it."""
    path = Path(path)
    team = " ".join(str(team).split()).replace("\\", "/").replace('"', "'")
    path.write_text(f'team = "{team}"\ntau_ms = {float(tau_ms)!r}\na = {float(a)!r}\nb = {float(b)!r}\n', encoding="utf-8")
    score_file("w1", path)
    return path


# ---------------------------------------------------------------------------
# The competitions, a file and a folder
# ---------------------------------------------------------------------------


def _w8(path: Path) -> Result:
    from neuro4ml import neuromorphic_competition

    return neuromorphic_competition.score_w8(path)


COMPETITIONS: dict[str, Competition] = {
    "w1": Competition(
        "w1", "Week 1: fitting a neuron to recorded spikes", (".toml",), higher_is_better=False, score=score_w1,
        columns=(("tau_ms", "τ (ms)", "{:.3g}"), ("a", "a (per nA)", "{:.3g}"), ("b", "b", "{:.3g}")),
    ),
}


def competition(name: str) -> Competition:
    """The competition called ``name`` (``"w1"`` or ``"w8"``)."""
    try:
        return COMPETITIONS[name]
    except KeyError:
        raise SubmissionError(f"unknown competition {name!r}; expected one of {', '.join(COMPETITIONS)}") from None


def score_file(name: str, path: str | Path) -> Result:
    """Check the submission file ``path`` for competition ``name`` and score it.

    Raises :class:`SubmissionError` naming what was expected when the file is
    missing, malformed or over a limit.
    """
    comp = competition(name)
    path = Path(path)
    if not path.is_file():
        raise SubmissionError(f"{path}: no such file")
    if path.suffix.lower() not in comp.suffixes:
        raise SubmissionError(f"{path.name}: a {name} submission is a {' or '.join(comp.suffixes)} file, got {path.suffix or 'no suffix'}")
    return comp.score(path)


@dataclass(frozen=True)
class Entry:
    """One row of a leaderboard: a scored submission (``result``) or a rejected one (``error``)."""

    file: str
    result: Result | None = None
    error: str | None = None
    rank: int | None = None


def leaderboard(name: str, folder: str | Path) -> list[Entry]:
    """Score every submission file in ``folder``: valid ones best first (ranked), rejected ones last.

    Files whose suffix is not a submission's (a README, say) are skipped; a file that
    fails its checks is kept as a rejected entry with the reason, so one bad file never
    stops the others from being scored.
    """
    comp = competition(name)
    folder = Path(folder)
    if not folder.is_dir():
        raise SubmissionError(f"{folder}: no such folder of {name} submissions")
    scored, rejected = [], []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in comp.suffixes:
            continue
        try:
            scored.append(Entry(path.name, result=score_file(name, path)))
        except SubmissionError as exc:
            rejected.append(Entry(path.name, error=str(exc)))
        except Exception as exc:  # a file the checks let through but the scoring could not run
            rejected.append(Entry(path.name, error=f"{path.name}: could not be scored ({type(exc).__name__}: {exc})"))
    sign = -1.0 if comp.higher_is_better else 1.0
    scored.sort(key=lambda e: (sign * e.result.score, e.result.team))
    ranked = []
    for i, entry in enumerate(scored):
        tied = i > 0 and entry.result.score == scored[i - 1].result.score
        ranked.append(Entry(entry.file, entry.result, rank=ranked[-1].rank if tied else i + 1))
    return ranked + rejected
