"""The circuits of the network-models page: balanced E-I network and half-centre oscillator."""

from __future__ import annotations

import numpy as np
import pytest

from neuro4ml.models.circuits import balanced_network, fixed_in_degree_weights, half_centre_oscillator


# ---------------------------------------------------------------------------
# Balanced network and half-centre oscillator
# ---------------------------------------------------------------------------


def test_fixed_in_degree_gives_every_target_exactly_k_distinct_sources():
    W = fixed_in_degree_weights(50, 30, 7, -2.0, rng=0)
    assert W.shape == (50, 30)
    dense = W.toarray()
    np.testing.assert_array_equal((dense != 0).sum(axis=0), 7)
    assert set(np.unique(dense)) == {0.0, -2.0}
    with pytest.raises(ValueError, match="in_degree"):
        fixed_in_degree_weights(5, 3, 6, 1.0)


def test_balanced_network_fires_irregularly_and_far_below_its_uncoupled_rate():
    """Inhibition-dominated coupling turns regular firing (the LIF neuron with the same
    constant input and refractory period fires at 1 / (2 ms + 20 ms ln 2), about 63 Hz)
    into slow, irregular firing (interspike-interval CV near 1). A quarter of the page's
    network, with the same in-degrees (160 excitatory and 40 inhibitory inputs): balance
    depends on the number of inputs, not on the size of the network."""
    run = balanced_network(1600, 400, connection_fraction=0.1, rng=1).run(500.0, dt_ms=0.1)
    trains = [t[t >= 100.0] for t in run.spike_times_ms["E"]]
    rate_hz = np.mean([t.size for t in trains]) / 0.4
    uncoupled_hz = 1000.0 / (2.0 + 20.0 * np.log(2.0))
    cvs = [np.diff(t).std() / np.diff(t).mean() for t in trains if t.size > 4]
    assert 0 < rate_hz < 0.5 * uncoupled_hz
    assert np.mean(cvs) > 0.55


def test_half_centre_alternates_only_with_mutual_inhibition():
    def switches(run):
        times = np.concatenate(run.spike_times_ms["hc"])
        who = np.concatenate([np.full(t.size, i) for i, t in enumerate(run.spike_times_ms["hc"])])
        order = who[np.argsort(times)]
        return int(np.sum(order[1:] != order[:-1])), times.size

    n_switch, n_spikes = switches(half_centre_oscillator(0.6).run(1500.0, dt_ms=0.1))
    assert n_switch >= 4 and n_spikes >= 3 * n_switch          # bursts of several spikes, alternating
    tonic = half_centre_oscillator(0.0).run(1500.0, dt_ms=0.1)
    counts = [t.size for t in tonic.spike_times_ms["hc"]]
    assert min(counts) > 10 and abs(counts[0] - counts[1]) <= 1  # both fire, at the same rate
