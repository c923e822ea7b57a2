"""The MLP explorer puts exactly the training history into its artists, on every slider."""

import numpy as np
import pytest

from nbkit import mlp
from nbkit.explorers import MLPExplorer
from nbkit.plotting.descent import loss_axis_ends
from nbkit.plotting.mlp import GRAD_FLOOR

import readout


@pytest.fixture
def explorer():
    return MLPExplorer(epochs=30)


def expected(values):
    X, Y = mlp.make_task()
    params = mlp.init_params(mlp.SIZES, values["scale"], values["seed"])
    return X, Y, params, mlp.train(params, X, Y, values["lr"], values["epochs"])


def assert_shows(explorer):
    X, Y, params, history = expected(explorer.values)
    x, y = explorer.loss_line.get_data()
    np.testing.assert_array_equal(x, np.arange(len(history.losses)))
    np.testing.assert_allclose(y, history.losses, rtol=1e-12)
    heights = [bar.get_height() + GRAD_FLOOR for bar in explorer.bars_init]
    np.testing.assert_allclose(heights, history.grad_norms[0], rtol=1e-9)
    heights = [bar.get_height() + GRAD_FLOOR for bar in explorer.bars_end]
    np.testing.assert_allclose(heights, history.grad_norms[-1], rtol=1e-9)
    for i, (before, after) in enumerate(zip(explorer.before, explorer.after)):
        np.testing.assert_array_equal(before.get_xdata(), Y[:, i])
        np.testing.assert_allclose(before.get_ydata(), mlp.forward(params, X).y_hat[:, i], rtol=1e-12)
        np.testing.assert_allclose(after.get_ydata(), mlp.forward(history.params, X).y_hat[:, i], rtol=1e-12)
    epochs = explorer.values["epochs"]
    start, end = explorer.ax_loss.get_xlim()
    assert start == 0 and end in loss_axis_ends(epochs) and end >= epochs
    text = explorer.readout.value
    norms = history.grad_norms[0]
    ratio = norms[-1] / norms[0]  # how many times smaller ‖∂L/∂W‖ of L1 is than that of the last layer
    assert ratio > 2  # so that the ratio inverted is seen
    for name, value, rel, abs in [("first loss", history.losses[0], 0, 5.1e-5), ("last loss", history.losses[-1], 0, 5.1e-5),
                                  ("epochs", epochs, 0, 0), ("lr", explorer.values["lr"], 0.006, 0),
                                  ("ratio", ratio, 0.006, 0)]:
        assert readout.shows(text, value, rel, abs), f"{name} = {value:.4g} is not in the readout: {readout.text(text)}"
    assert not readout.shows(text, 1 / ratio, rel=0.05), readout.text(text)


def test_the_first_draw_shows_the_default_run(explorer):
    assert_shows(explorer)


@pytest.mark.parametrize("name, value", [("lr", 3.0), ("scale", 2.0), ("seed", 5), ("epochs", 60), ("lr", 50.0)])
def test_a_slider_move_retrains_and_updates_every_artist(explorer, name, value):
    before = explorer.loss_line.get_ydata().copy()
    explorer.controls[name].value = value
    assert_shows(explorer)
    assert not np.array_equal(before, explorer.loss_line.get_ydata())


def test_limits_stay_fixed_so_moves_blit(explorer):
    explorer.controls["lr"].value = 20.0
    assert explorer.ax_grad.get_ylim() == pytest.approx(explorer.GRAD_LIMITS)
    assert explorer.ax_loss.get_ylim() == pytest.approx(explorer.LOSS_LIMITS)
    assert explorer.ax_pred.get_xlim() == (0, 1) and explorer.ax_pred.get_ylim() == (0, 1)
    assert explorer.show(explorer.state) is False  # same epochs: no full redraw needed


def test_epochs_moves_keep_the_run_and_give_what_training_from_scratch_gives(explorer, monkeypatch):
    trained, train = [], mlp.train  # the epochs each move of the explorer trains

    def counting(params, X, Y, lr, epochs):
        trained.append(epochs)
        return train(params, X, Y, lr, epochs)

    def move(name, value):
        monkeypatch.setattr(mlp, "train", counting)
        explorer.controls[name].value = value
        monkeypatch.setattr(mlp, "train", train)
        assert_shows(explorer)  # against training from scratch

    for epochs in (60, 40, 100, 30, 60, 90):
        move("epochs", epochs)
    # 30 → 60, 30 → 40, 60 → 100, nothing for 30 and 60 (kept), 60 → 90
    assert trained == [30, 10, 40, 30]
    move("lr", 3.0)  # another run: from scratch
    assert trained[-1] == 90


def test_a_network_of_other_widths_is_trained_and_drawn_layer_by_layer():
    # sizes (3, 4, 3): its first hidden width differs from the task's 3 inputs, so the check of the
    # network's ends reads its first and last widths, not its second.
    explorer = MLPExplorer(epochs=20, sizes=(3, 4, 3))
    X, Y = mlp.make_task()
    history = mlp.train(mlp.init_params((3, 4, 3), 1.0, 0), X, Y, 30.0, 20)
    assert [w.shape for w, _ in history.params] == [(4, 3), (3, 4)]
    assert len(explorer.bars_init) == len(explorer.bars_end) == 2
    np.testing.assert_allclose(explorer.loss_line.get_ydata(), history.losses, rtol=1e-12)
    np.testing.assert_allclose([bar.get_height() + GRAD_FLOOR for bar in explorer.bars_end], history.grad_norms[-1],
                               rtol=1e-9)


@pytest.mark.parametrize("norms, words", [
    ([0.5, 0.2, 0.5], "‖∂ℓ/∂W‖ of L1 equals that of L3."),
    ([0.0, 0.2, 0.1, 0.25], "‖∂ℓ/∂W‖ of L1 is 0, that of L4 is 0.25."),
    ([0.25, 0.2, 0.1, 0.0], "‖∂ℓ/∂W‖ of L4 is 0, that of L1 is 0.25."),
    ([0.1, 0.2, 0.4], "‖∂ℓ/∂W‖ of L1 is <b>4×</b> smaller than that of L3."),
    ([0.5, 0.2, 0.3, 0.4, 0.25], "‖∂ℓ/∂W‖ of L1 is <b>2×</b> larger than that of L5."),
])
def test_the_layer_ratio_in_words_for_equal_zero_smaller_and_larger_norms(norms, words):
    # the first layer against the last, whatever the depth; a zero norm is named rather than divided by
    from nbkit.explorers.mlp import _ratio_words

    assert _ratio_words(np.array(norms)) == words


@pytest.mark.parametrize("lr, epochs, status, colour", [(0.1, 10, "converging", readout.GREEN),
                                                        (30.0, 100, "rising", readout.AMBER),
                                                        (30.0, 10, "diverging", readout.RED)])
def test_the_readout_gives_the_runs_verdict_in_bold_in_its_colour(lr, epochs, status, colour):
    explorer = MLPExplorer(lr=lr, scale=0.1, epochs=epochs)
    verdict = mlp.verdict(expected(explorer.values)[3])
    assert verdict.status == status
    first, rest = verdict.text.split(":", 1)
    assert explorer.readout.value.startswith(f"<b>lr = {lr:.3g}</b>: <b style='color: {colour}'>{first}</b>:{rest}.<br>"
                                             "At initialisation ‖∂ℓ/∂W‖ of L1 is")
