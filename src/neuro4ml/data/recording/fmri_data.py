"""The event-related fMRI recording shipped with ``nitime``, loaded without importing nitime."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuro4ml.validation import (
    read_only,
)

__all__ = ["FMRIExample", "fmri_example"]


# ---------------------------------------------------------------------------
# fMRI: real data from nitime
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class FMRIExample:
    """The event-related fMRI recording shipped with ``nitime``.

    Attributes
    ----------
    bold : numpy.ndarray
        BOLD signal in % signal change, shape ``(time,)``.
    events : numpy.ndarray of int
        Trial type starting at each sample (0 for none, 1 to 6 for the six kinds of
        motion stimulus), shape ``(time,)``.
    tr_s : float
        Sampling interval (repetition time), 2 s.
    """

    bold: np.ndarray
    events: np.ndarray
    tr_s: float

    @property
    def time_s(self) -> np.ndarray:
        """Sample times in seconds."""
        return np.arange(self.bold.size) * self.tr_s


def fmri_example() -> FMRIExample:
    """Load the event-related fMRI recording shipped with ``nitime``.

    nitime's documentation ("Event-related fMRI" example) describes it: the BOLD signal
    averaged over motion-sensitive voxels near area MT of one participant viewing
    moving stimuli, six kinds of trial (directions and locations of motion), sampled with
    TR = 2 s. The file has 3360 samples (112 min, presumably several runs concatenated)
    and 96 trials of each kind.

    Raises
    ------
    ImportError
        If nitime is not installed (install ``neuro4ml[exercises]`` or ``neuro4ml[site]``).
    """
    from neuro4ml.data.grasshopper import nitime_data_folder

    try:
        path = nitime_data_folder() / "event_related_fmri.csv"
    except ImportError:
        raise ImportError(
            "The event-related fMRI recording ships inside the 'nitime' package, which is not "
            'installed. Install the exercise extras with: pip install "neuro4ml[exercises]"'
        ) from None
    table = np.genfromtxt(path, delimiter=",", names=True)
    events = table["events"]
    if np.any(events != np.round(events)):
        raise ValueError(f"{path} holds non-integer event codes")
    return FMRIExample(
        bold=read_only(np.asarray(table["bold"], dtype=float)),
        events=read_only(events.astype(int)),
        tr_s=2.0,
    )
