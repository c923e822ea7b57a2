"""Each checker of nbkit.exercises.mlp accepts the right answer and rejects wrong ones with a hint."""

import numpy as np
import pytest

from nbkit import mlp
from nbkit.exercises import mlp as check


def right_delta():
    z, y_hat, y = check.delta_question()
    return 2 * (y_hat - y) / 3 * y_hat * (1 - y_hat)


def test_delta_question_is_the_cached_forward_pass():
    z, y_hat, y = check.delta_question()
    np.testing.assert_allclose(y_hat, mlp.sigmoid(z))
    X, Y = mlp.make_task()
    np.testing.assert_allclose(y, Y[0])


def test_delta_L4_accepts_the_matrix_form_result():
    X, Y = mlp.make_task()
    params = mlp.init_params()
    from_backprop = mlp.deltas(params, mlp.forward(params, X[:1]), Y[:1])[-1][0]
    feedback = check.delta_L4(from_backprop)
    assert feedback.correct, feedback
    assert check.delta_L4(list(right_delta())).correct


@pytest.mark.parametrize("mistake, words", [
    (lambda d, z, yh, y: 2 * (yh - y) / 3, "∂L/∂ŷ"),
    (lambda d, z, yh, y: -d, "sign"),
    (lambda d, z, yh, y: 1.5 * d, "constant"),
    (lambda d, z, yh, y: 3 * d, "1/3"),
    (lambda d, z, yh, y: 2 * (yh - y) / 3 * yh, "slope"),
    (lambda d, z, yh, y: 2 * (yh - y) / 3 * z * (1 - z), "not z"),
    (lambda d, z, yh, y: d + 0.01, "not ∂L/∂ŷ ⊙ S'(z)"),
])
def test_delta_L4_rejects_a_mistake_with_its_hint(mistake, words):
    z, y_hat, y = check.delta_question()
    feedback = check.delta_L4(mistake(right_delta(), z, y_hat, y))
    assert not feedback.correct
    assert words in feedback.message
    assert np.array2string(right_delta(), precision=4) not in feedback.message


@pytest.mark.parametrize("answer", [..., None, "x", [1.0, 2.0], [np.nan, 0.0, 0.0]])
def test_delta_L4_rejects_malformed_answers(answer):
    assert not check.delta_L4(answer).correct


def test_smallest_gradient_accepts_the_layer_with_the_smallest_norm_and_the_reason():
    norms = check.gradient_norms_at_init()
    layer = int(np.argmin(norms)) + 1
    assert check.smallest_gradient(layer, "b").correct


@pytest.mark.parametrize("layer, reason", [(2, "b"), (3, "b"), (4, "b"), (1, "a"), (1, "c"), (1, "z"),
                                           (0, "b"), (5, "b"), (1.5, "b"), ("L1", "b"), (..., "b")])
def test_smallest_gradient_rejects_wrong_answers(layer, reason):
    feedback = check.smallest_gradient(layer, reason)
    assert not feedback.correct
    assert "farthest from the loss" not in feedback.message  # the right reason is never given away


@pytest.mark.parametrize("factor, correct", [(1 + 1e-7, True), (1 - 1e-7, True), (1 + 1e-5, False), (1 - 1e-5, False)])
def test_delta_L4_at_its_tolerance_of_1e_6(factor, correct):
    assert check.delta_L4(right_delta() * factor).correct is correct


def test_delta_L4_rejects_a_delta_with_one_neuron_wrong():
    delta = right_delta()
    delta[1] *= 1.01
    assert not check.delta_L4(delta).correct


def test_smallest_gradient_is_the_layer_whose_norm_is_smallest_computed_independently():
    X, Y = mlp.make_task()
    params = mlp.init_params()
    grads = mlp.backward(params, mlp.forward(params, X), Y)
    norms = [np.linalg.norm(dW) for dW, _ in grads]
    np.testing.assert_allclose(check.gradient_norms_at_init(), norms, rtol=1e-12)
    smallest = int(np.argmin(norms)) + 1
    assert [check.smallest_gradient(l, "b").correct for l in range(1, 5)] == [l == smallest for l in range(1, 5)]
