import numpy as np
import pytest

from nbkit import gradcheck
from nbkit.objectives import BOWL, REGIMES, SQUARE, Quadratic, elongated


def test_square_value_and_gradient():
    x = np.linspace(-5, 5, 11)
    np.testing.assert_array_equal(SQUARE.value(x), x**2)
    np.testing.assert_array_equal(SQUARE.gradient(x), 2 * x)


@pytest.mark.parametrize("x", [-1000.0, -3.0, -0.25, 0.0, 0.5, 7.0])
def test_square_gradient_matches_central_differences(x):
    assert gradcheck.check_gradient(SQUARE.value, SQUARE.gradient, x).ok(1e-8)


@pytest.mark.parametrize("lr", np.concatenate([np.geomspace(1e-3, 0.49, 9), [0.5, 0.7, 0.99, 1.0, 1.2, 1.5]]))
def test_closed_form_is_the_repeated_factor(lr):
    path = SQUARE.closed_form(x0=3.0, lr=lr, steps=20)
    assert path.shape == (21,)
    expected = [3.0]
    for _ in range(20):
        expected.append(expected[-1] * (1 - 2 * lr))
    np.testing.assert_allclose(path, expected, rtol=1e-12)


@pytest.mark.parametrize("lr, regime", [(0.001, "monotone"), (0.1, "monotone"), (0.4999, "monotone"),
                                        (0.5, "one step"), (0.5001, "oscillating"), (0.7, "oscillating"),
                                        (0.9999, "oscillating"), (1.0, "bouncing"), (1.0001, "diverging"),
                                        (1.2, "diverging")])
def test_every_regime_of_the_square(lr, regime):
    assert SQUARE.regime(lr) == regime
    assert regime in REGIMES


def test_stable_lr_and_factors_follow_the_largest_coefficient():
    bowl = elongated(10)
    assert bowl.stable_lr == pytest.approx(0.1)
    np.testing.assert_allclose(bowl.factors(0.05), [0.9, 0.0])
    assert BOWL.stable_lr == 1.0


@pytest.mark.parametrize("a", [0, -1, float("nan"), float("inf"), "2"])
def test_elongated_refuses_bad_a(a):
    with pytest.raises((ValueError, TypeError), match="a must be a finite number > 0"):
        elongated(a)


def test_vector_objective_checks_the_last_axis():
    with pytest.raises(ValueError, match="last axis of length 2"):
        BOWL.value(np.zeros(3))


def test_quadratic_needs_a_coefficient():
    with pytest.raises(ValueError, match="at least one coefficient"):
        Quadratic(())
