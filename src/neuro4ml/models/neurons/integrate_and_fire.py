"""Leaky, perfect and adaptive integrate-and-fire neurons, and the LIF firing-rate formula."""

from __future__ import annotations

import math

import numpy as np

# The engine's helpers keep their old private names here, so that the model bodies read (and merge) as
# they did in the single module; the engine exports them publicly.
from neuro4ml.models.neurons.engine import NeuronRun, SpikeRecorder
from neuro4ml.models.neurons.engine import as_current as _as_current
from neuro4ml.models.neurons.engine import finish as _finish
from neuro4ml.models.neurons.engine import input_columns as _input_columns
from neuro4ml.models.neurons.engine import spike_time_ms as _spike_time_ms
from neuro4ml.models.neurons.engine import time_major_traces as _time_major_traces
from neuro4ml.models.neurons.noise import ZigguratNormal, noise_source
from neuro4ml.validation import (
    finite_number,
    non_negative_number,
    per_neuron_values,
    positive_number,
    threshold_above_reset,
)

__all__ = ["adaptive_lif", "integrate_and_fire", "lif", "lif_firing_rate_hz"]

#: Number of time steps of noise drawn at once by the noisy :func:`lif` (16 x 10,000 numbers
#: stay in the second-level cache; 16 was faster than 8 and 40 on the benchmark machine).
_NOISE_BLOCK_STEPS = 16


# ---------------------------------------------------------------------------
# Leaky and perfect integrate-and-fire neurons
# ---------------------------------------------------------------------------


def _linear_threshold_run(
    current: object,
    *,
    decay: float,
    drive: float,
    dt_ms: float,
    threshold: float,
    reset: float,
    v0: object,
    record_v: bool,
    noise_scale: float = 0.0,
    rng: np.random.Generator | ZigguratNormal | None = None,
) -> NeuronRun:
    """Run ``V <- decay * V + drive * I (+ noise_scale * xi)``, then spike-and-reset when ``V > threshold``.

    The common engine of :func:`lif` (``decay = exp(-dt/tau)``, ``drive = 1 - decay``)
    and :func:`integrate_and_fire` (``decay = 1``, ``drive = dt/tau``). Each step costs
    a handful of in-place numpy operations on arrays of length ``neurons``. With
    ``noise_scale > 0``, standard normal numbers ``xi`` are drawn from ``rng`` one block
    of :data:`_NOISE_BLOCK_STEPS` steps at a time, time-major (a :class:`ZigguratNormal` fills the block in
    that order too): step ``k`` of neuron ``i`` gets
    ``xi[k, i]`` of ``rng.standard_normal((time, neurons))``, never stored whole.
    """
    current_2d, was_1d = _as_current(current, "I")
    n_neurons, n_steps = current_2d.shape
    v = per_neuron_values(v0, n_neurons, "v0")
    traces = _time_major_traces(("v",) if record_v else (), n_steps, n_neurons)
    v_trace = traces.get("v")
    spikes = SpikeRecorder(n_neurons)
    noise = np.empty((_NOISE_BLOCK_STEPS, n_neurons)) if noise_scale > 0 else None
    for k, drive_k in _input_columns(current_2d, scale=drive):
        if v_trace is not None:
            v_trace[k] = v
        v *= decay
        v += drive_k
        if noise is not None:
            j = k % _NOISE_BLOCK_STEPS
            if j == 0:  # the next block of noise, drawn in place
                block = noise[: min(_NOISE_BLOCK_STEPS, n_steps - k)]
                if isinstance(rng, ZigguratNormal):
                    rng.fill(block.reshape(-1), noise_scale)
                else:
                    rng.standard_normal(out=block)
                    block *= noise_scale
            v += noise[j]
        fired = spikes.threshold(v, threshold, _spike_time_ms(k, dt_ms))
        v[fired] = reset
    return _finish(dt_ms, n_steps, was_1d, traces, spikes)


def lif(
    I: np.ndarray,
    *,
    tau_ms: float = 10.0,
    dt_ms: float = 0.1,
    threshold: float = 1.0,
    reset: float = 0.0,
    v0: float | np.ndarray = 0.0,
    record_v: bool = True,
    noise_std: float = 0.0,
    rng: np.random.Generator | int | None = None,
) -> NeuronRun:
    r"""Simulate leaky integrate-and-fire neurons (dimensionless units).

    The membrane variable follows

    .. math:: \tau \frac{dV}{dt} = I - V,

    and when :math:`V > \text{threshold}` a spike is emitted and :math:`V` is set to
    ``reset``. With the input held constant over a step, the update is **exact**:

    .. math:: V(t + \Delta t) = I + (V(t) - I)\, e^{-\Delta t/\tau},

    computed as :math:`e^{-\Delta t/\tau} V + (1 - e^{-\Delta t/\tau}) I`. The threshold
    is checked after each update; a spike during step ``k`` is stamped
    ``(k + 1) * dt_ms`` and ``v[..., k + 1]`` then holds ``reset``. The model goes back
    to Lapicque (1907); see Gerstner, Kistler, Naud & Paninski (2014), *Neuronal
    Dynamics*, chapter 1.

    **Noise.** With ``noise_std`` :math:`= \sigma > 0` the membrane also receives white
    noise, :math:`\tau\, dV = (I - V)\, dt + \sigma \sqrt{2\tau}\, dW`: without the
    threshold, :math:`V` would fluctuate around :math:`I` with standard deviation
    :math:`\sigma` (an Ornstein-Uhlenbeck process). Its exact update over a step
    (Gillespie 1996, "Exact numerical simulation of the Ornstein-Uhlenbeck process and
    its integral", Phys. Rev. E 54:2084-2091) adds
    :math:`\sigma \sqrt{1 - e^{-2\Delta t/\tau}}\, \xi_k` to the step above, with
    :math:`\xi_k` standard normal, independent per neuron and step. The noise is drawn
    inside the time loop, 16 steps at a time, so a noisy run of many neurons needs no
    ``(neurons, time)`` array of noise: pass the input as
    ``np.broadcast_to(I, (neurons, time))`` (a view) and only the spikes and (if
    recorded) ``v`` take memory. Where the numbers come from depends on ``rng``:

    * an integer seed or None: :class:`ZigguratNormal` (the ziggurat method,
      faster than numpy's normal numbers), which fills one block of
      16 steps (``16 * neurons`` numbers, time-major) per call with the numbers
      already multiplied by :math:`\sigma \sqrt{1 - d^2}`; the same seed gives the
      same run;
    * a ``numpy.random.Generator``: numpy's normal numbers, those of
      ``rng.standard_normal((time, neurons))`` (time-major), so the run equals the
      noise-free model driven by ``I + sigma * sqrt((1 + d) / (1 - d)) * xi.T``,
      with :math:`d = e^{-\Delta t/\tau}`.
    The firing rate follows the diffusion approximation (Brunel 2000, "Dynamics of
    sparsely connected networks of excitatory and inhibitory spiking neurons",
    J. Comput. Neurosci. 8:183-208, eq. 21, with its :math:`\sigma` equal to
    :math:`\sqrt 2` times ours), except that a threshold checked only at grid points
    misses the crossings in between: the rate is that of a threshold raised by
    :math:`\beta \sigma \sqrt{2\Delta t/\tau}`, :math:`\beta = -\zeta(1/2)/\sqrt{2\pi}
    \approx 0.5826` (the continuity correction of Broadie, Glasserman & Kou 1997, "A
    continuity correction for discrete barrier options", Math. Finance 7:325-348),
    about 7 % below the continuous-time rate at ``dt_ms=0.1`` for ``I = 0.8``,
    :math:`\sigma = 0.2`.

    Parameters
    ----------
    I : array_like, shape (time,) or (neurons, time)
        Input (in units of the threshold, like ``V``), constant over each step.
        float32 and float64 arrays are used without copying; computation is float64.
    tau_ms : float
        Membrane time constant in ms (> 0).
    dt_ms : float
        Time step in ms (> 0).
    threshold, reset : float
        Spike threshold and reset value; ``threshold > reset``.
    v0 : float or array of shape (neurons,)
        Initial value of ``V``.
    record_v : bool
        Record the trace ``v``. A run of 10,000 neurons for 10,000 steps fills
        800 MB; with ``record_v=False`` only spikes are kept and ``v`` is empty
        (shape ``(..., 0)``).
    noise_std : float
        :math:`\sigma`, the standard deviation of the free membrane fluctuations
        (>= 0; 0, the default, is the deterministic model).
    rng : int, None, numpy.random.Generator or ZigguratNormal
        Source of the noise (see above). An integer seed gives reproducible runs with
        :class:`ZigguratNormal`; None draws fresh entropy (numpy's convention), so
        noisy runs then differ; a numpy Generator gives numpy's normal numbers.

    Returns
    -------
    NeuronRun
        ``v`` shaped like ``I`` (unless ``record_v=False``); spike times in ms.

    Raises
    ------
    ValueError
        For a non-positive ``tau_ms`` or ``dt_ms``, ``threshold <= reset``, or an
        input of the wrong shape or with NaN/inf.
    TypeError
        For non-numeric arguments.

    Examples
    --------
    >>> run = lif(np.full(20_000, 1.5), tau_ms=10.0, dt_ms=0.1)
    >>> print(round(1000 / np.diff(run.spike_times_ms).mean(), 1))  # Hz; the formula gives 91.0
    90.9
    """
    tau_ms = positive_number(tau_ms, "tau_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    threshold, reset = threshold_above_reset(threshold, reset)
    noise_std = non_negative_number(noise_std, "noise_std")
    rng = noise_source(rng)
    decay = math.exp(-dt_ms / tau_ms)
    return _linear_threshold_run(
        I, decay=decay, drive=-math.expm1(-dt_ms / tau_ms), dt_ms=dt_ms,
        threshold=threshold, reset=reset, v0=v0, record_v=record_v,
        noise_scale=noise_std * math.sqrt(-math.expm1(-2.0 * dt_ms / tau_ms)), rng=rng,
    )


def lif_firing_rate_hz(
    I: float | np.ndarray,
    *,
    tau_ms: float,
    threshold: float = 1.0,
    reset: float = 0.0,
) -> float | np.ndarray:
    r"""Firing rate of the LIF neuron of :func:`lif` for a constant input.

    Starting from ``reset``, :math:`V(t) = I + (\text{reset} - I) e^{-t/\tau}` reaches
    the threshold after :math:`T = \tau \ln\frac{I - \text{reset}}{I - \text{threshold}}`,
    so the rate is

    .. math:: r = \frac{1000}{\tau \ln\frac{I - \text{reset}}{I - \text{threshold}}}
              \ \text{Hz} \quad (I > \text{threshold}), \qquad r = 0 \text{ otherwise},

    with :math:`\tau` in ms (Gerstner et al. 2014, *Neuronal Dynamics*, section 1.3).

    Parameters
    ----------
    I : float or array_like
        Constant input(s), in the units of :func:`lif`.
    tau_ms : float
        Membrane time constant in ms.
    threshold, reset : float
        As in :func:`lif`.

    Returns
    -------
    float or np.ndarray
        Rate in Hz, a float for a scalar input, else an array shaped like ``I``.
    """
    tau_ms = positive_number(tau_ms, "tau_ms")
    threshold, reset = threshold_above_reset(threshold, reset)
    current = np.asarray(I, dtype=float)
    if not np.all(np.isfinite(current)):
        raise ValueError("I contains NaN or infinite values")
    above = current > threshold
    safe = np.where(above, current, threshold + 1.0)  # keeps the log finite where unused
    rate = np.where(above, 1000.0 / (tau_ms * np.log((safe - reset) / (safe - threshold))), 0.0)
    return float(rate) if rate.ndim == 0 else rate


def integrate_and_fire(
    I: np.ndarray,
    *,
    tau_ms: float = 10.0,
    dt_ms: float = 0.1,
    threshold: float = 1.0,
    reset: float = 0.0,
    v0: float | np.ndarray = 0.0,
    record_v: bool = True,
) -> NeuronRun:
    r"""Simulate perfect (non-leaky) integrate-and-fire neurons.

    .. math:: \tau \frac{dV}{dt} = I,

    with spike and reset as in :func:`lif`. With the input constant over a step the
    update :math:`V \leftarrow V + I\,\Delta t/\tau` is exact. For a constant input
    :math:`I > 0` the neuron fires regularly at
    :math:`1000 / (\tau(\text{threshold} - \text{reset})/I)` Hz. Parameters, returns
    and errors are those of :func:`lif`.
    """
    tau_ms = positive_number(tau_ms, "tau_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    threshold, reset = threshold_above_reset(threshold, reset)
    return _linear_threshold_run(
        I, decay=1.0, drive=dt_ms / tau_ms, dt_ms=dt_ms,
        threshold=threshold, reset=reset, v0=v0, record_v=record_v,
    )


def _adaptation_kernel(dt_ms: float, tau_ms: float, tau_w_ms: float) -> float:
    r"""Effect on :math:`V` of one step of a decaying adaptation current.

    For :math:`\tau \dot V = -V - w_0 e^{-t/\tau_w}` from :math:`V(0) = 0`,
    :math:`V(\Delta t) = -w_0 K` with

    .. math:: K = \frac{\tau_w}{\tau_w - \tau}\left(e^{-\Delta t/\tau_w} - e^{-\Delta t/\tau}\right),

    and its limit :math:`K = (\Delta t/\tau) e^{-\Delta t/\tau}` when :math:`\tau_w = \tau`.
    With :math:`x = \Delta t\,(\tau_w - \tau)/(\tau \tau_w)` the same value is

    .. math:: K = \frac{\Delta t}{\tau} e^{-\Delta t/\tau}\, \frac{e^{x} - 1}{x},

    computed with ``expm1``: no cancellation when :math:`\tau_w \approx \tau`, and
    the limit at :math:`x = 0` without a special case.
    """
    x = dt_ms * (tau_w_ms - tau_ms) / (tau_ms * tau_w_ms)
    ratio = math.expm1(x) / x if x != 0.0 else 1.0
    return dt_ms / tau_ms * math.exp(-dt_ms / tau_ms) * ratio


def adaptive_lif(
    I: np.ndarray,
    *,
    tau_ms: float = 10.0,
    tau_w_ms: float = 100.0,
    b: float = 0.1,
    dt_ms: float = 0.1,
    threshold: float = 1.0,
    reset: float = 0.0,
    v0: float | np.ndarray = 0.0,
) -> NeuronRun:
    r"""Simulate LIF neurons with a spike-triggered adaptation current.

    .. math::
        \tau \frac{dV}{dt} = I - V - w, \qquad \tau_w \frac{dw}{dt} = -w,

    and at each spike (:math:`V > \text{threshold}`): :math:`V \leftarrow \text{reset}`,
    :math:`w \leftarrow w + b`. Each spike adds a current that pulls ``V`` down and
    decays with :math:`\tau_w`, so under a constant input the inter-spike intervals
    lengthen until a steady state: spike-frequency adaptation (Gerstner, Kistler, Naud
    & Paninski 2014, *Neuronal Dynamics*, chapter 6; Benda & Herz 2003, "A universal
    model for spike-frequency adaptation").

    The update is **exact** for an input constant over the step: :math:`w` decays as
    :math:`w e^{-\Delta t/\tau_w}` and

    .. math:: V \leftarrow I + (V - I)e^{-\Delta t/\tau} - w K, \qquad
              K = \frac{\tau_w}{\tau_w - \tau}\left(e^{-\Delta t/\tau_w} - e^{-\Delta t/\tau}\right)

    (:math:`K = (\Delta t/\tau) e^{-\Delta t/\tau}` when :math:`\tau_w = \tau`), where
    :math:`w` is the value at the start of the step.

    Parameters
    ----------
    I : array_like, shape (time,) or (neurons, time)
        Input, in units of the threshold.
    tau_ms, tau_w_ms : float
        Membrane and adaptation time constants in ms (> 0).
    b : float
        Increment of ``w`` at each spike (>= 0; in units of ``V``).
    dt_ms : float
        Time step in ms (> 0).
    threshold, reset : float
        Spike threshold and reset; ``threshold > reset``.
    v0 : float or array of shape (neurons,)
        Initial ``V``; ``w`` starts at 0.

    Returns
    -------
    NeuronRun
        ``v`` and ``state["w"]``, both shaped like ``I``.
    """
    tau_ms = positive_number(tau_ms, "tau_ms")
    tau_w_ms = positive_number(tau_w_ms, "tau_w_ms")
    dt_ms = positive_number(dt_ms, "dt_ms")
    b = finite_number(b, "b")
    if b < 0:
        raise ValueError(f"b must be >= 0 (an adaptation current that opposes firing), got {b}")
    threshold, reset = threshold_above_reset(threshold, reset)
    current_2d, was_1d = _as_current(I, "I")
    n_neurons, n_steps = current_2d.shape

    decay_v = math.exp(-dt_ms / tau_ms)
    decay_w = math.exp(-dt_ms / tau_w_ms)
    kernel = _adaptation_kernel(dt_ms, tau_ms, tau_w_ms)
    v = per_neuron_values(v0, n_neurons, "v0")
    w = np.zeros(n_neurons)
    traces = _time_major_traces(("v", "w"), n_steps, n_neurons)
    spikes = SpikeRecorder(n_neurons)
    for k, drive_k in _input_columns(current_2d, scale=1.0 - decay_v):
        traces["v"][k] = v
        traces["w"][k] = w
        v *= decay_v
        v += drive_k
        v -= kernel * w
        w *= decay_w
        fired = spikes.threshold(v, threshold, _spike_time_ms(k, dt_ms))
        v[fired] = reset
        w[fired] += b
    return _finish(dt_ms, n_steps, was_1d, traces, spikes)
