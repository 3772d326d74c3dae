"""Benchmark: a 10,000-neuron sparse E/I network in neuro4ml and in Brian2.

The model (the same in both simulators, with the same connectivity and initial state):

* 10,000 LIF neurons, 80 % excitatory and 20 % inhibitory, in the dimensionless units
  of ``neuro4ml.models.neurons.lif`` (rest 0, threshold 1, reset 0), membrane time constant
  20 ms, refractory period 2 ms, and a constant external input drawn uniformly from
  ``I_EXT_RANGE`` for each neuron;
* random connections with probability 2 % (no self-connections), exponential
  current-based synapses (5 ms excitatory, 10 ms inhibitory), a delay of 1.5 ms;
* 1 s (``--duration-ms``, e.g. 10,000 for 10 s) of biological time with a time step
  of 0.1 ms.

So each neuron follows ``20 ms dV/dt = I_ext - V + I_e + I_i`` with
``5 ms dI_e/dt = -I_e`` and ``10 ms dI_i/dt = -I_i``, and a spike of an excitatory
(inhibitory) neuron adds ``W_E`` (``W_I``) to ``I_e`` (``I_i``) of its targets. The
parameters follow the current-based benchmark network of Brette et al. (2007),
"Simulation of networks of spiking neurons: a review of tools and strategies",
J. Comput. Neurosci. 23:349-398 (80/20 split, 2 % connectivity, 20/5/10 ms time
constants), with 10,000 neurons and a constant drive instead of self-sustained activity.

Each simulator runs in a fresh Python process (``subprocess``), and the wall-clock time
of the whole process is measured: start-up, imports, building the network, code
generation and compilation (for Brian2), the simulation, and collecting spikes. The
best of ``--repeats`` runs is kept. The configurations:

* ``neuro4ml``: the numpy loop of ``Network.run`` (``backend="numpy"``, the reference);
* ``neuro4ml_numba``: the same loop compiled with numba (``backend="numba"``), warm:
  numba's on-disk cache holds the compiled code (an untimed warm-up run fills it);
* ``neuro4ml_numba_cold``: the same, with an empty numba cache directory
  (``NUMBA_CACHE_DIR``) for every run, so each run includes the compilation;
* ``cpp_standalone``: Brian2's C++ standalone device, warm: every run rebuilds the same
  project directory, which an untimed warm-up run has compiled once (``make`` then
  recompiles only what changed);
* ``cpp_standalone_cold``: a new build directory for every run, so each run includes
  compiling the whole C++ project;
* ``numpy`` and ``cython``: Brian2's runtime targets (``cython`` caches its compiled
  code in the user's cache directory, so its best time excludes compilation).

Each process also reports the time of its simulation alone (for ``cpp_standalone``,
Brian2's own measure of the compiled run; for neuro4ml and the runtime targets, the
``run()`` call, which includes code generation or loading numba's cache). The
simulators take turns, one run each per round. The machine's load average is
recorded before and after.

Usage::

    python benchmarks/network_brian2.py                     # all simulators, best of 3
    python benchmarks/network_brian2.py --targets neuro4ml cpp_standalone --repeats 1
    python benchmarks/network_brian2.py --duration-ms 10000 --targets neuro4ml_numba cpp_standalone

Results go to ``benchmarks/results/network_brian2.json`` (``network_brian2_10s.json``
for ``--duration-ms 10000``, and so on).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

N_NEURONS = 10_000
N_EXCITATORY = 8_000
CONNECTION_PROBABILITY = 0.02
TAU_MS = 20.0
TAU_E_MS = 5.0
TAU_I_MS = 10.0
REFRACTORY_MS = 2.0
DELAY_MS = 1.5
W_E = 0.04
W_I = -0.2
I_EXT_RANGE = (1.0, 1.3)
DURATION_MS = 1000.0
DT_MS = 0.1
SEED = 2024

TARGETS = ("neuro4ml", "neuro4ml_numba", "neuro4ml_numba_cold", "numpy", "cython", "cpp_standalone",
           "cpp_standalone_cold")
#: Configurations that get an untimed warm-up run first (to fill a compilation cache).
WARMED = ("neuro4ml_numba", "cpp_standalone")
#: The build directory reused by the warm cpp_standalone runs (one per duration).
WARM_BUILD_DIR = Path(tempfile.gettempdir()) / "neuro4ml_bench_network_standalone"
RESULTS = Path(__file__).resolve().parent / "results" / "network_brian2.json"
#: Largest accepted relative difference between the mean rates of neuro4ml and Brian2.
RATE_TOLERANCE = 0.01


# ---------------------------------------------------------------------------
# The shared network: connectivity and initial state
# ---------------------------------------------------------------------------


def random_pairs(n_sources: int, n_targets: int, p: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Sources and targets of a Bernoulli(p) random connectivity, in row-major order.

    Every pair is connected independently with probability ``p``: the gaps between
    successive connected positions of the flattened ``n_sources x n_targets`` matrix
    are geometric with parameter ``p``.
    """
    size = n_sources * n_targets
    expected = size * p
    gaps = rng.geometric(p, size=int(expected + 10 * np.sqrt(expected) + 100))
    positions = np.cumsum(gaps) - 1
    while positions[-1] < size:  # (practically never) draw more
        positions = np.concatenate([positions, positions[-1] + np.cumsum(rng.geometric(p, size=1000))])
    positions = positions[positions < size]
    return positions // n_targets, positions % n_targets


def build_model() -> dict[str, np.ndarray]:
    """Connectivity (global neuron indices), external inputs and initial potentials."""
    rng = np.random.default_rng(SEED)
    sources_e, targets_e = random_pairs(N_EXCITATORY, N_NEURONS, CONNECTION_PROBABILITY, rng)
    sources_i, targets_i = random_pairs(N_NEURONS - N_EXCITATORY, N_NEURONS, CONNECTION_PROBABILITY, rng)
    sources_i = sources_i + N_EXCITATORY
    keep_e, keep_i = sources_e != targets_e, sources_i != targets_i
    return {
        "sources_e": sources_e[keep_e], "targets_e": targets_e[keep_e],
        "sources_i": sources_i[keep_i], "targets_i": targets_i[keep_i],
        "i_ext": rng.uniform(*I_EXT_RANGE, N_NEURONS),
        "v0": rng.uniform(0.0, 1.0, N_NEURONS),
    }


# ---------------------------------------------------------------------------
# Workers: one simulator in this process
# ---------------------------------------------------------------------------


def run_neuro4ml(backend: str, duration_ms: float) -> dict:
    import scipy.sparse

    from neuro4ml.models.networks import Network
    from neuro4ml.models.synapses import Exponential

    model = build_model()
    shape = (N_NEURONS, N_NEURONS)
    net = Network()
    net.add_group("neurons", N_NEURONS, tau_ms=TAU_MS, refractory_ms=REFRACTORY_MS,
                  i_ext=model["i_ext"], v0=model["v0"])
    for kind, weight, tau_ms in (("e", W_E, TAU_E_MS), ("i", W_I, TAU_I_MS)):
        sources, targets = model[f"sources_{kind}"], model[f"targets_{kind}"]
        weights = scipy.sparse.csr_array((np.full(sources.size, weight), (sources, targets)), shape=shape)
        net.connect("neurons", "neurons", weights, synapse=Exponential(tau_ms), delay_ms=DELAY_MS, name=kind)
    start = time.perf_counter()
    run = net.run(duration_ms, dt_ms=DT_MS, backend=backend)
    simulation_s = time.perf_counter() - start
    counts = run.spike_counts("neurons")
    return {"simulation_s": simulation_s, "spikes": int(counts.sum()),
            "synapses": int(model["sources_e"].size + model["sources_i"].size)}


def run_brian2(target: str, duration_ms: float, build_dir: str) -> dict:
    import brian2 as b2

    model = build_model()
    if target == "cpp_standalone":
        b2.set_device("cpp_standalone", directory=build_dir)
    else:
        b2.prefs.codegen.target = target
    b2.defaultclock.dt = DT_MS * b2.ms
    namespace = {"tau": TAU_MS * b2.ms, "tau_e": TAU_E_MS * b2.ms, "tau_i": TAU_I_MS * b2.ms,
                 "w_e": W_E, "w_i": W_I}
    equations = """
    dv/dt = (i_ext - v + ie + ii) / tau : 1 (unless refractory)
    die/dt = -ie / tau_e : 1
    dii/dt = -ii / tau_i : 1
    i_ext : 1 (constant)
    """
    neurons = b2.NeuronGroup(N_NEURONS, equations, threshold="v > 1", reset="v = 0",
                             refractory=REFRACTORY_MS * b2.ms, method="exact", namespace=namespace)
    neurons.v = model["v0"]
    neurons.i_ext = model["i_ext"]
    excitatory = b2.Synapses(neurons, neurons, on_pre="ie_post += w_e", delay=DELAY_MS * b2.ms,
                             namespace=namespace)
    excitatory.connect(i=model["sources_e"], j=model["targets_e"])
    inhibitory = b2.Synapses(neurons, neurons, on_pre="ii_post += w_i", delay=DELAY_MS * b2.ms,
                             namespace=namespace)
    inhibitory.connect(i=model["sources_i"], j=model["targets_i"])
    monitor = b2.SpikeMonitor(neurons, record=False)  # counts only
    start = time.perf_counter()
    b2.run(duration_ms * b2.ms)
    run_s = time.perf_counter() - start
    result = {"spikes": int(np.sum(monitor.count[:]))}
    if target == "cpp_standalone":
        result["simulation_s"] = float(b2.device._last_run_time)
        result["build_and_run_s"] = run_s
    else:
        result["simulation_s"] = run_s  # includes code generation (and compilation for cython)
    return result


def worker(target: str, duration_ms: float, build_dir: str) -> None:
    if target.startswith("neuro4ml"):
        result = run_neuro4ml("numpy" if target == "neuro4ml" else "numba", duration_ms)
    else:
        result = run_brian2(target.removesuffix("_cold"), duration_ms, build_dir)
    result["mean_rate_hz"] = result["spikes"] / N_NEURONS / (duration_ms / 1000.0)
    print("RESULT " + json.dumps(result))


# ---------------------------------------------------------------------------
# The comparison: whole processes
# ---------------------------------------------------------------------------


def timed_process(target: str, duration_ms: float) -> tuple[float, dict]:
    """Run one worker in a fresh process; return its wall-clock time and its report."""
    env = dict(os.environ)
    fresh = tempfile.mkdtemp(prefix="neuro4ml_bench_")  # an empty cache or build directory
    build_dir = str(WARM_BUILD_DIR / f"{duration_ms:g}ms") if target == "cpp_standalone" else fresh
    if target == "neuro4ml_numba_cold":
        env["NUMBA_CACHE_DIR"] = fresh
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, __file__, "--worker", target, "--duration-ms", str(duration_ms), "--build-dir", build_dir],
        capture_output=True, text=True, check=False, env=env,
    )
    wall_s = time.perf_counter() - start
    shutil.rmtree(fresh, ignore_errors=True)
    if completed.returncode != 0:
        raise RuntimeError(f"{target} failed:\n{completed.stdout}\n{completed.stderr}")
    line = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
    return wall_s, json.loads(line[len("RESULT "):])


def compare(targets: list[str], repeats: int, duration_ms: float) -> dict:
    """Best-of-``repeats`` whole-process times; the simulators take turns, so that a
    change in the machine's background load affects them all alike."""
    for target in targets:
        if target in WARMED:
            timed_process(target, duration_ms)  # untimed: fills the cache or compiles the project
    runs: dict[str, list[dict]] = {target: [] for target in targets}
    for repeat in range(repeats):
        for target in targets:
            wall_s, report = timed_process(target, duration_ms)
            runs[target].append({"wall_s": wall_s, **report})
            print(f"{target:>15}  run {repeat + 1}: {wall_s:6.2f} s whole process, "
                  f"{report['simulation_s']:6.2f} s simulation, {report['mean_rate_hz']:.2f} Hz", flush=True)
    results = {}
    for target, target_runs in runs.items():
        best = min(target_runs, key=lambda run: run["wall_s"])
        results[target] = {"best_wall_s": best["wall_s"], "best_simulation_s": best["simulation_s"],
                           "mean_rate_hz": best["mean_rate_hz"], "runs": target_runs}
    return results


def summarise(results: dict) -> dict:
    """Brian2 over neuro4ml, for every pair of a Brian2 and a neuro4ml configuration."""
    summary = {}
    ours = [target for target in results if target.startswith("neuro4ml")]
    for target, result in results.items():
        if target in ours:
            continue
        for mine in ours:
            reference = results[mine]
            summary[f"{target} / {mine}"] = {
                "wall_ratio_brian2_over_neuro4ml": result["best_wall_s"] / reference["best_wall_s"],
                "simulation_ratio_brian2_over_neuro4ml": result["best_simulation_s"] / reference["best_simulation_s"],
                "rate_relative_difference": abs(result["mean_rate_hz"] - reference["mean_rate_hz"])
                / reference["mean_rate_hz"],
            }
    return summary


def targets_met(results: dict) -> dict:
    """The targets of the benchmark README for the compiled neuro4ml loop, where measured."""
    met = {}
    if {"neuro4ml_numba", "cpp_standalone"} <= results.keys():
        ratio = results["neuro4ml_numba"]["best_simulation_s"] / results["cpp_standalone"]["best_simulation_s"]
        met["simulation_numba_over_standalone"] = ratio
        met["simulation_at_most_1.5x_standalone"] = ratio <= 1.5
    for mine in ("neuro4ml_numba", "neuro4ml_numba_cold"):
        for theirs in ("cpp_standalone", "cpp_standalone_cold"):
            if {mine, theirs} <= results.keys():
                met[f"whole_process_{mine}_ahead_of_{theirs}"] = (
                    results[mine]["best_wall_s"] < results[theirs]["best_wall_s"])
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=TARGETS, help=argparse.SUPPRESS)
    parser.add_argument("--targets", nargs="+", choices=TARGETS, default=list(TARGETS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--duration-ms", type=float, default=DURATION_MS)
    parser.add_argument("--build-dir", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.duration_ms, args.build_dir)
        return

    load_before = os.getloadavg()
    results = compare(args.targets, args.repeats, args.duration_ms)
    load_after = os.getloadavg()
    summary = summarise(results)
    print()
    print(f"{'simulator':>20}  {'whole process (s)':>18}  {'simulation (s)':>15}  {'rate (Hz)':>9}")
    for target, result in results.items():
        print(f"{target:>20}  {result['best_wall_s']:18.2f}  {result['best_simulation_s']:15.2f}  "
              f"{result['mean_rate_hz']:9.3f}")
    agree = all(item["rate_relative_difference"] <= RATE_TOLERANCE for item in summary.values())
    met = targets_met(results)
    print(f"\nmean rates agree within {RATE_TOLERANCE:.0%}: {agree}")
    print(f"load average before {load_before}, after {load_after}")
    for name, value in met.items():
        print(f"{name}: {value}")

    import brian2

    payload = {
        "description": "10,000 LIF neurons (80% E, 20% I), p = 0.02, exponential current synapses, "
                       f"{args.duration_ms / 1000:g} s at dt = 0.1 ms; wall-clock time of whole processes "
                       "(best of repeats); *_cold: compilation included (fresh numba cache or fresh "
                       "Brian2 build directory), otherwise warm (see the script's docstring)",
        "command": " ".join(["python", "benchmarks/network_brian2.py", *sys.argv[1:]]),
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "parameters": {
            "n_neurons": N_NEURONS, "n_excitatory": N_EXCITATORY, "p": CONNECTION_PROBABILITY,
            "tau_ms": TAU_MS, "tau_e_ms": TAU_E_MS, "tau_i_ms": TAU_I_MS, "refractory_ms": REFRACTORY_MS,
            "delay_ms": DELAY_MS, "w_e": W_E, "w_i": W_I, "i_ext_range": list(I_EXT_RANGE),
            "duration_ms": args.duration_ms, "dt_ms": DT_MS, "seed": SEED,
        },
        "repeats": args.repeats,
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpu_count": os.cpu_count(), "numpy": np.__version__, "brian2": brian2.__version__,
                    "numba": _version("numba"), "load_average_1_5_15_min_before": load_before,
                    "load_average_1_5_15_min_after": load_after},
        "results": results,
        "summary": summary,
        "rates_agree": agree,
        "targets_met": met,
    }
    output = args.output or (RESULTS if args.duration_ms == DURATION_MS
                             else RESULTS.with_name(f"network_brian2_{args.duration_ms / 1000:g}s.json"))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"written {output}")


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


if __name__ == "__main__":
    main()
