"""What is rendered from the outline: the "under development" note, shown until every item is out."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import yaml

from neuro4ml.course.generate import README_BEGIN, README_END
from neuro4ml.course.outline import Exercises, Lecture, Notebook, parse_outline
from neuro4ml.course.render import DEVELOPMENT_NOTE, development_note, linker, readme_weeks


def finished(outline):
    """The outline once every week has recorded lectures and released (or no) exercises."""
    weeks = []
    for week in outline.weeks:
        lectures = week.lectures or (Lecture(title="A lecture"),)
        lectures = tuple(replace(lec, youtube="jhnuVDh2XKA", status=None) for lec in lectures)
        exercises = week.exercises
        if exercises.exist and not exercises.released:
            exercises = Exercises(status="released", notebooks=(Notebook(name=f"w{week.number}", title="Exercises"),))
        weeks.append(replace(week, lectures=lectures, exercises=exercises))
    return replace(outline, weeks=tuple(weeks))


def test_the_note_is_shown_while_anything_is_unreleased_or_unrecorded(project):
    outline = project.outline()
    assert outline.under_development and development_note(outline) == DEVELOPMENT_NOTE
    done = finished(outline)
    assert not done.under_development and development_note(done) is None
    # One unrecorded lecture, one unreleased exercise or one empty week is enough to show it.
    week = done.weeks[4]
    for unfinished in (
        replace(week, lectures=(replace(week.lectures[0], status="not recorded yet"),)),
        replace(week, lectures=(replace(week.lectures[0], youtube=None),)),
        replace(week, exercises=Exercises(status="not released yet")),
        replace(week, lectures=()),
    ):
        weeks = list(done.weeks)
        weeks[4] = unfinished
        assert development_note(replace(done, weeks=tuple(weeks))) == DEVELOPMENT_NOTE


def test_the_readme_shows_the_note_only_while_the_course_is_under_development(project):
    link = linker("", prefix="content")
    assert readme_weeks(project.outline(), link).startswith(f"> {DEVELOPMENT_NOTE}\n\n- **[Week 0")
    assert readme_weeks(finished(project.outline()), link).startswith("- **[Week 0")
    region = project.readme.read_text().split(README_BEGIN)[1].split(README_END)[0]
    assert DEVELOPMENT_NOTE in region


def _home_page(tmp_path, outline_data) -> str:
    """Build a one-page Sphinx site with the `course-weeks` directive; return its HTML."""
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir(parents=True)
    (tmp_path / "course.yml").write_text(yaml.safe_dump(outline_data))
    (src / "conf.py").write_text(
        f"extensions = ['myst_parser', 'neuro4ml.course.sphinx_ext']\nneuro4ml_outline = {str(tmp_path / 'course.yml')!r}\n"
    )
    (src / "index.md").write_text("# Home\n\n## Week by week\n\n```{course-weeks}\n```\n")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return (out / "index.html").read_text()


def test_the_home_page_note_sits_above_the_week_list_and_goes_when_all_is_out(project, tmp_path):
    raw = yaml.safe_load(project.outline_file.read_text())
    html = _home_page(tmp_path / "now", raw)
    assert "neuro4ml-development-note" in html and "still under development" in html
    assert html.index("neuro4ml-development-note") < html.index("Week 0: Introduction")

    for week in raw["weeks"]:
        week["lectures"] = [
            {"title": lec["title"], "youtube": "jhnuVDh2XKA", **({"page": lec["page"]} if "page" in lec else {})}
            for lec in week.get("lectures") or [{"title": "A lecture"}]
        ]
        if week["exercises"] != "none" and week["exercises"]["status"] != "released":
            week["exercises"] = {"status": "released", "notebooks": [{"name": f"w{week['number']}", "title": "Exercises"}]}
    assert not parse_outline(raw).under_development
    html = _home_page(tmp_path / "done", raw)
    assert "neuro4ml-development-note" not in html and "under development" not in html
    assert "Week 0: Introduction" in html
