"""Recording and lesioning the hidden units of a spiking network (:class:`neuro4ml.learning.snn.SNN`, PyTorch).

* :func:`hidden_activity` -- the hidden layer's spikes, shaped ``(trials, time, units)``, ready for
  the analyses of :mod:`neuro4ml.analysis`;
* :func:`ablated`, :func:`silenced` -- a network with hidden units silenced (a copy, or in place);
* :func:`ablation_accuracy`, :func:`single_unit_ablations` -- the accuracy with units silenced.

Silencing a unit sets its outgoing weights to 0 (its readout column, and its recurrent column for
a recurrent layer): the network then behaves exactly as if the unit never fired (Morcos et al. 2018).
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator, Sequence

import numpy as np

__all__ = ["ablated", "ablation_accuracy", "hidden_activity", "silenced", "single_unit_ablations"]


def _check_network(model):
    from neuro4ml.learning import snn

    if not isinstance(model, snn.SNN):
        raise TypeError(f"model must be a neuro4ml.learning.snn.SNN, got {type(model).__name__}")
    return snn


def hidden_activity(model, x: object, *, batch_size: int = 256) -> np.ndarray:
    """The hidden layer's spikes ``(trials, time, units)`` of an :class:`neuro4ml.learning.snn.SNN`.

    ``x`` holds the inputs, ``(trials, time, inputs)``.
    """
    snn = _check_network(model)
    import torch

    device = next(model.parameters()).device
    x_t, _ = snn.to_tensors(x, device=device)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        out = [model.hidden(x_t[i : i + batch_size]).cpu().numpy() for i in range(0, len(x_t), batch_size)]
    model.train(was_training)
    return np.concatenate(out)


def _units(model, units: object) -> np.ndarray:
    n_hidden = model.hidden.n_out
    index = np.asarray(units if units is not None else [], dtype=np.int64).ravel()
    if index.size and (index.min() < 0 or index.max() >= n_hidden):
        raise ValueError(f"hidden units must be between 0 and {n_hidden - 1}, got {index.tolist()}")
    return index


def _silence(model, index: np.ndarray) -> None:
    import torch

    with torch.no_grad():
        model.readout.weight[:, index] = 0.0
        if model.hidden.recurrent_weight is not None:
            model.hidden.recurrent_weight[:, index] = 0.0


def ablated(model, units: Sequence[int] | np.ndarray):
    """A copy of an :class:`neuro4ml.learning.snn.SNN` whose hidden ``units`` are silenced; ``model`` is unchanged.

    Silencing a unit removes its spikes from everything downstream: its column of the
    readout weights (and of the recurrent weights, for a recurrent layer) is set to 0, so
    the network behaves exactly as if the unit never fired (a lesion, or an optogenetic
    silencing that is complete and instantaneous).
    """
    _check_network(model)
    index = _units(model, units)
    copy_ = copy.deepcopy(model)
    _silence(copy_, index)
    return copy_


@contextlib.contextmanager
def silenced(model, units: Sequence[int] | np.ndarray) -> Iterator:
    """Silence hidden ``units`` of ``model`` inside a ``with`` block, then restore the weights.

    The same lesion as :func:`ablated`, in place (no copy)::

        with silenced(model, [3, 7]):
            accuracy = snn.evaluate(model, x, y)
    """
    _check_network(model)
    index = _units(model, units)
    saved = {name: p.detach().clone() for name, p in model.named_parameters()}
    try:
        _silence(model, index)
        yield model
    finally:
        import torch

        with torch.no_grad():
            for name, p in model.named_parameters():
                p.copy_(saved[name])


def ablation_accuracy(model, x: object, y: object, units: Sequence[int] | np.ndarray, *, batch_size: int = 256) -> float:
    """Accuracy (:func:`neuro4ml.learning.snn.evaluate`) on ``(x, y)`` with the hidden ``units`` silenced."""
    snn = _check_network(model)
    with silenced(model, units):
        return snn.evaluate(model, x, y, batch_size=batch_size)


def single_unit_ablations(model, x: object, y: object, *, batch_size: int = 256) -> np.ndarray:
    """Accuracy on ``(x, y)`` with each hidden unit silenced alone: shape ``(hidden units,)``.

    The drop caused by unit ``i`` is ``snn.evaluate(model, x, y) - result[i]``. For a
    feed-forward hidden layer the hidden spikes and their leaky traces are computed once:
    the readout is linear in the spikes, so silencing unit ``i`` subtracts that unit's
    contribution from the readout potentials (the same lesion as :func:`ablation_accuracy`,
    equal to float rounding, and many times faster).
    """
    _check_network(model)
    n_hidden = model.hidden.n_out
    labels = np.asarray(y)
    if model.hidden.recurrent_weight is not None:
        return np.array([ablation_accuracy(model, x, labels, [i], batch_size=batch_size) for i in range(n_hidden)])
    import torch

    spikes = torch.as_tensor(hidden_activity(model, x, batch_size=batch_size))
    if labels.shape != (spikes.shape[0],):
        raise ValueError(f"y must hold one label per sample, shape ({spikes.shape[0]},), got {labels.shape}")
    readout = model.readout
    accuracies = np.zeros(n_hidden)
    with torch.no_grad():
        weight = readout.weight.detach().cpu().to(spikes.dtype)  # (outputs, hidden)
        kernel = readout.kernel(spikes.shape[1], spikes.device, spikes.dtype)  # (time, time) leaky filter
        for start in range(0, len(spikes), batch_size):
            traces = torch.matmul(kernel, spikes[start : start + batch_size])  # (batch, time, hidden)
            potentials = traces @ weight.T  # (batch, time, outputs): the intact readout
            for i in range(n_hidden):
                lesioned = potentials - traces[:, :, i : i + 1] * weight[:, i]
                scores = lesioned.amax(dim=1) if readout.readout == "max" else lesioned.mean(dim=1)
                accuracies[i] += int((scores.argmax(dim=1).numpy() == labels[start : start + batch_size]).sum())
    return accuracies / len(labels)
