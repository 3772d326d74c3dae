"""Slide decks for the lecture pages, made from the pages themselves.

A lecture page marks what goes on slides with the ``{slide}`` directive, placed
just after the heading of each section that gets a slide::

    ## The leaky integrate-and-fire neuron

    ```{slide}
    :equations: 2
    - Membrane potential leaks back to rest with time constant $\\tau$
    - Spike and reset when $V$ reaches threshold
    - f–I curve: silent below threshold, then close to a ReLU
    ```

The directive renders nothing on the page. When the site is built, each lecture
page (a lecture item of ``course.yml`` with a page) gets a deck at
``slides/<week>/<page>.html``, in document order:

- a title slide (the page's title, its week and the course);
- for every ``{slide}``: a slide titled with the heading of the section it sits in
  (or the directive's argument), holding the directive's points and the section's
  chosen display equations; the section's prose becomes the slide's speaker notes
  (``<aside class="notes">``, shown by reveal.js's speaker view, hidden otherwise);
- after it, one slide per figure of the section (the images its code cells draw and
  its ``{figure}``s, large, with their alt texts and captions).

A section is the part of the page under a heading. A ``##`` section without a
``{slide}`` is left out of the deck; a ``###`` subsection without one belongs to
the slide of the section it is in. With several ``{slide}``s in one section (each
with its own title as argument), the prose, figures and equations after each mark
belong to it.

Options: ``:figures:`` chooses the figures (``none``, or figure names and 1-based
positions among the slide's figures, e.g. ``fig-lif-fi 2``; default: all of them);
``:equations:`` chooses the display equations shown (equation labels and 1-based
positions among the slide's display equations, e.g. ``eq-lif 1``; default: only
labelled equations, since most sections have more than fit).

Limits a lecturer can rely on: at most :data:`MAX_WORDS` words of visible text in a
``{slide}`` (maths and markup not counted; :func:`source_problems`, run by
``neuro4ml check``), and :data:`MIN_SLIDES`–:data:`MAX_SLIDES` slides per deck (the
build warns, which fails a strict build). The browser test
``tests/test_browser_slides.py`` checks that no slide overflows 1280×720.

Decks use reveal.js (:data:`REVEAL_PACKAGE`, installed from npm at build time into
``_build/vendor`` and served from ``_static/revealjs``; from a CDN when npm is
missing) and the site's MathJax, so they work offline and from the keyboard
(arrow keys, Space, ``S`` for the speaker view with the notes).
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

# Exact version: decks look and behave the same on every build.
REVEAL_PACKAGE = "reveal.js@5.2.1"
REVEAL_CDN = "https://cdn.jsdelivr.net/npm/reveal.js@5.2.1/dist"
# What a deck needs from the package's dist/ folder, copied to _static/revealjs/.
REVEAL_FILES = ("reveal.js", "reveal.css", "reset.css", "theme/white.css", "plugin/notes/notes.js", "LICENSE")
MAX_WORDS = 40
MIN_SLIDES = 8
MAX_SLIDES = 25


# --- the directive ------------------------------------------------------------------


class slide_mark(nodes.General, nodes.Element):
    """Where a ``{slide}`` directive stood: its points as children, its options as attributes."""


def _skip(self, node):
    raise nodes.SkipNode


def _space_separated(argument: str | None) -> list[str]:
    return (argument or "").split()


class SlideDirective(SphinxDirective):
    """``{slide}``: the short points of a section's slide (not shown on the page)."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"figures": _space_separated, "equations": _space_separated}

    def run(self) -> list[nodes.Node]:
        node = slide_mark()
        node["title"] = self.arguments[0] if self.arguments else ""
        node["figures"] = self.options.get("figures")
        node["equations"] = self.options.get("equations", [])
        node["docname"] = self.env.docname
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


# --- the static check (neuro4ml check) -----------------------------------------------

_FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{slide\}(?P<title>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$|\{math\}`[^`]*`", re.S)
_ROLE = re.compile(r"\{[\w:.-]+\}`([^`]*)`")
_WORD = re.compile(r"[^\W_]", re.UNICODE)


def visible_words(markdown: str) -> int:
    """Words of visible text in a slide's Markdown: maths, option lines and list markers do not count.

    A word is a whitespace-separated token containing a letter or digit (``f–I`` is one word;
    a lone ``-`` or ``→`` is none).
    """
    lines = [line for line in markdown.splitlines() if not re.match(r"^\s*:[\w-]+:", line)]
    text = _MATH.sub(" ", "\n".join(lines))
    text = _ROLE.sub(r"\1", text)
    return sum(1 for token in text.split() if _WORD.search(token))


@dataclass
class SourceSlide:
    """A ``{slide}`` as written in a page's source."""

    line: int
    title: str
    body: str

    @property
    def words(self) -> int:
        return visible_words(self.title + "\n" + self.body)


def source_slides(text: str) -> list[SourceSlide]:
    """The ``{slide}`` directives of a MyST Markdown source, in order (backtick or colon fences)."""
    return [
        SourceSlide(text.count("\n", 0, m.start()) + 1, m.group("title").strip(), m.group("body"))
        for m in _FENCE.finditer(text)
    ]


@dataclass
class SlideProblem:
    path: Path
    line: int | None
    message: str

    def describe(self, root: Path) -> str:
        where = self.path.relative_to(root) if self.path.is_relative_to(root) else self.path
        return f"{where}{f':{self.line}' if self.line else ''}: {self.message}"


def source_problems(project) -> list[SlideProblem]:
    """Lecture pages (course.yml's lecture items with a page) without ``{slide}`` marks, and slides over the word limit."""
    found = []
    for week in project.outline(check_pages=False).weeks:
        for lecture in week.lectures:
            if not lecture.page:
                continue
            path = project.content_dir / f"{lecture.page}.md"
            if not path.is_file():
                continue
            slides = source_slides(path.read_text(encoding="utf-8"))
            if not slides:
                found.append(SlideProblem(path, None, "no {slide} marks: a lecture page needs a deck (see the README, 'Slides')"))
            for s in slides:
                if s.words > MAX_WORDS:
                    found.append(SlideProblem(
                        path, s.line, f"{s.words} words of visible text on one slide (at most {MAX_WORDS}; maths not counted)"
                    ))
    return found


# --- collecting a deck from a resolved doctree -------------------------------------------


@dataclass
class Figure:
    source: Path
    alt: str
    caption: str = ""
    name: str = ""


@dataclass
class Slide:
    mark: slide_mark
    title: str
    notes: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    equations: list[nodes.math_block] = field(default_factory=list)


def _title(section: nodes.section) -> str:
    return section[0].astext() if section.children and isinstance(section[0], nodes.title) else ""


def _image_source(app: Sphinx, image: nodes.image) -> Path | None:
    candidates = image.get("candidates", {})
    uri = candidates.get("*") or next(iter(candidates.values()), None) or image.get("uri", "")
    if not uri or "://" in uri or uri.startswith("data:"):
        return None
    path = Path(uri) if Path(uri).is_absolute() else Path(app.srcdir) / uri
    return path if path.is_file() else None


def _figures(app: Sphinx, node: nodes.Node) -> list[Figure]:
    found = []
    for image in node.findall(nodes.image):
        source = _image_source(app, image)
        if source is None:
            continue
        figure = image.parent if isinstance(image.parent, nodes.figure) else None
        caption = ""
        name = ""
        if figure is not None:
            captions = [c for c in figure.children if isinstance(c, nodes.caption)]
            caption = captions[0].astext() if captions else ""
            name = (figure.get("names") or [""])[0]
        found.append(Figure(source, image.get("alt", ""), caption, name))
    return found


def _is_code_cell(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and "cell" in node.get("classes", [])


def _collect(app: Sphinx, node: nodes.Node, slide: Slide) -> None:
    slide.figures += _figures(app, node)
    slide.equations += list(node.findall(nodes.math_block))
    if isinstance(node, (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list, nodes.definition_list)):
        slide.notes.append(" ".join(node.astext().split()))


def _walk(app: Sphinx, section: nodes.section, inherited: Slide | None, slides: list[Slide], depth: int) -> None:
    marks = [c for c in section.children if isinstance(c, slide_mark)]
    current = inherited
    if marks:
        # Content before a section's first mark belongs to that mark.
        current = Slide(marks[0], marks[0]["title"] or _title(section))
        slides.append(current)
    for child in section.children:
        if isinstance(child, slide_mark):
            if child is not current.mark:
                current = Slide(child, child["title"] or _title(section))
                slides.append(current)
        elif isinstance(child, nodes.section):
            # A ## section without a mark is left out; deeper ones join their parent's slide.
            _walk(app, child, current if depth >= 2 else None, slides, depth + 1)
        elif current is not None and not isinstance(child, nodes.title):
            _collect(app, child, current)


def collect(app: Sphinx, doctree: nodes.document) -> tuple[str, list[Slide]]:
    """The page's title and its slides (without the title slide), from a resolved doctree."""
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return "", []
    slides: list[Slide] = []
    _walk(app, top, None, slides, 1)
    return _title(top), slides


def _choose(items: list, keys: list[str] | None, name_of, default: list) -> list:
    """Pick items by name or 1-based position; ``none`` picks nothing; no keys gives ``default``."""
    if keys is None:
        return default
    chosen = []
    for key in keys:
        if key == "none":
            return []
        if key == "all":
            return list(items)
        if key.isdigit() and 1 <= int(key) <= len(items):
            chosen.append(items[int(key) - 1])
            continue
        named = [item for item in items if name_of(item) == key]
        if not named:
            raise KeyError(key)
        chosen += named
    return chosen


# --- writing a deck -----------------------------------------------------------------------

_CSS = """
.reveal { font-size: 30px; }
.reveal .slides section { text-align: left; height: 100%; box-sizing: border-box; }
.reveal h1, .reveal h2 { text-transform: none; }
.reveal h1 { font-size: 1.9em; }
.reveal h2 { font-size: 1.35em; margin-bottom: 0.5em; }
.reveal ul, .reveal ol { display: block; margin-left: 1em; }
.reveal li { margin: 0.3em 0; line-height: 1.3; }
.reveal p { line-height: 1.3; }
.reveal .n4ml-equation { font-size: 0.9em; margin-top: 0.6em; }
.reveal .n4ml-figure figure { margin: 0; text-align: center; }
.reveal .n4ml-figure img { max-width: 100%; max-height: 540px; margin: 0 auto; object-fit: contain; }
.reveal .n4ml-figure figcaption { font-size: 0.6em; margin-top: 0.3em; }
.reveal .slides section.n4ml-title { padding-top: 180px; }
.reveal .n4ml-title p { font-size: 0.8em; color: #444; }
.reveal a { color: #0b57a4; }
"""


def _fragment(app: Sphinx, node: nodes.Node) -> str:
    return app.builder.render_partial(node.deepcopy())["fragment"]


def _static_url(app: Sphinx, depth: int) -> str:
    return "../" * depth + "_static"


def render_deck(app: Sphinx, docname: str, title: str, subtitle: str, slides: list[tuple[Slide, list, list]]) -> tuple[str, int]:
    """The deck's HTML and its number of slides. ``slides``: each slide with its chosen figures and equations."""
    depth = docname.count("/") + 1  # slides/<week>/<page>.html
    static = _static_url(app, depth)
    reveal = f"{static}/revealjs" if (Path(app.outdir) / "_static" / "revealjs" / "reveal.js").is_file() else REVEAL_CDN
    mathjax = app.config.mathjax_path
    if "://" not in mathjax:
        mathjax = f"{static}/{mathjax}"
    config = dict(getattr(app.config, "mathjax4_config", None) or {})

    page_url = "../" * depth + docname + ".html"
    sections = [
        '<section class="n4ml-title">'
        f"<h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p>"
        f'<p><a href="{page_url}">The lecture page</a> · press <kbd>S</kbd> for speaker notes</p></section>'
    ]
    for slide, figures, equations in slides:
        body = "".join(_fragment(app, child) for child in slide.mark.children)
        maths = "".join(f'<div class="n4ml-equation">{_fragment(app, eq)}</div>' for eq in equations)
        notes = "".join(f"<p>{html.escape(n)}</p>" for n in slide.notes)
        sections.append(
            f'<section class="n4ml-points"><h2>{html.escape(slide.title)}</h2>{body}{maths}'
            f'<aside class="notes">{notes}</aside></section>'
        )
        for figure in figures:
            image = _copy_image(app, docname, figure)
            caption = f"<figcaption>{html.escape(figure.caption)}</figcaption>" if figure.caption else ""
            sections.append(
                f'<section class="n4ml-figure"><h2>{html.escape(slide.title)}</h2><figure>'
                f'<img src="{image}" alt="{html.escape(figure.alt, quote=True)}">{caption}</figure>'
                f'<aside class="notes"><p>{html.escape(figure.alt)}</p></aside></section>'
            )
    deck = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} (slides)</title>
<link rel="stylesheet" href="{reveal}/reset.css">
<link rel="stylesheet" href="{reveal}/reveal.css">
<link rel="stylesheet" href="{reveal}/theme/white.css">
<style>{_CSS}</style>
<script>window.MathJax = {json.dumps(config)};</script>
<script defer src="{mathjax}"></script>
</head>
<body>
<div class="reveal"><div class="slides">
{chr(10).join(sections)}
</div></div>
<script src="{reveal}/reveal.js"></script>
<script src="{reveal}/plugin/notes/notes.js"></script>
<script>Reveal.initialize({{width: 1280, height: 720, margin: 0.04, center: false, hash: true, keyboard: true,
  transition: "none", plugins: [RevealNotes]}});</script>
</body>
</html>
"""
    return deck, len(sections)


def _copy_image(app: Sphinx, docname: str, figure: Figure) -> str:
    """Copy a figure's image beside the deck; return its URL relative to the deck."""
    folder = Path(app.outdir) / "slides" / posixpath.dirname(docname) / "_images"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{posixpath.basename(docname)}-{figure.source.name}"
    shutil.copy2(figure.source, folder / name)
    return f"_images/{name}"


def _outline(app: Sphinx):
    from .outline import load_outline

    path = app.config.neuro4ml_outline
    return load_outline(Path(path)) if path else None


def write_deck(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: write the page's deck (a lecture page must have one) and check its size."""
    if app.builder.format != "html":
        return
    outline = _outline(app)
    lecture = outline.lecture_for_page(docname) if outline else None
    marks = list(doctree.findall(slide_mark))
    if not marks:
        if lecture is not None:
            logger.warning(f"slides: lecture page {docname!r} has no {{slide}} marks", location=docname)
        return
    title, slides = collect(app, doctree)
    chosen = []
    for slide in slides:
        try:
            figures = _choose(slide.figures, slide.mark["figures"], lambda f: f.name, slide.figures)
            labelled = [eq for eq in slide.equations if eq.get("label")]
            equations = _choose(slide.equations, slide.mark["equations"] or None, lambda e: e.get("label"), labelled)
        except KeyError as exc:
            logger.warning(f"slides: {{slide}} '{slide.title}' names {exc.args[0]!r}, which is not one of its section's "
                           "figures or equations (give a name or a 1-based position)", location=slide.mark)
            figures, equations = slide.figures, []
        chosen.append((slide, figures, equations))
    subtitle = app.config.project
    if outline is not None:
        for week in outline.weeks:
            if lecture in week.lectures:
                subtitle = f"{week.label} · {app.config.project}"
    deck, count = render_deck(app, docname, title, subtitle, chosen)
    if lecture is not None and not MIN_SLIDES <= count <= MAX_SLIDES:
        logger.warning(f"slides: the deck of {docname!r} has {count} slides (a lecture's deck has "
                       f"{MIN_SLIDES}–{MAX_SLIDES}); add or remove {{slide}} marks", location=docname)
    target = Path(app.outdir) / "slides" / f"{docname}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(deck, encoding="utf-8")


def outdated_decks(app: Sphinx, env, added, changed, removed) -> list[str]:
    """``env-get-outdated``: lecture pages whose deck is missing or older than this module, so a deck is always written.

    Decks are written while their page is written; without this, a build after a change to
    this module (or after ``_build/html/slides`` was removed) would keep stale decks.
    """
    if app.builder.format != "html":
        return []
    outline = _outline(app)
    if outline is None:
        return []
    stamp = Path(__file__).stat().st_mtime
    stale = []
    for week in outline.weeks:
        for lecture in week.lectures:
            page = lecture.page
            if not page or page not in env.found_docs or page in added or page in changed:
                continue
            deck = Path(app.outdir) / "slides" / f"{page}.html"
            if not deck.is_file() or deck.stat().st_mtime < stamp:
                stale.append(page)
    return stale


def setup(app: Sphinx) -> dict:
    app.add_node(slide_mark, html=(_skip, None), latex=(_skip, None), text=(_skip, None), man=(_skip, None),
                 texinfo=(_skip, None))
    app.add_directive("slide", SlideDirective)
    app.connect("doctree-resolved", write_deck)
    app.connect("env-get-outdated", outdated_decks)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": False}
