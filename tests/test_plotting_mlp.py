"""Tests for nbkit.plotting.mlp: each artist holds exactly the data it was given, in layer order,
and the network drawing puts nodes and edges where the layers are.

nbval does not compare images, so a figure drawn from the wrong data passes the notebooks: these
tests read the artists' data back (bar heights and positions, the x and y of scatter points).
"""

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from nbkit.plotting import mlp as draw
from nbkit.plotting import mlp as plot

#: Four layers with norms that differ by decades, none equal, so any reordering shows.
NORMS = np.array([3e-4, 2e-3, 5e-2, 0.4])


def axes():
    return Figure().subplots()


def drawn_heights(bars):
    """Return the drawn bar tops (bottom + height), left to right on the axis."""
    ordered = sorted(bars, key=lambda bar: bar.get_x())
    return np.array([bar.get_y() + bar.get_height() for bar in ordered])


def test_layer_names_are_L1_to_Ldepth_in_order():
    assert draw.layer_names(4) == ["L1", "L2", "L3", "L4"]
    assert draw.layer_names(1) == ["L1"]


def test_gradient_bars_are_the_norms_in_layer_order_under_their_layer_names():
    ax = axes()
    bars = draw.gradient_bars(ax, NORMS)
    assert len(bars) == 4
    np.testing.assert_allclose(drawn_heights(bars), NORMS, rtol=1e-12)
    # bar l stands at x = l, the tick named L(l + 1): L1 on the left
    np.testing.assert_allclose([bar.get_x() + bar.get_width() / 2 for bar in bars], np.arange(4))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["L1", "L2", "L3", "L4"]
    np.testing.assert_array_equal(ax.get_xticks(), np.arange(4))
    assert ax.get_yscale() == "log"
    assert all(bar.get_y() == draw.GRAD_FLOOR for bar in bars)  # a log axis has no 0


def test_gradient_bars_side_by_side_keep_their_offset_and_width():
    ax = axes()
    left = draw.gradient_bars(ax, NORMS, offset=-0.2, width=0.4)
    right = draw.gradient_bars(ax, NORMS[::-1], offset=0.2, width=0.4)
    np.testing.assert_allclose([bar.get_x() + 0.2 for bar in left], np.arange(4) - 0.2, atol=1e-12)
    np.testing.assert_allclose([bar.get_x() + 0.2 for bar in right], np.arange(4) + 0.2, atol=1e-12)
    assert all(bar.get_width() == pytest.approx(0.4) for bar in [*left, *right])
    np.testing.assert_allclose(drawn_heights(right), NORMS[::-1], rtol=1e-12)


def test_set_gradient_bars_moves_each_layers_bar_to_its_new_norm():
    ax = axes()
    bars = draw.gradient_bars(ax, np.ones(4))
    assert draw.set_gradient_bars(bars, NORMS) is bars
    np.testing.assert_allclose(drawn_heights(bars), NORMS, rtol=1e-12)


def test_a_zero_norm_is_drawn_at_the_floor_not_below_it():
    ax = axes()
    bars = draw.gradient_bars(ax, [0.0, 1e-3])
    np.testing.assert_allclose(drawn_heights(bars), [draw.GRAD_FLOOR, 1e-3], rtol=1e-12)
    draw.set_gradient_bars(bars, [1e-3, 0.0])
    np.testing.assert_allclose(drawn_heights(bars), [1e-3, draw.GRAD_FLOOR], rtol=1e-12)


def task(n=7, outputs=3, seed=0):
    """Targets Y and predictions ŷ, (n, outputs) each, every entry different from every other."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.05, 0.45, (n, outputs)), rng.uniform(0.55, 0.95, (n, outputs))


def test_predictions_put_y_on_x_and_y_hat_on_y_one_line_per_output():
    ax = axes()
    Y, y_hat = task()
    points = draw.predictions(ax, Y, y_hat)
    assert len(points) == 3
    for i, line in enumerate(points):
        np.testing.assert_array_equal(line.get_xdata(), Y[:, i])
        np.testing.assert_array_equal(line.get_ydata(), y_hat[:, i])
        assert line.get_linestyle() == "None" and line.get_label() == f"ŷ{i + 1}"
        assert line.get_color() == draw.OUTPUT_COLOURS[i]
    assert ax.get_xlabel() == "target y" and ax.get_ylabel() == "prediction ŷ"
    assert ax.get_xlim() == (0, 1) and ax.get_ylim() == (0, 1)


def test_predictions_draw_the_diagonal_of_perfect_predictions():
    ax = axes()
    Y, y_hat = task()
    points = draw.predictions(ax, Y, y_hat)
    others = [line for line in ax.get_lines() if line not in points]
    assert len(others) == 1
    np.testing.assert_array_equal(others[0].get_xydata(), [[0, 0], [1, 1]])


def test_set_predictions_moves_every_output_to_the_new_y_hat():
    ax = axes()
    Y, y_hat = task()
    points = draw.predictions(ax, Y, Y)
    assert draw.set_predictions(points, Y, y_hat) is points
    for i, line in enumerate(points):
        np.testing.assert_array_equal(line.get_xdata(), Y[:, i])
        np.testing.assert_array_equal(line.get_ydata(), y_hat[:, i])


def test_wider_outputs_cycle_the_colours():
    Y, y_hat = task(outputs=len(draw.OUTPUT_COLOURS) + 1)
    points = draw.predictions(axes(), Y, y_hat)
    assert points[-1].get_color() == draw.OUTPUT_COLOURS[0]


# The network drawing.

def drawing(sizes=(3, 3, 3, 3, 3), highlight=()):
    ax = Figure().subplots()
    return ax, *plot.network(ax, sizes, highlight)


def test_network_draws_one_node_per_neuron_and_one_edge_per_weight():
    ax, nodes, edges = drawing((3, 4, 2))
    assert len(nodes.get_offsets()) == 3 + 4 + 2
    assert len(edges) == 3 * 4 + 4 * 2
    assert sorted({text.get_text() for text in ax.texts}) == sorted(
        ["x1", "x2", "x3"] + [f"L1{m}" for m in range(1, 5)] + ["L21", "L22"])


def test_an_edge_joins_the_two_neurons_it_names():
    ax, nodes, edges = drawing()
    where = {text.get_text(): text.get_position() for text in ax.texts}
    line = edges[((3, 1), (4, 2))]  # L31 → L42
    np.testing.assert_allclose(np.column_stack(line.get_data()), [where["L31"], where["L42"]])
    assert where["L31"][0] < where["L42"][0] and where["L41"][1] > where["L42"][1] > where["L43"][1]


def test_only_the_highlighted_edges_stand_out():
    paths = [((3, 1), (4, j)) for j in (1, 2, 3)]
    _, _, edges = drawing(highlight=paths)
    wide = {key for key, line in edges.items() if line.get_linewidth() > 1}
    red = {key for key, line in edges.items() if line.get_color() != "0.8" and to_rgba(line.get_color()) != to_rgba("0.8")}
    assert wide == red == set(paths)


def test_network_styles_highlighted_edges_and_frames_the_layers():
    """A highlighted edge in red, thick, over the grey thin rest; white nodes over the edges, names over the nodes."""
    from matplotlib.colors import to_rgba
    ax, nodes, edges = drawing((3, 4, 2), highlight=[((1, 2), (2, 1))])
    on, off = edges[((1, 2), (2, 1))], edges[((0, 1), (1, 1))]
    assert (to_rgba(on.get_color()), on.get_linewidth(), on.get_zorder()) == (to_rgba("#d62728"), 2.5, 2)
    assert (to_rgba(off.get_color()), off.get_linewidth(), off.get_zorder()) == (to_rgba("0.8"), 0.8, 1)
    assert sum(line.get_linewidth() == 2.5 for line in edges.values()) == 1
    assert nodes.get_sizes().tolist() == [700] and nodes.get_zorder() == 3
    assert tuple(nodes.get_facecolors()[0]) == to_rgba("white") and tuple(nodes.get_edgecolors()[0]) == to_rgba("0.3")
    assert all((t.get_ha(), t.get_va(), t.get_fontsize(), t.get_zorder()) == ("center", "center", 8, 4) for t in ax.texts)
    # columns at x = 0, 1, 2; the widest layer (4) spread over a height of 3, every column centred on y = 0
    assert sorted({tuple(p) for p in nodes.get_offsets()}) == sorted(
        [(0.0, y) for y in (1.5, 0.0, -1.5)] + [(1.0, y) for y in (1.5, 0.5, -0.5, -1.5)] + [(2.0, y) for y in (1.5, -1.5)])
    assert (ax.get_xlim(), ax.get_ylim(), ax.axison) == ((-0.5, 2.5), (-2.0, 2.0), False)
    unnamed = Figure().subplots()
    plot.network(unnamed, (3, 4, 2), node_names=False)
    assert not unnamed.texts


def test_the_prediction_panel_is_the_unit_square_with_its_diagonal():
    from matplotlib.colors import to_rgba
    ax = Figure().subplots()
    Y, y_hat = task()
    points = draw.predictions(ax, Y, y_hat)
    diagonal = ax.lines[0]
    assert diagonal.get_xydata().tolist() == [[0, 0], [1, 1]] and to_rgba(diagonal.get_color()) == to_rgba("0.6")
    assert (diagonal.get_linewidth(), diagonal.get_zorder()) == (1, 0)
    assert [p.get_label() for p in points] == [f"ŷ{i + 1}" for i in range(Y.shape[1])]
    assert all((p.get_linestyle(), p.get_marker(), p.get_markersize()) == ("None", "o", 4) for p in points)
    assert (ax.get_xlim(), ax.get_ylim(), ax.get_aspect()) == ((0, 1), (0, 1), 1.0)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("target y", "prediction ŷ")


def test_gradient_bars_stand_on_the_floor_of_a_log_axis_with_a_grid_behind():
    ax = Figure().subplots()
    bars = draw.gradient_bars(ax, [1e-3, 1e-20, 2.0], offset=0.2, width=0.3)
    assert [b.get_x() + b.get_width() / 2 for b in bars] == pytest.approx([0.2, 1.2, 2.2])
    assert all(b.get_width() == pytest.approx(0.3) and b.get_y() == draw.GRAD_FLOOR for b in bars)
    assert [b.get_y() + b.get_height() for b in bars] == pytest.approx([1e-3, draw.GRAD_FLOOR, 2.0])
    assert (ax.get_yscale(), ax.get_ylabel(), ax.get_axisbelow()) == ("log", "‖∂ℓ/∂W‖ per layer", True)
    assert [t.get_text() for t in ax.get_xticklabels()] == draw.layer_names(3)
    assert ax.get_ygridlines()[0].get_visible() and ax.get_ygridlines()[0].get_alpha() == 0.3
    markers = draw.below_floor_markers(ax, bars)
    assert (markers.get_marker(), markers.get_markersize(), markers.get_zorder(), markers.get_linestyle()) == ("v", 7, 4, "None")
    draw.set_below_floor(markers, [1e-3, 1e-20, 2.0], floor=1e-2)
    np.testing.assert_allclose(markers.get_xydata(), [[0.2, 1e-2], [1.2, 1e-2]])
    draw.set_gradient_bars(bars, [1e-3, 1e-20, 2.0], floor=1e-2)
    assert [b.get_y() + b.get_height() for b in bars] == pytest.approx([1e-2, 1e-2, 2.0])  # raised to the floor
