import math
"""Tests for nbkit.neuron: the sigmoid, the forward/backward pass, training, and bad input."""

import warnings
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbkit import neuron
from nbkit.gradcheck import EPS, check_gradient, error_bound, mse_round_off, numerical_gradient, relative_error

from errors import message_of


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
    # Each side rounds about 3 times (exp, 1 + e, the division): within 3ε of each other, times 10.
    assert neuron.sigmoid(1.0) == pytest.approx(1 / (1 + np.exp(-1.0)), rel=10 * 3 * EPS)


def test_sigmoid_symmetry_holds_to_the_last_bit_in_the_tails():
    z = np.linspace(-700, 700, 2801)
    # S(z) and S(−z) are each within about 2.5ε of exact (exp, 1 + e, the division, e·r), their sum
    # rounds once more: 3ε at most, times 10. One of them written as 1 − S would lose S(−z) entirely.
    assert np.allclose(neuron.sigmoid(z) + neuron.sigmoid(-z), 1.0, rtol=0, atol=10 * 3 * EPS)
    negative = z[z < -40]
    assert np.all(exact_relative_error(neuron.sigmoid(negative), np.exp(negative) / (1 + np.exp(negative))) < 1e-14)


def test_sigmoid_prime_against_central_differences_over_a_wide_range():
    # For z <= 0, S(z) itself is precise. For z > 0 differentiate −S(−z) (= S(z) − 1), which is
    # precise there, while 1 − tiny rounds to 1. Both cover |z| up to 700, where S' ≈ 1e-304.
    # S''' = S'·(1 − 6S(1 − S)), so |S'''| ≤ S' bounds the truncation; |f| ≤ 2S' here.
    h = 1e-4
    for z in np.concatenate([np.linspace(-700, 0, 141), np.linspace(0.5, 700, 140)]):
        f = neuron.sigmoid if z <= 0 else (lambda t: -neuron.sigmoid(-t))
        numeric = numerical_gradient(lambda t: float(f(t[0])), np.array([z]), h=h)[0]
        s_prime = neuron.sigmoid_prime(z)
        assert abs(s_prime - numeric) <= error_bound(h, f(z), s_prime, z, s_prime), z


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
    check = check_gradient(lambda t: neuron.loss(t, x, y), lambda t: neuron.gradient(t, x, y), [w, b], h=1e-5)
    # ∂³l/∂w³ = mean 2xᵢ³·(3S'·S'' + (ŷᵢ − yᵢ)·S'''), with |S'| ≤ 1/4, |S''| ≤ 0.0962, |S'''| ≤ 1/8 and
    # |ŷ − y| ≤ 1: at most 0.4·max|x|³; along b the same with x = 1.
    third = 0.4 * np.array([np.max(np.abs(x)) ** 3, 1.0])
    bound = error_bound(1e-5, mse_round_off(neuron.forward(w, b, x).y_hat, y), third, [w, b], check.numeric)
    assert check.within(bound), (check, bound)


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


def test_article_update_fails_the_gradient_check_and_the_true_gradient_passes():
    x, y = neuron.make_data()
    for theta in ([0.5, -0.5], [2.0, 2.0], [-1.0, 0.3]):
        def f(t):
            return neuron.loss(t, x, y)
        assert check_gradient(f, lambda t: neuron.gradient(t, x, y), theta).ok()
        slip = check_gradient(f, lambda t: neuron.article_update_direction(t, x, y), theta)
        assert not slip.ok() and slip.max_error > 0.1


def test_article_update_lowers_y_hat_even_when_y_hat_is_below_the_target():
    x, y, theta, lr = [1.5], [0.9], np.array([0.5, -0.5]), 0.5
    y_hat = neuron.forward(*theta, x).y_hat[0]
    assert y_hat < y[0]
    slipped = theta - lr * neuron.article_update_direction(theta, x, y)
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


# --- the loss choice: cross-entropy ------------------------------------------------------------

def decimal_cross_entropy(z, y):
    """−[y·ln S(z) + (1 − y)·ln(1 − S(z))] for one sample, in 1000-digit decimal arithmetic.

    1000 digits hold 1 − S(1000) ≈ e^(−1000) ≈ 5e-435 next to 1, so both logs are exact.
    """
    with localcontext() as context:
        context.prec = 1000
        s = 1 / (1 + (-Decimal(z)).exp())
        y = Decimal(y)
        total = Decimal(0)
        if y != 0:
            total -= y * s.ln()
        if y != 1:
            total -= (1 - y) * (1 - s).ln()
        return float(total)


@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_cross_entropy_is_the_log_loss_to_full_precision_at_every_z(y):
    # Both tails, where S(z) rounds to 0 or 1, the loss is as small as e^(−700) or as large as
    # 1000, and e^1000 would overflow.
    for z in [-1000.0, -700.0, -40.0, -5.0, -0.5, 0.0, 0.5, 5.0, 40.0, 700.0, 1000.0]:
        want = decimal_cross_entropy(z, y)
        assert neuron.cross_entropy([z], [y]) == pytest.approx(want, rel=1e-13, abs=0), z


def test_cross_entropy_is_the_mean_over_the_samples():
    z, y = np.array([-2.0, 0.5, 3.0]), np.array([0.0, 1.0, 0.4])
    want = np.mean([decimal_cross_entropy(zi, yi) for zi, yi in zip(z, y)])
    assert neuron.cross_entropy(z, y) == pytest.approx(want, rel=1e-14)


def test_cross_entropy_delta_is_y_hat_minus_y_without_the_sigmoid_slope():
    w, b, x, y = 2.0, 2.0, 1.0, 0.1  # saturated: S′(4) ≈ 0.018
    cache = neuron.forward(w, b, x)
    dw, db = neuron.backward(cache, y, loss="cross_entropy")
    assert db == pytest.approx(cache.y_hat[0] - y, rel=1e-15)
    assert dw == pytest.approx((cache.y_hat[0] - y) * x, rel=1e-15)
    mse_db = neuron.backward(cache, y).db
    assert db / mse_db == pytest.approx(1 / (2 * neuron.sigmoid_prime(4.0)), rel=1e-12)


@settings(max_examples=150, deadline=None)
@given(w=finite, b=finite, data=samples)
def test_cross_entropy_gradients_match_central_differences(w, b, data):
    x, y = map(np.array, data)
    check = check_gradient(lambda t: neuron.loss(t, x, y, loss="cross_entropy"),
                           lambda t: neuron.gradient(t, x, y, loss="cross_entropy"), [w, b])
    # As for the MSE: h = 1e-5, truncation O(h²)·ℓ‴ and round-off ε·ℓ/h are both below 1e-10 here.
    assert np.allclose(check.analytic, check.numeric, rtol=1e-6, atol=1e-9), check


@settings(max_examples=40, deadline=None)
@given(z=st.floats(20, 600), sign=st.sampled_from([-1.0, 1.0]), x=st.floats(0.5, 3), b=st.floats(-2, 2))
def test_cross_entropy_gradient_of_a_saturated_wrong_neuron_is_its_error_times_x(z, sign, x, b):
    w = (sign * z - b) / x
    y = 0.0 if sign > 0 else 1.0
    dw, db = neuron.gradient([w, b], [x], [y], loss="cross_entropy")
    assert db == pytest.approx(sign, rel=1e-8) and dw == pytest.approx(sign * x, rel=1e-8)
    assert neuron.loss([w, b], [x], [y], loss="cross_entropy") == pytest.approx(z, rel=1e-8)


def test_every_function_takes_the_loss_choice():
    x, y = neuron.make_data(n=7)
    theta = np.array([0.7, -0.2])
    z = theta[0] * x + theta[1]
    ce = neuron.cross_entropy(z, y)
    assert neuron.loss(theta, x, y, loss="cross_entropy") == ce != neuron.loss(theta, x, y)
    value, grad = neuron.loss_and_grad(theta, x, y, loss="cross_entropy")
    assert value == ce
    assert np.array_equal(grad, neuron.backward(neuron.forward(*theta, x), y, loss="cross_entropy"))
    assert np.array_equal(grad, neuron.gradient(theta, x, y, loss="cross_entropy"))
    W, B = np.meshgrid([0.7, 1.0], [-0.2, 0.3])
    assert neuron.loss_surface(W, B, x, y, loss="cross_entropy")[0, 0] == pytest.approx(ce, rel=1e-14)
    run = neuron.train(x, y, theta, 0.5, 5, loss="cross_entropy")
    by_hand = [theta]
    for _ in range(5):
        by_hand.append(by_hand[-1] - 0.5 * neuron.gradient(by_hand[-1], x, y, loss="cross_entropy"))
    assert np.allclose(run.path, by_hand, rtol=1e-14, atol=0)
    assert np.allclose(neuron.losses(run.path, x, y, loss="cross_entropy"),
                       [neuron.loss(t, x, y, loss="cross_entropy") for t in run.path], rtol=1e-14)


def test_cross_entropy_escapes_the_saturated_start_where_the_mse_crawls():
    x, y = [1.0], [0.1]
    errors = {loss: neuron.losses(neuron.train(x, y, (2.0, 2.0), 1.0, 5, loss=loss).path, x, y)
              for loss in neuron.LOSSES}  # both runs measured by the same ruler, (ŷ − y)²
    assert errors["mse"][-1] > 0.95 * errors["mse"][0]
    assert errors["cross_entropy"][-1] < 0.05 * errors["cross_entropy"][0]


@pytest.mark.parametrize("call, message", [
    (lambda: neuron.loss([1.0, 0.0], [1.0], [0.5], loss="hinge"), "loss must be one of 'mse', 'cross_entropy'; got 'hinge'"),
    (lambda: neuron.train([1.0], [0.5], (0.0, 0.0), 0.1, 3, loss="MSE"), "loss must be one of"),
    (lambda: neuron.gradient([1.0, 0.0], [1.0, 2.0], [0.5, 1.5], loss="cross_entropy"), "y must lie in [0, 1]"),
    (lambda: neuron.cross_entropy([1.0], [-0.1]), "y must lie in [0, 1] for the cross-entropy loss; got values from -0.1"),
    (lambda: neuron.cross_entropy([np.inf], [0.5]), "z must"),
])
def test_a_bad_loss_choice_or_target_is_named(call, message):
    with pytest.raises(ValueError) as error:
        call()
    assert str(error.value).startswith(message)


# Mini-batches and schedules: options of train, with the full batch and a fixed lr unchanged.

def _transcribed(x, y, theta0, rates, batches):
    """θ_{k+1} = θ_k − lr_k·∇ℓ(θ_k) on batch k, written out step by step."""
    path = [np.asarray(theta0, dtype=float)]
    for lr, i in zip(rates, batches):
        path.append(path[-1] - lr * neuron.gradient(path[-1], x[i], y[i]))
    return np.array(path)


def test_train_without_a_batch_size_is_the_full_batch_update_bit_for_bit():
    x, y = neuron.make_data(n=30)
    run = neuron.train(x, y, (-2.0, 1.5), 0.7, 40)
    assert np.array_equal(run.path, _transcribed(x, y, (-2.0, 1.5), [0.7] * 40, [slice(None)] * 40))


def test_train_with_batches_and_a_schedule_follows_each_batch_at_its_rate():
    from nbkit import sampling, schedules
    x, y = neuron.make_data(n=30)
    rates = schedules.rates("cosine", 2.0, 45)
    run = neuron.train(x, y, (-2.0, 1.5), rates, 45, batch_size=4, seed=3)
    assert np.array_equal(run.path, _transcribed(x, y, (-2.0, 1.5), rates, sampling.batch_indices(30, 4, 45, seed=3)))


@pytest.mark.parametrize("seed", [0, 5])
def test_a_batch_of_all_n_samples_is_the_full_batch_exactly(seed):
    x, y = neuron.make_data(n=50, noise=0.1)
    for loss in ("mse", "cross_entropy"):
        full = neuron.train(x, y, (3.0, -2.0), 1.3, 60, loss=loss)
        assert np.array_equal(neuron.train(x, y, (3.0, -2.0), 1.3, 60, loss=loss, batch_size=50, seed=seed).path, full.path)


def test_train_names_a_bad_batch_size_or_rate_list():
    x, y = neuron.make_data(n=10)
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1; got 0"):
        neuron.train(x, y, (0.0, 0.0), 0.1, 5, batch_size=0)
    with pytest.raises(ValueError, match="batch_size must be an integer from 1 to n = 10"):
        neuron.train(x, y, (0.0, 0.0), 0.1, 5, batch_size=11)
    with pytest.raises(ValueError, match=r"lr must have shape \(5,\); got shape \(4,\)"):
        neuron.train(x, y, (0.0, 0.0), np.full(4, 0.1), 5)
    with pytest.raises(ValueError, match="lr must hold rates > 0"):
        neuron.train(x, y, (0.0, 0.0), np.array([0.1, 0.1, 0.0, 0.1, 0.1]), 5)
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


@pytest.mark.parametrize("slope, saturated", [(0.0499, True), (0.0501, False), (0.005, True), (0.1, False)])
def test_verdict_names_saturation_below_a_mean_slope_of_0_05(slope, saturated):
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


def test_article_update_direction_is_the_mean_slope_of_y_hat():
    # v_w = mean of ∂ŷ/∂w = x·ŷ(1 − ŷ), v_b = mean of ∂ŷ/∂b = ŷ(1 − ŷ), written out here from ŷ.
    x, y = neuron.make_data()
    w, b = 0.7, -0.3
    y_hat = 1 / (1 + np.exp(-(w * x + b)))
    expected = [np.mean(x * y_hat * (1 - y_hat)), np.mean(y_hat * (1 - y_hat))]
    np.testing.assert_allclose(neuron.article_update_direction((w, b), x, y), expected, rtol=1e-12)


def test_chain_holds_every_factor_of_the_mse_backward_pass():
    """Over 3 samples: ∂ℓ/∂ŷᵢ = 2(ŷᵢ − yᵢ)/n, S′(zᵢ), δᵢ their product, dw = Σ δᵢ·xᵢ, db = Σ δᵢ; = backward()."""
    x, y = np.array([1.5, -2.0, 0.0]), np.array([0.9, 0.1, 0.4])
    cache = neuron.forward(0.5, -0.5, x)
    parts = neuron.chain(cache, y)
    y_hat = 1 / (1 + np.exp(-(0.5 * x - 0.5)))
    np.testing.assert_allclose(parts.dl_dy_hat, 2 * (y_hat - y) / 3, rtol=1e-14)
    np.testing.assert_allclose(parts.s_prime, y_hat * (1 - y_hat), rtol=1e-14)
    np.testing.assert_allclose(parts.delta, parts.dl_dy_hat * parts.s_prime, rtol=1e-15)
    assert parts.dw == pytest.approx(float(np.sum(parts.delta * x)), rel=1e-15)
    assert parts.db == pytest.approx(float(np.sum(parts.delta)), rel=1e-15)
    assert (parts.dw, parts.db) == tuple(neuron.backward(cache, y))


@pytest.mark.parametrize("call, error, message", [
    (lambda: neuron.chain((1.0, 2.0), 0.5), TypeError, "cache must be the Cache that forward(w, b, x) returns; got tuple"),
    (lambda: neuron.chain(neuron.forward(0.5, -0.5, [1.0, 2.0]), [0.5]), ValueError,
     "y must have one target per sample of x: x has 2, y has 1"),
])
def test_chain_refuses_what_forward_did_not_make(call, error, message):
    assert message_of(call, error) == message


def test_no_z_gives_no_values():
    assert neuron.sigmoid([]).shape == (0,) and neuron.sigmoid_prime([]).shape == (0,)


def test_a_gradient_beyond_the_float_range_is_inf_without_a_warning():
    """δ·x overflows for a far target and a large x: ∂ℓ/∂w is inf (the runner's divergence), ∂ℓ/∂b finite."""
    import warnings
    cache = neuron.forward(0.0, 0.0, 1e10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dw, db = neuron.backward(cache, -1e300)
    assert dw == math.inf and db == pytest.approx(2 * (0.5 + 1e300) * 0.25, rel=1e-15)


def test_the_default_loss_is_the_mse_and_the_default_seed_0():
    x, y, theta = np.array([1.5, -2.0, 0.5]), np.array([0.9, 0.1, 0.4]), np.array([0.5, -0.5])
    value, grad = neuron.loss_and_grad(theta, x, y)
    assert value == neuron.mse(1 / (1 + np.exp(-(0.5 * x - 0.5))), y)
    np.testing.assert_array_equal(grad, neuron.loss_and_grad(theta, x, y, "mse")[1])
    by_default = neuron.train(x, y, theta, 0.5, 6, batch_size=1)
    np.testing.assert_array_equal(by_default.path, neuron.train(x, y, theta, 0.5, 6, batch_size=1, seed=0).path)
    assert not np.array_equal(by_default.path, neuron.train(x, y, theta, 0.5, 6, batch_size=1, seed=1).path)


def test_make_data_draws_x_then_the_noise_from_one_seeded_generator():
    """x: n sorted uniform draws in [−3, 3]; y: S(w·x + b) plus noise·N(0, 1) from the same generator, clipped."""
    x, y = neuron.make_data()
    rng = np.random.default_rng(0)
    x_expected = np.sort(rng.uniform(-3, 3, 20))
    np.testing.assert_array_equal(x, x_expected)
    np.testing.assert_array_equal(y, np.clip(neuron.sigmoid(2.0 * x_expected - 1.0) + 0.05 * rng.standard_normal(20), 0, 1))
    one_x, one_y = neuron.make_data(n=1, noise=0.0)
    assert one_x.shape == (1,) and one_y[0] == neuron.sigmoid(2.0 * one_x - 1.0)[0]  # no noise: exactly on the curve


@pytest.mark.parametrize("call, error, message", [
    (lambda: neuron.make_data(w="a"), TypeError, "w must be a finite number or array of numbers; got 'a'"),
    (lambda: neuron.make_data(b="a"), TypeError, "b must be a finite number or array of numbers; got 'a'"),
    (lambda: neuron.loss_surface([0.0], "a", [1.0], [0.5]), TypeError, "b must be a finite number or array of numbers; got 'a'"),
    (lambda: neuron.loss_surface([0.0], [0.0], [[1.0, 2.0]], [0.5]), ValueError,
     "x must be a number or a 1-D array of samples; got shape (1, 2)"),
    (lambda: neuron.train([1.0], [0.5], [0.0, 0.0], 0.1, 100_001, batch_size=1), ValueError,
     "steps must be an integer >= 0 and <= 100000; got 100001"),
    (lambda: neuron.train([1.0], [0.5], [0.0, 0.0], 0.1, 3, direction=lambda t, x, y: 1 / 0), ZeroDivisionError,
     "direction(theta0, x, y) failed: division by zero"),
    (lambda: neuron.verdict((1, 2), [1.0], [0.5]), TypeError,
     "run must be the Run that train(x, y, theta0, lr, steps) returns; got tuple"),
])
def test_neuron_errors_name_what_went_wrong(call, error, message):
    assert message_of(call, error) == message


def test_mini_batches_feed_a_given_direction_the_batch_and_draw_as_asked():
    x, y = neuron.make_data()
    theta0 = [0.5, 0.5]
    own = neuron.train(x, y, theta0, 0.5, 12, batch_size=4)
    given = neuron.train(x, y, theta0, 0.5, 12, batch_size=4, direction=lambda t, xb, yb: neuron.gradient(t, xb, yb))
    np.testing.assert_array_equal(own.path, given.path)
    assert not np.array_equal(own.path, neuron.train(x, y, theta0, 0.5, 12, batch_size=4, draw="independent").path)


def test_verdict_sentences_in_full():
    x, y = neuron.make_data()
    diverged = neuron.train(x, y, [0.0, 0.0], 1e6, 5)
    assert neuron.verdict(diverged, x, y).text == f"diverged: θ = (w, b) left the bound at step {diverged.diverged_at}"
    run = neuron.train(x, y, [0.0, 0.0], 0.5, 10)
    L = neuron.losses(run.path, x, y)
    assert neuron.verdict(run, x, y).text == f"converging: the loss went from {L[0]:.3g} to {L[-1]:.3g} in 10 steps"


def test_given_data_is_the_samples_given_checked_or_made_when_neither_is_given():
    x, y = neuron.given_data(n=7, noise=0.2, seed=3)
    made = neuron.make_data(n=7, noise=0.2, seed=3)
    np.testing.assert_array_equal(x, made[0])
    np.testing.assert_array_equal(y, made[1])
    x, y = neuron.given_data([1, 2.5], (0.25, 0.75))
    assert x.dtype == y.dtype == np.float64 and x.tolist() == [1.0, 2.5] and y.tolist() == [0.25, 0.75]
    assert neuron.given_data(2.0, 0.5)[0].shape == (1,)  # one sample, as a number
    assert message_of(neuron.given_data, ValueError, [1, 2]) == (
        "x and y must be given together (or neither, for make_data()); got x = [1, 2], y = None")
    assert message_of(neuron.given_data, ValueError, None, [1, 2]) == (
        "x and y must be given together (or neither, for make_data()); got x = None, y = [1, 2]")
    assert message_of(neuron.given_data, ValueError, [1, 2], [0.5]) == (
        "y must have one target per sample of x: x has 2, y has 1")
    assert message_of(neuron.given_data, ValueError, [[1, 2]], [0.5, 0.5]) == (
        "x must be a number or a 1-D array of samples; got shape (1, 2)")
