"""Draw gradient-descent runs: the objective, the trajectory on it, and the loss per step."""

import numpy as np

#: Losses are drawn on a log axis; exact zeros (lr = 0.5 on x²) are drawn at this floor.
LOSS_FLOOR = 1e-30

PATH_STYLE = dict(color="#d62728", marker="o", markersize=4, linewidth=1.2)
START_STYLE = dict(color="#2ca02c", marker="o", markersize=8, linestyle="none", zorder=5)


def curve_1d(ax, objective, xlim, n=401):
    """Draw y = f(x) over xlim = (lo, hi); return the Line2D."""
    x = np.linspace(*xlim, n)
    (line,) = ax.plot(x, objective.value(x), color="#1f77b4", linewidth=2, label="f(x) = x²")
    ax.set_xlim(*xlim)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    return line


def trajectory_1d(ax, objective, path):
    """Draw the points (x_k, f(x_k)) joined in order, the start marked; return (path_line, start)."""
    path = np.asarray(path, dtype=float)
    (line,) = ax.plot(path, objective.value(path), **PATH_STYLE, label="x_k")
    (start,) = ax.plot(path[:1], objective.value(path[:1]), **START_STYLE, label="x0")
    return line, start


def loss_values(losses):
    """Return losses ready for a log axis: an array of shape (k,), exact zeros raised to LOSS_FLOOR."""
    return np.maximum(np.asarray(losses, dtype=float), LOSS_FLOOR)


def loss_curve(ax, losses, **style):
    """Draw loss against step k on a log y axis; return the Line2D."""
    losses = loss_values(losses)
    (line,) = ax.semilogy(np.arange(len(losses)), losses, **{"color": "#d62728", **style})
    ax.set_xlabel("step k")
    ax.set_ylabel("loss")
    ax.grid(True, which="major", alpha=0.3)
    return line


def set_path_1d(artists, objective, path):
    """Move a trajectory_1d drawing to a new path (in place); return the artists."""
    line, start = artists
    line.set_data(path, objective.value(path))
    start.set_data(path[:1], objective.value(path[:1]))
    return artists


def set_loss(line, losses):
    """Move a loss_curve line to new losses (in place); return the line."""
    losses = loss_values(losses)
    line.set_data(np.arange(len(losses)), losses)
    return line


def run_panels_1d(ax_f, ax_loss, objective, run, xlim, title=""):
    """Draw one run twice, on f(x) (ax_f) and as loss per step (ax_loss); return (path_artists, loss_line).

    A diverged run is drawn up to the step it left the bound; ax_f's title is `title` above the verdict.
    """
    curve_1d(ax_f, objective, xlim)
    ax_f.set_ylim(-0.05 * objective.value(xlim[1]), 1.05 * objective.value(xlim[1]))
    artists = trajectory_1d(ax_f, objective, run.path)
    line = loss_curve(ax_loss, objective.value(run.path), marker=".")
    ax_f.set_title(f"{title}\n{run.describe()}".strip(), fontsize=9)
    return artists, line
