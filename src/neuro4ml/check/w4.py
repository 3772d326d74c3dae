"""Answer checks for the week 4 exercise: learning rules and STDP.

* :func:`check_stdp` runs the learner's ``fn(pre_times_ms, post_times_ms, A_plus,
  A_minus, tau_plus_ms, tau_minus_ms)``, which returns the total weight change of one
  synapse under all-to-all pair-based additive STDP with no bounds, on several spike
  trains and parameter sets, and compares it with
  :func:`neuro4ml.models.plasticity.pair_stdp_weight_change`. When they differ it recomputes
  the usual slips with the library (trace not decayed, :math:`\\Delta t` with the wrong
  sign, potentiation and depression swapped, nearest-neighbour pairing, times or time
  constants in seconds, a bound on the weight, a pair at :math:`\\Delta t = 0` counted,
  one time constant for both sides) and names the one that matches.
* :func:`check_latencies` compares the learner's first-spike latencies with
  :func:`neuro4ml.models.plasticity.first_spike_latencies_ms`.
* :func:`check_bimodal` checks the fractions of weights near the two bounds computed
  from a run, and that the run is bimodal.
* :func:`check_group_means` and :func:`check_winning_group` check the correlated-groups
  part: the mean weight per group, and which group wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from neuro4ml.models import plasticity
from neuro4ml.check.core import (
    Feedback,
    as_array,
    as_number,
    call,
    check,
    first_values,
    in_case,
    require,
    same,
)
from neuro4ml.models.spikes import poisson_spike_train

__all__ = [
    "check_bimodal",
    "check_group_means",
    "check_latencies",
    "check_stdp",
    "check_winning_group",
]

#: Relative and absolute tolerance of a weight change. Traces and direct sums over pairs
#: agree to about 1e-15 relative; a correct float32 implementation is off by up to about
#: 2e-6 relative, so 1e-5 passes it, while every diagnosed slip changes Δw by far more.
_RTOL, _ATOL = 1e-5, 1e-12


# ---------------------------------------------------------------------------
# Part 1: pair-based STDP with traces
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _STDPCase:
    """One pair of spike trains and one parameter set."""

    description: str
    pre: np.ndarray
    post: np.ndarray
    A_plus: float = 0.01
    A_minus: float = 0.012
    tau_plus_ms: float = 20.0
    tau_minus_ms: float = 30.0

    @property
    def params(self) -> tuple[float, float, float, float]:
        return self.A_plus, self.A_minus, self.tau_plus_ms, self.tau_minus_ms

    def all_pairs(self, pre=None, post=None, A_plus=None, A_minus=None, tau_plus_ms=None, tau_minus_ms=None) -> float:
        """The library's all-pairs sum with some inputs changed (for the mistaken variants)."""
        return plasticity.pair_stdp_weight_change(
            self.pre if pre is None else pre,
            self.post if post is None else post,
            self.A_plus if A_plus is None else A_plus,
            self.A_minus if A_minus is None else A_minus,
            self.tau_plus_ms if tau_plus_ms is None else tau_plus_ms,
            self.tau_minus_ms if tau_minus_ms is None else tau_minus_ms,
        )


def _stdp_cases() -> list[_STDPCase]:
    """Simplest first, so that a mistake shows on the simplest case that reveals it."""
    rng = np.random.default_rng(2024)
    pre_poisson = poisson_spike_train(20.0, 1000.0, rng=rng)
    post_poisson = poisson_spike_train(15.0, 1000.0, rng=rng)
    return [
        _STDPCase("one pre spike at 10 ms, one post spike at 15 ms", np.array([10.0]), np.array([15.0])),
        _STDPCase("one post spike at 10 ms, one pre spike at 25 ms", np.array([25.0]), np.array([10.0])),
        _STDPCase(
            "pre spikes at 10, 30, 45 ms and post spikes at 20, 40, 50 ms",
            np.array([10.0, 30.0, 45.0]), np.array([20.0, 40.0, 50.0]),
        ),
        _STDPCase(
            "pre spikes at 5, 12, 18 ms, then post spikes at 25, 31 ms (several pairs each)",
            np.array([5.0, 12.0, 18.0]), np.array([25.0, 31.0]),
        ),
        _STDPCase(
            "pre at 10 and 25 ms, post at 25 and 40 ms (one pair at the same time)",
            np.array([10.0, 25.0]), np.array([25.0, 40.0]),
        ),
        _STDPCase(
            "one post spike at 5 ms, then a pre and a post spike together at 25 ms",
            np.array([25.0]), np.array([5.0, 25.0]),
        ),
        _STDPCase(
            "pre spikes at 30, 10, 20 ms and post spikes at 25, 5 ms, given out of order",
            np.array([30.0, 10.0, 20.0]), np.array([25.0, 5.0]),
        ),
        _STDPCase(
            "Poisson trains over 1 s with A_plus=0.005, A_minus=0.00525, tau_plus=16.8 ms, tau_minus=33.7 ms",
            pre_poisson, post_poisson, 0.005, 0.00525, 16.8, 33.7,
        ),
        _STDPCase("no post spikes at all", np.array([5.0, 50.0]), np.array([])),
        _STDPCase("no pre spikes at all", np.array([]), np.array([5.0, 50.0])),
    ]


def _variants(case: _STDPCase) -> list[tuple[float, str, str]]:
    """``(value, what is wrong, hint)`` for each likely slip, computed with the library."""
    A_plus, A_minus, tau_plus, tau_minus = case.params
    same_time = float(np.sum(case.post[:, None] == case.pre[None, :]))
    never = 1e15  # a time constant so long that nothing decays
    clipped = plasticity.stdp_synapse(
        case.pre, case.post,
        plasticity.STDPRule(A_plus, A_minus, tau_plus, tau_minus, w_max=1e300, bounded=True), w0=0.0,
    ).w_final if (case.pre.size + case.post.size) else 0.0
    return [
        (case.all_pairs(tau_plus_ms=never, tau_minus_ms=never),
         "the traces never decay: every pair counts fully, however far apart",
         "between spikes each trace should shrink by exp(-(elapsed time) / tau); decay it up to the time of "
         "the current spike before using it."),
        (case.all_pairs(pre=case.post, post=case.pre),
         "the sign convention of Δt is reversed: your window is the mirror image of W(Δt), so post-before-pre "
         "pairs potentiate",
         "Δt = t_post - t_pre: a presynaptic spike *before* a postsynaptic one (Δt > 0) potentiates, so the "
         "weight grows at a post spike by the presynaptic trace (which remembers earlier pre spikes)."),
        (-case.all_pairs(),
         "potentiation and depression are swapped: every pair moves the weight the wrong way",
         "a postsynaptic spike *adds* the presynaptic trace to the weight, and a presynaptic spike *subtracts* "
         "the postsynaptic trace."),
        (case.all_pairs(A_plus=A_minus, A_minus=A_plus),
         "A_plus and A_minus are swapped",
         "potentiation (at a post spike) is built from A_plus, depression (at a pre spike) from A_minus."),
        (case.all_pairs(tau_plus_ms=tau_minus, tau_minus_ms=tau_plus),
         "tau_plus_ms and tau_minus_ms are swapped",
         "the presynaptic trace decays with tau_plus_ms, the postsynaptic one with tau_minus_ms."),
        (plasticity.nearest_pairs_weight_change(case.pre, case.post, *case.params),
         "this is nearest-neighbour pairing: only the latest spike on the other side counts",
         "for all-to-all pairing a trace *adds* its jump at each spike (a += A) instead of being set to it (a = A), "
         "so every earlier spike keeps contributing."),
        (case.all_pairs(tau_plus_ms=1000 * tau_plus, tau_minus_ms=1000 * tau_minus),
         "the times are in seconds but the time constants in ms (the decay is 1000 times too slow)",
         "keep everything in ms: the spike times and tau_plus_ms / tau_minus_ms are both in ms, so do not divide by 1000."),
        (case.all_pairs(tau_plus_ms=tau_plus / 1000, tau_minus_ms=tau_minus / 1000),
         "the time constants are in seconds but the times in ms (the decay is 1000 times too fast)",
         "keep everything in ms: the spike times and tau_plus_ms / tau_minus_ms are both in ms."),
        (clipped,
         "the weight is kept at or above 0 (a bound), but this task asks for the change with no bounds",
         "do not clip: add and subtract the trace values and return the total change, which may be negative."),
        (case.all_pairs() + A_plus * same_time,
         "a pair at exactly the same time (Δt = 0) was counted as potentiation",
         "W(0) = 0: a pre and a post spike at the same time change nothing. With traces, make both updates "
         "of that time before either trace jumps."),
        (case.all_pairs() - A_minus * same_time,
         "a pair at exactly the same time (Δt = 0) was counted as depression",
         "W(0) = 0: a pre and a post spike at the same time change nothing. With traces, make both updates "
         "of that time before either trace jumps."),
        (case.all_pairs(tau_minus_ms=tau_plus),
         "depression uses tau_plus_ms instead of tau_minus_ms",
         "the postsynaptic trace decays with tau_minus_ms."),
        (case.all_pairs(tau_plus_ms=tau_minus),
         "potentiation uses tau_minus_ms instead of tau_plus_ms",
         "the presynaptic trace decays with tau_plus_ms."),
        (2 * case.all_pairs(A_minus=0.0) - case.all_pairs(),
         "depression increases the weight: A_minus was added instead of subtracted",
         "A_minus is a magnitude: at a presynaptic spike the weight goes *down* by the postsynaptic trace."),
        (case.all_pairs(A_minus=0.0),
         "only potentiation is counted: post-before-pre pairs change nothing",
         "at each presynaptic spike, subtract the current postsynaptic trace."),
        (case.all_pairs(A_plus=0.0),
         "only depression is counted: pre-before-post pairs change nothing",
         "at each postsynaptic spike, add the current presynaptic trace."),
    ]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _ATOL + _RTOL * abs(b)


def _diagnose_stdp(results: list[tuple[_STDPCase, float]], failing: int) -> Feedback:
    """Name the slip that explains the learner's results: on every case if one does, else on the failing one."""
    case, got = results[failing]
    expected = case.all_pairs()
    variants = [_variants(c) for c, _ in results]
    shown = f"expected Δw = {expected:.10g}, got {got:.10g}"
    if all(_close(g, 0.0) for _, g in results):
        # Δw near 0 everywhere: a slip is named only if the learner's tiny values match it
        # to relative precision (time constants in seconds give about 1e-111, not 0); an
        # exact 0 or an int result cannot be told apart from "nothing was added".
        tiny = [
            k for k in range(len(variants[failing]))
            if any(g != 0.0 for _, g in results)
            and all(abs(g - v[k][0]) <= _RTOL * abs(v[k][0]) for (_, g), v in zip(results, variants))
        ]
        if tiny:
            _, message, hint = variants[failing][tiny[0]]
            return Feedback(f"{shown}: {message}", hint=hint)
        return Feedback(
            f"{shown}: your function gives Δw = 0 on every case",
            hint="nothing reaches the weight: check that it changes at every spike by the other side's trace, that the "
            "result is not rounded or made an int, and that the traces do not decay 1000 times too fast (time constants "
            "in seconds while the times are in ms).",
        )
    # a slip is named only when it explains every case, and makes a difference on the failing one
    candidates = [
        k for k, (value, _, _) in enumerate(variants[failing])
        if not _close(value, expected) and _close(got, value)
        and all(_close(g, v[k][0]) for (_, g), v in zip(results, variants))
    ]
    chosen = (candidates or [None])[0]
    if chosen is None:
        return Feedback(
            shown,
            hint="check each case by hand with the window W(Δt): for a single pair, Δw = A_plus exp(-Δt/tau_plus) "
            "if the post spike is Δt ms after the pre spike.",
        )
    _, message, hint = variants[failing][chosen]
    return Feedback(f"{shown}: {message}", hint=hint)


@check("pair-based STDP with traces")
def check_stdp(fn: Callable) -> Iterator[str]:
    """Check ``fn(pre_times_ms, post_times_ms, A_plus, A_minus, tau_plus_ms, tau_minus_ms) -> Δw``.

    The expected value is the all-to-all, additive, unbounded sum over pairs of the
    window :func:`neuro4ml.models.plasticity.stdp_window`, with :math:`\\Delta t = t_\\text{post}
    - t_\\text{pre}` and nothing for :math:`\\Delta t = 0`. The learner's function runs on
    every case first, so that a mistake is named from all the cases together.
    """
    results = []
    for case in _stdp_cases():
        try:
            out = call(fn, "STDP function", case.pre.copy(), case.post.copy(), *case.params)
            got = as_number(out, "the returned weight change", hint="return the total change Δw of the weight, one number.")
        except Feedback as feedback:
            raise in_case(case.description, feedback) from None
        results.append((case, got))
    for k, (case, got) in enumerate(results):
        if not _close(got, case.all_pairs()):
            raise in_case(case.description, _diagnose_stdp(results, k))
        yield f"{case.description}: Δw = {got:.6g} matches"


# ---------------------------------------------------------------------------
# Part 2: latency and the bimodal distribution
# ---------------------------------------------------------------------------


@check("first-spike latencies")
def check_latencies(fn: Callable) -> Iterator[str]:
    """Check ``fn(spike_times_ms, onsets_ms, window_ms) -> latencies`` (NaN where no spike).

    The window of an onset is half-open, ``[onset, onset + window_ms)``: a spike exactly
    ``window_ms`` after the onset is outside it. That edge is the last case, so that any
    other mistake is named first.
    """
    cases = [
        ("spikes at 5, 15, 260 ms; onsets 0, 10, 100, 250 ms; window 20 ms",
         np.array([5.0, 15.0, 260.0]), np.array([0.0, 10.0, 100.0, 250.0]), 20.0),
        ("a spike exactly at an onset", np.array([100.0, 210.0]), np.array([100.0, 200.0]), 30.0),
        ("spikes at 95 and 130 ms, onset 100 ms, window 20 ms (the nearest spike comes before the onset)",
         np.array([95.0, 130.0]), np.array([100.0]), 20.0),
        ("spikes at 12.5 and 47.75 ms, onsets 10.25 and 40 ms, window 10 ms (times that are not whole ms)",
         np.array([12.5, 47.75]), np.array([10.25, 40.0]), 10.0),
        ("no spikes", np.array([]), np.array([0.0, 50.0]), 10.0),
        ("a spike exactly at the edge of the window (230 ms, onset 200 ms, window 30 ms)",
         np.array([100.0, 230.0]), np.array([100.0, 200.0]), 30.0),
    ]
    for description, spikes, onsets, window in cases:
        try:
            out = call(fn, "latency function", spikes.copy(), onsets.copy(), window)
            got = as_array(out, "the returned latencies", shape=onsets.shape, finite=False,
                           hint="return one latency per onset, NaN where no spike falls in the window.")
        except Feedback as feedback:
            raise in_case(description, feedback) from None
        expected = plasticity.first_spike_latencies_ms(spikes, onsets, window)
        if same(got, expected):
            yield f"{description}: {first_values(got)} match"
            continue
        raise in_case(description, _diagnose_latencies(got, expected, spikes, onsets, window))


def _diagnose_latencies(got: np.ndarray, expected: np.ndarray, spikes: np.ndarray, onsets: np.ndarray,
                        window: float) -> Feedback:
    """The likely slip behind latencies ``got`` that differ from ``expected``."""
    shown = f"expected {first_values(expected)}, got {first_values(got)}"
    if np.isinf(got).any():
        return Feedback(f"{shown}: a latency is infinite", hint="use np.nan, not np.inf, for an onset with no spike in its window.")
    if (got < 0).any():
        return Feedback(
            f"{shown}: a latency is negative, so a spike before the onset was counted",
            hint="only spikes at or after the onset count: a spike just before an onset is not its answer, however close.",
        )
    inclusive = plasticity.first_spike_latencies_ms(spikes, onsets, np.nextafter(window, np.inf))
    if same(got, inclusive):
        return Feedback(
            f"{shown}: a spike exactly window_ms after the onset was counted",
            hint="the window is half-open, [onset, onset + window_ms): a spike must come strictly less than "
            "window_ms after the onset.",
        )
    distance = np.abs(spikes[None, :] - onsets[:, None])
    nearest = distance.min(axis=1, initial=np.inf)
    if same(got, np.where(nearest < window, nearest, np.nan)):
        return Feedback(
            f"{shown}: this is the distance to the nearest spike on either side, and that spike came before the onset",
            hint="only spikes at or after the onset count: a spike just before an onset is not its answer, however close.",
        )
    if not np.isnan(got).any() and np.isnan(expected).any():
        return Feedback(
            f"{shown}: an onset with no spike in its window should give NaN",
            hint="use np.nan when the first spike at or after the onset is window_ms or more after it (or there is none).",
        )
    if same(got, expected * 1e-3):
        return Feedback(f"{shown}: the latencies are in seconds", hint="keep times in ms.")
    if same(got, np.round(got)) and not same(expected, np.round(expected)):
        return Feedback(
            f"{shown}: your latencies are whole numbers, but these spike times are not whole ms",
            hint="keep the times as floats: do not round them or turn them into ints (astype(int), int(), //).",
        )
    return Feedback(shown, hint="for each onset, the latency is the time from the onset to the first spike at or after it.")


@check("fractions of weights near the bounds")
def check_bimodal(below: object, above: object, w: object, w_max: float) -> Iterator[str]:
    """Check the learner's fractions ``below`` (< 0.1 w_max) and ``above`` (> 0.9 w_max) of the weights ``w``."""
    below = as_number(require(below, "frac_below"), "frac_below")
    above = as_number(require(above, "frac_above"), "frac_above")
    weights = as_array(w, "the final weights", ndim=1)
    stats = plasticity.weight_statistics(weights, w_max)
    fractions = {"frac_below": (below, stats["below_10pct"], "below 0.1 w_max"),
                 "frac_above": (above, stats["above_90pct"], "above 0.9 w_max")}
    if not _close_fraction(below, fractions["frac_below"][1]) and not _close_fraction(above, fractions["frac_above"][1]) \
            and _close_fraction(below, stats["above_90pct"]) and _close_fraction(above, stats["below_10pct"]):
        raise Feedback(
            f"frac_below and frac_above are swapped: the weights {fractions['frac_below'][2]} are a fraction "
            f"{stats['below_10pct']:.4g}, and those {fractions['frac_above'][2]} {stats['above_90pct']:.4g}",
            hint="frac_below counts the weights near 0, frac_above those near w_max.",
        )
    for name, (got, expected, where) in fractions.items():
        if not _close_fraction(got, expected):
            if not 0.0 <= got <= 1.0 and abs(got - 100 * expected) <= 1e-6:
                raise Feedback(f"{name} is a percentage ({got:g}); give a fraction between 0 and 1",
                               hint="a fraction is the number of such weights over the number of all weights, without a factor of 100.")
            if not 0.0 <= got <= 1.0 and abs(got - expected * weights.size) <= 1e-6:
                raise Feedback(f"{name} is a count ({got:g}); give a fraction between 0 and 1",
                               hint="divide the count by the number of weights.")
            if not 0.0 <= got <= 1.0:
                raise Feedback(f"{name} is {got:.4g}, but a fraction lies between 0 and 1 (expected {expected:.4g}, "
                               f"the share of the weights {where})",
                               hint="a fraction of the weights counts weights and divides by how many there are; it is never "
                               "negative or above 1.")
            raise Feedback(f"{name}: expected {expected:.4g} (the share of the weights {where}), got {got:.4g}",
                           hint="count the weights strictly under 0.1 w_max (for frac_below) or strictly over 0.9 w_max "
                           "(for frac_above), and divide by the number of all weights.")
        yield f"{name} = {got:.3f} matches the weights"
    if not (below > 0.1 and above > 0.1):
        raise Feedback(
            f"the weights are not bimodal yet: {below:.1%} below 0.1 w_max and {above:.1%} above 0.9 w_max",
            hint="run longer, or check that A_minus tau_minus is slightly larger than A_plus tau_plus.",
        )
    yield "the distribution is bimodal: more than 10 % of the weights sit at each end"


def _close_fraction(got: float, expected: float) -> bool:
    return abs(got - expected) <= 1e-9


# ---------------------------------------------------------------------------
# Part 3: correlated groups
# ---------------------------------------------------------------------------


@check("mean weight per group")
def check_group_means(fn: Callable) -> Iterator[str]:
    """Check ``fn(w, group_size) -> means`` (one mean per consecutive group)."""
    rng = np.random.default_rng(4)
    for n_groups, size in ((2, 3), (4, 250), (5, 1)):
        w = rng.uniform(0, 1, n_groups * size)
        out = call(fn, "group-mean function", w.copy(), size)
        got = as_array(out, "the returned means", ndim=1, hint="return one mean weight per group.")
        expected = plasticity.group_mean_weights(w, size)
        if got.shape != expected.shape:
            if got.size == size and size != n_groups:
                raise Feedback(f"with {n_groups} groups of {size}, expected {n_groups} means, got {got.size}: "
                               "you averaged across groups instead of within them",
                               hint="each mean is over the group_size consecutive weights of one group; yours mixes the "
                               "k-th weight of every group together.")
            raise Feedback(f"with {n_groups} groups of {size}, expected {n_groups} means, got shape {got.shape}")
        if not same(got, expected):
            raise Feedback(f"{n_groups} groups of {size}: expected {first_values(expected)}, got {first_values(got)}",
                           hint="inputs 0 .. group_size-1 form group 0, the next group_size group 1, and so on.")
        yield f"{n_groups} groups of {size}: means match"


@check("which group wins")
def check_winning_group(winning_group: object, w: object, correlations: object, group_size: int) -> Iterator[str]:
    """Check the index of the group with the largest mean weight, and that it is the most correlated one."""
    answer = require(winning_group, "winning_group")
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        raise Feedback(f"winning_group should be a group index (an int), got {type(answer).__name__} {answer!r:.40}")
    weights = as_array(w, "the final weights", ndim=1)
    corr = as_array(correlations, "correlations", ndim=1)
    means = plasticity.group_mean_weights(weights, group_size)
    best = int(np.argmax(means))
    answer = int(answer)
    if not 0 <= answer < means.size:
        from_one = answer == means.size
        raise Feedback(
            f"winning_group is {answer}, but there are {means.size} groups, numbered 0 to {means.size - 1}",
            hint=("did you count the groups from 1? Python indices start at 0." if from_one
                  else "give the index of a group, from 0 to the number of groups minus 1."),
        )
    if answer != best:
        raise Feedback(f"group {answer} has mean weight {means[answer]:.3g}, "
                       f"but group {best} has the largest, {means[best]:.3g}",
                       hint="look at the mean weight of each group at the end of the run.")
    yield f"group {best} has the largest mean weight ({means[best]:.3g})"
    if best != int(np.argmax(corr)):
        raise Feedback(f"in your run the winner is group {best} (c = {corr[best]:g}), not the most correlated one",
                       hint="run longer so the competition settles, or make the correlations more different.")
    yield f"it is the most correlated group (c = {corr[best]:g})"
