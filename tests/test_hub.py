"""A real JupyterHub, configured as the instructors' page says, running a class on 127.0.0.1.

The slow test (marked ``hub``) starts JupyterHub with the ``jupyterhub_config.py``
that ``content/instructors.md`` shows, read from the page itself, plus the few
settings a test must change (listed in :data:`TEST_ONLY`, and on the page). Its
proxy is npm's configurable-http-proxy at the version the page pins, installed into
``_build/vendor`` like the site's MathJax. Then it runs a week of the course the way
its users would, over HTTP only:

* an instructor, a student who solves week 1 and a student who hands it in
  untouched log in through the hub's login form; someone not on the class list is
  refused;
* the instructor exports the course, generates and releases week 1 with nbgrader's
  exchange, running the page's commands in a kernel of their own Jupyter server;
* the first student fetches and submits through nbgrader's Assignment List (the
  requests JupyterLab's Assignments panel sends) and saves the solved notebook through
  the server's contents API, as JupyterLab does; the second runs the page's terminal
  commands (``nbgrader fetch_assignment``, ``nbgrader submit``) in a kernel;
* each student's kernel imports ``neuro4ml`` and runs week 1's first check on that
  student's own ``lif`` cell: it passes for one, reports "not implemented yet" for the
  other;
* the instructor collects, autogrades and exports the grades: full marks for one,
  zero for the other.

Every process the test starts (the hub, its proxy, the users' servers and kernels)
is stopped at the end, and all traffic goes to 127.0.0.1. It used about 2 minutes of
processor time, most of it autograding the solved notebook; on a shared 2-core machine
at load 12 it took 7 minutes (10 at load 16). The fast tests check that
the page shows the configuration and commands this test runs.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from neuro4ml.course.notebooks import BEGIN, END
from neuro4ml.course.project import Project
from neuro4ml.course.site import HUB_PROXY_PACKAGE, install_http_proxy

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "content" / "instructors.md"
BIN = Path(sys.executable).parent

# The page's files: each is a code block whose caption is the file's path on the server.
HUB_CONFIG = "/etc/jupyterhub/jupyterhub_config.py"
NBGRADER_CONFIG = "/etc/jupyter/nbgrader_config.py"
# The page's commands that this module runs (the instructor's and the second student's
# in a kernel of their server; `neuro4ml nbgrader export` with --root, since the test
# does not run it from inside the checkout).
COMMANDS = {
    "start": "jupyterhub -f /etc/jupyterhub/jupyterhub_config.py",
    "export": "neuro4ml nbgrader export course",
    "generate": "nbgrader generate_assignment week1",
    "release": "nbgrader release_assignment week1",
    "fetch": "nbgrader fetch_assignment week1",
    "submit": "nbgrader submit week1",
    "collect": "nbgrader collect week1",
    "autograde": "nbgrader autograde week1",
    "grades": "nbgrader export",
}
PROXY_INSTALL = f"npm install -g {HUB_PROXY_PACKAGE}"
INSTALL = 'pip install -c constraints.txt ".[exercises,grading,hub]"'
INSTRUCTOR, SOLVER, UNTOUCHED = "instructor", "student1", "student2"
# Waits, each bounded: the hub's start, one server's start, one command in a kernel.
HUB_START_S = 90
SERVER_START_S = 120
COMMAND_S = 900
# What the test changes in the page's configuration, and why (the page lists the same).
TEST_ONLY = """
# --- Only in the test (content/instructors.md lists these) ---
# Log in without system accounts: any password, but only the page's users.
c.JupyterHub.authenticator_class = "dummy"
# Start every user's server as the test's own account, in a home folder of its own.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {args!r}
# The system-wide Jupyter configuration folder (/etc/jupyter on a server).
c.Spawner.environment = {{"JUPYTER_CONFIG_PATH": {etc!r}}}
# Only 127.0.0.1, on free ports; the hub's files in a temporary folder.
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = "sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{state}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = "{state}/jupyterhub.pid"
"""


# --- reading the page -----------------------------------------------------------------


def page_file(caption: str) -> str:
    """The contents of the page's code block captioned ``caption`` (a file's path on the server)."""
    text = PAGE.read_text(encoding="utf-8")
    pattern = r"```\{code-block\} python\n:caption: " + re.escape(caption) + r"\n\n(.*?)\n```"
    found = re.findall(pattern, text, flags=re.DOTALL)
    assert len(found) == 1, f"the instructors' page must show {caption} once, as a python code-block captioned with its path"
    return found[0] + "\n"


def test_the_page_shows_the_configuration_and_commands_the_hub_test_runs():
    text = PAGE.read_text(encoding="utf-8")
    for command in [*COMMANDS.values(), PROXY_INSTALL, INSTALL]:
        assert command in text, f"the instructors' page no longer shows `{command}`: update tests/test_hub.py with it"
    for caption in (HUB_CONFIG, NBGRADER_CONFIG):
        compile(page_file(caption), caption, "exec")  # valid Python
    hub = page_file(HUB_CONFIG)
    for user in (INSTRUCTOR, SOLVER, UNTOUCHED):
        assert f'"{user}"' in hub, f"the page's hub configuration no longer names {user}, whom the test logs in"
    # The page lists every setting the test changes.
    for setting in re.findall(r"^(c\.\w+\.\w+) =", TEST_ONLY, flags=re.MULTILINE):
        assert f"`{setting}`" in text, f"the instructors' page must list `{setting}` among what the test changes"
    # The sizing table the page includes exists.
    assert "```{include} _data/hub_sizing.md" in text and (ROOT / "content" / "_data" / "hub_sizing.md").is_file()


def test_the_install_names_extras_that_exist_and_pins_jupyterhub():
    import tomllib  # Python 3.11+

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert {"exercises", "grading", "hub"} <= set(extras)
    assert any(req.startswith("jupyterhub>=") for req in extras["hub"])
    assert "hub" in extras["dev"][0], "CI (the dev extra) must install JupyterHub for the hub test"
    assert any(line.startswith("jupyterhub==") for line in (ROOT / "constraints.txt").read_text().splitlines())
    assert re.fullmatch(r"configurable-http-proxy@\d+\.\d+\.\d+", HUB_PROXY_PACKAGE), "pin the proxy's exact version"


# --- driving the hub ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class User:
    """One person at a browser: logs in through the hub's form, then uses an API token of their own."""

    def __init__(self, hub_url: str, name: str):
        import requests

        self.hub_url, self.name = hub_url, name
        self.session = requests.Session()
        self.token: str | None = None

    def login(self) -> int:
        """Submit the hub's login form (any password: the test's authenticator). Returns the HTTP status."""
        page = self.session.get(f"{self.hub_url}/hub/login", timeout=30)
        page.raise_for_status()
        xsrf = self._xsrf()
        answer = self.session.post(
            f"{self.hub_url}/hub/login", data={"username": self.name, "password": "any", "_xsrf": xsrf}, allow_redirects=False, timeout=30
        )
        if answer.status_code == 302:
            # What the hub's token page does: ask for an API token, with the login cookie.
            made = self.session.post(
                f"{self.hub_url}/hub/api/users/{self.name}/tokens",
                json={"note": "hub test"},
                headers={"X-XSRFToken": self._xsrf()},
                timeout=30,
            )
            assert made.status_code in (200, 201), f"{self.name} could not get a token: {made.status_code} {made.text}"
            self.token = made.json()["token"]
        return answer.status_code

    def _xsrf(self) -> str:
        """The hub's XSRF cookie, which a request authenticated by the login cookie must repeat in a header."""
        values = [c.value for c in self.session.cookies if c.name == "_xsrf" and c.path.startswith("/hub")]
        assert values, f"the hub set no _xsrf cookie for {self.name}"
        return values[-1]

    def request(self, method: str, path: str, **kwargs):
        """``method`` ``path`` (under the hub's address) with this user's token."""
        headers = {"Authorization": f"token {self.token}", **kwargs.pop("headers", {})}
        return self.session.request(method, f"{self.hub_url}{path}", headers=headers, timeout=kwargs.pop("timeout", 60), **kwargs)

    def start_server(self) -> None:
        started = self.request("POST", f"/hub/api/users/{self.name}/server")
        assert started.status_code in (201, 202), f"{self.name}'s server did not start: {started.status_code} {started.text}"
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline:
            server = self.request("GET", f"/hub/api/users/{self.name}").json()["servers"].get("", {})
            if server.get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"{self.name}'s server was not ready after {SERVER_START_S} s")

    def server(self, method: str, path: str, **kwargs):
        """A request to this user's own Jupyter server, through the hub's proxy."""
        return self.request(method, f"/user/{self.name}{path}", **kwargs)

    def run(self, code: str, timeout_s: float = COMMAND_S) -> str:
        """Run ``code`` in a new kernel of this user's server (over its websocket) and return what it printed.

        Raises AssertionError with the traceback if the code raised.
        """
        kernel = self.server("POST", "/api/kernels", json={"name": "python3"})
        assert kernel.status_code == 201, f"{self.name} could not start a kernel: {kernel.status_code} {kernel.text}"
        kernel_id = kernel.json()["id"]
        try:
            return asyncio.run(asyncio.wait_for(self._execute(kernel_id, code), timeout_s))
        finally:
            self.server("DELETE", f"/api/kernels/{kernel_id}")

    async def _execute(self, kernel_id: str, code: str) -> str:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = f"{self.hub_url.replace('http', 'ws', 1)}/user/{self.name}/api/kernels/{kernel_id}/channels"
        socket_ = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {self.token}"}))
        msg_id, session = uuid.uuid4().hex, uuid.uuid4().hex
        header = {"msg_id": msg_id, "session": session, "username": self.name, "msg_type": "execute_request", "version": "5.3", "date": ""}
        content = {
            "code": code,
            "silent": False,
            "store_history": False,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }
        await socket_.write_message(
            json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []})
        )
        printed, error = [], None
        try:
            while True:
                raw = await socket_.read_message()
                assert raw is not None, f"{self.name}'s kernel closed its websocket"
                message = json.loads(raw)
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = message["header"]["msg_type"]
                if kind == "stream":
                    printed.append(message["content"]["text"])
                elif kind == "error":
                    error = "\n".join(message["content"]["traceback"])
                elif kind == "status" and message["content"]["execution_state"] == "idle":
                    break
        finally:
            socket_.close()
        output = "".join(printed)
        if error is not None:
            plain = re.sub(r"\x1b\[[0-9;]*m", "", error)  # without the terminal's colours
            raise AssertionError(f"code in {self.name}'s kernel raised:\n{plain}\nit printed:\n{output[-3000:]}")
        return output

    def shell(self, command: str, cwd: str = "~") -> str:
        """Run ``command`` as in a terminal of this user's server (in a kernel, from ``cwd``) and return its output."""
        code = (
            "import os, subprocess\n"
            f"result = subprocess.run({command!r}, shell=True, cwd=os.path.expanduser({cwd!r}), capture_output=True, text=True)\n"
            "print(result.stdout[-6000:] + result.stderr[-6000:])\n"
            "print('exit status', result.returncode)\n"
        )
        output = self.run(code)
        assert output.rstrip().endswith("exit status 0"), f"`{command}` failed for {self.name}:\n{output[-6000:]}"
        return output


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A running JupyterHub with the page's configuration; stops it, and every process it started, at the end."""
    pytest.importorskip("jupyterhub", reason="JupyterHub is not installed (pip install -e '.[hub]')")
    pytest.importorskip("nbgrader", reason="nbgrader is not installed (pip install -e '.[grading]')")
    proxy = install_http_proxy(Project(ROOT))
    if proxy is None:
        pytest.skip("npm is not installed: the hub's proxy (configurable-http-proxy) comes from npm")
    import psutil

    tmp = tmp_path_factory.mktemp("hub")
    homes, etc, state, exchange = tmp / "home", tmp / "etc-jupyter", tmp / "state", tmp / "exchange"
    for folder in (homes, etc, state, exchange):
        folder.mkdir()
    # The page's system-wide nbgrader configuration, with the exchange in the temporary folder.
    nbgrader_config = page_file(NBGRADER_CONFIG)
    assert '"/srv/nbgrader/exchange"' in nbgrader_config
    (etc / "nbgrader_config.py").write_text(nbgrader_config.replace('"/srv/nbgrader/exchange"', repr(str(exchange))))
    exchange.chmod(0o777)  # the page's `chmod ugo+rw`, and x to enter it
    # On a server each student is an account of their own and nbgrader names their submissions
    # after it; here every server runs as the test's account, so each student's own Jupyter
    # configuration says who they are.
    for student in (SOLVER, UNTOUCHED):
        (homes / student / ".jupyter").mkdir(parents=True)
        (homes / student / ".jupyter" / "nbgrader_config.py").write_text(f'c = get_config()\nc.CourseDirectory.student_id = "{student}"\n')
    port = _free_port()
    config = page_file(HUB_CONFIG) + TEST_ONLY.format(
        homes=str(homes),
        singleuser=str(BIN / "jupyterhub-singleuser"),
        args=["--allow-root"] if os.geteuid() == 0 else [],  # Jupyter refuses to run as root without it
        etc=str(etc),
        port=port,
        hub_port=_free_port(),
        api_port=_free_port(),
        proxy=str(proxy),
        state=str(state),
    )
    (state / "jupyterhub_config.py").write_text(config)
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"  # the hub keeps PATH and PYTHONPATH for the servers
    env["PYTHONPATH"] = f"{ROOT / 'src'}{os.pathsep}{env.get('PYTHONPATH', '')}"
    log = (state / "jupyterhub.log").open("w")
    # COMMANDS["start"], with the test's copy of the configuration file.
    process = subprocess.Popen(
        [str(BIN / "jupyterhub"), "-f", str(state / "jupyterhub_config.py")], cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    started: dict[int, psutil.Process] = {}

    def remember_children() -> None:
        try:
            for child in psutil.Process(process.pid).children(recursive=True):
                started.setdefault(child.pid, child)
        except psutil.Error:
            pass

    hub_url = f"http://127.0.0.1:{port}"
    try:
        import requests

        deadline = time.monotonic() + HUB_START_S
        while True:
            assert process.poll() is None, f"JupyterHub exited:\n{(state / 'jupyterhub.log').read_text()[-5000:]}"
            try:
                if requests.get(f"{hub_url}/hub/api/", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, (
                f"JupyterHub did not answer within {HUB_START_S} s:\n{(state / 'jupyterhub.log').read_text()[-5000:]}"
            )
            time.sleep(0.5)
        remember_children()
        yield {"url": hub_url, "exchange": exchange, "homes": homes, "log": state / "jupyterhub.log", "remember": remember_children}
    finally:
        remember_children()
        process.send_signal(signal.SIGTERM)  # the hub stops the users' servers and its proxy
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        for child in started.values():  # anything the hub left running (the servers' kernels, say)
            try:
                if child.is_running():
                    child.kill()
                    child.wait(timeout=10)
            except psutil.Error:
                pass


def _solved(fetched: dict, source: dict) -> dict:
    """The fetched notebook with every solution cell answered as in the instructor's source (markers removed)."""
    answers = {
        c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in source["cells"] if c["metadata"].get("nbgrader", {}).get("solution")
    }
    solved = json.loads(json.dumps(fetched))
    count = 0
    for cell in solved["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            lines = "".join(answers[grade_id]).splitlines(keepends=True)
            cell["source"] = "".join(line for line in lines if line.strip() not in (BEGIN, END))
            count += 1
    assert count == len(answers), f"the fetched notebook has {count} of the source's {len(answers)} solution cells"
    return solved


def _check_lif_code(notebook: dict) -> str:
    """Code that runs the notebook's imports, its own ``lif`` cell and week 1's first check on it, as a student would."""
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    imports = next(c for c in code if "from neuro4ml.check import w1" in c)
    lif = next(c for c in code if "def lif(" in c)
    report = "print('library:', neuro4ml.__file__)\nprint('status:', result.status)\n"
    return f"import neuro4ml\n{imports}\n{lif}\nresult = w1.check_lif(lif)\n{report}"


@pytest.mark.hub
def test_a_class_on_the_hub_gets_week_1_graded(hub):
    url = hub["url"]
    instructor, solver, untouched = (User(url, name) for name in (INSTRUCTOR, SOLVER, UNTOUCHED))
    # Only the class list and the instructors may log in.
    assert User(url, "intruder").login() == 403
    for user in (instructor, solver, untouched):
        assert user.login() == 302, f"{user.name} could not log in"
    # The instructor administers the hub; a student does not.
    assert instructor.request("GET", "/hub/api/users").status_code == 200
    assert solver.request("GET", "/hub/api/users").status_code == 403
    for user in (instructor, solver, untouched):
        user.start_server()
    hub["remember"]()

    # The instructor makes and releases week 1 (with the exchange line the page says to add).
    instructor.shell(f"neuro4ml --root {ROOT} nbgrader export course")
    instructor.shell(f"echo 'c.Exchange.root = {json.dumps(str(hub['exchange']))}' >> nbgrader_config.py", cwd="~/course")
    instructor.shell(COMMANDS["generate"], cwd="~/course")
    instructor.shell(COMMANDS["release"], cwd="~/course")

    # Student 1 uses JupyterLab's Assignments panel: list, fetch.
    listing = solver.server("GET", "/assignments", params={"course_id": "neuro4ml"}).json()
    assert [a["assignment_id"] for a in listing["value"] if a["status"] == "released"] == ["week1"], listing
    fetched = solver.server("POST", "/assignments/fetch", data={"course_id": "neuro4ml", "assignment_id": "week1"})
    assert fetched.status_code == 200 and fetched.json()["success"], fetched.text
    # Student 2 uses the terminal commands.
    untouched.shell(COMMANDS["fetch"])

    path = "/api/contents/week1/w1-neurons.ipynb"
    notebooks = {}
    for user in (solver, untouched):
        answer = user.server("GET", path, params={"content": 1})
        assert answer.status_code == 200, f"{user.name} has no week1/w1-neurons.ipynb: {answer.status_code}"
        notebooks[user.name] = answer.json()["content"]
    assert "raise NotImplementedError()" in json.dumps(notebooks[SOLVER])
    # Student 1 answers every solution cell (the instructor's answers) and saves, as JupyterLab does.
    source = json.loads((hub["homes"] / INSTRUCTOR / "course" / "source" / "week1" / "w1-neurons.ipynb").read_text())
    notebooks[SOLVER] = _solved(notebooks[SOLVER], source)
    saved = solver.server("PUT", path, json={"type": "notebook", "format": "json", "content": notebooks[SOLVER]})
    assert saved.status_code == 200, saved.text

    # Each student's kernel imports the library and runs a check on that student's own lif.
    for user, status in ((solver, "passed"), (untouched, "not implemented yet")):
        printed = user.run(_check_lif_code(notebooks[user.name]))
        assert f"library: {ROOT / 'src' / 'neuro4ml' / '__init__.py'}" in printed, printed
        assert f"status: {status}" in printed, f"{user.name}'s check_lif:\n{printed}"

    submitted = solver.server("POST", "/assignments/submit", data={"course_id": "neuro4ml", "assignment_id": "week1"})
    assert submitted.status_code == 200 and submitted.json()["success"], submitted.text
    untouched.shell(COMMANDS["submit"])

    # The instructor collects, autogrades and exports the grades.
    instructor.shell(COMMANDS["collect"], cwd="~/course")
    for student in (SOLVER, UNTOUCHED):
        assert (hub["homes"] / INSTRUCTOR / "course" / "submitted" / student / "week1" / "w1-neurons.ipynb").is_file()
    instructor.shell(COMMANDS["autograde"], cwd="~/course")
    instructor.shell(COMMANDS["grades"], cwd="~/course")
    grades = {
        row["student_id"]: row for row in csv.DictReader(io.StringIO((hub["homes"] / INSTRUCTOR / "course" / "grades.csv").read_text()))
    }
    assert set(grades) == {SOLVER, UNTOUCHED}, grades
    max_score = float(grades[SOLVER]["max_score"])
    assert max_score == 4  # week 1's four answer checks, one point each
    assert float(grades[SOLVER]["score"]) == max_score
    assert float(grades[UNTOUCHED]["score"]) == 0
