import math

import numpy as np
import pytest

from nbkit import checks


@pytest.mark.parametrize("value", [1e-9, 0.1, 3, np.float32(0.5)])
def test_positive_accepts_finite_positive_numbers(value):
    assert checks.positive(value, "lr") == pytest.approx(float(value))


@pytest.mark.parametrize("value, error", [(0, ValueError), (-0.1, ValueError), (math.nan, ValueError),
                                          (math.inf, ValueError), ("0.1", TypeError), (None, TypeError),
                                          (True, TypeError)])
def test_positive_refuses_with_the_parameter_name_and_range(value, error):
    with pytest.raises(error, match=r"lr must be a finite number > 0"):
        checks.positive(value, "lr")


@pytest.mark.parametrize("value, error", [(-1, ValueError), (2.0, TypeError), ("3", TypeError), (False, TypeError)])
def test_count_refuses_negatives_and_non_integers(value, error):
    with pytest.raises(error, match=r"steps must be an integer >= 0"):
        checks.count(value, "steps")


def test_count_accepts_numpy_integers():
    assert checks.count(np.int64(7), "steps") == 7


@pytest.mark.parametrize("value, match", [([1.0, np.nan], "X must contain only finite numbers"),
                                          ("abc", "X must be a finite number or array"),
                                          (None, "X must be a finite number or array"),
                                          ([], "X must not be empty")])
def test_finite_array_names_the_problem(value, match):
    with pytest.raises((ValueError, TypeError), match=match):
        checks.finite_array(value, "X")


def test_finite_array_checks_shape():
    assert checks.finite_array(np.zeros((4, 3)), "X", shape=(None, 3)).shape == (4, 3)
    with pytest.raises(ValueError, match=r"X must have shape \(n, 3\); got shape \(4, 2\)"):
        checks.finite_array(np.zeros((4, 2)), "X", shape=(None, 3))


@pytest.mark.parametrize("length", [79, 80, 81, 200])
def test_a_value_in_a_message_is_cut_to_80_characters_with_an_ellipsis(length):
    value = "x" * (length - 2)  # its repr has two quotes more
    with pytest.raises(TypeError) as error:
        checks.index(value, "i", 3)
    got = str(error.value).removeprefix("i must be an integer from 0 to 2; got ").removesuffix(" of type str")
    assert got == (repr(value) if length <= 80 else repr(value)[:77] + "...")
