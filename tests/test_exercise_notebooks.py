"""Every released exercise: generated files current, solutions hidden from students, both versions run."""

from __future__ import annotations

import copy

import nbformat
import pytest

from neuro4ml.course.notebooks import execute, find_regions, read_source
from neuro4ml.course.project import Project

pytestmark = pytest.mark.notebooks

PROJECT = Project.find(__file__)
NOTEBOOKS = [nb.name for _, nb in PROJECT.outline(check_pages=False).notebooks()]


def solution_lines(name: str) -> set[str]:
    """The meaningful lines inside the solution regions of an exercise source."""
    lines = set()
    for cell in read_source(PROJECT.exercise_sources_dir / f"{name}.md").cells:
        if cell.cell_type != "code":
            continue
        code = cell.source.splitlines()
        for region in find_regions(cell.source):
            for line in code[region.start + 1 : region.end]:
                stripped = line.strip()
                if stripped and not stripped.startswith("#") and len(stripped) > 3:
                    lines.add(stripped)
    return lines


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_solution_line_appears_in_the_student_notebook(name):
    student = nbformat.read(PROJECT.exercises_dir / f"{name}.ipynb", as_version=4)
    student_lines = {line.strip() for cell in student.cells for line in cell.source.splitlines()}
    leaked = solution_lines(name) & student_lines
    assert solution_lines(name), f"{name} has no solution regions"
    assert not leaked, f"solution lines in the student notebook: {sorted(leaked)}"


def _errors(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_untouched_student_notebook_runs_to_its_last_cell(name):
    """"Run All" on the student notebook as released reaches the end: no cell raises, not even
    NotImplementedError (every demo cell that uses a learner's answer is guarded), every code cell
    runs, and every check says "not implemented yet".
    """
    nb = execute(copy.deepcopy(nbformat.read(PROJECT.exercises_dir / f"{name}.ipynb", as_version=4)), allow_errors=True)
    raised = [
        f"cell {i}: {o['ename']}: {o['evalue']}"
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert not raised, f"{name}: Run All stops in the student notebook: {raised}"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), f"{name}: some code cells did not run"
    verdicts = [line for c in nb.cells if c.cell_type == "code" for line in _text(c).splitlines() if line[:1] and line[:1] in "✅❌⏳"]
    assert verdicts, f"{name}: no check ran in the student notebook"
    assert all("not implemented yet" in v for v in verdicts), verdicts


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_solution_notebook_runs_and_every_check_passes(name):
    nb = execute(copy.deepcopy(nbformat.read(PROJECT.solutions_dir / f"{name}.ipynb", as_version=4)))
    assert not _errors(nb)
    verdicts = [line for c in nb.cells if c.cell_type == "code" for line in _text(c).splitlines() if line[:1] and line[:1] in "✅❌⏳"]
    assert verdicts and all(v.startswith("✅") for v in verdicts), verdicts
