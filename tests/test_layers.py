"""The library's layering rules that import-linter cannot express.

import-linter (``lint-imports``, contracts in pyproject.toml) keeps the layers; this test keeps the
privacy of names: a name that starts with an underscore is private to its module, so no module of
:mod:`neuro4ml` imports one from another module, or reaches one through an imported module
(``snn._batches``). A private helper that a second module needs is public API and gets a public name
and a docstring.
"""

from __future__ import annotations

import ast
from pathlib import Path

import neuro4ml

SOURCE = Path(neuro4ml.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, node: ast.ImportFrom, path: Path) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_imports() -> list[str]:
    """Every use of another module's private name, as ``file:line: what``."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules_bound: dict[str, str] = {}  # local name -> neuro4ml module it refers to
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = _resolve(module, node, path)
                if not source.startswith("neuro4ml"):
                    continue
                if any(_private(part) for part in source.split(".")):
                    found.append(f"{path.name}:{node.lineno}: from {source} import ...")
                for alias in node.names:
                    if _private(alias.name) and source != module:
                        found.append(f"{path.name}:{node.lineno}: {alias.name} from {source}")
                    modules_bound[alias.asname or alias.name] = f"{source}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("neuro4ml"):
                        if any(_private(part) for part in alias.name.split(".")):
                            found.append(f"{path.name}:{node.lineno}: import {alias.name}")
                        modules_bound[alias.asname or alias.name.split(".")[0]] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in modules_bound and _private(node.attr)):
                found.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr} ({modules_bound[node.value.id]})")
    return found


def test_no_private_name_crosses_modules():
    assert private_imports() == []


def test_the_scan_finds_a_private_import(tmp_path, monkeypatch):
    # The scan itself can fail: a planted private import is reported.
    package = tmp_path / "neuro4ml"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def _helper():\n    pass\n")
    (package / "b.py").write_text("from neuro4ml.a import _helper\nfrom . import a\na._helper()\n")
    monkeypatch.setitem(globals(), "SOURCE", package)
    assert private_imports() == ["b.py:1: _helper from neuro4ml.a", "b.py:3: a._helper (neuro4ml.a)"]
