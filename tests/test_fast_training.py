"""The explorers' fast training loops give what the teaching functions give: to the bit, or within a derived bound."""

import numpy as np
import pytest

from nbkit import descent, mlp, neuron
from nbkit.explorers import fast_training
from nbkit.explorers.fast_training import norm_rtol, train_mlp, train_neuron

X, Y = mlp.make_task()

# Over the MLP explorer's slider ranges: lr 0.1…100, scale 0.1…3, seed 0…20.
MLP_CASES = [(30.0, 1.0, 0, 100), (100.0, 3.0, 20, 300), (0.1, 0.1, 7, 50), (3.0, 2.0, 5, 1), (42.17, 1.3, 11, 0)]


@pytest.mark.parametrize("lr, scale, seed, epochs", MLP_CASES)
def test_train_mlp_equals_mlp_train(lr, scale, seed, epochs):
    params = mlp.init_params(mlp.SIZES, scale, seed)
    expected, got = mlp.train(params, X, Y, lr, epochs), train_mlp(params, X, Y, lr, epochs)
    np.testing.assert_array_equal(got.losses, expected.losses)  # to the bit
    for (W, b), (W_expected, b_expected) in zip(got.params, expected.params, strict=True):
        np.testing.assert_array_equal(W, W_expected)
        np.testing.assert_array_equal(b, b_expected)
    assert got.grad_norms.shape == expected.grad_norms.shape
    np.testing.assert_allclose(got.grad_norms, expected.grad_norms, rtol=norm_rtol(9), atol=0)


def test_train_mlp_leaves_its_input_alone():
    params = mlp.init_params(mlp.SIZES, 1.0, 3)
    before = [(W.copy(), b.copy()) for W, b in params]
    train_mlp(params, X, Y, 30.0, 20)
    for (W, b), (W0, b0) in zip(params, before):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)


def test_norm_rtol_is_the_bound_for_nine_squares():
    u = 2.0**-53
    assert norm_rtol(9) == pytest.approx(11 * u, rel=1e-12)  # γ_9 + 2u, γ_9 = 9u/(1 − 9u)


def test_the_trainer_falls_back_to_mlp_train_when_it_cannot_stack(monkeypatch):
    params = mlp.init_params((3, 4, 3), 1.0, 0)
    assert fast_training.trainer(params) is mlp.train
    with pytest.raises(ValueError, match="square"):
        train_mlp(params, X, Y, 1.0, 2)
    assert fast_training.trainer(mlp.init_params()) is train_mlp
    monkeypatch.setattr(mlp, "train", lambda *args: None)  # a wrapper is called as it is
    assert fast_training.trainer(mlp.init_params()) is mlp.train


x, y = neuron.make_data()
# Over the neuron explorer's slider ranges: lr 0.01…1000, w0 and b0 −6…6, steps 1…300.
NEURON_CASES = [(1.0, -4.0, 4.0, 100), (1000.0, 6.0, -6.0, 300), (0.01, 0.0, 0.0, 300), (50.0, -6.0, 6.0, 300),
                (316.2, 1.0, 1.0, 1), (5.0, 2.5, -0.7, 0)]


@pytest.mark.parametrize("lr, w0, b0, steps", NEURON_CASES)
def test_train_neuron_equals_neuron_train(lr, w0, b0, steps):
    expected, got = neuron.train(x, y, (w0, b0), lr, steps), train_neuron(x, y, (w0, b0), lr, steps)
    np.testing.assert_array_equal(got.path, expected.path)  # to the bit
    assert (got.status, got.diverged_at) == (expected.status, expected.diverged_at)


@pytest.mark.parametrize("lr, escape, step", [(30.0, 1.1, 21), (100.0, 1.5, 16), (100.0, 1.1, 16)])
def test_train_neuron_stops_where_the_runner_stops(lr, escape, step):
    """With a small bound a run from (−6, −2) leaves it after some steps: where, and the path, as the runner."""
    expected = descent.gradient_descent(lambda theta: neuron.gradient(theta, x, y), (-6.0, -2.0), lr, 300, escape)
    got = train_neuron(x, y, (-6.0, -2.0), lr, 300, escape)
    assert expected.diverged_at == step
    assert (got.status, got.diverged_at) == (expected.status, expected.diverged_at)
    np.testing.assert_array_equal(got.path, expected.path)
