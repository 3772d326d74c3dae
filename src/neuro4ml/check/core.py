"""The machinery every answer check is built from, and the policy every week follows.

A check is a generator function decorated with :func:`check`. It calls the
learner's code through :func:`call`, validates what came back with
:func:`as_number` / :func:`as_array`, compares with the reference of
:mod:`neuro4ml.tasks` using :func:`close`, names a known mistake with
:func:`diagnose`, and ``yield``\\ s one line per case that passed. To stop with a
verdict it raises :class:`Feedback` (what is wrong, and a hint at the likely
cause). The decorator turns all of that into a printed verdict and a
:class:`CheckResult`; it never lets an exception reach the learner::

    @check("LIF neuron")
    def check_lif(lif):
        out = call(lif, "lif", I, tau_ms=10.0, dt_ms=0.1)
        v = as_array(out, "the returned V", shape=I.shape)
        ...
        yield "constant input: spike times match"

The policy, in one place (the patterns are scikit-learn's ``check_scalar`` /
``check_array``, nbgrader's "not answered" outcome, a table of known mistakes in the
spirit of PyBryt, and pytest's split between the user's failures and its own):

* **Not answered is its own outcome.** A value that is still ``...``, ``None`` or
  ``NotImplemented`` (:func:`unanswered`), a function that is still ``...`` or
  raises ``NotImplementedError``, ends the check with :attr:`Status.NOT_IMPLEMENTED`
  and the one message :data:`NOT_ANSWERED` -- before any type check.
* **A function that returns nothing** gets the one message :data:`RETURNED_NOTHING`
  (:func:`call` looks for it).
* **One number** (:func:`as_number`): a Python or numpy scalar, or (when
  ``allow_one_element``) an array or list with exactly one entry. ``True``/``False``
  and text are refused with a message naming their type; ``kind="integer"`` refuses
  ``2.5`` *and* ``2.0`` as a float; bounds are keyword options.
* **Arrays** (:func:`as_array`): numbers only; text, bytes and arrays of strings
  are refused (numpy would read ``"2.5"`` as a number).
* **One closeness test** (:func:`close`) with a :class:`Tolerance`; known mistakes
  are :class:`Mistake` rows and :func:`diagnose` applies them with the same
  tolerance, returning the first that matches.
* **Direction and size, never the answer**: :func:`off_by` says "too high by about
  30 %" without a value that can be pasted back.
* **The learner's code, not the library's**: :func:`call` can run the learner's
  function with named library functions made unavailable (``forbid=``), so that an
  answer that only calls the library's own implementation is told the task is to
  write it; and it can stop the learner's code after a time limit (``time_limit_s=``).
* **Your error or mine**: anything the learner's code or answer does ends in
  :attr:`Status.FAILED` with a message; :attr:`Status.CHECK_ERROR` ("please report
  this") is kept for exceptions raised by the check's own code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import inspect
import math
import numbers
import signal
import sys
import threading
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np

#: numpy's warning for a complex value cast to float (``np.exceptions`` is numpy >= 1.25).
_ComplexWarning = np.exceptions.ComplexWarning if hasattr(np, "exceptions") else np.ComplexWarning


class Status(str, enum.Enum):
    """The outcome of a check. A ``str`` so that ``result.status == "passed"`` holds."""

    PASSED = "passed"
    FAILED = "failed"
    #: the answer is still the template's placeholder: "not done yet", not a failure
    NOT_IMPLEMENTED = "not implemented yet"
    #: the check's own code raised: never the learner's fault
    CHECK_ERROR = "check error"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


PASSED = Status.PASSED
FAILED = Status.FAILED
NOT_IMPLEMENTED = Status.NOT_IMPLEMENTED
CHECK_ERROR = Status.CHECK_ERROR

#: The one message for an answer that is still a placeholder (``{name}`` is filled in).
NOT_ANSWERED = "{name} is not answered yet: replace the placeholder (`...`) with your answer."
#: The one message for a function that returned ``None``.
RETURNED_NOTHING = "{name} returned nothing (None): did you forget the `return`?"
#: The hint that goes with :data:`RETURNED_NOTHING`.
RETURNED_NOTHING_HINT = "the last line of your function should `return` the result."


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
        """Whether the check passed (its status is PASSED)."""
        return self.status == PASSED

    def __bool__(self) -> bool:
        return self.passed

    def verdict(self) -> str:
        """Return the result as text: a status line, then the messages and any hint."""
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


def unanswered(value: Any) -> bool:
    """True for a value the learner has not answered yet: ``...``, ``None`` or ``NotImplemented``."""
    return value is Ellipsis or value is None or value is NotImplemented


def not_answered(name: str) -> Feedback:
    """The one "not answered yet" verdict (:data:`NOT_ANSWERED`) for ``name``."""
    return Feedback(NOT_ANSWERED.format(name=name), status=NOT_IMPLEMENTED)


def returned_nothing(name: str) -> Feedback:
    """The one verdict for a function that returned ``None`` (:data:`RETURNED_NOTHING`)."""
    return Feedback(RETURNED_NOTHING.format(name=_yours(name)), hint=RETURNED_NOTHING_HINT)


class _Stopped(BaseException):
    """Raised inside the learner's code by :func:`call`'s guards.

    A ``BaseException``, so that a learner's ``except Exception`` lets it through.
    """


class _TooSlow(_Stopped):
    """The time limit of :func:`time_limit` ran out."""


class _Shortcut(_Stopped):
    """The learner's code called a library function that :func:`forbidden` made unavailable."""

    def __init__(self, qualified: str):
        super().__init__(qualified)
        self.qualified = qualified


@contextlib.contextmanager
def time_limit(seconds: float | None, what: str, *, hint: str | None = None) -> Iterator[None]:
    """Stop the learner's code after ``seconds`` with :class:`Feedback` naming ``what``.

    Uses a real-time timer (``signal.setitimer``), where the operating system allows
    one and this is the main thread; elsewhere (Windows, a worker thread) the code runs
    without a limit. ``None`` means no limit.
    """
    usable = seconds is not None and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def stop(signum, frame):
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _TooSlow:
        raise Feedback(
            f"{what} was still running after {seconds:g} s, so the check stopped it",
            hint=hint or "look for a loop that never ends, or one that runs far more often than it needs to.",
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _qualified(function: Callable) -> str:
    """The name a learner imports ``function`` by: its module, or the highest package that re-exports it."""
    module = function.__module__
    while "." in module:
        parent = module.rsplit(".", 1)[0]
        if getattr(sys.modules.get(parent), function.__name__, None) is not function:
            break
        module = parent
    return f"{module}.{function.__qualname__}"


@contextlib.contextmanager
def forbidden(functions: Iterable[Callable]) -> Iterator[None]:
    """Make the library ``functions`` unavailable inside the block.

    Each function's code is swapped for a stub that raises a private exception, so the
    function is unavailable under every name it is known by (``cg.reciprocity``, or
    ``reciprocity`` imported from the module). Only plain Python functions without
    closures can be made unavailable; the code is put back when the block ends,
    whatever happens in it.
    """
    swapped = []
    try:
        for function in functions:
            function = inspect.unwrap(function)
            qualified = _qualified(function)
            original = function.__code__
            if original.co_freevars:
                raise TypeError(f"{qualified} has a closure; it cannot be made unavailable")
            function.__code__ = _stub_code(qualified)
            swapped.append((function, original))
        yield
    finally:
        for function, original in reversed(swapped):
            function.__code__ = original


def _stub_code(qualified: str):
    """A code object that raises :class:`_Shortcut` for ``qualified`` (no closure, any arguments)."""
    source = (
        "def _unavailable(*args, **kwargs):\n"
        "    from neuro4ml.check.core import _Shortcut\n"
        f"    raise _Shortcut({qualified!r})\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, "<neuro4ml.check: unavailable>", "exec"), namespace)
    return namespace["_unavailable"].__code__


def call(
    fn: Any,
    name: str,
    *args,
    forbid: Sequence[Callable] = (),
    time_limit_s: float | None = None,
    time_limit_hint: str | None = None,
    may_return_none: bool = False,
    **kwargs,
) -> Any:
    """Call the learner's ``fn``; turn a missing implementation or any exception into :class:`Feedback`.

    ``name`` is what the learner wrote (``"lif"`` or ``"your STDP function"``); messages
    say "your ..." once either way.

    Parameters
    ----------
    forbid : sequence of functions
        Library functions that *are* the task: they are made unavailable while ``fn``
        runs (:func:`forbidden`), and a call to one fails with "the task is to write it".
        Building blocks the notebook hands the learner must not be listed.
    time_limit_s : float, optional
        Stop ``fn`` after this many seconds (:func:`time_limit`), with ``time_limit_hint``.
    may_return_none : bool
        Unless true, a ``None`` result ends the check with :data:`RETURNED_NOTHING`.
    """
    __tracebackhide__ = True
    if fn is Ellipsis or fn is None or fn is NotImplemented:
        raise Feedback(f"{name} is not written yet.", status=NOT_IMPLEMENTED)
    if not callable(fn):
        raise Feedback(f"expected {name} to be a function, got {describe(fn)}")
    try:
        with time_limit(time_limit_s, _yours(name), hint=time_limit_hint), forbidden(forbid):
            out = fn(*args, **kwargs)
    except _Shortcut as shortcut:
        raise Feedback(
            f"{_yours(name)} calls the course library's {shortcut.qualified}: the task is to write it yourself",
            hint="write the computation with numpy (or scipy) from the definition in the notebook; "
            "the library's own implementation is what the check compares you with.",
        ) from None
    except NotImplementedError:
        raise Feedback(
            f"{name} is not implemented yet: replace the `raise NotImplementedError` with your code.",
            status=NOT_IMPLEMENTED,
        ) from None
    except RecursionError as exc:
        raise Feedback(
            f"{_yours(name)} raised RecursionError: {exc}",
            hint="a function that calls itself without end: did you give your function the same name as one it calls?",
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
    except Feedback:
        raise
    except Exception as exc:
        raise Feedback(
            f"{_yours(name)} raised {type(exc).__name__}: {exc}{_learner_line(exc)}",
            hint="call it on its own in a cell to see the full traceback.",
        ) from None
    if out is None and not may_return_none:
        raise returned_nothing(name)
    if out is NotImplemented or out is Ellipsis:
        raise Feedback(f"{_yours(name)} still returns the placeholder `{out!r}`.", status=NOT_IMPLEMENTED)
    return out


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
    """``value`` itself, unless it is not answered yet (``...``, ``None``, ``NotImplemented``): then :data:`NOT_ANSWERED`."""
    if unanswered(value):
        raise not_answered(name)
    return value


def _is_text(value: Any) -> bool:
    """Text in any form numpy would happily read as a number: str, bytes, or an array of them."""
    if isinstance(value, (str, bytes, np.str_, np.bytes_)):
        return True
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "US":
            return True
        return value.dtype.kind == "O" and any(isinstance(v, (str, bytes)) for v in value.ravel()[:50])
    if isinstance(value, (list, tuple)):
        return any(_is_text(item) for item in value[:50])
    return False


def _first_none(value: Any, depth: int = 0) -> int | None:
    """The index of the first ``None`` in a list, tuple or object array (numpy would silently make it NaN)."""
    if depth > 2:
        return None
    if isinstance(value, np.ndarray):
        if value.dtype.kind != "O":
            return None
        value = list(value.ravel()[:10_000])
    if isinstance(value, (list, tuple)):
        for k, item in enumerate(value[:10_000]):
            if item is None or _first_none(item, depth + 1) is not None:
                return k
    return None


def _text_refused(value: Any, name: str, what: str) -> Feedback:
    return Feedback(
        f"expected {name} to be {what}, got text ({type(value).__name__} {_shown(value, 40)})",
        hint="give the number itself, not text: no quotes around it, and no f-string or str() on the way.",
    )


def as_array(
    value: Any,
    name: str,
    *,
    shape: tuple[int, ...] | None = None,
    ndim: int | None = None,
    finite: bool = True,
    returned: bool = True,
    hint: str | None = None,
) -> np.ndarray:
    """``value`` as a float array, with a specific message for each way it can be wrong.

    Text (a string, bytes, an array or list of strings) is refused, although numpy would
    convert ``"2.5"``; a complex number, a value too large for a float and an object that
    is not an array each get their own message; ``ndim``, ``shape`` and ``finite`` are
    checked in that order. ``None`` is :data:`RETURNED_NOTHING` when ``returned`` (the
    value came out of the learner's function), else :data:`NOT_ANSWERED`; ``...`` is
    always :data:`NOT_ANSWERED`. ``hint`` is shown with any message that has no more
    specific hint of its own.
    """
    try:
        return _as_array(value, name, shape=shape, ndim=ndim, finite=finite, returned=returned)
    except Feedback as feedback:
        feedback.hint = feedback.hint or hint
        raise


#: The kinds of number :func:`as_number` accepts.
NUMBER_KINDS = ("real", "integer")


def as_number(
    value: Any,
    name: str,
    *,
    kind: str = "real",
    minimum: float | None = None,
    maximum: float | None = None,
    include_minimum: bool = True,
    include_maximum: bool = True,
    allow_one_element: bool = True,
    finite: bool = True,
    hint: str | None = None,
) -> float:
    """``value`` as one number, by the one policy every check follows.

    In order: a value not answered yet (``...``, ``None``, ``NotImplemented``) is
    :data:`NOT_ANSWERED`; ``True``/``False`` are refused (a comparison, not a number);
    text is refused with its type named; a complex number is refused; a list, tuple or
    array is accepted only when ``allow_one_element`` and it has exactly one entry (an
    optimiser's ``result.x`` for one parameter); anything else that is not a real number
    is refused naming its type; NaN and infinities are refused when ``finite``; with
    ``kind="integer"`` a float is refused even when whole (``2.0``: the task asks for a
    count, so the answer should be one); the bounds ``minimum``/``maximum`` (inclusive
    unless ``include_*=False``) are checked last. Every message names ``name``, what was
    expected and what came.

    Returns
    -------
    float, or int for ``kind="integer"``
    """
    if kind not in NUMBER_KINDS:
        raise ValueError(f"kind must be one of {NUMBER_KINDS}, got {kind!r}")
    wanted = "one whole number (an int)" if kind == "integer" else "one number"
    if unanswered(value):
        raise not_answered(name)
    if isinstance(value, (bool, np.bool_)):
        raise Feedback(
            f"expected {name} to be {wanted}, got the boolean {bool(value)}",
            hint=hint or "a comparison gives True or False; the answer is the number itself.",
        )
    if _is_text(value):
        raise _text_refused(value, name, wanted)
    original = value
    if isinstance(value, (list, tuple, np.ndarray)) or hasattr(value, "__array__") and not np.isscalar(value):
        size = size_of(value)
        if not allow_one_element or size != 1:
            got = (
                f"a {type(value).__name__} of {len(value)} items" if isinstance(value, (list, tuple)) and not _fields(value)
                else describe(value)
            )
            raise Feedback(
                f"expected {name} to be {wanted}, got {got}",
                hint=hint
                or what_to_take(value)
                or "take the number out of the array (e.g. `x[0]`, or `float(x)` for a one-element array).",
            )
        value = np.asarray(value).reshape(())[()]
        if isinstance(value, (bool, np.bool_)):
            raise Feedback(f"expected {name} to be {wanted}, got a boolean array {_shown(original, 40)}", hint=hint)
    if isinstance(value, (complex, np.complexfloating)):
        raise Feedback(
            f"expected {name} to be {wanted}, got the complex number {_shown(value, 40)}",
            hint="look for a square root or power of a negative number (np.emath, complex literals such as 1j).",
        )
    if not isinstance(value, numbers.Real):
        raise Feedback(f"expected {name} to be {wanted}, got {describe(original)}", hint=hint or what_to_take(original))
    if kind == "integer":
        if not isinstance(value, (numbers.Integral, np.integer)):
            whole = isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer()
            raise Feedback(
                f"expected {name} to be {wanted}, got the float {_shown(value, 40)}",
                hint=hint
                or ("a count is an int: convert it with int(...) once you have checked it is whole."
                    if whole else "a count is a whole number; a fraction means something was divided or averaged."),
            )
        number: float = int(value)
    else:
        try:
            number = float(value)
        except OverflowError:
            raise Feedback(
                f"{name} is a number too large for a float (more than about 1.8e308)",
                hint=hint or "a value that grows without bound; look for a wrong sign, unit or exponent.",
            ) from None
        if finite and not math.isfinite(number):
            raise Feedback(f"{name} is {number}", hint=hint or "look for 0/0, a log of 0, or a value that grows without bound.")
    low_ok = minimum is None or (number >= minimum if include_minimum else number > minimum)
    high_ok = maximum is None or (number <= maximum if include_maximum else number < maximum)
    if not (low_ok and high_ok):
        raise Feedback(
            f"expected {name} to be {_interval(minimum, maximum, include_minimum, include_maximum)}, got {_shown(number, 40)}", hint=hint
        )
    return number


def _interval(minimum, maximum, include_minimum, include_maximum) -> str:
    """The allowed range in words: "between 0 and 1", "greater than 0", "at most 10"."""
    if minimum is not None and maximum is not None:
        left = "[" if include_minimum else "("
        right = "]" if include_maximum else ")"
        return f"in {left}{minimum:g}, {maximum:g}{right}"
    if minimum is not None:
        return f"{'at least' if include_minimum else 'greater than'} {minimum:g}"
    return f"{'at most' if include_maximum else 'less than'} {maximum:g}"


def _as_array(value: Any, name: str, *, shape, ndim, finite, returned) -> np.ndarray:
    if value is Ellipsis or value is NotImplemented or (value is None and not returned):
        raise not_answered(name)
    if value is None:
        raise Feedback(
            f"{name} {_verb(name, 'is', 'are')} None: did you forget a `return`?", hint=RETURNED_NOTHING_HINT
        )
    if _is_text(value):
        raise _text_refused(value, name, "an array of numbers")
    missing = _first_none(value)
    if missing is not None:
        raise Feedback(
            f"{name} {_verb(name, 'holds', 'hold')} None (at index {missing}) where a number belongs",
            hint="mark a missing value with np.nan, which numpy's functions (np.nanmean, ...) understand; "
            "None is not a number.",
        )
    if isinstance(value, (bool, np.bool_)):
        raise Feedback(
            f"expected {name} to be numbers, got the boolean {bool(value)}",
            hint="a comparison gives True or False; return the values themselves.",
        )
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
        if nested and len(nested) < len(value) and all(
            np.ndim(item) == 0 for item in value if not isinstance(item, (np.ndarray, list, tuple))
        ):
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
    """Same shape and equal to rounding, NaNs and infinities equal themselves: :func:`close` with ``equal_nan``."""
    return close(got, expected, Tolerance(rtol=rtol, atol=atol, equal_nan=True))


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


# ---------------------------------------------------------------------------
# Closeness, known mistakes, and how far off an answer is
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Tolerance:
    """How close an answer must be: ``|got - expected| <= atol + rtol |expected|``, elementwise.

    ``equal_nan`` makes a NaN equal a NaN in the same place (a "no value" marker, such
    as the latency of an onset with no spike).
    """

    rtol: float = 1e-9
    atol: float = 1e-12
    equal_nan: bool = False


#: Agreement to rounding: what a correct float64 answer computed another way gives.
ROUNDING = Tolerance()


def close(got: Any, expected: Any, tolerance: Tolerance = ROUNDING) -> bool:
    """True when ``got`` equals ``expected`` within ``tolerance``: same shape, every entry close.

    The one closeness test of every check. It never raises: a value that cannot be
    compared (another shape, not numbers) is simply not close, and a NaN is never close
    unless ``tolerance.equal_nan``.
    """
    try:
        with np.errstate(all="ignore"):
            g = np.asarray(got, dtype=float)
            e = np.asarray(expected, dtype=float)
            if g.shape != e.shape:
                return False
            ok = np.abs(g - e) <= tolerance.atol + tolerance.rtol * np.abs(e)
            ok |= g == e  # infinities equal themselves
            if tolerance.equal_nan:
                ok |= np.isnan(g) & np.isnan(e)
            return bool(np.all(ok))
    except Exception:
        return False


@dataclass(frozen=True)
class Mistake:
    """A known mistake: what it gives, what went wrong and a hint at the idea.

    ``value`` is the answer the mistake gives: a value, or a function of the context
    :func:`diagnose` is given (the case, the reference, ...), computed with the library
    (never a retyped copy of the learner's code). It may return ``None`` where the
    mistake makes no sense on that case.
    """

    value: Any
    message: str
    hint: str

    def on(self, *context: Any) -> Any:
        """The answer this mistake gives in ``context``; ``None`` if it cannot be computed there."""
        if not callable(self.value):
            return self.value
        try:
            with np.errstate(all="ignore"):
                return self.value(*context)
        except Exception:
            return None


def diagnose(
    got: Any,
    expected: Any,
    mistakes: Iterable[Mistake],
    tolerance: Tolerance = ROUNDING,
    *,
    context: tuple = (),
) -> Mistake | None:
    """The first of ``mistakes`` that explains ``got``, with the same ``tolerance`` as the check; else None.

    A mistake counts only where it makes a difference: its answer must differ from
    ``expected`` and match ``got``. Each callable mistake is evaluated on ``context``.
    """
    for mistake in mistakes:
        value = mistake.on(*context)
        if value is None or close(value, expected, tolerance):
            continue
        if close(got, value, tolerance):
            return mistake
    return None


def off_by(got: float, expected: float, *, near: float = 0.1) -> str:
    """How far ``got`` is from ``expected``, in words, without a value that can be pasted back.

    The direction and a coarse size when the relative error is larger than ``near``
    ("too low by about 10 % of the expected value", a relative error and not percentage
    points, or "about 2 times the expected size"); within ``near`` only "close, but not
    equal", so that the answer cannot be found by a few guesses in the right direction.
    """
    if not (math.isfinite(got) and math.isfinite(expected)):
        return "not a finite number" if not math.isfinite(got) else "off"
    scale = abs(expected) if expected != 0 else 1.0
    relative = abs(got - expected) / scale
    if relative <= near:
        return f"close (within {near:.0%}), but not equal"
    direction = "too high" if got > expected else "too low"
    if expected != 0 and got != 0 and np.sign(got) != np.sign(expected):
        return f"{direction}, and of the wrong sign"
    if relative < 1:
        return f"{direction} by about {_coarse(100 * relative)} % of the expected value"
    ratio = abs(got / expected) if expected != 0 and got != 0 else float("inf")
    if ratio > 1 and math.isfinite(ratio):
        return f"{direction}, about {_coarse(ratio)} times the expected size"
    if 0 < ratio < 1:
        return f"{direction}, about 1/{_coarse(1 / ratio)} of the expected size"
    return f"{direction} by far"


def _coarse(x: float) -> str:
    """``x`` to one significant figure, so that it cannot serve to reconstruct an answer."""
    if not math.isfinite(x) or x <= 0:
        return "0"
    digits = -int(math.floor(math.log10(x)))
    return f"{round(x, digits):g}"


def diagnose_cases(
    answers: Sequence[tuple[Any, Any, tuple]],
    mistakes: Sequence[Mistake],
    tolerance: Tolerance = ROUNDING,
    *,
    failing: int,
) -> Mistake | None:
    """The mistake that explains the learner's answers on every case, else the first that explains case ``failing``.

    ``answers`` holds ``(got, expected, context)`` per case (``got`` None where the
    learner's answer could not be had). Two mistakes can agree on one case (on a small
    graph the density and the unordered-pair reciprocity coincide), seldom on all: a
    mistake explains a case when it gives the learner's answer there, or when it makes
    no difference there and the learner is right.
    """
    got, expected, context = answers[failing]

    def explains(mistake: Mistake, got: Any, expected: Any, context: tuple) -> bool:
        value = mistake.on(*context)
        if value is None:
            return True  # cannot be computed here: no evidence either way
        if close(value, expected, tolerance):
            return close(got, expected, tolerance)
        return close(got, value, tolerance)

    here = [m for m in mistakes if diagnose(got, expected, [m], tolerance, context=context) is not None]
    everywhere = [m for m in here if all(g is None or explains(m, g, e, c) for g, e, c in answers)]
    return (everywhere or here or [None])[0]
