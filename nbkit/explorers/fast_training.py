"""The explorers' training loops with fewer, larger numpy calls: the same numbers as the lessons' code.

The teaching functions `mlp.train` and `neuron.train` stay the one source of the maths; these
loops do exactly their floating-point operations, in their order, on the same values, only
with preallocated buffers, the layers stacked into one array where no order changes, and no
per-step checks, so a slider move can retrain within its budget. tests/test_fast_training.py
checks them against the teaching functions to the bit (the gradient norms, which nothing
feeds back into, within a derived bound: see train_mlp).

Math → code as in nbkit.mlp and nbkit.neuron; S(z) = r for z ≥ 0 and e·r for z < 0, with
e = e^(−|z|), r = 1/(1 + e); S'(z) = e·r·r.
"""

import numpy as np

from nbkit import mlp
from nbkit.explorers import fast_sgd


def norm_rtol(m):
    """Return γ_m + 2u: the bound, relative, between two computations of √(sum of m squares)."""
    u = 2.0**-53
    return m * u / (1 - m * u) + 2 * u


def _sigmoid_into(z, e, mask, out):
    """Write S(z) into out (the operations of neuron.sigmoid), using e and mask as scratch; return out."""
    np.abs(z, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)           # e = e^(−|z|)
    np.add(1, e, out=out)
    np.divide(1, out, out=out)  # r = 1/(1 + e)
    np.less(z, 0, out=mask)
    return np.multiply(e, out, out=out, where=mask)  # e·r where z < 0


def uniform(params):
    """Return True if train_mlp can stack these params: every layer of one square size (the 3-3-3-3 network)."""
    shapes = {np.shape(W) for W, _ in params}
    return len(shapes) == 1 and len(set(next(iter(shapes)))) == 1


def train_mlp(params, X, Y, lr, epochs):
    """Return what mlp.train(params, X, Y, lr, epochs) returns: a History, losses (epochs+1,).

    For uniform(params) only (all W of shape (s, s)). Losses and parameters are equal to the bit.
    The norms ‖∂L/∂W_l‖ are computed at the end from the kept gradients, as a sum over all m = s²
    squares at once instead of np.vdot per step. Any order of the m products and m − 1 sums of
    non-negative terms is within γ_m = m·u/(1 − m·u) (u = 2⁻⁵³) of the exact sum, relative, so two
    orders differ by at most 2γ_m; the square root halves that and rounds once more (u each):
    the norms agree within norm_rtol(m) = γ_m + 2u relative (1.2e-15 for m = 9).
    """
    if not uniform(params):
        raise ValueError("train_mlp needs every layer's W of one square shape; use mlp.train")
    X, Y = mlp._check(params, X, Y)
    lr, epochs = mlp.checks.positive(lr, "lr"), mlp.checks.count(epochs, "epochs")
    L, n, s = len(params), X.shape[0], X.shape[1]
    W = np.array([w for w, _ in params], dtype=float)  # (L, s, s), stepped in place
    B = np.array([b for _, b in params], dtype=float)  # (L, s)
    A = np.empty((L + 1, n, s))                         # A[0] = X, A[l + 1] = a of layer L(l+1)
    A[0] = X
    Z, E, delta = np.empty((L, n, s)), np.empty((n, s)), np.empty((L, n, s))
    T, U, mask = np.empty((n, s)), np.empty((n, s)), np.empty((n, s), bool)
    G, GB, step, step_b = np.empty((epochs + 1, L, s, s)), np.empty((L, s)), np.empty((L, s, s)), np.empty((L, s))
    losses, c = np.empty(epochs + 1), 2.0 / Y.shape[1]
    WT = W.transpose(0, 2, 1)
    dT = delta.transpose(0, 2, 1)
    for k in range(epochs + 1):
        for l in range(L):  # forward: z_l = a_{l−1}·W_lᵀ + b_l, a_l = S(z_l)
            np.matmul(A[l], WT[l], out=Z[l])
            np.add(Z[l], B[l], out=Z[l])
            _sigmoid_into(Z[l], E, mask, A[l + 1])
        np.subtract(A[L], Y, out=U)  # ŷ − y
        losses[k] = float(np.vdot(U, U)) / U.size
        a = A[L]                     # δ_out = (2/n_out)(ŷ − y) ⊙ a ⊙ (1 − a)
        np.multiply(c, U, out=T)
        np.multiply(T, a, out=T)
        np.subtract(1.0, a, out=U)
        np.multiply(T, U, out=delta[L - 1])
        for l in range(L - 2, -1, -1):  # δ_l = (δ_{l+1}·W_{l+1}) ⊙ (a ⊙ (1 − a)), the slope formed first
            a = A[l + 1]
            np.matmul(delta[l + 1], W[l + 1], out=T)
            np.subtract(1.0, a, out=U)
            np.multiply(a, U, out=U)
            np.multiply(T, U, out=delta[l])
        np.matmul(dT, A[:L], out=G[k])  # ∂L/∂W_l = δ_lᵀ·a_{l−1} / n, every layer at once
        np.divide(G[k], n, out=G[k])
        np.sum(delta, axis=1, out=GB)   # ∂L/∂b_l = Σ δ_l / n
        np.divide(GB, n, out=GB)
        if k < epochs:
            np.subtract(W, np.multiply(lr, G[k], out=step), out=W)
            np.subtract(B, np.multiply(lr, GB, out=step_b), out=B)
    norms = np.sqrt(np.sum(np.square(G.reshape(epochs + 1, L, s * s)), axis=2))
    return mlp.History(losses, norms, [(W[l].copy(), B[l].copy()) for l in range(L)])


_TEACHING_TRAIN = mlp.train


def trainer(params):
    """Return the function that trains these params as mlp.train does: train_mlp when it can, else mlp.train.

    A replaced mlp.train (a wrapper in a test or a notebook) is what train_mlp is not checked
    against, so it is called as it is.
    """
    return train_mlp if uniform(params) and mlp.train is _TEACHING_TRAIN else mlp.train


def train_neuron(x, y, theta0, lr, steps, escape=1e3):
    """Return what neuron.train(x, y, theta0, lr, steps) returns: the descent Run, path (k+1, 2).

    The full batch is the mini-batch of all n samples (to the bit, see nbkit.sampling), so this is
    fast_sgd.train_sgd with B = n: for the explorer's 20 samples, the steps done on Python floats.
    """
    return fast_sgd.train_sgd(x, y, theta0, lr, steps, batch_size=np.size(x), escape=escape)
