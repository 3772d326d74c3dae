"""What the package declares is what is tested: lower bounds, extras, npm pins, install steps."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from neuro4ml.course import site

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
EXTRAS = PROJECT["optional-dependencies"]
#: The extras that the minimum-versions job (.ci/min-versions) installs.
MIN_JOB_EXTRAS = ("exercises", "fast", "test")


def _requirements(extras: tuple[str, ...], core: bool = True) -> list[Requirement]:
    """The requirements of ``extras`` (and the core), the project's own extras expanded."""
    out, todo, seen = [], list(extras), set()
    if core:
        out += [Requirement(r) for r in PROJECT["dependencies"]]
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for text in EXTRAS[extra]:
            requirement = Requirement(text)
            if canonicalize_name(requirement.name) == "neuro4ml":
                todo += sorted(requirement.extras)
            else:
                out.append(requirement)
    return out


def _lower_bound(requirement: Requirement) -> Version:
    bounds = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
    assert len(bounds) == 1, f"{requirement}: expected one lower bound (>=)"
    return bounds[0]


def _pins(path: Path) -> dict[str, Version]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_constraints_min_pins_every_declared_lower_bound_of_the_min_job():
    pins = _pins(ROOT / "constraints-min.txt")
    declared: dict[str, set[Version]] = {}
    for requirement in _requirements(MIN_JOB_EXTRAS):
        declared.setdefault(canonicalize_name(requirement.name), set()).add(_lower_bound(requirement))
    inconsistent = {name: bounds for name, bounds in declared.items() if len(bounds) > 1}
    assert not inconsistent, f"one package, several lower bounds in pyproject.toml: {inconsistent}"
    expected = {name: bounds.pop() for name, bounds in declared.items()}
    assert pins == expected, f"constraints-min.txt should pin exactly the lower bounds: {pins} != {expected}"


def test_requires_python_is_what_the_library_needs():
    # competition.py reads TOML with tomllib, new in Python 3.11; CI runs 3.11 (the lowest claimed).
    assert SpecifierSet(PROJECT["requires-python"]) == SpecifierSet(">=3.11")
    assert sys.version_info >= (3, 11)


def test_week_extras_exist_for_every_week_and_colab_is_their_union():
    weeks = {f"w{n}" for n in range(1, 9)}
    assert weeks <= set(EXTRAS)
    assert EXTRAS["colab"] == [f"neuro4ml[{','.join(sorted(weeks))}]"]
    # The data packages of the shipped data sets are in no week's extra.
    heavy = {"cect", "c302", "tvb-data", "brainspace", "hssm", "nibabel"}
    for week in sorted(weeks):
        names = {canonicalize_name(r.name) for r in _requirements((week,))}
        assert not names & heavy, (week, names & heavy)


def test_npm_packages_are_pinned_to_exact_versions():
    for spec in (*site.MATHJAX_PACKAGES, site.AXE_PACKAGE):
        assert re.fullmatch(r"(@[\w.-]+/)?[\w.-]+@\d+\.\d+\.\d+", spec), f"{spec}: pin an exact version (name@X.Y.Z)"


def test_the_bench_extra_installs_every_package_the_benchmarks_import():
    installed = {canonicalize_name(r.name) for r in _requirements(("bench",))}
    imported = set()
    for path in (ROOT / "benchmarks").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m != "neuro4ml"}
    missing = {m for m in third_party if canonicalize_name(m) not in installed}
    assert {"brian2", "snntorch", "norse"} <= third_party
    assert not missing, f"benchmarks import {sorted(missing)}, which the bench extra does not install"


def test_no_install_step_works_around_declared_dependencies():
    # An extra cannot say --no-deps; a step that does leaves `pip check` failing.
    for name in ("Makefile", ".ci/run", ".ci/min-versions", "README.md", "content/instructors.md"):
        text = (ROOT / name).read_text()
        assert "--no-deps" not in text, f"{name} installs a package without its dependencies"
    assert "pip check" in (ROOT / "Makefile").read_text()
