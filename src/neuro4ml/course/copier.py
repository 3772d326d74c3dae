"""Copying the student notebooks into a learner's working folder, never losing their work.

The folder keeps a manifest (``.neuro4ml-exercises.json``) of the SHA-256 of each
notebook as it was copied. A notebook whose file still has that hash is
untouched, so a newer version may replace it; a notebook that differs has been
edited by the learner and is skipped unless ``force`` is given.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .project import Project

MANIFEST = ".neuro4ml-exercises.json"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class CopyReport:
    dest: Path
    copied: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"exercises folder: {self.dest}"]
        for label, names in [
            ("copied", self.copied),
            ("updated to the latest version", self.updated),
            ("already up to date", self.unchanged),
            ("overwritten (--force)", self.overwritten),
        ]:
            if names:
                lines.append(f"  {label}: {', '.join(names)}")
        if self.skipped:
            lines.append(
                f"  skipped, because you have changed them: {', '.join(self.skipped)}\n"
                "  (rename your copy, or run again with --force to replace it and lose your changes)"
            )
        return "\n".join(lines)


def student_notebooks(project: Project, week: int | None = None) -> list[Path]:
    """The released student notebooks, optionally of one week only."""
    outline = project.outline(check_pages=False)
    if week is not None:
        try:
            released = outline.week(week).exercises
        except KeyError as exc:
            raise ValueError(f"{exc.args[0]} (weeks are 0 to 9)") from None
        if not released.released:
            raise ValueError(f"week {week} has no released exercises ({released.status_text})")
    return [
        project.exercises_dir / f"{nb.name}.ipynb"
        for w, nb in outline.notebooks()
        if week is None or w.number == week
    ]


def copy_exercises(project: Project, dest: Path, week: int | None = None, force: bool = False) -> CopyReport:
    """Copy the student notebooks into ``dest``; see the module docstring for the rules."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    manifest_path = dest / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    report = CopyReport(dest)
    for source in student_notebooks(project, week):
        if not source.is_file():
            raise FileNotFoundError(f"{source} is missing: run `neuro4ml generate` first")
        target = dest / source.name
        new_hash = _sha256(source)
        if not target.exists():
            report.copied.append(source.name)
        elif _sha256(target) == new_hash:
            report.unchanged.append(source.name)
            manifest[source.name] = new_hash
            continue
        elif manifest.get(source.name) == _sha256(target):
            report.updated.append(source.name)
        elif force:
            report.overwritten.append(source.name)
        else:
            report.skipped.append(source.name)
            continue
        shutil.copyfile(source, target)
        manifest[source.name] = new_hash
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return report
