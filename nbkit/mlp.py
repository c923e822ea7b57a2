"""A layered network of sigmoid neurons: forward pass with a cache, backward pass, training.

Math → code (one sample is a column vector in the math, a row of a batch here):
    L1 … L4               → params[0] … params[3], each a pair (W, b)
    W_l, b_l              → W of shape (n_out, n_in), b of shape (n_out,)
    z_l = W_l·a_{l−1} + b_l → cache.z[l]  (n, n_out): the batch Z = A_prev·Wᵀ + b
    a_l = S(z_l)          → cache.a[l]  (n, n_out); a_0 = x → cache.x, a_4 = ŷ → cache.y_hat
    L = (1/3)·Σᵢ(ŷᵢ − yᵢ)² → loss: the mean over outputs, then over the samples of the batch
    δ_4 = ∂L/∂a_4 ⊙ S'(z_4) → deltas(...)[-1], with ∂L/∂ŷ = 2(ŷ − y)/n_out per sample
    δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ S'(z_l) → deltas(...)[l]
    ∂L/∂W_l = δ_l·a_{l−1}ᵀ, ∂L/∂b_l = δ_l → backward(...)[l], averaged over the batch
    S'(z) = S(z)·(1 − S(z)) = a·(1 − a): the backward pass reuses the cached a

The default sizes (3, 3, 3, 3, 3) are the 3-3-3-3 network: 3 inputs, four layers of three
neurons, 4·(3·3 + 3) = 48 parameters. Everything is vectorised over samples; only
`paths_to_output` spells out a sum path by path, for teaching.
"""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from nbkit import checks, gradcheck, sampling
from nbkit.neuron import sigmoid  # S(z) without overflow, precise in both tails

SIZES = (3, 3, 3, 3, 3)

#: The step h of the central differences in check_layer. Gradients of early layers can be ~1e-7;
#: h = 1e-5 leaves round-off of ~eps·L/h ≈ 1e-12 in them, h = 1e-4 ten times less, and its
#: truncation error O(h²) stays below 1e-7 relative.
CHECK_STEP = 1e-4


class Cache(NamedTuple):
    """What the forward pass computed: x (n, n_in), z[l] and a[l] (n, n_l) for layer L(l+1)."""

    x: np.ndarray
    z: list
    a: list

    @property
    def y_hat(self):
        """Return the prediction ŷ = a of the last layer, shape (n, n_out)."""
        return self.a[-1]

    def a_prev(self, l):
        """Return the input of layer index l: x for L1, else a[l − 1]; shape (n, n_in of that layer)."""
        return self.x if l == 0 else self.a[l - 1]


@dataclass(frozen=True)
class History:
    """A training run: losses (epochs+1,) after k updates; grad_norms (epochs+1, layers) of ‖∂L/∂W_l‖."""

    losses: np.ndarray
    grad_norms: np.ndarray
    params: list


def _sizes(sizes):
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        raise ValueError(f"sizes must list at least 2 layer sizes (inputs, then each layer); got {sizes!r}")
    return tuple(checks.count(s, f"sizes[{i}]", minimum=1) for i, s in enumerate(sizes))


def init_params(sizes=SIZES, scale=1.0, seed=0):
    """Return a list of (W, b), W of shape (sizes[l+1], sizes[l]) drawn N(0, scale²), b = 0 of shape (sizes[l+1],)."""
    sizes, scale = _sizes(sizes), checks.positive(scale, "scale")
    rng = np.random.default_rng(checks.count(seed, "seed"))
    return [(scale * rng.standard_normal((n_out, n_in)), np.zeros(n_out)) for n_in, n_out in zip(sizes, sizes[1:])]


def _check(params, X, Y=None):
    if not isinstance(params, (list, tuple)) or not params:
        raise ValueError(f"params must be a non-empty list of (W, b) pairs; got {type(params).__name__}")
    n_in = None
    for l, pair in enumerate(params):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(f"params[{l}] must be a pair (W, b); got {type(pair).__name__}")
        W, b = pair
        W = checks.finite_array(W, f"params[{l}] W", shape=(None, n_in))
        checks.finite_array(b, f"params[{l}] b", shape=(W.shape[0],))
        n_in = W.shape[0]
    X = checks.finite_array(X, "X", shape=(None, np.shape(params[0][0])[1]))
    if Y is None:
        return X
    return X, checks.finite_array(Y, "Y", shape=(X.shape[0], n_in))


def forward(params, X):
    """Return the Cache of the forward pass of X (n, n_in): every z and a, layer by layer."""
    return _forward(params, _check(params, X))


def _forward(params, X):
    """forward() on checked params and X."""
    z, a, a_prev = [], [], X
    for W, b in params:
        z.append(a_prev @ W.T + b)  # z_l = W_l·a_{l−1} + b_l, one row per sample
        a_prev = sigmoid(z[-1])     # a_l = S(z_l)
        a.append(a_prev)
    return Cache(X, z, a)


def loss(y_hat, Y):
    """Return L = mean over samples of (1/n_out)·Σᵢ(ŷᵢ − yᵢ)², a float; y_hat and Y of shape (n, n_out)."""
    diff = y_hat - Y
    return float(np.vdot(diff, diff)) / diff.size


def deltas(params, cache, Y):
    """Return δ for every layer, a list of arrays (n, n_l); δ[l] = ∂L/∂z_l for each sample."""
    _, Y = _check(params, cache.x, Y)
    return _deltas(params, cache, Y)


def _deltas(params, cache, Y):
    """deltas() on checked params and Y."""
    a = cache.y_hat
    delta = (2.0 / Y.shape[1]) * (a - Y) * a * (1.0 - a)  # δ_out = ∂L/∂ŷ ⊙ S'(z), S' = a(1 − a)
    out = [delta]
    for l in range(len(params) - 1, 0, -1):
        a = cache.a[l - 1]
        delta = (delta @ params[l][0]) * a * (1.0 - a)   # δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ S'(z_l)
        out.append(delta)
    return out[::-1]


def backward(params, cache, Y):
    """Return the gradients [(∂L/∂W, ∂L/∂b), …] in the structure and shapes of params."""
    _, Y = _check(params, cache.x, Y)
    return _backward(params, cache, Y)


def _backward(params, cache, Y):
    """backward() on checked params and Y."""
    n = cache.x.shape[0]
    return [(delta.T @ cache.a_prev(l) / n,  # ∂L/∂W_l = δ_l·a_{l−1}ᵀ, averaged over the batch
             delta.sum(axis=0) / n)          # ∂L/∂b_l = δ_l
            for l, delta in enumerate(_deltas(params, cache, Y))]


def loss_and_grads(params, X, Y):
    """Return (L, grads) for inputs X (n, n_in) and targets Y (n, n_out); grads as in backward."""
    X, Y = _check(params, X, Y)
    cache = forward(params, X)
    return loss(cache.y_hat, Y), backward(params, cache, Y)


def train(params, X, Y, lr, epochs, batch_size=None, seed=0):
    """Return the History of `epochs` full-batch steps W ← W − lr·∂L/∂W from params (left unchanged).

    Each epoch is forward, loss and backward, checked once here rather than on every step; the
    last pass (k = epochs) measures the trained network without stepping. batch_size B: each
    epoch is instead ⌊n/B⌋ steps, each on the gradient of one mini-batch of B samples
    (nbkit.sampling.batch_indices with `seed`); losses and grad_norms are still measured on all n.
    """
    X, Y = _check(params, X, Y)
    lr, epochs = checks.positive(lr, "lr"), checks.count(epochs, "epochs")
    if batch_size is not None:
        per_epoch = sampling.updates_per_epoch(X.shape[0], batch_size)
        batches = sampling.batch_indices(X.shape[0], batch_size, epochs * per_epoch, seed).reshape(epochs, per_epoch, -1)
    params = [(W.astype(float), np.array(b, dtype=float)) for W, b in params]  # copies, stepped in place
    losses, norms = np.empty(epochs + 1), np.empty((epochs + 1, len(params)))
    for k in range(epochs + 1):
        cache = _forward(params, X)
        losses[k] = loss(cache.y_hat, Y)
        for l, ((W, b), (dW, db)) in enumerate(zip(params, _backward(params, cache, Y))):
            norms[k, l] = np.vdot(dW, dW)
            if k < epochs and batch_size is None:
                W -= lr * dW
                b -= lr * db
        for i in batches[k] if batch_size is not None and k < epochs else ():
            for (W, b), (dW, db) in zip(params, _backward(params, _forward(params, X[i]), Y[i])):
                W -= lr * dW
                b -= lr * db
    return History(losses, np.sqrt(norms), params)


def paths_to_output(params, cache, Y, j, k):
    """Return the terms (n_out,) of ∂L/∂W[j, k] in the layer before the output, one per output neuron.

    W[j, k] joins neuron k of the layer before to neuron j (in L3 for the 3-3-3-3 network). Its
    change reaches the loss through every output neuron i, so the gradient is the sum over i of
    ∂L/∂ŷᵢ · S'(z_out,i) · W_out[i, j] · S'(z_j) · a_prev,k (averaged over the batch). The terms
    are computed one path at a time, as written by hand; backward gets the same sum at once.
    """
    _, Y = _check(params, cache.x, Y)
    if len(params) < 2:
        raise ValueError(f"params must have at least 2 layers for a path through the output; got {len(params)}")
    W_out = params[-1][0]
    y_hat, a_j, a_k = cache.a[-1], cache.a[-2][:, j], cache.a_prev(len(params) - 2)[:, k]
    terms = []
    for i in range(W_out.shape[0]):
        dL_dyhat = 2.0 * (y_hat[:, i] - Y[:, i]) / Y.shape[1]
        chain = dL_dyhat * y_hat[:, i] * (1 - y_hat[:, i]) * W_out[i, j] * a_j * (1 - a_j) * a_k
        terms.append(chain.mean())
    return np.array(terms)


def make_task(n=64, seed=0):
    """Return (X, Y): X (n, 3) uniform in [−1, 1], targets Y (n, 3) in (0, 1), from a fixed seed.

    Each target is a smooth function of the inputs: yᵢ = S(1.5·mᵢ·x), with mᵢ a fixed random row.
    """
    rng = np.random.default_rng(checks.count(seed, "seed"))
    X = rng.uniform(-1.0, 1.0, size=(checks.count(n, "n", minimum=1), 3))
    M = rng.standard_normal((3, 3))
    return X, sigmoid(1.5 * X @ M.T)


def check_layer(params, X, Y, l, h=CHECK_STEP):
    """Return (GradCheck of ∂L/∂W_l, GradCheck of ∂L/∂b_l): backward against central differences.

    Each array of layer index l is varied on its own, with the rest of params held fixed.
    """
    X, Y = _check(params, X, Y)

    def with_layer(i, value):  # params with array i (0: W, 1: b) of layer l replaced
        pair = list(params[l])
        pair[i] = value
        return params[:l] + [tuple(pair)] + params[l + 1:]

    return tuple(gradcheck.check_gradient(lambda v: loss_and_grads(with_layer(i, v), X, Y)[0],
                                          lambda v: loss_and_grads(with_layer(i, v), X, Y)[1][l][i],
                                          params[l][i], h) for i in (0, 1))
