"""The served site in a real headless browser (Debian's chromium, driven by Playwright).

These tests must hold on a slow, busy machine (CI runs on 2 shared cores), so
they never wait for network idleness or sleep: each waits for exactly what it
needs (the article's heading, MathJax's typeset promise, the images of the
page) with a generous timeout, and everything off 127.0.0.1 is blocked.
Pages come from the outline, so a page added to ``course.yml`` is tested here
without touching this file.

Accessibility: on every page, every image of the article has an alt text that
describes it (not a file name, at least a few words) and an axe-core audit
(installed from npm into ``_build/vendor`` at test time, injected into the page)
finds no "serious" or "critical" violation; on a lecture page and an exercises
page, Tab reaches the folds (and the Colab and download links) with a visible
focus outline, and Enter and Space open and close them.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from neuro4ml.course.accessibility import MIN_ALT_WORDS
from neuro4ml.course.project import Project
from neuro4ml.course.site import install_axe

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
# Generous: a page that is slow on a busy machine is not broken. Each wait is for a
# specific thing, so a page that is broken fails on what is missing, not on a timer.
SLOW_MS = 120_000

PROJECT = Project.find(__file__)
OUTLINE = PROJECT.outline(check_pages=False)


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is required for the browser tests: apt-get install chromium")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=SLOW_MS)
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
    """Open ``url`` and wait until its article is in the DOM (not for the network to go quiet)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(SLOW_MS)
    page.set_default_navigation_timeout(SLOW_MS)
    log = RequestLog(page)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("article.bd-article h1")
    return page, log


def wait_for_math(page) -> bool:
    """If the page has math, wait until MathJax has typeset it (``MathJax.startup.promise``); say whether it had any."""
    if page.locator(".math").count() == 0:
        return False
    page.wait_for_function("() => typeof window.MathJax?.startup?.promise?.then === 'function'")
    page.evaluate("() => { MathJax.startup.promise.then(() => { window.__neuro4mlTypeset = true; }); }")
    page.wait_for_function("() => window.__neuro4mlTypeset === true")
    return True


def prose_text(page) -> str:
    """The text of the article outside code and program output (where TeX may legitimately appear)."""
    return page.evaluate(
        """() => {
            const main = document.querySelector('main').cloneNode(true);
            main.querySelectorAll('pre, code, .highlight, .cell_output, mjx-container, script').forEach(e => e.remove());
            return main.textContent;
        }"""
    )


def wait_for_images(page) -> None:
    """Wait until every image of the article has finished loading (or failed to)."""
    page.wait_for_function("() => Array.from(document.querySelectorAll('main img')).every(i => i.complete)")


# --- accessibility ---------------------------------------------------------------------


def undescribed_images(page) -> list[str]:
    """The article's images whose alt text is missing, a file name, or too short to describe anything.

    An empty alt text marks a decorative image on purpose (screen readers skip it) and passes.
    """
    found = []
    for img in page.locator("main img").all():
        alt = img.get_attribute("alt")
        src = img.get_attribute("src") or ""
        if alt == "":
            continue
        file_name = alt is not None and re.fullmatch(r"\S+\.(png|jpe?g|svg|gif)", alt.strip(), re.I)
        if alt is None or file_name or Path(src).name in alt or len(alt.split()) < MIN_ALT_WORDS:
            found.append(f"{src}: alt={alt!r}")
    return found


@pytest.fixture(scope="module")
def axe_source():
    """axe-core's script, installed from npm into ``_build/vendor`` like MathJax (never committed)."""
    path = install_axe(Project.find(__file__))
    if path is None:
        pytest.skip("npm is needed to install axe-core for the accessibility audit")
    return path.read_text(encoding="utf-8")


# Violations of these levels fail the audit; "moderate" and "minor" ones are reported only.
AXE_FAILING_IMPACTS = ("serious", "critical")


def serious_violations(page, axe_source: str) -> list[str]:
    """Run axe-core on the page (after MathJax and the images) and list its serious and critical violations."""
    if page.evaluate("() => typeof window.axe") == "undefined":
        page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async () => await axe.run(document, {iframes: false, resultTypes: ['violations']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in AXE_FAILING_IMPACTS
    ]


def tab_until(page, predicate: str, max_presses: int = 600) -> list[str]:
    """Press Tab until ``predicate`` (a JS function of the focused element) holds; return what was focused on the way."""
    visited = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        described = page.evaluate(
            "() => { const e = document.activeElement; return e ? e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40) : ''; }"
        )
        visited.append(described)
        if page.evaluate(f"() => ({predicate})(document.activeElement)"):
            return visited
    raise AssertionError(f"{max_presses} presses of Tab never reached the element; focused: {visited[-20:]}")


def focus_outline_px(page) -> float:
    """Width of the visible focus outline of the focused element (0 when there is none)."""
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth); }"""
    )


def lecture_page_with_folds() -> str:
    """A lecture page of the outline with a folded code cell ("Show code cell source")."""
    root = Project.find(__file__).content_dir
    for week in OUTLINE.weeks:
        for lecture in week.lectures:
            source = root / f"{lecture.page}.md" if lecture.page else None
            if source is not None and source.is_file() and "hide-input" in source.read_text(encoding="utf-8"):
                return lecture.page
    pytest.skip("no lecture page with a folded code cell")


# A fold of the article (a code cell's "Show code cell source", a "Show solution"), not a
# section toggle of the navigation (also a <details>).
FOLD_SUMMARY = "e => e && e.tagName === 'SUMMARY' && e.parentElement.tagName === 'DETAILS' && e.closest('article') !== null"


def test_keyboard_opens_a_code_fold_on_a_lecture_page(browser, site_url):
    """Tab reaches the first "Show code cell source" fold, with a visible outline; Enter opens it, Space closes it."""
    name = lecture_page_with_folds()
    page, _ = open_page(browser, f"{site_url}/{name}.html")
    visited = tab_until(page, FOLD_SUMMARY)
    assert any(v.startswith("A ") for v in visited), "the navigation links come before the article in the tab order"
    assert focus_outline_px(page) >= 2, "the focused fold has no visible focus outline"
    details = page.locator("details:has(summary:focus)")
    assert not details.evaluate("d => d.open")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.parentElement.open === true")
    page.keyboard.press("Space")
    page.wait_for_function("() => document.activeElement.parentElement.open === false")
    page.close()


@pytest.mark.parametrize("week", [w for w in OUTLINE.weeks if w.exercises.released][:1], ids=lambda w: f"week{w.number}")
def test_keyboard_reaches_colab_download_and_opens_a_solution(browser, site_url, week):
    """On an exercises page Tab reaches the Colab and download links, then a "Show solution" fold, which Enter opens."""
    page, _ = open_page(browser, f"{site_url}/{week.exercises_page}.html")
    tab_until(page, "e => e && e.matches('a.neuro4ml-colab')")
    assert focus_outline_px(page) >= 2, "the focused Colab link has no visible focus outline"
    tab_until(page, "e => e && e.tagName === 'A' && e.textContent.includes('student notebook')")
    assert focus_outline_px(page) >= 2
    tab_until(page, f"e => ({FOLD_SUMMARY})(e) && e.textContent.includes('Show solution')")
    assert focus_outline_px(page) >= 2, "the focused solution fold has no visible focus outline"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.parentElement.open === true")
    solution = page.locator("details:has(summary:focus)")
    assert solution.locator(".cell_input, pre").first.is_visible(), "Enter opened the fold but its code is not shown"
    page.close()


#: Pages outside the outline's weeks, reached from the home page's own toctree.
EXTRA_PAGES = ["instructors"]


def all_pages() -> list[str]:
    """Every page of the outline (the home page, each week's landing page and its pages), and the extra pages."""
    return ["index", *(p for week in OUTLINE.weeks for p in (week.index_page, *week.pages)), *EXTRA_PAGES]


def test_every_page_of_the_outline_is_tested():
    """The parametrisation below comes from the outline, so new weeks and pages are covered."""
    pages = all_pages()
    assert len(pages) == len(set(pages))
    for week in OUTLINE.weeks:
        assert week.index_page in pages
        assert all(lec.page in pages for lec in week.lectures if lec.page)
        assert (week.exercises_page in pages) == week.exercises.released


@pytest.mark.parametrize("name", all_pages())
def test_every_page_opens_with_its_video_math_and_images(browser, site_url, name, artifacts, axe_source):
    page, log = open_page(browser, f"{site_url}/{name}.html")
    assert page.locator("article.bd-article h1").count() == 1
    lecture = OUTLINE.lecture_for_page(name)
    if lecture is not None and lecture.youtube:
        assert lecture.youtube in page.locator(".neuro4ml-video iframe").get_attribute("src")
    elif lecture is not None:
        assert f"Video: {lecture.status}" in page.inner_text("main")
    if wait_for_math(page):
        assert page.locator("mjx-container").count() > 0, f"{name}: MathJax typeset nothing"
    prose = prose_text(page)
    for raw_tex in ("\\frac", "\\tau", "$$", "\\("):
        assert raw_tex not in prose, f"{name}: raw TeX {raw_tex!r} visible"
    wait_for_images(page)
    for img in page.locator("main img").all():
        assert img.evaluate("i => i.naturalWidth > 0"), f"{name}: image {img.get_attribute('src')} did not load"
    assert undescribed_images(page) == [], f"{name}: images without a real alt text"
    assert serious_violations(page, axe_source) == [], f"{name}: axe-core found serious or critical accessibility problems"
    assert log.unexpected() == [], name
    if name.startswith("week0/"):
        page.screenshot(path=str(artifacts / f"{name.replace('/', '_')}.png"), full_page=False, timeout=SLOW_MS)
    page.close()


def test_home_page(browser, site_url, artifacts):
    page, log = open_page(browser, site_url + "/index.html")
    text = page.inner_text("main")
    weeks = page.locator(".neuro4ml-course-weeks")
    week_text = weeks.inner_text()
    for week in OUTLINE.weeks:
        assert week.label in week_text
        for lecture in week.lectures:
            assert lecture.title in week_text
            assert lecture.status_text in week_text
        if not week.exercises.released:
            assert week.exercises.status_text in week_text
    released = sum(week.exercises.released for week in OUTLINE.weeks)
    assert weeks.get_by_role("link", name="Exercises", exact=True).count() == released
    note = page.locator(".neuro4ml-development-note")
    assert note.count() == (1 if OUTLINE.under_development else 0)
    if OUTLINE.under_development:
        assert "still under development" in note.inner_text()
        # Above the week list.
        assert note.evaluate("(n, list) => !!(n.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING)", weeks.element_handle())
    iframe = page.locator(".neuro4ml-video iframe")
    assert iframe.count() == 1
    assert YOUTUBE_ID in iframe.get_attribute("src")
    for link in OUTLINE.links:
        assert page.locator(f'a[href="{link.url}"]').count() >= 1, link.title
    for person in OUTLINE.designers:
        assert person.name in text
    assert "Discord" in text and "Imperial College London" in text
    page.screenshot(path=str(artifacts / "home.png"), full_page=True, timeout=SLOW_MS)
    assert log.unexpected() == []
    page.close()


def exercise_weeks():
    return [w for w in OUTLINE.weeks if w.exercises.released]


@pytest.mark.parametrize("week", exercise_weeks(), ids=lambda w: f"week{w.number}")
def test_exercises_page_has_colab_download_and_folded_solutions(browser, site_url, week, artifacts):
    page, log = open_page(browser, f"{site_url}/{week.exercises_page}.html")
    for nb in week.exercises.notebooks:
        colab = page.locator(f'a.neuro4ml-colab[href*="/exercises/{nb.name}.ipynb"]')
        assert colab.count() == 1
        assert colab.get_attribute("href").startswith(f"https://colab.research.google.com/github/{OUTLINE.repository_slug}/")
        download = page.locator(f'a[href$="{nb.name}.ipynb"]:has-text("student notebook")')
        assert download.count() == 1
        folder = week.exercises_page.rsplit("/", 1)[0]
        response = page.request.get(f"{site_url}/{folder}/{download.get_attribute('href')}", timeout=SLOW_MS)
        assert response.ok and '"nbformat"' in response.text()
    folds = page.locator("details:has-text('Show solution')")
    assert folds.count() >= 1
    assert all(not fold.evaluate("d => d.open") for fold in folds.all()), "solutions must start folded"
    # The stored outputs of the executed solution notebook are shown: every check passed there.
    assert "✅" in page.inner_text("main")
    page.screenshot(path=str(artifacts / f"week{week.number}_exercises.png"), full_page=False, timeout=SLOW_MS)
    assert log.unexpected() == []
    page.close()


def test_navigation_lists_every_week(browser, site_url):
    page, _ = open_page(browser, site_url + "/index.html")
    nav = page.locator(".bd-sidebar-primary").inner_text()
    for week in OUTLINE.weeks:
        assert week.label in nav
    page.close()


def test_no_browser_test_waits_for_network_idle():
    """Waiting for network idleness times out on a busy machine: wait for what the test needs."""
    source = Path(__file__).read_text(encoding="utf-8")
    idle = "network" + "idle"
    assert f'"{idle}"' not in source and f"'{idle}'" not in source


@pytest.mark.parametrize("week", [w for w in OUTLINE.weeks if w.leaderboard], ids=lambda w: f"week{w.number}")
def test_leaderboard_page_lists_every_committed_submission_in_rank_order(browser, site_url, week):
    from neuro4ml.competition import leaderboard

    entries = leaderboard(f"w{week.number}", PROJECT.root / "leaderboard" / f"w{week.number}")
    scored = [e for e in entries if e.result is not None]
    assert scored, f"leaderboard/w{week.number} holds no scored submission"
    page, log = open_page(browser, f"{site_url}/{week.leaderboard}.html")
    rows = page.locator("main table tbody tr")
    rows.first.wait_for(timeout=SLOW_MS)
    shown = [row.inner_text() for row in rows.all()]
    assert len(shown) == len(scored)
    for row, entry in zip(shown, scored):
        assert entry.result.team in row, f"row {row!r} should be {entry.result.team}'s"
    assert log.unexpected() == []
