"""The surrogate-gradient benchmark compares the same computation in the three libraries.

``benchmarks/sg_step.py`` refuses to time a case unless neuro4ml, snnTorch and Norse emit
the same hidden spikes and give the same weight gradients (float64, relative 1e-6). This
runs that check on a small batch, for both treatments of the reset, and checks that the
treatment matters (so the check can tell a detached reset from a non-detached one).
snnTorch and Norse come with the ``bench`` extra; without them the test is skipped.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("snntorch")
pytest.importorskip("norse")

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "sg_step.py"


@pytest.fixture(scope="module")
def sg_step():
    spec = importlib.util.spec_from_file_location("sg_step_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.BATCH, module.N_STEPS = 16, 40  # small: the same network, fewer samples and steps
    module.patch_norse_superspike()
    return module


@pytest.mark.parametrize("detached", [True, False])
def test_the_three_libraries_give_the_same_spikes_and_gradients(sg_step, detached):
    x, y = sg_step.make_data()
    agreement = sg_step.check_same_network(sg_step.build(detached), sg_step.build(detached, torch.float64), x, y)
    for name in ("snntorch", "norse"):
        assert agreement[name]["same_hidden_spikes"]
        assert max(agreement[name]["gradient_relative_difference_float64"]) < 1e-6, name


def test_detaching_the_reset_changes_the_gradients(sg_step):
    x, y = sg_step.make_data()
    x64 = x.double()
    grads = {}
    for detached in (True, False):
        model, forward, weights = sg_step.build(detached, torch.float64)["neuro4ml"]
        grads[detached] = sg_step.gradients(model, forward, weights, x64, y)
    input_weights = grads[True][0], grads[False][0]
    assert float((input_weights[0] - input_weights[1]).abs().max() / input_weights[1].abs().max()) > 1e-3
