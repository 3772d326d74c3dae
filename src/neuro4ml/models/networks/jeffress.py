r"""Jeffress's network of delay lines and coincidence detectors, which estimates a delay.

Built with the simulator of :mod:`neuro4ml.models.networks.simulator`:
:func:`jeffress_network` builds it, :func:`jeffress_best_delays_ms` gives the delay
each output is tuned to, :func:`jeffress_decode_delay_ms` reads the delay out of the
outputs' spike counts and :func:`jeffress_estimate_delay_ms` does all three.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from neuro4ml.validation import positive_number, spike_train_pair, whole_number
from neuro4ml.models.networks.simulator import Network

__all__ = [
    "jeffress_best_delays_ms",
    "jeffress_decode_delay_ms",
    "jeffress_estimate_delay_ms",
    "jeffress_network",
]


def jeffress_best_delays_ms(max_delay_ms: float, n_outputs: int) -> np.ndarray:
    """The delay each output of :func:`jeffress_network` is tuned to: evenly spaced.

    Returns ``linspace(-max_delay_ms, max_delay_ms, n_outputs)``, shape ``(n_outputs,)``.
    """
    max_delay_ms = positive_number(max_delay_ms, "max_delay_ms")
    n_outputs = whole_number(n_outputs, "n_outputs", minimum=2)
    return np.linspace(-max_delay_ms, max_delay_ms, n_outputs)


def jeffress_network(
    input_spike_times_ms: Sequence[np.ndarray],
    *,
    max_delay_ms: float = 10.0,
    n_outputs: int = 21,
    tau_ms: float = 1.0,
    coincidence_window_ms: float | None = None,
) -> Network:
    r"""Jeffress's coincidence-detector network for estimating a relative delay.

    Jeffress (1948, "A place theory of sound localization", J. Comp. Physiol. Psychol.
    41:35-39) proposed that the brain measures the delay between the two ears with an
    array of neurons, each receiving both ears' signals through axons of different
    lengths and firing only when the two arrive together. Here input 0 and input 1
    project to ``n_outputs`` LIF neurons (group ``"output"``); output :math:`i` is tuned
    to the delay :math:`\Delta_i` (:func:`jeffress_best_delays_ms`) by delaying input 0
    by :math:`\max(\Delta_i, 0)` and input 1 by :math:`\max(-\Delta_i, 0)`. If input 1
    fires :math:`\delta` after input 0, the two spikes reach output :math:`i`
    :math:`|\delta - \Delta_i|` apart.

    The synapses are instantaneous, of weight :math:`w` chosen so that two spikes
    closer than the window :math:`W` bring :math:`V` (which decays with :math:`\tau`)
    over the threshold 1 and one spike alone does not:
    :math:`w\,(1 + e^{-W/\tau}) = 1`. The default window, 0.6 of the spacing of the
    best delays, makes the outputs tuned within half a spacing of :math:`\delta`
    respond to every input pair and all others to none: the most active output
    estimates the delay (:func:`jeffress_decode_delay_ms`).

    Parameters
    ----------
    input_spike_times_ms : pair of 1-D arrays
        Spike times of input 0 and input 1 in ms.
    max_delay_ms : float
        The best delays span ``[-max_delay_ms, max_delay_ms]``.
    n_outputs : int
        Number of outputs (coincidence detectors), >= 2.
    tau_ms : float
        Membrane time constant of the outputs in ms.
    coincidence_window_ms : float, optional
        :math:`W` in ms (default: 0.6 times the spacing of the best delays).

    Returns
    -------
    Network
        Input ``"input"`` (2 neurons) and group ``"output"`` (``n_outputs`` neurons).
    """
    trains = spike_train_pair(input_spike_times_ms)
    best_ms = jeffress_best_delays_ms(max_delay_ms, n_outputs)
    tau_ms = positive_number(tau_ms, "tau_ms")
    if coincidence_window_ms is None:
        coincidence_window_ms = 0.6 * (best_ms[1] - best_ms[0])
    window_ms = positive_number(coincidence_window_ms, "coincidence_window_ms")
    weight = 1.0 / (1.0 + math.exp(-window_ms / tau_ms))
    delays_ms = np.stack([np.maximum(best_ms, 0.0), np.maximum(-best_ms, 0.0)])
    net = Network()
    net.add_input("input", trains)
    net.add_group("output", best_ms.size, tau_ms=tau_ms)
    net.connect("input", "output", np.full(delays_ms.shape, weight), delay_ms=delays_ms, name="delay lines")
    return net


def jeffress_decode_delay_ms(counts: np.ndarray, best_delays_ms: np.ndarray) -> float:
    """The delay estimated from the outputs' spike counts: the best delay of the most active.

    When several outputs share the highest count, their best delays are averaged.

    Parameters
    ----------
    counts : array of shape (outputs,)
        Spike count of each output.
    best_delays_ms : array of shape (outputs,)
        The delay each output is tuned to (:func:`jeffress_best_delays_ms`).

    Returns
    -------
    float
        The estimated delay of input 1 relative to input 0, in ms.
    """
    counts = np.asarray(counts, dtype=float)
    best_delays_ms = np.asarray(best_delays_ms, dtype=float)
    if counts.ndim != 1 or counts.shape != best_delays_ms.shape or counts.size == 0:
        raise ValueError(
            f"counts and best_delays_ms must be 1-D with the same length, got {counts.shape} and "
            f"{best_delays_ms.shape}"
        )
    return float(best_delays_ms[counts == counts.max()].mean())


def jeffress_estimate_delay_ms(
    input_spike_times_ms: Sequence[np.ndarray],
    *,
    duration_ms: float,
    dt_ms: float = 0.1,
    max_delay_ms: float = 10.0,
    n_outputs: int = 21,
    **network_options: float,
) -> float:
    """Run :func:`jeffress_network` on two spike trains and decode their relative delay.

    Parameters
    ----------
    input_spike_times_ms : pair of 1-D arrays
        Spike times of input 0 and input 1 in ms.
    duration_ms, dt_ms : float
        Length of the run and time step in ms.
    max_delay_ms, n_outputs, **network_options
        Passed to :func:`jeffress_network`.

    Returns
    -------
    float
        The estimated delay of input 1 relative to input 0, in ms.
    """
    net = jeffress_network(input_spike_times_ms, max_delay_ms=max_delay_ms, n_outputs=n_outputs, **network_options)
    counts = net.run(duration_ms, dt_ms=dt_ms).spike_counts("output")
    return jeffress_decode_delay_ms(counts, jeffress_best_delays_ms(max_delay_ms, n_outputs))
