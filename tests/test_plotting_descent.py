import numpy as np
import pytest
from matplotlib.figure import Figure

from nbkit.descent import gradient_descent
from nbkit.objectives import SQUARE, elongated
from nbkit.plotting import descent as plot

from errors import message_of


def test_trajectory_and_loss_draw_exactly_the_path():
    ax_f, ax_loss = Figure().subplots(1, 2)
    run = gradient_descent(SQUARE.gradient, 3.0, 0.5, 4)
    (line, start), loss = plot.run_panels_1d(ax_f, ax_loss, SQUARE, run, xlim=(-4, 4), title="lr = 0.5")
    np.testing.assert_array_equal(line.get_xdata(), run.path)
    np.testing.assert_array_equal(line.get_ydata(), run.path**2)
    np.testing.assert_array_equal(start.get_xdata(), [3.0])
    # exact zeros are drawn at the floor of the log axis, never dropped
    np.testing.assert_array_equal(loss.get_ydata(), [9.0] + [plot.LOSS_FLOOR] * 4)
    assert ax_loss.get_yscale() == "log"
    assert "lr = 0.5" in ax_f.get_title() and "fixed point" in ax_f.get_title()


def test_set_functions_move_data_in_place():
    ax = Figure().subplots()
    artists = plot.trajectory_1d(ax, SQUARE, [1.0, 2.0])
    plot.set_path_1d(artists, SQUARE, np.array([5.0, -4.0, 3.0]))
    np.testing.assert_array_equal(artists[0].get_xydata(), [[5.0, 25.0], [-4.0, 16.0], [3.0, 9.0]])
    np.testing.assert_array_equal(artists[1].get_xydata(), [[5.0, 25.0]])  # the start marker moved too
    line = plot.loss_curve(ax, [1.0])
    plot.set_loss(line, [4.0, 1.0])
    np.testing.assert_array_equal(line.get_xdata(), [0, 1])


# Notebook 02: drawing in the plane.

def test_2d_trajectory_and_loss_draw_exactly_the_path():
    ax_xy, ax_loss = Figure().subplots(1, 2)
    bowl = elongated(10)
    run = gradient_descent(bowl.gradient, [-9.0, 3.0], 0.11, 80)
    (line, start), loss = plot.run_panels_2d(ax_xy, ax_loss, bowl, run, (-10, 10), (-5, 5), title="a = 10")
    np.testing.assert_array_equal(line.get_xydata(), run.path)
    np.testing.assert_array_equal(start.get_xydata(), [[-9.0, 3.0]])
    np.testing.assert_array_equal(loss.get_ydata(), bowl.value(run.path))
    assert ax_loss.get_yscale() == "log"
    assert "a = 10" in ax_xy.get_title() and f"diverged at step {run.diverged_at}" in ax_xy.get_title()
    assert ax_xy.get_xlim() == (-10, 10) and ax_xy.get_ylim() == (-5, 5) and ax_xy.get_aspect() == 1


@pytest.mark.parametrize("steps, end", [(1, 10), (10, 10), (11, 20), (30, 50), (50, 50), (51, 100),
                                        (200, 200), (201, 500), (999, 1000), (5000, 5000), (6000, 6000)])
def test_loss_axis_end_is_the_next_round_number_holding_every_step(steps, end):
    assert plot.loss_axis_end(steps) == end


def test_set_loss_xlim_changes_the_axis_only_when_its_end_no_longer_fits():
    ax = Figure().add_subplot()
    assert plot.set_loss_xlim(ax, 30) is True and ax.get_xlim() == (0, 50)
    assert plot.set_loss_xlim(ax, 45) is False and ax.get_xlim() == (0, 50)
    assert plot.set_loss_xlim(ax, 51) is True and ax.get_xlim() == (0, 100)
    assert plot.set_loss_xlim(ax, 115) is True and ax.get_xlim() == (0, 200)
    assert plot.set_loss_xlim(ax, 100) is False and ax.get_xlim() == (0, 200)  # one end up: kept
    assert plot.set_loss_xlim(ax, 115) is False and ax.get_xlim() == (0, 200)
    assert plot.set_loss_xlim(ax, 50) is True and ax.get_xlim() == (0, 50)  # two ends up: shrinks
    assert plot.set_loss_xlim(ax, 5) is True and ax.get_xlim() == (0, 10)


def test_loss_axis_ends_are_the_end_and_the_next_one_up():
    assert plot.loss_axis_ends(1) == (10, 20) and plot.loss_axis_ends(100) == (100, 200)
    assert plot.loss_axis_ends(101) == (200, 500) and plot.loss_axis_ends(5000) == (5000, 5001)


def test_set_path_2d_moves_data_in_place():
    ax = Figure().subplots()
    artists = plot.trajectory_2d(ax, [[1.0, 2.0]])
    plot.set_path_2d(artists, np.array([[5.0, -5.0], [2.0, 1.0], [0.5, 0.25]]))
    np.testing.assert_array_equal(artists[0].get_xdata(), [5.0, 2.0, 0.5])
    np.testing.assert_array_equal(artists[0].get_ydata(), [-5.0, 1.0, 0.25])
    np.testing.assert_array_equal(artists[1].get_xydata(), [[5.0, -5.0]])


@pytest.mark.parametrize("a", [1.0, 10.0])
def test_contour_levels_are_level_sets_of_f(a):
    bowl = elongated(a)
    levels = plot.contour_levels(bowl, (-5, 5), (-5, 5), n=8)
    assert levels.shape == (8,) and np.all(np.diff(levels) > 0) and levels[-1] < bowl.value([5.0, 5.0])
    contours = plot.contours_2d(Figure().subplots(), bowl, (-5, 5), (-5, 5), levels=levels)
    for level, path in zip(contours.levels, contours.get_paths()):
        if len(path.vertices):
            np.testing.assert_allclose(bowl.value(path.vertices), level, rtol=0.02)


@pytest.mark.parametrize("a", [1.0, 4.0])
def test_gradient_arrows_are_the_gradient_perpendicular_to_the_level_sets(a):
    bowl = elongated(a)
    quiver = plot.gradient_field(Figure().subplots(), bowl, (-4, 4), (-4, 4), n=5)
    X = quiver.get_offsets()
    G = np.stack([quiver.U, quiver.V], axis=-1)
    np.testing.assert_array_equal(G, bowl.gradient(X))
    tangents = np.stack([-a * X[:, 1], X[:, 0]], axis=-1)  # along the ellipse x² + a·y² = const
    np.testing.assert_allclose(np.sum(G * tangents, axis=-1), 0, atol=1e-12)
    assert np.all(np.sum(G * X, axis=-1) >= 0)  # uphill: away from the minimum at the origin


def test_surface_3d_draws_f():
    fig = Figure()
    ax = fig.add_subplot(projection="3d")
    surface = plot.surface_3d(ax, elongated(10), (-3, 3), (-3, 3), n=11)
    assert ax.get_zlabel() == "f(x, y)"
    assert ax.get_zlim()[1] >= elongated(10).value([3.0, 3.0]) * 0.99


# Foundations of notebooks 01–02.

def test_first_order_change_draws_actual_and_predicted_against_lr():
    ax = Figure().subplots()
    lrs = np.linspace(0, 1.2, 7)
    actual, predicted = lrs * (lrs - 1) * 36, -36 * lrs
    a_line, p_line = plot.first_order_change(ax, lrs, actual, predicted)
    np.testing.assert_array_equal(a_line.get_xydata(), np.stack([lrs, actual], axis=1))
    np.testing.assert_array_equal(p_line.get_xydata(), np.stack([lrs, predicted], axis=1))


def test_directional_slopes_marks_the_maximum_at_the_gradient():
    from nbkit.objectives import directional_derivatives
    ax = Figure().subplots()
    g = np.array([-3.0, 4.0])
    phi = np.linspace(0, 2 * np.pi, 361)
    line, bounds, peak = plot.directional_slopes(ax, phi, directional_derivatives(g, phi), g)
    np.testing.assert_allclose(line.get_xdata(), np.degrees(phi))
    assert [b.get_ydata()[0] for b in bounds] == [5.0, -5.0]
    np.testing.assert_allclose(peak.get_xydata(), [[np.degrees(np.arctan2(4.0, -3.0)), 5.0]])
    arrows = plot.direction_arrows(ax, (1.0, 2.0), phi[:8], directional_derivatives(g, phi[:8]))
    np.testing.assert_allclose(arrows.U, np.cos(phi[:8]))
    np.testing.assert_allclose(arrows.V, np.sin(phi[:8]), atol=1e-15)
    np.testing.assert_allclose(arrows.get_array(), directional_derivatives(g, phi[:8]))


def test_level_ellipses_lie_on_the_level_sets_of_the_objective():
    ax = Figure().subplots()
    bowl = elongated(10)
    lines = plot.level_ellipses(ax, bowl, (-10, 10), (-5, 5), n=5)
    levels = plot.contour_levels(bowl, (-10, 10), (-5, 5), 5)
    for segment, level in zip(lines.get_segments(), levels):
        np.testing.assert_allclose(bowl.value(segment), level, rtol=1e-12)


def test_set_level_ellipses_moves_every_level_to_the_new_objective():
    ax = Figure().subplots()
    lines = plot.level_ellipses(ax, elongated(10), (-10, 10), (-5, 5), n=5)
    bowl = elongated(3)
    assert plot.set_level_ellipses(lines, bowl, (-10, 10), (-5, 5)) is lines
    segments, levels = lines.get_segments(), plot.contour_levels(bowl, (-10, 10), (-5, 5), 5)
    assert len(segments) == len(levels) == 5
    for segment, level in zip(segments, levels):
        np.testing.assert_allclose(bowl.value(segment), level, rtol=1e-12)


@pytest.mark.parametrize("call, error, message", [
    (lambda ax: plot.curve_1d(ax, elongated(2), (-1, 1)), ValueError,
     "objective must be a 1-D objective such as SQUARE; got Quadratic of 2 coordinate(s)"),
    (lambda ax: plot.level_ellipses(ax, SQUARE, (-1, 1), (-1, 1)), ValueError,
     "objective must be a 2-D objective such as BOWL or elongated(a); got Quadratic of 1 coordinate(s)"),
    (lambda ax: plot.contours_2d(ax, 3, (-1, 1), (-1, 1)), ValueError,
     "objective must be a 2-D objective such as BOWL or elongated(a); got int"),
    (lambda ax: plot.level_ellipses(ax, elongated(2), (1, -1), (-1, 1)), ValueError,
     "xlim must be a pair (lo, hi) with lo < hi and hi − lo a finite number; got (1, -1)"),
    (lambda ax: plot.level_ellipses(ax, elongated(2), (-1, 1), (2, 2)), ValueError,
     "ylim must be a pair (lo, hi) with lo < hi and hi − lo a finite number; got (2, 2)"),
    (lambda ax: plot.level_ellipses(ax, elongated(2), (-1, 1), (-1, 1), n=0), ValueError,
     "n must be an integer >= 1 and <= 2001; got 0"),
    (lambda ax: plot.level_ellipses(ax, elongated(2), (-1, 1), (-1, 1), points=1), ValueError,
     "points must be an integer >= 2 and <= 2001; got 1"),
    (lambda ax: plot.contours_2d(ax, elongated(2), (-1, 1), (-1, 1), n=1), ValueError,
     "n must be an integer >= 2 and <= 2001; got 1"),
    (lambda ax: plot.curve_1d(ax, SQUARE, (-1, 1), n=2002), ValueError, "n must be an integer >= 2 and <= 2001; got 2002"),
])
def test_plotting_errors_name_what_went_wrong(call, error, message):
    assert message_of(call, error, Figure().subplots()) == message


def test_level_ellipses_by_default_and_at_one_level():
    """12 closed levels of 241 points, dark blue at the centre to light at the edge, equal axes over the view."""
    import matplotlib
    ax = Figure().subplots()
    bowl = elongated(4)
    lines = plot.level_ellipses(ax, bowl, (-3, 3), (-2, 2))
    segments = lines.get_segments()
    assert len(segments) == 12 and all(s.shape == (241, 2) for s in segments)
    np.testing.assert_allclose([s[0] for s in segments], [s[-1] for s in segments], atol=1e-12)  # closed
    np.testing.assert_array_equal(lines.get_colors(), matplotlib.colormaps["Blues"](np.linspace(0.8, 0.35, 12)))
    assert lines.get_linewidths()[0] == 0.8
    assert (ax.get_xlim(), ax.get_ylim(), ax.get_xlabel(), ax.get_ylabel(), ax.get_aspect()) == ((-3, 3), (-2, 2), "x", "y", 1.0)
    one = plot.level_ellipses(Figure().subplots(), bowl, (-3, 3), (-2, 2), n=1, points=2)
    assert len(one.get_segments()) == 1 and one.get_segments()[0].shape == (2, 2)


def test_the_1d_panels_are_drawn_in_their_styles_and_labels():
    """The curve of f (401 points, blue, width 2), the path and its start in PATH_STYLE and START_STYLE,
    the loss in red on a log axis over k with a faint major grid, and the view: f's panel from −5% to 105% of f(hi)."""
    from matplotlib.colors import to_rgba
    ax_f, ax_loss = Figure().subplots(1, 2)
    run = gradient_descent(SQUARE.gradient, 3.0, 0.1, 5)
    (path, start), loss = plot.run_panels_1d(ax_f, ax_loss, SQUARE, run, xlim=(-4, 4))
    curve = ax_f.lines[0]
    assert len(curve.get_xdata()) == 401 and curve.get_xdata()[0] == -4 and curve.get_xdata()[-1] == 4
    np.testing.assert_array_equal(curve.get_ydata(), curve.get_xdata() ** 2)
    assert (to_rgba(curve.get_color()), curve.get_linewidth(), curve.get_label()) == (to_rgba("#1f77b4"), 2, "f(x) = x²")
    assert (ax_f.get_xlabel(), ax_f.get_ylabel(), ax_f.get_xlim()) == ("x", "f(x)", (-4, 4))
    assert ax_f.get_ylim() == pytest.approx((-0.05 * 16, 1.05 * 16))
    for line, style, label in ((path, plot.PATH_STYLE, "x_k"), (start, plot.START_STYLE, "x0")):
        assert line.get_label() == label and to_rgba(line.get_color()) == to_rgba(style["color"])
        assert (line.get_marker(), line.get_markersize()) == (style["marker"], style["markersize"])
    assert path.get_linewidth() == plot.PATH_STYLE["linewidth"] and start.get_linestyle() == "None"
    assert start.get_zorder() == 5
    np.testing.assert_array_equal(loss.get_xdata(), np.arange(6))
    assert to_rgba(loss.get_color()) == to_rgba("#d62728") and loss.get_marker() == "."
    assert (ax_loss.get_xlabel(), ax_loss.get_ylabel(), ax_loss.get_yscale()) == ("step k", "loss", "log")
    gridline = ax_loss.get_xgridlines()[0]
    assert gridline.get_visible() and gridline.get_alpha() == 0.3
    assert ax_f.get_title() == run.describe() and ax_f.title.get_fontsize() == 9  # no title given: the verdict alone


@pytest.mark.parametrize("call, message", [
    (lambda ax: plot.trajectory_1d(ax, SQUARE, [[1.0, 2.0]]), "path must have shape (n,); got shape (1, 2)"),
    (lambda ax: plot.loss_curve(ax, [[1.0]]), "losses must have shape (n,); got shape (1, 1)"),
])
def test_paths_and_losses_must_be_1d(call, message):
    with pytest.raises(ValueError) as raised:
        call(Figure().subplots())
    assert str(raised.value) == message


def test_the_2d_grid_spans_the_view_with_f_at_each_point():
    X, Y, F = plot._grid(elongated(2), (-2, 2), (-1, 1), 5)
    assert X.shape == Y.shape == F.shape == (5, 5)
    assert (X[0, 0], X[0, -1], Y[0, 0], Y[-1, 0]) == (-2, 2, -1, 1)
    np.testing.assert_array_equal(F, X**2 + 2 * Y**2)


def test_bowl_panels_fix_their_layout_and_mark_the_minimum():
    """Two axes at fixed places (widths 1 : 1.15, a gap of a quarter of their mean width), the level sets over
    view × view on the left, and the minimum as a black star at the origin."""
    from matplotlib.colors import to_rgba
    fig = Figure()
    ax_xy, ax_loss, levels, star = plot.bowl_panels(fig, elongated(3), (-2, 2))
    assert fig.get_layout_engine() is None
    widths = 0.91 / (1 + 0.25 / 2)  # the two axes' widths together: 0.98 − 0.07 less the gap
    w_xy = widths / 2.15
    assert ax_xy.get_position(original=True).bounds == pytest.approx((0.07, 0.12, w_xy, 0.8))
    assert ax_loss.get_position(original=True).bounds == pytest.approx((0.98 - 1.15 * w_xy, 0.12, 1.15 * w_xy, 0.8))
    assert levels in ax_xy.collections and (ax_xy.get_xlim(), ax_xy.get_ylim()) == ((-2, 2), (-2, 2))
    assert star in ax_xy.lines and star.get_xydata().tolist() == [[0.0, 0.0]]
    assert (star.get_marker(), to_rgba(star.get_color()), star.get_markersize()) == ("*", to_rgba("k"), 10)
    assert (star.get_linestyle(), star.get_zorder(), star.get_label()) == ("None", 4, "minimum")


def test_gradient_arrows_are_true_to_the_axes_with_the_longest_one_grid_step():
    from matplotlib.colors import to_rgba
    quiver = plot.gradient_field(Figure().subplots(), elongated(3), (-4, 4), (-2, 2), n=5)
    spacing = 4 / 4  # the smaller side, 4, over n − 1 = 4 steps
    G = elongated(3).gradient(np.stack([quiver.X, quiver.Y], axis=-1))
    assert quiver.scale == pytest.approx(np.max(np.linalg.norm(G, axis=-1)) / spacing)
    assert (quiver.angles, quiver.scale_units, quiver.width) == ("xy", "xy", 0.004)
    assert to_rgba(quiver.get_facecolor()[0]) == to_rgba("#555555")
    np.testing.assert_array_equal(quiver.U, G[..., 0].ravel())
    np.testing.assert_array_equal(quiver.V, G[..., 1].ravel())


def test_contours_are_drawn_at_the_levels_of_the_level_ellipses_in_their_colours():
    import matplotlib
    ax = Figure().subplots()
    bowl = elongated(3)
    contours = plot.contours_2d(ax, bowl, (-3, 3), (-2, 2))
    np.testing.assert_array_equal(contours.levels, plot.contour_levels(bowl, (-3, 3), (-2, 2)))
    assert len(contours.levels) == 12
    np.testing.assert_array_equal(contours.get_edgecolor(), matplotlib.colormaps["Blues"](np.linspace(0.8, 0.35, 12)))
    assert contours.get_linewidth()[0] == 0.8
    assert (ax.get_xlim(), ax.get_ylim(), ax.get_xlabel(), ax.get_ylabel(), ax.get_aspect()) == (
        (-3, 3), (-2, 2), "x", "y", 1.0)
    given = plot.contours_2d(Figure().subplots(), bowl, (-3, 3), (-2, 2), levels=[1.0, 2.0])
    assert list(given.levels) == [1.0, 2.0]


def test_the_first_order_panel_names_its_two_curves_and_zero():
    from matplotlib.colors import to_rgba
    ax = Figure().subplots()
    actual, predicted = plot.first_order_change(ax, [0.1, 0.2], [-1.0, -1.5], [-1.2, -2.4])
    assert (actual.get_label(), to_rgba(actual.get_color()), actual.get_linewidth()) == (
        "actual change of f", to_rgba("#d62728"), 2)
    assert (predicted.get_label(), to_rgba(predicted.get_color()), predicted.get_linestyle()) == (
        "first-order prediction −lr·‖∇f‖²", to_rgba("#1f77b4"), "--")
    zero = ax.lines[2]
    assert list(zero.get_ydata()) == [0, 0] and to_rgba(zero.get_color()) == to_rgba("k") and zero.get_linewidth() == 0.6
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("lr", "f(x − lr·∇f) − f(x)")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["actual change of f", "first-order prediction −lr·‖∇f‖²"]


def test_the_surface_is_f_over_the_grid():
    ax = Figure().add_subplot(projection="3d")
    surface = plot.surface_3d(ax, elongated(2), (-1, 1), (-1, 1), n=5)
    assert surface.get_cmap().name == "viridis" and surface.get_alpha() == 0.9
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_zlabel()) == ("x", "y", "f(x, y)")
    assert ax.get_zlim()[1] >= 3.0 - 1e-9  # f reaches 1 + 2 = 3 at the corners


def test_the_2d_panels_draw_the_run_over_the_contours_and_the_minimum():
    ax_xy, ax_loss = Figure().subplots(1, 2)
    bowl = elongated(3)
    run = gradient_descent(bowl.gradient, [2.0, 1.0], 0.1, 4)
    (path, start), loss = plot.run_panels_2d(ax_xy, ax_loss, bowl, run, (-3, 3), (-2, 2), title="lr = 0.1")
    np.testing.assert_array_equal(path.get_xydata(), run.path)
    np.testing.assert_array_equal(loss.get_ydata(), bowl.value(run.path))
    assert loss.get_marker() == "."
    assert any(line.get_marker() == "*" for line in ax_xy.lines)  # the minimum
    assert ax_xy.get_title() == f"lr = 0.1\n{run.describe()}" and ax_xy.title.get_fontsize() == 9


def test_the_slope_panel_is_drawn_over_a_full_turn_in_its_styles():
    from matplotlib.colors import to_rgba
    from nbkit.objectives import directional_derivatives
    ax = Figure().subplots()
    g = np.array([3.0, -4.0])
    phi = np.linspace(0, 2 * np.pi, 9)
    line, (upper, lower), peak = plot.directional_slopes(ax, phi, directional_derivatives(g, phi), g)
    assert (line.get_label(), to_rgba(line.get_color()), line.get_linewidth()) == ("slope ∇f·u", to_rgba("#1f77b4"), 2)
    for bound, level in ((upper, 5.0), (lower, -5.0)):
        assert list(bound.get_ydata()) == [level, level] and to_rgba(bound.get_color()) == to_rgba("#888888")
        assert (bound.get_linestyle(), bound.get_linewidth()) == ("--", 1)
    np.testing.assert_allclose(peak.get_xydata(), [[np.degrees(np.arctan2(-4, 3)) % 360, 5.0]])  # 306.87°: atan2 wrapped
    assert (peak.get_marker(), to_rgba(peak.get_color()), peak.get_markersize(), peak.get_label()) == (
        "*", to_rgba("#d62728"), 12, "u = ∇f/‖∇f‖: slope ‖∇f‖")
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_xlim()) == (
        "angle φ of the direction u (degrees)", "slope of f along u", (0, 360))
    assert list(ax.get_xticks()) == [0, 90, 180, 270, 360]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["slope ∇f·u", "u = ∇f/‖∇f‖: slope ‖∇f‖"]
    slopes = directional_derivatives(g, phi[:4])
    arrows = plot.direction_arrows(ax, (1.0, 2.0), phi[:4], slopes, length=0.5)
    np.testing.assert_allclose(np.column_stack([arrows.U, arrows.V]), 0.5 * np.column_stack([np.cos(phi[:4]), np.sin(phi[:4])]))
    assert (arrows.X.tolist(), arrows.Y.tolist()) == ([1.0] * 4, [2.0] * 4)
    limit = np.max(np.abs(slopes))  # the steepest arrow drawn takes the ends of the colour map
    assert arrows.get_clim() == (-limit, limit) and arrows.get_cmap().name == "coolwarm"
    assert (arrows.scale, arrows.width, arrows.get_zorder()) == (1, 0.006, 3)
