"""Markdown rendered from the outline: the week list and each week's landing page.

One renderer serves every place that lists the course: the home page (through
the ``course-weeks`` directive), the README's generated section and the week
landing pages. ``link`` turns a page id such as ``week0/history`` into a link
target relative to the file being written; see :func:`linker`.
"""

from __future__ import annotations

import posixpath
from typing import Callable

from .outline import EXERCISES_PAGE_SUFFIX, Lecture, Outline, Week

Linker = Callable[..., str]


def linker(from_dir: str, prefix: str = "") -> Linker:
    """Links to page ids (files under ``prefix``), relative to the folder ``from_dir``.

    ``linker("week1")("week1/history")`` gives ``"history.md"``;
    ``linker("", prefix="content")("week0/history")`` gives ``"content/week0/history.md"``.
    """

    def link(page: str, suffix: str = ".md") -> str:
        target = posixpath.join(prefix, f"{page}{suffix}") if prefix else f"{page}{suffix}"
        return posixpath.relpath(target, from_dir or ".")

    return link


def _status(text: str) -> str:
    return f" — *{text}*" if text else ""


def lecture_item(lecture: Lecture, link: Linker) -> str:
    """``[Title](page.md) — *status*``; a title without a page is plain text."""
    title = f"[{lecture.title}]({link(lecture.page)})" if lecture.page else lecture.title
    return title + _status(lecture.status_text)


def exercises_item(week: Week, link: Linker) -> str:
    if week.exercises.released:
        return f"[Exercises]({link(week.exercises_page, EXERCISES_PAGE_SUFFIX)})"
    if not week.exercises.exist:
        return f"*{week.exercises.status_text}*"
    return "Exercises" + _status(week.exercises.status_text)


def week_items(week: Week, link: Linker) -> list[str]:
    """The items a week lists, in order: lectures, exercises, the competition's leaderboard, reading."""
    items = [lecture_item(lec, link) for lec in week.lectures]
    items.append(exercises_item(week, link))
    if week.leaderboard:
        items.append(f"[Competition leaderboard]({link(week.leaderboard)})")
    if week.reading:
        items.append(f"[Reading list]({link(week.reading)})")
    return items


def weeks_list(outline: Outline, link: Linker) -> str:
    """The week-by-week list as a nested Markdown bullet list."""
    lines = []
    for week in outline.weeks:
        lines.append(f"- **[{week.label}]({link(week.index_page)})**")
        lines.extend(f"  - {item}" for item in week_items(week, link))
    return "\n".join(lines) + "\n"


DEVELOPMENT_NOTE = (
    "**This course is still under development.** Links are added as the materials become "
    "available, and the contents may change."
)


def development_note(outline: Outline) -> str | None:
    """The note shown above the week list while any week or item is unreleased or unrecorded."""
    return DEVELOPMENT_NOTE if outline.under_development else None


def readme_weeks(outline: Outline, link: Linker) -> str:
    """The README's generated section: the development note (while there is one), then the week list."""
    note = development_note(outline)
    return (f"> {note}\n\n" if note else "") + weeks_list(outline, link)


GENERATED_NOTE = "<!-- Generated from course.yml by `neuro4ml generate`: edit course.yml, not this file. -->"


def week_index_page(week: Week) -> str:
    """The Markdown source of a week's landing page, ``content/weekN/index.md``."""
    link = linker(f"week{week.number}")
    parts = [GENERATED_NOTE, "", f"# {week.label}", ""]
    if week.summary:
        parts += [week.summary, ""]
    parts += ["This week:", ""]
    parts += [f"- {item}" for item in week_items(week, link)]
    pages = [posixpath.basename(p) if p.startswith(f"week{week.number}/") else f"/{p}" for p in week.pages]
    if pages:
        parts += ["", "```{toctree}", ":hidden:", "", *pages, "```"]
    return "\n".join(parts) + "\n"
