"""Explore gradient descent on the bowl f(x, y) = x² + a·y²: sliders lr, x0, y0, a and steps.

Left: the level sets of f with the points X_k = (x_k, y_k). Right: f(X_k) against k on a log
axis. The readout gives both per-axis factors, r_x = 1 − 2·lr and r_y = 1 − 2·a·lr, that every
step multiplies x and y by, and the regime; a = 1 is the round bowl x² + y².
The level sets are lines that move with the path: every slider but steps only moves artists, and
steps redraws the loss axis only when its end changes.
"""

import html

import ipywidgets as widgets
import numpy as np

from nbkit import checks
from nbkit.descent import gradient_descent
from nbkit.explorers.base import Explorer, lr_slider
from nbkit.objectives import REGIMES, elongated
from nbkit.plotting.descent import (LOSS_FLOOR, bowl_panels, loss_curve, set_level_ellipses, set_loss,
                                    set_loss_xlim, set_path_2d, trajectory_2d)


class Descent2DExplorer(Explorer):
    """Sliders lr (log, 1e-3…1.5), x0 and y0 (−10…10), a (1…20) and steps (1…200) on x² + a·y²."""

    VIEW = (-12.0, 12.0)
    STEP_AXES = {"ax_loss": "steps"}

    def __init__(self, lr=0.085, x0=-9.0, y0=6.0, a=10.0, steps=60):
        lr, a = checks.in_range(lr, "lr", 1e-3, 1.5), checks.in_range(a, "a", 1, 20)
        x0, y0 = checks.in_range(x0, "x0", -10, 10), checks.in_range(y0, "y0", -10, 10)
        steps = checks.in_range(steps, "steps", 1, 200, integer=True)
        controls = {
            "lr": lr_slider(lr, 1e-3, 1.5, step=0.01),
            "x0": widgets.FloatSlider(value=x0, min=-10, max=10, step=0.1, description="x0"),
            "y0": widgets.FloatSlider(value=y0, min=-10, max=10, step=0.1, description="y0"),
            "a": widgets.FloatSlider(value=a, min=1, max=20, step=0.5, description="a"),
            "steps": widgets.IntSlider(value=steps, min=1, max=200, description="steps"),
        }
        super().__init__(controls, figsize=(9, 4))

    def build(self):
        self.drawn_a = self.controls["a"].value
        self.ax_xy, self.ax_loss, self.levels, self.minimum = bowl_panels(self.fig, elongated(self.drawn_a), self.VIEW)
        self.path_artists = trajectory_2d(self.ax_xy, np.zeros((1, 2)))
        self.loss_line = loss_curve(self.ax_loss, [1.0], marker=".", markersize=4)
        self.ax_loss.set_ylim(LOSS_FLOOR / 10, 1e12)
        self.ax_loss.set_title("loss f(X_k), log scale")
        # The value of a is on its slider and in the readout: a title that changed with it would be
        # a text drawn on every move (about 5 ms here), more than the level sets and the path.
        self.ax_xy.set(xlim=self.VIEW, ylim=self.VIEW, aspect="equal", title="f(x, y) = x² + a·y² and the steps X_k")
        line, start = self.path_artists
        # Drawn over the background in this order, which is the order of a full draw (by zorder).
        self.moving = [self.levels, line, self.minimum, start, self.loss_line]

    def compute(self, lr, x0, y0, a, steps):
        objective = elongated(a)
        return objective, gradient_descent(objective.gradient, [x0, y0], lr, steps)

    def show(self, state):
        objective, run = state
        set_path_2d(self.path_artists, run.path)
        set_loss(self.loss_line, objective.value(run.path))
        if objective.c[1] != self.drawn_a:  # new level sets only when a moved (about 4 ms)
            set_level_ellipses(self.levels, objective, self.VIEW, self.VIEW)
            self.drawn_a = objective.c[1]
        return set_loss_xlim(self.ax_loss, self.controls["steps"].value)

    def describe(self, state):
        objective, run = state
        lr = self.controls["lr"].value
        a = objective.c[1]
        r_x, r_y = objective.factors(lr)
        regime = html.escape(REGIMES[objective.regime(lr)])
        x, y = run.path[-1]
        return (f"<b>lr = {lr:.3g}</b>, a = {a:g}: every step multiplies x by r_x = 1 − 2·lr = "
                f"<b>{r_x:.3g}</b> and y by r_y = 1 − 2·a·lr = <b>{r_y:.3g}</b>, so it {regime}; "
                f"stable for lr &lt; 1/a = {objective.stable_lr:.3g}.<br>"
                f"This run: <b>{run.describe()}</b>; last X = ({x:.3g}, {y:.3g}), "
                f"f(X) = {objective.value(run.path[-1]):.3g}.")
