"""Check an analytic gradient against central differences.

Math → code:
    ∂f/∂θᵢ ≈ (f(θ + h·eᵢ) − f(θ − h·eᵢ)) / 2h   → numerical_gradient(f, theta, h)
    |a − n| / (|a| + |n|)                       → relative_error(a, n)

The same tool serves the tests and the notebooks, so what the learner sees checked is what CI
checks. Central differences have error O(h²); with h = 1e-5 a correct gradient agrees to about
1e-9 relative, and a wrong one is off by far more than 1e-6.
"""

from dataclasses import dataclass

import numpy as np

from nbkit import checks


def numerical_gradient(f, theta, h=1e-5):
    """Return the central-difference gradient of the scalar function f at theta (shape of theta)."""
    theta = checks.finite_array(theta, "theta", min_size=1)
    h = checks.positive(h, "h")
    grad = np.empty_like(theta)
    flat, out = theta.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        step = np.zeros_like(flat)
        step[i] = h
        plus = f((flat + step).reshape(theta.shape))
        minus = f((flat - step).reshape(theta.shape))
        out[i] = (plus - minus) / (2 * h)
    return grad


def relative_error(analytic, numeric, floor=1e-12):
    """Return |a − n| / max(|a| + |n|, floor) elementwise, with the shape of the inputs.

    Where both are (almost) zero the error is |a − n| / floor, so 0 when both are exactly 0.
    """
    a, n = np.asarray(analytic, dtype=float), np.asarray(numeric, dtype=float)
    if a.shape != n.shape:
        raise ValueError(f"analytic and numeric must have the same shape; got {a.shape} and {n.shape}")
    return np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), floor)


@dataclass(frozen=True)
class GradCheck:
    """Analytic and central-difference gradients side by side (arrays of one shape)."""

    analytic: np.ndarray
    numeric: np.ndarray
    error: np.ndarray

    @property
    def max_error(self):
        """Return the largest relative error, a float."""
        return float(np.max(self.error))

    def ok(self, tol=1e-6):
        """Return True when every relative error is below tol."""
        return self.max_error < tol


def check_gradient(f, gradient, theta, h=1e-5):
    """Return a GradCheck of gradient(theta) against central differences of f at theta."""
    theta = checks.finite_array(theta, "theta")
    analytic = np.asarray(gradient(theta), dtype=float)
    numeric = numerical_gradient(f, theta, h)
    return GradCheck(analytic, numeric, relative_error(analytic, numeric))
