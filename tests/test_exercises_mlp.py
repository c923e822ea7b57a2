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
    (lambda d, z, yh, y: 2 * (yh - y) / 3, "∂ℓ/∂ŷ"),
    (lambda d, z, yh, y: -d, "sign"),
    (lambda d, z, yh, y: 1.5 * d, "constant"),
    (lambda d, z, yh, y: 3 * d, "1/3"),
    (lambda d, z, yh, y: 2 * (yh - y) / 3 * yh, "slope"),
    (lambda d, z, yh, y: 2 * (yh - y) / 3 * z * (1 - z), "not z"),
    (lambda d, z, yh, y: d + 0.01, "not ∂ℓ/∂ŷ ⊙ S′(z)"),
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


def test_delta_L4_accepts_delta_computed_from_the_printed_values():
    z, y_hat, y = (np.round(v, check.DECIMALS_L4) for v in check.delta_question())
    for slope in (y_hat * (1 - y_hat), mlp.sigmoid(z) * (1 - mlp.sigmoid(z))):  # from ŷ or from z
        feedback = check.delta_L4(2 * (y_hat - y) / 3 * slope)
        assert feedback.correct, feedback
    assert not check.delta_L4(right_delta() + 3 * 10.0 ** -check.DECIMALS_L4).correct


def test_the_tolerance_covers_every_rounding_of_the_printed_inputs():
    z, y_hat, y = check.delta_question()
    half = 0.5 * 10.0 ** -check.DECIMALS_L4
    for s_hat in (-1, 1):  # the corners of the rounding box of (ŷ, y)
        for s_y in (-1, 1):
            yh, yy = y_hat + s_hat * half, y + s_y * half
            err = np.abs(2 * (yh - yy) / 3 * yh * (1 - yh) - right_delta()).max()
            assert err < check.tolerance(check.DECIMALS_L4) / 1.5, err


def right_delta3():
    W4, delta4, a3 = check.delta_L3_question()
    return (W4.T @ delta4) * a3 * (1 - a3)


def test_delta_L3_question_is_the_networks_own_step_back():
    X, Y = mlp.make_task()
    params = mlp.init_params()
    cache = mlp.forward(params, X[1:2])
    want = mlp.deltas(params, cache, Y[1:2])[2][0]
    np.testing.assert_allclose(right_delta3(), want, rtol=1e-12)
    assert check.delta_L3(want).correct
    W4, delta4, a3 = (np.round(v, check.DECIMALS_L3) for v in check.delta_L3_question())
    assert check.delta_L3((W4.T @ delta4) * a3 * (1 - a3)).correct  # from the printed values


@pytest.mark.parametrize("mistake, words", [
    (lambda W, d, a: (W @ d) * a * (1 - a), "rows"),
    (lambda W, d, a: W.T @ d, "∂ℓ/∂a₃"),
    (lambda W, d, a: (W.T @ d) * a, "not a itself"),
    (lambda W, d, a: d * a * (1 - a), "through the weights"),
    (lambda W, d, a: (W.T @ d) * a * (1 - a) + 1e-4, "not (W₄ᵀ δ₄)"),
])
def test_delta_L3_rejects_a_mistake_with_its_hint(mistake, words):
    feedback = check.delta_L3(mistake(*check.delta_L3_question()))
    assert not feedback.correct
    assert words in feedback.message
    assert np.array2string(right_delta3(), precision=6) not in feedback.message


@pytest.mark.parametrize("answer", [..., None, "x", [1.0, 2.0], [np.inf, 0.0, 0.0]])
def test_delta_L3_rejects_malformed_answers(answer):
    assert not check.delta_L3(answer).correct


def test_suspect_gradients_fail_the_check_from_the_buggy_layer_down_and_only_there():
    params, (X, Y) = mlp.init_params(), mlp.make_task()
    errors = [max(c.max_error for c in mlp.check_layer(params, X, Y, l, gradients=check.suspect_gradients))
              for l in range(4)]
    first_wrong = max(l for l in range(4) if errors[l] > 1e-2) + 1
    assert errors[3] < 1e-7 and min(errors[:3]) > 1e-2, errors
    assert check.planted_bug(first_wrong).correct


@pytest.mark.parametrize("layer, words", [(4, "passes"), (2, "Where does the error enter"),
                                          (1, "Where does the error enter"), (0, "from 1"), (2.5, "from 1"),
                                          ("L3", "number"), (..., "number")])
def test_planted_bug_rejects_other_layers_with_a_hint(layer, words):
    feedback = check.planted_bug(layer)
    assert not feedback.correct
    assert words in feedback.message
