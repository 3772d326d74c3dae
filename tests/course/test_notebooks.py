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
    solution_notebook,
    student_code,
    student_notebook,
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


# --- Colab: the install cell -----------------------------------------------------------

import importlib.metadata
import re
import sys
import tomllib
from dataclasses import replace

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from neuro4ml.course.notebooks import COLAB_EXTRA, COLAB_TAG, SolutionNotebook, colab_extra, dumps, exercises_page_path, fingerprint

# Packages that must never be installed or upgraded in Colab: it pins its own kernel, and
# upgrading it (or what it depends on) forces a restart of the runtime.
COLAB_FORBIDDEN = {
    "ipykernel", "ipython", "jupyter-client", "jupyter-core", "jupytext", "nbformat", "nbclient", "notebook", "tornado", "pyzmq"
}
# What Google Colab provides already (its preinstalled packages, a subset that the course may
# use). The library's core needs nothing else. A week's extra still lists everything its notebook
# imports beyond the core (a lower bound that Colab meets installs nothing), so that
# neuro4ml[w<N>] runs that week anywhere; tests/test_colab_install.py measures what it adds in Colab.
COLAB_PREINSTALLED = {"numpy", "scipy", "matplotlib", "pyyaml", "pandas", "torch", "scikit-learn", "statsmodels", "networkx", "seaborn"}


def _pyproject(project) -> dict:
    return tomllib.loads((project.root / "pyproject.toml").read_text())["project"]


def _closure(project, requirements: list[str]) -> set[str]:
    """Every distribution that installing ``requirements`` pulls in (markers evaluated for this Python).

    The project's own extras are read from pyproject.toml; other packages' requirements
    from the metadata of their installed versions (those of constraints.txt).
    """
    meta = _pyproject(project)
    seen: set[tuple[str, tuple[str, ...]]] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        key = (name, tuple(sorted(req.extras)))
        if key in seen:
            continue
        seen.add(key)
        if name == "neuro4ml":
            children = [*meta["dependencies"], *(r for extra in req.extras for r in meta["optional-dependencies"][extra])]
        else:
            children = importlib.metadata.requires(req.name) or []
        for child in map(Requirement, children):
            # A child's marker may name one of the extras asked for ("; extra == 'plotting'").
            if child.marker is None or any(child.marker.evaluate({"extra": e}) for e in (req.extras or {""})):
                todo.append(child)
    return {name for name, _ in seen}


def _install_requirement(cell_source: str) -> str:
    match = re.search(r'%pip install --quiet "([^"]+)"', cell_source)
    assert match, cell_source
    return match.group(1)


def _generated_notebooks(project):
    for week, entry in project.outline().notebooks():
        for folder in (project.exercises_dir, project.solutions_dir):
            yield week, folder / f"{entry.name}.ipynb"


def test_the_install_cell_is_the_first_code_cell_of_every_generated_notebook(project):
    outline = project.outline()
    paths = list(_generated_notebooks(project))
    assert paths
    for week, path in paths:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert COLAB_TAG in code[0].metadata.get("tags", []), path
        requirement = Requirement(_install_requirement(code[0].source))
        assert requirement.name == "neuro4ml" and requirement.extras == {f"w{week.number}"}, path
        assert requirement.url == f"git+{outline.repository}@{outline.branch}", path
        assert not any("pip install" in c.source for c in code[1:]), f"{path}: a second install cell"


def test_the_colab_extras_install_no_jupyter_package(project):
    installed = _closure(project, [f"neuro4ml[{COLAB_EXTRA}]"])
    assert {"cma", "nitime"} <= installed
    assert not installed & COLAB_FORBIDDEN, installed & COLAB_FORBIDDEN
    # `colab` is every week's extra; the data packages are no week's (their data ship with the library).
    weeks = [week.number for week, _ in project.outline().notebooks()]
    assert installed == _closure(project, [f"neuro4ml[{','.join(colab_extra(w) for w in weeks)}]"])
    assert not installed & {"cect", "c302", "tvb-data", "brainspace", "hssm", "vtk"}
    # The library's own requirements are already in Colab: the cell adds only the extra's packages.
    assert {canonicalize_name(Requirement(r).name) for r in _pyproject(project)["dependencies"]} <= COLAB_PREINSTALLED


def test_the_exercises_extra_is_the_colab_extra_and_local_jupyter_tools(project):
    installed = _closure(project, ["neuro4ml[exercises]"])
    assert _closure(project, [f"neuro4ml[{COLAB_EXTRA}]"]) <= installed
    assert {"ipykernel", "jupytext", "nbformat"} <= installed


def _imports(code: str) -> set[str]:
    import ast

    # IPython magics (the install cell's %pip) are not Python: read them as `pass`.
    lines = [re.sub(r"^(\s*)[%!].*", r"\1pass", line) for line in code.splitlines()]
    tree = ast.parse("\n".join(lines))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_colab_has_every_package_the_exercise_notebooks_import(project):
    """Each import of an exercise is the standard library, the course library, or installed by its week's extra."""
    distributions = importlib.metadata.packages_distributions()
    missing = {}
    for week, entry in project.outline().notebooks():
        installed = _closure(project, [f"neuro4ml[{colab_extra(week.number)}]"])
        solved = nbformat.read(project.solutions_dir / f"{entry.name}.ipynb", as_version=4)
        for module in set().union(*(_imports(c.source) for c in solved.cells if c.cell_type == "code")):
            if module in sys.stdlib_module_names or module == "neuro4ml":
                continue
            dists = {canonicalize_name(d) for d in distributions.get(module, [module])}
            if not dists & installed:
                missing.setdefault(entry.name, set()).add(module)
    assert not missing, f"imported but not in the week's extra (add them to w<N> in pyproject.toml): {missing}"


def test_pointing_the_outline_at_a_fork_rewrites_the_install_cell_without_executing(project, tmp_path, monkeypatch):
    import neuro4ml.course.notebooks as notebooks

    outline = project.outline()
    path = tmp_path / "toy.ipynb"
    stored = solution_notebook(toy_source(), outline, "toy")
    stored.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="double: passed\n")]
    stored.metadata["neuro4ml"] = {"fingerprint": fingerprint(stored)}
    path.write_text(dumps(stored))
    assert SolutionNotebook(path, solution_notebook(toy_source(), outline, "toy")).is_current()

    fork = replace(outline, repository="https://github.com/someone/neuro4ml-fork", branch="teaching")
    target = SolutionNotebook(path, solution_notebook(toy_source(), fork, "toy"))
    assert not target.is_current()
    monkeypatch.setattr(notebooks, "execute", lambda *a, **k: pytest.fail("executed again for a new repository"))
    assert target.write() and target.is_current()
    written = nbformat.read(path, as_version=4)
    assert "git+https://github.com/someone/neuro4ml-fork@teaching" in written.cells[1].source
    assert written.cells[2].outputs[0]["text"] == "double: passed\n"


def test_the_repository_is_written_once_in_the_outline_and_links_follow_it(project, tmp_path):
    import yaml

    from neuro4ml.course.outline import parse_outline

    raw = yaml.safe_load(project.outline_file.read_text())
    outline_text = project.outline_file.read_text()
    assert outline_text.count(raw["repository"]) == 1
    raw.update(repository="https://github.com/someone/fork", branch="teaching")
    links = {link.title: link.url for link in parse_outline(raw).links}
    assert links["Exercises"] == "https://github.com/someone/fork/tree/teaching/exercises"


# --- the exercises page: the solution's stored outputs, never executed again --------------


def test_exercises_pages_show_the_stored_solution_outputs_and_are_not_executed(project):
    outline = project.outline()
    for week in outline.weeks:
        if not week.exercises.released:
            continue
        assert not (project.content_dir / f"{week.exercises_page}.md").exists(), "an old, executed exercises page is left"
        page = nbformat.read(exercises_page_path(project, week), as_version=4)
        assert page.metadata["mystnb"]["execution_mode"] == "off"
        page_outputs = {c.source: c.outputs for c in page.cells if c.cell_type == "code"}
        for entry in week.exercises.notebooks:
            solved = nbformat.read(project.solutions_dir / f"{entry.name}.ipynb", as_version=4)
            shown = [c for c in solved.cells if c.cell_type == "code" and c.outputs]
            assert shown, f"{entry.name}: the solution notebook has no outputs"
            for cell in shown:
                assert page_outputs.get(cell.source) == cell.outputs, f"{week.exercises_page}: outputs of {cell.source[:60]!r}"
