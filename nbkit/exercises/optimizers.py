"""Checkers for the exercises of notebook 05: momentum and Adam on the bowl x² + a·y².

Each returns a Feedback. The right answers are computed here from nbkit's own rules and
analysis (nbkit.optimizers, nbkit.momentum), never typed in; a hint says what the learner's
answer is, not what the answer is.
"""

import math

import numpy as np

from nbkit import momentum
from nbkit.exercises.feedback import as_number, call, right, wrong
from nbkit.objectives import elongated
from nbkit.optimizers import Adam, Momentum

#: Where the learner's momentum step is tried: (x, v, g, lr, beta), fixed so feedback is repeatable.
_TRIALS = [(3.0, 0.0, 6.0, 0.1, 0.9), (-2.0, 1.5, -4.0, 0.05, 0.5), (0.5, -2.0, 1.0, 0.2, 0.0), (10.0, 4.0, -3.0, 0.01, 0.99)]


def momentum_step(step):
    """Return Feedback on step(x, v, g, lr, beta), which should return (x_new, v_new) of one momentum update."""
    for x, v, g, lr, beta in _TRIALS:
        got, problem = call(step, x, v, g, lr, beta)
        if problem:
            return problem
        try:
            x_new, v_new = (float(value) for value in got)
        except (TypeError, ValueError):
            return wrong(f"step({x}, {v}, {g}, {lr}, {beta}) returned {got!r}; return two numbers, (x_new, v_new).")
        want_x, want_v = Momentum(beta).update(np.float64(x), g, np.float64(v), lr)
        if not (math.isclose(x_new, want_x, rel_tol=1e-12, abs_tol=1e-12)
                and math.isclose(v_new, want_v, rel_tol=1e-12, abs_tol=1e-12)):
            return wrong(_step_hint(x, v, g, lr, beta, x_new, v_new, float(want_v)))
    return right("v_new = β·v + g, then x_new = x − lr·v_new: the velocity remembers past gradients "
                 "with weight β, and the step uses the velocity just updated.")


def _step_hint(x, v, g, lr, beta, x_new, v_new, want_v):
    shown = f"step({x}, {v}, {g}, {lr}, {beta}) = ({x_new:g}, {v_new:g})"
    if math.isclose(v_new, want_v, rel_tol=1e-12, abs_tol=1e-12):
        if math.isclose(x_new, x - lr * v, rel_tol=1e-12, abs_tol=1e-12):
            return f"{shown}: v_new is right, but x moved with the old v; step with the velocity just updated."
        if math.isclose(x_new, x + lr * want_v, rel_tol=1e-12, abs_tol=1e-12):
            return f"{shown}: v_new is right, but x moves uphill; the step goes against the velocity."
        return f"{shown}: v_new is right; check x_new."
    if math.isclose(v_new, beta * v + (1 - beta) * g, rel_tol=1e-12, abs_tol=1e-12):
        return f"{shown}: that v is a running mean, (1 − β)·g; here the gradient is added in full, v ← β·v + g."
    if math.isclose(v_new, v + g, rel_tol=1e-12, abs_tol=1e-12):
        return f"{shown}: v_new should forget the past a little: multiply the old v by β."
    return f"{shown}: v_new should be β·v + g."


def best_beta(answer, a=100.0):
    """Return Feedback on the β of the best momentum pair for x² + a·y², to 0.01."""
    beta, problem = as_number(answer, "beta")
    if problem:
        return problem
    bowl = elongated(a)
    best_lr, want = momentum.best_momentum(bowl)
    kappa_factor = (math.sqrt(a) - 1) / (math.sqrt(a) + 1)
    if not 0 <= beta < 1:
        return wrong(f"β = {beta:g} is outside [0, 1): the velocity would never forget, or would flip sign.")
    if abs(beta - want) <= 0.01:
        return right(f"β = ((√a − 1)/(√a + 1))² = {want:.3f} for a = {a:g}, with lr = {best_lr:.4g}: "
                     f"every coordinate then shrinks by √β = {kappa_factor:.3f} per step, against "
                     f"{(a - 1) / (a + 1):.3f} for gradient descent at its best lr.")
    if abs(beta - kappa_factor) <= 0.01:
        return wrong(f"{beta:g} is the factor per step at the best pair, (√a − 1)/(√a + 1). "
                     "The factor of a coordinate with complex eigenvalues is √β: what is β then?")
    if abs(beta - (a - 1) / (a + 1)) <= 0.01:
        return wrong(f"{beta:g} is (a − 1)/(a + 1), gradient descent's best factor. Momentum's depends on √a.")
    worst = momentum.momentum_factors(bowl, best_lr, beta).max()
    return wrong(f"with β = {beta:g} (and the best lr for it is close to {best_lr:.3g}) the worst coordinate "
                 f"shrinks by {worst:.3f} per step; the best β makes both coordinates' eigenvalues meet. "
                 "Try the condition number κ = a in ((√κ − 1)/(√κ + 1))².")


#: The gradient and lr of the Adam exercise: two coordinates whose gradients differ by 5 orders of magnitude.
ADAM_GRADIENT, ADAM_LR = np.array([0.004, -300.0]), 0.01


def adam_first_step(answer):
    """Return Feedback on Adam's first change ΔX = X_1 − X_0 for the gradient ADAM_GRADIENT and lr ADAM_LR."""
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return wrong(f"give the change of both coordinates, two numbers; got {answer!r}.")
    if answer is Ellipsis or got.shape != (2,) or not np.all(np.isfinite(got)):
        return wrong("give the change of both coordinates as two finite numbers, (Δx, Δy).")
    rule = Adam()
    want = rule.update(np.zeros(2), ADAM_GRADIENT, rule.start(np.zeros(2)), ADAM_LR)[0]
    if np.allclose(got, want, rtol=1e-3, atol=1e-6):
        return right(f"ΔX = {want.round(6)}: v̂ = g and ŝ = g² after one step, so each coordinate moves by "
                     "lr·g/(|g| + ε) ≈ lr against the sign of its gradient, however large or small it is.")
    if np.allclose(got, -ADAM_LR * ADAM_GRADIENT, rtol=1e-3):
        return wrong("that is gradient descent's step, −lr·g. Adam divides by the root of the running mean of g².")
    plain = Adam(bias_correction=False)
    if np.allclose(got, plain.update(np.zeros(2), ADAM_GRADIENT, plain.start(np.zeros(2)), ADAM_LR)[0], rtol=1e-3):
        return wrong("that is the step without bias correction: after one step v = (1 − β₁)·g is divided by 1 − β₁.")
    if np.allclose(got, -want, rtol=1e-3, atol=1e-6):
        return wrong("right size, wrong direction: Adam steps against the gradient.")
    return wrong(f"ΔX = {got} is not −lr·v̂/(√ŝ + ε). After one step, what are v̂ and ŝ in terms of g?")
