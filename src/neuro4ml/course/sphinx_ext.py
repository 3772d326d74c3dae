"""Sphinx directives that render parts of the site from the outline.

- ``course-weeks``: the week-by-week list with every item's status, below a
  note that the course is under development while any item is unreleased;
- ``course-links``: the quick links (playlist, exercises, Discord);
- ``course-authors``: the course's designers;
- ``course-toctree``: the site navigation, one entry per week;
- ``lecture-video``: the YouTube video of a lecture page (the current page, or
  the page given as argument), or a note saying its status ("not recorded yet");
- ``leaderboard``: a competition's leaderboard (``w1`` or ``w8``), re-scored from
  the submission files in ``leaderboard/<competition>/`` every time the page is
  built (:func:`neuro4ml.competition.leaderboard`), so no score is typed by hand; a
  rejected file is listed with its reason instead of breaking the build.

It also loads :mod:`neuro4ml.course.slides` (the ``{slide}`` directive and the lecture
decks under ``slides/``); ``lecture-video`` adds the "Slides" link below the video.

``conf.py`` enables the extension and sets ``neuro4ml_outline`` to the path of
``course.yml``; every page using a directive depends on that file, so editing
the outline rebuilds them. ``neuro4ml_leaderboards`` is the folder of submission
folders (default: ``leaderboard/`` beside ``course.yml``); a leaderboard page
depends on its folder and every file in it.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.directives.other import TocTree
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .outline import Outline, load_outline
from .render import development_note, linker, weeks_list

logger = logging.getLogger(__name__)

YOUTUBE_EMBED = "https://www.youtube.com/embed/{}"


def _outline(directive: SphinxDirective) -> Outline:
    path = Path(directive.config.neuro4ml_outline)
    directive.env.note_dependency(str(path))
    return load_outline(path)


class OutlineMarkdownDirective(SphinxDirective):
    """Base: render Markdown made from the outline in place of the directive."""

    has_content = False

    def markdown(self, outline: Outline, link) -> str:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        outline = _outline(self)
        link = linker(posixpath.dirname(self.env.docname))
        container = nodes.container(classes=[f"neuro4ml-{self.name}"])
        text = self.markdown(outline, link)
        self.state.nested_parse(StringList(text.splitlines(), source=self.env.docname), self.content_offset, container)
        return [container]


class CourseWeeks(OutlineMarkdownDirective):
    """The week list, below a note saying the course is under development while anything is unreleased."""

    def markdown(self, outline, link):
        return weeks_list(outline, link)

    def run(self) -> list[nodes.Node]:
        note = development_note(_outline(self))
        if note is None:
            return super().run()
        admonition = nodes.note(classes=["neuro4ml-development-note"])
        self.state.nested_parse(StringList([note], source=self.env.docname), self.content_offset, admonition)
        return [admonition, *super().run()]


class CourseLinks(OutlineMarkdownDirective):
    def markdown(self, outline, link):
        return "\n".join(f"- [{item.title}]({item.url})" for item in outline.links) + "\n"


class CourseAuthors(OutlineMarkdownDirective):
    def markdown(self, outline, link):
        return "\n".join(f"- [{person.name}]({person.url})" for person in outline.designers) + "\n"


class CourseTocTree(TocTree):
    """A toctree listing every week's landing page, in outline order."""

    has_content = False

    def run(self):
        outline = _outline(self)
        here = posixpath.dirname(self.env.docname)
        self.content = StringList(
            [posixpath.relpath(week.index_page, here or ".") for week in outline.weeks], source=self.env.docname
        )
        self.options.setdefault("maxdepth", 2)
        self.options.setdefault("caption", "Weeks")
        return super().run()


class LectureVideo(SphinxDirective):
    """The YouTube embed of a lecture page, or a note with its status."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        page = self.arguments[0] if self.arguments else self.env.docname
        lecture = _outline(self).lecture_for_page(page)
        if lecture is None:
            logger.warning(
                f"lecture-video: page {page!r} is not a lecture page in course.yml", location=self.get_location()
            )
            return []
        if lecture.youtube:
            src = YOUTUBE_EMBED.format(lecture.youtube)
            html = (
                f'<div class="neuro4ml-video"><iframe src="{src}" title="{lecture.title} (video)" '
                'frameborder="0" allow="accelerometer; clipboard-write; encrypted-media; gyroscope; '
                'picture-in-picture; web-share" referrerpolicy="strict-origin-when-cross-origin" '
                "allowfullscreen></iframe></div>"
            )
            return [nodes.raw("", html, format="html"), self._slides_link(page)]
        note = nodes.note()
        note += nodes.paragraph(text=f"Video: {lecture.status or 'not recorded yet'}.")
        return [note, self._slides_link(page)]

    def _slides_link(self, page: str) -> nodes.paragraph:
        """The link to the page's slide deck (neuro4ml.course.slides), relative to the current page."""
        here = posixpath.dirname(self.env.docname)
        url = posixpath.relpath(f"slides/{page}.html", here or ".")
        link = nodes.reference("", "Slides", refuri=url)
        return nodes.paragraph("", "", link, nodes.Text(" for this lecture (arrow keys or Space to move, S for the speaker notes)"),
                               classes=["neuro4ml-slides-link"])


def _table(headings: list[str], rows: list[list[str]], classes: list[str]) -> nodes.table:
    """A docutils table with a header row; every cell is plain text (team names are never parsed as markup)."""
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headings))
    table += group
    group += [nodes.colspec(colwidth=1) for _ in headings]
    head, body = nodes.thead(), nodes.tbody()
    group += [head, body]
    for parent, cells in [(head, headings), *((body, row) for row in rows)]:
        row_node = nodes.row()
        for text in cells:
            row_node += nodes.entry("", nodes.paragraph(text=text))
        parent += row_node
    return table


class Leaderboard(SphinxDirective):
    """A competition's leaderboard, re-scored from its folder of submission files at build time."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        from neuro4ml.competition import PRACTICE_SET, SECRET_ENV, SubmissionError, competition, leaderboard

        name = self.arguments[0]
        folder = Path(self.config.neuro4ml_leaderboards or Path(self.config.neuro4ml_outline).parent / "leaderboard") / name
        try:
            comp = competition(name)
            entries = leaderboard(name, folder)
        except SubmissionError as exc:
            logger.warning(f"leaderboard: {exc}", location=self.get_location())
            return []
        self.env.note_dependency(str(folder))
        for path in folder.iterdir():
            if path.is_file():
                self.env.note_dependency(str(path))
        scored = [e for e in entries if e.result is not None]
        rejected = [e for e in entries if e.result is None]
        better = "highest" if comp.higher_is_better else "lowest"
        practice = any(e.result.held_out == PRACTICE_SET for e in scored)
        where = "the public practice set" if practice else "the maintainers' secret competition set"
        intro = nodes.paragraph(text=(
            f"{len(scored)} submission(s) of leaderboard/{name}/, re-scored on {where} when this page "
            f"was built; the {better} score ranks first."
        ))
        out: list[nodes.Node] = []
        if practice:
            note = nodes.admonition(classes=["warning", "neuro4ml-leaderboard-practice"])
            note += nodes.title(text="Practice scores")
            note += nodes.paragraph(text=(
                "This page was built without the maintainers' secret, so these are practice scores, on the "
                "public practice set that anyone can score on. The competition's ranking uses held-out data "
                f"that only the maintainers hold (the build reads its seed from {SECRET_ENV})."
            ))
            out.append(note)
        out.append(intro)
        if scored:
            headings = ["Rank", "Team", "Practice score" if practice else "Score", *(heading for _, heading, _ in comp.columns), "File"]
            rows = [
                [str(e.rank), e.result.team, f"{e.result.score:.4f}",
                 *(fmt.format(e.result.details[key]) for key, _, fmt in comp.columns), e.file]
                for e in scored
            ]
            out.append(_table(headings, rows, ["neuro4ml-leaderboard"]))
        if rejected:
            out.append(nodes.paragraph(text=f"Rejected submissions ({len(rejected)}): not scored, for the reason given."))
            out.append(_table(["File", "Reason"], [[e.file, e.error] for e in rejected], ["neuro4ml-leaderboard-rejected"]))
        return out


def setup(app: Sphinx) -> dict:
    app.add_config_value("neuro4ml_outline", "", "env", types=[str])
    app.add_config_value("neuro4ml_leaderboards", "", "env", types=[str])
    app.add_directive("leaderboard", Leaderboard)
    app.add_directive("course-weeks", CourseWeeks)
    app.add_directive("course-links", CourseLinks)
    app.add_directive("course-authors", CourseAuthors)
    app.add_directive("course-toctree", CourseTocTree)
    app.add_directive("lecture-video", LectureVideo)
    app.setup_extension("neuro4ml.course.slides")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
