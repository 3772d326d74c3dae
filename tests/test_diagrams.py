"""Tests of the diagram primitives: what is drawn, where, and in which order (no pixel hashes)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from neuro4ml.plotting import diagrams as dg


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    dg.blank(ax)
    yield ax
    plt.close(fig)


def _gids(ax):
    return {a.get_gid() for a in ax.get_children() if a.get_gid()}


def test_box_is_labelled_and_anchor_lies_on_its_border(ax):
    b = dg.box(ax, (1.0, 2.0), "soma", width=2.0, height=1.0)
    assert "box:soma" in _gids(ax) and b.text.get_text() == "soma"
    # towards a point straight to the right: the middle of the right side
    assert b.anchor((10.0, 2.0)) == pytest.approx((2.0, 2.0))
    # towards the upper right at 45 degrees: the top side is hit first (half-height 0.5 < half-width 1)
    assert b.anchor((3.0, 4.0)) == pytest.approx((1.5, 2.5))


def test_arrow_joins_box_borders_and_heads_differ_by_kind(ax):
    a = dg.box(ax, (0, 0), "E")
    b = dg.box(ax, (4, 0), "I")
    exc = dg.arrow(ax, a, b, kind="excitatory", label="w")
    inh = dg.arrow(ax, b, a, kind="inhibitory", rad=0.3)
    assert "arrow:E->I" in _gids(ax) and "arrow:I->E" in _gids(ax)
    # the heads differ by shape, not only by colour
    assert type(exc.get_arrowstyle()) is not type(inh.get_arrowstyle())
    assert any(t.get_text() == "w" for t in ax.texts)
    with pytest.raises(ValueError, match="arrow kind"):
        dg.arrow(ax, a, b, kind="sideways")


def test_chain_places_boxes_in_order_with_one_arrow_between_each_pair(ax):
    boxes = dg.chain(ax, ["stimulus", "filter", "nonlinearity", "spikes"], step=3.0)
    xs = [b.x for b in boxes]
    assert xs == sorted(xs) and np.allclose(np.diff(xs), 3.0)
    assert sum(1 for g in _gids(ax) if g.startswith("arrow:")) == 3
    down = dg.chain(ax, ["a", "b"], direction="down", start=(0, 10))
    assert down[1].y < down[0].y


def test_timeline_orders_events_and_puts_rows_on_their_side(ax):
    pos = dg.timeline(ax, [(1958, "perceptron", -1), (1943, "McCulloch-Pitts", 1), (1962, "Hubel & Wiesel", 1)])
    assert pos["McCulloch-Pitts"][1] > 0 and pos["perceptron"][1] < 0
    assert pos["McCulloch-Pitts"][0] < pos["Hubel & Wiesel"][0]
    # consecutive events on one side are staggered in height
    assert pos["McCulloch-Pitts"][1] != pos["Hubel & Wiesel"][1]
    with pytest.raises(ValueError, match="rows"):
        dg.timeline(ax, [(2000, "x", 0)])


def test_layered_graph_is_all_to_all_by_default(ax):
    pos = dg.layered_graph(ax, [3, 4, ["y"]], layer_names=["in", "hidden", "out"])
    edges = [g for g in _gids(ax) if g.startswith("edge:")]
    assert len(edges) == 3 * 4 + 4 * 1
    assert pos[(0, 0)][0] < pos[(1, 0)][0] < pos[(2, 0)][0]
    assert pos[(1, 0)][1] > pos[(1, 3)][1]  # nodes run top to bottom
    assert np.mean([pos[(1, i)][1] for i in range(4)]) == pytest.approx(0.0)


def test_layered_graph_with_recurrent_edges(ax):
    dg.layered_graph(ax, [2, 2], edges=[((0, 0), (1, 0)), ((1, 0), (1, 1), "inhibitory"), ((1, 1), (0, 1))])
    assert {"edge:0,0->1,0", "edge:1,0->1,1", "edge:1,1->0,1"} <= _gids(ax)


def test_small_graph_draws_reciprocal_pairs_as_two_arcs(ax):
    dg.small_graph(ax, {"a": (0, 0), "b": (1, 0)}, [("a", "b"), ("b", "a")])
    patches = [p for p in ax.patches if (p.get_gid() or "").startswith("edge:")]
    assert len(patches) == 2


def test_stdp_protocol_puts_post_after_pre_for_positive_delta_t(ax):
    out = dg.draw_stdp_protocol(ax, delta_t_ms=10, n_pairs=60, show_pairs=3)
    pre = out["pre"].get_segments()
    post = out["post"].get_segments()
    assert len(pre) == len(post) == 3
    assert all(q[0, 0] > p[0, 0] for p, q in zip(pre, post))
    assert "+10" in out["delta_t"].get_text()
    assert any("60 pairings" in t.get_text() for t in ax.texts)
    fig, ax2 = plt.subplots()
    out2 = dg.draw_stdp_protocol(ax2, delta_t_ms=-10)
    assert all(q[0, 0] < p[0, 0] for p, q in zip(out2["pre"].get_segments(), out2["post"].get_segments()))
    plt.close(fig)


def test_chemical_synapse_labels_the_steps_in_order(ax):
    out = dg.draw_chemical_synapse(ax)
    steps = [t.get_text() for t in out["steps"]]
    assert [s.split()[0] for s in steps] == ["1", "2", "3", "4", "5"]
    assert "spike" in steps[0] and "current" in steps[-1]
    assert len(out["vesicles"]) >= 5 and len(out["receptors"]) >= 4
    # the presynaptic terminal is above the postsynaptic neuron
    assert out["pre"].center[1] > out["post"].get_y() + out["post"].get_height() - 1.0


def test_em_pipeline_runs_from_tissue_to_graph(ax):
    boxes = dg.draw_em_pipeline(ax)
    assert boxes[0].label.startswith("tissue") and "graph" in boxes[-1].label
    assert [b.x for b in boxes] == sorted(b.x for b in boxes)
    with pytest.raises(ValueError, match="one note per stage"):
        dg.draw_em_pipeline(ax, stages=["a", "b"], notes=["x"])


def test_action_potential_phases_are_found_in_time_order(ax):
    # a synthetic spike: fast rise to +40 mV at 2 ms, fall, undershoot to -75 mV, recovery to -65 mV
    t = np.linspace(0, 10, 2001)
    v = -65 + 105 * np.exp(-((t - 2) / 0.35) ** 2) - 10 * np.exp(-((t - 3.5) / 1.0) ** 2) * (t > 2)
    ax.plot(t, v)
    pts = dg.annotate_action_potential(ax, t, v, threshold_mv=-55)
    keys = [k for k in pts if "\n" in k]
    times = [pts[k][0] for k in keys]
    assert [k.split("\n")[0] for k in keys] == ["rising phase", "overshoot", "falling phase", "undershoot"]
    assert times == sorted(times)
    assert pts[keys[1]][1] == pytest.approx(v.max())
    assert pts[keys[3]][1] < -65
    with pytest.raises(ValueError, match="peak inside"):
        dg.annotate_action_potential(ax, t, t)


def test_triad_examples_have_the_edge_counts_their_codes_say():
    pytest.importorskip("networkx")
    # the first three digits of a code count mutual, asymmetric and null pairs
    from neuro4ml.analysis.connectome import TRIAD_TYPES

    for code in TRIAD_TYPES:
        edges = dg.triad_edges(code)
        mutual = sum(1 for a, b in edges if (b, a) in edges) // 2
        asymmetric = len(edges) - 2 * mutual
        assert (mutual, asymmetric, 3 - mutual - asymmetric) == tuple(int(c) for c in code[:3]), code
    # the feed-forward loop has no node that both receives from and sends to the same partner,
    # and the cycle has each node sending exactly once
    cycle = dg.triad_edges("030C")
    assert sorted(a for a, _ in cycle) == ["0", "1", "2"] and sorted(b for _, b in cycle) == ["0", "1", "2"]
    ffl = dg.triad_edges("030T")
    assert sorted(a for a, _ in ffl) != ["0", "1", "2"]
    # "D" types send from the top node (2) of the layout, "U" types send to it
    assert all(a == "2" for a, _ in dg.triad_edges("021D"))
    assert all(b == "2" for _, b in dg.triad_edges("021U"))
    with pytest.raises(ValueError, match="unknown triad type"):
        dg.triad_edges("999")


def test_draw_triads_titles_each_axes():
    pytest.importorskip("networkx")
    fig, axes = plt.subplots(1, 3)
    dg.draw_triads(axes, ["030T", "030C", "300"], names={"030T": "feed-forward loop"})
    assert [ax.get_title() for ax in axes] == ["030T\nfeed-forward loop", "030C", "300"]
    assert sum(1 for p in axes[2].patches if (p.get_gid() or "").startswith("edge:")) == 6
    plt.close(fig)


def test_ei_circuit_has_four_connections_with_inhibitory_heads_from_i():
    fig, ax = plt.subplots()
    boxes = dg.draw_ei_circuit(ax)
    assert boxes["E"].x < boxes["I"].x
    arrows = [p for p in ax.patches if (p.get_gid() or "").startswith("arrow:")]
    assert len(arrows) == 4 + 2  # EE, II, E->I, I->E and the two external inputs
    texts = {t.get_text() for t in ax.texts}
    assert {"$w_{EE}$", "$w_{IE}$", "$w_{EI}$", "$w_{II}$"} <= texts
    bars = [p for p in arrows if type(p.get_arrowstyle()).__name__ == "BracketB"]
    assert len(bars) == 2  # I onto itself and I onto E
    plt.close(fig)
