import math

import numpy as np

from nbkit.exercises import optimizers as check


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
