"""Checkers for the one-neuron exercises of notebook 03.

The right answers come from nbkit.neuron's forward and backward passes, never typed in; a hint
says what the learner's answer computes (for instance the seed's slip), not what the answer is.
"""

import numpy as np

from nbkit import neuron
from nbkit.exercises.feedback import call, right, wrong

#: Where dl_db(w, b, x, y) is tried: ŷ above and below y, negative x, a saturated z = 6.
_TRIALS = [(0.5, -0.5, 1.5, 0.9), (1.0, 0.5, 2.0, 0.1), (-0.7, 0.2, -1.5, 0.3), (2.0, 2.0, 2.0, 0.0)]

#: The sample of the sign exercise: one (w, b, x, y).
SIGN_SAMPLE = dict(w=0.5, b=0.0, x=-2.0, y=1.0)


def _one_sample(w, b, x, y):
    """Return (ŷ, S'(z), ∂l/∂w, ∂l/∂b) for one sample, all floats."""
    cache = neuron.forward(w, b, x)
    dw, db = neuron.backward(cache, y)
    return float(cache.y_hat[0]), float(neuron.sigmoid_prime(cache.z[0])), dw, db


def dl_db(function):
    """Return Feedback on function(w, b, x, y), which should return ∂l/∂b for l = (S(w·x + b) − y)²."""
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
    return right("∂l/∂b = ∂l/∂ŷ · ∂ŷ/∂z · ∂z/∂b = 2(ŷ − y) · S'(z) · 1. "
                 "It works on every trial, including ŷ above and below y and a saturated z.")


def _db_hint(got, w, b, x, y, y_hat, s_prime, dw, db):
    at = f"at w = {w}, b = {b}, x = {x}, y = {y} your function returns {got:.6g}"
    known = [
        (s_prime, "that is ∂ŷ/∂b = S'(z) alone, the seed's slip: the factor ∂l/∂ŷ is missing"),
        (-db, "that has the right size but the wrong sign; which way round is ŷ − y?"),
        (db / 2, "that is half of ∂l/∂b; what is the derivative of a square?"),
        (dw, "that is ∂l/∂w; for b the last factor is ∂z/∂b, and z = w·x + b"),
        (2 * (y_hat - y), "that is ∂l/∂ŷ alone; the chain continues through ŷ = S(z)"),
        (2 * (y_hat - y) * y_hat, "that uses S(z) where the chain rule needs S'(z) = S(z)(1 − S(z))"),
    ]
    for value, why in known:
        if np.isclose(got, value, rtol=1e-9, atol=1e-15):
            return f"{at}: {why}."
    return f"{at}, which is not ∂l/∂b there (ŷ = {y_hat:.4g}). Multiply the chain's three factors."


_SIGNS = {"+": 1, "positive": 1, "-": -1, "−": -1, "negative": -1, "0": 0, "zero": 0}


def _as_sign(answer):
    if isinstance(answer, str):
        return _SIGNS.get(answer.strip().lower())
    try:
        return int(np.sign(float(answer)))
    except (TypeError, ValueError):
        return None


def sign_dl_dw(answer):
    """Return Feedback on the sign of ∂l/∂w at SIGN_SAMPLE: "+", "-" or "0" (or a number of that sign)."""
    if answer is Ellipsis or answer is None:
        return wrong('set the answer to "+", "-" or "0" in place of `...`.')
    sign = _as_sign(answer)
    if sign is None:
        return wrong(f'answer with "+", "-" or "0"; got {answer!r}.')
    s = SIGN_SAMPLE
    y_hat, s_prime, dw, _ = _one_sample(s["w"], s["b"], s["x"], s["y"])
    factors = (f"2(ŷ − y) = {2 * (y_hat - s['y']):.3g}, x = {s['x']:g}, S'(z) = {s_prime:.3g}")
    if sign == np.sign(dw):
        return right(f"∂l/∂w = 2(ŷ − y)·x·S'(z) with {factors}: two negative factors and a positive one. "
                     "So gradient descent lowers w here, and since x < 0 that raises z and ŷ towards y.")
    if sign == 0:
        return wrong(f"∂l/∂w is 0 only where ŷ = y or x = 0; here ŷ = {y_hat:.3g}, y = {s['y']:g}, "
                     f"x = {s['x']:g}.")
    return wrong(f"ŷ = {y_hat:.3g} is below y = {s['y']:g}, so ∂l/∂ŷ = 2(ŷ − y) < 0. "
                 "But ∂l/∂w has three factors: what are the signs of x and of S'(z)?")
