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
