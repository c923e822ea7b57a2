"""Tests for nbkit.mlp: gradients against central differences, the per-path sum, training, errors."""

import numpy as np
import pytest

from nbkit import gradcheck, mlp

from bounds import THIRD, layer_bounds, layer_within_bounds
from errors import message_of

SHAPES = [
    (3, 3, 3, 3, 3),        # the 3-3-3-3 network
    (2, 1),                 # one neuron
    (3, 4, 2),              # sizes that differ, so a transposed W fails
    (3, 8, 8, 3),           # wider
    (3, 3, 3, 3, 3, 3, 3),  # deeper
]


def random_params(sizes, seed=1):
    """Weights and non-zero biases, so that a bias gradient bug cannot hide behind b = 0.

    """
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, 1.0, (m, k)), rng.normal(0, 0.5, m)) for k, m in zip(sizes, sizes[1:])]


def data(sizes, n=5, seed=2):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, (n, sizes[0])), rng.uniform(0, 1, (n, sizes[-1]))


def flat(params):
    return np.concatenate([np.concatenate([W.ravel(), b]) for W, b in params])


def unflat(theta, sizes):
    params, i = [], 0
    for k, m in zip(sizes, sizes[1:]):
        W = theta[i:i + m * k].reshape(m, k)
        b = theta[i + m * k:i + m * k + m]
        params.append((W, b))
        i += m * k + m
    return params


#: h near the step that minimises h²·THIRD/6 + ε·L/h (≈ 5e-6 for L ≈ 0.1), so the bound is tight.
H = 1e-5


def central_check(sizes, params, X, Y, gradient=None):
    """Return the GradCheck of every parameter of the network, and the error bound for each."""
    f = lambda t: mlp.loss_and_grads(unflat(t, sizes), X, Y)[0]
    result = gradcheck.check_gradient(f, gradient or (lambda t: flat(mlp.loss_and_grads(unflat(t, sizes), X, Y)[1])),
                                      flat(params), h=H)
    size = gradcheck.mse_round_off(mlp.forward(params, X).y_hat, Y)
    return result, gradcheck.error_bound(H, size, THIRD, flat(params), result.numeric)


@pytest.mark.parametrize("sizes", SHAPES)
def test_gradients_match_central_differences(sizes):
    params, (X, Y) = random_params(sizes), data(sizes)
    result, bound = central_check(sizes, params, X, Y)
    assert result.analytic.size == sum(m * k + m for k, m in zip(sizes, sizes[1:]))
    assert result.within(bound), (result.max_abs_error, bound.max())


def test_the_bound_catches_a_one_percent_error_in_the_smallest_gradient():
    # The deep network's first-layer gradients are ~1e-7: a relative error check would need a floor there.
    sizes = SHAPES[-1]
    params, (X, Y) = random_params(sizes), data(sizes)
    right = flat(mlp.loss_and_grads(params, X, Y)[1])
    i = np.argmin(np.abs(right))
    assert abs(right[i]) < 1e-6 and i < sizes[0] * sizes[1] + sizes[1]  # a parameter of L1
    wrong = right.copy()
    wrong[i] *= 1.01
    result, bound = central_check(sizes, params, X, Y, gradient=lambda t: wrong)
    assert not result.within(bound)


@pytest.mark.parametrize("sizes", SHAPES)
def test_relu_gradients_match_central_differences(sizes):
    params, (X, Y) = random_params(sizes), data(sizes)
    cache = mlp.forward(params, X, "relu")
    hidden = np.concatenate([z.ravel() for z in cache.z[:-1]] + [np.ones(1)])
    # A central difference across the kink of max(z, 0) is not a derivative: a step h moves each z by
    # at most a few h here, so every z stays on its side of 0 when |z| > 50·h.
    assert np.abs(hidden).min() > 50 * mlp.CHECK_STEP
    result = gradcheck.check_gradient(
        lambda t: mlp.loss_and_grads(unflat(t, sizes), X, Y, "relu")[0],
        lambda t: flat(mlp.loss_and_grads(unflat(t, sizes), X, Y, "relu")[1]),
        flat(params), h=mlp.CHECK_STEP)
    bound = gradcheck.error_bound(mlp.CHECK_STEP, gradcheck.mse_round_off(cache.y_hat, Y), THIRD, flat(params),
                                  result.numeric)
    assert result.within(bound), (result.max_abs_error, bound.max())
    if len(sizes) > 2:  # the hidden layers really are ReLU, so a sigmoid backward would fail here
        sigmoid_grads = flat(mlp.loss_and_grads(unflat(flat(params), sizes), X, Y)[1])
        assert gradcheck.relative_error(sigmoid_grads, result.numeric).max() > 0.1


def test_relu_hidden_layers_and_a_sigmoid_output():
    params, (X, _) = random_params((3, 4, 4, 2)), data((3, 4, 4, 2))
    cache = mlp.forward(params, X, activation="relu")
    assert cache.activation == "relu"
    np.testing.assert_array_equal(cache.a[0], np.maximum(cache.z[0], 0))
    np.testing.assert_array_equal(cache.a[1], np.maximum(cache.z[1], 0))
    assert (cache.a[0] == 0).any() and (cache.a[0] > 0).any()
    np.testing.assert_allclose(cache.a[2], 1 / (1 + np.exp(-cache.z[2])))


def test_relu_delta_is_Wt_delta_where_z_is_positive_and_zero_elsewhere():
    params, (X, Y) = random_params((3, 4, 2)), data((3, 4, 2))
    cache = mlp.forward(params, X, "relu")
    delta1, delta2 = mlp.deltas(params, cache, Y)
    np.testing.assert_allclose(delta1, (delta2 @ params[1][0]) * (cache.z[0] > 0), rtol=1e-14)


@pytest.mark.parametrize("init, variance", [("normal", lambda i, o: 1.0),
                                            ("xavier", lambda i, o: 2 / (i + o)),
                                            ("he", lambda i, o: 2 / i)])
def test_init_params_draws_each_layer_with_the_variance_of_its_init(init, variance):
    sizes = (300, 100, 200)
    params = mlp.init_params(sizes, scale=0.5, seed=3, init=init)
    for (W, _), n_in, n_out in zip(params, sizes, sizes[1:]):
        want = 0.25 * variance(n_in, n_out)
        # the sample variance of N ≥ 20000 normal draws is within 4·√(2/N) ≈ 4 % of the variance
        assert abs(W.var() / want - 1) < 0.04, (init, W.var(), want)


def test_train_with_relu_takes_the_steps_of_loss_and_grads_with_relu():
    X, Y = mlp.make_task(n=8)
    params = random_params((3, 4, 4, 3))
    history = mlp.train(params, X, Y, lr=0.3, epochs=1, activation="relu")
    loss, grads = mlp.loss_and_grads(params, X, Y, "relu")
    assert np.isclose(history.losses[0], loss, rtol=1e-12)
    stepped = [(W - 0.3 * dW, b - 0.3 * db) for (W, b), (dW, db) in zip(params, grads)]
    assert np.isclose(history.losses[1], mlp.loss_and_grads(stepped, X, Y, "relu")[0], rtol=1e-12)
    assert not np.isclose(history.losses[1], mlp.loss_and_grads(stepped, X, Y)[0], rtol=1e-6)


def test_check_layer_checks_the_backward_pass_it_is_given():
    params, (X, Y) = random_params(mlp.SIZES), data(mlp.SIZES)

    def doubled_L2(p, X, Y):  # a backward pass wrong in L2 only
        grads = mlp.loss_and_grads(p, X, Y)[1]
        grads[1] = (2 * grads[1][0], 2 * grads[1][1])
        return grads

    checks = [mlp.check_layer(params, X, Y, l, gradients=doubled_L2) for l in range(4)]
    assert max(c.max_error for c in checks[1]) > 0.1
    assert [layer_within_bounds(params, X, Y, l, checks[l]) for l in range(4)] == [True, False, True, True]


def test_check_layer_passes_relu_gradients_with_the_relu_activation():
    params, (X, Y) = random_params(mlp.SIZES, seed=4), data(mlp.SIZES)
    for l in range(4):
        assert layer_within_bounds(params, X, Y, l, mlp.check_layer(params, X, Y, l, activation="relu"), "relu"), l


def test_flatten_lists_each_layer_W_row_by_row_then_b_and_unflatten_inverts_it():
    params = random_params((3, 4, 2))
    theta = mlp.flatten(params)
    (W1, b1), (W2, b2) = params
    assert theta.shape == (4 * 3 + 4 + 2 * 4 + 2,)
    assert theta[1] == W1[0, 1] and theta[3] == W1[1, 0] and theta[12] == b1[0] and theta[16] == W2[0, 0]
    for (W, b), (W_back, b_back) in zip(params, mlp.unflatten(theta, (3, 4, 2))):
        np.testing.assert_array_equal(W_back, W)
        np.testing.assert_array_equal(b_back, b)
    with pytest.raises(ValueError, match="^theta "):
        mlp.unflatten(theta[:-1], (3, 4, 2))


def test_sharpest_curvature_is_the_second_derivative_of_the_loss_along_its_direction_and_the_largest():
    sizes, params, (X, Y) = (3, 4, 2), random_params((3, 4, 2)), data((3, 4, 2))
    lam, v = mlp.sharpest_curvature(params, X, Y)
    theta, t = mlp.flatten(params), 1e-3

    def second_derivative(u):  # of ℓ(θ + t·u) in t, from the loss alone (no backward pass)
        f = [mlp.loss_and_grads(mlp.unflatten(theta + s * t * u, sizes), X, Y)[0] for s in (-1, 0, 1)]
        return (f[0] - 2 * f[1] + f[2]) / t ** 2

    assert np.isclose(np.linalg.norm(v), 1)
    assert np.isclose(second_derivative(v), lam, rtol=1e-4), (second_derivative(v), lam)
    directions = np.random.default_rng(0).standard_normal((20, v.size))
    bends = [second_derivative(u / np.linalg.norm(u)) for u in directions]
    assert max(bends) < lam and max(bends) > 0.05 * lam


def test_the_3333_network_has_48_parameters_and_all_pass_the_check():
    params, (X, Y) = mlp.init_params(seed=3), mlp.make_task(n=16)
    assert flat(params).size == 48
    for l in range(4):
        checks = mlp.check_layer(params, X, Y, l)
        for check, bound in zip(checks, layer_bounds(params, X, Y, l, checks)):
            assert check.within(bound), (l, check.max_abs_error, bound.max())


def test_backward_is_the_chain_rule_written_out_for_two_layers():
    """A transcription of the equations, one sample at a time, against backward's batch form."""
    sizes = (3, 4, 2)
    params, (X, Y) = random_params(sizes), data(sizes, n=4)
    (W1, b1), (W2, b2) = params
    S = lambda z: 1 / (1 + np.exp(-z))
    want = [np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), np.zeros_like(b2)]
    for x, y in zip(X, Y):
        a1 = S(W1 @ x + b1)
        y_hat = S(W2 @ a1 + b2)
        delta2 = 2 / 2 * (y_hat - y) * y_hat * (1 - y_hat)   # ∂L/∂ŷ = 2(ŷ − y)/n_out, times S'(z_2)
        delta1 = (W2.T @ delta2) * a1 * (1 - a1)            # δ_1 = (W_2ᵀ·δ_2) ⊙ S'(z_1)
        for g, term in zip(want, [np.outer(delta1, x), delta1, np.outer(delta2, a1), delta2]):
            g += term / len(X)                               # the mean over the batch
    got = mlp.backward(params, mlp.forward(params, X), Y)
    for g, w in zip([got[0][0], got[0][1], got[1][0], got[1][1]], want):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-15)


def test_check_layer_fails_a_backward_that_doubles_the_gradient(monkeypatch):
    params, (X, Y) = random_params(mlp.SIZES), data(mlp.SIZES)
    assert all(layer_within_bounds(params, X, Y, l, mlp.check_layer(params, X, Y, l)) for l in range(4))
    right = mlp._deltas
    monkeypatch.setattr(mlp, "_deltas", lambda *args: [2 * d for d in right(*args)])  # the factor 2 twice
    for l in range(4):
        checks = mlp.check_layer(params, X, Y, l)
        for check, bound in zip(checks, layer_bounds(params, X, Y, l, checks)):
            assert not check.within(bound) and check.max_error == pytest.approx(1 / 3, rel=1e-3)  # |2g − g| / 3g


def test_forward_keeps_every_z_and_a_layer_by_layer():
    params, (X, _) = random_params((3, 4, 2)), data((3, 4, 2))
    cache = mlp.forward(params, X)
    (W1, b1), (W2, b2) = params
    np.testing.assert_allclose(cache.z[0], X @ W1.T + b1)
    np.testing.assert_allclose(cache.a[0], 1 / (1 + np.exp(-cache.z[0])))
    np.testing.assert_allclose(cache.z[1], cache.a[0] @ W2.T + b2)
    assert cache.y_hat is cache.a[-1] and cache.a_prev(0) is cache.x and cache.a_prev(1) is cache.a[0]
    assert [z.shape for z in cache.z] == [(5, 4), (5, 2)]


def test_delta_of_the_output_layer_is_dL_dyhat_times_the_sigmoid_slope():
    params, (X, Y) = random_params(mlp.SIZES), data(mlp.SIZES, n=1)
    cache = mlp.forward(params, X)
    y_hat = cache.y_hat[0]
    want = 2 * (y_hat - Y[0]) / 3 * y_hat * (1 - y_hat)
    np.testing.assert_allclose(mlp.deltas(params, cache, Y)[-1][0], want)


@pytest.mark.parametrize("sizes", [mlp.SIZES, (3, 4, 5, 2), (3, 4, 2)])
def test_the_path_by_path_sum_equals_the_matrix_form(sizes):
    params, (X, Y) = random_params(sizes), data(sizes)
    cache = mlp.forward(params, X)
    dW = mlp.backward(params, cache, Y)[-2][0]
    for j in range(sizes[-2]):
        for k in range(sizes[-3]):
            terms = mlp.paths_to_output(params, cache, Y, j, k)
            assert terms.shape == (sizes[-1],)
            assert np.isclose(terms.sum(), dW[j, k], rtol=1e-12, atol=0)
            assert not np.isclose(terms[0], dW[j, k])  # one path alone is not the gradient


def test_training_lowers_the_loss_and_leaves_the_start_unchanged():
    X, Y = mlp.make_task()
    params = mlp.init_params()
    before = [W.copy() for W, _ in params]
    history = mlp.train(params, X, Y, lr=10.0, epochs=300)
    assert history.losses.shape == (301,) and history.grad_norms.shape == (301, 4)
    assert history.losses[-1] < 0.5 * history.losses[0]
    assert all(np.array_equal(W, W0) for (W, _), W0 in zip(params, before))


def test_train_takes_the_steps_that_loss_and_grads_gives():
    X, Y = mlp.make_task(n=8)
    params = random_params((3, 4, 2, 3))
    history = mlp.train(params, X, Y, lr=0.7, epochs=3)
    for k in range(4):
        loss, grads = mlp.loss_and_grads(params, X, Y)
        assert np.isclose(history.losses[k], loss, rtol=1e-12)
        np.testing.assert_allclose(history.grad_norms[k], [np.linalg.norm(dW) for dW, _ in grads], rtol=1e-12)
        if k < 3:
            params = [(W - 0.7 * dW, b - 0.7 * db) for (W, b), (dW, db) in zip(params, grads)]
    for (W, b), (W_t, b_t) in zip(params, history.params):
        np.testing.assert_allclose(W_t, W, rtol=1e-12)
        np.testing.assert_allclose(b_t, b, rtol=1e-12)


def test_init_params_shapes_scale_and_seed():
    params = mlp.init_params((3, 5, 2), scale=0.5, seed=7)
    assert [(W.shape, b.shape) for W, b in params] == [((5, 3), (5,)), ((2, 5), (2,))]
    assert all(np.all(b == 0) for _, b in params)
    again = mlp.init_params((3, 5, 2), scale=1.0, seed=7)
    np.testing.assert_allclose(2 * params[0][0], again[0][0])
    assert not np.allclose(mlp.init_params(seed=8)[0][0], mlp.init_params(seed=7)[0][0])


def test_make_task_is_fixed_and_targets_lie_in_0_1():
    X, Y = mlp.make_task()
    X2, Y2 = mlp.make_task()
    assert X.shape == Y.shape == (64, 3)
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2)
    assert np.all((Y > 0) & (Y < 1)) and Y.std(axis=0).min() > 0.1


def test_sigmoid_saturates_without_overflow_warnings():
    np.testing.assert_allclose(mlp.sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0])


GOOD = mlp.init_params()
X_GOOD, Y_GOOD = mlp.make_task(n=4)


@pytest.mark.parametrize("call, name", [
    (lambda: mlp.forward(GOOD, np.ones((4, 2))), "X"),
    (lambda: mlp.forward(GOOD, np.ones(3)), "X"),
    (lambda: mlp.forward(GOOD, np.full((4, 3), np.nan)), "X"),
    (lambda: mlp.loss_and_grads(GOOD, X_GOOD, np.ones((4, 2))), "Y"),
    (lambda: mlp.loss_and_grads(GOOD, X_GOOD, np.ones((5, 3))), "Y"),
    (lambda: mlp.loss_and_grads(GOOD, X_GOOD, Y_GOOD * np.nan), "Y"),
    (lambda: mlp.init_params((3, 0, 3)), "sizes[1]"),
    (lambda: mlp.init_params((3,)), "sizes"),
    (lambda: mlp.init_params((3, 2.5)), "sizes[1]"),
    (lambda: mlp.init_params(scale=0), "scale"),
    (lambda: mlp.init_params(seed=-1), "seed"),
    (lambda: mlp.train(GOOD, X_GOOD, Y_GOOD, lr=np.nan, epochs=5), "lr"),
    (lambda: mlp.train(GOOD, X_GOOD, Y_GOOD, lr=0.1, epochs=-1), "epochs"),
    (lambda: mlp.forward([GOOD[0], (np.ones((3, 2)), np.ones(3))], X_GOOD), "params[1] W"),
    (lambda: mlp.forward([(GOOD[0][0], np.ones(2))], X_GOOD), "params[0] b"),
    (lambda: mlp.forward([(GOOD[0][0] * np.nan, GOOD[0][1])], X_GOOD), "params[0] W"),
    (lambda: mlp.forward([GOOD[0][0]], X_GOOD), "params[0]"),
    (lambda: mlp.forward([], X_GOOD), "params"),
    (lambda: mlp.forward(GOOD, X_GOOD, activation="tanh"), "activation"),
    (lambda: mlp.train(GOOD, X_GOOD, Y_GOOD, lr=0.1, epochs=1, activation=None), "activation"),
    (lambda: mlp.init_params(init="glorot"), "init"),
])
def test_bad_input_raises_an_error_naming_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError)) as error:
        call()
    assert str(error.value).startswith(name + " "), str(error.value)


# Mini-batches: an option of train; without it, the full-batch loop is unchanged.

def _transcribed(params, X, Y, lr, batches_per_epoch):
    """Per epoch: the loss on all samples, then W ← W − lr·∂L/∂W on each batch in turn, written out."""
    params = [(W.copy(), b.copy()) for W, b in params]
    losses = []
    for batches in batches_per_epoch:
        losses.append(mlp.loss_and_grads(params, X, Y)[0])
        for i in batches:
            grads = mlp.loss_and_grads(params, X[i], Y[i])[1]
            params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
    losses.append(mlp.loss_and_grads(params, X, Y)[0])
    return np.array(losses), params


def test_train_without_a_batch_size_is_the_full_batch_loop_bit_for_bit():
    X, Y = mlp.make_task(n=16)
    history = mlp.train(mlp.init_params(seed=2), X, Y, 3.0, 12)
    losses, params = _transcribed(mlp.init_params(seed=2), X, Y, 3.0, [[slice(None)]] * 12)
    assert np.array_equal(history.losses, losses)
    assert all(np.array_equal(W, W2) and np.array_equal(b, b2) for (W, b), (W2, b2) in zip(history.params, params))


def test_train_with_batches_steps_once_per_batch():
    from nbkit import sampling
    X, Y = mlp.make_task(n=18)
    history = mlp.train(mlp.init_params(seed=2), X, Y, 3.0, 5, batch_size=4, seed=9)
    batches = sampling.batch_indices(18, 4, 5 * 4, seed=9).reshape(5, 4, 4)
    losses, params = _transcribed(mlp.init_params(seed=2), X, Y, 3.0, batches)
    assert np.array_equal(history.losses, losses)
    assert all(np.array_equal(W, W2) for (W, _), (W2, _) in zip(history.params, params))


def test_a_batch_of_all_n_samples_is_the_full_batch_exactly():
    X, Y = mlp.make_task(n=24)
    full = mlp.train(mlp.init_params(seed=1), X, Y, 5.0, 30)
    batched = mlp.train(mlp.init_params(seed=1), X, Y, 5.0, 30, batch_size=24, seed=4)
    assert np.array_equal(batched.losses, full.losses) and np.array_equal(batched.grad_norms, full.grad_norms)


def test_train_names_a_bad_batch_size():
    X, Y = mlp.make_task(n=8)
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1; got 0"):
        mlp.train(mlp.init_params(), X, Y, 1.0, 2, batch_size=0)
    with pytest.raises(ValueError, match="batch_size must be an integer from 1 to n = 8"):
        mlp.train(mlp.init_params(), X, Y, 1.0, 2, batch_size=9)
def test_a_path_through_the_output_needs_two_layers():
    params, (X, Y) = random_params((3, 2)), data((3, 2))
    with pytest.raises(ValueError) as error:
        mlp.paths_to_output(params, mlp.forward(params, X), Y, 0, 0)
    assert str(error.value).startswith("params must have at least 2 layers")


def test_unflatten_is_the_inverse_of_flatten_and_gives_floats():
    params = mlp.init_params(seed=3)
    back = mlp.unflatten(mlp.flatten(params), mlp.SIZES)
    assert len(back) == len(params)
    for (W, b), (W_back, b_back) in zip(params, back):
        np.testing.assert_array_equal(W_back, W)
        np.testing.assert_array_equal(b_back, b)
    P = mlp.flatten(params).size
    assert all(W.dtype == float and b.dtype == float for W, b in mlp.unflatten(np.arange(P), mlp.SIZES))


def test_init_params_defaults_and_edges():
    """scale 1, seed 0 by default; a layer of one neuron, scale up to 1e6 and 10 000 000 weights are allowed."""
    for (W, b), (W0, b0) in zip(mlp.init_params(), mlp.init_params(mlp.SIZES, scale=1.0, seed=0, init="normal")):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
    assert not np.array_equal(mlp.init_params()[0][0], mlp.init_params(seed=1)[0][0])
    assert [W.shape for W, _ in mlp.init_params((3, 1, 3))] == [(1, 3), (3, 1)]
    assert mlp.init_params((2, 2), scale=1e6)[0][0].shape == (2, 2)
    with pytest.raises(ValueError, match=r"scale must be a finite number > 0 and <= 1e\+06; got 1000000.5"):
        mlp.init_params((2, 2), scale=1_000_000.5)
    assert mlp.init_params((10_000, 1_000))[0][0].shape == (1_000, 10_000)  # exactly MAX_WEIGHTS


@pytest.mark.parametrize("call, error, message", [
    (lambda: mlp.forward([(1, 2, 3)], [[0.5]]), ValueError, "params[0] must be a pair (W, b); got tuple"),
    (lambda: mlp.forward([(np.full((1, 1), 1e308), np.array([1e308]))], [[0.5]]), ValueError,
     "params[0] is too large: its weighted sums W·a + b overflow a float"),
    (lambda: mlp.forward(mlp.init_params(), [[1e308, 1e308, 1e308]]), ValueError,
     "X is too large: the weighted sums W·x of L1 overflow a float"),
    (lambda: mlp.backward(mlp.init_params(), (1, 2), [[0.5, 0.5, 0.5]]), TypeError,
     "cache must be the Cache that forward(params, X) returns; got tuple"),
    (lambda: mlp.train(mlp.init_params(), *mlp.make_task(), 0.5, 1, optimizer="adam"), TypeError,
     "optimizer must be an update rule such as GradientDescent(), Momentum(beta=0.9) or Adam(); got 'adam' of type str"),
])
def test_mlp_errors_name_what_went_wrong(call, error, message):
    assert message_of(call, error) == message


def test_each_row_of_a_layer_is_bounded_on_its_own():
    """Two rows of 1e308 each fit (each z ≤ 1e308); only their total would not."""
    params = [(np.array([[1e308, 0.0], [0.0, 1e308]]), np.zeros(2))]
    assert np.isfinite(mlp.forward(params, [[0.5, 0.5]]).z[0]).all()


def test_training_options_are_used_where_they_apply():
    """The optimizer takes the steps, the activation is that of every mini-batch too, and the seed is 0 by default."""
    from nbkit import optimizers
    X, Y = mlp.make_task()
    params = mlp.init_params(seed=3)
    plain = mlp.train(params, X, Y, 0.5, 3)
    assert not np.array_equal(plain.losses, mlp.train(params, X, Y, 0.5, 3, optimizer=optimizers.Momentum(beta=0.9)).losses)
    full = mlp.train(params, X, Y, 0.5, 3, activation="relu")
    np.testing.assert_array_equal(full.losses, mlp.train(params, X, Y, 0.5, 3, activation="relu", batch_size=len(X)).losses)
    by_default = mlp.train(params, X, Y, 0.5, 3, batch_size=2)
    np.testing.assert_array_equal(by_default.losses, mlp.train(params, X, Y, 0.5, 3, batch_size=2, seed=0).losses)
    assert not np.array_equal(by_default.losses, mlp.train(params, X, Y, 0.5, 3, batch_size=2, seed=1).losses)


def test_branch_terms_exist_for_each_layer_with_a_layer_after_it():
    params = mlp.init_params(seed=2)
    X, Y = mlp.make_task()
    cache = mlp.forward(params, X[:2])
    deltas = mlp.deltas(params, cache, Y[:2])
    for l in range(len(params) - 1):
        terms = mlp.branch_terms(params, deltas, l)
        np.testing.assert_allclose(terms, deltas[l + 1][:, :, None] * params[l + 1][0][None], rtol=0, atol=0)
        np.testing.assert_allclose(terms.sum(axis=1), deltas[l + 1] @ params[l + 1][0], rtol=1e-13, atol=1e-17)
    for l in (-1, len(params) - 1):
        with pytest.raises(ValueError) as raised:
            mlp.branch_terms(params, deltas, l)
        assert str(raised.value) == f"l must be a layer index from 0 to 2 (a layer with a layer after it); got {l}"


def test_check_layer_varies_the_layer_asked_for_each_of_w_and_b():
    params = mlp.init_params(seed=2)
    X, Y = mlp.make_task()
    grads = mlp.backward(params, mlp.forward(params, X), Y)
    for l in range(len(params)):
        check_W, check_b = mlp.check_layer(params, X, Y, l)
        assert check_W.analytic.shape == params[l][0].shape and check_b.analytic.shape == params[l][1].shape
        np.testing.assert_array_equal(check_W.analytic, grads[l][0])
        np.testing.assert_allclose(check_W.numeric, grads[l][0], rtol=1e-5, atol=1e-9)
        np.testing.assert_allclose(check_b.numeric, grads[l][1], rtol=1e-5, atol=1e-9)
    with pytest.raises(TypeError) as raised:
        mlp.check_layer(params, X, Y, 0, gradients=3)
    assert str(raised.value) == "gradients must be a function; got 3 of type int"


def _history(losses):
    losses = np.asarray(losses, dtype=float)
    return mlp.History(losses, np.ones((len(losses), 4)), mlp.init_params())


@pytest.mark.parametrize("losses, verdict", [
    ([0.3, 0.2, np.nan, np.nan], ("diverged", "diverged: the loss is not a number from epoch 2")),
    ([0.3], ("no epochs", "no epochs: the loss at initialisation is 0.3000")),
    ([1e12, 1e12 + 1, 1.0], ("converging", "converging: the loss went from 1000000000000.0000 to 1.0000 in 2 epochs, "
                                          "falling on every epoch")),
    ([1.0, 0.5, 0.5 + 6e-13], ("rising", "loss rising on 1 of 2 epochs: the loss went from 1.0000 to 0.5000 in 2 epochs overall")),
])
def test_the_training_verdict_at_its_thresholds(losses, verdict):
    """A rise counts when it exceeds 1e-12 of the loss before it (a rise of exactly that is round-off)."""
    assert tuple(mlp.verdict(_history(losses))) == verdict


def test_the_training_verdict_refuses_what_train_did_not_return():
    with pytest.raises(TypeError) as raised:
        mlp.verdict((1, 2))
    assert str(raised.value) == "history must be the History that train(params, X, Y, lr, epochs) returns; got tuple"
