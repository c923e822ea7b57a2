"""Draw what notebook 05 computes: momentum's factor per step over (lr, β), and a chosen pair on it.

factor_map colours a grid of (lr, β) by the factor per step (from nbkit.momentum), pale where
the run converges slowly, dark where fast, grey where it diverges, with the boundary of
convergence drawn as a line; mark_pair marks one (lr, β) on it.
"""

import matplotlib
import numpy as np


def factor_map(ax, lrs, betas, factors, cmap="viridis"):
    """Draw factors (len(betas), len(lrs)) over lr (x, log scale) and β (y); return (mesh, boundary).

    Colours run from 0 (fast) to 1 (no progress); a factor ≥ 1 (diverging) is drawn grey, and the
    line factor = 1 is the boundary of the region that converges.
    """
    colours = matplotlib.colormaps[cmap].with_extremes(over="#d0d0d0")
    mesh = ax.pcolormesh(lrs, betas, np.asarray(factors), cmap=colours, vmin=0, vmax=1, shading="nearest")
    boundary = ax.contour(lrs, betas, np.asarray(factors), levels=[1.0], colors="k", linewidths=1.2)
    ax.set(xscale="log", xlabel="lr", ylabel="β")
    return mesh, boundary


def mark_pair(ax, lr, beta, label, **style):
    """Mark one (lr, β) on a factor map with a labelled point; return the Line2D."""
    (point,) = ax.plot([lr], [beta], **{"marker": "*", "markersize": 12, "color": "#d62728",
                                        "markeredgecolor": "white", "linestyle": "none", "label": label, **style})
    return point
