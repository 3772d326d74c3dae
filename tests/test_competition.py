"""The competitions: submission files are checked, scored on held-out data, ranked, and rejected with a reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from neuro4ml import competition
from neuro4ml.competition import SubmissionError, leaderboard, score_file
from neuro4ml.tasks import w1

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_secret(monkeypatch):
    """Tests score on the practice set unless they set a secret themselves (a maintainer may have one set)."""
    monkeypatch.delenv(competition.SECRET_ENV, raising=False)
    monkeypatch.delenv(competition.SECRET_FILE_ENV, raising=False)


def write_w1(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def toml(team="Team A", tau_ms=10.0, a=1.0, b=0.0) -> str:
    return f'team = "{team}"\ntau_ms = {tau_ms}\na = {a}\nb = {b}\n'


def run_cli(*args, env=None):
    import os

    environment = {k: v for k, v in os.environ.items() if k not in (competition.SECRET_ENV, competition.SECRET_FILE_ENV)}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "neuro4ml.course", "score", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, env=environment)


# ---------------------------------------------------------------------------
# Week 1
# ---------------------------------------------------------------------------


def test_w1_score_is_the_held_out_score_of_week_1(tmp_path):
    result = score_file("w1", write_w1(tmp_path, "a.toml", toml(tau_ms=10, a=1, b=0)))
    assert result.team == "Team A"
    # The week 1 module documents this value for tau = 10 ms, a = 1, b = 0 on the held-out repeats.
    assert result.score == pytest.approx(2.56, abs=0.005)
    assert result.score == pytest.approx(w1.score(10.0, 1.0, 0.0))
    assert result.details == {"tau_ms": 10.0, "a": 1.0, "b": 0.0}
    assert result.held_out == "practice"


def test_w1_integers_are_numbers_too(tmp_path):
    assert score_file("w1", write_w1(tmp_path, "a.toml", 'team = "x"\ntau_ms = 20\na = 1\nb = 0\n')).score == pytest.approx(
        w1.score(*w1.STARTING_GUESS)
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ('team = "x"\ntau_ms = 10\na = 1\n', "missing b"),
        (toml() + "c = 3\n", "unknown c"),
        (toml(tau_ms=-1), "tau_ms = -1 is outside the allowed range"),
        (toml(tau_ms=0.01), "outside the allowed range [0.1, 1000]"),
        (toml(a=1e6), "a = 1e+06 is outside"),
        (toml(b="nan"), "b is nan"),
        (toml(a="inf"), "a is inf"),
        ('team = "x"\ntau_ms = "10"\na = 1\nb = 0\n', "expected tau_ms to be a number"),
        ('team = "x"\ntau_ms = true\na = 1\nb = 0\n', "expected tau_ms to be a number"),
        ('team = ""\ntau_ms = 10\na = 1\nb = 0\n', "non-empty string"),
        ('team = 3\ntau_ms = 10\na = 1\nb = 0\n', "expected 'team' to be a non-empty string"),
        (toml(team="x" * 61), "at most 60"),
        ("tau_ms = 10 a = 1", "not valid TOML"),
    ],
)
def test_w1_malformed_submissions_are_rejected_naming_what_was_expected(tmp_path, text, message):
    with pytest.raises(SubmissionError) as info:
        score_file("w1", write_w1(tmp_path, "bad.toml", text))
    assert message in str(info.value)


def test_wrong_suffix_missing_file_and_unknown_competition(tmp_path):
    with pytest.raises(SubmissionError, match=r"a w1 submission is a \.toml file, got \.json"):
        score_file("w1", write_w1(tmp_path, "a.json", "{}"))
    with pytest.raises(SubmissionError, match="no such file"):
        score_file("w1", tmp_path / "absent.toml")
    with pytest.raises(SubmissionError, match="unknown competition 'w3'"):
        score_file("w3", write_w1(tmp_path, "a.toml", toml()))


def test_a_binary_file_is_rejected_not_a_crash(tmp_path):
    path = tmp_path / "a.toml"
    path.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(SubmissionError, match="not a text file"):
        score_file("w1", path)


# ---------------------------------------------------------------------------
# Leaderboards
# ---------------------------------------------------------------------------


def test_w1_leaderboard_ranks_lowest_first_and_lists_rejections_last(tmp_path):
    write_w1(tmp_path, "start.toml", toml(team="Starting guess", tau_ms=20))
    write_w1(tmp_path, "ten.toml", toml(team="Ten ms", tau_ms=10))
    write_w1(tmp_path, "twin.toml", toml(team="Also ten", tau_ms=10))
    write_w1(tmp_path, "broken.toml", toml(tau_ms=-5))
    write_w1(tmp_path, "README.md", "not a submission")
    entries = leaderboard("w1", tmp_path)
    assert [e.file for e in entries] == ["twin.toml", "ten.toml", "start.toml", "broken.toml"]
    assert [e.rank for e in entries] == [1, 1, 3, None]  # equal scores share a rank
    assert entries[0].result.score <= entries[2].result.score
    assert entries[-1].result is None and "tau_ms = -5" in entries[-1].error


def test_leaderboard_of_a_missing_folder_says_so(tmp_path):
    with pytest.raises(SubmissionError, match="no such folder"):
        leaderboard("w1", tmp_path / "nothing")


def test_the_committed_w1_submissions_all_score():
    entries = leaderboard("w1", ROOT / "leaderboard" / "w1")
    assert entries and all(e.result is not None for e in entries), [e.error for e in entries]


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------


def test_cli_prints_the_score_of_a_valid_w1_submission(tmp_path):
    out = run_cli("w1", write_w1(tmp_path, "a.toml", toml(team="Cli team")))
    assert out.returncode == 0, out.stderr
    assert "team: Cli team" in out.stdout and f"score: {w1.score(10.0, 1.0, 0.0):.4f}" in out.stdout


def test_cli_rejects_a_malformed_w1_submission_with_no_score(tmp_path):
    out = run_cli("w1", write_w1(tmp_path, "a.toml", toml(a="nan")))
    assert out.returncode == 1
    assert "rejected" in out.stderr and "a is nan" in out.stderr
    assert "score" not in out.stdout


def test_cli_names_the_competitions():
    out = run_cli("w4", "x.toml")
    assert out.returncode != 0 and "w1" in out.stderr and "w8" in out.stderr


def test_competitions_are_registered():
    assert set(competition.COMPETITIONS) == {"w1", "w8"}


# ---------------------------------------------------------------------------
# Week 8
# ---------------------------------------------------------------------------

np = pytest.importorskip("numpy")
torch = pytest.importorskip("torch")


def four_bit(w: np.ndarray) -> np.ndarray:
    """``w`` rounded to 15 symmetric levels (4-bit signed), one step for the whole matrix."""
    step = np.abs(w).max() / 7
    return np.round(w / step) * step


def w8_arrays(n_hidden=32, seed=0, **changes) -> dict:
    rng = np.random.default_rng(seed)
    arrays = {
        "team": np.array("Spiky"),
        "input_weight": four_bit(rng.normal(0, 3 / np.sqrt(20), (20, n_hidden))),
        "readout_weight": four_bit(rng.normal(0, 1 / np.sqrt(n_hidden), (n_hidden, 10))),
        "tau_ms": np.float64(20.0),
        "readout_tau_ms": np.float64(20.0),
    }
    arrays.update(changes)
    return {key: value for key, value in arrays.items() if value is not None}


def write_w8(folder: Path, name: str = "team.npz", **changes) -> Path:
    path = folder / name
    np.savez(path, **w8_arrays(**changes))
    return path


def test_w8_score_is_held_out_accuracy_minus_the_energy_penalty(tmp_path):
    from neuro4ml.learning import snn

    result = score_file("w8", write_w8(tmp_path))
    arrays = w8_arrays()
    model = competition.w8_network(arrays["input_weight"], arrays["readout_weight"], 20.0, 20.0)
    data = competition.w8_practice_data()
    assert data.x.shape == (competition.W8_N_TEST, 50, 20)
    assert result.details["accuracy"] == pytest.approx(snn.evaluate(model, data.x, data.y))
    energy = result.details["energy_j"]
    # Every one of the 32 + 10 on-chip neurons is updated at each of the 50 steps at 81 pJ (an active Loihi neuron,
    # Davies et al. 2018, Table 2),
    # and each of the 20 input spikes per sample reaches its non-zero synapses at 23.6 pJ each.
    floor = (42 * 50 * 81.0 + np.count_nonzero(arrays["input_weight"]) * 23.6) * 1e-12
    assert floor < energy < floor + 1e-6
    assert result.score == pytest.approx(result.details["accuracy"] - 0.1 * np.log10(energy / competition.W8_REFERENCE_ENERGY_J))
    assert result.team == "Spiky" and result.details["cores"] == 2


def test_w8_tau_per_neuron_is_accepted(tmp_path):
    result = score_file("w8", write_w8(tmp_path, tau_ms=np.linspace(5.0, 30.0, 32)))
    assert 0.0 <= result.details["accuracy"] <= 1.0


def test_w8_score_formula():
    assert competition.w8_score(0.8, competition.W8_REFERENCE_ENERGY_J) == pytest.approx(0.8)
    assert competition.w8_score(0.8, competition.W8_REFERENCE_ENERGY_J / 10) == pytest.approx(0.9)
    assert competition.w8_score(0.5, competition.W8_REFERENCE_ENERGY_J * 100) == pytest.approx(0.3)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"team": None}, "missing team"),
        ({"bias": np.zeros(3)}, "unknown bias"),
        ({"team": np.array([1, 2])}, "expected 'team' to be one string"),
        ({"input_weight": np.zeros((10, 32))}, "expected input_weight to have shape (20, n_hidden)"),
        ({"readout_weight": np.zeros((32, 12))}, "expected readout_weight to have shape (32, 10)"),
        ({"readout_weight": np.full((32, 10), np.nan)}, "readout_weight holds NaN"),
        ({"input_weight": np.ones((20, 32), dtype=complex)}, "expected input_weight to hold real numbers"),
        ({"tau_ms": np.float64(0.5)}, "tau_ms must lie between 1 and 1000 ms"),
        ({"tau_ms": np.ones(5) * 10}, "expected tau_ms to have shape (32,)"),
        ({"readout_tau_ms": np.array([20.0, 20.0])}, "expected readout_tau_ms to have shape one number"),
    ],
)
def test_w8_malformed_submissions_are_rejected_naming_what_was_expected(tmp_path, changes, message):
    with pytest.raises(SubmissionError) as info:
        score_file("w8", write_w8(tmp_path, **changes))
    assert message in str(info.value)


def test_w8_weights_that_are_not_four_bit_are_rejected_by_the_chip(tmp_path):
    rng = np.random.default_rng(1)
    with pytest.raises(SubmissionError, match=r"does not map onto the teaching chip.*do not fit 4-bit weights"):
        score_file("w8", write_w8(tmp_path, input_weight=rng.normal(size=(20, 32))))


def test_w8_network_too_large_for_the_chip_is_rejected(tmp_path):
    # A core accepts spikes from at most 128 sources: a readout neuron cannot listen to 200 hidden neurons.
    expected = r"does not map onto the teaching chip.*'readout'.*fan-in of 1[0-9][0-9] presynaptic.*at most 128"
    with pytest.raises(SubmissionError, match=expected):
        score_file("w8", write_w8(tmp_path, n_hidden=200))
    # With each readout unit listening to 50 of 500 hidden neurons the fan-in fits, but 500 hidden
    # neurons take 8 cores of 64 and the readout more (few units per core, quantisation zeroes some weights): 12 cores, the chip has 8.
    sparse = w8_arrays(n_hidden=500)["readout_weight"] * (np.arange(500)[:, None] % 10 == np.arange(10))
    with pytest.raises(SubmissionError, match=r"does not map onto the teaching chip.*needs 12 cores.*has 8"):
        score_file("w8", write_w8(tmp_path, n_hidden=500, readout_weight=sparse))


def test_w8_files_that_are_not_npz_or_hold_objects_are_rejected(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_text("hello")
    with pytest.raises(SubmissionError, match=r"not a readable .npz file \(neither a zip archive nor a numpy array\)"):
        score_file("w8", bad)
    objects = tmp_path / "objects.npz"
    np.savez(objects, **w8_arrays(team=np.array({"name": "x"}, dtype=object)))
    with pytest.raises(SubmissionError, match="team holds Python objects"):
        score_file("w8", objects)


def test_write_w8_submission_round_trips_an_snn_and_refuses_a_recurrent_one(tmp_path):
    from neuro4ml.learning import snn

    arrays = w8_arrays()
    model = competition.w8_network(arrays["input_weight"], arrays["readout_weight"], 15.0, 25.0)
    path = competition.write_w8_submission(tmp_path / "mine.npz", "  Round   trip ", model)
    with np.load(path) as npz:
        assert str(npz["team"]) == "Round trip" and float(npz["tau_ms"]) == 15.0 and float(npz["readout_tau_ms"]) == 25.0
        np.testing.assert_allclose(npz["input_weight"], arrays["input_weight"], rtol=1e-6)
    with pytest.raises(SubmissionError, match="feed-forward networks only"):
        competition.write_w8_submission(tmp_path / "rec.npz", "x", snn.SNN(20, 8, 10, recurrent=True))


def test_w8_leaderboard_ranks_highest_first(tmp_path):
    write_w8(tmp_path, "small.npz", n_hidden=8, team=np.array("Small"))
    write_w8(tmp_path, "big.npz", n_hidden=64, team=np.array("Big"))
    write_w8(tmp_path, "broken.npz", tau_ms=np.float64(np.inf))
    entries = leaderboard("w8", tmp_path)
    assert [e.file for e in entries][-1] == "broken.npz"
    scores = [e.result.score for e in entries[:2]]
    assert scores == sorted(scores, reverse=True)


def test_the_committed_w8_submissions_all_score():
    entries = leaderboard("w8", ROOT / "leaderboard" / "w8")
    assert entries and all(e.result is not None for e in entries), [e.error for e in entries]


def test_cli_scores_a_w8_submission_and_rejects_an_over_limit_one(tmp_path):
    out = run_cli("w8", write_w8(tmp_path, "ok.npz"))
    assert out.returncode == 0, out.stderr
    assert "team: Spiky" in out.stdout and "higher is better" in out.stdout and "accuracy" in out.stdout
    out = run_cli("w8", write_w8(tmp_path, "huge.npz", n_hidden=200))
    assert out.returncode == 1 and "fan-in of" in out.stderr and "score:" not in out.stdout


def test_w8_a_npy_file_renamed_to_npz_is_rejected_with_the_keys_expected(tmp_path):
    # A learner's reproduction: np.save("x.npy", w); cp x.npy bad.npz (np.load then returns a bare array).
    np.save(tmp_path / "x.npy", w8_arrays()["input_weight"])
    renamed = tmp_path / "bad.npz"
    renamed.write_bytes((tmp_path / "x.npy").read_bytes())
    with pytest.raises(SubmissionError, match=r"single numpy array of shape \(20, 32\).*npz archive with the arrays team, input_weight"):
        score_file("w8", renamed)
    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    with pytest.raises(SubmissionError, match="not a readable .npz file.*npz archive with the arrays"):
        score_file("w8", empty)
    entries = competition.leaderboard("w8", tmp_path)
    assert [entry.result for entry in entries] == [None, None] and all("npz" in entry.error for entry in entries)


def test_write_w8_submission_adds_the_npz_suffix(tmp_path):
    arrays = w8_arrays()
    model = competition.w8_network(arrays["input_weight"], arrays["readout_weight"], 20.0, 20.0)
    path = competition.write_w8_submission(tmp_path / "t_sub", "Suffix", model)
    assert path == tmp_path / "t_sub.npz" and path.is_file() and not (tmp_path / "t_sub").exists()
    assert score_file("w8", path).team == "Suffix"
    assert competition.write_w8_submission(str(tmp_path / "upper.NPZ"), "Suffix", model).name == "upper.NPZ.npz"


@pytest.mark.parametrize("team", [None, "", "   ", 42, "x" * 61])
def test_write_submissions_reject_a_team_the_scorer_would_reject(tmp_path, team):
    arrays = w8_arrays()
    model = competition.w8_network(arrays["input_weight"], arrays["readout_weight"], 20.0, 20.0)
    with pytest.raises(SubmissionError, match="team"):
        competition.write_w8_submission(tmp_path / "sub.npz", team, model)
    with pytest.raises(SubmissionError, match="team"):
        competition.write_w1_submission(tmp_path / "sub.toml", team, 10.0, 1.0, 0.0)
    assert not (tmp_path / "sub.npz").exists() and not (tmp_path / "sub.toml").exists()


def test_write_submissions_warn_when_the_team_is_still_the_placeholder(tmp_path, recwarn):
    arrays = w8_arrays()
    model = competition.w8_network(arrays["input_weight"], arrays["readout_weight"], 20.0, 20.0)
    with pytest.warns(UserWarning, match="set it to your team's name"):
        competition.write_w8_submission(tmp_path / "sub.npz", competition.PLACEHOLDER_TEAM, model)
    with pytest.warns(UserWarning, match="set it to your team's name"):
        competition.write_w1_submission(tmp_path / "sub.toml", " my  TEAM ", 10.0, 1.0, 0.0)
    recwarn.clear()
    competition.write_w8_submission(tmp_path / "named.npz", "The Spikers", model)
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


# ---------------------------------------------------------------------------
# Held-out data nobody can read, and files that cannot hurt the scorer
# ---------------------------------------------------------------------------


def test_competition_imports_nothing_from_check():
    code = ("import sys, neuro4ml.competition, neuro4ml.tasks.w1, neuro4ml.tasks.w5, neuro4ml.tasks.w8; "
            "print(sorted(m for m in sys.modules if m.startswith('neuro4ml.check')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
    for path in [ROOT / "src/neuro4ml/competition.py", *(ROOT / "src/neuro4ml/tasks").glob("*.py")]:
        assert "neuro4ml.check" not in "\n".join(
            line for line in path.read_text().splitlines() if line.lstrip().startswith(("from ", "import "))
        ), path


def test_without_the_secret_scores_are_practice_scores_on_public_data(tmp_path):
    path = write_w1(tmp_path, "a.toml", toml())
    assert competition.secret_seed() is None
    result = score_file("w1", path)
    assert result.held_out == "practice" and result.score == pytest.approx(w1.score(10.0, 1.0, 0.0))
    assert [e.result.held_out for e in leaderboard("w1", tmp_path)] == ["practice"]


def test_with_the_secret_w1_is_scored_on_a_recording_the_repository_does_not_hold(tmp_path, monkeypatch):
    from neuro4ml.data.fitting import load_fitting_data

    path = write_w1(tmp_path, "a.toml", toml())
    monkeypatch.setenv(competition.SECRET_ENV, "123456789")
    result = score_file("w1", path)
    assert result.held_out == "competition"
    secret_data = w1.fitting_data(competition._derived_seed(123456789, "w1"))
    public = load_fitting_data()
    # new currents and new spikes: none of the public repeats reappears
    assert not any(np.array_equal(a, b) for a in secret_data.I_nA for b in public.I_nA)
    assert result.score == pytest.approx(w1.score(10.0, 1.0, 0.0, repeats=secret_data.repeats, data=secret_data))
    assert abs(result.score - w1.score(10.0, 1.0, 0.0)) > 1e-3
    # another secret, another set
    monkeypatch.setenv(competition.SECRET_ENV, "987654321")
    assert score_file("w1", path).score != result.score
    # the practice score stays available whatever the secret
    assert competition.score_practice("w1", path).score == pytest.approx(w1.score(10.0, 1.0, 0.0))


def test_the_secret_can_come_from_a_file_and_a_bad_secret_stops_the_build(tmp_path, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("42\n")
    monkeypatch.setenv(competition.SECRET_FILE_ENV, str(secret))
    assert competition.secret_seed() == 42
    monkeypatch.setenv(competition.SECRET_ENV, "7")  # the variable wins over the file
    assert competition.secret_seed() == 7
    monkeypatch.setenv(competition.SECRET_ENV, "not a number")
    with pytest.raises(ValueError, match="must be an integer"):
        competition.secret_seed()
    monkeypatch.delenv(competition.SECRET_ENV)
    monkeypatch.setenv(competition.SECRET_FILE_ENV, str(tmp_path / "missing.txt"))
    with pytest.raises(ValueError, match="cannot be read"):
        competition.secret_seed()


@pytest.mark.parametrize("text", ['team = "My team"\ntau_ms = 10\na = 1\nb = 0\n', 'team = " my  TEAM "\ntau_ms = 10\na = 1\nb = 0\n'])
def test_the_placeholder_team_name_is_rejected_by_the_scorer(tmp_path, text):
    with pytest.raises(SubmissionError, match="still called 'My team'"):
        score_file("w1", write_w1(tmp_path, "a.toml", text))
    entries = leaderboard("w1", tmp_path)
    assert entries[0].result is None and "placeholder" in entries[0].error


def test_deeply_nested_and_oversized_toml_are_rejected(tmp_path):
    nested = write_w1(tmp_path, "nested.toml", toml() + "c = " + "[" * 3000 + "]" * 3000 + "\n")
    with pytest.raises(SubmissionError, match="nested too deeply"):
        score_file("w1", nested)
    big = write_w1(tmp_path, "big.toml", toml() + "# " + "x" * 20_000 + "\n")
    with pytest.raises(SubmissionError, match="at most 10,000"):
        score_file("w1", big)


def test_cli_ends_every_bad_file_with_one_rejected_line_and_status_1(tmp_path):
    bad = {
        ("w1", "nested.toml"): toml() + "c = " + "[" * 3000 + "]" * 3000 + "\n",
        ("w1", "placeholder.toml"): toml(team="My team"),
    }
    for (name, file), text in bad.items():
        out = run_cli(name, write_w1(tmp_path, file, text))
        assert out.returncode == 1, (file, out)
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("rejected: "), (file, out.stderr)
        assert "score:" not in out.stdout
    for file, changes in {"huge-weights.npz": {"input_weight": four_bit(np.ones((20, 32))) * 1e300},
                          "tiny-weight.npz": {"readout_weight": np.where(np.eye(32, 10) > 0, 5e-324, 0.0)}}.items():
        out = run_cli("w8", write_w8(tmp_path, file, **changes))
        lines = out.stderr.strip().splitlines()
        assert out.returncode == 1 and len(lines) == 1 and lines[0].startswith("rejected: "), (file, out.stderr)


def test_a_weight_is_a_synapse_exactly_when_it_is_not_zero_for_the_scorer_and_the_counts(tmp_path):
    from neuro4ml.hardware.neuromorphic import synaptic_operations
    from neuro4ml.tasks import w8 as task

    weights = four_bit(np.random.default_rng(1).normal(size=(20, 32)))
    weights[0, 0] = 5e-324
    with pytest.raises(SubmissionError, match="smaller than 1e-30"):
        score_file("w8", write_w8(tmp_path, input_weight=weights))
    # every weight the scorer accepts is a synapse in float32 (how the network runs) exactly when it is one in float64
    accepted = np.array([0.0, task.MIN_WEIGHT, -task.MIN_WEIGHT, 1e-3, task.MAX_WEIGHT])
    assert task.weight_problem(accepted) is None
    assert np.array_equal(accepted != 0, accepted.astype(np.float32) != 0)
    # and the exercise's count (neuromorphic.synaptic_operations) counts the 5e-324 weight as a synapse
    spikes = np.zeros((1, 2))
    spikes[0, 0] = 1
    assert synaptic_operations(spikes, np.array([[5e-324, 0.0], [1.0, 1.0]])) == 1
    assert task.weight_problem(np.array([5e-324])) is not None and task.weight_problem(np.array([1e300])) is not None


def _bomb(path: Path, megabytes: int) -> Path:
    """A valid-looking submission whose input_weight decompresses to ``megabytes`` MB of zeros."""
    import io
    import zipfile

    arrays = w8_arrays()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, value in arrays.items():
            if key == "input_weight":
                continue
            buffer = io.BytesIO()
            np.save(buffer, value)
            archive.writestr(f"{key}.npy", buffer.getvalue())
        with archive.open("input_weight.npy", "w", force_zip64=True) as handle:
            header = io.BytesIO()
            n = megabytes * 2**20 // 8 // 20
            np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (20, n)})
            handle.write(header.getvalue())
            for _ in range(megabytes):
                handle.write(bytes(2**20))
    return path


def test_a_zip_bomb_is_rejected_from_its_headers_before_anything_is_decompressed(tmp_path, monkeypatch):
    path = _bomb(tmp_path / "bomb.npz", 64)
    assert path.stat().st_size < 200_000  # 64 MB of zeros in under 0.2 MB

    def no_load(*args, **kwargs):
        raise AssertionError("the archive was opened with numpy.load")

    monkeypatch.setattr(np, "load", no_load)
    with pytest.raises(SubmissionError, match=r"would take 67.1 MB once decompressed; at most 1 MB"):
        score_file("w8", path)


def test_an_array_header_larger_than_its_data_is_rejected_before_loading(tmp_path):
    import io
    import zipfile

    path = tmp_path / "liar.npz"
    arrays = w8_arrays()
    with zipfile.ZipFile(path, "w") as archive:
        for key, value in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, value)
            data = buffer.getvalue()
            if key == "input_weight":  # declare a billion columns, hold 32
                data = data.replace(b"(20, 32)", b"(20, 1000000000)")
            archive.writestr(f"{key}.npy", data)
    with pytest.raises(SubmissionError, match="declares a shape .* larger than the data"):
        score_file("w8", path)


def test_w8_competition_set_shares_no_sample_with_the_public_data(monkeypatch):
    from neuro4ml.data import randman
    from neuro4ml.tasks import w8 as task
    from neuro4ml.tasks.w5 import RANDMAN_TASK

    secret = task.held_out_data(competition._derived_seed(2**40 + 17, "w8"))
    practice = competition.w8_practice_data()
    training = randman(1000, **RANDMAN_TASK)
    assert secret.x.shape == practice.x.shape == (competition.W8_N_TEST, 50, 20)
    assert not np.array_equal(secret.x, practice.x)
    # One spike per unit on a 1 ms grid: about 8 % of any two draws coincide by chance (practice and training
    # share 79 of 1000); the secret set shares no more than that with the public data.
    training_set = {sample.tobytes() for sample in training.x}
    shared = np.mean([sample.tobytes() in training_set for sample in secret.x])
    assert shared < 0.12


def test_w8_with_the_secret_scores_on_the_competition_set(tmp_path, monkeypatch):
    from neuro4ml.learning import snn
    from neuro4ml.tasks import w8 as task

    path = write_w8(tmp_path)
    monkeypatch.setenv(competition.SECRET_ENV, "31337")
    result = score_file("w8", path)
    assert result.held_out == "competition"
    arrays = w8_arrays()
    model = competition.w8_network(arrays["input_weight"], arrays["readout_weight"], 20.0, 20.0)
    data = task.held_out_data(competition._derived_seed(31337, "w8"))
    assert result.details["accuracy"] == pytest.approx(snn.evaluate(model, data.x, data.y))
