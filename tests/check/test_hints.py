"""No message or hint of an answer check quotes the solution it checks.

For each week's check module ``neuro4ml.check.wN``, the code inside the solution
regions of ``content/exercises/wN-*.md`` is cut into the pieces a learner could
copy: each whole line, the value of each assignment and ``return``, and each
argument of each call. None of them may appear in a string of the check module
that a learner can see (any string literal except docstrings), compared without
whitespace.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import textwrap
from pathlib import Path

import pytest

import neuro4ml.check
from neuro4ml.course.notebooks import find_regions, read_source

ROOT = Path(__file__).resolve().parents[2]
#: Pieces shorter than this (without whitespace) are too generic to be a giveaway: `V = reset`
#: is caught as a whole line, `np.eye(2)` as an argument is not.
MIN_PIECE = 12


def _squash(text: str) -> str:
    return re.sub(r"[\s`]", "", text)


def _weeks():
    for info in sorted(pkgutil.iter_modules(neuro4ml.check.__path__), key=lambda m: m.name):
        if re.fullmatch(r"w\d+", info.name):
            sources = sorted((ROOT / "content" / "exercises").glob(f"{info.name}-*.md"))
            if sources:
                yield info.name, sources


WEEKS = list(_weeks())


def solution_pieces(source: Path) -> set[str]:
    """The copyable pieces of the solution regions of an exercise source, squashed."""
    pieces = set()
    for cell in read_source(source).cells:
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        for region in find_regions(cell.source):
            body = lines[region.start + 1 : region.end]
            for line in body:
                stripped = line.strip()
                if stripped and not stripped.startswith("#"):
                    pieces.add(_squash(stripped.rstrip(":")))
            code = textwrap.dedent("\n".join(body))
            try:
                tree = ast.parse(code)
            except SyntaxError:  # a region that is part of a statement: the lines are enough
                continue
            for node in ast.walk(tree):
                parts = []
                if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return)) and node.value is not None:
                    parts.append(node.value)
                if isinstance(node, ast.Call):
                    parts += [*node.args, *(k.value for k in node.keywords)]
                if isinstance(node, (ast.List, ast.Tuple)):
                    parts += node.elts
                for part in parts:
                    if isinstance(part, (ast.Name, ast.Attribute, ast.Constant)):
                        continue  # a name (`make_network`, `w2.TAU_RISE_VALUES_MS`) gives nothing away
                    segment = ast.get_source_segment(code, part)
                    if segment and len(_squash(segment)) >= MIN_PIECE:
                        pieces.add(_squash(segment))
    return {p for p in pieces if len(p) > 3}


def shown_strings(module_name: str) -> list[str]:
    """Every string literal of a check module except docstrings; f-strings with ``{}`` for their fields."""
    path = Path(importlib.import_module(f"neuro4ml.check.{module_name}").__file__)
    tree = ast.parse(path.read_text())
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    strings = []
    inside_fstrings = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            strings.append("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings and id(node) not in inside_fstrings:
                strings.append(node.value)
    return strings


def test_every_week_with_checks_has_an_exercise_source():
    # Weeks need not be consecutive (a week without a check module is fine); every check module needs a source.
    modules = sorted(m.name for m in pkgutil.iter_modules(neuro4ml.check.__path__) if re.fullmatch(r"w\d+", m.name))
    assert [week for week, _ in WEEKS] == modules and len(WEEKS) >= 2


def test_the_solution_pieces_are_found():
    pieces = solution_pieces(ROOT / "content" / "exercises" / "w1-neurons.md")
    assert _squash("V = I[k] + (V - I[k]) * np.exp(-dt_ms / tau_ms)") in pieces
    assert _squash("V = reset") in pieces


@pytest.mark.parametrize("week, sources", WEEKS, ids=[w for w, _ in WEEKS])
def test_no_hint_or_message_quotes_a_solution_line(week, sources):
    pieces = set().union(*(solution_pieces(source) for source in sources))
    strings = [_squash(s) for s in shown_strings(week)]
    quoted = sorted({piece for piece in pieces for text in strings if piece in text})
    assert not quoted, f"check/{week}.py quotes the solution: {quoted}"


def test_a_quoted_solution_line_is_caught():
    """The test above can fail: a hint that spells out the update is found."""
    pieces = solution_pieces(ROOT / "content" / "exercises" / "w1-neurons.md")
    hint = _squash("check the update V = I[k] + (V - I[k]) * np.exp(-dt_ms / tau_ms), with I = I[k]")
    assert any(piece in hint for piece in pieces)
