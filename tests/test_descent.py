import math
import warnings

import numpy as np
import pytest

from nbkit.descent import STATUSES, Run, classify, first_below, gradient_descent, turns_back, steps_to_reach
from nbkit.objectives import BOWL, SQUARE, elongated, rotated

from errors import message_of


def test_the_seeds_numbers():
    run = gradient_descent(SQUARE.gradient, 1000.0, 0.1, 100)
    assert run.path.shape == (101,)
    assert run.path[-1] == pytest.approx(2.0370e-7, rel=1e-4)
    assert SQUARE.value(run.path[-1]) == pytest.approx(4.1495e-14, rel=1e-4)
    assert f"{run.path[-1]:.3g}" == "2.04e-07" and f"{SQUARE.value(run.path[-1]):.3g}" == "4.15e-14"


def test_without_a_learning_rate_x_bounces_between_x0_and_minus_x0():
    run = gradient_descent(SQUARE.gradient, 1000.0, 1.0, 7)
    np.testing.assert_array_equal(run.path, 1000.0 * (-1.0) ** np.arange(8))
    assert run.status == "edge"


@pytest.mark.parametrize("lr", np.concatenate([np.geomspace(1e-3, 0.99, 15), [1.0]]))
def test_runner_matches_the_closed_form(lr):
    run = gradient_descent(SQUARE.gradient, -7.5, lr, 60)
    np.testing.assert_allclose(run.path, SQUARE.closed_form(-7.5, lr, 60), rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize("lr, status", [(0.05, "converging"), (0.3, "converging"), (0.5, "converging"),
                                        (0.6, "oscillating"), (0.95, "oscillating"), (1.0, "edge"),
                                        (1.0005, "diverged"), (1.2, "diverged")])

def test_every_regime_is_classified(lr, status):
    run = gradient_descent(SQUARE.gradient, 5.0, lr, 100)
    assert run.status == status
    assert run.status in STATUSES
    assert run.converges == (status in ("converging", "oscillating"))


def test_divergence_stops_cleanly_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = gradient_descent(SQUARE.gradient, 1000.0, 1.5, 10_000)
    assert run.status == "diverged"
    assert run.diverged_at == len(run.path)
    assert np.all(np.isfinite(run.path))
    assert np.all(np.abs(run.path) <= 1e3 * 1000.0)
    # The step it left the bound: 1000·2^k > 1e6 first at k = 10.
    assert run.diverged_at == 10
    assert run.describe() == "diverged at step 10"


def test_slow_divergence_inside_the_bound_is_still_diverging():
    run = gradient_descent(SQUARE.gradient, 1.0, 1.001, 50)
    assert run.status == "diverged" and run.diverged_at is None
    assert run.describe().startswith("diverging")


def test_a_non_finite_gradient_stops_the_run():
    run = gradient_descent(lambda x: np.array(np.nan) if x < 0.5 else 2 * x, 1.0, 0.3, 10)
    assert run.status == "diverged" and run.diverged_at == 2
    assert np.all(np.isfinite(run.path))


def test_vector_runs_keep_the_shape():
    run = gradient_descent(lambda x: 2 * x, np.array([1.0, -2.0]), 0.1, 5)
    assert run.path.shape == (6, 2)


def test_fixed_point_is_reported():
    run = gradient_descent(SQUARE.gradient, 4.0, 0.5, 5)
    assert run.settled_at == 1
    assert "step 1" in run.describe()
    assert gradient_descent(SQUARE.gradient, 4.0, 0.1, 5).settled_at is None


def test_zero_steps_gives_the_start():
    run = gradient_descent(SQUARE.gradient, 4.0, 0.1, 0)
    np.testing.assert_array_equal(run.path, [4.0])


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(lr=0.0), ValueError, "lr must be a finite number > 0"),
    (dict(lr=-0.1), ValueError, "lr must be a finite number > 0"),
    (dict(lr=math.nan), ValueError, "lr must be a finite number > 0"),
    (dict(lr=math.inf), ValueError, "lr must be a finite number > 0"),
    (dict(lr="0.1"), TypeError, "lr must be a finite number > 0"),
    (dict(x0="1"), TypeError, "x0 must be a finite number"),
    (dict(x0=math.nan), ValueError, "x0 must contain only finite numbers"),
    (dict(x0=math.inf), ValueError, "x0 must contain only finite numbers"),
    (dict(steps=-1), ValueError, "steps must be an integer >= 0"),
    (dict(steps=2.5), TypeError, "steps must be an integer >= 0"),
    (dict(steps="10"), TypeError, "steps must be an integer >= 0"),
    (dict(x0=np.zeros((2, 2))), ValueError, "x0 must be a number or a 1-D array"),
])
def test_bad_input_names_the_parameter(kwargs, error, match):
    args = dict(gradient=SQUARE.gradient, x0=1.0, lr=0.1, steps=10) | kwargs
    with pytest.raises(error, match=match):
        gradient_descent(**args)


def test_classify_needs_at_least_one_step():
    assert classify(SQUARE.gradient, np.array([3.0])) == "converging"
    start = Run(np.array([3.0]), "converging")
    assert start.settled_at is None and start.converges and start.describe() == "converging"


@pytest.mark.parametrize("status, converges", [("converging", True), ("oscillating", True), ("edge", False),
                                               ("diverged", False)])
def test_a_run_converges_only_when_it_heads_for_the_minimum(status, converges):
    run = Run(np.array([4.0, 2.0, 1.0]), status)
    assert run.converges is converges


@pytest.mark.parametrize("path, status", [
    ([1.0, 0.5, 0.25], "converging"), ([1.0, -0.5, 0.25], "oscillating"), ([1.0, 0.5], "converging"),
    ([1.0, 1.0, 1.0], "edge"), ([1.0, -1.0, 1.0], "edge"), ([1.0, 2.0], "diverged"), ([1.0, -2.0, 4.0], "diverged"),
    ([1.0, 1 + 5e-7], "edge"), ([1.0, 1 - 5e-7], "edge"),            # inside the tolerance 1e-6 of a ratio 1
    ([1.0, 1 + 2e-6], "diverged"), ([1.0, 1 - 2e-6], "converging"),  # just outside it
    ([3.0, 0.0], "converging"), ([0.0, 0.0], "converging"),          # a stationary point reached exactly
    ([2.0, 1.5, -0.4, 0.2], "oscillating"),                          # the last steps turn back
    ([-1.0, 1.0, 0.5, 0.2], "oscillating"),                          # so does a turn early on the path
])
def test_classify_at_and_around_its_thresholds(path, status):
    assert classify(SQUARE.gradient, np.array(path)) == status


def test_classify_reads_the_direction_of_steps_in_the_plane():
    zigzag = np.array([[4.0, 4.0], [3.0, -2.0], [2.0, 1.0]])  # y reverses: the steps point apart
    assert classify(BOWL.gradient, zigzag) == "oscillating"
    straight = np.array([[4.0, 4.0], [2.0, 2.0], [1.0, 1.0]])
    assert classify(BOWL.gradient, straight) == "converging"


@pytest.mark.parametrize("x0, escape, diverged_at", [(0.5, 10.0, 5), (1.0, 4.0, 3), (-3.0, 2.0, 2)])
def test_the_escape_bound_is_escape_times_the_larger_of_1_and_the_start(x0, escape, diverged_at):
    # lr = 1.5 multiplies x by −2 each step: the first |x_k| > escape·max(1, |x0|) stops the run.
    run = gradient_descent(SQUARE.gradient, x0, 1.5, 100, escape=escape)
    bound = escape * max(1.0, abs(x0))
    k = next(k for k in range(100) if abs(x0 * (-2.0) ** k) > bound)
    assert run.diverged_at == k == diverged_at and len(run.path) == k
    assert run.status == "diverged" and np.all(np.abs(run.path) <= bound)


def test_settled_at_is_the_step_after_the_last_move():
    assert Run(np.array([4.0, 1.0, 0.0, 0.0, 0.0]), "converging").settled_at == 2
    assert Run(np.array([4.0, 0.0, 0.0]), "converging").settled_at == 1
    assert Run(np.array([4.0, 4.0, 4.0]), "converging").settled_at == 0
    assert Run(np.array([4.0, 1.0, 0.0]), "converging").settled_at is None  # it moved on the last step
    assert Run(np.array([[1.0, 2.0], [0.0, 2.0], [0.0, 2.0]]), "converging").settled_at == 1
    assert Run(np.array([[1.0, 2.0], [0.0, 2.0], [0.0, 1.0]]), "converging").settled_at is None
    assert Run(np.array([4.0, 0.0, 0.0]), "converging").describe() == "converging: reached a fixed point at step 1"
    assert Run(np.array([4.0, 0.0, 0.0]), "oscillating").describe() != Run(np.array([4.0, 0.0, 0.0]), "converging").describe()


# Notebook 02: runs in the plane.

A_VALUES = [1.0, 2.0, 5.0, 10.0, 20.0]


@pytest.mark.parametrize("a", A_VALUES)
@pytest.mark.parametrize("lr", [0.004, 0.02, 0.3 / 20, 0.9 / 20, 0.049])
def test_2d_runner_matches_the_closed_form_in_each_coordinate(a, lr):
    bowl = elongated(a)
    run = gradient_descent(bowl.gradient, [-9.0, 6.0], lr, 80)
    exact = bowl.closed_form([-9.0, 6.0], lr, 80)
    for i in range(2):
        np.testing.assert_allclose(run.path[:, i], exact[:, i], rtol=1e-10, atol=1e-300)


def test_the_seeds_2d_update_converges_with_a_constant_ratio():
    X0 = np.random.default_rng(0).uniform(-10, 10, size=2)
    run = gradient_descent(BOWL.gradient, X0, 0.1, 100)
    np.testing.assert_array_equal(run.path[1], [X0[0] - 0.1 * 2 * X0[0], X0[1] - 0.1 * 2 * X0[1]])
    assert run.converges and np.linalg.norm(run.path[-1]) < 1e-8
    np.testing.assert_allclose(run.path[:, 1] / run.path[:, 0], X0[1] / X0[0], rtol=1e-12)


@pytest.mark.parametrize("a", A_VALUES)
def test_the_runner_finds_the_stability_limit_1_over_a(a):
    grad = elongated(a).gradient
    below = gradient_descent(grad, [3.0, -4.0], 0.99 / a, 3000)
    at = gradient_descent(grad, [3.0, -4.0], 1.0 / a, 3000)
    above = gradient_descent(grad, [3.0, -4.0], 1.01 / a, 3000)
    assert below.converges and np.linalg.norm(below.path[-1]) < 1e-6
    assert above.status == "diverged" and above.diverged_at is not None
    assert at.status == "edge" and not at.converges  # y bounces between ±4 for ever


def test_2d_divergence_stops_cleanly_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = gradient_descent(elongated(20).gradient, [1.0, 1.0], 1.5, 10_000)
    assert run.status == "diverged" and np.all(np.isfinite(run.path))
    assert run.describe() == f"diverged at step {run.diverged_at}"


@pytest.mark.parametrize("x0", [[1.0, 2.0, 3.0], [1.0], 5.0, []])
def test_a_start_that_is_not_a_2_vector_names_x0(x0):
    with pytest.raises(ValueError, match="x0"):
        gradient_descent(elongated(3).gradient, x0, 0.1, 10)


def test_a_gradient_of_another_shape_names_x0():
    with pytest.raises(ValueError, match="x0 must have the shape of the gradient"):
        gradient_descent(lambda x: np.zeros(3), [1.0, 2.0], 0.1, 10)


@pytest.mark.parametrize("path, tol, k", [
    ([5.0, 1.0, 1e-7, 0.0], 1e-6, 2), ([5.0, -2.0], 1e-6, None), ([[3.0, 4.0], [0.0, 4e-7], [0.0, 0.0]], 1e-6, 1),
    ([[3.0, 4.0], [1e300, 1e300]], 1e-6, None), ([0.5], 1.0, 0),
    ([2.0, 1e-6, 5e-7], 1e-6, 2), ([2.0, -1e-6, 0.0], 1e-6, 2),    # below, not at, the tolerance
    ([[3.0, 4.0], [6e-7, 8e-7], [0.0, 9e-7]], 1e-6, 2),               # the norm, not each coordinate
])
def test_first_below(path, tol, k):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert first_below(path, tol) == k


@pytest.mark.parametrize("a", [1.0, 3.0, 10.0])
@pytest.mark.parametrize("lr", [0.01, 0.05, 0.09, 0.3, 0.5, 0.9])
def test_steps_to_reach_counts_what_the_runner_takes(a, lr):
    bowl = elongated(a)
    run = gradient_descent(bowl.gradient, [6.0, -8.0], lr, 3000)
    expected = first_below(run.path) if run.converges else None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert steps_to_reach(bowl, [6.0, -8.0], lr, max_steps=3000) == expected


def test_steps_to_reach_edge_cases():
    assert steps_to_reach(BOWL, [3.0, 4.0], 0.5) == 1  # one step to the minimum
    assert steps_to_reach(BOWL, [0.0, 0.0], 0.1) == 0  # already there
    assert steps_to_reach(elongated(10), [3.0, 0.0], 0.4) == steps_to_reach(SQUARE, 3.0, 0.4)  # y = 0 stays 0
    assert steps_to_reach(elongated(10), [3.0, 4.0], 0.4) is None  # y diverges
    assert steps_to_reach(BOWL, [3.0, 4.0], 0.001, max_steps=100) is None  # too slow for the budget
    # the best lr 1/(1 + a) beats lr a little off it on either side
    bowl = elongated(10)
    best = steps_to_reach(bowl, [1.0, 1.0], 1 / 11)
    assert best < steps_to_reach(bowl, [1.0, 1.0], 0.8 / 11) and best < steps_to_reach(bowl, [1.0, 1.0], 1.07 / 11)


@pytest.mark.parametrize("kwargs, match", [
    (dict(tol=0.0), "tol must be a finite number > 0"), (dict(max_steps=-1), "max_steps must be an integer"),
    (dict(lr=math.nan), "lr must be a finite number > 0"), (dict(x0=[1.0, 2.0, 3.0]), "x0 must have shape"),
])
def test_steps_to_reach_bad_input_names_the_parameter(kwargs, match):
    args = dict(objective=elongated(2), x0=[1.0, 2.0], lr=0.1) | kwargs
    with pytest.raises((ValueError, TypeError), match=match):
        steps_to_reach(**args)


# The runner's verdict against the regime of each coordinate.

def test_an_early_zig_zag_is_oscillating_though_the_end_is_monotone():
    # a = 10, lr = 0.06: r_y = −0.2 zig-zags y for a few steps, then x (r_x = 0.88) dominates.
    run = gradient_descent(elongated(10).gradient, [-9.0, 3.0], 0.06, 80)
    assert run.status == "oscillating" and run.describe() == "converging with oscillation"
    assert np.vdot(run.path[-1] - run.path[-2], run.path[-2] - run.path[-3]) > 0  # the last steps do not turn


def test_a_coordinate_that_lands_on_zero_is_not_an_oscillation():
    # a = 10, lr = 0.05: r_y = 0, y lands on 0 up to round-off in one step.
    run = gradient_descent(elongated(10).gradient, [3.5, -5.7], 0.05, 200)
    assert abs(run.path[1, 1]) < 1e-14 and run.status == "converging"


@pytest.mark.parametrize("a", [0.5, 1.0, 3.0, 10.0, 20.0])
@pytest.mark.parametrize("lr", [0.01, 0.03, 0.049, 0.06, 0.09, 0.2, 0.3, 0.6, 0.9])
@pytest.mark.parametrize("X0", [[3.5, -5.7], [-9.0, 0.5], [0.2, 8.0]])
def test_the_runner_agrees_with_the_regime_of_the_worst_coordinate(a, lr, X0):
    """Monotone factors never turn the path back; a factor r < 0 does when its coordinate leads."""
    bowl = elongated(a)
    regimes = bowl.regimes(lr)
    if "oscillating" in regimes:  # start mostly along the (first) oscillating coordinate
        lead = regimes.index("oscillating")
        X0 = [5.0, 1.0] if lead == 0 else [1.0, 5.0]
    run = gradient_descent(bowl.gradient, X0, lr, 200)
    expected = {"monotone": "converging", "one step": "converging", "oscillating": "oscillating",
                "bouncing": "edge", "diverging": "diverged"}[bowl.regime(lr)]
    assert run.status == expected


@pytest.mark.parametrize("path, turns", [
    ([3.0, 2.0, 1.0, 0.5], False), ([3.0, -1.0, 0.5, -0.2], True), ([[1.0, 1.0], [0.9, -0.5], [0.8, 0.1]], True),
    ([[0.0, 1.0], [0.0, 1e-17], [0.0, -1e-17], [0.0, 1e-17]], False), ([5.0], False), ([5.0, 4.0], False),
    ([[2.0, 2.0], [1.0, 0.0], [0.0, 0.5]], False),  # a bend of less than 90° is not a turn back
])
def test_turns_back(path, turns):
    assert turns_back(np.array(path)) is turns


@pytest.mark.parametrize("degrees", [0.0, 30.0, 75.0, 150.0])
@pytest.mark.parametrize("lr", [0.02, 0.04, 0.06, 0.095, 0.1, 0.11])
def test_the_verdict_on_a_rotated_bowl_does_not_depend_on_the_axes(degrees, lr):
    # A monotone run that bends from across the valley to along it is not an oscillation.
    bowl = rotated(10, degrees)
    phi = np.radians(degrees)
    start = -9 * np.array([np.cos(phi), np.sin(phi)]) + 3 * np.array([-np.sin(phi), np.cos(phi)])
    expected = {"monotone": "converging", "oscillating": "oscillating", "bouncing": "edge",
                "diverging": "diverged"}[bowl.regime(lr)]
    assert gradient_descent(bowl.gradient, start, lr, 300).status == expected


def test_an_edge_run_in_2d_says_it_does_not_converge_without_claiming_no_progress():
    # a = 10, lr = 0.1: r_x = 0.8 shrinks x while r_y = −1 keeps y bouncing; f still falls.
    bowl = elongated(10)
    run = gradient_descent(bowl.gradient, [3.0, -5.0], 0.1, 200)
    assert run.status == "edge" and abs(run.path[-1, 0]) < 1e-15 < bowl.value(run.path[-1]) < bowl.value(run.path[0])
    text = run.describe()
    assert "does not converge" in text and "gradient no longer shrinks" in text
    assert "no progress" not in text and "bouncing" not in text  # x did progress; only y bounces
def test_per_update_rates_and_directions_are_followed_in_order():
    rates = np.array([0.1, 0.2, 0.3])
    run = gradient_descent(SQUARE.gradient, 4.0, rates, 3, direction=lambda x, k: 2 * x + k)
    x, path = 4.0, [4.0]
    for k, lr in enumerate(rates):
        x = x - lr * (2 * x + k)
        path.append(x)
    assert np.array_equal(run.path, path)
    with pytest.raises(ValueError, match=r"lr must have shape \(3,\); got shape \(2,\)"):
        gradient_descent(SQUARE.gradient, 4.0, rates[:2], 3)
def test_the_default_escape_bound_is_1000_times_the_start():
    # x0·2^10 = 1000.4 leaves the bound 1000·max(1, x0) = 1000 at step 10, and would stay inside 1001
    run = gradient_descent(SQUARE.gradient, 1000.4 / 1024, 1.5, 20)
    assert run.diverged_at == 10
    run = gradient_descent(SQUARE.gradient, 999.6 / 1024, 1.5, 20)
    assert run.diverged_at == 11


@pytest.mark.parametrize("status, word", [("converging", "converging"), ("oscillating", "oscillation"),
                                          ("edge", "edge"), ("diverged", "diverging")])
def test_describe_says_the_status_in_words(status, word):
    text = Run(np.array([4.0, 2.0, 1.0]), status).describe()
    assert word in text
    others = {Run(np.array([4.0, 2.0, 1.0]), s).describe() for s in STATUSES if s != status}
    assert text not in others  # each status has its own words


def test_the_edge_verdict_in_words():
    path = np.array([1.0, -1.0, 1.0])
    assert Run(path, "edge").describe() == "stuck at the edge: the gradient no longer shrinks, so the run does not converge"


@pytest.mark.parametrize("call, error, message", [
    (lambda: gradient_descent(SQUARE.gradient, 1.0, 0.1, 3, direction=3), TypeError,
     "direction must be a function; got 3 of type int"),
    (lambda: gradient_descent(SQUARE.gradient, [1.23456e305, 0.0], 0.1, 3, escape=100.0), ValueError,
     "x0 is too large to judge divergence: escape·max(1, ‖x0‖) must be <= 1e+307, so ‖x0‖ <= 1e+305 "
     "with escape = 100; got x0 = [1.235e+305 0.000e+000]"),
    (lambda: gradient_descent(lambda x: None if x < 0.5 else 2 * x, 1.0, 0.3, 3), TypeError,
     "gradient(x) must return a finite number; it returned None (does it end with `return`?)"),
    (lambda: gradient_descent(lambda x: 2 * x if x > 0.5 else np.array([1.0, 2.0]), 1.0, 0.3, 3), ValueError,
     "gradient(x) must return a finite number; it returned array([1., 2.])"),
])
def test_gradient_descent_errors_name_what_went_wrong(call, error, message):
    assert message_of(call, error) == message


def test_a_nan_update_is_a_divergence_without_a_warning():
    """inf − inf inside an update is NaN: the run stops there as diverged, and numpy's warning stays silent."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = gradient_descent(SQUARE.gradient, 1.0, 0.1, 5, direction=lambda x, k: np.float64(np.inf) - np.float64(np.inf))
    assert run.status == "diverged" and run.diverged_at == 1 and run.path.tolist() == [1.0]


def test_a_last_gradient_beyond_the_float_range_is_a_divergence():
    """The steps fit, but the gradient at the last point does not: the run is diverged, its path whole."""
    from nbkit.objectives import Quadratic
    steep = Quadratic((1e308,))  # gradient 2e308·x: beyond the float range from x = 0.9 on
    run = gradient_descent(steep.gradient, 0.5, 0.25, 2, direction=lambda x, k: -1.0)
    assert run.status == "diverged" and run.diverged_at is None and run.path.tolist() == [0.5, 0.75, 1.0]
    assert run.describe() == "diverging: growing at every step"


def test_log_norm_on_every_path_of_its_computation():
    """Scalars, short vectors (math.hypot), long ones (scaled by the largest entry), empty, 0, inf, NaN, overflow."""
    from nbkit.descent import _log_norm
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # log 0 is taken nowhere: −inf is returned, not computed
        assert _log_norm(np.float64(-3.0)) == math.log(3.0) and _log_norm(0.0) == -math.inf
        assert _log_norm(np.empty(0)) == -math.inf and _log_norm(np.zeros(20)) == -math.inf
        assert _log_norm(np.full(20, 3.0)) == pytest.approx(math.log(3.0 * math.sqrt(20)), rel=1e-15)
        assert _log_norm(np.full(3, 3.0)) == pytest.approx(math.log(3.0 * math.sqrt(3)), rel=1e-15)
        # ‖x‖ ≈ 2.1e308 is beyond the float range, its log is not: hypot overflows, the scaled sum does not
        assert _log_norm(np.array([1.5e308, 1.5e308])) == pytest.approx(math.log(1.5e308) + 0.5 * math.log(2), rel=1e-15)
        assert _log_norm(np.full(20, np.inf)) == math.inf and math.isnan(_log_norm(np.full(20, np.nan)))


def test_an_empty_schedule_for_no_steps():
    run = gradient_descent(SQUARE.gradient, 1.0, np.array([]), 0)
    assert run.status == "no steps" and run.path.tolist() == [1.0]


def test_an_infinite_gradient_diverges_at_the_step_it_is_used():
    """At x0 (allowed, finite=False) or later (a gradient beyond the float range counts as inf): no warning."""
    from nbkit.objectives import Quadratic
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        at_start = gradient_descent(lambda x: np.float64(np.inf), 1.0, 0.1, 3)
        steep = Quadratic((1e307,))  # 2e307·x is beyond the float range for |x| > 9
        later = gradient_descent(steep.gradient, 1.0, 5.5e-307, 3)  # x1 = 1 − 11 = −10
    assert (at_start.status, at_start.diverged_at) == ("diverged", 1)
    assert (later.status, later.diverged_at) == ("diverged", 2) and later.path.tolist() == [1.0, -10.0]


def test_classify_at_an_exact_stationary_point_and_at_an_infinite_gradient():
    assert classify(SQUARE.gradient, np.array([1.0, -0.5, 0.0])) == "oscillating"  # zig-zagged, then landed on 0
    assert classify(SQUARE.gradient, np.array([1.0, 0.5, 0.0])) == "converging"
    assert classify(lambda x: np.inf if abs(x) > 1.5 else 1.0, np.array([1.0, 2.0])) == "diverged"


@pytest.mark.parametrize("path, rel, turns", [
    ([1e-200, -1e-200, 1e-200], 1e-9, True),    # tiny: the dots of its steps underflow unless scaled
    ([1e200, -1e200, 1e200], 1e-9, True),       # huge: they overflow unless scaled
    ([2.0, 1.0, 2.0], 0.5, False),              # steps of exactly rel·max‖x_k‖ are round-off, not a turn
    ([1.0, -1.0] * 13, 0.5, True),              # rel scales the largest ‖x_k‖, not the whole path's norm
])
def test_turns_back_at_the_edges_of_scale_and_of_rel(path, rel, turns):
    assert turns_back(np.array(path), rel=rel) is turns


def test_turns_back_compares_each_step_with_the_one_before():
    assert turns_back(np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [1.0, 0.0]]))  # right, up, down: the last two turn
    assert not turns_back(np.array([0.0, 1.0, 1.0 - 1e-12, 2.0]))  # the back-step is round-off: no turn on either side


def test_first_below_of_no_points_is_none():
    assert first_below([]) is None and first_below(np.empty((0, 2))) is None


def test_steps_to_reach_looks_10000_steps_ahead_by_default():
    r = math.exp(math.log(1e-6) / 10_000.5)  # |r^k| < 1e-6 from k = 10 001 on
    lr = (1 - r) / 2
    assert steps_to_reach(SQUARE, 1.0, lr) is None and steps_to_reach(SQUARE, 1.0, lr, max_steps=10_001) == 10_001
