r"""Neuromorphic chips as cores with limits, and the mapping of a network onto them.

A neuromorphic chip is a grid of *cores*. Each core holds a fixed number of neurons,
stores the synapses that arrive at those neurons in its own memory, and accepts spikes
from a limited number of presynaptic sources (its *axons*, or fan-in). A network fits
the chip only if every layer can be cut into pieces that respect these limits, and the
pieces are no more numerous than the cores. This module models exactly that, and
nothing of the timing or the analogue circuits.

Conventions:

* **Weights** are ``(n_pre, n_post)`` arrays: ``weights[i, j]`` is the synapse from
  presynaptic neuron ``i`` onto postsynaptic neuron ``j``; a zero is *no synapse* (it
  takes no memory and causes no synaptic operation).
* **A network** is a list of :class:`Projection`\ s between named populations. A
  population that is the target of some projection lives on the chip; one that is
  only ever a source (the input) comes from outside the chip and takes no neurons,
  but its spikes still arrive on the cores' axons.
* **Placement.** :func:`map_network` cuts each on-chip population, in the order of
  the projections, into consecutive blocks of neurons, each on its own core (a core
  holds neurons of one population only), growing a block while the core's limits
  hold (first fit). Real compilers are cleverer; this greedy one is enough to show
  what the limits mean.
* **Weight precision.** A projection fits ``b``-bit weights if its non-zero weights
  are integer multiples of one step :math:`s` with :math:`|w/s| \le 2^{b-1} - 1`
  (signed, symmetric: :math:`2^b - 1` levels, as
  :func:`neuro4ml.hardware.neuromorphic.training.quantise` produces them; weights quantised
  to fewer bits fit too).
* **Energies** are in picojoules (pJ) per event, times in nanoseconds (ns).

Published numbers are in the presets :data:`LOIHI` and :data:`TRUENORTH`, each with
its source; a cost that was not published is ``None`` (never a guess).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from neuro4ml.validation import whole_number

__all__ = [
    "LOIHI",
    "TEACHING_CHIP",
    "TRUENORTH",
    "Chip",
    "CoreLimits",
    "CoreUse",
    "EventCosts",
    "MappingError",
    "Placement",
    "Projection",
    "as_weight_array",
    "feedforward",
    "from_snn",
    "map_network",
    "precision_fits",
]


class MappingError(ValueError):
    """A network does not fit a chip; the message names the layer, the count and the limit.

    The same facts are attributes, for code that must tell the limits apart:

    Attributes
    ----------
    limit : str
        The limit broken: ``"weight_bits"``, ``"neurons"`` (only with
        ``split_layers=False``), ``"fan_in"``, ``"synapses"``, ``"synapse_memory_bits"``
        (the fields of :class:`CoreLimits`) or ``"cores"`` (the chip's number of cores).
    layer : str or None
        The population whose neurons (or incoming weights) break it; None for ``"cores"``,
        which the whole network breaks.
    count : int
        What the network needs: distinct weight magnitudes, neurons, presynaptic neurons,
        synapses or bits of one core, or cores.
    maximum : int
        What the chip allows of the same: equal weight steps on each side of zero, or the
        limit's value. For ``"weight_bits"`` ``count`` may not exceed it when the
        magnitudes are not multiples of one step.
    """

    def __init__(self, message: str, *, limit: str, layer: str | None, count: int, maximum: int):
        super().__init__(message)
        self.limit = limit
        self.layer = layer
        self.count = int(count)
        self.maximum = int(maximum)

    def __reduce__(self):  # keep the attributes through pickling (e.g. multiprocessing)
        return _mapping_error, (str(self), self.limit, self.layer, self.count, self.maximum)


def _mapping_error(message, limit, layer, count, maximum) -> MappingError:
    return MappingError(message, limit=limit, layer=layer, count=count, maximum=maximum)


@dataclass(frozen=True)
class CoreLimits:
    """What one core can hold. ``None`` means "no limit modelled".

    Attributes
    ----------
    neurons : int
        Neurons (Loihi: compartments) per core.
    fan_in : int or None
        Distinct presynaptic sources (axons) whose spikes a core can receive.
    synapses : int or None
        Synapses (non-zero weights) stored per core.
    synapse_memory_bits : int or None
        Synaptic memory per core in bits; each synapse costs ``weight_bits`` bits
        (the index bits of real sparse formats are ignored, so this is optimistic).
    weight_bits : int or None
        Signed weight precision (>= 2): :math:`2^b - 1` symmetric levels.
    """

    neurons: int
    fan_in: int | None = None
    synapses: int | None = None
    synapse_memory_bits: int | None = None
    weight_bits: int | None = None

    def __post_init__(self) -> None:
        whole_number(self.neurons, "neurons")
        for name in ("fan_in", "synapses", "synapse_memory_bits"):
            if getattr(self, name) is not None:
                whole_number(getattr(self, name), name)
        if self.weight_bits is not None:
            whole_number(self.weight_bits, "weight_bits", minimum=2)
        if self.synapse_memory_bits is not None and self.weight_bits is None:
            raise ValueError("synapse_memory_bits needs weight_bits (the memory cost of one synapse)")


@dataclass(frozen=True)
class EventCosts:
    """Energy per event in pJ and time per synaptic operation in ns; ``None`` = not published.

    Attributes
    ----------
    synaptic_op_pj : float or None
        One synaptic operation: a spike arriving at one synapse and its weight added
        to the postsynaptic neuron.
    neuron_update_pj : float or None
        One update of one neuron's state for one time step.
    spike_pj : float or None
        Sending one spike packet from a core to one destination core.
    synaptic_op_ns : float or None
        Time a core spends on one synaptic operation (used for latency).
    """

    synaptic_op_pj: float | None = None
    neuron_update_pj: float | None = None
    spike_pj: float | None = None
    synaptic_op_ns: float | None = None


@dataclass(frozen=True)
class Chip:
    """A chip: ``n_cores`` identical cores with :class:`CoreLimits`, and :class:`EventCosts`."""

    name: str
    n_cores: int
    core: CoreLimits
    costs: EventCosts = field(default_factory=EventCosts)
    reference: str = ""

    def __post_init__(self) -> None:
        whole_number(self.n_cores, "n_cores")

    @property
    def max_neurons(self) -> int:
        """Neurons on the whole chip."""
        return self.n_cores * self.core.neurons


#: Intel Loihi (Davies et al. 2018, IEEE Micro 38:82-99): 128 neuromorphic cores of
#: 1024 compartments, each accepting spikes on at most 4096 input axons (fan-in), with
#: 128 KB (2^20 bits) of synaptic memory per core (16 MB per chip) and weights of 1 to
#: 9 bits (9 here). Energies from the paper's Table 2, which are pre-silicon circuit
#: simulations at 0.75 V (the paper says they agree with early measurements of the
#: chip): 23.6 pJ per synaptic spike operation (the minimum), 81 pJ per update of an
#: active neuron (52 pJ for an inactive one; we charge every update as active, an
#: upper bound), 1.7 pJ per spike sent within a tile (each hop between tiles adds
#: 3.0-4.0 pJ, not modelled), and at most 3.5 ns per synaptic spike operation.
#: Which limit binds first depends on the network: dense all-to-all input fills the
#: synaptic memory first, sparse input from many sources can exceed the fan-in first.
LOIHI = Chip(
    name="Loihi",
    n_cores=128,
    core=CoreLimits(neurons=1024, fan_in=4096, synapse_memory_bits=128 * 1024 * 8, weight_bits=9),
    costs=EventCosts(synaptic_op_pj=23.6, neuron_update_pj=81.0, spike_pj=1.7, synaptic_op_ns=3.5),
    reference="Davies et al. 2018, IEEE Micro 38(1):82-99",
)

#: IBM TrueNorth (Merolla et al. 2014, Science 345:668-673): 4096 neurosynaptic cores,
#: each a crossbar of 256 axons (fan-in) by 256 neurons, so at most 65,536 synapses per
#: core; 26 pJ per synaptic event (the paper's whole-chip figure, which includes the
#: neuron updates and spike routing, so those are not charged separately). The
#: crossbar is binary and each neuron gives each of its four axon types one weight;
#: that restriction is not modelled (``weight_bits`` is None).
TRUENORTH = Chip(
    name="TrueNorth",
    n_cores=4096,
    core=CoreLimits(neurons=256, fan_in=256, synapses=256 * 256),
    costs=EventCosts(synaptic_op_pj=26.0),
    reference="Merolla et al. 2014, Science 345(6197):668-673",
)

#: A small made-up chip for exercises and figures (not a real device): 8 cores of 64
#: neurons, 128 axons and 4096 synapses each, 4-bit weights, Loihi's event costs.
TEACHING_CHIP = Chip(
    name="teaching chip",
    n_cores=8,
    core=CoreLimits(neurons=64, fan_in=128, synapses=4096, weight_bits=4),
    costs=LOIHI.costs,
    reference="made up for teaching; event costs of Loihi (Davies et al. 2018)",
)


# ---------------------------------------------------------------------------
# Networks
# ---------------------------------------------------------------------------


def as_weight_array(weights: object, name: str = "weights") -> np.ndarray:
    """``weights`` as a 2-D float64 numpy array ``(n_pre, n_post)`` (torch tensors are detached)."""
    if hasattr(weights, "detach"):
        weights = weights.detach().cpu().numpy()
    try:
        array = np.asarray(weights, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a 2-D array of numbers (n_pre, n_post), got {type(weights).__name__}") from error
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (n_pre, n_post), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite")
    return array


@dataclass(frozen=True, eq=False)
class Projection:
    """Synapses from population ``source`` onto population ``target``; ``weights`` is ``(n_source, n_target)``."""

    source: str
    target: str
    weights: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", as_weight_array(self.weights, f"weights of {self.source}->{self.target}"))


def feedforward(*weights: object, names: Sequence[str] | None = None) -> list[Projection]:
    """A chain ``input -> names[0] -> names[1] ...`` from weight matrices ``(n_pre, n_post)``.

    ``names`` defaults to ``layer1``, ``layer2``, ... Consecutive shapes must agree.
    """
    if not weights:
        raise ValueError("give at least one weight matrix")
    names = [f"layer{i + 1}" for i in range(len(weights))] if names is None else list(names)
    if len(names) != len(weights):
        raise ValueError(f"names must hold one name per weight matrix ({len(weights)}), got {len(names)}")
    projections, source = [], "input"
    for name, w in zip(names, weights):
        p = Projection(source, name, w)
        if projections and projections[-1].weights.shape[1] != p.weights.shape[0]:
            raise ValueError(
                f"weights of {name!r} have {p.weights.shape[0]} rows but {source!r} has "
                f"{projections[-1].weights.shape[1]} neurons"
            )
        projections.append(p)
        source = name
    return projections


def from_snn(model: object) -> list[Projection]:
    """The projections of a :mod:`neuro4ml.learning.snn` model: an :class:`~neuro4ml.learning.snn.SNN`,
    a :class:`~neuro4ml.learning.snn.LIF` layer, or a ``torch.nn.Sequential`` of LIF layers
    and a :class:`~neuro4ml.learning.snn.LeakyReadout`.

    Layers are named ``hidden`` and ``readout`` for an ``SNN``, ``layer1``, ``layer2``...
    otherwise; a recurrent LIF layer adds a projection from itself onto itself.
    The torch weights ``(n_out, n_in)`` are transposed to ``(n_pre, n_post)``.
    """
    from neuro4ml.learning import snn

    if isinstance(model, snn.SNN):
        layers = [("hidden", model.hidden), ("readout", model.readout)]
    elif isinstance(model, (snn.LIF, snn.LeakyReadout)):
        layers = [("layer1", model)]
    elif hasattr(model, "children"):
        layers = [(f"layer{i + 1}", m) for i, m in enumerate(c for c in model.children()
                                                              if isinstance(c, (snn.LIF, snn.LeakyReadout)))]
    else:
        layers = []
    if not layers:
        raise TypeError(f"expected a neuro4ml.learning.snn SNN, LIF, LeakyReadout or a Sequential of them, got {type(model).__name__}")
    projections, source = [], "input"
    for name, layer in layers:
        projections.append(Projection(source, name, layer.weight.detach().cpu().numpy().T))
        if getattr(layer, "recurrent_weight", None) is not None:
            projections.append(Projection(name, name, layer.recurrent_weight.detach().cpu().numpy().T))
        source = name
    return projections


def _population_sizes(projections: Sequence[Projection]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for p in projections:
        for population, size in ((p.source, p.weights.shape[0]), (p.target, p.weights.shape[1])):
            if sizes.setdefault(population, size) != size:
                raise ValueError(f"population {population!r} has {sizes[population]} neurons in one projection and {size} in another")
    return sizes


def precision_fits(weights: np.ndarray, weight_bits: int, *, tol: float = 1e-6) -> bool:
    """Whether the non-zero ``weights`` are integer multiples of one step within :math:`2^{b-1}-1` steps.

    True when some whole number :math:`m \\le 2^{b-1}-1` makes every
    :math:`m\\,|w| / \\max|w|` an integer (within ``tol``): the weights are then
    :math:`s k` with :math:`s = \\max|w|/m` and :math:`|k| \\le m`. Weights quantised to
    fewer bits therefore fit too.
    """
    magnitudes = np.unique(np.abs(np.asarray(weights, dtype=float)))
    magnitudes = magnitudes[magnitudes > 0]
    if magnitudes.size == 0:
        return True
    ratios = magnitudes / magnitudes[-1]
    probe = ratios[:: max(1, ratios.size // 64)]
    for m in range(1, 2 ** (weight_bits - 1)):
        if np.all(np.abs(m * probe - np.round(m * probe)) <= tol * m):
            scaled = m * ratios
            if np.all(np.abs(scaled - np.round(scaled)) <= tol * m):
                return True
    return False


# ---------------------------------------------------------------------------
# Placement
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CoreUse:
    """One used core: neurons ``start:stop`` of population ``layer``, and what they take."""

    layer: str
    start: int
    stop: int
    fan_in: int
    synapses: int
    synapse_memory_bits: int

    @property
    def neurons(self) -> int:
        """Number of neurons on the core."""
        return self.stop - self.start


@dataclass(frozen=True, eq=False)
class Placement:
    """The result of :func:`map_network`.

    Attributes
    ----------
    chip : Chip
    projections : list of Projection
    cores : list of CoreUse
        One entry per used core, in order (core ``i`` is ``cores[i]``).
    core_of : dict of str to np.ndarray
        For each on-chip population, the core index of each of its neurons ``(n,)``.
    sizes : dict of str to int
        Neurons per population (on-chip and input).
    """

    chip: Chip
    projections: list[Projection]
    cores: list[CoreUse]
    core_of: dict[str, np.ndarray]
    sizes: dict[str, int]

    @property
    def n_cores_used(self) -> int:
        """Number of cores used."""
        return len(self.cores)


def _block_needs(inputs: list[np.ndarray], start: int, stop: int, weight_bits: int | None) -> tuple[int, int, int]:
    """(fan-in, synapses, memory bits) of neurons ``start:stop`` given the incoming nonzero masks."""
    fan_in = synapses = 0
    for mask in inputs:
        block = mask[:, start:stop]
        fan_in += int(np.count_nonzero(block.any(axis=1)))
        synapses += int(np.count_nonzero(block))
    return fan_in, synapses, synapses * (weight_bits or 0)


class _Block:
    """Running fan-in and synapse counts of a block of neurons of one population."""

    def __init__(self, inputs: list[np.ndarray], weight_bits: int | None) -> None:
        self.inputs, self.weight_bits = inputs, weight_bits
        self.covered = [np.zeros(mask.shape[0], dtype=bool) for mask in inputs]
        self.synapses = 0

    def copy(self) -> _Block:
        other = _Block.__new__(_Block)
        other.inputs, other.weight_bits = self.inputs, self.weight_bits
        other.covered = [c.copy() for c in self.covered]
        other.synapses = self.synapses
        return other

    def add(self, neuron: int) -> None:
        for mask, covered in zip(self.inputs, self.covered):
            column = mask[:, neuron]
            covered |= column
            self.synapses += int(np.count_nonzero(column))

    def needs(self) -> tuple[int, int, int]:
        fan_in = sum(int(np.count_nonzero(c)) for c in self.covered)
        return fan_in, self.synapses, self.synapses * (self.weight_bits or 0)


def map_network(network: object, chip: Chip, *, split_layers: bool = True) -> Placement:
    """Place ``network`` on ``chip`` or raise :class:`MappingError` saying why it does not fit.

    Parameters
    ----------
    network : list of Projection, or a neuro4ml.learning.snn model
        The network (see :func:`feedforward` and :func:`from_snn`).
    chip : Chip
    split_layers : bool
        If True (default), a population may be cut across several cores; if False,
        each population must fit one core.

    Checks, in this order: the precision of each projection's weights; for each
    on-chip population, that each core's block of neurons respects the neurons, fan-in,
    synapse and synaptic-memory limits of :class:`CoreLimits`; that the chip has
    enough cores. The fan-in of a block counts the distinct presynaptic neurons (over
    all projections into the population) with at least one non-zero weight onto it.
    """
    projections = list(network) if isinstance(network, (list, tuple)) else from_snn(network)
    if not all(isinstance(p, Projection) for p in projections):
        raise TypeError("network must be a list of Projection (see feedforward) or a neuro4ml.learning.snn model")
    if not isinstance(chip, Chip):
        raise TypeError(f"chip must be a Chip, got {type(chip).__name__}")
    sizes = _population_sizes(projections)
    limits = chip.core
    if limits.weight_bits is not None:
        for p in projections:
            if not precision_fits(p.weights, limits.weight_bits):
                distinct = np.unique(np.abs(p.weights[p.weights != 0])).size
                steps = 2 ** (limits.weight_bits - 1) - 1
                raise MappingError(
                    f"layer {p.target!r} (from {p.source!r}): its {distinct} distinct weight magnitudes do not fit "
                    f"{limits.weight_bits}-bit weights ({steps} equal steps on each side "
                    f"of zero on {chip.name}); quantise them first",
                    limit="weight_bits", layer=p.target, count=distinct, maximum=steps,
                )
    targets = list(dict.fromkeys(p.target for p in projections))
    cores: list[CoreUse] = []
    core_of: dict[str, np.ndarray] = {}
    for layer in targets:
        inputs = [p.weights != 0 for p in projections if p.target == layer]
        n = sizes[layer]
        if not split_layers and n > limits.neurons:
            raise MappingError(
                f"layer {layer!r}: {n} neurons on one core, but a {chip.name} core holds at most {limits.neurons}",
                limit="neurons", layer=layer, count=n, maximum=limits.neurons,
            )
        assignment = np.empty(n, dtype=int)
        start = 0
        while start < n:
            block = _Block(inputs, limits.weight_bits)
            block.add(start)
            _check_block(layer, start, block.needs(), chip)
            stop = start + 1
            # grow the block, one neuron at a time, while the core's limits hold
            while stop < n and stop - start < limits.neurons:
                trial = block.copy()
                trial.add(stop)
                if not _fits(trial.needs(), limits):
                    break
                block, stop = trial, stop + 1
            if not split_layers and stop < n:
                _check_block(layer, start, _block_needs(inputs, start, n, limits.weight_bits), chip, whole=True)
            assignment[start:stop] = len(cores)
            cores.append(CoreUse(layer, start, stop, *block.needs()))
            start = stop
        core_of[layer] = assignment
    if len(cores) > chip.n_cores:
        per_layer = ", ".join(f"{layer!r}: {len(np.unique(core_of[layer]))}" for layer in targets)
        raise MappingError(
            f"the network needs {len(cores)} cores ({per_layer}) but {chip.name} has {chip.n_cores} "
            f"({sum(sizes[t] for t in targets)} neurons; at most {chip.max_neurons} on the chip)",
            limit="cores", layer=None, count=len(cores), maximum=chip.n_cores,
        )
    return Placement(chip, projections, cores, core_of, sizes)


def _fits(needs: tuple[int, int, int], limits: CoreLimits) -> bool:
    fan_in, synapses, bits = needs
    return ((limits.fan_in is None or fan_in <= limits.fan_in)
            and (limits.synapses is None or synapses <= limits.synapses)
            and (limits.synapse_memory_bits is None or bits <= limits.synapse_memory_bits))


def _check_block(layer: str, start: int, needs: tuple[int, int, int], chip: Chip, whole: bool = False) -> None:
    """Raise a MappingError naming the first limit that ``needs`` break."""
    fan_in, synapses, bits = needs
    limits = chip.core
    what = f"layer {layer!r}" + ("" if whole else f", neuron {start}")
    if limits.fan_in is not None and fan_in > limits.fan_in:
        raise MappingError(f"{what}: fan-in of {fan_in} presynaptic neurons, but a {chip.name} core accepts at most {limits.fan_in}",
                           limit="fan_in", layer=layer, count=fan_in, maximum=limits.fan_in)
    if limits.synapses is not None and synapses > limits.synapses:
        raise MappingError(f"{what}: {synapses} synapses, but a {chip.name} core stores at most {limits.synapses}",
                           limit="synapses", layer=layer, count=synapses, maximum=limits.synapses)
    if limits.synapse_memory_bits is not None and bits > limits.synapse_memory_bits:
        raise MappingError(
            f"{what}: {synapses} synapses of {limits.weight_bits} bits need {bits} bits of synaptic memory, "
            f"but a {chip.name} core has {limits.synapse_memory_bits}",
            limit="synapse_memory_bits", layer=layer, count=bits, maximum=limits.synapse_memory_bits,
        )
