"""The trained networks shipped in the package: they load, and score what their training script recorded."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("torch")

from neuro4ml.learning import snn  # noqa: E402
from neuro4ml.data import sound_localisation  # noqa: E402
from neuro4ml.learning.trained import load_sound_network  # noqa: E402
from neuro4ml.learning.trained import SOUND_NETWORK_PATH  # noqa: E402

#: The shipped network is far above chance (1/12); it recorded 62% on 2000 fresh samples.
SOUND_NETWORK_MIN_ACCURACY = 0.55


def test_the_sound_network_scores_its_recorded_accuracy_on_fresh_samples():
    network = load_sound_network()
    evaluation = network.settings["evaluation"]
    data = sound_localisation(evaluation["n_samples"], **network.task, seed=evaluation["data_seed"])
    accuracy = snn.evaluate(network.model, data.x, data.y)
    # The same samples as the script's; a few borderline spikes may differ between machines (float32 sums).
    assert accuracy == pytest.approx(network.test_accuracy, abs=0.005)
    assert accuracy > SOUND_NETWORK_MIN_ACCURACY


def test_the_sound_network_generalises_to_samples_it_never_saw():
    network = load_sound_network()
    data = sound_localisation(500, **network.task, seed=2026)
    assert snn.evaluate(network.model, data.x, data.y) > SOUND_NETWORK_MIN_ACCURACY


def test_the_sound_network_file_records_how_it_was_made():
    with np.load(SOUND_NETWORK_PATH) as data:
        settings = json.loads(str(data["settings"]))
        assert data["state/hidden.weight"].shape == (64, 100)
        assert data["state/readout.weight"].shape == (12, 64)
    assert settings["task"] == {"n_bins": 12, "n_per_ear": 50, "duration_ms": 100.0, "dt_ms": 1.0}
    assert settings["network"]["tau_ms"] == 2.0
    network = load_sound_network()
    assert isinstance(network.model, snn.SNN) and not network.model.training
