"""`neuro4ml exercises`: copies student notebooks, never overwrites a learner's work unless forced."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from neuro4ml.course.copier import copy_exercises
from neuro4ml.course.project import Project


@pytest.fixture
def course(project, tmp_path) -> Project:
    """A course whose only released exercise is week 1's ``toy`` notebook."""
    root = tmp_path / "course"
    root.mkdir()
    outline = yaml.safe_load(project.outline_file.read_text())
    for week in outline["weeks"]:
        if week["exercises"] != "none":
            week["exercises"] = {"status": "not released yet"}
    outline["weeks"][1]["exercises"] = {"status": "released", "notebooks": [{"name": "toy", "title": "A toy exercise"}]}
    (root / "course.yml").write_text(yaml.safe_dump(outline, sort_keys=False))
    (root / "exercises").mkdir()
    (root / "exercises" / "toy.ipynb").write_text('{"version": 1}\n')
    return Project(root)


def test_copies_then_reports_up_to_date(course, tmp_path):
    dest = tmp_path / "work"
    assert copy_exercises(course, dest).copied == ["toy.ipynb"]
    assert (dest / "toy.ipynb").read_text() == '{"version": 1}\n'
    assert copy_exercises(course, dest).unchanged == ["toy.ipynb"]


def test_untouched_copy_is_updated_to_a_new_version(course, tmp_path):
    dest = tmp_path / "work"
    copy_exercises(course, dest)
    (course.exercises_dir / "toy.ipynb").write_text('{"version": 2}\n')
    assert copy_exercises(course, dest).updated == ["toy.ipynb"]
    assert (dest / "toy.ipynb").read_text() == '{"version": 2}\n'


def test_learner_changes_are_never_overwritten_without_force(course, tmp_path):
    dest = tmp_path / "work"
    copy_exercises(course, dest)
    (dest / "toy.ipynb").write_text("my answers")
    (course.exercises_dir / "toy.ipynb").write_text('{"version": 2}\n')
    report = copy_exercises(course, dest)
    assert report.skipped == ["toy.ipynb"] and "skipped, because you have changed them: toy.ipynb" in report.summary()
    assert (dest / "toy.ipynb").read_text() == "my answers"
    assert copy_exercises(course, dest, force=True).overwritten == ["toy.ipynb"]
    assert (dest / "toy.ipynb").read_text() == '{"version": 2}\n'


def test_a_file_that_was_there_before_is_the_learners(course, tmp_path):
    dest = tmp_path / "work"
    dest.mkdir()
    (dest / "toy.ipynb").write_text("written before any copy")
    assert copy_exercises(course, dest).skipped == ["toy.ipynb"]
    assert (dest / "toy.ipynb").read_text() == "written before any copy"


def test_week_selection_and_errors(course, tmp_path):
    assert copy_exercises(course, tmp_path / "a", week=1).copied == ["toy.ipynb"]
    with pytest.raises(ValueError, match="week 2 has no released exercises"):
        copy_exercises(course, tmp_path / "b", week=2)
    with pytest.raises(ValueError, match="no week 12"):
        copy_exercises(course, tmp_path / "c", week=12)


def test_command_line(course, tmp_path):
    dest = tmp_path / "work"
    def run(*a):
        command = [sys.executable, "-m", "neuro4ml.course", "--root", str(course.root), "exercises", "--dest", str(dest), *a]
        return subprocess.run(command, capture_output=True, text=True)
    assert "copied: toy.ipynb" in run().stdout
    (dest / "toy.ipynb").write_text("mine")
    assert "skipped, because you have changed them: toy.ipynb" in run().stdout
    result = run("--week", "3")
    assert result.returncode == 2 and "week 3 has no released exercises" in result.stderr
