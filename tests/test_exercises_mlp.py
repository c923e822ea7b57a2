"""Each checker of nbkit.exercises.mlp accepts the right answer and rejects wrong ones with a hint."""

import numpy as np
import pytest

from nbkit import mlp
from nbkit.exercises import mlp as check

from bounds import layer_within_bounds


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


@pytest.mark.parametrize("mistake, hint", [
    (lambda d, z, yh, y: 2 * (yh - y) / 3, "this is ∂ℓ/∂ŷ; the neuron's sigmoid still lies between ŷ and z."),
    (lambda d, z, yh, y: -d, "the sign is flipped: ℓ grows when ŷ moves away from y, so δ has the sign of ŷ − y."),
    (lambda d, z, yh, y: 1.5 * d, "the chain is right but a constant is missing: differentiate (1/3)·Σ(ŷⱼ − yⱼ)²."),
    (lambda d, z, yh, y: 3 * d, "ℓ is the mean over three outputs: where does its 1/3 go?"),
    (lambda d, z, yh, y: 2 * (yh - y) / 3 * yh, "S′(z) is the slope of the sigmoid, not S(z) itself."),
    (lambda d, z, yh, y: 2 * (yh - y) / 3 * z * (1 - z), "S′(z) = S(z)·(1 − S(z)): use a = S(z), not z."),
])
def test_delta_L4_rejects_a_mistake_with_its_hint(mistake, hint):
    z, y_hat, y = check.delta_question()
    answer = mistake(right_delta(), z, y_hat, y)
    feedback = check.delta_L4(answer)
    assert not feedback.correct
    assert feedback.message == f"your δ₄ = {np.array2string(answer, precision=4)}: {hint}"


def test_delta_L4_says_why_a_right_answer_is_right_and_how_to_start_on_a_wrong_one():
    assert check.delta_L4(right_delta()).message == (
        "δ₄ = ∂ℓ/∂ŷ ⊙ S′(z) = (2/3)(ŷ − y) ⊙ ŷ(1 − ŷ): the factor from the loss, "
        "then the slope of each sigmoid, read off the cached a = ŷ.")
    answer = right_delta() + 0.01
    assert check.delta_L4(answer).message == (
        f"your δ₄ = {np.array2string(answer, precision=4)} is not ∂ℓ/∂ŷ ⊙ S′(z). "
        "Write ∂ℓ/∂ŷⱼ for one output first, then multiply by that neuron's slope.")


@pytest.mark.parametrize("checker", [check.delta_L4, check.delta_L3])
def test_a_delta_checker_says_what_a_malformed_answer_should_be(checker):
    d, layer = ("δ₄", "L4") if checker is check.delta_L4 else ("δ₃", "L3")
    for placeholder in (..., None):
        assert checker(placeholder).message == "set the answer to your 3 numbers in place of `...`."
    assert checker("x").message == f"{d}, one number per neuron of {layer}, must be 3 numbers; got 'x'."
    assert checker([1.0, 2.0]).message == f"{d}, one number per neuron of {layer}, must be 3 finite numbers; got [1.0, 2.0]."


def test_a_delta_answer_may_be_a_column_and_is_judged_within_the_tolerance():
    assert check.delta_L4(right_delta().reshape(3, 1)).correct
    unit = 10.0 ** -check.DECIMALS_L4
    assert check.delta_L4(right_delta() + 1.9 * unit).correct
    assert not check.delta_L4(right_delta() + 2.5 * unit).correct  # two units of the last printed place, no more


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


@pytest.mark.parametrize("mistake, hint", [
    (lambda W, d, a: (W @ d) * a * (1 - a), "you summed along the rows of W₄; neuron m of L3 feeds column m, W₄[j, m]."),
    (lambda W, d, a: W.T @ d, "this is ∂ℓ/∂a₃; the sigmoid of L3 still lies between a₃ and z₃."),
    (lambda W, d, a: (W.T @ d) * a, "S′(z) is the slope of the sigmoid, a(1 − a), not a itself."),
    (lambda W, d, a: d * a * (1 - a), "δ₄ must pass through the weights: each path from L3m to L4j carries W₄[j, m]."),
])
def test_delta_L3_rejects_a_mistake_with_its_hint(mistake, hint):
    answer = mistake(*check.delta_L3_question())
    feedback = check.delta_L3(answer)
    assert not feedback.correct
    assert feedback.message == f"your δ₃ = {np.array2string(answer, precision=6)}: {hint}"


def test_delta_L3_says_why_a_right_answer_is_right_and_how_to_start_on_a_wrong_one():
    assert check.delta_L3(right_delta3()).message == (
        "δ₃ = (W₄ᵀ δ₄) ⊙ S′(z₃): neuron m of L3 collects W₄[j, m]·δ₄ⱼ over the three paths "
        "j = 1, 2, 3, then multiplies by its own slope a₃ₘ(1 − a₃ₘ).")
    answer = right_delta3() + 1e-4
    assert check.delta_L3(answer).message == (
        f"your δ₃ = {np.array2string(answer, precision=6)} is not (W₄ᵀ δ₄) ⊙ S′(z₃). "
        "Do neuron 1 of L3 first: the sum over j of W₄[j, 1]·δ₄ⱼ, times a₃₁(1 − a₃₁).")


@pytest.mark.parametrize("answer", [..., None, "x", [1.0, 2.0], [np.inf, 0.0, 0.0]])
def test_delta_L3_rejects_malformed_answers(answer):
    assert not check.delta_L3(answer).correct


def test_suspect_gradients_fail_the_check_from_the_buggy_layer_down_and_only_there():
    params, (X, Y) = mlp.init_params(), mlp.make_task()
    checks = [mlp.check_layer(params, X, Y, l, gradients=check.suspect_gradients) for l in range(4)]
    errors = [max(c.max_error for c in layer) for layer in checks]
    first_wrong = max(l for l in range(4) if errors[l] > 1e-2) + 1
    assert layer_within_bounds(params, X, Y, 3, checks[3]) and min(errors[:3]) > 1e-2, errors
    assert check.planted_bug(first_wrong).correct


@pytest.mark.parametrize("layer, message", [
    (4, "L4 passes the check: its gradient is right. Look further back."),
    (2, "L2 fails the check, but so does a layer after it. δ flows from L4 back to L1: an error in one δ reaches "
        "every layer before it. Where does the error enter?"),
    (1, "L1 fails the check, but so does a layer after it. δ flows from L4 back to L1: an error in one δ reaches "
        "every layer before it. Where does the error enter?"),
    (0, "layer is a number from 1 (L1) to 4 (L4); got 0."),
    (5, "layer is a number from 1 (L1) to 4 (L4); got 5."),
    (2.5, "layer is a number from 1 (L1) to 4 (L4); got 2.5."),
    ("L3", "layer must be a number; got 'L3'."),
    (..., "set layer to a number in place of `...`."),
])
def test_planted_bug_rejects_other_layers_with_a_hint(layer, message):
    feedback = check.planted_bug(layer)
    assert not feedback.correct
    assert feedback.message == message


def test_planted_bug_says_why_the_right_layer_is_right():
    assert check.planted_bug(3).message == (
        "L3: its check fails and L4's passes. δ3 is computed from δ4 with W4 where W4ᵀ belongs; every layer "
        "below inherits the wrong δ through the recursion, so their checks fail too.")
