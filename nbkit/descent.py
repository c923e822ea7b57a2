"""Gradient descent: x_{k+1} = x_k − lr·∇f(x_k), and what became of the run.

Math → code:
    x_k   → path[k]   (a scalar start gives path of shape (k+1,), a vector start (k+1, d))
    lr    → lr        (the learning rate, 学习率)
    ∇f    → gradient  (any function from a point to its gradient, same shape)
    k     → step
    first k with ‖x_k‖ < tol → first_below(path, tol), steps_to_reach(objective, x0, lr, tol)
    ‖v‖ = √(Σ vᵢ²)         → np.linalg.norm(v), the length of a vector (|v| for a number)
    a step reverses a coordinate → turns_back(path): the zig-zag of a factor r < 0

A run that blows up is stopped, not overflowed: as soon as ‖x_k‖ leaves the bound
`escape · max(1, ‖x0‖)` the runner returns the path so far and the step k where it left.
The bound is compared as log‖x_k‖ > log(escape) + max(0, log‖x0‖), and a norm is taken of x
scaled by its largest entry, so no start or lr that is finite overflows (x0 = 1e300 too).
"""

import math
from dataclasses import dataclass

import numpy as np

from nbkit import checks

#: What a run can end as. "converging" and "oscillating" both reach the minimum; "no steps" is a
#: run of steps = 0, which stays at x0 and says nothing about lr.
STATUSES = ("converging", "oscillating", "edge", "diverged", "no steps")


#: The largest bound escape·max(1, ‖x0‖) a run can be judged against, well inside the float range.
MAX_BOUND = 1e307


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
        if self.status == "no steps":
            return "no steps taken: the run stays at x0"
        if self.status == "converging" and self.settled_at is not None:
            return f"converging: reached a fixed point at step {self.settled_at}"
        return {
            "converging": "converging",
            "oscillating": "converging with oscillation",
            "edge": "stuck at the edge: the gradient no longer shrinks, so the run does not converge",
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
    (a schedule); steps: an integer 0 … checks.MAX_STEPS. direction(x, k), if given, is followed
    by update k (k = 0 … steps − 1) in place of gradient(x), e.g. the gradient of mini-batch k;
    gradient still judges the start and the end.
    The run stops early, with status "diverged", at the first step whose point is not finite
    or lies farther than escape·max(1, ‖x0‖) from the origin (an update that overflows, or a
    gradient too large for a float, counts as leaving the bound).
    """
    gradient = checks.function(gradient, "gradient")
    steps = checks.count(steps, "steps", maximum=checks.MAX_STEPS)
    rates = None if np.ndim(lr) == 0 else _rates(lr, steps)
    lr = checks.positive(lr, "lr") if rates is None else None
    if direction is not None:
        checks.function(direction, "direction")
    x = checks.finite_array(x0, "x0")
    if x.ndim > 1:
        raise ValueError(f"x0 must be a number or a 1-D array; got shape {x.shape}")
    _check_start(gradient, x)
    log_bound = _log_bound(x, escape)  # log(escape·max(1, ‖x0‖)): compared in logs, no overflow
    path = np.empty((steps + 1,) + x.shape)
    path[0] = x
    if steps == 0:
        return Run(path, "no steps")
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is a divergence, judged below
        for k in range(1, steps + 1):
            g = _gradient_at(gradient, x) if direction is None else _gradient_at(lambda x: direction(x, k - 1), x)
            x = x - (lr if rates is None else rates[k - 1]) * g
            if not _log_norm(x) <= log_bound:  # also true for inf and NaN
                return Run(path[:k], "diverged", k)
            path[k] = x
        try:
            return Run(path, classify(gradient, path))
        except checks.TooLarge:  # the gradient at the last point no longer fits in a float
            return Run(path, "diverged")


def _log_bound(x0, escape):
    """Return log(escape·max(1, ‖x0‖)); raise naming x0 when the bound is beyond MAX_BOUND.

    Beyond it, leaving the bound and overflowing a float would be one event, and the step of
    divergence could not be told right.
    """
    escape = checks.positive(escape, "escape")
    log_bound = math.log(escape) + max(0.0, _log_norm(x0))
    if log_bound > math.log(MAX_BOUND):
        raise ValueError(f"x0 is too large to judge divergence: escape·max(1, ‖x0‖) must be <= {MAX_BOUND:g}, "
                         f"so ‖x0‖ <= {MAX_BOUND / escape:.3g} with escape = {escape:g}; "
                         f"got x0 = {np.array2string(x0, precision=3)}")
    return log_bound


def _gradient_at(gradient, x):
    """Return gradient(x) checked to be numbers of the shape of x; inf where it is beyond the float range."""
    try:
        return checks.returned(gradient(x), "gradient(x)", x.shape, finite=False)
    except checks.TooLarge:
        return np.full(x.shape, np.inf)


def _log_norm(x):
    """Return log‖x‖ without overflow or underflow: ‖x‖ = m·‖x/m‖ with m the largest |xᵢ| (−inf for 0)."""
    x = np.asarray(x, dtype=float)
    if x.ndim == 0:  # one coordinate: log|x|, the usual case made fast
        m = abs(float(x))
        return math.log(m) if 0 < m < math.inf else (-math.inf if m == 0 else math.inf)
    if 0 < x.size <= 16:  # math.hypot scales internally: no overflow or underflow on the way
        norm = math.hypot(*x.tolist())
        if 0 < norm < math.inf or math.isnan(norm):
            return math.log(norm) if norm == norm else math.nan
    m = np.max(np.abs(x)) if x.size else 0.0
    if m == 0 or not np.isfinite(m):
        return -np.inf if m == 0 else (np.inf if m == np.inf else np.nan)
    return float(np.log(m) + 0.5 * np.log(np.sum(np.square(x / m))))


def _rates(lr, steps):
    """Return per-update rates as an array (steps,); raise unless each is a finite number > 0."""
    lr = checks.finite_array(lr, "lr", shape=(steps,), min_size=0)
    if np.any(lr <= 0):
        raise ValueError(f"lr must hold rates > 0, one per update; got a smallest rate of {lr.min()!r}")
    return lr


def _check_start(gradient, x0):
    """Raise naming x0 unless gradient(x0) works and returns numbers of the shape of x0."""
    try:
        g = gradient(x0)
    except checks.TooLarge as error:
        raise checks.TooLarge(f"x0 is too large for this gradient: {error}") from None
    except (ValueError, IndexError) as error:
        raise ValueError(f"x0 does not fit this gradient: {error}") from None
    g = checks.returned(g, "gradient(x0)", finite=False)
    if np.any(np.isnan(g)):
        raise ValueError(f"gradient(x0) must return numbers, not NaN; it returned {g!r}")
    if g.shape != x0.shape:
        raise ValueError(f"x0 must have the shape of the gradient there; x0 has shape {x0.shape}, "
                         f"gradient(x0) has shape {g.shape}")


def classify(gradient, path, tol=1e-6):
    """Return the status of a finished path of shape (k+1,) or (k+1, d).

    Its last steps decide the fate: the gradient norm of the last step against the one before
    says whether the run shrinks (converging), holds (edge) or grows (diverged). A shrinking run
    is "oscillating" if anywhere along the path one step turned back on the one before, the
    zig-zag a factor r < 0 makes (see turns_back). A path that reached a stationary point
    exactly is converging.
    """
    if len(path) < 2:
        return "converging"
    g_last = _log_norm(gradient(path[-1]))  # log-norms: no overflow for a gradient near 1e308
    g_prev = _log_norm(gradient(path[-2]))
    if g_last == -np.inf:
        return "oscillating" if turns_back(path) else "converging"
    ratio = np.exp(min(g_last - g_prev, 700.0))  # inf − (−inf) = inf: a gradient that grew from 0
    if ratio > 1 + tol:
        return "diverged"
    if ratio >= 1 - tol:
        return "edge"
    return "oscillating" if turns_back(path) else "converging"


def turns_back(path, rel=1e-9):
    """Return True if somewhere the path turns back: two consecutive steps at more than 90°.

    path: shape (k+1,) or (k+1, d). That is the zig-zag a factor r < 0 makes, and it does not
    depend on the axes: while every factor is ≥ 0 the steps never turn back, even where the
    path bends. Steps shorter than rel times the largest ‖x_k‖ are round-off (a coordinate
    that landed on 0), not a turn, and are ignored.
    """
    path = np.asarray(path, dtype=float).reshape(len(path), -1)
    scale = np.max(np.abs(path))
    if 0 < scale < np.inf:
        path = path / scale  # turning back does not depend on the scale; this keeps steps and dots finite near 1e308
    steps = np.diff(path, axis=0)
    real = np.linalg.norm(steps, axis=1) > rel * np.max(np.linalg.norm(path, axis=1))
    dots = np.sum(steps[1:] * steps[:-1], axis=1)
    return bool(np.any((dots < 0) & real[1:] & real[:-1]))



def first_below(path, tol=1e-6):
    """Return the first step k with ‖x_k‖ < tol on a path of shape (k+1,) or (k+1, d), or None."""
    tol = checks.positive(tol, "tol")
    path = checks.finite_array(path, "path", min_size=0)
    if path.ndim not in (1, 2):
        raise ValueError(f"path must have shape (k+1,) or (k+1, d); got shape {path.shape}")
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
    max_steps = checks.count(max_steps, "max_steps", maximum=checks.MAX_STEPS)
    try:
        path = objective.closed_form(x0, lr, max_steps)
    except checks.TooLarge as error:  # r^k·x0 leaves the float range: it never comes back below tol
        if not hasattr(error, "limit"):
            raise
        path = objective.closed_form(x0, lr, error.limit)
    return first_below(path, tol)
