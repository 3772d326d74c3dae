"""The course pages as written: length, video directive, references, and figures made by code."""

from __future__ import annotations

import re

import pytest

from neuro4ml.course.outline import page_path
from neuro4ml.course.project import Project

PROJECT = Project.find(__file__)
OUTLINE = PROJECT.outline(check_pages=False)
LECTURES = [lec.page for week in OUTLINE.weeks for lec in week.lectures if lec.page]
READING = [week.reading for week in OUTLINE.weeks if week.reading]
MIN_WORDS, MAX_WORDS = 800, 2500


def prose_words(markdown: str) -> int:
    """Words of prose: front matter, code, display and inline math, roles and tags left out."""
    for pattern, flags in [
        (r"^---\n.*?\n---\n", re.S),
        (r"```.*?```", re.S),
        (r"\$\$.*?\$\$", re.S),
        (r"\$[^$\n]+\$", 0),
        (r"\{[a-z:]+\}`[^`]*`", 0),
        (r"<[^>]+>", 0),
        (r"\]\([^)]*\)", 0),
    ]:
        markdown = re.sub(pattern, "]" if pattern.startswith(r"\]") else "", markdown, flags=flags)
    return len(re.findall(r"[A-Za-z][A-Za-z'’-]*", markdown))


def source(page: str) -> str:
    return page_path(PROJECT.content_dir, page).read_text(encoding="utf-8")


def test_prose_words_ignores_code_and_math():
    text = "---\nkernelspec: x\n---\n# Title\n\nTwo words $\\tau V$.\n\n```{code-cell}\nimport numpy\n```\n$$a = b$$\n"
    assert prose_words(text) == 3


@pytest.mark.parametrize("page", LECTURES + READING)
def test_page_length(page):
    words = prose_words(source(page))
    assert MIN_WORDS <= words <= MAX_WORDS, f"{page}: {words} words of prose (expected {MIN_WORDS}-{MAX_WORDS})"


@pytest.mark.parametrize("page", LECTURES)
def test_lecture_pages_show_their_video_or_status(page):
    assert "```{lecture-video}" in source(page)


@pytest.mark.parametrize("page", LECTURES + READING)
def test_citing_pages_list_their_references(page):
    text = source(page)
    assert "{footcite" in text, f"{page} cites nothing"
    assert "```{footbibliography}" in text


def test_no_image_files_in_the_content():
    """Every figure is produced by code in a page, so the sources hold no images."""
    images = [p for ext in ("png", "jpg", "jpeg", "gif", "svg") for p in PROJECT.content_dir.rglob(f"*.{ext}")]
    assert not images
