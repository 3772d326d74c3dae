"""The check machinery: every way a learner's answer can go wrong gets its own message, none raises."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.check.core import CHECK_ERROR, FAILED, NOT_IMPLEMENTED, PASSED, Feedback, as_array, call, check


@check("doubling")
def check_double(fn):
    x = np.arange(4.0)
    got = as_array(call(fn, "double", x), "the returned array", shape=x.shape)
    if not np.allclose(got, 2 * x):
        raise Feedback(f"expected {2 * x}, got {got}", hint="multiply by two")
    yield "doubles an array"


def not_done(x):
    raise NotImplementedError


def raises_inside(x):
    return x / undefined_name  # noqa: F821


CASES = {
    "correct": (lambda x: 2 * x, PASSED, "doubles an array"),
    "not implemented": (not_done, NOT_IMPLEMENTED, "not implemented yet"),
    "placeholder": (..., NOT_IMPLEMENTED, "not written yet"),
    "exception inside": (raises_inside, FAILED, "raised NameError: name 'undefined_name' is not defined (line"),
    "no return": (lambda x: None, FAILED, "your double returned nothing (None): did you forget the `return`?"),
    "wrong shape": (lambda x: np.zeros(3), FAILED, "expected the returned array to have shape (4,), got (3,)"),
    "NaN": (lambda x: x * np.nan, FAILED, "contains NaN (first at index (0,))"),
    "infinite": (lambda x: x + np.inf, FAILED, "contains infinite values"),
    "wrong type": (lambda x: "two", FAILED, "expected the returned array to be an array of numbers, got text (str 'two')"),
    "not a function": (42, FAILED, "expected double to be a function, got int"),
    "wrong values": (lambda x: 3 * x, FAILED, "expected [0. 2. 4. 6.]"),
}


@pytest.mark.parametrize("case", CASES)
def test_each_mistake_gets_its_own_message(case, capsys):
    fn, status, message = CASES[case]
    with np.errstate(all="ignore"):
        result = check_double(fn)
    assert result.status == status
    assert result.passed == (status == PASSED)
    printed = capsys.readouterr().out
    assert message in printed
    assert message in "\n".join(result.messages)


def test_a_bug_in_the_check_itself_is_reported_not_raised(capsys):
    @check("buggy")
    def buggy(fn):
        raise KeyError("oops")
        yield

    result = buggy(None)
    assert result.status == CHECK_ERROR and not result
    assert "the check itself failed" in capsys.readouterr().out


def test_hint_is_shown_with_the_failure(capsys):
    result = check_double(lambda x: 3 * x)
    assert result.hint == "multiply by two"
    assert "Hint: multiply by two" in capsys.readouterr().out


def test_quiet_prints_nothing(capsys):
    assert check_double(lambda x: 2 * x, quiet=True).passed
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "value, message",
    [
        (..., "tau is not answered yet"),
        ("3", "expected tau to be one number, got text (str '3')"),
        (np.ones(2), "expected tau to be one number, got an array of shape (2,)"),
        (float("nan"), "tau is nan"),
    ],
)
def test_as_number_names_what_is_wrong(value, message):
    from neuro4ml.check.core import as_number

    with pytest.raises(Feedback) as info:
        as_number(value, "tau", hint="fit tau")
    assert message in info.value.message
    assert info.value.hint is None or info.value.hint == "fit tau" or "text" in info.value.message


def test_as_number_accepts_numbers_and_0d_arrays():
    from neuro4ml.check.core import as_number

    assert as_number(np.float32(2.5), "tau") == 2.5 and as_number(np.array(3.0), "tau") == 3.0


def test_as_array_adds_the_callers_hint_only_where_there_is_none():
    with pytest.raises(Feedback) as info:
        as_array([1.0, 2.0], "x", shape=(3,), hint="one value per step")
    assert info.value.hint == "one value per step"
    with pytest.raises(Feedback) as info:
        as_array([np.nan], "x", hint="one value per step")
    assert "0/0" in info.value.hint


def test_helpers_for_messages():
    from neuro4ml.check.core import first_values, in_case, same

    assert same(np.array([1.0, np.nan]), np.array([1.0 + 1e-13, np.nan]))
    assert not same(np.ones(2), np.ones(3)) and not same(np.ones(2), np.ones(2) * 1.01)
    assert first_values([]) == "none" and first_values(np.arange(7.0), count=3) == "[0, 1, 2, ...]"
    assert in_case("constant input", Feedback("wrong")).message == "constant input: wrong"


@pytest.mark.parametrize(
    "value, message",
    [
        (10**400, "x holds a number too large for a float"),
        ([1.0, -(10**400)], "x holds a number too large for a float"),
        ([[1.0], [1.0, 2.0]], "expected x to be an array of numbers, got a list of 2 items of sizes 1, 2"),
        ([0.0, np.array([0.5, 1.0])], "got a list of 2 items mixing numbers and arrays (item 1 is an array of shape (2,))"),
        (object(), "expected x to be an array of numbers, got object"),
        (np.array([1.0, 2j]), "x holds complex numbers"),
        (2 + 3j, "x holds complex numbers"),
    ],
)
def test_as_array_turns_every_unconvertible_value_into_feedback(value, message):
    """10**400 raised OverflowError from inside the check: a "check error" instead of a verdict."""
    with pytest.raises(Feedback) as info:
        as_array(value, "x")
    assert message in info.value.message


def test_a_library_result_returned_whole_says_what_to_take_from_it():
    from neuro4ml.models import neurons

    run = neurons.lif(np.full(10, 2.0))
    with pytest.raises(Feedback) as info:
        as_array(run, "V_rec")
    assert "got a NeuronRun (fields t_ms, v, spike_times_ms, state)" in info.value.message
    assert "return the array you need from it" in info.value.hint


def test_size_of_never_raises():
    from neuro4ml.check.core import size_of

    assert size_of([np.array([1.0])]) == 1 and size_of(3.0) == 1 and size_of(np.zeros((2, 3))) == 6
    assert size_of([0.0, np.array([1.0, 2.0])]) is None and size_of("abc") is None and size_of(10**400) is None


def test_a_library_reference_rejecting_the_learners_values_is_feedback():
    from neuro4ml.check.core import reference
    from neuro4ml.models import neurons

    with pytest.raises(Feedback) as info:
        reference(neurons.lif, np.full(10, 1e308) * 10, about="your weights")
    assert info.value.message.startswith("the simulation cannot run with your weights: ")
    assert reference(neurons.lif, np.full(10, 2.0), about="x").v.shape == (10,)


def test_a_name_that_already_says_your_is_not_doubled():
    def broken():
        raise ValueError("boom")

    for name in ("your STDP function", "STDP function", "lif"):
        with pytest.raises(Feedback) as info:
            call(broken, name)
        assert info.value.message.startswith(f"your {name.removeprefix('your ')} raised ValueError: boom"), info.value.message
        assert "your your" not in info.value.message


@pytest.mark.parametrize(
    ("value", "name", "words"),
    [
        (None, "the returned latencies", "the returned latencies are None"),
        (None, "the returned means", "the returned means are None"),
        (None, "the returned V", "the returned V is None"),
        (None, "tuning_curves", "tuning_curves is None"),
        (None, "the returned weight change", "the returned weight change is None"),
        (..., "the final weights", "the final weights is not answered yet"),
        ([1.0, np.nan], "the returned counts", "the returned counts contain NaN"),
        ([1.0, np.inf], "the returned degrees", "the returned degrees contain infinite values"),
        (np.array([1.0, 2j]), "the returned means", "the returned means hold complex numbers"),
        ([1.0, np.nan], "tuning_curves", "tuning_curves contains NaN"),
    ],
)
def test_the_verb_agrees_with_a_plural_name(value, name, words):
    with pytest.raises(Feedback) as info:
        as_array(value, name)
    assert info.value.message.startswith(words), info.value.message


def test_call_names_a_signature_mismatch_but_not_a_type_error_inside():
    """A renamed parameter is a mismatch with the call; a TypeError inside the code is the code's own."""

    def renamed(a, b):
        return a + b

    with pytest.raises(Feedback) as info:
        call(renamed, "add", x=1, y=2)
    assert "cannot be called the way the check calls it" in info.value.message
    assert "(a, b)" in info.value.message and "keywords x, y" in info.value.message
    assert "parameter names" in info.value.hint and "on its own" not in info.value.hint

    with pytest.raises(Feedback) as info:
        call(renamed, "add", 1, 2, 3)
    assert "3 positional argument(s)" in info.value.message

    def inside(x, y):
        return len(x) + y  # TypeError from the learner's own line

    with pytest.raises(Feedback) as info:
        call(inside, "add", x=1, y=2)
    assert "raised TypeError" in info.value.message and "line" in info.value.message
    assert "on its own" in info.value.hint


# ---------------------------------------------------------------------------
# The policy: one number, arrays, not answered, returned nothing
# ---------------------------------------------------------------------------

from neuro4ml.check import core  # noqa: E402


@pytest.mark.parametrize("value", [..., None, NotImplemented])
def test_a_placeholder_is_not_answered_whatever_form_it_takes(value):
    with pytest.raises(Feedback) as info:
        core.as_number(value, "tau_ms")
    assert info.value.status == NOT_IMPLEMENTED
    assert info.value.message == core.NOT_ANSWERED.format(name="tau_ms")


@pytest.mark.parametrize(
    "value, words",
    [
        (True, "got the boolean True"),
        (np.bool_(False), "got the boolean False"),
        ("2.5", "got text (str '2.5')"),
        (b"2.5", "got text (bytes"),
        (np.str_("2.5"), "got text"),
        (["2.5"], "got text"),
        (np.array(["2.5"]), "got text"),
        (2 + 1j, "complex"),
        ({"x": 1}, "got dict"),
        (object(), "got object"),
        ([1.0, 2.0], "got a list"),
        (np.ones((1, 2)), "shape (1, 2)"),
        (float("inf"), "tau_ms is inf"),
        (10**400, "too large for a float"),
    ],
)
def test_as_number_refuses_what_is_not_one_number_naming_its_type(value, words):
    with pytest.raises(Feedback) as info:
        core.as_number(value, "tau_ms")
    assert info.value.status == FAILED
    assert "tau_ms" in info.value.message and words in info.value.message, info.value.message


def test_as_number_takes_a_scalar_or_one_element_unless_told_otherwise():
    assert core.as_number([2.5], "x") == 2.5 and core.as_number(np.array([[2.5]]), "x") == 2.5
    assert core.as_number(np.int64(3), "x") == 3.0 and core.as_number(np.float32(0.5), "x") == 0.5
    with pytest.raises(Feedback, match="got a list of 1"):
        core.as_number([2.5], "x", allow_one_element=False)
    with pytest.raises(Feedback, match="got an array of shape"):
        core.as_number(np.array([2.5]), "x", allow_one_element=False)


def test_an_integer_answer_refuses_floats_even_whole_ones():
    assert core.as_number(np.int32(7), "n", kind="integer") == 7
    assert isinstance(core.as_number(7, "n", kind="integer"), int)
    for value in (7.0, np.float64(7.0), 7.5, np.array([7.0])):
        with pytest.raises(Feedback, match="one whole number"):
            core.as_number(value, "n", kind="integer")
    with pytest.raises(ValueError):
        core.as_number(1, "n", kind="complex")


def test_bounds_are_options_and_say_the_range():
    assert core.as_number(0.0, "p", minimum=0.0, maximum=1.0) == 0.0
    with pytest.raises(Feedback, match=r"expected p to be in \(0, 1\], got 0"):
        core.as_number(0.0, "p", minimum=0.0, maximum=1.0, include_minimum=False)
    with pytest.raises(Feedback, match="expected tau to be greater than 0"):
        core.as_number(-1, "tau", minimum=0, include_minimum=False)
    with pytest.raises(Feedback, match="at most 10"):
        core.as_number(11, "n", maximum=10)


@pytest.mark.parametrize("value", ["1.5", b"1", np.array(["1", "2"]), ["1", 2.0], True])
def test_as_array_refuses_text_and_booleans(value):
    """Numpy reads "2.5" as 2.5; the old as_array returned it as a float."""
    with pytest.raises(Feedback) as info:
        core.as_array(value, "x")
    assert info.value.status == FAILED


def test_as_array_tells_a_missing_return_from_an_unanswered_variable():
    with pytest.raises(Feedback) as info:
        core.as_array(None, "V_rec")
    assert info.value.status == FAILED and "did you forget a `return`" in info.value.message
    with pytest.raises(Feedback) as info:
        core.as_array(None, "weights", returned=False)
    assert info.value.status == NOT_IMPLEMENTED


def test_a_function_that_returns_nothing_gets_the_one_message():
    with pytest.raises(Feedback) as info:
        call(lambda: None, "reciprocity")
    assert info.value.message == core.RETURNED_NOTHING.format(name="your reciprocity")
    assert info.value.hint == core.RETURNED_NOTHING_HINT
    assert call(lambda: None, "update", may_return_none=True) is None


def test_the_status_is_an_enum_that_reads_as_its_text():
    assert core.Status.PASSED == "passed" and f"{core.Status.FAILED}" == "failed"
    assert str(NOT_IMPLEMENTED) == "not implemented yet" and {s.value for s in core.Status} >= {"check error"}


# ---------------------------------------------------------------------------
# Closeness and the table of mistakes
# ---------------------------------------------------------------------------


def test_close_is_one_test_for_numbers_and_arrays_and_never_raises():
    assert core.close(1.0, 1.0 + 1e-12) and not core.close(1.0, 1.001)
    assert core.close([1.0, 2.0], np.array([1.0, 2.0])) and not core.close([1.0], [1.0, 1.0])
    assert not core.close(np.nan, np.nan) and core.close(np.nan, np.nan, core.Tolerance(equal_nan=True))
    assert core.close(np.inf, np.inf) and not core.close("a", 1.0) and not core.close(object(), 1.0)
    assert core.close(1.001, 1.0, core.Tolerance(rtol=1e-2))


def test_diagnose_returns_the_first_mistake_that_matches_and_differs_from_the_answer():
    halved = core.Mistake(lambda x: x / 2, "halved", "h")
    same_as_answer = core.Mistake(lambda x: x, "no difference here", "h")
    doubled = core.Mistake(lambda x: 2 * x, "doubled", "h")
    broken = core.Mistake(lambda x: 1 / 0, "cannot be computed", "h")
    table = [broken, same_as_answer, halved, doubled]
    assert core.diagnose(3.0, 3.0, table, context=(3.0,)) is None
    assert core.diagnose(6.0, 3.0, table, context=(3.0,)) is doubled
    assert core.diagnose(1.5 + 1e-3, 3.0, table, core.Tolerance(rtol=1e-2), context=(3.0,)) is halved
    assert core.diagnose(1.5 + 1e-3, 3.0, table, context=(3.0,)) is None
    assert core.diagnose(4.0, 3.0, [core.Mistake(4.0, "a value", "h")]) is not None


@pytest.mark.parametrize(
    "got, expected, words",
    [
        (375, 378, "close (within 10%), but not equal"),
        (130, 100, "too high by about 30 % of the expected value"),
        (50, 100, "too low by about 50 %"),
        (1000, 100, "too high, about 10 times"),
        (-5, 100, "wrong sign"),
    ],
)
def test_off_by_gives_direction_and_coarse_size_never_the_value(got, expected, words):
    text = core.off_by(got, expected)
    assert words in text, text
    assert str(expected) not in text


# ---------------------------------------------------------------------------
# Library shortcuts and time limits
# ---------------------------------------------------------------------------


def test_a_forbidden_library_function_is_refused_under_any_name_and_restored():
    from neuro4ml.analysis import connectome as cg
    from neuro4ml.analysis.connectome import reciprocity as imported

    A = np.array([[0, 1], [1, 0]])

    def shortcut(A):
        try:
            return imported(A)
        except Exception:  # a learner's broad except does not swallow the refusal
            return 0.5

    for fn in (shortcut, cg.reciprocity, lambda A: cg.reciprocity(A)):
        with pytest.raises(Feedback) as info:
            call(fn, "reciprocity", A, forbid=[cg.reciprocity])
        assert "calls the course library's neuro4ml.analysis.connectome.reciprocity" in info.value.message
        assert "the task is to write it yourself" in info.value.message
    assert cg.reciprocity(A) == 1.0  # put back


def test_an_allowed_building_block_still_works_while_another_is_forbidden():
    from neuro4ml.analysis import connectome as cg

    A = np.array([[0, 1], [0, 0]])
    assert call(lambda A: float(cg.presence(A).sum()), "f", A, forbid=[cg.reciprocity]) == 1.0


def test_a_time_limit_stops_the_learners_loop_with_a_verdict():
    def forever():
        while True:
            try:
                pass
            except Exception:
                pass

    with pytest.raises(Feedback) as info:
        call(forever, "simulate", time_limit_s=0.2)
    assert "was still running after 0.2 s" in info.value.message and info.value.status == FAILED


@pytest.mark.parametrize("value", [[5.0, None], (None,), np.array([1.0, None], dtype=object), [[1.0], [None]]])
def test_none_inside_an_array_is_refused_not_made_nan(value):
    with pytest.raises(Feedback) as info:
        core.as_array(value, "the returned latencies")
    assert "hold None" in info.value.message and "np.nan" in info.value.hint


def test_the_task_definitions_import_no_check_competition_or_course():
    """tasks/ is below check/ and competition: importing it must not pull either (nor the course tooling) in."""
    import subprocess
    import sys

    code = (
        "import sys, importlib\n"
        "for week in ('w1', 'w2', 'w3', 'w4'):\n"
        "    importlib.import_module(f'neuro4ml.tasks.{week}')\n"
        "bad = sorted(m for m in sys.modules\n"
        "             if m.split('.')[:2] in (['neuro4ml', 'check'], ['neuro4ml', 'competition'], ['neuro4ml', 'course']))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_week_modules_define_no_number_conversion_or_closeness_of_their_own():
    """The policy lives in check.core: no week 1-4 module defines its own _close, _one_number or "not implemented" status."""
    import re
    from pathlib import Path

    import neuro4ml.check

    folder = Path(neuro4ml.check.__file__).parent
    for week in ("w1", "w2", "w3", "w4"):
        text = (folder / f"{week}.py").read_text()
        assert not re.search(r"^def _(close|one_number|as_number|number)\b", text, re.M), week
        assert "math.isclose" not in text, week
        assert 'status="not implemented' not in text and "NOT_IMPLEMENTED = " not in text, week
