"""Explore momentum and Adam on the bowl f(x, y) = x² + a·y², against gradient descent at the same lr.

Sliders lr, β (momentum), β₁ and β₂ (Adam), x0, y0, a, steps, and a method choice: momentum,
Adam or both. Left: the level sets of f with the chosen method's points X_k, and gradient
descent's in grey. Right: f(X_k) against k on a log axis for each. The readout gives each
coordinate's factor per step (momentum, from its 2×2 recurrence; gradient descent, 1 − 2·lr·c)
or Adam's step size per coordinate lr/(√ŝ + ε), and each run's verdict.
"""

import html
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from nbkit import checks, momentum
from nbkit.explorers import fast_optimizers
from nbkit.explorers.base import Explorer, lr_slider
from nbkit.objectives import elongated
from nbkit.optimizers import Adam, GradientDescent, Momentum
from nbkit.plotting.descent import (bowl_panels, loss_curve, set_level_ellipses, set_loss,
                                    set_loss_xlim, trajectory_2d)

METHODS = ("momentum", "Adam", "both")
COLOURS = {"gradient descent": "#9a9a9a", "momentum": "#d62728", "Adam": "#7b3fb5"}


class Runs(NamedTuple):
    """What one set of slider values gives: the bowl, and a Run per method (None for a hidden one)."""

    objective: object
    gd: object
    momentum: object
    adam: object


class OptimizerExplorer(Explorer):
    """Sliders lr (log, 1e-3…1.5), β, β₁ (0…0.99), β₂ (0.9…0.9999), x0, y0 (−10…10), a (1…100), steps (1…300)."""

    VIEW = (-12.0, 12.0)
    STEP_AXES = {"ax_loss": "steps"}
    LOSS_LIMITS = (1e-20, 1e11)  # a diverged run stops at ‖X‖ = 1000·‖X0‖, where f is at most about 1e10

    def __init__(self, lr=0.045, beta=0.6, beta1=0.9, beta2=0.999, x0=-9.0, y0=6.0, a=20.0, steps=100, method="both"):
        lr, a = checks.in_range(lr, "lr", 1e-3, 1.5), checks.in_range(a, "a", 1, 100)
        beta, beta1 = checks.in_range(beta, "beta", 0, 0.99), checks.in_range(beta1, "beta1", 0, 0.99)
        beta2 = checks.in_range(beta2, "beta2", 0.9, 0.9999)
        x0, y0 = checks.in_range(x0, "x0", -10, 10), checks.in_range(y0, "y0", -10, 10)
        steps = checks.in_range(steps, "steps", 1, 300, integer=True)
        method = checks.one_of(method, "method", METHODS)
        controls = {
            "lr": lr_slider(lr, 1e-3, 1.5, step=0.01),
            "beta": widgets.FloatSlider(value=beta, min=0, max=0.99, step=0.01, description="β"),
            "beta1": widgets.FloatSlider(value=beta1, min=0, max=0.99, step=0.01, description="β₁"),
            "beta2": widgets.FloatSlider(value=beta2, min=0.9, max=0.9999, step=0.0001, description="β₂",
                                         readout_format=".4f"),
            "x0": widgets.FloatSlider(value=x0, min=-10, max=10, step=0.1, description="x0"),
            "y0": widgets.FloatSlider(value=y0, min=-10, max=10, step=0.1, description="y0"),
            "a": widgets.FloatSlider(value=a, min=1, max=100, step=1, description="a"),
            "steps": widgets.IntSlider(value=steps, min=1, max=300, description="steps"),
            "method": widgets.SelectionSlider(options=METHODS, value=method, description="method"),
        }
        self._kept = {}  # kind of rule → (its arguments, its last Run)
        super().__init__(controls, figsize=(9, 4))

    def build(self):
        self.drawn_a = self.controls["a"].value
        self.ax_xy, self.ax_loss, self.levels, self.minimum = bowl_panels(self.fig, elongated(self.drawn_a), self.VIEW)
        self.paths, self.losses = {}, {}
        for name, colour in COLOURS.items():
            (self.paths[name],) = self.ax_xy.plot([], [], color=colour, marker="o", markersize=3, linewidth=1.1)
            self.losses[name] = loss_curve(self.ax_loss, [1.0], color=colour, linewidth=1.2, label=name)
        _, self.start = trajectory_2d(self.ax_xy, np.zeros((1, 2)))
        self.ax_loss.set_ylim(*self.LOSS_LIMITS)
        self.ax_loss.set_title("loss f(X_k), log scale")
        self.ax_loss.legend(loc="lower left", fontsize="small")
        self.ax_xy.set(xlim=self.VIEW, ylim=self.VIEW, aspect="equal", title="x² + a·y²: grey is gradient descent")
        self.moving = [self.levels, *self.paths.values(), self.minimum, self.start, *self.losses.values()]

    def compute(self, lr, beta, beta1, beta2, x0, y0, a, steps, method):
        bowl = elongated(a)
        return Runs(bowl, self._run(GradientDescent(), bowl, x0, y0, lr, steps),
                    self._run(Momentum(beta), bowl, x0, y0, lr, steps) if method in ("momentum", "both") else None,
                    self._run(Adam(beta1, beta2), bowl, x0, y0, lr, steps) if method in ("Adam", "both") else None)

    def _run(self, rule, bowl, x0, y0, lr, steps):
        """Return optimizers.run(rule, bowl, …), kept per kind of rule: a slider of one method leaves the others' runs alone.

        The run is fast_optimizers.run_quadratic's, the same to the bit, where it covers the rule.
        """
        key = (rule, bowl, x0, y0, lr, steps)
        kept = self._kept.get(type(rule))
        if kept is None or kept[0] != key:
            run = fast_optimizers.runner(rule, bowl)
            kept = self._kept[type(rule)] = (key, run(rule, bowl, [x0, y0], lr, steps))
        return kept[1]

    def show(self, state):
        for name, result in zip(COLOURS, state[1:]):
            path = np.empty((0, 2)) if result is None else result.path
            self.paths[name].set_data(path[:, 0], path[:, 1])
            if result is None:
                self.losses[name].set_data([], [])
            else:
                set_loss(self.losses[name], result.losses)
        self.start.set_data(state.gd.path[:1, 0], state.gd.path[:1, 1])
        if state.objective.c[1] != self.drawn_a:  # new level sets only when a moved
            set_level_ellipses(self.levels, state.objective, self.VIEW, self.VIEW)
            self.drawn_a = state.objective.c[1]
        return set_loss_xlim(self.ax_loss, self.controls["steps"].value)

    def describe(self, state):
        values = self.values
        lr, bowl = values["lr"], state.objective
        r_x, r_y = bowl.factors(lr)
        lines = [f"<b>lr = {lr:.3g}</b>, a = {bowl.c[1]:g}, from X₀ = ({values['x0']:.3g}, {values['y0']:.3g}). "
                 "Gradient descent (grey): factors per step "
                 f"x: <b>{r_x:.3g}</b>, y: <b>{r_y:.3g}</b>; {html.escape(state.gd.describe())}."]
        if state.momentum is not None:
            rho_x, rho_y = momentum.momentum_factors(bowl, lr, values["beta"])
            best_lr, best_beta = momentum.best_momentum(bowl)
            lines.append(f"Momentum, β = {values['beta']:.2f}: factors per step x: <b>{rho_x:.3g}</b>, "
                         f"y: <b>{rho_y:.3g}</b> (stable for lr &lt; (1 + β)/a = "
                         f"{momentum.stable_lr(bowl, values['beta']):.3g}; best pair for this a: lr = {best_lr:.3g}, "
                         f"β = {best_beta:.3g}); <b>{html.escape(state.momentum.describe())}</b>.")
        if state.adam is not None:
            adam = Adam(values["beta1"], values["beta2"])
            if len(state.adam.path) > 1:
                size_x, size_y = adam.step_sizes(state.adam.state, lr)
                sizes = f"step size lr/(√ŝ + ε) at the last step x: <b>{size_x:.3g}</b>, y: <b>{size_y:.3g}</b>"
            else:
                sizes = "no step taken"
            lines.append(f"Adam, β₁ = {values['beta1']:.2f}, β₂ = {values['beta2']:.4f}: {sizes}; "
                         f"<b>{html.escape(state.adam.describe())}</b>.")
        return "<br>".join(lines)
