"""Accessibility of the course's figures: every figure a code cell draws has an alt text.

A figure is described where it is made, in the metadata of the code cell that draws
it, the way myst-nb reads it (the site shows it as the image's ``alt``)::

    ```{code-cell} ipython3
    ---
    tags: [hide-input]
    mystnb:
      image:
        alt: Membrane potential (mV) against time (ms) for three input currents; ...
      figure:
        caption: The leaky integrate-and-fire neuron ...
        name: fig-lif-currents
    ---
    ```

An alt text says what is plotted against what and the point the figure makes, in a
sentence or two (at least :data:`MIN_ALT_WORDS` words, not a file name). A figure the
text refers to also gets a ``figure: caption`` and a ``name``, and the text refers to it
with ``{numref}`fig-...``` (figures are numbered, ``numfig`` in ``conf.py``). A purely
decorative image is marked explicitly with an empty alt text (``alt: ""``), which
screen readers skip.

:func:`problems` finds every code cell of the lecture pages (``content/week*/*.md``)
and exercise sources (``content/exercises/*.md``) that draws a figure and lacks an alt
text; ``neuro4ml check`` fails on them, naming the file and the cell. Whether a cell
draws is read from its code (:func:`draws_figure`); for an exercise source the stored
outputs of its executed solution notebook are consulted as well, so a figure drawn
by a helper the pattern does not know is caught too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .project import Project

MIN_ALT_WORDS = 5
# Calls that draw a matplotlib figure, directly or through the library's plot helpers.
_DRAWS = re.compile(
    r"\bplt\.|\bplot_\w*\(|\.plot\(|\.imshow\(|\.scatter\(|\.bar\(|\.barh\(|\.hist\(|\.fill_between\(|"
    r"\.eventplot\(|\.pcolormesh\(|\.contourf?\(|\bsubplots\(|\.add_subplot\(|\bfigure\(|\bshow_\w+\("
)
_FILE_NAME = re.compile(r"^\S+\.(png|jpe?g|svg|gif|pdf)$", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """A figure-drawing cell whose description is missing or unusable."""

    path: Path
    cell: int  # 1-based number among the file's code cells
    line: int  # the line of the cell's opening fence (1-based), 0 if unknown
    message: str

    def describe(self, root: Path) -> str:
        where = self.path.relative_to(root) if self.path.is_relative_to(root) else self.path
        at = f", line {self.line}" if self.line else ""
        return f"{where}: code cell {self.cell}{at}: {self.message}"


def _code(source: str) -> str:
    """The cell's code without comments and string-only lines (a mention of ``plt.`` in a comment draws nothing)."""
    return "\n".join(line.split("#", 1)[0] for line in source.splitlines())


def draws_figure(source: str) -> bool:
    """Whether a code cell's source draws a matplotlib figure (by the calls it makes)."""
    return bool(_DRAWS.search(_code(source)))


def alt_text(metadata: dict) -> str | None:
    """The alt text in a cell's metadata (``mystnb: image: alt``), or None when there is none."""
    image = (metadata.get("mystnb") or {}).get("image") or {}
    alt = image.get("alt")
    return None if alt is None else str(alt)


def alt_problem(alt: str | None) -> str | None:
    """What is wrong with an alt text, or None when it is usable (``""`` marks a decorative image)."""
    if alt is None:
        return ("draws a figure but has no alt text: add `mystnb: image: alt:` to the cell's metadata "
                "(what is plotted against what, and the point it makes)")
    if alt == "":
        return None  # explicitly decorative
    text = alt.strip()
    if _FILE_NAME.match(text):
        return f"its alt text {text!r} is a file name: describe what the figure shows"
    if len(text.split()) < MIN_ALT_WORDS:
        return (f"its alt text {text!r} is too short to describe the figure: say what is plotted against what, "
                f"and the point it makes (at least {MIN_ALT_WORDS} words)")
    return None


def _fence_lines(path: Path) -> list[int]:
    """The line numbers (1-based) of the ``{code-cell}`` fences of a MyST text notebook."""
    return [i + 1 for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()) if re.match(r"^`{3,}\{code-cell\}", line)]


def _solution_images(project: Project, source: Path) -> list[bool] | None:
    """For each code cell of an exercise source, whether its executed solution notebook shows an image there."""
    solved = project.solutions_dir / f"{source.stem}.ipynb"
    if not solved.is_file():
        return None
    from .notebooks import COLAB_TAG

    cells = json.loads(solved.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code" and COLAB_TAG not in c.get("metadata", {}).get("tags", [])]
    return [any("image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {}) for o in c.get("outputs", [])) for c in code]


def file_problems(path: Path, project: Project | None = None) -> list[Problem]:
    """The figure cells of one MyST text notebook that lack a usable alt text."""
    import jupytext

    text = path.read_text(encoding="utf-8")
    if "{code-cell}" not in text:
        return []
    nb = jupytext.reads(text, fmt="md:myst")
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    fences = _fence_lines(path)
    images = _solution_images(project, path) if project is not None and path.parent == project.exercise_sources_dir else None
    if images is not None and len(images) != len(code_cells):
        images = None  # out of date: `neuro4ml check` reports the stale notebook itself
    found = []
    for n, cell in enumerate(code_cells):
        if not (draws_figure(cell.source) or (images is not None and images[n])):
            continue
        message = alt_problem(alt_text(cell.metadata))
        if message:
            found.append(Problem(path, n + 1, fences[n] if n < len(fences) else 0, message))
    return found


def checked_files(project: Project) -> list[Path]:
    """Every lecture page and exercise source: ``content/week*/*.md`` and ``content/exercises/*.md``."""
    content = project.content_dir
    return sorted([*content.glob("week*/*.md"), *project.exercise_sources_dir.glob("*.md")])


def problems(project: Project) -> list[Problem]:
    """Every figure cell of the course without a usable alt text."""
    return [p for path in checked_files(project) for p in file_problems(path, project)]
