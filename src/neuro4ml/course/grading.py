"""An nbgrader course made from the exercise sources: ``neuro4ml nbgrader export DEST``.

The exercise sources already mark solution code with nbgrader's
``### BEGIN SOLUTION`` / ``### END SOLUTION``. :func:`export` writes the
*source* side of an nbgrader course directory::

    DEST/
      nbgrader_config.py
      source/week<N>/<notebook>.ipynb

Each notebook is the exercise source (without the Colab install cell: a hub
has the library installed) with nbgrader cell metadata (schema version 3):

- a code cell with solution regions becomes a **solution cell**
  (``solution: true``); its markers stay, for nbgrader's ``generate_assignment``
  to replace with its stub;
- a code cell that is one answer-check call, ``wN.check_x(...)``, becomes an
  **autograded test cell** (``grade: true``, ``points``) whose source asserts
  that the check passed: ``assert wN.check_x(...).passed``. The check still
  prints its feedback above the assertion, so a learner sees why points were lost;
- every other cell is **read-only** (``locked: true``): nbgrader restores it
  from the release version when it autogrades.

Only released weeks are exported (the outline decides, as for the site), unless
weeks are named. Exported files depend only on the sources, so exporting twice
gives the same bytes.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .notebooks import base_notebook, dumps, has_solution, is_setup_cell, read_source
from .outline import Outline
from .project import Project

SCHEMA_VERSION = 3
#: Points for one passed answer check.
POINTS_PER_CHECK = 1
#: Seconds a cell may run while autograding (nbgrader's default, 30 s, is too short for the sweeps).
CELL_TIMEOUT_S = 900
COURSE_ID = "neuro4ml"

CONFIG_TEMPLATE = '''\
# nbgrader configuration for the course "{title}".
# Written by `neuro4ml nbgrader export`; see the course's instructors' page.
c = get_config()  # noqa: F821 (nbgrader defines get_config)

c.CourseDirectory.course_id = "{course_id}"
# The assignments, one per exported week, are the folders under source/: {assignments}.
# Some exercise cells run for minutes (parameter sweeps, training); nbgrader's default is 30 s.
c.Execute.timeout = {timeout}
# Where `nbgrader release_assignment` and `collect` exchange files on a shared hub
# (every user must be able to read and write it). Uncomment and adapt:
# c.Exchange.root = "/srv/nbgrader/exchange"
'''


def assignment_name(week_number: int) -> str:
    """The nbgrader assignment that holds week ``week_number``'s notebooks."""
    return f"week{week_number}"


def _check_statement(code: str) -> tuple[str, str | None] | None:
    """``(check name, assigned name or None)`` when ``code`` is one answer-check call; else None.

    An answer-check call is ``wN.check_x(...)`` or ``name = wN.check_x(...)``.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    if len(tree.body) != 1:
        return None
    statement, target = tree.body[0], None
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        target = statement.targets[0].id
    elif not isinstance(statement, ast.Expr):
        return None
    call = statement.value
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return None
    module, name = call.func.value, call.func.attr
    if isinstance(module, ast.Name) and re.fullmatch(r"w\d+", module.id) and name.startswith("check_"):
        return name, target
    return None


def check_call(code: str) -> str | None:
    """The check's name when ``code`` is one answer-check call (its result perhaps assigned), else None."""
    found = _check_statement(code)
    return found[0] if found else None


def graded_source(code: str) -> str:
    """The test cell for a check cell: it passes only when the check did.

    A check whose result the notebook keeps (``ok = w4.check_x(...)``) keeps
    that name, for the cells below that use it.
    """
    found = _check_statement(code)
    if found is None:
        raise ValueError(f"not an answer-check cell: {code!r}")
    code = code.strip()
    comment = "# The check prints what is right or wrong; the cell passes only when the check did."
    message = '"this check has not passed yet (see its message above)"'
    if found[1] is None:
        return f"{comment}\nassert {code}.passed, {message}"
    return f"{comment}\n{code}\nassert {found[1]}.passed, {message}"


def _metadata(grade_id: str, *, solution: bool = False, grade: bool = False, locked: bool = False, points: int | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


@dataclass
class GradedNotebook:
    """An exported notebook and what it holds."""

    notebook: nbformat.NotebookNode
    checks: list[str] = field(default_factory=list)
    solution_cells: int = 0

    @property
    def points(self) -> int:
        return POINTS_PER_CHECK * len(self.checks)


def graded_notebook(source: nbformat.NotebookNode, outline: Outline, name: str) -> GradedNotebook:
    """``source`` (an exercise source) with nbgrader metadata on every cell; see the module docstring."""
    nb = base_notebook(source, outline)
    nb.cells = [c for c in nb.cells if not is_setup_cell(c)]
    result = GradedNotebook(nb)
    seen: dict[str, int] = {}
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
        check = check_call(cell.source) if cell.cell_type == "code" else None
        if cell.cell_type == "code" and has_solution(cell.source):
            cell.metadata["nbgrader"] = _metadata(f"solution-{i}", solution=True)
            result.solution_cells += 1
        elif check is not None:
            seen[check] = seen.get(check, 0) + 1
            grade_id = check if seen[check] == 1 else f"{check}-{seen[check]}"
            cell.source = graded_source(cell.source)
            cell.metadata["nbgrader"] = _metadata(grade_id, grade=True, locked=True, points=POINTS_PER_CHECK)
            result.checks.append(grade_id)
        else:
            cell.metadata["nbgrader"] = _metadata(f"given-{i}", locked=True)
    if not result.checks:
        raise ValueError(f"{name}: no answer-check cells (a cell holding only `wN.check_x(...)`), so nothing to grade")
    return result


@dataclass
class Export:
    """What :func:`export` wrote."""

    dest: Path
    notebooks: dict[str, GradedNotebook]  # "week1/w1-neurons" -> notebook

    def summary(self) -> str:
        lines = [f"wrote an nbgrader course in {self.dest}:"]
        for key, graded in self.notebooks.items():
            lines.append(f"  source/{key}.ipynb: {graded.solution_cells} solution cells, "
                         f"{len(graded.checks)} graded checks ({graded.points} points)")
        lines.append(f"next: cd {self.dest} && nbgrader generate_assignment <assignment> (e.g. {next(iter(self.notebooks)).split('/')[0]})")
        return "\n".join(lines)


def export(project: Project, dest: Path, weeks: list[int] | None = None) -> Export:
    """Write an nbgrader course directory for the released weeks (or the ``weeks`` named) into ``dest``."""
    outline = project.outline()
    by_number = {w.number: w for w in outline.weeks}
    if weeks:
        unknown = [n for n in weeks if n not in by_number]
        if unknown:
            raise ValueError(f"no week {unknown[0]} in the outline (weeks: {sorted(by_number)})")
        chosen = [by_number[n] for n in weeks]
        unreleased = [w.number for w in chosen if not w.exercises.released]
        if unreleased:
            raise ValueError(f"week {unreleased[0]} has no released exercises (release it in course.yml first)")
    else:
        chosen = [w for w in outline.weeks if w.exercises.released]
    if not chosen:
        raise ValueError("no week has released exercises: nothing to export")
    dest = Path(dest)
    written: dict[str, GradedNotebook] = {}
    for week in chosen:
        folder = dest / "source" / assignment_name(week.number)
        folder.mkdir(parents=True, exist_ok=True)
        for entry in week.exercises.notebooks:
            graded = graded_notebook(read_source(project.exercise_sources_dir / f"{entry.name}.md"), outline, entry.name)
            (folder / f"{entry.name}.ipynb").write_text(dumps(graded.notebook), encoding="utf-8")
            written[f"{assignment_name(week.number)}/{entry.name}"] = graded
    assignments = ", ".join(assignment_name(w.number) for w in chosen)
    config = CONFIG_TEMPLATE.format(title=outline.title, course_id=COURSE_ID, assignments=assignments, timeout=CELL_TIMEOUT_S)
    (dest / "nbgrader_config.py").write_text(config, encoding="utf-8")
    return Export(dest, written)
