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

import numpy as np

from neuro4ml.check.core import (
    Feedback,
    Mistake,
    Tolerance,
    as_array,
    as_number,
    call,
    check,
    close,
    diagnose,
    diagnose_cases,
    in_case,
    off_by,
)
from neuro4ml.models import plasticity
from neuro4ml.tasks.w4 import (
    STDPCase,
    group_cases,
    latency_cases,
    mistaken_latencies,
    mistaken_weight_changes,
    stdp_cases,
)

__all__ = [
    "check_bimodal",
    "check_group_means",
    "check_latencies",
    "check_stdp",
    "check_winning_group",
]

#: Tolerance of a weight change. Traces and direct sums over pairs agree to about 1e-15
#: relative; a correct float32 implementation is off by up to about 2e-6 relative, so
#: 1e-5 passes it, while every diagnosed slip changes Δw by far more.
_TOLERANCE = Tolerance(rtol=1e-5, atol=1e-12)

#: The library functions that *are* the STDP task: unavailable while the learner's function runs.
_STDP_SHORTCUTS = (plasticity.pair_stdp_weight_change, plasticity.nearest_pairs_weight_change, plasticity.stdp_synapse)

_MEMO: dict[int, tuple[STDPCase, dict[str, float]]] = {}


def _mistaken(case: STDPCase) -> dict[str, float]:
    """:func:`~neuro4ml.tasks.w4.mistaken_weight_changes` of ``case``, computed once per case."""
    if id(case) not in _MEMO or _MEMO[id(case)][0] is not case:
        _MEMO.clear() if len(_MEMO) > 64 else None
        _MEMO[id(case)] = (case, mistaken_weight_changes(case))
    return _MEMO[id(case)][1]


# ---------------------------------------------------------------------------
# Part 1: pair-based STDP with traces
# ---------------------------------------------------------------------------


#: Known STDP mistakes, each computed on a case by :func:`neuro4ml.tasks.w4.mistaken_weight_changes`.
STDP_MISTAKES = (
    Mistake(lambda case: _mistaken(case)["never_decay"],
            "the traces never decay: every pair counts fully, however far apart",
            "between spikes each trace should shrink by exp(-(elapsed time) / tau); decay it up to the time of "
         "the current spike before using it."),
    Mistake(lambda case: _mistaken(case)["mirrored"],
            "the sign convention of Δt is reversed: your window is the mirror image of W(Δt), so post-before-pre "
         "pairs potentiate",
            "Δt = t_post - t_pre: a presynaptic spike *before* a postsynaptic one (Δt > 0) potentiates, so the "
         "weight grows at a post spike by the presynaptic trace (which remembers earlier pre spikes)."),
    Mistake(lambda case: _mistaken(case)["negated"],
            "potentiation and depression are swapped: every pair moves the weight the wrong way",
            "a postsynaptic spike *adds* the presynaptic trace to the weight, and a presynaptic spike *subtracts* "
         "the postsynaptic trace."),
    Mistake(lambda case: _mistaken(case)["swapped_amplitudes"],
            "A_plus and A_minus are swapped",
            "potentiation (at a post spike) is built from A_plus, depression (at a pre spike) from A_minus."),
    Mistake(lambda case: _mistaken(case)["swapped_taus"],
            "tau_plus_ms and tau_minus_ms are swapped",
            "the presynaptic trace decays with tau_plus_ms, the postsynaptic one with tau_minus_ms."),
    Mistake(lambda case: _mistaken(case)["nearest"],
            "this is nearest-neighbour pairing: only the latest spike on the other side counts",
            "for all-to-all pairing a trace *adds* its jump at each spike (a += A) instead of being set to it (a = A), "
         "so every earlier spike keeps contributing."),
    Mistake(lambda case: _mistaken(case)["seconds_times"],
            "the times are in seconds but the time constants in ms (the decay is 1000 times too slow)",
            "keep everything in ms: the spike times and tau_plus_ms / tau_minus_ms are both in ms, so do not divide by 1000."),
    Mistake(lambda case: _mistaken(case)["seconds_taus"],
            "the time constants are in seconds but the times in ms (the decay is 1000 times too fast)",
            "keep everything in ms: the spike times and tau_plus_ms / tau_minus_ms are both in ms."),
    Mistake(lambda case: _mistaken(case)["clipped"],
            "the weight is kept at or above 0 (a bound), but this task asks for the change with no bounds",
            "do not clip: add and subtract the trace values and return the total change, which may be negative."),
    Mistake(lambda case: _mistaken(case)["zero_as_potentiation"],
            "a pair at exactly the same time (Δt = 0) was counted as potentiation",
            "W(0) = 0: a pre and a post spike at the same time change nothing. With traces, make both updates "
         "of that time before either trace jumps."),
    Mistake(lambda case: _mistaken(case)["zero_as_depression"],
            "a pair at exactly the same time (Δt = 0) was counted as depression",
            "W(0) = 0: a pre and a post spike at the same time change nothing. With traces, make both updates "
         "of that time before either trace jumps."),
    Mistake(lambda case: _mistaken(case)["depression_tau_plus"],
            "depression uses tau_plus_ms instead of tau_minus_ms",
            "the postsynaptic trace decays with tau_minus_ms."),
    Mistake(lambda case: _mistaken(case)["potentiation_tau_minus"],
            "potentiation uses tau_minus_ms instead of tau_plus_ms",
            "the presynaptic trace decays with tau_plus_ms."),
    Mistake(lambda case: _mistaken(case)["depression_added"],
            "depression increases the weight: A_minus was added instead of subtracted",
            "A_minus is a magnitude: at a presynaptic spike the weight goes *down* by the postsynaptic trace."),
    Mistake(lambda case: _mistaken(case)["only_potentiation"],
            "only potentiation is counted: post-before-pre pairs change nothing",
            "at each presynaptic spike, subtract the current postsynaptic trace."),
    Mistake(lambda case: _mistaken(case)["only_depression"],
            "only depression is counted: pre-before-post pairs change nothing",
            "at each postsynaptic spike, add the current presynaptic trace."),
)


def _diagnose_stdp(results: list[tuple[STDPCase, float]], failing: int) -> Feedback:
    """Name the slip that explains the learner's results: on every case if one does, else on the failing one."""
    case, got = results[failing]
    expected = case.all_pairs()
    shown = f"your Δw is {off_by(got, expected)}"
    if all(close(g, 0.0, _TOLERANCE) for _, g in results):
        # Δw near 0 everywhere: a slip is named only if the learner's tiny values match it
        # to relative precision (time constants in seconds give about 1e-111, not 0); an
        # exact 0 or an int result cannot be told apart from "nothing was added".
        relative = Tolerance(rtol=_TOLERANCE.rtol, atol=0.0)
        tiny = [
            m for m in STDP_MISTAKES
            if any(g != 0.0 for _, g in results)
            and all(close(g, m.on(c), relative) for c, g in results)
        ]
        if tiny:
            return Feedback(f"{shown}: {tiny[0].message}", hint=tiny[0].hint)
        return Feedback(
            "your function gives Δw = 0 on every case",
            hint="nothing reaches the weight: check that it changes at every spike by the other side's trace, that the "
            "result is not rounded or made an int, and that the traces do not decay 1000 times too fast (time constants "
            "in seconds while the times are in ms).",
        )
    answers = [(g, c.all_pairs(), (c,)) for c, g in results]
    mistake = diagnose_cases(answers, STDP_MISTAKES, _TOLERANCE, failing=failing)
    # a slip is named only when it explains every case
    if mistake is None or not all(
        close(g, mistake.on(c), _TOLERANCE) or (close(mistake.on(c), e, _TOLERANCE) and close(g, e, _TOLERANCE))
        for g, e, (c,) in answers
    ):
        return Feedback(
            shown,
            hint="check each case by hand with the window W(Δt): for a single pair, Δw = A_plus exp(-Δt/tau_plus) "
            "if the post spike is Δt ms after the pre spike.",
        )
    return Feedback(f"{shown}: {mistake.message}", hint=mistake.hint)


@check("pair-based STDP with traces")
def check_stdp(fn: Callable) -> Iterator[str]:
    """Check ``fn(pre_times_ms, post_times_ms, A_plus, A_minus, tau_plus_ms, tau_minus_ms) -> Δw``.

    The expected value is the all-to-all, additive, unbounded sum over pairs of the
    window :func:`neuro4ml.models.plasticity.stdp_window`, with :math:`\\Delta t = t_\\text{post}
    - t_\\text{pre}` and nothing for :math:`\\Delta t = 0`. The learner's function runs on
    every case of :func:`neuro4ml.tasks.w4.stdp_cases` first (one drawn from a fresh seed),
    with the library's implementations of the rule unavailable, so that a mistake is
    named from all the cases together.
    """
    results = []
    for case in stdp_cases():
        try:
            out = call(fn, "STDP function", case.pre.copy(), case.post.copy(), *case.params, forbid=_STDP_SHORTCUTS)
            got = as_number(out, "the returned weight change", allow_one_element=False,
                            hint="return the total change Δw of the weight, one number.")
        except Feedback as feedback:
            raise in_case(case.description, feedback) from None
        results.append((case, got))
    for k, (case, got) in enumerate(results):
        if not close(got, case.all_pairs(), _TOLERANCE):
            raise in_case(case.description, _diagnose_stdp(results, k))
        yield f"{case.description}: Δw = {got:.6g} matches"


# ---------------------------------------------------------------------------
# Part 2: latency and the bimodal distribution
# ---------------------------------------------------------------------------


#: Latencies agree to rounding; NaN (no spike in the window) equals NaN.
_LATENCY_TOLERANCE = Tolerance(rtol=1e-9, atol=1e-12, equal_nan=True)

_ONLY_AFTER = "only spikes at or after the onset count: a spike just before an onset is not its answer, however close."

#: Known latency mistakes, each computed by :func:`neuro4ml.tasks.w4.mistaken_latencies`.
LATENCY_MISTAKES = tuple(
    Mistake(lambda spikes, onsets, window, key=key: mistaken_latencies(spikes, onsets, window).get(key), message, hint)
    for key, message, hint in (
        ("minus_one", "an onset with no spike in its window got -1; the task marks it with NaN",
         "use np.nan for an onset with no spike in its window: -1 would be averaged as a latency by np.nanmean."),
        ("unsorted", "the spike times were used in the order given, but they are not sorted: a search that assumes "
         "sorted times (np.searchsorted) finds the wrong spike",
         "sort the spike times first (np.sort): the check gives them in any order, as recordings merged from "
         "several sources can be."),
        ("inclusive", "a spike exactly window_ms after the onset was counted",
         "the window is half-open, [onset, onset + window_ms): a spike must come strictly less than "
         "window_ms after the onset."),
        ("nearest", "this is the distance to the nearest spike on either side, and that spike came before the onset",
         _ONLY_AFTER),
        ("no_window", "an onset with no spike in its window should give NaN",
         "use np.nan when the first spike at or after the onset is window_ms or more after it (or there is none)."),
        ("seconds", "the latencies are in seconds", "keep times in ms."),
        ("truncated", "the spike times were cut to whole ms (astype(int) or int())",
         "keep the times as floats: these spike times are not whole ms."),
    )
)


@check("first-spike latencies")
def check_latencies(fn: Callable) -> Iterator[str]:
    """Check ``fn(spike_times_ms, onsets_ms, window_ms) -> latencies`` (NaN where no spike).

    The window of an onset is half-open, ``[onset, onset + window_ms)``: a spike exactly
    ``window_ms`` after the onset is outside it. The cases
    (:func:`neuro4ml.tasks.w4.latency_cases`) include unsorted spike times and a random
    train from a fresh seed; the library's
    :func:`~neuro4ml.models.plasticity.first_spike_latencies_ms` is unavailable while the
    learner's function runs.
    """
    for description, spikes, onsets, window in latency_cases():
        try:
            out = call(fn, "latency function", spikes.copy(), onsets.copy(), window,
                       forbid=[plasticity.first_spike_latencies_ms])
            got = as_array(out, "the returned latencies", shape=onsets.shape, finite=False,
                           hint="return one latency per onset, NaN where no spike falls in the window.")
        except Feedback as feedback:
            raise in_case(description, feedback) from None
        expected = plasticity.first_spike_latencies_ms(spikes, onsets, window)
        if close(got, expected, _LATENCY_TOLERANCE):
            yield f"{description}: all {onsets.size} latencies match"
            continue
        raise in_case(description, _diagnose_latencies(got, expected, spikes, onsets, window))


def _diagnose_latencies(got: np.ndarray, expected: np.ndarray, spikes: np.ndarray, onsets: np.ndarray,
                        window: float) -> Feedback:
    """The likely slip behind latencies ``got`` that differ from ``expected``."""
    wrong = int(np.sum(~np.isclose(got, expected, equal_nan=True)))
    shown = f"{wrong} of the {onsets.size} latencies differ"
    if np.isinf(got).any():
        return Feedback(f"{shown}: a latency is infinite", hint="use np.nan, not np.inf, for an onset with no spike in its window.")
    mistake = diagnose(got, expected, LATENCY_MISTAKES, _LATENCY_TOLERANCE, context=(spikes, onsets, window))
    if mistake:
        return Feedback(f"{shown}: {mistake.message}", hint=mistake.hint)
    if (got < 0).any():
        return Feedback(f"{shown}: a latency is negative, so a spike before the onset was counted", hint=_ONLY_AFTER)
    if not np.isnan(got).any() and np.isnan(expected).any():
        return Feedback(
            f"{shown}: an onset with no spike in its window should give NaN",
            hint="use np.nan when the first spike at or after the onset is window_ms or more after it (or there is none).",
        )
    if close(got, np.round(got)) and not close(expected, np.round(expected), _LATENCY_TOLERANCE):
        return Feedback(
            f"{shown}: your latencies are whole numbers, but these spike times are not whole ms",
            hint="keep the times as floats: do not round them or turn them into ints (astype(int), int(), //).",
        )
    return Feedback(shown, hint="for each onset, the latency is the time from the onset to the first spike at or after it.")


@check("fractions of weights near the bounds")
def check_bimodal(below: object, above: object, w: object, w_max: float) -> Iterator[str]:
    """Check the learner's fractions ``below`` (< 0.1 w_max) and ``above`` (> 0.9 w_max) of the weights ``w``.

    The fractions are compared with those of the learner's own run (``w``); a failure
    says what is wrong and in which direction, never the expected fractions, so they
    cannot be pasted in.
    """
    below = as_number(below, "frac_below")
    above = as_number(above, "frac_above")
    weights = as_array(w, "the final weights", ndim=1, returned=False)
    w_max = as_number(w_max, "w_max", minimum=0.0, include_minimum=False)
    stats = plasticity.weight_statistics(weights, w_max)
    fractions = {"frac_below": (below, stats["below_10pct"], "below 0.1 w_max"),
                 "frac_above": (above, stats["above_90pct"], "above 0.9 w_max")}
    if not _close_fraction(below, stats["below_10pct"]) and not _close_fraction(above, stats["above_90pct"]) \
            and _close_fraction(below, stats["above_90pct"]) and _close_fraction(above, stats["below_10pct"]):
        raise Feedback(
            "frac_below and frac_above are swapped",
            hint="frac_below counts the weights near 0, frac_above those near w_max.",
        )
    for name, (got, expected, where) in fractions.items():
        if not _close_fraction(got, expected):
            if not 0.0 <= got <= 1.0 and abs(got - 100 * expected) <= 1e-6:
                raise Feedback(f"{name} is a percentage; give a fraction between 0 and 1",
                               hint="a fraction is the number of such weights over the number of all weights, without a factor of 100.")
            if not 0.0 <= got <= 1.0 and abs(got - expected * weights.size) <= 1e-6:
                raise Feedback(f"{name} is a count; give a fraction between 0 and 1",
                               hint="divide the count by the number of weights.")
            if not 0.0 <= got <= 1.0:
                raise Feedback(f"{name} is {got:.4g}, but a fraction lies between 0 and 1",
                               hint="a fraction of the weights counts weights and divides by how many there are; it is never "
                               "negative or above 1.")
            inclusive = float(np.mean(weights <= 0.1 * w_max) if name == "frac_below" else np.mean(weights >= 0.9 * w_max))
            if _close_fraction(got, inclusive):
                raise Feedback(f"{name}: the weights exactly at 0.1 w_max (or 0.9 w_max) were counted too",
                               hint="the task counts weights strictly below 0.1 w_max and strictly above 0.9 w_max.")
            raise Feedback(f"{name} (the share of the weights {where}) is {off_by(got, expected, near=0.02)} for "
                           "the weights of your run",
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
    return close(got, expected, Tolerance(rtol=0.0, atol=1e-9))


# ---------------------------------------------------------------------------
# Part 3: correlated groups
# ---------------------------------------------------------------------------


@check("mean weight per group")
def check_group_means(fn: Callable) -> Iterator[str]:
    """Check ``fn(w, group_size) -> means`` (one mean per consecutive group) on weights from a fresh seed."""
    for description, w, size in group_cases():
        n_groups = w.size // size
        out = call(fn, "group-mean function", w.copy(), size)
        if isinstance(out, (list, tuple)):
            raise Feedback(f"the group-mean function returned a {type(out).__name__}, not a numpy array",
                           hint="return one mean weight per group as a numpy array of shape (groups,).")
        got = as_array(out, "the returned means", ndim=1, hint="return one mean weight per group.")
        expected = plasticity.group_mean_weights(w, size)
        if got.shape != expected.shape:
            if got.size == size and size != n_groups:
                raise Feedback(f"{description}: expected {n_groups} means, got {got.size}: "
                               "you averaged across groups instead of within them",
                               hint="each mean is over the group_size consecutive weights of one group; yours mixes the "
                               "k-th weight of every group together.")
            raise Feedback(f"{description}: expected {n_groups} means, got shape {got.shape}",
                           hint="one mean weight per group: w has len(w) // group_size groups.")
        if not close(got, expected):
            strided = np.array([w[g::n_groups].mean() for g in range(n_groups)])
            if close(got, strided):
                raise Feedback(f"{description}: each of your groups takes weights {n_groups} apart instead of consecutive ones",
                               hint="inputs 0 .. group_size-1 form group 0, the next group_size group 1, and so on "
                               "(w.reshape(n_groups, group_size), not the other way round).")
            if close(got, np.floor(expected)) and not close(expected, np.floor(expected)):
                raise Feedback(f"{description}: your means are whole numbers: `//` divides and rounds down",
                               hint="use `/` (or np.mean) for the mean; `//` is floor division.")
            wrong = int(np.sum(~np.isclose(got, expected)))
            raise Feedback(f"{description}: {wrong} of the {n_groups} means differ",
                           hint="inputs 0 .. group_size-1 form group 0, the next group_size group 1, and so on.")
        yield f"{description}: means match"


@check("which group wins")
def check_winning_group(winning_group: object, w: object, correlations: object, group_size: int) -> Iterator[str]:
    """Check the index of the group with the largest mean weight, and that it is the most correlated one.

    A wrong index is told how its group compares, never which group wins.
    """
    answer = as_number(winning_group, "winning_group", kind="integer", allow_one_element=False,
                       hint="the index of a group, an int such as int(np.argmax(...)).")
    weights = as_array(w, "the final weights", ndim=1, returned=False)
    corr = as_array(correlations, "correlations", ndim=1, returned=False)
    means = plasticity.group_mean_weights(weights, group_size)
    best = int(np.argmax(means))
    if not 0 <= answer < means.size:
        from_one = answer == means.size
        raise Feedback(
            f"winning_group is {answer}, but there are {means.size} groups, numbered 0 to {means.size - 1}",
            hint=("did you count the groups from 1? Python indices start at 0." if from_one
                  else "give the index of a group, from 0 to the number of groups minus 1."),
        )
    if answer != best:
        if answer == int(np.argmin(means)):
            what = "has the smallest mean weight of all groups (np.argmin instead of np.argmax?)"
        else:
            what = "does not have the largest mean weight"
        raise Feedback(f"group {answer} {what}",
                       hint="compute the mean weight of each group at the end of the run and take the index of the largest.")
    yield f"group {best} has the largest mean weight ({means[best]:.3g})"
    if best != int(np.argmax(corr)):
        raise Feedback(f"in your run the winner is group {best} (c = {corr[best]:g}), not the most correlated one",
                       hint="run longer so the competition settles, or make the correlations more different.")
    yield f"it is the most correlated group (c = {corr[best]:g})"
