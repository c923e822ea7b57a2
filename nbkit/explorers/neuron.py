"""Explore training one sigmoid neuron on a small data set: sliders for lr, w0, b0 and steps.

Left: the MSE landscape over (w, b), computed once, with the path θ_k on it.
Middle: the loss per step (log scale). Right: the data and the prediction ŷ = S(w·x + b) at the
start (dashed) and after the last step. The readout names the run: converging, oscillating,
crawling, stuck on a plateau (saturated), diverging.
"""

import math
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from nbkit import checks, neuron
from nbkit.explorers import fast_training
from nbkit.explorers.base import Explorer, lr_slider
from nbkit.plotting.descent import loss_curve, set_loss, set_loss_xlim, set_path_2d, trajectory_2d
from nbkit.plotting.neuron import data_points, landscape, prediction_curve, set_prediction


class NeuronState(NamedTuple):
    """One training run as the explorer shows it: the Run, its losses (k+1,) and its Verdict."""

    run: object
    losses: np.ndarray
    verdict: neuron.Verdict


class NeuronExplorer(Explorer):
    """Sliders lr (log, 1e-2…1e3), w0 and b0 (−6…6), steps (1…300) over training one neuron."""

    W_RANGE = (-6.0, 8.0)
    B_RANGE = (-6.0, 6.0)
    X_RANGE = (-3.5, 3.5)
    LOSS_LIMITS = (1e-4, 2.0)
    STEP_AXES = {"ax_loss": "steps"}

    def __init__(self, x=None, y=None, lr=1.0, w0=-4.0, b0=4.0, steps=100):
        lr = checks.in_range(lr, "lr", 0.01, 1000)
        w0, b0 = checks.in_range(w0, "w0", -6, 6), checks.in_range(b0, "b0", -6, 6)
        steps = checks.in_range(steps, "steps", 1, 300, integer=True)
        self.x, self.y = neuron.given_data(x, y)
        grid_w, grid_b = np.meshgrid(np.linspace(*self.W_RANGE, 141), np.linspace(*self.B_RANGE, 121))
        self.grid = (grid_w, grid_b, neuron.loss_surface(grid_w, grid_b, self.x, self.y))
        controls = {
            "lr": lr_slider(lr, 0.01, 1000, step=0.05),
            "w0": widgets.FloatSlider(value=w0, min=-6, max=6, step=0.1, description="w0"),
            "b0": widgets.FloatSlider(value=b0, min=-6, max=6, step=0.1, description="b0"),
            "steps": widgets.IntSlider(value=steps, min=1, max=300, description="steps"),
        }
        super().__init__(controls, figsize=(9.5, 3.4))  # fits a notebook column beside the file browser

    def build(self):
        self.ax_land, self.ax_loss, self.ax_fit = self.fig.subplots(1, 3)
        landscape(self.ax_land, *self.grid)
        self.ax_land.set_title("MSE over (w, b) and the path θ_k")
        self.path_artists = trajectory_2d(self.ax_land, [[0.0, 0.0]], markersize=2.5)
        self.loss_line = loss_curve(self.ax_loss, [1.0], marker=".", markersize=3)
        self.ax_loss.set_ylim(*self.LOSS_LIMITS)
        self.ax_loss.set_title("loss MSE(θ_k), log scale")
        data_points(self.ax_fit, self.x, self.y)
        self.start_line = prediction_curve(self.ax_fit, 0.0, 0.0, self.X_RANGE, linestyle="--",
                                           alpha=0.5, label="start θ_0")
        self.fit_line = prediction_curve(self.ax_fit, 0.0, 0.0, self.X_RANGE, label="after the last step")
        self.ax_fit.legend(loc="center left", fontsize=8)
        self.ax_fit.set_title("data and ŷ = S(w·x + b)")
        self.moving = [*self.path_artists, self.loss_line, self.start_line, self.fit_line]

    def compute(self, lr, w0, b0, steps):
        run = fast_training.train_neuron(self.x, self.y, (w0, b0), lr, steps)  # = neuron.train, to the bit
        return NeuronState(run, neuron.losses(run.path, self.x, self.y), neuron.verdict(run, self.x, self.y))

    def show(self, state):
        path = state.run.path
        set_path_2d(self.path_artists, path)
        set_loss(self.loss_line, state.losses)
        set_prediction(self.start_line, *path[0])
        set_prediction(self.fit_line, *path[-1])
        return set_loss_xlim(self.ax_loss, self.controls["steps"].value)

    def describe(self, state):
        lr = self.controls["lr"].value
        w, b = state.run.path[-1]
        status = state.verdict.status
        word = {"converging": "#1b7a1b", "oscillating": "#b9770e", "crawling": "#b9770e", "stuck": "#b9770e"}.get(status, "#b03a2e")
        first, _, rest = state.verdict.text.partition(":")
        return (f"<b>lr = {lr:.3g}</b>: <b style='color: {word}'>{first}</b>:{rest}.<br>"
                f"Last θ: w = {w:.3g}, b = {b:.3g}; {_gradient_words(state, self.x, self.y)}")


def _gradient_words(state, x, y):
    dw, db = neuron.gradient(state.run.path[-1], x, y)
    norm = math.hypot(dw, db)
    return f"gradient (∂MSE/∂w, ∂MSE/∂b) = ({dw:.2g}, {db:.2g}), length {norm:.2g}."
