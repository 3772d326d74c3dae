"""The competitions: submission files are checked, scored on held-out data, ranked, and rejected with a reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from neuro4ml import competition
from neuro4ml.check import w1
from neuro4ml.competition import SubmissionError, leaderboard, score_file

ROOT = Path(__file__).resolve().parent.parent


def write_w1(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def toml(team="Team A", tau_ms=10.0, a=1.0, b=0.0) -> str:
    return f'team = "{team}"\ntau_ms = {tau_ms}\na = {a}\nb = {b}\n'


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "neuro4ml.course", "score", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


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
