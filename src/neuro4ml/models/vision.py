r"""A toy model of simple and complex cells in the primary visual cortex.

A *simple cell* is an oriented, even Gabor filter followed by rectification; a *complex
cell* takes the maximum of simple cells that share an orientation but sit at different
positions, as Hubel & Wiesel (1962) proposed complex cells pool simple cells (the
max-pooling of convolutional networks). Images are square, ``(size, size)``, with
coordinates in pixels centred on the middle pixel; angles are in degrees, 0 meaning a
horizontal bar. This is an illustration, not a model fitted to data.
"""

from __future__ import annotations

import numpy as np

from neuro4ml.validation import positive_number

__all__ = ["bar_image", "complex_cell_response", "gabor_filter", "simple_cell_response"]


def _grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    coords = np.arange(size) - size // 2
    return np.meshgrid(coords, coords)


def _across_along(angle_deg: float, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Distance across (perpendicular to) and along a line through the centre at ``angle_deg``."""
    xx, yy = _grid(size)
    a = np.deg2rad(angle_deg)
    return -xx * np.sin(a) + yy * np.cos(a), xx * np.cos(a) + yy * np.sin(a)


def bar_image(angle_deg: float, offset: float, *, size: int = 21, width: float = 1.0) -> np.ndarray:
    """A bright bar with a Gaussian profile of s.d. ``width`` pixels through the centre,
    shifted perpendicular to itself by ``offset`` pixels."""
    width = positive_number(width, "width")
    across, _ = _across_along(angle_deg, size)
    return np.exp(-((across - offset) ** 2) / (2 * width**2))


def gabor_filter(angle_deg: float, centre: float, *, size: int = 21, sigma: float = 3.0,
                 wavelength: float = 8.0) -> np.ndarray:
    r"""Even Gabor filter with zero mean: an excitatory stripe flanked by inhibitory ones.

    .. math:: g = e^{-(u^2 + v^2)/2\sigma^2} \cos(2\pi u/\lambda) - \text{mean},

    with :math:`u` the distance across the preferred orientation from a line shifted by
    ``centre`` pixels and :math:`v` the distance along it.
    """
    sigma = positive_number(sigma, "sigma")
    wavelength = positive_number(wavelength, "wavelength")
    across, along = _across_along(angle_deg, size)
    across = across - centre
    g = np.exp(-(across**2 + along**2) / (2 * sigma**2)) * np.cos(2 * np.pi * across / wavelength)
    return g - g.mean()


def simple_cell_response(image: np.ndarray, centre: float, preferred_deg: float = 0.0) -> float:
    """Rectified filter output: :math:`\\max(0, \\sum g \\cdot \\text{image})`."""
    image = np.asarray(image, dtype=float)
    return max(0.0, float(np.sum(image * gabor_filter(preferred_deg, centre, size=image.shape[0]))))


def complex_cell_response(image: np.ndarray, centres: np.ndarray, preferred_deg: float = 0.0) -> float:
    """Maximum of the simple cells with the preferred orientation at each of ``centres``."""
    return max(simple_cell_response(image, c, preferred_deg) for c in np.asarray(centres, dtype=float))
