r"""Training spiking networks for cheap hardware: quantised weights, fewer spikes, fewer synapses.

A neuromorphic chip pays per synaptic operation, stores each synapse in a few bits and
has a limited number of synapses per core (:mod:`neuro4ml.hardware.neuromorphic.chip`). Three
training tools trade accuracy for those costs (needs PyTorch, like :mod:`neuro4ml.learning.snn`):

* **Quantisation** to :math:`b`-bit signed, symmetric, uniform levels
  :math:`w_q = s\,\mathrm{round}(w/s)` with :math:`s = \max|w| / (2^{b-1}-1)`, so the
  levels are :math:`s k` for :math:`k = -(2^{b-1}-1), \dots, 2^{b-1}-1`:
  :math:`2^b - 1` levels, zero included (one code of the :math:`2^b` is unused, which
  keeps the levels symmetric). The rounding has zero gradient almost everywhere, so
  the backward pass uses the *straight-through estimator*: the gradient with respect
  to :math:`w_q` is passed to :math:`w` unchanged (Bengio, Léonard & Courville 2013;
  Hubara et al. 2018). :func:`quantisation_aware` makes every weight of a model go
  through it during training.
* **Regularisers** added to the loss: :func:`spike_count_penalty`, the mean number of
  spikes per sample (weighted by fan-out, the expected number of synaptic operations),
  and :func:`synapse_penalty`, the L1 norm of the weights, which pushes weights
  towards zero (Tibshirani 1996). With plain gradient descent they hover near zero
  rather than reach it; exact zeros need a soft-thresholding (proximal) step or
  pruning, below.
* **Magnitude pruning**: remove the fraction of weights with the smallest magnitudes
  and keep them at zero with masks (Han et al. 2015).

The scale :math:`s` is taken per tensor and treated as a constant in the backward pass.
"""

from __future__ import annotations

import numpy as np

try:
    import torch
    from torch import nn
    from torch.nn.utils import parametrize
except ImportError as error:  # pragma: no cover - exercised only without torch
    raise ImportError(
        "neuro4ml.hardware.neuromorphic.training needs PyTorch: install it with `pip install \"neuro4ml[snn]\"`."
    ) from error

from neuro4ml.validation import probability, whole_number

__all__ = [
    "QuantiseSTE",
    "Quantiser",
    "apply_masks",
    "magnitude_prune",
    "prune_model",
    "quantisation_aware",
    "quantise",
    "quantisation_levels",
    "spike_count_penalty",
    "synapse_penalty",
    "weight_parameters",
]


def _bits(bits: object) -> int:
    return whole_number(bits, "bits", minimum=2)


def quantisation_levels(bits: int) -> int:
    """Number of levels of :func:`quantise` with ``bits`` bits: :math:`2^b - 1`."""
    return 2 ** _bits(bits) - 1


def _scale(w: torch.Tensor, bits: int) -> torch.Tensor:
    top = w.detach().abs().max()
    return torch.where(top > 0, top / (2 ** (bits - 1) - 1), torch.ones_like(top))


class QuantiseSTE(torch.autograd.Function):
    """Round to ``bits``-bit symmetric levels forward; pass the gradient straight through backward.

    ``QuantiseSTE.apply(w, bits)``; use :func:`quantise`, which checks its arguments.
    """

    @staticmethod
    def forward(ctx, w: torch.Tensor, bits: int) -> torch.Tensor:  # noqa: D102
        s = _scale(w, bits)
        return torch.round(w / s) * s

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):  # noqa: D102
        return grad_output, None


def quantise(weights, bits: int):
    """Weights rounded to ``bits``-bit signed symmetric levels (see the module docstring).

    A torch tensor goes through :class:`QuantiseSTE` (differentiable with the
    straight-through estimator); a numpy array (or anything array-like) gives a numpy
    array. An all-zero tensor stays zero.
    """
    bits = _bits(bits)
    if isinstance(weights, torch.Tensor):
        return QuantiseSTE.apply(weights, bits)
    w = torch.as_tensor(np.asarray(weights, dtype=float))
    return QuantiseSTE.apply(w, bits).numpy()


class Quantiser(nn.Module):
    """A parametrisation (``torch.nn.utils.parametrize``) that quantises a weight with :func:`quantise`."""

    def __init__(self, bits: int) -> None:
        super().__init__()
        self.bits = _bits(bits)

    def forward(self, w: torch.Tensor) -> torch.Tensor:  # noqa: D102
        return QuantiseSTE.apply(w, self.bits)


def weight_parameters(model: nn.Module) -> dict[str, tuple[nn.Module, str]]:
    """The weight matrices of ``model`` by qualified name: ``{"hidden.weight": (module, "weight"), ...}``.

    Every parameter called ``weight`` or ``recurrent_weight`` (time constants and
    biases are not synapses).
    """
    found = {}
    for module_name, module in model.named_modules():
        for name in ("weight", "recurrent_weight"):
            p = getattr(module, name, None)
            if isinstance(p, torch.Tensor) and (name in dict(module.named_parameters(recurse=False))
                                                or parametrize.is_parametrized(module, name)):
                found[f"{module_name}.{name}" if module_name else name] = (module, name)
    return found


def quantisation_aware(model: nn.Module, bits: int | None) -> nn.Module:
    """Make every weight of ``model`` pass through :func:`quantise` (in place); ``bits=None`` undoes it.

    The float weights remain the trained parameters (``module.parametrizations.weight.original``);
    the forward pass sees their quantised values and the gradient reaches them through the
    straight-through estimator. With ``bits=None`` the parametrisations are removed and the
    quantised values are kept as the weights (``leave_parametrized=True``), ready for
    :func:`~neuro4ml.hardware.neuromorphic.chip.map_network`. Returns ``model``.
    """
    for module, name in weight_parameters(model).values():
        if parametrize.is_parametrized(module, name):
            parametrize.remove_parametrizations(module, name, leave_parametrized=True)
        if bits is not None:
            parametrize.register_parametrization(module, name, Quantiser(bits))
    return model


def spike_count_penalty(spikes: torch.Tensor, fan_out: torch.Tensor | np.ndarray | None = None) -> torch.Tensor:
    r"""Mean number of spikes per sample, or of synaptic operations if ``fan_out`` is given.

    .. math:: R = \frac{1}{B} \sum_{b,t,i} s_{b,t,i}\, f_i

    with :math:`f_i = 1` by default, or the number of non-zero outgoing weights of
    neuron :math:`i` (:func:`~neuro4ml.hardware.neuromorphic.counting.fan_out`), in which case
    :math:`R` is the number of synaptic operations per sample. ``spikes`` is
    ``(batch, time, units)``; the result is a differentiable scalar.
    """
    if not isinstance(spikes, torch.Tensor) or spikes.ndim != 3:
        raise ValueError("spikes must be a torch.Tensor shaped (batch, time, units)")
    counts = spikes.sum(dim=(0, 1)) / spikes.shape[0]
    if fan_out is None:
        return counts.sum()
    f = torch.as_tensor(np.asarray(fan_out) if not isinstance(fan_out, torch.Tensor) else fan_out,
                        dtype=spikes.dtype, device=spikes.device)
    if f.shape != counts.shape:
        raise ValueError(f"fan_out must have one value per unit, shape ({counts.shape[0]},), got {tuple(f.shape)}")
    return counts @ f


def synapse_penalty(model_or_weights) -> torch.Tensor:
    r"""L1 norm of the weights, :math:`\sum |w|`: a model's weight matrices (see :func:`weight_parameters`) or one tensor."""
    if isinstance(model_or_weights, nn.Module):
        tensors = [getattr(m, n) for m, n in weight_parameters(model_or_weights).values()]
        if not tensors:
            raise ValueError("the model has no weight parameters")
        return sum(t.abs().sum() for t in tensors)
    if not isinstance(model_or_weights, torch.Tensor):
        raise TypeError(f"expected an nn.Module or a torch.Tensor, got {type(model_or_weights).__name__}")
    return model_or_weights.abs().sum()


def magnitude_prune(weights, fraction: float):
    """A mask that removes the ``fraction`` of ``weights`` with the smallest magnitudes.

    Returns a boolean array (numpy in, numpy out; torch in, torch out) shaped like
    ``weights``, False for the ``round(fraction * n)`` weights of smallest :math:`|w|`
    (ties broken by position), True for the rest. Weights already zero count as
    removed first, as they have the smallest magnitude.
    """
    fraction = probability(fraction, "fraction")
    is_torch = isinstance(weights, torch.Tensor)
    w = weights.detach().cpu().numpy() if is_torch else np.asarray(weights, dtype=float)
    n_remove = int(round(fraction * w.size))
    order = np.argsort(np.abs(w).ravel(), kind="stable")
    mask = np.ones(w.size, dtype=bool)
    mask[order[:n_remove]] = False
    mask = mask.reshape(w.shape)
    return torch.as_tensor(mask, device=weights.device) if is_torch else mask


def prune_model(model: nn.Module, fraction: float) -> dict[str, torch.Tensor]:
    """Zero the ``fraction`` of smallest weights of every weight matrix of ``model`` (in place).

    Each matrix is pruned on its own (layer-wise). Returns the masks by qualified
    name (as :func:`weight_parameters`), for :func:`apply_masks` after each optimiser
    step during fine-tuning.
    """
    masks = {}
    with torch.no_grad():
        for key, (module, name) in weight_parameters(model).items():
            target = _raw_weight(module, name)
            masks[key] = magnitude_prune(target, fraction)
            target.mul_(masks[key].to(target.dtype))
    return masks


def apply_masks(model: nn.Module, masks: dict[str, torch.Tensor]) -> None:
    """Set the weights removed by ``masks`` (from :func:`prune_model`) back to zero, in place."""
    params = weight_parameters(model)
    with torch.no_grad():
        for key, mask in masks.items():
            if key not in params:
                raise KeyError(f"the model has no weight {key!r}; it has {sorted(params)}")
            target = _raw_weight(*params[key])
            target.mul_(mask.to(target.dtype))


def _raw_weight(module: nn.Module, name: str) -> torch.Tensor:
    """The trainable tensor behind ``module.name`` (the original if it is parametrised)."""
    if parametrize.is_parametrized(module, name):
        return getattr(module.parametrizations, name).original
    return getattr(module, name)
