import numpy as np
import pytest

from nbkit import checks, gradcheck
from nbkit.objectives import (BOWL, REGIMES, SQUARE, Quadratic, RotatedBowl, directional_derivatives, elongated,
                             rotated)

from errors import message_of


def test_square_value_and_gradient():
    x = np.linspace(-5, 5, 11)
    np.testing.assert_array_equal(SQUARE.value(x), x**2)
    np.testing.assert_array_equal(SQUARE.gradient(x), 2 * x)


@pytest.mark.parametrize("x", [-1000.0, -3.0, -0.25, 0.0, 0.5, 7.0])
def test_square_gradient_matches_central_differences(x):
    # f''' = 0: no truncation, only the round-off of f and of x ± h (gradcheck.error_bound).
    check = gradcheck.check_gradient(SQUARE.value, SQUARE.gradient, x, h=1e-5)
    assert check.within(gradcheck.error_bound(1e-5, SQUARE.value(x), 0.0, x, check.numeric))


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


def test_the_regimes_named_are_the_keys_of_REGIMES_and_each_occurs():
    found = {SQUARE.regime(lr) for lr in np.linspace(0.01, 1.5, 150)} | {SQUARE.regime(0.5), SQUARE.regime(1.0)}
    assert found == set(REGIMES)


@pytest.mark.parametrize("a, lr, regime", [
    (10.0, 0.05, "monotone"),     # r = (0.9, 0): y lands in one step, x still shrinks
    (1.5, 0.5, "oscillating"),    # r = (0, −0.5): x lands in one step, y zig-zags
    (3.0, 0.5, "diverging"),      # r = (0, −2)
    (2.0, 0.5, "bouncing"),       # r = (0, −1)
    (1.0, 0.5, "one step"),       # r = (0, 0): both land
    (4.0, 0.2, "oscillating"),    # r = (0.6, −0.6)
    (4.0, 0.1, "monotone"),       # r = (0.8, 0.2)
])
def test_2d_regimes_with_one_zero_factor_and_the_worst_coordinate_deciding(a, lr, regime):
    assert elongated(a).regime(lr) == regime


@pytest.mark.parametrize("offset, regime", [(-1e-13, "bouncing"), (1e-13, "bouncing"), (-1e-10, "oscillating"),
                                            (1e-10, "diverging")])
def test_the_regime_tolerance_is_round_off_not_a_visible_difference(offset, regime):
    # r = 1 − 2·lr = −1 + offset·(−2): within 1e-12 of the edge it is the edge, beyond it is not
    assert SQUARE.regime(1.0 + offset) == regime


def test_value_of_one_point_and_of_several_points():
    bowl = elongated(3.0)
    assert bowl.value([2.0, -1.0]) == 4.0 + 3.0
    np.testing.assert_array_equal(bowl.value([[2.0, -1.0], [0.0, 2.0]]), [7.0, 12.0])
    assert SQUARE.value(-3.0) == 9.0 and SQUARE.gradient(-3.0) == -6.0
    np.testing.assert_array_equal(bowl.gradient([2.0, -1.0]), [4.0, -6.0])
    assert bowl.dim == 2 and SQUARE.dim == 1


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


# Notebook 02: the round and the elongated bowl.

A_VALUES = [1.0, 2.0, 3.5, 10.0, 20.0]
POINTS_2D = [(3.0, 4.0), (-1.5, 0.5), (0.0, -2.0), (0.5, 7.0), (-9.0, -9.0)]


@pytest.mark.parametrize("objective", [BOWL] + [elongated(a) for a in A_VALUES], ids=lambda o: f"c={o.c}")
@pytest.mark.parametrize("X", POINTS_2D)
def test_2d_gradients_match_central_differences(objective, X):
    check = gradcheck.check_gradient(objective.value, objective.gradient, X, h=1e-5)
    assert check.within(gradcheck.error_bound(1e-5, objective.value(np.array(X)), 0.0, X, check.numeric))


@pytest.mark.parametrize("a", A_VALUES)
def test_elongated_value_and_gradient_follow_the_formula(a):
    X = np.array(POINTS_2D)
    bowl = elongated(a)
    np.testing.assert_array_equal(bowl.value(X), X[:, 0] ** 2 + a * X[:, 1] ** 2)
    np.testing.assert_array_equal(bowl.gradient(X), np.stack([2 * X[:, 0], 2 * a * X[:, 1]], axis=1))


def test_round_bowl_is_the_elongated_bowl_with_a_1():
    assert elongated(1) == BOWL


@pytest.mark.parametrize("a", A_VALUES)
@pytest.mark.parametrize("lr", [0.01, 0.05, 0.3, 0.7])
def test_each_coordinate_of_the_2d_closed_form_is_its_own_1d_closed_form(a, lr):
    bowl = elongated(a)
    path = bowl.closed_form([-4.0, 2.5], lr, 30)
    assert path.shape == (31, 2)
    k = np.arange(31)
    np.testing.assert_allclose(path[:, 0], (1 - 2 * lr) ** k * -4.0, rtol=1e-12)
    np.testing.assert_allclose(path[:, 1], (1 - 2 * a * lr) ** k * 2.5, rtol=1e-12)


@pytest.mark.parametrize("a", A_VALUES)
def test_factors_and_stability_limit_of_the_elongated_bowl(a):
    bowl = elongated(a)
    np.testing.assert_allclose(bowl.factors(0.01), [1 - 0.02, 1 - 0.02 * a])
    assert bowl.stable_lr == pytest.approx(1 / a)
    assert bowl.regime(0.99 / a) in ("monotone", "oscillating")
    assert bowl.regime(1 / a) == "bouncing"
    assert bowl.regime(1.01 / a) == "diverging"


@pytest.mark.parametrize("X0", [[1.0, 2.0, 3.0], [1.0], 5.0, [[1.0, 2.0]]])
def test_2d_closed_form_refuses_a_start_that_is_not_a_2_vector(X0):
    with pytest.raises(ValueError, match="x0 must have shape"):
        elongated(3).closed_form(X0, 0.1, 5)


# Per-direction regimes and the general stability limit 2/λ_max.

@pytest.mark.parametrize("lr, x, y, whole", [
    (0.01, "monotone", "monotone", "monotone"), (0.05, "monotone", "one step", "monotone"),
    (0.06, "monotone", "oscillating", "oscillating"), (0.09, "monotone", "oscillating", "oscillating"),
    (0.1, "monotone", "bouncing", "bouncing"), (0.11, "monotone", "diverging", "diverging"),
    (0.5, "one step", "diverging", "diverging"), (0.55, "oscillating", "diverging", "diverging"),
])
def test_regime_per_coordinate_and_of_the_whole_run(lr, x, y, whole):
    bowl = elongated(10)
    assert bowl.regimes(lr) == (x, y)
    assert bowl.regime(lr) == whole


def test_one_step_needs_every_coordinate_at_zero():
    assert BOWL.regimes(0.5) == ("one step", "one step") and BOWL.regime(0.5) == "one step"
    assert elongated(2).regimes(0.25) == ("monotone", "one step") and elongated(2).regime(0.25) == "monotone"
    assert elongated(0.5).regimes(1.0) == ("bouncing", "one step") and elongated(0.5).regime(1.0) == "bouncing"


@pytest.mark.parametrize("a", [0.5, 1.0, 3.0, 10.0])
def test_curvatures_are_the_eigenvalues_of_the_central_difference_hessian(a):
    bowl = elongated(a)
    H = np.array([gradcheck.numerical_gradient(lambda X, i=i: bowl.gradient(X)[i], [0.3, -0.7]) for i in range(2)])
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(H)), np.sort(bowl.curvatures), rtol=1e-8)
    assert bowl.stable_lr == pytest.approx(2 / max(2.0, 2 * a))


def test_the_stability_limit_of_x2_plus_half_y2_is_1():
    bowl = elongated(0.5)
    assert bowl.stable_lr == pytest.approx(1.0)
    assert bowl.regime(0.999) == "oscillating" and bowl.regime(1.0) == "bouncing" and bowl.regime(1.001) == "diverging"


@pytest.mark.parametrize("a", [1.0, 4.0, 10.0])
@pytest.mark.parametrize("level", [0.5, 3.0])
def test_level_set_points_have_the_level(a, level):
    t = np.linspace(0, 2 * np.pi, 13)
    points = elongated(a).level_set(level, t)
    assert points.shape == (13, 2)
    np.testing.assert_allclose(elongated(a).value(points), level, rtol=1e-12)
    assert elongated(a).level_set(np.array([[1.0], [4.0]]), t).shape == (2, 13, 2)


# The rotated bowl: x² + a·y² turned by an angle.

ANGLES = [0.0, 30.0, 45.0, 120.0]


@pytest.mark.parametrize("a", [0.5, 4.0, 10.0])
@pytest.mark.parametrize("degrees", ANGLES)
def test_rotated_bowl_is_the_elongated_bowl_in_turned_coordinates(a, degrees):
    phi = np.radians(degrees)
    R = np.array([[np.cos(phi), -np.sin(phi)], [np.sin(phi), np.cos(phi)]])
    X = np.array(POINTS_2D)
    turned_back = X @ R  # row i is Rᵀ·Xᵢ: the point in the bowl's own axes
    np.testing.assert_allclose(rotated(a, degrees).value(X), elongated(a).value(turned_back), rtol=1e-12)


@pytest.mark.parametrize("degrees", ANGLES)
@pytest.mark.parametrize("X", POINTS_2D)
def test_rotated_gradient_matches_central_differences(degrees, X):
    bowl = rotated(10, degrees)
    assert gradcheck.check_gradient(bowl.value, bowl.gradient, X).ok(1e-7)


@pytest.mark.parametrize("degrees", ANGLES)
def test_rotated_curvatures_directions_and_limit(degrees):
    bowl = rotated(10, degrees)
    H = np.array([gradcheck.numerical_gradient(lambda X, i=i: bowl.gradient(X)[i], [1.0, 2.0]) for i in range(2)])
    np.testing.assert_allclose(np.linalg.eigvalsh(H), [2.0, 20.0], rtol=1e-8)
    np.testing.assert_allclose(bowl.curvatures, [2.0, 20.0], rtol=1e-12)
    steep = bowl.directions[:, 1]
    phi = np.radians(degrees)
    assert abs(steep @ [-np.sin(phi), np.cos(phi)]) == pytest.approx(1.0)  # the turned y axis
    assert bowl.stable_lr == pytest.approx(0.1)
    np.testing.assert_allclose(bowl.factors(0.09), [1 - 0.18, 1 - 1.8])
    assert bowl.regimes(0.09) == ("monotone", "oscillating")


@pytest.mark.parametrize("degrees", ANGLES)
@pytest.mark.parametrize("lr", [0.02, 0.06, 0.095])
def test_rotated_closed_form_is_the_repeated_step(degrees, lr):
    bowl = rotated(10, degrees)
    expected = [np.array([-6.0, 4.0])]
    for _ in range(30):
        expected.append(expected[-1] - lr * 2 * bowl.A @ expected[-1])
    np.testing.assert_allclose(bowl.closed_form([-6.0, 4.0], lr, 30), expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("A", [[[1.0, 2.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, -1.0]], [[1.0]], [[1.0, np.nan], [np.nan, 1.0]]])
def test_rotated_bowl_refuses_a_matrix_that_is_not_symmetric_positive_definite(A):
    with pytest.raises(ValueError, match="A must"):
        RotatedBowl(np.array(A))


def test_rotated_refuses_bad_arguments():
    with pytest.raises(ValueError, match="a must be a finite number > 0"):
        rotated(-1, 30)
    with pytest.raises((ValueError, TypeError), match="degrees"):
        rotated(2, "thirty")


def test_directional_derivatives_are_the_slopes_along_each_direction():
    bowl, X = elongated(4), np.array([1.5, -0.5])
    phi = np.linspace(0, 2 * np.pi, 25)
    slopes = directional_derivatives(bowl.gradient(X), phi)
    for p, s in zip(phi, slopes):
        u = np.array([np.cos(p), np.sin(p)])
        numeric = gradcheck.numerical_gradient(lambda t: bowl.value(X + t * u), 0.0)
        assert s == pytest.approx(float(numeric), rel=1e-7, abs=1e-9)
    g = bowl.gradient(X)
    assert np.max(slopes) <= np.linalg.norm(g) + 1e-12  # Cauchy–Schwarz
    assert directional_derivatives(g, np.arctan2(g[1], g[0])) == pytest.approx(np.linalg.norm(g))


def test_only_the_one_step_regime_claims_r_equal_to_0():
    # r = 0 is its own regime ("one step"); the monotone range must not claim it too.
    assert SQUARE.regime(0.5) == "one step" and "(r = 0)" in REGIMES["one step"]
    assert "(0 < r < 1)" in REGIMES["monotone"] and "≤" not in REGIMES["monotone"]
@pytest.mark.parametrize("c, name", [((-1.0,), "c[0]"), ((0.0, 1.0), "c[0]"), ((1.0, -2.0), "c[1]"), ((1.0, 0.0), "c[1]")])
def test_a_bad_coefficient_is_named_by_its_place_in_c(c, name):
    with pytest.raises(ValueError) as error:
        Quadratic(c)
    assert str(error.value).startswith(f"{name} must be a finite number > 0")


def test_an_empty_quadratic_is_refused_naming_c():
    with pytest.raises(ValueError) as error:
        Quadratic(())
    assert str(error.value).startswith("c must hold at least one coefficient")


def test_a_rotated_bowl_has_two_coordinates_and_is_drawn_like_any_2d_bowl():
    from matplotlib.figure import Figure

    from nbkit.plotting.descent import contours_2d

    bowl = rotated(10, 30)
    assert bowl.dim == 2
    contours = contours_2d(Figure().subplots(), bowl, (-3, 3), (-3, 3))
    assert len(contours.levels) > 0


def test_a_rotated_bowl_keeps_its_matrix_as_a_float_array():
    bowl = RotatedBowl([[2, 0], [0, 1]])
    assert isinstance(bowl.A, np.ndarray) and bowl.A.dtype == float and bowl.A.shape == (2, 2)


def test_regime_bands_are_closed_at_their_edges():
    """r within _TOL of −1 bounces and within _TOL of 0 is one step, the edges included; just beyond, not."""
    from nbkit.objectives import _TOL, regime_of
    assert [regime_of(r) for r in (-1 - _TOL, -1 + _TOL, -_TOL, _TOL)] == ["bouncing", "bouncing", "one step", "one step"]
    assert [regime_of(r) for r in (-1 - 2 * _TOL, -1 + 2 * _TOL, -2 * _TOL, 2 * _TOL)] == [
        "diverging", "oscillating", "oscillating", "monotone"]


def test_coefficients_are_kept_as_a_tuple_of_floats():
    q = Quadratic([1, 10])
    assert q.c == (1.0, 10.0) and type(q.c) is tuple and all(type(ci) is float for ci in q.c)
    assert hash(q) == hash(Quadratic((1.0, 10.0)))


def test_a_1d_quadratic_uses_its_own_coefficient():
    q = Quadratic((3.0,))
    assert q.value(2.0) == 12.0 and q.gradient(2.0) == 12.0 and q.value([1.0, -2.0]).tolist() == [3.0, 12.0]


def test_no_points_give_no_values():
    assert SQUARE.value([]).shape == (0,) and SQUARE.gradient([]).shape == (0,)
    assert BOWL.value(np.empty((0, 2))).shape == (0,)


@pytest.mark.parametrize("call, error, message", [
    (lambda: BOWL.value([1e200, 1e200]), checks.TooLarge,
     "X is too large: f(X) is beyond the largest float (about 1.8e308) at X = 1e+200"),
    (lambda: SQUARE.gradient(1e308), checks.TooLarge,
     "X is too large: ∇f(X) = 2·c·X is beyond the largest float (about 1.8e308) at X = 1e+308"),
    (lambda: BOWL.value(np.array([np.nan, 1.0])), ValueError,
     "X must contain only finite numbers (no NaN or inf); got array([nan,  1.])"),
    (lambda: SQUARE.closed_form(1.0, 0.1, checks.MAX_STEPS + 1), ValueError,
     f"steps must be an integer >= 0 and <= {checks.MAX_STEPS}; got {checks.MAX_STEPS + 1}"),
])
def test_objective_errors_name_what_went_wrong(call, error, message):
    assert message_of(call, error) == message


def test_level_set_of_unequal_coefficients_and_single_precision_input():
    q = Quadratic((4.0, 9.0))
    points = q.level_set(np.float32(2.0), np.linspace(0, 2 * np.pi, 7, dtype=np.float32))
    assert points.dtype == np.float64  # computed in float64: on the level set to double precision
    np.testing.assert_allclose(q.value(points), 2.0, rtol=1e-12)  # float32 inputs computed as such: ~1e-7 off
    np.testing.assert_allclose(points[0], [np.sqrt(2.0 / 4.0), 0.0], atol=1e-7)


def test_a_zero_coordinate_stays_zero_while_another_direction_overflows():
    """r^k overflows along y, but y0 = 0: y stays exactly 0, x follows r^k·x0, and no warning is raised."""
    import warnings
    bowl = elongated(100.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = bowl.closed_form([1.0, 0.0], 0.5, 300)
    assert np.all(path[:, 1] == 0.0)
    np.testing.assert_allclose(path[:, 0], 0.0 ** np.arange(301))  # r_x = 1 − 2·0.5 = 0


def test_too_many_steps_names_the_most_that_fit():
    with pytest.raises(checks.TooLarge) as raised:
        SQUARE.closed_form(1.0, 2.0, 1000)  # r = −3: |x_k| = 3^k
    limit = raised.value.limit
    assert np.isfinite(SQUARE.closed_form(1.0, 2.0, limit)).all()
    with pytest.raises(checks.TooLarge):
        SQUARE.closed_form(1.0, 2.0, limit + 1)
    assert limit == int(np.log(np.finfo(float).max) / np.log(3))
