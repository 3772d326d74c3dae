"""Every source file is plain text: no control characters other than the newline.

A docstring written as ``"\\tau"`` without the ``r`` prefix holds a TAB followed by
"au", and ``"\\frac"`` a form feed followed by "rac": the equation renders wrong and
nothing else complains. This test finds such characters (and stray carriage returns
or NULs) in every text file under src/, tests/ and content/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("src", "tests", "content")
TEXT_SUFFIXES = {".py", ".md", ".bib", ".css", ".js", ".yml", ".yaml", ".toml", ".txt", ".json", ".cfg", ".html"}
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # everything below space, and DEL, except "\n"


def _text_files() -> list[Path]:
    files = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            parts = path.relative_to(ROOT).parts
            if any(part == "__pycache__" or part.startswith((".", "_build")) for part in parts):
                continue
            if path.is_file() and path.suffix in TEXT_SUFFIXES:
                files.append(path)
    return files


def test_the_source_folders_hold_text_files():
    names = {path.relative_to(ROOT).as_posix() for path in _text_files()}
    assert "src/neuro4ml/models/networks/simulator.py" in names and "content/refs.bib" in names


@pytest.mark.parametrize("path", _text_files(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_control_characters_other_than_newline(path):
    text = path.read_text(encoding="utf-8")
    found = [
        f"line {text.count(chr(10), 0, match.start()) + 1}: {match.group()!r}"
        for match in CONTROL.finditer(text)
    ]
    assert not found, (
        f"{path.relative_to(ROOT)} holds control characters ({', '.join(found[:5])}); in a docstring, "
        "a backslash escape such as \\t or \\f probably lost its r prefix"
    )
