"""Tests for nbkit.explorers.sgd: a slider move puts exactly the SGD run's results into the artists and the readout."""

import re

import numpy as np
import pytest

from nbkit import neuron, sampling, schedules
from nbkit.explorers import SGDExplorer


@pytest.fixture(scope="module")
def data():
    return neuron.make_data(n=40, noise=0.1)


@pytest.fixture
def explorer(data):
    return SGDExplorer(*data)


def expected_run(explorer, lr, batch_size, schedule, seed, w0, b0, epochs):
    """The run, transcribed: rates from the schedule over min(epochs·⌊n/B⌋, MAX_UPDATES) updates, then neuron.train."""
    updates = min(epochs * (explorer.n // batch_size), SGDExplorer.MAX_UPDATES)
    rates = np.maximum(schedules.rates(schedule, lr, updates), 1e-12)
    return rates, neuron.train(explorer.x, explorer.y, (w0, b0), rates, updates, batch_size=batch_size, seed=seed)


def assert_shows(explorer, **values):
    rates, run = expected_run(explorer, **values)
    line, start = explorer.path_artists
    assert np.array_equal(np.column_stack(line.get_data()), run.path)
    assert np.array_equal(np.column_stack(start.get_data()), run.path[:1])
    k, L = explorer.update_line.get_data()
    losses = neuron.losses(run.path, explorer.x, explorer.y)
    assert np.array_equal(k, np.arange(len(run.path))) and np.allclose(L, losses, rtol=1e-15)
    per_epoch = explorer.n // values["batch_size"]
    k_epoch, L_epoch = explorer.epoch_dots.get_data()
    assert np.array_equal(k_epoch, np.arange(0, len(run.path), per_epoch)) and np.allclose(L_epoch, losses[k_epoch], rtol=1e-15)
    assert np.array_equal(explorer.lr_line.get_ydata(), rates)
    readout = explorer.readout.value
    assert f"lr = {rates[0]:.3g}</b> at the first update, <b>{rates[-1]:.3g}</b> at the last" in readout
    assert f"{len(run.path) - 1} updates" in readout
    assert f"From θ_0: w0 = {run.path[0][0]:.3g}, b0 = {run.path[0][1]:.3g}, final" in readout
    distance = float(re.search(r"‖θ − θ\*‖ = <b>([0-9.e+-]+)</b>", readout).group(1))
    assert np.isclose(distance, np.linalg.norm(run.path[-1] - explorer.theta_star), rtol=5e-3)
    loss = float(re.search(r"; loss ℓ = ([0-9.e+-]+) ", readout).group(1))
    assert np.isclose(loss, losses[-1], rtol=5e-3)
    at_minimum = float(re.search(r"\(at θ\*: ([0-9.e+-]+)\)", readout).group(1))
    assert np.isclose(at_minimum, neuron.loss(explorer.theta_star, explorer.x, explorer.y), rtol=5e-3)
    done = len(run.path) - 1
    assert f"<b>{done} updates</b> = {done / per_epoch:.3g} epochs of {per_epoch} updates" in readout
    assert f"at the last ({values['schedule']}); " in readout


def test_initial_view_is_the_default_run(explorer):
    assert_shows(explorer, **explorer.values)


@pytest.mark.parametrize("name, value", [("lr", 3.0), ("batch_size", 3), ("schedule", "cosine"), ("seed", 4),
                                         ("w0", 2.0), ("b0", -3.5), ("epochs", 3)])
def test_each_control_moves_the_artists_to_the_new_run(explorer, name, value):
    before = [np.copy(a.get_xydata()) for a in explorer.moving]
    explorer.controls[name].value = value
    assert_shows(explorer, **explorer.values)
    after = [a.get_xydata() for a in explorer.moving]
    assert any(b.shape != a.shape or not np.array_equal(b, a) for b, a in zip(before, after))


def test_no_setting_asks_for_more_than_the_cap_and_the_readout_says_so(explorer):
    c = explorer.controls
    c["batch_size"].value, c["epochs"].value = 1, 40
    assert len(explorer.state.run.path) - 1 == SGDExplorer.MAX_UPDATES
    assert f"cut at {SGDExplorer.MAX_UPDATES} updates" in explorer.readout.value
    c["epochs"].value = 2
    assert "cut at" not in explorer.readout.value


def test_the_full_batch_setting_is_full_batch_descent(explorer):
    c = explorer.controls
    c["batch_size"].value, c["epochs"].value = explorer.n, 30
    assert np.array_equal(explorer.state.run.path, neuron.train(explorer.x, explorer.y, (c["w0"].value, c["b0"].value), c["lr"].value, 30).path)



@pytest.mark.parametrize("schedule", ["constant", "cosine"])
def test_compute_is_the_teaching_run_to_the_bit(explorer, schedule):
    """At the slowest corner (B = 1, 40 epochs, cut at MAX_UPDATES): the path of neuron.train, the loss ℓ(θ_k) of each point."""
    values = dict(explorer.values, lr=0.01 if schedule == "constant" else 30.0, batch_size=1, schedule=schedule, epochs=40)
    state = explorer.compute(**values)
    _, run = expected_run(explorer, **values)
    assert state.run.path.shape == (SGDExplorer.MAX_UPDATES + 1, 2)
    assert np.array_equal(state.run.path.view(np.uint64), run.path.view(np.uint64))
    assert (state.run.status, state.run.diverged_at) == (run.status, run.diverged_at)
    per_point = np.array([neuron.loss(theta, explorer.x, explorer.y) for theta in run.path])
    assert np.array_equal(state.losses.view(np.uint64), per_point.view(np.uint64))


def test_by_default_the_explorer_has_notebook_06s_data_set():
    # 100 samples with noise of standard deviation 0.1 (seed 0), as the notebook makes them above the explorer
    explorer = SGDExplorer()
    x, y = neuron.make_data(n=100, noise=0.1, seed=0)
    np.testing.assert_array_equal(explorer.x, x)
    np.testing.assert_array_equal(explorer.y, y)
    assert explorer.n == 100


@pytest.mark.parametrize("epochs", [1, 3, 40])
def test_the_rate_panel_spans_the_updates_of_the_loss_panel(explorer, epochs):
    # The two panels share their x axis, update k: a rate and the loss it gave sit one above the other.
    explorer.controls["epochs"].value = epochs
    updates = len(explorer.state.rates)
    assert explorer.ax_lr.get_xlim() == explorer.ax_loss.get_xlim()
    assert explorer.ax_loss.get_xlim()[0] == 0 and explorer.ax_loss.get_xlim()[1] >= updates


def test_the_batch_slider_reaches_every_batch_size_of_the_data_given(explorer):
    assert (explorer.controls["batch_size"].min, explorer.controls["batch_size"].max) == (1, explorer.n) == (1, 40)


def test_the_minimum_is_starred_on_the_landscape(explorer):
    stars = [line for line in explorer.ax_land.get_lines() if line.get_marker() == "*"]
    assert len(stars) == 1 and np.array_equal(stars[0].get_xydata(), [explorer.theta_star])
