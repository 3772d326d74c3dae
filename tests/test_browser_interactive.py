"""The interactive figures on the built site, in headless chromium (Debian's, via Playwright).

For each figure: the values the page draws are compared with the library at several
slider positions (closed-form models are evaluated by the page's own script in the
browser; precomputed ones are read from the page and compared with fresh library
runs), moving each slider with the keyboard changes the drawn data (read back from the
DOM), the sliders take focus and arrow keys, every figure has a text alternative and
caption, and no request leaves 127.0.0.1. Like tests/test_browser.py, every wait is
for a specific selector or condition, never for network idleness.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from neuro4ml.plotting import interactive
from neuro4ml.models import plasticity, synapses
from neuro4ml.models.neurons import lif, lif_firing_rate_hz

from test_browser import SLOW_MS, browser, open_page  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.site, pytest.mark.browser]

# Page -> the interactive figures on it.
FIGURES = {
    "week1/abstract-models": ["interactive-lif"],
    "week1/biophysical-models": ["interactive-hodgkin-huxley"],
    "week2/synapse-models": ["interactive-kernels"],
    "week2/synapses-2": ["interactive-tsodyks-markram"],
    "week4/stdp": ["interactive-stdp-window", "interactive-stdp-weights"],
}
ALL = [(page, fid) for page, ids in FIGURES.items() for fid in ids]
# What each page may gain from its figures (the limit).
MAX_ADDED_BYTES = 1_000_000


def figure_specs(html: str) -> dict[str, dict]:
    specs = {}
    for match in re.finditer(r'<script type="application/json" class="n4ml-spec">(.*?)</script>', html, re.S):
        spec = json.loads(match.group(1))
        specs[spec["id"]] = spec
    return specs


def figure_bytes(html: str) -> int:
    return sum(len(m.group(0).encode()) for m in re.finditer(r'<figure class="n4ml-interactive".*?</figure>', html, re.S))


@pytest.mark.parametrize("page", sorted(FIGURES))
def test_pages_embed_their_figures_within_the_size_limit(built_site, page):
    html = (built_site / f"{page}.html").read_text()
    specs = figure_specs(html)
    assert sorted(specs) == sorted(FIGURES[page])
    script = built_site / "_static" / "neuro4ml-interactive.js"
    assert script.is_file()
    added = figure_bytes(html) + script.stat().st_size
    print(f"{page}: {added / 1000:.0f} kB added by the interactive figures")
    assert added < MAX_ADDED_BYTES


def test_the_hodgkin_huxley_page_embeds_the_library_runs(built_site):
    spec = figure_specs((built_site / "week1/biophysical-models.html").read_text())["interactive-hodgkin-huxley"]
    values = spec["sliders"][0]["values"]
    amplitudes = [values[0], values[4], values[12], values[-1]]
    reference = interactive.hodgkin_huxley_steps(amplitudes)
    for i, amplitude in enumerate(amplitudes):
        position = spec["grid"][values.index(amplitude)]
        np.testing.assert_allclose(position[0][0][1], reference["v"][i], atol=0.05 + 1e-9)
        np.testing.assert_allclose(position[1][2][1], reference["n"][i], atol=0.0005 + 1e-9)


def test_the_stdp_page_embeds_the_library_runs(built_site):
    spec = figure_specs((built_site / "week4/stdp.html").read_text())["interactive-stdp-weights"]
    values = spec["sliders"][0]["values"]
    w_max = plasticity.SONG_2000_BRIAN["rule"].w_max
    duration_ms = spec["panels"][1]["x_range"][1] * 1000.0
    for i in (0, len(values) - 1):
        summary = interactive.stdp_weights_summary(interactive.stdp_weights_run(values[i], duration_ms=duration_ms),
                                                   w_max, duration_ms)
        np.testing.assert_array_equal(spec["grid"][i][0][0][1], summary["counts"])
        np.testing.assert_array_equal(spec["grid"][i][1][0][1], summary["rate_hz"])


def open_figure(browser, site_url, page_name, fid):
    page, log = open_page(browser, f"{site_url}/{page_name}.html")
    page.wait_for_selector(f'figure#{fid}[data-ready="true"]')
    return page, log


def drawn(page, fid) -> str:
    """What the figure's SVG panels show, read back from the DOM."""
    return page.evaluate(
        """fid => Array.from(document.querySelectorAll(`#${fid} .n4ml-series`)).map(g =>
            Array.from(g.children).map(e => e.getAttribute('points') ||
                [e.getAttribute('cx'), e.getAttribute('cy'), e.getAttribute('y'), e.getAttribute('height')].join(','))
            .join(' ')).join('|')""",
        fid,
    )


def set_positions(page, fid, positions: dict[str, int]):
    """Move sliders to grid positions (as a user's input event would) and return what the page computed."""
    return page.evaluate(
        """([fid, positions]) => {
            const figure = document.getElementById(fid);
            for (const [name, index] of Object.entries(positions)) {
                const input = figure.querySelector(`input[data-name="${name}"]`);
                input.value = index;
                input.dispatchEvent(new Event('input', {bubbles: true}));
            }
            return figure.neuro4mlData;
        }""",
        [fid, positions],
    )


@pytest.mark.parametrize(("page_name", "fid"), ALL, ids=[f for _, f in ALL])
def test_every_slider_moves_by_keyboard_and_changes_the_plot(browser, site_url, page_name, fid):
    page, log = open_figure(browser, site_url, page_name, fid)
    sliders = page.locator(f"#{fid} input[type=range]")
    assert sliders.count() >= 1
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        slider.focus()
        assert slider.evaluate("s => document.activeElement === s"), "slider cannot take focus"
        before_value, before_text, before_plot = slider.input_value(), slider.get_attribute("aria-valuetext"), drawn(page, fid)
        key = "ArrowLeft" if int(before_value) == int(slider.get_attribute("max")) else "ArrowRight"
        page.keyboard.press(key)
        page.wait_for_function(
            "([s, v]) => document.querySelector(s).value !== v", arg=[f"#{slider.get_attribute('id')}", before_value]
        )
        assert abs(int(slider.input_value()) - int(before_value)) == 1
        assert slider.get_attribute("aria-valuetext") != before_text
        assert drawn(page, fid) != before_plot, f"{fid}: moving {slider.get_attribute('id')} changed nothing drawn"
    assert log.unexpected() == []
    page.close()


@pytest.mark.parametrize(("page_name", "fid"), ALL, ids=[f for _, f in ALL])
def test_every_figure_has_a_text_alternative_and_caption(browser, site_url, page_name, fid):
    page, log = open_figure(browser, site_url, page_name, fid)
    figure = page.locator(f"figure#{fid}")
    described = figure.get_attribute("aria-describedby")
    alt = page.locator(f"#{described}").inner_text()
    assert len(alt) > 200 and "slider" in alt
    caption = page.locator(f"#{figure.get_attribute('aria-labelledby')}")
    assert caption.evaluate("c => c.tagName") == "FIGCAPTION" and len(caption.inner_text()) > 30
    for svg in figure.locator("svg").all():
        assert svg.get_attribute("role") == "img" and len(svg.get_attribute("aria-label")) > 10
    for slider in figure.locator("input[type=range]").all():
        label = page.locator(f'label[for="{slider.get_attribute("id")}"]')
        assert label.count() == 1 and label.inner_text().strip()
    assert log.unexpected() == []
    page.close()


def test_lif_figure_computes_the_library_values(browser, site_url):
    fid = "interactive-lif"
    page, log = open_figure(browser, site_url, "week1/abstract-models", fid)
    spec = interactive.lif_figure().spec()
    values = {s["name"]: s["values"] for s in spec["sliders"]}
    c = spec["constants"]
    for i_index, tau_index in [(0, 0), (10, 8), (15, 3), (25, 38)]:
        data = set_positions(page, fid, {"I": i_index, "tau_ms": tau_index})
        current, tau_ms = values["I"][i_index], values["tau_ms"][tau_index]
        assert data["params"] == {"I": current, "tau_ms": tau_ms}
        n = round(c["duration_ms"] / c["dt_ms"])
        run = lif(np.full(n, current), tau_ms=tau_ms, dt_ms=c["dt_ms"])
        (t, v), _ = data["panels"][0]
        np.testing.assert_allclose(t, np.arange(n) * c["dt_ms"], atol=1e-9)
        np.testing.assert_allclose(v, run.v, atol=1e-9)
        (inputs, rates), (chosen_i, chosen_rate) = data["panels"][1]
        np.testing.assert_allclose(rates, lif_firing_rate_hz(np.array(inputs), tau_ms=tau_ms), rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(chosen_rate, [lif_firing_rate_hz(current, tau_ms=tau_ms)], rtol=1e-9)
    assert log.unexpected() == []
    page.close()


def test_kernels_figure_computes_the_library_values(browser, site_url):
    fid = "interactive-kernels"
    page, log = open_figure(browser, site_url, "week2/synapse-models", fid)
    spec = interactive.synaptic_kernels_figure().spec()
    values = {s["name"]: s["values"] for s in spec["sliders"]}
    for rise_index, decay_index in [(0, 0), (2, 5), (7, 0), (4, 25)]:
        data = set_positions(page, fid, {"tau_rise_ms": rise_index, "tau_decay_ms": decay_index})
        tau_r, tau_d = values["tau_rise_ms"][rise_index], values["tau_decay_ms"][decay_index]
        exp, alpha, biexp, peak = data["panels"][0]
        t = np.array(exp[0])
        np.testing.assert_allclose(exp[1], synapses.exponential_kernel(t, tau_d), atol=1e-12)
        np.testing.assert_allclose(alpha[1], synapses.alpha_kernel(t, tau_d), atol=1e-12)
        np.testing.assert_allclose(biexp[1], synapses.biexponential_kernel(t, tau_r, tau_d), atol=1e-12)
        np.testing.assert_allclose(peak[0], [synapses.biexponential_peak_time_ms(tau_r, tau_d)], rtol=1e-12)
        np.testing.assert_allclose(peak[1], [synapses.biexponential_peak_value(tau_r, tau_d)], rtol=1e-12)
    assert log.unexpected() == []
    page.close()


def test_tsodyks_markram_figure_computes_the_library_values(browser, site_url):
    fid = "interactive-tsodyks-markram"
    page, log = open_figure(browser, site_url, "week2/synapses-2", fid)
    spec = interactive.tsodyks_markram_figure().spec()
    values = {s["name"]: s["values"] for s in spec["sliders"]}
    c = spec["constants"]
    for pos in [
        {"U": 6, "tau_rec_ms": 5, "tau_facil_ms": 0, "rate_hz": 2},
        {"U": 0, "tau_rec_ms": 0, "tau_facil_ms": 6, "rate_hz": 7},
        {"U": 10, "tau_rec_ms": 7, "tau_facil_ms": 3, "rate_hz": 0},
    ]:
        data = set_positions(page, fid, pos)
        p = {name: values[name][index] for name, index in pos.items()}
        times = np.arange(c["n_spikes"]) * 1000.0 / p["rate_hz"]
        ref = synapses.tsodyks_markram(times, p["U"], p["tau_rec_ms"], p["tau_facil_ms"])
        (_, eff), (_, u), (_, x) = data["panels"][1]
        np.testing.assert_allclose(eff, ref.efficacy, atol=1e-12)
        np.testing.assert_allclose(u, ref.u, atol=1e-12)
        np.testing.assert_allclose(x, ref.x, atol=1e-12)
        (t, psp), = data["panels"][0]
        t = np.array(t)
        expected = sum(e * synapses.exponential_kernel(t - tn, c["psp_tau_ms"]) for e, tn in zip(ref.efficacy, times))
        np.testing.assert_allclose(psp, expected, atol=1e-9)
    assert log.unexpected() == []
    page.close()


def test_stdp_window_figure_computes_the_library_values(browser, site_url):
    fid = "interactive-stdp-window"
    page, log = open_figure(browser, site_url, "week4/stdp", fid)
    spec = interactive.stdp_window_figure().spec()
    values = {s["name"]: s["values"] for s in spec["sliders"]}
    for pos in [{"A_minus": 11, "tau_plus_ms": 15, "tau_minus_ms": 15}, {"A_minus": 0, "tau_plus_ms": 0, "tau_minus_ms": 55},
                {"A_minus": 20, "tau_plus_ms": 55, "tau_minus_ms": 3}]:
        data = set_positions(page, fid, pos)
        p = {name: values[name][index] for name, index in pos.items()}
        (d, w), = data["panels"][0]
        np.testing.assert_allclose(w, plasticity.stdp_window(np.array(d), 1.0, p["A_minus"], p["tau_plus_ms"],
                                                             p["tau_minus_ms"]), atol=1e-12)
        ratio = p["A_minus"] * p["tau_minus_ms"] / p["tau_plus_ms"]
        assert f"{ratio:.2f}" in page.locator(f"#{fid} .n4ml-readout").inner_text()
    assert log.unexpected() == []
    page.close()


@pytest.mark.parametrize("fid", ["interactive-hodgkin-huxley", "interactive-stdp-weights"])
def test_precomputed_figures_draw_the_embedded_values(browser, site_url, built_site, fid):
    page_name = next(p for p, ids in FIGURES.items() if fid in ids)
    spec = figure_specs((built_site / f"{page_name}.html").read_text())[fid]
    page, log = open_figure(browser, site_url, page_name, fid)
    for index in (0, len(spec["sliders"][0]["values"]) // 2, len(spec["sliders"][0]["values"]) - 1):
        data = set_positions(page, fid, {spec["sliders"][0]["name"]: index})
        for panel_data, panel_spec in zip(data["panels"], spec["grid"][index]):
            for (x, y), (x_spec, y_spec) in zip(panel_data, panel_spec):
                assert y == y_spec
                assert x == (spec["constants"][x_spec] if isinstance(x_spec, str) else x_spec)
    assert log.unexpected() == []
    page.close()
