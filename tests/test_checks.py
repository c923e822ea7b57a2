import math

import numpy as np
import pytest

from nbkit import checks

from errors import message_of


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


@pytest.mark.parametrize("call, error, message", [
    (lambda: checks.returned(None, "f(x)", shape=()), TypeError,
     "f(x) must return a finite number; it returned None (does it end with `return`?)"),
    (lambda: checks.returned(..., "f(x)"), TypeError, "f(x) must return finite numbers; it returned Ellipsis (the placeholder `...`)"),
    (lambda: checks.returned([1.0, 2.0, 3.0], "gradient(x)", shape=(2,)), ValueError,
     "gradient(x) must return finite numbers of shape (2,); it returned [1.0, 2.0, 3.0]"),
    (lambda: checks.returned(np.array([np.nan]), "f(x)"), ValueError, "f(x) must return finite numbers; it returned array([nan])"),
    (lambda: checks.returned("abc", "f(x)", shape=()), TypeError, "f(x) must return a finite number; it returned 'abc'"),
    (lambda: checks.finite_array(None, "x"), TypeError, "x must be a finite number or array of numbers; got None"),
    (lambda: checks.finite_array("1", "x"), TypeError, "x must be a finite number or array of numbers; got '1'"),
    (lambda: checks.finite_array(print, "x"), TypeError, "x must be a finite number or array of numbers; got <built-in function print>"),
    (lambda: checks.finite_array([[1.0], [2.0, 3.0]], "x"), TypeError,
     "x must be a finite number or array of numbers (a number, or nested lists of equal lengths); got [[1.0], [2.0, 3.0]]"),
    (lambda: checks.finite_array([1j], "x"), TypeError, "x must be a finite number or array of numbers, not complex; got [1j]"),
    (lambda: checks.finite_array(np.array([1j]), "x"), TypeError,
     "x must be a finite number or array of numbers, not complex; got array([0.+1.j])"),
    (lambda: checks.finite_array([1.0, np.inf], "x"), ValueError, "x must contain only finite numbers (no NaN or inf); got [1.0, inf]"),
    (lambda: checks.fraction("a", "beta"), TypeError, "beta must be a finite number in [0, 1); got 'a' of type str"),
    (lambda: checks.fraction(1.0, "beta"), ValueError, "beta must be a finite number in [0, 1); got 1.0"),
    (lambda: checks.fraction(-0.0001, "beta"), ValueError, "beta must be a finite number in [0, 1); got -0.0001"),
    (lambda: checks.number("a", "w"), TypeError, "w must be a finite number; got 'a' of type str"),
    (lambda: checks.number(np.array([1j, 2j]), "w"), TypeError, "w must be a finite number; got array([0.+1.j, 0.+2.j]) of type ndarray"),
    (lambda: checks.in_range(2.5, "steps", 1, 300, integer=True), TypeError,
     "steps must be an integer in the steps slider's range 1 … 300; got 2.5 of type float"),
    (lambda: checks.in_range("a", "lr", 0.01, 10), TypeError, "lr must be a number in the lr slider's range 0.01 … 10; got 'a' of type str"),
    (lambda: checks.in_range(20.0, "lr", 0.01, 10), ValueError, "lr must be a number in the lr slider's range 0.01 … 10; got 20.0"),
    (lambda: checks.one_of("sgd", "optimizer", ("gd", "momentum")), ValueError, "optimizer must be one of 'gd', 'momentum'; got 'sgd'"),
    (lambda: checks.one_of(3, "optimizer", ("gd", "momentum")), ValueError, "optimizer must be one of 'gd', 'momentum'; got 3"),
    (lambda: checks.function(3, "f"), TypeError, "f must be a function; got 3 of type int"),
    (lambda: checks.count(2.5, "steps"), TypeError, "steps must be an integer >= 0; got 2.5 of type float"),
    (lambda: checks.count(11, "steps", maximum=10), ValueError, "steps must be an integer >= 0 and <= 10; got 11"),
    (lambda: checks.count(-1, "steps"), ValueError, "steps must be an integer >= 0; got -1"),
    (lambda: checks.positive("a", "lr"), TypeError, "lr must be a finite number > 0; got 'a' of type str"),
])
def test_each_check_says_what_was_expected_and_what_it_got(call, error, message):
    assert message_of(call, error) == message


def test_an_objective_passed_for_its_gradient_is_named_as_such():
    from nbkit.objectives import elongated
    with pytest.raises(TypeError) as raised:
        checks.function(elongated(3), "gradient")
    assert str(raised.value) == ("gradient must be a function (an objective was passed: pass its gradient, "
                                 "e.g. gradient=objective.gradient); got Quadratic(c=(1.0, 3.0)) of type Quadratic")


def test_what_the_checks_return_at_their_edges():
    floats = np.array([1.0, 2.0])
    assert checks.returned(floats, "f(x)") is floats and checks.finite_array(floats, "x") is floats  # no copy
    ints = checks.finite_array(np.array([1, 2]), "x")
    assert ints.dtype == np.float64 and ints.tolist() == [1.0, 2.0]
    let_through = checks.returned([np.inf, np.nan], "f(x)", finite=False)
    assert let_through.dtype == np.float64 and np.isinf(let_through[0]) and np.isnan(let_through[1])
    assert type(checks.returned(2.0, "f(x)", shape=())) is np.float64
    assert type(checks.in_range(3, "steps", 1, 300, integer=True)) is int and type(checks.in_range(3, "lr", 1, 300)) is float
    assert checks.fraction(0.0, "beta") == 0.0 and checks.one_of("gd", "optimizer", ("gd", "momentum")) == "gd"
    assert checks.count(10, "steps", maximum=10) == 10 and checks.positive(5.0, "lr", maximum=5.0) == 5.0


@pytest.mark.parametrize("call, error, message", [
    (lambda: checks.positive(5.5, "lr", maximum=5), ValueError, "lr must be a finite number > 0 and <= 5; got 5.5"),
    (lambda: checks.number(np.array("a"), "w"), TypeError, "w must be a finite number; got array('a', dtype='<U1') of type ndarray"),
    (lambda: checks.number(np.array(True), "w"), TypeError, "w must be a finite number; got array(True) of type ndarray"),
    (lambda: checks.number(np.array(1j), "w"), TypeError, "w must be a finite number; got array(0.+1.j) of type ndarray"),
    (lambda: checks.finite_array(True, "x"), TypeError, "x must be a finite number or array of numbers; got True"),
    (lambda: checks.finite_array(np.bool_(False), "x"), TypeError, "x must be a finite number or array of numbers; got np.False_"),
    (lambda: checks.finite_array({1, 2}, "x"), TypeError, "x must be a finite number or array of numbers; got {1, 2}"),
    (lambda: checks.finite_array(["a", "b"], "x"), TypeError, "x must be a finite number or array of numbers; got ['a', 'b']"),
    (lambda: checks.returned(np.zeros(3), "gradient(x)", shape=(2,)), ValueError,
     "gradient(x) must return finite numbers of shape (2,); it returned array([0., 0., 0.])"),
])
def test_each_unusual_value_gets_the_message_of_its_kind(call, error, message):
    """0-d arrays, bools, sets and strings in a list: the branches only such values reach."""
    assert message_of(call, error) == message


def test_a_0d_array_of_a_real_number_is_a_number():
    assert checks.number(np.array(2.5), "w") == 2.5 and type(checks.number(np.array(2.5), "w")) is float
    assert checks.number(np.array(3), "w") == 3.0 and checks.number(np.array(3, dtype=np.int8), "w") == 3.0


def test_what_a_function_returned_comes_back_as_float64():
    """float32 and int answers are converted, empty ones allowed, a float64 array of the right shape kept."""
    single = checks.returned(np.array([0.1, 0.2], dtype=np.float32), "f(x)")
    assert single.dtype == np.float64 and single.tolist() == pytest.approx([0.1, 0.2], rel=1e-7)
    empty = checks.returned([], "f(x)")
    assert empty.dtype == np.float64 and empty.shape == (0,)
    ints = checks.returned([1, 2], "f(x)", finite=False)
    assert ints.dtype == np.float64 and ints.tolist() == [1.0, 2.0]
    right = np.zeros(2)
    assert checks.returned(right, "gradient(x)", shape=(2,)) is right
