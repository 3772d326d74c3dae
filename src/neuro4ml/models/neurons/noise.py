r"""A fast generator of normal numbers: the noise of the noisy leaky integrate-and-fire neuron.

The ziggurat method of Marsaglia & Tsang (2000), vectorised with numpy on PCG64 bits, draws
standard normal numbers about twice as fast as numpy's own generator here
(``benchmarks/README.md``); :func:`noise_source` decides which generator a run uses.
"""

from __future__ import annotations

import math
from numbers import Integral

import numpy as np

#: The ziggurat of Marsaglia & Tsang (2000) for the normal density with 256 layers:
#: the right end of the base strip's rectangle and the common area of the layers.
_ZIGGURAT_R = 3.6541528853610088
_ZIGGURAT_V = 4.92867323399e-3
#: Numbers made per call of the vectorised fast path (small enough to stay in cache).
_ZIGGURAT_CHUNK = 10_000


def _ziggurat_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The layer edges ``x[0..256]``, densities ``f(x)`` and integer acceptance bounds.

    ``x[1] = r`` and ``x[i + 1] = f^{-1}(v / x[i] + f(x[i]))`` with
    ``f(x) = exp(-x^2 / 2)``, so every layer ``[0, x[i]] x [f(x[i]), f(x[i + 1])]``
    has area ``v``; ``x[0] = v / f(r)`` is the width the base strip (rectangle and
    tail) would have as a rectangle, and ``x[256] = 0``.
    """
    x = np.zeros(257)
    x[0] = _ZIGGURAT_V / math.exp(-0.5 * _ZIGGURAT_R**2)
    x[1] = _ZIGGURAT_R
    for i in range(1, 255):
        x[i + 1] = math.sqrt(-2.0 * math.log(_ZIGGURAT_V / x[i] + math.exp(-0.5 * x[i] ** 2)))
    f = np.exp(-0.5 * x**2)
    # |t| x[i] / 2^24 < x[i + 1]  <=>  |t| < 2^24 x[i + 1] / x[i]  <=>  |t| < ceil(that), t an integer
    bound = np.ceil(2.0**24 * x[1:] / x[:256]).astype(np.int32)
    return x, f, bound


class ZigguratNormal:
    r"""Standard normal numbers from the ziggurat method, vectorised with numpy.

    Faster than ``numpy.random.Generator.standard_normal``: about 8 ns a number against
    numpy's 10-17 ns on the 2-core machine of ``benchmarks/README.md``. The noisy
    :func:`~neuro4ml.models.neurons.lif` uses it when given an integer seed (or None). The numbers
    are exactly normally distributed (up to the 24-bit resolution of the uniform numbers inside
    each layer), independent, and reproducible from the seed. The stream is this one:

    * Bits come from numpy's ``PCG64`` bit generator seeded with ``seed`` (O'Neill
      2014); ``numpy.random.Generator(that bit generator).random`` gives the uniform
      numbers of the slow path below.
    * **Fast path.** Numbers are made ``n`` at a time (``n`` the size of the request,
      at most ``_ZIGGURAT_CHUNK`` at once): ``ceil(n / 2)`` 64-bit words from
      ``random_raw``, read as ``n`` 32-bit words ``w`` in little-endian order. The low
      8 bits pick the layer ``i``; the high 24 bits, as a signed integer ``s``, give
      the odd integer :math:`t = 2s + 1 \in (-2^{24}, 2^{24})` and the candidate
      :math:`z = t\,(c\,x_i / 2^{24})` (:math:`c` the requested scale, 1 for
      standard normals, multiplied into the table once). It is accepted when
      :math:`|z| < c\,x_{i+1}` (tested exactly on the integer ``t``), that is for about
      98.5 % of the numbers.
    * **Slow path**, for the rest, in rounds over the whole request, in increasing
      position: each position of a layer ``i >= 1`` (a wedge) draws one uniform
      :math:`U` and keeps ``z`` if :math:`f(x_{i+1}) + U (f(x_i) - f(x_{i+1})) <
      f(z / c)`, :math:`f(x) = e^{-x^2/2}`; then each position of layer 0 (the tail)
      draws uniforms :math:`U_1, U_2` in pairs until
      :math:`y = -\ln(1 - U_2)` and :math:`x = -\ln(1 - U_1)/r` have :math:`2y > x^2`, and
      becomes :math:`\pm c (r + x)` with the sign of ``t`` (Marsaglia 1964); finally the
      wedge positions that were not kept draw new 32-bit words (one ``random_raw``
      call for all of them, in the order above) and go through the fast test again.

    This is the method of Marsaglia & Tsang (2000), "The ziggurat method for
    generating random variables", J. Stat. Softw. 5(8):1-7, with their 256-layer
    constants :math:`r = 3.6541528853610088`, :math:`v = 4.92867323399 \times 10^{-3}`.
    Each number's value depends only on the bits drawn for it, so splitting a request
    in two gives the same numbers as long as the slow-path draws come in the same
    order, which they do only for the same sequence of request sizes: reproduce a run
    with the same seed and the same calls.

    Parameters
    ----------
    seed : int or None
        Seed of the ``PCG64`` bit generator; None draws fresh entropy.

    Examples
    --------
    >>> a = ZigguratNormal(5).standard_normal(1000)
    >>> b = ZigguratNormal(5).standard_normal(1000)
    >>> bool(np.array_equal(a, b)), a.shape
    (True, (1000,))
    """

    _x, _f, _bound = _ziggurat_tables()

    def __init__(self, seed: int | None = None) -> None:
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, Integral)):
            raise TypeError(f"seed must be an integer or None, got {type(seed).__name__}")
        self._bits = np.random.PCG64(seed)
        self._uniform = np.random.Generator(self._bits)
        self._layer_width: dict[float, np.ndarray] = {}
        self._scratch = (
            np.empty(_ZIGGURAT_CHUNK, np.intp), np.empty(_ZIGGURAT_CHUNK, np.int32),
            np.empty(_ZIGGURAT_CHUNK, np.int32), np.empty(_ZIGGURAT_CHUNK), np.empty(_ZIGGURAT_CHUNK, bool),
        )

    def _words(self, n: int) -> np.ndarray:
        """``n`` 32-bit words (little-endian halves of ``ceil(n / 2)`` 64-bit draws)."""
        raw = self._bits.random_raw((n + 1) // 2).astype("<u8", copy=False)
        return raw.view("<u4")[:n]

    def _fast(self, out: np.ndarray, width: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Fast path into ``out``, a chunk at a time; returns the rejected positions, their layers and ``t``."""
        pending, layers, ts = [], [], []
        for start in range(0, out.size, _ZIGGURAT_CHUNK):
            chunk = out[start : start + _ZIGGURAT_CHUNK]
            n = chunk.size
            words = self._words(n)
            layer, t, bound, table, outside = (a[:n] for a in self._scratch)
            np.bitwise_and(words, 255, out=layer, casting="unsafe")
            # t = 2 s + 1, s the signed high 24 bits: shift by 7 only, then set the lowest bit
            np.right_shift(words.view("<i4"), 7, out=t)
            np.bitwise_or(t, 1, out=t)
            np.take(width, layer, out=table, mode="clip")  # layer < 256: clip never clips
            np.multiply(t, table, out=chunk)
            np.take(self._bound, layer, out=bound, mode="clip")
            np.greater_equal(np.abs(t), bound, out=outside)
            rejected = np.flatnonzero(outside)
            pending.append(rejected + start)
            layers.append(layer[rejected])
            ts.append(t[rejected])
        if not pending:
            return np.zeros(0, np.intp), np.zeros(0, np.intp), np.zeros(0, np.int32)
        return np.concatenate(pending), np.concatenate(layers), np.concatenate(ts)

    def fill(self, out: np.ndarray, scale: float = 1.0) -> np.ndarray:
        """Fill the 1-D float64 array ``out`` with ``scale`` times standard normal numbers (see the class)."""
        if out.ndim != 1 or out.dtype != np.float64 or not out.flags.c_contiguous:
            raise ValueError(f"out must be a contiguous 1-D float64 array, got {out.dtype} of shape {out.shape}")
        scale = float(scale)
        width = self._layer_width.get(scale)
        if width is None:
            width = self._layer_width.setdefault(scale, scale * self._x[:256] / 2.0**24)
        position, layer, t = self._fast(out, width)
        x, f = self._x, self._f
        while position.size:
            wedge = layer > 0
            # wedges: keep z (already in out) when a uniform point of the layer's strip is under f
            w_pos, w_layer, w_t = position[wedge], layer[wedge], t[wedge]
            z = w_t * (x[w_layer] / 2.0**24)
            height = f[w_layer + 1] + self._uniform.random(w_pos.size) * (f[w_layer] - f[w_layer + 1])
            keep = height < np.exp(-0.5 * z * z)
            # the tail beyond r (Marsaglia 1964)
            tail_pos, tail_sign = position[~wedge], np.sign(t[~wedge]).astype(np.float64)
            while tail_pos.size:
                u = self._uniform.random((tail_pos.size, 2))
                beyond = -np.log1p(-u[:, 0]) / _ZIGGURAT_R
                done = -2.0 * np.log1p(-u[:, 1]) > beyond * beyond
                out[tail_pos[done]] = scale * tail_sign[done] * (_ZIGGURAT_R + beyond[done])
                tail_pos, tail_sign = tail_pos[~done], tail_sign[~done]
            # the wedge positions not kept start again
            position = w_pos[~keep]
            if position.size:
                retry = np.empty(position.size)
                rejected, layer, t = self._fast(retry, width)
                out[position] = retry
                position = position[rejected]
        return out

    def standard_normal(self, size: int | tuple[int, ...], scale: float = 1.0) -> np.ndarray:
        """A new float64 array of the given size filled by :meth:`fill` (C order)."""
        out = np.empty(size)
        self.fill(out.reshape(-1), scale)
        return out


def noise_source(rng: object) -> np.random.Generator | ZigguratNormal:
    """Return the source of :func:`~neuro4ml.models.neurons.lif`'s noise.

    A numpy Generator or a :class:`ZigguratNormal` is used as given; an integer seed or None
    gives a :class:`ZigguratNormal`.
    """
    if isinstance(rng, (np.random.Generator, ZigguratNormal)):
        return rng
    if rng is None or (isinstance(rng, Integral) and not isinstance(rng, bool)):
        return ZigguratNormal(None if rng is None else int(rng))
    raise TypeError(
        "rng must be a numpy.random.Generator, a neuro4ml.models.neurons.ZigguratNormal, an integer seed or None, "
        f"got {type(rng).__name__}"
    )
