"""Neuromorphic chips: counting synaptic operations, mapping onto cores, energy estimates."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.hardware.neuromorphic import (
    LOIHI,
    TRUENORTH,
    Chip,
    CoreLimits,
    EventCosts,
    MappingError,
    Projection,
    count_events,
    estimate_energy,
    feedforward,
    map_network,
    precision_fits,
    synaptic_operations,
)

# ---------------------------------------------------------------------------
# Counting
# ---------------------------------------------------------------------------


def test_synaptic_operations_by_hand():
    # neuron 0 projects to 2 targets, neuron 1 to none, neuron 2 to all 3
    w = np.array([[0.5, 0.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 3.0]])
    spikes = np.zeros((4, 3))
    spikes[0, 0] = spikes[2, 0] = 1   # 2 spikes x 2
    spikes[1, 1] = 1                  # 1 spike x 0
    spikes[3, 2] = 1                  # 1 spike x 3
    assert synaptic_operations(spikes, w) == 2 * 2 + 0 + 3
    # a batch of two copies counts twice; a spike count of 2 in a bin counts twice
    assert synaptic_operations(np.stack([spikes, spikes]), w) == 14
    spikes[0, 0] = 2
    assert synaptic_operations(spikes, w) == 9


def test_synaptic_operations_equal_a_loop_over_spikes_and_synapses():
    rng = np.random.default_rng(1)
    w = rng.normal(size=(20, 15)) * (rng.random((20, 15)) < 0.3)
    spikes = (rng.random((3, 50, 20)) < 0.1).astype(float)
    expected = 0
    for b, t, i in zip(*np.nonzero(spikes)):
        for j in range(15):
            expected += w[i, j] != 0
    assert synaptic_operations(spikes, w) == expected
    assert isinstance(synaptic_operations(spikes, w), int)


def test_synaptic_operations_checks_shapes():
    with pytest.raises(ValueError, match="rows"):
        synaptic_operations(np.zeros((5, 3)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="shaped"):
        synaptic_operations(np.zeros(5), np.ones((5, 2)))
    with pytest.raises(ValueError, match=">= 0"):
        synaptic_operations(-np.ones((2, 5)), np.ones((5, 2)))


# ---------------------------------------------------------------------------
# Presets: the published numbers
# ---------------------------------------------------------------------------


def test_presets_hold_the_published_numbers():
    # Davies et al. 2018: 128 cores x 1024 compartments and 4096 input axons, 16 MB of
    # synaptic memory in all; Table 2: 23.6 pJ per synaptic op, 81 pJ per active update
    assert LOIHI.n_cores == 128 and LOIHI.core.neurons == 1024 and LOIHI.core.fan_in == 4096
    assert LOIHI.n_cores * LOIHI.core.synapse_memory_bits / 8 == 16 * 2**20
    assert LOIHI.costs.synaptic_op_pj == 23.6 and LOIHI.costs.neuron_update_pj == 81.0
    # Merolla et al. 2014: 1 million neurons and 256 million synapses, 26 pJ per event
    assert TRUENORTH.max_neurons == 2**20
    assert TRUENORTH.n_cores * TRUENORTH.core.synapses == 2**28
    assert TRUENORTH.costs.synaptic_op_pj == 26.0


# ---------------------------------------------------------------------------
# Mapping
# ---------------------------------------------------------------------------

SMALL = Chip("small", n_cores=4, core=CoreLimits(neurons=10, fan_in=8, synapses=30, weight_bits=3))


def test_a_network_that_fits_is_placed_within_every_limit():
    rng = np.random.default_rng(0)
    w1 = rng.choice([-3, 0, 0, 0, 1, 2], size=(8, 12)).astype(float)
    w2 = rng.choice([-1, 0, 1], size=(12, 4)).astype(float)
    w2[:8] = 0.0                       # layer2 hears only 4 of layer1's neurons
    placement = map_network(feedforward(w1, w2), SMALL)
    assert placement.n_cores_used <= SMALL.n_cores
    for layer, w in (("layer1", w1), ("layer2", w2)):
        cores = placement.core_of[layer]
        assert cores.shape == (w.shape[1],)
        for c in np.unique(cores):
            use = placement.cores[c]
            assert use.layer == layer and use.neurons <= 10
            block = w[:, cores == c] != 0
            assert use.synapses == block.sum() <= 30
            assert use.fan_in == block.any(axis=1).sum() <= 8
    assert placement.cores[placement.core_of["layer2"][0]].neurons == 4


@pytest.mark.parametrize(
    ("weights", "kwargs", "message"),
    [
        # one neuron with 9 inputs: fan-in limit 8
        ([np.ones((9, 2))], {}, r"layer 'layer1', neuron 0: fan-in of 9 presynaptic neurons.*at most 8"),
        # 12 neurons on one core when the core holds 10
        ([np.ones((2, 12))], {"split_layers": False}, r"layer 'layer1': 12 neurons on one core.*at most 10"),
        # 50 neurons need 5 cores, the chip has 4
        ([np.ones((1, 50))], {}, r"needs 5 cores.*has 4.*50 neurons; at most 40"),
        # 3 distinct magnitudes not on a 3-bit grid (3 steps each side of zero)
        ([np.array([[0.1, 0.25, 0.3]])], {}, r"layer .layer1.*3 distinct weight magnitudes do not fit 3-bit weights \(3 equal steps"),
    ],
)
def test_each_kind_of_overflow_fails_with_its_message(weights, kwargs, message):
    with pytest.raises(MappingError, match=message):
        map_network(feedforward(*weights), SMALL, **kwargs)


@pytest.mark.parametrize(
    ("weights", "kwargs", "chip", "expected"),
    [
        ([np.ones((9, 2))], {}, SMALL, ("fan_in", "layer1", 9, 8)),
        ([np.ones((2, 3)), np.ones((3, 12))], {"split_layers": False}, SMALL, ("neurons", "layer2", 12, 10)),
        ([np.ones((1, 50))], {}, SMALL, ("cores", None, 5, 4)),
        ([np.ones((2, 2)), np.array([[0.1, 0.25, 0.3]] * 2)], {}, SMALL, ("weight_bits", "layer2", 3, 3)),
        ([np.ones((6, 1))], {}, Chip("dense", n_cores=10, core=CoreLimits(neurons=10, synapses=5)), ("synapses", "layer1", 6, 5)),
        ([np.ones((5, 1))], {}, Chip("mem", n_cores=10, core=CoreLimits(neurons=10, synapse_memory_bits=32, weight_bits=8)),
         ("synapse_memory_bits", "layer1", 40, 32)),
    ],
)
def test_mapping_errors_name_the_limit_layer_count_and_maximum(weights, kwargs, chip, expected):
    import pickle

    with pytest.raises(MappingError) as info:
        map_network(feedforward(*weights), chip, **kwargs)
    error = info.value
    assert (error.limit, error.layer, error.count, error.maximum) == expected
    assert str(error.count) in str(error) and str(error.maximum) in str(error)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.limit, copy.layer, copy.count, copy.maximum, str(copy)) == (*expected, str(error))


def test_synapse_and_memory_limits():
    dense = Chip("dense", n_cores=10, core=CoreLimits(neurons=10, synapses=5))
    with pytest.raises(MappingError, match=r"6 synapses.*at most 5"):
        map_network(feedforward(np.ones((6, 1))), dense)
    memory = Chip("mem", n_cores=10, core=CoreLimits(neurons=10, synapse_memory_bits=32, weight_bits=8))
    with pytest.raises(MappingError, match=r"5 synapses of 8 bits need 40 bits.*has 32"):
        map_network(feedforward(np.ones((5, 1))), memory)
    # 4 synapses per neuron x 8 bits = 32 bits: one neuron per core
    placement = map_network(feedforward(np.ones((4, 3))), memory)
    assert [c.neurons for c in placement.cores] == [1, 1, 1]


def test_quantised_weights_fit_and_recurrent_fan_in_counts():
    w = np.array([[0.0, -0.5], [0.25, 0.75]])      # multiples of 0.25, |k| <= 3
    map_network(feedforward(w), SMALL)
    chip = Chip("c", n_cores=2, core=CoreLimits(neurons=4, fan_in=5))
    recurrent = [Projection("input", "h", np.ones((3, 4))), Projection("h", "h", np.ones((4, 4)))]
    with pytest.raises(MappingError, match="fan-in of 7"):
        map_network(recurrent, chip)


# ---------------------------------------------------------------------------
# Events and energy
# ---------------------------------------------------------------------------


def test_events_and_energy_equal_the_hand_computed_sum():
    chip = Chip("hand", n_cores=4, core=CoreLimits(neurons=2),
                costs=EventCosts(synaptic_op_pj=10.0, neuron_update_pj=1.0, spike_pj=100.0, synaptic_op_ns=2.0))
    w1 = np.array([[1.0, 1.0, 0.0, 1.0],    # input 0 -> hidden 0, 1 (core 0) and 3 (core 1)
                   [0.0, 0.0, 1.0, 0.0]])   # input 1 -> hidden 2 (core 1)
    w2 = np.array([[1.0], [0.0], [0.0], [1.0]])  # hidden 0 -> out (core 2), hidden 3 -> out
    placement = map_network(feedforward(w1, w2, names=["hidden", "out"]), chip)
    assert [c.layer for c in placement.cores] == ["hidden", "hidden", "out"]
    x = np.zeros((3, 2)); x[0, 0] = 1; x[1, 1] = 1; x[2, 0] = 1
    h = np.zeros((3, 4)); h[1, 0] = 1; h[2, 3] = 1; h[2, 1] = 1
    counts = count_events(placement, {"input": x, "hidden": h})
    # input: 2 spikes of neuron 0 x 3 synapses + 1 of neuron 1 x 1; hidden: 2 x 1 + 1 x 0
    assert counts.synaptic_ops == 2 * 3 + 1 + 2
    # every on-chip neuron (4 + 1) at every step (3)
    assert counts.neuron_updates == 15
    # packets: input 0 reaches cores 0 and 1 (x2 spikes), input 1 core 1, hidden 0 and 3 core 2
    assert counts.spikes_sent == 2 * 2 + 1 + 2
    estimate = estimate_energy(counts, chip)
    assert estimate.total_j == pytest.approx((9 * 10 + 15 * 1 + 7 * 100) * 1e-12)
    assert estimate.energy_j["spikes_sent"] == pytest.approx(700e-12)
    # busiest core per step: t0 core0 2 ops, t1 core1 1 op (and core2 1), t2 core0 2 ops -> 5 ops x 2 ns
    assert estimate.latency_s == pytest.approx(5 * 2e-9)


def test_energy_leaves_out_unpublished_costs():
    placement = map_network(feedforward(np.ones((3, 2))), TRUENORTH)
    counts = count_events(placement, {"input": np.ones((1, 5, 3))})
    estimate = estimate_energy(counts, TRUENORTH)
    assert counts.synaptic_ops == 5 * 3 * 2
    assert estimate.total_j == pytest.approx(30 * 26e-12)
    assert set(estimate.not_counted) == {"neuron_updates", "spikes_sent"} and estimate.latency_s is None


def test_from_snn_and_spikes_of_a_torch_network():
    torch = pytest.importorskip("torch")
    from neuro4ml.learning import snn
    from neuro4ml.hardware.neuromorphic import from_snn

    model = snn.SNN(5, 7, 3, recurrent=True, seed=0)
    projections = from_snn(model)
    assert [(p.source, p.target, p.weights.shape) for p in projections] == [
        ("input", "hidden", (5, 7)), ("hidden", "hidden", (7, 7)), ("hidden", "readout", (7, 3))]
    np.testing.assert_array_equal(projections[0].weights, model.hidden.weight.detach().numpy().T)
    x = (torch.rand(2, 10, 5, generator=torch.Generator().manual_seed(0)) < 0.3).float()
    _, hidden = model(x, record=True)
    assert synaptic_operations(x, projections[0].weights) == int(x.sum()) * 7
    placement = map_network(model, Chip("big", n_cores=4, core=CoreLimits(neurons=100)))
    counts = count_events(placement, {"input": x, "hidden": hidden})
    assert counts.synaptic_ops == int(x.sum()) * 7 + int(hidden.sum()) * (7 + 3)


@pytest.mark.parametrize(
    ("weights", "bits", "fits"),
    [
        ([1.0, -3.0], 2, False),      # needs steps of 1 up to 3; 2 bits allow 1 step each side
        ([1.0, -3.0], 3, True),       # 3 bits: 3 steps each side
        ([1.0, 2.0, 4.0], 3, False),  # 4 steps needed
        ([1.0, 2.0, 4.0], 4, True),
        ([0.5, 0.0, -0.5], 2, True),  # binary-valued weights (plus absent synapses)
        ([0.1, 0.2501], 8, False),    # not on any grid of at most 127 steps
    ],
)
def test_precision_against_hand_worked_grids(weights, bits, fits):
    assert precision_fits(np.array([weights]), bits) is fits
