"""Files generated from the outline, and the check that they are up to date.

Each generated file is described by a :class:`Generated` target: its path and a
function producing its expected content. ``neuro4ml generate`` writes the
targets that differ; ``neuro4ml check`` lists those that are stale. The README
is only partly generated: the text between :data:`README_BEGIN` and
:data:`README_END` is replaced, the rest is left as written.
"""

from __future__ import annotations

from pathlib import Path

from .notebooks import notebook_targets
from .outline import Outline
from .project import Project
from .render import linker, readme_weeks, week_index_page
from .targets import Generated, Target

README_BEGIN = "<!-- BEGIN generated week list (neuro4ml generate) -->"
README_END = "<!-- END generated week list -->"


def replace_region(text: str, body: str, begin: str = README_BEGIN, end: str = README_END, name: str = "README.md") -> str:
    """``text`` with the part between the ``begin`` and ``end`` markers replaced by ``body``."""
    try:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
    except ValueError:
        raise ValueError(f"{name} must contain the markers {begin!r} and {end!r} around the generated week list") from None
    return f"{head}{begin}\n{body}{end}{tail}"


def readme_target(project: Project, outline: Outline) -> Generated:
    def render() -> str:
        text = project.readme.read_text(encoding="utf-8")
        return replace_region(text, readme_weeks(outline, linker("", prefix="content")))

    return Generated(project.readme, render)


def week_targets(project: Project, outline: Outline) -> list[Generated]:
    return [
        Generated(project.content_dir / f"{week.index_page}.md", lambda week=week: week_index_page(week))
        for week in outline.weeks
    ]


def targets(project: Project, outline: Outline) -> list[Target]:
    """Every file generated from the outline and the exercise sources, in the order they are written."""
    return [readme_target(project, outline), *week_targets(project, outline), *notebook_targets(project, outline)]


def write_all(project: Project, outline: Outline) -> list[Path]:
    """Write every stale target; return the paths written."""
    return [t.path for t in targets(project, outline) if t.write()]


def stale(project: Project, outline: Outline) -> list[Path]:
    """The generated files that are missing or out of date."""
    return [t.path for t in targets(project, outline) if not t.is_current()]
