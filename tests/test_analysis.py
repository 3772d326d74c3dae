"""neuro4ml.analysis against independent references: sklearn, numpy's eigendecomposition, scipy, analytic values."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from neuro4ml import analysis
from neuro4ml.analysis import glm


# ---------------------------------------------------------------------------
# Tuning curves and selectivity
# ---------------------------------------------------------------------------


def _gaussian_responses(n_per_condition, means, sd, seed):
    rng = np.random.default_rng(seed)
    conditions = np.repeat(np.arange(len(means)), n_per_condition)
    r = np.asarray(means)[conditions] + sd * rng.standard_normal((conditions.size, np.shape(means)[1]))
    return r, conditions


def test_tuning_curves_means_and_t_interval_match_scipy():
    means = np.array([[1.0, 5.0], [2.0, 4.0], [3.0, 3.0]])
    r, c = _gaussian_responses(10, means, 1.0, seed=0)
    curves = analysis.tuning_curves(r, c, confidence=0.9)
    np.testing.assert_array_equal(curves.conditions, [0, 1, 2])
    np.testing.assert_array_equal(curves.n_trials, [10, 10, 10])
    for k in range(3):
        for u in range(2):
            group = r[c == k, u]
            low, high = stats.t.interval(0.9, len(group) - 1, loc=group.mean(), scale=stats.sem(group))
            assert curves.mean[k, u] == pytest.approx(group.mean())
            assert (curves.low[k, u], curves.high[k, u]) == pytest.approx((low, high))


def test_tuning_curve_intervals_cover_the_true_mean_at_their_confidence():
    """Over many simulated experiments, the 95% intervals (t and bootstrap) contain the true mean about 95% of the time."""
    means = np.array([[2.0], [4.0]])
    covered = {"t": 0, "bootstrap": 0}
    n_experiments = 300
    for seed in range(n_experiments):
        r, c = _gaussian_responses(30, means, 1.5, seed=seed)
        for method in covered:
            curves = analysis.tuning_curves(r, c, method=method, n_bootstrap=400, seed=seed)
            covered[method] += int(np.all((curves.low <= means) & (means <= curves.high)))
    # Both conditions covered: 0.95^2 = 0.9025 (the bootstrap's percentile interval is slightly narrow).
    assert covered["t"] / n_experiments == pytest.approx(0.9025, abs=0.05)
    assert covered["bootstrap"] / n_experiments == pytest.approx(0.89, abs=0.06)


def test_tuning_curves_average_spikes_over_time_and_bootstrap_is_seeded():
    rng = np.random.default_rng(1)
    spikes = (rng.random((40, 25, 3)) < 0.1).astype(float)
    c = np.tile([0, 1], 20)
    a = analysis.tuning_curves(spikes, c, method="bootstrap", seed=4)
    b = analysis.tuning_curves(spikes.sum(axis=1) / 25, c, method="bootstrap", seed=4)
    np.testing.assert_allclose(a.low, b.low)
    np.testing.assert_allclose(a.mean[1], spikes[c == 1].sum(axis=(0, 1)) / (20 * 25))  # spikes per bin
    assert not np.array_equal(a.low, analysis.tuning_curves(spikes, c, method="bootstrap", seed=5).low)


def test_class_selectivity_index_of_hand_made_units():
    tuning = np.array([
        [4.0, 1.0, 0.0, 2.0],
        [0.0, 1.0, 0.0, 2.0],
        [0.0, 1.0, 0.0, 1.0],
    ])
    # unit 0 answers one class only: 1; unit 1 all equally: 0; unit 2 silent: 0;
    # unit 3: (2 - 1.5) / (2 + 1.5) = 1/7.
    np.testing.assert_allclose(analysis.class_selectivity(tuning), [1.0, 0.0, 0.0, 1 / 7])
    with pytest.raises(ValueError, match="non-negative"):
        analysis.class_selectivity(-tuning)


# ---------------------------------------------------------------------------
# Spike-triggered average
# ---------------------------------------------------------------------------


def test_spike_triggered_average_is_the_mean_window_before_each_spike():
    """Against a loop over the spikes: each spike adds the stimulus window before it (zeros before t = 0)."""
    rng = np.random.default_rng(2)
    stimulus = rng.standard_normal((3, 80, 2))
    counts = rng.poisson(0.3, (3, 80, 1))
    n_lags = 6
    total, windows = 0, np.zeros((n_lags, 2))
    for m in range(3):
        padded = np.concatenate([np.zeros((n_lags, 2)), stimulus[m]])
        for t in range(80):
            for _ in range(counts[m, t, 0]):
                windows += padded[n_lags + t - np.arange(n_lags)]
                total += 1
    got = analysis.spike_triggered_average(stimulus, counts, n_lags)
    assert got.shape == (1, n_lags, 2)
    np.testing.assert_allclose(got[0], windows / total)
    # the single-train version in glm is the same computation for one trial and one channel
    np.testing.assert_allclose(glm.spike_triggered_average(stimulus[0, :, 0], counts[0, :, 0], n_lags),
                               analysis.spike_triggered_average(stimulus[:1, :, :1], counts[:1], n_lags)[0, :, 0])


def test_spike_triggered_average_pools_trials_and_finds_the_driving_channel():
    """Unit u fires 2 bins after each spike of input channel u: its STA is 1 on that channel at lag 2."""
    rng = np.random.default_rng(3)
    inputs = (rng.random((20, 60, 3)) < 0.1).astype(float)
    spikes = np.zeros((20, 60, 2))
    spikes[:, 2:, 0] = inputs[:, :-2, 0]
    spikes[:, 2:, 1] = inputs[:, :-2, 2]
    sta = analysis.spike_triggered_average(inputs, spikes, 4)
    assert sta.shape == (2, 4, 3)
    assert sta[0, 2, 0] == 1.0 and sta[1, 2, 2] == 1.0
    assert sta[0, 2, 1] < 0.3 and sta[0, 0, 0] < 0.3
    silent = analysis.spike_triggered_average(inputs, np.zeros((20, 60, 1)), 2)
    assert np.isnan(silent).all()


# ---------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------


def _classes(n_trials, n_units, n_classes, separation, seed):
    rng = np.random.default_rng(seed)
    y = np.arange(n_trials) % n_classes
    centres = separation * rng.standard_normal((n_classes, n_units))
    return centres[y] + rng.standard_normal((n_trials, n_units)), y


@pytest.mark.parametrize("seed, n_classes", [(0, 2), (3, 4)])
def test_decoding_equals_sklearn_cross_val_score(seed, n_classes):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    X, y = _classes(120, 8, n_classes, 0.5, seed=seed)
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    expected = cross_val_score(LogisticRegression(max_iter=1000), X, y, cv=folds)
    np.testing.assert_allclose(analysis.fold_accuracies(X, y, seed=seed, solver="lbfgs"), expected)
    assert analysis.decoding_accuracy(X, y, seed=seed, solver="lbfgs") == pytest.approx(expected.mean())
    assert analysis.decoding_accuracy(X, y, seed=seed + 1, solver="lbfgs") != pytest.approx(expected.mean())
    # the faster default solver minimises the same loss: at most a near-tied trial per fold differs
    fast = analysis.fold_accuracies(X, y, seed=seed)
    assert np.all(np.abs(fast - expected) <= 1 / 24 + 1e-12)
    np.testing.assert_allclose(fast, cross_val_score(LogisticRegression(solver="newton-cg", max_iter=1000), X, y, cv=folds))


def test_decoding_separable_classes_is_perfect():
    X, y = _classes(100, 10, 3, 5.0, seed=1)
    assert analysis.decoding_accuracy(X, y) == 1.0


@pytest.mark.parametrize("n_classes", [2, 3, 6])
def test_decoding_pure_noise_sits_at_chance(n_classes):
    """Noise carries no information: the accuracy and the shuffled chance level are both 1/n_classes."""
    rng = np.random.default_rng(n_classes)
    X = rng.standard_normal((600, 10))
    y = np.arange(600) % n_classes
    result = analysis.decode(X, y, n_shuffles=20, seed=1)
    sd_one = np.sqrt((1 / n_classes) * (1 - 1 / n_classes) / 600)  # binomial sd of one accuracy
    assert result.accuracy == pytest.approx(1 / n_classes, abs=4 * sd_one)
    assert result.chance == pytest.approx(1 / n_classes, abs=4 * sd_one / np.sqrt(20) + 0.01)
    assert result.shuffled.shape == (20,) and result.fold_accuracies.shape == (5,)
    assert result.p_value > 0.01


def test_decoding_signal_beats_the_shuffled_distribution():
    X, y = _classes(200, 10, 4, 0.6, seed=2)
    result = analysis.decode(X, y, n_shuffles=19, seed=0)
    assert result.accuracy > result.shuffled.max()
    assert result.p_value == pytest.approx(1 / 20)
    np.testing.assert_array_equal(result.shuffled, analysis.shuffled_accuracies(X, y, n_shuffles=19, seed=0))


def test_decoding_rejects_too_few_trials_per_class():
    X, y = _classes(12, 3, 3, 1.0, seed=0)
    with pytest.raises(ValueError, match="at least n_folds=5 trials"):
        analysis.decoding_accuracy(X, y)
    with pytest.raises(ValueError, match="one value per trial"):
        analysis.decoding_accuracy(X, y[:-1], n_folds=2)


# ---------------------------------------------------------------------------
# Dimensionality
# ---------------------------------------------------------------------------


def test_pca_matches_the_eigendecomposition_of_the_covariance():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((200, 6)) @ rng.standard_normal((6, 6))
    result = analysis.pca(X)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(X, rowvar=False))
    order = np.argsort(eigenvalues)[::-1]
    np.testing.assert_allclose(result.explained_variance, eigenvalues[order], rtol=1e-10)
    np.testing.assert_allclose(result.explained_variance_ratio.sum(), 1.0)
    # Components agree up to sign.
    np.testing.assert_allclose(np.abs(np.sum(result.components * eigenvectors[:, order].T, axis=1)), 1.0, rtol=1e-8)
    projected = result.project(X, 2)
    np.testing.assert_allclose(projected.var(axis=0, ddof=1), eigenvalues[order][:2], rtol=1e-10)


def test_pca_matches_numpy_svd_of_centred_data():
    rng = np.random.default_rng(6)
    X = rng.poisson(3.0, (50, 8)).astype(float)
    s = np.linalg.svd(X - X.mean(0), compute_uv=False)
    np.testing.assert_allclose(analysis.pca(X).explained_variance, s**2 / 49)


def test_participation_ratio_of_low_rank_plus_noise_matches_the_analytic_value():
    """Covariance A^T diag(a^2) A + sigma^2 I has eigenvalues a_i^2 + sigma^2 (k of them) and sigma^2 (N - k)."""
    rng = np.random.default_rng(7)
    n_units, amplitudes, sigma = 40, np.array([3.0, 2.0, 1.5]), 0.5
    basis, _ = np.linalg.qr(rng.standard_normal((n_units, 3)))  # orthonormal columns
    latents = rng.standard_normal((20_000, 3)) * amplitudes
    X = latents @ basis.T + sigma * rng.standard_normal((20_000, n_units))
    eigenvalues = np.concatenate([amplitudes**2 + sigma**2, np.full(n_units - 3, sigma**2)])
    analytic = eigenvalues.sum() ** 2 / np.sum(eigenvalues**2)
    assert analysis.participation_ratio(X) == pytest.approx(analytic, rel=0.03)
    assert 3 < analytic < 10


def test_participation_ratio_limits():
    rng = np.random.default_rng(8)
    one_direction = rng.standard_normal((100, 1)) @ rng.standard_normal((1, 5))
    assert analysis.participation_ratio(one_direction) == pytest.approx(1.0)
    isotropic = rng.standard_normal((50_000, 5))
    assert analysis.participation_ratio(isotropic) == pytest.approx(5.0, rel=0.01)
    with pytest.raises(ValueError, match="vary"):
        analysis.participation_ratio(np.ones((10, 3)))


# ---------------------------------------------------------------------------
# RSA
# ---------------------------------------------------------------------------


def test_rdm_and_its_comparison_on_a_hand_made_case():
    patterns = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [3.0, 2.0, 1.0], [1.0, 3.0, 2.0]])
    # Two noiseless trials per condition, conditions given out of order.
    conditions = np.array([2, 0, 1, 3, 0, 1, 2, 3])
    activity = patterns[conditions]
    d = analysis.rdm(activity, conditions)
    # 0 and 1 are proportional (r = 1), 0 and 2 reversed (r = -1), 0 and 3 have r = 0.5.
    assert d.shape == (4, 4)
    np.testing.assert_allclose(np.diag(d), 0.0, atol=1e-12)
    assert d[0, 1] == pytest.approx(0.0, abs=1e-12) and d[0, 2] == pytest.approx(2.0) and d[0, 3] == pytest.approx(0.5)
    np.testing.assert_allclose(d, d.T)
    # A monotonic transform keeps the ranks, so Spearman's rho is 1; reversing the ranks gives -1.
    assert analysis.compare_rdms(d, d**3 + 1) == pytest.approx(1.0)
    assert analysis.compare_rdms(d, 3 - d) == pytest.approx(-1.0)
    expected = stats.spearmanr([1, 2, 3, 4, 5, 6], [2, 1, 3, 4, 6, 5]).statistic
    a = np.zeros((4, 4))
    b = np.zeros((4, 4))
    a[np.triu_indices(4, 1)] = [1, 2, 3, 4, 5, 6]
    b[np.triu_indices(4, 1)] = [2, 1, 3, 4, 6, 5]
    assert analysis.compare_rdms(a, b) == pytest.approx(expected)


def test_condition_means():
    values, means = analysis.condition_means([[1.0], [3.0], [10.0]], ["b", "b", "a"])
    assert values.tolist() == ["a", "b"]
    np.testing.assert_allclose(means, [[10.0], [2.0]])


# ---------------------------------------------------------------------------
# Ablations of a spiking network
# ---------------------------------------------------------------------------


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
    assert analysis.ablation_accuracy(model, data.x, data.y, []) == baseline
    copy = analysis.ablated(model, [])
    np.testing.assert_array_equal(snn.predict(copy, data.x), snn.predict(model, data.x))
    assert baseline > 0.4  # chance is 1/12


def test_ablating_every_hidden_unit_gives_chance(network_and_data):
    """With no hidden spikes every logit is 0, so the network always answers class 0: accuracy = its frequency."""
    from neuro4ml.learning import snn

    model, data = network_and_data
    silent = analysis.ablated(model, np.arange(64))
    assert np.all(snn.predict(silent, data.x) == 0)
    assert analysis.ablation_accuracy(model, data.x, data.y, range(64)) == pytest.approx(np.mean(data.y == 0))
    assert np.mean(data.y == 0) == pytest.approx(1 / 12, abs=0.04)


def test_ablation_leaves_the_model_unchanged_and_equals_zeroing_the_spikes(network_and_data):
    """Silencing a unit is the same as deleting its spikes before the readout."""
    import torch

    from neuro4ml.learning import snn

    model, data = network_and_data
    before = {k: v.clone() for k, v in model.state_dict().items()}
    units = [1, 5, 9]
    accuracy = analysis.ablation_accuracy(model, data.x, data.y, units)
    with torch.no_grad():
        spikes = model.hidden(torch.as_tensor(data.x))
        spikes[:, :, units] = 0
        expected = np.mean(model.readout(spikes).argmax(1).numpy() == data.y)
    assert accuracy == pytest.approx(expected)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    with analysis.silenced(model, units):
        assert snn.evaluate(model, data.x, data.y) == pytest.approx(expected)
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    singles = analysis.single_unit_ablations(model, data.x, data.y)
    assert singles.shape == (64,)
    one_by_one = [analysis.ablation_accuracy(model, data.x, data.y, [i]) for i in range(0, 64, 7)]
    np.testing.assert_allclose(singles[::7], one_by_one, atol=1.01 / len(data.y))  # a rounding tie at most
    assert singles.min() < analysis.ablation_accuracy(model, data.x, data.y, []) - 0.05  # some unit matters


def test_ablation_of_a_recurrent_layer_cuts_its_recurrent_output():
    import torch

    from neuro4ml.learning import snn

    model = snn.SNN(6, 5, 3, recurrent=True, seed=1)
    copy = analysis.ablated(model, [2])
    assert torch.all(copy.hidden.recurrent_weight[:, 2] == 0) and torch.all(copy.readout.weight[:, 2] == 0)
    assert not torch.all(model.readout.weight[:, 2] == 0)
    with pytest.raises(ValueError, match="between 0 and 4"):
        analysis.ablated(model, [5])
    with pytest.raises(TypeError, match="neuro4ml.learning.snn.SNN"):
        analysis.ablated(torch.nn.Linear(2, 2), [0])


def test_hidden_activity_is_the_recorded_spikes(network_and_data):
    import torch

    model, data = network_and_data
    spikes = analysis.hidden_activity(model, data.x[:50], batch_size=16)
    _, recorded = model(torch.as_tensor(data.x[:50]), record=True)
    np.testing.assert_array_equal(spikes, recorded.detach().numpy())
