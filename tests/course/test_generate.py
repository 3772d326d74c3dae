"""Generated files (README week list, week landing pages) and the check that finds stale ones."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from neuro4ml.course.generate import README_BEGIN, README_END, replace_region, stale
from neuro4ml.course.project import Project
from neuro4ml.course.render import linker


def test_committed_generated_files_are_in_sync(project):
    assert stale(project, project.outline()) == []


def test_readme_lists_every_week_and_status(project):
    text = project.readme.read_text()
    region = text.split(README_BEGIN)[1].split(README_END)[0]
    outline = project.outline()
    for week in outline.weeks:
        assert f"[{week.label}](content/week{week.number}/index.md)" in region
        for lecture in week.lectures:
            assert lecture.title in region
        if week.exercises.released:
            assert f"[Exercises](content/week{week.number}/exercises.ipynb)" in region
        else:
            assert week.exercises.status_text in region


def test_linker_is_relative_to_the_file_written():
    assert linker("week1")("week1/history") == "history.md"
    assert linker("week1")("week0/reading") == "../week0/reading.md"
    assert linker("", prefix="content")("week0/history") == "content/week0/history.md"


def test_replace_region_needs_its_markers():
    with pytest.raises(ValueError, match="must contain the markers"):
        replace_region("no markers here", "body")


@pytest.fixture
def copy_of_project(project, tmp_path) -> Project:
    root = tmp_path / "course"
    shutil.copytree(project.root, root, ignore=shutil.ignore_patterns(
        ".venv", "_build", ".git", "test-artifacts", "node_modules", "__pycache__", "*.egg-info", ".pytest_cache"))
    return Project(root)


def run_cli(root, *args):
    return subprocess.run([sys.executable, "-m", "neuro4ml.course", "--root", str(root), *args], capture_output=True, text=True)


def test_check_command_fails_on_a_stale_file_and_generate_fixes_it(copy_of_project):
    outline_file = copy_of_project.outline_file
    outline_file.write_text(outline_file.read_text().replace("title: Neurons", "title: Nerve cells"))
    result = run_cli(copy_of_project.root, "check")
    assert result.returncode == 1
    assert "README.md" in result.stderr and "content/week1/index.md" in result.stderr
    assert run_cli(copy_of_project.root, "generate").returncode == 0
    result = run_cli(copy_of_project.root, "check")
    assert result.returncode == 0, result.stderr
    assert "Week 1: Nerve cells" in (copy_of_project.content_dir / "week1" / "index.md").read_text()


def test_check_command_names_a_bad_outline_entry(copy_of_project):
    outline_file = copy_of_project.outline_file
    outline_file.write_text(outline_file.read_text().replace("youtube: jhnuVDh2XKA", "youtube: jhnu"))
    result = run_cli(copy_of_project.root, "check")
    assert result.returncode == 2
    assert "'Why neuroscience?'" in result.stderr and "malformed YouTube id 'jhnu'" in result.stderr


def test_check_command_passes_on_the_checkout(project):
    """`neuro4ml check` itself, as CI and a contributor run it: every generated file is current."""
    result = run_cli(project.root, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "generated files ok" in result.stdout


def _snapshot(root) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and "_build" not in p.parts}


def test_build_never_regenerates_it_refuses_stale_sources(copy_of_project):
    """A build reads the sources and writes only _build/: stale generated files are named, not rewritten."""
    outline_file = copy_of_project.outline_file
    outline_file.write_text(outline_file.read_text().replace("title: Neurons", "title: Nerve cells"))
    before = _snapshot(copy_of_project.root)
    result = run_cli(copy_of_project.root, "build")
    assert result.returncode == 1
    assert "out of date" in result.stderr and "neuro4ml generate" in result.stderr
    assert "README.md" in result.stderr and "content/week1/index.md" in result.stderr
    assert _snapshot(copy_of_project.root) == before


def _course_imports(module_file) -> set[str]:
    """The neuro4ml.course modules that ``module_file`` imports, at the top or inside functions."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(module_file.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.add((node.module or "").split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("neuro4ml.course."):
            found.add(node.module.split(".")[2])
    return found - {""}


def test_course_modules_import_each_other_without_cycles():
    """E.g. generate lists the notebook targets and notebooks must not import generate back."""
    from pathlib import Path

    import neuro4ml.course

    folder = Path(neuro4ml.course.__file__).parent
    graph = {p.stem: _course_imports(p) for p in folder.glob("*.py") if p.stem not in ("__init__", "__main__")}
    state: dict[str, str] = {}

    def visit(module, path):
        if state.get(module) == "done":
            return
        assert state.get(module) != "visiting", "import cycle: " + " -> ".join([*path, module])
        state[module] = "visiting"
        for imported in sorted(graph.get(module, ())):
            visit(imported, [*path, module])
        state[module] = "done"

    for module in sorted(graph):
        visit(module, [])


def test_generate_removes_an_old_generated_exercises_page_but_never_a_hand_written_file(copy_of_project):
    """Exercises pages used to be Markdown pages that the build executed again; they are notebooks now."""
    old = copy_of_project.content_dir / "week1" / "exercises.md"
    old.write_text("---\nkernelspec: {}\n---\n<!-- Generated by `neuro4ml generate` from content/exercises/w1-neurons.md -->\n# Week 1\n")
    result = run_cli(copy_of_project.root, "check")
    assert result.returncode == 1 and "content/week1/exercises.md" in result.stderr
    result = run_cli(copy_of_project.root, "generate")
    assert result.returncode == 0 and "removed content/week1/exercises.md" in result.stdout
    assert not old.exists() and run_cli(copy_of_project.root, "check").returncode == 0

    old.write_text("# My own notes on the week 1 exercises\n")
    result = run_cli(copy_of_project.root, "generate")
    assert result.returncode == 2 and "remove it by hand" in result.stderr
    assert old.exists()
