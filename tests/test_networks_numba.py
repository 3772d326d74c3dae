"""The compiled loop of Network.run (backend="numba") against the numpy reference loop.

The compiled loop performs the numpy loop's floating-point operations in the same order
for every neuron, so the two must agree bit for bit: same spike times, same recorded
traces. The one exception is the conductance-based instantaneous synapse, whose
``expm1`` comes from two libraries; there the traces agree within rounding.
"""

import numpy as np
import pytest
import scipy.sparse

import neuro4ml.models.networks.simulator as simulator
from neuro4ml.models.networks import Network
from neuro4ml.models.synapses import E_EXCITATORY, E_INHIBITORY, Alpha, Biexponential, Exponential

needs_numba = pytest.mark.skipif(
    not simulator.numba_available(),
    reason="numba is not installed (the optional extra neuro4ml[fast]), so the compiled loop cannot run",
)


def sparse_weights(n_from, n_to, p, weight, rng):
    mask = rng.random((n_from, n_to)) < p
    return scipy.sparse.csr_array(np.where(mask, weight * rng.uniform(0.5, 1.5, (n_from, n_to)), 0.0))


def assert_same_run(a, b, exact=True):
    assert a.spike_times_ms.keys() == b.spike_times_ms.keys()
    for name in a.spike_times_ms:
        assert len(a.spike_times_ms[name]) == len(b.spike_times_ms[name])
        for x, y in zip(a.spike_times_ms[name], b.spike_times_ms[name]):
            np.testing.assert_array_equal(x, y)
    for recorded, other in ((a.v, b.v), (a.synaptic, b.synaptic)):
        assert recorded.keys() == other.keys()
        for name in recorded:
            if exact:
                np.testing.assert_array_equal(recorded[name], other[name])
            else:
                np.testing.assert_allclose(recorded[name], other[name], rtol=1e-12, atol=1e-12)


def both(net, duration_ms, **kwargs):
    return net.run(duration_ms, backend="numpy", **kwargs), net.run(duration_ms, backend="numba", **kwargs)


def ei_network(seed=0, n=300, refractory_ms=2.0, delay_ms=1.5):
    """A small version of the benchmark's E/I network, busy enough to fire a lot."""
    rng = np.random.default_rng(seed)
    n_e = int(0.8 * n)
    net = Network()
    net.add_group("e", n_e, tau_ms=20.0, refractory_ms=refractory_ms, i_ext=rng.uniform(1.0, 1.3, n_e),
                  v0=rng.uniform(0, 1, n_e))
    net.add_group("i", n - n_e, tau_ms=10.0, refractory_ms=refractory_ms, i_ext=1.1, v0=rng.uniform(0, 1, n - n_e))
    for source, weight, synapse in (("e", 0.05, Exponential(5.0)), ("i", -0.25, Exponential(10.0))):
        for target in ("e", "i"):
            w = sparse_weights(net.size(source), net.size(target), 0.1, weight, rng)
            net.connect(source, target, w, synapse=synapse, delay_ms=delay_ms)
    return net


@needs_numba
def test_ei_network_spikes_and_traces_are_identical():
    net = ei_network()
    numpy_run, numba_run = both(net, 200.0, record_v={"e": np.arange(0, 240, 7)}, record_synapses=["i->e", "e->i"])
    assert sum(c.sum() for c in (numpy_run.spike_counts("e"), numpy_run.spike_counts("i"))) > 500
    assert_same_run(numpy_run, numba_run)


@needs_numba
def test_delay_shorter_than_a_step_uses_a_one_slot_ring_buffer():
    # delay 0 between groups means one step, with a ring buffer of one slot
    net = ei_network(seed=1, delay_ms=0.0, refractory_ms=0.0)
    assert_same_run(*both(net, 100.0, record_v=["i"]))


@needs_numba
def test_per_synapse_delays_two_variable_synapses_and_inputs():
    rng = np.random.default_rng(3)
    net = Network()
    net.add_input("in", [np.sort(rng.uniform(0, 80, 30)) for _ in range(20)] + [np.array([5.0, 5.0, 5.02])])
    net.add_group("a", 50, tau_ms=15.0, refractory_ms=1.0, i_ext=0.85)
    net.add_group("b", 40, tau_ms=8.0, threshold=0.8, reset=-0.2, i_ext=np.linspace(0.0, 0.9, 40))
    w_in = sparse_weights(21, 50, 0.5, 2.0, rng)
    delays = scipy.sparse.csr_array(np.where(w_in.toarray() != 0, rng.uniform(0, 3, (21, 50)), 0.0))
    net.connect("in", "a", w_in, synapse=Alpha(2.0), delay_ms=delays)
    net.connect("in", "b", 0.3 * (rng.random((21, 40)) < 0.3))  # instantaneous, arriving at once
    net.connect("a", "b", sparse_weights(50, 40, 0.3, 0.4, rng), synapse=Biexponential(1.0, 6.0, normalise=True),
                delay_ms=rng.uniform(0.0, 4.0, (50, 40)))
    net.connect("b", "a", -0.2 * (rng.random((40, 50)) < 0.2), delay_ms=0.35)
    net.connect("a", "a", sparse_weights(50, 50, 0.2, 0.1, rng), synapse=Exponential(3.0), name="recurrent")
    numpy_run, numba_run = both(net, 100.0, record_v=["a", "b"], record_synapses={"in->a": True, "a->b": [0, 5]})
    assert numpy_run.spike_counts("a").sum() > 20 and numpy_run.spike_counts("b").sum() > 20
    assert_same_run(numpy_run, numba_run)


@needs_numba
def test_instantaneous_conductance_synapses_agree_within_rounding():
    rng = np.random.default_rng(4)
    net = Network()
    net.add_input("in", [np.sort(rng.uniform(0, 50, 40)) for _ in range(10)])
    net.add_group("a", 30, i_ext=0.7)
    net.connect("in", "a", rng.uniform(0, 0.4, (10, 30)), reversal=E_EXCITATORY)
    net.connect("a", "a", 0.3 * (rng.random((30, 30)) < 0.2), reversal=E_INHIBITORY, delay_ms=1.0)
    numpy_run, numba_run = both(net, 60.0, record_v=["a"])
    assert numpy_run.spike_counts("a").sum() > 10
    assert_same_run(numpy_run, numba_run, exact=False)


@needs_numba
def test_numba_backend_refuses_conductance_synapses_with_a_time_course():
    net = Network()
    net.add_input("in", [np.array([1.0])])
    net.add_group("a", 2)
    net.connect("in", "a", np.ones((1, 2)), synapse=Exponential(5.0), reversal=E_EXCITATORY)
    with pytest.raises(ValueError, match="conductance-based"):
        net.run(5.0, backend="numba")
    net.run(5.0, backend="auto")  # falls back to numpy


def test_unknown_backend_is_refused():
    net = Network()
    net.add_group("a", 2)
    with pytest.raises(ValueError, match="backend"):
        net.run(1.0, backend="cuda")


@needs_numba
def test_auto_uses_the_compiled_loop_only_for_large_runs(monkeypatch):
    calls = []
    import neuro4ml.models.networks.compiled_loop as compiled_loop

    real_run = compiled_loop.run
    monkeypatch.setattr(compiled_loop, "run", lambda *args: calls.append(1) or real_run(*args))
    net = ei_network(n=50)
    small = net.run(10.0)
    assert calls == []
    monkeypatch.setattr(simulator, "AUTO_NUMBA_NEURON_STEPS", 1)
    large = net.run(10.0)
    assert calls == [1]
    assert_same_run(small, large)


def test_numba_backend_without_numba_names_the_extra(monkeypatch):
    monkeypatch.setattr(simulator, "numba_available", lambda: False)
    net = Network()
    net.add_group("a", 2, i_ext=2.0)
    with pytest.raises(ImportError, match=r"neuro4ml\[fast\]"):
        net.run(1.0, backend="numba")
    monkeypatch.setattr(simulator, "AUTO_NUMBA_NEURON_STEPS", 1)
    assert net.run(10.0).spike_counts("a").sum() > 0  # auto: the numpy loop
