"""Why momentum works, one coordinate at a time: the 2×2 recurrence on f = c·x² and its factor per step.

Math → code (f = c·x², ∇f = 2c·x; the bowl x² + a·y² is c = (1, a)):
    (x_{k+1}, v_{k+1}) = M·(x_k, v_k)          → momentum_matrix(lr, beta, c), shape (..., 2, 2)
    μ² − (1 + β − 2·lr·c)·μ + β = 0             → the eigenvalues of M
    factor per step = max |μ|                   → momentum_factor(lr, beta, c), momentum_factors(objective, lr, beta)
    stable for lr·c < 1 + β                     → stable_lr(objective, beta)
    κ = max(c)/min(c); best (lr, β) with factor (√κ − 1)/(√κ + 1) → best_momentum(objective)
    gradient descent's best lr, factor (κ − 1)/(κ + 1)            → best_gradient_descent(objective)
    a factor read off a run's path               → measured_factor(path)
"""

import numpy as np

from nbkit import checks


def stable_lr(objective, beta):
    """Return the stability limit of momentum on a Quadratic: it diverges for lr ≥ (1 + β)/max(c)."""
    return (1 + checks.fraction(beta, "beta")) / max(objective.c)


def momentum_matrix(lr, beta, c):
    """Return M with (x_{k+1}, v_{k+1}) = M·(x_k, v_k) for momentum on c·x², shape (..., 2, 2).

    v_{k+1} = β·v_k + 2c·x_k and x_{k+1} = x_k − lr·v_{k+1} = (1 − 2·lr·c)·x_k − lr·β·v_k.
    lr, beta, c: numbers or arrays that broadcast together (lr > 0, 0 ≤ beta < 1, c > 0).
    """
    lr, beta, c = (_array(value, name, low) for value, name, low in ((lr, "lr", 0), (beta, "beta", None), (c, "c", 0)))
    if np.any((beta < 0) | (beta >= 1)):
        raise ValueError(f"beta must lie in [0, 1); got {beta[(beta < 0) | (beta >= 1)].ravel()[0]!r}")
    lr, beta, c = np.broadcast_arrays(lr, beta, c)
    return np.stack([np.stack([1 - 2 * lr * c, -lr * beta], -1), np.stack([2 * c, beta], -1)], -2)


def _array(value, name, low):
    array = checks.finite_array(value, name)
    if low is not None and np.any(array <= low):
        raise ValueError(f"{name} must be > {low}; got {array[array <= low].ravel()[0]!r}")
    return array


def momentum_factor(lr, beta, c):
    """Return the factor per step of momentum on c·x²: the largest |eigenvalue| of momentum_matrix.

    The eigenvalues solve μ² − (1 + β − 2·lr·c)·μ + β = 0; |μ| < 1 for both means convergence.
    Shape: the broadcast shape of lr, beta and c.
    """
    return np.max(np.abs(np.linalg.eigvals(momentum_matrix(lr, beta, c))), axis=-1)


def momentum_factors(objective, lr, beta):
    """Return each coordinate's factor per step for momentum on a Quadratic, shape (dim,)."""
    return momentum_factor(lr, beta, np.asarray(objective.c))


def best_momentum(objective):
    """Return (lr, beta) that make the worst coordinate's factor smallest on a Quadratic.

    With κ = max(c)/min(c): lr = 2/(√max(c) + √min(c))², beta = ((√κ − 1)/(√κ + 1))²; the factor
    is then √beta = (√κ − 1)/(√κ + 1) for every coordinate.
    """
    low, high = np.sqrt(min(objective.c)), np.sqrt(max(objective.c))
    return 2 / (high + low) ** 2, ((high - low) / (high + low)) ** 2


def best_gradient_descent(objective):
    """Return the lr that makes gradient descent's worst factor |1 − 2·lr·c| smallest: 1/(min(c) + max(c))."""
    return 1 / (min(objective.c) + max(objective.c))


def measured_factor(path, tail=0.5):
    """Return the factor per step read off a run: (m_end / m_start)^(1 / distance), from its path.

    path (k+1,) or (k+1, d). m is the largest ‖X‖ over a window of steps (so an oscillation's
    zeros do not count); the windows are the first and the last tenth of the path's last `tail`,
    cut after the last ‖X‖ above 1e-250·‖X0‖ (before it underflows).
    """
    norms = np.abs(path) if np.ndim(path) == 1 else np.linalg.norm(path, axis=-1)
    norms = norms[: np.flatnonzero(norms >= 1e-250 * norms[0])[-1] + 1]
    norms = norms[int(len(norms) * (1 - tail)):]
    w = max(len(norms) // 10, 1)
    if len(norms) < 2 * w + 1 or norms[:w].max() == 0:
        raise ValueError(f"path must have enough nonzero points to measure a factor; got {len(norms)}")
    return float((norms[-w:].max() / norms[:w].max()) ** (1 / (len(norms) - w)))
