"""Draw a network: its layers with chosen paths highlighted, per-layer gradient sizes, predictions against targets.

The loss per epoch is drawn with plotting.descent.loss_curve / set_loss, like every loss curve.
"""

import numpy as np

from nbkit import checks
from nbkit.plotting.graph import layered_positions

#: Gradient bars are drawn on a log axis, whose bars start at this floor instead of 0.
GRAD_FLOOR = 1e-9

#: One colour per output neuron ŷ1, ŷ2, ŷ3 (and more for wider outputs).
OUTPUT_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")


def layer_names(depth):
    """Return the layer names ["L1", …, "L<depth>"], L1 the first layer after the inputs."""
    return [f"L{l + 1}" for l in range(depth)]


def gradient_bars(ax, norms, offset=0.0, width=0.8, **style):
    """Draw one bar per layer of height norms[l] (shape (layers,)) on a log y axis; return the BarContainer.

    Call it several times with different `offset` and `width` to put snapshots side by side.
    """
    norms = np.maximum(checks.finite_array(norms, "norms", shape=(None,)), GRAD_FLOOR)
    ax.set_yscale("log")
    x = np.arange(len(norms)) + offset
    bars = ax.bar(x, norms - GRAD_FLOOR, width=width, bottom=GRAD_FLOOR, **style)
    ax.set_xticks(np.arange(len(norms)), layer_names(len(norms)))
    ax.set_ylabel("‖∂ℓ/∂W‖ per layer")
    ax.grid(True, axis="y", which="major", alpha=0.3)
    ax.set_axisbelow(True)  # grid lines behind the bars, as an explorer's blit draws them too
    return bars


def set_gradient_bars(bars, norms, floor=GRAD_FLOOR):
    """Move a gradient_bars drawing to new norms (shape (layers,)) in place; return the bars.

    A norm below `floor` (the bottom of the axis) is drawn as a bar reaching the floor; mark it
    with below_floor_markers so it is not mistaken for a norm equal to the floor.
    """
    norms = np.maximum(np.asarray(norms, dtype=float), max(floor, GRAD_FLOOR))
    for bar, norm in zip(bars, norms):
        bar.set_height(norm - GRAD_FLOOR)
    return bars


def below_floor_markers(ax, bars, **style):
    """Draw the markers of bars below the axis floor (none yet); return the Line2D that set_below_floor moves."""
    (markers,) = ax.plot([], [], linestyle="none", **{"marker": "v", "color": "#d62728", "markersize": 7,
                                                         "zorder": 4, **style})
    markers.bar_x = [bar.get_x() + bar.get_width() / 2 for bar in bars]
    return markers


def set_below_floor(markers, norms, floor):
    """Put a marker ▼ at the floor over each bar whose norm (shape (layers,)) is below `floor`; return the markers."""
    below = np.asarray(norms, dtype=float) < floor
    markers.set_data(np.asarray(markers.bar_x)[below], np.full(int(below.sum()), floor))
    return markers


def predictions(ax, Y, y_hat, marker="o", **style):
    """Draw ŷ against y, one colour per output, with the line ŷ = y; return a list of Line2D (markers only).

    Y and y_hat have shape (n, n_out); points on the diagonal are perfect predictions.
    """
    Y = checks.finite_array(Y, "Y", shape=(None, None))
    y_hat = checks.finite_array(y_hat, "y_hat", shape=Y.shape)
    ax.plot([0, 1], [0, 1], color="0.6", linewidth=1, zorder=0)
    points = [ax.plot(Y[:, i], y_hat[:, i], linestyle="none", marker=marker, markersize=4,
                      color=OUTPUT_COLOURS[i % len(OUTPUT_COLOURS)], label=f"ŷ{i + 1}", **style)[0]
              for i in range(Y.shape[1])]
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel("target y")
    ax.set_ylabel("prediction ŷ")
    return points


def set_predictions(points, Y, y_hat):
    """Move a predictions drawing to new ŷ (shape (n, n_out)) in place; return the points."""
    for i, line in enumerate(points):
        line.set_data(Y[:, i], y_hat[:, i])
    return points


def network(ax, sizes, highlight=(), node_names=True):
    """Draw the layered network of `sizes` (inputs first) with some edges highlighted; return (nodes, edges).

    highlight lists edges ((l, m), (l + 1, j)) by layer number (0 for the inputs) and 1-based neuron
    number, e.g. ((3, 1), (4, 2)) for L31 → L42. nodes is a PathCollection, edges a dict
    {((l, m), (l + 1, j)): Line2D} with one line per edge.
    """
    highlight = set(highlight)
    position = layered_positions([[(l, m) for m in range(1, size + 1)] for l, size in enumerate(sizes)],
                                 height=max(sizes) - 1)
    edges = {}
    for l, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        for m in range(1, n_in + 1):
            for j in range(1, n_out + 1):
                key = ((l, m), (l + 1, j))
                on = key in highlight
                (x0, y0), (x1, y1) = position[key[0]], position[key[1]]
                edges[key] = ax.plot([x0, x1], [y0, y1], color="#d62728" if on else "0.8",
                                     linewidth=2.5 if on else 0.8, zorder=2 if on else 1)[0]
    xy = np.array(list(position.values()))
    nodes = ax.scatter(xy[:, 0], xy[:, 1], s=700, color="white", edgecolor="0.3", zorder=3)
    if node_names:
        for (l, m), (x, y) in position.items():
            ax.text(x, y, f"x{m}" if l == 0 else f"L{l}{m}", ha="center", va="center", fontsize=8, zorder=4)
    ax.set_axis_off()
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-max(sizes) / 2, max(sizes) / 2)
    return nodes, edges
