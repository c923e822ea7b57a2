"""Explore training the 3-3-3-3 network: sliders for lr, the initial weight scale and seed, epochs.

Left: the loss per epoch (log scale). Middle: ‖∂ℓ/∂W‖ per layer L1…L4 at initialisation and
after training; a norm below the axis floor is a bar to the floor with a ▼. Right: predictions ŷ against targets y, before (×) and after (●) training.
A move of lr, init scale or seed retrains from scratch on the fixed task of mlp.make_task(); a move
of epochs alone keeps the run: it shows a slice of the longest run so far, trains on only from the
nearest epoch whose parameters it kept, and gives exactly what training from scratch gives.
Runs are kept for the last few (lr, scale, seed), so moving back to one is a slice too. In a
running kernel a long run is shown in part (the epochs trained within the move's budget) and
finished while the kernel is idle (Explorer.update).
"""

import time

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from nbkit import checks, mlp
from nbkit.explorers import fast_training
from nbkit.explorers.base import Explorer, lr_slider
from nbkit.plotting.descent import loss_curve, set_loss, set_loss_xlim
from nbkit.plotting.mlp import (below_floor_markers, gradient_bars, predictions, set_below_floor, set_gradient_bars,
                                set_predictions)


@dataclass(frozen=True)
class Trained:
    """One training run for the explorer: its History and ŷ (n, 3) before and after training."""

    history: mlp.History
    y_hat_before: np.ndarray
    y_hat_after: np.ndarray
    epochs: int = None  # the run asked for; len(history.losses) − 1 epochs of it are done


class MLPExplorer(Explorer):
    """Sliders lr (log, 0.1…100), scale (0.1…3), seed (0…20) and epochs (10…1000) over mlp.train."""

    LOSS_LIMITS = (1e-4, 1.0)
    STEP_AXES = {"ax_loss": "epochs"}
    GRAD_LIMITS = (1e-5, 1.0)

    def __init__(self, lr=30.0, scale=1.0, seed=0, epochs=100, sizes=mlp.SIZES):
        lr, scale = checks.in_range(lr, "lr", 0.1, 100), checks.in_range(scale, "scale", 0.1, 3.0)
        seed = checks.in_range(seed, "seed", 0, 20, integer=True)
        epochs = checks.in_range(epochs, "epochs", 10, 1000, integer=True)
        self.X, self.Y = mlp.make_task()
        self.sizes = mlp._sizes(sizes)
        if self.sizes[0] != self.X.shape[1] or self.sizes[-1] != self.Y.shape[1]:
            raise ValueError(f"sizes must start with {self.X.shape[1]} inputs and end with {self.Y.shape[1]} outputs, "
                             f"the shape of the task mlp.make_task(); got sizes = {tuple(sizes)}")
        controls = {
            "lr": lr_slider(lr, 0.1, 100, step=0.05),
            "scale": widgets.FloatSlider(value=scale, min=0.1, max=3.0, step=0.1, description="init scale"),
            "seed": widgets.IntSlider(value=seed, min=0, max=20, description="init seed"),
            "epochs": widgets.IntSlider(value=epochs, min=10, max=1000, step=10, description="epochs"),
        }
        self._runs = {}  # (lr, scale, seed) → [the longest History so far, {epoch: params}, ŷ at init], last used last
        super().__init__(controls, figsize=(9.5, 3.2))

    def build(self):
        self.ax_loss, self.ax_grad, self.ax_pred = self.fig.subplots(1, 3)
        self.loss_line = loss_curve(self.ax_loss, [1.0, 1.0])
        self.ax_loss.set_ylim(*self.LOSS_LIMITS)
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_title("loss ℓ")
        depth = len(self.sizes) - 1
        self.bars_init = gradient_bars(self.ax_grad, np.ones(depth), offset=-0.2, width=0.4,
                                       color="#9ecae1", label="at init")
        self.bars_end = gradient_bars(self.ax_grad, np.ones(depth), offset=0.2, width=0.4,
                                      color="#08519c", label="after training")
        self.ax_grad.set_ylim(*self.GRAD_LIMITS)
        # Norms below the axis floor: bars reach the floor and a ▼ marks them (clip_on off: on the axis line).
        self.floors = [below_floor_markers(self.ax_grad, bars, clip_on=False) for bars in (self.bars_init, self.bars_end)]
        self.ax_grad.legend(loc="upper left", fontsize="small")
        self.ax_grad.set_title("gradient size per layer")
        self.before = predictions(self.ax_pred, self.Y, self.Y, marker="x", alpha=0.45)
        self.after = predictions(self.ax_pred, self.Y, self.Y)
        self.ax_pred.set_title("ŷ against y: × before, ● after")
        self.moving = [self.loss_line, *self.bars_init, *self.bars_end, *self.floors, *self.before, *self.after]

    #: Runs kept for moving back: each holds ≤ 1000 epochs of losses and norms and its kept parameters.
    KEPT_RUNS = 64
    #: Epochs trained per call when compute has a time budget (a call costs ≈ 1–2 ms here).
    CHUNK = 10

    def compute(self, lr, scale, seed, epochs):
        run = self._runs.pop((lr, scale, seed), None)
        if run is None:
            params = mlp.init_params(self.sizes, scale, seed)
            run = [None, {0: params}, mlp.forward(params, self.X).y_hat]
        self._runs[(lr, scale, seed)] = run
        while len(self._runs) > self.KEPT_RUNS:
            del self._runs[next(iter(self._runs))]
        longest, kept, y_hat_before = run
        started, chunk = time.perf_counter(), self.CHUNK
        while epochs not in kept:  # train on from the nearest kept epoch below, within the budget if any
            start = max(k for k in kept if k < epochs)
            stop = epochs if self.budget is None else min(epochs, start + chunk)
            began = time.perf_counter()
            part = fast_training.trainer(kept[start])(kept[start], self.X, self.Y, lr, stop - start)
            took = time.perf_counter() - began
            kept[stop] = part.params
            if longest is None or stop > len(longest.losses) - 1:
                longest = part if longest is None else mlp.History(
                    np.concatenate([longest.losses[:start + 1], part.losses[1:]]),
                    np.concatenate([longest.grad_norms[:start + 1], part.grad_norms[1:]]), None)
                run[0] = longest
            if self.budget is not None:  # stop, or take as many CHUNKs more as the rest of the budget holds
                left = self.budget - (time.perf_counter() - started)
                if left <= 0:
                    break
                chunk = self.CHUNK * max(1, int(0.8 * left / max(took, 1e-6) * (stop - start) / self.CHUNK))
        done = max(k for k in kept if k <= epochs)
        history = mlp.History(longest.losses[:done + 1], longest.grad_norms[:done + 1], kept[done])
        return Trained(history, y_hat_before, mlp.forward(history.params, self.X).y_hat, epochs)

    def finished(self, state):
        return len(state.history.losses) - 1 == state.epochs

    def show(self, state):
        norms = state.history.grad_norms
        set_loss(self.loss_line, state.history.losses)
        floor = self.GRAD_LIMITS[0]
        for bars, markers, row in zip((self.bars_init, self.bars_end), self.floors, (norms[0], norms[-1])):
            set_gradient_bars(bars, row, floor)
            set_below_floor(markers, row, floor)
        set_predictions(self.before, self.Y, state.y_hat_before)
        set_predictions(self.after, self.Y, state.y_hat_after)
        return set_loss_xlim(self.ax_loss, state.epochs)

    def describe(self, state):
        verdict = mlp.verdict(state.history)
        first, _, rest = verdict.text.partition(":")
        colour = {"converging": "#1b7a1b", "rising": "#b9770e"}.get(verdict.status, "#b03a2e")
        return (f"<b>lr = {self.controls['lr'].value:.3g}</b>: <b style='color: {colour}'>{first}</b>:{rest}.<br>"
                f"At initialisation {_ratio_words(state.history.grad_norms[0])}")


def _ratio_words(norms):
    """Return how ‖∂ℓ/∂W‖ of L1 compares with that of the last layer, in words that read right either way."""
    last = f"L{len(norms)}"
    if norms[0] == norms[-1]:
        return f"‖∂ℓ/∂W‖ of L1 equals that of {last}."
    if norms[0] == 0 or norms[-1] == 0:
        zero, other = ("L1", last) if norms[0] == 0 else (last, "L1")
        return f"‖∂ℓ/∂W‖ of {zero} is 0, that of {other} is {max(norms[0], norms[-1]):.3g}."
    word, ratio = ("smaller", norms[-1] / norms[0]) if norms[0] < norms[-1] else ("larger", norms[0] / norms[-1])
    return f"‖∂ℓ/∂W‖ of L1 is <b>{ratio:.3g}×</b> {word} than that of {last}."
