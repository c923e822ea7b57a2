"""Tests for nbkit.neuron: the sigmoid, the forward/backward pass, training, and bad input."""

import warnings
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbkit import neuron
from nbkit.gradcheck import check_gradient, numerical_gradient, relative_error


@pytest.fixture(autouse=True)
def no_warnings():
    """Any warning, overflow, division by zero or invalid value fails the test (underflow to 0 is allowed)."""
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        yield


def exact_relative_error(a, n):
    """Relative error without gradcheck's 1e-12 floor, so tiny saturated values are judged too."""
    return relative_error(a, n, floor=1e-300)


# --- the sigmoid -------------------------------------------------------------------------------

def test_sigmoid_known_values_and_extremes():
    z = np.array([-1000.0, -700.0, 0.0, 700.0, 1000.0])
    s = neuron.sigmoid(z)
    assert s[2] == 0.5 and s[3] == 1.0 and s[4] == 1.0 and s[0] == 0.0
    assert s[1] == pytest.approx(np.exp(-700.0), rel=1e-12)  # tiny, yet to full precision
    assert neuron.sigmoid(1.0) == pytest.approx(1 / (1 + np.exp(-1.0)), rel=1e-15)


def test_sigmoid_symmetry_holds_to_the_last_bit_in_the_tails():
    z = np.linspace(-700, 700, 2801)
    assert np.allclose(neuron.sigmoid(z) + neuron.sigmoid(-z), 1.0, rtol=0, atol=1e-15)
    negative = z[z < -40]
    assert np.all(exact_relative_error(neuron.sigmoid(negative), np.exp(negative) / (1 + np.exp(negative))) < 1e-14)


def test_sigmoid_prime_against_central_differences_over_a_wide_range():
    # For z <= 0, S(z) itself is precise. For z > 0 differentiate −S(−z) (= S(z) − 1), which is
    # precise there, while 1 − tiny rounds to 1. Both cover |z| up to 700, where S' ≈ 1e-304.
    for z in np.concatenate([np.linspace(-700, 0, 141), np.linspace(0.5, 700, 140)]):
        f = neuron.sigmoid if z <= 0 else (lambda t: -neuron.sigmoid(-t))
        numeric = numerical_gradient(lambda t: float(f(t[0])), np.array([z]), h=1e-4)[0]
        assert exact_relative_error(neuron.sigmoid_prime(z), numeric) < 1e-6, z


def test_sigmoid_prime_is_the_product_formula_and_never_zero_before_underflow():
    z = np.linspace(-30, 5, 351)  # where 1 − S(z) can still be formed without cancellation
    s = neuron.sigmoid(z)
    assert np.allclose(neuron.sigmoid_prime(z), s * (1 - s), rtol=1e-12, atol=0)
    assert neuron.sigmoid_prime(40.0) > 0  # s·(1 − s) would be exactly 0 here
    assert neuron.sigmoid_prime(40.0) == pytest.approx(neuron.sigmoid_prime(-40.0), rel=1e-15)


# --- forward and backward ----------------------------------------------------------------------

def test_forward_caches_z_and_y_hat_for_every_sample():
    cache = neuron.forward(0.5, -0.5, [1.5, -2.0, 0.0])
    assert np.allclose(cache.z, [0.25, -1.5, -0.5])
    assert np.allclose(cache.y_hat, 1 / (1 + np.exp(-cache.z)))
    assert cache.x.shape == cache.z.shape == cache.y_hat.shape == (3,)
    assert neuron.forward(0.5, -0.5, 1.5).z.shape == (1,)


def test_one_sample_gradients_are_the_chain_rule_products():
    w, b, x, y = 0.5, -0.5, 1.5, 0.9
    cache = neuron.forward(w, b, x)
    y_hat, s_prime = cache.y_hat[0], neuron.sigmoid_prime(cache.z[0])
    dw, db = neuron.backward(cache, y)
    assert dw == pytest.approx(2 * (y_hat - y) * x * s_prime, rel=1e-14)
    assert db == pytest.approx(2 * (y_hat - y) * s_prime, rel=1e-14)


def test_mse_is_the_mean_of_squared_errors():
    assert neuron.mse([0.5, 1.0], [0.0, 0.0]) == pytest.approx(0.625)
    assert neuron.mse([0.2], [0.2]) == 0.0


finite = st.floats(-3, 3, allow_nan=False)
samples = st.integers(1, 6).flatmap(lambda n: st.tuples(
    st.lists(finite, min_size=n, max_size=n), st.lists(st.floats(0, 1), min_size=n, max_size=n)))


@settings(max_examples=150, deadline=None)
@given(w=finite, b=finite, data=samples)
def test_gradients_match_central_differences(w, b, data):
    x, y = map(np.array, data)
    check = check_gradient(lambda t: neuron.loss(t, x, y), lambda t: neuron.gradient(t, x, y), [w, b])
    # h = 1e-5: truncation O(h²) and round-off ≈ 1e-16 / h bound the numeric side near 1e-9.
    assert np.allclose(check.analytic, check.numeric, rtol=1e-6, atol=1e-9), check


def decimal_gradient(w, b, x, y, h="1e-30"):
    """Central differences of the MSE in 400-digit decimal arithmetic: exact enough at |z| = 600."""
    with localcontext() as context:
        context.prec = 400

        def mse(w, b):
            terms = [(1 / (1 + (-(w * Decimal(xi) + b)).exp()) - Decimal(yi)) ** 2 for xi, yi in zip(x, y)]
            return sum(terms) / len(terms)

        w, b, h = Decimal(w), Decimal(b), Decimal(h)
        return np.array([float((mse(w + h, b) - mse(w - h, b)) / (2 * h)),
                         float((mse(w, b + h) - mse(w, b - h)) / (2 * h))])


@settings(max_examples=40, deadline=None)
@given(z=st.floats(20, 600), sign=st.sampled_from([-1.0, 1.0]), x=st.floats(0.5, 3), b=st.floats(-2, 2))
def test_saturated_gradients_keep_full_precision(z, sign, x, b):
    # A neuron saturated at ŷ ≈ 1 with target 0, or at ŷ ≈ 0 with target 1: badly wrong, with a
    # gradient as small as 1e-260. Float central differences cannot see it; decimals can.
    w = (sign * z - b) / x
    y = 0.0 if sign > 0 else 1.0
    analytic = neuron.gradient([w, b], [x], [y])
    assert np.all(analytic != 0)
    assert np.all(exact_relative_error(analytic, decimal_gradient(w, b, [x], [y])) < 1e-9)


def test_seed_update_fails_the_gradient_check_and_the_true_gradient_passes():
    x, y = neuron.make_data()
    for theta in ([0.5, -0.5], [2.0, 2.0], [-1.0, 0.3]):
        def f(t):
            return neuron.loss(t, x, y)
        assert check_gradient(f, lambda t: neuron.gradient(t, x, y), theta).ok()
        slip = check_gradient(f, lambda t: neuron.seed_update_direction(t, x, y), theta)
        assert not slip.ok() and slip.max_error > 0.1


def test_seed_update_lowers_y_hat_even_when_y_hat_is_below_the_target():
    x, y, theta, lr = [1.5], [0.9], np.array([0.5, -0.5]), 0.5
    y_hat = neuron.forward(*theta, x).y_hat[0]
    assert y_hat < y[0]
    slipped = theta - lr * neuron.seed_update_direction(theta, x, y)
    right = theta - lr * neuron.gradient(theta, x, y)
    assert neuron.forward(*slipped, x).y_hat[0] < y_hat < neuron.forward(*right, x).y_hat[0]
    assert neuron.loss(slipped, x, y) > neuron.loss(theta, x, y) > neuron.loss(right, x, y)


# --- training ----------------------------------------------------------------------------------

@pytest.mark.parametrize("theta0", [(0.0, 0.0), (2.0, 2.0), (-3.0, 3.0)])
def test_training_lowers_the_loss_on_the_data_set(theta0):
    x, y = neuron.make_data()
    run = neuron.train(x, y, theta0, lr=1.0, steps=300)
    L = neuron.losses(run.path, x, y)
    assert run.path.shape == (301, 2)
    assert L[-1] < 0.05 * L[0]
    assert np.all(np.diff(L) <= 0)
    assert neuron.verdict(run, x, y).status == "converging"


def test_the_default_training_direction_is_the_checked_gradient():
    x, y = neuron.make_data()
    fast = neuron.train(x, y, (1.0, 1.0), 0.5, 20)
    checked = neuron.train(x, y, (1.0, 1.0), 0.5, 20, direction=neuron.gradient)
    assert np.array_equal(fast.path, checked.path)


def test_training_on_one_sample_reaches_its_target():
    run = neuron.train([1.5], [0.9], (0.5, -0.5), lr=1.0, steps=200)
    assert neuron.forward(*run.path[-1], [1.5]).y_hat[0] == pytest.approx(0.9, abs=1e-3)


def test_saturated_start_crawls_where_a_start_near_zero_learns():
    x, y = [1.0], [0.1]
    saturated = neuron.losses(neuron.train(x, y, (2.0, 2.0), 1.0, 10).path, x, y)
    near_zero = neuron.losses(neuron.train(x, y, (0.0, 0.0), 1.0, 10).path, x, y)
    assert saturated[-1] > 0.9 * saturated[0]
    assert near_zero[-1] < 0.1 * near_zero[0]


def test_verdict_names_oscillation_crawling_and_divergence():
    x, y = neuron.make_data()
    assert neuron.verdict(neuron.train(x, y, (2, 2), 100.0, 50), x, y).status == "oscillating"
    assert neuron.verdict(neuron.train(x, y, (-4, 4), 0.01, 50), x, y).status == "crawling"
    assert neuron.verdict(neuron.train(x, y, (0, 0), 3000.0, 50), x, y).status == "diverged"
    assert neuron.verdict(neuron.train(x, y, (6, -6), 300.0, 200), x, y).status == "diverging"
    stuck = neuron.verdict(neuron.train(x, y, (0, 0), 1000.0, 20), x, y)
    assert stuck.status == "stuck" and "saturated" in stuck.text


def test_loss_surface_matches_loss_at_every_grid_point():
    x, y = neuron.make_data(n=5)
    W, B = np.meshgrid(np.linspace(-2, 2, 4), np.linspace(-1, 1, 3))
    surface = neuron.loss_surface(W, B, x, y)
    assert surface.shape == (3, 4)
    assert all(surface[i, j] == pytest.approx(neuron.loss([W[i, j], B[i, j]], x, y), rel=1e-14)
               for i in range(3) for j in range(4))


def test_make_data_is_deterministic_and_in_range():
    x1, y1 = neuron.make_data(n=30, seed=3)
    x2, y2 = neuron.make_data(n=30, seed=3)
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2)
    assert x1.shape == y1.shape == (30,) and np.all((0 <= y1) & (y1 <= 1))
    assert not np.array_equal(y1, neuron.make_data(n=30, seed=4)[1])


# --- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("call, name", [
    (lambda: neuron.backward(neuron.forward(1.0, 0.0, [1.0, 2.0, 3.0]), [0.0, 1.0]), "y"),
    (lambda: neuron.loss([1.0, 0.0], [1.0, 2.0], [0.0, 1.0, 1.0]), "y"),
    (lambda: neuron.forward(1.0, 0.0, [1.0, np.nan]), "x"),
    (lambda: neuron.forward(np.nan, 0.0, [1.0]), "w"),
    (lambda: neuron.forward(1.0, np.inf, [1.0]), "b"),
    (lambda: neuron.backward(neuron.forward(1.0, 0.0, [1.0]), [np.nan]), "y"),
    (lambda: neuron.forward(1.0, 0.0, []), "x"),
    (lambda: neuron.train([], [], (0.0, 0.0), 0.1, 10), "x"),
    (lambda: neuron.mse([], []), "y_hat"),
    (lambda: neuron.forward(1.0, 0.0, [[1.0, 2.0]]), "x"),
    (lambda: neuron.loss([1.0, 0.0, 3.0], [1.0], [0.0]), "theta"),
    (lambda: neuron.train([1.0], [0.0], (0.0, 0.0), -0.1, 10), "lr"),
    (lambda: neuron.make_data(n=0), "n"),
])
def test_bad_input_raises_an_error_that_names_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError)) as error:
        call()
    assert str(error.value).startswith(f"{name} ")


def test_mismatched_lengths_say_both_lengths():
    with pytest.raises(ValueError, match="x has 3, y has 2"):
        neuron.loss([1.0, 0.0], [1.0, 2.0, 3.0], [0.0, 1.0])


# --- the verdict at its thresholds --------------------------------------------------------------

def _step_to_fall(x, y, theta0, fall):
    """Return θ1 on the line θ0 − t·∇MSE(θ0) where the loss is (1 − fall)·MSE(θ0), by bisection."""
    theta0 = np.asarray(theta0, dtype=float)
    g, target = neuron.gradient(theta0, x, y), (1 - fall) * neuron.loss(theta0, x, y)
    lo, hi = 0.0, 1.0
    while neuron.loss(theta0 - hi * g, x, y) > target:
        hi *= 2
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if neuron.loss(theta0 - mid * g, x, y) > target else (lo, mid)
    return theta0 - hi * g


def _run(path):
    from nbkit.descent import Run
    return Run(np.asarray(path, dtype=float), "converging")


@pytest.mark.parametrize("fall, status", [(0.098, "crawling"), (0.102, "converging"), (0.3, "converging"),
                                          (0.02, "crawling")])
def test_verdict_crawling_below_a_tenth_of_the_start_converging_above(fall, status):
    x, y = neuron.make_data()
    theta0 = (0.5, 0.0)  # S'(z) well above the saturation threshold
    path = [theta0, _step_to_fall(x, y, theta0, fall)]
    L = neuron.losses(np.array(path), x, y)
    assert 1 - L[1] / L[0] == pytest.approx(fall, rel=1e-6)
    verdict = neuron.verdict(_run(path), x, y)
    assert verdict.status == status
    assert "saturated" not in verdict.text
    assert all(f"{v:.3g}" in verdict.text for v in (L[0], L[1]))  # the loss went from … to …


def test_verdict_crawl_threshold_is_a_parameter():
    x, y = neuron.make_data()
    path = [(0.5, 0.0), _step_to_fall(x, y, (0.5, 0.0), 0.3)]
    assert neuron.verdict(_run(path), x, y, crawl=0.29).status == "converging"
    assert neuron.verdict(_run(path), x, y, crawl=0.31).status == "crawling"


def test_verdict_counts_the_steps_where_the_loss_rose():
    x, y = neuron.make_data()
    a = (0.5, 0.0)
    b = _step_to_fall(x, y, a, 0.3)
    c = _step_to_fall(x, y, b, 0.3)
    verdict = neuron.verdict(_run([a, c, b, c]), x, y)  # down, up, down: one rise in 3 steps
    assert verdict.status == "oscillating"
    assert "1 of 3" in verdict.text
    assert neuron.verdict(_run([c, a]), x, y).status == "diverging"  # ends above its start


def _theta_with_mean_slope(x, target):
    """Return θ = (w, 0) whose mean S'(w·x) over x is `target` (w > 0 saturates it), by bisection."""
    lo, hi = 0.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if np.mean(neuron.sigmoid_prime(mid * x)) > target else (lo, mid)
    return (hi, 0.0)


@pytest.mark.parametrize("slope, saturated", [(0.0199, True), (0.0201, False), (0.005, True), (0.1, False)])
def test_verdict_names_saturation_below_a_mean_slope_of_0_02(slope, saturated):
    x, y = neuron.make_data()
    theta = _theta_with_mean_slope(x, slope)
    assert np.mean(neuron.sigmoid_prime(theta[0] * x)) == pytest.approx(slope, rel=1e-9)
    verdict = neuron.verdict(_run([theta, theta]), x, y)
    assert ("saturated" in verdict.text) is saturated
    if saturated:
        assert f"{slope:.2g}" in verdict.text


def test_verdict_stuck_is_a_saturated_run_whose_last_quarter_gained_under_1_percent():
    x, y = neuron.make_data()
    # w = 50 makes ŷ a step at x = −b/w, saturated for every b (mean S'(z) ≈ 0.003); moving b from
    # −150 (ŷ ≈ 0 everywhere) towards −25 lowers the loss, so any loss in between has its b.
    loss_at = lambda b: neuron.loss([50.0, b], x, y)

    def theta_with_loss(target):
        lo, hi = -150.0, -25.0
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if loss_at(mid) > target else (lo, mid)
        return (50.0, hi)

    L0 = loss_at(-150.0)
    for gain, status in [(0.005, "stuck"), (0.02, "converging")]:
        targets = [0.5 * L0 * (1 - gain) ** k for k in range(4)]  # a big fall, then 3 steps of `gain` each
        path = [(50.0, -150.0)] + [theta_with_loss(t) for t in targets]
        L = neuron.losses(np.array(path), x, y)
        np.testing.assert_allclose(L[1:], targets, rtol=1e-6)
        assert np.mean(neuron.sigmoid_prime(neuron.forward(*path[-1], x).z)) < 0.02
        verdict = neuron.verdict(_run(path), x, y)
        assert verdict.status == status, (gain, verdict)
        assert "saturated" in verdict.text
