"""Tests for nbkit.plotting.neuron: what each function draws is exactly the data it was given."""

import numpy as np
from matplotlib.figure import Figure

from nbkit import neuron
from nbkit.plotting import neuron as draw


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
