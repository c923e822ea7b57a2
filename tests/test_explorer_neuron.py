"""Tests for nbkit.explorers.neuron: a slider move puts exactly the runner's results into the artists."""

import numpy as np
import pytest

from nbkit import neuron
from nbkit.explorers import NeuronExplorer

import readout


@pytest.fixture
def explorer():
    return NeuronExplorer()


def assert_shows(explorer, lr, w0, b0, steps):
    run = neuron.train(explorer.x, explorer.y, (w0, b0), lr, steps)
    line, start = explorer.path_artists
    assert np.array_equal(np.column_stack(line.get_data()), run.path)
    assert np.array_equal(np.column_stack(start.get_data()), run.path[:1])
    k, L = explorer.loss_line.get_data()
    assert np.array_equal(k, np.arange(len(run.path)))
    assert np.allclose(L, neuron.losses(run.path, explorer.x, explorer.y), rtol=1e-15)
    x = explorer.fit_line.get_xdata()
    assert np.allclose(explorer.fit_line.get_ydata(), neuron.sigmoid(run.path[-1, 0] * x + run.path[-1, 1]))
    assert np.allclose(explorer.start_line.get_ydata(), neuron.sigmoid(w0 * x + b0))
    assert neuron.verdict(run, explorer.x, explorer.y).text.split(":")[0] in explorer.readout.value


def test_initial_view_is_the_default_run(explorer):
    assert_shows(explorer, **explorer.values)


@pytest.mark.parametrize("name, value", [("lr", 20.0), ("w0", 2.0), ("b0", -3.5), ("steps", 37)])
def test_each_slider_moves_the_artists_to_the_new_run(explorer, name, value):
    before = [np.copy(a.get_xydata()) for a in explorer.moving]
    explorer.controls[name].value = value
    assert_shows(explorer, **explorer.values)
    after = [a.get_xydata() for a in explorer.moving]
    assert any(b.shape != a.shape or not np.array_equal(b, a) for b, a in zip(before, after))


def test_the_readout_names_oscillation_crawling_and_saturation(explorer):
    c = explorer.controls
    c["w0"].value, c["b0"].value, c["steps"].value = 2.0, 2.0, 100
    c["lr"].value = 100.0
    assert "oscillating" in explorer.readout.value
    c["w0"].value, c["b0"].value, c["lr"].value = -4.0, 4.0, 0.05
    assert "crawling" in explorer.readout.value
    c["w0"].value, c["b0"].value, c["lr"].value = 0.0, 0.0, 1000.0
    assert "saturated" in explorer.readout.value


#: 2 significant digits round by at most 5% of the value.
TWO_DIGITS = 0.051


@pytest.mark.parametrize("lr, w0, b0, steps", [(1.0, -4.0, 4.0, 100), (5.0, 2.0, -3.5, 37), (0.3, 0.5, 1.0, 20)])
def test_the_readouts_numbers_are_the_last_theta_and_its_gradient(explorer, lr, w0, b0, steps):
    c = explorer.controls
    c["steps"].value, c["w0"].value, c["b0"].value, c["lr"].value = steps, w0, b0, lr
    run = neuron.train(explorer.x, explorer.y, (w0, b0), lr, steps)
    L = neuron.losses(run.path, explorer.x, explorer.y)
    w, b = run.path[-1]
    dw, db = neuron.gradient(run.path[-1], explorer.x, explorer.y)
    dw0, db0 = neuron.gradient(run.path[0], explorer.x, explorer.y)
    assert abs(dw - dw0) > 0.2 * abs(dw0) and abs(db - db0) > 0.2 * abs(db0)  # θ0's gradient would be seen
    text = explorer.readout.value
    for name, value, rel in [("lr", lr, 0.006), ("last w", w, 0.006), ("last b", b, 0.006), ("first loss", L[0], 0.006),
                             ("last loss", L[-1], 0.006), ("steps", steps, 0), ("∂MSE/∂w", dw, TWO_DIGITS),
                             ("∂MSE/∂b", db, TWO_DIGITS), ("‖gradient‖", np.hypot(dw, db), TWO_DIGITS)]:
        assert readout.shows(text, value, rel), f"{name} = {value:.4g} is not in the readout: {readout.text(text)}"
    assert not readout.shows(text, dw0, TWO_DIGITS) and not readout.shows(text, db0, TWO_DIGITS), readout.text(text)


def test_the_landscape_is_static_and_only_the_moving_artists_are_redrawn(explorer):
    contour_ids = [id(c) for c in explorer.ax_land.collections]
    explorer.controls["lr"].value = 5.0
    assert [id(c) for c in explorer.ax_land.collections] == contour_ids
    assert set(map(id, explorer.moving)) == set(map(id, [*explorer.path_artists, explorer.loss_line,
                                                         explorer.start_line, explorer.fit_line]))


def test_the_loss_axis_follows_the_steps_slider_in_round_steps(explorer):
    explorer.controls["steps"].value = 250
    assert explorer.ax_loss.get_xlim() == (0, 500)
    explorer.controls["steps"].value = 37
    assert explorer.ax_loss.get_xlim() == (0, 50)
    explorer.controls["steps"].value = 41  # same end: the axis is left alone and the move blits
    assert explorer.ax_loss.get_xlim() == (0, 50) and explorer.show(explorer.state) is False


def test_before_a_front_end_attaches_no_broken_image_is_stored(explorer):
    explorer.controls["lr"].value = 3.0
    data_url = explorer.fig.canvas._data_url
    assert data_url is None or data_url.startswith("data:image/png;base64,")


def test_once_a_front_end_attaches_each_slider_move_sends_one_frame(explorer):
    canvas, sent = explorer.fig.canvas, []
    canvas.send = lambda content, buffers=None: sent.append((content, buffers))
    canvas._handle_message(None, {"type": "initialized"}, [])
    canvas._handle_message(None, {"type": "draw"}, [])
    before = len(sent)
    explorer.controls["w0"].value = 1.0
    frames = [buffers for content, buffers in sent[before:] if buffers]
    assert len(frames) == 1 and bytes(frames[0][0]).startswith(b"\x89PNG")


@pytest.mark.parametrize("lr, w0, b0, steps, status, colour", [
    (0.01, 0.0, 0.0, 100, "converging", readout.GREEN), (100.0, -6.0, -6.0, 300, "oscillating", readout.AMBER),
    (0.01, -6.0, -6.0, 1, "crawling", readout.AMBER), (1.0, -6.0, -6.0, 300, "stuck", readout.AMBER),
    (100.0, 2.0, 0.0, 1, "diverging", readout.RED)])
def test_the_readout_gives_the_runs_verdict_in_bold_in_its_colour(explorer, lr, w0, b0, steps, status, colour):
    c = explorer.controls
    c["steps"].value, c["w0"].value, c["b0"].value, c["lr"].value = steps, w0, b0, lr
    verdict = neuron.verdict(neuron.train(explorer.x, explorer.y, (w0, b0), lr, steps), explorer.x, explorer.y)
    assert verdict.status == status
    first, rest = verdict.text.split(":", 1)  # the verdict's name in colour, then the numbers that justify it
    assert f"<b>lr = {lr:.3g}</b>: <b style='color: {colour}'>{first}</b>:{rest}.<br>Last θ:" in explorer.readout.value


def test_the_explorer_shows_the_data_it_is_given():
    x, y = np.array([-2.0, -0.5, 1.0, 2.5]), np.array([0.1, 0.3, 0.8, 0.9])
    explorer = NeuronExplorer(x, y)
    np.testing.assert_array_equal(explorer.x, x)
    np.testing.assert_array_equal(explorer.y, y)
    assert any(np.array_equal(points.get_offsets(), np.column_stack([x, y])) for points in explorer.ax_fit.collections)
    assert_shows(explorer, **explorer.values)
