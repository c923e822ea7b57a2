import warnings

import numpy as np
import pytest

import explorer_pixels as pixels
import readout

from nbkit.descent import gradient_descent
from nbkit.explorers import Descent2DExplorer
from nbkit.objectives import elongated
from nbkit.plotting.descent import LOSS_FLOOR, contour_levels, loss_axis_ends


def move(explorer, **values):
    for name, value in values.items():
        explorer.controls[name].value = value


@pytest.mark.parametrize("lr, x0, y0, a, steps", [
    (0.085, -9.0, 6.0, 10.0, 60), (0.3, 4.0, -2.5, 1.0, 30), (0.5, 3.0, 3.0, 1.0, 5),
    (0.049, 10.0, -10.0, 20.0, 200), (0.11, -9.0, 3.0, 10.0, 80), (1.5, 1.0, 1.0, 20.0, 200),
    (0.001, -0.5, 0.0, 2.5, 1),
])
def test_update_puts_exactly_the_runners_trajectory_into_the_artists(lr, x0, y0, a, steps):
    explorer = Descent2DExplorer()
    move(explorer, steps=steps, a=a, x0=x0, y0=y0, lr=lr)
    bowl = elongated(a)
    run = gradient_descent(bowl.gradient, [x0, y0], lr, steps)
    line, start = explorer.path_artists
    np.testing.assert_array_equal(line.get_xdata(), run.path[:, 0])
    np.testing.assert_array_equal(line.get_ydata(), run.path[:, 1])
    np.testing.assert_array_equal(start.get_xdata(), [x0])
    np.testing.assert_array_equal(start.get_ydata(), [y0])
    np.testing.assert_array_equal(explorer.loss_line.get_xdata(), np.arange(len(run.path)))
    np.testing.assert_array_equal(explorer.loss_line.get_ydata(), np.maximum(bowl.value(run.path), LOSS_FLOOR))
    assert np.all(np.isfinite(line.get_xydata())) and np.all(np.isfinite(explorer.loss_line.get_ydata()))
    start, end = explorer.ax_loss.get_xlim()
    assert start == 0 and end in loss_axis_ends(steps) and end >= steps


def test_divergence_is_a_readout_without_warnings_or_nan():
    explorer = Descent2DExplorer(lr=0.05, x0=-9.0, y0=3.0, a=10.0, steps=80)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        move(explorer, lr=0.11)
    run = gradient_descent(elongated(10).gradient, [-9.0, 3.0], 0.11, 80)
    assert run.diverged_at is not None
    assert f"diverged at step {run.diverged_at}" in explorer.readout.value
    assert len(explorer.path_artists[0].get_xdata()) == run.diverged_at
    assert np.all(np.isfinite(explorer.path_artists[0].get_xydata()))


def test_readout_shows_both_factors_and_the_regime():
    explorer = Descent2DExplorer(a=10.0)
    for lr, words in [(0.02, "monotonically"), (0.09, "oscillating"), (0.1, "bounces"), (0.12, "diverges")]:
        move(explorer, lr=lr)
        text = explorer.readout.value
        for value in (lr, 10.0, 1 - 2 * lr, 1 - 2 * 10 * lr, 1 / 10):  # lr, a, r_x, r_y, the limit 1/a
            assert readout.shows(text, value), f"{value:.4g} is not in the readout: {readout.text(text)}"
        assert words in text
    move(explorer, a=1.0, lr=0.5)
    assert "one step" in explorer.readout.value


@pytest.mark.parametrize("lr, x0, y0, a, steps", [(0.02, -9.0, 6.0, 10.0, 7), (0.045, 7.0, -5.0, 3.0, 4),
                                                  (0.11, -9.0, 3.0, 10.0, 80), (0.3, 5.5, 2.5, 1.5, 3)])
def test_the_readouts_numbers_are_the_runs(lr, x0, y0, a, steps):
    explorer = Descent2DExplorer()
    move(explorer, steps=steps, a=a, x0=x0, y0=y0, lr=lr)
    bowl = elongated(a)
    run = gradient_descent(bowl.gradient, [x0, y0], lr, steps)
    x, y = run.path[-1]
    r_x, r_y = bowl.factors(lr)
    assert abs(x) < 0.9 * abs(x0) and abs(y) < 0.9 * abs(y0) or run.diverged_at  # x0 shown as the last x is seen
    text = explorer.readout.value
    for name, value in [("lr", lr), ("a", a), ("r_x", r_x), ("r_y", r_y), ("1/a", 1 / a), ("last x", x),
                        ("last y", y), ("f(last X)", bowl.value(run.path[-1]))]:
        assert readout.shows(text, value), f"{name} = {value:.4g} is not in the readout: {readout.text(text)}"
    if not run.diverged_at:
        assert not readout.shows(text, x0, rel=0.05) and not readout.shows(text, y0, rel=0.05), readout.text(text)


def test_every_move_but_a_new_loss_axis_end_takes_the_blit_path():
    explorer = Descent2DExplorer()
    background, levels = explorer._background, explorer.levels
    n_children = len(explorer.ax_xy.get_children())
    move(explorer, lr=0.02, x0=3.0, y0=-4.0, a=3.0, steps=70)
    assert explorer._background is background and explorer.levels is levels
    assert len(explorer.ax_xy.get_children()) == n_children  # the level sets moved, none were added
    assert levels in explorer.moving
    assert "a = 3:" in explorer.readout.value  # the value of a is in the readout (and on its slider)
    move(explorer, steps=120)  # the loss axis now ends at 200, not at 100
    assert explorer._background is not background


@pytest.mark.parametrize("a", [1.0, 3.0, 20.0])
def test_the_level_lines_are_the_level_sets_of_the_contour_levels(a):
    explorer = Descent2DExplorer()
    move(explorer, a=a)
    bowl = elongated(a)
    segments = explorer.levels.get_segments()
    levels = contour_levels(bowl, explorer.VIEW, explorer.VIEW, len(segments))
    assert len(segments) == 12
    for xy, level in zip(segments, levels):
        np.testing.assert_allclose(bowl.value(xy), level, rtol=1e-12)
        np.testing.assert_allclose(xy[0], xy[-1], atol=1e-12)  # closed
        assert np.ptp(xy[:, 0]) == pytest.approx(2 * np.sqrt(level))  # the whole ellipse, x = ±√level
        assert np.ptp(xy[:, 1]) == pytest.approx(2 * np.sqrt(level / a))


def test_changing_a_changes_the_level_sets():
    explorer = Descent2DExplorer(a=1.0)
    round_levels = explorer.levels.get_segments()
    move(explorer, a=20.0)
    steep_levels = explorer.levels.get_segments()
    width = lambda paths: max(np.ptp(v[:, 0]) / np.ptp(v[:, 1]) for v in paths if np.ptp(v[:, 1]) > 0)
    assert width(round_levels) == pytest.approx(1.0, abs=0.05)
    assert width(steep_levels) > 3


def test_slider_ranges_and_test_hooks():
    explorer = Descent2DExplorer()
    lr, a = explorer.controls["lr"], explorer.controls["a"]
    assert 10**lr.min <= 1e-3 and 10**lr.max >= 1.5
    assert (a.min, a.max) == (1, 20)
    hooks = {c for w in explorer.controls.values() for c in w._dom_classes}
    assert {"nbkit-lr", "nbkit-x0", "nbkit-y0", "nbkit-a", "nbkit-steps"} <= hooks
    assert "nbkit-explorer" in explorer.widget._dom_classes


def test_blit_image_shows_the_trajectory():
    """The blitted frame equals a full draw made independently, and every moving artist is in it."""
    explorer = Descent2DExplorer(lr=0.02, x0=-9.0, y0=3.0, a=10.0, steps=40)
    move(explorer, lr=0.095)
    blitted = np.asarray(explorer.fig.canvas.buffer_rgba()).copy()
    full = pixels.render(explorer)
    trajectory = pixels.footprint(explorer, explorer.path_artists[0], full)
    # The tolerance is below what hiding the trajectory changes, so that bug fails it.
    assert np.mean(trajectory) > 2 * BLIT_TOLERANCE
    assert pixels.differ(blitted, full) <= BLIT_TOLERANCE
    assert pixels.assert_each_moving_artist_is_shown(explorer, blitted) == set(range(len(explorer.moving)))


#: Pixels a correct blit may differ from a full draw by (measured at most 0.066%; see test_explorer_base).
BLIT_TOLERANCE = 1e-3
