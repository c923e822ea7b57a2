"""Draw a network's training: per-layer gradient sizes, predictions against targets.

The loss per epoch is drawn with plotting.descent.loss_curve / set_loss, like every loss curve.
"""

import numpy as np

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
    norms = np.maximum(np.asarray(norms, dtype=float), GRAD_FLOOR)
    ax.set_yscale("log")
    x = np.arange(len(norms)) + offset
    bars = ax.bar(x, norms - GRAD_FLOOR, width=width, bottom=GRAD_FLOOR, **style)
    ax.set_xticks(np.arange(len(norms)), layer_names(len(norms)))
    ax.set_ylabel("‖∂L/∂W‖ per layer")
    ax.grid(True, axis="y", which="major", alpha=0.3)
    ax.set_axisbelow(True)  # grid lines behind the bars, as an explorer's blit draws them too
    return bars


def set_gradient_bars(bars, norms):
    """Move a gradient_bars drawing to new norms (shape (layers,)) in place; return the bars."""
    norms = np.maximum(np.asarray(norms, dtype=float), GRAD_FLOOR)
    for bar, norm in zip(bars, norms):
        bar.set_height(norm - GRAD_FLOOR)
    return bars


def predictions(ax, Y, y_hat, marker="o", **style):
    """Draw ŷ against y, one colour per output, with the line ŷ = y; return a list of Line2D (markers only).

    Y and y_hat have shape (n, n_out); points on the diagonal are perfect predictions.
    """
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
