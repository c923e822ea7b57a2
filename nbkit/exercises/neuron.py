"""Checkers for the one-neuron exercises of notebook 03.

The right answers come from nbkit.neuron's forward and backward passes, never typed in; a hint
says what the learner's answer computes (for instance the original article's slip), not what the
answer is.
"""

import numpy as np

from nbkit import neuron
from nbkit.exercises.feedback import as_number, call, right, wrong

#: Where dl_db(w, b, x, y) is tried: ŷ above and below y, negative x, a saturated z = 6.
_TRIALS = [(0.5, -0.5, 1.5, 0.9), (1.0, 0.5, 2.0, 0.1), (-0.7, 0.2, -1.5, 0.3), (2.0, 2.0, 2.0, 0.0)]

#: The sample of the sign exercise: one (w, b, x, y).
SIGN_SAMPLE = dict(w=0.5, b=0.0, x=-2.0, y=1.0)


def _one_sample(w, b, x, y):
    """Return (ŷ, S′(z), ∂ℓ/∂w, ∂ℓ/∂b) of the MSE for one sample, all floats."""
    cache = neuron.forward(w, b, x)
    dw, db = neuron.backward(cache, y)
    return float(cache.y_hat[0]), float(neuron.sigmoid_prime(cache.z[0])), dw, db


def dl_db(function):
    """Return Feedback on function(w, b, x, y), which should return ∂ℓ/∂b for ℓ = (S(w·x + b) − y)²."""
    for w, b, x, y in _TRIALS:
        got, problem = call(function, w, b, x, y)
        if problem:
            return problem
        try:
            got = float(got)
        except (TypeError, ValueError):
            return wrong(f"dl_db({w}, {b}, {x}, {y}) returned {got!r}; it should return a number.")
        y_hat, s_prime, dw, db = _one_sample(w, b, x, y)
        if not np.isclose(got, db, rtol=1e-9, atol=1e-15):
            return wrong(_db_hint(got, w, b, x, y, y_hat, s_prime, dw, db))
    return right("∂ℓ/∂b = ∂ℓ/∂ŷ · ∂ŷ/∂z · ∂z/∂b = 2(ŷ − y) · S′(z) · 1. "
                 "It works on every trial, including ŷ above and below y and a saturated z.")


def _db_hint(got, w, b, x, y, y_hat, s_prime, dw, db):
    at = f"at w = {w}, b = {b}, x = {x}, y = {y} your function returns {got:.6g}"
    known = [
        (s_prime, "that is ∂ŷ/∂b = S′(z) alone, the original article's slip (its v_b): the factor ∂ℓ/∂ŷ is missing."),
        (-db, "that has the right size but the wrong sign. Which way round is ŷ − y?"),
        (db / 2, "that is half of ∂ℓ/∂b. What is the derivative of a square?"),
        (dw, "that is ∂ℓ/∂w; for b the last factor is ∂z/∂b, and z = w·x + b."),
        (2 * (y_hat - y), "that is ∂ℓ/∂ŷ alone; the chain continues through ŷ = S(z)."),
        (2 * (y_hat - y) * y_hat, "that uses S(z) where the chain rule needs S′(z) = S(z)(1 − S(z))."),
    ]
    for value, why in known:
        if np.isclose(got, value, rtol=1e-9, atol=1e-15):
            return f"{at}: {why}"
    return f"{at}, which is not ∂ℓ/∂b there (ŷ = {y_hat:.4g}). Multiply the chain's three factors."


_SIGNS = {"+": 1, "positive": 1, "-": -1, "−": -1, "negative": -1, "0": 0, "zero": 0}


def _as_sign(answer):
    if isinstance(answer, str):
        return _SIGNS.get(answer.strip().lower())
    try:
        return int(np.sign(float(answer)))
    except (TypeError, ValueError):
        return None


def sign_dl_dw(answer):
    """Return Feedback on the sign of ∂ℓ/∂w at SIGN_SAMPLE: "+", "-" or "0" (or a number of that sign)."""
    if answer is Ellipsis or answer is None:
        return wrong('set the answer to "+", "-" or "0" in place of `...`.')
    sign = _as_sign(answer)
    if sign is None:
        return wrong(f'answer with "+", "-" or "0"; got {answer!r}.')
    s = SIGN_SAMPLE
    y_hat, s_prime, dw, _ = _one_sample(s["w"], s["b"], s["x"], s["y"])
    factors = (f"2(ŷ − y) = {2 * (y_hat - s['y']):.3g}, x = {s['x']:g}, S′(z) = {s_prime:.3g}")
    if sign == np.sign(dw):
        return right(f"∂ℓ/∂w = 2(ŷ − y)·x·S′(z) with {factors}: two negative factors and a positive one. "
                     "So gradient descent lowers w here, and since x < 0 that raises z and ŷ towards y.")
    if sign == 0:
        return wrong(f"∂ℓ/∂w is 0 only where ŷ = y or x = 0; here ŷ = {y_hat:.3g}, y = {s['y']:g}, "
                     f"x = {s['x']:g}.")
    return wrong(f"ŷ = {y_hat:.3g} is below y = {s['y']:g}, so ∂ℓ/∂ŷ = 2(ŷ − y) < 0. "
                 "But ∂ℓ/∂w has three factors: what are the signs of x and of S′(z)?")


#: Where delta_cross_entropy(z, y) is tried: saturated on the wrong side (z = 4, y = 0.1; z = −6,
#: y = 1), near z = 0, and a target of exactly 0.
_CE_TRIALS = [(4.0, 0.1), (-6.0, 1.0), (0.5, 0.0), (-1.5, 0.7)]


def _cross_entropy_delta(z, y):
    """Return (ŷ, S′(z), δ) for one sample of the cross-entropy at weighted input z, all floats."""
    cache = neuron.forward(z, 0.0, 1.0)  # w = z, b = 0, x = 1: the neuron's z is z, and δ = ∂ℓ/∂b
    return float(cache.y_hat[0]), float(neuron.sigmoid_prime(z)), neuron.backward(cache, y, "cross_entropy").db


def delta_cross_entropy(function):
    """Return Feedback on function(z, y), which should return δ = ∂ℓ/∂z for ℓ = −[y·log S(z) + (1 − y)·log(1 − S(z))]."""
    for z, y in _CE_TRIALS:
        got, problem = call(function, z, y)
        if problem:
            return problem
        try:
            got = float(got)
        except (TypeError, ValueError):
            return wrong(f"delta({z}, {y}) returned {got!r}; it should return a number.")
        y_hat, s_prime, delta = _cross_entropy_delta(z, y)
        if not np.isclose(got, delta, rtol=1e-9, atol=1e-15):
            return wrong(_ce_hint(got, z, y, y_hat, s_prime, delta))
    return right("δ = ∂ℓ/∂ŷ · S′(z) = (ŷ − y)/(ŷ(1 − ŷ)) · ŷ(1 − ŷ) = ŷ − y. "
                 "The S′(z) that made the MSE crawl cancels, so a confidently wrong neuron gets a large δ.")


def _ce_hint(got, z, y, y_hat, s_prime, delta):
    at = f"at z = {z}, y = {y} your function returns {got:.6g}"
    known = [
        (-delta, "that has the right size but the wrong sign. Differentiate −log ŷ: is it rising or falling in ŷ?"),
        (delta * s_prime, "that keeps a factor S′(z). Write ∂ℓ/∂ŷ over one denominator and multiply by S′(z) = ŷ(1 − ŷ): what is left?"),
        (2 * delta * s_prime, "that is δ of the MSE, 2(ŷ − y)·S′(z). The cross-entropy has logs, not a square."),
        (delta / s_prime, "that is ∂ℓ/∂ŷ alone; the chain continues through ŷ = S(z)."),
        (2 * delta, "that is twice δ. The cross-entropy has no square, so no factor 2."),
    ]
    for value, why in known:
        if np.isclose(got, value, rtol=1e-9, atol=1e-15):
            return f"{at}: {why}"
    return f"{at}, which is not ∂ℓ/∂z there (ŷ = {y_hat:.4g}). Differentiate each log, then multiply by ∂ŷ/∂z."


#: The saturated start of the ratio exercise: one (w, b, x, y), as in the saturation section.
RATIO_SAMPLE = dict(w=2.0, b=2.0, x=1.0, y=0.1)


def gradient_ratio(answer):
    """Return Feedback on ∂ℓ/∂b of the cross-entropy divided by ∂ℓ/∂b of the MSE, at RATIO_SAMPLE.

    Two significant digits are enough (relative error under 2%): the notebook prints S′(z) to
    four decimals, from which the ratio follows to about 0.3%.
    """
    value, problem = as_number(answer, "ratio")
    if problem:
        return problem
    s = RATIO_SAMPLE
    cache = neuron.forward(s["w"], s["b"], s["x"])
    s_prime = float(neuron.sigmoid_prime(cache.z[0]))
    ratio = neuron.backward(cache, s["y"], "cross_entropy").db / neuron.backward(cache, s["y"], "mse").db
    if np.isclose(value, ratio, rtol=0.02):
        return right(f"The cross-entropy's δ = ŷ − y, the MSE's δ = 2(ŷ − y)·S′(z): their ratio is 1/(2·S′(z)) "
                     f"with S′(z) = {s_prime:.4f}. The error ŷ − y cancels, so only the saturation factor is left.")
    for guess, why in [(1 / ratio, "that is the MSE's gradient over the cross-entropy's: the ratio upside down."),
                       (2 * ratio, "that is 1/S′(z): the MSE's ∂ℓ/∂ŷ = 2(ŷ − y) has a factor 2."),
                       (ratio / 2, "that is 1/(4·S′(z)), half the ratio (and also S′(0)/S′(z)): "
                        "the MSE's δ carries one factor 2, from 2(ŷ − y), not two.")]:
        if np.isclose(value, guess, rtol=0.02):
            return wrong(f"{value:g}: {why}")
    return wrong(f"{value:g} is not the ratio. Write δ for each loss at the same z; ŷ − y appears in both.")
