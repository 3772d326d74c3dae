"""Trained networks shipped with the library, so that every learner analyses the same one.

* :func:`load_sound_network` -- the week 5 sound-localisation network
  (:class:`neuro4ml.learning.snn.SNN`: 100 inputs, 64 hidden LIF neurons with
  :math:`\\tau = 2` ms, 12 leaky readout neurons), trained with surrogate gradients on
  :func:`neuro4ml.data.sound_localisation` by ``scripts/train_sound_network.py``,
  which records its settings and its accuracy on fresh samples next to the weights.

Loading needs PyTorch (``pip install "neuro4ml[snn]"``); importing this module does not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["SOUND_NETWORK_PATH", "TrainedNetwork", "load_sound_network"]

#: Where the weights of the sound-localisation network live (package data).
SOUND_NETWORK_PATH = Path(__file__).resolve().parent / "data" / "sound_localisation_snn.npz"


@dataclass(frozen=True, eq=False)
class TrainedNetwork:
    """A trained network and how it was made.

    Attributes
    ----------
    model : neuro4ml.learning.snn.SNN
        The network, on the CPU, in evaluation mode.
    task : dict
        Keyword arguments of the data generator it was trained on (without ``seed``).
    settings : dict
        Everything the training script recorded: network, training and evaluation
        settings, and ``test_accuracy`` (a fraction) on ``settings["evaluation"]``'s
        ``n_samples`` fresh samples drawn with seed ``data_seed``.
    """

    model: Any
    task: dict
    settings: dict

    @property
    def test_accuracy(self) -> float:
        """The held-out accuracy recorded when the weights were written (a fraction)."""
        return float(self.settings["test_accuracy"])


def load_sound_network() -> TrainedNetwork:
    """The trained week 5 sound-localisation network (see the module docstring).

    Returns
    -------
    TrainedNetwork
        ``model`` maps inputs ``(batch, time, 100)`` to logits ``(batch, 12)``; generate
        its inputs with ``sound_localisation(n, **network.task, seed=...)``.
    """
    from neuro4ml.learning import snn  # needs PyTorch
    import torch

    if not SOUND_NETWORK_PATH.exists():  # pragma: no cover - a broken installation
        raise FileNotFoundError(f"the trained network's weights are missing: {SOUND_NETWORK_PATH}")
    with np.load(SOUND_NETWORK_PATH) as data:
        settings = json.loads(str(data["settings"]))
        state = {key.removeprefix("state/"): torch.as_tensor(data[key]) for key in data.files if key.startswith("state/")}
    network = dict(settings["network"])
    model = snn.SNN(network.pop("n_in"), network.pop("n_hidden"), network.pop("n_out"), **network)
    model.load_state_dict(state)
    model.eval()
    return TrainedNetwork(model, dict(settings["task"]), settings)
