"""The ``{leaderboard}`` directive: a table re-scored from a folder of submissions, best first, rejections with reasons."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from neuro4ml import competition
from neuro4ml.competition import write_w1_submission
from neuro4ml.tasks import w1

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_secret(monkeypatch):
    """Pages are built without the maintainers' secret unless a test sets one."""
    monkeypatch.delenv(competition.SECRET_ENV, raising=False)
    monkeypatch.delenv(competition.SECRET_FILE_ENV, raising=False)


def build_page(tmp_path: Path, folder: Path, body: str) -> str:
    """Build a one-page Sphinx site whose leaderboards are in ``folder``; return the page's HTML."""
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        "extensions = ['myst_parser', 'neuro4ml.course.sphinx_ext']\n"
        f"neuro4ml_outline = {str(ROOT / 'course.yml')!r}\n"
        f"neuro4ml_leaderboards = {str(folder)!r}\n"
    )
    (src / "index.md").write_text(f"# Leaderboard\n\n{body}\n")
    out = tmp_path / "html"
    app = Sphinx(str(src), str(src), str(out), str(tmp_path / "doctrees"), "html", status=None, warning=None, freshenv=True)
    app.build()
    return (out / "index.html").read_text(encoding="utf-8")


def rows(html: str, table_class: str) -> list[list[str]]:
    table = re.search(rf'<table class="[^"]*{table_class}[^"]*".*?</table>', html, re.S).group(0)
    body = table.split("<tbody>")[1]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td.*?</td>", row, re.S)]
        for row in re.findall(r"<tr.*?</tr>", body, re.S)
    ]


@pytest.fixture
def w1_folder(tmp_path):
    folder = tmp_path / "boards" / "w1"
    folder.mkdir(parents=True)
    write_w1_submission(folder / "slow.toml", "Slow <b>team</b>", 20.0, 1.0, 0.0)
    write_w1_submission(folder / "fast.toml", "Fast team", 10.0, 1.0, 0.0)
    (folder / "broken.toml").write_text('team = "Broken"\ntau_ms = -3\na = 1\nb = 0\n')
    (folder / "README.md").write_text("not a submission")
    return folder


def test_leaderboard_is_a_table_sorted_by_score_with_rejections_and_their_reasons(tmp_path, w1_folder):
    html = build_page(tmp_path, w1_folder.parent, "```{leaderboard} w1\n```")
    ranked = rows(html, "neuro4ml-leaderboard")
    assert [row[1] for row in ranked] == ["Fast team", "Slow <b>team</b>".replace("<", "&lt;").replace(">", "&gt;")]
    assert [row[0] for row in ranked] == ["1", "2"]
    assert "Practice scores" in html and "NEURO4ML_LEADERBOARD_SECRET" in html and "<th class=\"head\"><p>Practice score</p></th>" in html
    assert ranked[0][2] == f"{w1.score(10.0, 1.0, 0.0):.4f}" and ranked[1][2] == f"{w1.score(20.0, 1.0, 0.0):.4f}"
    assert ranked[0][-1] == "fast.toml"
    rejected = rows(html, "neuro4ml-leaderboard-rejected")
    assert rejected == [["broken.toml", "broken.toml: tau_ms = -3 is outside the allowed range [0.1, 1000]"]]
    assert "2 submission(s)" in html and "lowest score ranks first" in html
    assert "README" not in html


def test_an_unknown_competition_warns_instead_of_breaking_the_page(tmp_path, w1_folder):
    html = build_page(tmp_path, w1_folder.parent, "Text before.\n\n```{leaderboard} w3\n```")
    assert "Text before." in html and "<table" not in html


def test_with_the_secret_the_page_ranks_on_the_competition_set_and_says_so(tmp_path, w1_folder, monkeypatch):
    monkeypatch.setenv(competition.SECRET_ENV, "20261207")
    html = build_page(tmp_path, w1_folder.parent, "```{leaderboard} w1\n```")
    assert "Practice scores" not in html and "secret competition set" in html
    expected = {e.result.team: e.result.score for e in competition.leaderboard("w1", w1_folder) if e.result}
    assert all(e.result.held_out == "competition" for e in competition.leaderboard("w1", w1_folder) if e.result)
    ranked = rows(html, "neuro4ml-leaderboard")
    assert ranked[0][2] == f"{expected['Fast team']:.4f}" != f"{w1.score(10.0, 1.0, 0.0):.4f}"
    # the placeholder team name is listed as rejected, with its reason
    (w1_folder / "placeholder.toml").write_text('team = "My team"\ntau_ms = 10\na = 1\nb = 0\n')
    (tmp_path / "again").mkdir()
    html = build_page(tmp_path / "again", w1_folder.parent, "```{leaderboard} w1\n```")
    assert any(row[0] == "placeholder.toml" and "placeholder" in row[1] for row in rows(html, "neuro4ml-leaderboard-rejected"))
