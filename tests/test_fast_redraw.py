"""Kept backgrounds and runs finished in idle time: a move is cheap at every setting, and still exact."""

import asyncio
import io
import time

import numpy as np
import pytest
from PIL import Image

import nbkit.explorers as explorers
from nbkit import mlp
from nbkit.explorers import MLPExplorer
from nbkit.explorers import base
from nbkit.explorers.base import Explorer

EXPLORERS = [getattr(explorers, name) for name in explorers.__all__
             if isinstance(getattr(explorers, name), type) and issubclass(getattr(explorers, name), Explorer)]


@pytest.fixture(autouse=True)
def _idle_work_on(monkeypatch):
    """These tests are of the idle-time mechanism: on, whatever base.IDLE_WORK is set to."""
    monkeypatch.setattr(base, "IDLE_WORK", True)


def with_front_end(explorer):
    """Return the explorer, its canvas now sending its PNGs to explorer.sent (as to a front end)."""
    explorer.fig.canvas.syncing_data_url = False
    explorer.sent = []
    explorer.fig.canvas.send_binary = explorer.sent.append
    return explorer


def sent_frame(explorer):
    """Return the pixels of the last image the explorer sent, shape (h, w, 4)."""
    return np.asarray(Image.open(io.BytesIO(explorer.sent[-1])).convert("RGBA"))


def full_draw(explorer):
    explorer.fig.canvas.draw()
    return np.asarray(explorer.fig.canvas.buffer_rgba()).copy()


def drawn_afresh(explorer, ax):
    """Return the frame the explorer sends with nothing kept: ax drawn again into its background."""
    kept = dict(explorer._backgrounds)
    explorer._backgrounds.clear()
    for artist in explorer.fig.get_children():
        artist.stale = False
    ax.stale = True
    explorer.redraw(full=True)
    explorer._backgrounds.update(kept)
    return sent_frame(explorer)


def count_axes_draws(explorer):
    drawn = []
    for ax in explorer.fig.axes:
        ax.draw = (lambda ax, draw: lambda renderer: (drawn.append(ax), draw(renderer)))(ax, ax.draw)
    return drawn


@pytest.mark.parametrize("cls", [cls for cls in EXPLORERS if cls.STEP_AXES], ids=lambda cls: cls.__name__)
def test_jumps_across_the_steps_range_are_exact_and_draw_each_axis_end_once(cls):
    explorer = with_front_end(cls())
    (axes_name, slider_name), = cls.STEP_AXES.items()
    control, ax = explorer.controls[slider_name], getattr(explorer, axes_name)
    drawn = count_axes_draws(explorer)
    values = [control.max, control.min, control.max, (control.min + control.max) // 2, control.min, control.max]
    ends = []
    for value in values:
        control.value = value
        ends.append(ax.get_xlim()[1])
        frame, count = sent_frame(explorer), len(drawn)
        np.testing.assert_array_equal(frame, drawn_afresh(explorer, ax))  # the kept background was the right one
        del drawn[count:]
    assert drawn.count(ax) - len(values) <= len(set(ends)), "an axis end was drawn twice"
    assert len(set(ends)) >= 2  # the jumps did change the axis end


def test_a_label_change_is_not_hidden_by_a_kept_background():
    explorer = with_front_end(explorers.Descent1DExplorer())
    explorer.redraw()
    before = sent_frame(explorer)
    explorer.ax_loss.set_ylabel("another label")
    explorer.redraw(full=True)
    after = sent_frame(explorer)
    assert (after != before).any(axis=2).sum() > 100  # the new label is drawn
    assert np.mean((after != full_draw(explorer)).any(axis=2)) < 0.001  # as a full draw has it, to antialiasing


def test_views_ahead_are_every_end_the_steps_slider_reaches():
    explorer = MLPExplorer()
    ends = sorted(end for _, (_, end) in explorer._views_ahead())
    assert ends == [10, 20, 50, 200, 500, 1000]  # all but the one shown (100 epochs)


def test_drawing_views_ahead_leaves_the_figure_as_it_was_and_keeps_each_view():
    explorer = with_front_end(MLPExplorer())
    explorer.controls["lr"].value = 10.0
    deadline = time.monotonic() + 30  # a few views take seconds: work that never ends would loop
    while explorer.pending():  # what the kernel does when idle
        assert time.monotonic() < deadline, "the idle work never ended"
        explorer._work()
    assert explorer.ax_loss.get_xlim() == (0, 100)
    drawn = count_axes_draws(explorer)
    for epochs in (1000, 10, 500, 100):  # views drawn ahead: no axes drawn, and each the right one
        explorer.controls["epochs"].value = epochs
        assert drawn == []
        frame = sent_frame(explorer)
        np.testing.assert_array_equal(frame, drawn_afresh(explorer, explorer.ax_loss))
        drawn.clear()


def expected_losses(values):
    params = mlp.init_params(mlp.SIZES, values["scale"], values["seed"])
    return mlp.train(params, *mlp.make_task(), values["lr"], values["epochs"]).losses


def test_a_long_run_is_shown_in_part_then_finished_when_idle_exactly():
    explorer = with_front_end(MLPExplorer(epochs=100))
    shown = []

    async def move_and_wait():
        explorer.controls["epochs"].value = 1000
        shown.append(len(explorer.loss_line.get_ydata()) - 1)
        explorer.controls["lr"].value = 10.0  # a new run before the last one finished
        shown.append(len(explorer.loss_line.get_ydata()) - 1)
        deadline = time.monotonic() + 30  # the rest of the run takes well under a second: a run never kept would loop
        while explorer.pending():
            assert time.monotonic() < deadline, "the run was never finished while idle"
            await asyncio.sleep(0.005)

    asyncio.run(move_and_wait())
    assert all(epochs < 1000 for epochs in shown), f"a 1000-epoch run within the move's budget: {shown}"
    losses = explorer.loss_line.get_ydata()
    np.testing.assert_allclose(losses, expected_losses(explorer.values), rtol=1e-12)
    assert len(losses) == 1001 and explorer.finished(explorer.state)
    assert "in 1000 epochs" in explorer.readout.value  # the verdict of the whole run
    np.testing.assert_array_equal(sent_frame(explorer), drawn_afresh(explorer, explorer.ax_loss))


def test_every_partial_run_is_the_start_of_the_whole_run():
    explorer = MLPExplorer(epochs=100)
    explorer.budget = 0.0  # one chunk per call
    values = dict(explorer.values, epochs=1000, lr=5.0)
    parts = []
    while not parts or not explorer.finished(parts[-1]):
        parts.append(explorer.compute(**values))
    whole = expected_losses(values)
    assert len(parts) > 2
    for part in parts:
        losses = part.history.losses
        np.testing.assert_array_equal(losses, whole[:len(losses)])


def test_finish_completes_a_run_shown_in_part_at_once():
    explorer = with_front_end(MLPExplorer(epochs=100))

    async def move():
        explorer.controls["epochs"].value = 1000
        assert not explorer.finished(explorer.state)  # within the move's budget: a part
        return explorer.finish()

    state = asyncio.run(move())
    assert explorer.finished(state) and not explorer.pending()
    np.testing.assert_array_equal(state.history.losses, expected_losses(explorer.values))
