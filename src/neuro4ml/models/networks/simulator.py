r"""The network simulator: groups of leaky integrate-and-fire neurons on a clock.

A :class:`Network` holds *groups* of LIF neurons, *inputs* (neurons that fire at given
times) and *connections* between them. Building and running one looks like this::

    net = Network()
    net.add_input("in", [[10.0, 30.0], [12.0]])           # 2 input neurons, spike times in ms
    net.add_group("out", 3, tau_ms=10.0, i_ext=0.5)       # 3 LIF neurons
    net.connect("in", "out", weights, synapse=Exponential(tau_ms=5.0), delay_ms=1.0)
    net.connect("out", "out", -0.5 * (1 - np.eye(3)))     # lateral inhibition, instantaneous
    run = net.run(100.0, dt_ms=0.1, record_v=["out"])
    run.spike_times_ms["out"]                              # one array of spike times per neuron

**Neurons.** Every neuron follows the LIF equation of :func:`neuro4ml.models.neurons.lif`, in
the same dimensionless units (rest 0, threshold 1, reset 0 by default),

.. math:: \tau \frac{dV}{dt} = I_\text{ext} - V + \sum_\text{current synapses} s
          + \sum_\text{conductance synapses} g\,(E_\text{rev} - V),

with a spike and reset when :math:`V > \text{threshold}`, and an optional refractory
period during which :math:`V` is held at the reset value (input arriving then is lost).

**Synapses.** Each connection uses one of the models of :mod:`neuro4ml.models.synapses`
(:class:`~neuro4ml.models.synapses.Instantaneous`, :class:`~neuro4ml.models.synapses.Exponential`,
:class:`~neuro4ml.models.synapses.Alpha`, :class:`~neuro4ml.models.synapses.Biexponential`) and is
current-based (``reversal=None``; the weight's sign says excitatory or inhibitory) or
conductance-based (``reversal=E``; weights >= 0). Each connection has its own synaptic
variables in the target group.

**Integration.** With current-based synapses only, the neuron and its synapses form a
linear system between spikes, advanced **exactly** by the matrix exponential
(Rotter & Diesmann 1999, "Exact digital simulation of time-invariant linear systems with
applications to neuronal modeling", Biol. Cybern. 81:381-402): a neuron with a constant
input and no synapses gives exactly the numbers of :func:`neuro4ml.models.neurons.lif`. With
conductance-based synapses, the synaptic variables are still advanced exactly, and
:math:`V` by :func:`neuro4ml.models.synapses.conductance_step` with each conductance and current
replaced by its exact average over the step (an exponential-Euler step, exact when the
conductances are constant over the step, and never carrying :math:`V` past a reversal
potential).

**Time.** Sample ``k`` is at ``t_ms[k] = k * dt_ms``. A run first applies what
happens at ``t_ms[0]`` (step 5 below), then each step ``k`` does, in order:

1. record ``V`` and the synaptic variables: ``v[..., k]`` is the value at ``t_ms[k]``,
   after the spikes that arrived at ``t_ms[k]`` and after any reset at ``t_ms[k]``;
2. advance every group from ``t_ms[k]`` to ``t_ms[k + 1]`` (no spikes yet);
3. input neurons fire the spikes delivered at ``t_ms[k + 1]``: those in
   ``(t_ms[k], t_ms[k + 1]]``. An input spike at time :math:`t` is delivered at the
   first grid time at or after it (:func:`neuro4ml.models.spikes.delivery_steps`, the
   library's one rule), so it never acts before it happens; its whole jump is applied
   then (the synapse is not propagated over the fraction of a step, as
   :func:`neuro4ml.models.synapses.synaptic_trace` does);
4. the spikes arriving at ``t_ms[k + 1]`` are applied: the synaptic variables jump (or
   ``V`` jumps, for instantaneous synapses);
5. neurons above threshold spike (stamped ``t_ms[k + 1]``, as in
   :mod:`neuro4ml.models.neurons`) and are reset; refractory neurons are held at reset first
   (see **Refractory period** below);
6. their spikes are sent. A spike emitted at :math:`t` on a connection with delay
   :math:`d` arrives at :math:`t + d`, the delay rounded *up* to a whole number of
   steps by the same rule, and is held until then in a ring buffer of arriving
   weights. A neuron's spike takes at least one step to arrive (``delay_ms=0``
   between groups means one step), since it can only act on the next threshold
   check; an input's spike can arrive at once.

So an input that pushes ``V`` over the threshold makes the neuron fire at the very
time it arrives, without first decaying for a step: as in the exact-integration scheme
of Rotter & Diesmann (1999), input arriving at a grid point is added after the state
has been propagated to that point.

**Refractory period.** A neuron that spikes at ``t_ms[k]`` is held at the reset value
at the next ``R`` grid times, ``t_ms[k + 1]`` to ``t_ms[k + R]`` (``R`` is
``refractory_ms`` rounded up to whole steps by the same rule), and integrates again
from ``t_ms[k + R]``: it is clamped for ``R`` steps after its spike, and any input
arriving then is lost. Under a constant drive the interval between spikes is
therefore ``R`` steps plus the free-running interval rounded up to the grid, the
continuous-time interval up to one step. Brian2 (measured with version 2.9, the same
equations, ``method="exact"``, numpy target) gives intervals **one step shorter** for
the same parameters (6.0 ms instead of 6.1 ms for ``i_ext=3``, ``tau_ms=10``,
``refractory_ms=2``, ``dt_ms=0.1``): it stamps a spike at the start of the step in
which the threshold is crossed, ``dt`` earlier than here, and counts the refractory
period from that stamp, so in effect it clamps ``V`` for one step less. To reproduce
Brian2's intervals, pass ``refractory_ms`` one ``dt_ms`` shorter.

**Speed.** The loop runs over time steps; each step is a fixed number of in-place
numpy operations on arrays of length ``neurons``. Weights are stored in compressed
sparse row (CSR) form, so sending spikes touches only the rows of the neurons that
fired. This numpy loop is the reference. The same loop compiled with numba
(``run(..., backend="numba")``, :mod:`neuro4ml.models.networks.compiled_loop`, the optional
extra ``neuro4ml[fast]``) gives the same numbers bit for bit and runs the 10,000-neuron,
2-million-synapse network of ``benchmarks/network_brian2.py`` several times faster than
the numpy loop (about 1 s of numpy time per second of biological time on a shared
2-core machine); ``backend="auto"`` uses it for large runs when numba is installed.

The course's model networks, built with it, live in their own modules of
:mod:`neuro4ml.models.networks`.
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse
from scipy.linalg import expm

from neuro4ml.validation import (
    finite_number,
    non_negative_number,
    number_of_steps,
    per_neuron_values,
    positive_number,
    spike_trains,
    threshold_above_reset,
    whole_number,
)
from neuro4ml.models.neurons import SpikeRecorder
from neuro4ml.models.spikes import delivery_steps, events_to_trains
from neuro4ml.models.synapses import (
    Instantaneous,
    Synapse,
    conductance_step,
)

__all__ = ["Network", "NetworkRun"]


# ---------------------------------------------------------------------------
# The result type
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class NetworkRun:
    """What :meth:`Network.run` returns.

    Attributes
    ----------
    t_ms : numpy.ndarray
        Sample times, shape ``(time,)``, ``t_ms[k] = k * dt_ms``.
    dt_ms : float
        The time step in ms.
    spike_times_ms : dict of str to list of numpy.ndarray
        For every group and every input, one sorted array of spike times (ms) per
        neuron. Input spikes appear at the grid times they were delivered at.
    v : dict of str to numpy.ndarray
        For each group named in ``record_v``, the membrane potential of the recorded
        neurons, shape ``(recorded neurons, time)``; ``v[name][i, k]`` is neuron
        ``v_neurons[name][i]`` at ``t_ms[k]``.
    v_neurons : dict of str to numpy.ndarray
        The indices (within their group) of the neurons in each ``v`` array.
    synaptic : dict of str to numpy.ndarray
        For each connection named in ``record_synapses``, its synaptic variable (the
        current or conductance ``s`` of :mod:`neuro4ml.models.synapses`) in the recorded
        target neurons, shape ``(recorded neurons, time)``.
    synaptic_neurons : dict of str to numpy.ndarray
        The target-neuron indices of each ``synaptic`` array.
    """

    t_ms: np.ndarray
    dt_ms: float
    spike_times_ms: dict[str, list[np.ndarray]]
    v: dict[str, np.ndarray]
    v_neurons: dict[str, np.ndarray]
    synaptic: dict[str, np.ndarray]
    synaptic_neurons: dict[str, np.ndarray]

    @property
    def duration_ms(self) -> float:
        """Length of the run in ms."""
        return self.t_ms.size * self.dt_ms

    def spike_counts(self, name: str) -> np.ndarray:
        """Number of spikes of each neuron of group or input ``name``, shape ``(neurons,)``."""
        return np.array([train.size for train in self._trains(name)], dtype=np.int64)

    def rates_hz(self, name: str) -> np.ndarray:
        """Mean firing rate of each neuron of ``name`` over the run, in Hz, shape ``(neurons,)``."""
        return self.spike_counts(name) * 1000.0 / self.duration_ms

    def _trains(self, name: str) -> list[np.ndarray]:
        if name not in self.spike_times_ms:
            raise KeyError(f"no group or input called {name!r}; known: {sorted(self.spike_times_ms)}")
        return self.spike_times_ms[name]


# ---------------------------------------------------------------------------
# Specifications (what the user declared)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _GroupSpec:
    """A group of LIF neurons as declared by :meth:`Network.add_group`."""

    name: str
    n: int
    tau_ms: float
    threshold: float
    reset: float
    refractory_ms: float
    i_ext: np.ndarray
    v0: np.ndarray


@dataclass(frozen=True, eq=False)
class _InputSpec:
    """Input neurons as declared by :meth:`Network.add_input`."""

    name: str
    trains: list[np.ndarray]

    @property
    def n(self) -> int:
        return len(self.trains)


@dataclass(frozen=True, eq=False)
class _ConnectionSpec:
    """A connection as declared by :meth:`Network.connect`; weights in CSR form."""

    name: str
    source: str
    target: str
    indptr: np.ndarray
    indices: np.ndarray
    weights: np.ndarray
    delays_ms: float | np.ndarray  # one delay, or one per stored synapse
    synapse: Synapse
    reversal: float | None


def _check_name(name: object, what: str) -> str:
    if not isinstance(name, str) or not name:
        raise TypeError(f"the {what} name must be a non-empty string, got {name!r}")
    return name


def _as_csr(weights: object, shape: tuple[int, int]) -> scipy.sparse.csr_array:
    """Weights as a canonical CSR array (sorted, no duplicates, no stored zeros)."""
    if scipy.sparse.issparse(weights):
        matrix = scipy.sparse.csr_array(weights, dtype=float)
    else:
        try:
            dense = np.asarray(weights, dtype=float)
        except (TypeError, ValueError) as error:
            raise TypeError(
                "weights must be a 2-D array (sources, targets) or a scipy.sparse matrix, "
                f"got {type(weights).__name__}"
            ) from error
        if dense.ndim != 2:
            raise ValueError(
                f"weights must be 2-D, shaped (sources, targets) = {shape}, got shape {dense.shape}"
            )
        matrix = scipy.sparse.csr_array(dense)
    if matrix.shape != shape:
        raise ValueError(f"weights must be shaped (sources, targets) = {shape}, got {matrix.shape}")
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    matrix.sort_indices()
    if not np.all(np.isfinite(matrix.data)):
        raise ValueError("weights contain NaN or infinite values")
    return matrix


def _synapse_delays_ms(delay_ms: object, matrix: scipy.sparse.csr_array) -> float | np.ndarray:
    """One delay for the connection, or one per stored synapse (in CSR order)."""
    if scipy.sparse.issparse(delay_ms) or np.ndim(delay_ms) > 0:
        if scipy.sparse.issparse(delay_ms):
            lookup = scipy.sparse.csr_array(delay_ms, dtype=float)
        else:
            lookup = np.asarray(delay_ms, dtype=float)
        if lookup.shape != matrix.shape:
            raise ValueError(
                f"delay_ms must be one number or shaped like the weights {matrix.shape}, "
                f"got shape {lookup.shape}"
            )
        rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
        delays = np.asarray(lookup[rows, matrix.indices], dtype=float).reshape(-1)
    else:
        delays = np.asarray(finite_number(delay_ms, "delay_ms"))
    if not np.all(np.isfinite(delays)) or np.any(delays < 0):
        raise ValueError("delay_ms must be finite and >= 0 ms")
    return float(delays) if delays.ndim == 0 else delays


# ---------------------------------------------------------------------------
# Run-time machinery
# ---------------------------------------------------------------------------


def _lower_triangular_rows(matrix: np.ndarray) -> list[list[tuple[int, float]]]:
    """For each row ``i`` the nonzero entries ``(j, m_ij)`` with ``j < i``."""
    return [[(j, float(matrix[i, j])) for j in range(i) if matrix[i, j] != 0.0] for i in range(matrix.shape[0])]


class _Receptor:
    r"""The synaptic variables of one connection in its target group.

    Holds the state :math:`\mathbf s` (one array per variable, each ``(neurons,)``),
    the ring buffer of weight arriving at each future step, and the coefficients of
    the exact step: the propagator :math:`P = e^{A\Delta t}`, the contribution of each
    variable to :math:`V` over a step (current-based), and each variable's average
    over a step (conductance-based). The last two come from the matrix exponential of
    the system extended by :math:`V` (Rotter & Diesmann 1999).
    """

    def __init__(self, spec: _ConnectionSpec, n: int, tau_ms: float, dt_ms: float, n_slots: int) -> None:
        self.name = spec.name
        self.reversal = spec.reversal
        self.instantaneous = isinstance(spec.synapse, Instantaneous)
        self.buffer = np.zeros((n_slots, n))
        self.n_slots = n_slots
        self.pending = [False] * n_slots
        synapse = spec.synapse
        d = len(synapse.variables)
        self.state = [np.zeros(n) for _ in range(d)]
        self.jump = synapse.jump()
        if d:
            a = synapse.matrix()
            if np.any(np.triu(a, 1)):
                raise ValueError(f"{synapse!r}: the synapse matrix must be lower triangular")
            propagator = synapse.propagator(dt_ms)
            self.decay = np.diag(propagator).tolist()
            self.feed = _lower_triangular_rows(propagator)
            output = np.zeros(d)
            output[-1] = 1.0
            self.to_v = self._extended(a, output / tau_ms, -1.0 / tau_ms, dt_ms).tolist()
            self.mean = (self._extended(a, output, 0.0, dt_ms) / dt_ms).tolist()
        self._tmp = np.empty(n)

    @staticmethod
    def _extended(a: np.ndarray, row: np.ndarray, self_rate: float, dt_ms: float) -> np.ndarray:
        """Last row of :math:`\\exp(M \\Delta t)` for the system extended by one variable.

        :math:`M = \\begin{pmatrix} A & 0 \\\\ r^\\top & c \\end{pmatrix}`: the extra
        variable integrates :math:`r^\\top \\mathbf s` (and decays at rate ``-c``).
        The first ``d`` entries of the last row give its change over one step.
        """
        d = a.shape[0]
        m = np.zeros((d + 1, d + 1))
        m[:d, :d] = a
        m[d, :d] = row
        m[d, d] = self_rate
        return expm(m * dt_ms)[d, :d]

    @property
    def output(self) -> np.ndarray:
        """The current or conductance seen by the neurons (the last variable)."""
        return self.state[-1]

    def deliver(self, slot: int, v: np.ndarray) -> None:
        """Apply the weight arriving now: jump the state, or ``V`` for instantaneous synapses."""
        if not self.pending[slot]:
            return
        arriving = self.buffer[slot]
        if not self.instantaneous:
            for variable, jump in zip(self.state, self.jump):
                if jump == 1.0:
                    variable += arriving
                elif jump != 0.0:
                    variable += jump * arriving
        elif self.reversal is None:
            v += arriving
        else:  # V moves a fraction 1 - exp(-w) of the way to the reversal potential
            v += -np.expm1(-arriving) * (self.reversal - v)
        arriving.fill(0.0)
        self.pending[slot] = False

    def add_to_v(self, v: np.ndarray) -> None:
        """Exact current-based contribution of this synapse to ``V`` over one step."""
        for variable, coefficient in zip(self.state, self.to_v):
            np.multiply(variable, coefficient, out=self._tmp)
            v += self._tmp

    def step_average(self) -> np.ndarray:
        """Exact average of the synaptic variable over the coming step (a new array)."""
        average = self.state[0] * self.mean[0]
        for variable, coefficient in zip(self.state[1:], self.mean[1:]):
            average += coefficient * variable
        return average

    def advance(self) -> None:
        """:math:`\\mathbf s \\leftarrow P \\mathbf s`, in place (last variable first)."""
        for i in reversed(range(len(self.state))):
            self.state[i] *= self.decay[i]
            for j, coefficient in self.feed[i]:
                np.multiply(self.state[j], coefficient, out=self._tmp)
                self.state[i] += self._tmp


def _row_entries(indptr: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Positions in the CSR data of all entries of ``rows`` (rows may repeat)."""
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    ends = np.cumsum(lengths)
    return np.arange(ends[-1]) + np.repeat(starts - (ends - lengths), lengths)


class _Projection:
    """Sends the spikes of a source through one connection into its receptor's ring buffer."""

    def __init__(self, spec: _ConnectionSpec, receptor: _Receptor, dt_ms: float, minimum_steps: int) -> None:
        self.indptr = spec.indptr
        self.indices = spec.indices
        self.weights = spec.weights
        self.buffer = receptor.buffer
        self.flat_buffer = receptor.buffer.reshape(-1)
        self.pending = receptor.pending
        self.n_slots, self.n_targets = receptor.buffer.shape
        steps = np.maximum(_delay_steps(spec.delays_ms, dt_ms), minimum_steps)
        self.delay_steps = int(steps) if np.ndim(steps) == 0 else None
        self.entry_delay_steps = None if np.ndim(steps) == 0 else steps

    def send(self, fired: np.ndarray, step: int) -> None:
        """Spikes of ``fired`` (source indices, may repeat) emitted at ``step``."""
        if fired.size == 0:
            return
        if self.delay_steps is not None:
            slot = (step + self.delay_steps) % self.n_slots
            row = self.buffer[slot]
            if fired.size == 1:  # one row: its target indices are unique
                start, stop = self.indptr[fired[0]], self.indptr[fired[0] + 1]
                row[self.indices[start:stop]] += self.weights[start:stop]
            else:
                entries = _row_entries(self.indptr, fired)
                np.add.at(row, self.indices[entries], self.weights[entries])
            self.pending[slot] = True
            return
        entries = _row_entries(self.indptr, fired)
        slots = (step + self.entry_delay_steps[entries]) % self.n_slots
        np.add.at(self.flat_buffer, slots * self.n_targets + self.indices[entries], self.weights[entries])
        for slot in np.unique(slots).tolist():
            self.pending[slot] = True


def _delay_steps(delays_ms: float | np.ndarray, dt_ms: float) -> int | np.ndarray:
    """Delays as whole numbers of steps (rounded up, :func:`~neuro4ml.models.spikes.delivery_steps`), before the one-step minimum."""
    steps = delivery_steps(delays_ms, dt_ms)
    return int(steps) if steps.ndim == 0 else steps


class _InputRun:
    """Input neurons during a run: which of them fire at each step."""

    def __init__(self, spec: _InputSpec, dt_ms: float, n_steps: int) -> None:
        self.name = spec.name
        neurons = np.concatenate([np.full(train.size, i, dtype=np.int64) for i, train in enumerate(spec.trains)])
        times_ms = np.concatenate(spec.trains)
        steps = delivery_steps(times_ms, dt_ms)
        inside = steps < n_steps
        order = np.argsort(steps[inside], kind="stable")
        self.steps = steps[inside][order]
        self.neurons = neurons[inside][order]
        self.bounds = np.searchsorted(self.steps, np.arange(n_steps + 2))  # steps 0..n_steps
        self.n = spec.n
        self.dt_ms = dt_ms
        self.projections: list[_Projection] = []

    def fired(self, step: int) -> np.ndarray:
        return self.neurons[self.bounds[step] : self.bounds[step + 1]]

    def trains(self) -> list[np.ndarray]:
        """The delivered spike times (on the grid), one sorted array per neuron."""
        return events_to_trains(self.neurons, self.steps * self.dt_ms, self.n)


class _GroupRun:
    """A group of LIF neurons during a run: state, receptors, update and recording."""

    def __init__(self, spec: _GroupSpec, receptors: list[_Receptor], dt_ms: float) -> None:
        self.name = spec.name
        self.spec = spec
        self.dt_ms = dt_ms
        self.v = spec.v0.copy()
        self.decay = math.exp(-dt_ms / spec.tau_ms)
        drive = -math.expm1(-dt_ms / spec.tau_ms)  # as in neurons.lif
        constant = spec.i_ext[0] if np.all(spec.i_ext == spec.i_ext[0]) else None
        self.external = (drive * constant) if constant is not None else drive * spec.i_ext
        self.has_external = constant != 0.0
        self.receptors = receptors
        self.current = [r for r in receptors if not r.instantaneous and r.reversal is None]
        self.conductance = [r for r in receptors if not r.instantaneous and r.reversal is not None]
        self.synaptic = self.current + self.conductance
        self.recorder = SpikeRecorder(spec.n)
        # steps each neuron is still held at reset: set at a spike, counted down at each step
        self.refractory_steps = int(delivery_steps(spec.refractory_ms, dt_ms))
        self.countdown = np.zeros(spec.n, dtype=np.int64)
        self.holding = False  # whether any neuron may be refractory now
        self._held = np.empty(spec.n, dtype=bool)
        self.projections: list[_Projection] = []

    def update(self) -> None:
        """Advance ``V`` and the synaptic variables by one time step (no spikes yet)."""
        if self.conductance:
            self._conductance_update()
        else:
            self._exact_update()
        for receptor in self.synaptic:
            receptor.advance()

    def arrive(self, step: int) -> None:
        """Apply the spikes arriving at ``t_ms[step]``."""
        for receptor in self.receptors:
            receptor.deliver(step % receptor.n_slots, self.v)

    def fire(self, step: int) -> np.ndarray:
        """Hold refractory neurons at reset, then spike, reset and return those above threshold."""
        if self.holding:
            np.greater(self.countdown, 0, out=self._held)
            self.v[self._held] = self.spec.reset
            self.countdown -= self._held
            self.holding = bool(self._held.any())
        fired = self.recorder.threshold(self.v, self.spec.threshold, step * self.dt_ms)
        self.v[fired] = self.spec.reset
        if self.refractory_steps and fired.size:
            self.countdown[fired] = self.refractory_steps
            self.holding = True
        return fired

    def _exact_update(self) -> None:
        """:math:`V \\leftarrow e^{-\\Delta t/\\tau} V + (1 - e^{-\\Delta t/\\tau}) I_\\text{ext} + \\sum c \\cdot s`."""
        self.v *= self.decay
        if self.has_external:
            self.v += self.external
        for receptor in self.current:
            receptor.add_to_v(self.v)

    def _conductance_update(self) -> None:
        """Exponential-Euler step with step-averaged conductances and currents."""
        drive = self.spec.i_ext
        for receptor in self.current:
            drive = drive + receptor.step_average()
        self.v[:] = conductance_step(
            self.v,
            dt_ms=self.dt_ms,
            tau_ms=self.spec.tau_ms,
            drive=drive,
            conductances=[receptor.step_average() for receptor in self.conductance],
            reversals=[receptor.reversal for receptor in self.conductance],
        )


class _Recording:
    """Time-major buffers ``(time, recorded)`` for one variable of some neurons."""

    def __init__(self, neurons: np.ndarray | None, n: int, n_steps: int) -> None:
        self.neurons = neurons  # None: all neurons
        self.buffer = np.empty((n_steps, n if neurons is None else neurons.size))

    def write(self, step: int, values: np.ndarray) -> None:
        self.buffer[step] = values if self.neurons is None else values[self.neurons]

    def indices(self) -> np.ndarray:
        return np.arange(self.buffer.shape[1]) if self.neurons is None else self.neurons

    def traces(self) -> np.ndarray:
        """The recording as ``(recorded neurons, time)`` (a transposed view)."""
        return self.buffer.T


def _record_request(
    request: object, known: Mapping[str, int], what: str
) -> dict[str, np.ndarray | None]:
    """Parse ``record_v`` / ``record_synapses`` into ``{name: indices or None (all)}``."""
    if request is None:
        return {}
    if isinstance(request, str):
        request = [request]
    if not isinstance(request, Mapping):
        request = {name: True for name in request}
    parsed: dict[str, np.ndarray | None] = {}
    for name, which in request.items():
        if name not in known:
            raise ValueError(f"cannot record {what} of {name!r}: known names are {sorted(known)}")
        if which is True:
            parsed[name] = None
        elif which is False or which is None:
            continue
        else:
            indices = np.asarray(which)
            if indices.ndim != 1 or not np.issubdtype(indices.dtype, np.integer):
                raise ValueError(f"the neurons to record in {name!r} must be a 1-D array of indices")
            if np.any(indices < 0) or np.any(indices >= known[name]):
                raise ValueError(f"neuron indices to record in {name!r} must be in [0, {known[name]})")
            parsed[name] = indices.astype(np.int64)
    return parsed


#: ``backend="auto"`` compiles the loop with numba from this many neuron-steps
#: (neurons times time steps) on: a first compilation takes seconds, which only large
#: runs repay (the 10,000-neuron benchmark network is 10**8 neuron-steps per second of
#: biological time at ``dt_ms=0.1``).
AUTO_NUMBA_NEURON_STEPS = 10**7


def numba_available() -> bool:
    """Whether numba can be imported (the optional extra ``neuro4ml[fast]``)."""
    return importlib.util.find_spec("numba") is not None


def _use_numba(backend: str, groups: list[_GroupRun], n_steps: int) -> bool:
    """Resolve ``backend`` for this run (see :meth:`Network.run`)."""
    if backend == "numpy":
        return False
    if not numba_available():
        if backend == "numba":
            raise ImportError('backend="numba" needs numba: pip install "neuro4ml[fast]"')
        return False
    with_conductances = [group for group in groups if group.conductance]
    if backend == "numba":
        if with_conductances:
            group = with_conductances[0]
            names = ", ".join(repr(r.name) for r in group.conductance)
            raise ValueError(
                f'backend="numba" cannot run this network: group {group.name!r} receives '
                f"conductance-based synapses with a time course ({names}), which only the "
                'numpy loop simulates; use backend="numpy"'
            )
        return True
    neuron_steps = n_steps * sum(group.spec.n for group in groups)
    return not with_conductances and neuron_steps >= AUTO_NUMBA_NEURON_STEPS


# ---------------------------------------------------------------------------
# The network
# ---------------------------------------------------------------------------

#: The default synapse of :meth:`Network.connect` (the models are immutable).
_INSTANTANEOUS = Instantaneous()


class Network:
    """A network of LIF neuron groups, spike inputs and synaptic connections.

    Declare its parts with :meth:`add_group`, :meth:`add_input` and :meth:`connect`,
    then simulate with :meth:`run` (as often as you like: each run starts from the
    declared initial state). The module docstring describes the equations, the
    integration scheme and the order of operations in a time step.
    """

    def __init__(self) -> None:
        self._groups: dict[str, _GroupSpec] = {}
        self._inputs: dict[str, _InputSpec] = {}
        self._connections: dict[str, _ConnectionSpec] = {}

    # -- declaring ---------------------------------------------------------

    def size(self, name: str) -> int:
        """Number of neurons in group or input ``name``."""
        if name in self._groups:
            return self._groups[name].n
        if name in self._inputs:
            return self._inputs[name].n
        raise KeyError(f"no group or input called {name!r}")

    @property
    def group_names(self) -> list[str]:
        """Names of the LIF groups, in the order they were added."""
        return list(self._groups)

    @property
    def input_names(self) -> list[str]:
        """Names of the inputs, in the order they were added."""
        return list(self._inputs)

    @property
    def connection_names(self) -> list[str]:
        """Names of the connections, in the order they were made."""
        return list(self._connections)

    def _new_name(self, name: object, what: str) -> str:
        name = _check_name(name, what)
        if name in self._groups or name in self._inputs:
            raise ValueError(f"a group or input called {name!r} already exists")
        return name

    def add_group(
        self,
        name: str,
        n: int,
        *,
        tau_ms: float = 10.0,
        threshold: float = 1.0,
        reset: float = 0.0,
        refractory_ms: float = 0.0,
        i_ext: float | np.ndarray = 0.0,
        v0: float | np.ndarray = 0.0,
    ) -> None:
        """Add ``n`` LIF neurons.

        Parameters
        ----------
        name : str
            A name, unique among groups and inputs.
        n : int
            Number of neurons, >= 1.
        tau_ms : float
            Membrane time constant in ms, > 0.
        threshold, reset : float
            Spike threshold and reset value (``threshold > reset``), in the units of
            :func:`neuro4ml.models.neurons.lif` (rest is 0).
        refractory_ms : float
            Time after a spike during which ``V`` is held at ``reset``, in ms, >= 0
            (rounded up to whole steps; one step longer than Brian2's for the same
            value, see the module docstring).
        i_ext : float or array of shape (n,)
            Constant external input (in units of ``V``: alone it drives ``V`` to
            ``i_ext``).
        v0 : float or array of shape (n,)
            Initial membrane potential (a neuron starting above threshold fires at
            ``t = 0``).
        """
        name = self._new_name(name, "group")
        n = whole_number(n, "n")
        threshold, reset = threshold_above_reset(threshold, reset)
        self._groups[name] = _GroupSpec(
            name=name,
            n=n,
            tau_ms=positive_number(tau_ms, "tau_ms"),
            threshold=threshold,
            reset=reset,
            refractory_ms=non_negative_number(refractory_ms, "refractory_ms"),
            i_ext=per_neuron_values(i_ext, n, "i_ext"),
            v0=per_neuron_values(v0, n, "v0"),
        )

    def add_input(self, name: str, spike_times_ms: np.ndarray | Sequence[np.ndarray]) -> None:
        """Add input neurons that fire at given times.

        Parameters
        ----------
        name : str
            A name, unique among groups and inputs.
        spike_times_ms : 1-D array or list of 1-D arrays
            One train (one input neuron) or one train per input neuron, times >= 0 in
            ms. During a run each spike is delivered at the first time step at or
            after it (:func:`neuro4ml.models.spikes.delivery_steps`); spikes delivered after
            the end of the run are ignored.
        """
        name = self._new_name(name, "input")
        trains, _ = spike_trains(spike_times_ms)
        if not trains:
            raise ValueError("spike_times_ms must hold at least one train")
        for i, train in enumerate(trains):
            if np.any(train < 0):
                raise ValueError(f"input {name!r}: train {i} has a negative spike time")
        self._inputs[name] = _InputSpec(name=name, trains=[train.copy() for train in trains])

    def connect(
        self,
        source: str,
        target: str,
        weights: np.ndarray | scipy.sparse.sparray | scipy.sparse.spmatrix,
        *,
        synapse: Synapse = _INSTANTANEOUS,
        delay_ms: float | np.ndarray | scipy.sparse.sparray = 0.0,
        reversal: float | None = None,
        name: str | None = None,
    ) -> str:
        """Connect the neurons of ``source`` to those of ``target``.

        Parameters
        ----------
        source : str
            A group or an input.
        target : str
            A group (inputs cannot receive connections).
        weights : 2-D array or scipy.sparse matrix, shape (source size, target size)
            ``weights[i, j]`` is the weight from source neuron ``i`` to target neuron
            ``j``; zero means no synapse. Use a sparse matrix for large networks.
            Current-based: the jump of the synaptic variable (of ``V`` for
            :class:`~neuro4ml.models.synapses.Instantaneous`), in units of ``V``; negative
            weights inhibit. Conductance-based: conductances >= 0 in units of the
            leak conductance.
        synapse : Synapse
            The time course (:mod:`neuro4ml.models.synapses`), e.g. ``Exponential(5.0)``.
        delay_ms : float, or array / sparse matrix shaped like ``weights``
            Transmission delay(s) in ms, >= 0: one for the connection or one per
            synapse (read at the nonzero weights; for a sparse matrix a missing entry
            means 0 ms). Rounded up to whole time steps when the network runs
            (:func:`neuro4ml.models.spikes.delivery_steps`).
        reversal : float, optional
            ``None`` for a current-based synapse; a reversal potential (e.g.
            :data:`~neuro4ml.models.synapses.E_EXCITATORY`) for a conductance-based one.
        name : str, optional
            Name of the connection (default ``"source->target"``), used to record its
            synaptic variable.

        Returns
        -------
        str
            The connection's name.
        """
        if source not in self._groups and source not in self._inputs:
            raise ValueError(f"unknown source {source!r}; add it with add_group or add_input first")
        if target not in self._groups:
            kind = "an input" if target in self._inputs else "unknown"
            raise ValueError(f"target {target!r} is {kind}: connections must end on a group of neurons")
        if not isinstance(synapse, Synapse):
            raise TypeError(f"synapse must be a neuro4ml.models.synapses model such as Exponential(5.0), got {synapse!r}")
        name = _check_name(f"{source}->{target}" if name is None else name, "connection")
        if name in self._connections:
            raise ValueError(f"a connection called {name!r} already exists; pass another name=")
        matrix = _as_csr(weights, (self.size(source), self.size(target)))
        if reversal is not None:
            reversal = finite_number(reversal, "reversal")
            if np.any(matrix.data < 0):
                raise ValueError(
                    "conductance-based weights must be >= 0; whether the synapse excites or "
                    "inhibits is set by its reversal potential"
                )
        self._connections[name] = _ConnectionSpec(
            name=name,
            source=source,
            target=target,
            indptr=matrix.indptr.astype(np.intp),
            indices=matrix.indices.astype(np.intp),
            weights=matrix.data.astype(float),
            delays_ms=_synapse_delays_ms(delay_ms, matrix),
            synapse=synapse,
            reversal=reversal,
        )
        return name

    # -- running -----------------------------------------------------------

    def run(
        self,
        duration_ms: float,
        *,
        dt_ms: float = 0.1,
        record_v: Mapping[str, object] | Sequence[str] | str | None = None,
        record_synapses: Mapping[str, object] | Sequence[str] | str | None = None,
        backend: str = "auto",
    ) -> NetworkRun:
        """Simulate the network for ``duration_ms``.

        Parameters
        ----------
        duration_ms : float
            Length of the run in ms, a whole multiple of ``dt_ms``.
        dt_ms : float
            Time step in ms.
        record_v : str, list of str, or dict, optional
            Groups whose membrane potential to record: a name or list of names (all
            their neurons), or a dict ``{name: indices}`` (``True`` for all neurons).
        record_synapses : str, list of str, or dict, optional
            Connections whose synaptic variable to record, in the same forms (indices
            are target neurons). Instantaneous synapses have no variable to record.
        backend : {"auto", "numpy", "numba"}
            How the time loop runs. ``"numpy"``: the reference loop of numpy calls.
            ``"numba"``: the same loop compiled with numba
            (:mod:`neuro4ml.models.networks.compiled_loop`; ``pip install "neuro4ml[fast]"``),
            which gives the same numbers bit for bit, several times faster on large
            networks; it does not simulate conductance-based synapses with a time
            course. ``"auto"`` (the default) uses numba when it is installed, the
            network is supported and the run is large (at least
            :data:`AUTO_NUMBA_NEURON_STEPS` neuron-steps, so that small runs never wait
            for a first compilation), and numpy otherwise.

        Returns
        -------
        NetworkRun
            Spike times of every group and input, and the recorded traces.
        """
        duration_ms = positive_number(duration_ms, "duration_ms")
        dt_ms = positive_number(dt_ms, "dt_ms")
        n_steps = number_of_steps(duration_ms, dt_ms, "dt_ms")
        if backend not in ("auto", "numpy", "numba"):
            raise ValueError(f'backend must be "auto", "numpy" or "numba", got {backend!r}')
        groups, inputs, receptors = self._build(dt_ms, n_steps)
        v_records = {
            name: _Recording(which, self._groups[name].n, n_steps)
            for name, which in _record_request(record_v, {g: s.n for g, s in self._groups.items()}, "V").items()
        }
        known = {
            name: self._groups[c.target].n
            for name, c in self._connections.items()
            if not isinstance(c.synapse, Instantaneous)
        }
        s_records = {
            name: _Recording(which, known[name], n_steps)
            for name, which in _record_request(record_synapses, known, "the synaptic variable").items()
        }
        group_list = list(groups.values())
        v_watch = [(v_records[g.name], g) for g in group_list if g.name in v_records]
        s_watch = [(s_records[name], receptors[name]) for name in s_records]
        input_list = [i for i in inputs.values() if i.projections]

        def arrive_and_fire(step: int) -> None:
            """Input spikes at t_ms[step], arrivals, then threshold and sending."""
            for source in input_list:
                fired = source.fired(step)
                if fired.size:
                    for projection in source.projections:
                        projection.send(fired, step)
            for group in group_list:
                group.arrive(step)
            for group in group_list:
                fired = group.fire(step)
                for projection in group.projections:
                    projection.send(fired, step)

        if _use_numba(backend, group_list, n_steps):
            from neuro4ml.models.networks import compiled_loop

            events = compiled_loop.run(group_list, input_list, n_steps, v_watch, s_watch)
            spikes = {
                name: events_to_trains(neurons, steps * dt_ms, groups[name].spec.n)
                for name, (steps, neurons) in events.items()
            }
        else:
            arrive_and_fire(0)
            for k in range(n_steps):
                for recording, group in v_watch:
                    recording.write(k, group.v)
                for recording, receptor in s_watch:
                    recording.write(k, receptor.output)
                for group in group_list:
                    group.update()
                arrive_and_fire(k + 1)
            spikes = {name: group.recorder.trains() for name, group in groups.items()}

        spikes.update({name: source.trains() for name, source in inputs.items()})
        return NetworkRun(
            t_ms=np.arange(n_steps) * dt_ms,
            dt_ms=dt_ms,
            spike_times_ms=spikes,
            v={name: r.traces() for name, r in v_records.items()},
            v_neurons={name: r.indices() for name, r in v_records.items()},
            synaptic={name: r.traces() for name, r in s_records.items()},
            synaptic_neurons={name: r.indices() for name, r in s_records.items()},
        )

    def _build(
        self, dt_ms: float, n_steps: int
    ) -> tuple[dict[str, _GroupRun], dict[str, _InputRun], dict[str, _Receptor]]:
        """Fresh run-time objects: groups with their receptors, inputs, projections."""
        receptors: dict[str, _Receptor] = {}
        for name, spec in self._connections.items():
            target = self._groups[spec.target]
            max_delay = int(np.max(_delay_steps(spec.delays_ms, dt_ms), initial=0))
            receptors[name] = _Receptor(spec, target.n, target.tau_ms, dt_ms, max_delay + 1)
        groups = {
            name: _GroupRun(spec, [receptors[c] for c, s in self._connections.items() if s.target == name], dt_ms)
            for name, spec in self._groups.items()
        }
        inputs = {name: _InputRun(spec, dt_ms, n_steps) for name, spec in self._inputs.items()}
        for name, spec in self._connections.items():
            if spec.source in groups:  # a neuron's spike takes at least one step to arrive
                groups[spec.source].projections.append(_Projection(spec, receptors[name], dt_ms, 1))
            else:  # input spikes are known in advance and may arrive at once
                inputs[spec.source].projections.append(_Projection(spec, receptors[name], dt_ms, 0))
        return groups, inputs, receptors
