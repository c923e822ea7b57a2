"""Draw a computation graph: nodes as labelled circles joined by edges, a value and a gradient
written beside each node, and the nodes and edges of the current step highlighted.

graph_view draws the graph once and returns its GraphArtists; set_graph moves a step's values,
gradients and highlights into them, in place (a stepper redraws only these).
"""

from typing import NamedTuple

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from nbkit.plotting.glyphs import GlyphText

#: Forward values, gradients and the current step each have their own colour.
VALUE_COLOUR = "#1f5fa8"
GRAD_COLOUR = "#c0392b"
FOCUS_COLOUR = "#f5b041"
EDGE_COLOUR = "0.78"


class GraphArtists(NamedTuple):
    """What graph_view drew: node order (list), edge order (list of (from, to)), the focus rings
    and lit edges (moved per step), and per node a value Text and a gradient Text."""

    order: list
    edge_order: list
    positions: dict
    focus: object
    lit: object
    values: list
    grads: list
    radius: float  # of a node, in points

    @property
    def moving(self):
        """Return the artists a step changes, in drawing order: lit edges, focus rings, texts."""
        return [self.lit, self.focus, *self.values, *self.grads]


def layered_positions(layers, height=2.0):
    """Return {node: (x, y)} placing each list of nodes in `layers` in its own column, centred.

    Column c is at x = c; the nodes of a column are spread over `height`, top to bottom.
    """
    positions = {}
    for c, column in enumerate(layers):
        ys = np.linspace(height / 2, -height / 2, len(column)) if len(column) > 1 else [0.0]
        positions.update({node: (float(c), float(y)) for node, y in zip(column, ys)})
    return positions


def graph_view(ax, positions, labels, edges, node_size=900, fontsize=8):
    """Draw the graph on ax and return its GraphArtists.

    positions: {node: (x, y)}; labels: {node: text inside its circle}; edges: (from, to) pairs.
    Values are written above each node (VALUE_COLOUR), gradients below (GRAD_COLOUR), as GlyphText
    (fast to rewrite on every step); a legend names the colours.
    """
    order = list(positions)
    xy = np.array([positions[n] for n in order])
    edge_order = list(edges)
    segments = [[positions[a], positions[b]] for a, b in edge_order]
    ax.add_collection(LineCollection(segments, colors=EDGE_COLOUR, linewidths=1, zorder=1))
    # What a step moves is drawn above the rest (edges 1, nodes 4 and 5, step 6, texts 7), so a
    # stepper can keep the rest as a background and draw only these over it: a ring around each
    # node of the step, and its edges lit from rim to rim.
    lit = LineCollection([], colors=FOCUS_COLOUR, linewidths=3.5, zorder=6)
    ax.add_collection(lit)
    focus = ax.scatter([], [], s=node_size * 1.45, facecolors="none", edgecolors=FOCUS_COLOUR, linewidths=3.5, zorder=6)
    ax.scatter(xy[:, 0], xy[:, 1], s=node_size, color="white", edgecolors="0.3", linewidths=1.2, zorder=4)
    for node, (x, y) in zip(order, xy):
        ax.text(x, y, labels[node], ha="center", va="center", fontsize=fontsize, zorder=5)
    gap = 0.7 * np.sqrt(node_size)  # points from a node's centre to its texts: outside the step's ring
    values = [ax.add_artist(GlyphText(x, y, "", ha="center", va="bottom", fontsize=fontsize - 0.5, offset=(0, gap),
                                      color=VALUE_COLOUR, background=(1, 1, 1, 0.85), zorder=7)) for x, y in xy]
    grads = [ax.add_artist(GlyphText(x, y, "", ha="center", va="top", fontsize=fontsize - 0.5, offset=(0, -gap),
                                     color=GRAD_COLOUR, background=(1, 1, 1, 0.85), zorder=7)) for x, y in xy]
    pad = 0.6
    ax.set_xlim(xy[:, 0].min() - pad, xy[:, 0].max() + pad)
    ax.set_ylim(xy[:, 1].min() - pad, xy[:, 1].max() + pad)
    ax.set_axis_off()
    ax.legend(handles=[Line2D([], [], color=VALUE_COLOUR, marker="s", linestyle="none", label="value (forward)"),
                       Line2D([], [], color=GRAD_COLOUR, marker="s", linestyle="none", label="gradient ∂ℓ/∂· (backward)"),
                       Line2D([], [], color=FOCUS_COLOUR, linewidth=3.5, label="this step")],
              loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=fontsize, frameon=False)
    return GraphArtists(order, edge_order, positions, focus, lit, values, grads, np.sqrt(node_size) / 2)


def set_graph(artists, values, grads, focus=(), edges=()):
    """Move one step into a graph_view drawing, in place; return the artists.

    values, grads: {node: text} (nodes missing get no text); focus: the nodes to ring;
    edges: the (from, to) pairs to light.
    """
    for node, text in zip(artists.order, artists.values):
        text.set_text(values.get(node, ""))
    for node, text in zip(artists.order, artists.grads):
        text.set_text(grads.get(node, ""))
    rings = np.array([artists.positions[n] for n in focus]).reshape(-1, 2)
    artists.focus.set_offsets(rings)
    artists.lit.set_segments([_rim_to_rim(artists, a, b) for a, b in edges])
    return artists


def _rim_to_rim(artists, a, b):
    """Return the segment from node a to node b less a node's radius at each end, in data coordinates."""
    to_display = artists.lit.axes.transData
    p, q = to_display.transform([artists.positions[a], artists.positions[b]])
    rim = artists.radius * artists.lit.figure.dpi / 72 * (q - p) / max(np.hypot(*(q - p)), 1e-9)
    return to_display.inverted().transform([p + rim, q - rim])
