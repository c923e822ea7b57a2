"""Check an analytic gradient against central differences.

Math → code:
    ∂f/∂θᵢ ≈ (f(θ + h·eᵢ) − f(θ − h·eᵢ)) / 2h   → numerical_gradient(f, theta, h)
    |a − n| / (|a| + |n|)                       → relative_error(a, n)
    |n − ∂f/∂θᵢ| ≤ 10·(h²·M₃/6 + ε·|ℓ|/h + ε·|θᵢ|·|∂f/∂θᵢ|/2h) → error_bound(h, loss, third, theta, gradient)

The same tool serves the tests and the notebooks, so what the learner sees checked is what CI
checks. Central differences have error O(h²); with h = 1e-5 a correct gradient agrees to about
1e-9 relative, and a wrong one is off by far more than 1e-6. Near a zero gradient a relative
error means nothing: there the bound from the error analysis, error_bound, is the yardstick.
"""

from dataclasses import dataclass

import numpy as np

from nbkit import checks

#: ε, the spacing of floats at 1: a rounding is within ε/2 relative.
EPS = float(np.finfo(float).eps)
#: The factor between the error the analysis expects and the bound a check allows.
MARGIN = 10.0


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


def error_bound(h, loss, third=0.0, theta=0.0, gradient=0.0):
    """Return MARGIN times the error a central difference with step h shows on a correct gradient.

    Per component i, three parts (arrays broadcast; the result has their shape):
      truncation  (f(θ + h) − f(θ − h)) / 2h = ∂f/∂θᵢ + (h²/6)·∂³f/∂θᵢ³ at a point within h of θ,
                  so at most h²·third/6, where `third` bounds |∂³f/∂θᵢ³| there (M₃);
      round-off   f(θ ± h) are each off by about ε·|ℓ|, their difference by up to 2ε·|ℓ|, and
                  divided by 2h that is ε·|ℓ|/h. `loss` is |ℓ| when f adds terms of one sign; when
                  f cancels (a squared error: ŷ − y), pass the size of its rounding error in units
                  of ε instead, e.g. mse_round_off(y_hat, y);
      step        θᵢ ± h is rounded, so the step taken differs from 2h by up to ε·|θᵢ|, a relative
                  error ε·|θᵢ|/2h of the quotient: ε·|θᵢ|·|gradient|/2h.
    The analytic side's own round-off, a few ε·|∂f/∂θᵢ|, is below the last part once |θᵢ| > h.
    """
    h = checks.positive(h, "h")
    truncation = h**2 * np.abs(third) / 6
    round_off = EPS * np.abs(loss) / h
    step = EPS * np.abs(theta) * np.abs(gradient) / (2 * h)
    return MARGIN * (truncation + round_off + step)


def mse_round_off(y_hat, y):
    """Return the size of the rounding error of mean((ŷ − y)²) in units of ε, a float (ŷ, y broadcast).

    ŷ − y is off by about ε·(|ŷ| + |y|), not ε·|ŷ − y|, so its square by 2|ŷ − y|·ε·(|ŷ| + |y|).
    """
    y_hat, y = np.asarray(y_hat, dtype=float), np.asarray(y, dtype=float)
    d = np.abs(y_hat - y)
    return float(np.mean(d**2 + 2 * d * (np.abs(y_hat) + np.abs(y))))
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

    @property
    def max_abs_error(self):
        """Return the largest |analytic − numeric|, a float."""
        return float(np.max(np.abs(self.analytic - self.numeric)))

    def within(self, bound):
        """Return True when every |analytic − numeric| is at most bound (a number or an array of their shape)."""
        return bool(np.all(np.abs(self.analytic - self.numeric) <= bound))

    def ok(self, tol=1e-6, floor=0.0):
        """Return True when every component has relative error below tol or |analytic − numeric| ≤ floor.

        floor: for components near 0, where a relative error means nothing; take it from error_bound.
        """
        near_zero = np.abs(self.analytic - self.numeric) <= floor if floor > 0 else False
        return bool(np.all((self.error < tol) | near_zero))


def check_gradient(f, gradient, theta, h=1e-5):
    """Return a GradCheck of gradient(theta) against central differences of f at theta."""
    theta = checks.finite_array(theta, "theta")
    analytic = checks.returned(checks.function(gradient, "gradient")(theta), "gradient(theta)", shape=theta.shape)
    numeric = numerical_gradient(f, theta, h)
    return GradCheck(analytic, numeric, relative_error(analytic, numeric))
