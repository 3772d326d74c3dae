"""Answer checks for the week 2 exercise: synapses and networks.

Part 1, the biexponential synapse:

* :func:`check_euler` runs the learner's forward-Euler integrator on several spike
  trains and compares it with :func:`neuro4ml.models.synapses.biexponential_euler`; when
  they differ it finds the slip that explains the difference exactly (a missing
  :math:`1/\\tau`, the time step in seconds, the new ``x`` used in the update of
  ``I``, the spike added to the wrong variable, ...).
* :func:`check_derivatives` compares the learner's right-hand side for
  ``scipy.integrate.solve_ivp`` with the model's matrix,
  :meth:`neuro4ml.models.synapses.Biexponential.matrix`.
* :func:`check_peak_delays` compares the learner's grid of measured peak times with
  the closed form :func:`neuro4ml.models.synapses.biexponential_peak_time_ms`.
* :func:`check_delay_population` runs :func:`delay_population` with the learner's
  time constants and weights and says whether each neuron fires exactly once, at a
  delay of its own.

Part 2, the order-sensitive network: :func:`check_order_network` compares the
learner's wiring with :func:`neuro4ml.models.networks.order_sensitive_network` on small
probes, membrane potential by membrane potential, and :func:`check_counts_vs_delay`
compares the learner's tuning-curve function with
:func:`neuro4ml.models.networks.order_sensitive_counts`.

Part 3, slow inhibition: :func:`check_ambiguity_width` checks the learner's summary
of a tuning curve, and :func:`check_inhibition_sweep` checks that the learner's
tuning curves lose their order sensitivity as the inhibition slows down.

Part 4 (optional): :func:`score_delay_estimator` scores a delay estimator on held-out
pairs of spike trains (:func:`delay_trials`), and :func:`check_delay_estimator`
turns the score into a verdict.

All times are in ms, as in the library.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from neuro4ml.check.core import (
    Feedback,
    Tolerance,
    as_array,
    as_number,
    call,
    check,
    close,
    describe,
    first_difference,
    first_values,
    in_case,
    off_by,
    reference,
    same,
    size_of,
)
from neuro4ml.models.networks import (
    Network,
    NetworkRun,
    order_sensitive_counts,
    order_sensitive_network,
)
from neuro4ml.models.networks.delays import (  # reference code of parts 1d and 4 (re-exported for the notebook)
    HELD_OUT_TRIALS as _HELD_OUT_TRIALS,
)
from neuro4ml.models.networks.delays import (
    POPULATION_DURATION_MS,
    POPULATION_TAU_MS,
    DelayTrial,
    delay_population,
    delay_trials,
    score_delay_estimator,
)
from neuro4ml.models.spikes import delayed_pair_trains
from neuro4ml.models.synapses import (
    Biexponential,
    biexponential_euler,
    biexponential_trace,
)
from neuro4ml.tasks.w2 import (
    PEAK_DT_MS,
    PEAK_DURATION_MS,
    SWEEP_DELAYS_MS,
    SWEEP_SEEDS,
    SWEEP_TAUS_MS,
    TAU_DECAY_VALUES_MS,
    TAU_RISE_VALUES_MS,
    sweep_reference,
)
from neuro4ml.tasks.w2 import (
    SWEEP_TOLERANCE_MS as _SWEEP_TOLERANCE_MS,
)
from neuro4ml.tasks.w2 import (
    EulerCase as _EulerCase,
)
from neuro4ml.tasks.w2 import (
    ambiguity_width_ms as _ambiguity_width_ms,
)
from neuro4ml.tasks.w2 import (
    euler_cases as _euler_cases,
)
from neuro4ml.tasks.w2 import (
    forward_euler as _forward_euler,
)
from neuro4ml.tasks.w2 import (
    measured_peak_grid as _measured_peak_grid,
)
from neuro4ml.tasks.w2 import (
    peak_delay_grid as _peak_delay_grid,
)
from neuro4ml.tasks.w2 import (
    width_cases as _width_cases,
)

__all__ = [
    "DELAY_PASS_MAE_MS",
    "MIN_DELAY_GAP_MS",
    "MIN_POPULATION_SIZE",
    "PEAK_DT_MS",
    "PEAK_DURATION_MS",
    "POPULATION_DURATION_MS",
    "POPULATION_TAU_MS",
    "SWEEP_DELAYS_MS",
    "SWEEP_SEEDS",
    "SWEEP_TAUS_MS",
    "TAU_DECAY_VALUES_MS",
    "TAU_RISE_VALUES_MS",
    "DelayTrial",
    "check_ambiguity_width",
    "check_counts_vs_delay",
    "check_delay_estimator",
    "check_delay_population",
    "check_derivatives",
    "check_euler",
    "check_inhibition_sweep",
    "check_order_network",
    "check_peak_delays",
    "delay_population",
    "delay_trials",
    "score_delay_estimator",
]

# Arrays are compared with core.same: to 1e-9 relative, 1e-12 absolute. Algebraically
# equal ways of writing an update differ by rounding, about 1e-16 per step, far below this.

# ---------------------------------------------------------------------------
# Part 1a: forward Euler for the biexponential synapse
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Slip:
    """A mistake in the equations, as a scaling of each row of the matrix :math:`A`.

    Scaling row 0 changes the equation of :math:`x`, row 1 that of :math:`I`: a
    missing :math:`1/\\tau` multiplies a row by :math:`\\tau`, a sign error by -1,
    and so on. ``scaling(tau_rise_ms, tau_decay_ms)`` returns the two factors.
    """

    message: str
    hint: str
    scaling: Callable[[float, float], tuple[float, float]]

    def matrix(self, matrix: np.ndarray, tau_rise_ms: float, tau_decay_ms: float) -> np.ndarray:
        return np.diag(self.scaling(tau_rise_ms, tau_decay_ms)) @ matrix


_RATE_HINT = (
    "each equation gives a rate of change once you divide both sides by its time constant: x decays with "
    "tau_rise_ms, and I relaxes towards x with tau_decay_ms."
)

#: Mistakes in the two equations, shared by :func:`check_derivatives` and :func:`check_euler`.
_EQUATION_SLIPS = (
    _Slip(
        "the equations are missing their 1/tau factors",
        f"divide each rate of change by its time constant: {_RATE_HINT}",
        lambda tau_r, tau_d: (tau_r, tau_d),
    ),
    _Slip(
        "the equation of x is missing its 1/tau_rise_ms factor",
        "the rate of change of x is its equation's right-hand side divided by tau_rise_ms.",
        lambda tau_r, tau_d: (tau_r, 1.0),
    ),
    _Slip(
        "the equation of I is missing its 1/tau_decay_ms factor",
        "the rate of change of I is its equation's right-hand side divided by tau_decay_ms.",
        lambda tau_r, tau_d: (1.0, tau_d),
    ),
    _Slip(
        "the rates are multiplied by the time constants instead of divided by them",
        f"a time constant divides: {_RATE_HINT}",
        lambda tau_r, tau_d: (tau_r**2, tau_d**2),
    ),
    _Slip(
        "tau_rise_ms and tau_decay_ms are swapped",
        "x rises and falls with tau_rise_ms (tau_rise_ms dx/dt = -x); I follows x with tau_decay_ms.",
        lambda tau_r, tau_d: (tau_r / tau_d, tau_d / tau_r),
    ),
    _Slip(
        "the sign of dI/dt is reversed: I moves away from x instead of towards it",
        "tau_decay_ms dI/dt = x - I: I grows while it is below x.",
        lambda tau_r, tau_d: (1.0, -1.0),
    ),
    _Slip(
        "the sign of dx/dt is reversed: x grows instead of decaying",
        "tau_rise_ms dx/dt = -x: x decays back to 0 after each spike.",
        lambda tau_r, tau_d: (-1.0, 1.0),
    ),
)

#: The time step converted to seconds: every rate of change is 1000 times too small.
_SECONDS_SLIP = _Slip(
    "the time step was converted to seconds: your variables change 1000 times too slowly",
    "keep everything in ms: the step is dt_ms, and the time constants are in ms too.",
    lambda tau_r, tau_d: (1e-3, 1e-3),
)


def _unpack_pair(out: object, function: str, names: tuple[str, str], n_steps: int) -> tuple[object, object]:
    """The learner's two returned traces, with a message for each wrong structure."""
    pair = f"({names[0]}, {names[1]})"
    if out is None:
        raise Feedback(
            f"{function} returned None: did you forget the `return`?",
            hint=f"the template ends with `return {names[0]}, {names[1]}`; keep that line.",
        )
    if isinstance(out, np.ndarray) and out.ndim == 2 and out.shape[0] == 2:
        out = (out[0], out[1])  # stacked rows: their lengths are checked below
    if isinstance(out, np.ndarray) or not isinstance(out, (tuple, list)):
        raise Feedback(
            f"{function} returned {describe(out)}; it should return two arrays, {pair}",
            hint=f"end the function with `return {names[0]}, {names[1]}`.",
        )
    if len(out) != 2:
        raise Feedback(
            f"{function} returned {len(out)} values; it should return two, {pair}",
            hint=f"end the function with `return {names[0]}, {names[1]}`.",
        )
    for value, name in zip(out, names):
        size = size_of(value)
        if size is None:
            as_array(value, name)  # says what it is instead of numbers
        if size != n_steps:
            raise Feedback(
                f"expected {name} to have one value per time step ({n_steps}), got {size}",
                hint=f"create {name} with np.zeros(len(jumps)) and fill every entry; "
                "the loop runs over k = 0 .. len(jumps) - 2 and sets entry k + 1.",
            )
    return out


def _diagnose_euler(x: np.ndarray, current: np.ndarray, case: _EulerCase) -> Feedback:
    """Why the learner's Euler traces differ from the library's: the first slip that explains them."""
    expected_x, expected_i = biexponential_euler(list(case.spike_times_ms), **case.kwargs)
    matrix, kicks, dt_ms = case.matrix(), case.kicks(), case.dt_ms

    def matches(traces: tuple[np.ndarray, np.ndarray]) -> bool:
        return same(x, traces[0]) and same(current, traces[1])

    if same(x, expected_i) and same(current, expected_x):
        return Feedback("x and I are swapped in what you return", hint="return x first, then I: `return x, I`.")
    if matches(_forward_euler(matrix, kicks, dt_ms, semi_implicit=True)):
        return Feedback(
            "you updated I with the new x (x[k + 1], a semi-implicit step) instead of the old one, x[k]",
            hint="forward Euler computes both new values from the old state: the update of I at step k uses "
            "x[k], not the x[k + 1] you have just computed.",
        )
    for slip in (*_EQUATION_SLIPS, _SECONDS_SLIP):
        variant = slip.matrix(matrix, case.tau_rise_ms, case.tau_decay_ms)
        if matches(_forward_euler(variant, kicks, dt_ms)):
            return Feedback(slip.message, hint=slip.hint)
    if not np.any(x) and not np.any(current):
        return Feedback(
            "x and I stay 0 all the time: the spikes never enter",
            hint="at every step add the spikes arriving at the new time to x, and start x with the spikes at t = 0.",
        )
    jump_slips = [
        ((0.0, 1.0), "the spike jump was added to I instead of x",
         "a spike makes x jump; I only follows x, smoothly."),
        ((1.0, 1.0), "the spike jump was added to both x and I",
         "a spike makes only x jump; I then rises smoothly towards x."),
    ]
    for jump, message, hint in jump_slips:
        if matches(_forward_euler(matrix, kicks, dt_ms, jump=jump)):
            return Feedback(message, hint=hint)
    late = np.concatenate([kicks[:1], kicks[:-1]])  # x[k + 1] = ... + jumps[k]
    if matches(_forward_euler(matrix, late, dt_ms)):
        return Feedback(
            "each spike's jump arrives one step late: you added jumps[k] at step k + 1",
            hint="the new value x[k + 1] is at time (k + 1) * dt_ms, so it receives the jump of the spikes at that time.",
        )
    if kicks[0] and matches(_forward_euler(matrix, np.concatenate([[0.0], kicks[1:]]), dt_ms)):
        return Feedback(
            "the spike at t = 0 is missing",
            hint="the loop only adds the spikes of steps 1, 2, ...; the spikes at t = 0 must set x's first value before it.",
        )
    exact_x, exact_i = biexponential_trace(list(case.spike_times_ms), **case.kwargs)
    if same(x, exact_x) and same(current, exact_i):
        return Feedback(
            "this is the exact solution, not forward Euler",
            hint="well derived! But this task is the forward Euler step (the rates of change at the start of the "
            "step, times dt_ms), so that you can compare it with the exact solution below.",
        )
    if not same(x, expected_x):
        return Feedback(
            f"x differs from the reference: {first_difference(x, expected_x)}",
            hint="x[k + 1] is x[k] plus dt_ms times x's rate of change at step k, plus the jump of the spikes at the new time.",
        )
    return Feedback(
        f"x is right but I differs from the reference: {first_difference(current, expected_i)}",
        hint="I[k + 1] is I[k] plus dt_ms times I's rate of change, computed from the old x[k] and I[k].",
    )


@check("Euler integration of the biexponential synapse")
def check_euler(euler: Callable) -> Iterator[str]:
    """Check the learner's ``euler_biexponential(spike_times_ms, tau_rise_ms, tau_decay_ms, duration_ms, dt_ms, weight)``.

    It must return ``(x, I)`` as :func:`neuro4ml.models.synapses.biexponential_euler` does:
    sample ``k`` at ``k * dt_ms``, ``x[0]`` the jump of the spikes at 0, and

    .. math::
        x_{k+1} = x_k - \\Delta t\\, \\frac{x_k}{\\tau_r} + w\\, n_{k+1}, \\qquad
        I_{k+1} = I_k + \\Delta t\\, \\frac{x_k - I_k}{\\tau_d}.

    A difference is explained by :func:`_diagnose_euler`.
    """
    for case in _euler_cases():
        out = call(euler, "euler_biexponential", np.array(case.spike_times_ms), **case.kwargs)
        x_value, i_value = _unpack_pair(out, "euler_biexponential", ("x", "I"), case.n_steps)
        x = as_array(x_value, "x", ndim=1, finite=False)
        current = as_array(i_value, "I", ndim=1, finite=False)
        expected_x, expected_i = biexponential_euler(list(case.spike_times_ms), **case.kwargs)
        if not (same(x, expected_x) and same(current, expected_i)):
            feedback = _diagnose_euler(x, current, case)
            as_array(x, "x")  # a NaN or an infinity is the more basic problem, if no slip explains it
            as_array(current, "I")
            raise in_case(case.description, feedback)
        yield f"{case.description}: x and I match"


# ---------------------------------------------------------------------------
# Part 1b: the right-hand side for solve_ivp
# ---------------------------------------------------------------------------


@check("right-hand side for solve_ivp")
def check_derivatives(derivatives: Callable) -> Iterator[str]:
    r"""Check the learner's ``biexponential_derivatives(t_ms, state, tau_rise_ms, tau_decay_ms)``.

    For ``state`` :math:`= (x, I)` it must return :math:`(\dot x, \dot I) = A\,(x, I)`
    with :math:`A` the matrix of :class:`neuro4ml.models.synapses.Biexponential`, that is
    :math:`\dot x = -x/\tau_r` and :math:`\dot I = (x - I)/\tau_d`.
    """
    cases = [(2.0, 10.0, (1.0, 0.0)), (2.0, 10.0, (0.5, 0.2)), (1.5, 4.0, (0.3, 0.9))]
    for tau_rise_ms, tau_decay_ms, state in cases:
        label = f"state (x, I) = {state}, tau_rise = {tau_rise_ms:g} ms, tau_decay = {tau_decay_ms:g} ms"
        out = call(derivatives, "biexponential_derivatives", 0.0, np.array(state), tau_rise_ms, tau_decay_ms)
        got = as_array(out, "your result", finite=False).reshape(-1)
        if got.size != 2:
            raise Feedback(
                f"{label}: expected two numbers (dx/dt, dI/dt), got {got.size}",
                hint="return np.array([dx_dt, dI_dt]).",
            )
        matrix = Biexponential(tau_rise_ms, tau_decay_ms).matrix()
        expected = matrix @ np.array(state)
        if same(got, expected):
            yield f"{label}: (dx/dt, dI/dt) = ({got[0]:.4g}, {got[1]:.4g})"
            continue
        if same(got[::-1], expected):
            raise Feedback(
                f"{label}: the two derivatives are in the wrong order", hint="return (dx/dt, dI/dt), in the order of state = (x, I)."
            )
        for slip in _EQUATION_SLIPS:
            if same(got, slip.matrix(matrix, tau_rise_ms, tau_decay_ms) @ np.array(state)):
                raise Feedback(f"{label}: {slip.message}", hint=slip.hint)
        as_array(got, "your result")
        raise Feedback(
            f"{label}: expected (dx/dt, dI/dt) = ({expected[0]:.6g}, {expected[1]:.6g}), got ({got[0]:.6g}, {got[1]:.6g})",
            hint=_RATE_HINT,
        )


# ---------------------------------------------------------------------------
# Part 1c: peak delays over a grid of time constants
# ---------------------------------------------------------------------------

#: Other time steps a learner might have used, ms, to say which one when the values match it.
_OTHER_PEAK_STEPS_MS = (0.1, 0.01, 0.025, 0.02, 0.2, 0.25, 0.5, 1.0)
#: Largest difference from the Euler measurement accepted, ms: rounding only. Forward Euler
#: with dt = 0.05 ms puts the peak of this grid up to 0.11 ms before the formula's t*, so
#: the formula's values (and an exact solution's samples) differ from the measurement by
#: far more than this, and are recognised as what they are.
_PEAK_ROUNDING_MS = 1e-6


#: Peak times agree to rounding (:data:`_PEAK_ROUNDING_MS`).
_PEAK_TOLERANCE = Tolerance(rtol=0.0, atol=_PEAK_ROUNDING_MS)


@check("peak delays")
def check_peak_delays(peak_delays_ms: object) -> Iterator[str]:
    """Check the learner's grid of peak times, measured with the Euler integrator.

    ``peak_delays_ms[i, j]`` is the time of the largest sample of :math:`I` after one
    spike at 0, for ``tau_rise_ms = TAU_RISE_VALUES_MS[i]`` and ``tau_decay_ms =
    TAU_DECAY_VALUES_MS[j]``, from forward Euler with ``dt_ms =`` :data:`PEAK_DT_MS`
    over :data:`PEAK_DURATION_MS`: the measurement of the library's
    :func:`~neuro4ml.models.synapses.biexponential_euler` to rounding. The closed form
    :math:`t^* = \\frac{\\tau_r \\tau_d}{\\tau_d - \\tau_r}\\ln\\frac{\\tau_d}{\\tau_r}` is reported
    alongside, and recognised (with other time steps, steps instead of ms, seconds)
    when the learner gives it instead.
    """
    formula = _peak_delay_grid()
    expected = _measured_peak_grid(PEAK_DT_MS)
    shape = expected.shape
    got = as_array(peak_delays_ms, "peak_delays_ms", ndim=2)
    if got.shape == shape[::-1]:
        raise Feedback(
            f"peak_delays_ms has shape {got.shape}, the transpose of the expected {shape}",
            hint="one row per rise time constant (TAU_RISE_VALUES_MS) and one column per decay time constant.",
        )
    if got.shape != shape:
        raise Feedback(
            f"expected peak_delays_ms to have shape {shape} (rise x decay), got {got.shape}",
            hint="loop over w2.TAU_RISE_VALUES_MS (rows) and w2.TAU_DECAY_VALUES_MS (columns).",
        )
    if close(got, expected, _PEAK_TOLERANCE):
        off = formula - expected
        yield (
            f"all {got.size} measured peak delays match Euler with dt = {PEAK_DT_MS:g} ms; they range from "
            f"{expected.min():.2f} ms to {expected.max():.2f} ms, {off.min():.2f} to {off.max():.2f} ms before "
            "the formula's t*"
        )
        return
    if np.allclose(got, formula, rtol=0.0, atol=_PEAK_ROUNDING_MS):
        raise Feedback(
            "these are the values of the formula t*, not measurements: the task is to measure where your "
            f"Euler integrator's I peaks (dt_ms = {PEAK_DT_MS:g}), and compare that with the formula",
            hint="simulate one spike at t = 0 with your euler_biexponential for each pair of time constants, "
            "and find the time of the largest sample of I.",
        )
    if close(got, _measured_peak_grid(PEAK_DT_MS, exact=True), _PEAK_TOLERANCE):
        raise Feedback(
            "these are the peaks of the exact solution's samples, not of your Euler integrator's",
            hint="measure the peak of the I that your euler_biexponential returns.",
        )
    if not np.any(got):
        raise Feedback(
            "every peak delay is 0: that is where x peaks (it jumps at the spike), not I",
            hint="take the time of the largest value of I, the second returned trace.",
        )
    for dt_ms in (PEAK_DT_MS, *_OTHER_PEAK_STEPS_MS):
        measured = _measured_peak_grid(dt_ms)
        if close(got * dt_ms, measured, _PEAK_TOLERANCE):
            raise Feedback(
                f"the peak times are numbers of time steps of {dt_ms:g} ms, not ms: for tau_rise = 1 ms and "
                f"tau_decay = 10 ms you give {got[0, 0]:g}, which is {measured[0, 0]:.2f} ms",
                hint="convert the index of the largest sample into a time in ms with the time step.",
            )
        if close(got * 1000.0, measured, _PEAK_TOLERANCE):
            raise Feedback("the peak times are in seconds, not ms", hint="keep times in ms, as the time step is.")
        if dt_ms != PEAK_DT_MS and close(got, measured, _PEAK_TOLERANCE):
            raise Feedback(
                f"these are Euler measurements with dt = {dt_ms:g} ms; the task uses dt_ms = {PEAK_DT_MS:g}",
                hint=f"run euler_biexponential with dt_ms = {PEAK_DT_MS:g} and a duration of {PEAK_DURATION_MS:g} ms.",
            )
    error = np.abs(got - expected)
    worst = np.unravel_index(int(np.argmax(error)), shape)
    tau_rise, tau_decay = TAU_RISE_VALUES_MS[worst[0]], TAU_DECAY_VALUES_MS[worst[1]]
    raise Feedback(
        f"{np.count_nonzero(error > _PEAK_ROUNDING_MS)} of {got.size} peak delays differ from the Euler measurement "
        f"with dt = {PEAK_DT_MS:g} ms; the worst, for tau_rise = {tau_rise:g} ms and tau_decay = {tau_decay:g} ms, "
        f"is {got[worst]:.4g} ms instead of {expected[worst]:.4g} ms (the formula gives {formula[worst]:.4g} ms)",
        hint=f"measure the peak of I after one spike at t = 0 with dt_ms = {PEAK_DT_MS:g}, over "
        f"{PEAK_DURATION_MS:g} ms (long enough to contain every peak).",
    )


# ---------------------------------------------------------------------------
# Part 1d: a population that turns one spike into spikes at several delays
# ---------------------------------------------------------------------------

#: The smallest population :func:`check_delay_population` accepts.
MIN_POPULATION_SIZE = 5
#: Two neurons' spikes must be at least this far apart, ms, to count as different delays.
MIN_DELAY_GAP_MS = 1.0


def _population_parameters(
    tau_rise_ms: object, tau_decay_ms: object, weights: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three parameter arrays, checked for shape and range."""
    names = ("population_tau_rise_ms", "population_tau_decay_ms", "population_weights")
    arrays = [as_array(value, name, ndim=1) for value, name in zip((tau_rise_ms, tau_decay_ms, weights), names)]
    sizes = {array.size for array in arrays}
    if len(sizes) != 1:
        raise Feedback(
            "the three arrays must have one entry per neuron, but their lengths are "
            + ", ".join(f"{name} {array.size}" for name, array in zip(names, arrays)),
            hint="entry i of each array belongs to neuron i.",
        )
    rise, decay, weight = arrays
    if rise.size < MIN_POPULATION_SIZE:
        raise Feedback(
            f"the population has {rise.size} neurons; use at least {MIN_POPULATION_SIZE}",
            hint="add more entries to each of the three arrays.",
        )
    for name, array in zip(names, arrays):
        if np.any(array <= 0):
            i = int(np.flatnonzero(array <= 0)[0])
            if name == "population_weights":
                hint = "a weight of 0 or less makes the synapse silent or inhibitory, and the neuron would never fire."
            else:
                hint = "a time constant is how long the synaptic current takes to rise or decay: a duration in ms, > 0."
            raise Feedback(f"{name}[{i}] = {array[i]:.3g}: time constants and weights must be positive", hint=hint)
    if np.any(rise > decay):
        i = int(np.flatnonzero(rise > decay)[0])
        raise Feedback(
            f"neuron {i}: tau_rise = {rise[i]:g} ms is longer than tau_decay = {decay[i]:g} ms",
            hint="the rise is the faster of the two time constants: tau_rise_ms <= tau_decay_ms.",
        )
    return rise, decay, weight


@check("delay population")
def check_delay_population(tau_rise_ms: object, tau_decay_ms: object, weights: object) -> Iterator[str]:
    """Run :func:`delay_population` with the learner's parameters: each neuron must fire once, at its own delay.

    Passes when there are at least :data:`MIN_POPULATION_SIZE` neurons, each fires
    exactly one spike, and no two spikes are closer than :data:`MIN_DELAY_GAP_MS`.
    """
    rise, decay, weight = _population_parameters(tau_rise_ms, tau_decay_ms, weights)
    run = reference(delay_population, rise, decay, weight, about="these time constants and weights")
    for i, times in enumerate(run.spike_times_ms):
        label = f"neuron {i} (tau_rise = {rise[i]:.3g} ms, tau_decay = {decay[i]:.3g} ms, weight {weight[i]:.3g})"
        if times.size == 0:
            # The model is linear below threshold, so V scales with the weight.
            peak = float(run.v[i].max())
            raise Feedback(
                f"{label} never fires: its V peaks at {peak:.3f}, below the threshold 1",
                hint=f"V is proportional to the weight while it stays below threshold: a weight above "
                f"{weight[i] / peak:.3g} makes it reach 1.",
            )
        if times.size > 1:
            raise Feedback(
                f"{label} fires {times.size} times, at {first_values(times)} ms: after the reset its "
                "synaptic current is still strong enough to bring V back to threshold",
                hint="lower the weight (just above the smallest weight that fires is best), or shorten tau_decay.",
            )
        yield f"{label}: one spike at {times[0]:.1f} ms"
    delays = np.array([times[0] for times in run.spike_times_ms])
    order = np.argsort(delays)
    gaps = np.diff(delays[order])
    if np.any(gaps < MIN_DELAY_GAP_MS):
        k = int(np.argmin(gaps))
        a, b = int(order[k]), int(order[k + 1])
        raise Feedback(
            f"neurons {a} and {b} fire only {gaps[k]:.2f} ms apart (at {delays[a]:.1f} and {delays[b]:.1f} ms); "
            f"the delays must differ by at least {MIN_DELAY_GAP_MS:g} ms",
            hint="slower synapses (longer time constants) fire later: spread the time constants out.",
        )
    yield f"{delays.size} neurons fire once each, at {delays.min():.1f} to {delays.max():.1f} ms, at least {gaps.min():.1f} ms apart"


# ---------------------------------------------------------------------------
# Part 2a: the order-sensitive network
# ---------------------------------------------------------------------------

#: Time step of the network probes, ms.
_NETWORK_DT_MS = 0.1
#: The defaults of the exercise's ``order_network`` (those of the library's model).
_ORDER_DEFAULTS = {"weight": 1.5, "inhibition": 3.0, "tau_ms": 10.0}


@dataclass(frozen=True)
class _OrderProbe:
    """Input spike trains on which the learner's network is compared with the library's."""

    description: str
    trains: tuple[tuple[float, ...], tuple[float, ...]]
    kwargs: dict[str, float] = field(default_factory=dict)
    duration_ms: float = 40.0

    def spike_times_ms(self) -> list[np.ndarray]:
        return [np.array(train) for train in self.trains]

    def reference(self, **changes: float) -> NetworkRun:
        """The library's :func:`~neuro4ml.models.networks.order_sensitive_network` on this input."""
        kwargs = {**self.kwargs, **changes}
        return order_sensitive_network(self.spike_times_ms(), **kwargs).run(
            self.duration_ms, dt_ms=_NETWORK_DT_MS, record_v="output"
        )


def _order_probes() -> list[_OrderProbe]:
    """The probes of :func:`check_order_network`, each revealing one part of the wiring."""
    pair = delayed_pair_trains(100.0, 200.0, 3.0, rng=1)
    return [
        _OrderProbe("input 0 fires alone, at 10 ms", ((10.0,), ())),
        _OrderProbe("input 1 fires alone, at 10 ms", ((), (10.0,))),
        _OrderProbe("input 0 fires at 10 ms, input 1 at 15 ms", ((10.0,), (15.0,))),
        _OrderProbe("input 1 fires at 10 ms, input 0 at 15 ms", ((15.0,), (10.0,))),
        _OrderProbe("input 0 fires at 10 and 12 ms", ((10.0, 12.0), ())),
        _OrderProbe("weight=2.5: input 0 at 10 ms, input 1 at 15 ms", ((10.0,), (15.0,)), {"weight": 2.5}),
        _OrderProbe("inhibition=1.2: input 0 at 10 ms, input 1 at 15 ms", ((10.0,), (15.0,)), {"inhibition": 1.2}),
        _OrderProbe("tau_ms=4: input 0 at 10 ms, input 1 at 15 ms", ((10.0,), (15.0,)), {"tau_ms": 4.0}),
        _OrderProbe(
            "200 ms of 100 Hz Poisson spikes, input 1 a copy of input 0 delayed by 3 ms",
            (tuple(pair[0]), tuple(pair[1])),
            duration_ms=200.0,
        ),
    ]


def _run_network(order_network: Callable, probe: _OrderProbe, **changes: object) -> NetworkRun:
    """Build the learner's network for ``probe`` and run it, recording the outputs' V."""
    net = call(order_network, "order_network", probe.spike_times_ms(), **{**probe.kwargs, **changes})
    if net is None:
        raise Feedback("order_network returned None: did you forget the `return net`?", hint="keep the template's last line, `return net`.")
    if not isinstance(net, Network):
        raise Feedback(
            f"order_network returned a {type(net).__name__}; it should return the Network it built",
            hint="keep the template's last line, `return net`.",
        )
    if "output" not in net.group_names or net.size("output") != 2:
        raise Feedback(
            'the network needs a group "output" of 2 neurons',
            hint='keep the template\'s net.add_group("output", 2, tau_ms=tau_ms).',
        )
    try:
        return net.run(probe.duration_ms, dt_ms=_NETWORK_DT_MS, record_v="output")
    except Exception as exc:  # a connection the library accepted but cannot run
        raise Feedback(f"running your network raised {type(exc).__name__}: {exc}") from None


def _same_run(got: NetworkRun, expected: NetworkRun) -> bool:
    """Same output spikes and the same membrane potentials, to rounding."""
    spikes_match = all(
        a.shape == b.shape and np.allclose(a, b)
        for a, b in zip(got.spike_times_ms["output"], expected.spike_times_ms["output"])
    )
    return spikes_match and same(got.v["output"], expected.v["output"])


def _counts(run: NetworkRun) -> list[int]:
    return run.spike_counts("output").tolist()


def _diagnose_excitation(got: NetworkRun, probe: _OrderProbe) -> Feedback | None:
    """A wrong excitatory wiring, seen when one input fires alone (probes 0 and 1)."""
    source = 0 if probe.trains[0] else 1
    other = 1 - source
    at_spike = [np.isclose(times, 10.0).any() for times in got.spike_times_ms["output"]]
    if at_spike[other] and not at_spike[source]:
        return Feedback(
            f"input {source} made output {other} fire instead of output {source}: the excitatory connections are crossed",
            hint="input i excites output i: the excitatory weight matrix is diagonal (weights[i, j] goes from input i to output j).",
        )
    if at_spike[other]:
        return Feedback(
            f"input {source} made both outputs fire: it should excite only output {source}",
            hint="input i excites output i only: the off-diagonal entries of the excitatory weight matrix are 0.",
        )
    if not at_spike[source]:
        step = int(round(10.0 / _NETWORK_DT_MS))
        v = got.v["output"][source, step]
        what = "no excitatory connection reaches it" if v == 0 else f"its V only jumped to {v:.3g}"
        return Feedback(
            f"input {source} did not make output {source} fire at once: {what}",
            hint="each input spike must make its output fire: connect the inputs to the outputs, each to its own, "
            "(weight > 1, above the threshold).",
        )
    return None


def _diagnose_inhibition(got: NetworkRun, expected: NetworkRun, probe: _OrderProbe) -> Feedback | None:
    """A wrong lateral inhibition, seen just after the first output spike."""
    first = 0 if probe.trains[0] and (not probe.trains[1] or probe.trains[0][0] < probe.trains[1][0]) else 1
    other = 1 - first
    fired = got.spike_times_ms["output"][first]
    if fired.size == 0:
        return None
    after = int(round(fired[0] / _NETWORK_DT_MS)) + 1  # the inhibition arrives one step after the spike
    v_got, v_expected = got.v["output"][:, after], expected.v["output"][:, after]
    strength = probe.kwargs.get("inhibition", _ORDER_DEFAULTS["inhibition"])
    if np.isclose(got.spike_times_ms["output"][other], fired[0] + _NETWORK_DT_MS).any():
        return Feedback(
            f"output {other} fired one step after output {first}: the lateral connection excites instead of inhibiting",
            hint="the lateral weights must be negative, of size inhibition.",
        )
    if v_got[first] < v_expected[first] - 1e-9:
        return Feedback(
            f"output {first} inhibits itself: its V fell to {v_got[first]:.3g} right after its own spike",
            hint="lateral inhibition goes to the other output only: the diagonal of the inhibitory matrix is 0, "
            "and the off-diagonal entries are -inhibition.",
        )
    if close(v_got[other], 0.0, Tolerance(rtol=0.0, atol=1e-12)) and not close(v_expected[other], 0.0, Tolerance(rtol=0.0, atol=1e-12)):
        return Feedback(
            f"output {other} receives no inhibition when output {first} fires: its V stays at 0 "
            f"(expected {v_expected[other]:.3g})",
            hint="add a connection from the group \"output\" to itself, with negative weights between different outputs.",
        )
    if v_got[other] > 0:
        return Feedback(
            f"output {first}'s spike raised output {other}'s V to {v_got[other]:.3g}: the lateral weights are positive",
            hint="inhibitory weights are negative.",
        )
    if not close(v_got[other], v_expected[other], Tolerance(rtol=1e-6, atol=0.0)):
        return Feedback(
            f"output {first}'s spike moved output {other}'s V to {v_got[other]:.4g}, expected {v_expected[other]:.4g} "
            f"(an inhibition of {strength:g})",
            hint="each lateral weight is minus the argument inhibition.",
        )
    return None


def _diagnose_order_network(order_network: Callable, got: NetworkRun, expected: NetworkRun, probe: _OrderProbe) -> Feedback:
    """Why the learner's network behaves differently from the library's on ``probe``."""
    if probe.trains[0] and probe.trains[1]:
        feedback = None
    else:
        feedback = _diagnose_excitation(got, probe)
    feedback = feedback or _diagnose_inhibition(got, expected, probe)
    if feedback:
        return feedback
    for name, value in probe.kwargs.items():
        default = _ORDER_DEFAULTS[name]
        if _same_run(got, probe.reference(**{name: default})):
            return Feedback(
                f"your order_network ignores its {name} argument: with {name}={value:g} it behaves as with {name}={default:g}",
                hint=f"use the argument {name} rather than a fixed number.",
            )
    v_got, v_expected = got.v["output"], expected.v["output"]
    return Feedback(
        f"expected output spike counts {_counts(expected)}, got {_counts(got)}; the outputs' V: "
        f"{first_difference(v_got, v_expected)}",
        hint="input i excites output i only, with the weight `weight`; each output inhibits the other only, with "
        "the weight -inhibition; both connections make V jump at once, unless a slower inhibitory synapse is given.",
    )


def _check_inhibitory_synapse(order_network: Callable) -> str:
    """The ``inhibitory_synapse`` argument slows the inhibition and nothing else."""
    probe = _OrderProbe("with inhibitory_synapse=Biexponential(1.0, 5.0)", ((10.0,), (15.0,)))
    fast = probe.reference()
    slow = _run_network(order_network, probe, inhibitory_synapse=Biexponential(1.0, 5.0))
    if _same_run(slow, fast):
        raise Feedback(
            f"{probe.description} the network behaves exactly as with instantaneous inhibition: "
            "the inhibitory_synapse argument is ignored",
            hint="pass it to the inhibitory connection: net.connect(..., synapse=inhibitory_synapse).",
        )
    if not np.isclose(slow.spike_times_ms["output"][0], 10.0).any():
        raise Feedback(
            f"{probe.description} output 0 no longer fires at the moment input 0 does: "
            "the excitatory connection got the slow synapse too",
            hint="only the inhibitory connection takes synapse=inhibitory_synapse; the excitation stays instantaneous.",
        )
    if slow.v["output"][1].min() >= 0:
        raise Feedback(
            f"{probe.description} output 1 is never inhibited",
            hint="the inhibitory connection needs negative weights.",
        )
    return f"{probe.description}: the inhibition of output 1 builds up gradually"


@check("order-sensitive network")
def check_order_network(order_network: Callable) -> Iterator[str]:
    """Check the learner's ``order_network(input_spike_times_ms, weight, inhibition, tau_ms, inhibitory_synapse)``.

    On each probe of :func:`_order_probes` the learner's network must give the same
    output spikes and membrane potentials as
    :func:`neuro4ml.models.networks.order_sensitive_network`; a difference is explained by
    :func:`_diagnose_order_network`. Finally a slow ``inhibitory_synapse`` must
    change the behaviour, through the inhibition only.
    """
    for probe in _order_probes():
        got = _run_network(order_network, probe)
        expected = probe.reference()
        if not _same_run(got, expected):
            raise in_case(probe.description, _diagnose_order_network(order_network, got, expected, probe))
        yield f"{probe.description}: output spike counts {_counts(got)}, V matches"
    yield _check_inhibitory_synapse(order_network)


# ---------------------------------------------------------------------------
# Part 2b: spike counts against delay
# ---------------------------------------------------------------------------

#: The defaults of the exercise's ``counts_vs_delay``.
_COUNTS_DEFAULTS = {"rate_hz": 100.0, "duration_ms": 500.0, "dt_ms": 0.1, "seed": 0}


def _reference_counts(
    delays_ms: Sequence[float], *, rate_hz: float, duration_ms: float, dt_ms: float, seed: object, **network: float
) -> np.ndarray:
    """:func:`~neuro4ml.models.networks.order_sensitive_counts` at each delay, shape ``(delays, 2)``."""
    return np.array([
        order_sensitive_counts(d, rate_hz=rate_hz, duration_ms=duration_ms, dt_ms=dt_ms, rng=seed, **network)
        for d in delays_ms
    ])


@check("spike counts against delay")
def check_counts_vs_delay(counts_vs_delay: Callable) -> Iterator[str]:
    """Check the learner's ``counts_vs_delay(make_network, delays_ms, rate_hz=, duration_ms=, dt_ms=, seed=)``.

    For each delay :math:`\\delta` it must build the input pair with
    ``delayed_pair_trains(rate_hz, duration_ms, delta, rng=seed)`` (the same seed for
    every delay), run ``make_network(pair)`` and return the two outputs' spike counts,
    shape ``(delays, 2)``: with the library's network this is
    :func:`neuro4ml.models.networks.order_sensitive_counts` at each delay.
    """
    make_fast = functools.partial(order_sensitive_network, tau_ms=3.0)
    cases = [
        (
            "delays -4, -0.3, 0, 0.3, 2.5 and 7 ms; 200 ms at 60 Hz; dt = 0.5 ms; seed 3; a network with tau_ms = 3",
            make_fast, [-4.0, -0.3, 0.0, 0.3, 2.5, 7.0],
            {"rate_hz": 60.0, "duration_ms": 200.0, "dt_ms": 0.5, "seed": 3}, {"tau_ms": 3.0},
        ),
        ("delays -2 and 2 ms, default arguments", order_sensitive_network, [-2.0, 2.0], {}, {}),
    ]
    for description, make_network, delays, kwargs, network in cases:
        settings = {**_COUNTS_DEFAULTS, **kwargs}
        out = call(counts_vs_delay, "counts_vs_delay", make_network, np.array(delays), **kwargs)
        got = as_array(out, "the returned counts")
        expected = _reference_counts(delays, **settings, **network)
        if got.shape == expected.T.shape and got.shape != expected.shape:
            raise in_case(description, Feedback(
                f"the counts have shape {got.shape}; expected {expected.shape}, one row per delay",
                hint="return an array with one row (count of output 0, count of output 1) per delay, e.g. np.array(rows).",
            ))
        if got.shape != expected.shape:
            raise in_case(description, Feedback(
                f"expected counts of shape {expected.shape} (delays, outputs), got {got.shape}",
                hint="for each delay, keep both outputs' counts: run.spike_counts(\"output\").",
            ))
        if np.array_equal(got, expected):
            yield f"{description}: counts {expected.tolist()}"
            continue
        raise in_case(description, _diagnose_counts(got, expected, make_network, delays, settings, network))


def _diagnose_counts(
    got: np.ndarray, expected: np.ndarray, make_network: Callable, delays: list[float], settings: dict, network: dict
) -> Feedback:
    """Why the learner's counts differ from the reference."""
    if np.array_equal(got, expected[:, ::-1]):
        return Feedback("the two columns are swapped", hint="column 0 is output 0, column 1 output 1.")
    if np.allclose(got, expected * 1000.0 / settings["duration_ms"]):
        return Feedback("these are firing rates in Hz, not spike counts", hint="return run.spike_counts(\"output\").")
    shared = np.random.default_rng(settings["seed"])
    if np.array_equal(got, _reference_counts(delays, **{**settings, "seed": shared}, **network)):
        return Feedback(
            "each delay got different input trains: one random generator was shared by all the delays",
            hint="pass rng=seed to delayed_pair_trains for every delay, so that every delay sees the same "
            "Poisson train and the curve shows the effect of the delay alone.",
        )
    if network and np.array_equal(got, _reference_counts(delays, **settings)):
        return Feedback(
            "the counts are those of the default network, not of make_network's",
            hint="build the network with make_network(pair): the function must work for any network.",
        )
    for name in ("seed", "duration_ms", "rate_hz", "dt_ms"):
        if settings[name] != _COUNTS_DEFAULTS[name]:
            ignored = {**settings, name: _COUNTS_DEFAULTS[name]}
            if np.array_equal(got, _reference_counts(delays, **ignored, **network)):
                return Feedback(
                    f"your counts_vs_delay ignores its {name} argument",
                    hint=f"use the argument {name} rather than a fixed number.",
                )
    return Feedback(
        f"expected counts {expected.tolist()}, got {got.astype(int).tolist()}",
        hint="for each delay, draw the input pair with the given rate, duration, delay and seed, build the network "
        "from that pair with make_network, run it for duration_ms with the time step dt_ms, and keep both outputs' "
        "spike counts.",
    )


# ---------------------------------------------------------------------------
# Part 3: slow inhibition and the width of the ambiguous zone
# ---------------------------------------------------------------------------


def _width_slips(delays: np.ndarray, counts: np.ndarray) -> list[tuple[float, str, str]]:
    """``(value, message, hint)`` of each likely mistake in the ambiguity width of one tuning curve."""
    expected = _ambiguity_width_ms(delays, counts)
    spacing = delays[1] - delays[0]
    total = counts.sum(axis=1)
    preference = np.divide(counts[:, 0] - counts[:, 1], total, out=np.zeros(total.shape), where=total > 0)
    return [
        (expected / spacing, "the width is in numbers of delays, not ms",
         "multiply the sum by the spacing of the delays, the distance between two neighbouring delays."),
        ((delays[-1] - delays[0]) / spacing * expected, "the spacing was taken as the whole range of the delays, "
         "from the first to the last", "the spacing is the distance between two neighbouring delays."),
        (expected / spacing / delays.size, "this is the mean of 1 - |P|, not its sum times the spacing",
         "sum the ambiguity 1 - |P| over the delays and multiply by their spacing."),
        (spacing * np.sum(1.0 - preference), "the absolute value of P is missing",
         "a strong preference for either output, P = +1 or P = -1, is unambiguous: use 1 - |P|."),
        (spacing * np.sum(np.abs(preference)), "this sums |P|, the certainty, instead of the ambiguity 1 - |P|",
         "the ambiguity at a delay is 1 - |P|: 1 where the network cannot decide, 0 where it is sure."),
        (_ambiguity_width_ms(np.array([0.0, spacing]), counts[:2].T),
         "you read the rows counts[0] and counts[1]; the outputs are the columns",
         "counts has one row per delay and one column per output."),
    ]


@check("ambiguity width")
def check_ambiguity_width(ambiguity_width_ms: Callable) -> Iterator[str]:
    """Check the learner's ``ambiguity_width_ms(delays_ms, counts)`` against :func:`_ambiguity_width_ms`.

    The rectangle rule of the definition and the trapezoid rule
    (``np.trapezoid(1 - |P|, delays_ms)``) are both accepted. A wrong value is
    explained by the mistake of :func:`_width_slips` that gives the learner's values on
    every case (two mistakes can agree on one curve, not on all of them), or failing
    that on the first wrong case.
    """
    cases = _width_cases()
    answers = []
    for description, delays, counts in cases:
        value = call(ambiguity_width_ms, "ambiguity_width_ms", delays.copy(), counts.copy())
        try:
            answers.append(as_number(value, "the returned width", hint="the width is one number, in ms."))
        except Feedback as feedback:
            raise in_case(description, feedback) from None
    slips = [_width_slips(delays, counts) for _, delays, counts in cases]
    for k, ((description, delays, counts), got) in enumerate(zip(cases, answers)):
        expected = _ambiguity_width_ms(delays, counts)
        spacing = delays[1] - delays[0]
        total = counts.sum(axis=1)
        preference = np.divide(counts[:, 0] - counts[:, 1], total, out=np.zeros(total.shape), where=total > 0)
        ambiguity = 1.0 - np.abs(preference)
        trapezoid = expected - 0.5 * spacing * (ambiguity[0] + ambiguity[-1])
        if close(got, expected) or close(got, trapezoid):
            yield f"{description}: W = {got:.4g} ms"
            continue
        here = [i for i, (value, _, _) in enumerate(slips[k]) if close(got, value)]
        everywhere = [i for i in here if all(close(a, s[i][0]) for a, s in zip(answers, slips))]
        if everywhere or here:
            _, message, hint = slips[k][(everywhere or here)[0]]
            raise in_case(description, Feedback(message, hint=hint))
        raise in_case(description, Feedback(
            f"your W is {off_by(got, expected)}",
            hint="P = (n0 - n1) / (n0 + n1), with P = 0 where both counts are 0; W is the spacing of the delays "
            "times the sum of the ambiguity 1 - |P|.",
        ))


@check("slow inhibition sweep")
def check_inhibition_sweep(taus_ms: object, delays_ms: object, curves: object) -> Iterator[str]:
    """Check the learner's tuning curves for several inhibitory time constants.

    ``curves[i]`` holds the two outputs' counts at each of ``delays_ms`` for the
    inhibitory time constant ``taus_ms[i]``, summed over :data:`SWEEP_SEEDS`. The check
    computes the ambiguity width :math:`W` of each curve (:func:`_ambiguity_width_ms`)
    and passes when every width is within :data:`_SWEEP_TOLERANCE_MS` of the
    reference :func:`~neuro4ml.tasks.w2.sweep_reference` of the exercise's sweep (:data:`SWEEP_TAUS_MS`,
    :data:`SWEEP_DELAYS_MS`). It recognises a single seed instead of the sum, the
    peak-normalised synapse, and one time constant used for every curve.
    """
    taus = as_array(taus_ms, "inhibition_taus_ms", ndim=1)
    delays = as_array(delays_ms, "sweep_delays_ms", ndim=1)
    given = ", ".join(f"{t:g}" for t in SWEEP_TAUS_MS)
    if taus.shape != (len(SWEEP_TAUS_MS),) or not np.allclose(np.sort(taus), SWEEP_TAUS_MS):
        raise Feedback(
            f"inhibition_taus_ms is {first_values(taus)}; the check compares with reference values for the "
            f"exercise's time constants, {given} ms",
            hint="keep the given inhibition_taus_ms for the check; explore other values afterwards.",
        )
    if delays.shape != (len(SWEEP_DELAYS_MS),) or not np.allclose(delays, SWEEP_DELAYS_MS):
        raise Feedback(
            f"sweep_delays_ms is {first_values(delays)}; the check compares with reference values for the "
            "exercise's delays, -10 to 10 ms in steps of 1 ms",
            hint="keep the given sweep_delays_ms for the check; explore other values afterwards.",
        )
    counts = as_array(curves, "tuning_curves")
    if counts.shape != (taus.size, delays.size, 2):
        raise Feedback(
            f"expected tuning_curves of shape (time constants, delays, outputs) = {(taus.size, delays.size, 2)}, "
            f"got {counts.shape}",
            hint="stack the tuning curve of each time constant, in the order of inhibition_taus_ms, into one array.",
        )
    if np.any(counts < 0) or not np.all(counts == np.round(counts)):
        raise Feedback(
            "tuning_curves should hold spike counts: whole numbers >= 0",
            hint="stack the counts that counts_vs_delay returns (summed over the seeds), not rates or averages.",
        )
    order = np.argsort(taus)
    widths = np.array([_ambiguity_width_ms(delays, counts[i]) for i in order])
    listing = ", ".join(f"{w:.1f} ms (tau {t:g} ms)" for w, t in zip(widths, taus[order]))
    expected, reference_spikes = sweep_reference()
    if np.all(np.abs(widths - expected) <= _SWEEP_TOLERANCE_MS):
        yield f"ambiguity widths: {listing}"
        yield f"slower inhibition widens the ambiguous zone from {widths[0]:.1f} ms to {widths[-1]:.1f} ms, as it should"
        return
    summary = (
        f"your ambiguity widths are {listing}; expected "
        + ", ".join(f"{w:.1f}" for w in expected)
        + " ms"
    )
    spikes = float(counts.sum())
    if np.all(np.abs(widths - sweep_reference(normalise=True)[0]) <= _SWEEP_TOLERANCE_MS):
        raise Feedback(
            f"{summary}: these are the widths with a peak-normalised inhibitory synapse",
            hint="with normalise=True every synapse peaks at the same value, so a slower one carries more charge; "
            "the comparison keeps the charge fixed, so use the synapse's default normalisation (the weight is the "
            "jump of x) with the equal-charge inhibition given above.",
        )
    if abs(spikes - reference_spikes / len(SWEEP_SEEDS)) <= 0.15 * reference_spikes / len(SWEEP_SEEDS):
        raise Feedback(
            f"{summary}; your curves hold about a third of the reference's spikes: they look like one seed "
            "rather than the sum over three",
            hint="sum the tuning curves of the three seeds 0, 1 and 2 for each time constant.",
        )
    if np.ptp(widths) <= _SWEEP_TOLERANCE_MS and np.all(np.abs(widths - expected[-1]) <= _SWEEP_TOLERANCE_MS):
        raise Feedback(
            f"{summary}: every curve is that of the slowest inhibition",
            hint="each curve must use its own time constant. A function defined in a loop that looks up the loop "
            "variable when it is called sees its last value: bind the current value when you define it.",
        )
    if np.ptp(widths) <= _SWEEP_TOLERANCE_MS:
        raise Feedback(
            f"{summary}: the width does not change with the time constant",
            hint="each curve must use its own inhibitory synapse, Biexponential with the curve's time constant.",
        )
    raise Feedback(
        summary,
        hint="for each time constant tau use the inhibitory synapse Biexponential(tau / 2, tau) with the "
        "equal-charge inhibition of the text (h = 3, tau_m = 10 ms), the given delays, and sum the counts of "
        "seeds 0, 1 and 2.",
    )


# ---------------------------------------------------------------------------
# Part 4 (optional): estimating a delay from two spike trains
# ---------------------------------------------------------------------------


#: A delay estimator passes :func:`check_delay_estimator` with a held-out mean absolute
#: error at or below this, ms. Always answering 0 scores 4.07 ms; the library's
#: Jeffress network scores 0.42 ms with 21 outputs 1 ms apart and 0.31 ms with 41
#: outputs 0.5 ms apart (the 0.25 ms jitter of the copied spikes limits it).
DELAY_PASS_MAE_MS = 1.0


@check("delay estimator")
def check_delay_estimator(estimate_delay: Callable) -> Iterator[str]:
    """Score the learner's ``estimate_delay(input_spike_times_ms, duration_ms)`` on held-out trials.

    First a few practice trials (:func:`delay_trials`) catch an estimator that fails,
    returns something other than a number, or has the sign or the unit wrong; then
    :func:`score_delay_estimator` must be at most :data:`DELAY_PASS_MAE_MS`.
    """
    practice = delay_trials(4, seed=1)
    truth = np.array([t.delay_ms for t in practice])
    answers = []
    for trial in practice:
        value = call(estimate_delay, "estimate_delay", trial.input_spike_times_ms, trial.duration_ms)
        answers.append(as_number(value, "the estimated delay", hint="return one number, the delay in ms."))
    answers = np.array(answers)
    error = float(np.mean(np.abs(answers - truth)))
    if not (error <= DELAY_PASS_MAE_MS):
        if np.mean(np.abs(answers + truth)) <= DELAY_PASS_MAE_MS:
            raise Feedback(
                f"the estimates have the wrong sign: true delays {np.round(truth, 2).tolist()} ms, "
                f"estimates {np.round(answers, 2).tolist()} ms",
                hint="the delay is that of input 1 relative to input 0: positive when input 0 fires first.",
            )
        for scale, unit in ((10.0, "steps of 0.1 ms"), (20.0, "steps of 0.05 ms"), (1e-3, "seconds")):
            if np.mean(np.abs(answers / scale - truth)) <= DELAY_PASS_MAE_MS / 2:
                raise Feedback(
                    f"the estimates look like {unit}, not ms: true delays {np.round(truth, 2).tolist()}, "
                    f"estimates {np.round(answers, 3).tolist()}",
                    hint="return the delay in ms.",
                )
    yield f"{len(practice)} practice trials: mean absolute error {error:.2f} ms"

    def validated(input_spike_times_ms, duration_ms):
        # Through call() and as_number(), an exception, a NaN or a None on a held-out trial becomes a message.
        value = call(estimate_delay, "estimate_delay", input_spike_times_ms, duration_ms)
        return as_number(
            value, "the estimated delay on a held-out trial", hint="return one finite number, the delay in ms, on every trial."
        )

    score = score_delay_estimator(validated)
    summary = f"held-out mean absolute error {score:.2f} ms over {_HELD_OUT_TRIALS} trials (target {DELAY_PASS_MAE_MS:g} ms)"
    if not (score <= DELAY_PASS_MAE_MS):
        raise Feedback(
            f"{summary}: above the target",
            hint="look at the trials your estimator gets most wrong (w2.delay_trials): few spikes? many noise spikes?",
        )
    yield f"{summary}: well done"
