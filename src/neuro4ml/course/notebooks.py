"""Exercise notebooks: one source, three generated forms.

An exercise is authored once, as a MyST Markdown text notebook
``content/exercises/<name>.md`` whose code cells mark solution code with
nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION``. From it we generate

- the **student** notebook ``exercises/<name>.ipynb``: each solution region is
  replaced by a stub (:func:`student_code`), outputs are empty;
- the **solution** notebook ``solutions/<name>.ipynb``: the markers dropped
  (:func:`solution_code`), executed;
- the week's **exercises page** ``content/week<N>/exercises.ipynb`` for the site:
  the task text, an "Open in Colab" link, downloads, and each solution behind a
  fold labelled "Show solution", with the outputs stored in the executed solution
  notebook (the site build does not run the solution code again).

Every notebook starts with a cell that installs the library when it runs in
Colab and does nothing elsewhere. The solution notebook records the SHA-256 of
its unexecuted form, so ``neuro4ml check`` knows when it is stale without
executing it.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .outline import EXERCISES_PAGE_SUFFIX, Notebook, Outline, Week
from .project import Project
from .targets import Generated, Obsolete

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB_COMMENT = "# YOUR CODE HERE"
METADATA_KEY = "neuro4ml"
COLAB_URL = "https://colab.research.google.com/github/{slug}/blob/{branch}/exercises/{name}.ipynb"
# The optional extra of pyproject.toml that the Colab cell installs: only what Colab lacks.
COLAB_EXTRA = "colab"
COLAB_TAG = "colab-setup"


class ExerciseSourceError(ValueError):
    """An exercise source is malformed (e.g. unbalanced solution markers)."""


# --- solution regions ----------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """Lines ``start`` to ``end`` (the marker lines, inclusive) of a cell, and their indentation."""

    start: int
    end: int
    indent: str


def find_regions(code: str, where: str = "cell") -> list[Region]:
    """The solution regions of a code cell, checking that the markers pair up."""
    regions, start = [], None
    for i, line in enumerate(code.splitlines()):
        marker = line.strip()
        if marker == BEGIN:
            if start is not None:
                raise ExerciseSourceError(f"{where}: line {i + 1}: '{BEGIN}' inside another solution region")
            start, indent = i, line[: len(line) - len(line.lstrip())]
        elif marker == END:
            if start is None:
                raise ExerciseSourceError(f"{where}: line {i + 1}: '{END}' without a '{BEGIN}'")
            regions.append(Region(start, i, indent))
            start = None
    if start is not None:
        raise ExerciseSourceError(f"{where}: line {start + 1}: '{BEGIN}' is never closed by '{END}'")
    return regions


def has_solution(code: str) -> bool:
    return any(line.strip() == BEGIN for line in code.splitlines())


def _enclosing_function(lines: list[str], region: Region) -> str | None:
    for line in reversed(lines[: region.start]):
        match = re.match(r"^(\s*)def\s+(\w+)\s*\(", line)
        if match and len(match.group(1)) < len(region.indent):
            return match.group(2)
    return None


def _assigned_names(body: str, where: str) -> list[str]:
    """Targets assigned at the top level of ``body``, as written (``a, b`` stays ``a, b``)."""
    try:
        tree = ast.parse(body)
    except SyntaxError as exc:
        raise ExerciseSourceError(f"{where}: the solution region is not valid Python: {exc}") from None
    def written(target: ast.expr) -> str:
        if isinstance(target, ast.Tuple):
            return ", ".join(ast.unparse(t) for t in target.elts)
        return ast.unparse(target)

    targets = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets += [written(t) for t in node.targets]
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets.append(written(node.target))
    return list(dict.fromkeys(targets))


def _stub(lines: list[str], region: Region, where: str) -> list[str]:
    body = "\n".join(line[len(region.indent):] for line in lines[region.start + 1 : region.end])
    if region.indent:
        name = _enclosing_function(lines, region)
        task = f"complete {name}()" if name else "write this part"
        return [f"{region.indent}{STUB_COMMENT}", f'{region.indent}raise NotImplementedError("{task}")']
    targets = _assigned_names(body, where)
    if not targets:
        return [STUB_COMMENT]
    return [f"{target} = {', '.join(['...'] * (target.count(',') + 1))}  {STUB_COMMENT}" for target in targets]


def student_code(code: str, where: str = "cell") -> str:
    """``code`` with each solution region replaced by a stub.

    Inside a function the stub raises ``NotImplementedError``; at the top level
    each assigned name becomes ``name = ...`` (``a, b = ..., ...`` for a tuple),
    the placeholder the checks recognise.
    """
    lines = code.splitlines()
    out, last = [], 0
    for region in find_regions(code, where):
        out += lines[last : region.start] + _stub(lines, region, where)
        last = region.end + 1
    return "\n".join(out + lines[last:])


def solution_code(code: str, where: str = "cell") -> str:
    """``code`` without the marker lines."""
    drop = {i for r in find_regions(code, where) for i in (r.start, r.end)}
    return "\n".join(line for i, line in enumerate(code.splitlines()) if i not in drop)


# --- notebooks -----------------------------------------------------------------------


def read_source(path: Path) -> nbformat.NotebookNode:
    import jupytext

    return jupytext.read(path, fmt="md:myst")


def colab_requirement(outline: Outline) -> str:
    """What the Colab cell installs: the library from the outline's repository, with its light extra."""
    return f"neuro4ml[{COLAB_EXTRA}] @ git+{outline.repository}@{outline.branch}"


def colab_cell(outline: Outline) -> nbformat.NotebookNode:
    """The first code cell: install the library in Colab (nothing elsewhere), then use the course's plot style.

    It installs the ``colab`` extra, which holds only what Colab lacks: Colab pins
    its own Jupyter kernel, and upgrading ``ipykernel`` (or what it depends on)
    there forces a restart of the runtime. Then :func:`neuro4ml.plotting.style.use` gives
    every figure of the notebook the colour-blind-safe palette of the lecture pages.
    """
    source = (
        "# Running in Google Colab? This cell installs the course library there (elsewhere it installs nothing).\n"
        "import importlib\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install --quiet "{colab_requirement(outline)}"\n'
        "    importlib.invalidate_caches()  # so that the import below finds the library just installed\n"
        "\n"
        "import neuro4ml.plotting.style\n"
        "\n"
        "neuro4ml.plotting.style.use()  # colours that colour-blind readers can tell apart, in every figure below"
    )
    return nbformat.v4.new_code_cell(source, metadata={"tags": [COLAB_TAG]})


def _base(source: nbformat.NotebookNode, outline: Outline) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    cells = [copy.deepcopy(c) for c in source.cells]
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))
    cells.insert(first_code, colab_cell(outline))
    for cell in cells:
        cell.pop("id", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.cells = cells
    return nb


def _transform(nb: nbformat.NotebookNode, name: str, transform) -> nbformat.NotebookNode:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.source = transform(cell.source, f"{name}, code cell {i}")
    _number_cells(nb)
    return nb


def _number_cells(nb: nbformat.NotebookNode) -> None:
    # Stable ids keep the generated files identical from one generation to the next.
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"


def student_notebook(source: nbformat.NotebookNode, outline: Outline, name: str) -> nbformat.NotebookNode:
    return _transform(_base(source, outline), name, student_code)


def solution_notebook(source: nbformat.NotebookNode, outline: Outline, name: str) -> nbformat.NotebookNode:
    return _transform(_base(source, outline), name, solution_code)


def dumps(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def _is_setup(cell: nbformat.NotebookNode) -> bool:
    return COLAB_TAG in cell.metadata.get("tags", [])


def fingerprint(nb: nbformat.NotebookNode) -> str:
    """SHA-256 of a notebook's unexecuted content, the Colab install cell left out.

    That cell does nothing outside Colab, so pointing the course at another
    repository changes it without calling for the notebook to be executed again.
    """
    cells = [{"type": c.cell_type, "source": c.source, "tags": c.metadata.get("tags", [])} for c in nb.cells if not _is_setup(c)]
    return hashlib.sha256(json.dumps(cells, sort_keys=True).encode()).hexdigest()


def execute(nb: nbformat.NotebookNode, *, allow_errors: bool = False, timeout_s: int = 900, cwd: Path | None = None) -> nbformat.NotebookNode:
    """Execute ``nb`` in a fresh Python kernel (in a temporary folder unless ``cwd`` is given)."""
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory() as tmp:
        client = NotebookClient(
            nb,
            timeout=timeout_s,
            kernel_name="python3",
            allow_errors=allow_errors,
            resources={"metadata": {"path": str(cwd or tmp)}},
        )
        client.execute()
    return nb


# --- the week's exercises page -------------------------------------------------------
#
# The page is a notebook, ``content/week<N>/exercises.ipynb``, made from the exercise
# sources and the stored outputs of the executed solution notebooks. Its metadata tell
# myst-nb not to execute it: the solution code runs once, when `neuro4ml generate`
# executes the solution notebook, never again in the site build.

SOLUTION_PROMPTS = {"code_prompt_show": "Show solution", "code_prompt_hide": "Hide solution"}
NO_EXECUTION = {"execution_mode": "off"}


def colab_url(outline: Outline, name: str) -> str:
    return COLAB_URL.format(slug=outline.repository_slug, branch=outline.branch, name=name)


def _demote_headings(markdown: str) -> str:
    return re.sub(r"^(#{1,5}) ", r"#\1 ", markdown, flags=re.MULTILINE)


def exercises_page_path(project: Project, week: Week) -> Path:
    return project.content_dir / f"{week.exercises_page}{EXERCISES_PAGE_SUFFIX}"


def exercises_page(week: Week, outline: Outline, project: Project) -> nbformat.NotebookNode:
    """The notebook ``content/week<N>/exercises.ipynb``: tasks, links, and each solution folded with its outputs."""
    sources = ", ".join(f"content/exercises/{nb.name}.md" for nb in week.exercises.notebooks)
    note = f"<!-- Generated by `neuro4ml generate` from {sources}, solutions/ and course.yml: edit those, not this file. -->"
    intro = (
        f"{note}\n\n# Week {week.number} exercises\n\n"
        "Work through the notebook in Colab or on your own machine (`neuro4ml exercises --week "
        f"{week.number}` copies it into a working folder). The checks in the notebook tell you "
        "what is right and what is not; the solutions below are folded: try first."
    )
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "mystnb": dict(NO_EXECUTION),
    }
    nb.cells = [nbformat.v4.new_markdown_cell(intro)]
    for entry in week.exercises.notebooks:
        nb.cells += _notebook_section(entry, outline, project)
    _number_cells(nb)
    return nb


def stored_solution(project: Project, outline: Outline, name: str, source: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    """The executed solution notebook on disk, or None when it is missing or out of date with ``source``."""
    return SolutionNotebook(project.solutions_dir / f"{name}.ipynb", solution_notebook(source, outline, name)).stored()


def _outputs_by_cell(source: nbformat.NotebookNode, solved: nbformat.NotebookNode | None) -> list[list]:
    """The stored outputs of each source cell (empty lists when there is no current solution notebook)."""
    if solved is None:
        return [[] for _ in source.cells]
    cells = [c for c in solved.cells if COLAB_TAG not in c.metadata.get("tags", [])]
    if len(cells) != len(source.cells):
        raise ExerciseSourceError(f"the solution notebook has {len(cells)} cells, its source {len(source.cells)}: run `neuro4ml generate`")
    return [list(c.get("outputs", [])) for c in cells]


def _figure_metadata(cell: nbformat.NotebookNode) -> dict:
    """The source cell's description of its figure (``mystnb: image`` / ``figure``), for the page's copy of the cell."""
    mystnb = cell.metadata.get("mystnb", {})
    return {key: copy.deepcopy(mystnb[key]) for key in ("image", "figure") if key in mystnb}


def _notebook_section(entry: Notebook, outline: Outline, project: Project) -> list[nbformat.NotebookNode]:
    source = read_source(project.exercise_sources_dir / f"{entry.name}.md")
    where = f"content/exercises/{entry.name}.md"
    outputs = _outputs_by_cell(source, stored_solution(project, outline, entry.name, source))
    links = (
        f"## {entry.title}\n\n"
        f'<a class="neuro4ml-colab" href="{colab_url(outline, entry.name)}">Open in Colab</a>\n'
        f"{{download}}`Download the student notebook <../../exercises/{entry.name}.ipynb>` · "
        f"{{download}}`the solution notebook <../../solutions/{entry.name}.ipynb>`"
    )
    cells = [nbformat.v4.new_markdown_cell(links)]
    for i, cell in enumerate(source.cells):
        if cell.cell_type == "markdown":
            text = _demote_headings(cell.source)
            # The notebook's own title repeats the section heading above.
            text = re.sub(r"^## .*\n*", "", text) if i == 0 else text
            if text.strip():
                cells.append(nbformat.v4.new_markdown_cell(text))
        elif cell.cell_type == "code" and has_solution(cell.source):
            cell_where = f"{where}, code cell {i}"
            cells.append(nbformat.v4.new_code_cell(student_code(cell.source, cell_where)))
            solution = nbformat.v4.new_code_cell(
                solution_code(cell.source, cell_where),
                metadata={"tags": ["hide-input"], "mystnb": {**SOLUTION_PROMPTS, **_figure_metadata(cell)}},
            )
            solution.outputs = copy.deepcopy(outputs[i])
            cells.append(solution)
        elif cell.cell_type == "code":
            figure = _figure_metadata(cell)
            shown = nbformat.v4.new_code_cell(cell.source, metadata={"mystnb": figure} if figure else {})
            shown.outputs = copy.deepcopy(outputs[i])
            cells.append(shown)
    return cells


# --- generated targets ---------------------------------------------------------------


def _replaced_setup(stored: nbformat.NotebookNode, expected: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The expected install cell, unless the stored one already has its code (then kept, with its outputs)."""
    return stored if stored.source == expected.source else copy.deepcopy(expected)


@dataclass(frozen=True)
class SolutionNotebook:
    """A generated solution notebook: current when its fingerprint matches the source's
    and its Colab install cell is the expected one."""

    path: Path
    expected: nbformat.NotebookNode

    def stored(self) -> nbformat.NotebookNode | None:
        """The notebook on disk if its executed code is that of the source (install cell aside), else None."""
        if not self.path.is_file():
            return None
        existing = nbformat.read(self.path, as_version=4)
        if existing.metadata.get(METADATA_KEY, {}).get("fingerprint") != fingerprint(self.expected):
            return None
        return existing

    def _setup_sources(self, nb: nbformat.NotebookNode) -> list[str]:
        return [c.source for c in nb.cells if _is_setup(c)]

    def _metadata(self, nb: nbformat.NotebookNode) -> list[dict]:
        # What the source says about each cell (tags, figure descriptions), not what execution records.
        return [{k: v for k, v in c.metadata.items() if k != "execution"} for c in nb.cells]

    def is_current(self) -> bool:
        existing = self.stored()
        return (
            existing is not None
            and self._setup_sources(existing) == self._setup_sources(self.expected)
            and self._metadata(existing) == self._metadata(self.expected)
        )

    def write(self) -> bool:
        if self.is_current():
            return False
        nb = self.stored()
        if nb is not None:
            # Only the install cell or cells' metadata (e.g. an alt text) changed: no need to execute again.
            setup = iter(c for c in self.expected.cells if _is_setup(c))
            nb.cells = [_replaced_setup(c, next(setup)) if _is_setup(c) else c for c in nb.cells]
            for cell, expected in zip(nb.cells, self.expected.cells):
                recorded = {"execution": cell.metadata["execution"]} if "execution" in cell.metadata else {}
                cell.metadata = {**copy.deepcopy(expected.metadata), **recorded}
        else:
            print(f"neuro4ml: executing {self.path.name} (the solution notebook) ...", flush=True)
            nb = execute(copy.deepcopy(self.expected))
            nb.metadata[METADATA_KEY] = {"fingerprint": fingerprint(self.expected)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(dumps(nb), encoding="utf-8")
        return True


def notebook_targets(project: Project, outline: Outline) -> list:
    """The student and solution notebooks and the exercises page of every released week.

    A week's page comes after its solution notebooks, whose outputs it shows, so
    writing the targets in order executes a changed solution first.
    """
    targets: list = []
    for week in outline.weeks:
        if not week.exercises.released:
            continue
        for entry in week.exercises.notebooks:
            source_path = project.exercise_sources_dir / f"{entry.name}.md"
            source = read_source(source_path)
            targets.append(
                Generated(
                    project.exercises_dir / f"{entry.name}.ipynb",
                    lambda s=source, n=entry.name: dumps(student_notebook(s, outline, n)),
                )
            )
            targets.append(SolutionNotebook(project.solutions_dir / f"{entry.name}.ipynb", solution_notebook(source, outline, entry.name)))
        targets.append(Generated(exercises_page_path(project, week), lambda w=week: dumps(exercises_page(w, outline, project))))
        # Older versions wrote the page as MyST Markdown, executed again by the site build.
        targets.append(Obsolete(project.content_dir / f"{week.exercises_page}.md", "Generated by `neuro4ml generate`", "replaced by exercises.ipynb"))
    return targets
