"""Answer checks for the week 1 exercise: the leaky integrate-and-fire neuron.

* :func:`check_lif` runs the learner's ``lif`` on several inputs and compares it
  with :func:`neuro4ml.models.neurons.lif`; when they differ it works out which common
  mistake produced the difference (no reset, an Euler step, recording after the
  update, spike times in steps, ...).
* :func:`check_loss` compares the learner's fitting loss with :func:`score` on the
  training repeats.
* :func:`score` is the fitting competition's score: the mean van Rossum distance
  between a fitted LIF neuron and the recorded spikes on held-out repeats.
  :func:`check_fit` turns it into a verdict; :func:`score_adaptive` scores the
  adaptive model of the optional extension in the same way.

The exercise's ``lif`` follows the library's conventions exactly, so a correct
answer matches the reference to rounding error: ``V_rec[k]`` is ``V`` at the start
of step ``k`` (before that step's update, so ``V_rec[0] = 0``), and a spike during
step ``k`` is stamped at the end of the step, ``(k + 1) * dt_ms``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator

import numpy as np

from neuro4ml.check.core import (
    NOT_IMPLEMENTED,
    Feedback,
    Mistake,
    as_array,
    as_number,
    call,
    check,
    close,
    describe,
    diagnose,
    first_difference,
    first_values,
    in_case,
    off_by,
    reference,
    require,
    same,
    size_of,
    what_to_take,
)
from neuro4ml.models import neurons
from neuro4ml.tasks.w1 import (
    ADAPTIVE_PARAMETERS,
    ADAPTIVE_PASS_SCORE,
    PASS_SCORE,
    STARTING_GUESS,
    TEMPLATE_DEFAULTS,
    TEST_REPEATS,
    TRAIN_REPEATS,
    VAN_ROSSUM_TAU_MS,
    LIFCase,
    euler_equivalent_tau_ms,
    fitting_data,
    lif_cases,
    runaway_trace,
    score,
    score_adaptive,
)

__all__ = [
    "ADAPTIVE_PARAMETERS",
    "ADAPTIVE_PASS_SCORE",
    "PASS_SCORE",
    "STARTING_GUESS",
    "TEST_REPEATS",
    "TRAIN_REPEATS",
    "VAN_ROSSUM_TAU_MS",
    "check_adaptive_fit",
    "check_fit",
    "check_lif",
    "check_loss",
    "score",
    "score_adaptive",
]

# ---------------------------------------------------------------------------
# Part 1: the LIF neuron
# ---------------------------------------------------------------------------

#: Two float traces are "the same" when they agree to this absolute tolerance. The
#: exact update can be written in several algebraically equal ways; they differ by
#: rounding (about 1e-16 per step), far below this.
_TOLERANCE = 1e-9


def _unpack(out: object, n_steps: int) -> tuple[object, object]:
    """The learner's ``(V_rec, spike_times_ms)``, with a message for each wrong structure."""
    if out is None:
        raise Feedback(
            "lif returned None: did you forget the `return`?",
            hint="keep the template's last line, which returns the recorded V and the spike times.",
        )
    if isinstance(out, np.ndarray) or not isinstance(out, (tuple, list)) or hasattr(out, "_fields"):
        raise Feedback(
            f"lif returned {describe(out)}; it should return two things, (V_rec, spike_times_ms)",
            hint=what_to_take(out) or "keep the template's last line, which returns the recorded V and the spike times.",
        )
    if len(out) != 2:
        raise Feedback(
            f"lif returned {len(out)} values; it should return two, (V_rec, spike_times_ms)",
            hint="keep the template's last line, which returns the recorded V and the spike times.",
        )
    first, second = out
    if size_of(first) != n_steps and size_of(second) == n_steps:
        raise Feedback(
            "the two returned values look swapped: the second has one value per time step",
            hint="return V_rec first, then spike_times_ms.",
        )
    return first, second


def _membrane_trace(value: object, n_steps: int) -> np.ndarray:
    """The learner's ``V_rec`` as an array of ``n_steps`` numbers."""
    v = as_array(value, "V_rec", ndim=1, hint="V_rec holds one number per time step, like the template's np.zeros(len(I)).")
    if v.size == n_steps - 1:
        raise Feedback(
            f"V_rec is one step short: it has {v.size} values for {n_steps} time steps",
            hint="record V at the start of every step, so V_rec[0] is the initial value 0 and "
            "V_rec has len(I) entries; the loop should run over all of range(len(I)).",
        )
    if v.size == n_steps + 1:
        raise Feedback(
            f"V_rec is one step too long: it has {v.size} values for {n_steps} time steps",
            hint="V_rec[k] is V at the start of step k, for k = 0 .. len(I) - 1; do not also record the final V.",
        )
    if v.size != n_steps:
        raise Feedback(f"expected V_rec to have one value per time step ({n_steps}), got {v.size}")
    return v


def _diagnose_trace(v: np.ndarray, case: LIFCase, reference: neurons.NeuronRun) -> Feedback:
    """Why the learner's trace ``v`` differs from the reference: the first mistake that explains it."""
    settings = case.settings
    expected = reference.v
    dt_ms, tau_ms, threshold = settings["dt_ms"], settings["tau_ms"], settings["threshold"]

    # Recorded after the update: the learner's V_rec[k] is the reference's V_rec[k + 1].
    if same(v[:-1], expected[1:], rtol=0.0, atol=_TOLERANCE):
        return Feedback(
            "V_rec is recorded after the update instead of before: your V_rec[k] is the "
            "expected V_rec[k + 1]",
            hint="V_rec[k] is V at the start of step k, so V_rec[0] is the initial value 0. "
            "Keep `V_rec[k] = V` as the first line of the loop body.",
        )

    # No reset: V is recorded above threshold, which a reset neuron never does.
    above = np.flatnonzero(v > threshold + _TOLERANCE)
    if above.size:
        k = int(above[0])
        # V moves between its start (0) and the input's values, so this threshold is never reached.
        unreachable = max(float(np.max(case.I)), 0.0, settings["reset"]) + 1.0
        no_reset = case.reference(threshold=unreachable)
        if same(v, no_reset.v, rtol=0.0, atol=_TOLERANCE):
            return Feedback(
                f"V goes above the threshold and is never reset: V_rec reaches {v.max():.3g} "
                f"(threshold {threshold:g})",
                hint="after each update, compare V with the threshold; when it is above, record the spike "
                "time and put V back to the reset value.",
            )
        return Feedback(
            f"V goes above the threshold without being reset: V_rec[{k}] = {v[k]:.4g} > "
            f"threshold {threshold:g} (t = {k * dt_ms:g} ms)",
            hint="reset V in the same step in which it crosses the threshold, before the next step records it.",
        )

    # An Euler step: the same as the exact update with a slightly smaller tau.
    if dt_ms < tau_ms and same(v, case.reference(tau_ms=euler_equivalent_tau_ms(tau_ms, dt_ms)).v, rtol=0.0, atol=_TOLERANCE):
        error = float(np.max(np.abs(v - expected)))
        return Feedback(
            f"Euler step instead of the exact solution: error {error:.1e} at dt={dt_ms:g} ms",
            hint="the step V += dt/tau (I - V) is only approximate. For I constant over the step, "
            "the ODE is solved exactly by V <- I + (V - I) exp(-dt/tau) (see the hint above the exercise).",
        )

    # The decay factor of the exact update, exp(-dt/tau), written wrongly: each slip is the exact
    # update with another time constant, so the library's lif reproduces it.
    alpha = math.exp(-dt_ms / tau_ms)
    factor_slips = [
        (
            tau_ms / 1000.0,
            f"V moves 1000 times too fast: tau_ms was converted to seconds ({tau_ms / 1000:g}) while dt_ms stayed in ms",
            "dt_ms and tau_ms are both in ms already: use them as they are, without converting either.",
        ),
        (
            tau_ms * 1000.0,
            f"V moves 1000 times too slowly: dt_ms was converted to seconds ({dt_ms / 1000:g}) while tau_ms stayed in ms",
            "dt_ms and tau_ms are both in ms already: use them as they are, without converting either.",
        ),
        (
            -dt_ms / math.log(-math.expm1(-dt_ms / tau_ms)),
            "the two weights of the update are swapped: the old V is weighted by 1 - exp(-dt/tau) and the input by "
            f"exp(-dt/tau) = {alpha:.4g}, so V jumps almost all the way to the input in one step",
            "in one short step V should change only a little: the old V keeps the large weight exp(-dt/tau), "
            "close to 1, and the input gets the small remainder.",
        ),
    ]
    for tau_variant, message, hint in factor_slips:
        if same(v, case.reference(tau_ms=tau_variant).v, rtol=0.0, atol=_TOLERANCE):
            return Feedback(message, hint=hint)
    if np.all(case.I == case.I[0]):
        # exp(+dt/tau) instead of exp(-dt/tau): with a constant input I0 and no spike,
        # V_k = I0 (1 - exp(k dt / tau)), which runs away from I0 instead of settling at it.
        runaway = runaway_trace(case.I[0], case.I.size, tau_ms, dt_ms)
        if same(v, runaway, rtol=1e-9, atol=_TOLERANCE):
            return Feedback(
                f"V runs away from the input instead of settling at it: with the constant input {case.I[0]:g}, "
                f"V_rec ends at {v[-1]:.4g}; the exponent of the decay factor has the wrong sign",
                hint="the difference between V and the input must shrink in each step, so the decay factor "
                "exp(...) has to be below 1: its exponent is negative.",
            )

    # A fixed number in place of one of the arguments.
    for name, value in case.kwargs.items():
        default = TEMPLATE_DEFAULTS[name]
        if value != default and same(v, case.reference(**{name: default}).v, rtol=0.0, atol=_TOLERANCE):
            return Feedback(
                f"your lif ignores its {name} argument: with {name}={value:g} it gives the "
                f"result for {name}={default:g}",
                hint=f"use the argument {name} inside the function rather than the number {default:g}.",
            )

    # Nothing specific: say where it first goes wrong, and whether a spike came just before.
    wrong = np.flatnonzero(np.abs(v - expected) > _TOLERANCE)
    first = int(wrong[0])
    where = (
        f"first at t = {first * dt_ms:g} ms (V_rec[{first}] = {v[first]:.6g}, expected {expected[first]:.6g})"
    )
    if first > 0 and np.any(np.isclose(reference.spike_times_ms, first * dt_ms)):
        return Feedback(
            f"V_rec is right until the spike at t = {first * dt_ms:g} ms and wrong after it: {where}",
            hint="check what happens at a spike: V is set to the reset value.",
        )
    return Feedback(
        f"V_rec differs from the reference, {where}; {first_difference(v, expected)}",
        hint="check the update of V over one step: with the input held at its value for step k, the distance "
        "between V and that input shrinks by the factor exp(-dt/tau) in each step (the hint above the exercise derives it).",
    )


def _diagnose_spikes(spikes: np.ndarray, case: LIFCase, expected: np.ndarray) -> Feedback:
    """Why the learner's spike times differ from the reference, when ``V_rec`` is right."""
    dt_ms = case.settings["dt_ms"]
    n_steps = case.I.size
    if spikes.size == n_steps and expected.size != n_steps and np.all((spikes == 0) | (spikes == 1)):
        return Feedback(
            "spike_times_ms looks like a 0/1 raster (one entry per time step), not a list of spike times",
            hint="append the time (k + 1) * dt_ms to spike_times_ms when a spike happens in step k.",
        )
    if expected.size == 0:
        return Feedback(
            f"expected no spikes (V never reaches the threshold), got {spikes.size}: {first_values(spikes)}",
            hint="record a spike only when V > threshold after the update.",
        )
    if spikes.size != expected.size:
        return Feedback(
            f"expected {expected.size} spikes, got {spikes.size}; expected times {first_values(expected)}, "
            f"got {first_values(spikes)}",
            hint="append the spike time once per threshold crossing, just before resetting V.",
        )
    # The same number of spikes at the wrong times: try the usual unit and off-by-one slips.
    slips = [
        (
            expected / dt_ms,
            "spike times in steps, not ms: they are the expected times divided by dt_ms",
            "multiply by dt_ms: the spike time of step k is (k + 1) * dt_ms.",
        ),
        (
            expected / dt_ms - 1,
            "spike times in steps, not ms: they are the step indices k",
            "a spike during step k happens at (k + 1) * dt_ms, in ms.",
        ),
        (
            expected - dt_ms,
            "spike times are one step early: you used k * dt_ms",
            "V crosses the threshold during step k, so the spike is stamped at the end of the step, (k + 1) * dt_ms.",
        ),
        (
            expected + dt_ms,
            "spike times are one step late: you used (k + 2) * dt_ms",
            "a spike during step k is stamped (k + 1) * dt_ms.",
        ),
        (
            expected / 1000.0,
            "spike times in seconds, not ms",
            "keep times in ms: the spike time is (k + 1) * dt_ms.",
        ),
    ]
    for times, message, hint in slips:
        if np.allclose(spikes, times, rtol=0.0, atol=_TOLERANCE):
            return Feedback(message, hint=hint)
    return Feedback(
        f"spike times differ: expected {first_values(expected)}, got {first_values(spikes)}; "
        f"{first_difference(spikes, expected)}",
        hint="a spike during step k is stamped (k + 1) * dt_ms.",
    )


@check("LIF neuron")
def check_lif(lif: Callable) -> Iterator[str]:
    """Check the learner's ``lif(I, tau_ms=..., dt_ms=..., threshold=..., reset=...)``.

    The function must return ``(V_rec, spike_times_ms)`` with the conventions of
    :func:`neuro4ml.models.neurons.lif`: ``V_rec[k]`` is ``V`` before the update of step
    ``k`` and a spike in step ``k`` is at ``(k + 1) * dt_ms``. Each input of
    :func:`~neuro4ml.tasks.w1.lif_cases` is compared with the library; a difference is explained by
    :func:`_diagnose_trace` or :func:`_diagnose_spikes`.
    """
    for case in lif_cases():
        out = call(lif, "lif", case.I.copy(), **case.kwargs)
        v_value, spikes_value = _unpack(out, case.I.size)
        v = _membrane_trace(v_value, case.I.size)
        reference = case.reference()
        if not same(v, reference.v, rtol=0.0, atol=_TOLERANCE):
            raise in_case(case.description, _diagnose_trace(v, case, reference))
        spikes = as_array(
            spikes_value, "spike_times_ms", ndim=1, hint="return the spike times as a 1-D array, np.array(spike_times_ms)."
        )
        expected = reference.spike_times_ms
        if not same(spikes, expected, rtol=0.0, atol=_TOLERANCE):
            raise in_case(case.description, _diagnose_spikes(spikes, case, expected))
        yield f"{case.description}: V_rec and the {expected.size} spike time(s) match"


# ---------------------------------------------------------------------------
# Part 2: fitting a LIF neuron to data
# ---------------------------------------------------------------------------

def _parameter(value: object, name: str) -> float:
    """One fitted parameter as a float (see :func:`~neuro4ml.check.core.as_number`)."""
    return as_number(
        value,
        name,
        hint="unpack the optimiser's result, e.g. `tau_ms, a, b = result.x`, and check that your loss "
        "returns a finite number for your starting point.",
    )


#: Known mistakes in the loss, each a function of ``(params, reference loss)``.
LOSS_MISTAKES = (
    Mistake(
        lambda params, expected: score(*params, repeats=range(10)),
        "your loss uses all ten repeats, including the held-out repeats 7-9",
        "fit on the training repeats 0-6 only (`train` from data.split()).",
    ),
    Mistake(
        lambda params, expected: score(*params, repeats=TEST_REPEATS),
        "your loss uses the held-out repeats 7-9",
        "fit on the training repeats 0-6 (`train` from data.split()); the test repeats are for scoring.",
    ),
    Mistake(
        lambda params, expected: expected * len(TRAIN_REPEATS),
        "your loss is the sum of the distances, not their mean",
        "use mean_van_rossum_distance, or divide by the number of repeats.",
    ),
)


@check("LIF loss")
def check_loss(loss: Callable) -> Iterator[str]:
    """Check the learner's ``loss(tau_ms, a, b)``: :func:`score` on :data:`TRAIN_REPEATS`."""
    for params in (STARTING_GUESS, (10.0, 1.5, -0.3)):
        value = call(loss, "loss", *params)
        if isinstance(value, (tuple, list)) or (isinstance(value, np.ndarray) and value.size > 1):
            raise Feedback(
                f"loss returned {describe(value)}; it should return one number, the mean distance over the repeats",
                hint="return only the loss: the optimiser minimises a function that returns one number "
                "(mean_van_rossum_distance already averages over the repeats).",
            )
        got = as_number(value, "the loss", allow_one_element=False)
        expected = score(*params, repeats=TRAIN_REPEATS)
        label = "loss({:g}, {:g}, {:g})".format(*params)
        if close(got, expected):
            yield f"{label} = {got:.4f}"
            continue
        mistake = diagnose(got, expected, LOSS_MISTAKES, context=(params, expected))
        if mistake:
            raise Feedback(f"{label}: {mistake.message}", hint=mistake.hint)
        raise Feedback(
            f"{label}: your loss is {off_by(got, expected)}",
            hint="the loss drives the library's LIF neuron (time constant tau_ms, the data's time step) with the "
            "training current scaled by a and shifted by b, and averages the van Rossum distance (time constant "
            "VAN_ROSSUM_TAU_MS) between its spikes and the recorded ones over the training repeats.",
        )


def _diagnose_fit(tau_ms: float, a: float, b: float, result: float) -> Feedback | None:
    """A fit that is good once its parameters are put in order or tau is read in ms, or None.

    Tries the other five orders of the three numbers and ``tau_ms`` times 1000 (a time
    constant in seconds); a variant counts when it scores better than both the learner's
    parameters and the starting guess.
    """
    named = {"tau_ms": tau_ms, "a": a, "b": b}
    names = tuple(named)
    variants = []
    for order in itertools.permutations(names):
        if order != names:
            # Parameter j is read from the learner's slot order[j]: that slot holds names[j].
            values = tuple(named[slot] for slot in order)
            held = [names[order.index(slot)] for slot in names]
            variants.append((
                values,
                f"your numbers look like ({', '.join(held)}), in the wrong order",
                "give tau_ms, a and b in the order of the loss's arguments: unpack the optimiser's result the way "
                "your objective function read it.",
            ))
    if 0 < tau_ms < 1.0:
        variants.append((
            (tau_ms * 1000.0, a, b),
            f"tau_ms = {tau_ms:g} looks like a time in seconds",
            "the model's time constant is in ms.",
        ))
    threshold = min(result, score(*STARTING_GUESS))
    held_out = fitting_data().subset(TEST_REPEATS)
    recorded = sum(len(times) for times in held_out.spike_times_ms)
    for values, message, hint in variants:
        if values[0] <= 0:
            continue
        with np.errstate(all="ignore"):
            try:
                # A variant firing more than twice or less than half as often as the data cannot score
                # well; counting its spikes is cheap, its distance to the data is not.
                run = neurons.lif(values[1] * held_out.I_nA + values[2], tau_ms=values[0], dt_ms=held_out.dt_ms, record_v=False)
                if not (recorded / 2 <= sum(len(times) for times in run.spike_times_ms) <= 2 * recorded):
                    continue
                value = score(*values)
            except ValueError:
                continue
        if value < threshold:
            shown = ", ".join(f"{name} = {v:.4g}" for name, v in zip(named, values))
            return Feedback(f"{message}: read as {shown} they score {value:.3f}", hint=hint)
    return None


@check("LIF fit")
def check_fit(tau_ms: float, a: float, b: float) -> Iterator[str]:
    """Score the learner's fitted ``(tau_ms, a, b)`` on the held-out repeats.

    "Not implemented yet" while a parameter is the ``...`` placeholder or the
    parameters are still :data:`STARTING_GUESS`; fails when a parameter is not a
    finite number, when ``tau_ms <= 0``, when the score is no better than the
    starting guess's, or when it is above :data:`PASS_SCORE`; passes otherwise,
    reporting the score.
    """
    tau_ms, a, b = (_parameter(value, name) for value, name in ((tau_ms, "tau_ms"), (a, "a"), (b, "b")))
    if tau_ms <= 0:
        raise Feedback(
            f"tau_ms must be positive, got {tau_ms:g}: it is a time constant",
            hint="an optimiser may wander to negative values; optimise log(tau_ms) instead, or bound it.",
        )
    if (tau_ms, a, b) == STARTING_GUESS:
        raise Feedback("tau_ms, a, b are still the starting guess: run your fit.", status=NOT_IMPLEMENTED)
    start = score(*STARTING_GUESS)
    result = reference(score, tau_ms, a, b, about=f"tau_ms = {tau_ms:g}, a = {a:g}, b = {b:g}")
    summary = f"held-out score {result:.3f} (starting guess {start:.3f}, target {PASS_SCORE})"
    if not (result <= PASS_SCORE):
        slip = _diagnose_fit(tau_ms, a, b, result)
        if slip:
            raise Feedback(f"{summary}: {slip.message}", hint=slip.hint)
    if not (result < start):
        raise Feedback(
            f"{summary}: no better than the starting guess",
            hint="did the fit run, and did you assign its result to tau_ms, a and b? "
            "Check that your loss goes down during the fit.",
        )
    if not (result <= PASS_SCORE):
        raise Feedback(
            f"{summary}: better than the start, but above the target",
            hint="the loss has many local minima: start from the best point of a coarse grid over "
            "tau_ms, a and b, then refine with an optimiser (Nelder-Mead or CMA-ES).",
        )
    yield f"{summary}: well done"


@check("adaptive LIF fit")
def check_adaptive_fit(params: dict[str, float]) -> Iterator[str]:
    """Score the optional extension's fitted adaptive LIF neuron on the held-out repeats.

    ``params`` is a dict with the keys :data:`ADAPTIVE_PARAMETERS`; it passes with
    a :func:`score_adaptive` at or below :data:`ADAPTIVE_PASS_SCORE`.
    """
    require(params, "adaptive_params")
    if not isinstance(params, dict):
        raise Feedback(
            f"expected adaptive_params to be a dict, got {type(params).__name__}",
            hint="e.g. {'tau_ms': 10.0, 'a': 1.0, 'b': 0.0, 'tau_w_ms': 100.0, 'adaptation': 0.1}",
        )
    missing = [name for name in ADAPTIVE_PARAMETERS if name not in params]
    extra = [name for name in params if name not in ADAPTIVE_PARAMETERS]
    if missing or extra:
        raise Feedback(
            f"adaptive_params should have the keys {', '.join(ADAPTIVE_PARAMETERS)}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unexpected {', '.join(map(str, extra))}" if extra else "")
        )
    values = {name: _parameter(params[name], name) for name in ADAPTIVE_PARAMETERS}
    for name in ("tau_ms", "tau_w_ms"):
        if values[name] <= 0:
            raise Feedback(f"{name} must be positive, got {values[name]:g}: it is a time constant")
    if values["adaptation"] < 0:
        raise Feedback(
            f"adaptation must be >= 0, got {values['adaptation']:g}",
            hint="a negative increment would make each spike excite the neuron; optimise log(adaptation).",
        )
    result = reference(
        score_adaptive, **values, about="adaptive_params " + ", ".join(f"{k} = {v:g}" for k, v in values.items())
    )
    summary = f"held-out score {result:.3f} (target {ADAPTIVE_PASS_SCORE}; the LIF target was {PASS_SCORE})"
    if not (result <= ADAPTIVE_PASS_SCORE):
        raise Feedback(
            f"{summary}: above the target",
            hint="start from your fitted LIF parameters, with tau_w_ms around 100 ms and a small adaptation.",
        )
    yield f"{summary}: adaptation helps"
