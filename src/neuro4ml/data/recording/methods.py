"""What each recording method resolves in space and time, for the comparison of methods."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RECORDING_METHODS", "RecordingMethod"]


# ---------------------------------------------------------------------------
# What each method resolves
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordingMethod:
    """Orders of magnitude of what one recording method resolves.

    Attributes
    ----------
    name : str
    space_m : tuple of float
        Range of spatial resolution, in metres (the smallest distinguishable source).
    time_s : tuple of float
        Range of temporal resolution, in seconds.
    coverage : str
        How much of the brain one recording covers, in words.
    invasive : bool
        Whether the method needs surgery (an implant or a cranial window).
    reference : str
        Key in the course bibliography.
    """

    name: str
    space_m: tuple[float, float]
    time_s: tuple[float, float]
    coverage: str
    invasive: bool
    reference: str


#: Spatial and temporal resolution of the main recording methods, as ranges of order of
#: magnitude in the manner of the plots of Churchland & Sejnowski (1988, Science
#: 242:741-745) and Sejnowski, Churchland & Movshon (2014, Nat Neurosci 17:1440-1441).
#: The numbers are from the paper cited in each entry: the Neuropixels probe records
#: spikes of single neurons (sites 20 µm apart, sampled at 30 kHz; Jun et al. 2017); the
#: local field potential sums currents over hundreds of µm (Buzsáki, Anastassiou & Koch
#: 2012); two-photon calcium imaging resolves single cells at frame rates near 30 Hz,
#: blurred further by indicator decays of 0.1-1 s (Chen et al. 2013; Stringer et al.
#: 2019 imaged about 10,000 neurons at once); voltage imaging resolves single cells and
#: single spikes at frame rates of hundreds of Hz (Abdelfattah et al. 2019); EEG and MEG
#: follow millisecond changes but localise sources to millimetres (MEG) or centimetres
#: (EEG) at best (Hämäläinen et al. 1993); fMRI voxels are 1-5 mm across and the
#: haemodynamic response lasts seconds (Logothetis 2008).
RECORDING_METHODS = (
    RecordingMethod("Neuropixels (spikes)", (1e-5, 1e-4), (3e-5, 1e-3), "hundreds of neurons per probe", True, "jun2017fully"),
    RecordingMethod("local field potential", (1e-4, 1e-3), (1e-3, 1e-2), "summed activity near each site", True, "buzsaki2012origin"),
    RecordingMethod("two-photon calcium imaging", (1e-6, 1e-5), (3e-2, 1.0), "up to about 10,000 neurons", True, "stringer2019spontaneous"),
    RecordingMethod("voltage imaging", (1e-6, 1e-5), (1e-3, 1e-2), "tens of neurons", True, "abdelfattah2019bright"),
    RecordingMethod("MEG", (3e-3, 3e-2), (1e-3, 1e-1), "whole head", False, "hamalainen1993magnetoencephalography"),
    RecordingMethod("EEG", (1e-2, 1e-1), (1e-3, 1e-1), "whole head", False, "hamalainen1993magnetoencephalography"),
    RecordingMethod("fMRI", (1e-3, 5e-3), (1.0, 10.0), "whole brain", False, "logothetis2008what"),
)
