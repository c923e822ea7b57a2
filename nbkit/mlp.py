"""A layered network of sigmoid neurons: forward pass with a cache, backward pass, training.

Math → code (one sample is a column vector in the math, a row of a batch here):
    L1 … L4               → params[0] … params[3], each a pair (W, b)
    W_l, b_l              → W of shape (n_out, n_in), b of shape (n_out,)
    z_l = W_l·a_{l−1} + b_l → cache.z[l]  (n, n_out): the batch Z = A_prev·Wᵀ + b
    a_l = S(z_l)          → cache.a[l]  (n, n_out); a_0 = x → cache.x, a_4 = ŷ → cache.y_hat
    ℓ = (1/3)·Σⱼ(ŷⱼ − yⱼ)² → loss: the mean over outputs, then over the samples of the batch
    δ_4 = ∂ℓ/∂a_4 ⊙ S'(z_4) → deltas(...)[-1], with ∂ℓ/∂ŷ = 2(ŷ − y)/n_out per sample
    δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ S'(z_l) → deltas(...)[l]
    ∂ℓ/∂W_l = δ_l·a_{l−1}ᵀ, ∂ℓ/∂b_l = δ_l → backward(...)[l], averaged over the batch
    S'(z) = S(z)·(1 − S(z)) = a·(1 − a): the backward pass reuses the cached a
    activation="relu"     → hidden layers a = max(z, 0), slope 1 where a > 0 else 0; the output stays S
    init="xavier"/"he"    → W drawn N(0, scale²·2/(n_in + n_out)) / N(0, scale²·2/n_in) instead of N(0, scale²)

The default sizes (3, 3, 3, 3, 3) are the 3-3-3-3 network: 3 inputs, four layers of three
neurons, 4·(3·3 + 3) = 48 parameters. Everything is vectorised over samples; only
`paths_to_output` spells out a sum path by path, for teaching.
"""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from nbkit import checks, gradcheck, optimizers, sampling
from nbkit.neuron import sigmoid  # S(z) without overflow, precise in both tails

SIZES = (3, 3, 3, 3, 3)

#: The most epochs one call of train may run (about 0.3 ms each for the 3-3-3-3 network).
MAX_EPOCHS = 20_000

#: The most weights init_params makes: far more than any network of the course, far less than memory.
MAX_WEIGHTS = 10_000_000

#: The step h of the central differences in check_layer. Gradients of early layers can be ~1e-7;
#: h = 1e-5 leaves round-off of ~eps·L/h ≈ 1e-12 in them, h = 1e-4 ten times less, and its
#: truncation error O(h²) stays below 1e-7 relative.
CHECK_STEP = 1e-4

#: Each hidden-layer activation: (a = f(z), f'(z) written with the cached a). The output layer is S.
ACTIVATIONS = {
    "sigmoid": (sigmoid, lambda a: a * (1.0 - a)),               # S'(z) = S(z)(1 − S(z))
    "relu": (lambda z: np.maximum(z, 0.0), lambda a: (a > 0.0) * 1.0),  # slope 1 where z > 0, else 0
}

#: The variance of each weight, before the factor scale², for each init of init_params.
INITS = {
    "normal": lambda n_in, n_out: 1.0,
    "xavier": lambda n_in, n_out: 2.0 / (n_in + n_out),  # Glorot: keeps Var(z) and Var(δ) about level
    "he": lambda n_in, n_out: 2.0 / n_in,                 # for ReLU, which zeroes half of the z
}


class Cache(NamedTuple):
    """What the forward pass computed: x (n, n_in), z[l] and a[l] (n, n_l) for layer L(l+1)."""

    x: np.ndarray
    z: list
    a: list
    activation: str = "sigmoid"

    @property
    def y_hat(self):
        """Return the prediction ŷ = a of the last layer, shape (n, n_out)."""
        return self.a[-1]

    def a_prev(self, l):
        """Return the input of layer index l: x for L1, else a[l − 1]; shape (n, n_in of that layer)."""
        return self.x if l == 0 else self.a[l - 1]


@dataclass(frozen=True)
class History:
    """A training run: losses (epochs+1,) after k updates; grad_norms (epochs+1, layers) of ‖∂ℓ/∂W_l‖."""

    losses: np.ndarray
    grad_norms: np.ndarray
    params: list


def _sizes(sizes):
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        raise ValueError(f"sizes must list at least 2 layer sizes (inputs, then each layer); got {sizes!r}")
    return tuple(checks.count(s, f"sizes[{i}]", minimum=1) for i, s in enumerate(sizes))


def init_params(sizes=SIZES, scale=1.0, seed=0, init="normal"):
    """Return a list of (W, b), W of shape (sizes[l+1], sizes[l]) drawn N(0, scale²·INITS[init]), b = 0 of shape (sizes[l+1],)."""
    sizes, scale, variance = _sizes(sizes), checks.positive(scale, "scale", maximum=1e6), INITS[checks.one_of(init, "init", INITS)]
    weights = sum(n_in * n_out for n_in, n_out in zip(sizes, sizes[1:]))
    if weights > MAX_WEIGHTS:
        raise ValueError(f"sizes must give at most {MAX_WEIGHTS:,} weights; got {sizes}, {weights:,} weights")
    rng = np.random.default_rng(checks.count(seed, "seed"))
    return [(scale * np.sqrt(variance(n_in, n_out)) * rng.standard_normal((n_out, n_in)), np.zeros(n_out))
            for n_in, n_out in zip(sizes, sizes[1:])]


_NO_TARGETS = object()


def _check(params, X, Y=_NO_TARGETS):
    if not isinstance(params, (list, tuple)) or not params:
        raise ValueError(f"params must be a non-empty list of (W, b) pairs; got {params!r:.80}")
    n_in = None
    for l, pair in enumerate(params):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(f"params[{l}] must be a pair (W, b); got {type(pair).__name__}")
        W, b = pair
        W = checks.finite_array(W, f"params[{l}] W", shape=(None, n_in))
        b = checks.finite_array(b, f"params[{l}] b", shape=(W.shape[0],))
        with np.errstate(over="ignore"):  # every a is in (0, 1): Σ|W| + |b| bounds each z of this layer
            fits = np.all(np.isfinite(np.abs(W).sum(axis=1) + np.abs(b)))
        if not fits:
            raise checks.TooLarge(f"params[{l}] is too large: its weighted sums W·a + b overflow a float")
        n_in = W.shape[0]
    X = checks.finite_array(X, "X", shape=(None, np.shape(params[0][0])[1]))
    with np.errstate(over="ignore"):
        if not np.all(np.isfinite(np.abs(X) @ np.abs(params[0][0]).T)):
            raise checks.TooLarge("X is too large: the weighted sums W·x of L1 overflow a float")
    if Y is _NO_TARGETS:
        return X
    return X, checks.finite_array(Y, "Y", shape=(X.shape[0], n_in))


def _check_cache(cache):
    if not isinstance(cache, Cache):
        raise TypeError(f"cache must be the Cache that forward(params, X) returns; got {type(cache).__name__}")
    return cache


def forward(params, X, activation="sigmoid"):
    """Return the Cache of the forward pass of X (n, n_in): every z and a, layer by layer.

    The hidden layers use `activation` (a key of ACTIVATIONS), the output layer S.
    """
    return _forward(params, _check(params, X), checks.one_of(activation, "activation", ACTIVATIONS))


def _forward(params, X, activation):
    """forward() on checked params and X."""
    z, a, a_prev = [], [], X
    for l, (W, b) in enumerate(params):
        f = sigmoid if l == len(params) - 1 else ACTIVATIONS[activation][0]
        z.append(a_prev @ W.T + b)  # z_l = W_l·a_{l−1} + b_l, one row per sample
        a_prev = f(z[-1])           # a_l = S(z_l)
        a.append(a_prev)
    return Cache(X, z, a, activation)


def loss(y_hat, Y):
    """Return ℓ = mean over samples of (1/n_out)·Σⱼ(ŷⱼ − yⱼ)², a float; y_hat and Y of shape (n, n_out)."""
    if not (type(y_hat) is np.ndarray and type(Y) is np.ndarray and y_hat.shape == Y.shape
            and y_hat.dtype == Y.dtype == np.float64):  # arrays from forward and make_task pass unchecked
        y_hat = checks.finite_array(y_hat, "y_hat", shape=(None, None))
        Y = checks.finite_array(Y, "Y", shape=y_hat.shape)
    diff = y_hat - Y
    return float(np.vdot(diff, diff)) / diff.size


def loss_gradient(y_hat, Y):
    """Return ∂ℓ/∂ŷ = 2(ŷ − y)/n_out for each sample, shape (n, n_out); y_hat and Y of shape (n, n_out)."""
    return (2.0 / Y.shape[1]) * (y_hat - Y)


def deltas(params, cache, Y):
    """Return δ for every layer, a list of arrays (n, n_l); δ[l] = ∂ℓ/∂z_l for each sample."""
    _, Y = _check(params, _check_cache(cache).x, Y)
    return _deltas(params, cache, Y)


def _deltas(params, cache, Y):
    """deltas() on checked params and Y."""
    a = cache.y_hat
    delta = loss_gradient(a, Y) * a * (1.0 - a)  # δ_out = ∂ℓ/∂ŷ ⊙ S'(z), S' = a(1 − a)
    out = [delta]
    slope = ACTIVATIONS[cache.activation][1]
    for l in range(len(params) - 1, 0, -1):
        delta = (delta @ params[l][0]) * slope(cache.a[l - 1])  # δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ S'(z_l)
        out.append(delta)
    return out[::-1]


def backward(params, cache, Y):
    """Return the gradients [(∂ℓ/∂W, ∂ℓ/∂b), …] in the structure and shapes of params."""
    _, Y = _check(params, _check_cache(cache).x, Y)
    return _backward(params, cache, Y)


def _backward(params, cache, Y):
    """backward() on checked params and Y."""
    n = cache.x.shape[0]
    return [(delta.T @ cache.a_prev(l) / n,  # ∂ℓ/∂W_l = δ_l·a_{l−1}ᵀ, averaged over the batch
             delta.sum(axis=0) / n)          # ∂ℓ/∂b_l = δ_l
            for l, delta in enumerate(_deltas(params, cache, Y))]


def loss_and_grads(params, X, Y, activation="sigmoid"):
    """Return (ℓ, grads) for inputs X (n, n_in) and targets Y (n, n_out); grads as in backward."""
    X, Y = _check(params, X, Y)
    cache = forward(params, X, activation)
    return loss(cache.y_hat, Y), backward(params, cache, Y)


def train(params, X, Y, lr, epochs, activation="sigmoid", optimizer=None, batch_size=None, seed=0):
    """Return the History of `epochs` full-batch steps W ← W − lr·∂ℓ/∂W from params (left unchanged).

    Each epoch is forward, loss and backward; the last pass (k = epochs) measures the trained
    network without stepping. `optimizer`, a rule of nbkit.optimizers such as Momentum(beta=0.9)
    or Adam(), takes the steps instead (default: GradientDescent(), the step above). batch_size B:
    each epoch is instead ⌊n/B⌋ steps, each on the gradient of one mini-batch of B samples
    (nbkit.sampling.batch_indices with `seed`); losses and grad_norms are still measured on all n.
    epochs is at most MAX_EPOCHS. verdict(history) says how the run went.
    """
    X, Y = _check(params, X, Y)
    lr, epochs = checks.positive(lr, "lr"), checks.count(epochs, "epochs", maximum=MAX_EPOCHS)
    activation = checks.one_of(activation, "activation", ACTIVATIONS)
    rule = optimizers.GradientDescent() if optimizer is None else optimizers.rule(optimizer, "optimizer")
    if batch_size is not None:
        per_epoch = sampling.updates_per_epoch(X.shape[0], batch_size)
        batches = sampling.batch_indices(X.shape[0], batch_size, epochs * per_epoch, seed).reshape(epochs, per_epoch, -1)
    params = [(W.astype(float), np.array(b, dtype=float)) for W, b in params]  # copies
    losses, norms = np.empty(epochs + 1), np.empty((epochs + 1, len(params)))
    state = rule.init(params)
    for k in range(epochs + 1):
        cache = _forward(params, X, activation)
        losses[k] = loss(cache.y_hat, Y)
        grads = _backward(params, cache, Y)
        norms[k] = [np.vdot(dW, dW) for dW, _ in grads]
        if k < epochs and batch_size is None:
            params, state = rule.step(params, grads, state, lr)
        for i in batches[k] if batch_size is not None and k < epochs else ():
            batch = _forward(params, X[i], activation)
            params, state = rule.step(params, _backward(params, batch, Y[i]), state, lr)
    return History(losses, np.sqrt(norms), params)


def paths_to_output(params, cache, Y, j, m):
    """Return the terms (n_out,) of ∂ℓ/∂W[j, m] in the layer before the output, one per output neuron.

    W[j, m] joins neuron m of the layer before to neuron j (in L3 for the 3-3-3-3 network). Its
    change reaches the loss through every output neuron, so the gradient is the sum over the
    output neurons `out` of ∂ℓ/∂ŷ_out · S'(z_out) · W_out[out, j] · S'(z_j) · a_prev,m (averaged
    over the batch). The terms are computed one path at a time, as written by hand; backward
    gets the same sum at once.
    """
    _, Y = _check(params, _check_cache(cache).x, Y)
    if len(params) < 2:
        raise ValueError(f"params must have at least 2 layers for a path through the output; got {len(params)}")
    j = checks.index(j, "j", params[-1][0].shape[1])
    m = checks.index(m, "m", params[-2][0].shape[1])
    W_out = params[-1][0]
    y_hat, a_j, a_m = cache.a[-1], cache.a[-2][:, j], cache.a_prev(len(params) - 2)[:, m]
    terms = []
    for out in range(W_out.shape[0]):
        dL_dyhat = 2.0 * (y_hat[:, out] - Y[:, out]) / Y.shape[1]
        chain = dL_dyhat * y_hat[:, out] * (1 - y_hat[:, out]) * W_out[out, j] * a_j * (1 - a_j) * a_m
        terms.append(chain.mean())
    return np.array(terms)


def flatten(params):
    """Return all parameters as one vector θ (P,): W_1 row by row, then b_1, then W_2, b_2, …"""
    return np.concatenate([np.concatenate([np.ravel(W), np.ravel(b)]) for W, b in params])


def unflatten(theta, sizes):
    """Return the list of (W, b) for `sizes` read from the vector θ of flatten (the inverse of flatten)."""
    sizes, theta = _sizes(sizes), np.asarray(theta, dtype=float)
    counts = [n_out * n_in + n_out for n_in, n_out in zip(sizes, sizes[1:])]
    if theta.shape != (sum(counts),):
        raise ValueError(f"theta must have shape ({sum(counts)},) for sizes {sizes}; got {theta.shape}")
    pieces = np.split(theta, np.cumsum(counts)[:-1])
    return [(p[:n_out * n_in].reshape(n_out, n_in), p[n_out * n_in:]) for p, n_in, n_out in zip(pieces, sizes, sizes[1:])]


def sharpest_curvature(params, X, Y, h=CHECK_STEP):
    """Return (λ_max, v): the largest eigenvalue of the Hessian of ℓ at params and its unit eigenvector (P,).

    The Hessian's column i is the central difference of the gradient, (∇ℓ(θ + h·eᵢ) − ∇ℓ(θ − h·eᵢ)) / 2h;
    gradient descent on ℓ is stable near params for lr < 2/λ_max. Costs 2·P backward passes.
    """
    X, Y = _check(params, X, Y)
    sizes = (X.shape[1],) + tuple(W.shape[0] for W, _ in params)
    theta = flatten(params)

    def gradient(t):
        return flatten(loss_and_grads(unflatten(t, sizes), X, Y)[1])

    H = np.column_stack([(gradient(theta + h * e) - gradient(theta - h * e)) / (2 * h) for e in np.eye(theta.size)])
    values, vectors = np.linalg.eigh((H + H.T) / 2)
    return float(values[-1]), vectors[:, -1]


def branch_terms(params, deltas_, l):
    """Return what each neuron of the layer after brings to ∂ℓ/∂a of layer index l, shape (n, n_next, n_l).

    Term [s, j, m] is W_next[j, m]·δ_next[s, j]: the gradient arriving at neuron m of the layer
    along its edge to neuron j of the next layer. Summed over j it is (W_nextᵀ·δ_next)[m], the
    factor that deltas() multiplies by S'(z_l) in one matrix product. `deltas_` is deltas()'s list.
    """
    if not 0 <= l < len(params) - 1:
        raise ValueError(f"l must be a layer index from 0 to {len(params) - 2} (a layer with a layer after it); got {l}")
    return deltas_[l + 1][:, :, None] * params[l + 1][0][None, :, :]


def make_task(n=64, seed=0):
    """Return (X, Y): X (n, 3) uniform in [−1, 1], targets Y (n, 3) in (0, 1), from a fixed seed.

    Each target is a smooth function of the inputs: yᵢ = S(1.5·mᵢ·x), with mᵢ a fixed random row.
    """
    rng = np.random.default_rng(checks.count(seed, "seed"))
    X = rng.uniform(-1.0, 1.0, size=(checks.count(n, "n", minimum=1, maximum=checks.MAX_STEPS), 3))
    M = rng.standard_normal((3, 3))
    return X, sigmoid(1.5 * X @ M.T)


def check_layer(params, X, Y, l, h=CHECK_STEP, activation="sigmoid", gradients=None):
    """Return (GradCheck of ∂ℓ/∂W_l, GradCheck of ∂ℓ/∂b_l): backward against central differences.

    Each array of layer index l is varied on its own, with the rest of params held fixed.
    `gradients(params, X, Y)` is the backward pass under test, returning grads as backward does;
    by default it is this module's own.
    """
    X, Y = _check(params, X, Y)
    l = checks.index(l, "l", len(params))
    params = list(params)
    if gradients is None:
        def gradients(p, X, Y):
            return loss_and_grads(p, X, Y, activation)[1]
    else:
        checks.function(gradients, "gradients")

    def with_layer(i, value):  # params with array i (0: W, 1: b) of layer l replaced
        pair = list(params[l])
        pair[i] = value
        return params[:l] + [tuple(pair)] + params[l + 1:]

    def loss_at(p):  # ℓ on the checked X, Y: the central differences' many evaluations skip the checks
        return loss(_forward(p, X, activation).y_hat, Y)

    return tuple(gradcheck.check_gradient(lambda v: loss_at(with_layer(i, v)),
                                          lambda v: gradients(with_layer(i, v), X, Y)[l][i],
                                          params[l][i], h) for i in (0, 1))


class Verdict(NamedTuple):
    """How a training run went: status, one of VERDICTS, and a sentence that says it in numbers."""

    status: str
    text: str


#: What a training run can be, judged from its History.
VERDICTS = ("converging", "rising", "saturated", "diverging", "diverged", "no epochs")

#: Gradients have vanished when every ‖∂ℓ/∂W_l‖ is below this fraction of its largest value at the start.
VANISHED = 1e-5


def verdict(history):
    """Return the Verdict of a train() History, from its losses (epochs+1,) and grad_norms (epochs+1, layers).

    The rules, first match wins, with L_k the loss after k of the n epochs:
      diverged    a loss is not a finite number;
      no epochs   n = 0: nothing to judge;
      saturated   every ‖∂ℓ/∂W_l‖ at the end is below VANISHED (1e-5) times the largest at the
                  start and the loss did not halve: the sigmoids are pinned at 0 or 1, their
                  slopes S'(z) are 0, and no step can change the network any more;
      diverging   the loss ended above its start, L_n > L_0;
      rising      it fell overall, but rose on k of the n epochs (the steps overshoot);
      converging  it fell on every epoch.
    """
    if not isinstance(history, History):
        raise TypeError(f"history must be the History that train(params, X, Y, lr, epochs) returns; "
                        f"got {type(history).__name__}")
    L, norms = np.asarray(history.losses, dtype=float), np.asarray(history.grad_norms, dtype=float)
    n = len(L) - 1
    if not np.all(np.isfinite(L)):
        return Verdict("diverged", f"diverged: the loss is not a number from epoch {int(np.argmax(~np.isfinite(L)))}")
    if n == 0:
        return Verdict("no epochs", f"no epochs: the loss at initialisation is {L[0]:.4f}")
    went = f"the loss went from {L[0]:.4f} to {L[-1]:.4f} in {n} epochs"
    ups = int(np.sum(np.diff(L) > 1e-12 * L[:-1]))
    rose = f"; it rose on {ups} of {n} epochs" if ups else ""
    if np.max(norms[-1]) < VANISHED * np.max(norms[0]) and L[-1] > L[0] / 2:
        return Verdict("saturated", f"saturated: the gradients vanished (largest ‖∂ℓ/∂W‖ = {np.max(norms[-1]):.2g}, "
                                    f"from {np.max(norms[0]):.2g}); {went}")
    if L[-1] > L[0]:
        return Verdict("diverging", f"diverging: {went}{rose}")
    if ups:
        return Verdict("rising", f"loss rising on {ups} of {n} epochs: {went} overall")
    return Verdict("converging", f"converging: {went}, falling on every epoch")
