"""The course's matplotlib style: the Okabe-Ito palette, applied by one call or by a matplotlibrc file."""

from __future__ import annotations

import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from neuro4ml.plotting import style  # noqa: E402

# Okabe & Ito (2008), "Color Universal Design", the eight colours as published (RGB 0-255).
PUBLISHED_RGB = {
    (0, 0, 0), (230, 159, 0), (86, 180, 233), (0, 158, 115),
    (240, 228, 66), (0, 114, 178), (213, 94, 0), (204, 121, 167),
}


def _rgb(hex_colour: str) -> tuple[int, ...]:
    return tuple(int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))


def test_palette_is_okabe_ito_with_yellow_and_black_last():
    colours = list(style.OKABE_ITO.values())
    assert {_rgb(c) for c in colours} == PUBLISHED_RGB
    assert [_rgb(c) for c in colours[-2:]] == [(240, 228, 66), (0, 0, 0)]


def test_use_sets_the_colour_cycle():
    with plt.rc_context():
        style.use()
        fig, ax = plt.subplots()
        lines = [ax.plot([0, 1], [0, i])[0] for i in range(3)]
        assert [line.get_color() for line in lines] == list(style.OKABE_ITO.values())[:3]
        plt.close(fig)


def test_matplotlibrc_file_gives_the_same_style_to_a_fresh_process(tmp_path):
    path = style.write_matplotlibrc(tmp_path / "matplotlibrc")
    code = "import matplotlib as m; print(','.join(m.rcParams['axes.prop_cycle'].by_key()['color']))"
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "MATPLOTLIBRC": str(path)}, capture_output=True, text=True)
    assert out.stderr == ""
    assert [c.upper() for c in out.stdout.strip().split(",")] == [c.upper() for c in style.OKABE_ITO.values()]


def test_series_differ_in_more_than_colour():
    series = [style.series(i) for i in range(len(style.LINE_STYLES))]
    assert len({repr(s["linestyle"]) for s in series}) == len(series)
    assert len({s["marker"] for s in series}) == len(series)
    assert style.series(len(series)) == style.series(0)


def test_every_generated_notebook_applies_the_style_in_its_first_cell():
    import nbformat

    from neuro4ml.course.project import Project

    project = Project.find(__file__)
    notebooks = sorted([*project.exercises_dir.glob("*.ipynb"), *project.solutions_dir.glob("*.ipynb")])
    assert notebooks
    for path in notebooks:
        first = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        assert "neuro4ml.plotting.style.use()" in first.source, path.name
