import re
import warnings

import numpy as np
import pytest

from nbkit import momentum
from nbkit.explorers import OptimizerExplorer
from nbkit.objectives import elongated
from nbkit.optimizers import Adam, GradientDescent, Momentum, run
from nbkit.plotting.descent import LOSS_FLOOR, contour_levels, loss_axis_ends


def move(explorer, **values):
    for name, value in values.items():
        explorer.controls[name].value = value


def assert_drawn(line, loss_line, result):
    np.testing.assert_array_equal(line.get_xdata(), result.path[:, 0])
    np.testing.assert_array_equal(line.get_ydata(), result.path[:, 1])
    np.testing.assert_array_equal(loss_line.get_xdata(), np.arange(len(result.path)))
    np.testing.assert_array_equal(loss_line.get_ydata(), np.maximum(result.losses, LOSS_FLOOR))


def assert_hidden(line, loss_line):
    assert len(line.get_xdata()) == 0 and len(loss_line.get_xdata()) == 0


@pytest.mark.parametrize("lr, beta, beta1, beta2, x0, y0, a, steps", [
    (0.045, 0.6, 0.9, 0.999, -9.0, 6.0, 20.0, 100), (0.3, 0.9, 0.5, 0.95, 4.0, -2.5, 1.0, 30),
    (0.0066, 0.67, 0.99, 0.9, 10.0, -10.0, 100.0, 300), (1.5, 0.0, 0.0, 0.9999, 1.0, 1.0, 50.0, 1),
])
def test_every_slider_puts_exactly_the_runs_into_the_artists(lr, beta, beta1, beta2, x0, y0, a, steps):
    explorer = OptimizerExplorer()
    move(explorer, steps=steps, a=a, x0=x0, y0=y0, beta=beta, beta1=beta1, beta2=beta2, lr=lr)
    bowl = elongated(a)
    runs = {"gradient descent": run(GradientDescent(), bowl, [x0, y0], lr, steps),
            "momentum": run(Momentum(beta), bowl, [x0, y0], lr, steps),
            "Adam": run(Adam(beta1, beta2), bowl, [x0, y0], lr, steps)}
    for name, result in runs.items():
        assert_drawn(explorer.paths[name], explorer.losses[name], result)
    np.testing.assert_array_equal(explorer.start.get_xydata(), [[x0, y0]])
    start, end = explorer.ax_loss.get_xlim()
    assert start == 0 and end in loss_axis_ends(steps) and end >= steps


def test_the_method_choice_shows_one_method_or_both_and_always_gradient_descent():
    explorer = OptimizerExplorer()
    bowl, start = elongated(20.0), [-9.0, 6.0]
    move(explorer, method="Adam")
    assert_hidden(explorer.paths["momentum"], explorer.losses["momentum"])
    assert_drawn(explorer.paths["Adam"], explorer.losses["Adam"], run(Adam(), bowl, start, 0.045, 100))
    assert "Momentum" not in explorer.readout.value and "Adam" in explorer.readout.value
    move(explorer, method="momentum")
    assert_hidden(explorer.paths["Adam"], explorer.losses["Adam"])
    assert_drawn(explorer.paths["momentum"], explorer.losses["momentum"], run(Momentum(0.6), bowl, start, 0.045, 100))
    assert "Momentum" in explorer.readout.value and "Adam," not in explorer.readout.value
    assert_drawn(explorer.paths["gradient descent"], explorer.losses["gradient descent"],
                 run(GradientDescent(), bowl, start, 0.045, 100))
    move(explorer, method="both")
    assert len(explorer.paths["Adam"].get_xdata()) == 101 and len(explorer.paths["momentum"].get_xdata()) == 101


def numbers(text, label):
    """The numbers in bold after `label` in the readout, in order."""
    return [float(v) for v in re.findall(r"<b>(-?[\d.e+-]+)</b>", text.split(label, 1)[1])]


@pytest.mark.parametrize("lr, beta, a", [(0.045, 0.6, 20.0), (0.1, 0.3, 10.0), (0.01, 0.95, 50.0)])
def test_the_readout_gives_each_coordinates_factor_from_the_eigenvalues(lr, beta, a):
    explorer = OptimizerExplorer()
    move(explorer, a=a, beta=beta, lr=lr)
    text = explorer.readout.value
    np.testing.assert_allclose(numbers(text, "Gradient descent")[:2], elongated(a).factors(lr), rtol=2e-3, atol=1e-3)
    np.testing.assert_allclose(numbers(text, "Momentum")[:2], momentum.momentum_factors(elongated(a), lr, beta), rtol=2e-3)
    best_lr, best_beta = momentum.best_momentum(elongated(a))
    assert f"lr = {best_lr:.3g}, β = {best_beta:.3g}" in text
    assert f"(1 + β)/a = {(1 + beta) / a:.3g}" in text


def test_the_readout_gives_adams_step_size_per_coordinate_and_the_verdicts():
    explorer = OptimizerExplorer()
    move(explorer, lr=0.3, beta2=0.99)
    result = run(Adam(0.9, 0.99), elongated(20.0), [-9.0, 6.0], 0.3, 100)
    s_hat = result.state.s / (1 - 0.99**100)
    np.testing.assert_allclose(numbers(explorer.readout.value, "Adam")[:2], 0.3 / (np.sqrt(s_hat) + 1e-8), rtol=2e-3)
    assert result.describe() in explorer.readout.value
    gd = run(GradientDescent(), elongated(20.0), [-9.0, 6.0], 0.3, 100)
    assert f"diverged at step {gd.diverged_at}" in explorer.readout.value


def test_ringing_and_divergence_are_readouts_without_warnings_or_nan():
    explorer = OptimizerExplorer(method="momentum")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        move(explorer, beta=0.95, lr=0.02)
        assert "ringing" in explorer.readout.value
        move(explorer, lr=1.5)
    result = run(Momentum(0.95), elongated(20.0), [-9.0, 6.0], 1.5, 100)
    assert f"diverged at step {result.diverged_at}" in explorer.readout.value
    for line in (*explorer.paths.values(), *explorer.losses.values()):
        assert np.all(np.isfinite(line.get_xydata()))


def test_moving_a_moves_the_level_sets_and_most_moves_blit():
    explorer = OptimizerExplorer()
    background, levels = explorer._background, explorer.levels
    move(explorer, lr=0.02, beta=0.8, beta1=0.5, beta2=0.95, x0=3.0, y0=-4.0, a=3.0, steps=90, method="Adam")
    assert explorer._background is background and explorer.levels is levels
    bowl = elongated(3.0)
    for xy, level in zip(levels.get_segments(), contour_levels(bowl, explorer.VIEW, explorer.VIEW, 12)):
        np.testing.assert_allclose(bowl.value(xy), level, rtol=1e-12)
    move(explorer, steps=250)  # the loss axis now ends at 500
    assert explorer._background is not background


def test_slider_ranges_and_test_hooks():
    explorer = OptimizerExplorer()
    c = explorer.controls
    assert 10**c["lr"].min <= 1e-3 and 10**c["lr"].max >= 1.5
    assert c["beta"].min == 0 and c["beta"].max < 1 and c["beta2"].max < 1
    assert tuple(c["method"].options) == ("momentum", "Adam", "both")
    hooks = {cls for w in c.values() for cls in w._dom_classes}
    assert {f"nbkit-{n}" for n in ("lr", "beta", "beta1", "beta2", "x0", "y0", "a", "steps", "method")} <= hooks
    assert "nbkit-explorer" in explorer.widget._dom_classes


def test_blit_image_shows_the_paths():
    explorer = OptimizerExplorer()
    move(explorer, lr=0.03)
    blitted = np.asarray(explorer.fig.canvas.buffer_rgba()).copy()
    explorer.fig.canvas.draw()
    assert np.mean(blitted != np.asarray(explorer.fig.canvas.buffer_rgba())) < 0.01


def test_a_slider_of_one_method_leaves_the_other_methods_runs_alone():
    explorer = OptimizerExplorer()
    adam, gd, heavy = explorer.state.adam, explorer.state.gd, explorer.state.momentum
    move(explorer, beta=0.7)
    assert explorer.state.adam is adam and explorer.state.gd is gd and explorer.state.momentum is not heavy
    move(explorer, beta1=0.5, beta=0.6)
    assert explorer.state.adam is not adam and explorer.state.gd is gd
    np.testing.assert_array_equal(explorer.state.momentum.path, heavy.path)
