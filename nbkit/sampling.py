"""Mini-batches: which samples each update sees, and how noisy the gradient of a batch is.

Math → code:
    B, the batch size; n, the number of samples; an epoch is one pass over the data
    batches of one epoch: a seeded shuffle of 1 … n cut into ⌊n/B⌋ batches of B, the last n mod B
        samples of the shuffle left out of that epoch  → batch_indices(n, B, updates, seed)
    or each batch a fresh draw, with no epochs         → batch_indices(…, draw="independent")
    each batch is a uniform draw of B samples without replacement, so its mean gradient is unbiased:
        E[ĝ_B] = g = (1/n)·Σᵢ gᵢ
    its variance, for per-sample values of variance σ² = (1/n)·Σᵢ (gᵢ − g)²:
        Var[ĝ_B] = σ²/B · (n − B)/(n − 1)              → batch_mean_variance(sigma2, n, B)
    (the factor (n − B)/(n − 1), the finite-population correction, is 0 at B = n)

The samples of a batch are listed in increasing order: a batch is a set, and at B = n every
epoch's batch is 0 … n − 1 in order, so its sums are those of the full batch, bit for bit.
"""

import numpy as np

from nbkit import checks


def batch_size(value, n):
    """Return the batch size B as an int; raise unless it is an integer with 1 <= B <= n."""
    B = checks.count(value, "batch_size", minimum=1)
    if B > n:
        raise ValueError(f"batch_size must be an integer from 1 to n = {n} (the number of samples); got {B}")
    return B


def updates_per_epoch(n, B):
    """Return ⌊n/B⌋, the number of updates in one epoch of n samples in batches of B."""
    return n // batch_size(B, checks.count(n, "n", minimum=1))


#: How batches are drawn: epoch after epoch from a shuffle, or each one afresh.
DRAWS = ("epochs", "independent")


def batch_indices(n, B, updates, seed=0, draw="epochs"):
    """Return the sample indices of `updates` mini-batches, an int array of shape (updates, B).

    draw="epochs": epoch after epoch, a shuffle of 0 … n − 1 from numpy's default_rng(seed) is cut
    into ⌊n/B⌋ batches of B. draw="independent": every batch is a fresh draw of B of the n samples
    without replacement, with no epochs (a sample may come back in the next batch or not for long).
    Each batch is sorted. The same (n, B, seed, draw) gives the same batches.
    """
    n = checks.count(n, "n", minimum=1)
    B = batch_size(B, n)
    updates = checks.count(updates, "updates")
    rng = np.random.default_rng(checks.count(seed, "seed"))
    if checks.one_of(draw, "draw", DRAWS) == "independent":
        order = np.stack([rng.permutation(n)[:B] for _ in range(updates)]) if updates else np.empty((0, B), int)
        return np.sort(order, axis=1)
    per_epoch = n // B
    epochs = -(-updates // per_epoch)
    order = np.stack([rng.permutation(n)[:per_epoch * B] for _ in range(epochs)]) if epochs else np.empty((0, n), int)
    return np.sort(order.reshape(-1, B)[:updates], axis=1)


def batch_mean_variance(sigma2, n, B):
    """Return Var of the mean of B values drawn without replacement from n of variance sigma2: σ²/B·(n − B)/(n − 1)."""
    n = checks.count(n, "n", minimum=1)
    B = batch_size(B, n)
    return 0.0 if n == 1 else float(sigma2) / B * (n - B) / (n - 1)
