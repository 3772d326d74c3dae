"""Answer checks for the week 8 exercise: neuromorphic computing.

The cases (drawn afresh at each run), the mapping networks and the energy cases are
defined in :mod:`neuro4ml.tasks.w8`. The library's count, energy and score are
unavailable while the learner's functions run, and failure messages on fixed cases give the
direction and size of an error, not the expected value.

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

import re
from typing import Any

import numpy as np

from neuro4ml.check.core import (
    NOT_IMPLEMENTED,
    Feedback,
    Mistake,
    Tolerance,
    as_array,
    as_number,
    call,
    check,
    close,
    diagnose,
    in_case,
    off_by,
    require,
    size_of,
    unanswered,
)
from neuro4ml.tasks.w8 import LIMITS, energy_cases, failing_limit, mapping_networks, synaptic_ops_cases

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


#: Agreement of real-valued answers with their references: a float32 result (about 7
#: significant digits) passes, a result off by 0.01 % does not.
_AGREE = Tolerance(rtol=1e-6, atol=0.0)


def _one_number(value: Any, name: str, *, hint: str) -> float:
    """``value`` as one finite number, by the policy of :func:`~neuro4ml.check.core.as_number`.

    A result object returned whole gets its own message: the task asks for one number
    computed from its fields, not for the object.
    """
    from neuro4ml.hardware.neuromorphic import EventCounts

    if isinstance(value, EventCounts):
        raise Feedback(
            f"expected {name} to be one number, got the EventCounts itself (the numbers of events)",
            hint="the answer is computed from the counts: each count (synaptic_ops, neuron_updates, spikes_sent) "
            "times its cost from chip.costs, added up and converted to joules.",
        )
    if getattr(value, "ndim", None) == 0 and hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # a 0-d array or tensor is one number
    if isinstance(value, (list, tuple)) and len(value) == 1:
        raise Feedback(f"expected {name} to be one number, got a {type(value).__name__} of length 1",
                       hint="the task asks for one number: return the number itself, not a list or tuple holding it.")
    if isinstance(getattr(value, "shape", None), tuple) and int(np.prod(value.shape)) == 1:
        raise Feedback(f"expected {name} to be one number, got an array of shape {tuple(value.shape)} holding one",
                       hint="the task asks for one number: return the number itself, not an array holding it.")
    return as_number(value, name, allow_one_element=False, hint=hint)


# ---------------------------------------------------------------------------
# Part 1a: counting synaptic operations
# ---------------------------------------------------------------------------


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
    if weights.shape[0] == weights.shape[1]:
        mistakes.append((counts @ (weights != 0).sum(axis=0), "the weights were read along the wrong axis (transposed)",
                         "weights[i, j] is the synapse from presynaptic neuron i to postsynaptic neuron j, so the "
                         "synapses leaving neuron i are row i."))
    if spikes.shape[0] == spikes.shape[1]:
        mistakes.append((spikes.sum(axis=1) @ fan_out, "the raster was read along the wrong axis",
                         "spikes is (time, n_pre): column i holds the spikes of presynaptic neuron i over time."))
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
    return mistakes


def _diagnose_ops_array(array: np.ndarray, expected: float, spikes: np.ndarray, weights: np.ndarray) -> Feedback | None:
    if array.ndim >= 1 and array.size > 1 and np.isfinite(array).all() and close(array.sum(), expected, Tolerance(rtol=1e-9, atol=1e-9)):
        axis = {spikes.shape[0]: "time step", spikes.shape[1]: "presynaptic neuron", weights.shape[1]: "postsynaptic neuron"}
        per = axis.get(array.shape[0], "entry") if array.ndim == 1 else "entry"
        return Feedback(
            f"you returned an array of shape {array.shape} (one count per {per}), not the total",
            hint="its entries add up to the right total: the function must return one number.",
        )
    return None


@check("counting synaptic operations")
def check_synaptic_ops(synaptic_ops):
    """Compare the learner's ``synaptic_ops(spikes, weights)`` with :func:`neuro4ml.hardware.neuromorphic.synaptic_operations`.

    The cases are drawn afresh at each run (:func:`neuro4ml.tasks.w8.synaptic_ops_cases`),
    and the library's function is unavailable while the learner's runs.
    """
    from neuro4ml.hardware.neuromorphic import synaptic_operations

    results = []
    for description, spikes, weights in synaptic_ops_cases():
        expected = float(synaptic_operations(spikes, weights))
        out = call(synaptic_ops, "synaptic_ops", spikes.copy(), weights.copy(), forbid=[synaptic_operations])
        try:
            if isinstance(out, (np.ndarray, list, tuple)) and (size_of(out) or 0) > 1:
                array = as_array(out, "the returned count", finite=False)
                wrong_array = _diagnose_ops_array(array, expected, spikes, weights)
                if wrong_array is not None:
                    raise wrong_array
            got = _one_number(out, "the returned count",
                              hint="return one number, the total count of operations (an int); no step of the "
                              "count should produce NaN.")
        except Feedback as feedback:
            raise in_case(description, feedback) from None
        results.append((description, spikes, weights, expected, got))
    wrong = [r for r in results if r[4] != r[3]]
    if not wrong:
        for description, *_, expected, _ in results:
            yield f"{description}: {expected:g} operations"
        return
    # A mistake is named only when it explains every case that differs: the cases are drawn
    # afresh, so one of them may make two mistakes coincide.
    tolerance = Tolerance(rtol=1e-9, atol=1e-9)
    by_case = [[Mistake(value, message, hint) for value, message, hint in _ops_mistakes(s_, w_)] for _, s_, w_, _, _ in wrong]
    for index in range(len(by_case[0])):
        message = by_case[0][index].message
        if all(any(m.message == message and diagnose(got, expected, [m], tolerance) for m in mistakes)
               for (_, _, _, expected, got), mistakes in zip(wrong, by_case)):
            description, _, _, expected, got = wrong[0]
            raise in_case(description, Feedback(f"expected {expected:g} operations, got {got:g}: {message}",
                                                hint=by_case[0][index].hint))
    description, _, _, expected, got = wrong[0]
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


# ---------------------------------------------------------------------------
# Part 1b: mapping networks onto the teaching chip
# ---------------------------------------------------------------------------

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
    """Compare the learner's ``mapping_answers`` (network name -> one of :data:`LIMITS`) with :func:`failing_limit`."""
    from neuro4ml.hardware.neuromorphic import TEACHING_CHIP

    answers = require(answers, "mapping_answers")
    if not isinstance(answers, dict):
        raise Feedback(
            f"expected mapping_answers to be a dict from network name to verdict, got {type(answers).__name__}",
            hint='for example {"A": "fits", "B": ...}, one entry per network.',
        )
    networks = mapping_networks()
    unknown = [key for key in answers if key not in networks]
    if unknown:
        shown = ", ".join(repr(key) for key in unknown)
        if all(isinstance(key, str) and key.strip().upper() in networks for key in unknown):
            raise Feedback(f"mapping_answers has the keys {shown}, but the networks are named {', '.join(networks)}, in capitals",
                           hint='write the keys as the networks are named: {"A": ..., "B": ..., ...}.')
        raise Feedback(f"mapping_answers has verdicts for networks that do not exist: {shown}",
                       hint=f"the networks are {', '.join(networks)}.")
    for name, network in networks.items():
        given = answers.get(name, Ellipsis)
        if given is Ellipsis:
            raise Feedback(f"mapping_answers has no verdict for network {name!r} yet.", status=NOT_IMPLEMENTED)
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


@check("energy from event counts")
def check_energy(energy_j):
    """Compare the learner's ``energy_j(counts, chip)`` with :func:`neuro4ml.hardware.neuromorphic.estimate_energy`."""
    from neuro4ml.hardware.neuromorphic import estimate_energy

    for description, counts, chip in energy_cases():
        expected = estimate_energy(counts, chip).total_j
        try:
            out = call(energy_j, "energy_j", counts, chip, forbid=[estimate_energy])
        except Feedback as feedback:
            if "NoneType" in feedback.message:
                feedback.hint = ("a cost of None means the chip's makers did not publish it: leave that kind of "
                                 "event out of the sum instead of multiplying by it.")
            raise in_case(description, feedback) from None
        try:
            got = _one_number(out, "the returned energy", hint="return the energy in joules, one number.")
        except Feedback as feedback:
            raise in_case(description, feedback) from None
        if close(got, expected, _AGREE):
            yield f"{description}: {expected * 1e9:.5g} nJ"
            continue
        costs = chip.costs
        terms = {
            "synaptic operations": counts.synaptic_ops * (costs.synaptic_op_pj or 0.0) * 1e-12,
            "neuron updates": counts.neuron_updates * (costs.neuron_update_pj or 0.0) * 1e-12,
            "spikes sent": counts.spikes_sent * (costs.spike_pj or 0.0) * 1e-12,
        }
        mistakes = [
            Mistake(expected * 1e12, "this is the energy in picojoules, not joules",
                    "the chip's costs are in pJ (1 pJ = 1e-12 J): convert to joules."),
            Mistake(expected * 1e3, "this is 1000 times too large: a picojoule is 1e-12 J, not 1e-9 J",
                    "the costs are in picojoules; 1e-9 J is a nanojoule."),
            Mistake(expected / counts.n_samples, f"this is the energy per sample; the counts cover all {counts.n_samples} samples",
                    "return the total energy of the counted events; divide by the number of samples only where the "
                    "exercise asks for energy per sample."),
        ]
        mistakes += [
            Mistake(
                expected - value, f"the {kind} are left out", f"every kind of event whose cost {chip.name} publishes adds to the energy."
            )
            for kind, value in terms.items() if value > 0
        ]
        mistakes += [
            Mistake(expected + value * (1e12 - 1), f"the term of the {kind} is in picojoules: it was not converted to joules",
                    "every cost is in pJ: convert each term (or the sum) with 1 pJ = 1e-12 J.")
            for kind, value in terms.items() if value > 0
        ]
        message = f"your energy is {off_by(got, expected, near=0.01)}"
        mistake = diagnose(got, expected, mistakes, _AGREE)
        if mistake:
            raise in_case(description, Feedback(f"{message}: {mistake.message}", hint=mistake.hint))
        raise in_case(description, Feedback(
            message,
            hint="add up, for each kind of event, its count (the fields of counts) times its cost (the fields of "
            "chip.costs, in pJ), leaving out the costs that are None.",
        ))


# ---------------------------------------------------------------------------
# Part 2: accuracy and energy of a trained network
# ---------------------------------------------------------------------------


@check("accuracy and energy on the chip")
def check_measurement(accuracy, energy_j, model, data):
    """Compare the learner's ``accuracy`` and ``energy_j`` (per sample) with :func:`neuro4ml.tasks.w8.evaluate_on_chip`."""
    from neuro4ml.hardware.neuromorphic import MappingError
    from neuro4ml.learning import snn
    from neuro4ml.tasks.w8 import evaluate_on_chip

    if unanswered(model):
        raise Feedback("train the network first: the measurement is of it.", status=NOT_IMPLEMENTED)
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
    if not close(got_accuracy, expected["accuracy"], Tolerance(rtol=1e-6, atol=1e-9)):
        if close(got_accuracy, 100 * expected["accuracy"], _AGREE):
            raise Feedback(f"accuracy is {got_accuracy:g}: that is a percentage", hint="give the accuracy as a fraction between 0 and 1.")
        raise Feedback(f"your accuracy on these {n} samples is {off_by(got_accuracy, expected['accuracy'], near=0.02)}",
                       hint="compare the predicted classes (the largest output) with the labels, for the quantised network "
                       "you pass to the check, on the data you pass to it.")
    yield f"accuracy {expected['accuracy']:.1%}"
    want = expected["energy_j"]
    if not close(got_energy, want, _AGREE):
        mistakes = [
            Mistake(want * n, f"this is the energy of all {n} samples", "divide by the number of samples: the energy per sample."),
            Mistake(want * 1e12, "this is in picojoules", "give the energy in joules."),
            Mistake(want * 1e9, "this is in nanojoules", "give the energy in joules."),
        ]
        message = f"your energy per sample is {off_by(got_energy, want, near=0.01)}"
        mistake = diagnose(got_energy, want, mistakes, _AGREE)
        if mistake:
            raise Feedback(f"{message}: {mistake.message}", hint=mistake.hint)
        raise Feedback(
            message,
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
    from neuro4ml.tasks.w8 import LAMBDA as W8_LAMBDA
    from neuro4ml.tasks.w8 import REFERENCE_ENERGY_J as W8_REFERENCE_ENERGY_J
    from neuro4ml.tasks.w8 import score as w8_score

    reference = W8_REFERENCE_ENERGY_J
    cases = [(0.8, reference), (0.75, reference / 10), (0.9, 3.7 * reference), (0.42, reference / 250), (1.0, 2e-3 * reference)]
    for accuracy, energy_j in cases:
        description = f"accuracy {accuracy:g}, energy {energy_j / reference:g} × the reference energy"
        expected = w8_score(accuracy, energy_j)
        out = call(tradeoff_score, "tradeoff_score", accuracy, energy_j, forbid=[w8_score])
        try:
            got = _one_number(out, "the returned score", hint="the score is one number: accuracy minus the energy penalty.")
        except Feedback as feedback:
            raise in_case(description, feedback) from None
        if close(got, expected, Tolerance(rtol=1e-6, atol=1e-9)):
            yield f"{description}: score {expected:.4f}"
            continue
        ratio = energy_j / reference
        mistakes = [
            Mistake(accuracy - W8_LAMBDA * np.log(ratio), "this is the natural logarithm of the energy ratio",
                    "the score uses the base-10 logarithm: a factor of 10 in energy is worth λ in accuracy."),
            Mistake(accuracy - W8_LAMBDA * np.log2(ratio), "this is the base-2 logarithm of the energy ratio",
                    "the score uses the base-10 logarithm: a factor of 10 in energy is worth λ in accuracy."),
            Mistake(accuracy + W8_LAMBDA * np.log10(ratio), "the energy penalty has the wrong sign: more energy raises your score",
                    "spending more energy than the reference must lower the score."),
            Mistake(accuracy - np.log10(ratio), "the penalty is not weighted by λ",
                    f"multiply the log-ratio by the competition's λ = {W8_LAMBDA:g} (competition.W8_LAMBDA)."),
            Mistake(accuracy - W8_LAMBDA * np.log10(energy_j), "the energy is not divided by the reference energy",
                    "the logarithm is of the energy relative to the reference, which makes the penalty 0 at the reference."),
            Mistake(100 * accuracy - W8_LAMBDA * np.log10(ratio), "the accuracy is in percent",
                    "use the accuracy as a fraction between 0 and 1."),
        ]
        message = f"your score is {off_by(got, expected, near=0.01)}"
        mistake = diagnose(got, expected, mistakes, Tolerance(rtol=1e-6, atol=1e-9))
        if mistake:
            raise in_case(description, Feedback(f"{message}: {mistake.message}", hint=mistake.hint))
        raise in_case(description, Feedback(
            message,
            hint="score = accuracy − λ · log10(energy / reference energy), with the constants of neuro4ml.competition.",
        ))
