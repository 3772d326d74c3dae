"""Slide decks (neuro4ml.course.slides): what a page's ``{slide}`` marks put in its deck, and the limits.

The decks are built from a small Sphinx project written here (one lecture page of the
real outline, so the build treats it as a lecture), and read back from the HTML. The
browser test (tests/test_browser_slides.py) steps through the real decks.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from neuro4ml.course import slides
from neuro4ml.course.project import Project

ROOT = Path(__file__).resolve().parents[2]

PAGE = """\
# Connectomes

Intro prose that opens the page.

```{slide} What you will learn
- How a wiring diagram is measured
```

## Measuring

```{slide}
- Electron microscopy resolves every synapse
- Segmentation errors: *merges* and splits
```

Measuring prose about microscopes.

![A square grey test image used as a plotted figure](square.png)

$$
A_{ij} = \\text{synapses from } i \\text{ to } j
$$ (eq-count)

$$
x = \\alpha + 1
$$

```{figure} square.png
:name: fig-square
:alt: The same grey square, shown again as a named figure

A caption for the square.
```

## Left out

Prose of a section without a slide, never in a deck.

## Models

```{slide}
:equations: 2
:figures: none
- Use the connectome as a prior: $W = M \\odot \\theta$
```

Models prose.

$$
y = 1
$$

$$
z = \\beta^2
$$

### A subsection

Subsection prose joins the Models slide.

![Another grey square inside a subsection of the page](square.png)

## Two slides

```{slide} First of two
- One
```

First prose.

```{slide} Second of two
- Two
```

Second prose.
"""


def build(tmp_path: Path, page: str) -> tuple[Path, str]:
    """Build a site with ``page`` as week3/connectomes; return the output folder and the warnings."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    (src / "week3").mkdir(parents=True)
    (src / "conf.py").write_text(
        "extensions = ['myst_parser', 'sphinx.ext.mathjax', 'neuro4ml.course.sphinx_ext']\n"
        "myst_enable_extensions = ['dollarmath', 'amsmath']\n"
        f"neuro4ml_outline = {str(ROOT / 'course.yml')!r}\n"
        "project = 'Test course'\n"
    )
    (src / "index.md").write_text("# Home\n\n```{toctree}\nweek3/connectomes\n```\n")
    (src / "week3" / "connectomes.md").write_text(page)
    fig, ax = plt.subplots(figsize=(1, 1))
    ax.imshow([[0.5]], cmap="Greys", vmin=0, vmax=1)
    fig.savefig(src / "week3" / "square.png")
    plt.close(fig)
    out = tmp_path / "html"
    warnings = io.StringIO()
    app = Sphinx(str(src), str(src), str(out), str(tmp_path / "doctrees"), "html", status=None, warning=warnings,
                 freshenv=True)
    app.build()
    return out, warnings.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("slides"), PAGE)


def sections(deck: str) -> list[str]:
    body = deck.split('<div class="slides">')[1]
    return re.findall(r"<section.*?</section>", body, re.S)


def titles(deck: str) -> list[str]:
    return [re.search(r"<h[12]>(.*?)</h[12]>", s).group(1) for s in sections(deck)]


def test_deck_has_the_title_slide_each_mark_and_each_figure_in_order(built):
    out, _ = built
    deck = (out / "slides" / "week3" / "connectomes.html").read_text()
    assert titles(deck) == [
        "Connectomes", "What you will learn", "Measuring", "Measuring", "Measuring", "Models",
        "First of two", "Second of two",
    ]
    first = sections(deck)[0]
    assert "Week 3" in first and 'href="../../week3/connectomes.html"' in first


def test_points_are_rendered_and_prose_becomes_speaker_notes(built):
    out, _ = built
    deck = (out / "slides" / "week3" / "connectomes.html").read_text()
    s = sections(deck)
    assert "<li>" in s[2] and "<em>merges</em>" in s[2]
    notes = re.search(r'<aside class="notes">(.*?)</aside>', s[2], re.S).group(1)
    assert "Measuring prose about microscopes." in notes
    assert "Intro prose that opens the page." in s[1]
    assert "Left out" not in deck and "never in a deck" not in deck
    models = s[5]
    assert "Subsection prose joins the Models slide." in models
    assert "First prose." in s[6] and "Second prose." not in s[6] and "Second prose." in s[7]


def test_figures_get_slides_of_their_own_with_alt_text_and_caption(built):
    out, _ = built
    deck = (out / "slides" / "week3" / "connectomes.html").read_text()
    s = sections(deck)
    images = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', deck)
    # The subsection's figure is dropped by `:figures: none`.
    assert [alt for _, alt in images] == [
        "A square grey test image used as a plotted figure",
        "The same grey square, shown again as a named figure",
    ]
    for src, _ in images:
        assert (out / "slides" / "week3" / src).is_file()
    assert "<figcaption>A caption for the square.</figcaption>" in s[4]


def test_equations_labelled_by_default_or_chosen(built):
    out, _ = built
    s = sections((out / "slides" / "week3" / "connectomes.html").read_text())
    assert "A_{ij}" in s[2] and "\\alpha" not in s[2]  # only the labelled one
    assert "\\beta^2" in s[5] and "y = 1" not in s[5].split("<aside")[0]
    assert r"\(W = M \odot \theta\)" in s[5]  # inline maths, for MathJax


def test_page_shows_no_slide_text_and_deck_uses_local_maths(built):
    out, _ = built
    page = (out / "week3" / "connectomes.html").read_text()
    assert "Electron microscopy resolves every synapse" not in page
    deck = (out / "slides" / "week3" / "connectomes.html").read_text()
    assert 'src="../../_static/mathjax' in deck or "cdn.jsdelivr.net/npm/mathjax" in deck
    assert "Reveal.initialize" in deck


def test_a_deck_outside_the_slide_count_limits_warns(built):
    _, warnings = built
    assert "slides: the deck of" not in warnings  # 8 slides: within the limits
    short = built[0].parent / "short"
    short.mkdir()
    out, warnings = build(short, "# Connectomes\n\n## One\n\n```{slide}\n- only\n```\n")
    assert "has 2 slides (a lecture's deck has 8–25)" in warnings


def test_lecture_video_links_to_the_slides(tmp_path):
    out, warnings = build(tmp_path, "# Connectomes\n\n```{lecture-video}\n```\n\n" + PAGE.split("\n", 1)[1])
    page = (out / "week3" / "connectomes.html").read_text()
    assert re.search(r'<a class="reference external" href="../slides/week3/connectomes.html">Slides</a>', page)


def test_unknown_figure_name_warns(tmp_path):
    _, warnings = build(tmp_path, "# Connectomes\n\n## One\n\n```{slide}\n:figures: fig-nope\n- only\n```\n")
    assert "'fig-nope'" in warnings


@pytest.mark.parametrize(
    "markdown, words",
    [
        ("- Spike and reset when $V > \\theta$", 4),
        ("- f–I curve → ReLU\n- $$x$$ and {math}`y`", 4),
        (":equations: 1 2\n- One two", 2),
        ("- see {numref}`fig-lif` now", 3),
    ],
)
def test_visible_words_leave_out_maths_markers_and_options(markdown, words):
    assert slides.visible_words(markdown) == words


def test_source_slides_finds_both_fence_styles():
    text = "# T\n\n```{slide} Title here\n- a b\n```\n\ntext\n\n:::{slide}\n- c\n:::\n"
    found = slides.source_slides(text)
    assert [(s.line, s.title, s.words) for s in found] == [(3, "Title here", 4), (9, "", 1)]


def test_check_names_a_page_without_marks_and_a_wordy_slide(tmp_path):
    import shutil

    shutil.copy(ROOT / "course.yml", tmp_path / "course.yml")
    project = Project(tmp_path)
    outline = project.outline(check_pages=False)
    pages = [lecture.page for week in outline.weeks for lecture in week.lectures if lecture.page]
    for page in pages:
        path = project.content_dir / f"{page}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# Page\n\n## A\n\n```{slide}\n- fine\n```\n")
    (project.content_dir / f"{pages[0]}.md").write_text("# Page\n\nNo marks.\n")
    wordy = " ".join(["word"] * 41)
    (project.content_dir / f"{pages[1]}.md").write_text(f"# Page\n\n## A\n\n```{{slide}}\n- {wordy}\n```\n")
    problems = [p.describe(tmp_path) for p in slides.source_problems(project)]
    assert problems == [
        f"content/{pages[0]}.md: no {{slide}} marks: a lecture page needs a deck (see the README, 'Slides')",
        f"content/{pages[1]}.md:5: 41 words of visible text on one slide (at most 40; maths not counted)",
    ]


def test_every_lecture_page_has_slide_marks_within_the_word_limit(project):
    assert [p.describe(project.root) for p in slides.source_problems(project)] == []


def test_a_missing_deck_is_written_again_by_an_incremental_build(tmp_path):
    from sphinx.application import Sphinx

    out, _ = build(tmp_path, PAGE)
    deck = out / "slides" / "week3" / "connectomes.html"
    first = deck.read_text()
    deck.unlink()
    src = tmp_path / "src"
    app = Sphinx(str(src), str(src), str(out), str(tmp_path / "doctrees"), "html", status=None, warning=io.StringIO())
    app.build()
    assert deck.read_text() == first
