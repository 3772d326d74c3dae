r"""The course's competitions: check a submission file and score it on held-out data.

Two weeks end in a competition whose score is recomputed from a file, never typed in:

* **week 1** (``w1``): fit a leaky integrate-and-fire neuron to recorded spikes. A
  submission is a TOML file with the fitted parameters and a team name::

      team = "The Leaky Ones"
      tau_ms = 11.5   # membrane time constant, ms
      a = 1.9         # gain, per nA
      b = -0.3        # offset (dimensionless)

  Its score is :func:`neuro4ml.tasks.w1.score` (the mean van Rossum distance to the
  recorded spikes of the held-out repeats 7-9); **lower is better**.
* **week 8** (``w8``): classify Zenke & Vogels' random manifolds (the task of week 5,
  :data:`neuro4ml.check.w5.RANDMAN_TASK`) with a spiking network that maps onto the
  course's :data:`~neuro4ml.hardware.neuromorphic.TEACHING_CHIP`, spending as little energy as
  possible. A submission is a ``.npz`` file holding the weights and time constants of an
  :class:`neuro4ml.learning.snn.SNN` without recurrence (see :data:`W8_KEYS`;
  :func:`write_w8_submission` writes one from a trained network). It is run on
  :data:`W8_N_TEST` held-out samples (same manifolds, new samples drawn from
  :data:`W8_TEST_SEED`, which no exercise trains on), the events it causes on the chip are
  counted and priced (:func:`neuro4ml.hardware.neuromorphic.count_events`,
  :func:`~neuro4ml.hardware.neuromorphic.estimate_energy`), and its score is

  .. math:: \text{score} = \text{accuracy} - \lambda \log_{10}\frac{E}{E_\text{ref}}

  (:func:`w8_score`), with :math:`E` the energy per sample, :math:`\lambda` =
  :data:`W8_LAMBDA` = 0.1 (a tenfold saving of energy is worth 10 points of accuracy) and
  :math:`E_\text{ref}` = :data:`W8_REFERENCE_ENERGY_J`; **higher is better**.

:func:`score_file` loads one file, checks it (keys, types, shapes, finite values, limits,
and for week 8 that the network maps onto the chip) and returns a :class:`Result`; a
malformed or over-limit file raises :class:`SubmissionError` whose message names what
was expected. :func:`leaderboard` scores every file of a folder (one per team) and
returns the rows sorted best first, with rejected files last and their reasons. The
command line (``neuro4ml score w8 FILE``) and the site's ``{leaderboard}`` directive
both call these.
"""

from __future__ import annotations

import functools
import math
import tomllib
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

__all__ = [
    "COMPETITIONS",
    "PLACEHOLDER_TEAM",
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
    "W8_TEST_SEED",
    "evaluate_on_chip",
    "leaderboard",
    "score_file",
    "score_w1",
    "score_w8",
    "w8_network",
    "w8_score",
    "w8_test_data",
    "write_w1_submission",
    "write_w8_submission",
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


#: The team name the exercise notebooks start with; writing a submission with it warns.
PLACEHOLDER_TEAM = "My team"


def _team(value, path: Path | str) -> str:
    where = path.name if isinstance(path, Path) else path
    if not isinstance(value, str) or not value.strip():
        raise SubmissionError(f"{where}: expected 'team' to be a non-empty string (your team's name), got {value!r:.60}")
    team = " ".join(value.split())
    if len(team) > MAX_TEAM_LENGTH:
        raise SubmissionError(f"{where}: the team name has {len(team)} characters; at most {MAX_TEAM_LENGTH} are allowed")
    return team


def _team_to_write(team) -> str:
    """``team`` checked as :func:`score_file` will check it, with a warning if it is still the placeholder."""
    team = _team(team, "the team name")
    if team.casefold() == PLACEHOLDER_TEAM.casefold():
        warnings.warn(
            f"the team is still called {PLACEHOLDER_TEAM!r}: set it to your team's name before you submit the file",
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

    The score is :func:`neuro4ml.tasks.w1.score` on the held-out repeats (lower is better).
    """
    from neuro4ml.tasks import w1

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
    """Write a week 1 submission file (TOML) and return its path; it is checked by scoring it.

    ``team`` must be a non-empty string (:class:`SubmissionError` otherwise); a warning
    says when it is still the notebook's placeholder, :data:`PLACEHOLDER_TEAM`.
    """
    path = Path(path)
    team = _team_to_write(team).replace("\\", "/").replace('"', "'")
    path.write_text(f'team = "{team}"\ntau_ms = {float(tau_ms)!r}\na = {float(a)!r}\nb = {float(b)!r}\n', encoding="utf-8")
    score_file("w1", path)
    return path


# ---------------------------------------------------------------------------
# The competitions, a file and a folder
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Week 8: accuracy against energy on a neuromorphic chip
# ---------------------------------------------------------------------------

#: Weight of the energy penalty: a tenfold change of energy is worth this much accuracy.
W8_LAMBDA = 0.1
#: The reference energy per sample, in joules: about what the week 8 exercise's part 2
#: network (64 hidden neurons, trained without any energy penalty, weights quantised
#: after training) spends per sample on the teaching chip, rounded. At this energy the
#: penalty is zero.
W8_REFERENCE_ENERGY_J = 3.5e-7
#: Seed of the held-out samples (the manifolds are those of the week 5 task, seed 0).
W8_TEST_SEED = 8008
#: Number of held-out samples a submission is scored on.
W8_N_TEST = 1000
#: The arrays of a week 8 submission (``.npz``), with what each holds. ``n_hidden`` is
#: the submitter's choice; the network must map onto the teaching chip.
W8_KEYS = {
    "team": "the team's name, a string",
    "input_weight": "(20, n_hidden) weights from the 20 input units to the hidden LIF neurons, (n_pre, n_post)",
    "readout_weight": "(n_hidden, 10) weights from the hidden neurons to the 10 leaky readout units, (n_pre, n_post)",
    "tau_ms": "the hidden neurons' membrane time constant in ms: one number, or one per hidden neuron (n_hidden,)",
    "readout_tau_ms": "the readout's time constant in ms, one number",
}
#: Accepted range of the time constants, in ms (the task's step is 1 ms).
W8_TAU_LIMITS_MS = (1.0, 1000.0)


def w8_score(accuracy: float, energy_j: float) -> float:
    """The week 8 score: ``accuracy - W8_LAMBDA * log10(energy_j / W8_REFERENCE_ENERGY_J)``.

    ``accuracy`` is a fraction (0 to 1) and ``energy_j`` the energy per sample in joules.
    """
    return float(accuracy) - W8_LAMBDA * math.log10(float(energy_j) / W8_REFERENCE_ENERGY_J)


@functools.lru_cache(maxsize=1)
def w8_test_data():
    """The held-out samples of the week 8 competition (a :class:`~neuro4ml.data.SpikeDataset`), made once."""
    from neuro4ml.check.w5 import RANDMAN_TASK
    from neuro4ml.data import randman

    return randman(W8_N_TEST, **RANDMAN_TASK, sample_seed=W8_TEST_SEED)


def _w8_array(data, key: str, path: Path, shape: tuple) -> "np.ndarray":
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
    return value


def _w8_tau(data, key: str, path: Path, shapes: tuple) -> "np.ndarray":
    value = data[key]
    shape = value.shape if value.shape in shapes else shapes[-1]
    value = _w8_array(data, key, path, shape)
    low, high = W8_TAU_LIMITS_MS
    if not ((value >= low) & (value <= high)).all():
        raise SubmissionError(f"{path.name}: {key} must lie between {low:g} and {high:g} ms, got values from {value.min():g} to {value.max():g}")
    return value


def _read_w8(path: Path) -> dict:
    """The checked arrays of a week 8 submission file."""
    import numpy as np

    from neuro4ml.check.w5 import RANDMAN_TASK

    expected = f"an npz archive with the arrays {', '.join(W8_KEYS)} was expected"
    try:
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            # np.load reads a .npy file (whatever its name) as one bare array
            raise SubmissionError(
                f"{path.name}: this is a single numpy array of shape {np.shape(loaded)} (a .npy file), not an archive; "
                f"{expected}: write it with numpy.savez or write_w8_submission"
            )
        with loaded as npz:
            data = {key: npz[key] for key in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        if isinstance(exc, SubmissionError):
            raise
        # numpy reads a file that is neither an archive nor a .npy array as a pickle, which allow_pickle=False refuses
        reason = "neither a zip archive nor a numpy array" if "pickled" in str(exc) else str(exc)
        raise SubmissionError(f"{path.name}: not a readable .npz file ({reason}); {expected}: write it with numpy.savez "
                              "or write_w8_submission") from None
    _check_keys(data, set(W8_KEYS), path, "arrays")
    team = data["team"]
    if team.dtype.kind != "U" or team.ndim != 0:
        raise SubmissionError(f"{path.name}: expected 'team' to be one string, got an array of dtype {team.dtype} and shape {team.shape}")
    n_in, n_out = RANDMAN_TASK["n_units"], RANDMAN_TASK["n_classes"]
    w_in = data["input_weight"]
    if w_in.ndim != 2 or w_in.shape[0] != n_in or w_in.shape[1] < 1:
        raise SubmissionError(f"{path.name}: expected input_weight to have shape ({n_in}, n_hidden) ({W8_KEYS['input_weight']}), got {w_in.shape}")
    n_hidden = w_in.shape[1]
    return {
        "team": _team(str(team), path),
        "input_weight": _w8_array(data, "input_weight", path, (n_in, n_hidden)),
        "readout_weight": _w8_array(data, "readout_weight", path, (n_hidden, n_out)),
        "tau_ms": _w8_tau(data, "tau_ms", path, ((), (n_hidden,))),
        "readout_tau_ms": _w8_tau(data, "readout_tau_ms", path, ((),)),
    }


def w8_network(input_weight, readout_weight, tau_ms, readout_tau_ms):
    """The :class:`neuro4ml.learning.snn.SNN` of a week 8 submission (weights given as ``(n_pre, n_post)``)."""
    import numpy as np
    import torch

    from neuro4ml.learning import snn
    from neuro4ml.check.w5 import RANDMAN_TASK

    n_in, n_hidden = np.shape(input_weight)
    tau = np.asarray(tau_ms, dtype=float)
    model = snn.SNN(n_in, n_hidden, np.shape(readout_weight)[1], dt_ms=RANDMAN_TASK["dt_ms"],
                    tau_ms=tau if tau.ndim else float(tau), readout_tau_ms=float(readout_tau_ms))
    with torch.no_grad():
        model.hidden.weight.copy_(torch.as_tensor(np.asarray(input_weight).T, dtype=torch.float32))
        model.readout.weight.copy_(torch.as_tensor(np.asarray(readout_weight).T, dtype=torch.float32))
    return model


def evaluate_on_chip(model, data, chip=None) -> dict[str, float]:
    """Accuracy and energy per sample of an :class:`~neuro4ml.learning.snn.SNN` run on ``chip`` (default: the teaching chip).

    The network is mapped (:func:`~neuro4ml.hardware.neuromorphic.map_network`, which raises
    :class:`~neuro4ml.hardware.neuromorphic.MappingError` when it does not fit), run on
    ``data.x`` ``(samples, time, 20)``, its events counted
    (:func:`~neuro4ml.hardware.neuromorphic.count_events`) and priced
    (:func:`~neuro4ml.hardware.neuromorphic.estimate_energy`). Returns a dict: ``accuracy``
    (fraction), ``energy_j`` and ``energy_nj`` (per sample), ``synaptic_ops`` and
    ``hidden_spikes`` (per sample), ``n_hidden``, ``cores`` (used).
    """
    from neuro4ml.hardware.neuromorphic import TEACHING_CHIP

    chip = TEACHING_CHIP if chip is None else chip
    import numpy as np
    import torch

    from neuro4ml.hardware.neuromorphic import count_events, estimate_energy, map_network

    placement = map_network(model, chip)
    device = next(model.parameters()).device
    x = torch.as_tensor(data.x, dtype=torch.float32, device=device)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        logits, hidden = model(x, record=True)
    model.train(was_training)
    accuracy = float(np.mean(logits.argmax(1).cpu().numpy() == data.y))
    counts = count_events(placement, {"input": data.x, "hidden": hidden.cpu().numpy()})
    energy = estimate_energy(counts, chip).total_j / counts.n_samples
    return {
        "accuracy": accuracy,
        "energy_j": energy,
        "energy_nj": energy * 1e9,
        "synaptic_ops": counts.synaptic_ops / counts.n_samples,
        "hidden_spikes": float(hidden.sum()) / counts.n_samples,
        "n_hidden": float(model.hidden.n_out),
        "cores": float(placement.n_cores_used),
    }


def score_w8(path: Path) -> Result:
    """Check and score a week 8 submission (a ``.npz`` file with the arrays of :data:`W8_KEYS`).

    The network is built (:func:`w8_network`), mapped onto the teaching chip (a
    :class:`~neuro4ml.hardware.neuromorphic.MappingError`, e.g. weights that are not 4-bit, rejects
    it), run on :func:`w8_test_data`, and scored with :func:`w8_score` (higher is better).
    """
    from neuro4ml.hardware.neuromorphic import TEACHING_CHIP, MappingError

    path = Path(path)
    arrays = _read_w8(path)
    model = w8_network(arrays["input_weight"], arrays["readout_weight"], arrays["tau_ms"], arrays["readout_tau_ms"])
    try:
        details = evaluate_on_chip(model, w8_test_data(), TEACHING_CHIP)
    except MappingError as exc:
        raise SubmissionError(f"{path.name}: the network does not map onto the {TEACHING_CHIP.name}: {exc}") from None
    return Result("w8", arrays["team"], w8_score(details["accuracy"], details["energy_j"]), details)


def write_w8_submission(path: str | Path, team: str, model) -> Path:
    """Write a week 8 submission file (``.npz``) from a trained :class:`neuro4ml.learning.snn.SNN` and return its path.

    The file holds the arrays of :data:`W8_KEYS`; it is checked by scoring it, so a
    network that breaks a rule (recurrent, not 4-bit, too large for the chip) raises
    :class:`SubmissionError` here, before it is submitted. A ``path`` without the
    ``.npz`` suffix gets it added (``"sub"`` writes ``sub.npz``, as ``numpy.savez``
    does); the returned path is the file written. ``team`` must be a non-empty string;
    a warning says when it is still the notebook's placeholder, :data:`PLACEHOLDER_TEAM`.
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
    score_file("w8", path)
    return path


COMPETITIONS: dict[str, Competition] = {
    "w1": Competition(
        "w1", "Week 1: fitting a neuron to recorded spikes", (".toml",), higher_is_better=False, score=score_w1,
        columns=(("tau_ms", "τ (ms)", "{:.3g}"), ("a", "a (per nA)", "{:.3g}"), ("b", "b", "{:.3g}")),
    ),
    "w8": Competition(
        "w8", "Week 8: accuracy against energy on a neuromorphic chip", (".npz",), higher_is_better=True, score=score_w8,
        columns=(("accuracy", "Accuracy", "{:.1%}"), ("energy_nj", "Energy per sample (nJ)", "{:.4g}"),
                 ("n_hidden", "Hidden neurons", "{:.0f}"), ("cores", "Cores", "{:.0f}")),
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
