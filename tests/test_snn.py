"""neuro4ml.learning.snn: surrogate derivatives against analytic formulas, LIF spikes against neurons.lif."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from neuro4ml.models import neurons  # noqa: E402
from neuro4ml.learning import snn  # noqa: E402

# The smooth functions whose derivatives the surrogates are, written independently of snn.
SMOOTH = {
    "fast_sigmoid": lambda v, b: v / (1 + b * v.abs()),
    "sigmoid": lambda v, b: torch.sigmoid(b * v),
}


@pytest.mark.parametrize("surrogate", sorted(SMOOTH))
@pytest.mark.parametrize("scale", [1.0, 5.0, 100.0])
def test_surrogate_backward_is_the_derivative_of_its_smooth_function(surrogate, scale):
    """gradcheck: the analytic backward of spike() equals the numerical derivative of the smooth function.

    The tested function is spike(v) - H(v) + smooth(v): its value is smooth(v) (the step
    cancels exactly), and its analytic gradient is spike's surrogate backward.
    """
    v = (torch.linspace(-0.5, 0.5, 41, dtype=torch.float64) / scale + 1e-3 / scale).requires_grad_()

    # Numerical derivative of the smooth function, analytic derivative from spike's backward.
    def g(v):
        return snn.spike(v, surrogate, scale) - (v > 0).to(v.dtype).detach() + _with_numeric_only(SMOOTH[surrogate], v, scale)

    assert torch.autograd.gradcheck(g, (v,), eps=1e-7, atol=1e-5, rtol=1e-4)


class _NumericOnly(torch.autograd.Function):
    """Forward f(v); backward zero, so gradcheck's analytic side sees only spike()'s backward."""

    @staticmethod
    def forward(ctx, v, fn, scale):
        return fn(v, scale)

    @staticmethod
    def backward(ctx, grad):
        return torch.zeros_like(grad), None, None


def _with_numeric_only(fn, v, scale):
    return _NumericOnly.apply(v, fn, scale)


@pytest.mark.parametrize("scale", [2.0, 100.0])
def test_fast_sigmoid_backward_formula(scale):
    v = torch.tensor([-1.0, -0.01, 0.0, 0.003, 2.0], dtype=torch.float64, requires_grad=True)
    grad_out = torch.tensor([1.0, 2.0, -1.0, 0.5, 3.0], dtype=torch.float64)
    spikes = snn.spike(v, "fast_sigmoid", scale)
    spikes.backward(grad_out)
    expected = grad_out / (scale * v.detach().abs() + 1) ** 2
    assert torch.allclose(v.grad, expected)
    assert spikes.tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]


def test_triangle_and_heaviside_surrogates():
    v = torch.tensor([-0.2, -0.05, 0.0, 0.05, 0.2], requires_grad=True)
    snn.spike(v, "triangle", 10.0).sum().backward()
    assert torch.allclose(v.grad, torch.tensor([0.0, 0.5, 1.0, 0.5, 0.0]))
    v.grad = None
    snn.spike(v, "heaviside", 10.0).sum().backward()
    assert torch.count_nonzero(v.grad) == 0


def test_bad_surrogate_arguments():
    with pytest.raises(ValueError, match="surrogate must be one of"):
        snn.spike(torch.zeros(3), "relu")
    with pytest.raises(ValueError):
        snn.spike(torch.zeros(3), "sigmoid", -1.0)


def _lif_layer_and_currents(seed=0, n_in=5, n_out=4, n_steps=200, tau_ms=10.0, dt_ms=0.5, recurrent=False):
    layer = snn.LIF(n_in, n_out, tau_ms=tau_ms, dt_ms=dt_ms, recurrent=recurrent, weight_gain=1.5, recurrent_gain=1.0, seed=seed).double()
    gen = torch.Generator().manual_seed(seed)
    x = (torch.rand(2, n_steps, n_in, generator=gen) < 0.3).double()
    return layer, x


@pytest.mark.parametrize("tau_ms, dt_ms", [(10.0, 0.5), (20.0, 1.0), (5.0, 0.1)])
def test_feedforward_lif_spikes_equal_the_exact_lif_of_neurons(tau_ms, dt_ms):
    layer, x = _lif_layer_and_currents(tau_ms=tau_ms, dt_ms=dt_ms)
    with torch.no_grad():
        spikes, v = layer(x, record_v=True)
        # A jump of w per step is the constant current w / (1 - alpha) over that step.
        current = (x @ layer.weight.T).numpy() / -math.expm1(-dt_ms / tau_ms)  # (batch, time, neurons)
    assert spikes.sum() > 10
    for b in range(x.shape[0]):
        run = neurons.lif(current[b].T, tau_ms=tau_ms, dt_ms=dt_ms)
        for i in range(layer.n_out):
            steps = np.flatnonzero(spikes[b, :, i].numpy())
            np.testing.assert_allclose((steps + 1) * dt_ms, run.spike_times_ms[i])
        np.testing.assert_allclose(v[b, :-1].numpy().T, run.v[:, 1:], atol=1e-9)


def test_reset_and_threshold_other_than_defaults_match_neurons_lif():
    layer = snn.LIF(3, 2, tau_ms=8.0, dt_ms=0.25, threshold=2.0, reset=0.5, weight_gain=2.0, seed=3).double()
    x = torch.ones(1, 400, 3, dtype=torch.float64) * 0.5
    with torch.no_grad():
        spikes = layer(x)
        current = (x @ layer.weight.T).numpy()[0].T / -math.expm1(-0.25 / 8.0)
    run = neurons.lif(current, tau_ms=8.0, dt_ms=0.25, threshold=2.0, reset=0.5)
    for i in range(2):
        np.testing.assert_allclose((np.flatnonzero(spikes[0, :, i].numpy()) + 1) * 0.25, run.spike_times_ms[i])


def test_recurrent_lif_matches_a_step_by_step_loop_with_neurons_lif():
    """With recurrence, each step is neurons.lif over one step from the previous state."""
    layer, x = _lif_layer_and_currents(recurrent=True, n_steps=60)
    alpha = math.exp(-0.5 / 10.0)
    with torch.no_grad():
        spikes = layer(x).numpy()
        w, u = layer.weight.numpy(), layer.recurrent_weight.numpy()
    for b in range(2):
        v = np.zeros(layer.n_out)
        s = np.zeros(layer.n_out)
        for k in range(x.shape[1]):
            current = (w @ x[b, k].numpy() + u @ s) / (1 - alpha)
            run = neurons.lif(current[:, None], tau_ms=10.0, dt_ms=0.5, v0=v)
            s = np.array([1.0 if len(t) else 0.0 for t in run.spike_times_ms])
            v = np.where(s > 0, 0.0, alpha * v + (1 - alpha) * current)
            np.testing.assert_array_equal(spikes[b, k], s)
    assert spikes.sum() > 5


def test_leaky_readout_equals_its_recursion_and_reduces_by_max_or_mean():
    readout = snn.LeakyReadout(6, 3, tau_ms=5.0, dt_ms=1.0, seed=1).double()
    s = (torch.rand(2, 30, 6, generator=torch.Generator().manual_seed(1)) < 0.2).double()
    with torch.no_grad():
        v = readout.potentials(s)
        current = s @ readout.weight.T
    alpha = math.exp(-1 / 5.0)
    expected = torch.zeros_like(v)
    trace = torch.zeros(2, 3, dtype=torch.float64)
    for k in range(30):
        trace = alpha * trace + current[:, k]
        expected[:, k] = trace
    assert torch.allclose(v, expected)
    assert torch.allclose(readout(s), expected.amax(1))
    readout.readout = "mean"
    assert torch.allclose(readout(s), expected.mean(1))


def test_random_feedback_changes_only_the_gradient_sent_back():
    s = (torch.rand(2, 20, 6, generator=torch.Generator().manual_seed(2)) < 0.3).double().requires_grad_()
    sym = snn.LeakyReadout(6, 3, seed=4).double()
    rnd = snn.LeakyReadout(6, 3, seed=4, feedback="random").double()
    assert torch.allclose(sym(s), rnd(s))
    sym(s).sum().backward()
    g_sym, w_sym = s.grad.clone(), sym.weight.grad.clone()
    s.grad = None
    rnd(s).sum().backward()
    assert torch.allclose(rnd.weight.grad, w_sym)
    assert not torch.allclose(s.grad, g_sym)


def test_input_shape_errors():
    layer = snn.LIF(4, 2)
    with pytest.raises(ValueError, match=r"\(batch, time, 4\)"):
        layer(torch.zeros(10, 4))
    with pytest.raises(TypeError):
        layer(np.zeros((1, 10, 4)))
    with pytest.raises(ValueError, match="threshold"):
        snn.LIF(4, 2, threshold=0.0, reset=0.0)


def test_learned_time_constants_get_gradients():
    layer = snn.LIF(5, 4, learn_tau=True, tau_ms=[5.0, 10.0, 20.0, 40.0], weight_gain=3.0)
    x = (torch.rand(3, 50, 5, generator=torch.Generator().manual_seed(0)) < 0.3).float()
    layer(x).sum().backward()
    assert layer.tau_ms.grad is not None and torch.count_nonzero(layer.tau_ms.grad) > 0


def test_training_learns_a_separable_timing_task_and_is_seeded():
    """Two classes: inputs 0 and 1 fire, or inputs 2 and 3 fire (at a random step); a few epochs separate them."""
    n, steps = 64, 30
    y = np.arange(n) % 2
    x = np.zeros((n, steps, 4), dtype=np.float32)
    steps_fired = np.random.default_rng(0).integers(0, 20, n)
    for i in range(n):
        x[i, steps_fired[i], 2 * y[i] : 2 * y[i] + 2] = 1.0
    results = []
    for _ in range(2):
        model = snn.SNN(4, 16, 2, weight_gain=2.0, seed=1)
        history = snn.train(model, x, y, epochs=30, lr=1e-2, batch_size=16, progress=False, seed=2)
        results.append(history.loss)
    assert results[0] == results[1]
    assert snn.evaluate(model, x, y) == 1.0
    assert snn.predict(model, x).shape == (n,)
