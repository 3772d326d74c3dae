"""The course's matplotlib style: colours that colour-blind readers can tell apart, and
lines that differ by more than their colour.

The colour cycle is the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"),
chosen so that its colours stay distinct under the common forms of colour blindness
(protanopia, deuteranopia, tritanopia); yellow and black come last, yellow because it is
faint on white.

Colour alone should never carry the difference between lines: give the lines of one
axes their own dashes or markers as well, e.g. ``ax.plot(x, y, color=f"C{i}",
ls=LINE_STYLES[i])``, or with :func:`series` (colour, dashes and marker of the ``i``-th
series together). The style does not cycle line styles itself, because matplotlib would
then dash every line drawn with a colour-only format string such as ``"k"``.

Use it in a notebook with one call::

    import neuro4ml.plotting.style
    neuro4ml.plotting.style.use()

The lecture pages do not need the call: the site build points every page's kernel at a
``matplotlibrc`` file written from :data:`RC_PARAMS` (see ``content/conf.py``).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["OKABE_ITO", "LINE_STYLES", "MARKERS", "RC_PARAMS", "matplotlibrc", "series", "use", "write_matplotlibrc"]

# Okabe & Ito (2008), in the order the cycle uses them.
OKABE_ITO = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "bluish green": "#009E73",
    "orange": "#E69F00",
    "reddish purple": "#CC79A7",
    "sky blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
# One dash pattern per colour of the cycle (matplotlib's (offset, on-off sequence) form).
LINE_STYLES = [
    "-",
    "--",
    "-.",
    ":",
    (0, (5, 1.5, 1, 1.5, 1, 1.5)),
    (0, (8, 2)),
    (0, (1, 3)),
    (0, (3, 1, 1, 1)),
]


MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


def series(i: int) -> dict:
    """Colour, line style and marker of the ``i``-th series (cycling), as keyword arguments of ``plot``."""
    n = len(LINE_STYLES)
    return {"color": f"C{i % n}", "linestyle": LINE_STYLES[i % n], "marker": MARKERS[i % n]}


def _cycler():
    from cycler import cycler

    return cycler(color=list(OKABE_ITO.values()))


RC_PARAMS = {
    "axes.spines.top": False,
    "axes.spines.right": False,
    "image.cmap": "viridis",  # perceptually uniform and readable in greyscale and by colour-blind readers
    "legend.frameon": False,
}


def _style() -> dict:
    return {**RC_PARAMS, "axes.prop_cycle": _cycler()}


def use() -> None:
    """Apply the course style to every figure drawn from now on (in this Python process)."""
    import matplotlib.pyplot as plt

    plt.style.use(_style())


def _rc_value(value) -> str:
    return str(value)


def matplotlibrc() -> str:
    """The course style as the text of a ``matplotlibrc`` file."""
    colors = ", ".join(f"'{c.lstrip('#')}'" for c in OKABE_ITO.values())
    lines = [f"{key}: {_rc_value(value)}" for key, value in RC_PARAMS.items()]
    lines.append(f"axes.prop_cycle: cycler(color=[{colors}])")
    return "# The neuro4ml course style (neuro4ml.plotting.style): written by the site build.\n" + "\n".join(lines) + "\n"


def write_matplotlibrc(path: Path) -> Path:
    """Write :func:`matplotlibrc` to ``path`` (only when it changed) and return the path."""
    path = Path(path)
    text = matplotlibrc()
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path
