import math
import warnings

import numpy as np
import pytest

from nbkit.descent import STATUSES, Run, classify, gradient_descent
from nbkit.objectives import SQUARE


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
    assert isinstance(Run(np.zeros(1), "converging"), Run)
