r"""The order-sensitive network: two outputs that tell which of two inputs fires first.

Built with the simulator of :mod:`neuro4ml.models.networks.simulator`: instantaneous
excitation from each input to its output, and mutual inhibition between the outputs.
Used in the week 2 exercise, where learners build the same network themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from neuro4ml.validation import positive_number, spike_train_pair
from neuro4ml.models.networks.simulator import Network
from neuro4ml.models.spikes import delayed_pair_trains

__all__ = ["order_sensitive_counts", "order_sensitive_network"]


def order_sensitive_network(
    input_spike_times_ms: Sequence[np.ndarray],
    *,
    weight: float = 1.5,
    inhibition: float = 3.0,
    tau_ms: float = 10.0,
) -> Network:
    r"""Two output neurons that tell which of two inputs fires first.

    Input ``"input"`` has two neurons and group ``"output"`` two LIF neurons
    (threshold 1, reset 0); all synapses are instantaneous (a spike of weight
    :math:`w` makes :math:`V` jump by :math:`w`). The wiring:

    * input :math:`i` excites output :math:`i` with a weight :math:`w > 1`, so each
      input spike makes its output fire at once;
    * the outputs inhibit each other (lateral inhibition, weight :math:`-h`).

    Suppose input 0 fires at :math:`t` and input 1 at :math:`t + \delta` with
    :math:`\delta > 0` (input 0 leads). Output 0 fires at :math:`t` and pushes output
    1 down to about :math:`-h`; by :math:`t + \delta` output 1 has only recovered to
    :math:`-h e^{-\delta/\tau}`, and input 1's jump :math:`w` leaves it below
    threshold as long as

    .. math:: \delta < \tau \ln\frac{h}{w - 1},

    the *veto window* (17.9 ms with the defaults :math:`w = 1.5`, :math:`h = 3`,
    :math:`\tau = 10` ms). So the output of the input that fires first wins each
    pair of spikes and silences the other: output 0 responds when input 0 leads,
    output 1 when it lags. Since every spike of input 1 follows a spike of input 0
    that made output 0 fire, with a fixed delay :math:`0 < \delta <` the veto window
    output 1 never fires at all. (Two spikes within one time step of each other both
    get through: the inhibition arrives one step later.)

    Parameters
    ----------
    input_spike_times_ms : pair of 1-D arrays
        Spike times of input 0 and input 1, in ms (e.g. from
        :func:`neuro4ml.models.spikes.delayed_pair_trains`).
    weight : float
        Excitatory weight :math:`w`, > 1 (above the threshold).
    inhibition : float
        Strength :math:`h` of the mutual inhibition, > 0.
    tau_ms : float
        Membrane time constant of the outputs in ms.

    Returns
    -------
    Network
        Input ``"input"`` (2 neurons) and group ``"output"`` (2 neurons), with
        connections ``"excitation"`` and ``"inhibition"``.
    """
    trains = spike_train_pair(input_spike_times_ms)
    weight = positive_number(weight, "weight")
    if weight <= 1.0:
        raise ValueError(f"weight must be above the threshold 1, so that each input spike fires its output; got {weight}")
    inhibition = positive_number(inhibition, "inhibition")
    net = Network()
    net.add_input("input", trains)
    net.add_group("output", 2, tau_ms=tau_ms)
    net.connect("input", "output", weight * np.eye(2), name="excitation")
    net.connect("output", "output", -inhibition * (1.0 - np.eye(2)), name="inhibition")
    return net


def order_sensitive_counts(
    delay_ms: float,
    *,
    rate_hz: float = 100.0,
    duration_ms: float = 500.0,
    dt_ms: float = 0.1,
    rng: np.random.Generator | int | None = None,
    **network_options: float,
) -> np.ndarray:
    """Spike counts of the two outputs of :func:`order_sensitive_network` for one input pair.

    The inputs come from :func:`neuro4ml.models.spikes.delayed_pair_trains`: input 0 a
    Poisson train at ``rate_hz``, input 1 its copy shifted by ``delay_ms`` (so a
    positive delay means input 0 leads, and output 0 should fire more).

    Parameters
    ----------
    delay_ms : float
        Delay of input 1 relative to input 0, in ms (about -10 to 10 ms).
    rate_hz, duration_ms : float
        Rate and length of the input trains (defaults: 100 Hz for 500 ms, about 50
        spikes).
    dt_ms : float
        Time step in ms.
    rng : numpy.random.Generator, int or None
        Seed of the input trains.
    **network_options
        Passed to :func:`order_sensitive_network`.

    Returns
    -------
    numpy.ndarray of int, shape (2,)
        Spike counts of output 0 and output 1.
    """
    pair = delayed_pair_trains(rate_hz, duration_ms, delay_ms, rng=rng)
    run = order_sensitive_network(pair, **network_options).run(duration_ms, dt_ms=dt_ms)
    return run.spike_counts("output")
