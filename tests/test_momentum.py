import itertools

import numpy as np
import pytest

from nbkit import momentum
from nbkit.objectives import elongated
from nbkit.optimizers import GradientDescent, Momentum, run

CASES = [(10.0, 0.05, 0.9), (10.0, 0.02, 0.5), (3.0, 0.2, 0.1), (50.0, 0.01, 0.8), (100.0, 0.005, 0.3),
         (10.0, 0.15, 0.6), (1.0, 0.4, 0.2), (20.0, 0.04, 0.95)]


@pytest.mark.parametrize("lr, beta, c", [(0.1, 0.9, 1.0), (0.03, 0.5, 10.0), (0.5, 0.0, 3.0)])
def test_the_matrix_is_one_momentum_step(lr, beta, c):
    M = momentum.momentum_matrix(lr, beta, c)
    x, v = 2.5, -0.7
    v_new = beta * v + 2 * c * x      # the update equations, written out
    x_new = x - lr * v_new
    np.testing.assert_allclose(M @ [x, v], [x_new, v_new], rtol=1e-14)
    np.testing.assert_allclose(np.trace(M), 1 + beta - 2 * lr * c, rtol=1e-14)
    np.testing.assert_allclose(np.linalg.det(M), beta, atol=1e-12)


@pytest.mark.parametrize("a, lr, beta", CASES)
def test_measured_factor_per_step_is_the_eigenvalue_analysis(a, lr, beta):
    bowl = elongated(a)
    path = run(Momentum(beta), bowl, [-9.0, 6.0], lr, 600).path
    predicted = momentum.momentum_factors(bowl, lr, beta)
    # The windowed measure is within 3e-3 of the eigenvalues on these runs; 2e-2 leaves a factor 10 of margin.
    for i in range(2):
        assert momentum.measured_factor(path[:, i]) == pytest.approx(predicted[i], rel=2e-2)
    assert momentum.measured_factor(path) == pytest.approx(predicted.max(), rel=2e-2)


def test_complex_eigenvalues_give_the_factor_sqrt_beta():
    for lr, beta, c in [(0.05, 0.9, 10.0), (0.1, 0.5, 3.0), (0.01, 0.99, 1.0)]:
        assert (1 + beta - 2 * lr * c) ** 2 < 4 * beta  # the discriminant is negative
        assert momentum.momentum_factor(lr, beta, c) == pytest.approx(np.sqrt(beta), rel=1e-12)


def test_real_eigenvalues_give_the_larger_root():
    lr, beta, c = 0.001, 0.5, 1.0
    t = 1 + beta - 2 * lr * c
    root = (t + np.sqrt(t * t - 4 * beta)) / 2
    assert momentum.momentum_factor(lr, beta, c) == pytest.approx(root, rel=1e-12)


@pytest.mark.parametrize("a, beta", [(10.0, 0.0), (10.0, 0.5), (4.0, 0.9), (30.0, 0.3)])
def test_the_stability_boundary_is_lr_equal_to_one_plus_beta_over_a(a, beta):
    bowl = elongated(a)
    edge = momentum.stable_lr(bowl, beta)
    assert edge == pytest.approx((1 + beta) / a, rel=1e-15)
    assert momentum.momentum_factors(bowl, edge * 0.99, beta).max() < 1
    assert momentum.momentum_factors(bowl, edge * 1.01, beta).max() > 1
    assert momentum.momentum_factors(bowl, edge, beta).max() == pytest.approx(1.0, abs=1e-9)
    below = run(Momentum(beta), bowl, [-9.0, 6.0], edge * 0.99, 3000)
    above = run(Momentum(beta), bowl, [-9.0, 6.0], edge * 1.01, 3000)
    assert below.diverged_at is None and np.linalg.norm(below.path[-1]) < 1e-3
    assert above.diverged_at is not None


@pytest.mark.parametrize("a", [2.0, 10.0, 100.0, 1000.0])
def test_the_best_pair_gives_sqrt_kappa_factor_and_no_grid_pair_does_better(a):
    bowl = elongated(a)
    lr, beta = momentum.best_momentum(bowl)
    want = (np.sqrt(a) - 1) / (np.sqrt(a) + 1)
    assert beta == pytest.approx(want**2, rel=1e-12)
    np.testing.assert_allclose(momentum.momentum_factors(bowl, lr, beta), want, rtol=1e-6)
    lrs, betas = np.meshgrid(np.linspace(0.05, 2.5, 120) * lr, np.linspace(0, 0.999, 120))
    worst = np.maximum(momentum.momentum_factor(lrs, betas, 1.0), momentum.momentum_factor(lrs, betas, a))
    assert worst.min() >= want - 1e-6
    gd = momentum.best_gradient_descent(bowl)
    assert gd == pytest.approx(1 / (1 + a))
    assert np.abs(bowl.factors(gd)).max() == pytest.approx((a - 1) / (a + 1), rel=1e-12)
    assert want < (a - 1) / (a + 1)


def test_the_best_pair_reaches_the_minimum_in_about_sqrt_a_times_fewer_steps():
    from nbkit.descent import first_below
    for a in (10.0, 100.0):
        bowl = elongated(a)
        heavy = first_below(run(Momentum(momentum.best_momentum(bowl)[1]), bowl, [1.0, 1.0],
                                momentum.best_momentum(bowl)[0], 5000).path)
        plain = first_below(run(GradientDescent(), bowl, [1.0, 1.0], momentum.best_gradient_descent(bowl), 5000).path)
        assert heavy < plain / np.sqrt(a) * 2 and heavy > plain / np.sqrt(a) / 2


def test_factor_broadcasts_over_a_grid():
    lrs, betas = np.meshgrid(np.linspace(0.001, 0.3, 7), np.linspace(0, 0.95, 5))
    grid = momentum.momentum_factor(lrs, betas, 10.0)
    assert grid.shape == (5, 7)
    for (i, j) in itertools.product(range(5), range(7)):
        assert grid[i, j] == momentum.momentum_factor(lrs[i, j], betas[i, j], 10.0)


def test_measured_factor_needs_a_path_that_is_not_zero():
    with pytest.raises(ValueError, match="path must have enough"):
        momentum.measured_factor(np.zeros(10))


@pytest.mark.parametrize("args, name", [((0.1, 1.0, 1.0), "beta"), ((0.1, -0.2, 1.0), "beta"), ((-0.1, 0.5, 1.0), "lr"),
                                        ((0.0, 0.5, 1.0), "lr"), ((0.1, 0.5, 0.0), "c"), ((np.nan, 0.5, 1.0), "lr")])
def test_bad_inputs_are_named(args, name):
    with pytest.raises(ValueError, match=f"^{name} must"):
        momentum.momentum_factor(*args)


def test_stable_lr_checks_beta():
    with pytest.raises(ValueError, match="^beta must be a finite number in"):
        momentum.stable_lr(elongated(10.0), 1.0)


def factor_by_hand(norms, tail=0.5):
    """measured_factor's docstring, step by step on a list of ‖X_k‖: the windows and the ratio."""
    norms = list(norms)
    last = max(k for k, m in enumerate(norms) if m >= 1e-250 * norms[0])  # cut after the last ‖X‖ above 1e-250·‖X0‖
    norms = norms[:last + 1]
    norms = norms[int(len(norms) * (1 - tail)):]                        # the path's last `tail`
    w = max(len(norms) // 10, 1)                                        # a tenth of it, at least one step
    return (max(norms[-w:]) / max(norms[:w])) ** (1 / (len(norms) - w))


def wobbly(k):
    """A decay whose ratio changes from step to step, so that any other window gives another factor."""
    return 0.9**k * (1.5 + np.sin(1.7 * k))


@pytest.mark.parametrize("norms", [
    wobbly(np.arange(200.0)),                           # windows of 10 steps
    wobbly(np.arange(24.0)),                            # 12 points kept: windows of one step
    np.r_[wobbly(np.arange(60.0)), np.zeros(7)],       # landed exactly on the minimum: the zeros are cut
    np.r_[1e20, 10.0 ** -np.arange(1.0, 251.0) * (1.5 + np.sin(np.arange(250.0)))],  # cut at 1e-250·‖X0‖ = 1e-230
], ids=["long", "short", "zeros", "underflow"])
def test_measured_factor_takes_the_windows_its_docstring_names(norms):
    assert momentum.measured_factor(norms) == pytest.approx(factor_by_hand(norms), rel=1e-12)
    assert momentum.measured_factor(-norms) == pytest.approx(factor_by_hand(norms), rel=1e-12)  # |x| of a 1-D path


def test_measured_factor_of_a_2d_path_uses_the_length_of_x():
    k = np.arange(120.0)
    spiral = np.column_stack([np.cos(0.7 * k), np.sin(0.7 * k)]) * wobbly(k)[:, None]  # ‖X_k‖ = wobbly(k), coordinates turn
    assert momentum.measured_factor(spiral) == pytest.approx(factor_by_hand(wobbly(k)), rel=1e-12)


def test_measured_factor_needs_three_points_after_the_cut():
    assert momentum.measured_factor(wobbly(np.arange(6.0))) == pytest.approx(factor_by_hand(wobbly(np.arange(6.0))), rel=1e-12)
    with pytest.raises(ValueError, match="^path must have enough nonzero points to measure a factor; got 2$"):
        momentum.measured_factor(wobbly(np.arange(4.0)))
