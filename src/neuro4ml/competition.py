r"""The course's competitions: check a submission file and score it on data only the maintainers hold.

Two weeks end in a competition whose score is recomputed from a file, never typed in:

* **week 1** (``w1``): fit a leaky integrate-and-fire neuron to recorded spikes. A
  submission is a TOML file with the fitted parameters and a team name::

      team = "The Leaky Ones"
      tau_ms = 11.5   # membrane time constant, ms
      a = 1.9         # gain, per nA
      b = -0.3        # offset (dimensionless)

  Its score is :func:`neuro4ml.tasks.w1.score` (the mean van Rossum distance to the
  recorded spikes); **lower is better**.
* **week 8** (``w8``): classify Zenke & Vogels' random manifolds (the task of week 5,
  :data:`neuro4ml.tasks.w5.RANDMAN_TASK`) with a spiking network that maps onto the
  course's :data:`~neuro4ml.hardware.neuromorphic.TEACHING_CHIP`, spending as little energy as
  possible. A submission is a ``.npz`` file holding the weights and time constants of an
  :class:`neuro4ml.learning.snn.SNN` without recurrence (see :data:`W8_KEYS`;
  :func:`write_w8_submission` writes one from a trained network). Its score is
  :func:`neuro4ml.tasks.w8.score`, accuracy minus an energy penalty; **higher is better**.

**Held-out data nobody can read.** A leaderboard is only fair if no participant can fit
the data it is scored on. Each competition therefore has two held-out sets:

* the **competition set**, drawn from a secret seed that only the maintainers hold. The
  site build (and ``neuro4ml score``) reads it from the environment variable
  :data:`SECRET_ENV` (``NEURO4ML_LEADERBOARD_SECRET``, an integer), or from the file named
  by :data:`SECRET_FILE_ENV` (``NEURO4ML_LEADERBOARD_SECRET_FILE``, holding the integer).
  From it come ten new recorded repeats of week 1's neuron
  (:func:`~neuro4ml.data.fitting.load_fitting_data` with a derived seed) and
  :data:`W8_N_TEST` new samples of week 8's manifolds. The repository does not contain
  them, and nothing in it can reproduce them without the secret;
* the public **practice set**, for learners to score on as often as they like: week 1's
  repeats 7-9 (:data:`neuro4ml.tasks.w1.TEST_REPEATS`) and week 8's
  :func:`neuro4ml.tasks.w8.practice_data`. When the secret is absent, scores are computed
  on it, and every result says so (``Result.held_out == "practice"``; the leaderboard
  pages and the command line label them "practice").

:func:`score_file` loads one file, checks it (size before anything is decompressed or
parsed, keys, types, shapes, finite values, limits, the team name, and for week 8 that the
network maps onto the chip) and returns a :class:`Result`; a malformed or over-limit file
raises :class:`SubmissionError` whose message names what was expected.
:func:`leaderboard` scores every file of a folder (one per team) and returns the rows
sorted best first, with rejected files last and their reasons. The command line
(``neuro4ml score w8 FILE``) and the site's ``{leaderboard}`` directive both call these.
"""
from __future__ import annotations

import math
import os
import tomllib
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from neuro4ml.tasks import w1 as task_w1
from neuro4ml.tasks import w8 as task_w8
from neuro4ml.tasks.w5 import RANDMAN_TASK

__all__ = [
    "COMPETITIONS",
    "PLACEHOLDER_TEAM",
    "SECRET_ENV",
    "SECRET_FILE_ENV",
    "Competition",
    "Entry",
    "Result",
    "SubmissionError",
    "W1_LIMITS",
    "W8_KEYS",
    "W8_LAMBDA",
    "W8_N_TEST",
    "W8_REFERENCE_ENERGY_J",
    "W8_TAU_LIMITS_MS",
    "evaluate_on_chip",
    "leaderboard",
    "score_file",
    "score_practice",
    "score_w1",
    "score_w8",
    "secret_seed",
    "w8_network",
    "w8_practice_data",
    "w8_score",
    "write_w1_submission",
    "write_w8_submission",
]

#: The longest team name accepted (characters).
MAX_TEAM_LENGTH = 60
#: Environment variable holding the maintainers' secret seed (an integer) of the competition sets.
SECRET_ENV = "NEURO4ML_LEADERBOARD_SECRET"
#: Environment variable naming a file that holds the secret seed (used when :data:`SECRET_ENV` is unset).
SECRET_FILE_ENV = "NEURO4ML_LEADERBOARD_SECRET_FILE"
#: What ``Result.held_out`` says: scored on the secret competition set or on the public practice set.
COMPETITION_SET, PRACTICE_SET = "competition", "practice"

# Re-exported for the exercises (``competition.W8_LAMBDA``), defined in neuro4ml.tasks.w8.
W8_LAMBDA = task_w8.LAMBDA
W8_REFERENCE_ENERGY_J = task_w8.REFERENCE_ENERGY_J
W8_N_TEST = task_w8.N_TEST
W8_KEYS = task_w8.KEYS
W8_TAU_LIMITS_MS = task_w8.TAU_LIMITS_MS
w8_score = task_w8.score
w8_network = task_w8.network
w8_practice_data = task_w8.practice_data
evaluate_on_chip = task_w8.evaluate_on_chip


class SubmissionError(ValueError):
    """A submission file that cannot be scored; the message says what was expected."""


@dataclass(frozen=True)
class Result:
    """A scored submission: its team, its score, the numbers behind it (``details``) and which held-out set.

    ``held_out`` is ``"competition"`` (the maintainers' secret set) or ``"practice"`` (the public one).
    """

    competition: str
    team: str
    score: float
    details: dict[str, float] = field(default_factory=dict)
    held_out: str = PRACTICE_SET


@dataclass(frozen=True)
class Competition:
    """One competition: what a submission looks like and how it is scored."""

    name: str
    title: str
    suffixes: tuple[str, ...]
    higher_is_better: bool
    score: Callable[..., Result]
    #: Columns of the leaderboard besides the score: (key of ``Result.details``, heading, format).
    columns: tuple[tuple[str, str, str], ...] = ()
    #: The largest submission file accepted, in bytes (checked before the file is parsed).
    max_bytes: int = 10_000


#: The team name the exercise notebooks start with; the scorer rejects it, writing a file with it warns.
PLACEHOLDER_TEAM = "My team"


def secret_seed() -> int | None:
    """The maintainers' secret seed from :data:`SECRET_ENV` or the file named by :data:`SECRET_FILE_ENV`, or None.

    Raises ValueError when a secret is configured but is not an integer (a build must not
    fall back to the practice set by mistake).
    """
    text, where = os.environ.get(SECRET_ENV, "").strip(), SECRET_ENV
    if not text and os.environ.get(SECRET_FILE_ENV, "").strip():
        where = os.environ[SECRET_FILE_ENV].strip()
        try:
            text = Path(where).expanduser().read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ValueError(f"{SECRET_FILE_ENV} names {where}, which cannot be read ({exc})") from None
    if not text:
        return None
    try:
        seed = int(text, 0)
    except ValueError:
        raise ValueError(f"the leaderboard secret from {where} must be an integer, e.g. "
                         "python -c 'import secrets; print(secrets.randbits(64))'") from None
    if seed < 0:
        raise ValueError(f"the leaderboard secret from {where} must be a non-negative integer")
    return seed


def _derived_seed(secret: int, competition: str) -> int:
    """One seed per competition, derived from the secret (numpy's SeedSequence mixes them)."""
    import numpy as np

    salt = int.from_bytes(competition.encode(), "big")
    return int(np.random.SeedSequence([secret, salt]).generate_state(1, dtype=np.uint64)[0])


def _team(value, path: Path | str, *, allow_placeholder: bool = False) -> str:
    where = path.name if isinstance(path, Path) else path
    if not isinstance(value, str) or not value.strip():
        raise SubmissionError(f"{where}: expected 'team' to be a non-empty string (your team's name), got {value!r:.60}")
    team = " ".join(value.split())
    if len(team) > MAX_TEAM_LENGTH:
        raise SubmissionError(f"{where}: the team name has {len(team)} characters; at most {MAX_TEAM_LENGTH} are allowed")
    if not team.isprintable():
        raise SubmissionError(f"{where}: the team name holds control characters; expected plain text")
    if team.casefold() == PLACEHOLDER_TEAM.casefold() and not allow_placeholder:
        raise SubmissionError(f"{where}: the team is still called {PLACEHOLDER_TEAM!r}, the notebook's placeholder; "
                              "expected your team's name")
    return team


def _team_to_write(team) -> str:
    """``team`` checked as :func:`score_file` will check it, with a warning if it is still the placeholder."""
    team = _team(team, "the team name", allow_placeholder=True)
    if team.casefold() == PLACEHOLDER_TEAM.casefold():
        warnings.warn(
            f"the team is still called {PLACEHOLDER_TEAM!r}: set it to your team's name before you submit the file "
            "(the leaderboard rejects the placeholder)",
            UserWarning, stacklevel=3,
        )
    return team


def _check_keys(found, expected: set[str], path: Path, what: str) -> None:
    missing = sorted(expected - set(found))
    unknown = sorted(set(found) - expected)
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown {', '.join(str(u)[:40] for u in unknown[:5])}{', ...' if len(unknown) > 5 else ''}")
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


def _read_w1(path: Path, *, allow_placeholder: bool = False) -> tuple[str, float, float, float]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SubmissionError(f"{path.name}: not a text file; expected TOML with team, tau_ms, a and b") from None
    except tomllib.TOMLDecodeError as exc:
        raise SubmissionError(f"{path.name}: not valid TOML ({exc}); expected lines such as `tau_ms = 12.0`") from None
    except RecursionError:
        raise SubmissionError(f"{path.name}: nested too deeply to read; expected four lines: team, tau_ms, a and b") from None
    _check_keys(data, {"team", *W1_LIMITS}, path, "keys")
    team = _team(data["team"], path, allow_placeholder=allow_placeholder)
    tau_ms, a, b = (_w1_number(data, key, path) for key in W1_LIMITS)
    return team, tau_ms, a, b


def score_w1(path: Path, *, secret: int | None = None, allow_placeholder: bool = False) -> Result:
    """Check and score a week 1 submission (a TOML file with ``team``, ``tau_ms``, ``a``, ``b``).

    The score is :func:`neuro4ml.tasks.w1.score` (lower is better): with ``secret``, on the
    ten repeats of the competition set (:func:`neuro4ml.tasks.w1.fitting_data` of a seed
    derived from it); without, on the public practice repeats 7-9.
    """
    path = Path(path)
    team, tau_ms, a, b = _read_w1(path, allow_placeholder=allow_placeholder)
    if secret is None:
        value, held_out = task_w1.score(tau_ms, a, b), PRACTICE_SET
    else:
        data = task_w1.fitting_data(_derived_seed(secret, "w1"))
        value, held_out = task_w1.score(tau_ms, a, b, repeats=data.repeats, data=data), COMPETITION_SET
    if not math.isfinite(value):
        raise SubmissionError(f"{path.name}: the score came out as {value}; these parameters cannot be scored")
    return Result("w1", team, float(value), {"tau_ms": tau_ms, "a": a, "b": b}, held_out)


def write_w1_submission(path: str | Path, team: str, tau_ms: float, a: float, b: float) -> Path:
    """Write a week 1 submission file (TOML) and return its path; it is checked by scoring it on the practice set.

    ``team`` must be a non-empty string (:class:`SubmissionError` otherwise); a warning
    says when it is still the notebook's placeholder, :data:`PLACEHOLDER_TEAM`, which the
    leaderboard rejects.
    """
    path = Path(path)
    team = _team_to_write(team).replace("\\", "/").replace('"', "'")
    path.write_text(f'team = "{team}"\ntau_ms = {float(tau_ms)!r}\na = {float(a)!r}\nb = {float(b)!r}\n', encoding="utf-8")
    score_practice("w1", path)
    return path


# ---------------------------------------------------------------------------
# Week 8: accuracy against energy on a neuromorphic chip
# ---------------------------------------------------------------------------

#: The largest week 8 file, and the largest total size its arrays may have once
#: decompressed, in bytes. The teaching chip holds at most 512 hidden neurons, whose
#: arrays take about 130 kB as float64; both limits are checked from the file's size
#: and its zip headers, before anything is decompressed.
W8_MAX_FILE_BYTES = 1_000_000
W8_MAX_ARRAY_BYTES = 1_000_000


def _w8_array(data, key: str, path: Path, shape: tuple, *, weights: bool = False):
    import numpy as np

    value = data[key]
    if value.dtype.kind not in "iuf":
        raise SubmissionError(f"{path.name}: expected {key} to hold real numbers ({W8_KEYS[key]}), got dtype {value.dtype}")
    if value.shape != shape:
        wanted = " or ".join(str(s) for s in ([shape] if shape else [])) or "one number"
        raise SubmissionError(f"{path.name}: expected {key} to have shape {wanted} ({W8_KEYS[key]}), got {value.shape}")
    value = value.astype(np.float64)
    if not np.isfinite(value).all():
        raise SubmissionError(f"{path.name}: {key} holds NaN or infinite values; expected finite numbers")
    if weights:
        problem = task_w8.weight_problem(value)
        if problem:
            raise SubmissionError(f"{path.name}: {key}: {problem}")
    return value


def _w8_tau(data, key: str, path: Path, shapes: tuple):
    value = data[key]
    shape = value.shape if value.shape in shapes else shapes[-1]
    value = _w8_array(data, key, path, shape)
    low, high = W8_TAU_LIMITS_MS
    if not ((value >= low) & (value <= high)).all():
        raise SubmissionError(
            f"{path.name}: {key} must lie between {low:g} and {high:g} ms, got values from {value.min():g} to {value.max():g}"
        )
    return value


def _w8_headers(path: Path, expected: str) -> None:
    """Check a week 8 archive from its zip headers and array headers, before any array is decompressed.

    The archive must hold exactly one ``KEY.npy`` per key of :data:`W8_KEYS`, their
    declared sizes must add up to at most :data:`W8_MAX_ARRAY_BYTES`, and each array's
    header must declare a plain dtype whose data fit in its declared size.
    """
    import numpy as np

    if not zipfile.is_zipfile(path):
        with open(path, "rb") as handle:
            if handle.read(6) == b"\x93NUMPY":
                try:
                    handle.seek(0)
                    version = np.lib.format.read_magic(handle)
                    read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                            else np.lib.format.read_array_header_2_0)
                    shape = f" of shape {read(handle, max_header_size=10_000)[0]}"
                except Exception:
                    shape = ""
                raise SubmissionError(
                    f"{path.name}: this is a single numpy array{shape} (a .npy file), not an archive; "
                    f"{expected}: write it with numpy.savez or write_w8_submission"
                )
        raise SubmissionError(f"{path.name}: not a readable .npz file (neither a zip archive nor a numpy array); {expected}: write it with "
                              "numpy.savez or write_w8_submission")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = [m.filename[:-4] if m.filename.endswith(".npy") else m.filename for m in members]
            if len(members) > 2 * len(W8_KEYS):
                raise SubmissionError(f"{path.name}: the archive holds {len(members)} files; {expected}")
            _check_keys(names, set(W8_KEYS), path, "arrays")
            if len(set(names)) != len(names):
                raise SubmissionError(f"{path.name}: the archive holds an array twice; {expected}")
            total = sum(m.file_size for m in members)
            if total > W8_MAX_ARRAY_BYTES:
                raise SubmissionError(
                    f"{path.name}: its arrays would take {total / 1e6:.3g} MB once decompressed; at most "
                    f"{W8_MAX_ARRAY_BYTES / 1e6:g} MB are allowed (the chip holds at most 512 hidden neurons)"
                )
            for member, name in zip(members, names):
                with archive.open(member) as handle:
                    version = np.lib.format.read_magic(handle)
                    read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                            else np.lib.format.read_array_header_2_0)
                    shape, _, dtype = read(handle, max_header_size=10_000)
                if dtype.hasobject:
                    raise SubmissionError(f"{path.name}: {name} holds Python objects; expected numbers ({W8_KEYS[name]})")
                if math.prod(shape) * dtype.itemsize > member.file_size:
                    raise SubmissionError(f"{path.name}: {name} declares a shape {shape} larger than the data it holds")
    except SubmissionError:
        raise
    except Exception as exc:  # a damaged archive or array header: whatever zipfile or numpy raise
        raise SubmissionError(f"{path.name}: not a readable .npz file ({type(exc).__name__}: {str(exc)[:100]}); "
                              f"{expected}: write it with numpy.savez or write_w8_submission") from None


def _read_w8(path: Path, *, allow_placeholder: bool = False) -> dict:
    """The checked arrays of a week 8 submission file."""
    import numpy as np

    expected = f"an npz archive with the arrays {', '.join(W8_KEYS)} was expected"
    _w8_headers(path, expected)
    try:
        with np.load(path, allow_pickle=False) as npz:
            data = {key: npz[key] for key in npz.files}
    except Exception as exc:
        raise SubmissionError(f"{path.name}: not a readable .npz file ({type(exc).__name__}: {str(exc)[:100]}); "
                              f"{expected}: write it with numpy.savez or write_w8_submission") from None
    team = data["team"]
    if team.dtype.kind != "U" or team.ndim != 0:
        raise SubmissionError(f"{path.name}: expected 'team' to be one string, got an array of dtype {team.dtype} and shape {team.shape}")
    n_in, n_out = RANDMAN_TASK["n_units"], RANDMAN_TASK["n_classes"]
    w_in = data["input_weight"]
    if w_in.ndim != 2 or w_in.shape[0] != n_in or w_in.shape[1] < 1:
        raise SubmissionError(
            f"{path.name}: expected input_weight to have shape ({n_in}, n_hidden) ({W8_KEYS['input_weight']}), got {w_in.shape}"
        )
    n_hidden = w_in.shape[1]
    return {
        "team": _team(str(team), path, allow_placeholder=allow_placeholder),
        "input_weight": _w8_array(data, "input_weight", path, (n_in, n_hidden), weights=True),
        "readout_weight": _w8_array(data, "readout_weight", path, (n_hidden, n_out), weights=True),
        "tau_ms": _w8_tau(data, "tau_ms", path, ((), (n_hidden,))),
        "readout_tau_ms": _w8_tau(data, "readout_tau_ms", path, ((),)),
    }


def score_w8(path: Path, *, secret: int | None = None, allow_placeholder: bool = False) -> Result:
    """Check and score a week 8 submission (a ``.npz`` file with the arrays of :data:`W8_KEYS`).

    The network is built (:func:`neuro4ml.tasks.w8.network`), mapped onto the teaching chip
    (a :class:`~neuro4ml.hardware.neuromorphic.MappingError`, e.g. weights that are not
    4-bit, rejects it), run on the competition set drawn from ``secret`` or, without one,
    on the practice set (:func:`neuro4ml.tasks.w8.practice_data`), and scored with
    :func:`neuro4ml.tasks.w8.score` (higher is better).
    """
    from neuro4ml.hardware.neuromorphic import TEACHING_CHIP, MappingError

    path = Path(path)
    arrays = _read_w8(path, allow_placeholder=allow_placeholder)
    model = w8_network(arrays["input_weight"], arrays["readout_weight"], arrays["tau_ms"], arrays["readout_tau_ms"])
    if secret is None:
        data, held_out = task_w8.practice_data(), PRACTICE_SET
    else:
        data, held_out = task_w8.held_out_data(_derived_seed(secret, "w8")), COMPETITION_SET
    try:
        details = evaluate_on_chip(model, data, TEACHING_CHIP)
    except MappingError as exc:
        raise SubmissionError(f"{path.name}: the network does not map onto the {TEACHING_CHIP.name}: {exc}") from None
    value = w8_score(details["accuracy"], details["energy_j"]) if details["energy_j"] > 0 else math.nan
    if not math.isfinite(value):
        raise SubmissionError(f"{path.name}: the score came out as {value} (energy {details['energy_j']:g} J per sample); "
                              "this network cannot be scored")
    return Result("w8", arrays["team"], value, details, held_out)


def write_w8_submission(path: str | Path, team: str, model) -> Path:
    """Write a week 8 submission file (``.npz``) from a trained :class:`neuro4ml.learning.snn.SNN` and return its path.

    The file holds the arrays of :data:`W8_KEYS`; it is checked by scoring it on the
    practice set, so a network that breaks a rule (recurrent, not 4-bit, too large for the
    chip) raises :class:`SubmissionError` here, before it is submitted. A ``path``
    without the ``.npz`` suffix gets it added (``"sub"`` writes ``sub.npz``, as
    ``numpy.savez`` does); the returned path is the file written. ``team`` must be a
    non-empty string; a warning says when it is still the notebook's placeholder,
    :data:`PLACEHOLDER_TEAM`, which the leaderboard rejects.
    """
    import numpy as np

    from neuro4ml.learning import snn

    path = Path(path)
    if path.suffix != ".npz":  # numpy.savez would add it and write another file
        path = path.with_name(path.name + ".npz")
    team = _team_to_write(team)
    if not isinstance(model, snn.SNN):
        raise SubmissionError(f"expected a trained neuro4ml.learning.snn.SNN, got {type(model).__name__}")
    if model.hidden.recurrent_weight is not None:
        raise SubmissionError("the week 8 competition takes feed-forward networks only (recurrent=False)")
    tau = model.hidden.tau_ms.detach().cpu().numpy().astype(np.float64)
    np.savez(
        path,
        team=np.array(team),
        input_weight=model.hidden.weight.detach().cpu().numpy().T.astype(np.float64),
        readout_weight=model.readout.weight.detach().cpu().numpy().T.astype(np.float64),
        tau_ms=tau if np.ptp(tau) > 0 else np.float64(tau[0]),
        readout_tau_ms=np.float64(model.readout.tau_ms),
    )
    score_practice("w8", path)
    return path


# ---------------------------------------------------------------------------
# The competitions, a file and a folder
# ---------------------------------------------------------------------------

COMPETITIONS: dict[str, Competition] = {
    "w1": Competition(
        "w1", "Week 1: fitting a neuron to recorded spikes", (".toml",), higher_is_better=False, score=score_w1,
        columns=(("tau_ms", "τ (ms)", "{:.3g}"), ("a", "a (per nA)", "{:.3g}"), ("b", "b", "{:.3g}")),
        max_bytes=10_000,
    ),
    "w8": Competition(
        "w8", "Week 8: accuracy against energy on a neuromorphic chip", (".npz",), higher_is_better=True, score=score_w8,
        columns=(("accuracy", "Accuracy", "{:.1%}"), ("energy_nj", "Energy per sample (nJ)", "{:.4g}"),
                 ("n_hidden", "Hidden neurons", "{:.0f}"), ("cores", "Cores", "{:.0f}")),
        max_bytes=W8_MAX_FILE_BYTES,
    ),
}


def competition(name: str) -> Competition:
    """The competition called ``name`` (``"w1"`` or ``"w8"``)."""
    try:
        return COMPETITIONS[name]
    except (KeyError, TypeError):
        raise SubmissionError(f"unknown competition {name!r}; expected one of {', '.join(COMPETITIONS)}") from None


def _score(name: str, path: str | Path, secret: int | None, allow_placeholder: bool) -> Result:
    comp = competition(name)
    path = Path(path)
    if not path.is_file():
        raise SubmissionError(f"{path}: no such file")
    if path.suffix.lower() not in comp.suffixes:
        raise SubmissionError(f"{path.name}: a {name} submission is a {' or '.join(comp.suffixes)} file, got {path.suffix or 'no suffix'}")
    size = path.stat().st_size
    if size > comp.max_bytes:
        raise SubmissionError(f"{path.name}: the file has {size:,} bytes; a {name} submission has at most {comp.max_bytes:,}")
    try:
        return comp.score(path, secret=secret, allow_placeholder=allow_placeholder)
    except SubmissionError:
        raise
    except (RecursionError, MemoryError, OverflowError, ValueError, ArithmeticError) as exc:
        raise SubmissionError(f"{path.name}: could not be scored ({type(exc).__name__}: {str(exc)[:100]})") from None


def score_file(name: str, path: str | Path) -> Result:
    """Check the submission file ``path`` for competition ``name`` and score it, as the leaderboard does.

    The score is on the competition set when the maintainers' secret is configured
    (:func:`secret_seed`), on the public practice set otherwise; ``Result.held_out`` says
    which. Raises :class:`SubmissionError` naming what was expected when the file is
    missing, too large, malformed, over a limit or still has the placeholder team name.
    """
    return _score(name, path, secret_seed(), allow_placeholder=False)


def score_practice(name: str, path: str | Path) -> Result:
    """Check ``path`` as :func:`score_file` does and score it on the public practice set, whatever the secret.

    This is what a learner sees before submitting; the placeholder team name is allowed
    here (the leaderboard rejects it).
    """
    return _score(name, path, None, allow_placeholder=True)


@dataclass(frozen=True)
class Entry:
    """One row of a leaderboard: a scored submission (``result``) or a rejected one (``error``)."""

    file: str
    result: Result | None = None
    error: str | None = None
    rank: int | None = None


def leaderboard(name: str, folder: str | Path) -> list[Entry]:
    """Score every submission file in ``folder``: valid ones best first (ranked), rejected ones last.

    Scores are on the competition set when the secret is configured, on the practice set
    otherwise (each ``Entry.result.held_out`` says which). Files whose suffix is not a
    submission's (a README, say) are skipped; a file that fails its checks is kept as a
    rejected entry with the reason, so one bad file never stops the others from being scored.
    """
    comp = competition(name)
    folder = Path(folder)
    if not folder.is_dir():
        raise SubmissionError(f"{folder}: no such folder of {name} submissions")
    secret = secret_seed()
    scored, rejected = [], []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in comp.suffixes:
            continue
        try:
            scored.append(Entry(path.name, result=_score(name, path, secret, allow_placeholder=False)))
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
