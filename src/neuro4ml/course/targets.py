"""Generated files as targets: what a file should contain, whether it does, and how to make it so.

A target has a ``path``, ``is_current()`` and ``write()`` (which writes only when
the file is not current and returns whether it wrote). :mod:`.generate` collects
every target of the course; :mod:`.notebooks` contributes the exercise targets.
This module depends on nothing else in the package, so both can import it
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol


class Target(Protocol):
    path: Path

    def is_current(self) -> bool: ...

    def write(self) -> bool: ...


@dataclass(frozen=True)
class Generated:
    """A text file whose whole content is ``render()``."""

    path: Path
    render: Callable[[], str]

    def is_current(self) -> bool:
        return self.path.is_file() and self.path.read_text(encoding="utf-8") == self.render()

    def write(self) -> bool:
        """Write the file if it differs; return whether it changed."""
        if self.is_current():
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(self.render(), encoding="utf-8")
        return True


@dataclass(frozen=True)
class Obsolete:
    """A file that an older version of the generator wrote and that must no longer exist.

    ``marker`` is text the generated file began with; a file without it was written
    by hand and is never deleted (``write`` then raises, naming the file).
    """

    path: Path
    marker: str
    reason: str

    def is_current(self) -> bool:
        return not self.path.exists()

    def write(self) -> bool:
        if self.is_current():
            return False
        if self.marker not in self.path.read_text(encoding="utf-8")[:2000]:
            raise ValueError(f"{self.path} {self.reason}, but it was not written by `neuro4ml generate`: remove it by hand")
        self.path.unlink()
        return True
