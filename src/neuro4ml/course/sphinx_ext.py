"""Sphinx directives that render parts of the site from the outline.

- ``course-weeks``: the week-by-week list with every item's status, below a
  note that the course is under development while any item is unreleased;
- ``course-links``: the quick links (playlist, exercises, Discord);
- ``course-authors``: the course's designers;
- ``course-toctree``: the site navigation, one entry per week;
- ``lecture-video``: the YouTube video of a lecture page (the current page, or
  the page given as argument), or a note saying its status ("not recorded yet").

``conf.py`` enables the extension and sets ``neuro4ml_outline`` to the path of
``course.yml``; every page using a directive depends on that file, so editing
the outline rebuilds them.
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
            return [nodes.raw("", html, format="html")]
        note = nodes.note()
        note += nodes.paragraph(text=f"Video: {lecture.status or 'not recorded yet'}.")
        return [note]


def setup(app: Sphinx) -> dict:
    app.add_config_value("neuro4ml_outline", "", "env", types=[str])
    app.add_directive("course-weeks", CourseWeeks)
    app.add_directive("course-links", CourseLinks)
    app.add_directive("course-authors", CourseAuthors)
    app.add_directive("course-toctree", CourseTocTree)
    app.add_directive("lecture-video", LectureVideo)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
