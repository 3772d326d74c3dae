"""Week 4 checks: right answers pass, and each typical STDP mistake gets its own diagnosis."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neuro4ml.check import w4
from neuro4ml.check.core import FAILED, NOT_IMPLEMENTED, PASSED


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
    assert len(result.messages) == 7


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


def test_a_wrong_answer_with_no_known_cause_still_gets_the_values():
    result = w4.check_stdp(lambda *a: 1.5 * direct_sum(*a), quiet=True)
    assert result.status == FAILED and any("expected Δw = " in m for m in result.messages), result.verdict()


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
