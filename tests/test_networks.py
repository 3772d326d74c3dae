"""Tests for neuro4ml.models.networks: the clock-driven simulator and the three model networks."""

import math

import numpy as np
import pytest
import scipy.sparse
from scipy.integrate import solve_ivp

from neuro4ml.models.networks import (
    HELD_OUT_TRIALS,
    Network,
    delay_trials,
    held_out_delay_trials,
    jeffress_best_delays_ms,
    jeffress_decode_delay_ms,
    jeffress_estimate_delay_ms,
    order_sensitive_counts,
    order_sensitive_network,
    ring_angles_rad,
    ring_attractor,
    ring_bump_angle_rad,
    score_delay_estimator,
)
from neuro4ml.models.neurons import lif
from neuro4ml.models.spikes import delayed_pair_trains
from neuro4ml.models.synapses import (
    E_EXCITATORY,
    E_INHIBITORY,
    Alpha,
    Biexponential,
    Exponential,
    Instantaneous,
    synaptic_trace,
)

NEVER = 1e9  # a threshold no neuron reaches: a passive membrane


def passive_network(synapse, weight=0.5, spike_ms=2.0, tau_ms=10.0, delay_ms=0.0, reversal=None):
    net = Network()
    net.add_input("in", [spike_ms])
    net.add_group("post", 1, tau_ms=tau_ms, threshold=NEVER)
    net.connect("in", "post", [[weight]], synapse=synapse, delay_ms=delay_ms, reversal=reversal, name="syn")
    return net


# ---------------------------------------------------------------------------
# Neurons: agreement with neurons.lif
# ---------------------------------------------------------------------------


def test_constant_input_matches_neurons_lif_exactly():
    i_ext = np.array([1.5, 1.2, 0.8, 3.0])
    net = Network()
    net.add_group("g", 4, tau_ms=12.0, threshold=1.0, reset=0.1, i_ext=i_ext, v0=[0.0, 0.5, 0.2, 0.9])
    run = net.run(300.0, dt_ms=0.1, record_v=["g"])
    reference = lif(np.repeat(i_ext[:, None], 3000, axis=1), tau_ms=12.0, dt_ms=0.1, threshold=1.0,
                    reset=0.1, v0=[0.0, 0.5, 0.2, 0.9])
    assert np.array_equal(run.v["g"], reference.v)
    for mine, theirs in zip(run.spike_times_ms["g"], reference.spike_times_ms):
        assert np.array_equal(mine, theirs)
    assert run.spike_counts("g")[2] == 0 and run.spike_counts("g")[3] > 0


def test_refractory_period_lengthens_intervals_by_its_duration():
    tau, i_ext, dt = 10.0, 2.0, 0.01
    net = Network()
    net.add_group("g", 1, tau_ms=tau, i_ext=i_ext, refractory_ms=4.0)
    intervals = np.diff(net.run(200.0, dt_ms=dt).spike_times_ms["g"][0])
    free_interval = tau * math.log(i_ext / (i_ext - 1.0))  # from reset 0 to threshold 1
    assert np.allclose(intervals, 4.0 + free_interval, atol=dt)


@pytest.mark.parametrize("refractory_ms", [0.0, 0.5, 2.0, 2.05])
def test_refractory_interval_is_the_free_interval_on_the_grid_plus_the_hold(refractory_ms):
    # V is clamped for refractory_ms (rounded up to whole steps) after each spike, then
    # climbs from reset to threshold as in continuous time; the threshold is checked at
    # grid points, so the climb takes ceil(T_free / dt) steps. (Brian2 2.9 gives one step
    # less for the same parameters: see the simulator's docstring.)
    tau, i_ext, dt = 10.0, 3.0, 0.1
    net = Network()
    net.add_group("g", 1, tau_ms=tau, i_ext=i_ext, refractory_ms=refractory_ms)
    intervals = np.diff(net.run(40.0, dt_ms=dt).spike_times_ms["g"][0])
    free_steps = math.ceil(tau * math.log(i_ext / (i_ext - 1.0)) / dt)  # 4.05 ms -> 41 steps
    hold_steps = math.ceil(refractory_ms / dt - 1e-9)
    assert intervals.size >= 3
    assert np.allclose(intervals, (free_steps + hold_steps) * dt)


def test_network_runs_are_repeatable_and_start_from_the_declared_state():
    net = Network()
    net.add_group("g", 3, i_ext=1.3, v0=[0.0, 0.3, 0.6])
    first, second = net.run(50.0), net.run(50.0)
    assert all(np.array_equal(a, b) for a, b in zip(first.spike_times_ms["g"], second.spike_times_ms["g"]))
    assert first.rates_hz("g").shape == (3,)


# ---------------------------------------------------------------------------
# Synapses inside the network
# ---------------------------------------------------------------------------


def test_exponential_current_synapse_psp_is_exact():
    # tau_m dV/dt = -V + I, I = w exp(-t/tau_s): V = w tau_s/(tau_s - tau_m)(e^{-t/tau_s} - e^{-t/tau_m})
    w, tau_m, tau_s, dt = 0.5, 10.0, 3.0, 0.25
    run = passive_network(Exponential(tau_s), weight=w, spike_ms=2.0, tau_ms=tau_m).run(
        60.0, dt_ms=dt, record_v=["post"], record_synapses=["syn"])
    t = run.t_ms - 2.0
    after = t >= 0
    psp = w * tau_s / (tau_s - tau_m) * (np.exp(-t[after] / tau_s) - np.exp(-t[after] / tau_m))
    assert np.allclose(run.v["post"][0, after], psp, rtol=1e-10, atol=1e-14)
    assert np.all(run.v["post"][0, ~after] == 0.0)
    assert np.allclose(run.synaptic["syn"][0, after], w * np.exp(-t[after] / tau_s))


@pytest.mark.parametrize("synapse", [Alpha(2.0), Biexponential(1.0, 5.0, normalise=True), Alpha(10.0)], ids=repr)
def test_two_variable_synapse_psp_matches_an_accurate_ode_solver(synapse):
    w, tau_m, dt = 0.8, 10.0, 0.5
    run = passive_network(synapse, weight=w, spike_ms=0.0, tau_ms=tau_m).run(50.0, dt_ms=dt, record_v=["post"])
    a = synapse.matrix()

    def rhs(_, y):
        return np.concatenate([a @ y[:2], [(y[1] - y[2]) / tau_m]])

    y0 = np.concatenate([w * synapse.jump(), [0.0]])
    solution = solve_ivp(rhs, (0, 50.0 - dt), y0, t_eval=run.t_ms, rtol=1e-11, atol=1e-13, method="DOP853")
    assert np.allclose(run.v["post"][0], solution.y[2], atol=1e-9)


def test_instantaneous_current_synapse_is_a_jump_in_v():
    run = passive_network(Instantaneous(), weight=0.3, spike_ms=5.0).run(20.0, dt_ms=0.1, record_v=["post"])
    v = run.v["post"][0]
    assert v[49] == 0.0 and v[50] == pytest.approx(0.3)
    assert v[60] == pytest.approx(0.3 * math.exp(-1.0 / 10.0))


@pytest.mark.parametrize("delay_ms", [0.0, 0.1, 3.7, 12.0])
def test_delayed_input_arrives_exactly_delay_later(delay_ms):
    dt = 0.1
    run = passive_network(Exponential(5.0), weight=0.5, spike_ms=4.0, delay_ms=delay_ms).run(
        30.0, dt_ms=dt, record_synapses=["syn"])
    s = run.synaptic["syn"][0]
    arrival = round((4.0 + delay_ms) / dt)
    assert np.all(s[:arrival] == 0.0) and s[arrival] == 0.5


@pytest.mark.parametrize("delay_ms, expected_ms", [(0.0, 0.1), (0.1, 0.1), (2.5, 2.5)])
def test_delayed_connection_between_neurons(delay_ms, expected_ms):
    # between neurons a spike takes at least one step (0.1 ms) to arrive
    dt = 0.1
    net = Network()
    net.add_group("a", 1, i_ext=1.5)  # fires regularly
    net.add_group("b", 1, threshold=NEVER)
    net.connect("a", "b", [[0.2]], delay_ms=delay_ms)
    run = net.run(40.0, dt_ms=dt, record_v=["b"])
    first_spike = run.spike_times_ms["a"][0][0]
    v = run.v["b"][0]
    arrival = round((first_spike + expected_ms) / dt)
    assert np.all(v[:arrival] == 0.0) and v[arrival] == pytest.approx(0.2)


def test_an_arriving_spike_that_crosses_threshold_fires_at_once():
    net = Network()
    net.add_input("in", [[3.0]])
    net.add_group("out", 1, v0=0.0, tau_ms=1.0)
    net.connect("in", "out", [[1.05]], delay_ms=2.0)
    run = net.run(10.0, dt_ms=0.5)
    assert np.array_equal(run.spike_times_ms["out"][0], [5.0])


def test_per_synapse_delays_dense_and_sparse_agree():
    delays = np.array([[1.0, 2.0, 0.0], [0.0, 3.0, 4.0]])
    weights = np.array([[0.1, 0.2, 0.0], [0.0, 0.3, 0.4]])
    runs = []
    for w, d in [(weights, delays), (scipy.sparse.csr_array(weights), scipy.sparse.csr_array(delays)),
                 (scipy.sparse.coo_matrix(weights), delays)]:
        net = Network()
        net.add_input("in", [[1.0], [1.0]])
        net.add_group("out", 3, threshold=NEVER)
        net.connect("in", "out", w, delay_ms=d, synapse=Exponential(5.0), name="syn")
        runs.append(net.run(10.0, dt_ms=0.1, record_synapses=["syn"]).synaptic["syn"])
    s = runs[0]
    assert np.argmax(s[0] > 0) == 20 and s[0, 20] == pytest.approx(0.1)
    assert np.argmax(s[1] > 0) == 30 and s[1, 30] == pytest.approx(0.2)
    assert s[1, 40] == pytest.approx(0.2 * math.exp(-1 / 5) + 0.3)
    assert np.argmax(s[2] > 0) == 50 and s[2, 50] == pytest.approx(0.4)
    assert all(np.array_equal(s, other) for other in runs[1:])


def test_two_spikes_in_one_step_both_count():
    net = Network()
    net.add_input("in", [[0.91, 0.95, 1.0]])  # all in (0.9, 1.0]: delivered at 1.0 ms
    net.add_group("out", 1, threshold=NEVER)
    net.connect("in", "out", [[0.25]])
    run = net.run(5.0, dt_ms=0.1, record_v=["out"])
    assert run.v["out"][0, 9] == 0.0
    assert run.v["out"][0, 10] == pytest.approx(0.75)
    assert np.allclose(run.spike_times_ms["in"][0], [1.0, 1.0, 1.0])


# ---------------------------------------------------------------------------
# The time grid: a spike acts at the first grid time at or after it
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("spike_ms, step", [(0.0, 0), (0.05, 1), (0.1, 1), (0.1 + 1e-12, 1), (0.15, 2), (0.25, 3)])
def test_an_input_spike_never_acts_before_it_happens(spike_ms, step):
    dt = 0.1
    net = Network()
    net.add_input("in", [[spike_ms]])
    net.add_group("out", 1, threshold=NEVER, tau_ms=1e6)
    net.connect("in", "out", [[0.5]])
    run = net.run(1.0, dt_ms=dt, record_v=["out"])
    v = run.v["out"][0]
    first = int(np.argmax(v > 0))
    assert first == step and first * dt >= spike_ms - 1e-9 and (first - 1) * dt < spike_ms
    assert run.spike_times_ms["in"][0] == pytest.approx([step * dt])


@pytest.mark.parametrize("delay_ms, steps", [(0.0, 0), (0.04, 1), (0.1, 1), (0.25, 3), (0.35, 4)])
def test_a_delayed_spike_arrives_at_the_first_step_at_or_after_its_arrival_time(delay_ms, steps):
    net = Network()
    net.add_input("in", [[1.0]])
    net.add_group("out", 1, threshold=NEVER, tau_ms=1e6)
    net.connect("in", "out", [[0.5]], delay_ms=delay_ms)
    v = net.run(3.0, dt_ms=0.1, record_v=["out"]).v["out"][0]
    assert int(np.argmax(v > 0)) == 10 + steps


def test_network_and_synaptic_trace_put_off_grid_spikes_on_the_same_step():
    rng = np.random.default_rng(3)
    times = np.sort(rng.uniform(0.0, 20.0, 15))
    synapse = Exponential(2.0)
    net = Network()
    net.add_input("in", [times])
    net.add_group("out", 1, threshold=NEVER)
    net.connect("in", "out", [[1.0]], synapse=synapse, name="syn")
    run = net.run(25.0, dt_ms=0.1, record_synapses=["syn"])
    trace = synaptic_trace(times, synapse, duration_ms=25.0, dt_ms=0.1)
    jumps_net = np.flatnonzero(np.diff(run.synaptic["syn"][0]) > 0) + 1
    jumps_trace = np.flatnonzero(np.diff(trace) > 0) + 1
    expected = np.unique(np.ceil(times / 0.1 - 1e-9)).astype(int)  # first grid point at or after each spike
    assert np.array_equal(jumps_net, expected) and np.array_equal(jumps_trace, expected)


def test_inhibition_lowers_the_target_rate():
    rates = []
    for w in (0.0, -0.05, -0.2):
        net = Network()
        net.add_input("inh", [np.arange(0.0, 1000.0, 5.0)])
        net.add_group("target", 1, i_ext=1.5)
        net.connect("inh", "target", [[w]], synapse=Exponential(10.0))
        rates.append(net.run(1000.0).rates_hz("target")[0])
    assert rates[0] > rates[1] > rates[2]


def _conductance_network_run(dt_ms, synapse_e, synapse_i, spikes_e, spikes_i, weights, tau_ms, i_ext):
    net = Network()
    net.add_input("e", [spikes_e])
    net.add_input("i", [spikes_i])
    net.add_group("post", 1, tau_ms=tau_ms, threshold=NEVER, i_ext=i_ext)
    net.connect("e", "post", [[weights[0]]], synapse=synapse_e, reversal=E_EXCITATORY)
    net.connect("i", "post", [[weights[1]]], synapse=synapse_i, reversal=E_INHIBITORY)
    return net.run(100.0, dt_ms=dt_ms, record_v=["post"])


# The conductance path is an exponential-Euler step with step-averaged conductances:
# second order, so halving dt divides the error by about 4 (measured 4.0). Measured
# errors at dt = 0.1 ms: 2.0e-5 (exponential synapses), 6.1e-6 (alpha), for V ranging
# over about 0.5; tolerances 5e-5 at 0.1 ms and a ratio in (3.5, 4.5).
@pytest.mark.parametrize(
    "synapse_e, synapse_i", [(Exponential(3.0), Exponential(8.0)), (Alpha(2.0), Alpha(5.0))], ids=repr
)
def test_conductance_synapses_match_the_membrane_ode_solved_by_solve_ivp(synapse_e, synapse_i):
    spikes_e, spikes_i = np.arange(5.0, 80.0, 7.0), np.arange(9.0, 80.0, 11.0)
    weights, tau_ms, i_ext = (0.4, 0.6), 10.0, 0.3

    def conductance(spikes, weight, synapse):  # superposed closed-form kernels
        return lambda t: weight * float(np.sum(synapse.kernel(t - spikes[spikes <= t])))

    g_e, g_i = conductance(spikes_e, weights[0], synapse_e), conductance(spikes_i, weights[1], synapse_i)

    def rhs(t, y):
        v = y[0]
        return [(i_ext - v + g_e(t) * (E_EXCITATORY - v) + g_i(t) * (E_INHIBITORY - v)) / tau_ms]

    errors = []
    for dt_ms in (0.1, 0.05):
        run = _conductance_network_run(dt_ms, synapse_e, synapse_i, spikes_e, spikes_i, weights, tau_ms, i_ext)
        t_ms, v = run.t_ms, run.v["post"][0]
        expected = np.empty_like(v)
        breaks = np.unique(np.r_[0.0, spikes_e, spikes_i, 100.0])  # g jumps at the spikes
        state = [0.0]
        for start, stop in zip(breaks[:-1], breaks[1:]):
            inside = (t_ms >= start) & (t_ms < stop)
            piece = solve_ivp(rhs, (start, stop), state, t_eval=np.r_[t_ms[inside], stop],
                              method="DOP853", rtol=1e-11, atol=1e-13)
            expected[inside], state = piece.y[0, :-1], piece.y[:, -1]
        errors.append(float(np.max(np.abs(v - expected))))
    assert errors[0] < 5e-5
    assert 3.5 < errors[0] / errors[1] < 4.5


@pytest.mark.parametrize("e_rev", [E_EXCITATORY, E_INHIBITORY])
def test_conductance_synapse_drives_v_to_e_rev_and_never_past_it(e_rev):
    net = Network()
    net.add_input("in", [np.arange(0.0, 100.0, 1.0)])
    net.add_group("post", 1, threshold=NEVER, v0=0.5)
    net.connect("in", "post", [[5.0]], synapse=Exponential(5.0), reversal=e_rev, name="syn")
    run = net.run(200.0, dt_ms=0.1, record_v=["post"], record_synapses=["syn"])
    v, g = run.v["post"][0], run.synaptic["syn"][0]
    assert np.all(np.sign(e_rev - 0.5) * (e_rev - v) >= 0)  # never past the reversal potential
    # with a large conductance V sits near g E / (1 + g), the mean of rest (0) and E weighted by g
    assert g[990] > 20
    assert v[990] == pytest.approx(g[990] * e_rev / (1 + g[990]), rel=0.01)
    assert abs(v[-1]) < 0.01


def test_instantaneous_conductance_moves_v_a_fraction_of_the_way():
    run = passive_network(Instantaneous(), weight=0.7, spike_ms=1.0, reversal=E_EXCITATORY).run(
        3.0, dt_ms=0.1, record_v=["post"])
    assert run.v["post"][0, 10] == pytest.approx((1 - math.exp(-0.7)) * E_EXCITATORY)


def test_conductance_and_current_synapses_combine():
    net = Network()
    net.add_input("in", [[1.0]])
    net.add_group("post", 1, threshold=NEVER)
    net.connect("in", "post", [[0.1]], synapse=Exponential(5.0), reversal=E_INHIBITORY, name="g")
    net.connect("in", "post", [[1.0]], synapse=Exponential(5.0), name="i")
    v = net.run(30.0, dt_ms=0.1, record_v=["post"]).v["post"][0]
    # the shunting inhibition pulls the depolarisation below the current-only response
    only_current = passive_network(Exponential(5.0), weight=1.0, spike_ms=1.0).run(30.0, record_v=["post"])
    assert 0 < v.max() < only_current.v["post"][0].max()


def test_dense_and_sparse_weights_give_identical_networks():
    rng = np.random.default_rng(3)
    weights = (rng.random((50, 50)) < 0.1) * rng.normal(0.0, 0.3, (50, 50))
    results = []
    for w in (weights, scipy.sparse.csr_matrix(weights)):
        net = Network()
        net.add_group("g", 50, i_ext=np.linspace(0.9, 1.3, 50), refractory_ms=2.0)
        net.connect("g", "g", w, synapse=Exponential(5.0), delay_ms=1.0)
        results.append(net.run(200.0).spike_times_ms["g"])
    assert all(np.array_equal(a, b) for a, b in zip(*results))
    assert sum(train.size for train in results[0]) > 100


def test_recording_chosen_neurons():
    net = Network()
    net.add_group("g", 5, i_ext=np.linspace(0.5, 2.0, 5))
    run = net.run(10.0, record_v={"g": [4, 1]})
    assert run.v["g"].shape == (2, 100)
    assert np.array_equal(run.v_neurons["g"], [4, 1])
    full = net.run(10.0, record_v="g")
    assert np.array_equal(run.v["g"], full.v["g"][[4, 1]])


def test_input_checks():
    net = Network()
    net.add_group("g", 2)
    net.add_input("in", [[1.0], [2.0]])
    with pytest.raises(ValueError, match="already exists"):
        net.add_group("in", 3)
    with pytest.raises(ValueError, match="shaped"):
        net.connect("in", "g", np.ones((3, 2)))
    with pytest.raises(ValueError, match="must end on a group"):
        net.connect("g", "in", np.ones((2, 2)))
    with pytest.raises(ValueError, match="unknown source"):
        net.connect("nope", "g", np.ones((2, 2)))
    with pytest.raises(ValueError, match=">= 0"):
        net.connect("in", "g", -np.ones((2, 2)), synapse=Exponential(), reversal=E_EXCITATORY)
    with pytest.raises(ValueError, match="delay_ms"):
        net.connect("in", "g", np.ones((2, 2)), delay_ms=-1.0)
    with pytest.raises(TypeError, match="synapse"):
        net.connect("in", "g", np.ones((2, 2)), synapse="exponential")
    net.connect("in", "g", np.ones((2, 2)))
    with pytest.raises(ValueError, match="already exists"):
        net.connect("in", "g", np.ones((2, 2)))
    with pytest.raises(ValueError, match="negative"):
        net.add_input("bad", [-1.0])
    with pytest.raises(ValueError, match="threshold"):
        net.add_group("h", 1, threshold=0.0, reset=0.0)
    with pytest.raises(ValueError, match="cannot record"):
        net.run(10.0, record_v=["in"])
    with pytest.raises(ValueError, match="cannot record"):
        net.run(10.0, record_synapses=["in->g"])  # instantaneous: nothing to record
    with pytest.raises(ValueError, match="multiple"):
        net.run(10.05, dt_ms=0.1)


# ---------------------------------------------------------------------------
# Model networks
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_order_sensitive_network_prefers_the_leading_input(seed):
    for delay_ms in (-10.0, -6.0, -2.5, -0.5, 0.5, 2.5, 6.0, 10.0):
        counts = order_sensitive_counts(delay_ms, rng=seed)
        winner = 0 if delay_ms > 0 else 1
        assert counts[winner] > counts[1 - winner] + 5, (delay_ms, counts)


def test_order_sensitive_network_silences_the_loser_for_moderate_delays():
    pair = delayed_pair_trains(100.0, 500.0, 4.0, rng=11)
    run = order_sensitive_network(pair).run(500.0)
    assert run.spike_counts("output")[1] == 0
    assert run.spike_counts("output")[0] == pair[0].size


@pytest.mark.parametrize("true_delay_ms", [-9.0, -4.3, -0.6, 0.0, 2.0, 3.5, 7.8])
def test_jeffress_estimate_is_within_one_delay_step(true_delay_ms):
    pair = delayed_pair_trains(100.0, 500.0, true_delay_ms, rng=int(10 * abs(true_delay_ms)))
    estimate = jeffress_estimate_delay_ms(pair, duration_ms=500.0, max_delay_ms=10.0, n_outputs=21)
    step = 1.0
    assert abs(estimate - true_delay_ms) <= step


def test_jeffress_decoder_and_best_delays():
    best = jeffress_best_delays_ms(2.0, 5)
    assert np.allclose(best, [-2, -1, 0, 1, 2])
    assert jeffress_decode_delay_ms([0, 3, 9, 1, 0], best) == 0.0
    assert jeffress_decode_delay_ms([0, 9, 9, 1, 0], best) == -0.5
    with pytest.raises(ValueError, match="same length"):
        jeffress_decode_delay_ms([1, 2], best)


def _angle_difference(a, b):
    return abs(np.angle(np.exp(1j * (a - b))))


@pytest.mark.parametrize("cue_angle_rad", [0.0, 2.0, -2.5])
def test_ring_attractor_holds_a_bump_at_the_cued_angle(cue_angle_rad):
    run = ring_attractor(cue_angle_rad=cue_angle_rad, rng=1).run(800.0)
    trains = run.spike_times_ms["ring"]
    late = np.array([np.count_nonzero((t >= 500) & (t < 800)) for t in trains]) / 0.3  # Hz
    assert late.max() > 30  # the bump is still there 400 ms after the cue ended
    angles = ring_angles_rad(len(trains))
    far = _angle_difference(angles, cue_angle_rad) > np.pi / 2
    assert np.all(late[far] == 0)  # and it stays localised
    decoded = ring_bump_angle_rad(trains, start_ms=500, stop_ms=800)
    assert _angle_difference(decoded, cue_angle_rad) < 0.2


def test_ring_without_recurrent_excitation_forgets_the_cue():
    run = ring_attractor(excitation=0.0, inhibition=0.0, rng=1).run(600.0)
    assert math.isnan(ring_bump_angle_rad(run.spike_times_ms["ring"], start_ms=400, stop_ms=600))
    assert sum(t.size for t in run.spike_times_ms["ring"]) > 0  # the cue itself did drive it


# ---------------------------------------------------------------------------
# The delay-estimation task
# ---------------------------------------------------------------------------


def test_the_held_out_trials_are_not_the_practice_trials():
    held_out = held_out_delay_trials()
    practice = delay_trials(5)
    assert len(held_out) == HELD_OUT_TRIALS
    assert [t.delay_ms for t in delay_trials(5)] == [t.delay_ms for t in practice]  # seeded
    assert not {t.delay_ms for t in held_out} & {t.delay_ms for t in practice}


def test_delay_score_is_the_mean_absolute_error_on_the_held_out_trials():
    truth = np.array([t.delay_ms for t in held_out_delay_trials()])
    assert score_delay_estimator(lambda pair, duration_ms: 0.0) == pytest.approx(np.mean(np.abs(truth)))
    assert score_delay_estimator(lambda pair, duration_ms: 1.0) == pytest.approx(np.mean(np.abs(truth - 1.0)))
