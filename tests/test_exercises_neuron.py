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


def _S(z):
    return 1 / (1 + np.exp(-z))


def test_dl_db_says_what_the_function_given_computes():
    w, b, x, y = 0.5, -0.5, 1.5, 0.9  # the first trial
    y_hat = _S(w * x + b)
    s = y_hat * (1 - y_hat)
    db = 2 * (y_hat - y) * s
    at = f"at w = {w}, b = {b}, x = {x}, y = {y} your function returns "
    for function, why in [
        (lambda w, b, x, y: _S(w * x + b) * (1 - _S(w * x + b)),
         "that is ∂ŷ/∂b = S′(z) alone, the original article's slip (its v_b): the factor ∂ℓ/∂ŷ is missing."),
        (lambda w, b, x, y: -2 * (_S(w * x + b) - y) * _S(w * x + b) * (1 - _S(w * x + b)),
         "that has the right size but the wrong sign. Which way round is ŷ − y?"),
        (lambda w, b, x, y: (_S(w * x + b) - y) * _S(w * x + b) * (1 - _S(w * x + b)),
         "that is half of ∂ℓ/∂b. What is the derivative of a square?"),
        (lambda w, b, x, y: 2 * (_S(w * x + b) - y) * _S(w * x + b) * (1 - _S(w * x + b)) * x,
         "that is ∂ℓ/∂w; for b the last factor is ∂z/∂b, and z = w·x + b."),
        (lambda w, b, x, y: 2 * (_S(w * x + b) - y), "that is ∂ℓ/∂ŷ alone; the chain continues through ŷ = S(z)."),
        (lambda w, b, x, y: 2 * (_S(w * x + b) - y) * _S(w * x + b),
         "that uses S(z) where the chain rule needs S′(z) = S(z)(1 − S(z))."),
    ]:
        got = function(w, b, x, y)
        assert ex.dl_db(function).message == f"{at}{got:.6g}: {why}"
    assert ex.dl_db(lambda w, b, x, y: 1.0).message == (
        f"{at}1, which is not ∂ℓ/∂b there (ŷ = {y_hat:.4g}). Multiply the chain's three factors.")
    assert ex.dl_db(lambda w, b, x, y: "d").message == (
        f"dl_db({w}, {b}, {x}, {y}) returned 'd'; it should return a number.")
    assert ex.dl_db(lambda w, b, x, y: 2 * (_S(w * x + b) - y) * _S(w * x + b) * (1 - _S(w * x + b))).message == (
        "∂ℓ/∂b = ∂ℓ/∂ŷ · ∂ŷ/∂z · ∂z/∂b = 2(ŷ − y) · S′(z) · 1. "
        "It works on every trial, including ŷ above and below y and a saturated z.")
    assert db != 0


def test_sign_dl_dw_says_why():
    w, b, x, y = 0.5, 0.0, -2.0, 1.0
    y_hat = _S(w * x + b)
    s = y_hat * (1 - y_hat)
    factors = f"2(ŷ − y) = {2 * (y_hat - y):.3g}, x = -2, S′(z) = {s:.3g}"
    assert ex.sign_dl_dw("+").message == (
        f"∂ℓ/∂w = 2(ŷ − y)·x·S′(z) with {factors}: two negative factors and a positive one. "
        "So gradient descent lowers w here, and since x < 0 that raises z and ŷ towards y.")
    assert ex.sign_dl_dw("0").message == (
        f"∂ℓ/∂w is 0 only where ŷ = y or x = 0; here ŷ = {y_hat:.3g}, y = 1, x = -2.")
    assert ex.sign_dl_dw("-").message == (
        f"ŷ = {y_hat:.3g} is below y = 1, so ∂ℓ/∂ŷ = 2(ŷ − y) < 0. "
        "But ∂ℓ/∂w has three factors: what are the signs of x and of S′(z)?")
    assert ex.sign_dl_dw(...).message == 'set the answer to "+", "-" or "0" in place of `...`.'
    assert ex.sign_dl_dw("up").message == "answer with \"+\", \"-\" or \"0\"; got 'up'."


def test_delta_cross_entropy_says_what_the_function_given_computes():
    z, y = 4.0, 0.1  # the first trial
    y_hat = _S(z)
    s = y_hat * (1 - y_hat)
    d = y_hat - y
    at = f"at z = {z}, y = {y} your function returns "
    for function, why in [
        (lambda z, y: y - _S(z), "that has the right size but the wrong sign. Differentiate −log ŷ: is it rising or falling in ŷ?"),
        (lambda z, y: (_S(z) - y) * _S(z) * (1 - _S(z)),
         "that keeps a factor S′(z). Write ∂ℓ/∂ŷ over one denominator and multiply by S′(z) = ŷ(1 − ŷ): what is left?"),
        (lambda z, y: 2 * (_S(z) - y) * _S(z) * (1 - _S(z)),
         "that is δ of the MSE, 2(ŷ − y)·S′(z). The cross-entropy has logs, not a square."),
        (lambda z, y: (_S(z) - y) / (_S(z) * (1 - _S(z))), "that is ∂ℓ/∂ŷ alone; the chain continues through ŷ = S(z)."),
        (lambda z, y: 2 * (_S(z) - y), "that is twice δ. The cross-entropy has no square, so no factor 2."),
    ]:
        assert ex.delta_cross_entropy(function).message == f"{at}{function(z, y):.6g}: {why}"
    assert ex.delta_cross_entropy(lambda z, y: 0.0).message == (
        f"{at}0, which is not ∂ℓ/∂z there (ŷ = {y_hat:.4g}). Differentiate each log, then multiply by ∂ŷ/∂z.")
    assert ex.delta_cross_entropy(lambda z, y: _S(z) - y).message == (
        "δ = ∂ℓ/∂ŷ · S′(z) = (ŷ − y)/(ŷ(1 − ŷ)) · ŷ(1 − ŷ) = ŷ − y. "
        "The S′(z) that made the MSE crawl cancels, so a confidently wrong neuron gets a large δ.")
    assert ex.delta_cross_entropy(lambda z, y: None).correct is False
    assert d != 0 and s != 0


def test_gradient_ratio_says_what_a_value_is():
    y_hat = _S(2.0 * 1.0 + 2.0)
    s = y_hat * (1 - y_hat)
    ratio = 1 / (2 * s)  # (ŷ − y) over 2(ŷ − y)·S′(z)
    assert ex.gradient_ratio(ratio).message == (
        "The cross-entropy's δ = ŷ − y, the MSE's δ = 2(ŷ − y)·S′(z): their ratio is 1/(2·S′(z)) "
        f"with S′(z) = {s:.4f}. The error ŷ − y cancels, so only the saturation factor is left.")
    assert ex.gradient_ratio(1 / ratio).message == (
        f"{1 / ratio:g}: that is the MSE's gradient over the cross-entropy's: the ratio upside down.")
    assert ex.gradient_ratio(2 * ratio).message == (
        f"{2 * ratio:g}: that is 1/S′(z): the MSE's ∂ℓ/∂ŷ = 2(ŷ − y) has a factor 2.")
    assert ex.gradient_ratio(ratio / 2).message == (
        f"{ratio / 2:g}: that is 1/(4·S′(z)), half the ratio (and also S′(0)/S′(z)): "
        "the MSE's δ carries one factor 2, from 2(ŷ − y), not two.")
    assert ex.gradient_ratio(1.0).message == (
        "1 is not the ratio. Write δ for each loss at the same z; ŷ − y appears in both.")
    assert ex.gradient_ratio("r").message == "ratio must be a number; got 'r'."
    assert ex.gradient_ratio(ratio * 1.019).correct and not ex.gradient_ratio(ratio * 1.021).correct
