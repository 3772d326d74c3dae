"""Exercise notebook generation: stubs, solutions, the Colab cell, the exercises page."""

from __future__ import annotations

import textwrap

import nbformat
import pytest

from neuro4ml.course.notebooks import (
    ExerciseSourceError,
    colab_url,
    execute,
    find_regions,
    solution_code,
    student_code,
    student_notebook,
    solution_notebook,
)

FUNCTION = textwrap.dedent(
    """\
    def double(x):
        y = x
        ### BEGIN SOLUTION
        y = 2 * x
        ### END SOLUTION
        return y"""
)

TOP_LEVEL = textwrap.dedent(
    """\
    guess = 3
    ### BEGIN SOLUTION
    tau_ms, a = 12.0, 1.5
    best: float = tau_ms * a
    ### END SOLUTION
    print(guess)"""
)


def test_function_region_becomes_not_implemented():
    code = student_code(FUNCTION)
    assert 'raise NotImplementedError("complete double()")' in code
    assert "    # YOUR CODE HERE\n    raise" in code
    assert "2 * x" not in code and "BEGIN SOLUTION" not in code
    assert code.endswith("    return y")


def test_top_level_region_becomes_placeholders():
    code = student_code(TOP_LEVEL)
    assert code.splitlines() == ["guess = 3", "tau_ms, a = ..., ...  # YOUR CODE HERE", "best = ...  # YOUR CODE HERE", "print(guess)"]


def test_tuple_placeholder_unpacks():
    namespace = {}
    exec(student_code(TOP_LEVEL).replace("print(guess)", ""), namespace)
    assert namespace["tau_ms"] is Ellipsis and namespace["a"] is Ellipsis


def test_solution_keeps_the_code_and_drops_markers():
    assert solution_code(FUNCTION) == "def double(x):\n    y = x\n    y = 2 * x\n    return y"


@pytest.mark.parametrize(
    "code, message",
    [
        ("### BEGIN SOLUTION\nx = 1", "line 1: '### BEGIN SOLUTION' is never closed"),
        ("x = 1\n### END SOLUTION", "line 2: '### END SOLUTION' without"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "line 2: '### BEGIN SOLUTION' inside another"),
    ],
)
def test_unbalanced_markers_are_reported_with_their_line(code, message):
    with pytest.raises(ExerciseSourceError, match=message):
        find_regions(code, "w9.md, code cell 3")


def toy_source():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Toy exercise\n\nDouble a number."),
        nbformat.v4.new_code_cell(FUNCTION),
        nbformat.v4.new_code_cell(
            "from neuro4ml.check.core import check, call, as_array, Feedback\n"
            "@check('double')\n"
            "def check_double(fn):\n"
            "    if as_array(call(fn, 'double', 2.0), 'double(2)') != 4:\n"
            "        raise Feedback('double(2) should be 4')\n"
            "    yield 'double(2) == 4'\n"
            "check_double(double)"
        ),
    ]
    return nb


def test_generated_notebooks_run_student_reports_not_implemented(project):
    outline = project.outline()
    student = student_notebook(toy_source(), outline, "toy")
    solution = solution_notebook(toy_source(), outline, "toy")
    assert "google.colab" in student.cells[1].source and "google.colab" in solution.cells[1].source
    assert outline.repository in student.cells[1].source
    student_out = "".join(o.get("text", "") for c in execute(student).cells if c.cell_type == "code" for o in c.outputs)
    solution_out = "".join(o.get("text", "") for c in execute(solution).cells if c.cell_type == "code" for o in c.outputs)
    assert "double: not implemented yet" in student_out
    assert "double: passed" in solution_out


def test_colab_url_points_at_the_committed_student_notebook(project):
    outline = project.outline()
    url = colab_url(outline, "w1-neurons")
    assert url == f"https://colab.research.google.com/github/{outline.repository_slug}/blob/{outline.branch}/exercises/w1-neurons.ipynb"
