"""Answer checks for the week 8 exercise: neuromorphic computing.

* :func:`check_synaptic_ops` runs the learner's ``synaptic_ops(spikes, weights)`` on
  several rasters and weight matrices (sparse, negative weights, silent neurons with no
  outgoing synapse, non-square, a single time step, many spikes per neuron, a square case
  where time, inputs and outputs are the same size) and compares the count with
  :func:`neuro4ml.hardware.neuromorphic.synaptic_operations`. When they differ it recognises
  every weight counted (zeros included), spikes counted alone, the weight matrix or the
  raster read along the wrong axis, synapses counted without the spikes, weights summed
  instead of counted, negative weights left out, a per-neuron or per-step array returned
  instead of the total, and a NaN.
* :func:`check_mapping_diagnosis` takes the learner's verdict on each network of
  :func:`mapping_networks` (does it fit the teaching chip, and if not, which limit breaks)
  and compares it with the limit that :func:`neuro4ml.hardware.neuromorphic.map_network`'s
  :class:`~neuro4ml.hardware.neuromorphic.MappingError` names (:func:`failing_limit`).
* :func:`check_energy` compares the learner's ``energy_j(counts, chip)`` with
  :func:`neuro4ml.hardware.neuromorphic.estimate_energy` on Loihi, TrueNorth (which publishes one
  cost only) and the teaching chip (picojoules not converted or converted as nanojoules,
  one kind of event left out, a cost that is not published counted as zero... or crashing
  on it, the energy divided by the number of samples).
* :func:`check_measurement` compares the accuracy and energy per sample the learner
  measured for a trained network with :func:`neuro4ml.tasks.w8.evaluate_on_chip`
  (energy of all samples, in pJ or nJ, accuracy in percent, a network whose weights are
  not quantised yet).
* :func:`check_tradeoff_score` compares the learner's ``tradeoff_score(accuracy,
  energy_j)`` with the competition's :func:`neuro4ml.tasks.w8.score` (natural or
  base-2 logarithm, the ratio inverted, the weight :math:`\\lambda` forgotten, the penalty
  added, the accuracy in percent).
"""

from __future__ import annotations

from typing import Any

import re

import numpy as np

from neuro4ml.check.core import Feedback, as_array, as_number, call, check, in_case, require

__all__ = [
    "LIMITS",
    "SYNONYMS",
    "check_energy",
    "check_mapping_diagnosis",
    "check_measurement",
    "check_synaptic_ops",
    "check_tradeoff_score",
    "failing_limit",
    "mapping_networks",
    "verdict_of",
]


# ---------------------------------------------------------------------------
# One number, and two numbers shown so that they differ
# ---------------------------------------------------------------------------

#: Relative tolerance of the comparisons with real-valued references: a float32 result
#: (about 7 significant digits) passes, a result off by 0.01 % does not.
RTOL = 1e-6


def _refuse_text(value: Any, name: str) -> None:
    if isinstance(value, (str, bytes)):
        raise Feedback(
            f"expected {name} to be one number, got text: {type(value).__name__} {value!r:.40}",
            hint="return the number itself (an int or a float), not a string that shows it.",
        )


def _one_number(value: Any, name: str, *, hint: str) -> float:
    """``value`` as one finite float; unlike :func:`~neuro4ml.check.core.as_number`, a list,
    tuple or array holding one number is refused, since each task asks for one number."""
    require(value, name)
    if value is None:
        raise Feedback(f"{name} is None: did you forget a `return`?", hint="the last line of your function should return the result.")
    _refuse_text(value, name)
    if isinstance(value, (list, tuple)) and len(value) == 1:
        raise Feedback(f"expected {name} to be one number, got a {type(value).__name__} of length 1",
                       hint="the task asks for one number: return the number itself, not a list or tuple holding it.")
    ndim = getattr(value, "ndim", 0)
    if isinstance(ndim, int) and ndim > 0 and int(np.prod(getattr(value, "shape", (2,)))) == 1:
        raise Feedback(f"expected {name} to be one number, got an array of shape {tuple(value.shape)} holding one",
                       hint="the task asks for one number: return the number itself, not an array holding it.")
    return as_number(value, name, hint=hint)


def _shown(expected: float, got: float, digits: int = 6) -> tuple[str, str]:
    """``expected`` and ``got`` written with as many significant digits as it takes to tell them apart."""
    for d in range(digits, 18):
        a, b = f"{expected:.{d}g}", f"{got:.{d}g}"
        if a != b:
            break
    return a, b


# ---------------------------------------------------------------------------
# Part 1a: counting synaptic operations
# ---------------------------------------------------------------------------


def _ops_cases() -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(description, spikes (time, n_pre), weights (n_pre, n_post)): each case exposes one mistake."""
    rng = np.random.default_rng(8)

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
    cases.append(("6 steps, 6 inputs, 6 outputs (all the same size)", raster(6, 6, 0.4), sparse(6, 6, 0.5, negative=True)))
    w = sparse(8, 6, 0.6, negative=True)
    w[0, 1], w[2, 0], w[3, 4], w[5, 5], w[7, 2] = 1e-3, -1e-6, 0.02, -0.004, 2e-9
    s = raster(15, 8, 0.3)
    s[:, [0, 2, 7]] = 1.0  # the inputs with tiny weights spike at every step
    cases.append(("15 steps, 8 inputs, 6 outputs, some weights tiny but not zero (0.02, -0.004, 1e-3, -1e-6, 2e-9)", s, w))
    return cases


def _ops_mistakes(spikes: np.ndarray, weights: np.ndarray) -> list[tuple[Any, str, str]]:
    """(value, message, hint) of the typical wrong counts on one case."""
    counts = spikes.sum(axis=0)  # spikes of each presynaptic neuron
    fan_out = (weights != 0).sum(axis=1)
    mistakes = [
        (counts.sum() * weights.shape[1], "you counted every weight, zeros included, for each spike",
         "a zero weight is no synapse: on a chip nothing happens for it. Count only the non-zero entries of each row."),
        (counts.sum(), "you counted the spikes only",
         "each spike triggers one operation per outgoing synapse: weigh each neuron's spikes by how many "
         "non-zero weights leave it."),
        ((weights != 0).sum(), "you counted the non-zero weights once, whatever the spikes",
         "an operation happens only when a spike arrives: a synapse used by 5 spikes costs 5 operations, "
         "one never reached costs none."),
        ((weights != 0).sum() * spikes.shape[0], "you counted every non-zero weight at every time step",
         "a synapse works only at the steps its presynaptic neuron spikes; silent steps cost nothing."),
        (counts @ weights.sum(axis=1), "you added up the weight values instead of counting the weights",
         "an operation is an event, whatever the weight's size or sign: count the non-zero weights."),
        (counts @ np.abs(weights).sum(axis=1), "you added up the absolute weight values instead of counting the weights",
         "an operation is an event, whatever the weight's size: count the non-zero weights."),
        (counts @ (weights > 0).sum(axis=1), "negative weights were not counted",
         "an inhibitory (negative) synapse costs an operation just like an excitatory one: count weights that "
         "are not zero, of either sign."),
    ]
    # a threshold instead of "not zero": every cut between two weight magnitudes, of |w| or of w
    magnitudes = np.unique(np.abs(weights[weights != 0]))
    for cut in magnitudes[magnitudes < 0.5 * magnitudes.max(initial=0.0)]:
        mistakes.append((counts @ (np.abs(weights) > cut).sum(axis=1),
                         f"weights smaller than a threshold (about {cut:.2g}) were not counted",
                         "a weight is a synapse as long as it is not exactly zero, however small: the chip does the "
                         "operation for a weight of 1e-6 just as for 1. Compare with zero, not with a threshold."))
        mistakes.append((counts @ (weights > cut).sum(axis=1),
                         f"negative weights and weights below a threshold (about {cut:.2g}) were not counted",
                         "a weight is a synapse as long as it is not exactly zero, whatever its sign or size. "
                         "Compare with zero, not with a threshold."))
    if weights.shape[0] == weights.shape[1]:
        mistakes.append((counts @ (weights != 0).sum(axis=0), "the weights were read along the wrong axis (transposed)",
                         "weights[i, j] is the synapse from presynaptic neuron i to postsynaptic neuron j, so the "
                         "synapses leaving neuron i are row i."))
    if spikes.shape[0] == spikes.shape[1]:
        mistakes.append((spikes.sum(axis=1) @ fan_out, "the raster was read along the wrong axis",
                         "spikes is (time, n_pre): column i holds the spikes of presynaptic neuron i over time."))
    return mistakes


def _diagnose_ops_array(array: np.ndarray, expected: float, spikes: np.ndarray, weights: np.ndarray) -> Feedback | None:
    if array.ndim >= 1 and array.size > 1 and np.isfinite(array).all() and np.isclose(array.sum(), expected):
        axis = {spikes.shape[0]: "time step", spikes.shape[1]: "presynaptic neuron", weights.shape[1]: "postsynaptic neuron"}
        per = axis.get(array.shape[0], "entry") if array.ndim == 1 else "entry"
        return Feedback(
            f"you returned an array of shape {array.shape} (one count per {per}), not the total",
            hint="its entries add up to the right total: the function must return one number.",
        )
    return None


@check("counting synaptic operations")
def check_synaptic_ops(synaptic_ops):
    """Compare the learner's ``synaptic_ops(spikes, weights)`` with :func:`neuro4ml.hardware.neuromorphic.synaptic_operations`."""
    from neuro4ml.hardware.neuromorphic import synaptic_operations

    for description, spikes, weights in _ops_cases():
        expected = float(synaptic_operations(spikes, weights))
        out = call(synaptic_ops, "synaptic_ops", spikes.copy(), weights.copy())
        try:
            _refuse_text(out, "the returned count")
            array = as_array(out, "the returned count", finite=False)
        except Feedback as feedback:
            raise in_case(description, feedback) from None
        wrong_array = _diagnose_ops_array(array, expected, spikes, weights)
        if wrong_array is not None:
            raise in_case(description, wrong_array)
        try:
            got = _one_number(out, "the returned count",
                              hint="count the operations with numpy: no step of the count should produce NaN.")
        except Feedback as feedback:
            raise in_case(description, feedback) from None
        if got != expected:
            for value, message, hint in _ops_mistakes(spikes, weights):
                if np.isclose(got, float(value)) and not np.isclose(float(value), expected):
                    raise in_case(description, Feedback(f"expected {expected:g} operations, got {got:g}: {message}", hint=hint))
            if abs(got - expected) < 1 and got != round(got):
                raise in_case(description, Feedback(
                    f"expected exactly {expected:g} operations, got {got!r}, which is not a whole number",
                    hint="a count is a whole number: count events rather than multiplying by fractions.",
                ))
            raise in_case(description, Feedback(
                f"expected {expected:g} synaptic operations, got {got:g}",
                hint="each spike of presynaptic neuron i costs one operation per non-zero weight in row i of the "
                "weight matrix; add that up over all spikes.",
            ))
        yield f"{description}: {expected:g} operations"


# ---------------------------------------------------------------------------
# Part 1b: mapping networks onto the teaching chip
# ---------------------------------------------------------------------------

#: The answers :func:`check_mapping_diagnosis` accepts: the network fits, or the limit it breaks.
LIMITS = ("fits", "weight_bits", "fan_in", "synapses", "cores")
#: Other spellings accepted for each verdict. Case, spaces, hyphens and underscores do not
#: matter ("Fan-in", "weight bits" and "FITS" are accepted).
SYNONYMS = {
    "fits": ("fit", "it fits", "maps"),
    "weight_bits": ("bits", "weight bit", "precision"),
    "fan_in": ("fanin",),
    "synapses": ("synapse",),
    "cores": ("core", "n_cores"),
}


def _letters(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text).casefold()


_VERDICTS = {_letters(word): verdict for verdict in LIMITS for word in (verdict, *SYNONYMS[verdict])}


def verdict_of(answer: Any) -> str | None:
    """The verdict of :data:`LIMITS` that ``answer`` spells (see :data:`SYNONYMS`), or None."""
    return _VERDICTS.get(_letters(answer)) if isinstance(answer, str) else None


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


_MAPPING_HINTS = {
    ("synapses", "fits"): "a layer whose synapses do not fit in one core is split over more cores; that costs cores, "
    "and fails only when the chip runs out of them.",
    ("cores", "fits"): "count the cores the placement uses (Placement.n_cores_used) and compare with the chip's 8.",
    ("fits", "fan_in"): "look at the number of distinct presynaptic neurons a single core must listen to.",
    ("synapses", "fan_in"): "splitting a layer over cores reduces the synapses per core, but every core still "
    "listens to all the inputs of its neurons: which limit can splitting not fix?",
    ("synapses", "cores"): "splitting a layer over cores always succeeds for the synapses here; what runs out?",
    ("fits", "weight_bits"): "look at the values of the weights: can 15 levels represent them exactly?",
}


@check("mapping onto the teaching chip")
def check_mapping_diagnosis(answers):
    """Compare the learner's ``answers`` (network name -> one of :data:`LIMITS`) with :func:`failing_limit`."""
    from neuro4ml.hardware.neuromorphic import TEACHING_CHIP

    if answers is Ellipsis or answers is None:
        raise Feedback("answers is not filled in yet.", status="not implemented yet")
    if not isinstance(answers, dict):
        raise Feedback(
            f"expected answers to be a dict from network name to verdict, got {type(answers).__name__}",
            hint='for example {"A": "fits", "B": ...}, one entry per network.',
        )
    networks = mapping_networks()
    unknown = [key for key in answers if key not in networks]
    if unknown:
        shown = ", ".join(repr(key) for key in unknown)
        if all(isinstance(key, str) and key.strip().upper() in networks for key in unknown):
            raise Feedback(f"answers has the keys {shown}, but the networks are named {', '.join(networks)}, in capitals",
                           hint='write the keys as the networks are named: {"A": ..., "B": ..., ...}.')
        raise Feedback(f"answers has verdicts for networks that do not exist: {shown}",
                       hint=f"the networks are {', '.join(networks)}.")
    for name, network in networks.items():
        given = answers.get(name, Ellipsis)
        if given is Ellipsis:
            raise Feedback(f"answers has no verdict for network {name!r} yet.", status="not implemented yet")
        if verdict_of(given) is None:
            raise Feedback(
                f"network {name}: {given!r:.40} is not one of the verdicts {', '.join(LIMITS)}",
                hint="write 'fits' when map_network succeeds, else the name of the limit its MappingError names.",
            )
        given = verdict_of(given)
        expected = failing_limit(network, TEACHING_CHIP)
        if given != expected:
            raise Feedback(
                f"network {name}: your verdict is {given!r}, but that is not what happens on the {TEACHING_CHIP.name}",
                hint=_MAPPING_HINTS.get((given, expected), "try map_network on it and read the MappingError's message."),
            )
        yield f"network {name}: {expected}"


# ---------------------------------------------------------------------------
# Part 1c: energy from counted events
# ---------------------------------------------------------------------------


def _energy_cases():
    from neuro4ml.hardware.neuromorphic import LOIHI, TEACHING_CHIP, TRUENORTH, EventCounts

    def counts(synaptic_ops, neuron_updates, spikes_sent, n_samples):
        return EventCounts(synaptic_ops, neuron_updates, spikes_sent, np.zeros((n_samples, 1, 1)), n_samples, 1)

    return [
        ("Loihi, 1 sample", counts(12_345, 6_400, 321, 1), LOIHI),
        ("the teaching chip, 4 samples", counts(250_000, 74 * 50 * 4, 4_000, 4), TEACHING_CHIP),
        ("TrueNorth (only the synaptic cost is published), 2 samples", counts(9_876, 5_000, 444, 2), TRUENORTH),
    ]


@check("energy from event counts")
def check_energy(energy_j):
    """Compare the learner's ``energy_j(counts, chip)`` with :func:`neuro4ml.hardware.neuromorphic.estimate_energy`."""
    from neuro4ml.hardware.neuromorphic import estimate_energy

    for description, counts, chip in _energy_cases():
        expected = estimate_energy(counts, chip).total_j
        try:
            out = call(energy_j, "energy_j", counts, chip)
        except Feedback as feedback:
            if "NoneType" in feedback.message:
                feedback.hint = ("a cost of None means the chip's makers did not publish it: leave that kind of "
                                 "event out of the sum instead of multiplying by it.")
            raise in_case(description, feedback) from None
        try:
            got = _one_number(out, "the returned energy", hint="return the energy in joules, one number.")
        except Feedback as feedback:
            raise in_case(description, feedback) from None
        if np.isclose(got, expected, rtol=RTOL, atol=0.0):
            yield f"{description}: {expected * 1e9:.5g} nJ"
            continue
        costs = chip.costs
        terms = {
            "synaptic operations": counts.synaptic_ops * (costs.synaptic_op_pj or 0.0) * 1e-12,
            "neuron updates": counts.neuron_updates * (costs.neuron_update_pj or 0.0) * 1e-12,
            "spikes sent": counts.spikes_sent * (costs.spike_pj or 0.0) * 1e-12,
        }
        mistakes = [
            (expected * 1e12, "this is the energy in picojoules, not joules",
             "the chip's costs are in pJ (1 pJ = 1e-12 J): convert to joules."),
            (expected * 1e3, "this is 1000 times too large: a picojoule is 1e-12 J, not 1e-9 J",
             "the costs are in picojoules; 1e-9 J is a nanojoule."),
            (expected / counts.n_samples, f"this is the energy per sample; the counts cover all {counts.n_samples} samples",
             "return the total energy of the counted events; divide by the number of samples only where the "
             "exercise asks for energy per sample."),
        ]
        mistakes += [
            (expected - value, f"the {kind} are left out", f"every kind of event whose cost {chip.name} publishes adds to the energy.")
            for kind, value in terms.items() if value > 0
        ]
        want, gave = _shown(expected, got)
        for value, message, hint in mistakes:
            if np.isclose(got, value, rtol=RTOL, atol=0.0):
                raise in_case(description, Feedback(f"expected {want} J, got {gave} J: {message}", hint=hint))
        raise in_case(description, Feedback(
            f"expected {want} J, got {gave} J",
            hint="add up, for each kind of event, its count (the fields of counts) times its cost (the fields of "
            "chip.costs, in pJ), leaving out the costs that are None.",
        ))


# ---------------------------------------------------------------------------
# Part 2: accuracy and energy of a trained network
# ---------------------------------------------------------------------------


@check("accuracy and energy on the chip")
def check_measurement(accuracy, energy_j, model, data):
    """Compare the learner's ``accuracy`` and ``energy_j`` (per sample) with :func:`neuro4ml.tasks.w8.evaluate_on_chip`."""
    from neuro4ml.learning import snn
    from neuro4ml.tasks.w8 import evaluate_on_chip
    from neuro4ml.hardware.neuromorphic import MappingError

    if model is Ellipsis or model is None:
        raise Feedback("train the network first: the measurement is of it.", status="not implemented yet")
    got_accuracy = _one_number(accuracy, "accuracy", hint="the fraction of samples classified correctly, one number.")
    got_energy = _one_number(energy_j, "energy_j", hint="the energy per sample in joules, one number.")
    if not isinstance(model, snn.SNN):
        raise Feedback(f"expected the network to be a neuro4ml.learning.snn.SNN, got {type(model).__name__}",
                       hint="pass the trained network itself.")
    try:
        expected = evaluate_on_chip(model, data)
    except MappingError as exc:
        raise Feedback(f"the network does not map onto the teaching chip ({exc})",
                       hint="quantise its weights to the chip's 4 bits before measuring.") from None
    except Exception as exc:
        raise Feedback(f"running the network on the data raised {type(exc).__name__}: {exc}",
                       hint="pass the validation set, with inputs shaped (samples, time, 20).") from None
    n = len(data.y)
    if not np.isclose(got_accuracy, expected["accuracy"], rtol=RTOL, atol=1e-9):
        if np.isclose(got_accuracy, 100 * expected["accuracy"]):
            raise Feedback(f"accuracy is {got_accuracy:g}: that is a percentage", hint="give the accuracy as a fraction between 0 and 1.")
        raise Feedback(f"expected an accuracy of {expected['accuracy']:.4f} on these {n} samples, got {got_accuracy:.4f}",
                       hint="compare the predicted classes (the largest output) with the labels, for the quantised network.")
    yield f"accuracy {expected['accuracy']:.1%}"
    want = expected["energy_j"]
    if not np.isclose(got_energy, want, rtol=RTOL, atol=0.0):
        for value, message, hint in [
            (want * n, f"this is the energy of all {n} samples", "divide by the number of samples: the energy per sample."),
            (want * 1e12, "this is in picojoules", "give the energy in joules."),
            (want * 1e9, "this is in nanojoules", "give the energy in joules."),
        ]:
            if np.isclose(got_energy, value, rtol=RTOL):
                raise Feedback(f"expected {want:.6g} J per sample, got {got_energy:.6g}: {message}", hint=hint)
        shown_want, shown_got = _shown(want, got_energy)
        raise Feedback(
            f"expected {shown_want} J per sample ({want * 1e9:.4g} nJ), got {shown_got} J",
            hint="count the events of the run on the chip's placement, with the spikes of the inputs and of the hidden "
            "layer, price them with your energy function and divide by the number of samples.",
        )
    yield f"energy {want * 1e9:.4g} nJ per sample"


# ---------------------------------------------------------------------------
# Part 3: the competition's score
# ---------------------------------------------------------------------------


@check("accuracy-energy score")
def check_tradeoff_score(tradeoff_score):
    """Compare the learner's ``tradeoff_score(accuracy, energy_j)`` with :func:`neuro4ml.tasks.w8.score`."""
    from neuro4ml.tasks.w8 import LAMBDA as W8_LAMBDA, REFERENCE_ENERGY_J as W8_REFERENCE_ENERGY_J, score as w8_score

    reference = W8_REFERENCE_ENERGY_J
    cases = [(0.8, reference), (0.75, reference / 10), (0.9, 3.7 * reference), (0.42, reference / 250), (1.0, 2e-3 * reference)]
    for accuracy, energy_j in cases:
        description = f"accuracy {accuracy:g}, energy {energy_j / reference:g} × the reference energy"
        expected = w8_score(accuracy, energy_j)
        out = call(tradeoff_score, "tradeoff_score", accuracy, energy_j)
        try:
            got = _one_number(out, "the returned score", hint="the score is one number: accuracy minus the energy penalty.")
        except Feedback as feedback:
            raise in_case(description, feedback) from None
        if np.isclose(got, expected, rtol=RTOL, atol=1e-9):
            yield f"{description}: score {expected:.4f}"
            continue
        ratio = energy_j / reference
        for value, message, hint in [
            (accuracy - W8_LAMBDA * np.log(ratio), "this is the natural logarithm of the energy ratio",
             "the score uses the base-10 logarithm: a factor of 10 in energy is worth λ in accuracy."),
            (accuracy - W8_LAMBDA * np.log2(ratio), "this is the base-2 logarithm of the energy ratio",
             "the score uses the base-10 logarithm: a factor of 10 in energy is worth λ in accuracy."),
            (accuracy + W8_LAMBDA * np.log10(ratio), "the energy penalty has the wrong sign: more energy raises your score",
             "spending more energy than the reference must lower the score."),
            (accuracy - np.log10(ratio), "the penalty is not weighted by λ",
             f"multiply the log-ratio by the competition's λ = {W8_LAMBDA:g} (competition.W8_LAMBDA)."),
            (accuracy - W8_LAMBDA * np.log10(energy_j), "the energy is not divided by the reference energy",
             "the logarithm is of the energy relative to the reference, which makes the penalty 0 at the reference."),
            (100 * accuracy - W8_LAMBDA * np.log10(ratio), "the accuracy is in percent",
             "use the accuracy as a fraction between 0 and 1."),
        ]:
            if np.isclose(got, value, rtol=RTOL, atol=1e-9):
                want, gave = _shown(expected, got)
                raise in_case(description, Feedback(f"expected {want}, got {gave}: {message}", hint=hint))
        want, gave = _shown(expected, got)
        raise in_case(description, Feedback(
            f"expected {want}, got {gave}",
            hint="score = accuracy − λ · log10(energy / reference energy), with the constants of neuro4ml.competition.",
        ))
