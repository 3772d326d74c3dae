"""One surrogate-gradient training step: neuro4ml.learning.snn against snnTorch and Norse, on the CPU.

The network: 100 inputs -> 200 recurrent LIF neurons -> 10 non-spiking leaky readout
neurons, 100 time steps, batch 256, loss = cross-entropy of the readout's maximum
membrane potential over time. One step = forward + backward + Adam update.

The three implementations use the same dynamics (V = alpha V + W x + U S_prev; spike
when V > 1; reset to 0 at once; fast-sigmoid surrogate with scale 100; readout
V = alpha V + W_out S) and the same weights. Before timing, the script checks that they
emit exactly the same hidden spikes and the same readout potentials (to float32
rounding) on the benchmark batch.

* snnTorch 1.0: ``snntorch.RLeaky`` (``reset_mechanism="zero"``, ``reset_delay=False``,
  recurrent ``nn.Linear`` without bias), readout ``snntorch.Leaky`` with
  ``reset_mechanism="none"``, ``fast_sigmoid(slope=100)``.
* Norse 1.1: ``norse.torch.LIFBoxCell`` (Euler: ``v += dt tau_inv (i - v)``, so
  ``tau_mem_inv = (1 - alpha) / dt`` and the input is divided by ``1 - alpha``),
  the recurrent input added with ``nn.Linear``; readout ``LIBoxCell``; SuperSpike
  surrogate (``method="super", alpha=100``).

Timing: rounds of one step of each implementation in turn (so a busy machine slows all
of them alike), 3 warm-up rounds, then ``--rounds`` timed rounds; the median per
implementation is reported. Results go to ``benchmarks/results/sg_step.json``.

Usage: ``python benchmarks/sg_step.py [--rounds 15] [--threads 2]``.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import time
from pathlib import Path

import torch
from torch import nn

from neuro4ml.learning import snn

N_IN, N_HIDDEN, N_OUT, N_STEPS, BATCH = 100, 200, 10, 100, 256
TAU_MS, DT_MS, SCALE = 20.0, 1.0, 100.0
ALPHA = math.exp(-DT_MS / TAU_MS)


def make_data(seed=0):
    g = torch.Generator().manual_seed(seed)
    x = (torch.rand(BATCH, N_STEPS, N_IN, generator=g) < 0.05).float()
    y = torch.randint(0, N_OUT, (BATCH,), generator=g)
    return x, y


# ---------------------------------------------------------------------------
# neuro4ml
# ---------------------------------------------------------------------------


def neuro4ml_model():
    return snn.SNN(N_IN, N_HIDDEN, N_OUT, recurrent=True, tau_ms=TAU_MS, readout_tau_ms=TAU_MS, dt_ms=DT_MS,
                   scale=SCALE, weight_gain=3.0, recurrent_gain=0.5, seed=0)


def neuro4ml_forward(model, x):
    spikes = model.hidden(x)
    return spikes, model.readout.potentials(spikes)


# ---------------------------------------------------------------------------
# snnTorch
# ---------------------------------------------------------------------------


class SnnTorchNet(nn.Module):
    def __init__(self, reference):
        import snntorch
        from snntorch import surrogate

        super().__init__()
        self.fc1 = nn.Linear(N_IN, N_HIDDEN, bias=False)
        self.lif1 = snntorch.RLeaky(beta=ALPHA, linear_features=N_HIDDEN, reset_mechanism="zero", reset_delay=False,
                                    spike_grad=surrogate.fast_sigmoid(slope=SCALE))
        self.lif1.recurrent = nn.Linear(N_HIDDEN, N_HIDDEN, bias=False)
        self.fc2 = nn.Linear(N_HIDDEN, N_OUT, bias=False)
        self.li2 = snntorch.Leaky(beta=ALPHA, reset_mechanism="none", spike_grad=surrogate.fast_sigmoid(slope=SCALE))
        with torch.no_grad():
            self.fc1.weight.copy_(reference.hidden.weight)
            self.lif1.recurrent.weight.copy_(reference.hidden.recurrent_weight)
            self.fc2.weight.copy_(reference.readout.weight)

    def forward(self, x):
        spk, mem = self.lif1.init_rleaky()
        mem2 = self.li2.init_leaky()
        current = self.fc1(x)
        spikes, potentials = [], []
        for k in range(x.shape[1]):
            spk, mem = self.lif1(current[:, k], spk, mem)
            _, mem2 = self.li2(self.fc2(spk), mem2)
            spikes.append(spk)
            potentials.append(mem2)
        return torch.stack(spikes, 1), torch.stack(potentials, 1)


# ---------------------------------------------------------------------------
# Norse
# ---------------------------------------------------------------------------


class NorseNet(nn.Module):
    def __init__(self, reference):
        import norse.torch as norse

        super().__init__()
        self.fc1 = nn.Linear(N_IN, N_HIDDEN, bias=False)
        self.rec = nn.Linear(N_HIDDEN, N_HIDDEN, bias=False)
        self.fc2 = nn.Linear(N_HIDDEN, N_OUT, bias=False)
        tau_inv = (1 - ALPHA) / (DT_MS * 1e-3)
        self.lif = norse.LIFBoxCell(norse.LIFBoxParameters(tau_mem_inv=torch.tensor(tau_inv), method="super",
                                                           alpha=torch.tensor(SCALE)), dt=DT_MS * 1e-3)
        self.li = norse.LIBoxCell(norse.LIBoxParameters(tau_mem_inv=torch.tensor(tau_inv)), dt=DT_MS * 1e-3)
        self.gain = 1.0 / (1 - ALPHA)
        with torch.no_grad():
            self.fc1.weight.copy_(reference.hidden.weight)
            self.rec.weight.copy_(reference.hidden.recurrent_weight)
            self.fc2.weight.copy_(reference.readout.weight)

    def forward(self, x):
        current = self.fc1(x) * self.gain
        z = torch.zeros(x.shape[0], N_HIDDEN)
        s1 = s2 = None
        spikes, potentials = [], []
        for k in range(x.shape[1]):
            z, s1 = self.lif(current[:, k] + self.rec(z) * self.gain, s1)
            v2, s2 = self.li(self.fc2(z) * self.gain, s2)
            spikes.append(z)
            potentials.append(v2)
        return torch.stack(spikes, 1), torch.stack(potentials, 1)


# ---------------------------------------------------------------------------


def step_fn(model, forward, x, y):
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        _, v = forward(model, x)
        loss = nn.functional.cross_entropy(v.amax(1), y)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()

    return step


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    import norse
    import snntorch

    x, y = make_data()
    reference = neuro4ml_model()
    models = {
        "neuro4ml": (reference, neuro4ml_forward),
        "snntorch": (SnnTorchNet(reference), lambda m, x: m(x)),
        "norse": (NorseNet(reference), lambda m, x: m(x)),
    }
    with torch.no_grad():
        outputs = {name: forward(model, x) for name, (model, forward) in models.items()}
    s_ref, v_ref = outputs["neuro4ml"]
    agreement = {}
    for name, (s, v) in outputs.items():
        same_spikes = bool(torch.equal(s, s_ref))
        v_error = float((v - v_ref).abs().max())
        agreement[name] = {"same_hidden_spikes": same_spikes, "max_readout_difference": v_error}
        print(f"{name:>9}: same hidden spikes {same_spikes}, largest readout difference {v_error:.2e}")
        if not same_spikes or not v_error < 1e-3:
            raise SystemExit(f"{name} does not compute the same network: refusing to time it")
    print(f"hidden spikes per neuron per sample: {float(s_ref.sum(1).mean()):.2f}")

    steps = {name: step_fn(model, forward, x, y) for name, (model, forward) in models.items()}
    times = {name: [] for name in steps}
    for round_ in range(3 + args.rounds):
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            if round_ >= 3:
                times[name].append(time.perf_counter() - start)
    median_ms = {name: 1000 * statistics.median(t) for name, t in times.items()}
    for name, ms in median_ms.items():
        print(f"{name:>9}: {ms:7.1f} ms per step (median of {args.rounds}; min {1000 * min(times[name]):.1f})")
    print(f"neuro4ml is {median_ms['snntorch'] / median_ms['neuro4ml']:.2f}x faster than snnTorch, "
          f"{median_ms['norse'] / median_ms['neuro4ml']:.2f}x faster than Norse")
    result = {
        "network": f"{N_IN} -> {N_HIDDEN} recurrent LIF -> {N_OUT} leaky readout, {N_STEPS} steps, batch {BATCH}",
        "threads": args.threads,
        "rounds": args.rounds,
        "median_ms": median_ms,
        "all_ms": {name: [1000 * t for t in ts] for name, ts in times.items()},
        "agreement": agreement,
        "versions": {"torch": torch.__version__, "snntorch": snntorch.__version__,
                     "norse": getattr(norse, "__version__", "1.1.0")},
        "machine": platform.platform(),
    }
    out = Path(__file__).parent / "results" / "sg_step.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
