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
    f = checks.function(f, "f")
    theta = checks.finite_array(theta, "theta", min_size=1)
    h = checks.positive(h, "h")
    if np.any(theta + h == theta):
        raise ValueError(f"h is too small for theta: theta + h equals theta where |theta| >= "
                         f"{np.min(np.abs(theta[theta + h == theta])):.3g}; got h = {h:g}")
    grad = np.empty_like(theta)
    flat, out = theta.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        step = np.zeros_like(flat)
        step[i] = h
        plus, minus = (_scalar(f((flat + s).reshape(theta.shape))) for s in (step, -step))
        with np.errstate(over="ignore"):
            out[i] = (plus - minus) / (2 * h)
    if not np.all(np.isfinite(grad)):
        raise checks.TooLarge(f"the central differences of f at theta are beyond the float range for h = {h:g}")
    return grad


def _scalar(value):
    """Return what f returned as a float; raise naming f unless it is one finite number."""
    value = checks.returned(value, "f(theta)")
    if value.size != 1:
        raise ValueError(f"f(theta) must return one number (the loss); it returned shape {value.shape}")
    return float(value.reshape(()))


def relative_error(analytic, numeric, floor=1e-12):
    """Return |a − n| / max(|a| + |n|, floor) elementwise, with the shape of the inputs.

    Where both are (almost) zero the error is |a − n| / floor, so 0 when both are exactly 0.
    """
    a, n = checks.finite_array(analytic, "analytic", min_size=0), checks.finite_array(numeric, "numeric", min_size=0)
    if a.shape != n.shape:
        raise ValueError(f"analytic and numeric must have the same shape; got {a.shape} and {n.shape}")
    a, n = a / 2, n / 2  # halves: the same ratio, and no overflow near the largest float
    return np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), floor / 2)


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
    analytic = checks.returned(checks.function(gradient, "gradient")(theta), "gradient(theta)", shape=theta.shape)
    numeric = numerical_gradient(f, theta, h)
    return GradCheck(analytic, numeric, relative_error(analytic, numeric))
