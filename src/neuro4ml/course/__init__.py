"""Course tooling: the outline model, generated files, the website build (with the lecture slide decks of :mod:`.slides`) and the command line."""

from .outline import Outline, OutlineError, load_outline
from .project import Project

__all__ = ["Outline", "OutlineError", "Project", "load_outline"]
