"""The linear synapse models (:math:`\\dot{\\mathbf s} = A\\mathbf s`, jumps at spikes) used by the network simulator."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy.linalg import expm

from neuro4ml.models.synapses.kernels import (
    alpha_kernel,
    biexponential_kernel,
    biexponential_normalisation,
    exponential_kernel,
    rise_and_decay_ms,
)
from neuro4ml.validation import (
    positive_number,
)

__all__ = ["Alpha", "Biexponential", "Exponential", "Instantaneous", "Synapse"]


class Synapse:
    r"""Base class of the synapse models.

    A model with state variables :math:`\mathbf s` (``variables``, the last one being
    the current or conductance seen by the neuron) follows
    :math:`\dot{\mathbf s} = A \mathbf s` between spikes, and a spike of weight
    :math:`w` adds :math:`w\,\mathbf j` to :math:`\mathbf s`. Subclasses define
    :math:`A` (:meth:`matrix`), :math:`\mathbf j` (:meth:`jump`) and the closed-form
    response of the last variable (:meth:`kernel`). :class:`Instantaneous` has no
    state variables.
    """

    #: Names of the state variables; the last is the synaptic current or conductance.
    variables: ClassVar[tuple[str, ...]] = ()

    def matrix(self) -> np.ndarray:
        """The matrix :math:`A` of :math:`\\dot{\\mathbf s} = A \\mathbf s`, per ms, shape (d, d)."""
        raise NotImplementedError

    def jump(self) -> np.ndarray:
        """The jump :math:`\\mathbf j` of the state for a spike of weight 1, shape (d,)."""
        raise NotImplementedError

    def kernel(self, t_ms: np.ndarray | float) -> np.ndarray:
        """Closed-form response of the last variable to a spike of weight 1 at t = 0."""
        raise NotImplementedError

    def propagator(self, dt_ms: float) -> np.ndarray:
        r"""The exact one-step propagator :math:`P = e^{A\,\Delta t}`, shape (d, d).

        :math:`\mathbf s(t + \Delta t) = P\, \mathbf s(t)` between spikes, for any
        :math:`\Delta t` (Rotter & Diesmann 1999).
        """
        dt_ms = positive_number(dt_ms, "dt_ms")
        return expm(self.matrix() * dt_ms)

    def responses(self, t_ms: np.ndarray) -> np.ndarray:
        r"""State at times ``t_ms`` >= 0 after a spike of weight 1 at 0: :math:`e^{A t}\mathbf j`.

        Computed from the matrix exponential (not the closed-form kernel), so it can
        be checked against :meth:`kernel`. For a lower-triangular
        :math:`A = \begin{pmatrix} a & 0 \\ c & b \end{pmatrix}` (every model here),
        :math:`e^{At}` has the diagonal :math:`e^{at}, e^{bt}` and the lower entry
        :math:`c\,(e^{at} - e^{bt})/(a - b)`, written as
        :math:`c\,t\,e^{bt}\,\mathrm{expm1}((a-b)t)/((a-b)t)` so that it stays exact
        when :math:`a \approx b` (the limit :math:`c\,t\,e^{at}` at :math:`a = b`);
        this is evaluated for all times at once. Other matrices use
        ``scipy.linalg.expm`` time by time. Returns shape ``(len(t_ms), d)``.
        """
        t = np.asarray(t_ms, dtype=float).reshape(-1)
        a_matrix = self.matrix()
        if a_matrix.size == 0:
            return np.zeros((t.size, 0))
        jump = self.jump()
        if a_matrix.shape == (1, 1):
            return np.exp(a_matrix[0, 0] * t)[:, np.newaxis] * jump
        if a_matrix.shape == (2, 2) and a_matrix[0, 1] == 0.0:
            a, c, b = a_matrix[0, 0], a_matrix[1, 0], a_matrix[1, 1]
            z = (a - b) * t
            with np.errstate(invalid="ignore", divide="ignore"):
                ratio = np.where(z == 0.0, 1.0, np.expm1(z) / z)  # (e^z - 1) / z, 1 at z = 0
            e_a, e_b = np.exp(a * t), np.exp(b * t)
            lower = c * t * e_b * ratio
            return np.stack([e_a * jump[0], lower * jump[0] + e_b * jump[1]], axis=1)
        return expm(a_matrix[np.newaxis] * t[:, np.newaxis, np.newaxis]) @ jump


@dataclass(frozen=True)
class Instantaneous(Synapse):
    r"""A synapse without a time course: each spike changes :math:`V` at once.

    Current-based: :math:`V \leftarrow V + w` (a jump in the membrane potential, the
    limit of a very short current pulse). Conductance-based: a brief conductance pulse
    whose integral, in units of the membrane time constant times the leak
    conductance, is :math:`w \ge 0`; solving
    :math:`\tau \dot V = g(t)(E_\text{rev} - V)` across the pulse gives

    .. math:: V \leftarrow V + \left(1 - e^{-w}\right)\left(E_\text{rev} - V\right),

    which moves :math:`V` towards :math:`E_\text{rev}` without passing it.
    """

    variables: ClassVar[tuple[str, ...]] = ()

    def matrix(self) -> np.ndarray:
        """The matrix :math:`A` of the linear system (see :meth:`Synapse.matrix`)."""
        return np.zeros((0, 0))

    def jump(self) -> np.ndarray:
        """The jump of the state for a spike of weight 1 (see :meth:`Synapse.jump`)."""
        return np.zeros(0)

    def kernel(self, t_ms: np.ndarray | float) -> np.ndarray:
        """The response to a spike of weight 1 at t = 0 (see :meth:`Synapse.kernel`)."""
        raise ValueError(
            "an instantaneous synapse has no kernel (its response is a delta function); "
            "synaptic_trace gives the jumps it applies at each time step"
        )


@dataclass(frozen=True)
class Exponential(Synapse):
    r"""Exponential synapse: :math:`\tau \dot s = -s`, and :math:`s \leftarrow s + w` at a spike.

    The response to one spike is :math:`w\, e^{-t/\tau}` (:func:`exponential_kernel`).

    Attributes
    ----------
    tau_ms : float
        Decay time constant in ms, > 0 (a few ms for fast excitatory synapses).
    """

    tau_ms: float = 5.0
    variables: ClassVar[tuple[str, ...]] = ("s",)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tau_ms", positive_number(self.tau_ms, "tau_ms"))

    def matrix(self) -> np.ndarray:
        """The matrix :math:`A` of the linear system (see :meth:`Synapse.matrix`)."""
        return np.array([[-1.0 / self.tau_ms]])

    def jump(self) -> np.ndarray:
        """The jump of the state for a spike of weight 1 (see :meth:`Synapse.jump`)."""
        return np.array([1.0])

    def kernel(self, t_ms: np.ndarray | float) -> np.ndarray:
        """The response to a spike of weight 1 at t = 0 (see :meth:`Synapse.kernel`)."""
        return exponential_kernel(t_ms, self.tau_ms)


@dataclass(frozen=True)
class Biexponential(Synapse):
    r"""Biexponential synapse, as two linear first-order equations.

    .. math::
        \tau_r \frac{dx}{dt} = -x, \qquad \tau_d \frac{ds}{dt} = x - s,
        \qquad x \leftarrow x + N w \text{ at a spike},

    with :math:`N = 1` by default, or :math:`N` = :func:`biexponential_normalisation`
    when ``normalise=True`` (then the response to one spike peaks at :math:`w`). The
    response is :math:`N w` times :func:`biexponential_kernel`. ``tau_rise_ms ==
    tau_decay_ms`` is allowed and gives the same system as :class:`Alpha`.

    Attributes
    ----------
    tau_rise_ms, tau_decay_ms : float
        Rise and decay time constants in ms, ``0 < tau_rise_ms <= tau_decay_ms``.
    normalise : bool
        Scale the jump so that one spike's response peaks at its weight.
    """

    tau_rise_ms: float = 1.0
    tau_decay_ms: float = 5.0
    normalise: bool = False
    variables: ClassVar[tuple[str, ...]] = ("x", "s")

    def __post_init__(self) -> None:
        tau_r, tau_d = rise_and_decay_ms(self.tau_rise_ms, self.tau_decay_ms)
        object.__setattr__(self, "tau_rise_ms", tau_r)
        object.__setattr__(self, "tau_decay_ms", tau_d)
        if not isinstance(self.normalise, bool):
            raise TypeError(f"normalise must be True or False, got {self.normalise!r}")

    def matrix(self) -> np.ndarray:
        """The matrix :math:`A` of the linear system (see :meth:`Synapse.matrix`)."""
        return np.array([
            [-1.0 / self.tau_rise_ms, 0.0],
            [1.0 / self.tau_decay_ms, -1.0 / self.tau_decay_ms],
        ])

    def jump(self) -> np.ndarray:
        """The jump of the state for a spike of weight 1 (see :meth:`Synapse.jump`)."""
        scale = biexponential_normalisation(self.tau_rise_ms, self.tau_decay_ms) if self.normalise else 1.0
        return np.array([scale, 0.0])

    def kernel(self, t_ms: np.ndarray | float) -> np.ndarray:
        """The response to a spike of weight 1 at t = 0 (see :meth:`Synapse.kernel`)."""
        return biexponential_kernel(t_ms, self.tau_rise_ms, self.tau_decay_ms, normalise=self.normalise)


@dataclass(frozen=True)
class Alpha(Synapse):
    r"""Alpha synapse: the biexponential system with equal rise and decay times.

    .. math:: \tau \frac{dx}{dt} = -x, \qquad \tau \frac{ds}{dt} = x - s,
              \qquad x \leftarrow x + N w \text{ at a spike},

    whose response to one spike is :math:`N w \frac{t}{\tau} e^{-t/\tau}`, peaking at
    :math:`t = \tau` (:func:`alpha_kernel`); :math:`N = 1` by default and :math:`N = e`
    with ``normalise=True`` (then the response peaks at :math:`w`).

    Attributes
    ----------
    tau_ms : float
        Time constant in ms, > 0: the time of the peak.
    normalise : bool
        Scale the jump so that one spike's response peaks at its weight.
    """

    tau_ms: float = 5.0
    normalise: bool = False
    variables: ClassVar[tuple[str, ...]] = ("x", "s")

    def __post_init__(self) -> None:
        object.__setattr__(self, "tau_ms", positive_number(self.tau_ms, "tau_ms"))
        if not isinstance(self.normalise, bool):
            raise TypeError(f"normalise must be True or False, got {self.normalise!r}")

    def matrix(self) -> np.ndarray:
        """The matrix :math:`A` of the linear system (see :meth:`Synapse.matrix`)."""
        rate = 1.0 / self.tau_ms
        return np.array([[-rate, 0.0], [rate, -rate]])

    def jump(self) -> np.ndarray:
        """The jump of the state for a spike of weight 1 (see :meth:`Synapse.jump`)."""
        return np.array([math.e if self.normalise else 1.0, 0.0])

    def kernel(self, t_ms: np.ndarray | float) -> np.ndarray:
        """The response to a spike of weight 1 at t = 0 (see :meth:`Synapse.kernel`)."""
        return alpha_kernel(t_ms, self.tau_ms, normalise=self.normalise)
