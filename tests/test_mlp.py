"""Tests for nbkit.mlp: gradients against central differences, the per-path sum, training, errors."""

import numpy as np
import pytest

from nbkit import gradcheck, mlp

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


@pytest.mark.parametrize("sizes", SHAPES)
def test_gradients_match_central_differences(sizes):
    params, (X, Y) = random_params(sizes), data(sizes)
    result = gradcheck.check_gradient(
        lambda t: mlp.loss_and_grads(unflat(t, sizes), X, Y)[0],
        lambda t: flat(mlp.loss_and_grads(unflat(t, sizes), X, Y)[1]),
        flat(params), h=mlp.CHECK_STEP)
    assert result.analytic.size == sum(m * k + m for k, m in zip(sizes, sizes[1:]))
    assert result.max_error < 1e-7, result.max_error


def test_the_3333_network_has_48_parameters_and_all_pass_the_check():
    params, (X, Y) = mlp.init_params(seed=3), mlp.make_task(n=16)
    assert flat(params).size == 48
    for l in range(4):
        for check in mlp.check_layer(params, X, Y, l):
            assert check.ok(1e-7), (l, check.max_error)


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
    assert all(check.ok(1e-7) for l in range(4) for check in mlp.check_layer(params, X, Y, l))
    right = mlp._deltas
    monkeypatch.setattr(mlp, "_deltas", lambda *args: [2 * d for d in right(*args)])  # the factor 2 twice
    for l in range(4):
        for check in mlp.check_layer(params, X, Y, l):
            assert not check.ok(1e-7) and check.max_error == pytest.approx(1 / 3, rel=1e-3)  # |2g − g| / 3g


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
])
def test_bad_input_raises_an_error_naming_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError)) as error:
        call()
    assert str(error.value).startswith(name + " "), str(error.value)


def test_a_path_through_the_output_needs_two_layers():
    params, (X, Y) = random_params((3, 2)), data((3, 2))
    with pytest.raises(ValueError) as error:
        mlp.paths_to_output(params, mlp.forward(params, X), Y, 0, 0)
    assert str(error.value).startswith("params must have at least 2 layers")
