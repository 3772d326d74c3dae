"""Answer checks for the week 5 exercise: training spiking neural networks.

The tasks (data, held-out sets, pass marks, the cases of the loop and the mistaken loops) are
defined in :mod:`neuro4ml.tasks.w5`. The library's spike function and time loop are
unavailable while the learner's run (``call(..., forbid=...)``), and the loop's inputs are
drawn afresh at each run.

* :func:`check_spike_fn` runs the learner's ``torch.autograd.Function`` forward and
  backward on fixed membrane potentials and compares them with
  :func:`neuro4ml.learning.snn.spike` (fast-sigmoid surrogate, Zenke & Ganguli 2018). It
  recognises a zero (Heaviside) derivative, a different scale, a forgotten
  ``grad_output``, a missing absolute value, the sigmoid surrogate, a boolean
  output and ``v >= 0``.
* :func:`check_lif_loop` runs the learner's time loop on fixed inputs and compares
  spikes *and* gradients with :func:`neuro4ml.learning.snn.lif_loop`. It recognises a missing
  reset, a reset applied before the spike is recorded or one step late, detaching the
  recorded spike / the membrane potential / not detaching the reset, and time and
  batch axes swapped.
* :func:`check_randman_network` and :func:`check_sound_network` score a trained
  network on held-out data generated from fixed seeds.
* :func:`check_confusion` compares the learner's confusion matrix with
  :func:`neuro4ml.learning.snn.confusion_matrix` of the learner's own network on the same data. It
  recognises the transpose (true and predicted axes swapped), fractions instead of counts
  (rows, columns or the whole matrix normalised), and counts whose rows do not add up to the
  number of samples of each class.
"""

from __future__ import annotations

import numpy as np

from neuro4ml.check.core import NOT_IMPLEMENTED, Feedback, Tolerance, as_array, call, check, close, in_case, unanswered

__all__ = [
    "RANDMAN_PASS_ACCURACY",
    "RANDMAN_TASK",
    "SOUND_PASS_ACCURACY",
    "SOUND_TASK",
    "check_confusion",
    "check_lif_loop",
    "check_randman_network",
    "check_sound_network",
    "check_spike_fn",
]

# The tasks (data sets, held-out sets, pass marks) are defined in neuro4ml.tasks.w5.
from neuro4ml.tasks.w5 import (  # noqa: E402  (re-exported: the notebooks use w5.RANDMAN_TASK)
    RANDMAN_PASS_ACCURACY,
    RANDMAN_TASK,
    SOUND_PASS_ACCURACY,
    SOUND_TASK,
    loop_cases,
    mistaken_lif_loop,
    randman_held_out,
    sound_held_out,
)

#: Agreement of gradients through the time loop (float64 inputs).
_GRADIENT = Tolerance(rtol=1e-6, atol=1e-9)


def _torch():
    try:
        import torch
    except ImportError:  # pragma: no cover
        raise Feedback('these checks need PyTorch: pip install "neuro4ml[snn]"') from None
    return torch


# ---------------------------------------------------------------------------
# Part 1a: the spike function
# ---------------------------------------------------------------------------


def _potentials(torch, dtype):
    """Membrane potentials minus threshold: both signs, exact zeros, near and far values, shape (3, 8).

    No value is -1/scale for a round scale, so a surrogate written without the absolute
    value stays finite and can be recognised.
    """
    v = torch.tensor(
        [
            [-1.1, -0.13, -0.013, -0.0017, 0.0, 0.0011, 0.012, 0.5],
            [0.0, 0.2, -0.23, 2.0, -2.1, 0.003, -0.0031, 0.0],
            [1e-4, -1.1e-4, 0.05, -0.057, 0.02, -0.021, 0.3, -0.31],
        ],
        dtype=dtype,
    )
    grad_output = torch.linspace(-1.5, 2.0, v.numel(), dtype=dtype).reshape(v.shape) + 0.25
    return v, grad_output


def _library_spike():
    """The library's spike function and surrogates: the task of Part 1a is to write them."""
    from neuro4ml.learning import snn

    return [snn.spike, snn.SpikeFunction.forward, snn.SpikeFunction.backward, snn.surrogate_derivative,
            *snn.SURROGATES.values()]


def _apply(SpikeFn, v):
    apply = getattr(SpikeFn, "apply", None)
    if apply is None:
        raise Feedback(
            f"SpikeFn should be a class derived from torch.autograd.Function, got {type(SpikeFn).__name__}",
            hint="write `class SpikeFn(torch.autograd.Function):` with two @staticmethods, forward and backward, "
            "and call it as SpikeFn.apply(v).",
        )
    return call(apply, "SpikeFn.apply", v, forbid=_library_spike())


def _as_tensor(torch, value, name, shape):
    if value is None:
        raise Feedback(f"{name} returned None: did you forget a `return`?", hint="the last line should return the result.")
    if isinstance(value, (tuple, list)):
        raise Feedback(
            f"{name} returned a {type(value).__name__} of {len(value)} values; it should return one tensor",
            hint="turn a list of per-step tensors into one tensor with torch.stack, along the time axis.",
        )
    if not isinstance(value, torch.Tensor):
        raise Feedback(
            f"{name} returned a {type(value).__name__}, not a torch.Tensor",
            hint="stay in PyTorch (no numpy inside the function), or autograd cannot follow the computation.",
        )
    if tuple(value.shape) != tuple(shape):
        raise Feedback(
            f"{name} returned shape {tuple(value.shape)}, expected {tuple(shape)}",
            hint="the output has one value per input value: (batch, time, units) for the loop, v's shape for the spike function.",
        )
    return value


@check("spike function (forward and surrogate backward)")
def check_spike_fn(SpikeFn, scale: float = 100.0):
    """Check the learner's spike function against :func:`neuro4ml.learning.snn.spike` with the fast sigmoid and ``scale``."""
    if unanswered(SpikeFn):
        raise Feedback("SpikeFn is not written yet.", status=NOT_IMPLEMENTED)
    torch = _torch()
    from neuro4ml.learning import snn

    for dtype in (torch.float32, torch.float64):
        v, grad_output = _potentials(torch, dtype)
        case = f"v of dtype {str(dtype).replace('torch.', '')}, shape {tuple(v.shape)}"
        with torch.no_grad():
            out = _apply(SpikeFn, v.clone())
        if isinstance(out, torch.Tensor) and out.dtype == torch.bool:
            raise in_case(case, Feedback(
                "the forward pass returned a boolean tensor",
                hint="autograd only propagates gradients through floating-point tensors, and the next layer "
                "multiplies spikes by weights: convert the comparison to v's float type.",
            ))
        try:
            out = _as_tensor(torch, out, "forward", v.shape)
        except Feedback as feedback:
            raise in_case(case, feedback) from None
        got = as_array(out.detach().cpu().numpy(), "the forward output", shape=tuple(v.shape))
        expected = (v > 0).to(dtype).numpy()
        if not np.array_equal(got, expected):
            if np.array_equal(got, (v >= 0).to(dtype).numpy()):
                raise in_case(case, Feedback(
                    "forward returns 1 where v == 0 exactly; expected 0 there",
                    hint="a spike is emitted only when v is strictly above the threshold (v > 0 after subtracting it).",
                ))
            wrong = np.argwhere(got != expected)[0]
            raise in_case(case, Feedback(
                f"forward differs from the step function at v = {float(v[tuple(wrong)]):g}: "
                f"expected {expected[tuple(wrong)]:g}, got {got[tuple(wrong)]:g}",
                hint="the forward pass is the Heaviside step: 1.0 where v > 0, else 0.0.",
            ))
        if out.dtype != dtype:
            raise in_case(case, Feedback(
                f"forward returned dtype {out.dtype}, expected the dtype of v ({dtype})",
                hint="convert the comparison to v's own type, so float64 inputs stay float64.",
            ))
        yield f"{case}: forward is the step function"

        v_grad = v.clone().requires_grad_()
        out = _apply(SpikeFn, v_grad)
        if not getattr(out, "requires_grad", False):
            raise in_case(case, Feedback(
                "the output of SpikeFn.apply does not require a gradient, so nothing can be learnt through it",
                hint="return a float tensor computed from v inside forward, and don't detach it.",
            ))
        try:
            call(out.backward, "SpikeFn's backward", grad_output, forbid=_library_spike(), may_return_none=True)
        except Feedback as feedback:
            if feedback.status == NOT_IMPLEMENTED or "the task is to write it" in feedback.message:
                raise in_case(case, feedback) from None
            feedback.hint = ("backward(ctx, grad_output) must return one tensor shaped like v. backward does not see v "
                             "unless forward stores it on the context (PyTorch's save_for_backward / saved_tensors mechanism).")
            raise in_case(case, feedback) from None
        if v_grad.grad is None:
            raise in_case(case, Feedback("no gradient reached v", hint="backward must return the gradient with respect to v."))
        grad = as_array(v_grad.grad.detach().cpu().numpy(), "the gradient", shape=tuple(v.shape))
        vv, go = v.numpy(), grad_output.numpy()
        reference = (grad_output * snn.surrogate_derivative(v, "fast_sigmoid", scale)).numpy()
        tol = 1e-5 if dtype == torch.float32 else 1e-10
        if not (np.max(np.abs(grad - reference) / (np.abs(reference) + 1e-30)) <= tol):
            _diagnose_backward(grad, reference, vv, go, scale, case, torch, snn)
        yield f"{case}: backward is grad_output / (scale·|v| + 1)² with scale = {scale:g}"


def _diagnose_backward(grad, reference, v, grad_output, scale, case, torch, snn):
    def agrees(a):
        return close(grad, a, Tolerance(rtol=1e-4, atol=1e-7))

    if not np.any(grad):
        raise in_case(case, Feedback(
            "the gradient is zero everywhere: this is the true derivative of the step function",
            hint="the step's derivative is zero almost everywhere, so nothing would learn. The point of the "
            "surrogate is to return a smooth bump instead, largest at v = 0.",
        ))
    if agrees(grad_output):
        raise in_case(case, Feedback(
            "the gradient is grad_output passed through unchanged (a straight-through estimator)",
            hint="the backward pass must multiply the incoming gradient by the surrogate derivative, a bump "
            "that depends on v and is largest at the threshold.",
        ))
    if agrees(scale * reference):
        raise in_case(case, Feedback(
            f"the gradient is {scale:g} (the scale) times too large",
            hint="the fast sigmoid's derivative is at most 1 (at v = 0); the scale only sets how narrow the bump is.",
        ))
    from_spike = grad_output / (scale * (v > 0) + 1.0) ** 2
    if agrees(from_spike):
        raise in_case(case, Feedback(
            "the surrogate was computed from the output spike (0 or 1), not from v: the gradient takes only two values",
            hint="the backward pass needs the input v; store the input in forward, not the step's output.",
        ))
    without = snn.surrogate_derivative(torch.as_tensor(v), "fast_sigmoid", scale).numpy()
    if agrees(without):
        raise in_case(case, Feedback(
            "the gradient ignores grad_output: it equals the surrogate derivative alone",
            hint="backward receives dL/dS (grad_output) and must return dL/dv: by the chain rule, multiply by it.",
        ))
    with np.errstate(divide="ignore"):
        no_abs = grad_output / (scale * v + 1) ** 2
    if agrees(no_abs):
        raise in_case(case, Feedback(
            "the gradient is right for v > 0 but not for v < 0",
            hint="the surrogate is symmetric around the threshold: it depends on the distance |v|.",
        ))
    sigmoid = grad_output * snn.surrogate_derivative(torch.as_tensor(v), "sigmoid", scale).numpy()
    if agrees(sigmoid):
        raise in_case(case, Feedback(
            "this is the derivative of the logistic sigmoid, not the fast sigmoid asked for",
            hint="the fast sigmoid's derivative is a rational function of |v| (no exponential).",
        ))
    # A fast sigmoid with another scale: solve grad = go / (s|v| + 1)^2 for s where |v| is not tiny.
    usable = (np.abs(v) > 1e-3) & (np.abs(grad_output) > 1e-3) & (grad / grad_output > 0)
    if usable.any():
        estimates = (np.sqrt(grad_output[usable] / grad[usable]) - 1) / np.abs(v[usable])
        other = float(np.median(estimates))
        if np.isfinite(other) and other > 0 and agrees(grad_output / (other * np.abs(v) + 1) ** 2) \
                and abs(other * scale - 1) < 1e-3:
            raise in_case(case, Feedback(
                "the surrogate has the right shape, but |v| is divided by the scale instead of multiplied by it",
                hint="the fast sigmoid's derivative is 1 / (scale·|v| + 1)²: a large scale makes the bump narrow.",
            ))
        if np.isfinite(other) and other > 0 and agrees(grad_output / (other * np.abs(v) + 1) ** 2):
            raise in_case(case, Feedback(
                f"the surrogate has the right shape but scale {other:.4g} instead of {scale:g}",
                hint="use the scale the check passes in (a global or class attribute you set to the same value), "
                "not a number typed inside backward.",
            ))
    where = np.unravel_index(int(np.argmax(np.abs(grad - reference))), grad.shape)
    raise in_case(case, Feedback(
        f"the gradient differs at v = {v[where]:g} (grad_output = {grad_output[where]:g}): yours is "
        f"{'too large' if grad[where] > reference[where] else 'too small'} there",
        hint="return grad_output times the fast-sigmoid surrogate 1 / (scale·|v| + 1)², with v the saved input.",
    ))


# ---------------------------------------------------------------------------
# Part 1b: the time loop
# ---------------------------------------------------------------------------


@check("LIF time loop")
def check_lif_loop(run_lif):
    """Run the learner's ``run_lif(drive, alpha, spike_fn)`` and compare spikes and gradients with :func:`snn.lif_loop`."""
    if unanswered(run_lif):
        raise Feedback("run_lif is not written yet.", status=NOT_IMPLEMENTED)
    torch = _torch()
    from neuro4ml.learning import snn

    calls = []

    def spike_fn(v):
        calls.append(1)
        return snn.spike(v, "fast_sigmoid", 100.0)

    for description, drive, alpha in loop_cases():
        reference = snn.lif_loop(drive, alpha)
        weights = torch.linspace(-1, 1, reference.numel(), dtype=drive.dtype).reshape(reference.shape)
        (ref_grad,) = torch.autograd.grad((reference * weights).sum(), drive)
        calls.clear()
        out = call(run_lif, "run_lif", drive, alpha, spike_fn, forbid=[snn.lif_loop])
        if not calls:
            raise in_case(description, Feedback(
                "your run_lif never calls the spike_fn it is given",
                hint="compute each step's spikes with spike_fn(V - 1), not with a comparison such as V > 1: "
                "it is the spike function the check (and later the training) passes in, with its surrogate gradient.",
            ))
        if isinstance(out, torch.Tensor) and tuple(out.shape) == (drive.shape[1], drive.shape[0], drive.shape[2]) \
                and drive.shape[0] != drive.shape[1]:
            raise in_case(description, Feedback(
                f"the spikes are shaped (time, batch, units) = {tuple(out.shape)}; expected (batch, time, units) "
                f"= {tuple(reference.shape)}",
                hint="time is axis 1 of the input: take drive[:, k] at step k and stack the spikes along dim=1.",
            ))
        if isinstance(out, torch.Tensor) and out.ndim == 3 and out.shape[0] == drive.shape[0] \
                and out.shape[2] == drive.shape[2] and out.shape[1] != drive.shape[1]:
            raise in_case(description, Feedback(
                f"the spikes have {out.shape[1]} time steps, expected {drive.shape[1]} (one per input step)",
                hint="the loop must visit every time step of the input, from the first to the last.",
            ))
        try:
            out = _as_tensor(torch, out, "run_lif", reference.shape)
        except Feedback as feedback:
            raise in_case(description, feedback) from None
        got = as_array(out.detach().numpy(), "the spikes", shape=tuple(reference.shape))
        expected = reference.detach().numpy()
        if not np.array_equal(got, expected):
            _diagnose_loop(torch, spike_fn, drive, alpha, got, expected, description, out)
        yield f"{description}: spikes match"
        if not out.requires_grad:
            raise in_case(description, Feedback(
                "the spikes are right but carry no gradient: nothing before them could learn",
                hint="a comparison such as V > 1 has no gradient, and neither has a detached tensor: the recorded "
                "spikes must be the tensors that spike_fn returned (it carries the surrogate gradient); detach only "
                "the copy used for the reset.",
            ))
        (grad,) = torch.autograd.grad((out * weights).sum(), drive, allow_unused=True)
        grad = np.zeros(drive.shape) if grad is None else grad.numpy()
        if not close(grad, ref_grad.numpy(), _GRADIENT):
            for mistake, message, hint in [
                ("reset not detached", "the gradient also flows through the reset",
                 "multiply by (1 - s.detach()) in the reset, so the surrogate is not applied a second time "
                 "through it (Zenke & Vogels 2021 found this trains better)."),
                ("detached v", "the gradient stops at each time step: the membrane potential was detached",
                 "the gradient must follow V back in time (that is backpropagation through time); "
                 "detach only the spike used in the reset."),
            ]:
                variant = mistaken_lif_loop(spike_fn, drive, alpha, mistake)
                (variant_grad,) = torch.autograd.grad((variant * weights).sum(), drive)
                if close(grad, variant_grad.numpy(), _GRADIENT):
                    raise in_case(description, Feedback(f"spikes match, but {message}", hint=hint))
            raise in_case(description, Feedback(
                "the spikes match but the gradient with respect to the input differs from backpropagation through time",
                hint="detach exactly one tensor: the spike used in the reset.",
            ))
        yield f"{description}: gradients match"


def _gradient(torch, spikes, drive):
    """The gradient of a fixed weighted sum of ``spikes`` with respect to ``drive`` (None if there is none)."""
    if not getattr(spikes, "requires_grad", False):
        return None
    weights = torch.linspace(-1, 1, spikes.numel(), dtype=drive.dtype).reshape(spikes.shape)
    (grad,) = torch.autograd.grad((spikes * weights).sum(), drive, retain_graph=True, allow_unused=True)
    return None if grad is None else grad.detach().numpy()


def _diagnose_loop(torch, spike_fn, drive, alpha, got, expected, description, learner_out=None):
    with torch.enable_grad():
        from neuro4ml.learning import snn

        swapped = snn.lif_loop(drive.transpose(0, 1), alpha).transpose(0, 1).detach().numpy()
        if np.array_equal(got, swapped):
            raise in_case(description, Feedback(
                "the spikes are those of a loop over the batch axis instead of time (axes swapped)",
                hint="inputs are (batch, time, units): step k reads drive[:, k], not drive[k].",
            ))
        if got.sum() == 0 and expected.sum() > 0:
            if not mistaken_lif_loop(spike_fn, drive, alpha, "no carry").detach().numpy().any() and \
                    (out_grad := _gradient(torch, learner_out, drive)) is not None and \
                    close(out_grad, _gradient(torch, mistaken_lif_loop(spike_fn, drive, alpha, "no carry"), drive), _GRADIENT):
                raise in_case(description, Feedback(
                    f"no spikes at all, where {int(expected.sum())} were expected: the membrane potential is not carried "
                    "over from one step to the next, so it never builds up to the threshold",
                    hint="each step starts from the previous V: V = alpha·V + drive[:, k], with V kept between "
                    "iterations (not set again from the input alone).",
                ))
            if not mistaken_lif_loop(spike_fn, drive, alpha, "reset before record").detach().numpy().any():
                raise in_case(description, Feedback(
                    f"no spikes at all, where {int(expected.sum())} were expected; a loop that resets V and only "
                    "then computes the spike it records gives exactly this",
                    hint="record the spike computed from V before the reset; the reset then uses that same spike.",
                ))
        for mistake, message, hint in [
            ("no reset", "the neurons are never reset: they keep spiking once above threshold",
             "after recording a spike, set V back to the reset value (0) where the neuron spiked."),
            ("late reset", "the reset is applied one step late, after the next input has been added",
             "reset V in the same step as the spike, right after recording it."),
            ("leak after input", "the leak also multiplies the new input: V = alpha·(V + drive) instead of alpha·V + drive",
             "only the previous potential decays; the input of step k is added in full."),
            ("subtractive reset", "the reset subtracts the threshold (V − 1) instead of setting V to the reset value 0",
             "the exercise's reset sets V to 0 where the neuron spiked: multiply V by (1 − S)."),
        ]:
            variant = mistaken_lif_loop(spike_fn, drive, alpha, mistake).detach().numpy()
            if np.array_equal(got, variant):
                raise in_case(description, Feedback(message, hint=hint))
    if not np.isin(got, (0.0, 1.0)).all():
        odd = got[~np.isin(got, (0.0, 1.0))]
        raise in_case(description, Feedback(
            f"run_lif should return spikes (0 or 1), but {odd.size} of its values are neither, such as {odd.flat[0]:.3g}: "
            "these look like membrane potentials",
            hint="record the output of spike_fn(V - 1) at each step, not V.",
        ))
    index = tuple(int(i) for i in np.argwhere(got != expected)[0])
    raise in_case(description, Feedback(
        f"the spikes differ first at (batch, step, neuron) = {index}: expected {expected[index]:g}, got {got[index]:g}"
        f" ({int(got.sum())} spikes in all, expected {int(expected.sum())})",
        hint="at each step: V = alpha·V + drive[:, k]; S = spike_fn(V - 1); record S; reset V where S = 1.",
    ))


# ---------------------------------------------------------------------------
# Trained networks
# ---------------------------------------------------------------------------


def _held_out_accuracy(model, data, name):
    torch = _torch()
    from neuro4ml.learning import snn

    if unanswered(model):
        raise Feedback(f"{name} is not trained yet.", status=NOT_IMPLEMENTED)
    if not isinstance(model, torch.nn.Module):
        raise Feedback(
            f"expected {name} to be a torch.nn.Module, got {type(model).__name__}",
            hint="pass the trained network itself (for example an snn.SNN), not its history or accuracy.",
        )
    n_classes = int(data.y.max()) + 1
    try:
        with torch.no_grad():
            was_training = model.training
            model.eval()
            probe = model(torch.as_tensor(data.x[:4], dtype=torch.float32))
            model.train(was_training)
    except Exception as exc:
        raise Feedback(
            f"running {name} on held-out data of shape {data.x[:4].shape} raised {type(exc).__name__}: {exc}",
            hint="the network must take (batch, time, units) inputs and return (batch, classes) scores.",
        ) from None
    shape = tuple(getattr(probe, "shape", ()))
    if not isinstance(probe, torch.Tensor) or len(shape) != 2 or shape[0] != 4:
        what = f"a tensor of shape {shape}" if isinstance(probe, torch.Tensor) else f"a {type(probe).__name__}"
        over_time = isinstance(probe, torch.Tensor) and len(shape) == 3 and shape[0] == 4 and data.x.shape[1] in shape[1:]
        raise Feedback(
            f"{name}'s forward returns {what} for 4 samples; expected one score per class for each sample, shape (4, classes)",
            hint="reduce the readout over time inside forward (e.g. its maximum or sum over the time axis), so that "
            "each sample gets one score per class." if over_time else
            "forward must return a (batch, classes) tensor of scores, the largest for the predicted class.",
        )
    if shape[1] < n_classes:
        raise Feedback(
            f"{name}'s forward returns {shape[1]} scores per sample, but the task has {n_classes} classes",
            hint="the readout layer needs one unit per class.",
        )
    try:
        predictions = snn.predict(model, data.x)
    except Exception as exc:
        raise Feedback(
            f"running {name} on held-out data of shape {data.x.shape} raised {type(exc).__name__}: {exc}",
            hint="the network must take (batch, time, units) inputs and return (batch, classes) scores.",
        ) from None
    return float(np.mean(predictions == data.y)), predictions


@check("randman network")
def check_randman_network(model):
    """Held-out accuracy of a trained randman network: at least :data:`RANDMAN_PASS_ACCURACY`."""
    data = randman_held_out()  # the same manifolds (same seed), new samples
    accuracy, _ = _held_out_accuracy(model, data, "the randman network")
    if not (accuracy >= RANDMAN_PASS_ACCURACY):
        raise Feedback(
            f"held-out accuracy {accuracy:.1%} (chance {1 / RANDMAN_TASK['n_classes']:.0%}); "
            f"expected at least {RANDMAN_PASS_ACCURACY:.0%}",
            hint="train for more epochs, or check the learning rate and that hidden neurons spike at all.",
        )
    yield f"held-out accuracy {accuracy:.1%} (at least {RANDMAN_PASS_ACCURACY:.0%})"


@check("sound-localisation network")
def check_sound_network(model):
    """Held-out accuracy of a trained sound-localisation network: at least :data:`SOUND_PASS_ACCURACY`."""
    from neuro4ml.data import ipd_bin_centres_rad

    data = sound_held_out()
    accuracy, predictions = _held_out_accuracy(model, data, "the sound-localisation network")
    error_deg = np.degrees(np.mean(np.abs(ipd_bin_centres_rad(SOUND_TASK["n_bins"])[predictions] - data.info["ipd_rad"])))
    if not (accuracy >= SOUND_PASS_ACCURACY):
        raise Feedback(
            f"held-out accuracy {accuracy:.1%} (chance {1 / SOUND_TASK['n_bins']:.0%}), mean IPD error "
            f"{error_deg:.1f}°; expected at least {SOUND_PASS_ACCURACY:.0%}",
            hint="phase differences are short: try shorter membrane time constants, and train for more epochs.",
        )
    yield f"held-out accuracy {accuracy:.1%} (at least {SOUND_PASS_ACCURACY:.0%}), mean IPD error {error_deg:.1f}°"


@check("confusion matrix")
def check_confusion(confusion, model, x, y, *, n_classes: int | None = None):
    """The learner's ``confusion`` against :func:`neuro4ml.learning.snn.confusion_matrix` of ``model`` on ``(x, y)``."""
    torch = _torch()
    from neuro4ml.learning import snn

    n = SOUND_TASK["n_bins"] if n_classes is None else int(n_classes)
    if unanswered(model):
        raise Feedback("train sound_model first: the confusion matrix is computed from it.", status=NOT_IMPLEMENTED)
    got = as_array(confusion, "confusion", shape=(n, n), hint=f"rows are the {n} true bins, columns the {n} predicted bins.")
    if not isinstance(model, torch.nn.Module):
        raise Feedback(
            f"expected the network to be a torch.nn.Module, got {type(model).__name__}",
            hint="pass the trained network itself (sound_model), not its history or accuracy.",
        )
    try:
        labels = np.asarray(y, dtype=int)
        if labels.ndim != 1 or len(labels) == 0 or labels.min() < 0 or labels.max() >= n:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        raise Feedback(
            f"expected the labels to be a non-empty 1-d array of bins 0 to {n - 1}, got {type(y).__name__}",
            hint="pass the held-out labels (sound_test.y) that go with the inputs.",
        ) from None
    try:
        expected = snn.confusion_matrix(model, x, labels, n)
    except Exception as exc:
        raise Feedback(
            f"running the network on the inputs ({type(x).__name__}) raised {type(exc).__name__}: {exc}",
            hint="pass the trained network and the held-out inputs and labels used for the confusion matrix.",
        ) from None

    def agrees(candidate):
        return close(got, candidate, Tolerance(rtol=1e-6, atol=1e-9))

    if agrees(expected):
        yield f"{int(expected.sum())} samples in {n} bins: counts match (rows are true bins, columns predicted bins)"
        return
    with np.errstate(invalid="ignore", divide="ignore"):
        mistakes = [
            (expected.T, "the matrix is transposed: your rows are the predicted bins and your columns the true ones",
             "index the matrix by the true bin first and the predicted bin second, so that row i holds the samples of class i."),
            (expected / np.maximum(expected.sum(1, keepdims=True), 1), "rows hold fractions, not counts",
             "store the number of samples in each cell; the plotting cell normalises the rows itself."),
            (expected / np.maximum(expected.sum(0, keepdims=True), 1), "columns hold fractions, not counts",
             "store the number of samples in each cell; the plotting cell normalises the rows itself."),
            (expected / max(expected.sum(), 1), "the matrix holds fractions of all samples, not counts",
             "store the number of samples in each cell; the plotting cell normalises the rows itself."),
        ]
    for candidate, message, hint in mistakes:
        if agrees(candidate):
            raise Feedback(message, hint=hint)
    row_sums = got.sum(1)
    class_counts = np.bincount(labels, minlength=n)[:n]
    if not close(row_sums, class_counts):
        i = int(np.flatnonzero(row_sums != class_counts)[0])
        raise Feedback(
            f"row {i} adds up to {row_sums[i]:g}, but the data hold {class_counts[i]} samples of true bin {i}",
            hint="each test sample adds exactly one count, in the row of its true bin and the column of the bin the network chose.",
        )
    i, j = (int(k) for k in np.argwhere(np.abs(got - expected) > 1e-9)[0])
    raise Feedback(
        f"confusion[{i}, {j}] is {got[i, j]:g}: {'more' if got[i, j] > expected[i, j] else 'fewer'} samples of true bin "
        f"{i} than the network put in bin {j}",
        hint="the predictions must come from this network on these inputs; count each sample in the column of the class it predicts.",
    )
