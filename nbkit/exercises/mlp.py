"""Checkers for the backpropagation exercises of notebook 04.

The numbers a question gives come from nbkit's own network (fixed seed), and the right answers
are computed here with nbkit.mlp, never typed in. A hint says what the learner's answer does.
"""

import numpy as np

from nbkit import checks, mlp
from nbkit.exercises.feedback import as_number, right, wrong

#: The reasons offered for the exercise on the smallest gradient; the checker knows which holds.
REASONS = {
    "a": "Its weights are the smallest.",
    "b": "It is the farthest from the loss: its δ is multiplied by Wᵀ and by S'(z) ≤ 1/4 once for every layer above it.",
    "c": "Its inputs are smaller numbers than the inputs of the other layers.",
}
_RIGHT_REASON = "b"


def delta_question(sample=0):
    """Return (z, y_hat, y) of the output layer L4 for one sample of the task, each of shape (3,).

    They come from the forward pass of the 3-3-3-3 network init_params() on make_task().
    """
    X, Y = mlp.make_task()
    sample = checks.index(sample, "sample", len(X))
    cache = mlp.forward(mlp.init_params(), X[sample:sample + 1])
    return cache.z[-1][0], cache.y_hat[0], Y[sample]


def delta_L4(answer, sample=0):
    """Return Feedback on δ of L4 (3 numbers) for the sample of delta_question(sample)."""
    z, y_hat, y = delta_question(sample)
    if answer is Ellipsis or answer is None:
        return wrong("set delta to your 3 numbers in place of `...`.")
    try:
        got = np.asarray(answer, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return wrong(f"δ must be 3 numbers, one per neuron of L4; got {answer!r}.")
    if got.shape != (3,) or not np.all(np.isfinite(got)):
        return wrong(f"δ must be 3 finite numbers, one per neuron of L4; got {answer!r}.")
    slope = y_hat * (1 - y_hat)
    want = 2 * (y_hat - y) / 3 * slope
    if np.allclose(got, want, rtol=1e-6, atol=1e-12):
        return right("δ = ∂L/∂ŷ ⊙ S'(z) = (2/3)(ŷ − y) ⊙ ŷ(1 − ŷ): the factor from the loss, "
                     "then the slope of each sigmoid, read off the cached a = ŷ.")
    hints = [
        (2 * (y_hat - y) / 3, "this is ∂L/∂ŷ; the neuron's sigmoid still lies between ŷ and z."),
        (-want, "the sign is flipped: L grows when ŷ moves away from y, so δ has the sign of ŷ − y."),
        ((y_hat - y) * slope, "the chain is right but a constant is missing: differentiate (1/3)·Σ(ŷᵢ − yᵢ)²."),
        (2 * (y_hat - y) * slope, "L is the mean over three outputs: where does its 1/3 go?"),
        (2 * (y_hat - y) / 3 * mlp.sigmoid(z), "S'(z) is the slope of the sigmoid, not S(z) itself."),
        (2 * (y_hat - y) / 3 * z * (1 - z), "S'(z) = S(z)·(1 − S(z)): use a = S(z), not z."),
    ]
    for value, hint in hints:
        if np.allclose(got, value, rtol=1e-6, atol=1e-12):
            return wrong(f"your δ = {np.array2string(got, precision=4)}: {hint}")
    return wrong(f"your δ = {np.array2string(got, precision=4)} is not ∂L/∂ŷ ⊙ S'(z). "
                 "Write ∂L/∂ŷᵢ for one output first, then multiply by that neuron's slope.")


def gradient_norms_at_init(lr=1.0):
    """Return ‖∂L/∂W‖ of L1…L4 at initialisation, shape (4,), for init_params() on make_task()."""
    X, Y = mlp.make_task()
    return mlp.train(mlp.init_params(), X, Y, lr, 0).grad_norms[0]


def smallest_gradient(layer, reason):
    """Return Feedback on which layer (1…4) has the smallest ‖∂L/∂W‖ at initialisation, and why (a key of REASONS)."""
    norms = gradient_norms_at_init()
    number, problem = as_number(layer, "layer")
    if problem:
        return problem
    if number != int(number) or not 1 <= number <= len(norms):
        return wrong(f"layer is a number from 1 (L1) to {len(norms)} (L{len(norms)}); got {layer!r}.")
    number = int(number)
    if norms[number - 1] > norms.min():
        smaller = int(np.sum(norms < norms[number - 1]))
        return wrong(f"L{number} has ‖∂L/∂W‖ = {norms[number - 1]:.3g}, and {smaller} layer(s) have a smaller one. "
                     "Where does δ start, and what happens to it at each step back?")
    if not isinstance(reason, str) or reason not in REASONS:
        return wrong(f"the layer is right; now pick a reason: one of {', '.join(map(repr, REASONS))}.")
    if reason != _RIGHT_REASON:
        weights = [float(np.linalg.norm(W)) for W, _ in mlp.init_params()]
        facts = {
            "a": f"the weight norms ‖W‖ of L1…L4 are {', '.join(f'{w:.2f}' for w in weights)}: not the reason.",
            "c": "the inputs x lie in [−1, 1] and each a in (0, 1): sizes of the same order, not a factor of "
                 f"{norms.max() / norms.min():.0f}.",
        }[reason]
        return wrong(f"L{number} is right, but {facts} What multiplies δ on its way back?")
    return right(f"L{number}: ‖∂L/∂W‖ = {norms.min():.3g}, {norms.max() / norms.min():.0f}× smaller than the "
                 "largest. Each layer back multiplies δ by Wᵀ and by S'(z) ≤ 1/4, so with sigmoids the "
                 "first layer gets the smallest updates and learns the slowest.")
