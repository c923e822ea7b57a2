import numpy as np
from matplotlib.figure import Figure

from nbkit.descent import gradient_descent
from nbkit.objectives import SQUARE
from nbkit.plotting import descent as plot


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
    plot.set_path_1d(artists, SQUARE, np.array([5.0, -5.0, 5.0]))
    np.testing.assert_array_equal(artists[0].get_ydata(), [25.0, 25.0, 25.0])
    line = plot.loss_curve(ax, [1.0])
    plot.set_loss(line, [4.0, 1.0])
    np.testing.assert_array_equal(line.get_xdata(), [0, 1])
