"""Many inputs onto one conductance-based LIF neuron with STDP at every synapse, simulated event by event."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.signal import lfilter

from neuro4ml.models.plasticity.stdp import STDPRule, potentiate
from neuro4ml.validation import (
    finite_number,
    number_of_steps,
    positive_number,
)

__all__ = ["ConductanceLIF", "SONG_2000_BRIAN", "STDPNeuronRun", "stdp_neuron"]


# ---------------------------------------------------------------------------
# Many inputs onto one LIF neuron with STDP, event driven
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConductanceLIF:
    """A leaky integrate-and-fire neuron with excitatory conductance synapses (mV, ms).

    .. math::
        \\tau_m \\frac{dV}{dt} = (E_L - V) + g\\,(E_e - V), \\qquad
        \\tau_e \\frac{dg}{dt} = -g, \\qquad g \\to g + w_i \\text{ at a spike of input } i,

    with :math:`g` in units of the leak conductance; a spike when :math:`V >
    V_\\text{th}`, then :math:`V \\to V_\\text{reset}`.
    """

    tau_m_ms: float = 10.0
    E_leak_mV: float = -74.0
    E_exc_mV: float = 0.0
    v_threshold_mV: float = -54.0
    v_reset_mV: float = -60.0
    tau_e_ms: float = 5.0

    def __post_init__(self) -> None:
        positive_number(self.tau_m_ms, "tau_m_ms")
        positive_number(self.tau_e_ms, "tau_e_ms")
        for name in ("E_leak_mV", "E_exc_mV", "v_threshold_mV", "v_reset_mV"):
            finite_number(getattr(self, name), name)
        if self.v_threshold_mV <= self.v_reset_mV:
            raise ValueError("v_threshold_mV must be above v_reset_mV")


#: The network of Brian2's example "Song, Miller & Abbott 2000" (brian2 docs,
#: examples/synapses/STDP.py; Stimberg, Brette & Goodman 2019): 1000 Poisson inputs at
#: 15 Hz, g_max = 0.01, A_+ = 0.01 g_max, A_- tau_- = 1.05 A_+ tau_+, tau_+- = 20 ms.
#: Song et al. (2000) themselves used tau_m = 20 ms, -70 mV rest and g_max = 0.015;
#: the example's simpler numbers are used so the results can be compared with it.
SONG_2000_BRIAN = {
    "n_inputs": 1000,
    "rate_hz": 15.0,
    "neuron": ConductanceLIF(),
    "rule": STDPRule(A_plus=0.01 * 0.01, A_minus=0.01 * 0.01 * 1.05, tau_plus_ms=20.0,
                     tau_minus_ms=20.0, w_max=0.01),
}


@dataclass(frozen=True, eq=False)
class STDPNeuronRun:
    """What :func:`stdp_neuron` returns.

    Attributes
    ----------
    post_spike_times_ms : numpy.ndarray, shape (spikes,)
        The output neuron's spike times (ms).
    w : numpy.ndarray, shape (inputs,)
        The weights at the end.
    record_t_ms : numpy.ndarray, shape (records,)
        Times at which the weights were recorded (multiples of ``record_every_ms``).
    record_w : numpy.ndarray, shape (records, inputs)
        The weights at those times.
    duration_ms : float
        Length of the simulation.
    """

    post_spike_times_ms: np.ndarray
    w: np.ndarray
    record_t_ms: np.ndarray
    record_w: np.ndarray
    duration_ms: float

    def rate_hz(self, start_ms: float = 0.0, stop_ms: float | None = None) -> float:
        """The output firing rate in ``[start_ms, stop_ms)`` (default: the whole run), in Hz."""
        stop_ms = self.duration_ms if stop_ms is None else stop_ms
        t = self.post_spike_times_ms
        return float(np.sum((t >= start_ms) & (t < stop_ms))) * 1000.0 / (stop_ms - start_ms)


def _input_events(inputs: object, duration_ms: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Spike trains (a list, one per input) as time-sorted ``(times_ms, input_index)``."""
    if isinstance(inputs, np.ndarray) and inputs.ndim == 1:
        raise ValueError("inputs must be a list of spike trains (one array per input), not one train")
    try:
        trains = [np.asarray(train, dtype=float).ravel() for train in inputs]
    except (TypeError, ValueError) as error:
        raise TypeError("inputs must be a list of 1-D arrays of spike times in ms") from error
    if not trains:
        raise ValueError("inputs must hold at least one spike train")
    times = np.concatenate(trains) if trains else np.empty(0)
    index = np.repeat(np.arange(len(trains)), [t.size for t in trains])
    if not np.all(np.isfinite(times)):
        raise ValueError("inputs contain NaN or infinite spike times")
    keep = (times >= 0) & (times < duration_ms)
    times, index = times[keep], index[keep]
    order = np.argsort(times, kind="stable")
    return times[order], index[order], len(trains)


def _grouped_cumsum(values: np.ndarray, groups_sorted: np.ndarray) -> np.ndarray:
    """Inclusive cumulative sum of ``values`` within runs of equal ``groups_sorted``."""
    total = np.cumsum(values)
    starts = np.flatnonzero(np.r_[True, groups_sorted[1:] != groups_sorted[:-1]])
    offset = np.repeat(total[starts] - values[starts], np.diff(np.r_[starts, values.size]))
    return total - offset


def stdp_neuron(
    inputs: Sequence[np.ndarray],
    duration_ms: float,
    *,
    w0: float | np.ndarray,
    rule: STDPRule,
    neuron: ConductanceLIF = ConductanceLIF(),
    dt_ms: float = 0.1,
    v0_mV: float | None = None,
    record_every_ms: float | None = None,
    block_ms: float = 20.0,
) -> STDPNeuronRun:
    """Many inputs onto one conductance-based LIF neuron with STDP at every synapse.

    The model is that of Song, Miller & Abbott (2000) as written in Brian2's example
    (see :data:`SONG_2000_BRIAN` and :class:`ConductanceLIF`): input spike ``i`` adds
    :math:`w_i` to :math:`g`, each synapse follows :class:`STDPRule`, depressed at
    its input's spikes and potentiated at the output's spikes.

    **Time grid and order.** Step :math:`k` runs from :math:`k\\,\\Delta t` to
    :math:`(k+1)\\Delta t`. The membrane is advanced with :math:`g` held at its value at
    the start of the step by the exact (exponential Euler) step of
    :func:`neuro4ml.models.synapses.conductance_step`, and :math:`g` decays exactly. An
    input spike at time :math:`t` in step :math:`k` adds to :math:`g` at the end of
    the step; the output spikes when :math:`V > V_\\text{th}` at the end of a step and
    is stamped :math:`(k+1)\\Delta t`, like the library's other neurons. The STDP
    traces use the exact input spike times, so an input spike in the step of an output
    spike counts as "pre before post".

    **Event driven.** Between two output spikes the postsynaptic trace is known in
    closed form, so every input spike's depression, and hence the weight it transmits,
    can be computed for a whole block of input spikes at once (a cumulative sum per
    synapse, clipped at 0, or a cumulative product for the multiplicative rule). The
    conductance is then a linear filter of those weights, and the membrane a linear
    recurrence :math:`V_{k+1} = a_k V_k + b_k`, solved for the block with cumulative
    sums. The first threshold crossing in the block ends it: the output spike
    potentiates all synapses by their presynaptic traces (evaluated in closed form at
    the spike), and the next block starts just after it. So the weights are touched
    only at spikes, never per time step, and the result is the same as a step-by-step
    simulation with the same order of updates (tested).

    Parameters
    ----------
    inputs : list of arrays
        One spike train (times in ms) per input, e.g. from
        :func:`neuro4ml.models.spikes.poisson_spike_train`.
    duration_ms : float
        Length of the simulation (ms); a multiple of ``dt_ms``.
    w0 : float or array, shape (inputs,)
        Initial weights (units of the leak conductance).
    rule : STDPRule
        The plasticity rule; ``A_plus = A_minus = 0`` gives fixed weights.
    neuron : ConductanceLIF
        The output neuron.
    dt_ms : float
        Time step of the membrane (ms).
    v0_mV : float, optional
        Initial membrane potential (default: the leak reversal).
    record_every_ms : float, optional
        Record all weights every this many ms (a multiple of ``dt_ms``); by default
        only the final weights.
    block_ms : float
        Length of the blocks the membrane is solved in. Any value gives the same result
        (within rounding); 20 ms was fastest for the Song network.

    Returns
    -------
    STDPNeuronRun
    """
    if not isinstance(rule, STDPRule):
        raise TypeError(f"rule must be an STDPRule, got {type(rule).__name__}")
    if not isinstance(neuron, ConductanceLIF):
        raise TypeError(f"neuron must be a ConductanceLIF, got {type(neuron).__name__}")
    duration_ms = positive_number(duration_ms, "duration_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    n_steps = number_of_steps(duration_ms, dt_ms, "dt_ms")
    times, index, n_inputs = _input_events(inputs, duration_ms)
    w = np.array(np.broadcast_to(np.asarray(w0, dtype=float), (n_inputs,)))
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("w0 must be finite and >= 0")
    block = max(1, int(round(positive_number(block_ms, "block_ms") / dt_ms)))
    record_step = None
    if record_every_ms is not None:
        record_step = number_of_steps(positive_number(record_every_ms, "record_every_ms"), dt_ms, "dt_ms")

    steps_of_events = np.floor(np.round(times / dt_ms, 9)).astype(np.int64)
    event_start = np.searchsorted(steps_of_events, np.arange(n_steps + 1), side="left")
    g_decay = math.exp(-dt_ms / neuron.tau_e_ms)
    k_m = dt_ms / neuron.tau_m_ms
    E_L, E_e, v_th, v_r = neuron.E_leak_mV, neuron.E_exc_mV, neuron.v_threshold_mV, neuron.v_reset_mV
    all_pairs = rule.pairing == "all"
    multiplicative = rule.update == "multiplicative"
    clip = rule.bounded

    # State. Traces are stored in closed form: a_pre_i(t) = pre_ref_i exp(-(t - pre_t_i)/tau+).
    v = E_L if v0_mV is None else finite_number(v0_mV, "v0_mV")
    g = 0.0
    pre_ref = np.zeros(n_inputs)
    pre_t = np.zeros(n_inputs)
    post_ref, post_t = 0.0, 0.0
    posts: list[float] = []
    rec_t: list[float] = []
    rec_w: list[np.ndarray] = []
    if record_step is not None:
        rec_t.append(0.0)
        rec_w.append(w.copy())
    s = 0
    while s < n_steps:
        stop = min(s + block, n_steps)
        if record_step is not None:
            stop = min(stop, (s // record_step + 1) * record_step)
        m_steps = stop - s
        e0, e1 = event_start[s], event_start[stop]
        ev_t, ev_i, ev_k = times[e0:e1], index[e0:e1], steps_of_events[e0:e1] - s

        # Weights carried by each input spike (before its own depression), and after it.
        if e1 > e0:
            depression = post_ref * np.exp(-(ev_t - post_t) / rule.tau_minus_ms)
            order = np.argsort(ev_i, kind="stable")
            ids = ev_i[order]
            if multiplicative:
                with np.errstate(divide="ignore"):
                    log_factor = np.log(np.clip(1.0 - depression[order] / rule.w_max, 0.0, None))
                after_sorted = w[ids] * np.exp(_grouped_cumsum(log_factor, ids))
                first = np.r_[True, ids[1:] != ids[:-1]]
                before_sorted = np.where(first, w[ids], np.roll(after_sorted, 1))
            else:
                total = _grouped_cumsum(depression[order], ids)
                after_sorted = w[ids] - total
                before_sorted = after_sorted + depression[order]
                if clip:
                    after_sorted = np.maximum(after_sorted, 0.0)
                    before_sorted = np.maximum(before_sorted, 0.0)
            carried = np.empty_like(before_sorted)
            carried[order] = before_sorted
            after = np.empty_like(after_sorted)
            after[order] = after_sorted
            drive = np.bincount(ev_k, weights=carried, minlength=m_steps)
        else:
            drive = np.zeros(m_steps)

        # g at the start of each step of the block, then V by the linear recurrence.
        filtered = lfilter([1.0], [1.0, -g_decay], drive)  # sum_j<=m decay^(m-j) drive_j
        powers = g_decay ** np.arange(m_steps + 1)
        g_start = np.empty(m_steps + 1)
        g_start[0] = g
        g_start[1:] = powers[1:] * g + filtered
        gk = g_start[:-1]
        log_a = -k_m * (1.0 + gk)
        a = np.exp(log_a)
        b = (1.0 - a) * (E_L + gk * E_e) / (1.0 + gk)
        cum = np.cumsum(log_a)
        # V_{m+1} = exp(cum_m) (V_0 + sum_{j<=m} b_j exp(-cum_j))
        v_end = np.exp(cum) * (v + np.cumsum(b * np.exp(-cum)))
        crossed = np.flatnonzero(v_end > v_th)

        if crossed.size == 0:
            n_done = m_steps
        else:
            n_done = int(crossed[0]) + 1
        # Accept the input spikes of the steps done.
        accepted = ev_k < n_done if e1 > e0 else np.zeros(0, bool)
        if e1 > e0 and accepted.any():
            acc_i, acc_t = ev_i[accepted], ev_t[accepted]
            w[acc_i] = after[accepted]  # in time order, so the last spike of each input wins
            t_ref = (s + n_done) * dt_ms
            if all_pairs:
                pre_ref = pre_ref * np.exp(-(t_ref - pre_t) / rule.tau_plus_ms)
                pre_ref += np.bincount(acc_i, weights=rule.A_plus * np.exp(-(t_ref - acc_t) / rule.tau_plus_ms),
                                       minlength=n_inputs)
                pre_t[:] = t_ref
            else:
                pre_ref[acc_i] = rule.A_plus
                pre_t[acc_i] = acc_t
        g = float(g_start[n_done])
        s += n_done
        if crossed.size == 0:
            v = float(v_end[-1])
        else:
            t_post = s * dt_ms
            posts.append(t_post)
            v = v_r
            a_pre = pre_ref * np.exp(-(t_post - pre_t) / rule.tau_plus_ms)
            w = potentiate(w, a_pre, rule)
            decayed = post_ref * math.exp(-(t_post - post_t) / rule.tau_minus_ms)
            post_ref = decayed + rule.A_minus if all_pairs else rule.A_minus
            post_t = t_post
        if record_step is not None and s % record_step == 0:
            rec_t.append(s * dt_ms)
            rec_w.append(w.copy())
    return STDPNeuronRun(
        post_spike_times_ms=np.asarray(posts),
        w=w,
        record_t_ms=np.asarray(rec_t),
        record_w=np.asarray(rec_w).reshape(len(rec_w), n_inputs),
        duration_ms=duration_ms,
    )
