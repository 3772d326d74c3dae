r"""A small known digital circuit to try neuroscience's methods on (week 9).

Jonas & Kording (2017) asked whether the methods neuroscientists apply to brains
(lesions, tuning curves, correlations, dimensionality reduction) would explain a
system whose workings we know completely: a microprocessor. This module holds a
much smaller system of the same kind, an :math:`n`-bit ripple-carry adder made of
logic gates, and the three methods, so that a reader can run the experiment in
seconds.

The circuit. Bit :math:`k` of the operands, :math:`a_k` and :math:`b_k`, enters a
*full adder* with the carry :math:`c_k` from the bit below (:math:`c_0 = 0`). It
has five gates:

.. math::

    x_k = a_k \oplus b_k,\quad s_k = x_k \oplus c_k,\quad
    g_k = a_k \wedge b_k,\quad p_k = x_k \wedge c_k,\quad c_{k+1} = g_k \vee p_k,

so :math:`s_k` is bit :math:`k` of the sum and :math:`c_n` its top bit
(:math:`a + b = \sum_k 2^k s_k + 2^n c_n`). Gates are numbered bit by bit in the
order :math:`x, s, g, p, c`; :func:`gate_names` gives their names. The "behaviour"
of the circuit is the sum it reports.

Conventions: operands are integer arrays of shape ``(trials,)`` with values in
``[0, 2**n_bits)``; gate states are boolean arrays of shape ``(trials, gates)``.
A lesion holds a gate's output at 0 (a silenced unit), whatever its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np

from neuro4ml.validation import as_generator

__all__ = [
    "AdderRun",
    "GATES_PER_BIT",
    "all_operand_pairs",
    "decoding_r2",
    "gate_names",
    "lesion_error_rates",
    "simulate_adder",
    "tuning_curves",
]

GATES_PER_BIT = ("x", "s", "g", "p", "c")


def _n_bits(n_bits: object) -> int:
    if not isinstance(n_bits, Integral) or isinstance(n_bits, bool) or not 1 <= int(n_bits) <= 16:
        raise ValueError(f"n_bits must be an integer from 1 to 16, got {n_bits!r}")
    return int(n_bits)


def gate_names(n_bits: int) -> list[str]:
    """Names of the ``5 * n_bits`` gates in column order: ``x0, s0, g0, p0, c1, x1, ...``.

    The carry gate of bit ``k`` is named for the carry it makes, ``c{k+1}``.
    """
    n_bits = _n_bits(n_bits)
    return [f"{gate}{k + 1 if gate == 'c' else k}" for k in range(n_bits) for gate in GATES_PER_BIT]


def _operand(values: object, name: str, n_bits: int) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must be a 1-d array of integers (one per trial), got {array.dtype} of shape {array.shape}")
    if array.size and (array.min() < 0 or array.max() >= 2**n_bits):
        raise ValueError(f"{name} must lie in [0, {2**n_bits}) for an {n_bits}-bit adder, got values from {array.min()} to {array.max()}")
    return array.astype(np.int64)


@dataclass(frozen=True)
class AdderRun:
    """One run of the adder on ``trials`` operand pairs.

    Attributes
    ----------
    a, b : ndarray of int, shape (trials,)
        The operands.
    gates : ndarray of bool, shape (trials, 5 * n_bits)
        Every gate's output, columns named by :func:`gate_names`.
    total : ndarray of int, shape (trials,)
        The sum the circuit reports, :math:`\\sum_k 2^k s_k + 2^n c_n`.
    """

    a: np.ndarray
    b: np.ndarray
    gates: np.ndarray
    total: np.ndarray

    @property
    def n_bits(self) -> int:
        return self.gates.shape[1] // len(GATES_PER_BIT)


def simulate_adder(a: object, b: object, n_bits: int, *, lesioned: tuple[str, ...] | list[str] = ()) -> AdderRun:
    """Run the ripple-carry adder (module docstring) on the operand pairs ``(a[i], b[i])``.

    ``lesioned`` names gates (from :func:`gate_names`) whose outputs are held at 0.
    """
    n_bits = _n_bits(n_bits)
    a, b = _operand(a, "a", n_bits), _operand(b, "b", n_bits)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    names = gate_names(n_bits)
    unknown = [g for g in lesioned if g not in names]
    if unknown:
        raise ValueError(f"no gate named {unknown[0]!r} in an {n_bits}-bit adder (gates: {', '.join(names)})")
    alive = {g: g not in lesioned for g in names}
    gates = np.zeros((a.size, len(names)), dtype=bool)
    carry = np.zeros(a.size, dtype=bool)
    for k in range(n_bits):
        a_k, b_k = ((a >> k) & 1).astype(bool), ((b >> k) & 1).astype(bool)
        x = (a_k ^ b_k) & alive[f"x{k}"]
        s = (x ^ carry) & alive[f"s{k}"]
        g = (a_k & b_k) & alive[f"g{k}"]
        p = (x & carry) & alive[f"p{k}"]
        carry = (g | p) & alive[f"c{k + 1}"]
        gates[:, 5 * k : 5 * k + 5] = np.stack([x, s, g, p, carry], axis=1)
    sums = gates[:, 1::5].astype(np.int64)
    total = sums @ (2 ** np.arange(n_bits)) + (carry.astype(np.int64) << n_bits)
    return AdderRun(a=a, b=b, gates=gates, total=total)


def all_operand_pairs(n_bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair ``(a, b)`` of ``n_bits``-bit operands, as two arrays of shape ``(4**n_bits,)``."""
    n = 2 ** _n_bits(n_bits)
    a, b = np.divmod(np.arange(n * n), n)
    return a, b


def lesion_error_rates(n_bits: int) -> dict[str, float]:
    """For each gate: the fraction of all operand pairs whose sum is wrong with that gate lesioned.

    The lesion study of Jonas & Kording (2017), in miniature: a gate whose
    lesion breaks the behaviour is "necessary", but the rate says nothing of
    what the gate computes.
    """
    a, b = all_operand_pairs(n_bits)
    return {name: float(np.mean(simulate_adder(a, b, n_bits, lesioned=(name,)).total != a + b)) for name in gate_names(n_bits)}


def tuning_curves(run: AdderRun, stimulus: str = "a") -> tuple[np.ndarray, np.ndarray]:
    """Each gate's mean activity for each value of one stimulus variable.

    ``stimulus`` is ``"a"``, ``"b"`` or ``"sum"`` (the true ``a + b``). Returns the
    stimulus values, shape ``(values,)``, and the curves, shape ``(values, gates)``:
    the fraction of trials with that value on which the gate was on, the way a
    tuning curve averages a neuron's rate over repeats.
    """
    if stimulus not in ("a", "b", "sum"):
        raise ValueError(f"stimulus must be 'a', 'b' or 'sum', got {stimulus!r}")
    value = {"a": run.a, "b": run.b, "sum": run.a + run.b}[stimulus]
    values = np.unique(value)
    curves = np.stack([run.gates[value == v].mean(axis=0) for v in values])
    return values, curves


def decoding_r2(run: AdderRun, target: np.ndarray, gates: list[str] | None = None, *, test_fraction: float = 0.5, seed: int = 0) -> float:
    r"""Held-out :math:`R^2` of a linear decoder of ``target`` from gate states.

    Least squares with an intercept on a random ``1 - test_fraction`` of the
    trials, scored on the rest: :math:`R^2 = 1 - \sum (y - \hat y)^2 / \sum (y - \bar y)^2`,
    with :math:`\bar y` the test mean. ``gates`` names the columns to decode
    from (default: all).
    """
    target = np.asarray(target, dtype=float)
    if target.shape != run.a.shape:
        raise ValueError(f"target must have one value per trial, shape {run.a.shape}, got {target.shape}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction!r}")
    names = gate_names(run.n_bits)
    columns = [names.index(g) for g in gates] if gates is not None else list(range(len(names)))
    features = np.column_stack([np.ones(run.a.size), run.gates[:, columns].astype(float)])
    order = as_generator(seed).permutation(run.a.size)
    n_test = max(1, int(round(test_fraction * run.a.size)))
    test, train = order[:n_test], order[n_test:]
    weights, *_ = np.linalg.lstsq(features[train], target[train], rcond=None)
    residual = target[test] - features[test] @ weights
    total = target[test] - target[test].mean()
    return float(1 - residual @ residual / (total @ total))
