"""The course outline (``course.yml``): its data model, loading and validation.

The outline is the single source of the course's structure. Everything that
lists weeks, lectures or exercises (the home page, the navigation, each week's
landing page, the README) is generated from the :class:`Outline` returned by
:func:`load_outline`. An invalid outline raises :class:`OutlineError` with a
message that names the offending entry, e.g.
``weeks[1] (week 1 'Neurons') > lectures[0] ('Structure'): page 'week1/structure'
does not exist (looked for content/week1/structure.md)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

WEEK_NUMBERS = range(0, 10)
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
NO_EXERCISES = "none"
RELEASED = "released"
PAGE_SUFFIXES = (".md", ".ipynb")
# A week's exercises page is a notebook holding the executed solutions' outputs.
EXERCISES_PAGE_SUFFIX = ".ipynb"


class OutlineError(ValueError):
    """The outline is malformed; the message names the entry at fault."""


@dataclass(frozen=True)
class Person:
    name: str
    url: str


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Lecture:
    """One lecture item of a week: a page, a video, or both, or neither yet."""

    title: str
    page: str | None = None
    youtube: str | None = None
    status: str | None = None

    @property
    def finished(self) -> bool:
        """Recorded and released: it has a video and no status such as "not recorded yet"."""
        return bool(self.youtube) and not self.status

    @property
    def status_text(self) -> str:
        """What the week lists beside the title: the status, or "video"."""
        if self.status:
            return self.status
        return "video" if self.youtube else ""


@dataclass(frozen=True)
class Notebook:
    """An exercise notebook, authored as ``content/exercises/<name>.md``."""

    name: str
    title: str


@dataclass(frozen=True)
class Exercises:
    """A week's exercises: ``none``, or a status and (once released) notebooks."""

    status: str
    notebooks: tuple[Notebook, ...] = ()

    @property
    def exist(self) -> bool:
        return self.status != NO_EXERCISES

    @property
    def released(self) -> bool:
        return self.status == RELEASED

    @property
    def status_text(self) -> str:
        if not self.exist:
            return "No exercises this week"
        return self.status


@dataclass(frozen=True)
class Week:
    number: int
    title: str
    lectures: tuple[Lecture, ...]
    exercises: Exercises
    reading: str | None = None
    summary: str | None = None
    #: The page of the week's competition leaderboard (re-scored at every site build), if it has one.
    leaderboard: str | None = None

    @property
    def label(self) -> str:
        return f"Week {self.number}: {self.title}"

    @property
    def finished(self) -> bool:
        """Every item is out: it has lectures, each recorded, and its exercises (if any) are released."""
        exercises_out = self.exercises.released or not self.exercises.exist
        return bool(self.lectures) and all(lec.finished for lec in self.lectures) and exercises_out

    @property
    def index_page(self) -> str:
        """The week's generated landing page, e.g. ``week1/index``."""
        return f"week{self.number}/index"

    @property
    def exercises_page(self) -> str:
        """The week's generated exercises page, e.g. ``week1/exercises``."""
        return f"week{self.number}/exercises"

    @property
    def pages(self) -> tuple[str, ...]:
        """Every page of the week in navigation order (landing page excluded)."""
        pages = [lec.page for lec in self.lectures if lec.page]
        if self.exercises.released:
            pages.append(self.exercises_page)
        if self.leaderboard:
            pages.append(self.leaderboard)
        if self.reading:
            pages.append(self.reading)
        return tuple(pages)


@dataclass(frozen=True)
class Outline:
    title: str
    description: str
    repository: str
    branch: str
    designers: tuple[Person, ...]
    links: tuple[Link, ...]
    weeks: tuple[Week, ...]

    def week(self, number: int) -> Week:
        for week in self.weeks:
            if week.number == number:
                return week
        raise KeyError(f"the outline has no week {number}")

    def lecture_for_page(self, page: str) -> Lecture | None:
        """The lecture item whose page is ``page`` (e.g. ``week0/history``)."""
        for week in self.weeks:
            for lecture in week.lectures:
                if lecture.page == page:
                    return lecture
        return None

    def notebooks(self) -> list[tuple[Week, Notebook]]:
        """Every released exercise notebook, with its week."""
        return [(w, nb) for w in self.weeks for nb in w.exercises.notebooks]

    @property
    def under_development(self) -> bool:
        """Whether any week or item is still unreleased or unrecorded."""
        return not all(week.finished for week in self.weeks)

    @property
    def repository_slug(self) -> str:
        """``owner/name`` of the GitHub repository, as Colab links need it."""
        return self.repository.removeprefix("https://github.com/").strip("/")


# --- parsing -------------------------------------------------------------------


def _mapping(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise OutlineError(f"{where}: expected a mapping of fields, got {type(value).__name__} {value!r}")
    return value


def _check_fields(data: dict, where: str, required: set[str], optional: set[str]) -> None:
    missing = sorted(required - data.keys())
    if missing:
        raise OutlineError(f"{where}: missing field {', '.join(repr(m) for m in missing)}")
    unknown = sorted(data.keys() - required - optional)
    if unknown:
        allowed = ", ".join(sorted(required | optional))
        raise OutlineError(f"{where}: unknown field {', '.join(repr(u) for u in unknown)} (allowed: {allowed})")


def _text(data: dict, key: str, where: str, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise OutlineError(f"{where}: field {key!r} must be a non-empty string, got {value!r}")
    return value.strip()


def _url(data: dict, key: str, where: str) -> str:
    url = _text(data, key, where)
    if not url.startswith(("https://", "http://")):
        raise OutlineError(f"{where}: field {key!r} must be an http(s) URL, got {url!r}")
    return url


def _list(data: dict, key: str, where: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise OutlineError(f"{where}: field {key!r} must be a list, got {value!r}")
    return value


def _parse_lecture(data: Any, where: str) -> Lecture:
    data = _mapping(data, where)
    _check_fields(data, where, {"title"}, {"page", "youtube", "status"})
    title = _text(data, "title", where)
    where = f"{where} ({title!r})"
    youtube = data.get("youtube")
    if youtube is not None and (not isinstance(youtube, str) or not YOUTUBE_ID.match(youtube)):
        raise OutlineError(
            f"{where}: malformed YouTube id {youtube!r} (expected the 11-character id from the video's URL, e.g. 'jhnuVDh2XKA')"
        )
    return Lecture(
        title=title,
        page=_text(data, "page", where, required=False),
        youtube=youtube,
        status=_text(data, "status", where, required=False),
    )


def _parse_notebook(data: Any, where: str) -> Notebook:
    data = _mapping(data, where)
    _check_fields(data, where, {"name", "title"}, set())
    name = _text(data, "name", where)
    if not re.match(r"^[a-z0-9][a-z0-9_-]*$", name):
        raise OutlineError(f"{where}: notebook name {name!r} must be lower-case letters, digits, '-' or '_'")
    return Notebook(name=name, title=_text(data, "title", where))


def _parse_exercises(value: Any, where: str) -> Exercises:
    if value == NO_EXERCISES:
        return Exercises(status=NO_EXERCISES)
    data = _mapping(value, where)
    _check_fields(data, where, {"status"}, {"notebooks"})
    status = _text(data, "status", where)
    notebooks = tuple(
        _parse_notebook(nb, f"{where} > notebooks[{i}]") for i, nb in enumerate(_list(data, "notebooks", where))
    )
    if status == RELEASED and not notebooks:
        raise OutlineError(f"{where}: status is 'released' but no notebooks are listed")
    if notebooks and status != RELEASED:
        raise OutlineError(f"{where}: notebooks are listed but status is {status!r} (expected 'released')")
    return Exercises(status=status, notebooks=notebooks)


def _parse_week(data: Any, where: str) -> Week:
    data = _mapping(data, where)
    _check_fields(data, where, {"number", "title", "exercises"}, {"lectures", "reading", "summary", "leaderboard"})
    number = data["number"]
    if not isinstance(number, int) or isinstance(number, bool) or number not in WEEK_NUMBERS:
        raise OutlineError(f"{where}: unknown week {number!r} (weeks are numbered 0 to 9)")
    title = _text(data, "title", where)
    where = f"{where} (week {number} {title!r})"
    lectures = tuple(
        _parse_lecture(item, f"{where} > lectures[{i}]") for i, item in enumerate(_list(data, "lectures", where))
    )
    return Week(
        number=number,
        title=title,
        lectures=lectures,
        exercises=_parse_exercises(data["exercises"], f"{where} > exercises"),
        reading=_text(data, "reading", where, required=False),
        summary=_text(data, "summary", where, required=False),
        leaderboard=_text(data, "leaderboard", where, required=False),
    )


def parse_outline(data: Any, source: str = "course.yml") -> Outline:
    """Build an :class:`Outline` from the YAML data, checking every field."""
    data = _mapping(data, source)
    _check_fields(
        data, source, {"title", "description", "repository", "designers", "links", "weeks"}, {"branch"}
    )
    weeks = tuple(_parse_week(w, f"{source}: weeks[{i}]") for i, w in enumerate(_list(data, "weeks", source)))
    numbers = [w.number for w in weeks]
    if numbers != list(WEEK_NUMBERS):
        raise OutlineError(f"{source}: weeks must be 0 to 9, each once and in order; found {numbers}")
    designers = []
    for i, d in enumerate(_list(data, "designers", source)):
        where = f"{source}: designers[{i}]"
        d = _mapping(d, where)
        _check_fields(d, where, {"name", "url"}, set())
        designers.append(Person(name=_text(d, "name", where), url=_url(d, "url", where)))
    repository = _url(data, "repository", source)
    if not repository.startswith("https://github.com/"):
        raise OutlineError(f"{source}: repository must be a https://github.com/owner/name URL (Colab opens notebooks from GitHub)")
    repository = repository.rstrip("/")
    branch = _text(data, "branch", source, required=False) or "main"
    links = []
    for i, link in enumerate(_list(data, "links", source)):
        where = f"{source}: links[{i}]"
        link = _mapping(link, where)
        _check_fields(link, where, {"title", "url"}, set())
        url = _text(link, "url", where)
        for name, value in (("{repository}", repository), ("{branch}", branch)):
            url = url.replace(name, value)
        links.append(Link(title=_text(link, "title", where), url=_url({"url": url}, "url", where)))
    return Outline(
        title=_text(data, "title", source),
        description=_text(data, "description", source),
        repository=repository,
        branch=branch,
        designers=tuple(designers),
        links=tuple(links),
        weeks=weeks,
    )


def page_path(content_dir: Path, page: str) -> Path | None:
    """The source file of ``page`` under ``content_dir``, or None if there is none."""
    for suffix in PAGE_SUFFIXES:
        path = content_dir / f"{page}{suffix}"
        if path.is_file():
            return path
    return None


def check_pages(outline: Outline, content_dir: Path, exercise_dir: Path | None = None) -> None:
    """Raise :class:`OutlineError` for any page or exercise source that does not exist."""
    for week in outline.weeks:
        where = f"week {week.number} {week.title!r}"
        for lecture in week.lectures:
            if lecture.page and page_path(content_dir, lecture.page) is None:
                raise OutlineError(
                    f"{where} > lecture {lecture.title!r}: page {lecture.page!r} does not exist "
                    f"(looked for {content_dir.name}/{lecture.page}.md)"
                )
        for field_name in ("reading", "leaderboard"):
            page = getattr(week, field_name)
            if page and page_path(content_dir, page) is None:
                raise OutlineError(
                    f"{where} > {field_name}: page {page!r} does not exist "
                    f"(looked for {content_dir.name}/{page}.md)"
                )
        for nb in week.exercises.notebooks:
            source = (exercise_dir or content_dir / "exercises") / f"{nb.name}.md"
            if not source.is_file():
                raise OutlineError(
                    f"{where} > exercises > notebook {nb.name!r}: source {source} does not exist"
                )


def load_outline(path: Path, content_dir: Path | None = None) -> Outline:
    """Load and validate ``course.yml``; with ``content_dir``, also check that pages exist."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise OutlineError(f"{path.name}: not valid YAML: {exc}") from exc
    outline = parse_outline(data, source=path.name)
    if content_dir is not None:
        check_pages(outline, Path(content_dir))
    return outline
