"""Building and serving the course website.

:func:`build` reads the sources and writes only under ``_build/``: it installs
MathJax locally (so formulas render with no network), then runs Sphinx with
warnings treated as errors. It never regenerates anything: generated files
(the week pages, the exercise notebooks and pages, the README's week list) are
written by ``neuro4ml generate`` alone, and a build refuses to run while any of
them is out of date with its source, or while a figure has no alt text
(:mod:`neuro4ml.course.accessibility`). Executed notebook outputs are cached by
myst-nb (jupyter-cache) under ``_build/.jupyter_cache``, so a rebuild with no
change takes seconds; the exercises pages are not executed at all, they show
the stored outputs of the solution notebooks. reveal.js, for the lecture slide
decks (:mod:`neuro4ml.course.slides`), is installed the same way as MathJax.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
from pathlib import Path

from .accessibility import problems
from .generate import stale
from .project import Project

# npm packages at exact versions (as constraints.txt pins the Python side): a new release changes
# the site, or the browser tests' verdict, only when a commit changes these lines. MathJax's font
# is pinned beside it, since mathjax's own package.json accepts any 4.x of it.
MATHJAX_PACKAGES = ("mathjax@4.1.3", "@mathjax/mathjax-newcm-font@4.1.3")
# The accessibility audit the browser tests inject into each page (never part of the site).
AXE_PACKAGE = "axe-core@4.14.1"
# JupyterHub's proxy, for the hub test and the instructors' page (which shows this exact version).
HUB_PROXY_PACKAGE = "configurable-http-proxy@5.3.0"
# What MathJax needs at run time: the combined component, the autoloaded TeX
# extensions (input/) and the default font, served from _static/mathjax.
MATHJAX_FILES = {
    "mathjax/tex-mml-chtml.js": "tex-mml-chtml.js",
    "mathjax/LICENSE": "LICENSE",
    "mathjax/input": "input",
    "@mathjax/mathjax-newcm-font/chtml": "fonts/mathjax-newcm-font/chtml",
    "@mathjax/mathjax-newcm-font/chtml.js": "fonts/mathjax-newcm-font/chtml.js",
}


class BuildError(RuntimeError):
    """The site could not be built; the message says why."""


def local_mathjax(project: Project) -> Path:
    return project.vendor_static_dir / "mathjax" / "tex-mml-chtml.js"


def _npm_install(project: Project, packages: tuple[str, ...], folder: str) -> Path | None:
    """``npm install`` ``packages`` into ``_build/vendor/<folder>`` and return its ``node_modules``, or None without npm.

    Each package gets its own folder: an ``npm install --no-save`` of one package
    removes the others from a shared ``node_modules`` as extraneous.
    """
    if isinstance(packages, str):
        raise TypeError(f"packages must be a tuple of npm package specs, got the string {packages!r}")
    npm = shutil.which("npm")
    if npm is None:
        return None
    npm_dir = project.build_dir / "vendor" / folder
    npm_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(npm_dir), *packages],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BuildError(f"npm could not install {' '.join(packages)}:\n{result.stderr[-2000:]}")
    return npm_dir / "node_modules"


def install_mathjax(project: Project) -> Path | None:
    """Install MathJax from the npm registry into ``_build/vendor`` (once per pinned version).

    Returns the local ``tex-mml-chtml.js``, or None when npm is missing, in
    which case the site falls back to MathJax from a CDN (and says so).
    """
    target = local_mathjax(project)
    stamp = target.parent / "VERSIONS"
    if target.is_file() and stamp.is_file() and stamp.read_text().split() == list(MATHJAX_PACKAGES):
        return target
    modules = _npm_install(project, MATHJAX_PACKAGES, "npm")
    if modules is None:
        print("neuro4ml: npm not found; math will load MathJax from a CDN (needs internet)", file=sys.stderr)
        return None
    mathjax_dir = target.parent
    for source, dest in MATHJAX_FILES.items():
        src, dst = modules / source, mathjax_dir / dest
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
    stamp.write_text("\n".join(MATHJAX_PACKAGES) + "\n")
    return target


def install_axe(project: Project) -> Path | None:
    """Install axe-core (the accessibility audit of the browser tests) into ``_build/vendor`` (once).

    Returns the path of ``axe.min.js``, or None when npm is missing. The file is
    injected into pages by the tests; it is never copied into the site.
    """
    folder = "npm-" + AXE_PACKAGE.replace("@", "-")
    target = project.build_dir / "vendor" / folder / "node_modules" / "axe-core" / "axe.min.js"
    if target.is_file():
        return target
    return target if _npm_install(project, (AXE_PACKAGE,), folder) is not None else None


def install_http_proxy(project: Project) -> Path | None:
    """Install JupyterHub's proxy (configurable-http-proxy, pinned) into ``_build/vendor`` (once).

    Returns the path of its ``configurable-http-proxy`` command, or None when npm
    is missing. Only the hub test uses it (``tests/test_hub.py``); it is never
    part of the site.
    """
    target = project.build_dir / "vendor" / "npm-chp" / "node_modules" / ".bin" / "configurable-http-proxy"
    if target.is_file():
        return target
    return target if _npm_install(project, (HUB_PROXY_PACKAGE,), "npm-chp") is not None else None


def install_reveal(project: Project) -> Path | None:
    """Install reveal.js (the slide decks' engine, :data:`neuro4ml.course.slides.REVEAL_PACKAGE`) into ``_build/vendor`` (once).

    Its ``dist/`` files are copied to ``_build/vendor/static/revealjs``, which the site
    serves as ``_static/revealjs``. Returns the local ``reveal.js``, or None when npm is
    missing, in which case the decks load reveal.js from a CDN (and say so).
    """
    from .slides import REVEAL_FILES, REVEAL_PACKAGE

    target = project.vendor_static_dir / "revealjs" / "reveal.js"
    version = target.parent / "VERSION"
    if target.is_file() and version.is_file() and version.read_text().strip() == REVEAL_PACKAGE:
        return target
    modules = _npm_install(project, (REVEAL_PACKAGE,), "npm-reveal")
    if modules is None:
        print("neuro4ml: npm not found; the slide decks will load reveal.js from a CDN (needs internet)", file=sys.stderr)
        return None
    for name in REVEAL_FILES:
        src = modules / "reveal.js" / ("LICENSE" if name == "LICENSE" else f"dist/{name}")
        if name.startswith("plugin/"):
            src = modules / "reveal.js" / name
        dst = target.parent / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    version.write_text(REVEAL_PACKAGE + "\n")
    return target


def build(project: Project, *, strict: bool = True, quiet: bool = False) -> Path:
    """Build the site into ``_build/html`` and return that folder."""
    outline = project.outline()
    out_of_date = stale(project, outline)
    if out_of_date:
        names = ", ".join(str(p.relative_to(project.root)) for p in out_of_date)
        message = f"out of date with their sources: {names}; run `neuro4ml generate` (a build never writes them)"
        if strict:
            raise BuildError(message)
        print(f"neuro4ml: warning: {message}", file=sys.stderr)
    undescribed = problems(project)
    if undescribed:
        message = "figures without an alt text (see the README, 'Figures and accessibility'):\n  " + "\n  ".join(
            p.describe(project.root) for p in undescribed
        )
        if strict:
            raise BuildError(message)
        print(f"neuro4ml: warning: {message}", file=sys.stderr)
    install_mathjax(project)
    install_reveal(project)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "--keep-going"]
    if strict:
        command.append("-W")
    if quiet:
        command.append("-q")
    command += [str(project.content_dir), str(project.html_dir)]
    if subprocess.run(command, cwd=project.root).returncode != 0:
        raise BuildError("sphinx-build failed (warnings are errors); see the messages above")
    return project.html_dir


def serve(directory: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``directory`` over HTTP until interrupted."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        print(f"neuro4ml: serving the course at http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
