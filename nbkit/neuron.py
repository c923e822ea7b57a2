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
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def sigmoid_prime(z):
    """Return S'(z) = S(z)·(1 − S(z)) elementwise, with the shape of z.

    S(z)·S(−z) with e = e^(−|z|) is e/(1 + e)², the same for z and −z: no 1 − S(z), which
    would be exactly 0 for z > 37.
    """
    e = np.exp(-np.abs(np.asarray(z, dtype=float)))
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


def _targets(y, n):
    y = _samples(y, "y")
    if y.shape != (n,):
        raise ValueError(f"y must have one target per sample of x: x has {n}, y has {y.size}")
    return y


def forward(w, b, x):
    """Return the Cache of the forward pass: z = w·x + b and ŷ = S(z), each of shape (n,).

    w, b: finite numbers; x: a number or an array of shape (n,), n ≥ 1.
    """
    return _forward(_scalar(w, "w"), _scalar(b, "b"), _samples(x, "x"))


def _forward(w, b, x):
    """forward() on checked input: w, b floats, x an array (n,)."""
    z = w * x + b
    return Cache(x, z, sigmoid(z))


def mse(y_hat, y):
    """Return the mean squared error (1/n)·Σ (ŷᵢ − yᵢ)², a float; y_hat and y of shape (n,)."""
    y_hat = _samples(y_hat, "y_hat")
    return float(np.mean((y_hat - _targets(y, y_hat.size)) ** 2))


def backward(cache, y):
    """Return Gradients(dw, db) of the MSE over the cached samples, from the Cache and y (n,).

    The chain rule, one factor per line: ∂MSE/∂ŷ, then δ = ∂MSE/∂z, then ∂z/∂w = x, ∂z/∂b = 1.
    """
    return _backward(cache, _targets(y, cache.x.size))


class Chain(NamedTuple):
    """The factors of the backward pass, each of shape (n,) but dw and db (floats).

    dl_dy_hat = ∂MSE/∂ŷᵢ, s_prime = S'(zᵢ), delta = δᵢ = ∂MSE/∂zᵢ; dw = Σ δᵢ·xᵢ, db = Σ δᵢ.
    """

    dl_dy_hat: np.ndarray
    s_prime: np.ndarray
    delta: np.ndarray
    dw: float
    db: float


def chain(cache, y):
    """Return the Chain of the backward pass over the cached samples, from the Cache and y (n,).

    Every factor of the chain rule, for a learner (or a stepper) to read one at a time;
    backward() returns its last two.
    """
    return _chain(cache, _targets(y, cache.x.size))


def _chain(cache, y):
    """chain() on checked targets y (n,)."""
    dl_dy_hat = 2 * (cache.y_hat - y) / y.size
    s_prime = sigmoid_prime(cache.z)
    delta = dl_dy_hat * s_prime
    return Chain(dl_dy_hat, s_prime, delta, float(np.sum(delta * cache.x)), float(np.sum(delta)))


def _backward(cache, y):
    """backward() on checked targets y (n,)."""
    return Gradients(*_chain(cache, y)[3:])


def loss(theta, x, y):
    """Return the MSE of the neuron θ = (w, b) on samples x, y (each (n,)), a float."""
    w, b = _theta(theta)
    return mse(forward(w, b, x).y_hat, y)


def loss_and_grad(theta, x, y):
    """Return (MSE, gradient) at θ = (w, b): a float and an array [∂MSE/∂w, ∂MSE/∂b] of shape (2,)."""
    w, b = _theta(theta)
    cache = forward(w, b, x)
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
    """
    x = _samples(x, "x")
    y = _targets(y, x.size)
    checks.finite_array(theta0, "theta0", shape=(2,))
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
    y_hat = sigmoid(w[..., None] * x + b[..., None])
    return np.mean((y_hat - y) ** 2, axis=-1)


def make_data(n=20, w=2.0, b=-1.0, noise=0.05, seed=0):
    """Return (x, y), each of shape (n,): x uniform in [−3, 3], y = S(w·x + b) + noise, clipped to [0, 1].

    A fixed seed gives the same data on every run.
    """
    n = checks.count(n, "n", minimum=1)
    w, b, noise = _scalar(w, "w"), _scalar(b, "b"), _scalar(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must be a finite number >= 0; got {noise}")
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3, 3, n))
    y = np.clip(sigmoid(w * x + b) + noise * rng.standard_normal(n), 0, 1)
    return x, y


class Verdict(NamedTuple):
    """How a training run went: status, one of VERDICTS, and a sentence that says it in numbers."""

    status: str
    text: str


#: What a training run can be, judged from its losses (not from the gradient, which can grow
#: while a neuron leaves a plateau).
VERDICTS = ("converging", "oscillating", "crawling", "stuck", "diverging", "diverged")


def verdict(run, x, y, crawl=0.1, saturated=0.02):
    """Return the Verdict of a train() run on samples x, y (each (n,)).

    diverged: θ left the runner's bound; diverging: the loss ended above its start;
    oscillating: the loss rose on some step; crawling: it fell by less than `crawl` of its start;
    stuck: it fell, but is saturated (mean S'(z) below `saturated`) and its last quarter of
    steps gained under 1%; converging: it fell on every step. Saturation is always named.
    """
    if run.diverged_at is not None:
        return Verdict("diverged", f"diverged: θ = (w, b) left the bound at step {run.diverged_at}")
    L = losses(run.path, x, y)
    fell = f"the loss went from {L[0]:.3g} to {L[-1]:.3g} in {len(L) - 1} steps"
    ups = int(np.sum(np.diff(L) > 1e-12 * L[:-1]))
    if L[-1] > L[0]:
        status, text = "diverging", f"diverging: {fell}"
    elif ups:
        status, text = "oscillating", f"oscillating: the loss rose on {ups} of {len(L) - 1} steps; {fell}"
    elif L[0] - L[-1] < crawl * L[0]:
        status, text = "crawling", f"crawling: {fell}"
    else:
        status, text = "converging", f"converging: {fell}"
    s_prime = float(np.mean(sigmoid_prime(forward(*run.path[-1], x).z)))
    if s_prime < saturated:
        if status == "converging" and L[-1] > 0.99 * L[-1 - (len(L) - 1) // 4]:
            status, text = "stuck", "stuck on a plateau" + text[len("converging"):]
        text += f"; saturated, mean S'(z) = {s_prime:.2g}"
    return Verdict(status, text)
