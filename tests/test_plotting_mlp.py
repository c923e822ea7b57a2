"""Tests for nbkit.plotting.mlp: the network drawing puts nodes and edges where the layers are."""

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from nbkit.plotting import mlp as plot


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
