"""One sigmoid neuron, ŷ = S(w·x + b), with a loss ℓ: forward pass, backward pass, training.

The loss is a choice, `loss="mse"` (the default) or `loss="cross_entropy"`, in every function
that computes ℓ or its gradient; each has one implementation below.

Math → code:
    S(z) = 1 / (1 + e^(−z))          → sigmoid(z)          (σ in other books)
    S′(z) = S(z)·(1 − S(z))          → sigmoid_prime(z)    (= e/(1 + e)², e = e^(−|z|))
    z = w·x + b,  ŷ = S(z)           → forward(w, b, x) → Cache(x, z, y_hat)
    MSE: ℓ = (1/n)·Σ (ŷᵢ − yᵢ)²      → mse(y_hat, y)
        δᵢ = ∂ℓ/∂zᵢ = 2(ŷᵢ − yᵢ)/n · S′(zᵢ)
    cross-entropy: ℓ = (1/n)·Σ −[yᵢ·log ŷᵢ + (1 − yᵢ)·log(1 − ŷᵢ)]
                     = (1/n)·Σ yᵢ·softplus(−zᵢ) + (1 − yᵢ)·softplus(zᵢ)   → cross_entropy(z, y)
        δᵢ = ∂ℓ/∂zᵢ = (ŷᵢ − yᵢ)/n    (the S′(zᵢ) of ∂ŷ/∂z cancels)
    ∂ℓ/∂w = Σ δᵢ·xᵢ,  ∂ℓ/∂b = Σ δᵢ   → backward(cache, y, loss) → Gradients(dw, db)
    θ = (w, b)                       → theta, a vector of shape (2,)

One sample is n = 1, so the MSE is ℓ = (ŷ − y)² and ∂ℓ/∂w = 2(ŷ − y)·x·S′(z), ∂ℓ/∂b = 2(ŷ − y)·S′(z).
All functions are pure and vectorised over the n samples: x and y have shape (n,).
"""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from nbkit import checks, sampling
from nbkit.descent import gradient_descent


def sigmoid(z):
    """Return S(z) = 1 / (1 + e^(−z)) elementwise, with the shape of z.

    q = e^(−|z|) never overflows, and for z < 0 the form e^z / (1 + e^z) keeps full relative
    precision where S(z) is tiny (S(−700) ≈ 9.9e-305, not 0); S(−1000) underflows to 0 quietly.
    One exponential and one division: r = 1/(1 + q), then S = r for z ≥ 0 and q·r for z < 0.
    """
    z = _z(z)
    q = np.exp(-np.abs(z))
    r = 1 / (1 + q)
    return np.where(z >= 0, r, q * r)


def _z(z):
    """Return z as a float array: a float array as it is (±inf allowed, S(±inf) is 1 or 0), else checked."""
    if type(z) is np.ndarray and z.dtype == np.float64:
        return z
    return checks.finite_array(z, "z", min_size=0)


def sigmoid_prime(z):
    """Return S′(z) = S(z)·(1 − S(z)) elementwise, with the shape of z.

    S(z)·S(−z) with q = e^(−|z|) is q/(1 + q)², the same for z and −z: no 1 − S(z), which
    is exactly 0 once 1 + e^(−z) rounds to 1, for z above 53·ln 2 ≈ 36.7.
    """
    q = np.exp(-np.abs(_z(z)))
    r = 1 / (1 + q)
    return q * r * r


@dataclass(frozen=True)
class Cache:
    """What the forward pass keeps for the backward pass: x, z = w·x + b and ŷ = S(z), each (n,)."""

    x: np.ndarray
    z: np.ndarray
    y_hat: np.ndarray


class Gradients(NamedTuple):
    """∂ℓ/∂w and ∂ℓ/∂b, two floats; unpack as `dw, db = backward(cache, y)`."""

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


#: The losses a neuron can be trained with (the `loss` argument of every function below).
LOSSES = ("mse", "cross_entropy")


def _loss_choice(loss, y):
    """Return `loss` once it names one of LOSSES that fits the targets y (n,); raise otherwise."""
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(map(repr, LOSSES))}; got {loss!r}")
    if loss == "cross_entropy" and not np.all((0 <= y) & (y <= 1)):
        raise ValueError(f"y must lie in [0, 1] for the cross-entropy loss; got values from {y.min():g} to {y.max():g}")
    return loss


def _softplus(z):
    """Return log(1 + e^z) elementwise: max(z, 0) + log(1 + e^(−|z|)), which never overflows."""
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def _squared_errors(y_hat, y):
    """Return (ŷᵢ − yᵢ)² per sample, the shape of y_hat."""
    return (y_hat - y) ** 2


def _cross_entropies(z, y):
    """Return −[yᵢ·log S(zᵢ) + (1 − yᵢ)·log(1 − S(zᵢ))] per sample, the shape of z.

    log S(z) = −softplus(−z) and log(1 − S(z)) = −softplus(z): no log(0) at any z, and both
    terms are ≥ 0, so nothing cancels.
    """
    return y * _softplus(-z) + (1 - y) * _softplus(z)


def _mean_loss(z, y_hat, y, loss):
    """Return ℓ, the mean over the last axis (the samples) of the chosen per-sample loss."""
    per_sample = _squared_errors(y_hat, y) if loss == "mse" else _cross_entropies(z, y)
    return np.mean(per_sample, axis=-1)


def mse(y_hat, y):
    """Return the mean squared error (1/n)·Σ (ŷᵢ − yᵢ)², a float; y_hat and y of shape (n,)."""
    y_hat = _samples(y_hat, "y_hat")
    return float(np.mean(_squared_errors(y_hat, _targets(y, y_hat.size, "y_hat"))))


def cross_entropy(z, y):
    """Return the cross-entropy (1/n)·Σ −[yᵢ·log ŷᵢ + (1 − yᵢ)·log(1 − ŷᵢ)] with ŷ = S(z), a float.

    z and y of shape (n,), y in [0, 1]. It takes z, not ŷ: where S(z) rounds to 0 or 1, log ŷ
    would be log 0, while the form in z stays finite and exact.
    """
    z = _samples(z, "z")
    y = _targets(y, z.size)
    _loss_choice("cross_entropy", y)
    return float(np.mean(_cross_entropies(z, y)))


def backward(cache, y, loss="mse"):
    """Return Gradients(dw, db) of the loss over the cached samples, from the Cache and y (n,).

    loss: "mse" or "cross_entropy". The chain rule, one factor per line, is in _backward.
    """
    _cache(cache)
    y = _targets(y, cache.x.size)
    return _backward(cache, y, _loss_choice(loss, y))


def _cache(cache):
    """Return cache; raise TypeError naming it unless it is the Cache that forward() returns."""
    if not isinstance(cache, Cache):
        raise TypeError(f"cache must be the Cache that forward(w, b, x) returns; got {type(cache).__name__}")
    return cache


class Chain(NamedTuple):
    """The factors of the backward pass, each of shape (n,) but dw and db (floats).

    dl_dy_hat = ∂ℓ/∂ŷᵢ, s_prime = S′(zᵢ), delta = δᵢ = ∂ℓ/∂zᵢ of the MSE; dw = Σ δᵢ·xᵢ, db = Σ δᵢ.
    """

    dl_dy_hat: np.ndarray
    s_prime: np.ndarray
    delta: np.ndarray
    dw: float
    db: float


def chain(cache, y):
    """Return the Chain of the MSE's backward pass over the cached samples, from the Cache and y (n,).

    Every factor of the chain rule, for a learner (or a stepper) to read one at a time;
    backward() returns its last two.
    """
    return _chain(_cache(cache), _targets(y, cache.x.size))


def _chain(cache, y):
    """chain() on checked targets y (n,)."""
    dl_dy_hat = 2 * (cache.y_hat - y) / y.size  # ∂ℓ/∂ŷᵢ for ℓ = mean of (ŷᵢ − yᵢ)²
    s_prime = sigmoid_prime(cache.z)
    delta = dl_dy_hat * s_prime  # δᵢ = ∂ℓ/∂ŷᵢ · ∂ŷᵢ/∂zᵢ
    with np.errstate(over="ignore"):  # δ·x beyond the float range is ±inf: the runner calls that diverged
        return Chain(dl_dy_hat, s_prime, delta, float(np.sum(delta * cache.x)), float(np.sum(delta)))


def _backward(cache, y, loss):
    """backward() on checked targets y (n,) and a loss from LOSSES: δ = ∂ℓ/∂z, then ∂z/∂w = x, ∂z/∂b = 1."""
    if loss == "mse":
        return Gradients(*_chain(cache, y)[3:])
    delta = (cache.y_hat - y) / y.size  # δᵢ = ∂ℓ/∂zᵢ of the cross-entropy: S′(zᵢ) has cancelled
    with np.errstate(over="ignore"):  # as in _chain
        return Gradients(float(np.sum(delta * cache.x)), float(np.sum(delta)))


def loss(theta, x, y, loss="mse"):
    """Return the loss ℓ ("mse" or "cross_entropy") of the neuron θ = (w, b) on samples x, y (each (n,)), a float."""
    w, b = _theta(theta)
    cache = forward(w, b, x)
    y = _targets(y, cache.x.size)
    return float(_mean_loss(cache.z, cache.y_hat, y, _loss_choice(loss, y)))


def loss_and_grad(theta, x, y, loss="mse"):
    """Return (ℓ, gradient) at θ = (w, b): a float and an array [∂ℓ/∂w, ∂ℓ/∂b] of shape (2,)."""
    w, b = _theta(theta)
    cache = forward(w, b, x)
    y = _targets(y, cache.x.size)
    loss = _loss_choice(loss, y)
    return float(_mean_loss(cache.z, cache.y_hat, y, loss)), np.array(_backward(cache, y, loss))


def gradient(theta, x, y, loss="mse"):
    """Return the gradient [∂ℓ/∂w, ∂ℓ/∂b] at θ = (w, b), shape (2,), for loss "mse" or "cross_entropy"."""
    return loss_and_grad(theta, x, y, loss)[1]


def article_update_direction(theta, x, y):
    """Return the original article's slipped "gradient" [mean ∂ŷ/∂w, mean ∂ŷ/∂b], shape (2,); y is ignored.

    The article calls these v_w and v_b. They drop ∂ℓ/∂ŷ = 2(ŷ − y), so a step against them
    lowers ŷ whatever the target y is.
    """
    w, b = _theta(theta)
    cache = forward(w, b, x)
    _targets(y, cache.x.size)
    s_prime = sigmoid_prime(cache.z)
    return np.array([np.mean(cache.x * s_prime), np.mean(s_prime)])


def _theta(theta):
    w, b = checks.finite_array(theta, "theta", shape=(2,))
    return float(w), float(b)


def train(x, y, theta0, lr, steps, direction=None, loss="mse", batch_size=None, seed=0, draw="epochs"):
    """Return the descent Run of θ = (w, b) ← θ − lr·direction(θ, x, y), path of shape (k+1, 2).

    `direction` defaults to the gradient of `loss` ("mse" or "cross_entropy"); pass
    article_update_direction to replay the original article's slip. lr: a number, or one rate
    per step, shape (steps,) (see nbkit.schedules). batch_size B: each step follows the gradient
    of the next mini-batch of B samples (nbkit.sampling.batch_indices with `seed` and `draw`), so a
    step is an update and ⌊n/B⌋ steps make an epoch; None (the default) uses all n samples at every step.
    steps is at most checks.MAX_STEPS.
    """
    x = _samples(x, "x")
    y = _targets(y, x.size)
    loss = _loss_choice(loss, y)
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
            return np.array(_backward(_forward(float(theta[0]), float(theta[1]), x), y, loss))
    else:
        def step_direction(theta):
            return direction(theta, x, y)
    if batch_size is None:
        return gradient_descent(step_direction, theta0, lr, steps)
    batches = sampling.batch_indices(x.size, batch_size, checks.count(steps, "steps", maximum=checks.MAX_STEPS), seed, draw)

    def batch_direction(theta, k):  # the direction on mini-batch k alone
        i = batches[k]
        if direction is None:
            return _batch_gradient(theta, x[i], y[i], loss)
        return np.asarray(direction(theta, x[i], y[i]))

    return gradient_descent(step_direction, theta0, lr, steps, direction=batch_direction)


def _batch_gradient(theta, x, y, loss):
    """Return [∂ℓ/∂w, ∂ℓ/∂b] of the loss over the samples x, y (each (B,), checked), shape (2,)."""
    return np.array(_backward(_forward(float(theta[0]), float(theta[1]), x), y, loss))


def losses(path, x, y, loss="mse"):
    """Return the loss ℓ ("mse" or "cross_entropy") at every θ of a path of shape (k, 2), shape (k,)."""
    path = checks.finite_array(path, "path", shape=(None, 2))
    return loss_surface(path[:, 0], path[:, 1], x, y, loss)


def loss_surface(w, b, x, y, loss="mse"):
    """Return the loss ℓ at every (w, b) pair of two arrays of one shape (e.g. a meshgrid), that shape.

    Vectorised over the grid and the samples: z has the grid's shape plus a last axis of n.
    """
    w, b = checks.finite_array(w, "w"), checks.finite_array(b, "b")
    if w.shape != b.shape:
        raise ValueError(f"w and b must have the same shape; got {w.shape} and {b.shape}")
    x = _samples(x, "x")
    y = _targets(y, x.size)
    loss = _loss_choice(loss, y)
    with np.errstate(over="ignore"):  # z = ±inf gives ŷ = 1 or 0 exactly
        z = w[..., None] * x + b[..., None]
        return _mean_loss(z, sigmoid(z), y, loss)


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


def given_data(x=None, y=None, **make):
    """Return (x, y), each of shape (n,): the samples given, checked, or make_data(**make) if neither is given.

    x: a number or a 1-D array of samples; y: one target per sample. Raises naming the one that is
    wrong, or both when only one is given.
    """
    if x is None and y is None:
        return make_data(**make)
    if x is None or y is None:
        raise ValueError(f"x and y must be given together (or neither, for make_data()); got x = {x!r:.60}, y = {y!r:.60}")
    x = _samples(x, "x")
    return x, _targets(y, x.size)


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
