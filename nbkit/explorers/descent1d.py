"""Explore gradient descent on f(x) = x²: sliders for lr, x0 and steps.

Left: the parabola with the points x_k. Right: f(x_k) against k on a log axis.
The readout gives the factor r = 1 − 2·lr that every step multiplies x by, and the regime.
"""


import ipywidgets as widgets
import numpy as np

from nbkit import checks
from nbkit.descent import gradient_descent
from nbkit.explorers.base import Explorer, lr_slider
from nbkit.objectives import REGIMES, SQUARE
from nbkit.plotting.descent import (LOSS_FLOOR, curve_1d, loss_curve, set_loss, set_loss_xlim, set_path_1d,
                                    trajectory_1d)


class Descent1DExplorer(Explorer):
    """Sliders lr (log, 1e-3…1.5), x0 (−10…10) and steps (1…200) over gradient descent on x²."""

    X_RANGE = (-12.0, 12.0)
    STEP_AXES = {"ax_loss": "steps"}

    def __init__(self, lr=0.1, x0=8.0, steps=30):
        self.objective = SQUARE
        lr, x0 = checks.in_range(lr, "lr", 1e-3, 1.5), checks.in_range(x0, "x0", -10, 10)
        steps = checks.in_range(steps, "steps", 1, 200, integer=True)
        controls = {
            "lr": lr_slider(lr, 1e-3, 1.5, step=0.01),
            "x0": widgets.FloatSlider(value=x0, min=-10, max=10, step=0.1, description="x0"),
            "steps": widgets.IntSlider(value=steps, min=1, max=200, description="steps"),
        }
        super().__init__(controls, figsize=(9, 3.4))

    def build(self):
        self.ax_f, self.ax_loss = self.fig.subplots(1, 2)
        curve_1d(self.ax_f, self.objective, self.X_RANGE)
        self.ax_f.set_ylim(-5, 150)
        self.ax_f.set_title("f(x) = x² and the steps x_k")
        self.path_artists = trajectory_1d(self.ax_f, self.objective, [0.0])
        self.loss_line = loss_curve(self.ax_loss, [1.0], marker=".", markersize=4)
        self.ax_loss.set_ylim(LOSS_FLOOR / 10, 1e10)
        self.ax_loss.set_title("loss f(x_k), log scale")
        self.moving = [*self.path_artists, self.loss_line]

    def compute(self, lr, x0, steps):
        return gradient_descent(self.objective.gradient, x0, lr, steps)

    def show(self, run):
        set_path_1d(self.path_artists, self.objective, run.path)
        set_loss(self.loss_line, self.objective.value(run.path))
        return set_loss_xlim(self.ax_loss, self.controls["steps"].value)

    def describe(self, run):
        lr = self.controls["lr"].value
        r = self.objective.factors(lr)[0]
        regime = REGIMES[self.objective.regime(lr)]
        last = run.path[-1]
        return (f"<b>lr = {lr:.3g}</b>: every step multiplies x by r = 1 − 2·lr = <b>{r:.3g}</b>, "
                f"so it {regime}.<br>This run: <b>{run.describe()}</b>; "
                f"last x = {last:.3g}, f(x) = {self.objective.value(last):.3g}.")
