r"""Circuits of the network-models page, built on the simulator :class:`~neuro4ml.models.networks.Network`.

* :func:`balanced_network`: randomly connected excitatory and inhibitory LIF neurons
  whose large inputs cancel, so that they fire irregularly (van Vreeswijk & Sompolinsky
  1996; Brunel 2000), wired with :func:`fixed_in_degree_weights`;
* :func:`half_centre_oscillator`: two neurons that inhibit each other and adapt, a
  central pattern generator (Brown 1911; Matsuoka 1985).

These functions only wire library parts together (groups, connections, synapse
models); the equations and the integration scheme are those of :mod:`neuro4ml.models.networks`.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
import scipy.sparse

from neuro4ml.validation import as_generator, finite_number, non_negative_number
from neuro4ml.models.networks import Network
from neuro4ml.models.synapses import Exponential

__all__ = ["balanced_network", "fixed_in_degree_weights", "half_centre_oscillator"]


# ---------------------------------------------------------------------------
# Balanced excitation and inhibition
# ---------------------------------------------------------------------------


def fixed_in_degree_weights(
    n_source: int, n_target: int, in_degree: int, weight: float,
    rng: np.random.Generator | int | None = None,
) -> scipy.sparse.csr_array:
    """Sparse ``(source, target)`` weights in which every target receives exactly
    ``in_degree`` distinct sources, chosen at random, each with the same ``weight``."""
    for value, name in ((n_source, "n_source"), (n_target, "n_target")):
        if not isinstance(value, Integral) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    if not isinstance(in_degree, Integral) or not 0 <= in_degree <= n_source:
        raise ValueError(f"in_degree must be an integer in [0, n_source={n_source}], got {in_degree!r}")
    weight = finite_number(weight, "weight")
    rng = as_generator(rng)
    sources = np.argsort(rng.random((n_target, n_source)), axis=1)[:, :in_degree]
    targets = np.repeat(np.arange(n_target), in_degree)
    return scipy.sparse.csr_array((np.full(sources.size, weight), (sources.ravel(), targets)),
                                  shape=(n_source, n_target))


def balanced_network(
    n_exc: int = 3200,
    n_inh: int = 800,
    *,
    connection_fraction: float = 0.05,
    w_exc: float = 1.0,
    g_inh: float = 6.0,
    i_ext: float = 2.0,
    tau_ms: float = 20.0,
    refractory_ms: float = 2.0,
    synapse_tau_ms: float = 1.0,
    delay_range_ms: tuple[float, float] = (1.0, 3.0),
    rng: np.random.Generator | int | None = None,
) -> Network:
    r"""A randomly connected network of excitatory and inhibitory LIF neurons.

    Groups ``"E"`` (``n_exc``) and ``"I"`` (``n_inh``) each receive a constant input
    ``i_ext`` (above threshold: without recurrent input every neuron would fire
    regularly), and every neuron receives exactly ``connection_fraction`` of each
    population as recurrent inputs (fixed in-degree), with current-based exponential
    synapses of weight ``w_exc`` from E and ``-g_inh * w_exc`` from I and delays drawn
    uniformly from ``delay_range_ms``. With inhibition strong enough (here
    :math:`g\,K_I > K_E`, as in the inhibition-dominated regime of Brunel 2000,
    "Dynamics of sparsely connected networks of excitatory and inhibitory spiking
    neurons", J. Comput. Neurosci. 8:183-208), the large excitatory and inhibitory
    inputs cancel on average and the neurons fire irregularly, driven by the
    fluctuations: the balanced state of van Vreeswijk & Sompolinsky (1996, Science
    274:1724-1726). Initial potentials are uniform in [0, 1). Connections are named
    ``"E->E"``, ``"E->I"``, ``"I->E"``, ``"I->I"``.
    """
    rng = as_generator(rng)
    fraction = finite_number(connection_fraction, "connection_fraction")
    if not 0 < fraction <= 1:
        raise ValueError(f"connection_fraction must be in (0, 1], got {connection_fraction}")
    low_ms, high_ms = (non_negative_number(d, "delay_range_ms") for d in delay_range_ms)
    if high_ms < low_ms:
        raise ValueError(f"delay_range_ms must be (low, high) with low <= high, got {delay_range_ms}")
    sizes = {"E": n_exc, "I": n_inh}
    weights = {"E": finite_number(w_exc, "w_exc"), "I": -finite_number(g_inh, "g_inh") * w_exc}
    net = Network()
    for name, n in sizes.items():
        net.add_group(name, n, tau_ms=tau_ms, refractory_ms=refractory_ms, i_ext=i_ext, v0=rng.random(n))
    synapse = Exponential(tau_ms=synapse_tau_ms)
    for source, n_source in sizes.items():
        for target, n_target in sizes.items():
            W = fixed_in_degree_weights(n_source, n_target, int(fraction * n_source), weights[source], rng)
            delays = W.copy()
            delays.data = rng.uniform(low_ms, high_ms, size=delays.data.size)
            net.connect(source, target, W, synapse=synapse, delay_ms=delays, name=f"{source}->{target}")
    return net


# ---------------------------------------------------------------------------
# Central pattern generator
# ---------------------------------------------------------------------------


def half_centre_oscillator(
    mutual_inhibition: float = 0.6,
    *,
    adaptation: float = 0.08,
    drive: float = 1.5,
    tau_ms: float = 10.0,
    inhibition_tau_ms: float = 20.0,
    adaptation_tau_ms: float = 300.0,
    refractory_ms: float = 2.0,
) -> Network:
    r"""Two LIF neurons that inhibit each other and themselves: a half-centre oscillator.

    Brown (1911) proposed that alternating flexor and extensor activity comes from two
    "half-centres" that inhibit each other; a slow process that weakens the active side
    ends each half-cycle. Here each neuron of group ``"hc"`` gets a constant
    suprathreshold ``drive``, inhibits the other through an exponential synapse
    (``mutual_inhibition``, time constant ``inhibition_tau_ms``; connection
    ``"mutual inhibition"``) and itself through a slow one (``adaptation``,
    ``adaptation_tau_ms``; connection ``"adaptation"``), which acts like an adaptation
    current that builds up with each spike (Matsuoka 1985, Biol. Cybern. 52:367-376).
    Neuron 0 starts at V = 0.5, neuron 1 at 0, so neuron 0 fires first.
    """
    mutual = non_negative_number(mutual_inhibition, "mutual_inhibition")
    adaptation = non_negative_number(adaptation, "adaptation")
    net = Network()
    net.add_group("hc", 2, tau_ms=tau_ms, i_ext=drive, v0=np.array([0.5, 0.0]), refractory_ms=refractory_ms)
    net.connect("hc", "hc", -mutual * (1 - np.eye(2)), synapse=Exponential(tau_ms=inhibition_tau_ms),
                name="mutual inhibition")
    net.connect("hc", "hc", -adaptation * np.eye(2), synapse=Exponential(tau_ms=adaptation_tau_ms),
                name="adaptation")
    return net
