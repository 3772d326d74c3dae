"""`neuro4ml nbgrader export`: an nbgrader course from the exercise sources, proven by nbgrader itself.

The fast tests read the exported notebooks; the slow one (marked ``notebooks``)
runs nbgrader's own ``generate_assignment`` and ``autograde`` on the export and
asserts full marks for the solution and zero for the untouched student
notebook. It took 5 min 20 s for week 1 on a busy 2-core machine (most of
it executing the notebook twice).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from neuro4ml.course.grading import assignment_name, check_call, export, graded_source
from neuro4ml.course.notebooks import BEGIN, COLAB_TAG, END

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def exported(tmp_path_factory, project):
    return export(project, tmp_path_factory.mktemp("nbgrader") / "course")


def test_check_cells_are_recognised():
    assert check_call("w1.check_lif(lif)") == "check_lif"
    assert check_call("ok = w4.check_stdp(stdp_weight_change)\n") == "check_stdp"
    # Not a check cell: other code around the call, another module, or not a check.
    assert check_call("w1.check_lif(lif)\nprint(1)") is None
    assert check_call("np.check_lif(lif)") is None
    assert check_call("w1.lif(I)") is None
    assert check_call("a, b = w1.check_lif(lif)") is None
    assert check_call("this is not python") is None


def test_graded_source_asserts_that_the_check_passed():
    # The assertion is exercised on real objects: a passing and a failing result.
    class Result:
        def __init__(self, passed):
            self.passed = passed

    class W1:
        @staticmethod
        def check_lif(fn):
            return Result(fn())

    for code in ("w1.check_lif(lif)", "lif_ok = w1.check_lif(lif)"):
        exec(graded_source(code), {"w1": W1, "lif": lambda: True})
        with pytest.raises(AssertionError):
            exec(graded_source(code), {"w1": W1, "lif": lambda: False})
    namespace = {"w1": W1, "lif": lambda: True}
    exec(graded_source("lif_ok = w1.check_lif(lif)"), namespace)
    assert namespace["lif_ok"].passed  # the name the notebook uses later still exists


def test_export_writes_an_nbgrader_course(exported, project):
    released = [w for w in project.outline().weeks if w.exercises.released]
    assert (exported.dest / "nbgrader_config.py").is_file()
    for week in released:
        for entry in week.exercises.notebooks:
            path = exported.dest / "source" / assignment_name(week.number) / f"{entry.name}.ipynb"
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
            meta = [c.metadata["nbgrader"] for c in nb.cells]
            assert all(m["schema_version"] == 3 for m in meta)
            ids = [m["grade_id"] for m in meta]
            assert len(ids) == len(set(ids)), "grade ids must be unique within a notebook"
            solutions = [c for c in nb.cells if c.metadata["nbgrader"]["solution"]]
            graded = [c for c in nb.cells if c.metadata["nbgrader"]["grade"]]
            assert solutions and graded
            # Solution cells keep nbgrader's markers, for generate_assignment to replace.
            assert all(BEGIN in c.source and END in c.source for c in solutions)
            # Every answer check in the source became a test cell with points, and nothing else did.
            source_text = (project.exercise_sources_dir / f"{entry.name}.md").read_text()
            assert len(graded) == source_text.count(".check_")
            assert all("assert " in c.source and ".passed" in c.source and c.metadata["nbgrader"]["points"] > 0 for c in graded)
            # No generated Colab install cell: a hub has the library installed. (An exercise's own
            # cell may still mention Colab, e.g. week 7's data cell, which also loads the data.)
            assert not any(COLAB_TAG in c.metadata.get("tags", []) or "%pip install" in c.source for c in nb.cells)


def test_export_is_reproducible(exported, project, tmp_path):
    again = export(project, tmp_path / "again")
    for key in exported.notebooks:
        assert (again.dest / "source" / f"{key}.ipynb").read_bytes() == (exported.dest / "source" / f"{key}.ipynb").read_bytes()


def test_export_refuses_unknown_or_unreleased_weeks(project, tmp_path):
    with pytest.raises(ValueError, match="no week 42"):
        export(project, tmp_path, weeks=[42])
    unreleased = next(w.number for w in project.outline().weeks if not w.exercises.released)
    with pytest.raises(ValueError, match="no released exercises"):
        export(project, tmp_path, weeks=[unreleased])


def test_nbgrader_recognises_the_cells(exported):
    utils = pytest.importorskip("nbgrader.utils", reason="nbgrader is not installed (pip install -e '.[grading]')")
    nb = nbformat.read(exported.dest / "source" / "week1" / "w1-neurons.ipynb", as_version=4)
    assert sum(utils.is_solution(c) for c in nb.cells) == exported.notebooks["week1/w1-neurons"].solution_cells
    assert sum(utils.is_grade(c) for c in nb.cells) == len(exported.notebooks["week1/w1-neurons"].checks)
    assert sum(utils.is_locked(c) for c in nb.cells) == len(nb.cells) - exported.notebooks["week1/w1-neurons"].solution_cells


def _run(args: list[str], cwd: Path) -> str:
    """Run a command the way an instructor would, with this Python's scripts first on the PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = f"{ROOT / 'src'}{os.pathsep}{env.get('PYTHONPATH', '')}"
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout + result.stderr


@pytest.mark.notebooks
def test_nbgrader_round_trip_full_marks_for_the_solution_zero_for_the_student(tmp_path):
    pytest.importorskip("nbgrader", reason="nbgrader is not installed (pip install -e '.[grading]')")
    from nbgrader.api import Gradebook

    bindir = Path(sys.executable).parent
    course = tmp_path / "course"
    _run([str(bindir / "neuro4ml"), "--root", str(ROOT), "nbgrader", "export", str(course), "--week", "1"], cwd=tmp_path)
    _run([str(bindir / "nbgrader"), "generate_assignment", "week1"], cwd=course)
    released = course / "release" / "week1" / "w1-neurons.ipynb"
    assert "raise NotImplementedError()" in released.read_text() and BEGIN not in released.read_text()
    # Two submissions: the instructor's solution (the source) and a student who changed nothing.
    for student, notebook in (("solution", course / "source" / "week1" / "w1-neurons.ipynb"), ("untouched", released)):
        (course / "submitted" / student / "week1").mkdir(parents=True)
        shutil.copy(notebook, course / "submitted" / student / "week1" / "w1-neurons.ipynb")
    _run([str(bindir / "nbgrader"), "autograde", "week1"], cwd=course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        solution = gradebook.find_submission("week1", "solution")
        untouched = gradebook.find_submission("week1", "untouched")
        assert solution.max_score == 4  # week 1's four answer checks, one point each
        assert solution.score == solution.max_score
        assert untouched.score == 0


# --- the instructors' page (content/instructors.md) ----------------------------------

PAGE = ROOT / "content" / "instructors.md"
# The page's commands that run here, each run by a test in this module: the first
# three by the round trip above (export with --root, as the page's is run from the checkout).
TESTED_ON_THE_PAGE = [
    "neuro4ml nbgrader export course",
    "nbgrader generate_assignment week1",
    "nbgrader autograde week1",
    "neuro4ml check",
]
INSTALL = 'pip install -c constraints.txt ".[exercises,grading,hub]"'


def test_the_instructors_page_shows_the_commands_the_tests_run():
    text = PAGE.read_text(encoding="utf-8")
    for command in TESTED_ON_THE_PAGE + [INSTALL]:
        assert command in text, f"the instructors' page no longer shows `{command}`: update the tests with it"


def test_the_install_command_names_extras_that_exist_and_a_pinned_nbgrader():
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert {"exercises", "grading"} <= set(extras)
    assert any(req.startswith("nbgrader") for req in extras["grading"])
    assert "grading" in extras["dev"][0], "CI (the dev extra) must install nbgrader for the round trip"
    assert any(line.startswith("nbgrader==") for line in (ROOT / "constraints.txt").read_text().splitlines())


def test_neuro4ml_check_runs_as_on_the_page():
    # Whether the generated files are in sync is tested elsewhere (tests/course/test_generate.py);
    # here: the command the page shows runs from the checkout and validates the outline.
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    result = subprocess.run([str(Path(sys.executable).parent / "neuro4ml"), "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    assert "outline ok" in result.stdout


def test_every_answer_check_in_the_sources_is_alone_in_its_cell(project):
    """A check sharing its cell with other code is not graded by nbgrader: keep each check call alone."""
    from neuro4ml.course.grading import check_call
    from neuro4ml.course.notebooks import read_source

    for path in sorted(project.exercise_sources_dir.glob("*.md")):
        for cell in read_source(path).cells:
            if cell.cell_type == "code" and ".check_" in cell.source:
                assert check_call(cell.source), f"{path.name}: a check shares its cell with other code:\n{cell.source}"
