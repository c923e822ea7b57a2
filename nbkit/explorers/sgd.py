"""Explore stochastic gradient descent on one sigmoid neuron: lr, batch size, schedule, seed, start, epochs.

Left: the MSE landscape over (w, b), computed once, with the minimum θ* (star) and the path θ_k.
Middle: the loss on all n samples after every update (thin) and after every epoch (dots).
Right: the rate lr_k of each update under the chosen schedule.
The readout gives the last rate, the updates done and the final distance ‖θ_K − θ*‖.
A setting never asks for more than MAX_UPDATES updates: more epochs than that allows are cut,
and the readout says so.
"""

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from nbkit import checks, neuron, sampling, schedules, sgd
from nbkit.explorers import fast_sgd
from nbkit.explorers.base import Explorer, lr_slider
from nbkit.plotting.descent import loss_curve, mark_minimum, set_loss, set_loss_xlim, set_path_2d, trajectory_2d
from nbkit.plotting.neuron import landscape, loss_levels


class SGDState(NamedTuple):
    """One SGD run as shown: the Run, the rates (K,), the full loss after each update (K+1,), updates per epoch, and whether epochs were cut."""

    run: object
    rates: np.ndarray
    losses: np.ndarray
    per_epoch: int
    cut: bool


class SGDExplorer(Explorer):
    """Sliders lr (log, 0.01…30), batch size (1…n), schedule, seed (0…9), w0, b0 (−6…6), epochs (1…40)."""

    N = 100
    MAX_UPDATES = 200
    W_RANGE = (-6.0, 8.0)
    B_RANGE = (-6.0, 6.0)

    def __init__(self, x=None, y=None, lr=1.0, batch_size=10, schedule="constant", seed=0, w0=-4.0, b0=4.0, epochs=10):
        self.x, self.y = neuron.given_data(x, y, n=self.N, noise=0.1)
        self.n = self.x.size
        lr, seed = checks.in_range(lr, "lr", 0.01, 30), checks.in_range(seed, "seed", 0, 9, integer=True)
        batch_size = checks.in_range(batch_size, "batch_size", 1, self.n, integer=True)
        schedule = checks.one_of(schedule, "schedule", schedules.SCHEDULES)
        w0, b0 = checks.in_range(w0, "w0", -6, 6), checks.in_range(b0, "b0", -6, 6)
        epochs = checks.in_range(epochs, "epochs", 1, 40, integer=True)
        self.theta_star = sgd.minimum(self.x, self.y)
        grid_w, grid_b = np.meshgrid(np.linspace(*self.W_RANGE, 141), np.linspace(*self.B_RANGE, 121))
        self.grid = (grid_w, grid_b, neuron.loss_surface(grid_w, grid_b, self.x, self.y))
        controls = {
            "lr": lr_slider(lr, 0.01, 30, step=0.05),
            "batch_size": widgets.IntSlider(value=batch_size, min=1, max=self.n, description="B"),
            "schedule": widgets.Dropdown(options=schedules.SCHEDULES, value=schedule, description="schedule"),
            "seed": widgets.IntSlider(value=seed, min=0, max=9, description="seed"),
            "w0": widgets.FloatSlider(value=w0, min=-6, max=6, step=0.1, description="w0"),
            "b0": widgets.FloatSlider(value=b0, min=-6, max=6, step=0.1, description="b0"),
            "epochs": widgets.IntSlider(value=epochs, min=1, max=40, description="epochs"),
        }
        super().__init__(controls, figsize=(9.5, 3.4))

    def build(self):
        self.ax_land, self.ax_loss, self.ax_lr = self.fig.subplots(1, 3)
        landscape(self.ax_land, *self.grid, levels=loss_levels(float(self.grid[2].min()), float(self.grid[2].max())))
        mark_minimum(self.ax_land, self.theta_star)
        self.ax_land.set_title("MSE over (w, b), path θ_k", fontsize=9)
        self.path_artists = trajectory_2d(self.ax_land, [[0.0, 0.0]], markersize=1.5, linewidth=0.8)
        self.update_line = loss_curve(self.ax_loss, [1.0], linewidth=0.7, alpha=0.6, label="per update")
        (self.epoch_dots,) = self.ax_loss.plot([0], [1.0], "o", color="#1f77b4", markersize=3, label="per epoch")
        self.ax_loss.set_ylim(1e-3, 1.0)
        # The title names the two curves: a legend inside the axes would lie over the moving curve.
        self.ax_loss.set(xlabel="update k", title="loss ℓ(θ_k) on all n samples:\nline per update, dots per epoch")
        self.ax_loss.title.set_fontsize(9)
        (self.lr_line,) = self.ax_lr.plot([0], [1.0], color="#9467bd")
        self.ax_lr.set(xlabel="update k", ylabel="lr_k", yscale="log", ylim=(1e-4, 30), title="the rate of each update")
        self.ax_lr.title.set_fontsize(9)
        self.moving = [*self.path_artists, self.update_line, self.epoch_dots, self.lr_line]

    def compute(self, lr, batch_size, schedule, seed, w0, b0, epochs):
        per_epoch = sampling.updates_per_epoch(self.n, batch_size)
        updates = min(epochs * per_epoch, self.MAX_UPDATES)
        rates = schedules.rates(schedule, lr, updates)  # lr_0 … lr_{K−1}: cosine's last is lr·(1 − cos(π/K))/2 > 0
        train = fast_sgd.trainer()  # = neuron.train with a batch size, to the bit
        run = train(self.x, self.y, (w0, b0), rates, updates, batch_size=batch_size, seed=seed)
        return SGDState(run, rates, neuron.losses(run.path, self.x, self.y), per_epoch, updates < epochs * per_epoch)

    def show(self, state):
        set_path_2d(self.path_artists, state.run.path)
        set_loss(self.update_line, state.losses)
        k = np.arange(0, len(state.losses), state.per_epoch)
        self.epoch_dots.set_data(k, np.maximum(state.losses[k], 1e-30))
        self.lr_line.set_data(np.arange(len(state.rates)), state.rates)
        changed = set_loss_xlim(self.ax_loss, len(state.rates))
        if self.ax_lr.get_xlim() != self.ax_loss.get_xlim():
            self.ax_lr.set_xlim(self.ax_loss.get_xlim())
            changed = True
        return changed

    def describe(self, state):
        run = state.run
        done = len(run.path) - 1
        epochs = f"{done / state.per_epoch:.3g} epochs of {state.per_epoch} updates"
        cut = f" (cut at {self.MAX_UPDATES} updates)" if state.cut else ""
        start = f"From θ_0: w0 = {run.path[0][0]:.3g}, b0 = {run.path[0][1]:.3g}"
        if run.diverged_at is not None:
            return (f"<b>lr = {state.rates[0]:.3g}</b> at the first update: <b style='color: #b03a2e'>diverged at update "
                    f"{run.diverged_at}</b>: θ left the bound; the rate at that update was {state.rates[run.diverged_at - 1]:.3g}."
                    f"<br>{start}.")
        distance = float(np.linalg.norm(run.path[-1] - self.theta_star))
        return (f"<b>lr = {state.rates[0]:.3g}</b> at the first update, <b>{state.rates[-1]:.3g}</b> at the last "
                f"({self.controls['schedule'].value}); "
                f"<b>{done} updates</b> = {epochs}{cut}.<br>"
                f"{start}, final distance to the minimum ‖θ − θ*‖ = <b>{distance:.3g}</b>; loss ℓ = {state.losses[-1]:.3g} "
                f"(at θ*: {neuron.loss(self.theta_star, self.x, self.y):.3g}).")
