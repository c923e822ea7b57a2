"""Draw gradient-descent runs: the objective, the trajectory on it, and the loss per step.

1-D (notebook 01): curve_1d, trajectory_1d, set_path_1d, run_panels_1d.
2-D (notebook 02): contours_2d (level sets), level_ellipses and set_level_ellipses (the same
level sets as a LineCollection that moves in place), gradient_field (arrows of ∇f), trajectory_2d and
set_path_2d (the points X_k in the plane), surface_3d, run_panels_2d.
Foundations: first_order_change (f(x − lr·∇f) − f(x) against its first-order prediction),
directional_slopes and direction_arrows (the slope ∇f·u around a circle of directions u).
Both: loss_curve and set_loss (f(x_k) against k on a log axis), loss_axis_end, loss_axis_ends
and set_loss_xlim (a step axis whose end moves only at a few round numbers).
"""

import matplotlib
import numpy as np
from matplotlib.collections import LineCollection

from nbkit import checks

#: Losses are drawn on a log axis; anything smaller, exact zeros included (lr = 0.5 on x²), is drawn at this floor.
LOSS_FLOOR = 1e-30

PATH_STYLE = dict(color="#d62728", marker="o", markersize=4, linewidth=1.2)
START_STYLE = dict(color="#2ca02c", marker="o", markersize=8, linestyle="none", zorder=5)


def _objective(objective, dim):
    """Return objective if it is a Quadratic of `dim` coordinates; raise naming it otherwise."""
    if getattr(objective, "dim", None) != dim or not callable(getattr(objective, "value", None)):
        what = f"a {dim}-D objective such as " + ("SQUARE" if dim == 1 else "BOWL or elongated(a)")
        got = f"{type(objective).__name__} of {objective.dim} coordinate(s)" if hasattr(objective, "dim") \
            else type(objective).__name__
        raise ValueError(f"objective must be {what}; got {got}")
    return objective


def _limits(lim, name):
    """Return (lo, hi) as floats; raise naming `name` unless they are finite with lo < hi."""
    lo, hi = checks.finite_array(lim, name, shape=(2,))
    with np.errstate(over="ignore"):
        if not (lo < hi and np.isfinite(hi - lo)):
            raise ValueError(f"{name} must be a pair (lo, hi) with lo < hi and hi − lo a finite number; got {tuple(lim)}")
    return float(lo), float(hi)


def _points(n, name, minimum=2):
    """Return n, a grid size from `minimum` to 2001 (a grid of one point has no spacing)."""
    return checks.count(n, name, minimum=minimum, maximum=2001)


def curve_1d(ax, objective, xlim, n=401):
    """Draw y = f(x) over xlim = (lo, hi); return the Line2D."""
    objective, xlim, n = _objective(objective, 1), _limits(xlim, "xlim"), _points(n, "n")
    x = np.linspace(*xlim, n)
    (line,) = ax.plot(x, objective.value(x), color="#1f77b4", linewidth=2, label="f(x) = x²")
    ax.set_xlim(*xlim)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    return line


def trajectory_1d(ax, objective, path):
    """Draw the points (x_k, f(x_k)) joined in order, the start marked; return (path_line, start)."""
    path = checks.finite_array(path, "path", shape=(None,))
    (line,) = ax.plot(path, _objective(objective, 1).value(path), **PATH_STYLE, label="x_k")
    (start,) = ax.plot(path[:1], objective.value(path[:1]), **START_STYLE, label="x0")
    return line, start


def loss_values(losses):
    """Return losses ready for a log axis: an array of shape (k,), values below LOSS_FLOOR (zeros too) raised to it."""
    return np.maximum(checks.finite_array(losses, "losses", shape=(None,)), LOSS_FLOOR)


def loss_curve(ax, losses, **style):
    """Draw loss against step k on a log y axis; return the Line2D."""
    losses = loss_values(losses)
    (line,) = ax.semilogy(np.arange(len(losses)), losses, **{"color": "#d62728", **style})
    ax.set_xlabel("step k")
    ax.set_ylabel("loss")
    ax.grid(True, which="major", alpha=0.3)
    return line


#: The ends a step axis can have: its range is 0 … one of these that holds every step.
LOSS_AXIS_ENDS = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000)


def loss_axis_end(steps):
    """Return the end of a step axis for `steps` steps: the smallest of LOSS_AXIS_ENDS ≥ steps.

    A slider over steps then changes the axis (and redraws its ticks) only when a drag crosses
    one of these, not on every move. Beyond the last, steps itself.
    """
    steps = checks.count(steps, "steps")
    return next((end for end in LOSS_AXIS_ENDS if end >= steps), steps)


def loss_axis_ends(steps):
    """Return the ends a step axis may keep for `steps` steps: loss_axis_end(steps) and the next one up."""
    end = loss_axis_end(steps)
    return (end, loss_axis_end(end + 1))


def set_loss_xlim(ax, steps):
    """Give ax's x axis a range 0 … end that holds `steps` steps; return True if it changed, False if not.

    An axis already ending at loss_axis_end(steps) or the next end up is left alone: a slider
    moved back and forth across an end (e.g. 100 ↔ 110 steps) changes the axis once, not on
    every move. Otherwise it is set to 0 … loss_axis_end(steps).
    """
    lo, hi = ax.get_xlim()
    if lo == 0 and hi in loss_axis_ends(steps):
        return False
    ax.set_xlim(0, loss_axis_end(steps))
    return True


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


def _grid(objective, xlim, ylim, n):
    objective, xlim, ylim, n = _objective(objective, 2), _limits(xlim, "xlim"), _limits(ylim, "ylim"), _points(n, "n")
    X, Y = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    return X, Y, objective.value(np.stack([X, Y], axis=-1))


def contour_levels(objective, xlim, ylim, n=12):
    """Return n increasing contour values of f, shape (n,), spaced evenly in √f over the view.

    Level √f = ρ is the ellipse through (ρ, 0) on the x axis, so the curves are evenly spaced there.
    """
    corners = np.array([[x, y] for x in xlim for y in ylim], dtype=float)
    top = float(np.max(objective.value(corners)))
    return (np.sqrt(top) * np.linspace(0, 1, n + 2)[1:-1]) ** 2


def contours_2d(ax, objective, xlim, ylim, levels=None, n=201):
    """Draw the level sets f(x, y) = const over xlim × ylim with equal axes; return the ContourSet."""
    X, Y, F = _grid(objective, xlim, ylim, n)
    if levels is None:
        levels = contour_levels(objective, xlim, ylim)
    colors = matplotlib.colormaps["Blues"](np.linspace(0.8, 0.35, len(levels)))  # darker at the centre
    contours = ax.contour(X, Y, F, levels=levels, colors=colors, linewidths=0.8)
    ax.set(xlim=xlim, ylim=ylim, xlabel="x", ylabel="y", aspect="equal")
    return contours


def _ellipse_points(objective, levels, t):
    """Return x, y of shape (len(levels), len(t)): c0·x² + c1·y² = level, x = √(level/c0)·cos t, y = √(level/c1)·sin t."""
    points = objective.level_set(np.asarray(levels, dtype=float)[:, None], t)
    return points[..., 0], points[..., 1]


def level_ellipses(ax, objective, xlim, ylim, n=12, points=241):
    """Draw the level sets of a 2-D quadratic, c0·x² + c1·y² = level, as n closed lines; return the LineCollection.

    The same levels and colours as contours_2d, with equal axes over xlim × ylim; unlike a contour
    set, set_level_ellipses moves them to another objective in place. One collection draws
    faster than n lines.
    """
    objective, xlim, ylim = _objective(objective, 2), _limits(xlim, "xlim"), _limits(ylim, "ylim")
    n, points = _points(n, "n", minimum=1), _points(points, "points")
    colors = matplotlib.colormaps["Blues"](np.linspace(0.8, 0.35, n))  # darker at the centre
    lines = LineCollection([np.zeros((1, 2))] * n, colors=colors, linewidths=0.8)
    ax.add_collection(lines, autolim=False)
    ax.set(xlim=xlim, ylim=ylim, xlabel="x", ylabel="y", aspect="equal")
    return set_level_ellipses(lines, objective, xlim, ylim, points)


def set_level_ellipses(lines, objective, xlim, ylim, points=241):
    """Move a level_ellipses collection to the level sets of another 2-D quadratic (in place); return it."""
    t = np.linspace(0, 2 * np.pi, points)
    n = len(lines.get_paths())  # one path per level; get_segments would copy every vertex in Python
    xs, ys = _ellipse_points(objective, contour_levels(objective, xlim, ylim, n), t)
    lines.set_segments(np.stack([xs, ys], axis=-1))
    return lines


def mark_minimum(ax, point=(0.0, 0.0)):
    """Mark the minimum with a black star; return the Line2D."""
    (star,) = ax.plot([point[0]], [point[1]], marker="*", color="k", markersize=10,
                      linestyle="none", zorder=4, label="minimum")
    return star


def bowl_panels(fig, objective, view):
    """Return (ax_xy, ax_loss, levels, minimum): a 2-D bowl's level sets over view × view, beside a loss axes.

    The layout is fixed: constrained layout moves an equal-aspect axes a little on every full draw,
    and then an explorer's kept background and a full draw would disagree.
    """
    fig.set_layout_engine("none")
    ax_xy, ax_loss = fig.subplots(1, 2, width_ratios=(1, 1.15), gridspec_kw=dict(
        left=0.07, right=0.98, bottom=0.12, top=0.92, wspace=0.25))
    return ax_xy, ax_loss, level_ellipses(ax_xy, objective, view, view), mark_minimum(ax_xy)


def gradient_field(ax, objective, xlim, ylim, n=9, **style):
    """Draw ∇f as arrows on an n × n grid, to the scale of the axes; return the Quiver.

    Arrow lengths are in data units, scaled so the longest is one grid spacing, so the angles
    are true: on equal axes the arrows are perpendicular to the level sets.
    """
    objective, xlim, ylim, n = _objective(objective, 2), _limits(xlim, "xlim"), _limits(ylim, "ylim"), _points(n, "n")
    X, Y = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    G = objective.gradient(np.stack([X, Y], axis=-1))
    spacing = min(np.ptp(xlim), np.ptp(ylim)) / (n - 1)
    scale = np.max(np.linalg.norm(G, axis=-1)) / spacing
    style = {"color": "#555555", "width": 0.004, **style}
    return ax.quiver(X, Y, G[..., 0], G[..., 1], angles="xy", scale_units="xy", scale=scale, **style)


def trajectory_2d(ax, path, **style):
    """Draw the points X_k = (x_k, y_k) joined in order, the start marked; return (path_line, start).

    path: shape (k+1, 2).
    """
    path = checks.finite_array(path, "path", shape=(None, 2))
    (line,) = ax.plot(path[:, 0], path[:, 1], **{**PATH_STYLE, **style})
    (start,) = ax.plot(path[:1, 0], path[:1, 1], **START_STYLE)
    return line, start


def set_path_2d(artists, path):
    """Move a trajectory_2d drawing to a new path of shape (k+1, 2) (in place); return the artists."""
    line, start = artists
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    line.set_data(path[:, 0], path[:, 1])
    start.set_data(path[:1, 0], path[:1, 1])
    return artists


def surface_3d(ax, objective, xlim, ylim, n=61, **style):
    """Draw z = f(x, y) as a surface on a 3-D axes (projection="3d"); return the Poly3DCollection."""
    X, Y, F = _grid(objective, xlim, ylim, n)
    surface = ax.plot_surface(X, Y, F, **{"cmap": "viridis", "linewidth": 0, "alpha": 0.9, **style})
    ax.set(xlabel="x", ylabel="y", zlabel="f(x, y)")
    return surface


def run_panels_2d(ax_xy, ax_loss, objective, run, xlim, ylim, title=""):
    """Draw one 2-D run twice, on the level sets (ax_xy) and as loss per step (ax_loss).

    Return (path_artists, loss_line). A diverged run is drawn up to the step it left the bound;
    ax_xy's title is `title` above the verdict.
    """
    contours_2d(ax_xy, objective, xlim, ylim)
    mark_minimum(ax_xy)
    artists = trajectory_2d(ax_xy, run.path)
    line = loss_curve(ax_loss, objective.value(run.path), marker=".")
    ax_xy.set_title(f"{title}\n{run.describe()}".strip(), fontsize=9)
    return artists, line


def first_order_change(ax, lrs, actual, predicted):
    """Draw the change f(x − lr·∇f) − f(x) and its first-order prediction −lr·‖∇f‖² against lr.

    lrs, actual, predicted: shape (n,). Return (actual_line, predicted_line).
    """
    (actual_line,) = ax.plot(lrs, actual, color="#d62728", linewidth=2, label="actual change of f")
    (predicted_line,) = ax.plot(lrs, predicted, color="#1f77b4", linestyle="--",
                                label="first-order prediction −lr·‖∇f‖²")
    ax.axhline(0, color="k", linewidth=0.6)
    ax.set(xlabel="lr", ylabel="f(x − lr·∇f) − f(x)")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower left", fontsize=8)
    return actual_line, predicted_line


def directional_slopes(ax, phi, slopes, g):
    """Draw the slope ∇f·u against the angle φ of u = (cos φ, sin φ), the bounds ±‖∇f‖, and the maximum.

    phi, slopes: shape (n,); g: the gradient, shape (2,). The maximum is marked at the angle of
    ∇f, φ = atan2(g_y, g_x). Return (slope_line, bound_lines, max_marker).
    """
    norm, angle = float(np.hypot(*g)), float(np.arctan2(g[1], g[0]))
    (line,) = ax.plot(np.degrees(phi), slopes, color="#1f77b4", linewidth=2, label="slope ∇f·u")
    bounds = [ax.axhline(s * norm, color="#888888", linestyle="--", linewidth=1) for s in (1, -1)]
    (peak,) = ax.plot([np.degrees(angle) % 360], [norm], "*", color="#d62728", markersize=12,
                      label="u = ∇f/‖∇f‖: slope ‖∇f‖")
    ax.set(xlabel="angle φ of the direction u (degrees)", ylabel="slope of f along u", xlim=(0, 360))
    ax.set_xticks(range(0, 361, 90))
    ax.legend(loc="lower left", fontsize=8)
    return line, bounds, peak


def direction_arrows(ax, X, phi, slopes, length=1.0):
    """Draw unit directions u = (cos φ, sin φ) from the point X as arrows coloured by their slope ∇f·u.

    Red arrows go uphill, blue ones downhill. phi, slopes: shape (n,). Return the Quiver.
    """
    limit = float(np.max(np.abs(slopes)))
    return ax.quiver(np.full_like(phi, X[0]), np.full_like(phi, X[1]), length * np.cos(phi),
                     length * np.sin(phi), slopes, cmap="coolwarm", clim=(-limit, limit), angles="xy",
                     scale_units="xy", scale=1, width=0.006, zorder=3)
