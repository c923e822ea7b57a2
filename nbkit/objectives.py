"""Quadratic objectives: f(X) = Σᵢ cᵢ·xᵢ² and the rotated bowl f(X) = Xᵀ·A·X, as value and gradient.

Math → code:
    f(x) = x²            → SQUARE            (c = (1,))
    f(x, y) = x² + y²    → BOWL              (c = (1, 1))
    f(x, y) = x² + a·y²  → elongated(a)      (c = (1, a))
    f(X) = Xᵀ·A·X        → rotated(a, degrees): elongated(a) turned by an angle, A = R·diag(1, a)·Rᵀ
    ∂f/∂xᵢ = 2·cᵢ·xᵢ     → Quadratic.gradient  (2·A·X for the rotated bowl)
    λ                    → curvatures: the eigenvalues of the Hessian, 2·cᵢ (of 2·A for the rotated bowl)
    r = 1 − lr·λ         → factors(lr): one gradient step multiplies the coordinate along each
                           curvature direction by its r (for x² + a·y²: 1 − 2·lr and 1 − 2·a·lr)
    lr < 2 / λ_max       → stable_lr: the largest lr that does not diverge (1 / max(cᵢ) here)
    ∇f·u, u = (cos φ, sin φ) → directional_derivatives(g, phi)

Because every step multiplies each coordinate by its factor, the whole trajectory has a closed
form, x_k = r^k · x0, which the tests and notebooks compare the runner against.
"""

import math
from dataclasses import dataclass

import numpy as np

from nbkit import checks

#: The regimes of gradient descent along one direction, by its factor r = 1 − lr·λ.
REGIMES = {
    "monotone": "converges monotonically (0 < r < 1)",
    "one step": "reaches the minimum in one step (r = 0)",
    "oscillating": "converges while oscillating (−1 < r < 0)",
    "bouncing": "bounces forever at the edge (r = −1)",
    "diverging": "diverges (r < −1)",
}
#: From harmless to worst: the regime of a whole run is that of its worst direction.
_SEVERITY = ("one step", "monotone", "oscillating", "bouncing", "diverging")
#: How close r must be to 0 or −1 to count as exactly there (a power of two: −1 ± _TOL is exact).
_TOL = 2.0 ** -40


def regime_of(r):
    """Return the key of REGIMES for one factor r (a float)."""
    if r < -1 - _TOL:
        return "diverging"
    if abs(r + 1) <= _TOL:
        return "bouncing"
    if abs(r) <= _TOL:
        return "one step"
    return "oscillating" if r < 0 else "monotone"


class _Factors:
    """What follows from the factors alone: per-direction and whole-run regimes."""

    def regimes(self, lr):
        """Return one key of REGIMES per direction of factors(lr), a tuple of length dim."""
        return tuple(regime_of(float(r)) for r in self.factors(lr))

    def regime(self, lr):
        """Return the key of REGIMES that describes the whole run at this lr: its worst direction's.

        Any r < −1 diverges, any r = −1 bounces, any −1 < r < 0 zig-zags ("oscillating"), "one step"
        needs every r = 0, and otherwise every 0 ≤ r < 1 ("monotone").
        """
        return max(self.regimes(lr), key=_SEVERITY.index)

    @property
    def stable_lr(self):
        """Return the stability limit 2 / λ_max: gradient descent diverges for any larger lr."""
        return 2 / float(np.max(self.curvatures))


@dataclass(frozen=True)
class Quadratic(_Factors):
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

    @property
    def curvatures(self):
        """Return the Hessian's eigenvalues λᵢ = 2·cᵢ (= f'' for x²), shape (dim,), in coordinate order."""
        return 2 * np.asarray(self.c)

    def factors(self, lr):
        """Return the per-coordinate factors 1 − 2·lr·cᵢ = 1 − lr·λᵢ as an array of shape (dim,)."""
        lr = checks.positive(lr, "lr")
        with np.errstate(over="ignore"):
            r = 1 - 2 * lr * np.asarray(self.c)
        if not np.all(np.isfinite(r)):
            raise checks.TooLarge(f"lr is too large: 1 − 2·lr·c is beyond the largest float for lr = {lr:g}, "
                                  f"c = {self.c}")
        return r

    def level_set(self, level, tau):
        """Return the points X = (√(level/c₀)·cos τ, √(level/c₁)·sin τ) where f(X) = level (2-D only).

        level and the ellipse parameter tau broadcast together; the result has their broadcast shape + (2,).
        """
        c0, c1 = self.c
        radius, tau = np.broadcast_arrays(np.sqrt(np.asarray(level, dtype=float)), np.asarray(tau, dtype=float))
        return np.stack([radius / np.sqrt(c0) * np.cos(tau), radius / np.sqrt(c1) * np.sin(tau)], axis=-1)

    def closed_form(self, x0, lr, steps):
        """Return the exact trajectory x_k = (1 − 2·lr·c)^k · x0 for k = 0…steps.

        Shape (steps + 1,) for one coordinate, (steps + 1, dim) otherwise. A trajectory that
        leaves the float range raises checks.TooLarge, whose `limit` is the most steps that fit.
        """
        steps = checks.count(steps, "steps", maximum=checks.MAX_STEPS)
        x0 = checks.finite_array(x0, "x0", shape=() if self.dim == 1 else (self.dim,))
        k = np.arange(steps + 1).reshape((-1,) + (1,) * x0.ndim)
        r = self.factors(lr)  # shape (dim,): for one coordinate it broadcasts against k like a scalar
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


SQUARE = Quadratic((1.0,))
BOWL = Quadratic((1.0, 1.0))


def elongated(a):
    """Return the elongated bowl f(x, y) = x² + a·y² (a > 0; a = 1 is the round BOWL)."""
    return Quadratic((1.0, checks.positive(a, "a")))


@dataclass(frozen=True, eq=False)
class RotatedBowl(_Factors):
    """f(X) = Xᵀ·A·X for a symmetric positive-definite 2 × 2 matrix A; X has shape (..., 2)."""

    A: np.ndarray

    def __post_init__(self):
        A = checks.finite_array(self.A, "A", shape=(2, 2))
        if not np.allclose(A, A.T) or np.min(np.linalg.eigvalsh(A)) <= 0:
            raise ValueError(f"A must be a symmetric matrix with positive eigenvalues; got {A.tolist()}")
        object.__setattr__(self, "A", A)

    @property
    def dim(self):
        """Return the number of coordinates, 2."""
        return 2

    def value(self, X):
        """Return f(X) = Xᵀ·A·X: a float for one point of shape (2,); shape (...,) for points (..., 2)."""
        X = np.asarray(X, dtype=float)
        return np.einsum("...i,ij,...j->...", X, self.A, X)

    def gradient(self, X):
        """Return ∇f(X) = 2·A·X (A is symmetric), with the shape of X."""
        return 2 * np.asarray(X, dtype=float) @ self.A

    @property
    def curvatures(self):
        """Return the eigenvalues λ of the Hessian 2·A, shape (2,), smallest first."""
        return np.linalg.eigvalsh(2 * self.A)

    @property
    def directions(self):
        """Return the unit directions of the curvatures as the columns of a 2 × 2 matrix (flat first)."""
        return np.linalg.eigh(2 * self.A)[1]

    def factors(self, lr):
        """Return the factors 1 − lr·λ along the directions, shape (2,), flat direction first."""
        lr = checks.positive(lr, "lr")
        return 1 - lr * self.curvatures

    def closed_form(self, x0, lr, steps):
        """Return the exact trajectory X_k = Q·diag(r^k)·Qᵀ·X0 for k = 0…steps, shape (steps + 1, 2).

        Q holds the directions; along each one the step multiplies the coordinate by its r.
        """
        steps = checks.count(steps, "steps")
        x0 = checks.finite_array(x0, "x0", shape=(2,))
        Q, k = self.directions, np.arange(steps + 1)[:, None]
        return (self.factors(lr) ** k * (Q.T @ x0)) @ Q.T


def rotated(a, degrees):
    """Return the bowl x² + a·y² turned by `degrees` about the origin: A = R·diag(1, a)·Rᵀ."""
    a = checks.positive(a, "a")
    phi = np.radians(checks.finite_array(degrees, "degrees", shape=()))
    R = np.array([[np.cos(phi), -np.sin(phi)], [np.sin(phi), np.cos(phi)]])
    A = R @ np.diag([1.0, a]) @ R.T
    return RotatedBowl((A + A.T) / 2)


def directional_derivatives(g, phi):
    """Return the slopes ∇f·u along the unit directions u = (cos φ, sin φ); g has shape (2,), the result φ's shape."""
    g = checks.finite_array(g, "g", shape=(2,))
    phi = np.asarray(phi, dtype=float)
    return g[0] * np.cos(phi) + g[1] * np.sin(phi)
