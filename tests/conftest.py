"""Shared fixtures: the course project, and the website built once per test session.

The site is built the way a fresh clone builds it: from a copy of the checkout's
files (tracked and new, not ignored; with their current contents) that is a git
repository of its own, so the tests can ask git whether the build changed or
added anything outside ``_build/`` (:func:`build_changes`). The copy shares the
checkout's notebook cache and MathJax (``_build/.jupyter_cache``,
``_build/vendor``), so pages executed once are not executed again.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from neuro4ml.course.project import Project

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
# What a build may share with the checkout: caches under _build/, never sources.
SHARED_BUILD_DIRS = (".jupyter_cache", "vendor")


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=neuro4ml tests", "-c", "user.email=tests@localhost", *args],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed in {root}: {result.stderr}")
    return result.stdout


def clean_copy(project: Project, dest: Path) -> Project:
    """A copy of the checkout's working tree (files git tracks or would track) committed in a new repository."""
    if shutil.which("git") is None or not (project.root / ".git").exists():
        pytest.skip("the site tests build a clean copy of a git checkout")
    files = _git(project.root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, files):
        source = project.root / name
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "the checkout as the tests build it")
    for name in SHARED_BUILD_DIRS:
        shared = project.build_dir / name
        shared.mkdir(parents=True, exist_ok=True)
        (dest / "_build").mkdir(exist_ok=True)
        (dest / "_build" / name).symlink_to(shared, target_is_directory=True)
    return Project(dest)


SITE_FIXTURES = ("built_project", "build_changes", "built_site", "site_url")


def _needs_site(item) -> bool:
    return bool(set(getattr(item, "fixturenames", ())) & set(SITE_FIXTURES))


def pytest_collection_modifyitems(config, items):
    """The tests that need the built site run last, so that the workers run the others while it builds."""
    items.sort(key=_needs_site)  # stable: the order within each part is kept


def _shared_build(config) -> tuple[Path, Path, Path]:
    """The clean copy, its "built" mark and its lock, in the temporary folder all xdist workers of a run share."""
    shared = config._tmp_path_factory.getbasetemp().parent  # pytest's own factory: the tmp_path_factory fixture's
    return shared / "clean-copy", shared / "clean-copy.built", shared / "clean-copy.lock"


def _build_shared(project: Project, root: Path, done: Path) -> None:
    from neuro4ml.course.site import build

    shutil.rmtree(root, ignore_errors=True)  # what a failed build left
    root.mkdir()
    build(clean_copy(project, root), strict=True, quiet=True)
    done.touch()


def pytest_collection_finish(session):
    """Under pytest-xdist, the first worker to get here builds the site in the background.

    It holds the shared lock while it builds; the other worker goes on with its tests, and
    :func:`built_project` waits for the lock. So the build overlaps with the tests that do
    not need it instead of keeping a worker idle.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ or not any(_needs_site(item) for item in session.items):
        return
    root, done, lock = _shared_build(session.config)
    handle = open(lock, "w")
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # the other worker is building it, or has built it
        handle.close()
        return

    def build_then_release():
        try:
            if not done.exists():
                _build_shared(Project(ROOT), root, done)
        except BaseException:  # built_project builds again, in a test, and reports the error there
            pass
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    threading.Thread(target=build_then_release, name="site build", daemon=True).start()


@pytest.fixture(scope="session")
def built_project(project, tmp_path_factory, worker_id, request) -> Project:
    """A clean copy of the checkout with its site built (strict: warnings are errors), once per run.

    Under pytest-xdist (``make test`` runs two workers) one worker builds it in the
    background, in the run's shared temporary folder, from the end of collection
    (:func:`pytest_collection_finish`); this waits for that build and uses it, and builds
    again only when it failed, so that its error is reported by the tests that need it.
    (Keeping the site tests on one worker with ``xdist_group`` marks stopped working with
    pytest 9.2, and each worker then built the site.)
    """
    from neuro4ml.course.site import build

    if worker_id == "master":  # no xdist
        copy = clean_copy(project, tmp_path_factory.mktemp("clean-copy"))
        build(copy, strict=True, quiet=True)
        return copy
    root, done, lock = _shared_build(request.config)
    with _exclusive(lock):
        if not done.exists():
            _build_shared(project, root, done)
    return Project(root)


@contextlib.contextmanager
def _exclusive(lock: Path):
    """Hold an exclusive lock on the file ``lock`` (POSIX ``flock``) for the ``with`` block."""
    import fcntl

    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def build_changes(built_project) -> str:
    """``git status`` of the built copy: what the build changed or added outside the ignored ``_build/``."""
    return _git(built_project.root, "status", "--porcelain", "--untracked-files=all")


@pytest.fixture(scope="session")
def built_site(built_project) -> Path:
    return built_project.html_dir


@pytest.fixture(scope="session")
def site_url(built_site):
    """Serve the built site on a free port of 127.0.0.1 for the session."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
