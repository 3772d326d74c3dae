"""neuro4ml.learning.lesions: recording and silencing hidden units of a spiking network (needs PyTorch)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")

from neuro4ml.learning import lesions  # noqa: E402  (after the skip: needs PyTorch)


@pytest.fixture(scope="module")
def network_and_data():
    """The shipped week 5 network (64 hidden units, 12 classes) and 300 fresh samples."""
    pytest.importorskip("torch")
    from neuro4ml.data import sound_localisation
    from neuro4ml.learning.trained import load_sound_network

    network = load_sound_network()
    return network.model, sound_localisation(300, **network.task, seed=5)


def test_ablating_nothing_changes_nothing(network_and_data):
    from neuro4ml.learning import snn

    model, data = network_and_data
    baseline = snn.evaluate(model, data.x, data.y)
    assert lesions.ablation_accuracy(model, data.x, data.y, []) == baseline
    copy = lesions.ablated(model, [])
    np.testing.assert_array_equal(snn.predict(copy, data.x), snn.predict(model, data.x))
    assert baseline > 0.4  # chance is 1/12


def test_ablating_every_hidden_unit_gives_chance(network_and_data):
    """With no hidden spikes every logit is 0, so the network always answers class 0: accuracy = its frequency."""
    from neuro4ml.learning import snn

    model, data = network_and_data
    silent = lesions.ablated(model, np.arange(64))
    assert np.all(snn.predict(silent, data.x) == 0)
    assert lesions.ablation_accuracy(model, data.x, data.y, range(64)) == pytest.approx(np.mean(data.y == 0))
    assert np.mean(data.y == 0) == pytest.approx(1 / 12, abs=0.04)


def test_ablation_leaves_the_model_unchanged_and_equals_zeroing_the_spikes(network_and_data):
    """Silencing a unit is the same as deleting its spikes before the readout."""
    import torch

    from neuro4ml.learning import snn

    model, data = network_and_data
    before = {k: v.clone() for k, v in model.state_dict().items()}
    units = [1, 5, 9]
    accuracy = lesions.ablation_accuracy(model, data.x, data.y, units)
    with torch.no_grad():
        spikes = model.hidden(torch.as_tensor(data.x))
        spikes[:, :, units] = 0
        expected = np.mean(model.readout(spikes).argmax(1).numpy() == data.y)
    assert accuracy == pytest.approx(expected)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    with lesions.silenced(model, units):
        assert snn.evaluate(model, data.x, data.y) == pytest.approx(expected)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    singles = lesions.single_unit_ablations(model, data.x, data.y)
    assert singles.shape == (64,)
    one_by_one = [lesions.ablation_accuracy(model, data.x, data.y, [i]) for i in range(0, 64, 7)]
    np.testing.assert_allclose(singles[::7], one_by_one, atol=1.01 / len(data.y))  # a rounding tie at most
    assert singles.min() < lesions.ablation_accuracy(model, data.x, data.y, []) - 0.05  # some unit matters


def test_ablation_of_a_recurrent_layer_cuts_its_recurrent_output():
    import torch

    from neuro4ml.learning import snn

    model = snn.SNN(6, 5, 3, recurrent=True, seed=1)
    copy = lesions.ablated(model, [2])
    assert torch.all(copy.hidden.recurrent_weight[:, 2] == 0) and torch.all(copy.readout.weight[:, 2] == 0)
    assert not torch.all(model.readout.weight[:, 2] == 0)
    with pytest.raises(ValueError, match="between 0 and 4"):
        lesions.ablated(model, [5])
    with pytest.raises(TypeError, match="neuro4ml.learning.snn.SNN"):
        lesions.ablated(torch.nn.Linear(2, 2), [0])


def test_hidden_activity_is_the_recorded_spikes(network_and_data):
    import torch

    model, data = network_and_data
    spikes = lesions.hidden_activity(model, data.x[:50], batch_size=16)
    _, recorded = model(torch.as_tensor(data.x[:50]), record=True)
    np.testing.assert_array_equal(spikes, recorded.detach().numpy())
