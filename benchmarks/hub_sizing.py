"""Sizing a class hub: memory and CPU of one student running each week's notebook top to bottom.

For each solution notebook (``solutions/w<N>-*.ipynb``, weeks 1-8) the script starts a
separate worker process that executes the notebook with nbclient in a fresh Python
kernel, the way a student who runs every cell once would, from an empty working folder.
While it runs, a thread samples every 0.1 s the resident memory (RSS) of the kernel
process plus all its children, and keeps the peak. When the notebook has finished and
the kernel has been shut down, the worker reads the CPU time (user + system) of its
terminated children from ``getrusage(RUSAGE_CHILDREN)``: the kernel and every process
it waited for, over all their threads. A student's Jupyter server costs memory too: the
script starts one idle ``jupyter server`` (with the same extensions the hub loads:
JupyterLab, nbgrader's) and adds its RSS to each student's memory.

How many students 2 cores and 8 GiB hold, per week (the rule the table states):

* memory-bound: ``floor((8 GiB - 1 GiB) / (server RSS + kernel peak RSS))``, keeping 1 GiB
  for the operating system, the hub and the proxy, and counting every student's kernel
  at its peak at the same time (the worst case: RSS counts shared library pages once
  per process, so the real count is a little higher);
* CPU-bound: with a duty cycle of two full runs of the notebook per student per hour
  (a practical class where each student runs everything once and re-runs it once after
  a correction), one student needs ``2 * cpu_s / 3600`` cores on average, so 2 cores hold
  ``floor(2 / (2 * cpu_s / 3600)) = floor(3600 / cpu_s)`` students. Peaks are worse: when
  everyone starts the same long cell at the same minute, each waits its share of 2 cores.

The hub holds the smaller of the two. Usage (minutes; ``nice`` keeps it polite)::

    nice .venv/bin/python benchmarks/hub_sizing.py            # every week
    nice .venv/bin/python benchmarks/hub_sizing.py --week 1   # one week, printed, nothing written
    .venv/bin/python benchmarks/hub_sizing.py --table-only    # rewrite the page's table from the saved results

It writes ``benchmarks/results/hub_sizing.json`` (raw numbers, date, machine) and
``content/_data/hub_sizing.md`` (the table the instructors' page includes).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
RESULTS = ROOT / "benchmarks" / "results" / "hub_sizing.json"
TABLE = ROOT / "content" / "_data" / "hub_sizing.md"

GIB = 1024**3
MIB = 1024**2
HUB_CORES = 2
HUB_MEMORY_BYTES = 8 * GIB
RESERVED_BYTES = 1 * GIB  # the operating system, JupyterHub and its proxy
RUNS_PER_HOUR = 2  # the duty cycle: full runs of the notebook per student per hour
SAMPLE_S = 0.1
CELL_TIMEOUT_S = 1800


def _tree_rss(process) -> int:
    """RSS in bytes of ``process`` and all its descendants (processes that vanish mid-way count 0)."""
    import psutil

    try:
        processes = [process, *process.children(recursive=True)]
    except psutil.Error:  # the kernel has exited
        return 0
    total = 0
    for p in processes:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def _environment() -> dict[str, str]:
    """The worker's environment: this checkout's library first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = f"{ROOT / 'src'}{os.pathsep}{env.get('PYTHONPATH', '')}"
    return env


def worker(notebook: Path) -> dict:
    """Execute ``notebook`` in a fresh kernel; return its peak tree RSS, CPU time and wall time."""
    import nbformat
    import psutil
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    with tempfile.TemporaryDirectory(prefix="hub-sizing-") as work:
        client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3", resources={"metadata": {"path": work}})
        peak = 0
        done = threading.Event()
        threads = []

        def sample(kernel) -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss(kernel))
                done.wait(SAMPLE_S)

        def on_start(**_) -> None:  # nbclient's hook, called once the kernel has started
            thread = threading.Thread(target=sample, args=(psutil.Process(client.km.provisioner.process.pid),), daemon=True)
            thread.start()
            threads.append(thread)

        client.on_notebook_start = on_start
        start = time.perf_counter()
        try:
            client.execute()  # every cell, in order; the kernel is shut down (and waited for) at the end
        finally:
            done.set()
            for thread in threads:
                thread.join()
        wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"peak_rss_bytes": peak, "cpu_s": usage.ru_utime + usage.ru_stime, "wall_s": wall}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_rss() -> int:
    """RSS in bytes of one idle Jupyter server (a student's, without a kernel), after it answered."""
    import psutil

    port, token = _free_port(), "sizing"
    with tempfile.TemporaryDirectory(prefix="hub-sizing-server-") as home:
        args = [
            sys.executable,
            "-m",
            "jupyter_server",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}",
            "--ServerApp.open_browser=False",
            f"--ServerApp.root_dir={home}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")
        process = subprocess.Popen(args, env=_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/status", headers={"Authorization": f"token {token}"})
                    urllib.request.urlopen(request, timeout=5).read()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("the Jupyter server did not answer within 120 s")
                    time.sleep(0.5)
            time.sleep(2)  # let its extensions finish loading
            return _tree_rss(psutil.Process(process.pid))
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def students(server_bytes: int, row: dict) -> tuple[int, int]:
    """(memory-bound count, CPU-bound count) for one week: see the module docstring."""
    by_memory = math.floor((HUB_MEMORY_BYTES - RESERVED_BYTES) / (server_bytes + row["peak_rss_bytes"]))
    by_cpu = math.floor(HUB_CORES / (RUNS_PER_HOUR * row["cpu_s"] / 3600))
    return by_memory, by_cpu


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    return (
        f"{os.cpu_count()} cores of {cpu}, {memory:.0f} GiB, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def table(rows: list[dict], server_bytes: int, measured: str, where: str) -> str:
    """The Markdown table (and its note) that the instructors' page includes."""
    loads = [row["load_average_after"][0] for row in rows]
    lines = [
        "<!-- Written by benchmarks/hub_sizing.py: do not edit by hand, run the script again. -->",
        "",
        "| week | notebook | peak memory (MiB) | CPU time (s) | wall time (s) "
        "| students by memory | students by CPU | students on 2 cores, 8 GiB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        by_memory, by_cpu = students(server_bytes, row)
        lines.append(
            f"| {row['week']} | `{row['notebook']}` | {row['peak_rss_bytes'] / MIB:,.0f} | {row['cpu_s']:,.0f} | {row['wall_s']:,.0f} "
            f"| {by_memory} | {by_cpu} | **{min(by_memory, by_cpu)}** |"
        )
    lines += [
        "",
        f"Measured on {measured} by `benchmarks/hub_sizing.py` on {where}, while other jobs shared the "
        f"machine (1-minute load average {min(loads):.0f} to {max(loads):.0f} after the weeks ran): memory and CPU "
        "time depend little on that load, wall-clock time does. Peak memory is the largest "
        "resident memory (RSS) of the notebook's kernel and its child processes while the solution "
        "notebook ran top to bottom; CPU time is the kernel's, user plus system, over all its threads "
        "and children. Each student also has a Jupyter server, which took "
        f"{server_bytes / MIB:,.0f} MiB idle. *Students by memory*: "
        f"(8 GiB − 1 GiB for the system and the hub) ÷ ({server_bytes / MIB:,.0f} MiB + peak memory), with "
        "every student at their peak at once. *Students by CPU*: each student runs the whole notebook "
        f"{RUNS_PER_HOUR} times per hour, so 2 cores hold 3600 s ÷ CPU time students on average.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", type=int, action="append", help="measure only these weeks and write nothing")
    parser.add_argument("--table-only", action="store_true", help="rewrite the page's table from the saved results, measuring nothing")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.table_only:
        saved = json.loads(RESULTS.read_text())
        TABLE.write_text(table(saved["rows"], saved["server_rss_bytes"], saved["measured"], saved["machine"]), encoding="utf-8")
        return
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return
    notebooks = sorted(SOLUTIONS.glob("w[1-8]-*.ipynb"), key=lambda p: int(p.name[1:].split("-")[0]))
    if args.week:
        notebooks = [p for p in notebooks if int(p.name[1:].split("-")[0]) in args.week]
    started = datetime.now(timezone.utc)
    server_bytes = server_rss()
    print(f"idle Jupyter server: {server_bytes / MIB:.0f} MiB", flush=True)
    rows = []
    for notebook in notebooks:
        result = subprocess.run([sys.executable, __file__, "--worker", str(notebook)], env=_environment(), capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"{notebook.name} failed:\n{result.stderr[-4000:]}")
        row = {
            "week": int(notebook.name[1:].split("-")[0]),
            "notebook": notebook.name,
            **json.loads(result.stdout.strip().splitlines()[-1]),
        }
        by_memory, by_cpu = students(server_bytes, row)
        row.update(students_by_memory=by_memory, students_by_cpu=by_cpu, load_average_after=os.getloadavg())
        rows.append(row)
        print(
            f"week {row['week']}: peak {row['peak_rss_bytes'] / MIB:.0f} MiB, CPU {row['cpu_s']:.1f} s, wall {row['wall_s']:.1f} s, "
            f"students: {by_memory} by memory, {by_cpu} by CPU",
            flush=True,
        )
    if args.week:
        return
    finished = datetime.now(timezone.utc)
    measured = f"{started:%d %B %Y}, {started:%H:%M}–{finished:%H:%M} UTC"
    where = machine()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "measured": measured,
                "machine": where,
                "server_rss_bytes": server_bytes,
                "rule": {
                    "hub_cores": HUB_CORES,
                    "hub_memory_bytes": HUB_MEMORY_BYTES,
                    "reserved_bytes": RESERVED_BYTES,
                    "runs_per_hour": RUNS_PER_HOUR,
                },
                "rows": rows,
            },
            indent=2,
        )
        + "\n"
    )
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text(table(rows, server_bytes, measured, where), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)} and {TABLE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
