"""Quantisation with a straight-through estimator, regularisers and pruning."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from neuro4ml.learning import snn  # noqa: E402
from neuro4ml.hardware.neuromorphic import TEACHING_CHIP, Chip, CoreLimits, feedforward, map_network, precision_fits  # noqa: E402
from neuro4ml.hardware.neuromorphic.counting import fan_out, synaptic_operations  # noqa: E402
from neuro4ml.hardware.neuromorphic.training import (  # noqa: E402
    apply_masks,
    magnitude_prune,
    prune_model,
    quantisation_aware,
    quantisation_levels,
    quantise,
    spike_count_penalty,
    synapse_penalty,
)


@pytest.mark.parametrize("bits", [2, 3, 4, 8])
def test_quantisation_gives_2_to_the_b_minus_1_symmetric_levels(bits):
    w = np.linspace(-1.0, 1.0, 10001)
    q = quantise(w, bits)
    levels = np.unique(q)
    assert levels.size == 2**bits - 1 == quantisation_levels(bits)
    np.testing.assert_allclose(levels, -levels[::-1])                     # symmetric
    np.testing.assert_allclose(np.diff(levels), levels[1] - levels[0])   # uniform
    assert np.max(np.abs(q - w)) <= (levels[1] - levels[0]) / 2 + 1e-12  # round to nearest
    assert precision_fits(q, bits) and not precision_fits(w, bits)
    # coarser weights fit finer hardware, not the other way round
    assert precision_fits(q, bits + 1) and not precision_fits(quantise(w, bits + 1), bits)


def test_straight_through_estimator_passes_gradients_unchanged():
    w = torch.tensor([0.13, -0.71, 0.4, 1.0], requires_grad=True)
    upstream = torch.tensor([1.0, -2.0, 3.0, 0.5])
    (quantise(w, 3) * upstream).sum().backward()
    torch.testing.assert_close(w.grad, upstream)
    # the true derivative of rounding is zero almost everywhere; torch.round gives zeros
    w2 = w.detach().clone().requires_grad_(True)
    torch.round(w2 * 3).sum().backward()
    assert torch.all(w2.grad == 0)


def test_quantisation_aware_snn_trains_and_maps_onto_a_4_bit_chip():
    model = snn.SNN(6, 20, 3, seed=0)
    quantisation_aware(model, 4)
    assert torch.unique(model.hidden.weight.detach()).numel() <= 15
    x = (torch.rand(4, 20, 6, generator=torch.Generator().manual_seed(0)) < 0.4).float()
    before = model.hidden.parametrizations.weight.original.detach().clone()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    logits = model(x)
    torch.nn.functional.cross_entropy(logits, torch.tensor([0, 1, 2, 0])).backward()
    opt.step()
    assert not torch.equal(before, model.hidden.parametrizations.weight.original.detach())
    quantisation_aware(model, None)
    assert not hasattr(model.hidden, "parametrizations")
    chip = Chip("c", n_cores=2, core=CoreLimits(neurons=20, weight_bits=4))
    map_network(model, chip)                       # the quantised weights fit 4 bits


@pytest.mark.parametrize("fraction", [0.0, 0.25, 0.5, 0.9, 1.0])
def test_magnitude_pruning_removes_the_smallest_fraction(fraction):
    rng = np.random.default_rng(3)
    w = rng.normal(size=(30, 40))
    mask = magnitude_prune(w, fraction)
    assert mask.dtype == bool and mask.shape == w.shape
    assert (~mask).sum() == round(fraction * w.size)
    if 0 < fraction < 1:
        assert np.abs(w[~mask]).max() <= np.abs(w[mask]).min()
        # the same cut as the quantile of the magnitudes
        assert np.abs(w[mask]).min() >= np.quantile(np.abs(w), fraction)


def test_prune_model_and_masks_keep_weights_at_zero():
    model = snn.SNN(6, 20, 3, recurrent=True, seed=0)
    masks = prune_model(model, 0.75)
    assert set(masks) == {"hidden.weight", "hidden.recurrent_weight", "readout.weight"}
    for key, mask in masks.items():
        assert (~mask).float().mean().item() == pytest.approx(0.75, abs=0.02)
    with torch.no_grad():
        model.hidden.weight.add_(1.0)
    apply_masks(model, masks)
    assert torch.all(model.hidden.weight[~masks["hidden.weight"]] == 0)
    # fewer synapses, so fewer synaptic operations for the same input spikes
    x = np.ones((10, 6))
    assert synaptic_operations(x, model.hidden.weight.detach().numpy().T) == 10 * masks["hidden.weight"].sum().item()


def test_regularisers():
    spikes = torch.zeros(2, 5, 3)
    spikes[0, :, 0] = 1          # 5 spikes of unit 0 in sample 0
    spikes[1, 0, 2] = 1          # 1 spike of unit 2 in sample 1
    spikes.requires_grad_(True)
    assert spike_count_penalty(spikes).item() == pytest.approx(3.0)     # 6 spikes / 2 samples
    w = np.array([[1.0, 1.0], [0.0, 0.0], [0.0, 2.0]])
    penalty = spike_count_penalty(spikes, fan_out(w))
    assert penalty.item() == pytest.approx(synaptic_operations(spikes.detach(), w) / 2)
    penalty.backward()
    torch.testing.assert_close(spikes.grad[0, 0], torch.tensor([1.0, 0.0, 0.5]))
    model = snn.SNN(2, 3, 2, seed=0)
    expected = model.hidden.weight.abs().sum() + model.readout.weight.abs().sum()
    torch.testing.assert_close(synapse_penalty(model), expected)


def test_teaching_chip_is_a_4_bit_chip():
    with pytest.raises(ValueError):
        quantise(np.ones(3), 1)
    map_network(feedforward(quantise(np.random.default_rng(0).normal(size=(20, 30)), 4)), TEACHING_CHIP)
