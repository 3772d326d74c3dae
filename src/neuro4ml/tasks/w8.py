r"""Week 8's competition task: accuracy against energy on the teaching chip.

A network is a :class:`neuro4ml.learning.snn.SNN` without recurrence that classifies the
random manifolds of week 5 (:data:`neuro4ml.tasks.w5.RANDMAN_TASK`, Zenke & Vogels 2021)
and maps onto :data:`~neuro4ml.hardware.neuromorphic.TEACHING_CHIP`. It is run on held-out
samples of the same manifolds, the events it causes are counted and priced
(:func:`~neuro4ml.hardware.neuromorphic.count_events`,
:func:`~neuro4ml.hardware.neuromorphic.estimate_energy`; costs of Davies et al. 2018), and
its score is

.. math:: \text{score} = \text{accuracy} - \lambda \log_{10}\frac{E}{E_\text{ref}}

(:func:`score`), with :math:`E` the energy per sample, :math:`\lambda` = :data:`LAMBDA`
= 0.1 and :math:`E_\text{ref}` = :data:`REFERENCE_ENERGY_J`.

Two held-out sets exist. The **practice set** (:func:`practice_data`, seed
:data:`PRACTICE_SEED`) is public: learners may score on it as often as they like, and it
is what a leaderboard shows when built without the maintainers' secret. The
**competition set** (:func:`held_out_data`) is drawn from a seed only the maintainers hold
(:mod:`neuro4ml.competition` reads it), so no participant can train on it.

**What a synapse is.** A weight is a synapse exactly when it is not zero, for the scorer
and for the exercise's counts alike. The network runs in 32-bit floats, so a submitted
weight must be 0 or have a magnitude between :data:`MIN_WEIGHT` and :data:`MAX_WEIGHT`
(:func:`weight_problem`): a weight such as 5e-324 that float32 would silently turn into
"no synapse", or 1e300 that it would turn into infinity, is refused instead.
"""

from __future__ import annotations

import math

import numpy as np

from neuro4ml.tasks.fresh import fresh_rng
from neuro4ml.tasks.w5 import RANDMAN_TASK

__all__ = [
    "LIMITS",
    "energy_cases",
    "failing_limit",
    "fresh_rng",
    "mapping_networks",
    "synaptic_ops_cases",
    "KEYS",
    "LAMBDA",
    "MAX_WEIGHT",
    "MIN_WEIGHT",
    "N_TEST",
    "PRACTICE_SEED",
    "REFERENCE_ENERGY_J",
    "TAU_LIMITS_MS",
    "evaluate_on_chip",
    "held_out_data",
    "network",
    "practice_data",
    "score",
    "weight_problem",
]

#: Weight of the energy penalty: a tenfold change of energy is worth this much accuracy.
LAMBDA = 0.1
#: The reference energy per sample, in joules: about what the week 8 exercise's part 2
#: network (64 hidden neurons, trained without any energy penalty, weights quantised
#: after training) spends per sample on the teaching chip, rounded. At this energy the
#: penalty is zero.
REFERENCE_ENERGY_J = 3.5e-7
#: Seed of the public practice samples (the manifolds are those of the week 5 task, seed 0).
PRACTICE_SEED = 8008
#: Number of held-out samples a submission is scored on (practice and competition sets alike).
N_TEST = 1000
#: The arrays of a submission (``.npz``), with what each holds. ``n_hidden`` is
#: the submitter's choice; the network must map onto the teaching chip.
KEYS = {
    "team": "the team's name, a string",
    "input_weight": "(20, n_hidden) weights from the 20 input units to the hidden LIF neurons, (n_pre, n_post)",
    "readout_weight": "(n_hidden, 10) weights from the hidden neurons to the 10 leaky readout units, (n_pre, n_post)",
    "tau_ms": "the hidden neurons' membrane time constant in ms: one number, or one per hidden neuron (n_hidden,)",
    "readout_tau_ms": "the readout's time constant in ms, one number",
}
#: Accepted range of the time constants, in ms (the task's step is 1 ms).
TAU_LIMITS_MS = (1.0, 1000.0)
#: Smallest magnitude of a non-zero weight: far above float32's smallest number (1.4e-45),
#: so a weight is a synapse in float32 exactly when it is one in float64.
MIN_WEIGHT = 1e-30
#: Largest magnitude of a weight: far below float32's largest number (3.4e38).
MAX_WEIGHT = 1e6


def score(accuracy: float, energy_j: float) -> float:
    """The week 8 score: ``accuracy - LAMBDA * log10(energy_j / REFERENCE_ENERGY_J)``.

    ``accuracy`` is a fraction (0 to 1) and ``energy_j`` the energy per sample in joules.
    """
    return float(accuracy) - LAMBDA * math.log10(float(energy_j) / REFERENCE_ENERGY_J)


def weight_problem(weights: np.ndarray) -> str | None:
    """Why ``weights`` break the synapse rule (see the module docstring), or None when they keep it.

    Every weight must be 0 (no synapse) or have :data:`MIN_WEIGHT` <= |w| <= :data:`MAX_WEIGHT`.
    """
    magnitude = np.abs(np.asarray(weights, dtype=np.float64))
    tiny = (magnitude > 0) & (magnitude < MIN_WEIGHT)
    if tiny.any():
        return (f"{int(tiny.sum())} weight(s) are not 0 but smaller than {MIN_WEIGHT:g} in magnitude (smallest "
                f"{magnitude[tiny].min():.3g}); write 0 for no synapse")
    huge = magnitude > MAX_WEIGHT
    if huge.any():
        return f"{int(huge.sum())} weight(s) are larger than {MAX_WEIGHT:g} in magnitude (largest {magnitude.max():.3g})"
    return None


def _randman(sample_seed: int):
    from neuro4ml.data import randman

    return randman(N_TEST, **RANDMAN_TASK, sample_seed=sample_seed)


_PRACTICE = None


def practice_data():
    """The public practice set: :data:`N_TEST` samples of the week 5 manifolds from :data:`PRACTICE_SEED`, made once."""
    global _PRACTICE
    if _PRACTICE is None:
        _PRACTICE = _randman(PRACTICE_SEED)
    return _PRACTICE


def held_out_data(seed: int):
    """:data:`N_TEST` samples of the week 5 manifolds drawn from ``seed`` (the competition's secret seed)."""
    return _randman(int(seed))


def network(input_weight, readout_weight, tau_ms, readout_tau_ms):
    """The :class:`neuro4ml.learning.snn.SNN` of a submission (weights given as ``(n_pre, n_post)``)."""
    import torch

    from neuro4ml.learning import snn

    n_in, n_hidden = np.shape(input_weight)
    tau = np.asarray(tau_ms, dtype=float)
    model = snn.SNN(n_in, n_hidden, np.shape(readout_weight)[1], dt_ms=RANDMAN_TASK["dt_ms"],
                    tau_ms=tau if tau.ndim else float(tau), readout_tau_ms=float(readout_tau_ms))
    with torch.no_grad():
        model.hidden.weight.copy_(torch.as_tensor(np.asarray(input_weight).T, dtype=torch.float32))
        model.readout.weight.copy_(torch.as_tensor(np.asarray(readout_weight).T, dtype=torch.float32))
    return model


def evaluate_on_chip(model, data, chip=None) -> dict[str, float]:
    """Accuracy and energy per sample of an :class:`~neuro4ml.learning.snn.SNN` run on ``chip`` (default: the teaching chip).

    The network is mapped (:func:`~neuro4ml.hardware.neuromorphic.map_network`, which raises
    :class:`~neuro4ml.hardware.neuromorphic.MappingError` when it does not fit), run on
    ``data.x`` ``(samples, time, 20)``, its events counted
    (:func:`~neuro4ml.hardware.neuromorphic.count_events`) and priced
    (:func:`~neuro4ml.hardware.neuromorphic.estimate_energy`). Returns a dict: ``accuracy``
    (fraction), ``energy_j`` and ``energy_nj`` (per sample), ``synaptic_ops`` and
    ``hidden_spikes`` (per sample), ``n_hidden``, ``cores`` (used).
    """
    import torch

    from neuro4ml.hardware.neuromorphic import TEACHING_CHIP, count_events, estimate_energy, map_network

    chip = TEACHING_CHIP if chip is None else chip
    placement = map_network(model, chip)
    device = next(model.parameters()).device
    x = torch.as_tensor(data.x, dtype=torch.float32, device=device)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        logits, hidden = model(x, record=True)
    model.train(was_training)
    accuracy = float(np.mean(logits.argmax(1).cpu().numpy() == data.y))
    counts = count_events(placement, {"input": data.x, "hidden": hidden.cpu().numpy()})
    energy = estimate_energy(counts, chip).total_j / counts.n_samples
    return {
        "accuracy": accuracy,
        "energy_j": energy,
        "energy_nj": energy * 1e9,
        "synaptic_ops": counts.synaptic_ops / counts.n_samples,
        "hidden_spikes": float(hidden.sum()) / counts.n_samples,
        "n_hidden": float(model.hidden.n_out),
        "cores": float(placement.n_cores_used),
    }


# ---------------------------------------------------------------------------
# The exercise's tasks: counting operations, mapping networks, energy
# ---------------------------------------------------------------------------



def synaptic_ops_cases(rng: np.random.Generator | None = None) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(description, spikes (time, n_pre), weights (n_pre, n_post)): each case exposes one mistake.

    The shapes and the structure of each case are fixed (silent rows, tiny weights, a square
    case); the spikes and weights are drawn from ``rng`` (default: a fresh generator, so
    that no count can be memorised).
    """
    rng = fresh_rng() if rng is None else rng

    def raster(time, n_pre, p):
        return (rng.random((time, n_pre)) < p).astype(float)

    def sparse(n_pre, n_post, density, negative=False):
        w = rng.uniform(0.1, 1.0, (n_pre, n_post)) * (rng.random((n_pre, n_post)) < density)
        return w * rng.choice([-1.0, 1.0], w.shape) if negative else w

    cases = []
    w = sparse(8, 5, 0.5)
    cases.append(("30 steps, 8 inputs, 5 outputs, half the weights zero", raster(30, 8, 0.2), w))
    w = sparse(10, 4, 0.6, negative=True)
    cases.append(("25 steps, 10 inputs, 4 outputs, positive and negative weights", raster(25, 10, 0.25), w))
    w = sparse(6, 7, 0.7)
    w[[1, 4]] = 0.0
    s = raster(20, 6, 0.3)
    s[:, [1, 4]] = 1.0  # the two neurons without outgoing synapses spike at every step
    cases.append(("20 steps, 6 inputs of which inputs 1 and 4 have no outgoing synapse", s, w))
    cases.append(("7 steps, 12 inputs, 3 outputs", raster(7, 12, 0.4), sparse(12, 3, 0.5, negative=True)))
    cases.append(("a single time step, 9 inputs, 6 outputs", raster(1, 9, 0.5), sparse(9, 6, 0.5)))
    s = np.zeros((40, 5))
    s[::2, 0] = 1.0
    s[::5, 3] = 1.0
    cases.append(("40 steps, 5 inputs, input 0 spiking 20 times and input 3 eight times", s, sparse(5, 8, 0.6)))
    while True:  # a square case on which reading either matrix along the wrong axis gives another count
        s, w = raster(6, 6, 0.4), sparse(6, 6, 0.5, negative=True)
        right = s.sum(0) @ (w != 0).sum(1)
        if right != s.sum(0) @ (w != 0).sum(0) and right != s.sum(1) @ (w != 0).sum(1):
            break
    cases.append(("6 steps, 6 inputs, 6 outputs (all the same size)", s, w))
    w = sparse(8, 6, 0.6, negative=True)
    w[0, 1], w[2, 0], w[3, 4], w[5, 5], w[7, 2] = 1e-3, -1e-6, 0.02, -0.004, 2e-9
    s = raster(15, 8, 0.3)
    s[:, [0, 2, 7]] = 1.0  # the inputs with tiny weights spike at every step
    cases.append(("15 steps, 8 inputs, 6 outputs, some weights tiny but not zero (0.02, -0.004, 1e-3, -1e-6, 2e-9)", s, w))
    return cases



#: The verdicts of the mapping task: the network fits, or the limit it breaks.
LIMITS = ("fits", "weight_bits", "fan_in", "synapses", "cores")


def mapping_networks() -> dict[str, list]:
    """Five feed-forward networks (lists of :class:`~neuro4ml.hardware.neuromorphic.Projection`) to map onto the teaching chip.

    Weights are drawn from a fixed seed: small integers (exactly representable in 4 bits)
    except where a network is meant to break the precision limit.
    """
    from neuro4ml.hardware.neuromorphic import feedforward

    rng = np.random.default_rng(2018)

    def integers(n_pre, n_post):
        w = rng.integers(-7, 8, (n_pre, n_post)).astype(float)
        w[w == 0] = 1.0  # dense: every synapse present
        return w

    return {
        "A": feedforward(integers(20, 64), integers(64, 10), names=["hidden", "readout"]),
        "B": feedforward(integers(200, 64), integers(64, 10), names=["hidden", "readout"]),
        "C": feedforward(integers(20, 600), names=["hidden"]),
        "D": feedforward(rng.normal(0.0, 0.3, (20, 64)), integers(64, 10), names=["hidden", "readout"]),
        "E": feedforward(integers(100, 64), integers(64, 10), names=["hidden", "readout"]),
    }


def failing_limit(network, chip) -> str:
    """``"fits"`` if :func:`~neuro4ml.hardware.neuromorphic.map_network` places ``network`` on ``chip``, else the limit that breaks.

    The limit is the one the :class:`~neuro4ml.hardware.neuromorphic.MappingError` names (its
    ``limit`` attribute): the first that :func:`~neuro4ml.hardware.neuromorphic.map_network` finds
    broken, one of :data:`LIMITS` on the teaching chip.
    """
    from neuro4ml.hardware.neuromorphic import MappingError, map_network

    try:
        map_network(network, chip)
    except MappingError as error:
        return error.limit
    return "fits"


def energy_cases():
    """(description, EventCounts, chip): Loihi, the teaching chip and TrueNorth (which publishes one cost only)."""
    from neuro4ml.hardware.neuromorphic import LOIHI, TEACHING_CHIP, TRUENORTH, EventCounts

    def counts(synaptic_ops, neuron_updates, spikes_sent, n_samples):
        return EventCounts(synaptic_ops, neuron_updates, spikes_sent, np.zeros((n_samples, 1, 1)), n_samples, 1)

    return [
        ("Loihi, 1 sample", counts(12_345, 6_400, 321, 1), LOIHI),
        ("the teaching chip, 4 samples", counts(250_000, 74 * 50 * 4, 4_000, 4), TEACHING_CHIP),
        ("TrueNorth (only the synaptic cost is published), 2 samples", counts(9_876, 5_000, 444, 2), TRUENORTH),
    ]


