"""Checkers for the backpropagation exercises of notebook 04.

The numbers a question gives come from nbkit's own network (fixed seed), and the right answers
are computed here with nbkit.mlp, never typed in. A hint says what the learner's answer does.

A learner computes from the printed values, rounded to `decimals` places, so each input is off by
up to half a unit of the last place. δ moves by at most about one such unit: the slopes of δ with
respect to all its inputs add up to about 1 (for δ₄: |∂δ/∂ŷ| + |∂δ/∂y| ≤ (2/3)(1/4 + 1) + (2/3)(1/4)).
So an answer is accepted within two units of the last printed place, `tolerance(decimals)`.
"""

import numpy as np

from nbkit import checks, mlp
from nbkit.exercises.feedback import as_number, right, wrong

#: The decimals the notebook prints for each question (np.printoptions precision).
DECIMALS_L4, DECIMALS_L3 = 4, 6


def tolerance(decimals):
    """Return the largest accepted error of each component for inputs printed with `decimals` places."""
    return 2 * 10.0 ** -decimals


def _vector(answer, size, what):
    """Return (array (size,), None), or (None, Feedback) when answer is not `size` finite numbers."""
    if answer is Ellipsis or answer is None:
        return None, wrong(f"set the answer to your {size} numbers in place of `...`.")
    try:
        got = np.asarray(answer, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return None, wrong(f"{what} must be {size} numbers; got {answer!r}.")
    if got.shape != (size,) or not np.all(np.isfinite(got)):
        return None, wrong(f"{what} must be {size} finite numbers; got {answer!r}.")
    return got, None


def _close(got, want, decimals):
    return np.all(np.abs(got - want) <= tolerance(decimals))


def _sample(sample):
    X, Y = mlp.make_task()
    sample = checks.index(sample, "sample", len(X))
    params = mlp.init_params()
    cache = mlp.forward(params, X[sample:sample + 1])
    return params, cache, Y[sample:sample + 1]


def delta_question(sample=0):
    """Return (z, y_hat, y) of the output layer L4 for one sample of the task, each of shape (3,).

    They come from the forward pass of the 3-3-3-3 network init_params() on make_task().
    """
    _, cache, Y = _sample(sample)
    return cache.z[-1][0], cache.y_hat[0], Y[0]


def delta_L4(answer, sample=0):
    """Return Feedback on δ of L4 (3 numbers) for the sample of delta_question(sample)."""
    z, y_hat, y = delta_question(sample)
    got, problem = _vector(answer, 3, "δ₄, one number per neuron of L4,")
    if problem:
        return problem
    slope = y_hat * (1 - y_hat)
    want = 2 * (y_hat - y) / 3 * slope
    if _close(got, want, DECIMALS_L4):
        return right("δ₄ = ∂ℓ/∂ŷ ⊙ S′(z) = (2/3)(ŷ − y) ⊙ ŷ(1 − ŷ): the factor from the loss, "
                     "then the slope of each sigmoid, read off the cached a = ŷ.")
    hints = [
        (2 * (y_hat - y) / 3, "this is ∂ℓ/∂ŷ; the neuron's sigmoid still lies between ŷ and z."),
        (-want, "the sign is flipped: ℓ grows when ŷ moves away from y, so δ has the sign of ŷ − y."),
        ((y_hat - y) * slope, "the chain is right but a constant is missing: differentiate (1/3)·Σ(ŷⱼ − yⱼ)²."),
        (2 * (y_hat - y) * slope, "ℓ is the mean over three outputs: where does its 1/3 go?"),
        (2 * (y_hat - y) / 3 * mlp.sigmoid(z), "S′(z) is the slope of the sigmoid, not S(z) itself."),
        (2 * (y_hat - y) / 3 * z * (1 - z), "S′(z) = S(z)·(1 − S(z)): use a = S(z), not z."),
    ]
    for value, hint in hints:
        if _close(got, value, DECIMALS_L4):
            return wrong(f"your δ₄ = {np.array2string(got, precision=4)}: {hint}")
    return wrong(f"your δ₄ = {np.array2string(got, precision=4)} is not ∂ℓ/∂ŷ ⊙ S′(z). "
                 "Write ∂ℓ/∂ŷⱼ for one output first, then multiply by that neuron's slope.")


def delta_L3_question(sample=1):
    """Return (W4 (3, 3), δ₄ (3,), a₃ (3,)) for one sample: what the step from δ₄ to δ₃ needs."""
    params, cache, Y = _sample(sample)
    return params[3][0], mlp.deltas(params, cache, Y)[3][0], cache.a[2][0]


def delta_L3(answer, sample=1):
    """Return Feedback on δ of L3 (3 numbers) computed from delta_L3_question(sample)."""
    W4, delta4, a3 = delta_L3_question(sample)
    got, problem = _vector(answer, 3, "δ₃, one number per neuron of L3,")
    if problem:
        return problem
    slope = a3 * (1 - a3)
    want = (W4.T @ delta4) * slope
    if _close(got, want, DECIMALS_L3):
        return right("δ₃ = (W₄ᵀ δ₄) ⊙ S′(z₃): neuron m of L3 collects W₄[j, m]·δ₄ⱼ over the three paths "
                     "j = 1, 2, 3, then multiplies by its own slope a₃ₘ(1 − a₃ₘ).")
    hints = [
        ((W4 @ delta4) * slope, "you summed along the rows of W₄; neuron m of L3 feeds column m, W₄[j, m]."),
        (W4.T @ delta4, "this is ∂ℓ/∂a₃; the sigmoid of L3 still lies between a₃ and z₃."),
        ((W4.T @ delta4) * a3, "S′(z) is the slope of the sigmoid, a(1 − a), not a itself."),
        (delta4 * slope, "δ₄ must pass through the weights: each path from L3m to L4j carries W₄[j, m]."),
    ]
    for value, hint in hints:
        if _close(got, value, DECIMALS_L3):
            return wrong(f"your δ₃ = {np.array2string(got, precision=6)}: {hint}")
    return wrong(f"your δ₃ = {np.array2string(got, precision=6)} is not (W₄ᵀ δ₄) ⊙ S′(z₃). "
                 "Do neuron 1 of L3 first: the sum over j of W₄[j, 1]·δ₄ⱼ, times a₃₁(1 − a₃₁).")


def suspect_gradients(params, X, Y):
    """Return grads [(∂ℓ/∂W, ∂ℓ/∂b), …] from a backward pass with one planted bug (same shapes as backward).

    Written to be found with mlp.check_layer(..., gradients=suspect_gradients), not by reading.
    """
    cache = mlp.forward(params, X)
    planted = params[:3] + [(params[3][0].T, params[3][1])]
    return mlp.backward(planted, cache, Y)


#: The layer whose δ the planted bug makes wrong first, going back from the output.
_BUGGY_LAYER = 3


def planted_bug(layer):
    """Return Feedback on the layer (1…4) whose δ suspect_gradients gets wrong first."""
    number, problem = as_number(layer, "layer")
    if problem:
        return problem
    if number != int(number) or not 1 <= number <= 4:
        return wrong(f"layer is a number from 1 (L1) to 4 (L4); got {layer!r}.")
    number = int(number)
    if number == _BUGGY_LAYER:
        return right(f"L{number}: its check fails and L{number + 1}'s passes. δ{number} is computed from "
                     f"δ{number + 1} with W{number + 1} where W{number + 1}ᵀ belongs; every layer below "
                     "inherits the wrong δ through the recursion, so their checks fail too.")
    if number > _BUGGY_LAYER:
        return wrong(f"L{number} passes the check: its gradient is right. Look further back.")
    return wrong(f"L{number} fails the check, but so does a layer after it. δ flows from L4 back to L1: "
                 "an error in one δ reaches every layer before it. Where does the error enter?")
