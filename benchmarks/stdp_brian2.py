"""Benchmark: the Song, Miller & Abbott (2000) STDP network in neuro4ml and in Brian2.

The model is that of Brian2's example ``examples/synapses/STDP.py`` (Stimberg, Brette &
Goodman 2019), the same as ``neuro4ml.models.plasticity.SONG_2000_BRIAN``:

* one leaky integrate-and-fire neuron, ``10 ms dv/dt = (El - v) + ge (Ee - v)`` with
  El = -74 mV, Ee = 0 mV, threshold -54 mV, reset -60 mV, and ``5 ms dge/dt = -ge``;
* 1000 Poisson inputs at 15 Hz, each adding its weight ``w`` to ``ge``;
* additive all-to-all STDP with traces, ``w`` clipped to [0, g_max], g_max = 0.01,
  A_+ = 0.01 g_max, A_- tau_- = 1.05 A_+ tau_+, tau_+ = tau_- = 20 ms;
* initial weights uniform in [0, g_max]; 100 s at dt = 0.1 ms.

Brian2 runs the example as written (``method="euler"`` for the neuron, its own
``PoissonGroup``); ``neuro4ml.models.plasticity.stdp_neuron`` uses the exact exponential step for
``v``, its own Poisson trains and processes input spikes as events. The spikes differ, so
the two sides are compared on the statistics the example reports: the fraction of
weights below 0.1 g_max and above 0.9 g_max at the end, and the output rate over the
last 10 s.

Each simulator runs in a fresh Python process, and the wall-clock time of the whole
process is measured (start-up, imports, making the input, code generation and
compilation for Brian2, the simulation). The simulators take turns; the best of
``--repeats`` runs is kept. ``cpp_standalone`` builds into a fresh directory every run,
so its time includes compiling; ``cython`` reuses its cache after the first run.

Usage::

    python benchmarks/stdp_brian2.py                                   # all targets, best of 3
    python benchmarks/stdp_brian2.py --targets neuro4ml cpp_standalone --repeats 2

Results go to ``benchmarks/results/stdp_brian2.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

N_INPUTS = 1000
RATE_HZ = 15.0
DURATION_MS = 100_000.0
DT_MS = 0.1
G_MAX = 0.01
SEED = 1

TARGETS = ("neuro4ml", "numpy", "cython", "cpp_standalone")
RESULTS = Path(__file__).resolve().parent / "results" / "stdp_brian2.json"


def statistics(w: np.ndarray, post_ms: np.ndarray, duration_ms: float) -> dict:
    last = (post_ms >= duration_ms - 10_000.0) & (post_ms < duration_ms)
    return {
        "below_10pct": float(np.mean(w < 0.1 * G_MAX)),
        "above_90pct": float(np.mean(w > 0.9 * G_MAX)),
        "mean_w_over_gmax": float(np.mean(w) / G_MAX),
        "rate_last_10s_hz": float(np.sum(last) / 10.0),
        "rate_first_10s_hz": float(np.sum(post_ms < 10_000.0) / 10.0),
    }


def run_neuro4ml(duration_ms: float) -> dict:
    from neuro4ml.models import plasticity
    from neuro4ml.models.spikes import poisson_spike_train

    song = plasticity.SONG_2000_BRIAN
    rng = np.random.default_rng(SEED)
    inputs = poisson_spike_train(RATE_HZ, duration_ms, rng=rng, n_trains=N_INPUTS)
    w0 = rng.uniform(0.0, G_MAX, N_INPUTS)
    start = time.perf_counter()
    run = plasticity.stdp_neuron(inputs, duration_ms, w0=w0, rule=song["rule"], neuron=song["neuron"], dt_ms=DT_MS)
    return {"simulation_s": time.perf_counter() - start, **statistics(run.w, run.post_spike_times_ms, duration_ms)}


def run_brian2(target: str, duration_ms: float) -> dict:
    import brian2 as b2

    if target == "cpp_standalone":
        b2.set_device("cpp_standalone", directory=tempfile.mkdtemp(prefix="brian2_stdp_"))
    else:
        b2.prefs.codegen.target = target
    b2.seed(SEED)
    b2.defaultclock.dt = DT_MS * b2.ms
    taupre = taupost = 20 * b2.ms
    dApre = 0.01 * G_MAX
    dApost = -dApre * taupre / taupost * 1.05
    namespace = {"taum": 10 * b2.ms, "Ee": 0 * b2.mV, "vt": -54 * b2.mV, "vr": -60 * b2.mV, "El": -74 * b2.mV,
                 "taue": 5 * b2.ms, "taupre": taupre, "taupost": taupost, "gmax": G_MAX,
                 "dApre": dApre, "dApost": dApost}
    eqs = """
    dv/dt = (ge * (Ee - v) + El - v) / taum : volt
    dge/dt = -ge / taue : 1
    """
    poisson = b2.PoissonGroup(N_INPUTS, rates=RATE_HZ * b2.Hz)
    neuron = b2.NeuronGroup(1, eqs, threshold="v > vt", reset="v = vr", method="euler", namespace=namespace)
    neuron.v = -74 * b2.mV
    synapses = b2.Synapses(
        poisson, neuron,
        """w : 1
           dApre/dt = -Apre / taupre : 1 (event-driven)
           dApost/dt = -Apost / taupost : 1 (event-driven)""",
        on_pre="""ge += w
                  Apre += dApre
                  w = clip(w + Apost, 0, gmax)""",
        on_post="""Apost += dApost
                   w = clip(w + Apre, 0, gmax)""",
        namespace=namespace,
    )
    synapses.connect()
    synapses.w = "rand() * gmax"
    spikes = b2.SpikeMonitor(neuron)
    start = time.perf_counter()
    b2.run(duration_ms * b2.ms)
    run_s = time.perf_counter() - start
    result = statistics(np.asarray(synapses.w[:]), np.asarray(spikes.t / b2.ms), duration_ms)
    if target == "cpp_standalone":
        result["simulation_s"] = float(b2.device._last_run_time)
        result["build_and_run_s"] = run_s
    else:
        result["simulation_s"] = run_s
    return result


def worker(target: str, duration_ms: float) -> None:
    result = run_neuro4ml(duration_ms) if target == "neuro4ml" else run_brian2(target, duration_ms)
    print("RESULT " + json.dumps(result))


def timed_process(target: str, duration_ms: float) -> tuple[float, float, dict]:
    """Run one worker in a fresh process; its wall-clock time, its CPU time (with children) and its report."""
    before = os.times()
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, __file__, "--worker", target, "--duration-ms", str(duration_ms)],
        capture_output=True, text=True, check=False,
    )
    wall_s = time.perf_counter() - start
    after = os.times()
    cpu_s = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if completed.returncode != 0:
        raise RuntimeError(f"{target} failed:\n{completed.stdout}\n{completed.stderr}")
    line = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
    return wall_s, cpu_s, json.loads(line[len("RESULT "):])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=TARGETS, help=argparse.SUPPRESS)
    parser.add_argument("--targets", nargs="+", choices=TARGETS, default=list(TARGETS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--duration-ms", type=float, default=DURATION_MS)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.duration_ms)
        return

    runs: dict[str, list[dict]] = {target: [] for target in args.targets}
    for repeat in range(args.repeats):
        for target in args.targets:
            wall_s, cpu_s, report = timed_process(target, args.duration_ms)
            runs[target].append({"wall_s": wall_s, "cpu_s": cpu_s, **report})
            print(f"{target:>15} run {repeat + 1}: {wall_s:7.2f} s whole process ({cpu_s:6.2f} s CPU), "
                  f"{report['simulation_s']:7.2f} s simulation; below 0.1: {report['below_10pct']:.3f}, "
                  f"above 0.9: {report['above_90pct']:.3f}, rate last 10 s: {report['rate_last_10s_hz']:.1f} Hz",
                  flush=True)
    results = {}
    for target, target_runs in runs.items():
        best = min(target_runs, key=lambda run: run["wall_s"])
        results[target] = {"best_wall_s": best["wall_s"], "best_cpu_s": min(r["cpu_s"] for r in target_runs),
                           "runs": target_runs}
    summary = {}
    if "neuro4ml" in results:
        for target in results:
            if target != "neuro4ml":
                summary[target] = {
                    "wall_ratio_brian2_over_neuro4ml": results[target]["best_wall_s"] / results["neuro4ml"]["best_wall_s"],
                    "cpu_ratio_brian2_over_neuro4ml": results[target]["best_cpu_s"] / results["neuro4ml"]["best_cpu_s"],
                }
    print()
    for target, result in results.items():
        ratio = summary.get(target, {}).get("wall_ratio_brian2_over_neuro4ml")
        print(f"{target:>15}: best {result['best_wall_s']:.2f} s wall, {result['best_cpu_s']:.2f} s CPU"
              + ("" if ratio is None else f", {ratio:.1f}x neuro4ml's wall time"))

    import brian2

    payload = {
        "description": "Song, Miller & Abbott (2000) as in Brian2's STDP example: 1000 Poisson inputs at 15 Hz onto "
                       "one conductance-based LIF neuron with additive STDP; wall-clock and CPU time of whole "
                       "processes (best of repeats), Brian2 cpp_standalone including compilation into a fresh directory",
        "parameters": {"n_inputs": N_INPUTS, "rate_hz": RATE_HZ, "duration_ms": args.duration_ms, "dt_ms": DT_MS,
                       "g_max": G_MAX, "seed": SEED},
        "repeats": args.repeats,
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpu_count": os.cpu_count(), "numpy": np.__version__, "brian2": brian2.__version__,
                    "load_average_at_end": list(os.getloadavg())},
        "results": results,
        "summary": summary,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"written {args.output}")


if __name__ == "__main__":
    main()
