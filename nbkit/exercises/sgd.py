"""Checkers for the exercises of notebook 06: mini-batches, the noise ball, schedules, the cost of an epoch.

The right answers come from nbkit (sampling, schedules, sgd), never typed in; a hint names what a
wrong answer computes.
"""

import numpy as np

from nbkit import neuron, sampling, schedules, sgd
from nbkit.exercises.feedback import as_number, call, right, wrong

#: The noise-ball prediction: RMS size at batch size B and at 4·B, same lr, data of the notebook.
BALL = dict(n=100, noise=0.1, lr=2.0, batch_size=4, updates=3000, seed=0)


def measured_ball_factor():
    """Return (ball at 4·B) / (ball at B) at the settings of BALL, measured by sgd.noise_ball, a float."""
    x, y = neuron.make_data(n=BALL["n"], noise=BALL["noise"])
    theta_star = sgd.minimum(x, y)
    size = [sgd.noise_ball(x, y, theta_star, BALL["lr"], B, BALL["updates"], BALL["seed"])
            for B in (BALL["batch_size"], 4 * BALL["batch_size"])]
    return size[1] / size[0]


def ball_factor(answer):
    """Return Feedback on a predicted factor by which the noise ball's RMS size changes when B is multiplied by 4."""
    value, problem = as_number(answer, "factor")
    if problem:
        return problem
    measured = measured_ball_factor()
    lo, hi = 0.75 * min(0.5, measured), 1.2 * max(0.5, measured)  # 0.25 (size ∝ 1/B) is near the measurement too
    reason = (f"Independent batches give a variance of the batch gradient 4 times smaller, so a ball of "
              f"variance ∝ lr/B and RMS size ∝ √(lr/B): factor √(1/4) = 0.5. Measured here: {measured:.2f}, smaller "
              "still, because within an epoch every sample is used once, so the batches' errors partly cancel.")
    if lo <= value <= hi:
        return right(reason)
    if value >= 1:
        return wrong(f"{value:g} says the ball does not shrink; a batch 4 times larger has a gradient 4 times less variable. "
                     "What does that do to the kicks that keep θ from settling?")
    if np.isclose(value, 1 / 16, rtol=0.05):
        return wrong("1/16 would shrink the ball's size like 1/B²; the batch gradient's variance falls like 1/B. "
                     "How does the size of a ball whose variance falls like 1/B change?")
    return wrong(f"{value:g} is not it. Start from Var[ĝ_B] ≈ σ²/B and suppose the ball's variance is proportional to lr times it.")


#: Where cosine_rate(k, lr0, K) is tried.
_COSINE_TRIALS = [(0, 0.5, 100), (25, 0.5, 100), (50, 2.0, 100), (99, 1.0, 100), (7, 0.3, 10)]


def cosine_rate(function):
    """Return Feedback on function(k, lr0, K), which should return the cosine schedule's lr_k."""
    for k, lr0, K in _COSINE_TRIALS:
        got, problem = call(function, k, lr0, K)
        if problem:
            return problem
        try:
            got = float(got)
        except (TypeError, ValueError):
            return wrong(f"cosine({k}, {lr0}, {K}) returned {got!r}; it should return a number.")
        expected = float(schedules.cosine(k, lr0, K))
        if not np.isclose(got, expected, rtol=1e-12, atol=1e-15):
            at = f"at k = {k}, lr0 = {lr0}, K = {K} your function returns {got:.6g}, not {expected:.6g}"
            if np.isclose(got, lr0 * np.cos(np.pi * k / K)):
                return wrong(f"{at}: lr0·cos(πk/K) goes negative after K/2; shift and halve the cosine.")
            if np.isclose(got, lr0 * (1 + np.cos(2 * np.pi * k / K)) / 2):
                return wrong(f"{at}: with 2π the rate comes back up to lr0 at k = K; half a period is π.")
            return wrong(f"{at}. At k = 0 it should be lr0, at k = K/2 half of it, at k = K zero.")
    return right("lr_k = lr0·(1 + cos(πk/K))/2: flat at the start, fastest fall in the middle, flat again near 0 at the end.")


#: The epoch-cost exercise: n samples, batches of B, this many epochs.
EPOCHS = dict(n=100, batch_size=16, epochs=3)


def epoch_cost(answer):
    """Return Feedback on (updates, samples) for EPOCHS: the updates made and the samples used in the gradients."""
    if answer is Ellipsis or answer is None or np.ndim(answer) != 1 or len(answer) != 2:
        return wrong("answer with a pair (updates, samples) in place of `...`.")
    (got_updates, problem), (got_samples, problem2) = as_number(answer[0], "updates"), as_number(answer[1], "samples")
    if problem or problem2:
        return problem or problem2
    n, B, epochs = EPOCHS["n"], EPOCHS["batch_size"], EPOCHS["epochs"]
    updates = epochs * sampling.updates_per_epoch(n, B)
    samples = updates * B
    if (got_updates, got_samples) == (updates, samples):
        return right(f"⌊{n}/{B}⌋ = {n // B} updates per epoch, {updates} in all, each on {B} samples: {samples} samples. "
                     f"The last {n % B} samples of each shuffle are left out of that epoch; the next one shuffles all {n} again.")
    if np.isclose(got_updates, epochs * n / B) or got_updates == epochs * -(-n // B):
        return wrong(f"an update uses a full batch of {B}; {n} is not a multiple of {B}. What happens to the samples left over?")
    if got_updates == updates:
        return wrong(f"{got_updates:g} updates is right; each of them computes the gradient on how many samples?")
    if (got_updates, got_samples) == (updates // epochs, samples // epochs):
        return wrong(f"that is one epoch; the question asks for {epochs}.")
    return wrong(f"how many whole batches of {B} fit in one shuffle of {n} samples?")


def batch_variance(function):
    """Return Feedback on function(sigma2, n, B): the variance of the mean of B samples drawn without replacement."""
    for sigma2, n, B in [(1.0, 10, 1), (2.0, 10, 4), (0.5, 100, 25), (3.0, 7, 7)]:
        got, problem = call(function, sigma2, n, B)
        if problem:
            return problem
        got, problem = as_number(got, f"batch_variance({sigma2}, {n}, {B})")
        if problem:
            return problem
        expected = sampling.batch_mean_variance(sigma2, n, B)
        if not np.isclose(float(got), expected, rtol=1e-12, atol=1e-15):
            at = f"at σ² = {sigma2}, n = {n}, B = {B} your function returns {float(got):.6g}, not {expected:.6g}"
            if np.isclose(float(got), sigma2 / B):
                return wrong(f"{at}: σ²/B is the variance with replacement. Without it, what is the variance at B = n?")
            return wrong(f"{at}. Check B = 1 (σ²) and B = n (0).")
    return right("σ²/B·(n − B)/(n − 1): σ²/B for a small batch, falling to 0 at B = n, where the batch is all the data.")
