"""Week 5 checks: the spike function and the time loop, right answers pass and each typical mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from verdicts import assert_verdict as _assert_verdict  # noqa: E402

from neuro4ml.check import w5  # noqa: E402
from neuro4ml.check.core import FAILED, NOT_IMPLEMENTED, PASSED  # noqa: E402
from neuro4ml.learning import snn  # noqa: E402

SCALE = 100.0


def make_spike_fn(forward, backward):
    """A torch.autograd.Function from a forward(v) and a backward(v, grad_output)."""

    class SpikeFn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, v):
            ctx.save_for_backward(v)
            return forward(v)

        @staticmethod
        def backward(ctx, grad_output):
            (v,) = ctx.saved_tensors
            return backward(v, grad_output)

    return SpikeFn


def step(v):
    return (v > 0).to(v.dtype)


def fast_sigmoid(scale):
    return lambda v, g: g / (scale * v.abs() + 1) ** 2


def test_right_spike_fn_passes_for_the_default_and_another_scale():
    _assert_verdict(w5.check_spike_fn(make_spike_fn(step, fast_sigmoid(SCALE)), quiet=True), PASSED, "backward")
    _assert_verdict(w5.check_spike_fn(make_spike_fn(step, fast_sigmoid(10.0)), scale=10.0, quiet=True), PASSED)


def test_spike_fn_written_with_float_and_where_also_passes():
    fn = make_spike_fn(lambda v: torch.where(v > 0, 1.0, 0.0).to(v.dtype), lambda v, g: g * (1.0 / (1 + SCALE * torch.abs(v))) ** 2)
    _assert_verdict(w5.check_spike_fn(fn, quiet=True), PASSED)


@pytest.mark.parametrize(
    "fn, message",
    [
        (make_spike_fn(step, lambda v, g: torch.zeros_like(g)), "zero everywhere"),
        (make_spike_fn(step, fast_sigmoid(10.0)), "scale 10 instead of 100"),
        (make_spike_fn(step, lambda v, g: 1 / (SCALE * v.abs() + 1) ** 2), "ignores grad_output"),
        (make_spike_fn(lambda v: v > 0, fast_sigmoid(SCALE)), "boolean tensor"),
        (make_spike_fn(lambda v: (v >= 0).to(v.dtype), fast_sigmoid(SCALE)), "where v == 0"),
        (make_spike_fn(step, lambda v, g: g / (SCALE * v + 1) ** 2), "not for v < 0"),
        (make_spike_fn(step, lambda v, g: g * SCALE * torch.sigmoid(SCALE * v) * (1 - torch.sigmoid(SCALE * v))), "logistic sigmoid"),
        (make_spike_fn(lambda v: (v > 0).float(), fast_sigmoid(SCALE)), "dtype"),
        (make_spike_fn(lambda v: (v > 0).to(v.dtype).numpy(), fast_sigmoid(SCALE)), "not a torch.Tensor"),
        (make_spike_fn(step, lambda v, g: g / (SCALE * v.abs() + 2) ** 2), "gradient differs"),
        (make_spike_fn(step, lambda v, g: g.numpy()), "backward raised"),
    ],
)
def test_spike_fn_mistakes_are_diagnosed(fn, message):
    _assert_verdict(w5.check_spike_fn(fn, quiet=True), FAILED, message)


def test_spike_fn_not_done_and_not_a_function_class():
    _assert_verdict(w5.check_spike_fn(..., quiet=True), NOT_IMPLEMENTED)

    def not_done(v):
        raise NotImplementedError

    _assert_verdict(w5.check_spike_fn(make_spike_fn(not_done, fast_sigmoid(SCALE)), quiet=True), NOT_IMPLEMENTED)
    _assert_verdict(w5.check_spike_fn(make_spike_fn(step, lambda v, g: not_done(v)), quiet=True), NOT_IMPLEMENTED)
    _assert_verdict(w5.check_spike_fn(lambda v: v, quiet=True), FAILED, "torch.autograd.Function")


def test_spike_fn_nan_gradient_is_feedback_not_an_error():
    result = w5.check_spike_fn(make_spike_fn(step, lambda v, g: g * float("nan")), quiet=True)
    _assert_verdict(result, FAILED, "NaN")


# ---------------------------------------------------------------------------
# The time loop
# ---------------------------------------------------------------------------


def loop(drive, alpha, spike_fn, *, reset="after", detach="reset", axes="batch-time"):
    """A learner's time loop, right by default; the options make the typical mistakes."""
    if axes == "time-batch":
        drive = drive.transpose(0, 1)
    batch, steps, units = drive.shape
    v = torch.zeros(batch, units, dtype=drive.dtype)
    s = torch.zeros_like(v)
    spikes = []
    for k in range(steps):
        v = alpha * v + drive[:, k]
        if reset == "late":
            v = v * (1 - s.detach())
        s = spike_fn(v - 1.0)
        if reset == "before record":
            v = v * (1 - s.detach())
            s = spike_fn(v - 1.0)
        spikes.append(s.detach() if detach == "spike" else s)
        if reset == "after":
            v = v * (1 - (s if detach == "none" else s.detach()))
        if detach == "v":
            v = v.detach()
    out = torch.stack(spikes, dim=1)
    return out.transpose(0, 1) if axes == "time-batch" else out


def test_right_loop_passes():
    _assert_verdict(w5.check_lif_loop(loop, quiet=True), PASSED, "gradients match")


def test_library_loop_is_refused():
    """Issue 22: snn.lif_loop, ignoring the spike_fn it is given, passed."""
    _assert_verdict(w5.check_lif_loop(lambda d, a, f: snn.lif_loop(d, a), quiet=True), FAILED, "the task is to write it yourself")


@pytest.mark.parametrize(
    "options, message",
    [
        ({"reset": "none"}, "never reset"),
        ({"reset": "before record"}, "resets V and only then computes"),
        ({"reset": "late"}, "one step late"),
        ({"detach": "spike"}, "carry no gradient"),
        ({"detach": "none"}, "flows through the reset"),
        ({"detach": "v"}, "membrane potential was detached"),
        ({"axes": "time-batch"}, "axes swapped"),
    ],
)
def test_loop_mistakes_are_diagnosed(options, message):
    _assert_verdict(w5.check_lif_loop(lambda d, a, f: loop(d, a, f, **options), quiet=True), FAILED, message)


def test_loop_over_the_batch_axis_with_a_square_input_is_named():
    """Looping over drive[k] when batch == time gives the right shape but the wrong spikes."""

    def first_axis(drive, alpha, spike_fn):
        if drive.shape[0] != drive.shape[1]:
            return loop(drive, alpha, spike_fn)
        return loop(drive, alpha, spike_fn, axes="time-batch")

    _assert_verdict(w5.check_lif_loop(first_axis, quiet=True), FAILED, "axes swapped")


def test_loop_returning_a_list_or_nothing():
    _assert_verdict(w5.check_lif_loop(lambda d, a, f: None, quiet=True), FAILED, "None")
    _assert_verdict(w5.check_lif_loop(lambda d, a, f: [loop(d, a, f)], quiet=True), FAILED, "list")
    _assert_verdict(w5.check_lif_loop(..., quiet=True), NOT_IMPLEMENTED)


# ---------------------------------------------------------------------------
# Trained networks
# ---------------------------------------------------------------------------


class Constant(torch.nn.Module):
    """Always predicts class 0."""

    def __init__(self, n_classes):
        super().__init__()
        self.bias = torch.nn.Parameter(torch.arange(n_classes, 0, -1, dtype=torch.float32))

    def forward(self, x):
        return self.bias.expand(x.shape[0], -1)


def test_untrained_networks_fail_with_their_accuracy():
    _assert_verdict(w5.check_randman_network(Constant(10), quiet=True), FAILED, "held-out accuracy")
    _assert_verdict(w5.check_sound_network(Constant(12), quiet=True), FAILED, "mean IPD error")
    _assert_verdict(w5.check_sound_network(..., quiet=True), NOT_IMPLEMENTED)
    _assert_verdict(w5.check_sound_network("model", quiet=True), FAILED, "torch.nn.Module")
    _assert_verdict(w5.check_randman_network(torch.nn.Linear(3, 2), quiet=True), FAILED, "raised")


def test_spikes_returned_time_major_are_named():
    _assert_verdict(w5.check_lif_loop(lambda d, a, f: loop(d, a, f).transpose(0, 1), quiet=True), FAILED, "(time, batch, units)")


# ---------------------------------------------------------------------------
# Confusion matrix
# ---------------------------------------------------------------------------


class SpikeCountClassifier(torch.nn.Module):
    """Scores = spike counts times fixed random weights: varied predictions without training."""

    def __init__(self, n_in, n_classes):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(n_in, n_classes, generator=torch.Generator().manual_seed(3)))

    def forward(self, x):
        return x.sum(1) @ self.weight


@pytest.fixture(scope="module")
def confusion_case():
    from neuro4ml.data import sound_localisation

    data = sound_localisation(120, **w5.SOUND_TASK, seed=5)
    model = SpikeCountClassifier(data.x.shape[2], 12)
    predictions = snn.predict(model, data.x)
    counts = np.zeros((12, 12), dtype=int)
    for true, predicted in zip(data.y, predictions):  # independent of the library's bincount
        counts[true, predicted] += 1
    assert len(set(predictions)) > 2 and not np.array_equal(counts, counts.T)
    return model, data, counts


def test_confusion_matrix_counts_true_rows_and_predicted_columns(confusion_case):
    model, data, counts = confusion_case
    np.testing.assert_array_equal(snn.confusion_matrix(model, data.x, data.y, 12), counts)
    np.testing.assert_array_equal(counts.sum(1), np.bincount(data.y, minlength=12))


def test_right_confusion_passes_as_array_list_or_float(confusion_case):
    model, data, counts = confusion_case
    for answer in (counts, counts.tolist(), counts.astype(float)):
        _assert_verdict(w5.check_confusion(answer, model, data.x, data.y, quiet=True), PASSED, "counts match")


def _row_normalised(counts):
    return counts / np.maximum(counts.sum(1, keepdims=True), 1)


@pytest.mark.parametrize(
    "mistake, message",
    [
        (lambda c: c.T, "transposed"),
        (lambda c: c.T.tolist(), "transposed"),
        (_row_normalised, "rows hold fractions"),
        (lambda c: c / np.maximum(c.sum(0, keepdims=True), 1), "columns hold fractions"),
        (lambda c: c / c.sum(), "fractions of all samples"),
        (lambda c: c * 2, "adds up to"),
        (lambda c: np.roll(c, 1, axis=1), "samples of true bin"),
        (lambda c: c[:11], "shape (12, 12)"),
        (lambda c: np.full((12, 12), np.nan), "NaN"),
        (lambda c: None, "None"),
    ],
)
def test_confusion_mistakes_are_diagnosed(confusion_case, mistake, message):
    model, data, counts = confusion_case
    _assert_verdict(w5.check_confusion(mistake(counts), model, data.x, data.y, quiet=True), FAILED, message)


def test_confusion_not_done_or_model_not_trained(confusion_case):
    model, data, counts = confusion_case
    _assert_verdict(w5.check_confusion(..., model, data.x, data.y, quiet=True), NOT_IMPLEMENTED)
    _assert_verdict(w5.check_confusion(counts, ..., data.x, data.y, quiet=True), NOT_IMPLEMENTED)


# ---------------------------------------------------------------------------
# Mistakes a learner made (report of the week 5 test)
# ---------------------------------------------------------------------------


def test_spike_fn_learner_mistakes_are_named():
    straight_through = make_spike_fn(step, lambda v, g: g)
    _assert_verdict(w5.check_spike_fn(straight_through, quiet=True), FAILED, "straight-through")
    times_scale = make_spike_fn(step, lambda v, g: SCALE * g / (SCALE * v.abs() + 1) ** 2)
    _assert_verdict(w5.check_spike_fn(times_scale, quiet=True), FAILED, "times too large")

    class SavesSpike(torch.autograd.Function):
        @staticmethod
        def forward(ctx, v):
            out = (v > 0).to(v.dtype)
            ctx.save_for_backward(out)
            return out

        @staticmethod
        def backward(ctx, g):
            (v,) = ctx.saved_tensors
            return g / (SCALE * v.abs() + 1) ** 2

    _assert_verdict(w5.check_spike_fn(SavesSpike, quiet=True), FAILED, "from the output spike")


def _loop_with(drive, alpha, spike_fn, *, compare=False, steps=None):
    v = torch.zeros(drive.shape[0], drive.shape[2], dtype=drive.dtype)
    spikes = []
    for k in range(drive.shape[1] if steps is None else steps(drive.shape[1])):
        v = alpha * v + drive[:, k]
        s = (v > 1.0).to(v.dtype) if compare else spike_fn(v - 1.0)
        spikes.append(s)
        v = v * (1.0 - s.detach())
    return torch.stack(spikes, dim=1)


def test_loop_learner_mistakes_are_named():
    compare = w5.check_lif_loop(lambda d, a, f: _loop_with(d, a, f, compare=True), quiet=True)
    _assert_verdict(compare, FAILED, "never calls the spike_fn it is given")
    assert "comparison" in compare.hint
    short = w5.check_lif_loop(lambda d, a, f: _loop_with(d, a, f, steps=lambda n: n - 1), quiet=True)
    _assert_verdict(short, FAILED, "time steps, expected")
    assert "spike" not in short.hint


def test_confusion_with_a_wrong_network_or_labels(confusion_case):
    model, data, counts = confusion_case
    _assert_verdict(w5.check_confusion(counts, "sound_model", data.x, data.y, quiet=True), FAILED, "torch.nn.Module")
    _assert_verdict(w5.check_confusion(counts, model, data.x, data.y + 12, quiet=True), FAILED, "labels")
    _assert_verdict(w5.check_confusion(counts, model, data.x[:, :, :3], data.y, quiet=True), FAILED, "raised")


# ---------------------------------------------------------------------------
# Issue 22: shortcuts, 3-D outputs, misleading diagnoses, giveaways
# ---------------------------------------------------------------------------


def test_the_library_spike_function_is_refused():
    """snn.spike (or the library's SpikeFunction) inside SpikeFn passed."""

    class ViaSpike(torch.autograd.Function):
        @staticmethod
        def forward(ctx, v):
            return snn.spike(v)

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    class Inherited(snn.SpikeFunction):
        @staticmethod
        def forward(ctx, v):
            return snn.SpikeFunction.forward(ctx, v, "fast_sigmoid", 100.0)

    for shortcut in (ViaSpike, Inherited):
        _assert_verdict(w5.check_spike_fn(shortcut, quiet=True), FAILED, "the task is to write it yourself")


def test_a_potential_not_carried_over_is_named():
    """It was diagnosed as a reset applied before the spike is recorded."""

    def no_carry(drive, alpha, spike_fn):
        spikes = []
        for k in range(drive.shape[1]):
            v = drive[:, k]  # V starts again from the input at every step
            s = spike_fn(v - 1.0)
            spikes.append(s)
        return torch.stack(spikes, dim=1)

    result = w5.check_lif_loop(no_carry, quiet=True)
    _assert_verdict(result, FAILED, "not carried over")
    assert "reset" not in result.messages[-1].split(":")[-1]


def test_dividing_by_the_scale_is_named():
    """It was told to 'use the scale the check passes in'."""
    divided = make_spike_fn(step, lambda v, g: g / (torch.abs(v) / 100.0 + 1.0) ** 2)
    result = w5.check_spike_fn(divided, quiet=True)
    _assert_verdict(result, FAILED, "divided by the scale")
    assert "passes in" not in (result.hint or "")


def test_a_network_returning_scores_over_time_gets_feedback_not_a_check_error():
    """A forward returning (batch, time, classes) made the check blame itself."""

    class OverTime(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(20, 10)

        def forward(self, x):
            return self.layer(x)  # (batch, time, classes): no reduction over time

    for check in (w5.check_randman_network, w5.check_sound_network):
        model = OverTime() if check is w5.check_randman_network else torch.nn.Sequential(torch.nn.Linear(100, 12))
        result = check(model, quiet=True)
        _assert_verdict(result, FAILED, "for 4 samples")
        assert "over the time axis" in result.hint


def test_the_confusion_message_does_not_give_the_expected_entry():
    """The confusion check printed an entry of the expected matrix."""
    model = snn.SNN(100, 8, 12)
    from neuro4ml.data import sound_localisation

    data = sound_localisation(60, **w5.SOUND_TASK, seed=3)
    expected = snn.confusion_matrix(model, data.x, data.y, 12)
    wrong = expected.copy()
    i, j = np.unravel_index(int(np.argmax(expected)), expected.shape)
    wrong[i, j] -= 1
    wrong[i, (j + 1) % 12] += 1
    result = w5.check_confusion(wrong, model, data.x, data.y, quiet=True)
    _assert_verdict(result, FAILED, "fewer samples")
    assert f"put {expected[i, j]}" not in result.verdict()


# ---------------------------------------------------------------------------
# Wrong answers tried as a new learner (not from the issue)
# ---------------------------------------------------------------------------


def _loop_kind(drive, alpha, spike_fn, kind):
    v = torch.zeros(drive.shape[0], drive.shape[2], dtype=drive.dtype)
    out = []
    for k in range(drive.shape[1]):
        v = alpha * (v + drive[:, k]) if kind == "leak after input" else alpha * v + drive[:, k]
        s = spike_fn(v - 1.0)
        out.append(v if kind == "voltages" else s)
        v = v - s.detach() if kind == "subtractive" else v * (1 - s.detach())
    return torch.stack(out, 1)


@pytest.mark.parametrize("kind, message", [
    ("leak after input", "the leak also multiplies the new input"),
    ("subtractive", "subtracts the threshold"),
    ("voltages", "look like membrane potentials"),
])
def test_new_learner_loop_mistakes_are_named(kind, message):
    result = w5.check_lif_loop(lambda d, a, f: _loop_kind(d, a, f, kind), quiet=True)
    _assert_verdict(result, FAILED, message)
