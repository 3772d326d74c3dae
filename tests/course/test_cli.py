"""The command line: `neuro4ml serve` serves the built site on the port asked for."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.site
def test_serve_serves_the_built_site(built_project):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "neuro4ml.course", "--root", str(built_project.root), "serve", "--no-build", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert f"http://127.0.0.1:{port}/" in server.stdout.readline()
        for _ in range(50):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert "Neuroscience for machine learners" in page and "Week 9: Open issues" in page
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_help_lists_the_commands():
    out = subprocess.run([sys.executable, "-m", "neuro4ml.course", "--help"], capture_output=True, text=True).stdout
    for command in ("build", "serve", "check", "generate", "exercises"):
        assert command in out


def test_outside_a_checkout_the_error_says_what_to_do(tmp_path):
    result = subprocess.run([sys.executable, "-m", "neuro4ml.course", "check"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 2
    assert "no course.yml" in result.stderr and "run neuro4ml from a checkout" in result.stderr
