"""Tests for nbkit.plotting.graph at the data level: what each artist holds against what it was given."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from nbkit.plotting import graph
from nbkit.plotting.glyphs import GlyphText

POSITIONS = {"x": (0.0, 1.0), "w": (0.0, -1.0), "m": (1.0, 0.0), "l": (2.5, 0.0)}
LABELS = {"x": "x", "w": "w", "m": "×", "l": "ℓ"}
EDGES = [("x", "m"), ("w", "m"), ("m", "l")]


@pytest.fixture
def drawn():
    fig = Figure(figsize=(4, 3), dpi=100)
    FigureCanvasAgg(fig)  # pixels to measure the rims in, without pyplot (the steppers' tests need ipympl's)
    ax = fig.subplots()
    return ax, graph.graph_view(ax, POSITIONS, LABELS, EDGES, node_size=900, fontsize=8)


def test_layered_positions_centre_each_column_over_the_height():
    assert graph.layered_positions([["a"], ["b", "c", "d"], ["e", "f"]], height=2.0) == {
        "a": (0.0, 0.0), "b": (1.0, 1.0), "c": (1.0, 0.0), "d": (1.0, -1.0), "e": (2.0, 1.0), "f": (2.0, -1.0)}
    assert graph.layered_positions([["a", "b"]], height=4.0) == {"a": (0.0, 2.0), "b": (0.0, -2.0)}


def test_the_graph_is_drawn_from_its_positions_labels_and_edges(drawn):
    ax, artists = drawn
    edges, lit, focus, nodes = ax.collections
    np.testing.assert_array_equal(np.array(edges.get_segments()), [[POSITIONS[a], POSITIONS[b]] for a, b in EDGES])
    assert tuple(edges.get_colors()[0]) == to_rgba(graph.EDGE_COLOUR) and edges.get_linewidths()[0] == 1
    np.testing.assert_array_equal(nodes.get_offsets(), list(POSITIONS.values()))
    assert nodes.get_sizes().tolist() == [900] and tuple(nodes.get_facecolors()[0]) == to_rgba("white")
    assert tuple(nodes.get_edgecolors()[0]) == to_rgba("0.3") and nodes.get_linewidths()[0] == 1.2
    assert [(t.get_text(), t.get_position(), t.get_ha(), t.get_va(), t.get_fontsize()) for t in ax.texts] == [
        (LABELS[n], POSITIONS[n], "center", "center", 8) for n in POSITIONS]
    assert (artists.order, artists.edge_order, artists.positions) == (list(POSITIONS), EDGES, POSITIONS)
    assert artists.radius == 15.0  # √900 / 2 points
    assert ax.get_xlim() == pytest.approx((-0.6, 3.1)) and ax.get_ylim() == pytest.approx((-1.6, 1.6))
    assert not ax.axison


def test_a_steps_artists_are_drawn_above_the_rest_in_their_colours(drawn):
    """The stepper keeps everything else as a background: lit edges and rings (6) and texts (7) over nodes (4, 5) and edges (1)."""
    ax, artists = drawn
    edges, lit, focus, nodes = ax.collections
    assert [edges.get_zorder(), nodes.get_zorder(), ax.texts[0].get_zorder()] == [1, 4, 5]
    assert lit.get_zorder() == focus.get_zorder() == 6
    assert tuple(lit.get_colors()[0]) == to_rgba(graph.FOCUS_COLOUR) and lit.get_linewidths()[0] == 3.5
    assert tuple(focus.get_edgecolors()[0]) == to_rgba(graph.FOCUS_COLOUR) and focus.get_linewidths()[0] == 3.5
    assert focus.get_facecolors().size == 0 or focus.get_facecolors()[0][3] == 0  # a ring, not a disc
    assert focus.get_sizes().tolist() == pytest.approx([900 * 1.45])
    assert artists.moving == [lit, focus, *artists.values, *artists.grads]
    gap = 0.7 * 30  # points: outside the ring
    for texts, colour, dy, va in ((artists.values, graph.VALUE_COLOUR, gap, "bottom"),
                                  (artists.grads, graph.GRAD_COLOUR, -gap, "top")):
        assert [t._xy for t in texts] == list(POSITIONS.values())
        for text in texts:
            assert isinstance(text, GlyphText) and text.get_zorder() == 7 and text.get_text() == ""
            assert tuple(text._rgb / 255) == pytest.approx(to_rgba(colour)[:3])
            assert (text._offset, text._ha, text._va, text._size) == ((0, pytest.approx(dy)), "center", va, 7.5)
            assert tuple(text._background / 255) == pytest.approx((1, 1, 1, 0.85))


def test_the_legend_names_the_three_colours(drawn):
    ax, _ = drawn
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["value (forward)", "gradient ∂ℓ/∂· (backward)", "this step"]
    handles = legend.legend_handles
    assert [to_rgba(h.get_color()) for h in handles] == [to_rgba(c) for c in (graph.VALUE_COLOUR, graph.GRAD_COLOUR,
                                                                             graph.FOCUS_COLOUR)]
    assert [h.get_marker() for h in handles[:2]] == ["s", "s"] and handles[2].get_linewidth() == 3.5


def test_set_graph_writes_a_step_and_lights_its_edges_from_rim_to_rim(drawn):
    ax, artists = drawn
    ax.figure.canvas.draw()
    graph.set_graph(artists, {"x": "1.5", "m": "0.75"}, {"l": "1"}, focus=("m",), edges=[("x", "m"), ("m", "l")])
    assert [t.get_text() for t in artists.values] == ["1.5", "", "0.75", ""]
    assert [t.get_text() for t in artists.grads] == ["", "", "", "1"]
    np.testing.assert_array_equal(artists.focus.get_offsets(), [POSITIONS["m"]])
    to_display = ax.transData
    rim = artists.radius * ax.figure.dpi / 72  # pixels
    for (a, b), segment in zip([("x", "m"), ("m", "l")], artists.lit.get_segments()):
        p, q = to_display.transform([POSITIONS[a], POSITIONS[b]])
        s, e = to_display.transform(segment)
        direction = (q - p) / np.hypot(*(q - p))
        np.testing.assert_allclose(s, p + rim * direction, atol=1e-6)  # starts on a's rim
        np.testing.assert_allclose(e, q - rim * direction, atol=1e-6)  # ends on b's rim
    graph.set_graph(artists, {}, {})
    assert artists.focus.get_offsets().shape == (0, 2) and len(artists.lit.get_segments()) == 0
    assert all(t.get_text() == "" for t in artists.values + artists.grads)
