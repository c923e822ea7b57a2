"""Stochastic gradient descent on one sigmoid neuron: the minimum, the noise ball, the cost to a loss.

Built on neuron.train (whose batch_size and per-step lr are SGD), sampling and schedules; this
module only measures runs.

Math → code:
    θ* = (w*, b*), the minimum of the full loss ℓ       → minimum(x, y)
    the noise ball: the root-mean-square distance √mean ‖θ_k − θ*‖² over the last half of a run
        at a fixed lr                                  → noise_ball(x, y, theta_star, lr, B, updates, seed)
    the first update k with ℓ(θ_k) ≤ target              → first_at_or_below(losses, target)
    updates, epochs and samples processed to reach it  → cost_to_reach(x, y, theta0, lr, B, target, max_epochs, seed)
"""

from typing import NamedTuple

import numpy as np

from nbkit import checks, neuron, sampling


def minimum(x, y, theta0=(0.0, 0.0), lr=4.0, steps=4000):
    """Return θ* = (w*, b*), shape (2,): full-batch gradient descent run until it stops moving (MSE)."""
    run = neuron.train(x, y, theta0, lr, steps)
    if run.diverged_at is not None:
        raise ValueError(f"lr = {lr} is too large to find the minimum: diverged at step {run.diverged_at}")
    return run.path[-1]


def noise_ball(x, y, theta_star, lr, batch_size, updates, seed=0, draw="epochs"):
    """Return the RMS distance to θ* over the last half of `updates` SGD updates started at θ*, a float.

    Starting at the minimum, the run has nothing to approach: what it shows is the hovering alone.
    draw: how the batches are drawn, by epochs or each afresh (sampling.batch_indices).
    """
    run = neuron.train(x, y, theta_star, lr, updates, batch_size=batch_size, seed=seed, draw=draw)
    if run.diverged_at is not None:
        return float("inf")
    tail = run.path[len(run.path) // 2:]
    return float(np.sqrt(np.mean(np.sum((tail - theta_star) ** 2, axis=1))))


def first_at_or_below(losses, target):
    """Return the first index k with losses[k] <= target (losses of shape (K,)), or None."""
    below = np.flatnonzero(np.asarray(losses) <= target)
    return int(below[0]) if below.size else None


class Cost(NamedTuple):
    """What reaching a loss cost: updates, epochs (updates / ⌊n/B⌋) and samples processed (updates · B); None if never."""

    updates: int | None
    epochs: float | None
    samples: int | None


def cost_to_reach(x, y, theta0, lr, batch_size, target, max_epochs, seed=0):
    """Return the Cost of SGD with batches of B from theta0 at a fixed lr to first reach ℓ <= target."""
    n = checks.finite_array(x, "x").size
    per_epoch = sampling.updates_per_epoch(n, batch_size)
    run = neuron.train(x, y, theta0, lr, per_epoch * checks.count(max_epochs, "max_epochs", minimum=1),
                       batch_size=batch_size, seed=seed)
    k = first_at_or_below(neuron.losses(run.path, x, y), target)
    return Cost(None, None, None) if k is None else Cost(k, k / per_epoch, k * batch_size)
