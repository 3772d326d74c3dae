"""The served site in a real headless browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.site, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
YOUTUBE_ID = "jhnuVDh2XKA"


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is required for the browser tests: apt-get install chromium")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class RequestLog:
    """Every request a page makes; everything not on 127.0.0.1 is blocked and remembered."""

    def __init__(self, page):
        self.outside: list[tuple[str, str]] = []
        page.route("**/*", self._route)

    def _route(self, route):
        request = route.request
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
            return
        frame_url = request.frame.url if request.frame else ""
        self.outside.append((request.url, frame_url))
        route.abort()

    def unexpected(self) -> list[str]:
        """Requests off 127.0.0.1 other than the YouTube iframe and what it loads itself."""
        allowed = re.compile(rf"^https://www\.youtube(-nocookie)?\.com/embed/{YOUTUBE_ID}")
        return [url for url, frame in self.outside if not (allowed.match(url) or allowed.match(frame))]


def open_page(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log = RequestLog(page)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, log


def test_home_page(browser, site_url, project, artifacts):
    page, log = open_page(browser, site_url + "/index.html")
    text = page.inner_text("main")
    outline = project.outline()
    weeks = page.locator(".neuro4ml-course-weeks")
    week_text = weeks.inner_text()
    for week in outline.weeks:
        assert week.label in week_text
        for lecture in week.lectures:
            assert lecture.title in week_text
            assert lecture.status_text in week_text
        assert week.exercises.status_text in week_text
    iframe = page.locator(".neuro4ml-video iframe")
    assert iframe.count() == 1
    assert YOUTUBE_ID in iframe.get_attribute("src")
    for link in outline.links:
        assert page.locator(f'a[href="{link.url}"]').count() >= 1, link.title
    for person in outline.designers:
        assert person.name in text
    assert "Discord" in text and "Imperial College London" in text
    page.screenshot(path=str(artifacts / "home.png"), full_page=True)
    assert log.unexpected() == []
    page.close()


def week0_pages_with_math(built_site, project):
    pages = project.outline().week(0).pages
    return [p for p in pages if 'class="math' in (built_site / f"{p}.html").read_text(encoding="utf-8")]


def test_week0_pages_render_math_offline(browser, site_url, built_site, project, artifacts):
    pages = week0_pages_with_math(built_site, project)
    assert pages, "no week 0 page has any math to render"
    for name in pages:
        page, log = open_page(browser, f"{site_url}/{name}.html")
        page.wait_for_selector("mjx-container", timeout=15000)
        assert page.locator("mjx-container").count() > 0
        visible = page.inner_text("main")
        for raw_tex in ("\\frac", "\\tau", "$$", "\\("):
            assert raw_tex not in visible, f"{name}: raw TeX {raw_tex!r} visible"
        assert log.unexpected() == [], name
        page.screenshot(path=str(artifacts / f"{name.replace('/', '_')}.png"), full_page=False)
        page.close()


def lecture_pages():
    from neuro4ml.course.project import Project

    outline = Project.find(__file__).outline(check_pages=False)
    return [lec for week in outline.weeks for lec in week.lectures if lec.page]


@pytest.mark.parametrize("lecture", lecture_pages(), ids=lambda lec: lec.page)
def test_every_lecture_page_opens_with_its_video_or_status(browser, site_url, lecture):
    page, log = open_page(browser, f"{site_url}/{lecture.page}.html")
    assert page.locator("article.bd-article h1").count() == 1
    if lecture.youtube:
        assert lecture.youtube in page.locator(".neuro4ml-video iframe").get_attribute("src")
    else:
        assert f"Video: {lecture.status}" in page.inner_text("main")
    if page.locator(".math").count():
        page.wait_for_selector("mjx-container", timeout=15000)
    assert "\\frac" not in page.inner_text("main")
    for img in page.locator("main img").all():
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), img.get_attribute("src")
    assert log.unexpected() == []
    page.close()


def exercise_weeks():
    from neuro4ml.course.project import Project

    return [w for w in Project.find(__file__).outline(check_pages=False).weeks if w.exercises.released]


@pytest.mark.parametrize("week", exercise_weeks(), ids=lambda w: f"week{w.number}")
def test_exercises_page_has_colab_download_and_folded_solutions(browser, site_url, project, week, artifacts):
    outline = project.outline()
    page, log = open_page(browser, f"{site_url}/{week.exercises_page}.html")
    for nb in week.exercises.notebooks:
        colab = page.locator(f'a.neuro4ml-colab[href*="/exercises/{nb.name}.ipynb"]')
        assert colab.count() == 1
        assert colab.get_attribute("href").startswith(f"https://colab.research.google.com/github/{outline.repository_slug}/")
        download = page.locator(f'a[href$="{nb.name}.ipynb"]:has-text("student notebook")')
        assert download.count() == 1
        response = page.request.get(f"{site_url}/{week.exercises_page.rsplit('/', 1)[0]}/{download.get_attribute('href')}")
        assert response.ok and '"nbformat"' in response.text()
    folds = page.locator("details:has-text('Show solution')")
    assert folds.count() >= 1
    assert all(not fold.evaluate("d => d.open") for fold in folds.all()), "solutions must start folded"
    page.screenshot(path=str(artifacts / f"week{week.number}_exercises.png"), full_page=False)
    assert log.unexpected() == []
    page.close()


def test_navigation_lists_every_week(browser, site_url, project):
    page, _ = open_page(browser, site_url + "/index.html")
    nav = page.inner_text(".bd-sidebar-primary")
    for week in project.outline().weeks:
        assert week.label in nav
    page.close()
