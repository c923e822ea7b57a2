"""Draw one sigmoid neuron: the loss landscape over (w, b) with a descent path, and ŷ = S(w·x + b) over the data.

Shared with the descent notebooks, from plotting.descent: the path θ_k = (w_k, b_k) is
trajectory_2d / set_path_2d, the loss per step is loss_curve / set_loss.
"""

import numpy as np

from nbkit import checks
from nbkit.neuron import sigmoid

DATA_STYLE = dict(color="#1f77b4", s=22, zorder=3)
PREDICTION_STYLE = dict(color="#d62728", linewidth=2)


def loss_levels(lo, hi, knee=0.1, log_levels=8, step=0.05):
    """Return increasing contour edges, an array from lo to at least hi (0 < lo).

    Below `knee`: `log_levels` edges spaced evenly in log(loss), so the valley, where the loss
    spans decades, shows. Above it: one edge every `step`, so a plateau where the loss falls
    from 0.7 to 0.4 is drawn in several bands, not lumped into one.
    """
    if hi <= knee:
        return np.geomspace(lo, hi, log_levels)
    above = knee + step * np.arange(1, int(np.ceil((hi - knee) / step)) + 1)
    return np.concatenate([np.geomspace(lo, knee, log_levels), above])


def landscape(ax, w, b, surface, levels=14):
    """Draw filled contours of the loss surface over a (w, b) grid (arrays of one shape); return the contour set.

    levels: a count, spaced evenly in log(loss) from the lowest to the highest value (the flat
    plateaus and the narrow valley both show), or the edges themselves (see loss_levels).
    """
    w, b = checks.finite_array(w, "w", shape=(None, None)), checks.finite_array(b, "b", shape=(None, None))
    surface = checks.finite_array(surface, "surface", shape=w.shape)
    if b.shape != w.shape or np.min(surface) < 0:
        raise ValueError(f"w, b and surface must be grids of one shape, surface >= 0; got shapes {w.shape}, "
                         f"{b.shape}, {surface.shape} and min(surface) = {np.min(surface):.3g}")
    if np.ndim(levels) == 0:
        lo, hi = float(np.min(surface)), float(np.max(surface))
        if hi <= max(lo, 1e-12):
            raise ValueError(f"surface must vary above 1e-12 to be drawn on log levels; got min {lo:.3g}, max {hi:.3g}")
        levels = np.geomspace(max(lo, 1e-12), hi, levels)
    filled = ax.contourf(w, b, surface, levels=levels, cmap="viridis_r", locator=None)
    ax.contour(w, b, surface, levels=levels, colors="white", linewidths=0.4, alpha=0.6)
    ax.set_xlabel("w")
    ax.set_ylabel("b")
    return filled


def data_points(ax, x, y):
    """Draw the samples (xᵢ, yᵢ), each of shape (n,), as dots; return the PathCollection."""
    x = checks.finite_array(x, "x", shape=(None,))
    y = checks.finite_array(y, "y", shape=x.shape)
    dots = ax.scatter(x, y, **DATA_STYLE, label="data (xᵢ, yᵢ)")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return dots


def prediction_curve(ax, w, b, xlim, n=201, **style):
    """Draw ŷ = S(w·x + b) over xlim = (lo, hi); return the Line2D."""
    w, b = checks.number(w, "w"), checks.number(b, "b")
    lo, hi = checks.finite_array(xlim, "xlim", shape=(2,))
    if not lo < hi:
        raise ValueError(f"xlim must be a pair (lo, hi) with lo < hi; got {tuple(xlim)}")
    x = np.linspace(lo, hi, checks.count(n, "n", minimum=2, maximum=2001))
    with np.errstate(over="ignore"):  # z = ±inf: ŷ is exactly 0 or 1
        z = w * x + b
    (line,) = ax.plot(x, sigmoid(z), **{**PREDICTION_STYLE, "label": "ŷ = S(w·x + b)", **style})
    ax.set_xlim(*xlim)
    ax.set_ylim(-0.05, 1.05)
    return line


def set_prediction(line, w, b):
    """Move a prediction_curve line to the neuron (w, b), on the same x values; return the line."""
    x = line.get_xdata()
    with np.errstate(over="ignore"):
        line.set_ydata(sigmoid(w * x + b))
    return line
