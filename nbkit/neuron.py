"""One sigmoid neuron, ŷ = S(w·x + b), with the MSE loss: forward pass, backward pass, training.

Math → code:
    S(z) = 1 / (1 + e^(−z))          → sigmoid(z)
    S'(z) = S(z)·(1 − S(z))          → sigmoid_prime(z)   (= e/(1 + e)², e = e^(−|z|))
    z = w·x + b,  ŷ = S(z)           → forward(w, b, x) → Cache(x, z, y_hat)
    MSE = (1/n)·Σ (ŷᵢ − yᵢ)²         → mse(y_hat, y)
    ∂MSE/∂ŷᵢ = 2(ŷᵢ − yᵢ)/n
    δᵢ = ∂MSE/∂zᵢ = ∂MSE/∂ŷᵢ · S'(zᵢ) → delta
    ∂MSE/∂w = Σ δᵢ·xᵢ,  ∂MSE/∂b = Σ δᵢ → backward(cache, y) → Gradients(dw, db)
    θ = (w, b)                       → theta, a vector of shape (2,)

One sample is n = 1, so l = (ŷ − y)² and ∂l/∂w = 2(ŷ − y)·x·S'(z), ∂l/∂b = 2(ŷ − y)·S'(z).
All functions are pure and vectorised over the n samples: x and y have shape (n,).
"""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from nbkit import checks
from nbkit.descent import gradient_descent


def sigmoid(z):
    """Return S(z) = 1 / (1 + e^(−z)) elementwise, with the shape of z.

    e^(−|z|) never overflows, and for z < 0 the form e^z / (1 + e^z) keeps full relative
    precision where S(z) is tiny (S(−700) ≈ 9.9e-305, not 0); S(−1000) underflows to 0 quietly.
    One exponential and one division: r = 1/(1 + e), then S = r for z ≥ 0 and e·r for z < 0.
    """
    z = _z(z)
    e = np.exp(-np.abs(z))
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def _z(z):
    """Return z as a float array: a float array as it is (±inf allowed, S(±inf) is 1 or 0), else checked."""
    if type(z) is np.ndarray and z.dtype == np.float64:
        return z
    return checks.finite_array(z, "z", min_size=0)


def sigmoid_prime(z):
    """Return S'(z) = S(z)·(1 − S(z)) elementwise, with the shape of z.

    S(z)·S(−z) with e = e^(−|z|) is e/(1 + e)², the same for z and −z: no 1 − S(z), which
    would be exactly 0 for z > 37.
    """
    e = np.exp(-np.abs(_z(z)))
    r = 1 / (1 + e)
    return e * r * r


@dataclass(frozen=True)
class Cache:
    """What the forward pass keeps for the backward pass: x, z = w·x + b and ŷ = S(z), each (n,)."""

    x: np.ndarray
    z: np.ndarray
    y_hat: np.ndarray


class Gradients(NamedTuple):
    """∂MSE/∂w and ∂MSE/∂b, two floats; unpack as `dw, db = backward(cache, y)`."""

    dw: float
    db: float


def _scalar(value, name):
    return float(checks.finite_array(value, name, shape=()))


def _samples(value, name):
    array = checks.finite_array(value, name)
    if array.ndim > 1:
        raise ValueError(f"{name} must be a number or a 1-D array of samples; got shape {array.shape}")
    return array.reshape(-1)


def _targets(y, n, x_name="x"):
    y = _samples(y, "y")
    if y.shape != (n,):
        raise ValueError(f"y must have one target per sample of {x_name}: {x_name} has {n}, y has {y.size}")
    return y


def forward(w, b, x):
    """Return the Cache of the forward pass: z = w·x + b and ŷ = S(z), each of shape (n,).

    w, b: finite numbers; x: a number or an array of shape (n,), n ≥ 1. Where w·x is beyond
    the float range, z is ±inf and ŷ exactly 1 or 0 (no warning): the neuron is fully saturated.
    """
    return _forward(_scalar(w, "w"), _scalar(b, "b"), _samples(x, "x"))


def _forward(w, b, x):
    """forward() on checked input: w, b floats, x an array (n,)."""
    with np.errstate(over="ignore"):
        z = w * x + b
    return Cache(x, z, sigmoid(z))


def mse(y_hat, y):
    """Return the mean squared error (1/n)·Σ (ŷᵢ − yᵢ)², a float; y_hat and y of shape (n,)."""
    y_hat = _samples(y_hat, "y_hat")
    return float(np.mean((y_hat - _targets(y, y_hat.size, "y_hat")) ** 2))


def backward(cache, y):
    """Return Gradients(dw, db) of the MSE over the cached samples, from the Cache and y (n,).

    The chain rule, one factor per line: ∂MSE/∂ŷ, then δ = ∂MSE/∂z, then ∂z/∂w = x, ∂z/∂b = 1.
    """
    if not isinstance(cache, Cache):
        raise TypeError(f"cache must be the Cache that forward(w, b, x) returns; got {type(cache).__name__}")
    return _backward(cache, _targets(y, cache.x.size))


def _backward(cache, y):
    """backward() on checked targets y (n,)."""
    dl_dy_hat = 2 * (cache.y_hat - y) / y.size
    delta = dl_dy_hat * sigmoid_prime(cache.z)
    with np.errstate(over="ignore"):  # δ·x beyond the float range is ±inf: the runner calls that diverged
        return Gradients(float(np.sum(delta * cache.x)), float(np.sum(delta)))


def loss(theta, x, y):
    """Return the MSE of the neuron θ = (w, b) on samples x, y (each (n,)), a float."""
    w, b = _theta(theta)
    x = _samples(x, "x")
    return mse(_forward(w, b, x).y_hat, _targets(y, x.size))


def loss_and_grad(theta, x, y):
    """Return (MSE, gradient) at θ = (w, b): a float and an array [∂MSE/∂w, ∂MSE/∂b] of shape (2,)."""
    w, b = _theta(theta)
    cache = forward(w, b, x)
    y = _targets(y, cache.x.size)
    return mse(cache.y_hat, y), np.array(backward(cache, y))


def gradient(theta, x, y):
    """Return the gradient [∂MSE/∂w, ∂MSE/∂b] at θ = (w, b), shape (2,)."""
    return loss_and_grad(theta, x, y)[1]


def seed_update_direction(theta, x, y):
    """Return the seed's slipped "gradient" [mean ∂ŷ/∂w, mean ∂ŷ/∂b], shape (2,); y is ignored.

    It drops ∂l/∂ŷ = 2(ŷ − y), so a step against it lowers ŷ whatever the target y is.
    """
    w, b = _theta(theta)
    cache = forward(w, b, x)
    _targets(y, cache.x.size)
    s_prime = sigmoid_prime(cache.z)
    return np.array([np.mean(cache.x * s_prime), np.mean(s_prime)])


def _theta(theta):
    w, b = checks.finite_array(theta, "theta", shape=(2,))
    return float(w), float(b)


def train(x, y, theta0, lr, steps, direction=None):
    """Return the descent Run of θ = (w, b) ← θ − lr·direction(θ, x, y), path of shape (k+1, 2).

    `direction` defaults to the true gradient; pass seed_update_direction to replay the slip.
    steps is at most checks.MAX_STEPS.
    """
    x = _samples(x, "x")
    y = _targets(y, x.size)
    theta0 = checks.finite_array(theta0, "theta0", shape=(2,))
    if direction is not None:
        checks.function(direction, "direction")
        try:
            first = direction(theta0, x, y)
        except Exception as error:
            raise type(error)(f"direction(theta0, x, y) failed: {error}") from None
        checks.returned(first, "direction(theta0, x, y)", shape=(2,))
    if direction is None:
        def step_direction(theta):  # x, y checked once above, not on every step
            return np.array(_backward(_forward(float(theta[0]), float(theta[1]), x), y))
    else:
        def step_direction(theta):
            return direction(theta, x, y)
    return gradient_descent(step_direction, theta0, lr, steps)


def losses(path, x, y):
    """Return the MSE at every θ of a path of shape (k, 2), as an array of shape (k,)."""
    path = checks.finite_array(path, "path", shape=(None, 2))
    return loss_surface(path[:, 0], path[:, 1], x, y)


def loss_surface(w, b, x, y):
    """Return the MSE at every (w, b) pair of two arrays of one shape (e.g. a meshgrid), that shape.

    Vectorised over the grid and the samples: z has the grid's shape plus a last axis of n.
    """
    w, b = checks.finite_array(w, "w"), checks.finite_array(b, "b")
    if w.shape != b.shape:
        raise ValueError(f"w and b must have the same shape; got {w.shape} and {b.shape}")
    x = _samples(x, "x")
    y = _targets(y, x.size)
    with np.errstate(over="ignore"):  # z = ±inf gives ŷ = 1 or 0 exactly
        y_hat = sigmoid(w[..., None] * x + b[..., None])
    return np.mean((y_hat - y) ** 2, axis=-1)


def make_data(n=20, w=2.0, b=-1.0, noise=0.05, seed=0):
    """Return (x, y), each of shape (n,): x uniform in [−3, 3], y = S(w·x + b) + noise, clipped to [0, 1].

    A fixed seed gives the same data on every run.
    """
    n = checks.count(n, "n", minimum=1, maximum=checks.MAX_STEPS)
    w, b, noise = _scalar(w, "w"), _scalar(b, "b"), _scalar(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must be a finite number >= 0; got {noise}")
    rng = np.random.default_rng(checks.count(seed, "seed"))
    x = np.sort(rng.uniform(-3, 3, n))
    with np.errstate(over="ignore"):
        y = np.clip(sigmoid(w * x + b) + noise * rng.standard_normal(n), 0, 1)
    return x, y


class Verdict(NamedTuple):
    """How a training run went: status, one of VERDICTS, and a sentence that says it in numbers."""

    status: str
    text: str


#: What a training run can be, judged from its losses (not from the gradient, which can grow
#: while a neuron leaves a plateau). "no steps" is a run of steps = 0.
VERDICTS = ("converging", "oscillating", "crawling", "stuck", "diverging", "diverged", "no steps")


def verdict(run, x, y, crawl=0.1, saturated=0.05, flat=0.01):
    """Return the Verdict of a train() run on samples x, y (each (n,)).

    The rules, first match wins, with L_k the loss after k of the run's n steps:
      diverged     θ left the runner's bound (at the step named);
      no steps     n = 0: nothing to judge;
      diverging    the loss ended above its start, L_n > L_0;
      oscillating  the loss rose on some step (on how many of n is said);
      crawling     it fell on every step, but by less than `crawl` (10%) of L_0;
      stuck        it fell on every step, but the last quarter of the steps lowered it by less
                   than `flat` (1%) of L at the start of that quarter, and the neuron is
                   saturated: mean S'(z) below `saturated` (0.05, a fifth of the largest slope
                   S'(0) = 1/4). Every gradient has the factor S'(z), so the steps are tiny
                   while the loss is still high: a plateau, not a minimum;
      converging   it fell on every step, and is neither crawling nor stuck.
    Saturation is always named, with the mean S'(z) at the last θ.
    """
    if not hasattr(run, "path") or not hasattr(run, "diverged_at"):
        raise TypeError(f"run must be the Run that train(x, y, theta0, lr, steps) returns; got {type(run).__name__}")
    if run.diverged_at is not None:
        return Verdict("diverged", f"diverged: θ = (w, b) left the bound at step {run.diverged_at}")
    L = losses(run.path, x, y)
    n = len(L) - 1
    if n == 0:
        return Verdict("no steps", f"no steps: θ stays at its start, where the loss is {L[0]:.3g}")
    fell = f"the loss went from {L[0]:.3g} to {L[-1]:.3g} in {n} steps"
    ups = int(np.sum(np.diff(L) > 1e-12 * L[:-1]))
    if L[-1] > L[0]:
        status, text = "diverging", f"diverging: {fell}"
    elif ups:
        status, text = "oscillating", f"oscillating: the loss rose on {ups} of {n} steps; {fell}"
    elif L[0] - L[-1] < crawl * L[0]:
        status, text = "crawling", f"crawling: {fell}"
    else:
        status, text = "converging", f"converging: {fell}"
    s_prime = float(np.mean(sigmoid_prime(forward(*run.path[-1], x).z)))
    if s_prime < saturated:
        quarter_start = L[-1 - n // 4]
        if status == "converging" and quarter_start - L[-1] < flat * quarter_start:
            status, text = "stuck", "stuck on a plateau" + text[len("converging"):] + \
                f", and by under {flat:.0%} in the last {n // 4} steps"
        text += f"; saturated, mean S'(z) = {s_prime:.2g}"
    return Verdict(status, text)
