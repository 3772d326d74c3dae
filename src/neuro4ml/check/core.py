"""The machinery every answer check is built from.

A check is a generator function decorated with :func:`check`. It calls the
learner's code through :func:`call`, validates what came back with
:func:`as_array` / :func:`require`, compares with the library's reference, and
``yield``\\ s one line per case that passed. To stop with a verdict it raises
:class:`Feedback` (what was expected, what came back, and a hint at the likely
cause). The decorator turns all of that into a printed verdict and a
:class:`CheckResult`; it never lets an exception reach the learner. A library
reference run on values the learner chose goes through :func:`reference`, so that
values the library rejects become a verdict too; :func:`describe` and
:func:`size_of` look at whatever came back without ever raising::

    @check("LIF neuron")
    def check_lif(lif):
        out = call(lif, "lif", I, tau_ms=10.0, dt_ms=0.1)
        v = as_array(out, "the returned V", shape=I.shape)
        ...
        yield "constant input: spike times match"
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

#: numpy's warning for a complex value cast to float (``np.exceptions`` is numpy >= 1.25).
_ComplexWarning = np.exceptions.ComplexWarning if hasattr(np, "exceptions") else np.ComplexWarning

PASSED = "passed"
FAILED = "failed"
NOT_IMPLEMENTED = "not implemented yet"
CHECK_ERROR = "check error"


class Feedback(Exception):
    """Stops a check with a verdict for the learner.

    Parameters
    ----------
    message : str
        What is wrong, concretely: expected vs. got.
    hint : str, optional
        The likely cause and what to try.
    status : str
        :data:`FAILED` (default) or :data:`NOT_IMPLEMENTED`.
    """

    def __init__(self, message: str, hint: str | None = None, status: str = FAILED):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.status = status


@dataclass
class CheckResult:
    """The outcome of one check: ``passed`` and the messages shown to the learner."""

    name: str
    status: str
    messages: list[str] = field(default_factory=list)
    hint: str | None = None

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    def __bool__(self) -> bool:
        return self.passed

    def verdict(self) -> str:
        symbol = {PASSED: "✅", NOT_IMPLEMENTED: "⏳"}.get(self.status, "❌")
        lines = [f"{symbol} {self.name}: {self.status}"]
        lines += [f"   {m}" for m in self.messages]
        if self.hint:
            lines.append(f"   Hint: {self.hint}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.verdict()

    def _ipython_display_(self) -> None:
        # The verdict was printed when the check ran; showing it again would repeat it.
        pass


def check(name: str) -> Callable[[Callable[..., Iterator[str]]], Callable[..., CheckResult]]:
    """Make a generator of passed-case messages into a safe, printing check."""

    def decorate(body: Callable[..., Iterator[str]]) -> Callable[..., CheckResult]:
        @functools.wraps(body)
        def run(*args, quiet: bool = False, **kwargs) -> CheckResult:
            passed: list[str] = []
            try:
                for message in body(*args, **kwargs):
                    passed.append(message)
                result = CheckResult(name, PASSED, passed)
            except Feedback as fb:
                result = CheckResult(name, fb.status, [*passed, fb.message] if fb.status == FAILED else [fb.message], fb.hint)
            except Exception as exc:  # a bug in the check, never the learner's fault
                result = CheckResult(
                    name,
                    CHECK_ERROR,
                    [f"the check itself failed ({type(exc).__name__}: {exc}); please report this on the course Discord"],
                )
            if not quiet:
                print(result.verdict())
            return result

        return run

    return decorate


_PACKAGE_DIR = str(Path(__file__).resolve().parents[1])


def _learner_line(exc: BaseException) -> str:
    """Where in the learner's code an exception came from (the innermost frame outside neuro4ml)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith(_PACKAGE_DIR)]
    if not frames:
        return ""
    frame = frames[-1]
    code = f": {frame.line.strip()}" if frame.line else ""
    return f" (line {frame.lineno}{code})"


def _yours(name: str) -> str:
    """``name`` as the learner's: "your lif", and "your STDP function" not "your your STDP function"."""
    return name if name.lower().startswith("your ") else f"your {name}"


def _verb(name: str, singular: str, plural: str) -> str:
    """The verb that agrees with ``name``: plural for a described plural ("the returned latencies are").

    A variable name (``tuning_curves``, ``tau_ms``) is one object and takes the singular.
    """
    words = name.split()
    last = words[-1] if words else ""
    is_plural = len(words) > 1 and last.endswith("s") and not last.endswith("ss") and "_" not in last
    return plural if is_plural else singular


def call(fn: Any, name: str, *args, **kwargs) -> Any:
    """Call the learner's ``fn``; turn a missing implementation or any exception into :class:`Feedback`.

    ``name`` is what the learner wrote (``"lif"`` or ``"your STDP function"``); messages
    say "your ..." once either way.
    """
    if fn is Ellipsis or fn is None:
        raise Feedback(f"{name} is not written yet.", status=NOT_IMPLEMENTED)
    if not callable(fn):
        raise Feedback(f"expected {name} to be a function, got {type(fn).__name__} {fn!r:.60}")
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise Feedback(
            f"{name} is not implemented yet: replace the `raise NotImplementedError` with your code.",
            status=NOT_IMPLEMENTED,
        ) from None
    except TypeError as exc:
        mismatch = _signature_mismatch(fn, args, kwargs)
        if mismatch is not None:
            raise Feedback(
                f"{_yours(name)} cannot be called the way the check calls it ({mismatch}): {exc}",
                hint="keep the parameter names and their order from the template's `def` line; the check "
                "passes the arguments under those names.",
            ) from None
        raise Feedback(
            f"{_yours(name)} raised TypeError: {exc}{_learner_line(exc)}",
            hint="call it on its own in a cell to see the full traceback.",
        ) from None
    except Exception as exc:
        raise Feedback(
            f"{_yours(name)} raised {type(exc).__name__}: {exc}{_learner_line(exc)}",
            hint="call it on its own in a cell to see the full traceback.",
        ) from None


def _signature_mismatch(fn: Any, args: tuple, kwargs: dict) -> str | None:
    """How the call's arguments fail to fit ``fn``'s parameters, or None when they fit (or it cannot tell).

    Tells a TypeError from the call itself (a renamed or missing parameter) from one raised
    inside the learner's code.
    """
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    try:
        signature.bind(*args, **kwargs)
    except TypeError:
        passed = [f"{len(args)} positional argument(s)"] if args else []
        if kwargs:
            passed.append("keywords " + ", ".join(kwargs))
        return f"it takes ({', '.join(signature.parameters)}), the check passes {' and '.join(passed)}"
    return None


def require(value: Any, name: str) -> Any:
    """``value`` itself, unless it is still the ``...`` placeholder."""
    if value is Ellipsis:
        raise Feedback(f"{name} {_verb(name, 'is', 'are')} still `...`: replace it with your answer.", status=NOT_IMPLEMENTED)
    return value


def as_array(
    value: Any,
    name: str,
    *,
    shape: tuple[int, ...] | None = None,
    ndim: int | None = None,
    finite: bool = True,
    hint: str | None = None,
) -> np.ndarray:
    """``value`` as a float array, with a specific message for each way it can be wrong.

    ``hint`` is shown with any message that has no more specific hint of its own.
    """
    try:
        return _as_array(value, name, shape=shape, ndim=ndim, finite=finite)
    except Feedback as feedback:
        feedback.hint = feedback.hint or hint
        raise


def as_number(value: Any, name: str, *, hint: str | None = None) -> float:
    """``value`` as one finite float, with a message for a placeholder, a non-number, NaN or inf."""
    require(value, name)
    if value is None or isinstance(value, (str, bytes)):
        raise Feedback(f"expected {name} to be one number, got {type(value).__name__} {value!r:.60}", hint=hint)
    array = as_array(value, name, finite=False, hint=hint)
    if array.size != 1:
        raise Feedback(f"expected {name} to be one number, got an array of shape {array.shape}", hint=hint)
    number = float(array.reshape(()))
    if not np.isfinite(number):
        raise Feedback(f"{name} is {number}", hint=hint)
    return number


def _as_array(value: Any, name: str, *, shape, ndim, finite) -> np.ndarray:
    require(value, name)
    if value is None:
        raise Feedback(f"{name} {_verb(name, 'is', 'are')} None: did you forget a `return`?", hint="the last line of your function should return the result.")
    try:
        if isinstance(value, (complex, np.complexfloating)):
            raise _ComplexWarning
        with warnings.catch_warnings():
            warnings.simplefilter("error", _ComplexWarning)
            array = np.asarray(value, dtype=float)
    except _ComplexWarning:
        raise Feedback(
            f"{name} {_verb(name, 'holds', 'hold')} complex numbers: {_shown(value)}",
            hint="look for a square root or power of a negative number (np.emath, complex literals such as 1j).",
        ) from None
    except OverflowError:
        raise Feedback(
            f"{name} {_verb(name, 'holds', 'hold')} a number too large for a float (more than about 1.8e308): {_shown(value)}",
            hint="a value that grows without bound; look for a wrong sign, unit or exponent.",
        ) from None
    except Exception:  # TypeError, ValueError, or anything an odd object raises when converted
        raise Feedback(f"expected {name} to be an array of numbers, got {describe(value)}", hint=what_to_take(value)) from None
    if ndim is not None and array.ndim != ndim:
        raise Feedback(f"expected {name} to have {ndim} dimension(s), got shape {array.shape}")
    if shape is not None and array.shape != tuple(shape):
        raise Feedback(f"expected {name} to have shape {tuple(shape)}, got {array.shape}")
    if finite:
        if np.isnan(array).any():
            first = np.argwhere(np.isnan(array))[0]
            raise Feedback(
                f"{name} {_verb(name, 'contains', 'contain')} NaN (first at index {tuple(int(i) for i in first)})",
                hint="look for 0/0, a log or sqrt of a negative number, or an uninitialised array (np.empty).",
            )
        if np.isinf(array).any():
            raise Feedback(
                f"{name} {_verb(name, 'contains', 'contain')} infinite values",
                hint="a division by zero or a value that grows without bound (is the time step or time constant 0?).",
            )
    return array


def _shown(value: Any, width: int = 80) -> str:
    """``repr(value)``, shortened to ``width`` characters, never failing."""
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= width else text[: width - 3] + "..."


def _fields(value: Any) -> list[str]:
    """The public data fields of a result object such as a NeuronRun (empty for other values)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [f.name for f in dataclasses.fields(value)]
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return list(value._fields)
    return []


def describe(value: Any) -> str:
    """What the learner's code returned, in a few words: its type and a short form of it.

    A library result object is named with its fields, since the learner needs one of
    them (``a NeuronRun (fields t_ms, v, spike_times_ms, state)``); a list or tuple
    of arrays of different lengths says so.
    """
    try:
        return _describe(value)
    except Exception:  # an odd object: its type is all we can say
        return f"{type(value).__name__} {_shown(value)}"


def _describe(value: Any) -> str:
    fields = _fields(value)
    if fields:
        return f"a {type(value).__name__} (fields {', '.join(fields)})"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}" + (f" and dtype {value.dtype}" if value.dtype.kind not in "biuf" else "")
    if isinstance(value, (list, tuple)):
        nested = [i for i, item in enumerate(value) if isinstance(item, (np.ndarray, list, tuple)) and np.ndim(item) > 0]
        if nested and len(nested) < len(value) and all(np.ndim(item) == 0 for item in value if not isinstance(item, (np.ndarray, list, tuple))):
            first = value[nested[0]]
            return (
                f"a {type(value).__name__} of {len(value)} items mixing numbers and arrays (item {nested[0]} is "
                f"{describe(first) if isinstance(first, np.ndarray) else 'a ' + type(first).__name__})"
            )
        sizes = [size_of(item) for item in value[:6]]
        if any(size is not None and size > 1 for size in sizes) or any(size is None for size in sizes):
            parts = ", ".join("?" if size is None else str(size) for size in sizes)
            return f"a {type(value).__name__} of {len(value)} items of sizes {parts}{', ...' if len(value) > 6 else ''}"
    return f"{type(value).__name__} {_shown(value)}"


def what_to_take(value: Any) -> str | None:
    """A hint for a result object returned whole: take the field you need from it."""
    fields = _fields(value)
    if not fields:
        return None
    return (
        f"you returned the whole {type(value).__name__}; return the array you need from it, one of its "
        f"fields ({', '.join(fields)})."
    )


def size_of(value: Any) -> int | None:
    """The number of entries of ``value`` as an array (1 for a number), or None when it is not one."""
    try:
        return int(np.size(np.asarray(value, dtype=float)))
    except Exception:
        return None


def reference(fn: Callable[..., Any], *args, about: str, **kwargs) -> Any:
    """Run a library reference on values the learner chose; bad values become :class:`Feedback`.

    The library rejects what it cannot simulate (a weight so large the input is
    infinite, a negative time constant) with ``ValueError``; for the learner that is
    a verdict on ``about`` (e.g. "your parameters"), not a failure of the check.
    """
    try:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    except (ValueError, OverflowError, FloatingPointError, ZeroDivisionError) as exc:
        raise Feedback(
            f"the simulation cannot run with {about}: {exc}",
            hint="keep every value a moderate, finite number of the right sign (time constants > 0).",
        ) from None


def first_difference(got: np.ndarray, expected: np.ndarray) -> str:
    """Describe the largest deviation between two arrays of the same shape."""
    error = np.abs(got - expected)
    index = np.unravel_index(int(np.argmax(error)), error.shape)
    where = index[0] if len(index) == 1 else tuple(int(i) for i in index)
    return f"largest error {error[index]:.3g} at index {where} (expected {expected[index]:.6g}, got {got[index]:.6g})"


def same(got: np.ndarray, expected: np.ndarray, *, rtol: float = 1e-9, atol: float = 1e-12) -> bool:
    """Same shape and equal to rounding (NaNs and infinities equal themselves)."""
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True))


def in_case(description: str, feedback: Feedback) -> Feedback:
    """``feedback`` with the case it was found on named first, so the learner can reproduce it."""
    feedback.message = f"{description}: {feedback.message}"
    return feedback


def first_values(values: Any, count: int = 5) -> str:
    """The first few values of an array, for a message: ``[1.5, 2, ...]`` or ``none``."""
    values = np.asarray(values, dtype=float).ravel()
    if values.size == 0:
        return "none"
    shown = ", ".join(f"{v:.6g}" for v in values[:count])
    return f"[{shown}{', ...' if values.size > count else ''}]"
