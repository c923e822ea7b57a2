"""Learning-rate schedules: lr_k, the rate of update k, as a pure function of the step k.

Math → code (lr₀ the starting rate, K the number of updates, k = 0 … K − 1):
    constant:   lr_k = lr₀                                  → constant(k, lr0)
    step decay: lr_k = lr₀ · drop^⌊k / every⌋               → step_decay(k, lr0, every, drop)
    1/t:        lr_k = lr₀ / (1 + k / k_half)               → inverse_time(k, lr0, k_half)
    cosine:     lr_k = lr₀ · (1 + cos(π·k / K)) / 2         → cosine(k, lr0, total)
    all K rates of a named schedule, shape (K,)             → rates(name, lr0, total)

Each function takes k as an integer or an integer array and returns lr_k in the same shape.
`rates` picks the schedule's constants from K, so the three decaying schedules are comparable:
step decay halves the rate every K/4 updates, 1/t halves it by K/8 (and keeps falling), cosine
reaches 0 at k = K.
"""

import numpy as np

from nbkit import checks

#: The schedules `rates` knows, by name.
SCHEDULES = ("constant", "step", "1/t", "cosine")


def _steps(k):
    k = np.asarray(k)
    if not np.issubdtype(k.dtype, np.integer) or np.any(k < 0):
        raise ValueError(f"k must be an integer step >= 0 (or an array of them); got {k!r}")
    return k


def constant(k, lr0):
    """Return lr_k = lr0 at every step k (an int or int array), shaped like k."""
    return np.full(np.shape(_steps(k)), checks.positive(lr0, "lr0"))


def step_decay(k, lr0, every, drop=0.5):
    """Return lr_k = lr0 · drop^⌊k / every⌋: the rate falls by the factor `drop` every `every` steps."""
    drop = checks.positive(drop, "drop")
    if drop >= 1:
        raise ValueError(f"drop must be a number in (0, 1); got {drop!r}")
    return checks.positive(lr0, "lr0") * drop ** (_steps(k) // checks.count(every, "every", minimum=1))


def inverse_time(k, lr0, k_half):
    """Return lr_k = lr0 / (1 + k / k_half): half the starting rate at k = k_half, then falling like 1/k."""
    return checks.positive(lr0, "lr0") / (1 + _steps(k) / checks.positive(k_half, "k_half"))


def cosine(k, lr0, total):
    """Return lr_k = lr0 · (1 + cos(π·k / total)) / 2: half a cosine from lr0 at k = 0 down to 0 at k = total."""
    total = checks.count(total, "total", minimum=1)
    k = _steps(k)
    if np.any(k > total):
        raise ValueError(f"k must be at most total = {total} for the cosine schedule; got up to {np.max(k)}")
    return checks.positive(lr0, "lr0") * (1 + np.cos(np.pi * k / total)) / 2


def rates(name, lr0, total):
    """Return the rates lr_0 … lr_{total−1} of the schedule `name` (one of SCHEDULES), shape (total,).

    The constants come from total = K: step decay halves every ⌈K/4⌉ steps, 1/t has k_half = K/8,
    cosine runs over K steps. total = 0 gives an empty array.
    """
    name = checks.one_of(name, "schedule", SCHEDULES)
    total = checks.count(total, "total")
    k = np.arange(total)
    if name == "constant":
        return constant(k, lr0)
    if name == "step":
        return step_decay(k, lr0, every=max(1, -(-total // 4)))
    if name == "1/t":
        return inverse_time(k, lr0, k_half=max(1, total) / 8)
    return cosine(k, lr0, max(1, total))
