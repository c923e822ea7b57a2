"""Quadratic objectives f(X) = Σᵢ cᵢ·xᵢ², each as a value and a gradient.

Math → code:
    f(x) = x²            → SQUARE            (c = (1,))
    f(x, y) = x² + y²    → BOWL              (c = (1, 1))
    f(x, y) = x² + a·y²  → elongated(a)      (c = (1, a))
    ∂f/∂xᵢ = 2·cᵢ·xᵢ     → Quadratic.gradient
    xᵢ ← (1 − 2·lr·cᵢ)·xᵢ → Quadratic.factors(lr): one gradient step multiplies each coordinate
    lr < 1 / max(cᵢ)     → Quadratic.stable_lr: the largest lr that does not diverge

Because every step multiplies each coordinate by its factor, the whole trajectory has a closed
form, x_k = (1 − 2·lr·c)^k · x0, which the tests and notebooks compare the runner against.
"""

import math
from dataclasses import dataclass

import numpy as np

from nbkit import checks

#: The regimes of gradient descent on a quadratic, by the factor r = 1 − 2·lr·max(c).
REGIMES = {
    "monotone": "converges monotonically (0 < r < 1)",
    "one step": "reaches the minimum in one step (r = 0)",
    "oscillating": "converges while oscillating (−1 < r < 0)",
    "bouncing": "bounces forever at the edge (r = −1)",
    "diverging": "diverges (r < −1)",
}


@dataclass(frozen=True)
class Quadratic:
    """f(X) = Σᵢ cᵢ·xᵢ² with every cᵢ > 0; X is a scalar for one coefficient, else a vector."""

    c: tuple

    def __post_init__(self):
        if isinstance(self.c, (str, bytes)) or not hasattr(self.c, "__len__"):
            raise TypeError(f"c must be a tuple of coefficients, e.g. Quadratic((1.0, 10.0)); got {self.c!r}")
        c = tuple(checks.positive(ci, f"c[{i}]") for i, ci in enumerate(self.c))
        if not c:
            raise ValueError("c must hold at least one coefficient; got ()")
        object.__setattr__(self, "c", c)

    @property
    def dim(self):
        """Return the number of coordinates (1 for x², 2 for x² + a·y²)."""
        return len(self.c)

    def _coefficients(self, X):
        if not (type(X) is np.float64 or type(X) is np.ndarray and X.dtype == np.float64):
            X = checks.finite_array(X, "X", min_size=0)  # a float array is checked by _fits, on the result
        if self.dim == 1:
            return X, 1.0 * self.c[0]
        if X.shape[-1:] != (self.dim,):
            raise ValueError(f"X must have a last axis of length {self.dim}; got shape {X.shape}")
        return X, np.asarray(self.c)

    @staticmethod
    def _fits(result, what, X):
        """Return result, or raise checks.TooLarge when it went beyond the float range (ValueError for a bad X)."""
        if not (math.isfinite(result) if type(result) is np.float64 else np.isfinite(result).all()):
            checks.finite_array(X, "X", min_size=0)
            raise checks.TooLarge(f"X is too large: {what} is beyond the largest float (about 1.8e308) "
                                  f"at X = {np.max(np.abs(X)):.3g}")
        return result

    def value(self, X):
        """Return f(X): a float for one point; shape (k,) for k points of shape (k, dim).

        X is any finite array; checks.TooLarge is raised when f(X) is beyond the float range.
        """
        X, c = self._coefficients(X)
        with np.errstate(over="ignore"):  # c·X first: never inf·0
            f = c * X * X if self.dim == 1 else np.sum(c * X * X, axis=-1)
        return self._fits(f, "f(X)", X)

    def gradient(self, X):
        """Return ∇f(X) = 2·c·X, with the shape of X (checks.TooLarge beyond the float range)."""
        X, c = self._coefficients(X)
        with np.errstate(over="ignore"):  # 2·(c·X): a huge c times X = 0 is 0, not inf·0
            return self._fits(2 * (c * X), "∇f(X) = 2·c·X", X)

    def factors(self, lr):
        """Return the per-coordinate factors 1 − 2·lr·cᵢ as an array of shape (dim,)."""
        lr = checks.positive(lr, "lr")
        with np.errstate(over="ignore"):
            r = 1 - 2 * lr * np.asarray(self.c)
        if not np.all(np.isfinite(r)):
            raise checks.TooLarge(f"lr is too large: 1 − 2·lr·c is beyond the largest float for lr = {lr:g}, "
                                  f"c = {self.c}")
        return r

    @property
    def stable_lr(self):
        """Return the stability limit 1 / max(c): gradient descent diverges for any larger lr."""
        return 1 / max(self.c)

    def closed_form(self, x0, lr, steps):
        """Return the exact trajectory x_k = (1 − 2·lr·c)^k · x0 for k = 0…steps.

        Shape (steps + 1,) for one coordinate, (steps + 1, dim) otherwise. A trajectory that
        leaves the float range raises checks.TooLarge, whose `limit` is the most steps that fit.
        """
        steps = checks.count(steps, "steps", maximum=checks.MAX_STEPS)
        x0 = checks.finite_array(x0, "x0", shape=() if self.dim == 1 else (self.dim,))
        k = np.arange(steps + 1).reshape((-1,) + (1,) * x0.ndim)
        r = self.factors(lr) if self.dim > 1 else self.factors(lr)[0]
        with np.errstate(over="ignore", invalid="ignore"):
            path = np.where(x0 == 0, 0.0, r ** k * x0)
        bad = ~np.isfinite(path.reshape(steps + 1, -1)).all(axis=1)
        if bad.any():
            limit = int(np.argmax(bad)) - 1
            error = checks.TooLarge(f"steps is too large: x_k = r^k·x0 with |r| = {np.max(np.abs(r)):.3g} "
                                    f"leaves the float range after step {limit}; got steps = {steps}")
            error.limit = limit
            raise error
        return path

    def regime(self, lr):
        """Return the key of REGIMES that describes the whole run at this lr.

        With several coordinates the worst one decides: any |r| > 1 diverges, any r = −1
        bounces, any r < 0 zig-zags ("oscillating"), and "one step" needs every r = 0.
        """
        r = self.factors(lr)
        tol = 1e-12
        if np.any(r < -1 - tol):
            return "diverging"
        if np.any(np.abs(r + 1) <= tol):
            return "bouncing"
        if np.all(np.abs(r) <= tol):
            return "one step"
        return "oscillating" if np.any(r < -tol) else "monotone"


SQUARE = Quadratic((1.0,))
BOWL = Quadratic((1.0, 1.0))


def elongated(a):
    """Return the elongated bowl f(x, y) = x² + a·y² (a > 0; a = 1 is the round BOWL)."""
    return Quadratic((1.0, checks.positive(a, "a")))
