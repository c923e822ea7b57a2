import math

import numpy as np

from nbkit import momentum
from nbkit.exercises import optimizers as check
from nbkit.objectives import elongated


def test_momentum_step_accepts_the_update_and_explains_common_slips():
    assert check.momentum_step(lambda x, v, g, lr, beta: (x - lr * (beta * v + g), beta * v + g)).correct
    old_v = check.momentum_step(lambda x, v, g, lr, beta: (x - lr * v, beta * v + g))
    assert not old_v.correct and "old v" in old_v.message
    mean = check.momentum_step(lambda x, v, g, lr, beta: (x - lr * (beta * v + (1 - beta) * g), beta * v + (1 - beta) * g))
    assert not mean.correct and "running mean" in mean.message
    uphill = check.momentum_step(lambda x, v, g, lr, beta: (x + lr * (beta * v + g), beta * v + g))
    assert not uphill.correct and "uphill" in uphill.message
    no_beta = check.momentum_step(lambda x, v, g, lr, beta: (x - lr * (v + g), v + g))
    assert not no_beta.correct and "β" in no_beta.message
    assert "placeholder" in check.momentum_step(lambda x, v, g, lr, beta: ...).message
    assert "two numbers" in check.momentum_step(lambda x, v, g, lr, beta: x).message


def test_best_beta_for_a_100():
    want = ((10 - 1) / (10 + 1)) ** 2  # (√a − 1)/(√a + 1) squared, for a = 100
    assert check.best_beta(round(want, 3)).correct
    assert not check.best_beta(want + 0.02).correct
    assert "√β" in check.best_beta(9 / 11).message
    assert "gradient descent" in check.best_beta(99 / 101).message
    assert "[0, 1)" in check.best_beta(1.0).message
    assert not check.best_beta(0.9).correct and "per step" in check.best_beta(0.9).message
    assert "in place of" in check.best_beta(...).message


def test_adam_first_step():
    lr, g = check.ADAM_LR, check.ADAM_GRADIENT
    exact = -lr * g / (np.abs(g) + 1e-8)
    assert check.adam_first_step(exact).correct
    assert check.adam_first_step(-lr * np.sign(g)).correct  # the same to 1e-6 relative
    assert "gradient descent" in check.adam_first_step(-lr * g).message
    assert "bias correction" in check.adam_first_step(-lr * np.sign(g) * 0.1 / math.sqrt(0.001)).message
    assert "direction" in check.adam_first_step(lr * np.sign(g)).message
    assert not check.adam_first_step([0.01, 0.01]).correct
    assert "two" in check.adam_first_step(...).message and "two" in check.adam_first_step("x").message


def step_hint(answer):
    """Return what momentum_step says of step(3.0, 0.0, 6.0, 0.1, 0.9) = answer (its first trial)."""
    x_new, v_new = answer(3.0, 0.0, 6.0, 0.1, 0.9)
    return check.momentum_step(answer).message.removeprefix(f"step(3.0, 0.0, 6.0, 0.1, 0.9) = ({x_new:g}, {v_new:g}): ")


def test_momentum_step_says_what_is_wrong_in_words():
    assert check.momentum_step(lambda x, v, g, lr, beta: (x - lr * (beta * v + g), beta * v + g)).message == (
        "v_new = β·v + g, then x_new = x − lr·v_new: the velocity remembers past gradients with weight β, "
        "and the step uses the velocity just updated.")
    assert step_hint(lambda x, v, g, lr, beta: (x - lr * v, beta * v + g)) == (
        "v_new is right, but x moved with the old v; step with the velocity just updated.")
    assert step_hint(lambda x, v, g, lr, beta: (x + lr * (beta * v + g), beta * v + g)) == (
        "v_new is right, but x moves uphill; the step goes against the velocity.")
    assert step_hint(lambda x, v, g, lr, beta: (x + 1.0, beta * v + g)) == "v_new is right; check x_new."
    assert step_hint(lambda x, v, g, lr, beta: (x, beta * v + (1 - beta) * g)) == (
        "that v is a running mean, (1 − β)·g; here the gradient is added in full, v ← β·v + g.")
    assert step_hint(lambda x, v, g, lr, beta: (x, v + g + 1)) == "v_new should be β·v + g."
    # v + g equals β·v + g on the first trial (v = 0): the slip shows on the second, v = 1.5, β = 0.5.
    assert check.momentum_step(lambda x, v, g, lr, beta: (x - lr * (v + g), v + g)).message == (
        "step(-2.0, 1.5, -4.0, 0.05, 0.5) = (-1.875, -2.5): v_new should forget the past a little: "
        "multiply the old v by β.")
    assert check.momentum_step(lambda x, v, g, lr, beta: x).message == (
        "step(3.0, 0.0, 6.0, 0.1, 0.9) returned 3.0; return two numbers, (x_new, v_new).")


def test_best_beta_says_what_a_value_is():
    a, best_lr = 100.0, 2 / (10 + 1) ** 2  # lr = 2/(√max(c) + √min(c))² for c = (1, 100)
    want = ((10 - 1) / (10 + 1)) ** 2
    assert check.best_beta(want).message == (
        f"β = ((√a − 1)/(√a + 1))² = {want:.3f} for a = 100, with lr = {best_lr:.4g}: every coordinate then "
        f"shrinks by √β = {9 / 11:.3f} per step, against {99 / 101:.3f} for gradient descent at its best lr.")
    assert check.best_beta(9 / 11).message == (
        f"{9 / 11:g} is the factor per step at the best pair, (√a − 1)/(√a + 1). "
        "The factor of a coordinate with complex eigenvalues is √β: what is β then?")
    assert check.best_beta(99 / 101).message == (
        f"{99 / 101:g} is (a − 1)/(a + 1), gradient descent's best factor. Momentum's depends on √a.")
    for beta in (1.0, -0.1):
        assert check.best_beta(beta).message == (
            f"β = {beta:g} is outside [0, 1): the velocity would never forget, or would flip sign.")
    worst = momentum.momentum_factors(elongated(a), best_lr, 0.5).max()
    assert check.best_beta(0.5).message == (
        f"with β = 0.5 (and the best lr for it is close to {best_lr:.3g}) the worst coordinate shrinks by "
        f"{worst:.3f} per step; the best β makes both coordinates' eigenvalues meet. "
        "Try the condition number κ = a in ((√κ − 1)/(√κ + 1))².")
    assert check.best_beta(...).message == "set beta to a number in place of `...`."
    assert check.best_beta(want + 0.009).correct and not check.best_beta(want + 0.011).correct


def test_adam_first_step_says_what_a_step_is():
    lr, g = check.ADAM_LR, check.ADAM_GRADIENT
    want = -lr * g / (np.abs(g) + 1e-8)
    assert check.adam_first_step(want).message == (
        f"ΔX = {want.round(6)}: v̂ = g and ŝ = g² after one step, so each coordinate moves by "
        "lr·g/(|g| + ε) ≈ lr against the sign of its gradient, however large or small it is.")
    assert check.adam_first_step(-lr * g).message == (
        "that is gradient descent's step, −lr·g. Adam divides by the root of the running mean of g².")
    beta1, beta2 = 0.9, 0.999  # without bias correction: v = (1 − β₁)·g over √s = √(1 − β₂)·|g|
    no_correction = -lr * (1 - beta1) * g / (np.sqrt(1 - beta2) * np.abs(g) + 1e-8)
    assert check.adam_first_step(no_correction).message == (
        "that is the step without bias correction: after one step v = (1 − β₁)·g is divided by 1 − β₁.")
    assert check.adam_first_step(-want).message == "right size, wrong direction: Adam steps against the gradient."
    got = np.array([0.01, 0.01])
    assert check.adam_first_step(got).message == (
        f"ΔX = {got} is not −lr·v̂/(√ŝ + ε). After one step, what are v̂ and ŝ in terms of g?")
    assert check.adam_first_step("x").message == "give the change of both coordinates, two numbers; got 'x'."
    assert check.adam_first_step(...).message == "give the change of both coordinates, two numbers; got Ellipsis."
    for answer in ([1.0], [np.nan, 0.0]):
        assert check.adam_first_step(answer).message == (
            "give the change of both coordinates as two finite numbers, (Δx, Δy).")


def stepper(dx=0.0, dv=0.0, rx=0.0, rv=0.0):
    """A momentum step that is right but for an absolute error dx, dv or a relative one rx, rv."""
    def step(x, v, g, lr, beta):
        v_new = beta * v + g
        return (x - lr * v_new) * (1 + rx) + dx, v_new * (1 + rv) + dv
    return step


def test_momentum_step_forgives_round_off_and_nothing_more():
    # Another order of the same operations is off by a few ε: within 1e-12, absolute for numbers below 1
    # (the trials give x_new = 0.3 and v_new = 0.96), relative above. A relative 1e-10 is a slip.
    assert check.momentum_step(stepper(dx=9.8e-13, dv=9.8e-13)).correct
    assert not check.momentum_step(stepper(rx=1e-10)).correct
    assert not check.momentum_step(stepper(rv=1e-10)).correct
    assert check.momentum_step(stepper(dv=0.5)).message.endswith("v_new should be β·v + g.")


def test_momentum_step_hints_name_the_slip_in_x_when_v_is_right_to_round_off():
    def slip(x_of, v_error):  # the velocity right but for v_error, x computed the slipped way
        def step(x, v, g, lr, beta):
            v_new = beta * v + g
            return x_of(x, v, v_new, lr), v_new + v_error
        return step
    old_v = slip(lambda x, v, v_new, lr: x - lr * v, 9.8e-13)
    assert "x moved with the old v" in check.momentum_step(old_v).message
    uphill = slip(lambda x, v, v_new, lr: x + lr * v_new, 9.8e-13)
    assert "x moves uphill" in check.momentum_step(uphill).message


def test_best_beta_hints_near_the_factors_it_names():
    assert "gradient descent" in check.best_beta(99 / 101 + 0.0095).message  # (a − 1)/(a + 1) to 0.01
    assert "√β" in check.best_beta(9 / 11 - 0.0095).message                # (√a − 1)/(√a + 1) to 0.01
    beta0 = check.best_beta(0.0)                                             # β = 0 is allowed: plain descent
    assert not beta0.correct and "outside" not in beta0.message and "per step" in beta0.message


def test_adam_first_step_forgives_a_thousandth_and_names_near_misses():
    lr, g = check.ADAM_LR, check.ADAM_GRADIENT
    exact = -lr * g / (np.abs(g) + 1e-8)
    assert check.adam_first_step(exact + 1.05e-5 * np.sign(exact)).correct      # within 1e-6 + 1e-3·|ΔX|
    assert not check.adam_first_step(exact * 1.005).correct
    assert "gradient descent" in check.adam_first_step(-lr * g * (1 + 5e-4)).message
    assert "gradient descent" not in check.adam_first_step(-lr * g * 1.5).message
    assert "direction" in check.adam_first_step(-exact + 1.05e-5 * np.sign(-exact)).message
    assert "direction" not in check.adam_first_step(-exact * 1.5).message
