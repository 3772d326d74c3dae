"""Where things live in a course checkout: the :class:`Project` paths."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .outline import Outline, load_outline

OUTLINE_FILE = "course.yml"


@dataclass(frozen=True)
class Project:
    """The paths of a course checkout, found from its root (the folder with ``course.yml``)."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> "Project":
        """The project containing ``start`` (default: the current directory)."""
        start = Path(start or Path.cwd()).resolve()
        for folder in (start, *start.parents):
            if (folder / OUTLINE_FILE).is_file():
                return cls(folder)
        raise FileNotFoundError(
            f"no {OUTLINE_FILE} in {start} or any folder above it: run neuro4ml from a checkout of the course"
        )

    @property
    def outline_file(self) -> Path:
        return self.root / OUTLINE_FILE

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def exercise_sources_dir(self) -> Path:
        return self.content_dir / "exercises"

    @property
    def exercises_dir(self) -> Path:
        """Generated student notebooks (committed, so Colab can open them)."""
        return self.root / "exercises"

    @property
    def solutions_dir(self) -> Path:
        """Generated, executed solution notebooks (committed)."""
        return self.root / "solutions"

    @property
    def build_dir(self) -> Path:
        return self.root / "_build"

    @property
    def html_dir(self) -> Path:
        return self.build_dir / "html"

    @property
    def vendor_static_dir(self) -> Path:
        """Third-party files installed at build time (MathJax) and served under ``_static``."""
        return self.build_dir / "vendor" / "static"

    @property
    def readme(self) -> Path:
        return self.root / "README.md"

    def outline(self, check_pages: bool = True) -> Outline:
        return load_outline(self.outline_file, self.content_dir if check_pages else None)
