"""Train the week 5 sound-localisation network that week 6's exercise analyses, and ship its weights.

Run from the repository root (the recorded run took 314 s on 2 CPU cores shared with other jobs)::

    PYTHONPATH=src python scripts/train_sound_network.py

It trains :class:`neuro4ml.learning.snn.SNN` on :func:`neuro4ml.data.sound_localisation` with the
settings below (the week 5 solution's network, trained on more samples for more epochs), scores
it on fresh samples, and writes the weights, the settings and that held-out accuracy to
``src/neuro4ml/data/files/sound_localisation_snn.npz``, which
:func:`neuro4ml.learning.trained.load_sound_network` reads. ``tests/test_trained_networks.py`` loads the
file and checks the recorded accuracy on the same fresh samples.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch

from neuro4ml.learning import snn
from neuro4ml.data import sound_localisation
from neuro4ml.learning.trained import SOUND_NETWORK_PATH

#: The task (keyword arguments of sound_localisation), as in week 5's exercise.
TASK = {"n_bins": 12, "n_per_ear": 50, "duration_ms": 100.0, "dt_ms": 1.0}
#: The network (arguments of snn.SNN): the week 5 solution's.
NETWORK = {"n_in": 100, "n_hidden": 64, "n_out": 12, "tau_ms": 2.0, "readout_tau_ms": 20.0, "weight_gain": 2.0, "seed": 0}
#: Training data and loop.
TRAINING = {"n_samples": 4000, "data_seed": 101, "epochs": 20, "lr": 1e-2, "batch_size": 64, "seed": 0}
#: The fresh samples the recorded accuracy is measured on.
EVALUATION = {"n_samples": 2000, "data_seed": 102}


def main() -> None:
    torch.manual_seed(0)
    train = sound_localisation(TRAINING["n_samples"], **TASK, seed=TRAINING["data_seed"])
    test = sound_localisation(EVALUATION["n_samples"], **TASK, seed=EVALUATION["data_seed"])
    network = dict(NETWORK)
    model = snn.SNN(network.pop("n_in"), network.pop("n_hidden"), network.pop("n_out"), **network).to("cpu")
    start = time.perf_counter()
    history = snn.train(
        model, train.x, train.y, epochs=TRAINING["epochs"], lr=TRAINING["lr"], batch_size=TRAINING["batch_size"],
        seed=TRAINING["seed"], test=(test.x[:500], test.y[:500]),
    )
    seconds = time.perf_counter() - start
    accuracy = snn.evaluate(model, test.x, test.y)
    settings = {
        "task": TASK, "network": NETWORK, "training": TRAINING, "evaluation": EVALUATION,
        "test_accuracy": accuracy, "train_accuracy": history.train_accuracy[-1],
        "training_seconds": round(seconds, 1), "torch": torch.__version__,
    }
    arrays = {f"state/{k}": v.detach().cpu().numpy() for k, v in model.state_dict().items()}
    SOUND_NETWORK_PATH.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(SOUND_NETWORK_PATH, settings=np.array(json.dumps(settings)), **arrays)
    print(json.dumps(settings, indent=1))
    print("held-out accuracy per epoch (first 500 samples):", [round(a, 3) for a in history.test_accuracy])
    print("wrote", Path(SOUND_NETWORK_PATH).resolve())


if __name__ == "__main__":
    main()
