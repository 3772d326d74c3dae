"""The website: it builds with warnings as errors, and every internal link and image resolves."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.site


class _Refs(HTMLParser):
    """Collects link targets, image sources and element ids of one HTML page."""

    def __init__(self):
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in {"a": ["href"], "link": ["href"], "img": ["src"], "script": ["src"], "iframe": ["src"]}.get(tag, []):
            if attrs.get(name):
                self.refs.append(attrs[name])


def _parse(path: Path) -> _Refs:
    parser = _Refs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_page_of_the_outline_is_built(built_site, project):
    outline = project.outline()
    assert (built_site / "index.html").is_file()
    for week in outline.weeks:
        for page in (week.index_page, *week.pages):
            assert (built_site / f"{page}.html").is_file(), page


def test_every_internal_link_and_image_resolves(built_site):
    pages = sorted(p for p in built_site.rglob("*.html") if "_static" not in p.relative_to(built_site).parts)
    parsed = {p: _parse(p) for p in pages}
    broken = []
    for page, refs in parsed.items():
        for ref in refs.refs:
            url = urlsplit(ref)
            if url.scheme or ref.startswith("//") or ref.startswith("mailto:"):
                continue  # external: checked by the browser test's request log instead
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(built_site)} -> {ref}")
            elif url.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if url.fragment not in ids:
                    broken.append(f"{page.relative_to(built_site)} -> {ref} (no such anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(broken)


def test_mathjax_is_local(built_site):
    """The default build serves MathJax itself: no CDN script in any page."""
    assert (built_site / "_static" / "mathjax" / "tex-mml-chtml.js").is_file()
    for page in built_site.rglob("*.html"):
        assert "cdn.jsdelivr.net" not in page.read_text(encoding="utf-8"), page


def test_a_clean_copy_builds_without_changing_or_adding_a_file(build_changes):
    """The build reads the sources and writes only _build/ (ignored): `git status` stays clean."""
    assert build_changes == "", "the build changed the checkout:\n" + build_changes


def _environment(built_site: Path):
    import pickle

    with open(built_site / ".doctrees" / "environment.pickle", "rb") as f:
        return pickle.load(f)


def test_exercises_pages_are_not_executed_by_the_build(built_site, project):
    """The solution code runs once, in `neuro4ml generate`: the site shows the stored outputs."""
    env = _environment(built_site)
    executed = {doc for doc, data in getattr(env, "nb_metadata", {}).items() if data.get("exec_data")}
    assert executed, "no page was executed: is notebook execution (or its record) working at all?"
    for week in project.outline().weeks:
        if week.exercises.released:
            assert week.exercises_page not in executed, week.exercises_page
            html = (built_site / f"{week.exercises_page}.html").read_text(encoding="utf-8")
            assert "passed" in html and "cell_output" in html, f"{week.exercises_page}: no stored outputs shown"


def test_home_page_says_the_course_is_under_development_above_the_week_list(built_site, project):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert project.outline().under_development  # true until every week is out: then this test changes
    assert "neuro4ml-development-note" in html and "still under development" in html
    assert html.index("neuro4ml-development-note") < html.index("neuro4ml-course-weeks")
