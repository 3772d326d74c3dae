"""What each week's Colab install cell adds to Colab, measured as a learner would meet it.

The base is a Python environment that already holds what Colab preinstalls and the course
uses (:data:`COLAB_BASE`, at their newest versions on PyPI, with everything they depend on),
recorded as installed distributions (their metadata only: nothing is downloaded or installed).
Each week's install cell's requirement (read from the generated student notebook), with the
repository's address replaced by a wheel of this checkout, then goes through
``pip install --dry-run --report``: the report lists every distribution pip would add or
replace, and PyPI's index gives each one's file size. The targets of issue 24: at most
:data:`MAX_MB` of added wheels a week (:data:`MAX_MB_WEEK3` for week 3), and no base package
replaced (on Colab, replacing numpy under a running kernel means restarting the runtime).

Needs PyPI, so it is marked ``network``, which a plain ``pytest`` leaves out (``make test-network``
and CI run it); about 70 s. With the issue's old install cell (``neuro4ml[colab]`` with the
connectome packages) it measured 416.5 MB and numpy 2.4.6 -> 2.3.5, plotly 7.1.0 -> 5.24.1, as the
issue reported. Run it as a script to print the table::

    PYTHONPATH=src python tests/test_colab_install.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INDEX = "https://pypi.org/simple"
#: What Colab preinstalls, among the packages the course may use (its runtime has many more).
COLAB_BASE = ("numpy", "scipy", "matplotlib", "pandas", "scikit-learn", "networkx", "h5py", "tqdm", "plotly", "sympy", "torch")
MAX_MB = 25.0
MAX_MB_WEEK3 = 60.0

pytestmark = pytest.mark.network


def _pip_env() -> dict[str, str]:
    # PyPI alone, as in Colab: no machine-wide pip configuration (local wheel folders, caps).
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") or k in ("PIP_CERT", "PIP_DEFAULT_TIMEOUT")}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _pip(python: Path, *args: str) -> None:
    command = [sys.executable, "-m", "pip", "--python", str(python), *args, "--index-url", INDEX, "--quiet"]
    if args[:2] == ("install", "--dry-run"):
        # The index serves no separate metadata files, so pip would download every wheel (torch and
        # its CUDA libraries: 2 GB) to read its dependencies; fast-deps reads only the wheel's
        # METADATA, with HTTP range requests. The resolution is the same.
        command.append("--use-feature=fast-deps")
    result = subprocess.run(command, capture_output=True, text=True, env=_pip_env(), timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")


def _fake_installed(site_packages: Path, report: dict) -> dict[str, str]:
    """Record each distribution of a pip report as installed (its metadata, no files); return name -> version."""
    installed = {}
    for item in report["install"]:
        meta = item["metadata"]
        folder = site_packages / f"{meta['name'].replace('-', '_')}-{meta['version']}.dist-info"
        folder.mkdir()
        lines = ["Metadata-Version: 2.1", f"Name: {meta['name']}", f"Version: {meta['version']}"]
        if meta.get("requires_python"):
            lines.append(f"Requires-Python: {meta['requires_python']}")
        lines += [f"Provides-Extra: {extra}" for extra in meta.get("provides_extra", [])]
        lines += [f"Requires-Dist: {requirement}" for requirement in meta.get("requires_dist", [])]
        (folder / "METADATA").write_text("\n".join(lines) + "\n")
        (folder / "INSTALLER").write_text("pip\n")
        (folder / "RECORD").write_text("")
        installed[_canonical(meta["name"])] = meta["version"]
    return installed


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@lru_cache(maxsize=None)
def _file_sizes(project: str) -> dict[str, int]:
    """File name -> size in bytes of every file of ``project`` on PyPI (its JSON simple index, PEP 691/700)."""
    request = urllib.request.Request(f"{INDEX}/{project}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return {f["filename"]: f["size"] for f in json.load(response)["files"]}


def _size_bytes(item: dict) -> int:
    filename = item["download_info"]["url"].rsplit("/", 1)[-1].split("#")[0]
    return _file_sizes(_canonical(item["metadata"]["name"]))[urllib.request.url2pathname(filename)]


def _install_requirements() -> dict[int, str]:
    """Week -> the requirement of its student notebooks' install cell (one per week)."""
    import nbformat

    from neuro4ml.course.notebooks import COLAB_TAG
    from neuro4ml.course.project import Project

    project = Project.find(ROOT)
    requirements: dict[int, set[str]] = {}
    for week, entry in project.outline().notebooks():
        nb = nbformat.read(project.exercises_dir / f"{entry.name}.ipynb", as_version=4)
        cell = next(c for c in nb.cells if COLAB_TAG in c.metadata.get("tags", []))
        requirements.setdefault(week.number, set()).add(re.search(r'%pip install --quiet "([^"]+)"', cell.source).group(1))
    assert all(len(r) == 1 for r in requirements.values()), requirements
    return {week: r.pop() for week, r in requirements.items()}


def measure(tmp: Path) -> tuple[dict[str, str], dict[int, dict]]:
    """The Colab-like base (name -> version) and, for each week, what its install cell adds."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp / "colab")], check=True)
    python = tmp / "colab" / "bin" / "python"
    site = next((tmp / "colab" / "lib").glob("python3*/site-packages"))
    _pip(python, "install", "--dry-run", "--ignore-installed", "--report", str(tmp / "base.json"), *COLAB_BASE)
    base = _fake_installed(site, json.loads((tmp / "base.json").read_text()))
    # A wheel of the checkout, built from a copy (a build writes build/ and *.egg-info beside the sources).
    source = tmp / "checkout"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "src", source / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    wheels = tmp / "wheel"
    _pip(python, "wheel", "--no-deps", "--wheel-dir", str(wheels), str(source))
    wheel = next(wheels.glob("neuro4ml-*.whl"))

    def week_install(week: int, requirement: str) -> dict:
        local = re.sub(r"@ git\+\S+$", f"@ {wheel.as_uri()}", requirement)
        assert local != requirement, requirement
        report_path = tmp / f"w{week}.json"
        _pip(python, "install", "--dry-run", "--report", str(report_path), local)
        items = [i for i in json.loads(report_path.read_text())["install"] if _canonical(i["metadata"]["name"]) != "neuro4ml"]
        added = {_canonical(i["metadata"]["name"]): (i["metadata"]["version"], _size_bytes(i)) for i in items}
        changed = {name: (base[name], version) for name, (version, _) in added.items() if name in base}
        return {"requirement": requirement, "added": added, "changed": changed, "mb": sum(s for _, s in added.values()) / 1e6}

    # The weeks resolve independently: mostly waiting for PyPI, so a few at once.
    requirements = sorted(_install_requirements().items())
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = pool.map(lambda item: week_install(*item), requirements)
        return base, dict(zip((week for week, _ in requirements), results))


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    return measure(tmp_path_factory.mktemp("colab"))


def test_the_base_holds_what_colab_preinstalls(measured):
    base, _ = measured
    assert {_canonical(name) for name in COLAB_BASE} <= set(base)


def test_every_week_changes_no_preinstalled_package(measured):
    _, weeks = measured
    changed = {week: w["changed"] for week, w in weeks.items() if w["changed"]}
    assert not changed, f"the install cell would replace preinstalled packages (week: name: (base, new)): {changed}"


def test_every_week_adds_little(measured):
    _, weeks = measured
    limits = {week: MAX_MB_WEEK3 if week == 3 else MAX_MB for week in weeks}
    heavy = {
        week: f"{w['mb']:.1f} MB > {limits[week]:.0f} MB: "
        + ", ".join(f"{n} {v} {s / 1e6:.1f} MB" for n, (v, s) in sorted(w["added"].items(), key=lambda x: -x[1][1]))
        for week, w in weeks.items()
        if w["mb"] > limits[week]
    }
    assert not heavy, f"install cells adding too much: {heavy}"


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        base, weeks = measure(Path(folder))
    print(f"Colab-like base ({sys.version.split()[0]}): " + ", ".join(f"{n} {base[_canonical(n)]}" for n in COLAB_BASE))
    for week, w in weeks.items():
        added = ", ".join(f"{n} {v} ({s / 1e6:.2f} MB)" for n, (v, s) in sorted(w["added"].items())) or "nothing"
        print(f"week {week}: {w['mb']:.2f} MB added, changed {w['changed'] or 'none'}; adds {added}")
