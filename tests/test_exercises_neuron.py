"""Tests for nbkit.exercises.neuron: each checker accepts a right answer and rejects wrong ones."""

import numpy as np
import pytest

from nbkit import neuron
from nbkit.exercises import neuron as ex


def S(z):
    return 1 / (1 + np.exp(-z))


def right_dl_db(w, b, x, y):
    y_hat = S(w * x + b)
    return 2 * (y_hat - y) * y_hat * (1 - y_hat)


def test_dl_db_accepts_the_chain_rule():
    feedback = ex.dl_db(right_dl_db)
    assert feedback.correct, feedback


@pytest.mark.parametrize("attempt, hint", [
    (lambda w, b, x, y: S(w * x + b) * (1 - S(w * x + b)), "article's slip"),
    (lambda w, b, x, y: -right_dl_db(w, b, x, y), "wrong sign"),
    (lambda w, b, x, y: right_dl_db(w, b, x, y) / 2, "derivative of a square"),
    (lambda w, b, x, y: right_dl_db(w, b, x, y) * x, "that is ∂ℓ/∂w"),
    (lambda w, b, x, y: 2 * (S(w * x + b) - y), "∂ℓ/∂ŷ alone"),
    (lambda w, b, x, y: 2 * (S(w * x + b) - y) * S(w * x + b), "uses S(z)"),
    (lambda w, b, x, y: w + b, "not ∂ℓ/∂b"),
])
def test_dl_db_rejects_wrong_formulas_with_a_hint_about_them(attempt, hint):
    feedback = ex.dl_db(attempt)
    assert not feedback.correct
    assert hint in feedback.message


def test_dl_db_feedback_never_contains_the_right_value():
    w, b, x, y = ex._TRIALS[0]
    db = neuron.backward(neuron.forward(w, b, x), y).db
    for attempt in (lambda w, b, x, y: 0.123, lambda w, b, x, y: -right_dl_db(w, b, x, y)):
        assert f"{db:.6g}" not in ex.dl_db(attempt).message


@pytest.mark.parametrize("attempt, hint", [
    (lambda w, b, x, y: ..., "placeholder"),
    (lambda w, b, x, y: 1 / 0, "ZeroDivisionError"),
    (lambda w, b, x, y: "big", "should return a number"),
    ("not a function", "pass a function"),
])
def test_dl_db_reports_broken_code_without_raising(attempt, hint):
    feedback = ex.dl_db(attempt)
    assert not feedback.correct and hint in feedback.message


def test_dl_db_is_tried_where_y_hat_is_above_and_below_y_and_saturated():
    y_hats = [neuron.forward(w, b, x).y_hat[0] - y for w, b, x, y in ex._TRIALS]
    assert min(y_hats) < 0 < max(y_hats)
    assert min(neuron.sigmoid_prime(w * x + b) for w, b, x, y in ex._TRIALS) < 0.01


def test_sign_dl_dw_accepts_the_sign_of_the_computed_gradient():
    s = ex.SIGN_SAMPLE
    dw = neuron.backward(neuron.forward(s["w"], s["b"], s["x"]), s["y"]).dw
    good = "+" if dw > 0 else "-"
    assert ex.sign_dl_dw(good).correct
    assert ex.sign_dl_dw(float(np.sign(dw))).correct
    assert ex.sign_dl_dw("positive" if dw > 0 else "negative").correct


def test_sign_dl_dw_rejects_the_other_signs_and_non_answers():
    s = ex.SIGN_SAMPLE
    dw = neuron.backward(neuron.forward(s["w"], s["b"], s["x"]), s["y"]).dw
    bad = "-" if dw > 0 else "+"
    assert not ex.sign_dl_dw(bad).correct
    assert "three factors" in ex.sign_dl_dw(bad).message
    assert not ex.sign_dl_dw("0").correct and "only where" in ex.sign_dl_dw(0).message
    for answer in (..., None, "maybe", [1]):
        assert not ex.sign_dl_dw(answer).correct


def test_sign_sample_is_a_trap_where_y_hat_below_y_does_not_mean_dw_negative():
    s = ex.SIGN_SAMPLE
    cache = neuron.forward(s["w"], s["b"], s["x"])
    assert cache.y_hat[0] < s["y"] and s["x"] < 0
    assert neuron.backward(cache, s["y"]).dw > 0


@pytest.mark.parametrize("attempt", [
    lambda w, b, x, y: -right_dl_db(w, b, x, y),
    lambda w, b, x, y: right_dl_db(w, b, x, y) / 2,
    lambda w, b, x, y: S(w * x + b) * (1 - S(w * x + b)),
])
def test_hints_end_with_one_mark(attempt):
    message = ex.dl_db(attempt).message
    assert message.endswith((".", "?")) and not message.endswith(("?.", ".."))


# --- the cross-entropy exercises ---------------------------------------------------------------

def right_delta(z, y):
    return S(z) - y


def test_delta_cross_entropy_accepts_y_hat_minus_y():
    feedback = ex.delta_cross_entropy(right_delta)
    assert feedback.correct and "cancels" in feedback.message


@pytest.mark.parametrize("attempt, hint", [
    (lambda z, y: y - S(z), "wrong sign"),
    (lambda z, y: right_delta(z, y) * S(z) * (1 - S(z)), "keeps a factor S′(z)"),
    (lambda z, y: 2 * right_delta(z, y) * S(z) * (1 - S(z)), "δ of the MSE"),
    (lambda z, y: right_delta(z, y) / (S(z) * (1 - S(z))), "∂ℓ/∂ŷ alone"),
    (lambda z, y: 2 * right_delta(z, y), "twice δ"),
    (lambda z, y: S(z), "not ∂ℓ/∂z"),
    (lambda z, y: ..., "placeholder"),
    (lambda z, y: "small", "should return a number"),
])
def test_delta_cross_entropy_rejects_wrong_formulas_with_a_hint_about_them(attempt, hint):
    feedback = ex.delta_cross_entropy(attempt)
    assert not feedback.correct and hint in feedback.message


def test_delta_cross_entropy_is_tried_on_saturated_wrong_neurons_and_both_targets():
    errors = [S(z) - y for z, y in ex._CE_TRIALS]
    assert min(errors) < -0.9 and max(errors) > 0.85  # badly wrong both ways
    assert min(S(z) * (1 - S(z)) for z, _ in ex._CE_TRIALS) < 0.01  # where S′ and ŷ − y differ most
    assert {0.0, 1.0} & {y for _, y in ex._CE_TRIALS}


def test_gradient_ratio_accepts_the_ratio_and_its_value_from_printed_digits():
    s = ex.RATIO_SAMPLE
    z = s["w"] * s["x"] + s["b"]
    s_prime = S(z) * (1 - S(z))
    assert ex.gradient_ratio(1 / (2 * s_prime)).correct
    assert ex.gradient_ratio(1 / (2 * round(s_prime, 4))).correct  # from the 4 printed decimals
    assert not ex.gradient_ratio(1 / (2 * s_prime) * 1.05).correct


@pytest.mark.parametrize("factor, hint", [(None, "upside down"), (2.0, "has a factor 2"), (0.5, "not two")])
def test_gradient_ratio_rejects_the_usual_slips_with_a_hint(factor, hint):
    s = ex.RATIO_SAMPLE
    z = s["w"] * s["x"] + s["b"]
    ratio = 1 / (2 * S(z) * (1 - S(z)))
    feedback = ex.gradient_ratio(1 / ratio if factor is None else factor * ratio)
    assert not feedback.correct and hint in feedback.message


@pytest.mark.parametrize("answer, hint", [(..., "in place of"), ("big", "must be a number"), (3.0, "is not the ratio")])
def test_gradient_ratio_reports_non_answers(answer, hint):
    feedback = ex.gradient_ratio(answer)
    assert not feedback.correct and hint in feedback.message
def test_dl_db_rejects_a_near_miss_and_an_answer_right_on_some_trials_only():
    assert not ex.dl_db(lambda w, b, x, y: right_dl_db(w, b, x, y) * (1 + 1e-7)).correct
    assert ex.dl_db(lambda w, b, x, y: right_dl_db(w, b, x, y) * (1 + 1e-11)).correct  # round-off is fine
    # right only where ŷ > y: with |ŷ − y| in place of ŷ − y
    feedback = ex.dl_db(lambda w, b, x, y: 2 * abs(S(w * x + b) - y) * S(w * x + b) * (1 - S(w * x + b)))
    assert not feedback.correct


def test_sign_dl_dw_feedback_states_the_factors_of_the_sample():
    import readout
    s = ex.SIGN_SAMPLE
    cache = neuron.forward(s["w"], s["b"], s["x"])
    y_hat, s_prime = cache.y_hat[0], neuron.sigmoid_prime(cache.z[0])
    dw = neuron.backward(cache, s["y"]).dw
    right = ex.sign_dl_dw("+" if dw > 0 else "-")
    for value in (2 * (y_hat - s["y"]), s["x"], s_prime):
        assert readout.shows(right.message, value), right.message
    wrong = ex.sign_dl_dw("-" if dw > 0 else "+")
    assert readout.shows(wrong.message, y_hat) and readout.shows(wrong.message, s["y"]), wrong.message
    zero = ex.sign_dl_dw("0")
    assert readout.shows(zero.message, y_hat) and readout.shows(zero.message, s["x"]), zero.message
    for answer in (..., None, "maybe"):
        assert ex.sign_dl_dw(answer).message.strip()


def test_dl_db_feedback_is_a_sentence_that_states_the_trial():
    import readout
    right = ex.dl_db(right_dl_db)
    assert isinstance(right.message, str) and right.message.strip()
    w, b, x, y = ex._TRIALS[0]
    wrong = ex.dl_db(lambda w, b, x, y: 0.123)
    for value in (w, b, x, y, 0.123):
        assert readout.shows(wrong.message, value), wrong.message
