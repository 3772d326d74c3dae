"""Week 4 checks: right answers pass, and each typical STDP mistake gets its own diagnosis."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neuro4ml.check import w4
from neuro4ml.check.core import FAILED, NOT_IMPLEMENTED, PASSED
from neuro4ml.models import plasticity


def make_stdp(
    *,
    decay=True,
    reverse_sign=False,
    swap=False,
    nearest=False,
    seconds_times=False,
    seconds_taus=False,
    clip_at_zero=False,
    zero_counts=None,
    one_tau=False,
    swap_amplitudes=False,
    swap_taus=False,
):
    """A trace implementation of the learner's task, with one deliberate mistake switched on."""

    def stdp(pre_times_ms, post_times_ms, A_plus, A_minus, tau_plus_ms, tau_minus_ms):
        pre, post = np.asarray(pre_times_ms, float), np.asarray(post_times_ms, float)
        if reverse_sign:
            pre, post = post, pre
        if swap:  # subtract at post spikes, add at pre spikes
            A_plus, A_minus = -A_plus, -A_minus
        if seconds_times:
            pre, post = pre / 1000, post / 1000
        if seconds_taus:
            tau_plus_ms, tau_minus_ms = tau_plus_ms / 1000, tau_minus_ms / 1000
        if one_tau:
            tau_minus_ms = tau_plus_ms
        if swap_amplitudes:
            A_plus, A_minus = A_minus, A_plus
        if swap_taus:
            tau_plus_ms, tau_minus_ms = tau_minus_ms, tau_plus_ms
        # at equal times: with zero_counts=None, both updates before either jump (W(0) = 0);
        # otherwise one side is processed first and sees the other's jump
        first = {None: "post", "potentiation": "pre", "depression": "post"}[zero_counts]
        events = sorted([(t, kind != first, kind) for kind, ts in (("pre", pre), ("post", post)) for t in ts])
        a_pre = a_post = 0.0
        w = 0.0
        last = None
        pending = []
        for t, _, kind in events:
            if zero_counts is None and pending and t != pending[0][0]:
                for _, jump in pending:
                    jump()
                pending = []
            if last is not None and decay:
                a_pre *= math.exp(-(t - last) / tau_plus_ms)
                a_post *= math.exp(-(t - last) / tau_minus_ms)
            last = t

            def jump_pre():
                nonlocal a_pre
                a_pre = A_plus if nearest else a_pre + A_plus

            def jump_post():
                nonlocal a_post
                a_post = A_minus if nearest else a_post + A_minus

            if kind == "pre":
                w -= a_post
                if clip_at_zero:
                    w = max(w, 0.0)
                jump = jump_pre
            else:
                w += a_pre
                jump = jump_post
            if zero_counts is None:
                pending.append((t, jump))
            else:
                jump()
        return w

    return stdp


def direct_sum(pre_times_ms, post_times_ms, A_plus, A_minus, tau_plus_ms, tau_minus_ms):
    """A right answer written differently: the double sum over pairs."""
    total = 0.0
    for tp in pre_times_ms:
        for tq in post_times_ms:
            dt = tq - tp
            if dt > 0:
                total += A_plus * math.exp(-dt / tau_plus_ms)
            elif dt < 0:
                total -= A_minus * math.exp(dt / tau_minus_ms)
    return total


@pytest.mark.parametrize("fn", [make_stdp(), direct_sum], ids=["traces", "double sum"])
def test_right_answers_pass(fn):
    result = w4.check_stdp(fn, quiet=True)
    assert result.status == PASSED, result.verdict()
    assert len(result.messages) == 11


@pytest.mark.parametrize(
    ("mistake", "expected"),
    [
        (dict(decay=False), "never decay"),
        (dict(reverse_sign=True), "sign convention of Δt is reversed"),
        (dict(swap=True), "potentiation and depression are swapped"),
        (dict(nearest=True), "nearest-neighbour"),
        (dict(seconds_times=True), "times are in seconds"),
        (dict(seconds_taus=True), "time constants are in seconds"),
        (dict(clip_at_zero=True), "kept at or above 0"),
        (dict(zero_counts="potentiation"), "counted as potentiation"),
        (dict(zero_counts="depression"), "counted as depression"),
        (dict(one_tau=True), "depression uses tau_plus_ms"),
        (dict(swap_amplitudes=True), "A_plus and A_minus are swapped"),
        (dict(swap_taus=True), "tau_plus_ms and tau_minus_ms are swapped"),
    ],
)
def test_each_mistake_is_named(mistake, expected):
    result = w4.check_stdp(make_stdp(**mistake), quiet=True)
    assert result.status == FAILED
    assert any(expected in m for m in result.messages), result.verdict()
    assert result.hint


def test_not_implemented_and_bad_returns_are_feedback():
    def todo(*args):
        raise NotImplementedError

    assert w4.check_stdp(todo, quiet=True).status == NOT_IMPLEMENTED
    assert w4.check_stdp(..., quiet=True).status == NOT_IMPLEMENTED
    for bad, words in [
        (lambda *a: None, "None"),
        (lambda *a: float("nan"), "nan"),
        (lambda *a: np.zeros(3), "one number"),
        (lambda *a: "0.1", "one number"),
        (lambda *a: 1 / 0, "ZeroDivisionError"),
    ]:
        result = w4.check_stdp(bad, quiet=True)
        assert result.status == FAILED, result.verdict()
        assert any(words in m for m in result.messages), result.verdict()


def test_a_wrong_answer_with_no_known_cause_gets_direction_and_size_not_the_value():
    result = w4.check_stdp(lambda *a: 1.5 * direct_sum(*a), quiet=True)
    assert result.status == FAILED and any("your Δw is too high by about 50 %" in m for m in result.messages), result.verdict()
    assert "expected Δw" not in result.verdict() and "0.00778" not in result.messages[-1]


# ---------------------------------------------------------------------------
# Other parts
# ---------------------------------------------------------------------------


def latencies(spike_times_ms, onsets_ms, window_ms):
    out = []
    for onset in onsets_ms:
        after = [t - onset for t in spike_times_ms if onset <= t < onset + window_ms]
        out.append(min(after) if after else np.nan)
    return np.array(out)


def test_latency_check():
    assert w4.check_latencies(latencies, quiet=True).passed
    no_nan = lambda s, o, w: np.nan_to_num(latencies(s, o, w), nan=w)  # noqa: E731
    result = w4.check_latencies(no_nan, quiet=True)
    assert result.status == FAILED and any("NaN" in m for m in result.messages)
    seconds = lambda s, o, w: latencies(s, o, w) / 1000  # noqa: E731
    result = w4.check_latencies(seconds, quiet=True)
    assert result.status == FAILED and any("seconds" in m for m in result.messages)
    assert w4.check_latencies(lambda s, o, w: ..., quiet=True).status == NOT_IMPLEMENTED


def test_bimodal_check():
    w = np.r_[np.zeros(60), np.full(80, 0.5), np.ones(60)] * 0.01
    assert w4.check_bimodal(0.3, 0.3, w, 0.01, quiet=True).passed
    result = w4.check_bimodal(30.0, 0.3, w, 0.01, quiet=True)
    assert result.status == FAILED and any("percentage" in m for m in result.messages)
    result = w4.check_bimodal(60, 60, w, 0.01, quiet=True)
    assert result.status == FAILED and any("count" in m for m in result.messages)
    flat = np.linspace(0.0, 0.01, 100)
    result = w4.check_bimodal(0.1, 0.1, flat, 0.01, quiet=True)
    assert result.status == FAILED and any("not bimodal" in m for m in result.messages)
    assert w4.check_bimodal(..., 0.3, w, 0.01, quiet=True).status == NOT_IMPLEMENTED


def test_group_checks():
    right = lambda w, size: np.asarray(w).reshape(-1, size).mean(axis=1)  # noqa: E731
    assert w4.check_group_means(right, quiet=True).passed
    across = lambda w, size: np.asarray(w).reshape(-1, size).mean(axis=0)  # noqa: E731
    result = w4.check_group_means(across, quiet=True)
    assert result.status == FAILED and any("across groups" in m for m in result.messages)
    w = np.r_[np.full(5, 0.1), np.full(5, 0.9)]
    assert w4.check_winning_group(1, w, [0.0, 0.2], 5, quiet=True).passed
    assert w4.check_winning_group(0, w, [0.0, 0.2], 5, quiet=True).status == FAILED
    assert w4.check_winning_group(1, w, [0.2, 0.0], 5, quiet=True).status == FAILED
    assert w4.check_winning_group(..., w, [0.0, 0.2], 5, quiet=True).status == NOT_IMPLEMENTED
    assert w4.check_winning_group("1", w, [0.0, 0.2], 5, quiet=True).status == FAILED


# ---------------------------------------------------------------------------
# A learner's reproductions (defects found by trying right and wrong answers)
# ---------------------------------------------------------------------------


def skip_tie(pre, post, Ap, Am, tp, tm):
    """Skips the whole update of the second spike at a tie (a loophole with one tie case only)."""
    ev = sorted([(t, "pre") for t in pre] + [(t, "post") for t in post])
    a1 = a2 = dw = 0.0
    tl = None
    for t, k in ev:
        same = tl is not None and t == tl
        if tl is not None:
            a1 *= np.exp(-(t - tl) / tp)
            a2 *= np.exp(-(t - tl) / tm)
        tl = t
        if k == "pre":
            if not same:
                dw -= a2
            a1 += Ap
        else:
            if not same:
                dw += a1
            a2 += Am
    return dw


def test_skipping_the_update_at_a_tie_fails():
    result = w4.check_stdp(skip_tie, quiet=True)
    assert result.status == FAILED, result.verdict()
    assert any("together at 25 ms" in m and "your Δw is" in m for m in result.messages), result.verdict()
    assert "0.006161" not in result.messages[-1]


def test_a_float32_implementation_passes():
    def f32(pre, post, Ap, Am, tp, tm):
        p = np.asarray(pre, np.float32)
        q = np.asarray(post, np.float32)
        dt = q[None, :] - p[:, None]
        return np.sum(np.where(dt > 0, np.float32(Ap) * np.exp(-dt / np.float32(tp)),
                               np.where(dt < 0, -np.float32(Am) * np.exp(dt / np.float32(tm)), np.float32(0))),
                      dtype=np.float32)

    result = w4.check_stdp(f32, quiet=True)
    assert result.status == PASSED, result.verdict()


def test_a_small_error_is_close_but_not_equal():
    result = w4.check_stdp(lambda *a: direct_sum(*a) * (1 + 1e-4), quiet=True)
    assert result.status == FAILED
    assert "close (within 10%), but not equal" in result.messages[-1], result.verdict()


@pytest.mark.parametrize("fn", [lambda *a: 0, lambda *a: int(round(direct_sum(*a)))], ids=["zero", "int"])
def test_zero_everywhere_is_not_blamed_on_units(fn):
    result = w4.check_stdp(fn, quiet=True)
    assert result.status == FAILED
    text = result.verdict()
    assert "Δw = 0 on every case" in text and "time constants are in seconds but" not in text, text
    assert "int" in result.hint


def test_an_unsorted_train_and_no_pre_spikes_are_cases():
    def sorted_only(pre, post, *params):  # assumes sorted input: takes the first and last spike as given
        pre, post = np.asarray(pre, float), np.asarray(post, float)
        if pre.size == 0:
            return 1.0  # a typo for the "no spikes" branch
        return direct_sum(pre, post, *params)

    result = w4.check_stdp(sorted_only, quiet=True)
    assert result.status == FAILED and "no pre spikes at all" in result.messages[-1], result.verdict()

    def needs_order(pre, post, *params):  # a trace loop over the trains without sorting them
        pre, post = list(pre), list(post)
        events = [(t, "pre") for t in pre] + [(t, "post") for t in post]
        events.sort(key=lambda e: e[1] == "post")  # groups by kind, keeps the given order of times
        return make_stdp()(pre, post, *params) if pre == sorted(pre) and post == sorted(post) else 0.5

    result = w4.check_stdp(needs_order, quiet=True)
    assert result.status == FAILED and "out of order" in result.messages[-1], result.verdict()


def test_an_exception_says_your_once():
    result = w4.check_stdp(lambda pre, post: 0.0, quiet=True)
    assert result.status == FAILED
    assert any("your STDP function cannot be called the way the check calls it" in m for m in result.messages), result.verdict()
    assert not any("your your" in m for m in result.messages)
    result = w4.check_latencies(lambda s, o, w: 1 / 0, quiet=True)
    assert any("your latency function raised ZeroDivisionError" in m for m in result.messages), result.verdict()


def test_a_none_result_is_the_one_returned_nothing_message():
    result = w4.check_latencies(lambda s, o, w: None, quiet=True)
    assert any("your latency function returned nothing (None)" in m for m in result.messages), result.verdict()
    result = w4.check_group_means(lambda w, g: None, quiet=True)
    assert any("your group-mean function returned nothing (None)" in m for m in result.messages), result.verdict()


def incl(s, o, w):
    """Latencies with a closed window [onset, onset + w]."""
    s = np.sort(np.asarray(s, float))
    o = np.asarray(o, float)
    i = np.searchsorted(s, o)
    lat = np.full(o.shape, np.nan)
    ok = i < len(s)
    lat[ok] = s[i[ok]] - o[ok]
    lat[lat > w] = np.nan
    return lat


def test_a_closed_window_is_named_at_the_edge_case():
    result = w4.check_latencies(incl, quiet=True)
    assert result.status == FAILED
    message = result.messages[-1]
    assert "exactly at the edge of the window" in message and "exactly window_ms after the onset" in message, message
    assert "just outside" not in result.verdict()
    assert "half-open" in result.hint
    # every other case passed first
    assert len(result.messages) == 8


def test_the_nearest_spike_before_an_onset_fails():
    def nearest_any(s, o, w):
        s = np.sort(np.asarray(s, float))
        o = np.asarray(o, float)
        return np.array([np.abs(s - t).min() if s.size and np.abs(s - t).min() < w else np.nan for t in o])

    result = w4.check_latencies(nearest_any, quiet=True)
    assert result.status == FAILED, result.verdict()
    assert "nearest spike comes before the onset" in result.messages[-1]
    assert "before an onset" in result.hint


def test_negative_latencies_are_named():
    def signed(s, o, w):  # the nearest spike on either side, with its sign
        s = np.asarray(s, float)
        out = []
        for t in o:
            d = s - t
            out.append(d[np.argmin(np.abs(d))] if d.size and np.abs(d).min() < w else np.nan)
        return np.array(out)

    result = w4.check_latencies(signed, quiet=True)
    assert result.status == FAILED and "negative" in result.messages[-1], result.verdict()


@pytest.mark.parametrize("rounding", [np.round, np.trunc], ids=["round", "int"])
def test_whole_ms_latencies_fail(rounding):
    result = w4.check_latencies(lambda s, o, w: latencies(rounding(np.asarray(s, float)), rounding(np.asarray(o, float)), w),
                                quiet=True)
    assert result.status == FAILED, result.verdict()
    assert "not whole ms" in result.messages[-1] and "round" in result.hint, result.verdict()


def test_bimodal_hints_do_not_give_the_line_and_name_a_swap():
    w = np.r_[np.zeros(60), np.full(80, 0.5), np.ones(60)] * 0.01
    result = w4.check_bimodal(0.25, 0.3, w, 0.01, quiet=True)
    assert result.status == FAILED
    assert "np.mean" not in result.hint and "below 0.1 w_max" in result.messages[-1] and "beyond" not in result.verdict()
    skewed = np.r_[np.zeros(50), np.full(80, 0.5), np.ones(70)] * 0.01
    result = w4.check_bimodal(0.35, 0.25, skewed, 0.01, quiet=True)
    assert result.status == FAILED and "swapped" in result.messages[-1], result.verdict()
    result = w4.check_bimodal(-0.3, 0.3, w, 0.01, quiet=True)
    assert result.status == FAILED and "between 0 and 1" in result.messages[-1], result.verdict()
    result = w4.check_bimodal(30.0, 0.3, w, 0.01, quiet=True)
    assert "not by 1 %" not in result.hint and "100" in result.hint


def test_group_mean_hint_does_not_give_the_line():
    result = w4.check_group_means(lambda w, g: np.asarray(w).reshape(-1, g).mean(axis=0), quiet=True)
    assert result.status == FAILED and "across groups" in result.messages[-1]
    assert "reshape" not in result.hint and "axis" not in result.hint, result.hint


@pytest.mark.parametrize(("answer", "words"), [(4, "count the groups from 1"), (-1, "from 0 to"), (509, "from 0 to")])
def test_a_group_index_out_of_range(answer, words):
    w = np.repeat([0.1, 0.2, 0.3, 0.9], 5)
    result = w4.check_winning_group(answer, w, [0, 0.01, 0.02, 0.05], 5, quiet=True)
    assert result.status == FAILED
    assert "numbered 0 to 3" in result.messages[-1] and "nan" not in result.verdict(), result.verdict()
    assert words in result.hint


# ---------------------------------------------------------------------------
# Issue 22: loopholes, shortcuts, giveaways
# ---------------------------------------------------------------------------


def unsorted_latencies(spike_times_ms, onsets_ms, window_ms):
    """Searches the spike times as given: right only when they come sorted (they always did, issue 22)."""
    s = np.asarray(spike_times_ms, float)
    o = np.asarray(onsets_ms, float)
    i = np.searchsorted(s, o)
    lat = np.full(o.shape, np.nan)
    ok = i < len(s)
    lat[ok] = s[i[ok]] - o[ok]
    lat[(lat >= window_ms) | (lat < 0)] = np.nan
    return lat


def test_latencies_that_assume_sorted_spike_times_fail():
    result = w4.check_latencies(unsorted_latencies, quiet=True)
    assert result.status == FAILED, result.verdict()
    assert "not sorted" in result.messages[-1] and "np.sort" in result.hint


def test_minus_one_as_the_no_spike_marker_is_named():
    """It was diagnosed as "a spike before the onset was counted" (issue 22)."""
    result = w4.check_latencies(lambda s, o, w: np.nan_to_num(latencies(s, o, w), nan=-1.0), quiet=True)
    assert result.status == FAILED
    assert "got -1" in result.messages[-1] and "before the onset" not in result.verdict(), result.verdict()


@pytest.mark.parametrize(
    "check, answer",
    [
        (w4.check_latencies, plasticity.first_spike_latencies_ms),
        (w4.check_latencies, lambda s, o, w: np.asarray(plasticity.first_spike_latencies_ms(s, o, w))),
        (w4.check_stdp, plasticity.pair_stdp_weight_change),
        (w4.check_stdp, lambda pre, post, *p: plasticity.nearest_pairs_weight_change(pre, post, *p)),
    ],
)
def test_the_library_shortcut_is_refused(check, answer):
    result = check(answer, quiet=True)
    assert result.status == FAILED and "the task is to write it yourself" in result.verdict(), result.verdict()


def test_a_building_block_the_notebook_hands_out_stays_allowed():
    """The window W(Δt) summed over all pairs is the definition, not the library's trace implementation."""
    def by_window(pre, post, Ap, Am, tp, tm):
        dt = np.asarray(post, float)[None, :] - np.asarray(pre, float)[:, None]
        return float(np.sum(plasticity.stdp_window(dt, Ap, Am, tp, tm)))

    assert w4.check_stdp(by_window, quiet=True).status == PASSED


def _bimodal_weights():
    rng = np.random.default_rng(0)
    return np.concatenate([rng.uniform(0, 0.001, 300), rng.uniform(0.0095, 0.01, 300), rng.uniform(0, 0.01, 400)])


def test_bimodal_failures_never_print_the_fractions():
    w = _bimodal_weights()
    below, above = float(np.mean(w < 0.001)), float(np.mean(w > 0.009))
    for answer in [(0.236, 0.208), (below + 0.05, above), (above, below), (below, 0.5)]:
        result = w4.check_bimodal(*answer, w, 0.01, quiet=True)
        assert result.status == FAILED
        text = result.messages[-1] + (result.hint or "")
        for value in (below, above):
            if any(np.isclose(value, a) for a in answer):
                continue  # the learner's own value may be echoed
            for shown in (f"{value:.4g}", f"{value:.3f}", f"{value:.1%}", f"{value:.2f}"):
                assert shown not in text, (shown, text)


def test_winning_group_failure_does_not_name_the_winner():
    w = np.concatenate([np.full(250, 0.1), np.full(250, 0.2), np.full(250, 0.3), np.full(250, 0.9)])
    corr = np.array([0.0, 0.01, 0.02, 0.05])
    for wrong in (0, 1, 2):
        result = w4.check_winning_group(wrong, w, corr, 250, quiet=True)
        assert result.status == FAILED and "3" not in result.verdict(), result.verdict()
    for not_an_index in (True, 3.0, "3", [3]):
        assert w4.check_winning_group(not_an_index, w, corr, 250, quiet=True).status == FAILED


def test_a_fresh_stdp_case_defeats_a_lookup_table():
    from neuro4ml.tasks.w4 import stdp_cases

    table = {(tuple(c.pre), tuple(c.post)): c.all_pairs() for c in stdp_cases(seed=0)[:-1]}
    result = w4.check_stdp(lambda pre, post, *p: table.get((tuple(pre), tuple(post)), 0.0), quiet=True)
    assert result.status == FAILED and "drawn with seed" in result.messages[-1], result.verdict()


# --- found by trying the week again as a learner (issue 22, step 7) -----------------


def test_none_for_no_spike_is_refused_not_read_as_nan():
    """Numpy turns [5.0, None] into [5.0, nan], so None passed; the notebook's np.nanmean then fails on it."""
    result = w4.check_latencies(lambda s, o, w: [None if np.isnan(x) else x for x in latencies(s, o, w)], quiet=True)
    assert result.status == FAILED and "hold None" in result.messages[-1] and "np.nan" in result.hint


def test_spike_times_cut_to_whole_ms_are_named():
    result = w4.check_latencies(lambda s, o, w: latencies(np.asarray(s).astype(int), o, w), quiet=True)
    assert result.status == FAILED and "cut to whole ms" in result.messages[-1], result.verdict()


def test_floor_division_in_the_group_means_is_named():
    result = w4.check_group_means(lambda w, g: w.reshape(-1, g).sum(1) // g, quiet=True)
    assert result.status == FAILED and "`//`" in result.messages[-1], result.verdict()


def test_frac_below_counting_the_bound_itself_is_named():
    w = np.concatenate([_bimodal_weights(), [0.001] * 5])
    result = w4.check_bimodal(np.mean(w <= 0.001), np.mean(w > 0.009), w, 0.01, quiet=True)
    assert result.status == FAILED and "exactly at 0.1 w_max" in result.messages[-1], result.verdict()



def test_learner_trial_containers_are_refused():
    """Final learner trial: a one-element list for the weight change, and a list of means, passed."""
    right = make_stdp()
    assert w4.check_stdp(right, quiet=True).passed
    result = w4.check_stdp(lambda *a: [right(*a)], quiet=True)
    assert result.status == FAILED

    def as_list(w, group_size):
        return list(np.asarray(w).reshape(-1, group_size).mean(axis=1))

    result = w4.check_group_means(as_list, quiet=True)
    assert result.status == FAILED and "not a numpy array" in result.verdict()
