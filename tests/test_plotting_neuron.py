"""Tests for nbkit.plotting.neuron: what each function draws is exactly the data it was given."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nbkit import neuron
from nbkit.plotting import neuron as draw

from errors import message_of


def axes():
    return Figure().subplots()


def test_landscape_spans_the_grid_with_log_spaced_levels():
    ax = axes()
    W, B = np.meshgrid(np.linspace(-2, 3, 30), np.linspace(-1, 1, 20))
    x, y = neuron.make_data(n=8)
    surface = neuron.loss_surface(W, B, x, y)
    filled = draw.landscape(ax, W, B, surface, levels=10)
    assert ax.get_xlim() == (-2, 3) and ax.get_ylim() == (-1, 1)
    levels = np.asarray(filled.levels)
    assert len(levels) == 10 and np.allclose(levels[[0, -1]], [surface.min(), surface.max()])
    assert np.allclose(np.diff(np.log(levels)), np.log(levels[1] / levels[0]))


def test_prediction_curve_is_the_sigmoid_of_the_neuron_and_moves_in_place():
    ax = axes()
    line = draw.prediction_curve(ax, 2.0, -1.0, (-3, 3), n=7)
    x = line.get_xdata()
    assert np.allclose(line.get_ydata(), neuron.sigmoid(2.0 * x - 1.0))
    assert draw.set_prediction(line, -0.5, 0.3) is line
    assert np.array_equal(line.get_xdata(), x)
    assert np.allclose(line.get_ydata(), neuron.sigmoid(-0.5 * x + 0.3))


def test_data_points_are_the_samples():
    ax = axes()
    x, y = neuron.make_data(n=6)
    dots = draw.data_points(ax, x, y)
    assert np.array_equal(dots.get_offsets(), np.column_stack([x, y]))


def test_loss_levels_are_log_spaced_below_the_knee_and_evenly_stepped_above():
    levels = draw.loss_levels(7e-4, 0.77, knee=0.1, log_levels=8, step=0.05)
    low, high = levels[:8], levels[7:]
    assert low[0] == 7e-4 and np.isclose(low[-1], 0.1)
    assert np.allclose(np.diff(np.log(low)), np.log(0.1 / 7e-4) / 7)
    assert np.allclose(np.diff(high), 0.05) and high[-2] < 0.77 <= high[-1]
    assert np.all(np.diff(levels) > 0)
    assert np.allclose(draw.loss_levels(1e-3, 0.05, knee=0.1, log_levels=5), np.geomspace(1e-3, 0.05, 5))


def test_a_plateau_run_from_0_73_to_0_43_crosses_several_bands():
    levels = draw.loss_levels(7e-4, 0.77)
    assert np.sum((levels > 0.43) & (levels < 0.73)) >= 5


def test_landscape_draws_the_levels_it_is_given():
    ax = axes()
    W, B = np.meshgrid(np.linspace(-2, 3, 30), np.linspace(-1, 1, 20))
    x, y = neuron.make_data(n=8)
    surface = neuron.loss_surface(W, B, x, y)
    edges = draw.loss_levels(surface.min(), surface.max())
    assert np.array_equal(draw.landscape(ax, W, B, surface, edges).levels, edges)


def _landscape_grid():
    w, b = np.meshgrid(np.linspace(-2, 2, 9), np.linspace(-1, 1, 5))
    return w, b, 0.1 + w**2 + b**2


@pytest.mark.parametrize("call, error, message", [
    (lambda ax: draw.landscape(ax, [1.0, 2.0], [[1.0]], [[1.0]]), ValueError, "w must have shape (n, n); got shape (2,)"),
    (lambda ax: draw.landscape(ax, [[1.0]], [1.0], [[1.0]]), ValueError, "b must have shape (n, n); got shape (1,)"),
    (lambda ax: draw.landscape(ax, [[1.0, 2.0]], [[1.0, 2.0]], [[1.0]]), ValueError,
     "surface must have shape (1, 2); got shape (1, 1)"),
    (lambda ax: draw.landscape(ax, [[1.0, 2.0]], [[1.0], [2.0]], [[1.0, 2.0]]), ValueError,
     "w, b and surface must be grids of one shape, surface >= 0; got shapes (1, 2), (2, 1), (1, 2) and min(surface) = 1"),
    (lambda ax: draw.landscape(ax, [[1.0, 2.0]], [[1.0, 2.0]], [[-1.0, 2.0]]), ValueError,
     "w, b and surface must be grids of one shape, surface >= 0; got shapes (1, 2), (1, 2), (1, 2) and min(surface) = -1"),
    (lambda ax: draw.landscape(ax, [[1.0, 2.0]], [[1.0, 2.0]], [[0.5, 0.5]]), ValueError,
     "surface must vary above 1e-12 to be drawn on log levels; got min 0.5, max 0.5"),
    (lambda ax: draw.data_points(ax, [[1.0]], [1.0]), ValueError, "x must have shape (n,); got shape (1, 1)"),
    (lambda ax: draw.data_points(ax, [1.0, 2.0], [1.0]), ValueError, "y must have shape (2,); got shape (1,)"),
    (lambda ax: draw.prediction_curve(ax, "a", 0.0, (-1, 1)), TypeError, "w must be a finite number; got 'a' of type str"),
    (lambda ax: draw.prediction_curve(ax, 1.0, "a", (-1, 1)), TypeError, "b must be a finite number; got 'a' of type str"),
    (lambda ax: draw.prediction_curve(ax, 1.0, 0.0, (1, -1)), ValueError, "xlim must be a pair (lo, hi) with lo < hi; got (1, -1)"),
    (lambda ax: draw.prediction_curve(ax, 1.0, 0.0, (-1, 1, 2)), ValueError, "xlim must have shape (2,); got shape (3,)"),
    (lambda ax: draw.prediction_curve(ax, 1.0, 0.0, (-1, 1), n=1), ValueError, "n must be an integer >= 2 and <= 2001; got 1"),
])
def test_neuron_plotting_errors_name_what_went_wrong(call, error, message):
    assert message_of(call, error, Figure().subplots()) == message


def test_the_neuron_panels_in_their_styles():
    from matplotlib.colors import to_rgba
    ax = Figure().subplots()
    w, b, surface = _landscape_grid()
    filled = draw.landscape(ax, w, b, surface, levels=6)
    np.testing.assert_allclose(filled.levels, np.geomspace(surface.min(), surface.max(), 6))
    assert filled.get_cmap().name == "viridis_r"
    lines = ax.collections[-1]
    np.testing.assert_allclose(lines.levels, filled.levels)
    assert tuple(lines.get_edgecolor()[0]) == to_rgba("white", 0.6) and lines.get_linewidth()[0] == 0.4
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("w", "b")
    assert len(draw.landscape(Figure().subplots(), w, b, surface).levels) == 14  # by default
    ax = Figure().subplots()
    dots = draw.data_points(ax, [0.0, 1.0], [0.2, 0.9])
    assert dots.get_label() == "data (xᵢ, yᵢ)" and (ax.get_xlabel(), ax.get_ylabel()) == ("x", "y")
    assert (dots.get_sizes().tolist(), dots.get_zorder()) == ([22], 3)
    assert tuple(dots.get_facecolors()[0]) == to_rgba(draw.DATA_STYLE["color"])
    line = draw.prediction_curve(ax, 2.0, -1.0, (-3, 3))
    assert len(line.get_xdata()) == 201 and line.get_label() == "ŷ = S(w·x + b)"
    assert (ax.get_xlim(), ax.get_ylim()) == ((-3, 3), (-0.05, 1.05))
    for key, value in draw.PREDICTION_STYLE.items():
        got = {"color": lambda: to_rgba(line.get_color()), "linewidth": line.get_linewidth,
               "linestyle": line.get_linestyle, "zorder": line.get_zorder}.get(key)
        if got:
            assert got() == (to_rgba(value) if key == "color" else value), key
    steep = draw.prediction_curve(Figure().subplots(), 1e308, 1e308, (-3, 3), n=5, label="steep")
    assert steep.get_ydata().tolist() == [0.0, 0.0, 1.0, 1.0, 1.0] and steep.get_label() == "steep"
