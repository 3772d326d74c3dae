"""Shared fixtures: the course project, and the website built once per test session."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from neuro4ml.course.project import Project

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def built_site(project) -> Path:
    """Build the site (strict: warnings are errors) once for all site and browser tests."""
    from neuro4ml.course.site import build

    return build(project, strict=True, quiet=True)


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
