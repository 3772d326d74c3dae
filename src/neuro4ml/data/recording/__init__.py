r"""Forward models of recordings: what calcium imaging and fMRI see of neural activity.

A recording method never hands over spikes. It hands over a signal that the spikes
caused through a chain of physics and biology, blurred in time and corrupted by noise.
This module models two such chains, and one way back:

* **Calcium imaging.** Spikes raise the intracellular calcium concentration, which
  binds a fluorescent indicator such as GCaMP6; the fluorescence rises over about
  50 ms (GCaMP6f) to 150 ms (GCaMP6s) and decays over hundreds of milliseconds or more
  (:func:`calcium_fluorescence`).
  :func:`deconvolve_calcium` estimates the spikes back from the fluorescence, and
  :func:`match_spikes` scores the estimate against the truth.
* **fMRI.** The blood-oxygen-level-dependent (BOLD) signal is, to a first
  approximation, neural activity convolved with a slow haemodynamic response function
  (:func:`canonical_hrf`, :func:`bold_signal`). :func:`fmri_example` loads a real
  event-related fMRI recording shipped with ``nitime``, and :func:`event_related_response`
  estimates the response to each kind of event from it.

Conventions shared by the calcium functions:

* **Shapes.** Spikes and fluorescence are one trace shaped ``(time,)`` or a stack shaped
  ``(neurons, time)``; results keep the shape of the input.
* **Time grid.** Sample ``k`` (an imaging frame) is taken at ``t_ms[k] = k * dt_ms``.
  ``spikes[..., k]`` counts the spikes in the bin ``[k dt, (k+1) dt)``, as
  :func:`neuro4ml.models.spikes.spike_times_to_raster` does, and the model places them at the
  start of the bin, ``k * dt_ms``. Because the indicator takes time to rise, a spike in
  bin ``k`` first shows in frame ``k + 1``.
* **Units.** The calcium concentration is in units of the peak of one isolated spike's
  transient (one spike alone raises it to exactly 1); fluorescence is
  :math:`\Delta F/F_0`, the change relative to the baseline fluorescence.
* **Integration.** The concentration is computed exactly on the grid (the sampled
  difference of exponentials obeys a second-order autoregression), not by Euler steps.

The fMRI functions work in seconds (``t_s``, ``dt_s``, ``tr_s``), the natural unit of
a response that lasts about 30 s.

The package's modules, each re-exported here: :mod:`~neuro4ml.data.recording.calcium` (indicators, the
forward model, deconvolution and spike matching), :mod:`~neuro4ml.data.recording.fmri` (the haemodynamic
response, BOLD and event-related responses), :mod:`~neuro4ml.data.recording.fmri_data` (the loader of
nitime's event-related recording) and :mod:`~neuro4ml.data.recording.methods` (what each method resolves).
"""

from neuro4ml.data.recording.calcium import (
    GCAMP6F,
    GCAMP6S,
    INDICATORS,
    CalciumDeconvolution,
    CalciumIndicator,
    CalciumRecording,
    SpikeMatch,
    calcium_fluorescence,
    calcium_kernel,
    deconvolve_calcium,
    match_spikes,
)
from neuro4ml.data.recording.fmri import bold_signal, canonical_hrf, event_related_response
from neuro4ml.data.recording.fmri_data import FMRIExample, fmri_example
from neuro4ml.data.recording.methods import RECORDING_METHODS, RecordingMethod

__all__ = [
    "GCAMP6F",
    "GCAMP6S",
    "INDICATORS",
    "RECORDING_METHODS",
    "CalciumDeconvolution",
    "CalciumIndicator",
    "CalciumRecording",
    "FMRIExample",
    "RecordingMethod",
    "SpikeMatch",
    "bold_signal",
    "calcium_fluorescence",
    "calcium_kernel",
    "canonical_hrf",
    "deconvolve_calcium",
    "event_related_response",
    "fmri_example",
    "match_spikes",
]
