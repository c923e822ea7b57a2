"""The SGD explorer's training loop on Python floats: the same numbers as neuron.train with a batch size.

neuron.train(x, y, θ0, lr, K, batch_size=B, seed=seed) stays the one source of the maths: the
batches come from sampling.batch_indices, each update follows the MSE gradient of its batch
(neuron._chain on neuron._forward) and descent.gradient_descent takes the step and judges the
bound. A batch below FLOATS_BELOW samples is so small that numpy's per-call cost is most of each
update, so train_sgd does the same floating-point operations, in the same order, on Python floats:

- +, −, ·, / and |z| are IEEE operations, rounded the same by Python and numpy (no fused
  multiply-add in either);
- e^(−|z|) is numpy's own np.exp, whose last bits depend on the CPU's SIMD level, called once per
  batch on its B values (each element's result does not depend on its neighbours);
- Σ δ·x and Σ δ, which numpy sums pairwise, are summed in numpy's order (numpy_sum);
- the bound is judged on the same log‖θ‖ as descent._log_norm.

Larger batches go through buffered_gradient: numpy's own operations in the same order, written
into preallocated arrays. Either way the path, the status and the step of divergence are equal to
the bit: tests/test_fast_sgd.py checks them against the teaching functions (here at numpy's
X86_V3 and X86_V2 levels; exp is numpy's on every CPU, so a SIMD level changes both alike).

Math → code as in nbkit.neuron: z = w·x + b, e = e^(−|z|), r = 1/(1 + e), ŷ = S(z) = r for
z ≥ 0 and e·r for z < 0, S'(z) = e·r·r, δ = 2(ŷ − y)/B · S'(z); ∂ℓ/∂w = Σ δ·x, ∂ℓ/∂b = Σ δ;
θ_{k+1} = θ_k − lr_k·(∂ℓ/∂w, ∂ℓ/∂b) on batch k.
"""

import math

import numpy as np

from nbkit import descent, neuron, sampling

#: Batches smaller than this are computed on Python floats (batch_gradient), larger ones in numpy buffers.
FLOATS_BELOW = 24

_TEACHING_TRAIN = neuron.train


def numpy_sum(values):
    """Return np.sum of a contiguous float64 array holding `values` (a list of floats), a float, computed as numpy does.

    numpy (its pairwise_sum) adds its identity 0.0 to a pairwise sum: below 8 values one after
    another; up to 128 in 8 running sums, combined ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)),
    then the rest one by one; above 128 the two halves (the first a multiple of 8 long), each so.
    """
    return 0.0 + _pairwise(values, 0, len(values))


def _pairwise(a, lo, n):
    if n < 8:
        total = 0.0
        for i in range(lo, lo + n):
            total += a[i]
        return total
    if n <= 128:
        r0, r1, r2, r3, r4, r5, r6, r7 = a[lo:lo + 8]
        end = lo + n - n % 8
        for i in range(lo + 8, end, 8):
            r0 += a[i]
            r1 += a[i + 1]
            r2 += a[i + 2]
            r3 += a[i + 3]
            r4 += a[i + 4]
            r5 += a[i + 5]
            r6 += a[i + 6]
            r7 += a[i + 7]
        total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        for i in range(end, lo + n):
            total += a[i]
        return total
    half = n // 2 - (n // 2) % 8
    return _pairwise(a, lo, half) + _pairwise(a, lo + half, n - half)


def batch_gradient(w, b, xs, ys):
    """Return (∂ℓ/∂w, ∂ℓ/∂b), two floats: the MSE gradient at θ = (w, b) on one batch, as lists xs, ys of B floats.

    The operations of neuron._batch_gradient, in its order, on floats.
    """
    B = len(xs)
    zs = [w * x + b for x in xs]                   # z = w·x + b
    es = np.exp([-abs(z) for z in zs]).tolist()    # e = e^(−|z|), numpy's exp
    rs = [1 / (1 + e) for e in es]                 # r = 1/(1 + e)
    deltas = [2 * ((r if z >= 0 else e * r) - y) / B * (e * r * r)  # δ = 2(ŷ − y)/B · S'(z), ŷ = S(z)
              for z, e, r, y in zip(zs, es, rs, ys)]
    return numpy_sum([d * x for d, x in zip(deltas, xs)]), numpy_sum(deltas)


def buffered_gradient(B):
    """Return a function (w, b, x, y) → (∂ℓ/∂w, ∂ℓ/∂b) on one batch as arrays x, y of shape (B,), working in buffers.

    The operations of neuron._batch_gradient, in its order, with numpy: for large batches, where
    one numpy call per operation costs less than B Python operations.
    """
    z, e, r, y_hat, t = (np.empty(B) for _ in range(5))
    mask = np.empty(B, dtype=bool)

    def gradient(w, b, x, y):
        np.add(np.multiply(w, x, out=z), b, out=z)                     # z = w·x + b
        np.exp(np.negative(np.abs(z, out=e), out=e), out=e)            # e = e^(−|z|)
        np.divide(1, np.add(1, e, out=r), out=r)                       # r = 1/(1 + e)
        np.multiply(e, r, out=y_hat)
        np.copyto(y_hat, r, where=np.greater_equal(z, 0, out=mask))    # ŷ = S(z): r for z ≥ 0, e·r below
        np.divide(np.multiply(2, np.subtract(y_hat, y, out=t), out=t), B, out=t)  # ∂ℓ/∂ŷ = 2(ŷ − y)/B
        np.multiply(t, np.multiply(np.multiply(e, r, out=e), r, out=e), out=t)   # δ = ∂ℓ/∂ŷ · S'(z), S' = e·r·r
        db = float(np.add.reduce(t))
        return float(np.add.reduce(np.multiply(t, x, out=t))), db

    return gradient


def _log_norm(w, b):
    """Return descent._log_norm((w, b)): log of math.hypot(w, b), the runner's function for what hypot cannot take."""
    norm = math.hypot(w, b)
    return math.log(norm) if 0 < norm < math.inf else descent._log_norm((w, b))


def train_sgd(x, y, theta0, lr, steps, batch_size, seed=0, escape=1e3):
    """Return what neuron.train(x, y, theta0, lr, steps, batch_size=batch_size, seed=seed) returns: a Run, path (k+1, 2).

    x, y: samples of shape (n,); lr: a number or one rate per update, shape (steps,); the MSE
    loss. escape: the runner's bound, escape·max(1, ‖θ0‖) (neuron.train keeps gradient_descent's 1e3).
    """
    x = neuron._samples(x, "x")
    y = neuron._targets(y, x.size)
    theta = descent.checks.finite_array(theta0, "theta0", shape=(2,))
    steps = descent.checks.count(steps, "steps", maximum=descent.checks.MAX_STEPS)
    rates = descent._rates(lr, steps).tolist() if np.ndim(lr) else [descent.checks.positive(lr, "lr")] * steps
    if sampling.batch_size(batch_size, x.size) == x.size:  # every batch all n samples, as batch_indices gives them
        batches = np.broadcast_to(np.arange(x.size), (steps, x.size))
    else:
        batches = sampling.batch_indices(x.size, batch_size, steps, seed)  # (steps, B)
    log_bound = descent._log_bound(theta, escape)
    if steps == 0:
        return descent.Run(theta[None, :].copy(), "no steps")
    xs, ys = x[batches], y[batches]  # row k is batch k, contiguous as x[i] is
    if batches.shape[1] < FLOATS_BELOW:
        gradient, xs, ys = batch_gradient, xs.tolist(), ys.tolist()
    else:
        gradient = buffered_gradient(batches.shape[1])
    w, b = float(theta[0]), float(theta[1])
    path = [(w, b)]
    with np.errstate(over="ignore", invalid="ignore"):  # as the runner: an overflow is a divergence
        for k in range(steps):
            dw, db = gradient(w, b, xs[k], ys[k])
            w, b = w - rates[k] * dw, b - rates[k] * db
            if not _log_norm(w, b) <= log_bound:  # also true for inf and NaN
                return descent.Run(np.array(path), "diverged", k + 1)
            path.append((w, b))
        path = np.array(path)
        try:
            return descent.Run(path, descent.classify(lambda theta: neuron.gradient(theta, x, y), path))
        except descent.checks.TooLarge:
            return descent.Run(path, "diverged")


def trainer():
    """Return the function that trains as neuron.train does with a batch size: train_sgd, or neuron.train if replaced.

    A replaced neuron.train (a wrapper in a test or a notebook) is what train_sgd is not checked
    against, so it is called as it is.
    """
    return train_sgd if neuron.train is _TEACHING_TRAIN else neuron.train
