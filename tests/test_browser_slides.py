"""Every lecture's slide deck on the built site, stepped through from the keyboard in headless chromium.

For each lecture page of the outline: its page links to its deck; the deck has 8-25
slides; moving with ArrowRight and Space reaches every slide in order; on every slide
nothing overflows the 1280×720 slide (the current slide's scrollHeight and scrollWidth),
every image has loaded and has a real alt text, maths is typeset by MathJax (its output
elements are there and no raw TeX delimiters are visible), a points slide shows at most
40 words, and no request leaves 127.0.0.1 (reveal.js and MathJax are served by the site).
Like tests/test_browser.py, every wait is for a specific condition, never for the
network to go quiet.
"""

from __future__ import annotations

import re

import pytest

from neuro4ml.course import slides
from test_browser import OUTLINE, SLOW_MS, RequestLog, browser, wait_for_math  # noqa: F401

pytestmark = [pytest.mark.site, pytest.mark.browser]

LECTURES = [lecture.page for week in OUTLINE.weeks for lecture in week.lectures if lecture.page]
WIDTH, HEIGHT = 1280, 720
# Screenshots of these decks' slides go to test-artifacts/ for a person to look at.
SCREENSHOTS = {"week3/connectomes", "week1/abstract-models"}

SLIDE_STATE = """() => {
    const slide = Reveal.getCurrentSlide();
    const visible = slide.cloneNode(true);
    visible.querySelectorAll('aside.notes, mjx-container, script').forEach(e => e.remove());
    const points = slide.classList.contains('n4ml-points') ? visible.cloneNode(true) : null;
    if (points) points.querySelectorAll('h1, h2').forEach(e => e.remove());
    return {
        index: Reveal.getIndices().h,
        scrollHeight: slide.scrollHeight,
        scrollWidth: slide.scrollWidth,
        text: visible.textContent,
        pointWords: points ? points.textContent.split(/\\s+/).filter(w => /[\\p{L}\\p{N}]/u.test(w)).length : 0,
        mathSources: slide.querySelectorAll('.math').length,
        mathOutputs: slide.querySelectorAll('mjx-container').length,
        images: Array.from(slide.querySelectorAll('img')).map(i => ({
            src: i.getAttribute('src'), alt: i.getAttribute('alt'), loaded: i.complete && i.naturalWidth > 0})),
    };
}"""


def test_every_lecture_page_links_to_its_deck(built_site):
    for page in LECTURES:
        html = (built_site / f"{page}.html").read_text(encoding="utf-8")
        href = "../" * page.count("/") + f"slides/{page}.html"
        assert f'href="{href}"' in html, f"{page} has no Slides link to {href}"
        assert (built_site / "slides" / f"{page}.html").is_file()
    assert (built_site / "_static" / "revealjs" / "reveal.js").is_file(), "reveal.js is not served by the site"


@pytest.mark.parametrize("page", LECTURES)
def test_deck_steps_through_every_slide_within_the_limits(browser, site_url, artifacts, page):
    tab = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    tab.set_default_timeout(SLOW_MS)
    log = RequestLog(tab)
    tab.goto(f"{site_url}/slides/{page}.html", wait_until="domcontentloaded")
    tab.wait_for_function("() => window.Reveal && Reveal.isReady()")
    wait_for_math(tab)
    total = tab.evaluate("() => Reveal.getTotalSlides()")
    assert slides.MIN_SLIDES <= total <= slides.MAX_SLIDES, f"{page}: {total} slides"
    tab.locator("body").focus()
    problems = []
    for i in range(total):
        tab.wait_for_function("i => Reveal.getIndices().h === i", arg=i)
        tab.wait_for_function(
            "() => Array.from(Reveal.getCurrentSlide().querySelectorAll('img')).every(i => i.complete)"
        )
        state = tab.evaluate(SLIDE_STATE)
        where = f"{page} slide {i + 1}/{total}"
        if state["scrollHeight"] > HEIGHT or state["scrollWidth"] > WIDTH:
            problems.append(f"{where} overflows: {state['scrollWidth']}×{state['scrollHeight']} > {WIDTH}×{HEIGHT}")
        for image in state["images"]:
            if not image["loaded"]:
                problems.append(f"{where}: image {image['src']} did not load")
            if not image["alt"] or len(image["alt"].split()) < 5:
                problems.append(f"{where}: image {image['src']} has no real alt text ({image['alt']!r})")
        if state["mathSources"] and not state["mathOutputs"]:
            problems.append(f"{where}: maths not typeset")
        raw = re.findall(r"\$\$|\\\(|\\\[|\\begin\{", state["text"])
        if raw:
            problems.append(f"{where}: raw TeX visible ({raw})")
        if state["pointWords"] > slides.MAX_WORDS:
            problems.append(f"{where}: {state['pointWords']} words of visible text")
        if page in SCREENSHOTS:
            tab.screenshot(path=str(artifacts / f"slides_{page.replace('/', '_')}_{i + 1:02d}.png"))
        if i + 1 < total:
            tab.keyboard.press("ArrowRight" if i % 2 == 0 else "Space")
    assert problems == []
    assert log.unexpected() == []
    tab.close()
