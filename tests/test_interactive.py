"""The interactive figures' specifications (neuro4ml.plotting.interactive), without a browser.

What the browser computes from these specifications is compared with the library in
tests/test_browser_interactive.py; here, the precomputed grids are compared with
independent runs of the library's models, and the HTML with what the script needs.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from neuro4ml.plotting import interactive
from neuro4ml.models import neurons

ALL_CLOSED_FORM = {
    "lif": interactive.lif_figure,
    "kernels": interactive.synaptic_kernels_figure,
    "tsodyks_markram": interactive.tsodyks_markram_figure,
    "stdp_window": interactive.stdp_window_figure,
}


def spec_from_html(markup: str) -> dict:
    match = re.search(r'<script type="application/json" class="n4ml-spec">(.*?)</script>', markup, re.S)
    assert match, "no specification in the figure's HTML"
    return json.loads(match.group(1))


@pytest.mark.parametrize("model", sorted(ALL_CLOSED_FORM))
def test_closed_form_figures_describe_their_sliders_and_panels(model):
    figure = ALL_CLOSED_FORM[model]()
    markup = figure._repr_html_()
    spec = spec_from_html(markup)
    assert spec == json.loads(json.dumps(figure.spec()))
    assert spec["model"] == model and spec["grid"] is None
    for slider in spec["sliders"]:
        assert 0 <= slider["start"] < len(slider["values"])
        assert slider["values"] == sorted(slider["values"]), slider["name"]
    for panel in spec["panels"]:
        assert len(panel["styles"]) == len(panel["series"])
    # The text alternative and caption are in the HTML, tied to the figure for screen readers.
    fid = figure.figure_id
    assert f'aria-describedby="{fid}-alt"' in markup and f'id="{fid}-alt"' in markup
    assert f'aria-labelledby="{fid}-caption"' in markup and "<figcaption" in markup
    assert len(figure.alt) > 200 and "slider" in figure.alt
    assert len(markup) < 10_000


def test_kernel_sliders_keep_the_rise_faster_than_the_decay():
    """The biexponential needs tau_rise <= tau_decay at every pair of slider positions."""
    rise, decay = interactive.synaptic_kernels_figure().sliders
    assert max(rise.values) < min(decay.values)


def test_a_closing_script_tag_in_the_text_cannot_end_the_specification():
    figure = interactive.InteractiveFigure(
        "x", "caption </script>", "alt", (interactive.Slider("a", "a", (0.0, 1.0)),),
        (interactive.Panel("p", "x", "y", (0, 1), (0, 1), ("s",)),), "grid", grid=[[[[[0], [0]]]]] * 2,
    )
    markup = figure._repr_html_()
    assert markup.count("</script>") == 1
    assert spec_from_html(markup)["id"] == "x"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"values": (1.0,)}, "at least two values"), ({"values": (1.0, 2.0), "start": 2}, "start must index")],
)
def test_bad_sliders_are_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        interactive.Slider("a", "a", **kwargs)


def test_hodgkin_huxley_steps_match_separate_single_neuron_runs():
    """The vectorised grid equals one-neuron runs of the library's model, step by step."""
    amplitudes = [0.0, 3.0, 10.0]
    steps = interactive.hodgkin_huxley_steps(amplitudes, duration_ms=40.0)
    t = np.arange(4000) * 0.01
    for i, amplitude in enumerate(amplitudes):
        current = np.where((t >= 10.0) & (t < 70.0), amplitude, 0.0)
        run = neurons.hodgkin_huxley(current)
        np.testing.assert_allclose(steps["v"][i], run.v[::10], rtol=0, atol=1e-9)
        np.testing.assert_allclose(steps["n"][i], run.state["n"][::10], rtol=0, atol=1e-12)
    assert steps["t_ms"].shape == (400,)


def count_spikes(v: np.ndarray) -> int:
    return int(np.sum((v[:-1] < 0.0) & (v[1:] >= 0.0)))


def test_hodgkin_huxley_figure_embeds_the_library_values_at_several_amplitudes():
    """Positions 0, 3, 10 and 20 of the slider against a fresh run; and the known behaviour:
    no spike without current, one spike between rheobase (about 2.2 uA/cm^2) and the threshold
    for repetitive firing (about 6.3; Hodgkin & Huxley 1952, as on the biophysical models page),
    repetitive firing above."""
    figure = interactive.hodgkin_huxley_figure()
    spec = spec_from_html(figure._repr_html_())
    amplitudes = [0.0, 3.0, 10.0, 20.0]
    reference = interactive.hodgkin_huxley_steps(amplitudes)
    np.testing.assert_allclose(spec["constants"]["t_ms"], reference["t_ms"], atol=0.005)
    values = spec["sliders"][0]["values"]
    for i, amplitude in enumerate(amplitudes):
        position = spec["grid"][values.index(amplitude)]
        assert position[0][0][0] == "t_ms"
        np.testing.assert_allclose(position[0][0][1], reference["v"][i], atol=0.05 + 1e-9)
        for j, gate in enumerate("mhn"):
            np.testing.assert_allclose(position[1][j][1], reference[gate][i], atol=0.0005 + 1e-9)
    spikes = [count_spikes(np.array(spec["grid"][values.index(a)][0][0][1])) for a in amplitudes]
    assert spikes[0] == 0 and spikes[1] == 1 and spikes[2] >= 3 and spikes[3] > spikes[2]
    assert len(figure._repr_html_()) < 1_000_000


def test_stdp_weights_figure_embeds_the_runs_and_depression_lowers_the_weights():
    """Short runs (5 s) at two ratios: the grid holds the library's histogram of each run,
    and more depression (ratio 1.5 against 0.7) leaves fewer synapses near w_max
    (Song, Miller & Abbott 2000)."""
    ratios = (0.7, 1.5)
    figure = interactive.stdp_weights_figure(area_ratios=ratios, duration_ms=5000.0, start=0)
    spec = spec_from_html(figure._repr_html_())
    w_max = 0.01
    upper = []
    for i, ratio in enumerate(ratios):
        run = interactive.stdp_weights_run(ratio, duration_ms=5000.0)
        counts, _ = np.histogram(run.w / w_max, bins=20, range=(0, 1))
        np.testing.assert_array_equal(spec["grid"][i][0][0][1], counts)
        assert sum(spec["grid"][i][0][0][1]) == 1000
        assert sum(spec["grid"][i][1][0][1]) == run.post_spike_times_ms.size
        upper.append(counts[10:].sum())
    assert upper[1] < upper[0]
