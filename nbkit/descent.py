"""Gradient descent: x_{k+1} = x_k − lr·∇f(x_k), and what became of the run.

Math → code:
    x_k   → path[k]   (a scalar start gives path of shape (k+1,), a vector start (k+1, d))
    lr    → lr        (the learning rate, 学习率)
    ∇f    → gradient  (any function from a point to its gradient, same shape)
    k     → step
    first k with ‖x_k‖ < tol → first_below(path, tol), steps_to_reach(objective, x0, lr, tol)

A run that blows up is stopped, not overflowed: as soon as ‖x_k‖ leaves the bound
`escape · max(1, ‖x0‖)` the runner returns the path so far and the step k where it left.
"""

from dataclasses import dataclass

import numpy as np

from nbkit import checks

#: What a run can end as. "converging" and "oscillating" both reach the minimum.
STATUSES = ("converging", "oscillating", "edge", "diverged")


@dataclass(frozen=True)
class Run:
    """The trajectory of one gradient-descent run and its verdict.

    path: ndarray (k+1,) or (k+1, d); only finite points inside the bound.
    status: one of STATUSES.
    diverged_at: the step whose point left the bound (the run stopped there), else None.
    """

    path: np.ndarray
    status: str
    diverged_at: int | None = None

    @property
    def converges(self):
        """Return True when the run heads for the minimum (monotone or oscillating)."""
        return self.status in ("converging", "oscillating")

    def describe(self):
        """Return the verdict in words, e.g. "diverged at step 7" or "converging"."""
        if self.diverged_at is not None:
            return f"diverged at step {self.diverged_at}"
        if self.status == "converging" and self.settled_at is not None:
            return f"converging: reached a fixed point at step {self.settled_at}"
        return {
            "converging": "converging",
            "oscillating": "converging with oscillation",
            "edge": "stuck at the edge: bouncing, no progress",
            "diverged": "diverging: growing at every step",
        }[self.status]

    @property
    def settled_at(self):
        """Return the first step after which the path no longer moves at all, or None if it still moves."""
        moved = np.any(self.path[1:] != self.path[:-1], axis=tuple(range(1, self.path.ndim)))
        last_move = np.flatnonzero(moved)
        k = int(last_move[-1]) + 1 if last_move.size else 0
        return k if k < len(self.path) - 1 else None


def gradient_descent(gradient, x0, lr, steps, escape=1e3, direction=None):
    """Return the Run of `steps` updates x ← x − lr·gradient(x) from x0.

    x0: a number or a 1-D array; lr: a finite number > 0, or one rate per update, shape (steps,)
    (a schedule); steps: an integer >= 0. direction(x, k), if given, is followed by update k
    (k = 0 … steps − 1) in place of gradient(x), e.g. the gradient of mini-batch k; gradient
    still judges the start and the end.
    The run stops early, with status "diverged", at the first step whose point is not finite
    or lies farther than escape·max(1, ‖x0‖) from the origin.
    """
    steps = checks.count(steps, "steps")
    lr = checks.positive(lr, "lr") if np.ndim(lr) == 0 else _rates(lr, steps)
    step = (lambda x, k: gradient(x)) if direction is None else direction
    x = checks.finite_array(x0, "x0")
    if x.ndim > 1:
        raise ValueError(f"x0 must be a number or a 1-D array; got shape {x.shape}")
    _check_start(gradient, x)
    bound = checks.positive(escape, "escape") * max(1.0, float(np.linalg.norm(x)))
    path = np.empty((steps + 1,) + x.shape)
    path[0] = x
    for k in range(1, steps + 1):
        x = x - (lr if np.ndim(lr) == 0 else lr[k - 1]) * step(x, k - 1)
        if not np.all(np.isfinite(x)) or np.linalg.norm(x) > bound:
            return Run(path[:k], "diverged", k)
        path[k] = x
    return Run(path, classify(gradient, path))


def _rates(lr, steps):
    """Return per-update rates as an array (steps,); raise unless each is a finite number > 0."""
    lr = checks.finite_array(lr, "lr", shape=(steps,), min_size=0)
    if np.any(lr <= 0):
        raise ValueError(f"lr must hold rates > 0, one per update; got a smallest rate of {lr.min()!r}")
    return lr


def _check_start(gradient, x0):
    """Raise ValueError naming x0 unless gradient(x0) works and has the shape of x0."""
    try:
        g = np.asarray(gradient(x0))
    except ValueError as error:
        raise ValueError(f"x0 does not fit this gradient: {error}") from None
    if g.shape != x0.shape:
        raise ValueError(f"x0 must have the shape of the gradient there; x0 has shape {x0.shape}, "
                         f"gradient(x0) has shape {g.shape}")


def classify(gradient, path, tol=1e-6):
    """Return the status of a finished path from its last steps.

    The gradient norm of the last step against the one before says whether the run shrinks
    (converging), holds (edge) or grows (diverged); steps that reverse direction mean
    oscillating. A path that reached a stationary point exactly is converging.
    """
    if len(path) < 2:
        return "converging"
    g_last = np.linalg.norm(gradient(path[-1]))
    g_prev = np.linalg.norm(gradient(path[-2]))
    if g_last == 0:
        return "converging"
    ratio = g_last / g_prev if g_prev > 0 else np.inf
    if ratio > 1 + tol:
        return "diverged"
    if ratio >= 1 - tol:
        return "edge"
    if len(path) >= 3 and np.vdot(path[-1] - path[-2], path[-2] - path[-3]) < 0:
        return "oscillating"
    return "converging"


def first_below(path, tol=1e-6):
    """Return the first step k with ‖x_k‖ < tol on a path of shape (k+1,) or (k+1, d), or None."""
    tol = checks.positive(tol, "tol")
    path = np.asarray(path, dtype=float)
    with np.errstate(over="ignore"):  # a huge point has norm inf, which is not below tol
        norms = np.abs(path) if path.ndim == 1 else np.linalg.norm(path, axis=-1)
    below = np.flatnonzero(norms < tol)
    return int(below[0]) if below.size else None


def steps_to_reach(objective, x0, lr, tol=1e-6, max_steps=10_000):
    """Return how many steps gradient descent needs from x0 to reach ‖x_k‖ < tol, or None.

    objective: a Quadratic, whose exact trajectory x_k = (1 − 2·lr·c)^k · x0 stands in for the
    runner (the same numbers, computed for every k at once). None means not within max_steps:
    too slow, stuck at the edge, or diverging.
    """
    max_steps = checks.count(max_steps, "max_steps")
    with np.errstate(over="ignore", invalid="ignore"):  # r^k of a diverging run overflows to inf
        path = objective.closed_form(x0, lr, max_steps)
    path = np.nan_to_num(path, nan=0.0, posinf=np.inf, neginf=-np.inf)  # nan only from 0·inf
    return first_below(path, tol)
