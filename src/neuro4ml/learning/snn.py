"""Spiking neural networks in PyTorch, trained with surrogate gradients.

This module needs PyTorch (``pip install "neuro4ml[snn]"``). It holds the pieces of
week 5 and the networks that weeks 6 and 8 build on:

* :func:`spike` and the surrogate derivatives of :data:`SURROGATES` -- a Heaviside
  step in the forward pass, a smooth stand-in for its derivative in the backward
  pass (Neftci, Mostafa & Zenke 2019);
* :class:`LIF` -- a layer of leaky integrate-and-fire neurons, feed-forward or
  recurrent; :class:`LeakyReadout` -- non-spiking leaky integrators read out by their
  maximum or mean membrane potential; :class:`SNN` -- the two stacked;
* :func:`train` and :func:`evaluate` -- seeded training and evaluation loops with a
  progress bar.

Conventions shared by everything here:

* **Shapes.** Inputs, spikes and membrane potentials are ``(batch, time, units)``
  tensors. A network's output is ``(batch, classes)`` logits.
* **Time grid.** Step ``k`` covers ``[k dt, (k + 1) dt)``; the input of step ``k`` is
  ``x[:, k]`` and is held constant over the step.
* **LIF dynamics.** Exactly those of :func:`neuro4ml.models.neurons.lif`, in dimensionless
  units (threshold 1, reset 0 by default): with :math:`\\alpha = e^{-\\Delta t/\\tau}`,

  .. math:: V_k = \\alpha V_{k-1} + W x_k + U S_{k-1}, \\qquad
            S_k = \\Theta(V_k - \\vartheta), \\qquad V_k \\leftarrow V_k (1 - S_k) + V_r S_k,

  (``U`` only for a recurrent layer): an input spike through weight :math:`w` makes
  :math:`V` jump by :math:`w`. This is the exact update of :func:`neurons.lif
  <neuro4ml.models.neurons.lif>` for the current :math:`I_k = (W x_k + U S_{k-1}) / (1 - \\alpha)`
  held constant over the step. Writing the weights as jumps keeps them of order one
  whatever :math:`\\tau` and :math:`\\Delta t` are, which suits Adam's step sizes.
  ``spikes[:, k]`` is the spike emitted at the end of step ``k`` -- the spike that :func:`neuro4ml.models.neurons.lif` stamps
  ``(k + 1) * dt_ms`` -- and the recorded ``v[:, k]`` is the value after step ``k``'s
  update and reset, which :func:`neurons.lif <neuro4ml.models.neurons.lif>` records as
  ``v[..., k + 1]``.
* **Gradients.** The reset uses a *detached* copy of the spike, so gradients flow
  through the spike into the next layer and into the recurrent input, but not through
  the reset (Zenke & Vogels 2021 found this trains better).
* **Device and precision.** float32, on the device of the parameters; use
  :func:`default_device` (a GPU when one is present, else the CPU).
* **Seeds.** Every function that draws random numbers takes a ``seed``.

For later weeks: :class:`LIF` and :class:`LeakyReadout` are ordinary ``nn.Module``\\ s
and can be stacked (``LIF(100, 200)`` then ``LIF(200, 50)`` ...); :func:`lif_loop` is the
time loop on its own, for a layer whose input is computed differently (convolutions,
delays); the data sets of :mod:`neuro4ml.data` (``randman``,
``sound_localisation``, ``load_shd``) return ``x`` shaped ``(samples, time, units)``
that :func:`train` takes directly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

try:
    import torch
    from torch import nn
except ImportError as error:  # pragma: no cover - exercised only without torch
    raise ImportError(
        "neuro4ml.learning.snn needs PyTorch: install it with `pip install \"neuro4ml[snn]\"` "
        "(or `pip install torch`)."
    ) from error

from neuro4ml.validation import positive_number

__all__ = [
    "SURROGATES",
    "LIF",
    "LeakyReadout",
    "SNN",
    "SpikeFunction",
    "TrainingHistory",
    "confusion_matrix",
    "default_device",
    "evaluate",
    "lif_loop",
    "predict",
    "spike",
    "surrogate_derivative",
    "to_tensors",
    "train",
]


# ---------------------------------------------------------------------------
# The spike function and its surrogate derivatives
# ---------------------------------------------------------------------------


def _fast_sigmoid(v: torch.Tensor, scale: float) -> torch.Tensor:
    return 1.0 / (scale * v.abs() + 1.0) ** 2


def _sigmoid(v: torch.Tensor, scale: float) -> torch.Tensor:
    s = torch.sigmoid(scale * v)
    return scale * s * (1.0 - s)


def _triangle(v: torch.Tensor, scale: float) -> torch.Tensor:
    return torch.clamp(1.0 - scale * v.abs(), min=0.0)


def _heaviside(v: torch.Tensor, scale: float) -> torch.Tensor:
    return torch.zeros_like(v)


#: The surrogate derivatives :math:`\sigma'(v)` that :func:`spike` can use, by name.
#:
#: * ``"fast_sigmoid"`` -- :math:`1 / (\beta |v| + 1)^2`, the derivative of the fast
#:   sigmoid :math:`v / (1 + \beta |v|)` (up to a factor), as in SuperSpike (Zenke &
#:   Ganguli 2018) and SPyTorch;
#: * ``"sigmoid"`` -- :math:`\beta\, \sigma(\beta v)(1 - \sigma(\beta v))`, the
#:   derivative of the logistic function :math:`\sigma(\beta v)`;
#: * ``"triangle"`` -- :math:`\max(0, 1 - \beta |v|)` (Bellec et al. 2018's
#:   pseudo-derivative, up to a factor);
#: * ``"heaviside"`` -- 0: the true derivative of the step away from 0, so no learning.
#:
#: :math:`\beta` is the ``scale``: larger means a sharper, narrower surrogate.
SURROGATES: dict[str, Callable[[torch.Tensor, float], torch.Tensor]] = {
    "fast_sigmoid": _fast_sigmoid,
    "sigmoid": _sigmoid,
    "triangle": _triangle,
    "heaviside": _heaviside,
}


def surrogate_derivative(v: torch.Tensor, surrogate: str = "fast_sigmoid", scale: float = 100.0) -> torch.Tensor:
    """The surrogate derivative :math:`\\sigma'(v)` named ``surrogate`` (see :data:`SURROGATES`).

    Parameters
    ----------
    v : torch.Tensor
        Membrane potential minus threshold, any shape.
    surrogate : str
        A key of :data:`SURROGATES`.
    scale : float
        Its steepness :math:`\\beta` (> 0).

    Returns
    -------
    torch.Tensor
        Shaped like ``v``.
    """
    return SURROGATES[_surrogate_name(surrogate)](v, positive_number(scale, "scale"))


def _surrogate_name(surrogate: str) -> str:
    if surrogate not in SURROGATES:
        raise ValueError(f"surrogate must be one of {sorted(SURROGATES)}, got {surrogate!r}")
    return surrogate


class SpikeFunction(torch.autograd.Function):
    """Heaviside forward, surrogate derivative backward.

    ``SpikeFunction.apply(v, surrogate, scale)`` returns ``(v > 0)`` as a float tensor;
    its backward multiplies the incoming gradient by ``surrogate_derivative(v)``.
    Use :func:`spike`, which checks its arguments.
    """

    @staticmethod
    def forward(ctx, v: torch.Tensor, surrogate: str, scale: float) -> torch.Tensor:  # noqa: D102
        ctx.save_for_backward(v)
        ctx.derivative = SURROGATES[surrogate]
        ctx.scale = scale
        return (v > 0).to(v.dtype)

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):  # noqa: D102
        (v,) = ctx.saved_tensors
        return grad_output * ctx.derivative(v, ctx.scale), None, None


def spike(v: torch.Tensor, surrogate: str = "fast_sigmoid", scale: float = 100.0) -> torch.Tensor:
    """Spikes :math:`S = \\Theta(v)` with a surrogate gradient.

    The forward pass is the Heaviside step (1.0 where ``v > 0``, else 0.0); the
    backward pass replaces its derivative, zero almost everywhere, by the smooth
    ``surrogate`` of :data:`SURROGATES` with steepness ``scale`` (Neftci, Mostafa &
    Zenke 2019; Zenke & Ganguli 2018).

    Parameters
    ----------
    v : torch.Tensor
        Membrane potential minus the threshold, any shape.
    surrogate : str
        Name of the surrogate derivative.
    scale : float
        Its steepness (> 0).

    Returns
    -------
    torch.Tensor
        0.0/1.0 spikes shaped like ``v``, with ``v``'s dtype.
    """
    return SpikeFunction.apply(v, _surrogate_name(surrogate), positive_number(scale, "scale"))


# ---------------------------------------------------------------------------
# Layers
# ---------------------------------------------------------------------------


def default_device() -> torch.device:
    """A CUDA GPU when one is present, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _check_input(x: torch.Tensor, n_in: int) -> None:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"the input must be a torch.Tensor shaped (batch, time, {n_in}), got {type(x).__name__}")
    if x.ndim != 3 or x.shape[2] != n_in:
        raise ValueError(f"the input must be shaped (batch, time, {n_in}), got {tuple(x.shape)}")


class _RandomFeedback(torch.autograd.Function):
    """``x @ W.T`` forward; the gradient to ``x`` uses the fixed matrix ``B`` instead of ``W``."""

    @staticmethod
    def forward(ctx, x, weight, feedback):  # noqa: D102
        ctx.save_for_backward(x, feedback)
        return x @ weight.T

    @staticmethod
    def backward(ctx, grad_output):  # noqa: D102
        x, feedback = ctx.saved_tensors
        grad_x = grad_output @ feedback
        grad_w = grad_output.reshape(-1, grad_output.shape[-1]).T @ x.reshape(-1, x.shape[-1])
        return grad_x, grad_w, None


def _init_weight(n_out: int, n_in: int, gain: float, generator: torch.Generator) -> nn.Parameter:
    """Gaussian weights with standard deviation ``gain / sqrt(n_in)``."""
    return nn.Parameter(torch.randn(n_out, n_in, generator=generator) * (gain / math.sqrt(n_in)))


class LIF(nn.Module):
    """A layer of leaky integrate-and-fire neurons (see the module docstring for the equations).

    Parameters
    ----------
    n_in, n_out : int
        Numbers of inputs and of neurons.
    tau_ms : float or sequence of float
        Membrane time constant(s) in ms: one for all neurons, or one per neuron.
    dt_ms : float
        Time step in ms.
    recurrent : bool
        Add recurrent weights ``U`` (``n_out x n_out``) from the previous step's spikes.
    learn_tau : bool
        Make the time constants trainable (Perez-Nieves et al. 2021). They are
        clamped to at least ``dt_ms`` in the forward pass.
    surrogate, scale : str, float
        The surrogate derivative of the spike function (see :func:`spike`).
    threshold, reset : float
        Spike threshold and reset value.
    weight_gain, recurrent_gain : float
        Initial weights are Gaussian with standard deviation ``gain / sqrt(fan_in)``
        (a weight is the jump of ``V`` caused by one input spike).
    recurrent_gradient : bool
        If False, the recurrent input is computed from detached spikes, so no gradient
        flows from one neuron to another through ``U``: each neuron's gradient only
        follows its own membrane potential back in time. With a readout that sees every
        step, this is the e-prop approximation of Bellec et al. (2020) with symmetric
        feedback.
    detach_reset : bool
        Whether the reset uses the detached spike (default; see the module docstring).
    seed : int
        Seed of the initial weights.

    Shapes: ``forward(x)`` takes ``(batch, time, n_in)`` and returns the spikes
    ``(batch, time, n_out)``; ``forward(x, record_v=True)`` returns ``(spikes, v)``.
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        *,
        tau_ms: float | np.ndarray = 20.0,
        dt_ms: float = 1.0,
        recurrent: bool = False,
        learn_tau: bool = False,
        surrogate: str = "fast_sigmoid",
        scale: float = 100.0,
        threshold: float = 1.0,
        reset: float = 0.0,
        weight_gain: float = 1.0,
        recurrent_gain: float = 0.5,
        recurrent_gradient: bool = True,
        detach_reset: bool = True,
        seed: int = 0,
    ) -> None:
        super().__init__()
        if threshold <= reset:
            raise ValueError(f"threshold must be above reset, got threshold={threshold}, reset={reset}")
        self.n_in, self.n_out = int(n_in), int(n_out)
        self.dt_ms = positive_number(dt_ms, "dt_ms")
        self.surrogate = _surrogate_name(surrogate)
        self.scale = positive_number(scale, "scale")
        self.threshold, self.reset = float(threshold), float(reset)
        self.recurrent_gradient = bool(recurrent_gradient)
        self.detach_reset = bool(detach_reset)
        tau = torch.as_tensor(np.broadcast_to(np.asarray(tau_ms, dtype=np.float32), (self.n_out,)).copy())
        if not bool((tau > 0).all()):
            raise ValueError(f"tau_ms must be positive, got {tau_ms}")
        if learn_tau:
            self.tau_ms = nn.Parameter(tau)
        else:
            self.register_buffer("tau_ms", tau)
        generator = torch.Generator().manual_seed(seed)
        self.weight = _init_weight(self.n_out, self.n_in, weight_gain, generator)
        self.recurrent_weight = _init_weight(self.n_out, self.n_out, recurrent_gain, generator) if recurrent else None

    def decay(self) -> torch.Tensor:
        """:math:`\\alpha = e^{-\\Delta t/\\tau}`, one per neuron (time constants clamped to >= dt)."""
        return torch.exp(-self.dt_ms / torch.clamp(self.tau_ms, min=self.dt_ms))

    def forward(self, x: torch.Tensor, record_v: bool = False):
        """Run the layer on ``x`` ``(batch, time, n_in)``; return spikes (and ``v`` if ``record_v``)."""
        _check_input(x, self.n_in)
        # The feed-forward input of every step in one matrix product, then the time loop.
        return lif_loop(
            x @ self.weight.T, self.decay(), recurrent_weight=self.recurrent_weight,
            threshold=self.threshold, reset=self.reset, surrogate=self.surrogate, scale=self.scale,
            recurrent_gradient=self.recurrent_gradient, detach_reset=self.detach_reset, record_v=record_v,
        )


def lif_loop(
    drive: torch.Tensor,
    alpha: float | torch.Tensor,
    *,
    recurrent_weight: torch.Tensor | None = None,
    threshold: float = 1.0,
    reset: float = 0.0,
    surrogate: str = "fast_sigmoid",
    scale: float = 100.0,
    recurrent_gradient: bool = True,
    detach_reset: bool = True,
    record_v: bool = False,
):
    """The time loop of a LIF layer: spikes ``(batch, time, units)`` from the input jumps ``drive``.

    For each step ``k`` (see the module docstring):
    ``V = alpha * V + drive[:, k] (+ S_prev @ U.T)``, ``S = spike(V - threshold)``,
    record ``S``, then reset ``V`` where ``S = 1``. ``V`` starts at 0.

    Parameters
    ----------
    drive : torch.Tensor, shape (batch, time, units)
        The feed-forward input of each step (the jump of ``V``), e.g. ``x @ W.T``.
    alpha : float or torch.Tensor of shape (units,)
        The decay per step, :math:`e^{-\\Delta t/\\tau}`.
    recurrent_weight : torch.Tensor, shape (units, units), optional
        ``U``: ``U[i, j]`` is the jump of neuron ``i`` caused by a spike of neuron ``j``
        on the previous step.
    threshold, reset : float
        Threshold and reset value.
    surrogate, scale : str, float
        The surrogate derivative of :func:`spike`.
    recurrent_gradient : bool
        If False, no gradient flows through the recurrent input.
    detach_reset : bool
        If True (default), the reset uses the detached spike: no gradient flows
        through the reset.
    record_v : bool
        Also return ``V`` after each step's reset, ``(batch, time, units)``.
    """
    if drive.ndim != 3:
        raise ValueError(f"drive must be shaped (batch, time, units), got {tuple(drive.shape)}")
    v = torch.zeros(drive.shape[0], drive.shape[2], dtype=drive.dtype, device=drive.device)
    s = torch.zeros_like(v)
    recurrent = None if recurrent_weight is None else recurrent_weight.T
    spikes, potentials = [], []
    for drive_k in drive.unbind(1):
        if recurrent is not None:
            drive_k = torch.addmm(drive_k, s if recurrent_gradient else s.detach(), recurrent)
        v = alpha * v + drive_k
        s = SpikeFunction.apply(v - threshold, surrogate, scale)
        spikes.append(s)
        s_reset = s.detach() if detach_reset else s
        v = v * (1.0 - s_reset) if reset == 0.0 else v + (reset - v) * s_reset
        if record_v:
            potentials.append(v)
    spikes_t = torch.stack(spikes, dim=1)
    return (spikes_t, torch.stack(potentials, dim=1)) if record_v else spikes_t


class LeakyReadout(nn.Module):
    """Non-spiking leaky integrators that turn spikes into class scores.

    :math:`V_k = \\alpha V_{k-1} + W S_k` with :math:`V_{-1} = 0`; the
    output is :math:`\\max_k V_k` (``readout="max"``) or the mean over time
    (``readout="mean"``), shaped ``(batch, n_out)``. Because the readout is linear,
    the whole trace is computed at once, as a product with the lower-triangular
    matrix of :math:`\\alpha^{k - j}` (no Python loop over time).

    Parameters
    ----------
    n_in, n_out : int
        Inputs (spiking neurons) and outputs (classes).
    tau_ms, dt_ms : float
        Time constant and time step in ms.
    readout : {"max", "mean"}
        How the trace becomes one score per class.
    feedback : {"symmetric", "random"}
        ``"random"`` sends the error back to the previous layer through a fixed random
        matrix instead of the transpose of the weights (feedback alignment, Lillicrap
        et al. 2016); the weights themselves still get their true gradient.
    weight_gain : float
        Initial weights have standard deviation ``weight_gain / sqrt(n_in)``.
    seed : int
        Seed of the weights (and of the random feedback matrix).
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        *,
        tau_ms: float = 20.0,
        dt_ms: float = 1.0,
        readout: str = "max",
        feedback: str = "symmetric",
        weight_gain: float = 1.0,
        seed: int = 0,
    ) -> None:
        super().__init__()
        if readout not in ("max", "mean"):
            raise ValueError(f"readout must be 'max' or 'mean', got {readout!r}")
        if feedback not in ("symmetric", "random"):
            raise ValueError(f"feedback must be 'symmetric' or 'random', got {feedback!r}")
        self.n_in, self.n_out = int(n_in), int(n_out)
        self.tau_ms = positive_number(tau_ms, "tau_ms")
        self.dt_ms = positive_number(dt_ms, "dt_ms")
        self.readout = readout
        generator = torch.Generator().manual_seed(seed + 1)
        self.weight = _init_weight(self.n_out, self.n_in, weight_gain, generator)
        if feedback == "random":
            self.register_buffer("feedback", torch.randn(self.n_out, self.n_in, generator=generator) * (weight_gain / math.sqrt(self.n_in)))
        else:
            self.feedback = None
        self._kernels: dict[tuple[int, torch.device, torch.dtype], torch.Tensor] = {}

    def _kernel(self, n_steps: int, device, dtype) -> torch.Tensor:
        key = (n_steps, device, dtype)
        if key not in self._kernels:
            alpha = math.exp(-self.dt_ms / self.tau_ms)
            k = torch.arange(n_steps, dtype=torch.float64)
            lag = k[:, None] - k[None, :]
            kernel = torch.where(lag >= 0, alpha ** lag.clamp(min=0), torch.zeros(()))
            self._kernels[key] = kernel.to(device=device, dtype=dtype)
        return self._kernels[key]

    def potentials(self, spikes: torch.Tensor) -> torch.Tensor:
        """The membrane potentials ``(batch, time, n_out)`` driven by ``spikes`` ``(batch, time, n_in)``."""
        _check_input(spikes, self.n_in)
        if self.feedback is None:
            current = spikes @ self.weight.T
        else:
            current = _RandomFeedback.apply(spikes, self.weight, self.feedback)
        return torch.matmul(self._kernel(spikes.shape[1], current.device, current.dtype), current)

    def forward(self, spikes: torch.Tensor) -> torch.Tensor:
        """Scores ``(batch, n_out)``: the maximum or the mean over time of the potentials."""
        v = self.potentials(spikes)
        return v.amax(dim=1) if self.readout == "max" else v.mean(dim=1)


class SNN(nn.Module):
    """One hidden LIF layer and a leaky readout: ``(batch, time, n_in)`` -> logits ``(batch, n_out)``.

    Keyword arguments ``tau_ms``, ``recurrent``, ``learn_tau``, ``surrogate``,
    ``scale``, ``weight_gain``, ``recurrent_gain`` and ``recurrent_gradient`` go to
    :class:`LIF`; ``readout``, ``feedback`` and ``readout_tau_ms`` to
    :class:`LeakyReadout`. ``forward(x, record=True)`` also returns the hidden spikes.
    """

    def __init__(
        self,
        n_in: int,
        n_hidden: int,
        n_out: int,
        *,
        dt_ms: float = 1.0,
        readout: str = "max",
        readout_tau_ms: float = 20.0,
        feedback: str = "symmetric",
        readout_gain: float = 1.0,
        seed: int = 0,
        **lif_options,
    ) -> None:
        super().__init__()
        self.hidden = LIF(n_in, n_hidden, dt_ms=dt_ms, seed=seed, **lif_options)
        self.readout = LeakyReadout(
            n_hidden, n_out, tau_ms=readout_tau_ms, dt_ms=dt_ms, readout=readout,
            feedback=feedback, weight_gain=readout_gain, seed=seed,
        )

    def forward(self, x: torch.Tensor, record: bool = False):
        """Logits ``(batch, n_out)``; with ``record=True`` also the hidden spikes ``(batch, time, n_hidden)``."""
        spikes = self.hidden(x)
        logits = self.readout(spikes)
        return (logits, spikes) if record else logits


# ---------------------------------------------------------------------------
# Training and evaluation
# ---------------------------------------------------------------------------


def to_tensors(x, y=None, device=None) -> tuple[torch.Tensor, torch.Tensor | None]:
    """``x`` as a float32 tensor ``(samples, time, units)`` and ``y`` as int64 labels, on ``device``."""
    device = default_device() if device is None else torch.device(device)
    x_t = torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x, dtype=torch.float32, device=device)
    if x_t.ndim != 3:
        raise ValueError(f"x must be shaped (samples, time, units), got {tuple(x_t.shape)}")
    if y is None:
        return x_t, None
    y_t = torch.as_tensor(np.asarray(y) if not isinstance(y, torch.Tensor) else y, dtype=torch.int64, device=device)
    if y_t.shape != (x_t.shape[0],):
        raise ValueError(f"y must hold one label per sample, shape ({x_t.shape[0]},), got {tuple(y_t.shape)}")
    return x_t, y_t


def _batches(n: int, batch_size: int, generator: torch.Generator | None) -> Iterator[torch.Tensor]:
    order = torch.randperm(n, generator=generator) if generator is not None else torch.arange(n)
    yield from order.split(batch_size)


@dataclass
class TrainingHistory:
    """Per-epoch results of :func:`train`: mean training loss and accuracies (fractions)."""

    loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)


def predict(model: nn.Module, x, *, batch_size: int = 256) -> np.ndarray:
    """Predicted class of each sample of ``x`` ``(samples, time, units)``, as a numpy array."""
    device = next(model.parameters()).device
    x_t, _ = to_tensors(x, device=device)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        out = [model(x_t[i : i + batch_size]).argmax(dim=1) for i in range(0, len(x_t), batch_size)]
    model.train(was_training)
    return torch.cat(out).cpu().numpy()


def evaluate(model: nn.Module, x, y, *, batch_size: int = 256) -> float:
    """Fraction of samples of ``(x, y)`` whose predicted class is ``y``."""
    return float(np.mean(predict(model, x, batch_size=batch_size) == np.asarray(y)))


def confusion_matrix(model: nn.Module, x, y, n_classes: int, *, batch_size: int = 256) -> np.ndarray:
    """Counts ``(n_classes, n_classes)``: entry ``[i, j]`` is the number of samples of true class ``i`` predicted as ``j``.

    Rows are true classes and columns predicted ones, so row ``i`` sums to the number of samples of class ``i``.
    """
    y = np.asarray(y, dtype=int)
    predictions = predict(model, x, batch_size=batch_size)
    return np.bincount(y * n_classes + predictions, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def train(
    model: nn.Module,
    x,
    y,
    *,
    epochs: int = 20,
    lr: float = 2e-3,
    batch_size: int = 64,
    test: tuple | None = None,
    spike_penalty: float = 0.0,
    seed: int = 0,
    progress: bool = True,
) -> TrainingHistory:
    """Train ``model`` with Adam and the cross-entropy loss; return its :class:`TrainingHistory`.

    Parameters
    ----------
    model : nn.Module
        Maps ``(batch, time, units)`` to logits ``(batch, classes)``; if it accepts
        ``record=True`` (like :class:`SNN`) and ``spike_penalty > 0``, the mean squared
        spike count of its hidden neurons is added to the loss with that weight.
    x, y : arrays or tensors
        Training inputs ``(samples, time, units)`` and integer labels ``(samples,)``.
    epochs, lr, batch_size : int, float, int
        Passes over the data, Adam's learning rate, samples per step.
    test : (x_test, y_test), optional
        Held-out data, evaluated after every epoch.
    spike_penalty : float
        Weight of the activity regulariser (0 turns it off).
    seed : int
        Seed of the order of the samples.
    progress : bool
        Show a tqdm progress bar over epochs.
    """
    from tqdm import tqdm

    device = next(model.parameters()).device
    x_t, y_t = to_tensors(x, y, device=device)
    generator = torch.Generator().manual_seed(seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    history = TrainingHistory()
    bar = tqdm(range(epochs), disable=not progress, desc="training", leave=False)
    for _ in bar:
        model.train()
        total, correct, loss_sum = 0, 0, 0.0
        for index in _batches(len(x_t), batch_size, generator):
            index = index.to(device)
            if spike_penalty > 0:
                logits, spikes = model(x_t[index], record=True)
                loss = nn.functional.cross_entropy(logits, y_t[index]) + spike_penalty * spikes.sum(1).pow(2).mean()
            else:
                logits = model(x_t[index])
                loss = nn.functional.cross_entropy(logits, y_t[index])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            loss_sum += float(loss.detach()) * len(index)
            correct += int((logits.argmax(1) == y_t[index]).sum())
            total += len(index)
        history.loss.append(loss_sum / total)
        history.train_accuracy.append(correct / total)
        if test is not None:
            history.test_accuracy.append(evaluate(model, *test))
        bar.set_postfix(loss=f"{history.loss[-1]:.3f}", acc=f"{history.train_accuracy[-1]:.2f}")
    return history
