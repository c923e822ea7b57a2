import numpy as np
import pytest

from nbkit import gradcheck


def test_numerical_gradient_of_a_cubic():
    f = lambda t: np.sum(t**3)
    theta = np.array([[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(gradcheck.numerical_gradient(f, theta), 3 * theta**2, rtol=1e-8)


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
