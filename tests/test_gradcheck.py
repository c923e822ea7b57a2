import numpy as np
import pytest

from nbkit import gradcheck
from nbkit.gradcheck import MARGIN, error_bound


def test_numerical_gradient_of_a_cubic():
    # (θ + h)³ − (θ − h)³ = 6θ²h + 2h³: the central difference is 3θ² + h², a truncation h²·f'''/6 with f''' = 6.
    f = lambda t: np.sum(t**3)
    theta, h = np.array([[1.0, -2.0], [0.5, 3.0]]), 1e-5
    numeric = gradcheck.numerical_gradient(f, theta, h)
    assert np.all(np.abs(numeric - 3 * theta**2) <= error_bound(h, f(theta), 6.0, theta, 3 * theta**2))
    assert np.all(np.abs(numeric - (3 * theta**2 + h**2)) <= error_bound(h, f(theta), 0.0, theta, 3 * theta**2))


def test_check_gradient_tells_right_from_wrong():
    f = lambda t: np.sum(np.sin(t))
    theta = np.linspace(-2, 2, 7)
    assert gradcheck.check_gradient(f, np.cos, theta).ok()
    wrong = gradcheck.check_gradient(f, lambda t: np.cos(t) * 1.01, theta)
    assert not wrong.ok() and wrong.max_error > 1e-3


def test_relative_error_is_zero_for_equal_zeros_and_checks_shapes():
    assert gradcheck.relative_error(0.0, 0.0) == 0.0
    assert gradcheck.relative_error([1.0], [3.0])[0] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="same shape"):
        gradcheck.relative_error([1.0, 2.0], [1.0])


def test_bad_step_size_is_named():
    with pytest.raises(ValueError, match="h must be a finite number > 0"):
        gradcheck.numerical_gradient(np.sum, [1.0], h=0)
    with pytest.raises(ValueError, match="h must be a finite number > 0"):
        error_bound(-1e-5, 1.0)


# error_bound: each part alone, where it dominates, is what central differences really show.

def one_sided(f, theta, h):
    """Return the central difference of a function of one number at each theta (1-D)."""
    return np.array([gradcheck.numerical_gradient(lambda v: f(v[0]), [t], h)[0] for t in theta])


def test_the_truncation_part_is_the_error_where_it_dominates():
    theta, h = np.linspace(-3, 3, 13), 1e-2  # round-off ~1e-14 here, truncation ~1e-5
    error = np.abs(one_sided(np.sin, theta, h) - np.cos(theta))
    bound = error_bound(h, 1.0, third=np.cos(theta), theta=theta, gradient=np.cos(theta))
    # The analysis is sharp here (|sin'''| = |cos|): the error is the bound over MARGIN, within 10 %.
    assert np.all((0.9 * bound / MARGIN <= error) & (error <= 1.1 * bound / MARGIN))


def test_the_round_off_part_bounds_the_error_where_it_dominates():
    theta, h = np.linspace(-3, 3, 401), 1e-7  # truncation ~1e-15 here, round-off of f ≈ 1000 ~1e-6
    error = np.abs(one_sided(lambda t: np.sin(t) + 1000.0, theta, h) - np.cos(theta))
    bound = error_bound(h, 1001.0, third=1.0, theta=theta, gradient=np.cos(theta))
    assert np.all(error <= bound)
    assert error.max() >= bound.max() / MARGIN / 10  # within a factor 10 of the worst case seen


def test_the_step_part_bounds_the_error_of_a_rounded_step():
    # f(t) = 3(t − 1e8) near 1e8: t − 1e8 is exact, f is tiny, so the only error is θ ± h rounded to the
    # float grid at 1e8 (spacing 1.5e-8): up to 1.5e-8 / 2h relative.
    t0, h = 1e8, 1e-3
    error = abs(one_sided(lambda t: 3 * (t - t0), [t0], h)[0] - 3.0)
    assert error > 1e-6  # the rounding is real here
    assert error <= error_bound(h, 3 * h, 0.0, t0, 3.0)


def test_ok_uses_the_floor_only_for_components_near_zero():
    check = gradcheck.GradCheck(np.array([1.0, 1e-12]), np.array([1.0 + 1e-9, 3e-12]),
                                gradcheck.relative_error([1.0, 1e-12], [1.0 + 1e-9, 3e-12]))
    assert not check.ok() and check.ok(floor=2.5e-12) and not check.ok(floor=1.5e-12)
    assert not check.ok(tol=1e-10, floor=2.5e-12)  # the floor does not excuse the component of size 1
    assert check.max_abs_error == pytest.approx(1e-9, rel=1e-6)
    assert check.within([1.1e-9, 2.5e-12]) and not check.within([1.1e-9, 1.5e-12]) and not check.within(2.5e-12)


def test_mse_round_off_bounds_the_rounding_error_of_a_squared_error_that_cancels():
    # ŷ = e^a, rounded, close to y = 1: ℓ = (ŷ − y)² is tiny, but its rounding error comes from ŷ's.
    from decimal import Decimal, localcontext
    a = np.linspace(1e-9, 1e-7, 50)
    y_hat, y = np.exp(a), np.ones_like(a)
    with localcontext() as context:
        context.prec = 60
        exact = [float((Decimal(t).exp() - 1) ** 2) for t in a]
    error = np.abs((y_hat - y) ** 2 - exact)
    sizes = np.array([gradcheck.mse_round_off(p, q) for p, q in zip(y_hat, y)])
    assert np.all(error <= gradcheck.EPS * sizes)
    assert np.any(error > 10 * gradcheck.EPS * (y_hat - y) ** 2)  # ε·|ℓ| alone is far too small here
    assert gradcheck.mse_round_off([0.5, 1.0], [0.0, 1.0]) == pytest.approx((0.25 + 2 * 0.5 * 0.5) / 2)


def test_max_error_is_the_largest_error_not_the_mean():
    error = np.array([[1e-9, 3e-4], [1e-10, 1e-9]])
    check = gradcheck.GradCheck(np.zeros((2, 2)), np.zeros((2, 2)), error)
    assert check.max_error == 3e-4
    assert not check.ok(1e-4) and check.ok(4e-4)


def test_ok_is_strictly_below_the_tolerance():
    check = gradcheck.GradCheck(np.zeros(2), np.zeros(2), np.array([1e-6, 0.0]))
    assert not check.ok(1e-6) and check.ok(1.0000001e-6)
    assert gradcheck.GradCheck(np.zeros(1), np.zeros(1), np.array([9.9e-7])).ok()  # the default tolerance is 1e-6
    assert not gradcheck.GradCheck(np.zeros(1), np.zeros(1), np.array([1.1e-6])).ok()


def test_relative_error_formula_and_its_floor():
    np.testing.assert_allclose(gradcheck.relative_error([2.0, -1.0], [1.0, 1.0]), [1 / 3, 1.0])
    assert gradcheck.relative_error(3e-13, 0.0) == pytest.approx(0.3)  # |a − n| / floor
    assert gradcheck.relative_error(3e-13, 0.0, floor=1e-15) == pytest.approx(1.0)
    assert gradcheck.relative_error(1e-12, 1e-12) == 0.0


def test_numerical_gradient_uses_central_differences_with_step_h():
    # for t³ the central difference is 3t² + h² exactly: the step and its centring both show
    f = lambda t: float(np.sum(t**3))
    for h in (1e-2, 1e-1):
        got = gradcheck.numerical_gradient(f, np.array([2.0, -1.0]), h=h)
        np.testing.assert_allclose(got, [12.0 + h**2, 3.0 + h**2], rtol=1e-9)
    assert gradcheck.numerical_gradient(f, np.array([2.0]))[0] == pytest.approx(12.0, rel=1e-9)  # h = 1e-5


def test_check_gradient_keeps_analytic_numeric_and_their_error():
    f = lambda t: float(np.sum(t**2))
    check = gradcheck.check_gradient(f, lambda t: 3 * t, np.array([1.0, -2.0]))
    np.testing.assert_allclose(check.analytic, [3.0, -6.0])
    np.testing.assert_allclose(check.numeric, [2.0, -4.0], rtol=1e-8)
    np.testing.assert_allclose(check.error, [0.2, 0.2], rtol=1e-8)


def test_ok_accepts_a_difference_exactly_at_the_floor():
    check = gradcheck.GradCheck(np.array([0.0, 1.0]), np.array([0.25, 1.0]), np.array([1.0, 0.0]))
    assert check.ok(floor=0.25)  # |analytic − numeric| = 0.25 ≤ floor
    assert not check.ok(floor=0.125)


def test_h_too_small_is_judged_on_theta_plus_h_and_names_the_smallest_such_theta():
    # Just above 2**53 the floats are 2 apart, just below 1 apart: 2**53 + 0.6 rounds back to 2**53,
    # 2**53 − 0.6 does not. The message names the smallest |θ| where θ + h == θ.
    with pytest.raises(ValueError, match=r"^h is too small for theta: theta \+ h equals theta where \|theta\| >= 9.01e\+15; got h = 0.6$"):
        gradcheck.numerical_gradient(lambda t: float(np.sum(t)), [2.0**53, 1e30], h=0.6)


def test_a_difference_beyond_the_float_range_is_named_without_a_warning():
    with pytest.raises(gradcheck.checks.TooLarge, match="^the central differences of f at theta are beyond the float range for h = 1e-05$"):
        gradcheck.numerical_gradient(lambda t: 1.5e308 * np.sign(t[0]), [0.0])  # f(h) − f(−h) = 3e308: overflow


def test_the_error_bound_adds_truncation_round_off_and_the_rounded_step():
    h, loss, third, theta, g = 1e-3, 2.0, 6.0, 4.0, 0.5
    eps = np.finfo(float).eps
    want = 10 * (h**2 * third / 6 + eps * loss / h + eps * theta * g / (2 * h))  # MARGIN = 10, by hand
    assert gradcheck.error_bound(h, loss, third, theta, g) == pytest.approx(want, rel=1e-14)
    assert gradcheck.error_bound(h, 0.0, 0.0, theta, g) == pytest.approx(10 * eps * theta * g / (2 * h), rel=1e-14)


def test_relative_error_of_no_components_is_empty_and_bad_components_are_named():
    assert gradcheck.relative_error([], []).shape == (0,)
    with pytest.raises(ValueError, match="^numeric must"):
        gradcheck.relative_error([1.0], [np.nan])
    with pytest.raises(ValueError, match="^analytic must"):
        gradcheck.relative_error([np.inf], [1.0])


def test_check_gradient_names_theta_and_gradient():
    with pytest.raises(ValueError, match="^theta must"):
        gradcheck.check_gradient(lambda t: 0.0, lambda t: t, [np.nan])
    with pytest.raises(TypeError, match="^gradient must"):
        gradcheck.check_gradient(lambda t: 0.0, "not a function", [1.0])
