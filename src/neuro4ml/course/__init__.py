"""Course tooling: the outline model, generated files, the website build and the command line.

The site build also writes each lecture page's slide deck (:mod:`.slides`).
"""

from .outline import Outline, OutlineError, load_outline
from .project import Project

__all__ = ["Outline", "OutlineError", "Project", "load_outline"]
