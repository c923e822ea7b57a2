"""The optimizer explorer's runs on Python floats: the same numbers as optimizers.run, to the bit.

The teaching function `optimizers.run` stays the one source of the maths; run_quadratic does
exactly its floating-point operations, in its order, on the same values, one coordinate at a
time. On a Quadratic the coordinates never mix (∂f/∂xᵢ = 2·cᵢ·xᵢ), and numpy's elementwise
operations on float64 are the IEEE operations Python does on floats: a·b, a + b, a − b, a / b
and √a (math.sqrt, correctly rounded like np.sqrt) give the same bits, and β**k is the same
Python power as the rule's. What is left out is the cost around them: the gradient's checks and
errstate, small arrays and np.linalg.norm on every step, so a slider move can rerun three
methods within its budget. tests/test_fast_optimizers.py checks it against optimizers.run.

Math → code as in nbkit.optimizers, per coordinate (x, y), with g = 2·(c·x):
    gradient descent  x ← x − lr·g
    momentum          v ← β·v + g,  x ← x − lr·v
    Adam              v ← β₁·v + (1 − β₁)·g,  s ← β₂·s + (1 − β₂)·g·g,  k ← k + 1
                      x ← x − (lr / (√(s / (1 − β₂^k)) + ε))·(v / (1 − β₁^k))
"""

import math

import numpy as np

from nbkit import checks, optimizers
from nbkit.objectives import Quadratic
from nbkit.optimizers import Adam, AdamState, GradientDescent, Momentum, Run


def _escaped(x, y, bound):
    """Return True if the point (x, y) is not within ‖·‖ ≤ bound as optimizers.run decides it (NaN, inf too).

    |x| + |y| ≥ ‖(x, y)‖, so a point with |x| + |y| ≤ bound/2 is inside whatever the rounding of
    the norm; any other is decided by run's own np.linalg.norm on the same two floats.
    """
    return not abs(x) + abs(y) <= 0.5 * bound and not np.linalg.norm(np.array([x, y])) <= bound


def _gradient_descent(rule, c0, c1, x, y, lr, steps, bound, points):
    for k in range(1, steps + 1):
        x = x - lr * (2 * (c0 * x))
        y = y - lr * (2 * (c1 * y))
        if _escaped(x, y, bound):
            return k, None
        points += (x, y)
    return None, None


def _momentum(rule, c0, c1, x, y, lr, steps, bound, points):
    beta, v_x, v_y = rule.beta, 0.0, 0.0
    for k in range(1, steps + 1):
        v_x = beta * v_x + 2 * (c0 * x)
        v_y = beta * v_y + 2 * (c1 * y)
        x, y = x - lr * v_x, y - lr * v_y
        if _escaped(x, y, bound):
            return k, np.array([v_x, v_y])
        points += (x, y)
    return None, np.array([v_x, v_y])


def _adam(rule, c0, c1, x, y, lr, steps, bound, points):
    beta1, beta2, eps, corrected = rule.beta1, rule.beta2, rule.eps, rule.bias_correction
    v_x = v_y = s_x = s_y = 0.0
    for k in range(1, steps + 1):
        g_x, g_y = 2 * (c0 * x), 2 * (c1 * y)
        v_x = beta1 * v_x + (1 - beta1) * g_x
        v_y = beta1 * v_y + (1 - beta1) * g_y
        s_x = beta2 * s_x + (1 - beta2) * g_x * g_x
        s_y = beta2 * s_y + (1 - beta2) * g_y * g_y
        if corrected:  # x ← x − (lr / (√ŝ + ε))·v̂, ŝ = s / (1 − β₂^k), v̂ = v / (1 − β₁^k)
            d1, d2 = 1 - beta1**k, 1 - beta2**k
            x = x - lr / (math.sqrt(s_x / d2) + eps) * (v_x / d1)
            y = y - lr / (math.sqrt(s_y / d2) + eps) * (v_y / d1)
        else:
            x = x - lr / (math.sqrt(s_x) + eps) * v_x
            y = y - lr / (math.sqrt(s_y) + eps) * v_y
        if _escaped(x, y, bound):
            return k, AdamState(k, np.array([v_x, v_y]), np.array([s_x, s_y]))
        points += (x, y)
    return None, AdamState(steps, np.array([v_x, v_y]), np.array([s_x, s_y]))


_RUNS = {GradientDescent: _gradient_descent, Momentum: _momentum, Adam: _adam}
_TEACHING_RUN = optimizers.run


def covers(rule, objective):
    """Return True if run_quadratic runs this rule on this objective: one of GradientDescent, Momentum
    or Adam (not a subclass, which may change the update) on a 2-D Quadratic (x² + a·y², or any c)."""
    return type(rule) in _RUNS and type(objective) is Quadratic and objective.dim == 2


def run_quadratic(rule, objective, x0, lr, steps, escape=1e3):
    """Return what optimizers.run(rule, objective, x0, lr, steps, escape) returns, path (k+1, 2), to the bit.

    For covers(rule, objective) only. The same checks, the same Run: path, losses, state and
    diverged_at; a gradient beyond the float range raises the same checks.TooLarge.
    """
    if not covers(rule, objective):
        raise ValueError(f"run_quadratic runs GradientDescent, Momentum or Adam on a 2-D Quadratic; got "
                         f"{type(rule).__name__} on {type(objective).__name__}: use optimizers.run")
    lr = checks.positive(lr, "lr")
    steps = checks.count(steps, "steps")
    x = checks.finite_array(x0, "x0", shape=(objective.dim,))
    bound = checks.positive(escape, "escape") * max(1.0, float(np.linalg.norm(x)))
    points = [float(x[0]), float(x[1])]  # x_0, y_0, x_1, y_1, …
    diverged_at, state = _RUNS[type(rule)](rule, *objective.c, *points, lr, steps, bound, points)
    path = np.array(points).reshape(-1, 2)
    if diverged_at is not None:
        objective.gradient(path[-1])  # raises as run does when the last step's gradient left the float range
    return Run(path, objective.value(path), state, diverged_at)


def runner(rule, objective):
    """Return the function that runs rule on objective as optimizers.run does: run_quadratic when it
    covers them, else optimizers.run (also when optimizers.run was replaced, e.g. by a wrapper)."""
    return run_quadratic if covers(rule, objective) and optimizers.run is _TEACHING_RUN else optimizers.run
