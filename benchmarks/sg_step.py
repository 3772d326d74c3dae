"""One surrogate-gradient training step: neuro4ml.learning.snn against snnTorch and Norse, on the CPU.

The network: 100 inputs -> 200 recurrent LIF neurons -> 10 non-spiking leaky readout
neurons, 100 time steps, batch 256, loss = cross-entropy of the readout's maximum
membrane potential over time. One step = forward + backward + Adam update.

The three implementations compute the same forward and backward graph: the same
dynamics (V = alpha V + W x + U S_prev; spike when V > 1; reset to 0 at once;
fast-sigmoid surrogate with scale 100; readout V = alpha V + W_out S), the same weights,
and the same treatment of the reset in the gradient. Two cases are timed:

* ``reset not detached``: the gradient flows through the spike in the reset
  ``V <- V (1 - S)``. neuro4ml ``SNN(..., detach_reset=False)``; snnTorch's
  ``RLeaky(reset_delay=False)`` as it is (its ``do_reset`` uses the spike itself);
  Norse's ``LIFBoxCell`` as it is (its ``reset_value`` is ``(1 - z) v + z v_reset``).
* ``reset detached``: the reset uses the spike without its gradient. neuro4ml's default
  (``detach_reset=True``); snnTorch: ``RLeaky(reset_delay=False)`` with its
  ``do_reset`` detached (a three-line subclass below; snnTorch's own detached reset,
  ``reset_delay=True``, resets one step later and so computes another network);
  Norse: ``LIFBoxParameters(reset_method=...)`` given a detached version of its
  ``reset_value``.

Before timing a case the script checks that the three emit exactly the same hidden
spikes and readout potentials agreeing to float32 rounding, and that the gradients of
the loss with respect to the three weight matrices agree: in float64 (copies of the
models), to a relative difference below 1e-6 of the largest gradient entry (they
agree to about 3e-8: the libraries add the same terms in different orders; a reset
treated differently changes them by several per cent); the float32
differences are reported too. It refuses to time a case that fails.

* snnTorch 1.0: ``snntorch.RLeaky`` (``reset_mechanism="zero"``, ``reset_delay=False``,
  recurrent ``nn.Linear`` without bias), readout ``snntorch.Leaky`` with
  ``reset_mechanism="none"``, ``fast_sigmoid(slope=100)``.
* Norse 1.1: ``norse.torch.LIFBoxCell`` (Euler: ``v += dt tau_inv (i - v)``, so
  ``tau_mem_inv = (1 - alpha) / dt`` and the input is divided by ``1 - alpha``),
  the recurrent input added with ``nn.Linear``; readout ``LIBoxCell``; SuperSpike
  surrogate (``method="super", alpha=100``, the same derivative as the fast sigmoid once
  Norse 1.1's SuperSpike backward is made to use its ``alpha``: see
  :func:`patch_norse_superspike`).

Timing: rounds of one step of each implementation in turn (so a busy machine slows all
of them alike), 3 warm-up rounds, then ``--rounds`` timed rounds; the median per
implementation is reported. Results go to ``benchmarks/results/sg_step.json``.

Usage: ``python benchmarks/sg_step.py [--rounds 15] [--threads 2] [--cases detached not_detached]``.
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


def neuro4ml_model(detach_reset=True):
    return snn.SNN(N_IN, N_HIDDEN, N_OUT, recurrent=True, tau_ms=TAU_MS, readout_tau_ms=TAU_MS, dt_ms=DT_MS,
                   scale=SCALE, weight_gain=3.0, recurrent_gain=0.5, detach_reset=detach_reset, seed=0)


def neuro4ml_weights(model):
    return [model.hidden.weight, model.hidden.recurrent_weight, model.readout.weight]


def neuro4ml_forward(model, x):
    spikes = model.hidden(x)
    return spikes, model.readout.potentials(spikes)


# ---------------------------------------------------------------------------
# snnTorch
# ---------------------------------------------------------------------------


def detached_rleaky():
    """SnnTorch's ``RLeaky`` with ``reset_delay=False`` whose immediate reset uses the detached spike."""
    import snntorch

    class DetachedResetRLeaky(snntorch.RLeaky):
        def forward(self, input_, spk=None, mem=None):
            self.reset_delay = True  # the parent then skips its own immediate reset...
            spk, mem = super().forward(input_, spk, mem)
            self.reset_delay = False
            # ...which is done here as in RLeaky.forward, with the spike detached (zero reset)
            self.mem = mem - (spk.detach() / self.graded_spikes_factor - self.reset) * mem
            return spk, self.mem

    return DetachedResetRLeaky


class CastLinear(nn.Linear):
    """``nn.Linear`` that first casts its input to its weight's dtype.

    snnTorch's spikes are float32 even in a float64 model; used only for the float64 gradient check.
    """

    def forward(self, x):
        return super().forward(x.to(self.weight.dtype))


class SnnTorchNet(nn.Module):
    def __init__(self, reference, detach_reset, dtype=torch.float32):
        import snntorch
        from snntorch import surrogate

        super().__init__()
        self.fc1 = nn.Linear(N_IN, N_HIDDEN, bias=False)
        rleaky = detached_rleaky() if detach_reset else snntorch.RLeaky
        beta = torch.tensor(ALPHA, dtype=dtype)  # a Python float would be stored as float32
        self.lif1 = rleaky(beta=beta, linear_features=N_HIDDEN, reset_mechanism="zero", reset_delay=False,
                           spike_grad=surrogate.fast_sigmoid(slope=SCALE))
        linear = nn.Linear if dtype == torch.float32 else CastLinear
        self.lif1.recurrent = linear(N_HIDDEN, N_HIDDEN, bias=False)
        self.fc2 = linear(N_HIDDEN, N_OUT, bias=False)
        self.li2 = snntorch.Leaky(beta=beta, reset_mechanism="none", spike_grad=surrogate.fast_sigmoid(slope=SCALE))
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


def patch_norse_superspike():
    """Make Norse's SuperSpike backward use its ``alpha``.

    In Norse 1.1, ``SuperSpike.backward`` divides by ``(|x| + 1)^2`` and ignores the
    ``alpha`` it stores, so ``method="super", alpha=100`` has the surrogate derivative of
    scale 1, not 100 (its hidden-weight gradients then differ from the other libraries'
    by a factor of about 50). The patched backward divides by ``(alpha |x| + 1)^2``, as
    Zenke & Ganguli (2018) and Norse's own docstring say: one multiplication more.
    """
    from norse.torch.functional import superspike

    def backward(ctx, grad_output):
        (inp,) = ctx.saved_tensors
        grad = None
        if ctx.needs_input_grad[0]:
            grad = grad_output / (ctx.alpha * torch.abs(inp) + 1.0).pow(2)
        return grad, None

    superspike.SuperSpike.backward = staticmethod(backward)


def detached_reset_value(z, v, reset, th):
    """Norse's ``reset_value``, ``(1 - z) v + z v_reset``, with the spike ``z`` detached."""
    z = z.detach()
    return (1 - z) * v + z * reset


class NorseNet(nn.Module):
    def __init__(self, reference, detach_reset, dtype=torch.float32):
        import norse.torch as norse

        super().__init__()
        self.fc1 = nn.Linear(N_IN, N_HIDDEN, bias=False)
        self.rec = nn.Linear(N_HIDDEN, N_HIDDEN, bias=False)
        self.fc2 = nn.Linear(N_HIDDEN, N_OUT, bias=False)
        tau_inv = (1 - ALPHA) / (DT_MS * 1e-3)
        reset = {"reset_method": detached_reset_value} if detach_reset else {}
        self.lif = norse.LIFBoxCell(norse.LIFBoxParameters(tau_mem_inv=torch.tensor(tau_inv, dtype=dtype),
                                                           method="super", alpha=torch.tensor(SCALE, dtype=dtype),
                                                           **reset), dt=DT_MS * 1e-3)
        self.li = norse.LIBoxCell(norse.LIBoxParameters(tau_mem_inv=torch.tensor(tau_inv)), dt=DT_MS * 1e-3)
        self.gain = 1.0 / (1 - ALPHA)
        with torch.no_grad():
            self.fc1.weight.copy_(reference.hidden.weight)
            self.rec.weight.copy_(reference.hidden.recurrent_weight)
            self.fc2.weight.copy_(reference.readout.weight)

    def forward(self, x):
        current = self.fc1(x) * self.gain
        z = torch.zeros(x.shape[0], N_HIDDEN, dtype=x.dtype)
        s1 = s2 = None
        spikes, potentials = [], []
        for k in range(x.shape[1]):
            z, s1 = self.lif(current[:, k] + self.rec(z) * self.gain, s1)
            v2, s2 = self.li(self.fc2(z) * self.gain, s2)
            spikes.append(z)
            potentials.append(v2)
        return torch.stack(spikes, 1), torch.stack(potentials, 1)


# ---------------------------------------------------------------------------


def loss_of(model, forward, x, y):
    _, v = forward(model, x)
    return nn.functional.cross_entropy(v.amax(1), y)


def step_fn(model, forward, x, y):
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        loss = loss_of(model, forward, x, y)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()

    return step


def build(detach_reset, dtype=torch.float32):
    """The three models of one case, with neuro4ml's weights; name -> (model, forward, weights)."""
    reference = neuro4ml_model(detach_reset).to(dtype)
    snntorch_net = SnnTorchNet(reference, detach_reset, dtype).to(dtype)
    norse_net = NorseNet(reference, detach_reset, dtype).to(dtype)
    return {
        "neuro4ml": (reference, neuro4ml_forward, neuro4ml_weights),
        "snntorch": (snntorch_net, lambda m, x: m(x), lambda m: [m.fc1.weight, m.lif1.recurrent.weight, m.fc2.weight]),
        "norse": (norse_net, lambda m, x: m(x), lambda m: [m.fc1.weight, m.rec.weight, m.fc2.weight]),
    }


def gradients(model, forward, weights, x, y):
    model.zero_grad()
    loss_of(model, forward, x, y).backward()
    return [w.grad.detach().clone() for w in weights(model)]


def check_same_network(models, models64, x, y) -> dict:
    """Same spikes, readouts to float32 rounding, and gradients equal (float64, relative 1e-6); else exit."""
    with torch.no_grad():
        outputs = {name: forward(model, x) for name, (model, forward, _) in models.items()}
    s_ref, v_ref = outputs["neuro4ml"]
    grads32 = {name: gradients(model, forward, weights, x, y) for name, (model, forward, weights) in models.items()}
    x64 = x.double()
    grads64 = {}
    for name, (model, forward, weights) in models64.items():
        grads64[name] = gradients(model, forward, weights, x64, y)
    agreement = {}
    for name, (s, v) in outputs.items():
        same_spikes = bool(torch.equal(s, s_ref))
        v_error = float((v - v_ref).abs().max())
        rel64 = [float((g - r).abs().max() / r.abs().max()) for g, r in zip(grads64[name], grads64["neuro4ml"])]
        rel32 = [float((g - r).abs().max() / r.abs().max()) for g, r in zip(grads32[name], grads32["neuro4ml"])]
        agreement[name] = {"same_hidden_spikes": same_spikes, "max_readout_difference": v_error,
                           "gradient_relative_difference_float64": rel64,
                           "gradient_relative_difference_float32": rel32}
        print(f"{name:>9}: same hidden spikes {same_spikes}, largest readout difference {v_error:.2e}, "
              "gradients (input, recurrent, readout weights) differ by "
              + ", ".join(f"{r:.1e}" for r in rel64) + " (float64), "
              + ", ".join(f"{r:.1e}" for r in rel32) + " (float32), relative to the largest entry")
        if not same_spikes or not v_error < 1e-3 or not max(rel64) < 1e-6:
            raise SystemExit(f"{name} does not compute the same network and gradients: refusing to time it")
    print(f"hidden spikes per neuron per sample: {float(s_ref.sum(1).mean()):.2f}")
    return agreement


def time_case(models, x, y, rounds):
    steps = {name: step_fn(model, forward, x, y) for name, (model, forward, _) in models.items()}
    times = {name: [] for name in steps}
    for round_ in range(3 + rounds):
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            if round_ >= 3:
                times[name].append(time.perf_counter() - start)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cases", nargs="+", choices=("detached", "not_detached"),
                        default=["detached", "not_detached"])
    parser.add_argument("--check-only", action="store_true", help="check the networks and gradients, time nothing")
    parser.add_argument("--results", default=str(Path(__file__).parent / "results" / "sg_step.json"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    import norse
    import snntorch

    patch_norse_superspike()
    x, y = make_data()
    result = {
        "network": f"{N_IN} -> {N_HIDDEN} recurrent LIF -> {N_OUT} leaky readout, {N_STEPS} steps, batch {BATCH}",
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "threads": args.threads,
        "rounds": args.rounds,
        "versions": {"torch": torch.__version__, "snntorch": snntorch.__version__,
                     "norse": getattr(norse, "__version__", "1.1.0")},
        "machine": platform.platform(),
        "cases": {},
    }
    for case in args.cases:
        print(f"case: reset {'detached' if case == 'detached' else 'not detached'} in all three")
        models = build(detach_reset=case == "detached")
        agreement = check_same_network(models, build(case == "detached", torch.float64), x, y)
        entry = {"agreement": agreement}
        if not args.check_only:
            times = time_case(models, x, y, args.rounds)
            median_ms = {name: 1000 * statistics.median(t) for name, t in times.items()}
            for name, ms in median_ms.items():
                print(f"{name:>9}: {ms:7.1f} ms per step (median of {args.rounds}; "
                      f"min {1000 * min(times[name]):.1f}, max {1000 * max(times[name]):.1f})")
            print(f"neuro4ml is {median_ms['snntorch'] / median_ms['neuro4ml']:.2f}x faster than snnTorch, "
                  f"{median_ms['norse'] / median_ms['neuro4ml']:.2f}x faster than Norse")
            entry.update(median_ms=median_ms, all_ms={name: [1000 * t for t in ts] for name, ts in times.items()})
        result["cases"][case] = entry
    result["load_average_1_5_15_min_at_end"] = list(__import__("os").getloadavg())
    if not args.check_only:
        out = Path(args.results)
        out.write_text(json.dumps(result, indent=2) + "\n")
        print("wrote", out)


if __name__ == "__main__":
    main()
