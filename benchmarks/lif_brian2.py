"""Benchmark: ``neuro4ml.models.neurons.lif`` against Brian2 on 10,000 LIF neurons for 1 s.

Both sides simulate the same model, tau dV/dt = I - V with tau = 10 ms, spike when
V > 1 and reset to 0, at dt = 0.1 ms (10,000 steps), with the exact update for an input
held constant over a step, and record every spike. Each run is a whole, separate Python
process (import, input generation, simulation, collecting the spikes), timed on the
wall clock from outside; the best of ``--repeats`` runs is reported, after one untimed
warm-up run per configuration (which fills Brian2's Cython cache and compiles its C++
project once; a "cold" C++ run, with a fresh project directory and so a full compile,
is timed separately).

Two input scenarios:

* ``fixed`` (the main comparison): each neuron gets its own constant input,
  I[i, k] = I0 + s * xi_i with xi_i standard normal, drawn once per neuron from the
  same seed on both sides. The two simulators see identical inputs, so their spike
  counts must agree neuron by neuron. neuro4ml receives the (neurons, time) input as
  ``np.broadcast_to(I[:, None], (neurons, time))``, a view that stores one number per
  neuron; Brian2 stores I as a per-neuron constant.
* ``noisy``: the same fixed part plus fresh noise at every step,
  I[i, k] = I0 + s * xi_i + sigma * eta[i, k], with the same statistics on both
  sides. neuro4ml receives a full (neurons, time) array made in the process (float32
  by default, which halves its memory; a float64 variant is also timed); Brian2
  draws eta at each step with ``randn()`` in a subexpression that is "constant over
  dt", so it never stores the input. Spike totals (the mean rate) and the mean
  coefficient of variation of the inter-spike intervals (over neurons with at least 30
  intervals) must agree within 1 %. The
  configuration "neuro4ml (noise in the loop)" instead passes the fixed part as a view
  and the noise as ``lif(..., noise_std=..., rng=...)``, which draws it inside the time
  loop, 40 steps at a time; ``noise_std = sigma * sqrt((1 - d) / (1 + d))`` with
  ``d = exp(-dt / tau)`` gives the same membrane noise as ``sigma`` on the input.

Usage::

    python benchmarks/lif_brian2.py                # writes benchmarks/results/lif_brian2.json
    python benchmarks/lif_brian2.py --repeats 1    # quicker

The script re-invokes itself with ``--worker`` for each timed process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

N_NEURONS = 10_000
DT_MS = 0.1
DURATION_MS = 1000.0
N_STEPS = 10_000
TAU_MS = 10.0
I0 = 1.2  # mean input, in units of the threshold
S_NEURON = 0.4  # spread of the fixed input across neurons
SIGMA = 0.5  # standard deviation of the per-step noise (scenario "noisy")
SEED = 2024

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "lif_brian2.json"

#: Configurations: name -> (simulator, options). neuro4ml's "record_v" variant also
#: stores the full (neurons, time) membrane trace (800 MB of float64).
CONFIGS: dict[str, dict[str, object]] = {
    "neuro4ml": {"simulator": "neuro4ml", "record_v": False, "dtype": "float32"},
    "neuro4ml (float64 input)": {"simulator": "neuro4ml", "record_v": False, "dtype": "float64"},
    "neuro4ml (record_v=True)": {"simulator": "neuro4ml", "record_v": True, "dtype": "float32"},
    "neuro4ml (noise in the loop)": {"simulator": "neuro4ml", "record_v": False, "dtype": "float64", "in_loop": True},
    "neuro4ml (noise in the loop, numpy generator)": {"simulator": "neuro4ml", "record_v": False, "dtype": "float64",
                                                       "in_loop": True, "numpy_generator": True},
    "brian2 numpy": {"simulator": "brian2", "target": "numpy"},
    "brian2 cython": {"simulator": "brian2", "target": "cython"},
    "brian2 cpp_standalone": {"simulator": "brian2", "target": "cpp_standalone"},
    "brian2 cpp_standalone (cold compile)": {"simulator": "brian2", "target": "cpp_standalone", "cold": True},
}
#: The float64-input variant differs from the default only when there is noise to store.
SKIP = {("fixed", "neuro4ml (float64 input)"), ("fixed", "neuro4ml (noise in the loop)"),
        ("fixed", "neuro4ml (noise in the loop, numpy generator)")}
REFERENCE = "neuro4ml"
TARGET_RATIO = 2.0  # neuro4ml should be at least this much faster than C++ standalone


# ---------------------------------------------------------------------------
# Workers: one simulation per process
# ---------------------------------------------------------------------------


def _fixed_inputs(np_module):
    """The fixed per-neuron inputs I0 + s * xi_i, identical in every process (same seed).

    Returns the generator too, so that the noisy scenario draws its noise after them.
    """
    rng = np_module.random.default_rng(SEED)
    return rng, I0 + S_NEURON * rng.standard_normal(N_NEURONS)


def mean_isi_cv(neurons, times_ms, np_module) -> float:
    """Mean over neurons with at least 30 intervals of the coefficient of variation of their inter-spike intervals.

    Neurons with few spikes (those near threshold) have CVs with a large sampling error;
    with them (at least 2 intervals) the mean varied by about 1.5 % between seeds of the
    same simulator on 2,000 neurons, with at least 30 intervals by about 0.8 %.
    """
    np = np_module
    neurons, times_ms = np.asarray(neurons), np.asarray(times_ms, dtype=float)
    order = np.lexsort((times_ms, neurons))
    neurons, times_ms = neurons[order], times_ms[order]
    same = neurons[1:] == neurons[:-1]
    isi, owner = np.diff(times_ms)[same], neurons[1:][same]
    n = np.bincount(owner, minlength=N_NEURONS)
    total = np.bincount(owner, weights=isi, minlength=N_NEURONS)
    squares = np.bincount(owner, weights=isi * isi, minlength=N_NEURONS)
    ok = n >= 30
    mean = total[ok] / n[ok]
    std = np.sqrt(np.maximum(squares[ok] / n[ok] - mean * mean, 0.0))
    return float(np.mean(std / mean))


def worker_neuro4ml(scenario: str, record_v: bool, dtype: str, in_loop: bool = False,
                    numpy_generator: bool = False) -> dict:
    """Simulate with neuro4ml; return spike counts and an in-process time breakdown."""
    start = time.perf_counter()
    import math

    import numpy as np

    from neuro4ml.models.neurons import lif

    imported = time.perf_counter()
    rng, fixed = _fixed_inputs(np)
    noise = {}
    if scenario == "fixed" or in_loop:
        current = np.broadcast_to(fixed[:, np.newaxis], (N_NEURONS, N_STEPS))  # a view, no copy
        if in_loop:  # the same membrane noise as SIGMA on the input, drawn inside lif's loop
            decay = math.exp(-DT_MS / TAU_MS)
            # an integer seed: lif's own ziggurat generator; a numpy Generator: numpy's normal numbers
            noise = {"noise_std": SIGMA * math.sqrt((1 - decay) / (1 + decay)),
                     "rng": rng if numpy_generator else SEED + 1}
    else:
        current = rng.standard_normal((N_NEURONS, N_STEPS), dtype=np.dtype(dtype))
        current *= SIGMA
        current += fixed[:, np.newaxis].astype(dtype)
    made_input = time.perf_counter()
    run = lif(current, tau_ms=TAU_MS, dt_ms=DT_MS, threshold=1.0, reset=0.0, record_v=record_v, **noise)
    simulated = time.perf_counter()
    counts = [len(train) for train in run.spike_times_ms]
    neurons = np.repeat(np.arange(N_NEURONS), counts)
    times = np.concatenate(run.spike_times_ms)
    return {
        "counts": counts,
        "mean_isi_cv": mean_isi_cv(neurons, times, np),
        "seconds": {
            "import": imported - start,
            "input": made_input - imported,
            "simulate": simulated - made_input,
        },
    }


def worker_brian2(scenario: str, target: str, build_dir: str) -> dict:
    """Simulate the same model with Brian2 and the given code-generation target."""
    start = time.perf_counter()
    import brian2 as b2
    import numpy as np

    imported = time.perf_counter()
    if target == "cpp_standalone":
        b2.set_device("cpp_standalone", directory=build_dir, build_on_run=True)
    else:
        b2.prefs.codegen.target = target
    b2.seed(SEED)
    b2.defaultclock.dt = DT_MS * b2.ms
    _, fixed = _fixed_inputs(np)
    if scenario == "fixed":
        equations = """
        dv/dt = (I - v) / tau : 1
        I : 1 (constant)
        """
    else:
        equations = """
        dv/dt = (I - v) / tau : 1
        I = I_fixed + sigma * randn() : 1 (constant over dt)
        I_fixed : 1 (constant)
        """
    group = b2.NeuronGroup(
        N_NEURONS, equations, threshold="v > 1", reset="v = 0", method="exact",
        namespace={"tau": TAU_MS * b2.ms, "sigma": SIGMA},
    )
    if scenario == "fixed":
        group.I = fixed
    else:
        group.I_fixed = fixed
    monitor = b2.SpikeMonitor(group)
    b2.run(DURATION_MS * b2.ms)
    simulated = time.perf_counter()
    counts = np.asarray(monitor.count).tolist()
    cv = mean_isi_cv(np.asarray(monitor.i), np.asarray(monitor.t / b2.ms), np)
    return {"counts": counts, "mean_isi_cv": cv, "seconds": {"import": imported - start, "build_and_run": simulated - imported}}


def run_worker(args: argparse.Namespace) -> None:
    config = CONFIGS[args.worker]
    if config["simulator"] == "neuro4ml":
        result = worker_neuro4ml(args.scenario, bool(config["record_v"]), str(config["dtype"]),
                                 bool(config.get("in_loop", False)), bool(config.get("numpy_generator", False)))
    else:
        result = worker_brian2(args.scenario, str(config["target"]), args.build_dir)
    Path(args.output).write_text(json.dumps(result))


# ---------------------------------------------------------------------------
# Driver: time whole processes
# ---------------------------------------------------------------------------


def timed_process(config_name: str, scenario: str, build_dir: str) -> tuple[float, float, dict]:
    """Run one worker process; return its wall-clock time, its CPU time and its result.

    The CPU time (user + system, including the compiler and the compiled program that
    Brian2 runs as sub-processes) is less sensitive than wall-clock time to other work
    on the machine.
    """
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        output = handle.name
    command = [
        sys.executable, str(Path(__file__).resolve()), "--worker", config_name,
        "--scenario", scenario, "--build-dir", build_dir, "--output", output,
    ]
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(command, check=False, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage_after.ru_utime - usage_before.ru_utime) + (usage_after.ru_stime - usage_before.ru_stime)
    if completed.returncode != 0:
        raise RuntimeError(f"{config_name} / {scenario} failed:\n{completed.stderr[-3000:]}")
    result = json.loads(Path(output).read_text())
    os.unlink(output)
    return elapsed, cpu, result


def benchmark_config(config_name: str, scenario: str, repeats: int, work_dir: Path) -> dict:
    """Warm up once (unless cold), then time ``repeats`` processes and keep the best."""
    cold = bool(CONFIGS[config_name].get("cold", False))
    warm_dir = work_dir / f"cpp_{scenario}"
    times, cpu_times, result = [], [], {}
    if not cold:
        timed_process(config_name, scenario, str(warm_dir))
    for _ in range(repeats):
        build_dir = tempfile.mkdtemp(dir=work_dir) if cold else str(warm_dir)
        elapsed, cpu, result = timed_process(config_name, scenario, build_dir)
        times.append(elapsed)
        cpu_times.append(cpu)
        if cold:
            shutil.rmtree(build_dir, ignore_errors=True)
    print(f"  {scenario:6s} {config_name:38s} best {min(times):6.2f} s wall, {min(cpu_times):6.2f} s CPU"
          "  (wall: " + ", ".join(f"{t:.2f}" for t in times) + ")", flush=True)
    return {"times_s": times, "best_s": min(times), "cpu_times_s": cpu_times, "best_cpu_s": min(cpu_times),
            "last_breakdown_s": result["seconds"], "counts": result["counts"], "mean_isi_cv": result["mean_isi_cv"]}


def agreement(scenario: str, reference: list[int], other: list[int], cv_ref: float, cv_other: float) -> dict:
    """Compare spike counts (per neuron for identical inputs, in total for noise) and the mean ISI CV."""
    import numpy as np

    reference, other = np.asarray(reference), np.asarray(other)
    total_ref, total_other = int(reference.sum()), int(other.sum())
    summary = {
        "total_spikes": total_other,
        "total_relative_difference": (total_other - total_ref) / total_ref,
        "mean_isi_cv": cv_other,
        "mean_isi_cv_relative_difference": (cv_other - cv_ref) / cv_ref,
    }
    if scenario == "fixed":
        difference = np.abs(reference - other)
        summary["max_abs_count_difference"] = int(difference.max())
        summary["neurons_differing"] = int(np.count_nonzero(difference))
        summary["ok"] = bool(difference.max() <= 1 and np.count_nonzero(difference) <= 0.01 * len(reference))
    else:
        summary["ok"] = bool(abs(summary["total_relative_difference"]) < 0.01
                             and abs(summary["mean_isi_cv_relative_difference"]) < 0.01)
    return summary


def machine_description() -> dict:
    import brian2
    import numpy

    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    ) if Path("/proc/cpuinfo").exists() else platform.processor()
    compiler = subprocess.run(["g++", "--version"], check=False, capture_output=True, text=True).stdout.splitlines()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "brian2": brian2.__version__,
        "compiler": compiler[0] if compiler else "unknown",
        "load_average_1_5_15_min_at_end": list(os.getloadavg()),
    }


def run_driver(args: argparse.Namespace) -> int:
    work_dir = Path(tempfile.mkdtemp(prefix="neuro4ml_lif_bench_"))
    results: dict[str, dict] = {}
    try:
        for scenario in ("fixed", "noisy"):
            results[scenario] = {}
            for config_name in args.configs:
                if (scenario, config_name) in SKIP:
                    continue
                results[scenario][config_name] = benchmark_config(config_name, scenario, args.repeats, work_dir)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)

    ok = True
    print()
    for scenario, rows in results.items():
        reference = rows[REFERENCE]
        print(f"scenario: {scenario}")
        print(f"  {'configuration':38s} {'wall (s)':>9s} {'/ neuro4ml':>11s} {'CPU (s)':>8s} "
              f"{'/ neuro4ml':>11s}  agreement")
        for config_name, row in rows.items():
            row["ratio_to_neuro4ml"] = row["best_s"] / reference["best_s"]
            row["cpu_ratio_to_neuro4ml"] = row["best_cpu_s"] / reference["best_cpu_s"]
            row["agreement"] = agreement(scenario, reference["counts"], row["counts"], reference["mean_isi_cv"],
                                         row["mean_isi_cv"])
            ok &= row["agreement"]["ok"]
            detail = (f"max |count diff| {row['agreement']['max_abs_count_difference']}"
                      if scenario == "fixed"
                      else f"total spikes {row['agreement']['total_relative_difference']:+.2%}, mean ISI CV "
                           f"{row['mean_isi_cv']:.4f} ({row['agreement']['mean_isi_cv_relative_difference']:+.2%})")
            print(f"  {config_name:38s} {row['best_s']:9.2f} {row['ratio_to_neuro4ml']:11.2f} "
                  f"{row['best_cpu_s']:8.2f} {row['cpu_ratio_to_neuro4ml']:11.2f}  {detail}")
        print()
    for rows in results.values():
        for row in rows.values():
            row.pop("counts")

    speedup = {s: rows["brian2 cpp_standalone"]["ratio_to_neuro4ml"] for s, rows in results.items()}
    cpu_speedup = {s: rows["brian2 cpp_standalone"]["cpu_ratio_to_neuro4ml"] for s, rows in results.items()}
    in_loop = results["noisy"]["neuro4ml (noise in the loop)"]
    cpp = results["noisy"]["brian2 cpp_standalone"]
    in_loop_speedup = {"wall": cpp["best_s"] / in_loop["best_s"], "cpu": cpp["best_cpu_s"] / in_loop["best_cpu_s"]}
    report = {
        "command": " ".join(["python", "benchmarks/lif_brian2.py", *sys.argv[1:]]),
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "model": {"neurons": N_NEURONS, "duration_ms": DURATION_MS, "dt_ms": DT_MS, "tau_ms": TAU_MS,
                  "I0": I0, "s_neuron": S_NEURON, "sigma_noise": SIGMA, "seed": SEED},
        "repeats": args.repeats,
        "machine": machine_description(),
        "results": results,
        "cpp_standalone_over_neuro4ml": speedup,
        "cpp_standalone_over_neuro4ml_cpu": cpu_speedup,
        "noisy_cpp_standalone_over_noise_in_the_loop": in_loop_speedup,
        "target_ratio": TARGET_RATIO,
        "agreement_ok": ok,
    }
    output = Path(args.results)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    print("Brian2 C++ standalone time / neuro4ml time, wall clock: "
          + ", ".join(f"{s}: {r:.2f}x" for s, r in speedup.items()) + f" (target >= {TARGET_RATIO}x); CPU: "
          + ", ".join(f"{s}: {r:.2f}x" for s, r in cpu_speedup.items()))
    print(f"noisy, Brian2 C++ standalone / neuro4ml with the noise in the loop: {in_loop_speedup['wall']:.2f}x "
          f"wall clock, {in_loop_speedup['cpu']:.2f}x CPU")
    print(f"results written to {output}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per configuration (best is kept)")
    parser.add_argument("--worker", choices=sorted(CONFIGS), help=argparse.SUPPRESS)
    parser.add_argument("--scenario", choices=("fixed", "noisy"), help=argparse.SUPPRESS)
    parser.add_argument("--build-dir", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    parser.add_argument("--configs", nargs="+", choices=sorted(CONFIGS), default=list(CONFIGS),
                        help="configurations to time (default: all); must include "
                             f"{REFERENCE!r}, 'neuro4ml (noise in the loop)' and 'brian2 cpp_standalone'")
    parser.add_argument("--results", default=str(RESULTS), help="where to write the results JSON")
    args = parser.parse_args()
    if args.worker:
        run_worker(args)
        return 0
    if args.repeats < 1:
        parser.error("--repeats must be >= 1")
    return run_driver(args)


if __name__ == "__main__":
    sys.exit(main())
