"""Every public answer check, fed arbitrary learner answers, answers the learner and never blames itself.

The checks are found, not listed: every ``check_*`` in every ``neuro4ml.check.wN``
module, so a week added later is fuzzed without touching this file. Each argument of
a check gets either a value or a function (the learner's answer to a "write a
function" task) that returns such a value or raises. The values are the things a
learner's code really produces when it goes wrong: None, the ``...`` placeholder,
NaN, infinities, huge numbers (also Python integers too large for a float), empty,
ragged and wrongly shaped arrays, strings, dicts, library results returned whole,
tuples of those.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import neuro4ml.check
from neuro4ml.check.core import CHECK_ERROR
from neuro4ml.models import neurons


def _public_checks():
    """``(qualified name, check)`` for every ``check_*`` of every week module, in order."""
    found = []
    for module_info in sorted(pkgutil.iter_modules(neuro4ml.check.__path__), key=lambda m: m.name):
        if not re.fullmatch(r"w\d+", module_info.name):
            continue
        module = importlib.import_module(f"neuro4ml.check.{module_info.name}")
        for name in getattr(module, "__all__", dir(module)):
            if name.startswith("check_") and callable(getattr(module, name)):
                found.append((f"{module_info.name}.{name}", getattr(module, name)))
    return found


CHECKS = _public_checks()


def test_the_checks_are_found():
    names = {name for name, _ in CHECKS}
    assert {"w1.check_lif", "w1.check_fit", "w2.check_euler", "w2.check_delay_estimator"} <= names


def _arity(check_function) -> int:
    """The number of answers a check takes (its positional parameters, ``quiet`` excluded)."""
    parameters = inspect.signature(inspect.unwrap(check_function)).parameters.values()
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters)


_a_run = neurons.lif(np.full(20, 1.5), tau_ms=2.0, dt_ms=0.5)

numbers = st.one_of(
    st.sampled_from([0, 1, -1, 0.5, 1e-300, 1e308, -1e308, 10**400, -(10**400), True, 2 + 3j, np.float32(1.5)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
)
odd_things = st.sampled_from([
    None,
    ...,
    "",
    "1.5",
    "abc",
    b"bytes",
    {},
    {"tau_ms": 1.0},
    set(),
    object(),
    _a_run,
    np.array([]),
    np.zeros((0, 2)),
    np.array(["a", "b"]),
    np.array([np.nan, 1.0]),
    np.array([np.inf]),
    np.array([1e308, 1e308]),
    np.zeros((2, 3, 4)),
    np.ones(7, dtype=bool),
    np.arange(5, dtype=np.int8),
    [np.array([1.0])],
    [0.0, np.array([0.5]), np.array([1.0, 2.0])],
    [[1.0], [1.0, 2.0]],
    [None, None],
    ["a", 1.0],
])
arrays = st.builds(
    lambda shape, fill: np.full(shape, fill),
    st.lists(st.integers(0, 12), min_size=0, max_size=3).map(tuple),
    st.one_of(numbers.filter(lambda v: not isinstance(v, (int, complex)) or abs(v) < 1e300), st.just(np.nan)),
)
plain = st.one_of(numbers, odd_things, arrays)
values = st.recursive(plain, lambda inner: st.one_of(st.tuples(inner, inner), st.lists(inner, max_size=4)), max_leaves=6)


class _Oops(Exception):
    pass


def _returning(value):
    def answer(*args, **kwargs):
        return value

    answer.__name__ = f"returns_{type(value).__name__}"
    return answer


def _raising(exception):
    def answer(*args, **kwargs):
        raise exception

    return answer


exceptions = st.sampled_from([
    ValueError("bad"), ZeroDivisionError("division by zero"), IndexError("index 5 is out of bounds"),
    KeyError("rate_hz"), TypeError("unsupported operand"), FloatingPointError("overflow"),
    OverflowError("math range error"), RecursionError("maximum recursion depth exceeded"),
    MemoryError(), AssertionError(), _Oops("a learner's own exception"), StopIteration(),
])
answers = st.one_of(values, values.map(_returning), exceptions.map(_raising))


@pytest.mark.parametrize("name, check_function", CHECKS, ids=[name for name, _ in CHECKS])
def test_a_check_never_raises_and_never_blames_itself(name, check_function):
    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    @given(st.lists(answers, min_size=_arity(check_function), max_size=_arity(check_function)))
    def run(arguments):
        with np.errstate(all="ignore"):
            result = check_function(*arguments, quiet=True)
        assert result.status != CHECK_ERROR, f"{name}{tuple(arguments)!r:.300}: {result.verdict()}"
        assert result.messages, result.verdict()

    run()


@pytest.mark.parametrize("name, check_function", CHECKS, ids=[name for name, _ in CHECKS])
def test_a_check_given_numbers_answers_the_learner(name, check_function):
    """Numbers alone, for the checks that take fitted values (a gain of 1e308 once made the library raise)."""

    @settings(max_examples=30, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.one_of(numbers, arrays), min_size=_arity(check_function), max_size=_arity(check_function)))
    def run(arguments):
        with np.errstate(all="ignore"):
            result = check_function(*arguments, quiet=True)
        assert result.status != CHECK_ERROR, f"{name}{tuple(arguments)!r:.300}: {result.verdict()}"

    run()


def test_the_issues_examples_are_learner_feedback():
    """The values that once produced "check error": 10**400, a = 1e308, weights of 1e308, no time constants."""
    from neuro4ml.check import w1, w2

    with np.errstate(all="ignore"):
        results = [
            w1.check_fit(10**400, 1.0, 0.0, quiet=True),
            w1.check_fit(9.0, 1e308, 0.0, quiet=True),
            w2.check_delay_population([1, 2, 3, 4, 5], [5, 6, 7, 8, 9], [1e308] * 5, quiet=True),
            w2.check_inhibition_sweep([], np.arange(-10.0, 10.5), np.zeros((0, 21, 2)), quiet=True),
            w1.check_lif(lambda I, **kwargs: ([np.array([0.0])] + [0.0] * (len(I) - 1), []), quiet=True),
        ]
    assert all(r.status == "failed" and r.hint for r in results), [r.verdict() for r in results]


# ---------------------------------------------------------------------------
# Issue 22: every check, every typical wrong type, shape, dtype and returned object
# ---------------------------------------------------------------------------


class _Opaque:
    """An object of the learner's own class (a model, a result holder) that is not what the check wants."""

    def __repr__(self):
        return "<Opaque>"


def _three_d_like_input(*args, **kwargs):
    """A 3-D output shaped after the first input (spikes over time where one value per item was expected)."""
    first = next((a for a in args if hasattr(a, "shape")), np.zeros(4))
    shape = tuple(np.shape(first))[:2] or (4,)
    return np.ones((*shape, 3) if len(shape) < 3 else shape)


def _generator(*args, **kwargs):
    return (x for x in range(3))


#: Wrong answers of every kind a learner writes: text, lists, the placeholder, booleans,
#: None, 3-D arrays, odd dtypes, objects returned whole.
TYPICAL_WRONG = {
    "text": "2.5",
    "text array": np.array(["1", "2"]),
    "list": [1.0, 2.0, 3.0],
    "nested list": [[1.0, 2.0], [3.0]],
    "ellipsis": ...,
    "True": True,
    "None": None,
    "NotImplemented": NotImplemented,
    "3-D array": np.ones((3, 4, 5)),
    "empty 3-D": np.zeros((0, 2, 2)),
    "int8 array": np.arange(6, dtype=np.int8),
    "bool array": np.array([True, False, True]),
    "float16 array": np.ones(4, dtype=np.float16),
    "complex array": np.array([1 + 1j, 2.0]),
    "object array": np.array([None, "a", 1.0], dtype=object),
    "datetime array": np.array(["2024-01-01"], dtype="datetime64[D]"),
    "dict": {"a": 1.0},
    "own object": _Opaque(),
    "a NeuronRun returned whole": _a_run,
    "a set": {1.0, 2.0},
}

#: Functions the learner passes that return the wrong thing.
TYPICAL_WRONG_FUNCTIONS = {
    **{f"returns {k}": _returning(v) for k, v in TYPICAL_WRONG.items()},
    "returns a 3-D array shaped like its input": _three_d_like_input,
    "returns a generator": _generator,
    "returns itself": lambda *a, **k: _three_d_like_input,
}

def _typical_cases():
    for name, check_function in CHECKS:
        for kind, table in (("value", TYPICAL_WRONG), ("function", TYPICAL_WRONG_FUNCTIONS)):
            yield pytest.param(name, check_function, kind, table, id=f"{name}-{kind}")


@pytest.mark.parametrize("name, check_function, kind, table", list(_typical_cases()))
def test_every_typical_wrong_answer_gets_learner_feedback(name, check_function, kind, table):
    """Each wrong thing in every argument at once, and in each argument alone next to right-looking ones."""
    n = _arity(check_function)
    failures = []
    for label, wrong in table.items():
        for arguments in ([wrong] * n, *([wrong if j == i else np.zeros(3) for j in range(n)] for i in range(min(n, 2)))):
            with np.errstate(all="ignore"):
                result = check_function(*arguments, quiet=True)
            if result.status == CHECK_ERROR or not result.messages or result.status == "passed":
                failures.append(f"{label}: {result.verdict()}")
    assert not failures, "\n".join(failures[:5])


# ---------------------------------------------------------------------------
# Weeks 5-8: the objects those weeks' code returns when it goes wrong
# ---------------------------------------------------------------------------


def _week_objects():
    """Things a learner's code in weeks 5-8 returns by mistake: tensors of odd shapes, whole result objects, networks."""
    torch = pytest.importorskip("torch")
    from neuro4ml.data import randman
    from neuro4ml.hardware.neuromorphic import TEACHING_CHIP, EventCounts
    from neuro4ml.learning import snn
    from neuro4ml.models import decision
    from neuro4ml.tasks.w5 import RANDMAN_TASK

    class OverTime(torch.nn.Module):
        """A network whose forward returns spikes over time, (batch, time, classes)."""

        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(20, 10)

        def forward(self, x, record=False):
            return self.layer(x)

    class Scalar(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(1))

        def forward(self, x, record=False):
            return self.w.sum()

    data = randman(8, **RANDMAN_TASK)
    return [
        torch.zeros(3, 40, 6), torch.zeros(40, 3, 6), torch.zeros(2, 2), torch.tensor(1.5), torch.zeros(3, 8, dtype=torch.bool),
        torch.zeros(0), torch.full((3, 8), float("nan")), (torch.zeros(3, 8), torch.zeros(3, 8)), [torch.zeros(3, 6)] * 4,
        OverTime(), Scalar(), snn.SNN(20, 4, 10), data, data.x, data.y,
        EventCounts(10, 20, 3, np.zeros((1, 1, 1)), 1, 1), TEACHING_CHIP,
        decision.simulate_ddm(1.0, 1.0, n_trials=5, rng=0), np.zeros((5, 5)), np.eye(12), "fits", {"A": "fits"},
        {("LC", 0): (1.0, 1.0, 0.3)},
    ]


def _week_checks():
    return [(name, fn) for name, fn in CHECKS if name.split(".")[0] in ("w5", "w6", "w7", "w8")]


@pytest.mark.parametrize("name, check_function", _week_checks(), ids=[name for name, _ in _week_checks()])
def test_weeks_5_to_8_answer_their_own_kind_of_wrong_output(name, check_function):
    """Tensors of every shape (3-D outputs included), whole result objects and networks, as values or returned."""
    objects = _week_objects()
    kinds = st.sampled_from(objects)
    answer = st.one_of(kinds, kinds.map(_returning), st.sampled_from([None, ..., 1.0, "0.5", True]))

    @settings(max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(answer, min_size=_arity(check_function), max_size=_arity(check_function)))
    def run(arguments):
        with np.errstate(all="ignore"):
            result = check_function(*arguments, quiet=True)
        assert result.status != CHECK_ERROR, f"{name}{tuple(arguments)!r:.300}: {result.verdict()}"
        assert result.messages, result.verdict()

    run()
