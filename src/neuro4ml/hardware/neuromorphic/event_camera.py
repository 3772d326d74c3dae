r"""An event camera (dynamic vision sensor) model, and moving scenes to show it.

Each pixel of a dynamic vision sensor (DVS) works on its own and asynchronously: it
compares the log intensity :math:`L = \log I` with the value :math:`L_\text{ref}`
memorised at its last event, and when the difference reaches a contrast threshold
:math:`C` it emits an event :math:`(t, x, y, p)` with polarity :math:`p = +1` (ON,
brighter) or :math:`-1` (OFF, darker), then resets :math:`L_\text{ref}` to the present
:math:`L` (Lichtsteiner, Posch & Delbruck 2008; Gallego et al. 2022). After an event the
pixel is held in reset for a refractory period :math:`r`: changes during it are not
seen, and :math:`L_\text{ref}` follows :math:`L` until it ends.

:func:`dvs_events` turns intensity frames ``(time, height, width)`` sampled every
``dt_ms`` into such events. Between two frames the log intensity is taken to change
linearly (as in the ESIM simulator, Rebecq, Gehrig & Scaramuzza 2018), so events get
their exact times within the frame interval rather than the frame's time stamp. On a
linear stretch of slope :math:`a` the crossings are then periodic: after a first
crossing, the next comes :math:`r + C/|a|` later. Over a log ramp of total change
:math:`\Delta L` lasting :math:`T`, a pixel therefore emits
:math:`\lfloor \Delta L / C \rfloor` events when :math:`r = 0`, and in general
:math:`1 + \lfloor (T - C/|a|) / (r + C/|a|) \rfloor` (if :math:`T \ge C/|a|`).

The first frame sets every pixel's :math:`L_\text{ref}`; times are in ms from the first
frame; ``x`` is the column and ``y`` the row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuro4ml.validation import non_negative_number, positive_number, whole_number

__all__ = ["Events", "dvs_events", "moving_scene"]


@dataclass(frozen=True, eq=False)
class Events:
    """Events sorted by time: ``t_ms``, ``x`` (column), ``y`` (row), ``polarity`` (+1 ON, -1 OFF).

    ``shape`` is the sensor's ``(height, width)`` and ``duration_ms`` the time covered.
    """

    t_ms: np.ndarray
    x: np.ndarray
    y: np.ndarray
    polarity: np.ndarray
    shape: tuple[int, int]
    duration_ms: float

    def __len__(self) -> int:
        return int(self.t_ms.size)

    def histogram(self, bin_ms: float) -> np.ndarray:
        """Event counts ``(bins, 2, height, width)`` in bins of ``bin_ms``; channel 0 is ON, 1 is OFF.

        The input format of an SNN or a CNN that reads events as frames.
        """
        bin_ms = positive_number(bin_ms, "bin_ms")
        n_bins = max(1, int(np.ceil(self.duration_ms / bin_ms - 1e-9)))
        k = np.minimum((self.t_ms / bin_ms).astype(int), n_bins - 1)
        counts = np.zeros((n_bins, 2) + tuple(self.shape), dtype=np.int64)
        np.add.at(counts, (k, (self.polarity < 0).astype(int), self.y, self.x), 1)
        return counts


def dvs_events(
    frames: object,
    dt_ms: float,
    *,
    threshold: float = 0.2,
    refractory_ms: float = 0.0,
    log_eps: float = 0.0,
) -> Events:
    r"""Events of a DVS watching ``frames`` (see the module docstring for the model).

    Parameters
    ----------
    frames : array, shape (time, height, width)
        Intensities, > 0 (or >= 0 with ``log_eps > 0``), frame ``k`` at ``k * dt_ms``.
    dt_ms : float
        Time between frames in ms.
    threshold : float
        Contrast threshold :math:`C` on :math:`\log I` (0.2 is about a 22 % change;
        Lichtsteiner et al. 2008 report thresholds of about 15 %).
    refractory_ms : float
        Refractory period :math:`r` in ms after each event.
    log_eps : float
        Added to the intensity before the log, :math:`L = \log(I + \epsilon)`.

    Returns
    -------
    Events
    """
    try:
        f = np.asarray(frames, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError("frames must be an array of intensities shaped (time, height, width)") from error
    if f.ndim != 3 or f.shape[0] < 1:
        raise ValueError(f"frames must be shaped (time, height, width), got {f.shape}")
    dt_ms = positive_number(dt_ms, "dt_ms")
    c = positive_number(threshold, "threshold")
    r = non_negative_number(refractory_ms, "refractory_ms")
    eps = non_negative_number(log_eps, "log_eps")
    if not np.all(np.isfinite(f)) or np.any(f + eps <= 0):
        raise ValueError("frames + log_eps must be finite and > 0 (the sensor takes the log); "
                         "give log_eps > 0 for frames with zeros")
    n_frames, height, width = f.shape
    log_i = np.log(f + eps).reshape(n_frames, -1)
    l_ref = log_i[0].copy()
    blind_until = np.full(l_ref.shape, -np.inf)
    times, pixels, polarities = [], [], []
    for k in range(1, n_frames):
        t0, l0, l1 = (k - 1) * dt_ms, log_i[k - 1], log_i[k]
        slope = (l1 - l0) / dt_ms
        # pixels that leave the refractory period during this interval start from the present L
        waking = (blind_until > t0) & (blind_until <= t0 + dt_ms)
        start = np.where(waking, blind_until, t0)
        l_ref = np.where(waking, l0 + slope * (start - t0), l_ref)
        awake = blind_until <= t0 + dt_ms
        direction = np.sign(slope)
        moving = awake & (direction != 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            # first time at which L reaches l_ref + direction * C
            level_start = l0 + slope * (start - t0)
            first = start + (l_ref + direction * c - level_start) / np.where(moving, slope, 1.0)
            first = np.maximum(first, start)
            period = r + c / np.abs(np.where(moving, slope, 1.0))
            n = np.where(moving & (first <= t0 + dt_ms + 1e-12),
                         np.floor((t0 + dt_ms - first) / period + 1e-9) + 1, 0).astype(int)
        fire = np.nonzero(n)[0]
        if fire.size:
            counts = n[fire]
            pix = np.repeat(fire, counts)
            m = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            times.append(first[pix] + m * period[pix])
            pixels.append(pix)
            polarities.append(direction[pix].astype(np.int8))
            last = first[fire] + (counts - 1) * period[fire]
            l_ref[fire] = l0[fire] + slope[fire] * (last - t0)
            blind_until[fire] = last + r
        # pixels blind through the end of the interval track the input
        still_blind = blind_until > t0 + dt_ms
        l_ref = np.where(still_blind, l1, l_ref)
    t = np.concatenate(times) if times else np.zeros(0)
    pix = np.concatenate(pixels) if pixels else np.zeros(0, dtype=int)
    pol = np.concatenate(polarities) if polarities else np.zeros(0, dtype=np.int8)
    order = np.argsort(t, kind="stable")
    y, x = np.divmod(pix[order], width)
    return Events(t[order], x, y, pol[order], (height, width), (n_frames - 1) * dt_ms)


def moving_scene(
    n_frames: int = 100,
    height: int = 32,
    width: int = 32,
    *,
    dt_ms: float = 1.0,
    shape: str = "bar",
    speed_px_per_ms: float = 0.3,
    size_px: float = 4.0,
    background: float = 0.2,
    foreground: float = 1.0,
    start_px: float | None = None,
) -> np.ndarray:
    """Frames ``(n_frames, height, width)`` of a bright bar or disc moving left to right.

    ``shape="bar"``: a vertical bar ``size_px`` wide; ``shape="disc"``: a disc of
    diameter ``size_px`` centred on the middle row. Its centre starts at ``start_px``
    (default: just off the left edge) and moves ``speed_px_per_ms * dt_ms`` pixels per
    frame. Edges are anti-aliased (a pixel half covered is halfway between
    ``background`` and ``foreground``) so that the intensity of a pixel changes
    smoothly as the edge crosses it. Deterministic: no noise.
    """
    n_frames = whole_number(n_frames, "n_frames")
    height, width = whole_number(height, "height"), whole_number(width, "width")
    dt_ms = positive_number(dt_ms, "dt_ms")
    size = positive_number(size_px, "size_px")
    background = positive_number(background, "background")
    foreground = positive_number(foreground, "foreground")
    if shape not in ("bar", "disc"):
        raise ValueError(f"shape must be 'bar' or 'disc', got {shape!r}")
    start = -size / 2 if start_px is None else float(start_px)
    centres = start + float(speed_px_per_ms) * dt_ms * np.arange(n_frames)
    cols = np.arange(width) + 0.5
    rows = np.arange(height) + 0.5
    if shape == "bar":
        distance = np.abs(cols[None, None, :] - centres[:, None, None]) + 0 * rows[None, :, None]
    else:
        distance = np.hypot(cols[None, None, :] - centres[:, None, None], rows[None, :, None] - height / 2)
    coverage = np.clip(size / 2 - distance + 0.5, 0.0, 1.0)
    return background + (foreground - background) * coverage
