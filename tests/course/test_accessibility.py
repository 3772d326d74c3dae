"""Every figure described: the check behind `neuro4ml check`, on the course and on made-up pages."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from neuro4ml.course.accessibility import alt_problem, checked_files, draws_figure, file_problems, problems
from neuro4ml.course.project import Project

PAGE = """\
---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A page

```{{code-cell}} ipython3
import numpy as np
```

Some text.

```{{code-cell}} ipython3
{meta}x = np.linspace(0, 1)
plt.plot(x, x**2)  # draws
plt.show()
```
"""

DESCRIBED = "---\nmystnb:\n  image:\n    alt: {alt}\n---\n"


def write_page(folder: Path, meta: str = "") -> Path:
    path = folder / "content" / "week3" / "page.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(meta=meta), encoding="utf-8")
    return path


def test_every_figure_of_the_course_is_described(project):
    assert [p.describe(project.root) for p in problems(project)] == []


def test_every_lecture_page_and_exercise_source_is_checked_including_new_ones(project, tmp_path):
    files = checked_files(project)
    assert project.content_dir / "week1" / "abstract-models.md" in files
    assert any(f.parent == project.exercise_sources_dir for f in files)
    # A page added later, in a week with no pages yet, is checked without registering it.
    page = write_page(tmp_path)
    assert page in checked_files(Project(tmp_path))


@pytest.mark.parametrize(
    "source, draws",
    [
        ("plt.plot(x, y)", True),
        ("fig, ax = plt.subplots()\nax.hist(x)", True),
        ("plot_td_errors(run.delta)", True),
        ("ax.imshow(image)", True),
        ("print(np.mean(x))  # no plt. here", False),
        ("# plt.plot(x) in a comment\nvalue = 3", False),
    ],
)
def test_which_cells_draw(source, draws):
    assert draws_figure(source) is draws


def test_a_figure_without_alt_text_is_named_with_its_file_and_cell(tmp_path):
    page = write_page(tmp_path)
    found = file_problems(page)
    assert len(found) == 1
    fence = [i + 1 for i, line in enumerate(page.read_text().splitlines()) if line.startswith("```{code-cell}")][1]
    assert found[0].cell == 2 and found[0].line == fence
    assert f"week3/page.md: code cell 2, line {fence}: draws a figure but has no alt text" in found[0].describe(tmp_path)


@pytest.mark.parametrize(
    "alt, complaint",
    [
        ("'../_images/ce6ec9.png'", "is a file name"),
        ("A plot", "too short"),
        ("'Membrane potential against time: the neuron fires regularly'", None),
        ('""', None),  # an empty alt text marks a decorative image, explicitly
    ],
)
def test_alt_texts_must_describe(tmp_path, alt, complaint):
    page = write_page(tmp_path, DESCRIBED.format(alt=alt))
    found = file_problems(page)
    if complaint is None:
        assert found == []
    else:
        assert len(found) == 1 and complaint in found[0].message


def test_missing_and_file_name_alt_texts_are_refused():
    assert "no alt text" in alt_problem(None)
    assert "file name" in alt_problem("fig.svg")
    assert alt_problem("") is None


def test_an_exercise_figure_drawn_by_a_helper_is_found_from_the_solution_outputs(project, tmp_path):
    """A figure the code pattern cannot see (a helper with an unknown name) is caught by the executed solution's image."""
    root = tmp_path / "course"
    (root / "content" / "exercises").mkdir(parents=True)
    (root / "solutions").mkdir()
    source = root / "content" / "exercises" / "w9-test.md"
    source.write_text(PAGE.format(meta="").replace("plt.plot(x, x**2)  # draws\nplt.show()", "draw_it(x)"), encoding="utf-8")
    assert file_problems(source, Project(root)) == []  # no solution notebook: the code alone decides
    solution = {
        "cells": [
            {"cell_type": "code", "metadata": {"tags": ["colab-setup"]}, "outputs": [], "source": ""},
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": "import numpy as np"},
            {"cell_type": "markdown", "metadata": {}, "source": "Some text."},
            {"cell_type": "code", "metadata": {}, "source": "draw_it(x)",
             "outputs": [{"output_type": "display_data", "data": {"image/png": "iVBOR"}}]},
        ]
    }
    (root / "solutions" / "w9-test.ipynb").write_text(json.dumps(solution), encoding="utf-8")
    found = file_problems(source, Project(root))
    assert [p.cell for p in found] == [2]


@pytest.mark.parametrize("command", ["check", "build"])
def test_check_and_build_fail_on_an_undescribed_figure(project, tmp_path, command):
    root = tmp_path / "course"
    shutil.copytree(project.root, root, ignore=shutil.ignore_patterns(
        ".venv", "_build", ".git", "test-artifacts", "node_modules", "__pycache__", "*.egg-info", ".pytest_cache"))
    page = root / "content" / "week2" / "synapses-2.md"
    text = page.read_text(encoding="utf-8")
    start = text.index("mystnb:")
    end = text.index("---", start)
    page.write_text(text[:start] + text[end:], encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "neuro4ml.course", "--root", str(root), command], capture_output=True, text=True)
    assert result.returncode == 1
    assert "content/week2/synapses-2.md: code cell 1" in result.stderr and "no alt text" in result.stderr
    assert not (root / "_build" / "html").exists()  # the build stops before Sphinx runs


def test_exercises_page_carries_the_alt_texts_of_its_source(project):
    import nbformat

    from neuro4ml.course.notebooks import exercises_page_path

    for week in project.outline().weeks:
        if not week.exercises.released:
            continue
        page = nbformat.read(exercises_page_path(project, week), as_version=4)
        images = [c for c in page.cells if c.cell_type == "code" and any("image/png" in o.get("data", {}) for o in c.outputs)]
        assert images, week.number
        for cell in images:
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt")
            assert alt_problem(alt) is None, (week.number, cell.source[:60])
