r"""Synapses: the time course of a synaptic current or conductance, and short-term plasticity.

When a presynaptic spike arrives, a synapse does not change the postsynaptic neuron
for an instant only: transmitter is released, receptors open and close, and the
synaptic current (or conductance) follows a time course lasting a few milliseconds.
This module holds four standard models of that time course, all linear:

* :class:`Instantaneous`: a spike of weight :math:`w` makes the membrane potential
  jump, :math:`V \leftarrow V + w` (its time course is a delta function);
* :class:`Exponential`: :math:`\tau \dot s = -s`, and :math:`s \leftarrow s + w` at a
  spike; one spike gives :math:`w\, e^{-t/\tau}`;
* :class:`Alpha`: :math:`\tau \dot x = -x`, :math:`\tau \dot s = x - s`, and
  :math:`x \leftarrow x + w`; one spike gives :math:`w\, \frac{t}{\tau} e^{-t/\tau}`;
* :class:`Biexponential`: :math:`\tau_r \dot x = -x`, :math:`\tau_d \dot s = x - s`,
  and :math:`x \leftarrow x + w`; one spike gives
  :math:`w\, \frac{\tau_r}{\tau_d - \tau_r}\left(e^{-t/\tau_d} - e^{-t/\tau_r}\right)`,
  a difference of exponentials rising with :math:`\tau_r` and decaying with :math:`\tau_d`.

Here :math:`s` is the synaptic variable seen by the neuron: a current :math:`I_\text{syn}
= s` for a *current-based* synapse, or a conductance :math:`g = s` for a
*conductance-based* synapse, whose current :math:`I_\text{syn} = g\,(E_\text{rev} - V)`
depends on the membrane potential (Dayan & Abbott 2001, *Theoretical Neuroscience*,
section 5.8; Gerstner, Kistler, Naud & Paninski 2014, *Neuronal Dynamics*, section 3.1).

**Normalisation.** By default every model is the ODE system exactly as written above:
the spike adds :math:`w` to the first variable. The alpha and biexponential responses
then peak below :math:`w` (at :math:`w/e` and at :math:`w` times
:func:`biexponential_peak_value`). With ``normalise=True`` the jump is scaled so that
the response peaks at exactly :math:`w`. The exponential response always peaks at
:math:`w`.

**Exact integration.** The models are linear, :math:`\dot{\mathbf s} = A \mathbf s`
between spikes, so they are advanced on a time grid by the matrix exponential
:math:`\mathbf s(t + \Delta t) = e^{A \Delta t} \mathbf s(t)`, which is exact for any
time step (Rotter & Diesmann 1999, "Exact digital simulation of time-invariant linear
systems with applications to neuronal modeling", Biol. Cybern. 81:381-402). A spike
between two grid points is propagated exactly from its own time to the next grid
point, so :func:`synaptic_trace` equals the sum of the kernels of its spikes. The
forward-Euler integrator :func:`biexponential_euler` is here for comparison: it is
what the week 2 exercise has the learner write.

**Quantal release.** :func:`binomial_release` draws the number of vesicles released by
each presynaptic spike in the binomial model of del Castillo & Katz (1954).

**Short-term plasticity.** :func:`tsodyks_markram` gives the efficacy of each spike of
a train at a depressing or facilitating synapse (Tsodyks & Markram 1997; Markram,
Wang & Tsodyks 1998), and :func:`tsodyks_markram_steady_state` the closed-form
steady state for a regular train.

Time is in ms throughout; variables and weights are dimensionless (in the units of the
membrane potential of :func:`neuro4ml.models.neurons.lif`, where rest is 0 and the threshold 1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import numpy as np
from scipy.linalg import expm
from scipy.signal import lfilter

from neuro4ml.validation import (
    as_generator,
    finite_number,
    non_negative_number,
    number_of_steps,
    positive_number,
    probability,
)
from neuro4ml.validation import spike_train as _as_train
from neuro4ml.validation import spike_trains as _as_train_list
from neuro4ml.models.spikes import delivery_steps

__all__ = [
    "E_EXCITATORY",
    "E_INHIBITORY",
    "Alpha",
    "Biexponential",
    "Exponential",
    "Instantaneous",
    "ShortTermPlasticity",
    "SteadyState",
    "Synapse",
    "QuantalRelease",
    "alpha_kernel",
    "binomial_release",
    "biexponential_euler",
    "biexponential_kernel",
    "biexponential_normalisation",
    "biexponential_peak_time_ms",
    "biexponential_peak_value",
    "biexponential_trace",
    "conductance_current",
    "conductance_step",
    "exponential_kernel",
    "mg_block",
    "nmda_current",
    "synaptic_trace",
    "tsodyks_markram",
    "tsodyks_markram_steady_state",
]

# ---------------------------------------------------------------------------
# Reversal potentials
# ---------------------------------------------------------------------------

#: Excitatory reversal potential in the dimensionless units of the course (rest 0,
#: threshold 1): :math:`(E_\text{ex} - E_\text{rest}) / (V_\text{th} - E_\text{rest})`
#: with the values of Vogels & Abbott (2005), "Signal propagation and logic gating in
#: networks of integrate-and-fire neurons", J. Neurosci. 25:10786-10795 (also the COBA
#: benchmark of Brette et al. 2007): E_ex = 0 mV, E_rest = -60 mV, V_th = -50 mV.
E_EXCITATORY = (0.0 - -60.0) / (-50.0 - -60.0)  # = 6.0
#: Inhibitory reversal potential in the same units, with E_inh = -80 mV (same source).
E_INHIBITORY = (-80.0 - -60.0) / (-50.0 - -60.0)  # = -2.0


# ---------------------------------------------------------------------------
# Closed-form kernels and the biexponential peak
# ---------------------------------------------------------------------------


def _as_times(t_ms: object) -> np.ndarray:
    """Times as a float array (any shape), checking they are finite."""
    try:
        t = np.asarray(t_ms, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"t_ms must be a number or an array of numbers, got {t_ms!r}") from error
    if not np.all(np.isfinite(t)):
        raise ValueError("t_ms contains NaN or infinite values")
    return t


def _rise_and_decay(tau_rise_ms: object, tau_decay_ms: object) -> tuple[float, float]:
    """Check the two time constants of the biexponential: positive, rise <= decay."""
    tau_rise_ms = positive_number(tau_rise_ms, "tau_rise_ms")
    tau_decay_ms = positive_number(tau_decay_ms, "tau_decay_ms")
    if tau_rise_ms > tau_decay_ms:
        raise ValueError(
            f"tau_rise_ms ({tau_rise_ms}) must not exceed tau_decay_ms ({tau_decay_ms}): "
            "the rise is the faster of the two time constants"
        )
    return tau_rise_ms, tau_decay_ms


def exponential_kernel(t_ms: np.ndarray | float, tau_ms: float) -> np.ndarray:
    r"""Exponential synaptic kernel :math:`k(t) = e^{-t/\tau}\, H(t)`.

    The response of :math:`\tau \dot s = -s` to a unit jump of :math:`s` at
    :math:`t = 0` (:math:`H` is the Heaviside step, with :math:`H(0) = 1`). It peaks at
    1 at :math:`t = 0`.

    Parameters
    ----------
    t_ms : float or array_like
        Time(s) since the spike, in ms (any shape; negative times give 0).
    tau_ms : float
        Decay time constant in ms, > 0.

    Returns
    -------
    numpy.ndarray
        The kernel, shaped like ``t_ms``.
    """
    tau_ms = positive_number(tau_ms, "tau_ms")
    t = _as_times(t_ms)
    return np.where(t >= 0, np.exp(-np.maximum(t, 0.0) / tau_ms), 0.0)


def alpha_kernel(t_ms: np.ndarray | float, tau_ms: float, *, normalise: bool = False) -> np.ndarray:
    r"""Alpha-function kernel :math:`k(t) = \frac{t}{\tau} e^{-t/\tau}\, H(t)`.

    The response of :math:`s` in the system :math:`\tau \dot x = -x`,
    :math:`\tau \dot s = x - s` to a unit jump of :math:`x` at :math:`t = 0`
    (Dayan & Abbott 2001, section 5.8). It peaks at :math:`t = \tau` with value
    :math:`1/e`; with ``normalise=True`` it is multiplied by :math:`e`, giving
    :math:`\frac{t}{\tau} e^{1 - t/\tau}`, which peaks at 1. It is the limit of
    :func:`biexponential_kernel` when the rise and decay times become equal.

    Parameters
    ----------
    t_ms : float or array_like
        Time(s) since the spike, in ms.
    tau_ms : float
        Time constant in ms, > 0: the time of the peak.
    normalise : bool
        Scale the kernel to a peak of 1.

    Returns
    -------
    numpy.ndarray
        The kernel, shaped like ``t_ms``.
    """
    tau_ms = positive_number(tau_ms, "tau_ms")
    t = np.maximum(_as_times(t_ms), 0.0)  # the formula is already 0 at t = 0
    kernel = t / tau_ms * np.exp(-t / tau_ms)
    return kernel * math.e if normalise else kernel


def biexponential_peak_time_ms(tau_rise_ms: float, tau_decay_ms: float) -> float:
    r"""Time of the peak of the biexponential kernel after a spike, in ms.

    Setting the derivative of :math:`e^{-t/\tau_d} - e^{-t/\tau_r}` to zero gives

    .. math:: t^* = \frac{\tau_r \tau_d}{\tau_d - \tau_r} \ln\frac{\tau_d}{\tau_r},

    and :math:`t^* = \tau` in the alpha limit :math:`\tau_r = \tau_d = \tau`. The peak
    time does not depend on the weight or the normalisation.

    Parameters
    ----------
    tau_rise_ms, tau_decay_ms : float
        Rise and decay time constants in ms, ``0 < tau_rise_ms <= tau_decay_ms``.

    Returns
    -------
    float
        :math:`t^*` in ms.
    """
    tau_r, tau_d = _rise_and_decay(tau_rise_ms, tau_decay_ms)
    if tau_r == tau_d:
        return tau_d
    # log1p keeps the formula accurate when tau_r is close to tau_d.
    return tau_r * tau_d / (tau_d - tau_r) * math.log1p((tau_d - tau_r) / tau_r)


def biexponential_peak_value(tau_rise_ms: float, tau_decay_ms: float) -> float:
    r"""Peak of the biexponential response to a unit jump of :math:`x`.

    With :math:`\tau_r \dot x = -x`, :math:`\tau_d \dot s = x - s` and :math:`x(0) = 1`,
    :math:`s(0) = 0`, the response is
    :math:`s(t) = \frac{\tau_r}{\tau_d - \tau_r}\left(e^{-t/\tau_d} - e^{-t/\tau_r}\right)`.
    At :math:`t^*` (:func:`biexponential_peak_time_ms`) it equals

    .. math:: s(t^*) = \left(\frac{\tau_r}{\tau_d}\right)^{\tau_d / (\tau_d - \tau_r)},

    which tends to :math:`1/e` (the alpha function's peak) as :math:`\tau_r \to \tau_d`.

    Parameters
    ----------
    tau_rise_ms, tau_decay_ms : float
        Rise and decay time constants in ms, ``0 < tau_rise_ms <= tau_decay_ms``.

    Returns
    -------
    float
        The peak value, between 0 and :math:`1/e`.
    """
    tau_r, tau_d = _rise_and_decay(tau_rise_ms, tau_decay_ms)
    if tau_r == tau_d:
        return math.exp(-1.0)
    return math.exp(-tau_d / (tau_d - tau_r) * math.log1p((tau_d - tau_r) / tau_r))


def biexponential_normalisation(tau_rise_ms: float, tau_decay_ms: float) -> float:
    r"""Factor that makes the biexponential response peak at 1.

    .. math:: N = 1 / s(t^*) = \left(\frac{\tau_d}{\tau_r}\right)^{\tau_d / (\tau_d - \tau_r)},

    the inverse of :func:`biexponential_peak_value`. A spike that adds :math:`N w`
    to :math:`x` gives a response peaking at :math:`w`.
    """
    return 1.0 / biexponential_peak_value(tau_rise_ms, tau_decay_ms)


def biexponential_kernel(
    t_ms: np.ndarray | float,
    tau_rise_ms: float,
    tau_decay_ms: float,
    *,
    normalise: bool = False,
) -> np.ndarray:
    r"""Biexponential (difference-of-exponentials) kernel.

    The response of :math:`s` in :math:`\tau_r \dot x = -x`, :math:`\tau_d \dot s = x - s`
    to a unit jump of :math:`x` at :math:`t = 0`:

    .. math::
        k(t) = \frac{\tau_r}{\tau_d - \tau_r}\left(e^{-t/\tau_d} - e^{-t/\tau_r}\right) H(t),

    which rises with time constant :math:`\tau_r` and decays with :math:`\tau_d`
    (Dayan & Abbott 2001, section 5.8). It is computed as
    :math:`\frac{\tau_r}{\tau_d - \tau_r} e^{-t/\tau_d}\,(-\mathrm{expm1}(-t(1/\tau_r - 1/\tau_d)))`
    to stay accurate when :math:`\tau_r` is close to :math:`\tau_d`, and equals
    :func:`alpha_kernel` when they are equal.

    Parameters
    ----------
    t_ms : float or array_like
        Time(s) since the spike, in ms.
    tau_rise_ms, tau_decay_ms : float
        Rise and decay time constants in ms, ``0 < tau_rise_ms <= tau_decay_ms``.
    normalise : bool
        Multiply by :func:`biexponential_normalisation`, so the peak is 1.

    Returns
    -------
    numpy.ndarray
        The kernel, shaped like ``t_ms``.
    """
    tau_r, tau_d = _rise_and_decay(tau_rise_ms, tau_decay_ms)
    if tau_r == tau_d:
        kernel = alpha_kernel(t_ms, tau_d)
    else:
        t = np.maximum(_as_times(t_ms), 0.0)
        rate_difference = 1.0 / tau_r - 1.0 / tau_d
        kernel = tau_r / (tau_d - tau_r) * np.exp(-t / tau_d) * -np.expm1(-t * rate_difference)
    return kernel * biexponential_normalisation(tau_r, tau_d) if normalise else kernel


# ---------------------------------------------------------------------------
# Synapse models (used by synaptic_trace and by neuro4ml.models.networks)
# ---------------------------------------------------------------------------


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
        return np.zeros((0, 0))

    def jump(self) -> np.ndarray:
        return np.zeros(0)

    def kernel(self, t_ms: np.ndarray | float) -> np.ndarray:
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
        return np.array([[-1.0 / self.tau_ms]])

    def jump(self) -> np.ndarray:
        return np.array([1.0])

    def kernel(self, t_ms: np.ndarray | float) -> np.ndarray:
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
        tau_r, tau_d = _rise_and_decay(self.tau_rise_ms, self.tau_decay_ms)
        object.__setattr__(self, "tau_rise_ms", tau_r)
        object.__setattr__(self, "tau_decay_ms", tau_d)
        if not isinstance(self.normalise, bool):
            raise TypeError(f"normalise must be True or False, got {self.normalise!r}")

    def matrix(self) -> np.ndarray:
        return np.array([
            [-1.0 / self.tau_rise_ms, 0.0],
            [1.0 / self.tau_decay_ms, -1.0 / self.tau_decay_ms],
        ])

    def jump(self) -> np.ndarray:
        scale = biexponential_normalisation(self.tau_rise_ms, self.tau_decay_ms) if self.normalise else 1.0
        return np.array([scale, 0.0])

    def kernel(self, t_ms: np.ndarray | float) -> np.ndarray:
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
        rate = 1.0 / self.tau_ms
        return np.array([[-rate, 0.0], [rate, -rate]])

    def jump(self) -> np.ndarray:
        return np.array([math.e if self.normalise else 1.0, 0.0])

    def kernel(self, t_ms: np.ndarray | float) -> np.ndarray:
        return alpha_kernel(t_ms, self.tau_ms, normalise=self.normalise)


# ---------------------------------------------------------------------------
# Traces on a time grid
# ---------------------------------------------------------------------------


def _trains_and_weights(
    spike_times_ms: object, weight: object
) -> tuple[list[np.ndarray], list[np.ndarray], bool]:
    """Check the trains and weights of a trace; one weight array per train."""
    trains, single = _as_train_list(spike_times_ms)
    for i, train in enumerate(trains):
        if np.any(train < 0):
            raise ValueError(f"spike times must be >= 0 ms; train {i} has a negative time")
    weights = np.asarray(weight, dtype=float)
    if not np.all(np.isfinite(weights)):
        raise ValueError("weight contains NaN or infinite values")
    if weights.ndim == 0:
        return trains, [np.full(train.size, float(weights)) for train in trains], single
    if not single or weights.shape != trains[0].shape:
        raise ValueError(
            "weight must be a number, or (for one train) an array with one weight per spike; "
            f"got shape {weights.shape} for {len(trains)} train(s)"
        )
    return trains, [weights], single


def _state_traces(
    trains: list[np.ndarray],
    weights: list[np.ndarray],
    synapse: Synapse,
    n_steps: int,
    dt_ms: float,
) -> np.ndarray:
    r"""Exact state of ``synapse`` driven by each train, on the grid; ``(d, trains, time)``.

    At each step :math:`\mathbf s_{k} = P \mathbf s_{k-1} + \sum w\, e^{A (t_k - t_s)}
    \mathbf j`, the sum running over the spikes :math:`t_s \in (t_{k-1}, t_k]`.
    """
    n_variables, n_trains = len(synapse.variables), len(trains)
    propagator = synapse.propagator(dt_ms)
    if np.any(np.triu(propagator, 1)):
        raise ValueError(f"{synapse!r}: the synapse matrix must be lower triangular")
    kicks = np.zeros((n_variables, n_trains, n_steps))
    for i, (train, weight) in enumerate(zip(trains, weights)):
        sample = delivery_steps(train, dt_ms)
        inside = sample < n_steps
        offset_ms = np.maximum(sample[inside] * dt_ms - train[inside], 0.0)
        responses = synapse.responses(offset_ms) * weight[inside, np.newaxis]
        for v in range(n_variables):
            np.add.at(kicks[v, i], sample[inside], responses[:, v])
    # P is lower triangular, so variable v only feels the variables before it:
    # s_v[k] = P_vv s_v[k-1] + (kicks_v[k] + sum_{j<v} P_vj s_j[k-1]), a first-order
    # recursive filter per variable, run by scipy.signal.lfilter in compiled code.
    states = np.empty((n_variables, n_trains, n_steps))
    for v in range(n_variables):
        drive = kicks[v]
        for j in range(v):
            if propagator[v, j] != 0.0:
                drive[:, 1:] += propagator[v, j] * states[j, :, :-1]
        states[v] = lfilter([1.0], [1.0, -propagator[v, v]], drive, axis=-1)
    return states


def _instantaneous_trace(
    trains: list[np.ndarray], weights: list[np.ndarray], n_steps: int, dt_ms: float
) -> np.ndarray:
    """Sum of the weights of the spikes arriving at each sample; ``(trains, time)``."""
    jumps = np.zeros((len(trains), n_steps))
    for i, (train, weight) in enumerate(zip(trains, weights)):
        sample = delivery_steps(train, dt_ms)
        inside = sample < n_steps
        np.add.at(jumps[i], sample[inside], weight[inside])
    return jumps


def synaptic_trace(
    spike_times_ms: np.ndarray | Sequence[np.ndarray],
    synapse: Synapse,
    *,
    duration_ms: float,
    dt_ms: float,
    weight: float | np.ndarray = 1.0,
) -> np.ndarray:
    r"""Synaptic current or conductance driven by spike trains, integrated exactly.

    The result at the grid time :math:`t_k = k\,\Delta t` is the superposition

    .. math:: s(t_k) = \sum_{t_s \le t_k} w_s\, k(t_k - t_s),

    with :math:`k` the model's kernel (``synapse.kernel``). It is computed with the
    exact propagator :math:`P = e^{A \Delta t}` (Rotter & Diesmann 1999),
    :math:`\mathbf s_k = P \mathbf s_{k-1} + \mathbf u_k`, each spike entering
    :math:`\mathbf u` at the first grid time at or after it
    (:func:`neuro4ml.models.spikes.delivery_steps`) with the state it has reached by then, so
    the sum holds for spikes between grid points too. Since :math:`P` is lower
    triangular, the recursion is one first-order filter per variable, run by
    ``scipy.signal.lfilter`` (no Python loop over time steps).

    For :class:`Instantaneous`, sample ``k`` holds the total weight of the spikes in
    :math:`(t_{k-1}, t_k]`: the jumps applied to :math:`V` at that time.

    Parameters
    ----------
    spike_times_ms : 1-D array or list of 1-D arrays
        One presynaptic train, or several (one output row each); times >= 0 in ms,
        any order. Spikes after the last grid time have no effect.
    synapse : Synapse
        The model, e.g. ``Exponential(tau_ms=5)`` or ``Biexponential(1, 5)``.
    duration_ms : float
        Length of the grid in ms, a whole multiple of ``dt_ms``.
    dt_ms : float
        Time step in ms.
    weight : float or 1-D array
        One weight for every spike, or (for one train) one weight per spike, e.g. the
        efficacies from :func:`tsodyks_markram`.

    Returns
    -------
    numpy.ndarray
        Shape ``(time,)`` for one train, ``(trains, time)`` for several, with
        ``time = duration_ms / dt_ms`` samples at ``t_ms = arange(time) * dt_ms``.
    """
    if not isinstance(synapse, Synapse):
        raise TypeError(f"synapse must be a Synapse model such as Exponential(5.0), got {synapse!r}")
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    n_steps = number_of_steps(duration_ms, dt_ms, "dt_ms")
    trains, weights, single = _trains_and_weights(spike_times_ms, weight)
    if isinstance(synapse, Instantaneous):
        traces = _instantaneous_trace(trains, weights, n_steps, dt_ms)
    else:
        traces = _state_traces(trains, weights, synapse, n_steps, dt_ms)[-1]
    return traces[0] if single else traces


def biexponential_trace(
    spike_times_ms: np.ndarray | Sequence[float],
    *,
    tau_rise_ms: float,
    tau_decay_ms: float,
    duration_ms: float,
    dt_ms: float,
    weight: float = 1.0,
    normalise: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Exact solution of the biexponential system on a time grid: both variables.

    .. math::
        \tau_r \frac{dx}{dt} = -x, \qquad \tau_d \frac{dI}{dt} = x - I,
        \qquad x \leftarrow x + w \text{ at each spike},

    starting from :math:`x = I = 0`, integrated exactly as in :func:`synaptic_trace`.
    Takes the same arguments as :func:`biexponential_euler`, so the two can be
    compared sample by sample.

    Parameters
    ----------
    spike_times_ms : 1-D array
        Presynaptic spike times in ms, >= 0.
    tau_rise_ms, tau_decay_ms : float
        Rise and decay time constants in ms, ``0 < tau_rise_ms <= tau_decay_ms``.
    duration_ms, dt_ms : float
        Grid length and time step in ms.
    weight : float
        Jump of :math:`x` at each spike.
    normalise : bool
        Multiply the jump by :func:`biexponential_normalisation` (a spike's :math:`I`
        then peaks at ``weight``).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        :math:`x` and :math:`I` at ``t_ms = arange(time) * dt_ms``, each of shape
        ``(time,)``.
    """
    synapse = Biexponential(tau_rise_ms, tau_decay_ms, normalise=normalise)
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    n_steps = number_of_steps(duration_ms, dt_ms, "dt_ms")
    train = _as_train(spike_times_ms)
    trains, weights, _ = _trains_and_weights(train, finite_number(weight, "weight"))
    x, current = _state_traces(trains, weights, synapse, n_steps, dt_ms)[:, 0]
    return x, current


def biexponential_euler(
    spike_times_ms: np.ndarray | Sequence[float],
    *,
    tau_rise_ms: float,
    tau_decay_ms: float,
    duration_ms: float,
    dt_ms: float,
    weight: float = 1.0,
    normalise: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Forward-Euler integration of the biexponential system (the reference for the exercise).

    The system of :func:`biexponential_trace`,
    :math:`\tau_r \dot x = -x`, :math:`\tau_d \dot I = x - I`, :math:`x \leftarrow x + w`
    at each spike, is advanced with the **forward Euler** method (first order: the
    error at a fixed time halves when :math:`\Delta t` halves):

    .. math::
        x_{k+1} &= x_k - \Delta t\, \frac{x_k}{\tau_r} + w\, n_{k+1}, \\
        I_{k+1} &= I_k + \Delta t\, \frac{x_k - I_k}{\tau_d},

    with :math:`x_0 = w\, n_0`, :math:`I_0 = 0`, and :math:`n_k` the number of spikes
    in :math:`(t_{k-1}, t_k]` (for spike times on the grid: the spikes at exactly
    :math:`t_k`). So sample :math:`k` holds the state at :math:`t_k = k \Delta t`
    *after* the jumps of the spikes at that time, as in :func:`biexponential_trace`.

    Parameters
    ----------
    spike_times_ms : 1-D array
        Presynaptic spike times in ms, >= 0.
    tau_rise_ms, tau_decay_ms : float
        Rise and decay time constants in ms, ``0 < tau_rise_ms <= tau_decay_ms``.
    duration_ms : float
        Length of the simulation in ms, a whole multiple of ``dt_ms``.
    dt_ms : float
        Time step in ms. Euler is stable only for ``dt_ms < 2 * tau_rise_ms``.
    weight : float
        Jump of :math:`x` at each spike.
    normalise : bool
        Multiply the jump by :func:`biexponential_normalisation`.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        :math:`x` and :math:`I` at ``t_ms = arange(time) * dt_ms``, each of shape
        ``(time,)`` with ``time = duration_ms / dt_ms``.

    Examples
    --------
    >>> x, I = biexponential_euler([10.0], tau_rise_ms=1.0, tau_decay_ms=5.0,
    ...                            duration_ms=50.0, dt_ms=0.01)
    >>> round(float(I.max()), 3), round(biexponential_peak_value(1.0, 5.0), 3)
    (0.134, 0.134)
    """
    synapse = Biexponential(tau_rise_ms, tau_decay_ms, normalise=normalise)
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    n_steps = number_of_steps(duration_ms, dt_ms, "dt_ms")
    jump = finite_number(weight, "weight") * synapse.jump()[0]
    train = _as_train(spike_times_ms)
    trains, weights, _ = _trains_and_weights(train, jump)
    kicks = _instantaneous_trace(trains, weights, n_steps, dt_ms)[0]  # w * n_k

    tau_r, tau_d = synapse.tau_rise_ms, synapse.tau_decay_ms
    x = np.zeros(n_steps)
    current = np.zeros(n_steps)
    x[0] = kicks[0]
    for k in range(n_steps - 1):
        x[k + 1] = x[k] - dt_ms * x[k] / tau_r + kicks[k + 1]
        current[k + 1] = current[k] + dt_ms * (x[k] - current[k]) / tau_d
    return x, current


# ---------------------------------------------------------------------------
# Conductance-based synapses
# ---------------------------------------------------------------------------


def conductance_current(g: np.ndarray | float, v: np.ndarray | float, e_rev: float) -> np.ndarray:
    r"""Current through a conductance-based synapse: :math:`I_\text{syn} = g\,(E_\text{rev} - V)`.

    Positive (depolarising) while :math:`V < E_\text{rev}`, zero at the reversal
    potential and negative above it, so the synapse always pulls :math:`V` towards
    :math:`E_\text{rev}`. With :data:`E_EXCITATORY` the synapse excites a neuron
    anywhere below threshold; with :data:`E_INHIBITORY` (below rest) it inhibits.

    Parameters
    ----------
    g : float or array
        Conductance, >= 0, in units of the leak conductance.
    v : float or array
        Membrane potential (dimensionless units: rest 0, threshold 1).
    e_rev : float
        Reversal potential in the same units.

    Returns
    -------
    numpy.ndarray
        The current, broadcast from ``g`` and ``v``.
    """
    e_rev = finite_number(e_rev, "e_rev")
    return np.asarray(g, dtype=float) * (e_rev - np.asarray(v, dtype=float))


def conductance_step(
    v: np.ndarray,
    *,
    dt_ms: float,
    tau_ms: float,
    drive: np.ndarray | float,
    conductances: Sequence[np.ndarray | float],
    reversals: Sequence[float],
) -> np.ndarray:
    r"""Advance a membrane with conductance-based synapses by one time step.

    The membrane equation (dimensionless units, leak reversal 0)

    .. math:: \tau \frac{dV}{dt} = (D - V) + \sum_j g_j\,(E_j - V)

    is linear in :math:`V` when the drive :math:`D` (external and current-based
    input) and the conductances :math:`g_j` are held constant over the step. Then
    :math:`V` relaxes exponentially towards the weighted mean
    :math:`V_\infty = (D + \sum_j g_j E_j) / (1 + \sum_j g_j)` with the shortened time
    constant :math:`\tau / (1 + \sum_j g_j)`, and the step

    .. math:: V \leftarrow V_\infty + (V - V_\infty)\, e^{-\Delta t (1 + \sum_j g_j)/\tau}

    is exact for constant :math:`g_j` (an *exponential Euler* step; for conductances
    that vary within the step, pass their average over the step). Because
    :math:`V_\infty` is a weighted mean, :math:`V` never overshoots it: with a single
    synapse and no drive, :math:`V` approaches :math:`E_\text{rev}` and never passes it.

    Parameters
    ----------
    v : numpy.ndarray
        Membrane potentials, shape ``(neurons,)``.
    dt_ms, tau_ms : float
        Time step and membrane time constant in ms.
    drive : float or array of shape (neurons,)
        The input current :math:`D` (in units of :math:`V`).
    conductances : sequence of float or arrays of shape (neurons,)
        One conductance per synapse type, >= 0, in units of the leak conductance.
    reversals : sequence of float
        The reversal potential of each synapse type.

    Returns
    -------
    numpy.ndarray
        The potentials after the step (a new array).
    """
    dt_ms = positive_number(dt_ms, "dt_ms")
    tau_ms = positive_number(tau_ms, "tau_ms")
    if len(conductances) != len(reversals):
        raise ValueError(
            f"got {len(conductances)} conductances but {len(reversals)} reversal potentials"
        )
    total = np.ones_like(np.asarray(v, dtype=float))
    target = total * drive
    for g, e_rev in zip(conductances, reversals):
        total += g
        target += np.multiply(g, e_rev)
    v_inf = target / total
    return v_inf + (v - v_inf) * np.exp(-dt_ms / tau_ms * total)


def mg_block(v_mV: np.ndarray | float, mg_mM: float = 1.0) -> np.ndarray:
    r"""Fraction of the NMDA conductance not blocked by magnesium (Jahr & Stevens 1990).

    .. math:: B(V) = \frac{1}{1 + \dfrac{[\mathrm{Mg}^{2+}]_o}{3.57\ \text{mM}}\, e^{-0.062\, V/\text{mV}}}

    (Jahr & Stevens 1990, "Voltage dependence of NMDA-activated macroscopic
    conductances predicted by single-channel kinetics", J Neurosci 10:3178-3182).
    Half the conductance is blocked at :math:`V_{1/2} = \ln([\mathrm{Mg}^{2+}]_o / 3.57\,
    \text{mM}) / 0.062` mV (about -20.5 mV at 1 mM); depolarisation relieves the block.
    Unlike the rest of this module, voltages here are in mV.

    Parameters
    ----------
    v_mV : float or array
        Membrane potential in mV.
    mg_mM : float
        Extracellular magnesium concentration in mM, >= 0 (about 1 mM in the brain;
        0 removes the block).

    Returns
    -------
    numpy.ndarray
        :math:`B(V)` in (0, 1], shaped like ``v_mV``.
    """
    mg_mM = non_negative_number(mg_mM, "mg_mM")
    v = np.asarray(v_mV, dtype=float)
    return 1.0 / (1.0 + mg_mM / 3.57 * np.exp(-0.062 * v))


def nmda_current(
    spike_times_ms: np.ndarray | Sequence[float],
    v_mV: np.ndarray | float,
    *,
    duration_ms: float,
    dt_ms: float,
    weight: float = 1.0,
    tau_rise_ms: float = 2.0,
    tau_decay_ms: float = 100.0,
    mg_mM: float = 1.0,
    e_rev_mV: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Conductance and current of an NMDA synapse: kernel times Mg block times driving force.

    .. math::
        g(t) = w \sum_{t_s \le t} k(t - t_s), \qquad
        I(t) = g(t)\, B\big(V(t)\big)\, \big(E_\text{NMDA} - V(t)\big),

    with :math:`k` the biexponential kernel normalised to a peak of 1 (computed exactly
    by :func:`biexponential_trace`), :math:`B` the magnesium block of :func:`mg_block`
    and :math:`E_\text{NMDA} = 0` mV. The default time constants, 2 ms rise and 100 ms
    decay, are those of Brunel & Wang 2001 (J Comput Neurosci 11:63-85), who use the
    same block. The conductance does not depend on :math:`V`; the current does, so
    :math:`V` is an input here (clamped, or recorded from a neuron).

    Parameters
    ----------
    spike_times_ms : 1-D array
        Presynaptic spike times in ms, >= 0.
    v_mV : float or numpy.ndarray of shape (time,)
        Postsynaptic membrane potential in mV: one value (a voltage clamp) or one
        value per sample.
    duration_ms, dt_ms : float
        Grid length and step in ms; ``time = duration_ms / dt_ms``.
    weight : float
        Peak conductance of one spike's response (e.g. in nS), >= 0.
    tau_rise_ms, tau_decay_ms : float
        Kernel time constants in ms, ``0 < tau_rise_ms <= tau_decay_ms``.
    mg_mM : float
        Extracellular magnesium in mM.
    e_rev_mV : float
        Reversal potential in mV.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        :math:`g` and :math:`I` at ``t_ms = arange(time) * dt_ms``, each shape
        ``(time,)``. With ``weight`` in nS and voltages in mV, :math:`I` is in pA
        (positive = depolarising, flowing into the cell).
    """
    weight = non_negative_number(weight, "weight")
    e_rev_mV = finite_number(e_rev_mV, "e_rev_mV")
    _, g = biexponential_trace(
        spike_times_ms,
        tau_rise_ms=tau_rise_ms,
        tau_decay_ms=tau_decay_ms,
        duration_ms=duration_ms,
        dt_ms=dt_ms,
        weight=weight,
        normalise=True,
    )
    v = np.asarray(v_mV, dtype=float)
    if v.ndim > 1 or (v.ndim == 1 and v.shape != g.shape):
        raise ValueError(f"v_mV must be a number or an array of shape {g.shape}, got shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError("v_mV contains NaN or infinite values")
    return g, g * mg_block(v, mg_mM) * (e_rev_mV - v)


# ---------------------------------------------------------------------------
# Short-term plasticity (Tsodyks-Markram)
# ---------------------------------------------------------------------------


class ShortTermPlasticity(NamedTuple):
    """Per-spike values of the Tsodyks-Markram model; arrays of shape ``(spikes,)``."""

    #: Fraction of the maximal response produced by each spike, :math:`u_n x_n`.
    efficacy: np.ndarray
    #: Utilisation (release probability) used by each spike, after its increment.
    u: np.ndarray
    #: Available resources just before each spike.
    x: np.ndarray


class SteadyState(NamedTuple):
    """Steady state of the Tsodyks-Markram model for a regular train (floats)."""

    u: float
    x: float
    efficacy: float


def _utilisation(U: object) -> float:
    U = probability(U, "U")
    if U == 0:
        raise ValueError("U must be in (0, 1]: with U = 0 the synapse never releases")
    return U


def _facilitation_decay(interval_ms: np.ndarray | float, tau_facil_ms: float) -> np.ndarray | float:
    """:math:`e^{-\\Delta/\\tau_F}`, and 0 (no facilitation) when ``tau_facil_ms == 0``."""
    if tau_facil_ms == 0:
        return np.zeros_like(interval_ms) if isinstance(interval_ms, np.ndarray) else 0.0
    return np.exp(-np.asarray(interval_ms) / tau_facil_ms)


def tsodyks_markram(
    spike_times_ms: np.ndarray | Sequence[float],
    U: float,
    tau_rec_ms: float,
    tau_facil_ms: float = 0.0,
) -> ShortTermPlasticity:
    r"""Efficacy of each spike of a train at a depressing and facilitating synapse.

    The Tsodyks-Markram model (Tsodyks & Markram 1997, "The neural code between
    neocortical pyramidal neurons depends on neurotransmitter release probability",
    PNAS 94:719-723; Tsodyks, Pawelzik & Markram 1998, "Neural networks with dynamic
    synapses", Neural Comput. 10:821-835) has a fraction :math:`x` of available
    resources and a utilisation :math:`u`. Between spikes

    .. math:: \frac{dx}{dt} = \frac{1 - x}{\tau_\text{rec}}, \qquad
              \frac{du}{dt} = -\frac{u}{\tau_\text{facil}},

    and at each spike first :math:`u \leftarrow u + U(1 - u)`, then the spike uses
    :math:`u x` of the resources (its efficacy) and :math:`x \leftarrow x - u x`.
    Integrating between spikes :math:`\Delta_n = t_{n+1} - t_n` apart gives the
    exact recursion (Markram, Wang & Tsodyks 1998, "Differential signaling via the
    same axon of neocortical pyramidal neurons", PNAS 95:5323-5328)

    .. math::
        u_{n+1} = U + u_n (1 - U)\, e^{-\Delta_n/\tau_\text{facil}}, \qquad
        x_{n+1} = 1 + (x_n - u_n x_n - 1)\, e^{-\Delta_n/\tau_\text{rec}},

    from :math:`u_1 = U`, :math:`x_1 = 1` (a rested synapse). ``tau_facil_ms = 0``
    removes facilitation (:math:`u = U` at every spike): the depression-only model of
    Tsodyks & Markram (1997).

    Parameters
    ----------
    spike_times_ms : 1-D array
        Presynaptic spike times in ms, sorted (non-decreasing).
    U : float
        Utilisation increment (baseline release probability), in (0, 1].
    tau_rec_ms : float
        Recovery time constant of the resources in ms, > 0 (depression).
    tau_facil_ms : float
        Decay time constant of the utilisation in ms, >= 0 (facilitation; 0: none).

    Returns
    -------
    ShortTermPlasticity
        ``efficacy`` (:math:`u_n x_n`), ``u`` (:math:`u_n`) and ``x`` (:math:`x_n`),
        each of shape ``(spikes,)``. Multiply the efficacies by a maximal weight to
        get the size of each postsynaptic response (for example with the ``weight``
        argument of :func:`synaptic_trace`).
    """
    U = _utilisation(U)
    tau_rec_ms = positive_number(tau_rec_ms, "tau_rec_ms")
    tau_facil_ms = non_negative_number(tau_facil_ms, "tau_facil_ms")
    train = _as_train(spike_times_ms)
    intervals_ms = np.diff(train)
    if np.any(intervals_ms < 0):
        raise ValueError("spike_times_ms must be sorted in increasing order")
    facil_decay = _facilitation_decay(intervals_ms, tau_facil_ms)
    rec_decay = np.exp(-intervals_ms / tau_rec_ms)

    u = np.empty(train.size)
    x = np.empty(train.size)
    if train.size:
        u[0], x[0] = U, 1.0
    for n in range(train.size - 1):
        u[n + 1] = U + u[n] * (1.0 - U) * facil_decay[n]
        x[n + 1] = 1.0 + (x[n] - u[n] * x[n] - 1.0) * rec_decay[n]
    return ShortTermPlasticity(efficacy=u * x, u=u, x=x)


def tsodyks_markram_steady_state(
    rate_hz: float,
    U: float,
    tau_rec_ms: float,
    tau_facil_ms: float = 0.0,
) -> SteadyState:
    r"""Steady state of the Tsodyks-Markram model for a regular train at ``rate_hz``.

    For spikes :math:`\Delta = 1000/f` ms apart, the fixed points of the recursion of
    :func:`tsodyks_markram` are

    .. math::
        u_\infty = \frac{U}{1 - (1 - U)\, e^{-\Delta/\tau_\text{facil}}}, \qquad
        x_\infty = \frac{1 - e^{-\Delta/\tau_\text{rec}}}
                        {1 - (1 - u_\infty)\, e^{-\Delta/\tau_\text{rec}}},

    and the steady-state efficacy is :math:`u_\infty x_\infty` (Tsodyks, Pawelzik &
    Markram 1998). Without facilitation (:math:`\tau_\text{facil} = 0`),
    :math:`u_\infty = U` and at high rates :math:`u_\infty x_\infty \approx
    \Delta/\tau_\text{rec}`: the response per spike falls as :math:`1/f`, so the
    transmitted rate :math:`f u_\infty x_\infty` saturates (Tsodyks & Markram 1997).

    Parameters
    ----------
    rate_hz : float
        Rate of the regular train in Hz, > 0.
    U, tau_rec_ms, tau_facil_ms : float
        As in :func:`tsodyks_markram`.

    Returns
    -------
    SteadyState
        ``u``, ``x`` and ``efficacy`` at each spike once the train has reached its
        steady state.
    """
    rate_hz = positive_number(rate_hz, "rate_hz")
    U = _utilisation(U)
    tau_rec_ms = positive_number(tau_rec_ms, "tau_rec_ms")
    tau_facil_ms = non_negative_number(tau_facil_ms, "tau_facil_ms")
    interval_ms = 1000.0 / rate_hz
    u_inf = U / (1.0 - (1.0 - U) * _facilitation_decay(interval_ms, tau_facil_ms))
    rec_decay = math.exp(-interval_ms / tau_rec_ms)
    x_inf = (1.0 - rec_decay) / (1.0 - (1.0 - u_inf) * rec_decay)
    return SteadyState(u=float(u_inf), x=float(x_inf), efficacy=float(u_inf * x_inf))


# ---------------------------------------------------------------------------
# Quantal (binomial) release
# ---------------------------------------------------------------------------


class QuantalRelease(NamedTuple):
    """Per-trial results of :func:`binomial_release`; arrays of shape ``(trials,)``."""

    #: Number of quanta (vesicles) released on each trial, :math:`k`.
    quanta: np.ndarray
    #: Response amplitude on each trial, :math:`k q`.
    amplitude: np.ndarray


def binomial_release(
    n_sites: int,
    release_probability: float,
    n_trials: int,
    *,
    quantal_size: float = 1.0,
    rng: np.random.Generator | int | None = None,
) -> QuantalRelease:
    r"""Responses of a synapse with ``n_sites`` independent release sites, one per trial.

    The quantal model of del Castillo & Katz (1954, "Quantal components of the
    end-plate potential", J. Physiol. 124:560-573): each of :math:`N` sites releases one
    quantum with probability :math:`p`, independently, and each quantum gives a
    response of size :math:`q`. The number of quanta :math:`k` is binomial,

    .. math::
        P(k) = \binom{N}{k} p^k (1 - p)^{N - k}, \qquad
        \mathbb{E}[kq] = Npq, \qquad \operatorname{Var}[kq] = Np(1 - p)q^2 .

    A failure (:math:`k = 0`) is the single most likely outcome exactly when
    :math:`(N + 1)p < 1`, since :math:`P(1)/P(0) = Np/(1 - p)`; the mode of the
    binomial is :math:`\lfloor (N + 1)p \rfloor`.

    Parameters
    ----------
    n_sites : int
        Number of release sites :math:`N` (>= 1).
    release_probability : float
        Release probability per site :math:`p`, in [0, 1].
    n_trials : int
        Number of presynaptic spikes (trials) to simulate (>= 1).
    quantal_size : float
        Response to one quantum :math:`q` (any finite number, e.g. in mV).
    rng : numpy Generator, int or None
        Random generator or seed.

    Returns
    -------
    QuantalRelease
        ``quanta`` (integers) and ``amplitude`` (``quanta * quantal_size``), each of
        shape ``(trials,)``.
    """
    for value, name in ((n_sites, "n_sites"), (n_trials, "n_trials")):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    p = probability(release_probability, "release_probability")
    q = finite_number(quantal_size, "quantal_size")
    quanta = as_generator(rng).binomial(int(n_sites), p, size=int(n_trials))
    return QuantalRelease(quanta=quanta, amplitude=quanta * q)
