"""Checkers for the gradient-descent exercises of notebooks 01 (f = x²) and 02 (f = x² + a·y²).

01: update_rule, fastest_lr, steps_needed, same_steps_as. 02: gradient_2d, largest_stable_lr.

Each returns a Feedback. The right answers are computed here, from nbkit's own objectives and
runner, never typed in; a hint says what the learner's answer does, not what the answer is.
"""

import math

import numpy as np

from nbkit import checks
from nbkit.exercises.feedback import as_number, call, right, wrong
from nbkit.objectives import SQUARE, elongated

#: Where the learner's update rule is tried: (x, lr) pairs, fixed so feedback is repeatable.
_TRIALS = [(3.0, 0.1), (-2.5, 0.3), (1000.0, 0.1), (0.7, 0.9), (-40.0, 0.05)]


def update_rule(step):
    """Return Feedback on step(x, lr), which should be one gradient-descent update on f(x) = x²."""
    for x, lr in _TRIALS:
        got, problem = call(step, x, lr)
        if problem:
            return problem
        want = x - lr * SQUARE.gradient(x)
        try:
            ok = bool(np.isclose(float(got), want, rtol=1e-12, atol=1e-12))
        except (TypeError, ValueError):
            return wrong(f"step({x}, {lr}) returned {got!r}; it should return a number.")
        if not ok:
            return wrong(_update_hint(x, lr, float(got)))
    return right("x_new = x − lr·f'(x) = x − lr·2x: a step against the derivative, scaled by lr.")


def _update_hint(x, lr, got):
    if np.isclose(got, x - SQUARE.gradient(x)):
        return f"step({x}, {lr}) = {got}: the learning rate is missing, so x just flips sign."
    if np.isclose(got, x + lr * SQUARE.gradient(x)):
        return f"step({x}, {lr}) = {got}: this moves uphill. Which way does the derivative point?"
    if np.isclose(got, x - lr * x):
        return f"step({x}, {lr}) = {got}: check the derivative of x²."
    return f"step({x}, {lr}) returned {got}, which is not x − lr·f'(x) at that point."


def _steps_to_reach(lr, x0=1000.0, tol=1e-6):
    """Return the first step k with |x_k| < tol from x0 on f = x², or None if it never gets there.

    From the closed form |x_k| = |1 − 2·lr|^k · |x0|: k = ⌈ln(tol/|x0|) / ln|r|⌉, checked on the
    few steps around it, one power each, so any lr costs the same (no path is stored).
    """
    r = abs(SQUARE.factors(lr)[0])
    if abs(x0) < tol:
        return 0
    if r == 0:
        return 1
    if r >= 1:
        return None
    k = max(int(math.ceil(math.log(tol / abs(x0)) / math.log(r))) - 2, 0)
    return next(j for j in range(k, k + 5) if abs(x0) * r ** j < tol)


def fastest_lr(answer):
    """Return Feedback on the lr that takes x0 = 1000 to |x| < 1e-6 in the fewest steps."""
    lr, problem = as_number(answer, "lr")
    if problem:
        return problem
    if lr <= 0:
        return wrong(f"lr = {lr} does not step downhill at all; lr must be > 0.")
    best = min(_steps_to_reach(c) or math.inf for c in np.linspace(0.01, 0.99, 99))
    try:
        steps = _steps_to_reach(lr)
    except checks.TooLarge:  # 1 − 2·lr is beyond the float range
        return wrong(f"with lr = {lr:g} each step multiplies x by 1 − 2·lr, far below −1, so x never gets small.")
    factor = 1 - 2 * lr
    if steps is None:
        return wrong(f"with lr = {lr} each step multiplies x by 1 − 2·lr = {factor:g}; "
                     f"|{factor:g}| ≥ 1, so x never gets small.")
    if steps > best:
        return wrong(f"with lr = {lr} each step multiplies x by {factor:.10g}, and it takes {steps:,} steps. "
                     "Which factor would shrink x the most in one step?")
    return right(f"lr = {lr} makes the factor 1 − 2·lr = {factor:g}: one step lands exactly on the "
                 "minimum, because x − lr·2x = 0 when lr = 1/2. Any other lr leaves |x| shrinking "
                 "by a factor |1 − 2·lr| > 0 per step.")


def steps_needed(answer, x0=1000.0, lr=0.1, tol=1e-6):
    """Return Feedback on the number of steps lr = 0.1 needs from x0 = 1000 to |x| < 1e-6."""
    n, problem = as_number(answer, "steps")
    if problem:
        return problem
    if n != int(n) or n < 0:
        return wrong(f"a number of steps is a whole number ≥ 0; got {n:g}.")
    if n > 1e6:
        return wrong(f"after {n:.3g} steps x is far below {tol:g}, but it got there long before. "
                     "Look for the first such k.")
    n = int(n)
    want = _steps_to_reach(lr, x0, tol)
    x_n = x0 * (1 - 2 * lr) ** n
    if n < want:
        return wrong(f"after {n} steps x = {x_n:.3g}, still not below {tol:g}. Solve 0.8^k·1000 < 1e-6 for k.")
    if n > want:
        return wrong(f"after {n} steps x = {x_n:.3g} is below {tol:g}, but it got there sooner. "
                     "Look for the first such k.")
    return right(f"x_k = 0.8^k·1000 first drops below {tol:g} at k = {n} "
                 f"(x = {x_n:.3g}); k = ⌈ln(1e-9) / ln 0.8⌉.")


def same_steps_as(answer, lr=0.1, x0=1000.0, tol=1e-6):
    """Return Feedback on another learning rate that needs exactly as many steps as lr on x².

    The number of steps depends only on |r| = |1 − 2·lr|, so the answer is the other lr with the
    same |r|: the factor of the opposite sign. Step counts are the runner's, from the closed form.
    """
    other, problem = as_number(answer, "lr")
    if problem:
        return problem
    if other <= 0:
        return wrong(f"lr = {other} does not step downhill at all; lr must be > 0.")
    r, r_other = SQUARE.factors(lr)[0], SQUARE.factors(other)[0]
    n, n_other = _steps_to_reach(lr, x0, tol), _steps_to_reach(other, x0, tol)
    said = "never gets there" if n_other is None else f"takes {n_other} steps"
    if math.isclose(other, lr, rel_tol=1e-9):
        return wrong(f"that is lr = {lr} itself; find a different lr that needs its {n} steps.")
    if math.isclose(abs(r_other), abs(r), rel_tol=1e-9):
        return right(f"lr = {other:g} makes r = 1 − 2·lr = {r_other:+.4g}, and lr = {lr:g} makes r = {r:+.4g}: "
                     f"the same |r|, so |x_k| = |r|^k·|x0| is the same at every step and both take {n} "
                     "steps. One side of the minimum or the other does not matter to the distance.")
    return wrong(f"lr = {other:g} makes r = 1 − 2·lr = {r_other:+.4g} and {said}; lr = {lr:g} makes "
                 f"r = {r:+.4g} and takes {n}. The distance after k steps is |r|^k·|x0|: which other lr "
                 f"gives the same |r|?")


# Notebook 02: the elongated bowl f(x, y) = x² + a·y².

#: Where the learner's gradient is tried: (x, y, a) triples, fixed so feedback is repeatable.
_POINTS_2D = [(1.0, -2.0, 3.0), (3.0, 4.0, 1.0), (-0.5, 2.5, 10.0), (2.0, 0.0, 7.0), (0.0, -1.5, 20.0)]


def gradient_2d(grad):
    """Return Feedback on grad(x, y, a), which should return ∇f = (∂f/∂x, ∂f/∂y) of x² + a·y²."""
    for x, y, a in _POINTS_2D:
        got, problem = call(grad, x, y, a)
        if problem:
            return problem
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return wrong(f"grad({x}, {y}, {a}) returned {got!r}; it should return two numbers.")
        if got.shape != (2,):
            return wrong(f"grad({x}, {y}, {a}) returned shape {got.shape}; return a pair (∂f/∂x, ∂f/∂y).")
        want = elongated(a).gradient([x, y])
        if not np.allclose(got, want, rtol=1e-12, atol=1e-12):
            return wrong(_gradient_hint(x, y, a, got, want))
    return right("∇f = (2x, 2a·y): each partial derivative treats the other variable as a constant, "
                 "so a scales only the y component.")


def _gradient_hint(x, y, a, got, want):
    shown = f"grad({x}, {y}, {a}) = ({got[0]:g}, {got[1]:g})"
    if np.allclose(got, -want):
        return f"{shown} points downhill; the gradient points uphill (descent then steps against it)."
    if np.allclose(got, want[::-1]):
        return f"{shown}: the two components are swapped; the first is ∂f/∂x."
    if np.allclose(got, want / 2):
        return f"{shown}: each component is half what it should be; what is the derivative of x²?"
    if np.isclose(got[0], want[0]) and np.isclose(got[1], 2 * y):
        return f"{shown}: ∂f/∂x is right; ∂f/∂y should depend on a, since f has the term a·y²."
    if np.isclose(got[0], want[0]):
        return f"{shown}: ∂f/∂x is right; check ∂f/∂y, the derivative of a·y² with respect to y."
    if np.isclose(got[1], want[1]):
        return f"{shown}: ∂f/∂y is right; check ∂f/∂x, the derivative of x² with respect to x."
    return f"{shown} is not (∂f/∂x, ∂f/∂y) of x² + a·y² at that point."


def largest_stable_lr(answer, a=10.0):
    """Return Feedback on the stability limit of gradient descent on x² + a·y².

    The limit is 2/λ_max, the lr where the steeper direction's factor reaches −1: every smaller lr
    converges, every larger one diverges. For a > 1 the steep direction is y and the limit 1/a;
    for a < 1 it is x and the limit 1. The answer is checked to 1e-9 relative.
    """
    lr, problem = as_number(answer, "lr")
    if problem:
        return problem
    if lr <= 0:
        return wrong(f"lr = {lr} does not step downhill at all; lr must be > 0.")
    bowl = elongated(a)
    limit = bowl.stable_lr
    r = bowl.factors(lr)
    steep = int(np.argmax(bowl.c))
    name, r_steep = "xy"[steep], r[steep]
    words = "2/λ_max = 2/(2·a) = 1/a" if steep else "2/λ_max = 2/2 = 1"
    factors = (f"At lr = {lr:g} the factors are r_x = 1 − 2·lr = {r[0]:.4g} and "
               f"r_y = 1 − 2·a·lr = {r[1]:.4g}")
    if math.isclose(lr, limit, rel_tol=1e-9):
        return right(f"{factors}: r_{name} = −1 is the edge, {name} bounces between two values forever, and any "
                     f"larger lr makes |r_{name}| > 1. The steeper direction, {name}, with the largest curvature "
                     f"λ_max = {bowl.curvatures[steep]:g}, sets the limit {words} = {limit:g}; the other "
                     f"direction alone would allow lr up to {2 / bowl.curvatures[1 - steep]:g}.")
    if steep == 1 and math.isclose(lr, 1 / bowl.c[0], rel_tol=1e-9):
        return wrong(f"{factors}. lr = 1 is the limit of the round bowl, where x is the only concern; "
                     "here y diverges long before. Which lr makes r_y exactly −1?")
    if steep == 0 and math.isclose(lr, 1 / a, rel_tol=1e-9):
        return wrong(f"{factors}. 1/a is the limit when y is the steeper direction, a > 1; here a = {a:g} < 1, "
                     "so which direction is steeper, and which lr makes its factor exactly −1?")
    if lr > limit:
        side = f"{name} grows" if abs(r_steep) > 1 else f"{name} bounces"
        return wrong(f"{factors}; |r_{name}| ≥ 1, so {side} at every step. "
                     f"Which lr makes r_{name} exactly −1?")
    if math.isclose(lr, limit / 2, rel_tol=1e-9):
        return wrong(f"{factors}: {name} reaches 0 in one step, and a larger lr still converges "
                     f"(with oscillation). How far can r_{name} go?")
    return wrong(f"{factors}: both are inside (−1, 1), so this lr converges, and a larger one would "
                 "too. Push until one factor reaches −1.")
